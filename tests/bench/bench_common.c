/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf_pool_ops.h>

#include "bench_common.h"

#define BENCH_POOL_SIZE		8191
#define BENCH_POOL_CACHE	256
#define BENCH_RING_SIZE		512

static struct rte_mempool *pool;

static void
bench_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--quick] [--huge] [--rounds N] [--bursts N]"
		" [--callgrind KIND] [--page-pool]\n"
		"  --quick      few rounds (seconds), as run by the test suite\n"
		"  --huge       use reserved hugepages instead of --no-huge\n"
		"  --rounds N   rounds / switches / cycles to measure\n"
		"  --bursts N   bursts per port and round (bench_burst)\n"
		"  --callgrind KIND  bench_burst only: one fixed loop on one"
		" port, for valgrind --tool=callgrind\n"
		"  --page-pool  one mbuf per 4 KiB page, as rte_pktmbuf_pool_create()"
		" lays\n               them out without hugepages\n", prog);
}

static unsigned int
bench_uint(const char *prog, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v == 0 ||
	    v > 100000000ul) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		exit(2);
	}
	return (unsigned int)v;
}

void
bench_parse_args(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "huge", no_argument, NULL, 'H' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "bursts", required_argument, NULL, 'b' },
		{ "callgrind", required_argument, NULL, 'c' },
		{ "page-pool", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			o->quick = true;
			break;
		case 'H':
			o->huge = true;
			break;
		case 'r':
			o->rounds = bench_uint(argv[0], optarg);
			break;
		case 'b':
			o->bursts = bench_uint(argv[0], optarg);
			break;
		case 'c':
			o->callgrind = optarg;
			break;
		case 'p':
			o->page_pool = true;
			break;
		case 'h':
			bench_usage(argv[0]);
			exit(0);
		default:
			bench_usage(argv[0]);
			exit(2);
		}
	}
	if (optind != argc) {
		bench_usage(argv[0]);
		exit(2);
	}
}

/*
 * An mbuf pool laid out as on hugepages: objects packed back to back.
 *
 * Without hugepages, rte_pktmbuf_pool_create() keeps every object inside
 * one 4 KiB page so that its IOVA is contiguous; a 2368-byte mbuf then
 * takes a page of its own and every mbuf header has the same page offset,
 * so all of them fall into the same L1 set: an 8-way L1 holds 8 of the 32
 * headers of a burst, and every extra pass over the burst (setting
 * mbuf->port, say) misses L1 32 times. No real deployment has that
 * layout. The PMDs measured here never use IOVAs, so the pool can give up
 * IOVA contiguity (RTE_MEMPOOL_F_NO_IOVA_CONTIG) and be packed as it would
 * be on hugepages. --page-pool restores the page-per-mbuf layout.
 */
static struct rte_mempool *
bench_packed_pool_create(void)
{
	struct rte_pktmbuf_pool_private priv;
	struct rte_mempool *mp;
	int ret;

	memset(&priv, 0, sizeof(priv));
	priv.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE;
	priv.mbuf_priv_size = 0;
	mp = rte_mempool_create_empty("bench_pool", BENCH_POOL_SIZE,
		sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE,
		BENCH_POOL_CACHE, sizeof(priv), rte_socket_id(),
		RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	ret = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(),
		NULL);
	if (ret != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	ret = rte_mempool_populate_default(mp);
	if (ret < 0)
		goto fail;
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	return mp;
fail:
	rte_mempool_free(mp);
	return NULL;
}

int
bench_eal_init(const char *prog, const struct bench_opts *o,
		const char *lcores)
{
	char file_prefix[64];
	const char *base = strrchr(prog, '/');
	char *argv[16];
	int argc = 0;
	int ret;

	snprintf(file_prefix, sizeof(file_prefix), "%s_%d",
		base != NULL ? base + 1 : prog, (int)getpid());
	argv[argc++] = (char *)(uintptr_t)prog;
	if (!o->huge)
		argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = "512";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--file-prefix";
	argv[argc++] = file_prefix;
	argv[argc++] = "-l";
	argv[argc++] = (char *)(uintptr_t)lcores;
	/* The drivers' notices at probe time are not what we measure. */
	argv[argc++] = "--log-level";
	argv[argc++] = "lib.eal:error";
	argv[argc] = NULL;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return -rte_errno;
	if (o->page_pool)
		pool = rte_pktmbuf_pool_create("bench_pool", BENCH_POOL_SIZE,
			BENCH_POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			rte_socket_id());
	else
		pool = bench_packed_pool_create();
	return pool == NULL ? -ENOMEM : 0;
}

struct rte_mempool *
bench_pool(void)
{
	return pool;
}

int
bench_probe(const char *devargs, uint16_t *port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	const char *comma = strchr(devargs, ',');
	size_t len = comma != NULL ? (size_t)(comma - devargs) :
		strlen(devargs);
	int ret;

	ret = rte_dev_probe(devargs);
	if (ret < 0)
		return ret;
	snprintf(name, sizeof(name), "%.*s", (int)len, devargs);
	return rte_eth_dev_get_port_by_name(name, port_id);
}

int
bench_port_start(uint16_t port_id)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, 1, 1, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(port_id, 0, BENCH_RING_SIZE,
		rte_socket_id(), NULL, pool);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(port_id, 0, BENCH_RING_SIZE,
		rte_socket_id(), NULL);
	if (ret < 0)
		return ret;
	return rte_eth_dev_start(port_id);
}

bool
bench_wait(bool (*fn)(void *), void *arg, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i <= ms; i++) {
		if (fn(arg))
			return true;
		usleep(1000);
	}
	return false;
}

static bool
bench_link_up(void *arg)
{
	uint16_t port_id = *(uint16_t *)arg;
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	return rte_eth_link_get_nowait(port_id, &link) == 0 &&
		link.link_status == RTE_ETH_LINK_UP;
}

bool
bench_wait_link(uint16_t port_id, unsigned int ms)
{
	return bench_wait(bench_link_up, &port_id, ms);
}

uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
bench_forwarder_main(void *arg)
{
	struct bench_forwarder *f = arg;
	uint64_t pkts = 0, loops = 0;

	/* Acquire: pairs with the release store of the thread stopping us. */
	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		pkts += bench_fwd(f->port, 16);
		loops++;
		/*
		 * Relaxed: only this lcore writes them; readers want a recent
		 * value, nothing else is published with them.
		 */
		__atomic_store_n(&f->pkts, pkts, __ATOMIC_RELAXED);
		__atomic_store_n(&f->loops, loops, __ATOMIC_RELAXED);
	}
	return 0;
}

bool
bench_forwarder_progress(struct bench_forwarder *f, uint64_t loops,
		unsigned int timeout_ms)
{
	/* Relaxed: a counter only compared, see bench_forwarder_main(). */
	uint64_t start = __atomic_load_n(&f->loops, __ATOMIC_RELAXED);
	uint64_t deadline = bench_now_ns() + (uint64_t)timeout_ms * 1000000;

	while (__atomic_load_n(&f->loops, __ATOMIC_RELAXED) - start < loops) {
		if (bench_now_ns() > deadline)
			return false;
		usleep(10);
	}
	return true;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bench_median(double *v, unsigned int n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double
bench_percentile(double *v, unsigned int n, double p)
{
	unsigned int rank;

	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	/* Nearest rank: the smallest value with at least p% at or below. */
	rank = (unsigned int)((p / 100.0) * n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

double
bench_min(const double *v, unsigned int n)
{
	double m = n != 0 ? v[0] : 0.0;
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

double
bench_max(const double *v, unsigned int n)
{
	double m = n != 0 ? v[0] : 0.0;
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

uint64_t
bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

void
bench_rule(unsigned int n)
{
	while (n-- > 0)
		putchar('-');
	putchar('\n');
}
