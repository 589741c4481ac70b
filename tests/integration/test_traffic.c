/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Real packets through a failover port whose sub-ports are net_ring ports:
 * each ring port loops what it sends back to its own Rx, so a packet sent
 * on the failover port comes back through exactly the sub-port it left by,
 * and the sub-ports' own counters say which one that was.
 */

#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "fo_test.h"
#include "rte_pmd_failover.h"

#define N_PKTS 200

static uint16_t
port_of(const char *name)
{
	uint16_t p = fo_test_port_of(name);

	assert_int_not_equal(p, UINT16_MAX);
	return p;
}

/* Send @p n packets on @p q, all of which must be accepted. */
static void
send_seq(uint16_t port, uint16_t q, uint32_t seq0, unsigned int n)
{
	struct rte_mbuf *pkts[FO_TEST_BURST];
	unsigned int sent = 0, chunk;

	while (sent < n) {
		chunk = RTE_MIN(n - sent, (unsigned int)FO_TEST_BURST);
		assert_int_equal(fo_test_make_pkts(pkts, chunk, seq0 + sent, q),
			0);
		assert_int_equal(rte_eth_tx_burst(port, q, pkts, chunk), chunk);
		sent += chunk;
	}
}

/* Receive exactly @p n packets on @p q, in order, from our port. */
static void
recv_seq(uint16_t port, uint16_t q, uint32_t seq0, unsigned int n)
{
	struct rte_mbuf *pkts[N_PKTS + 1];
	unsigned int got, i;
	uint16_t flow;

	got = fo_test_rx_all(port, q, pkts, RTE_DIM(pkts), 20);
	assert_int_equal(got, n);
	for (i = 0; i < got; i++) {
		assert_int_equal(pkts[i]->port, port);
		assert_int_equal(fo_test_pkt_seq(pkts[i], &flow), seq0 + i);
		assert_int_equal(flow, q);
	}
	rte_pktmbuf_free_bulk(pkts, got);
}

static void
check_stats_sum(uint16_t fo, uint16_t syn, uint16_t vf)
{
	struct rte_eth_stats s_fo, s_syn, s_vf;

	assert_int_equal(rte_eth_stats_get(fo, &s_fo), 0);
	assert_int_equal(rte_eth_stats_get(syn, &s_syn), 0);
	assert_int_equal(rte_eth_stats_get(vf, &s_vf), 0);
	assert_int_equal(s_fo.ipackets, s_syn.ipackets + s_vf.ipackets);
	assert_int_equal(s_fo.opackets, s_syn.opackets + s_vf.opackets);
	assert_int_equal(s_fo.obytes, s_syn.obytes + s_vf.obytes);
}

static void
run_traffic(uint16_t nq)
{
	struct rte_eth_stats st;
	uint16_t fo, syn, vf, q;

	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_ring0,"
		"vf=net_ring1,vf_settle_ms=200", &fo), 0);
	syn = port_of("net_ring0");
	vf = port_of("net_ring1");
	assert_int_equal(fo_test_port_start(fo, nq), 0);

	/* Before the VF has settled, Tx goes to the synthetic path. */
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	for (q = 0; q < nq; q++)
		send_seq(fo, q, 1000 * q, N_PKTS / 2);
	assert_int_equal(rte_eth_stats_get(syn, &st), 0);
	assert_int_equal(st.opackets, (N_PKTS / 2) * nq);
	assert_int_equal(rte_eth_stats_get(vf, &st), 0);
	assert_int_equal(st.opackets, 0);
	for (q = 0; q < nq; q++)
		recv_seq(fo, q, 1000 * q, N_PKTS / 2);
	check_stats_sum(fo, syn, vf);

	/* Once the VF is up and settled, traffic moves to it. */
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	for (q = 0; q < nq; q++)
		send_seq(fo, q, 5000 + 1000 * q, N_PKTS);
	assert_int_equal(rte_eth_stats_get(vf, &st), 0);
	assert_int_equal(st.opackets, N_PKTS * nq);
	assert_int_equal(rte_eth_stats_get(syn, &st), 0);
	assert_int_equal(st.opackets, (N_PKTS / 2) * nq);
	for (q = 0; q < nq; q++)
		recv_seq(fo, q, 5000 + 1000 * q, N_PKTS);

	/* The failover port's counters are the sum of both paths'. */
	check_stats_sum(fo, syn, vf);
	assert_int_equal(rte_eth_stats_get(fo, &st), 0);
	assert_int_equal(st.opackets, (N_PKTS / 2 + N_PKTS) * nq);
	assert_int_equal(st.ipackets, (N_PKTS / 2 + N_PKTS) * nq);

	assert_int_equal(rte_eth_stats_reset(fo), 0);
	assert_int_equal(rte_eth_stats_get(fo, &st), 0);
	assert_int_equal(st.opackets, 0);
	assert_int_equal(st.ipackets, 0);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	/* The vdev outlives its closed port until it is removed. */
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

static void
test_traffic_one_queue(void **state)
{
	(void)state;
	run_traffic(1);
}

static void
test_traffic_two_queues(void **state)
{
	(void)state;
	run_traffic(2);
}

/*
 * Both paths are polled: what arrives on the synthetic port while the VF
 * carries Tx (broadcast, first packets of new flows on Azure) still
 * reaches the application.
 */
static void
test_rx_polls_both_paths(void **state)
{
	struct rte_mbuf *pkts[64];
	struct rte_ring *syn_ring;
	uint16_t fo;
	unsigned int got, i;

	(void)state;
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_ring0,"
		"vf=net_ring1,vf_settle_ms=0", &fo), 0);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));

	syn_ring = rte_ring_lookup("ETH_RXTX0_net_ring0");
	assert_non_null(syn_ring);
	assert_int_equal(fo_test_make_pkts(pkts, 10, 77, 3), 0);
	assert_int_equal(rte_ring_enqueue_burst(syn_ring, (void **)pkts, 10,
		NULL), 10);
	send_seq(fo, 0, 100, 20);
	got = fo_test_rx_all(fo, 0, pkts, RTE_DIM(pkts), 20);
	assert_int_equal(got, 30);
	for (i = 0; i < got; i++)
		assert_int_equal(pkts[i]->port, fo);
	rte_pktmbuf_free_bulk(pkts, got);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	/* The vdev outlives its closed port until it is removed. */
	assert_int_equal(fo_test_remove("net_failover0"), 0);
}

static void
test_port_link_and_modes(void **state)
{
	struct rte_eth_link link;
	uint16_t fo, syn;

	(void)state;
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_ring0,"
		"vf=net_ring1", &fo), 0);
	syn = port_of("net_ring0");
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);

	assert_int_equal(rte_eth_promiscuous_enable(fo), 0);
	assert_int_equal(rte_eth_promiscuous_get(fo), 1);
	assert_int_equal(rte_eth_promiscuous_get(syn), 1);
	assert_int_equal(rte_eth_allmulticast_enable(fo), 0);
	assert_int_equal(rte_eth_allmulticast_get(syn), 1);
	assert_int_equal(rte_eth_allmulticast_disable(fo), 0);
	assert_int_equal(rte_eth_allmulticast_get(fo), 0);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	/* The vdev outlives its closed port until it is removed. */
	assert_int_equal(fo_test_remove("net_failover0"), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traffic_one_queue),
		cmocka_unit_test(test_traffic_two_queues),
		cmocka_unit_test(test_rx_polls_both_paths),
		cmocka_unit_test(test_port_link_and_modes),
	};

	(void)argc;
	return fo_test_main(argv[0], "traffic", tests, RTE_DIM(tests));
}
