/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_MP_H
#define FAILOVER_MP_H

/*
 * Secondary processes (failover_mp.c): the port attached in a secondary,
 * whose reads are answered by the primary and whose other operations
 * are the primary's only.
 */

#include <stdbool.h>
#include <stdint.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>

#include "rte_pmd_failover.h"

extern const struct eth_dev_ops failover_secondary_ops;

/* Whether @p dev is a failover port, in this process's eyes. */
bool failover_is_port(const struct rte_eth_dev *dev);

/* Primary: answer the secondaries' requests (once per process). */
int failover_mp_init_primary(void);

/* Secondary: probe and remove of the vdev. */
int failover_secondary_probe(struct rte_vdev_device *vdev);
int failover_secondary_remove(struct rte_vdev_device *vdev);

/* Secondary: rte_pmd_failover_info_get(), answered by the primary. */
int failover_mp_info_get(uint16_t port_id, struct rte_pmd_failover_info *info);

/* Secondary: log that @p what is the primary's, return -E_RTE_SECONDARY. */
int failover_mp_primary_only(uint16_t port_id, const char *what);

/* failover_api.c: rte_pmd_failover_info_get() with the state's value. */
int failover_info_get_state(uint16_t port_id,
		struct rte_pmd_failover_info *info, int32_t *state);

#endif /* FAILOVER_MP_H */
