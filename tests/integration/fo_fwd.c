/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "fo_fwd.h"
#include "fo_test.h"
#include "testvf.h"

int
fo_seqset_init(struct fo_seqset *s)
{
	memset(s, 0, sizeof(*s));
	s->seen = calloc(FO_MAX_SEQ, 1);
	s->max = FO_MAX_SEQ;
	return s->seen == NULL ? -ENOMEM : 0;
}

void
fo_seqset_free(struct fo_seqset *s)
{
	free(s->seen);
	s->seen = NULL;
}

static void
fo_seqset_add(struct fo_seqset *s, const struct rte_mbuf *m, uint16_t flow)
{
	uint16_t f;
	int64_t seq = fo_test_pkt_seq(m, &f);

	if (seq < 0 || f != flow || (uint64_t)seq >= s->max) {
		s->foreign++;
		return;
	}
	if (s->seen[seq] != 0)
		s->dup++;
	if (s->seen[seq] != UINT8_MAX)
		s->seen[seq]++;
	s->total++;
}

uint64_t
fo_seqset_missing(const struct fo_seqset *s, uint32_t upto)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < upto && i < s->max; i++)
		if (s->seen[i] == 0)
			n++;
	return n;
}

#define FWD_BURST 16

/* The one forwarder running, for fo_fwd_abort() after a failed test. */
static struct fo_fwd *fo_running;

static int
fo_fwd_main(void *arg)
{
	struct fo_fwd *f = arg;
	struct rte_mbuf *pending[FWD_BURST];
	struct rte_mbuf *rx[FO_TEST_BURST];
	unsigned int nb_pending = 0;
	uint16_t q = 0, n, i, sent;

	while (!f->stop) {
		if (nb_pending == 0 && !f->pause_tx &&
		    f->next_tx_seq + FWD_BURST <= f->tx_limit &&
		    fo_test_make_pkts(pending, FWD_BURST, f->next_tx_seq,
				FO_FLOW_TX) == 0) {
			nb_pending = FWD_BURST;
			f->next_tx_seq += FWD_BURST;
		}
		if (nb_pending != 0) {
			/* What the port does not take is retried, in order. */
			sent = rte_eth_tx_burst(f->port, 0, pending, nb_pending);
			memmove(pending, pending + sent,
				(nb_pending - sent) * sizeof(pending[0]));
			nb_pending -= sent;
		}
		for (q = 0; q < f->nb_queues; q++) {
			n = rte_eth_rx_burst(f->port, q, rx, FO_TEST_BURST);
			for (i = 0; i < n; i++) {
				fo_seqset_add(&f->rx, rx[i], FO_FLOW_RX);
				if (rx[i]->port != f->port)
					f->rx.foreign++;
			}
			rte_pktmbuf_free_bulk(rx, n);
		}
		f->bursts++;
	}
	/* Keep sending what was taken from the pool: nothing may leak. */
	while (nb_pending != 0) {
		sent = rte_eth_tx_burst(f->port, 0, pending, nb_pending);
		if (sent == 0) {
			rte_pktmbuf_free_bulk(pending, nb_pending);
			f->next_tx_seq -= nb_pending;
			break;
		}
		memmove(pending, pending + sent,
			(nb_pending - sent) * sizeof(pending[0]));
		nb_pending -= sent;
	}
	return 0;
}

int
fo_fwd_start(struct fo_fwd *f, uint16_t port, uint16_t nb_queues)
{
	int ret;

	f->port = port;
	f->nb_queues = nb_queues;
	f->stop = false;
	if (f->tx_limit == 0)
		f->tx_limit = FO_MAX_SEQ - FWD_BURST;
	ret = fo_seqset_init(&f->rx);
	if (ret < 0)
		return ret;
	ret = fo_seqset_init(&f->tx);
	if (ret < 0)
		return ret;
	pthread_mutex_init(&f->wire_lock, NULL);
	f->lcore = rte_get_next_lcore(-1, 1, 0);
	if (f->lcore >= RTE_MAX_LCORE)
		return -ENODEV;
	ret = rte_eal_remote_launch(fo_fwd_main, f, f->lcore);
	if (ret == 0)
		fo_running = f;
	return ret;
}

void
fo_fwd_stop(struct fo_fwd *f)
{
	f->pause_tx = true;
	usleep(20000);
	f->stop = true;
	rte_eal_wait_lcore(f->lcore);
	fo_running = NULL;
}

void
fo_fwd_abort(void)
{
	if (fo_running != NULL) {
		fo_running->stop = true;
		rte_eal_wait_lcore(fo_running->lcore);
		fo_running = NULL;
	}
}

unsigned int
fo_wire_drain(struct fo_fwd *f, uint16_t sub_port)
{
	struct rte_mbuf *pkts[64];
	unsigned int total = 0;
	uint16_t q;
	int n, i;

	pthread_mutex_lock(&f->wire_lock);
	for (q = 0; q < f->nb_queues; q++) {
		do {
			n = testvf_tx_drain(sub_port, q, pkts, RTE_DIM(pkts));
			for (i = 0; i < n; i++)
				fo_seqset_add(&f->tx, pkts[i], FO_FLOW_TX);
			if (n > 0) {
				rte_pktmbuf_free_bulk(pkts, n);
				total += n;
			}
		} while (n > 0);
	}
	pthread_mutex_unlock(&f->wire_lock);
	return total;
}

unsigned int
fo_wire_inject(struct fo_fwd *f, uint16_t sub_port, unsigned int n)
{
	struct rte_mbuf *pkts[64];
	int done;

	n = RTE_MIN(n, RTE_DIM(pkts));
	if (fo_test_make_pkts(pkts, n, f->next_inject_seq, FO_FLOW_RX) < 0)
		return 0;
	done = testvf_rx_inject(sub_port, 0, pkts, n);
	if (done < 0)
		done = 0;
	if ((unsigned int)done < n)
		rte_pktmbuf_free_bulk(pkts + done, n - done);
	f->next_inject_seq += done;
	return done;
}
