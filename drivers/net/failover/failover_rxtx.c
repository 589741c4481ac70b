/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The only hot code of the PMD. Each burst reads the active path word once
 * through the hand-off reader side and uses exactly the sub-ports it names
 * until it leaves. No logging, no locks, no allocation, no atomic
 * read-modify-write: per-queue counters are written only by the lcore that
 * polls the queue.
 */

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "failover_private.h"

/*
 * Counters are read by the control plane on other threads: a relaxed
 * store of a value only this lcore writes is enough (no ordering with
 * anything else is needed, only the absence of torn writes).
 */
static inline void
fo_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/* The one per-packet cost of the PMD: keep it to a load and a store. */
static inline void
fo_set_port(struct rte_mbuf **pkts, unsigned int nb, uint16_t port_id)
{
	struct rte_mbuf **end = pkts + nb;

	for (; pkts + 8 <= end; pkts += 8) {
		pkts[0]->port = port_id;
		pkts[1]->port = port_id;
		pkts[2]->port = port_id;
		pkts[3]->port = port_id;
		pkts[4]->port = port_id;
		pkts[5]->port = port_id;
		pkts[6]->port = port_id;
		pkts[7]->port = port_id;
	}
	for (; pkts < end; pkts++)
		(*pkts)->port = port_id;
}

/*
 * The bursts are written once and compiled twice: for the primary, which
 * calls the burst functions it captured, and for a secondary process
 * (@p secondary, a constant), which calls its own burst functions of the
 * same sub-port, read inside the hand-off like the rest of the slot. A
 * sub-port not attached in this process (not hot-plugged, so EAL never
 * attached it here) gives nothing and takes nothing.
 */
static __rte_always_inline uint16_t
fo_rx(const struct failover_rxq *rxq, enum failover_slot s,
		struct rte_mbuf **pkts, uint16_t n, const bool secondary)
{
	const struct rte_eth_dev *sub;

	if (!secondary)
		return rxq->fp[s].rx_burst(rxq->sub_queue[s], pkts, n);
	sub = &rte_eth_devices[rxq->fp[s].port_id];
	if (unlikely(sub->state != RTE_ETH_DEV_ATTACHED ||
		     sub->rx_pkt_burst == NULL))
		return 0;
	return sub->rx_pkt_burst(rxq->sub_queue[s], pkts, n);
}

static __rte_always_inline uint16_t
fo_rx_burst(struct failover_rxq *rxq, struct rte_mbuf **pkts,
		uint16_t nb_pkts, const bool secondary)
{
	uint16_t nb_vf = 0;
	uint16_t nb_syn = 0;
	uint32_t path;

	path = failover_handoff_enter(rxq->handoff, &rxq->reader);
	/* The common word first: synthetic only, one test. */
	if (!(path & (FO_PATH_VF_RX | FO_PATH_SYN_OFF))) {
		nb_syn = fo_rx(rxq, FO_SLOT_SYNTHETIC, pkts, nb_pkts,
				secondary);
		goto out;
	}
	if (unlikely(path & FO_PATH_SYN_OFF)) {
		/* The synthetic port is away: the VF alone, if any. */
		if (path & FO_PATH_VF_RX)
			nb_vf = fo_rx(rxq, FO_SLOT_VF, pkts, nb_pkts, secondary);
		failover_handoff_leave(&rxq->reader);
		if (nb_vf != 0)
			fo_count(&rxq->cnt.pkts_vf, nb_vf);
		fo_set_port(pkts, nb_vf, rxq->port_id);
		return nb_vf;
	}

	/*
	 * The VF first: when it is up it carries nearly everything. The
	 * synthetic port gets the room the VF left, and is polled first now
	 * and then so the VF filling every burst cannot starve it.
	 */
	if (unlikely(rxq->vf_full_streak >= FO_SYNTHETIC_POLL_EVERY)) {
		rxq->vf_full_streak = 0;
		nb_syn = fo_rx(rxq, FO_SLOT_SYNTHETIC, pkts, nb_pkts,
				secondary);
		if (nb_syn != 0 && (path & FO_PATH_VF_TX))
			fo_count(&rxq->cnt.synthetic_while_vf, nb_syn);
		if (nb_syn == nb_pkts)
			goto out; /* the VF was not polled */
		nb_vf = fo_rx(rxq, FO_SLOT_VF, pkts + nb_syn, nb_pkts - nb_syn,
				secondary);
	} else {
		nb_vf = fo_rx(rxq, FO_SLOT_VF, pkts, nb_pkts, secondary);
		if (nb_vf < nb_pkts) {
			rxq->vf_full_streak = 0;
			nb_syn = fo_rx(rxq, FO_SLOT_SYNTHETIC, pkts + nb_vf,
					nb_pkts - nb_vf, secondary);
			if (nb_syn != 0 && (path & FO_PATH_VF_TX))
				fo_count(&rxq->cnt.synthetic_while_vf, nb_syn);
		} else {
			rxq->vf_full_streak++;
		}
	}
	if (nb_vf != 0)
		fo_count(&rxq->cnt.pkts_vf, nb_vf);
	else
		fo_count(&rxq->cnt.vf_empty_polls, 1);
out:
	failover_handoff_leave(&rxq->reader);
	if (nb_syn != 0)
		fo_count(&rxq->cnt.pkts_synthetic, nb_syn);
	fo_set_port(pkts, nb_vf + nb_syn, rxq->port_id);
	return nb_vf + nb_syn;
}

uint16_t
failover_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	return fo_rx_burst(queue, pkts, nb_pkts, false);
}

/*
 * Only on a port whose hand-off is symmetric (mp_data_path=1): otherwise
 * the primary's quiescence wait cannot see this reader, and the burst
 * receives nothing.
 */
uint16_t
failover_rx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts)
{
	struct failover_rxq *rxq = queue;

	if (unlikely(rxq->handoff->asymmetric))
		return 0;
	return fo_rx_burst(rxq, pkts, nb_pkts, true);
}

static __rte_always_inline uint16_t
fo_tx(const struct failover_txq *txq, enum failover_slot s,
		struct rte_mbuf **pkts, uint16_t n, const bool secondary)
{
	const struct rte_eth_dev *sub;

	if (!secondary)
		return txq->fp[s].tx_burst(txq->sub_queue[s], pkts, n);
	sub = &rte_eth_devices[txq->fp[s].port_id];
	if (unlikely(sub->state != RTE_ETH_DEV_ATTACHED ||
		     sub->tx_pkt_burst == NULL))
		return 0;
	return sub->tx_pkt_burst(txq->sub_queue[s], pkts, n);
}

static __rte_always_inline uint16_t
fo_tx_burst(struct failover_txq *txq, struct rte_mbuf **pkts,
		uint16_t nb_pkts, const bool secondary)
{
	uint16_t nb, more;
	uint32_t path;

	path = failover_handoff_enter(txq->handoff, &txq->reader);
	if (!(path & FO_PATH_VF_TX)) {
		if (unlikely(path & FO_PATH_SYN_OFF)) {
			/* No path left: the application keeps its packets. */
			failover_handoff_leave(&txq->reader);
			fo_count(&txq->cnt.no_path, nb_pkts);
			return 0;
		}
		nb = fo_tx(txq, FO_SLOT_SYNTHETIC, pkts, nb_pkts, secondary);
		failover_handoff_leave(&txq->reader);
		fo_count(&txq->cnt.pkts_synthetic, nb);
		return nb;
	}
	nb = fo_tx(txq, FO_SLOT_VF, pkts, nb_pkts, secondary);
	failover_handoff_leave(&txq->reader);
	fo_count(&txq->cnt.pkts_vf, nb);
	if (likely(nb == nb_pkts))
		return nb;

	/*
	 * The VF took less than offered. If the path moved away from it in
	 * the meantime (it is being removed), the rest goes out on the new
	 * path rather than back to the application as unsent; otherwise this
	 * is ordinary back-pressure and the application keeps the rest.
	 */
	path = failover_handoff_enter(txq->handoff, &txq->reader);
	more = 0;
	if (!(path & (FO_PATH_VF_TX | FO_PATH_SYN_OFF)))
		more = fo_tx(txq, FO_SLOT_SYNTHETIC, pkts + nb, nb_pkts - nb,
				secondary);
	failover_handoff_leave(&txq->reader);
	if (more != 0) {
		fo_count(&txq->cnt.pkts_synthetic, more);
		fo_count(&txq->cnt.vf_retry_synthetic, more);
	}
	return nb + more;
}

uint16_t
failover_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	return fo_tx_burst(queue, pkts, nb_pkts, false);
}

/* As failover_rx_burst_secondary(): nothing sent on an asymmetric port. */
uint16_t
failover_tx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts)
{
	struct failover_txq *txq = queue;

	if (unlikely(txq->handoff->asymmetric))
		return 0;
	return fo_tx_burst(txq, pkts, nb_pkts, true);
}

/*
 * Tx prepare goes to the sub-port Tx uses now. Should the path move
 * before the burst, the packets leave by the other path prepared for this
 * one: both paths take the offloads in use (the port reports only those
 * both support), so what one prepared the other can send.
 */
uint16_t
failover_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct failover_txq *txq = queue;
	enum failover_slot s;
	uint16_t nb = nb_pkts;
	uint32_t path;

	path = failover_handoff_enter(txq->handoff, &txq->reader);
	s = (path & FO_PATH_VF_TX) ? FO_SLOT_VF : FO_SLOT_SYNTHETIC;
	/* With no path left there is nobody to prepare for. */
	if ((path & (FO_PATH_VF_TX | FO_PATH_SYN_OFF)) != FO_PATH_SYN_OFF &&
	    txq->fp[s].tx_prepare != NULL)
		nb = txq->fp[s].tx_prepare(txq->sub_queue[s], pkts, nb_pkts);
	failover_handoff_leave(&txq->reader);
	return nb;
}
