/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * The control channel: the hypervisor's hot-plug notifications, as a UNIX
 * stream socket of '\n'-terminated ASCII lines (docs/design/host_protocol.rst).
 * The host listens; one guest connects and says HELLO (a second
 * connection while one is up is answered "ERR - busy" and closed: it
 * never replaces the guest's); the host sends one command at a time and
 * waits for its OK or ERR. Main lcore only: no locking.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostsim.h"

static int hs_listen_fd = -1;
static int hs_conn_fd = -1;
static char hs_ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char hs_rbuf[2 * HS_LINE_MAX];
static size_t hs_rlen;
static bool hs_hello;
/* The answer to the outstanding command, once it came. */
static char hs_reply[HS_LINE_MAX];
static bool hs_have_reply;

int
hs_ctl_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd, ret;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A socket file left by an earlier run would make bind() fail. */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	hs_listen_fd = fd;
	strcpy(hs_ctl_path, path);
	hs_log("control channel listening on %s", path);
	return 0;
}

static void
hs_ctl_drop(const char *why)
{
	if (hs_conn_fd < 0)
		return;
	close(hs_conn_fd);
	hs_conn_fd = -1;
	hs_hello = false;
	hs_rlen = 0;
	hs_log("guest control connection closed (%s)", why);
}

static void
hs_ctl_line(char *line)
{
	struct rte_ether_addr mac;
	char macs[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int port;

	if (strncmp(line, "HELLO ", 6) == 0) {
		hs_log("guest: %s", line);
		hs_hello = true;
		if (sscanf(line + 6, "%u %17s", &port, macs) == 2 &&
		    rte_ether_unformat_addr(macs, &mac) == 0 &&
		    !rte_is_same_ether_addr(&mac, &hs.guest_mac))
			hs_log("warning: the guest's port has MAC %s, the host "
				"sends to another one (--mac)", macs);
		return;
	}
	if (strncmp(line, "OK ", 3) == 0 || strncmp(line, "ERR ", 4) == 0) {
		if (hs_have_reply)
			hs_log("guest: unexpected reply: %s", line);
		snprintf(hs_reply, sizeof(hs_reply), "%.*s", HS_LINE_MAX - 1, line);
		hs_have_reply = true;
		return;
	}
	hs_log("guest: unexpected line: %s", line);
}

static void
hs_ctl_read(void)
{
	ssize_t n;
	char *nl;

	n = read(hs_conn_fd, hs_rbuf + hs_rlen, sizeof(hs_rbuf) - 1 - hs_rlen);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		hs_ctl_drop(n == 0 ? "guest hung up" : strerror(errno));
		return;
	}
	if (n < 0)
		return;
	hs_rlen += n;
	hs_rbuf[hs_rlen] = '\0';
	while ((nl = strchr(hs_rbuf, '\n')) != NULL) {
		*nl = '\0';
		hs_ctl_line(hs_rbuf);
		hs_rlen -= nl + 1 - hs_rbuf;
		memmove(hs_rbuf, nl + 1, hs_rlen + 1);
	}
	if (hs_rlen == sizeof(hs_rbuf) - 1) {
		hs_log("guest: line longer than %d bytes dropped", HS_LINE_MAX);
		hs_rlen = 0;
	}
}

void
hs_ctl_service(int timeout_ms)
{
	struct pollfd p[2];
	int n = 0, fd;

	if (hs_listen_fd < 0) {
		if (timeout_ms > 0)
			usleep(timeout_ms * 1000);
		return;
	}
	p[n++] = (struct pollfd){ .fd = hs_listen_fd, .events = POLLIN };
	if (hs_conn_fd >= 0)
		p[n++] = (struct pollfd){ .fd = hs_conn_fd, .events = POLLIN };
	if (poll(p, n, timeout_ms) <= 0)
		return;
	if (n > 1 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
		hs_ctl_read();
	if (p[0].revents & POLLIN) {
		fd = accept4(hs_listen_fd, NULL, NULL,
			SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (hs_conn_fd >= 0) {
			static const char busy[] =
				"ERR - busy: a guest is already connected\n";

			/* Best effort: the refusal matters, not its text. */
			if (write(fd, busy, sizeof(busy) - 1) < 0)
				hs_log("control channel: %s", strerror(errno));
			close(fd);
			hs_log("second control connection refused: a guest "
				"is already connected");
			return;
		}
		hs_conn_fd = fd;
		hs_log("guest connected to the control channel");
	}
}

bool
hs_ctl_hello(void)
{
	return hs_hello;
}

static int
hs_ctl_send(const char *line, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(hs_conn_fd, line + off, len - off);
		if (n < 0 && errno == EAGAIN) {
			usleep(100);
			continue;
		}
		if (n < 0)
			return -errno;
		off += n;
	}
	return 0;
}

/* When the outstanding command was sent, for the log. */
static uint64_t hs_sent_ns;

int
hs_ctl_send_cmd(const char *word, const char *arg, uint32_t timeout_ms)
{
	uint64_t deadline = hs_now_ns() + timeout_ms * HS_MS_NS;
	char line[HS_LINE_MAX + 2];
	int len, ret;

	while (hs_conn_fd < 0 || !hs_hello) {
		if (hs_stopping())
			return -EINTR;
		if (hs_now_ns() >= deadline) {
			hs_log("%s: no guest on the control channel", word);
			return -ENOTCONN;
		}
		hs_ctl_service(10);
	}
	len = snprintf(line, sizeof(line), "%s%s%s\n", word,
		arg != NULL ? " " : "", arg != NULL ? arg : "");
	if (len < 0 || len > HS_LINE_MAX) {
		hs_log("%s: command longer than %d bytes", word, HS_LINE_MAX);
		return -E2BIG;
	}
	hs_have_reply = false;
	hs_sent_ns = hs_now_ns();
	hs_log("ctl -> %.*s", len - 1, line);
	ret = hs_ctl_send(line, len);
	if (ret < 0)
		hs_ctl_drop(strerror(-ret));
	return ret;
}

bool
hs_ctl_replied(void)
{
	return hs_have_reply || hs_conn_fd < 0;
}

int
hs_ctl_wait_reply(const char *word, uint32_t timeout_ms)
{
	uint64_t deadline = hs_now_ns() + timeout_ms * HS_MS_NS;
	size_t wlen = strlen(word);

	while (!hs_have_reply) {
		if (hs_stopping())
			return -EINTR;
		if (hs_conn_fd < 0) {
			hs_log("ctl: guest gone before answering %s", word);
			return -ENOTCONN;
		}
		if (hs_now_ns() >= deadline) {
			hs_log("ctl: no answer to %s in %u ms", word,
				timeout_ms);
			return -ETIMEDOUT;
		}
		hs_ctl_service(1);
	}
	hs_have_reply = false;
	hs_log("ctl <- %s (%.1f ms)", hs_reply,
		(double)(hs_now_ns() - hs_sent_ns) / HS_MS_NS);
	if (strncmp(hs_reply, "OK ", 3) == 0 &&
	    strncmp(hs_reply + 3, word, wlen) == 0 &&
	    (hs_reply[3 + wlen] == '\0' || hs_reply[3 + wlen] == ' '))
		return 0;
	return -EIO;
}

int
hs_ctl_request(const char *word, const char *arg, uint32_t timeout_ms)
{
	int ret = hs_ctl_send_cmd(word, arg, timeout_ms);

	return ret < 0 ? ret : hs_ctl_wait_reply(word, timeout_ms);
}

void
hs_ctl_close(void)
{
	hs_ctl_drop("host exits");
	if (hs_listen_fd >= 0) {
		close(hs_listen_fd);
		hs_listen_fd = -1;
		unlink(hs_ctl_path);
	}
}
