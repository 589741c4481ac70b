/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_FWD_H
#define FO_FWD_H

/*
 * Traffic for the event tests, over a failover port whose two sub-ports are
 * net_testvf ports (tests/pmd): the test is both the application and the
 * wire.
 *
 *  - The application: a forwarding lcore transmits sequence-numbered
 *    packets (flow FO_FLOW_TX) on the failover port, keeps any the port did
 *    not take for the next burst, and receives everything, recording each
 *    sequence number it sees (flow FO_FLOW_RX).
 *  - The wire: the main lcore injects sequence-numbered packets into either
 *    sub-port's Rx and drains both sub-ports' Tx rings, recording what the
 *    port sent.
 *
 * Afterwards every sequence number sent must have been seen exactly once
 * on the other side, or the test says how many were lost or duplicated.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define FO_FLOW_TX	1
#define FO_FLOW_RX	2
#define FO_MAX_SEQ	(1u << 22)

struct fo_seqset {
	uint8_t *seen;		/* count per sequence number, saturating */
	uint32_t max;
	uint64_t dup;
	uint64_t total;
	uint64_t foreign;	/* packets that were not ours */
};

struct fo_fwd {
	uint16_t port;
	uint16_t nb_queues;
	unsigned int lcore;
	volatile bool stop;
	volatile bool pause_tx;	/* stop sending new packets */
	uint32_t tx_limit;	/* stop after this many sequence numbers */
	/* written by the forwarding lcore */
	volatile uint32_t next_tx_seq;
	volatile uint64_t bursts;
	struct fo_seqset rx;	/* what the application received */
	/* written by the wire (main lcore, or a path callback) */
	pthread_mutex_t wire_lock;
	struct fo_seqset tx;	/* what reached the wire */
	uint32_t next_inject_seq;
	uint16_t syn_port;
	uint16_t vf_port;	/* current VF port id, or UINT16_MAX */
};

int fo_seqset_init(struct fo_seqset *s);
void fo_seqset_free(struct fo_seqset *s);
/* Sequence numbers below @p upto never seen. */
uint64_t fo_seqset_missing(const struct fo_seqset *s, uint32_t upto);

/* Start the forwarding loop on a worker lcore. */
int fo_fwd_start(struct fo_fwd *f, uint16_t port, uint16_t nb_queues);
/* Stop sending, let the wire and the port drain, then stop the lcore. */
void fo_fwd_stop(struct fo_fwd *f);
/* After a failed test: stop whatever forwarder still runs. */
void fo_fwd_abort(void);

/* Wire side: drain the Tx rings of a sub-port into f->tx. */
unsigned int fo_wire_drain(struct fo_fwd *f, uint16_t sub_port);
/* Wire side: inject @p n packets into a sub-port's Rx (queue 0). */
unsigned int fo_wire_inject(struct fo_fwd *f, uint16_t sub_port,
		unsigned int n);

#endif /* FO_FWD_H */
