/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Devargs of net_testvf: parsed and validated before the device exists. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_kvargs.h>

#include "testvf_private.h"

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

#define TESTVF_MAX_SPEED	RTE_ETH_SPEED_NUM_200G

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

static int
testvf_arg_flow(const char *value, struct testvf_options *opts)
{
	return testvf_parse_bool(value, &opts->flow);
}

static int
testvf_arg_flow_rules(const char *value, struct testvf_options *opts)
{
	uint64_t v;
	int ret = testvf_parse_uint(value, 0, TESTVF_MAX_FLOWS, &v);

	if (ret == 0)
		opts->flow_rules = v;
	return ret;
}

static int
testvf_arg_tx_prepare(const char *value, struct testvf_options *opts)
{
	uint64_t v;
	int ret = testvf_parse_uint(value, 0, UINT16_MAX, &v);

	if (ret == 0) {
		opts->tx_prepare = true;
		opts->tx_prepare_max = v;
	}
	return ret;
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
	{ TESTVF_ARG_FLOW, testvf_arg_flow },
	{ TESTVF_ARG_FLOW_RULES, testvf_arg_flow_rules },
	{ TESTVF_ARG_TX_PREPARE, testvf_arg_tx_prepare },
};

void
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
		.flow = true,
		.flow_rules = TESTVF_MAX_FLOWS,
	};
}

/*
 * Parse with no list of valid keys, then check each pair here, so that an
 * unknown key is reported by name like a bad value.
 */
int
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
