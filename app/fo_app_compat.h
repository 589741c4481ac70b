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

#include <rte_common.h>
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

#endif /* FO_APP_COMPAT_H */
