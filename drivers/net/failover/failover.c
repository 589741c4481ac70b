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
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_malloc.h>
#include <rte_pci.h>

#include "failover_mp.h"
#include "failover_private.h"

RTE_LOG_REGISTER_DEFAULT(failover_logtype, NOTICE);

/* See failover_lock_dev(). */
static pthread_mutex_t fo_port_locks[RTE_MAX_ETHPORTS];
static pthread_once_t fo_port_locks_once = PTHREAD_ONCE_INIT;
bool failover_port_open[RTE_MAX_ETHPORTS];

static void
fo_port_locks_init(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fo_port_locks); i++)
		pthread_mutex_init(&fo_port_locks[i], NULL);
}

pthread_mutex_t *
failover_port_lock(uint16_t port_id)
{
	pthread_once(&fo_port_locks_once, fo_port_locks_init);
	return &fo_port_locks[port_id];
}

/* See failover_lock_dev() and FO_READ_LOCK_WAIT_MS. */
int
failover_lock_dev_read(const struct rte_eth_dev *dev,
		struct failover_priv **priv)
{
	pthread_mutex_t *lock = failover_port_lock(dev->data->port_id);
	unsigned int ms;

	for (ms = 0; pthread_mutex_trylock(lock) != 0; ms++) {
		if (ms >= FO_READ_LOCK_WAIT_MS)
			return -EBUSY;
		rte_delay_us_sleep(1000);
	}
	if (!failover_port_open[dev->data->port_id] ||
	    dev->data->dev_private == NULL) {
		pthread_mutex_unlock(lock);
		return -ENODEV;
	}
	*priv = dev->data->dev_private;
	return 0;
}

uint64_t
failover_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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
	priv->synthetic.cb = FO_CB(FO_IDENT(0, FO_NO_PORT), 0);
	priv->synthetic.candidate = FO_NO_PORT;
	priv->vf.port_id = FO_NO_PORT;
	priv->vf.cb = FO_CB(FO_IDENT(0, FO_NO_PORT), 0);
	priv->vf.candidate = FO_NO_PORT;
	priv->lock = failover_port_lock(priv->port_id);
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
	/*
	 * Readers in secondary processes fence themselves: membarrier()
	 * reaches only this process's threads (docs/design/multiprocess.rst).
	 */
	ret = failover_handoff_init_flags(&priv->handoff, FO_PATH_SYNTHETIC,
			2 * RTE_MAX_QUEUES_PER_PORT,
			args->mp_data_path ? FAILOVER_HANDOFF_F_SYMMETRIC : 0);
	if (ret < 0) {
		FO_LOG(ERR, "%s: cannot set up the path hand-off", name);
		goto err_tables;
	}

	ret = failover_subport_attach(priv, FO_SLOT_SYNTHETIC, &args->synthetic,
			&priv->synthetic);
	if (ret < 0)
		goto err_handoff;
	if (args->has_vf) {
		/* Held aside until the state machine adopts it below. */
		ret = failover_subport_attach(priv, FO_SLOT_VF, &args->vf, &vf);
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

	/* The synthetic port's first identity; the callbacks match it. */
	priv->synthetic.ident = failover_claim(priv, &priv->synthetic,
		priv->synthetic.port_id, 0);
	failover_sub_guard(priv, &priv->synthetic, true);

	ret = failover_events_init(priv);
	if (ret < 0)
		goto err_guard;

	if (vf.port_id != FO_NO_PORT) {
		ret = failover_vf_adopt(priv, vf.port_id, vf.probed, 0);
		if (ret < 0)
			goto err_events;
	}

	pthread_mutex_lock(priv->lock);
	failover_port_open[priv->port_id] = true;
	pthread_mutex_unlock(priv->lock);
	FO_LOG(INFO, "%s: port %u over synthetic port %u%s", name,
		priv->port_id, priv->synthetic.port_id,
		args->has_vf ? ", VF given" : ", no VF yet");
	rte_eth_dev_probing_finish(dev);
	return 0;

err_events:
	failover_events_fini(priv);
err_guard:
	failover_sub_guard(priv, &priv->synthetic, false);
err_vf:
	/* Never adopted: a plain record to give back. */
	vf.ident = 0;
	failover_subport_release(priv, &vf);
err_synthetic:
	failover_subport_release(priv, &priv->synthetic);
err_handoff:
	failover_handoff_fini(&priv->handoff);
err_tables:
	fo_free_queue_tables(priv);
err_owner:
	rte_eth_dev_owner_delete(priv->owner.id);
err_release:
	pthread_mutex_destroy(&priv->publish_lock);
	rte_eth_dev_release_port(dev);
	return ret;
}

/*
 * Called from the dev_close op: undo everything fo_create() did. Other
 * threads may still call stats, xstats, info or the API on the port until
 * ethdev releases it: they find priv->closed and nothing else; the locks
 * stay usable for them (freed with the port's private data).
 */
void
failover_dev_teardown(struct failover_priv *priv)
{
	uint16_t i;

	pthread_mutex_lock(priv->lock);
	FO_RACE("close", priv->port_id);
	failover_sm_event(priv, FAILOVER_EV_CLOSE, "port closed");
	pthread_mutex_unlock(priv->lock);
	failover_events_fini(priv);

	pthread_mutex_lock(priv->lock);
	priv->closed = true;
	failover_port_open[priv->port_id] = false;
	/*
	 * Queue set-up went to both sub-ports; free our side of it. Readers
	 * leave the hand-off under publish_lock, serialised with its
	 * writers (failover_handoff_reader_del()); freed after.
	 */
	pthread_mutex_lock(&priv->publish_lock);
	for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++) {
		if (priv->rxqs[i] != NULL)
			failover_handoff_reader_del(&priv->handoff,
				&priv->rxqs[i]->reader);
		if (priv->txqs[i] != NULL)
			failover_handoff_reader_del(&priv->handoff,
				&priv->txqs[i]->reader);
	}
	pthread_mutex_unlock(&priv->publish_lock);
	for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++) {
		rte_free(priv->rxqs[i]);
		rte_free(priv->txqs[i]);
		priv->rxqs[i] = NULL;
		priv->txqs[i] = NULL;
	}
	priv->dev->data->nb_rx_queues = 0;
	priv->dev->data->nb_tx_queues = 0;
	failover_subport_release(priv, &priv->vf);
	failover_subport_release(priv, &priv->synthetic);
	failover_config_free(&priv->cfg);
	failover_handoff_fini(&priv->handoff);
	fo_free_queue_tables(priv);
	rte_eth_dev_owner_delete(priv->owner.id);
	pthread_mutex_unlock(priv->lock);
	FO_RACE("closed", priv->port_id);
}

static int
fo_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	struct failover_args args;
	char err[256];
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_secondary_probe(vdev);
	ret = failover_mp_init_primary();
	if (ret < 0)
		return ret;
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

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_secondary_remove(vdev);
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
