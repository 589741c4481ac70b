/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The Ethernet header rewrite of the mac and macswap engines
 * (app/testpmd/macfwd.c) on bursts of frames given as (data, length), as
 * the engines pass their mbufs: only the 12 address bytes change, runts
 * are left alone.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "macfwd.h"

#define NB	4
#define LEN	64

static uint8_t frames[NB][LEN];
static uint8_t orig[NB][LEN];
static uint8_t *ptrs[NB];
static uint16_t lens[NB];

static int
setup(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < NB; i++) {
		for (j = 0; j < LEN; j++)
			frames[i][j] = (uint8_t)(i * 64 + j);
		ptrs[i] = frames[i];
		lens[i] = LEN;
	}
	memcpy(orig, frames, sizeof(frames));
	return 0;
}

static void
test_swap(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(macfwd_swap_burst(ptrs, lens, NB), NB);
	for (i = 0; i < NB; i++) {
		assert_memory_equal(frames[i], orig[i] + 6, 6);
		assert_memory_equal(frames[i] + 6, orig[i], 6);
		assert_memory_equal(frames[i] + 12, orig[i] + 12, LEN - 12);
	}
	/* Twice is the identity. */
	assert_int_equal(macfwd_swap_burst(ptrs, lens, NB), NB);
	assert_memory_equal(frames, orig, sizeof(frames));
}

static void
test_swap_skips_runts(void **state)
{
	(void)state;
	lens[1] = MACFWD_HDR_LEN - 1;
	lens[3] = 0;
	assert_int_equal(macfwd_swap_burst(ptrs, lens, NB), NB - 2);
	assert_memory_equal(frames[1], orig[1], LEN);
	assert_memory_equal(frames[3], orig[3], LEN);
	assert_memory_equal(frames[0], orig[0] + 6, 6);
	assert_memory_equal(frames[2] + 6, orig[2], 6);
	/* A bare header is long enough. */
	lens[1] = MACFWD_HDR_LEN;
	assert_int_equal(macfwd_swap_burst(ptrs + 1, lens + 1, 1), 1);
	assert_memory_equal(frames[1], orig[1] + 6, 6);
}

static void
test_swap_only_first_n(void **state)
{
	(void)state;
	assert_int_equal(macfwd_swap_burst(ptrs, lens, 0), 0);
	assert_memory_equal(frames, orig, sizeof(frames));
	assert_int_equal(macfwd_swap_burst(ptrs, lens, 2), 2);
	assert_memory_equal(frames[2], orig[2], LEN);
	assert_memory_equal(frames[3], orig[3], LEN);
}

static void
test_set(void **state)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 9 };
	static const uint8_t src[6] = { 2, 0xfa, 0x11, 0, 0, 1 };
	unsigned int i;

	(void)state;
	lens[2] = 5;
	assert_int_equal(macfwd_set_burst(ptrs, lens, NB, dst, src), NB - 1);
	for (i = 0; i < NB; i++) {
		if (i == 2) {
			assert_memory_equal(frames[i], orig[i], LEN);
			continue;
		}
		assert_memory_equal(frames[i], dst, 6);
		assert_memory_equal(frames[i] + 6, src, 6);
		assert_memory_equal(frames[i] + 12, orig[i] + 12, LEN - 12);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_swap, setup),
		cmocka_unit_test_setup(test_swap_skips_runts, setup),
		cmocka_unit_test_setup(test_swap_only_first_n, setup),
		cmocka_unit_test_setup(test_set, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
