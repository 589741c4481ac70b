/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Event rows, the path-change callback and the final table.
 *
 * A row begins with each scripted step (main.c) and with each path change
 * no step is waiting for (the VF coming back by itself, or anything
 * unplanned). A row owns the packets the forwarding lcore had not yet
 * received when it began, up to the next row: what was in flight when an
 * event struck is charged to that event.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>

#include "churn.h"

uint64_t
churn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * CHURN_S_NS + (uint64_t)ts.tv_nsec;
}

static double
elapsed_s(uint64_t ns)
{
	return (double)(int64_t)(ns - app.t0_ns) / (double)CHURN_S_NS;
}

void
churn_say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("[%7.3f s] %s\n", elapsed_s(churn_now_ns()), buf);
}

const char *
churn_path_name(int path)
{
	if (path == RTE_PMD_FAILOVER_PATH_VF)
		return "VF";
	if (path == RTE_PMD_FAILOVER_PATH_SYNTHETIC)
		return "synthetic";
	return "?";
}

/* Called with rows_lock held. */
struct churn_row *
churn_row_new_locked(const char *label, bool scripted, bool lossless,
		unsigned int expect, uint64_t t_ns)
{
	struct churn_stats st;
	struct churn_row *r;

	if (app.nb_rows == CHURN_MAX_ROWS) {
		app.rows_dropped++;
		return NULL;
	}
	churn_stats_snapshot(&st);
	r = &app.rows[app.nb_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->label, sizeof(r->label), "%s", label);
	r->step = app.cur_step;
	r->scripted = scripted;
	r->lossless = lossless;
	r->expect = expect;
	r->t_ns = t_ns;
	r->seq_start = st.next_expected;
	r->dup_start = st.dup;
	r->reord_start = st.reordered;
	return r;
}

/*
 * Runs on whichever thread changed the path: the PMD's control thread, or
 * ours inside a failover call or rte_dev_remove(). It takes only
 * rows_lock, which nobody holds across a call into the PMD.
 */
void
churn_path_cb(uint16_t port_id, const struct rte_pmd_failover_path_event *ev,
		void *arg)
{
	uint64_t t = churn_now_ns();
	struct churn_row *r;
	char label[CHURN_LABEL_LEN];

	RTE_SET_USED(port_id);
	RTE_SET_USED(arg);
	pthread_mutex_lock(&app.rows_lock);
	if (app.nb_rows != 0 && app.rows[app.nb_rows - 1].expect != 0) {
		r = &app.rows[app.nb_rows - 1];
		r->expect--;
	} else {
		if (ev->to == RTE_PMD_FAILOVER_PATH_VF)
			snprintf(label, sizeof(label), "VF back by itself");
		else
			snprintf(label, sizeof(label), "unplanned: %s",
				ev->reason != NULL ? ev->reason : "?");
		r = churn_row_new_locked(label, false, true, 0, t);
	}
	if (r != NULL) {
		if (r->changes == 0) {
			r->change_ns = t;
			r->from = ev->from;
			r->latency_ns = ev->latency_ns;
		}
		r->to = ev->to;
		r->changes++;
	}
	pthread_mutex_unlock(&app.rows_lock);

	churn_say("path %s -> %s: %s (hand-off %.1f us)",
		churn_path_name(ev->from), churn_path_name(ev->to),
		ev->reason != NULL ? ev->reason : "?",
		(double)ev->latency_ns / 1000.0);
}

/* Split the run between the rows, once the forwarding lcore is done. */
void
churn_rows_account(const struct churn_stats *fin)
{
	uint64_t end, dup_end, reord_end;
	unsigned int i;

	for (i = 0; i < app.nb_rows; i++) {
		struct churn_row *r = &app.rows[i];

		if (i + 1 < app.nb_rows) {
			end = app.rows[i + 1].seq_start;
			dup_end = app.rows[i + 1].dup_start;
			reord_end = app.rows[i + 1].reord_start;
		} else {
			end = fin->tx;
			dup_end = fin->dup;
			reord_end = fin->reordered;
		}
		r->lost = churn_count_missing(r->seq_start, end);
		r->dup = dup_end - r->dup_start;
		r->reord = reord_end - r->reord_start;
	}
}

/* Why a row failed, or NULL. */
static const char *
row_failure(const struct churn_row *r, char *buf, size_t len)
{
	const struct churn_step_result *res = &app.results[r->step];

	if (r->scripted && r->api_ret < 0)
		snprintf(buf, len, "call failed: %s", rte_strerror(-r->api_ret));
	else if (r->scripted && r->changes == 0)
		snprintf(buf, len, "the path did not change");
	else if (r->lossless && r->lost != 0)
		snprintf(buf, len, "%" PRIu64 " lost on a planned or "
			"graceful event", r->lost);
	else if (r->dup != 0)
		snprintf(buf, len, "%" PRIu64 " delivered twice", r->dup);
	else if (res->checked && !res->recovered)
		snprintf(buf, len, "no recovery: %" PRIu64 " received in the "
			"last second, Tx on %s", res->rx_last_s,
			churn_path_name(res->path));
	else
		return NULL;
	return buf;
}

static void
row_print(const struct churn_row *r, const char *fail)
{
	char path[24], at[16], hand[16];

	if (r->changes != 0) {
		snprintf(path, sizeof(path), "%s -> %s",
			churn_path_name(r->from), churn_path_name(r->to));
		snprintf(at, sizeof(at), "%.3f", elapsed_s(r->change_ns));
		snprintf(hand, sizeof(hand), "%.1f us",
			(double)r->latency_ns / 1000.0);
	} else {
		snprintf(path, sizeof(path), "(no change)");
		snprintf(at, sizeof(at), "-");
		snprintf(hand, sizeof(hand), "-");
	}
	printf("%8.3f  %-34s %9s  %-17s %10s %6" PRIu64 " %4" PRIu64 " %6"
		PRIu64 "  %s%s\n", elapsed_s(r->t_ns), r->label, at, path,
		hand, r->lost, r->dup, r->reord, fail != NULL ? "FAIL: " : "ok",
		fail != NULL ? fail : r->lost != 0 ?
		" (in flight on the removed VF)" : "");
	if (r->changes > 1)
		printf("%8s  %-34s (%u path changes)\n", "", "", r->changes);
}

/* Prints the table and the totals; returns the exit code. */
int
churn_report(const struct churn_stats *fin, bool interrupted,
		unsigned int mbufs_in_use)
{
	uint64_t lost = fin->tx - fin->unique, lost_rows = 0;
	unsigned int i, failed = 0, scripted = 0;
	const char *fail;
	char why[128];

	printf("\nEvents (lost/dup/reord: packets not yet received when the "
		"event began, up to the next event)\n");
	printf("%8s  %-34s %9s  %-17s %10s %6s %4s %6s  %s\n", "time",
		"event", "switch at", "Tx path", "hand-off", "lost", "dup",
		"reord", "result");
	for (i = 0; i < app.nb_rows; i++) {
		const struct churn_row *r = &app.rows[i];

		fail = row_failure(r, why, sizeof(why));
		row_print(r, fail);
		lost_rows += r->lost;
		failed += fail != NULL;
		scripted += r->scripted;
	}
	if (app.rows_dropped != 0) {
		printf("FAIL: %u more path changes (table full)\n",
			app.rows_dropped);
		failed++;
	}

	printf("\nsent %" PRIu64 ", received %" PRIu64 " (%" PRIu64
		" distinct): lost %" PRIu64 ", duplicated %" PRIu64
		", reordered %" PRIu64 "\n", fin->tx, fin->rx, fin->unique,
		lost, fin->dup, fin->reordered);
	if (fin->foreign != 0)
		printf("%" PRIu64 " received packets were not ours\n",
			fin->foreign);
	if (fin->alloc_fail != 0)
		printf("%" PRIu64 " bursts not sent: mempool empty\n",
			fin->alloc_fail);
	if (lost_rows != lost) {
		printf("FAIL: the rows' losses (%" PRIu64 ") do not add up to "
			"the total\n", lost_rows);
		failed++;
	}
	/*
	 * A packet sent was either received (and freed) or lost with the
	 * rings of a removed device, mbuf included: more mbufs missing than
	 * packets lost is a leak.
	 */
	printf("mbufs not back in the pool after close: %u\n", mbufs_in_use);
	if (mbufs_in_use > lost) {
		printf("FAIL: %" PRIu64 " mbufs leaked beyond the lost "
			"packets\n", mbufs_in_use - lost);
		failed++;
	}
	if (interrupted) {
		printf("\nRESULT: interrupted before the end of the scenario\n");
		return CHURN_EXIT_INTERRUPTED;
	}
	if (scripted < CHURN_NB_STEPS) {
		printf("FAIL: only %u of %u steps ran\n", scripted,
			CHURN_NB_STEPS);
		failed++;
	}
	if (failed != 0) {
		printf("\nRESULT: FAIL (%u problems above)\n", failed);
		return CHURN_EXIT_CHECKS_FAILED;
	}
	printf("\nRESULT: PASS: traffic recovered after every event, nothing "
		"lost on planned or graceful ones\n");
	return 0;
}
