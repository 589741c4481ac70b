/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The VF life cycle: stepping the state machine (lib/failover_sm.h) and
 * carrying out its actions (publish, set up, drain, release, timers), and
 * the claim and adoption of a port as the VF. All of it runs with
 * priv->lock held, on the control thread or in an ethdev op or API call.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_malloc.h>

#include "failover_private.h"

#define FO_MS			(1000ull * 1000)

/*
 * A drain ends when every Rx queue has polled the VF empty, or has not
 * been polled at all for FO_DRAIN_IDLE_CHECKS checks in a row (nobody is
 * there to receive what it holds), or after FO_DRAIN_MAX_NS whatever.
 */
#define FO_DRAIN_MAX_NS		(200ull * 1000 * 1000)
#define FO_DRAIN_CHECK_NS	(1ull * 1000 * 1000)
#define FO_DRAIN_IDLE_CHECKS	50

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
	failover_stats_fold(priv, FO_SLOT_VF);
	priv->cnt.vf_detach++;
	if (priv->vf.quarantined) {
		/* failover_quarantine_check() releases it once quiet. */
		FO_LOG(NOTICE, "port %u: VF port %u quarantined: released later",
			priv->port_id, priv->vf.port_id);
		return;
	}
	failover_subport_release(priv, &priv->vf);
}

void
failover_vf_link_refresh(struct failover_priv *priv, const char *why)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	if (failover_sub_usable(&priv->vf) &&
	    rte_eth_link_get_nowait(priv->vf.port_id, &link) != 0)
		link.link_status = RTE_ETH_LINK_DOWN;
	priv->vf.link_up = link.link_status == RTE_ETH_LINK_UP;
	failover_sm_event(priv, link.link_status == RTE_ETH_LINK_UP ?
		FAILOVER_EV_LINK_UP : FAILOVER_EV_LINK_DOWN, why);
}

static void
fo_setup_vf(struct failover_priv *priv)
{
	char why[128];
	int ret;

	ret = failover_sub_setup(priv, &priv->vf, why, sizeof(why));
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
		failover_publish(priv, FO_PUB_VF, reason);
	if (act & FAILOVER_ACT_PUBLISH_SYNTHETIC)
		failover_publish(priv, FO_PUB_SYNTHETIC, reason);
	if (act & FAILOVER_ACT_PUBLISH_NO_VF)
		failover_publish(priv, FO_PUB_NO_VF, reason);
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
		failover_probe_sub(priv, FO_SLOT_VF);
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
	fo_run_actions(priv, act, reason);
	/* The control thread sleeps until its next deadline: tell it. */
	if (act & (FAILOVER_ACT_CANCEL_SETTLE | FAILOVER_ACT_CANCEL_REPROBE |
		   FAILOVER_ACT_ARM_SETTLE | FAILOVER_ACT_ARM_REPROBE |
		   FAILOVER_ACT_START_DRAIN))
		failover_ctl_kick(priv);
	return act;
}

/*
 * RTE_ETH_EVENT_INTR_RESET on the VF (its PF was reset: ixgbevf, iavf):
 * the VF is unusable until rte_eth_dev_reset(), which leaves it
 * unconfigured. Take it out of the path (as for a removal, but keeping
 * it), reset it, set it up again with the recorded configuration and let
 * the state machine bring traffic back once it is settled. Called with
 * priv->lock held.
 */
void
failover_vf_reset(struct failover_priv *priv)
{
	struct failover_subport *sp = &priv->vf;
	int ret;

	if (!failover_sm_holds_vf(priv->sm.state) || !failover_sub_usable(sp))
		return;
	FO_LOG(WARNING, "port %u: VF port %u '%s' asks for a reset",
		priv->port_id, sp->port_id, sp->name);
	/* Out of the path with a wait: the reset frees its queues. */
	failover_publish(priv, FO_PUB_NO_VF, "VF reset");
	if (sp->quarantined) {
		FO_LOG(WARNING, "port %u: VF reset postponed: a burst is still in it",
			priv->port_id);
		return;
	}
	failover_own_op(true);
	ret = rte_eth_dev_reset(sp->port_id);
	failover_own_op(false);
	priv->cnt.vf_resets++;
	sp->started = false;
	sp->configured = false;
	if (ret < 0) {
		FO_LOG(ERR, "port %u: VF port %u reset failed: %s",
			priv->port_id, sp->port_id, rte_strerror(-ret));
		failover_sm_event(priv, FAILOVER_EV_VF_REMOVED, "VF reset failed");
		return;
	}
	failover_sm_event(priv, FAILOVER_EV_VF_RESET, "VF reset");
}

void
failover_run_timers(struct failover_priv *priv)
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

uint64_t
failover_next_deadline(const struct failover_priv *priv)
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
