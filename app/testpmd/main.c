/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_failover authors
 */

/*
 * fo-testpmd: options, EAL, the main loop, signals and a clean exit.
 *
 *   fo-testpmd <EAL args> -- [-i] [--cmdline-file FILE] [--auto-start]
 *       [--ctl PATH [--ctl-allow KINDS] [--ctl-probe-timeout-ms MS]]
 *       [--nb-cores N] [--rxq N] [--txq N]
 *       [--forward-mode MODE] [--txrate PPS] [--stats-period S] [-h]
 *
 * Start-up sets up and starts every port RTE_ETH_FOREACH_DEV shows, then:
 * --auto-start starts forwarding; --cmdline-file runs the file's commands;
 * -i reads commands from the terminal. Without -i and without a command
 * file, forwarding starts and runs until SIGINT or SIGTERM; with a file
 * and without -i, the program waits for a signal after the file unless the
 * file said "quit".
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "ctl_proto.h"
#include "fo_testpmd.h"

#define POLL_MS			100
#define EXIT_USAGE		2

struct app app;

uint64_t
app_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * FO_NS_PER_S + (uint64_t)ts.tv_nsec;
}

void
app_request_quit(void)
{
	/* Relaxed: a flag polled by the main loop, nothing published. Also
	 * stored from the signal handler: a lock-free word is safe there. */
	__atomic_store_n(&app.quit, 1, __ATOMIC_RELAXED);
}

bool
app_quitting(void)
{
	return __atomic_load_n(&app.quit, __ATOMIC_RELAXED) != 0;
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	app_request_quit();
}

static void
usage(const char *prog)
{
	char modes[128];

	fwd_engine_names(modes, sizeof(modes), "|");
	printf("Usage: %s [EAL options] -- [options]\n"
		"  -i, --interactive       read commands at the prompt \""
		FO_PROMPT "\"\n"
		"  --cmdline-file FILE     run the commands of FILE first\n"
		"  --auto-start            start forwarding at once\n"
		"  --ctl PATH              control channel: connect to the "
		"host's UNIX socket\n"
		"                          (its directory is created mode "
		"0700, or must be private)\n"
		"  --ctl-allow KINDS       what the host's VF_ADD may probe: "
		"virtio-user (default),\n"
		"                          pci, any (the host runs any "
		"devargs), comma-separated\n"
		"  --ctl-probe-timeout-ms MS  give up a VF_ADD or port attach "
		"whose virtio-user\n"
		"                          server gets no peer (default 5000)\n"
		"  --nb-cores N            forwarding lcores (default 1)\n"
		"  --rxq N, --txq N        queues per port (default 1, at "
		"most %d)\n"
		"  --forward-mode MODE     %s (default io)\n"
		"  --txrate PPS            txonly packets per second per port "
		"(default 0: no limit)\n"
		"  --stats-period S        a status line every S seconds when "
		"stdout is not a terminal\n"
		"  -h, --help              this help\n",
		prog, FO_MAX_QUEUES, modes);
}

static void
usage_hook(const char *prog)
{
	usage(prog);
}

static int
parse_uint(const char *opt, const char *s, unsigned long min,
		unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < min || v > max) {
		printf("error: --%s %s: expected an integer from %lu to %lu\n",
			opt, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

enum {
	OPT_CMDLINE_FILE = 256,
	OPT_AUTO_START,
	OPT_CTL,
	OPT_CTL_ALLOW,
	OPT_CTL_PROBE_TIMEOUT,
	OPT_NB_CORES,
	OPT_RXQ,
	OPT_TXQ,
	OPT_FORWARD_MODE,
	OPT_TXRATE,
	OPT_STATS_PERIOD,
};

static const struct option long_opts[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ "cmdline-file", required_argument, NULL, OPT_CMDLINE_FILE },
	{ "auto-start", no_argument, NULL, OPT_AUTO_START },
	{ "ctl", required_argument, NULL, OPT_CTL },
	{ "ctl-allow", required_argument, NULL, OPT_CTL_ALLOW },
	{ "ctl-probe-timeout-ms", required_argument, NULL,
	  OPT_CTL_PROBE_TIMEOUT },
	{ "nb-cores", required_argument, NULL, OPT_NB_CORES },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "txq", required_argument, NULL, OPT_TXQ },
	{ "forward-mode", required_argument, NULL, OPT_FORWARD_MODE },
	{ "txrate", required_argument, NULL, OPT_TXRATE },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, 1 for -h (done), or -EINVAL. */
static int
parse_args(int argc, char **argv)
{
	const char *prog = argv[0];
	char why[128];
	unsigned long v;
	int opt;

	app.nb_cores = 1;
	app.nb_rxq = 1;
	app.nb_txq = 1;
	app.engine = &fwd_engine_io;
	app.ctl_allow = CTL_ALLOW_VIRTIO_USER;
	app.ctl_probe_timeout_ms = 5000;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "ih", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			app.interactive = true;
			break;
		case 'h':
			usage(prog);
			return 1;
		case OPT_CMDLINE_FILE:
			app.cmdline_file = optarg;
			break;
		case OPT_AUTO_START:
			app.auto_start = true;
			break;
		case OPT_CTL:
			app.ctl_path = optarg;
			break;
		case OPT_CTL_ALLOW:
			if (ctl_parse_allow(optarg, &app.ctl_allow, why,
					sizeof(why)) < 0) {
				printf("error: --ctl-allow %s\n", why);
				return -EINVAL;
			}
			break;
		case OPT_CTL_PROBE_TIMEOUT:
			if (parse_uint("ctl-probe-timeout-ms", optarg, 1,
					600000, &v) < 0)
				return -EINVAL;
			app.ctl_probe_timeout_ms = (unsigned int)v;
			break;
		case OPT_NB_CORES:
			if (parse_uint("nb-cores", optarg, 1,
					FO_MAX_FWD_LCORES, &v) < 0)
				return -EINVAL;
			app.nb_cores = (unsigned int)v;
			break;
		case OPT_RXQ:
		case OPT_TXQ:
			if (parse_uint(opt == OPT_RXQ ? "rxq" : "txq", optarg,
					1, FO_MAX_QUEUES, &v) < 0)
				return -EINVAL;
			if (opt == OPT_RXQ)
				app.nb_rxq = (uint16_t)v;
			else
				app.nb_txq = (uint16_t)v;
			break;
		case OPT_FORWARD_MODE:
			app.engine = fwd_engine_find(optarg);
			if (app.engine == NULL) {
				printf("error: --forward-mode %s: unknown "
					"mode\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_TXRATE:
			if (parse_uint("txrate", optarg, 0, FO_TXRATE_MAX,
					&v) < 0)
				return -EINVAL;
			app.txrate = (uint32_t)v;
			break;
		case OPT_STATS_PERIOD:
			if (parse_uint("stats-period", optarg, 0, 3600,
					&v) < 0)
				return -EINVAL;
			app.stats_period_s = (unsigned int)v;
			break;
		default:
			printf("error: unknown or incomplete option %s\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		printf("error: unexpected argument %s\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* "-h" among the application's options: answered before EAL starts. */
static bool
wants_help(int argc, char **argv)
{
	int i;
	bool app_args = false;

	for (i = 1; i < argc; i++) {
		if (!app_args) {
			app_args = strcmp(argv[i], "--") == 0;
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

/*
 * The --ctl path among the application's options, before EAL starts: its
 * directory must exist before EAL probes a --vdev virtio-user server
 * whose socket is in it.
 */
static const char *
ctl_arg(int argc, char **argv)
{
	int i;
	bool app_args = false;

	for (i = 1; i < argc; i++) {
		if (!app_args) {
			app_args = strcmp(argv[i], "--") == 0;
			continue;
		}
		if (strcmp(argv[i], "--ctl") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--ctl=", 6) == 0)
			return argv[i] + 6;
	}
	return NULL;
}

static int
pick_lcores(void)
{
	unsigned int lcore, n = 0;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (n == app.nb_cores)
			break;
		app.fwd_lcores[n++] = lcore;
	}
	if (n < app.nb_cores) {
		printf("error: --nb-cores %u needs %u worker lcores, EAL gave "
			"%u (use -l or --lcores)\n", app.nb_cores,
			app.nb_cores, n);
		return -EINVAL;
	}
	app.nb_fwd_lcores = n;
	return 0;
}

/*
 * Feed a cmdline from @p fd until it ends (EOF, "quit") or a signal,
 * keeping the console alive while waiting for input.
 */
static void
run_cmdline(struct cmdline *cl, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	char c;

	con_set_rdline(cmdline_get_rdline(cl));
	while (!app_quitting()) {
		con_idle(true);
		con_flush();
		con_status_tick(false);
		if (poll(&pfd, 1, POLL_MS) <= 0)
			continue;
		con_idle(false);
		/*
		 * All that is there (a pasted line, a file), a character at a
		 * time as cmdline_poll() did (gone in 23.11): end of input
		 * quits, and so does cmdline_in() failing after "quit".
		 */
		do {
			n = read(fd, &c, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || cmdline_in(cl, &c, 1) < 0)
				goto out;
		} while (!app_quitting() && poll(&pfd, 1, 0) > 0);
	}
out:
	con_idle(false);
	con_set_rdline(NULL);
	con_flush();
}

static int
run_file(const char *path)
{
	struct cmdline *cl;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("error: --cmdline-file %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	printf("Reading commands from %s\n", path);
	/* cmdline_file_new() would print nothing, errors included: give
	 * the file stdout for echo, results and errors. */
	cl = cmdline_new(fo_cmd_ctx, FO_PROMPT, fd, STDOUT_FILENO);
	if (cl == NULL) {
		close(fd);
		printf("error: --cmdline-file %s: cmdline\n", path);
		return -ENOMEM;
	}
	run_cmdline(cl, fd);
	cmdline_free(cl);
	printf("\nEnd of %s\n", path);
	return 0;
}

static void
run_interactive(void)
{
	struct cmdline *cl;

	cl = cmdline_stdin_new(fo_cmd_ctx, FO_PROMPT);
	if (cl == NULL) {
		printf("error: cannot read commands from stdin\n");
		return;
	}
	run_cmdline(cl, STDIN_FILENO);
	/* Restores the terminal. */
	cmdline_stdin_exit(cl);
	printf("\n");
}

static void
wait_for_signal(void)
{
	const struct timespec nap = { 0, POLL_MS * 1000000L };

	printf("%s until SIGINT or SIGTERM (Ctrl-C)\n",
		fwd_running() ? "Forwarding" : "Waiting");
	while (!app_quitting()) {
		con_flush();
		con_status_tick(false);
		nanosleep(&nap, NULL);
	}
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a poll() or sleep in progress returns at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A peer that hangs up (host, vhost-user) is an error to handle,
	 * not a reason to die. */
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	int ret, nb_ports, rc = EXIT_SUCCESS;

	/* Lines leave at once, whichever thread or library writes next. */
	setvbuf(stdout, NULL, _IONBF, 0);
	if (wants_help(argc, argv)) {
		usage(argv[0]);
		return EXIT_SUCCESS;
	}
	/*
	 * DPDK's log to stderr: stdout is the console, written by the main
	 * thread only, so that a library line never cuts a command's echo or
	 * output (with 2>&1 on a terminal they still share the screen).
	 */
	rte_openlog_stream(stderr);
	rte_set_application_usage_hook(usage_hook);
	if (ctl_arg(argc, argv) != NULL && ctl_dir_prepare(ctl_arg(argc,
			argv)) < 0)
		return EXIT_USAGE;
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("error: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	/* EAL left the program name in argv[ret]. */
	ret = parse_args(argc - ret, argv + ret);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_USAGE;
	}
	install_signals();
	con_init(app.interactive);
	if (pick_lcores() < 0) {
		rc = EXIT_USAGE;
		goto out_eal;
	}

	nb_ports = ports_init_all();
	if (nb_ports <= 0) {
		if (nb_ports == 0)
			printf("error: no port: give one with --vdev, e.g. "
				"'net_failover0,synthetic=net_null0,"
				"vf=net_null1'\n");
		rc = EXIT_FAILURE;
		goto out_ports;
	}
	if (app.ctl_path != NULL && ctl_start(app.ctl_path) < 0) {
		rc = EXIT_FAILURE;
		goto out_ports;
	}
	if (app.auto_start && fwd_start() < 0)
		printf("error: --auto-start: forwarding did not start\n");
	if (app.cmdline_file != NULL && run_file(app.cmdline_file) < 0)
		rc = EXIT_FAILURE;
	if (!app_quitting() && rc == EXIT_SUCCESS) {
		if (app.interactive) {
			run_interactive();
		} else {
			if (app.cmdline_file == NULL && !fwd_running() &&
			    fwd_start() < 0)
				printf("error: forwarding did not start\n");
			wait_for_signal();
		}
	}

	if (fwd_running())
		fwd_stop();
	if (ctl_stop() < 0) {
		/* Tearing DPDK down under a thread still inside it could
		 * crash: leave at once instead. */
		printf("error: the control thread is stuck in a hot-plug "
			"call: exiting without clean-up\n");
		_exit(EXIT_FAILURE);
	}
out_ports:
	ports_close_all();
	con_flush();
out_eal:
	rte_eal_cleanup();
	printf("Bye\n");
	return rc;
}
