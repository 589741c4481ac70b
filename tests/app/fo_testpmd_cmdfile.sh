#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# fo-testpmd over a net_failover port with net_ring sub-ports (each a
# loopback: what it sends comes back), run twice:
#  1. --cmdline-file SCRIPT: good and bad commands; every line
#     "cmd #> RE1 #> RE2..." of SCRIPT must get an output line matching
#     each extended regular expression; txonly must see
#     its packets come back without loss across planned switches; io must
#     forward on an attached net_null port; the program must exit 0.
#  2. -i with commands piped on stdin, then end of input: the prompt,
#     errors for bad commands, a clean exit.
# Usage: fo_testpmd_cmdfile.sh FO_TESTPMD SCRIPT
set -u
app=$1
script=$2
out=$(mktemp)
# EAL's runtime folders of both runs (root's, or XDG_RUNTIME_DIR's).
rundirs="fo_app_cmdfile_$$ fo_app_interactive_$$"
cleanup() {
	rm -f "$out" "$out.blocks" "$out.log"
	for p in $rundirs; do
		rm -rf "/var/run/dpdk/$p" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$p"
	done
}
trap cleanup EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }

eal="--no-huge -m 512 --no-pci -l 0-1 --log-level=pmd.net.failover:info"
vdev='net_failover0,synthetic=net_ring0,vf=net_ring1,probe_interval_ms=5000'

# --- 1. command file ------------------------------------------------------
timeout -s KILL 120 "$app" $eal --file-prefix="fo_app_cmdfile_$$" \
	--vdev "$vdev" -- --cmdline-file "$script" >"$out" 2>"$out.log"
rc=$?
cat "$out"
echo "--- stderr (DPDK log) ---"
cat "$out.log"
echo "=== checks ==="
[ $rc -eq 0 ] && ok || fail "exit code $rc (want 0)"
grep -q '^Bye$' "$out" && ok || fail "no clean exit (Bye)"
grep -q "^End of $script" "$out" && ok || fail "the script was not read to its end"

# One block per echoed command: its line, then its output up to the next
# prompt. A command with " #> RE1 #> RE2..." needs a line matching each RE.
tr -d '\r' <"$out" | awk '
	function verdict(   k, all) {
		all = 1
		for (k = 1; k <= n; k++) if (!m[k]) all = 0
		print cmd "\t" (all ? "ok" : "FAIL")
	}
	/^fo-testpmd> / {
		if (cmd != "") verdict()
		cmd = ""; n = 0
		line = substr($0, 13)
		i = index(line, " #> ")
		if (i > 0 && substr(line, 1, 1) != "#") {
			cmd = substr(line, 1, i - 1)
			n = split(substr(line, i + 4), re, / #> /)
			for (k = 1; k <= n; k++) m[k] = 0
		}
		next
	}
	cmd != "" { for (k = 1; k <= n; k++) if ($0 ~ re[k]) m[k] = 1 }
	END { if (cmd != "") verdict() }
' >"$out.blocks"
want=$(grep -v '^#' "$script" | grep -c ' #> ')
got=$(wc -l <"$out.blocks")
[ "$got" -eq "$want" ] && ok || fail "$got checked commands echoed, $want in the script"
while IFS="$(printf '\t')" read -r cmd res; do
	if [ "$res" = ok ]; then ok; else fail "'$cmd': no output line matched"; fi
done <"$out.blocks"

# Packets really went through: txonly's stop summary, io's on net_null9.
tx=$(sed -n 's/^  RX-packets: *[0-9]* *TX-packets: *\([0-9]*\).*/\1/p' "$out" | sort -n | tail -n 1)
[ -n "$tx" ] && [ "$tx" -gt 1000 ] && ok || fail "txonly sent ${tx:-nothing}"
nullrx=$(sed -n '/(net_null9) ---/{n;s/^  RX-packets: *\([0-9]*\).*/\1/p;}' "$out")
[ -n "$nullrx" ] && [ "$nullrx" -gt 0 ] && ok || fail "io forwarded ${nullrx:-nothing} on net_null9"

# --- 2. interactive, commands piped ---------------------------------------
printf 'show config\nbogus command\nshow port stats 5\nstart\nsleep 300\nstop\n' |
	timeout -s KILL 60 "$app" $eal --file-prefix="fo_app_interactive_$$" \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1' -- -i \
	>"$out" 2>"$out.log"
rc=$?
cat "$out"
echo "--- stderr (DPDK log) ---"
cat "$out.log"
echo "=== checks ==="
[ $rc -eq 0 ] && ok || fail "interactive: exit code $rc (want 0)"
grep -q '^fo-testpmd> show config' "$out" && ok || fail "interactive: no prompt"
grep -q '^Command not found' "$out" && ok || fail "interactive: no error for 'bogus command'"
grep -q '^error: invalid port 5' "$out" && ok || fail "interactive: no error for port 5"
grep -q 'Forward statistics for port 0' "$out" && ok || fail "interactive: no stop summary"
grep -q '^Bye$' "$out" && ok || fail "interactive: no clean exit at end of input"

echo "$checks passed, $fails failed"
[ $fails -eq 0 ]
