/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_CTL_PROTO_H
#define FO_CTL_PROTO_H

/*
 * The guest side of the control protocol of docs/design/host_protocol.rst,
 * as pure functions (no DPDK, no sockets): cutting the byte stream into
 * lines, parsing a host command, formatting the replies.
 *
 * Lines are ASCII, '\n'-terminated, at most CTL_LINE_MAX bytes with the
 * '\n'; a '\r' before the '\n' is ignored.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL_LINE_MAX		512u
#define CTL_WORD_MAX		32u

enum ctl_cmd_type {
	CTL_CMD_VF_ADD,		/* VF_ADD <devargs> */
	CTL_CMD_VF_REMOVE,	/* VF_REMOVE <devname> */
	CTL_CMD_VF_YANK,	/* VF_YANK <devname> */
	CTL_CMD_PING,		/* PING */
	CTL_CMD_INVALID,	/* unknown word, or bad arguments */
};

struct ctl_cmd {
	enum ctl_cmd_type type;
	char word[CTL_WORD_MAX];	/* as received, for the reply */
	char arg[CTL_LINE_MAX];
	const char *error;		/* CTL_CMD_INVALID: why */
};

/*
 * Parse one line (without its '\n'). Returns 0 for a command (possibly
 * CTL_CMD_INVALID, which still gets an ERR reply), -ENODATA for a blank
 * line (no command, no reply).
 */
int ctl_parse_line(const char *line, struct ctl_cmd *cmd);

/* "OK <word>\n". Returns the length, or -ENOSPC. */
int ctl_format_ok(char *buf, size_t size, const char *word);
/* "ERR <word> <reason>\n", the reason on one line and cut so that the
 * whole line fits CTL_LINE_MAX. Returns the length, or -ENOSPC. */
int ctl_format_err(char *buf, size_t size, const char *word,
		const char *reason);
/* "HELLO <port> <mac>\n". Returns the length, or -ENOSPC. */
int ctl_format_hello(char *buf, size_t size, uint16_t port,
		const char *mac);

/*
 * Line assembler. ctl_lines_feed() calls @p cb for each complete line,
 * NUL-terminated, without "\r\n"; a line longer than CTL_LINE_MAX is
 * given once, cut, with @p overlong set, when its '\n' arrives.
 */
typedef void ctl_line_cb(const char *line, bool overlong, void *arg);

struct ctl_lines {
	char buf[CTL_LINE_MAX];
	size_t len;
	bool overlong;
};

void ctl_lines_init(struct ctl_lines *l);
void ctl_lines_feed(struct ctl_lines *l, const char *data, size_t n,
		ctl_line_cb *cb, void *arg);

#endif /* FO_CTL_PROTO_H */
