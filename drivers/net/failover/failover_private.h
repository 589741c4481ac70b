/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_PRIVATE_H
#define FAILOVER_PRIVATE_H

/*
 * net_failover exposes one ethdev port over two sub-ports:
 *
 *  - the synthetic path, a paravirtual port that is always there;
 *  - the VF path, an SR-IOV virtual function that may come and go.
 *
 * Data path. One Rx and one Tx burst function (failover_rxtx.c) are
 * installed before start. Each burst reads the active path word once through
 * the hand-off primitive (lib/failover_handoff.h): the word names the port
 * Tx goes to and the VF port Rx polls (if any); Rx always polls the
 * synthetic port too.
 *
 * Control path. The VF life cycle is the pure state machine of
 * lib/failover_sm.h. Its events come from:
 *  - ethdev ops called by the application (start, stop, close, ...);
 *  - the public API (rte_pmd_failover_switch(), ..._vf_detach());
 *  - sub-port callbacks (LSC, INTR_RMV, NEW, DESTROY) and the EAL hot-plug
 *    monitor (RTE_DEV_EVENT_REMOVE). Callbacks never take the control lock:
 *    they queue an event for the control thread, except that a VF that is
 *    going away is first dropped from the active path at once (a hand-off
 *    under the publish lock), so nothing can use it any more by the time
 *    the callback returns;
 *  - the per-device control thread, which also runs the timers (VF settle,
 *    re-probe, Rx drain).
 * The machine is stepped, and its actions carried out, under priv->lock.
 *
 * Locks, in the order they may be taken:
 *   priv->lock          control operations and state machine;
 *   priv->publish_lock  writers of the active path word (short);
 *   priv->evq_lock      the event queue (short, leaf).
 * Callbacks take only the last two. No lock is held by the data path.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <ethdev_driver.h>
#include <rte_log.h>

#include "failover_args.h"
#include "failover_handoff.h"
#include "failover_sm.h"
#include "rte_pmd_failover.h"

/* ======================================================================
 * LOGGING
 * ====================================================================== */

extern int failover_logtype;

#define FO_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, failover_logtype, \
		"net_failover: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

/* ======================================================================
 * RX / TX
 * ====================================================================== */

/* No port. */
#define FO_NO_PORT		UINT16_MAX

/*
 * The active path word read once per burst. Rx always polls the synthetic
 * port, and the VF too with FO_PATH_VF_RX; Tx goes to the VF with
 * FO_PATH_VF_TX (never without FO_PATH_VF_RX), else to the synthetic port.
 */
#define FO_PATH_VF_RX		(1u << 0)
#define FO_PATH_VF_TX		(1u << 1)
#define FO_PATH_SYNTHETIC	0u
#define FO_PATH_VF		(FO_PATH_VF_RX | FO_PATH_VF_TX)

/*
 * The sub-ports' burst functions are called directly, with the queue
 * pointers captured when each sub-port was started, not through
 * rte_eth_fp_ops: ethdev points a port's fp_ops at dummies *before* its
 * driver's stop runs, so a third party stopping the VF would pull them
 * from under a burst in flight. Captured state changes only while no
 * published word refers to it.
 */
enum failover_slot {
	FO_SLOT_SYNTHETIC = 0,
	FO_SLOT_VF = 1,
	FO_SLOTS,
};

struct failover_fp {
	eth_rx_burst_t rx_burst;
	eth_tx_burst_t tx_burst;
	eth_tx_prep_t tx_prepare;	/* NULL: the sub-port needs none */
};

/*
 * When the VF fills whole bursts, the synthetic port is still polled first
 * once every this many bursts, so that what the host sends there
 * (broadcast, first packets of new flows) is never starved.
 */
#define FO_SYNTHETIC_POLL_EVERY	8

/* Counters written only by the lcore polling the queue. */
struct failover_rxq_counters {
	uint64_t pkts_vf;		/* received on the VF */
	uint64_t pkts_synthetic;	/* received on the synthetic port */
	uint64_t synthetic_while_vf;	/* on synthetic while Tx on the VF */
	uint64_t vf_empty_polls;	/* VF polls that gave nothing */
};

struct failover_rxq {
	struct failover_handoff_reader reader;	/* own cache line */
	const struct failover_handoff *handoff;
	const struct failover_fp *fp;	/* [FO_SLOTS] */
	void *sub_queue[FO_SLOTS];	/* the sub-ports' Rx queues */
	uint16_t queue_id;
	uint16_t port_id;		/* the failover port, for mbuf->port */
	uint16_t vf_full_streak;	/* bursts the VF filled in a row */
	struct failover_rxq_counters cnt;
	uint64_t stats_base;		/* control plane: total at last reset */
} __rte_cache_aligned;

struct failover_txq_counters {
	uint64_t pkts_vf;
	uint64_t pkts_synthetic;
	uint64_t vf_retry_synthetic;	/* sent on synthetic after the VF refused */
};

struct failover_txq {
	struct failover_handoff_reader reader;
	const struct failover_handoff *handoff;
	const struct failover_fp *fp;	/* [FO_SLOTS] */
	void *sub_queue[FO_SLOTS];	/* the sub-ports' Tx queues */
	uint16_t queue_id;
	struct failover_txq_counters cnt;
	uint64_t stats_base;		/* control plane: total at last reset */
} __rte_cache_aligned;

uint16_t failover_rx_burst(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);
uint16_t failover_tx_burst(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);
uint16_t failover_tx_prepare(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);

/* ======================================================================
 * SUB-PORTS AND RECORDED CONFIGURATION
 * ====================================================================== */

struct failover_subport {
	uint16_t port_id;	/* FO_NO_PORT when absent */
	bool probed;		/* we probed the device: remove it on release */
	bool owned;		/* we hold ethdev ownership */
	bool configured;	/* configured with the recorded dev_conf */
	bool started;
	bool gone;		/* device destroyed under us: do not touch */
	char name[RTE_ETH_NAME_MAX_LEN];
};

struct failover_rxq_conf {
	bool set;
	uint16_t nb_desc;
	unsigned int socket_id;
	struct rte_eth_rxconf conf;
	struct rte_mempool *mp;
};

struct failover_txq_conf {
	bool set;
	uint16_t nb_desc;
	unsigned int socket_id;
	struct rte_eth_txconf conf;
};

/* Unicast MAC slots of the failover port; [0] is the default address. */
#define FO_MAX_MAC_ADDRS	32
/* Largest RSS redirection table recorded, in entries. */
#define FO_MAX_RETA_SIZE	RTE_ETH_RSS_RETA_SIZE_512
/* Packet types dev_supported_ptypes_get can report. */
#define FO_MAX_PTYPES		64
#define FO_VLAN_IDS		4096

/* One rule of the failover port and its sub-port rules (failover_flow.c). */
struct rte_flow;
RTE_TAILQ_HEAD(failover_flow_list, rte_flow);

/*
 * What the application set on the failover port. Each operation applies
 * it to the synthetic port, then to the VF taking part in configuration,
 * and records it once both took it; failover_vf_setup() replays all of it
 * on a VF that arrives later, or refuses the VF. docs/guides/failover.rst
 * ("Configuration replay and refusals") has the table of what is replayed
 * and what a VF that cannot take it gets.
 */
struct failover_config {
	bool configured;
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	/* MTU, Rx/Tx offloads (VLAN ones included), RSS hash functions */
	struct rte_eth_conf dev_conf;
	struct failover_rxq_conf *rxq;	/* [nb_rx_queues] */
	struct failover_txq_conf *txq;	/* [nb_tx_queues] */
	uint8_t rss_key[64];		/* dev_conf's rss_key points here */
	uint8_t rss_key_len;
	uint16_t mtu;
	bool promiscuous;
	bool all_multicast;
	bool link_down;			/* dev_set_link_down was the last */
	/* Extra unicast MACs by index of the port's table; [0] unused. */
	struct rte_ether_addr mac_addrs[FO_MAX_MAC_ADDRS];
	uint64_t mac_pools[FO_MAX_MAC_ADDRS];	/* 0: slot free */
	uint16_t mac_table_size;	/* entries of dev->data->mac_addrs */
	struct rte_ether_addr *mc_addrs;	/* [nb_mc_addrs] */
	uint32_t nb_mc_addrs;
	uint64_t vlan_filter[FO_VLAN_IDS / 64];	/* bit set: VLAN id let in */
	uint16_t reta_size;		/* 0: not set since configure */
	uint16_t reta[FO_MAX_RETA_SIZE];
	bool fc_set;
	struct rte_eth_fc_conf fc;	/* flow control, when fc_set */
	bool flow_isolated;
	struct failover_flow_list flows;	/* in creation order */
	uint32_t flow_next_id;
	/* Not a setting: the answer of dev_supported_ptypes_get. */
	uint32_t ptypes[FO_MAX_PTYPES + 1];
};

/*
 * Counters of one path, folded by positive deltas (failover_stats.c):
 * the flat counters of struct rte_eth_stats, basic then per queue.
 */
#define FO_STATS_COUNTERS	(8 + 5 * RTE_ETHDEV_QUEUE_STAT_CNTRS)

struct failover_stats_acc {
	uint64_t acc[FO_STATS_COUNTERS];	/* what the path counted */
	uint64_t prev[FO_STATS_COUNTERS];	/* last reading of the port */
	uint64_t final[FO_STATS_COUNTERS];	/* kept when taken from us */
	uint32_t final_ident;			/* VF they belong to, 0: none */
};

/*
 * One extended statistic of a sub-port, keyed by path and by the name
 * the sub-port gives it. Entries are added in first-seen order and never
 * removed while the port lives: an entry's index is its xstats id (after
 * the PMD's own), and a VF that is gone, or a VF of another model without
 * that name, leaves the entry reporting its last total.
 */
#define FO_XSTATS_MAX		1024

struct failover_xstat {
	char name[RTE_ETH_XSTATS_NAME_SIZE];	/* the sub-port's own name */
	uint8_t slot;			/* enum failover_slot */
	uint32_t final_ident;		/* VF of final, 0: none */
	uint64_t acc;
	uint64_t prev;
	uint64_t final;
};

/* The PMD's own counters: name and offset in rte_pmd_failover_counters. */
struct failover_counter_desc {
	const char *name;
	size_t offset;
};

extern const struct failover_counter_desc failover_counter_descs[];
extern const unsigned int failover_nb_counters;

/* ======================================================================
 * CONTROL THREAD AND EVENTS
 * ====================================================================== */

enum failover_input {
	FO_IN_VF_NEW = 0,	/* a port matching the VF was adopted */
	FO_IN_VF_LSC,		/* link change on the VF */
	FO_IN_VF_RMV,		/* INTR_RMV on the VF */
	FO_IN_VF_DESTROY,	/* VF port destroyed */
	FO_IN_VF_HOTPLUG_RMV,	/* EAL hot-plug monitor: device removed */
	FO_IN_SYNTHETIC_LSC,	/* link change on the synthetic port */
	FO_IN_VF_TAKEN,		/* VF stopped by a third party */
	FO_IN_VF_CLOSED,	/* VF closed by a third party */
};

/*
 * Which VF an event is about: a generation (bumped at every adoption) and
 * the port id, so that an event for a VF already gone is never taken for
 * one about a new VF that got the same port id.
 */
#define FO_IDENT(gen, port)	(((uint32_t)(gen) << 16) | (uint16_t)(port))
#define FO_IDENT_GEN(id)	((uint16_t)((id) >> 16))
#define FO_IDENT_PORT(id)	((uint16_t)((id) & 0xffff))

struct failover_input_msg {
	enum failover_input type;
	uint16_t port_id;
	uint32_t ident;		/* VF events: the VF's identity when raised */
};

#define FO_EVQ_SIZE 64

struct failover_path_cb {
	rte_pmd_failover_path_cb_t fn;
	void *arg;
};

#define FO_MAX_PATH_CBS 8

struct failover_counters {
	uint64_t switches;
	uint64_t switch_to_vf;
	uint64_t switch_to_synthetic;
	uint64_t vf_attach;
	uint64_t vf_detach;
	uint64_t vf_refused;
	uint64_t last_switch_latency_ns;
	uint64_t transitions;
};

/* ======================================================================
 * DEVICE
 * ====================================================================== */

struct failover_priv {
	/* Read by every burst: keep it alone on its cache lines. */
	struct failover_handoff handoff;
	struct failover_fp fp[FO_SLOTS] __rte_cache_aligned;

	struct rte_eth_dev *dev;
	uint16_t port_id;
	struct failover_args args;
	struct rte_eth_dev_owner owner;
	struct rte_ether_addr mac;

	bool removing;			/* vdev remove in progress */
	bool sync_publish;		/* API call: hand-offs complete (lock) */
	pthread_mutex_t lock;		/* control plane, see top of file */
	pthread_mutex_t publish_lock;	/* writers of the path word */

	struct failover_subport synthetic;
	struct failover_subport vf;
	/*
	 * The VF the data path may use, changed only under publish_lock.
	 * Callbacks drop it there when the VF goes away.
	 */
	uint16_t data_vf;
	bool vf_dropped;		/* a callback took the VF out (publish_lock) */
	/*
	 * What callbacks on other threads see of the VF, written by the
	 * control plane: the held VF's identity (FO_IDENT; port FO_NO_PORT
	 * when none), whether a NEW port may be claimed as the VF, a matching
	 * port that appeared while one was still held (adopted once that one
	 * is gone), and the identity of a VF a third party closed.
	 */
	uint32_t cb_vf;
	bool cb_want_vf;
	uint16_t cb_candidate;
	uint32_t vf_closed;
	uint32_t vf_ident;		/* identity of priv->vf, 0 if none */
	bool vf_probe_pending;		/* we probed vf=: its port is ours to remove */

	struct failover_sm sm;
	struct failover_config cfg;
	struct failover_rxq **rxqs;	/* [RTE_MAX_QUEUES_PER_PORT] */
	struct failover_txq **txqs;

	/* control thread */
	pthread_t ctl_thread;
	bool ctl_running;
	bool ctl_stop;
	bool ctl_kicked;		/* deadlines changed (evq_lock) */
	pthread_cond_t ctl_cond;	/* with evq_lock */
	pthread_cond_t done_cond;	/* with lock: drain finished */
	pthread_mutex_t evq_lock;
	struct failover_input_msg evq[FO_EVQ_SIZE];
	unsigned int evq_head;
	unsigned int evq_len;
	uint64_t evq_dropped;
	uint64_t settle_deadline;	/* ns, 0: not armed */
	uint64_t reprobe_deadline;
	uint64_t drain_deadline;	/* hard limit of the drain */
	uint64_t drain_next_check;
	uint64_t *drain_marks;		/* per rxq vf_empty_polls at start */
	uint64_t *drain_seq;		/* per rxq reader seq at last check */
	uint64_t *drain_idle;		/* per rxq checks without a burst */

	/* links */
	bool link_up_reported;		/* aggregate link last reported */

	/* hot-plug monitor */
	bool dev_event_cb;
	bool dev_monitor_started;

	struct failover_path_cb path_cbs[FO_MAX_PATH_CBS];

	struct failover_counters cnt;
	char last_reason[96];
	uint64_t last_event_ns;
	uint64_t vf_active_since_ns;
	uint64_t time_on_vf_ns;

	/*
	 * Accumulators (failover_stats.c): acc and prev under lock, final
	 * and final_ident under publish_lock.
	 */
	struct failover_stats_acc synthetic_stats;
	struct failover_stats_acc vf_stats;	/* every VF, present and past */

	/* xstats */
	/*
	 * Entries are appended under publish_lock, xs_nb stored with release
	 * once the entry is complete; below xs_nb, name and slot never
	 * change. acc and prev are written under lock only, final and
	 * final_ident under publish_lock only.
	 */
	unsigned int xs_nb;
	unsigned int xs_hint;		/* where the next lookup starts (lock) */
	bool xs_full;			/* a name found no room (publish_lock) */
	/* The PMD's own counters when the statistics were last reset. */
	struct rte_pmd_failover_counters cnt_base;
	uint64_t time_on_vf_base_ns;
	struct failover_xstat xs[FO_XSTATS_MAX];
};

static inline struct failover_priv *
failover_priv(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* ======================================================================
 * HELPERS shared inside the driver
 * ====================================================================== */

uint64_t failover_now_ns(void);

/* failover.c: sub-port acquisition and release */
int failover_subport_attach(struct failover_priv *priv,
		const struct failover_subdev_spec *spec,
		struct failover_subport *sp, const char *role);
void failover_subport_release(struct failover_priv *priv,
		struct failover_subport *sp, const char *role);
bool failover_port_matches_spec(uint16_t port_id,
		const struct failover_subdev_spec *spec);
int failover_probe_vf(struct failover_priv *priv);

void failover_dev_teardown(struct failover_priv *priv);

/* failover_ops.c */
extern const struct eth_dev_ops failover_ops;
void failover_capture_fp(struct failover_priv *priv, enum failover_slot slot,
		uint16_t port_id);
bool failover_vf_in_config(const struct failover_priv *priv);
bool failover_vf_configured(const struct failover_priv *priv);
bool failover_vf_failed(const struct failover_priv *priv, int ret);
void failover_config_changed(struct failover_priv *priv, const char *what);
int failover_sub_start(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len);
typedef int (*failover_cosmetic_fn)(uint16_t port_id, void *arg);
int failover_apply_cosmetic(struct failover_priv *priv,
		failover_cosmetic_fn fn, void *arg, const char *what);

/* failover_replay.c: recorded configuration, VF check and replay */
void failover_config_free(struct failover_config *cfg);
int failover_config_record(struct failover_config *cfg, uint16_t nb_rxq,
		uint16_t nb_txq, const struct rte_eth_conf *conf);
bool failover_rss_spreads(const struct failover_config *cfg);
int failover_sub_configure(struct failover_priv *priv,
		struct failover_subport *sp, char *why, size_t len);
int failover_vf_setup(struct failover_priv *priv, char *why, size_t len);

/* failover_filters.c: addresses, VLAN, RSS and flow control ops */
int failover_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		uint32_t index, uint32_t pool);
void failover_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index);
int failover_set_mc_addr_list(struct rte_eth_dev *dev,
		struct rte_ether_addr *list, uint32_t nb);
int failover_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id,
		int on);
int failover_vlan_offload_set(struct rte_eth_dev *dev, int mask);
int failover_rss_hash_update(struct rte_eth_dev *dev,
		struct rte_eth_rss_conf *rss);
int failover_rss_hash_conf_get(struct rte_eth_dev *dev,
		struct rte_eth_rss_conf *rss);
int failover_reta_update(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size);
int failover_reta_query(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size);
int failover_reta_write(uint16_t port, const uint16_t *table, uint16_t size);
int failover_flow_ctrl_set(struct rte_eth_dev *dev,
		struct rte_eth_fc_conf *fc);
int failover_flow_ctrl_get(struct rte_eth_dev *dev,
		struct rte_eth_fc_conf *fc);

/* failover_flow.c */
int failover_flow_ops_get(struct rte_eth_dev *dev,
		const struct rte_flow_ops **ops);
int failover_flow_vf_prepare(struct failover_priv *priv, char *why,
		size_t len);
int failover_flow_replay(struct failover_priv *priv, char *why, size_t len);
void failover_flow_flush_all(struct failover_priv *priv);
void failover_flow_free(struct failover_config *cfg);

/* failover_events.c: callbacks and the control thread */
int failover_events_init(struct failover_priv *priv);
void failover_events_fini(struct failover_priv *priv);
void failover_ctl_kick(struct failover_priv *priv);
void failover_evq_push(struct failover_priv *priv, enum failover_input type,
		uint16_t port_id, uint32_t ident);

/* failover_path.c: publishing the active path, the VF guard */
enum failover_publish_mode {
	FO_PUB_VF,		/* Tx VF, Rx VF + synthetic */
	FO_PUB_SYNTHETIC,	/* Tx synthetic, Rx VF + synthetic */
	FO_PUB_NO_VF,		/* Tx synthetic, Rx synthetic */
};
void failover_publish(struct failover_priv *priv,
		enum failover_publish_mode mode, const char *reason);
void failover_drop_vf(struct failover_priv *priv, uint32_t ident,
		const char *reason);

/* failover_lifecycle.c: state machine actions, claim and adoption */
uint32_t failover_sm_event(struct failover_priv *priv,
		enum failover_event ev, const char *reason);
bool failover_port_is_vf(struct failover_priv *priv, uint16_t port_id);
uint32_t failover_claim(struct failover_priv *priv, uint16_t port_id);
void failover_unclaim(struct failover_priv *priv, uint32_t id);
bool failover_port_ready(uint16_t port_id);
void failover_wait_attached(uint16_t port_id);
void failover_adopt_candidate(struct failover_priv *priv);
void failover_run_timers(struct failover_priv *priv);
uint64_t failover_next_deadline(const struct failover_priv *priv);
void failover_vf_link_refresh(struct failover_priv *priv, const char *why);
void failover_vf_guard(struct failover_priv *priv, uint16_t port, bool on);
void failover_own_vf_op(bool on);
int failover_vf_adopt(struct failover_priv *priv, uint16_t port_id,
		bool probed, uint32_t ident);
bool failover_aggregate_link(struct failover_priv *priv,
		struct rte_eth_link *link);

/* failover_stats.c */
int failover_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats);
int failover_stats_reset(struct rte_eth_dev *dev);
/* The PMD's own counters since the last reset; priv->lock held. */
void failover_stats_counters(struct failover_priv *priv,
		struct rte_pmd_failover_counters *c);
int failover_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n);
int failover_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size);
int failover_xstats_get_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
		uint64_t *values, unsigned int n);
int failover_xstats_get_names_by_id(struct rte_eth_dev *dev,
		const uint64_t *ids, struct rte_eth_xstat_name *names,
		unsigned int size);
int failover_xstats_reset(struct rte_eth_dev *dev);
/* With priv->lock held, before the VF is released. */
void failover_stats_fold_vf(struct failover_priv *priv);
void failover_stats_snapshot_vf(struct failover_priv *priv, uint16_t port_id);

#endif /* FAILOVER_PRIVATE_H */
