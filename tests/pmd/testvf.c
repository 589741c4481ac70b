/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * net_testvf: a vdev PMD that plays an SR-IOV VF in tests (see testvf.h).
 *
 * Each queue is a pair of rte_rings: the test injects into the Rx ring and
 * the Rx burst dequeues from it; the Tx burst enqueues into the Tx ring and
 * the test drains it. Everything the port is told through its ops is
 * recorded in a struct testvf_config under the port's spinlock.
 *
 * This file holds the bursts, the control ops and probe/remove; statistics,
 * devargs and the test knobs (with the events) have a file each.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_flow.h>
#include <rte_flow_driver.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>

#include "testvf_private.h"

#define TESTVF_MAX_DESC		4096
#define TESTVF_DEFAULT_DESC	256

#define TESTVF_RXQ_MAGIC	0x74767271u	/* "tvrq" */
#define TESTVF_TXQ_MAGIC	0x74767471u	/* "tvtq" */

RTE_LOG_REGISTER_DEFAULT(testvf_logtype, NOTICE);

/* Unique per probed device; only uniqueness matters, hence relaxed. */
static uint64_t testvf_generation;

/*
 * Single-writer counter update: the relaxed store keeps readers on other
 * threads from seeing a torn value; no other data is published with it.
 */
static inline void
testvf_counter_add(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
			__ATOMIC_RELAXED);
}

static uint16_t
testvf_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct testvf_rxq *q = queue;
	uint64_t bytes = 0;
	unsigned int i, n;

	/* A burst on a released queue is a bug in the caller: fail loudly. */
	RTE_VERIFY(q->magic == TESTVF_RXQ_MAGIC);
	if (unlikely(testvf_is_halted(q->priv)))
		return 0;

	n = rte_ring_dequeue_burst(q->ring, (void **)pkts, nb_pkts, NULL);
	for (i = 0; i < n; i++) {
		pkts[i]->port = q->port_id;
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	}
	testvf_counter_add(&q->stats->packets, n);
	testvf_counter_add(&q->stats->bytes, bytes);
	return n;
}

/* Consume one forced failure if any is armed. */
static inline bool
testvf_tx_take_failure(struct testvf_private *priv)
{
	uint32_t left = __atomic_load_n(&priv->tx_fail_bursts, __ATOMIC_RELAXED);

	/*
	 * Several Tx queues may race for the last failure: the CAS makes
	 * exactly n bursts fail. Relaxed, since the count guards no data.
	 */
	while (left != 0) {
		if (__atomic_compare_exchange_n(&priv->tx_fail_bursts, &left,
				left - 1, false, __ATOMIC_RELAXED,
				__ATOMIC_RELAXED))
			return true;
	}
	return false;
}

static uint16_t
testvf_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct testvf_txq *q = queue;
	void (*hook)(void *arg);
	uint64_t bytes = 0;
	unsigned int i, n;

	RTE_VERIFY(q->magic == TESTVF_TXQ_MAGIC);
	/* Acquire: pairs with testvf_tx_hook_set(), for its argument. */
	hook = __atomic_load_n(&q->priv->tx_hook, __ATOMIC_ACQUIRE);
	if (unlikely(hook != NULL))
		hook(q->priv->tx_hook_arg);
	if (unlikely(testvf_is_halted(q->priv))) {
		testvf_counter_add(&q->stats->refused, nb_pkts);
		return 0;
	}
	if (unlikely(testvf_tx_take_failure(q->priv))) {
		testvf_counter_add(&q->stats->failed_bursts, 1);
		testvf_counter_add(&q->stats->refused, nb_pkts);
		return 0;
	}

	/*
	 * Count the bytes before enqueueing: once in the ring, an mbuf may be
	 * drained and freed by the test. This burst is the only producer, so
	 * the free space can only grow and the whole enqueue succeeds.
	 */
	n = RTE_MIN((unsigned int)nb_pkts, rte_ring_free_count(q->ring));
	for (i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	n = rte_ring_enqueue_burst(q->ring, (void **)pkts, n, NULL);

	testvf_counter_add(&q->stats->packets, n);
	testvf_counter_add(&q->stats->bytes, bytes);
	testvf_counter_add(&q->stats->refused, nb_pkts - n);
	return n;
}

/* tx_prepare=N: a prepare that passes N packets, so tests can see it ran. */
static uint16_t
testvf_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct testvf_txq *q = queue;
	uint16_t max = q->priv->opts.tx_prepare_max;

	RTE_SET_USED(pkts);
	RTE_VERIFY(q->magic == TESTVF_TXQ_MAGIC);
	if (nb_pkts <= max)
		return nb_pkts;
	rte_errno = EINVAL;
	return max;
}

int
testvf_link_refresh(struct rte_eth_dev *dev)
{
	const struct testvf_private *priv = testvf_priv(dev);
	const struct testvf_config *cfg = &priv->cfg;
	bool up = cfg->started && cfg->carrier && cfg->link_admin_up &&
		!cfg->removed && !cfg->reset_pending;
	struct rte_eth_link link = {
		.link_speed = up ? priv->opts.speed : RTE_ETH_SPEED_NUM_NONE,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = up ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN,
	};

	return rte_eth_linkstatus_set(dev, &link);
}

static void
testvf_ring_flush(struct rte_ring *ring)
{
	void *m;

	while (rte_ring_dequeue(ring, &m) == 0)
		rte_pktmbuf_free(m);
}

static void
testvf_reta_default(struct testvf_config *cfg, uint16_t nb_rx_queues)
{
	unsigned int i;

	for (i = 0; i < cfg->reta_size; i++)
		cfg->reta[i] = nb_rx_queues != 0 ? i % nb_rx_queues : 0;
}

static int
testvf_dev_configure(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);
	const struct rte_eth_conf *conf = &dev->data->dev_conf;
	const struct rte_eth_rss_conf *rss = &conf->rx_adv_conf.rss_conf;
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	uint16_t nb_txq = dev->data->nb_tx_queues;
	struct testvf_config *cfg = &priv->cfg;

	if (nb_rxq > priv->opts.max_queues || nb_txq > priv->opts.max_queues) {
		TESTVF_LOG(ERR, "port %u: %u Rx / %u Tx queues, at most %u",
			dev->data->port_id, nb_rxq, nb_txq,
			priv->opts.max_queues);
		return -EINVAL;
	}
	if (rss->rss_key != NULL && rss->rss_key_len != TESTVF_RSS_KEY_LEN) {
		TESTVF_LOG(ERR, "port %u: RSS key of %u bytes, need %u",
			dev->data->port_id, rss->rss_key_len,
			TESTVF_RSS_KEY_LEN);
		return -EINVAL;
	}

	rte_spinlock_lock(&priv->lock);
	cfg->ops.dev_configure++;
	cfg->configured = true;
	cfg->nb_rx_queues = nb_rxq;
	cfg->nb_tx_queues = nb_txq;
	cfg->rx_mq_mode = conf->rxmode.mq_mode;
	cfg->rx_offloads = conf->rxmode.offloads;
	cfg->tx_offloads = conf->txmode.offloads;
	cfg->intr_lsc = conf->intr_conf.lsc != 0;
	cfg->intr_rmv = conf->intr_conf.rmv != 0;
	cfg->mtu = dev->data->mtu;
	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) {
		cfg->rss_hf = rss->rss_hf;
		if (rss->rss_key != NULL)
			memcpy(cfg->rss_key, rss->rss_key, TESTVF_RSS_KEY_LEN);
	} else {
		cfg->rss_hf = 0;
	}
	testvf_reta_default(cfg, nb_rxq);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct testvf_private *priv = testvf_priv(dev);
	const struct testvf_options *opts = &priv->opts;

	info->max_rx_queues = opts->max_queues;
	info->max_tx_queues = opts->max_queues;
	info->max_mac_addrs = TESTVF_MAX_MAC_ADDRS;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = opts->max_mtu;
	info->max_rx_pktlen = (uint32_t)opts->max_mtu + TESTVF_ETH_OVERHEAD;
	info->min_rx_bufsize = 0;
	info->rx_offload_capa = opts->rx_offloads;
	info->tx_offload_capa = opts->tx_offloads;
	/* Per-queue VLAN stripping, as most VFs offer it. */
	info->rx_queue_offload_capa =
		opts->rx_offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
	info->tx_queue_offload_capa = 0;
	info->flow_type_rss_offloads = opts->rss_offloads;
	info->reta_size = opts->reta_size;
	info->hash_key_size = TESTVF_RSS_KEY_LEN;
	info->speed_capa = rte_eth_speed_bitflag(opts->speed,
			RTE_ETH_LINK_FULL_DUPLEX);
	info->rx_desc_lim = (struct rte_eth_desc_lim){
		.nb_max = TESTVF_MAX_DESC, .nb_min = 1, .nb_align = 1,
	};
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = TESTVF_DEFAULT_DESC;
	info->default_txportconf.ring_size = TESTVF_DEFAULT_DESC;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.dev_infos_get++;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static void
testvf_queue_states_set(struct rte_eth_dev *dev, uint8_t state)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = state;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = state;
}

static int
testvf_dev_start(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.dev_start++;
	priv->cfg.started = true;
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	testvf_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STARTED);
	return 0;
}

static int
testvf_dev_stop(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.dev_stop++;
	priv->cfg.started = false;
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	testvf_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STOPPED);
	return 0;
}

static int
testvf_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_rxconf *conf,
		struct rte_mempool *mb_pool)
{
	struct testvf_private *priv = testvf_priv(dev);
	char name[RTE_RING_NAMESIZE];
	struct testvf_rxq *q;
	int ret;

	if (qid >= priv->opts.max_queues)
		return -EINVAL;
	q = rte_zmalloc_socket("testvf_rxq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			socket_id);
	if (q == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "testvf_rx_%u_%u", dev->data->port_id,
		qid);
	q->ring = rte_ring_create(name, nb_desc, socket_id,
			RING_F_EXACT_SZ | RING_F_SC_DEQ);
	if (q->ring == NULL) {
		ret = -rte_errno;
		TESTVF_LOG(ERR, "port %u: cannot create ring %s: %s",
			dev->data->port_id, name, rte_strerror(rte_errno));
		goto free_queue;
	}
	q->magic = TESTVF_RXQ_MAGIC;
	q->port_id = dev->data->port_id;
	q->priv = priv;
	q->stats = &priv->rx_stats[qid];
	dev->data->rx_queues[qid] = q;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.rx_queue_setup++;
	priv->cfg.rxq[qid] = (struct testvf_queue_config){
		.setup = true,
		.nb_desc = nb_desc,
		.offloads = conf->offloads | dev->data->dev_conf.rxmode.offloads,
		.mb_pool = mb_pool,
	};
	rte_spinlock_unlock(&priv->lock);
	return 0;

free_queue:
	rte_free(q);
	return ret;
}

static int
testvf_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct testvf_private *priv = testvf_priv(dev);
	char name[RTE_RING_NAMESIZE];
	struct testvf_txq *q;
	int ret;

	if (qid >= priv->opts.max_queues)
		return -EINVAL;
	q = rte_zmalloc_socket("testvf_txq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			socket_id);
	if (q == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "testvf_tx_%u_%u", dev->data->port_id,
		qid);
	/* Ethdev allows one transmitting lcore per queue: single producer. */
	q->ring = rte_ring_create(name, nb_desc, socket_id,
			RING_F_EXACT_SZ | RING_F_SP_ENQ);
	if (q->ring == NULL) {
		ret = -rte_errno;
		TESTVF_LOG(ERR, "port %u: cannot create ring %s: %s",
			dev->data->port_id, name, rte_strerror(rte_errno));
		goto free_queue;
	}
	q->magic = TESTVF_TXQ_MAGIC;
	q->priv = priv;
	q->stats = &priv->tx_stats[qid];
	dev->data->tx_queues[qid] = q;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.tx_queue_setup++;
	priv->cfg.txq[qid] = (struct testvf_queue_config){
		.setup = true,
		.nb_desc = nb_desc,
		.offloads = conf->offloads | dev->data->dev_conf.txmode.offloads,
	};
	rte_spinlock_unlock(&priv->lock);
	return 0;

free_queue:
	rte_free(q);
	return ret;
}

static void
testvf_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_rxq *q = dev->data->rx_queues[qid];

	if (q == NULL)
		return;
	testvf_ring_flush(q->ring);
	rte_ring_free(q->ring);
	q->magic = 0;
	rte_free(q);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.rx_queue_release++;
	priv->cfg.rxq[qid].setup = false;
	rte_spinlock_unlock(&priv->lock);
}

static void
testvf_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_txq *q = dev->data->tx_queues[qid];

	if (q == NULL)
		return;
	testvf_ring_flush(q->ring);
	rte_ring_free(q->ring);
	q->magic = 0;
	rte_free(q);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.tx_queue_release++;
	priv->cfg.txq[qid].setup = false;
	rte_spinlock_unlock(&priv->lock);
}

/*
 * Called by rte_eth_dev_close() (never on a started port) and by the vdev
 * remove (possibly on a started port): free everything but what
 * rte_eth_dev_release_port() frees (dev_private, mac_addrs, queue arrays).
 */
static void testvf_flow_free_all(struct testvf_private *priv);

static int
testvf_dev_close(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;

	rte_spinlock_lock(&priv->lock);
	priv->closing = true;
	rte_spinlock_unlock(&priv->lock);
	/* Not under the lock: cancel waits for a running alarm, which locks. */
	testvf_events_cancel(priv);

	if (dev->data->dev_started) {
		testvf_dev_stop(dev);
		dev->data->dev_started = 0;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		testvf_rx_queue_release(dev, i);
		dev->data->rx_queues[i] = NULL;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		testvf_tx_queue_release(dev, i);
		dev->data->tx_queues[i] = NULL;
	}
	testvf_flow_free_all(priv);
	TESTVF_LOG(INFO, "port %u closed", dev->data->port_id);
	return 0;
}

static void testvf_config_init(struct testvf_private *priv);

/*
 * rte_eth_dev_reset(), after INTR_RESET (see testvf_raise_reset()): the
 * device re-initialized as ixgbevf and iavf do it (their dev_reset is
 * uninit then init), leaving the port unconfigured. ethdev stopped the
 * port before calling.
 */
static int
testvf_dev_reset(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_config *cfg = &priv->cfg;
	struct testvf_op_counts ops;
	struct testvf_event_counts events;
	bool carrier, removed;
	uint32_t flow_created;
	uint16_t i;

	if (dev->data->dev_started) {
		TESTVF_LOG(ERR, "port %u: reset while started",
			dev->data->port_id);
		return -EBUSY;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		testvf_rx_queue_release(dev, i);
		dev->data->rx_queues[i] = NULL;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		testvf_tx_queue_release(dev, i);
		dev->data->tx_queues[i] = NULL;
	}
	/* As ixgbe_dev_free_queues(): no queue until configured again. */
	dev->data->nb_rx_queues = 0;
	dev->data->nb_tx_queues = 0;
	/* rte_eth_dev_start() refuses until rte_eth_dev_configure(). */
	dev->data->dev_configured = 0;
	dev->data->mtu = RTE_ETHER_MTU;
	/*
	 * What the device forgot, ethdev must not restore at the next start
	 * on its own (it replays its MAC table and modes): the owner must.
	 */
	dev->data->promiscuous = 0;
	dev->data->all_multicast = 0;
	memset(dev->data->mac_addrs, 0,
		TESTVF_MAX_MAC_ADDRS * sizeof(dev->data->mac_addrs[0]));
	rte_ether_addr_copy(&priv->opts.mac, &dev->data->mac_addrs[0]);
	testvf_flow_free_all(priv);

	rte_spinlock_lock(&priv->lock);
	ops = cfg->ops;
	events = cfg->events;
	carrier = cfg->carrier;
	removed = cfg->removed;
	flow_created = cfg->flow_created;
	memset(cfg, 0, sizeof(*cfg));
	testvf_config_init(priv);
	cfg->ops = ops;
	cfg->ops.dev_reset++;
	cfg->events = events;
	cfg->carrier = carrier;
	cfg->removed = removed;
	cfg->flow_created = flow_created;
	/* Relaxed: bursts only need to see it eventually (port stopped). */
	__atomic_store_n(&cfg->reset_pending, false, __ATOMIC_RELAXED);
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	TESTVF_LOG(INFO, "port %u reset", dev->data->port_id);
	return 0;
}

static int
testvf_link_update(struct rte_eth_dev *dev, int wait_to_complete __rte_unused)
{
	struct testvf_private *priv = testvf_priv(dev);
	int ret;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.link_update++;
	ret = testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

static int
testvf_link_admin_set(struct rte_eth_dev *dev, bool up)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	if (up)
		priv->cfg.ops.dev_set_link_up++;
	else
		priv->cfg.ops.dev_set_link_down++;
	priv->cfg.link_admin_up = up;
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_dev_set_link_up(struct rte_eth_dev *dev)
{
	return testvf_link_admin_set(dev, true);
}

static int
testvf_dev_set_link_down(struct rte_eth_dev *dev)
{
	return testvf_link_admin_set(dev, false);
}

static int
testvf_promiscuous_enable(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.promiscuous_enable++;
	priv->cfg.promiscuous = true;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_promiscuous_disable(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.promiscuous_disable++;
	priv->cfg.promiscuous = false;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_allmulticast_enable(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.allmulticast_enable++;
	priv->cfg.allmulticast = true;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_allmulticast_disable(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.allmulticast_disable++;
	priv->cfg.allmulticast = false;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct testvf_private *priv = testvf_priv(dev);

	if (mtu < RTE_ETHER_MIN_MTU || mtu > priv->opts.max_mtu)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.mtu_set++;
	priv->cfg.mtu = mtu;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.mac_addr_set++;
	rte_ether_addr_copy(addr, &priv->cfg.mac_addrs[0]);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr,
		uint32_t index, uint32_t vmdq __rte_unused)
{
	struct testvf_private *priv = testvf_priv(dev);

	if (index >= TESTVF_MAX_MAC_ADDRS)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.mac_addr_add++;
	rte_ether_addr_copy(addr, &priv->cfg.mac_addrs[index]);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static void
testvf_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.mac_addr_remove++;
	if (index < TESTVF_MAX_MAC_ADDRS)
		memset(&priv->cfg.mac_addrs[index], 0,
			sizeof(priv->cfg.mac_addrs[index]));
	rte_spinlock_unlock(&priv->lock);
}

static int
testvf_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list,
		uint32_t nb)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_config *cfg = &priv->cfg;

	if (nb > TESTVF_MAX_MC_ADDRS)
		return -ENOSPC;
	if (nb != 0 && list == NULL)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	cfg->ops.set_mc_addr_list++;
	memset(cfg->mc_addrs, 0, sizeof(cfg->mc_addrs));
	if (nb != 0)
		memcpy(cfg->mc_addrs, list, nb * sizeof(list[0]));
	cfg->nb_mc_addrs = nb;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on)
{
	struct testvf_private *priv = testvf_priv(dev);
	uint64_t bit = UINT64_C(1) << (vlan_id % 64);

	if (vlan_id >= TESTVF_VLAN_IDS)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.vlan_filter_set++;
	if (on)
		priv->cfg.vlan_filter[vlan_id / 64] |= bit;
	else
		priv->cfg.vlan_filter[vlan_id / 64] &= ~bit;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	struct testvf_private *priv = testvf_priv(dev);
	uint64_t rx = dev->data->dev_conf.rxmode.offloads;
	int in_force = 0;

	/* Ethdev has stored the new settings in rxmode before calling. */
	if (rx & RTE_ETH_RX_OFFLOAD_VLAN_STRIP)
		in_force |= RTE_ETH_VLAN_STRIP_OFFLOAD;
	if (rx & RTE_ETH_RX_OFFLOAD_VLAN_FILTER)
		in_force |= RTE_ETH_VLAN_FILTER_OFFLOAD;
	if (rx & RTE_ETH_RX_OFFLOAD_VLAN_EXTEND)
		in_force |= RTE_ETH_VLAN_EXTEND_OFFLOAD;
	if (rx & RTE_ETH_RX_OFFLOAD_QINQ_STRIP)
		in_force |= RTE_ETH_QINQ_STRIP_OFFLOAD;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.vlan_offload_set++;
	priv->cfg.vlan_offload = in_force;
	priv->cfg.vlan_offload_mask = mask;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	struct testvf_private *priv = testvf_priv(dev);

	if ((rss->rss_hf & ~priv->opts.rss_offloads) != 0)
		return -EINVAL;
	if (rss->rss_key != NULL && rss->rss_key_len != TESTVF_RSS_KEY_LEN)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.rss_hash_update++;
	priv->cfg.rss_hf = rss->rss_hf;
	if (rss->rss_key != NULL)
		memcpy(priv->cfg.rss_key, rss->rss_key, TESTVF_RSS_KEY_LEN);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	struct testvf_private *priv = testvf_priv(dev);

	/* A length of 0 is the legacy "buffer of hash_key_size bytes". */
	if (rss->rss_key != NULL && rss->rss_key_len != 0 &&
			rss->rss_key_len < TESTVF_RSS_KEY_LEN)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.rss_hash_conf_get++;
	rss->rss_hf = priv->cfg.rss_hf;
	if (rss->rss_key != NULL) {
		memcpy(rss->rss_key, priv->cfg.rss_key, TESTVF_RSS_KEY_LEN);
		rss->rss_key_len = TESTVF_RSS_KEY_LEN;
	}
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_reta_update(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size)
{
	struct testvf_private *priv = testvf_priv(dev);
	unsigned int i, group, slot;

	if (reta_size != priv->opts.reta_size)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.reta_update++;
	for (i = 0; i < reta_size; i++) {
		group = i / RTE_ETH_RETA_GROUP_SIZE;
		slot = i % RTE_ETH_RETA_GROUP_SIZE;
		if (reta_conf[group].mask & (UINT64_C(1) << slot))
			priv->cfg.reta[i] = reta_conf[group].reta[slot];
	}
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_reta_query(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size)
{
	struct testvf_private *priv = testvf_priv(dev);
	unsigned int i, group, slot;

	if (reta_size != priv->opts.reta_size)
		return -EINVAL;
	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.reta_query++;
	for (i = 0; i < reta_size; i++) {
		group = i / RTE_ETH_RETA_GROUP_SIZE;
		slot = i % RTE_ETH_RETA_GROUP_SIZE;
		if (reta_conf[group].mask & (UINT64_C(1) << slot))
			reta_conf[group].reta[slot] = priv->cfg.reta[i];
	}
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_is_removed_op(struct rte_eth_dev *dev)
{
	return testvf_is_removed(testvf_priv(dev));
}

/*
 * rte_flow, enough to stand for a VF with a small rule table: patterns of
 * ETH, IPV4, IPV6, UDP, TCP (and VOID); actions QUEUE, DROP (and VOID).
 * Rules are only recorded, never applied to traffic.
 */
static int
testvf_flow_check(struct rte_eth_dev *dev, const struct rte_flow_item *item,
		const struct rte_flow_action *act, int *action,
		struct rte_flow_error *err)
{
	const struct rte_flow_action_queue *queue;

	for (; item->type != RTE_FLOW_ITEM_TYPE_END; item++) {
		switch (item->type) {
		case RTE_FLOW_ITEM_TYPE_VOID:
		case RTE_FLOW_ITEM_TYPE_ETH:
		case RTE_FLOW_ITEM_TYPE_IPV4:
		case RTE_FLOW_ITEM_TYPE_IPV6:
		case RTE_FLOW_ITEM_TYPE_UDP:
		case RTE_FLOW_ITEM_TYPE_TCP:
			break;
		default:
			return rte_flow_error_set(err, ENOTSUP,
				RTE_FLOW_ERROR_TYPE_ITEM, item,
				"item not supported");
		}
	}
	*action = -1;
	for (; act->type != RTE_FLOW_ACTION_TYPE_END; act++) {
		switch (act->type) {
		case RTE_FLOW_ACTION_TYPE_VOID:
			break;
		case RTE_FLOW_ACTION_TYPE_DROP:
			*action = act->type;
			break;
		case RTE_FLOW_ACTION_TYPE_QUEUE:
			queue = act->conf;
			if (queue == NULL ||
			    queue->index >= dev->data->nb_rx_queues)
				return rte_flow_error_set(err, EINVAL,
					RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					"queue index out of range");
			*action = act->type;
			break;
		default:
			return rte_flow_error_set(err, ENOTSUP,
				RTE_FLOW_ERROR_TYPE_ACTION, act,
				"action not supported");
		}
	}
	return 0;
}

static int
testvf_flow_validate(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		const struct rte_flow_item items[],
		const struct rte_flow_action actions[],
		struct rte_flow_error *err)
{
	int action;

	RTE_SET_USED(attr);
	return testvf_flow_check(dev, items, actions, &action, err);
}

static struct rte_flow *
testvf_flow_create(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		const struct rte_flow_item items[],
		const struct rte_flow_action actions[],
		struct rte_flow_error *err)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct rte_flow *f;
	unsigned int i;
	int action;

	RTE_SET_USED(attr);
	if (testvf_flow_check(dev, items, actions, &action, err) != 0)
		return NULL;
	if (priv->cfg.nb_flows >= priv->opts.flow_rules) {
		rte_flow_error_set(err, ENOSPC, RTE_FLOW_ERROR_TYPE_HANDLE,
			NULL, "rule table full");
		return NULL;
	}
	for (i = 0; i < TESTVF_MAX_FLOWS && priv->flows[i] != NULL; i++)
		;
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		rte_flow_error_set(err, ENOMEM, RTE_FLOW_ERROR_TYPE_HANDLE,
			NULL, "no memory for the rule");
		return NULL;
	}
	f->priv = priv;
	f->action = action;
	priv->flows[i] = f;
	priv->cfg.nb_flows++;
	priv->cfg.flow_action[priv->cfg.flow_created++ % TESTVF_MAX_FLOWS] =
		action;
	return f;
}

static int
testvf_flow_destroy(struct rte_eth_dev *dev, struct rte_flow *f,
		struct rte_flow_error *err)
{
	struct testvf_private *priv = testvf_priv(dev);
	unsigned int i;

	for (i = 0; i < TESTVF_MAX_FLOWS && priv->flows[i] != f; i++)
		;
	if (i == TESTVF_MAX_FLOWS)
		return -rte_flow_error_set(err, ENOENT,
			RTE_FLOW_ERROR_TYPE_HANDLE, f, "no such rule");
	priv->flows[i] = NULL;
	priv->cfg.nb_flows--;
	free(f);
	return 0;
}

static void
testvf_flow_free_all(struct testvf_private *priv)
{
	unsigned int i;

	for (i = 0; i < TESTVF_MAX_FLOWS; i++) {
		free(priv->flows[i]);
		priv->flows[i] = NULL;
	}
	priv->cfg.nb_flows = 0;
}

static int
testvf_flow_flush(struct rte_eth_dev *dev, struct rte_flow_error *err)
{
	RTE_SET_USED(err);
	testvf_flow_free_all(testvf_priv(dev));
	return 0;
}

static int
testvf_flow_isolate(struct rte_eth_dev *dev, int set,
		struct rte_flow_error *err)
{
	struct testvf_private *priv = testvf_priv(dev);

	if (dev->data->dev_started)
		return -rte_flow_error_set(err, EBUSY,
			RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL, "port started");
	priv->cfg.flow_isolated = set;
	return 0;
}

static const struct rte_flow_ops testvf_flow_ops = {
	.validate = testvf_flow_validate,
	.create = testvf_flow_create,
	.destroy = testvf_flow_destroy,
	.flush = testvf_flow_flush,
	.isolate = testvf_flow_isolate,
};

static int
testvf_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops)
{
	*ops = testvf_priv(dev)->opts.flow ? &testvf_flow_ops : NULL;
	return 0;
}

/* Of the type this DPDK wants (failover_compat.h). */
FAILOVER_STATS_GET_OP(testvf_stats_get, testvf_stats_read)

const struct eth_dev_ops testvf_ops = {
	.flow_ops_get = testvf_flow_ops_get,
	.dev_configure = testvf_dev_configure,
	.dev_infos_get = testvf_dev_infos_get,
	.dev_start = testvf_dev_start,
	.dev_stop = testvf_dev_stop,
	.dev_close = testvf_dev_close,
	.dev_reset = testvf_dev_reset,
	.dev_set_link_up = testvf_dev_set_link_up,
	.dev_set_link_down = testvf_dev_set_link_down,
	.is_removed = testvf_is_removed_op,
	.rx_queue_setup = testvf_rx_queue_setup,
	.tx_queue_setup = testvf_tx_queue_setup,
	.rx_queue_release = testvf_rx_queue_release,
	.tx_queue_release = testvf_tx_queue_release,
	.link_update = testvf_link_update,
	.promiscuous_enable = testvf_promiscuous_enable,
	.promiscuous_disable = testvf_promiscuous_disable,
	.allmulticast_enable = testvf_allmulticast_enable,
	.allmulticast_disable = testvf_allmulticast_disable,
	.mtu_set = testvf_mtu_set,
	.mac_addr_set = testvf_mac_addr_set,
	.mac_addr_add = testvf_mac_addr_add,
	.mac_addr_remove = testvf_mac_addr_remove,
	.set_mc_addr_list = testvf_set_mc_addr_list,
	.vlan_filter_set = testvf_vlan_filter_set,
	.vlan_offload_set = testvf_vlan_offload_set,
	.rss_hash_update = testvf_rss_hash_update,
	.rss_hash_conf_get = testvf_rss_hash_conf_get,
	.reta_update = testvf_reta_update,
	.reta_query = testvf_reta_query,
	.stats_get = testvf_stats_get,
	.stats_reset = testvf_stats_reset,
	.xstats_get = testvf_xstats_get,
	.xstats_get_names = testvf_xstats_get_names,
	.xstats_reset = testvf_xstats_reset,
};

/* Number ending the device name ("net_testvf12" -> 12), or the port id. */
static uint16_t
testvf_instance_number(const char *name, uint16_t port_id)
{
	size_t len = strlen(name);
	size_t start = len;

	while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9')
		start--;
	if (start == len || len - start > 5)
		return port_id;
	return strtoul(name + start, NULL, 10) & UINT16_MAX;
}

static void
testvf_config_init(struct testvf_private *priv)
{
	struct testvf_config *cfg = &priv->cfg;
	unsigned int i;

	cfg->carrier = priv->opts.link_up;
	cfg->link_admin_up = true;
	cfg->mtu = RTE_ETHER_MTU;
	rte_ether_addr_copy(&priv->opts.mac, &cfg->mac_addrs[0]);
	cfg->reta_size = priv->opts.reta_size;
	/* Any fixed key will do: nothing is hashed; tests compare copies. */
	for (i = 0; i < TESTVF_RSS_KEY_LEN; i++)
		cfg->rss_key[i] = (uint8_t)(0x6d + 37 * i);
}

static int
testvf_create(struct rte_vdev_device *vdev, struct testvf_options *opts)
{
	const char *name = rte_vdev_device_name(vdev);
	struct testvf_private *priv;
	struct rte_ether_addr *mac_addrs;
	struct rte_eth_dev *dev;
	uint16_t instance;

	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL) {
		TESTVF_LOG(ERR, "%s: cannot allocate ethdev", name);
		return -ENOMEM;
	}
	/* Freed by rte_eth_dev_release_port(), like dev_private. */
	mac_addrs = rte_zmalloc_socket(name,
			TESTVF_MAX_MAC_ADDRS * sizeof(*mac_addrs), 0,
			vdev->device.numa_node);
	if (mac_addrs == NULL) {
		TESTVF_LOG(ERR, "%s: cannot allocate MAC table", name);
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}

	if (!opts->mac_given) {
		instance = testvf_instance_number(name, dev->data->port_id);
		opts->mac = (struct rte_ether_addr){
			.addr_bytes = { 0x02, 0, 0, 0, instance >> 8,
				instance & 0xff },
		};
	}
	priv = dev->data->dev_private;
	priv->opts = *opts;
	priv->port_id = dev->data->port_id;
	priv->generation = __atomic_add_fetch(&testvf_generation, 1,
			__ATOMIC_RELAXED);
	rte_spinlock_init(&priv->lock);
	testvf_config_init(priv);

	rte_ether_addr_copy(&opts->mac, &mac_addrs[0]);
	dev->data->mac_addrs = mac_addrs;
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	if (opts->lsc)
		dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	if (opts->rmv)
		dev->data->dev_flags |= RTE_ETH_DEV_INTR_RMV;
	testvf_link_refresh(dev);
	dev->dev_ops = &testvf_ops;
	dev->rx_pkt_burst = testvf_rx_burst;
	dev->tx_pkt_burst = testvf_tx_burst;
	if (opts->tx_prepare)
		dev->tx_pkt_prepare = testvf_tx_prepare;
	rte_eth_dev_probing_finish(dev);

	TESTVF_LOG(INFO, "%s: port %u, MAC " RTE_ETHER_ADDR_PRT_FMT,
		name, dev->data->port_id, RTE_ETHER_ADDR_BYTES(&opts->mac));
	return 0;
}

static int
testvf_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct testvf_options opts;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		TESTVF_LOG(ERR, "%s: secondary processes are not supported",
			name);
		return -ENOTSUP;
	}
	testvf_options_default(&opts);
	ret = testvf_parse_devargs(name, rte_vdev_device_args(vdev), &opts);
	if (ret != 0)
		return ret;
	return testvf_create(vdev, &opts);
}

static int
testvf_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;	/* already closed through rte_eth_dev_close() */
	/*
	 * Through ethdev, as drivers that close their ports with
	 * rte_eth_dev_close() on removal do: a started port is stopped first.
	 * Whoever owns the port sees its stop and close happen.
	 */
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver testvf_driver = {
	.probe = testvf_probe,
	.remove = testvf_remove,
};

RTE_PMD_REGISTER_VDEV(net_testvf, testvf_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_testvf,
	TESTVF_ARG_MAC "=<mac> "
	TESTVF_ARG_LINK "=up|down "
	TESTVF_ARG_MAX_QUEUES "=<int> "
	TESTVF_ARG_MAX_MTU "=<int> "
	TESTVF_ARG_SPEED "=<Mbps> "
	TESTVF_ARG_RX_OFFLOADS "=<hex> "
	TESTVF_ARG_TX_OFFLOADS "=<hex> "
	TESTVF_ARG_RETA_SIZE "=<int> "
	TESTVF_ARG_RSS_OFFLOADS "=<hex> "
	TESTVF_ARG_LSC "=0|1 "
	TESTVF_ARG_RMV "=0|1");
