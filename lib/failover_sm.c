/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The VF life cycle of failover_sm.h. One switch per state, after the
 * flags have been brought up to date; the transition table lives in the
 * header's file comment and docs/design/state_machine.rst.
 */

#include <stdbool.h>
#include <stdint.h>

#include "failover_sm.h"

static const char * const fo_state_names[FAILOVER_STATE_MAX] = {
	[FAILOVER_STATE_SYNTHETIC_ONLY] = "SYNTHETIC_ONLY",
	[FAILOVER_STATE_VF_PENDING] = "VF_PENDING",
	[FAILOVER_STATE_VF_SETTLING] = "VF_SETTLING",
	[FAILOVER_STATE_VF_STANDBY] = "VF_STANDBY",
	[FAILOVER_STATE_VF_ACTIVE] = "VF_ACTIVE",
	[FAILOVER_STATE_VF_DRAINING] = "VF_DRAINING",
	[FAILOVER_STATE_VF_REFUSED] = "VF_REFUSED",
	[FAILOVER_STATE_VF_GONE] = "VF_GONE",
};

static const char * const fo_event_names[FAILOVER_EV_MAX] = {
	[FAILOVER_EV_VF_ADDED] = "VF_ADDED",
	[FAILOVER_EV_SETUP_DONE] = "SETUP_DONE",
	[FAILOVER_EV_SETUP_FAILED] = "SETUP_FAILED",
	[FAILOVER_EV_RETRY] = "RETRY",
	[FAILOVER_EV_LINK_UP] = "LINK_UP",
	[FAILOVER_EV_LINK_DOWN] = "LINK_DOWN",
	[FAILOVER_EV_SETTLE_TIMER] = "SETTLE_TIMER",
	[FAILOVER_EV_STARTED] = "STARTED",
	[FAILOVER_EV_STOPPED] = "STOPPED",
	[FAILOVER_EV_SWITCH_TO_VF] = "SWITCH_TO_VF",
	[FAILOVER_EV_SWITCH_TO_SYNTHETIC] = "SWITCH_TO_SYNTHETIC",
	[FAILOVER_EV_DETACH] = "DETACH",
	[FAILOVER_EV_DRAIN_DONE] = "DRAIN_DONE",
	[FAILOVER_EV_VF_REMOVED] = "VF_REMOVED",
	[FAILOVER_EV_REPROBE_TIMER] = "REPROBE_TIMER",
	[FAILOVER_EV_CLOSE] = "CLOSE",
	[FAILOVER_EV_VF_RESET] = "VF_RESET",
};

void
failover_sm_init(struct failover_sm *sm, bool reprobe)
{
	sm->state = FAILOVER_STATE_SYNTHETIC_ONLY;
	sm->started = false;
	sm->vf_link_up = false;
	sm->pinned_synthetic = false;
	sm->reprobe = reprobe;
}

static bool
fo_usable(const struct failover_sm *sm)
{
	return sm->started && sm->vf_link_up && !sm->pinned_synthetic;
}

/*
 * The facts an event reports are recorded before the transition is chosen,
 * so that the choice sees them. VF_ADDED is not here: it resets the link
 * only when the VF is adopted, a refused second VF must not erase what
 * the held one reported.
 */
static void
fo_update_flags(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_LINK_UP:
		sm->vf_link_up = true;
		break;
	case FAILOVER_EV_LINK_DOWN:
	case FAILOVER_EV_VF_REMOVED:
	case FAILOVER_EV_VF_RESET:
		sm->vf_link_up = false;
		break;
	case FAILOVER_EV_STARTED:
		sm->started = true;
		break;
	case FAILOVER_EV_STOPPED:
		sm->started = false;
		break;
	case FAILOVER_EV_SWITCH_TO_VF:
		sm->pinned_synthetic = false;
		break;
	case FAILOVER_EV_SWITCH_TO_SYNTHETIC:
		sm->pinned_synthetic = true;
		break;
	default:
		break;
	}
}

/* Take a new VF: its link is unknown until the driver reports it. */
static uint32_t
fo_adopt(struct failover_sm *sm, uint32_t act)
{
	sm->vf_link_up = false;
	sm->state = FAILOVER_STATE_VF_PENDING;
	return act | FAILOVER_ACT_SETUP_VF;
}

/*
 * Give up the held VF. Rx stops polling it (PUBLISH_NO_VF) before it is
 * released, so no burst can touch a port being closed.
 */
static uint32_t
fo_release(struct failover_sm *sm)
{
	uint32_t act = FAILOVER_ACT_PUBLISH_NO_VF | FAILOVER_ACT_RELEASE_VF;

	if (sm->state == FAILOVER_STATE_VF_SETTLING)
		act |= FAILOVER_ACT_CANCEL_SETTLE;
	if (sm->reprobe) {
		sm->state = FAILOVER_STATE_VF_GONE;
		act |= FAILOVER_ACT_ARM_REPROBE;
	} else {
		sm->state = FAILOVER_STATE_SYNTHETIC_ONLY;
	}
	return act;
}

static uint32_t
fo_close(struct failover_sm *sm)
{
	uint32_t act = FAILOVER_ACT_CANCEL_SETTLE |
		FAILOVER_ACT_CANCEL_REPROBE | FAILOVER_ACT_PUBLISH_NO_VF;

	if (failover_sm_holds_vf(sm->state))
		act |= FAILOVER_ACT_RELEASE_VF;
	sm->state = FAILOVER_STATE_SYNTHETIC_ONLY;
	return act;
}

/*
 * In the three states with a set-up VF, the state follows usability:
 * SETTLING and ACTIVE need a usable VF, STANDBY holds one that is not.
 */
static uint32_t
fo_follow_usable(struct failover_sm *sm)
{
	bool usable = fo_usable(sm);

	switch (sm->state) {
	case FAILOVER_STATE_VF_SETTLING:
		if (usable)
			return FAILOVER_ACT_NONE;
		sm->state = FAILOVER_STATE_VF_STANDBY;
		return FAILOVER_ACT_CANCEL_SETTLE;
	case FAILOVER_STATE_VF_STANDBY:
		if (!usable)
			return FAILOVER_ACT_NONE;
		sm->state = FAILOVER_STATE_VF_SETTLING;
		return FAILOVER_ACT_ARM_SETTLE;
	case FAILOVER_STATE_VF_ACTIVE:
		if (usable)
			return FAILOVER_ACT_NONE;
		sm->state = FAILOVER_STATE_VF_STANDBY;
		return FAILOVER_ACT_PUBLISH_SYNTHETIC;
	default:
		return FAILOVER_ACT_NONE;
	}
}

/* VF_SETTLING, VF_STANDBY, VF_ACTIVE: the VF is set up and Rx polls it. */
static uint32_t
fo_step_ready(struct failover_sm *sm, enum failover_event ev)
{
	uint32_t act = FAILOVER_ACT_NONE;

	switch (ev) {
	case FAILOVER_EV_VF_REMOVED:
		return fo_release(sm);
	case FAILOVER_EV_VF_RESET:
		/* Reset, hence unconfigured: set it up again before use. */
		act = FAILOVER_ACT_PUBLISH_NO_VF;
		if (sm->state == FAILOVER_STATE_VF_SETTLING)
			act |= FAILOVER_ACT_CANCEL_SETTLE;
		return fo_adopt(sm, act);
	case FAILOVER_EV_DETACH:
		act = FAILOVER_ACT_PUBLISH_SYNTHETIC | FAILOVER_ACT_START_DRAIN;
		if (sm->state == FAILOVER_STATE_VF_SETTLING)
			act |= FAILOVER_ACT_CANCEL_SETTLE;
		sm->state = FAILOVER_STATE_VF_DRAINING;
		return act;
	case FAILOVER_EV_SETTLE_TIMER:
		if (sm->state != FAILOVER_STATE_VF_SETTLING)
			break;
		/* The timer has fired: nothing left to cancel. */
		if (!fo_usable(sm)) {
			sm->state = FAILOVER_STATE_VF_STANDBY;
			return FAILOVER_ACT_NONE;
		}
		sm->state = FAILOVER_STATE_VF_ACTIVE;
		return FAILOVER_ACT_PUBLISH_VF;
	case FAILOVER_EV_SWITCH_TO_VF:
		if (!fo_usable(sm)) {
			act = FAILOVER_ACT_REFUSED;
			break;
		}
		/* A planned switch needs no settling. */
		if (sm->state == FAILOVER_STATE_VF_SETTLING)
			act |= FAILOVER_ACT_CANCEL_SETTLE;
		if (sm->state != FAILOVER_STATE_VF_ACTIVE)
			act |= FAILOVER_ACT_PUBLISH_VF;
		sm->state = FAILOVER_STATE_VF_ACTIVE;
		return act;
	case FAILOVER_EV_VF_ADDED:
	case FAILOVER_EV_RETRY:
		act = FAILOVER_ACT_REFUSED;
		break;
	default:
		break;
	}
	/*
	 * Whatever else happened, a state that disagrees with the flags is
	 * put right, so VF_ACTIVE never outlives its usability.
	 */
	return act | fo_follow_usable(sm);
}

static uint32_t
fo_step_synthetic_only(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_VF_ADDED:
		return fo_adopt(sm, FAILOVER_ACT_NONE);
	case FAILOVER_EV_VF_REMOVED:
		/* The vf= device went away before it was adopted. */
		if (!sm->reprobe)
			return FAILOVER_ACT_NONE;
		sm->state = FAILOVER_STATE_VF_GONE;
		return FAILOVER_ACT_ARM_REPROBE;
	case FAILOVER_EV_RETRY:
	case FAILOVER_EV_SWITCH_TO_VF:
	case FAILOVER_EV_DETACH:
		return FAILOVER_ACT_REFUSED;
	default:
		return FAILOVER_ACT_NONE;
	}
}

static uint32_t
fo_step_pending(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_SETUP_DONE:
		/* The VF Rx is polled only now that it is configured. */
		if (fo_usable(sm)) {
			sm->state = FAILOVER_STATE_VF_SETTLING;
			return FAILOVER_ACT_PUBLISH_SYNTHETIC |
				FAILOVER_ACT_ARM_SETTLE;
		}
		sm->state = FAILOVER_STATE_VF_STANDBY;
		return FAILOVER_ACT_PUBLISH_SYNTHETIC;
	case FAILOVER_EV_SETUP_FAILED:
		sm->state = FAILOVER_STATE_VF_REFUSED;
		return FAILOVER_ACT_NONE;
	case FAILOVER_EV_DETACH:
	case FAILOVER_EV_VF_REMOVED:
		return fo_release(sm);
	case FAILOVER_EV_VF_ADDED:
	case FAILOVER_EV_RETRY:
	case FAILOVER_EV_SWITCH_TO_VF:
		return FAILOVER_ACT_REFUSED;
	default:
		return FAILOVER_ACT_NONE;
	}
}

static uint32_t
fo_step_draining(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_DRAIN_DONE:
	case FAILOVER_EV_VF_REMOVED:
	case FAILOVER_EV_VF_RESET:
		return fo_release(sm);
	case FAILOVER_EV_VF_ADDED:
	case FAILOVER_EV_RETRY:
	case FAILOVER_EV_SWITCH_TO_VF:
	case FAILOVER_EV_DETACH:
		return FAILOVER_ACT_REFUSED;
	default:
		return FAILOVER_ACT_NONE;
	}
}

static uint32_t
fo_step_refused(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_RETRY:
	case FAILOVER_EV_VF_RESET:
		sm->state = FAILOVER_STATE_VF_PENDING;
		return FAILOVER_ACT_SETUP_VF;
	case FAILOVER_EV_DETACH:
	case FAILOVER_EV_VF_REMOVED:
		return fo_release(sm);
	case FAILOVER_EV_VF_ADDED:
	case FAILOVER_EV_SWITCH_TO_VF:
		return FAILOVER_ACT_REFUSED;
	default:
		return FAILOVER_ACT_NONE;
	}
}

static uint32_t
fo_step_gone(struct failover_sm *sm, enum failover_event ev)
{
	switch (ev) {
	case FAILOVER_EV_VF_ADDED:
		return fo_adopt(sm, FAILOVER_ACT_CANCEL_REPROBE);
	case FAILOVER_EV_REPROBE_TIMER:
		/*
		 * Re-armed before the probe: if it finds nothing the next try
		 * is already due; if it adopts a VF, VF_ADDED cancels it.
		 */
		return FAILOVER_ACT_ARM_REPROBE | FAILOVER_ACT_PROBE_VF;
	case FAILOVER_EV_RETRY:
	case FAILOVER_EV_SWITCH_TO_VF:
	case FAILOVER_EV_DETACH:
		return FAILOVER_ACT_REFUSED;
	default:
		return FAILOVER_ACT_NONE;
	}
}

uint32_t
failover_sm_step(struct failover_sm *sm, enum failover_event ev)
{
	/* Unsigned compares also catch negative values. */
	if ((unsigned int)ev >= FAILOVER_EV_MAX ||
	    (unsigned int)sm->state >= FAILOVER_STATE_MAX)
		return FAILOVER_ACT_REFUSED;

	fo_update_flags(sm, ev);
	if (ev == FAILOVER_EV_CLOSE)
		return fo_close(sm);

	switch (sm->state) {
	case FAILOVER_STATE_SYNTHETIC_ONLY:
		return fo_step_synthetic_only(sm, ev);
	case FAILOVER_STATE_VF_PENDING:
		return fo_step_pending(sm, ev);
	case FAILOVER_STATE_VF_SETTLING:
	case FAILOVER_STATE_VF_STANDBY:
	case FAILOVER_STATE_VF_ACTIVE:
		return fo_step_ready(sm, ev);
	case FAILOVER_STATE_VF_DRAINING:
		return fo_step_draining(sm, ev);
	case FAILOVER_STATE_VF_REFUSED:
		return fo_step_refused(sm, ev);
	case FAILOVER_STATE_VF_GONE:
		return fo_step_gone(sm, ev);
	default:
		return FAILOVER_ACT_REFUSED;
	}
}

bool
failover_sm_on_vf(const struct failover_sm *sm)
{
	return sm->state == FAILOVER_STATE_VF_ACTIVE;
}

bool
failover_sm_holds_vf(enum failover_state st)
{
	switch (st) {
	case FAILOVER_STATE_VF_PENDING:
	case FAILOVER_STATE_VF_SETTLING:
	case FAILOVER_STATE_VF_STANDBY:
	case FAILOVER_STATE_VF_ACTIVE:
	case FAILOVER_STATE_VF_DRAINING:
	case FAILOVER_STATE_VF_REFUSED:
		return true;
	default:
		return false;
	}
}

const char *
failover_state_name(enum failover_state st)
{
	if ((unsigned int)st >= FAILOVER_STATE_MAX)
		return "UNKNOWN";
	return fo_state_names[st];
}

const char *
failover_event_name(enum failover_event ev)
{
	if ((unsigned int)ev >= FAILOVER_EV_MAX)
		return "UNKNOWN";
	return fo_event_names[ev];
}
