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
 * Event queue: callbacks -> control thread
 * ---------------------------------------------------------------------- */

void
failover_evq_push(struct failover_priv *priv, enum failover_input type,
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
 * Callbacks
 * ---------------------------------------------------------------------- */

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
		if (!failover_port_is_vf(priv, port_id))
			break;
		/*
		 * Claim it before anyone else can (the application's own NEW
		 * callback may run after ours). With a VF still held, it
		 * waits as a candidate until that one is gone.
		 */
		id = 0;
		if (__atomic_load_n(&priv->cb_want_vf, __ATOMIC_ACQUIRE))
			id = failover_claim(priv, port_id);
		if (id == 0) {
			/* Release: the control thread reads it with acquire. */
			__atomic_store_n(&priv->cb_candidate, port_id,
				__ATOMIC_RELEASE);
			failover_ctl_kick(priv);
			break;
		}
		if (rte_eth_dev_owner_set(port_id, &priv->owner) < 0) {
			failover_unclaim(priv, id);
			break;
		}
		failover_evq_push(priv, FO_IN_VF_NEW, port_id, id);
		break;
	case RTE_ETH_EVENT_INTR_LSC:
		if (is_vf)
			failover_evq_push(priv, FO_IN_VF_LSC, port_id, id);
		else if (port_id == priv->synthetic.port_id)
			failover_evq_push(priv, FO_IN_SYNTHETIC_LSC, port_id, 0);
		break;
	case RTE_ETH_EVENT_INTR_RMV:
		if (!is_vf)
			break;
		failover_drop_vf(priv, id, "VF removed (INTR_RMV)");
		failover_evq_push(priv, FO_IN_VF_RMV, port_id, id);
		break;
	case RTE_ETH_EVENT_DESTROY:
		if (!is_vf)
			break;
		failover_drop_vf(priv, id, "VF port destroyed");
		failover_stats_snapshot_vf(priv, port_id);
		/* Release: as for a close, never touch this port again. */
		__atomic_store_n(&priv->vf_closed, id, __ATOMIC_RELEASE);
		failover_evq_push(priv, FO_IN_VF_DESTROY, port_id, id);
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
	failover_drop_vf(priv, id, "VF removed (hot-plug)");
	failover_evq_push(priv, FO_IN_VF_HOTPLUG_RMV, vf, id);
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
		failover_wait_attached(m->port_id);
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
		failover_run_timers(priv);
		failover_adopt_candidate(priv);
		lsc = fo_refresh_link(priv);
		next = failover_next_deadline(priv);
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
