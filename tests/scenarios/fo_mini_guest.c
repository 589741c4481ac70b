/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * fo-mini-guest: the smallest guest that speaks docs/design/host_protocol.rst,
 * so that the host simulator (app/hostsim) can be tested without the full
 * guest application. One net_failover port, one queue, one forwarding lcore
 * sending back what it receives (macswap or io); the main lcore connects to
 * the host's control socket and executes VF_ADD, VF_REMOVE, VF_YANK and
 * PING.
 *
 *   fo-mini-guest EAL-ARGS --vdev net_virtio_user0,... \
 *       --vdev net_failover0,synthetic=net_virtio_user0,vf_match=mac,... \
 *       -- --ctl DIR/ctl.sock [--fwd macswap|io] [--idle-us N]
 *
 * Public headers only, as an application.
 */

#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_failover.h"

#include "fo_app_compat.h"

#define MG_BURST	32
#define MG_NB_MBUF	8191
#define MG_RING		1024
#define MG_LINE_MAX	512

static volatile sig_atomic_t mg_quit;
/* Set by main, read by the forwarding lcore: leave the loop. */
static int mg_fwd_stop;

struct mg_opts {
	const char *ctl;
	bool macswap;
	uint32_t idle_us;
};

static void
mg_on_signal(int sig)
{
	RTE_SET_USED(sig);
	mg_quit = 1;
}

/* Seconds on CLOCK_MONOTONIC: the host logs its start on the same clock. */
static double
mg_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every port's link changes, for the scenario's log. */
static int
mg_on_lsc(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct rte_eth_link link;

	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	if (rte_eth_link_get_nowait(port_id, &link) == 0)
		printf("guest: [mono %.3f] port %u link %s\n", mg_now_s(),
			port_id, link.link_status ? "up" : "down");
	fflush(stdout);
	return 0;
}

static int
mg_find_failover_port(uint16_t *out)
{
	struct rte_eth_dev_info info;
	uint16_t pid;

	RTE_ETH_FOREACH_DEV(pid) {
		if (rte_eth_dev_info_get(pid, &info) == 0 &&
		    strcmp(info.driver_name, "net_failover") == 0) {
			*out = pid;
			return 0;
		}
	}
	return -ENODEV;
}

static int
mg_port_init(uint16_t pid, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(pid, 1, 1, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(pid, 0, MG_RING,
			rte_eth_dev_socket_id(pid), NULL, mp);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(pid, 0, MG_RING,
			rte_eth_dev_socket_id(pid), NULL);
	if (ret < 0)
		return ret;
	ret = rte_eth_promiscuous_enable(pid);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	return rte_eth_dev_start(pid);
}

struct mg_fwd {
	uint16_t pid;
	bool macswap;
	struct timespec idle;	/* nap when there is nothing to do */
	/* Written by the forwarding lcore, read by main after it ended. */
	uint64_t rx;
	uint64_t held;		/* bursts Tx did not take whole */
};

static void
mg_macswap(struct rte_mbuf **pkts, uint16_t nb)
{
	struct rte_ether_hdr *eth;
	struct rte_ether_addr tmp;
	uint16_t i;

	for (i = 0; i < nb; i++) {
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		rte_ether_addr_copy(&eth->src_addr, &tmp);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&tmp, &eth->dst_addr);
	}
}

/*
 * Receive, swap, send back. What Tx does not take is kept and offered
 * again before anything new is read: a full Tx ring pushes back on the
 * host (its Tx into our Rx ring fails, which it does not count as sent)
 * instead of turning into losses that would hide the PMD's own.
 */
static int
mg_fwd_main(void *arg)
{
	struct mg_fwd *f = arg;
	struct rte_mbuf *pkts[MG_BURST];
	uint16_t nb = 0, sent;

	/* Relaxed: a flag; nothing else is published through it. */
	while (!__atomic_load_n(&mg_fwd_stop, __ATOMIC_RELAXED)) {
		if (nb == 0) {
			nb = rte_eth_rx_burst(f->pid, 0, pkts, MG_BURST);
			if (nb == 0) {
				/*
				 * On a loaded machine a spinning lcore only
				 * takes the CPU from the host's.
				 */
				if (f->idle.tv_nsec > 0)
					nanosleep(&f->idle, NULL);
				continue;
			}
			f->rx += nb;
			if (f->macswap)
				mg_macswap(pkts, nb);
		}
		sent = rte_eth_tx_burst(f->pid, 0, pkts, nb);
		if (sent > 0 && sent < nb)
			memmove(pkts, pkts + sent, (nb - sent) * sizeof(pkts[0]));
		nb -= sent;
		if (nb > 0)
			f->held++;
	}
	if (nb > 0)
		rte_pktmbuf_free_bulk(pkts, nb);
	return 0;
}

/* Connect to the host, retrying every 100 ms as the protocol says. */
static int
mg_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	while (!mg_quit) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		usleep(100 * 1000);
	}
	return -EINTR;
}

static void
mg_reply(int fd, const char *fmt, ...)
{
	char line[MG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(fd, line, n) != n)
		fprintf(stderr, "guest: short write to the host\n");
}

static int
mg_remove_dev(const char *name)
{
	uint16_t port;

	/* Its driver's pending alarms run before it stops for good. */
	if (rte_eth_dev_get_port_by_name(name, &port) == 0)
		fo_port_settle_alarms(port);
	return rte_eal_hotplug_remove("vdev", name);
}

/* Execute one command line of the host; answer on fd. */
static void
mg_execute(int fd, uint16_t pid, char *line)
{
	char *arg = strchr(line, ' ');
	uint16_t vf;
	int ret;

	if (arg != NULL)
		*arg++ = '\0';
	printf("guest: [mono %.3f] host says %s %s\n", mg_now_s(), line,
		arg ? arg : "");
	fflush(stdout);
	if (strcmp(line, "PING") == 0) {
		mg_reply(fd, "OK PING");
	} else if (strcmp(line, "VF_ADD") == 0 && arg != NULL) {
		ret = rte_dev_probe(arg);
		if (ret < 0)
			mg_reply(fd, "ERR VF_ADD %s", strerror(-ret));
		else
			mg_reply(fd, "OK VF_ADD");
	} else if (strcmp(line, "VF_REMOVE") == 0 && arg != NULL) {
		ret = rte_pmd_failover_vf_detach(pid);
		if (ret < 0 && ret != -ENODEV) {
			mg_reply(fd, "ERR VF_REMOVE detach: %s",
				strerror(-ret));
			return;
		}
		/* The PMD may have released the device already. */
		mg_remove_dev(arg);
		mg_reply(fd, "OK VF_REMOVE");
	} else if (strcmp(line, "VF_YANK") == 0 && arg != NULL) {
		/*
		 * ethdev refuses to close a started port: a device that
		 * vanishes stops first (the failover PMD guards a stop by a
		 * third party and leaves the VF at once).
		 */
		if (rte_eth_dev_get_port_by_name(arg, &vf) == 0) {
			fo_port_settle_alarms(vf);
			rte_eth_dev_stop(vf);
		}
		ret = mg_remove_dev(arg);
		if (ret < 0)
			mg_reply(fd, "ERR VF_YANK %s", strerror(-ret));
		else
			mg_reply(fd, "OK VF_YANK");
	} else {
		mg_reply(fd, "ERR %s unknown command", line);
	}
}

/* Serve the host until it hangs up or a signal comes. */
static void
mg_serve(int fd, uint16_t pid)
{
	char buf[MG_LINE_MAX * 2];
	size_t len = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	while (!mg_quit) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return;
		len += n;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			mg_execute(fd, pid, buf);
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof(buf) - 1)
			len = 0;	/* a line longer than the protocol allows */
	}
}

static int
mg_parse(int argc, char **argv, struct mg_opts *o)
{
	static const struct option longopts[] = {
		{ "ctl", required_argument, NULL, 'c' },
		{ "fwd", required_argument, NULL, 'f' },
		{ "idle-us", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->macswap = true;
	o->idle_us = 20;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->ctl = optarg;
			break;
		case 'i':
			o->idle_us = strtoul(optarg, NULL, 10);
			if (o->idle_us >= 1000000)
				return -EINVAL;
			break;
		case 'f':
			if (strcmp(optarg, "io") == 0)
				o->macswap = false;
			else if (strcmp(optarg, "macswap") != 0)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	return o->ctl != NULL ? 0 : -EINVAL;
}

int
main(int argc, char **argv)
{
	struct mg_opts opts = { 0 };
	struct rte_ether_addr mac;
	struct rte_mempool *mp;
	struct mg_fwd fwd = { 0 };
	unsigned int lcore;
	int ret, fd;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "guest: EAL init failed\n");
		return 2;
	}
	argc -= ret;
	argv += ret;
	if (mg_parse(argc, argv, &opts) < 0) {
		fprintf(stderr,
			"usage: fo-mini-guest EAL -- --ctl PATH [--fwd macswap|io]"
			" [--idle-us N (20; 0 spins)]\n");
		ret = 2;
		goto out_eal;
	}
	rte_eth_dev_callback_register(RTE_ETH_ALL, RTE_ETH_EVENT_INTR_LSC,
		mg_on_lsc, NULL);
	signal(SIGINT, mg_on_signal);
	signal(SIGTERM, mg_on_signal);
	/*
	 * virtio-user writes to its vhost-user socket without MSG_NOSIGNAL:
	 * stopping a VF whose host end is gone would kill the process.
	 */
	signal(SIGPIPE, SIG_IGN);

	ret = 2;
	if (mg_find_failover_port(&fwd.pid) < 0) {
		fprintf(stderr, "guest: no net_failover port\n");
		goto out_eal;
	}
	fwd.macswap = opts.macswap;
	fwd.idle.tv_nsec = (long)opts.idle_us * 1000;
	mp = rte_pktmbuf_pool_create("mg_pool", MG_NB_MBUF, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL || mg_port_init(fwd.pid, mp) < 0) {
		fprintf(stderr, "guest: port set-up failed\n");
		goto out_eal;
	}
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE ||
	    rte_eal_remote_launch(mg_fwd_main, &fwd, lcore) < 0) {
		fprintf(stderr, "guest: needs a second lcore (-l 0-1)\n");
		goto out_port;
	}

	ret = 0;
	while (!mg_quit) {
		fd = mg_connect(opts.ctl);
		if (fd < 0)
			break;
		rte_eth_macaddr_get(fwd.pid, &mac);
		mg_reply(fd, "HELLO %u " RTE_ETHER_ADDR_PRT_FMT, fwd.pid,
			RTE_ETHER_ADDR_BYTES(&mac));
		mg_serve(fd, fwd.pid);
		close(fd);
	}

	/* Relaxed: the lcore's exit is what rte_eal_wait_lcore() waits on. */
	__atomic_store_n(&mg_fwd_stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(lcore);
	printf("guest: received %" PRIu64 ", Tx pushed back %" PRIu64
		" times\n", fwd.rx, fwd.held);
out_port:
	rte_eth_dev_stop(fwd.pid);
	rte_eth_dev_close(fwd.pid);
out_eal:
	rte_eal_cleanup();
	return ret;
}
