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
 * Events are raised as real drivers raise them: from the EAL interrupt
 * thread, through an alarm. The alarm argument is not a pointer but an
 * identifier (port id, event type, generation of the device), so an alarm
 * can never reach a freed device: close cancels the port's alarms before
 * anything is freed, and the callback checks the port still holds the very
 * device that armed it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>

#include "testvf.h"

#define TESTVF_ARG_MAC		"mac"
#define TESTVF_ARG_LINK		"link"
#define TESTVF_ARG_MAX_QUEUES	"max_queues"
#define TESTVF_ARG_MAX_MTU	"max_mtu"
#define TESTVF_ARG_SPEED	"speed"
#define TESTVF_ARG_RX_OFFLOADS	"rx_offloads"
#define TESTVF_ARG_TX_OFFLOADS	"tx_offloads"
#define TESTVF_ARG_RETA_SIZE	"reta_size"
#define TESTVF_ARG_RSS_OFFLOADS	"rss_offloads"
#define TESTVF_ARG_LSC		"lsc"
#define TESTVF_ARG_RMV		"rmv"

#define TESTVF_DEFAULT_MAX_QUEUES	8
#define TESTVF_DEFAULT_MAX_MTU		9000
#define TESTVF_DEFAULT_SPEED		RTE_ETH_SPEED_NUM_10G
#define TESTVF_DEFAULT_RETA_SIZE	RTE_ETH_RSS_RETA_SIZE_64
#define TESTVF_DEFAULT_RX_OFFLOADS \
	(RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_VLAN_FILTER | \
	 RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	 RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define TESTVF_DEFAULT_TX_OFFLOADS \
	(RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT | \
	 RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	 RTE_ETH_TX_OFFLOAD_TCP_CKSUM)
#define TESTVF_DEFAULT_RSS_OFFLOADS \
	(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP)

/* Ethernet header, CRC and two VLAN tags: max_rx_pktlen - max_mtu. */
#define TESTVF_ETH_OVERHEAD \
	(RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + 2 * RTE_VLAN_HLEN)
#define TESTVF_MAX_SPEED	RTE_ETH_SPEED_NUM_400G
#define TESTVF_MAX_DESC		4096
#define TESTVF_DEFAULT_DESC	256
/* Delay between a knob and the interrupt thread raising its event. */
#define TESTVF_EVENT_DELAY_US	10

#define TESTVF_RXQ_MAGIC	0x74767271u	/* "tvrq" */
#define TESTVF_TXQ_MAGIC	0x74767471u	/* "tvtq" */

/* Alarm identifier: port id, event type, generation of the device. */
#define TESTVF_IDENT_TYPE_SHIFT	16
#define TESTVF_IDENT_GEN_SHIFT	24

RTE_LOG_REGISTER_DEFAULT(testvf_logtype, NOTICE);

#define TESTVF_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, testvf_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Devargs, validated before the device exists. */
struct testvf_options {
	struct rte_ether_addr mac;
	bool mac_given;
	bool link_up;
	bool lsc;
	bool rmv;
	uint16_t max_queues;
	uint16_t max_mtu;
	uint16_t reta_size;
	uint32_t speed;
	uint64_t rx_offloads;
	uint64_t tx_offloads;
	uint64_t rss_offloads;
};

/*
 * Counters of one Rx queue. packets and bytes have one writer, the lcore
 * polling the queue; injected and overflow are added to by any injector.
 */
struct testvf_rxq_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t injected;
	uint64_t overflow;
} __rte_cache_aligned;

/* Counters of one Tx queue; one writer, the lcore transmitting on it. */
struct testvf_txq_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t refused;
	uint64_t failed_bursts;
} __rte_cache_aligned;

struct testvf_private;

struct testvf_rxq {
	uint32_t magic;
	uint16_t port_id;
	struct rte_ring *ring;	/* multi-producer: injectors; single consumer */
	struct testvf_private *priv;
	struct testvf_rxq_stats *stats;
};

struct testvf_txq {
	uint32_t magic;
	struct rte_ring *ring;	/* single producer: Tx burst; multi-consumer */
	struct testvf_private *priv;
	struct testvf_txq_stats *stats;
};

struct testvf_private {
	struct testvf_options opts;
	/* Tells this device from a later one given the same port id. */
	uint64_t generation;
	uint16_t port_id;
	/* Tx bursts still to fail; set by a knob, consumed by Tx bursts. */
	uint32_t tx_fail_bursts;

	/* Guards everything below except the live counters. */
	rte_spinlock_t lock;
	bool closing;		/* no more events may be armed */
	struct testvf_config cfg;
	/* Counters live across queue release so totals never go back. */
	struct testvf_rxq_stats rx_stats[TESTVF_MAX_QUEUES];
	struct testvf_txq_stats tx_stats[TESTVF_MAX_QUEUES];
	/* Values at the last reset: a reset never writes a live counter. */
	struct testvf_rxq_stats rx_base[TESTVF_MAX_QUEUES];
	struct testvf_txq_stats tx_base[TESTVF_MAX_QUEUES];
};

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

static const struct eth_dev_ops testvf_ops;

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

static inline bool
testvf_is_removed(const struct testvf_private *priv)
{
	/* Relaxed: a plain switch, no data is published with it. */
	return __atomic_load_n(&priv->cfg.removed, __ATOMIC_RELAXED);
}

static uint16_t
testvf_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct testvf_rxq *q = queue;
	uint64_t bytes = 0;
	unsigned int i, n;

	/* A burst on a released queue is a bug in the caller: fail loudly. */
	RTE_VERIFY(q->magic == TESTVF_RXQ_MAGIC);
	if (unlikely(testvf_is_removed(q->priv)))
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
	uint64_t bytes = 0;
	unsigned int i, n;

	RTE_VERIFY(q->magic == TESTVF_TXQ_MAGIC);
	if (unlikely(testvf_is_removed(q->priv))) {
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

static struct testvf_private *
testvf_priv(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* Publish the link the port has now. Lock held. */
static int
testvf_link_refresh(struct rte_eth_dev *dev)
{
	const struct testvf_private *priv = testvf_priv(dev);
	const struct testvf_config *cfg = &priv->cfg;
	bool up = cfg->started && cfg->carrier && cfg->link_admin_up &&
		!cfg->removed;
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

static void
testvf_events_cancel(struct testvf_private *priv);

/*
 * Called by rte_eth_dev_close() (never on a started port) and by the vdev
 * remove (possibly on a started port): free everything but what
 * rte_eth_dev_release_port() frees (dev_private, mac_addrs, queue arrays).
 */
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
	TESTVF_LOG(INFO, "port %u closed", dev->data->port_id);
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
static int
testvf_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct testvf_private *priv = testvf_priv(dev);
	struct testvf_rxq_stats rx;
	struct testvf_txq_stats tx;
	struct testvf_totals t;
	unsigned int q;

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.stats_get++;
	testvf_totals_read(priv, &t);
	for (q = 0; q < RTE_MIN(TESTVF_MAX_QUEUES, RTE_ETHDEV_QUEUE_STAT_CNTRS);
			q++) {
		testvf_rxq_read(priv, q, &rx);
		testvf_txq_read(priv, q, &tx);
		stats->q_ipackets[q] = rx.packets;
		stats->q_ibytes[q] = rx.bytes;
		stats->q_opackets[q] = tx.packets;
		stats->q_obytes[q] = tx.bytes;
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

static int
testvf_stats_reset(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.stats_reset++;
	testvf_counters_reset(priv);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
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

static int
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
static int
testvf_xstats_reset(struct rte_eth_dev *dev)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	priv->cfg.ops.xstats_reset++;
	testvf_counters_reset(priv);
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

static int
testvf_is_removed_op(struct rte_eth_dev *dev)
{
	return testvf_is_removed(testvf_priv(dev));
}

static const struct eth_dev_ops testvf_ops = {
	.dev_configure = testvf_dev_configure,
	.dev_infos_get = testvf_dev_infos_get,
	.dev_start = testvf_dev_start,
	.dev_stop = testvf_dev_stop,
	.dev_close = testvf_dev_close,
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

/* Events: raised from the EAL interrupt thread, or synchronously. */

static void *
testvf_event_ident(const struct testvf_private *priv,
		enum rte_eth_event_type type)
{
	RTE_BUILD_BUG_ON(sizeof(uintptr_t) < sizeof(uint64_t));
	RTE_BUILD_BUG_ON(RTE_MAX_ETHPORTS > (1 << TESTVF_IDENT_TYPE_SHIFT));
	RTE_BUILD_BUG_ON(RTE_ETH_EVENT_MAX >
		(1 << (TESTVF_IDENT_GEN_SHIFT - TESTVF_IDENT_TYPE_SHIFT)));
	return (void *)(uintptr_t)(priv->generation << TESTVF_IDENT_GEN_SHIFT |
		(uint64_t)type << TESTVF_IDENT_TYPE_SHIFT | priv->port_id);
}

static void
testvf_event_deliver(struct rte_eth_dev *dev, enum rte_eth_event_type type)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	if (type == RTE_ETH_EVENT_INTR_LSC)
		priv->cfg.events.lsc_delivered++;
	else
		priv->cfg.events.rmv_delivered++;
	rte_spinlock_unlock(&priv->lock);
	rte_eth_dev_callback_process(dev, type, NULL);
	/* Nothing after this: a callback may have closed the port. */
}

static void
testvf_event_alarm(void *arg)
{
	uint64_t ident = (uintptr_t)arg;
	uint16_t port_id = ident & UINT16_MAX;
	enum rte_eth_event_type type = (ident >> TESTVF_IDENT_TYPE_SHIFT) &
		UINT8_MAX;
	uint64_t generation = ident >> TESTVF_IDENT_GEN_SHIFT;
	struct rte_eth_dev *dev = &rte_eth_devices[port_id];

	/*
	 * Close cancels the alarms of the port before freeing it, waiting for
	 * a running one: if the port holds another device now, this alarm is
	 * from a device closed while it was being cancelled.
	 */
	if (dev->state == RTE_ETH_DEV_UNUSED || dev->dev_ops != &testvf_ops ||
			testvf_priv(dev)->generation != generation)
		return;
	testvf_event_deliver(dev, type);
}

/*
 * A running alarm is waited for, unless it runs in this very thread (a
 * callback closing the port): it then touches nothing after delivery.
 */
static void
testvf_events_cancel(struct testvf_private *priv)
{
	rte_eal_alarm_cancel(testvf_event_alarm,
		testvf_event_ident(priv, RTE_ETH_EVENT_INTR_LSC));
	rte_eal_alarm_cancel(testvf_event_alarm,
		testvf_event_ident(priv, RTE_ETH_EVENT_INTR_RMV));
}

/* Knobs. */

static int
testvf_lookup(uint16_t port, struct rte_eth_dev **devp)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port))
		return -ENODEV;
	dev = &rte_eth_devices[port];
	if (dev->dev_ops != &testvf_ops)
		return -EINVAL;
	*devp = dev;
	return 0;
}

static struct testvf_rxq *
testvf_knob_rxq(uint16_t port, uint16_t queue, int *err)
{
	struct rte_eth_dev *dev;

	*err = testvf_lookup(port, &dev);
	if (*err != 0)
		return NULL;
	if (queue >= dev->data->nb_rx_queues ||
			dev->data->rx_queues[queue] == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	return dev->data->rx_queues[queue];
}

static struct testvf_txq *
testvf_knob_txq(uint16_t port, uint16_t queue, int *err)
{
	struct rte_eth_dev *dev;

	*err = testvf_lookup(port, &dev);
	if (*err != 0)
		return NULL;
	if (queue >= dev->data->nb_tx_queues ||
			dev->data->tx_queues[queue] == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	return dev->data->tx_queues[queue];
}

int
testvf_rx_inject(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n)
{
	struct testvf_rxq *q;
	unsigned int enq;
	int ret;

	q = testvf_knob_rxq(port, queue, &ret);
	if (q == NULL)
		return ret;
	if (pkts == NULL && n != 0)
		return -EINVAL;
	enq = rte_ring_enqueue_burst(q->ring, (void **)pkts, n, NULL);
	/* Relaxed: injectors only count; the ring orders the packets. */
	__atomic_fetch_add(&q->stats->injected, enq, __ATOMIC_RELAXED);
	__atomic_fetch_add(&q->stats->overflow, n - enq, __ATOMIC_RELAXED);
	return enq;
}

int
testvf_tx_drain(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n)
{
	struct testvf_txq *q;
	int ret;

	q = testvf_knob_txq(port, queue, &ret);
	if (q == NULL)
		return ret;
	if (pkts == NULL && n != 0)
		return -EINVAL;
	return rte_ring_dequeue_burst(q->ring, (void **)pkts, n, NULL);
}

unsigned int
testvf_rx_pending(uint16_t port, uint16_t queue)
{
	struct testvf_rxq *q;
	int ret;

	q = testvf_knob_rxq(port, queue, &ret);
	return q == NULL ? 0 : rte_ring_count(q->ring);
}

unsigned int
testvf_tx_pending(uint16_t port, uint16_t queue)
{
	struct testvf_txq *q;
	int ret;

	q = testvf_knob_txq(port, queue, &ret);
	return q == NULL ? 0 : rte_ring_count(q->ring);
}

/*
 * Count and arm an event. Lock held: close sets closing under the lock
 * before cancelling, so an alarm armed here is always cancelled.
 */
static int
testvf_event_raise_locked(struct testvf_private *priv,
		enum rte_eth_event_type type, bool sync)
{
	int ret;

	if (!sync) {
		ret = rte_eal_alarm_set(TESTVF_EVENT_DELAY_US,
				testvf_event_alarm,
				testvf_event_ident(priv, type));
		if (ret != 0) {
			TESTVF_LOG(ERR, "port %u: cannot arm event alarm: %s",
				priv->port_id, rte_strerror(-ret));
			return ret;
		}
	}
	if (type == RTE_ETH_EVENT_INTR_LSC)
		priv->cfg.events.lsc_raised++;
	else
		priv->cfg.events.rmv_raised++;
	return 0;
}

static int
testvf_set_link_common(uint16_t port, bool up, bool notify, bool sync)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	bool raise;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	if (priv->closing) {
		ret = -ENODEV;
		goto unlock;
	}
	priv->cfg.carrier = up;
	testvf_link_refresh(dev);
	raise = notify && dev->data->dev_conf.intr_conf.lsc != 0;
	if (raise)
		ret = testvf_event_raise_locked(priv, RTE_ETH_EVENT_INTR_LSC,
				sync);
	rte_spinlock_unlock(&priv->lock);
	if (raise && sync && ret == 0)
		testvf_event_deliver(dev, RTE_ETH_EVENT_INTR_LSC);
	return ret;

unlock:
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

int
testvf_set_link(uint16_t port, bool up, bool notify)
{
	return testvf_set_link_common(port, up, notify, false);
}

int
testvf_set_link_sync(uint16_t port, bool up)
{
	return testvf_set_link_common(port, up, true, true);
}

static int
testvf_raise_rmv_common(uint16_t port, bool sync)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	if (priv->closing) {
		ret = -ENODEV;
		goto unlock;
	}
	if (dev->data->dev_conf.intr_conf.rmv == 0) {
		ret = -ENOTSUP;
		goto unlock;
	}
	ret = testvf_event_raise_locked(priv, RTE_ETH_EVENT_INTR_RMV, sync);
	if (ret != 0)
		goto unlock;
	/* Relaxed: bursts only need to see it eventually, nothing rides on it. */
	__atomic_store_n(&priv->cfg.removed, true, __ATOMIC_RELAXED);
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	if (sync)
		testvf_event_deliver(dev, RTE_ETH_EVENT_INTR_RMV);
	return 0;

unlock:
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

int
testvf_raise_rmv(uint16_t port)
{
	return testvf_raise_rmv_common(port, false);
}

int
testvf_raise_rmv_sync(uint16_t port)
{
	return testvf_raise_rmv_common(port, true);
}

int
testvf_tx_fail_next(uint16_t port, unsigned int n_bursts)
{
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	/* Relaxed: the count guards no data; Tx bursts CAS it down. */
	__atomic_store_n(&testvf_priv(dev)->tx_fail_bursts, n_bursts,
		__ATOMIC_RELAXED);
	return 0;
}

int
testvf_get_config(uint16_t port, struct testvf_config *out)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	if (out == NULL)
		return -EINVAL;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	*out = priv->cfg;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}

/* Devargs. */

static int
testvf_parse_uint(const char *value, uint64_t min, uint64_t max,
		uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (value == NULL || *value == '\0' || *value == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
testvf_parse_bool(const char *value, bool *out)
{
	uint64_t v;

	if (testvf_parse_uint(value, 0, 1, &v) != 0)
		return -EINVAL;
	*out = v != 0;
	return 0;
}

static int
testvf_arg_mac(const char *value, struct testvf_options *opts)
{
	if (value == NULL || rte_ether_unformat_addr(value, &opts->mac) != 0 ||
			!rte_is_valid_assigned_ether_addr(&opts->mac))
		return -EINVAL;
	opts->mac_given = true;
	return 0;
}

static int
testvf_arg_link(const char *value, struct testvf_options *opts)
{
	if (value != NULL && strcmp(value, "up") == 0)
		opts->link_up = true;
	else if (value != NULL && strcmp(value, "down") == 0)
		opts->link_up = false;
	else
		return -EINVAL;
	return 0;
}

static int
testvf_arg_max_queues(const char *value, struct testvf_options *opts)
{
	uint64_t v;

	if (testvf_parse_uint(value, 1, TESTVF_MAX_QUEUES, &v) != 0)
		return -EINVAL;
	opts->max_queues = v;
	return 0;
}

static int
testvf_arg_max_mtu(const char *value, struct testvf_options *opts)
{
	uint64_t v;

	if (testvf_parse_uint(value, RTE_ETHER_MIN_MTU,
			UINT16_MAX - TESTVF_ETH_OVERHEAD, &v) != 0)
		return -EINVAL;
	opts->max_mtu = v;
	return 0;
}

static int
testvf_arg_speed(const char *value, struct testvf_options *opts)
{
	uint64_t v;

	if (testvf_parse_uint(value, 1, TESTVF_MAX_SPEED, &v) != 0)
		return -EINVAL;
	opts->speed = v;
	return 0;
}

static int
testvf_arg_reta_size(const char *value, struct testvf_options *opts)
{
	uint64_t v;

	if (testvf_parse_uint(value, RTE_ETH_RETA_GROUP_SIZE,
			TESTVF_MAX_RETA_SIZE, &v) != 0 ||
			v % RTE_ETH_RETA_GROUP_SIZE != 0)
		return -EINVAL;
	opts->reta_size = v;
	return 0;
}

static int
testvf_arg_rx_offloads(const char *value, struct testvf_options *opts)
{
	return testvf_parse_uint(value, 0, UINT64_MAX, &opts->rx_offloads);
}

static int
testvf_arg_tx_offloads(const char *value, struct testvf_options *opts)
{
	return testvf_parse_uint(value, 0, UINT64_MAX, &opts->tx_offloads);
}

static int
testvf_arg_rss_offloads(const char *value, struct testvf_options *opts)
{
	return testvf_parse_uint(value, 0, UINT64_MAX, &opts->rss_offloads);
}

static int
testvf_arg_lsc(const char *value, struct testvf_options *opts)
{
	return testvf_parse_bool(value, &opts->lsc);
}

static int
testvf_arg_rmv(const char *value, struct testvf_options *opts)
{
	return testvf_parse_bool(value, &opts->rmv);
}

static const struct {
	const char *key;
	int (*parse)(const char *value, struct testvf_options *opts);
} testvf_args[] = {
	{ TESTVF_ARG_MAC, testvf_arg_mac },
	{ TESTVF_ARG_LINK, testvf_arg_link },
	{ TESTVF_ARG_MAX_QUEUES, testvf_arg_max_queues },
	{ TESTVF_ARG_MAX_MTU, testvf_arg_max_mtu },
	{ TESTVF_ARG_SPEED, testvf_arg_speed },
	{ TESTVF_ARG_RX_OFFLOADS, testvf_arg_rx_offloads },
	{ TESTVF_ARG_TX_OFFLOADS, testvf_arg_tx_offloads },
	{ TESTVF_ARG_RETA_SIZE, testvf_arg_reta_size },
	{ TESTVF_ARG_RSS_OFFLOADS, testvf_arg_rss_offloads },
	{ TESTVF_ARG_LSC, testvf_arg_lsc },
	{ TESTVF_ARG_RMV, testvf_arg_rmv },
};

static void
testvf_options_default(struct testvf_options *opts)
{
	*opts = (struct testvf_options){
		.link_up = true,
		.lsc = true,
		.rmv = true,
		.max_queues = TESTVF_DEFAULT_MAX_QUEUES,
		.max_mtu = TESTVF_DEFAULT_MAX_MTU,
		.reta_size = TESTVF_DEFAULT_RETA_SIZE,
		.speed = TESTVF_DEFAULT_SPEED,
		.rx_offloads = TESTVF_DEFAULT_RX_OFFLOADS,
		.tx_offloads = TESTVF_DEFAULT_TX_OFFLOADS,
		.rss_offloads = TESTVF_DEFAULT_RSS_OFFLOADS,
	};
}

/*
 * Parse with no list of valid keys, then check each pair here, so that an
 * unknown key is reported by name like a bad value.
 */
static int
testvf_parse_devargs(const char *name, const char *params,
		struct testvf_options *opts)
{
	struct rte_kvargs *kvlist;
	unsigned int i, k;
	int ret = 0;

	if (params == NULL || *params == '\0')
		return 0;
	kvlist = rte_kvargs_parse(params, NULL);
	if (kvlist == NULL) {
		TESTVF_LOG(ERR, "%s: cannot parse devargs \"%s\"", name, params);
		return -EINVAL;
	}
	for (i = 0; i < kvlist->count; i++) {
		const struct rte_kvargs_pair *pair = &kvlist->pairs[i];
		const char *value = pair->value != NULL ? pair->value : "";

		for (k = 0; k < RTE_DIM(testvf_args); k++)
			if (strcmp(pair->key, testvf_args[k].key) == 0)
				break;
		if (k == RTE_DIM(testvf_args)) {
			TESTVF_LOG(ERR, "%s: unknown devarg %s=%s", name,
				pair->key, value);
			ret = -EINVAL;
			goto free_kvlist;
		}
		if (testvf_args[k].parse(pair->value, opts) != 0) {
			TESTVF_LOG(ERR, "%s: invalid value \"%s\" for devarg %s",
				name, value, pair->key);
			ret = -EINVAL;
			goto free_kvlist;
		}
	}

free_kvlist:
	rte_kvargs_free(kvlist);
	return ret;
}

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
	testvf_dev_close(dev);
	return rte_eth_dev_release_port(dev);
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
