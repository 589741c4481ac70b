/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Publishing the active path: the only writers of the word the bursts
 * read (serialised by publish_lock), the application's path-change
 * callbacks, and the guard that takes the VF out of the path before a
 * third party stops or closes it.
 */

#include <stdio.h>
#include <string.h>

#include "failover_private.h"

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

/* A bounded wait for the bursts: past it, the sub-port is quarantined. */
#define FO_HANDOFF_WAIT_NS	(100ull * 1000 * 1000)

/* Whether a sub-port may be in the word: held, ready, not taken out. */
static bool
fo_pathable(const struct failover_subport *sp)
{
	return sp->port_id != FO_NO_PORT && !sp->gone && !sp->dropped;
}

/*
 * Publish a new word and, when a sub-port leaves the data path, wait
 * (bounded) until no burst can use the old one. Called with publish_lock
 * held. A wait that times out leaves the new word published and the
 * sub-port that left quarantined: it is kept (never stopped, closed or
 * freed by us) until failover_quarantine_check() sees every burst gone.
 * Returns whether the Tx path changed; the caller notifies after
 * unlocking.
 */
static bool
fo_publish_locked(struct failover_priv *priv, uint32_t word,
		const char *reason, struct rte_pmd_failover_path_event *ev)
{
	uint32_t old = failover_handoff_value(&priv->handoff);
	bool vf_leaves, syn_leaves;
	uint64_t t0, t1, token = 0;
	int ret = 0;

	if (old == word)
		return false;
	t0 = failover_now_ns();
	/*
	 * Wait for the bursts only when a sub-port leaves the data path (it
	 * may be stopped or freed next), or when the application was
	 * promised a completed hand-off. A word that only adds a sub-port,
	 * or only moves Tx while both stay polled, takes effect burst by
	 * burst with nothing to reclaim.
	 */
	vf_leaves = (old & FO_PATH_VF_RX) && !(word & FO_PATH_VF_RX);
	syn_leaves = !(old & FO_PATH_SYN_OFF) && (word & FO_PATH_SYN_OFF);
	FO_RACE("publish", priv->port_id);
	if (vf_leaves || syn_leaves || priv->sync_publish)
		ret = failover_handoff_switch_timed(&priv->handoff, word,
			FO_HANDOFF_WAIT_NS, &token);
	else
		failover_handoff_publish(&priv->handoff, word);
	t1 = failover_now_ns();
	if (ret < 0 && (vf_leaves || syn_leaves)) {
		/* Kept until the bursts this wait gave up on have left. */
		if (vf_leaves) {
			priv->vf.quarantined = true;
			priv->vf.quarantine_token = token;
		}
		if (syn_leaves) {
			priv->synthetic.quarantined = true;
			priv->synthetic.quarantine_token = token;
		}
		/* Relaxed: a statistic (callbacks may run this too). */
		__atomic_fetch_add(&priv->cnt.quarantined, 1, __ATOMIC_RELAXED);
		FO_LOG(WARNING, "port %u: a burst stayed in the old path for "
			"more than %llu ms (%s): %s%s kept aside until it leaves",
			priv->port_id, FO_HANDOFF_WAIT_NS / 1000000, reason,
			vf_leaves ? "VF" : "",
			syn_leaves ? (vf_leaves ? " and synthetic" :
				"synthetic") : "");
	} else if (ret < 0) {
		/* Nothing left the path: only the promised wait fell short. */
		FO_LOG(NOTICE, "port %u: a burst stayed in the old path for "
			"more than %llu ms (%s)", priv->port_id,
			FO_HANDOFF_WAIT_NS / 1000000, reason);
	}

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

/* The word for @p mode and the sub-ports that may be in it. publish_lock. */
static uint32_t
fo_word(struct failover_priv *priv, enum failover_publish_mode mode)
{
	uint32_t word = 0;

	if (mode != FO_PUB_NO_VF && fo_pathable(&priv->vf))
		word |= mode == FO_PUB_VF ? FO_PATH_VF : FO_PATH_VF_RX;
	if (!fo_pathable(&priv->synthetic))
		word |= FO_PATH_SYN_OFF;
	return word;
}

/* The use of the VF the published word makes now. publish_lock. */
static enum failover_publish_mode
fo_mode_now(const struct failover_priv *priv)
{
	uint32_t cur = failover_handoff_value(&priv->handoff);

	return (cur & FO_PATH_VF_TX) ? FO_PUB_VF :
		(cur & FO_PATH_VF_RX) ? FO_PUB_SYNTHETIC : FO_PUB_NO_VF;
}

static void
fo_publish_mode(struct failover_priv *priv, bool keep_mode,
		enum failover_publish_mode mode, const char *reason)
{
	struct rte_pmd_failover_path_event ev;
	bool changed;

	pthread_mutex_lock(&priv->publish_lock);
	if (keep_mode)
		mode = fo_mode_now(priv);
	changed = fo_publish_locked(priv, fo_word(priv, mode), reason, &ev);
	pthread_mutex_unlock(&priv->publish_lock);
	if (changed)
		fo_notify(priv, &ev);
}

/* What the state machine asks for (FAILOVER_ACT_PUBLISH_*). */
void
failover_publish(struct failover_priv *priv, enum failover_publish_mode mode,
		const char *reason)
{
	fo_publish_mode(priv, false, mode, reason);
}

/* The same use of the VF, with the sub-ports as they are now. */
void
failover_republish(struct failover_priv *priv, const char *reason)
{
	fo_publish_mode(priv, true, FO_PUB_NO_VF, reason);
}

/*
 * From a callback, a guard or the control thread: the sub-port holding
 * @p ident (as the caller read it) is going away. Take it out of the path
 * now, before returning to whoever is about to stop or free it (bounded:
 * see fo_publish_locked()). A caller that lost the race with the release
 * of that port (the record let go of it meanwhile) does nothing. Returns
 * -ETIMEDOUT when the sub-port had to be quarantined.
 */
int
failover_drop_sub(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident, const char *reason)
{
	struct rte_pmd_failover_path_event ev;
	bool changed = false;
	int ret = 0;

	FO_RACE("drop", FO_IDENT_PORT(ident));
	pthread_mutex_lock(&priv->publish_lock);
	/*
	 * Acquire: the release of the record empties cb before it resets
	 * dropped under this lock; seeing the identity still in place means
	 * that reset is yet to come.
	 */
	if (ident == 0 ||
	    FO_CB_IDENT(__atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE)) != ident) {
		pthread_mutex_unlock(&priv->publish_lock);
		return 0;
	}
	sp->dropped = true;
	changed = fo_publish_locked(priv, fo_word(priv, fo_mode_now(priv)),
		reason, &ev);
	if (sp->quarantined)
		ret = -ETIMEDOUT;
	pthread_mutex_unlock(&priv->publish_lock);
	if (changed)
		fo_notify(priv, &ev);
	return ret;
}

/*
 * Control thread: a quarantined sub-port is released once every burst
 * that may have read a word naming it has left.
 */
void
failover_quarantine_check(struct failover_priv *priv)
{
	struct failover_subport *sp;
	bool quiet;
	int s;

	if (!priv->vf.quarantined && !priv->synthetic.quarantined)
		return;
	for (s = 0; s < FO_SLOTS; s++) {
		sp = failover_sub(priv, s);
		if (!sp->quarantined)
			continue;
		/* No wait, no barrier: have those bursts left since? */
		pthread_mutex_lock(&priv->publish_lock);
		quiet = failover_handoff_quiesced(&priv->handoff,
			sp->quarantine_token);
		if (quiet)
			sp->quarantined = false;
		pthread_mutex_unlock(&priv->publish_lock);
		if (!quiet || sp->port_id == FO_NO_PORT)
			continue;
		FO_LOG(NOTICE, "port %u: %s port %u out of quarantine",
			priv->port_id, failover_role(s), sp->port_id);
		/*
		 * Released now if its release was put off: a VF the state
		 * machine gave up, a synthetic port that was lost. Else it
		 * is still in use, or its release is yet to come.
		 */
		if (s == FO_SLOT_VF ? failover_sm_holds_vf(priv->sm.state) :
		    !sp->dropped)
			continue;
		failover_subport_release(priv, sp);
		if (s == FO_SLOT_SYNTHETIC)
			sp->reprobe_deadline = failover_now_ns();
	}
	/* rte_pmd_failover_vf_detach() waits for the release. */
	pthread_cond_broadcast(&priv->done_cond);
}

/* ----------------------------------------------------------------------
 * Guard of the sub-ports' stop and close
 *
 * The sub-ports are ours, but nothing stops a third party from stopping
 * or closing one (testpmd "port stop"/"port close", rte_dev_remove() of a
 * driver whose removal goes through ethdev). While we hold a sub-port its
 * ops table is a copy whose dev_stop and dev_close first take it out of
 * the data path (a hand-off, bounded), so no burst is inside it when its
 * driver stops or frees its queues. (ethdev points the port's fp_ops at
 * dummies before calling dev_stop; our bursts do not go through fp_ops,
 * see failover_capture_fp().) Our own stop and close run with
 * fo_own_op set and go straight through. Drivers whose removal calls
 * their own close directly bypass this; the DESTROY callback then takes
 * the sub-port out, before the port's memory is freed but after the
 * driver's close has run.
 * ---------------------------------------------------------------------- */

static __thread bool fo_own_op;

/*
 * Per port: the sub-port's own ops, the guarded copy installed in their
 * place, and the record guarding it (NULL once it let go). Static, not in
 * the failover device: a port stopped by a third party keeps pointing at
 * the copy after the failover device is gone, and then just passes
 * through to the driver.
 */
struct fo_guard {
	struct eth_dev_ops ops;
	const struct eth_dev_ops *orig;
	struct failover_priv *priv;	/* atomic accesses */
	struct failover_subport *sp;	/* set before priv, read after it */
};

static struct fo_guard fo_guards[RTE_MAX_ETHPORTS];

void
failover_own_op(bool on)
{
	fo_own_op = on;
}

static void
fo_guard_hit(struct failover_priv *priv, struct failover_subport *sp,
		uint16_t port, uint32_t fact, const char *reason)
{
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t id = FO_CB_IDENT(__atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE));

	if (FO_IDENT_PORT(id) != port)
		return;
	FO_RACE("guard", port);
	failover_drop_sub(priv, sp, id, reason);
	/* Out of the path now: its counters are final, keep them. */
	failover_stats_snapshot(priv, failover_slot_of(priv, sp), id);
	failover_post(priv, sp, id, fact);
}

static int
fo_guard_stop(struct rte_eth_dev *dev)
{
	struct fo_guard *g = &fo_guards[dev->data->port_id];
	/* Acquire: pairs with the release in failover_sub_guard(). */
	struct failover_priv *priv = __atomic_load_n(&g->priv,
		__ATOMIC_ACQUIRE);

	if (priv != NULL && !fo_own_op)
		fo_guard_hit(priv, g->sp, dev->data->port_id, FO_FACT_TAKEN,
			"stopped by a third party");
	return g->orig->dev_stop(dev);
}

static int
fo_guard_close(struct rte_eth_dev *dev)
{
	struct fo_guard *g = &fo_guards[dev->data->port_id];
	/* Acquire: pairs with the release in failover_sub_guard(). */
	struct failover_priv *priv = __atomic_load_n(&g->priv,
		__ATOMIC_ACQUIRE);

	if (priv != NULL && !fo_own_op)
		fo_guard_hit(priv, g->sp, dev->data->port_id, FO_FACT_CLOSED,
			"closed by a third party");
	/* Closed: the port's ops are its driver's own again. */
	dev->dev_ops = g->orig;
	return g->orig->dev_close(dev);
}

/*
 * Wrap (@p on) or unwrap the stop and close of the port @p sp holds.
 * priv->lock held; the port is not being closed by us at the same time.
 */
void
failover_sub_guard(struct failover_priv *priv, struct failover_subport *sp,
		bool on)
{
	uint16_t port = sp->port_id;
	struct rte_eth_dev *dev;
	struct fo_guard *g;

	if (port == FO_NO_PORT)
		return;
	dev = &rte_eth_devices[port];
	g = &fo_guards[port];
	if (on) {
		if (dev->dev_ops == NULL || dev->dev_ops->dev_stop == NULL ||
		    dev->dev_ops->dev_close == NULL)
			return;
		if (dev->dev_ops != &g->ops) {
			g->orig = dev->dev_ops;
			g->ops = *dev->dev_ops;
			g->ops.dev_stop = fo_guard_stop;
			g->ops.dev_close = fo_guard_close;
		}
		g->sp = sp;
		/* Release: a guard that finds priv finds the table set up. */
		__atomic_store_n(&g->priv, priv, __ATOMIC_RELEASE);
		dev->dev_ops = &g->ops;
		return;
	}
	if (__atomic_load_n(&g->priv, __ATOMIC_ACQUIRE) != priv ||
	    g->sp != sp)
		return;
	/* Release: pairs with the guards' acquire; they then pass through. */
	__atomic_store_n(&g->priv, NULL, __ATOMIC_RELEASE);
	/* A port someone else stopped, closed or took keeps what it has. */
	if (failover_sub_still_ours(priv, sp) && dev->dev_ops == &g->ops)
		dev->dev_ops = g->orig;
}
