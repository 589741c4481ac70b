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
uint32_t
failover_claim(struct failover_priv *priv, uint16_t port_id)
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

void
failover_unclaim(struct failover_priv *priv, uint32_t id)
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
		ident = failover_claim(priv, port_id);
		if (ident == 0)
			return -EBUSY;
	}
	if (!failover_port_ready(port_id)) {
		ret = -ENODEV;
		goto unclaim;
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
		failover_unclaim(priv, ident);
	return ret;
}

/* Whether a port is attached and its device bound to its driver. */
bool
failover_port_ready(uint16_t port_id)
{
	const struct rte_device *dev;

	if (!rte_eth_dev_is_valid_port(port_id))
		return false;
	dev = rte_eth_devices[port_id].device;
	return dev != NULL && rte_dev_driver(dev) != NULL;
}

/*
 * NEW is raised inside the driver's probe, before the port is marked
 * attached and before the bus binds the device to the driver (which
 * rte_eth_dev_info_get() reads): give the prober that moment (bounded)
 * before using the port through ethdev.
 */
void
failover_wait_attached(uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < 10000 && !failover_port_ready(port_id); i++)
		rte_delay_us_sleep(100);
}

/*
 * A port matching the VF appeared while the previous VF was still held:
 * take it now that none is. Called with priv->lock held.
 */
void
failover_adopt_candidate(struct failover_priv *priv)
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
	failover_wait_attached(port);
	if (!rte_eth_dev_is_valid_port(port) ||
	    rte_eth_dev_owner_get(port, &cur) != 0 ||
	    cur.id != RTE_ETH_DEV_NO_OWNER || !failover_port_is_vf(priv, port))
		return;
	failover_vf_adopt(priv, port, false, 0);
}

bool
failover_port_is_vf(struct failover_priv *priv, uint16_t port_id)
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
