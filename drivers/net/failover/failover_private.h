/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_PRIVATE_H
#define FAILOVER_PRIVATE_H

/*
 * net_failover exposes one ethdev port over two sub-ports:
 *
 *  - the synthetic path, a paravirtual port that is normally there;
 *  - the VF path, an SR-IOV virtual function that may come and go.
 * Either may leave and return: both are one record (struct
 * failover_subport) with one life cycle (failover_subport.c).
 *
 * Data path. One Rx and one Tx burst function (failover_rxtx.c) are
 * installed before start. Each burst reads the active path word once
 * through the hand-off primitive (lib/failover_handoff.h): the word's
 * bits (FO_PATH_*) say which sub-ports Rx polls and which one Tx uses;
 * the sub-ports' burst functions and queues are captured in priv->fp and
 * the queues.
 *
 * Control path. The VF's use is the pure state machine of
 * lib/failover_sm.h. Its inputs come from:
 *  - ethdev ops called by the application (start, stop, close, ...);
 *  - the public API (rte_pmd_failover_switch(), ..._vf_detach());
 *  - sub-port callbacks (LSC, INTR_RMV, INTR_RESET, NEW, DESTROY), the EAL
 *    hot-plug monitor (RTE_DEV_EVENT_REMOVE) and the guards of the
 *    sub-ports' stop and close. Callbacks never take the control lock:
 *    a sub-port that is going away is first taken out of the path (a
 *    bounded hand-off under publish_lock), then a fact is posted in its
 *    record for the control thread;
 *  - the per-device control thread, which takes the facts and runs the
 *    timers (VF settle, re-probes, Rx drain, link poll, quarantine).
 * The machine is stepped, and its actions carried out, under priv->lock.
 *
 * Locks, in the order they may be taken:
 *   priv->lock          control operations and state machine (per port
 *                       id, outlives the port: failover_lock_dev());
 *   priv->publish_lock  writers of the active path word (short);
 *   priv->ctl_lock      the control thread's wake-up (short, leaf).
 * Callbacks take only the last two. No lock is held by the data path.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <ethdev_driver.h>
#include <rte_log.h>

#include "failover_args.h"
#include "failover_compat.h"
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
 * The active path word read once per burst. Rx polls the synthetic port
 * unless FO_PATH_SYN_OFF, and the VF too with FO_PATH_VF_RX; Tx goes to
 * the VF with FO_PATH_VF_TX (never without FO_PATH_VF_RX), else to the
 * synthetic port unless FO_PATH_SYN_OFF, else nowhere (the burst sends
 * nothing: no path is left). FO_PATH_SYNTHETIC, the common word, is 0.
 */
#define FO_PATH_VF_RX		(1u << 0)
#define FO_PATH_VF_TX		(1u << 1)
#define FO_PATH_SYN_OFF		(1u << 2)
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
	/*
	 * The sub-port these came from: a secondary process calls its own
	 * burst functions of that port (the ones above are the primary's).
	 */
	uint16_t port_id;
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
	uint64_t no_path;		/* offered while no path was left */
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
/* The same in a secondary process (failover_mp.c installs them). */
uint16_t failover_rx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);
uint16_t failover_tx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);

/* ======================================================================
 * SUB-PORTS AND RECORDED CONFIGURATION
 * ====================================================================== */

/*
 * One record per sub-port, the same for the synthetic port and the VF:
 * either may leave and come back (failover_subport.c has the life cycle).
 *
 * The one rule: the fields above @c cb are the control plane's (written
 * with priv->lock held, on the control thread or in an ethdev op or API
 * call); @c cb and @c candidate are shared with the callbacks, which only
 * post facts there; @c dropped and @c quarantined are under publish_lock, the
 * lock of the writers of the path word.
 */
struct failover_subport {
	uint16_t port_id;	/* FO_NO_PORT when absent */
	uint32_t ident;		/* FO_IDENT of the held port, 0 if none */
	bool probed;		/* we probed the device: remove it on release */
	bool owned;		/* we hold ethdev ownership */
	bool configured;	/* configured with the recorded dev_conf */
	bool started;
	bool gone;		/* destroyed, stopped or closed by someone
				 * else: never touch the port again */
	bool probe_pending;	/* we probed the spec: its port is ours to
				 * remove */
	bool link_up;		/* last link state read (link poll) */
	uint64_t reprobe_deadline;	/* ns, 0: not armed (synthetic) */
	char name[RTE_ETH_NAME_MAX_LEN];

	/*
	 * (FO_IDENT << 32) | FO_FACT_* bits. The identity is the port held
	 * or claimed (port FO_NO_PORT: none); callbacks OR facts about that
	 * identity in and never about another; the control thread takes
	 * them. A claim (NEW) moves the identity from no port to a port.
	 */
	uint64_t cb;
	uint16_t candidate;	/* a matching port seen while one was held */

	bool dropped;		/* a callback took it out (publish_lock) */
	bool quarantined;	/* left the path with a burst maybe still in
				 * it: never stop, close or free it yet */
	uint64_t quarantine_token;	/* failover_handoff_quiesced() says when */
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
 * and records it once both took it; failover_sub_setup() replays all of it
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

/*
 * Which port a sub-port record holds: a generation (bumped at every claim)
 * and the port id, so that an event for a port already gone is never
 * taken for one about a new port that got the same port id.
 */
#define FO_IDENT(gen, port)	(((uint32_t)(gen) << 16) | (uint16_t)(port))
#define FO_IDENT_GEN(id)	((uint16_t)((id) >> 16))
#define FO_IDENT_PORT(id)	((uint16_t)((id) & 0xffff))

/*
 * Facts a callback posts about a sub-port (struct failover_subport, cb).
 * They are coalesced: a fact posted twice before the control thread
 * takes it is taken once (counted in events_coalesced), which loses
 * nothing, since each one tells a state (removed, link changed) rather
 * than a quantity.
 */
#define FO_FACT_NEW		(1u << 0)	/* claimed: adopt it */
#define FO_FACT_LSC		(1u << 1)	/* link changed */
#define FO_FACT_RMV		(1u << 2)	/* INTR_RMV */
#define FO_FACT_HOTPLUG_RMV	(1u << 3)	/* EAL hot-plug monitor */
#define FO_FACT_DESTROY		(1u << 4)	/* port destroyed */
#define FO_FACT_TAKEN		(1u << 5)	/* stopped by a third party */
#define FO_FACT_CLOSED		(1u << 6)	/* closed by a third party */
#define FO_FACT_RESET		(1u << 7)	/* INTR_RESET: needs dev_reset */
#define FO_FACT_LINK_DOWN	(1u << 8)	/* link poll saw it down */
/* The port is not ours to touch any more. */
#define FO_FACTS_GONE	(FO_FACT_DESTROY | FO_FACT_TAKEN | FO_FACT_CLOSED)
/* The sub-port leaves. */
#define FO_FACTS_LEAVE	(FO_FACTS_GONE | FO_FACT_RMV | FO_FACT_HOTPLUG_RMV)

#define FO_CB(ident, facts)	(((uint64_t)(ident) << 32) | (uint32_t)(facts))
#define FO_CB_IDENT(cb)		((uint32_t)((cb) >> 32))
#define FO_CB_FACTS(cb)		((uint32_t)(cb))

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
	uint64_t synthetic_attach;	/* synthetic port (re-)adopted */
	uint64_t synthetic_detach;	/* synthetic port lost */
	uint64_t vf_resets;		/* INTR_RESET handled */
	uint64_t quarantined;		/* hand-off waits that timed out */
	uint64_t events_coalesced;	/* facts posted while already pending
					 * (atomic: callbacks add) */
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
	/*
	 * Control plane, see top of file. Per port id and never freed: an
	 * operation on another thread (stats, telemetry) may be waiting for
	 * it while ethdev frees and reallocates this private data.
	 */
	pthread_mutex_t *lock;
	pthread_mutex_t publish_lock;	/* writers of the path word */

	struct failover_subport synthetic;
	struct failover_subport vf;
	bool closing;			/* dev_close began (lock) */
	bool closed;			/* dev_close ran: ops find nothing */
	/* The synthetic port's last dev_info, answered while it is away. */
	struct rte_eth_dev_info synthetic_info;

	struct failover_sm sm;
	struct failover_config cfg;
	struct failover_rxq **rxqs;	/* [RTE_MAX_QUEUES_PER_PORT] */
	struct failover_txq **txqs;

	/* control thread */
	failover_thread_t ctl_thread;
	bool ctl_running;
	bool ctl_stop;
	bool ctl_kicked;		/* facts or deadlines changed (ctl_lock) */
	pthread_cond_t ctl_cond;	/* with ctl_lock */
	pthread_cond_t done_cond;	/* with lock: drain finished */
	pthread_mutex_t ctl_lock;
	uint64_t settle_deadline;	/* ns, 0: not armed */
	uint64_t reprobe_deadline;	/* VF re-probe */
	uint64_t link_poll_deadline;
	uint64_t drain_deadline;	/* hard limit of the drain */
	uint64_t drain_next_check;
	uint64_t *drain_marks;		/* per rxq vf_empty_polls at start */
	uint64_t *drain_seq;		/* per rxq reader seq at last check */
	uint64_t *drain_idle;		/* per rxq checks without a burst */

	/* links */
	bool link_up_reported;		/* aggregate link last reported */

	/* hot-plug monitor */
	bool dev_event_cb;
	bool hotplug_ref;		/* holds a failover_hotplug_get() */

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

/*
 * Take the port's control lock for an operation that may run on any
 * thread (stats, xstats, info, telemetry, the API, ethdev ops) while the
 * port is being closed: ethdev checks the port id, then calls us, and
 * may meanwhile have closed the port, freed its private data and even
 * given the id to a new port. The lock is per port id and lives forever;
 * under it, failover_port_open says whether the port is a failover port
 * that is not closed, and only then is its private data read.
 * Returns 0 with *priv set and the lock held, or -ENODEV.
 */
extern bool failover_port_open[RTE_MAX_ETHPORTS];
/*
 * What a read (stats, xstats, info, link) answers on a port closed under
 * it: nothing, and no error. ethdev turns an error into a look at the
 * port's ops (eth_err() -> rte_eth_dev_is_removed()), which the thread
 * releasing the port may be clearing at that very moment.
 */
#define FO_CLOSED_READ	0
pthread_mutex_t *failover_port_lock(uint16_t port_id);

static inline int
failover_lock_dev(const struct rte_eth_dev *dev, struct failover_priv **priv)
{
	uint16_t port = dev->data->port_id;

	pthread_mutex_lock(failover_port_lock(port));
	if (!failover_port_open[port] || dev->data->dev_private == NULL) {
		pthread_mutex_unlock(failover_port_lock(port));
		return -ENODEV;
	}
	*priv = dev->data->dev_private;
	return 0;
}

/*
 * The same for the reads ethdev's telemetry makes (stats, xstats, info,
 * link): from DPDK 24.11 on, its handlers call them holding ethdev's
 * global lock, which the control path takes too while it holds ours
 * (rte_eth_dev_close(), ownership of a sub-port): waiting without end
 * would deadlock. Past FO_READ_LOCK_WAIT_MS the read answers -EBUSY
 * (ethdev then looks at the port's ops, which its lock keeps there).
 */
#define FO_READ_LOCK_WAIT_MS	2000

int failover_lock_dev_read(const struct rte_eth_dev *dev,
		struct failover_priv **priv);

/* ======================================================================
 * HELPERS shared inside the driver
 * ====================================================================== */

uint64_t failover_now_ns(void);

/* failover.c */
void failover_dev_teardown(struct failover_priv *priv);

/* failover_subport.c: the sub-port life cycle */
struct failover_subport *failover_sub(struct failover_priv *priv,
		enum failover_slot slot);
enum failover_slot failover_slot_of(const struct failover_priv *priv,
		const struct failover_subport *sp);
const char *failover_role(enum failover_slot slot);
const struct failover_subdev_spec *failover_spec(
		const struct failover_priv *priv, enum failover_slot slot);
int failover_subport_attach(struct failover_priv *priv,
		enum failover_slot slot, const struct failover_subdev_spec *spec,
		struct failover_subport *sp);
void failover_subport_release(struct failover_priv *priv,
		struct failover_subport *sp);
bool failover_sub_usable(const struct failover_subport *sp);
bool failover_sub_still_ours(const struct failover_priv *priv,
		const struct failover_subport *sp);
bool failover_port_matches_spec(uint16_t port_id,
		const struct failover_subdev_spec *spec);
bool failover_port_ready(uint16_t port_id);
void failover_wait_attached(uint16_t port_id);
bool failover_port_is_vf(struct failover_priv *priv, uint16_t port_id);
bool failover_port_is_synthetic(struct failover_priv *priv, uint16_t port_id);
uint32_t failover_claim(struct failover_priv *priv, struct failover_subport *sp,
		uint16_t port_id, uint32_t facts);
void failover_unclaim(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident);
bool failover_post(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident, uint32_t facts);
uint32_t failover_take_facts(struct failover_subport *sp, uint32_t *ident);
int failover_vf_adopt(struct failover_priv *priv, uint16_t port_id,
		bool probed, uint32_t ident);
int failover_probe_sub(struct failover_priv *priv, enum failover_slot slot);
void failover_adopt_candidates(struct failover_priv *priv);
void failover_adopt_claimed(struct failover_priv *priv,
		struct failover_subport *sp, uint32_t ident, uint32_t facts);
void failover_synthetic_facts(struct failover_priv *priv, uint32_t facts,
		uint32_t ident);
void failover_synthetic_reprobe(struct failover_priv *priv);
int failover_hotplug_get(void);
void failover_hotplug_put(void);

/* Race injection for tests (tests/integration/test_races.c). */
#ifdef FAILOVER_RACE_HOOKS
void failover_race_point(const char *point, uint16_t port_id);
#define FO_RACE(point, port)	failover_race_point(point, port)
#else
#define FO_RACE(point, port)	do { } while (0)
#endif

/*
 * Whether the synthetic port takes part in an operation: it may be away
 * (removed, being re-probed); what the application sets meanwhile is
 * recorded and replayed on the synthetic port that comes back.
 */
#define FO_SYN_IN(priv)	failover_sub_usable(&(priv)->synthetic)

/* failover_ops.c */
extern const struct eth_dev_ops failover_ops;
void failover_capture_fp(struct failover_priv *priv, enum failover_slot slot,
		uint16_t port_id);
bool failover_vf_in_config(const struct failover_priv *priv);
uint16_t failover_answer_port(const struct failover_priv *priv);
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
int failover_sub_setup(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len);

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
int failover_flow_sub_prepare(struct failover_priv *priv,
		enum failover_slot slot, char *why, size_t len);
int failover_flow_sub_replay(struct failover_priv *priv,
		enum failover_slot slot, char *why, size_t len);
void failover_flow_flush_all(struct failover_priv *priv);
void failover_flow_free(struct failover_config *cfg);

/* failover_events.c: callbacks and the control thread */
int failover_events_init(struct failover_priv *priv);
void failover_events_fini(struct failover_priv *priv);
void failover_ctl_kick(struct failover_priv *priv);

/* failover_path.c: publishing the active path, the VF guard */
enum failover_publish_mode {
	FO_PUB_VF,		/* Tx VF, Rx VF + synthetic */
	FO_PUB_SYNTHETIC,	/* Tx synthetic, Rx VF + synthetic */
	FO_PUB_NO_VF,		/* Tx synthetic, Rx synthetic */
};
void failover_publish(struct failover_priv *priv,
		enum failover_publish_mode mode, const char *reason);
void failover_republish(struct failover_priv *priv, const char *reason);
int failover_drop_sub(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident, const char *reason);
void failover_sub_guard(struct failover_priv *priv, struct failover_subport *sp,
		bool on);
void failover_own_op(bool on);
void failover_quarantine_check(struct failover_priv *priv);

/* failover_lifecycle.c: state machine actions, claim and adoption */
uint32_t failover_sm_event(struct failover_priv *priv,
		enum failover_event ev, const char *reason);
void failover_run_timers(struct failover_priv *priv);
uint64_t failover_next_deadline(const struct failover_priv *priv);
void failover_vf_link_refresh(struct failover_priv *priv, const char *why);
void failover_vf_reset(struct failover_priv *priv);
bool failover_aggregate_link(struct failover_priv *priv,
		struct rte_eth_link *link);

/* failover_api.c: what the public (experimental) entry points do */
int failover_active_path(uint16_t port_id);
int failover_info_get(uint16_t port_id, struct rte_pmd_failover_info *info,
		size_t size);

/* failover_stats.c */
/* @p qstats: per-queue counters, or NULL (failover_compat.h). */
int failover_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		failover_qstats *qstats);
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
/* With priv->lock held, before a sub-port is released. */
void failover_stats_fold(struct failover_priv *priv, enum failover_slot slot);
void failover_stats_snapshot(struct failover_priv *priv,
		enum failover_slot slot, uint32_t ident);

#endif /* FAILOVER_PRIVATE_H */
