#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# fo-hostsim at its edges, no guest needed:
#  1. a --script with bad lines (a MAC that is not one, a 5000-byte line,
#     a NUL, numbers out of range, an unknown command) is refused before
#     anything starts, each bad line named once;
#  2. a socket directory others may write into (/tmp) is refused; without
#     --dir, $XDG_RUNTIME_DIR/net_failover is created mode 0700;
#  3. a second control connection is refused ("ERR - busy") and the first
#     one stays up;
#  4. SIGINT ends it within 2 s.
# Usage: fo_hostsim_edges.sh FO_HOSTSIM PYTHON3
set -u
hostsim=$1
python=$2
top=$(mktemp -d)
prefix="fo_hs_edges_$$"
trap 'kill -KILL $hpid 2>/dev/null; rm -rf "$top" /var/run/dpdk/${prefix}*' EXIT
hpid=
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The exit budget after SIGINT: 2 s; meson gives sanitized builds more
# (FO_EXIT_BUDGET_MS), whose tear-down alone can take seconds on a
# loaded machine.
budget=${FO_EXIT_BUDGET_MS:-2000}
eal() { echo "-l 0-1 --no-huge -m 512 --no-pci --file-prefix=${prefix}_$1"; }

# 1. A bad script.
{
	echo "vf grant mac=zz"
	head -c 5000 /dev/zero | tr '\0' 'a'; echo
	printf 'vf\000grant\n'
	echo "flap 0"
	echo "sleep 99999999999"
	echo "vf grant mac=01:00:5e:00:00:01"
	echo "bogus"
	echo "sleep 10"
} >"$top/bad.txt"
mkdir -m 0700 "$top/d1"
timeout 30 "$hostsim" $(eal a) -- --dir "$top/d1" --script "$top/bad.txt" \
	>"$top/bad.out" 2>&1
rc=$?
cat "$top/bad.out" | grep -v '^EAL\|^TELEMETRY'
[ $rc -eq 2 ] && ok || fail "bad script: exit $rc (want 2)"
[ "$(grep -c "bad.txt:[0-9]*:" "$top/bad.out")" -eq 7 ] && ok ||
	fail "bad script: want 7 bad lines named"
[ "$(grep -c "line longer than 511 bytes" "$top/bad.out")" -eq 1 ] && ok ||
	fail "the 5000-byte line was not rejected whole, once"
grep -q "bad.txt:1: vf grant mac=zz" "$top/bad.out" && ok || fail "mac=zz accepted"
grep -q "bad.txt:3: a NUL" "$top/bad.out" && ok || fail "a NUL accepted"
grep -q "bad.txt:8" "$top/bad.out" && fail "a good line refused" || ok
[ ! -e "$top/d1/ctl.sock" ] && ok || fail "started with a bad script"

# 2. A directory others may write into; the default one.
timeout 30 "$hostsim" $(eal b) -- --dir /tmp >"$top/tmp.out" 2>&1
rc=$?
[ $rc -eq 2 ] && ok || fail "--dir /tmp: exit $rc (want 2)"
grep -q "writable by others" "$top/tmp.out" && ok || fail "--dir /tmp: no reason given"

mkdir -m 0700 "$top/xdg"
XDG_RUNTIME_DIR="$top/xdg" timeout -s KILL 60 "$hostsim" $(eal c) -- \
	--boot-timeout-ms 30000 >"$top/hs.out" 2>&1 &
hpid=$!
i=0
while [ $i -lt 200 ] && [ ! -S "$top/xdg/net_failover/ctl.sock" ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(stat -c %a "$top/xdg/net_failover" 2>/dev/null)" = 700 ] && ok ||
	fail "default directory not created mode 0700"

# 3. Two guests: the second is refused, the first keeps its connection.
"$python" - "$top/xdg/net_failover/ctl.sock" >"$top/py.out" 2>&1 <<'EOP'
import socket, sys
path = sys.argv[1]
c1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c1.connect(path)
c1.sendall(b'HELLO 0 02:fa:11:00:00:01\n')
c2 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c2.settimeout(5)
c2.connect(path)
got = b''
while True:
    d = c2.recv(4096)
    if not d:
        break
    got += d
print('second: %r' % got)
c1.settimeout(1)
try:
    d = c1.recv(4096)
    print('first: closed' if not d else 'first: %r' % d)
except socket.timeout:
    print('first: still connected')
EOP
cat "$top/py.out"
grep -q "^second: b'ERR - busy" "$top/py.out" && ok || fail "second connection not refused"
grep -q "^first: still connected" "$top/py.out" && ok || fail "the first connection was dropped"

# 4. SIGINT.
t0=$(now_ms)
kill -INT $hpid
wait $hpid
rc=$?
took=$(($(now_ms) - t0))
hpid=
grep -v '^EAL\|^TELEMETRY\|^VHOST' "$top/hs.out"
echo "SIGINT: exit in $took ms, code $rc"
[ "$took" -le "$budget" ] && ok || fail "took $took ms to exit after SIGINT (at most $budget)"
[ $rc -eq 130 ] && ok || fail "exit code $rc after SIGINT (want 130)"
grep -q "second control connection refused" "$top/hs.out" && ok || fail "refusal not logged"

echo "$checks passed, $fails failed"
[ $fails -eq 0 ]
