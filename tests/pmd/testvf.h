/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef _TESTVF_H_
#define _TESTVF_H_

/**
 * @file
 * net_testvf: a test-only ethdev PMD that plays an SR-IOV VF.
 *
 * A net_testvf port looks like a VF to whoever drives it through ethdev
 * (net_failover, an application), and it gives the test that created it
 * the wire side of that VF:
 *
 * - the wire: packets are injected into a queue's Rx ring and come out of
 *   rte_eth_rx_burst(); mbufs accepted by rte_eth_tx_burst() are captured
 *   in the queue's Tx ring until the test drains them;
 * - the hardware: the carrier goes up or down, the device is surprise
 *   removed, the PF resets the VF, the next Tx bursts fail; LSC, RMV and
 *   INTR_RESET events are raised the way real drivers raise them, from
 *   the EAL interrupt thread;
 * - the record: every setting the port received through its ops (MTU,
 *   MACs, filters, RSS, queues, link...) and how many times each op ran,
 *   so a test can prove that a configuration was replayed onto the VF.
 *
 * Devargs (all optional), e.g. "net_testvf1,mac=02:00:00:00:01:01,lsc=0":
 * - mac=XX:XX:XX:XX:XX:XX   unicast MAC (default 02:00:00:00:HH:LL, where
 *                           HHLL is the number ending the device name, or
 *                           the port id if the name ends with no number);
 * - link=up|down            carrier once started (default up);
 * - max_queues=N            Rx and Tx queues, 1..TESTVF_MAX_QUEUES (8);
 * - max_mtu=N               68..65509 (9000);
 * - speed=N                 link speed in Mbps, 1..200000 (10000);
 * - rx_offloads=0xHEX       Rx offload capabilities
 *                           (VLAN_STRIP|VLAN_FILTER|RSS_HASH|checksums);
 * - tx_offloads=0xHEX       Tx offload capabilities
 *                           (MULTI_SEGS|VLAN_INSERT|checksums);
 * - rss_offloads=0xHEX      flow_type_rss_offloads (IP|TCP|UDP);
 * - reta_size=N             64, 128, ..., TESTVF_MAX_RETA_SIZE (64);
 * - lsc=0|1                 advertise RTE_ETH_DEV_INTR_LSC (1);
 * - rmv=0|1                 advertise RTE_ETH_DEV_INTR_RMV (1);
 * - flow=0|1                has rte_flow (1): patterns of ETH, IPV4, IPV6,
 *                           UDP, TCP; actions QUEUE and DROP; rules are
 *                           recorded, not applied; isolate only stopped;
 * - flow_rules=N            rules the table holds, 0..TESTVF_MAX_FLOWS
 *                           (16); a full table refuses with ENOSPC;
 * - tx_prepare=N            has a Tx prepare that passes the first N
 *                           packets of a burst and refuses the rest
 *                           (rte_errno EINVAL); without it, none.
 * An unknown key or a bad value fails the probe with an error log that
 * names the key and the value.
 *
 * Injected and transmitted mbufs stay in the rings across stop and start;
 * they are freed when their queue is released, the port reset
 * (rte_eth_dev_reset()) or closed.
 *
 * Statistics: ipackets/ibytes count what Rx bursts returned, opackets/obytes
 * what Tx bursts accepted; imissed counts injected packets that did not fit
 * in the Rx ring, oerrors packets that Tx bursts refused (ring full, forced
 * failure, removed device). Counters survive queue release. Extended
 * statistics: "rx_injected", "rx_inject_overflow", "tx_captured",
 * "tx_refused", "tx_failed_bursts". rte_eth_stats_reset() and
 * rte_eth_xstats_reset() both reset everything.
 *
 * Every testvf_*() function takes the port id of a net_testvf port and
 * returns -ENODEV if the port does not exist and -EINVAL if it is not a
 * net_testvf port. The knobs may be called from any thread, concurrently
 * with the data path; they must not race with the close of the port.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the driver, as in "--vdev=net_testvf0". */
#define TESTVF_DRIVER_NAME "net_testvf"

/** Upper bound of the max_queues devarg; size of the per-queue records. */
#define TESTVF_MAX_QUEUES 64
/** Unicast MAC slots: index 0 is the primary address. */
#define TESTVF_MAX_MAC_ADDRS 16
/** Multicast addresses accepted by set_mc_addr_list. */
#define TESTVF_MAX_MC_ADDRS 64
/** RSS hash key length (hash_key_size in dev_info). */
#define TESTVF_RSS_KEY_LEN 40
/** Upper bound of the reta_size devarg. */
#define TESTVF_MAX_RETA_SIZE 512
/** Rules of the rte_flow table at most (flow_rules devarg). */
#define TESTVF_MAX_FLOWS 16
/** VLAN ids covered by the VLAN filter bitmap. */
#define TESTVF_VLAN_IDS 4096

/** How many times each op of the port was called. */
struct testvf_op_counts {
	uint32_t dev_configure;
	uint32_t dev_start;
	uint32_t dev_stop;
	uint32_t dev_infos_get;
	uint32_t rx_queue_setup;
	uint32_t tx_queue_setup;
	uint32_t rx_queue_release;
	uint32_t tx_queue_release;
	uint32_t link_update;
	uint32_t dev_set_link_up;
	uint32_t dev_set_link_down;
	uint32_t promiscuous_enable;
	uint32_t promiscuous_disable;
	uint32_t allmulticast_enable;
	uint32_t allmulticast_disable;
	uint32_t mtu_set;
	uint32_t mac_addr_set;
	uint32_t mac_addr_add;
	uint32_t mac_addr_remove;
	uint32_t set_mc_addr_list;
	uint32_t vlan_filter_set;
	uint32_t vlan_offload_set;
	uint32_t rss_hash_update;
	uint32_t rss_hash_conf_get;
	uint32_t reta_update;
	uint32_t reta_query;
	uint32_t stats_get;
	uint32_t stats_reset;
	uint32_t xstats_get;
	uint32_t xstats_get_names;
	uint32_t xstats_reset;
	uint32_t dev_reset;	/**< rte_eth_dev_reset(), see testvf_raise_reset() */
};

/** Setup of one queue, as the driver received it. */
struct testvf_queue_config {
	bool setup;		/**< Set up and not released. */
	uint16_t nb_desc;	/**< Ring capacity. */
	/** Port offloads plus the offloads requested for this queue only. */
	uint64_t offloads;
	/** Rx only: the mempool given at setup. */
	const struct rte_mempool *mb_pool;
};

/** Events raised by the knobs. */
struct testvf_event_counts {
	uint32_t lsc_raised;	/**< Decided by a knob (async or sync). */
	uint32_t lsc_delivered;	/**< Handed to rte_eth_dev_callback_process. */
	uint32_t rmv_raised;
	uint32_t rmv_delivered;
	uint32_t reset_raised;	/**< RTE_ETH_EVENT_INTR_RESET */
	uint32_t reset_delivered;
};

/**
 * What the port was told through its ops, plus its hardware state.
 *
 * Ethdev replays the MAC addresses, promiscuous and all-multicast modes
 * through the ops at each rte_eth_dev_start(): those calls are counted
 * like any other.
 */
struct testvf_config {
	/* Hardware state. */
	bool started;		/**< Between dev_start and dev_stop. */
	bool carrier;		/**< Wire side, see testvf_set_link(). */
	bool removed;		/**< See testvf_raise_rmv(). */
	/** The PF reset the VF; cleared by dev_reset. See testvf_raise_reset(). */
	bool reset_pending;
	bool link_admin_up;	/**< Last dev_set_link_up/down (initially up). */

	/* dev_configure */
	bool configured;
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	uint32_t rx_mq_mode;	/**< enum rte_eth_rx_mq_mode */
	uint64_t rx_offloads;	/**< rxmode.offloads */
	uint64_t tx_offloads;	/**< txmode.offloads */
	bool intr_lsc;		/**< intr_conf.lsc requested */
	bool intr_rmv;		/**< intr_conf.rmv requested */
	struct testvf_queue_config rxq[TESTVF_MAX_QUEUES];
	struct testvf_queue_config txq[TESTVF_MAX_QUEUES];

	/* Filters and modes. */
	uint16_t mtu;
	bool promiscuous;
	bool allmulticast;
	/** [0] is the primary MAC; an all-zero entry is an empty slot. */
	struct rte_ether_addr mac_addrs[TESTVF_MAX_MAC_ADDRS];
	uint32_t nb_mc_addrs;
	struct rte_ether_addr mc_addrs[TESTVF_MAX_MC_ADDRS];
	/** Bit (id % 64) of word (id / 64) is set when VLAN id is filtered in. */
	uint64_t vlan_filter[TESTVF_VLAN_IDS / 64];
	/** RTE_ETH_VLAN_*_OFFLOAD bits in force after the last vlan_offload_set. */
	int vlan_offload;
	/** Mask (RTE_ETH_VLAN_*_MASK) given to the last vlan_offload_set. */
	int vlan_offload_mask;

	/* RSS: from dev_configure, then rss_hash_update and reta_update. */
	uint64_t rss_hf;
	uint8_t rss_key[TESTVF_RSS_KEY_LEN];
	uint16_t reta_size;
	uint16_t reta[TESTVF_MAX_RETA_SIZE];

	/* rte_flow */
	bool flow_isolated;
	uint32_t nb_flows;
	uint32_t flow_created;	/* rules created, ever */
	/* Action of the rules created, by creation order modulo the table. */
	int flow_action[TESTVF_MAX_FLOWS];

	struct testvf_op_counts ops;
	struct testvf_event_counts events;
};

/**
 * Tell whether a VLAN id is in the recorded VLAN filter.
 *
 * @param cfg
 *   Configuration read by testvf_get_config().
 * @param vlan_id
 *   VLAN id, 0..4095.
 * @return
 *   true if vlan_filter_set(vlan_id, on) was the last call for that id.
 */
static inline bool
testvf_vlan_filtered(const struct testvf_config *cfg, uint16_t vlan_id)
{
	if (vlan_id >= TESTVF_VLAN_IDS)
		return false;
	return (cfg->vlan_filter[vlan_id / 64] >> (vlan_id % 64)) & 1;
}

/**
 * Put packets on the wire towards the port: enqueue them into the Rx ring
 * of a queue, from which rte_eth_rx_burst() will return them.
 *
 * Safe against the poller of that queue and against other injectors.
 * Packets that do not fit are counted in imissed and stay owned by the
 * caller, as a NIC drops what does not fit in its Rx ring.
 *
 * @return
 *   Number of packets enqueued (ownership passes to the port), or
 *   -EINVAL if the queue is not set up.
 */
int testvf_rx_inject(uint16_t port, uint16_t queue,
		struct rte_mbuf **pkts, uint16_t n);

/**
 * Take mbufs captured by rte_eth_tx_burst() on a queue, oldest first.
 *
 * @return
 *   Number of mbufs stored in @p pkts (now owned by the caller), or
 *   -EINVAL if the queue is not set up.
 */
int testvf_tx_drain(uint16_t port, uint16_t queue,
		struct rte_mbuf **pkts, uint16_t n);

/**
 * @return
 *   Number of injected packets not yet received on the queue; 0 if the
 *   port or the queue does not exist.
 */
unsigned int testvf_rx_pending(uint16_t port, uint16_t queue);

/**
 * @return
 *   Number of transmitted mbufs not yet drained from the queue; 0 if the
 *   port or the queue does not exist.
 */
unsigned int testvf_tx_pending(uint16_t port, uint16_t queue);

/**
 * Raise or drop the carrier.
 *
 * The new link status is visible at once (rte_eth_link_get_nowait()); the
 * port reports link up only while started, with carrier, set up by the
 * application and not removed.
 *
 * @param up
 *   New carrier.
 * @param notify
 *   Raise RTE_ETH_EVENT_INTR_LSC, even if the carrier did not change (a
 *   spurious interrupt), provided the application asked for LSC
 *   interrupts (dev_conf.intr_conf.lsc). The event is delivered a few
 *   microseconds later from the EAL interrupt thread, as real drivers do;
 *   it is dropped if the port is closed first.
 * @return
 *   0 on success.
 */
int testvf_set_link(uint16_t port, bool up, bool notify);

/**
 * Same as testvf_set_link(port, up, true), but the LSC event (if the
 * application asked for LSC interrupts) is processed in the calling
 * thread before the function returns. For tests that need determinism.
 */
int testvf_set_link_sync(uint16_t port, bool up);

/**
 * Surprise-remove the device, as an mlx5 VF revoked by the host.
 *
 * From then on the link is down, rte_eth_dev_is_removed() is true, Rx
 * bursts return nothing and Tx bursts accept nothing; the port stays until
 * it is closed or the device removed. RTE_ETH_EVENT_INTR_RMV is delivered
 * from the EAL interrupt thread a few microseconds later.
 *
 * @return
 *   0 on success; -ENOTSUP (and nothing happens) if the application did
 *   not ask for RMV interrupts (dev_conf.intr_conf.rmv).
 */
int testvf_raise_rmv(uint16_t port);

/**
 * Same as testvf_raise_rmv(), but the RMV event is processed in the
 * calling thread before the function returns.
 */
int testvf_raise_rmv_sync(uint16_t port);

/**
 * The PF resets the VF, as ixgbevf and iavf see it: the VF stops working
 * and asks its owner, through RTE_ETH_EVENT_INTR_RESET, for
 * rte_eth_dev_reset().
 *
 * From then on the link is down, Rx bursts return nothing and Tx bursts
 * accept nothing, until rte_eth_dev_reset(). The event is delivered from
 * the EAL interrupt thread a few microseconds later; it needs no
 * dev_conf.intr_conf flag (a VF's reset interrupt is always armed).
 *
 * rte_eth_dev_reset() (ethdev stops the port first) re-initializes the
 * device as ixgbevf and iavf do: queues are released (what their rings
 * held is freed) and the port is left unconfigured, so its owner must
 * configure it, set its queues up and start it again. What the device had
 * been told is forgotten: MTU, MAC addresses but the primary one,
 * multicast list, promiscuous and all-multicast modes, VLAN filters and
 * offloads, RSS, flow rules; the record (struct testvf_config) starts
 * again from the probe's, except the op and event counts, which go on
 * (ops.dev_reset counts the resets), the carrier and the removal. The
 * statistics go on too.
 *
 * @return
 *   0 on success.
 */
int testvf_raise_reset(uint16_t port);

/**
 * Same as testvf_raise_reset(), but the INTR_RESET event is processed in
 * the calling thread before the function returns.
 */
int testvf_raise_reset_sync(uint16_t port);

/**
 * Make the next @p n_bursts Tx bursts, on any queue, accept no packet.
 * Replaces any count set before; 0 cancels.
 *
 * @return
 *   0 on success.
 */
int testvf_tx_fail_next(uint16_t port, unsigned int n_bursts);

/**
 * Run @p hook(@p arg) at the start of every Tx burst of the port, on the
 * thread of the burst, before anything else: a test can make something
 * happen while a wrapper is inside the burst. NULL removes it. Set it
 * while no Tx burst runs.
 *
 * @return
 *   0 on success.
 */
int testvf_tx_hook_set(uint16_t port, void (*hook)(void *arg), void *arg);

/**
 * Copy what the port was told and its hardware state.
 *
 * @return
 *   0 on success, -EINVAL if @p out is NULL.
 */
int testvf_get_config(uint16_t port, struct testvf_config *out);

#ifdef __cplusplus
}
#endif

#endif /* _TESTVF_H_ */
