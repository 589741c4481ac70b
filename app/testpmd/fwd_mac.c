/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* mac: send back what arrives, from the port's MAC to its peer's. */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "macfwd.h"

#include "fo_testpmd.h"

static void
mac_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint8_t *frames[FO_BURST];
	uint16_t lens[FO_BURST];
	uint16_t n;

	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	fwd_frames(pkts, n, frames, lens);
	macfwd_set_burst(frames, lens, n, fs->dst_mac.addr_bytes,
		fs->src_mac.addr_bytes);
	fwd_tx(fs, pkts, n);
}

const struct fwd_engine fwd_engine_mac = {
	.name = "mac",
	.help = "send back what arrives, from the port's MAC to the peer's",
	.burst = mac_burst,
};
