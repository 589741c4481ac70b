/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* The public API of rte_pmd_failover.h. */

#include <assert.h>
#include <errno.h>
#include <string.h>

#include <rte_string_fns.h>

#include "failover_mp.h"
#include "failover_private.h"

/* The public sizes are the ones of the fields they are copied from. */
static_assert(RTE_PMD_FAILOVER_NAME_LEN == RTE_ETH_NAME_MAX_LEN,
	"RTE_PMD_FAILOVER_NAME_LEN");
static_assert(RTE_PMD_FAILOVER_REASON_LEN ==
	sizeof(((struct failover_priv *)0)->last_reason),
	"RTE_PMD_FAILOVER_REASON_LEN");

static int
fo_priv_of(uint16_t port_id, struct failover_priv **priv)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	dev = &rte_eth_devices[port_id];
	if (!failover_is_port(dev))
		return -EINVAL;
	*priv = failover_priv(dev);
	return 0;
}

/* The PMD's own callers use these, not the experimental entry points. */
int
failover_active_path(uint16_t port_id)
{
	struct failover_priv *priv;
	uint32_t word;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return ret;
	word = failover_handoff_value(&priv->handoff);
	return (word & FO_PATH_VF_TX) ? RTE_PMD_FAILOVER_PATH_VF :
		RTE_PMD_FAILOVER_PATH_SYNTHETIC;
}

int
rte_pmd_failover_active_path(uint16_t port_id)
{
	return failover_active_path(port_id);
}

int
rte_pmd_failover_switch(uint16_t port_id, enum rte_pmd_failover_path path)
{
	struct failover_priv *priv;
	uint32_t act;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return ret;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_mp_primary_only(port_id, "rte_pmd_failover_switch()");
	if (path != RTE_PMD_FAILOVER_PATH_VF &&
	    path != RTE_PMD_FAILOVER_PATH_SYNTHETIC)
		return -EINVAL;
	if (failover_lock_dev(&rte_eth_devices[port_id], &priv) < 0)
		return -ENODEV;
	/* Return only once no burst can use the old Tx path. */
	priv->sync_publish = true;
	if (path == RTE_PMD_FAILOVER_PATH_VF) {
		/* Asking for a VF that was refused is asking to try again. */
		if (priv->sm.state == FAILOVER_STATE_VF_REFUSED)
			failover_sm_event(priv, FAILOVER_EV_RETRY,
				"application request");
		act = failover_sm_event(priv, FAILOVER_EV_SWITCH_TO_VF,
			"application request");
		/* A VF dropped by a callback is not back until re-adopted. */
		ret = (act & FAILOVER_ACT_REFUSED) ||
			priv->sm.state != FAILOVER_STATE_VF_ACTIVE ||
			failover_active_path(port_id) !=
			RTE_PMD_FAILOVER_PATH_VF ? -ENODEV : 0;
	} else {
		failover_sm_event(priv, FAILOVER_EV_SWITCH_TO_SYNTHETIC,
			"application request");
		ret = 0;
	}
	priv->sync_publish = false;
	pthread_mutex_unlock(priv->lock);
	return ret;
}

int
rte_pmd_failover_vf_detach(uint16_t port_id)
{
	struct failover_priv *priv;
	uint32_t act, ident;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return ret;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_mp_primary_only(port_id, "rte_pmd_failover_vf_detach()");
	if (failover_lock_dev(&rte_eth_devices[port_id], &priv) < 0)
		return -ENODEV;
	if (!failover_sm_holds_vf(priv->sm.state)) {
		pthread_mutex_unlock(priv->lock);
		return -ENODEV;
	}
	ident = priv->vf.ident;
	priv->sync_publish = true;
	act = failover_sm_event(priv, FAILOVER_EV_DETACH,
		"application detach");
	priv->sync_publish = false;
	if (act & FAILOVER_ACT_REFUSED) {
		pthread_mutex_unlock(priv->lock);
		return -ENODEV;
	}
	/*
	 * The control thread finishes the drain and releases the VF; a VF
	 * quarantined on the way (a burst stayed in it past the hand-off
	 * bound) is released once that burst has left it.
	 */
	while (priv->sm.state == FAILOVER_STATE_VF_DRAINING ||
	       (priv->vf.ident == ident && priv->vf.port_id != FO_NO_PORT))
		pthread_cond_wait(&priv->done_cond, priv->lock);
	pthread_mutex_unlock(priv->lock);
	return 0;
}

int
rte_pmd_failover_path_callback_register(uint16_t port_id,
		rte_pmd_failover_path_cb_t cb, void *arg)
{
	struct failover_priv *priv;
	unsigned int i, free_slot = FO_MAX_PATH_CBS;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return -EINVAL;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_mp_primary_only(port_id, "path callbacks (function pointers are per process)");
	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&priv->publish_lock);
	for (i = 0; i < FO_MAX_PATH_CBS; i++) {
		if (priv->path_cbs[i].fn == cb && priv->path_cbs[i].arg == arg) {
			ret = -EEXIST;
			goto out;
		}
		if (priv->path_cbs[i].fn == NULL && free_slot == FO_MAX_PATH_CBS)
			free_slot = i;
	}
	if (free_slot == FO_MAX_PATH_CBS) {
		ret = -ENOSPC;
		goto out;
	}
	priv->path_cbs[free_slot].fn = cb;
	priv->path_cbs[free_slot].arg = arg;
	ret = 0;
out:
	pthread_mutex_unlock(&priv->publish_lock);
	return ret;
}

int
rte_pmd_failover_path_callback_unregister(uint16_t port_id,
		rte_pmd_failover_path_cb_t cb, void *arg)
{
	struct failover_priv *priv;
	unsigned int i;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return -EINVAL;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return failover_mp_primary_only(port_id, "path callbacks (function pointers are per process)");
	ret = -ENOENT;
	pthread_mutex_lock(&priv->publish_lock);
	for (i = 0; i < FO_MAX_PATH_CBS; i++) {
		if (priv->path_cbs[i].fn == cb && priv->path_cbs[i].arg == arg) {
			priv->path_cbs[i].fn = NULL;
			priv->path_cbs[i].arg = NULL;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&priv->publish_lock);
	return ret;
}

/*
 * rte_pmd_failover_info_get() in the primary, with the state's value
 * (info->state points into this process: a secondary asking through
 * failover_mp.c names the state itself).
 */
int
failover_info_get_state(uint16_t port_id, struct rte_pmd_failover_info *info,
		int32_t *state)
{
	struct failover_priv *priv;
	uint32_t word;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return ret;
	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (failover_lock_dev(&rte_eth_devices[port_id], &priv) < 0)
		return -ENODEV;
	info->synthetic_port = priv->synthetic.port_id;
	strlcpy(info->synthetic_name, priv->synthetic.name,
		sizeof(info->synthetic_name));
	/* A VF taken out under us is not reported: its id may be reused. */
	if (priv->vf.port_id != FO_NO_PORT && !priv->vf.gone) {
		info->vf_port = priv->vf.port_id;
		strlcpy(info->vf_name, priv->vf.name, sizeof(info->vf_name));
	} else {
		info->vf_port = RTE_PMD_FAILOVER_NO_PORT;
	}
	info->state = failover_state_name(priv->sm.state);
	*state = priv->sm.state;
	info->vf_settle_ms = priv->args.vf_settle_ms;
	info->probe_interval_ms = priv->args.probe_interval_ms;
	failover_stats_counters(priv, &info->counters);
	/* The word, reason and time of a switch change together under it. */
	pthread_mutex_lock(&priv->publish_lock);
	word = failover_handoff_value(&priv->handoff);
	strlcpy(info->last_reason, priv->last_reason,
		sizeof(info->last_reason));
	info->last_event_ns = priv->last_event_ns;
	pthread_mutex_unlock(&priv->publish_lock);
	pthread_mutex_unlock(priv->lock);
	info->active_path = (word & FO_PATH_VF_TX) ? RTE_PMD_FAILOVER_PATH_VF :
		RTE_PMD_FAILOVER_PATH_SYNTHETIC;
	info->size = sizeof(*info);
	return 0;
}

/* Either process: the primary's view, into the caller's @p size bytes. */
int
failover_info_get(uint16_t port_id, struct rte_pmd_failover_info *out,
		size_t size)
{
	struct rte_pmd_failover_info full;
	struct failover_priv *priv;
	int32_t state;
	int ret;

	ret = fo_priv_of(port_id, &priv);
	if (ret < 0)
		return ret;
	if (out == NULL || size < RTE_PMD_FAILOVER_INFO_MIN_SIZE)
		return -EINVAL;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		ret = failover_mp_info_get(port_id, &full);
	else
		ret = failover_info_get_state(port_id, &full, &state);
	if (ret < 0)
		return ret;
	/* What both the caller's structure and ours have; zeros beyond. */
	full.size = RTE_MIN(size, sizeof(full));	/* both have these */
	memcpy(out, &full, full.size);
	if (size > sizeof(full))
		memset(RTE_PTR_ADD(out, sizeof(full)), 0, size - sizeof(full));
	return 0;
}

int
rte_pmd_failover_info_get_sized(uint16_t port_id,
		struct rte_pmd_failover_info *info, size_t size)
{
	return failover_info_get(port_id, info, size);
}
