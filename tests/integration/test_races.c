/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Race injection at the seams of the sub-port life cycle. The driver is
 * the test-only build with race points (failover_race.h): a test parks
 * one actor (the control thread, a callback, a close) at a named point,
 * lets another run, then lets the first go on. Each test failed on the
 * code before the single sub-port record (a00b4b0):
 *
 * - claim_dies_before_adoption: a VF removed between its NEW claim and
 *   its adoption left a "dropped" mark that kept the next VF out of the
 *   path (state VF_ACTIVE, traffic on synthetic);
 * - reprobe_same_port_id: the queued DESTROY of a dead VF matched the new
 *   VF probed at the same port id and marked it gone;
 * - quarantine: a callback waited without bound for a burst stuck in the
 *   VF (the interrupt thread hung); now it gives up after 100 ms, keeps
 *   the VF aside and releases it once the burst is gone;
 * - stats_during_close: stats/xstats/info on another thread while the
 *   port closes touched freed queues and a destroyed lock;
 * - synthetic_leaves_and_returns: removing the synthetic device crashed
 *   the data path (its freed queues kept being polled); now traffic stays
 *   on the VF and the synthetic port comes back with the configuration;
 * - port_id_reuse: a port that got the synthetic port's freed id was
 *   stopped and closed by the failover port's close.
 */

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "failover_private.h"
#include "failover_race.h"
#include "fo_test.h"
#include "rte_pmd_failover.h"
#include "testvf.h"

#define FO_DEVARGS "net_failover0,synthetic=net_testvf0,vf=net_testvf1," \
	"vf_settle_ms=20,probe_interval_ms=50"

/* ----------------------------------------------------------------------
 * Parking an actor
 * ---------------------------------------------------------------------- */

struct park {
	const char *point;	/* where to park; NULL: nowhere */
	unsigned int skip;	/* hits to let through first */
	bool parked;		/* an actor waits there */
	bool release;		/* let it go */
	unsigned int hits;
};

static struct park park;

/*
 * ethdev itself cannot take a stats call racing with the release of the
 * port it names (rte_eth_stats_get() reads the ops that
 * rte_eth_dev_release_port() clears): the hammer below keeps out of that
 * window only, which opens when our close is done ("closed") and shuts
 * when rte_eth_dev_close() returns. Everything of our close runs
 * concurrently with it.
 */
static pthread_rwlock_t release_window = PTHREAD_RWLOCK_INITIALIZER;
static bool hammering;

static void
race_hook(const char *point, uint16_t port, void *arg)
{
	struct park *p = arg;
	const char *want = __atomic_load_n(&p->point, __ATOMIC_ACQUIRE);

	(void)port;
	if (strcmp(point, "closed") == 0 &&
	    __atomic_load_n(&hammering, __ATOMIC_ACQUIRE))
		pthread_rwlock_wrlock(&release_window);
	if (want == NULL || strcmp(point, want) != 0)
		return;
	if (__atomic_fetch_add(&p->hits, 1, __ATOMIC_ACQ_REL) < p->skip)
		return;
	/* One actor parks; the point is disarmed for the others. */
	if (!__atomic_compare_exchange_n(&p->point, &want, NULL, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&p->parked, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&p->release, __ATOMIC_ACQUIRE))
		usleep(1000);
	__atomic_store_n(&p->parked, false, __ATOMIC_RELEASE);
}

static void
park_at(const char *point, unsigned int skip)
{
	park.skip = skip;
	park.hits = 0;
	park.release = false;
	park.parked = false;
	__atomic_store_n(&park.point, point, __ATOMIC_RELEASE);
}

static bool
is_parked(void *arg)
{
	(void)arg;
	return __atomic_load_n(&park.parked, __ATOMIC_ACQUIRE);
}

static void
unpark(void)
{
	__atomic_store_n(&park.point, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&park.release, true, __ATOMIC_RELEASE);
}

/* ----------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

static uint16_t
start_port(const char *devargs)
{
	uint16_t fo;

	assert_int_equal(fo_test_probe(devargs, &fo), 0);
	assert_int_equal(fo_test_port_start(fo, 1), 0);
	return fo;
}

/* rte_eth_dev_close(), shutting the window the "closed" point opened. */
static int
close_fo(uint16_t fo)
{
	int ret = rte_eth_dev_close(fo);

	if (__atomic_load_n(&hammering, __ATOMIC_ACQUIRE))
		pthread_rwlock_unlock(&release_window);
	return ret;
}

static void
close_port(uint16_t fo)
{
	unpark();
	rte_eth_dev_stop(fo);
	assert_int_equal(close_fo(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
}

static bool
state_is(uint16_t fo, const char *state)
{
	struct rte_pmd_failover_info info;

	return rte_pmd_failover_info_get(fo, &info) == 0 &&
		strcmp(info.state, state) == 0;
}

struct state_wait {
	uint16_t fo;
	const char *state;
};

static bool
state_reached(void *arg)
{
	const struct state_wait *w = arg;

	return state_is(w->fo, w->state);
}

static bool
wait_state(uint16_t fo, const char *state, unsigned int ms)
{
	struct state_wait w = { .fo = fo, .state = state };

	return fo_test_wait(state_reached, &w, ms);
}

/* Send one burst through the failover port; how many left by @p sub. */
static unsigned int
tx_reaches(uint16_t fo, uint16_t sub)
{
	struct rte_mbuf *pkts[8];
	unsigned int before, sent;

	before = testvf_tx_pending(sub, 0);
	assert_int_equal(fo_test_make_pkts(pkts, 8, 0, 1), 0);
	sent = rte_eth_tx_burst(fo, 0, pkts, 8);
	rte_pktmbuf_free_bulk(pkts + sent, 8 - sent);
	return testvf_tx_pending(sub, 0) - before;
}

/* ----------------------------------------------------------------------
 * Tests
 * ---------------------------------------------------------------------- */

static void
test_claim_dies_before_adoption(void **state)
{
	uint16_t fo, vf;

	(void)state;
	fo = start_port(FO_DEVARGS);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));

	/*
	 * The VF goes; the PMD probes it again on its timer, its NEW claims
	 * it, and the control thread parks before adopting it.
	 */
	park_at("wait_attached", 0);
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	assert_true(fo_test_wait(is_parked, NULL, 3000));
	vf = fo_test_port_of("net_testvf1");
	assert_int_not_equal(vf, UINT16_MAX);
	/* A third party removes the claimed port before its adoption. */
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	unpark();

	/* The next VF is taken and really used. */
	assert_true(wait_state(fo, "VF_ACTIVE", 5000));
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	assert_int_not_equal(vf, UINT16_MAX);
	assert_int_equal(tx_reaches(fo, vf), 8);
	close_port(fo);
}

static void
test_reprobe_same_port_id(void **state)
{
	struct rte_pmd_failover_info info;
	uint16_t fo, vf, vf2;

	(void)state;
	fo = start_port(FO_DEVARGS);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");

	/* The control thread parks at its next round (the link poll). */
	park_at("ctl_round", 0);
	assert_true(fo_test_wait(is_parked, NULL, 3000));
	/* Meanwhile the VF is removed and another probed at its port id. */
	assert_int_equal(fo_test_remove("net_testvf1"), 0);
	assert_int_equal(fo_test_probe("net_testvf1,mac=02:00:00:00:00:77",
		&vf2), 0);
	assert_int_equal(vf2, vf);
	unpark();

	/* The dead VF's events never hit the new one: it is adopted. */
	assert_true(wait_state(fo, "VF_ACTIVE", 5000));
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.vf_port, vf2);
	assert_int_equal(tx_reaches(fo, vf2), 8);
	close_port(fo);
}

static void
test_quarantine(void **state)
{
	struct rte_pmd_failover_info info;
	struct failover_priv *priv;
	struct failover_rxq *rxq;
	uint64_t t0;
	uint16_t fo, vf;

	(void)state;
	fo = start_port(FO_DEVARGS);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	priv = rte_eth_devices[fo].data->dev_private;
	rxq = priv->rxqs[0];

	/* A burst in flight that does not leave: this thread, parked. */
	failover_handoff_enter(rxq->handoff, &rxq->reader);
	t0 = failover_test_now_ms();
	/* RMV: the interrupt thread's hand-off wait must give up. */
	assert_int_equal(testvf_raise_rmv_sync(vf), 0);
	assert_true(failover_test_now_ms() - t0 < 2000);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_SYNTHETIC,
		100));
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.counters.quarantined, 1);
	/* Kept aside: not closed while the burst may be in it. */
	usleep(200 * 1000);
	assert_int_equal(fo_test_port_of("net_testvf1"), vf);

	/* The burst leaves: the VF is released, then comes back. */
	failover_handoff_leave(&rxq->reader);
	assert_true(wait_state(fo, "VF_ACTIVE", 5000));
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_true(info.counters.vf_detach >= 1);
	close_port(fo);
}

struct detacher {
	uint16_t port;
	int ret;
	bool done;
};

static void *
detach_main(void *arg)
{
	struct detacher *d = arg;

	d->ret = rte_pmd_failover_vf_detach(d->port);
	__atomic_store_n(&d->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The same on the graceful path: the drain's end gives the VF up while a
 * burst stays in it. rte_pmd_failover_vf_detach() returns only once the
 * VF is really released, after the burst left.
 */
static void
test_quarantine_on_detach(void **state)
{
	struct rte_pmd_failover_info info;
	struct failover_priv *priv;
	struct failover_rxq *rxq;
	struct detacher d = { 0 };
	pthread_t th;
	uint16_t fo, vf;

	(void)state;
	fo = start_port(FO_DEVARGS);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	priv = rte_eth_devices[fo].data->dev_private;
	rxq = priv->rxqs[0];

	failover_handoff_enter(rxq->handoff, &rxq->reader);
	d.port = fo;
	assert_int_equal(pthread_create(&th, NULL, detach_main, &d), 0);
	/* Drain (200 ms at most: nobody polls), then a 100 ms wait. */
	usleep(600 * 1000);
	assert_false(__atomic_load_n(&d.done, __ATOMIC_ACQUIRE));
	assert_int_equal(fo_test_port_of("net_testvf1"), vf);
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.counters.quarantined, 1);

	failover_handoff_leave(&rxq->reader);
	pthread_join(th, NULL);
	assert_int_equal(d.ret, 0);
	/* Released when it returned; vf= brings a VF back, used again. */
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.counters.vf_detach, 1);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	close_port(fo);
}

struct hammer {
	bool stop;
	uint64_t calls;
	uint64_t bad;
};

static void *
hammer_main(void *arg)
{
	struct hammer *h = arg;
	struct rte_pmd_failover_info info;
	struct rte_eth_xstat xs[64];
	struct rte_eth_dev_info dinfo;
	struct rte_eth_stats st;
	uint16_t p;
	int ret;

	/*
	 * The failover port only (probed first, it is always port 0): the
	 * sub-ports' own PMDs are not ours to test for this.
	 */
	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		for (p = 0; p < 1; p++) {
			pthread_rwlock_rdlock(&release_window);
			if (!rte_eth_dev_is_valid_port(p)) {
				pthread_rwlock_unlock(&release_window);
				continue;
			}
			ret = rte_eth_stats_get(p, &st);
			if (ret != 0 && ret != -ENODEV)
				h->bad++;
			rte_eth_xstats_get(p, xs, RTE_DIM(xs));
			/* Any answer will do, an error too. */
			ret = rte_eth_dev_info_get(p, &dinfo);
			RTE_SET_USED(ret);
			ret = rte_pmd_failover_info_get(p, &info);
			if (ret != 0 && ret != -ENODEV && ret != -EINVAL)
				h->bad++;
			h->calls++;
			pthread_rwlock_unlock(&release_window);
		}
	}
	return NULL;
}

static void *
closer_main(void *arg)
{
	uint16_t fo = *(uint16_t *)arg;

	rte_eth_dev_stop(fo);
	*(int *)((uint16_t *)arg + 2) = close_fo(fo);
	return NULL;
}

static void
test_stats_during_close(void **state)
{
	struct hammer h = { 0 };
	uint16_t arg[4];
	pthread_t th, closer;
	unsigned int i;
	uint16_t fo;

	(void)state;
	__atomic_store_n(&hammering, true, __ATOMIC_RELEASE);
	assert_int_equal(pthread_create(&th, NULL, hammer_main, &h), 0);
	for (i = 0; i < 30; i++) {
		fo = start_port(FO_DEVARGS);
		if (i % 3 == 0)
			fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000);
		if (i == 0) {
			/*
			 * Park the close itself, lock held, while the stats
			 * keep coming; they wait, then find the port closed.
			 */
			park_at("close", 0);
			arg[0] = fo;
			assert_int_equal(pthread_create(&closer, NULL,
				closer_main, arg), 0);
			assert_true(fo_test_wait(is_parked, NULL, 3000));
			usleep(50 * 1000);
			unpark();
			pthread_join(closer, NULL);
			assert_int_equal(*(int *)(arg + 2), 0);
			assert_int_equal(fo_test_remove("net_failover0"), 0);
			continue;
		}
		close_port(fo);
	}
	__atomic_store_n(&h.stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	__atomic_store_n(&hammering, false, __ATOMIC_RELEASE);
	assert_true(h.calls > 0);
	assert_int_equal(h.bad, 0);
}

static void
test_synthetic_leaves_and_returns(void **state)
{
	struct rte_pmd_failover_info info;
	struct testvf_config cfg;
	struct rte_mbuf *pkts[16];
	uint16_t fo, vf, syn, syn2;
	unsigned int n;

	(void)state;
	fo = start_port(FO_DEVARGS);
	assert_true(fo_test_wait_path(fo, RTE_PMD_FAILOVER_PATH_VF, 3000));
	vf = fo_test_port_of("net_testvf1");
	syn = fo_test_port_of("net_testvf0");
	assert_int_equal(rte_eth_dev_set_mtu(fo, 1400), 0);

	/* A third party removes the synthetic device under us. */
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	/* Traffic keeps flowing on the VF, both ways. */
	assert_int_equal(tx_reaches(fo, vf), 8);
	assert_int_equal(fo_test_make_pkts(pkts, 8, 100, 2), 0);
	assert_int_equal(testvf_rx_inject(vf, 0, pkts, 8), 8);
	n = fo_test_rx_all(fo, 0, pkts, RTE_DIM(pkts), 50);
	assert_int_equal(n, 8);
	rte_pktmbuf_free_bulk(pkts, n);
	assert_int_equal(rte_pmd_failover_active_path(fo),
		RTE_PMD_FAILOVER_PATH_VF);
	/* Configuration goes on while it is away. */
	assert_int_equal(rte_eth_promiscuous_enable(fo), 0);

	/* It is probed again and set up like the port. */
	for (n = 0; n < 300; n++) {
		assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
		if (info.counters.synthetic_attach == 1)
			break;
		usleep(10 * 1000);
	}
	assert_int_equal(info.counters.synthetic_detach, 1);
	assert_int_equal(info.counters.synthetic_attach, 1);
	syn2 = fo_test_port_of("net_testvf0");
	assert_int_not_equal(syn2, UINT16_MAX);
	assert_int_equal(info.synthetic_port, syn2);
	assert_int_equal(testvf_get_config(syn2, &cfg), 0);
	assert_int_equal(cfg.mtu, 1400);
	assert_true(cfg.promiscuous);
	assert_true(cfg.started);
	(void)syn;

	/* And used again: pinned to synthetic, Tx leaves there. */
	assert_int_equal(rte_pmd_failover_switch(fo,
		RTE_PMD_FAILOVER_PATH_SYNTHETIC), 0);
	assert_int_equal(tx_reaches(fo, syn2), 8);
	close_port(fo);
}

/* A synthetic device probed again by someone else is claimed on NEW. */
static void
test_synthetic_claimed_on_new(void **state)
{
	struct rte_pmd_failover_info info;
	uint16_t fo, syn;
	unsigned int n;

	(void)state;
	fo = start_port("net_failover0,synthetic=net_testvf0,vf=net_testvf1,"
		"vf_settle_ms=20,probe_interval_ms=100000");
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	assert_int_equal(fo_test_probe("net_testvf0", &syn), 0);
	for (n = 0; n < 300; n++) {
		assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
		if (info.counters.synthetic_attach == 1)
			break;
		usleep(10 * 1000);
	}
	assert_int_equal(info.counters.synthetic_attach, 1);
	assert_int_equal(info.synthetic_port, syn);
	/* Claimed: the application does not see it. */
	assert_int_equal(fo_test_visible_ports(), 1);
	close_port(fo);
	/* Adopted, not probed by us: given back. */
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
}

static void
test_synthetic_gone_without_vf(void **state)
{
	struct rte_pmd_failover_info info;
	struct rte_mbuf *pkts[8];
	uint16_t fo;
	unsigned int n;

	(void)state;
	fo = start_port("net_failover0,synthetic=net_testvf0,"
		"probe_interval_ms=10000");
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	/* No path left: Tx sends nothing, Rx returns nothing, no crash. */
	assert_int_equal(fo_test_make_pkts(pkts, 8, 0, 1), 0);
	assert_int_equal(rte_eth_tx_burst(fo, 0, pkts, 8), 0);
	rte_pktmbuf_free_bulk(pkts, 8);
	n = rte_eth_rx_burst(fo, 0, pkts, 8);
	assert_int_equal(n, 0);
	assert_int_equal(rte_pmd_failover_info_get(fo, &info), 0);
	assert_int_equal(info.counters.tx_no_path, 8);
	close_port(fo);
}

struct closer {
	uint16_t port;
	int ret;
};

static void *
close_main(void *arg)
{
	struct closer *c = arg;

	c->ret = rte_eth_dev_close(c->port);
	return NULL;
}

/* The port that took the synthetic port's id is as its owner left it. */
static void
other_survived(uint16_t other)
{
	assert_int_equal(fo_test_port_of("net_testvf7"), other);
	assert_int_equal(rte_eth_devices[other].data->dev_started, 1);
	assert_int_equal(rte_eth_dev_stop(other), 0);
	assert_int_equal(rte_eth_dev_close(other), 0);
	assert_int_equal(fo_test_remove("net_testvf7"), 0);
}

static void
test_port_id_reuse(void **state)
{
	struct closer c;
	pthread_t th;
	uint16_t fo, syn, other;

	(void)state;
	/* 1. The synthetic device goes, another gets its port id. */
	fo = start_port("net_failover0,synthetic=net_testvf0,"
		"probe_interval_ms=10000");
	syn = fo_test_port_of("net_testvf0");
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	assert_int_equal(fo_test_probe("net_testvf7", &other), 0);
	assert_int_equal(other, syn);
	assert_int_equal(fo_test_port_start(other, 1), 0);
	/* Closing the failover port leaves that port alone. */
	assert_int_equal(rte_eth_dev_close(fo), 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	other_survived(other);

	/*
	 * 2. The same inside the close itself: the close parks just before
	 * it gives the synthetic port back (its callbacks already gone, so
	 * no event tells it); meanwhile the synthetic device is removed and
	 * its id taken by another port. Only the ownership check stands
	 * between the close and that port.
	 */
	fo = start_port("net_failover0,synthetic=net_testvf0,"
		"probe_interval_ms=10000");
	syn = fo_test_port_of("net_testvf0");
	assert_int_equal(rte_eth_dev_stop(fo), 0);
	park_at("release", 0);
	c.port = fo;
	c.ret = -1;
	assert_int_equal(pthread_create(&th, NULL, close_main, &c), 0);
	assert_true(fo_test_wait(is_parked, NULL, 3000));
	assert_int_equal(fo_test_remove("net_testvf0"), 0);
	assert_int_equal(fo_test_probe("net_testvf7", &other), 0);
	assert_int_equal(other, syn);
	assert_int_equal(fo_test_port_start(other, 1), 0);
	unpark();
	pthread_join(th, NULL);
	assert_int_equal(c.ret, 0);
	assert_int_equal(fo_test_remove("net_failover0"), 0);
	other_survived(other);
}

static bool
sigbus_handled(void)
{
	struct sigaction cur;

	assert_int_equal(sigaction(SIGBUS, NULL, &cur), 0);
	return (cur.sa_flags & SA_SIGINFO) ? cur.sa_sigaction != NULL :
		cur.sa_handler != SIG_DFL;
}

static void
app_sigbus(int sig)
{
	(void)sig;
}

/*
 * EAL hot-plug handling (its SIGBUS handler) is one switch for the
 * process: failover ports share it with a reference count, and never
 * turn off what was on before them.
 */
static void
test_hotplug_refcount(void **state)
{
	struct sigaction app = { .sa_handler = app_sigbus };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct sigaction cmocka_handler, cur;

	(void)state;
	/* cmocka catches SIGBUS around each test: take it aside meanwhile. */
	assert_int_equal(sigaction(SIGBUS, &dfl, &cmocka_handler), 0);
	if (failover_hotplug_get() != 0) {
		sigaction(SIGBUS, &cmocka_handler, NULL);
		print_message("no EAL hot-plug monitor here (uevent socket): skipped\n");
		skip();
	}
	assert_true(sigbus_handled());
	assert_int_equal(failover_hotplug_get(), 0);
	failover_hotplug_put();
	/* One user left: still on. */
	assert_true(sigbus_handled());
	failover_hotplug_put();
	assert_false(sigbus_handled());

	/* The application's own handler was there first: left alone. */
	assert_int_equal(sigaction(SIGBUS, &app, NULL), 0);
	assert_int_equal(failover_hotplug_get(), 0);
	failover_hotplug_put();
	assert_int_equal(sigaction(SIGBUS, NULL, &cur), 0);
	assert_true(cur.sa_handler == app_sigbus);
	assert_int_equal(sigaction(SIGBUS, &cmocka_handler, NULL), 0);
}

static int
teardown(void **state)
{
	static const char *const names[] = {
		"net_failover0", "net_testvf0", "net_testvf1", "net_testvf7",
	};

	(void)state;
	unpark();
	fo_test_remove_all(names, RTE_DIM(names));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_claim_dies_before_adoption,
			teardown),
		cmocka_unit_test_teardown(test_reprobe_same_port_id, teardown),
		cmocka_unit_test_teardown(test_quarantine, teardown),
		cmocka_unit_test_teardown(test_quarantine_on_detach, teardown),
		cmocka_unit_test_teardown(test_stats_during_close, teardown),
		cmocka_unit_test_teardown(test_synthetic_leaves_and_returns,
			teardown),
		cmocka_unit_test_teardown(test_synthetic_claimed_on_new,
			teardown),
		cmocka_unit_test_teardown(test_synthetic_gone_without_vf,
			teardown),
		cmocka_unit_test_teardown(test_port_id_reuse, teardown),
		cmocka_unit_test(test_hotplug_refcount),
	};

	(void)argc;
	/* FO_TEST_FILTER=test_port_id_reuse runs one test (cmocka glob). */
	if (getenv("FO_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("FO_TEST_FILTER"));
	failover_race_hook_set(race_hook, &park);
	return fo_test_main(argv[0], "test_races", tests, RTE_DIM(tests));
}
