/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Statistics of the failover port, which never go backwards.
 *
 * Each sub-port's counters are folded into an accumulator by positive
 * deltas (as Linux net_failover does): every read adds what grew since the
 * previous read, and a counter found smaller than before (the device reset
 * it, or a new VF started from zero) adds its whole new value. Reads are
 * serialized by priv->lock, so a reading is never folded after a newer
 * one. A VF that leaves is read one last time if it still answers; when it
 * was taken out from under us, the callback that saw it go kept its last
 * reading ("final", tagged with the VF's identity), folded when the VF is
 * released by raising the accumulators to it, never by adding it whole:
 * it may be older than a reading already folded. The next VF starts from a
 * previous reading of zero.
 *
 * Basic statistics: the sum of both paths' accumulators, except for packet
 * counts, which the bursts count themselves, per queue and exactly,
 * whatever happens to the sub-ports.
 *
 * Extended statistics: the PMD's own counters first (fixed ids), then
 * every extended statistic either sub-port ever reported, prefixed
 * "synthetic_" or "vf_", one accumulator per name in first-seen order
 * (struct failover_xstat). ethdev puts its basic statistics in front.
 *
 * Reset: nothing is reset in the sub-ports. Their current readings become
 * the new zero, and the PMD's own counters are read into a base that is
 * subtracted from then on.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_string_fns.h>

#include "failover_private.h"

#define FO_NB_COUNTERS	FO_STATS_COUNTERS
#define FO_NS_PER_MS	(1000ull * 1000)

#define FO_COUNTER(field) \
	{ #field, offsetof(struct rte_pmd_failover_counters, field) }

/* The PMD's own extended statistics, ids 0 to FO_NB_OWN - 1. */
const struct failover_counter_desc failover_counter_descs[] = {
	FO_COUNTER(switches),
	FO_COUNTER(switch_to_vf),
	FO_COUNTER(switch_to_synthetic),
	FO_COUNTER(vf_attach),
	FO_COUNTER(vf_detach),
	FO_COUNTER(vf_refused),
	FO_COUNTER(rx_synthetic_while_vf),
	FO_COUNTER(rx_vf_packets),
	FO_COUNTER(rx_synthetic_packets),
	FO_COUNTER(tx_vf_packets),
	FO_COUNTER(tx_synthetic_packets),
	FO_COUNTER(tx_vf_retry_synthetic),
	FO_COUNTER(last_switch_latency_ns),
	FO_COUNTER(time_on_vf_ms),
	FO_COUNTER(transitions),
	FO_COUNTER(events_coalesced),
	FO_COUNTER(quarantined),
	FO_COUNTER(synthetic_attach),
	FO_COUNTER(synthetic_detach),
	FO_COUNTER(vf_resets),
	FO_COUNTER(tx_no_path),
};

#define FO_NB_OWN	RTE_DIM(failover_counter_descs)

const unsigned int failover_nb_counters = FO_NB_OWN;

/* ----------------------------------------------------------------------
 * Basic statistics of one sub-port
 * ---------------------------------------------------------------------- */

/*
 * The counters of a reading, as one flat array: basic, then per queue
 * (failover_compat.h: per-queue counters sit apart from 25.11 on).
 */
static void
fo_stats_flatten(const struct failover_eth_stats *st, uint64_t *v)
{
	const struct rte_eth_stats *s = &st->basic;
	const failover_qstats *q = FAILOVER_QSTATS(st);
	unsigned int i, n = 0;

	v[n++] = s->ipackets;
	v[n++] = s->opackets;
	v[n++] = s->ibytes;
	v[n++] = s->obytes;
	v[n++] = s->imissed;
	v[n++] = s->ierrors;
	v[n++] = s->oerrors;
	v[n++] = s->rx_nombuf;
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		v[n++] = q->q_ipackets[i];
		v[n++] = q->q_opackets[i];
		v[n++] = q->q_ibytes[i];
		v[n++] = q->q_obytes[i];
		v[n++] = q->q_errors[i];
	}
}

/* Add a flat array to @p s and, unless NULL, to @p q. */
static void
fo_stats_add_flat(struct rte_eth_stats *s, failover_qstats *q,
		const uint64_t *v)
{
	unsigned int i, n = 0;

	s->ipackets += v[n++];
	s->opackets += v[n++];
	s->ibytes += v[n++];
	s->obytes += v[n++];
	s->imissed += v[n++];
	s->ierrors += v[n++];
	s->oerrors += v[n++];
	s->rx_nombuf += v[n++];
	if (q == NULL)
		return;
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		q->q_ipackets[i] += v[n++];
		q->q_opackets[i] += v[n++];
		q->q_ibytes[i] += v[n++];
		q->q_obytes[i] += v[n++];
		q->q_errors[i] += v[n++];
	}
}

/* A reading of a counter: add what grew, or all of it if it went down. */
static inline void
fo_fold(uint64_t *acc, uint64_t *prev, uint64_t cur)
{
	*acc += cur >= *prev ? cur - *prev : cur;
	*prev = cur;
}

/*
 * A final reading, perhaps older than the last one folded: raise to it,
 * never take a smaller value for a reset.
 */
static inline void
fo_fold_final(uint64_t *acc, uint64_t *prev, uint64_t fin)
{
	if (fin > *prev) {
		*acc += fin - *prev;
		*prev = fin;
	}
}

static bool
fo_sub_readable(const struct failover_subport *sp)
{
	return sp->port_id != FO_NO_PORT && !sp->gone &&
		rte_eth_dev_is_valid_port(sp->port_id);
}

/* ----------------------------------------------------------------------
 * Extended statistics of one sub-port
 * ---------------------------------------------------------------------- */

struct fo_xreading {
	unsigned int nb;
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *vals;
};

static void
fo_xreading_free(struct fo_xreading *r)
{
	free(r->names);
	free(r->vals);
	memset(r, 0, sizeof(*r));
}

/* All extended statistics of @p port (its ethdev basic ones included). */
static void
fo_xread(uint16_t port, struct fo_xreading *r)
{
	unsigned int tries;
	int n, nn, nv;

	memset(r, 0, sizeof(*r));
	/* Again if the list changed between the calls (reconfigured). */
	for (tries = 0; tries < 3; tries++) {
		n = rte_eth_xstats_get_names(port, NULL, 0);
		if (n <= 0)
			return;
		r->names = calloc(n, sizeof(*r->names));
		r->vals = calloc(n, sizeof(*r->vals));
		if (r->names == NULL || r->vals == NULL)
			break;
		nn = rte_eth_xstats_get_names(port, r->names, n);
		nv = rte_eth_xstats_get(port, r->vals, n);
		if (nn >= 0 && nn <= n && nv == nn) {
			r->nb = nn;
			return;
		}
		fo_xreading_free(r);
		if (nn < 0 || nv < 0)
			return;
	}
	fo_xreading_free(r);
}

static const char *
fo_xreading_name(const struct fo_xreading *r, unsigned int i)
{
	uint64_t id = r->vals[i].id;

	return id < r->nb ? r->names[id].name : NULL;
}

static unsigned int
fo_xs_count(const struct failover_priv *priv)
{
	/* Acquire: pairs with the release in fo_xs_get(): entries complete. */
	return __atomic_load_n(&priv->xs_nb, __ATOMIC_ACQUIRE);
}

/*
 * The entry of @p name on @p slot, added if new. publish_lock held (the
 * only writer of xs_nb). The search starts at *@p hint, where the entry
 * after the last one found is: a sub-port lists its names in the same
 * order every time.
 */
static struct failover_xstat *
fo_xs_get(struct failover_priv *priv, enum failover_slot slot,
		const char *name, unsigned int *hint)
{
	unsigned int nb = priv->xs_nb;
	struct failover_xstat *e;
	unsigned int i, k;

	for (k = 0; k < nb; k++) {
		i = (*hint + k) % nb;
		e = &priv->xs[i];
		if (e->slot == slot && strcmp(e->name, name) == 0) {
			*hint = i + 1;
			return e;
		}
	}
	if (nb == FO_XSTATS_MAX) {
		if (!priv->xs_full)
			FO_LOG(WARNING, "port %u: more than %u sub-port xstats: "
				"'%s' and later new names not reported",
				priv->port_id, FO_XSTATS_MAX, name);
		priv->xs_full = true;
		return NULL;
	}
	e = &priv->xs[nb];
	memset(e, 0, sizeof(*e));
	strlcpy(e->name, name, sizeof(e->name));
	e->slot = slot;
	/* Release: whoever reads the new count finds the entry complete. */
	__atomic_store_n(&priv->xs_nb, nb + 1, __ATOMIC_RELEASE);
	*hint = nb + 1;
	return e;
}

/* ----------------------------------------------------------------------
 * Reading the sub-ports
 * ---------------------------------------------------------------------- */

static struct failover_subport *
fo_sub(struct failover_priv *priv, enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? &priv->vf : &priv->synthetic;
}

static struct failover_stats_acc *
fo_acc(struct failover_priv *priv, enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? &priv->vf_stats : &priv->synthetic_stats;
}

/*
 * Read a sub-port and fold what grew into its accumulators: the basic
 * statistics, and the extended ones if @p xstats. priv->lock held.
 */
static void
fo_poll(struct failover_priv *priv, enum failover_slot slot, bool xstats)
{
	const struct failover_subport *sp = fo_sub(priv, slot);
	struct failover_stats_acc *a = fo_acc(priv, slot);
	uint64_t cur[FO_NB_COUNTERS];
	struct failover_xstat *e;
	struct fo_xreading x;
	struct failover_eth_stats s;
	const char *name;
	unsigned int i;

	if (!fo_sub_readable(sp))
		return;
	if (failover_eth_stats_get(sp->port_id, &s) == 0) {
		fo_stats_flatten(&s, cur);
		for (i = 0; i < FO_NB_COUNTERS; i++)
			fo_fold(&a->acc[i], &a->prev[i], cur[i]);
	}
	if (!xstats)
		return;
	fo_xread(sp->port_id, &x);
	if (x.nb == 0)
		return;
	pthread_mutex_lock(&priv->publish_lock);
	for (i = 0; i < x.nb; i++) {
		name = fo_xreading_name(&x, i);
		e = name != NULL ? fo_xs_get(priv, slot, name, &priv->xs_hint) :
			NULL;
		if (e != NULL)
			fo_fold(&e->acc, &e->prev, x.vals[i].value);
	}
	pthread_mutex_unlock(&priv->publish_lock);
	fo_xreading_free(&x);
}

static struct failover_stats_acc *
fo_acc_of(struct failover_priv *priv, enum failover_slot slot)
{
	return slot == FO_SLOT_VF ? &priv->vf_stats : &priv->synthetic_stats;
}

/*
 * From a callback or a guard (no priv->lock), once the sub-port @p ident
 * is out of the data path and about to be stopped, closed or destroyed
 * under us: keep its last counters for failover_stats_fold().
 */
void
failover_stats_snapshot(struct failover_priv *priv, enum failover_slot slot,
		uint32_t ident)
{
	struct failover_subport *sp = failover_sub(priv, slot);
	struct failover_stats_acc *a = fo_acc_of(priv, slot);
	/* Acquire: pairs with the release stores of the control plane. */
	uint32_t id = FO_CB_IDENT(__atomic_load_n(&sp->cb, __ATOMIC_ACQUIRE));
	uint16_t port_id = FO_IDENT_PORT(ident);
	struct failover_xstat *e;
	struct fo_xreading x;
	struct failover_eth_stats s;
	unsigned int i, hint = 0;
	const char *name;
	bool basic;

	/* Released already: folded, nothing to keep. */
	if (id != ident || port_id == FO_NO_PORT)
		return;
	basic = failover_eth_stats_get(port_id, &s) == 0;
	fo_xread(port_id, &x);
	pthread_mutex_lock(&priv->publish_lock);
	if (basic) {
		fo_stats_flatten(&s, a->final);
		a->final_ident = id;
	}
	for (i = 0; i < x.nb; i++) {
		name = fo_xreading_name(&x, i);
		e = name != NULL ? fo_xs_get(priv, slot, name, &hint) : NULL;
		if (e != NULL) {
			e->final = x.vals[i].value;
			e->final_ident = id;
		}
	}
	pthread_mutex_unlock(&priv->publish_lock);
	fo_xreading_free(&x);
}

/*
 * The sub-port of @p slot is about to be released: fold its last
 * counters, then make the next port of that slot count from zero. Called
 * with priv->lock held.
 */
void
failover_stats_fold(struct failover_priv *priv, enum failover_slot slot)
{
	struct failover_stats_acc *a = fo_acc_of(priv, slot);
	uint32_t id = failover_sub(priv, slot)->ident;
	struct failover_xstat *e;
	unsigned int i, nb;

	fo_poll(priv, slot, true);
	pthread_mutex_lock(&priv->publish_lock);
	if (id != 0 && a->final_ident == id)
		for (i = 0; i < FO_NB_COUNTERS; i++)
			fo_fold_final(&a->acc[i], &a->prev[i], a->final[i]);
	a->final_ident = 0;
	memset(a->prev, 0, sizeof(a->prev));
	nb = priv->xs_nb;
	for (i = 0; i < nb; i++) {
		e = &priv->xs[i];
		if (e->slot != slot)
			continue;
		if (id != 0 && e->final_ident == id)
			fo_fold_final(&e->acc, &e->prev, e->final);
		e->final_ident = 0;
		e->prev = 0;
	}
	pthread_mutex_unlock(&priv->publish_lock);
}

/* ----------------------------------------------------------------------
 * The PMD's own counters
 * ---------------------------------------------------------------------- */

/* Totals since the port was created. priv->lock held. */
static void
fo_counters_raw(struct failover_priv *priv,
		struct rte_pmd_failover_counters *c, uint64_t *time_on_vf_ns)
{
	const struct failover_rxq *rxq;
	const struct failover_txq *txq;
	uint64_t t;
	uint16_t q;

	memset(c, 0, sizeof(*c));
	/* Relaxed: each counter has one writer, the lcore of its queue. */
	for (q = 0; priv->rxqs != NULL && q < RTE_MAX_QUEUES_PER_PORT; q++) {
		rxq = priv->rxqs[q];
		txq = priv->txqs[q];
		if (rxq != NULL) {
			c->rx_vf_packets += __atomic_load_n(&rxq->cnt.pkts_vf,
				__ATOMIC_RELAXED);
			c->rx_synthetic_packets += __atomic_load_n(
				&rxq->cnt.pkts_synthetic, __ATOMIC_RELAXED);
			c->rx_synthetic_while_vf += __atomic_load_n(
				&rxq->cnt.synthetic_while_vf, __ATOMIC_RELAXED);
		}
		if (txq != NULL) {
			c->tx_vf_packets += __atomic_load_n(&txq->cnt.pkts_vf,
				__ATOMIC_RELAXED);
			c->tx_synthetic_packets += __atomic_load_n(
				&txq->cnt.pkts_synthetic, __ATOMIC_RELAXED);
			c->tx_vf_retry_synthetic += __atomic_load_n(
				&txq->cnt.vf_retry_synthetic, __ATOMIC_RELAXED);
			c->tx_no_path += __atomic_load_n(&txq->cnt.no_path,
				__ATOMIC_RELAXED);
		}
	}
	/* Written under priv->lock. */
	c->vf_attach = priv->cnt.vf_attach;
	c->vf_detach = priv->cnt.vf_detach;
	c->vf_refused = priv->cnt.vf_refused;
	c->transitions = priv->cnt.transitions;
	/* Written with the path word, under publish_lock. */
	pthread_mutex_lock(&priv->publish_lock);
	c->switches = priv->cnt.switches;
	c->switch_to_vf = priv->cnt.switch_to_vf;
	c->switch_to_synthetic = priv->cnt.switch_to_synthetic;
	c->last_switch_latency_ns = priv->cnt.last_switch_latency_ns;
	t = priv->time_on_vf_ns;
	if (failover_handoff_value(&priv->handoff) & FO_PATH_VF_TX)
		t += failover_now_ns() - priv->vf_active_since_ns;
	pthread_mutex_unlock(&priv->publish_lock);
	/* Relaxed: statistics added to by callbacks. */
	c->events_coalesced = __atomic_load_n(&priv->cnt.events_coalesced,
		__ATOMIC_RELAXED);
	c->quarantined = __atomic_load_n(&priv->cnt.quarantined,
		__ATOMIC_RELAXED);
	c->synthetic_attach = priv->cnt.synthetic_attach;
	c->synthetic_detach = priv->cnt.synthetic_detach;
	c->vf_resets = priv->cnt.vf_resets;
	c->time_on_vf_ms = t / FO_NS_PER_MS;
	*time_on_vf_ns = t;
}

static uint64_t *
fo_counter(struct rte_pmd_failover_counters *c, unsigned int i)
{
	return RTE_PTR_ADD(c, failover_counter_descs[i].offset);
}

void
failover_stats_counters(struct failover_priv *priv,
		struct rte_pmd_failover_counters *c)
{
	struct rte_pmd_failover_counters *base = &priv->cnt_base;
	uint64_t time_ns, latency;
	bool switched;
	unsigned int i;

	fo_counters_raw(priv, c, &time_ns);
	switched = c->switches != base->switches;
	latency = c->last_switch_latency_ns;
	for (i = 0; i < FO_NB_OWN; i++)
		*fo_counter(c, i) -= *fo_counter(base, i);
	/* Gauges: the last latency only if a switch happened since. */
	c->last_switch_latency_ns = switched ? latency : 0;
	c->time_on_vf_ms = (time_ns - priv->time_on_vf_base_ns) / FO_NS_PER_MS;
}

/* ----------------------------------------------------------------------
 * Basic statistics
 * ---------------------------------------------------------------------- */

static uint64_t
fo_rxq_total(const struct failover_rxq *q)
{
	/* Relaxed: each counter has one writer, the lcore of the queue. */
	return __atomic_load_n(&q->cnt.pkts_vf, __ATOMIC_RELAXED) +
		__atomic_load_n(&q->cnt.pkts_synthetic, __ATOMIC_RELAXED);
}

static uint64_t
fo_txq_total(const struct failover_txq *q)
{
	/* Relaxed: each counter has one writer, the lcore of the queue. */
	return __atomic_load_n(&q->cnt.pkts_vf, __ATOMIC_RELAXED) +
		__atomic_load_n(&q->cnt.pkts_synthetic, __ATOMIC_RELAXED);
}

/*
 * Packets through the port's own queues, since the last reset, into @p st
 * and, unless NULL, per queue into @p q.
 */
static void
fo_stats_packets(const struct failover_priv *priv, struct rte_eth_stats *st,
		failover_qstats *q)
{
	uint64_t n;
	uint16_t i;

	st->ipackets = 0;
	st->opackets = 0;
	if (q != NULL) {
		memset(q->q_ipackets, 0, sizeof(q->q_ipackets));
		memset(q->q_opackets, 0, sizeof(q->q_opackets));
	}
	/* Every queue ever set up: one dropped by a re-configure counted. */
	for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++) {
		if (priv->rxqs[i] != NULL) {
			n = fo_rxq_total(priv->rxqs[i]) - priv->rxqs[i]->stats_base;
			st->ipackets += n;
			if (q != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS)
				q->q_ipackets[i] = n;
		}
		if (priv->txqs[i] != NULL) {
			n = fo_txq_total(priv->txqs[i]) - priv->txqs[i]->stats_base;
			st->opackets += n;
			if (q != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS)
				q->q_opackets[i] = n;
		}
	}
}

int
failover_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		failover_qstats *qstats)
{
	int ret;
	struct failover_priv *priv = failover_priv(dev);

	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	fo_poll(priv, FO_SLOT_SYNTHETIC, false);
	fo_poll(priv, FO_SLOT_VF, false);
	memset(stats, 0, sizeof(*stats));
	if (qstats != NULL)
		memset(qstats, 0, sizeof(*qstats));
	fo_stats_add_flat(stats, qstats, priv->synthetic_stats.acc);
	fo_stats_add_flat(stats, qstats, priv->vf_stats.acc);
	fo_stats_packets(priv, stats, qstats);
	pthread_mutex_unlock(priv->lock);
	return 0;
}

/*
 * Start every counter, basic and extended, again from zero. The sub-ports
 * are not reset (some reset only part of their counters, and the VF may
 * be away): what they count from now on is what counts.
 */
static void
fo_reset(struct failover_priv *priv)
{
	struct failover_stats_acc *a;
	struct failover_xstat *e;
	unsigned int i, nb;
	uint32_t id[FO_SLOTS];
	uint16_t q;
	int s;

	/* Fold the current readings, which then are the new zero. */
	fo_poll(priv, FO_SLOT_SYNTHETIC, true);
	fo_poll(priv, FO_SLOT_VF, true);
	pthread_mutex_lock(&priv->publish_lock);
	for (s = 0; s < FO_SLOTS; s++) {
		a = fo_acc_of(priv, s);
		id[s] = failover_sub(priv, s)->ident;
		memset(a->acc, 0, sizeof(a->acc));
		/* A final reading kept for the fold is part of the past too. */
		if (id[s] != 0 && a->final_ident == id[s])
			for (i = 0; i < FO_NB_COUNTERS; i++)
				a->prev[i] = RTE_MAX(a->prev[i], a->final[i]);
	}
	nb = priv->xs_nb;
	for (i = 0; i < nb; i++) {
		e = &priv->xs[i];
		e->acc = 0;
		if (id[e->slot] != 0 && e->final_ident == id[e->slot])
			e->prev = RTE_MAX(e->prev, e->final);
	}
	pthread_mutex_unlock(&priv->publish_lock);

	fo_counters_raw(priv, &priv->cnt_base, &priv->time_on_vf_base_ns);
	/* The lcores own the queue counters: start from where they are. */
	for (q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++) {
		if (priv->rxqs[q] != NULL)
			priv->rxqs[q]->stats_base = fo_rxq_total(priv->rxqs[q]);
		if (priv->txqs[q] != NULL)
			priv->txqs[q]->stats_base = fo_txq_total(priv->txqs[q]);
	}
}

int
failover_stats_reset(struct rte_eth_dev *dev)
{
	int ret;
	struct failover_priv *priv = failover_priv(dev);

	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	fo_reset(priv);
	pthread_mutex_unlock(priv->lock);
	return 0;
}

/* ----------------------------------------------------------------------
 * Extended statistics
 * ---------------------------------------------------------------------- */

/* Fold both sub-ports; returns how many xstats the port has now. */
static unsigned int
fo_xstats_update(struct failover_priv *priv)
{
	fo_poll(priv, FO_SLOT_SYNTHETIC, true);
	fo_poll(priv, FO_SLOT_VF, true);
	return FO_NB_OWN + fo_xs_count(priv);
}

/* Value of xstat @p id (below the count); priv->lock held. */
static uint64_t
fo_xstat_value(struct failover_priv *priv,
		struct rte_pmd_failover_counters *own, uint64_t id)
{
	if (id < FO_NB_OWN)
		return *fo_counter(own, (unsigned int)id);
	return priv->xs[id - FO_NB_OWN].acc;
}

static void
fo_xstat_name(const struct failover_priv *priv, uint64_t id,
		struct rte_eth_xstat_name *out)
{
	const struct failover_xstat *e;

	if (id < FO_NB_OWN) {
		strlcpy(out->name, failover_counter_descs[id].name,
			sizeof(out->name));
		return;
	}
	e = &priv->xs[id - FO_NB_OWN];
	strlcpy(out->name, e->slot == FO_SLOT_VF ? "vf_" : "synthetic_",
		sizeof(out->name));
	/* A name too long for the prefix is cut; its id still tells it. */
	strlcat(out->name, e->name, sizeof(out->name));
}

int
failover_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n)
{
	int ret;
	struct failover_priv *priv = failover_priv(dev);
	struct rte_pmd_failover_counters own;
	unsigned int i, total;

	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	total = fo_xstats_update(priv);
	if (xstats != NULL && n >= total) {
		failover_stats_counters(priv, &own);
		for (i = 0; i < total; i++) {
			xstats[i].id = i;
			xstats[i].value = fo_xstat_value(priv, &own, i);
		}
	}
	pthread_mutex_unlock(priv->lock);
	return total;
}

int
failover_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	int ret;
	struct failover_priv *priv = failover_priv(dev);
	unsigned int i, total;

	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	/* Read the sub-ports, so that names listed now have values next. */
	total = fo_xstats_update(priv);
	if (names != NULL && size >= total)
		for (i = 0; i < total; i++)
			fo_xstat_name(priv, i, &names[i]);
	pthread_mutex_unlock(priv->lock);
	return total;
}

int
failover_xstats_get_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	struct failover_priv *priv = failover_priv(dev);
	struct rte_pmd_failover_counters own;
	unsigned int i, total;
	int ret = n;

	if (ids == NULL || values == NULL)
		return -EINVAL;
	ret = failover_lock_dev_read(dev, &priv);
	if (ret < 0)
		return ret == -ENODEV ? FO_CLOSED_READ : ret;
	ret = n;
	total = fo_xstats_update(priv);
	failover_stats_counters(priv, &own);
	for (i = 0; i < n; i++) {
		if (ids[i] >= total) {
			ret = -EINVAL;
			break;
		}
		values[i] = fo_xstat_value(priv, &own, ids[i]);
	}
	pthread_mutex_unlock(priv->lock);
	return ret;
}

int
failover_xstats_get_names_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	struct failover_priv *priv = failover_priv(dev);
	unsigned int i, total;

	if (ids == NULL || names == NULL)
		return -EINVAL;
	/* Names below the count never change: no lock needed to read them. */
	total = FO_NB_OWN + fo_xs_count(priv);
	for (i = 0; i < size; i++) {
		if (ids[i] >= total)
			return -EINVAL;
		fo_xstat_name(priv, ids[i], &names[i]);
	}
	return size;
}

int
failover_xstats_reset(struct rte_eth_dev *dev)
{
	return failover_stats_reset(dev);
}
