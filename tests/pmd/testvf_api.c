/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The knobs of testvf.h, and the events they raise.
 *
 * Events are raised as real drivers raise them: from the EAL interrupt
 * thread, through an alarm. The alarm argument is not a pointer but an
 * identifier (port id, event type, generation of the device), so an alarm
 * can never reach a freed device: close cancels the port's alarms before
 * anything is freed, and the callback checks the port still holds the very
 * device that armed it.
 */

#include <errno.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "testvf_private.h"

/* Delay between a knob and the interrupt thread raising its event. */
#define TESTVF_EVENT_DELAY_US	10

/* Alarm identifier: port id, event type, generation of the device. */
#define TESTVF_IDENT_TYPE_SHIFT	16
#define TESTVF_IDENT_GEN_SHIFT	24

static void *
testvf_event_ident(const struct testvf_private *priv,
		enum rte_eth_event_type type)
{
	RTE_BUILD_BUG_ON(sizeof(uintptr_t) < sizeof(uint64_t));
	RTE_BUILD_BUG_ON(RTE_MAX_ETHPORTS > (1 << TESTVF_IDENT_TYPE_SHIFT));
	RTE_BUILD_BUG_ON(RTE_ETH_EVENT_MAX >
		(1 << (TESTVF_IDENT_GEN_SHIFT - TESTVF_IDENT_TYPE_SHIFT)));
	return (void *)(uintptr_t)(priv->generation << TESTVF_IDENT_GEN_SHIFT |
		(uint64_t)type << TESTVF_IDENT_TYPE_SHIFT | priv->port_id);
}

static void
testvf_event_deliver(struct rte_eth_dev *dev, enum rte_eth_event_type type)
{
	struct testvf_private *priv = testvf_priv(dev);

	rte_spinlock_lock(&priv->lock);
	if (type == RTE_ETH_EVENT_INTR_LSC)
		priv->cfg.events.lsc_delivered++;
	else if (type == RTE_ETH_EVENT_INTR_RESET)
		priv->cfg.events.reset_delivered++;
	else
		priv->cfg.events.rmv_delivered++;
	rte_spinlock_unlock(&priv->lock);
	rte_eth_dev_callback_process(dev, type, NULL);
	/* Nothing after this: a callback may have closed the port. */
}

static void
testvf_event_alarm(void *arg)
{
	uint64_t ident = (uintptr_t)arg;
	uint16_t port_id = ident & UINT16_MAX;
	enum rte_eth_event_type type = (ident >> TESTVF_IDENT_TYPE_SHIFT) &
		UINT8_MAX;
	uint64_t generation = ident >> TESTVF_IDENT_GEN_SHIFT;
	struct rte_eth_dev *dev = &rte_eth_devices[port_id];

	/*
	 * Close cancels the port's alarms before freeing anything, so the
	 * device is still here; checked anyway, as the port id alone would
	 * not tell a later device from the one that armed the alarm.
	 */
	if (dev->state == RTE_ETH_DEV_UNUSED || dev->device == NULL ||
			dev->device->driver == NULL ||
			strcmp(dev->device->driver->name,
				TESTVF_DRIVER_NAME) != 0 ||
			testvf_priv(dev)->generation != generation)
		return;
	testvf_event_deliver(dev, type);
}

/*
 * A running alarm is waited for, unless it runs in this very thread (a
 * callback closing the port): it then touches nothing after delivery.
 */
void
testvf_events_cancel(struct testvf_private *priv)
{
	rte_eal_alarm_cancel(testvf_event_alarm,
		testvf_event_ident(priv, RTE_ETH_EVENT_INTR_LSC));
	rte_eal_alarm_cancel(testvf_event_alarm,
		testvf_event_ident(priv, RTE_ETH_EVENT_INTR_RMV));
	rte_eal_alarm_cancel(testvf_event_alarm,
		testvf_event_ident(priv, RTE_ETH_EVENT_INTR_RESET));
}

/* Knobs. */

static int
testvf_lookup(uint16_t port, struct rte_eth_dev **devp)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port))
		return -ENODEV;
	dev = &rte_eth_devices[port];
	/*
	 * By driver, not by ops table: a port's owner may wrap the table
	 * (net_failover guards its VF's stop and close).
	 */
	if (dev->device == NULL || dev->device->driver == NULL ||
	    strcmp(dev->device->driver->name, TESTVF_DRIVER_NAME) != 0)
		return -EINVAL;
	*devp = dev;
	return 0;
}

static struct testvf_rxq *
testvf_knob_rxq(uint16_t port, uint16_t queue, int *err)
{
	struct rte_eth_dev *dev;

	*err = testvf_lookup(port, &dev);
	if (*err != 0)
		return NULL;
	if (queue >= dev->data->nb_rx_queues ||
			dev->data->rx_queues[queue] == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	return dev->data->rx_queues[queue];
}

static struct testvf_txq *
testvf_knob_txq(uint16_t port, uint16_t queue, int *err)
{
	struct rte_eth_dev *dev;

	*err = testvf_lookup(port, &dev);
	if (*err != 0)
		return NULL;
	if (queue >= dev->data->nb_tx_queues ||
			dev->data->tx_queues[queue] == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	return dev->data->tx_queues[queue];
}

int
testvf_rx_inject(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n)
{
	struct testvf_rxq *q;
	unsigned int enq;
	int ret;

	q = testvf_knob_rxq(port, queue, &ret);
	if (q == NULL)
		return ret;
	if (pkts == NULL && n != 0)
		return -EINVAL;
	enq = rte_ring_enqueue_burst(q->ring, (void **)pkts, n, NULL);
	/* Relaxed: injectors only count; the ring orders the packets. */
	__atomic_fetch_add(&q->stats->injected, enq, __ATOMIC_RELAXED);
	__atomic_fetch_add(&q->stats->overflow, n - enq, __ATOMIC_RELAXED);
	return enq;
}

int
testvf_tx_drain(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n)
{
	struct testvf_txq *q;
	int ret;

	q = testvf_knob_txq(port, queue, &ret);
	if (q == NULL)
		return ret;
	if (pkts == NULL && n != 0)
		return -EINVAL;
	return rte_ring_dequeue_burst(q->ring, (void **)pkts, n, NULL);
}

unsigned int
testvf_rx_pending(uint16_t port, uint16_t queue)
{
	struct testvf_rxq *q;
	int ret;

	q = testvf_knob_rxq(port, queue, &ret);
	return q == NULL ? 0 : rte_ring_count(q->ring);
}

unsigned int
testvf_tx_pending(uint16_t port, uint16_t queue)
{
	struct testvf_txq *q;
	int ret;

	q = testvf_knob_txq(port, queue, &ret);
	return q == NULL ? 0 : rte_ring_count(q->ring);
}

/*
 * Count and arm an event. Lock held: close sets closing under the lock
 * before cancelling, so an alarm armed here is always cancelled.
 */
static int
testvf_event_raise_locked(struct testvf_private *priv,
		enum rte_eth_event_type type, bool sync)
{
	int ret;

	if (!sync) {
		ret = rte_eal_alarm_set(TESTVF_EVENT_DELAY_US,
				testvf_event_alarm,
				testvf_event_ident(priv, type));
		if (ret != 0) {
			TESTVF_LOG(ERR, "port %u: cannot arm event alarm: %s",
				priv->port_id, rte_strerror(-ret));
			return ret;
		}
	}
	if (type == RTE_ETH_EVENT_INTR_LSC)
		priv->cfg.events.lsc_raised++;
	else if (type == RTE_ETH_EVENT_INTR_RESET)
		priv->cfg.events.reset_raised++;
	else
		priv->cfg.events.rmv_raised++;
	return 0;
}

static int
testvf_set_link_common(uint16_t port, bool up, bool notify, bool sync)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	bool raise;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	if (priv->closing) {
		ret = -ENODEV;
		goto unlock;
	}
	priv->cfg.carrier = up;
	testvf_link_refresh(dev);
	raise = notify && dev->data->dev_conf.intr_conf.lsc != 0;
	if (raise)
		ret = testvf_event_raise_locked(priv, RTE_ETH_EVENT_INTR_LSC,
				sync);
	rte_spinlock_unlock(&priv->lock);
	if (raise && sync && ret == 0)
		testvf_event_deliver(dev, RTE_ETH_EVENT_INTR_LSC);
	return ret;

unlock:
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

int
testvf_set_link(uint16_t port, bool up, bool notify)
{
	return testvf_set_link_common(port, up, notify, false);
}

int
testvf_set_link_sync(uint16_t port, bool up)
{
	return testvf_set_link_common(port, up, true, true);
}

static int
testvf_raise_rmv_common(uint16_t port, bool sync)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	if (priv->closing) {
		ret = -ENODEV;
		goto unlock;
	}
	if (dev->data->dev_conf.intr_conf.rmv == 0) {
		ret = -ENOTSUP;
		goto unlock;
	}
	ret = testvf_event_raise_locked(priv, RTE_ETH_EVENT_INTR_RMV, sync);
	if (ret != 0)
		goto unlock;
	/* Relaxed: bursts only need to see it eventually, nothing rides on it. */
	__atomic_store_n(&priv->cfg.removed, true, __ATOMIC_RELAXED);
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	if (sync)
		testvf_event_deliver(dev, RTE_ETH_EVENT_INTR_RMV);
	return 0;

unlock:
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

int
testvf_raise_rmv(uint16_t port)
{
	return testvf_raise_rmv_common(port, false);
}

int
testvf_raise_rmv_sync(uint16_t port)
{
	return testvf_raise_rmv_common(port, true);
}

static int
testvf_raise_reset_common(uint16_t port, bool sync)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	if (priv->closing) {
		ret = -ENODEV;
		goto unlock;
	}
	ret = testvf_event_raise_locked(priv, RTE_ETH_EVENT_INTR_RESET, sync);
	if (ret != 0)
		goto unlock;
	/* Relaxed: bursts only need to see it eventually, nothing rides on it. */
	__atomic_store_n(&priv->cfg.reset_pending, true, __ATOMIC_RELAXED);
	testvf_link_refresh(dev);
	rte_spinlock_unlock(&priv->lock);
	if (sync)
		testvf_event_deliver(dev, RTE_ETH_EVENT_INTR_RESET);
	return 0;

unlock:
	rte_spinlock_unlock(&priv->lock);
	return ret;
}

int
testvf_raise_reset(uint16_t port)
{
	return testvf_raise_reset_common(port, false);
}

int
testvf_raise_reset_sync(uint16_t port)
{
	return testvf_raise_reset_common(port, true);
}

int
testvf_tx_fail_next(uint16_t port, unsigned int n_bursts)
{
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	/* Relaxed: the count guards no data; Tx bursts CAS it down. */
	__atomic_store_n(&testvf_priv(dev)->tx_fail_bursts, n_bursts,
		__ATOMIC_RELAXED);
	return 0;
}

int
testvf_tx_hook_set(uint16_t port, void (*hook)(void *arg), void *arg)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	priv = testvf_priv(dev);
	priv->tx_hook_arg = arg;
	/* Release: a burst that sees the hook sees its argument. */
	__atomic_store_n(&priv->tx_hook, hook, __ATOMIC_RELEASE);
	return 0;
}

int
testvf_get_config(uint16_t port, struct testvf_config *out)
{
	struct testvf_private *priv;
	struct rte_eth_dev *dev;
	int ret;

	ret = testvf_lookup(port, &dev);
	if (ret != 0)
		return ret;
	if (out == NULL)
		return -EINVAL;
	priv = testvf_priv(dev);
	rte_spinlock_lock(&priv->lock);
	*out = priv->cfg;
	rte_spinlock_unlock(&priv->lock);
	return 0;
}
