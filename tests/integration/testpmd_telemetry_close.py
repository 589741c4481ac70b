#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
"""
Issue 8, reproduction 3: telemetry queries arrive on their own thread at
any moment, including while the failover port closes.

stock dpdk-testpmd (started with no port) loops
    port attach net_failover0,synthetic=net_null0,vf=net_null1
    port start all
    port stop all
    device detach net_failover0
while a client on the telemetry socket
(/var/run/dpdk/<file-prefix>/dpdk_telemetry.v2, the protocol of
dpdk-telemetry.py) asks /ethdev/stats,0, /ethdev/xstats,0 and
/failover/info,0 as fast as it can.

Expected: CYCLES cycles (30 by default, or the first argument after the
.so) without a crash; the client got answers all along (the socket stayed
up); testpmd quits cleanly.

fails on a00b4b0: testpmd killed by SIGSEGV within the first few cycles
(0 to 8 seen), on the telemetry-v2 thread: rte_eth_stats_get ->
failover_stats_get -> fo_stats_packets (failover_stats.c:495, reading
priv->rxqs[q]) while the port closes. Under the ASan build: "testpmd
exited with status 1 (../drivers/net/failover/failover_stats.c:495:17:
runtime error: load of null pointer of type 'struct failover_rxq *')"
after 5 to 21 cycles.

Usage: testpmd_telemetry_close.py DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO [CYCLES]
"""

import os
import re
import threading
import time

from fo_testpmd import Telemetry, Testpmd, check, fail, run, wait_for

VDEV = "net_failover0,synthetic=net_null0,vf=net_null1"
QUERIES = ("/ethdev/stats,0", "/ethdev/xstats,0", "/failover/info,0")


class Client(threading.Thread):
    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.answers = 0
        self.with_port = 0	# answers that described a port
        self.error = None

    def run(self):
        try:
            tel = Telemetry(self.path)
        except OSError as e:
            self.error = "cannot connect to %s: %s" % (self.path, e)
            return
        try:
            while not self.stop.is_set():
                for q in QUERIES:
                    a = tel.query(q)
                    self.answers += 1
                    if list(a.values())[0]:
                        self.with_port += 1
        except (OSError, ValueError) as e:
            self.error = "telemetry client: %r" % e
        finally:
            tel.close()


def main(argv):
    testpmd, so = argv[0], argv[1]
    cycles = int(argv[2]) if len(argv) > 2 else 30
    with Testpmd(testpmd, so, [], "fo_telclose") as tp:
        sock = tp.telemetry_socket()
        check(wait_for(lambda: os.path.exists(sock), 10),
              "no telemetry socket %s" % sock)
        client = Client(sock)
        client.start()
        try:
            for i in range(cycles):
                out = tp.cmd("port attach " + VDEV)
                check(re.search(r"Port 0 is attached", out),
                      "cycle %d: port attach failed: %r" % (i, out))
                tp.cmd("port start all")
                tp.cmd("port stop all")
                out = tp.cmd("device detach net_failover0")
                check(tp.alive(), "cycle %d: %s during device detach" %
                      (i, tp.death()))
                check("Device net_failover0 is detached" in out,
                      "cycle %d: device detach failed: %r" % (i, out))
                check(client.error is None and client.is_alive(),
                      "cycle %d: %s" % (i, client.error))
        except Exception:
            # the reason testpmd went: its death, if it died
            if not tp.alive():
                time.sleep(0.2)
                fail("%s after %d cycles (%d telemetry answers)" %
                     (tp.death(), i, client.answers))
            raise
        finally:
            client.stop.set()
            client.join(10)
        print("%d cycles, %d telemetry answers, %d about a port" %
              (cycles, client.answers, client.with_port))
        check(client.error is None, client.error or "")
        check(client.with_port > 0,
              "telemetry never answered about port 0 while it existed")
        tp.quit()


if __name__ == "__main__":
    run(main)
