/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Configuration parity across VF churn. What the application sets on the
 * failover port reaches both sub-ports, and a VF that arrives later
 * carries all of it before traffic moves to it; a VF that cannot carry it
 * is refused (traffic stays on the synthetic path, the log says why) until
 * the configuration changes so that it fits. Sub-ports are net_testvf
 * ports (tests/pmd), whose record of every setting received is read with
 * testvf_get_config(); net_ring and net_null play VFs with fewer
 * abilities, and net_testvf with flow=0 (or flow_rules=N) one without
 * rte_flow (or with room for N rules only).
 *
 * "Before traffic moves" is checked by reading the new VF's record from
 * the path-change callback, when Tx moves to it.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_flow.h>

#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "testvf.h"

#define FO_NAME		"net_failover0"
#define SYN_NAME	"net_testvf0"
#define VF_NAME		"net_testvf1"
/* The VF is the application's to take away and give back: no re-probe. */
#define FO_ARGS FO_NAME ",synthetic=" SYN_NAME ",vf=" VF_NAME \
	",vf_settle_ms=0,probe_interval_ms=100000"
#define WAIT_MS		3000

/* The new VF's record, read when Tx moves to it. */
struct switch_watch {
	const char *vf_name;
	bool taken;			/* atomic: set by the callback */
	struct testvf_config cfg;
};

static void
watch_cb(uint16_t port, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	struct switch_watch *w = arg;
	uint16_t vf;

	(void)port;
	/* Relaxed: only this callback writes taken; the first switch wins. */
	if (ev->to != RTE_PMD_FAILOVER_PATH_VF ||
	    __atomic_load_n(&w->taken, __ATOMIC_RELAXED) ||
	    rte_eth_dev_get_port_by_name(w->vf_name, &vf) != 0 ||
	    testvf_get_config(vf, &w->cfg) != 0)
		return;
	/* Release: the test thread reads cfg after seeing taken. */
	__atomic_store_n(&w->taken, true, __ATOMIC_RELEASE);
}

static bool
watch_taken(void *arg)
{
	struct switch_watch *w = arg;

	/* Acquire: pairs with the callback's release; cfg is read next. */
	return __atomic_load_n(&w->taken, __ATOMIC_ACQUIRE);
}

struct state_wait {
	uint16_t fo;
	const char *state;
};

static bool
state_is(void *arg)
{
	const struct state_wait *w = arg;
	struct rte_pmd_failover_info info;

	return rte_pmd_failover_info_get(w->fo, &info) == 0 &&
		strcmp(info.state, w->state) == 0;
}

static bool
wait_state(uint16_t fo, const char *state)
{
	struct state_wait w = { .fo = fo, .state = state };

	return fo_test_wait(state_is, &w, WAIT_MS);
}

static uint64_t
refusals(uint16_t fo)
{
	struct rte_pmd_failover_info info;

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	return info.counters.vf_refused;
}

static struct testvf_config
config_of(const char *name)
{
	struct testvf_config cfg;
	uint16_t port = fo_test_port_of(name);

	assert_int_not_equal(port, UINT16_MAX);
	assert_int_equal(testvf_get_config(port, &cfg), 0);
	return cfg;
}

static uint16_t
fo_probe(const char *devargs)
{
	uint16_t fo;

	assert_int_equal(fo_test_probe(devargs, &fo), 0);
	return fo;
}

static void
fo_configure(uint16_t fo, uint16_t nq, const struct rte_eth_conf *conf)
{
	uint16_t q;

	assert_int_equal(rte_eth_dev_configure(fo, nq, nq, conf), 0);
	for (q = 0; q < nq; q++) {
		assert_int_equal(rte_eth_rx_queue_setup(fo, q, 256,
			rte_socket_id(), NULL, fo_test_pool()), 0);
		assert_int_equal(rte_eth_tx_queue_setup(fo, q, 256,
			rte_socket_id(), NULL), 0);
	}
}

/* The VF is taken away: wait until the port gave it up. */
static void
vf_remove(uint16_t fo, const char *name)
{
	assert_int_equal(fo_test_remove(name), 0);
	assert_true(wait_state(fo, "VF_GONE"));
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
}

/* A VF comes back (@p devargs may limit it); the port adopts it. */
static void
vf_add(const char *devargs)
{
	uint16_t vf;

	assert_int_equal(fo_test_probe(devargs, &vf), 0);
}

/* Remove the VF and bring it back; return its record at the switch. */
static struct testvf_config
vf_churn(uint16_t fo, const char *devargs)
{
	struct switch_watch w = { .vf_name = VF_NAME };

	vf_remove(fo, VF_NAME);
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, watch_cb,
		&w), 0);
	vf_add(devargs);
	assert_true(fo_test_wait(watch_taken, &w, WAIT_MS));
	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo,
		watch_cb, &w), 0);
	assert_true(w.cfg.started);
	return w.cfg;
}

/* The VF arrives and is refused: traffic stays on synthetic. */
static void
assert_refused(uint16_t fo, uint64_t refused_before, const char *why)
{
	assert_true(wait_state(fo, "VF_REFUSED"));
	assert_true(refusals(fo) > refused_before);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	assert_int_equal(rte_pmd_failover_switch(fo, RTE_PMD_FAILOVER_PATH_VF),
		-ENODEV);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	if (!fo_test_log_has(why))
		print_message("log lacks \"%s\"\n", why);
	assert_true(fo_test_log_has(why));
}

static void
fo_close(uint16_t fo)
{
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove(FO_NAME), 0);
}

static bool
has_mac(const struct testvf_config *cfg, const struct rte_ether_addr *mac)
{
	unsigned int i;

	for (i = 1; i < TESTVF_MAX_MAC_ADDRS; i++)
		if (rte_is_same_ether_addr(&cfg->mac_addrs[i], mac))
			return true;
	return false;
}

/* ----------------------------------------------------------------------
 * Replay
 * ---------------------------------------------------------------------- */

static void
check_queues(const struct testvf_config *c, uint64_t rx_off, uint64_t tx_off)
{
	assert_true(c->configured);
	assert_int_equal(c->nb_rx_queues, 2);
	assert_int_equal(c->nb_tx_queues, 2);
	assert_int_equal(c->rx_offloads & rx_off, rx_off);
	assert_int_equal(c->tx_offloads & tx_off, tx_off);
	assert_true(c->rxq[0].setup && c->rxq[1].setup);
	assert_int_equal(c->rxq[0].nb_desc, 512);
	assert_int_equal(c->rxq[1].nb_desc, 128);
	assert_ptr_equal(c->rxq[1].mb_pool, fo_test_pool());
	assert_int_equal(c->txq[0].nb_desc, 256);
	assert_int_equal(c->txq[1].nb_desc, 1024);
	assert_int_equal(c->mtu, 3000);
}

/* Queue counts, descriptors, mempools, offloads, MTU. */
static void
test_replay_queues_offloads_mtu(void **state)
{
	const uint64_t rx_off = RTE_ETH_RX_OFFLOAD_VLAN_STRIP |
		RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	const uint64_t tx_off = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	struct rte_eth_conf conf = { 0 };
	struct testvf_config c;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	conf.rxmode.offloads = rx_off;
	conf.txmode.offloads = tx_off;
	assert_int_equal(rte_eth_dev_configure(fo, 2, 2, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(fo, 0, 512, rte_socket_id(),
		NULL, fo_test_pool()), 0);
	assert_int_equal(rte_eth_rx_queue_setup(fo, 1, 128, rte_socket_id(),
		NULL, fo_test_pool()), 0);
	assert_int_equal(rte_eth_tx_queue_setup(fo, 0, 256, rte_socket_id(),
		NULL), 0);
	assert_int_equal(rte_eth_tx_queue_setup(fo, 1, 1024, rte_socket_id(),
		NULL), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(rte_eth_dev_set_mtu(fo, 3000), 0);

	c = config_of(SYN_NAME);
	check_queues(&c, rx_off, tx_off);
	c = config_of(VF_NAME);
	check_queues(&c, rx_off, tx_off);

	c = vf_churn(fo, VF_NAME);
	check_queues(&c, rx_off, tx_off);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

static const struct rte_ether_addr mac_default = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0xaa, 0x01 } };
static const struct rte_ether_addr mac_extra1 = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0xaa, 0x02 } };
static const struct rte_ether_addr mac_extra2 = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0xaa, 0x03 } };
static struct rte_ether_addr mc_list[] = {
	{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
	{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 } },
};

static void
check_addresses(const struct testvf_config *c, bool extra2)
{
	assert_true(rte_is_same_ether_addr(&c->mac_addrs[0], &mac_default));
	assert_true(has_mac(c, &mac_extra1));
	assert_int_equal(has_mac(c, &mac_extra2), extra2);
	assert_int_equal(c->nb_mc_addrs, 2);
	assert_memory_equal(c->mc_addrs, mc_list, sizeof(mc_list));
	assert_true(c->promiscuous);
	assert_true(c->allmulticast);
}

/* Default and extra unicast MACs, multicast list, promiscuous, all-multi. */
static void
test_replay_addresses(void **state)
{
	struct rte_eth_dev_info info;
	struct testvf_config c;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	/* Extra MACs: as many as both paths hold. */
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.max_mac_addrs, TESTVF_MAX_MAC_ADDRS);

	assert_int_equal(rte_eth_dev_default_mac_addr_set(fo,
		(struct rte_ether_addr *)(uintptr_t)&mac_default), 0);
	assert_int_equal(rte_eth_dev_mac_addr_add(fo,
		(struct rte_ether_addr *)(uintptr_t)&mac_extra1, 0), 0);
	assert_int_equal(rte_eth_dev_mac_addr_add(fo,
		(struct rte_ether_addr *)(uintptr_t)&mac_extra2, 0), 0);
	assert_int_equal(rte_eth_dev_set_mc_addr_list(fo, mc_list,
		RTE_DIM(mc_list)), 0);
	assert_int_equal(rte_eth_promiscuous_enable(fo), 0);
	assert_int_equal(rte_eth_allmulticast_enable(fo), 0);
	c = config_of(SYN_NAME);
	check_addresses(&c, true);
	c = config_of(VF_NAME);
	check_addresses(&c, true);

	/* A removed address leaves both. */
	assert_int_equal(rte_eth_dev_mac_addr_remove(fo,
		(struct rte_ether_addr *)(uintptr_t)&mac_extra2), 0);
	c = config_of(SYN_NAME);
	check_addresses(&c, false);
	c = config_of(VF_NAME);
	check_addresses(&c, false);

	/* The new VF has its own MAC: it is given the port's. */
	c = vf_churn(fo, VF_NAME ",mac=02:00:00:00:bb:01");
	check_addresses(&c, false);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* Filters as the driver received them, offloads as ethdev holds them. */
static void
check_vlan(const char *name)
{
	struct testvf_config c = config_of(name);

	assert_true(testvf_vlan_filtered(&c, 100));
	assert_true(testvf_vlan_filtered(&c, 4095));
	assert_false(testvf_vlan_filtered(&c, 200));
	assert_int_equal(rte_eth_dev_get_vlan_offload(fo_test_port_of(name)),
		RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD);
}

/* VLAN filters and VLAN offloads set after configure. */
static void
test_replay_vlan(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct testvf_config c;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	fo_configure(fo, 1, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));

	assert_int_equal(rte_eth_dev_vlan_filter(fo, 100, 1), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(fo, 200, 1), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(fo, 4095, 1), 0);
	assert_int_equal(rte_eth_dev_vlan_filter(fo, 200, 0), 0);
	assert_int_equal(rte_eth_dev_set_vlan_offload(fo,
		RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD), 0);
	check_vlan(SYN_NAME);
	assert_int_equal(config_of(SYN_NAME).vlan_offload,
		RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD);
	check_vlan(VF_NAME);
	assert_int_equal(config_of(VF_NAME).vlan_offload,
		RTE_ETH_VLAN_STRIP_OFFLOAD | RTE_ETH_VLAN_FILTER_OFFLOAD);

	/* The new VF gets the offloads with its configure. */
	c = vf_churn(fo, VF_NAME);
	assert_true(testvf_vlan_filtered(&c, 100));
	assert_true(testvf_vlan_filtered(&c, 4095));
	assert_false(testvf_vlan_filtered(&c, 200));
	assert_int_equal(c.rx_offloads & (RTE_ETH_RX_OFFLOAD_VLAN_FILTER |
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP), RTE_ETH_RX_OFFLOAD_VLAN_FILTER |
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	check_vlan(VF_NAME);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

static uint8_t rss_key1[TESTVF_RSS_KEY_LEN];
static uint8_t rss_key2[TESTVF_RSS_KEY_LEN];

static void
rss_keys_init(void)
{
	unsigned int i;

	for (i = 0; i < TESTVF_RSS_KEY_LEN; i++) {
		rss_key1[i] = (uint8_t)(i * 7 + 1);
		rss_key2[i] = (uint8_t)(0xa5 ^ i);
	}
}

/* Entry i of every sub-port's table is the port's entry i % 64. */
static void
check_rss(const struct testvf_config *c, uint16_t reta_size,
		const uint16_t *table)
{
	unsigned int i;

	assert_int_equal(c->rss_hf, RTE_ETH_RSS_IP);
	assert_memory_equal(c->rss_key, rss_key2, TESTVF_RSS_KEY_LEN);
	assert_int_equal(c->reta_size, reta_size);
	for (i = 0; i < reta_size; i++)
		assert_int_equal(c->reta[i], table[i % 64]);
}

/* RSS hash functions and key (configure, then update), RETA. */
static void
test_replay_rss(void **state)
{
	struct rte_eth_rss_reta_entry64 reta[2];
	struct rte_eth_rss_conf rss = { 0 };
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint8_t key[TESTVF_RSS_KEY_LEN];
	uint16_t table[64];
	struct testvf_config c;
	unsigned int i;
	uint16_t fo;

	(void)state;
	rss_keys_init();
	/* The synthetic port's table is twice the VF's. */
	fo = fo_probe(FO_NAME ",synthetic=[" SYN_NAME ",reta_size=128],vf="
		VF_NAME ",vf_settle_ms=0,probe_interval_ms=100000");
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP;
	conf.rx_adv_conf.rss_conf.rss_key = rss_key1;
	conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(rss_key1);
	fo_configure(fo, 4, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	c = config_of(VF_NAME);
	assert_int_equal(c.rss_hf, RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP);
	assert_memory_equal(c.rss_key, rss_key1, sizeof(rss_key1));

	rss.rss_hf = RTE_ETH_RSS_IP;
	rss.rss_key = rss_key2;
	rss.rss_key_len = sizeof(rss_key2);
	assert_int_equal(rte_eth_dev_rss_hash_update(fo, &rss), 0);
	memset(key, 0, sizeof(key));
	rss.rss_key = key;
	rss.rss_hf = 0;
	assert_int_equal(rte_eth_dev_rss_hash_conf_get(fo, &rss), 0);
	assert_int_equal(rss.rss_hf, RTE_ETH_RSS_IP);
	assert_memory_equal(key, rss_key2, sizeof(key));

	/* The port's table is the smaller one. */
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.reta_size, 64);
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < 64; i++)
		table[i] = (i * 3 + 1) % 4;
	reta[0].mask = UINT64_MAX;
	for (i = 0; i < 64; i++)
		reta[0].reta[i] = table[i];
	assert_int_equal(rte_eth_dev_rss_reta_update(fo, reta, 64), 0);
	memset(reta, 0, sizeof(reta));
	reta[0].mask = UINT64_MAX;
	assert_int_equal(rte_eth_dev_rss_reta_query(fo, reta, 64), 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(reta[0].reta[i], table[i]);
	c = config_of(SYN_NAME);
	check_rss(&c, 128, table);
	c = config_of(VF_NAME);
	check_rss(&c, 64, table);

	c = vf_churn(fo, VF_NAME);
	check_rss(&c, 64, table);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * Link down set by the application: both paths down, and a VF that
 * arrives meanwhile is set down too (so it takes no traffic) until the
 * application sets the link up.
 */
static void
test_replay_link_down(void **state)
{
	struct testvf_config c;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(rte_eth_dev_set_link_down(fo), 0);
	assert_false(config_of(SYN_NAME).link_admin_up);
	assert_false(config_of(VF_NAME).link_admin_up);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		WAIT_MS));

	vf_remove(fo, VF_NAME);
	vf_add(VF_NAME);
	assert_true(wait_state(fo, "VF_STANDBY"));
	c = config_of(VF_NAME);
	assert_true(c.started);
	assert_false(c.link_admin_up);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);

	assert_int_equal(rte_eth_dev_set_link_up(fo), 0);
	assert_true(config_of(SYN_NAME).link_admin_up);
	assert_true(config_of(VF_NAME).link_admin_up);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * Cosmetic settings a VF cannot take are logged, not refused: net_null
 * has no link up/down. Flow control, which no path has, is refused to
 * the application.
 */
static void
test_cosmetic_settings_with_null_vf(void **state)
{
	struct rte_eth_fc_conf fc = { .mode = RTE_ETH_FC_FULL };
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=" SYN_NAME ",vf=net_null0,"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_test_log_capture();
	assert_int_equal(rte_eth_dev_set_link_down(fo), 0);
	assert_false(config_of(SYN_NAME).link_admin_up);
	assert_true(fo_test_log_has("VF port: link down"));
	assert_int_equal(rte_eth_dev_flow_ctrl_set(fo, &fc), -ENOTSUP);
	assert_int_equal(rte_eth_dev_flow_ctrl_get(fo, &fc), -ENOTSUP);

	/* A new null VF is taken all the same, its link left as it is. */
	vf_remove(fo, "net_null0");
	vf_add("net_null0");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_true(fo_test_log_has("cannot set its link down"));
	fo_test_log_release();
	fo_close(fo);
	assert_int_equal(fo_test_remove("net_null0"), 0);
}

/* ----------------------------------------------------------------------
 * Refusals, and retries once the configuration fits
 * ---------------------------------------------------------------------- */

static void
test_refused_mtu_until_lowered(void **state)
{
	struct testvf_config c;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(rte_eth_dev_set_mtu(fo, 9000), 0);
	assert_int_equal(config_of(VF_NAME).mtu, 9000);

	refused = refusals(fo);
	vf_remove(fo, VF_NAME);
	fo_test_log_capture();
	vf_add(VF_NAME ",max_mtu=1500");
	assert_refused(fo, refused, "refused: MTU 9000 in use, the VF takes 68..1500");
	/* Decided from its capabilities: the VF was not even configured. */
	c = config_of(VF_NAME);
	assert_int_equal(c.ops.dev_configure, 0);
	fo_test_log_release();

	/* The application lowers the MTU: the VF fits and is taken. */
	assert_int_equal(rte_eth_dev_set_mtu(fo, 1500), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(config_of(VF_NAME).mtu, 1500);
	assert_int_equal(config_of(SYN_NAME).mtu, 1500);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

static void
test_refused_queues_until_reconfigured(void **state)
{
	struct rte_eth_conf conf = { 0 };
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	fo_configure(fo, 4, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));

	refused = refusals(fo);
	vf_remove(fo, VF_NAME);
	fo_test_log_capture();
	vf_add(VF_NAME ",max_queues=2");
	assert_refused(fo, refused,
		"4 Rx / 4 Tx queues in use, the VF has at most 2 / 2");
	fo_test_log_release();

	/* Two queues are enough for the application after all. */
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_configure(fo, 2, 2, &conf), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(config_of(VF_NAME).nb_rx_queues, 2);
	assert_true(config_of(VF_NAME).rxq[1].setup);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* The VF is absent at configure time; the one that comes lacks an offload. */
static void
test_refused_rx_offload_until_reconfigured(void **state)
{
	struct rte_eth_conf conf = { 0 };
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	vf_remove(fo, VF_NAME);
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
	fo_configure(fo, 1, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);

	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME ",rx_offloads=0x4");
	assert_refused(fo, refused,
		"Rx offload VLAN_STRIP in use, not supported by the VF");
	fo_test_log_release();

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	conf.rxmode.offloads = 0;
	assert_int_equal(rte_eth_dev_configure(fo, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(config_of(VF_NAME).rx_offloads, 0);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * RSS that spreads over queues must be the same on the VF; with a single
 * queue the hash functions only fill mbuf fields and the VF hashes what
 * it can.
 */
static void
test_refused_rss_only_when_spreading(void **state)
{
	struct rte_eth_conf conf = { 0 };
	char devargs[64];
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	vf_remove(fo, VF_NAME);
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP;
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);

	refused = refusals(fo);
	fo_test_log_capture();
	snprintf(devargs, sizeof(devargs), "%s,rss_offloads=0x%" PRIx64,
		VF_NAME, (uint64_t)RTE_ETH_RSS_IP);
	vf_add(devargs);
	assert_refused(fo, refused, "RSS hash functions");
	fo_test_log_release();

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_configure(fo, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(config_of(VF_NAME).rss_hf, RTE_ETH_RSS_IP);
	assert_int_equal(config_of(SYN_NAME).rss_hf,
		RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* A RETA larger than the new VF's cannot be carried by it. */
static void
test_refused_reta_larger_than_vf(void **state)
{
	struct rte_eth_rss_reta_entry64 reta[2];
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint64_t refused;
	unsigned int i;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=[" SYN_NAME ",reta_size=128],vf="
		VF_NAME ",vf_settle_ms=0,probe_interval_ms=100000");
	vf_remove(fo, VF_NAME);
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.reta_size, 128);
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < 128; i++) {
		reta[i / 64].mask |= UINT64_C(1) << (i % 64);
		reta[i / 64].reta[i % 64] = i < 64 ? 0 : 1;
	}
	assert_int_equal(rte_eth_dev_rss_reta_update(fo, reta, 128), 0);

	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME);
	assert_refused(fo, refused,
		"RSS redirection table of 128 entries in use, the VF has 64");
	fo_test_log_release();

	/* Configure resets the table: the VF fits again. */
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_configure(fo, 2, 2, &conf), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * net_ring as the VF: one MAC address, no multicast list. While it takes
 * part, the port reports what it can and refuses what it cannot (the
 * synthetic port is set back); a ring VF that arrives while extra MACs or
 * a multicast list are in use is refused, and taken once they are gone.
 */
static void
test_ring_vf(void **state)
{
	struct rte_ether_addr extra = mac_extra1;
	struct rte_eth_dev_info info;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=" SYN_NAME ",vf=net_ring0,"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.max_mac_addrs, 1);
	assert_int_equal(rte_eth_dev_mac_addr_add(fo, &extra, 0), -ENOSPC);
	assert_int_equal(rte_eth_dev_set_mc_addr_list(fo, mc_list,
		RTE_DIM(mc_list)), -ENOTSUP);
	assert_int_equal(config_of(SYN_NAME).nb_mc_addrs, 0);

	vf_remove(fo, "net_ring0");
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.max_mac_addrs, TESTVF_MAX_MAC_ADDRS);
	assert_int_equal(rte_eth_dev_mac_addr_add(fo, &extra, 0), 0);
	assert_int_equal(rte_eth_dev_set_mc_addr_list(fo, mc_list,
		RTE_DIM(mc_list)), 0);
	assert_int_equal(config_of(SYN_NAME).nb_mc_addrs, 2);

	refused = refusals(fo);
	fo_test_log_capture();
	vf_add("net_ring0");
	assert_refused(fo, refused,
		"2 unicast MAC addresses in use, the VF holds 1");
	/* One reason gone, the next one refuses it again. */
	refused = refusals(fo);
	assert_int_equal(rte_eth_dev_mac_addr_remove(fo, &extra), 0);
	assert_refused(fo, refused, "multicast list of 2 addresses");
	fo_test_log_release();
	assert_int_equal(rte_eth_dev_set_mc_addr_list(fo, NULL, 0), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_close(fo);
	assert_int_equal(fo_test_remove("net_ring0"), 0);
}

/* ----------------------------------------------------------------------
 * rte_flow
 * ---------------------------------------------------------------------- */

/*
 * Rules of the rte_flow tests. The test VF takes ETH, IPV4 and IPV6 items
 * with QUEUE (to a queue that exists) and DROP actions, up to flow_rules=N
 * rules (16 by default); it has no rte_flow at all with flow=0.
 */
static const struct rte_flow_attr flow_attr = { .ingress = 1 };
static const struct rte_flow_item pattern_ipv4[] = {
	{ .type = RTE_FLOW_ITEM_TYPE_ETH },
	{ .type = RTE_FLOW_ITEM_TYPE_IPV4 },
	{ .type = RTE_FLOW_ITEM_TYPE_END },
};
static const struct rte_flow_item pattern_ipv6[] = {
	{ .type = RTE_FLOW_ITEM_TYPE_ETH },
	{ .type = RTE_FLOW_ITEM_TYPE_IPV6 },
	{ .type = RTE_FLOW_ITEM_TYPE_END },
};
static const struct rte_flow_item pattern_vxlan[] = {
	{ .type = RTE_FLOW_ITEM_TYPE_ETH },
	{ .type = RTE_FLOW_ITEM_TYPE_VXLAN },
	{ .type = RTE_FLOW_ITEM_TYPE_END },
};
static const struct rte_flow_action_queue queue_1 = { .index = 1 };
static const struct rte_flow_action_queue queue_5 = { .index = 5 };
static const struct rte_flow_action to_queue_1[] = {
	{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &queue_1 },
	{ .type = RTE_FLOW_ACTION_TYPE_END },
};
static const struct rte_flow_action to_queue_5[] = {
	{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &queue_5 },
	{ .type = RTE_FLOW_ACTION_TYPE_END },
};
static const struct rte_flow_action drop[] = {
	{ .type = RTE_FLOW_ACTION_TYPE_DROP },
	{ .type = RTE_FLOW_ACTION_TYPE_END },
};

/* A rule the port must take. */
static struct rte_flow *
flow_create(uint16_t fo, const struct rte_flow_item *pattern,
		const struct rte_flow_action *actions)
{
	struct rte_flow_error error;
	struct rte_flow *flow;

	memset(&error, 0, sizeof(error));
	flow = rte_flow_create(fo, &flow_attr, pattern, actions, &error);
	if (flow == NULL)
		print_message("rule refused: %s\n", error.message != NULL ?
			error.message : rte_strerror(rte_errno));
	assert_non_null(flow);
	return flow;
}

static void
flow_destroy(uint16_t fo, struct rte_flow *flow)
{
	struct rte_flow_error error;

	assert_int_equal(rte_flow_destroy(fo, flow, &error), 0);
}

static void
flow_flush(uint16_t fo)
{
	struct rte_flow_error error;

	assert_int_equal(rte_flow_flush(fo, &error), 0);
}

/* Rules a net_testvf port holds now. */
static uint32_t
flows_on(const char *name)
{
	return config_of(name).nb_flows;
}

/* The port over @p devargs, two queue pairs, started, Tx on the VF. */
static uint16_t
flow_port_start(const char *devargs)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t fo;

	fo = fo_probe(devargs);
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	return fo;
}

/* Rules created, destroyed and flushed on the port are so on both paths. */
static void
test_flow_rules_on_both_sub_ports(void **state)
{
	struct testvf_config syn, vf;
	struct rte_flow *flow;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	flow = flow_create(fo, pattern_ipv4, to_queue_1);
	(void)flow_create(fo, pattern_ipv6, drop);
	syn = config_of(SYN_NAME);
	vf = config_of(VF_NAME);
	assert_int_equal(syn.nb_flows, 2);
	assert_int_equal(vf.nb_flows, 2);
	assert_int_equal(syn.flow_action[0], RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(syn.flow_action[1], RTE_FLOW_ACTION_TYPE_DROP);
	assert_int_equal(vf.flow_action[0], RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(vf.flow_action[1], RTE_FLOW_ACTION_TYPE_DROP);

	flow_destroy(fo, flow);
	assert_int_equal(flows_on(SYN_NAME), 1);
	assert_int_equal(flows_on(VF_NAME), 1);
	(void)flow_create(fo, pattern_ipv4, drop);
	assert_int_equal(flows_on(SYN_NAME), 2);
	assert_int_equal(flows_on(VF_NAME), 2);
	flow_flush(fo);
	assert_int_equal(flows_on(SYN_NAME), 0);
	assert_int_equal(flows_on(VF_NAME), 0);
	fo_close(fo);
}

/* A sub-port's error reaches the application as the sub-port gave it. */
static void
test_flow_error_of_sub_port_as_is(void **state)
{
	struct rte_flow_error error;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	memset(&error, 0, sizeof(error));
	assert_int_equal(rte_flow_validate(fo, &flow_attr, pattern_ipv4,
		to_queue_5, &error), -EINVAL);
	assert_non_null(error.message);
	assert_string_equal(error.message, "queue index out of range");
	assert_int_equal(error.type, RTE_FLOW_ERROR_TYPE_ACTION_CONF);

	memset(&error, 0, sizeof(error));
	assert_null(rte_flow_create(fo, &flow_attr, pattern_vxlan, drop,
		&error));
	assert_int_equal(rte_errno, ENOTSUP);
	assert_non_null(error.message);
	assert_string_equal(error.message, "item not supported");
	assert_int_equal(flows_on(SYN_NAME), 0);
	assert_int_equal(flows_on(VF_NAME), 0);
	fo_close(fo);
}

/* A rule the VF refuses does not stay on the synthetic port. */
static void
test_flow_rule_refused_by_vf_undone(void **state)
{
	struct rte_flow_error error;
	struct testvf_config syn;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_NAME ",synthetic=" SYN_NAME ",vf=[" VF_NAME
		",flow_rules=1],vf_settle_ms=0,probe_interval_ms=100000");
	(void)flow_create(fo, pattern_ipv4, to_queue_1);

	memset(&error, 0, sizeof(error));
	assert_null(rte_flow_create(fo, &flow_attr, pattern_ipv6, drop,
		&error));
	assert_int_equal(rte_errno, ENOSPC);
	assert_non_null(error.message);
	assert_string_equal(error.message, "rule table full");
	syn = config_of(SYN_NAME);
	/* Created on the synthetic port, then destroyed there. */
	assert_int_equal(syn.flow_created, 2);
	assert_int_equal(syn.nb_flows, 1);
	assert_int_equal(flows_on(VF_NAME), 1);
	flow_flush(fo);
	assert_int_equal(flows_on(SYN_NAME), 0);
	assert_int_equal(flows_on(VF_NAME), 0);
	fo_close(fo);
}

/*
 * A VF without rte_flow taking part: the port has no rte_flow either
 * (the VF's error), and neither isolated mode nor any rule stays on the
 * synthetic port.
 */
static void
test_flow_with_vf_without_flow_api(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_flow_error error;
	struct testvf_config syn;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=" SYN_NAME ",vf=[" VF_NAME
		",flow=0],vf_settle_ms=0,probe_interval_ms=100000");
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_flow_isolate(fo, 1, &error), -ENOSYS);
	syn = config_of(SYN_NAME);
	assert_false(syn.flow_isolated);

	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(rte_flow_validate(fo, &flow_attr, pattern_ipv4,
		to_queue_1, &error), -ENOSYS);
	memset(&error, 0, sizeof(error));
	assert_null(rte_flow_create(fo, &flow_attr, pattern_ipv4, to_queue_1,
		&error));
	assert_int_equal(rte_errno, ENOSYS);
	assert_non_null(error.message);
	syn = config_of(SYN_NAME);
	assert_int_equal(syn.flow_created, 1);
	assert_int_equal(syn.nb_flows, 0);
	fo_close(fo);
}

/*
 * A new VF gets the port's rules, those destroyed excepted, in the order
 * they were created, before Tx moves to it.
 */
static void
test_replay_flow_rules(void **state)
{
	struct testvf_config vf;
	struct rte_flow *flow;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	flow = flow_create(fo, pattern_ipv4, to_queue_1);
	(void)flow_create(fo, pattern_ipv6, drop);
	flow_destroy(fo, flow);
	(void)flow_create(fo, pattern_ipv4, to_queue_1);

	vf = vf_churn(fo, VF_NAME);
	assert_int_equal(vf.nb_flows, 2);
	assert_int_equal(vf.flow_created, 2);
	assert_int_equal(vf.flow_action[0], RTE_FLOW_ACTION_TYPE_DROP);
	assert_int_equal(vf.flow_action[1], RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(flows_on(SYN_NAME), 2);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* Rules replayed on a new VF are destroyed there with the port's. */
static void
test_flow_destroy_after_replay(void **state)
{
	struct rte_flow *flow;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	flow = flow_create(fo, pattern_ipv4, to_queue_1);
	(void)flow_create(fo, pattern_ipv6, drop);
	(void)vf_churn(fo, VF_NAME);
	assert_int_equal(flows_on(VF_NAME), 2);

	flow_destroy(fo, flow);
	assert_int_equal(flows_on(VF_NAME), 1);
	assert_int_equal(flows_on(SYN_NAME), 1);
	flow_flush(fo);
	assert_int_equal(flows_on(VF_NAME), 0);
	assert_int_equal(flows_on(SYN_NAME), 0);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* Isolated mode set before configure reaches both paths and a new VF. */
static void
test_replay_flow_isolated_mode(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_flow_error error;
	struct testvf_config vf;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(rte_flow_isolate(fo, 1, &error), 0);
	assert_true(config_of(SYN_NAME).flow_isolated);
	assert_true(config_of(VF_NAME).flow_isolated);
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	(void)flow_create(fo, pattern_ipv4, to_queue_1);

	vf = vf_churn(fo, VF_NAME);
	assert_true(vf.flow_isolated);
	assert_int_equal(vf.nb_flows, 1);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * A VF that cannot take a rule is refused, the reason naming the rule,
 * and keeps none of the rules it took; destroying that rule lets it in.
 */
static void
test_refused_flow_rule_until_destroyed(void **state)
{
	struct rte_flow *flow;
	struct testvf_config vf;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	(void)flow_create(fo, pattern_ipv4, to_queue_1);
	flow = flow_create(fo, pattern_ipv6, drop);

	vf_remove(fo, VF_NAME);
	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME ",flow_rules=1");
	assert_refused(fo, refused,
		"refused: flow rule 2 (ETH/IPV6 -> DROP): rule table full");
	fo_test_log_release();
	/*
	 * Two attempts, the VF's arrival and the switch assert_refused()
	 * asks for: each created rule 1, failed rule 2, dropped rule 1.
	 */
	vf = config_of(VF_NAME);
	assert_int_equal(vf.flow_created, 2);
	assert_int_equal(vf.nb_flows, 0);

	flow_destroy(fo, flow);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	vf = config_of(VF_NAME);
	assert_int_equal(vf.nb_flows, 1);
	assert_int_equal(vf.flow_action[vf.flow_created - 1],
		RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(flows_on(SYN_NAME), 1);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/*
 * A VF without rte_flow is refused while the port has rules; the port
 * takes rules meanwhile (the VF takes no part), and a flush lets it in.
 */
static void
test_refused_vf_without_flow_api_until_flushed(void **state)
{
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_ARGS);
	(void)flow_create(fo, pattern_ipv4, to_queue_1);

	vf_remove(fo, VF_NAME);
	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME ",flow=0");
	assert_refused(fo, refused,
		"refused: flow rule 1 (ETH/IPV4 -> QUEUE): Function not implemented");
	fo_test_log_release();
	(void)flow_create(fo, pattern_ipv6, drop);
	assert_int_equal(flows_on(SYN_NAME), 2);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);

	flow_flush(fo);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	assert_int_equal(flows_on(SYN_NAME), 0);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* An isolated port refuses a VF without rte_flow until isolation is off. */
static void
test_refused_isolated_mode_until_off(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_flow_error error;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(rte_flow_isolate(fo, 1, &error), 0);
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));

	vf_remove(fo, VF_NAME);
	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME ",flow=0");
	assert_refused(fo, refused,
		"refused: flow isolated mode: Function not implemented");
	fo_test_log_release();

	/* The test VF, as many PMDs, changes isolation only when stopped. */
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_flow_isolate(fo, 0, &error), 0);
	assert_false(config_of(SYN_NAME).flow_isolated);
	assert_true(wait_state(fo, "VF_STANDBY"));
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* Sub-ports given back to the application at close keep none of our rules. */
static void
test_flow_rules_flushed_on_close(void **state)
{
	uint16_t syn, vf, fo;

	(void)state;
	assert_int_equal(fo_test_probe(SYN_NAME, &syn), 0);
	assert_int_equal(fo_test_probe(VF_NAME, &vf), 0);
	fo = flow_port_start(FO_ARGS);
	(void)flow_create(fo, pattern_ipv4, to_queue_1);
	(void)flow_create(fo, pattern_ipv6, drop);
	assert_int_equal(flows_on(SYN_NAME), 2);
	assert_int_equal(flows_on(VF_NAME), 2);

	fo_close(fo);
	assert_int_equal(fo_test_port_of(SYN_NAME), syn);
	assert_int_equal(fo_test_port_of(VF_NAME), vf);
	assert_int_equal(flows_on(SYN_NAME), 0);
	assert_int_equal(flows_on(VF_NAME), 0);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
	assert_int_equal(fo_test_remove(SYN_NAME), 0);
}

/*
 * Sub-ports without rte_flow: the failover port says so with their error,
 * and nothing is recorded, so a new VF without rte_flow has no rule to be
 * refused for.
 */
static void
test_flow_without_sub_port_support(void **state)
{
	struct rte_flow_error error;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = flow_port_start(FO_NAME ",synthetic=[" SYN_NAME ",flow=0],vf=["
		VF_NAME ",flow=0],vf_settle_ms=0,probe_interval_ms=100000");
	memset(&error, 0, sizeof(error));
	assert_int_equal(rte_flow_validate(fo, &flow_attr, pattern_ipv4,
		to_queue_1, &error), -ENOSYS);
	assert_non_null(error.message);
	memset(&error, 0, sizeof(error));
	assert_null(rte_flow_create(fo, &flow_attr, pattern_ipv4, to_queue_1,
		&error));
	assert_int_equal(rte_errno, ENOSYS);
	assert_non_null(error.message);
	assert_int_equal(rte_flow_isolate(fo, 1, &error), -ENOSYS);
	assert_int_equal(rte_flow_flush(fo, &error), 0);

	refused = refusals(fo);
	(void)vf_churn(fo, VF_NAME ",flow=0");
	assert_int_equal(refusals(fo), refused);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}

/* ----------------------------------------------------------------------
 * Capabilities
 * ---------------------------------------------------------------------- */

/*
 * dev_info is what both paths can do; Tx prepare goes to the path in use:
 * the VF's prepare passes 3 of 4 packets (tx_prepare=3), the synthetic
 * port has none and passes all.
 */
static void
test_capabilities_of_both_paths(void **state)
{
	struct rte_mbuf *pkts[4];
	struct rte_eth_dev_info info;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=" SYN_NAME ",vf=[" VF_NAME
		",max_mtu=4000,max_queues=4,rx_offloads=0x6,tx_prepare=3],"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.max_mtu, 4000);
	assert_int_equal(info.max_rx_queues, 4);
	assert_int_equal(info.rx_offload_capa, RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
	assert_int_equal(info.max_mac_addrs, TESTVF_MAX_MAC_ADDRS);
	/* Neither reports packet types: the port reports none. */
	assert_int_equal(rte_eth_dev_get_supported_ptypes(fo,
		RTE_PTYPE_ALL_MASK, NULL, 0), 0);

	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	/* Installed, like the bursts, for a VF that may bring one. */
	assert_non_null(rte_eth_fp_ops[fo].tx_pkt_prepare);
	assert_int_equal(fo_test_make_pkts(pkts, RTE_DIM(pkts), 0, 1), 0);
	assert_int_equal(rte_eth_tx_prepare(fo, 0, pkts, RTE_DIM(pkts)), 3);
	rte_pktmbuf_free_bulk(pkts, RTE_DIM(pkts));

	vf_remove(fo, VF_NAME);
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.max_mtu, 9000);
	assert_int_equal(info.max_rx_queues, 8);
	assert_int_equal(fo_test_make_pkts(pkts, RTE_DIM(pkts), 0, 1), 0);
	assert_int_equal(rte_eth_tx_prepare(fo, 0, pkts, RTE_DIM(pkts)),
		RTE_DIM(pkts));
	rte_pktmbuf_free_bulk(pkts, RTE_DIM(pkts));
	fo_close(fo);
}

/*
 * "port reset": both sub-ports are reset (the test VF's reset leaves it
 * unconfigured, as ixgbevf/iavf do) and brought back to the configuration
 * in force, which the reset keeps: queues and MTU on both, and the port
 * starts again on the VF without being configured anew.
 */
static void
test_reset_keeps_configuration(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct testvf_config syn, vf;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_NAME ",synthetic=" SYN_NAME ",vf=" VF_NAME
		",vf_settle_ms=0,probe_interval_ms=100000");
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_set_mtu(fo, 3000), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));

	assert_int_equal(rte_eth_dev_reset(fo), 0);
	assert_int_equal(testvf_get_config(fo_test_port_of(SYN_NAME), &syn), 0);
	assert_int_equal(testvf_get_config(fo_test_port_of(VF_NAME), &vf), 0);
	assert_int_equal(syn.ops.dev_reset, 1);
	assert_int_equal(vf.ops.dev_reset, 1);
	assert_true(syn.configured);
	assert_true(vf.configured);
	assert_int_equal(syn.nb_rx_queues, 2);
	assert_int_equal(vf.nb_rx_queues, 2);
	assert_int_equal(syn.mtu, 3000);
	assert_int_equal(vf.mtu, 3000);

	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	fo_close(fo);
}

/* Whatever a failed test left behind goes, so the next starts clean. */
static int
cleanup(void **state)
{
	static const char *const names[] = {
		FO_NAME, SYN_NAME, VF_NAME, "net_ring0", "net_null0",
	};

	(void)state;
	fo_test_log_release();
	fo_test_remove_all(names, RTE_DIM(names));
	return 0;
}

/*
 * A VF refused while the port was isolated (a rule it could not take) is
 * let in once the application turns isolation off and destroys the rule:
 * it must not stay isolated, or it would receive only what rules match.
 */
static void
test_refused_vf_not_left_isolated(void **state)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_flow_error error;
	struct rte_flow *flow;
	uint64_t refused;
	uint16_t fo;

	(void)state;
	fo = fo_probe(FO_ARGS);
	assert_int_equal(rte_flow_isolate(fo, 1, &error), 0);
	fo_configure(fo, 2, &conf);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, WAIT_MS));
	flow = flow_create(fo, pattern_ipv4, to_queue_1);
	vf_remove(fo, VF_NAME);
	refused = refusals(fo);
	fo_test_log_capture();
	vf_add(VF_NAME ",flow_rules=0");
	assert_refused(fo, refused, "flow rule 1");
	fo_test_log_release();
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_flow_isolate(fo, 0, &error), 0);
	flow_destroy(fo, flow);
	assert_true(wait_state(fo, "VF_STANDBY"));
	/* Taken again: no longer isolated, as the port is not. */
	assert_false(config_of(SYN_NAME).flow_isolated);
	assert_false(config_of(VF_NAME).flow_isolated);
	fo_close(fo);
	assert_int_equal(fo_test_remove(VF_NAME), 0);
}


int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_replay_queues_offloads_mtu, cleanup),
		cmocka_unit_test_teardown(test_replay_addresses, cleanup),
		cmocka_unit_test_teardown(test_replay_vlan, cleanup),
		cmocka_unit_test_teardown(test_replay_rss, cleanup),
		cmocka_unit_test_teardown(test_replay_link_down, cleanup),
		cmocka_unit_test_teardown(test_cosmetic_settings_with_null_vf, cleanup),
		cmocka_unit_test_teardown(test_refused_mtu_until_lowered, cleanup),
		cmocka_unit_test_teardown(test_refused_queues_until_reconfigured, cleanup),
		cmocka_unit_test_teardown(test_refused_rx_offload_until_reconfigured, cleanup),
		cmocka_unit_test_teardown(test_refused_rss_only_when_spreading, cleanup),
		cmocka_unit_test_teardown(test_refused_reta_larger_than_vf, cleanup),
		cmocka_unit_test_teardown(test_ring_vf, cleanup),
		cmocka_unit_test_teardown(test_flow_rules_on_both_sub_ports, cleanup),
		cmocka_unit_test_teardown(test_flow_error_of_sub_port_as_is, cleanup),
		cmocka_unit_test_teardown(test_flow_rule_refused_by_vf_undone, cleanup),
		cmocka_unit_test_teardown(test_flow_with_vf_without_flow_api, cleanup),
		cmocka_unit_test_teardown(test_replay_flow_rules, cleanup),
		cmocka_unit_test_teardown(test_flow_destroy_after_replay, cleanup),
		cmocka_unit_test_teardown(test_replay_flow_isolated_mode, cleanup),
		cmocka_unit_test_teardown(test_refused_flow_rule_until_destroyed, cleanup),
		cmocka_unit_test_teardown(test_refused_vf_without_flow_api_until_flushed, cleanup),
		cmocka_unit_test_teardown(test_refused_isolated_mode_until_off, cleanup),
		cmocka_unit_test_teardown(test_refused_vf_not_left_isolated, cleanup),
		cmocka_unit_test_teardown(test_flow_rules_flushed_on_close, cleanup),
		cmocka_unit_test_teardown(test_flow_without_sub_port_support, cleanup),
		cmocka_unit_test_teardown(test_capabilities_of_both_paths, cleanup),
		cmocka_unit_test_teardown(test_reset_keeps_configuration, cleanup),
	};

	(void)argc;
	return fo_test_main(argv[0], "replay", tests, RTE_DIM(tests));
}
