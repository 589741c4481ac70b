/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Filters of the failover port: extra unicast MAC addresses, multicast
 * list, VLAN filters and offloads, RSS hash and redirection table, flow
 * control. Each is applied as the other operations are (failover_ops.c):
 * synthetic port first, then the VF taking part in configuration, recorded
 * once both took it. A sub-port configured again does not keep them:
 * failover_sub_configure() and failover_vf_setup() (failover_replay.c) put
 * them back. Every operation runs under priv->lock.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "failover_private.h"

/* ----------------------------------------------------------------------
 * Addresses and VLAN
 * ---------------------------------------------------------------------- */

int
failover_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		uint32_t index, uint32_t pool)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_config *cfg = &priv->cfg;
	bool fresh;
	int ret;

	if (index == 0 || index >= FO_MAX_MAC_ADDRS)
		return -EINVAL;
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	fresh = cfg->mac_pools[index] == 0;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_mac_addr_add(priv->synthetic.port_id, mac, pool);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: add MAC: %s",
			priv->port_id, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_in_config(priv)) {
		ret = rte_eth_dev_mac_addr_add(priv->vf.port_id, mac, pool);
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: add MAC: %s",
				priv->port_id, rte_strerror(-ret));
			if (fresh)
				rte_eth_dev_mac_addr_remove(
					priv->synthetic.port_id, mac);
			goto out;
		}
	}
	rte_ether_addr_copy(mac, &cfg->mac_addrs[index]);
	cfg->mac_pools[index] |= UINT64_C(1) << pool;
	ret = 0;
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

void
failover_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_config *cfg = &priv->cfg;
	struct rte_ether_addr mac;
	int ret;

	if (index == 0 || index >= FO_MAX_MAC_ADDRS)
		return;
	pthread_mutex_lock(priv->lock);
	if (cfg->mac_pools[index] == 0)
		goto out;
	rte_ether_addr_copy(&cfg->mac_addrs[index], &mac);
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_mac_addr_remove(priv->synthetic.port_id, &mac);
	if (ret < 0)
		FO_LOG(WARNING, "port %u: synthetic port: remove MAC: %s",
			priv->port_id, rte_strerror(-ret));
	if (failover_vf_in_config(priv)) {
		ret = rte_eth_dev_mac_addr_remove(priv->vf.port_id, &mac);
		if (failover_vf_failed(priv, ret))
			FO_LOG(WARNING, "port %u: VF port: remove MAC: %s",
				priv->port_id, rte_strerror(-ret));
	}
	memset(&cfg->mac_addrs[index], 0, sizeof(cfg->mac_addrs[index]));
	cfg->mac_pools[index] = 0;
	failover_config_changed(priv, "MAC address removed");
out:
	pthread_mutex_unlock(priv->lock);
}

int
failover_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list,
		uint32_t nb)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_config *cfg = &priv->cfg;
	struct rte_ether_addr *copy = NULL;
	int ret;

	if (nb != 0) {
		copy = rte_malloc("failover_mc", sizeof(*copy) * nb, 0);
		if (copy == NULL)
			return -ENOMEM;
		memcpy(copy, list, sizeof(*copy) * nb);
	}
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_set_mc_addr_list(priv->synthetic.port_id, copy, nb);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: multicast list: %s",
			priv->port_id, rte_strerror(-ret));
		goto err;
	}
	if (failover_vf_in_config(priv)) {
		ret = rte_eth_dev_set_mc_addr_list(priv->vf.port_id, copy, nb);
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: multicast list: %s",
				priv->port_id, rte_strerror(-ret));
			rte_eth_dev_set_mc_addr_list(priv->synthetic.port_id,
				cfg->mc_addrs, cfg->nb_mc_addrs);
			goto err;
		}
	}
	rte_free(cfg->mc_addrs);
	cfg->mc_addrs = copy;
	cfg->nb_mc_addrs = nb;
	failover_config_changed(priv, "multicast list changed");
	pthread_mutex_unlock(priv->lock);
	return 0;
err:
	pthread_mutex_unlock(priv->lock);
	rte_free(copy);
	return ret;
}

int
failover_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on)
{
	struct failover_priv *priv = failover_priv(dev);
	uint64_t bit = UINT64_C(1) << (vlan_id % 64);
	uint64_t *word;
	bool was;
	int ret;

	if (vlan_id >= FO_VLAN_IDS)
		return -EINVAL;
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	word = &priv->cfg.vlan_filter[vlan_id / 64];
	was = (*word & bit) != 0;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_vlan_filter(priv->synthetic.port_id, vlan_id, on);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: VLAN filter %u: %s",
			priv->port_id, vlan_id, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = rte_eth_dev_vlan_filter(priv->vf.port_id, vlan_id, on);
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: VLAN filter %u: %s",
				priv->port_id, vlan_id, rte_strerror(-ret));
			rte_eth_dev_vlan_filter(priv->synthetic.port_id,
				vlan_id, was);
			goto out;
		}
	}
	if (on)
		*word |= bit;
	else
		*word &= ~bit;
	ret = 0;
	if (!on)
		failover_config_changed(priv, "VLAN filter removed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

#define FO_VLAN_RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_VLAN_STRIP | \
	RTE_ETH_RX_OFFLOAD_VLAN_FILTER | RTE_ETH_RX_OFFLOAD_VLAN_EXTEND | \
	RTE_ETH_RX_OFFLOAD_QINQ_STRIP)

/* Rx offloads -> the argument of rte_eth_dev_set_vlan_offload(). */
static int
fo_vlan_offload_mask(uint64_t rx_offloads)
{
	int mask = 0;

	if (rx_offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP)
		mask |= RTE_ETH_VLAN_STRIP_OFFLOAD;
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_VLAN_FILTER)
		mask |= RTE_ETH_VLAN_FILTER_OFFLOAD;
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_VLAN_EXTEND)
		mask |= RTE_ETH_VLAN_EXTEND_OFFLOAD;
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_QINQ_STRIP)
		mask |= RTE_ETH_QINQ_STRIP_OFFLOAD;
	return mask;
}

/* ethdev has put the new VLAN offloads in dev_conf before calling. */
int
failover_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	struct failover_priv *priv = failover_priv(dev);
	uint64_t *rec = &priv->cfg.dev_conf.rxmode.offloads;
	uint64_t now = dev->data->dev_conf.rxmode.offloads;
	int ret;

	RTE_SET_USED(mask);
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_set_vlan_offload(priv->synthetic.port_id,
			fo_vlan_offload_mask(now));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: VLAN offloads: %s",
			priv->port_id, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = rte_eth_dev_set_vlan_offload(priv->vf.port_id,
				fo_vlan_offload_mask(now));
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: VLAN offloads: %s",
				priv->port_id, rte_strerror(-ret));
			rte_eth_dev_set_vlan_offload(priv->synthetic.port_id,
				fo_vlan_offload_mask(*rec));
			goto out;
		}
	}
	*rec = (*rec & ~FO_VLAN_RX_OFFLOADS) | (now & FO_VLAN_RX_OFFLOADS);
	ret = 0;
	failover_config_changed(priv, "VLAN offloads changed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/* ----------------------------------------------------------------------
 * RSS
 * ---------------------------------------------------------------------- */

/*
 * Write a redirection table of @p size entries to @p port, repeated over
 * the port's own table: RSS indexes the table with the low bits of the
 * hash, so a table of k * size entries made of k copies sends every hash
 * to the same queue.
 */
int
failover_reta_write(uint16_t port, const uint16_t *table, uint16_t size)
{
	struct rte_eth_rss_reta_entry64 *conf;
	struct rte_eth_dev_info info;
	unsigned int i;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	if (info.reta_size == 0)
		return -ENOTSUP;
	if (info.reta_size < size || info.reta_size % size != 0)
		return -EINVAL;
	conf = rte_zmalloc("failover_reta", sizeof(*conf) *
		RTE_ALIGN_CEIL(info.reta_size, RTE_ETH_RETA_GROUP_SIZE) /
		RTE_ETH_RETA_GROUP_SIZE, 0);
	if (conf == NULL)
		return -ENOMEM;
	for (i = 0; i < info.reta_size; i++) {
		conf[i / RTE_ETH_RETA_GROUP_SIZE].mask |=
			UINT64_C(1) << (i % RTE_ETH_RETA_GROUP_SIZE);
		conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i %
			RTE_ETH_RETA_GROUP_SIZE] = table[i % size];
	}
	ret = rte_eth_dev_rss_reta_update(port, conf, info.reta_size);
	rte_free(conf);
	return ret;
}

/*
 * Read the synthetic port's table as one of @p size entries (its first
 * @p size entries: the table failover_reta_write() repeats), or the spread most
 * PMDs start from when it cannot be read.
 */
static void
fo_reta_read(struct failover_priv *priv, uint16_t *table, uint16_t size)
{
	struct rte_eth_rss_reta_entry64 *conf = NULL;
	struct rte_eth_dev_info info;
	uint16_t nb_rxq = RTE_MAX(priv->dev->data->nb_rx_queues, 1);
	unsigned int i;

	for (i = 0; i < size; i++)
		table[i] = i % nb_rxq;
	if (rte_eth_dev_info_get(failover_answer_port(priv), &info) < 0 ||
	    info.reta_size < size)
		return;
	conf = rte_zmalloc("failover_reta", sizeof(*conf) *
		RTE_ALIGN_CEIL(info.reta_size, RTE_ETH_RETA_GROUP_SIZE) /
		RTE_ETH_RETA_GROUP_SIZE, 0);
	if (conf == NULL)
		return;
	for (i = 0; i < info.reta_size; i++)
		conf[i / RTE_ETH_RETA_GROUP_SIZE].mask |=
			UINT64_C(1) << (i % RTE_ETH_RETA_GROUP_SIZE);
	if (rte_eth_dev_rss_reta_query(failover_answer_port(priv), conf,
			info.reta_size) == 0)
		for (i = 0; i < size; i++)
			table[i] = conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i %
				RTE_ETH_RETA_GROUP_SIZE];
	rte_free(conf);
}

int
failover_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_config *cfg = &priv->cfg;
	struct rte_eth_rss_conf old = cfg->dev_conf.rx_adv_conf.rss_conf;
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_eth_dev_rss_hash_update(priv->synthetic.port_id, rss);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: RSS hash: %s",
			priv->port_id, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = rte_eth_dev_rss_hash_update(priv->vf.port_id, rss);
		if (ret < 0 && !failover_rss_spreads(cfg)) {
			/* One queue: the hash only fills mbuf fields. */
			FO_LOG(NOTICE, "port %u: VF port keeps its RSS hash: %s",
				priv->port_id, rte_strerror(-ret));
		} else if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: RSS hash: %s",
				priv->port_id, rte_strerror(-ret));
			rte_eth_dev_rss_hash_update(priv->synthetic.port_id,
				&old);
			goto out;
		}
	}
	cfg->dev_conf.rx_adv_conf.rss_conf.rss_hf = rss->rss_hf;
	if (rss->rss_key != NULL && rss->rss_key_len != 0) {
		cfg->rss_key_len = RTE_MIN(rss->rss_key_len,
			(uint8_t)sizeof(cfg->rss_key));
		memcpy(cfg->rss_key, rss->rss_key, cfg->rss_key_len);
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key = cfg->rss_key;
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key_len =
			cfg->rss_key_len;
	}
	ret = 0;
	failover_config_changed(priv, "RSS hash changed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/* Both sub-ports hash alike: the synthetic port answers for the port. */
int
failover_rss_hash_conf_get(struct rte_eth_dev *dev,
		struct rte_eth_rss_conf *rss)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = rte_eth_dev_rss_hash_conf_get(failover_answer_port(priv), rss);
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/*
 * The table in force, as one of @p size entries: the recorded one, else
 * the synthetic port's.
 */
static void
fo_reta_current(struct failover_priv *priv, uint16_t *table, uint16_t size)
{
	if (priv->cfg.reta_size == size)
		memcpy(table, priv->cfg.reta, sizeof(*table) * size);
	else
		fo_reta_read(priv, table, size);
}

/*
 * The application sees a table of the smaller sub-port's size (dev_info);
 * each sub-port gets it repeated over its own (failover_reta_write()).
 */
int
failover_reta_update(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct failover_priv *priv = failover_priv(dev);
	struct failover_config *cfg = &priv->cfg;
	uint16_t table[FO_MAX_RETA_SIZE];
	uint16_t old[FO_MAX_RETA_SIZE];
	unsigned int i, g, b;
	int ret;

	if (size == 0 || size > FO_MAX_RETA_SIZE)
		return -EINVAL;
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	fo_reta_current(priv, old, size);
	memcpy(table, old, sizeof(*table) * size);
	for (i = 0; i < size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		b = i % RTE_ETH_RETA_GROUP_SIZE;
		if (conf[g].mask & (UINT64_C(1) << b))
			table[i] = conf[g].reta[b];
	}
	ret = !FO_SYN_IN(priv) ? 0 :
		failover_reta_write(priv->synthetic.port_id, table, size);
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port: RSS table of %u: %s",
			priv->port_id, size, rte_strerror(-ret));
		goto out;
	}
	if (failover_vf_configured(priv)) {
		ret = failover_reta_write(priv->vf.port_id, table, size);
		if (failover_vf_failed(priv, ret)) {
			FO_LOG(ERR, "port %u: VF port: RSS table of %u: %s",
				priv->port_id, size, rte_strerror(-ret));
			failover_reta_write(priv->synthetic.port_id, old, size);
			goto out;
		}
	}
	memcpy(cfg->reta, table, sizeof(*table) * size);
	cfg->reta_size = size;
	ret = 0;
	failover_config_changed(priv, "RSS table changed");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

int
failover_reta_query(struct rte_eth_dev *dev,
		struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct failover_priv *priv = failover_priv(dev);
	uint16_t table[FO_MAX_RETA_SIZE];
	unsigned int i, g, b;

	if (size == 0 || size > FO_MAX_RETA_SIZE)
		return -EINVAL;
	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	fo_reta_current(priv, table, size);
	pthread_mutex_unlock(priv->lock);
	for (i = 0; i < size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		b = i % RTE_ETH_RETA_GROUP_SIZE;
		if (conf[g].mask & (UINT64_C(1) << b))
			conf[g].reta[b] = table[i];
	}
	return 0;
}

/* ----------------------------------------------------------------------
 * Flow control
 * ---------------------------------------------------------------------- */

static int
fo_fc_set(uint16_t port_id, void *arg)
{
	struct rte_eth_fc_conf fc = *(struct rte_eth_fc_conf *)arg;

	return rte_eth_dev_flow_ctrl_set(port_id, &fc);
}

int
failover_flow_ctrl_set(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = failover_apply_cosmetic(priv, fo_fc_set, fc, "flow control");
	if (ret == 0) {
		priv->cfg.fc = *fc;
		priv->cfg.fc_set = true;
	}
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/* From the sub-port that has flow control, the synthetic port first. */
int
failover_flow_ctrl_get(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? -ENOTSUP :
		rte_eth_dev_flow_ctrl_get(priv->synthetic.port_id, fc);
	if (ret == -ENOTSUP && failover_vf_in_config(priv))
		ret = rte_eth_dev_flow_ctrl_get(priv->vf.port_id, fc);
	pthread_mutex_unlock(priv->lock);
	return ret;
}
