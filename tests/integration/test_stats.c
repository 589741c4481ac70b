/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Statistics of a failover port across VF churn, over two net_testvf
 * sub-ports (tests/pmd). The test is the application and the wire on one
 * thread, so every packet is accounted for: after each step the basic
 * statistics (per queue too), the PMD's own extended statistics and the
 * sub-ports' extended statistics ("synthetic_*", "vf_*") must equal the
 * exact totals sent through each path, and never go down. Also: xstats
 * ids keep their names when a VF of another model (net_memif) comes and
 * goes, a VF that is away reports its last totals, both resets zero
 * everything and counting goes on exactly, and rte_pmd_failover_info_get()
 * tells the state.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "failover_compat.h"
#include "testvf.h"

#define NQ		2
#define CYCLES		100
#define N_TX		24	/* per queue and step */
#define M_RX		16	/* per queue, path and step */
#define XS_MAX		1024
#define NB_BASIC	8	/* ethdev's own, in front (no per-queue ones) */

#define FO_DEVARGS "net_failover0,synthetic=net_testvf0,vf=net_testvf1," \
	"vf_settle_ms=0,probe_interval_ms=100000"

enum { SYN = 0, VF = 1 };

/* What went through each path, per queue. */
struct expect {
	uint64_t rx[2][NQ];
	uint64_t tx[2][NQ];
	uint64_t rx_syn_while_vf;
	uint64_t attach, detach, to_vf, to_syn;
};

struct xs {
	unsigned int n;
	struct rte_eth_xstat_name names[XS_MAX];
	uint64_t values[XS_MAX];
};

static struct xs xs_cur, xs_prev, xs_ref;
static uint32_t pkt_len;
static uint32_t next_seq;

static uint64_t
sum_q(const uint64_t *v)
{
	uint64_t s = 0;
	unsigned int q;

	for (q = 0; q < NQ; q++)
		s += v[q];
	return s;
}

/* Every xstat of @p port, checking the ids ethdev gives. */
static void
xs_read(uint16_t port, struct xs *x)
{
	static struct rte_eth_xstat v[XS_MAX];
	int n, i;

	n = rte_eth_xstats_get_names(port, NULL, 0);
	assert_true(n > NB_BASIC && n <= XS_MAX);
	assert_int_equal(rte_eth_xstats_get_names(port, x->names, n), n);
	assert_int_equal(rte_eth_xstats_get(port, v, n), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].id, i);
		x->values[i] = v[i].value;
	}
	x->n = n;
}

static int
xs_id(const struct xs *x, const char *name)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		if (strcmp(x->names[i].name, name) == 0)
			return i;
	return -1;
}

static uint64_t
xs_val(const struct xs *x, const char *name)
{
	int id = xs_id(x, name);

	if (id < 0)
		fail_msg("no xstat '%s'", name);
	return x->values[id];
}

/* Ids seen before keep their names; nothing goes down but gauges. */
static void
xs_check_stable(const struct xs *old, const struct xs *now, bool values)
{
	unsigned int i;

	assert_true(now->n >= old->n);
	for (i = 0; i < old->n; i++) {
		assert_string_equal(now->names[i].name, old->names[i].name);
		if (values && strcmp(now->names[i].name,
				"last_switch_latency_ns") != 0 &&
		    now->values[i] < old->values[i])
			fail_msg("xstat '%s' went down: %" PRIu64 " -> %" PRIu64,
				now->names[i].name, old->values[i],
				now->values[i]);
	}
}

/* The PMD's counters as info_get reports them equal its xstats. */
static void
check_info_counters(uint16_t fo, const struct xs *x)
{
	struct rte_pmd_failover_info info;
	const struct rte_pmd_failover_counters *c = &info.counters;

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(c->switches, xs_val(x, "switches"));
	assert_int_equal(c->switch_to_vf, xs_val(x, "switch_to_vf"));
	assert_int_equal(c->switch_to_synthetic,
		xs_val(x, "switch_to_synthetic"));
	assert_int_equal(c->vf_attach, xs_val(x, "vf_attach"));
	assert_int_equal(c->vf_detach, xs_val(x, "vf_detach"));
	assert_int_equal(c->vf_refused, xs_val(x, "vf_refused"));
	assert_int_equal(c->rx_synthetic_while_vf,
		xs_val(x, "rx_synthetic_while_vf"));
	assert_int_equal(c->rx_vf_packets, xs_val(x, "rx_vf_packets"));
	assert_int_equal(c->rx_synthetic_packets,
		xs_val(x, "rx_synthetic_packets"));
	assert_int_equal(c->tx_vf_packets, xs_val(x, "tx_vf_packets"));
	assert_int_equal(c->tx_synthetic_packets,
		xs_val(x, "tx_synthetic_packets"));
	assert_int_equal(c->tx_vf_retry_synthetic,
		xs_val(x, "tx_vf_retry_synthetic"));
	assert_int_equal(c->last_switch_latency_ns,
		xs_val(x, "last_switch_latency_ns"));
	assert_true(c->time_on_vf_ms >= xs_val(x, "time_on_vf_ms"));
	assert_int_equal(c->transitions, xs_val(x, "transitions"));
	assert_int_equal(c->events_coalesced, xs_val(x, "events_coalesced"));
}

/* Basic stats, own xstats and both sub-ports' xstats against @p e. */
static void
check_expect(uint16_t fo, const struct expect *e)
{
	uint64_t rx_vf = sum_q(e->rx[VF]), rx_syn = sum_q(e->rx[SYN]);
	uint64_t tx_vf = sum_q(e->tx[VF]), tx_syn = sum_q(e->tx[SYN]);
	struct failover_eth_stats fst;
	const failover_qstats *qs = FAILOVER_QSTATS(&fst);
	struct rte_eth_stats st;
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	unsigned int q, p;
	const char *pre;

	assert_int_equal(rte_eth_stats_get(fo, &st), 0);
	assert_int_equal(st.ipackets, rx_vf + rx_syn);
	assert_int_equal(st.opackets, tx_vf + tx_syn);
	assert_int_equal(st.ibytes, (rx_vf + rx_syn) * pkt_len);
	assert_int_equal(st.obytes, (tx_vf + tx_syn) * pkt_len);
	assert_int_equal(st.imissed, 0);
	assert_int_equal(st.ierrors, 0);
	assert_int_equal(st.oerrors, 0);
	/* Per queue: from 25.11 on, only through the op itself. */
	assert_int_equal(failover_eth_stats_get(fo, &fst), 0);
	assert_int_equal(fst.basic.ipackets, st.ipackets);
	for (q = 0; q < NQ; q++) {
		assert_int_equal(qs->q_ipackets[q], e->rx[SYN][q] + e->rx[VF][q]);
		assert_int_equal(qs->q_opackets[q], e->tx[SYN][q] + e->tx[VF][q]);
		assert_int_equal(qs->q_ibytes[q],
			(e->rx[SYN][q] + e->rx[VF][q]) * pkt_len);
		assert_int_equal(qs->q_obytes[q],
			(e->tx[SYN][q] + e->tx[VF][q]) * pkt_len);
	}

	xs_read(fo, &xs_cur);
	/* ethdev's, from stats_get */
	assert_int_equal(xs_val(&xs_cur, "rx_good_packets"), st.ipackets);
	assert_int_equal(xs_val(&xs_cur, "tx_good_packets"), st.opackets);
	/* the PMD's own */
	assert_int_equal(xs_val(&xs_cur, "rx_vf_packets"), rx_vf);
	assert_int_equal(xs_val(&xs_cur, "rx_synthetic_packets"), rx_syn);
	assert_int_equal(xs_val(&xs_cur, "tx_vf_packets"), tx_vf);
	assert_int_equal(xs_val(&xs_cur, "tx_synthetic_packets"), tx_syn);
	assert_int_equal(xs_val(&xs_cur, "rx_synthetic_while_vf"),
		e->rx_syn_while_vf);
	assert_int_equal(xs_val(&xs_cur, "tx_vf_retry_synthetic"), 0);
	assert_int_equal(xs_val(&xs_cur, "vf_attach"), e->attach);
	assert_int_equal(xs_val(&xs_cur, "vf_detach"), e->detach);
	assert_int_equal(xs_val(&xs_cur, "vf_refused"), 0);
	assert_int_equal(xs_val(&xs_cur, "switch_to_vf"), e->to_vf);
	assert_int_equal(xs_val(&xs_cur, "switch_to_synthetic"), e->to_syn);
	assert_int_equal(xs_val(&xs_cur, "switches"), e->to_vf + e->to_syn);
	assert_int_equal(xs_val(&xs_cur, "events_coalesced"), 0);
	/* the sub-ports', every VF folded into "vf_" */
	for (p = SYN; p <= VF; p++) {
		pre = p == VF ? "vf" : "synthetic";
		snprintf(name, sizeof(name), "%s_rx_good_packets", pre);
		assert_int_equal(xs_val(&xs_cur, name), sum_q(e->rx[p]));
		snprintf(name, sizeof(name), "%s_tx_good_packets", pre);
		assert_int_equal(xs_val(&xs_cur, name), sum_q(e->tx[p]));
		snprintf(name, sizeof(name), "%s_rx_good_bytes", pre);
		assert_int_equal(xs_val(&xs_cur, name),
			sum_q(e->rx[p]) * pkt_len);
		snprintf(name, sizeof(name), "%s_tx_good_bytes", pre);
		assert_int_equal(xs_val(&xs_cur, name),
			sum_q(e->tx[p]) * pkt_len);
		snprintf(name, sizeof(name), "%s_rx_injected", pre);
		assert_int_equal(xs_val(&xs_cur, name), sum_q(e->rx[p]));
		snprintf(name, sizeof(name), "%s_tx_captured", pre);
		assert_int_equal(xs_val(&xs_cur, name), sum_q(e->tx[p]));
		snprintf(name, sizeof(name), "%s_tx_refused", pre);
		assert_int_equal(xs_val(&xs_cur, name), 0);
		for (q = 0; q < NQ; q++) {
			snprintf(name, sizeof(name), "%s_rx_q%u_packets", pre, q);
			assert_int_equal(xs_val(&xs_cur, name), e->rx[p][q]);
			snprintf(name, sizeof(name), "%s_tx_q%u_packets", pre, q);
			assert_int_equal(xs_val(&xs_cur, name), e->tx[p][q]);
		}
	}
	check_info_counters(fo, &xs_cur);
}

static void
free_all(struct rte_mbuf **pkts, unsigned int n)
{
	rte_pktmbuf_free_bulk(pkts, n);
}

/* Send @p n packets on queue @p q of the failover port. */
static void
send_n(uint16_t fo, uint16_t q, unsigned int n)
{
	struct rte_mbuf *pkts[N_TX];
	unsigned int sent = 0, tries;

	assert_true(n <= N_TX);
	assert_int_equal(fo_test_make_pkts(pkts, n, next_seq, 1), 0);
	next_seq += n;
	for (tries = 0; sent < n && tries < 100; tries++)
		sent += rte_eth_tx_burst(fo, q, pkts + sent, n - sent);
	assert_int_equal(sent, n);
}

/* Take what a sub-port's Tx queue captured; returns how many. */
static unsigned int
wire_drain(uint16_t sub, uint16_t q)
{
	struct rte_mbuf *pkts[64];
	unsigned int total = 0;
	int n;

	if (sub == UINT16_MAX)
		return 0;
	do {
		n = testvf_tx_drain(sub, q, pkts, RTE_DIM(pkts));
		assert_true(n >= 0);
		free_all(pkts, n);
		total += n;
	} while (n > 0);
	return total;
}

static void
wire_inject(uint16_t sub, uint16_t q, unsigned int n)
{
	struct rte_mbuf *pkts[M_RX];

	assert_true(n <= M_RX);
	assert_int_equal(fo_test_make_pkts(pkts, n, next_seq, 2), 0);
	next_seq += n;
	assert_int_equal(testvf_rx_inject(sub, q, pkts, n), (int)n);
}

/* Receive exactly @p n packets on the failover port's queue @p q. */
static void
recv_n(uint16_t fo, uint16_t q, unsigned int n)
{
	struct rte_mbuf *pkts[2 * M_RX + 1];
	unsigned int got;

	got = fo_test_rx_all(fo, q, pkts, RTE_DIM(pkts), 5);
	free_all(pkts, got);
	assert_int_equal(got, n);
}

/*
 * One step of traffic on every queue: N_TX sent, which must reach the
 * active path's wire only; M_RX from each present path's wire, received.
 */
static void
traffic(uint16_t fo, uint16_t syn, uint16_t vf, struct expect *e)
{
	bool on_vf = rte_pmd_failover_active_path(fo) ==
		RTE_PMD_FAILOVER_PATH_VF;
	uint16_t q;

	assert_true(!on_vf || vf != UINT16_MAX);
	for (q = 0; q < NQ; q++) {
		send_n(fo, q, N_TX);
		assert_int_equal(wire_drain(on_vf ? vf : syn, q), N_TX);
		assert_int_equal(wire_drain(on_vf ? syn : vf, q), 0);
		e->tx[on_vf ? VF : SYN][q] += N_TX;

		wire_inject(syn, q, M_RX);
		if (vf != UINT16_MAX)
			wire_inject(vf, q, M_RX);
		recv_n(fo, q, vf != UINT16_MAX ? 2 * M_RX : M_RX);
		e->rx[SYN][q] += M_RX;
		if (vf != UINT16_MAX)
			e->rx[VF][q] += M_RX;
		if (on_vf)
			e->rx_syn_while_vf += M_RX;
	}
}

static bool
vf_let_go(void *arg)
{
	struct rte_pmd_failover_info info;
	uint16_t fo = *(uint16_t *)arg;

	return rte_pmd_failover_info_get(fo, &info) == 0 &&
		info.vf_port == RTE_PMD_FAILOVER_NO_PORT;
}

static bool
vf_present_cb(void *arg)
{
	return !vf_let_go(arg);
}

/* The VF comes (back): the host probes the device. */
static uint16_t
vf_probe(const char *devargs, const char *name)
{
	unsigned int i;
	uint16_t vf;
	int ret;

	/* The old device may still be on its way out (-EEXIST). */
	for (i = 0; i < 5000; i++) {
		ret = fo_test_probe(devargs, &vf);
		if (ret != -EEXIST)
			break;
		usleep(1000);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(fo_test_port_of(name), vf);
	return vf;
}

/* The VF goes, in one of three ways; returns once the PMD let it go. */
static void
vf_remove(uint16_t fo, uint16_t vf, unsigned int kind)
{
	switch (kind) {
	case 0: /* surprise removal: INTR_RMV */
		assert_int_equal(testvf_raise_rmv(vf), 0);
		assert_true(fo_test_wait(vf_let_go, &fo, 5000));
		break;
	case 1: /* a third party removes the device under us */
		assert_int_equal(fo_test_remove("net_testvf1"), 0);
		assert_true(fo_test_wait(vf_let_go, &fo, 5000));
		break;
	default: /* graceful revoke */
		assert_int_equal(rte_pmd_failover_vf_detach(fo), 0);
		assert_true(vf_let_go(&fo));
		break;
	}
	/* Given back to the application that probed it: remove it. */
	if (fo_test_port_of("net_testvf1") != UINT16_MAX)
		assert_int_equal(fo_test_remove("net_testvf1"), 0);
}

static void
check_info(uint16_t fo, bool vf_present, uint16_t vf, const char *state,
		int path)
{
	struct rte_pmd_failover_info info;

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.synthetic_port, fo_test_port_of("net_testvf0"));
	assert_string_equal(info.synthetic_name, "net_testvf0");
	if (vf_present) {
		assert_int_equal(info.vf_port, vf);
		assert_string_equal(info.vf_name, "net_testvf1");
	} else {
		assert_int_equal(info.vf_port, RTE_PMD_FAILOVER_NO_PORT);
		assert_string_equal(info.vf_name, "");
	}
	assert_string_equal(info.state, state);
	assert_int_equal(info.active_path, path);
	assert_int_equal(info.vf_settle_ms, 0);
	assert_int_equal(info.probe_interval_ms, 100000);
}

/* The last path change happened between @p t0 and now (CLOCK_MONOTONIC). */
static void
check_last_event(uint16_t fo, uint64_t t0_ms)
{
	struct rte_pmd_failover_info info;
	uint64_t t1_ms = failover_test_now_ms();

	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_true(info.last_reason[0] != '\0');
	assert_true(info.last_event_ns / 1000000 >= t0_ms);
	assert_true(info.last_event_ns / 1000000 <= t1_ms);
}

static void
test_counts_exact_across_churn(void **state)
{
	struct expect e;
	struct rte_mbuf *m;
	unsigned int avail, c;
	uint16_t fo, syn, vf;
	uint64_t t0;

	(void)state;
	avail = rte_mempool_avail_count(fo_test_pool());
	assert_int_equal(fo_test_make_pkts(&m, 1, 0, 0), 0);
	pkt_len = rte_pktmbuf_pkt_len(m);
	rte_pktmbuf_free(m);

	assert_int_equal(fo_test_probe(FO_DEVARGS, &fo), 0);
	assert_int_equal(fo_test_port_start(fo, NQ), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	syn = fo_test_port_of("net_testvf0");
	vf = fo_test_port_of("net_testvf1");
	check_info(fo, true, vf, "VF_ACTIVE", RTE_PMD_FAILOVER_PATH_VF);

	memset(&e, 0, sizeof(e));
	e.attach = 1;
	e.to_vf = 1;
	check_expect(fo, &e);
	xs_ref = xs_cur;
	/* ethdev's basic xstats first, then the PMD's own */
	assert_string_equal(xs_ref.names[0].name, "rx_good_packets");
	assert_string_equal(xs_ref.names[NB_BASIC].name, "switches");
	xs_prev = xs_cur;

	for (c = 0; c < CYCLES; c++) {
		traffic(fo, syn, vf, &e);
		/*
		 * Every other cycle, the VF leaves with counts no statistics
		 * read has seen yet: only its last reading can tell them.
		 */
		if (c % 2 == 0) {
			check_expect(fo, &e);
			xs_check_stable(&xs_prev, &xs_cur, true);
			xs_prev = xs_cur;
		}

		t0 = failover_test_now_ms();
		vf_remove(fo, vf, c % 3);
		vf = UINT16_MAX;
		e.detach++;
		e.to_syn++;
		check_last_event(fo, t0);
		check_info(fo, false, vf, "VF_GONE",
			RTE_PMD_FAILOVER_PATH_SYNTHETIC);
		/* Away, the VF reports its last totals: checked here. */
		check_expect(fo, &e);
		xs_check_stable(&xs_prev, &xs_cur, true);
		xs_prev = xs_cur;

		traffic(fo, syn, vf, &e);
		check_expect(fo, &e);
		xs_check_stable(&xs_prev, &xs_cur, true);
		xs_prev = xs_cur;

		t0 = failover_test_now_ms();
		vf = vf_probe("net_testvf1", "net_testvf1");
		assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF,
			3000));
		e.attach++;
		e.to_vf++;
		check_last_event(fo, t0);
		check_info(fo, true, vf, "VF_ACTIVE", RTE_PMD_FAILOVER_PATH_VF);
		/*
		 * Some cycles, the new VF carries traffic before any read: it
		 * must count from zero, not from where the last VF was.
		 */
		if (c % 4 < 2) {
			check_expect(fo, &e);
			xs_check_stable(&xs_prev, &xs_cur, true);
			xs_prev = xs_cur;
		}
	}
	/* The same model all along: not one id more, not one renamed. */
	assert_int_equal(xs_cur.n, xs_ref.n);
	xs_check_stable(&xs_ref, &xs_cur, false);
	print_message("%u cycles: rx %" PRIu64 " (VF %" PRIu64 "), tx %"
		PRIu64 " (VF %" PRIu64 "), %u xstats\n", c,
		sum_q(e.rx[SYN]) + sum_q(e.rx[VF]), sum_q(e.rx[VF]),
		sum_q(e.tx[SYN]) + sum_q(e.tx[VF]), sum_q(e.tx[VF]), xs_cur.n);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	/* The last VF, adopted from the application, is given back. */
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
	assert_int_equal(rte_mempool_avail_count(fo_test_pool()), avail);
}

/*
 * A VF of another model (net_memif: ethdev's basic xstats only) and a
 * net_testvf (with its own xstats) take turns: ids keep their names, new
 * names are appended, and names a VF lacks report their last totals. The
 * memif ports are clients of a socket nobody serves: configured, they
 * cannot start, so the PMD holds them refused (a server would leave its
 * listening socket registered with EAL after its removal).
 */
#define MAC "02:00:00:00:00:77"

static void
test_xstats_ids_stable_across_models(void **state)
{
	char memif[2][128];
	struct xs x0, x1, x2, x3;
	struct rte_pmd_failover_info info;
	struct rte_eth_xstat_name nm;
	uint64_t ids[3], vals[3], id;
	uint16_t fo, syn, vf;
	int inj, cap;

	(void)state;
	snprintf(memif[0], sizeof(memif[0]), "net_memif0,role=client,"
		"socket=/fo_test_stats_%d,mac=" MAC, (int)getpid());
	snprintf(memif[1], sizeof(memif[1]), "net_memif1,role=client,"
		"socket=/fo_test_stats_%d,mac=" MAC, (int)getpid());
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_testvf0,"
		"vf_match=mac,mac=" MAC ",vf_settle_ms=0", &fo), 0);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	syn = fo_test_port_of("net_testvf0");
	xs_read(fo, &x0);
	assert_int_equal(rte_eth_xstats_get_id_by_name(fo, "switches", &id), 0);
	assert_int_equal(id, NB_BASIC);
	assert_true(xs_id(&x0, "synthetic_rx_injected") > 0);
	assert_true(xs_id(&x0, "vf_rx_good_packets") < 0);

	/* A memif VF: its names come after, no "vf_rx_injected" */
	vf = vf_probe(memif[0], "net_memif0");
	assert_true(fo_test_wait(vf_present_cb, &fo, 3000));
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_string_equal(info.state, "VF_REFUSED");
	assert_string_equal(info.vf_name, "net_memif0");
	xs_read(fo, &x1);
	xs_check_stable(&x0, &x1, true);
	assert_true(xs_id(&x1, "vf_rx_good_packets") >= (int)x0.n);
	assert_true(xs_id(&x1, "vf_rx_q0_packets") >= (int)x0.n);
	assert_true(xs_id(&x1, "vf_rx_injected") < 0);
	assert_int_equal(xs_val(&x1, "vf_refused"), 1);
	/* Detached first: memif's remove closes a started port, refused. */
	assert_int_equal(rte_pmd_failover_vf_detach(fo), 0);
	assert_true(vf_let_go(&fo));
	assert_int_equal(fo_test_remove("net_memif0"), 0);
	xs_read(fo, &x2);
	assert_int_equal(x2.n, x1.n);
	xs_check_stable(&x1, &x2, true);

	/* A testvf VF: its own names are new ids, after all the others */
	vf = vf_probe("net_testvf6,mac=" MAC, "net_testvf6");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	send_n(fo, 0, 10);
	assert_int_equal(wire_drain(vf, 0), 10);
	wire_inject(vf, 0, 5);
	wire_inject(syn, 0, 3);
	recv_n(fo, 0, 8);
	xs_read(fo, &x3);
	xs_check_stable(&x2, &x3, true);
	inj = xs_id(&x3, "vf_rx_injected");
	cap = xs_id(&x3, "vf_tx_captured");
	assert_true(inj >= (int)x2.n && cap >= (int)x2.n);
	assert_int_equal(x3.values[inj], 5);
	assert_int_equal(x3.values[cap], 10);
	assert_int_equal(xs_val(&x3, "vf_rx_good_packets"), 5);
	assert_int_equal(xs_val(&x3, "synthetic_rx_injected"), 3);

	/* It goes: its totals stay */
	assert_int_equal(fo_test_remove("net_testvf6"), 0);
	assert_true(fo_test_wait(vf_let_go, &fo, 3000));
	xs_read(fo, &x2);
	assert_int_equal(x2.n, x3.n);
	xs_check_stable(&x3, &x2, true);
	assert_int_equal(x2.values[inj], 5);
	assert_int_equal(x2.values[cap], 10);

	/* memif again: nothing new, the testvf names keep their totals */
	vf = vf_probe(memif[1], "net_memif1");
	assert_true(fo_test_wait(vf_present_cb, &fo, 3000));
	xs_read(fo, &x1);
	assert_int_equal(x1.n, x3.n);
	xs_check_stable(&x3, &x1, true);
	assert_int_equal(x1.values[inj], 5);
	assert_int_equal(xs_val(&x1, "vf_rx_good_packets"), 5);
	/* the same through the by-id calls */
	ids[0] = inj;
	ids[1] = cap;
	ids[2] = NB_BASIC; /* switches */
	assert_int_equal(rte_eth_xstats_get_by_id(fo, ids, vals, 3), 3);
	assert_int_equal(vals[0], 5);
	assert_int_equal(vals[1], 10);
	assert_int_equal(vals[2], xs_val(&x1, "switches"));
	assert_int_equal(rte_eth_xstats_get_names_by_id(fo, &nm, 1, &ids[0]),
		1);
	assert_string_equal(nm.name, "vf_rx_injected");
	assert_int_equal(rte_eth_xstats_get_id_by_name(fo, "vf_tx_captured",
		&id), 0);
	assert_int_equal(id, cap);
	/* an id past the end */
	ids[0] = x1.n;
	assert_true(rte_eth_xstats_get_by_id(fo, ids, vals, 1) < 0);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(fo_test_remove("net_memif1"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

static void
check_zero(uint16_t fo)
{
	struct expect zero;

	memset(&zero, 0, sizeof(zero));
	check_expect(fo, &zero);
}

/* Both resets zero everything, the sub-ports are left alone. */
static void
test_reset(void **state)
{
	struct rte_pmd_failover_info info;
	struct rte_eth_stats st;
	struct expect e;
	uint16_t fo, syn, vf;
	uint64_t t0, v0, v1;

	(void)state;
	assert_int_equal(fo_test_probe(FO_DEVARGS, &fo), 0);
	assert_int_equal(fo_test_port_start(fo, NQ), 0);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	syn = fo_test_port_of("net_testvf0");
	vf = fo_test_port_of("net_testvf1");
	memset(&e, 0, sizeof(e));
	e.attach = 1;
	e.to_vf = 1;
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);

	/* rte_eth_stats_reset: all zero, and on the VF time counts again */
	t0 = failover_test_now_ms();
	assert_int_equal(rte_eth_stats_reset(fo), 0);
	check_zero(fo);
	assert_int_equal(xs_val(&xs_cur, "last_switch_latency_ns"), 0);
	assert_true(xs_val(&xs_cur, "time_on_vf_ms") <=
		failover_test_now_ms() - t0);
	/* The sub-ports were not reset. */
	assert_int_equal(rte_eth_stats_get(syn, &st), 0);
	assert_int_equal(st.opackets, 0);
	assert_int_equal(st.ipackets, NQ * M_RX);
	assert_int_equal(rte_eth_stats_get(vf, &st), 0);
	assert_int_equal(st.opackets, NQ * N_TX);
	usleep(60 * 1000);
	xs_read(fo, &xs_cur);
	assert_true(xs_val(&xs_cur, "time_on_vf_ms") >= 50);

	/* Counting goes on from zero, through a churn */
	memset(&e, 0, sizeof(e));
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);
	vf_remove(fo, vf, 1);
	vf = UINT16_MAX;
	e.detach++;
	e.to_syn++;
	check_expect(fo, &e);
	assert_true(xs_val(&xs_cur, "last_switch_latency_ns") > 0);
	/* Off the VF, its time stands still. */
	v0 = xs_val(&xs_cur, "time_on_vf_ms");
	usleep(30 * 1000);
	xs_read(fo, &xs_cur);
	assert_int_equal(xs_val(&xs_cur, "time_on_vf_ms"), v0);
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);

	/*
	 * Someone else resets the synthetic port's counters: ours neither
	 * go back nor lose what it counts from then on, as long as they are
	 * read before the port counts as much as it had (a reading below
	 * the last one is taken for a reset).
	 */
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);
	assert_int_equal(rte_eth_stats_reset(syn), 0);
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);

	/* rte_eth_xstats_reset with the VF away, then it comes back */
	assert_int_equal(rte_eth_xstats_reset(fo), 0);
	check_zero(fo);
	memset(&e, 0, sizeof(e));
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);
	vf = vf_probe("net_testvf1", "net_testvf1");
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	e.attach++;
	e.to_vf++;
	traffic(fo, syn, vf, &e);
	check_expect(fo, &e);
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	v1 = info.counters.vf_attach;
	assert_int_equal(v1, 1);

	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

/* info_get refuses what is not a failover port. */
static void
test_info_errors(void **state)
{
	struct rte_pmd_failover_info info;
	uint16_t fo, syn;

	(void)state;
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_testvf0",
		&fo), 0);
	syn = fo_test_port_of("net_testvf0");
	assert_int_equal(rte_pmd_failover_info_get(fo, NULL), -EINVAL);
	assert_int_equal(rte_pmd_failover_info_get(syn, &info), -EINVAL);
	assert_int_equal(rte_pmd_failover_info_get(RTE_MAX_ETHPORTS - 1,
		&info), -ENODEV);
	/* No VF given, none yet: nothing to report about one. */
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.vf_port, RTE_PMD_FAILOVER_NO_PORT);
	assert_string_equal(info.state, "SYNTHETIC_ONLY");
	assert_int_equal(info.active_path, RTE_PMD_FAILOVER_PATH_SYNTHETIC);
	assert_int_equal(info.last_event_ns, 0);
	assert_string_equal(info.last_reason, "");
	assert_int_equal(info.counters.vf_attach, 0);
	assert_int_equal(info.size, sizeof(info));
	assert_int_equal(rte_pmd_failover_info_get_sized(fo, &info,
		RTE_PMD_FAILOVER_INFO_MIN_SIZE - 1), -EINVAL);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	assert_int_equal(rte_eth_dev_count_total(), 0);
}

/*
 * A caller built with an older header (fewer counters) or a newer one
 * (more): each gets what both know of, nothing is written beyond its
 * structure, and what the PMD does not know of reads 0.
 */
static void
test_info_sizes(void **state)
{
	const size_t older = offsetof(struct rte_pmd_failover_info,
		counters.switch_to_vf);
	unsigned char buf[sizeof(struct rte_pmd_failover_info) + 32];
	struct rte_pmd_failover_info *in = (void *)buf;
	unsigned int i;
	uint16_t fo;

	(void)state;
	assert_int_equal(fo_test_probe("net_failover0,synthetic=net_testvf0",
		&fo), 0);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(rte_pmd_failover_info_get_sized(fo, in, older), 0);
	assert_int_equal(in->size, older);
	assert_string_equal(in->state, "SYNTHETIC_ONLY");
	assert_int_equal(in->counters.switches, 0);
	for (i = older; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);

	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(rte_pmd_failover_info_get_sized(fo, in,
		sizeof(buf)), 0);
	assert_int_equal(in->size, sizeof(*in));
	assert_int_equal(in->vf_port, RTE_PMD_FAILOVER_NO_PORT);
	for (i = sizeof(*in); i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
}

static int
cleanup(void **state)
{
	static const char *const names[] = {
		"net_failover0", "net_testvf1", "net_testvf6", "net_memif0",
		"net_memif1",
		"net_testvf0",
	};

	(void)state;
	fo_test_remove_all(names, RTE_DIM(names));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_counts_exact_across_churn,
			cleanup),
		cmocka_unit_test_teardown(test_xstats_ids_stable_across_models,
			cleanup),
		cmocka_unit_test_teardown(test_reset, cleanup),
		cmocka_unit_test_teardown(test_info_errors, cleanup),
		cmocka_unit_test_teardown(test_info_sizes, cleanup),
	};

	(void)argc;
	return fo_test_main(argv[0], "stats", tests, RTE_DIM(tests));
}
