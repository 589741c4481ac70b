#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The usage the docs give for stock dpdk-testpmd and hot-plug: with "set
# port setup on iterator", "port attach" of a failover port sets up that
# port only, never its owned sub-ports (testpmd's NEW handling would), and
# forwarding runs on the application's ports alone. A started port of the
# application is refused as a sub-port, and keeps forwarding.
# Usage: testpmd_attach.sh DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
set -eu
testpmd=$1
so=$2
. "$(dirname "$0")/safe_so.sh"
fo_safe_so "$so"
so=$fo_so
out=$(mktemp)
trap 'rm -f "$out"; fo_safe_so_cleanup' EXIT
fail() { echo "FAIL: $*"; exit 1; }
wait_for() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && ! grep -q "$1" "$out" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

rc=0
{
	wait_for "testpmd> " 30
	echo "set port setup on iterator"
	# Port 0 (net_failover0) is started: refused as a sub-port.
	echo "port attach net_failover2,synthetic=net_failover0"
	echo "port attach net_failover1,synthetic=net_null2,vf=net_null3"
	sleep 1
	echo "port start all"
	echo "start"
	sleep 2; echo "stop"
	sleep 0.5; echo "quit"
} | timeout 60 "$testpmd" -d "$so" --no-huge -m 512 --no-shconf --no-pci \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1' \
	--log-level=pmd.net.failover:info \
	-- -i --total-num-mbufs=4096 >"$out" 2>&1 || rc=$?
cat "$out"
[ $rc -eq 0 ] || fail "testpmd exited with $rc"
grep -qF "synthetic=net_failover0: device 'net_failover0' is a failover port" "$out" ||
	fail "nesting the application's port not refused"
grep -q "ports=2 " "$out" || fail "testpmd did not forward on exactly the 2 failover ports"
# Sub-ports are ports 1, 2 (net_failover0's) and 4, 5 (net_failover1's).
grep -E "RX P=(1|2|4|5)/|TX P=(1|2|4|5)/" "$out" && fail "a sub-port is in a forwarding stream"
tx=$(sed -n 's/.*TX-packets: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "nothing forwarded ($tx)"
grep -q "Bye" "$out" || fail "testpmd did not quit cleanly"
echo "PASS: port attach with 'set port setup on iterator' leaves the sub-ports out"
