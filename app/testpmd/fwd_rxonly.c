/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* rxonly: receive and free. */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fo_testpmd.h"

static void
rxonly_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint16_t n;

	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	rte_pktmbuf_free_bulk(pkts, n);
}

const struct fwd_engine fwd_engine_rxonly = {
	.name = "rxonly",
	.help = "receive and free",
	.burst = rxonly_burst,
};
