/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * What "show port stats|xstats|info" and "show config" print (cmds.c
 * parses them). Any valid port may be shown, the failover port's hidden
 * sub-ports too.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "rte_pmd_failover.h"

#include "fo_testpmd.h"

/* For the rates of "show port stats": the last reading per port. */
static struct {
	uint64_t t_ns, rx, tx;
} stats_prev[RTE_MAX_ETHPORTS];

void
show_port_stats(uint16_t pid)
{
	struct rte_eth_stats s;
	struct fwd_counters c;
	uint64_t now = app_now_ns(), rx_pps = 0, tx_pps = 0;
	double dt;
	int ret;

	ret = rte_eth_stats_get(pid, &s);
	if (ret < 0) {
		printf("error: port %u: stats: %s\n", pid, rte_strerror(-ret));
		return;
	}
	if (stats_prev[pid].t_ns != 0 && now > stats_prev[pid].t_ns) {
		dt = (double)(now - stats_prev[pid].t_ns) / FO_NS_PER_S;
		if (s.ipackets >= stats_prev[pid].rx)
			rx_pps = (uint64_t)((s.ipackets - stats_prev[pid].rx) /
				dt);
		if (s.opackets >= stats_prev[pid].tx)
			tx_pps = (uint64_t)((s.opackets - stats_prev[pid].tx) /
				dt);
	}
	stats_prev[pid].t_ns = now;
	stats_prev[pid].rx = s.ipackets;
	stats_prev[pid].tx = s.opackets;

	printf("  ######## NIC statistics for port %u ########\n", pid);
	printf("  RX-packets: %-12" PRIu64 " RX-missed: %-10" PRIu64
		" RX-bytes: %" PRIu64 "\n", s.ipackets, s.imissed, s.ibytes);
	printf("  RX-errors:  %-12" PRIu64 " RX-nombuf: %" PRIu64 "\n",
		s.ierrors, s.rx_nombuf);
	printf("  TX-packets: %-12" PRIu64 " TX-errors: %-10" PRIu64
		" TX-bytes: %" PRIu64 "\n", s.opackets, s.oerrors, s.obytes);
	printf("  Rx-pps: %-12" PRIu64 " Tx-pps: %" PRIu64
		" (since the last show)\n", rx_pps, tx_pps);
	if (port_find(pid) != NULL) {
		fwd_port_counters(pid, &c, false);
		printf("  forwarding: rx %" PRIu64 " tx %" PRIu64 " dropped %"
			PRIu64 "; seq-check: unique %" PRIu64 " lost %" PRIu64
			" dup %" PRIu64 " reordered %" PRIu64 " foreign %"
			PRIu64 "\n", c.rx, c.tx, c.tx_drop, c.seq_unique,
			c.seq_lost, c.seq_dup, c.seq_reordered, c.foreign);
	}
	printf("  ############################################\n");
}

void
show_port_xstats(uint16_t pid)
{
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	int n, nn = 0, nv = 0, i, tries;

	/* Again if the list grows between the calls (a VF came). */
	for (tries = 0; tries < 3; tries++) {
		n = rte_eth_xstats_get_names(pid, NULL, 0);
		if (n < 0) {
			printf("error: port %u: xstats: %s\n", pid,
				rte_strerror(-n));
			return;
		}
		free(names);
		free(vals);
		names = calloc((size_t)n + 1, sizeof(*names));
		vals = calloc((size_t)n + 1, sizeof(*vals));
		if (names == NULL || vals == NULL) {
			printf("error: port %u: xstats: out of memory\n", pid);
			goto out;
		}
		nn = rte_eth_xstats_get_names(pid, names, (unsigned int)n);
		nv = rte_eth_xstats_get(pid, vals, (unsigned int)n);
		if (nn >= 0 && nn <= n && nv >= 0 && nv <= n)
			break;
	}
	if (tries == 3 || nn < 0 || nv < 0) {
		printf("error: port %u: xstats keep changing\n", pid);
		goto out;
	}
	printf("  ###### NIC extended statistics for port %u ######\n", pid);
	for (i = 0; i < nv; i++)
		if (vals[i].id < (uint64_t)nn)
			printf("  %s: %" PRIu64 "\n", names[vals[i].id].name,
				vals[i].value);
	printf("  ################################################\n");
out:
	free(names);
	free(vals);
}

void
show_port_info(uint16_t pid)
{
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	struct rte_ether_addr addr;
	char name[RTE_ETH_NAME_MAX_LEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	char lnk[RTE_ETH_LINK_MAX_STR_LEN] = "unknown";
	struct app_port *p = port_find(pid);
	uint16_t mtu = 0;
	int ret;

	ret = rte_eth_dev_info_get(pid, &info);
	if (ret < 0) {
		printf("error: port %u: info: %s\n", pid, rte_strerror(-ret));
		return;
	}
	if (rte_eth_macaddr_get(pid, &addr) == 0)
		rte_ether_format_addr(mac, sizeof(mac), &addr);
	else
		snprintf(mac, sizeof(mac), "?");
	if (rte_eth_link_get_nowait(pid, &link) == 0)
		rte_eth_link_to_str(lnk, sizeof(lnk), &link);
	rte_eth_dev_get_mtu(pid, &mtu);
	printf("  ******** Infos for port %u ********\n", pid);
	printf("  Name: %s\n", port_name(pid, name, sizeof(name)));
	printf("  Driver name: %s\n", info.driver_name);
	printf("  Device: %s\n", info.device != NULL ?
		rte_dev_name(info.device) : "?");
	printf("  MAC address: %s\n", mac);
	printf("  Link: %s\n", lnk);
	printf("  MTU: %u\n", mtu);
	printf("  Socket: %d\n", rte_eth_dev_socket_id(pid));
	printf("  Promiscuous: %s\n",
		rte_eth_promiscuous_get(pid) == 1 ? "on" : "off");
	printf("  Queues: max %u Rx / %u Tx", info.max_rx_queues,
		info.max_tx_queues);
	if (p != NULL)
		printf(", configured %u Rx / %u Tx, %s", p->nb_rxq, p->nb_txq,
			p->started ? "started" : "stopped");
	else
		printf(", not a forwarding port");
	printf("\n");
	if (p != NULL && p->is_failover)
		printf("  Failover: Tx path %s (show failover %u for more)\n",
			fo_path_name(rte_pmd_failover_active_path(pid)), pid);
}

void
show_config(void)
{
	/* Relaxed, as every reader of txrate: a plain value, nothing
	 * published through it. */
	uint32_t rate = __atomic_load_n(&app.txrate, __ATOMIC_RELAXED);
	unsigned int i;

	printf("  forwarding mode: %s (%s)\n", app.engine->name,
		fwd_running() ? "running" : "stopped");
	printf("  forwarding lcores:");
	for (i = 0; i < app.nb_fwd_lcores; i++)
		printf(" %u", app.fwd_lcores[i]);
	printf("\n  queues per port: %u Rx, %u Tx\n", app.nb_rxq, app.nb_txq);
	printf("  txrate: %u pps per port%s\n", rate,
		rate == 0 ? " (no limit)" : "");
	printf("  ports:");
	for (i = 0; i < FO_MAX_PORTS; i++)
		if (app.ports[i].used)
			printf(" %u%s", app.ports[i].port_id,
				app.ports[i].is_failover ? " (failover)" : "");
	printf("\n");
}

