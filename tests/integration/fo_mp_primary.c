/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The primary process of the multi-process tests (mp_tools.sh): forwards
 * on the failover port and on a bare net_null port (the control), both
 * given with --vdev, while DPDK's own secondary tools (dpdk-proc-info,
 * dpdk-dumpcap, dpdk-pdump) look at them. Driven by commands on stdin,
 * each answered by one line starting with "OK" or "ERR":
 *
 *   fwd on|slow|off forward (lcore 1) at full speed, at most one burst
 *                   per port and millisecond (captures stay small), or
 *                   not; "off" returns once the forwarding lcore is idle
 *   stats FILE      write the ports' basic and extended statistics as
 *                   "port NAME", "stat NAME VALUE" and "xstat NAME VALUE"
 *   churn N         N times: switch Tx to the synthetic port and back to
 *                   the VF, detach the VF gracefully, and wait until the
 *                   PMD has re-probed it and Tx is back on it
 *   mbufs           "OK in_use=N" for the packet pool
 *   quit
 *
 * Every packet sent carries, after an Ethernet header of type 0x88b5, the
 * tag "FOMP", the port's index (0 failover, 1 control) and a per-port
 * sequence number, so that a capture of Tx can be checked packet by
 * packet. The primary calls rte_pdump_init(), as any application that
 * wants to be captured must.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>

#include "rte_pmd_failover.h"

#define NB_MBUFS	8191
#define BURST		32
#define NB_PORTS	2
#define ETHER_TYPE_FOMP	0x88b5

struct fwd_port {
	uint16_t port_id;
	uint64_t seq;		/* next sequence number sent */
	uint64_t rx;
	uint64_t tx;
};

static struct fwd_port ports[NB_PORTS];
static struct rte_mempool *pool;
/* Written by the main lcore, read by the forwarding lcore. */
static volatile int fwd_on;
static volatile int fwd_slow;
static volatile int fwd_quit;
/* Written by the forwarding lcore: it saw fwd_on == 0 and is idle. */
static volatile int fwd_idle = 1;

static void
stamp(struct rte_mbuf *m, unsigned int idx, uint64_t seq)
{
	uint8_t *p;

	if (rte_pktmbuf_data_len(m) < 14 + 4 + 1 + 8)
		return;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	p[12] = ETHER_TYPE_FOMP >> 8;
	p[13] = ETHER_TYPE_FOMP & 0xff;
	memcpy(p + 14, "FOMP", 4);
	p[18] = (uint8_t)idx;
	memcpy(p + 19, &seq, sizeof(seq));
}

static int
fwd_loop(void *arg)
{
	struct rte_mbuf *pkts[BURST];
	struct fwd_port *fp;
	uint16_t nb, sent, i;
	unsigned int k;

	RTE_SET_USED(arg);
	while (!fwd_quit) {
		if (!fwd_on) {
			fwd_idle = 1;
			rte_pause();
			continue;
		}
		fwd_idle = 0;
		for (k = 0; k < NB_PORTS; k++) {
			fp = &ports[k];
			nb = rte_eth_rx_burst(fp->port_id, 0, pkts, BURST);
			if (nb == 0)
				continue;
			fp->rx += nb;
			for (i = 0; i < nb; i++)
				stamp(pkts[i], k, fp->seq + i);
			sent = rte_eth_tx_burst(fp->port_id, 0, pkts, nb);
			/* Sequence numbers of packets not sent are reused. */
			fp->seq += sent;
			fp->tx += sent;
			if (sent < nb)
				rte_pktmbuf_free_bulk(&pkts[sent], nb - sent);
		}
		if (fwd_slow)
			rte_delay_us_sleep(1000);
	}
	fwd_idle = 1;
	return 0;
}

static int
port_start(uint16_t port_id)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port_id, 0, 256,
			rte_eth_dev_socket_id(port_id), NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port_id, 0, 256,
			rte_eth_dev_socket_id(port_id), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port_id);
	return ret;
}

/* What fo_mp_secondary prints, as the primary sees it. */
static void
write_info(FILE *f, uint16_t port)
{
	struct rte_pmd_failover_info info;
	struct rte_eth_dev_info dev_info;
	struct rte_eth_link link;
	struct rte_eth_stats st;

	if (rte_pmd_failover_info_get(port, &info) == 0) {
		fprintf(f, "info state %s\n", info.state);
		fprintf(f, "info active_path %d\n", info.active_path);
		fprintf(f, "info synthetic %s\n", info.synthetic_name);
		fprintf(f, "info vf %s\n",
			info.vf_port == RTE_PMD_FAILOVER_NO_PORT ?
			"none" : info.vf_name);
		fprintf(f, "info vf_attach %" PRIu64 "\n",
			info.counters.vf_attach);
		fprintf(f, "info vf_detach %" PRIu64 "\n",
			info.counters.vf_detach);
		fprintf(f, "info switches %" PRIu64 "\n",
			info.counters.switches);
	}
	if (rte_eth_link_get_nowait(port, &link) == 0)
		fprintf(f, "info link %s\n", link.link_status ? "up" : "down");
	if (rte_eth_dev_info_get(port, &dev_info) == 0) {
		fprintf(f, "info driver %s\n", dev_info.driver_name);
		fprintf(f, "info max_rx_queues %u\n", dev_info.max_rx_queues);
		fprintf(f, "info nb_rx_queues %u\n", dev_info.nb_rx_queues);
	}
	if (rte_eth_stats_get(port, &st) == 0)
		fprintf(f, "info ipackets %" PRIu64 "\n", st.ipackets);
}

static int
write_stats(const char *file)
{
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *vals;
	struct rte_eth_stats st;
	char name[RTE_ETH_NAME_MAX_LEN];
	unsigned int k;
	FILE *f;
	int n, i;

	f = fopen(file, "w");
	if (f == NULL)
		return -errno;
	write_info(f, ports[0].port_id);
	for (k = 0; k < NB_PORTS; k++) {
		rte_eth_dev_get_name_by_port(ports[k].port_id, name);
		fprintf(f, "port %s\n", name);
		if (rte_eth_stats_get(ports[k].port_id, &st) == 0)
			fprintf(f, "stat ipackets %" PRIu64 "\n"
				"stat opackets %" PRIu64 "\n"
				"stat ibytes %" PRIu64 "\n"
				"stat obytes %" PRIu64 "\n",
				st.ipackets, st.opackets, st.ibytes, st.obytes);
		n = rte_eth_xstats_get_names(ports[k].port_id, NULL, 0);
		if (n <= 0)
			continue;
		names = calloc(n, sizeof(*names));
		vals = calloc(n, sizeof(*vals));
		if (names != NULL && vals != NULL &&
		    rte_eth_xstats_get_names(ports[k].port_id, names, n) == n &&
		    rte_eth_xstats_get(ports[k].port_id, vals, n) == n)
			for (i = 0; i < n; i++)
				fprintf(f, "xstat %s %" PRIu64 "\n",
					names[vals[i].id].name, vals[i].value);
		free(names);
		free(vals);
	}
	fclose(f);
	return 0;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool
vf_active(uint16_t port_id)
{
	struct rte_pmd_failover_info info;

	return rte_pmd_failover_info_get(port_id, &info) == 0 &&
		info.vf_port != RTE_PMD_FAILOVER_NO_PORT &&
		info.active_path == RTE_PMD_FAILOVER_PATH_VF;
}

static int
churn(uint16_t port_id, unsigned int n)
{
	unsigned int i;
	uint64_t t0;
	int ret;

	for (i = 0; i < n; i++) {
		t0 = now_ms();
		while (!vf_active(port_id)) {
			if (now_ms() - t0 > 10000)
				return -ETIMEDOUT;
			rte_delay_us_sleep(1000);
		}
		/* A planned switch away and back, then a graceful detach. */
		ret = rte_pmd_failover_switch(port_id,
			RTE_PMD_FAILOVER_PATH_SYNTHETIC);
		if (ret == 0)
			ret = rte_pmd_failover_switch(port_id,
				RTE_PMD_FAILOVER_PATH_VF);
		if (ret == 0)
			ret = rte_pmd_failover_vf_detach(port_id);
		if (ret < 0)
			return ret;
	}
	t0 = now_ms();
	while (!vf_active(port_id)) {
		if (now_ms() - t0 > 10000)
			return -ETIMEDOUT;
		rte_delay_us_sleep(1000);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char line[512], arg[480];
	unsigned int k, lcore;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "ERR EAL init failed\n");
		return 1;
	}
	if (rte_pdump_init() < 0) {
		fprintf(stderr, "ERR rte_pdump_init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("fo_mp_pool", NB_MBUFS, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "ERR no mbuf pool\n");
		return 1;
	}
	if (rte_eth_dev_get_port_by_name("net_failover0",
			&ports[0].port_id) != 0 ||
	    rte_eth_dev_get_port_by_name("net_null9",
			&ports[1].port_id) != 0) {
		fprintf(stderr, "ERR give --vdev net_failover0,... and "
			"--vdev net_null9\n");
		return 1;
	}
	for (k = 0; k < NB_PORTS; k++) {
		ret = port_start(ports[k].port_id);
		if (ret < 0) {
			fprintf(stderr, "ERR port %u: %s\n", ports[k].port_id,
				rte_strerror(-ret));
			return 1;
		}
	}
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "ERR give two lcores (-l 0-1)\n");
		return 1;
	}
	rte_eal_remote_launch(fwd_loop, NULL, lcore);
	printf("READY failover=%u control=%u\n", ports[0].port_id,
		ports[1].port_id);
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin) != NULL) {
		unsigned int n;

		if (strcmp(line, "fwd on\n") == 0 ||
		    strcmp(line, "fwd slow\n") == 0) {
			fwd_slow = line[4] == 's';
			fwd_on = 1;
			printf("OK\n");
		} else if (strcmp(line, "fwd off\n") == 0) {
			fwd_on = 0;
			rte_delay_us_sleep(1000);
			while (!fwd_idle)
				rte_delay_us_sleep(1000);
			printf("OK failover rx=%" PRIu64 " tx=%" PRIu64
				" control rx=%" PRIu64 " tx=%" PRIu64 "\n",
				ports[0].rx, ports[0].tx, ports[1].rx,
				ports[1].tx);
		} else if (sscanf(line, "stats %479s", arg) == 1) {
			ret = write_stats(arg);
			if (ret == 0)
				printf("OK\n");
			else
				printf("ERR stats: %s\n", strerror(-ret));
		} else if (sscanf(line, "churn %u", &n) == 1) {
			ret = churn(ports[0].port_id, n);
			if (ret == 0)
				printf("OK churned %u\n", n);
			else
				printf("ERR churn: %s\n", rte_strerror(-ret));
		} else if (strcmp(line, "mbufs\n") == 0) {
			printf("OK in_use=%u\n", rte_mempool_in_use_count(pool));
		} else if (strcmp(line, "quit\n") == 0) {
			break;
		} else {
			printf("ERR unknown command: %s", line);
		}
		fflush(stdout);
	}
	fwd_on = 0;
	fwd_quit = 1;
	rte_eal_mp_wait_lcore();
	for (k = 0; k < NB_PORTS; k++) {
		rte_eth_dev_stop(ports[k].port_id);
		rte_eth_dev_close(ports[k].port_id);
	}
	printf("OK bye in_use=%u\n", rte_mempool_in_use_count(pool));
	fflush(stdout);
	rte_pdump_uninit();
	rte_eal_cleanup();
	return 0;
}
