/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Unit tests of the devargs grammar (lib/failover_args.c), no EAL.
 *
 * Every rejection is checked for its return code and for a message that
 * quotes both the key and the value at fault, since that message is all a
 * user sees when --vdev is refused.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failover_args.h"

#define ERR_LEN	256

static char err_buf[ERR_LEN];

static int
parse(const char *params, struct failover_args *a)
{
	memset(err_buf, 0x5a, sizeof(err_buf));
	return failover_args_parse(params, a, err_buf, sizeof(err_buf));
}

/* Parse, expect success and an empty message. */
static void
must_accept(const char *params, struct failover_args *a)
{
	int ret = parse(params, a);

	if (ret != 0)
		fail_msg("'%s' rejected (%d): %s", params, ret, err_buf);
	assert_string_equal(err_buf, "");
}

static void
assert_msg_has(const char *needle)
{
	if (strstr(err_buf, needle) == NULL)
		fail_msg("message \"%s\" does not contain \"%s\"", err_buf,
			needle);
}

/*
 * Parse, expect the given error, a one-line message naming every needle
 * (NULL needles skipped), and *out left with the defaults.
 */
static void
must_reject(const char *params, int expected, const char *n1, const char *n2)
{
	struct failover_args a;
	int ret;

	ret = parse(params, &a);
	if (ret != expected)
		fail_msg("'%s': got %d, expected %d (message: %s)",
			params != NULL ? params : "(null)", ret, expected,
			ret != 0 ? err_buf : "");
	assert_true(memchr(err_buf, '\0', sizeof(err_buf)) != NULL);
	assert_true(strlen(err_buf) > 0);
	assert_null(strchr(err_buf, '\n'));
	if (n1 != NULL)
		assert_msg_has(n1);
	if (n2 != NULL)
		assert_msg_has(n2);
	assert_false(a.has_vf);
	assert_false(a.has_mac);
	assert_string_equal(a.synthetic.name, "");
	assert_int_equal(a.vf_settle_ms, FAILOVER_VF_SETTLE_MS_DEFAULT);
	assert_int_equal(a.probe_interval_ms,
		FAILOVER_PROBE_INTERVAL_MS_DEFAULT);
	assert_int_equal(a.vf_match, FAILOVER_VF_MATCH_NAME);
}

/* A string of n copies of c, from a static pool (one at a time). */
static const char *
repeat(char c, size_t n)
{
	static char buf[FAILOVER_PARAMS_MAX + 64];

	assert_true(n < sizeof(buf));
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* ---- accepted forms ---- */

static void
test_defaults_when_absent(void **state)
{
	struct failover_args a;

	(void)state;
	memset(&a, 0xff, sizeof(a));
	must_accept("synthetic=net_null0", &a);
	assert_false(a.has_vf);
	assert_false(a.has_mac);
	assert_int_equal(a.vf_settle_ms, 100);
	assert_int_equal(a.probe_interval_ms, 1000);
	assert_int_equal(a.vf_match, FAILOVER_VF_MATCH_NAME);
}

static void
test_plain_vdev_names(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf=net_null1", &a);
	assert_string_equal(a.synthetic.name, "net_null0");
	assert_string_equal(a.synthetic.args, "");
	assert_false(a.synthetic.is_pci);
	assert_true(a.has_vf);
	assert_string_equal(a.vf.name, "net_null1");
	assert_string_equal(a.vf.args, "");
	assert_false(a.vf.is_pci);
}

static void
test_name_allowed_charset(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=Net-tap_0.a:B9", &a);
	assert_string_equal(a.synthetic.name, "Net-tap_0.a:B9");
	assert_false(a.synthetic.is_pci);
}

static void
test_pci_long(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_virtio_user0,vf=0000:03:00.1", &a);
	assert_string_equal(a.vf.name, "0000:03:00.1");
	assert_true(a.vf.is_pci);
	assert_false(a.synthetic.is_pci);
}

static void
test_pci_short(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=00:04.0,vf=03:00.1", &a);
	assert_string_equal(a.synthetic.name, "00:04.0");
	assert_true(a.synthetic.is_pci);
	assert_string_equal(a.vf.name, "03:00.1");
	assert_true(a.vf.is_pci);
}

static void
test_pci_upper_case(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf=00AB:0C:1F.7", &a);
	assert_string_equal(a.vf.name, "00AB:0C:1F.7");
	assert_true(a.vf.is_pci);
}

static void
test_bracket_args(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf=[net_null1,size=64]", &a);
	assert_string_equal(a.vf.name, "net_null1");
	assert_string_equal(a.vf.args, "size=64");
}

static void
test_bracket_args_with_commas(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=[net_virtio_user0,path=/tmp/s.sock,queues=2],vf=net_null1",
		&a);
	assert_string_equal(a.synthetic.name, "net_virtio_user0");
	assert_string_equal(a.synthetic.args, "path=/tmp/s.sock,queues=2");
	assert_string_equal(a.vf.name, "net_null1");
}

static void
test_bracket_args_with_equals_and_colons(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("vf=[net_ring0,nodeaction=r0:0:CREATE],synthetic=net_null0", &a);
	assert_string_equal(a.vf.name, "net_ring0");
	assert_string_equal(a.vf.args, "nodeaction=r0:0:CREATE");
	assert_string_equal(a.synthetic.name, "net_null0");
}

static void
test_bracket_nested(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=[net_x0,a=[b,c=[d,e]],f=1],vf=[net_y0,[]]", &a);
	assert_string_equal(a.synthetic.name, "net_x0");
	assert_string_equal(a.synthetic.args, "a=[b,c=[d,e]],f=1");
	assert_string_equal(a.vf.name, "net_y0");
	assert_string_equal(a.vf.args, "[]");
}

static void
test_bracket_name_only(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=[net_null0]", &a);
	assert_string_equal(a.synthetic.name, "net_null0");
	assert_string_equal(a.synthetic.args, "");
}

static void
test_bracket_pci_with_args(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf=[0000:03:00.1,representor=[0-3]]", &a);
	assert_string_equal(a.vf.name, "0000:03:00.1");
	assert_string_equal(a.vf.args, "representor=[0-3]");
	assert_true(a.vf.is_pci);
}

static void
test_mac_given(void **state)
{
	static const uint8_t want[6] = { 0x02, 0xab, 0xcd, 0xef, 0x00, 0x9f };
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,mac=02:aB:Cd:EF:00:9f", &a);
	assert_true(a.has_mac);
	assert_memory_equal(a.mac, want, sizeof(want));
}

static void
test_vf_settle_ms_values(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf_settle_ms=0", &a);
	assert_int_equal(a.vf_settle_ms, 0);
	must_accept("synthetic=net_null0,vf_settle_ms=250", &a);
	assert_int_equal(a.vf_settle_ms, 250);
	must_accept("synthetic=net_null0,vf_settle_ms=60000", &a);
	assert_int_equal(a.vf_settle_ms, FAILOVER_VF_SETTLE_MS_MAX);
}

static void
test_probe_interval_ms_values(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,probe_interval_ms=10", &a);
	assert_int_equal(a.probe_interval_ms, FAILOVER_PROBE_INTERVAL_MS_MIN);
	must_accept("synthetic=net_null0,probe_interval_ms=2500", &a);
	assert_int_equal(a.probe_interval_ms, 2500);
	must_accept("synthetic=net_null0,probe_interval_ms=3600000", &a);
	assert_int_equal(a.probe_interval_ms, FAILOVER_PROBE_INTERVAL_MS_MAX);
}

static void
test_link_poll_ms_values(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0", &a);
	assert_int_equal(a.link_poll_ms, FAILOVER_LINK_POLL_MS_DEFAULT);
	must_accept("synthetic=net_null0,link_poll_ms=0", &a);
	assert_int_equal(a.link_poll_ms, 0);
	must_accept("synthetic=net_null0,link_poll_ms=00", &a);
	assert_int_equal(a.link_poll_ms, 0);
	must_accept("synthetic=net_null0,link_poll_ms=10", &a);
	assert_int_equal(a.link_poll_ms, FAILOVER_LINK_POLL_MS_MIN);
	must_accept("synthetic=net_null0,link_poll_ms=60000", &a);
	assert_int_equal(a.link_poll_ms, FAILOVER_LINK_POLL_MS_MAX);
	must_reject("synthetic=net_null0,link_poll_ms=9", -EINVAL,
		"out of range", "'9' for key 'link_poll_ms'");
	must_reject("synthetic=net_null0,link_poll_ms=60001", -EINVAL,
		"out of range", "'60001' for key 'link_poll_ms'");
	must_reject("synthetic=net_null0,link_poll_ms=1e3", -EINVAL,
		"bad number", "'link_poll_ms'");
	must_reject("synthetic=net_null0,link_poll_ms=", -EINVAL,
		"link_poll_ms", "");
}

static void
test_mp_data_path_values(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0", &a);
	assert_false(a.mp_data_path);
	must_accept("synthetic=net_null0,mp_data_path=0", &a);
	assert_false(a.mp_data_path);
	must_accept("synthetic=net_null0,mp_data_path=1", &a);
	assert_true(a.mp_data_path);
	must_reject("synthetic=net_null0,mp_data_path=2", -EINVAL,
		"out of range", "'2' for key 'mp_data_path'");
	must_reject("synthetic=net_null0,mp_data_path=yes", -EINVAL,
		"bad number", "'mp_data_path'");
}

static void
test_number_leading_zeros_are_decimal(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf_settle_ms=0010", &a);
	assert_int_equal(a.vf_settle_ms, 10);
}

static void
test_vf_match_name(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf=net_null1,vf_match=name", &a);
	assert_int_equal(a.vf_match, FAILOVER_VF_MATCH_NAME);
}

static void
test_vf_match_mac_without_vf(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=net_null0,vf_match=mac", &a);
	assert_int_equal(a.vf_match, FAILOVER_VF_MATCH_MAC);
	assert_false(a.has_vf);
}

static void
test_all_keys_any_order(void **state)
{
	static const uint8_t want[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct failover_args a;
	struct failover_args b;

	(void)state;
	must_accept("synthetic=[net_null0,size=64],vf=03:00.1,mac=02:00:00:00:00:01,"
		"vf_settle_ms=5,probe_interval_ms=20,vf_match=mac", &a);
	must_accept("vf_match=mac,probe_interval_ms=20,vf_settle_ms=5,"
		"mac=02:00:00:00:00:01,vf=03:00.1,synthetic=[net_null0,size=64]",
		&b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_string_equal(a.synthetic.name, "net_null0");
	assert_string_equal(a.synthetic.args, "size=64");
	assert_true(a.has_vf);
	assert_string_equal(a.vf.name, "03:00.1");
	assert_true(a.vf.is_pci);
	assert_true(a.has_mac);
	assert_memory_equal(a.mac, want, sizeof(want));
	assert_int_equal(a.vf_settle_ms, 5);
	assert_int_equal(a.probe_interval_ms, 20);
	assert_int_equal(a.vf_match, FAILOVER_VF_MATCH_MAC);
}

static void
test_different_pci_domains_accepted(void **state)
{
	struct failover_args a;

	(void)state;
	must_accept("synthetic=03:00.1,vf=0001:03:00.1", &a);
	assert_true(a.synthetic.is_pci);
	assert_true(a.vf.is_pci);
}

static void
test_name_length_limit_accepted(void **state)
{
	char params[FAILOVER_DEV_NAME_MAX + 32];
	struct failover_args a;

	(void)state;
	snprintf(params, sizeof(params), "synthetic=%s",
		repeat('n', FAILOVER_DEV_NAME_MAX - 1));
	must_accept(params, &a);
	assert_int_equal(strlen(a.synthetic.name), FAILOVER_DEV_NAME_MAX - 1);
}

static void
test_args_length_limit_accepted(void **state)
{
	char params[FAILOVER_DEV_ARGS_MAX + 64];
	struct failover_args a;

	(void)state;
	snprintf(params, sizeof(params), "synthetic=[net_null0,%s]",
		repeat('a', FAILOVER_DEV_ARGS_MAX - 1));
	must_accept(params, &a);
	assert_int_equal(strlen(a.synthetic.args), FAILOVER_DEV_ARGS_MAX - 1);
}

/* ---- rejections ---- */

static void
test_reject_unknown_key(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,foo=1", -EINVAL, "unknown key 'foo'",
		"'foo=1'");
	/* Keys are exact and case-sensitive. */
	must_reject("Synthetic=net_null0", -EINVAL, "'Synthetic'", "net_null0");
	must_reject("synthetic=net_null0,vf =net_null1", -EINVAL, "'vf '",
		"net_null1");
}

static void
test_reject_missing_synthetic(void **state)
{
	(void)state;
	must_reject("vf=net_null1", -EINVAL, "missing", "'synthetic'");
	must_reject("vf_match=mac,mac=02:00:00:00:00:01", -EINVAL, "missing",
		"'synthetic'");
}

static void
test_reject_null_and_empty(void **state)
{
	(void)state;
	must_reject(NULL, -EINVAL, "missing", "'synthetic'");
	must_reject("", -EINVAL, "missing", "'synthetic'");
}

static void
test_reject_empty_value(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=", -EINVAL, "empty value", "'vf'");
	must_reject("synthetic=,vf=net_null1", -EINVAL, "empty value",
		"'synthetic'");
	must_reject("synthetic=net_null0,vf_settle_ms=", -EINVAL, "empty value",
		"'vf_settle_ms'");
	must_reject("synthetic=net_null0,mac=,vf=net_null1", -EINVAL, "empty value",
		"'mac'");
}

static void
test_reject_pair_without_equal(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf", -EINVAL, "missing '='", "'vf'");
	must_reject("net_null0", -EINVAL, "missing '='", "'net_null0'");
}

static void
test_reject_empty_key(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,=net_null1", -EINVAL, "empty key",
		"'=net_null1'");
}

static void
test_reject_empty_pair(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,,vf=net_null1", -EINVAL, "empty parameter",
		"offset 20");
	must_reject("synthetic=net_null0,", -EINVAL, "empty parameter", "offset 20");
	must_reject(",synthetic=net_null0", -EINVAL, "empty parameter", "offset 0");
}

static void
test_reject_duplicate_key(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=net_null1,vf=net_null2", -EINVAL,
		"duplicate key 'vf'", "'vf=net_null2'");
	must_reject("synthetic=net_null0,vf_settle_ms=1,vf_settle_ms=1", -EINVAL,
		"duplicate key 'vf_settle_ms'", "'vf_settle_ms=1'");
}

static void
test_reject_unclosed_bracket(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=[net_null1,size=64", -EINVAL,
		"unclosed '['", "'[net_null1,size=64' for key 'vf'");
	must_reject("synthetic=net_null0,vf=[net_null1,a=[b]", -EINVAL,
		"unclosed '['", "'[net_null1,a=[b]' for key 'vf'");
}

static void
test_reject_stray_closing_bracket(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=net_null1]", -EINVAL, "stray ']'",
		"'net_null1]' for key 'vf'");
	must_reject("synthetic=net_null0],vf=net_null1", -EINVAL, "stray ']'",
		"'net_null0]' for key 'synthetic'");
}

static void
test_reject_text_after_bracket(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=[net_null1,size=64]x,mac=02:00:00:00:00:01",
		-EINVAL, "after ']'", "'[net_null1,size=64]x' for key 'vf'");
	must_reject("synthetic=[net_null0]]", -EINVAL, "after ']'",
		"'[net_null0]]' for key 'synthetic'");
}

static void
test_reject_bracket_inside_value(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=net[null1]", -EINVAL, "unexpected '['",
		"'net[null1]' for key 'vf'");
}

static void
test_reject_empty_brackets(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=[]", -EINVAL, "empty brackets",
		"'vf'");
}

static void
test_reject_empty_name_in_brackets(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=[,size=1]", -EINVAL,
		"empty device name", "'[,size=1]' for key 'vf'");
}

static void
test_reject_empty_args_in_brackets(void **state)
{
	(void)state;
	must_reject("synthetic=[net_null0,]", -EINVAL, "empty device arguments",
		"'[net_null0,]' for key 'synthetic'");
}

static void
test_reject_bad_name_chars(void **state)
{
	(void)state;
	must_reject("synthetic=net null0", -EINVAL, "'net null0'",
		"key 'synthetic'");
	must_reject("synthetic=net_null0,vf=net/null1", -EINVAL, "'net/null1'",
		"key 'vf'");
	must_reject("synthetic=net_null0,vf=[a=b,c]", -EINVAL, "'a=b'",
		"key 'vf'");
	/* A non-printable byte is reported without breaking the line. */
	must_reject("synthetic=net\tnull0", -EINVAL, "0x09", "'net?null0'");
}

static void
test_reject_name_too_long(void **state)
{
	char params[FAILOVER_DEV_NAME_MAX + 64];

	(void)state;
	snprintf(params, sizeof(params), "synthetic=net_null0,vf=%s",
		repeat('v', FAILOVER_DEV_NAME_MAX));
	must_reject(params, -E2BIG, "too long", "key 'vf'");
	assert_msg_has(repeat('v', 32));
	snprintf(params, sizeof(params), "synthetic=[%s,a=1]",
		repeat('s', FAILOVER_DEV_NAME_MAX));
	must_reject(params, -E2BIG, "too long", "key 'synthetic'");
	assert_msg_has(repeat('s', 32));
}

static void
test_reject_args_too_long(void **state)
{
	char params[FAILOVER_DEV_ARGS_MAX + 64];

	(void)state;
	snprintf(params, sizeof(params), "synthetic=net_null0,vf=[net_null1,%s]",
		repeat('a', FAILOVER_DEV_ARGS_MAX));
	must_reject(params, -E2BIG, "too long", "key 'vf'");
	assert_msg_has(repeat('a', 32));
}

static void
test_reject_params_too_long(void **state)
{
	char params[FAILOVER_PARAMS_MAX + 64];
	size_t fixed = strlen("synthetic=net_null0,foo=");

	(void)state;
	/* Exactly at the limit: the length passes, the unknown key fails. */
	snprintf(params, sizeof(params), "synthetic=net_null0,foo=%s",
		repeat('x', FAILOVER_PARAMS_MAX - fixed));
	assert_int_equal(strlen(params), FAILOVER_PARAMS_MAX);
	must_reject(params, -EINVAL, "unknown key 'foo'", NULL);
	snprintf(params, sizeof(params), "synthetic=net_null0,foo=%s",
		repeat('x', FAILOVER_PARAMS_MAX - fixed + 1));
	must_reject(params, -E2BIG, "longer than 2048", "synthetic=net_null0");
}

static void
test_reject_bad_mac(void **state)
{
	static const char *const bad[] = {
		"02:00:00:00:00",		/* five groups */
		"02:00:00:00:00:01:02",		/* seven groups */
		"02:00:00:00:00:0g",		/* not hex */
		"02-00-00-00-00-01",		/* wrong separator */
		"2:0:0:0:0:1",			/* one-digit groups */
		"020:00:00:00:00:1",		/* misplaced ':' */
		"02:00:00:00:00:01:",		/* trailing ':' */
		"0200.0000.0001",		/* Cisco style */
		"zz:zz:zz:zz:zz:zz",
	};
	char params[128];
	char quoted[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(params, sizeof(params), "synthetic=net_null0,mac=%s",
			bad[i]);
		snprintf(quoted, sizeof(quoted), "'%s'", bad[i]);
		must_reject(params, -EINVAL, "bad MAC address", quoted);
		assert_msg_has("key 'mac'");
	}
}

static void
test_reject_multicast_mac(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,mac=01:00:5e:00:00:01", -EINVAL,
		"multicast", "'01:00:5e:00:00:01' for key 'mac'");
	must_reject("synthetic=net_null0,mac=ff:ff:ff:ff:ff:ff", -EINVAL,
		"multicast", "'ff:ff:ff:ff:ff:ff' for key 'mac'");
	must_reject("synthetic=net_null0,mac=03:00:00:00:00:00", -EINVAL,
		"multicast", "'03:00:00:00:00:00' for key 'mac'");
}

static void
test_reject_zero_mac(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,mac=00:00:00:00:00:00", -EINVAL,
		"all-zero", "'00:00:00:00:00:00' for key 'mac'");
}

static void
test_reject_same_device_name(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf=net_null0", -EINVAL, "same device",
		"'net_null0'");
	assert_msg_has("'synthetic'");
	assert_msg_has("'vf'");
	/* Arguments do not make it another device. */
	must_reject("synthetic=[net_null0,size=1],vf=[net_null0,size=2]", -EINVAL,
		"same device", "'net_null0'");
}

static void
test_reject_same_device_pci(void **state)
{
	(void)state;
	must_reject("synthetic=0000:03:00.1,vf=03:00.1", -EINVAL, "same device",
		"'03:00.1'");
	assert_msg_has("'0000:03:00.1'");
	assert_msg_has("'vf'");
	must_reject("synthetic=0a:1B.2,vf=[0000:0A:1b.2,x=1]", -EINVAL,
		"same device", "'0000:0A:1b.2'");
	assert_msg_has("'0a:1B.2'");
}

static void
test_reject_bad_numbers(void **state)
{
	static const char *const bad[] = {
		"+5", "-5", "5ms", "0x10", " 5", "5 ", "1.5", "1e3",
	};
	char params[128];
	char quoted[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(params, sizeof(params),
			"synthetic=net_null0,vf_settle_ms=%s", bad[i]);
		snprintf(quoted, sizeof(quoted), "'%s'", bad[i]);
		must_reject(params, -EINVAL, "bad number", quoted);
		assert_msg_has("'vf_settle_ms'");
		snprintf(params, sizeof(params),
			"synthetic=net_null0,probe_interval_ms=%s", bad[i]);
		must_reject(params, -EINVAL, "bad number", quoted);
		assert_msg_has("'probe_interval_ms'");
	}
}

static void
test_reject_numbers_out_of_range(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf_settle_ms=60001", -EINVAL,
		"out of range", "'60001' for key 'vf_settle_ms'");
	must_reject("synthetic=net_null0,probe_interval_ms=9", -EINVAL,
		"out of range", "'9' for key 'probe_interval_ms'");
	must_reject("synthetic=net_null0,probe_interval_ms=0", -EINVAL,
		"out of range", "'0' for key 'probe_interval_ms'");
	must_reject("synthetic=net_null0,probe_interval_ms=3600001", -EINVAL,
		"out of range", "'3600001' for key 'probe_interval_ms'");
	/* Would wrap a 32- and a 64-bit accumulator. */
	must_reject("synthetic=net_null0,vf_settle_ms=4294967296", -EINVAL,
		"out of range", "'4294967296' for key 'vf_settle_ms'");
	must_reject("synthetic=net_null0,vf_settle_ms=18446744073709551617",
		-EINVAL, "out of range", "'18446744073709551617'");
}

static void
test_reject_bad_vf_match(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,vf_match=NAME", -EINVAL, "'NAME'",
		"key 'vf_match'");
	must_reject("synthetic=net_null0,vf_match=names", -EINVAL, "'names'",
		"key 'vf_match'");
	must_reject("synthetic=net_null0,vf_match=macs", -EINVAL, "'macs'",
		"key 'vf_match'");
	must_reject("synthetic=net_null0,vf_match=MAC", -EINVAL, "'MAC'",
		"key 'vf_match'");
	must_reject("synthetic=net_null0,vf_match=max", -EINVAL, "'max'",
		"key 'vf_match'");
}

static void
test_reject_bracketed_scalar(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,mac=[02:00:00:00:00:01]", -EINVAL,
		"key 'mac'", "'mac=[02:00:00:00:00:01]'");
	must_reject("synthetic=net_null0,vf_settle_ms=[5]", -EINVAL,
		"key 'vf_settle_ms'", "'vf_settle_ms=[5]'");
}

/* ---- error reporting ---- */

static void
test_err_null_allowed(void **state)
{
	struct failover_args a;

	(void)state;
	assert_int_equal(failover_args_parse("foo=1", &a, NULL, 0), -EINVAL);
	assert_int_equal(failover_args_parse("foo=1", &a, NULL, 64), -EINVAL);
	assert_int_equal(failover_args_parse("synthetic=net_null0", &a,
		NULL, 0), 0);
	assert_string_equal(a.synthetic.name, "net_null0");
}

static void
test_err_truncated_safely(void **state)
{
	struct failover_args a;
	char small[16];

	(void)state;
	memset(small, 'Z', sizeof(small));
	assert_int_equal(failover_args_parse("synthetic=net_null0,foo=1", &a,
		small, 8), -EINVAL);
	assert_int_equal(strlen(small), 7);
	assert_memory_equal(small, "unknown", 7);
	/* Nothing written past err_len. */
	assert_int_equal(small[8], 'Z');
	assert_int_equal(small[15], 'Z');

	memset(small, 'Z', sizeof(small));
	assert_int_equal(failover_args_parse("foo=1", &a, small, 0), -EINVAL);
	assert_int_equal(small[0], 'Z');

	assert_int_equal(failover_args_parse("foo=1", &a, small, 1), -EINVAL);
	assert_int_equal(small[0], '\0');
}

static void
test_err_long_value_keeps_key(void **state)
{
	char params[FAILOVER_PARAMS_MAX];

	(void)state;
	/* A 1000-character bad value must not push the key out of 256 bytes. */
	snprintf(params, sizeof(params), "synthetic=net_null0,vf_match=%s",
		repeat('q', 1000));
	must_reject(params, -EINVAL, "...' for key 'vf_match'", repeat('q', 32));
}

static void
test_err_one_line_on_control_chars(void **state)
{
	(void)state;
	must_reject("synthetic=net_null0,f\noo\r=1", -EINVAL, "unknown key 'f?oo?'",
		NULL);
}

static void
test_err_cleared_on_success(void **state)
{
	struct failover_args a;
	char msg[32];

	(void)state;
	memset(msg, 'Z', sizeof(msg));
	assert_int_equal(failover_args_parse("synthetic=net_null0", &a, msg,
		sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

static void
test_null_out_rejected(void **state)
{
	(void)state;
	assert_int_equal(failover_args_parse("synthetic=net_null0", NULL,
		err_buf, sizeof(err_buf)), -EINVAL);
	assert_true(strlen(err_buf) > 0);
}

/* ---- helpers of the interface ---- */

static void
test_is_pci(void **state)
{
	static const char *const yes[] = {
		"0000:03:00.1", "03:00.1", "ffff:ff:1f.7", "ABCD:EF:0a.0",
		"00:00.0",
	};
	static const char *const no[] = {
		"", "net_null0", "000:03:00.1", "00000:03:00.1", "0000:3:00.1",
		"0000:03:0.1", "0000:03:00.8", "0000:03:00.a", "0000:03:00",
		"0000:03:00.", "03:00.10", "03:00.1 ", " 03:00.1", "03-00.1",
		"0000.03:00.1", "0000:03.00.1", "0000:03:00:1", "g0:00.0",
		"0000:03:00.1x",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!failover_args_is_pci(yes[i]))
			fail_msg("'%s' should be a PCI address", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (failover_args_is_pci(no[i]))
			fail_msg("'%s' should not be a PCI address", no[i]);
	assert_false(failover_args_is_pci(NULL));
}

static void
test_subdev_devargs(void **state)
{
	struct failover_subdev_spec spec;
	char buf[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX];

	(void)state;
	memset(&spec, 0, sizeof(spec));
	strcpy(spec.name, "net_null1");
	assert_int_equal(failover_subdev_devargs(&spec, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "net_null1");

	strcpy(spec.args, "size=64,copy=1");
	assert_int_equal(failover_subdev_devargs(&spec, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "net_null1,size=64,copy=1");
}

static void
test_subdev_devargs_small_buffer(void **state)
{
	struct failover_subdev_spec spec;
	char buf[32];

	(void)state;
	memset(&spec, 0, sizeof(spec));
	strcpy(spec.name, "net_null1");
	strcpy(spec.args, "size=64");
	/* "net_null1,size=64" is 17 characters: 18 bytes fit exactly. */
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(failover_subdev_devargs(&spec, buf, 18), 17);
	assert_string_equal(buf, "net_null1,size=64");
	assert_int_equal(buf[18], 'Z');

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(failover_subdev_devargs(&spec, buf, 17), -E2BIG);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[17], 'Z');
	assert_int_equal(failover_subdev_devargs(&spec, buf, 0), -E2BIG);

	spec.args[0] = '\0';
	assert_int_equal(failover_subdev_devargs(&spec, buf, 9), -E2BIG);
	assert_int_equal(failover_subdev_devargs(&spec, buf, 10), 9);
	assert_string_equal(buf, "net_null1");
}

static void
test_subdev_devargs_round_trip(void **state)
{
	struct failover_args a;
	char buf[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX];

	(void)state;
	must_accept("synthetic=[net_virtio_user0,path=/tmp/s.sock,queues=2],"
		"vf=[net_ring0,nodeaction=r0:0:CREATE]", &a);
	assert_int_equal(failover_subdev_devargs(&a.synthetic, buf,
		sizeof(buf)), 42);
	assert_string_equal(buf, "net_virtio_user0,path=/tmp/s.sock,queues=2");
	assert_true(failover_subdev_devargs(&a.vf, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "net_ring0,nodeaction=r0:0:CREATE");
}

/* ---- robustness ---- */

static uint64_t rng_state;

/* xorshift64*: fixed seed, so a failure replays exactly. */
static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static const char *const fuzz_tokens[] = {
	"synthetic", "vf", "mac", "vf_settle_ms", "probe_interval_ms",
	"vf_match", "=", "=", ",", ",", "[", "]", "[", "]", "net_null0",
	"net_null1", "0000:03:00.1", "03:00.1", "02:00:00:00:00:01",
	"01:00:00:00:00:01", "100", "10", "4294967296", "name", "mac",
	"size=64", "path=/tmp/s.sock", ":", ".", "-", "", " ", "\xff",
	"\n",
};

static const char *const fuzz_seeds[] = {
	"synthetic=net_null0",
	"synthetic=[net_null0,size=64],vf=[net_null1,a=[b,c]]",
	"synthetic=0000:03:00.1,vf=04:00.0,mac=02:00:00:00:00:01",
	"vf_match=mac,probe_interval_ms=20,vf_settle_ms=5,synthetic=a",
	"synthetic=[net_virtio_user0,path=/tmp/s.sock,queues=2],vf=net_null1",
};

/* Build a random string of exactly len bytes plus NUL in a fresh buffer. */
static char *
fuzz_generate(size_t *len)
{
	char tmp[FAILOVER_PARAMS_MAX + 128];
	size_t n = 0;
	uint32_t mode = rng() % 4;
	char *s;

	if (mode == 0) {
		/* Raw bytes, NUL excluded. */
		size_t want = rng() % 64;

		while (n < want)
			tmp[n++] = (char)(rng() % 255 + 1);
	} else if (mode == 1) {
		/* Grammar tokens glued at random. */
		size_t ntok = rng() % 24;
		size_t i;

		for (i = 0; i < ntok; i++) {
			const char *t = fuzz_tokens[rng() %
				(sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]))];
			size_t tl = strlen(t);

			if (n + tl >= sizeof(tmp))
				break;
			memcpy(&tmp[n], t, tl);
			n += tl;
		}
	} else {
		/* Mutations of a valid string. */
		const char *seed = fuzz_seeds[rng() %
			(sizeof(fuzz_seeds) / sizeof(fuzz_seeds[0]))];
		uint32_t nmut = rng() % 4;
		uint32_t i;

		n = strlen(seed);
		memcpy(tmp, seed, n);
		for (i = 0; i < nmut && n > 0; i++) {
			size_t pos = rng() % n;
			static const char special[] = "[],=:.x0";

			switch (rng() % 4) {
			case 0: /* replace */
				tmp[pos] = special[rng() % (sizeof(special) - 1)];
				break;
			case 1: /* delete */
				memmove(&tmp[pos], &tmp[pos + 1], n - pos - 1);
				n--;
				break;
			case 2: /* insert */
				memmove(&tmp[pos + 1], &tmp[pos], n - pos);
				tmp[pos] = special[rng() % (sizeof(special) - 1)];
				n++;
				break;
			default: /* truncate */
				n = pos;
				break;
			}
		}
	}
	/* Now and then, something around the whole-string limit. */
	if (rng() % 64 == 0) {
		size_t want = FAILOVER_PARAMS_MAX - 2 + rng() % 4;

		while (n < want)
			tmp[n++] = "a[],="[rng() % 5];
	}
	/* Exact size, so an over-read hits the allocator's red zone. */
	s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, tmp, n);
	s[n] = '\0';
	*len = n;
	return s;
}

/* Write parsed options back as a parameter string. */
static void
fuzz_unparse(const struct failover_args *a, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "synthetic=[%s%s%s]", a->synthetic.name,
		a->synthetic.args[0] != '\0' ? "," : "", a->synthetic.args);
	if (a->has_vf)
		n += snprintf(buf + n, len - (size_t)n, ",vf=[%s%s%s]",
			a->vf.name, a->vf.args[0] != '\0' ? "," : "",
			a->vf.args);
	if (a->has_mac)
		n += snprintf(buf + n, len - (size_t)n,
			",mac=%02x:%02x:%02x:%02x:%02x:%02x", a->mac[0],
			a->mac[1], a->mac[2], a->mac[3], a->mac[4], a->mac[5]);
	snprintf(buf + n, len - (size_t)n,
		",vf_settle_ms=%u,probe_interval_ms=%u,vf_match=%s",
		(unsigned int)a->vf_settle_ms,
		(unsigned int)a->probe_interval_ms,
		a->vf_match == FAILOVER_VF_MATCH_MAC ? "mac" : "name");
}

static void
test_fuzz_robustness(void **state)
{
	const unsigned int iterations = 100000;
	unsigned int ok = 0;
	unsigned int einval = 0;
	unsigned int e2big = 0;
	unsigned int i;

	(void)state;
	rng_state = 0x6661696c6f766572ULL;
	for (i = 0; i < iterations; i++) {
		struct failover_args a;
		struct failover_args b;
		char err[96];
		char again[FAILOVER_PARAMS_MAX];
		size_t len;
		char *s = fuzz_generate(&len);
		int ret;

		memset(err, 'Z', sizeof(err));
		ret = failover_args_parse(s, &a, err, sizeof(err));
		if (memchr(err, '\0', sizeof(err)) == NULL)
			fail_msg("iteration %u: message not terminated", i);
		if (strchr(err, '\n') != NULL)
			fail_msg("iteration %u: message has a newline", i);
		if (ret == 0) {
			ok++;
			assert_string_equal(err, "");
			assert_true(a.synthetic.name[0] != '\0');
			assert_true(strlen(a.synthetic.name) <
				FAILOVER_DEV_NAME_MAX);
			assert_true(strlen(a.synthetic.args) <
				FAILOVER_DEV_ARGS_MAX);
			/* Whatever was accepted reads back the same. */
			fuzz_unparse(&a, again, sizeof(again));
			if (failover_args_parse(again, &b, err,
					sizeof(err)) != 0)
				fail_msg("iteration %u: '%s' accepted but '%s' not: %s",
					i, s, again, err);
			assert_memory_equal(&a, &b, sizeof(a));
		} else if (ret == -EINVAL) {
			einval++;
			assert_true(err[0] != '\0');
		} else if (ret == -E2BIG) {
			e2big++;
			assert_true(err[0] != '\0');
		} else {
			fail_msg("iteration %u: unexpected return %d", i, ret);
		}
		free(s);
	}
	/* A loop that never reaches both outcomes would test nothing. */
	print_message("fuzz: %u accepted, %u -EINVAL, %u -E2BIG\n", ok,
		einval, e2big);
	assert_true(ok > iterations / 100);
	assert_true(einval > iterations / 2);
	assert_true(e2big > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_when_absent),
		cmocka_unit_test(test_plain_vdev_names),
		cmocka_unit_test(test_name_allowed_charset),
		cmocka_unit_test(test_pci_long),
		cmocka_unit_test(test_pci_short),
		cmocka_unit_test(test_pci_upper_case),
		cmocka_unit_test(test_bracket_args),
		cmocka_unit_test(test_bracket_args_with_commas),
		cmocka_unit_test(test_bracket_args_with_equals_and_colons),
		cmocka_unit_test(test_bracket_nested),
		cmocka_unit_test(test_bracket_name_only),
		cmocka_unit_test(test_bracket_pci_with_args),
		cmocka_unit_test(test_mac_given),
		cmocka_unit_test(test_vf_settle_ms_values),
		cmocka_unit_test(test_probe_interval_ms_values),
		cmocka_unit_test(test_link_poll_ms_values),
		cmocka_unit_test(test_mp_data_path_values),
		cmocka_unit_test(test_number_leading_zeros_are_decimal),
		cmocka_unit_test(test_vf_match_name),
		cmocka_unit_test(test_vf_match_mac_without_vf),
		cmocka_unit_test(test_all_keys_any_order),
		cmocka_unit_test(test_different_pci_domains_accepted),
		cmocka_unit_test(test_name_length_limit_accepted),
		cmocka_unit_test(test_args_length_limit_accepted),

		cmocka_unit_test(test_reject_unknown_key),
		cmocka_unit_test(test_reject_missing_synthetic),
		cmocka_unit_test(test_reject_null_and_empty),
		cmocka_unit_test(test_reject_empty_value),
		cmocka_unit_test(test_reject_pair_without_equal),
		cmocka_unit_test(test_reject_empty_key),
		cmocka_unit_test(test_reject_empty_pair),
		cmocka_unit_test(test_reject_duplicate_key),
		cmocka_unit_test(test_reject_unclosed_bracket),
		cmocka_unit_test(test_reject_stray_closing_bracket),
		cmocka_unit_test(test_reject_text_after_bracket),
		cmocka_unit_test(test_reject_bracket_inside_value),
		cmocka_unit_test(test_reject_empty_brackets),
		cmocka_unit_test(test_reject_empty_name_in_brackets),
		cmocka_unit_test(test_reject_empty_args_in_brackets),
		cmocka_unit_test(test_reject_bad_name_chars),
		cmocka_unit_test(test_reject_name_too_long),
		cmocka_unit_test(test_reject_args_too_long),
		cmocka_unit_test(test_reject_params_too_long),
		cmocka_unit_test(test_reject_bad_mac),
		cmocka_unit_test(test_reject_multicast_mac),
		cmocka_unit_test(test_reject_zero_mac),
		cmocka_unit_test(test_reject_same_device_name),
		cmocka_unit_test(test_reject_same_device_pci),
		cmocka_unit_test(test_reject_bad_numbers),
		cmocka_unit_test(test_reject_numbers_out_of_range),
		cmocka_unit_test(test_reject_bad_vf_match),
		cmocka_unit_test(test_reject_bracketed_scalar),

		cmocka_unit_test(test_err_null_allowed),
		cmocka_unit_test(test_err_truncated_safely),
		cmocka_unit_test(test_err_long_value_keeps_key),
		cmocka_unit_test(test_err_one_line_on_control_chars),
		cmocka_unit_test(test_err_cleared_on_success),
		cmocka_unit_test(test_null_out_rejected),

		cmocka_unit_test(test_is_pci),
		cmocka_unit_test(test_subdev_devargs),
		cmocka_unit_test(test_subdev_devargs_small_buffer),
		cmocka_unit_test(test_subdev_devargs_round_trip),

		cmocka_unit_test(test_fuzz_robustness),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
