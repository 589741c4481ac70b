#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""
Issue 8, reproduction 1: the synthetic sub-device removed by a third party
while stock dpdk-testpmd forwards through the failover port.

    dpdk-testpmd -d <so> --vdev net_failover0,synthetic=net_null0,vf=net_null1 -- -i
    testpmd> start
    testpmd> device detach net_null0

testpmd does not check who owns a device: it removes the synthetic
sub-port under the failover port. Expected: testpmd stays alive and keeps
forwarding on the VF (port 0's RX and TX counters keep growing after the
detach), `show port stats 0` still answers later (while the port tries to
re-probe the synthetic device by its devargs), and `quit` ends cleanly.

Two runs:
  a. the issue's sequence as typed: start, then detach at once (the VF may
     still be settling: Tx on synthetic);
  b. `set fwd io`, the VF active (log "Tx path synthetic -> VF") and
     traffic flowing, then the detach.

fails on a00b4b0: both runs: "testpmd killed by SIGSEGV within 2 s of
device detach net_null0"; gdb shows the forwarding lcore in net_null's Rx
burst called from failover_rx_burst -> fo_rx(FO_SLOT_SYNTHETIC)
(failover_rxtx.c:53): the Rx path still polls the closed synthetic port.
Under the ASan build: SIGABRT, "AddressSanitizer: SEGV on unknown address
0x000000000000", same stack.

Usage: testpmd_synthetic_detach.py DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
"""

import time

from fo_testpmd import Testpmd, check, run, run_all

VDEV = "net_failover0,synthetic=net_null0,vf=net_null1"


def stats_grow(tp, what):
    """Port 0's RX and TX counters both grow over 1 s."""
    rx0, tx0 = tp.port_stats(0)
    time.sleep(1)
    rx1, tx1 = tp.port_stats(0)
    print("%s: RX %d -> %d, TX %d -> %d" % (what, rx0, rx1, tx0, tx1))
    check(rx1 > rx0, "%s: port 0 RX-packets stuck at %d" % (what, rx1))
    check(tx1 > tx0, "%s: port 0 TX-packets stuck at %d" % (what, tx1))


def detach_synthetic(tp):
    out = tp.cmd("device detach net_null0")
    check("Device net_null0 is detached" in out,
          "device detach net_null0 did not complete: %r" % out)
    # the crash of the issue comes about a second after the detach
    time.sleep(2)
    check(tp.alive(), "%s within 2 s of device detach net_null0" %
          tp.death())


def run_as_typed(testpmd, so):
    print("=== a. start, device detach net_null0 at once")
    with Testpmd(testpmd, so, [VDEV], "fo_syndetach_a") as tp:
        tp.cmd("start")
        detach_synthetic(tp)
        stats_grow(tp, "a. after the detach")
        # later, while the port re-probes the synthetic device
        time.sleep(1)
        stats_grow(tp, "a. later")
        tp.cmd("stop")
        tp.quit()


def run_io_on_vf(testpmd, so):
    print("=== b. set fwd io, VF active, device detach net_null0")
    with Testpmd(testpmd, so, [VDEV], "fo_syndetach_b") as tp:
        check(tp.wait_log(r"Tx path synthetic -> VF", 10),
              "b. the port never moved Tx to the VF")
        tp.cmd("set fwd io")
        tp.cmd("start")
        stats_grow(tp, "b. before the detach")
        detach_synthetic(tp)
        stats_grow(tp, "b. after the detach")
        time.sleep(1)
        stats_grow(tp, "b. later")
        tp.cmd("stop")
        tp.quit()


def main(argv):
    testpmd, so = argv[0], argv[1]
    run_all([lambda: run_as_typed(testpmd, so),
             lambda: run_io_on_vf(testpmd, so)])


if __name__ == "__main__":
    run(main)
