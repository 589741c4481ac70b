/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Churn: one lcore forwards at full speed through the failover port while
 * the main lcore makes the VF come and go thousands of times, in every way
 * it can go (INTR_RMV and re-add, link down and up, third-party removal
 * and a new NEW, planned switches, graceful detach). Checked: no crash, no
 * hang, every planned switch and graceful detach succeeds, every mbuf back
 * in the pool, the port's counters never go down at any sample, no packet
 * duplicated, and traffic flows both ways to the end: packets reach the
 * wire and the application in the last 10% of the cycles.
 *
 * Cycles: the first argument, else $FO_CHURN_CYCLES, else 2000 (the
 * 'integration' suite runs 2000, the 'bench' suite 10000); at most
 * CHURN_MS_PER_CYCLE ms per cycle on average (60 s at least) before the
 * test stops churning and checks what it did.
 *
 * Issue 8, reproduction 6: the forwarder (fo_fwd.c) numbers its packets
 * below FO_MAX_SEQ (2^22, the size of its sequence maps) and stops
 * sending at tx_limit = FO_MAX_SEQ - 16: after 4194288 packets, around
 * cycle 1550 on a fast machine (about 2400 here), Tx stopped for good and
 * the rest of the churn ran without traffic, which nothing checked. Now
 * the forwarder starts a new epoch (stopped, wire drained, epoch checked
 * and folded, maps and numbers reset, started again) once half the
 * sequence space is used.
 * fails on a00b4b0 (this test with the epochs taken out, 10000 cycles):
 * "no packet reached the wire in the last 1000 cycles (4194288 sent in
 * all)". With the epochs it passes on a00b4b0 (2000 cycles: 2 epochs,
 * 3.4 M packets; 10000: 8 epochs, 15.7 M): the stop was the test's, not
 * the driver's.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "fo_fwd.h"
#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "testvf.h"

#define CHURN_CYCLES		2000
#define CHURN_MS_PER_CYCLE	30
#define CHURN_MIN_SECONDS	60
/* A new forwarding epoch once this much of the sequence space is used. */
#define EPOCH_SEQ		(FO_MAX_SEQ / 2)

static unsigned int churn_cycles = CHURN_CYCLES;

/* Traffic over all the epochs of the forwarder. */
struct totals {
	uint64_t sent;		/* sequence numbers the lcore sent */
	uint64_t wire;		/* of them, seen on the wire */
	uint64_t received;	/* what the application received */
	unsigned int epochs;
};

/* The PMD let go of the VF: removed, or left without owner. */
static bool
vf_released(void *arg)
{
	struct rte_eth_dev_owner owner;
	uint16_t p = fo_test_port_of(arg);

	return p == UINT16_MAX || (rte_eth_dev_owner_get(p, &owner) == 0 &&
		owner.id == RTE_ETH_DEV_NO_OWNER);
}

struct sample {
	uint64_t ipackets, opackets, ibytes, obytes;
};

static void
check_monotonic(uint16_t fo, struct sample *last)
{
	struct rte_eth_stats st;

	assert_int_equal(rte_eth_stats_get(fo, &st), 0);
	assert_true(st.ipackets >= last->ipackets);
	assert_true(st.opackets >= last->opackets);
	assert_true(st.ibytes >= last->ibytes);
	assert_true(st.obytes >= last->obytes);
	last->ipackets = st.ipackets;
	last->opackets = st.opackets;
	last->ibytes = st.ibytes;
	last->obytes = st.obytes;
}

/* Everything so far: folded epochs plus the running one. */
static struct totals
totals_now(const struct fo_fwd *fwd, const struct totals *done)
{
	struct totals t = *done;

	t.sent += fwd->next_tx_seq;
	t.wire += fwd->tx.total;
	t.received += __atomic_load_n(&fwd->rx.total, __ATOMIC_RELAXED);
	return t;
}

/*
 * The forwarder's sequence maps hold FO_MAX_SEQ numbers: stop it, collect
 * what is on the wire, check and fold the epoch, start it again from 0.
 * Injected packets keep their (small) numbers: still in a sub-port's Rx
 * ring, they are received in the next epoch, once.
 */
static void
new_epoch(struct fo_fwd *fwd, struct totals *done, uint16_t fo)
{
	fo_fwd_stop(fwd);
	fo_wire_drain(fwd, fwd->syn_port);
	fo_wire_drain(fwd, fwd->vf_port);
	assert_int_equal(fwd->tx.dup, 0);
	assert_int_equal(fwd->rx.dup, 0);
	assert_int_equal(fwd->rx.foreign, 0);
	*done = totals_now(fwd, done);
	done->epochs++;
	fo_seqset_free(&fwd->rx);
	fo_seqset_free(&fwd->tx);
	pthread_mutex_destroy(&fwd->wire_lock);
	fwd->next_tx_seq = 0;
	fwd->pause_tx = false;
	assert_int_equal(fo_fwd_start(fwd, fo, 2), 0);
}

/* Bring the VF back the way the host would: the device appears again. */
static uint16_t
vf_back(struct fo_fwd *fwd)
{
	unsigned int i;
	uint16_t vf;
	int ret;

	/*
	 * The old device may still be on its way out: its port closed but
	 * the device not yet removed, for which rte_dev_probe() says 0 (or
	 * -EEXIST) and no port appears.
	 */
	for (i = 0; i < 5000; i++) {
		ret = fo_test_probe("net_testvf1", &vf);
		if (ret != -EEXIST && ret != -ENODEV)
			break;
		usleep(1000);
	}
	assert_int_equal(ret, 0);
	fwd->vf_port = vf;
	return vf;
}

/*
 * The synthetic device goes (a third party removes it); a third party
 * probes it again, maybe after another device took its port id; the PMD
 * claims it, sets it up like the port and polls it again.
 */
static uint16_t
synthetic_back(struct fo_fwd *fwd, uint16_t fo, bool reuse_id)
{
	struct rte_pmd_failover_info info;
	uint64_t attach;
	uint16_t old = fwd->syn_port, other = UINT16_MAX, syn;
	unsigned int i;
	int ret;

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	attach = info.counters.synthetic_attach;
	fwd->syn_port = UINT16_MAX;
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	if (reuse_id) {
		/* Someone else gets the id at once: never touched by us. */
		assert_int_equal(fo_test_probe("net_testvf9", &other), 0);
		assert_int_equal(other, old);
	}
	for (i = 0; i < 5000; i++) {
		ret = fo_test_probe("net_testvf0", &syn);
		if (ret != -EEXIST && ret != -ENODEV)
			break;
		usleep(1000);
	}
	assert_int_equal(ret, 0);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
		if (info.counters.synthetic_attach > attach)
			break;
		usleep(1000);
	}
	assert_int_equal(info.counters.synthetic_attach, attach + 1);
	assert_int_equal(info.synthetic_port, syn);
	if (reuse_id) {
		/* The application's port is as it left it, and its own. */
		assert_true(rte_eth_dev_is_valid_port(other));
		assert_int_equal(fo_test_port_of("net_testvf9"), other);
		assert_int_equal(fo_test_remove("net_testvf9"), 0);
	}
	fwd->syn_port = syn;
	return syn;
}

/*
 * The VF's PF is reset: the PMD resets the VF (its queues and rings are
 * freed and made again) and replays the configuration. The wire (this
 * thread) keeps off the VF's rings until that is over.
 */
static void
vf_reset(struct fo_fwd *fwd, uint16_t fo, uint16_t vf)
{
	struct rte_pmd_failover_info info;
	uint64_t resets;
	unsigned int i;

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	resets = info.counters.vf_resets;
	fwd->vf_port = UINT16_MAX;
	assert_int_equal(testvf_raise_reset(vf), 0);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
		if (info.counters.vf_resets > resets &&
		    strcmp(info.state, "VF_ACTIVE") == 0)
			break;
		usleep(1000);
	}
	assert_int_equal(info.counters.vf_resets, resets + 1);
	fwd->vf_port = vf;
}

static void
test_churn(void **state)
{
	struct fo_fwd fwd = { 0 };
	struct sample last = { 0 };
	struct totals done = { 0 }, end, *at;
	unsigned int avail_before, kinds[8] = { 0 }, late_release = 0;
	uint16_t fo, vf, syn;
	uint64_t t_end, seconds;
	unsigned int cycle, tail;
	int k;

	(void)state;
	/* Totals at the start of each cycle, for the last 10%. */
	at = calloc(churn_cycles + 1, sizeof(*at));
	assert_non_null(at);
	seconds = RTE_MAX((uint64_t)CHURN_MIN_SECONDS,
		(uint64_t)churn_cycles * CHURN_MS_PER_CYCLE / 1000);
	avail_before = rte_mempool_avail_count(fo_test_pool());
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_testvf0,"
		"vf=net_testvf1,vf_settle_ms=0,probe_interval_ms=100000", &fo), 0);
	assert_int_equal(fo_test_port_start(fo, 2), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	syn = fo_test_port_of("net_testvf0");
	vf = fo_test_port_of("net_testvf1");
	fwd.syn_port = syn;
	fwd.vf_port = vf;
	assert_int_equal(fo_fwd_start(&fwd, fo, 2), 0);

	t_end = failover_test_now_ms() + seconds * 1000;
	for (cycle = 0; cycle < churn_cycles &&
	     failover_test_now_ms() < t_end; cycle++) {
		if (fwd.next_tx_seq >= EPOCH_SEQ)
			new_epoch(&fwd, &done, fo);
		at[cycle] = totals_now(&fwd, &done);
		k = cycle % 8;
		kinds[k]++;
		fo_wire_inject(&fwd, cycle % 2 ? syn : vf, 8);
		fo_wire_drain(&fwd, syn);
		fo_wire_drain(&fwd, vf);
		switch (k) {
		case 0: /* surprise removal, then the VF is back */
			assert_int_equal(testvf_raise_rmv(vf), 0);
			/*
			 * Removed if the PMD probed it, else given back to the
			 * application, which removes it, as testpmd does on RMV.
			 */
			assert_true(fo_test_wait(vf_released, "net_testvf1",
				5000));
			if (fo_test_port_of("net_testvf1") != UINT16_MAX)
				assert_int_equal(fo_test_remove("net_testvf1"),
					0);
			vf = vf_back(&fwd);
			break;
		case 1: /* link flap */
			assert_int_equal(testvf_set_link(vf, false, true), 0);
			usleep(100);
			assert_int_equal(testvf_set_link(vf, true, true), 0);
			break;
		case 2: /* a third party removes the VF; it comes back */
			fwd.vf_port = UINT16_MAX;
			assert_int_equal(fo_test_remove("net_testvf1"), 0);
			vf = vf_back(&fwd);
			break;
		case 3: /* planned switches: the VF is up and active */
			assert_int_equal(rte_pmd_failover_switch(fo,
				RTE_PMD_FAILOVER_PATH_SYNTHETIC), 0);
			assert_int_equal(rte_pmd_failover_active_path(fo),
				RTE_PMD_FAILOVER_PATH_SYNTHETIC);
			assert_int_equal(rte_pmd_failover_switch(fo,
				RTE_PMD_FAILOVER_PATH_VF), 0);
			assert_int_equal(rte_pmd_failover_active_path(fo),
				RTE_PMD_FAILOVER_PATH_VF);
			break;
		case 5: /* the synthetic device goes and comes back */
			syn = synthetic_back(&fwd, fo, false);
			break;
		case 6: /* the same, its port id taken by another meanwhile */
			syn = synthetic_back(&fwd, fo, true);
			break;
		case 7: /* the VF's PF is reset: INTR_RESET, reset, replay */
			vf_reset(&fwd, fo, vf);
			break;
		case 4: /* graceful detach, the host takes it, gives it back */
			fwd.vf_port = UINT16_MAX;
			assert_int_equal(rte_pmd_failover_vf_detach(fo), 0);
			/*
			 * Given back to the application that probed it, at
			 * once; or, if a burst stayed on the VF past the PMD's
			 * bound on hand-off waits (the forwarding lcore
			 * preempted on a loaded machine), kept aside by the
			 * PMD until that burst leaves, then given back.
			 */
			if (!vf_released("net_testvf1")) {
				late_release++;
				assert_true(fo_test_wait(vf_released,
					"net_testvf1", 5000));
			}
			if (fo_test_port_of("net_testvf1") != UINT16_MAX)
				assert_int_equal(fo_test_remove("net_testvf1"),
					0);
			vf = vf_back(&fwd);
			break;
		}
		/* Each cycle ends with the VF carrying traffic again. */
		assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF,
			5000));
		vf = fo_test_port_of("net_testvf1");
		fwd.vf_port = vf;
		check_monotonic(fo, &last);
		/* Not stuck: the lcore goes on. */
		assert_true(fwd.bursts > 0);
	}
	/* Whatever happened last, the port ends up on the VF again. */
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 5000));
	fo_fwd_stop(&fwd);
	fo_wire_drain(&fwd, syn);
	fo_wire_drain(&fwd, vf);
	check_monotonic(fo, &last);
	end = totals_now(&fwd, &done);
	print_message("%u churn cycles of %u (rmv %u, lsc %u, remove %u, "
		"switch %u, detach %u, synthetic %u, id reuse %u, reset %u); "
		"%" PRIu64 " bursts, %u epochs, "
		"tx %" PRIu64 " sent, %" PRIu64 " on the wire, rx %" PRIu64 "\n",
		cycle, churn_cycles, kinds[0], kinds[1], kinds[2], kinds[3],
		kinds[4], kinds[5], kinds[6], kinds[7], fwd.bursts,
		done.epochs + 1, end.sent, end.wire, end.received);
	if (late_release != 0)
		print_message("%u graceful detaches gave the VF back late\n",
			late_release);
	assert_true(cycle >= RTE_MIN(200u, churn_cycles));
	assert_int_equal(fwd.tx.dup, 0);
	assert_int_equal(fwd.rx.dup, 0);
	assert_int_equal(fwd.rx.foreign, 0);
	/* Traffic to the end: both ways in the last 10% of the cycles. */
	tail = cycle - RTE_MAX(cycle / 10, 1u);
	print_message("last %u cycles: tx %" PRIu64 " sent, %" PRIu64
		" on the wire, rx %" PRIu64 "\n", cycle - tail,
		end.sent - at[tail].sent, end.wire - at[tail].wire,
		end.received - at[tail].received);
	if (end.wire <= at[tail].wire)
		fail_msg("no packet reached the wire in the last %u cycles "
			"(%" PRIu64 " sent in all)", cycle - tail, end.sent);
	if (end.received <= at[tail].received)
		fail_msg("the application received nothing in the last %u "
			"cycles", cycle - tail);
	free(at);
	/* The port counted at least what the wire saw leave it. */
	assert_true(last.opackets >= end.wire);
	assert_true(last.ipackets >= end.received);

	fo_seqset_free(&fwd.rx);
	fo_seqset_free(&fwd.tx);
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	/*
	 * The VF the test (the host) probed last is given back to it, and so
	 * is a synthetic device it probed again (adopted, not ours).
	 */
	assert_int_equal(fo_test_visible_ports(), kinds[5] + kinds[6] ? 2 : 1);
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	if (kinds[5] + kinds[6] != 0)
		assert_int_equal(fo_test_remove("net_testvf0"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
	/* Not one mbuf leaked through all of it. */
	assert_int_equal(rte_mempool_avail_count(fo_test_pool()), avail_before);
}

/* After a failure: no lcore may still poll a port being torn down. */
static int
cleanup(void **state)
{
	static const char *const names[] = { "net_failover0", "net_testvf1" };

	(void)state;
	fo_fwd_abort();
	fo_test_remove_all(names, RTE_DIM(names));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_churn, cleanup),
	};

	const char *env = getenv("FO_CHURN_CYCLES");
	const char *arg = argc > 1 ? argv[1] : env;
	char *endp;

	if (arg != NULL) {
		churn_cycles = strtoul(arg, &endp, 10);
		if (*arg == '\0' || *endp != '\0' || churn_cycles == 0) {
			fprintf(stderr, "usage: %s [CYCLES] (or FO_CHURN_CYCLES)"
				", not '%s'\n", argv[0], arg);
			return 1;
		}
	}
	return fo_test_main(argv[0], "churn", tests, RTE_DIM(tests));
}
