/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_TXGEN_H
#define FO_TXGEN_H

/*
 * Packet builder and pacer of the txonly engine, and the parser the
 * rxcheck engine uses on the same frames: pure functions over byte
 * buffers (no DPDK, no EAL).
 *
 * Frame: Ethernet II / IPv4 (no options, DF, TTL 64, header checksum) /
 * UDP (checksum 0, as IPv4 allows) / payload, all big-endian:
 *
 *   offset 42  u32  magic  0x464f5351 ("FOSQ")
 *          46  u32  flow   sender's flow id
 *          50  u64  seq    sequence number within the flow, from 0
 *          58  u64  stamp  sender's clock when built (ns or TSC)
 *
 * then zero padding up to the frame length. The headers of a flow never
 * change, so the engine builds them once (txgen_build()) and only writes
 * seq and stamp into each copy (txgen_stamp()).
 */

#include <stddef.h>
#include <stdint.h>

#define TXGEN_MAGIC		0x464f5351u
#define TXGEN_ETH_LEN		14u
#define TXGEN_IP_LEN		20u
#define TXGEN_UDP_LEN		8u
#define TXGEN_HDR_LEN		(TXGEN_ETH_LEN + TXGEN_IP_LEN + TXGEN_UDP_LEN)
#define TXGEN_PAYLOAD_LEN	24u
/* Shortest frame that carries the payload (without FCS). */
#define TXGEN_FRAME_MIN		(TXGEN_HDR_LEN + TXGEN_PAYLOAD_LEN)
#define TXGEN_FRAME_MAX		1514u
#define TXGEN_OFF_SEQ		(TXGEN_HDR_LEN + 8u)
#define TXGEN_OFF_STAMP		(TXGEN_HDR_LEN + 16u)

/* What stays the same for every packet of a flow. */
struct txgen_tmpl {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint32_t ip_src;	/* host byte order */
	uint32_t ip_dst;
	uint16_t udp_src;
	uint16_t udp_dst;
	uint16_t frame_len;	/* TXGEN_FRAME_MIN..TXGEN_FRAME_MAX */
	uint32_t flow;
};

/* What txgen_parse() found in one of our frames. */
struct txgen_info {
	uint32_t flow;
	uint64_t seq;
	uint64_t stamp;
};

/*
 * Write a whole frame of @p t with @p seq and @p stamp into @p buf.
 * Returns the frame length, -EINVAL for a bad frame_len, -ENOSPC when
 * @p room is too small.
 */
int txgen_build(uint8_t *buf, size_t room, const struct txgen_tmpl *t,
		uint64_t seq, uint64_t stamp);

/* Rewrite seq and stamp of a frame made by txgen_build(). */
void txgen_stamp(uint8_t *frame, uint64_t seq, uint64_t stamp);

/*
 * Parse a received frame. Returns 0 and fills @p info if it is one of
 * ours; -EPROTO if it is not IPv4/UDP or is truncated or inconsistent;
 * -ENOMSG if it is UDP without our magic.
 */
int txgen_parse(const uint8_t *frame, size_t len, struct txgen_info *info);

/* RFC 1071 checksum of an IPv4 header (the checksum field included). */
uint16_t txgen_ip_cksum(const uint8_t *hdr, size_t len);

/*
 * Token-bucket pacer. Credit grows by rate packets per second of the
 * caller's clock (hz ticks per second). The bucket holds TXGEN_PACER_WINDOW_MS
 * worth of packets (at least min_depth): a sender descheduled for less than
 * that catches up, a longer pause is not followed by a flood. rate 0 means
 * no limit.
 */
#define TXGEN_PACER_WINDOW_MS	10u

struct txgen_pacer {
	uint64_t hz;
	uint64_t rate;		/* packets per second, 0: unlimited */
	uint64_t min_depth;	/* the bucket holds at least this */
	uint64_t depth;		/* packets the bucket holds */
	uint64_t last;		/* clock at the last refill */
	uint64_t credit;	/* in packets * hz */
};

void txgen_pacer_init(struct txgen_pacer *p, uint64_t hz, uint64_t rate,
		uint64_t min_depth, uint64_t now);
/* Change the rate; keeps the credit earned so far (capped), none when
 * there was no limit. */
void txgen_pacer_set_rate(struct txgen_pacer *p, uint64_t rate, uint64_t now);
/* How many packets (at most @p want) may be sent at @p now. */
uint64_t txgen_pacer_grant(struct txgen_pacer *p, uint64_t now, uint64_t want);
/* Charge @p sent packets (at most what was granted). */
void txgen_pacer_commit(struct txgen_pacer *p, uint64_t sent);

#endif /* FO_TXGEN_H */
