#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""
Issue 8, reproduction 2: a port id freed by the removal of a sub-device is
reused by the application at once, and the failover port must not take
the new port for its old sub-port.

    testpmd> port stop 0
    testpmd> device detach net_null0        (the synthetic sub-device)
    testpmd> port attach net_null7          (gets the freed port id)
    testpmd> port stop 0
    testpmd> port close 0

Expected: the failover port's close leaves net_null7 alone: it is still
listed by `show port summary all` and `show port info <id>`, and it can be
started and forward (its RX and TX counters grow), then testpmd quits
cleanly. The port id net_null7 got is read from testpmd's "Port N is
attached" (the freed id of net_null0 on today's code; printed, not
required, as a fixed driver may re-probe the synthetic device first).
probe_interval_ms=100000 keeps the VF re-probe out of the way.

fails on a00b4b0: `port close 0` logs "synthetic port 1 'net_null0'
released" and closes port 1, which is net_null7: `show port summary all`
lists no port, `show port info 1` says "Invalid port 1".

Usage: testpmd_port_id_reuse.py DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
"""

import re
import time

from fo_testpmd import Testpmd, check, run

VDEV = "net_failover0,synthetic=net_null0,vf=net_null1,probe_interval_ms=100000"


def main(argv):
    testpmd, so = argv[0], argv[1]
    with Testpmd(testpmd, so, [VDEV], "fo_idreuse") as tp:
        out = tp.cmd("show port summary all")
        print(out)
        tp.cmd("port stop 0")
        out = tp.cmd("device detach net_null0")
        check("Device net_null0 is detached" in out,
              "device detach net_null0 did not complete: %r" % out)
        out = tp.cmd("port attach net_null7")
        m = re.search(r"Port (\d+) is attached", out)
        check(m, "port attach net_null7 failed: %r" % out)
        new = int(m.group(1))
        print("net_null7 is port %d (%s the freed id of net_null0)" %
              (new, "reusing" if new == 1 else "not reusing"))
        tp.cmd("port stop 0")
        out = tp.cmd("port close 0")
        check(tp.alive(), "%s after port close 0" % tp.death())

        # The application's port survived the failover port's close.
        out = tp.cmd("show port summary all")
        check(re.search(r"^%d\s+\S+\s+net_null7\s+net_null\b" % new, out,
                        re.M),
              "net_null7 (port %d) gone after `port close 0` of the "
              "failover port; show port summary all: %r" % (new, out))
        out = tp.cmd("show port info %d" % new)
        check(re.search(r"Device name: net_null7", out) and
              re.search(r"Driver name: net_null", out),
              "show port info %d does not show net_null7: %r" % (new, out))

        # ... and works.
        out = tp.cmd("port start %d" % new)
        check(not re.search(r"Invalid port|Fail", out),
              "port start %d failed: %r" % (new, out))
        tp.cmd("set portlist %d" % new)
        tp.cmd("start")
        time.sleep(0.5)
        rx0, tx0 = tp.port_stats(new)
        time.sleep(1)
        rx1, tx1 = tp.port_stats(new)
        print("net_null7: RX %d -> %d, TX %d -> %d" % (rx0, rx1, tx0, tx1))
        check(rx1 > rx0 and tx1 > tx0,
              "net_null7 does not forward (RX %d -> %d, TX %d -> %d)" %
              (rx0, rx1, tx0, tx1))
        tp.cmd("stop")
        tp.quit()


if __name__ == "__main__":
    run(main)
