/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Writer side of the hand-off (the protocol and its ordering argument are
 * in failover_handoff.h and docs/design/handoff.rst).
 */

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include "failover_handoff.h"

/*
 * Waiting for a reader inside a burst: a burst lasts well under a
 * microsecond unless its lcore was preempted, so poll first, then let a
 * preempted reader run on our core, then stop burning the CPU.
 */
#define HO_SPIN_POLLS 1024u
#define HO_YIELD_POLLS 64u
#define HO_SLEEP_MIN_NS 1000u
#define HO_SLEEP_MAX_NS 1000000u

#define HO_NS_PER_S 1000000000ull

static inline void
ho_cpu_relax(void)
{
#ifdef __x86_64__
	__builtin_ia32_pause();
#endif
}

static uint64_t
ho_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * HO_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static int
ho_membarrier(int cmd)
{
#ifdef __NR_membarrier
	if (syscall(__NR_membarrier, cmd, 0, 0) < 0)
		return -errno;
	return 0;
#else
	(void)cmd;
	return -ENOSYS;
#endif
}

/* True once the process may use MEMBARRIER_CMD_PRIVATE_EXPEDITED. */
static bool
ho_membarrier_register(void)
{
	const int needed = MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	int cmds;

#ifdef __NR_membarrier
	cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
#else
	cmds = -1;
#endif
	if (cmds < 0 || (cmds & needed) != needed)
		return false;
	/* Registration is per process and idempotent. */
	return ho_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

int
failover_handoff_init_flags(struct failover_handoff *h, uint32_t value,
		unsigned int max_readers, unsigned int flags)
{
	int ret;

	if (max_readers == 0 || (flags & ~FAILOVER_HANDOFF_F_SYMMETRIC) != 0)
		return -EINVAL;

	memset(h, 0, sizeof(*h));
	h->readers = calloc(max_readers, sizeof(*h->readers));
	if (h->readers == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	h->snapshot = calloc(max_readers, sizeof(*h->snapshot));
	if (h->snapshot == NULL) {
		ret = -ENOMEM;
		goto free_readers;
	}
	h->max_readers = max_readers;
	h->asymmetric = (flags & FAILOVER_HANDOFF_F_SYMMETRIC) == 0 &&
		ho_membarrier_register();
	/*
	 * Relaxed: no reader exists yet; whatever hands h to the lcores
	 * (thread creation, device start) orders this store before them.
	 */
	__atomic_store_n(&h->value, value, __ATOMIC_RELAXED);
	return 0;

free_readers:
	free(h->readers);
	h->readers = NULL;
fail:
	return ret;
}

int
failover_handoff_init(struct failover_handoff *h, uint32_t value,
		unsigned int max_readers)
{
	return failover_handoff_init_flags(h, value, max_readers, 0);
}

void
failover_handoff_fini(struct failover_handoff *h)
{
	free(h->snapshot);
	free(h->readers);
	h->snapshot = NULL;
	h->readers = NULL;
	h->nb_readers = 0;
	h->max_readers = 0;
}

int
failover_handoff_reader_add(struct failover_handoff *h,
		struct failover_handoff_reader *r)
{
	unsigned int i;

	for (i = 0; i < h->nb_readers; i++)
		if (h->readers[i] == r)
			return -EEXIST;
	if (h->nb_readers == h->max_readers)
		return -ENOSPC;
	/* seq is left alone: only the reader's own thread writes it. */
	h->readers[h->nb_readers++] = r;
	return 0;
}

void
failover_handoff_reader_del(struct failover_handoff *h,
		struct failover_handoff_reader *r)
{
	unsigned int i;

	for (i = 0; i < h->nb_readers; i++) {
		if (h->readers[i] == r) {
			/* The writer visits all readers: order is irrelevant. */
			h->readers[i] = h->readers[--h->nb_readers];
			h->readers[h->nb_readers] = NULL;
			return;
		}
	}
}

uint32_t
failover_handoff_value(const struct failover_handoff *h)
{
	/* Acquire: pairs with the store-release of the switch that set it. */
	return __atomic_load_n(&h->value, __ATOMIC_ACQUIRE);
}

/*
 * Make every reader's earlier seq store visible to our next loads, or
 * make its next value load see our earlier store (see the header).
 */
static int
ho_barrier(const struct failover_handoff *h)
{
	if (h->asymmetric)
		/*
		 * Every running thread of the process executes a full barrier
		 * before this returns, and the kernel orders the call itself
		 * with full barriers on our side.
		 */
		return ho_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
	/*
	 * Store->load: our value store is visible before our seq loads,
	 * pairing with the seq_cst fence in failover_handoff_enter().
	 */
	FAILOVER_HANDOFF_FULL_FENCE();
	return 0;
}

/* Wait until @p r has left the burst it was in when its seq was @p snap. */
static int
ho_wait_reader(const struct failover_handoff_reader *r, uint64_t snap,
		uint64_t deadline_ns)
{
	uint64_t sleep_ns = HO_SLEEP_MIN_NS;
	unsigned int polls = 0;
	struct timespec ts;

	/*
	 * Acquire: the first other value is the leave store-release of that
	 * burst or a later store in its release sequence, so the burst's
	 * accesses happen before our caller reclaims anything.
	 */
	while (__atomic_load_n(&r->seq, __ATOMIC_ACQUIRE) == snap) {
		if (deadline_ns != 0 && ho_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		if (polls < HO_SPIN_POLLS) {
			polls++;
			ho_cpu_relax();
		} else if (polls < HO_SPIN_POLLS + HO_YIELD_POLLS) {
			polls++;
			sched_yield();
		} else {
			ts.tv_sec = 0;
			ts.tv_nsec = sleep_ns;
			nanosleep(&ts, NULL);
			sleep_ns = sleep_ns * 2 < HO_SLEEP_MAX_NS ?
				sleep_ns * 2 : HO_SLEEP_MAX_NS;
		}
	}
	return 0;
}

int
failover_handoff_synchronize(struct failover_handoff *h, uint64_t timeout_ns)
{
	uint64_t deadline_ns = 0;
	uint64_t now_ns;
	unsigned int i;
	int ret;

	if (timeout_ns != 0) {
		now_ns = ho_now_ns();
		/* A deadline past the clock's range is no deadline. */
		if (timeout_ns <= UINT64_MAX - now_ns)
			deadline_ns = now_ns + timeout_ns;
	}

	ret = ho_barrier(h);
	if (ret != 0)
		return ret;

	/*
	 * Snapshot every reader first, so that a reader is only waited for
	 * if it was inside a burst at the barrier, not if it entered one
	 * while we were waiting for another reader.
	 * Acquire: a reader seen even made its last burst's accesses
	 * visible with its leave store-release.
	 */
	for (i = 0; i < h->nb_readers; i++)
		h->snapshot[i] = __atomic_load_n(&h->readers[i]->seq,
				__ATOMIC_ACQUIRE);

	for (i = 0; i < h->nb_readers; i++) {
		if ((h->snapshot[i] & 1) == 0)
			continue;
		ret = ho_wait_reader(h->readers[i], h->snapshot[i],
				deadline_ns);
		if (ret != 0)
			return ret;
	}
	return 0;
}

void
failover_handoff_publish(struct failover_handoff *h, uint32_t value)
{
	/*
	 * Release: what the caller prepared for the new sub-port is visible
	 * to a reader whose acquire load returns this value.
	 */
	__atomic_store_n(&h->value, value, __ATOMIC_RELEASE);
}

int
failover_handoff_switch(struct failover_handoff *h, uint32_t value,
		uint64_t timeout_ns)
{
	failover_handoff_publish(h, value);
	return failover_handoff_synchronize(h, timeout_ns);
}
