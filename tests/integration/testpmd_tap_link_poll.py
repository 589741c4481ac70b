#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""
Issue 8, reproduction 4: a VF whose link goes down without an LSC event.

net_tap follows the kernel's IFF_UP/IFF_RUNNING in its link status but
raises no RTE_ETH_EVENT_INTR_LSC (although it advertises
RTE_ETH_DEV_INTR_LSC). With the VF a tap,

    --vdev 'net_failover0,synthetic=net_null0,vf=[net_tap0,iface=<X>]'
    # ip link set <X> down

the failover port must notice by polling its sub-ports' links (devarg
link_poll_ms, default 100; not given here: the default is tested).
Expected, with --log-level=pmd.net.failover:info:
  - within 1.5 s of `ip link set X down`, the log says
    "Tx path VF -> synthetic: <reason>", telemetry /failover/info,0 says
    "active_path": "synthetic", and `show port xstats 0` counts
    switch_to_synthetic: 1;
  - within 2 s of `ip link set X up` (poll + vf_settle_ms), the log says
    "Tx path synthetic -> VF: <reason>" and /failover/info,0 says
    "active_path": "vf";
  - testpmd quits cleanly.
Skipped (exit 77) when no tap can be made here (no /dev/net/tun, no
CAP_NET_ADMIN, no `ip`). The tap is removed at the end whatever happens.

fails on a00b4b0: "Tx did not move VF -> synthetic within 1.5 s of
`ip link set <X> down`" (nothing polls the tap's link; active_path stays
"vf").

Usage: testpmd_tap_link_poll.py DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
"""

import os
import re
import shutil
import subprocess
import time

from fo_testpmd import (SkipTest, Telemetry, Testpmd, check, fail, run,
                        wait_for)


def ip(*args, check_rc=True):
    r = subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       timeout=10)
    if check_rc and r.returncode != 0:
        fail("ip %s: %s" % (" ".join(args), r.stdout.strip()))
    return r


def tap_possible(name):
    """Make and delete a tap the way net_tap will; None or why not."""
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2)"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    r = ip("tuntap", "add", "dev", name, "mode", "tap", check_rc=False)
    if r.returncode != 0:
        return "cannot create a tap (CAP_NET_ADMIN?): " + r.stdout.strip()
    ip("link", "del", name, check_rc=False)
    return None


def active_path(tel):
    info = tel.query("/failover/info,0")["/failover/info"]
    check(info, "telemetry: /failover/info,0 answered nothing")
    return info["active_path"]


def xstat(tp, name):
    out = tp.cmd("show port xstats 0")
    m = re.search(r"^\s*%s:\s*(\d+)" % re.escape(name), out, re.M)
    check(m, "no xstat %s in `show port xstats 0`" % name)
    return int(m.group(1))


def main(argv):
    testpmd, so = argv[0], argv[1]
    iface = "fotap%d" % (os.getpid() % 100000)
    why = tap_possible(iface)
    if why:
        raise SkipTest(why)
    vdev = "net_failover0,synthetic=net_null0,vf=[net_tap0,iface=%s]" % iface
    try:
        with Testpmd(testpmd, so, [vdev], "fo_taplink") as tp:
            check(tp.wait_log(r"Tx path synthetic -> VF", 10),
                  "Tx never moved to the tap VF at start")
            tel = Telemetry(tp.telemetry_socket())
            check(active_path(tel) == "vf", "not on the VF at start")
            before = xstat(tp, "switch_to_synthetic")

            vf = tel.query("/failover/info,0")["/failover/info"]["vf"]
            check(vf["name"] == "net_tap0", "VF is not the tap: %r" % vf)

            mark = tp.log_mark()
            t0 = time.monotonic()
            ip("link", "set", iface, "down")
            m = tp.wait_log(r"Tx path VF -> synthetic: ([^\n]*)", 1.5, mark)
            # The premise: the tap itself reports its link down.
            link = tel.query("/ethdev/link_status,%d" % vf["port_id"])
            link = link["/ethdev/link_status"]
            print("tap port %d after `ip link set %s down`: %r" %
                  (vf["port_id"], iface, link))
            check(link and link["status"] == "DOWN",
                  "net_tap does not report its link down: %r" % link)
            check(m, "Tx did not move VF -> synthetic within 1.5 s of "
                  "`ip link set %s down` (active_path: %s)" %
                  (iface, active_path(tel)))
            print("VF -> synthetic after %.0f ms: %s" %
                  ((time.monotonic() - t0) * 1000, m.group(1)))
            check(active_path(tel) == "synthetic",
                  "telemetry: active_path not synthetic with the tap down")
            n = xstat(tp, "switch_to_synthetic")
            check(n == before + 1, "switch_to_synthetic %d, expected %d" %
                  (n, before + 1))

            mark = tp.log_mark()
            t0 = time.monotonic()
            ip("link", "set", iface, "up")
            m = tp.wait_log(r"Tx path synthetic -> VF: ([^\n]*)", 2, mark)
            check(m, "Tx did not return to the VF within 2 s of "
                  "`ip link set %s up`" % iface)
            print("synthetic -> VF after %.0f ms: %s" %
                  ((time.monotonic() - t0) * 1000, m.group(1)))
            check(wait_for(lambda: active_path(tel) == "vf", 1),
                  "telemetry: active_path not vf with the tap up again")
            tel.close()
            tp.quit()
    finally:
        if ip("link", "show", iface, check_rc=False).returncode == 0:
            ip("link", "del", iface, check_rc=False)


if __name__ == "__main__":
    run(main)
