/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Ethdev operations of the failover port. What the application sets is
 * recorded in priv->cfg, applied to the synthetic port and to the VF when
 * one is held, and replayed on a VF that arrives later (failover_vf_setup).
 * Every operation runs under priv->lock.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "failover_private.h"

/* The VF takes part in configuration once it is adopted and not refused. */
static bool
fo_vf_in_config(const struct failover_priv *priv)
{
	return priv->vf.port_id != FO_NO_PORT && !priv->vf.gone &&
		priv->sm.state != FAILOVER_STATE_VF_REFUSED;
}

/* ----------------------------------------------------------------------
 * Recorded configuration
 * ---------------------------------------------------------------------- */

void
failover_config_free(struct failover_config *cfg)
{
	rte_free(cfg->rxq);
	rte_free(cfg->txq);
	cfg->rxq = NULL;
	cfg->txq = NULL;
	cfg->configured = false;
}

static int
fo_config_record(struct failover_config *cfg, uint16_t nb_rxq, uint16_t nb_txq,
		const struct rte_eth_conf *conf)
{
	struct failover_rxq_conf *rxq;
	struct failover_txq_conf *txq;
	uint16_t old_rx = cfg->configured ? cfg->nb_rx_queues : 0;
	uint16_t old_tx = cfg->configured ? cfg->nb_tx_queues : 0;

	rxq = rte_zmalloc("failover_rxq_conf",
		sizeof(*rxq) * RTE_MAX(nb_rxq, 1), 0);
	txq = rte_zmalloc("failover_txq_conf",
		sizeof(*txq) * RTE_MAX(nb_txq, 1), 0);
	if (rxq == NULL || txq == NULL) {
		rte_free(rxq);
		rte_free(txq);
		return -ENOMEM;
	}
	/* Queues set up before a re-configure keep their settings. */
	if (cfg->rxq != NULL)
		memcpy(rxq, cfg->rxq, sizeof(*rxq) * RTE_MIN(old_rx, nb_rxq));
	if (cfg->txq != NULL)
		memcpy(txq, cfg->txq, sizeof(*txq) * RTE_MIN(old_tx, nb_txq));
	rte_free(cfg->rxq);
	rte_free(cfg->txq);
	cfg->rxq = rxq;
	cfg->txq = txq;
	cfg->nb_rx_queues = nb_rxq;
	cfg->nb_tx_queues = nb_txq;
	cfg->dev_conf = *conf;
	cfg->rss_key_len = 0;
	if (conf->rx_adv_conf.rss_conf.rss_key != NULL) {
		cfg->rss_key_len = RTE_MIN(conf->rx_adv_conf.rss_conf.rss_key_len,
			(uint8_t)sizeof(cfg->rss_key));
		memcpy(cfg->rss_key, conf->rx_adv_conf.rss_conf.rss_key,
			cfg->rss_key_len);
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key = cfg->rss_key;
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key_len = cfg->rss_key_len;
	}
	cfg->mtu = conf->rxmode.mtu;
	cfg->configured = true;
	return 0;
}

/* ----------------------------------------------------------------------
 * Applying the configuration to one sub-port
 * ---------------------------------------------------------------------- */

static int
fo_sub_configure(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len)
{
	const struct failover_config *cfg = &priv->cfg;
	struct rte_eth_conf conf = cfg->dev_conf;
	uint16_t port = sp->port_id;
	uint16_t q;
	int ret;

	/*
	 * The failover port raises its own LSC; the sub-ports' interrupts
	 * are ours: ask each for what it can give.
	 */
	memset(&conf.intr_conf, 0, sizeof(conf.intr_conf));
	if (rte_eth_devices[port].data->dev_flags & RTE_ETH_DEV_INTR_LSC)
		conf.intr_conf.lsc = 1;
	if (rte_eth_devices[port].data->dev_flags & RTE_ETH_DEV_INTR_RMV)
		conf.intr_conf.rmv = 1;

	if (sp->started) {
		failover_own_vf_op(true);
		ret = rte_eth_dev_stop(port);
		failover_own_vf_op(false);
		if (ret < 0) {
			snprintf(why, len, "stop: %s", rte_strerror(-ret));
			return ret;
		}
		sp->started = false;
	}
	ret = rte_eth_dev_configure(port, cfg->nb_rx_queues, cfg->nb_tx_queues,
			&conf);
	if (ret < 0) {
		snprintf(why, len, "configure with %u Rx / %u Tx queues: %s",
			cfg->nb_rx_queues, cfg->nb_tx_queues, rte_strerror(-ret));
		return ret;
	}
	sp->configured = true;
	for (q = 0; q < cfg->nb_rx_queues; q++) {
		const struct failover_rxq_conf *rc = &cfg->rxq[q];

		if (!rc->set)
			continue;
		ret = rte_eth_rx_queue_setup(port, q, rc->nb_desc, rc->socket_id,
				&rc->conf, rc->mp);
		if (ret < 0) {
			snprintf(why, len, "Rx queue %u setup (%u descriptors): %s",
				q, rc->nb_desc, rte_strerror(-ret));
			return ret;
		}
	}
	for (q = 0; q < cfg->nb_tx_queues; q++) {
		const struct failover_txq_conf *tc = &cfg->txq[q];

		if (!tc->set)
			continue;
		ret = rte_eth_tx_queue_setup(port, q, tc->nb_desc, tc->socket_id,
				&tc->conf);
		if (ret < 0) {
			snprintf(why, len, "Tx queue %u setup (%u descriptors): %s",
				q, tc->nb_desc, rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_default_mac_addr_set(port, &priv->mac);
	if (ret < 0 && ret != -ENOTSUP)
		FO_LOG(NOTICE, "port %u: cannot set MAC on sub-port %u: %s",
			priv->port_id, port, rte_strerror(-ret));
	ret = priv->cfg.promiscuous ? rte_eth_promiscuous_enable(port) :
		rte_eth_promiscuous_disable(port);
	if (ret < 0 && ret != -ENOTSUP) {
		snprintf(why, len, "promiscuous %s: %s",
			priv->cfg.promiscuous ? "on" : "off", rte_strerror(-ret));
		return ret;
	}
	ret = priv->cfg.all_multicast ? rte_eth_allmulticast_enable(port) :
		rte_eth_allmulticast_disable(port);
	if (ret < 0 && ret != -ENOTSUP) {
		snprintf(why, len, "all-multicast %s: %s",
			priv->cfg.all_multicast ? "on" : "off", rte_strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * Take a started sub-port's burst functions and queues for the data path.
 * Only while no published word refers to @p slot: plain stores, made
 * visible to the bursts by the store-release of the next publication.
 */
void
failover_capture_fp(struct failover_priv *priv, enum failover_slot slot,
		uint16_t port_id)
{
	const struct rte_eth_dev *sub = &rte_eth_devices[port_id];
	uint16_t q;

	priv->fp[slot].rx_burst = sub->rx_pkt_burst;
	priv->fp[slot].tx_burst = sub->tx_pkt_burst;
	for (q = 0; q < priv->dev->data->nb_rx_queues; q++)
		if (priv->rxqs[q] != NULL)
			priv->rxqs[q]->sub_queue[slot] =
				q < sub->data->nb_rx_queues ?
				sub->data->rx_queues[q] : NULL;
	for (q = 0; q < priv->dev->data->nb_tx_queues; q++)
		if (priv->txqs[q] != NULL)
			priv->txqs[q]->sub_queue[slot] =
				q < sub->data->nb_tx_queues ?
				sub->data->tx_queues[q] : NULL;
}

static int
fo_sub_start(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len)
{
	int ret;

	if (sp->started)
		return 0;
	ret = rte_eth_dev_start(sp->port_id);
	if (ret < 0) {
		snprintf(why, len, "start: %s", rte_strerror(-ret));
		return ret;
	}
	sp->started = true;
	failover_capture_fp(priv, sp == &priv->vf ? FO_SLOT_VF :
		FO_SLOT_SYNTHETIC, sp->port_id);
	return 0;
}

static void
fo_sub_stop(struct failover_subport *sp)
{
	if (sp->port_id == FO_NO_PORT || sp->gone || !sp->started)
		return;
	failover_own_vf_op(true);
	if (rte_eth_dev_stop(sp->port_id) == 0)
		sp->started = false;
	failover_own_vf_op(false);
}

/*
 * Bring a newly adopted VF to the failover port's configuration: configure,
 * queues, MAC, modes, and start it if the port is started. Called with
 * priv->lock held, before any traffic can be switched to the VF.
 */
int
failover_vf_setup(struct failover_priv *priv, char *why, size_t len)
{
	int ret;

	snprintf(why, len, "no error");
	if (!priv->cfg.configured)
		return 0; /* the configure op will bring it along */
	ret = fo_sub_configure(priv, &priv->vf, why, len);
	if (ret < 0)
		return ret;
	if (priv->sm.started)
		ret = fo_sub_start(priv, &priv->vf, why, len);
	return ret;
}

/* ----------------------------------------------------------------------
 * Operations
 * ---------------------------------------------------------------------- */

static int
fo_dev_configure(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_dev_data *data = dev->data;
	char why[128];
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = fo_config_record(&priv->cfg, data->nb_rx_queues,
			data->nb_tx_queues, &data->dev_conf);
	if (ret < 0)
		goto out;
	ret = fo_sub_configure(priv, &priv->synthetic, why, sizeof(why));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port %u: %s", priv->port_id,
			priv->synthetic.port_id, why);
		goto out;
	}
	if (fo_vf_in_config(priv)) {
		ret = fo_sub_configure(priv, &priv->vf, why, sizeof(why));
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF port %u: %s", priv->port_id,
				priv->vf.port_id, why);
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static void
fo_info_intersect(struct rte_eth_dev_info *info,
		const struct rte_eth_dev_info *o)
{
	info->max_rx_queues = RTE_MIN(info->max_rx_queues, o->max_rx_queues);
	info->max_tx_queues = RTE_MIN(info->max_tx_queues, o->max_tx_queues);
	info->max_rx_pktlen = RTE_MIN(info->max_rx_pktlen, o->max_rx_pktlen);
	info->min_rx_bufsize = RTE_MAX(info->min_rx_bufsize, o->min_rx_bufsize);
	info->min_mtu = RTE_MAX(info->min_mtu, o->min_mtu);
	info->max_mtu = RTE_MIN(info->max_mtu, o->max_mtu);
	info->max_mac_addrs = RTE_MIN(info->max_mac_addrs, o->max_mac_addrs);
	info->max_hash_mac_addrs = RTE_MIN(info->max_hash_mac_addrs,
		o->max_hash_mac_addrs);
	info->rx_offload_capa &= o->rx_offload_capa;
	info->tx_offload_capa &= o->tx_offload_capa;
	info->rx_queue_offload_capa &= o->rx_queue_offload_capa;
	info->tx_queue_offload_capa &= o->tx_queue_offload_capa;
	info->flow_type_rss_offloads &= o->flow_type_rss_offloads;
	info->reta_size = RTE_MIN(info->reta_size, o->reta_size);
	info->hash_key_size = RTE_MIN(info->hash_key_size, o->hash_key_size);
	info->speed_capa |= o->speed_capa;
	info->rx_desc_lim.nb_max = RTE_MIN(info->rx_desc_lim.nb_max,
		o->rx_desc_lim.nb_max);
	info->rx_desc_lim.nb_min = RTE_MAX(info->rx_desc_lim.nb_min,
		o->rx_desc_lim.nb_min);
	info->rx_desc_lim.nb_align = RTE_MAX(info->rx_desc_lim.nb_align,
		o->rx_desc_lim.nb_align);
	info->tx_desc_lim.nb_max = RTE_MIN(info->tx_desc_lim.nb_max,
		o->tx_desc_lim.nb_max);
	info->tx_desc_lim.nb_min = RTE_MAX(info->tx_desc_lim.nb_min,
		o->tx_desc_lim.nb_min);
	info->tx_desc_lim.nb_align = RTE_MAX(info->tx_desc_lim.nb_align,
		o->tx_desc_lim.nb_align);
	info->dev_capa &= o->dev_capa;
}

static int
fo_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_dev_info sub;
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = rte_eth_dev_info_get(priv->synthetic.port_id, &sub);
	if (ret < 0)
		goto out;
	info->max_rx_queues = sub.max_rx_queues;
	info->max_tx_queues = sub.max_tx_queues;
	info->max_rx_pktlen = sub.max_rx_pktlen;
	info->min_rx_bufsize = sub.min_rx_bufsize;
	info->min_mtu = sub.min_mtu;
	info->max_mtu = sub.max_mtu;
	info->max_mac_addrs = 1;
	info->max_hash_mac_addrs = sub.max_hash_mac_addrs;
	info->rx_offload_capa = sub.rx_offload_capa;
	info->tx_offload_capa = sub.tx_offload_capa;
	info->rx_queue_offload_capa = sub.rx_queue_offload_capa;
	info->tx_queue_offload_capa = sub.tx_queue_offload_capa;
	info->flow_type_rss_offloads = sub.flow_type_rss_offloads;
	info->reta_size = sub.reta_size;
	info->hash_key_size = sub.hash_key_size;
	info->speed_capa = sub.speed_capa;
	info->rx_desc_lim = sub.rx_desc_lim;
	info->tx_desc_lim = sub.tx_desc_lim;
	info->default_rxconf = sub.default_rxconf;
	info->default_txconf = sub.default_txconf;
	info->default_rxportconf = sub.default_rxportconf;
	info->default_txportconf = sub.default_txportconf;
	/* Queues cannot be set up on a running port: a VF may join anytime. */
	info->dev_capa = sub.dev_capa &
		~(RTE_ETH_DEV_CAPA_RUNTIME_RX_QUEUE_SETUP |
		  RTE_ETH_DEV_CAPA_RUNTIME_TX_QUEUE_SETUP);
	if (fo_vf_in_config(priv) &&
	    rte_eth_dev_info_get(priv->vf.port_id, &sub) == 0)
		fo_info_intersect(info, &sub);
	ret = 0;
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int
fo_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mp)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_rxq_conf *rc;
	struct failover_rxq *rxq;
	int ret;

	pthread_mutex_lock(&priv->lock);
	rc = &priv->cfg.rxq[qid];
	ret = rte_eth_rx_queue_setup(priv->synthetic.port_id, qid, nb_desc,
			socket_id, conf, mp);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic Rx queue %u setup: %s",
			priv->port_id, qid, rte_strerror(-ret));
		goto out;
	}
	if (fo_vf_in_config(priv) && priv->vf.configured) {
		ret = rte_eth_rx_queue_setup(priv->vf.port_id, qid, nb_desc,
				socket_id, conf, mp);
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF Rx queue %u setup: %s",
				priv->port_id, qid, rte_strerror(-ret));
			goto out;
		}
	}
	rxq = priv->rxqs[qid];
	if (rxq == NULL) {
		rxq = rte_zmalloc_socket("failover_rxq", sizeof(*rxq),
				RTE_CACHE_LINE_SIZE, socket_id);
		if (rxq == NULL) {
			ret = -ENOMEM;
			goto out;
		}
		ret = failover_handoff_reader_add(&priv->handoff, &rxq->reader);
		if (ret < 0) {
			rte_free(rxq);
			goto out;
		}
		priv->rxqs[qid] = rxq;
	}
	rxq->handoff = &priv->handoff;
	rxq->fp = priv->fp;
	rxq->queue_id = qid;
	rxq->port_id = priv->port_id;
	rxq->priv = priv;
	dev->data->rx_queues[qid] = rxq;
	rc->set = true;
	rc->nb_desc = nb_desc;
	rc->socket_id = socket_id;
	rc->conf = *conf;
	rc->mp = mp;
	ret = 0;
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int
fo_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_txq_conf *tc;
	struct failover_txq *txq;
	int ret;

	pthread_mutex_lock(&priv->lock);
	tc = &priv->cfg.txq[qid];
	ret = rte_eth_tx_queue_setup(priv->synthetic.port_id, qid, nb_desc,
			socket_id, conf);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic Tx queue %u setup: %s",
			priv->port_id, qid, rte_strerror(-ret));
		goto out;
	}
	if (fo_vf_in_config(priv) && priv->vf.configured) {
		ret = rte_eth_tx_queue_setup(priv->vf.port_id, qid, nb_desc,
				socket_id, conf);
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF Tx queue %u setup: %s",
				priv->port_id, qid, rte_strerror(-ret));
			goto out;
		}
	}
	txq = priv->txqs[qid];
	if (txq == NULL) {
		txq = rte_zmalloc_socket("failover_txq", sizeof(*txq),
				RTE_CACHE_LINE_SIZE, socket_id);
		if (txq == NULL) {
			ret = -ENOMEM;
			goto out;
		}
		ret = failover_handoff_reader_add(&priv->handoff, &txq->reader);
		if (ret < 0) {
			rte_free(txq);
			goto out;
		}
		priv->txqs[qid] = txq;
	}
	txq->handoff = &priv->handoff;
	txq->fp = priv->fp;
	txq->queue_id = qid;
	txq->priv = priv;
	dev->data->tx_queues[qid] = txq;
	tc->set = true;
	tc->nb_desc = nb_desc;
	tc->socket_id = socket_id;
	tc->conf = *conf;
	ret = 0;
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

/*
 * ethdev releases queues only while the port is stopped, so no burst runs
 * on them; our per-queue state stays (counters, reader slot) until close,
 * so that a queue set up again keeps its counters.
 */
static void
fo_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct failover_priv *priv = failover_priv(dev);

	pthread_mutex_lock(&priv->lock);
	if (priv->cfg.rxq != NULL && qid < priv->cfg.nb_rx_queues)
		priv->cfg.rxq[qid].set = false;
	dev->data->rx_queues[qid] = NULL;
	pthread_mutex_unlock(&priv->lock);
}

static void
fo_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct failover_priv *priv = failover_priv(dev);

	pthread_mutex_lock(&priv->lock);
	if (priv->cfg.txq != NULL && qid < priv->cfg.nb_tx_queues)
		priv->cfg.txq[qid].set = false;
	dev->data->tx_queues[qid] = NULL;
	pthread_mutex_unlock(&priv->lock);
}

static int
fo_dev_start(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	char why[128];
	uint16_t q;
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = fo_sub_start(priv, &priv->synthetic, why, sizeof(why));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port %u: %s", priv->port_id,
			priv->synthetic.port_id, why);
		goto out;
	}
	if (fo_vf_in_config(priv) && priv->vf.configured) {
		ret = fo_sub_start(priv, &priv->vf, why, sizeof(why));
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF port %u: %s", priv->port_id,
				priv->vf.port_id, why);
			fo_sub_stop(&priv->synthetic);
			goto out;
		}
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	/* The VF's link may have come up with its start: tell the machine. */
	if (fo_vf_in_config(priv))
		failover_vf_link_refresh(priv, "VF started");
	failover_sm_event(priv, FAILOVER_EV_STARTED, "port started");
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int
fo_dev_stop(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_link link;
	uint16_t q;

	pthread_mutex_lock(&priv->lock);
	failover_sm_event(priv, FAILOVER_EV_STOPPED, "port stopped");
	fo_sub_stop(&priv->vf);
	fo_sub_stop(&priv->synthetic);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	memset(&link, 0, sizeof(link));
	link.link_status = RTE_ETH_LINK_DOWN;
	rte_eth_linkstatus_set(dev, &link);
	priv->link_up_reported = false;
	pthread_mutex_unlock(&priv->lock);
	return 0;
}

static int
fo_dev_close(struct rte_eth_dev *dev)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	failover_dev_teardown(failover_priv(dev));
	return 0;
}

static int
fo_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_link link;
	int ret;

	RTE_SET_USED(wait_to_complete);
	pthread_mutex_lock(&priv->lock);
	failover_aggregate_link(priv, &link);
	ret = rte_eth_linkstatus_set(dev, &link);
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

/* Apply a mode to both sub-ports; the VF may lack it (-ENOTSUP). */
typedef int (*fo_port_fn)(uint16_t port_id);

static int
fo_apply_mode(struct rte_eth_dev *dev, fo_port_fn fn, bool *record, bool on,
		const char *what)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = fn(priv->synthetic.port_id);
	if (ret < 0 && ret != -ENOTSUP) {
		FO_LOG(ERR, "port %u: synthetic port: %s: %s", priv->port_id,
			what, rte_strerror(-ret));
		goto out;
	}
	if (fo_vf_in_config(priv) && priv->vf.configured) {
		ret = fn(priv->vf.port_id);
		if (ret < 0 && ret != -ENOTSUP) {
			FO_LOG(ERR, "port %u: VF port: %s: %s", priv->port_id,
				what, rte_strerror(-ret));
			goto out;
		}
	}
	*record = on;
	ret = 0;
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int
fo_promiscuous_enable(struct rte_eth_dev *dev)
{
	return fo_apply_mode(dev, rte_eth_promiscuous_enable,
		&failover_priv(dev)->cfg.promiscuous, true, "promiscuous on");
}

static int
fo_promiscuous_disable(struct rte_eth_dev *dev)
{
	return fo_apply_mode(dev, rte_eth_promiscuous_disable,
		&failover_priv(dev)->cfg.promiscuous, false, "promiscuous off");
}

static int
fo_allmulticast_enable(struct rte_eth_dev *dev)
{
	return fo_apply_mode(dev, rte_eth_allmulticast_enable,
		&failover_priv(dev)->cfg.all_multicast, true, "all-multicast on");
}

static int
fo_allmulticast_disable(struct rte_eth_dev *dev)
{
	return fo_apply_mode(dev, rte_eth_allmulticast_disable,
		&failover_priv(dev)->cfg.all_multicast, false,
		"all-multicast off");
}

static int
fo_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = rte_eth_dev_set_mtu(priv->synthetic.port_id, mtu);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: MTU %u: %s",
			priv->port_id, mtu, rte_strerror(-ret));
		goto out;
	}
	if (fo_vf_in_config(priv) && priv->vf.configured) {
		ret = rte_eth_dev_set_mtu(priv->vf.port_id, mtu);
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF port: MTU %u: %s",
				priv->port_id, mtu, rte_strerror(-ret));
			goto out;
		}
	}
	priv->cfg.mtu = mtu;
	priv->cfg.dev_conf.rxmode.mtu = mtu;
out:
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int
fo_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	pthread_mutex_lock(&priv->lock);
	ret = rte_eth_dev_default_mac_addr_set(priv->synthetic.port_id, mac);
	if (ret < 0 && ret != -ENOTSUP)
		goto out;
	if (fo_vf_in_config(priv)) {
		ret = rte_eth_dev_default_mac_addr_set(priv->vf.port_id, mac);
		if (ret < 0 && ret != -ENOTSUP)
			goto out;
	}
	rte_ether_addr_copy(mac, &priv->mac);
	ret = 0;
out:
	if (ret < 0)
		FO_LOG(ERR, "port %u: set MAC: %s", priv->port_id,
			rte_strerror(-ret));
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

const struct eth_dev_ops failover_ops = {
	.dev_configure = fo_dev_configure,
	.dev_infos_get = fo_dev_infos_get,
	.dev_start = fo_dev_start,
	.dev_stop = fo_dev_stop,
	.dev_close = fo_dev_close,
	.link_update = fo_link_update,
	.rx_queue_setup = fo_rx_queue_setup,
	.tx_queue_setup = fo_tx_queue_setup,
	.rx_queue_release = fo_rx_queue_release,
	.tx_queue_release = fo_tx_queue_release,
	.promiscuous_enable = fo_promiscuous_enable,
	.promiscuous_disable = fo_promiscuous_disable,
	.allmulticast_enable = fo_allmulticast_enable,
	.allmulticast_disable = fo_allmulticast_disable,
	.mtu_set = fo_mtu_set,
	.mac_addr_set = fo_mac_addr_set,
	.stats_get = failover_stats_get,
	.stats_reset = failover_stats_reset,
};
