/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Statistics of the failover port, which never go backwards.
 *
 * Each sub-port's counters are folded into an accumulator by positive
 * deltas (as Linux net_failover does): every read adds what grew since the
 * previous read, and a counter found smaller than before (the device reset
 * it, or a new VF started from zero) adds its whole new value. A VF that
 * leaves is read one last time if it still answers (or its last counters
 * were kept when it was taken out from under us), and a new VF starts from
 * a previous reading of zero. The port reports the sum of both
 * accumulators, except for packet counts: those the bursts count
 * themselves, per queue and exactly, whatever happens to the sub-ports.
 */

#include <string.h>

#include "failover_private.h"

#define FO_NB_COUNTERS	FO_STATS_COUNTERS

/* The counters of struct rte_eth_stats, as one flat array. */
static void
fo_stats_flatten(const struct rte_eth_stats *s, uint64_t *v)
{
	unsigned int i, n = 0;

	v[n++] = s->ipackets;
	v[n++] = s->opackets;
	v[n++] = s->ibytes;
	v[n++] = s->obytes;
	v[n++] = s->imissed;
	v[n++] = s->ierrors;
	v[n++] = s->oerrors;
	v[n++] = s->rx_nombuf;
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		v[n++] = s->q_ipackets[i];
		v[n++] = s->q_opackets[i];
		v[n++] = s->q_ibytes[i];
		v[n++] = s->q_obytes[i];
		v[n++] = s->q_errors[i];
	}
}

static void
fo_stats_add_flat(struct rte_eth_stats *s, const uint64_t *v)
{
	unsigned int i, n = 0;

	s->ipackets += v[n++];
	s->opackets += v[n++];
	s->ibytes += v[n++];
	s->obytes += v[n++];
	s->imissed += v[n++];
	s->ierrors += v[n++];
	s->oerrors += v[n++];
	s->rx_nombuf += v[n++];
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		s->q_ipackets[i] += v[n++];
		s->q_opackets[i] += v[n++];
		s->q_ibytes[i] += v[n++];
		s->q_obytes[i] += v[n++];
		s->q_errors[i] += v[n++];
	}
}

static bool
fo_sub_readable(const struct failover_subport *sp)
{
	return sp->port_id != FO_NO_PORT && !sp->gone &&
		rte_eth_dev_is_valid_port(sp->port_id);
}

static void
fo_stats_fold(struct failover_stats_acc *a, const struct rte_eth_stats *s)
{
	uint64_t cur[FO_NB_COUNTERS];
	unsigned int i;

	fo_stats_flatten(s, cur);
	for (i = 0; i < FO_NB_COUNTERS; i++) {
		a->acc[i] += cur[i] >= a->prev[i] ? cur[i] - a->prev[i] : cur[i];
		a->prev[i] = cur[i];
	}
}

/* Read a sub-port and fold what grew into its accumulator. */
static void
fo_stats_poll(const struct failover_subport *sp, struct failover_stats_acc *a)
{
	struct rte_eth_stats s;

	if (fo_sub_readable(sp) && rte_eth_stats_get(sp->port_id, &s) == 0)
		fo_stats_fold(a, &s);
}

/*
 * From the DESTROY callback, while the port still answers: keep its last
 * counters for the fold that follows on the control thread.
 */
void
failover_stats_snapshot_vf(struct failover_priv *priv, uint16_t port_id)
{
	struct rte_eth_stats s;

	if (rte_eth_stats_get(port_id, &s) != 0)
		return;
	pthread_mutex_lock(&priv->publish_lock);
	priv->vf_final = s;
	priv->vf_final_valid = true;
	pthread_mutex_unlock(&priv->publish_lock);
}

/* Called with priv->lock held, before the VF is released. */
void
failover_stats_fold_vf(struct failover_priv *priv)
{
	struct rte_eth_stats s;
	bool final;

	pthread_mutex_lock(&priv->publish_lock);
	final = priv->vf_final_valid;
	s = priv->vf_final;
	priv->vf_final_valid = false;
	pthread_mutex_unlock(&priv->publish_lock);
	if (fo_sub_readable(&priv->vf))
		fo_stats_poll(&priv->vf, &priv->vf_stats);
	else if (final)
		fo_stats_fold(&priv->vf_stats, &s);
	/* The next VF counts from zero. */
	memset(priv->vf_stats.prev, 0, sizeof(priv->vf_stats.prev));
}

static uint64_t
fo_rxq_total(const struct failover_rxq *q)
{
	/* Relaxed: each counter has one writer, the lcore of the queue. */
	return __atomic_load_n(&q->cnt.pkts_vf, __ATOMIC_RELAXED) +
		__atomic_load_n(&q->cnt.pkts_synthetic, __ATOMIC_RELAXED);
}

static uint64_t
fo_txq_total(const struct failover_txq *q)
{
	return __atomic_load_n(&q->cnt.pkts_vf, __ATOMIC_RELAXED) +
		__atomic_load_n(&q->cnt.pkts_synthetic, __ATOMIC_RELAXED);
}

/* Packets through the port's own queues, since the last reset. */
static void
fo_stats_packets(const struct failover_priv *priv, struct rte_eth_stats *st)
{
	uint64_t n;
	uint16_t q;

	st->ipackets = 0;
	st->opackets = 0;
	memset(st->q_ipackets, 0, sizeof(st->q_ipackets));
	memset(st->q_opackets, 0, sizeof(st->q_opackets));
	/* Every queue ever set up: one dropped by a re-configure counted. */
	for (q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++) {
		if (priv->rxqs[q] != NULL) {
			n = fo_rxq_total(priv->rxqs[q]) - priv->rxqs[q]->stats_base;
			st->ipackets += n;
			if (q < RTE_ETHDEV_QUEUE_STAT_CNTRS)
				st->q_ipackets[q] = n;
		}
		if (priv->txqs[q] != NULL) {
			n = fo_txq_total(priv->txqs[q]) - priv->txqs[q]->stats_base;
			st->opackets += n;
			if (q < RTE_ETHDEV_QUEUE_STAT_CNTRS)
				st->q_opackets[q] = n;
		}
	}
}

int
failover_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct failover_priv *priv = failover_priv(dev);

	pthread_mutex_lock(&priv->lock);
	fo_stats_poll(&priv->synthetic, &priv->synthetic_stats);
	fo_stats_poll(&priv->vf, &priv->vf_stats);
	memset(stats, 0, sizeof(*stats));
	fo_stats_add_flat(stats, priv->synthetic_stats.acc);
	fo_stats_add_flat(stats, priv->vf_stats.acc);
	fo_stats_packets(priv, stats);
	pthread_mutex_unlock(&priv->lock);
	return 0;
}

/*
 * Start every counter again from zero: reset the sub-ports, and forget
 * both what was accumulated and the previous readings.
 */
int
failover_stats_reset(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret = 0;
	uint16_t q;

	pthread_mutex_lock(&priv->lock);
	/* The lcores own the counters: start from where they are now. */
	for (q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++) {
		if (priv->rxqs[q] != NULL)
			priv->rxqs[q]->stats_base = fo_rxq_total(priv->rxqs[q]);
		if (priv->txqs[q] != NULL)
			priv->txqs[q]->stats_base = fo_txq_total(priv->txqs[q]);
	}
	if (fo_sub_readable(&priv->synthetic))
		ret = rte_eth_stats_reset(priv->synthetic.port_id);
	if (ret == 0 && fo_sub_readable(&priv->vf))
		ret = rte_eth_stats_reset(priv->vf.port_id);
	memset(&priv->synthetic_stats, 0, sizeof(priv->synthetic_stats));
	memset(&priv->vf_stats, 0, sizeof(priv->vf_stats));
	/* A sub-port that cannot reset keeps counting from where it is. */
	if (ret != 0) {
		fo_stats_poll(&priv->synthetic, &priv->synthetic_stats);
		fo_stats_poll(&priv->vf, &priv->vf_stats);
		memset(priv->synthetic_stats.acc, 0,
			sizeof(priv->synthetic_stats.acc));
		memset(priv->vf_stats.acc, 0, sizeof(priv->vf_stats.acc));
		ret = 0;
	}
	pthread_mutex_unlock(&priv->lock);
	return ret;
}
