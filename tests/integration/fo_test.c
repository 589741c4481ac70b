/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "fo_app_compat.h"
#include "fo_test.h"
#include "rte_pmd_failover.h"

static struct rte_mempool *pool;
static FILE *log_stream;
static char *log_buf;
static size_t log_len;

int
fo_test_eal_init(const char *prog, const char *prefix)
{
	char file_prefix[64];
	char *argv[] = {
		(char *)(uintptr_t)prog, "--no-huge", "-m", "512", "--no-pci",
		"--file-prefix", file_prefix, "--log-level", "pmd.net.failover:info",
		"-l", "0-1", NULL,
	};
	int argc = RTE_DIM(argv) - 1;
	int ret;

	snprintf(file_prefix, sizeof(file_prefix), "fo_%s_%d", prefix,
		(int)getpid());
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return ret;
	pool = rte_pktmbuf_pool_create("fo_test_pool", 8191, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	return pool == NULL ? -ENOMEM : 0;
}

struct rte_mempool *
fo_test_pool(void)
{
	return pool;
}

int
fo_test_probe(const char *devargs, uint16_t *port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	const char *comma = strchr(devargs, ',');
	size_t len = comma ? (size_t)(comma - devargs) : strlen(devargs);
	int ret;

	ret = rte_dev_probe(devargs);
	if (ret < 0)
		return ret;
	snprintf(name, sizeof(name), "%.*s", (int)len, devargs);
	return rte_eth_dev_get_port_by_name(name, port_id);
}

int
fo_test_remove(const char *name)
{
	return rte_eal_hotplug_remove("vdev", name);
}

int
fo_test_port_start(uint16_t port_id, uint16_t nq)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, nq, nq, &conf);
	if (ret < 0)
		return ret;
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, 512, rte_socket_id(),
			NULL, pool);
		if (ret < 0)
			return ret;
		ret = rte_eth_tx_queue_setup(port_id, q, 512, rte_socket_id(),
			NULL);
		if (ret < 0)
			return ret;
	}
	return rte_eth_dev_start(port_id);
}

struct __rte_packed_begin fo_test_payload {
	uint32_t magic;
	uint32_t seq;
	uint16_t flow;
} __rte_packed_end;

#define FO_TEST_MAGIC 0x464f5354 /* "FOST" */

int
fo_test_make_pkts(struct rte_mbuf **pkts, unsigned int n, uint32_t seq0,
		uint16_t flow)
{
	const size_t hdr = sizeof(struct rte_ether_hdr) +
		sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr);
	struct fo_test_payload *pl;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	unsigned int i;

	if (rte_pktmbuf_alloc_bulk(pool, pkts, n) < 0)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		char *p = rte_pktmbuf_append(m, hdr + sizeof(*pl) + 18);

		memset(p, 0, hdr + sizeof(*pl) + 18);
		eth = (struct rte_ether_hdr *)p;
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		eth->dst_addr.addr_bytes[0] = 0x02;
		eth->src_addr.addr_bytes[0] = 0x02;
		eth->src_addr.addr_bytes[5] = 0x01;
		ip = (struct rte_ipv4_hdr *)(eth + 1);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->total_length = rte_cpu_to_be_16(sizeof(*ip) +
			sizeof(*udp) + sizeof(*pl) + 18);
		udp = (struct rte_udp_hdr *)(ip + 1);
		udp->src_port = rte_cpu_to_be_16(flow);
		udp->dst_port = rte_cpu_to_be_16(9);
		udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + sizeof(*pl) + 18);
		pl = (struct fo_test_payload *)(udp + 1);
		pl->magic = FO_TEST_MAGIC;
		pl->seq = seq0 + i;
		pl->flow = flow;
	}
	return 0;
}

int64_t
fo_test_pkt_seq(const struct rte_mbuf *m, uint16_t *flow)
{
	const size_t off = sizeof(struct rte_ether_hdr) +
		sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr);
	const struct fo_test_payload *pl;

	if (rte_pktmbuf_data_len(m) < off + sizeof(*pl))
		return -1;
	pl = rte_pktmbuf_mtod_offset(m, const struct fo_test_payload *, off);
	if (pl->magic != FO_TEST_MAGIC)
		return -1;
	if (flow != NULL)
		*flow = pl->flow;
	return pl->seq;
}

bool
fo_test_wait(bool (*fn)(void *), void *arg, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i <= ms; i++) {
		if (fn(arg))
			return true;
		usleep(1000);
	}
	return false;
}

struct fo_path_wait {
	uint16_t port_id;
	int path;
};

static bool
fo_path_is(void *arg)
{
	const struct fo_path_wait *w = arg;

	return rte_pmd_failover_active_path(w->port_id) == w->path;
}

bool
fo_test_wait_path(uint16_t port_id, int path, unsigned int ms)
{
	struct fo_path_wait w = { .port_id = port_id, .path = path };

	return fo_test_wait(fo_path_is, &w, ms);
}

unsigned int
fo_test_rx_all(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		unsigned int max, unsigned int idle_ms)
{
	unsigned int n = 0, idle = 0;
	uint16_t got;

	while (n < max && idle <= idle_ms) {
		got = rte_eth_rx_burst(port_id, queue, pkts + n,
			RTE_MIN(max - n, (unsigned int)FO_TEST_BURST));
		n += got;
		if (got == 0) {
			idle++;
			usleep(1000);
		}
	}
	return n;
}

uint64_t
failover_test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint16_t
fo_test_port_of(const char *name)
{
	uint16_t p;

	if (rte_eth_dev_get_port_by_name(name, &p) != 0)
		return UINT16_MAX;
	return p;
}

void
fo_test_remove_all(const char *const *names, unsigned int n)
{
	unsigned int i;
	uint16_t p;

	for (i = 0; i < n; i++) {
		p = fo_test_port_of(names[i]);
		if (p != UINT16_MAX) {
			rte_eth_dev_stop(p);
			rte_eth_dev_close(p);
		}
		fo_test_remove(names[i]);
	}
}

int
fo_test_main(const char *prog, const char *prefix,
		const struct CMUnitTest *tests, size_t nb_tests)
{
	int ret;

	if (fo_test_eal_init(prog, prefix) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	ret = _cmocka_run_group_tests(prefix, tests, nb_tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}

unsigned int
fo_test_visible_ports(void)
{
	unsigned int n = 0;
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p)
		n++;
	return n;
}

void
fo_test_log_capture(void)
{
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	log_stream = open_memstream(&log_buf, &log_len);
	rte_openlog_stream(log_stream);
}

bool
fo_test_log_has(const char *needle)
{
	if (log_stream == NULL)
		return false;
	fflush(log_stream);
	return log_buf != NULL && strstr(log_buf, needle) != NULL;
}

void
fo_test_log_release(void)
{
	rte_openlog_stream(NULL);
	if (log_stream != NULL) {
		fflush(log_stream);
		/* Show what was captured, for the test log. */
		if (log_buf != NULL)
			fputs(log_buf, stderr);
		fclose(log_stream);
	}
	log_stream = NULL;
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
}
