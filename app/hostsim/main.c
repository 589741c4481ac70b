/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * fo-hostsim: options, start-up, the scenario command loop and the exit.
 *
 *   fo-hostsim EAL-ARGS -- --dir DIR [--mac MAC] [--rate PPS]
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
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		"usage: fo-hostsim EAL-ARGS -- --dir DIR [options]\n"
		"  --dir DIR            sockets: DIR/ctl.sock, syn.sock, vfN.sock\n"
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
	if (hs.dir == NULL || optind != argc ||
	    rte_ether_unformat_addr(mac, &hs.guest_mac) != 0)
		return -EINVAL;
	rte_ether_unformat_addr(HS_HOST_MAC, &hs.host_mac);
	return 0;
}

/* Next command line from @p fd; 0 at EOF, -EINTR on a signal. */
static int
hs_next_line(int fd, char *out, size_t len)
{
	static char buf[HS_LINE_MAX * 2];
	static size_t have;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(buf, '\n', have);
		if (nl != NULL || have == sizeof(buf)) {
			n = nl != NULL ? nl - buf : (ssize_t)have - 1;
			snprintf(out, len, "%.*s", (int)n, buf);
			have -= n + 1;
			memmove(buf, buf + n + 1, have);
			return 1;
		}
		if (hs_interrupted)
			return -EINTR;
		hs_ctl_service(0);
		hs_finalize(false);
		if (poll(&p, 1, 20) <= 0)
			continue;
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (have == 0)
				return 0;
			/* A last line without its newline. */
			buf[have] = '\n';
			have++;
			continue;
		}
		have += n;
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

/* One scenario command; returns 1 on quit. */
static int
hs_command(char *line)
{
	char *argv[4], *save = NULL, *tok;
	uint32_t n, ms;
	unsigned int w;
	int argc = 0, ret;

	for (tok = strtok_r(line, " \t\r", &save); tok != NULL && argc < 4;
			tok = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = tok;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	if (strcmp(argv[0], "vf") == 0 && argc >= 2) {
		if (strcmp(argv[1], "grant") == 0 && argc == 2) {
			hs_action(HS_KIND_GRANT, "vf grant", hs_grant_plain);
		} else if (strcmp(argv[1], "grant") == 0 && argc == 3 &&
				strncmp(argv[2], "mac=", 4) == 0) {
			w = hs_window_open(HS_KIND_GRANT, "vf grant mac");
			ret = hs_vf_grant(argv[2] + 4);
			if (ret < 0)
				hs_window_fail(w, strerror(-ret));
		} else if (strcmp(argv[1], "revoke") == 0 && argc == 2) {
			hs_action(HS_KIND_REVOKE, "vf revoke", hs_vf_revoke);
		} else if (strcmp(argv[1], "yank") == 0 && argc == 2) {
			hs_action(HS_KIND_YANK, "vf yank", hs_vf_yank);
		} else {
			goto bad;
		}
	} else if (strcmp(argv[0], "migrate") == 0 && argc == 1) {
		hs_action(HS_KIND_MIGRATE, "migrate", hs_migrate);
	} else if (strcmp(argv[0], "flap") == 0 && (argc == 2 || argc == 3)) {
		ms = HS_FLAP_MS;
		if (hs_parse_u32(argv[1], &n) < 0 || n == 0 ||
		    (argc == 3 && hs_parse_u32(argv[2], &ms) < 0))
			goto bad;
		if (hs_flap(n, ms) < 0)
			hs.failed = true;
	} else if (strcmp(argv[0], "sleep") == 0 && argc == 2) {
		if (hs_parse_u32(argv[1], &ms) < 0)
			goto bad;
		hs_wait_ms(ms);
	} else if (strcmp(argv[0], "ping") == 0 && argc == 1) {
		if (hs_ctl_request("PING", NULL, hs.reply_timeout_ms) < 0)
			hs.failed = true;
	} else if (strcmp(argv[0], "report") == 0 && argc == 1) {
		hs_report_print(stdout);
	} else if (strcmp(argv[0], "quit") == 0 && argc == 1) {
		return 1;
	} else {
		goto bad;
	}
	return 0;
bad:
	hs_log("unknown command (vf grant [mac=MAC] | vf revoke | vf yank | "
		"migrate | flap N [MS] | sleep MS | ping | report | quit)");
	if (hs.script != NULL)
		hs.failed = true;
	return 0;
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
	char line[HS_LINE_MAX];
	int fd = STDIN_FILENO, ret;

	if (hs.script != NULL) {
		fd = open(hs.script, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			hs_log("cannot open %s: %s", hs.script,
				strerror(errno));
			return -errno;
		}
	}
	while ((ret = hs_next_line(fd, line, sizeof(line))) > 0) {
		if (line[0] != '\0' && line[0] != '#')
			hs_log("> %s", line);
		if (hs_command(line) == 1 || hs_interrupted)
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

	if (hs_wait_guest() < 0)
		goto out_lcore;
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
