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

void
failover_publish(struct failover_priv *priv, enum failover_publish_mode mode,
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
 * From a callback: the VF @p ident (as the callback read it) is going
 * away. Take it out of the path now, before returning to whoever is about
 * to free it. A callback that lost the race with the VF's release (the
 * control plane let go of that VF meanwhile) does nothing: the flag it
 * would set would keep the next VF out of the path.
 */
void
failover_drop_vf(struct failover_priv *priv, uint32_t ident,
		const char *reason)
{
	struct rte_pmd_failover_path_event ev;
	uint16_t port = FO_IDENT_PORT(ident);
	bool changed = false;

	pthread_mutex_lock(&priv->publish_lock);
	/*
	 * Acquire: the release of the VF clears cb_vf before it resets
	 * vf_dropped under this lock; seeing the identity still in place
	 * means that reset is yet to come.
	 */
	if (__atomic_load_n(&priv->cb_vf, __ATOMIC_ACQUIRE) != ident) {
		pthread_mutex_unlock(&priv->publish_lock);
		return;
	}
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
	failover_drop_vf(priv, id, reason);
	/* Out of the path now: its counters are final, keep them. */
	failover_stats_snapshot_vf(priv, port);
	failover_evq_push(priv, type, port, id);
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
