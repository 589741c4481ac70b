/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Unit tests of the VF life-cycle state machine (lib/failover_sm.c):
 *  - invariants checked on every state x flag combination x event;
 *  - one test per row of the transition table, exact state and actions;
 *  - scenarios as the driver sees them;
 *  - reachability: no trap state, VF_ACTIVE always reachable again.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "failover_sm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Flag bits of a test configuration. */
#define F_S	1u	/* started */
#define F_L	2u	/* vf_link_up */
#define F_P	4u	/* pinned_synthetic */
#define F_R	8u	/* reprobe */
#define F_ALL	16u	/* number of flag combinations */

/* Short names keep the tables readable. */
#define SYN	FAILOVER_STATE_SYNTHETIC_ONLY
#define PEND	FAILOVER_STATE_VF_PENDING
#define SETL	FAILOVER_STATE_VF_SETTLING
#define STBY	FAILOVER_STATE_VF_STANDBY
#define ACT	FAILOVER_STATE_VF_ACTIVE
#define DRN	FAILOVER_STATE_VF_DRAINING
#define REF	FAILOVER_STATE_VF_REFUSED
#define GONE	FAILOVER_STATE_VF_GONE

#define A_REFUSED	FAILOVER_ACT_REFUSED
#define A_CSETTLE	FAILOVER_ACT_CANCEL_SETTLE
#define A_CREPROBE	FAILOVER_ACT_CANCEL_REPROBE
#define A_PUB_VF	FAILOVER_ACT_PUBLISH_VF
#define A_PUB_SYN	FAILOVER_ACT_PUBLISH_SYNTHETIC
#define A_PUB_NOVF	FAILOVER_ACT_PUBLISH_NO_VF
#define A_SETUP		FAILOVER_ACT_SETUP_VF
#define A_DRAIN		FAILOVER_ACT_START_DRAIN
#define A_RELEASE	FAILOVER_ACT_RELEASE_VF
#define A_ASETTLE	FAILOVER_ACT_ARM_SETTLE
#define A_AREPROBE	FAILOVER_ACT_ARM_REPROBE
#define A_PROBE		FAILOVER_ACT_PROBE_VF

#define A_PUB_ANY	(A_PUB_VF | A_PUB_SYN | A_PUB_NOVF)
#define A_ALL		((FAILOVER_ACT_PROBE_VF << 1) - 1)
#define A_CLOSE		(A_CSETTLE | A_CREPROBE | A_PUB_NOVF)

static const char * const act_names[] = {
	"REFUSED", "CANCEL_SETTLE", "CANCEL_REPROBE", "PUBLISH_VF",
	"PUBLISH_SYNTHETIC", "PUBLISH_NO_VF", "SETUP_VF", "START_DRAIN",
	"RELEASE_VF", "ARM_SETTLE", "ARM_REPROBE", "PROBE_VF",
};

static struct failover_sm
sm_make(enum failover_state st, unsigned int flags)
{
	struct failover_sm sm;

	memset(&sm, 0, sizeof(sm));
	sm.state = st;
	sm.started = (flags & F_S) != 0;
	sm.vf_link_up = (flags & F_L) != 0;
	sm.pinned_synthetic = (flags & F_P) != 0;
	sm.reprobe = (flags & F_R) != 0;
	return sm;
}

static unsigned int
sm_flags(const struct failover_sm *sm)
{
	return (sm->started ? F_S : 0) | (sm->vf_link_up ? F_L : 0) |
		(sm->pinned_synthetic ? F_P : 0) | (sm->reprobe ? F_R : 0);
}

static bool
usable(const struct failover_sm *sm)
{
	return sm->started && sm->vf_link_up && !sm->pinned_synthetic;
}

/* States in which Rx polls the VF. */
static bool
polls_vf(enum failover_state st)
{
	return st == SETL || st == STBY || st == ACT || st == DRN;
}

/* The path each state has published, as a PUBLISH_* bit. */
static uint32_t
published(enum failover_state st)
{
	switch (st) {
	case ACT:
		return A_PUB_VF;
	case SETL:
	case STBY:
	case DRN:
		return A_PUB_SYN;
	default:
		return A_PUB_NOVF;
	}
}

/*
 * SETTLING and ACTIVE need a usable VF; STANDBY holds one that is not;
 * VF_GONE waits for a device that is re-probed.
 */
static bool
consistent(const struct failover_sm *sm)
{
	switch (sm->state) {
	case SETL:
	case ACT:
		return usable(sm);
	case STBY:
		return !usable(sm);
	case GONE:
		return sm->reprobe;
	default:
		return true;
	}
}

static bool
is_request(enum failover_event ev)
{
	return ev == FAILOVER_EV_VF_ADDED || ev == FAILOVER_EV_RETRY ||
		ev == FAILOVER_EV_SWITCH_TO_VF || ev == FAILOVER_EV_DETACH;
}

static const char *
fmt_actions(uint32_t act, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(act_names); i++) {
		if (!(act & (1u << i)))
			continue;
		off += snprintf(buf + off, len - off, "%s%s",
				off ? "|" : "", act_names[i]);
		if (off >= len)
			return buf;
	}
	if (act & ~A_ALL)
		snprintf(buf + off, len - off, "%s0x%x", off ? "|" : "",
			 act & ~A_ALL);
	else if (off == 0)
		snprintf(buf, len, "NONE");
	return buf;
}

static const char *
fmt_config(const struct failover_sm *sm, char *buf, size_t len)
{
	snprintf(buf, len, "%s[%s%s%s%s]", failover_state_name(sm->state),
		 sm->started ? "S" : "-", sm->vf_link_up ? "L" : "-",
		 sm->pinned_synthetic ? "P" : "-", sm->reprobe ? "R" : "-");
	return buf;
}

/* ----------------------------------------------------------------------
 * 1. Invariants over every state x flags x event
 * ---------------------------------------------------------------------- */

#define CHECK(cond, what) do { \
	if (!(cond)) { \
		char o_[64], n_[64], a_[256]; \
		fail_msg("%s %s -> %s %s: %s", fmt_config(old, o_, sizeof(o_)), \
			 failover_event_name(ev), fmt_config(new, n_, sizeof(n_)), \
			 fmt_actions(act, a_, sizeof(a_)), what); \
	} \
} while (0)

static void
check_flags(const struct failover_sm *old, enum failover_event ev,
	    const struct failover_sm *new, uint32_t act)
{
	bool started = old->started;
	bool link = old->vf_link_up;
	bool pinned = old->pinned_synthetic;

	switch (ev) {
	case FAILOVER_EV_STARTED:
		started = true;
		break;
	case FAILOVER_EV_STOPPED:
		started = false;
		break;
	case FAILOVER_EV_LINK_UP:
		link = true;
		break;
	case FAILOVER_EV_LINK_DOWN:
	case FAILOVER_EV_VF_REMOVED:
	case FAILOVER_EV_VF_RESET:
		link = false;
		break;
	case FAILOVER_EV_VF_ADDED:
		/* only an adopted VF starts with an unknown link */
		if (!failover_sm_holds_vf(old->state))
			link = false;
		break;
	case FAILOVER_EV_SWITCH_TO_VF:
		pinned = false;
		break;
	case FAILOVER_EV_SWITCH_TO_SYNTHETIC:
		pinned = true;
		break;
	default:
		break;
	}
	CHECK(new->started == started, "started flag");
	CHECK(new->vf_link_up == link, "vf_link_up flag");
	CHECK(new->pinned_synthetic == pinned, "pinned_synthetic flag");
	CHECK(new->reprobe == old->reprobe, "reprobe never changes");
}

static void
check_publish(const struct failover_sm *old, enum failover_event ev,
	      const struct failover_sm *new, uint32_t act)
{
	uint32_t pub = act & A_PUB_ANY;

	CHECK((pub & (pub - 1)) == 0, "at most one PUBLISH_*");
	CHECK(pub == 0 || pub == published(new->state),
	      "PUBLISH_* names the path of the new state");
	CHECK(published(old->state) == published(new->state) || pub != 0,
	      "a change of path is published");
	CHECK(!(act & A_PUB_VF) || (new->state == ACT && usable(new)),
	      "PUBLISH_VF only into VF_ACTIVE with a usable VF");
	CHECK(new->state != ACT ||
	      (old->state == ACT && usable(new)) || (act & A_PUB_VF),
	      "VF_ACTIVE only if still usable or just published");
	CHECK(new->state != ACT || usable(new), "VF_ACTIVE is usable");
	CHECK(!polls_vf(old->state) || failover_sm_holds_vf(new->state) ||
	      (act & A_PUB_NOVF),
	      "Rx stops polling a VF before it is released");
	CHECK(failover_sm_on_vf(new) == (new->state == ACT),
	      "on_vf only in VF_ACTIVE");
}

static void
check_lifecycle(const struct failover_sm *old, enum failover_event ev,
		const struct failover_sm *new, uint32_t act)
{
	bool held = failover_sm_holds_vf(old->state);
	bool holds = failover_sm_holds_vf(new->state);

	CHECK(!!(act & A_RELEASE) == (held && !holds),
	      "RELEASE_VF exactly when a held VF is given up");
	CHECK(holds == held || !holds || new->state == PEND,
	      "a VF is only taken through VF_PENDING");
	CHECK(polls_vf(old->state) || !polls_vf(new->state) ||
	      (old->state == PEND && ev == FAILOVER_EV_SETUP_DONE),
	      "Rx polls a VF only once SETUP_DONE says it is set up");
	CHECK(!!(act & A_SETUP) == (new->state == PEND && old->state != PEND),
	      "SETUP_VF exactly when entering VF_PENDING");
	CHECK(!!(act & A_ASETTLE) == (new->state == SETL && old->state != SETL),
	      "ARM_SETTLE exactly when entering VF_SETTLING");
	CHECK(!!(act & A_CSETTLE) ==
	      (ev == FAILOVER_EV_CLOSE ||
	       (old->state == SETL && new->state != SETL &&
		ev != FAILOVER_EV_SETTLE_TIMER)),
	      "CANCEL_SETTLE exactly when leaving VF_SETTLING before the timer, or on CLOSE");
	CHECK(!!(act & A_AREPROBE) ==
	      (new->state == GONE &&
	       (old->state != GONE || ev == FAILOVER_EV_REPROBE_TIMER)),
	      "ARM_REPROBE exactly when entering VF_GONE or on its timer");
	CHECK(!!(act & A_CREPROBE) ==
	      (ev == FAILOVER_EV_CLOSE ||
	       (old->state == GONE && new->state != GONE)),
	      "CANCEL_REPROBE exactly when leaving VF_GONE, or on CLOSE");
	CHECK(!!(act & A_PROBE) ==
	      (old->state == GONE && ev == FAILOVER_EV_REPROBE_TIMER),
	      "PROBE_VF exactly on the re-probe timer in VF_GONE");
	CHECK(!!(act & A_DRAIN) == (new->state == DRN && old->state != DRN),
	      "START_DRAIN exactly when entering VF_DRAINING");
	CHECK(new->state != DRN || old->state == DRN ||
	      ev == FAILOVER_EV_DETACH, "only DETACH starts a drain");
	CHECK(new->state != GONE || old->state == GONE || new->reprobe,
	      "VF_GONE entered only when vf= is re-probed");
}

static void
check_requests(const struct failover_sm *old, enum failover_event ev,
	       const struct failover_sm *new, uint32_t act)
{
	bool refused = (act & A_REFUSED) != 0;

	CHECK(!refused || is_request(ev), "only requests are refused");
	CHECK(!refused || !consistent(old) ||
	      (act == A_REFUSED && new->state == old->state),
	      "a refusal changes no state and carries no action");
	switch (ev) {
	case FAILOVER_EV_VF_ADDED:
		CHECK(refused == failover_sm_holds_vf(old->state),
		      "a VF is adopted exactly when none is held");
		break;
	case FAILOVER_EV_RETRY:
		CHECK(refused == (old->state != REF),
		      "RETRY is honoured exactly in VF_REFUSED");
		break;
	case FAILOVER_EV_SWITCH_TO_VF:
		CHECK(refused == (new->state != ACT),
		      "SWITCH_TO_VF ends in VF_ACTIVE or is refused");
		CHECK(refused == !(polls_vf(old->state) &&
				   old->state != DRN && usable(new)),
		      "SWITCH_TO_VF honoured exactly with a set-up usable VF");
		break;
	case FAILOVER_EV_SWITCH_TO_SYNTHETIC:
		CHECK(new->state != ACT, "pinning synthetic leaves the VF");
		break;
	case FAILOVER_EV_DETACH:
		CHECK(refused == (!failover_sm_holds_vf(old->state) ||
				  old->state == DRN),
		      "DETACH honoured exactly when a VF is held and not draining");
		CHECK(refused || new->state == DRN || !failover_sm_holds_vf(new->state),
		      "DETACH drains or releases");
		break;
	case FAILOVER_EV_CLOSE:
		CHECK(new->state == SYN, "CLOSE ends in SYNTHETIC_ONLY");
		CHECK((act & ~A_RELEASE) == A_CLOSE, "CLOSE cancels and unpublishes");
		break;
	case FAILOVER_EV_VF_REMOVED:
		CHECK(!failover_sm_holds_vf(new->state), "a removed VF is not held");
		break;
	case FAILOVER_EV_VF_RESET:
		CHECK(!failover_sm_holds_vf(old->state) ||
		      old->state == PEND ||
		      (old->state == DRN ? !failover_sm_holds_vf(new->state) :
		       new->state == PEND && (act & A_SETUP)),
		      "a reset VF is set up again (released if draining)");
		CHECK(!polls_vf(old->state) || old->state == DRN ||
		      (act & A_PUB_NOVF), "a reset VF leaves the path first");
		CHECK(failover_sm_holds_vf(old->state) ||
		      (new->state == old->state && act == 0),
		      "VF_RESET without a VF does nothing");
		break;
	default:
		break;
	}
}

/* Events that only matter in one state are no-ops elsewhere. */
static void
check_quiet(const struct failover_sm *old, enum failover_event ev,
	    const struct failover_sm *new, uint32_t act)
{
	bool stale = false;
	bool flag_only = false;

	switch (ev) {
	case FAILOVER_EV_SETUP_DONE:
	case FAILOVER_EV_SETUP_FAILED:
		stale = old->state != PEND;
		break;
	case FAILOVER_EV_SETTLE_TIMER:
		stale = old->state != SETL;
		break;
	case FAILOVER_EV_DRAIN_DONE:
		stale = old->state != DRN;
		break;
	case FAILOVER_EV_REPROBE_TIMER:
		stale = old->state != GONE;
		break;
	case FAILOVER_EV_LINK_UP:
	case FAILOVER_EV_LINK_DOWN:
	case FAILOVER_EV_STARTED:
	case FAILOVER_EV_STOPPED:
	case FAILOVER_EV_SWITCH_TO_SYNTHETIC:
		flag_only = !(old->state == SETL || old->state == STBY ||
			      old->state == ACT);
		break;
	default:
		break;
	}
	if (stale && consistent(old))
		CHECK(new->state == old->state && act == 0,
		      "a stale timer or completion does nothing");
	if (flag_only)
		CHECK(new->state == old->state && act == 0,
		      "without a set-up VF this event only records a flag");
}

static void
check_step(const struct failover_sm *old, enum failover_event ev,
	   const struct failover_sm *new, uint32_t act)
{
	CHECK((unsigned int)new->state < FAILOVER_STATE_MAX, "valid new state");
	CHECK((act & ~A_ALL) == 0, "only defined action bits");
	CHECK(!consistent(old) || consistent(new),
	      "a consistent configuration stays consistent");
	CHECK(!(new->state == SETL || new->state == STBY || new->state == ACT) ||
	      consistent(new), "a set-up VF's state follows its usability");
	check_flags(old, ev, new, act);
	check_publish(old, ev, new, act);
	check_lifecycle(old, ev, new, act);
	check_requests(old, ev, new, act);
	check_quiet(old, ev, new, act);
}

static void
test_exhaustive_invariants(void **state)
{
	unsigned int st, f, e, checked = 0;

	(void)state;
	for (st = 0; st < FAILOVER_STATE_MAX; st++) {
		for (f = 0; f < F_ALL; f++) {
			for (e = 0; e < FAILOVER_EV_MAX; e++) {
				struct failover_sm old = sm_make(st, f);
				struct failover_sm new = old;
				uint32_t act;

				act = failover_sm_step(&new, e);
				check_step(&old, e, &new, act);
				checked++;
			}
		}
	}
	assert_int_equal(checked,
			 FAILOVER_STATE_MAX * F_ALL * FAILOVER_EV_MAX);
}

/* The machine is a pure function: same input, same output. */
static void
test_deterministic(void **state)
{
	unsigned int st, f, e;

	(void)state;
	for (st = 0; st < FAILOVER_STATE_MAX; st++) {
		for (f = 0; f < F_ALL; f++) {
			for (e = 0; e < FAILOVER_EV_MAX; e++) {
				struct failover_sm a = sm_make(st, f);
				struct failover_sm b = sm_make(st, f);

				assert_int_equal(failover_sm_step(&a, e),
						 failover_sm_step(&b, e));
				assert_int_equal(a.state, b.state);
				assert_int_equal(sm_flags(&a), sm_flags(&b));
			}
		}
	}
}

static void
test_out_of_range(void **state)
{
	static const int bad_events[] = { -1, FAILOVER_EV_MAX,
					  FAILOVER_EV_MAX + 7, 0x7fffffff };
	static const int bad_states[] = { -1, FAILOVER_STATE_MAX, 1000 };
	unsigned int st, f, i, e;

	(void)state;
	for (st = 0; st < FAILOVER_STATE_MAX; st++) {
		for (f = 0; f < F_ALL; f++) {
			for (i = 0; i < ARRAY_SIZE(bad_events); i++) {
				struct failover_sm sm = sm_make(st, f);

				assert_int_equal(failover_sm_step(&sm,
					(enum failover_event)bad_events[i]),
					A_REFUSED);
				assert_int_equal(sm.state, st);
				assert_int_equal(sm_flags(&sm), f);
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(bad_states); i++) {
		for (f = 0; f < F_ALL; f++) {
			for (e = 0; e < FAILOVER_EV_MAX; e++) {
				struct failover_sm sm = sm_make(SYN, f);

				sm.state = (enum failover_state)bad_states[i];
				assert_int_equal(failover_sm_step(&sm, e),
						 A_REFUSED);
				assert_int_equal((int)sm.state, bad_states[i]);
				assert_int_equal(sm_flags(&sm), f);
			}
		}
		assert_false(failover_sm_holds_vf(
				(enum failover_state)bad_states[i]));
	}
}

static void
test_init(void **state)
{
	struct failover_sm sm;

	(void)state;
	memset(&sm, 0xa5, sizeof(sm));
	failover_sm_init(&sm, false);
	assert_int_equal(sm.state, SYN);
	assert_int_equal(sm_flags(&sm), 0);
	assert_false(failover_sm_on_vf(&sm));

	memset(&sm, 0xa5, sizeof(sm));
	failover_sm_init(&sm, true);
	assert_int_equal(sm.state, SYN);
	assert_int_equal(sm_flags(&sm), F_R);
}

static void
test_queries(void **state)
{
	static const bool holds[FAILOVER_STATE_MAX] = {
		[SYN] = false, [PEND] = true, [SETL] = true, [STBY] = true,
		[ACT] = true, [DRN] = true, [REF] = true, [GONE] = false,
	};
	unsigned int st, f;

	(void)state;
	for (st = 0; st < FAILOVER_STATE_MAX; st++) {
		assert_int_equal(failover_sm_holds_vf(st), holds[st]);
		for (f = 0; f < F_ALL; f++) {
			struct failover_sm sm = sm_make(st, f);

			assert_int_equal(failover_sm_on_vf(&sm), st == ACT);
		}
	}
}

static void
test_names(void **state)
{
	static const char * const states[] = {
		"SYNTHETIC_ONLY", "VF_PENDING", "VF_SETTLING", "VF_STANDBY",
		"VF_ACTIVE", "VF_DRAINING", "VF_REFUSED", "VF_GONE",
	};
	static const char * const events[] = {
		"VF_ADDED", "SETUP_DONE", "SETUP_FAILED", "RETRY", "LINK_UP",
		"LINK_DOWN", "SETTLE_TIMER", "STARTED", "STOPPED",
		"SWITCH_TO_VF", "SWITCH_TO_SYNTHETIC", "DETACH", "DRAIN_DONE",
		"VF_REMOVED", "REPROBE_TIMER", "CLOSE", "VF_RESET",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(states), FAILOVER_STATE_MAX);
	assert_int_equal(ARRAY_SIZE(events), FAILOVER_EV_MAX);
	for (i = 0; i < ARRAY_SIZE(states); i++)
		assert_string_equal(failover_state_name(i), states[i]);
	for (i = 0; i < ARRAY_SIZE(events); i++)
		assert_string_equal(failover_event_name(i), events[i]);
	assert_string_equal(failover_state_name(FAILOVER_STATE_MAX), "UNKNOWN");
	assert_string_equal(failover_state_name((enum failover_state)-1),
			    "UNKNOWN");
	assert_string_equal(failover_event_name(FAILOVER_EV_MAX), "UNKNOWN");
	assert_string_equal(failover_event_name((enum failover_event)-1),
			    "UNKNOWN");
}

/* ----------------------------------------------------------------------
 * 2. One test per row of the transition table
 * ---------------------------------------------------------------------- */

struct sm_row {
	enum failover_state from;
	unsigned int flags;
	enum failover_event ev;
	enum failover_state to;
	unsigned int to_flags;
	uint32_t act;
};

#define ROW(st, fl, e, nst, nfl, a) \
	{ st, fl, FAILOVER_EV_ ## e, nst, nfl, a }
#define SL	(F_S | F_L)
#define RELEASE_ALL	(A_PUB_NOVF | A_RELEASE)

static const struct sm_row rows[] = {
	/* adoption */
	ROW(SYN, SL, VF_ADDED, PEND, F_S, A_SETUP),
	ROW(SYN, F_P, VF_ADDED, PEND, F_P, A_SETUP),
	ROW(GONE, SL | F_R, VF_ADDED, PEND, F_S | F_R, A_SETUP | A_CREPROBE),
	ROW(GONE, F_R, REPROBE_TIMER, GONE, F_R, A_AREPROBE | A_PROBE),
	/* setup outcome */
	ROW(PEND, SL, SETUP_DONE, SETL, SL, A_PUB_SYN | A_ASETTLE),
	ROW(PEND, F_S, SETUP_DONE, STBY, F_S, A_PUB_SYN),
	ROW(PEND, F_L, SETUP_DONE, STBY, F_L, A_PUB_SYN),
	ROW(PEND, SL | F_P, SETUP_DONE, STBY, SL | F_P, A_PUB_SYN),
	ROW(PEND, SL, SETUP_FAILED, REF, SL, 0),
	ROW(REF, SL, RETRY, PEND, SL, A_SETUP),
	ROW(PEND, F_S, LINK_UP, PEND, SL, 0),
	ROW(PEND, SL, LINK_DOWN, PEND, F_S, 0),
	ROW(PEND, F_L, STARTED, PEND, SL, 0),
	/* settling */
	ROW(SETL, SL, SETTLE_TIMER, ACT, SL, A_PUB_VF),
	ROW(SETL, F_S, SETTLE_TIMER, STBY, F_S, 0),
	ROW(SETL, SL, LINK_DOWN, STBY, F_S, A_CSETTLE),
	ROW(SETL, SL, STOPPED, STBY, F_L, A_CSETTLE),
	ROW(SETL, SL, SWITCH_TO_SYNTHETIC, STBY, SL | F_P, A_CSETTLE),
	ROW(SETL, SL, SWITCH_TO_VF, ACT, SL, A_CSETTLE | A_PUB_VF),
	ROW(SETL, SL, LINK_UP, SETL, SL, 0),
	/* standby becomes usable */
	ROW(STBY, F_S, LINK_UP, SETL, SL, A_ASETTLE),
	ROW(STBY, F_L, STARTED, SETL, SL, A_ASETTLE),
	ROW(STBY, SL | F_P, SWITCH_TO_VF, ACT, SL, A_PUB_VF),
	ROW(STBY, 0, LINK_UP, STBY, F_L, 0),
	ROW(STBY, F_S | F_P, LINK_UP, STBY, SL | F_P, 0),
	ROW(STBY, F_L | F_P, STARTED, STBY, SL | F_P, 0),
	ROW(STBY, SL | F_P, SWITCH_TO_SYNTHETIC, STBY, SL | F_P, 0),
	ROW(STBY, F_L | F_P, SWITCH_TO_VF, STBY, F_L, A_REFUSED),
	ROW(STBY, F_S | F_P, SWITCH_TO_VF, STBY, F_S, A_REFUSED),
	ROW(STBY, F_S, SWITCH_TO_VF, STBY, F_S, A_REFUSED),
	/* active stops being usable */
	ROW(ACT, SL, LINK_DOWN, STBY, F_S, A_PUB_SYN),
	ROW(ACT, SL, STOPPED, STBY, F_L, A_PUB_SYN),
	ROW(ACT, SL, SWITCH_TO_SYNTHETIC, STBY, SL | F_P, A_PUB_SYN),
	ROW(ACT, SL, SWITCH_TO_VF, ACT, SL, 0),
	ROW(ACT, SL, LINK_UP, ACT, SL, 0),
	ROW(ACT, SL, STARTED, ACT, SL, 0),
	/* surprise removal */
	ROW(PEND, SL, VF_REMOVED, SYN, F_S, RELEASE_ALL),
	ROW(PEND, SL | F_R, VF_REMOVED, GONE, F_S | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(SETL, SL, VF_REMOVED, SYN, F_S, A_CSETTLE | RELEASE_ALL),
	ROW(SETL, SL | F_R, VF_REMOVED, GONE, F_S | F_R,
	    A_CSETTLE | RELEASE_ALL | A_AREPROBE),
	ROW(STBY, F_S, VF_REMOVED, SYN, F_S, RELEASE_ALL),
	ROW(STBY, F_S | F_R, VF_REMOVED, GONE, F_S | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(ACT, SL, VF_REMOVED, SYN, F_S, RELEASE_ALL),
	ROW(ACT, SL | F_R, VF_REMOVED, GONE, F_S | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(DRN, SL, VF_REMOVED, SYN, F_S, RELEASE_ALL),
	ROW(DRN, SL | F_R, VF_REMOVED, GONE, F_S | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(REF, SL, VF_REMOVED, SYN, F_S, RELEASE_ALL),
	ROW(REF, SL | F_R, VF_REMOVED, GONE, F_S | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(SYN, F_R, VF_REMOVED, GONE, F_R, A_AREPROBE),
	ROW(SYN, F_S, VF_REMOVED, SYN, F_S, 0),
	ROW(GONE, F_R, VF_REMOVED, GONE, F_R, 0),
	/* graceful detach */
	ROW(SETL, SL, DETACH, DRN, SL, A_CSETTLE | A_PUB_SYN | A_DRAIN),
	ROW(STBY, F_S, DETACH, DRN, F_S, A_PUB_SYN | A_DRAIN),
	ROW(ACT, SL, DETACH, DRN, SL, A_PUB_SYN | A_DRAIN),
	ROW(PEND, SL, DETACH, SYN, SL, RELEASE_ALL),
	ROW(PEND, SL | F_R, DETACH, GONE, SL | F_R, RELEASE_ALL | A_AREPROBE),
	ROW(REF, SL, DETACH, SYN, SL, RELEASE_ALL),
	ROW(REF, SL | F_R, DETACH, GONE, SL | F_R, RELEASE_ALL | A_AREPROBE),
	ROW(DRN, SL, DRAIN_DONE, SYN, SL, RELEASE_ALL),
	ROW(DRN, SL | F_R, DRAIN_DONE, GONE, SL | F_R,
	    RELEASE_ALL | A_AREPROBE),
	ROW(DRN, SL, LINK_DOWN, DRN, F_S, 0),
	/* refusals */
	ROW(SYN, F_S, DETACH, SYN, F_S, A_REFUSED),
	ROW(GONE, F_R, DETACH, GONE, F_R, A_REFUSED),
	ROW(DRN, SL, DETACH, DRN, SL, A_REFUSED),
	ROW(SYN, SL | F_P, SWITCH_TO_VF, SYN, SL, A_REFUSED),
	ROW(GONE, F_P | F_R, SWITCH_TO_VF, GONE, F_R, A_REFUSED),
	ROW(DRN, SL | F_P, SWITCH_TO_VF, DRN, SL, A_REFUSED),
	ROW(PEND, SL | F_P, SWITCH_TO_VF, PEND, SL, A_REFUSED),
	ROW(REF, SL | F_P, SWITCH_TO_VF, REF, SL, A_REFUSED),
	ROW(SYN, F_S, RETRY, SYN, F_S, A_REFUSED),
	ROW(PEND, SL, RETRY, PEND, SL, A_REFUSED),
	ROW(ACT, SL, RETRY, ACT, SL, A_REFUSED),
	ROW(GONE, F_R, RETRY, GONE, F_R, A_REFUSED),
	/* a second VF is refused and leaves the held VF's link alone */
	ROW(PEND, SL, VF_ADDED, PEND, SL, A_REFUSED),
	ROW(SETL, SL, VF_ADDED, SETL, SL, A_REFUSED),
	ROW(STBY, F_L, VF_ADDED, STBY, F_L, A_REFUSED),
	ROW(ACT, SL, VF_ADDED, ACT, SL, A_REFUSED),
	ROW(DRN, SL, VF_ADDED, DRN, SL, A_REFUSED),
	ROW(REF, SL, VF_ADDED, REF, SL, A_REFUSED),
	/* pinning synthetic is never refused */
	ROW(SYN, 0, SWITCH_TO_SYNTHETIC, SYN, F_P, 0),
	ROW(PEND, SL, SWITCH_TO_SYNTHETIC, PEND, SL | F_P, 0),
	ROW(DRN, SL, SWITCH_TO_SYNTHETIC, DRN, SL | F_P, 0),
	ROW(REF, 0, SWITCH_TO_SYNTHETIC, REF, F_P, 0),
	ROW(GONE, F_R, SWITCH_TO_SYNTHETIC, GONE, F_P | F_R, 0),
	/* stale timers and completions */
	ROW(STBY, F_S, SETTLE_TIMER, STBY, F_S, 0),
	ROW(ACT, SL, SETTLE_TIMER, ACT, SL, 0),
	ROW(PEND, SL, SETTLE_TIMER, PEND, SL, 0),
	ROW(SYN, F_R, REPROBE_TIMER, SYN, F_R, 0),
	ROW(PEND, F_R, REPROBE_TIMER, PEND, F_R, 0),
	ROW(ACT, SL, DRAIN_DONE, ACT, SL, 0),
	ROW(SYN, 0, DRAIN_DONE, SYN, 0, 0),
	ROW(ACT, SL, SETUP_DONE, ACT, SL, 0),
	ROW(SYN, F_S, SETUP_DONE, SYN, F_S, 0),
	ROW(REF, F_S, SETUP_FAILED, REF, F_S, 0),
	/* close from every state */
	ROW(SYN, F_S, CLOSE, SYN, F_S, A_CLOSE),
	ROW(PEND, SL, CLOSE, SYN, SL, A_CLOSE | A_RELEASE),
	ROW(SETL, SL, CLOSE, SYN, SL, A_CLOSE | A_RELEASE),
	ROW(STBY, F_S, CLOSE, SYN, F_S, A_CLOSE | A_RELEASE),
	ROW(ACT, SL, CLOSE, SYN, SL, A_CLOSE | A_RELEASE),
	ROW(DRN, SL, CLOSE, SYN, SL, A_CLOSE | A_RELEASE),
	ROW(REF, SL, CLOSE, SYN, SL, A_CLOSE | A_RELEASE),
	ROW(GONE, F_R, CLOSE, SYN, F_R, A_CLOSE),
	ROW(ACT, SL | F_R, CLOSE, SYN, SL | F_R, A_CLOSE | A_RELEASE),
	/* INTR_RESET: the VF is reset, then set up again */
	ROW(ACT, SL, VF_RESET, PEND, F_S, A_PUB_NOVF | A_SETUP),
	ROW(SETL, SL, VF_RESET, PEND, F_S, A_PUB_NOVF | A_CSETTLE | A_SETUP),
	ROW(STBY, F_S, VF_RESET, PEND, F_S, A_PUB_NOVF | A_SETUP),
	ROW(REF, SL, VF_RESET, PEND, F_S, A_SETUP),
	ROW(DRN, SL, VF_RESET, SYN, F_S, RELEASE_ALL),
	ROW(PEND, SL, VF_RESET, PEND, F_S, 0),
	ROW(SYN, F_S, VF_RESET, SYN, F_S, 0),
	ROW(GONE, F_R, VF_RESET, GONE, F_R, 0),
};

static void
test_row(void **state)
{
	const struct sm_row *row = *state;
	struct failover_sm sm = sm_make(row->from, row->flags);
	char got[256], want[256];
	uint32_t act;

	act = failover_sm_step(&sm, row->ev);
	assert_string_equal(failover_state_name(sm.state),
			    failover_state_name(row->to));
	assert_string_equal(fmt_actions(act, got, sizeof(got)),
			    fmt_actions(row->act, want, sizeof(want)));
	assert_int_equal(sm_flags(&sm), row->to_flags);
}

static struct CMUnitTest row_tests[ARRAY_SIZE(rows)];
static char row_names[ARRAY_SIZE(rows)][80];

static void
rows_prepare(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct failover_sm sm = sm_make(rows[i].from, rows[i].flags);
		char cfg[64];

		snprintf(row_names[i], sizeof(row_names[i]), "row %s %s -> %s",
			 fmt_config(&sm, cfg, sizeof(cfg)),
			 failover_event_name(rows[i].ev),
			 failover_state_name(rows[i].to));
		row_tests[i].name = row_names[i];
		row_tests[i].test_func = test_row;
		row_tests[i].initial_state = (void *)(uintptr_t)&rows[i];
	}
}

/* ----------------------------------------------------------------------
 * 3. Scenarios
 * ---------------------------------------------------------------------- */

static void
step_expect(struct failover_sm *sm, enum failover_event ev,
	    enum failover_state to, uint32_t act, int line)
{
	char got[256], want[256];
	enum failover_state from = sm->state;
	uint32_t res = failover_sm_step(sm, ev);

	if (sm->state != to || res != act)
		fail_msg("line %d: %s + %s: got %s %s, want %s %s", line,
			 failover_state_name(from), failover_event_name(ev),
			 failover_state_name(sm->state),
			 fmt_actions(res, got, sizeof(got)),
			 failover_state_name(to),
			 fmt_actions(act, want, sizeof(want)));
}

#define STEP(sm, ev, to, act) \
	step_expect(sm, FAILOVER_EV_ ## ev, to, act, __LINE__)

/* Bring a fresh machine to @p target through events the driver sends. */
static void
drive_to(struct failover_sm *sm, enum failover_state target, bool reprobe)
{
	failover_sm_init(sm, reprobe);
	if (target == SYN)
		return;
	if (target == GONE) {
		STEP(sm, VF_REMOVED, GONE, A_AREPROBE);
		return;
	}
	STEP(sm, STARTED, SYN, 0);
	STEP(sm, VF_ADDED, PEND, A_SETUP);
	switch (target) {
	case PEND:
		return;
	case REF:
		STEP(sm, SETUP_FAILED, REF, 0);
		return;
	case STBY:
		STEP(sm, SETUP_DONE, STBY, A_PUB_SYN);
		return;
	default:
		break;
	}
	STEP(sm, LINK_UP, PEND, 0);
	STEP(sm, SETUP_DONE, SETL, A_PUB_SYN | A_ASETTLE);
	if (target == SETL)
		return;
	STEP(sm, SETTLE_TIMER, ACT, A_PUB_VF);
	if (target == ACT)
		return;
	STEP(sm, DETACH, DRN, A_PUB_SYN | A_DRAIN);
	assert_int_equal(target, DRN);
}

static void
test_boot_with_vf(void **state)
{
	struct failover_sm sm;

	(void)state;
	/* VF present at probe, link reported before setup completes */
	failover_sm_init(&sm, false);
	STEP(&sm, STARTED, SYN, 0);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
	assert_false(sm.vf_link_up);
	STEP(&sm, LINK_UP, PEND, 0);
	STEP(&sm, SETUP_DONE, SETL, A_PUB_SYN | A_ASETTLE);
	assert_false(failover_sm_on_vf(&sm));
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);
	assert_true(failover_sm_on_vf(&sm));

	/* VF set up before the application starts the port */
	failover_sm_init(&sm, false);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
	STEP(&sm, LINK_UP, PEND, 0);
	STEP(&sm, SETUP_DONE, STBY, A_PUB_SYN);
	STEP(&sm, STARTED, SETL, A_ASETTLE);
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);

	/* VF link comes up only after setup */
	failover_sm_init(&sm, false);
	STEP(&sm, STARTED, SYN, 0);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
	STEP(&sm, SETUP_DONE, STBY, A_PUB_SYN);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);

	/* a link-up seen before adoption is not trusted for the new VF */
	failover_sm_init(&sm, false);
	STEP(&sm, STARTED, SYN, 0);
	STEP(&sm, LINK_UP, SYN, 0);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
	STEP(&sm, SETUP_DONE, STBY, A_PUB_SYN);
}

static void
test_lsc_flap(void **state)
{
	struct failover_sm sm;
	int i;

	(void)state;
	drive_to(&sm, ACT, false);
	for (i = 0; i < 3; i++) {
		STEP(&sm, LINK_DOWN, STBY, A_PUB_SYN);
		STEP(&sm, LINK_DOWN, STBY, 0);
		STEP(&sm, LINK_UP, SETL, A_ASETTLE);
		/* down again before the settle delay: no switch happens */
		STEP(&sm, LINK_DOWN, STBY, A_CSETTLE);
		/* the cancelled timer fires anyway: ignored */
		STEP(&sm, SETTLE_TIMER, STBY, 0);
		STEP(&sm, LINK_UP, SETL, A_ASETTLE);
		STEP(&sm, LINK_UP, SETL, 0);
		STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);
	}
	/* port stop and start while on the VF */
	STEP(&sm, STOPPED, STBY, A_PUB_SYN);
	STEP(&sm, LINK_DOWN, STBY, 0);
	STEP(&sm, STARTED, STBY, 0);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, STOPPED, STBY, A_CSETTLE);
	STEP(&sm, STARTED, SETL, A_ASETTLE);
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);
}

static void
test_surprise_removal_and_return(void **state)
{
	struct failover_sm sm;
	int round;

	(void)state;
	drive_to(&sm, ACT, true);
	/* boot-time flips VF <-> synthetic, then a long host servicing */
	for (round = 0; round < 3; round++) {
		STEP(&sm, VF_REMOVED, GONE,
		     A_PUB_NOVF | A_RELEASE | A_AREPROBE);
		assert_false(sm.vf_link_up);
		assert_false(failover_sm_holds_vf(sm.state));
		STEP(&sm, REPROBE_TIMER, GONE, A_AREPROBE | A_PROBE);
		STEP(&sm, REPROBE_TIMER, GONE, A_AREPROBE | A_PROBE);
		/* a late RMV for the same VF changes nothing */
		STEP(&sm, VF_REMOVED, GONE, 0);
		STEP(&sm, VF_ADDED, PEND, A_SETUP | A_CREPROBE);
		STEP(&sm, LINK_UP, PEND, 0);
		STEP(&sm, SETUP_DONE, SETL, A_PUB_SYN | A_ASETTLE);
		STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);
	}
	/* removed while settling: the settle timer goes too */
	STEP(&sm, LINK_DOWN, STBY, A_PUB_SYN);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, VF_REMOVED, GONE,
	     A_CSETTLE | A_PUB_NOVF | A_RELEASE | A_AREPROBE);
	STEP(&sm, SETTLE_TIMER, GONE, 0);

	/* without re-probing, removal returns to SYNTHETIC_ONLY for good */
	drive_to(&sm, ACT, false);
	STEP(&sm, VF_REMOVED, SYN, A_PUB_NOVF | A_RELEASE);
	STEP(&sm, REPROBE_TIMER, SYN, 0);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
}

static void
test_graceful_detach(void **state)
{
	struct failover_sm sm;

	(void)state;
	drive_to(&sm, ACT, false);
	STEP(&sm, DETACH, DRN, A_PUB_SYN | A_DRAIN);
	assert_false(failover_sm_on_vf(&sm));
	assert_true(failover_sm_holds_vf(sm.state));
	/* while draining, nothing brings the VF back nor detaches twice */
	STEP(&sm, LINK_DOWN, DRN, 0);
	STEP(&sm, LINK_UP, DRN, 0);
	STEP(&sm, SWITCH_TO_VF, DRN, A_REFUSED);
	STEP(&sm, DETACH, DRN, A_REFUSED);
	STEP(&sm, VF_ADDED, DRN, A_REFUSED);
	STEP(&sm, SETTLE_TIMER, DRN, 0);
	STEP(&sm, DRAIN_DONE, SYN, A_PUB_NOVF | A_RELEASE);
	STEP(&sm, DRAIN_DONE, SYN, 0);

	/* with re-probe, the detached VF is looked for again */
	drive_to(&sm, SETL, true);
	STEP(&sm, DETACH, DRN, A_CSETTLE | A_PUB_SYN | A_DRAIN);
	STEP(&sm, DRAIN_DONE, GONE, A_PUB_NOVF | A_RELEASE | A_AREPROBE);
	STEP(&sm, VF_ADDED, PEND, A_SETUP | A_CREPROBE);

	/* the VF disappears before the drain is over */
	drive_to(&sm, DRN, true);
	STEP(&sm, VF_REMOVED, GONE, A_PUB_NOVF | A_RELEASE | A_AREPROBE);
	STEP(&sm, DRAIN_DONE, GONE, 0);

	/* detach of a VF still being set up needs no drain */
	drive_to(&sm, PEND, false);
	STEP(&sm, DETACH, SYN, A_PUB_NOVF | A_RELEASE);
	STEP(&sm, SETUP_DONE, SYN, 0);
	STEP(&sm, DETACH, SYN, A_REFUSED);
}

static void
test_planned_switch(void **state)
{
	struct failover_sm sm;

	(void)state;
	drive_to(&sm, ACT, false);
	STEP(&sm, SWITCH_TO_SYNTHETIC, STBY, A_PUB_SYN);
	assert_true(sm.pinned_synthetic);
	STEP(&sm, SWITCH_TO_SYNTHETIC, STBY, 0);
	/* pinned: link and start events do not bring the VF back */
	STEP(&sm, LINK_DOWN, STBY, 0);
	STEP(&sm, LINK_UP, STBY, 0);
	STEP(&sm, STOPPED, STBY, 0);
	STEP(&sm, STARTED, STBY, 0);
	STEP(&sm, SWITCH_TO_VF, ACT, A_PUB_VF);
	assert_false(sm.pinned_synthetic);
	STEP(&sm, SWITCH_TO_VF, ACT, 0);

	/* while settling, both ways */
	STEP(&sm, LINK_DOWN, STBY, A_PUB_SYN);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, SWITCH_TO_VF, ACT, A_CSETTLE | A_PUB_VF);
	STEP(&sm, LINK_DOWN, STBY, A_PUB_SYN);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, SWITCH_TO_SYNTHETIC, STBY, A_CSETTLE);
	STEP(&sm, SETTLE_TIMER, STBY, 0);

	/*
	 * Asking for the VF while it is down is refused but unpins: the
	 * VF is used as soon as it comes back.
	 */
	STEP(&sm, LINK_DOWN, STBY, 0);
	STEP(&sm, SWITCH_TO_VF, STBY, A_REFUSED);
	assert_false(sm.pinned_synthetic);
	STEP(&sm, LINK_UP, SETL, A_ASETTLE);
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);

	/* a pin taken with no VF holds for the next VF */
	failover_sm_init(&sm, false);
	STEP(&sm, SWITCH_TO_SYNTHETIC, SYN, 0);
	STEP(&sm, STARTED, SYN, 0);
	STEP(&sm, VF_ADDED, PEND, A_SETUP);
	STEP(&sm, LINK_UP, PEND, 0);
	STEP(&sm, SETUP_DONE, STBY, A_PUB_SYN);
	STEP(&sm, SWITCH_TO_VF, ACT, A_PUB_VF);
}

static void
test_refusal_and_retry(void **state)
{
	struct failover_sm sm;

	(void)state;
	drive_to(&sm, PEND, true);
	STEP(&sm, LINK_UP, PEND, 0);
	STEP(&sm, SETUP_FAILED, REF, 0);
	assert_true(failover_sm_holds_vf(sm.state));
	assert_false(failover_sm_on_vf(&sm));
	STEP(&sm, SWITCH_TO_VF, REF, A_REFUSED);
	STEP(&sm, SETTLE_TIMER, REF, 0);
	STEP(&sm, RETRY, PEND, A_SETUP);
	STEP(&sm, RETRY, PEND, A_REFUSED);
	STEP(&sm, SETUP_FAILED, REF, 0);
	STEP(&sm, RETRY, PEND, A_SETUP);
	STEP(&sm, SETUP_DONE, SETL, A_PUB_SYN | A_ASETTLE);
	STEP(&sm, SETTLE_TIMER, ACT, A_PUB_VF);
	STEP(&sm, RETRY, ACT, A_REFUSED);

	/* a refused VF is given back on detach or removal */
	drive_to(&sm, REF, true);
	STEP(&sm, DETACH, GONE, A_PUB_NOVF | A_RELEASE | A_AREPROBE);
	drive_to(&sm, REF, false);
	STEP(&sm, VF_REMOVED, SYN, A_PUB_NOVF | A_RELEASE);
	STEP(&sm, RETRY, SYN, A_REFUSED);
}

static void
test_close_from_every_state(void **state)
{
	unsigned int st, r;

	(void)state;
	for (r = 0; r < 2; r++) {
		for (st = 0; st < FAILOVER_STATE_MAX; st++) {
			struct failover_sm sm;
			uint32_t want = A_CLOSE;

			if (st == GONE && !r)
				continue;
			drive_to(&sm, st, r);
			assert_int_equal(sm.state, st);
			if (failover_sm_holds_vf(st))
				want |= A_RELEASE;
			STEP(&sm, CLOSE, SYN, want);
			/* nothing left to release on a second close */
			STEP(&sm, CLOSE, SYN, A_CLOSE);
			/* the timers of the old life are stale now */
			STEP(&sm, SETTLE_TIMER, SYN, 0);
			STEP(&sm, REPROBE_TIMER, SYN, 0);
			STEP(&sm, DRAIN_DONE, SYN, 0);
		}
	}
}

/* ----------------------------------------------------------------------
 * 4. Reachability over (state, flags)
 * ---------------------------------------------------------------------- */

#define NCFG	(FAILOVER_STATE_MAX * F_ALL)

static unsigned int
cfg_of(const struct failover_sm *sm)
{
	return sm->state * F_ALL + sm_flags(sm);
}

static struct failover_sm
sm_of(unsigned int cfg)
{
	return sm_make(cfg / F_ALL, cfg % F_ALL);
}

/* Forward closure of the initial configuration under all events. */
static void
reach_from_init(bool reprobe, bool reached[NCFG])
{
	unsigned int queue[NCFG], head = 0, tail = 0, e;
	struct failover_sm sm;

	memset(reached, 0, NCFG * sizeof(reached[0]));
	failover_sm_init(&sm, reprobe);
	reached[cfg_of(&sm)] = true;
	queue[tail++] = cfg_of(&sm);
	while (head < tail) {
		unsigned int c = queue[head++];

		for (e = 0; e < FAILOVER_EV_MAX; e++) {
			struct failover_sm n = sm_of(c);

			failover_sm_step(&n, e);
			if (!reached[cfg_of(&n)]) {
				reached[cfg_of(&n)] = true;
				queue[tail++] = cfg_of(&n);
			}
		}
	}
}

typedef bool (*cfg_pred)(const struct failover_sm *sm);

/*
 * Backward closure: the configurations from which some configuration
 * satisfying @p goal can be reached with events not in @p banned.
 */
static void
can_reach(cfg_pred goal, uint32_t banned, bool ok[NCFG])
{
	bool changed = true;
	unsigned int c, e;

	for (c = 0; c < NCFG; c++) {
		struct failover_sm sm = sm_of(c);

		ok[c] = goal(&sm);
	}
	while (changed) {
		changed = false;
		for (c = 0; c < NCFG; c++) {
			if (ok[c])
				continue;
			for (e = 0; e < FAILOVER_EV_MAX; e++) {
				struct failover_sm n = sm_of(c);

				if (banned & (1u << e))
					continue;
				failover_sm_step(&n, e);
				if (ok[cfg_of(&n)]) {
					ok[c] = true;
					changed = true;
					break;
				}
			}
		}
	}
}

static bool
goal_no_vf(const struct failover_sm *sm)
{
	return sm->state == SYN || (sm->reprobe && sm->state == GONE);
}

static bool
goal_active(const struct failover_sm *sm)
{
	return sm->state == ACT;
}

static void
fail_cfg(unsigned int c, const char *what)
{
	struct failover_sm sm = sm_of(c);
	char buf[64];

	fail_msg("%s: %s", fmt_config(&sm, buf, sizeof(buf)), what);
}

#define EVBIT(e)	(1u << FAILOVER_EV_ ## e)

static void
test_reachability(void **state)
{
	bool reached[NCFG], back[NCFG], active[NCFG], keep[NCFG];
	/* leaving through the graceful path only: no removal, no close */
	const uint32_t graceful = EVBIT(CLOSE) | EVBIT(VF_REMOVED);
	/* keeping the VF that is held, and its setup succeeding */
	const uint32_t keep_vf = EVBIT(CLOSE) | EVBIT(VF_REMOVED) |
		EVBIT(DETACH) | EVBIT(VF_ADDED) | EVBIT(SETUP_FAILED);
	unsigned int r, c, st, n;

	(void)state;
	for (r = 0; r < 2; r++) {
		bool seen[FAILOVER_STATE_MAX] = { false };

		reach_from_init(r, reached);
		can_reach(goal_no_vf, graceful, back);
		can_reach(goal_active, 0, active);
		can_reach(goal_active, keep_vf, keep);
		for (c = 0, n = 0; c < NCFG; c++) {
			struct failover_sm sm = sm_of(c);

			if (!reached[c])
				continue;
			n++;
			seen[sm.state] = true;
			if (!consistent(&sm))
				fail_cfg(c, "reachable but inconsistent");
			if (!back[c])
				fail_cfg(c, "cannot give the VF back gracefully");
			if (!active[c])
				fail_cfg(c, "VF_ACTIVE unreachable");
			if (failover_sm_holds_vf(sm.state) && sm.state != DRN &&
			    !keep[c])
				fail_cfg(c, "held VF can never become active");
		}
		for (st = 0; st < FAILOVER_STATE_MAX; st++) {
			if (st == GONE && !r)
				assert_false(seen[st]);
			else if (!seen[st])
				fail_msg("%s unreachable (reprobe=%u)",
					 failover_state_name(st), r);
		}
		/* flags are free: each state is reached in several ways */
		assert_true(n > FAILOVER_STATE_MAX);
	}
}

/*
 * From any reachable configuration, a VF that is set up and usable is on
 * its way to VF_ACTIVE without anyone acting: at most one settle timer.
 */
static void
test_usable_vf_gets_used(void **state)
{
	bool reached[NCFG];
	unsigned int r, c;

	(void)state;
	for (r = 0; r < 2; r++) {
		reach_from_init(r, reached);
		for (c = 0; c < NCFG; c++) {
			struct failover_sm sm = sm_of(c);

			if (!reached[c] || !usable(&sm) ||
			    !(sm.state == SETL || sm.state == STBY ||
			      sm.state == ACT))
				continue;
			if (sm.state == SETL)
				failover_sm_step(&sm, FAILOVER_EV_SETTLE_TIMER);
			if (sm.state != ACT)
				fail_cfg(c, "usable VF not taken into use");
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_exhaustive_invariants),
		cmocka_unit_test(test_boot_with_vf),
		cmocka_unit_test(test_lsc_flap),
		cmocka_unit_test(test_surprise_removal_and_return),
		cmocka_unit_test(test_graceful_detach),
		cmocka_unit_test(test_planned_switch),
		cmocka_unit_test(test_refusal_and_retry),
		cmocka_unit_test(test_close_from_every_state),
		cmocka_unit_test(test_reachability),
		cmocka_unit_test(test_usable_vf_gets_used),
	};
	int fails;

	rows_prepare();
	fails = cmocka_run_group_tests_name("failover_sm", tests, NULL, NULL);
	fails += cmocka_run_group_tests_name("transition table", row_tests,
					     NULL, NULL);
	return fails != 0;
}
