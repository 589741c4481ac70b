/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * A secondary process of fo_mp_primary (mp_tools.sh): what an
 * application's own secondary sees of the failover port. Prints what it
 * reads as "info NAME VALUE" lines (for the script to compare with the
 * primary's), and checks that every operation that is the primary's
 * returns -E_RTE_SECONDARY and changes nothing. Exits 0 when all checks
 * pass, 1 otherwise.
 *
 * With "-- traffic STOPFILE" it is the data path instead (the port must
 * have mp_data_path=1 and loop-back sub-ports, net_ring without
 * arguments): it sends sequence-numbered packets from the primary's pool
 * through the failover port and receives them back, until STOPFILE
 * exists; then it drains, frees everything and checks that every packet
 * came back exactly once.
 *
 * With "-- watch SECONDS" it only watches, meanwhile, the ports the
 * primary hot-plugs (the VF it re-probes): each one must already be owned
 * when the secondary's own RTE_ETH_EVENT_NEW callback sees it, so that no
 * secondary application can take the VF.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "rte_pmd_failover.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("FAIL: " __VA_ARGS__); \
		printf("\n"); \
		failures++; \
	} \
} while (0)

static void
path_cb(uint16_t port_id, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(ev);
	RTE_SET_USED(arg);
}

static unsigned int new_ports;
static unsigned int new_unowned;

static int
new_cb(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct rte_eth_dev_owner owner;

	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	/* Relaxed: read only once the callback is unregistered. */
	__atomic_fetch_add(&new_ports, 1, __ATOMIC_RELAXED);
	if (rte_eth_dev_owner_get(port_id, &owner) != 0 || owner.id == 0)
		__atomic_fetch_add(&new_unowned, 1, __ATOMIC_RELAXED);
	return 0;
}

static int
watch(unsigned int seconds)
{
	int ret;

	ret = rte_eth_dev_callback_register(RTE_ETH_ALL, RTE_ETH_EVENT_NEW,
		new_cb, NULL);
	CHECK(ret == 0, "NEW callback: %d", ret);
	printf("WATCHING\n");
	fflush(stdout);
	sleep(seconds);
	rte_eth_dev_callback_unregister(RTE_ETH_ALL, RTE_ETH_EVENT_NEW,
		new_cb, NULL);
	printf("watch new=%u unowned=%u\n", new_ports, new_unowned);
	CHECK(new_ports > 0, "no port hot-plugged while watching");
	CHECK(new_unowned == 0, "%u hot-plugged ports were not owned",
		new_unowned);
	rte_eal_cleanup();
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}

#define TRAFFIC_BURST	32
#define TRAFFIC_WINDOW	8192	/* sequence numbers tracked past the oldest */
#define TRAFFIC_INFLIGHT 512	/* at most this many sent, not yet back */

struct seq_track {
	uint64_t next;		/* lowest sequence number not received */
	uint64_t received;
	uint64_t dup;
	uint64_t out_of_window;
	uint8_t seen[TRAFFIC_WINDOW];	/* [seq % TRAFFIC_WINDOW] */
};

static bool
seen_at(const struct seq_track *t, uint64_t seq)
{
	return seq < t->next + TRAFFIC_WINDOW &&
		t->seen[seq % TRAFFIC_WINDOW] != 0;
}

static void
seq_see(struct seq_track *t, uint64_t seq)
{
	if (seq < t->next || seen_at(t, seq)) {
		t->dup++;
		return;
	}
	if (seq >= t->next + TRAFFIC_WINDOW) {
		t->out_of_window++;
		return;
	}
	t->seen[seq % TRAFFIC_WINDOW] = 1;
	t->received++;
	while (t->seen[t->next % TRAFFIC_WINDOW]) {
		t->seen[t->next % TRAFFIC_WINDOW] = 0;
		t->next++;
	}
}

static unsigned int
traffic_rx(uint16_t port, struct seq_track *t)
{
	struct rte_mbuf *pkts[TRAFFIC_BURST];
	uint64_t seq;
	uint16_t nb, i;

	nb = rte_eth_rx_burst(port, 0, pkts, TRAFFIC_BURST);
	for (i = 0; i < nb; i++) {
		memcpy(&seq, rte_pktmbuf_mtod(pkts[i], uint8_t *) + 16,
			sizeof(seq));
		seq_see(t, seq);
	}
	rte_pktmbuf_free_bulk(pkts, nb);
	return nb;
}

static int
traffic(uint16_t port, const char *stop_file)
{
	static struct seq_track t;
	struct rte_mbuf *pkts[TRAFFIC_BURST];
	struct rte_mempool *mp;
	uint64_t sent = 0, idle_since;
	uint16_t nb, i;
	uint64_t seq;
	uint8_t *p;
	unsigned int loops = 0;

	mp = rte_mempool_lookup("fo_mp_pool");
	CHECK(mp != NULL, "no pool fo_mp_pool in the primary");
	if (mp == NULL)
		return 1;
	printf("TRAFFIC\n");
	fflush(stdout);
	for (;;) {
		if ((++loops & 1023) == 0 && access(stop_file, F_OK) == 0)
			break;
		if (sent - t.received < TRAFFIC_INFLIGHT &&
		    rte_pktmbuf_alloc_bulk(mp, pkts, TRAFFIC_BURST) == 0) {
			for (i = 0; i < TRAFFIC_BURST; i++) {
				p = (uint8_t *)rte_pktmbuf_append(pkts[i], 64);
				memset(p, 0, 16);
				p[12] = 0x88;
				p[13] = 0xb5;
				/* Unsent ones give their numbers back below. */
				seq = sent + i;
				memcpy(p + 16, &seq, sizeof(seq));
			}
			nb = rte_eth_tx_burst(port, 0, pkts, TRAFFIC_BURST);
			sent += nb;
			if (nb < TRAFFIC_BURST)
				rte_pktmbuf_free_bulk(&pkts[nb],
					TRAFFIC_BURST - nb);
		}
		traffic_rx(port, &t);
	}
	/* Whatever is still in the sub-ports' rings comes back now. */
	idle_since = rte_get_timer_cycles();
	while (rte_get_timer_cycles() - idle_since < rte_get_timer_hz() / 2)
		if (traffic_rx(port, &t) != 0)
			idle_since = rte_get_timer_cycles();
	printf("traffic sent=%" PRIu64 " received=%" PRIu64 " missing=%" PRIu64
		" dup=%" PRIu64 " out_of_window=%" PRIu64 "\n", sent,
		t.received, sent - t.received, t.dup, t.out_of_window);
	CHECK(sent > 0, "nothing sent");
	CHECK(t.received == sent && t.dup == 0 && t.out_of_window == 0,
		"traffic: %" PRIu64 " of %" PRIu64 " packets came back",
		t.received, sent);
	rte_eal_cleanup();
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}

static void
expect_secondary(const char *what, int ret)
{
	CHECK(ret == -E_RTE_SECONDARY, "%s returned %d, not -E_RTE_SECONDARY",
		what, ret);
}

int
main(int argc, char **argv)
{
	struct rte_pmd_failover_info info;
	struct rte_eth_dev_info dev_info;
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	struct rte_eth_stats st;
	uint16_t port, nb = 0, p;
	uint64_t t0;
	int ret, i;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}
	CHECK(rte_eal_process_type() == RTE_PROC_SECONDARY, "not a secondary");
	argc -= ret;
	argv += ret;
	if (argc == 3 && strcmp(argv[1], "watch") == 0)
		return watch((unsigned int)atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "traffic") == 0) {
		if (rte_eth_dev_get_port_by_name("net_failover0", &port) != 0) {
			printf("FAIL: no net_failover0 in the secondary\n");
			return 1;
		}
		return traffic(port, argv[2]);
	}
	RTE_ETH_FOREACH_DEV(p)
		nb++;
	/* The failover port and the control port; the sub-ports are owned. */
	CHECK(nb == 2, "%u ports listed, expected 2", nb);
	ret = rte_eth_dev_get_port_by_name("net_failover0", &port);
	if (ret != 0) {
		printf("FAIL: no net_failover0 in the secondary\n");
		return 1;
	}

	ret = rte_pmd_failover_info_get(port, &info);
	CHECK(ret == 0, "rte_pmd_failover_info_get: %d", ret);
	if (ret == 0) {
		printf("info state %s\n", info.state);
		printf("info active_path %d\n", info.active_path);
		printf("info synthetic %s\n", info.synthetic_name);
		printf("info vf %s\n", info.vf_port == RTE_PMD_FAILOVER_NO_PORT ?
			"none" : info.vf_name);
		printf("info vf_attach %" PRIu64 "\n", info.counters.vf_attach);
		printf("info vf_detach %" PRIu64 "\n", info.counters.vf_detach);
		printf("info switches %" PRIu64 "\n", info.counters.switches);
		/* Sub-ports exist here too, owned, under the same ids. */
		CHECK(rte_eth_dev_is_valid_port(info.synthetic_port),
			"synthetic port %u not attached here",
			info.synthetic_port);
	}
	CHECK(rte_pmd_failover_active_path(port) == (int)info.active_path,
		"active path differs between the two reads");
	ret = rte_eth_link_get_nowait(port, &link);
	CHECK(ret == 0, "link: %d", ret);
	printf("info link %s\n", link.link_status ? "up" : "down");
	ret = rte_eth_dev_info_get(port, &dev_info);
	CHECK(ret == 0, "dev_info: %d", ret);
	if (ret == 0) {
		printf("info driver %s\n", dev_info.driver_name);
		printf("info max_rx_queues %u\n", dev_info.max_rx_queues);
		printf("info nb_rx_queues %u\n", dev_info.nb_rx_queues);
	}
	ret = rte_eth_stats_get(port, &st);
	CHECK(ret == 0, "stats: %d", ret);
	printf("info ipackets %" PRIu64 "\n", st.ipackets);
	/* What a read costs from here (one request to the primary each). */
	t0 = rte_get_timer_cycles();
	for (i = 0; i < 200; i++)
		rte_eth_stats_get(port, &st);
	printf("latency stats_get %.1f us\n",
		(double)(rte_get_timer_cycles() - t0) * 1e6 /
		rte_get_timer_hz() / 200);

	/* The primary's only. */
	memset(&conf, 0, sizeof(conf));
	/* ethdev refuses a started port before asking the PMD. */
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	CHECK(ret == -E_RTE_SECONDARY || ret == -EBUSY, "configure: %d", ret);
	expect_secondary("stop", rte_eth_dev_stop(port));
	expect_secondary("mtu", rte_eth_dev_set_mtu(port, 1400));
	expect_secondary("promiscuous", rte_eth_promiscuous_enable(port));
	expect_secondary("stats reset", rte_eth_stats_reset(port));
	expect_secondary("xstats reset", rte_eth_xstats_reset(port));
	expect_secondary("link down", rte_eth_dev_set_link_down(port));
	expect_secondary("switch",
		rte_pmd_failover_switch(port, RTE_PMD_FAILOVER_PATH_SYNTHETIC));
	expect_secondary("vf detach", rte_pmd_failover_vf_detach(port));
	expect_secondary("path callback",
		rte_pmd_failover_path_callback_register(port, path_cb, NULL));
	/* Nothing of that reached the port. */
	CHECK(rte_pmd_failover_active_path(port) == (int)info.active_path,
		"the active path changed");
	ret = rte_eth_stats_get(port, &st);
	CHECK(ret == 0 && st.ipackets > 0, "statistics were reset");
	CHECK(rte_eth_dev_is_valid_port(port), "the port went away");

	rte_eal_cleanup();
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
