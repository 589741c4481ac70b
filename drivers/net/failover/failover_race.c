/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Race injection points (failover_race.h); test-only builds. */

#include <stddef.h>

#include "failover_private.h"
#include "failover_race.h"

static failover_race_hook_t fo_race_hook;
static void *fo_race_arg;

void
failover_race_hook_set(failover_race_hook_t hook, void *arg)
{
	/* Relaxed: the argument is published by the release below. */
	__atomic_store_n(&fo_race_arg, arg, __ATOMIC_RELAXED);
	/* Release: a thread that sees the hook sees its argument. */
	__atomic_store_n(&fo_race_hook, hook, __ATOMIC_RELEASE);
}

void
failover_race_point(const char *point, uint16_t port_id)
{
	/* Acquire: pairs with the release in failover_race_hook_set(). */
	failover_race_hook_t hook = __atomic_load_n(&fo_race_hook,
		__ATOMIC_ACQUIRE);

	if (hook != NULL)
		hook(point, port_id,
			__atomic_load_n(&fo_race_arg, __ATOMIC_RELAXED));
}
