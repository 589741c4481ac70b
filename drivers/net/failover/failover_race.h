/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_RACE_H
#define FAILOVER_RACE_H

/*
 * Race injection, for tests only: the driver built with
 * -DFAILOVER_RACE_HOOKS (the test-only library of drivers/net/failover,
 * never installed) calls the hook at named points of its control path,
 * on whatever thread reaches them, so that a test can park one actor
 * there while another runs. Points (port: the port concerned):
 *   "claim"          NEW callback, before a port is claimed
 *   "ctl_round"      control thread, before it takes the posted facts
 *   "wait_attached"  control thread, a claimed port about to be adopted
 *   "adopt"          a port being taken into a record
 *   "setup"          a sub-port about to be configured and replayed
 *   "drop"           a sub-port about to be taken out of the path
 *   "guard"          third-party stop/close of a sub-port, before the drop
 *   "destroy"        DESTROY callback of a sub-port
 *   "publish"        a new path word about to be published
 *   "release"        a record about to give its port back
 *   "close"          dev_close of the failover port, priv->lock held
 *   "closed"         dev_close done, before ethdev releases the port
 * No burst function has a point: the data path is never slowed.
 */

#include <stdint.h>

typedef void (*failover_race_hook_t)(const char *point, uint16_t port,
		void *arg);

/* Install (or, with NULL, remove) the hook. */
void failover_race_hook_set(failover_race_hook_t hook, void *arg);

#endif /* FAILOVER_RACE_H */
