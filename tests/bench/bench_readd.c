/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * VF re-add latency while an lcore forwards on the port.
 *
 * net_failover over synthetic=net_null40, vf=net_null41 with
 * vf_settle_ms=0 and probe_interval_ms=10; lcore 1 forwards without pause.
 * Each cycle the main lcore detaches the VF gracefully
 * (rte_pmd_failover_vf_detach(): the PMD drains, stops, closes and removes
 * the device it probed); the PMD probes the vf= device again 10 ms later;
 * the new port's RTE_ETH_EVENT_NEW leads to adoption, set-up, and the
 * switch to the VF. Measured from that NEW event (our own callback,
 * registered before the PMD's so that it runs first) to:
 *  - the path callback telling the Tx path is the VF;
 *  - the first packet sent on the new VF port (its opackets no longer 0).
 * The settle delay is excluded (vf_settle_ms=0). The time the detach
 * call takes (Rx drain) and the wait for the re-probe are shown apart.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "bench_common.h"
#include "rte_pmd_failover.h"

#define CYCLES_FULL	50
#define CYCLES_QUICK	5
#define MAX_CYCLES	10000
#define TARGET_MS	10.0
#define WAIT_MS		3000
#define VF_NAME		"net_null41"

/* Written by callbacks on the PMD's threads, read by the main lcore. */
struct readd_clock {
	uint64_t t_new;		/* NEW of the VF port, ns (0: not yet) */
	uint16_t new_port;
	uint64_t t_path_vf;	/* path callback to the VF, ns */
	unsigned int nb_new;	/* NEW events counted */
	bool armed;		/* a detach is under way: count NEW */
};

static struct readd_clock clk;

/*
 * NEW is raised before the port is marked attached, so the public ethdev
 * calls refuse it here (rte_eth_dev_get_name_by_port() says "Invalid
 * port_id"): take the time and the port, the main lcore checks the name
 * once the port is usable. Only the first NEW after the detach counts;
 * nothing else is probed meanwhile.
 */
static int
new_cb(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	uint64_t now = bench_now_ns();

	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	/* Acquire: pairs with the release store arming us. */
	if (type != RTE_ETH_EVENT_NEW ||
	    !__atomic_load_n(&clk.armed, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&clk.t_new, __ATOMIC_RELAXED) != 0)
		return 0;
	/* Relaxed: t_new, stored last with release, publishes it. */
	__atomic_store_n(&clk.new_port, port_id, __ATOMIC_RELAXED);
	__atomic_fetch_add(&clk.nb_new, 1, __ATOMIC_RELAXED);
	/* Release: the main lcore that sees t_new sees new_port too. */
	__atomic_store_n(&clk.t_new, now, __ATOMIC_RELEASE);
	return 0;
}

static void
path_cb(uint16_t port_id, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	uint64_t now = bench_now_ns();

	RTE_SET_USED(port_id);
	RTE_SET_USED(arg);
	/*
	 * Only the switch that follows this cycle's NEW counts; a late call
	 * for the previous cycle's switch finds t_new cleared.
	 * Acquire: pairs with the release store in new_cb().
	 */
	if (ev->to != RTE_PMD_FAILOVER_PATH_VF ||
	    __atomic_load_n(&clk.t_new, __ATOMIC_ACQUIRE) == 0)
		return;
	/* Relaxed: a time stamp read on its own. */
	__atomic_store_n(&clk.t_path_vf, now, __ATOMIC_RELAXED);
}

/* Poll @p v every few microseconds until non-zero; 0 on timeout. */
static uint64_t
wait_stamp(const uint64_t *v, unsigned int ms)
{
	uint64_t deadline = bench_now_ns() + (uint64_t)ms * 1000000;
	uint64_t t;

	/* Acquire: pairs with the release store in new_cb(). */
	while ((t = __atomic_load_n(v, __ATOMIC_ACQUIRE)) == 0) {
		if (bench_now_ns() > deadline)
			return 0;
		usleep(5);
	}
	return t;
}

/* Time the first packet sent on @p port is seen, 0 on timeout. */
static uint64_t
wait_first_tx(uint16_t port, unsigned int ms)
{
	uint64_t deadline = bench_now_ns() + (uint64_t)ms * 1000000;
	struct rte_eth_stats st;

	for (;;) {
		if (rte_eth_stats_get(port, &st) == 0 && st.opackets != 0)
			return bench_now_ns();
		if (bench_now_ns() > deadline)
			return 0;
		usleep(5);
	}
}

static void
print_row(const char *what, double *v, unsigned int n)
{
	double med = bench_median(v, n);
	double p99 = bench_percentile(v, n, 99.0);

	printf("%-40s %9.3f %9.3f %9.3f %6u\n", what, med / 1e6, p99 / 1e6,
		bench_max(v, n) / 1e6, n);
}

int
main(int argc, char **argv)
{
	struct bench_forwarder fwd = { 0 };
	char name[RTE_ETH_NAME_MAX_LEN];
	struct bench_opts o;
	double *new_tx, *new_path, *detach, *reprobe;
	unsigned int cycles, c, i, lcore;
	uint64_t t0, t1, t_new, t_path, t_tx;
	uint16_t fo, vf;
	double med;
	int ret, fail = 0;

	bench_parse_args(argc, argv, &o);
	cycles = o.rounds != 0 ? o.rounds :
		o.quick ? CYCLES_QUICK : CYCLES_FULL;
	if (cycles > MAX_CYCLES) {
		fprintf(stderr, "at most %u cycles\n", MAX_CYCLES);
		return 2;
	}
	new_tx = calloc(cycles, sizeof(double));
	new_path = calloc(cycles, sizeof(double));
	detach = calloc(cycles, sizeof(double));
	reprobe = calloc(cycles, sizeof(double));
	if (new_tx == NULL || new_path == NULL || detach == NULL ||
	    reprobe == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	/* The polls below sleep 5 us: no 50 us timer slack added to them. */
	prctl(PR_SET_TIMERSLACK, 1000ul);

	ret = bench_eal_init(argv[0], &o, "0-1");
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(-ret));
		return 1;
	}
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "needs two lcores\n");
		ret = -EINVAL;
		goto out_eal;
	}
	/* Before the PMD registers its own: ours runs first. */
	ret = rte_eth_dev_callback_register(RTE_ETH_ALL, RTE_ETH_EVENT_NEW,
		new_cb, NULL);
	if (ret < 0) {
		fprintf(stderr, "NEW callback: %s\n", rte_strerror(-ret));
		goto out_eal;
	}
	ret = bench_probe("net_failover0,synthetic=net_null40,vf=" VF_NAME
		",vf_settle_ms=0,probe_interval_ms=10", &fo);
	if (ret < 0) {
		fprintf(stderr, "probe failed: %s\n", rte_strerror(-ret));
		goto out_new_cb;
	}
	ret = bench_port_start(fo);
	if (ret < 0) {
		fprintf(stderr, "start failed: %s\n", rte_strerror(-ret));
		goto out_port;
	}
	ret = rte_pmd_failover_path_callback_register(fo, path_cb, NULL);
	if (ret < 0) {
		fprintf(stderr, "path callback: %s\n", rte_strerror(-ret));
		goto out_port;
	}
	fwd.port = fo;
	ret = rte_eal_remote_launch(bench_forwarder_main, &fwd, lcore);
	if (ret < 0) {
		fprintf(stderr, "launch failed: %s\n", rte_strerror(-ret));
		goto out_path_cb;
	}

	for (c = 0; c < cycles && !fail; c++) {
		for (i = 0; i < WAIT_MS && rte_pmd_failover_active_path(fo) !=
				RTE_PMD_FAILOVER_PATH_VF; i++)
			usleep(1000);
		if (rte_pmd_failover_active_path(fo) !=
				RTE_PMD_FAILOVER_PATH_VF) {
			fprintf(stderr, "cycle %u: the VF is not active\n", c);
			fail = 1;
			break;
		}
		if (!bench_forwarder_progress(&fwd, 16, WAIT_MS)) {
			fprintf(stderr, "cycle %u: forwarding stalled\n", c);
			fail = 1;
			break;
		}
		/*
		 * Release: a path callback that reads t_new == 0 ignores
		 * itself; one that reads the next NEW's stamp comes after
		 * these stores.
		 */
		__atomic_store_n(&clk.t_new, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&clk.t_path_vf, 0, __ATOMIC_RELEASE);
		/* Release: new_cb() armed sees the cleared stamps. */
		__atomic_store_n(&clk.armed, true, __ATOMIC_RELEASE);

		t0 = bench_now_ns();
		ret = rte_pmd_failover_vf_detach(fo);
		t1 = bench_now_ns();
		if (ret != 0) {
			fprintf(stderr, "cycle %u: detach failed: %s\n", c,
				rte_strerror(-ret));
			fail = 1;
			break;
		}
		t_new = wait_stamp(&clk.t_new, WAIT_MS);
		if (t_new == 0) {
			fprintf(stderr, "cycle %u: the VF was not probed again "
				"(no NEW event)\n", c);
			fail = 1;
			break;
		}
		vf = __atomic_load_n(&clk.new_port, __ATOMIC_RELAXED);
		t_path = wait_stamp(&clk.t_path_vf, WAIT_MS);
		if (t_path == 0) {
			fprintf(stderr, "cycle %u: no switch to the new VF "
				"(port %u)\n", c, vf);
			fail = 1;
			break;
		}
		t_tx = wait_first_tx(vf, WAIT_MS);
		if (t_tx == 0 || t_path < t_new) {
			fprintf(stderr, "cycle %u: nothing sent on the new VF "
				"port %u, or switched before its NEW\n", c, vf);
			fail = 1;
			break;
		}
		/* Relaxed: the callbacks are done with this cycle. */
		__atomic_store_n(&clk.armed, false, __ATOMIC_RELAXED);
		if (rte_eth_dev_get_name_by_port(vf, name) != 0 ||
		    strcmp(name, VF_NAME) != 0) {
			fprintf(stderr, "cycle %u: NEW port %u is not %s\n",
				c, vf, VF_NAME);
			fail = 1;
			break;
		}
		detach[c] = (double)(t1 - t0);
		reprobe[c] = t_new > t1 ? (double)(t_new - t1) : 0.0;
		new_path[c] = (double)(t_path - t_new);
		new_tx[c] = (double)(t_tx - t_new);
	}
	/* Release: the forwarder's acquire load sees it and returns. */
	__atomic_store_n(&fwd.stop, true, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(lcore);

	if (!fail && __atomic_load_n(&clk.nb_new, __ATOMIC_RELAXED) < cycles) {
		fprintf(stderr, "%u NEW events for %u re-adds\n",
			clk.nb_new, cycles);
		fail = 1;
	}
	if (!fail) {
		printf("\nbench_readd: %u VF detach / re-add cycles while "
			"lcore %u forwards\n", cycles, lcore);
		printf("  net_failover over net_null, vf_settle_ms=0, "
			"probe_interval_ms=10; %s\n",
			o.huge ? "hugepages" : "no hugepages");
		bench_rule(76);
		printf("%-40s %9s %9s %9s %6s\n", "latency (ms)", "median",
			"p99", "max", "n");
		bench_rule(76);
		med = bench_median(new_tx, cycles);
		print_row("NEW -> first Tx on the new VF", new_tx, cycles);
		print_row("NEW -> path callback (Tx on VF)", new_path, cycles);
		print_row("vf_detach() call (drain, release)", detach, cycles);
		print_row("detach return -> NEW (re-probe wait)", reprobe,
			cycles);
		bench_rule(76);
		printf("target: median NEW -> first Tx < %.0f ms: %s "
			"(%.3f ms)\n", TARGET_MS,
			med / 1e6 < TARGET_MS ? "met" : "NOT met", med / 1e6);
	}

out_path_cb:
	rte_pmd_failover_path_callback_unregister(fo, path_cb, NULL);
out_port:
	rte_eth_dev_stop(fo);
	rte_eth_dev_close(fo);
out_new_cb:
	rte_eth_dev_callback_unregister(RTE_ETH_ALL, RTE_ETH_EVENT_NEW,
		new_cb, NULL);
out_eal:
	rte_eal_cleanup();
	free(new_tx);
	free(new_path);
	free(detach);
	free(reprobe);
	return ret < 0 || fail ? 1 : 0;
}
