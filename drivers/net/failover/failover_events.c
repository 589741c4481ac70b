/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Sub-port events, the control thread and the execution of the state
 * machine's actions.
 *
 * Callbacks (EAL interrupt thread, or whichever thread probes or destroys
 * a port) never take priv->lock. A VF that is going away is dropped from
 * the active path inside the callback (a hand-off under publish_lock), so
 * that by the time the callback returns no burst can use it; everything
 * else (stop, close, re-probe, replay) is queued for the control thread.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "failover_private.h"

/*
 * A drain ends when every Rx queue has polled the VF empty, or has not
 * been polled at all for FO_DRAIN_IDLE_CHECKS checks in a row (nobody is
 * there to receive what it holds), or after FO_DRAIN_MAX_NS whatever.
 */
#define FO_DRAIN_MAX_NS		(200ull * 1000 * 1000)
#define FO_DRAIN_CHECK_NS	(1ull * 1000 * 1000)
#define FO_DRAIN_IDLE_CHECKS	20
#define FO_MS			(1000ull * 1000)

/* ----------------------------------------------------------------------
 * Event queue: callbacks -> control thread
 * ---------------------------------------------------------------------- */

static void
fo_evq_push(struct failover_priv *priv, enum failover_input type,
		uint16_t port_id, uint32_t ident)
{
	unsigned int tail;

	pthread_mutex_lock(&priv->evq_lock);
	if (priv->evq_len == FO_EVQ_SIZE) {
		priv->evq_dropped++;
	} else {
		tail = (priv->evq_head + priv->evq_len) % FO_EVQ_SIZE;
		priv->evq[tail].type = type;
		priv->evq[tail].port_id = port_id;
		priv->evq[tail].ident = ident;
		priv->evq_len++;
	}
	pthread_cond_signal(&priv->ctl_cond);
	pthread_mutex_unlock(&priv->evq_lock);
}

void
failover_ctl_kick(struct failover_priv *priv)
{
	pthread_mutex_lock(&priv->evq_lock);
	priv->ctl_kicked = true;
	pthread_cond_signal(&priv->ctl_cond);
	pthread_mutex_unlock(&priv->evq_lock);
}

/* ----------------------------------------------------------------------
 * Publishing the active path
 * ---------------------------------------------------------------------- */

enum fo_publish_mode {
	FO_PUB_VF,		/* Tx VF, Rx VF + synthetic */
	FO_PUB_SYNTHETIC,	/* Tx synthetic, Rx VF + synthetic */
	FO_PUB_NO_VF,		/* Tx synthetic, Rx synthetic */
};

static enum rte_pmd_failover_path
fo_word_path(uint32_t word)
{
	return (word & FO_PATH_VF_TX) ? RTE_PMD_FAILOVER_PATH_VF :
		RTE_PMD_FAILOVER_PATH_SYNTHETIC;
}

static const char *
fo_path_name(enum rte_pmd_failover_path p)
{
	return p == RTE_PMD_FAILOVER_PATH_VF ? "VF" : "synthetic";
}

/*
 * Publish a new word and wait until no burst can use the old one. Called
 * with publish_lock held. Returns whether the Tx path changed; the caller
 * notifies after unlocking.
 */
static bool
fo_publish_locked(struct failover_priv *priv, uint32_t word,
		const char *reason, struct rte_pmd_failover_path_event *ev)
{
	uint32_t old = failover_handoff_value(&priv->handoff);
	uint64_t t0, t1;

	if (old == word)
		return false;
	t0 = failover_now_ns();
	/*
	 * Wait for the bursts only when a sub-port leaves the data path (the
	 * VF no longer polled: it may be stopped or freed next), or when the
	 * application was promised a completed hand-off. A word that only
	 * adds the VF, or only moves Tx while both stay polled, takes effect
	 * burst by burst with nothing to reclaim.
	 */
	if (((old & FO_PATH_VF_RX) && !(word & FO_PATH_VF_RX)) ||
	    priv->sync_publish)
		failover_handoff_switch(&priv->handoff, word, 0);
	else
		failover_handoff_publish(&priv->handoff, word);
	t1 = failover_now_ns();

	ev->from = fo_word_path(old);
	ev->to = fo_word_path(word);
	ev->reason = reason;
	ev->latency_ns = t1 - t0;
	if (ev->from == ev->to)
		return false;

	priv->cnt.switches++;
	priv->cnt.last_switch_latency_ns = ev->latency_ns;
	if (ev->to == RTE_PMD_FAILOVER_PATH_VF) {
		priv->cnt.switch_to_vf++;
		priv->vf_active_since_ns = t1;
	} else {
		priv->cnt.switch_to_synthetic++;
		priv->time_on_vf_ns += t1 - priv->vf_active_since_ns;
	}
	snprintf(priv->last_reason, sizeof(priv->last_reason), "%s", reason);
	priv->last_event_ns = t1;
	return true;
}

static void
fo_notify(struct failover_priv *priv,
		const struct rte_pmd_failover_path_event *ev)
{
	struct failover_path_cb cbs[FO_MAX_PATH_CBS];
	unsigned int i;

	FO_LOG(INFO, "port %u: Tx path %s -> %s: %s (hand-off %" PRIu64 " ns)",
		priv->port_id, fo_path_name(ev->from), fo_path_name(ev->to),
		ev->reason, ev->latency_ns);
	pthread_mutex_lock(&priv->publish_lock);
	memcpy(cbs, priv->path_cbs, sizeof(cbs));
	pthread_mutex_unlock(&priv->publish_lock);
	for (i = 0; i < FO_MAX_PATH_CBS; i++)
		if (cbs[i].fn != NULL)
			cbs[i].fn(priv->port_id, ev, cbs[i].arg);
}

static void
fo_publish(struct failover_priv *priv, enum fo_publish_mode mode,
		const char *reason)
{
	struct rte_pmd_failover_path_event ev;
	uint32_t word;
	bool changed;

	pthread_mutex_lock(&priv->publish_lock);
	if (mode == FO_PUB_NO_VF)
		priv->data_vf = FO_NO_PORT;
	else if (priv->vf.port_id != FO_NO_PORT && !priv->vf.gone &&
		 !priv->vf_dropped)
		priv->data_vf = priv->vf.port_id;
	/* A callback may have dropped the VF: never bring it back here. */
	if (priv->data_vf == FO_NO_PORT)
		word = FO_PATH_SYNTHETIC;
	else if (mode == FO_PUB_VF)
		word = FO_PATH_VF;
	else
		word = FO_PATH_VF_RX;
	changed = fo_publish_locked(priv, word, reason, &ev);
	pthread_mutex_unlock(&priv->publish_lock);
	if (changed)
		fo_notify(priv, &ev);
}

/*
 * From a callback: the VF @p port is going away. Take it out of the path
 * now, before returning to whoever is about to free it.
 */
static void
fo_drop_vf(struct failover_priv *priv, uint16_t port, const char *reason)
{
	struct rte_pmd_failover_path_event ev;
	bool changed = false;

	pthread_mutex_lock(&priv->publish_lock);
	priv->vf_dropped = true;
	if (priv->data_vf == port) {
		priv->data_vf = FO_NO_PORT;
		changed = fo_publish_locked(priv, FO_PATH_SYNTHETIC, reason,
			&ev);
	}
	pthread_mutex_unlock(&priv->publish_lock);
	if (changed)
		fo_notify(priv, &ev);
}

static bool fo_new_port_is_vf(struct failover_priv *priv, uint16_t port_id);

/* ----------------------------------------------------------------------
 * Guard of the VF's stop and close
 *
 * The VF is ours, but nothing stops a third party from stopping or
 * closing it (testpmd "port stop"/"port close", rte_dev_remove() of a
 * driver whose removal goes through ethdev). While we hold the VF its ops
 * table is a copy whose dev_stop and dev_close first take the VF out of
 * the data path (a hand-off), so no burst is inside the VF when its driver
 * stops or frees its queues. (ethdev points the port's fp_ops at dummies
 * before calling dev_stop; our bursts do not go through fp_ops, see
 * failover_capture_fp().) Our own stop and close of the VF run with
 * fo_own_vf_op set and go straight through. Drivers whose removal calls
 * their own close directly bypass this; the DESTROY callback then takes
 * the VF out, before the port's memory is freed but after the driver's
 * close has run.
 * ---------------------------------------------------------------------- */

static __thread bool fo_own_vf_op;

/*
 * Per port: the VF's own ops, the guarded copy installed in their place,
 * and the failover device guarding it (NULL once it let go). Static, not
 * in the failover device: a port stopped by a third party keeps pointing
 * at the copy after the failover device is gone, and then just passes
 * through to the driver.
 */
struct fo_guard {
	struct eth_dev_ops ops;
	const struct eth_dev_ops *orig;
	struct failover_priv *priv;	/* atomic accesses */
};

static struct fo_guard fo_guards[RTE_MAX_ETHPORTS];

void
failover_own_vf_op(bool on)
{
	fo_own_vf_op = on;
}

static void
fo_guard_hit(struct failover_priv *priv, uint16_t port,
		enum failover_input type, const char *reason)
{
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t id = __atomic_load_n(&priv->cb_vf, __ATOMIC_ACQUIRE);

	if (FO_IDENT_PORT(id) != port)
		return;
	/*
	 * Release: the control thread, seeing this, never touches the
	 * closed port again (its id may already belong to another device).
	 */
	if (type == FO_IN_VF_CLOSED)
		__atomic_store_n(&priv->vf_closed, id, __ATOMIC_RELEASE);
	fo_drop_vf(priv, port, reason);
	/* Out of the path now: its counters are final, keep them. */
	failover_stats_snapshot_vf(priv, port);
	fo_evq_push(priv, type, port, id);
}

static int
fo_vf_guard_stop(struct rte_eth_dev *dev)
{
	struct fo_guard *g = &fo_guards[dev->data->port_id];
	/* Acquire: pairs with the release in failover_vf_guard(). */
	struct failover_priv *priv = __atomic_load_n(&g->priv,
		__ATOMIC_ACQUIRE);

	if (priv != NULL && !fo_own_vf_op)
		fo_guard_hit(priv, dev->data->port_id, FO_IN_VF_TAKEN,
			"VF stopped by a third party");
	return g->orig->dev_stop(dev);
}

static int
fo_vf_guard_close(struct rte_eth_dev *dev)
{
	struct fo_guard *g = &fo_guards[dev->data->port_id];
	struct failover_priv *priv = __atomic_load_n(&g->priv,
		__ATOMIC_ACQUIRE);

	if (priv != NULL && !fo_own_vf_op)
		fo_guard_hit(priv, dev->data->port_id, FO_IN_VF_CLOSED,
			"VF closed by a third party");
	/* Closed: the port's ops are its driver's own again. */
	dev->dev_ops = g->orig;
	return g->orig->dev_close(dev);
}

/*
 * Wrap (@p on) or unwrap the VF's stop and close. priv->lock held; the
 * port is not being closed by us at the same time.
 */
void
failover_vf_guard(struct failover_priv *priv, uint16_t port, bool on)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port];
	struct fo_guard *g = &fo_guards[port];

	if (on) {
		if (dev->dev_ops == NULL || dev->dev_ops->dev_stop == NULL ||
		    dev->dev_ops->dev_close == NULL)
			return;
		if (dev->dev_ops != &g->ops) {
			g->orig = dev->dev_ops;
			g->ops = *dev->dev_ops;
			g->ops.dev_stop = fo_vf_guard_stop;
			g->ops.dev_close = fo_vf_guard_close;
		}
		/* Release: a guard that finds priv finds the table set up. */
		__atomic_store_n(&g->priv, priv, __ATOMIC_RELEASE);
		dev->dev_ops = &g->ops;
		return;
	}
	if (__atomic_load_n(&g->priv, __ATOMIC_ACQUIRE) != priv)
		return;
	__atomic_store_n(&g->priv, NULL, __ATOMIC_RELEASE);
	/* A port someone else stopped or closed keeps what it has. */
	if (!priv->vf.gone && dev->dev_ops == &g->ops)
		dev->dev_ops = g->orig;
}

/* ----------------------------------------------------------------------
 * State machine actions
 * ---------------------------------------------------------------------- */

static void
fo_update_cb_view(struct failover_priv *priv)
{
	bool want = !failover_sm_holds_vf(priv->sm.state) &&
		(priv->args.has_vf ||
		 priv->args.vf_match == FAILOVER_VF_MATCH_MAC);

	/*
	 * Release: a callback that sees want_vf also sees the cleared
	 * cb_vf stored before it.
	 */
	__atomic_store_n(&priv->cb_want_vf, want, __ATOMIC_RELEASE);
}

static void
fo_start_drain(struct failover_priv *priv)
{
	uint16_t nb = priv->dev->data->nb_rx_queues;
	uint64_t now = failover_now_ns();
	uint16_t i;

	rte_free(priv->drain_marks);
	priv->drain_marks = rte_zmalloc("failover_drain",
			sizeof(uint64_t) * 3 * (nb ? nb : 1), 0);
	priv->drain_seq = priv->drain_marks ? priv->drain_marks + nb : NULL;
	priv->drain_idle = priv->drain_marks ? priv->drain_seq + nb : NULL;
	for (i = 0; i < nb && priv->drain_marks != NULL; i++) {
		if (priv->rxqs[i] == NULL)
			continue;
		/* Relaxed: only the values matter, compared later. */
		priv->drain_marks[i] = __atomic_load_n(
			&priv->rxqs[i]->cnt.vf_empty_polls, __ATOMIC_RELAXED);
		priv->drain_seq[i] = __atomic_load_n(&priv->rxqs[i]->reader.seq,
			__ATOMIC_RELAXED);
	}
	priv->drain_deadline = now + FO_DRAIN_MAX_NS;
	priv->drain_next_check = now + FO_DRAIN_CHECK_NS;
}

/* Whether the drain is over; see FO_DRAIN_MAX_NS. */
static bool
fo_drain_done(struct failover_priv *priv, uint64_t now)
{
	uint16_t nb = priv->dev->data->nb_rx_queues;
	bool done = true;
	uint64_t v, seq;
	uint16_t i;

	if (now >= priv->drain_deadline || priv->drain_marks == NULL ||
	    !priv->sm.started)
		return true;
	if (now < priv->drain_next_check)
		return false;
	priv->drain_next_check = now + FO_DRAIN_CHECK_NS;
	for (i = 0; i < nb; i++) {
		if (priv->rxqs[i] == NULL)
			continue;
		v = __atomic_load_n(&priv->rxqs[i]->cnt.vf_empty_polls,
			__ATOMIC_RELAXED);
		if (v != priv->drain_marks[i])
			continue; /* polled the VF empty */
		seq = __atomic_load_n(&priv->rxqs[i]->reader.seq,
			__ATOMIC_RELAXED);
		if (seq != priv->drain_seq[i]) {
			priv->drain_seq[i] = seq;
			priv->drain_idle[i] = 0;
		} else if (++priv->drain_idle[i] >= FO_DRAIN_IDLE_CHECKS) {
			continue; /* nobody polls it */
		}
		done = false;
	}
	return done;
}

static void
fo_release_vf(struct failover_priv *priv)
{
	if (priv->vf.port_id == FO_NO_PORT)
		return;
	failover_stats_fold_vf(priv);
	/*
	 * Release: callbacks must stop matching this port before it is
	 * closed (its DESTROY runs on this thread, inside the close).
	 */
	__atomic_store_n(&priv->cb_vf,
		FO_IDENT(FO_IDENT_GEN(priv->vf_ident), FO_NO_PORT),
		__ATOMIC_RELEASE);
	if (__atomic_load_n(&priv->vf_closed, __ATOMIC_ACQUIRE) ==
	    priv->vf_ident)
		priv->vf.gone = true;
	priv->vf_ident = 0;
	failover_vf_guard(priv, priv->vf.port_id, false);
	failover_subport_release(priv, &priv->vf, "VF");
	pthread_mutex_lock(&priv->publish_lock);
	priv->vf_dropped = false;
	pthread_mutex_unlock(&priv->publish_lock);
	priv->cnt.vf_detach++;
}

void
failover_vf_link_refresh(struct failover_priv *priv, const char *why)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	if (priv->vf.port_id != FO_NO_PORT && !priv->vf.gone)
		rte_eth_link_get_nowait(priv->vf.port_id, &link);
	failover_sm_event(priv, link.link_status == RTE_ETH_LINK_UP ?
		FAILOVER_EV_LINK_UP : FAILOVER_EV_LINK_DOWN, why);
}

static void
fo_setup_vf(struct failover_priv *priv)
{
	char why[128];
	int ret;

	ret = failover_vf_setup(priv, why, sizeof(why));
	if (ret < 0) {
		priv->cnt.vf_refused++;
		FO_LOG(ERR, "port %u: VF port %u '%s' refused: %s", priv->port_id,
			priv->vf.port_id, priv->vf.name, why);
		failover_sm_event(priv, FAILOVER_EV_SETUP_FAILED, why);
		return;
	}
	failover_vf_link_refresh(priv, "VF link after setup");
	failover_sm_event(priv, FAILOVER_EV_SETUP_DONE, "VF set up");
}

static void
fo_run_actions(struct failover_priv *priv, uint32_t act, const char *reason)
{
	uint64_t now = failover_now_ns();

	if (act & FAILOVER_ACT_CANCEL_SETTLE)
		priv->settle_deadline = 0;
	if (act & FAILOVER_ACT_CANCEL_REPROBE)
		priv->reprobe_deadline = 0;
	if (act & FAILOVER_ACT_PUBLISH_VF)
		fo_publish(priv, FO_PUB_VF, reason);
	if (act & FAILOVER_ACT_PUBLISH_SYNTHETIC)
		fo_publish(priv, FO_PUB_SYNTHETIC, reason);
	if (act & FAILOVER_ACT_PUBLISH_NO_VF)
		fo_publish(priv, FO_PUB_NO_VF, reason);
	if (act & FAILOVER_ACT_SETUP_VF)
		fo_setup_vf(priv);
	if (act & FAILOVER_ACT_START_DRAIN)
		fo_start_drain(priv);
	if (act & FAILOVER_ACT_RELEASE_VF)
		fo_release_vf(priv);
	if (act & FAILOVER_ACT_ARM_SETTLE)
		priv->settle_deadline = now +
			(uint64_t)priv->args.vf_settle_ms * FO_MS + 1;
	if (act & FAILOVER_ACT_ARM_REPROBE)
		priv->reprobe_deadline = now +
			(uint64_t)priv->args.probe_interval_ms * FO_MS;
	if (act & FAILOVER_ACT_PROBE_VF)
		failover_probe_vf(priv);
}

/*
 * Step the machine and carry out its actions. Called with priv->lock held.
 * Returns the action mask (FAILOVER_ACT_REFUSED tells a request failed).
 */
uint32_t
failover_sm_event(struct failover_priv *priv, enum failover_event ev,
		const char *reason)
{
	enum failover_state from = priv->sm.state;
	uint32_t act;

	act = failover_sm_step(&priv->sm, ev);
	if (priv->sm.state != from) {
		priv->cnt.transitions++;
		FO_LOG(INFO, "port %u: %s -> %s on %s (%s)", priv->port_id,
			failover_state_name(from),
			failover_state_name(priv->sm.state),
			failover_event_name(ev), reason);
		/* Wakes rte_pmd_failover_vf_detach() waiting on a drain. */
		pthread_cond_broadcast(&priv->done_cond);
	}
	fo_update_cb_view(priv);
	fo_run_actions(priv, act, reason);
	/* The control thread sleeps until its next deadline: tell it. */
	if (act & (FAILOVER_ACT_CANCEL_SETTLE | FAILOVER_ACT_CANCEL_REPROBE |
		   FAILOVER_ACT_ARM_SETTLE | FAILOVER_ACT_ARM_REPROBE |
		   FAILOVER_ACT_START_DRAIN))
		failover_ctl_kick(priv);
	return act;
}

/*
 * Claim @p port_id as the VF, the claim a NEW callback also makes: one
 * claim at a time. Returns the VF's new identity, 0 if one is claimed.
 */
static uint32_t
fo_claim(struct failover_priv *priv, uint16_t port_id)
{
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t cur = __atomic_load_n(&priv->cb_vf, __ATOMIC_ACQUIRE);
	uint16_t gen;
	uint32_t id;

	if (FO_IDENT_PORT(cur) != FO_NO_PORT)
		return 0;
	gen = FO_IDENT_GEN(cur) + 1;
	id = FO_IDENT(gen != 0 ? gen : 1, port_id);
	/*
	 * Acquire-release: a winner sees the release that freed the slot;
	 * callbacks that load the new identity see the claim's stores.
	 */
	if (!__atomic_compare_exchange_n(&priv->cb_vf, &cur, id, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return 0;
	return id;
}

static void
fo_unclaim(struct failover_priv *priv, uint32_t id)
{
	uint32_t expected = id;

	/* Release: the slot is free once nothing of this claim remains. */
	__atomic_compare_exchange_n(&priv->cb_vf, &expected,
		FO_IDENT(FO_IDENT_GEN(id), FO_NO_PORT), false,
		__ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/*
 * Take @p port_id as the VF, with the identity a NEW callback claimed for
 * it (@p ident), or claiming it here (@p ident 0). The port is owned
 * already or taken here. Called with priv->lock held.
 */
int
failover_vf_adopt(struct failover_priv *priv, uint16_t port_id, bool probed,
		uint32_t ident)
{
	struct rte_eth_dev_owner cur;
	int ret;

	if (failover_sm_holds_vf(priv->sm.state) ||
	    priv->vf.port_id != FO_NO_PORT || port_id == priv->synthetic.port_id) {
		FO_LOG(NOTICE, "port %u: port %u not taken as VF: one is held",
			priv->port_id, port_id);
		ret = -EBUSY;
		goto unclaim;
	}
	if (ident == 0) {
		ident = fo_claim(priv, port_id);
		if (ident == 0)
			return -EBUSY;
	}
	ret = rte_eth_dev_owner_get(port_id, &cur);
	if (ret < 0)
		goto unclaim;
	if (cur.id != priv->owner.id) {
		ret = rte_eth_dev_owner_set(port_id, &priv->owner);
		if (ret < 0) {
			FO_LOG(WARNING, "port %u: cannot own VF port %u: %s",
				priv->port_id, port_id, rte_strerror(-ret));
			goto unclaim;
		}
	}
	memset(&priv->vf, 0, sizeof(priv->vf));
	priv->vf.port_id = port_id;
	priv->vf.owned = true;
	priv->vf.probed = probed;
	priv->vf.started = rte_eth_devices[port_id].data->dev_started != 0;
	snprintf(priv->vf.name, sizeof(priv->vf.name), "%s",
		rte_eth_devices[port_id].data->name);
	priv->vf_ident = ident;
	failover_vf_guard(priv, port_id, true);
	priv->cnt.vf_attach++;
	FO_LOG(INFO, "port %u: VF port %u '%s' attached%s", priv->port_id,
		port_id, priv->vf.name, probed ? " (probed)" : "");
	failover_sm_event(priv, FAILOVER_EV_VF_ADDED, "VF attached");
	return 0;
unclaim:
	if (ident != 0)
		fo_unclaim(priv, ident);
	return ret;
}

/*
 * NEW is raised just before its prober marks the port attached: give it
 * that moment (bounded) before using the port through ethdev.
 */
static void
fo_wait_attached(uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < 10000 && !rte_eth_dev_is_valid_port(port_id); i++)
		rte_delay_us_sleep(100);
}

/*
 * A port matching the VF appeared while the previous VF was still held:
 * take it now that none is. Called with priv->lock held.
 */
static void
fo_adopt_candidate(struct failover_priv *priv)
{
	struct rte_eth_dev_owner cur;
	uint16_t port;

	if (failover_sm_holds_vf(priv->sm.state) ||
	    !__atomic_load_n(&priv->cb_want_vf, __ATOMIC_RELAXED))
		return;
	/* Acquire: pairs with the release of the NEW callback. */
	port = __atomic_exchange_n(&priv->cb_candidate, FO_NO_PORT,
		__ATOMIC_ACQUIRE);
	if (port == FO_NO_PORT)
		return;
	fo_wait_attached(port);
	if (!rte_eth_dev_is_valid_port(port) ||
	    rte_eth_dev_owner_get(port, &cur) != 0 ||
	    cur.id != RTE_ETH_DEV_NO_OWNER || !fo_new_port_is_vf(priv, port))
		return;
	failover_vf_adopt(priv, port, false, 0);
}

/* ----------------------------------------------------------------------
 * Callbacks
 * ---------------------------------------------------------------------- */

static bool
fo_new_port_is_vf(struct failover_priv *priv, uint16_t port_id)
{
	struct rte_ether_addr mac;

	if (port_id == priv->port_id || port_id == priv->synthetic.port_id)
		return false;
	if (priv->args.has_vf &&
	    failover_port_matches_spec(port_id, &priv->args.vf))
		return true;
	/*
	 * NEW is raised before the port is marked attached: the ethdev API
	 * still calls it invalid, so read its data directly.
	 */
	if (priv->args.vf_match == FAILOVER_VF_MATCH_MAC &&
	    rte_eth_devices[port_id].data->mac_addrs != NULL) {
		rte_ether_addr_copy(&rte_eth_devices[port_id].data->mac_addrs[0],
			&mac);
		return rte_is_same_ether_addr(&mac, &priv->mac);
	}
	return false;
}

static int
fo_eth_event(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct failover_priv *priv = arg;
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t id = __atomic_load_n(&priv->cb_vf, __ATOMIC_ACQUIRE);
	bool is_vf = FO_IDENT_PORT(id) == port_id;

	RTE_SET_USED(ret_param);
	switch (type) {
	case RTE_ETH_EVENT_NEW:
		if (!fo_new_port_is_vf(priv, port_id))
			break;
		/*
		 * Claim it before anyone else can (the application's own NEW
		 * callback may run after ours). With a VF still held, it
		 * waits as a candidate until that one is gone.
		 */
		id = 0;
		if (__atomic_load_n(&priv->cb_want_vf, __ATOMIC_ACQUIRE))
			id = fo_claim(priv, port_id);
		if (id == 0) {
			/* Release: the control thread reads it with acquire. */
			__atomic_store_n(&priv->cb_candidate, port_id,
				__ATOMIC_RELEASE);
			failover_ctl_kick(priv);
			break;
		}
		if (rte_eth_dev_owner_set(port_id, &priv->owner) < 0) {
			fo_unclaim(priv, id);
			break;
		}
		fo_evq_push(priv, FO_IN_VF_NEW, port_id, id);
		break;
	case RTE_ETH_EVENT_INTR_LSC:
		if (is_vf)
			fo_evq_push(priv, FO_IN_VF_LSC, port_id, id);
		else if (port_id == priv->synthetic.port_id)
			fo_evq_push(priv, FO_IN_SYNTHETIC_LSC, port_id, 0);
		break;
	case RTE_ETH_EVENT_INTR_RMV:
		if (!is_vf)
			break;
		fo_drop_vf(priv, port_id, "VF removed (INTR_RMV)");
		fo_evq_push(priv, FO_IN_VF_RMV, port_id, id);
		break;
	case RTE_ETH_EVENT_DESTROY:
		if (!is_vf)
			break;
		fo_drop_vf(priv, port_id, "VF port destroyed");
		failover_stats_snapshot_vf(priv, port_id);
		/* Release: as for a close, never touch this port again. */
		__atomic_store_n(&priv->vf_closed, id, __ATOMIC_RELEASE);
		fo_evq_push(priv, FO_IN_VF_DESTROY, port_id, id);
		break;
	default:
		break;
	}
	return 0;
}

static void
fo_dev_event(const char *device_name, enum rte_dev_event_type type,
		void *arg)
{
	struct failover_priv *priv = arg;
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t id = __atomic_load_n(&priv->cb_vf, __ATOMIC_ACQUIRE);
	uint16_t vf = FO_IDENT_PORT(id);
	const struct rte_eth_dev *edev;

	if (type != RTE_DEV_EVENT_REMOVE || vf == FO_NO_PORT)
		return;
	edev = &rte_eth_devices[vf];
	if (edev->device == NULL ||
	    strcmp(rte_dev_name(edev->device), device_name) != 0)
		return;
	fo_drop_vf(priv, vf, "VF removed (hot-plug)");
	fo_evq_push(priv, FO_IN_VF_HOTPLUG_RMV, vf, id);
}

static const enum rte_eth_event_type fo_events[] = {
	RTE_ETH_EVENT_NEW,
	RTE_ETH_EVENT_INTR_LSC,
	RTE_ETH_EVENT_INTR_RMV,
	RTE_ETH_EVENT_DESTROY,
};

/* ----------------------------------------------------------------------
 * Links
 * ---------------------------------------------------------------------- */

/*
 * The failover port's link is up when either path is up; its speed is the
 * one of the path Tx uses. Returns whether the up/down state differs from
 * what was last reported.
 */
bool
failover_aggregate_link(struct failover_priv *priv, struct rte_eth_link *link)
{
	struct rte_eth_link syn, vf;
	bool on_vf = failover_sm_on_vf(&priv->sm);

	memset(&syn, 0, sizeof(syn));
	memset(&vf, 0, sizeof(vf));
	memset(link, 0, sizeof(*link));
	if (priv->synthetic.port_id != FO_NO_PORT)
		rte_eth_link_get_nowait(priv->synthetic.port_id, &syn);
	if (priv->vf.port_id != FO_NO_PORT && !priv->vf.gone &&
	    priv->vf.started)
		rte_eth_link_get_nowait(priv->vf.port_id, &vf);
	if (!priv->sm.started) {
		syn.link_status = RTE_ETH_LINK_DOWN;
		vf.link_status = RTE_ETH_LINK_DOWN;
	}
	if (on_vf && vf.link_status == RTE_ETH_LINK_UP)
		*link = vf;
	else if (syn.link_status == RTE_ETH_LINK_UP)
		*link = syn;
	else if (vf.link_status == RTE_ETH_LINK_UP)
		*link = vf;
	else
		link->link_status = RTE_ETH_LINK_DOWN;
	link->link_autoneg = RTE_ETH_LINK_AUTONEG;
	if (link->link_status == RTE_ETH_LINK_DOWN) {
		link->link_speed = RTE_ETH_SPEED_NUM_NONE;
		link->link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	}
	return (link->link_status == RTE_ETH_LINK_UP) != priv->link_up_reported;
}

/* Returns whether an LSC must be raised to the application. */
static bool
fo_refresh_link(struct failover_priv *priv)
{
	struct rte_eth_link link;
	bool changed;

	changed = failover_aggregate_link(priv, &link);
	rte_eth_linkstatus_set(priv->dev, &link);
	if (!changed)
		return false;
	priv->link_up_reported = link.link_status == RTE_ETH_LINK_UP;
	FO_LOG(INFO, "port %u: link %s", priv->port_id,
		priv->link_up_reported ? "up" : "down");
	return priv->dev->data->dev_conf.intr_conf.lsc != 0;
}

/* ----------------------------------------------------------------------
 * Control thread
 * ---------------------------------------------------------------------- */

static void
fo_handle_input(struct failover_priv *priv, const struct failover_input_msg *m)
{
	bool probed;

	/* An event about a VF that is no longer the one held: stale. */
	if (m->type != FO_IN_VF_NEW && m->type != FO_IN_SYNTHETIC_LSC &&
	    (m->ident == 0 || m->ident != priv->vf_ident))
		return;
	switch (m->type) {
	case FO_IN_VF_NEW:
		probed = priv->vf_probe_pending;
		priv->vf_probe_pending = false;
		fo_wait_attached(m->port_id);
		if (failover_vf_adopt(priv, m->port_id, probed, m->ident) < 0)
			/* Not taken: give the port back untouched. */
			rte_eth_dev_owner_unset(m->port_id, priv->owner.id);
		break;
	case FO_IN_VF_LSC:
		failover_vf_link_refresh(priv, "VF link change");
		break;
	case FO_IN_VF_RMV:
	case FO_IN_VF_HOTPLUG_RMV:
	case FO_IN_VF_DESTROY:
	case FO_IN_VF_TAKEN:
	case FO_IN_VF_CLOSED:
		/*
		 * Whoever stopped, closed or destroyed it owns what happens to
		 * the port now (its close may be running): never touch it.
		 */
		if (m->type != FO_IN_VF_RMV && m->type != FO_IN_VF_HOTPLUG_RMV)
			priv->vf.gone = true;
		failover_sm_event(priv, FAILOVER_EV_VF_REMOVED,
			m->type == FO_IN_VF_RMV ? "VF removed (INTR_RMV)" :
			m->type == FO_IN_VF_DESTROY ? "VF port destroyed" :
			m->type == FO_IN_VF_TAKEN ?
			"VF stopped by a third party" :
			m->type == FO_IN_VF_CLOSED ?
			"VF closed by a third party" :
			"VF removed (hot-plug)");
		break;
	case FO_IN_SYNTHETIC_LSC:
		break; /* fo_refresh_link() looks at both links */
	}
}

static void
fo_run_timers(struct failover_priv *priv)
{
	uint64_t now = failover_now_ns();

	if (priv->settle_deadline != 0 && now >= priv->settle_deadline) {
		priv->settle_deadline = 0;
		failover_sm_event(priv, FAILOVER_EV_SETTLE_TIMER,
			"VF settled");
	}
	if (priv->reprobe_deadline != 0 && now >= priv->reprobe_deadline) {
		priv->reprobe_deadline = 0;
		failover_sm_event(priv, FAILOVER_EV_REPROBE_TIMER,
			"re-probe VF");
	}
	if (priv->sm.state == FAILOVER_STATE_VF_DRAINING &&
	    fo_drain_done(priv, now)) {
		failover_sm_event(priv, FAILOVER_EV_DRAIN_DONE, "VF Rx drained");
		rte_free(priv->drain_marks);
		priv->drain_marks = NULL;
		priv->drain_seq = NULL;
		priv->drain_idle = NULL;
		pthread_cond_broadcast(&priv->done_cond);
	}
}

static uint64_t
fo_next_deadline(const struct failover_priv *priv)
{
	uint64_t next = UINT64_MAX;

	if (priv->settle_deadline != 0 && priv->settle_deadline < next)
		next = priv->settle_deadline;
	if (priv->reprobe_deadline != 0 && priv->reprobe_deadline < next)
		next = priv->reprobe_deadline;
	if (priv->sm.state == FAILOVER_STATE_VF_DRAINING &&
	    priv->drain_next_check < next)
		next = priv->drain_next_check;
	return next;
}

static void *
fo_ctl_main(void *arg)
{
	struct failover_priv *priv = arg;
	struct failover_input_msg msgs[FO_EVQ_SIZE];
	uint64_t next = UINT64_MAX;
	struct timespec ts;
	unsigned int n, i;
	bool lsc;

	for (;;) {
		pthread_mutex_lock(&priv->evq_lock);
		while (!priv->ctl_stop && priv->evq_len == 0 &&
		       !priv->ctl_kicked && failover_now_ns() < next) {
			if (next == UINT64_MAX) {
				pthread_cond_wait(&priv->ctl_cond,
					&priv->evq_lock);
			} else {
				ts.tv_sec = next / 1000000000ull;
				ts.tv_nsec = next % 1000000000ull;
				pthread_cond_timedwait(&priv->ctl_cond,
					&priv->evq_lock, &ts);
			}
		}
		if (priv->ctl_stop) {
			pthread_mutex_unlock(&priv->evq_lock);
			break;
		}
		priv->ctl_kicked = false;
		for (n = 0; priv->evq_len != 0; n++) {
			msgs[n] = priv->evq[priv->evq_head];
			priv->evq_head = (priv->evq_head + 1) % FO_EVQ_SIZE;
			priv->evq_len--;
		}
		pthread_mutex_unlock(&priv->evq_lock);

		pthread_mutex_lock(&priv->lock);
		for (i = 0; i < n; i++)
			fo_handle_input(priv, &msgs[i]);
		fo_run_timers(priv);
		fo_adopt_candidate(priv);
		lsc = fo_refresh_link(priv);
		next = fo_next_deadline(priv);
		pthread_mutex_unlock(&priv->lock);

		/* Outside the lock: the application's callback may call us. */
		if (lsc)
			rte_eth_dev_callback_process(priv->dev,
				RTE_ETH_EVENT_INTR_LSC, NULL);
	}
	return NULL;
}

int
failover_events_init(struct failover_priv *priv)
{
	pthread_condattr_t ca;
	char name[RTE_MAX_THREAD_NAME_LEN];
	unsigned int i;
	int ret;

	pthread_mutex_init(&priv->evq_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&priv->ctl_cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&priv->done_cond, NULL);

	for (i = 0; i < RTE_DIM(fo_events); i++) {
		ret = rte_eth_dev_callback_register(RTE_ETH_ALL, fo_events[i],
				fo_eth_event, priv);
		if (ret < 0) {
			FO_LOG(ERR, "port %u: cannot register event callback: %s",
				priv->port_id, rte_strerror(-ret));
			goto err_cb;
		}
	}
	/* Only the EAL hot-plug monitor tells of a vfio VF's removal. */
	ret = rte_dev_event_callback_register(NULL, fo_dev_event, priv);
	priv->dev_event_cb = (ret == 0);
	/*
	 * A PCI VF: run the monitor (uevents), and have EAL keep a yanked
	 * device's BARs mapped to a dummy page (no SIGBUS for a burst in
	 * flight). Both are reference counted by EAL.
	 */
	if (priv->dev_event_cb && priv->args.has_vf && priv->args.vf.is_pci) {
		if (rte_dev_event_monitor_start() == 0)
			priv->dev_monitor_started = true;
		else
			FO_LOG(WARNING, "port %u: no hot-plug monitor: a VF "
				"removed without INTR_RMV is seen late",
				priv->port_id);
		if (priv->dev_monitor_started &&
		    rte_dev_hotplug_handle_enable() != 0)
			FO_LOG(WARNING, "port %u: hot-plug handling not enabled",
				priv->port_id);
	}

	snprintf(name, sizeof(name), "fo-ctl-%u", priv->port_id);
	ret = rte_ctrl_thread_create(&priv->ctl_thread, name, NULL,
			fo_ctl_main, priv);
	if (ret != 0) {
		FO_LOG(ERR, "port %u: cannot create control thread: %s",
			priv->port_id, strerror(ret));
		ret = -ret;
		goto err_dev_cb;
	}
	priv->ctl_running = true;
	return 0;

err_dev_cb:
	if (priv->dev_monitor_started) {
		rte_dev_hotplug_handle_disable();
		rte_dev_event_monitor_stop();
		priv->dev_monitor_started = false;
	}
	if (priv->dev_event_cb)
		rte_dev_event_callback_unregister(NULL, fo_dev_event, priv);
	priv->dev_event_cb = false;
err_cb:
	while (i-- > 0)
		rte_eth_dev_callback_unregister(RTE_ETH_ALL, fo_events[i],
			fo_eth_event, priv);
	pthread_cond_destroy(&priv->done_cond);
	pthread_cond_destroy(&priv->ctl_cond);
	pthread_mutex_destroy(&priv->evq_lock);
	return ret;
}

void
failover_events_fini(struct failover_priv *priv)
{
	unsigned int i;
	int ret;

	if (!priv->ctl_running)
		return;
	for (i = 0; i < RTE_DIM(fo_events); i++) {
		/* -EAGAIN while the callback runs on another thread. */
		do {
			ret = rte_eth_dev_callback_unregister(RTE_ETH_ALL,
				fo_events[i], fo_eth_event, priv);
			if (ret == -EAGAIN)
				sched_yield();
		} while (ret == -EAGAIN);
	}
	if (priv->dev_monitor_started) {
		rte_dev_hotplug_handle_disable();
		rte_dev_event_monitor_stop();
		priv->dev_monitor_started = false;
	}
	if (priv->dev_event_cb) {
		do {
			ret = rte_dev_event_callback_unregister(NULL,
				fo_dev_event, priv);
			if (ret == -EAGAIN)
				sched_yield();
		} while (ret == -EAGAIN);
		priv->dev_event_cb = false;
	}

	pthread_mutex_lock(&priv->evq_lock);
	priv->ctl_stop = true;
	pthread_cond_signal(&priv->ctl_cond);
	pthread_mutex_unlock(&priv->evq_lock);
	pthread_join(priv->ctl_thread, NULL);
	priv->ctl_running = false;

	/* Ports claimed by callbacks but never adopted go back. */
	for (i = 0; i < priv->evq_len; i++) {
		const struct failover_input_msg *m =
			&priv->evq[(priv->evq_head + i) % FO_EVQ_SIZE];

		if (m->type == FO_IN_VF_NEW && m->ident != priv->vf_ident)
			rte_eth_dev_owner_unset(m->port_id, priv->owner.id);
	}
	priv->evq_len = 0;
	rte_free(priv->drain_marks);
	priv->drain_marks = NULL;
	pthread_cond_destroy(&priv->done_cond);
	pthread_cond_destroy(&priv->ctl_cond);
	pthread_mutex_destroy(&priv->evq_lock);
}
