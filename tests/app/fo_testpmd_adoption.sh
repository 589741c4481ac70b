#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# The adoption rules of net_failover, seen from an application that
# forwards on ports of its own (fo-testpmd, io forwarding on net_null0 and
# net_null1): a failover port refuses, naming the key and the device, a
# started port (the application's), a failover port (no nesting), itself
# (plain and bracketed) and a device no driver knows; each refusal leaves
# no port and no device behind, and the application's ports keep
# forwarding without a drop. Once at start-up (--vdev), once through
# hot-plug ("port attach", rte_dev_probe()).
# Usage: fo_testpmd_adoption.sh FO_TESTPMD
set -u
app=$1
top=$(mktemp -d)
prefix="fo_app_adopt_$$"
trap 'rm -rf "$top" /var/run/dpdk/${prefix}*' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
# has FILE TEXT: a line of FILE holds TEXT (fixed string).
has() { grep -qF -- "$2" "$1"; }
# fwd_ok OUT PORT: the port forwarded, nothing dropped.
fwd_ok() {
	sed -n "/Forward statistics for port $2 /,/TX-dropped/p" "$1" |
		grep -q 'RX-packets: *[1-9][0-9]* *TX-packets: *[1-9][0-9]* *TX-dropped: 0$'
}
run() {	# NAME CMDFILE EAL-ARGS...
	name=$1
	cmds=$2
	shift 2
	timeout -s KILL 60 "$app" --no-huge -m 512 --no-pci -l 0-1 \
		--file-prefix="${prefix}_$name" "$@" \
		-- --cmdline-file "$cmds" --auto-start \
		>"$top/$name.out" 2>"$top/$name.log"
	rc=$?
	echo "--- $name: stdout ---"
	cat "$top/$name.out"
	echo "--- $name: failover log ---"
	grep 'net_failover' "$top/$name.log"
	[ $rc -eq 0 ] && ok || fail "$name: exit code $rc"
}

# 1. At start-up.
cat >"$top/vdev.cmds" <<EOC
device detach net_null2
device detach net_null6
sleep 1
stop
quit
EOC
run vdev "$top/vdev.cmds" --vdev net_null0 --vdev net_null1 \
	--vdev 'net_failover1,synthetic=net_failover1' \
	--vdev 'net_failover3,synthetic=[net_failover3,synthetic=net_null6]' \
	--vdev 'net_failover0,synthetic=net_null5' \
	--vdev 'net_failover2,synthetic=net_null2,vf=net_failover0'
o="$top/vdev.out"
l="$top/vdev.log"
has "$l" "net_failover1: synthetic=net_failover1: device 'net_failover1' is this failover port itself" && ok ||
	fail "vdev: self-reference not refused by name"
has "$l" "net_failover3: synthetic=net_failover3: device 'net_failover3' is this failover port itself" && ok ||
	fail "vdev: bracketed self-reference not refused by name"
has "$l" "net_failover2: vf=net_failover0: device 'net_failover0' is a failover port" && ok ||
	fail "vdev: nesting not refused"
[ "$(grep -c '^Port [0-9]*: ' "$o")" -eq 3 ] && ok || fail "vdev: want exactly 3 ports set up"
has "$o" "Port 2: net_failover0, driver net_failover" && ok || fail "vdev: the valid failover port is missing"
has "$o" "error: no such device: net_null2" && ok || fail "vdev: net_null2 left behind"
has "$o" "error: no such device: net_null6" && ok || fail "vdev: net_null6 left behind"
for p in 0 1 2; do
	fwd_ok "$o" $p && ok || fail "vdev: port $p did not forward cleanly"
done

# 2. Hot-plug, while forwarding on net_null0 and net_null1.
cat >"$top/hp.cmds" <<EOC
port attach net_failover0,synthetic=net_null0,vf=net_null1
port attach net_failover0,synthetic=net_null3,vf=net_null1
port attach net_failover0,synthetic=net_failover0
port attach net_failover0,synthetic=[net_failover0]
port attach net_failover0,synthetic=net_null3,vf=net_failover5
port attach net_failover0,synthetic=net_bogus0
port attach net_bogus0
device detach net_null3
device detach net_failover0
port attach net_failover0,synthetic=net_null3
port attach net_failover1,synthetic=net_null4,vf=net_failover0
device detach net_null4
sleep 1
stop
quit
EOC
run hp "$top/hp.cmds" --vdev net_null0 --vdev net_null1
o="$top/hp.out"
l="$top/hp.log"
has "$l" "net_failover0: synthetic=net_null0: port 0 ('net_null0') is started" && ok ||
	fail "hot-plug: a started synthetic not refused"
has "$l" "net_failover0: vf=net_null1: port 1 ('net_null1') is started" && ok ||
	fail "hot-plug: a started VF not refused"
[ "$(grep -cF "net_failover0: synthetic=net_failover0: device 'net_failover0' is this failover port itself" "$l")" -eq 2 ] && ok ||
	fail "hot-plug: self-reference (plain and bracketed) not refused by name"
has "$l" "net_failover0: vf=net_failover5: device 'net_failover5' is a failover port" && ok ||
	fail "hot-plug: nesting a new failover device not refused"
has "$l" "net_failover1: vf=net_failover0: device 'net_failover0' is a failover port" && ok ||
	fail "hot-plug: nesting an existing failover port not refused"
has "$l" "net_failover0: synthetic=net_bogus0: no driver for device 'net_bogus0'" && ok ||
	fail "hot-plug: unknown sub-device driver not said"
has "$o" "error: port attach net_bogus0: no driver for this device" && ok ||
	fail "hot-plug: unknown driver not said"
has "$o" "error: no such device: net_null3" && ok || fail "hot-plug: net_null3 left behind by a refusal"
has "$o" "error: no such device: net_failover0" && ok || fail "hot-plug: a refused failover device left behind"
has "$o" "error: no such device: net_null4" && ok || fail "hot-plug: net_null4 left behind by a refusal"
has "$o" "net_failover0,synthetic=net_null3 probed: 1 new port(s)" && ok ||
	fail "hot-plug: a free sub-port was not adopted"
[ "$(grep -c '^Port [0-9]*: ' "$o")" -eq 3 ] && ok || fail "hot-plug: want exactly 3 ports set up"
for p in 0 1; do
	fwd_ok "$o" $p && ok || fail "hot-plug: port $p did not forward cleanly"
done

echo "$checks passed, $fails failed"
[ $fails -eq 0 ]
