/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The sub-port life cycle, the same for the synthetic port and the VF.
 *
 *   absent --claim--> claimed --adopt--> held --leave--> (released)
 *     ^                  |                 |                  |
 *     |                  +---dies----------+--- re-probe -----+
 *
 * - absent: the record holds no port (port FO_NO_PORT in cb).
 * - claimed: a NEW callback (or the control thread) moved the identity
 *   in cb from "no port" to a port, with FO_FACT_NEW: nobody else may
 *   take that port; the control thread adopts it next.
 * - held: adopted by the control thread (sp->port_id set), configured
 *   like the failover port, started with it, in the path word when
 *   usable. For the VF, lib/failover_sm.h decides what "usable" means
 *   (settled, link up, not pinned away); the synthetic port is usable as
 *   soon as it is set up.
 * - leaving: a callback or a third-party guard took the port out of the
 *   path word (failover_drop_sub(): a hand-off, bounded) and posted a
 *   fact; the control thread then releases the record: it stops, closes
 *   and removes only a port that is still ours (failover_sub_still_ours())
 *   and no burst may still be in (not quarantined).
 * - the record goes back to absent, a re-probe is armed (the VF's by the
 *   state machine, the synthetic port's here) and the sub-port comes
 *   back through a claim: by NEW for the configured name (or, for the VF,
 *   its MAC with vf_match=mac), or by the re-probe of its devargs.
 *
 * Identity: every claim bumps a 16-bit generation; FO_IDENT(gen, port)
 * names one port held once. Facts are posted only for the identity in
 * cb, atomically with it (one 64-bit word), so a fact about a port that
 * is gone can never hit the one that replaced it, even at the same port
 * id, and the facts of a claimed port that dies before its adoption are
 * seen by that adoption.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_pci.h>

#include "failover_private.h"

#define FO_MS			(1000ull * 1000)
/* Every net_failover device name starts with it (vdev bus). */
#define FO_DRIVER_NAME		"net_failover"

struct failover_subport *
failover_sub(struct failover_priv *priv, enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? &priv->vf : &priv->synthetic;
}

enum failover_slot
failover_slot_of(const struct failover_priv *priv,
		const struct failover_subport *sp)
{
	return sp == &priv->vf ? FO_SLOT_VF : FO_SLOT_SYNTHETIC;
}

const char *
failover_role(enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? "VF" : "synthetic";
}

const struct failover_subdev_spec *
failover_spec(const struct failover_priv *priv, enum failover_slot slot)
{
	if (slot == FO_SLOT_SYNTHETIC)
		return &priv->args.synthetic;
	return priv->args.has_vf ? &priv->args.vf : NULL;
}

/* ----------------------------------------------------------------------
 * Matching ports to what the devargs name
 * ---------------------------------------------------------------------- */

static bool
fo_names_match(const char *a, const char *b)
{
	struct rte_pci_addr pa, pb;

	if (strcmp(a, b) == 0)
		return true;
	/* 03:00.1 and 0000:03:00.1 are the same device. */
	if (rte_pci_addr_parse(a, &pa) == 0 && rte_pci_addr_parse(b, &pb) == 0)
		return rte_pci_addr_cmp(&pa, &pb) == 0;
	return false;
}

bool
failover_port_matches_spec(uint16_t port_id,
		const struct failover_subdev_spec *spec)
{
	const struct rte_eth_dev *edev = &rte_eth_devices[port_id];

	if (spec == NULL || edev->data == NULL)
		return false;
	if (fo_names_match(edev->data->name, spec->name))
		return true;
	return edev->device != NULL &&
		fo_names_match(rte_dev_name(edev->device), spec->name);
}

/* First port, owned or not, whose port or device name matches. */
static uint16_t
fo_find_port(const struct failover_subdev_spec *spec)
{
	uint16_t p;

	for (p = rte_eth_find_next(0); p < RTE_MAX_ETHPORTS;
	     p = rte_eth_find_next(p + 1)) {
		if (failover_port_matches_spec(p, spec))
			return p;
	}
	return FO_NO_PORT;
}

bool
failover_port_is_synthetic(struct failover_priv *priv, uint16_t port_id)
{
	if (port_id == priv->port_id)
		return false;
	return failover_port_matches_spec(port_id, &priv->args.synthetic);
}

bool
failover_port_is_vf(struct failover_priv *priv, uint16_t port_id)
{
	struct rte_ether_addr mac;

	if (port_id == priv->port_id ||
	    failover_port_is_synthetic(priv, port_id))
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
 * Whether the port the record holds is still the one we took: the id may
 * have been freed by a third party and given to another device at once,
 * so check ownership (ethdev clears it when the port is released) and
 * the name, not just that the id is valid.
 */
bool
failover_sub_still_ours(const struct failover_priv *priv,
		const struct failover_subport *sp)
{
	struct rte_eth_dev_owner cur;
	uint16_t port = sp->port_id;

	if (port == FO_NO_PORT || sp->gone || !rte_eth_dev_is_valid_port(port))
		return false;
	if (rte_eth_dev_owner_get(port, &cur) != 0 ||
	    cur.id != priv->owner.id)
		return false;
	return strcmp(rte_eth_devices[port].data->name, sp->name) == 0;
}

/* A sub-port operations may be applied to. */
bool
failover_sub_usable(const struct failover_subport *sp)
{
	return sp->port_id != FO_NO_PORT && !sp->gone;
}

/* ----------------------------------------------------------------------
 * Claims and facts: what callbacks may do
 * ---------------------------------------------------------------------- */

/*
 * Claim @p port_id for @p sp, posting @p facts with it. One claim at a
 * time: fails (0) while the record holds or has claimed a port. Returns
 * the new identity.
 */
uint32_t
failover_claim(struct failover_priv *priv, struct failover_subport *sp,
		uint16_t port_id, uint32_t facts)
{
	/* Acquire: pairs with the release that emptied the record. */
	uint64_t cur = __atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE);
	uint32_t id;
	uint16_t gen;

	RTE_SET_USED(priv);
	do {
		if (FO_IDENT_PORT(FO_CB_IDENT(cur)) != FO_NO_PORT)
			return 0;
		gen = FO_IDENT_GEN(FO_CB_IDENT(cur)) + 1;
		id = FO_IDENT(gen != 0 ? gen : 1, port_id);
		/*
		 * Acquire-release: a winner sees the release that freed the
		 * record; callbacks that load the new identity see the claim.
		 */
	} while (!__atomic_compare_exchange_n(&sp->cb, &cur, FO_CB(id, facts),
			false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return id;
}

/* Give the claim or the hold of @p ident up: the record is empty again. */
void
failover_unclaim(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident)
{
	uint64_t cur = __atomic_load_n(&sp->cb, __ATOMIC_RELAXED);

	RTE_SET_USED(priv);
	do {
		if (FO_CB_IDENT(cur) != ident)
			return;
		/*
		 * Release: whoever claims next sees everything done with the
		 * port before. Facts still pending are about a port we no
		 * longer hold: they go with it.
		 */
	} while (!__atomic_compare_exchange_n(&sp->cb, &cur,
			FO_CB(FO_IDENT(FO_IDENT_GEN(ident), FO_NO_PORT), 0),
			false, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/*
 * Control plane: give up a claim that was never adopted (the port died,
 * or could not be taken). A callback may have marked the claimed port
 * dropped meanwhile: the mark goes with the claim.
 */
static void
fo_claim_abandon(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident)
{
	failover_unclaim(priv, sp, ident);
	if (sp->port_id != FO_NO_PORT)
		return;
	pthread_mutex_lock(&priv->publish_lock);
	sp->dropped = false;
	sp->quarantined = false;
	pthread_mutex_unlock(&priv->publish_lock);
}

/*
 * From a callback: post @p facts about the port @p ident. Nothing happens
 * if the record no longer holds or claims that identity (the fact is
 * about a port already let go). Returns whether it was posted.
 */
bool
failover_post(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident, uint32_t facts)
{
	/* Relaxed: the CAS below orders what matters. */
	uint64_t cur = __atomic_load_n(&sp->cb, __ATOMIC_RELAXED);

	do {
		if (FO_CB_IDENT(cur) != ident)
			return false;
		/*
		 * Release: the control thread, taking the fact with acquire,
		 * sees what the callback did before posting it (its hand-off,
		 * its stats snapshot).
		 */
	} while (!__atomic_compare_exchange_n(&sp->cb, &cur, cur | facts,
			false, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if ((FO_CB_FACTS(cur) & facts) != 0)
		/* Relaxed: a statistic. */
		__atomic_fetch_add(&priv->cnt.events_coalesced, 1,
			__ATOMIC_RELAXED);
	failover_ctl_kick(priv);
	return true;
}

/* Control thread: take the pending facts, and the identity they are for. */
uint32_t
failover_take_facts(struct failover_subport *sp, uint32_t *ident)
{
	/* Acquire: pairs with the release of failover_post()/claim(). */
	uint64_t cur = __atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE);

	while (FO_CB_FACTS(cur) != 0 &&
	       !__atomic_compare_exchange_n(&sp->cb, &cur,
			FO_CB(FO_CB_IDENT(cur), 0), false, __ATOMIC_ACQ_REL,
			__ATOMIC_ACQUIRE))
		;
	*ident = FO_CB_IDENT(cur);
	return FO_CB_FACTS(cur);
}

/* ----------------------------------------------------------------------
 * Acquisition at probe and release
 * ---------------------------------------------------------------------- */

/* Remove a device we probed, when no port of it could be used. */
static void
fo_remove_device(const struct failover_subdev_spec *spec)
{
	int ret;

	ret = rte_eal_hotplug_remove(spec->is_pci ? "pci" : "vdev", spec->name);
	if (ret < 0)
		FO_LOG(WARNING, "device '%s': remove failed: %s", spec->name,
			rte_strerror(-ret));
}

/* The devargs key that names the sub-port of @p slot, for messages. */
static const char *
fo_slot_key(enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? "vf" : "synthetic";
}

/*
 * Adoption rules on a name, before anything is probed, so that a refusal
 * leaves nothing behind: a sub-port is never this failover port, and never
 * another one (no nesting: probing a net_failover device from our probe
 * would re-enter it).
 */
static int
fo_check_spec(const struct failover_priv *priv, enum failover_slot slot,
		const struct failover_subdev_spec *spec)
{
	const char *key = fo_slot_key(slot);
	const char *self = priv->dev->data->name;

	if (fo_names_match(spec->name, self)) {
		FO_LOG(ERR, "%s: %s=%s: device '%s' is this failover port itself",
			self, key, spec->name, spec->name);
		return -EINVAL;
	}
	if (strncmp(spec->name, FO_DRIVER_NAME, strlen(FO_DRIVER_NAME)) == 0) {
		FO_LOG(ERR, "%s: %s=%s: device '%s' is a failover port: "
			"failover ports do not nest", self, key, spec->name,
			spec->name);
		return -EINVAL;
	}
	return 0;
}

/*
 * Adoption rules on an existing port: not this port, not owned by anyone
 * else, not started (the application uses it: taking it would stop it
 * under its forwarding lcores).
 */
static int
fo_check_port(const struct failover_priv *priv, enum failover_slot slot,
		uint16_t port, const struct failover_subdev_spec *spec)
{
	const char *key = fo_slot_key(slot);
	const char *self = priv->dev->data->name;
	const struct rte_eth_dev *edev = &rte_eth_devices[port];
	struct rte_eth_dev_owner cur;

	if (port == priv->port_id) {
		FO_LOG(ERR, "%s: %s=%s: device '%s' is this failover port itself",
			self, key, spec->name, spec->name);
		return -EINVAL;
	}
	if (rte_eth_dev_owner_get(port, &cur) == 0 &&
	    cur.id != RTE_ETH_DEV_NO_OWNER && cur.id != priv->owner.id) {
		FO_LOG(ERR, "%s: %s=%s: port %u ('%s') is already owned by '%s'",
			self, key, spec->name, port, edev->data->name, cur.name);
		return -EBUSY;
	}
	if (edev->data->dev_started) {
		FO_LOG(ERR, "%s: %s=%s: port %u ('%s') is started: the "
			"application uses it; stop it first", self, key,
			spec->name, port, edev->data->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * A device no bus recognises (an unknown driver name, or a PMD that was
 * not loaded) gets its own message rather than the probe's bare error.
 */
static int
fo_check_driver(const struct failover_priv *priv, enum failover_slot slot,
		const struct failover_subdev_spec *spec, const char *devargs)
{
	struct rte_devargs da;

	memset(&da, 0, sizeof(da));
	if (rte_devargs_parse(&da, devargs) == 0) {
		rte_devargs_reset(&da);
		return 0;
	}
	FO_LOG(ERR, "%s: %s=%s: no driver for device '%s' (unknown driver "
		"name, not a PCI address, or its PMD is not loaded: -d)",
		priv->dev->data->name, fo_slot_key(slot), spec->name,
		spec->name);
	return -ENODEV;
}

/*
 * Find or probe the device named by @p spec and take its first port, at
 * probe time. Ownership is taken at once, so the application never sees
 * the port. The record gets its first identity.
 */
int
failover_subport_attach(struct failover_priv *priv, enum failover_slot slot,
		const struct failover_subdev_spec *spec,
		struct failover_subport *sp)
{
	const char *role = failover_role(slot);
	struct rte_eth_dev_owner cur;
	char devargs[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX + 1];
	uint16_t port;
	int ret;

	memset(sp, 0, sizeof(*sp));
	sp->port_id = FO_NO_PORT;
	sp->cb = FO_CB(FO_IDENT(0, FO_NO_PORT), 0);
	sp->candidate = FO_NO_PORT;

	ret = fo_check_spec(priv, slot, spec);
	if (ret < 0)
		return ret;
	port = fo_find_port(spec);
	if (port == FO_NO_PORT) {
		ret = failover_subdev_devargs(spec, devargs, sizeof(devargs));
		if (ret < 0) {
			FO_LOG(ERR, "%s device '%s': arguments too long",
				role, spec->name);
			return ret;
		}
		ret = fo_check_driver(priv, slot, spec, devargs);
		if (ret < 0)
			return ret;
		ret = rte_dev_probe(devargs);
		if (ret >= 0 && fo_find_port(spec) == FO_NO_PORT) {
			/*
			 * Probed, yet no port: most likely a device already
			 * probed whose port was closed but which was never
			 * removed (left by a failover port removed before;
			 * rte_dev_probe() says 0 for it). Start it afresh.
			 */
			fo_remove_device(spec);
			ret = rte_dev_probe(devargs);
		}
		if (ret < 0 && ret != -EEXIST) {
			FO_LOG(ERR, "%s device '%s': probe failed: %s",
				role, devargs, rte_strerror(-ret));
			return ret;
		}
		port = fo_find_port(spec);
		if (port == FO_NO_PORT) {
			FO_LOG(ERR, "%s device '%s': probed but no ethdev port found",
				role, spec->name);
			/* Undo the probe: nothing of ours stays behind. */
			if (ret == 0)
				fo_remove_device(spec);
			return -ENODEV;
		}
		sp->probed = (ret == 0);
	}

	ret = fo_check_port(priv, slot, port, spec);
	if (ret < 0)
		goto fail;
	if (rte_eth_dev_owner_get(port, &cur) != 0)
		cur.id = RTE_ETH_DEV_NO_OWNER;
	ret = rte_eth_dev_owner_set(port, &priv->owner);
	if (ret < 0 && cur.id != priv->owner.id) {
		FO_LOG(ERR, "%s port %u ('%s'): cannot take ownership: %s",
			role, port, spec->name, rte_strerror(-ret));
		goto fail;
	}
	sp->owned = true;
	sp->port_id = port;
	snprintf(sp->name, sizeof(sp->name), "%s", rte_eth_devices[port].data->name);
	FO_LOG(INFO, "%s path: port %u '%s'%s", role, port, sp->name,
		sp->probed ? " (probed)" : " (adopted)");
	return 0;
fail:
	if (sp->probed)
		fo_remove_device(spec);
	sp->probed = false;
	return ret;
}

/*
 * Give a sub-port back: stop it; a device we probed is closed and removed,
 * an adopted port is left stopped and without owner. A port that is not
 * ours any more (destroyed, closed or taken by someone else, its id maybe
 * reused already) is never touched. The record is emptied.
 */
void
failover_subport_release(struct failover_priv *priv,
		struct failover_subport *sp)
{
	const char *role = failover_role(failover_slot_of(priv, sp));
	uint16_t port = sp->port_id;
	struct rte_device *rdev;
	uint32_t ident = sp->ident;
	int ret;

	if (port == FO_NO_PORT)
		return;
	FO_RACE("release", port);
	failover_sub_guard(priv, sp, false);
	if (!failover_sub_still_ours(priv, sp)) {
		FO_LOG(INFO, "%s port %u '%s' already gone", role, port,
			sp->name);
		goto out;
	}
	/* Its driver's pending alarms run before it stops for good. */
	failover_port_settle_alarms(port);
	failover_own_op(true);
	if (sp->started) {
		ret = rte_eth_dev_stop(port);
		if (ret < 0)
			FO_LOG(WARNING, "%s port %u: stop failed: %s", role,
				port, rte_strerror(-ret));
	}
	/*
	 * An adopted port goes back to the application without owner; one we
	 * probed stays ours until it is gone, so nobody else touches it
	 * half-closed.
	 */
	if (sp->owned && !sp->probed)
		rte_eth_dev_owner_unset(port, priv->owner.id);
	if (sp->probed) {
		rdev = rte_eth_devices[port].device;
		ret = rte_eth_dev_close(port);
		if (ret < 0)
			FO_LOG(WARNING, "%s port %u: close failed: %s", role,
				port, rte_strerror(-ret));
		/*
		 * Not while our own device is being removed: that may be the
		 * EAL's bus clean-up walking the device list, which removing
		 * a device behind us would corrupt. The closed device is
		 * removed when probed again, or by that clean-up.
		 */
		if (rdev != NULL && !priv->removing) {
			ret = rte_dev_remove(rdev);
			if (ret < 0 && ret != -ENOENT)
				FO_LOG(WARNING, "%s device '%s': remove failed: %s",
					role, sp->name, rte_strerror(-ret));
		}
	}
	failover_own_op(false);
	FO_LOG(INFO, "%s port %u '%s' released", role, port, sp->name);
out:
	if (ident != 0)
		failover_unclaim(priv, sp, ident);
	pthread_mutex_lock(&priv->publish_lock);
	sp->dropped = false;
	sp->quarantined = false;
	pthread_mutex_unlock(&priv->publish_lock);
	sp->port_id = FO_NO_PORT;
	sp->ident = 0;
	sp->probed = false;
	sp->owned = false;
	sp->configured = false;
	sp->started = false;
	sp->gone = false;
	sp->probe_pending = false;
	sp->link_up = false;
	sp->name[0] = '\0';
}

/* ----------------------------------------------------------------------
 * Adoption
 * ---------------------------------------------------------------------- */

/*
 * Take @p port_id into the empty record @p sp, with the identity a claim
 * gave it (@p ident), or claiming it here (@p ident 0). The port is owned
 * by us already or taken here. Called with priv->lock held.
 */
static int
fo_hold(struct failover_priv *priv, struct failover_subport *sp,
		uint16_t port_id, bool probed, uint32_t *ident)
{
	const char *role = failover_role(failover_slot_of(priv, sp));
	struct rte_eth_dev_owner cur;
	int ret;

	if (sp->port_id != FO_NO_PORT) {
		FO_LOG(NOTICE, "port %u: port %u not taken as %s: one is held",
			priv->port_id, port_id, role);
		ret = -EBUSY;
		goto unclaim;
	}
	if (*ident == 0) {
		*ident = failover_claim(priv, sp, port_id, 0);
		if (*ident == 0)
			return -EBUSY;
	}
	FO_RACE("adopt", port_id);
	if (!failover_port_ready(port_id)) {
		ret = -ENODEV;
		goto unclaim;
	}
	ret = rte_eth_dev_owner_get(port_id, &cur);
	if (ret < 0)
		goto unclaim;
	if (cur.id != priv->owner.id) {
		if (cur.id != RTE_ETH_DEV_NO_OWNER) {
			ret = -EBUSY;
			goto unclaim;
		}
		ret = rte_eth_dev_owner_set(port_id, &priv->owner);
		if (ret < 0) {
			FO_LOG(WARNING, "port %u: cannot own %s port %u: %s",
				priv->port_id, role, port_id,
				rte_strerror(-ret));
			goto unclaim;
		}
	}
	/*
	 * A callback that took the claimed port out of the path (it is being
	 * removed, closed or stopped by someone else) did so under
	 * publish_lock: seen here, the port is not adopted.
	 */
	pthread_mutex_lock(&priv->publish_lock);
	if (sp->dropped) {
		pthread_mutex_unlock(&priv->publish_lock);
		FO_LOG(INFO, "port %u: %s port %u left before its adoption",
			priv->port_id, role, port_id);
		ret = -ENODEV;
		goto unclaim;
	}
	sp->port_id = port_id;
	pthread_mutex_unlock(&priv->publish_lock);
	sp->ident = *ident;
	sp->owned = true;
	sp->probed = probed;
	sp->gone = false;
	sp->configured = false;
	sp->started = rte_eth_devices[port_id].data->dev_started != 0;
	snprintf(sp->name, sizeof(sp->name), "%s",
		rte_eth_devices[port_id].data->name);
	failover_sub_guard(priv, sp, true);
	FO_LOG(INFO, "port %u: %s port %u '%s' attached%s", priv->port_id,
		role, port_id, sp->name, probed ? " (probed)" : "");
	return 0;
unclaim:
	if (*ident != 0)
		fo_claim_abandon(priv, sp, *ident);
	return ret;
}

int
failover_vf_adopt(struct failover_priv *priv, uint16_t port_id, bool probed,
		uint32_t ident)
{
	int ret;

	if (failover_sm_holds_vf(priv->sm.state) ||
	    port_id == priv->synthetic.port_id) {
		if (ident != 0)
			fo_claim_abandon(priv, &priv->vf, ident);
		return -EBUSY;
	}
	ret = fo_hold(priv, &priv->vf, port_id, probed, &ident);
	if (ret < 0)
		return ret;
	priv->cnt.vf_attach++;
	failover_sm_event(priv, FAILOVER_EV_VF_ADDED, "VF attached");
	return 0;
}

/*
 * A claimed port: adopt it, or give it back untouched if it died before
 * (its facts say so) or cannot be taken.
 */
void
failover_adopt_claimed(struct failover_priv *priv, struct failover_subport *sp,
		uint32_t ident, uint32_t facts)
{
	uint16_t port = FO_IDENT_PORT(ident);
	bool probed = sp->probe_pending;
	int ret;

	sp->probe_pending = false;
	if (port == FO_NO_PORT)
		return;
	if (facts & FO_FACTS_LEAVE) {
		/* Gone between its claim and now: never touch it. */
		FO_LOG(INFO, "port %u: %s port %u left before its adoption",
			priv->port_id, failover_role(failover_slot_of(priv, sp)),
			port);
		fo_claim_abandon(priv, sp, ident);
		return;
	}
	if (!(facts & FO_FACT_NEW))
		return;
	FO_RACE("wait_attached", port);
	failover_wait_attached(port);
	if (sp == &priv->vf)
		ret = failover_vf_adopt(priv, port, probed, ident);
	else
		ret = fo_hold(priv, sp, port, probed, &ident);
	if (ret < 0) {
		/* Not taken: give the port back, if it is still that one. */
		if (rte_eth_dev_is_valid_port(port))
			rte_eth_dev_owner_unset(port, priv->owner.id);
		return;
	}
}

/* ----------------------------------------------------------------------
 * The synthetic port leaving and coming back
 * ---------------------------------------------------------------------- */

/* Set a held synthetic port up like the failover port and use it. */
static void
fo_synthetic_join(struct failover_priv *priv)
{
	struct failover_subport *sp = &priv->synthetic;
	char why[128];
	int ret;

	ret = failover_sub_setup(priv, sp, why, sizeof(why));
	if (ret < 0) {
		FO_LOG(ERR, "port %u: synthetic port %u '%s' cannot be used: %s",
			priv->port_id, sp->port_id, sp->name, why);
		failover_subport_release(priv, sp);
		sp->reprobe_deadline = failover_now_ns() +
			(uint64_t)priv->args.probe_interval_ms * FO_MS;
		return;
	}
	priv->cnt.synthetic_attach++;
	sp->reprobe_deadline = 0;
	failover_republish(priv, "synthetic port back");
}

static void
fo_synthetic_lost(struct failover_priv *priv, const char *reason)
{
	struct failover_subport *sp = &priv->synthetic;

	FO_LOG(WARNING, "port %u: synthetic port %u '%s' lost: %s",
		priv->port_id, sp->port_id, sp->name, reason);
	failover_drop_sub(priv, sp, sp->ident, reason);
	priv->cnt.synthetic_detach++;
	/* Rx no longer polls it: fold what it counted, start afresh. */
	failover_stats_fold(priv, FO_SLOT_SYNTHETIC);
	if (sp->quarantined)
		/* Released by failover_quarantine_check() once quiet. */
		return;
	failover_subport_release(priv, sp);
	sp->reprobe_deadline = failover_now_ns() +
		(uint64_t)priv->args.probe_interval_ms * FO_MS;
}

/* Control thread: carry out the facts posted about the synthetic port. */
void
failover_synthetic_facts(struct failover_priv *priv, uint32_t facts,
		uint32_t ident)
{
	struct failover_subport *sp = &priv->synthetic;

	if (ident != sp->ident || sp->port_id == FO_NO_PORT) {
		failover_adopt_claimed(priv, sp, ident, facts);
		if (sp->port_id != FO_NO_PORT && sp->ident == ident)
			fo_synthetic_join(priv);
		return;
	}
	if (facts & FO_FACTS_GONE)
		sp->gone = true;
	if (facts & FO_FACTS_LEAVE)
		fo_synthetic_lost(priv,
			facts & FO_FACT_DESTROY ? "port destroyed" :
			facts & FO_FACT_CLOSED ? "closed by a third party" :
			facts & FO_FACT_TAKEN ? "stopped by a third party" :
			facts & FO_FACT_RMV ? "removed (INTR_RMV)" :
			"removed (hot-plug)");
}

/* Control thread: the synthetic port's re-probe timer. */
void
failover_synthetic_reprobe(struct failover_priv *priv)
{
	struct failover_subport *sp = &priv->synthetic;

	if (sp->reprobe_deadline == 0 ||
	    failover_now_ns() < sp->reprobe_deadline)
		return;
	sp->reprobe_deadline = failover_now_ns() +
		(uint64_t)priv->args.probe_interval_ms * FO_MS;
	if (sp->port_id != FO_NO_PORT)
		return;
	failover_probe_sub(priv, FO_SLOT_SYNTHETIC);
}

/*
 * Probe the device of a slot again, or take an unowned port that already
 * matches it. The port a probe creates is claimed by our NEW callback,
 * inside the probe, and adopted when the control thread takes that fact.
 */
int
failover_probe_sub(struct failover_priv *priv, enum failover_slot slot)
{
	const struct failover_subdev_spec *spec = failover_spec(priv, slot);
	struct failover_subport *sp = failover_sub(priv, slot);
	char devargs[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX + 1];
	struct rte_eth_dev_owner cur;
	uint32_t ident = 0;
	uint16_t port;
	int ret;

	if (spec == NULL)
		return -ENODEV;
	port = fo_find_port(spec);
	if (port != FO_NO_PORT) {
		if (rte_eth_dev_owner_get(port, &cur) != 0 ||
		    (cur.id != RTE_ETH_DEV_NO_OWNER && cur.id != priv->owner.id))
			return -EBUSY;
		if (slot == FO_SLOT_VF)
			return failover_vf_adopt(priv, port, false, 0);
		ret = fo_hold(priv, sp, port, false, &ident);
		if (ret == 0)
			fo_synthetic_join(priv);
		return ret;
	}
	ret = failover_subdev_devargs(spec, devargs, sizeof(devargs));
	if (ret < 0)
		return ret;
	sp->probe_pending = true;
	ret = rte_dev_probe(devargs);
	if (ret < 0) {
		sp->probe_pending = false;
		FO_LOG(DEBUG, "%s '%s' not back yet: %s", failover_role(slot),
			devargs, rte_strerror(-ret));
		return ret;
	}
	/* Its NEW claimed the port meanwhile; the control loop adopts it. */
	failover_ctl_kick(priv);
	return 0;
}

/* A candidate port, if it is still there, unowned and what @p slot wants. */
static uint16_t
fo_take_candidate(struct failover_priv *priv, enum failover_slot slot)
{
	struct failover_subport *sp = failover_sub(priv, slot);
	struct rte_eth_dev_owner cur;
	uint16_t port;

	/* Acquire: pairs with the release of the NEW callback. */
	port = __atomic_exchange_n(&sp->candidate, FO_NO_PORT,
		__ATOMIC_ACQUIRE);
	if (port == FO_NO_PORT)
		return FO_NO_PORT;
	failover_wait_attached(port);
	if (!rte_eth_dev_is_valid_port(port) ||
	    rte_eth_dev_owner_get(port, &cur) != 0 ||
	    cur.id != RTE_ETH_DEV_NO_OWNER)
		return FO_NO_PORT;
	if (slot == FO_SLOT_VF ? !failover_port_is_vf(priv, port) :
	    !failover_port_is_synthetic(priv, port))
		return FO_NO_PORT;
	return port;
}

/*
 * Matching ports that appeared while a record was busy: take them now
 * that it is empty. Called with priv->lock held.
 */
void
failover_adopt_candidates(struct failover_priv *priv)
{
	uint32_t ident = 0;
	uint16_t port;

	if (priv->synthetic.port_id == FO_NO_PORT) {
		port = fo_take_candidate(priv, FO_SLOT_SYNTHETIC);
		if (port != FO_NO_PORT &&
		    fo_hold(priv, &priv->synthetic, port, false, &ident) == 0)
			fo_synthetic_join(priv);
	}
	if (priv->vf.port_id != FO_NO_PORT ||
	    failover_sm_holds_vf(priv->sm.state))
		return;
	port = fo_take_candidate(priv, FO_SLOT_VF);
	if (port != FO_NO_PORT)
		failover_vf_adopt(priv, port, false, 0);
}

/* ----------------------------------------------------------------------
 * EAL hot-plug handling, shared by every failover port of the process
 * ---------------------------------------------------------------------- */

static pthread_mutex_t fo_hotplug_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int fo_hotplug_refs;
static bool fo_hotplug_enabled;	/* by us: we disable it when done */

/* Whether a SIGBUS handler is installed (EAL's, or the application's). */
static bool
fo_sigbus_handled(void)
{
	struct sigaction cur;

	if (sigaction(SIGBUS, NULL, &cur) != 0)
		return true; /* cannot tell: leave it alone */
	return (cur.sa_flags & SA_SIGINFO) ? cur.sa_sigaction != NULL :
		(cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN);
}

/*
 * Start the EAL hot-plug monitor (EAL counts its users) and its SIGBUS
 * handling for a PCI VF (EAL does not count those: one switch for the
 * process). One reference count for every failover port of the process;
 * handling found on when the first one came (the application enabled it,
 * or installed a SIGBUS handler of its own) is never turned off by us.
 */
int
failover_hotplug_get(void)
{
	int ret = 0;

	pthread_mutex_lock(&fo_hotplug_lock);
	if (fo_hotplug_refs == 0) {
		ret = rte_dev_event_monitor_start();
		if (ret == 0 && !fo_sigbus_handled()) {
			fo_hotplug_enabled = rte_dev_hotplug_handle_enable() == 0;
			if (!fo_hotplug_enabled)
				FO_LOG(WARNING, "hot-plug handling not enabled");
		}
	}
	if (ret == 0)
		fo_hotplug_refs++;
	pthread_mutex_unlock(&fo_hotplug_lock);
	return ret;
}

void
failover_hotplug_put(void)
{
	pthread_mutex_lock(&fo_hotplug_lock);
	if (fo_hotplug_refs > 0 && --fo_hotplug_refs == 0) {
		if (fo_hotplug_enabled)
			rte_dev_hotplug_handle_disable();
		fo_hotplug_enabled = false;
		rte_dev_event_monitor_stop();
	}
	pthread_mutex_unlock(&fo_hotplug_lock);
}
