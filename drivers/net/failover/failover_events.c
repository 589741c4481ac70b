/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Sub-port events and the control thread.
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

#include <rte_dev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "failover_private.h"

/* ----------------------------------------------------------------------
 * Callbacks -> control thread
 * ---------------------------------------------------------------------- */

void
failover_ctl_kick(struct failover_priv *priv)
{
	pthread_mutex_lock(&priv->ctl_lock);
	priv->ctl_kicked = true;
	pthread_cond_signal(&priv->ctl_cond);
	pthread_mutex_unlock(&priv->ctl_lock);
}

/* The record holding or claiming @p port_id, with its identity. */
static struct failover_subport *
fo_record_of(struct failover_priv *priv, uint16_t port_id, uint32_t *ident)
{
	struct failover_subport *sp;
	int s;

	for (s = 0; s < FO_SLOTS; s++) {
		sp = failover_sub(priv, s);
		/* Acquire: pairs with the release stores of claim/unclaim. */
		*ident = FO_CB_IDENT(__atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE));
		if (FO_IDENT_PORT(*ident) == port_id)
			return sp;
	}
	return NULL;
}

/*
 * A new port: claim it, before anyone else can (the application's own
 * NEW callback may run after ours), when it is what a record waits for.
 * A port that appears while the record still holds one waits as a
 * candidate.
 */
static void
fo_new_port(struct failover_priv *priv, uint16_t port_id)
{
	struct failover_subport *sp;
	uint32_t id;

	if (failover_port_is_synthetic(priv, port_id))
		sp = &priv->synthetic;
	else if (failover_port_is_vf(priv, port_id))
		sp = &priv->vf;
	else
		return;
	FO_RACE("claim", port_id);
	id = failover_claim(priv, sp, port_id, 0);
	if (id == 0) {
		/*
		 * The record still holds a port (the one this replaces may
		 * not be released yet): taken once it is.
		 * Release: the control thread reads it with acquire.
		 */
		__atomic_store_n(&sp->candidate, port_id, __ATOMIC_RELEASE);
		failover_ctl_kick(priv);
		return;
	}
	if (rte_eth_dev_owner_set(port_id, &priv->owner) < 0) {
		failover_unclaim(priv, sp, id);
		return;
	}
	failover_post(priv, sp, id, FO_FACT_NEW);
}

static int
fo_eth_event(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct failover_priv *priv = arg;
	struct failover_subport *sp;
	enum failover_slot slot;
	uint32_t id;

	RTE_SET_USED(ret_param);
	if (type == RTE_ETH_EVENT_NEW) {
		fo_new_port(priv, port_id);
		return 0;
	}
	sp = fo_record_of(priv, port_id, &id);
	if (sp == NULL)
		return 0;
	slot = failover_slot_of(priv, sp);
	switch (type) {
	case RTE_ETH_EVENT_INTR_LSC:
		failover_post(priv, sp, id, FO_FACT_LSC);
		break;
	case RTE_ETH_EVENT_INTR_RMV:
		failover_drop_sub(priv, sp, id, slot == FO_SLOT_VF ?
			"VF removed (INTR_RMV)" :
			"synthetic port removed (INTR_RMV)");
		failover_post(priv, sp, id, FO_FACT_RMV);
		break;
	case RTE_ETH_EVENT_INTR_RESET:
		/* Out of Tx now: the reset itself is the control thread's. */
		if (slot == FO_SLOT_VF)
			failover_post(priv, sp, id, FO_FACT_RESET);
		break;
	case RTE_ETH_EVENT_DESTROY:
		FO_RACE("destroy", port_id);
		failover_drop_sub(priv, sp, id, slot == FO_SLOT_VF ?
			"VF port destroyed" : "synthetic port destroyed");
		failover_stats_snapshot(priv, slot, id);
		failover_post(priv, sp, id, FO_FACT_DESTROY);
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
	const struct rte_eth_dev *edev;
	struct failover_subport *sp;
	uint16_t port;
	uint32_t id;
	int s;

	if (type != RTE_DEV_EVENT_REMOVE)
		return;
	for (s = 0; s < FO_SLOTS; s++) {
		sp = failover_sub(priv, s);
		/* Acquire: pairs with the release stores of claim/unclaim. */
		id = FO_CB_IDENT(__atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE));
		port = FO_IDENT_PORT(id);
		if (port == FO_NO_PORT)
			continue;
		edev = &rte_eth_devices[port];
		if (edev->device == NULL ||
		    strcmp(rte_dev_name(edev->device), device_name) != 0)
			continue;
		failover_drop_sub(priv, sp, id, s == FO_SLOT_VF ?
			"VF removed (hot-plug)" :
			"synthetic port removed (hot-plug)");
		failover_post(priv, sp, id, FO_FACT_HOTPLUG_RMV);
	}
}

static const enum rte_eth_event_type fo_events[] = {
	RTE_ETH_EVENT_NEW,
	RTE_ETH_EVENT_INTR_LSC,
	RTE_ETH_EVENT_INTR_RMV,
	RTE_ETH_EVENT_INTR_RESET,
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
	if (failover_sub_usable(&priv->synthetic) &&
	    rte_eth_link_get_nowait(priv->synthetic.port_id, &syn) != 0)
		syn.link_status = RTE_ETH_LINK_DOWN;
	if (failover_sub_usable(&priv->vf) && priv->vf.started &&
	    rte_eth_link_get_nowait(priv->vf.port_id, &vf) != 0)
		vf.link_status = RTE_ETH_LINK_DOWN;
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

/* Control thread: carry out the facts posted about the VF. */
static void
fo_vf_facts(struct failover_priv *priv, uint32_t facts, uint32_t ident)
{
	struct failover_subport *sp = &priv->vf;

	if (ident != sp->ident || sp->port_id == FO_NO_PORT) {
		/* A claimed port: adopt it, or let it go if it died. */
		failover_adopt_claimed(priv, sp, ident, facts);
		return;
	}
	if (facts & FO_FACTS_LEAVE) {
		/*
		 * Whoever stopped, closed or destroyed it owns what happens to
		 * the port now (its close may be running): never touch it.
		 */
		if (facts & FO_FACTS_GONE)
			sp->gone = true;
		failover_sm_event(priv, FAILOVER_EV_VF_REMOVED,
			facts & FO_FACT_DESTROY ? "VF port destroyed" :
			facts & FO_FACT_CLOSED ? "VF closed by a third party" :
			facts & FO_FACT_TAKEN ? "VF stopped by a third party" :
			facts & FO_FACT_RMV ? "VF removed (INTR_RMV)" :
			"VF removed (hot-plug)");
		return;
	}
	if (facts & FO_FACT_RESET)
		failover_vf_reset(priv);
	if (facts & (FO_FACT_LSC | FO_FACT_LINK_DOWN))
		failover_vf_link_refresh(priv, facts & FO_FACT_LSC ?
			"VF link change" : "VF link down (link poll)");
}

/*
 * The safety net for PMDs that change their link without raising LSC
 * (net_tap, af_packet, virtio without STATUS): read both links every
 * link_poll_ms and act on a change as on an LSC.
 */
static void
fo_link_poll(struct failover_priv *priv, uint64_t now)
{
	struct rte_eth_link link;
	struct failover_subport *sp;
	bool up;
	int s;

	if (priv->args.link_poll_ms == 0 || !priv->sm.started ||
	    now < priv->link_poll_deadline)
		return;
	priv->link_poll_deadline = now +
		(uint64_t)priv->args.link_poll_ms * 1000000ull;
	for (s = 0; s < FO_SLOTS; s++) {
		sp = failover_sub(priv, s);
		if (!failover_sub_usable(sp) || !sp->started)
			continue;
		memset(&link, 0, sizeof(link));
		up = rte_eth_link_get_nowait(sp->port_id, &link) == 0 &&
			link.link_status == RTE_ETH_LINK_UP;
		if (up == sp->link_up)
			continue;
		sp->link_up = up;
		FO_LOG(DEBUG, "port %u: %s link %s (link poll)", priv->port_id,
			failover_role(s), up ? "up" : "down");
		if (s == FO_SLOT_VF)
			failover_vf_link_refresh(priv, up ?
				"VF link up (link poll)" :
				"VF link down (link poll)");
	}
}

/* One round of the control thread, with priv->lock held. */
static void
fo_ctl_round(struct failover_priv *priv)
{
	uint32_t facts, ident;

	FO_RACE("ctl_round", priv->port_id);
	facts = failover_take_facts(&priv->synthetic, &ident);
	if (facts != 0)
		failover_synthetic_facts(priv, facts, ident);
	facts = failover_take_facts(&priv->vf, &ident);
	if (facts != 0)
		fo_vf_facts(priv, facts, ident);
	failover_quarantine_check(priv);
	failover_run_timers(priv);
	failover_synthetic_reprobe(priv);
	failover_adopt_candidates(priv);
	fo_link_poll(priv, failover_now_ns());
}

static uint64_t
fo_ctl_deadline(const struct failover_priv *priv)
{
	uint64_t next = failover_next_deadline(priv);

	if (priv->synthetic.reprobe_deadline != 0 &&
	    priv->synthetic.reprobe_deadline < next)
		next = priv->synthetic.reprobe_deadline;
	if (priv->args.link_poll_ms != 0 && priv->sm.started &&
	    priv->link_poll_deadline < next)
		next = priv->link_poll_deadline;
	/* Quarantine: look again soon. */
	if ((priv->vf.quarantined || priv->synthetic.quarantined) &&
	    failover_now_ns() + 10000000ull < next)
		next = failover_now_ns() + 10000000ull;
	return next;
}

/* Whether a fact waits in a record (ctl_lock not needed: atomics). */
static bool
fo_facts_pending(const struct failover_priv *priv)
{
	/* Relaxed: a hint; the round takes the facts with acquire. */
	return FO_CB_FACTS(__atomic_load_n(&priv->synthetic.cb,
			__ATOMIC_RELAXED)) != 0 ||
		FO_CB_FACTS(__atomic_load_n(&priv->vf.cb,
			__ATOMIC_RELAXED)) != 0;
}

static failover_thread_ret_t
fo_ctl_main(void *arg)
{
	struct failover_priv *priv = arg;
	uint64_t next = UINT64_MAX;
	struct timespec ts;
	bool lsc;

	for (;;) {
		pthread_mutex_lock(&priv->ctl_lock);
		while (!priv->ctl_stop && !priv->ctl_kicked &&
		       !fo_facts_pending(priv) && failover_now_ns() < next) {
			if (next == UINT64_MAX) {
				pthread_cond_wait(&priv->ctl_cond,
					&priv->ctl_lock);
			} else {
				ts.tv_sec = next / 1000000000ull;
				ts.tv_nsec = next % 1000000000ull;
				pthread_cond_timedwait(&priv->ctl_cond,
					&priv->ctl_lock, &ts);
			}
		}
		if (priv->ctl_stop) {
			pthread_mutex_unlock(&priv->ctl_lock);
			break;
		}
		priv->ctl_kicked = false;
		pthread_mutex_unlock(&priv->ctl_lock);

		pthread_mutex_lock(priv->lock);
		fo_ctl_round(priv);
		lsc = fo_refresh_link(priv);
		next = fo_ctl_deadline(priv);
		pthread_mutex_unlock(priv->lock);

		/* Outside the lock: the application's callback may call us. */
		if (lsc)
			rte_eth_dev_callback_process(priv->dev,
				RTE_ETH_EVENT_INTR_LSC, NULL);
	}
	return FAILOVER_THREAD_RET;
}

int
failover_events_init(struct failover_priv *priv)
{
	pthread_condattr_t ca;
	char name[RTE_MAX_THREAD_NAME_LEN];
	unsigned int i;
	int ret;

	pthread_mutex_init(&priv->ctl_lock, NULL);
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
	if (priv->dev_event_cb &&
	    ((priv->args.has_vf && priv->args.vf.is_pci) ||
	     priv->args.synthetic.is_pci)) {
		if (failover_hotplug_get() == 0)
			priv->hotplug_ref = true;
		else
			FO_LOG(WARNING, "port %u: no hot-plug monitor: a PCI "
				"sub-port removed without INTR_RMV is seen late",
				priv->port_id);
	}

	snprintf(name, sizeof(name), "fo-ctl-%u", priv->port_id);
	ret = failover_ctrl_thread_create(&priv->ctl_thread, name,
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
	if (priv->hotplug_ref) {
		failover_hotplug_put();
		priv->hotplug_ref = false;
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
	pthread_mutex_destroy(&priv->ctl_lock);
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
	if (priv->hotplug_ref) {
		failover_hotplug_put();
		priv->hotplug_ref = false;
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

	pthread_mutex_lock(&priv->ctl_lock);
	priv->ctl_stop = true;
	pthread_cond_signal(&priv->ctl_cond);
	pthread_mutex_unlock(&priv->ctl_lock);
	failover_thread_join(priv->ctl_thread);
	priv->ctl_running = false;

	/* Ports claimed by callbacks but never adopted go back. */
	for (i = 0; i < FO_SLOTS; i++) {
		struct failover_subport *sp = failover_sub(priv, i);
		uint32_t ident;

		failover_take_facts(sp, &ident);
		if (FO_IDENT_PORT(ident) != FO_NO_PORT && ident != sp->ident) {
			if (rte_eth_dev_is_valid_port(FO_IDENT_PORT(ident)))
				rte_eth_dev_owner_unset(FO_IDENT_PORT(ident),
					priv->owner.id);
			failover_unclaim(priv, sp, ident);
		}
	}
	rte_free(priv->drain_marks);
	priv->drain_marks = NULL;
}
