/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_APP_COMPAT_H
#define FO_APP_COMPAT_H

/*
 * The DPDK API differences between 22.11 and 25.11 met by the programs of
 * this tree (apps, examples, tests), from public headers only. The driver
 * has its own (drivers/net/failover/failover_compat.h).
 *
 *  - 23.11: rte_ctrl_thread_create() (pthread_t, void * thread function)
 *    gave way to rte_thread_create_control() (rte_thread_t, uint32_t).
 *  - 23.11: bonding's "slave=" device argument became "member=".
 *  - 25.03: __rte_packed_begin/__rte_packed_end; 25.11 rejects
 *    __rte_packed alone.
 */

#include <pthread.h>
#include <stdint.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_lcore.h>
#include <rte_thread.h>
#include <rte_version.h>

#define FO_DPDK_AT_LEAST(y, m)	(RTE_VERSION >= RTE_VERSION_NUM(y, m, 0, 0))

#if FO_DPDK_AT_LEAST(23, 11)

typedef rte_thread_t fo_thread_t;
typedef uint32_t fo_thread_ret_t;
#define FO_THREAD_RET	0

/* A control thread (off the lcores). 0 or a positive errno. */
static inline int
fo_ctrl_thread_create(fo_thread_t *t, const char *name,
		fo_thread_ret_t (*fn)(void *), void *arg)
{
	int ret = rte_thread_create_control(t, name, fn, arg);

	return ret < 0 ? -ret : ret;
}

/* The POSIX thread behind @p t, for pthread_timedjoin_np() and the like. */
static inline pthread_t
fo_thread_pthread(fo_thread_t t)
{
	return (pthread_t)t.opaque_id;
}

#define FO_BOND_MEMBER	"member"

#else

typedef pthread_t fo_thread_t;
typedef void *fo_thread_ret_t;
#define FO_THREAD_RET	NULL

static inline int
fo_ctrl_thread_create(fo_thread_t *t, const char *name,
		fo_thread_ret_t (*fn)(void *), void *arg)
{
	int ret = rte_ctrl_thread_create(t, name, NULL, fn, arg);

	return ret < 0 ? -ret : ret;
}

static inline pthread_t
fo_thread_pthread(fo_thread_t t)
{
	return t;
}

#define FO_BOND_MEMBER	"slave"

#endif

#ifndef __rte_packed_begin
#define __rte_packed_begin
#define __rte_packed_end	__rte_packed
#endif

/*
 * Removing a device whose driver has EAL alarms pending: DPDK's
 * virtio-user handles the loss of its vhost-user connection in an alarm
 * that uses the device (and may register an interrupt callback on it
 * again); stopped, closed or freed before that alarm ran, the device is
 * used after free or leaves a callback on a closed fd (EAL panics "Error
 * adding fd"). fo_port_settle_alarms(): call it before stopping a port
 * for good. It reads the link (a lost connection is noticed now), then
 * waits until the interrupt thread has run an alarm set afterwards with
 * a longer delay: alarms run in the order they expire, so theirs has run.
 * drivers/net/failover/failover_compat.h has the full story.
 */
#define FO_ALARM_BARRIER_US	1000
#define FO_ALARM_BARRIER_MAX_MS	1000

static void
fo_alarm_barrier_cb(void *arg)
{
	/* Release: whoever sees the flag sees the alarms run before ours. */
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
}

static inline void
fo_port_settle_alarms(uint16_t port_id)
{
	struct rte_eth_link link;
	unsigned int ms;
	int done = 0;

	if (rte_thread_is_intr() || !rte_eth_dev_is_valid_port(port_id))
		return;
	/* Only to have a lost connection noticed: the answer is not used. */
	if (rte_eth_link_get_nowait(port_id, &link) != 0)
		link.link_status = RTE_ETH_LINK_DOWN;
	if (rte_eal_alarm_set(FO_ALARM_BARRIER_US, fo_alarm_barrier_cb,
			&done) != 0)
		return;
	/* Acquire: pairs with the release store of the alarm. */
	for (ms = 0; ms < FO_ALARM_BARRIER_MAX_MS &&
	     !__atomic_load_n(&done, __ATOMIC_ACQUIRE); ms++)
		rte_delay_us_sleep(1000);
	/* Waits for it if it is running: @p done must outlive it. */
	rte_eal_alarm_cancel(fo_alarm_barrier_cb, &done);
}

#endif /* FO_APP_COMPAT_H */
