/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Statistics of the failover port: the sum of both sub-ports, plus what
 * VFs that have left had counted (folded in when they leave), so that the
 * totals never go backwards across VF churn.
 */

#include <string.h>

#include "failover_private.h"

static void
fo_stats_add(struct rte_eth_stats *acc, const struct rte_eth_stats *s)
{
	unsigned int i;

	acc->ipackets += s->ipackets;
	acc->opackets += s->opackets;
	acc->ibytes += s->ibytes;
	acc->obytes += s->obytes;
	acc->imissed += s->imissed;
	acc->ierrors += s->ierrors;
	acc->oerrors += s->oerrors;
	acc->rx_nombuf += s->rx_nombuf;
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		acc->q_ipackets[i] += s->q_ipackets[i];
		acc->q_opackets[i] += s->q_opackets[i];
		acc->q_ibytes[i] += s->q_ibytes[i];
		acc->q_obytes[i] += s->q_obytes[i];
		acc->q_errors[i] += s->q_errors[i];
	}
}

static bool
fo_sub_readable(const struct failover_subport *sp)
{
	return sp->port_id != FO_NO_PORT && !sp->gone &&
		rte_eth_dev_is_valid_port(sp->port_id);
}

/* Called with priv->lock held, before the VF is released. */
void
failover_stats_fold_vf(struct failover_priv *priv)
{
	struct rte_eth_stats s;

	if (!fo_sub_readable(&priv->vf))
		return;
	if (rte_eth_stats_get(priv->vf.port_id, &s) == 0)
		fo_stats_add(&priv->vf_acc.base, &s);
}

int
failover_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_stats s;

	pthread_mutex_lock(&priv->lock);
	memset(stats, 0, sizeof(*stats));
	fo_stats_add(stats, &priv->vf_acc.base);
	if (fo_sub_readable(&priv->synthetic) &&
	    rte_eth_stats_get(priv->synthetic.port_id, &s) == 0)
		fo_stats_add(stats, &s);
	if (fo_sub_readable(&priv->vf) &&
	    rte_eth_stats_get(priv->vf.port_id, &s) == 0)
		fo_stats_add(stats, &s);
	pthread_mutex_unlock(&priv->lock);
	return 0;
}

int
failover_stats_reset(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret = 0;

	pthread_mutex_lock(&priv->lock);
	memset(&priv->vf_acc, 0, sizeof(priv->vf_acc));
	if (fo_sub_readable(&priv->synthetic))
		ret = rte_eth_stats_reset(priv->synthetic.port_id);
	if (ret == 0 && fo_sub_readable(&priv->vf))
		ret = rte_eth_stats_reset(priv->vf.port_id);
	pthread_mutex_unlock(&priv->lock);
	return ret;
}
