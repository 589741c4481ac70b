/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Probe, ownership, removal and probe failures of net_failover, through
 * real DPDK: EAL without hugepages, net_null and net_ring sub-ports.
 */

#include <string.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include "fo_test.h"
#include "rte_pmd_failover.h"

static bool
port_exists(const char *name)
{
	uint16_t p;

	return rte_eth_dev_get_port_by_name(name, &p) == 0;
}

static void
test_subports_owned_and_invisible(void **state)
{
	struct rte_eth_dev_owner owner;
	uint16_t fo, syn, vf;

	(void)state;
	assert_int_equal(fo_test_visible_ports(), 0);
	assert_int_equal(fo_test_probe(
		"net_failover0,synthetic=net_null0,vf=net_null1", &fo), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &syn), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null1", &vf), 0);

	/* Only the failover port is visible to the application. */
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(rte_eth_dev_count_avail(), 1);
	assert_int_equal(rte_eth_dev_count_total(), 3);
	assert_int_equal(rte_eth_dev_owner_get(syn, &owner), 0);
	assert_string_equal(owner.name, "net_failover0");
	assert_int_equal(rte_eth_dev_owner_get(vf, &owner), 0);
	assert_string_equal(owner.name, "net_failover0");

	struct rte_eth_dev_info info;
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_string_equal(info.driver_name, "net_failover");

	/* Removing it removes the sub-devices it probed. */
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_false(port_exists("net_failover0"));
	assert_false(port_exists("net_null0"));
	assert_false(port_exists("net_null1"));
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

static void
test_mac_from_devargs_and_synthetic(void **state)
{
	struct rte_ether_addr mac, syn_mac;
	uint16_t fo, syn;

	(void)state;
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_null0,"
		"mac=02:11:22:33:44:55", &fo), 0);
	assert_int_equal(rte_eth_macaddr_get(fo, &mac), 0);
	assert_int_equal(mac.addr_bytes[0], 0x02);
	assert_int_equal(mac.addr_bytes[5], 0x55);
	assert_int_equal(fo_test_remove("net_failover0"), 0);

	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_null0",
		&fo), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &syn), 0);
	assert_int_equal(rte_eth_macaddr_get(fo, &mac), 0);
	assert_int_equal(rte_eth_macaddr_get(syn, &syn_mac), 0);
	assert_true(rte_is_same_ether_addr(&mac, &syn_mac));
	assert_int_equal(fo_test_remove("net_failover0"), 0);
}

static void
test_adopted_port_given_back(void **state)
{
	struct rte_eth_dev_owner owner;
	uint16_t fo, null9;

	(void)state;
	/* A port the application probed itself is adopted as it is... */
	assert_int_equal(fo_test_probe("net_null9", &null9), 0);
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_null9",
		&fo), 0);
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	assert_int_equal(rte_eth_dev_stop(fo), 0);

	/* ...and left, stopped and without owner, when the port goes. */
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_true(port_exists("net_null9"));
	assert_int_equal(rte_eth_dev_owner_get(null9, &owner), 0);
	assert_int_equal(owner.id, RTE_ETH_DEV_NO_OWNER);
	assert_int_equal(fo_test_visible_ports(), 1);
	/* net_null reports link up only while started. */
	struct rte_eth_link link;
	assert_int_equal(rte_eth_link_get_nowait(null9, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	assert_int_equal(fo_test_remove("net_null9"), 0);
}

static void
test_remove_then_probe_same_name(void **state)
{
	uint16_t fo;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(fo_test_probe(
			"net_failover3,synthetic=net_null3,vf=net_null4", &fo), 0);
		assert_int_equal(fo_test_port_start(fo, 2), 0);
		/* Removal of a started port stops it first. */
		assert_int_equal(fo_test_remove("net_failover3"), 0);
		assert_false(port_exists("net_failover3"));
		assert_int_equal(rte_eth_dev_count_total(), 0);
	}
}

struct bad_probe {
	const char *devargs;
	const char *log;	/* what the error log must say */
};

static const struct bad_probe bad_probes[] = {
	{ "net_failover1,synthetic=net_null7,foo=1", "unknown key 'foo'" },
	{ "net_failover1,vf=net_null8", "synthetic" },
	{ "net_failover1,synthetic=", "synthetic" },
	{ "net_failover1,synthetic=[net_null7,size=64", "net_null7" },
	{ "net_failover1,synthetic=net_null7,mac=zz:00:00:00:00:01",
	  "zz:00:00:00:00:01" },
	{ "net_failover1,synthetic=net_null7,vf=net_null7", "net_null7" },
	/* An unknown driver for either sub-device. */
	{ "net_failover1,synthetic=net_bogus0", "net_bogus0" },
	{ "net_failover1,synthetic=net_null7,vf=net_bogus1", "net_bogus1" },
	/* A PCI address with no device behind it. */
	{ "net_failover1,synthetic=net_null7,vf=0000:ff:1f.7", "0000:ff:1f.7" },
	/* A sub-device that rejects its own arguments. */
	{ "net_failover1,synthetic=[net_null7,bogus=1]", "net_null7" },
};

static void
test_bad_probes_fail_cleanly(void **state)
{
	unsigned int i;
	uint16_t fo;
	int ret;

	(void)state;
	for (i = 0; i < RTE_DIM(bad_probes); i++) {
		fo_test_log_capture();
		ret = fo_test_probe(bad_probes[i].devargs, &fo);
		bool logged = fo_test_log_has(bad_probes[i].log);
		fo_test_log_release();
		print_message("bad devargs '%s': %d\n", bad_probes[i].devargs,
			ret);
		assert_true(ret < 0);
		assert_true(logged);
		/* Nothing left behind: no failover port, no sub-port. */
		assert_false(port_exists("net_failover1"));
		assert_false(port_exists("net_null7"));
		assert_int_equal(rte_eth_dev_count_total(), 0);
	}
}

static void
test_subport_owned_by_another_is_refused(void **state)
{
	struct rte_eth_dev_owner other = { .name = "someone_else" };
	uint16_t p, fo;

	(void)state;
	assert_int_equal(fo_test_probe("net_null5", &p), 0);
	assert_int_equal(rte_eth_dev_owner_new(&other.id), 0);
	assert_int_equal(rte_eth_dev_owner_set(p, &other), 0);
	fo_test_log_capture();
	assert_true(fo_test_probe("net_failover1,synthetic=net_null5", &fo) < 0);
	bool logged = fo_test_log_has("already owned by 'someone_else'");
	fo_test_log_release();
	assert_true(logged);
	assert_false(port_exists("net_failover1"));
	assert_true(port_exists("net_null5"));
	assert_int_equal(rte_eth_dev_owner_delete(other.id), 0);
	assert_int_equal(fo_test_remove("net_null5"), 0);
}

static void
test_api_rejects_other_ports(void **state)
{
	uint16_t p;

	(void)state;
	assert_int_equal(fo_test_probe("net_null5", &p), 0);
	assert_int_equal(rte_pmd_failover_active_path(p), -EINVAL);
	assert_int_equal(rte_pmd_failover_switch(p,
		RTE_PMD_FAILOVER_PATH_VF), -EINVAL);
	assert_int_equal(rte_pmd_failover_vf_detach(p), -EINVAL);
	assert_int_equal(rte_pmd_failover_active_path(RTE_MAX_ETHPORTS - 1),
		-ENODEV);
	assert_int_equal(fo_test_remove("net_null5"), 0);
}

/* Devices this process has, on the vdev bus: nothing may be left behind. */
static unsigned int
vdev_count(void)
{
	struct rte_dev_iterator it;
	struct rte_device *dev;
	unsigned int n = 0;

	if (rte_dev_iterator_init(&it, "bus=vdev") != 0)
		return 0;
	for (dev = rte_dev_iterator_next(&it); dev != NULL;
	     dev = rte_dev_iterator_next(&it))
		n++;
	return n;
}

struct refusal {
	const char *devargs;
	const char *log;	/* the key and the device, as logged */
};

/*
 * Adoption rules, through hot-plug (rte_dev_probe): the application has
 * two started ports and a failover port of its own; none may become a
 * sub-port, nor the new failover port itself, and each refusal leaves no
 * port and no device behind, and the application's ports as they were.
 */
static const struct refusal refusals[] = {
	/* Started: the application forwards on them. */
	{ "net_failover1,synthetic=net_null5", "synthetic=net_null5: port" },
	{ "net_failover1,synthetic=net_null7,vf=net_null6",
	  "vf=net_null6: port" },
	/* Another failover port: no nesting. */
	{ "net_failover1,synthetic=net_null7,vf=net_failover0",
	  "vf=net_failover0: device 'net_failover0' is a failover port" },
	{ "net_failover1,synthetic=net_failover0",
	  "synthetic=net_failover0: device 'net_failover0' is a failover "
	  "port" },
	/* One that does not exist yet: its probe would re-enter ours. */
	{ "net_failover1,synthetic=net_null7,vf=net_failover9",
	  "vf=net_failover9: device 'net_failover9' is a failover port" },
	{ "net_failover1,synthetic=[net_failover9,synthetic=net_null8]",
	  "synthetic=net_failover9: device 'net_failover9' is a failover port" },
	/* The failover port itself, plain and bracketed. */
	{ "net_failover1,synthetic=net_failover1",
	  "synthetic=net_failover1: device 'net_failover1' is this failover "
	  "port itself" },
	{ "net_failover1,synthetic=[net_failover1]",
	  "synthetic=net_failover1: device 'net_failover1' is this failover "
	  "port itself" },
	{ "net_failover1,synthetic=net_null7,vf=net_failover1",
	  "vf=net_failover1: device 'net_failover1' is this failover port "
	  "itself" },
	/* An unknown driver: said so, not "Bad address". */
	{ "net_failover1,synthetic=net_bogus0",
	  "synthetic=net_bogus0: no driver for device 'net_bogus0'" },
};

static void
test_adoption_refusals_leave_nothing(void **state)
{
	struct rte_eth_dev_owner owner;
	struct rte_mbuf *pkts[4];
	uint16_t a, b, fo, p;
	unsigned int i, ports, devs;
	int ret;

	(void)state;
	assert_int_equal(fo_test_probe("net_null5", &a), 0);
	assert_int_equal(fo_test_probe("net_null6", &b), 0);
	assert_int_equal(fo_test_port_start(a, 1), 0);
	assert_int_equal(fo_test_port_start(b, 1), 0);
	assert_int_equal(fo_test_probe(
		"net_failover0,synthetic=net_null3,vf=net_null4", &fo), 0);
	ports = rte_eth_dev_count_total();
	devs = vdev_count();

	for (i = 0; i < RTE_DIM(refusals); i++) {
		fo_test_log_capture();
		ret = fo_test_probe(refusals[i].devargs, &p);
		bool logged = fo_test_log_has(refusals[i].log);
		fo_test_log_release();
		print_message("refused '%s': %d\n", refusals[i].devargs, ret);
		assert_true(ret < 0);
		assert_true(logged);
		assert_false(port_exists("net_failover1"));
		assert_false(port_exists("net_failover9"));
		assert_false(port_exists("net_null7"));
		assert_false(port_exists("net_null8"));
		assert_int_equal(rte_eth_dev_count_total(), ports);
		assert_int_equal(vdev_count(), devs);
		/* The application's ports: still theirs, still started, and
		 * still sending. */
		assert_int_equal(rte_eth_dev_owner_get(a, &owner), 0);
		assert_int_equal(owner.id, RTE_ETH_DEV_NO_OWNER);
		assert_int_equal(rte_eth_dev_owner_get(b, &owner), 0);
		assert_int_equal(owner.id, RTE_ETH_DEV_NO_OWNER);
		assert_int_equal(fo_test_make_pkts(pkts, RTE_DIM(pkts), i, 0),
			0);
		assert_int_equal(rte_eth_tx_burst(a, 0, pkts, RTE_DIM(pkts)),
			RTE_DIM(pkts));
		assert_int_equal(rte_eth_dev_owner_get(fo, &owner), 0);
		assert_int_equal(owner.id, RTE_ETH_DEV_NO_OWNER);
	}
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(rte_eth_dev_stop(a), 0);
	assert_int_equal(rte_eth_dev_stop(b), 0);
	assert_int_equal(fo_test_remove("net_null5"), 0);
	assert_int_equal(fo_test_remove("net_null6"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

/* A stopped port nobody owns is adopted as before (the rules' other side). */
static void
test_stopped_port_adopted(void **state)
{
	uint16_t a, fo;

	(void)state;
	assert_int_equal(fo_test_probe("net_null5", &a), 0);
	assert_int_equal(fo_test_port_start(a, 1), 0);
	assert_int_equal(rte_eth_dev_stop(a), 0);
	assert_int_equal(fo_test_probe("net_failover1,synthetic=net_null5",
		&fo), 0);
	assert_int_equal(fo_test_remove("net_failover1"), 0);
	assert_int_equal(fo_test_remove("net_null5"), 0);
}

/* "port reset": both sub-ports reset, the configuration kept. */
static void
test_reset_keeps_configuration(void **state)
{
	struct rte_eth_dev_info info;
	uint8_t key[64];
	struct rte_eth_rss_conf rss = { .rss_key = key };
	uint16_t fo;

	(void)state;
	assert_int_equal(fo_test_probe(
		"net_failover0,synthetic=net_null3,vf=net_null4", &fo), 0);
	assert_int_equal(fo_test_port_start(fo, 2), 0);
	assert_int_equal(rte_eth_dev_reset(fo), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_int_equal(rte_eth_dev_info_get(fo, &info), 0);
	assert_int_equal(info.nb_rx_queues, 2);
	/* net_null hashes with a 40-byte key but states no size: the port
	 * states the size its sub-ports take. */
	assert_true(info.flow_type_rss_offloads != 0);
	assert_int_equal(info.hash_key_size, 40);
	rss.rss_key_len = info.hash_key_size;
	assert_int_equal(rte_eth_dev_rss_hash_conf_get(fo, &rss), 0);
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subports_owned_and_invisible),
		cmocka_unit_test(test_mac_from_devargs_and_synthetic),
		cmocka_unit_test(test_adopted_port_given_back),
		cmocka_unit_test(test_remove_then_probe_same_name),
		cmocka_unit_test(test_bad_probes_fail_cleanly),
		cmocka_unit_test(test_subport_owned_by_another_is_refused),
		cmocka_unit_test(test_api_rejects_other_ports),
		cmocka_unit_test(test_adoption_refusals_leave_nothing),
		cmocka_unit_test(test_stopped_port_adopted),
		cmocka_unit_test(test_reset_keeps_configuration),
	};

	(void)argc;
	return fo_test_main(argv[0], "probe", tests, RTE_DIM(tests));
}
