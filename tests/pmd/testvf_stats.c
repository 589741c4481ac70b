/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Basic and extended statistics of net_testvf. */

#include <stddef.h>
#include <string.h>

#include <rte_common.h>
#include <rte_string_fns.h>

#include "testvf_private.h"

/* Sums over all queues, relative to the last reset. */
struct testvf_totals {
	uint64_t ipackets;
	uint64_t ibytes;
	uint64_t injected;
	uint64_t overflow;
	uint64_t opackets;
	uint64_t obytes;
	uint64_t refused;
	uint64_t failed_bursts;
};

static const struct {
	const char *name;
	size_t offset;
} testvf_xstats[] = {
	{ "rx_injected", offsetof(struct testvf_totals, injected) },
	{ "rx_inject_overflow", offsetof(struct testvf_totals, overflow) },
	{ "tx_captured", offsetof(struct testvf_totals, opackets) },
	{ "tx_refused", offsetof(struct testvf_totals, refused) },
	{ "tx_failed_bursts", offsetof(struct testvf_totals, failed_bursts) },
};

#define TESTVF_NB_XSTATS RTE_DIM(testvf_xstats)

/* Counters of one queue since the last reset. Lock held. */
static void
testvf_rxq_read(const struct testvf_private *priv, unsigned int q,
		struct testvf_rxq_stats *out)
{
	const struct testvf_rxq_stats *live = &priv->rx_stats[q];
	const struct testvf_rxq_stats *base = &priv->rx_base[q];

	/* Relaxed: each counter is read alone, no ordering between them. */
	out->packets = __atomic_load_n(&live->packets, __ATOMIC_RELAXED) -
		base->packets;
	out->bytes = __atomic_load_n(&live->bytes, __ATOMIC_RELAXED) -
		base->bytes;
	out->injected = __atomic_load_n(&live->injected, __ATOMIC_RELAXED) -
		base->injected;
	out->overflow = __atomic_load_n(&live->overflow, __ATOMIC_RELAXED) -
		base->overflow;
}

static void
testvf_txq_read(const struct testvf_private *priv, unsigned int q,
		struct testvf_txq_stats *out)
{
	const struct testvf_txq_stats *live = &priv->tx_stats[q];
	const struct testvf_txq_stats *base = &priv->tx_base[q];

	/* Relaxed: each counter is read alone, no ordering between them. */
	out->packets = __atomic_load_n(&live->packets, __ATOMIC_RELAXED) -
		base->packets;
	out->bytes = __atomic_load_n(&live->bytes, __ATOMIC_RELAXED) -
		base->bytes;
	out->refused = __atomic_load_n(&live->refused, __ATOMIC_RELAXED) -
		base->refused;
	out->failed_bursts = __atomic_load_n(&live->failed_bursts,
			__ATOMIC_RELAXED) - base->failed_bursts;
}

/* Lock held. */
static void
testvf_totals_read(const struct testvf_private *priv,
		struct testvf_totals *t)
{
	struct testvf_rxq_stats rx;
	struct testvf_txq_stats tx;
	unsigned int q;

	memset(t, 0, sizeof(*t));
	for (q = 0; q < TESTVF_MAX_QUEUES; q++) {
		testvf_rxq_read(priv, q, &rx);
		testvf_txq_read(priv, q, &tx);
		t->ipackets += rx.packets;
		t->ibytes += rx.bytes;
		t->injected += rx.injected;
		t->overflow += rx.overflow;
		t->opackets += tx.packets;
		t->obytes += tx.bytes;
		t->refused += tx.refused;
		t->failed_bursts += tx.failed_bursts;
	}
}

/* Lock held. */
static void
testvf_counters_reset(struct testvf_private *priv)
{
	unsigned int q;

	for (q = 0; q < TESTVF_MAX_QUEUES; q++) {
		struct testvf_rxq_stats *rx = &priv->rx_base[q];
		struct testvf_txq_stats *tx = &priv->tx_base[q];

		/* Relaxed: a snapshot; counts racing with it go either side. */
		rx->packets = __atomic_load_n(&priv->rx_stats[q].packets,
				__ATOMIC_RELAXED);
		rx->bytes = __atomic_load_n(&priv->rx_stats[q].bytes,
				__ATOMIC_RELAXED);
		rx->injected = __atomic_load_n(&priv->rx_stats[q].injected,
				__ATOMIC_RELAXED);
		rx->overflow = __atomic_load_n(&priv->rx_stats[q].overflow,
				__ATOMIC_RELAXED);
		tx->packets = __atomic_load_n(&priv->tx_stats[q].packets,
				__ATOMIC_RELAXED);
		tx->bytes = __atomic_load_n(&priv->tx_stats[q].bytes,
				__ATOMIC_RELAXED);
		tx->refused = __atomic_load_n(&priv->tx_stats[q].refused,
				__ATOMIC_RELAXED);
		tx->failed_bursts = __atomic_load_n(
				&priv->tx_stats[q].failed_bursts,
				__ATOMIC_RELAXED);
	}
}

/*
 * imissed counts injected packets that did not fit in the Rx ring, oerrors
 * the packets a Tx burst refused (ring full, forced failure, removed).
 */
int
testvf_stats_read(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		failover_qstats *qstats)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_rxq_stats rx;
	struct testvf_txq_stats tx;
	const unsigned int nb_q = RTE_MIN(TESTVF_MAX_QUEUES,
			RTE_ETHDEV_QUEUE_STAT_CNTRS);
	struct testvf_totals t;
	unsigned int q;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.stats_get++;
	testvf_totals_read(priv, &t);
	for (q = 0; qstats != NULL && q < nb_q; q++) {
		testvf_rxq_read(priv, q, &rx);
		testvf_txq_read(priv, q, &tx);
		qstats->q_ipackets[q] = rx.packets;
		qstats->q_ibytes[q] = rx.bytes;
		qstats->q_opackets[q] = tx.packets;
		qstats->q_obytes[q] = tx.bytes;
	}
	rte_spinlock_unlock(&priv->lock);

	stats->ipackets = t.ipackets;
	stats->ibytes = t.ibytes;
	stats->imissed = t.overflow;
	stats->opackets = t.opackets;
	stats->obytes = t.obytes;
	stats->oerrors = t.refused;
	return 0;
}

int
testvf_stats_reset(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.stats_reset++;
	testvf_counters_reset(priv);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

int
testvf_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_totals t;
	unsigned int i;

	if (n < TESTVF_NB_XSTATS || xstats == NULL)
		return TESTVF_NB_XSTATS;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.xstats_get++;
	testvf_totals_read(priv, &t);
	rte_spinlock_unlock(&priv->lock);

	for (i = 0; i < TESTVF_NB_XSTATS; i++) {
		xstats[i].id = i;
		memcpy(&xstats[i].value, (const char *)&t + testvf_xstats[i].offset,
			sizeof(xstats[i].value));
	}
	return TESTVF_NB_XSTATS;
}

int
testvf_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	struct testvf_private *priv = testvf_priv(dev);
	unsigned int i;

	if (names == NULL || size < TESTVF_NB_XSTATS)
		return TESTVF_NB_XSTATS;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.xstats_get_names++;
	rte_spinlock_unlock(&priv->lock);
	for (i = 0; i < TESTVF_NB_XSTATS; i++)
		strlcpy(names[i].name, testvf_xstats[i].name,
			sizeof(names[i].name));
	return TESTVF_NB_XSTATS;
}

/* Ethdev calls this instead of stats_reset: reset basic stats too. */
int
testvf_xstats_reset(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.xstats_reset++;
	testvf_counters_reset(priv);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}
