#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Stock dpdk-testpmd loads the built net_failover .so with -d, lists the
# port with its driver name, forwards packets in io mode through it and
# quits cleanly.
# Usage: testpmd_forwarding.sh DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
set -eu
testpmd=$1
so=$2
. "$(dirname "$0")/safe_so.sh"
fo_safe_so "$so"
so=$fo_so
out=$(mktemp)
trap 'rm -f "$out"; fo_safe_so_cleanup' EXIT

rc=0
# wait_for TEXT SECONDS: until the output holds TEXT, or the time is up
# (all at once, a loaded machine would run "quit" before the VF settled).
wait_for() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && ! grep -q "$1" "$out" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}
{
	wait_for "testpmd> " 30
	echo "show port info 0"
	echo "start"
	wait_for "Tx path synthetic -> VF" 20
	sleep 2; echo "stop"
	sleep 0.5; echo "quit"
} | timeout 60 "$testpmd" -d "$so" --no-huge -m 512 --no-pci \
	--file-prefix="fo_testpmd_$$" \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1' \
	--log-level=pmd.net.failover:info \
	-- -i --total-num-mbufs=4096 >"$out" 2>&1 || rc=$?
# Under set -e a bare "rc=$?" after a failing command is never reached.
cat "$out"
fail() { echo "FAIL: $*"; exit 1; }
[ $rc -eq 0 ] || fail "testpmd exited with $rc"
grep -q "Driver name: net_failover" "$out" || fail "driver name not shown"
# Exactly one port: the sub-ports are owned, testpmd never sees them.
grep -q "ports=1 " "$out" || fail "testpmd did not forward on exactly one port"
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
tx=$(sed -n 's/.*TX-packets: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
[ -n "$rx" ] && [ "$rx" -gt 0 ] || fail "no packets received ($rx)"
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "no packets sent ($tx)"
grep -q "Tx path synthetic -> VF" "$out" || fail "never switched to the VF"
grep -q "Bye" "$out" || fail "testpmd did not quit cleanly"
echo "PASS: testpmd forwarded rx=$rx tx=$tx through net_failover"
