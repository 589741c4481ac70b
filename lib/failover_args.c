/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Devargs grammar of net_failover (see failover_args.h).
 *
 * The string is walked once, pair by pair. Each pair is first cut out
 * (lexed) without looking at its key, so that bracket errors are found the
 * same way for every key and every message can quote the exact pair; then
 * the key decides how the value is read. Nothing is allocated: values are
 * spans of the caller's string until they are copied into the fixed
 * buffers of struct failover_args.
 *
 * The whole string is bounded by strnlen() before the walk, so every later
 * scan stops at a NUL that is known to exist within FAILOVER_PARAMS_MAX.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "failover_args.h"

/* Longest piece of user input quoted in a message, so the key stays visible. */
#define FO_QUOTE_MAX	64
/* Quoted text, the "..." mark of a cut and the NUL. */
#define FO_QUOTE_BUF	(FO_QUOTE_MAX + 4)
/* "DDDD:BB:DD.F" and its NUL. */
#define FO_PCI_NAME_BUF	13

/* A piece of the parameter string; not NUL-terminated. */
struct fo_span {
	const char *s;
	size_t n;
};

/* One "key=value" cut out of the string. */
struct fo_pair {
	struct fo_span pair;	/* key=value, for messages */
	struct fo_span key;
	struct fo_span val;	/* brackets included when bracketed */
	bool bracketed;
};

/* Where error messages go; buf may be NULL. */
struct fo_err {
	char *buf;
	size_t len;
};

enum fo_key {
	FO_KEY_SYNTHETIC,
	FO_KEY_VF,
	FO_KEY_MAC,
	FO_KEY_VF_SETTLE_MS,
	FO_KEY_PROBE_INTERVAL_MS,
	FO_KEY_VF_MATCH,
	FO_KEY_LINK_POLL_MS,
	FO_KEY_MP_DATA_PATH,
	FO_KEY_NB,
};

static const char *const fo_key_names[FO_KEY_NB] = {
	[FO_KEY_SYNTHETIC] = FAILOVER_ARG_SYNTHETIC,
	[FO_KEY_VF] = FAILOVER_ARG_VF,
	[FO_KEY_MAC] = FAILOVER_ARG_MAC,
	[FO_KEY_VF_SETTLE_MS] = FAILOVER_ARG_VF_SETTLE_MS,
	[FO_KEY_PROBE_INTERVAL_MS] = FAILOVER_ARG_PROBE_INTERVAL_MS,
	[FO_KEY_VF_MATCH] = FAILOVER_ARG_VF_MATCH,
	[FO_KEY_LINK_POLL_MS] = FAILOVER_ARG_LINK_POLL_MS,
	[FO_KEY_MP_DATA_PATH] = FAILOVER_ARG_MP_DATA_PATH,
};

static int __attribute__((format(printf, 3, 4)))
fo_fail(const struct fo_err *e, int ret, const char *fmt, ...)
{
	va_list ap;

	if (e->buf == NULL || e->len == 0)
		return ret;
	va_start(ap, fmt);
	/* vsnprintf() cuts at e->len - 1 and always writes the NUL. */
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Copy user input for a message: cut long values so that what follows
 * (usually the key) is not lost in a short buffer, and replace control and
 * non-ASCII bytes so that the message stays one printable line.
 */
static const char *
fo_quote(char q[FO_QUOTE_BUF], struct fo_span v)
{
	size_t n = v.n > FO_QUOTE_MAX ? FO_QUOTE_MAX : v.n;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.s[i];

		q[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (n < v.n) {
		memcpy(&q[n], "...", 3);
		n += 3;
	}
	q[n] = '\0';
	return q;
}

static struct fo_span
fo_span_to(const char *s, char stop)
{
	struct fo_span sp = { .s = s, .n = 0 };

	while (s[sp.n] != '\0' && s[sp.n] != stop)
		sp.n++;
	return sp;
}

static bool
fo_span_eq(struct fo_span sp, const char *str)
{
	return strlen(str) == sp.n && memcmp(sp.s, str, sp.n) == 0;
}

static int
fo_hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
fo_all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fo_hex_val(s[i]) < 0)
			return false;
	return true;
}

static bool
fo_name_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') ||
		c == '_' || c == '.' || c == ':' || c == '-';
}

/* "BB:DD.F" tail of a PCI address, F being a function number 0-7. */
static bool
fo_pci_bdf_ok(const char *s)
{
	return fo_all_hex(s, 2) && s[2] == ':' && fo_all_hex(&s[3], 2) &&
		s[5] == '.' && s[6] >= '0' && s[6] <= '7' && s[7] == '\0';
}

bool
failover_args_is_pci(const char *name)
{
	/* Bounded: a longer string is not a PCI address anyway. */
	size_t n;

	if (name == NULL)
		return false;
	n = strnlen(name, FO_PCI_NAME_BUF);
	if (n == 7)
		return fo_pci_bdf_ok(name);
	if (n == 12)
		return fo_all_hex(name, 4) && name[4] == ':' &&
			fo_pci_bdf_ok(&name[5]);
	return false;
}

/*
 * The form the PCI bus gives its devices (domain included, lower case), so
 * that two spellings of one address compare equal.
 */
static void
fo_pci_normalize(const char *name, char out[FO_PCI_NAME_BUF])
{
	size_t off = 0;
	size_t i;

	if (strlen(name) == 7) {
		memcpy(out, "0000:", 5);
		off = 5;
	}
	for (i = 0; name[i] != '\0' && off + i < FO_PCI_NAME_BUF - 1; i++) {
		char c = name[i];

		out[off + i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	out[off + i] = '\0';
}

static bool
fo_same_device(const struct failover_subdev_spec *a,
		const struct failover_subdev_spec *b)
{
	char na[FO_PCI_NAME_BUF];
	char nb[FO_PCI_NAME_BUF];

	if (a->is_pci != b->is_pci)
		return false;
	if (!a->is_pci)
		return strcmp(a->name, b->name) == 0;
	fo_pci_normalize(a->name, na);
	fo_pci_normalize(b->name, nb);
	return strcmp(na, nb) == 0;
}

/*
 * Cut the pair starting at p. On success the pair ends at a ',' or at the
 * final NUL. Bracket balance is checked here, for every key alike.
 */
static int
fo_lex_pair(const struct fo_err *e, const char *p, size_t offset,
		struct fo_pair *pr)
{
	char q1[FO_QUOTE_BUF];
	char q2[FO_QUOTE_BUF];
	const char *v;
	size_t n = 0;

	memset(pr, 0, sizeof(*pr));
	while (p[n] != '\0' && p[n] != '=' && p[n] != ',')
		n++;
	if (n == 0 && p[0] != '=')
		return fo_fail(e, -EINVAL,
			"empty parameter at offset %zu (stray ',')", offset);
	if (p[n] != '=')
		return fo_fail(e, -EINVAL, "missing '=' in '%s'",
			fo_quote(q1, (struct fo_span){ p, n }));
	if (n == 0)
		return fo_fail(e, -EINVAL, "empty key in '%s'",
			fo_quote(q1, fo_span_to(p, ',')));
	pr->key = (struct fo_span){ p, n };
	v = &p[n + 1];
	pr->val.s = v;

	if (v[0] == '[') {
		unsigned int depth = 0;
		size_t i = 0;

		pr->bracketed = true;
		for (;;) {
			if (v[i] == '\0')
				return fo_fail(e, -EINVAL,
					"unclosed '[' in value '%s' for key '%s'",
					fo_quote(q1, (struct fo_span){ v, i }),
					fo_quote(q2, pr->key));
			if (v[i] == '[') {
				depth++;
			} else if (v[i] == ']') {
				depth--;
				if (depth == 0) {
					i++;
					break;
				}
			}
			i++;
		}
		if (v[i] != '\0' && v[i] != ',') {
			size_t j = i;

			while (v[j] != '\0' && v[j] != ',')
				j++;
			return fo_fail(e, -EINVAL,
				"unexpected text after ']' in value '%s' for key '%s'",
				fo_quote(q1, (struct fo_span){ v, j }),
				fo_quote(q2, pr->key));
		}
		pr->val.n = i;
	} else {
		size_t i;

		for (i = 0; v[i] != '\0' && v[i] != ','; i++) {
			if (v[i] == ']')
				return fo_fail(e, -EINVAL,
					"stray ']' in value '%s' for key '%s'",
					fo_quote(q1, fo_span_to(v, ',')),
					fo_quote(q2, pr->key));
			if (v[i] == '[')
				return fo_fail(e, -EINVAL,
					"unexpected '[' in value '%s' for key '%s' (brackets must enclose the whole value)",
					fo_quote(q1, fo_span_to(v, ',')),
					fo_quote(q2, pr->key));
		}
		pr->val.n = i;
	}
	pr->pair = (struct fo_span){ p, n + 1 + pr->val.n };
	return 0;
}

static int
fo_parse_subdev(const struct fo_err *e, const struct fo_pair *pr,
		struct failover_subdev_spec *spec)
{
	char q1[FO_QUOTE_BUF];
	char q2[FO_QUOTE_BUF];
	struct fo_span name = pr->val;
	struct fo_span args = { .s = "", .n = 0 };
	size_t i;

	if (pr->bracketed) {
		struct fo_span inner = { pr->val.s + 1, pr->val.n - 2 };
		const char *comma;

		if (inner.n == 0)
			return fo_fail(e, -EINVAL,
				"empty brackets '[]' for key '%s'",
				fo_quote(q1, pr->key));
		name = inner;
		comma = memchr(inner.s, ',', inner.n);
		if (comma != NULL) {
			name.n = (size_t)(comma - inner.s);
			args.s = comma + 1;
			args.n = inner.n - name.n - 1;
		}
		if (name.n == 0)
			return fo_fail(e, -EINVAL,
				"empty device name in '%s' for key '%s'",
				fo_quote(q1, pr->val), fo_quote(q2, pr->key));
		if (comma != NULL && args.n == 0)
			return fo_fail(e, -EINVAL,
				"empty device arguments after ',' in '%s' for key '%s'",
				fo_quote(q1, pr->val), fo_quote(q2, pr->key));
	}
	for (i = 0; i < name.n; i++) {
		unsigned char c = (unsigned char)name.s[i];

		if (!fo_name_char_ok((char)c))
			return fo_fail(e, -EINVAL,
				"bad character 0x%02x in device name '%s' for key '%s' (allowed: A-Z a-z 0-9 _ . : -)",
				c, fo_quote(q1, name), fo_quote(q2, pr->key));
	}
	if (name.n >= FAILOVER_DEV_NAME_MAX)
		return fo_fail(e, -E2BIG,
			"device name '%s' for key '%s' too long (%zu characters, at most %d)",
			fo_quote(q1, name), fo_quote(q2, pr->key), name.n,
			FAILOVER_DEV_NAME_MAX - 1);
	if (args.n >= FAILOVER_DEV_ARGS_MAX)
		return fo_fail(e, -E2BIG,
			"device arguments '%s' for key '%s' too long (%zu characters, at most %d)",
			fo_quote(q1, args), fo_quote(q2, pr->key), args.n,
			FAILOVER_DEV_ARGS_MAX - 1);
	memcpy(spec->name, name.s, name.n);
	spec->name[name.n] = '\0';
	memcpy(spec->args, args.s, args.n);
	spec->args[args.n] = '\0';
	spec->is_pci = failover_args_is_pci(spec->name);
	return 0;
}

static int
fo_parse_mac(const struct fo_err *e, const struct fo_pair *pr,
		uint8_t mac[6])
{
	char q1[FO_QUOTE_BUF];
	const char *s = pr->val.s;
	unsigned int i;

	if (pr->val.n != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		int hi = fo_hex_val(s[3 * i]);
		int lo = fo_hex_val(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	if (mac[0] & 0x01)
		return fo_fail(e, -EINVAL,
			"multicast MAC address '%s' for key '" FAILOVER_ARG_MAC "': a port needs a unicast address",
			fo_quote(q1, pr->val));
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0)
		return fo_fail(e, -EINVAL,
			"all-zero MAC address '%s' for key '" FAILOVER_ARG_MAC "'",
			fo_quote(q1, pr->val));
	return 0;
bad:
	return fo_fail(e, -EINVAL,
		"bad MAC address '%s' for key '" FAILOVER_ARG_MAC "' (expected xx:xx:xx:xx:xx:xx)",
		fo_quote(q1, pr->val));
}

static int
fo_parse_ms(const struct fo_err *e, const struct fo_pair *pr,
		uint32_t min, uint32_t max, uint32_t *out)
{
	char q1[FO_QUOTE_BUF];
	char q2[FO_QUOTE_BUF];
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < pr->val.n; i++) {
		char c = pr->val.s[i];

		if (c < '0' || c > '9')
			return fo_fail(e, -EINVAL,
				"bad number '%s' for key '%s' (decimal digits only)",
				fo_quote(q1, pr->val), fo_quote(q2, pr->key));
		/* Stop growing once out of range: no overflow on long input. */
		if (v <= max)
			v = v * 10 + (uint64_t)(c - '0');
	}
	if (v < min || v > max)
		return fo_fail(e, -EINVAL,
			"value '%s' for key '%s' out of range [%" PRIu32 ", %" PRIu32 "]",
			fo_quote(q1, pr->val), fo_quote(q2, pr->key), min, max);
	*out = (uint32_t)v;
	return 0;
}

static int
fo_parse_vf_match(const struct fo_err *e, const struct fo_pair *pr,
		enum failover_vf_match *out)
{
	char q1[FO_QUOTE_BUF];

	if (fo_span_eq(pr->val, "name")) {
		*out = FAILOVER_VF_MATCH_NAME;
		return 0;
	}
	if (fo_span_eq(pr->val, "mac")) {
		*out = FAILOVER_VF_MATCH_MAC;
		return 0;
	}
	return fo_fail(e, -EINVAL,
		"bad value '%s' for key '" FAILOVER_ARG_VF_MATCH "' (expected 'name' or 'mac')",
		fo_quote(q1, pr->val));
}

static int
fo_parse_value(const struct fo_err *e, enum fo_key key,
		const struct fo_pair *pr, struct failover_args *a)
{
	char q1[FO_QUOTE_BUF];
	char q2[FO_QUOTE_BUF];
	uint32_t flag;

	if (pr->bracketed && key != FO_KEY_SYNTHETIC && key != FO_KEY_VF)
		return fo_fail(e, -EINVAL,
			"key '%s' takes no bracketed value (in '%s')",
			fo_key_names[key], fo_quote(q1, pr->pair));

	switch (key) {
	case FO_KEY_SYNTHETIC:
		return fo_parse_subdev(e, pr, &a->synthetic);
	case FO_KEY_VF:
		a->has_vf = true;
		return fo_parse_subdev(e, pr, &a->vf);
	case FO_KEY_MAC:
		a->has_mac = true;
		return fo_parse_mac(e, pr, a->mac);
	case FO_KEY_VF_SETTLE_MS:
		return fo_parse_ms(e, pr, 0, FAILOVER_VF_SETTLE_MS_MAX,
			&a->vf_settle_ms);
	case FO_KEY_PROBE_INTERVAL_MS:
		return fo_parse_ms(e, pr, FAILOVER_PROBE_INTERVAL_MS_MIN,
			FAILOVER_PROBE_INTERVAL_MS_MAX, &a->probe_interval_ms);
	case FO_KEY_VF_MATCH:
		return fo_parse_vf_match(e, pr, &a->vf_match);
	case FO_KEY_LINK_POLL_MS:
		/* 0 turns the poll off; else at least the minimum. */
		if (fo_parse_ms(e, pr, 0, FAILOVER_LINK_POLL_MS_MAX,
				&a->link_poll_ms) < 0)
			return -EINVAL;
		if (a->link_poll_ms != 0 &&
		    a->link_poll_ms < FAILOVER_LINK_POLL_MS_MIN)
			return fo_fail(e, -EINVAL,
				"value '%s' for key '%s' out of range: 0 (off) or [%u, %u]",
				fo_quote(q1, pr->val), fo_quote(q2, pr->key),
				FAILOVER_LINK_POLL_MS_MIN,
				FAILOVER_LINK_POLL_MS_MAX);
		return 0;
	case FO_KEY_MP_DATA_PATH:
		if (fo_parse_ms(e, pr, 0, 1, &flag) < 0)
			return -EINVAL;
		a->mp_data_path = flag != 0;
		return 0;
	case FO_KEY_NB:
		break;
	}
	return fo_fail(e, -EINVAL, "internal error on key '%s' (in '%s')",
		fo_quote(q1, pr->key), fo_quote(q2, pr->pair));
}

static void
fo_defaults(struct failover_args *a)
{
	memset(a, 0, sizeof(*a));
	a->vf_settle_ms = FAILOVER_VF_SETTLE_MS_DEFAULT;
	a->probe_interval_ms = FAILOVER_PROBE_INTERVAL_MS_DEFAULT;
	a->link_poll_ms = FAILOVER_LINK_POLL_MS_DEFAULT;
	a->vf_match = FAILOVER_VF_MATCH_NAME;
}

int
failover_args_parse(const char *params, struct failover_args *out,
		char *err, size_t err_len)
{
	const struct fo_err e = { .buf = err, .len = err_len };
	char q1[FO_QUOTE_BUF];
	char q2[FO_QUOTE_BUF];
	struct failover_args a;
	bool seen[FO_KEY_NB] = { false };
	const char *p;
	size_t len;
	int ret;

	if (err != NULL && err_len > 0)
		err[0] = '\0';
	if (out == NULL)
		return fo_fail(&e, -EINVAL, "no output structure given");
	fo_defaults(out);
	/* Parse into a copy so that *out keeps the defaults on failure. */
	fo_defaults(&a);

	if (params == NULL || params[0] == '\0')
		return fo_fail(&e, -EINVAL,
			"missing mandatory key '" FAILOVER_ARG_SYNTHETIC "'");
	len = strnlen(params, FAILOVER_PARAMS_MAX + 1);
	if (len > FAILOVER_PARAMS_MAX)
		return fo_fail(&e, -E2BIG,
			"parameter string longer than %d characters (starts with '%s')",
			FAILOVER_PARAMS_MAX,
			fo_quote(q1, (struct fo_span){ params, FO_QUOTE_MAX }));

	p = params;
	for (;;) {
		struct fo_pair pr;
		enum fo_key key;

		ret = fo_lex_pair(&e, p, (size_t)(p - params), &pr);
		if (ret != 0)
			return ret;
		for (key = 0; key < FO_KEY_NB; key++)
			if (fo_span_eq(pr.key, fo_key_names[key]))
				break;
		if (key == FO_KEY_NB)
			return fo_fail(&e, -EINVAL, "unknown key '%s' (in '%s')",
				fo_quote(q1, pr.key), fo_quote(q2, pr.pair));
		if (seen[key])
			return fo_fail(&e, -EINVAL,
				"duplicate key '%s' (in '%s')",
				fo_key_names[key], fo_quote(q1, pr.pair));
		seen[key] = true;
		if (pr.val.n == 0)
			return fo_fail(&e, -EINVAL,
				"empty value for key '%s' (in '%s')",
				fo_key_names[key], fo_quote(q1, pr.pair));
		ret = fo_parse_value(&e, key, &pr, &a);
		if (ret != 0)
			return ret;
		p = pr.pair.s + pr.pair.n;
		if (*p == '\0')
			break;
		/* Skip the ',' that ended the pair. */
		p++;
	}

	if (!seen[FO_KEY_SYNTHETIC])
		return fo_fail(&e, -EINVAL,
			"missing mandatory key '" FAILOVER_ARG_SYNTHETIC "'");
	if (a.has_vf && fo_same_device(&a.synthetic, &a.vf))
		return fo_fail(&e, -EINVAL,
			"keys '" FAILOVER_ARG_SYNTHETIC "' and '" FAILOVER_ARG_VF "' name the same device ('%s' and '%s')",
			a.synthetic.name, a.vf.name);
	*out = a;
	return 0;
}

int
failover_subdev_devargs(const struct failover_subdev_spec *spec,
		char *buf, size_t len)
{
	size_t nn;
	size_t na;
	size_t total;

	if (spec == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	nn = strnlen(spec->name, sizeof(spec->name));
	na = strnlen(spec->args, sizeof(spec->args));
	/* A spec filled by hand may lack its NUL: never read past the field. */
	if (nn == sizeof(spec->name) || na == sizeof(spec->args))
		return -EINVAL;
	total = nn + (na > 0 ? 1 + na : 0);
	if (total >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -E2BIG;
	}
	memcpy(buf, spec->name, nn);
	if (na > 0) {
		buf[nn] = ',';
		memcpy(&buf[nn + 1], spec->args, na);
	}
	buf[total] = '\0';
	return (int)total;
}
