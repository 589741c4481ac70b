/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * failover-vf-churn: a small NFV-style program that uses a net_failover
 * port as any application would, and shows its traffic surviving the VF
 * going away and coming back.
 *
 * A forwarding lcore (churn_traffic.c) sends sequence-numbered packets at
 * a steady rate and receives them back. The main lcore, here, plays a
 * timed scenario on the port: boot with a VF that settles, a planned
 * switch to the synthetic path and back (as around a live migration), a
 * graceful VF revoke, the VF coming back by itself, a surprise removal of
 * the VF by a third party, and the VF coming back again. It prints a
 * status line every 250 ms and, at the end, one table row per event
 * (churn_events.c).
 *
 * The port is the only one RTE_ETH_FOREACH_DEV shows: the PMD owns its
 * sub-ports.
 */

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "churn.h"

#define NB_DESC			1024
#define NB_MBUF			16383
#define MBUF_CACHE		256

#define STATUS_EVERY_NS		(250 * CHURN_MS_NS)
/* Traffic must have flowed in the last second before each next step. */
#define RECOVERY_WINDOW_NS	CHURN_S_NS
/* Time left to the forwarding lcore to receive what is still in flight. */
#define DRAIN_NS		(200 * CHURN_MS_NS)

#define DURATION_DEFAULT	18
#define DURATION_MIN		10
#define DURATION_MAX		120
#define RATE_DEFAULT		1000000u
#define RATE_MIN		10000u
#define RATE_MAX		4000000u
#define LATENCY_DEFAULT		100u
#define LATENCY_MAX		10000u

struct churn_app app;

/* Set by the signal handler: a lock-free word, safe to store from it. */
static int quit_signal;

/*
 * The watchdog turns a hang (in the PMD or in DPDK) into a failure with a
 * message instead of a demo that never ends. The main thread reports what
 * it is doing and when it last made progress.
 */
#define WATCHDOG_STALL_NS	(10 * CHURN_S_NS)
#define WATCHDOG_QUIT_NS	(5 * CHURN_S_NS)

static uint64_t beat_ns;
static const char *doing = "starting";

static void
alive(const char *what)
{
	/*
	 * Relaxed: the watchdog only needs recent values, and @p what is a
	 * string literal that never changes.
	 */
	__atomic_store_n(&doing, what, __ATOMIC_RELAXED);
	__atomic_store_n(&beat_ns, churn_now_ns(), __ATOMIC_RELAXED);
}

static void *
watchdog(void *arg)
{
	const struct timespec nap = { 0, 250 * CHURN_MS_NS };
	uint64_t now, beat, quit_ns = 0;

	RTE_SET_USED(arg);
	for (;;) {
		nanosleep(&nap, NULL);
		/* Relaxed: see alive() and on_signal(). */
		beat = __atomic_load_n(&beat_ns, __ATOMIC_RELAXED);
		now = churn_now_ns();
		if (now > beat + WATCHDOG_STALL_NS) {
			printf("FAIL: no progress for %llu s while %s: giving "
				"up (a hang in the PMD?)\n",
				WATCHDOG_STALL_NS / CHURN_S_NS,
				__atomic_load_n(&doing, __ATOMIC_RELAXED));
			fflush(stdout);
			_exit(CHURN_EXIT_HUNG);
		}
		if (!__atomic_load_n(&quit_signal, __ATOMIC_RELAXED))
			continue;
		if (quit_ns == 0)
			quit_ns = now;
		else if (now - quit_ns > WATCHDOG_QUIT_NS) {
			printf("interrupted, and still %s after %llu s: "
				"exiting now\n",
				__atomic_load_n(&doing, __ATOMIC_RELAXED),
				WATCHDOG_QUIT_NS / CHURN_S_NS);
			fflush(stdout);
			_exit(CHURN_EXIT_INTERRUPTED);
		}
	}
	return NULL;
}

/* ----------------------------------------------------------------------
 * The scenario
 * ---------------------------------------------------------------------- */

enum step_action {
	STEP_BOOT,
	STEP_SWITCH_SYNTHETIC,
	STEP_SWITCH_VF,
	STEP_DETACH,
	STEP_SURPRISE_REMOVE,
};

struct step {
	enum step_action action;
	/* When it runs, in tenths of a second of an 18 s run (scaled). */
	unsigned int at_ds;
	const char *label;		/* in the table */
	const char *banner;		/* when it starts */
	/* Where Tx must be once traffic has recovered from the step. */
	enum rte_pmd_failover_path path_after;
	bool lossless;
};

static const struct step steps[] = {
	{ STEP_BOOT, 0, "boot: VF given, settling",
		"boot: Tx starts on synthetic, moves to the VF once it settles",
		RTE_PMD_FAILOVER_PATH_VF, true },
	{ STEP_SWITCH_SYNTHETIC, 30, "planned switch to synthetic",
		"planned switch to synthetic (before a live migration)",
		RTE_PMD_FAILOVER_PATH_SYNTHETIC, true },
	{ STEP_SWITCH_VF, 50, "planned switch back to VF",
		"planned switch back to the VF (after the migration)",
		RTE_PMD_FAILOVER_PATH_VF, true },
	{ STEP_DETACH, 80, "graceful VF revoke (vf_detach)",
		"graceful VF revoke: rte_pmd_failover_vf_detach()",
		RTE_PMD_FAILOVER_PATH_VF, true },
	{ STEP_SURPRISE_REMOVE, 120, "surprise removal (rte_dev_remove)",
		"surprise removal of the VF by a third party",
		RTE_PMD_FAILOVER_PATH_VF, false },
};

static_assert(RTE_DIM(steps) == CHURN_NB_STEPS, "one result per step");

static uint64_t
step_at_ns(unsigned int i)
{
	return (uint64_t)steps[i].at_ds * app.duration_s * CHURN_S_NS / 180;
}

static int
surprise_remove(void)
{
	struct rte_eth_dev_info info;
	uint16_t vf_port;
	int ret;

	/*
	 * RTE_ETH_FOREACH_DEV hides the VF (the PMD owns it): a third
	 * party finds it by name, as an operator's tool would.
	 */
	ret = rte_eth_dev_get_port_by_name(app.vf_name, &vf_port);
	if (ret < 0) {
		churn_say("VF port '%s' not found", app.vf_name);
		return ret;
	}
	ret = rte_eth_dev_info_get(vf_port, &info);
	if (ret < 0)
		return ret;
	if (info.device == NULL)
		return -ENODEV;
	churn_say("removing device '%s' (port %u) from under the failover "
		"port", rte_dev_name(info.device), vf_port);
	return rte_dev_remove(info.device);
}

static void
run_step(unsigned int i)
{
	const struct step *s = &steps[i];
	struct churn_row *r;
	int ret = 0;

	pthread_mutex_lock(&app.rows_lock);
	app.cur_step = i;
	r = churn_row_new_locked(s->label, true, s->lossless, 1,
		churn_now_ns());
	pthread_mutex_unlock(&app.rows_lock);

	churn_say("=== %s ===", s->banner);
	alive(s->banner);
	switch (s->action) {
	case STEP_BOOT:
		ret = rte_eth_dev_start(app.port_id);
		if (ret == 0)
			churn_say("port %u started, Tx on %s", app.port_id,
				churn_path_name(rte_pmd_failover_active_path(
					app.port_id)));
		break;
	case STEP_SWITCH_SYNTHETIC:
		ret = rte_pmd_failover_switch(app.port_id,
			RTE_PMD_FAILOVER_PATH_SYNTHETIC);
		break;
	case STEP_SWITCH_VF:
		ret = rte_pmd_failover_switch(app.port_id,
			RTE_PMD_FAILOVER_PATH_VF);
		break;
	case STEP_DETACH:
		ret = rte_pmd_failover_vf_detach(app.port_id);
		if (ret == 0)
			churn_say("VF released; the PMD probes it again by "
				"itself");
		break;
	case STEP_SURPRISE_REMOVE:
		ret = surprise_remove();
		if (ret == 0)
			churn_say("VF device removed; the PMD probes it again "
				"by itself");
		break;
	}
	if (ret < 0)
		churn_say("%s: failed: %s", s->label, rte_strerror(-ret));
	if (r != NULL) {
		pthread_mutex_lock(&app.rows_lock);
		r->api_ret = ret;
		pthread_mutex_unlock(&app.rows_lock);
	}
}

/* Received totals at each status tick, for the last-second check. */
struct tick {
	uint64_t t_ns;
	uint64_t rx;
};

static struct tick *ticks;
static unsigned int nb_ticks, max_ticks;

/*
 * Packets received since the latest tick at least a second old; @p win_ns
 * is told how long ago that tick was.
 */
static uint64_t
rx_last_second(uint64_t now, uint64_t rx_now, uint64_t *win_ns)
{
	unsigned int i;

	for (i = nb_ticks; i-- > 0; ) {
		if (ticks[i].t_ns + RECOVERY_WINDOW_NS <= now) {
			*win_ns = now - ticks[i].t_ns;
			return rx_now - ticks[i].rx;
		}
	}
	*win_ns = now - app.t0_ns;
	return rx_now;
}

/* Before the next step (or the end): did traffic recover from step @p i? */
static void
check_step(unsigned int i)
{
	struct churn_step_result *res = &app.results[i];
	struct churn_stats st;
	uint64_t win_ns;

	churn_stats_snapshot(&st);
	res->checked = true;
	res->rx_last_s = rx_last_second(churn_now_ns(), st.rx, &win_ns);
	res->path = rte_pmd_failover_active_path(app.port_id);
	res->recovered = res->rx_last_s != 0 &&
		res->path == (int)steps[i].path_after;
	churn_say("check: %" PRIu64 " received in the last %.2f s, Tx on %s "
		"(want %s): %s", res->rx_last_s, (double)win_ns / CHURN_S_NS,
		churn_path_name(res->path),
		churn_path_name(steps[i].path_after),
		res->recovered ? "recovered" : "NOT RECOVERED");
}

static void
status_line(void)
{
	static uint64_t last_rx, last_ns;
	struct churn_stats st;
	uint64_t t = churn_now_ns();
	double pps;

	churn_stats_snapshot(&st);
	if (last_ns == 0)
		last_ns = app.t0_ns;
	pps = (double)(st.rx - last_rx) * CHURN_S_NS / (double)(t - last_ns);
	last_rx = st.rx;
	last_ns = t;
	if (nb_ticks < max_ticks) {
		ticks[nb_ticks].t_ns = t;
		ticks[nb_ticks].rx = st.rx;
		nb_ticks++;
	}
	churn_say("path %-9s rx %5.2f Mpps  sent %9" PRIu64 "  lost %4" PRIu64
		"  dup %" PRIu64 "  reordered %" PRIu64,
		churn_path_name(rte_pmd_failover_active_path(app.port_id)),
		pps / 1e6, st.tx, st.next_expected - st.unique, st.dup,
		st.reordered);
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	/* Relaxed: the main loop only needs to see it eventually. */
	__atomic_store_n(&quit_signal, 1, __ATOMIC_RELAXED);
}

/* Runs steps 1.. on time; returns whether it was interrupted. */
static bool
run_scenario(void)
{
	const struct timespec nap = { 0, 2 * CHURN_MS_NS };
	uint64_t next_status = STATUS_EVERY_NS, t;
	unsigned int next_step = 1;

	for (;;) {
		alive("running the scenario");
		/* Relaxed: see on_signal(). */
		if (__atomic_load_n(&quit_signal, __ATOMIC_RELAXED)) {
			churn_say("interrupted: stopping");
			return true;
		}
		t = churn_now_ns() - app.t0_ns;
		if (t >= next_status) {
			status_line();
			next_status += STATUS_EVERY_NS;
		}
		if (next_step < CHURN_NB_STEPS && t >= step_at_ns(next_step)) {
			check_step(next_step - 1);
			run_step(next_step);
			next_step++;
		}
		if (t >= (uint64_t)app.duration_s * CHURN_S_NS) {
			check_step(next_step - 1);
			return false;
		}
		nanosleep(&nap, NULL);
	}
}

/* ----------------------------------------------------------------------
 * Options
 * ---------------------------------------------------------------------- */

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [--duration S] [--rate PPS] "
		"[--latency-us US] [-h]\n"
		"  --duration S     length of the scenario in seconds, %u to %u "
		"(default %u)\n"
		"  --rate PPS       packets sent per second, %u to %u "
		"(default %u)\n"
		"  --latency-us US  how long a packet stays in a sub-port's "
		"ring before the\n"
		"                   receiver polls, 0 to %u (default %u)\n"
		"  -h, --help       this help\n"
		"The failover port comes from EAL's --vdev, e.g.\n"
		"  --vdev 'net_failover0,synthetic=net_ring0,vf=net_ring1,"
		"vf_settle_ms=100,probe_interval_ms=300'\n"
		"Needs 2 lcores (-l 0-1). Exit code: 0 pass, %d checks failed, "
		"%d set-up failed, %d hung, %d interrupted.\n",
		prog, DURATION_MIN, DURATION_MAX, DURATION_DEFAULT, RATE_MIN,
		RATE_MAX, RATE_DEFAULT, LATENCY_MAX, LATENCY_DEFAULT,
		CHURN_EXIT_CHECKS_FAILED, CHURN_EXIT_SETUP_FAILED,
		CHURN_EXIT_HUNG, CHURN_EXIT_INTERRUPTED);
}

static int
parse_uint(const char *name, const char *s, unsigned long min,
		unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "--%s: '%s' is not a number in [%lu, %lu]\n",
			name, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* Returns 1 when help was printed, 0 to run, -EINVAL on a bad option. */
static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "rate", required_argument, NULL, 'r' },
		{ "latency-us", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	app.duration_s = DURATION_DEFAULT;
	app.rate_pps = RATE_DEFAULT;
	app.latency_us = LATENCY_DEFAULT;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_uint("duration", optarg, DURATION_MIN,
					DURATION_MAX, &v) < 0)
				return -EINVAL;
			app.duration_s = v;
			break;
		case 'r':
			if (parse_uint("rate", optarg, RATE_MIN, RATE_MAX,
					&v) < 0)
				return -EINVAL;
			app.rate_pps = v;
			break;
		case 'l':
			if (parse_uint("latency-us", optarg, 0, LATENCY_MAX,
					&v) < 0)
				return -EINVAL;
			app.latency_us = v;
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			usage(argv[0]);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* ----------------------------------------------------------------------
 * The port
 * ---------------------------------------------------------------------- */

/*
 * The VF's device name, from the vf= key of the failover device's
 * arguments: "vf=NAME" or "vf=[NAME,ARGS]". Only top-level keys count: a
 * sub-device's own arguments may hold a key of the same name.
 */
static int
vf_name_from_devargs(const char *args, char *name, size_t len)
{
	const char *p, *v, *end;
	bool key_start = true;
	int depth = 0;

	for (p = args; *p != '\0'; p++) {
		if (depth == 0 && key_start && strncmp(p, "vf=", 3) == 0) {
			v = p + 3;
			if (*v == '[')
				v++;
			end = v + strcspn(v, ",]");
			if (end == v || (size_t)(end - v) >= len)
				return -EINVAL;
			snprintf(name, len, "%.*s", (int)(end - v), v);
			return 0;
		}
		key_start = false;
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		else if (*p == ',' && depth == 0)
			key_start = true;
	}
	return -ENOENT;
}

static int
find_port(void)
{
	const struct rte_devargs *da;
	struct rte_eth_dev_info info;
	uint16_t p, n = 0;
	int ret;

	RTE_ETH_FOREACH_DEV(p) {
		app.port_id = p;
		n++;
	}
	if (n != 1) {
		fprintf(stderr, "expected exactly one port (the failover "
			"port: --vdev net_failover0,...), found %u\n", n);
		return -ENODEV;
	}
	ret = rte_pmd_failover_active_path(app.port_id);
	if (ret < 0) {
		fprintf(stderr, "port %u is not a net_failover port\n",
			app.port_id);
		return ret;
	}
	ret = rte_eth_dev_info_get(app.port_id, &info);
	if (ret < 0)
		return ret;
	da = info.device != NULL ? rte_dev_devargs(info.device) : NULL;
	if (da == NULL || da->args == NULL || vf_name_from_devargs(da->args,
			app.vf_name, sizeof(app.vf_name)) < 0) {
		fprintf(stderr, "port %u: no vf= device in its arguments (the "
			"demo removes the VF by name)\n", app.port_id);
		return -EINVAL;
	}
	return 0;
}

static int
port_setup(void)
{
	uint16_t nb_rxd = NB_DESC, nb_txd = NB_DESC;
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(app.port_id, 1, 1, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(app.port_id, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(app.port_id, 0, nb_rxd,
		rte_eth_dev_socket_id(app.port_id), NULL, app.mp);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(app.port_id, 0, nb_txd,
		rte_eth_dev_socket_id(app.port_id), NULL);
	if (ret < 0)
		return ret;
	return rte_eth_macaddr_get(app.port_id, &app.mac);
}

static void
port_close(void)
{
	int ret;

	alive("closing the port");
	if (app.started) {
		ret = rte_eth_dev_stop(app.port_id);
		if (ret < 0)
			fprintf(stderr, "port %u: stop: %s\n", app.port_id,
				rte_strerror(-ret));
		app.started = false;
	}
	ret = rte_eth_dev_close(app.port_id);
	if (ret < 0)
		fprintf(stderr, "port %u: close: %s\n", app.port_id,
			rte_strerror(-ret));
}

/* Everything but the port's start; on failure main() cleans up. */
static int
setup(void)
{
	int ret;

	app.nb_seq = churn_nb_seq(app.rate_pps, app.duration_s);
	app.seen = calloc(app.nb_seq / 64, sizeof(uint64_t));
	max_ticks = app.duration_s * (CHURN_S_NS / STATUS_EVERY_NS) + 16;
	ticks = calloc(max_ticks, sizeof(*ticks));
	if (app.seen == NULL || ticks == NULL) {
		fprintf(stderr, "out of memory\n");
		return -ENOMEM;
	}
	app.tx_interval_tsc = churn_tx_interval(app.rate_pps);
	app.rx_interval_tsc = rte_get_tsc_hz() * app.latency_us / 1000000;
	app.mp = rte_pktmbuf_pool_create("churn_pool", NB_MBUF, MBUF_CACHE,
		0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_eth_dev_socket_id(app.port_id));
	if (app.mp == NULL) {
		fprintf(stderr, "cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	ret = port_setup();
	if (ret < 0) {
		fprintf(stderr, "port %u: set-up failed: %s\n", app.port_id,
			rte_strerror(-ret));
		return ret;
	}
	ret = rte_pmd_failover_path_callback_register(app.port_id,
		churn_path_cb, NULL);
	if (ret < 0) {
		fprintf(stderr, "cannot register the path callback: %s\n",
			rte_strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * Starts the port and plays the scenario; fills @p fin with the final
 * counters. Returns 0 when the scenario ran (to its end or until a
 * signal), a negative errno when it could not start.
 */
static int
run(struct churn_stats *fin, bool *interrupted)
{
	const struct timespec drain = { 0, DRAIN_NS };
	int ret;

	printf("failover-vf-churn: port %u, VF '%s', %u s, %" PRIu32
		" packets/s in bursts of %u, Rx polled every %" PRIu32 " us\n",
		app.port_id, app.vf_name, app.duration_s, app.rate_pps,
		CHURN_BURST, app.latency_us);
	app.t0_ns = churn_now_ns();
	run_step(0);
	if (app.rows[0].api_ret < 0)
		return app.rows[0].api_ret;
	app.started = true;
	ret = rte_eal_remote_launch(churn_fwd_main, NULL, app.fwd_lcore);
	if (ret < 0) {
		fprintf(stderr, "cannot launch the forwarding lcore: %s\n",
			rte_strerror(-ret));
		return ret;
	}

	*interrupted = run_scenario();

	/*
	 * Stop sending, give what is in flight time to come back, then
	 * stop the lcore. Relaxed stores: the flags carry no data, and
	 * rte_eal_wait_lcore() orders what the lcore left behind.
	 */
	alive("stopping the forwarding lcore");
	__atomic_store_n(&app.tx_stop, 1, __ATOMIC_RELAXED);
	nanosleep(&drain, NULL);
	__atomic_store_n(&app.fwd_stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(app.fwd_lcore);

	/* Path changes from here on are the tear-down's, not the run's. */
	rte_pmd_failover_path_callback_unregister(app.port_id, churn_path_cb,
		NULL);
	churn_stats_snapshot(fin);
	pthread_mutex_lock(&app.rows_lock);
	churn_rows_account(fin);
	pthread_mutex_unlock(&app.rows_lock);
	return 0;
}

/*
 * On the early exits, the failover port is still open: close it before
 * rte_eal_cleanup(), whose vdev bus clean-up does not survive a device
 * that removes its sub-devices while the bus walks its list.
 */
static void
close_remaining_ports(void)
{
	uint16_t p;

	alive("closing the port");
	RTE_ETH_FOREACH_DEV(p) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
}

int
main(int argc, char **argv)
{
	struct churn_stats fin;
	bool ran = false, interrupted = false;
	int ret, rc = CHURN_EXIT_SETUP_FAILED;
	pthread_t wd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return CHURN_EXIT_SETUP_FAILED;
	}
	ret = parse_args(argc - ret, argv + ret);
	if (ret != 0) {
		rc = ret > 0 ? 0 : CHURN_EXIT_SETUP_FAILED;
		goto out_eal;
	}
	pthread_mutex_init(&app.rows_lock, NULL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	alive("setting up");
	ret = pthread_create(&wd, NULL, watchdog, NULL);
	if (ret != 0) {
		fprintf(stderr, "cannot start the watchdog: %s\n",
			strerror(ret));
		goto out_eal;
	}
	pthread_detach(wd);

	if (rte_lcore_count() < 2) {
		fprintf(stderr, "needs 2 lcores (-l 0-1): one forwards, the "
			"main one runs the scenario\n");
		goto out_eal;
	}
	app.fwd_lcore = rte_get_next_lcore(-1, 1, 0);
	if (find_port() < 0)
		goto out_eal;
	if (setup() == 0)
		ran = run(&fin, &interrupted) == 0;

	/* Harmless when not registered (-ENOENT). */
	rte_pmd_failover_path_callback_unregister(app.port_id, churn_path_cb,
		NULL);
	port_close();
	/* After the close: the mbufs still out are those of lost packets. */
	if (ran)
		rc = churn_report(&fin, interrupted,
			rte_mempool_in_use_count(app.mp));
	rte_mempool_free(app.mp);
	free(app.seen);
	free(ticks);
out_eal:
	close_remaining_ports();
	alive("cleaning up EAL");
	rte_eal_cleanup();
	return rc;
}
