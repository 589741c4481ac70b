/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef _TESTVF_PRIVATE_H_
#define _TESTVF_PRIVATE_H_

/*
 * Shared by the files of net_testvf: testvf.c (bursts, ops, probe),
 * testvf_stats.c, testvf_args.c (devargs) and testvf_api.c (the knobs of
 * testvf.h and the events they raise).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <ethdev_driver.h>

#include "failover_compat.h"
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
#define TESTVF_ARG_FLOW		"flow"
#define TESTVF_ARG_FLOW_RULES	"flow_rules"
#define TESTVF_ARG_TX_PREPARE	"tx_prepare"

/* Ethernet header, CRC and two VLAN tags: max_rx_pktlen - max_mtu. */
#define TESTVF_ETH_OVERHEAD \
	(RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + 2 * RTE_VLAN_HLEN)

extern int testvf_logtype;

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
	bool flow;
	uint32_t flow_rules;
	bool tx_prepare;		/* has a Tx prepare... */
	uint16_t tx_prepare_max;	/* ...that passes this many per burst */
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

struct rte_flow {
	struct testvf_private *priv;
	int action;
};

struct testvf_private {
	struct rte_flow *flows[TESTVF_MAX_FLOWS];
	struct testvf_options opts;
	/* Tells this device from a later one given the same port id. */
	uint64_t generation;
	uint16_t port_id;
	/* Tx bursts still to fail; set by a knob, consumed by Tx bursts. */
	uint32_t tx_fail_bursts;
	/* testvf_tx_hook_set(): run at the start of every Tx burst. */
	void (*tx_hook)(void *arg);
	void *tx_hook_arg;

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

extern const struct eth_dev_ops testvf_ops;

static inline struct testvf_private *
testvf_priv(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static inline bool
testvf_is_removed(const struct testvf_private *priv)
{
	/* Relaxed: a plain switch, no data is published with it. */
	return __atomic_load_n(&priv->cfg.removed, __ATOMIC_RELAXED);
}

/* Removed, or waiting for a reset: the data path does nothing. */
static inline bool
testvf_is_halted(const struct testvf_private *priv)
{
	/* Relaxed: plain switches, no data is published with them. */
	return testvf_is_removed(priv) ||
		__atomic_load_n(&priv->cfg.reset_pending, __ATOMIC_RELAXED);
}

/* Publish the link the port has now. Lock held. */
int testvf_link_refresh(struct rte_eth_dev *dev);

/* Cancel the pending events of a closing port. Lock not held. */
void testvf_events_cancel(struct testvf_private *priv);

/* ops of testvf_stats.c */
/* @p qstats: per-queue counters, or NULL (failover_compat.h). */
int testvf_stats_read(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		failover_qstats *qstats);
int testvf_stats_reset(struct rte_eth_dev *dev);
int testvf_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n);
int testvf_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size);
int testvf_xstats_reset(struct rte_eth_dev *dev);

/* Devargs: defaults, then @p params ("key=value,...") over them. */
void testvf_options_default(struct testvf_options *opts);
int testvf_parse_devargs(const char *name, const char *params,
		struct testvf_options *opts);

#endif /* _TESTVF_PRIVATE_H_ */
