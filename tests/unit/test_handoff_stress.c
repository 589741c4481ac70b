/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Stress test of the hand-off primitive: reader threads burst without
 * pause on the object the published value names, while a writer switches
 * between two objects and, each time failover_handoff_switch() returns,
 * poisons the object it left, keeps it poisoned for a while, then
 * restores it before switching back to it. A reader that ever sees a
 * poisoned object proves a burst outlived the switch that should have
 * waited for it. Object accesses are plain (not atomic) on purpose: under
 * -fsanitize=thread such a burst is also reported as a data race.
 *
 * Runs in the asymmetric and the symmetric mode, with and without an idle
 * reader registered, each run bounded by a switch count and a duration.
 * The quarantine runs switch with a 1 ns timeout instead: a switch that
 * gives up leaves the old object valid, and the writer tears it down only
 * once failover_handoff_quiesced() says its token's bursts have left.
 * Each run asserts that the hand-off really uses the mode under test; the
 * asymmetric runs are skipped, saying why, on a kernel without
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED).
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

#define NB_BUSY 2
#define NB_WORDS 8
#define MAX_SWITCHES 1000000u
/*
 * Each run lasts RUN_NS, longer only if a reader has not crossed yet (or,
 * with quarantine, no quarantine has ended yet).
 */
#define RUN_NS 500000000ull
#define GIVE_UP_NS 10000000000ull
#define SWITCH_TIMEOUT_NS 2000000000ull
#define GOOD_MAGIC 0x600d600d600d600dull
#define POISON 0xdeaddeaddeaddeadull

/* What a path owns; valid only while the writer has not reclaimed it. */
struct path_obj {
	int valid;
	uint64_t words[NB_WORDS];
};

struct stress;

struct reader_ctx {
	struct failover_handoff_reader r;
	struct stress *st;
	/* Written by the reader only; relaxed atomics as the writer polls seen. */
	uint64_t bursts;
	uint64_t seen[2];   /* bursts that used each object */
	uint64_t bad;       /* bursts that saw a reclaimed object */
} __attribute__((aligned(FAILOVER_CACHE_LINE)));

struct stress {
	struct failover_handoff h;
	struct path_obj obj[2];
	struct reader_ctx rd[NB_BUSY];
	struct failover_handoff_reader idle;
	int stop;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
good_word(unsigned int obj, unsigned int i)
{
	return GOOD_MAGIC ^ ((uint64_t)obj << 32) ^ i;
}

static void
obj_restore(struct path_obj *o, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < NB_WORDS; i++)
		o->words[i] = good_word(id, i);
	o->valid = 1;
}

static void
obj_poison(struct path_obj *o)
{
	unsigned int i;

	o->valid = 0;
	for (i = 0; i < NB_WORDS; i++)
		o->words[i] = POISON;
}

/* One check of the object a burst uses: false if it was reclaimed. */
static bool
obj_check(const struct path_obj *o, unsigned int id)
{
	unsigned int i;

	if (o->valid != 1)
		return false;
	for (i = 0; i < NB_WORDS; i++)
		if (o->words[i] != good_word(id, i))
			return false;
	return true;
}

/* Counters have one writer: no read-modify-write needed. */
static void
counter_inc(uint64_t *c)
{
	/* Relaxed: a statistic; the writer only needs it to grow. */
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
}

static uint64_t
counter_get(const uint64_t *c)
{
	/* Relaxed: a statistic, see counter_inc(). */
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Every busy reader has used both objects (so crossed both ways). */
static bool
readers_crossed(const struct stress *st)
{
	unsigned int i;

	for (i = 0; i < NB_BUSY; i++)
		if (counter_get(&st->rd[i].seen[0]) == 0 ||
				counter_get(&st->rd[i].seen[1]) == 0)
			return false;
	return true;
}

static void *
reader_main(void *arg)
{
	struct reader_ctx *rc = arg;
	struct stress *st = rc->st;
	unsigned int v, spin, len;
	bool ok;

	/* Acquire: pairs with the writer's store-release of stop. */
	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		v = failover_handoff_enter(&st->h, &rc->r);
		/*
		 * Bursts of varying length (up to ~1 us), checked at both
		 * ends: a longer burst widens the window in which a writer
		 * that did not wait would poison the object under us.
		 */
		ok = obj_check(&st->obj[v], v);
		len = (unsigned int)(rc->bursts % 7) * 256;
		for (spin = 0; spin < len; spin++)
			/* Compiler-only: keeps the delay loop. */
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
		ok = obj_check(&st->obj[v], v) && ok;
		failover_handoff_leave(&rc->r);
		counter_inc(&rc->bursts);
		counter_inc(&rc->seen[v]);
		if (!ok)
			counter_inc(&rc->bad);
		if (rc->bursts % 64 == 0)
			sched_yield();
	}
	return NULL;
}

/*
 * What failover_handoff_init() needs for the asymmetric mode, asked of the
 * kernel directly so that the test does not trust the code it checks.
 */
static bool
kernel_has_private_expedited(void)
{
	const long needed = MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	return cmds >= 0 && (cmds & needed) == needed;
}

/*
 * Quarantine mode: what the writer knows of each object it left while a
 * timed switch gave up. token[o] != 0: object o is out of the word but
 * still valid, and is torn down only once quiesced(token[o]).
 */
struct quarantine {
	uint64_t token[2];
	unsigned int timeouts;  /* switches that gave up */
	unsigned int released;  /* quarantines ended by quiesced() */
};

/* Tear down every quarantined object whose token is quiesced. */
static void
quarantine_poll(struct stress *st, struct quarantine *q)
{
	unsigned int o;

	for (o = 0; o < 2; o++) {
		if (q->token[o] == 0 ||
		    !failover_handoff_quiesced(&st->h, q->token[o]))
			continue;
		obj_poison(&st->obj[o]);
		q->token[o] = 0;
		q->released++;
	}
}

/*
 * One switch to object @p next. Plain mode: wait, then tear the old
 * object down. Quarantine mode: a 1 ns timeout, so that a switch gives up
 * whenever a reader is inside a burst, and the old object is torn down
 * only once its token is quiesced.
 */
static void
switch_to(struct stress *st, unsigned int next, struct quarantine *q)
{
	unsigned int old = next ^ 1;
	uint64_t token = 0;
	int ret;

	if (q == NULL) {
		/* Bring the other path up, then move the readers to it. */
		obj_restore(&st->obj[next], next);
		assert_int_equal(failover_handoff_switch(&st->h, next,
				SWITCH_TIMEOUT_NS), 0);
		/* No burst may use the old object any more: tear it down. */
		obj_poison(&st->obj[old]);
		return;
	}
	/*
	 * A quarantined object was never torn down: taking it back ends its
	 * quarantine (rewriting it would race with bursts still in it).
	 */
	if (q->token[next] != 0)
		q->token[next] = 0;
	else
		obj_restore(&st->obj[next], next);
	ret = failover_handoff_switch_timed(&st->h, next, 1, &token);
	if (ret == 0) {
		obj_poison(&st->obj[old]);
		return;
	}
	assert_int_equal(ret, -ETIMEDOUT);
	assert_int_equal(failover_handoff_value(&st->h), next);
	q->token[old] = token;
	q->timeouts++;
}

static void
run(unsigned int flags, bool with_idle, bool quarantine)
{
	unsigned int i, cur = 0, hold, switches = 0;
	struct quarantine q = { .timeouts = 0 };
	pthread_t th[NB_BUSY];
	uint64_t start, t, bursts = 0;
	struct stress *st;

	st = aligned_alloc(FAILOVER_CACHE_LINE, sizeof(*st));
	assert_non_null(st);
	memset(st, 0, sizeof(*st));
	obj_restore(&st->obj[0], 0);
	obj_poison(&st->obj[1]);
	assert_int_equal(failover_handoff_init_flags(&st->h, 0, NB_BUSY + 1,
			flags), 0);
	/*
	 * The mode under test must be the one in use: an asymmetric run that
	 * silently fell back to fences would not test membarrier() at all.
	 */
	if (flags & FAILOVER_HANDOFF_F_SYMMETRIC)
		assert_int_equal(failover_handoff_mode(&st->h),
				FAILOVER_HANDOFF_MODE_SYMMETRIC);
	else
		assert_int_equal(failover_handoff_mode(&st->h),
				FAILOVER_HANDOFF_MODE_ASYMMETRIC);
	for (i = 0; i < NB_BUSY; i++) {
		st->rd[i].st = st;
		assert_int_equal(failover_handoff_reader_add(&st->h,
				&st->rd[i].r), 0);
	}
	if (with_idle)
		assert_int_equal(failover_handoff_reader_add(&st->h, &st->idle),
				0);
	for (i = 0; i < NB_BUSY; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reader_main,
				&st->rd[i]), 0);

	start = now_ns();
	while (switches < MAX_SWITCHES) {
		t = now_ns();
		/* Quarantine runs also go on until one quarantine ended. */
		if (t - start >= GIVE_UP_NS ||
				(t - start >= RUN_NS && readers_crossed(st) &&
				 (!quarantine || q.released > 0)))
			break;
		switch_to(st, cur ^ 1, quarantine ? &q : NULL);
		cur ^= 1;
		switches++;
		/* Leave it poisoned long enough for a stray reader to look. */
		for (hold = 0; hold < 2000; hold++)
			/* Compiler-only: keeps the delay loop. */
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
		/*
		 * Poll a while for the quarantine to end, as a control thread
		 * would, before taking the object back ends it unreleased.
		 */
		for (hold = 0; quarantine && hold < 256; hold++) {
			quarantine_poll(st, &q);
			if (q.token[cur ^ 1] == 0)
				break;
			sched_yield();
		}
		/*
		 * Let a reader sharing our core run; an odd period, so that it
		 * does not always find the same object published.
		 */
		if (switches % 17 == 0)
			sched_yield();
	}
	/* Release: pairs with the readers' acquire load of stop. */
	__atomic_store_n(&st->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NB_BUSY; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	if (quarantine) {
		/* Every reader has left: every quarantine must end now. */
		quarantine_poll(st, &q);
		assert_int_equal(q.token[0], 0);
		assert_int_equal(q.token[1], 0);
		/* The quarantine path really ran, both ways. */
		assert_true(q.timeouts > 0);
		assert_true(q.released > 0);
	}

	/* Each reader really crossed switches in both directions. */
	assert_true(readers_crossed(st));
	for (i = 0; i < NB_BUSY; i++) {
		assert_int_equal(st->rd[i].bad, 0);
		bursts += st->rd[i].bursts;
	}
	assert_int_equal(st->idle.seq, 0);
	assert_true(switches >= 100);

	print_message("%s%s%s: %u switches, %" PRIu64 " bursts by %d readers"
			", %u timed out, %u quarantines ended\n",
			failover_handoff_mode(&st->h) ==
			FAILOVER_HANDOFF_MODE_ASYMMETRIC ?
			"asymmetric" : "symmetric",
			with_idle ? " + idle reader" : "",
			quarantine ? " + quarantine" : "",
			switches, bursts, NB_BUSY, q.timeouts, q.released);
	failover_handoff_fini(&st->h);
	free(st);
}

/* The asymmetric runs need membarrier(PRIVATE_EXPEDITED): skip without. */
static void
skip_without_membarrier(void)
{
	if (kernel_has_private_expedited())
		return;
	print_message("SKIP: the kernel lacks membarrier(MEMBARRIER_CMD_"
			"PRIVATE_EXPEDITED) (Linux 4.14+, or blocked by a "
			"seccomp filter): the asymmetric mode cannot be "
			"tested on this machine\n");
	skip();
}

static void
test_asymmetric(void **state)
{
	(void)state;
	skip_without_membarrier();
	run(0, false, false);
}

static void
test_asymmetric_idle(void **state)
{
	(void)state;
	skip_without_membarrier();
	run(0, true, false);
}

static void
test_symmetric(void **state)
{
	(void)state;
	run(FAILOVER_HANDOFF_F_SYMMETRIC, false, false);
}

static void
test_symmetric_idle(void **state)
{
	(void)state;
	run(FAILOVER_HANDOFF_F_SYMMETRIC, true, false);
}

static void
test_asymmetric_quarantine(void **state)
{
	(void)state;
	skip_without_membarrier();
	run(0, true, true);
}

static void
test_symmetric_quarantine(void **state)
{
	(void)state;
	run(FAILOVER_HANDOFF_F_SYMMETRIC, true, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asymmetric),
		cmocka_unit_test(test_asymmetric_idle),
		cmocka_unit_test(test_symmetric),
		cmocka_unit_test(test_symmetric_idle),
		cmocka_unit_test(test_asymmetric_quarantine),
		cmocka_unit_test(test_symmetric_quarantine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
