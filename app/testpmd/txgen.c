/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/* Packet builder, parser and pacer of txonly/rxcheck (see txgen.h). */

#include <errno.h>
#include <string.h>

#include "txgen.h"

#define ETHERTYPE_IPV4		0x0800u
#define IPPROTO_UDP_NUM		17u
#define IP_DF			0x4000u
#define IP_MF_OFFSET_MASK	0x3fffu
#define IP_TTL			64u

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)get16(p) << 16) | get16(p + 2);
}

static inline uint64_t
get64(const uint8_t *p)
{
	return ((uint64_t)get32(p) << 32) | get32(p + 4);
}

uint16_t
txgen_ip_cksum(const uint8_t *hdr, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(hdr + i);
	if (len & 1)
		sum += (uint32_t)hdr[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
txgen_build(uint8_t *buf, size_t room, const struct txgen_tmpl *t,
		uint64_t seq, uint64_t stamp)
{
	uint8_t *ip = buf + TXGEN_ETH_LEN;
	uint8_t *udp = ip + TXGEN_IP_LEN;
	uint8_t *pl = udp + TXGEN_UDP_LEN;
	uint16_t len = t->frame_len;

	if (len < TXGEN_FRAME_MIN || len > TXGEN_FRAME_MAX)
		return -EINVAL;
	if (room < len)
		return -ENOSPC;
	memset(buf, 0, len);

	memcpy(buf, t->dst_mac, 6);
	memcpy(buf + 6, t->src_mac, 6);
	put16(buf + 12, ETHERTYPE_IPV4);

	ip[0] = 0x45;		/* version 4, 5 words */
	put16(ip + 2, (uint16_t)(len - TXGEN_ETH_LEN));
	put16(ip + 6, IP_DF);
	ip[8] = IP_TTL;
	ip[9] = IPPROTO_UDP_NUM;
	put32(ip + 12, t->ip_src);
	put32(ip + 16, t->ip_dst);
	put16(ip + 10, txgen_ip_cksum(ip, TXGEN_IP_LEN));

	put16(udp, t->udp_src);
	put16(udp + 2, t->udp_dst);
	put16(udp + 4, (uint16_t)(len - TXGEN_ETH_LEN - TXGEN_IP_LEN));

	put32(pl, TXGEN_MAGIC);
	put32(pl + 4, t->flow);
	put64(pl + 8, seq);
	put64(pl + 16, stamp);
	return len;
}

void
txgen_stamp(uint8_t *frame, uint64_t seq, uint64_t stamp)
{
	put64(frame + TXGEN_OFF_SEQ, seq);
	put64(frame + TXGEN_OFF_STAMP, stamp);
}

int
txgen_parse(const uint8_t *frame, size_t len, struct txgen_info *info)
{
	const uint8_t *ip, *udp, *pl;
	size_t ihl, ip_len, udp_len;

	if (len < TXGEN_ETH_LEN + TXGEN_IP_LEN ||
	    get16(frame + 12) != ETHERTYPE_IPV4)
		return -EPROTO;
	ip = frame + TXGEN_ETH_LEN;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < TXGEN_IP_LEN)
		return -EPROTO;
	ip_len = get16(ip + 2);
	/* Frames may be padded beyond the IP datagram, never cut short. */
	if (ip_len < ihl + TXGEN_UDP_LEN || TXGEN_ETH_LEN + ip_len > len)
		return -EPROTO;
	/* A fragment does not carry (all of) our payload. */
	if (ip[9] != IPPROTO_UDP_NUM ||
	    (get16(ip + 6) & IP_MF_OFFSET_MASK) != 0)
		return -EPROTO;
	udp = ip + ihl;
	udp_len = get16(udp + 4);
	if (udp_len < TXGEN_UDP_LEN || udp_len > ip_len - ihl)
		return -EPROTO;
	if (udp_len < TXGEN_UDP_LEN + TXGEN_PAYLOAD_LEN)
		return -ENOMSG;
	pl = udp + TXGEN_UDP_LEN;
	if (get32(pl) != TXGEN_MAGIC)
		return -ENOMSG;
	info->flow = get32(pl + 4);
	info->seq = get64(pl + 8);
	info->stamp = get64(pl + 16);
	return 0;
}

static void
pacer_refill(struct txgen_pacer *p, uint64_t now)
{
	uint64_t elapsed = now - p->last;
	uint64_t cap = p->depth * p->hz;

	p->last = now;
	/* A whole second fills any bucket: bounding elapsed keeps
	 * elapsed * rate from overflowing after a long pause. */
	if (elapsed > p->hz)
		elapsed = p->hz;
	p->credit += elapsed * p->rate;
	if (p->credit > cap)
		p->credit = cap;
}

static void
pacer_set_depth(struct txgen_pacer *p)
{
	uint64_t window = p->rate * TXGEN_PACER_WINDOW_MS / 1000;

	p->depth = window > p->min_depth ? window : p->min_depth;
}

void
txgen_pacer_init(struct txgen_pacer *p, uint64_t hz, uint64_t rate,
		uint64_t min_depth, uint64_t now)
{
	p->hz = hz != 0 ? hz : 1;
	p->rate = rate;
	p->min_depth = min_depth != 0 ? min_depth : 1;
	p->last = now;
	p->credit = 0;
	pacer_set_depth(p);
}

void
txgen_pacer_set_rate(struct txgen_pacer *p, uint64_t rate, uint64_t now)
{
	if (p->rate != 0) {
		pacer_refill(p, now);
	} else {
		/* Nothing was earned while there was no limit. */
		p->credit = 0;
		p->last = now;
	}
	p->rate = rate;
	pacer_set_depth(p);
	if (p->credit > p->depth * p->hz)
		p->credit = p->depth * p->hz;
}

uint64_t
txgen_pacer_grant(struct txgen_pacer *p, uint64_t now, uint64_t want)
{
	uint64_t n;

	if (p->rate == 0)
		return want;
	pacer_refill(p, now);
	n = p->credit / p->hz;
	return n < want ? n : want;
}

void
txgen_pacer_commit(struct txgen_pacer *p, uint64_t sent)
{
	uint64_t cost;

	if (p->rate == 0)
		return;
	cost = sent * p->hz;
	p->credit = cost < p->credit ? p->credit - cost : 0;
}
