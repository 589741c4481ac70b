# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""
Drive stock dpdk-testpmd interactively from a test, on a pseudo-terminal.

A pseudo-terminal, not a pipe: testpmd's own output (stdout) is fully
buffered on a pipe and would only show at exit; on a terminal it is line
buffered, so a test can send a command and read its answer before the
next one. EAL and PMD logs (stderr) come on a pipe of their own
(wait_log() searches them): written from other threads at any moment,
they would otherwise cut testpmd's prompt in two. For the same reason
testpmd is told not to print ethdev events (--mask-event all). Only the
Python standard library is used.

    with Testpmd(testpmd, so, ["net_failover0,synthetic=net_null0,..."],
                 "fo_x") as tp:
        tp.cmd("start")
        rx, tx = tp.port_stats(0)
        tp.quit()

What testpmd printed is kept in tp.out (stdout, the terminal) and tp.err
(stderr, the logs), and both go to stdout when the test ends, in the order
they came, for meson's test log. A test fails by raising TestFailure (or
any exception): run() prints the reason and exits 1; SkipTest exits 77,
which meson reports as skipped. testpmd never outlives its test.

Environment: FO_TESTPMD_PRELOAD is put in LD_PRELOAD for testpmd only (the
sanitizer runtimes that a sanitized .so needs in the unsanitized stock
testpmd), never for Python.
"""

import ctypes
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

PROMPT = "testpmd> "


class TestFailure(Exception):
    pass


class SkipTest(Exception):
    pass


def fail(msg):
    raise TestFailure(msg)


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def _path_is_safe(path):
    """EAL refuses -d for a .so below a world-writable directory."""
    d = os.path.dirname(os.path.realpath(path))
    while True:
        if os.stat(d).st_mode & stat.S_IWOTH:
            return False
        if d == "/":
            return True
        d = os.path.dirname(d)


class SafeSo:
    """The .so itself if EAL accepts its path, else a private copy
    (as tests/integration/safe_so.sh does)."""

    def __init__(self, so):
        self.path = so
        self.dir = None
        if _path_is_safe(so):
            return
        for base in (os.environ.get("HOME", ""), "/run"):
            if not base or not os.path.isdir(base):
                continue
            try:
                d = tempfile.mkdtemp(prefix=".net_failover_so.", dir=base)
            except OSError:
                continue
            os.chmod(d, 0o700)
            if _path_is_safe(os.path.join(d, "x")):
                shutil.copy(so, d)
                self.dir = d
                self.path = os.path.join(d, os.path.basename(so))
                return
            shutil.rmtree(d, ignore_errors=True)

    def cleanup(self):
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def _die_with_parent():
    """In the child, before exec: killed if the test dies, even by
    SIGKILL (PR_SET_PDEATHSIG), so no testpmd outlives its test."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def runtime_dir():
    """The runtime directory, as EAL and dpdk-telemetry.py compute it."""
    if os.environ.get("RUNTIME_DIRECTORY"):
        return os.environ["RUNTIME_DIRECTORY"]
    if os.getuid() == 0:
        return "/var/run"
    return os.environ.get("XDG_RUNTIME_DIR", "/tmp")


class Testpmd:
    def __init__(self, testpmd, so, vdevs, prefix, eal_args=(),
                 app_args=(), log_levels=("pmd.net.failover:info",)):
        self.prefix = "%s_%d" % (prefix, os.getpid())
        self.so = SafeSo(so)
        args = [testpmd, "-d", self.so.path, "--no-huge", "-m", "512",
                "--no-pci", "--file-prefix=" + self.prefix]
        for lvl in log_levels:
            args.append("--log-level=" + lvl)
        for v in vdevs:
            args += ["--vdev", v]
        args += list(eal_args)
        args += ["--", "-i", "--total-num-mbufs=4096", "--mask-event",
                 "all"] + list(app_args)
        self.args = args
        self.out = ""		# the terminal: testpmd's own output
        self.err = ""		# stderr: EAL and PMD logs
        self.transcript = ""	# both, in the order they came
        self.pos = 0		# where the next expect() starts in out
        self.lock = threading.Condition()
        self.eof = False
        self.err_eof = False
        env = dict(os.environ)
        preload = os.environ.get("FO_TESTPMD_PRELOAD", "")
        if preload:
            env["LD_PRELOAD"] = preload
        else:
            env.pop("LD_PRELOAD", None)
        master, slave = os.openpty()
        self.master = master
        print("+ " + " ".join(args), flush=True)
        try:
            self.proc = subprocess.Popen(args, stdin=slave, stdout=slave,
                                         stderr=subprocess.PIPE, env=env,
                                         close_fds=True,
                                         start_new_session=True,
                                         preexec_fn=_die_with_parent)
        except OSError:
            os.close(slave)
            os.close(master)
            self.so.cleanup()
            raise
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err,
                                           daemon=True)
        self.err_reader.start()
        try:
            self.expect(PROMPT, 60, "testpmd did not start")
        except BaseException:
            self.__exit__(None, None, None)
            raise

    # --- transcript ---------------------------------------------------

    def _read(self):
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.eof = True
                    self.lock.notify_all()
                    return
                text = data.decode("utf-8", "replace").replace("\r", "")
                self.out += text
                self.transcript += text
                self.lock.notify_all()

    def _read_err(self):
        fd = self.proc.stderr.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.err_eof = True
                    self.lock.notify_all()
                    return
                text = data.decode("utf-8", "replace")
                self.err += text
                self.transcript += text
                self.lock.notify_all()

    def expect(self, pattern, timeout, what=None):
        """Wait for @pattern (regex) after the last match; return the
        match and move past it. Fails on timeout or when testpmd exits."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                m = rx.search(self.out, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = end - time.monotonic()
                if self.eof or left <= 0:
                    break
                self.lock.wait(min(left, 0.2))
        self._died_check()
        fail("%s (waited %.1f s for %r)" %
             (what or "no answer from testpmd", timeout, pattern))

    def wait_log(self, pattern, timeout, since=0):
        """Wait for @pattern in the logs (stderr) after offset @since (see
        log_mark()); return the match or None."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                m = rx.search(self.err, since)
                if m:
                    return m
                left = end - time.monotonic()
                if self.err_eof or left <= 0:
                    return None
                self.lock.wait(min(left, 0.2))

    def mark(self):
        with self.lock:
            return len(self.out)

    def log_mark(self):
        with self.lock:
            return len(self.err)

    # --- process ------------------------------------------------------

    def alive(self):
        return self.proc.poll() is None

    def death(self):
        """None while running; else how testpmd ended, in words."""
        rc = self.proc.poll()
        if rc is None:
            return None
        if rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = "signal %d" % -rc
            return "testpmd killed by %s%s" % (name, self._crash_hint())
        return "testpmd exited with status %d%s" % (rc, self._crash_hint())

    def _died_check(self):
        if self.eof:
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        d = self.death()
        if d:
            fail(d)

    def _crash_hint(self):
        """The first sanitizer report or fatal message, if any."""
        for pat in (r"ERROR: AddressSanitizer: .*", r"\S+: runtime error: .*",
                    r"EAL: Error - exiting.*", r"PANIC.*"):
            m = re.search(pat, self.err + self.out)
            if m:
                return " (" + m.group(0).strip() + ")"
        return ""

    def send(self, line):
        if not self.alive():
            self._died_check()
        os.write(self.master, (line + "\n").encode())

    def cmd(self, line, timeout=20):
        """Send a command, wait for the next prompt, return what testpmd
        printed in between (the echo of the command excluded)."""
        start = self.mark()
        self.send(line)
        # the echo of the command, then its output, then the prompt
        with self.lock:
            self.pos = max(self.pos, start)
        m = self.expect(re.escape(line) + r"\n", timeout,
                        "testpmd did not take %r" % line)
        begin = m.end()
        m = self.expect(re.escape(PROMPT), timeout,
                        "testpmd did not finish %r" % line)
        return self.out[begin:m.start()]

    def quit(self, timeout=30):
        """quit, and check testpmd ended cleanly."""
        self.send("quit")
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            fail("testpmd did not exit within %d s of quit" % timeout)
        self.reader.join(5)
        self.err_reader.join(5)
        d = self.death()
        check(rc == 0, "%s after quit" % d)
        check("Bye" in self.out, "testpmd did not say Bye")

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        try:
            os.close(self.master)
        except OSError:
            pass
        self.err_reader.join(5)
        self.proc.stderr.close()
        self.so.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        print("--- testpmd transcript ---")
        print(self.transcript)
        print("--- end of transcript ---", flush=True)
        return False

    # --- parsed commands ----------------------------------------------

    def quiet(self, seconds):
        """Let @seconds pass; fail if testpmd dies meanwhile."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self.alive():
                self._died_check()
            time.sleep(0.05)

    def port_stats(self, port):
        """(RX-packets, TX-packets) of `show port stats <port>`."""
        out = self.cmd("show port stats %d" % port)
        rx = re.search(r"RX-packets:\s*(\d+)", out)
        tx = re.search(r"TX-packets:\s*(\d+)", out)
        check(rx and tx, "no stats for port %d in %r" % (port, out))
        return int(rx.group(1)), int(tx.group(1))

    def telemetry_socket(self):
        return os.path.join(runtime_dir(), "dpdk", self.prefix,
                            "dpdk_telemetry.v2")


class Telemetry:
    """A client of DPDK's telemetry socket (protocol v2), as
    dpdk-telemetry.py: one JSON message on connect, then one JSON answer
    per command."""

    def __init__(self, path, timeout=5):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(1024).decode())
        self.max_len = hello.get("max_output_len", 16384)

    def query(self, command):
        self.sock.send(command.encode())
        data = self.sock.recv(self.max_len)
        if not data:
            raise ConnectionError("telemetry socket closed")
        return json.loads(data.decode())

    def close(self):
        self.sock.close()


def wait_for(fn, timeout, interval=0.05):
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() >= end:
            return v
        time.sleep(interval)


def run_all(runs):
    """Run every one of @runs (callables), even after a failure; fail
    with all their failures."""
    failures = []
    for r in runs:
        try:
            r()
        except TestFailure as e:
            print("FAIL: %s" % e, flush=True)
            failures.append(str(e))
    if failures:
        fail("; ".join(failures))


def _terminated(signum, frame):
    # meson's timeout: unwind, so that testpmd and taps are cleaned up
    raise TestFailure("terminated by signal %d (timeout?)" % signum)


def run(main):
    """Run main(argv); exit 0 (pass), 1 (fail) or 77 (skip)."""
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGINT, _terminated)
    try:
        main(sys.argv[1:])
    except SkipTest as e:
        print("SKIP: %s" % e, flush=True)
        sys.exit(77)
    except TestFailure as e:
        print("FAIL: %s" % e, flush=True)
        sys.exit(1)
    print("PASS", flush=True)
    sys.exit(0)
