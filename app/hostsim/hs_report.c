/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Event windows and what is made of them: the report table, the CSV
 * timeline and the --expect checks. Main lcore only; it reads what the
 * traffic lcore counts with relaxed loads (hs_load()).
 *
 * A packet is lost when its sequence number was sent and never came back.
 * That is only known once it had time to come back: a window's loss is
 * final once the next window is open and everything sent before it is
 * older than HS_GRACE_NS (or at the end, after the sender stopped and the
 * wire drained); until then the report gives a provisional figure over
 * what is older than that.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"

/* Last part of a window over which recovery and "after" are judged. */
#define HS_RECOVER_NS		(300 * HS_MS_NS)
#define HS_RATE_SPAN_NS		(500 * HS_MS_NS)
#define HS_CSV_STEP		5	/* buckets per CSV row: 50 ms */

enum hs_field {
	HS_F_LOST,
	HS_F_DUP,
	HS_F_REORD,
	HS_F_SENT,
	HS_F_SWITCH_MS,
	HS_F_GAP_MS,
	HS_F_TO,
	HS_F_RECOVERED,
};

enum hs_to {
	HS_TO_SYN,
	HS_TO_VF,
	HS_TO_NEWVF,	/* a VF other than the one before */
};

struct hs_expect {
	char text[64];
	int kind;		/* enum hs_kind, -1: every window, -2: one */
	unsigned int index;	/* kind -2: the window #index */
	enum hs_field field;
	bool at_most;		/* <= (else >=) */
	double value;
	enum hs_to to;
};

/* A window as the report shows it. */
struct hs_row {
	uint64_t t_ns, end_ns;
	uint16_t from, to;
	bool switched;
	double switch_ms, gap_ms, stall_ms;
	uint64_t sent, lost, dup, reord;
	bool final;
	double syn_before, vf_before, syn_after, vf_after;	/* kpps */
	bool recovered;
};

static const char * const hs_kind_names[HS_KIND_MAX] = {
	[HS_KIND_START] = "start",
	[HS_KIND_GRANT] = "grant",
	[HS_KIND_REVOKE] = "revoke",
	[HS_KIND_YANK] = "yank",
	[HS_KIND_MIGRATE] = "migrate",
	[HS_KIND_FLAP] = "flap",
};

/* Set by hs_report_freeze(): the end of the last window. */
static uint64_t hs_end_ns;

const char *
hs_kind_name(enum hs_kind k)
{
	return k < HS_KIND_MAX ? hs_kind_names[k] : "?";
}

unsigned int
hs_window_open(enum hs_kind kind, const char *trigger)
{
	struct hs_table t;
	unsigned int w;

	if (hs.nb_windows == HS_MAX_WINDOWS) {
		hs_log("more than %d events: %s counted with the last one",
			HS_MAX_WINDOWS, trigger);
		return HS_MAX_WINDOWS - 1;
	}
	w = hs.nb_windows++;
	hs.windows[w].kind = kind;
	snprintf(hs.windows[w].trigger, sizeof(hs.windows[w].trigger), "%s",
		trigger);
	t = hs_table_get();
	t.window = w;
	/* Returns once the traffic lcore has opened it. */
	hs_publish(&t);
	hs_log("=== event #%u: %s ===", w, trigger);
	return w;
}

void
hs_window_fail(unsigned int w, const char *why)
{
	hs.windows[w].failed = true;
	snprintf(hs.windows[w].note, sizeof(hs.windows[w].note), "%s", why);
	hs.failed = true;
	hs_log("event #%u (%s) failed: %s", w, hs.windows[w].trigger, why);
}

void
hs_report_freeze(void)
{
	hs_end_ns = hs_now_ns();
}

static uint64_t
hs_nb_buckets(void)
{
	return hs_load(&hs.nb_buckets_used);
}

/* Every sequence number below the result was sent at or before @p t_ns. */
static uint64_t
hs_seq_at(uint64_t t_ns)
{
	uint64_t b = t_ns / HS_BUCKET_NS;

	if (b >= hs_nb_buckets())
		return hs_load(&hs.next_seq);
	return hs_load(&hs.buckets[b].seq_first);
}

/* About when @p seq was sent: the start of its bucket. */
static uint64_t
hs_seq_time(uint64_t seq)
{
	uint64_t lo = 0, hi = hs_nb_buckets(), mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (hs_load(&hs.buckets[mid].seq_first) <= seq)
			lo = mid;
		else
			hi = mid;
	}
	return lo * HS_BUCKET_NS;
}

static uint64_t
hs_count_missing(uint64_t from, uint64_t to)
{
	uint64_t s, n = 0, w;

	if (to - from > HS_SEQ_CAP)
		from = to - HS_SEQ_CAP;
	for (s = from; s < to; s++) {
		if ((s % 64) == 0 && to - s >= 64) {
			w = hs_load(&hs.seen[(s % HS_SEQ_CAP) / 64]);
			n += 64 - __builtin_popcountll(w);
			s += 63;
			continue;
		}
		w = hs_load(&hs.seen[(s % HS_SEQ_CAP) / 64]);
		if ((w & (1ull << (s % 64))) == 0)
			n++;
	}
	return n;
}

static uint64_t
hs_window_end(unsigned int i)
{
	if (i + 1 < hs.nb_windows)
		return hs_load(&hs.windows[i + 1].t_ns);
	return hs_end_ns != 0 ? hs_end_ns : hs_now_ns();
}

void
hs_finalize(bool at_end)
{
	uint64_t limit, seq0, end;
	struct hs_window *w;
	unsigned int i;

	limit = at_end ? hs_load(&hs.next_seq) :
		hs_seq_at(hs_now_ns() > HS_GRACE_NS ?
			hs_now_ns() - HS_GRACE_NS : 0);
	for (i = 0; i < hs.nb_windows; i++) {
		w = &hs.windows[i];
		if (w->final)
			continue;
		seq0 = hs_load(&w->seq0);
		end = i + 1 < hs.nb_windows ?
			hs_load(&hs.windows[i + 1].seq0) :
			hs_load(&hs.next_seq);
		if (end > limit)
			end = limit < seq0 ? seq0 : limit;
		w->sent = end - seq0;
		w->lost = hs_count_missing(seq0, end);
		w->final = at_end || (i + 1 < hs.nb_windows &&
			end == hs_load(&hs.windows[i + 1].seq0));
	}
}

/* Sum of the complete buckets within [from, to). */
static void
hs_bucket_sum(uint64_t from, uint64_t to, uint64_t *tx, uint64_t *syn,
		uint64_t *vf, double *span_ms)
{
	uint64_t b0 = (from + HS_BUCKET_NS - 1) / HS_BUCKET_NS;
	uint64_t b1 = to / HS_BUCKET_NS;
	uint64_t used = hs_nb_buckets(), b;

	*tx = *syn = *vf = 0;
	/* The last used bucket is still filling. */
	if (used > 0 && b1 > used - 1)
		b1 = used - 1;
	*span_ms = b1 > b0 ? (double)(b1 - b0) * HS_BUCKET_NS / HS_MS_NS : 0;
	for (b = b0; b < b1; b++) {
		*tx += hs_load(&hs.buckets[b].tx);
		*syn += hs_load(&hs.buckets[b].rx_syn);
		*vf += hs_load(&hs.buckets[b].rx_vf);
	}
}

static void
hs_row_get(unsigned int i, struct hs_row *r)
{
	const struct hs_window *w = &hs.windows[i];
	uint64_t tx, syn, vf, from;
	double span;

	memset(r, 0, sizeof(*r));
	r->t_ns = hs_load(&w->t_ns);
	r->end_ns = hs_window_end(i);
	r->from = w->from_path;
	/* Relaxed: see hs_rx_one(). */
	r->to = __atomic_load_n(&w->run_path, __ATOMIC_RELAXED);
	r->switched = hs_load(&w->switched) != 0;
	r->switch_ms = (double)(hs_load(&w->run_start_ns) - r->t_ns) /
		HS_MS_NS;
	r->gap_ms = (double)hs_load(&w->max_gap_ns) / HS_MS_NS;
	r->stall_ms = (double)hs_load(&w->max_stall_ns) / HS_MS_NS;
	r->sent = w->sent;
	r->lost = w->lost;
	r->dup = hs_load(&w->dup);
	r->reord = hs_load(&w->reord);
	r->final = w->final;

	from = r->t_ns > HS_RATE_SPAN_NS ? r->t_ns - HS_RATE_SPAN_NS : 0;
	hs_bucket_sum(from, r->t_ns, &tx, &syn, &vf, &span);
	if (span > 0) {
		r->syn_before = syn / span;
		r->vf_before = vf / span;
	}
	from = r->end_ns > HS_RATE_SPAN_NS ? r->end_ns - HS_RATE_SPAN_NS : 0;
	if (from < r->t_ns)
		from = r->t_ns;
	hs_bucket_sum(from, r->end_ns, &tx, &syn, &vf, &span);
	if (span > 0) {
		r->syn_after = syn / span;
		r->vf_after = vf / span;
	}
	/* Recovered: 90% of what was sent at its end came back. */
	from = r->end_ns > HS_RECOVER_NS ? r->end_ns - HS_RECOVER_NS : 0;
	if (from < r->t_ns)
		from = r->t_ns;
	hs_bucket_sum(from, r->end_ns, &tx, &syn, &vf, &span);
	/*
	 * Nothing sent at its end: this process itself stalled (a loaded
	 * machine; the stall is counted in the next window, when its loop
	 * resumes), which tells nothing of the guest. Judge the whole window.
	 */
	if (tx == 0)
		hs_bucket_sum(r->t_ns, r->end_ns, &tx, &syn, &vf, &span);
	r->recovered = tx > 0 && (syn + vf) * 10 >= tx * 9;
}

/* The sequence numbers lost in a window, as ranges (at most @p max). */
static void
hs_print_lost(FILE *f, unsigned int i, unsigned int max)
{
	uint64_t s, seq0 = hs_load(&hs.windows[i].seq0), end, first = 0;
	unsigned int n = 0;
	bool in = false, seen;

	end = i + 1 < hs.nb_windows ? hs_load(&hs.windows[i + 1].seq0) :
		seq0 + hs.windows[i].sent;
	if (end - seq0 > HS_SEQ_CAP)
		return;
	fprintf(f, "    lost in #%u:", i);
	for (s = seq0; s <= end && n < max; s++) {
		seen = s == end || ((hs_load(&hs.seen[(s % HS_SEQ_CAP) / 64]) >>
			(s % 64)) & 1);
		if (!seen && !in) {
			first = s;
			in = true;
		} else if (seen && in) {
			fprintf(f, " %" PRIu64 "-%" PRIu64 " (%.3f s)", first,
				s - 1, (double)hs_seq_time(first) / HS_S_NS);
			in = false;
			n++;
		}
	}
	fprintf(f, n == max ? " ...\n" : "\n");
}

void
hs_report_print(FILE *f)
{
	char from[16], to[16], sw[16], lost[24];
	const struct hs_window *w;
	struct hs_row r;
	unsigned int i;

	hs_finalize(false);
	fprintf(f, "\nfo-hostsim report: %u events, %u pps offered, "
		"t=%.3f s\n", hs.nb_windows, hs.rate_pps,
		(double)hs_now_ns() / HS_S_NS);
	fprintf(f, "%3s %8s %-12s %-5s %-5s %9s %7s %6s %8s %6s %4s %5s "
		"%13s %13s %s\n", "#", "time_s", "trigger", "from", "to",
		"switch_ms", "gap_ms", "hstall", "sent", "lost", "dup", "reord",
		"syn_kpps b>a", "vf_kpps b>a", "recovered");
	for (i = 0; i < hs.nb_windows; i++) {
		w = &hs.windows[i];
		hs_row_get(i, &r);
		if (r.switched)
			snprintf(sw, sizeof(sw), "%.1f", r.switch_ms);
		else
			snprintf(sw, sizeof(sw), "-");
		snprintf(lost, sizeof(lost), "%s%" PRIu64,
			r.final ? "" : "~", r.lost);
		fprintf(f, "%3u %8.3f %-12s %-5s %-5s %9s %7.1f %6.1f %8" PRIu64
			" %6s %4" PRIu64 " %5" PRIu64 " %5.1f > %5.1f "
			"%5.1f > %5.1f %s%s%s\n",
			i, (double)r.t_ns / HS_S_NS, w->trigger,
			hs_path_name(r.from, from, sizeof(from)),
			hs_path_name(r.to, to, sizeof(to)), sw, r.gap_ms,
			r.stall_ms, r.sent, lost, r.dup, r.reord,
			r.syn_before, r.syn_after, r.vf_before, r.vf_after,
			w->failed ? "FAILED" : r.recovered ? "yes" : "NO",
			w->failed ? ": " : "", w->failed ? w->note : "");
		if (hs.show_lost && r.lost > 0)
			hs_print_lost(f, i, 8);
	}
	fprintf(f, "totals: sent %" PRIu64 ", back %" PRIu64
		", not ours %" PRIu64 ", refused by the port %" PRIu64
		", mbuf shortages %" PRIu64 "\n",
		hs_load(&hs.tot.tx), hs_load(&hs.tot.rx),
		hs_load(&hs.tot.foreign), hs_load(&hs.tot.tx_refused),
		hs_load(&hs.tot.alloc_fail));
	fprintf(f, "(lost: ~ = provisional, still open; switch_ms: trigger to "
		"the first packet of the path the traffic ends on; gap_ms: "
		"longest silence; hstall: longest pause of the host's own "
		"traffic loop)\n\n");
	fflush(f);
}

int
hs_csv_write(const char *path)
{
	uint64_t used = hs_nb_buckets(), b, k, tx, syn, vf;
	double step_s = (double)HS_CSV_STEP * HS_BUCKET_NS / HS_S_NS;
	unsigned int w = 0;
	uint64_t t_ns;
	bool first;
	FILE *f;

	f = fopen(path, "w");
	if (f == NULL) {
		hs_log("cannot write %s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "time_s,syn_pps,vf_pps,tx_pps,event\n");
	/* Not the wind-down after quit. */
	if (hs_end_ns != 0 && hs_end_ns / HS_BUCKET_NS < used)
		used = hs_end_ns / HS_BUCKET_NS;
	/* The last bucket is still filling: leave it out. */
	for (b = 0; b + HS_CSV_STEP < used; b += HS_CSV_STEP) {
		tx = syn = vf = 0;
		for (k = b; k < b + HS_CSV_STEP; k++) {
			tx += hs_load(&hs.buckets[k].tx);
			syn += hs_load(&hs.buckets[k].rx_syn);
			vf += hs_load(&hs.buckets[k].rx_vf);
		}
		fprintf(f, "%.3f,%.0f,%.0f,%.0f,", (double)b * HS_BUCKET_NS /
			HS_S_NS, syn / step_s, vf / step_s, tx / step_s);
		first = true;
		while (w < hs.nb_windows) {
			t_ns = hs_load(&hs.windows[w].t_ns);
			if (t_ns >= (b + HS_CSV_STEP) * HS_BUCKET_NS)
				break;
			fprintf(f, "%s%s", first ? "" : "|",
				hs.windows[w].trigger);
			first = false;
			w++;
		}
		fprintf(f, "\n");
	}
	if (fclose(f) != 0)
		return -errno;
	hs_log("timeline written to %s", path);
	return 0;
}

/*
 * --expect KIND:CHECK, KIND one of the window kinds, "all" or "#N" (the
 * N-th event, 0 being the start), CHECK one of
 *   lost|dup|reord|sent|switch_ms|gap_ms  <=|>=  NUMBER
 *   to=syn|vf|newvf
 *   recovered
 */
int
hs_expect_parse(const char *s)
{
	static const char * const fields[] = {
		[HS_F_LOST] = "lost", [HS_F_DUP] = "dup",
		[HS_F_REORD] = "reord", [HS_F_SENT] = "sent",
		[HS_F_SWITCH_MS] = "switch_ms", [HS_F_GAP_MS] = "gap_ms",
	};
	struct hs_expect e, *grown;
	const char *colon = strchr(s, ':'), *c;
	size_t klen, flen;
	char *endp;
	int k;

	memset(&e, 0, sizeof(e));
	snprintf(e.text, sizeof(e.text), "%s", s);
	if (colon == NULL)
		return -EINVAL;
	klen = colon - s;
	e.kind = -3;
	if (klen == 3 && strncmp(s, "all", 3) == 0)
		e.kind = -1;
	if (s[0] == '#') {
		e.index = strtoul(s + 1, &endp, 10);
		if (endp == colon && endp != s + 1)
			e.kind = -2;
	}
	for (k = 0; k < HS_KIND_MAX; k++)
		if (strlen(hs_kind_names[k]) == klen &&
		    strncmp(s, hs_kind_names[k], klen) == 0)
			e.kind = k;
	if (e.kind == -3)
		return -EINVAL;
	c = colon + 1;
	if (strcmp(c, "recovered") == 0) {
		e.field = HS_F_RECOVERED;
	} else if (strncmp(c, "to=", 3) == 0) {
		e.field = HS_F_TO;
		if (strcmp(c + 3, "syn") == 0)
			e.to = HS_TO_SYN;
		else if (strcmp(c + 3, "vf") == 0)
			e.to = HS_TO_VF;
		else if (strcmp(c + 3, "newvf") == 0)
			e.to = HS_TO_NEWVF;
		else
			return -EINVAL;
	} else {
		for (k = 0; k < (int)RTE_DIM(fields); k++) {
			flen = strlen(fields[k]);
			if (strncmp(c, fields[k], flen) == 0 &&
			    (c[flen] == '<' || c[flen] == '>'))
				break;
		}
		if (k == (int)RTE_DIM(fields))
			return -EINVAL;
		e.field = k;
		c += strlen(fields[k]);
		if (strncmp(c, "<=", 2) != 0 && strncmp(c, ">=", 2) != 0)
			return -EINVAL;
		e.at_most = c[0] == '<';
		e.value = strtod(c + 2, &endp);
		if (endp == c + 2 || *endp != '\0')
			return -EINVAL;
	}
	grown = realloc(hs.expects, (hs.nb_expects + 1) * sizeof(*grown));
	if (grown == NULL)
		return -ENOMEM;
	hs.expects = grown;
	hs.expects[hs.nb_expects++] = e;
	return 0;
}

static bool
hs_expect_row(const struct hs_expect *e, const struct hs_row *r,
		char *got, size_t len)
{
	char name[16];
	double v;

	switch (e->field) {
	case HS_F_RECOVERED:
		snprintf(got, len, "%s", r->recovered ? "recovered" :
			"not recovered");
		return r->recovered;
	case HS_F_TO:
		snprintf(got, len, "to=%s",
			hs_path_name(r->to, name, sizeof(name)));
		if (r->to == HS_PATH_NONE)
			return false;
		if (e->to == HS_TO_SYN)
			return r->to == HS_PATH_SYN;
		if (e->to == HS_TO_VF)
			return r->to != HS_PATH_SYN;
		return r->to != HS_PATH_SYN && r->to != r->from;
	case HS_F_LOST:
		v = r->lost;
		break;
	case HS_F_DUP:
		v = r->dup;
		break;
	case HS_F_REORD:
		v = r->reord;
		break;
	case HS_F_SENT:
		v = r->sent;
		break;
	case HS_F_SWITCH_MS:
		/* No switch seen: nothing to bound, which fails "<=". */
		v = r->switched ? r->switch_ms : 1e300;
		break;
	case HS_F_GAP_MS:
		v = r->gap_ms;
		break;
	default:
		return false;
	}
	snprintf(got, len, "%g", v);
	return e->at_most ? v <= e->value : v >= e->value;
}

int
hs_evaluate(void)
{
	const struct hs_expect *e;
	char got[32];
	struct hs_row r;
	unsigned int i, j, matched, bad;
	bool fail = hs.failed;

	for (i = 0; i < hs.nb_windows; i++) {
		hs_row_get(i, &r);
		if (hs.windows[i].failed) {
			printf("check event #%u %s: FAIL (%s)\n", i,
				hs.windows[i].trigger, hs.windows[i].note);
			fail = true;
		} else if (hs.check_recovery && !r.recovered) {
			printf("check event #%u %s: FAIL (traffic did not "
				"recover)\n", i, hs.windows[i].trigger);
			fail = true;
		}
	}
	for (j = 0; j < hs.nb_expects; j++) {
		e = &hs.expects[j];
		matched = bad = 0;
		for (i = 0; i < hs.nb_windows; i++) {
			if (e->kind >= 0 &&
			    hs.windows[i].kind != (enum hs_kind)e->kind)
				continue;
			if (e->kind == -2 && e->index != i)
				continue;
			matched++;
			hs_row_get(i, &r);
			if (!hs_expect_row(e, &r, got, sizeof(got))) {
				bad++;
				printf("expect %s: FAIL at event #%u %s "
					"(%s)\n", e->text, i,
					hs.windows[i].trigger, got);
			}
		}
		if (matched == 0)
			printf("expect %s: FAIL (no such event)\n", e->text);
		else if (bad == 0)
			printf("expect %s: PASS (%u event%s)\n", e->text,
				matched, matched > 1 ? "s" : "");
		if (matched == 0 || bad > 0)
			fail = true;
	}
	fflush(stdout);
	return fail ? HS_EXIT_FAILED : HS_EXIT_OK;
}
