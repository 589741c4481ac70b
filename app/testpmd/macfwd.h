/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_MACFWD_H
#define FO_MACFWD_H

/*
 * Ethernet header rewrite of the mac and macswap engines: pure functions
 * over a burst of frames given as (data pointer, data length) pairs, the
 * part of an mbuf they touch (no DPDK, no EAL). A frame shorter than an
 * Ethernet header is left alone.
 */

#include <stdint.h>

#define MACFWD_ADDR_LEN		6u
#define MACFWD_HDR_LEN		14u

/* Swap destination and source addresses. Returns the frames rewritten. */
unsigned int macfwd_swap_burst(uint8_t *const *frames,
		const uint16_t *lens, unsigned int n);

/* Set destination @p dst and source @p src. Returns the frames
 * rewritten. */
unsigned int macfwd_set_burst(uint8_t *const *frames, const uint16_t *lens,
		unsigned int n, const uint8_t dst[MACFWD_ADDR_LEN],
		const uint8_t src[MACFWD_ADDR_LEN]);

#endif /* FO_MACFWD_H */
