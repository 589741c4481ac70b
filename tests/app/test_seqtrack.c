/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The rxcheck engine's sequence tracker (app/testpmd/seqtrack.c): each
 * verdict on hand-made sequences, the window's edges, restarts, several
 * flows, a full table, and a randomized check against a reference model.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "seqtrack.h"

static int
setup(void **state)
{
	struct seqtrack *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	seqtrack_init(t);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
feed_range(struct seqtrack *t, uint32_t flow, uint64_t from, uint64_t to)
{
	uint64_t s;

	for (s = from; s < to; s++)
		seqtrack_rx(t, flow, s);
}

static void
test_in_order(void **state)
{
	struct seqtrack *t = *state;
	uint64_t s;

	assert_int_equal(seqtrack_rx(t, 1, 0), SEQTRACK_NEW_FLOW);
	for (s = 1; s < 10000; s++)
		assert_int_equal(seqtrack_rx(t, 1, s), SEQTRACK_IN_ORDER);
	assert_int_equal(t->tot.received, 10000);
	assert_int_equal(t->tot.unique, 10000);
	assert_int_equal(t->tot.lost, 0);
	assert_int_equal(t->tot.dup, 0);
	assert_int_equal(t->tot.reordered, 0);
	assert_int_equal(t->tot.flows, 1);
}

static void
test_gap_then_late(void **state)
{
	struct seqtrack *t = *state;

	feed_range(t, 1, 0, 3);
	assert_int_equal(seqtrack_rx(t, 1, 5), SEQTRACK_GAP);
	assert_int_equal(t->tot.lost, 2);
	assert_int_equal(seqtrack_flow_lost(t, 1), 2);
	assert_int_equal(seqtrack_rx(t, 1, 3), SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, 1);
	assert_int_equal(seqtrack_rx(t, 1, 4), SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, 0);
	assert_int_equal(t->tot.reordered, 2);
	assert_int_equal(t->tot.unique, 6);
	/* Arriving again is a duplicate, not a second fill. */
	assert_int_equal(seqtrack_rx(t, 1, 4), SEQTRACK_DUP);
	assert_int_equal(t->tot.lost, 0);
	assert_int_equal(t->tot.dup, 1);
}

static void
test_duplicates(void **state)
{
	struct seqtrack *t = *state;

	feed_range(t, 1, 0, 100);
	assert_int_equal(seqtrack_rx(t, 1, 99), SEQTRACK_DUP);
	assert_int_equal(seqtrack_rx(t, 1, 50), SEQTRACK_DUP);
	assert_int_equal(seqtrack_rx(t, 1, 0), SEQTRACK_DUP);
	assert_int_equal(t->tot.dup, 3);
	assert_int_equal(t->tot.unique, 100);
	assert_int_equal(t->tot.received, 103);
	assert_int_equal(t->tot.lost, 0);
}

static void
test_window_edges(void **state)
{
	struct seqtrack *t = *state;
	uint64_t top;

	/* Received 0..W-1 in order, then far ahead: next = top + 1. */
	feed_range(t, 1, 0, SEQTRACK_WINDOW);
	top = 3 * SEQTRACK_WINDOW;
	assert_int_equal(seqtrack_rx(t, 1, top), SEQTRACK_GAP);
	assert_int_equal(t->tot.lost, top - SEQTRACK_WINDOW);
	/* The oldest number still in the window: top + 1 - W. */
	assert_int_equal(seqtrack_rx(t, 1, top + 1 - SEQTRACK_WINDOW),
		SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, top - SEQTRACK_WINDOW - 1);
	/* One below: beyond the window, nothing can be said. */
	assert_int_equal(seqtrack_rx(t, 1, top - SEQTRACK_WINDOW),
		SEQTRACK_STALE);
	/* Even one that was received long ago. */
	assert_int_equal(seqtrack_rx(t, 1, 5), SEQTRACK_STALE);
	assert_int_equal(t->tot.stale, 2);
	assert_int_equal(t->tot.lost, top - SEQTRACK_WINDOW - 1);
}

static void
test_window_reuse(void **state)
{
	struct seqtrack *t = *state;
	uint64_t s;

	/*
	 * A whole window received, then every other number for three more:
	 * the bits of the first window are reused by the skipped numbers,
	 * so each later arrival of one is a fill, not a duplicate of its
	 * W-older alias.
	 */
	feed_range(t, 1, 0, SEQTRACK_WINDOW);
	for (s = SEQTRACK_WINDOW; s < 4 * SEQTRACK_WINDOW; s += 2)
		seqtrack_rx(t, 1, s);
	assert_int_equal(t->tot.lost, 3 * SEQTRACK_WINDOW / 2 - 1);
	for (s = 4 * SEQTRACK_WINDOW - 3; s > 3 * SEQTRACK_WINDOW; s -= 2)
		assert_int_equal(seqtrack_rx(t, 1, s), SEQTRACK_REORDERED);
	assert_int_equal(t->tot.dup, 0);
	assert_int_equal(t->tot.lost, SEQTRACK_WINDOW);

	/* Gaps of exactly W - 1: the whole window is cleared each time. */
	seqtrack_init(t);
	seqtrack_rx(t, 2, 0);
	assert_int_equal(seqtrack_rx(t, 2, SEQTRACK_WINDOW), SEQTRACK_GAP);
	assert_int_equal(seqtrack_rx(t, 2, 2 * SEQTRACK_WINDOW), SEQTRACK_GAP);
	assert_int_equal(t->tot.lost, 2 * SEQTRACK_WINDOW - 2);
	assert_int_equal(seqtrack_rx(t, 2, SEQTRACK_WINDOW + 1),
		SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, 2 * SEQTRACK_WINDOW - 3);
}

static void
test_first_packet_late(void **state)
{
	struct seqtrack *t = *state;

	/* The flow is first seen at 10; 8 arrives: 9 is now missing. */
	assert_int_equal(seqtrack_rx(t, 1, 10), SEQTRACK_NEW_FLOW);
	assert_int_equal(seqtrack_rx(t, 1, 8), SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, 1);
	assert_int_equal(seqtrack_rx(t, 1, 9), SEQTRACK_REORDERED);
	assert_int_equal(t->tot.lost, 0);
	assert_int_equal(seqtrack_rx(t, 1, 8), SEQTRACK_DUP);
	assert_int_equal(seqtrack_rx(t, 1, 11), SEQTRACK_IN_ORDER);
	assert_int_equal(t->tot.reordered, 2);
	assert_int_equal(t->tot.unique, 4);
}

static void
test_restart(void **state)
{
	struct seqtrack *t = *state;
	uint64_t far = SEQTRACK_RESTART_BACK + 100;

	seqtrack_rx(t, 1, 0);
	seqtrack_rx(t, 1, 2);
	assert_int_equal(t->tot.lost, 1);
	/* Way below: the sender started over; the old loss stays. */
	seqtrack_rx(t, 1, far);
	assert_int_equal(t->tot.lost, far - 2);
	assert_int_equal(seqtrack_rx(t, 1, 0), SEQTRACK_RESTART);
	assert_int_equal(seqtrack_flow_lost(t, 1), 0);
	assert_int_equal(seqtrack_rx(t, 1, 1), SEQTRACK_IN_ORDER);
	assert_int_equal(t->tot.lost, far - 2);
	/* Way ahead: a new sender too, not 2^32 losses. */
	assert_int_equal(seqtrack_rx(t, 1, 1 + SEQTRACK_RESTART_AHEAD + 1),
		SEQTRACK_RESTART);
	assert_int_equal(t->tot.lost, far - 2);
	assert_int_equal(t->tot.restarts, 2);
	assert_int_equal(t->tot.flows, 1);
}

static void
test_flows_independent(void **state)
{
	struct seqtrack *t = *state;
	uint64_t s;

	for (s = 0; s < 1000; s++) {
		seqtrack_rx(t, 7, s);
		if (s % 10 != 5)
			seqtrack_rx(t, 9, s);
	}
	assert_int_equal(t->tot.flows, 2);
	assert_int_equal(seqtrack_flow_lost(t, 7), 0);
	assert_int_equal(seqtrack_flow_lost(t, 9), 100);
	assert_int_equal(t->tot.lost, 100);
	assert_int_equal(seqtrack_flow_lost(t, 12345), 0);
}

static void
test_table_full(void **state)
{
	struct seqtrack *t = *state;
	uint32_t f;

	for (f = 0; f < SEQTRACK_MAX_FLOWS; f++)
		assert_int_equal(seqtrack_rx(t, f, 0), SEQTRACK_NEW_FLOW);
	assert_int_equal(seqtrack_rx(t, 1000, 0), SEQTRACK_UNTRACKED);
	assert_int_equal(seqtrack_rx(t, 1000, 5), SEQTRACK_UNTRACKED);
	assert_int_equal(t->tot.untracked, 2);
	assert_int_equal(t->tot.flows, SEQTRACK_MAX_FLOWS);
	/* Followed flows still work. */
	assert_int_equal(seqtrack_rx(t, 3, 1), SEQTRACK_IN_ORDER);
}

/* xorshift64: deterministic, so a failure can be replayed. */
static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * A sender's 0..N-1, some dropped, some sent twice, shuffled by local
 * swaps that stay well within the window, checked against a direct model:
 * reordered = arrived below the highest seen and new; lost = numbers
 * between the lowest and highest seen never received.
 */
static void
test_random_against_model(void **state)
{
	enum { N = 200000, SPREAD = 64 };
	struct seqtrack *t = *state;
	uint64_t *wire, x = 0x9e3779b97f4a7c15ull;
	uint8_t *seen;
	uint64_t nw = 0, i, j, tmp, max = 0, min = UINT64_MAX;
	uint64_t exp_dup = 0, exp_reord = 0, exp_unique = 0;
	unsigned int round;

	wire = malloc(sizeof(*wire) * 2 * N);
	seen = calloc(N, 1);
	assert_non_null(wire);
	assert_non_null(seen);
	for (round = 0; round < 3; round++) {
		seqtrack_init(t);
		memset(seen, 0, N);
		nw = 0;
		for (i = 0; i < N; i++) {
			uint64_t r = rnd(&x) % 1000;

			if (r < 10)
				continue;		/* 1 %: dropped */
			wire[nw++] = i;
			if (r < 20)
				wire[nw++] = i;		/* 1 %: twice */
		}
		for (i = 0; i + 1 < nw; i++) {
			if (rnd(&x) % 20 != 0)
				continue;
			j = i + 1 + rnd(&x) % SPREAD;
			if (j >= nw)
				continue;
			tmp = wire[i];
			wire[i] = wire[j];
			wire[j] = tmp;
		}
		exp_dup = exp_reord = exp_unique = 0;
		max = 0;
		min = UINT64_MAX;
		for (i = 0; i < nw; i++) {
			uint64_t s = wire[i];

			if (seen[s]) {
				exp_dup++;
			} else {
				if (exp_unique != 0 && s < max)
					exp_reord++;
				seen[s] = 1;
				exp_unique++;
			}
			max = s > max ? s : max;
			min = s < min ? s : min;
			seqtrack_rx(t, 42, s);
		}
		assert_int_equal(t->tot.received, nw);
		assert_int_equal(t->tot.unique, exp_unique);
		assert_int_equal(t->tot.dup, exp_dup);
		assert_int_equal(t->tot.reordered, exp_reord);
		assert_int_equal(t->tot.lost, max - min + 1 - exp_unique);
		assert_int_equal(t->tot.stale, 0);
		assert_true(exp_reord > 0 && exp_dup > 0);
	}
	free(wire);
	free(seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_then_late, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_window_edges, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_window_reuse, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_first_packet_late, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows_independent, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_table_full, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
