/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The VF life cycle through real events: a failover port over two
 * net_testvf ports (tests/pmd), one playing the synthetic path and one the
 * VF, raising LSC and INTR_RMV from the EAL interrupt thread as real
 * drivers do, removed and probed again like a VF the host takes and gives
 * back. Traffic runs on a worker lcore while the events happen.
 */

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_pause.h>

#include "fo_fwd.h"
#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "testvf.h"

#define FO_DEVARGS "net_failover0,synthetic=net_testvf0,vf=net_testvf1," \
	"vf_settle_ms=20,probe_interval_ms=50"

struct path_log {
	unsigned int to_vf;
	unsigned int to_synthetic;
	char last_reason[96];
	struct fo_fwd *fwd;	/* drain the VF's Tx when leaving it */
};

static void
path_cb(uint16_t port, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	struct path_log *log = arg;

	(void)port;
	if (ev->to == RTE_PMD_FAILOVER_PATH_VF)
		__atomic_fetch_add(&log->to_vf, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&log->to_synthetic, 1, __ATOMIC_RELAXED);
	snprintf(log->last_reason, sizeof(log->last_reason), "%s", ev->reason);
	/*
	 * Called once no burst can use the VF any more: what the VF took
	 * before is in its Tx ring, and the wire collects it before the VF
	 * may be closed.
	 */
	if (log->fwd != NULL && ev->to == RTE_PMD_FAILOVER_PATH_SYNTHETIC &&
	    log->fwd->vf_port != UINT16_MAX)
		fo_wire_drain(log->fwd, log->fwd->vf_port);
}

/*
 * The path callback runs just after the new path is published: a test
 * that saw the path change waits for the callback too.
 */
struct log_wait {
	struct path_log *log;
	const char *reason;
	unsigned int to_vf;
	unsigned int to_synthetic;
};

static bool
log_reached(void *arg)
{
	const struct log_wait *w = arg;

	return __atomic_load_n(&w->log->to_vf, __ATOMIC_ACQUIRE) >= w->to_vf &&
		__atomic_load_n(&w->log->to_synthetic, __ATOMIC_ACQUIRE) >=
		w->to_synthetic &&
		(w->reason == NULL ||
		 strcmp(w->log->last_reason, w->reason) == 0);
}

static bool
wait_log(struct path_log *log, unsigned int to_vf, unsigned int to_synthetic,
		const char *reason)
{
	struct log_wait w = {
		.log = log, .reason = reason,
		.to_vf = to_vf, .to_synthetic = to_synthetic,
	};

	return fo_test_wait(log_reached, &w, 3000);
}

static bool
vf_absent(void *arg)
{
	return fo_test_port_of(arg) == UINT16_MAX;
}

static bool
vf_present(void *arg)
{
	return fo_test_port_of(arg) != UINT16_MAX;
}

static uint16_t
start_port(uint16_t nq, const char *devargs)
{
	uint16_t fo;

	assert_int_equal(fo_test_probe(devargs, &fo), 0);
	assert_int_equal(fo_test_port_start(fo, nq), 0);
	return fo;
}

static void
stop_port(uint16_t fo)
{
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	/* Everything probed for the port went with it. */
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

static void
test_lsc_down_and_up(void **state)
{
	/* Static: a failed test may leave the callback registered. */
	static struct path_log log;
	uint16_t fo, vf;
	uint64_t t0, t1;

	(void)state;
	memset(&log, 0, sizeof(log));
	fo = start_port(1, FO_DEVARGS);
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, path_cb,
		&log), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");

	/* Link down on the VF: back to synthetic, VF kept. */
	assert_int_equal(testvf_set_link(vf, false, true), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		3000));
	assert_int_equal(fo_test_port_of("net_testvf1"), vf);
	assert_true(wait_log(&log, 0, 1, "VF link change"));

	/* Link up: back to the VF, not before it has settled. */
	t0 = failover_test_now_ms();
	assert_int_equal(testvf_set_link(vf, true, true), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	t1 = failover_test_now_ms();
	assert_true(t1 - t0 >= 20);
	assert_true(wait_log(&log, 1, 1, "VF settled"));
	/* Once away, once back (plus the first settle, if seen). */
	assert_int_equal(log.to_synthetic, 1);
	assert_true(log.to_vf == 1 || log.to_vf == 2);

	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo, path_cb,
		&log), 0);
	stop_port(fo);
}

static void
test_rmv_switches_then_vf_comes_back(void **state)
{
	/* Static: a failed test may leave the callback registered. */
	static struct path_log log;
	unsigned int to_vf;
	uint16_t fo, vf;

	(void)state;
	memset(&log, 0, sizeof(log));
	fo = start_port(2, FO_DEVARGS);
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, path_cb,
		&log), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	to_vf = __atomic_load_n(&log.to_vf, __ATOMIC_RELAXED);

	/* The VF is revoked: RMV from the interrupt thread. */
	assert_int_equal(testvf_raise_rmv(vf), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		3000));
	/* The PMD probed it: it closes and removes it... */
	assert_true(fo_test_wait(vf_absent, "net_testvf1", 3000));
	/* ...then probes it again, adopts it and moves back to it. */
	assert_true(fo_test_wait(vf_present, "net_testvf1", 3000));
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	/* Adopted: still invisible to the application. */
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_true(wait_log(&log, to_vf + 1, 1, NULL));

	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo, path_cb,
		&log), 0);
	stop_port(fo);
}

/*
 * A VF behind vfio raises no INTR_RMV: its removal comes from the EAL
 * hot-plug monitor (RTE_DEV_EVENT_REMOVE). Delivered here the way the
 * monitor delivers it.
 */
static void
test_hotplug_remove_event(void **state)
{
	/* Static: a failed test may leave the callback registered. */
	static struct path_log log;
	uint16_t fo;

	(void)state;
	memset(&log, 0, sizeof(log));
	fo = start_port(1, FO_DEVARGS);
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, path_cb,
		&log), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	/* Someone else's device going away changes nothing. */
	rte_dev_event_callback_process("net_testvf0x", RTE_DEV_EVENT_REMOVE);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_VF);
	/* The VF's: off it at once, in the callback. */
	rte_dev_event_callback_process("net_testvf1", RTE_DEV_EVENT_REMOVE);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	assert_true(wait_log(&log, 0, 1, "VF removed (hot-plug)"));
	/* Released, then re-probed and taken again. */
	assert_true(fo_test_wait(vf_present, "net_testvf1", 3000));
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo, path_cb,
		&log), 0);
	stop_port(fo);
}

static void
test_new_port_adopted_by_mac(void **state)
{
	uint16_t fo, vf;

	(void)state;
	fo = start_port(1, "net_failover0,synthetic=net_testvf0,vf_match=mac,"
		"mac=02:00:00:00:00:77,vf_settle_ms=0");
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	assert_int_equal(rte_pmd_failover_switch(fo, RTE_PMD_FAILOVER_PATH_VF),
		-ENODEV);

	/* A port with another MAC is not ours. */
	assert_int_equal(fo_test_probe("net_testvf5,mac=02:00:00:00:00:55",
		&vf), 0);
	usleep(50000);
	assert_int_equal(fo_test_visible_ports(), 2);
	assert_int_equal(fo_test_remove("net_testvf5"), 0);

	/* The VF with our MAC appears: taken before the app can see it. */
	assert_int_equal(fo_test_probe("net_testvf6,mac=02:00:00:00:00:77",
		&vf), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(fo_test_visible_ports(), 1);

	/* An adopted VF is given back, not removed, when the port closes. */
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(fo_test_port_of("net_testvf6"), vf);
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(fo_test_remove("net_testvf6"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

static void
test_third_party_removal_while_forwarding(void **state)
{
	struct fo_fwd fwd = { 0 };
	uint16_t fo, vf, syn;
	uint64_t syn_before;
	struct rte_eth_stats st;
	int i;

	(void)state;
	fo = start_port(1, "net_failover0,synthetic=net_testvf0,vf=net_testvf1,"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	fwd.syn_port = syn;
	fwd.vf_port = vf;
	assert_int_equal(fo_fwd_start(&fwd, fo, 1), 0);
	for (i = 0; i < 50; i++) {
		fo_wire_drain(&fwd, vf);
		fo_wire_inject(&fwd, vf, 16);
		usleep(200);
	}

	/* Someone else removes the VF device while the lcore forwards. */
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	fwd.vf_port = UINT16_MAX;
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		3000));
	assert_int_equal(fo_test_port_of("net_testvf1"), UINT16_MAX);

	/* Traffic goes on through the synthetic path. */
	fo_wire_drain(&fwd, syn);
	syn_before = fwd.tx.total;
	for (i = 0; i < 50; i++) {
		fo_wire_drain(&fwd, syn);
		fo_wire_inject(&fwd, syn, 16);
		usleep(200);
	}
	fo_fwd_stop(&fwd);
	fo_wire_drain(&fwd, syn);
	assert_true(fwd.tx.total > syn_before);
	assert_int_equal(fwd.tx.dup, 0);
	assert_int_equal(fwd.rx.dup, 0);
	assert_int_equal(fwd.rx.foreign, 0);
	/* The VF brought back by the application is adopted again. */
	assert_int_equal(fo_test_probe("net_testvf1", &vf), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(rte_eth_stats_get(fo, &st), 0);
	assert_true(st.opackets >= fwd.tx.total);

	fo_seqset_free(&fwd.rx);
	fo_seqset_free(&fwd.tx);
	/* The application's VF outlives the port, given back unowned. */
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(fo_test_port_of("net_testvf1"), vf);
	assert_int_equal(fo_test_visible_ports(), 1);
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

/*
 * Planned switches both ways under traffic, and a graceful detach: not one
 * packet lost or duplicated in either direction.
 */
static void
test_planned_switch_and_detach_lose_nothing(void **state)
{
	/* Static: a failed test may leave the callback registered. */
	static struct path_log log;
	struct fo_fwd fwd = { 0 };
	uint16_t fo, vf, syn;
	unsigned int avail_before;
	int i, k;

	(void)state;
	memset(&log, 0, sizeof(log));
	avail_before = rte_mempool_avail_count(fo_test_pool());
	fo = start_port(1, "net_failover0,synthetic=net_testvf0,vf=net_testvf1,"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	fwd.syn_port = syn;
	fwd.vf_port = vf;
	log.fwd = &fwd;
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, path_cb,
		&log), 0);
	assert_int_equal(fo_fwd_start(&fwd, fo, 1), 0);

	for (k = 0; k < 40; k++) {
		assert_int_equal(rte_pmd_failover_switch(fo, k % 2 ?
			RTE_PMD_FAILOVER_PATH_VF :
			RTE_PMD_FAILOVER_PATH_SYNTHETIC), 0);
		for (i = 0; i < 10; i++) {
			fo_wire_inject(&fwd, i % 2 ? vf : syn, 8);
			fo_wire_drain(&fwd, vf);
			fo_wire_drain(&fwd, syn);
			usleep(100);
		}
	}
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_VF);

	/* Graceful revoke: Rx drained, Tx collected, VF released. */
	for (i = 0; i < 10; i++)
		fo_wire_inject(&fwd, vf, 16);
	assert_int_equal(rte_pmd_failover_vf_detach(fo), 0);
	fwd.vf_port = UINT16_MAX;
	assert_int_equal(fo_test_port_of("net_testvf1"), UINT16_MAX);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	for (i = 0; i < 20; i++) {
		fo_wire_inject(&fwd, syn, 8);
		fo_wire_drain(&fwd, syn);
		usleep(100);
	}
	fo_fwd_stop(&fwd);
	fo_wire_drain(&fwd, syn);
	usleep(20000);

	print_message("tx: %" PRIu64 " sent, %" PRIu64 " on the wire; "
		"rx: %u injected, %" PRIu64 " received; switches: %u/%u\n",
		(uint64_t)fwd.next_tx_seq, fwd.tx.total, fwd.next_inject_seq,
		fwd.rx.total, log.to_vf, log.to_synthetic);
	assert_true(fwd.next_tx_seq > 1000);
	assert_int_equal(fo_seqset_missing(&fwd.tx, fwd.next_tx_seq), 0);
	assert_int_equal(fwd.tx.dup, 0);
	assert_int_equal(fo_seqset_missing(&fwd.rx, fwd.next_inject_seq), 0);
	assert_int_equal(fwd.rx.dup, 0);
	assert_int_equal(fwd.rx.foreign, 0);
	assert_true(log.to_synthetic >= 21);

	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo, path_cb,
		&log), 0);
	fo_seqset_free(&fwd.rx);
	fo_seqset_free(&fwd.tx);
	stop_port(fo);
	assert_int_equal(rte_mempool_avail_count(fo_test_pool()), avail_before);
}

/* Surprise removal under traffic: loss bounded by the VF's queues. */
static void
test_surprise_removal_bounded_loss(void **state)
{
	struct fo_fwd fwd = { 0 };
	uint16_t fo, vf, syn;
	unsigned int vf_rx_pending, vf_tx_pending;
	uint64_t lost_tx, lost_rx;
	int i;

	(void)state;
	fo = start_port(1, "net_failover0,synthetic=net_testvf0,vf=net_testvf1,"
		"vf_settle_ms=0,probe_interval_ms=100000");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	fwd.syn_port = syn;
	fwd.vf_port = vf;
	assert_int_equal(fo_fwd_start(&fwd, fo, 1), 0);
	for (i = 0; i < 50; i++) {
		fo_wire_inject(&fwd, vf, 16);
		fo_wire_drain(&fwd, vf);
		usleep(100);
	}
	/* The wire stops reading the VF just before it is yanked. */
	fo_wire_inject(&fwd, vf, 64);
	vf_rx_pending = testvf_rx_pending(vf, 0);
	vf_tx_pending = testvf_tx_pending(vf, 0);
	assert_int_equal(testvf_raise_rmv_sync(vf), 0);
	fwd.vf_port = UINT16_MAX;
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	for (i = 0; i < 50; i++) {
		fo_wire_inject(&fwd, syn, 16);
		fo_wire_drain(&fwd, syn);
		usleep(100);
	}
	fo_fwd_stop(&fwd);
	fo_wire_drain(&fwd, syn);

	lost_tx = fo_seqset_missing(&fwd.tx, fwd.next_tx_seq);
	lost_rx = fo_seqset_missing(&fwd.rx, fwd.next_inject_seq);
	print_message("surprise removal: lost tx %" PRIu64 " (VF Tx ring held "
		"at least %u), lost rx %" PRIu64 " (VF Rx ring held %u)\n",
		lost_tx, vf_tx_pending, lost_rx, vf_rx_pending);
	/*
	 * Lost: at most what sat in the VF's rings when it went, plus what
	 * the lcore sent between that reading and the hand-off (one ring).
	 */
	assert_true(lost_rx <= vf_rx_pending);
	assert_true(lost_tx <= 512 + vf_tx_pending);
	assert_int_equal(fwd.tx.dup, 0);
	assert_int_equal(fwd.rx.dup, 0);
	/* Traffic recovered on synthetic. */
	assert_true(fwd.rx.total > 0);
	fo_seqset_free(&fwd.rx);
	fo_seqset_free(&fwd.tx);
	stop_port(fo);
}

static int
count_lsc(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	(void)port;
	(void)ret;
	if (type == RTE_ETH_EVENT_INTR_LSC)
		__atomic_fetch_add((unsigned int *)arg, 1, __ATOMIC_RELAXED);
	return 0;
}

static unsigned int
lsc_count(const unsigned int *n)
{
	usleep(50000); /* LSC is raised from the control thread */
	return __atomic_load_n(n, __ATOMIC_RELAXED);
}

/*
 * The port's link is up while either path is, and the application hears
 * of it (LSC) exactly when that changes, never for one path alone.
 */
static void
test_aggregate_link_and_lsc(void **state)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	struct rte_eth_link link;
	unsigned int lsc = 0;
	uint16_t fo, vf, syn;

	(void)state;
	assert_int_equal(fo_test_probe(FO_DEVARGS, &fo), 0);
	assert_int_equal(rte_eth_dev_callback_register(fo,
		RTE_ETH_EVENT_INTR_LSC, count_lsc, &lsc), 0);
	assert_int_equal(rte_eth_dev_configure(fo, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(fo, 0, 512, rte_socket_id(),
		NULL, fo_test_pool()), 0);
	assert_int_equal(rte_eth_tx_queue_setup(fo, 0, 512, rte_socket_id(),
		NULL), 0);
	assert_int_equal(rte_eth_dev_start(fo), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	/* Up at start: told once. */
	assert_int_equal(lsc_count(&lsc), 1);

	/* One path down: the port's link stays up, nothing raised. */
	assert_int_equal(testvf_set_link(vf, false, true), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		3000));
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	assert_int_equal(lsc_count(&lsc), 1);
	/* Both down: link down, told once. */
	assert_int_equal(testvf_set_link(syn, false, true), 0);
	assert_int_equal(lsc_count(&lsc), 2);
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_DOWN);
	/* The VF back: link up, on the VF, told once. */
	assert_int_equal(testvf_set_link(vf, true, true), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(rte_eth_link_get_nowait(fo, &link), 0);
	assert_int_equal(link.link_status, RTE_ETH_LINK_UP);
	assert_int_equal(lsc_count(&lsc), 3);
	/* The synthetic back too: still up, nothing raised. */
	assert_int_equal(testvf_set_link(syn, true, true), 0);
	assert_int_equal(lsc_count(&lsc), 3);
	assert_int_equal(rte_eth_dev_callback_unregister(fo,
		RTE_ETH_EVENT_INTR_LSC, count_lsc, &lsc), 0);
	stop_port(fo);
}

static void
test_api_without_vf(void **state)
{
	uint16_t fo;

	(void)state;
	fo = start_port(1, "net_failover0,synthetic=net_testvf0");
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	assert_int_equal(rte_pmd_failover_switch(fo, RTE_PMD_FAILOVER_PATH_VF),
		-ENODEV);
	assert_int_equal(rte_pmd_failover_vf_detach(fo), -ENODEV);
	assert_int_equal(rte_pmd_failover_switch(fo, 7), -EINVAL);
	assert_int_equal(rte_pmd_failover_switch(fo,
		RTE_PMD_FAILOVER_PATH_SYNTHETIC), 0);
	assert_int_equal(rte_pmd_failover_path_callback_register(fo, NULL,
		NULL), -EINVAL);
	assert_int_equal(rte_pmd_failover_path_callback_unregister(fo, path_cb,
		NULL), -ENOENT);
	stop_port(fo);
}

/*
 * Tx retry on the new path: the VF refuses a burst while the path moves
 * away from it (a switch published during the burst); the packets go out
 * on synthetic in the same call instead of back to the application, and
 * are counted as such.
 */
struct retry_ctx {
	uint16_t fo;
	bool armed;
	bool started;
	pthread_t tid;
	int switch_ret;
};

static void *
retry_switch_main(void *arg)
{
	struct retry_ctx *c = arg;

	c->switch_ret = rte_pmd_failover_switch(c->fo,
		RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	return NULL;
}

/* Inside the VF's Tx burst: start a switch, wait until it is published. */
static void
move_path_during_tx(void *arg)
{
	struct retry_ctx *c = arg;
	uint64_t end = failover_test_now_ms() + 3000;

	if (!c->armed)
		return;
	c->armed = false;
	if (pthread_create(&c->tid, NULL, retry_switch_main, c) != 0)
		return;
	c->started = true;
	while (rte_pmd_failover_active_path(c->fo) !=
			RTE_PMD_FAILOVER_PATH_SYNTHETIC &&
	       failover_test_now_ms() < end)
		rte_pause();
}

static void
test_tx_retry_on_new_path(void **state)
{
	struct retry_ctx ctx = { .switch_ret = -1 };
	struct rte_pmd_failover_info info;
	struct rte_eth_stats syn_stats;
	struct rte_mbuf *pkts[4];
	uint16_t fo, vf, syn, n;

	(void)state;
	fo = start_port(1, "net_failover0,synthetic=net_testvf0,"
		"vf=net_testvf1,vf_settle_ms=0,probe_interval_ms=100000");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	assert_int_equal(rte_eth_stats_reset(syn), 0);

	ctx.fo = fo;
	ctx.armed = true;
	assert_int_equal(testvf_tx_fail_next(vf, 1), 0);
	assert_int_equal(testvf_tx_hook_set(vf, move_path_during_tx, &ctx),
		0);
	assert_int_equal(fo_test_make_pkts(pkts, RTE_DIM(pkts), 0, 1), 0);
	n = rte_eth_tx_burst(fo, 0, pkts, RTE_DIM(pkts));
	assert_int_equal(testvf_tx_hook_set(vf, NULL, NULL), 0);
	assert_true(ctx.started);
	pthread_join(ctx.tid, NULL);
	if (n < RTE_DIM(pkts))
		rte_pktmbuf_free_bulk(pkts + n, RTE_DIM(pkts) - n);

	assert_int_equal(ctx.switch_ret, 0);
	assert_int_equal(n, RTE_DIM(pkts));
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.counters.tx_vf_retry_synthetic, RTE_DIM(pkts));
	assert_int_equal(rte_eth_stats_get(syn, &syn_stats), 0);
	assert_int_equal(syn_stats.opackets, RTE_DIM(pkts));
	stop_port(fo);
}

/* Whatever a failed test left behind goes, so the next starts clean. */
static int
cleanup(void **state)
{
	static const char *const names[] = {
		"net_failover0", "net_testvf0", "net_testvf1", "net_testvf5",
		"net_testvf6",
	};

	(void)state;
	fo_fwd_abort();
	fo_test_remove_all(names, RTE_DIM(names));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lsc_down_and_up, cleanup),
		cmocka_unit_test_teardown(test_rmv_switches_then_vf_comes_back, cleanup),
		cmocka_unit_test_teardown(test_hotplug_remove_event, cleanup),
		cmocka_unit_test_teardown(test_new_port_adopted_by_mac, cleanup),
		cmocka_unit_test_teardown(test_third_party_removal_while_forwarding, cleanup),
		cmocka_unit_test_teardown(test_planned_switch_and_detach_lose_nothing, cleanup),
		cmocka_unit_test_teardown(test_surprise_removal_bounded_loss, cleanup),
		cmocka_unit_test_teardown(test_aggregate_link_and_lsc, cleanup),
		cmocka_unit_test_teardown(test_api_without_vf, cleanup),
		cmocka_unit_test_teardown(test_tx_retry_on_new_path, cleanup),
	};

	(void)argc;
	return fo_test_main(argv[0], "events", tests, RTE_DIM(tests));
}
