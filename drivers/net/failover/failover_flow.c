/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * rte_flow on the failover port. Every rule is created on the synthetic
 * port and on the VF taking part in configuration, and kept as a deep copy
 * (rte_flow_conv()) so that a VF arriving later gets all of them, in the
 * order they were created, before any traffic can move to it. A VF that
 * cannot take one is refused, the reason naming the rule. Every operation
 * runs under priv->lock.
 *
 * A rule's VF handle belongs to one VF: it is used only while that VF
 * (its identity, priv->vf.ident) is the one taking part in configuration;
 * likewise for a synthetic port that came back.
 * A VF that is gone took its rules with it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_flow.h>
#include <rte_flow_driver.h>
#include <rte_malloc.h>

#include "failover_private.h"

struct rte_flow {
	RTE_TAILQ_ENTRY(rte_flow) next;
	uint32_t id;			/* 1, 2, ... in creation order */
	uint32_t ident[FO_SLOTS];	/* the port each sub[] rule is on */
	struct rte_flow *sub[FO_SLOTS];	/* the sub-ports' rules, or NULL */
	char desc[64];			/* "eth/ipv4 -> queue", for logs */
	/* Last: rte_flow_conv() stores the copied rule right after it. */
	struct rte_flow_conv_rule rule;
};

/* priv is zeroed at allocation, and a zeroed head is not an empty list. */
static struct failover_flow_list *
fo_flows(struct failover_config *cfg)
{
	if (cfg->flows.tqh_last == NULL)
		TAILQ_INIT(&cfg->flows);
	return &cfg->flows;
}

static void
fo_flow_describe(struct rte_flow *flow)
{
	const struct rte_flow_item *item;
	const struct rte_flow_action *act;
	size_t len = sizeof(flow->desc);
	const char *name, *sep = "";
	size_t off = 0;

	for (item = flow->rule.pattern_ro;
	     item->type != RTE_FLOW_ITEM_TYPE_END && off < len; item++) {
		if (item->type == RTE_FLOW_ITEM_TYPE_VOID)
			continue;
		if (rte_flow_conv(RTE_FLOW_CONV_OP_ITEM_NAME_PTR, &name,
				sizeof(name), (void *)(uintptr_t)item->type,
				NULL) < 0)
			name = "?";
		off += snprintf(flow->desc + off, len - off, "%s%s", sep, name);
		sep = "/";
	}
	sep = " -> ";
	for (act = flow->rule.actions_ro;
	     act->type != RTE_FLOW_ACTION_TYPE_END && off < len; act++) {
		if (act->type == RTE_FLOW_ACTION_TYPE_VOID)
			continue;
		if (rte_flow_conv(RTE_FLOW_CONV_OP_ACTION_NAME_PTR, &name,
				sizeof(name), (void *)(uintptr_t)act->type,
				NULL) < 0)
			name = "?";
		off += snprintf(flow->desc + off, len - off, "%s%s", sep, name);
		sep = ",";
	}
}

/* A rule of the failover port holding a deep copy of what it matches. */
static struct rte_flow *
fo_flow_alloc(const struct rte_flow_attr *attr,
		const struct rte_flow_item pattern[],
		const struct rte_flow_action actions[],
		struct rte_flow_error *error)
{
	const struct rte_flow_conv_rule src = {
		.attr_ro = attr,
		.pattern_ro = pattern,
		.actions_ro = actions,
	};
	struct rte_flow *flow;
	int size, ret;

	size = rte_flow_conv(RTE_FLOW_CONV_OP_RULE, NULL, 0, &src, error);
	if (size < 0)
		return NULL;
	flow = rte_zmalloc("failover_flow", offsetof(struct rte_flow, rule) +
		size, 0);
	if (flow == NULL) {
		rte_flow_error_set(error, ENOMEM,
			RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
			"cannot allocate the failover rule");
		return NULL;
	}
	ret = rte_flow_conv(RTE_FLOW_CONV_OP_RULE, &flow->rule, size, &src,
			error);
	if (ret < 0) {
		rte_free(flow);
		return NULL;
	}
	fo_flow_describe(flow);
	return flow;
}

/* Whether a sub-port takes part in rte_flow operations now. */
static bool
fo_flow_in(struct failover_priv *priv, enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? failover_vf_in_config(priv) :
		FO_SYN_IN(priv);
}

/* The rule's handle on a sub-port, if on the port that slot holds now. */
static struct rte_flow *
fo_flow_sub_rule(struct failover_priv *priv, const struct rte_flow *flow,
		enum failover_slot slot)
{
	if (flow->sub[slot] == NULL || !fo_flow_in(priv, slot) ||
	    flow->ident[slot] != failover_sub(priv, slot)->ident)
		return NULL;
	return flow->sub[slot];
}

/*
 * Destroy the sub-port rules of @p flow, the VF's first. Returns the
 * synthetic port's answer, @p error filled by it; the VF's is logged (a
 * VF is on its way out when it cannot drop a rule).
 */
static int
fo_flow_destroy_subs(struct failover_priv *priv, struct rte_flow *flow,
		struct rte_flow_error *error)
{
	struct rte_flow *vf_rule = fo_flow_sub_rule(priv, flow, FO_SLOT_VF);
	struct rte_flow *syn_rule = fo_flow_sub_rule(priv, flow,
		FO_SLOT_SYNTHETIC);
	struct rte_flow_error scratch;
	int ret = 0;

	if (vf_rule != NULL) {
		ret = rte_flow_destroy(priv->vf.port_id, vf_rule, &scratch);
		if (ret < 0)
			FO_LOG(WARNING, "port %u: VF port %u: flow rule %u: %s",
				priv->port_id, priv->vf.port_id, flow->id,
				rte_strerror(-ret));
	}
	flow->sub[FO_SLOT_VF] = NULL;
	ret = 0;
	if (syn_rule != NULL)
		ret = rte_flow_destroy(priv->synthetic.port_id, syn_rule, error);
	flow->sub[FO_SLOT_SYNTHETIC] = NULL;
	return ret;
}

static int
fo_flow_validate(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		const struct rte_flow_item pattern[],
		const struct rte_flow_action actions[],
		struct rte_flow_error *error)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_flow_validate(priv->synthetic.port_id, attr, pattern,
			actions, error);
	if (ret == 0 && failover_vf_in_config(priv))
		ret = rte_flow_validate(priv->vf.port_id, attr, pattern,
				actions, error);
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static struct rte_flow *
fo_flow_create(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		const struct rte_flow_item pattern[],
		const struct rte_flow_action actions[],
		struct rte_flow_error *error)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_flow_error scratch;
	struct rte_flow *flow;
	int err;

	pthread_mutex_lock(priv->lock);
	flow = fo_flow_alloc(attr, pattern, actions, error);
	if (flow == NULL)
		goto out;
	if (FO_SYN_IN(priv)) {
		flow->sub[FO_SLOT_SYNTHETIC] = rte_flow_create(
			priv->synthetic.port_id, attr, pattern, actions, error);
		if (flow->sub[FO_SLOT_SYNTHETIC] == NULL)
			goto err;
		flow->ident[FO_SLOT_SYNTHETIC] = priv->synthetic.ident;
	}
	if (failover_vf_in_config(priv)) {
		flow->sub[FO_SLOT_VF] = rte_flow_create(priv->vf.port_id, attr,
				pattern, actions, error);
		if (flow->sub[FO_SLOT_VF] == NULL &&
		    !rte_eth_dev_is_removed(priv->vf.port_id))
			goto err_synthetic;
		flow->ident[FO_SLOT_VF] = priv->vf.ident;
	}
	flow->id = ++priv->cfg.flow_next_id;
	TAILQ_INSERT_TAIL(fo_flows(&priv->cfg), flow, next);
	goto out;

err_synthetic:
	/* Nothing stays half-created: the VF's error goes back as is. */
	err = rte_errno;
	if (flow->sub[FO_SLOT_SYNTHETIC] != NULL)
		rte_flow_destroy(priv->synthetic.port_id,
			flow->sub[FO_SLOT_SYNTHETIC], &scratch);
	rte_errno = err;
err:
	FO_LOG(ERR, "port %u: flow rule (%s) not created: %s", priv->port_id,
		flow->desc, error != NULL && error->message != NULL ?
		error->message : rte_strerror(rte_errno));
	rte_free(flow);
	flow = NULL;
out:
	pthread_mutex_unlock(priv->lock);
	return flow;
}

static int
fo_flow_destroy(struct rte_eth_dev *dev, struct rte_flow *flow,
		struct rte_flow_error *error)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = fo_flow_destroy_subs(priv, flow, error);
	TAILQ_REMOVE(fo_flows(&priv->cfg), flow, next);
	rte_free(flow);
	/* The rule a refused VF could not take may be the one gone. */
	failover_config_changed(priv, "flow rule destroyed");
	pthread_mutex_unlock(priv->lock);
	return ret;
}

/* Destroy every rule, on the sub-ports too; the first error is kept. */
static int
fo_flow_flush_locked(struct failover_priv *priv, struct rte_flow_error *error)
{
	struct failover_flow_list *list = fo_flows(&priv->cfg);
	struct rte_flow_error scratch;
	struct rte_flow *flow;
	int ret = 0, r;

	while ((flow = TAILQ_FIRST(list)) != NULL) {
		r = fo_flow_destroy_subs(priv, flow, ret == 0 ? error :
			&scratch);
		if (ret == 0)
			ret = r;
		TAILQ_REMOVE(list, flow, next);
		rte_free(flow);
	}
	return ret;
}

static int
fo_flow_flush(struct rte_eth_dev *dev, struct rte_flow_error *error)
{
	struct failover_priv *priv = failover_priv(dev);
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = fo_flow_flush_locked(priv, error);
	failover_config_changed(priv, "flow rules flushed");
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static int
fo_flow_isolate(struct rte_eth_dev *dev, int set, struct rte_flow_error *error)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_flow_error scratch;
	int ret;

	if (failover_lock_dev(dev, &priv) < 0)
		return -ENODEV;
	ret = !FO_SYN_IN(priv) ? 0 :
		rte_flow_isolate(priv->synthetic.port_id, set, error);
	if (ret < 0)
		goto out;
	if (failover_vf_in_config(priv)) {
		ret = rte_flow_isolate(priv->vf.port_id, set, error);
		if (ret < 0 && !rte_eth_dev_is_removed(priv->vf.port_id)) {
			rte_flow_isolate(priv->synthetic.port_id, !set,
				&scratch);
			goto out;
		}
	}
	priv->cfg.flow_isolated = set != 0;
	ret = 0;
	if (!set)
		failover_config_changed(priv, "flow isolated mode off");
out:
	pthread_mutex_unlock(priv->lock);
	return ret;
}

static const struct rte_flow_ops fo_flow_ops = {
	.validate = fo_flow_validate,
	.create = fo_flow_create,
	.destroy = fo_flow_destroy,
	.flush = fo_flow_flush,
	.isolate = fo_flow_isolate,
};

int
failover_flow_ops_get(struct rte_eth_dev *dev,
		const struct rte_flow_ops **ops)
{
	RTE_SET_USED(dev);
	*ops = &fo_flow_ops;
	return 0;
}

/* Drop the rules this sub-port holds from an earlier attempt at its setup. */
static void
fo_flow_sub_drop(struct failover_priv *priv, enum failover_slot slot)
{
	const struct failover_subport *sp = failover_sub(priv, slot);
	struct rte_flow_error scratch;
	struct rte_flow *flow;

	TAILQ_FOREACH(flow, fo_flows(&priv->cfg), next) {
		if (flow->sub[slot] != NULL && flow->ident[slot] == sp->ident)
			rte_flow_destroy(sp->port_id, flow->sub[slot],
				&scratch);
		flow->sub[slot] = NULL;
		flow->ident[slot] = 0;
	}
}

/*
 * A sub-port being set up, stopped and not configured yet: clear what an
 * earlier attempt left on it and put it in isolated mode if the port is.
 * Called with priv->lock held.
 */
int
failover_flow_sub_prepare(struct failover_priv *priv, enum failover_slot slot,
		char *why, size_t len)
{
	uint16_t port = failover_sub(priv, slot)->port_id;
	struct rte_flow_error error = { .message = NULL };
	int ret;

	fo_flow_sub_drop(priv, slot);
	if (!priv->cfg.flow_isolated) {
		/*
		 * A sub-port refused earlier may have been left isolated by a
		 * replay that got that far: not any more. One without
		 * rte_flow says so; nothing else to do then.
		 */
		rte_flow_isolate(port, 0, &error);
		return 0;
	}
	ret = rte_flow_isolate(port, 1, &error);
	if (ret < 0)
		snprintf(why, len, "flow isolated mode: %s",
			error.message != NULL ? error.message :
			rte_strerror(-ret));
	return ret;
}

/*
 * Create every rule of the port on the sub-port being set up, in creation
 * order. When one is refused, those created are destroyed and @p why
 * names it. Called with priv->lock held.
 */
int
failover_flow_sub_replay(struct failover_priv *priv, enum failover_slot slot,
		char *why, size_t len)
{
	const struct failover_subport *sp = failover_sub(priv, slot);
	struct rte_flow_error error;
	struct rte_flow *flow;
	int ret;

	TAILQ_FOREACH(flow, fo_flows(&priv->cfg), next) {
		memset(&error, 0, sizeof(error));
		flow->sub[slot] = rte_flow_create(sp->port_id,
				flow->rule.attr_ro, flow->rule.pattern_ro,
				flow->rule.actions_ro, &error);
		if (flow->sub[slot] == NULL) {
			ret = rte_errno > 0 ? -rte_errno : -EINVAL;
			snprintf(why, len, "flow rule %u (%s): %s", flow->id,
				flow->desc, error.message != NULL ?
				error.message : rte_strerror(-ret));
			fo_flow_sub_drop(priv, slot);
			return ret;
		}
		flow->ident[slot] = sp->ident;
	}
	return 0;
}

/* Port closing: no sub-port keeps a rule of ours. priv->lock held. */
void
failover_flow_flush_all(struct failover_priv *priv)
{
	struct rte_flow_error error;
	int ret;

	ret = fo_flow_flush_locked(priv, &error);
	if (ret < 0)
		FO_LOG(WARNING, "port %u: flow rules: %s", priv->port_id,
			rte_strerror(-ret));
}

/* Free what is left of the records (the sub-ports are gone). */
void
failover_flow_free(struct failover_config *cfg)
{
	struct failover_flow_list *list = fo_flows(cfg);
	struct rte_flow *flow;

	while ((flow = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, flow, next);
		rte_free(flow);
	}
}
