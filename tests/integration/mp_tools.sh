#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Issue 11: DPDK's own secondary tools against a failover port. A primary
# (fo_mp_primary) forwards on net_failover0 (over net_null sub-ports) and
# on a bare net_null9, the control. Then:
#  - dpdk-proc-info --stats/--xstats show exactly the two ports (the
#    sub-ports stay hidden) with the primary's own figures and xstats
#    names; --stats-reset is refused (primary only) and resets nothing;
#  - dpdk-dumpcap and dpdk-pdump capture Rx and Tx of both ports while
#    the primary forwards and detaches/re-probes the VF; the Tx packets
#    carry the primary's tags and sequence numbers, checked one by one;
#  - no mbuf of the primary's pool is left in use.
# Hugepages are reserved here (a secondary cannot attach to a --no-huge
# primary); the test is skipped (77) when that is impossible.
#
# An application's own secondary (fo_mp_secondary) reads link, dev_info,
# rte_pmd_failover_info_get() as the primary does, and every primary-only
# operation is refused with -E_RTE_SECONDARY.
#
# Usage: mp_tools.sh FO_MP_PRIMARY FO_MP_SECONDARY LIBRTE_NET_FAILOVER_SO
# Environment: FO_TOOLS_PRELOAD, sanitizer runtimes for the stock tools.
set -u
primary=$1
secondary=$2
so=$3
here=$(dirname "$0")
top=$here/../..
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# The tools of the DPDK under test (a minimal DPDK build may have none).
bindir=${FO_DPDK_BINDIR:-/usr/bin}
for t in dpdk-proc-info dpdk-dumpcap dpdk-pdump; do
	[ -x "$bindir/$t" ] || skip "$t not in $bindir (this DPDK's programs)"
done
. "$top/scripts/hugepages.sh"
why=$(hugepages_unusable 256)
[ -z "$why" ] || skip "no hugepages for a primary with secondaries: $why"

. "$here/safe_so.sh"
fo_safe_so "$so"
so=$fo_so
dir=$(mktemp -d)
prefix=fo_mp_$$
ppid_=""
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$ppid_" ] && kill "$ppid_" 2>/dev/null && wait "$ppid_" 2>/dev/null
	rm -rf "$dir" "/var/run/dpdk/$prefix"
	fo_safe_so_cleanup
}
trap cleanup EXIT

# The stock tools, as secondaries of our primary, with the driver loaded:
# with EAL's -d where the tool passes EAL options on; dpdk-dumpcap builds
# its own EAL arguments, so the driver is preloaded into it instead.
tool() {
	local t=$1
	shift
	LD_PRELOAD=${FO_TOOLS_PRELOAD:-} timeout 60 "$t" -d "$so" \
		--file-prefix=$prefix --log-level=pmd.net.failover:info "$@"
}
# Captures run until SIGINT (timeout passes ours on). DPDK 22.11's pdump
# removes its callbacks without waiting for bursts still running them,
# which then write into the pool and ring the exiting tool frees: stock
# testpmd forwarding on bare net_null ports died that way here (1 run in
# 4). So forwarding stops before a capture does.
# (exec: run in the background, $! is then timeout itself.)
dumpcap() {
	LD_PRELOAD=${FO_TOOLS_PRELOAD:+$FO_TOOLS_PRELOAD:}$so \
		exec timeout --preserve-status -s INT 60 \
		"$bindir/dpdk-dumpcap" --file-prefix=$prefix "$@"
}
# capture_stop PID OUT: stop forwarding, then the capture.
capture_stop() {
	cmd "fwd off"
	kill -INT "$1"
	wait "$1" || { cat "$2"; fail "capture tool exited with $?"; }
}

mkfifo "$dir/cmd"
# The secondaries map the primary's memory at the same addresses: put it
# far from where their libraries and (under ASan) shadow memory go, else
# a secondary fails now and then with "Cannot reserve ... please use
# '--base-virtaddr'".
"$primary" -l 0-1 -m 128 --no-pci --file-prefix=$prefix \
	--base-virtaddr=0x200000000000 \
	--vdev 'net_failover0,synthetic=net_null0,vf=net_null1,probe_interval_ms=10,vf_settle_ms=0' \
	--vdev net_null9 --log-level=pmd.net.failover:info \
	<"$dir/cmd" >"$dir/primary.out" 2>"$dir/primary.err" &
ppid_=$!
exec 3>"$dir/cmd"

# cmd LINE: send a command to the primary, wait for its answer line.
nlines=0
cmd() {
	echo "$1" >&3
	nlines=$((nlines + 1))
	for _ in $(seq 600); do
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
grep READY "$dir/primary.out"

# ---- proc-info: figures and names equal to the primary's -----------------
cmd "fwd on"
sleep 1
cmd "fwd off"
cmd "stats $dir/primary.txt"
tool "$bindir/dpdk-proc-info" -- --stats >"$dir/stats.out" 2>&1 || { cat "$dir/stats.out"; fail "proc-info --stats"; }
tool "$bindir/dpdk-proc-info" -- --xstats >"$dir/xstats.out" 2>&1 || { cat "$dir/xstats.out"; fail "proc-info --xstats"; }
python3 - "$dir/primary.txt" "$dir/stats.out" "$dir/xstats.out" <<'EOF' || fail "proc-info figures differ from the primary's"
import re, sys
prim = {}
port = None
for line in open(sys.argv[1]):
    w = line.split()
    if w[0] == 'info':
        continue
    if w[0] == 'port':
        port = w[1]; prim[port] = {'stat': {}, 'xstat': []}
    elif w[0] == 'stat':
        prim[port]['stat'][w[1]] = int(w[2])
    else:
        prim[port]['xstat'].append((w[1], int(w[2])))
names = list(prim)
# proc-info lists the ports in port id order: failover then control.
stats = re.findall(r'NIC statistics for port (\d+).*?RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)',
                   open(sys.argv[2]).read(), re.S)
print('proc-info --stats:', stats)
assert len(stats) == 2, 'expected exactly 2 ports (sub-ports hidden), got %d' % len(stats)
for (pid, rx, tx), name in zip(stats, names):
    p = prim[name]['stat']
    print('  %s: proc-info rx=%s tx=%s, primary rx=%d tx=%d' % (name, rx, tx, p['ipackets'], p['opackets']))
    assert int(rx) == p['ipackets'] and int(tx) == p['opackets'] and int(rx) > 0
sections = re.split(r'###### NIC extended statistics for port \d+', open(sys.argv[3]).read())[1:]
assert len(sections) == 2, 'expected 2 xstats sections, got %d' % len(sections)
for sec, name in zip(sections, names):
    got = re.findall(r'^(\w+): (\d+)$', sec, re.M)
    want = prim[name]['xstat']
    print('  %s: %d xstats from proc-info, %d in the primary' % (name, len(got), len(want)))
    assert [g[0] for g in got] == [w[0] for w in want], 'xstats names differ'
    for (n, v), (_, pv) in zip(got, want):
        # time_on_vf_ms is a gauge that runs while the VF is active.
        if n != 'time_on_vf_ms':
            assert int(v) == pv, '%s: %s != %d' % (n, v, pv)
print('proc-info: same ports, figures and xstats as the primary')
EOF
fo_xs=$(grep -c '^xstat' "$dir/primary.txt")
grep -q "xstat vf_detach 0" "$dir/primary.txt" || fail "unexpected vf_detach before churn"

# A reset from a secondary is refused, and resets nothing.
tool "$bindir/dpdk-proc-info" -- --stats-reset >"$dir/reset.out" 2>&1
grep -q "statistics reset: primary process only" "$dir/reset.out" ||
	{ cat "$dir/reset.out"; fail "no refusal of the reset in the secondary"; }
cmd "stats $dir/primary2.txt"
# (The bare control port is reset: net_null lets a secondary do that.)
fo_stats() { sed -n '/^port net_failover0/,/^port /p' "$1" | grep '^x*stat'; }
cmp -s <(fo_stats "$dir/primary.txt" | grep -v time_on_vf_ms) \
	<(fo_stats "$dir/primary2.txt" | grep -v time_on_vf_ms) ||
	fail "a secondary's stats reset changed the failover port's statistics"
echo "proc-info --stats-reset: refused in the secondary, primary unchanged ($fo_xs xstats lines)"

# ---- capture while forwarding and churning the VF ----------------------
# capture_check KIND FILE PORT_INDEX: packets, both directions, Tx tags.
capture_check() {
	python3 - "$@" <<'EOF'
import struct, sys
kind, path, idx = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, 'rb').read()
pkts = []  # (direction or None, bytes)
if kind == 'pcapng':
    off = 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        if blen < 12:
            break
        if btype == 6:
            caplen = struct.unpack_from('<I', data, off + 20)[0]
            pkt = data[off + 28: off + 28 + caplen]
            o = off + 28 + (caplen + 3) // 4 * 4
            d = None
            while o + 4 <= off + blen - 4:
                code, olen = struct.unpack_from('<HH', data, o)
                if code == 0:
                    break
                if code == 2 and olen == 4:
                    d = struct.unpack_from('<I', data, o + 4)[0] & 3
                o += 4 + (olen + 3) // 4 * 4
            pkts.append((d, pkt))
        off += blen
else:
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack_from('<I', data, off + 8)[0]
        pkts.append((None, data[off + 16: off + 16 + incl]))
        off += 16 + incl
tagged = [p for d, p in pkts if len(p) >= 27 and p[12:14] == b'\x88\xb5' and p[14:18] == b'FOMP' and p[18] == idx]
seqs = [struct.unpack_from('<Q', p, 19)[0] for p in tagged]
if kind == 'pcapng':
    rx = sum(1 for d, _ in pkts if d == 1)
    tx = [p for d, p in pkts if d == 2]
    bad = [p for p in tx if p[14:18] != b'FOMP' or p[18] != idx]
    print('  %s: %d packets, %d inbound, %d outbound, %d outbound untagged' % (path.split('/')[-1], len(pkts), rx, len(tx), len(bad)))
    assert rx > 0 and len(tx) > 0 and not bad
else:
    print('  %s: %d packets, %d tagged' % (path.split('/')[-1], len(pkts), len(tagged)))
    assert len(pkts) > 0
    if path.endswith('tx.pcap'):
        assert len(tagged) == len(pkts), 'untagged packets in a Tx capture'
# A capture keeps the order of the port's Tx: sequence numbers only grow.
assert all(b > a for a, b in zip(seqs, seqs[1:])), 'Tx sequence numbers out of order'
if seqs:
    print('    Tx seq %d..%d, %d captured, increasing' % (seqs[0], seqs[-1], len(seqs)))
    # With the number the tool dropped: every other Tx packet is there (a
    # graceful VF detach loses none).
    if len(sys.argv) > 4:
        missing = seqs[-1] - seqs[0] + 1 - len(seqs)
        assert missing <= int(sys.argv[4]), '%d Tx packets missing, %s dropped by the tool' % (missing, sys.argv[4])
EOF
}

# The VF the primary re-probes is attached in every secondary: owned
# already when a secondary's NEW callback sees it.
LD_PRELOAD=${FO_TOOLS_PRELOAD:-} timeout 60 "$secondary" --proc-type=secondary \
	--file-prefix=$prefix -- watch 4 >"$dir/watch.out" 2>&1 &
wpid=$!
for _ in $(seq 100); do
	grep -q WATCHING "$dir/watch.out" && break
	sleep 0.1
done
cmd "churn 5"
wait $wpid || { cat "$dir/watch.out"; fail "a secondary saw an unowned VF"; }
grep '^watch' "$dir/watch.out"

# Slow: at most 32 packets per port and millisecond, captures stay small.
for ifc in net_failover0:0 net_null9:1; do
	name=${ifc%:*}
	idx=${ifc#*:}
	# The VF churns while dumpcap captures.
	cmd "fwd slow"
	dumpcap -i $name -s 64 -w "$dir/$name.pcapng" \
		>"$dir/dumpcap_$name.out" 2>&1 &
	dpid=$!
	sleep 1.5
	[ "$name" = net_failover0 ] && cmd "churn 20"
	sleep 1
	capture_stop $dpid "$dir/dumpcap_$name.out"
	grep "Packets received/dropped" "$dir/dumpcap_$name.out"
	recv=$(sed -n "s/.*received\/dropped on interface '$name': \([0-9]*\)\/.*/\1/p" \
		"$dir/dumpcap_$name.out")
	[ -n "$recv" ] && [ "$recv" -gt 0 ] ||
		{ cat "$dir/dumpcap_$name.out"; fail "dumpcap on $name received nothing"; }
	dropped=$(sed -n "s/.*received\/dropped on interface '$name': [0-9]*\/\([0-9]*\).*/\1/p" \
		"$dir/dumpcap_$name.out")
	capture_check pcapng "$dir/$name.pcapng" $idx "$dropped" ||
		fail "dumpcap capture of $name"

	cmd "fwd slow"
	LD_PRELOAD=${FO_TOOLS_PRELOAD:-} timeout --preserve-status -s INT 60 \
		"$bindir/dpdk-pdump" -d "$so" --file-prefix=$prefix -- \
		--pdump "device_id=$name,queue=*,rx-dev=$dir/${name}_rx.pcap,tx-dev=$dir/${name}_tx.pcap" \
		>"$dir/pdump_$name.out" 2>&1 &
	dpid=$!
	sleep 2
	[ "$name" = net_failover0 ] && cmd "churn 20"
	sleep 1
	capture_stop $dpid "$dir/pdump_$name.out"
	grep "packets dequeued" "$dir/pdump_$name.out"
	capture_check pcap "$dir/${name}_rx.pcap" $idx &&
		capture_check pcap "$dir/${name}_tx.pcap" $idx ||
		{ cat "$dir/pdump_$name.out"; fail "pdump capture of $name"; }
done
cmd "stats $dir/primary3.txt"
detach=$(sed -n 's/^xstat vf_detach //p' "$dir/primary3.txt" | head -n 1)
[ "$detach" -ge 45 ] || fail "the VF churned $detach times, expected 45"
# The same figure seen from a secondary after the churn.
tool "$bindir/dpdk-proc-info" -- --xstats >"$dir/xstats2.out" 2>&1
grep -q "^vf_detach: $detach\$" "$dir/xstats2.out" ||
	{ grep vf_detach "$dir/xstats2.out"; fail "proc-info vf_detach differs from the primary's $detach"; }
echo "VF detached and re-probed $detach times during the captures"

# ---- an application's own secondary -------------------------------------
LD_PRELOAD=${FO_TOOLS_PRELOAD:-} timeout 60 "$secondary" --proc-type=secondary \
	--file-prefix=$prefix --log-level=pmd.net.failover:info \
	>"$dir/secondary.out" 2>&1
rc=$?
grep -v '^EAL' "$dir/secondary.out"
[ $rc -eq 0 ] || fail "fo_mp_secondary exited with $rc"
cmp <(grep '^info' "$dir/primary3.txt") <(grep '^info' "$dir/secondary.out") ||
	fail "the secondary's view differs from the primary's"
grep -q "statistics reset: primary process only" "$dir/secondary.out" ||
	fail "no log line for a refused operation"
cmd "stats $dir/primary4.txt"
cmp -s <(grep '^info' "$dir/primary3.txt" | grep -v ipackets) \
	<(grep '^info' "$dir/primary4.txt" | grep -v ipackets) ||
	fail "the secondary's refused operations changed the port"
echo "fo_mp_secondary: same view as the primary; primary-only operations refused"
cmd "mbufs"
case $answer in "OK in_use=0") ;; *) fail "mbufs of the primary left in use: $answer" ;; esac
echo quit >&3
exec 3>&-
wait $ppid_
rc=$?
ppid_=""
[ $rc -eq 0 ] || { cat "$dir/primary.err"; fail "primary exited with $rc"; }
grep -q "OK bye in_use=0" "$dir/primary.out" || fail "primary: $(tail -n 1 "$dir/primary.out")"
echo "PASS: proc-info, dumpcap and pdump on the failover port and the bare control port"
