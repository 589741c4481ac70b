/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * Control channel client (--ctl PATH): the guest end of the hypervisor's
 * PCI hot-plug, as docs/design/host_protocol.rst defines it.
 *
 * A control thread connects to the host's UNIX stream socket, retrying
 * every 100 ms, says HELLO, then carries out each host command and answers
 * it, in order: VF_ADD probes a device, VF_REMOVE revokes the VF
 * gracefully (rte_pmd_failover_vf_detach(), then removes the device if it
 * is still there), VF_YANK removes the device at once, PING answers. When
 * the host goes away the thread connects again. Every line both ways is
 * logged ("ctl: < ..." received, "ctl: > ..." sent).
 *
 * The host is trusted to grant VFs, not to run arbitrary devargs in the
 * guest: VF_ADD takes only devargs of an allowed kind (--ctl-allow; by
 * default a virtio-user server whose socket is in the control directory),
 * every field checked, and every line gets an answer, a malformed one too.
 *
 * Hot-plug takes the hot-plug token (hotplug_begin()), so that it never
 * races with the operator's port attach / device detach or the port
 * table; no lock is held while a probe runs, and a virtio-user probe that
 * waits for a host that never comes is abandoned after
 * --ctl-probe-timeout-ms, or at once when the program quits.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "rte_pmd_failover.h"

#include "fo_app_compat.h"

#include "ctl_proto.h"
#include "fo_testpmd.h"

#define CTL_RETRY_MS		100
#define CTL_POLL_MS		100
/* At most one connection a second to a host that refuses or hangs up. */
#define CTL_SESSION_MIN_MS	1000
/* How long "quit" waits for the control thread: a probe in progress is
 * released at once (dev_probe_bounded()), so this is only for one that
 * cannot be (--ctl-allow any). */
#define CTL_JOIN_MS		1500

static fo_thread_t ctl_tid;
static bool ctl_running;
/* Set by the main thread to stop the control thread (relaxed: it is only
 * a request; pthread_join() orders the rest). */
static int ctl_quit;
static char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
/* What VF_ADD may probe; set before the thread starts, then read-only. */
static struct ctl_policy ctl_policy;

struct ctl_session {
	int fd;
	bool failed;		/* a write failed, or the host refused us */
};

static bool
ctl_quitting(void)
{
	return __atomic_load_n(&ctl_quit, __ATOMIC_RELAXED) != 0;
}

static void
ctl_send(struct ctl_session *s, const char *line, int len)
{
	ssize_t n;
	int off = 0;

	if (len < 0 || s->failed)
		return;
	con_post("ctl: > %.*s", len > 0 ? len - 1 : 0, line);
	while (off < len) {
		/* MSG_NOSIGNAL: a host that went away is an error here, not
		 * a SIGPIPE that ends the program. */
		n = send(s->fd, line + off, (size_t)(len - off), MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			con_post("ctl: send failed: %s",
				n < 0 ? strerror(errno) : "closed");
			s->failed = true;
			return;
		}
		off += (int)n;
	}
}

static void
reply(struct ctl_session *s, const struct ctl_cmd *cmd, int err,
		const char *reason)
{
	char buf[CTL_LINE_MAX + 1];
	int len;

	if (err == 0)
		len = ctl_format_ok(buf, sizeof(buf), cmd->word);
	else
		len = ctl_format_err(buf, sizeof(buf), cmd->word,
			reason != NULL ? reason : rte_strerror(-err));
	ctl_send(s, buf, len);
}

static void
say_hello(struct ctl_session *s)
{
	char buf[CTL_LINE_MAX + 1];
	char mac[RTE_ETHER_ADDR_FMT_SIZE] = "00:00:00:00:00:00";
	struct rte_ether_addr addr;
	int port;

	if (hotplug_begin("HELLO", ctl_quitting) < 0)
		return;
	port = port_first_failover();
	if (port < 0 && app.ports[0].used)
		port = app.ports[0].port_id;
	hotplug_end();
	if (port < 0)
		port = RTE_MAX_ETHPORTS;
	else if (rte_eth_macaddr_get((uint16_t)port, &addr) == 0)
		rte_ether_format_addr(mac, sizeof(mac), &addr);
	ctl_send(s, buf, ctl_format_hello(buf, sizeof(buf), (uint16_t)port,
		mac));
}

/*
 * A virtio-user server (the VFs of host_protocol.rst) does not return from
 * its probe before its host connects: dev_probe_bounded() gives up on it
 * after the probe timeout.
 */
static int
do_vf_add(const char *devargs, const char **why)
{
	static char reason[CTL_LINE_MAX];
	int ret;

	ret = ctl_check_vf_add(&ctl_policy, devargs, reason, sizeof(reason));
	if (ret < 0) {
		con_post("ctl: VF_ADD refused: %s", reason);
		*why = reason;
		return ret;
	}
	ret = hotplug_begin(devargs, ctl_quitting);
	if (ret < 0)
		return ret;
	ret = dev_probe_bounded(devargs, app.ctl_probe_timeout_ms,
		ctl_quitting);
	hotplug_end();
	if (ret == -ETIMEDOUT) {
		snprintf(reason, sizeof(reason), "no vhost-user connection in "
			"%u ms: abandoned", app.ctl_probe_timeout_ms);
		*why = reason;
	} else if (ret == -ENODEV) {
		*why = "no driver for this device";
	}
	return ret;
}

/* Should VF_REMOVE of @p name detach the VF of failover port @p fp? */
static bool
is_the_vf(int fp, const char *name)
{
	char held[RTE_ETH_NAME_MAX_LEN];
	int ret = fo_view_vf_name((uint16_t)fp, held, sizeof(held));

	/* Without a way to tell, the VF the port holds is the one. */
	if (ret == -ENOTSUP)
		return true;
	return ret == 1 && strcmp(held, name) == 0;
}

/*
 * The host revokes VFs only: removing the synthetic path would leave the
 * failover port with no path at all.
 */
static bool
is_synthetic(const char *name)
{
	int fp = port_first_failover();

	return fp >= 0 && fo_view_is_synthetic((uint16_t)fp, name);
}

static int
do_vf_remove(const char *name, const char **why)
{
	int fp, ret;

	ret = hotplug_begin(name, ctl_quitting);
	if (ret < 0)
		return ret;
	if (is_synthetic(name)) {
		hotplug_end();
		*why = "device is the synthetic path";
		return -EPERM;
	}
	fp = port_first_failover();
	if (fp >= 0 && is_the_vf(fp, name)) {
		ret = rte_pmd_failover_vf_detach((uint16_t)fp);
		con_post("ctl: port %d: vf_detach: %s", fp,
			ret == 0 ? "done" : rte_strerror(-ret));
	} else {
		con_post("ctl: %s is not the VF of a failover port: removed "
			"without detach", name);
	}
	ret = 0;
	if (dev_find_by_name(name) != NULL) {
		ret = dev_detach_by_name(name, true);
		if (ret == -EBUSY)
			*why = "device is a forwarding port";
	}
	hotplug_end();
	return ret;
}

static int
do_vf_yank(const char *name, const char **why)
{
	int ret;

	ret = hotplug_begin(name, ctl_quitting);
	if (ret < 0)
		return ret;
	if (is_synthetic(name)) {
		hotplug_end();
		*why = "device is the synthetic path";
		return -EPERM;
	}
	ret = dev_detach_by_name(name, true);
	hotplug_end();
	if (ret == -ENOENT)
		*why = "no such device";
	else if (ret == -EBUSY)
		*why = "device is a forwarding port";
	return ret;
}

static void
on_line(const char *line, unsigned int flags, void *arg)
{
	struct ctl_session *s = arg;
	static char reason[CTL_LINE_MAX];
	const char *why = NULL;
	struct ctl_cmd cmd;
	int ret;

	/* A host that refuses us (another guest is connected) says ERR
	 * first and hangs up: not a command to answer. */
	if (strncmp(line, "ERR ", 4) == 0 && !(flags & CTL_LINE_BAD_BYTE)) {
		con_post("ctl: the host refused the connection: %s", line + 4);
		s->failed = true;
		return;
	}
	/* Every line is answered: an empty one, a malformed one too. */
	if (ctl_parse_line(line, &cmd) == -ENODATA) {
		snprintf(cmd.word, sizeof(cmd.word), "-");
		cmd.type = CTL_CMD_INVALID;
		cmd.error = "empty line";
	}
	con_post("ctl: < %s%s", line, (flags & CTL_LINE_LONG) ? "..." : "");
	if (flags & CTL_LINE_LONG) {
		reply(s, &cmd, -EINVAL, "line too long");
		return;
	}
	if (flags & CTL_LINE_BAD_BYTE) {
		reply(s, &cmd, -EINVAL, "invalid byte in line (NUL, control "
			"or non-ASCII, shown as '?')");
		return;
	}
	if ((cmd.type == CTL_CMD_VF_REMOVE || cmd.type == CTL_CMD_VF_YANK) &&
	    ctl_check_dev_name(cmd.arg, reason, sizeof(reason)) < 0) {
		reply(s, &cmd, -EINVAL, reason);
		return;
	}
	switch (cmd.type) {
	case CTL_CMD_VF_ADD:
		ret = do_vf_add(cmd.arg, &why);
		break;
	case CTL_CMD_VF_REMOVE:
		ret = do_vf_remove(cmd.arg, &why);
		break;
	case CTL_CMD_VF_YANK:
		ret = do_vf_yank(cmd.arg, &why);
		break;
	case CTL_CMD_PING:
		ret = 0;
		break;
	case CTL_CMD_INVALID:
	default:
		ret = -EINVAL;
		why = cmd.error;
		break;
	}
	reply(s, &cmd, ret, why);
}

static void
nap_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int
ctl_connect(void)
{
	struct sockaddr_un sa;
	bool told = false;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, ctl_path, sizeof(sa.sun_path));
	while (!ctl_quitting()) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			con_post("ctl: socket: %s", strerror(errno));
			return -errno;
		}
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		if (!told) {
			con_post("ctl: waiting for the host at %s", ctl_path);
			told = true;
		}
		nap_ms(CTL_RETRY_MS);
	}
	return -EINTR;
}

static void
ctl_session_run(struct ctl_session *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	struct ctl_lines lines;
	char buf[CTL_LINE_MAX];
	ssize_t n;

	ctl_lines_init(&lines);
	say_hello(s);
	while (!ctl_quitting() && !s->failed) {
		if (poll(&pfd, 1, CTL_POLL_MS) <= 0)
			continue;
		n = recv(s->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			con_post("ctl: host closed the connection");
			return;
		}
		ctl_lines_feed(&lines, buf, (size_t)n, on_line, s);
	}
}

static fo_thread_ret_t
ctl_main(void *arg)
{
	struct ctl_session s;
	uint64_t start;

	RTE_SET_USED(arg);
	while (!ctl_quitting()) {
		s.fd = ctl_connect();
		if (s.fd < 0)
			break;
		s.failed = false;
		start = app_now_ns();
		con_post("ctl: connected to %s", ctl_path);
		ctl_session_run(&s);
		close(s.fd);
		/* A host that refuses us, or hangs up at once: try again, but
		 * not ten times a second. */
		while (!ctl_quitting() && app_now_ns() - start <
				CTL_SESSION_MIN_MS * FO_NS_PER_MS)
			nap_ms(CTL_RETRY_MS);
	}
	return FO_THREAD_RET;
}

/* mkdir -p, every folder it makes mode 0700; errno EEXIST if @p dir was. */
static int
mkdir_private(const char *dir)
{
	char buf[CTL_PATH_MAX], *p;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	snprintf(buf, sizeof(buf), "%s", dir);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700);
}

/*
 * The control directory (the folder of the --ctl socket): created mode
 * 0700 if missing; refused if someone else owns it or others may write
 * into it, since whoever can create the socket there is the host.
 */
int
ctl_dir_prepare(const char *path)
{
	char buf[CTL_PATH_MAX], *dir;
	struct stat st;

	if (strlen(path) >= sizeof(buf)) {
		printf("error: --ctl %s: path too long (at most %zu)\n", path,
			sizeof(buf) - 1);
		return -ENAMETOOLONG;
	}
	snprintf(buf, sizeof(buf), "%s", path);
	dir = dirname(buf);
	if (mkdir_private(dir) == 0)
		printf("ctl: created the control directory %s (mode 0700)\n",
			dir);
	else if (errno != EEXIST) {
		printf("error: --ctl %s: cannot create %s: %s\n", path, dir,
			strerror(errno));
		return -errno;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("error: --ctl %s: %s is not a directory\n", path, dir);
		return -ENOTDIR;
	}
	if ((st.st_uid != geteuid() && st.st_uid != 0) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		printf("error: --ctl %s: %s is %s: anyone who can create the "
			"socket there is the host; use a private directory "
			"(mode 0700), e.g. $XDG_RUNTIME_DIR/net_failover or "
			"/run/net_failover\n", path, dir,
			(st.st_mode & (S_IWGRP | S_IWOTH)) ?
			"writable by others" : "owned by another user");
		return -EPERM;
	}
	return 0;
}

static int
ctl_policy_init(const char *path)
{
	char buf[CTL_PATH_MAX], dir[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	snprintf(ctl_policy.ctl_name, sizeof(ctl_policy.ctl_name), "%s",
		basename(buf));
	snprintf(buf, sizeof(buf), "%s", path);
	if (realpath(dirname(buf), dir) == NULL ||
	    strlen(dir) >= sizeof(ctl_policy.dir)) {
		printf("error: --ctl %s: %s\n", path, strerror(errno != 0 ?
			errno : ENAMETOOLONG));
		return -EINVAL;
	}
	snprintf(ctl_policy.dir, sizeof(ctl_policy.dir), "%s", dir);
	ctl_policy.allow = app.ctl_allow;
	return 0;
}

int
ctl_start(const char *path)
{
	int ret;

	if (strlen(path) >= sizeof(ctl_path)) {
		printf("error: --ctl %s: path too long (at most %zu)\n", path,
			sizeof(ctl_path) - 1);
		return -ENAMETOOLONG;
	}
	ret = ctl_dir_prepare(path);
	if (ret < 0)
		return ret;
	ret = ctl_policy_init(path);
	if (ret < 0)
		return ret;
	snprintf(ctl_path, sizeof(ctl_path), "%s", path);
	/* Relaxed: the thread does not exist yet; its creation orders it. */
	__atomic_store_n(&ctl_quit, 0, __ATOMIC_RELAXED);
	ret = fo_ctrl_thread_create(&ctl_tid, "fo-ctl", ctl_main, NULL);
	if (ret != 0) {
		printf("error: control channel thread: %s\n", strerror(ret));
		return -ret;
	}
	ctl_running = true;
	return 0;
}

static int
join_ms(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(fo_thread_pthread(ctl_tid), NULL, &ts);
}

int
ctl_stop(void)
{
	if (!ctl_running)
		return 0;
	/* Relaxed: a request the thread, and a probe's watchdog, see within
	 * CTL_POLL_MS; pthread_join() orders everything it did before ours. */
	__atomic_store_n(&ctl_quit, 1, __ATOMIC_RELAXED);
	if (join_ms(CTL_JOIN_MS) != 0)
		return -EBUSY;
	ctl_running = false;
	return 0;
}
