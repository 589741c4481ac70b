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
	h->pending = calloc(max_readers, sizeof(*h->pending));
	if (h->pending == NULL) {
		ret = -ENOMEM;
		goto free_snapshot;
	}
	h->max_readers = max_readers;
	/* Tokens start at 1: 0 is never returned, so never quiesced. */
	h->first_unsnapped = 1;
	h->asymmetric = (flags & FAILOVER_HANDOFF_F_SYMMETRIC) == 0 &&
		ho_membarrier_register();
	/*
	 * Relaxed: no reader exists yet; whatever hands h to the lcores
	 * (thread creation, device start) orders this store before them.
	 */
	__atomic_store_n(&h->value, value, __ATOMIC_RELAXED);
	return 0;

free_snapshot:
	free(h->snapshot);
	h->snapshot = NULL;
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
	free(h->pending);
	free(h->snapshot);
	free(h->readers);
	h->pending = NULL;
	h->snapshot = NULL;
	h->readers = NULL;
	h->nb_pending = 0;
	h->nb_readers = 0;
	h->max_readers = 0;
}

enum failover_handoff_mode
failover_handoff_mode(const struct failover_handoff *h)
{
	return h->asymmetric ? FAILOVER_HANDOFF_MODE_ASYMMETRIC :
		FAILOVER_HANDOFF_MODE_SYMMETRIC;
}

int
failover_handoff_reader_add(struct failover_handoff *h,
		struct failover_handoff_reader *r)
{
	/*
	 * Relaxed: registrations are serialised by the caller, whose lock
	 * orders the last store of the count before this load.
	 */
	unsigned int n = __atomic_load_n(&h->nb_readers, __ATOMIC_RELAXED);
	unsigned int i;

	for (i = 0; i < n; i++)
		/* Relaxed: slots below the count are only written by us. */
		if (__atomic_load_n(&h->readers[i], __ATOMIC_RELAXED) == r)
			return -EEXIST;
	if (n == h->max_readers)
		return -ENOSPC;
	/*
	 * Relaxed: slot n is beyond the count every writer may have loaded,
	 * so none reads it before the store-release of the count below.
	 * seq is left alone: only the reader's own thread writes it.
	 */
	__atomic_store_n(&h->readers[n], r, __ATOMIC_RELAXED);
	/*
	 * Release: the slot store above is visible to a writer whose acquire
	 * load of the count sees n + 1, so it never loads an empty slot.
	 */
	__atomic_store_n(&h->nb_readers, n + 1, __ATOMIC_RELEASE);
	return 0;
}

void
failover_handoff_reader_del(struct failover_handoff *h,
		struct failover_handoff_reader *r)
{
	/* Relaxed: registrations are serialised, see reader_add(). */
	unsigned int n = __atomic_load_n(&h->nb_readers, __ATOMIC_RELAXED);
	struct failover_handoff_reader *last;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* Relaxed: only registrations write the slots. */
		if (__atomic_load_n(&h->readers[i], __ATOMIC_RELAXED) != r)
			continue;
		/*
		 * The writer visits all readers: order is irrelevant. No writer
		 * runs (the caller serialises us with them), so the slot moved
		 * and the count are seen together by the next one, which loads
		 * the count with acquire. Relaxed: the caller's lock orders
		 * these stores before the next writer.
		 */
		last = __atomic_load_n(&h->readers[n - 1], __ATOMIC_RELAXED);
		__atomic_store_n(&h->readers[i], last, __ATOMIC_RELAXED);
		__atomic_store_n(&h->readers[n - 1], NULL, __ATOMIC_RELAXED);
		__atomic_store_n(&h->nb_readers, n - 1, __ATOMIC_RELAXED);
		break;
	}

	/*
	 * Its queue is no longer polled, so any burst of it a timed-out wait
	 * kept has left: forget it, so that nothing dereferences @p r once
	 * the caller frees it.
	 */
	for (i = 0; i < h->nb_pending; ) {
		if (h->pending[i].reader == r)
			h->pending[i] = h->pending[--h->nb_pending];
		else
			i++;
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

/*
 * Record every reader seen inside a burst (odd seq) in h->snapshot, with
 * the oldest token that burst holds back: the one a timed-out wait gave
 * it already if it is the same burst, else @p token. Returns how many.
 */
static unsigned int
ho_snapshot(struct failover_handoff *h, uint64_t token)
{
	const struct failover_handoff_reader *r;
	unsigned int n, i, j, nb = 0;
	uint64_t seq;

	/*
	 * Acquire: pairs with the store-release of the count in reader_add(),
	 * so every slot below it is filled. Loaded after the barrier: a
	 * reader whose first burst read an older value was added before that
	 * burst, so before the barrier point, and is counted.
	 */
	n = __atomic_load_n(&h->nb_readers, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		/* Relaxed: ordered after its store by the count's acquire. */
		r = __atomic_load_n(&h->readers[i], __ATOMIC_RELAXED);
		/*
		 * Acquire: a reader seen even made its last burst's accesses
		 * visible with its leave store-release.
		 */
		seq = __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE);
		if ((seq & 1) == 0)
			continue;
		h->snapshot[nb].reader = r;
		h->snapshot[nb].seq = seq;
		h->snapshot[nb].token = token;
		for (j = 0; j < h->nb_pending; j++) {
			if (h->pending[j].reader == r &&
			    h->pending[j].seq == seq) {
				h->snapshot[nb].token = h->pending[j].token;
				break;
			}
		}
		nb++;
	}
	return nb;
}

int
failover_handoff_synchronize_timed(struct failover_handoff *h,
		uint64_t timeout_ns, uint64_t *token)
{
	struct failover_handoff_burst *tmp;
	uint64_t deadline_ns = 0;
	uint64_t now_ns, t;
	unsigned int i, nb;
	int ret;

	if (timeout_ns != 0) {
		now_ns = ho_now_ns();
		/* A deadline past the clock's range is no deadline. */
		if (timeout_ns <= UINT64_MAX - now_ns)
			deadline_ns = now_ns + timeout_ns;
	}
	t = ++h->last_token;
	if (token != NULL)
		*token = t;

	ret = ho_barrier(h);
	if (ret != 0)
		/* No snapshot: first_unsnapped stays <= t, not quiesced. */
		return ret;

	/*
	 * Snapshot every reader first, so that a reader is only waited for
	 * if it was inside a burst at the barrier, not if it entered one
	 * while we were waiting for another reader. The snapshot covers
	 * every token up to t, including those whose barrier failed.
	 */
	nb = ho_snapshot(h, h->first_unsnapped);
	h->first_unsnapped = t + 1;

	for (i = 0; i < nb; i++) {
		ret = ho_wait_reader(h->snapshot[i].reader,
				h->snapshot[i].seq, deadline_ns);
		if (ret != 0)
			break;
	}
	/*
	 * Bursts before i were seen leaving; from i on they are what still
	 * holds back their tokens. Older pending bursts not seen again have
	 * left. The snapshot array becomes the pending one.
	 */
	tmp = h->pending;
	h->pending = h->snapshot;
	h->snapshot = tmp;
	if (i > 0)
		memmove(h->pending, h->pending + i,
				(nb - i) * sizeof(*h->pending));
	h->nb_pending = nb - i;
	return ret;
}

int
failover_handoff_synchronize(struct failover_handoff *h, uint64_t timeout_ns)
{
	return failover_handoff_synchronize_timed(h, timeout_ns, NULL);
}

bool
failover_handoff_quiesced(const struct failover_handoff *h, uint64_t token)
{
	unsigned int i;

	/* No snapshot covers it yet (never issued, or its barrier failed). */
	if (token == 0 || token >= h->first_unsnapped)
		return false;
	for (i = 0; i < h->nb_pending; i++) {
		if (h->pending[i].token > token)
			continue;
		/*
		 * Acquire: a moved seq is the leave store-release of that
		 * burst or later in its release sequence, so the burst's
		 * accesses happen before the caller reclaims the sub-port.
		 */
		if (__atomic_load_n(&h->pending[i].reader->seq,
				__ATOMIC_ACQUIRE) == h->pending[i].seq)
			return false;
	}
	return true;
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
failover_handoff_switch_timed(struct failover_handoff *h, uint32_t value,
		uint64_t timeout_ns, uint64_t *token)
{
	failover_handoff_publish(h, value);
	return failover_handoff_synchronize_timed(h, timeout_ns, token);
}

int
failover_handoff_switch(struct failover_handoff *h, uint32_t value,
		uint64_t timeout_ns)
{
	return failover_handoff_switch_timed(h, value, timeout_ns, NULL);
}
