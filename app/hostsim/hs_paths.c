/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The host ends of the two paths and the scenario actions of
 * docs/design/host_protocol.rst: vf grant, vf revoke, vf yank, migrate and
 * flap. Main lcore only.
 *
 * Each host end is a net_vhost port in client mode facing the guest's
 * virtio-user server socket, probed with rte_dev_probe() and removed with
 * rte_eal_hotplug_remove(): removing it closes the vhost-user connection,
 * which the guest sees as link down; probing it again reconnects.
 *
 * Before a port is stopped or removed, a table without it is published and
 * the traffic lcore is waited for (hs_publish()), so no burst of that lcore
 * can still be inside the port.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "hostsim.h"

#define HS_RING		256
#define HS_LINK_WAIT_MS	5000
#define HS_ARRIVAL_WAIT_MS	5000
#define HS_PUBLISH_WAIT_NS	(10 * HS_S_NS)
/* /proc/net/unix flag of a listening socket (__SO_ACCEPTCON). */
#define HS_SO_ACCEPTCON		0x10000

/* Whether the traffic lcore runs: before it does, nobody needs waiting. */
static bool hs_traffic_running;

void
hs_traffic_set_running(bool running)
{
	hs_traffic_running = running;
}

struct hs_table
hs_table_get(void)
{
	/* Relaxed: the main lcore is the only writer; its own last store. */
	return *__atomic_load_n(&hs.table, __ATOMIC_RELAXED);
}

void
hs_publish(const struct hs_table *t)
{
	struct hs_table *next = &hs.tables[hs.table_cur ^ 1];
	uint64_t deadline;

	/*
	 * The spare buffer is free: the previous publication waited until
	 * the traffic lcore finished a loop with the current table, and every
	 * later loop loads the current one.
	 */
	*next = *t;
	next->version = hs_table_get().version + 1;
	/* Release: the lcore that loads the pointer sees the fields above. */
	__atomic_store_n(&hs.table, next, __ATOMIC_RELEASE);
	hs.table_cur ^= 1;
	if (!hs_traffic_running)
		return;
	deadline = hs_now_ns() + HS_PUBLISH_WAIT_NS;
	/*
	 * Acquire: pairs with the lcore's release after a loop that used the
	 * new table: its bursts on ports the table left out are over, and the
	 * window it opened is filled in.
	 */
	while (__atomic_load_n(&hs.seen_version, __ATOMIC_ACQUIRE) <
			next->version) {
		if (hs_now_ns() > deadline) {
			/* A stuck lcore: removing a port now could crash. */
			hs_log("traffic lcore stuck for 10 s: aborting");
			abort();
		}
		usleep(10);
	}
}

static int
hs_table_find(const struct hs_table *t, uint16_t path)
{
	int i;

	for (i = 0; i < t->nb_ports; i++)
		if (t->path[i] == path)
			return i;
	return -1;
}

static void
hs_table_add(struct hs_table *t, uint16_t port_id, uint16_t path)
{
	RTE_ASSERT(t->nb_ports < HS_MAX_PORTS);
	t->port[t->nb_ports] = port_id;
	t->path[t->nb_ports] = path;
	t->nb_ports++;
}

/* Drop a path from the table; moves the filter to syn if it sent there. */
static void
hs_table_del(struct hs_table *t, uint16_t path)
{
	int i = hs_table_find(t, path);
	int tx_path = t->tx >= 0 ? t->path[t->tx] : -1;

	if (i < 0)
		return;
	memmove(&t->port[i], &t->port[i + 1],
		(t->nb_ports - i - 1) * sizeof(t->port[0]));
	memmove(&t->path[i], &t->path[i + 1],
		(t->nb_ports - i - 1) * sizeof(t->path[0]));
	t->nb_ports--;
	if (tx_path == path)
		tx_path = HS_PATH_SYN;
	t->tx = tx_path < 0 ? -1 : hs_table_find(t, tx_path);
}

static void
hs_filter_to(uint16_t path, const char *why)
{
	struct hs_table t = hs_table_get();
	uint64_t before = hs_load(&hs.next_seq);
	char name[16];

	t.tx = hs_table_find(&t, path);
	hs_publish(&t);
	hs_log("filter -> %s (%s), from seq %" PRIu64 "..%" PRIu64,
		hs_path_name(path, name, sizeof(name)), why, before,
		hs_load(&hs.next_seq));
}

static int
hs_on_lsc(uint16_t port_id, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	struct rte_eth_link link;
	char name[RTE_ETH_NAME_MAX_LEN];

	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	if (rte_eth_dev_get_name_by_port(port_id, name) != 0)
		snprintf(name, sizeof(name), "port %u", port_id);
	if (rte_eth_link_get_nowait(port_id, &link) == 0)
		hs_log("host end %s: link %s", name,
			link.link_status ? "up" : "down");
	return 0;
}

int
hs_port_create(struct hs_port *p, const char *name, const char *iface)
{
	struct rte_eth_conf conf;
	uint16_t pid;
	int ret;

	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->devargs, sizeof(p->devargs),
		"%s,iface=%s,client=1,queues=1", name, iface);
	ret = rte_dev_probe(p->devargs);
	if (ret < 0) {
		hs_log("host end %s: probe failed: %s", name, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_get_port_by_name(name, &pid);
	if (ret < 0)
		goto remove;
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.lsc = 1;
	/* Configuring a vhost port is what connects it to the guest. */
	ret = rte_eth_dev_configure(pid, 1, 1, &conf);
	if (ret < 0)
		goto remove;
	ret = rte_eth_rx_queue_setup(pid, 0, HS_RING,
			rte_eth_dev_socket_id(pid), NULL, hs.mp);
	if (ret < 0)
		goto remove;
	ret = rte_eth_tx_queue_setup(pid, 0, HS_RING,
			rte_eth_dev_socket_id(pid), NULL);
	if (ret < 0)
		goto remove;
	ret = rte_eth_dev_start(pid);
	if (ret < 0)
		goto remove;
	p->port_id = pid;
	p->present = true;
	hs_log("host end %s created (port %u, %s)", name, pid, iface);
	return 0;

remove:
	hs_log("host end %s: set-up failed: %s", name, strerror(-ret));
	rte_eal_hotplug_remove("vdev", name);
	return ret;
}

/* Stop and remove a host end that no published table names any more. */
void
hs_port_destroy(struct hs_port *p)
{
	int ret;

	if (!p->present)
		return;
	rte_eth_dev_stop(p->port_id);
	ret = rte_eal_hotplug_remove("vdev", p->name);
	if (ret < 0)
		hs_log("host end %s: remove failed: %s", p->name,
			strerror(-ret));
	else
		hs_log("host end %s removed", p->name);
	p->present = false;
}

/* Wait until something arrives on @p path after @p since_ns. */
static bool
hs_wait_arrival(uint16_t path, uint64_t since_ns, uint32_t timeout_ms)
{
	uint64_t deadline = hs_now_ns() + timeout_ms * HS_MS_NS;

	while (hs_load(&hs.tot.path_last_ns[path]) <= since_ns) {
		if (hs_now_ns() >= deadline || hs_stopping())
			return false;
		hs_ctl_service(1);
	}
	return true;
}

static void
hs_log_arrival(uint16_t path, uint64_t since_ns)
{
	uint64_t first = hs_load(&hs.tot.path_last_ns[path]);
	char name[16];

	hs_log("traffic back on %s %.1f ms after the action (+-1 ms)",
		hs_path_name(path, name, sizeof(name)),
		(double)(first - since_ns) / HS_MS_NS);
}

/* Poll the new VF, then move the filter once the guest sends on it. */
static void
hs_vf_attach_host_end(void)
{
	struct hs_table t = hs_table_get();
	uint64_t since = hs_now_ns();

	hs_table_add(&t, hs.vf.port_id, hs.vf_path);
	hs_publish(&t);
	if (hs_wait_arrival(hs.vf_path, since, hs.settle_wait_ms)) {
		hs_log_arrival(hs.vf_path, since);
		hs_filter_to(hs.vf_path, "guest Tx arrived on it");
	} else {
		hs_filter_to(hs.vf_path, "no guest Tx on it yet: timeout");
	}
}

/* Whether a UNIX socket listens at @p path (/proc/net/unix). */
static bool
hs_listening(const char *path)
{
	char line[HS_LINE_MAX + 128], sock[HS_LINE_MAX];
	unsigned int flags;
	bool found = false;
	FILE *f;

	f = fopen("/proc/net/unix", "r");
	if (f == NULL)
		return access(path, F_OK) == 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		/* Num RefCount Protocol Flags Type St Inode Path */
		if (sscanf(line, "%*s %*s %*s %x %*s %*s %*s %511s",
				&flags, sock) == 2 &&
		    (flags & HS_SO_ACCEPTCON) && strcmp(sock, path) == 0)
			found = true;
	}
	fclose(f);
	return found;
}

/* Until the guest listens on @p path, or answers (an ERR), or time out. */
static int
hs_wait_listening(const char *path, uint32_t timeout_ms)
{
	uint64_t deadline = hs_now_ns() + timeout_ms * HS_MS_NS;

	while (!hs_listening(path)) {
		if (hs_stopping())
			return -EINTR;
		if (hs_ctl_replied())
			return -EIO;
		if (hs_now_ns() >= deadline) {
			hs_log("guest does not listen on %s after %u ms",
				path, timeout_ms);
			return -ETIMEDOUT;
		}
		hs_ctl_service(1);
	}
	return 0;
}

static void
hs_vf_names(uint16_t n, char *guest, size_t glen, char *host, size_t hlen,
		char *iface, size_t ilen)
{
	snprintf(guest, glen, "net_virtio_user%u", n);
	snprintf(host, hlen, "net_vhost%u", n);
	snprintf(iface, ilen, "%s/vf%u.sock", hs.dir, n);
}

int
hs_boot(void)
{
	char iface[HS_LINE_MAX];
	struct hs_table t;
	int ret;

	ret = rte_eth_dev_callback_register(RTE_ETH_ALL,
			RTE_ETH_EVENT_INTR_LSC, hs_on_lsc, NULL);
	if (ret < 0)
		return ret;
	snprintf(iface, sizeof(iface), "%s/syn.sock", hs.dir);
	ret = hs_port_create(&hs.syn, "net_vhost0", iface);
	if (ret < 0)
		return ret;
	memset(&t, 0, sizeof(t));
	hs_table_add(&t, hs.syn.port_id, HS_PATH_SYN);
	t.tx = 0;
	t.sending = true;
	t.window = 0;
	hs_publish(&t);
	hs.vf_path = HS_PATH_NONE;
	return 0;
}

int
hs_vf_grant(const char *mac_override)
{
	char guest[HS_NAME_LEN], host[HS_NAME_LEN], iface[HS_LINE_MAX];
	char args[2 * HS_LINE_MAX], mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t n;
	int ret;

	if (hs.vf.present) {
		hs_log("vf grant: VF %u is still granted", hs.vf_path);
		return -EBUSY;
	}
	if (hs.nb_vf_granted + 1 >= HS_MAX_PATHS)
		return -ENOSPC;
	n = ++hs.nb_vf_granted;
	hs_vf_names(n, guest, sizeof(guest), host, sizeof(host),
		iface, sizeof(iface));
	rte_ether_format_addr(mac, sizeof(mac), &hs.guest_mac);
	snprintf(args, sizeof(args), "%s,path=%s,server=1,queues=1,mac=%s",
		guest, iface, mac_override != NULL ? mac_override : mac);
	/*
	 * The guest's rte_dev_probe() of a virtio-user server waits in
	 * accept() for the host's connection: it answers only once the host
	 * end exists. So the host end is created as soon as the guest
	 * listens, and the answer is awaited afterwards.
	 */
	ret = hs_ctl_send_cmd("VF_ADD", args, hs.reply_timeout_ms);
	if (ret < 0)
		return ret;
	ret = hs_wait_listening(iface, hs.reply_timeout_ms);
	if (ret < 0) {
		/* An ERR, most likely: collect it for the log. */
		hs_ctl_wait_reply("VF_ADD", hs.reply_timeout_ms);
		return ret;
	}
	ret = hs_port_create(&hs.vf, host, iface);
	if (ret < 0)
		return ret;
	ret = hs_ctl_wait_reply("VF_ADD", hs.reply_timeout_ms);
	if (ret < 0) {
		/* No table names it yet: it can go at once. */
		hs_port_destroy(&hs.vf);
		return ret;
	}
	hs.vf_path = n;
	hs_vf_attach_host_end();
	return 0;
}

static void
hs_vf_host_end_drop(void)
{
	struct hs_table t = hs_table_get();

	hs_table_del(&t, hs.vf_path);
	hs_publish(&t);
	hs_port_destroy(&hs.vf);
}

int
hs_vf_revoke(void)
{
	char guest[HS_NAME_LEN], host[HS_NAME_LEN], iface[HS_LINE_MAX];
	int ret;

	if (!hs.vf.present) {
		hs_log("vf revoke: no VF granted");
		return -ENODEV;
	}
	hs_vf_names(hs.vf_path, guest, sizeof(guest), host, sizeof(host),
		iface, sizeof(iface));
	/* Graceful: the filter moves first, the VF goes afterwards. */
	hs_filter_to(HS_PATH_SYN, "revoke");
	ret = hs_ctl_request("VF_REMOVE", guest, hs.reply_timeout_ms);
	hs_vf_host_end_drop();
	hs.vf_path = HS_PATH_NONE;
	return ret;
}

int
hs_vf_yank(void)
{
	char guest[HS_NAME_LEN], host[HS_NAME_LEN], iface[HS_LINE_MAX];

	if (!hs.vf.present) {
		hs_log("vf yank: no VF granted");
		return -ENODEV;
	}
	hs_vf_names(hs.vf_path, guest, sizeof(guest), host, sizeof(host),
		iface, sizeof(iface));
	/*
	 * Surprise: the host end goes first. The host notices at once (it
	 * removed it), so the filter moves in the same publication.
	 */
	hs_vf_host_end_drop();
	hs_log("VF %u yanked: filter -> syn", hs.vf_path);
	hs.vf_path = HS_PATH_NONE;
	/* The guest may see its VF's link go down before being told. */
	if (hs.yank_delay_ms > 0)
		hs_wait_ms(hs.yank_delay_ms);
	return hs_ctl_request("VF_YANK", guest, hs.reply_timeout_ms);
}

/* Wait until nothing has arrived for @p quiet_ms (at most @p max_ms). */
static void
hs_wait_quiet(uint32_t quiet_ms, uint32_t max_ms)
{
	uint64_t deadline = hs_now_ns() + max_ms * HS_MS_NS;
	uint64_t rx = hs_load(&hs.tot.rx), since = hs_now_ns();

	while (hs_now_ns() < deadline && !hs_stopping()) {
		hs_ctl_service(1);
		if (hs_load(&hs.tot.rx) != rx) {
			rx = hs_load(&hs.tot.rx);
			since = hs_now_ns();
		} else if (hs_now_ns() - since >= quiet_ms * HS_MS_NS) {
			return;
		}
	}
}

static bool
hs_wait_link(uint16_t pid, uint32_t timeout_ms)
{
	uint64_t deadline = hs_now_ns() + timeout_ms * HS_MS_NS;
	struct rte_eth_link link;

	while (hs_now_ns() < deadline && !hs_stopping()) {
		if (rte_eth_link_get_nowait(pid, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return true;
		hs_ctl_service(1);
	}
	return false;
}

int
hs_migrate(void)
{
	char iface[HS_LINE_MAX];
	struct hs_table t;
	uint64_t paused, resumed;
	int ret;

	if (hs.vf.present) {
		ret = hs_vf_revoke();
		if (ret < 0)
			return ret;
	}
	/*
	 * The blackout: the VM stops on this host and resumes on the next.
	 * Nothing is sent meanwhile; what is in flight comes back first.
	 */
	t = hs_table_get();
	t.sending = false;
	hs_publish(&t);
	paused = hs_now_ns();
	hs_log("migrate: guest paused (traffic stopped)");
	hs_wait_quiet(20, 500);

	t = hs_table_get();
	hs_table_del(&t, HS_PATH_SYN);
	t.tx = -1;
	hs_publish(&t);
	hs_port_destroy(&hs.syn);

	snprintf(iface, sizeof(iface), "%s/syn.sock", hs.dir);
	ret = hs_port_create(&hs.syn, "net_vhost0", iface);
	if (ret < 0)
		return ret;
	if (!hs_wait_link(hs.syn.port_id, HS_LINK_WAIT_MS)) {
		hs_log("migrate: synthetic path did not reconnect in %u ms",
			HS_LINK_WAIT_MS);
		return -ETIMEDOUT;
	}
	t = hs_table_get();
	hs_table_add(&t, hs.syn.port_id, HS_PATH_SYN);
	t.tx = hs_table_find(&t, HS_PATH_SYN);
	t.sending = true;
	hs_publish(&t);
	resumed = hs_now_ns();
	hs_log("migrate: guest resumed on the new host, blackout %.1f ms",
		(double)(resumed - paused) / HS_MS_NS);
	if (!hs_wait_arrival(HS_PATH_SYN, resumed, HS_ARRIVAL_WAIT_MS)) {
		hs_log("migrate: no traffic back on syn in %u ms",
			HS_ARRIVAL_WAIT_MS);
		return -ETIMEDOUT;
	}
	hs_log_arrival(HS_PATH_SYN, resumed);
	return hs_vf_grant(NULL);
}

int
hs_flap(unsigned int count, uint32_t ms)
{
	char trigger[HS_TRIGGER_LEN], iface[HS_LINE_MAX];
	char guest[HS_NAME_LEN], host[HS_NAME_LEN];
	unsigned int i, w;
	int ret;

	for (i = 1; i <= count; i++) {
		snprintf(trigger, sizeof(trigger), "flap %u/%u", i, count);
		w = hs_window_open(HS_KIND_FLAP, trigger);
		if (!hs.vf.present) {
			hs_window_fail(w, "no VF granted");
			return -ENODEV;
		}
		hs_vf_names(hs.vf_path, guest, sizeof(guest), host,
			sizeof(host), iface, sizeof(iface));
		hs_vf_host_end_drop();
		hs_wait_ms(ms);
		ret = hs_port_create(&hs.vf, host, iface);
		if (ret < 0) {
			hs_window_fail(w, "host end re-create failed");
			hs.vf_path = HS_PATH_NONE;
			return ret;
		}
		hs_vf_attach_host_end();
		hs_wait_ms(ms);
	}
	return 0;
}

void
hs_shutdown(void)
{
	struct hs_table t = hs_table_get();

	t.nb_ports = 0;
	t.tx = -1;
	t.sending = false;
	hs_publish(&t);
	hs_port_destroy(&hs.vf);
	hs_port_destroy(&hs.syn);
	rte_eth_dev_callback_unregister(RTE_ETH_ALL, RTE_ETH_EVENT_INTR_LSC,
		hs_on_lsc, NULL);
}
