/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

/*
 * Shared parts of the benchmarks: command line, EAL start-up, port set-up,
 * the io-forward loop and order statistics.
 *
 * The benchmarks report figures; they fail only when the thing measured
 * did not happen (no packets, a switch refused, mbufs leaked), never on
 * the figures themselves: a 2-core VM swings too much for that.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define BENCH_BURST 32

struct bench_opts {
	bool quick;		/* few rounds, for the test suite */
	bool huge;		/* use the reserved hugepages */
	unsigned int rounds;	/* 0: the program's default */
	unsigned int bursts;	/* 0: the program's default */
	const char *callgrind;	/* run one fixed loop for callgrind */
	bool page_pool;		/* one mbuf per 4 KiB page (see .c) */
};

/* Parse the options common to all benchmarks; exits on a bad one. */
void bench_parse_args(int argc, char **argv, struct bench_opts *o);

/*
 * Start EAL on @p lcores ("0" or "0-1") without hugepages unless
 * o->huge, with a file prefix unique to this process, and create the
 * mbuf pool (objects packed as on hugepages unless o->page_pool).
 */
int bench_eal_init(const char *prog, const struct bench_opts *o,
		const char *lcores);
struct rte_mempool *bench_pool(void);

/* Probe "name,args" on the vdev bus and return its port in @p port_id. */
int bench_probe(const char *devargs, uint16_t *port_id);

/* One queue pair from bench_pool(), then start. */
int bench_port_start(uint16_t port_id);

/* Poll @p fn every millisecond until true or @p ms elapsed. */
bool bench_wait(bool (*fn)(void *), void *arg, unsigned int ms);

/* Wait until the port reports link up. */
bool bench_wait_link(uint16_t port_id, unsigned int ms);

uint64_t bench_now_ns(void);

/*
 * The io-forward loop of testpmd: receive a burst into @p pkts (room for
 * BENCH_BURST), send it back on the same port, free what was not sent.
 * Returns the packets received.
 */
static inline uint64_t
bench_fwd_buf(uint16_t port_id, unsigned int bursts, struct rte_mbuf **pkts)
{
	uint64_t total = 0;
	uint16_t nb, sent;
	unsigned int i;

	for (i = 0; i < bursts; i++) {
		nb = rte_eth_rx_burst(port_id, 0, pkts, BENCH_BURST);
		if (nb == 0)
			continue;
		sent = rte_eth_tx_burst(port_id, 0, pkts, nb);
		if (unlikely(sent < nb))
			rte_pktmbuf_free_bulk(pkts + sent, nb - sent);
		total += nb;
	}
	return total;
}

/* bench_fwd_buf() with the burst array on the stack. */
static inline uint64_t
bench_fwd(uint16_t port_id, unsigned int bursts)
{
	struct rte_mbuf *pkts[BENCH_BURST];

	return bench_fwd_buf(port_id, bursts, pkts);
}

/*
 * A forwarding lcore: io-forward on @c port until @c stop is set, counting
 * what it forwarded in @c pkts (readable from other threads).
 */
struct bench_forwarder {
	uint16_t port;
	bool stop;
	uint64_t pkts;
	uint64_t loops;
};

/* lcore_function_t for rte_eal_remote_launch(), arg a bench_forwarder. */
int bench_forwarder_main(void *arg);

/* Wait until the forwarder has done @p loops more loops (false on timeout). */
bool bench_forwarder_progress(struct bench_forwarder *f, uint64_t loops,
		unsigned int timeout_ms);

/* Order statistics; @p v is sorted in place. */
double bench_median(double *v, unsigned int n);
/* Nearest-rank percentile, @p p in (0, 100]. */
double bench_percentile(double *v, unsigned int n, double p);
double bench_min(const double *v, unsigned int n);
double bench_max(const double *v, unsigned int n);

/* Deterministic pseudo-random numbers (xorshift64*). */
uint64_t bench_rand(uint64_t *state);

/* A line of @p n dashes. */
void bench_rule(unsigned int n);

#endif /* BENCH_COMMON_H */
