/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FO_TESTPMD_H
#define FO_TESTPMD_H

/*
 * fo-testpmd: a testpmd-like guest application over net_failover ports.
 *
 *  main.c         options, EAL, main loop (interactive, command file,
 *                 non-interactive), signals, exit;
 *  ports.c        port set-up and tear-down, device lookup, hot-plug;
 *  cmds.c         the command table (DPDK cmdline) and its handlers;
 *  show.c         what the "show" commands print;
 *  console.c      output from other threads, the live status line;
 *  failover_view.c  path-change callback, "show failover", per-path rates;
 *  fwd.c          forwarding lcores, streams, start/stop, counters;
 *  fwd_*.c        one forwarding engine each;
 *  ctl.c          control channel client (docs/design/host_protocol.rst);
 *  seqtrack.c, txgen.c, macfwd.c, ctl_proto.c
 *                 the engines' and the protocol's pure cores (no DPDK).
 *
 * Threads: the main thread runs the commands and the console; forwarding
 * lcores run fwd_lcore_main(); the control channel has its own control
 * thread; path-change and link callbacks run on PMD or EAL threads. Only
 * the main thread writes to stdout while a prompt may be shown; the others
 * queue lines with con_post().
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmdline_parse.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "seqtrack.h"
#include "txgen.h"

#define FO_PROMPT		"fo-testpmd> "
#define FO_MAX_PORTS		8
#define FO_MAX_QUEUES		16
#define FO_MAX_FWD_LCORES	16
#define FO_NO_QUEUE		UINT16_MAX
#define FO_BURST		32
#define FO_NB_DESC		512
#define FO_MBUF_CACHE		256
#define FO_TXRATE_MAX		100000000u	/* packets per second */
#define FO_NS_PER_S		1000000000ull
#define FO_NS_PER_MS		1000000ull

/* ----------------------------------------------------------------------
 * Forwarding
 * ---------------------------------------------------------------------- */

struct fwd_stream;

struct fwd_engine {
	const char *name;
	const char *help;
	/* Once per stream when forwarding starts (may be NULL). */
	void (*begin)(struct fwd_stream *fs);
	/* One burst; runs on the stream's forwarding lcore only. */
	void (*burst)(struct fwd_stream *fs);
};

/*
 * Counters of a stream. Its forwarding lcore alone writes them (plain
 * read, add, relaxed store: no read-modify-write needed with one writer);
 * the main thread reads them with relaxed loads of whole 64-bit words, so
 * it never sees a torn value. Nothing else is published through them.
 */
struct fwd_counters {
	uint64_t rx;		/* packets received */
	uint64_t tx;		/* packets accepted by the port */
	uint64_t tx_drop;	/* packets the port refused, freed */
	uint64_t alloc_fail;	/* txonly: bursts the mempool could not fill */
	uint64_t foreign;	/* rxcheck: packets that are not ours */
	/* rxcheck (and txonly's own packets coming back) */
	uint64_t seq_unique;
	uint64_t seq_lost;
	uint64_t seq_dup;
	uint64_t seq_reordered;
	uint64_t seq_stale;
};

struct fwd_stream {
	uint16_t port_id;
	uint16_t rxq;		/* FO_NO_QUEUE: Tx only */
	uint16_t txq;		/* FO_NO_QUEUE: Rx only */
	unsigned int lcore_id;
	struct rte_mempool *mp;
	struct rte_ether_addr src_mac;	/* the port's */
	struct rte_ether_addr dst_mac;	/* its peer's */
	/* txonly */
	uint64_t tx_seq;	/* next sequence number; kept across restarts */
	uint32_t tx_rate;	/* the share of txrate the pacer runs at */
	uint16_t tx_share;	/* Tx queues of the port sharing txrate */
	struct txgen_pacer pacer;
	uint8_t tmpl[TXGEN_FRAME_MAX];
	uint16_t tmpl_len;
	/* rxcheck */
	struct seqtrack track;
	struct fwd_counters c;
	/* Totals at the last "start", for the stop summary. */
	struct fwd_counters at_start;
};

/* Forwarding engines, fwd_*.c */
extern const struct fwd_engine fwd_engine_io;
extern const struct fwd_engine fwd_engine_mac;
extern const struct fwd_engine fwd_engine_macswap;
extern const struct fwd_engine fwd_engine_rxonly;
extern const struct fwd_engine fwd_engine_txonly;
extern const struct fwd_engine fwd_engine_rxcheck;

/* fwd.c */
const struct fwd_engine *fwd_engine_find(const char *name);
void fwd_engine_names(char *buf, size_t size, const char *sep);
void fwd_engines_print(void);
int fwd_start(void);
int fwd_stop(void);
bool fwd_running(void);
void fwd_port_counters(uint16_t port_id, struct fwd_counters *sum,
		bool since_start);
struct app_port;
int fwd_streams_alloc(struct app_port *p);
void fwd_streams_free(struct app_port *p);
/* Helpers for the engines. */
void fwd_count(uint64_t *ctr, uint64_t n);
void fwd_rx_check(struct fwd_stream *fs, struct rte_mbuf **pkts,
		uint16_t n);
/* Receive a burst of FO_BURST on the stream's queue, counted; 0 if none. */
uint16_t fwd_rx(struct fwd_stream *fs, struct rte_mbuf **pkts);
/* The frames and lengths of @p n packets, for the header rewrites. */
void fwd_frames(struct rte_mbuf **pkts, uint16_t n, uint8_t **frames,
		uint16_t *lens);
uint16_t fwd_tx(struct fwd_stream *fs, struct rte_mbuf **pkts, uint16_t n);

/* ----------------------------------------------------------------------
 * Ports
 * ---------------------------------------------------------------------- */

struct app_port {
	bool used;
	uint16_t port_id;
	bool is_failover;
	bool started;
	bool path_cb;		/* path-change callback registered */
	bool lsc_cb;
	struct rte_mempool *mp;
	struct rte_ether_addr mac;
	struct rte_ether_addr peer;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	/* One per queue index, max(nb_rxq, nb_txq); kept while the port
	 * exists, so sequence numbers and checks go on across restarts. */
	struct fwd_stream *streams[FO_MAX_QUEUES];
	uint16_t nb_streams;
};

/* ports.c */
int ports_init_all(void);
int port_setup(uint16_t port_id);
void ports_close_all(void);
struct app_port *port_find(uint16_t port_id);
int port_rescan(unsigned int *added);
int port_check_id(uint16_t port_id, bool app_port);
struct rte_device *dev_find_by_name(const char *name);
/* Does a bus recognise @p devargs (a known driver, a PCI address)? */
bool dev_known(const char *devargs);
int dev_detach_by_name(const char *name, bool from_ctl);
int port_first_failover(void);
const char *port_name(uint16_t port_id, char *buf, size_t size);
/*
 * Hot-plug and changes of the port table, one at a time: take the token
 * (waiting in steps, -EINTR once @p cancel says so), do it, give it back.
 * No lock is held meanwhile: whoever waits can still give up.
 */
int hotplug_begin(const char *what, bool (*cancel)(void));
void hotplug_end(void);
/*
 * rte_dev_probe(), but a virtio-user server that waits for its peer is
 * released after @p timeout_ms (-ETIMEDOUT) or as soon as @p cancel says
 * so (-EINTR).
 */
int dev_probe_bounded(const char *devargs, unsigned int timeout_ms,
		bool (*cancel)(void));

/* ----------------------------------------------------------------------
 * Failover view
 * ---------------------------------------------------------------------- */

/* failover_view.c */
void fo_view_register(struct app_port *p);
void fo_view_unregister(struct app_port *p);
void fo_view_show(uint16_t port_id);
const char *fo_path_name(int path);
/* Per-path packet counters, if they can be known. */
struct fo_path_counts {
	bool known;
	uint64_t syn_rx, syn_tx, vf_rx, vf_tx;
};
void fo_view_path_counts(uint16_t port_id, struct fo_path_counts *pc);
/* Name of the VF the port holds: 1 and @p buf filled, 0 if none,
 * -ENOTSUP if the PMD cannot tell, another -errno on error. */
int fo_view_vf_name(uint16_t port_id, char *buf, size_t size);
/* Is @p name the synthetic sub-port of failover port @p port_id? */
bool fo_view_is_synthetic(uint16_t port_id, const char *name);

/* ----------------------------------------------------------------------
 * Console
 * ---------------------------------------------------------------------- */

/* console.c */
void con_init(bool interactive);
void con_post(const char *fmt, ...) __rte_format_printf(1, 2);
void con_flush(void);
void con_set_rdline(void *rdl);
void con_idle(bool at_prompt);
void con_status_begin(void);
void con_status_tick(bool force);
void con_status_stop(void);

/* ----------------------------------------------------------------------
 * Control channel
 * ---------------------------------------------------------------------- */

/* ctl.c */
/* Create the control directory of @p path (0700) or check it is private. */
int ctl_dir_prepare(const char *path);
int ctl_start(const char *path);
/* 0, or -EBUSY if the control thread is stuck in a hot-plug call
 * (one that cannot be released: --ctl-allow any). */
int ctl_stop(void);

/* ----------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

/* cmds.c */
extern cmdline_parse_ctx_t fo_cmd_ctx[];

/* show.c */
void show_port_stats(uint16_t port_id);
void show_port_xstats(uint16_t port_id);
void show_port_info(uint16_t port_id);
void show_config(void);

/* ----------------------------------------------------------------------
 * Application state
 * ---------------------------------------------------------------------- */

struct app {
	/* Options. */
	bool interactive;
	bool auto_start;
	const char *cmdline_file;
	const char *ctl_path;
	unsigned int ctl_allow;		/* CTL_ALLOW_*: what VF_ADD may probe */
	unsigned int ctl_probe_timeout_ms;	/* VF_ADD, port attach */
	unsigned int nb_cores;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	unsigned int stats_period_s;	/* 0: off */
	const struct fwd_engine *engine;
	/* Packets per second txonly sends per port, 0: no limit. Read by
	 * the forwarding lcores (relaxed: a new rate may take effect a
	 * burst later). */
	uint32_t txrate;

	struct app_port ports[FO_MAX_PORTS];
	unsigned int fwd_lcores[FO_MAX_FWD_LCORES];
	unsigned int nb_fwd_lcores;

	/* Set by "quit", EOF, or a signal. */
	int quit;
};

extern struct app app;

uint64_t app_now_ns(void);
void app_request_quit(void);
bool app_quitting(void);

#endif /* FO_TESTPMD_H */
