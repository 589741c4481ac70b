#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The README's stock-testpmd command, run as written: taken from README.md
# (the block under "Use it with stock testpmd"), run from a directory
# whose build/ holds the driver, with "show port info 0", "start", "stop"
# and "quit" piped in. Fails if the command fails, if the port is not a
# net_failover port, or if nothing was forwarded.
# Usage: readme_testpmd.sh README.md LIBRTE_NET_FAILOVER_SO
set -eu
readme=$1
so=$2
. "$(dirname "$0")/safe_so.sh"

fail() { echo "FAIL: $*"; exit 1; }

# The shell block of the section, continuation lines joined, "make build"
# left out (the test suite runs on a build).
cmd=$(awk '
	/^## Use it with stock testpmd/ { sec = 1; next }
	sec && /^## / { exit }
	sec && /^```sh/ { blk = 1; next }
	blk && /^```/ { exit }
	blk { print }
' "$readme" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep -v '^make build$')
[ -n "$cmd" ] || fail "no command found in $readme"
case $cmd in
dpdk-testpmd*) ;;
*) fail "unexpected command: $cmd" ;;
esac
echo "README command: $cmd"

# $PWD/build/drivers/net/failover/librte_net_failover.so must exist, in
# a directory EAL accepts for -d.
fo_safe_so "$so"
top=$(mktemp -d "$(dirname "$(realpath "$fo_so")")/readme.XXXXXX" 2>/dev/null) ||
	fail "no private directory next to $fo_so"
out="$top/out.log"
trap 'rm -rf "$top"; fo_safe_so_cleanup' EXIT
mkdir -p "$top/build/drivers/net/failover"
cp "$fo_so" "$top/build/drivers/net/failover/librte_net_failover.so"

# wait_for TEXT SECONDS: until the output holds TEXT, or the time is up.
wait_for() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && ! grep -q "$1" "$out" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

rc=0
(
	cd "$top"
	{
		# Commands go when testpmd is ready for them: piped all at
		# once, a loaded machine would run "quit" before the VF's
		# settle time is over.
		wait_for "testpmd> " 30
		echo "show port info 0"
		echo "start"
		wait_for "Tx path synthetic -> VF" 20
		sleep 1; echo "stop"
		sleep 0.5; echo "quit"
	} | timeout 60 sh -c "$cmd" >"$out" 2>&1
) || rc=$?
cat "$out"
[ $rc -eq 0 ] || fail "the README's command exited with $rc"
grep -q "Driver name: net_failover" "$out" || fail "driver name not shown"
grep -q "Tx path synthetic -> VF" "$out" || fail "never switched to the VF"
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
[ -n "$rx" ] && [ "$rx" -gt 0 ] || fail "no packets forwarded ($rx)"
grep -q "Bye" "$out" || fail "testpmd did not quit cleanly"
echo "PASS: the README's testpmd command runs as written (rx=$rx)"
