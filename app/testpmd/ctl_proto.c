/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Control protocol, guest side, without I/O (see ctl_proto.h). */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"

#define CTL_DIM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *word;
	enum ctl_cmd_type type;
	bool has_arg;		/* exactly one argument, else none */
	bool arg_is_rest;	/* the argument is the rest of the line */
} ctl_words[] = {
	{ "VF_ADD", CTL_CMD_VF_ADD, true, true },
	{ "VF_REMOVE", CTL_CMD_VF_REMOVE, true, false },
	{ "VF_YANK", CTL_CMD_VF_YANK, true, false },
	{ "PING", CTL_CMD_PING, false, false },
};

static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
ctl_parse_line(const char *line, struct ctl_cmd *cmd)
{
	const char *p = line, *w, *end;
	size_t wlen, alen;
	unsigned int i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->type = CTL_CMD_INVALID;
	while (is_blank(*p))
		p++;
	if (*p == '\0')
		return -ENODATA;

	w = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	wlen = (size_t)(p - w);
	if (wlen >= sizeof(cmd->word)) {
		/* Still answered: the reply names the word, cut. */
		wlen = sizeof(cmd->word) - 1;
		cmd->error = "unknown command";
	}
	memcpy(cmd->word, w, wlen);
	cmd->word[wlen] = '\0';
	if (cmd->error != NULL)
		return 0;

	while (is_blank(*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_blank(end[-1]))
		end--;
	alen = (size_t)(end - p);

	for (i = 0; i < sizeof(ctl_words) / sizeof(ctl_words[0]); i++) {
		if (strcmp(cmd->word, ctl_words[i].word) != 0)
			continue;
		if (!ctl_words[i].has_arg) {
			if (alen != 0) {
				cmd->error = "unexpected argument";
				return 0;
			}
		} else if (alen == 0) {
			cmd->error = "missing argument";
			return 0;
		} else if (!ctl_words[i].arg_is_rest &&
			   memchr(p, ' ', alen) != NULL) {
			cmd->error = "one argument expected";
			return 0;
		}
		memcpy(cmd->arg, p, alen);
		cmd->arg[alen] = '\0';
		cmd->type = ctl_words[i].type;
		return 0;
	}
	cmd->error = "unknown command";
	return 0;
}

static int
fit(int n, size_t size)
{
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

int
ctl_format_ok(char *buf, size_t size, const char *word)
{
	return fit(snprintf(buf, size, "OK %s\n", word), size);
}

int
ctl_format_err(char *buf, size_t size, const char *word, const char *reason)
{
	size_t head, room, i;
	int n;

	n = snprintf(buf, size, "ERR %s ", word);
	if (fit(n, size) < 0)
		return -ENOSPC;
	head = (size_t)n;
	/* Room for the reason: within the buffer and the protocol's line,
	 * keeping one byte for '\n' (and one for the NUL in the buffer). */
	room = (size < CTL_LINE_MAX + 1 ? size : CTL_LINE_MAX + 1) - head;
	if (room < 2)
		return -ENOSPC;
	for (i = 0; reason[i] != '\0' && i < room - 2; i++) {
		char c = reason[i];

		buf[head + i] = (c == '\n' || c == '\r') ? ' ' : c;
	}
	buf[head + i] = '\n';
	buf[head + i + 1] = '\0';
	return (int)(head + i + 1);
}

int
ctl_format_hello(char *buf, size_t size, uint16_t port, const char *mac)
{
	return fit(snprintf(buf, size, "HELLO %u %s\n", port, mac), size);
}

void
ctl_lines_init(struct ctl_lines *l)
{
	l->len = 0;
	l->flags = 0;
}

static inline bool
is_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

void
ctl_lines_feed(struct ctl_lines *l, const char *data, size_t n,
		ctl_line_cb *cb, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = data[i];

		if (c != '\n') {
			if (!is_text((unsigned char)c)) {
				/* A NUL would end the line early and hide
				 * the rest: shown, and refused, as '?'. */
				l->flags |= CTL_LINE_BAD_BYTE;
				c = '?';
			}
			/* Keep one byte for the NUL. */
			if (l->len < sizeof(l->buf) - 1)
				l->buf[l->len++] = c;
			else
				l->flags |= CTL_LINE_LONG;
			continue;
		}
		if (l->len > 0 && l->buf[l->len - 1] == '\r')
			l->len--;
		l->buf[l->len] = '\0';
		cb(l->buf, l->flags, arg);
		l->len = 0;
		l->flags = 0;
	}
}

/* ----------------------------------------------------------------------
 * What the host may ask for
 * ---------------------------------------------------------------------- */

static void __attribute__((format(printf, 3, 4)))
say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

int
ctl_parse_allow(const char *list, unsigned int *allow, char *why, size_t len)
{
	char buf[64], *tok, *save = NULL;

	*allow = 0;
	if (strlen(list) >= sizeof(buf) || list[0] == '\0') {
		say(why, len, "%s: expected virtio-user, pci or any", list);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "virtio-user") == 0)
			*allow |= CTL_ALLOW_VIRTIO_USER;
		else if (strcmp(tok, "pci") == 0)
			*allow |= CTL_ALLOW_PCI;
		else if (strcmp(tok, "any") == 0)
			*allow |= CTL_ALLOW_ANY;
		else {
			say(why, len, "%s: unknown kind '%s' (virtio-user, "
				"pci, any)", list, tok);
			return -EINVAL;
		}
	}
	if (*allow == 0) {
		say(why, len, "%s: expected virtio-user, pci or any", list);
		return -EINVAL;
	}
	return 0;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		(c >= 'A' && c <= 'F');
}

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

bool
ctl_mac_valid(const char *s)
{
	unsigned int i;
	bool zero = true;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		} else if (s[i] != '0') {
			zero = false;
		}
	}
	/* Group bit of the first byte: a VF's address is unicast. */
	return !zero && (hex_val(s[1]) & 1) == 0;
}

/* [0000:]bb:dd.f, hexadecimal, function 0-7. */
static bool
is_pci_addr(const char *s)
{
	static const char dbdf[] = "hhhh:hh:hh.f";
	const char *form = strlen(s) == 12 ? dbdf : dbdf + 5;
	size_t i;

	if (strlen(s) != strlen(form))
		return false;
	for (i = 0; form[i] != '\0'; i++) {
		if (form[i] == 'h' ? !is_hex(s[i]) :
		    form[i] == 'f' ? (s[i] < '0' || s[i] > '7') :
		    s[i] != form[i])
			return false;
	}
	return true;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
		c == ':';
}

int
ctl_check_dev_name(const char *name, char *why, size_t len)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= CTL_DEV_NAME_MAX) {
		say(why, len, "device name of %zu characters: 1 to 63 expected",
			n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!is_name_char(name[i])) {
			say(why, len, "device name '%s': only letters, digits "
				"and _-.: allowed", name);
			return -EINVAL;
		}
	}
	return 0;
}

/* An unsigned decimal from @p min to @p max, nothing else. */
static bool
is_uint_in(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v = 0;
	size_t i;

	if (s[0] == '\0' || strlen(s) > 9)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= min && v <= max;
}

/* A socket of the control directory: DIR/<plain name>, not ctl.sock. */
static int
check_sock_path(const struct ctl_policy *pol, const char *path, char *why,
		size_t len)
{
	size_t dlen = strlen(pol->dir), i;
	const char *base = path + dlen + 1;

	if (strncmp(path, pol->dir, dlen) != 0 || path[dlen] != '/') {
		say(why, len, "path=%s: not in the control directory %s",
			path, pol->dir);
		return -EPERM;
	}
	if (base[0] == '\0' || base[0] == '.' || strlen(base) > 63) {
		say(why, len, "path=%s: expected a file name of 1 to 63 "
			"characters, not starting with '.'", path);
		return -EINVAL;
	}
	for (i = 0; base[i] != '\0'; i++) {
		if (!is_name_char(base[i]) || base[i] == ':') {
			say(why, len, "path=%s: only letters, digits and _-. "
				"in the file name", path);
			return -EINVAL;
		}
	}
	if (strcmp(base, pol->ctl_name) == 0) {
		say(why, len, "path=%s: the control socket itself", path);
		return -EPERM;
	}
	return 0;
}

/* Keys of a virtio-user VF and what their values may be. */
enum vu_val { VU_PATH, VU_ONE, VU_BOOL, VU_QUEUES, VU_QSIZE, VU_MAC };

static const struct {
	const char *key;
	enum vu_val val;
} vu_keys[] = {
	{ "path", VU_PATH },
	{ "server", VU_ONE },
	{ "queues", VU_QUEUES },
	{ "queue_size", VU_QSIZE },
	{ "mac", VU_MAC },
	{ "packed_vq", VU_BOOL },
	{ "in_order", VU_BOOL },
	{ "mrg_rxbuf", VU_BOOL },
};
/* Positions in vu_keys[] of the keys that must be there. */
#define VU_KEY_PATH		0
#define VU_KEY_SERVER		1

static int
check_virtio_user(const struct ctl_policy *pol, char *args, char *why,
		size_t len)
{
	char *kv, *save = NULL, *val;
	unsigned int seen = 0, i;
	bool ok;
	int ret;

	for (kv = strtok_r(args, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		val = strchr(kv, '=');
		if (val == NULL) {
			say(why, len, "'%s': key=value expected", kv);
			return -EINVAL;
		}
		*val++ = '\0';
		for (i = 0; i < CTL_DIM(vu_keys); i++)
			if (strcmp(kv, vu_keys[i].key) == 0)
				break;
		if (i == CTL_DIM(vu_keys)) {
			say(why, len, "key '%s' not allowed (path, server, "
				"queues, queue_size, mac, packed_vq, in_order, "
				"mrg_rxbuf)", kv);
			return -EPERM;
		}
		if (seen & (1u << i)) {
			say(why, len, "key '%s' given twice", kv);
			return -EINVAL;
		}
		seen |= 1u << i;
		switch (vu_keys[i].val) {
		case VU_PATH:
			ret = check_sock_path(pol, val, why, len);
			if (ret < 0)
				return ret;
			continue;
		case VU_ONE:
			ok = strcmp(val, "1") == 0;
			break;
		case VU_BOOL:
			ok = strcmp(val, "0") == 0 || strcmp(val, "1") == 0;
			break;
		case VU_QUEUES:
			ok = is_uint_in(val, 1, 16);
			break;
		case VU_QSIZE:
			ok = is_uint_in(val, 16, 4096);
			break;
		case VU_MAC:
			ok = ctl_mac_valid(val);
			break;
		default:
			ok = false;
		}
		if (!ok) {
			say(why, len, "%s=%s: invalid value", kv, val);
			return -EINVAL;
		}
	}
	if (!(seen & (1u << VU_KEY_PATH))) {
		say(why, len, "path= missing");
		return -EINVAL;
	}
	if (!(seen & (1u << VU_KEY_SERVER))) {
		/* A client's probe waits for its server without bound. */
		say(why, len, "server=1 missing: only a virtio-user server's "
			"probe can be abandoned");
		return -EPERM;
	}
	return 0;
}

int
ctl_check_vf_add(const struct ctl_policy *pol, const char *devargs,
		char *why, size_t len)
{
	char buf[CTL_LINE_MAX], *args;
	const char *num;
	size_t i;

	if (pol->allow & CTL_ALLOW_ANY)
		return 0;
	snprintf(buf, sizeof(buf), "%s", devargs);
	args = strchr(buf, ',');
	if (args != NULL)
		*args++ = '\0';
	if (is_pci_addr(buf)) {
		if (!(pol->allow & CTL_ALLOW_PCI)) {
			say(why, len, "'%s': PCI devices not allowed "
				"(--ctl-allow pci)", buf);
			return -EPERM;
		}
		if (args != NULL) {
			say(why, len, "'%s': no arguments allowed for a PCI "
				"device", buf);
			return -EPERM;
		}
		return 0;
	}
	if (strncmp(buf, "net_virtio_user", 15) != 0 ||
	    !(pol->allow & CTL_ALLOW_VIRTIO_USER)) {
		say(why, len, "device '%s' not allowed (allowed: %s)", buf,
			(pol->allow & CTL_ALLOW_VIRTIO_USER) ?
			((pol->allow & CTL_ALLOW_PCI) ?
			 "net_virtio_user<N>, PCI address" :
			 "net_virtio_user<N>") : "PCI address");
		return -EPERM;
	}
	num = buf + 15;
	for (i = 0; num[i] != '\0'; i++)
		if (num[i] < '0' || num[i] > '9')
			break;
	if (i == 0 || i > 4 || num[i] != '\0') {
		say(why, len, "device '%s': net_virtio_user<N> expected",
			buf);
		return -EINVAL;
	}
	if (args == NULL) {
		say(why, len, "'%s': path= and server=1 missing", buf);
		return -EINVAL;
	}
	return check_virtio_user(pol, args, why, len);
}
