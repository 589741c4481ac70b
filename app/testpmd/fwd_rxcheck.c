/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * rxcheck: receive, check the sequence numbers of txonly-format frames per
 * flow (lost, duplicated, reordered; seqtrack.c), count the rest as
 * foreign, free.
 */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fo_testpmd.h"

static void
rxcheck_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint16_t n;

	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	fwd_rx_check(fs, pkts, n);
	rte_pktmbuf_free_bulk(pkts, n);
}

const struct fwd_engine fwd_engine_rxcheck = {
	.name = "rxcheck",
	.help = "receive and check sequence numbers per flow",
	.burst = rxcheck_burst,
};
