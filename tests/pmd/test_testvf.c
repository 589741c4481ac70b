/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Self-test of net_testvf: the VF stand-in must be right before the
 * failover tests can trust what it reports.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* CPU_SET, pthread_attr_setaffinity_np */
#endif

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "failover_compat.h"
#include "testvf.h"

#define NB_MBUFS	1023
#define BURST		32
#define WAIT_MS		2000
#define QUIET_MS	30

static struct rte_mempool *pool;
static uint16_t port0;	/* net_testvf0, from the EAL command line */

/* What an event callback saw; written in the interrupt thread. */
struct event_seen {
	uint32_t count;
	pthread_t thread;
	uint16_t port;
	uint8_t link_status;
};

static int
event_cb(uint16_t port_id, enum rte_eth_event_type event __rte_unused,
		void *cb_arg, void *ret_param __rte_unused)
{
	struct event_seen *seen = cb_arg;
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port_id, &link) != 0)
		link.link_status = RTE_ETH_LINK_DOWN;
	seen->thread = pthread_self();
	seen->port = port_id;
	seen->link_status = link.link_status;
	/* Release: the fields above are visible to whoever sees the count. */
	__atomic_fetch_add(&seen->count, 1, __ATOMIC_RELEASE);
	return 0;
}

static uint32_t
seen_count(const struct event_seen *seen)
{
	/* Acquire: pairs with the release in event_cb. */
	return __atomic_load_n(&seen->count, __ATOMIC_ACQUIRE);
}

/* Bounded wait for a callback count; returns the count reached. */
static uint32_t
wait_count(const struct event_seen *seen, uint32_t expected)
{
	unsigned int ms;

	for (ms = 0; ms < WAIT_MS && seen_count(seen) < expected; ms++)
		rte_delay_us_sleep(1000);
	return seen_count(seen);
}

static void
alloc_pkts(struct rte_mbuf **pkts, unsigned int n, uint16_t first_len)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pkts[i] = rte_pktmbuf_alloc(pool);
		assert_non_null(pkts[i]);
		assert_non_null(rte_pktmbuf_append(pkts[i], first_len + i));
		memset(rte_pktmbuf_mtod(pkts[i], void *), i & 0xff,
			first_len + i);
	}
}

static void
free_pkts(struct rte_mbuf **pkts, unsigned int n)
{
	rte_pktmbuf_free_bulk(pkts, n);
}

static void
port_setup(uint16_t port, uint16_t nb_queues, uint16_t nb_desc,
		const struct rte_eth_conf *conf)
{
	uint16_t q;

	assert_int_equal(rte_eth_dev_configure(port, nb_queues, nb_queues,
			conf), 0);
	for (q = 0; q < nb_queues; q++) {
		assert_int_equal(rte_eth_rx_queue_setup(port, q, nb_desc,
				SOCKET_ID_ANY, NULL, pool), 0);
		assert_int_equal(rte_eth_tx_queue_setup(port, q, nb_desc,
				SOCKET_ID_ANY, NULL), 0);
	}
}

static uint16_t
probe(const char *devargs)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t port;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(devargs, ","),
		devargs);
	assert_int_equal(rte_dev_probe(devargs), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name(name, &port), 0);
	return port;
}

static void
remove_port(uint16_t port)
{
	struct rte_eth_dev_info info;

	assert_int_equal(rte_eth_dev_info_get(port, &info), 0);
	assert_int_equal(rte_dev_remove(info.device), 0);
	assert_false(rte_eth_dev_is_valid_port(port));
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, value;

	assert_int_equal(rte_eth_xstats_get_id_by_name(port, name, &id), 0);
	assert_int_equal(rte_eth_xstats_get_by_id(port, &id, &value, 1), 1);
	return value;
}

static struct testvf_config *
config_of(uint16_t port)
{
	static struct testvf_config cfg;

	assert_int_equal(testvf_get_config(port, &cfg), 0);
	return &cfg;
}

static void
test_probe_from_eal_args(void **state __rte_unused)
{
	const struct rte_ether_addr want = {
		.addr_bytes = { 0x02, 0, 0, 0, 0, 0x10 } };
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_link link;

	assert_int_equal(rte_eth_macaddr_get(port0, &mac), 0);
	assert_true(rte_is_same_ether_addr(&mac, &want));
	assert_int_equal(rte_eth_dev_info_get(port0, &info), 0);
	assert_string_equal(info.driver_name, TESTVF_DRIVER_NAME);
	assert_int_equal(info.max_rx_queues, 8);
	assert_int_equal(info.max_tx_queues, 8);
	assert_int_equal(info.max_mtu, 9000);
	assert_int_equal(info.reta_size, 64);
	assert_int_equal(info.flow_type_rss_offloads,
		RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	assert_int_equal(info.rx_offload_capa &
		(RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_RSS_HASH),
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_RSS_HASH);
	assert_int_equal(info.tx_offload_capa &
		(RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT),
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT);
	assert_true(*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	assert_true(*info.dev_flags & RTE_ETH_DEV_INTR_RMV);
	assert_int_equal(rte_eth_link_get_nowait(port0, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	/* Not a testvf port: the knobs refuse it. */
	assert_int_equal(testvf_set_link(RTE_MAX_ETHPORTS - 1, true, false),
		-ENODEV);
}

static void
test_devargs_instances(void **state __rte_unused)
{
	const struct rte_ether_addr want1 = {
		.addr_bytes = { 0x02, 0, 0, 0, 0, 0x01 } };
	struct rte_eth_conf conf = { 0 };
	uint16_t nb_ports = rte_eth_dev_count_avail();
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	uint16_t p1, p2;

	p1 = probe("net_testvf1");
	p2 = probe("net_testvf2,link=down,max_queues=2,max_mtu=1500,"
		"speed=25000,rx_offloads=0x1,tx_offloads=0x2,reta_size=128,"
		"rss_offloads=0x4,lsc=0,rmv=0");
	assert_int_equal(rte_eth_dev_count_avail(), nb_ports + 2);

	assert_int_equal(rte_eth_macaddr_get(p1, &mac), 0);
	assert_true(rte_is_same_ether_addr(&mac, &want1));

	assert_int_equal(rte_eth_dev_info_get(p2, &info), 0);
	assert_int_equal(info.max_rx_queues, 2);
	assert_int_equal(info.max_mtu, 1500);
	assert_int_equal(info.rx_offload_capa, 0x1);
	assert_int_equal(info.tx_offload_capa, 0x2);
	assert_int_equal(info.reta_size, 128);
	assert_int_equal(info.flow_type_rss_offloads, 0x4);
	assert_int_equal(info.speed_capa, RTE_ETH_LINK_SPEED_25G);
	assert_false(*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	assert_false(*info.dev_flags & RTE_ETH_DEV_INTR_RMV);

	/* Limits from the devargs are enforced. */
	assert_int_not_equal(rte_eth_dev_configure(p2, 3, 3, &conf), 0);
	conf.intr_conf.lsc = 1;
	assert_int_not_equal(rte_eth_dev_configure(p2, 1, 1, &conf), 0);
	conf.intr_conf.lsc = 0;
	assert_int_not_equal(rte_eth_dev_set_mtu(p2, 1501), 0);

	/* link=down: started, but no carrier until the wire comes up. */
	port_setup(p2, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_start(p2), 0);
	assert_int_equal(rte_eth_link_get_nowait(p2, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(testvf_set_link(p2, true, false), 0);
	assert_int_equal(rte_eth_link_get_nowait(p2, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	assert_int_equal(link.link_speed, 25000);

	remove_port(p1);
	remove_port(p2);
	assert_int_equal(rte_eth_dev_count_avail(), nb_ports);
}

static bool
log_has_line(char *log, const char *a, const char *b, const char *c)
{
	char *save = NULL;
	char *line;

	for (line = strtok_r(log, "\n", &save); line != NULL;
			line = strtok_r(NULL, "\n", &save))
		if (strstr(line, a) && strstr(line, b) && strstr(line, c))
			return true;
	return false;
}

static void
test_bad_devargs(void **state __rte_unused)
{
	static const struct {
		const char *devargs;
		const char *key;
		const char *value;
	} bad[] = {
		{ "net_testvf9,link=sideways", "link", "sideways" },
		{ "net_testvf91,max_queues=0", "max_queues", "0" },
		{ "net_testvf92,max_queues=65", "max_queues", "65" },
		{ "net_testvf93,mac=01:00:00:00:00:01", "mac",
			"01:00:00:00:00:01" },
		{ "net_testvf94,reta_size=100", "reta_size", "100" },
		{ "net_testvf95,speed=-5", "speed", "-5" },
		{ "net_testvf96,lsc=2", "lsc", "2" },
		{ "net_testvf97,rx_offloads=0xZZ", "rx_offloads", "0xZZ" },
		{ "net_testvf98,colour=blue", "colour", "blue" },
	};
	uint16_t nb_ports = rte_eth_dev_count_avail();
	char name[RTE_ETH_NAME_MAX_LEN];
	unsigned int i;
	size_t log_len;
	char *log;
	FILE *f;
	uint16_t port;
	int ret;

	for (i = 0; i < RTE_DIM(bad); i++) {
		f = open_memstream(&log, &log_len);
		assert_non_null(f);
		assert_int_equal(rte_openlog_stream(f), 0);
		ret = rte_dev_probe(bad[i].devargs);
		rte_openlog_stream(NULL);
		fclose(f);
		assert_true(ret < 0);

		snprintf(name, sizeof(name), "%.*s",
			(int)strcspn(bad[i].devargs, ","), bad[i].devargs);
		assert_int_not_equal(rte_eth_dev_get_port_by_name(name, &port),
			0);
		assert_int_equal(rte_eth_dev_count_avail(), nb_ports);
		/* One error line names the device, the key and the value. */
		assert_true(log_has_line(log, name, bad[i].key, bad[i].value));
		free(log);
	}
}

static void
test_datapath(void **state __rte_unused)
{
	struct rte_mbuf *pkts[BURST + 8], *got[BURST + 8];
	struct rte_eth_conf conf = { 0 };
	struct failover_eth_stats fst;
	struct rte_eth_stats stats;
	uint64_t bytes = 0;
	unsigned int i;

	port_setup(port0, 2, BURST, &conf);
	assert_int_equal(rte_eth_dev_start(port0), 0);

	alloc_pkts(pkts, 5, 60);
	for (i = 0; i < 5; i++)
		bytes += 60 + i;
	assert_int_equal(testvf_rx_inject(port0, 0, pkts, 3), 3);
	assert_int_equal(testvf_rx_inject(port0, 1, pkts + 3, 2), 2);
	assert_int_equal(testvf_rx_pending(port0, 0), 3);
	assert_int_equal(testvf_rx_pending(port0, 1), 2);
	assert_int_equal(testvf_rx_inject(port0, 2, pkts, 1), -EINVAL);

	memset(got, 0, sizeof(got));
	assert_int_equal(rte_eth_rx_burst(port0, 0, got, BURST), 3);
	assert_int_equal(rte_eth_rx_burst(port0, 1, got + 3, BURST), 2);
	for (i = 0; i < 5; i++) {
		assert_ptr_equal(got[i], pkts[i]);
		assert_int_equal(got[i]->port, port0);
	}
	assert_int_equal(testvf_rx_pending(port0, 0), 0);

	assert_int_equal(rte_eth_tx_burst(port0, 1, got, 5), 5);
	assert_int_equal(testvf_tx_pending(port0, 1), 5);
	memset(got, 0, sizeof(got));
	assert_int_equal(testvf_tx_drain(port0, 1, got, BURST), 5);
	for (i = 0; i < 5; i++)
		assert_ptr_equal(got[i], pkts[i]);
	assert_int_equal(testvf_tx_drain(port0, 0, got + 5, BURST), 0);

	assert_int_equal(rte_eth_stats_get(port0, &stats), 0);
	assert_int_equal(stats.ipackets, 5);
	/* Per queue: from 25.11 on, only through the op itself. */
	assert_int_equal(failover_eth_stats_get(port0, &fst), 0);
	assert_int_equal(FAILOVER_QSTATS(&fst)->q_ipackets[0], 3);
	assert_int_equal(FAILOVER_QSTATS(&fst)->q_ipackets[1], 2);
	assert_int_equal(stats.ibytes, bytes);
	assert_int_equal(stats.opackets, 5);
	assert_int_equal(FAILOVER_QSTATS(&fst)->q_opackets[0], 0);
	assert_int_equal(FAILOVER_QSTATS(&fst)->q_opackets[1], 5);
	assert_int_equal(stats.obytes, bytes);
	assert_int_equal(stats.imissed, 0);
	assert_int_equal(stats.oerrors, 0);
	assert_int_equal(xstat(port0, "rx_injected"), 5);
	assert_int_equal(xstat(port0, "tx_captured"), 5);
	free_pkts(got, 5);

	/* Full rings: the wire drops into imissed, Tx refuses the rest. */
	alloc_pkts(pkts, BURST + 8, 60);
	assert_int_equal(testvf_rx_inject(port0, 0, pkts, BURST + 8), BURST);
	free_pkts(pkts + BURST, 8);
	assert_int_equal(rte_eth_rx_burst(port0, 0, got, BURST + 8), BURST);
	alloc_pkts(got + BURST, 8, 60);
	assert_int_equal(rte_eth_tx_burst(port0, 0, got, BURST + 8), BURST);
	free_pkts(got + BURST, 8);
	assert_int_equal(rte_eth_stats_get(port0, &stats), 0);
	assert_int_equal(stats.imissed, 8);
	assert_int_equal(stats.oerrors, 8);
	assert_int_equal(xstat(port0, "rx_inject_overflow"), 8);
	assert_int_equal(xstat(port0, "tx_refused"), 8);
	assert_int_equal(testvf_tx_drain(port0, 0, got, BURST + 8), BURST);
	free_pkts(got, BURST);

	assert_int_equal(rte_eth_stats_reset(port0), 0);
	assert_int_equal(rte_eth_stats_get(port0, &stats), 0);
	assert_int_equal(stats.ipackets, 0);
	assert_int_equal(stats.opackets, 0);
	assert_int_equal(stats.imissed, 0);
	assert_int_equal(xstat(port0, "rx_injected"), 0);
	assert_int_equal(rte_eth_xstats_reset(port0), 0);

	assert_int_equal(rte_eth_dev_stop(port0), 0);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

#define INJECTORS	2
#define PER_INJECTOR	50000
#define INJECT_BURST	4

struct injector {
	uint16_t id;
};

/* Sequence numbers ride in the mbuf data: (injector id, seq). */
static void *
injector_main(void *arg)
{
	struct injector *inj = arg;
	struct rte_mbuf *pkts[BURST];
	uint32_t seq = 0;
	unsigned int n, i;
	int sent;

	while (seq < PER_INJECTOR) {
		n = RTE_MIN((uint32_t)INJECT_BURST, PER_INJECTOR - seq);
		/* Two cores for three threads: let the poller run. */
		if (rte_pktmbuf_alloc_bulk(pool, pkts, n) != 0) {
			sched_yield();
			continue;
		}
		for (i = 0; i < n; i++) {
			uint32_t *data = (uint32_t *)rte_pktmbuf_append(pkts[i],
					2 * sizeof(uint32_t));

			data[0] = inj->id;
			data[1] = seq + i;
		}
		sent = testvf_rx_inject(port0, 0, pkts, n);
		if (sent < 0)
			sent = 0;
		if ((unsigned int)sent < n)
			sched_yield();
		free_pkts(pkts + sent, n - sent);
		seq += sent;
	}
	return NULL;
}

/* Injection from other threads while the queue is polled. */
static void
test_concurrent_inject(void **state __rte_unused)
{
	struct injector inj[INJECTORS];
	pthread_t threads[INJECTORS];
	pthread_attr_t attr;
	cpu_set_t cpus;
	uint32_t next[INJECTORS] = { 0 };
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_stats stats;
	uint64_t deadline;
	unsigned int total = 0, n, i;

	port_setup(port0, 1, 256, &conf);
	assert_int_equal(rte_eth_dev_start(port0), 0);
	assert_int_equal(rte_eth_stats_reset(port0), 0);
	/*
	 * Threads inherit the main lcore's single-CPU affinity: widen it so
	 * injectors and poller really run at the same time.
	 */
	CPU_ZERO(&cpus);
	for (i = 0; i < (unsigned int)sysconf(_SC_NPROCESSORS_ONLN) &&
			i < CPU_SETSIZE; i++)
		CPU_SET(i, &cpus);
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setaffinity_np(&attr, sizeof(cpus),
			&cpus), 0);
	for (i = 0; i < INJECTORS; i++) {
		inj[i] = (struct injector){ .id = i };
		assert_int_equal(pthread_create(&threads[i], &attr,
				injector_main, &inj[i]), 0);
	}
	pthread_attr_destroy(&attr);

	deadline = rte_get_timer_cycles() + 20 * rte_get_timer_hz();
	while (total < INJECTORS * PER_INJECTOR &&
			rte_get_timer_cycles() < deadline) {
		n = rte_eth_rx_burst(port0, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			const uint32_t *data = rte_pktmbuf_mtod(pkts[i],
					const uint32_t *);

			assert_true(data[0] < INJECTORS);
			/* Each injector's packets arrive whole and in order. */
			assert_int_equal(data[1], next[data[0]]);
			next[data[0]]++;
		}
		free_pkts(pkts, n);
		total += n;
	}
	for (i = 0; i < INJECTORS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);

	assert_int_equal(total, INJECTORS * PER_INJECTOR);
	assert_int_equal(rte_eth_stats_get(port0, &stats), 0);
	assert_int_equal(stats.ipackets, total);
	assert_int_equal(xstat(port0, "rx_injected"), total);
	assert_int_equal(rte_eth_dev_stop(port0), 0);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void
test_tx_fail_next(void **state __rte_unused)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *pkts[4];
	struct rte_eth_stats stats;

	port_setup(port0, 2, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port0), 0);
	assert_int_equal(rte_eth_xstats_reset(port0), 0);
	alloc_pkts(pkts, 4, 64);

	assert_int_equal(testvf_tx_fail_next(port0, 2), 0);
	assert_int_equal(rte_eth_tx_burst(port0, 0, pkts, 4), 0);
	assert_int_equal(rte_eth_tx_burst(port0, 1, pkts, 4), 0);
	assert_int_equal(rte_eth_tx_burst(port0, 0, pkts, 2), 2);
	assert_int_equal(xstat(port0, "tx_failed_bursts"), 2);
	assert_int_equal(xstat(port0, "tx_refused"), 8);

	/* 0 cancels what is still armed. */
	assert_int_equal(testvf_tx_fail_next(port0, 5), 0);
	assert_int_equal(testvf_tx_fail_next(port0, 0), 0);
	assert_int_equal(rte_eth_tx_burst(port0, 1, pkts + 2, 2), 2);

	assert_int_equal(rte_eth_stats_get(port0, &stats), 0);
	assert_int_equal(stats.opackets, 4);
	assert_int_equal(stats.oerrors, 8);
	assert_int_equal(testvf_tx_drain(port0, 0, pkts, 2), 2);
	assert_int_equal(testvf_tx_drain(port0, 1, pkts + 2, 2), 2);
	free_pkts(pkts, 4);
	assert_int_equal(rte_eth_dev_stop(port0), 0);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void
test_lsc_events(void **state __rte_unused)
{
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct event_seen seen = { 0 };
	struct rte_eth_link link;
	const struct testvf_config *cfg;

	port_setup(port0, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_callback_register(port0,
			RTE_ETH_EVENT_INTR_LSC, event_cb, &seen), 0);
	assert_int_equal(rte_eth_dev_start(port0), 0);
	assert_int_equal(rte_eth_link_get_nowait(port0, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	assert_int_equal(link.link_speed, RTE_ETH_SPEED_NUM_10G);

	/* Asynchronous: from the interrupt thread, link already down. */
	assert_int_equal(testvf_set_link(port0, false, true), 0);
	assert_int_equal(rte_eth_link_get_nowait(port0, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(wait_count(&seen, 1), 1);
	assert_false(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(seen.port, port0);
	assert_int_equal(seen.link_status, RTE_ETH_LINK_DOWN);
	cfg = config_of(port0);
	assert_int_equal(cfg->events.lsc_raised, 1);
	assert_int_equal(cfg->events.lsc_delivered, 1);

	/* No notification asked: link changes, no event. */
	assert_int_equal(testvf_set_link(port0, true, false), 0);
	assert_int_equal(rte_eth_link_get_nowait(port0, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	rte_delay_us_sleep(QUIET_MS * 1000);
	assert_int_equal(seen_count(&seen), 1);

	/* Synchronous: processed in this thread before returning. */
	assert_int_equal(testvf_set_link_sync(port0, false), 0);
	assert_int_equal(seen_count(&seen), 2);
	assert_true(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(seen.link_status, RTE_ETH_LINK_DOWN);

	/* The application did not ask for LSC: nothing raised. */
	assert_int_equal(rte_eth_dev_stop(port0), 0);
	conf.intr_conf.lsc = 0;
	port_setup(port0, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port0), 0);
	assert_int_equal(testvf_set_link(port0, true, true), 0);
	assert_int_equal(testvf_set_link_sync(port0, true), 0);
	rte_delay_us_sleep(QUIET_MS * 1000);
	assert_int_equal(seen_count(&seen), 2);
	assert_int_equal(config_of(port0)->events.lsc_raised, 2);

	assert_int_equal(rte_eth_dev_callback_unregister(port0,
			RTE_ETH_EVENT_INTR_LSC, event_cb, &seen), 0);
	assert_int_equal(rte_eth_dev_stop(port0), 0);
}

static void
test_rmv_events(void **state __rte_unused)
{
	struct rte_eth_conf conf = { 0 };
	struct event_seen seen = { 0 };
	struct rte_mbuf *pkts[2];
	struct rte_eth_link link;
	uint16_t port, port_sync;

	port = probe("net_testvf5");
	port_setup(port, 1, 64, &conf);
	assert_int_equal(testvf_raise_rmv(port), -ENOTSUP);
	assert_false(config_of(port)->removed);
	assert_int_equal(config_of(port)->events.rmv_raised, 0);

	conf.intr_conf.rmv = 1;
	port_setup(port, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port), 0);
	alloc_pkts(pkts, 2, 64);
	assert_int_equal(testvf_rx_inject(port, 0, pkts, 2), 2);
	assert_int_equal(rte_eth_dev_callback_register(port,
			RTE_ETH_EVENT_INTR_RMV, event_cb, &seen), 0);

	assert_int_equal(testvf_raise_rmv(port), 0);
	assert_int_equal(wait_count(&seen, 1), 1);
	assert_false(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(rte_eth_dev_is_removed(port), 1);
	assert_int_equal(rte_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	/* The hardware is gone: nothing comes in, nothing goes out. */
	assert_int_equal(rte_eth_rx_burst(port, 0, pkts, 2), 0);
	assert_int_equal(testvf_rx_pending(port, 0), 2);
	alloc_pkts(pkts, 2, 64);
	assert_int_equal(rte_eth_tx_burst(port, 0, pkts, 2), 0);
	free_pkts(pkts, 2);
	assert_int_equal(rte_eth_dev_callback_unregister(port,
			RTE_ETH_EVENT_INTR_RMV, event_cb, &seen), 0);

	/* Removing the started port frees what its rings still hold. */
	remove_port(port);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);

	port_sync = probe("net_testvf6");
	port_setup(port_sync, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_callback_register(port_sync,
			RTE_ETH_EVENT_INTR_RMV, event_cb, &seen), 0);
	assert_int_equal(testvf_raise_rmv_sync(port_sync), 0);
	assert_int_equal(seen_count(&seen), 2);
	assert_true(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(seen.port, port_sync);
	assert_int_equal(rte_eth_dev_callback_unregister(port_sync,
			RTE_ETH_EVENT_INTR_RMV, event_cb, &seen), 0);
	remove_port(port_sync);
}

/*
 * INTR_RESET: raised from the interrupt thread (or synchronously), the
 * data path halts until rte_eth_dev_reset(), which leaves the port
 * unconfigured and forgetting what it was told; the counts go on.
 */
static void
test_reset_events(void **state __rte_unused)
{
	struct rte_ether_addr extra = {
		.addr_bytes = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	struct rte_eth_conf conf = { 0 };
	struct event_seen seen = { 0 };
	struct rte_mbuf *pkts[4];
	struct rte_eth_link link;
	struct testvf_config *cfg;
	uint16_t port;

	port = probe("net_testvf7");
	port_setup(port, 2, 64, &conf);
	assert_int_equal(rte_eth_dev_set_mtu(port, 1400), 0);
	assert_int_equal(rte_eth_dev_mac_addr_add(port, &extra, 0), 0);
	assert_int_equal(rte_eth_promiscuous_enable(port), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);
	assert_int_equal(rte_eth_dev_callback_register(port,
			RTE_ETH_EVENT_INTR_RESET, event_cb, &seen), 0);
	alloc_pkts(pkts, 2, 64);
	assert_int_equal(testvf_rx_inject(port, 0, pkts, 2), 2);
	alloc_pkts(pkts, 1, 64);
	assert_int_equal(rte_eth_tx_burst(port, 1, pkts, 1), 1);

	/* From the interrupt thread, no intr_conf flag needed. */
	assert_int_equal(testvf_raise_reset(port), 0);
	assert_true(config_of(port)->reset_pending);
	assert_int_equal(wait_count(&seen, 1), 1);
	assert_false(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(seen.port, port);
	assert_int_equal(seen.link_status, RTE_ETH_LINK_DOWN);
	cfg = config_of(port);
	assert_int_equal(cfg->events.reset_raised, 1);
	assert_int_equal(cfg->events.reset_delivered, 1);
	assert_int_equal(cfg->ops.dev_reset, 0);
	/* Halted: nothing in, nothing out, link down, not removed. */
	assert_int_equal(rte_eth_rx_burst(port, 0, pkts, 2), 0);
	assert_int_equal(testvf_rx_pending(port, 0), 2);
	alloc_pkts(pkts, 2, 64);
	assert_int_equal(rte_eth_tx_burst(port, 0, pkts, 2), 0);
	free_pkts(pkts, 2);
	assert_int_equal(rte_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(rte_eth_dev_is_removed(port), 0);

	/* The reset: stopped by ethdev, queues gone (their mbufs freed). */
	assert_int_equal(rte_eth_dev_reset(port), 0);
	cfg = config_of(port);
	assert_int_equal(cfg->ops.dev_reset, 1);
	assert_false(cfg->reset_pending);
	assert_false(cfg->started);
	assert_false(cfg->configured);
	assert_false(cfg->rxq[0].setup);
	assert_false(cfg->txq[1].setup);
	assert_int_equal(cfg->mtu, RTE_ETHER_MTU);
	assert_false(cfg->promiscuous);
	assert_true(rte_is_zero_ether_addr(&cfg->mac_addrs[1]));
	assert_int_equal(cfg->ops.dev_configure, 1);
	assert_int_equal(cfg->ops.mtu_set, 1);
	assert_int_equal(testvf_rx_pending(port, 0), 0);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	/* Unconfigured: it must be configured again before it starts. */
	assert_true(rte_eth_dev_start(port) < 0);
	port_setup(port, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port), 0);
	assert_int_equal(rte_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	cfg = config_of(port);
	assert_int_equal(cfg->ops.dev_configure, 2);
	assert_int_equal(cfg->nb_rx_queues, 1);
	alloc_pkts(pkts, 1, 64);
	assert_int_equal(rte_eth_tx_burst(port, 0, pkts, 1), 1);
	assert_int_equal(testvf_tx_drain(port, 0, pkts, 1), 1);
	free_pkts(pkts, 1);

	/* Synchronous: processed in this thread before returning. */
	assert_int_equal(testvf_raise_reset_sync(port), 0);
	assert_int_equal(seen_count(&seen), 2);
	assert_true(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(rte_eth_dev_reset(port), 0);
	assert_int_equal(config_of(port)->ops.dev_reset, 2);
	assert_int_equal(config_of(port)->events.reset_raised, 2);

	assert_int_equal(rte_eth_dev_callback_unregister(port,
			RTE_ETH_EVENT_INTR_RESET, event_cb, &seen), 0);
	remove_port(port);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void
test_config_recording(void **state __rte_unused)
{
	struct rte_ether_addr extra = {
		.addr_bytes = { 0x02, 0, 0, 0, 0x77, 0x01 } };
	struct rte_ether_addr mc[2] = {
		{ .addr_bytes = { 0x01, 0, 0x5e, 0, 0, 1 } },
		{ .addr_bytes = { 0x33, 0x33, 0, 0, 0, 1 } },
	};
	struct rte_eth_rss_reta_entry64 reta[1];
	struct rte_eth_rxconf rxconf = { 0 };
	struct rte_eth_rss_conf rss = { 0 };
	const struct testvf_config *cfg;
	uint8_t key1[TESTVF_RSS_KEY_LEN], key2[TESTVF_RSS_KEY_LEN];
	uint8_t key_out[TESTVF_RSS_KEY_LEN];
	struct rte_eth_conf conf = {
		.rxmode = {
			.mq_mode = RTE_ETH_MQ_RX_RSS,
			.offloads = RTE_ETH_RX_OFFLOAD_VLAN_FILTER,
		},
		.rx_adv_conf.rss_conf = {
			.rss_key = key1,
			.rss_key_len = sizeof(key1),
			.rss_hf = RTE_ETH_RSS_IP,
		},
	};
	struct rte_eth_link link;
	unsigned int i;
	uint16_t port;

	for (i = 0; i < TESTVF_RSS_KEY_LEN; i++) {
		key1[i] = i;
		key2[i] = 0xff - i;
	}
	port = probe("net_testvf7");
	assert_int_equal(rte_eth_dev_configure(port, 2, 2, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 128, SOCKET_ID_ANY,
			NULL, pool), 0);
	rxconf.offloads = RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
	assert_int_equal(rte_eth_rx_queue_setup(port, 1, 128, SOCKET_ID_ANY,
			&rxconf, pool), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(rte_eth_tx_queue_setup(port, i, 256,
				SOCKET_ID_ANY, NULL), 0);

	cfg = config_of(port);
	assert_true(cfg->configured);
	assert_int_equal(cfg->nb_rx_queues, 2);
	assert_int_equal(cfg->nb_tx_queues, 2);
	assert_int_equal(cfg->rx_mq_mode, RTE_ETH_MQ_RX_RSS);
	assert_int_equal(cfg->rx_offloads, RTE_ETH_RX_OFFLOAD_VLAN_FILTER);
	assert_int_equal(cfg->rss_hf, RTE_ETH_RSS_IP);
	assert_memory_equal(cfg->rss_key, key1, sizeof(key1));
	for (i = 0; i < cfg->reta_size; i++)
		assert_int_equal(cfg->reta[i], i % 2);
	assert_true(cfg->rxq[1].setup);
	assert_int_equal(cfg->rxq[0].nb_desc, 128);
	assert_int_equal(cfg->rxq[0].offloads, RTE_ETH_RX_OFFLOAD_VLAN_FILTER);
	assert_int_equal(cfg->rxq[1].offloads,
		RTE_ETH_RX_OFFLOAD_VLAN_FILTER | RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	assert_ptr_equal(cfg->rxq[1].mb_pool, pool);
	assert_int_equal(cfg->txq[1].nb_desc, 256);
	assert_false(cfg->rxq[2].setup);
	assert_int_equal(cfg->mtu, RTE_ETHER_MTU);

	assert_int_equal(rte_eth_dev_set_mtu(port, 3000), 0);
	assert_int_not_equal(rte_eth_dev_set_mtu(port, 9001), 0);
	assert_int_equal(rte_eth_promiscuous_enable(port), 0);
	assert_int_equal(rte_eth_allmulticast_enable(port), 0);
	assert_int_equal(rte_eth_dev_mac_addr_add(port, &extra, 0), 0);
	assert_int_equal(rte_eth_dev_set_mc_addr_list(port, mc, 2), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(port, 100, 1), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(port, 200, 1), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(port, 100, 0), 0);
	assert_int_equal(rte_eth_dev_set_vlan_offload(port,
			RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD),
		0);
	rss = (struct rte_eth_rss_conf){ .rss_key = key2,
		.rss_key_len = sizeof(key2),
		.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP };
	assert_int_equal(rte_eth_dev_rss_hash_update(port, &rss), 0);
	rss.rss_hf = RTE_ETH_RSS_L2_PAYLOAD;
	assert_int_not_equal(rte_eth_dev_rss_hash_update(port, &rss), 0);
	reta[0].mask = UINT64_C(0xf0);
	for (i = 0; i < RTE_ETH_RETA_GROUP_SIZE; i++)
		reta[0].reta[i] = 1;
	assert_int_equal(rte_eth_dev_rss_reta_update(port, reta, 64), 0);

	cfg = config_of(port);
	assert_int_equal(cfg->mtu, 3000);
	assert_int_equal(cfg->ops.mtu_set, 1);
	assert_true(cfg->promiscuous);
	assert_true(cfg->allmulticast);
	assert_true(rte_is_same_ether_addr(&cfg->mac_addrs[1], &extra));
	assert_int_equal(cfg->ops.mac_addr_add, 1);
	assert_int_equal(cfg->nb_mc_addrs, 2);
	assert_memory_equal(cfg->mc_addrs, mc, sizeof(mc));
	assert_false(testvf_vlan_filtered(cfg, 100));
	assert_true(testvf_vlan_filtered(cfg, 200));
	assert_int_equal(cfg->ops.vlan_filter_set, 3);
	assert_int_equal(cfg->vlan_offload,
		RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD);
	assert_true(cfg->vlan_offload_mask & RTE_ETH_VLAN_STRIP_MASK);
	assert_int_equal(cfg->rss_hf, RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP);
	assert_memory_equal(cfg->rss_key, key2, sizeof(key2));
	assert_int_equal(cfg->ops.rss_hash_update, 1);
	for (i = 0; i < 8; i++)
		assert_int_equal(cfg->reta[i], i >= 4 ? 1 : i % 2);

	/* Read back through the ops. */
	memset(&rss, 0, sizeof(rss));
	rss.rss_key = key_out;
	rss.rss_key_len = sizeof(key_out);
	assert_int_equal(rte_eth_dev_rss_hash_conf_get(port, &rss), 0);
	assert_int_equal(rss.rss_hf, RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP);
	assert_memory_equal(key_out, key2, sizeof(key2));
	reta[0].mask = UINT64_MAX;
	assert_int_equal(rte_eth_dev_rss_reta_query(port, reta, 64), 0);
	assert_int_equal(reta[0].reta[2], 0);
	assert_int_equal(reta[0].reta[5], 1);

	/* Administrative link state, set by the application. */
	assert_int_equal(rte_eth_dev_start(port), 0);
	assert_int_equal(rte_eth_dev_set_link_down(port), 0);
	assert_false(config_of(port)->link_admin_up);
	assert_int_equal(rte_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(rte_eth_dev_set_link_up(port), 0);
	assert_int_equal(rte_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	cfg = config_of(port);
	assert_true(cfg->started);
	assert_int_equal(cfg->ops.dev_set_link_down, 1);
	assert_int_equal(cfg->ops.dev_set_link_up, 1);

	assert_int_equal(rte_eth_dev_mac_addr_remove(port, &extra), 0);
	assert_true(rte_is_zero_ether_addr(&config_of(port)->mac_addrs[1]));
	assert_int_equal(rte_eth_dev_stop(port), 0);
	assert_false(config_of(port)->started);
	remove_port(port);
}

/* Bytes allocated from the DPDK heaps, all sockets. */
static size_t
heap_allocated(void)
{
	struct rte_malloc_socket_stats stats;
	unsigned int i;
	size_t total = 0;

	for (i = 0; i < rte_socket_count(); i++) {
		assert_int_equal(rte_malloc_get_socket_stats(
				rte_socket_id_by_idx(i), &stats), 0);
		total += stats.heap_allocsz_bytes;
	}
	return total;
}

/* Keeps the interrupt thread busy so a testvf alarm stays pending. */
static void
busy_alarm(void *arg __rte_unused)
{
	rte_delay_us_sleep(100 * 1000);
}

static void
test_close_frees(void **state __rte_unused)
{
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	uint16_t nb_ports = rte_eth_dev_count_avail();
	size_t heap_before = heap_allocated();
	struct event_seen seen = { 0 };
	char ring_name[RTE_RING_NAMESIZE];
	struct rte_mbuf *pkts[10];
	uint16_t port;

	port = probe("net_testvf8");
	port_setup(port, 2, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port), 0);
	alloc_pkts(pkts, 10, 64);
	assert_int_equal(testvf_rx_inject(port, 0, pkts, 5), 5);
	assert_int_equal(rte_eth_tx_burst(port, 1, pkts + 5, 5), 5);
	snprintf(ring_name, sizeof(ring_name), "testvf_rx_%u_0", port);
	assert_non_null(rte_ring_lookup(ring_name));

	/* Registered for all ports: it outlives the port. */
	assert_int_equal(rte_eth_dev_callback_register(RTE_ETH_ALL,
			RTE_ETH_EVENT_INTR_LSC, event_cb, &seen), 0);
	assert_int_equal(rte_eal_alarm_set(1, busy_alarm, NULL), 0);
	rte_delay_us_sleep(5 * 1000);
	assert_int_equal(testvf_set_link(port, false, true), 0);

	/* Remove the started port while its LSC alarm is pending. */
	remove_port(port);
	assert_int_equal(rte_eth_dev_count_avail(), nb_ports);
	assert_null(rte_ring_lookup(ring_name));
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	assert_int_equal(testvf_set_link(port, true, true), -ENODEV);

	/* The busy alarm is done well before this; the LSC never comes. */
	rte_delay_us_sleep(150 * 1000);
	assert_int_equal(seen_count(&seen), 0);
	assert_int_equal(rte_eth_dev_callback_unregister(RTE_ETH_ALL,
			RTE_ETH_EVENT_INTR_LSC, event_cb, &seen), 0);
	/* Queues, rings, MAC table, private data: all given back. */
	assert_int_equal(heap_allocated(), heap_before);
}

/* An event callback that removes the port it is told about. */
static int
remove_cb(uint16_t port_id, enum rte_eth_event_type event __rte_unused,
		void *cb_arg, void *ret_param __rte_unused)
{
	struct rte_eth_dev_info info;
	uint32_t *done = cb_arg;

	if (rte_eth_dev_info_get(port_id, &info) == 0 &&
			rte_dev_remove(info.device) == 0)
		/* Release: the removal is complete before the flag is seen. */
		__atomic_store_n(done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* A callback may close the port from inside its own event. */
static void
test_remove_from_event(void **state __rte_unused)
{
	struct rte_eth_conf conf = { .intr_conf.rmv = 1 };
	uint16_t nb_ports = rte_eth_dev_count_avail();
	uint32_t done = 0;
	unsigned int ms;
	uint16_t port;

	port = probe("net_testvf11");
	port_setup(port, 1, 64, &conf);
	assert_int_equal(rte_eth_dev_start(port), 0);
	assert_int_equal(rte_eth_dev_callback_register(RTE_ETH_ALL,
			RTE_ETH_EVENT_INTR_RMV, remove_cb, &done), 0);
	assert_int_equal(testvf_raise_rmv(port), 0);
	/* Acquire: pairs with the release in remove_cb. */
	for (ms = 0; ms < WAIT_MS &&
			__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 0; ms++)
		rte_delay_us_sleep(1000);
	assert_int_equal(__atomic_load_n(&done, __ATOMIC_ACQUIRE), 1);
	assert_int_equal(rte_eth_dev_count_avail(), nb_ports);
	assert_int_equal(rte_eth_dev_callback_unregister(RTE_ETH_ALL,
			RTE_ETH_EVENT_INTR_RMV, remove_cb, &done), 0);
}

static int
eal_setup(void **state __rte_unused)
{
	char *argv[] = {
		"test_testvf", "--no-huge", "-m", "512", "--no-pci",
		"--file-prefix=testvf_selftest",
		"--vdev=net_testvf0,mac=02:00:00:00:00:10",
		"--log-level=lib.eal:warning",
		"--log-level=pmd.net.testvf:info",
	};

	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return -1;
	if (rte_eth_dev_get_port_by_name("net_testvf0", &port0) != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("testvf_selftest", NB_MBUFS, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static int
eal_teardown(void **state __rte_unused)
{
	int ret = 0;

	/* Closing port0 frees whatever its rings hold: then count. */
	if (rte_eth_dev_is_valid_port(port0)) {
		rte_eth_dev_stop(port0);
		if (rte_eth_dev_close(port0) != 0)
			ret = -1;
	}
	if (pool != NULL && rte_mempool_in_use_count(pool) != 0) {
		fprintf(stderr, "%u mbufs leaked\n",
			rte_mempool_in_use_count(pool));
		ret = -1;
	}
	rte_mempool_free(pool);
	if (rte_eal_cleanup() != 0)
		ret = -1;
	return ret;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_from_eal_args),
		cmocka_unit_test(test_devargs_instances),
		cmocka_unit_test(test_bad_devargs),
		cmocka_unit_test(test_datapath),
		cmocka_unit_test(test_concurrent_inject),
		cmocka_unit_test(test_tx_fail_next),
		cmocka_unit_test(test_lsc_events),
		cmocka_unit_test(test_rmv_events),
		cmocka_unit_test(test_reset_events),
		cmocka_unit_test(test_config_recording),
		cmocka_unit_test(test_close_frees),
		cmocka_unit_test(test_remove_from_event),
	};

	return cmocka_run_group_tests(tests, eal_setup, eal_teardown);
}
