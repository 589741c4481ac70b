/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Ethdev operations of the failover port: the eth_dev_ops table and the
 * operations on the port as a whole (configure, info, queues, start, stop,
 * close, link, modes, MTU, default MAC address). Filters are in
 * failover_filters.c, rte_flow in failover_flow.c, statistics in
 * failover_stats.c. What the application sets is recorded in priv->cfg
 * and replayed on a VF that arrives later (failover_replay.c). Every
 * operation runs under priv->lock.
 *
 * An operation is applied to the synthetic port first, then to the VF, and
 * recorded only once both took it. When the VF fails it, the synthetic
 * port is set back and the error goes to the application: while a VF takes
 * part, the port can do what both paths can (as dev_info says).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "failover_private.h"

/* The Toeplitz key length of most PMDs, net_null included. */
#define FO_RSS_KEY_SIZE_DEFAULT	40

/* The VF takes part in configuration once it is adopted and not refused. */
bool
failover_vf_in_config(const struct failover_priv *priv)
{
	return priv->vf.port_id != FO_NO_PORT && !priv->vf.gone &&
		priv->sm.state != FAILOVER_STATE_VF_REFUSED;
}

/*
 * The sub-port that answers a query for the port: the synthetic one, or
 * the VF while the synthetic port is away (FO_NO_PORT: none is there).
 */
uint16_t
failover_answer_port(const struct failover_priv *priv)
{
	if (FO_SYN_IN(priv))
		return priv->synthetic.port_id;
	return failover_vf_in_config(priv) ? priv->vf.port_id : FO_NO_PORT;
}

/* ... and it can be given queue, mode and offload settings. */
bool
failover_vf_configured(const struct failover_priv *priv)
{
	return failover_vf_in_config(priv) && priv->vf.configured;
}

/*
 * Whether the VF's answer @p ret fails the operation. A VF removed or
 * closed under us (the event not handled yet) fails everything; it is on
 * its way out and whatever comes back gets the recorded configuration.
 */
bool
failover_vf_failed(const struct failover_priv *priv, int ret)
{
	return ret < 0 && ret != -ENODEV &&
		!rte_eth_dev_is_removed(priv->vf.port_id);
}

/*
 * The configuration changed in a way that may let a refused VF fit now:
 * try it again (it is refused again, with the reason, if not).
 */
void
failover_config_changed(struct failover_priv *priv, const char *what)
{
	if (priv->sm.state == FAILOVER_STATE_VF_REFUSED)
		failover_sm_event(priv, FAILOVER_EV_RETRY, what);
}

/* ----------------------------------------------------------------------
 * Starting and stopping a sub-port
 * ---------------------------------------------------------------------- */

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
	priv->fp[slot].tx_prepare = sub->tx_pkt_prepare;
	priv->fp[slot].port_id = port_id;
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

int
failover_sub_start(struct failover_priv *priv, struct failover_subport *sp,
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
	if (!failover_sub_usable(sp) || !sp->started)
		return;
	failover_own_op(true);
	if (rte_eth_dev_stop(sp->port_id) == 0)
		sp->started = false;
	failover_own_op(false);
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

	/* Installed before start, like the bursts: ethdev copies it then. */
	dev->tx_pkt_prepare = failover_tx_prepare;
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = failover_config_record(&priv->cfg, data->nb_rx_queues,
			data->nb_tx_queues, &data->dev_conf);
	if (ret < 0)
		goto out;
	ret = !FO_SYN_IN(priv) ? 0 :
		failover_sub_configure(priv, &priv->synthetic, why, sizeof(why));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port %u: %s", priv->port_id,
			priv->synthetic.port_id, why);
		goto out;
	}
	if (failover_vf_in_config(priv)) {
		ret = failover_sub_configure(priv, &priv->vf, why, sizeof(why));
		if (ret < 0) {
			FO_LOG(ERR, "port %u: VF port %u: %s", priv->port_id,
				priv->vf.port_id, why);
			goto out;
		}
	}
	failover_config_changed(priv, "configuration changed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/*
 * ethdev indexes the port's MAC table (dev->data->mac_addrs) up to the
 * max_mac_addrs reported here; probe allocated it for the default address
 * only. Grow it once to FO_MAX_MAC_ADDRS. Returns its size.
 */
static uint16_t
fo_mac_table_size(struct failover_priv *priv)
{
	struct rte_eth_dev_data *data = priv->dev->data;
	struct rte_ether_addr *macs;

	if (priv->cfg.mac_table_size != 0)
		return priv->cfg.mac_table_size;
	macs = rte_zmalloc("failover_mac", sizeof(*macs) * FO_MAX_MAC_ADDRS,
		0);
	if (macs == NULL)
		return 1;
	rte_ether_addr_copy(&data->mac_addrs[0], &macs[0]);
	rte_free(data->mac_addrs);
	data->mac_addrs = macs;
	priv->cfg.mac_table_size = FO_MAX_MAC_ADDRS;
	return FO_MAX_MAC_ADDRS;
}

/*
 * The RSS key size both paths take. Some PMDs (net_null) hash with a key
 * but leave hash_key_size at 0: a size one of them does not state is the
 * other's (fo_dev_infos_get() gives the 40-byte Toeplitz key those PMDs
 * use when neither states one).
 */
static uint8_t
fo_key_size_common(uint8_t a, uint8_t b)
{
	if (a != 0 && b != 0)
		return RTE_MIN(a, b);
	return a != 0 ? a : b;
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
	info->hash_key_size = fo_key_size_common(info->hash_key_size,
		o->hash_key_size);
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

	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	/*
	 * The synthetic port's capabilities, or the last ones it reported
	 * while it is away: what the application was told stays true.
	 */
	if (FO_SYN_IN(priv)) {
		ret = rte_eth_dev_info_get(priv->synthetic.port_id, &sub);
		if (ret < 0)
			goto out;
		priv->synthetic_info = sub;
	} else {
		sub = priv->synthetic_info;
	}
	info->max_rx_queues = sub.max_rx_queues;
	info->max_tx_queues = sub.max_tx_queues;
	info->max_rx_pktlen = sub.max_rx_pktlen;
	info->min_rx_bufsize = sub.min_rx_bufsize;
	info->min_mtu = sub.min_mtu;
	info->max_mtu = sub.max_mtu;
	info->max_mac_addrs = RTE_MIN(fo_mac_table_size(priv),
		sub.max_mac_addrs);
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
	if (failover_vf_in_config(priv) &&
	    rte_eth_dev_info_get(priv->vf.port_id, &sub) == 0)
		fo_info_intersect(info, &sub);
	/* Hashing with no key size stated: applications could neither read
	 * nor set the key (testpmd: "dev_info did not provide a valid hash
	 * key size"). */
	if (info->hash_key_size == 0 && info->flow_type_rss_offloads != 0)
		info->hash_key_size = FO_RSS_KEY_SIZE_DEFAULT;
	ret = 0;
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/*
 * Packet types the application may rely on: those both paths report,
 * since Rx takes packets from either. Kept in priv->cfg, whose ptypes
 * ethdev reads after we return.
 */
static const uint32_t *
fo_supported_ptypes(struct rte_eth_dev *dev, size_t *no_of_elements)
{
	struct failover_priv *priv = failover_priv(dev);
	uint32_t *out = priv->cfg.ptypes;
	uint32_t vf[FO_MAX_PTYPES];
	int nb, nb_vf, i, j, k;

	pthread_mutex_lock(priv->lock);
	nb = rte_eth_dev_get_supported_ptypes(failover_answer_port(priv),
			RTE_PTYPE_ALL_MASK, out, FO_MAX_PTYPES);
	nb = RTE_MAX(RTE_MIN(nb, FO_MAX_PTYPES), 0);
	if (nb != 0 && FO_SYN_IN(priv) && failover_vf_in_config(priv)) {
		nb_vf = rte_eth_dev_get_supported_ptypes(priv->vf.port_id,
				RTE_PTYPE_ALL_MASK, vf, FO_MAX_PTYPES);
		nb_vf = RTE_MAX(RTE_MIN(nb_vf, FO_MAX_PTYPES), 0);
		for (i = 0, k = 0; i < nb; i++) {
			for (j = 0; j < nb_vf && vf[j] != out[i]; j++)
				;
			if (j < nb_vf)
				out[k++] = out[i];
		}
		nb = k;
	}
	out[nb] = RTE_PTYPE_UNKNOWN;
	*no_of_elements = nb;
	pthread_mutex_unlock(priv->lock);
	return nb != 0 ? out : NULL;
}

/* The ops whose type depends on the DPDK version (failover_compat.h). */
FAILOVER_PTYPES_GET_OP(fo_dev_supported_ptypes_get, fo_supported_ptypes)
FAILOVER_STATS_GET_OP(fo_stats_get, failover_stats_get)

static int
fo_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mp)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_rxq_conf *rc;
	struct failover_rxq *rxq;
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	rc = &priv->cfg.rxq[qid];
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_rx_queue_setup(priv->synthetic.port_id, qid, nb_desc,
			socket_id, conf, mp);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic Rx queue %u setup: %s",
			priv->port_id, qid, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
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
	dev->data->rx_queues[qid] = rxq;
	rc->set = true;
	rc->nb_desc = nb_desc;
	rc->socket_id = socket_id;
	rc->conf = *conf;
	rc->mp = mp;
	ret = 0;
	failover_config_changed(priv, "Rx queue set up");
out:
	pthread_mutex_unlock(priv->lock);
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

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	tc = &priv->cfg.txq[qid];
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_tx_queue_setup(priv->synthetic.port_id, qid, nb_desc,
			socket_id, conf);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic Tx queue %u setup: %s",
			priv->port_id, qid, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
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
	dev->data->tx_queues[qid] = txq;
	tc->set = true;
	tc->nb_desc = nb_desc;
	tc->socket_id = socket_id;
	tc->conf = *conf;
	ret = 0;
	failover_config_changed(priv, "Tx queue set up");
out:
	pthread_mutex_unlock(priv->lock);
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

	pthread_mutex_lock(priv->lock);
	if (priv->cfg.rxq != NULL && qid < priv->cfg.nb_rx_queues)
		priv->cfg.rxq[qid].set = false;
	dev->data->rx_queues[qid] = NULL;
	pthread_mutex_unlock(priv->lock);
}

static void
fo_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct failover_priv *priv = failover_priv(dev);

	pthread_mutex_lock(priv->lock);
	if (priv->cfg.txq != NULL && qid < priv->cfg.nb_tx_queues)
		priv->cfg.txq[qid].set = false;
	dev->data->tx_queues[qid] = NULL;
	pthread_mutex_unlock(priv->lock);
}

static int
fo_dev_start(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	char why[128];
	uint16_t q;
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		failover_sub_start(priv, &priv->synthetic, why, sizeof(why));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port %u: %s", priv->port_id,
			priv->synthetic.port_id, why);
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = failover_sub_start(priv, &priv->vf, why, sizeof(why));
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
	if (failover_vf_in_config(priv))
		failover_vf_link_refresh(priv, "VF started");
	failover_sm_event(priv, FAILOVER_EV_STARTED, "port started");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static int
fo_dev_stop(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_link link;
	uint16_t q;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
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
	pthread_mutex_unlock(priv->lock);
	return 0;
}

static int
fo_dev_close(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	/* Closed already, or closing on another thread: nothing to do. */
	if (failover_lock_dev(dev, &priv) < 0)
		return 0;
	if (priv->closing) {
		pthread_mutex_unlock(priv->lock);
		return 0;
	}
	priv->closing = true;
	/* Sub-ports given back to the application keep none of our rules. */
	failover_flow_flush_all(priv);
	pthread_mutex_unlock(priv->lock);
	failover_dev_teardown(priv);
	return 0;
}

/*
 * Reset both sub-ports (ethdev stopped the port first) and bring them
 * back to the recorded configuration, which the reset keeps: a sub-port
 * whose PMD has no reset is only reconfigured.
 */
static int
fo_dev_reset(struct rte_eth_dev *dev)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_subport *sp;
	char why[128];
	unsigned int i;
	int ret = 0;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	for (i = 0; i < 2 && ret == 0; i++) {
		sp = i == 0 ? &priv->synthetic : &priv->vf;
		if (!failover_sub_usable(sp) ||
		    (sp == &priv->vf && !failover_vf_in_config(priv)))
			continue;
		fo_sub_stop(sp);
		failover_own_op(true);
		ret = rte_eth_dev_reset(sp->port_id);
		failover_own_op(false);
		if (ret == -ENOTSUP)
			ret = 0;
		if (ret < 0) {
			FO_LOG(ERR, "port %u: reset of sub-port %u: %s",
				priv->port_id, sp->port_id, rte_strerror(-ret));
			break;
		}
		if (!priv->cfg.configured)
			continue;
		ret = failover_sub_configure(priv, sp, why, sizeof(why));
		if (ret < 0)
			FO_LOG(ERR, "port %u: sub-port %u after reset: %s",
				priv->port_id, sp->port_id, why);
	}
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static int
fo_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_eth_link link;
	int ret;

	RTE_SET_USED(wait_to_complete);
	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	failover_aggregate_link(priv, &link);
	ret = rte_eth_linkstatus_set(dev, &link);
	pthread_mutex_unlock(priv->lock);
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

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		fn(priv->synthetic.port_id);
	if (ret < 0 && ret != -ENOTSUP) {
		FO_LOG(ERR, "port %u: synthetic port: %s: %s", priv->port_id,
			what, rte_strerror(-ret));
		goto out;
	}
	if (ret == -ENOTSUP && on)
		FO_LOG(NOTICE, "port %u: synthetic port cannot: %s",
			priv->port_id, what);
	if (failover_vf_configured(priv)) {
		ret = fn(priv->vf.port_id);
		if (ret < 0 && ret != -ENOTSUP) {
			FO_LOG(ERR, "port %u: VF port: %s: %s", priv->port_id,
				what, rte_strerror(-ret));
			goto out;
		}
		if (ret == -ENOTSUP && on)
			FO_LOG(NOTICE, "port %u: VF port cannot: %s",
				priv->port_id, what);
	}
	*record = on;
	ret = 0;
out:
	pthread_mutex_unlock(priv->lock);
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
	uint16_t old = dev->data->mtu;
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_set_mtu(priv->synthetic.port_id, mtu);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: MTU %u: %s",
			priv->port_id, mtu, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = rte_eth_dev_set_mtu(priv->vf.port_id, mtu);
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: MTU %u: %s",
				priv->port_id, mtu, rte_strerror(-ret));
			rte_eth_dev_set_mtu(priv->synthetic.port_id, old);
			goto out;
		}
	}
	priv->cfg.mtu = mtu;
	priv->cfg.dev_conf.rxmode.mtu = mtu;
	ret = 0;
	failover_config_changed(priv, "MTU changed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static int
fo_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_default_mac_addr_set(priv->synthetic.port_id, mac);
	if (ret < 0 && ret != -ENOTSUP)
		goto out;
	if (failover_vf_in_config(priv)) {
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
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/*
 * Settings that change no forwarding (link administrative state, flow
 * control): each sub-port that can takes them, the others are logged.
 * The operation fails only when neither can.
 */
int
failover_apply_cosmetic(struct failover_priv *priv, failover_cosmetic_fn fn,
		void *arg, const char *what)
{
	int ret, ret_vf = -ENOTSUP;

	ret = !FO_SYN_IN(priv) ? 0 :
		fn(priv->synthetic.port_id, arg);
	if (ret < 0 && ret != -ENOTSUP) {
		FO_LOG(ERR, "port %u: synthetic port: %s: %s", priv->port_id,
			what, rte_strerror(-ret));
		return ret;
	}
	if (ret < 0)
		FO_LOG(NOTICE, "port %u: synthetic port cannot: %s",
			priv->port_id, what);
	if (failover_vf_in_config(priv)) {
		ret_vf = fn(priv->vf.port_id, arg);
		if (ret_vf < 0)
			FO_LOG(NOTICE, "port %u: VF port: %s: %s",
				priv->port_id, what, rte_strerror(-ret_vf));
	}
	return ret == 0 || ret_vf == 0 ? 0 : ret;
}

static int
fo_link_admin(uint16_t port_id, void *arg)
{
	return *(bool *)arg ? rte_eth_dev_set_link_up(port_id) :
		rte_eth_dev_set_link_down(port_id);
}

static int
fo_set_link(struct rte_eth_dev *dev, bool up)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = failover_apply_cosmetic(priv, fo_link_admin, &up,
		up ? "link up" : "link down");
	if (ret == 0) {
		priv->cfg.link_down = !up;
		/* No LSC may come for it: tell the machine and the port. */
		if (failover_vf_in_config(priv))
			failover_vf_link_refresh(priv, up ?
				"link set up" : "link set down");
		failover_ctl_kick(priv);
	}
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static int
fo_dev_set_link_up(struct rte_eth_dev *dev)
{
	return fo_set_link(dev, true);
}

static int
fo_dev_set_link_down(struct rte_eth_dev *dev)
{
	return fo_set_link(dev, false);
}

const struct eth_dev_ops failover_ops = {
	.dev_configure = fo_dev_configure,
	.dev_infos_get = fo_dev_infos_get,
	.dev_start = fo_dev_start,
	.dev_stop = fo_dev_stop,
	.dev_close = fo_dev_close,
	.dev_reset = fo_dev_reset,
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
	.mac_addr_add = failover_mac_addr_add,
	.mac_addr_remove = failover_mac_addr_remove,
	.set_mc_addr_list = failover_set_mc_addr_list,
	.vlan_filter_set = failover_vlan_filter_set,
	.vlan_offload_set = failover_vlan_offload_set,
	.rss_hash_update = failover_rss_hash_update,
	.rss_hash_conf_get = failover_rss_hash_conf_get,
	.reta_update = failover_reta_update,
	.reta_query = failover_reta_query,
	.dev_set_link_up = fo_dev_set_link_up,
	.dev_set_link_down = fo_dev_set_link_down,
	.flow_ctrl_get = failover_flow_ctrl_get,
	.flow_ctrl_set = failover_flow_ctrl_set,
	.dev_supported_ptypes_get = fo_dev_supported_ptypes_get,
	.flow_ops_get = failover_flow_ops_get,
	.stats_get = fo_stats_get,
	.stats_reset = failover_stats_reset,
	.xstats_get = failover_xstats_get,
	.xstats_get_names = failover_xstats_get_names,
	.xstats_get_by_id = failover_xstats_get_by_id,
	.xstats_get_names_by_id = failover_xstats_get_names_by_id,
	.xstats_reset = failover_xstats_reset,
};
