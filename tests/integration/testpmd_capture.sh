#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Issue 11: dpdk-dumpcap against stock dpdk-testpmd forwarding on a
# failover port and on a bare net_null port (the control), with hugepages.
#
# Debian's testpmd links librte_mempool_dpaa directly (through
# librte_net_dpaa), so its mempool drivers are registered in another order
# than in dumpcap, which loads them all from the plugin directory; the
# primary then copies each packet into dumpcap's pool through the wrong
# driver: dumpcap reports every packet as dropped, or, when the index
# lands on the dpaa2 driver, testpmd's forwarding lcore fails ("Failed to
# allocate IO portal") and testpmd exits. So dumpcap is run here only with
# the driver libraries testpmd links preloaded, and must capture both
# ports; testpmd must still quit cleanly after.
#
# Usage: testpmd_capture.sh DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO
# Environment: FO_TESTPMD_PRELOAD, sanitizer runtimes for the stock tools.
set -u
testpmd=$1
so=$2
here=$(dirname "$0")
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# The dumpcap of the DPDK under test (a minimal DPDK build may have none).
dumpcap_bin=${FO_DPDK_BINDIR:-/usr/bin}/dpdk-dumpcap
[ -x "$dumpcap_bin" ] || skip "no $dumpcap_bin (this DPDK's programs)"
. "$here/../../scripts/hugepages.sh"
why=$(hugepages_unusable 256)
[ -z "$why" ] || skip "no hugepages for a primary with secondaries: $why"
. "$here/safe_so.sh"
fo_safe_so "$so"
so=$fo_so
dir=$(mktemp -d)
prefix=fo_tpcap_$$
tpid=""
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	rm -rf "$dir" "/var/run/dpdk/$prefix"
	fo_safe_so_cleanup
}
trap cleanup EXIT
pre=${FO_TESTPMD_PRELOAD:-}

mkfifo "$dir/cmd"
LD_PRELOAD=$pre stdbuf -oL "$testpmd" -d "$so" -l 0-1 -m 256 --no-pci \
	--file-prefix=$prefix --base-virtaddr=0x200000000000 \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1' \
	--vdev net_null9 -- -i --total-num-mbufs=8192 \
	<"$dir/cmd" >"$dir/testpmd.out" 2>&1 &
tpid=$!
exec 3>"$dir/cmd"
for _ in $(seq 100); do
	grep -q "testpmd>" "$dir/testpmd.out" && break
	sleep 0.1
done

# dumpcap NAME PRELOAD: capture NAME while testpmd forwards for 0.3 s,
# print the counts. Forwarding stops before the capture does: DPDK
# 22.11's pdump removes its callbacks without waiting for the bursts
# running them, which then write into the pool the exiting dumpcap frees
# (testpmd on bare net_null ports died that way here, 1 run in 4).
dumpcap() {
	local name=$1 mp=$2 dpid
	LD_PRELOAD=${pre:+$pre:}${mp:+$mp:}$so \
		timeout --preserve-status -s INT 60 "$dumpcap_bin" \
		--file-prefix=$prefix -i "$name" -s 64 -w "$dir/$name.pcapng" \
		>"$dir/dumpcap.out" 2>&1 &
	dpid=$!
	# dumpcap prints this once it captures.
	for _ in $(seq 100); do
		grep -q "Packets captured:" "$dir/dumpcap.out" && break
		sleep 0.1
	done
	echo "start" >&3
	sleep 0.3
	echo "stop" >&3
	sleep 0.5
	kill -INT $dpid
	wait $dpid || { cat "$dir/dumpcap.out" >&2; fail "dumpcap on $name"; }
	sed -n "s/.*received\/dropped on interface '$name': \([0-9]*\)\/\([0-9]*\).*/\1 \2/p" \
		"$dir/dumpcap.out"
}

# The driver libraries testpmd links directly, in its order: preloading
# only librte_mempool_dpaa lets the capture work but testpmd still died
# here (process_portal_map(): Unknown error -19) when dumpcap left.
mempool_libs=$(ldd "$testpmd" |
	awk '/librte_(bus|common|mempool|net)_/ { print $3 }' | tr '\n' ':')
mempool_libs=${mempool_libs%:}
echo "driver libraries testpmd links directly: ${mempool_libs:-none}"

for name in net_failover0 net_null9; do
	read -r recv drop <<<"$(dumpcap $name "$mempool_libs")"
	echo "$name, dumpcap with testpmd's driver libraries: received/dropped $recv/$drop"
	[ -n "$recv" ] && [ "$recv" -gt "$drop" ] && [ "$recv" -ge 1000 ] ||
		{ cat "$dir/dumpcap.out"; fail "$name: $recv packets captured"; }
	size=$(stat -c %s "$dir/$name.pcapng")
	[ "$size" -gt $(((recv - drop) * 64)) ] ||
		fail "$name: capture file of $size bytes for $((recv - drop)) packets"
done
kill -0 $tpid 2>/dev/null || { tail -n 20 "$dir/testpmd.out"; fail "testpmd died during the captures"; }
echo "quit" >&3
exec 3>&-
wait $tpid
rc=$?
tpid=""
[ $rc -eq 0 ] || { tail -n 20 "$dir/testpmd.out"; fail "testpmd exited with $rc"; }
grep -q "Bye" "$dir/testpmd.out" || fail "testpmd did not quit cleanly"
# (testpmd's output reaches the file when it exits.)
grep -q "ports=2 " "$dir/testpmd.out" ||
	{ cat "$dir/testpmd.out"; fail "testpmd did not forward on exactly 2 ports"; }
echo "PASS: dumpcap captured the failover port and the control port of stock testpmd"
