/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * What the application sees of a failover port: the path-change callback
 * (printed with its reason and hand-off latency, and remembered as the
 * last event), "show failover", and the per-path packet counts of the
 * status line. Uses rte_pmd_failover_info_get() when the PMD has it
 * (FO_HAVE_INFO_GET, found by meson), else what the older API tells: the
 * active path and the events this program saw.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include "rte_pmd_failover.h"

#include "fo_testpmd.h"

#define REASON_LEN	96

/* The last path change this program was told about, per port. */
struct last_event {
	uint64_t changes;
	enum rte_pmd_failover_path from, to;
	char reason[REASON_LEN];
	uint64_t latency_ns;
	uint64_t t_ns;
};

/* Written by callbacks on PMD threads, read by the main thread. */
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static struct last_event last[RTE_MAX_ETHPORTS];

const char *
fo_path_name(int path)
{
	if (path == RTE_PMD_FAILOVER_PATH_VF)
		return "VF";
	if (path == RTE_PMD_FAILOVER_PATH_SYNTHETIC)
		return "synthetic";
	return "?";
}

/*
 * Runs on whichever thread changed the path (the PMD's control thread,
 * the interrupt thread, ours inside a failover call): it must not block
 * nor call into the port, so it only records and queues a line.
 */
static void
on_path_change(uint16_t port_id, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	const char *reason = ev->reason != NULL ? ev->reason : "?";
	struct last_event *l = &last[port_id];

	RTE_SET_USED(arg);
	pthread_mutex_lock(&last_lock);
	l->changes++;
	l->from = ev->from;
	l->to = ev->to;
	snprintf(l->reason, sizeof(l->reason), "%s", reason);
	l->latency_ns = ev->latency_ns;
	l->t_ns = app_now_ns();
	pthread_mutex_unlock(&last_lock);
	con_post("port %u: Tx path %s -> %s: %s (hand-off %.1f us)", port_id,
		fo_path_name(ev->from), fo_path_name(ev->to), reason,
		(double)ev->latency_ns / 1000.0);
}

void
fo_view_register(struct app_port *p)
{
	int ret;

	ret = rte_pmd_failover_path_callback_register(p->port_id,
		on_path_change, NULL);
	if (ret < 0)
		printf("warning: port %u: path callback: %s\n", p->port_id,
			rte_strerror(-ret));
	else
		p->path_cb = true;
}

void
fo_view_unregister(struct app_port *p)
{
	if (!p->path_cb)
		return;
	rte_pmd_failover_path_callback_unregister(p->port_id, on_path_change,
		NULL);
	p->path_cb = false;
}

static void
print_seen_events(uint16_t port_id)
{
	struct last_event l;
	uint64_t now = app_now_ns();

	pthread_mutex_lock(&last_lock);
	l = last[port_id];
	pthread_mutex_unlock(&last_lock);
	if (l.changes == 0) {
		printf("  path changes seen: none\n");
		return;
	}
	printf("  path changes seen: %" PRIu64 "; last %.3f s ago: %s -> %s: "
		"%s (hand-off %.1f us)\n", l.changes,
		(double)(now - l.t_ns) / FO_NS_PER_S, fo_path_name(l.from),
		fo_path_name(l.to), l.reason, (double)l.latency_ns / 1000.0);
}

#ifdef FO_HAVE_INFO_GET

static void
print_sub(const char *what, uint16_t port, const char *name)
{
	if (port == RTE_PMD_FAILOVER_NO_PORT)
		printf("  %-12s none\n", what);
	else
		printf("  %-12s port %u (%s)\n", what, port, name);
}

static void
print_info(uint16_t port_id)
{
	struct rte_pmd_failover_info in;
	const struct rte_pmd_failover_counters *c = &in.counters;
	uint64_t now = app_now_ns();
	int ret;

	ret = rte_pmd_failover_info_get(port_id, &in);
	if (ret < 0) {
		printf("error: port %u: failover info: %s\n", port_id,
			rte_strerror(-ret));
		return;
	}
	printf("  %-12s %s\n", "Tx path", fo_path_name(in.active_path));
	printf("  %-12s %s\n", "state", in.state != NULL ? in.state : "?");
	print_sub("synthetic", in.synthetic_port, in.synthetic_name);
	print_sub("VF", in.vf_port, in.vf_name);
	printf("  %-12s vf_settle_ms %u, probe_interval_ms %u\n", "devargs",
		in.vf_settle_ms, in.probe_interval_ms);
	if (in.last_event_ns != 0)
		printf("  %-12s %.3f s ago: %s\n", "last change",
			(double)(now - in.last_event_ns) / FO_NS_PER_S,
			in.last_reason);
	else
		printf("  %-12s none\n", "last change");
	printf("  switches %" PRIu64 " (to VF %" PRIu64 ", to synthetic %"
		PRIu64 "), last hand-off %" PRIu64 " ns, time on VF %" PRIu64
		" ms\n", c->switches, c->switch_to_vf, c->switch_to_synthetic,
		c->last_switch_latency_ns, c->time_on_vf_ms);
	printf("  VF attached %" PRIu64 ", released %" PRIu64 ", refused %"
		PRIu64 "; state transitions %" PRIu64 ", events coalesced %"
		PRIu64 "\n", c->vf_attach, c->vf_detach, c->vf_refused,
		c->transitions, c->events_coalesced);
	printf("  Rx: VF %" PRIu64 ", synthetic %" PRIu64 " (while on VF %"
		PRIu64 ")\n", c->rx_vf_packets, c->rx_synthetic_packets,
		c->rx_synthetic_while_vf);
	printf("  Tx: VF %" PRIu64 ", synthetic %" PRIu64 " (refused by a "
		"leaving VF, resent on synthetic %" PRIu64 ")\n",
		c->tx_vf_packets, c->tx_synthetic_packets,
		c->tx_vf_retry_synthetic);
}

void
fo_view_path_counts(uint16_t port_id, struct fo_path_counts *pc)
{
	struct rte_pmd_failover_info in;

	memset(pc, 0, sizeof(*pc));
	if (rte_pmd_failover_info_get(port_id, &in) != 0)
		return;
	pc->known = true;
	pc->syn_rx = in.counters.rx_synthetic_packets;
	pc->syn_tx = in.counters.tx_synthetic_packets;
	pc->vf_rx = in.counters.rx_vf_packets;
	pc->vf_tx = in.counters.tx_vf_packets;
}

int
fo_view_vf_name(uint16_t port_id, char *buf, size_t size)
{
	struct rte_pmd_failover_info in;
	int ret;

	ret = rte_pmd_failover_info_get(port_id, &in);
	if (ret < 0)
		return ret;
	if (in.vf_port == RTE_PMD_FAILOVER_NO_PORT)
		return 0;
	snprintf(buf, size, "%s", in.vf_name);
	return 1;
}

bool
fo_view_is_synthetic(uint16_t port_id, const char *name)
{
	struct rte_pmd_failover_info in;

	return rte_pmd_failover_info_get(port_id, &in) == 0 &&
		strcmp(in.synthetic_name, name) == 0;
}

#else /* !FO_HAVE_INFO_GET */

static void
print_info(uint16_t port_id)
{
	printf("  %-12s %s\n", "Tx path",
		fo_path_name(rte_pmd_failover_active_path(port_id)));
	printf("  (this net_failover has no rte_pmd_failover_info_get(): "
		"sub-ports, state and counters unknown)\n");
}

void
fo_view_path_counts(uint16_t port_id, struct fo_path_counts *pc)
{
	RTE_SET_USED(port_id);
	memset(pc, 0, sizeof(*pc));
}

int
fo_view_vf_name(uint16_t port_id, char *buf, size_t size)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(buf);
	RTE_SET_USED(size);
	return -ENOTSUP;
}

bool
fo_view_is_synthetic(uint16_t port_id, const char *name)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(name);
	return false;
}

#endif /* FO_HAVE_INFO_GET */

void
fo_view_show(uint16_t port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int path = rte_pmd_failover_active_path(port_id);

	if (path < 0) {
		printf("error: port %u is not a failover port: %s\n", port_id,
			rte_strerror(-path));
		return;
	}
	printf("Failover port %u (%s)\n", port_id,
		port_name(port_id, name, sizeof(name)));
	print_info(port_id);
	print_seen_events(port_id);
}
