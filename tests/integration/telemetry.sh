#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# The telemetry commands of net_failover, queried with DPDK's own client
# (dpdk-telemetry.py) from another process: stock dpdk-testpmd loads the
# built .so and keeps a failover port over two net_null ports alive while
# the client asks /failover/list, /failover/info and ethdev's
# /ethdev/xstats, before and after the VF device is removed under the
# port ("device detach"). The answers are checked as JSON.
# Usage: telemetry.sh DPDK_TESTPMD LIBRTE_NET_FAILOVER_SO DPDK_TELEMETRY_PY
set -eu
testpmd=$1
so=$2
client=$3
. "$(dirname "$0")/safe_so.sh"
fo_safe_so "$so"
so=$fo_so
prefix="fo_telemetry_$$"
dir=$(mktemp -d)
fifo="$dir/stdin"
out="$dir/testpmd.log"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$dir"
	fo_safe_so_cleanup
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

# The runtime directory, as EAL and dpdk-telemetry.py compute it.
if [ -n "${RUNTIME_DIRECTORY:-}" ]; then
	run="$RUNTIME_DIRECTORY"
elif [ "$(id -u)" -eq 0 ]; then
	run=/var/run
else
	run="${XDG_RUNTIME_DIR:-/tmp}"
fi
sock="$run/dpdk/$prefix/dpdk_telemetry.v2"

vdev='net_failover0,synthetic=net_null0,vf=net_null1'
vdev="$vdev,vf_settle_ms=0,probe_interval_ms=100000"

# testpmd reads its commands from a FIFO that stays open until "quit".
mkfifo "$fifo"
# FO_TESTPMD_PRELOAD: sanitizer runtimes for a sanitized .so.
LD_PRELOAD="${FO_TESTPMD_PRELOAD:-}" timeout 60 \
	"$testpmd" -d "$so" --no-huge -m 512 --no-pci \
	--file-prefix="$prefix" --log-level=pmd.net.failover:info \
	--vdev "$vdev" \
	-- -i --total-num-mbufs=4096 <"$fifo" >"$out" 2>&1 &
pid=$!
exec 3>"$fifo"

i=0
while [ ! -S "$sock" ] || ! grep -q "Tx path synthetic -> VF" "$out"; do
	i=$((i + 1))
	[ $i -le 200 ] || fail "no telemetry socket $sock or no switch to the VF"
	kill -0 "$pid" 2>/dev/null || fail "testpmd exited"
	sleep 0.1
done

# Some traffic through the VF, then the questions.
echo "start" >&3
sleep 0.5
echo "stop" >&3
sleep 0.5
printf '/failover/list\n/failover/info,0\n/failover/info,1\n/failover/info\n' |
	timeout 20 python3 "$client" -f "$prefix" >"$dir/before.json" ||
	fail "telemetry client failed"

# The VF device is removed under the port (testpmd's own output is
# buffered: wait for the PMD's log, on stderr).
echo "device detach net_null1" >&3
i=0
while ! grep -q "VF_ACTIVE -> VF_GONE" "$out"; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "VF not detached"
	sleep 0.1
done
printf '/failover/info,0\n/ethdev/xstats,0\n' |
	timeout 20 python3 "$client" -f "$prefix" >"$dir/after.json" ||
	fail "telemetry client failed"

echo "quit" >&3
exec 3>&-
wait "$pid" || fail "testpmd exited with $?"
pid=

echo "--- before"; cat "$dir/before.json"
echo "--- after"; cat "$dir/after.json"
python3 - "$dir/before.json" "$dir/after.json" <<'EOF' || fail "bad answers"
import json
import sys

before = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
after = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(before) == 4 and len(after) == 2, (before, after)

assert before[0] == {"/failover/list": [0]}, before[0]

info = before[1]["/failover/info"]
assert info["port_id"] == 0 and info["name"] == "net_failover0", info
assert info["state"] == "VF_ACTIVE" and info["active_path"] == "vf", info
assert info["vf_settle_ms"] == 0 and info["probe_interval_ms"] == 100000
assert info["synthetic"] == {"present": 1, "port_id": 1,
                             "name": "net_null0"}, info["synthetic"]
assert info["vf"] == {"present": 1, "port_id": 2, "name": "net_null1"}
c = info["counters"]
assert c["switches"] == 1 and c["switch_to_vf"] == 1, c
assert c["switch_to_synthetic"] == 0 and c["vf_detach"] == 0, c
assert c["vf_attach"] == 1 and c["vf_refused"] == 0, c
# io forwarding on net_null: everything received is sent back, on the VF
assert c["rx_vf_packets"] > 0 and c["tx_vf_packets"] > 0, c
assert c["tx_synthetic_packets"] == 0, c
assert c["time_on_vf_ms"] > 0 and c["events_coalesced"] == 0, c
assert info["last_event"]["reason"] == "VF settled", info["last_event"]
assert info["last_event"]["time_ns"] > 0

# not a failover port, no port: no answer
assert before[2] == {"/failover/info": None}, before[2]
assert before[3] == {"/failover/info": None}, before[3]

gone = after[0]["/failover/info"]
assert gone["state"] == "VF_GONE" and gone["active_path"] == "synthetic"
assert gone["vf"] == {"present": 0, "port_id": 65535, "name": ""}, gone
g = gone["counters"]
assert g["switches"] == 2 and g["switch_to_synthetic"] == 1, g
assert g["vf_attach"] == 1 and g["vf_detach"] == 1, g
# what the VF carried stays counted
assert g["rx_vf_packets"] == c["rx_vf_packets"], (g, c)
assert g["tx_vf_packets"] == c["tx_vf_packets"], (g, c)
assert gone["last_event"]["time_ns"] > info["last_event"]["time_ns"]

# ethdev's telemetry shows the xstats: ours, then both sub-ports', the VF
# reporting its last totals while it is away
x = after[1]["/ethdev/xstats"]
for k, v in g.items():
    if k not in ("time_on_vf_ms", "last_switch_latency_ns"):
        assert x[k] == v, (k, x[k], v)
assert x["vf_rx_good_packets"] == g["rx_vf_packets"], x
assert x["vf_tx_good_packets"] == g["tx_vf_packets"], x
assert x["synthetic_rx_good_packets"] == g["rx_synthetic_packets"], x
assert x["rx_good_packets"] == g["rx_vf_packets"] + g["rx_synthetic_packets"]
print("telemetry answers checked")
EOF
grep -q "Device net_null1 is detached" "$out" || fail "VF not detached"
grep -q "Bye" "$out" || fail "testpmd did not quit cleanly"
echo "PASS: /failover/list, /failover/info and /ethdev/xstats through dpdk-telemetry.py"
