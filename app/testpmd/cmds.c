/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The commands, on DPDK's cmdline library (history, editing and TAB
 * completion come with it). A line that matches no command gets
 * "Command not found", one that matches a command's first words but not
 * its arguments gets "Bad arguments" (both from the library); a command
 * whose arguments parse but are wrong (a port that does not exist, no
 * usable VF...) prints one "error: ..." line. Every handler ends by
 * printing what other threads queued meanwhile (con_flush()), so that it
 * comes before the next prompt.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_etheraddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "rte_pmd_failover.h"

#include "fo_testpmd.h"

#define SLEEP_MAX_MS	600000u
#define SLEEP_STEP_MS	10u

static void
cmd_done(void)
{
	con_flush();
	con_status_tick(false);
}

/* ---------------------------------------------------------------------- */

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_start_parsed(void *res, struct cmdline *cl, void *data)
{
	int ret;

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	ret = fwd_start();
	if (ret == -EALREADY)
		printf("error: forwarding is already started\n");
	else if (ret == -ENOTSUP)
		printf("error: no forwarding lcore (give EAL -l with at least "
			"2 lcores)\n");
	else if (ret == -ENODEV)
		printf("error: no started port to forward on\n");
	else if (ret < 0)
		printf("error: start: %s\n", rte_strerror(-ret));
	cmd_done();
}

static cmdline_parse_token_string_t cmd_start_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "start");

static cmdline_parse_inst_t cmd_start = {
	.f = cmd_start_parsed,
	.help_str = "start: start forwarding",
	.tokens = { (void *)&cmd_start_word, NULL },
};

static void
cmd_stop_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (fwd_stop() == -EALREADY)
		printf("error: forwarding is not started\n");
	cmd_done();
}

static cmdline_parse_token_string_t cmd_stop_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "stop");

static cmdline_parse_inst_t cmd_stop = {
	.f = cmd_stop_parsed,
	.help_str = "stop: stop forwarding and show its statistics",
	.tokens = { (void *)&cmd_stop_word, NULL },
};

static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(data);
	app_request_quit();
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t cmd_quit_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "quit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop forwarding, close the ports, exit",
	.tokens = { (void *)&cmd_quit_word, NULL },
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	char modes[128];

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	fwd_engine_names(modes, sizeof(modes), "|");
	printf("Commands (TAB completes, '?' lists arguments):\n"
		"  start | stop                       forwarding\n"
		"  show port stats|xstats|info <p>    port counters, details\n"
		"  show failover <p>                  sub-ports, path, state, "
		"counters\n"
		"  show config                        mode, lcores, queues, "
		"rate\n"
		"  failover switch <p> vf|synthetic   planned switch\n"
		"  failover vf-detach <p>             graceful VF revoke\n"
		"  port attach <devargs>              probe a device\n"
		"  device detach <name>               remove a device\n"
		"  set fwd %s\n"
		"  set txrate <pps>                   txonly rate per port, "
		"0: no limit\n"
		"  set eth-peer <p> <mac>             destination of mac and "
		"txonly\n"
		"  sleep <ms>                         wait (for scripts)\n"
		"  quit\n"
		"Forwarding modes:\n", modes);
	fwd_engines_print();
	cmd_done();
}

static cmdline_parse_token_string_t cmd_help_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: list the commands",
	.tokens = { (void *)&cmd_help_word, NULL },
};

/* ---------------------------------------------------------------------- */

struct cmd_show_port_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t what;
	uint16_t port_id;
};

static void
cmd_show_port_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_port_result *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (port_check_id(r->port_id, false) == 0) {
		if (strcmp(r->what, "stats") == 0)
			show_port_stats(r->port_id);
		else if (strcmp(r->what, "xstats") == 0)
			show_port_xstats(r->port_id);
		else
			show_port_info(r->port_id);
	}
	cmd_done();
}

static cmdline_parse_token_string_t cmd_show_port_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_port_result, show, "show");
static cmdline_parse_token_string_t cmd_show_port_port =
	TOKEN_STRING_INITIALIZER(struct cmd_show_port_result, port, "port");
static cmdline_parse_token_string_t cmd_show_port_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_port_result, what,
		"stats#xstats#info");
static cmdline_parse_token_num_t cmd_show_port_id =
	TOKEN_NUM_INITIALIZER(struct cmd_show_port_result, port_id, RTE_UINT16);

static cmdline_parse_inst_t cmd_show_port = {
	.f = cmd_show_port_parsed,
	.help_str = "show port stats|xstats|info <port_id>",
	.tokens = {
		(void *)&cmd_show_port_show,
		(void *)&cmd_show_port_port,
		(void *)&cmd_show_port_what,
		(void *)&cmd_show_port_id,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_show_failover_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t failover;
	uint16_t port_id;
};

static void
cmd_show_failover_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_failover_result *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (port_check_id(r->port_id, false) == 0)
		fo_view_show(r->port_id);
	cmd_done();
}

static cmdline_parse_token_string_t cmd_show_failover_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_failover_result, show, "show");
static cmdline_parse_token_string_t cmd_show_failover_failover =
	TOKEN_STRING_INITIALIZER(struct cmd_show_failover_result, failover,
		"failover");
static cmdline_parse_token_num_t cmd_show_failover_id =
	TOKEN_NUM_INITIALIZER(struct cmd_show_failover_result, port_id,
		RTE_UINT16);

static cmdline_parse_inst_t cmd_show_failover = {
	.f = cmd_show_failover_parsed,
	.help_str = "show failover <port_id>: sub-ports, Tx path, state, "
		"counters, last change",
	.tokens = {
		(void *)&cmd_show_failover_show,
		(void *)&cmd_show_failover_failover,
		(void *)&cmd_show_failover_id,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_show_config_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t config;
};

static void
cmd_show_config_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_config();
	cmd_done();
}

static cmdline_parse_token_string_t cmd_show_config_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_config_result, show, "show");
static cmdline_parse_token_string_t cmd_show_config_config =
	TOKEN_STRING_INITIALIZER(struct cmd_show_config_result, config,
		"config");

static cmdline_parse_inst_t cmd_show_config = {
	.f = cmd_show_config_parsed,
	.help_str = "show config: mode, lcores, queues, txrate, ports",
	.tokens = {
		(void *)&cmd_show_config_show,
		(void *)&cmd_show_config_config,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_fo_switch_result {
	cmdline_fixed_string_t failover;
	cmdline_fixed_string_t sw;
	uint16_t port_id;
	cmdline_fixed_string_t path;
};

static void
cmd_fo_switch_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_fo_switch_result *r = res;
	enum rte_pmd_failover_path path;
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (port_check_id(r->port_id, false) < 0)
		goto out;
	path = strcmp(r->path, "vf") == 0 ? RTE_PMD_FAILOVER_PATH_VF :
		RTE_PMD_FAILOVER_PATH_SYNTHETIC;
	ret = rte_pmd_failover_switch(r->port_id, path);
	if (ret == -ENODEV && path == RTE_PMD_FAILOVER_PATH_VF)
		printf("error: port %u: no usable VF (absent, link down, "
			"stopped or refused)\n", r->port_id);
	else if (ret == -EINVAL)
		printf("error: port %u is not a failover port\n", r->port_id);
	else if (ret < 0)
		printf("error: port %u: switch to %s: %s\n", r->port_id,
			fo_path_name(path), rte_strerror(-ret));
	else
		printf("port %u: Tx on %s\n", r->port_id, fo_path_name(
			rte_pmd_failover_active_path(r->port_id)));
out:
	cmd_done();
}

static cmdline_parse_token_string_t cmd_fo_switch_failover =
	TOKEN_STRING_INITIALIZER(struct cmd_fo_switch_result, failover,
		"failover");
static cmdline_parse_token_string_t cmd_fo_switch_sw =
	TOKEN_STRING_INITIALIZER(struct cmd_fo_switch_result, sw, "switch");
static cmdline_parse_token_num_t cmd_fo_switch_id =
	TOKEN_NUM_INITIALIZER(struct cmd_fo_switch_result, port_id, RTE_UINT16);
static cmdline_parse_token_string_t cmd_fo_switch_path =
	TOKEN_STRING_INITIALIZER(struct cmd_fo_switch_result, path,
		"vf#synthetic");

static cmdline_parse_inst_t cmd_fo_switch = {
	.f = cmd_fo_switch_parsed,
	.help_str = "failover switch <port_id> vf|synthetic: planned switch",
	.tokens = {
		(void *)&cmd_fo_switch_failover,
		(void *)&cmd_fo_switch_sw,
		(void *)&cmd_fo_switch_id,
		(void *)&cmd_fo_switch_path,
		NULL,
	},
};

struct cmd_fo_detach_result {
	cmdline_fixed_string_t failover;
	cmdline_fixed_string_t detach;
	uint16_t port_id;
};

static void
cmd_fo_detach_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_fo_detach_result *r = res;
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (port_check_id(r->port_id, false) < 0)
		goto out;
	if (hotplug_begin("failover vf-detach", app_quitting) < 0)
		goto out;
	ret = rte_pmd_failover_vf_detach(r->port_id);
	hotplug_end();
	if (ret == -ENODEV)
		printf("error: port %u: no VF attached\n", r->port_id);
	else if (ret == -EINVAL)
		printf("error: port %u is not a failover port\n", r->port_id);
	else if (ret < 0)
		printf("error: port %u: vf-detach: %s\n", r->port_id,
			rte_strerror(-ret));
	else
		printf("port %u: VF released, Tx on %s\n", r->port_id,
			fo_path_name(rte_pmd_failover_active_path(r->port_id)));
out:
	cmd_done();
}

static cmdline_parse_token_string_t cmd_fo_detach_failover =
	TOKEN_STRING_INITIALIZER(struct cmd_fo_detach_result, failover,
		"failover");
static cmdline_parse_token_string_t cmd_fo_detach_detach =
	TOKEN_STRING_INITIALIZER(struct cmd_fo_detach_result, detach,
		"vf-detach");
static cmdline_parse_token_num_t cmd_fo_detach_id =
	TOKEN_NUM_INITIALIZER(struct cmd_fo_detach_result, port_id, RTE_UINT16);

static cmdline_parse_inst_t cmd_fo_detach = {
	.f = cmd_fo_detach_parsed,
	.help_str = "failover vf-detach <port_id>: graceful VF revoke",
	.tokens = {
		(void *)&cmd_fo_detach_failover,
		(void *)&cmd_fo_detach_detach,
		(void *)&cmd_fo_detach_id,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_port_attach_result {
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t attach;
	cmdline_multi_string_t devargs;
};

static void
cmd_port_attach_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_port_attach_result *r = res;
	unsigned int added = 0;
	size_t len = strlen(r->devargs);
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	/* The rest of the line, up to a comment: blanks before it too. */
	while (len > 0 && (r->devargs[len - 1] == ' ' ||
			r->devargs[len - 1] == '\t'))
		r->devargs[--len] = '\0';
	if (!dev_known(r->devargs)) {
		printf("error: port attach %s: no driver for this device "
			"(unknown driver name, not a PCI address, or its PMD is "
			"not loaded: -d)\n", r->devargs);
		goto out;
	}
	if (hotplug_begin(r->devargs, app_quitting) < 0)
		goto out;
	ret = dev_probe_bounded(r->devargs, app.ctl_probe_timeout_ms,
		app_quitting);
	if (ret == 0)
		ret = port_rescan(&added);
	hotplug_end();
	if (ret == -ETIMEDOUT)
		printf("error: port attach %s: no peer in %u ms: abandoned\n",
			r->devargs, app.ctl_probe_timeout_ms);
	else if (ret < 0)
		printf("error: port attach %s: %s\n", r->devargs,
			rte_strerror(-ret));
	else if (added == 0)
		printf("%s probed; no new port for forwarding (taken by a "
			"failover port, or not a network device)\n", r->devargs);
	else
		printf("%s probed: %u new port(s)%s\n", r->devargs, added,
			fwd_running() ? ", forwarded on from the next start" :
			"");
out:
	cmd_done();
}

static cmdline_parse_token_string_t cmd_port_attach_port =
	TOKEN_STRING_INITIALIZER(struct cmd_port_attach_result, port, "port");
static cmdline_parse_token_string_t cmd_port_attach_attach =
	TOKEN_STRING_INITIALIZER(struct cmd_port_attach_result, attach,
		"attach");
static cmdline_parse_token_string_t cmd_port_attach_devargs =
	TOKEN_STRING_INITIALIZER(struct cmd_port_attach_result, devargs,
		TOKEN_STRING_MULTI);

static cmdline_parse_inst_t cmd_port_attach = {
	.f = cmd_port_attach_parsed,
	.help_str = "port attach <devargs>: probe a device (rte_dev_probe)",
	.tokens = {
		(void *)&cmd_port_attach_port,
		(void *)&cmd_port_attach_attach,
		(void *)&cmd_port_attach_devargs,
		NULL,
	},
};

struct cmd_dev_detach_result {
	cmdline_fixed_string_t device;
	cmdline_fixed_string_t detach;
	cmdline_fixed_string_t name;
};

static void
cmd_dev_detach_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_dev_detach_result *r = res;
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (hotplug_begin(r->name, app_quitting) < 0) {
		cmd_done();
		return;
	}
	ret = dev_detach_by_name(r->name, false);
	hotplug_end();
	if (ret == -ENOENT)
		printf("error: no such device: %s\n", r->name);
	else if (ret == -EBUSY)
		printf("error: %s is a forwarding port: stop forwarding "
			"first\n", r->name);
	else if (ret < 0)
		printf("error: device detach %s: %s\n", r->name,
			rte_strerror(-ret));
	else
		printf("device %s removed\n", r->name);
	cmd_done();
}

static cmdline_parse_token_string_t cmd_dev_detach_device =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_detach_result, device,
		"device");
static cmdline_parse_token_string_t cmd_dev_detach_detach =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_detach_result, detach,
		"detach");
static cmdline_parse_token_string_t cmd_dev_detach_name =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_detach_result, name, NULL);

static cmdline_parse_inst_t cmd_dev_detach = {
	.f = cmd_dev_detach_parsed,
	.help_str = "device detach <name>: remove a device (rte_dev_remove)",
	.tokens = {
		(void *)&cmd_dev_detach_device,
		(void *)&cmd_dev_detach_detach,
		(void *)&cmd_dev_detach_name,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_set_fwd_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t fwd;
	cmdline_fixed_string_t mode;
};

static void
cmd_set_fwd_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_fwd_result *r = res;
	const struct fwd_engine *e = fwd_engine_find(r->mode);

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	/* The token only takes known names; still, never trust it blindly. */
	if (e == NULL) {
		printf("error: unknown forwarding mode %s\n", r->mode);
	} else {
		app.engine = e;
		printf("forwarding mode: %s%s\n", e->name, fwd_running() ?
			" (from the next start)" : "");
	}
	cmd_done();
}

static cmdline_parse_token_string_t cmd_set_fwd_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_fwd_result, set, "set");
static cmdline_parse_token_string_t cmd_set_fwd_fwd =
	TOKEN_STRING_INITIALIZER(struct cmd_set_fwd_result, fwd, "fwd");
static cmdline_parse_token_string_t cmd_set_fwd_mode =
	TOKEN_STRING_INITIALIZER(struct cmd_set_fwd_result, mode,
		"io#mac#macswap#rxonly#txonly#rxcheck");

static cmdline_parse_inst_t cmd_set_fwd = {
	.f = cmd_set_fwd_parsed,
	.help_str = "set fwd io|mac|macswap|rxonly|txonly|rxcheck",
	.tokens = {
		(void *)&cmd_set_fwd_set,
		(void *)&cmd_set_fwd_fwd,
		(void *)&cmd_set_fwd_mode,
		NULL,
	},
};

struct cmd_set_txrate_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t txrate;
	uint32_t pps;
};

static void
cmd_set_txrate_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_txrate_result *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (r->pps > FO_TXRATE_MAX) {
		printf("error: txrate %u: at most %u pps\n", r->pps,
			FO_TXRATE_MAX);
	} else {
		/* Relaxed: the lcores pick it up at their next burst. */
		__atomic_store_n(&app.txrate, r->pps, __ATOMIC_RELAXED);
		printf("txrate: %u pps per port%s\n", r->pps,
			r->pps == 0 ? " (no limit)" : "");
	}
	cmd_done();
}

static cmdline_parse_token_string_t cmd_set_txrate_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_txrate_result, set, "set");
static cmdline_parse_token_string_t cmd_set_txrate_txrate =
	TOKEN_STRING_INITIALIZER(struct cmd_set_txrate_result, txrate,
		"txrate");
static cmdline_parse_token_num_t cmd_set_txrate_pps =
	TOKEN_NUM_INITIALIZER(struct cmd_set_txrate_result, pps, RTE_UINT32);

static cmdline_parse_inst_t cmd_set_txrate = {
	.f = cmd_set_txrate_parsed,
	.help_str = "set txrate <pps>: txonly packets per second per port, "
		"0: no limit",
	.tokens = {
		(void *)&cmd_set_txrate_set,
		(void *)&cmd_set_txrate_txrate,
		(void *)&cmd_set_txrate_pps,
		NULL,
	},
};

struct cmd_set_peer_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t peer;
	uint16_t port_id;
	struct rte_ether_addr mac;
};

static void
cmd_set_peer_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_peer_result *r = res;
	struct app_port *p;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (port_check_id(r->port_id, true) == 0) {
		p = port_find(r->port_id);
		p->peer = r->mac;
		rte_ether_format_addr(mac, sizeof(mac), &r->mac);
		printf("port %u: peer %s%s\n", r->port_id, mac, fwd_running() ?
			" (from the next start)" : "");
	}
	cmd_done();
}

static cmdline_parse_token_string_t cmd_set_peer_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_peer_result, set, "set");
static cmdline_parse_token_string_t cmd_set_peer_peer =
	TOKEN_STRING_INITIALIZER(struct cmd_set_peer_result, peer, "eth-peer");
static cmdline_parse_token_num_t cmd_set_peer_id =
	TOKEN_NUM_INITIALIZER(struct cmd_set_peer_result, port_id, RTE_UINT16);
static cmdline_parse_token_etheraddr_t cmd_set_peer_mac =
	TOKEN_ETHERADDR_INITIALIZER(struct cmd_set_peer_result, mac);

static cmdline_parse_inst_t cmd_set_peer = {
	.f = cmd_set_peer_parsed,
	.help_str = "set eth-peer <port_id> <mac>: destination MAC of mac and "
		"txonly",
	.tokens = {
		(void *)&cmd_set_peer_set,
		(void *)&cmd_set_peer_peer,
		(void *)&cmd_set_peer_id,
		(void *)&cmd_set_peer_mac,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

struct cmd_sleep_result {
	cmdline_fixed_string_t sleep;
	uint32_t ms;
};

static void
cmd_sleep_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_sleep_result *r = res;
	const struct timespec step = { 0, SLEEP_STEP_MS * 1000000L };
	uint64_t end;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (r->ms > SLEEP_MAX_MS) {
		printf("error: sleep %u: at most %u ms\n", r->ms, SLEEP_MAX_MS);
		cmd_done();
		return;
	}
	/* Keep the console alive meanwhile: events and status lines. */
	end = app_now_ns() + (uint64_t)r->ms * FO_NS_PER_MS;
	while (app_now_ns() < end && !app_quitting()) {
		nanosleep(&step, NULL);
		cmd_done();
	}
	cmd_done();
}

static cmdline_parse_token_string_t cmd_sleep_sleep =
	TOKEN_STRING_INITIALIZER(struct cmd_sleep_result, sleep, "sleep");
static cmdline_parse_token_num_t cmd_sleep_ms =
	TOKEN_NUM_INITIALIZER(struct cmd_sleep_result, ms, RTE_UINT32);

static cmdline_parse_inst_t cmd_sleep = {
	.f = cmd_sleep_parsed,
	.help_str = "sleep <ms>: wait, printing events meanwhile",
	.tokens = {
		(void *)&cmd_sleep_sleep,
		(void *)&cmd_sleep_ms,
		NULL,
	},
};

/* ---------------------------------------------------------------------- */

cmdline_parse_ctx_t fo_cmd_ctx[] = {
	&cmd_start,
	&cmd_stop,
	&cmd_quit,
	&cmd_help,
	&cmd_show_port,
	&cmd_show_failover,
	&cmd_show_config,
	&cmd_fo_switch,
	&cmd_fo_detach,
	&cmd_port_attach,
	&cmd_dev_detach,
	&cmd_set_fwd,
	&cmd_set_txrate,
	&cmd_set_peer,
	&cmd_sleep,
	NULL,
};
