/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Cycles per packet of the io-forward loop (rx a burst of 32, tx it back
 * on the same port, free what was not sent) on one lcore, for a bare
 * net_null port and for the wrappers over net_null sub-ports: net_failover
 * on its VF, net_failover with no VF, net_failsafe and bonding
 * active-backup. net_null's Rx allocates mbufs and its Tx frees them, so
 * what differs between the ports is the wrapper's own cost.
 *
 * A 2-core VM swings by 2-4x from one run to the next, so absolute figures
 * mean little: every port is measured in the same process, in turns, and
 * reported as a ratio to the bare port of the same round (see measure()).
 * A second bare port (A/A) shows how far that ratio strays when nothing
 * differs. --callgrind KIND runs one fixed loop instead, for an
 * instruction count that does not depend on the machine's mood.
 */

#include <alloca.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "bench_common.h"
#include "fo_app_compat.h"
#include "rte_pmd_failover.h"

#define ROUNDS_FULL	21
#define ROUNDS_QUICK	5
#define BURSTS_FULL	20000
#define BURSTS_QUICK	4000
#define BURSTS_CG	2000
#define SLICE_BURSTS	100u
#define MAX_SLICES	4096
#define TARGET_RATIO	1.02
#define MAX_ROUNDS	1024
#define AA_TOLERANCE	0.02

enum {
	P_BARE = 0,
	P_BARE2,	/* A/A control: a second bare port */
	P_FO_VF,
	P_FO_SYN,
	P_FAILSAFE,
	P_BONDING,
	P_FO_MP,	/* net_failover whose hand-off serves secondaries */
	P_MAX,
};

struct bench_port {
	const char *label;	/* table row */
	const char *kind;	/* --callgrind KIND */
	uint16_t port;
	uint16_t sub;		/* sub-port whose Tx counter must move */
	double cpp[MAX_ROUNDS];		/* cycles per packet, per round */
	double ratio[MAX_ROUNDS];	/* cpp / bare port's cpp, per round */
};

static struct bench_port ports[P_MAX] = {
	[P_BARE] = { .label = "(a) net_null, bare", .kind = "bare" },
	[P_BARE2] = { .label = "(a') net_null, bare (A/A)", .kind = "bare2" },
	[P_FO_VF] = { .label = "(b) net_failover, on VF", .kind = "failover" },
	[P_FO_SYN] = { .label = "(c) net_failover, no VF",
		.kind = "failover-novf" },
	[P_FAILSAFE] = { .label = "(d) net_failsafe", .kind = "failsafe" },
	[P_BONDING] = { .label = "(e) bonding active-backup",
		.kind = "bonding" },
	[P_FO_MP] = { .label = "(f) failover, mp_data_path=1",
		.kind = "failover-mp" },
};

static int
port_of(const char *name, uint16_t *port)
{
	int ret = rte_eth_dev_get_port_by_name(name, port);

	if (ret < 0)
		fprintf(stderr, "no port named %s\n", name);
	return ret;
}

/* A port that forwards nothing would make its figures meaningless. */
static bool
forwards(void *arg)
{
	uint16_t port = *(uint16_t *)arg;

	return bench_fwd(port, 16) != 0;
}

static int
setup_ports(void)
{
	uint16_t n22, n23;
	unsigned int i;
	int ret;

	/* Not a port until probed: close_ports() skips them. */
	for (i = 0; i < P_MAX; i++)
		ports[i].port = RTE_MAX_ETHPORTS;
	ret = bench_probe("net_null10", &ports[P_BARE].port);
	if (ret < 0)
		goto fail;
	ports[P_BARE].sub = ports[P_BARE].port;
	ret = bench_probe("net_null14", &ports[P_BARE2].port);
	if (ret < 0)
		goto fail;
	ports[P_BARE2].sub = ports[P_BARE2].port;

	ret = bench_probe("net_failover0,synthetic=net_null11,vf=net_null12,"
		"vf_settle_ms=0", &ports[P_FO_VF].port);
	if (ret < 0)
		goto fail;
	ret = port_of("net_null12", &ports[P_FO_VF].sub);
	if (ret < 0)
		goto fail;

	ret = bench_probe("net_failover1,synthetic=net_null13",
		&ports[P_FO_SYN].port);
	if (ret < 0)
		goto fail;
	ret = port_of("net_null13", &ports[P_FO_SYN].sub);
	if (ret < 0)
		goto fail;

	/* The cost of cross-process safety: a fence in every burst. */
	ret = bench_probe("net_failover2,synthetic=net_null15,vf=net_null16,"
		"vf_settle_ms=0,mp_data_path=1", &ports[P_FO_MP].port);
	if (ret < 0)
		goto fail;
	ret = port_of("net_null16", &ports[P_FO_MP].sub);
	if (ret < 0)
		goto fail;

	ret = bench_probe("net_failsafe0,dev(net_null20),dev(net_null21)",
		&ports[P_FAILSAFE].port);
	if (ret < 0)
		goto fail;
	ret = port_of("net_null20", &ports[P_FAILSAFE].sub);
	if (ret < 0)
		goto fail;

	/* Bonding takes members that exist already. */
	ret = bench_probe("net_null22", &n22);
	if (ret < 0)
		goto fail;
	ret = bench_probe("net_null23", &n23);
	if (ret < 0)
		goto fail;
	ret = bench_probe("net_bonding0,mode=1," FO_BOND_MEMBER "=net_null22,"
		FO_BOND_MEMBER "=net_null23,primary=net_null22",
		&ports[P_BONDING].port);
	if (ret < 0)
		goto fail;
	ports[P_BONDING].sub = n22;

	for (i = 0; i < P_MAX; i++) {
		ret = bench_port_start(ports[i].port);
		if (ret < 0) {
			fprintf(stderr, "%s: start failed: %s\n",
				ports[i].label, rte_strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < P_MAX; i++) {
		if (!bench_wait_link(ports[i].port, 3000)) {
			fprintf(stderr, "%s: link stays down\n",
				ports[i].label);
			return -ETIMEDOUT;
		}
	}
	for (i = 0; i < 3000; i++) {
		if (rte_pmd_failover_active_path(ports[P_FO_VF].port) ==
				RTE_PMD_FAILOVER_PATH_VF &&
		    rte_pmd_failover_active_path(ports[P_FO_MP].port) ==
				RTE_PMD_FAILOVER_PATH_VF)
			break;
		rte_delay_ms(1);
	}
	if (rte_pmd_failover_active_path(ports[P_FO_VF].port) !=
			RTE_PMD_FAILOVER_PATH_VF) {
		fprintf(stderr, "%s: VF never became active\n",
			ports[P_FO_VF].label);
		return -ETIMEDOUT;
	}
	if (rte_pmd_failover_active_path(ports[P_FO_SYN].port) !=
			RTE_PMD_FAILOVER_PATH_SYNTHETIC) {
		fprintf(stderr, "%s: not on the synthetic path\n",
			ports[P_FO_SYN].label);
		return -EINVAL;
	}
	for (i = 0; i < P_MAX; i++) {
		if (!bench_wait(forwards, &ports[i].port, 3000)) {
			fprintf(stderr, "%s: receives nothing\n",
				ports[i].label);
			return -EIO;
		}
	}
	return 0;
fail:
	fprintf(stderr, "port set-up failed: %s\n", rte_strerror(-ret));
	return ret;
}

static void
close_ports(void)
{
	int i;

	/* Wrappers first: they hold their members. */
	for (i = P_MAX - 1; i >= 0; i--) {
		if (!rte_eth_dev_is_valid_port(ports[i].port))
			continue;
		rte_eth_dev_stop(ports[i].port);
		rte_eth_dev_close(ports[i].port);
	}
}

static uint64_t
opackets(uint16_t port)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(port, &st) < 0)
		return 0;
	return st.opackets;
}

/* Shuffle the measuring order of a round (Fisher-Yates). */
static void
shuffle(unsigned int *order, unsigned int n, uint64_t *rng)
{
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = bench_rand(rng) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/*
 * The loop counted by callgrind (--toggle-collect=bench_cg_loop): kept
 * out of line so that its instructions, and those of everything it calls,
 * are all that is counted.
 */
static __rte_noinline uint64_t
bench_cg_loop(uint16_t port, unsigned int bursts)
{
	return bench_fwd(port, bursts);
}

static int
run_callgrind(const struct bench_opts *o)
{
	unsigned int bursts = o->bursts != 0 ? o->bursts : BURSTS_CG;
	unsigned int i;
	uint64_t pkts;

	for (i = 0; i < P_MAX; i++)
		if (strcmp(o->callgrind, ports[i].kind) == 0)
			break;
	if (i == P_MAX) {
		fprintf(stderr, "unknown --callgrind kind '%s'\n",
			o->callgrind);
		return -EINVAL;
	}
	/* Warm the path up first, outside the counted loop. */
	bench_fwd(ports[i].port, 64);
	pkts = bench_cg_loop(ports[i].port, bursts);
	printf("callgrind kind=%s packets=%" PRIu64 "\n", ports[i].kind,
		pkts);
	return pkts != 0 ? 0 : -EIO;
}

/*
 * The io-forward loop with its burst array and every stack frame below
 * it @p shift bytes deeper than usual. (alloca() gives the lowest
 * addresses of the frame: the array sits there, the callees below it.)
 */
static __rte_noinline uint64_t
fwd_shifted(uint16_t port, unsigned int bursts, size_t shift)
{
	char *base = alloca(shift + sizeof(struct rte_mbuf *) * BENCH_BURST);

	return bench_fwd_buf(port, bursts, (struct rte_mbuf **)(void *)base);
}

/*
 * One round: @p bursts bursts on every port, in slices of SLICE_BURSTS
 * bursts (tens of microseconds), the ports taking turns in a new order for
 * every slice. A port's cost in the round is the median over its slices:
 * the few slices that a preemption or an interrupt hit (this VM shares its
 * cores) fall out, whichever port they hit.
 *
 * The stack (the burst array and the frames of the burst functions) moves
 * by a new random amount within a page for every slice, the same for all
 * ports of the slice: where the stack lies against the mbufs and queues of
 * a port changes the cost of the loop through false store-to-load
 * dependencies (4 KiB aliasing), and a fixed stack would favour or hurt
 * one port for the whole process.
 *
 * Recorded as round @p r.
 */
static void
measure(unsigned int bursts, uint64_t *rng, bool record, unsigned int r)
{
	static double slice_cpp[P_MAX][MAX_SLICES];
	unsigned int order[P_MAX];
	unsigned int nb_slices, s, k, p;
	uint64_t t0, t1, n;
	size_t shift;

	nb_slices = RTE_MIN(bursts / SLICE_BURSTS, (unsigned int)MAX_SLICES);
	if (nb_slices == 0)
		nb_slices = 1;
	for (s = 0; s < nb_slices; s++) {
		shuffle(order, P_MAX, rng);
		shift = (bench_rand(rng) % 256) * 16;
		for (k = 0; k < P_MAX; k++) {
			p = order[k];
			t0 = rte_rdtsc_precise();
			n = fwd_shifted(ports[p].port, SLICE_BURSTS, shift);
			t1 = rte_rdtsc_precise();
			slice_cpp[p][s] = n != 0 ?
				(double)(t1 - t0) / (double)n : 0.0;
		}
	}
	if (!record)
		return;
	for (p = 0; p < P_MAX; p++)
		ports[p].cpp[r] = bench_median(slice_cpp[p], nb_slices);
}

static int
report(const struct bench_opts *o, unsigned int rounds, unsigned int bursts,
		unsigned int in_use_before, unsigned int in_use_after,
		const uint64_t *sub_delta, const uint64_t *fwd_delta)
{
	double tmp[MAX_ROUNDS];
	double hz = (double)rte_get_tsc_hz();
	double cpp_bare, cpp, ratio, rmin, rmax;
	double fo_ratio = 0.0, aa_ratio = 0.0;
	unsigned int p, r;
	int ret = 0;

	printf("\nbench_burst: io-forward (rx_burst 32, tx_burst back, free "
		"the rest) on one lcore\n");
	printf("  %u rounds x %u bursts per port, in slices of %u bursts; "
		"per round the median slice\n", rounds,
		RTE_MAX(bursts / SLICE_BURSTS, 1u) * SLICE_BURSTS,
		SLICE_BURSTS);
	printf("  %s, mbuf pool %s, TSC %.0f MHz\n",
		o->huge ? "hugepages" : "no hugepages",
		o->page_pool ? "one mbuf per 4 KiB page" : "packed",
		hz / 1e6);
	printf("  ratio = cycles/pkt of the port / cycles/pkt of (a), "
		"same round; median, min, max over rounds\n");
	bench_rule(84);
	printf("%-30s %8s %8s %10s %8s %8s %6s\n", "port", "cyc/pkt",
		"Mpps", "ratio", "min", "max", "spread");
	bench_rule(84);
	memcpy(tmp, ports[P_BARE].cpp, rounds * sizeof(double));
	cpp_bare = bench_median(tmp, rounds);
	for (p = 0; p < P_MAX; p++) {
		for (r = 0; r < rounds; r++)
			ports[p].ratio[r] = ports[P_BARE].cpp[r] != 0.0 ?
				ports[p].cpp[r] / ports[P_BARE].cpp[r] : 0.0;
		memcpy(tmp, ports[p].cpp, rounds * sizeof(double));
		cpp = bench_median(tmp, rounds);
		rmin = bench_min(ports[p].ratio, rounds);
		rmax = bench_max(ports[p].ratio, rounds);
		memcpy(tmp, ports[p].ratio, rounds * sizeof(double));
		ratio = bench_median(tmp, rounds);
		printf("%-30s %8.1f %8.1f %9.3fx %7.3fx %7.3fx %5.1f%%\n",
			ports[p].label, cpp, cpp != 0.0 ? hz / cpp / 1e6 : 0.0,
			ratio, rmin, rmax,
			ratio != 0.0 ? 100.0 * (rmax - rmin) / ratio : 0.0);
		if (p == P_FO_VF)
			fo_ratio = ratio;
		if (p == P_BARE2)
			aa_ratio = ratio;
	}
	bench_rule(84);
	printf("bare net_null: %.1f cycles/packet (%.1f ns)\n", cpp_bare,
		cpp_bare * 1e9 / hz);
	printf("A/A control (a')/(a): %.3fx: %s\n", aa_ratio,
		aa_ratio >= 1.0 - AA_TOLERANCE && aa_ratio <= 1.0 + AA_TOLERANCE ?
		"within +-2%, ratios are trustworthy" :
		"OFF by more than 2%: layout bias in this process, run again");
	printf("target (b) <= %.2fx: %s (median ratio %.3fx)\n",
		TARGET_RATIO, fo_ratio <= TARGET_RATIO ? "met" : "NOT met",
		fo_ratio);
	printf("mbuf pool in use: before %u, after %u: %s\n",
		in_use_before, in_use_after,
		in_use_before == in_use_after ? "no leak" : "LEAK");
	if (in_use_before != in_use_after)
		ret = -1;
	/* Each port's Tx must have gone to the sub-port it should use. */
	for (p = 0; p < P_MAX; p++) {
		if (fwd_delta[p] == 0 || sub_delta[p] != fwd_delta[p]) {
			printf("%s: %" PRIu64 " packets forwarded but %"
				PRIu64 " sent on the expected sub-port\n",
				ports[p].label, fwd_delta[p], sub_delta[p]);
			ret = -1;
		}
	}
	return ret;
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	unsigned int rounds, bursts, r, p;
	unsigned int in_use_before, in_use_after;
	uint64_t sub0[P_MAX], sub_delta[P_MAX], fwd_delta[P_MAX];
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	int ret;

	bench_parse_args(argc, argv, &o);
	rounds = o.rounds != 0 ? o.rounds :
		o.quick ? ROUNDS_QUICK : ROUNDS_FULL;
	bursts = o.bursts != 0 ? o.bursts :
		o.quick ? BURSTS_QUICK : BURSTS_FULL;
	if (rounds > MAX_ROUNDS) {
		fprintf(stderr, "at most %u rounds\n", MAX_ROUNDS);
		return 2;
	}

	ret = bench_eal_init(argv[0], &o, "0");
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(-ret));
		return 1;
	}
	ret = setup_ports();
	if (ret < 0)
		goto out;

	if (o.callgrind != NULL) {
		ret = run_callgrind(&o);
		goto out;
	}

	/* One round not recorded: caches, branch predictors, mempool. */
	measure(bursts, &rng, false, 0);
	in_use_before = rte_mempool_in_use_count(bench_pool());
	for (p = 0; p < P_MAX; p++)
		sub0[p] = opackets(ports[p].sub);
	for (p = 0; p < P_MAX; p++)
		fwd_delta[p] = opackets(ports[p].port);
	for (r = 0; r < rounds; r++)
		measure(bursts, &rng, true, r);
	for (p = 0; p < P_MAX; p++) {
		fwd_delta[p] = opackets(ports[p].port) - fwd_delta[p];
		sub_delta[p] = opackets(ports[p].sub) - sub0[p];
	}
	in_use_after = rte_mempool_in_use_count(bench_pool());

	ret = report(&o, rounds, bursts, in_use_before, in_use_after, sub_delta,
		fwd_delta);
out:
	fflush(stdout);
	close_ports();
	rte_eal_cleanup();
	return ret < 0 ? 1 : 0;
}
