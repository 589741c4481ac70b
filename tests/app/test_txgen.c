/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The txonly engine's packet builder and pacer, and the parser rxcheck
 * uses (app/testpmd/txgen.c): frames byte by byte, what the parser
 * rejects, and the pacer's rate, depth and catch-up on a simulated clock.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "txgen.h"

static const uint8_t DST[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x07 };
static const uint8_t SRC[6] = { 0x02, 0xfa, 0x11, 0x00, 0x00, 0x01 };

static struct txgen_tmpl
tmpl(uint16_t len)
{
	struct txgen_tmpl t;

	memset(&t, 0, sizeof(t));
	memcpy(t.dst_mac, DST, 6);
	memcpy(t.src_mac, SRC, 6);
	t.ip_src = 0xc6120001;	/* 198.18.0.1 */
	t.ip_dst = 0xc6120002;
	t.udp_src = 1024;
	t.udp_dst = 5001;
	t.frame_len = len;
	t.flow = 0x00030001;
	return t;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
test_ip_cksum_known(void **state)
{
	/* The classic example header, checksum field zeroed: 0xb861. */
	uint8_t h[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};

	(void)state;
	assert_int_equal(txgen_ip_cksum(h, sizeof(h)), 0xb861);
	h[10] = 0xb8;
	h[11] = 0x61;
	/* With the right checksum in, the sum checks to zero. */
	assert_int_equal(txgen_ip_cksum(h, sizeof(h)), 0);
	/* Odd length: the last byte is the high half of a word. */
	assert_int_equal(txgen_ip_cksum((const uint8_t *)"\x01", 1), 0xfeff);
}

static void
test_build_layout(void **state)
{
	struct txgen_tmpl t = tmpl(TXGEN_FRAME_MIN);
	uint8_t f[256];
	const uint8_t *ip = f + 14, *udp = f + 34, *pl = f + 42;

	(void)state;
	memset(f, 0xee, sizeof(f));
	assert_int_equal(txgen_build(f, sizeof(f), &t, 0x0102030405060708ull,
		0x1112131415161718ull), TXGEN_FRAME_MIN);
	assert_int_equal(TXGEN_FRAME_MIN, 66);
	assert_memory_equal(f, DST, 6);
	assert_memory_equal(f + 6, SRC, 6);
	assert_int_equal(be16(f + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(be16(ip + 2), TXGEN_FRAME_MIN - 14);
	assert_int_equal(be16(ip + 6), 0x4000);	/* DF, no fragment */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 17);
	assert_int_equal(txgen_ip_cksum(ip, 20), 0);
	assert_memory_equal(ip + 12, "\xc6\x12\x00\x01\xc6\x12\x00\x02", 8);
	assert_int_equal(be16(udp), 1024);
	assert_int_equal(be16(udp + 2), 5001);
	assert_int_equal(be16(udp + 4), TXGEN_FRAME_MIN - 34);
	assert_int_equal(be16(udp + 6), 0);
	assert_memory_equal(pl, "FOSQ", 4);
	assert_memory_equal(pl + 4, "\x00\x03\x00\x01", 4);
	assert_memory_equal(pl + 8, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_memory_equal(pl + 16, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
	/* Nothing written past the frame. */
	assert_int_equal(f[TXGEN_FRAME_MIN], 0xee);
}

static void
test_build_padded_and_limits(void **state)
{
	struct txgen_tmpl t = tmpl(128);
	uint8_t f[TXGEN_FRAME_MAX + 16];
	unsigned int i;

	(void)state;
	memset(f, 0xee, sizeof(f));
	assert_int_equal(txgen_build(f, sizeof(f), &t, 1, 2), 128);
	assert_int_equal(be16(f + 16), 128 - 14);
	assert_int_equal(be16(f + 38), 128 - 34);
	for (i = TXGEN_FRAME_MIN; i < 128; i++)
		assert_int_equal(f[i], 0);

	t.frame_len = TXGEN_FRAME_MIN - 1;
	assert_int_equal(txgen_build(f, sizeof(f), &t, 0, 0), -EINVAL);
	t.frame_len = TXGEN_FRAME_MAX + 1;
	assert_int_equal(txgen_build(f, sizeof(f), &t, 0, 0), -EINVAL);
	t.frame_len = TXGEN_FRAME_MAX;
	assert_int_equal(txgen_build(f, sizeof(f), &t, 0, 0), TXGEN_FRAME_MAX);
	t.frame_len = 100;
	assert_int_equal(txgen_build(f, 99, &t, 0, 0), -ENOSPC);
}

static void
test_roundtrip_and_stamp(void **state)
{
	struct txgen_tmpl t = tmpl(96);
	struct txgen_info in;
	uint8_t f[128];
	uint64_t seq;

	(void)state;
	assert_int_equal(txgen_build(f, sizeof(f), &t, 0, 0), 96);
	for (seq = 0; seq < 5; seq++) {
		txgen_stamp(f, seq * 0x100000001ull, 1000 + seq);
		memset(&in, 0, sizeof(in));
		assert_int_equal(txgen_parse(f, 96, &in), 0);
		assert_int_equal(in.flow, t.flow);
		assert_int_equal(in.seq, seq * 0x100000001ull);
		assert_int_equal(in.stamp, 1000 + seq);
		/* Only the payload changed: the IP checksum still holds. */
		assert_int_equal(txgen_ip_cksum(f + 14, 20), 0);
	}
	/* Ethernet padding beyond the datagram is fine. */
	assert_int_equal(txgen_parse(f, sizeof(f), &in), 0);
}

static void
test_parse_rejects(void **state)
{
	struct txgen_tmpl t = tmpl(TXGEN_FRAME_MIN);
	struct txgen_info in;
	uint8_t good[128], f[128];

	(void)state;
	assert_int_equal(txgen_build(good, sizeof(good), &t, 7, 0),
		TXGEN_FRAME_MIN);
#define FRESH() memcpy(f, good, sizeof(f))

	FRESH();
	assert_int_equal(txgen_parse(f, 33, &in), -EPROTO);
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN - 1, &in), -EPROTO);
	FRESH();
	f[12] = 0x86;
	f[13] = 0xdd;			/* IPv6 */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[14] = 0x65;			/* version 6 in an IPv4 frame */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[14] = 0x44;			/* IHL 4: too short */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[23] = 6;			/* TCP */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[20] = 0x20;			/* MF: a first fragment */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[21] = 0x10;			/* a later fragment */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[17] = 200;			/* IP longer than the frame */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[39] = 100;			/* UDP longer than the IP payload */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -EPROTO);
	FRESH();
	f[39] = 8 + 23;			/* UDP too short for our payload */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -ENOMSG);
	FRESH();
	f[42] = 'X';			/* not our magic */
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN, &in), -ENOMSG);
	/* An all-zero frame, as net_null delivers. */
	memset(f, 0, sizeof(f));
	assert_int_equal(txgen_parse(f, 64, &in), -EPROTO);
#undef FRESH
}

static void
test_parse_ip_options(void **state)
{
	struct txgen_tmpl t = tmpl(TXGEN_FRAME_MIN);
	struct txgen_info in;
	uint8_t g[128], f[128];

	(void)state;
	assert_int_equal(txgen_build(g, sizeof(g), &t, 99, 5),
		TXGEN_FRAME_MIN);
	/* The same datagram with a 4-byte IP option (NOPs). */
	memcpy(f, g, 34);
	memset(f + 34, 1, 4);
	memcpy(f + 38, g + 34, TXGEN_FRAME_MIN - 34);
	f[14] = 0x46;
	f[16] = 0;
	f[17] = (uint8_t)(TXGEN_FRAME_MIN - 14 + 4);
	assert_int_equal(txgen_parse(f, TXGEN_FRAME_MIN + 4, &in), 0);
	assert_int_equal(in.seq, 99);
	assert_int_equal(in.flow, t.flow);
}

#define HZ	1000000000ull	/* a nanosecond clock */

static void
test_pacer_rate(void **state)
{
	struct txgen_pacer p;
	uint64_t now = 5000, sent = 0, n, step;

	(void)state;
	txgen_pacer_init(&p, HZ, 1000, 32, now);
	assert_int_equal(txgen_pacer_grant(&p, now, 32), 0);
	assert_int_equal(txgen_pacer_grant(&p, now + 999999, 32), 0);
	assert_int_equal(txgen_pacer_grant(&p, now + 1000000, 32), 1);
	txgen_pacer_commit(&p, 1);
	assert_int_equal(txgen_pacer_grant(&p, now + 1000001, 32), 0);

	/* One second in 7 us steps: exactly the rate, whatever the step. */
	txgen_pacer_init(&p, HZ, 100000, 32, now);
	for (step = 7000; now < 5000 + HZ; now += step) {
		n = txgen_pacer_grant(&p, now, 32);
		txgen_pacer_commit(&p, n);
		sent += n;
	}
	assert_in_range(sent, 99999, 100000);
}

static void
test_pacer_unlimited_and_partial(void **state)
{
	struct txgen_pacer p;

	(void)state;
	txgen_pacer_init(&p, HZ, 0, 32, 0);
	assert_int_equal(txgen_pacer_grant(&p, 0, 32), 32);
	txgen_pacer_commit(&p, 32);
	assert_int_equal(txgen_pacer_grant(&p, 0, 17), 17);

	/* A port that took fewer than granted: the rest stays earned. */
	txgen_pacer_init(&p, HZ, 1000, 32, 0);
	assert_int_equal(txgen_pacer_grant(&p, 10000000, 32), 10);
	txgen_pacer_commit(&p, 4);
	assert_int_equal(txgen_pacer_grant(&p, 10000000, 32), 6);
	/* Never more than asked for. */
	assert_int_equal(txgen_pacer_grant(&p, 10000000, 2), 2);
}

static void
test_pacer_depth(void **state)
{
	struct txgen_pacer p;

	(void)state;
	/* Slow: the bucket holds the minimum depth (a burst). */
	txgen_pacer_init(&p, HZ, 1000, 32, 0);
	assert_int_equal(txgen_pacer_grant(&p, 5 * HZ, 1000000), 32);
	/* Fast: 10 ms worth. */
	txgen_pacer_init(&p, HZ, 1000000, 32, 0);
	assert_int_equal(txgen_pacer_grant(&p, 5 * HZ, 1000000),
		1000000 * TXGEN_PACER_WINDOW_MS / 1000);
}

static void
test_pacer_catch_up(void **state)
{
	struct txgen_pacer p;
	uint64_t now = 0, sent = 0, n;

	(void)state;
	/*
	 * A sender polling every microsecond but descheduled for 5 ms every
	 * 50 ms (a loaded machine) still sends its rate: the bucket holds
	 * 10 ms.
	 */
	txgen_pacer_init(&p, HZ, 100000, 32, now);
	while (now < HZ) {
		n = txgen_pacer_grant(&p, now, 32);
		txgen_pacer_commit(&p, n);
		sent += n;
		now += (now % 50000000 < 1000) ? 5000000 : 1000;
	}
	assert_in_range(sent, 99900, 100000);
}

static void
test_pacer_set_rate(void **state)
{
	struct txgen_pacer p;
	uint64_t now = 0, sent = 0, n;

	(void)state;
	txgen_pacer_init(&p, HZ, 1000, 32, now);
	for (; now < HZ; now += 100000) {
		if (now == HZ / 2)
			txgen_pacer_set_rate(&p, 3000, now);
		n = txgen_pacer_grant(&p, now, 32);
		txgen_pacer_commit(&p, n);
		sent += n;
	}
	/* Half a second at 1000, half at 3000. */
	assert_in_range(sent, 1995, 2000);
	/* Down to no limit and back. */
	txgen_pacer_set_rate(&p, 0, now);
	assert_int_equal(txgen_pacer_grant(&p, now, 32), 32);
	txgen_pacer_set_rate(&p, 1000, now);
	assert_int_equal(txgen_pacer_grant(&p, now + 2000000, 32), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_cksum_known),
		cmocka_unit_test(test_build_layout),
		cmocka_unit_test(test_build_padded_and_limits),
		cmocka_unit_test(test_roundtrip_and_stamp),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_ip_options),
		cmocka_unit_test(test_pacer_rate),
		cmocka_unit_test(test_pacer_unlimited_and_partial),
		cmocka_unit_test(test_pacer_depth),
		cmocka_unit_test(test_pacer_catch_up),
		cmocka_unit_test(test_pacer_set_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
