/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The console: lines from other threads, and the status line.
 *
 * Only the main thread writes to stdout while a prompt may be on screen:
 * the control channel and the PMD's callbacks queue their lines with
 * con_post(), and the main thread prints them (con_flush()) between
 * commands and while it waits for input. When a prompt is shown, it is
 * cleared first and drawn again, with what the user had typed, after.
 *
 * While forwarding runs, a one-line status (packets per second, per path
 * when the PMD tells, and the Tx path) is kept on the terminal's last row,
 * below a scrolling region that holds everything else, when stdout is a
 * terminal; otherwise, with --stats-period N, a status line is printed
 * every N seconds.
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmdline_rdline.h>
#include <rte_ethdev.h>

#include "rte_pmd_failover.h"

#include "fo_testpmd.h"

#define CON_QUEUE_LINES		256
#define CON_LINE_LEN		320
#define STATUS_LEN		512
#define LIVE_PERIOD_NS		(500 * FO_NS_PER_MS)

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static char q_lines[CON_QUEUE_LINES][CON_LINE_LEN];
static unsigned int q_head, q_count, q_dropped;

static bool out_tty;
static bool interactive;
static bool at_prompt;
static struct rdline *prompt_rdl;

/* The live status line (terminal only). */
static bool live_on;
static unsigned short live_rows;

struct rate_snap {
	bool valid;
	uint64_t t_ns;
	uint64_t rx, tx;
	struct fo_path_counts pc;
};

static struct rate_snap snaps[FO_MAX_PORTS];
static uint64_t last_status_ns;

void
con_init(bool is_interactive)
{
	out_tty = isatty(STDOUT_FILENO) == 1;
	interactive = is_interactive;
}

void
con_set_rdline(void *rdl)
{
	prompt_rdl = rdl;
}

void
con_idle(bool idle_at_prompt)
{
	at_prompt = idle_at_prompt && interactive && prompt_rdl != NULL;
}

void
con_post(const char *fmt, ...)
{
	char line[CON_LINE_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&q_lock);
	if (q_count == CON_QUEUE_LINES) {
		q_dropped++;
	} else {
		memcpy(q_lines[(q_head + q_count) % CON_QUEUE_LINES], line,
			sizeof(line));
		q_count++;
	}
	pthread_mutex_unlock(&q_lock);
}

void
con_flush(void)
{
	char line[CON_LINE_LEN];
	unsigned int dropped;
	bool first = true;

	for (;;) {
		pthread_mutex_lock(&q_lock);
		if (q_count == 0) {
			dropped = q_dropped;
			q_dropped = 0;
			pthread_mutex_unlock(&q_lock);
			break;
		}
		memcpy(line, q_lines[q_head], sizeof(line));
		q_head = (q_head + 1) % CON_QUEUE_LINES;
		q_count--;
		pthread_mutex_unlock(&q_lock);

		if (first && at_prompt)
			/* Off with the prompt: on a terminal, erase it; in a
			 * log, end its line. */
			fputs(out_tty ? "\r\033[2K" : "\n", stdout);
		first = false;
		printf("%s\n", line);
	}
	if (dropped != 0) {
		printf("(%u lines of messages dropped)\n", dropped);
		first = false;
	}
	if (first || !at_prompt)
		return;
	if (out_tty)
		rdline_redisplay(prompt_rdl);
	else
		fputs(FO_PROMPT, stdout);
}

/* ----------------------------------------------------------------------
 * Status
 * ---------------------------------------------------------------------- */

static void
fmt_rate(char *buf, size_t size, double pps)
{
	if (pps >= 1e6)
		snprintf(buf, size, "%.2fM", pps / 1e6);
	else if (pps >= 1e4)
		snprintf(buf, size, "%.1fk", pps / 1e3);
	else
		snprintf(buf, size, "%.0f", pps);
}

static double
rate(uint64_t now, uint64_t before, double dt)
{
	return now >= before ? (double)(now - before) / dt : 0.0;
}

/* One port's part of the status; false if there is nothing to say yet. */
static bool
status_port(const struct app_port *p, struct rate_snap *s, uint64_t now_ns,
		char *buf, size_t size)
{
	struct fwd_counters c;
	struct fo_path_counts pc;
	char rx[16], tx[16], a[16], b[16], d[16], e[16];
	double dt;
	int n;

	fwd_port_counters(p->port_id, &c, false);
	fo_view_path_counts(p->port_id, &pc);
	if (!s->valid || now_ns <= s->t_ns) {
		s->valid = true;
		s->t_ns = now_ns;
		s->rx = c.rx;
		s->tx = c.tx;
		s->pc = pc;
		return false;
	}
	dt = (double)(now_ns - s->t_ns) / FO_NS_PER_S;
	fmt_rate(rx, sizeof(rx), rate(c.rx, s->rx, dt));
	fmt_rate(tx, sizeof(tx), rate(c.tx, s->tx, dt));
	n = snprintf(buf, size, "port %u rx %s tx %s pps", p->port_id, rx,
		tx);
	if (p->is_failover && pc.known && s->pc.known && n > 0 &&
	    (size_t)n < size) {
		fmt_rate(a, sizeof(a), rate(pc.vf_rx, s->pc.vf_rx, dt));
		fmt_rate(b, sizeof(b), rate(pc.vf_tx, s->pc.vf_tx, dt));
		fmt_rate(d, sizeof(d), rate(pc.syn_rx, s->pc.syn_rx, dt));
		fmt_rate(e, sizeof(e), rate(pc.syn_tx, s->pc.syn_tx, dt));
		n += snprintf(buf + n, size - (size_t)n, " | VF rx %s tx %s"
			" | synthetic rx %s tx %s", a, b, d, e);
	}
	if (p->is_failover && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " | Tx path %s",
			fo_path_name(rte_pmd_failover_active_path(p->port_id)));
	if (c.seq_unique != 0 && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " | lost %" PRIu64
			" dup %" PRIu64 " reord %" PRIu64, c.seq_lost,
			c.seq_dup, c.seq_reordered);
	s->t_ns = now_ns;
	s->rx = c.rx;
	s->tx = c.tx;
	s->pc = pc;
	return true;
}

static bool
status_text(char *buf, size_t size, uint64_t now_ns)
{
	char part[STATUS_LEN];
	size_t off = 0;
	unsigned int i;
	bool any = false;

	buf[0] = '\0';
	for (i = 0; i < FO_MAX_PORTS; i++) {
		const struct app_port *p = &app.ports[i];

		if (!p->used || !p->started)
			continue;
		if (!status_port(p, &snaps[i], now_ns, part, sizeof(part)))
			continue;
		if (off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
				any ? "; " : "", part);
		any = true;
	}
	return any;
}

static unsigned short
term_rows(unsigned short *cols)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row < 3) {
		*cols = 0;
		return 0;
	}
	*cols = ws.ws_col;
	return ws.ws_row;
}

static void
live_region(unsigned short rows)
{
	/* Setting a region moves the cursor home: save and restore it. */
	printf("\0337\033[1;%ur\0338", rows - 1u);
	live_rows = rows;
}

/*
 * Forwarding starts: keep the terminal's last row for the status, below a
 * scrolling region that holds everything else. Called when the cursor is
 * at the start of an empty line (after a command's output, before the
 * prompt): a new line first, so that the row left out of the region is
 * that new one, then back up to the empty line.
 */
void
con_status_begin(void)
{
	unsigned short cols, rows;

	memset(snaps, 0, sizeof(snaps));
	last_status_ns = 0;
	if (!out_tty || live_on)
		return;
	rows = term_rows(&cols);
	if (rows == 0)
		return;
	putchar('\n');
	live_region(rows);
	fputs("\033[1A", stdout);
	live_on = true;
}

static void
live_draw(const char *text)
{
	unsigned short cols, rows = term_rows(&cols);
	char out[STATUS_LEN + 64];
	int width;

	if (!live_on || rows == 0)
		return;
	if (rows != live_rows)
		live_region(rows);
	width = cols > 1 ? cols - 1 : 1;
	snprintf(out, sizeof(out), "\0337\033[%u;1H\033[2K\033[7m%.*s"
		"\033[0m\0338", rows, width, text);
	fputs(out, stdout);
}

void
con_status_stop(void)
{
	if (live_on) {
		printf("\0337\033[r\033[%u;1H\033[2K\0338", live_rows);
		live_on = false;
	}
	memset(snaps, 0, sizeof(snaps));
}

void
con_status_tick(bool force)
{
	char text[STATUS_LEN];
	uint64_t now = app_now_ns();
	uint64_t period;

	if (!fwd_running()) {
		if (live_on)
			con_status_stop();
		return;
	}
	if (out_tty)
		period = LIVE_PERIOD_NS;
	else if (app.stats_period_s != 0)
		period = app.stats_period_s * FO_NS_PER_S;
	else
		return;
	if (!force && now - last_status_ns < period)
		return;
	last_status_ns = now;
	if (!status_text(text, sizeof(text), now))
		return;
	if (out_tty) {
		live_draw(text);
		return;
	}
	printf("%sstatus: %s\n", at_prompt ? "\n" : "", text);
	if (at_prompt)
		fputs(FO_PROMPT, stdout);
}
