/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_COMPAT_H
#define FAILOVER_COMPAT_H

/*
 * The DPDK API differences between the LTS releases the driver builds
 * against (22.11, 23.11, 24.11, 25.11), absorbed in one place: no other
 * file of the driver tests RTE_VERSION. Also what DPDK's own drivers need
 * from a driver that removes them (a virtio-user VF's pending alarm).
 *
 *  - 23.11: rte_ctrl_thread_create() (pthread_t, void * thread function)
 *    gave way to rte_thread_create_internal_control() (rte_thread_t,
 *    uint32_t thread function).
 *  - 23.03: rte_tel_data_add_dict_uint() replaces the _u64 form, which
 *    25.11 removes.
 *  - 24.03: the dev_supported_ptypes_get op returns its count through a
 *    size_t *; without it ethdev sees no packet types.
 *  - 25.11: per-queue counters left struct rte_eth_stats for a struct
 *    eth_queue_stats of their own, passed to the stats_get op apart (and
 *    possibly NULL); rte_eth_stats_get() no longer returns them.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>
#include <rte_version.h>
#include <rte_ethdev.h>
#include <ethdev_driver.h>
#include <rte_telemetry.h>
#include <rte_thread.h>

#define FAILOVER_DPDK_AT_LEAST(y, m) \
	(RTE_VERSION >= RTE_VERSION_NUM(y, m, 0, 0))

/* ----------------------------------------------------------------------
 * Control threads
 * ---------------------------------------------------------------------- */

#if FAILOVER_DPDK_AT_LEAST(23, 11)

typedef rte_thread_t failover_thread_t;
typedef uint32_t failover_thread_ret_t;
#define FAILOVER_THREAD_RET	0

/* Returns 0 or a positive errno, as pthread_create() does. */
static inline int
failover_ctrl_thread_create(failover_thread_t *t, const char *name,
		failover_thread_ret_t (*fn)(void *), void *arg)
{
	int ret = rte_thread_create_internal_control(t, name, fn, arg);

	return ret < 0 ? -ret : ret;
}

static inline void
failover_thread_join(failover_thread_t t)
{
	rte_thread_join(t, NULL);
}

#else

typedef pthread_t failover_thread_t;
typedef void *failover_thread_ret_t;
#define FAILOVER_THREAD_RET	NULL

static inline int
failover_ctrl_thread_create(failover_thread_t *t, const char *name,
		failover_thread_ret_t (*fn)(void *), void *arg)
{
	int ret = rte_ctrl_thread_create(t, name, NULL, fn, arg);

	return ret < 0 ? -ret : ret;
}

static inline void
failover_thread_join(failover_thread_t t)
{
	pthread_join(t, NULL);
}

#endif

/* ----------------------------------------------------------------------
 * Telemetry
 * ---------------------------------------------------------------------- */

static inline int
failover_tel_dict_uint(struct rte_tel_data *d, const char *name, uint64_t v)
{
#if FAILOVER_DPDK_AT_LEAST(23, 3)
	return rte_tel_data_add_dict_uint(d, name, v);
#else
	return rte_tel_data_add_dict_u64(d, name, v);
#endif
}

/* ----------------------------------------------------------------------
 * dev_supported_ptypes_get op
 * ---------------------------------------------------------------------- */

/*
 * FAILOVER_PTYPES_GET_OP(op, impl) defines the static op @p op, of the
 * type this DPDK wants, over
 *   const uint32_t *impl(struct rte_eth_dev *dev, size_t *nb);
 * which sets *nb to the number of packet types in the array it returns.
 */
#if FAILOVER_DPDK_AT_LEAST(24, 3)
#define FAILOVER_PTYPES_GET_OP(op, impl) \
static const uint32_t * \
op(struct rte_eth_dev *dev, size_t *nb) \
{ \
	return impl(dev, nb); \
}
#else
#define FAILOVER_PTYPES_GET_OP(op, impl) \
static const uint32_t * \
op(struct rte_eth_dev *dev) \
{ \
	size_t nb; \
\
	return impl(dev, &nb); \
}
#endif

/* ----------------------------------------------------------------------
 * Basic statistics and per-queue counters
 * ---------------------------------------------------------------------- */

/*
 * failover_qstats: where a port's per-queue counters (q_ipackets,
 * q_opackets, q_ibytes, q_obytes, q_errors, same names on every version)
 * live. Before 25.11 they are fields of struct rte_eth_stats itself.
 *
 * struct failover_eth_stats holds both kinds of a reading;
 * FAILOVER_QSTATS() gives its per-queue part.
 */
#if FAILOVER_DPDK_AT_LEAST(25, 11)

#define FAILOVER_QSTATS_APART	1
typedef struct eth_queue_stats failover_qstats;

struct failover_eth_stats {
	struct rte_eth_stats basic;
	struct eth_queue_stats queue;
};

#define FAILOVER_QSTATS(st)	(&(st)->queue)

/*
 * FAILOVER_STATS_GET_OP(op, impl) defines the static stats_get op @p op
 * over
 *   int impl(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
 *            failover_qstats *qstats);
 * where @p qstats may be NULL (nothing per queue asked for).
 */
#define FAILOVER_STATS_GET_OP(op, impl) \
static int \
op(struct rte_eth_dev *dev, struct rte_eth_stats *stats, \
		struct eth_queue_stats *qstats) \
{ \
	return impl(dev, stats, qstats); \
}

/*
 * rte_eth_stats_get() with the per-queue counters, which ethdev's API no
 * longer returns: what ethdev itself does for its basic xstats.
 */
static inline int
failover_eth_stats_get(uint16_t port_id, struct failover_eth_stats *st)
{
	const struct eth_dev_ops *ops;
	struct rte_eth_dev *dev;

	memset(st, 0, sizeof(*st));
	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	dev = &rte_eth_devices[port_id];
	/* Once: a port closed under us has its ops cleared. */
	ops = __atomic_load_n(&dev->dev_ops, __ATOMIC_RELAXED);
	if (ops == NULL || ops->stats_get == NULL)
		return -ENOTSUP;
	st->basic.rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	return ops->stats_get(dev, &st->basic, &st->queue);
}

#else

#define FAILOVER_QSTATS_APART	0
typedef struct rte_eth_stats failover_qstats;

struct failover_eth_stats {
	struct rte_eth_stats basic;
};

#define FAILOVER_QSTATS(st)	(&(st)->basic)

#define FAILOVER_STATS_GET_OP(op, impl) \
static int \
op(struct rte_eth_dev *dev, struct rte_eth_stats *stats) \
{ \
	return impl(dev, stats, stats); \
}

static inline int
failover_eth_stats_get(uint16_t port_id, struct failover_eth_stats *st)
{
	return rte_eth_stats_get(port_id, &st->basic);
}

#endif

/* ----------------------------------------------------------------------
 * Removing a sub-port whose driver has EAL alarms pending
 * ---------------------------------------------------------------------- */

/*
 * DPDK's virtio-user (22.11 to 25.11 alike) handles the loss of its
 * vhost-user connection in an EAL alarm, set 1 us ahead from wherever
 * the loss is noticed: its LSC interrupt handler, or any link read. The
 * alarm uses the device and, in server mode, registers an interrupt
 * callback on it again. Stopped, closed or freed before that alarm ran,
 * the device is used after free (SEGV), or left with a callback on a
 * closed fd (EAL: "PANIC in eal_intr_thread_main(): Error adding fd").
 * Its remove path cancels no alarm, and the alarm's function is not
 * exported, so nobody else can cancel it either.
 *
 * So before stopping a port for good: read its link (a lost connection
 * is noticed now, its alarm set now), then wait until the interrupt
 * thread has run an alarm of ours set afterwards with a longer delay.
 * Alarms run in the order they expire, on that one thread: by then
 * theirs has run, and once it has, link reads set no more alarms (the
 * connection is marked gone). Not from the interrupt thread itself,
 * whose alarms cannot run while it waits.
 */
#define FAILOVER_ALARM_BARRIER_US	1000
#define FAILOVER_ALARM_BARRIER_MAX_MS	1000

static void
failover_alarm_barrier_cb(void *arg)
{
	/* Release: whoever sees the flag sees the alarms run before ours. */
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
}

static inline void
failover_port_settle_alarms(uint16_t port_id)
{
	struct rte_eth_link link;
	unsigned int ms;
	int done = 0;

	if (rte_thread_is_intr() || !rte_eth_dev_is_valid_port(port_id))
		return;
	/* Only to have a lost connection noticed: the answer is not used. */
	if (rte_eth_link_get_nowait(port_id, &link) != 0)
		link.link_status = RTE_ETH_LINK_DOWN;
	if (rte_eal_alarm_set(FAILOVER_ALARM_BARRIER_US,
			failover_alarm_barrier_cb, &done) != 0)
		return;
	/* Acquire: pairs with the release store of the alarm. */
	for (ms = 0; ms < FAILOVER_ALARM_BARRIER_MAX_MS &&
	     !__atomic_load_n(&done, __ATOMIC_ACQUIRE); ms++)
		rte_delay_us_sleep(1000);
	/* Waits for it if it is running: @p done must outlive it. */
	rte_eal_alarm_cancel(failover_alarm_barrier_cb, &done);
}

#endif /* FAILOVER_COMPAT_H */
