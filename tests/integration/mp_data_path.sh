#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Issue 11, item 4: a secondary process forwards through the failover
# port while the primary, which never polls those queues, CHURN times
# (default 500) switches Tx to the synthetic port and back, then detaches
# the VF and waits until it is re-probed and active again. The sub-ports are loop-back
# net_ring ports (what is sent on one comes back on it), so the
# secondary's own sequence-numbered packets come back through whatever
# path is active: every one must come back exactly once (the detaches are
# graceful: no loss is allowed), no process may crash, and no mbuf of the
# primary's pool may stay in use. Hugepages are reserved here (skip, 77,
# when impossible).
#
# Usage: mp_data_path.sh FO_MP_PRIMARY FO_MP_SECONDARY [CHURN]
set -u
primary=$1
secondary=$2
churn=${3:-500}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

. "$(dirname "$0")/../../scripts/hugepages.sh"
why=$(hugepages_unusable 256)
[ -z "$why" ] || skip "no hugepages for a primary with secondaries: $why"
dir=$(mktemp -d)
prefix=fo_mpdp_$$
ppid_=""
spid=""
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$ppid_" ] && kill "$ppid_" 2>/dev/null && wait "$ppid_" 2>/dev/null
	rm -rf "$dir" "/var/run/dpdk/$prefix"
}
trap cleanup EXIT

mkfifo "$dir/cmd"
"$primary" -l 0-1 -m 128 --no-pci --file-prefix=$prefix \
	--base-virtaddr=0x200000000000 \
	--vdev 'net_failover0,synthetic=net_ring0,vf=net_ring1,mp_data_path=1,probe_interval_ms=10,vf_settle_ms=0' \
	--vdev net_null9 --log-level=pmd.net.failover:notice \
	<"$dir/cmd" >"$dir/primary.out" 2>"$dir/primary.err" &
ppid_=$!
exec 3>"$dir/cmd"
nlines=0
cmd() {
	echo "$1" >&3
	nlines=$((nlines + 1))
	for _ in $(seq 6000); do
		[ "$(grep -c '^OK\|^ERR' "$dir/primary.out")" -ge $nlines ] && break
		kill -0 $ppid_ 2>/dev/null || break
		sleep 0.1
	done
	answer=$(grep '^OK\|^ERR' "$dir/primary.out" | sed -n "${nlines}p")
	echo "primary: $1 -> $answer"
	case $answer in OK*) ;; *) cat "$dir/primary.err"; fail "primary: $1: $answer" ;; esac
}
for _ in $(seq 100); do
	grep -q READY "$dir/primary.out" && break
	kill -0 $ppid_ 2>/dev/null || break
	sleep 0.1
done
grep -q READY "$dir/primary.out" || { cat "$dir/primary.err"; fail "primary did not start"; }

# The secondary's lcore id differs from the primary's: mempool caches are
# per lcore id, shared between processes.
"$secondary" --proc-type=secondary --file-prefix=$prefix --lcores '7@(0-1)' \
	--log-level=pmd.net.failover:notice -- traffic "$dir/stop" \
	>"$dir/secondary.out" 2>&1 &
spid=$!
for _ in $(seq 100); do
	grep -q TRAFFIC "$dir/secondary.out" && break
	kill -0 $spid 2>/dev/null || break
	sleep 0.1
done
grep -q TRAFFIC "$dir/secondary.out" || { cat "$dir/secondary.out"; fail "secondary did not start"; }
sleep 0.5
cmd "churn $churn"
touch "$dir/stop"
wait $spid
rc=$?
spid=""
grep -v '^EAL' "$dir/secondary.out"
[ $rc -eq 0 ] || fail "secondary exited with $rc"
cmd "stats $dir/stats.txt"
x() { sed -n "s/^xstat $1 //p" "$dir/stats.txt" | head -n 1; }
echo "primary: vf_detach=$(x vf_detach) switches=$(x switches)" \
	"tx_vf_packets=$(x tx_vf_packets)" \
	"tx_synthetic_packets=$(x tx_synthetic_packets)" \
	"rx_vf_packets=$(x rx_vf_packets) rx_synthetic_packets=$(x rx_synthetic_packets)" \
	"quarantined=$(x quarantined)"
[ "$(x vf_detach)" -ge "$churn" ] || fail "the VF churned $(x vf_detach) times"
[ "$(x switches)" -ge $((4 * churn)) ] || fail "$(x switches) switches for $churn churns"
[ "$(x tx_vf_packets)" -gt 0 ] && [ "$(x tx_synthetic_packets)" -gt 0 ] ||
	fail "traffic did not use both paths"
cmd "mbufs"
case $answer in "OK in_use=0") ;; *) fail "mbufs of the primary left in use: $answer" ;; esac
echo quit >&3
exec 3>&-
wait $ppid_
rc=$?
ppid_=""
[ $rc -eq 0 ] || { cat "$dir/primary.err"; fail "primary exited with $rc"; }
grep -q "OK bye in_use=0" "$dir/primary.out" || fail "primary: $(tail -n 1 "$dir/primary.out")"
echo "PASS: a secondary forwarded through the failover port across $churn VF churns"
