/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* macswap: send back what arrives with its MAC addresses swapped, the
 * reflector a host's traffic generator expects. */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "macfwd.h"

#include "fo_testpmd.h"

static void
macswap_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint8_t *frames[FO_BURST];
	uint16_t lens[FO_BURST];
	uint16_t n;

	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	fwd_frames(pkts, n, frames, lens);
	macfwd_swap_burst(frames, lens, n);
	fwd_tx(fs, pkts, n);
}

const struct fwd_engine fwd_engine_macswap = {
	.name = "macswap",
	.help = "send back what arrives with source and destination MAC "
		"swapped",
	.burst = macswap_burst,
};
