/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * txonly: send sequence-numbered UDP frames (txgen.h) at "set txrate"
 * packets per second per port (shared by its Tx queues; 0: as fast as
 * the port takes them). One flow per Tx queue, numbered on from where
 * the last run stopped. What comes back (a loopback, a reflecting host)
 * is checked as rxcheck does, then freed.
 *
 * A sequence number is used up only when the port accepts its packet:
 * frames the port refuses are freed and their numbers sent again, so the
 * receiver sees a loss only for what was lost after the port took it.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fo_testpmd.h"

#define TXONLY_IP_SRC(port)	(0xc6120001u | ((uint32_t)(port) << 8))
#define TXONLY_IP_DST(port)	(0xc6120002u | ((uint32_t)(port) << 8))
#define TXONLY_UDP_SRC_BASE	1024u
#define TXONLY_UDP_DST		5001u

static uint32_t
rate_share(const struct fwd_stream *fs)
{
	/* Relaxed: a new rate may take effect a burst later. */
	uint32_t rate = __atomic_load_n(&app.txrate, __ATOMIC_RELAXED);

	if (rate == 0 || fs->tx_share <= 1)
		return rate;
	/* Never 0, which would mean no limit at all. */
	return RTE_MAX(rate / fs->tx_share, 1u);
}

static void
txonly_begin(struct fwd_stream *fs)
{
	struct txgen_tmpl t;
	int len;

	memset(&t, 0, sizeof(t));
	memcpy(t.dst_mac, fs->dst_mac.addr_bytes, sizeof(t.dst_mac));
	memcpy(t.src_mac, fs->src_mac.addr_bytes, sizeof(t.src_mac));
	/* 198.18.0.0/15, the benchmarking range: one /24 per port. */
	t.ip_src = TXONLY_IP_SRC(fs->port_id & 0xff);
	t.ip_dst = TXONLY_IP_DST(fs->port_id & 0xff);
	t.udp_src = (uint16_t)(TXONLY_UDP_SRC_BASE + fs->txq);
	t.udp_dst = TXONLY_UDP_DST;
	t.frame_len = TXGEN_FRAME_MIN;
	t.flow = ((uint32_t)fs->port_id << 16) | fs->txq;
	len = txgen_build(fs->tmpl, sizeof(fs->tmpl), &t, 0, 0);
	fs->tmpl_len = len > 0 ? (uint16_t)len : 0;
	fs->tx_rate = rate_share(fs);
	txgen_pacer_init(&fs->pacer, rte_get_tsc_hz(), fs->tx_rate, FO_BURST,
		rte_rdtsc());
}

static void
txonly_send(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint64_t now = rte_rdtsc();
	uint32_t rate = rate_share(fs);
	uint16_t n, sent, i;
	uint8_t *d;

	if (rate != fs->tx_rate) {
		txgen_pacer_set_rate(&fs->pacer, rate, now);
		fs->tx_rate = rate;
	}
	n = (uint16_t)txgen_pacer_grant(&fs->pacer, now, FO_BURST);
	if (n == 0 || fs->tmpl_len == 0)
		return;
	if (rte_pktmbuf_alloc_bulk(fs->mp, pkts, n) != 0) {
		fwd_count(&fs->c.alloc_fail, 1);
		return;
	}
	for (i = 0; i < n; i++) {
		d = rte_pktmbuf_mtod(pkts[i], uint8_t *);
		memcpy(d, fs->tmpl, fs->tmpl_len);
		txgen_stamp(d, fs->tx_seq + i, now);
		pkts[i]->data_len = fs->tmpl_len;
		pkts[i]->pkt_len = fs->tmpl_len;
	}
	sent = rte_eth_tx_burst(fs->port_id, fs->txq, pkts, n);
	txgen_pacer_commit(&fs->pacer, sent);
	fs->tx_seq += sent;
	fwd_count(&fs->c.tx, sent);
	if (sent < n)
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
}

static void
txonly_burst(struct fwd_stream *fs)
{
	struct rte_mbuf *pkts[FO_BURST];
	uint16_t n;

	if (fs->txq != FO_NO_QUEUE)
		txonly_send(fs);
	n = fwd_rx(fs, pkts);
	if (n == 0)
		return;
	fwd_rx_check(fs, pkts, n);
	rte_pktmbuf_free_bulk(pkts, n);
}

const struct fwd_engine fwd_engine_txonly = {
	.name = "txonly",
	.help = "send sequence-numbered UDP at txrate; check what comes back",
	.begin = txonly_begin,
	.burst = txonly_burst,
};
