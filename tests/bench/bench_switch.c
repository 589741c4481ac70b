/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Latency of a planned switch while an lcore forwards on the port.
 *
 * Lcore 1 runs the io-forward loop on a net_failover port over two
 * net_null sub-ports without pause. The main lcore switches the port to
 * the synthetic path and back to the VF, again and again, with
 * rte_pmd_failover_switch(), and measures:
 *  - request -> return: the call, which returns when the hand-off is
 *    complete (no burst can still use the old Tx path);
 *  - publish -> quiescent: the latency_ns the PMD reports to path
 *    callbacks, from the publication of the new path until no queue uses
 *    the old one.
 * Between two switches the main lcore waits until the forwarder has run a
 * few more loops, then a random 0-200 us, so that switches land at every
 * point of a burst.
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

#define SWITCHES_FULL	1000
#define SWITCHES_QUICK	100
#define MAX_SWITCHES	100000
#define TARGET_US	50.0

struct path_log {
	unsigned int n;			/* callbacks seen */
	unsigned int wrong;		/* callbacks to an unexpected path */
	enum rte_pmd_failover_path expect;
	double *latency_ns;
	uint64_t t_cb;			/* when the last callback ran, ns */
};

/*
 * Runs on the thread that switched: here the main lcore inside
 * rte_pmd_failover_switch(), so no other thread touches the log.
 */
static void
path_cb(uint16_t port_id, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	struct path_log *log = arg;

	log->t_cb = bench_now_ns();
	RTE_SET_USED(port_id);
	if (ev->to != log->expect)
		log->wrong++;
	if (log->n < MAX_SWITCHES)
		log->latency_ns[log->n] = (double)ev->latency_ns;
	log->n++;
}

static uint64_t
opackets(uint16_t port)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(port, &st) < 0)
		return 0;
	return st.opackets;
}

static void
print_row(const char *what, double *v, unsigned int n)
{
	double med = bench_median(v, n);
	double p99 = bench_percentile(v, n, 99.0);

	printf("%-44s %9.1f %9.1f %9.1f %6u\n", what, med / 1e3, p99 / 1e3,
		bench_max(v, n) / 1e3, n);
}

int
main(int argc, char **argv)
{
	struct bench_forwarder fwd = { 0 };
	struct path_log log = { 0 };
	struct bench_opts o;
	double *req_ns, *to_syn_ns, *to_vf_ns, *pre_ns, *post_ns;
	unsigned int switches, i, n_syn = 0, n_vf = 0;
	uint64_t syn_tx0, vf_tx0, syn_tx, vf_tx, t0, t1, run_t0, run_ns;
	uint64_t fwd_pkts0, fwd_pkts;
	uint64_t rng = 0x2545f4914f6cdd1dull;
	enum rte_pmd_failover_path target;
	uint16_t fo, syn, vf;
	unsigned int lcore;
	double med;
	int ret, fail = 0;

	bench_parse_args(argc, argv, &o);
	switches = o.rounds != 0 ? o.rounds :
		o.quick ? SWITCHES_QUICK : SWITCHES_FULL;
	if (switches > MAX_SWITCHES) {
		fprintf(stderr, "at most %u switches\n", MAX_SWITCHES);
		return 2;
	}
	req_ns = calloc(switches, sizeof(double));
	to_syn_ns = calloc(switches, sizeof(double));
	to_vf_ns = calloc(switches, sizeof(double));
	pre_ns = calloc(switches, sizeof(double));
	post_ns = calloc(switches, sizeof(double));
	log.latency_ns = calloc(switches, sizeof(double));
	if (req_ns == NULL || to_syn_ns == NULL || to_vf_ns == NULL ||
	    pre_ns == NULL || post_ns == NULL || log.latency_ns == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	/* usleep() between switches: no 50 us timer slack added to it. */
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
	ret = bench_probe("net_failover0,synthetic=net_null30,vf=net_null31,"
		"vf_settle_ms=0", &fo);
	if (ret < 0) {
		fprintf(stderr, "probe failed: %s\n", rte_strerror(-ret));
		goto out_eal;
	}
	if (rte_eth_dev_get_port_by_name("net_null30", &syn) < 0 ||
	    rte_eth_dev_get_port_by_name("net_null31", &vf) < 0) {
		fprintf(stderr, "sub-ports not found\n");
		ret = -ENODEV;
		goto out_port;
	}
	ret = bench_port_start(fo);
	if (ret < 0) {
		fprintf(stderr, "start failed: %s\n", rte_strerror(-ret));
		goto out_port;
	}
	for (i = 0; i < 3000 && rte_pmd_failover_active_path(fo) !=
			RTE_PMD_FAILOVER_PATH_VF; i++)
		usleep(1000);
	if (rte_pmd_failover_active_path(fo) != RTE_PMD_FAILOVER_PATH_VF) {
		fprintf(stderr, "the VF never became active\n");
		ret = -ETIMEDOUT;
		goto out_port;
	}
	ret = rte_pmd_failover_path_callback_register(fo, path_cb, &log);
	if (ret < 0) {
		fprintf(stderr, "callback register: %s\n", rte_strerror(-ret));
		goto out_port;
	}

	fwd.port = fo;
	ret = rte_eal_remote_launch(bench_forwarder_main, &fwd, lcore);
	if (ret < 0) {
		fprintf(stderr, "launch failed: %s\n", rte_strerror(-ret));
		goto out_cb;
	}
	if (!bench_forwarder_progress(&fwd, 100, 2000)) {
		fprintf(stderr, "the forwarding lcore does not run\n");
		fail = 1;
	}

	syn_tx0 = opackets(syn);
	vf_tx0 = opackets(vf);
	/* Relaxed: a counter, see bench_forwarder_main(). */
	fwd_pkts0 = __atomic_load_n(&fwd.pkts, __ATOMIC_RELAXED);
	run_t0 = bench_now_ns();
	for (i = 0; i < switches && !fail; i++) {
		/* The port starts on the VF: first to synthetic, then back. */
		target = i % 2 == 0 ? RTE_PMD_FAILOVER_PATH_SYNTHETIC :
			RTE_PMD_FAILOVER_PATH_VF;
		log.expect = target;
		t0 = bench_now_ns();
		ret = rte_pmd_failover_switch(fo, target);
		t1 = bench_now_ns();
		if (ret != 0) {
			fprintf(stderr, "switch %u to %d failed: %s\n", i,
				target, rte_strerror(-ret));
			fail = 1;
			break;
		}
		if (rte_pmd_failover_active_path(fo) != (int)target ||
		    log.n != i + 1) {
			fprintf(stderr, "switch %u: path %d (wanted %d), %u "
				"callbacks (wanted %u)\n", i,
				rte_pmd_failover_active_path(fo), target,
				log.n, i + 1);
			fail = 1;
			break;
		}
		req_ns[i] = (double)(t1 - t0);
		/*
		 * Where the rest of the call goes: before the publication
		 * (lock, state machine) and after the callback (waking the
		 * control thread, unlock).
		 */
		pre_ns[i] = (double)(log.t_cb - t0) - log.latency_ns[i];
		post_ns[i] = (double)(t1 - log.t_cb);
		if (target == RTE_PMD_FAILOVER_PATH_VF)
			to_vf_ns[n_vf++] = req_ns[i];
		else
			to_syn_ns[n_syn++] = req_ns[i];
		/* Under forwarding: let the lcore use the new path a while. */
		if (!bench_forwarder_progress(&fwd, 4, 2000)) {
			fprintf(stderr, "forwarding stalled after switch %u\n",
				i);
			fail = 1;
			break;
		}
		usleep(bench_rand(&rng) % 200);
	}
	run_ns = bench_now_ns() - run_t0;
	fwd_pkts = __atomic_load_n(&fwd.pkts, __ATOMIC_RELAXED) - fwd_pkts0;
	/* Release: the forwarder's acquire load sees it and returns. */
	__atomic_store_n(&fwd.stop, true, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(lcore);
	syn_tx = opackets(syn) - syn_tx0;
	vf_tx = opackets(vf) - vf_tx0;

	if (!fail && (log.wrong != 0 || syn_tx == 0 || vf_tx == 0)) {
		fprintf(stderr, "%u callbacks to the wrong path; Tx synthetic "
			"%" PRIu64 ", VF %" PRIu64 "\n", log.wrong, syn_tx,
			vf_tx);
		fail = 1;
	}
	if (!fail) {
		printf("\nbench_switch: %u planned switches "
			"(rte_pmd_failover_switch) while lcore %u forwards\n",
			switches, lcore);
		printf("  on net_failover over net_null; %s; %.1f Mpps "
			"forwarded meanwhile; Tx synthetic %" PRIu64
			", VF %" PRIu64 "\n",
			o.huge ? "hugepages" : "no hugepages",
			(double)fwd_pkts / ((double)run_ns / 1e3), syn_tx,
			vf_tx);
		bench_rule(80);
		printf("%-44s %9s %9s %9s %6s\n", "latency (us)", "median",
			"p99", "max", "n");
		bench_rule(80);
		med = bench_median(req_ns, switches);
		print_row("request -> return, all", req_ns, switches);
		print_row("request -> return, to synthetic", to_syn_ns, n_syn);
		print_row("request -> return, to VF", to_vf_ns, n_vf);
		print_row("publish -> old path quiescent (callback)",
			log.latency_ns, log.n);
		print_row("  request -> publish (lock, state machine)",
			pre_ns, switches);
		print_row("  callback -> return (wake control, unlock)",
			post_ns, switches);
		bench_rule(80);
		printf("target: median request -> return < %.0f us: %s "
			"(%.1f us)\n", TARGET_US,
			med / 1e3 < TARGET_US ? "met" : "NOT met", med / 1e3);
	}

out_cb:
	rte_pmd_failover_path_callback_unregister(fo, path_cb, &log);
out_port:
	rte_eth_dev_stop(fo);
	rte_eth_dev_close(fo);
out_eal:
	rte_eal_cleanup();
	free(req_ns);
	free(to_syn_ns);
	free(to_vf_ns);
	free(pre_ns);
	free(post_ns);
	free(log.latency_ns);
	return ret < 0 || fail ? 1 : 0;
}
