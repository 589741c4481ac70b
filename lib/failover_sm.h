/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_SM_H
#define FAILOVER_SM_H

/**
 * @file
 * The VF life cycle as a pure state machine.
 *
 * failover_sm_step() takes the machine and one event and returns the
 * actions the driver must carry out; it does no I/O, takes no lock and
 * reads no clock, so it is tested exhaustively without EAL.
 *
 * The VF is "usable" when the failover port is started, the VF reports
 * link up and the application has not pinned the synthetic path.
 *
 * States (traffic = where Tx goes; Rx always polls the synthetic path and
 * also the VF in every state where a VF is set up):
 *
 *  SYNTHETIC_ONLY  no VF. Tx synthetic.
 *  VF_PENDING      a VF was adopted; the driver is configuring it
 *                  (SETUP_VF issued). Tx synthetic, VF not polled.
 *  VF_SETTLING     VF set up and usable; settle timer armed. Tx synthetic.
 *  VF_STANDBY      VF set up but not usable. Tx synthetic, VF Rx polled.
 *  VF_ACTIVE       Tx on the VF.
 *  VF_DRAINING     graceful detach: Tx synthetic, VF Rx still polled until
 *                  drained, then the VF is released.
 *  VF_REFUSED      VF adopted but its setup failed (cannot carry the
 *                  configuration in use). Tx synthetic, VF not polled.
 *  VF_GONE         the VF named by vf= was removed; re-probe timer armed.
 *
 * Flags are updated by the event first, then the transition is chosen
 * with the new flags: LINK_UP and LINK_DOWN set vf_link_up; STARTED and
 * STOPPED set started; SWITCH_TO_SYNTHETIC sets pinned_synthetic and
 * SWITCH_TO_VF clears it (even when the switch itself is refused, so the
 * VF is taken as soon as it becomes usable); VF_REMOVED and VF_RESET clear
 * vf_link_up;
 * an adopted VF_ADDED clears vf_link_up (the driver reports the new VF's
 * link with LINK_UP, typically before SETUP_DONE). A refused VF_ADDED
 * changes no flag: the held VF's link is not the new one's.
 *
 * "usable" below is evaluated on the updated flags.
 *
 * Transitions. Anything not listed changes no state and returns no
 * action; a request (VF_ADDED, RETRY, SWITCH_TO_VF, DETACH) that cannot be
 * honoured returns FAILOVER_ACT_REFUSED alone, with no state change.
 * SWITCH_TO_SYNTHETIC and the other events are never refused.
 *
 *  state           event            -> new state, actions
 *  any             CLOSE            -> SYNTHETIC_ONLY, CANCEL_SETTLE|
 *                                      CANCEL_REPROBE|PUBLISH_NO_VF
 *                                      (+RELEASE_VF if a VF is held)
 *  SYNTHETIC_ONLY  VF_ADDED         -> VF_PENDING, SETUP_VF
 *  SYNTHETIC_ONLY  VF_REMOVED       -> reprobe ? VF_GONE, ARM_REPROBE
 *                                              : no change
 *  VF_GONE         VF_ADDED         -> VF_PENDING, CANCEL_REPROBE|SETUP_VF
 *  VF_GONE         REPROBE_TIMER    -> VF_GONE, ARM_REPROBE|PROBE_VF
 *  VF_PENDING      SETUP_DONE       -> usable ? VF_SETTLING, PUBLISH_SYNTHETIC|ARM_SETTLE
 *                                              : VF_STANDBY, PUBLISH_SYNTHETIC
 *  VF_PENDING      SETUP_FAILED     -> VF_REFUSED, (none)
 *  VF_REFUSED      RETRY            -> VF_PENDING, SETUP_VF
 *  VF_SETTLING     SETTLE_TIMER     -> usable ? VF_ACTIVE, PUBLISH_VF
 *                                              : VF_STANDBY, (none)
 *  VF_SETTLING     SWITCH_TO_VF     -> VF_ACTIVE, CANCEL_SETTLE|PUBLISH_VF
 *  VF_STANDBY      SWITCH_TO_VF     -> usable ? VF_ACTIVE, PUBLISH_VF (a
 *                                     planned switch needs no settling)
 *                                              : REFUSED
 *  VF_ACTIVE       SWITCH_TO_VF     -> no change, (none): already there
 *  VF_SETTLING, VF_STANDBY, VF_ACTIVE, any other event (LINK_UP/DOWN,
 *  STARTED/STOPPED, SWITCH_TO_SYNTHETIC, stale timers), the state follows
 *  usability:
 *    VF_SETTLING and no longer usable -> VF_STANDBY, CANCEL_SETTLE
 *    VF_ACTIVE and no longer usable   -> VF_STANDBY, PUBLISH_SYNTHETIC
 *                                        (planned: VF Rx is still polled)
 *    VF_STANDBY and usable again      -> VF_SETTLING, ARM_SETTLE
 *  VF_SETTLING, VF_STANDBY, VF_ACTIVE
 *                  DETACH           -> VF_DRAINING, PUBLISH_SYNTHETIC|START_DRAIN
 *                                      (+CANCEL_SETTLE if settling)
 *  VF_PENDING, VF_REFUSED
 *                  DETACH           -> release (below)
 *  VF_SETTLING, VF_STANDBY, VF_ACTIVE
 *                  VF_RESET         -> VF_PENDING, PUBLISH_NO_VF|SETUP_VF
 *                                      (+CANCEL_SETTLE if settling): the
 *                                      driver reset the VF, which lost its
 *                                      configuration; set it up again
 *  VF_REFUSED      VF_RESET         -> VF_PENDING, SETUP_VF
 *  VF_DRAINING     VF_RESET         -> release
 *  VF_DRAINING     DRAIN_DONE       -> release
 *  any state holding a VF
 *                  VF_REMOVED       -> release
 *  release: reprobe ? VF_GONE : SYNTHETIC_ONLY, PUBLISH_NO_VF|RELEASE_VF
 *           (+CANCEL_SETTLE if settling, +ARM_REPROBE if reprobe)
 *
 *  Refused (REFUSED, no state change):
 *    VF_ADDED      in every state holding a VF (one VF at a time; the
 *                  driver must not adopt it, and may offer it again once
 *                  the held VF is released)
 *    RETRY         in every state but VF_REFUSED
 *    SWITCH_TO_VF  in SYNTHETIC_ONLY, VF_PENDING, VF_REFUSED, VF_DRAINING,
 *                  VF_GONE, and in VF_STANDBY when not usable for a reason
 *                  other than the pin (stopped, link down)
 *    DETACH        in SYNTHETIC_ONLY, VF_GONE, VF_DRAINING
 *
 * Invariants (checked exhaustively by tests/unit/test_sm.c):
 *  - VF_SETTLING and VF_ACTIVE imply usable, VF_STANDBY implies not
 *    usable, VF_GONE implies reprobe;
 *  - PUBLISH_VF only into VF_ACTIVE; no PUBLISH_* other than NO_VF before
 *    SETUP_DONE, so the VF is never polled before it is set up;
 *  - whenever a step gives up a VF whose Rx was polled it also returns
 *    PUBLISH_NO_VF, and since actions run in bit order the path no longer
 *    names the VF when RELEASE_VF runs.
 * Should the machine be handed a configuration that breaks the first
 * invariant, the next step in VF_SETTLING/STANDBY/ACTIVE repairs it (a
 * refused request then also carries the repairing actions).
 *
 * failover_sm_step() on an out-of-range event or a corrupted state
 * changes nothing and returns FAILOVER_ACT_REFUSED.
 */

#include <stdbool.h>
#include <stdint.h>

enum failover_state {
	FAILOVER_STATE_SYNTHETIC_ONLY = 0,
	FAILOVER_STATE_VF_PENDING,
	FAILOVER_STATE_VF_SETTLING,
	FAILOVER_STATE_VF_STANDBY,
	FAILOVER_STATE_VF_ACTIVE,
	FAILOVER_STATE_VF_DRAINING,
	FAILOVER_STATE_VF_REFUSED,
	FAILOVER_STATE_VF_GONE,
	FAILOVER_STATE_MAX,
};

enum failover_event {
	FAILOVER_EV_VF_ADDED = 0,	/**< a VF port appeared: adopt it */
	FAILOVER_EV_SETUP_DONE,		/**< VF configured like the port */
	FAILOVER_EV_SETUP_FAILED,	/**< VF cannot carry the configuration */
	FAILOVER_EV_RETRY,		/**< try a refused VF again */
	FAILOVER_EV_LINK_UP,		/**< VF link came up */
	FAILOVER_EV_LINK_DOWN,		/**< VF link went down */
	FAILOVER_EV_SETTLE_TIMER,	/**< settle delay after VF ready */
	FAILOVER_EV_STARTED,		/**< failover port started */
	FAILOVER_EV_STOPPED,		/**< failover port stopped */
	FAILOVER_EV_SWITCH_TO_VF,	/**< application asks for the VF */
	FAILOVER_EV_SWITCH_TO_SYNTHETIC,/**< application pins synthetic */
	FAILOVER_EV_DETACH,		/**< graceful VF revoke */
	FAILOVER_EV_DRAIN_DONE,		/**< VF Rx drained after DETACH */
	FAILOVER_EV_VF_REMOVED,		/**< VF gone (RMV, hot-unplug, destroy) */
	FAILOVER_EV_REPROBE_TIMER,	/**< time to probe vf= again */
	FAILOVER_EV_CLOSE,		/**< failover port closing */
	FAILOVER_EV_VF_RESET,		/**< VF was reset (INTR_RESET): set it up again */
	FAILOVER_EV_MAX,
};

/** Actions, a bit mask; the driver carries them out in this bit order. */
enum failover_action {
	FAILOVER_ACT_NONE		= 0,
	FAILOVER_ACT_REFUSED		= 1u << 0, /**< request not possible now */
	FAILOVER_ACT_CANCEL_SETTLE	= 1u << 1,
	FAILOVER_ACT_CANCEL_REPROBE	= 1u << 2,
	FAILOVER_ACT_PUBLISH_VF		= 1u << 3, /**< Tx VF, Rx VF+synthetic */
	FAILOVER_ACT_PUBLISH_SYNTHETIC	= 1u << 4, /**< Tx synthetic, Rx VF+synthetic */
	FAILOVER_ACT_PUBLISH_NO_VF	= 1u << 5, /**< Tx synthetic, Rx synthetic */
	FAILOVER_ACT_SETUP_VF		= 1u << 6, /**< configure, replay, start */
	FAILOVER_ACT_START_DRAIN	= 1u << 7,
	FAILOVER_ACT_RELEASE_VF		= 1u << 8, /**< stop, close, give up the VF */
	FAILOVER_ACT_ARM_SETTLE		= 1u << 9,
	FAILOVER_ACT_ARM_REPROBE	= 1u << 10,
	FAILOVER_ACT_PROBE_VF		= 1u << 11,
};

/** The machine: its state and the facts that decide transitions. */
struct failover_sm {
	enum failover_state state;
	bool started;		/**< failover port started */
	bool vf_link_up;	/**< last link state reported by the VF */
	bool pinned_synthetic;	/**< application asked for synthetic */
	bool reprobe;		/**< vf= names a device to probe again */
};

/** Start in SYNTHETIC_ONLY, stopped, not pinned. */
void failover_sm_init(struct failover_sm *sm, bool reprobe);

/**
 * Apply one event.
 *
 * @return
 *   Mask of enum failover_action to carry out, in increasing bit order.
 */
uint32_t failover_sm_step(struct failover_sm *sm, enum failover_event ev);

/** Whether Tx goes to the VF in this state. */
bool failover_sm_on_vf(const struct failover_sm *sm);

/** Whether a VF port is held (adopted) in this state. */
bool failover_sm_holds_vf(enum failover_state st);

/** Short upper-case names for logs and telemetry. */
const char *failover_state_name(enum failover_state st);
const char *failover_event_name(enum failover_event ev);

#endif /* FAILOVER_SM_H */
