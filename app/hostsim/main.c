/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * fo-hostsim: options, start-up, the scenario command loop and the exit.
 *
 *   fo-hostsim EAL-ARGS -- [--dir DIR] [--mac MAC] [--rate PPS]
 *       [--script FILE] [--csv FILE] [--final-report]
 *       [--expect KIND:CHECK]... [--check-recovery]
 *
 * Commands (stdin, or --script FILE), one per line: vf grant [mac=MAC],
 * vf revoke, vf yank, migrate, flap N [MS], sleep MS, ping, report, quit.
 * See docs/guides/host_simulator.rst.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "hostsim.h"

#define HS_NB_MBUF		8191
#define HS_MBUF_CACHE		256
#define HS_DEFAULT_MAC		"02:fa:11:00:00:01"
#define HS_HOST_MAC		"02:fa:11:00:00:fe"
#define HS_DRAIN_MS		200
#define HS_FLAP_MS		200
/* sizeof(sockaddr_un.sun_path) */
#define HS_SOCK_PATH_MAX	108

struct hs hs;

static volatile sig_atomic_t hs_interrupted;
static bool hs_final_report;
static uint64_t hs_t0_abs;

uint64_t
hs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * HS_S_NS + ts.tv_nsec - hs_t0_abs;
}

void
hs_log(const char *fmt, ...)
{
	char msg[HS_LINE_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One call, so lines of the LSC callback's thread do not mix in. */
	printf("[%9.3f] host: %s\n", (double)hs_now_ns() / HS_S_NS, msg);
	fflush(stdout);
}

const char *
hs_path_name(uint16_t path, char *buf, size_t len)
{
	if (path == HS_PATH_NONE)
		snprintf(buf, len, "-");
	else if (path == HS_PATH_SYN)
		snprintf(buf, len, "syn");
	else
		snprintf(buf, len, "vf%u", path);
	return buf;
}

void
hs_wait_ms(uint32_t ms)
{
	uint64_t deadline = hs_now_ns() + ms * HS_MS_NS, now;

	while (!hs_interrupted && (now = hs_now_ns()) < deadline) {
		hs_ctl_service(RTE_MIN((deadline - now) / HS_MS_NS + 1,
			50ull));
		hs_finalize(false);
	}
}

bool
hs_stopping(void)
{
	return hs_interrupted != 0;
}

static void
hs_on_signal(int sig)
{
	RTE_SET_USED(sig);
	hs_interrupted = 1;
}

static void
hs_usage(void)
{
	fprintf(stderr,
		"usage: fo-hostsim EAL-ARGS -- [--dir DIR] [options]\n"
		"  --dir DIR            sockets: DIR/ctl.sock, syn.sock, vfN.sock;\n"
		"                       created mode 0700, or must be private\n"
		"                       (default $XDG_RUNTIME_DIR/net_failover,\n"
		"                       else /run/net_failover)\n"
		"  --mac MAC            guest MAC (default " HS_DEFAULT_MAC ")\n"
		"  --rate PPS           offered load (default 20000)\n"
		"  --script FILE        commands from FILE instead of stdin\n"
		"  --csv FILE           timeline for plotting, written at exit\n"
		"  --final-report       print the report table at exit\n"
		"  --expect KIND:CHECK  exit 1 unless every KIND event passes\n"
		"                       KIND start|grant|revoke|yank|migrate|flap|all"
		"|#N\n"
		"                       CHECK lost|dup|reord|sent|switch_ms|gap_ms"
		"<=N or >=N,\n"
		"                       to=syn|vf|newvf, recovered\n"
		"  --check-recovery     exit 1 if traffic did not recover after"
		" an event\n"
		"  --boot-timeout-ms N  guest up and traffic on syn (30000)\n"
		"  --reply-timeout-ms N guest's answer to a command (10000)\n"
		"  --settle-wait-ms N   grant: latest filter move (500)\n"
		"  --idle-us N          traffic lcore nap when idle (20; 0 spins)\n"
		"  --yank-delay-ms N    yank: host end gone to VF_YANK (0)\n"
		"  --show-lost          report: the lost sequence ranges\n");
}

static int
hs_parse_u32(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
hs_parse_args(int argc, char **argv)
{
	enum {
		O_DIR = 256, O_MAC, O_RATE, O_SCRIPT, O_CSV, O_FINAL,
		O_EXPECT, O_CHECK, O_BOOT, O_REPLY, O_SETTLE, O_IDLE,
		O_YANK_DELAY, O_SHOW_LOST,
	};
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, O_DIR },
		{ "mac", required_argument, NULL, O_MAC },
		{ "rate", required_argument, NULL, O_RATE },
		{ "script", required_argument, NULL, O_SCRIPT },
		{ "csv", required_argument, NULL, O_CSV },
		{ "final-report", no_argument, NULL, O_FINAL },
		{ "expect", required_argument, NULL, O_EXPECT },
		{ "check-recovery", no_argument, NULL, O_CHECK },
		{ "boot-timeout-ms", required_argument, NULL, O_BOOT },
		{ "reply-timeout-ms", required_argument, NULL, O_REPLY },
		{ "settle-wait-ms", required_argument, NULL, O_SETTLE },
		{ "idle-us", required_argument, NULL, O_IDLE },
		{ "yank-delay-ms", required_argument, NULL, O_YANK_DELAY },
		{ "show-lost", no_argument, NULL, O_SHOW_LOST },
		{ NULL, 0, NULL, 0 },
	};
	const char *mac = HS_DEFAULT_MAC;
	int c, ret = 0;

	hs.rate_pps = 20000;
	hs.idle_us = 20;
	hs.boot_timeout_ms = 30000;
	hs.reply_timeout_ms = 10000;
	hs.settle_wait_ms = 500;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_DIR:
			hs.dir = optarg;
			break;
		case O_MAC:
			mac = optarg;
			break;
		case O_RATE:
			ret = hs_parse_u32(optarg, &hs.rate_pps);
			if (ret == 0 && hs.rate_pps == 0)
				ret = -EINVAL;
			break;
		case O_SCRIPT:
			hs.script = optarg;
			break;
		case O_CSV:
			hs.csv = optarg;
			break;
		case O_FINAL:
			hs_final_report = true;
			break;
		case O_EXPECT:
			ret = hs_expect_parse(optarg);
			if (ret < 0)
				fprintf(stderr, "bad --expect %s\n", optarg);
			break;
		case O_CHECK:
			hs.check_recovery = true;
			break;
		case O_BOOT:
			ret = hs_parse_u32(optarg, &hs.boot_timeout_ms);
			break;
		case O_REPLY:
			ret = hs_parse_u32(optarg, &hs.reply_timeout_ms);
			break;
		case O_SETTLE:
			ret = hs_parse_u32(optarg, &hs.settle_wait_ms);
			break;
		case O_IDLE:
			ret = hs_parse_u32(optarg, &hs.idle_us);
			break;
		case O_SHOW_LOST:
			hs.show_lost = true;
			break;
		case O_YANK_DELAY:
			ret = hs_parse_u32(optarg, &hs.yank_delay_ms);
			break;
		default:
			ret = -EINVAL;
		}
		if (ret < 0)
			return ret;
	}
	if (optind != argc ||
	    rte_ether_unformat_addr(mac, &hs.guest_mac) != 0)
		return -EINVAL;
	rte_ether_unformat_addr(HS_HOST_MAC, &hs.host_mac);
	return 0;
}

/*
 * The socket directory: --dir, or by default $XDG_RUNTIME_DIR/net_failover
 * (else /run/net_failover), created mode 0700; an existing one must be
 * ours and closed to others, since whoever can create sockets in it can
 * play the guest or the host. Kept canonical: the guest compares the VF
 * sockets' folder with its own, resolved.
 */
static char hs_dir_buf[PATH_MAX];

/* mkdir -p, every folder it makes mode 0700; errno EEXIST if @p dir was. */
static int
hs_mkdir_private(const char *dir)
{
	char buf[PATH_MAX], *p;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	snprintf(buf, sizeof(buf), "%s", dir);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700);
}

static int
hs_dir_prepare(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char want[PATH_MAX];
	struct stat st;

	if (hs.dir != NULL)
		snprintf(want, sizeof(want), "%s", hs.dir);
	else if (xdg != NULL && xdg[0] == '/')
		snprintf(want, sizeof(want), "%s/net_failover", xdg);
	else
		snprintf(want, sizeof(want), "/run/net_failover");
	if (hs_mkdir_private(want) == 0) {
		hs_log("created the socket directory %s (mode 0700)", want);
	} else if (errno != EEXIST) {
		fprintf(stderr, "fo-hostsim: cannot create %s: %s\n", want,
			strerror(errno));
		return -errno;
	}
	if (realpath(want, hs_dir_buf) == NULL ||
	    stat(hs_dir_buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fo-hostsim: %s: not a directory\n", want);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		fprintf(stderr, "fo-hostsim: %s is %s: whoever can create "
			"sockets there can play the guest; use a private "
			"directory (mode 0700), or leave --dir out for "
			"$XDG_RUNTIME_DIR/net_failover or /run/net_failover\n",
			want, st.st_uid != geteuid() ?
			"owned by another user" : "writable by others");
		return -EPERM;
	}
	if (strlen(hs_dir_buf) + sizeof("/vf255.sock") > HS_SOCK_PATH_MAX) {
		fprintf(stderr, "fo-hostsim: %s: too long for a socket path\n",
			hs_dir_buf);
		return -ENAMETOOLONG;
	}
	hs.dir = hs_dir_buf;
	return 0;
}

/* A command line as read: what was wrong with it, if anything. */
#define HS_LINE_LONG		(1u << 0)	/* over HS_LINE_MAX - 1 bytes */
#define HS_LINE_BAD_BYTE	(1u << 1)	/* NUL, control, non-ASCII */

struct hs_reader {
	int fd;
	bool serve;		/* keep the control channel served */
	char buf[HS_LINE_MAX];
	size_t have;
	bool discarding;	/* in the rest of an overlong line */
	unsigned int lineno;
};

static void
hs_reader_init(struct hs_reader *r, int fd, bool serve)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->serve = serve;
}

static bool
hs_is_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

/*
 * Next command line; 1 with @p flags, 0 at EOF, -EINTR on a signal. A
 * line longer than the limit is rejected whole, once, when its end comes
 * (never cut into several commands); a line with a NUL or another byte
 * that is not text is flagged, shown with '?'.
 */
static int
hs_next_line(struct hs_reader *r, char *out, size_t len, unsigned int *flags)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	char *nl;
	size_t i, n;
	ssize_t got;

	for (;;) {
		nl = memchr(r->buf, '\n', r->have);
		if (nl != NULL) {
			n = (size_t)(nl - r->buf);
			*flags = r->discarding ? HS_LINE_LONG : 0;
			for (i = 0; i < n && i < len - 1; i++) {
				out[i] = r->buf[i];
				if (!hs_is_text((unsigned char)out[i])) {
					out[i] = '?';
					*flags |= HS_LINE_BAD_BYTE;
				}
			}
			out[i] = '\0';
			r->have -= n + 1;
			memmove(r->buf, nl + 1, r->have);
			r->discarding = false;
			r->lineno++;
			return 1;
		}
		if (r->have == sizeof(r->buf)) {
			/* No end in sight: drop what we have, remember. */
			r->discarding = true;
			r->have = 0;
		}
		if (hs_interrupted)
			return -EINTR;
		if (r->serve) {
			hs_ctl_service(0);
			hs_finalize(false);
		}
		if (poll(&p, 1, r->serve ? 20 : -1) <= 0)
			continue;
		got = read(r->fd, r->buf + r->have, sizeof(r->buf) - r->have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (r->have == 0 && !r->discarding)
				return 0;
			/* A last line without its newline. */
			if (r->have == sizeof(r->buf))
				r->have--;
			r->buf[r->have++] = '\n';
			continue;
		}
		r->have += (size_t)got;
	}
}

static void
hs_action(enum hs_kind kind, const char *trigger, int (*fn)(void))
{
	unsigned int w = hs_window_open(kind, trigger);
	int ret = fn();

	if (ret < 0)
		hs_window_fail(w, strerror(-ret));
}

static int
hs_grant_plain(void)
{
	return hs_vf_grant(NULL);
}

enum hs_cmd_kind {
	HS_CMD_NONE,		/* blank line or comment */
	HS_CMD_GRANT,
	HS_CMD_REVOKE,
	HS_CMD_YANK,
	HS_CMD_MIGRATE,
	HS_CMD_FLAP,
	HS_CMD_SLEEP,
	HS_CMD_PING,
	HS_CMD_REPORT,
	HS_CMD_QUIT,
};

struct hs_cmd {
	enum hs_cmd_kind kind;
	uint32_t n;
	uint32_t ms;
	bool has_mac;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
};

#define HS_MAX_FLAPS		1000
#define HS_MAX_FLAP_MS		60000
#define HS_MAX_SLEEP_MS		3600000

static const char hs_cmd_usage[] = "vf grant [mac=MAC] | vf revoke | "
	"vf yank | migrate | flap N [MS] | sleep MS | ping | report | quit";

/* A number from @p min to @p max, or false. */
static bool
hs_num_in(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return hs_parse_u32(s, out) == 0 && s[0] != '-' && s[0] != '+' &&
		*out >= min && *out <= max;
}

/*
 * Parse and check one command line, every field, before anything is
 * done: 0, or -EINVAL with @p why.
 */
static int
hs_parse_command(char *line, unsigned int flags, struct hs_cmd *c,
		char *why, size_t len)
{
	char *argv[5], *save = NULL, *tok;
	struct rte_ether_addr mac;
	int argc = 0;

	memset(c, 0, sizeof(*c));
	if (flags & HS_LINE_LONG) {
		snprintf(why, len, "line longer than %d bytes: rejected whole",
			HS_LINE_MAX - 1);
		return -EINVAL;
	}
	if (flags & HS_LINE_BAD_BYTE) {
		snprintf(why, len, "a NUL, control or non-ASCII byte (shown "
			"as '?'): rejected");
		return -EINVAL;
	}
	for (tok = strtok_r(line, " \t\r", &save); tok != NULL && argc < 5;
			tok = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = tok;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	if (argc == 5)
		goto bad;
	if (strcmp(argv[0], "vf") == 0 && argc >= 2) {
		if (strcmp(argv[1], "grant") == 0 && argc == 2) {
			c->kind = HS_CMD_GRANT;
		} else if (strcmp(argv[1], "grant") == 0 && argc == 3 &&
				strncmp(argv[2], "mac=", 4) == 0) {
			/* xx:xx:xx:xx:xx:xx, unicast, not zero: what a
			 * guest's VF_ADD check takes. */
			if (strlen(argv[2] + 4) != RTE_ETHER_ADDR_FMT_SIZE - 1 ||
			    rte_ether_unformat_addr(argv[2] + 4, &mac) != 0 ||
			    !rte_is_valid_assigned_ether_addr(&mac)) {
				snprintf(why, len, "vf grant %s: a unicast MAC "
					"xx:xx:xx:xx:xx:xx expected", argv[2]);
				return -EINVAL;
			}
			c->kind = HS_CMD_GRANT;
			c->has_mac = true;
			snprintf(c->mac, sizeof(c->mac), "%s", argv[2] + 4);
		} else if (strcmp(argv[1], "revoke") == 0 && argc == 2) {
			c->kind = HS_CMD_REVOKE;
		} else if (strcmp(argv[1], "yank") == 0 && argc == 2) {
			c->kind = HS_CMD_YANK;
		} else {
			goto bad;
		}
	} else if (strcmp(argv[0], "migrate") == 0 && argc == 1) {
		c->kind = HS_CMD_MIGRATE;
	} else if (strcmp(argv[0], "flap") == 0 && (argc == 2 || argc == 3)) {
		c->kind = HS_CMD_FLAP;
		c->ms = HS_FLAP_MS;
		if (!hs_num_in(argv[1], 1, HS_MAX_FLAPS, &c->n) ||
		    (argc == 3 && !hs_num_in(argv[2], 1, HS_MAX_FLAP_MS,
				&c->ms))) {
			snprintf(why, len, "flap N [MS]: N from 1 to %d, MS "
				"from 1 to %d", HS_MAX_FLAPS, HS_MAX_FLAP_MS);
			return -EINVAL;
		}
	} else if (strcmp(argv[0], "sleep") == 0 && argc == 2) {
		c->kind = HS_CMD_SLEEP;
		if (!hs_num_in(argv[1], 0, HS_MAX_SLEEP_MS, &c->ms)) {
			snprintf(why, len, "sleep MS: MS from 0 to %d",
				HS_MAX_SLEEP_MS);
			return -EINVAL;
		}
	} else if (strcmp(argv[0], "ping") == 0 && argc == 1) {
		c->kind = HS_CMD_PING;
	} else if (strcmp(argv[0], "report") == 0 && argc == 1) {
		c->kind = HS_CMD_REPORT;
	} else if (strcmp(argv[0], "quit") == 0 && argc == 1) {
		c->kind = HS_CMD_QUIT;
	} else {
		goto bad;
	}
	return 0;
bad:
	snprintf(why, len, "unknown command (%s)", hs_cmd_usage);
	return -EINVAL;
}

/* One checked command; returns 1 on quit. */
static int
hs_command(const struct hs_cmd *c)
{
	unsigned int w;
	int ret;

	switch (c->kind) {
	case HS_CMD_GRANT:
		if (!c->has_mac) {
			hs_action(HS_KIND_GRANT, "vf grant", hs_grant_plain);
			break;
		}
		w = hs_window_open(HS_KIND_GRANT, "vf grant mac");
		ret = hs_vf_grant(c->mac);
		if (ret < 0)
			hs_window_fail(w, strerror(-ret));
		break;
	case HS_CMD_REVOKE:
		hs_action(HS_KIND_REVOKE, "vf revoke", hs_vf_revoke);
		break;
	case HS_CMD_YANK:
		hs_action(HS_KIND_YANK, "vf yank", hs_vf_yank);
		break;
	case HS_CMD_MIGRATE:
		hs_action(HS_KIND_MIGRATE, "migrate", hs_migrate);
		break;
	case HS_CMD_FLAP:
		if (hs_flap(c->n, c->ms) < 0)
			hs.failed = true;
		break;
	case HS_CMD_SLEEP:
		hs_wait_ms(c->ms);
		break;
	case HS_CMD_PING:
		if (hs_ctl_request("PING", NULL, hs.reply_timeout_ms) < 0)
			hs.failed = true;
		break;
	case HS_CMD_REPORT:
		hs_report_print(stdout);
		break;
	case HS_CMD_QUIT:
		return 1;
	case HS_CMD_NONE:
	default:
		break;
	}
	return 0;
}

/*
 * Check the whole of --script before anything starts: a script with a
 * bad line is refused, every bad line named.
 */
static int
hs_script_check(const char *path)
{
	char line[HS_LINE_MAX], why[256];
	struct hs_reader r;
	struct hs_cmd c;
	unsigned int flags;
	int fd, ret, bad = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "fo-hostsim: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	hs_reader_init(&r, fd, false);
	while ((ret = hs_next_line(&r, line, sizeof(line), &flags)) > 0) {
		if (hs_parse_command(line, flags, &c, why, sizeof(why)) < 0) {
			fprintf(stderr, "fo-hostsim: %s:%u: %s\n", path,
				r.lineno, why);
			bad++;
		}
	}
	close(fd);
	return bad > 0 || ret < 0 ? -EINVAL : 0;
}

/* Until the guest said HELLO and its traffic comes back on syn. */
static int
hs_wait_guest(void)
{
	uint64_t deadline = hs_now_ns() + hs.boot_timeout_ms * HS_MS_NS;

	hs_log("waiting for the guest (control channel and traffic on syn)");
	while (!hs_ctl_hello() ||
	       hs_load(&hs.tot.path_rx[HS_PATH_SYN]) == 0) {
		if (hs_interrupted)
			return -EINTR;
		if (hs_now_ns() >= deadline) {
			hs_log("guest not up after %u ms (control channel %s, "
				"%" PRIu64 " packets back on syn)",
				hs.boot_timeout_ms,
				hs_ctl_hello() ? "up" : "silent",
				hs_load(&hs.tot.path_rx[HS_PATH_SYN]));
			return -ETIMEDOUT;
		}
		hs_ctl_service(10);
	}
	hs_log("guest up: traffic flows on syn, %.1f ms after the start",
		(double)hs_load(&hs.tot.path_first_ns[HS_PATH_SYN]) / HS_MS_NS);
	return 0;
}

static int
hs_run_commands(void)
{
	char line[HS_LINE_MAX], shown[HS_LINE_MAX], why[256];
	int fd = STDIN_FILENO, ret;
	struct hs_reader r;
	struct hs_cmd c;
	unsigned int flags;

	if (hs.script != NULL) {
		fd = open(hs.script, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			hs_log("cannot open %s: %s", hs.script,
				strerror(errno));
			return -errno;
		}
	}
	hs_reader_init(&r, fd, true);
	while ((ret = hs_next_line(&r, line, sizeof(line), &flags)) > 0) {
		snprintf(shown, sizeof(shown), "%s", line);
		if ((line[0] != '\0' && line[0] != '#') || flags != 0)
			hs_log("> %s%s", shown,
				(flags & HS_LINE_LONG) ? "..." : "");
		if (hs_parse_command(line, flags, &c, why, sizeof(why)) < 0) {
			hs_log("%s", why);
			if (hs.script != NULL)
				hs.failed = true;
			continue;
		}
		if (hs_command(&c) == 1 || hs_interrupted)
			break;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return hs_interrupted ? -EINTR : 0;
}

/* Stop sending, let the wire drain, settle every count. */
static void
hs_wind_down(void)
{
	struct hs_table t;

	hs_report_freeze();
	t = hs_table_get();
	t.sending = false;
	hs_publish(&t);
	hs_wait_ms(HS_DRAIN_MS);
	hs_finalize(true);
}

int
main(int argc, char **argv)
{
	char path[HS_LINE_MAX];
	struct timespec ts;
	int ret, rc = HS_EXIT_SETUP;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	hs_t0_abs = (uint64_t)ts.tv_sec * HS_S_NS + ts.tv_nsec;
	setvbuf(stdout, NULL, _IOLBF, 0);

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "fo-hostsim: EAL init failed\n");
		return HS_EXIT_SETUP;
	}
	if (hs_parse_args(argc - ret, argv + ret) < 0) {
		hs_usage();
		goto out_eal;
	}
	if (hs.script != NULL && hs_script_check(hs.script) < 0)
		goto out_eal;
	if (hs_dir_prepare() < 0)
		goto out_eal;
	signal(SIGINT, hs_on_signal);
	signal(SIGTERM, hs_on_signal);
	signal(SIGPIPE, SIG_IGN);

	hs.traffic_lcore = rte_get_next_lcore(-1, 1, 0);
	if (hs.traffic_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "fo-hostsim: needs two lcores (-l 0-1)\n");
		goto out_eal;
	}
	hs.buckets = calloc(HS_MAX_BUCKETS, sizeof(*hs.buckets));
	hs.seen = calloc(HS_SEQ_CAP / 64, sizeof(*hs.seen));
	hs.mp = rte_pktmbuf_pool_create("hs_pool", HS_NB_MBUF, HS_MBUF_CACHE,
			0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (hs.buckets == NULL || hs.seen == NULL || hs.mp == NULL) {
		fprintf(stderr, "fo-hostsim: out of memory\n");
		goto out_mem;
	}
	/* The first table, published by hs_boot(), points at window 0. */
	hs.table = &hs.tables[0];
	hs.nb_windows = 1;
	hs.windows[0].kind = HS_KIND_START;
	snprintf(hs.windows[0].trigger, sizeof(hs.windows[0].trigger),
		"start");

	snprintf(path, sizeof(path), "%s/ctl.sock", hs.dir);
	ret = hs_ctl_listen(path);
	if (ret < 0) {
		fprintf(stderr, "fo-hostsim: %s: %s\n", path, strerror(-ret));
		goto out_mem;
	}
	if (hs_boot() < 0)
		goto out_ctl;
	ret = rte_eal_remote_launch(hs_traffic_main, NULL, hs.traffic_lcore);
	if (ret < 0)
		goto out_ports;
	hs_traffic_set_running(true);
	hs_log("sending %u pps to the guest on the synthetic path "
		"(time 0 = CLOCK_MONOTONIC %.3f s)", hs.rate_pps,
		(double)hs_t0_abs / HS_S_NS);

	ret = hs_wait_guest();
	if (ret < 0) {
		if (ret == -EINTR)
			rc = 130;
		goto out_lcore;
	}
	ret = hs_run_commands();
	hs_wind_down();
	if (ret == -EINTR) {
		rc = 130;
		goto out_lcore;
	}
	if (hs_final_report)
		hs_report_print(stdout);
	if (hs.csv != NULL && hs_csv_write(hs.csv) < 0)
		hs.failed = true;
	rc = hs_evaluate();
	hs_log("result: %s", rc == HS_EXIT_OK ? "PASS" : "FAIL");

out_lcore:
	/* Relaxed: rte_eal_wait_lcore() is the synchronisation. */
	__atomic_store_n(&hs.stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(hs.traffic_lcore);
	hs_traffic_set_running(false);
out_ports:
	hs_shutdown();
out_ctl:
	hs_ctl_close();
out_mem:
	rte_mempool_free(hs.mp);
	free(hs.seen);
	free(hs.buckets);
	free(hs.expects);
out_eal:
	rte_eal_cleanup();
	return rc;
}
