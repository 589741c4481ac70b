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

/* What the line assembler found wrong with a line (flags). */
#define CTL_LINE_LONG		(1u << 0)	/* over CTL_LINE_MAX: cut */
#define CTL_LINE_BAD_BYTE	(1u << 1)	/* NUL, control, non-ASCII */

/*
 * Line assembler. ctl_lines_feed() calls @p cb for each complete line,
 * NUL-terminated, without "\r\n", with @p flags saying what was wrong
 * with it: a line longer than CTL_LINE_MAX is given once, cut, with
 * CTL_LINE_LONG, when its '\n' arrives; a byte that is not printable
 * ASCII nor a tab (a NUL first of all) is given as '?', with
 * CTL_LINE_BAD_BYTE. Either way the line is still a line, to be answered.
 */
typedef void ctl_line_cb(const char *line, unsigned int flags, void *arg);

struct ctl_lines {
	char buf[CTL_LINE_MAX];
	size_t len;
	unsigned int flags;
};

void ctl_lines_init(struct ctl_lines *l);
void ctl_lines_feed(struct ctl_lines *l, const char *data, size_t n,
		ctl_line_cb *cb, void *arg);

/*
 * What the guest accepts from the host (the trust model of
 * docs/design/host_protocol.rst): the host is trusted to grant VFs, not
 * to run arbitrary devargs in the guest.
 */
#define CTL_ALLOW_VIRTIO_USER	(1u << 0)	/* default */
#define CTL_ALLOW_PCI		(1u << 1)	/* a bare PCI address */
#define CTL_ALLOW_ANY		(1u << 2)	/* any devargs at all */

/* A UNIX socket path: sizeof(sockaddr_un.sun_path). */
#define CTL_PATH_MAX		108u
/* Longest device name the host may give (RTE_DEV_NAME_MAX_LEN). */
#define CTL_DEV_NAME_MAX	64u

struct ctl_policy {
	unsigned int allow;		/* CTL_ALLOW_* */
	char dir[CTL_PATH_MAX];		/* the control directory, canonical */
	char ctl_name[CTL_PATH_MAX];	/* the control socket's file name */
};

/*
 * Parse a --ctl-allow list ("virtio-user,pci" or "any") into CTL_ALLOW_*
 * flags. Returns 0, or -EINVAL with @p why filled.
 */
int ctl_parse_allow(const char *list, unsigned int *allow, char *why,
		size_t len);

/*
 * May the guest probe @p devargs on VF_ADD? With CTL_ALLOW_VIRTIO_USER,
 * a net_virtio_user<N> in server mode (its probe can be abandoned, a
 * client's cannot) whose socket is a plain file name in the control
 * directory, every key known and every value checked (MAC, numbers);
 * with CTL_ALLOW_PCI, a PCI address without arguments. Returns 0, or
 * -EPERM (not allowed) / -EINVAL (malformed) with @p why filled.
 */
int ctl_check_vf_add(const struct ctl_policy *pol, const char *devargs,
		char *why, size_t len);

/* Is @p name a device name (VF_REMOVE, VF_YANK)? 0, or -EINVAL and why. */
int ctl_check_dev_name(const char *name, char *why, size_t len);

/* Is @p s a unicast MAC address written xx:xx:xx:xx:xx:xx? */
bool ctl_mac_valid(const char *s);

#endif /* FO_CTL_PROTO_H */
