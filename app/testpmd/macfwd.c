/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Ethernet header rewrite of mac and macswap (see macfwd.h). */

#include <string.h>

#include "macfwd.h"

unsigned int
macfwd_swap_burst(uint8_t *const *frames, const uint16_t *lens,
		unsigned int n)
{
	uint8_t tmp[MACFWD_ADDR_LEN];
	unsigned int i, done = 0;

	for (i = 0; i < n; i++) {
		uint8_t *f = frames[i];

		if (lens[i] < MACFWD_HDR_LEN)
			continue;
		memcpy(tmp, f, MACFWD_ADDR_LEN);
		memcpy(f, f + MACFWD_ADDR_LEN, MACFWD_ADDR_LEN);
		memcpy(f + MACFWD_ADDR_LEN, tmp, MACFWD_ADDR_LEN);
		done++;
	}
	return done;
}

unsigned int
macfwd_set_burst(uint8_t *const *frames, const uint16_t *lens,
		unsigned int n, const uint8_t dst[MACFWD_ADDR_LEN],
		const uint8_t src[MACFWD_ADDR_LEN])
{
	unsigned int i, done = 0;

	for (i = 0; i < n; i++) {
		if (lens[i] < MACFWD_HDR_LEN)
			continue;
		memcpy(frames[i], dst, MACFWD_ADDR_LEN);
		memcpy(frames[i] + MACFWD_ADDR_LEN, src, MACFWD_ADDR_LEN);
		done++;
	}
	return done;
}
