/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* io: send back what arrives, untouched. */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fo_testpmd.h"

static void
io_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint16_t n;

	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	fwd_tx(fs, pkts, n);
}

const struct fwd_engine fwd_engine_io = {
	.name = "io",
	.help = "send back what arrives, untouched",
	.burst = io_burst,
};
