/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The guest side of the control protocol (app/testpmd/ctl_proto.c, see
 * docs/design/host_protocol.rst): parsing host commands, formatting
 * replies, and cutting a byte stream into lines.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_proto.h"

static struct ctl_cmd cmd;

static void
test_parse_commands(void **state)
{
	(void)state;
	assert_int_equal(ctl_parse_line("VF_ADD net_virtio_user1,path=/tmp/"
		"d/vf1.sock,server=1,queues=1,mac=02:fa:11:00:00:01", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_VF_ADD);
	assert_string_equal(cmd.word, "VF_ADD");
	assert_string_equal(cmd.arg, "net_virtio_user1,path=/tmp/d/vf1.sock,"
		"server=1,queues=1,mac=02:fa:11:00:00:01");

	assert_int_equal(ctl_parse_line("VF_REMOVE net_virtio_user1", &cmd),
		0);
	assert_int_equal(cmd.type, CTL_CMD_VF_REMOVE);
	assert_string_equal(cmd.arg, "net_virtio_user1");

	assert_int_equal(ctl_parse_line("  VF_YANK\t0000:03:00.1 \r", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_VF_YANK);
	assert_string_equal(cmd.arg, "0000:03:00.1");

	assert_int_equal(ctl_parse_line("PING", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_PING);
	assert_string_equal(cmd.arg, "");
	assert_null(cmd.error);
}

static void
test_parse_invalid(void **state)
{
	(void)state;
	assert_int_equal(ctl_parse_line("VF_REMOVE", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.word, "VF_REMOVE");
	assert_string_equal(cmd.error, "missing argument");

	assert_int_equal(ctl_parse_line("VF_ADD   ", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.error, "missing argument");

	assert_int_equal(ctl_parse_line("VF_YANK a b", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.error, "one argument expected");

	assert_int_equal(ctl_parse_line("PING now", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.error, "unexpected argument");

	/* Words are case-sensitive. */
	assert_int_equal(ctl_parse_line("ping", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.word, "ping");
	assert_string_equal(cmd.error, "unknown command");

	assert_int_equal(ctl_parse_line("VF_ADDX foo", &cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_string_equal(cmd.word, "VF_ADDX");

	/* An endless word is cut, and still answered. */
	assert_int_equal(ctl_parse_line("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 x",
		&cmd), 0);
	assert_int_equal(cmd.type, CTL_CMD_INVALID);
	assert_int_equal(strlen(cmd.word), CTL_WORD_MAX - 1);
	assert_string_equal(cmd.error, "unknown command");
}

static void
test_parse_blank(void **state)
{
	(void)state;
	assert_int_equal(ctl_parse_line("", &cmd), -ENODATA);
	assert_int_equal(ctl_parse_line(" \t\r", &cmd), -ENODATA);
}

static void
test_format(void **state)
{
	char buf[CTL_LINE_MAX + 1], small[8], big[2000];

	(void)state;
	assert_int_equal(ctl_format_ok(buf, sizeof(buf), "VF_ADD"), 10);
	assert_string_equal(buf, "OK VF_ADD\n");
	assert_int_equal(ctl_format_err(buf, sizeof(buf), "VF_YANK",
		"no such device"), 27);
	assert_string_equal(buf, "ERR VF_YANK no such device\n");
	/* The reason stays on one line. */
	ctl_format_err(buf, sizeof(buf), "VF_ADD", "two\nlines\r");
	assert_string_equal(buf, "ERR VF_ADD two lines \n");
	assert_int_equal(ctl_format_hello(buf, sizeof(buf), 0,
		"02:FA:11:00:00:01"), 26);
	assert_string_equal(buf, "HELLO 0 02:FA:11:00:00:01\n");

	assert_int_equal(ctl_format_ok(small, sizeof(small), "VF_REMOVE"),
		-ENOSPC);
	assert_int_equal(ctl_format_err(small, sizeof(small), "VF_REMOVE", "x"),
		-ENOSPC);

	/* A huge reason is cut so that the line fits the protocol. */
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ctl_format_err(buf, sizeof(buf), "VF_ADD", big),
		CTL_LINE_MAX);
	assert_int_equal(strlen(buf), CTL_LINE_MAX);
	assert_int_equal(buf[CTL_LINE_MAX - 1], '\n');
	assert_memory_equal(buf, "ERR VF_ADD rrr", 14);
}

struct seen {
	unsigned int n;
	char lines[8][CTL_LINE_MAX];
	bool overlong[8];
	bool bad[8];
};

static void
on_line(const char *line, unsigned int flags, void *arg)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	snprintf(s->lines[s->n], CTL_LINE_MAX, "%s", line);
	s->overlong[s->n] = (flags & CTL_LINE_LONG) != 0;
	s->bad[s->n] = (flags & CTL_LINE_BAD_BYTE) != 0;
	s->n++;
}

static void
test_lines_chunks(void **state)
{
	const char *stream = "PING\nVF_ADD net_null7\r\n\nVF_YANK x\npartial";
	struct ctl_lines l;
	struct seen s;
	size_t i;

	(void)state;
	/* Byte by byte... */
	memset(&s, 0, sizeof(s));
	ctl_lines_init(&l);
	for (i = 0; i < strlen(stream); i++)
		ctl_lines_feed(&l, stream + i, 1, on_line, &s);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.lines[0], "PING");
	assert_string_equal(s.lines[1], "VF_ADD net_null7");
	assert_string_equal(s.lines[2], "");
	assert_string_equal(s.lines[3], "VF_YANK x");
	assert_false(s.overlong[1]);
	/* ...the unfinished line comes when its end does. */
	ctl_lines_feed(&l, "_end\n", 5, on_line, &s);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.lines[4], "partial_end");

	/* ...or all at once: the same lines. */
	memset(&s, 0, sizeof(s));
	ctl_lines_init(&l);
	ctl_lines_feed(&l, stream, strlen(stream), on_line, &s);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.lines[3], "VF_YANK x");
}

static void
test_lines_overlong(void **state)
{
	char line[CTL_LINE_MAX + 2];
	struct ctl_lines l;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	ctl_lines_init(&l);
	/* The longest line the protocol allows: 511 bytes and '\n'. */
	memset(line, 'a', CTL_LINE_MAX - 1);
	line[CTL_LINE_MAX - 1] = '\n';
	ctl_lines_feed(&l, line, CTL_LINE_MAX, on_line, &s);
	assert_int_equal(s.n, 1);
	assert_false(s.overlong[0]);
	assert_int_equal(strlen(s.lines[0]), CTL_LINE_MAX - 1);
	/* One more byte: too long, given once, cut. */
	memset(line, 'b', CTL_LINE_MAX);
	line[CTL_LINE_MAX] = '\n';
	ctl_lines_feed(&l, line, CTL_LINE_MAX + 1, on_line, &s);
	assert_int_equal(s.n, 2);
	assert_true(s.overlong[1]);
	assert_int_equal(strlen(s.lines[1]), CTL_LINE_MAX - 1);
	/* The next line is whole again. */
	ctl_lines_feed(&l, "PING\n", 5, on_line, &s);
	assert_int_equal(s.n, 3);
	assert_false(s.overlong[2]);
	assert_string_equal(s.lines[2], "PING");
}

/* A NUL or a control byte: the line is still a line, to be answered. */
static void
test_lines_bad_bytes(void **state)
{
	static const char stream[] = "\0PING\nVF_\x01" "ADD x\nPI\x80" "NG\n"
		"PING\n";
	struct ctl_lines l;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	ctl_lines_init(&l);
	ctl_lines_feed(&l, stream, sizeof(stream) - 1, on_line, &s);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.lines[0], "?PING");
	assert_true(s.bad[0]);
	assert_string_equal(s.lines[1], "VF_?ADD x");
	assert_true(s.bad[1]);
	assert_string_equal(s.lines[2], "PI?NG");
	assert_true(s.bad[2]);
	assert_false(s.bad[3]);
	assert_false(s.overlong[3]);
}

static const struct ctl_policy policy = {
	.allow = CTL_ALLOW_VIRTIO_USER,
	.dir = "/run/net_failover",
	.ctl_name = "ctl.sock",
};

struct vf_case {
	const char *devargs;
	int ret;
	const char *why;	/* a part of the reason */
};

static const struct vf_case vf_cases[] = {
	{ "net_virtio_user1,path=/run/net_failover/vf1.sock,server=1,"
	  "queues=1,mac=02:fa:11:00:00:01", 0, NULL },
	{ "net_virtio_user12,server=1,path=/run/net_failover/a-b_c.1", 0,
	  NULL },
	/* Not of the allowed kind. */
	{ "net_pcap9,rx_iface=lo,tx_pcap=/tmp/x", -EPERM, "not allowed" },
	{ "net_null1", -EPERM, "not allowed" },
	{ "0000:03:00.1", -EPERM, "PCI devices not allowed" },
	{ "net_virtio_userx,path=/run/net_failover/v,server=1", -EINVAL,
	  "net_virtio_user<N>" },
	/* Sockets outside the control directory, or not plain names. */
	{ "net_virtio_user1,path=/tmp/vf1.sock,server=1", -EPERM,
	  "not in the control directory" },
	{ "net_virtio_user1,path=/run/net_failover/../x,server=1", -EINVAL,
	  "file name" },
	{ "net_virtio_user1,path=/run/net_failover/a/b,server=1", -EINVAL,
	  "file name" },
	{ "net_virtio_user1,path=/run/net_failover_x/vf,server=1", -EPERM,
	  "not in the control directory" },
	{ "net_virtio_user1,path=/run/net_failover/ctl.sock,server=1",
	  -EPERM, "control socket" },
	/* Keys and values. */
	{ "net_virtio_user1,path=/run/net_failover/v", -EPERM, "server=1" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=0", -EINVAL,
	  "server=0" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,iface=tap0",
	  -EPERM, "key 'iface'" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,mac=zz", -EINVAL,
	  "mac=zz" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,"
	  "mac=03:00:00:00:00:01", -EINVAL, "mac=" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,queues=0",
	  -EINVAL, "queues=0" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,queues=99999999999",
	  -EINVAL, "queues=" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,server=1",
	  -EINVAL, "twice" },
	{ "net_virtio_user1,path=/run/net_failover/v,server=1,queues", -EINVAL,
	  "key=value" },
	{ "net_virtio_user1", -EINVAL, "path=" },
};

static void
test_vf_add_allowlist(void **state)
{
	struct ctl_policy pol = policy;
	char why[256];
	unsigned int i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(vf_cases) / sizeof(vf_cases[0]); i++) {
		why[0] = '\0';
		ret = ctl_check_vf_add(&policy, vf_cases[i].devargs, why,
			sizeof(why));
		print_message("%s: %d %s\n", vf_cases[i].devargs, ret, why);
		assert_int_equal(ret, vf_cases[i].ret);
		if (vf_cases[i].why != NULL)
			assert_non_null(strstr(why, vf_cases[i].why));
	}
	/* Widened: PCI addresses, bare. */
	pol.allow |= CTL_ALLOW_PCI;
	assert_int_equal(ctl_check_vf_add(&pol, "0000:03:00.1", why,
		sizeof(why)), 0);
	assert_int_equal(ctl_check_vf_add(&pol, "03:00.1", why, sizeof(why)),
		0);
	assert_int_equal(ctl_check_vf_add(&pol, "0000:03:00.1,x=1", why,
		sizeof(why)), -EPERM);
	assert_int_equal(ctl_check_vf_add(&pol, "0000:03:00.9", why,
		sizeof(why)), -EPERM);
	/* Anything, when the host is trusted with everything. */
	pol.allow = CTL_ALLOW_ANY;
	assert_int_equal(ctl_check_vf_add(&pol, "net_null1", why,
		sizeof(why)), 0);
}

static void
test_allow_names_macs(void **state)
{
	unsigned int allow;
	char why[128];

	(void)state;
	assert_int_equal(ctl_parse_allow("virtio-user", &allow, why,
		sizeof(why)), 0);
	assert_int_equal(allow, CTL_ALLOW_VIRTIO_USER);
	assert_int_equal(ctl_parse_allow("virtio-user,pci", &allow, why,
		sizeof(why)), 0);
	assert_int_equal(allow, CTL_ALLOW_VIRTIO_USER | CTL_ALLOW_PCI);
	assert_int_equal(ctl_parse_allow("any", &allow, why, sizeof(why)), 0);
	assert_int_equal(allow, CTL_ALLOW_ANY);
	assert_int_equal(ctl_parse_allow("pcap", &allow, why, sizeof(why)),
		-EINVAL);
	assert_int_equal(ctl_parse_allow(",", &allow, why, sizeof(why)),
		-EINVAL);

	assert_int_equal(ctl_check_dev_name("net_virtio_user1", why,
		sizeof(why)), 0);
	assert_int_equal(ctl_check_dev_name("0000:03:00.1", why, sizeof(why)),
		0);
	assert_int_equal(ctl_check_dev_name("a/b", why, sizeof(why)), -EINVAL);
	assert_int_equal(ctl_check_dev_name("", why, sizeof(why)), -EINVAL);
	assert_int_equal(ctl_check_dev_name("net_null1,size=64", why,
		sizeof(why)), -EINVAL);

	assert_true(ctl_mac_valid("02:fa:11:00:00:01"));
	assert_true(ctl_mac_valid("02:FA:11:00:00:01"));
	assert_false(ctl_mac_valid("zz"));
	assert_false(ctl_mac_valid("02:fa:11:00:00:0"));
	assert_false(ctl_mac_valid("02-fa-11-00-00-01"));
	assert_false(ctl_mac_valid("01:00:5e:00:00:01"));
	assert_false(ctl_mac_valid("00:00:00:00:00:00"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_commands),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_parse_blank),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_lines_chunks),
		cmocka_unit_test(test_lines_overlong),
		cmocka_unit_test(test_lines_bad_bytes),
		cmocka_unit_test(test_vf_add_allowlist),
		cmocka_unit_test(test_allow_names_macs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
