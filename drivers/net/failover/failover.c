/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Probe, remove and registration of net_failover, and the acquisition and
 * release of its two sub-ports.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_bus_vdev.h>
#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_dev.h>
#include <rte_malloc.h>
#include <rte_pci.h>

#include "failover_private.h"

RTE_LOG_REGISTER_DEFAULT(failover_logtype, NOTICE);

uint64_t
failover_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

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

	if (fo_names_match(edev->data->name, spec->name))
		return true;
	return edev->device != NULL &&
		fo_names_match(rte_dev_name(edev->device), spec->name);
}

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

/*
 * Find or probe the device named by @p spec and take its first port.
 * Ownership is taken at once, so the application never sees the port.
 */
int
failover_subport_attach(struct failover_priv *priv,
		const struct failover_subdev_spec *spec,
		struct failover_subport *sp, const char *role)
{
	struct rte_eth_dev_owner cur;
	char devargs[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX + 1];
	uint16_t port;
	int ret;

	memset(sp, 0, sizeof(*sp));
	sp->port_id = FO_NO_PORT;

	port = fo_find_port(spec);
	if (port == FO_NO_PORT) {
		ret = failover_subdev_devargs(spec, devargs, sizeof(devargs));
		if (ret < 0) {
			FO_LOG(ERR, "%s device '%s': arguments too long",
				role, spec->name);
			return ret;
		}
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

	if (port == priv->port_id) {
		FO_LOG(ERR, "%s device '%s' is the failover port itself",
			role, spec->name);
		ret = -EINVAL;
		goto fail;
	}
	ret = rte_eth_dev_owner_get(port, &cur);
	if (ret == 0 && cur.id != RTE_ETH_DEV_NO_OWNER &&
	    cur.id != priv->owner.id) {
		FO_LOG(ERR, "%s port %u ('%s') is already owned by '%s'",
			role, port, spec->name, cur.name);
		ret = -EBUSY;
		goto fail;
	}
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
 * an adopted port is left stopped and without owner.
 */
void
failover_subport_release(struct failover_priv *priv,
		struct failover_subport *sp, const char *role)
{
	uint16_t port = sp->port_id;
	struct rte_device *rdev;
	int ret;

	if (port == FO_NO_PORT)
		return;
	if (sp->gone || !rte_eth_dev_is_valid_port(port)) {
		FO_LOG(INFO, "%s port %u '%s' already gone", role, port, sp->name);
		goto out;
	}
	failover_own_vf_op(true);
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
	failover_own_vf_op(false);
	FO_LOG(INFO, "%s port %u '%s' released", role, port, sp->name);
out:
	memset(sp, 0, sizeof(*sp));
	sp->port_id = FO_NO_PORT;
}

/* Probe the vf= device again (re-probe timer); NEW adopts its port. */
int
failover_probe_vf(struct failover_priv *priv)
{
	char devargs[FAILOVER_DEV_NAME_MAX + FAILOVER_DEV_ARGS_MAX + 1];
	uint16_t port;
	int ret;

	port = fo_find_port(&priv->args.vf);
	if (port != FO_NO_PORT)
		return failover_vf_adopt(priv, port, false, 0);
	ret = failover_subdev_devargs(&priv->args.vf, devargs, sizeof(devargs));
	if (ret < 0)
		return ret;
	ret = rte_dev_probe(devargs);
	if (ret < 0) {
		FO_LOG(DEBUG, "VF '%s' not back yet: %s", devargs,
			rte_strerror(-ret));
		return ret;
	}
	/* Its NEW event, queued meanwhile, adopts the port we probed. */
	priv->vf_probe_pending = true;
	return 0;
}

static int
fo_alloc_queue_tables(struct failover_priv *priv)
{
	priv->rxqs = rte_zmalloc("failover_rxqs",
		sizeof(*priv->rxqs) * RTE_MAX_QUEUES_PER_PORT, 0);
	priv->txqs = rte_zmalloc("failover_txqs",
		sizeof(*priv->txqs) * RTE_MAX_QUEUES_PER_PORT, 0);
	if (priv->rxqs == NULL || priv->txqs == NULL)
		return -ENOMEM;
	return 0;
}

static void
fo_free_queue_tables(struct failover_priv *priv)
{
	rte_free(priv->rxqs);
	rte_free(priv->txqs);
	priv->rxqs = NULL;
	priv->txqs = NULL;
}

static int
fo_create(struct rte_vdev_device *vdev, const struct failover_args *args)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *dev;
	struct failover_priv *priv;
	struct failover_subport vf = { .port_id = FO_NO_PORT };
	struct rte_ether_addr *macs;
	int ret;

	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL) {
		FO_LOG(ERR, "%s: cannot allocate the ethdev port", name);
		return -ENOMEM;
	}
	priv = failover_priv(dev);
	priv->dev = dev;
	priv->port_id = dev->data->port_id;
	priv->args = *args;
	priv->synthetic.port_id = FO_NO_PORT;
	priv->vf.port_id = FO_NO_PORT;
	priv->data_vf = FO_NO_PORT;
	priv->cb_vf = FO_IDENT(0, FO_NO_PORT);
	priv->cb_candidate = FO_NO_PORT;
	pthread_mutex_init(&priv->lock, NULL);
	pthread_mutex_init(&priv->publish_lock, NULL);
	failover_sm_init(&priv->sm, args->has_vf);

	ret = rte_eth_dev_owner_new(&priv->owner.id);
	if (ret < 0) {
		FO_LOG(ERR, "%s: cannot get an ethdev owner id", name);
		goto err_release;
	}
	snprintf(priv->owner.name, sizeof(priv->owner.name), "%s", name);

	ret = fo_alloc_queue_tables(priv);
	if (ret < 0)
		goto err_owner;
	ret = failover_handoff_init(&priv->handoff, FO_PATH_SYNTHETIC,
			2 * RTE_MAX_QUEUES_PER_PORT);
	if (ret < 0) {
		FO_LOG(ERR, "%s: cannot set up the path hand-off", name);
		goto err_tables;
	}

	ret = failover_subport_attach(priv, &args->synthetic, &priv->synthetic,
			"synthetic");
	if (ret < 0)
		goto err_handoff;
	if (args->has_vf) {
		/* Held aside until the state machine adopts it below. */
		ret = failover_subport_attach(priv, &args->vf, &vf, "VF");
		if (ret < 0)
			goto err_synthetic;
		if (vf.port_id == priv->synthetic.port_id) {
			FO_LOG(ERR, "%s: synthetic and vf are the same port %u",
				name, vf.port_id);
			ret = -EINVAL;
			goto err_vf;
		}
	}

	macs = rte_zmalloc("failover_mac", sizeof(*macs), 0);
	if (macs == NULL) {
		ret = -ENOMEM;
		goto err_vf;
	}
	if (args->has_mac)
		memcpy(macs[0].addr_bytes, args->mac, RTE_ETHER_ADDR_LEN);
	else
		rte_eth_macaddr_get(priv->synthetic.port_id, &macs[0]);
	if (!rte_is_valid_assigned_ether_addr(&macs[0])) {
		/* net_ring, say, has none: make one up, as PMDs do. */
		rte_eth_random_addr(macs[0].addr_bytes);
		FO_LOG(NOTICE, "%s: synthetic port has no MAC address; using "
			RTE_ETHER_ADDR_PRT_FMT, name,
			RTE_ETHER_ADDR_BYTES(&macs[0]));
	}
	rte_ether_addr_copy(&macs[0], &priv->mac);
	dev->data->mac_addrs = macs;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->data->dev_link.link_speed = RTE_ETH_SPEED_NUM_NONE;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	dev->dev_ops = &failover_ops;
	dev->rx_pkt_burst = failover_rx_burst;
	dev->tx_pkt_burst = failover_tx_burst;

	ret = failover_events_init(priv);
	if (ret < 0)
		goto err_vf;

	if (vf.port_id != FO_NO_PORT) {
		ret = failover_vf_adopt(priv, vf.port_id, vf.probed, 0);
		if (ret < 0)
			goto err_events;
	}

	FO_LOG(INFO, "%s: port %u over synthetic port %u%s", name,
		priv->port_id, priv->synthetic.port_id,
		args->has_vf ? ", VF given" : ", no VF yet");
	rte_eth_dev_probing_finish(dev);
	return 0;

err_events:
	failover_events_fini(priv);
err_vf:
	failover_subport_release(priv, &vf, "VF");
err_synthetic:
	failover_subport_release(priv, &priv->synthetic, "synthetic");
err_handoff:
	failover_handoff_fini(&priv->handoff);
err_tables:
	fo_free_queue_tables(priv);
err_owner:
	rte_eth_dev_owner_delete(priv->owner.id);
err_release:
	pthread_mutex_destroy(&priv->publish_lock);
	pthread_mutex_destroy(&priv->lock);
	rte_eth_dev_release_port(dev);
	return ret;
}

/* Called from the dev_close op: undo everything fo_create() did. */
void
failover_dev_teardown(struct failover_priv *priv)
{
	uint16_t i;

	pthread_mutex_lock(&priv->lock);
	failover_sm_event(priv, FAILOVER_EV_CLOSE, "port closed");
	pthread_mutex_unlock(&priv->lock);
	failover_events_fini(priv);

	/* Queue set-up went to both sub-ports; free our side of it. */
	for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++) {
		if (priv->rxqs[i] != NULL) {
			failover_handoff_reader_del(&priv->handoff,
				&priv->rxqs[i]->reader);
			rte_free(priv->rxqs[i]);
			priv->rxqs[i] = NULL;
		}
		if (priv->txqs[i] != NULL) {
			failover_handoff_reader_del(&priv->handoff,
				&priv->txqs[i]->reader);
			rte_free(priv->txqs[i]);
			priv->txqs[i] = NULL;
		}
	}
	priv->dev->data->nb_rx_queues = 0;
	priv->dev->data->nb_tx_queues = 0;
	failover_subport_release(priv, &priv->vf, "VF");
	failover_subport_release(priv, &priv->synthetic, "synthetic");
	failover_config_free(&priv->cfg);
	failover_handoff_fini(&priv->handoff);
	fo_free_queue_tables(priv);
	rte_eth_dev_owner_delete(priv->owner.id);
	pthread_mutex_destroy(&priv->publish_lock);
	pthread_mutex_destroy(&priv->lock);
}

static int
fo_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	struct failover_args args;
	char err[256];
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		FO_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	ret = failover_args_parse(params, &args, err, sizeof(err));
	if (ret < 0) {
		FO_LOG(ERR, "%s: invalid devargs: %s", name, err);
		return ret;
	}
	return fo_create(vdev, &args);
}

static int
fo_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;
	int ret;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0; /* already closed */
	failover_priv(dev)->removing = true;
	if (dev->data->dev_started) {
		ret = rte_eth_dev_stop(dev->data->port_id);
		if (ret < 0)
			return ret;
	}
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver failover_vdev_driver = {
	.probe = fo_probe,
	.remove = fo_remove,
};

RTE_PMD_REGISTER_VDEV(net_failover, failover_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_failover, FAILOVER_PARAM_STRING);
