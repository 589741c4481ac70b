/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_SEQTRACK_H
#define FO_SEQTRACK_H

/*
 * Sequence tracker of the rxcheck engine: a pure function core (no DPDK,
 * no EAL) fed with the (flow, sequence number) of each received packet.
 *
 * Per flow it keeps the highest number seen and a bitmap of the
 * SEQTRACK_WINDOW numbers below it, so it tells apart:
 *  - in order: the next number, or a higher one (the numbers skipped are
 *    counted lost until they arrive);
 *  - reordered: a number below the highest seen that was missing; it is
 *    no longer lost;
 *  - duplicated: a number below the highest seen, already received;
 *  - stale: a number too far below the highest seen to tell (beyond the
 *    window): counted apart, neither lost nor received;
 *  - restart: a number so far below (or above) that the sender must have
 *    started again: the flow starts afresh from it, its losses so far stay
 *    counted.
 * The first number of a flow is its base: numbers below it are not lost
 * unless one of them arrives (then the base moves down to it).
 *
 * One tracker belongs to one thread (a forwarding stream): no locking.
 */

#include <stdbool.h>
#include <stdint.h>

/* Numbers below the highest seen whose arrival is remembered. */
#define SEQTRACK_WINDOW		4096u
/* Flows one tracker follows; packets of more flows are untracked. */
#define SEQTRACK_MAX_FLOWS	16u
/* A number this far below the highest seen means the sender restarted. */
#define SEQTRACK_RESTART_BACK	(1ull << 20)
/* A jump this far ahead is a new sender too, not that many losses. */
#define SEQTRACK_RESTART_AHEAD	(1ull << 32)

enum seqtrack_verdict {
	SEQTRACK_NEW_FLOW,	/* first packet of a flow */
	SEQTRACK_IN_ORDER,	/* the next number */
	SEQTRACK_GAP,		/* higher than the next: numbers skipped */
	SEQTRACK_REORDERED,	/* a missing number, late */
	SEQTRACK_DUP,		/* already received */
	SEQTRACK_STALE,		/* too old to tell */
	SEQTRACK_RESTART,	/* the sender started again */
	SEQTRACK_UNTRACKED,	/* flow table full */
};

struct seqtrack_totals {
	uint64_t received;	/* packets given to seqtrack_rx() */
	uint64_t unique;	/* distinct numbers received */
	uint64_t lost;		/* numbers skipped and not (yet) received */
	uint64_t dup;
	uint64_t reordered;
	uint64_t stale;
	uint64_t restarts;
	uint64_t untracked;
	uint32_t flows;		/* flows being followed */
};

struct seqtrack_flow {
	uint32_t id;
	bool used;
	uint64_t base;		/* lowest number the flow accounts for */
	uint64_t next;		/* highest number seen + 1 */
	uint64_t lost;		/* of this flow, since its last restart */
	/* Bit (s % SEQTRACK_WINDOW): s received, for s in
	 * [next - SEQTRACK_WINDOW, next) and s >= base. */
	uint64_t window[SEQTRACK_WINDOW / 64];
};

struct seqtrack {
	struct seqtrack_flow flows[SEQTRACK_MAX_FLOWS];
	struct seqtrack_totals tot;
};

/* Forget every flow and zero the totals. */
void seqtrack_init(struct seqtrack *t);

/* Account one received packet of @p flow with number @p seq. */
enum seqtrack_verdict seqtrack_rx(struct seqtrack *t, uint32_t flow,
		uint64_t seq);

/* Lost numbers of one flow (since its last restart), or 0 if unknown. */
uint64_t seqtrack_flow_lost(const struct seqtrack *t, uint32_t flow);

#endif /* FO_SEQTRACK_H */
