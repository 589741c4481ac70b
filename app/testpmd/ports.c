/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Ports: set-up of every port RTE_ETH_FOREACH_DEV shows (normally one
 * net_failover port; its sub-ports are owned by the PMD and hidden), their
 * tear-down, and finding a device by name for hot-plug.
 *
 * The port table is changed only by the main thread, holding the
 * hot-plug token (hotplug_begin()); the control channel reads it holding
 * the same token.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_failover.h"

#include "fo_app_compat.h"
#include "fo_testpmd.h"

/* Mbufs per queue descriptor: a failover port sets its queues up on both
 * paths from the same mempool. */
#define MBUF_PER_DESC		2u
#define MBUF_MIN		8191u
/* How long a new port may take to be adopted by a failover port. */
#define ADOPT_WAIT_MS		300u

const char *
port_name(uint16_t port_id, char *buf, size_t size)
{
	if (rte_eth_dev_get_name_by_port(port_id, buf) != 0)
		snprintf(buf, size, "?");
	return buf;
}

struct app_port *
port_find(uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < FO_MAX_PORTS; i++)
		if (app.ports[i].used && app.ports[i].port_id == port_id)
			return &app.ports[i];
	return NULL;
}

int
port_check_id(uint16_t port_id, bool app_port)
{
	if (app_port ? port_find(port_id) == NULL :
	    !rte_eth_dev_is_valid_port(port_id)) {
		printf("error: invalid port %u%s\n", port_id,
			app_port ? " (not a forwarding port)" : "");
		return -ENODEV;
	}
	return 0;
}

int
port_first_failover(void)
{
	unsigned int i;

	for (i = 0; i < FO_MAX_PORTS; i++)
		if (app.ports[i].used && app.ports[i].is_failover)
			return app.ports[i].port_id;
	return -ENODEV;
}

static int
on_link_change(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct rte_eth_link link;
	char status[RTE_ETH_LINK_MAX_STR_LEN];

	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	/* Runs on the interrupt thread: queue the line, don't print. */
	if (rte_eth_link_get_nowait(port_id, &link) == 0 &&
	    rte_eth_link_to_str(status, sizeof(status), &link) >= 0)
		con_post("port %u: link %s", port_id, status);
	return 0;
}

static struct app_port *
port_slot_new(void)
{
	unsigned int i;

	for (i = 0; i < FO_MAX_PORTS; i++)
		if (!app.ports[i].used)
			return &app.ports[i];
	return NULL;
}

static struct rte_mempool *
port_mempool(uint16_t port_id, uint16_t nb_rxq, uint16_t nb_txq)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int nb;
	int socket = rte_eth_dev_socket_id(port_id);

	if (socket < 0)
		socket = (int)rte_socket_id();
	nb = MBUF_PER_DESC * FO_NB_DESC * (nb_rxq + nb_txq) +
		FO_MAX_FWD_LCORES * (FO_MBUF_CACHE + FO_BURST);
	nb = RTE_MAX(nb, MBUF_MIN);
	snprintf(name, sizeof(name), "fo_mp_%u", port_id);
	return rte_pktmbuf_pool_create(name, nb, FO_MBUF_CACHE, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, socket);
}

static int
port_configure(struct app_port *p, const struct rte_eth_dev_info *info)
{
	struct rte_eth_conf conf;
	uint16_t nb_rxd = FO_NB_DESC, nb_txd = FO_NB_DESC, q;
	int socket = rte_eth_dev_socket_id(p->port_id);
	int ret;

	memset(&conf, 0, sizeof(conf));
	if (p->nb_rxq > 1 && info->flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info->flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
	ret = rte_eth_dev_configure(p->port_id, p->nb_rxq, p->nb_txq, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	if (socket < 0)
		socket = (int)rte_socket_id();
	for (q = 0; q < p->nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd,
			(unsigned int)socket, NULL, p->mp);
		if (ret < 0)
			return ret;
	}
	for (q = 0; q < p->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(p->port_id, q, nb_txd,
			(unsigned int)socket, NULL);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int
port_setup(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	char name[RTE_ETH_NAME_MAX_LEN];
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	struct app_port *p;
	int ret;

	p = port_slot_new();
	if (p == NULL) {
		printf("error: port %u: more than %d ports\n", port_id,
			FO_MAX_PORTS);
		return -ENOSPC;
	}
	memset(p, 0, sizeof(*p));
	p->port_id = port_id;
	port_name(port_id, name, sizeof(name));

	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret < 0)
		goto err;
	p->nb_rxq = app.nb_rxq;
	p->nb_txq = app.nb_txq;
	if (p->nb_rxq > info.max_rx_queues || p->nb_txq > info.max_tx_queues) {
		printf("error: port %u (%s): %u Rx / %u Tx queues asked, at "
			"most %u / %u\n", port_id, name, p->nb_rxq, p->nb_txq,
			info.max_rx_queues, info.max_tx_queues);
		ret = -EINVAL;
		goto err;
	}
	p->is_failover = rte_pmd_failover_active_path(port_id) >= 0;
	p->mp = port_mempool(port_id, p->nb_rxq, p->nb_txq);
	if (p->mp == NULL) {
		ret = -rte_errno;
		goto err;
	}
	ret = port_configure(p, &info);
	if (ret < 0)
		goto err_mp;
	ret = rte_eth_macaddr_get(port_id, &p->mac);
	if (ret < 0)
		goto err_mp;
	/* testpmd's default peer: 02:00:00:00:00:<port>. */
	memset(&p->peer, 0, sizeof(p->peer));
	p->peer.addr_bytes[0] = 0x02;
	p->peer.addr_bytes[5] = (uint8_t)port_id;
	ret = fwd_streams_alloc(p);
	if (ret < 0)
		goto err_mp;
	/* Not fatal: net_null and others take everything anyway. */
	rte_eth_promiscuous_enable(port_id);
	if (rte_eth_dev_callback_register(port_id, RTE_ETH_EVENT_INTR_LSC,
			on_link_change, NULL) == 0)
		p->lsc_cb = true;
	p->used = true;
	if (p->is_failover)
		fo_view_register(p);

	ret = rte_eth_dev_start(port_id);
	if (ret < 0) {
		printf("error: port %u (%s): start failed: %s\n", port_id,
			name, rte_strerror(-ret));
	} else {
		p->started = true;
	}
	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	printf("Port %u: %s, driver %s, MAC %s, %u Rx / %u Tx queue(s)%s\n",
		port_id, name, info.driver_name, mac, p->nb_rxq, p->nb_txq,
		p->started ? "" : ", NOT started");
	return 0;

err_mp:
	rte_mempool_free(p->mp);
	p->mp = NULL;
err:
	printf("error: port %u (%s): set-up failed: %s\n", port_id, name,
		rte_strerror(-ret));
	memset(p, 0, sizeof(*p));
	return ret;
}

int
ports_init_all(void)
{
	uint16_t pid;
	int ret, nb = 0;

	RTE_ETH_FOREACH_DEV(pid) {
		ret = port_setup(pid);
		if (ret < 0)
			return ret;
		nb++;
	}
	return nb;
}

/*
 * Is the new port @p pid about to be taken by a failover port? A failover
 * port adopts a VF from its control thread, after the probe that raised
 * NEW returned: give it that long before taking the port as our own, so
 * that we never forward on a port a failover port owns (stock testpmd
 * does: its NEW handling ignores ownership).
 */
static bool
port_being_adopted(uint16_t pid)
{
	struct rte_eth_dev_owner owner;
	uint64_t end = app_now_ns() + ADOPT_WAIT_MS * FO_NS_PER_MS;
	const struct timespec nap = { 0, 10 * 1000000L };

	if (port_first_failover() < 0)
		return false;
	do {
		if (rte_eth_dev_owner_get(pid, &owner) == 0 &&
		    owner.id != RTE_ETH_DEV_NO_OWNER)
			return true;
		nanosleep(&nap, NULL);
	} while (app_now_ns() < end);
	return false;
}

int
port_rescan(unsigned int *added)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t pid;
	int ret;

	*added = 0;
	RTE_ETH_FOREACH_DEV(pid) {
		if (port_find(pid) != NULL)
			continue;
		if (port_being_adopted(pid)) {
			printf("port %u (%s): taken by a failover port\n", pid,
				port_name(pid, name, sizeof(name)));
			continue;
		}
		ret = port_setup(pid);
		if (ret < 0)
			return ret;
		(*added)++;
	}
	return 0;
}

static void
port_close(struct app_port *p)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int ret;

	port_name(p->port_id, name, sizeof(name));
	if (p->is_failover)
		fo_view_unregister(p);
	if (p->lsc_cb)
		rte_eth_dev_callback_unregister(p->port_id,
			RTE_ETH_EVENT_INTR_LSC, on_link_change, NULL);
	if (p->started) {
		ret = rte_eth_dev_stop(p->port_id);
		if (ret < 0)
			printf("warning: port %u: stop: %s\n", p->port_id,
				rte_strerror(-ret));
	}
	ret = rte_eth_dev_close(p->port_id);
	if (ret < 0)
		printf("warning: port %u: close: %s\n", p->port_id,
			rte_strerror(-ret));
	fwd_streams_free(p);
	rte_mempool_free(p->mp);
	printf("Port %u (%s) closed\n", p->port_id, name);
	memset(p, 0, sizeof(*p));
}

void
ports_close_all(void)
{
	unsigned int i;

	for (i = 0; i < FO_MAX_PORTS; i++)
		if (app.ports[i].used)
			port_close(&app.ports[i]);
}

/* Buses whose devices "device detach" and the control channel look at. */
static const char *const dev_buses[] = {
	"bus=vdev", "bus=pci", "bus=auxiliary",
};

bool
dev_known(const char *devargs)
{
	struct rte_devargs da;

	memset(&da, 0, sizeof(da));
	if (rte_devargs_parse(&da, devargs) != 0)
		return false;
	rte_devargs_reset(&da);
	return true;
}

struct rte_device *
dev_find_by_name(const char *name)
{
	struct rte_dev_iterator it;
	struct rte_eth_dev_info info;
	struct rte_device *dev;
	uint16_t pid;
	unsigned int i;

	for (i = 0; i < RTE_DIM(dev_buses); i++) {
		/* A bus this DPDK lacks (or that cannot iterate) is skipped. */
		if (rte_dev_iterator_init(&it, dev_buses[i]) != 0)
			continue;
		for (dev = rte_dev_iterator_next(&it); dev != NULL;
		     dev = rte_dev_iterator_next(&it))
			if (strcmp(rte_dev_name(dev), name) == 0)
				return dev;
	}
	/* Any other bus: through the ethdev port of that name. */
	if (rte_eth_dev_get_port_by_name(name, &pid) == 0 &&
	    rte_eth_dev_info_get(pid, &info) == 0)
		return info.device;
	return NULL;
}

static bool
dev_backs_port(const struct rte_device *dev, uint16_t port_id)
{
	struct rte_eth_dev_info info;

	return rte_eth_dev_info_get(port_id, &info) == 0 &&
		info.device == dev;
}

/*
 * Stop the started ports of @p dev that are not ours (a failover port's
 * VF, typically), as a device that vanishes stops, and as DPDK's testpmd
 * does before removing one: some drivers (virtio-user) remove a device by
 * rte_eth_dev_close(), which refuses a started port. The failover PMD
 * sees a third party stopping its VF and moves traffic away first.
 */
static void
dev_stop_foreign_ports(const struct rte_device *dev)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t pid;
	int ret;

	for (pid = 0; pid < RTE_MAX_ETHPORTS; pid++) {
		if (!rte_eth_dev_is_valid_port(pid) || port_find(pid) != NULL ||
		    !dev_backs_port(dev, pid))
			continue;
		/* Stopping a stopped port is a no-op: ethdev has no public
		 * "is started" to ask first. */
		ret = rte_eth_dev_stop(pid);
		con_post("port %u (%s): stop before removal: %s", pid,
			port_name(pid, name, sizeof(name)),
			ret == 0 ? "done" : rte_strerror(-ret));
	}
}

int
dev_detach_by_name(const char *name, bool from_ctl)
{
	struct rte_device *dev;
	unsigned int i;
	uint16_t pid;

	dev = dev_find_by_name(name);
	if (dev == NULL)
		return -ENOENT;
	/* Its driver's pending alarms run before its ports stop for good. */
	RTE_ETH_FOREACH_DEV_OF(pid, dev)
		fo_port_settle_alarms(pid);
	for (i = 0; i < FO_MAX_PORTS; i++) {
		struct app_port *p = &app.ports[i];

		if (!p->used || !dev_backs_port(dev, p->port_id))
			continue;
		/* Only the operator removes a port the application
		 * forwards on, and only while it does not. */
		if (from_ctl || fwd_running())
			return -EBUSY;
		port_close(p);
	}
	dev_stop_foreign_ports(dev);
	return rte_dev_remove(dev);
}

/* ----------------------------------------------------------------------
 * Hot-plug: one at a time, never a lock held across a probe
 * ---------------------------------------------------------------------- */

#define HOTPLUG_NAP_MS		50

/*
 * The token: a flag under a mutex held for a few instructions only, so
 * that a thread waiting for a probe that blocks (a virtio-user server
 * waiting for its host) is never stuck in pthread_mutex_lock(): it waits
 * in steps and gives up when it is told to quit.
 */
static pthread_mutex_t hp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hp_cond = PTHREAD_COND_INITIALIZER;
static bool hp_busy;
static char hp_what[128];

static void
deadline_in(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int
hotplug_begin(const char *what, bool (*cancel)(void))
{
	struct timespec ts;
	bool told = false;

	pthread_mutex_lock(&hp_lock);
	while (hp_busy) {
		if (cancel != NULL && cancel()) {
			pthread_mutex_unlock(&hp_lock);
			return -EINTR;
		}
		if (!told && cancel == app_quitting) {
			/* The main thread: say why the command waits. */
			printf("waiting for a hot-plug in progress: %s\n",
				hp_what);
			told = true;
		}
		deadline_in(&ts, HOTPLUG_NAP_MS);
		pthread_cond_timedwait(&hp_cond, &hp_lock, &ts);
	}
	hp_busy = true;
	snprintf(hp_what, sizeof(hp_what), "%s", what);
	pthread_mutex_unlock(&hp_lock);
	return 0;
}

void
hotplug_end(void)
{
	pthread_mutex_lock(&hp_lock);
	hp_busy = false;
	pthread_cond_broadcast(&hp_cond);
	pthread_mutex_unlock(&hp_lock);
}

/* The value of key @p key in @p devargs' arguments, into @p buf. */
static bool
devargs_value(const char *devargs, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = strchr(devargs, ','), *end;

	while (p != NULL) {
		p++;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			p += klen + 1;
			if ((size_t)(end - p) >= size || end == p)
				return false;
			memcpy(buf, p, (size_t)(end - p));
			buf[end - p] = '\0';
			return true;
		}
		p = *end == ',' ? end : NULL;
	}
	return false;
}

struct probe_watch {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;		/* the probe returned */
	bool fired;		/* the watchdog released it */
	uint64_t deadline_ns;
	bool (*cancel)(void);
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/*
 * Connect to the socket a virtio-user server's probe listens on, and
 * hang up: its accept() returns, its first message fails, the probe
 * fails and cleans up after itself (SIGPIPE is ignored).
 */
static void
release_server(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* A failure is tried again: the server may not listen yet. */
	(void)connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
}

static void *
probe_watch_main(void *arg)
{
	struct probe_watch *w = arg;
	struct timespec ts;

	pthread_mutex_lock(&w->lock);
	while (!w->done) {
		if (!w->fired && (app_now_ns() >= w->deadline_ns ||
		    (w->cancel != NULL && w->cancel())))
			w->fired = true;
		if (w->fired) {
			/* Until the probe returns: it may not listen yet. */
			pthread_mutex_unlock(&w->lock);
			release_server(w->path);
			pthread_mutex_lock(&w->lock);
		}
		if (w->done)
			break;
		deadline_in(&ts, HOTPLUG_NAP_MS);
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int
dev_probe_bounded(const char *devargs, unsigned int timeout_ms,
		bool (*cancel)(void))
{
	struct probe_watch w;
	char server[4];
	pthread_t tid;
	int ret;

	memset(&w, 0, sizeof(w));
	/* Only a virtio-user server waits for a peer in its probe. */
	if (strncmp(devargs, "net_virtio_user", 15) != 0 ||
	    !devargs_value(devargs, "server", server, sizeof(server)) ||
	    strcmp(server, "1") != 0 ||
	    !devargs_value(devargs, "path", w.path, sizeof(w.path)))
		return rte_dev_probe(devargs);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	w.deadline_ns = app_now_ns() + (uint64_t)timeout_ms * FO_NS_PER_MS;
	w.cancel = cancel;
	ret = pthread_create(&tid, NULL, probe_watch_main, &w);
	if (ret != 0) {
		ret = -ret;
		goto out;
	}
	ret = rte_dev_probe(devargs);
	pthread_mutex_lock(&w.lock);
	w.done = true;
	pthread_cond_signal(&w.cond);
	pthread_mutex_unlock(&w.lock);
	pthread_join(tid, NULL);
	/* A signal may also have cut the probe's accept() short. */
	if (ret < 0 && cancel != NULL && cancel())
		ret = -EINTR;
	else if (w.fired && ret < 0)
		ret = -ETIMEDOUT;
out:
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return ret;
}
