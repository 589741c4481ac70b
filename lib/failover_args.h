/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

#ifndef FAILOVER_ARGS_H
#define FAILOVER_ARGS_H

/**
 * @file
 * Devargs grammar of net_failover, independent of EAL.
 *
 *   params   := pair { ',' pair }
 *   pair     := key '=' value
 *   key      := synthetic | vf | mac | vf_settle_ms | probe_interval_ms |
 *               vf_match | link_poll_ms | mp_data_path
 *   sub-device value (synthetic=, vf=):
 *               name                 PCI address, vdev name or the name of
 *                                    an already probed port
 *             | '[' name [',' args] ']'   a device with its own arguments;
 *                                    args may hold nested balanced brackets
 *
 * The parser fills a plain struct before any device exists. Every error
 * names the key and the value at fault in the caller's buffer.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAILOVER_ARG_SYNTHETIC		"synthetic"
#define FAILOVER_ARG_VF			"vf"
#define FAILOVER_ARG_MAC		"mac"
#define FAILOVER_ARG_VF_SETTLE_MS	"vf_settle_ms"
#define FAILOVER_ARG_PROBE_INTERVAL_MS	"probe_interval_ms"
#define FAILOVER_ARG_VF_MATCH		"vf_match"
#define FAILOVER_ARG_LINK_POLL_MS	"link_poll_ms"
#define FAILOVER_ARG_MP_DATA_PATH	"mp_data_path"

/** Parameter string advertised with RTE_PMD_REGISTER_PARAM_STRING. */
#define FAILOVER_PARAM_STRING \
	FAILOVER_ARG_SYNTHETIC "=<dev>|[<dev>,<args>] " \
	FAILOVER_ARG_VF "=<dev>|[<dev>,<args>] " \
	FAILOVER_ARG_MAC "=<xx:xx:xx:xx:xx:xx> " \
	FAILOVER_ARG_VF_SETTLE_MS "=<ms> " \
	FAILOVER_ARG_PROBE_INTERVAL_MS "=<ms> " \
	FAILOVER_ARG_VF_MATCH "=name|mac " \
	FAILOVER_ARG_LINK_POLL_MS "=<ms> " \
	FAILOVER_ARG_MP_DATA_PATH "=0|1"

/** Longest device name, terminating NUL included (RTE_DEV_NAME_MAX_LEN). */
#define FAILOVER_DEV_NAME_MAX	64
/** Longest argument string of a sub-device, terminating NUL included. */
#define FAILOVER_DEV_ARGS_MAX	512
/** Longest whole parameter string accepted. */
#define FAILOVER_PARAMS_MAX	2048

#define FAILOVER_VF_SETTLE_MS_DEFAULT		100
#define FAILOVER_VF_SETTLE_MS_MAX		60000
#define FAILOVER_PROBE_INTERVAL_MS_DEFAULT	1000
#define FAILOVER_PROBE_INTERVAL_MS_MIN		10
#define FAILOVER_PROBE_INTERVAL_MS_MAX		3600000
/* Link poll of both sub-ports, for PMDs that raise no LSC; 0: off. */
#define FAILOVER_LINK_POLL_MS_DEFAULT		100
#define FAILOVER_LINK_POLL_MS_MIN		10
#define FAILOVER_LINK_POLL_MS_MAX		60000

/** How a port that appears later is recognised as the VF. */
enum failover_vf_match {
	FAILOVER_VF_MATCH_NAME = 0, /**< device name given by vf= */
	FAILOVER_VF_MATCH_MAC,      /**< same MAC as the failover port */
};

/** One sub-device as written in the devargs. */
struct failover_subdev_spec {
	char name[FAILOVER_DEV_NAME_MAX]; /**< device or port name */
	char args[FAILOVER_DEV_ARGS_MAX]; /**< its own arguments, "" if none */
	bool is_pci;                      /**< name is a PCI address */
};

/** Validated options of one failover device. */
struct failover_args {
	struct failover_subdev_spec synthetic;
	bool has_vf;
	struct failover_subdev_spec vf;
	bool has_mac;
	uint8_t mac[6];
	uint32_t vf_settle_ms;
	uint32_t probe_interval_ms;
	uint32_t link_poll_ms;		  /**< 0: no link poll */
	enum failover_vf_match vf_match;
	/** Secondary processes may poll queues: symmetric hand-off. */
	bool mp_data_path;
};

/**
 * Parse and validate a failover parameter string.
 *
 * @param params
 *   The devargs after the device name (may be NULL or empty: then the
 *   mandatory synthetic= is reported missing).
 * @param out
 *   Filled with defaults then with the parsed values.
 * @param err
 *   Buffer for a one-line message naming the key and value at fault.
 * @param err_len
 *   Size of @p err.
 * @return
 *   0 on success, -EINVAL on bad input, -E2BIG when a value or the whole
 *   string is longer than the limits above.
 */
int failover_args_parse(const char *params, struct failover_args *out,
		char *err, size_t err_len);

/**
 * Whether a name is a PCI address: DDDD:BB:DD.F or BB:DD.F (hex digits).
 */
bool failover_args_is_pci(const char *name);

/**
 * Write the string a bus expects for probing a sub-device: "name" or
 * "name,args".
 *
 * @return
 *   Length written (without NUL), or -E2BIG if @p len is too small.
 */
int failover_subdev_devargs(const struct failover_subdev_spec *spec,
		char *buf, size_t len);

#endif /* FAILOVER_ARGS_H */
