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
};

static void
on_line(const char *line, bool overlong, void *arg)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	snprintf(s->lines[s->n], CTL_LINE_MAX, "%s", line);
	s->overlong[s->n] = overlong;
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
