#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# fo-testpmd's control channel (--ctl) against a fake host (fake_host.py
# null): the guest connects, says HELLO, carries out VF_REMOVE (graceful:
# the failover port's VF is detached first, so Tx moves to synthetic),
# VF_ADD / VF_YANK of devices that probe at once, PING, and answers bad
# lines with ERR (--ctl-allow any: the host may probe any device). The guest runs non-interactive (macswap, a status line
# every second) and must exit 0 on SIGTERM.
# Usage: fo_testpmd_ctl.sh FO_TESTPMD PYTHON3 FAKE_HOST_PY
set -u
app=$1
python=$2
host=$3
dir=$(mktemp -d)
prefix="fo_app_ctl_$$"
# With EAL's runtime folder (root's, or XDG_RUNTIME_DIR's).
trap 'rm -rf "$dir" "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }

"$python" "$host" null "$dir/ctl.sock" >"$dir/host.out" 2>&1 &
hpid=$!
timeout -s KILL 90 "$app" --no-huge -m 512 --no-pci -l 0-1 \
	--file-prefix="$prefix" \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1,probe_interval_ms=60000' \
	-- --ctl "$dir/ctl.sock" --ctl-allow any --forward-mode macswap \
	--stats-period 1 \
	>"$dir/guest.out" 2>"$dir/guest.log" &
gpid=$!

wait $hpid
hrc=$?
# A status line on synthetic (after VF_REMOVE) before stopping the guest,
# 20 s at most.
i=0
while [ $i -lt 200 ] &&
	! grep -q '^status: .*Tx path synthetic' "$dir/guest.out"; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $gpid
wait $gpid
grc=$?

cat "$dir/host.out"
echo "--- guest ---"
cat "$dir/guest.out"
echo "--- guest stderr (DPDK log) ---"
cat "$dir/guest.log"
echo "=== checks ==="
[ $hrc -eq 0 ] && ok || fail "the host saw wrong or missing replies ($hrc)"
[ $grc -eq 0 ] && ok || fail "guest exit code $grc (want 0)"
grep -q '^Bye$' "$dir/guest.out" && ok || fail "guest: no clean exit"
grep -q '^ctl: > HELLO 0 ' "$dir/guest.out" && ok || fail "guest: no HELLO"
# VF_REMOVE of the held VF: detached first, Tx back on synthetic.
sed -n '/^ctl: < VF_REMOVE net_null1/,/^ctl: > OK VF_REMOVE/p' "$dir/guest.out" >"$dir/remove"
grep -q '^ctl: port 0: vf_detach: done' "$dir/remove" && ok || fail "VF_REMOVE: no vf_detach"
grep -q 'Tx path VF -> synthetic' "$dir/guest.out" && ok || fail "VF_REMOVE: the path did not move to synthetic"
grep -q 'removed without detach' "$dir/guest.out" && ok || fail "VF_REMOVE of another device: detached a VF"
grep -q '^status: port 0 rx [0-9.]*[kM]* tx [0-9.]*[kM]* pps .*Tx path synthetic' "$dir/guest.out" && ok ||
	fail "no status line on synthetic"
grep -q 'Forward statistics for port 0' "$dir/guest.out" && ok || fail "no stop summary"

echo "$checks passed, $fails failed"
[ $fails -eq 0 ]
