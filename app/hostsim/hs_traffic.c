/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The traffic lcore: the host's side of the wire. At the configured rate
 * it sends sequence-numbered UDP frames addressed to the guest through the
 * port the receive filter selects (struct hs_table), polls every port of
 * the table for what the guest sends back, and counts, per event window,
 * duplicates, reordering and what came back on which path.
 *
 * Everything shared is written here only, with relaxed stores of whole
 * 64-bit words: the main lcore reads recent values for its report and
 * needs no ordering with anything else, except the table hand-shake
 * (hs_publish()) and the windows' opening, which ride on seen_version.
 */

#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "hostsim.h"

#define HS_MAGIC	0x4853494du	/* "HSIM" */
#define HS_UDP_PORT	9
#define HS_HOST_IP	RTE_IPV4(10, 250, 0, 254)
#define HS_GUEST_IP	RTE_IPV4(10, 250, 0, 1)

/* The UDP payload, unaligned in the frame: copied in and out. */
struct hs_payload {
	uint32_t magic;
	uint32_t pad;
	uint64_t seq;
	uint64_t tx_ns;
};

#define HS_FRAME_LEN	(sizeof(struct rte_ether_hdr) + \
		sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr) + \
		sizeof(struct hs_payload))

/* State private to the traffic lcore. */
struct hs_tstate {
	uint64_t next_seq;	/* next sequence number to send */
	uint64_t issued;	/* packets due so far, sent or refused */
	uint64_t max_rx_seq;	/* highest sequence number received + 1 */
	unsigned int window;	/* the open window */
	uint64_t bucket;	/* the current timeline bucket */
	uint16_t last_path;	/* path of the latest arrival */
	uint64_t last_rx_ns;
	uint64_t last_loop_ns;	/* when the previous loop began */
};

uint64_t
hs_load(const uint64_t *p)
{
	/* Relaxed: a single writer; readers want a recent value only. */
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
hs_set(uint64_t *p, uint64_t v)
{
	/* Relaxed: see the file comment. */
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static void
hs_add(uint64_t *p, uint64_t v)
{
	/* One writer: a load and a store, no read-modify-write needed. */
	hs_set(p, *p + v);
}

static void
hs_pkt_fill(struct rte_mbuf *m, uint64_t seq, uint64_t now)
{
	struct hs_payload pl = {
		.magic = HS_MAGIC, .seq = seq, .tx_ns = now,
	};
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	char *data;

	data = rte_pktmbuf_append(m, HS_FRAME_LEN);
	/* A fresh mbuf of the default size always has room for it. */
	RTE_ASSERT(data != NULL);
	eth = (struct rte_ether_hdr *)data;
	rte_ether_addr_copy(&hs.guest_mac, &eth->dst_addr);
	rte_ether_addr_copy(&hs.host_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(HS_FRAME_LEN - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(HS_HOST_IP);
	ip->dst_addr = rte_cpu_to_be_32(HS_GUEST_IP);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(HS_UDP_PORT);
	udp->dst_port = rte_cpu_to_be_16(HS_UDP_PORT);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + sizeof(pl));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, &pl, sizeof(pl));
}

/* The sequence number of one of our frames, or -1 for anything else. */
static int64_t
hs_pkt_seq(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	struct hs_payload pl;

	if (rte_pktmbuf_data_len(m) < HS_FRAME_LEN)
		return -1;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	udp = (const struct rte_udp_hdr *)(ip + 1);
	if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    ip->next_proto_id != IPPROTO_UDP ||
	    udp->dst_port != rte_cpu_to_be_16(HS_UDP_PORT))
		return -1;
	memcpy(&pl, udp + 1, sizeof(pl));
	if (pl.magic != HS_MAGIC || pl.seq > INT64_MAX)
		return -1;
	return (int64_t)pl.seq;
}

static void
hs_window_start(struct hs_tstate *s, unsigned int w, uint64_t now)
{
	struct hs_window *win = &hs.windows[w];

	hs_set(&win->t_ns, now);
	/*
	 * What is still on its way back when the event hits is the event's:
	 * the window's packets start after the highest one already back
	 * (a yank loses what the VF's rings held, sent just before it).
	 */
	hs_set(&win->seq0, s->max_rx_seq);
	/* Read only once seen_version covers this table: hs_publish(). */
	win->from_path = s->last_path;
	/* Relaxed: it changes later, read for the report like the counters. */
	__atomic_store_n(&win->run_path, s->last_path, __ATOMIC_RELAXED);
	s->window = w;
}

/* The window a sequence number was sent in: usually the open one. */
static struct hs_window *
hs_window_of(const struct hs_tstate *s, uint64_t seq)
{
	unsigned int w = s->window;

	while (w > 0 && seq < hs.windows[w].seq0)
		w--;
	return &hs.windows[w];
}

static void
hs_bucket_advance(struct hs_tstate *s, uint64_t now)
{
	uint64_t b = now / HS_BUCKET_NS;

	if (b >= HS_MAX_BUCKETS || b == s->bucket)
		return;
	while (s->bucket < b) {
		s->bucket++;
		hs_set(&hs.buckets[s->bucket].seq_first, s->next_seq);
	}
	hs_set(&hs.nb_buckets_used, b + 1);
}

static struct hs_bucket *
hs_bucket_cur(const struct hs_tstate *s, uint64_t now)
{
	return now / HS_BUCKET_NS < HS_MAX_BUCKETS ?
		&hs.buckets[s->bucket] : NULL;
}

static void
hs_rx_one(struct hs_tstate *s, uint16_t path, const struct rte_mbuf *m,
		uint64_t now, struct hs_bucket *bk)
{
	struct hs_window *win = &hs.windows[s->window];
	struct hs_window *sw;
	uint64_t *word, bit, seq;
	int64_t v;

	hs_add(&hs.tot.rx, 1);
	v = hs_pkt_seq(m);
	if (v < 0 || (uint64_t)v >= s->next_seq) {
		hs_add(&hs.tot.foreign, 1);
		return;
	}
	seq = (uint64_t)v;
	if (s->next_seq - seq > HS_SEQ_CAP) {
		hs_add(&hs.tot.stale, 1);
		return;
	}

	/* By arrival. */
	hs_add(&hs.tot.path_rx[path], 1);
	if (hs.tot.path_first_ns[path] == 0)
		hs_set(&hs.tot.path_first_ns[path], now);
	hs_set(&hs.tot.path_last_ns[path], now);
	if (bk != NULL)
		hs_add(path == HS_PATH_SYN ? &bk->rx_syn : &bk->rx_vf, 1);
	hs_add(&win->rx, 1);
	if (s->last_rx_ns != 0 && now - s->last_rx_ns > win->max_gap_ns)
		hs_set(&win->max_gap_ns, now - s->last_rx_ns);
	if (path != win->run_path) {
		/* Relaxed: read for the report only, like the counters. */
		__atomic_store_n(&win->run_path, path, __ATOMIC_RELAXED);
		hs_set(&win->run_start_ns, now);
		hs_set(&win->switched, 1);
	}
	s->last_path = path;
	s->last_rx_ns = now;

	/* By sequence number. */
	sw = hs_window_of(s, seq);
	word = &hs.seen[(seq % HS_SEQ_CAP) / 64];
	bit = 1ull << (seq % 64);
	if (*word & bit) {
		hs_add(&sw->dup, 1);
		return;
	}
	hs_set(word, *word | bit);
	if (seq < s->max_rx_seq)
		hs_add(&sw->reord, 1);
	else
		s->max_rx_seq = seq + 1;
}

/* Send what is due; returns how many packets left. */
static unsigned int
hs_tx(struct hs_tstate *s, const struct hs_table *t, uint64_t now,
		struct hs_bucket *bk)
{
	struct rte_mbuf *pkts[HS_BURST];
	uint64_t due = now * hs.rate_pps / HS_S_NS;
	uint64_t n, i, sent;

	if (!t->sending || t->tx < 0) {
		/* Nothing accrues while there is nowhere to send. */
		s->issued = due;
		return 0;
	}
	n = due - s->issued;
	if (n > 4 * HS_BURST) {
		/* Behind (a stall): skip ahead rather than burst. */
		hs_add(&hs.tot.tx_refused, n - HS_BURST);
		s->issued += n - HS_BURST;
		n = HS_BURST;
	}
	if (n > HS_BURST)
		n = HS_BURST;
	if (n == 0)
		return 0;
	if (rte_pktmbuf_alloc_bulk(hs.mp, pkts, n) != 0) {
		hs_add(&hs.tot.alloc_fail, 1);
		return 0;
	}
	for (i = 0; i < n; i++) {
		/* Forget a number sent a whole bitmap ago. */
		uint64_t seq = s->next_seq + i;
		uint64_t *word = &hs.seen[(seq % HS_SEQ_CAP) / 64];

		hs_set(word, *word & ~(1ull << (seq % 64)));
		hs_pkt_fill(pkts[i], seq, now);
	}
	sent = rte_eth_tx_burst(t->port[t->tx], 0, pkts, n);
	if (sent < n) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		hs_add(&hs.tot.tx_refused, n - sent);
	}
	s->issued += n;
	s->next_seq += sent;
	hs_set(&hs.next_seq, s->next_seq);
	hs_add(&hs.tot.tx, sent);
	if (bk != NULL)
		hs_add(&bk->tx, sent);
	return sent;
}

static unsigned int
hs_rx(struct hs_tstate *s, const struct hs_table *t, uint64_t now,
		struct hs_bucket *bk)
{
	struct rte_mbuf *pkts[HS_BURST];
	unsigned int got = 0;
	uint16_t i, j, nb;

	for (i = 0; i < t->nb_ports; i++) {
		nb = rte_eth_rx_burst(t->port[i], 0, pkts, HS_BURST);
		for (j = 0; j < nb; j++)
			hs_rx_one(s, t->path[i], pkts[j], now, bk);
		if (nb > 0)
			rte_pktmbuf_free_bulk(pkts, nb);
		got += nb;
	}
	return got;
}

int
hs_traffic_main(void *arg)
{
	struct hs_tstate s = {
		.window = UINT32_MAX,	/* opens window 0 on the first loop */
		.last_path = HS_PATH_NONE,
	};
	struct timespec idle = { 0, 0 };
	const struct hs_table *t;
	struct hs_bucket *bk;
	unsigned int work;
	uint64_t now;

	RTE_SET_USED(arg);
	idle.tv_nsec = (long)hs.idle_us * 1000;
	s.issued = hs_now_ns() * hs.rate_pps / HS_S_NS;
	/* Relaxed: a flag; what it stops is awaited by rte_eal_wait_lcore(). */
	while (!__atomic_load_n(&hs.stop, __ATOMIC_RELAXED)) {
		/*
		 * Acquire: pairs with the release in hs_publish(), so that the
		 * table's fields (and the window it names) are seen whole.
		 */
		t = __atomic_load_n(&hs.table, __ATOMIC_ACQUIRE);
		now = hs_now_ns();
		hs_bucket_advance(&s, now);
		bk = hs_bucket_cur(&s, now);
		if (t->window != s.window)
			hs_window_start(&s, t->window, now);
		/* Descheduled, or slowed by the main lcore's work? */
		if (s.last_loop_ns != 0 && now - s.last_loop_ns >
				hs.windows[s.window].max_stall_ns)
			hs_set(&hs.windows[s.window].max_stall_ns,
				now - s.last_loop_ns);
		s.last_loop_ns = now;
		work = hs_tx(&s, t, now, bk);
		work += hs_rx(&s, t, now, bk);
		hs_add(&hs.tot.loops, 1);
		/*
		 * Release: everything this loop did with the table (bursts on
		 * its ports, the window it opened) happens before the main
		 * lcore, reading this with acquire, stops or removes a port
		 * or reads the window.
		 */
		__atomic_store_n(&hs.seen_version, t->version,
			__ATOMIC_RELEASE);
		if (work == 0 && hs.idle_us > 0)
			nanosleep(&idle, NULL);
	}
	return 0;
}
