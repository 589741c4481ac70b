/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_TEST_H
#define FO_TEST_H

/*
 * Shared helpers of the EAL integration tests: EAL start-up without
 * hugepages, a mempool, port set-up, sequence-numbered packets, log
 * capture, bounded waits.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define FO_TEST_BURST 32

/* Start EAL with --no-huge and a file prefix named after @p prefix. */
int fo_test_eal_init(const char *prog, const char *prefix);
struct rte_mempool *fo_test_pool(void);

/* Probe "name,args" on the vdev bus; returns the port or -errno. */
int fo_test_probe(const char *devargs, uint16_t *port_id);
int fo_test_remove(const char *name);

/* Configure @p nq queue pairs, set them up and start the port. */
int fo_test_port_start(uint16_t port_id, uint16_t nq);

/* Build @p n packets (UDP/IPv4) carrying @p seq0, seq0+1, ... */
int fo_test_make_pkts(struct rte_mbuf **pkts, unsigned int n, uint32_t seq0,
		uint16_t flow);
/* Sequence number and flow of a packet built above, -1 if not ours. */
int64_t fo_test_pkt_seq(const struct rte_mbuf *m, uint16_t *flow);

/* Wait up to @p ms for fn(arg) to be true, polling every 1 ms. */
bool fo_test_wait(bool (*fn)(void *), void *arg, unsigned int ms);
bool fo_test_wait_path(uint16_t port_id, int path, unsigned int ms);

/* Receive everything pending on a queue, up to @p max, freeing nothing. */
unsigned int fo_test_rx_all(uint16_t port_id, uint16_t queue,
		struct rte_mbuf **pkts, unsigned int max, unsigned int idle_ms);

/* Monotonic milliseconds. */
uint64_t failover_test_now_ms(void);

/* The port of that name, or UINT16_MAX. */
uint16_t fo_test_port_of(const char *name);

/* Stop, close and remove whatever of these devices a failed test left. */
void fo_test_remove_all(const char *const *names, unsigned int n);

/*
 * main() of a test binary: EAL without hugepages (file prefix from
 * @p prefix), the group of tests, EAL clean-up.
 */
int fo_test_main(const char *prog, const char *prefix,
		const struct CMUnitTest *tests, size_t nb_tests);

/* Count ports visible to the application (RTE_ETH_FOREACH_DEV). */
unsigned int fo_test_visible_ports(void);

/* Capture EAL/PMD logs into memory; fo_test_log_has() searches them. */
void fo_test_log_capture(void);
bool fo_test_log_has(const char *needle);
void fo_test_log_release(void);

#endif /* FO_TEST_H */
