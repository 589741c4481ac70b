/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Control protocol, guest side, without I/O (see ctl_proto.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"

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
	l->overlong = false;
}

void
ctl_lines_feed(struct ctl_lines *l, const char *data, size_t n,
		ctl_line_cb *cb, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = data[i];

		if (c != '\n') {
			/* Keep one byte for the NUL. */
			if (l->len < sizeof(l->buf) - 1)
				l->buf[l->len++] = c;
			else
				l->overlong = true;
			continue;
		}
		if (l->len > 0 && l->buf[l->len - 1] == '\r')
			l->len--;
		l->buf[l->len] = '\0';
		cb(l->buf, l->overlong, arg);
		l->len = 0;
		l->overlong = false;
	}
}
