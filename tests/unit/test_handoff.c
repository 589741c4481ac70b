/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Unit tests of the hand-off primitive (lib/failover_handoff.c): the
 * bookkeeping API, and the writer's waiting rules in both the asymmetric
 * (membarrier) and the symmetric (fence) mode. Timing-sensitive checks
 * only assert what the protocol guarantees (the writer returned after the
 * reader left, or gave up no earlier than its timeout), so a slow machine
 * cannot make a correct implementation fail.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include <cmocka.h>

#include "failover_handoff.h"

#define NB_READERS 4
#define MS 1000000ull
/* How long a helper thread stays inside a burst the writer must wait for. */
#define HOLD_NS (50 * MS)

struct fixture {
	struct failover_handoff h;
	struct failover_handoff_reader r[NB_READERS];
};

/* Mode of a test: the flags given to failover_handoff_init_flags(). */
static const unsigned int mode_asymmetric;
static const unsigned int mode_symmetric = FAILOVER_HANDOFF_F_SYMMETRIC;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / 1000000000ull,
		.tv_nsec = ns % 1000000000ull,
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Test-thread flags: acquire/release so the data around them is ordered. */
static void
flag_set(int *flag)
{
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
}

static int
flag_get(const int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

static void
flag_wait(const int *flag)
{
	while (!flag_get(flag))
		sched_yield();
}

static bool
kernel_has_private_expedited(void)
{
	const long needed = MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	return cmds >= 0 && (cmds & needed) == needed;
}

/* Setup: a hand-off in the mode given as prestate, all readers added. */
static int
fx_setup(void **state)
{
	const unsigned int flags = *(const unsigned int *)*state;
	struct fixture *fx;
	unsigned int i;

	fx = aligned_alloc(FAILOVER_CACHE_LINE, sizeof(*fx));
	if (fx == NULL)
		return -1;
	memset(fx, 0, sizeof(*fx));
	if (failover_handoff_init_flags(&fx->h, 0, NB_READERS, flags) != 0)
		goto fail;
	if ((flags & FAILOVER_HANDOFF_F_SYMMETRIC) && fx->h.asymmetric)
		goto fini;
	for (i = 0; i < NB_READERS; i++)
		if (failover_handoff_reader_add(&fx->h, &fx->r[i]) != 0)
			goto fini;
	*state = fx;
	return 0;

fini:
	failover_handoff_fini(&fx->h);
fail:
	free(fx);
	return -1;
}

static int
fx_teardown(void **state)
{
	struct fixture *fx = *state;

	failover_handoff_fini(&fx->h);
	free(fx);
	return 0;
}

static void
test_init_fini(void **state)
{
	struct failover_handoff h;

	(void)state;
	assert_int_equal(failover_handoff_init(&h, 42, 3), 0);
	assert_int_equal(failover_handoff_value(&h), 42);
	assert_int_equal(h.nb_readers, 0);
	assert_int_equal(h.max_readers, 3);
	assert_non_null(h.readers);
	/* The default mode is asymmetric exactly when the kernel allows it. */
	assert_int_equal(h.asymmetric, kernel_has_private_expedited());
	assert_int_equal(failover_handoff_mode(&h),
			kernel_has_private_expedited() ?
			FAILOVER_HANDOFF_MODE_ASYMMETRIC :
			FAILOVER_HANDOFF_MODE_SYMMETRIC);
	failover_handoff_fini(&h);
	assert_null(h.readers);
	assert_int_equal(h.max_readers, 0);

	assert_int_equal(failover_handoff_init_flags(&h, 7, 1,
			FAILOVER_HANDOFF_F_SYMMETRIC), 0);
	assert_false(h.asymmetric);
	assert_int_equal(failover_handoff_mode(&h),
			FAILOVER_HANDOFF_MODE_SYMMETRIC);
	assert_int_equal(failover_handoff_value(&h), 7);
	failover_handoff_fini(&h);

	assert_int_equal(failover_handoff_init(&h, 0, 0), -EINVAL);
	assert_int_equal(failover_handoff_init_flags(&h, 0, 1, 1u << 7),
			-EINVAL);
}

static void
test_add_del(void **state)
{
	struct failover_handoff_reader r[3];
	struct failover_handoff h;

	(void)state;
	memset(r, 0, sizeof(r));
	assert_int_equal(failover_handoff_init(&h, 0, 2), 0);
	assert_int_equal(failover_handoff_reader_add(&h, &r[0]), 0);
	assert_int_equal(failover_handoff_reader_add(&h, &r[0]), -EEXIST);
	assert_int_equal(failover_handoff_reader_add(&h, &r[1]), 0);
	assert_int_equal(h.nb_readers, 2);
	assert_int_equal(failover_handoff_reader_add(&h, &r[2]), -ENOSPC);

	/* Deleting an unknown reader changes nothing. */
	failover_handoff_reader_del(&h, &r[2]);
	assert_int_equal(h.nb_readers, 2);

	failover_handoff_reader_del(&h, &r[0]);
	assert_int_equal(h.nb_readers, 1);
	assert_ptr_equal(h.readers[0], &r[1]);
	assert_int_equal(failover_handoff_reader_add(&h, &r[2]), 0);
	assert_int_equal(failover_handoff_reader_add(&h, &r[0]), -ENOSPC);

	/* Re-adding keeps the reader's own count. */
	failover_handoff_enter(&h, &r[2]);
	failover_handoff_leave(&r[2]);
	failover_handoff_reader_del(&h, &r[2]);
	assert_int_equal(failover_handoff_reader_add(&h, &r[2]), 0);
	assert_int_equal(r[2].seq, 2);

	failover_handoff_reader_del(&h, &r[1]);
	failover_handoff_reader_del(&h, &r[2]);
	assert_int_equal(h.nb_readers, 0);
	failover_handoff_fini(&h);

	r[0].seq = 5;
	failover_handoff_reader_init(&r[0]);
	assert_int_equal(r[0].seq, 0);
}

static void
test_enter_returns_published(void **state)
{
	struct fixture *fx = *state;
	struct failover_handoff_reader *r = &fx->r[0];

	assert_int_equal(failover_handoff_enter(&fx->h, r), 0);
	assert_int_equal(r->seq, 1);
	failover_handoff_leave(r);
	assert_int_equal(r->seq, 2);

	assert_int_equal(failover_handoff_switch(&fx->h, 9, 0), 0);
	assert_int_equal(failover_handoff_value(&fx->h), 9);
	assert_int_equal(failover_handoff_enter(&fx->h, r), 9);
	assert_int_equal(r->seq, 3);
	failover_handoff_leave(r);
	assert_int_equal(r->seq, 4);
}

/*
 * With a 1 ns timeout any wait at all ends in -ETIMEDOUT, so a 0 return
 * proves the writer did not wait. The last step shows the probe works.
 */
static void
test_idle_readers_never_block(void **state)
{
	struct fixture *fx = *state;
	struct failover_handoff_reader *busy = &fx->r[3];

	/* r[0] polled before, r[1] never polled, r[2] re-added. */
	failover_handoff_enter(&fx->h, &fx->r[0]);
	failover_handoff_leave(&fx->r[0]);
	failover_handoff_reader_del(&fx->h, &fx->r[2]);
	failover_handoff_enter(&fx->h, &fx->r[2]);
	failover_handoff_leave(&fx->r[2]);
	assert_int_equal(failover_handoff_reader_add(&fx->h, &fx->r[2]), 0);

	assert_int_equal(failover_handoff_switch(&fx->h, 1, 1), 0);
	assert_int_equal(failover_handoff_synchronize(&fx->h, 1), 0);

	assert_int_equal(failover_handoff_enter(&fx->h, busy), 1);
	assert_int_equal(failover_handoff_switch(&fx->h, 2, 1), -ETIMEDOUT);
	failover_handoff_leave(busy);
	assert_int_equal(failover_handoff_switch(&fx->h, 3, 1), 0);
}

struct holder {
	struct failover_handoff *h;
	struct failover_handoff_reader *r;
	uint32_t seen;    /* value the held burst read */
	uint32_t seen_again; /* value a second burst read */
	int entered;      /* the burst has begun */
	int reentered;    /* the second burst has begun */
	int go;           /* main thread: the writer is about to wait */
	int left;         /* set inside the burst just before leaving */
	int release;      /* main thread: leave now */
	uint64_t left_ns; /* when the burst ended */
};

/*
 * A burst that outlives the publication of a new value: it leaves
 * HOLD_NS after the switch has published (the writer is then waiting).
 */
static void *
hold_past_publish(void *arg)
{
	struct holder *ho = arg;

	ho->seen = failover_handoff_enter(ho->h, ho->r);
	flag_set(&ho->entered);
	while (failover_handoff_value(ho->h) == ho->seen)
		sched_yield();
	sleep_ns(HOLD_NS);
	ho->left_ns = now_ns();
	flag_set(&ho->left);
	failover_handoff_leave(ho->r);
	return NULL;
}

static void
test_switch_waits_for_burst(void **state)
{
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[1] };
	uint64_t t0, t1;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_past_publish, &ho), 0);
	flag_wait(&ho.entered);
	t0 = now_ns();
	assert_int_equal(failover_handoff_switch(&fx->h, 1, 0), 0);
	t1 = now_ns();
	assert_true(flag_get(&ho.left));
	assert_true(t1 >= ho.left_ns);
	assert_true(t1 - t0 >= HOLD_NS);
	assert_int_equal(ho.seen, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(fx->r[1].seq % 2, 0);
}

/*
 * publish() does not wait: it returns while a reader is still inside the
 * burst that read the old value, and the reader's next burst sees the new.
 */
static void
test_publish_does_not_wait(void **state)
{
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[1] };
	uint64_t t0, t1;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_past_publish, &ho), 0);
	flag_wait(&ho.entered);
	t0 = now_ns();
	failover_handoff_publish(&fx->h, 1);
	t1 = now_ns();
	assert_false(flag_get(&ho.left));
	assert_true(t1 - t0 < HOLD_NS);
	assert_int_equal(failover_handoff_value(&fx->h), 1);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(ho.seen, 0);
	assert_int_equal(failover_handoff_enter(&fx->h, &fx->r[1]), 1);
	failover_handoff_leave(&fx->r[1]);
}

/* A burst that leaves HOLD_NS after the main thread says it will wait. */
static void *
hold_past_go(void *arg)
{
	struct holder *ho = arg;

	ho->seen = failover_handoff_enter(ho->h, ho->r);
	flag_set(&ho->entered);
	flag_wait(&ho->go);
	sleep_ns(HOLD_NS);
	flag_set(&ho->left);
	failover_handoff_leave(ho->r);
	return NULL;
}

static void
test_synchronize_waits_for_burst(void **state)
{
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[2] };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_past_go, &ho), 0);
	flag_wait(&ho.entered);
	flag_set(&ho.go);
	assert_int_equal(failover_handoff_synchronize(&fx->h, 0), 0);
	assert_true(flag_get(&ho.left));
	assert_int_equal(failover_handoff_value(&fx->h), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}

/* A burst that lasts until the main thread releases it. */
static void *
hold_until_released(void *arg)
{
	struct holder *ho = arg;

	ho->seen = failover_handoff_enter(ho->h, ho->r);
	flag_set(&ho->entered);
	flag_wait(&ho->release);
	flag_set(&ho->left);
	failover_handoff_leave(ho->r);
	return NULL;
}

static void
test_timeout(void **state)
{
	const uint64_t timeout = 20 * MS;
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[0] };
	struct failover_handoff_reader *other = &fx->r[3];
	uint64_t t0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_until_released, &ho),
			0);
	flag_wait(&ho.entered);

	t0 = now_ns();
	assert_int_equal(failover_handoff_switch(&fx->h, 1, timeout),
			-ETIMEDOUT);
	assert_true(now_ns() - t0 >= timeout);
	assert_false(flag_get(&ho.left));
	/* Published all the same: new bursts use the new value. */
	assert_int_equal(failover_handoff_value(&fx->h), 1);
	assert_int_equal(failover_handoff_enter(&fx->h, other), 1);
	failover_handoff_leave(other);

	t0 = now_ns();
	assert_int_equal(failover_handoff_synchronize(&fx->h, timeout),
			-ETIMEDOUT);
	assert_true(now_ns() - t0 >= timeout);

	flag_set(&ho.release);
	assert_int_equal(failover_handoff_synchronize(&fx->h, 0), 0);
	assert_true(flag_get(&ho.left));
	assert_int_equal(ho.seen, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}

/*
 * A burst that leaves HOLD_NS after the switch published, then at once
 * enters a second burst that lasts until the main thread releases it.
 */
static void *
hold_then_reenter(void *arg)
{
	struct holder *ho = arg;

	ho->seen = failover_handoff_enter(ho->h, ho->r);
	flag_set(&ho->entered);
	while (failover_handoff_value(ho->h) == ho->seen)
		sched_yield();
	sleep_ns(HOLD_NS);
	flag_set(&ho->left);
	failover_handoff_leave(ho->r);
	ho->seen_again = failover_handoff_enter(ho->h, ho->r);
	flag_set(&ho->reentered);
	flag_wait(&ho->release);
	failover_handoff_leave(ho->r);
	return NULL;
}

/*
 * The writer waits for the burst it saw, not for the reader to be seen
 * outside any burst: a burst begun after the snapshot does not hold it.
 */
static void
test_later_burst_does_not_block(void **state)
{
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[2] };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_then_reenter, &ho), 0);
	flag_wait(&ho.entered);
	/*
	 * The second burst only ends once we release it below: had the
	 * writer waited for it, this would time out.
	 */
	assert_int_equal(failover_handoff_switch(&fx->h, 1, 5000 * MS), 0);
	assert_true(flag_get(&ho.left));
	flag_set(&ho.release);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* The second burst began after the publication: new value. */
	assert_true(flag_get(&ho.reentered));
	assert_int_equal(ho.seen, 0);
	assert_int_equal(ho.seen_again, 1);
}

struct looper {
	struct failover_handoff *h;
	struct failover_handoff_reader *r;
	int stop;
	uint64_t bursts;
};

/*
 * Bursts back to back, each ~200 us long: the reader is almost always
 * odd, so a writer that waited to see it even would starve.
 */
static void *
loop_bursts(void *arg)
{
	struct looper *lo = arg;
	uint64_t end;

	while (!flag_get(&lo->stop)) {
		failover_handoff_enter(lo->h, lo->r);
		end = now_ns() + 200000;
		while (now_ns() < end)
			;
		failover_handoff_leave(lo->r);
		lo->bursts++;
	}
	return NULL;
}

static void
test_busy_reader_does_not_starve_writer(void **state)
{
	const unsigned int nb_switches = 100;
	struct fixture *fx = *state;
	struct looper lo = { .h = &fx->h, .r = &fx->r[1] };
	uint64_t first_seq;
	uint64_t t0, elapsed, worst = 0;
	unsigned int i;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, loop_bursts, &lo), 0);
	/*
	 * Start switching once the reader is bursting. Relaxed: seq is only
	 * compared here, nothing is read on the strength of it.
	 */
	while (__atomic_load_n(&lo.r->seq, __ATOMIC_RELAXED) < 3)
		sched_yield();
	first_seq = __atomic_load_n(&lo.r->seq, __ATOMIC_RELAXED);
	for (i = 0; i < nb_switches; i++) {
		t0 = now_ns();
		assert_int_equal(failover_handoff_switch(&fx->h, i & 1,
				1000 * MS), 0);
		elapsed = now_ns() - t0;
		if (elapsed > worst)
			worst = elapsed;
	}
	flag_set(&lo.stop);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* The reader kept bursting while the writer switched. */
	assert_true(lo.r->seq > first_seq + 2);
	print_message("%u switches against %" PRIu64
			" back-to-back bursts, longest switch %" PRIu64 " us\n",
			nb_switches, lo.bursts, worst / 1000);
}

/*
 * Quarantine: a reader thread parked inside a burst that read the old
 * value makes the timed switch give up with -ETIMEDOUT, the new value
 * published all the same; the token is not quiesced while the burst
 * lasts, and is once the reader has left, without any further wait.
 */
static void
test_timed_switch_then_quiesced(void **state)
{
	const uint64_t timeout = 20 * MS;
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[0] };
	struct failover_handoff_reader *other = &fx->r[3];
	uint64_t token = 0, t0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, hold_until_released, &ho),
			0);
	flag_wait(&ho.entered);

	t0 = now_ns();
	assert_int_equal(failover_handoff_switch_timed(&fx->h, 1, timeout,
			&token), -ETIMEDOUT);
	assert_true(now_ns() - t0 >= timeout);
	assert_true(token != 0);
	assert_false(flag_get(&ho.left));
	/* The new value is published: new bursts use it. */
	assert_int_equal(failover_handoff_value(&fx->h), 1);
	assert_int_equal(failover_handoff_enter(&fx->h, other), 1);
	failover_handoff_leave(other);
	/* The parked burst still holds the old value: quarantined. */
	assert_false(failover_handoff_quiesced(&fx->h, token));
	sleep_ns(timeout);
	assert_false(failover_handoff_quiesced(&fx->h, token));

	flag_set(&ho.release);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(flag_get(&ho.left));
	assert_int_equal(ho.seen, 0);
	/* The reader left: the old value is quiesced, and stays so. */
	assert_true(failover_handoff_quiesced(&fx->h, token));
	assert_int_equal(failover_handoff_switch(&fx->h, 2, 1), 0);
	assert_true(failover_handoff_quiesced(&fx->h, token));
}

/* The same with synchronize_timed(), and a token that waited in full. */
static void
test_timed_synchronize_then_quiesced(void **state)
{
	struct fixture *fx = *state;
	struct holder ho = { .h = &fx->h, .r = &fx->r[2] };
	uint64_t token = 0, token_ok = 0;
	pthread_t t;

	assert_int_equal(failover_handoff_synchronize_timed(&fx->h, 1,
			&token_ok), 0);
	assert_true(failover_handoff_quiesced(&fx->h, token_ok));

	assert_int_equal(pthread_create(&t, NULL, hold_until_released, &ho),
			0);
	flag_wait(&ho.entered);
	assert_int_equal(failover_handoff_synchronize_timed(&fx->h, 10 * MS,
			&token), -ETIMEDOUT);
	assert_true(token > token_ok);
	assert_false(failover_handoff_quiesced(&fx->h, token));
	/* The burst began after token_ok's barrier: it does not hold it. */
	assert_true(failover_handoff_quiesced(&fx->h, token_ok));
	flag_set(&ho.release);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(failover_handoff_quiesced(&fx->h, token));
}

/* Tokens no call returned are never quiesced. */
static void
test_quiesced_unknown_token(void **state)
{
	struct fixture *fx = *state;
	uint64_t token = 0;

	assert_false(failover_handoff_quiesced(&fx->h, 0));
	assert_false(failover_handoff_quiesced(&fx->h, 1));
	assert_int_equal(failover_handoff_switch_timed(&fx->h, 1, 0, &token),
			0);
	assert_true(failover_handoff_quiesced(&fx->h, token));
	assert_false(failover_handoff_quiesced(&fx->h, token + 1));
	assert_false(failover_handoff_quiesced(&fx->h, UINT64_MAX));
}

/*
 * Each token is held back only by the bursts that began before its
 * barrier, across timed-out calls: burst A (begun before token 1) and
 * burst B (begun after token 1, before token 2) are both in progress at
 * token 2. A leaving quiesces token 1 but not token 2; B leaving quiesces
 * token 2. A burst begun after token 2 holds back neither. The bursts run
 * on this thread: enter() needs no other.
 */
static void
test_quiesced_per_token(void **state)
{
	struct fixture *fx = *state;
	struct failover_handoff_reader *a = &fx->r[0], *b = &fx->r[1];
	struct failover_handoff_reader *c = &fx->r[2];
	uint64_t t1 = 0, t2 = 0, t3 = 0;

	assert_int_equal(failover_handoff_enter(&fx->h, a), 0);
	assert_int_equal(failover_handoff_switch_timed(&fx->h, 1, 1, &t1),
			-ETIMEDOUT);
	assert_int_equal(failover_handoff_enter(&fx->h, b), 1);
	assert_int_equal(failover_handoff_switch_timed(&fx->h, 2, 1, &t2),
			-ETIMEDOUT);
	assert_true(t1 < t2);
	assert_int_equal(failover_handoff_enter(&fx->h, c), 2);
	assert_false(failover_handoff_quiesced(&fx->h, t1));
	assert_false(failover_handoff_quiesced(&fx->h, t2));

	failover_handoff_leave(a);
	assert_true(failover_handoff_quiesced(&fx->h, t1));
	assert_false(failover_handoff_quiesced(&fx->h, t2));

	/* A third timed-out call keeps what it learnt of the older ones. */
	assert_int_equal(failover_handoff_synchronize_timed(&fx->h, 1, &t3),
			-ETIMEDOUT);
	assert_true(failover_handoff_quiesced(&fx->h, t1));
	assert_false(failover_handoff_quiesced(&fx->h, t2));
	assert_false(failover_handoff_quiesced(&fx->h, t3));

	failover_handoff_leave(b);
	assert_true(failover_handoff_quiesced(&fx->h, t2));
	assert_false(failover_handoff_quiesced(&fx->h, t3));
	failover_handoff_leave(c);
	assert_true(failover_handoff_quiesced(&fx->h, t3));
}

/*
 * reader_del() forgets the bursts of the reader a timed-out wait kept, so
 * the reader may be freed: quiesced() must not look at it any more. The
 * reader's memory is made to look like a reader inside that very burst
 * again (as if reused), which a stale pending entry would report as not
 * quiesced; under AddressSanitizer, freeing first would catch the read.
 */
static void
test_del_forgets_pending(void **state)
{
	struct fixture *fx = *state;
	struct failover_handoff_reader *r;
	uint64_t token = 0, odd;

	failover_handoff_reader_del(&fx->h, &fx->r[3]);
	r = aligned_alloc(FAILOVER_CACHE_LINE, sizeof(*r));
	assert_non_null(r);
	failover_handoff_reader_init(r);
	assert_int_equal(failover_handoff_reader_add(&fx->h, r), 0);

	failover_handoff_enter(&fx->h, r);
	odd = r->seq;
	assert_int_equal(failover_handoff_switch_timed(&fx->h, 1, 1, &token),
			-ETIMEDOUT);
	assert_false(failover_handoff_quiesced(&fx->h, token));
	/* The queue stops being polled, then is removed. */
	failover_handoff_leave(r);
	failover_handoff_reader_del(&fx->h, r);
	r->seq = odd;
	assert_true(failover_handoff_quiesced(&fx->h, token));
	free(r);
	assert_true(failover_handoff_quiesced(&fx->h, token));
	assert_int_equal(failover_handoff_switch(&fx->h, 2, 1), 0);
}

#define NB_ADDED 64

struct adder {
	struct failover_handoff *h;
	struct failover_handoff_reader *r; /* NB_ADDED of them */
	int start;
	int done;
	uint64_t bursts;
};

/*
 * The control thread setting queues up while another thread switches:
 * add readers one by one; each queue is polled as soon as it is added,
 * one burst each, round robin, so bursts on fresh readers are in
 * progress while the writer loads the count and the slots.
 */
static void *
add_while_switching(void *arg)
{
	struct adder *ad = arg;
	unsigned int i, j;

	flag_wait(&ad->start);
	for (i = 0; i < NB_ADDED; i++) {
		if (failover_handoff_reader_add(ad->h, &ad->r[i]) != 0)
			break;
		for (j = 0; j <= i; j++) {
			failover_handoff_enter(ad->h, &ad->r[j]);
			sched_yield();
			failover_handoff_leave(&ad->r[j]);
			ad->bursts++;
		}
	}
	flag_set(&ad->done);
	return NULL;
}

/*
 * reader_add() concurrent with writers: no writer ever loads a slot
 * before it is filled (an empty one would crash it), and every wait
 * completes. Under -fsanitize=thread the old unordered count is a
 * reported race; without, a writer that loaded an empty slot crashes.
 */
static void
test_reader_add_during_switch(void **state)
{
	const unsigned int rounds = 20;
	struct fixture *fx = *state;
	struct failover_handoff h;
	struct adder ad = { .h = &h };
	unsigned int i, round, switches = 0;
	uint32_t v = 0;
	pthread_t t;

	(void)fx;
	ad.r = aligned_alloc(FAILOVER_CACHE_LINE, NB_ADDED * sizeof(*ad.r));
	assert_non_null(ad.r);
	memset(ad.r, 0, NB_ADDED * sizeof(*ad.r));
	for (round = 0; round < rounds; round++) {
		assert_int_equal(failover_handoff_init_flags(&h, v, NB_ADDED,
				fx->h.asymmetric ? 0 :
				FAILOVER_HANDOFF_F_SYMMETRIC), 0);
		ad.start = 0;
		ad.done = 0;
		assert_int_equal(pthread_create(&t, NULL, add_while_switching,
				&ad), 0);
		flag_set(&ad.start);
		while (!flag_get(&ad.done)) {
			v ^= 1;
			assert_int_equal(failover_handoff_switch(&h, v,
					5000 * MS), 0);
			switches++;
		}
		assert_int_equal(pthread_join(t, NULL), 0);
		assert_int_equal(h.nb_readers, NB_ADDED);
		/* Removal is serialised with the writers: this thread. */
		for (i = 0; i < NB_ADDED; i++)
			failover_handoff_reader_del(&h, &ad.r[i]);
		assert_int_equal(h.nb_readers, 0);
		failover_handoff_fini(&h);
	}
	print_message("%u switches while %" PRIu64
			" bursts ran on readers being added\n",
			switches, ad.bursts);
	free(ad.r);
}

#define HO_TEST(f, mode) { \
	.name = #f " (" #mode ")", \
	.test_func = f, \
	.setup_func = fx_setup, \
	.teardown_func = fx_teardown, \
	.initial_state = (void *)&mode_ ## mode, \
}

#define HO_TEST_BOTH(f) HO_TEST(f, asymmetric), HO_TEST(f, symmetric)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_fini),
		cmocka_unit_test(test_add_del),
		HO_TEST_BOTH(test_enter_returns_published),
		HO_TEST_BOTH(test_idle_readers_never_block),
		HO_TEST_BOTH(test_switch_waits_for_burst),
		HO_TEST_BOTH(test_publish_does_not_wait),
		HO_TEST_BOTH(test_synchronize_waits_for_burst),
		HO_TEST_BOTH(test_timeout),
		HO_TEST_BOTH(test_later_burst_does_not_block),
		HO_TEST_BOTH(test_busy_reader_does_not_starve_writer),
		HO_TEST_BOTH(test_timed_switch_then_quiesced),
		HO_TEST_BOTH(test_timed_synchronize_then_quiesced),
		HO_TEST_BOTH(test_quiesced_unknown_token),
		HO_TEST_BOTH(test_quiesced_per_token),
		HO_TEST_BOTH(test_del_forgets_pending),
		HO_TEST_BOTH(test_reader_add_during_switch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
