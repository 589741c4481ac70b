/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef HOSTSIM_H
#define HOSTSIM_H

/*
 * fo-hostsim: the host of docs/design/host_protocol.rst. It owns the other
 * end of the guest's two data paths (net_vhost ports in client mode), the
 * control channel (the hypervisor's hot-plug) and the receive filter that
 * decides which path the guest's traffic goes down.
 *
 * Two threads:
 *  - the main lcore runs the scenario: it reads commands, talks to the
 *    guest, creates and removes vhost ports, moves the filter and prints
 *    the report (main.c, hs_paths.c, hs_ctl.c, hs_report.c);
 *  - the traffic lcore sends sequence-numbered frames through the port the
 *    filter selects, polls every port for what comes back and counts it
 *    (hs_traffic.c).
 *
 * They share three things:
 *  - the path table (struct hs_table): what the traffic lcore polls, where
 *    it sends and which event window is open. The main lcore publishes a
 *    new immutable table and waits until the traffic lcore has finished a
 *    loop with it (hs_publish()): only then may it stop or remove a port
 *    that the new table left out;
 *  - the event windows (struct hs_window) and timeline buckets (struct
 *    hs_bucket), written by the traffic lcore only and read by the main
 *    lcore, word by word, with relaxed atomics;
 *  - the bitmap of received sequence numbers, same rules.
 *
 * Paths are numbered: 0 is the synthetic path, n >= 1 is VF n (the n-th VF
 * granted; a flap re-creates the same VF n, a migration grants a new one).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#define HS_MS_NS		1000000ull
#define HS_S_NS			1000000000ull

#define HS_BURST		32
#define HS_MAX_PORTS		4	/* ports in one table: syn + VFs */
#define HS_MAX_PATHS		256	/* path ids: 0 syn, 1..255 VF n */
#define HS_MAX_WINDOWS		256	/* events in one run */
#define HS_BUCKET_NS		(10 * HS_MS_NS)
#define HS_MAX_BUCKETS		(10 * 60 * 100)	/* ten minutes */
/* Sequence numbers the bitmap remembers: 2^25, 11 min at 50 kpps. */
#define HS_SEQ_BITS		25
#define HS_SEQ_CAP		(1ull << HS_SEQ_BITS)
/* Sent this recently: may still be on the wire, not yet lost. */
#define HS_GRACE_NS		(100 * HS_MS_NS)
#define HS_NAME_LEN		64
#define HS_TRIGGER_LEN		24
#define HS_LINE_MAX		512

#define HS_PATH_NONE		UINT16_MAX
#define HS_PATH_SYN		0

/* Exit codes. */
#define HS_EXIT_OK		0
#define HS_EXIT_FAILED		1	/* a check, an expectation, a command */
#define HS_EXIT_SETUP		2	/* could not start */

/* What a window was opened by. */
enum hs_kind {
	HS_KIND_START,
	HS_KIND_GRANT,
	HS_KIND_REVOKE,
	HS_KIND_YANK,
	HS_KIND_MIGRATE,
	HS_KIND_FLAP,
	HS_KIND_MAX,
};

/*
 * What the traffic lcore does, published whole by the main lcore (see
 * hs_publish()). Never modified once published.
 */
struct hs_table {
	uint64_t version;
	uint16_t nb_ports;
	uint16_t port[HS_MAX_PORTS];	/* polled for Rx */
	uint16_t path[HS_MAX_PORTS];	/* path id of port[i] */
	int tx;				/* index into port[] or -1: none */
	bool sending;			/* false: the generator pauses */
	uint16_t window;		/* the open event window */
};

/*
 * One event: from its trigger to the next one. Counters split two ways:
 *  - by sequence number (dup, reord, and lost at the end): a packet
 *    belongs to the window in which it was sent, or, if it was still on
 *    its way back at the trigger (sent after the highest one back), to
 *    the event that may have lost it;
 *  - by arrival time (run_*, max_gap_ns): what came back while the window
 *    was open.
 * Written by the traffic lcore only (opened when it first sees the table
 * naming it); the main lcore writes the rest before publishing that table
 * or after the window closed.
 */
struct hs_window {
	/* Main lcore, before the window is published. */
	enum hs_kind kind;
	char trigger[HS_TRIGGER_LEN];
	/* Traffic lcore, when it opens the window. */
	uint64_t t_ns;			/* trigger, since the start */
	uint64_t seq0;			/* its first sequence number */
	uint16_t from_path;		/* path of the last arrival before */
	/* Traffic lcore, by sequence number. */
	uint64_t dup;
	uint64_t reord;
	/* Traffic lcore, by arrival time. */
	uint64_t rx;
	uint16_t run_path;		/* path of the latest arrival */
	uint64_t run_start_ns;		/* first arrival of the latest run */
	uint64_t switched;		/* a run began in this window */
	uint64_t max_gap_ns;		/* longest silence between arrivals */
	uint64_t max_stall_ns;		/* longest pause of the lcore itself */
	/* Main lcore, once every packet sent in it is in or lost. */
	bool final;
	uint64_t sent;
	uint64_t lost;
	/* Main lcore: the scenario action failed. */
	bool failed;
	char note[HS_NAME_LEN];
};

/* Ten milliseconds of the timeline. Written by the traffic lcore. */
struct hs_bucket {
	uint64_t tx;
	uint64_t rx_syn;
	uint64_t rx_vf;
	uint64_t seq_first;	/* next sequence number when it began */
};

/* Totals kept by the traffic lcore (relaxed stores, single writer). */
struct hs_totals {
	uint64_t tx;
	uint64_t tx_refused;	/* due but not taken by the port */
	uint64_t rx;
	uint64_t foreign;	/* not ours, or malformed */
	uint64_t stale;		/* older than the bitmap remembers */
	uint64_t alloc_fail;
	uint64_t loops;
	uint64_t path_rx[HS_MAX_PATHS];
	uint64_t path_first_ns[HS_MAX_PATHS];	/* first arrival, 0: none */
	uint64_t path_last_ns[HS_MAX_PATHS];	/* latest arrival */
};

/* One host port: the host end of a path. */
struct hs_port {
	bool present;
	uint16_t port_id;
	char name[HS_NAME_LEN];		/* net_vhost<n> */
	char devargs[HS_LINE_MAX];
};

struct hs_expect;

struct hs {
	/* Options. */
	const char *dir;
	const char *script;
	const char *csv;
	struct rte_ether_addr guest_mac;
	struct rte_ether_addr host_mac;
	uint32_t rate_pps;
	uint32_t idle_us;
	uint32_t boot_timeout_ms;
	uint32_t reply_timeout_ms;
	uint32_t settle_wait_ms;	/* grant: filter moves at the latest */
	uint32_t yank_delay_ms;		/* yank: host end gone to VF_YANK */
	bool check_recovery;
	bool show_lost;			/* report: lost sequence ranges */
	struct hs_expect *expects;
	unsigned int nb_expects;

	struct rte_mempool *mp;
	unsigned int traffic_lcore;
	uint64_t t0_ns;

	/* Host ends: index 0 synthetic, else VF n. */
	struct hs_port syn;
	struct hs_port vf;		/* the current VF, if present */
	uint16_t vf_path;		/* its path id, HS_PATH_NONE: none */
	uint16_t nb_vf_granted;

	/* Table publication (see hs_publish()). */
	struct hs_table tables[2];
	unsigned int table_cur;
	struct hs_table *table;		/* read by the traffic lcore */
	uint64_t seen_version;		/* written by the traffic lcore */
	int stop;			/* traffic lcore: leave */

	/* Written by the traffic lcore. */
	struct hs_window windows[HS_MAX_WINDOWS];
	unsigned int nb_windows;	/* main lcore: windows created */
	struct hs_bucket *buckets;
	uint64_t nb_buckets_used;
	uint64_t *seen;			/* bitmap, HS_SEQ_CAP bits */
	uint64_t next_seq;		/* published copy for the main lcore */
	struct hs_totals tot;

	bool failed;			/* some command failed */
};

extern struct hs hs;

/* main.c */
uint64_t hs_now_ns(void);
void hs_log(const char *fmt, ...) __rte_format_printf(1, 2);
const char *hs_path_name(uint16_t path, char *buf, size_t len);
void hs_wait_ms(uint32_t ms);
/* SIGINT or SIGTERM came: every wait gives up (the exit is within 2 s). */
bool hs_stopping(void);

/* hs_ctl.c: the control channel, main lcore only. */
int hs_ctl_listen(const char *path);
void hs_ctl_service(int timeout_ms);
bool hs_ctl_hello(void);
int hs_ctl_send_cmd(const char *word, const char *arg, uint32_t timeout_ms);
bool hs_ctl_replied(void);
int hs_ctl_wait_reply(const char *word, uint32_t timeout_ms);
int hs_ctl_request(const char *word, const char *arg, uint32_t timeout_ms);
void hs_ctl_close(void);

/* hs_paths.c: host ends and the scenario actions. */
void hs_traffic_set_running(bool running);
void hs_publish(const struct hs_table *t);
struct hs_table hs_table_get(void);
int hs_port_create(struct hs_port *p, const char *name,
		const char *iface);
void hs_port_destroy(struct hs_port *p);
int hs_boot(void);
int hs_vf_grant(const char *mac_override);
int hs_vf_revoke(void);
int hs_vf_yank(void);
int hs_migrate(void);
int hs_flap(unsigned int count, uint32_t ms);
void hs_shutdown(void);

/* hs_traffic.c */
int hs_traffic_main(void *arg);
uint64_t hs_load(const uint64_t *p);

/* hs_report.c */
unsigned int hs_window_open(enum hs_kind kind, const char *trigger);
void hs_window_fail(unsigned int w, const char *why);
void hs_finalize(bool at_end);
void hs_report_freeze(void);
void hs_report_print(FILE *f);
int hs_csv_write(const char *path);
int hs_expect_parse(const char *s);
int hs_evaluate(void);
const char *hs_kind_name(enum hs_kind k);

#endif /* HOSTSIM_H */
