#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# fo-testpmd's control channel against a hostile host (fake_host.py
# hostile), with the default policy: every line is answered (empty, NUL,
# control bytes, 5000 bytes), devargs outside the allowlist are refused
# and never probed (no pcap file written), a VF_ADD whose virtio-user
# server never gets its peer is abandoned in bounded time, and SIGINT
# ends the guest within 2 s while such a VF_ADD is in progress. Then the
# console: a "port attach" of such a server is abandoned too, and "quit"
# during one ends the program within 2 s; a "port attach" waiting behind a
# VF_ADD nobody answers does not keep SIGINT from ending the program.
# Usage: fo_testpmd_ctl_hostile.sh FO_TESTPMD PYTHON3 FAKE_HOST_PY
set -u
app=$1
python=$2
host=$3
top=$(mktemp -d)
dir="$top/ctl"		# created by fo-testpmd, mode 0700
prefix="fo_app_hostile_$$"
trap 'rm -rf "$top" /var/run/dpdk/${prefix}*' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The exit budget after SIGINT: 2 s; meson gives sanitized builds more
# (FO_EXIT_BUDGET_MS), whose tear-down alone can take seconds on a
# loaded machine.
budget=${FO_EXIT_BUDGET_MS:-2000}

# wait_for FILE TEXT SECONDS
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ] && ! grep -q "$2" "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "$2" "$1" 2>/dev/null
}

# 1. The control channel.
mkdir -p "$top/hostdir"
timeout -s KILL 90 "$app" --no-huge -m 512 --no-pci -l 0-1 \
	--file-prefix="$prefix" \
	--vdev 'net_failover0,synthetic=net_null0' \
	-- --ctl "$dir/ctl.sock" --ctl-probe-timeout-ms 3000 \
	--forward-mode io --stats-period 1 \
	>"$top/guest.out" 2>"$top/guest.log" &
gpid=$!
# The guest made the directory: the host listens in it.
wait_for "$top/guest.out" "waiting for the host\|created the control" 20
"$python" "$host" hostile "$dir/ctl.sock" "$dir" >"$top/host.out" 2>&1 &
hpid=$!
if wait_for "$top/host.out" "host: pending" 60; then
	sleep 0.5
	t0=$(now_ms)
	kill -INT $gpid
	wait $gpid
	grc=$?
	took=$(($(now_ms) - t0))
else
	fail "the host never got to its pending VF_ADD"
	kill -KILL $gpid
	wait $gpid
	grc=$?
	took=0
fi
wait $hpid
hrc=$?

cat "$top/host.out"
echo "--- guest ---"
cat "$top/guest.out"
echo "--- guest stderr (DPDK log) ---"
tail -n 30 "$top/guest.log"
echo "=== checks: control channel ==="
[ "$(stat -c %a "$dir")" = 700 ] && ok || fail "control directory mode $(stat -c %a "$dir") (want 700)"
[ $hrc -eq 0 ] && ok || fail "the host saw wrong, late or missing replies ($hrc)"
[ $grc -eq 0 ] && ok || fail "guest exit code $grc after SIGINT (want 0)"
[ "$took" -le "$budget" ] && ok || fail "guest took $took ms to exit after SIGINT (at most $budget)"
echo "SIGINT during a pending VF_ADD: exit in $took ms"
grep -q '^Bye$' "$top/guest.out" && ok || fail "guest: no clean exit"
[ ! -e "$dir/x.pcap" ] && ok || fail "a refused net_pcap VF_ADD wrote its file"
grep -q 'net_pcap' "$top/guest.log" && fail "net_pcap was probed" || ok

# 2. The console: "port attach" of a server nobody connects to is
# abandoned after the probe timeout; SIGINT during another one ends the
# program within 2 s.
mkdir -m 0700 "$top/con"
run_console() {	# TIMEOUT_MS FILE-PREFIX-SUFFIX QUIT(yes|no)
	{
		echo "port attach net_virtio_user4,path=$top/con/vf4.sock,server=1"
		echo "device detach net_virtio_user4"
		[ "$3" = yes ] && echo "quit"
	} >"$top/cmds"
	timeout -s KILL 60 "$app" --no-huge -m 512 --no-pci -l 0-1 \
		--file-prefix="${prefix}_$2" \
		--vdev 'net_failover0,synthetic=net_null0' \
		-- --cmdline-file "$top/cmds" --ctl-probe-timeout-ms "$1" \
		>"$top/con$2.out" 2>"$top/con$2.log" &
	cpid=$!
}
run_console 1000 a yes
wait $cpid
crc=$?
echo "--- console, attach abandoned ---"
cat "$top/cona.out"
[ $crc -eq 0 ] && ok || fail "console run exited with $crc"
grep -q "port attach net_virtio_user4.*no peer in 1000 ms: abandoned" "$top/cona.out" && ok ||
	fail "port attach of a server without peer was not abandoned"
grep -q "error: no such device: net_virtio_user4" "$top/cona.out" && ok ||
	fail "an abandoned attach left its device behind"

run_console 30000 b no
wait_for "$top/conb.out" "Reading commands" 20
sleep 1
t0=$(now_ms)
kill -INT $cpid
wait $cpid
crc=$?
took=$(($(now_ms) - t0))
echo "--- console, SIGINT during attach ---"
cat "$top/conb.out"
echo "SIGINT during a pending port attach: exit in $took ms"
[ $crc -eq 0 ] && ok || fail "exit code $crc after SIGINT during port attach"
[ "$took" -le "$budget" ] && ok || fail "took $took ms to exit after SIGINT (at most $budget)"
grep -q '^Bye$' "$top/conb.out" && ok || fail "no clean exit after SIGINT"

# 3. The console waits for the control channel's hot-plug without a lock:
# a "port attach" behind a VF_ADD nobody answers waits, and SIGINT ends
# the program within the budget all the same.
mkdir -m 0700 "$top/c3"
printf 'sleep 1500\nport attach net_null9\n' >"$top/c3.cmds"
"$python" - "$top/c3/ctl.sock" "$top/c3" >"$top/c3host.out" 2>&1 <<'EOP' &
import os, socket, sys, time
path, d = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(30)
c, _ = srv.accept()
c.settimeout(30)
print('host: < ' + c.recv(4096).decode().strip(), flush=True)
c.sendall(('VF_ADD net_virtio_user7,path=%s/vf7.sock,server=1\n' % d).encode())
print('host: pending', flush=True)
try:
    while c.recv(4096):
        pass
except OSError:
    pass
EOP
h3=$!
timeout -s KILL 60 "$app" --no-huge -m 512 --no-pci -l 0-1 \
	--file-prefix="${prefix}_c" \
	--vdev 'net_failover0,synthetic=net_null0' \
	-- --ctl "$top/c3/ctl.sock" --ctl-probe-timeout-ms 30000 \
	--cmdline-file "$top/c3.cmds" >"$top/c3.out" 2>"$top/c3.log" &
cpid=$!
if wait_for "$top/c3.out" "waiting for a hot-plug in progress" 30; then
	sleep 0.5
	t0=$(now_ms)
	kill -INT $cpid
	wait $cpid
	crc=$?
	took=$(($(now_ms) - t0))
	ok
else
	fail "port attach did not wait for the pending VF_ADD"
	kill -KILL $cpid
	wait $cpid
	crc=$?
	took=0
fi
wait $h3
echo "--- console behind a pending VF_ADD ---"
cat "$top/c3host.out" "$top/c3.out"
echo "SIGINT while port attach waits for a VF_ADD: exit in $took ms"
[ $crc -eq 0 ] && ok || fail "exit code $crc after SIGINT behind a VF_ADD"
[ "$took" -le "$budget" ] && ok || fail "took $took ms to exit after SIGINT (at most $budget)"
grep -q '^Bye$' "$top/c3.out" && ok || fail "no clean exit after SIGINT behind a VF_ADD"

echo "$checks passed, $fails failed"
[ $fails -eq 0 ]
