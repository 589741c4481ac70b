/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef RTE_PMD_FAILOVER_H
#define RTE_PMD_FAILOVER_H

/**
 * @file
 * Public API of net_failover.
 *
 * A net_failover port (created with
 * --vdev 'net_failover0,synthetic=<dev>,vf=<dev>') carries traffic on one
 * of two sub-ports: the synthetic (paravirtual) path, always present, or
 * the VF (SR-IOV virtual function) path, which may come and go. These
 * functions let an application see which path is active, move traffic
 * between them on purpose (before a live migration, say), give up the VF
 * gracefully, and be told when the path changes.
 *
 * All functions are control-path functions: they may block for the time of
 * a hand-off (microseconds) or a drain (at most a few hundred
 * milliseconds), and must not be called from a data-path lcore that polls
 * the same port.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice; its symbols
 * are in the EXPERIMENTAL version node. Build with ALLOW_EXPERIMENTAL_API.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The two data paths of a failover port. */
enum rte_pmd_failover_path {
	RTE_PMD_FAILOVER_PATH_SYNTHETIC = 0, /**< paravirtual sub-port */
	RTE_PMD_FAILOVER_PATH_VF = 1,        /**< SR-IOV VF sub-port */
};

/** What a path-change callback is told. */
struct rte_pmd_failover_path_event {
	enum rte_pmd_failover_path from; /**< Tx path before the change */
	enum rte_pmd_failover_path to;   /**< Tx path after the change */
	/** Why, e.g. "VF link down" or "VF removed (INTR_RMV)". */
	const char *reason;
	/** From the publication of the new path until no queue uses the old. */
	uint64_t latency_ns;
};

/**
 * Path-change callback. Runs on the thread that made the change (a control
 * thread of the PMD, the EAL interrupt thread, or the caller of
 * rte_pmd_failover_switch()); it must not block nor call back into the
 * failover port's control functions.
 */
typedef void (*rte_pmd_failover_path_cb_t)(uint16_t port_id,
		const struct rte_pmd_failover_path_event *event, void *arg);

/**
 * Which path Tx currently uses.
 *
 * @param port_id
 *   A net_failover port.
 * @return
 *   RTE_PMD_FAILOVER_PATH_SYNTHETIC or RTE_PMD_FAILOVER_PATH_VF;
 *   -ENODEV if the port does not exist, -EINVAL if it is not a failover
 *   port.
 */
__rte_experimental
int rte_pmd_failover_active_path(uint16_t port_id);

/**
 * Planned switch: move traffic to @p path and return when the hand-off is
 * complete (no queue can still use the old Tx path). Packets already
 * received on the VF are not lost: its Rx queues stay polled while it is
 * present.
 *
 * Switching to the synthetic path pins it: the VF is not used again until
 * rte_pmd_failover_switch(port, RTE_PMD_FAILOVER_PATH_VF).
 *
 * @return
 *   0 on success; -ENODEV if the port does not exist or no usable VF is
 *   present (absent, link down, port stopped, setup refused); -EINVAL for a
 *   port that is not a failover port or a bad @p path.
 */
__rte_experimental
int rte_pmd_failover_switch(uint16_t port_id, enum rte_pmd_failover_path path);

/**
 * Graceful VF revoke: move Tx to the synthetic path, drain the VF's Rx
 * queues, then stop, close and release the VF. Returns when it is released.
 * The port keeps watching for a VF to come back (NEW port events, and
 * re-probing the vf= device when the PMD probed it).
 *
 * @return
 *   0 on success; -ENODEV if no VF is attached; -EINVAL for a port that is
 *   not a failover port.
 */
__rte_experimental
int rte_pmd_failover_vf_detach(uint16_t port_id);

/**
 * Register a path-change callback.
 *
 * @return
 *   0; -EINVAL for a bad port or NULL @p cb; -EEXIST if already registered
 *   with this @p arg; -ENOSPC when the table is full.
 */
__rte_experimental
int rte_pmd_failover_path_callback_register(uint16_t port_id,
		rte_pmd_failover_path_cb_t cb, void *arg);

/**
 * Unregister a path-change callback registered with the same @p cb and
 * @p arg.
 *
 * @return
 *   0; -EINVAL for a bad port; -ENOENT if not registered.
 */
__rte_experimental
int rte_pmd_failover_path_callback_unregister(uint16_t port_id,
		rte_pmd_failover_path_cb_t cb, void *arg);

/** Port id of struct rte_pmd_failover_info meaning "no such port". */
#define RTE_PMD_FAILOVER_NO_PORT UINT16_MAX

/** Size of the port name fields (RTE_ETH_NAME_MAX_LEN). */
#define RTE_PMD_FAILOVER_NAME_LEN 64

/** Size of struct rte_pmd_failover_info's last_reason. */
#define RTE_PMD_FAILOVER_REASON_LEN 96

/**
 * The failover port's own counters. Each is also an extended statistic of
 * the port with the same name (rte_eth_xstats_get()), and all of them
 * count from the creation of the port or from the last
 * rte_eth_stats_reset() / rte_eth_xstats_reset(), whichever is later.
 * New counters are added at the end only.
 */
struct rte_pmd_failover_counters {
	uint64_t switches;		/**< Tx path changes, either way */
	uint64_t switch_to_vf;		/**< Tx path changes to the VF */
	uint64_t switch_to_synthetic;	/**< Tx path changes to synthetic */
	uint64_t vf_attach;		/**< VF ports adopted */
	uint64_t vf_detach;		/**< VF ports released */
	uint64_t vf_refused;		/**< VFs whose set-up failed */
	/** Packets received on the synthetic path while Tx used the VF. */
	uint64_t rx_synthetic_while_vf;
	uint64_t rx_vf_packets;		/**< packets received on the VF */
	uint64_t rx_synthetic_packets;	/**< packets received on synthetic */
	uint64_t tx_vf_packets;		/**< packets sent on the VF */
	uint64_t tx_synthetic_packets;	/**< packets sent on synthetic */
	/** Packets the VF refused while leaving, then sent on synthetic. */
	uint64_t tx_vf_retry_synthetic;
	/** Hand-off time of the last switch; 0 if none since the reset. */
	uint64_t last_switch_latency_ns;
	/** Time Tx spent on the VF, the current stretch included. */
	uint64_t time_on_vf_ms;
	uint64_t transitions;		/**< state machine state changes */
	/**
	 * Sub-port events that arrived while the same fact was still
	 * pending for that sub-port, and were taken with it (none is lost:
	 * each tells a state, not a quantity).
	 */
	uint64_t events_coalesced;
	/** Hand-off waits that timed out: a sub-port was kept aside. */
	uint64_t quarantined;
	/** Synthetic ports (re-)adopted after the first one was lost. */
	uint64_t synthetic_attach;
	/** Synthetic ports lost (removed, destroyed, stopped by others). */
	uint64_t synthetic_detach;
	/** VF resets carried out after RTE_ETH_EVENT_INTR_RESET. */
	uint64_t vf_resets;
	/** Tx packets offered while no path was left (not sent). */
	uint64_t tx_no_path;
};

/**
 * What rte_pmd_failover_info_get() reports.
 *
 * Extensible: new fields, and new counters, are only ever added at the
 * end (the counters are the last member). The caller tells the size of
 * its structure and the PMD fills what both know of, so a program built
 * against an older or a newer header keeps working.
 */
struct rte_pmd_failover_info {
	/**
	 * Bytes of this structure the PMD filled: the smaller of the
	 * caller's size and the PMD's. Set by the PMD.
	 */
	uint32_t size;
	uint16_t synthetic_port;	/**< port id of the synthetic path */
	/** ethdev name of the synthetic port. */
	char synthetic_name[RTE_PMD_FAILOVER_NAME_LEN];
	/** Port id of the VF held, or RTE_PMD_FAILOVER_NO_PORT if none. */
	uint16_t vf_port;
	/** ethdev name of the VF held, "" if none. */
	char vf_name[RTE_PMD_FAILOVER_NAME_LEN];
	/** Path Tx uses, as rte_pmd_failover_active_path() tells. */
	enum rte_pmd_failover_path active_path;
	/**
	 * State of the VF life cycle, a static string: "SYNTHETIC_ONLY",
	 * "VF_PENDING", "VF_SETTLING", "VF_STANDBY", "VF_ACTIVE",
	 * "VF_DRAINING", "VF_REFUSED" or "VF_GONE".
	 */
	const char *state;
	uint32_t vf_settle_ms;		/**< vf_settle_ms devarg in force */
	uint32_t probe_interval_ms;	/**< probe_interval_ms devarg in force */
	/** Why the Tx path last changed, "" if it never did. */
	char last_reason[RTE_PMD_FAILOVER_REASON_LEN];
	/** When it did: CLOCK_MONOTONIC nanoseconds, 0 if it never did. */
	uint64_t last_event_ns;
	/** See its fields. Last: new counters are added at its end. */
	struct rte_pmd_failover_counters counters;
};

/** The smallest size rte_pmd_failover_info_get_sized() accepts. */
#define RTE_PMD_FAILOVER_INFO_MIN_SIZE \
	offsetof(struct rte_pmd_failover_info, counters)

/**
 * Describe a failover port: its sub-ports, the active path, the state of
 * the VF life cycle, its counters and the last change of path, into the
 * first @p size bytes of @p info.
 *
 * The report is consistent (taken under the port's control lock). Like
 * the other control functions, it must not be called from a path-change
 * callback. Applications call rte_pmd_failover_info_get(), which passes
 * the size of the structure they were built with.
 *
 * @param port_id
 *   A net_failover port.
 * @param info
 *   Filled on success: the fields both the caller and the PMD know of,
 *   and info->size; bytes beyond the PMD's structure are zeroed.
 * @param size
 *   Size of the caller's structure, at least
 *   RTE_PMD_FAILOVER_INFO_MIN_SIZE.
 * @return
 *   0 on success; -ENODEV if the port does not exist; -EINVAL if it is
 *   not a failover port, @p info is NULL or @p size too small.
 */
__rte_experimental
int rte_pmd_failover_info_get_sized(uint16_t port_id,
		struct rte_pmd_failover_info *info, size_t size);

/**
 * rte_pmd_failover_info_get_sized() with the size of the structure this
 * header defines: int rte_pmd_failover_info_get(uint16_t port_id,
 * struct rte_pmd_failover_info *info). A macro, so that the size is the
 * caller's.
 */
#define rte_pmd_failover_info_get(port_id, info) \
	rte_pmd_failover_info_get_sized(port_id, info, \
		sizeof(struct rte_pmd_failover_info))

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_FAILOVER_H */
