/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The recorded configuration (priv->cfg) and how a sub-port is brought to
 * it: failover_sub_configure() for the configure operation on both
 * sub-ports, failover_vf_setup() for a VF that arrives later. All run
 * under priv->lock but failover_config_free(), called at teardown.
 *
 * A VF that arrives is first checked against the configuration in use,
 * from its dev_info and its driver's operations, before anything is done
 * to it; then it gets all of it. A VF that cannot take what is recorded
 * is refused (VF_REFUSED, traffic stays on the synthetic path) for what
 * changes forwarding, and only logged for what does not (flow control,
 * link up/down): docs/guides/failover.rst, "Configuration replay and
 * refusals".
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "failover_private.h"

/* RSS spreads the traffic over several queues: the VF must do the same. */
bool
failover_rss_spreads(const struct failover_config *cfg)
{
	return (cfg->dev_conf.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) &&
		cfg->nb_rx_queues > 1;
}

/* ----------------------------------------------------------------------
 * Recorded configuration
 * ---------------------------------------------------------------------- */

void
failover_config_free(struct failover_config *cfg)
{
	rte_free(cfg->rxq);
	rte_free(cfg->txq);
	rte_free(cfg->mc_addrs);
	cfg->rxq = NULL;
	cfg->txq = NULL;
	cfg->mc_addrs = NULL;
	cfg->nb_mc_addrs = 0;
	failover_flow_free(cfg);
	cfg->configured = false;
}

int
failover_config_record(struct failover_config *cfg, uint16_t nb_rxq,
		uint16_t nb_txq, const struct rte_eth_conf *conf)
{
	struct failover_rxq_conf *rxq;
	struct failover_txq_conf *txq;
	uint16_t old_rx = cfg->configured ? cfg->nb_rx_queues : 0;
	uint16_t old_tx = cfg->configured ? cfg->nb_tx_queues : 0;

	rxq = rte_zmalloc("failover_rxq_conf",
		sizeof(*rxq) * RTE_MAX(nb_rxq, 1), 0);
	txq = rte_zmalloc("failover_txq_conf",
		sizeof(*txq) * RTE_MAX(nb_txq, 1), 0);
	if (rxq == NULL || txq == NULL) {
		rte_free(rxq);
		rte_free(txq);
		return -ENOMEM;
	}
	/* Queues set up before a re-configure keep their settings. */
	if (cfg->rxq != NULL)
		memcpy(rxq, cfg->rxq, sizeof(*rxq) * RTE_MIN(old_rx, nb_rxq));
	if (cfg->txq != NULL)
		memcpy(txq, cfg->txq, sizeof(*txq) * RTE_MIN(old_tx, nb_txq));
	rte_free(cfg->rxq);
	rte_free(cfg->txq);
	cfg->rxq = rxq;
	cfg->txq = txq;
	cfg->nb_rx_queues = nb_rxq;
	cfg->nb_tx_queues = nb_txq;
	cfg->dev_conf = *conf;
	cfg->rss_key_len = 0;
	if (conf->rx_adv_conf.rss_conf.rss_key != NULL) {
		cfg->rss_key_len = RTE_MIN(conf->rx_adv_conf.rss_conf.rss_key_len,
			(uint8_t)sizeof(cfg->rss_key));
		memcpy(cfg->rss_key, conf->rx_adv_conf.rss_conf.rss_key,
			cfg->rss_key_len);
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key = cfg->rss_key;
		cfg->dev_conf.rx_adv_conf.rss_conf.rss_key_len = cfg->rss_key_len;
	}
	cfg->mtu = conf->rxmode.mtu;
	/* Configure resets the redirection table to the PMD's default. */
	cfg->reta_size = 0;
	cfg->configured = true;
	return 0;
}

static unsigned int
fo_nb_extra_macs(const struct failover_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 1; i < FO_MAX_MAC_ADDRS; i++)
		if (cfg->mac_pools[i] != 0)
			n++;
	return n;
}

/* The lowest bit of a non-zero mask, for naming one offload. */
static uint64_t
fo_first_bit(uint64_t mask)
{
	return mask & (~mask + 1);
}

/* ----------------------------------------------------------------------
 * Applying the configuration to one sub-port
 * ---------------------------------------------------------------------- */

/* Stop a sub-port before configuring it again. */
static int
fo_sub_halt(struct failover_subport *sp, char *why, size_t len)
{
	int ret;

	if (!sp->started)
		return 0;
	failover_own_op(true);
	ret = rte_eth_dev_stop(sp->port_id);
	failover_own_op(false);
	if (ret < 0) {
		snprintf(why, len, "stop: %s", rte_strerror(-ret));
		return ret;
	}
	sp->started = false;
	return 0;
}

/*
 * The recorded filters that ethdev does not keep across a configure of
 * the sub-port: extra unicast MACs, multicast list, VLAN filters, and
 * flow control (logged only: it changes no forwarding).
 */
static int
fo_sub_filters(struct failover_priv *priv, uint16_t port, char *why,
		size_t len)
{
	const struct failover_config *cfg = &priv->cfg;
	struct rte_ether_addr mac;
	struct rte_eth_fc_conf fc;
	char buf[RTE_ETHER_ADDR_FMT_SIZE];
	uint32_t pool, id;
	uint64_t pools;
	unsigned int i;
	int ret;

	for (i = 1; i < FO_MAX_MAC_ADDRS; i++) {
		rte_ether_addr_copy(&cfg->mac_addrs[i], &mac);
		for (pools = cfg->mac_pools[i], pool = 0; pools != 0;
		     pools >>= 1, pool++) {
			if (!(pools & 1))
				continue;
			ret = rte_eth_dev_mac_addr_add(port, &mac, pool);
			if (ret < 0) {
				rte_ether_format_addr(buf, sizeof(buf), &mac);
				snprintf(why, len, "MAC address %s: %s", buf,
					rte_strerror(-ret));
				return ret;
			}
		}
	}
	if (cfg->nb_mc_addrs != 0) {
		ret = rte_eth_dev_set_mc_addr_list(port, cfg->mc_addrs,
				cfg->nb_mc_addrs);
		if (ret < 0) {
			snprintf(why, len, "multicast list of %u addresses: %s",
				cfg->nb_mc_addrs, rte_strerror(-ret));
			return ret;
		}
	}
	for (id = 0; id < FO_VLAN_IDS; id++) {
		if (!(cfg->vlan_filter[id / 64] & (UINT64_C(1) << (id % 64))))
			continue;
		ret = rte_eth_dev_vlan_filter(port, id, 1);
		if (ret < 0) {
			snprintf(why, len, "VLAN filter %u: %s", id,
				rte_strerror(-ret));
			return ret;
		}
	}
	if (cfg->fc_set) {
		fc = cfg->fc;
		ret = rte_eth_dev_flow_ctrl_set(port, &fc);
		if (ret < 0)
			FO_LOG(NOTICE, "port %u: sub-port %u keeps its flow control: %s",
				priv->port_id, port, rte_strerror(-ret));
	}
	return 0;
}

/*
 * Configure a sub-port like the failover port: dev_conf, queues, MAC
 * addresses, modes and filters. The caller stopped it.
 */
int
failover_sub_configure(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len)
{
	const struct failover_config *cfg = &priv->cfg;
	struct rte_eth_conf conf = cfg->dev_conf;
	struct rte_eth_rss_conf *rss = &conf.rx_adv_conf.rss_conf;
	struct rte_eth_dev_info info;
	uint16_t port = sp->port_id;
	uint16_t q;
	int ret;

	ret = fo_sub_halt(sp, why, len);
	if (ret < 0)
		return ret;
	/*
	 * The failover port raises its own LSC; the sub-ports' interrupts
	 * are ours: ask each for what it can give.
	 */
	memset(&conf.intr_conf, 0, sizeof(conf.intr_conf));
	if (rte_eth_devices[port].data->dev_flags & RTE_ETH_DEV_INTR_LSC)
		conf.intr_conf.lsc = 1;
	if (rte_eth_devices[port].data->dev_flags & RTE_ETH_DEV_INTR_RMV)
		conf.intr_conf.rmv = 1;
	/*
	 * With a single Rx queue the hash only fills mbuf fields: a sub-port
	 * hashes what it can and keeps its own key (failover_vf_setup()
	 * refused a VF that cannot spread like the failover port).
	 */
	ret = rte_eth_dev_info_get(port, &info);
	if (ret < 0) {
		snprintf(why, len, "device info: %s", rte_strerror(-ret));
		return ret;
	}
	if (!failover_rss_spreads(cfg)) {
		rss->rss_hf &= info.flow_type_rss_offloads;
		if (rss->rss_key_len != info.hash_key_size) {
			rss->rss_key = NULL;
			rss->rss_key_len = 0;
		}
	}

	ret = rte_eth_dev_configure(port, cfg->nb_rx_queues, cfg->nb_tx_queues,
			&conf);
	if (ret < 0) {
		snprintf(why, len, "configure with %u Rx / %u Tx queues: %s",
			cfg->nb_rx_queues, cfg->nb_tx_queues, rte_strerror(-ret));
		return ret;
	}
	sp->configured = true;
	for (q = 0; q < cfg->nb_rx_queues; q++) {
		const struct failover_rxq_conf *rc = &cfg->rxq[q];

		if (!rc->set)
			continue;
		ret = rte_eth_rx_queue_setup(port, q, rc->nb_desc, rc->socket_id,
				&rc->conf, rc->mp);
		if (ret < 0) {
			snprintf(why, len, "Rx queue %u setup (%u descriptors): %s",
				q, rc->nb_desc, rte_strerror(-ret));
			return ret;
		}
	}
	for (q = 0; q < cfg->nb_tx_queues; q++) {
		const struct failover_txq_conf *tc = &cfg->txq[q];

		if (!tc->set)
			continue;
		ret = rte_eth_tx_queue_setup(port, q, tc->nb_desc, tc->socket_id,
				&tc->conf);
		if (ret < 0) {
			snprintf(why, len, "Tx queue %u setup (%u descriptors): %s",
				q, tc->nb_desc, rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_default_mac_addr_set(port, &priv->mac);
	if (ret < 0 && ret != -ENOTSUP)
		FO_LOG(NOTICE, "port %u: cannot set MAC on sub-port %u: %s",
			priv->port_id, port, rte_strerror(-ret));
	/* Modes a sub-port does not have are logged, as when set. */
	ret = priv->cfg.promiscuous ? rte_eth_promiscuous_enable(port) :
		rte_eth_promiscuous_disable(port);
	if (ret == -ENOTSUP && priv->cfg.promiscuous) {
		FO_LOG(NOTICE, "port %u: sub-port %u has no promiscuous mode",
			priv->port_id, port);
	} else if (ret < 0 && ret != -ENOTSUP) {
		snprintf(why, len, "promiscuous %s: %s",
			priv->cfg.promiscuous ? "on" : "off", rte_strerror(-ret));
		return ret;
	}
	ret = priv->cfg.all_multicast ? rte_eth_allmulticast_enable(port) :
		rte_eth_allmulticast_disable(port);
	if (ret == -ENOTSUP && priv->cfg.all_multicast) {
		FO_LOG(NOTICE, "port %u: sub-port %u has no all-multicast mode",
			priv->port_id, port);
	} else if (ret < 0 && ret != -ENOTSUP) {
		snprintf(why, len, "all-multicast %s: %s",
			priv->cfg.all_multicast ? "on" : "off", rte_strerror(-ret));
		return ret;
	}
	return fo_sub_filters(priv, port, why, len);
}

/* ----------------------------------------------------------------------
 * A VF that arrives: check, then replay
 * ---------------------------------------------------------------------- */

static int
fo_vf_check_queues(const struct failover_config *cfg,
		const struct rte_eth_dev_info *info, char *why, size_t len)
{
	const struct rte_eth_desc_lim *lim;
	uint64_t missing;
	uint16_t q, n;

	for (q = 0; q < cfg->nb_rx_queues; q++) {
		if (!cfg->rxq[q].set)
			continue;
		missing = cfg->rxq[q].conf.offloads &
			~cfg->dev_conf.rxmode.offloads &
			~info->rx_queue_offload_capa;
		if (missing != 0) {
			snprintf(why, len, "Rx queue %u offload %s in use, not supported by the VF per queue",
				q, rte_eth_dev_rx_offload_name(
				fo_first_bit(missing)));
			return -ENOTSUP;
		}
		lim = &info->rx_desc_lim;
		n = cfg->rxq[q].nb_desc;
		if (n > lim->nb_max || n < lim->nb_min ||
		    (lim->nb_align != 0 && n % lim->nb_align != 0)) {
			snprintf(why, len, "Rx queue %u has %u descriptors, the VF takes %u..%u by %u",
				q, n, lim->nb_min, lim->nb_max, lim->nb_align);
			return -EINVAL;
		}
	}
	for (q = 0; q < cfg->nb_tx_queues; q++) {
		if (!cfg->txq[q].set)
			continue;
		missing = cfg->txq[q].conf.offloads &
			~cfg->dev_conf.txmode.offloads &
			~info->tx_queue_offload_capa;
		if (missing != 0) {
			snprintf(why, len, "Tx queue %u offload %s in use, not supported by the VF per queue",
				q, rte_eth_dev_tx_offload_name(
				fo_first_bit(missing)));
			return -ENOTSUP;
		}
		lim = &info->tx_desc_lim;
		n = cfg->txq[q].nb_desc;
		if (n > lim->nb_max || n < lim->nb_min ||
		    (lim->nb_align != 0 && n % lim->nb_align != 0)) {
			snprintf(why, len, "Tx queue %u has %u descriptors, the VF takes %u..%u by %u",
				q, n, lim->nb_min, lim->nb_max, lim->nb_align);
			return -EINVAL;
		}
	}
	return 0;
}

static bool
fo_vlan_filters_in_use(const struct failover_config *cfg)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(cfg->vlan_filter); i++)
		if (cfg->vlan_filter[i] != 0)
			return true;
	return false;
}

/* The filters in use that the VF's driver has no operation for. */
static int
fo_vf_check_ops(struct failover_priv *priv, uint16_t port, char *why,
		size_t len)
{
	const struct eth_dev_ops *ops = rte_eth_devices[port].dev_ops;
	const struct failover_config *cfg = &priv->cfg;

	if (fo_nb_extra_macs(cfg) != 0 && ops->mac_addr_add == NULL) {
		snprintf(why, len, "extra unicast MAC addresses in use, the VF cannot add any");
		return -ENOTSUP;
	}
	if (cfg->nb_mc_addrs != 0 && ops->set_mc_addr_list == NULL) {
		snprintf(why, len, "multicast list of %u addresses in use, the VF has no multicast filter",
			cfg->nb_mc_addrs);
		return -ENOTSUP;
	}
	if (fo_vlan_filters_in_use(cfg) && ops->vlan_filter_set == NULL) {
		snprintf(why, len, "VLAN filters in use, the VF has none");
		return -ENOTSUP;
	}
	if (failover_rss_spreads(cfg) && cfg->reta_size != 0 &&
	    ops->reta_update == NULL) {
		snprintf(why, len, "RSS redirection table in use, the VF cannot set one");
		return -ENOTSUP;
	}
	return 0;
}

/*
 * Whether the VF can carry the configuration in use, decided from its
 * dev_info and its driver's operations before anything is done to it.
 * Sets @p why when not.
 */
static int
fo_vf_check(struct failover_priv *priv, uint16_t port, char *why, size_t len)
{
	const struct failover_config *cfg = &priv->cfg;
	const struct rte_eth_conf *conf = &cfg->dev_conf;
	struct rte_eth_dev_info info;
	unsigned int nb_macs;
	uint64_t missing;
	int ret;

	/* A port released under us (its device gone) is not there to check. */
	if (!failover_port_ready(port)) {
		snprintf(why, len, "port %u is gone", port);
		return -ENODEV;
	}
	ret = rte_eth_dev_info_get(port, &info);
	if (ret < 0) {
		snprintf(why, len, "device info: %s", rte_strerror(-ret));
		return ret;
	}
	if (cfg->nb_rx_queues > info.max_rx_queues ||
	    cfg->nb_tx_queues > info.max_tx_queues) {
		snprintf(why, len, "%u Rx / %u Tx queues in use, the VF has at most %u / %u",
			cfg->nb_rx_queues, cfg->nb_tx_queues,
			info.max_rx_queues, info.max_tx_queues);
		return -EINVAL;
	}
	if (cfg->mtu > info.max_mtu || cfg->mtu < info.min_mtu) {
		snprintf(why, len, "MTU %u in use, the VF takes %u..%u",
			cfg->mtu, info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	missing = conf->rxmode.offloads & ~info.rx_offload_capa;
	if (missing != 0) {
		snprintf(why, len, "Rx offload %s in use, not supported by the VF",
			rte_eth_dev_rx_offload_name(fo_first_bit(missing)));
		return -ENOTSUP;
	}
	missing = conf->txmode.offloads & ~info.tx_offload_capa;
	if (missing != 0) {
		snprintf(why, len, "Tx offload %s in use, not supported by the VF",
			rte_eth_dev_tx_offload_name(fo_first_bit(missing)));
		return -ENOTSUP;
	}
	ret = fo_vf_check_queues(cfg, &info, why, len);
	if (ret < 0)
		return ret;
	if (failover_rss_spreads(cfg)) {
		missing = conf->rx_adv_conf.rss_conf.rss_hf &
			~info.flow_type_rss_offloads;
		if (missing != 0) {
			snprintf(why, len, "RSS hash functions 0x%" PRIx64 " in use, the VF hashes 0x%" PRIx64 " only",
				conf->rx_adv_conf.rss_conf.rss_hf,
				info.flow_type_rss_offloads);
			return -ENOTSUP;
		}
		if (cfg->rss_key_len != 0 &&
		    cfg->rss_key_len != info.hash_key_size) {
			snprintf(why, len, "RSS key of %u bytes in use, the VF takes %u",
				cfg->rss_key_len, info.hash_key_size);
			return -EINVAL;
		}
		if (cfg->reta_size != 0 && (info.reta_size < cfg->reta_size ||
		    info.reta_size % cfg->reta_size != 0)) {
			snprintf(why, len, "RSS redirection table of %u entries in use, the VF has %u",
				cfg->reta_size, info.reta_size);
			return -EINVAL;
		}
	}
	nb_macs = 1 + fo_nb_extra_macs(cfg);
	if (nb_macs > info.max_mac_addrs) {
		snprintf(why, len, "%u unicast MAC addresses in use, the VF holds %u",
			nb_macs, info.max_mac_addrs);
		return -ENOSPC;
	}
	return fo_vf_check_ops(priv, port, why, len);
}

/*
 * Bring a newly adopted sub-port (a VF, or a synthetic port that came
 * back) to the failover port's configuration. First decide from its
 * capabilities whether it can carry the configuration in use; then
 * configure it, replay queues, addresses, modes, filters, RSS table and
 * flow rules, and start it if the port is started. Called with
 * priv->lock held, before any traffic can use the sub-port; any error
 * refuses it with @p why.
 */
int
failover_sub_setup(struct failover_priv *priv, struct failover_subport *sp,
		char *why, size_t len)
{
	enum failover_slot slot = failover_slot_of(priv, sp);
	const struct failover_config *cfg = &priv->cfg;
	int ret;

	snprintf(why, len, "no error");
	FO_RACE("setup", sp->port_id);
	if (!cfg->configured) {
		/* The configure op brings the rest along. */
		ret = fo_sub_halt(sp, why, len);
		if (ret < 0)
			return ret;
		return failover_flow_sub_prepare(priv, slot, why, len);
	}
	ret = fo_vf_check(priv, sp->port_id, why, len);
	if (ret < 0)
		return ret;
	ret = fo_sub_halt(sp, why, len);
	if (ret < 0)
		return ret;
	/* Isolated mode goes before configure, as rte_flow asks. */
	ret = failover_flow_sub_prepare(priv, slot, why, len);
	if (ret < 0)
		return ret;
	ret = failover_sub_configure(priv, sp, why, len);
	if (ret < 0)
		return ret;
	if (cfg->reta_size != 0 && failover_rss_spreads(cfg)) {
		ret = failover_reta_write(sp->port_id, cfg->reta,
			cfg->reta_size);
		if (ret < 0) {
			snprintf(why, len, "RSS redirection table of %u entries: %s",
				cfg->reta_size, rte_strerror(-ret));
			return ret;
		}
	}
	ret = failover_flow_sub_replay(priv, slot, why, len);
	if (ret < 0)
		return ret;
	if (priv->sm.started) {
		ret = failover_sub_start(priv, sp, why, len);
		if (ret < 0)
			return ret;
	}
	if (cfg->link_down) {
		ret = rte_eth_dev_set_link_down(sp->port_id);
		if (ret < 0)
			FO_LOG(NOTICE, "port %u: %s port %u cannot set its link down: %s",
				priv->port_id, failover_role(slot), sp->port_id,
				rte_strerror(-ret));
	}
	return 0;
}
