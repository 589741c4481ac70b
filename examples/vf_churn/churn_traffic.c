/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The forwarding lcore: sends bursts of sequence-numbered packets on the
 * failover port at a steady rate and receives them back (the demo's
 * sub-ports loop what they send to their own Rx), recording every
 * sequence number it receives in a bitmap. Loss is decided at the end from
 * the bitmap, so a packet that arrives late counts as reordered, not lost.
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "churn.h"

#define CHURN_RX_BURST		64
/* IEEE 802 local experimental EtherType: nobody else's traffic. */
#define CHURN_ETHER_TYPE	0x88b5
#define CHURN_MAGIC		0x4348524eu	/* "CHRN" */
#define CHURN_FRAME_LEN		60		/* minimum frame, FCS aside */

/* Follows the Ethernet header, unaligned: copied in and out. */
struct churn_payload {
	uint64_t seq;
	uint32_t magic;
};

static uint64_t
load_u64(const uint64_t *p)
{
	/* Relaxed: a single writer; only a recent value is wanted. */
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
store_u64(uint64_t *p, uint64_t v)
{
	/* Relaxed: see struct churn_stats. */
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

void
churn_stats_snapshot(struct churn_stats *s)
{
	s->tx = load_u64(&app.stats.tx);
	s->rx = load_u64(&app.stats.rx);
	s->unique = load_u64(&app.stats.unique);
	s->dup = load_u64(&app.stats.dup);
	s->reordered = load_u64(&app.stats.reordered);
	s->next_expected = load_u64(&app.stats.next_expected);
	s->foreign = load_u64(&app.stats.foreign);
	s->alloc_fail = load_u64(&app.stats.alloc_fail);
}

static void
stats_publish(const struct churn_stats *st)
{
	store_u64(&app.stats.tx, st->tx);
	store_u64(&app.stats.rx, st->rx);
	store_u64(&app.stats.unique, st->unique);
	store_u64(&app.stats.dup, st->dup);
	store_u64(&app.stats.reordered, st->reordered);
	store_u64(&app.stats.next_expected, st->next_expected);
	store_u64(&app.stats.foreign, st->foreign);
	store_u64(&app.stats.alloc_fail, st->alloc_fail);
}

/* Called once the forwarding lcore has returned. */
uint64_t
churn_count_missing(uint64_t from, uint64_t to)
{
	uint64_t s, n = 0;

	for (s = from; s < to && s < app.nb_seq; s++)
		if ((app.seen[s / 64] & (1ull << (s % 64))) == 0)
			n++;
	return n;
}

static void
pkt_fill(struct rte_mbuf *m, uint64_t seq)
{
	struct churn_payload pl = { .seq = seq, .magic = CHURN_MAGIC };
	struct rte_ether_hdr *eth;
	char *data;

	data = rte_pktmbuf_append(m, CHURN_FRAME_LEN);
	/* A fresh mbuf always has room for a minimum frame. */
	RTE_ASSERT(data != NULL);
	memset(data, 0, CHURN_FRAME_LEN);
	eth = (struct rte_ether_hdr *)data;
	rte_ether_addr_copy(&app.mac, &eth->dst_addr);
	rte_ether_addr_copy(&app.mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(CHURN_ETHER_TYPE);
	memcpy(eth + 1, &pl, sizeof(pl));
}

static void
rx_check(struct churn_stats *st, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	struct churn_payload pl;
	uint64_t bit, *word;

	st->rx++;
	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(pl)) {
		st->foreign++;
		return;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	memcpy(&pl, eth + 1, sizeof(pl));
	if (eth->ether_type != rte_cpu_to_be_16(CHURN_ETHER_TYPE) ||
	    pl.magic != CHURN_MAGIC || pl.seq >= app.nb_seq) {
		st->foreign++;
		return;
	}
	word = &app.seen[pl.seq / 64];
	bit = 1ull << (pl.seq % 64);
	if (*word & bit) {
		st->dup++;
		return;
	}
	*word |= bit;
	st->unique++;
	if (pl.seq < st->next_expected)
		st->reordered++;
	else
		st->next_expected = pl.seq + 1;
}

static void
rx_poll(struct churn_stats *st)
{
	struct rte_mbuf *rxb[CHURN_RX_BURST];
	uint16_t nb, i;

	do {
		nb = rte_eth_rx_burst(app.port_id, 0, rxb, CHURN_RX_BURST);
		for (i = 0; i < nb; i++)
			rx_check(st, rxb[i]);
		if (nb != 0)
			rte_pktmbuf_free_bulk(rxb, nb);
	} while (nb == CHURN_RX_BURST);
}

int
churn_fwd_main(void *arg)
{
	struct rte_mbuf *txb[CHURN_BURST];
	struct churn_stats st;
	uint16_t tx_off = 0, tx_left = 0, nb, i;
	uint64_t seq = 0, now, next_tx, next_rx;

	RTE_SET_USED(arg);
	memset(&st, 0, sizeof(st));
	next_tx = rte_rdtsc();
	next_rx = next_tx;
	/*
	 * Relaxed loads of the flags: they carry no data, and what this
	 * lcore leaves behind is read after rte_eal_wait_lcore(), which
	 * orders it.
	 */
	while (!__atomic_load_n(&app.fwd_stop, __ATOMIC_RELAXED)) {
		now = rte_rdtsc();
		if (tx_left == 0 && now >= next_tx &&
		    !__atomic_load_n(&app.tx_stop, __ATOMIC_RELAXED) &&
		    seq + CHURN_BURST <= app.nb_seq) {
			if (rte_pktmbuf_alloc_bulk(app.mp, txb,
					CHURN_BURST) == 0) {
				for (i = 0; i < CHURN_BURST; i++)
					pkt_fill(txb[i], seq + i);
				seq += CHURN_BURST;
				tx_off = 0;
				tx_left = CHURN_BURST;
			} else {
				st.alloc_fail++;
			}
			next_tx += app.tx_interval_tsc;
			/* After a stall, resume the rate; do not catch up. */
			if (now > next_tx + 4 * app.tx_interval_tsc)
				next_tx = now;
		}
		/* What the port refused is offered again, in order. */
		if (tx_left != 0) {
			nb = rte_eth_tx_burst(app.port_id, 0, txb + tx_off,
				tx_left);
			tx_off += nb;
			tx_left -= nb;
			st.tx += nb;
		}
		/*
		 * Packets stay on the "wire" (the ring) until the next poll,
		 * so a path always holds some in flight, as a real one does.
		 */
		if (now >= next_rx) {
			next_rx = now + app.rx_interval_tsc;
			rx_poll(&st);
		}
		stats_publish(&st);
	}
	/* Never sent: their sequence numbers do not count as sent. */
	if (tx_left != 0)
		rte_pktmbuf_free_bulk(txb + tx_off, tx_left);
	stats_publish(&st);
	return 0;
}

/* Sequence numbers the bitmap must hold for a run at full rate. */
uint64_t
churn_nb_seq(uint32_t rate_pps, unsigned int duration_s)
{
	/* A margin for the drain and for timer slack; whole words. */
	return ((uint64_t)rate_pps * (duration_s + 5) + 63) & ~63ull;
}

/* The pacing interval between two bursts at @p rate_pps. */
uint64_t
churn_tx_interval(uint32_t rate_pps)
{
	return rte_get_tsc_hz() * CHURN_BURST / rate_pps;
}
