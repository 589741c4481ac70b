/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Churn: one lcore forwards at full speed through the failover port while
 * the main lcore makes the VF come and go thousands of times, in every way
 * it can go (INTR_RMV and re-add, link down and up, third-party removal
 * and a new NEW, planned switches, graceful detach). Checked: no crash, no
 * hang, every mbuf back in the pool, and the port's counters never go down
 * at any sample.
 */

#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "fo_fwd.h"
#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "testvf.h"

#define CHURN_CYCLES	2000
#define CHURN_SECONDS	60

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

static void
test_churn(void **state)
{
	struct fo_fwd fwd = { 0 };
	struct sample last = { 0 };
	unsigned int avail_before, kinds[5] = { 0 };
	uint16_t fo, vf, syn;
	uint64_t t_end;
	unsigned int cycle;
	int k;

	(void)state;
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

	t_end = failover_test_now_ms() + CHURN_SECONDS * 1000;
	for (cycle = 0; cycle < CHURN_CYCLES &&
	     failover_test_now_ms() < t_end; cycle++) {
		k = cycle % 5;
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
		case 3: /* planned switches */
			if (rte_pmd_failover_switch(fo,
					RTE_PMD_FAILOVER_PATH_SYNTHETIC) == 0)
				rte_pmd_failover_switch(fo,
					RTE_PMD_FAILOVER_PATH_VF);
			break;
		case 4: /* graceful detach, the host takes it, gives it back */
			fwd.vf_port = UINT16_MAX;
			if (rte_pmd_failover_vf_detach(fo) != 0) {
				fwd.vf_port = vf;
				break;
			}
			/*
			 * Given back to the application that probed it (unless
			 * a newer VF was waiting and has been taken already).
			 */
			if (fo_test_visible_ports() == 2) {
				assert_int_equal(fo_test_remove("net_testvf1"),
					0);
				vf = vf_back(&fwd);
			}
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
	print_message("%u churn cycles (rmv %u, lsc %u, remove %u, switch %u, "
		"detach %u); %" PRIu64 " bursts, tx %u, rx %" PRIu64 "\n",
		cycle, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4],
		fwd.bursts, fwd.next_tx_seq, fwd.rx.total);
	assert_true(cycle >= 200);
	assert_int_equal(fwd.tx.dup, 0);
	assert_int_equal(fwd.rx.dup, 0);
	assert_int_equal(fwd.rx.foreign, 0);
	/* The port counted at least what the wire saw leave it. */
	assert_true(last.opackets >= fwd.tx.total);
	assert_true(last.ipackets >= fwd.rx.total);

	fo_seqset_free(&fwd.rx);
	fo_seqset_free(&fwd.tx);
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	/* The VF the test (the host) probed last is given back to it. */
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
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

	(void)argc;
	return fo_test_main(argv[0], "churn", tests, RTE_DIM(tests));
}
