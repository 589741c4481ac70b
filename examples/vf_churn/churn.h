/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef CHURN_H
#define CHURN_H

/*
 * failover-vf-churn, shared between its three files:
 *  - main.c          options, port set-up and tear-down, the scenario;
 *  - churn_traffic.c the forwarding lcore: sends sequence-numbered
 *                    packets, receives them back and checks them;
 *  - churn_events.c  the event rows, the path-change callback and the
 *                    final table.
 * Only public DPDK headers and rte_pmd_failover.h are used.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "rte_pmd_failover.h"

#define CHURN_MS_NS		1000000ull
#define CHURN_S_NS		1000000000ull

#define CHURN_BURST		32	/* packets sent per burst */
#define CHURN_NB_STEPS		5	/* scripted steps of the scenario */
#define CHURN_MAX_ROWS		32
#define CHURN_LABEL_LEN		40

#define CHURN_EXIT_CHECKS_FAILED	1
#define CHURN_EXIT_SETUP_FAILED		2
#define CHURN_EXIT_HUNG			3
#define CHURN_EXIT_INTERRUPTED		130

/*
 * Counters of the forwarding lcore. It alone writes them; the main lcore
 * and the path-change callback read them with relaxed loads of whole
 * 64-bit words (churn_stats_snapshot()): no torn values, and nothing else
 * is published through them.
 */
struct churn_stats {
	uint64_t tx;		/* accepted by the port, in sequence order */
	uint64_t rx;		/* received, ours or not */
	uint64_t unique;	/* distinct sequence numbers received */
	uint64_t dup;		/* a sequence number received again */
	uint64_t reordered;	/* arrived after a higher sequence number */
	uint64_t next_expected;	/* highest sequence number seen + 1 */
	uint64_t foreign;	/* not one of ours */
	uint64_t alloc_fail;	/* mempool empty when a burst was due */
};

/* What the check before the next step found about the previous one. */
struct churn_step_result {
	bool checked;
	bool recovered;
	uint64_t rx_last_s;	/* packets received in the last second */
	int path;		/* active path then, or a -errno */
};

/* One row of the final table: a scripted step, or a path change no step
 * asked for (the VF coming back by itself, say). */
struct churn_row {
	char label[CHURN_LABEL_LEN];
	unsigned int step;	/* the scripted step it happened under */
	bool scripted;
	bool lossless;		/* losing packets here is a failure */
	uint64_t t_ns;		/* trigger (scripted) or path change */
	unsigned int expect;	/* path changes still expected */
	unsigned int changes;
	uint64_t change_ns;	/* first path change */
	enum rte_pmd_failover_path from, to;
	uint64_t latency_ns;	/* hand-off latency of the first change */
	int api_ret;
	/* Counters when the row began: its share of the run starts there. */
	uint64_t seq_start;
	uint64_t dup_start;
	uint64_t reord_start;
	/* Filled at the end. */
	uint64_t lost, dup, reord;
};

struct churn_app {
	/* Options. */
	unsigned int duration_s;
	uint32_t rate_pps;
	uint32_t latency_us;

	uint16_t port_id;
	struct rte_ether_addr mac;
	char vf_name[RTE_DEV_NAME_MAX_LEN];
	struct rte_mempool *mp;
	unsigned int fwd_lcore;
	bool started;			/* the port, by the boot step */

	/* Traffic. */
	uint64_t tx_interval_tsc;	/* between bursts */
	uint64_t rx_interval_tsc;	/* between Rx polls: the wire's delay */
	uint64_t nb_seq;		/* sequence numbers the bitmap holds */
	uint64_t *seen;			/* received sequence numbers */
	struct churn_stats stats;
	int tx_stop;			/* set by main: send no more */
	int fwd_stop;			/* set by main: leave the loop */

	/* Timeline. */
	uint64_t t0_ns;
	struct churn_step_result results[CHURN_NB_STEPS];

	/* Rows, shared with the path-change callback under rows_lock. */
	pthread_mutex_t rows_lock;
	struct churn_row rows[CHURN_MAX_ROWS];
	unsigned int nb_rows;
	unsigned int cur_step;
	unsigned int rows_dropped;
};

extern struct churn_app app;

/* churn_traffic.c */
int churn_fwd_main(void *arg);
void churn_stats_snapshot(struct churn_stats *s);
uint64_t churn_count_missing(uint64_t from, uint64_t to);
uint64_t churn_nb_seq(uint32_t rate_pps, unsigned int duration_s);
uint64_t churn_tx_interval(uint32_t rate_pps);

/* churn_events.c */
uint64_t churn_now_ns(void);
void churn_say(const char *fmt, ...) __rte_format_printf(1, 2);
const char *churn_path_name(int path);
struct churn_row *churn_row_new_locked(const char *label, bool scripted,
		bool lossless, unsigned int expect, uint64_t t_ns);
void churn_path_cb(uint16_t port_id,
		const struct rte_pmd_failover_path_event *ev, void *arg);
void churn_rows_account(const struct churn_stats *fin);
int churn_report(const struct churn_stats *fin, bool interrupted,
		unsigned int mbufs_in_use);

#endif /* CHURN_H */
