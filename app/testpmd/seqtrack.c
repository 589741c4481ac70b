/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Sequence tracker (see seqtrack.h). Invariant per flow: every number in
 * [base, next) is either received (its bit set while in the window) or
 * counted in the flow's lost; so a late arrival of a missing number takes
 * one off lost, and lost never goes below zero.
 */

#include <stddef.h>
#include <string.h>

#include "seqtrack.h"

#define WORD_BITS	64u

static inline uint64_t *
bit_word(struct seqtrack_flow *f, uint64_t seq, uint64_t *mask)
{
	uint64_t idx = seq % SEQTRACK_WINDOW;

	*mask = 1ull << (idx % WORD_BITS);
	return &f->window[idx / WORD_BITS];
}

static inline bool
bit_test(struct seqtrack_flow *f, uint64_t seq)
{
	uint64_t mask;

	return (*bit_word(f, seq, &mask) & mask) != 0;
}

static inline void
bit_set(struct seqtrack_flow *f, uint64_t seq)
{
	uint64_t mask;

	*bit_word(f, seq, &mask) |= mask;
}

static inline void
bit_clear(struct seqtrack_flow *f, uint64_t seq)
{
	uint64_t mask;

	*bit_word(f, seq, &mask) &= ~mask;
}

void
seqtrack_init(struct seqtrack *t)
{
	memset(t, 0, sizeof(*t));
}

static struct seqtrack_flow *
flow_find(struct seqtrack *t, uint32_t id, bool *created)
{
	struct seqtrack_flow *free_slot = NULL;
	unsigned int i;

	*created = false;
	for (i = 0; i < SEQTRACK_MAX_FLOWS; i++) {
		struct seqtrack_flow *f = &t->flows[i];

		if (f->used && f->id == id)
			return f;
		if (!f->used && free_slot == NULL)
			free_slot = f;
	}
	if (free_slot != NULL) {
		free_slot->used = true;
		free_slot->id = id;
		t->tot.flows++;
		*created = true;
	}
	return free_slot;
}

static void
flow_start(struct seqtrack_flow *f, uint64_t seq)
{
	memset(f->window, 0, sizeof(f->window));
	f->base = seq;
	f->next = seq + 1;
	f->lost = 0;
	bit_set(f, seq);
}

/* Move the window up so that @p seq is its highest number. */
static void
flow_advance(struct seqtrack_flow *f, uint64_t seq)
{
	uint64_t s;

	if (seq - f->next + 1 >= SEQTRACK_WINDOW) {
		memset(f->window, 0, sizeof(f->window));
	} else {
		/* The numbers entering the window reuse the bits of the ones
		 * leaving it. */
		for (s = f->next; s <= seq; s++)
			bit_clear(f, s);
	}
	bit_set(f, seq);
	f->next = seq + 1;
}

enum seqtrack_verdict
seqtrack_rx(struct seqtrack *t, uint32_t flow, uint64_t seq)
{
	struct seqtrack_flow *f;
	uint64_t gap, back, extra;
	bool created;

	t->tot.received++;
	f = flow_find(t, flow, &created);
	if (f == NULL) {
		t->tot.untracked++;
		return SEQTRACK_UNTRACKED;
	}
	if (created) {
		flow_start(f, seq);
		t->tot.unique++;
		return SEQTRACK_NEW_FLOW;
	}

	if (seq >= f->next) {
		gap = seq - f->next;
		if (gap >= SEQTRACK_RESTART_AHEAD)
			goto restart;
		flow_advance(f, seq);
		f->lost += gap;
		t->tot.lost += gap;
		t->tot.unique++;
		return gap == 0 ? SEQTRACK_IN_ORDER : SEQTRACK_GAP;
	}

	back = f->next - seq;
	if (back > SEQTRACK_RESTART_BACK)
		goto restart;
	if (back > SEQTRACK_WINDOW) {
		t->tot.stale++;
		return SEQTRACK_STALE;
	}
	if (seq < f->base) {
		/*
		 * Older than the flow's first packet: the flow began earlier
		 * than we thought. The numbers between this one and the old
		 * base were never seen: they are missing now. Their bits are
		 * clear: nothing below base was ever set.
		 */
		extra = f->base - seq - 1;
		f->base = seq;
		f->lost += extra;
		t->tot.lost += extra;
		bit_set(f, seq);
		t->tot.unique++;
		t->tot.reordered++;
		return SEQTRACK_REORDERED;
	}
	if (bit_test(f, seq)) {
		t->tot.dup++;
		return SEQTRACK_DUP;
	}
	/* In [base, next) and not received: it was counted lost. */
	bit_set(f, seq);
	f->lost--;
	t->tot.lost--;
	t->tot.unique++;
	t->tot.reordered++;
	return SEQTRACK_REORDERED;

restart:
	/* The losses of the flow's previous life stay in the totals. */
	flow_start(f, seq);
	t->tot.restarts++;
	t->tot.unique++;
	return SEQTRACK_RESTART;
}

uint64_t
seqtrack_flow_lost(const struct seqtrack *t, uint32_t flow)
{
	unsigned int i;

	for (i = 0; i < SEQTRACK_MAX_FLOWS; i++)
		if (t->flows[i].used && t->flows[i].id == flow)
			return t->flows[i].lost;
	return 0;
}
