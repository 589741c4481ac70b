/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Forwarding: streams, lcores, start and stop.
 *
 * A stream is one (port, queue index) pair: it polls Rx queue q (if the
 * port has one) and sends on Tx queue q (if the port has one) of the same
 * port: every port forwards back to where the traffic came from, as a
 * guest answering its host does. Forwarding lcore i runs the streams whose
 * queue index is i modulo the number of forwarding lcores, on every port:
 * each Rx and Tx queue thus belongs to exactly one lcore.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "rte_pmd_failover.h"

#include "fo_testpmd.h"

#define TX_RETRIES		32

static const struct fwd_engine *const engines[] = {
	&fwd_engine_io,
	&fwd_engine_mac,
	&fwd_engine_macswap,
	&fwd_engine_rxonly,
	&fwd_engine_txonly,
	&fwd_engine_rxcheck,
};

struct fwd_lcore {
	unsigned int lcore_id;
	unsigned int nb_streams;
	struct fwd_stream *streams[FO_MAX_PORTS * FO_MAX_QUEUES];
};

static struct fwd_lcore fwd_lcores[FO_MAX_FWD_LCORES];
static const struct fwd_engine *cur_engine;
static bool running;
/* Set by the main thread to make the forwarding lcores return. */
static int stop_flag;
/* Port statistics when forwarding started, for the stop summary. */
static struct rte_eth_stats port_at_start[RTE_MAX_ETHPORTS];

const struct fwd_engine *
fwd_engine_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(engines); i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

void
fwd_engine_names(char *buf, size_t size, const char *sep)
{
	size_t off = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < RTE_DIM(engines) && off < size; i++) {
		n = snprintf(buf + off, size - off, "%s%s", i ? sep : "",
			engines[i]->name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

void
fwd_engines_print(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(engines); i++)
		printf("  %-9s %s\n", engines[i]->name, engines[i]->help);
}

bool
fwd_running(void)
{
	return running;
}

void
fwd_count(uint64_t *ctr, uint64_t n)
{
	/* Single writer (see struct fwd_counters): relaxed suffices. */
	__atomic_store_n(ctr, *ctr + n, __ATOMIC_RELAXED);
}

static inline void
publish(uint64_t *ctr, uint64_t v)
{
	/* Single writer (see struct fwd_counters): relaxed suffices. */
	__atomic_store_n(ctr, v, __ATOMIC_RELAXED);
}

uint16_t
fwd_rx(struct fwd_stream *fs, struct rte_mbuf **pkts)
{
	uint16_t n;

	if (fs->rxq == FO_NO_QUEUE)
		return 0;
	n = rte_eth_rx_burst(fs->port_id, fs->rxq, pkts, FO_BURST);
	if (n != 0)
		fwd_count(&fs->c.rx, n);
	return n;
}

void
fwd_frames(struct rte_mbuf **pkts, uint16_t n, uint8_t **frames,
		uint16_t *lens)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		frames[i] = rte_pktmbuf_mtod(pkts[i], uint8_t *);
		lens[i] = rte_pktmbuf_data_len(pkts[i]);
	}
}

uint16_t
fwd_tx(struct fwd_stream *fs, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0, i;
	unsigned int tries = 0;

	if (fs->txq != FO_NO_QUEUE) {
		/* A short, bounded retry: a Tx ring that is full for a few
		 * microseconds must not turn into losses charged to the
		 * path. */
		do {
			sent += rte_eth_tx_burst(fs->port_id, fs->txq,
				pkts + sent, n - sent);
		} while (sent < n && ++tries < TX_RETRIES);
	}
	fwd_count(&fs->c.tx, sent);
	if (sent < n) {
		fwd_count(&fs->c.tx_drop, n - sent);
		for (i = sent; i < n; i++)
			rte_pktmbuf_free(pkts[i]);
	}
	return sent;
}

void
fwd_rx_check(struct fwd_stream *fs, struct rte_mbuf **pkts, uint16_t n)
{
	const struct seqtrack_totals *t = &fs->track.tot;
	struct txgen_info info;
	uint64_t foreign = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (txgen_parse(rte_pktmbuf_mtod(pkts[i], const uint8_t *),
				rte_pktmbuf_data_len(pkts[i]), &info) == 0)
			seqtrack_rx(&fs->track, info.flow, info.seq);
		else
			foreign++;
	}
	if (foreign != 0)
		fwd_count(&fs->c.foreign, foreign);
	publish(&fs->c.seq_unique, t->unique);
	publish(&fs->c.seq_lost, t->lost);
	publish(&fs->c.seq_dup, t->dup);
	publish(&fs->c.seq_reordered, t->reordered);
	publish(&fs->c.seq_stale, t->stale);
}

static int
fwd_lcore_main(void *arg)
{
	struct fwd_lcore *lc = arg;
	const struct fwd_engine *e = cur_engine;
	unsigned int i;

	/*
	 * Relaxed: the flag carries no data; rte_eal_wait_lcore() is what
	 * orders this lcore's last writes before the main thread's reads.
	 */
	while (!__atomic_load_n(&stop_flag, __ATOMIC_RELAXED))
		for (i = 0; i < lc->nb_streams; i++)
			e->burst(lc->streams[i]);
	return 0;
}

static void
counters_load(const struct fwd_counters *c, struct fwd_counters *out)
{
	const uint64_t *src = (const uint64_t *)c;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	/* Relaxed loads of whole words: see struct fwd_counters. */
	for (i = 0; i < sizeof(*c) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void
fwd_port_counters(uint16_t port_id, struct fwd_counters *sum,
		bool since_start)
{
	struct app_port *p = port_find(port_id);
	struct fwd_counters c;
	uint64_t *s = (uint64_t *)sum, *v = (uint64_t *)&c;
	const uint64_t *b;
	unsigned int q;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	if (p == NULL)
		return;
	for (q = 0; q < p->nb_streams; q++) {
		counters_load(&p->streams[q]->c, &c);
		b = (const uint64_t *)&p->streams[q]->at_start;
		for (i = 0; i < sizeof(c) / sizeof(uint64_t); i++)
			s[i] += v[i] - (since_start ? b[i] : 0);
	}
}

int
fwd_streams_alloc(struct app_port *p)
{
	uint16_t n = RTE_MAX(p->nb_rxq, p->nb_txq), q;
	struct fwd_stream *fs;

	if (n > FO_MAX_QUEUES)
		return -EINVAL;
	for (q = 0; q < n; q++) {
		fs = rte_zmalloc("fo_stream", sizeof(*fs), RTE_CACHE_LINE_SIZE);
		if (fs == NULL) {
			fwd_streams_free(p);
			return -ENOMEM;
		}
		fs->port_id = p->port_id;
		fs->rxq = q < p->nb_rxq ? q : FO_NO_QUEUE;
		fs->txq = q < p->nb_txq ? q : FO_NO_QUEUE;
		fs->tx_share = p->nb_txq;
		fs->mp = p->mp;
		seqtrack_init(&fs->track);
		p->streams[q] = fs;
		p->nb_streams = q + 1;
	}
	return 0;
}

void
fwd_streams_free(struct app_port *p)
{
	unsigned int q;

	for (q = 0; q < p->nb_streams; q++) {
		rte_free(p->streams[q]);
		p->streams[q] = NULL;
	}
	p->nb_streams = 0;
}

static void
print_port_summary(const struct app_port *p)
{
	struct rte_eth_stats now, *st = &port_at_start[p->port_id];
	struct fwd_counters c;
	char name[RTE_ETH_NAME_MAX_LEN];
	int path;

	fwd_port_counters(p->port_id, &c, true);
	printf("\n  ------- Forward statistics for port %u (%s) -------\n",
		p->port_id, port_name(p->port_id, name, sizeof(name)));
	printf("  RX-packets: %-14" PRIu64 " TX-packets: %-14" PRIu64
		" TX-dropped: %" PRIu64 "\n", c.rx, c.tx, c.tx_drop);
	if (cur_engine == &fwd_engine_rxcheck ||
	    cur_engine == &fwd_engine_txonly)
		printf("  seq-check: unique %" PRIu64 " lost %" PRIu64
			" dup %" PRIu64 " reordered %" PRIu64 " stale %"
			PRIu64 " foreign %" PRIu64 "\n", c.seq_unique,
			c.seq_lost, c.seq_dup, c.seq_reordered, c.seq_stale,
			c.foreign);
	if (c.alloc_fail != 0)
		printf("  mbuf allocation failures: %" PRIu64 "\n",
			c.alloc_fail);
	if (rte_eth_stats_get(p->port_id, &now) == 0)
		printf("  port: RX-packets %" PRIu64 " RX-missed %" PRIu64
			" RX-errors %" PRIu64 " RX-nombuf %" PRIu64
			" TX-packets %" PRIu64 " TX-errors %" PRIu64 "\n",
			now.ipackets - st->ipackets, now.imissed - st->imissed,
			now.ierrors - st->ierrors,
			now.rx_nombuf - st->rx_nombuf,
			now.opackets - st->opackets,
			now.oerrors - st->oerrors);
	if (p->is_failover) {
		path = rte_pmd_failover_active_path(p->port_id);
		printf("  Tx path: %s\n", fo_path_name(path));
	}
}

int
fwd_start(void)
{
	unsigned int i, q, nb_lc = app.nb_fwd_lcores, launched = 0;
	struct app_port *p;
	struct fwd_stream *fs;
	int ret;

	if (running)
		return -EALREADY;
	if (nb_lc == 0)
		return -ENOTSUP;
	memset(fwd_lcores, 0, sizeof(fwd_lcores));
	for (i = 0; i < nb_lc; i++)
		fwd_lcores[i].lcore_id = app.fwd_lcores[i];
	cur_engine = app.engine;

	for (i = 0; i < FO_MAX_PORTS; i++) {
		p = &app.ports[i];
		if (!p->used || !p->started)
			continue;
		rte_eth_stats_get(p->port_id, &port_at_start[p->port_id]);
		for (q = 0; q < p->nb_streams; q++) {
			struct fwd_lcore *lc = &fwd_lcores[q % nb_lc];

			fs = p->streams[q];
			fs->lcore_id = lc->lcore_id;
			fs->src_mac = p->mac;
			fs->dst_mac = p->peer;
			fs->at_start = fs->c;
			if (cur_engine->begin != NULL)
				cur_engine->begin(fs);
			lc->streams[lc->nb_streams++] = fs;
		}
	}

	/* Relaxed: the launch below orders it before the lcores run. */
	__atomic_store_n(&stop_flag, 0, __ATOMIC_RELAXED);
	for (i = 0; i < nb_lc; i++) {
		if (fwd_lcores[i].nb_streams == 0)
			continue;
		ret = rte_eal_remote_launch(fwd_lcore_main, &fwd_lcores[i],
			fwd_lcores[i].lcore_id);
		if (ret < 0) {
			printf("error: cannot launch lcore %u: %s\n",
				fwd_lcores[i].lcore_id, rte_strerror(-ret));
			__atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
			rte_eal_mp_wait_lcore();
			return ret;
		}
		launched++;
	}
	if (launched == 0)
		return -ENODEV;
	running = true;
	printf("%s packet forwarding started on %u lcore(s)\n",
		cur_engine->name, launched);
	con_status_begin();
	return 0;
}

int
fwd_stop(void)
{
	unsigned int i;

	if (!running)
		return -EALREADY;
	/* Relaxed: see fwd_lcore_main(). */
	__atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
	running = false;
	con_status_stop();
	for (i = 0; i < FO_MAX_PORTS; i++)
		if (app.ports[i].used && app.ports[i].started)
			print_port_summary(&app.ports[i]);
	printf("\nforwarding stopped\n");
	return 0;
}
