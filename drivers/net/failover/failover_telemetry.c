/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Telemetry commands of net_failover (usertools/dpdk-telemetry.py):
 *
 *   /failover/list          port ids of the failover ports
 *   /failover/info,<port>   sub-ports, active path, state, devargs timers,
 *                           counters and the last change of path
 *
 * Registered from a constructor, as ethdev registers its own; the answers
 * come from rte_pmd_failover_info_get(), on the telemetry thread.
 */

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "failover_private.h"

static int
fo_tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint16_t p;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (p = rte_eth_find_next(0); p < RTE_MAX_ETHPORTS;
	     p = rte_eth_find_next(p + 1))
		if (failover_active_path(p) >= 0)
			rte_tel_data_add_array_int(d, p);
	return 0;
}

/* A dict for @p parent's key @p name, handed over to @p parent. */
static struct rte_tel_data *
fo_tel_dict(struct rte_tel_data *parent, const char *name)
{
	struct rte_tel_data *d = rte_tel_data_alloc();

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	/* keep = 0: telemetry frees it with the answer. */
	if (rte_tel_data_add_dict_container(parent, name, d, 0) != 0) {
		rte_tel_data_free(d);
		return NULL;
	}
	return d;
}

static void
fo_tel_port(struct rte_tel_data *d, uint16_t port, const char *name)
{
	rte_tel_data_add_dict_int(d, "present", port != RTE_PMD_FAILOVER_NO_PORT);
	rte_tel_data_add_dict_int(d, "port_id", port);
	rte_tel_data_add_dict_string(d, "name", name);
}

static int
fo_tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_pmd_failover_info info;
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_tel_data *sub;
	unsigned long port;
	unsigned int i;
	char *end;

	RTE_SET_USED(cmd);
	if (params == NULL || *params == '\0')
		return -EINVAL;
	port = strtoul(params, &end, 10);
	if (*end != '\0' || port >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	if (failover_info_get(port, &info, sizeof(info)) != 0 ||
	    rte_eth_dev_get_name_by_port(port, name) != 0)
		return -EINVAL;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port_id", port);
	rte_tel_data_add_dict_string(d, "name", name);
	rte_tel_data_add_dict_string(d, "state", info.state);
	rte_tel_data_add_dict_string(d, "active_path",
		info.active_path == RTE_PMD_FAILOVER_PATH_VF ? "vf" :
		"synthetic");
	failover_tel_dict_uint(d, "vf_settle_ms", info.vf_settle_ms);
	failover_tel_dict_uint(d, "probe_interval_ms",
		info.probe_interval_ms);

	sub = fo_tel_dict(d, "synthetic");
	if (sub == NULL)
		return -ENOMEM;
	fo_tel_port(sub, info.synthetic_port, info.synthetic_name);
	sub = fo_tel_dict(d, "vf");
	if (sub == NULL)
		return -ENOMEM;
	fo_tel_port(sub, info.vf_port, info.vf_name);

	sub = fo_tel_dict(d, "counters");
	if (sub == NULL)
		return -ENOMEM;
	for (i = 0; i < failover_nb_counters; i++)
		failover_tel_dict_uint(sub, failover_counter_descs[i].name,
			*(const uint64_t *)RTE_PTR_ADD(&info.counters,
				failover_counter_descs[i].offset));

	sub = fo_tel_dict(d, "last_event");
	if (sub == NULL)
		return -ENOMEM;
	rte_tel_data_add_dict_string(sub, "reason", info.last_reason);
	failover_tel_dict_uint(sub, "time_ns", info.last_event_ns);
	/* The time is CLOCK_MONOTONIC: its age means more to a reader. */
	failover_tel_dict_uint(sub, "age_ms", info.last_event_ns == 0 ? 0 :
		(failover_now_ns() - info.last_event_ns) / 1000000);
	return 0;
}

RTE_INIT(failover_telemetry_init)
{
	rte_telemetry_register_cmd("/failover/list", fo_tel_list,
		"Returns the port ids of the net_failover ports. "
		"Takes no parameters");
	rte_telemetry_register_cmd("/failover/info", fo_tel_info,
		"Returns sub-ports, path, state and counters of a "
		"net_failover port. Parameters: int port_id");
}
