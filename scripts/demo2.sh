#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# The two-process demo (docs/guides/host_simulator.rst): a guest whose
# port is a net_failover port, and fo-hostsim playing its host, wired by
# vhost-user (docs/design/host_protocol.rst). The host boots the guest on
# the synthetic path, grants a VF, revokes it, grants one again, yanks it,
# grants one again and migrates the guest, while it sends numbered packets
# that the guest sends back; then it prints one row per event and a plot.
#
#   ./scripts/demo2.sh BUILD_DIR [options] [-- fo-hostsim options]
#
#   --guest testpmd|mini|PATH  the guest program (default: fo-testpmd if
#                              built, else the tests' fo-mini-guest)
#   --scenario FILE            host commands instead of the demo's
#   --rate PPS                 offered load (default 20000)
#   --out DIR                  logs, CSV and plot (default BUILD_DIR/demo2)
#   --no-huge                  never try hugepages
#   --no-plot                  no PNG
#   --no-check-recovery        do not fail when traffic did not recover
#   --timeout S                kill everything after S seconds (default 100)
#
# Hugepages as deployments use them when it can reserve them (root; raises
# vm.nr_hugepages so that 512 pages are free, mounts hugetlbfs on
# /dev/hugepages if none is);
# otherwise, or when EAL cannot start on them, --no-huge -m 512. Exit code:
# fo-hostsim's (0: every event recovered and every --expect held), 2 if
# the demo could not start.
set -eu

usage() {
	sed -n '12,22p' "$0" >&2
	exit 2
}

[ $# -ge 1 ] || usage
build=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)

guest_sel=""
scenario=""
rate=20000
out=""
try_huge=1
plot=1
check=--check-recovery
timeout_s=100
while [ $# -gt 0 ]; do
	case $1 in
	--guest) guest_sel=$2; shift 2 ;;
	--scenario) scenario=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--no-huge) try_huge=0; shift ;;
	--no-plot) plot=0; shift ;;
	--no-check-recovery) check=""; shift ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done

hostsim=$build/app/hostsim/fo-hostsim
testpmd=$build/app/testpmd/fo-testpmd
mini=$build/tests/scenarios/fo-mini-guest
case $guest_sel in
"") if [ -x "$testpmd" ]; then guest=$testpmd; else guest=$mini; fi ;;
testpmd) guest=$testpmd ;;
mini) guest=$mini ;;
*) guest=$guest_sel ;;
esac
for b in "$hostsim" "$guest"; do
	if [ ! -x "$b" ]; then
		echo "demo2: $b not found: build first (ninja -C $build)" >&2
		exit 2
	fi
done

[ -n "$out" ] || out=$build/demo2
mkdir -p "$out"
out=$(cd "$out" && pwd)
# The sockets: in a fresh private (0700) folder of the control directory
# the tools default to ($XDG_RUNTIME_DIR/net_failover, else
# /run/net_failover), or of $TMPDIR when that cannot be made. Not under
# the build tree: UNIX socket paths must stay short (108 bytes).
base=${XDG_RUNTIME_DIR:-/run}/net_failover
if mkdir -p -m 0700 "$base" 2>/dev/null && [ -w "$base" ]; then
	sock=$(mktemp -d "$base/demo2.XXXXXX")
else
	sock=$(mktemp -d "${TMPDIR:-/tmp}/fo-demo2.XXXXXX")
fi
mac=02:fa:11:00:00:01
gprefix=fo_demo2_guest_$$
hprefix=fo_demo2_host_$$
gpid=""
hpid=""

if [ -z "$scenario" ]; then
	scenario=$out/scenario.txt
	cat >"$scenario" <<-'EOF'
	# boot on synthetic: fo-hostsim waits for the guest and its traffic
	sleep 1000
	vf grant
	# traffic on the VF
	sleep 2000
	vf revoke
	sleep 1000
	vf grant
	sleep 1500
	vf yank
	sleep 1000
	vf grant
	sleep 1500
	# revoke, synthetic backend re-created, grant of a new VF
	migrate
	sleep 1500
	EOF
fi

stop_pid() {
	# stop_pid PID: SIGTERM, then SIGKILL after 5 s.
	[ -n "$1" ] || return 0
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null || true
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# shellcheck disable=SC2317  # called from the traps
cleanup() {
	[ -z "${tailpid:-}" ] || kill "$tailpid" 2>/dev/null || true
	stop_pid "$hpid"
	stop_pid "$gpid"
	hpid=""
	gpid=""
	rm -rf "$sock" "/var/run/dpdk/$gprefix" "/var/run/dpdk/$hprefix"
	rm -f "/dev/hugepages/$gprefix"* "/dev/hugepages/$hprefix"* 2>/dev/null ||
		true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. "$(dirname "$0")/hugepages.sh"

# run MEMORY-OPTIONS: one run of both processes; sets rc. vhost-user needs
# single-file segments: asked for with hugepages, implied by --no-huge
# (and refused with it from DPDK 25.11 on).
run() {
	eal="-l 0-1 $1 --no-pci"
	eal="$eal --log-level=lib.vhost.config:warning"
	rm -f "$sock"/*.sock
	vdevs="--vdev net_virtio_user0,path=$sock/syn.sock,server=1,queues=1,mac=$mac"
	vdevs="$vdevs --vdev net_failover0,synthetic=net_virtio_user0,vf_match=mac,mac=$mac,vf_settle_ms=100"
	case $guest in
	*fo-testpmd) gargs="--ctl $sock/ctl.sock --forward-mode macswap --auto-start" ;;
	*) gargs="--ctl $sock/ctl.sock --fwd macswap" ;;
	esac
	# The guest first: its virtio-user server waits in accept() for the
	# host's vhost client, which then connects at once.
	# shellcheck disable=SC2086
	"$guest" $eal --file-prefix="$gprefix" $vdevs \
		--log-level=pmd.net.failover:info -- $gargs \
		>"$out/guest.log" 2>&1 </dev/null &
	gpid=$!
	# The host: main lcore 1 (mostly asleep), traffic lcore 0, away from
	# the guest's forwarding lcore 1.
	# shellcheck disable=SC2086
	"$hostsim" $eal --main-lcore 1 --file-prefix="$hprefix" -- \
		--dir "$sock" --mac "$mac" --rate "$rate" \
		--script "$scenario" --csv "$out/timeline.csv" \
		--final-report $check $hostextra \
		>"$out/host.log" 2>&1 </dev/null &
	hpid=$!
	# The host's event log, as it goes.
	tail -n +1 -f "$out/host.log" 2>/dev/null |
		grep --line-buffered -E '^\[ *[0-9.]+\] host:' &
	tailpid=$!
	ticks=0
	while kill -0 "$hpid" 2>/dev/null; do
		if [ "$ticks" -ge $((timeout_s * 10)) ]; then
			echo "demo2: fo-hostsim still running after ${timeout_s} s: stopping it" >&2
			stop_pid "$hpid"
			break
		fi
		if ! kill -0 "$gpid" 2>/dev/null; then
			set +e
			wait "$gpid"
			grc=$?
			set -e
			gpid=""
			echo "demo2: the guest exited early (status $grc); its last lines:" >&2
			tail -n 5 "$out/guest.log" | sed 's/^/  /' >&2
			stop_pid "$hpid"
			break
		fi
		sleep 0.1
		ticks=$((ticks + 1))
	done
	set +e
	wait "$hpid" 2>/dev/null
	rc=$?
	set -e
	hpid=""
	sleep 0.2
	kill "$tailpid" 2>/dev/null || true
	stop_pid "$gpid"
	gpid=""
	# The report, the checks and the verdict.
	awk '/^fo-hostsim report/ { on = 1 } on { print } /^\(lost:/ { on = 0 }
		/^(check|expect) / { print }' "$out/host.log"
	echo "demo2: what the guest's net_failover port did:"
	grep -E '^net_failover: .*Tx path .* -> ' "$out/guest.log" |
		sed 's/^net_failover: [a-z_]*(): /  guest: /' || true
	# Never reached the scenario: EAL or memory trouble.
	grep -q 'host: guest up' "$out/host.log" || rc=2
}

echo "demo2: guest $(basename "$guest"), host fo-hostsim, ${rate} pps, logs in $out"
hostextra="$*"
why=""
[ "$try_huge" -eq 1 ] || why="--no-huge given"
[ -n "$why" ] || why=$(hugepages_unusable 512) || why="cannot check hugepages"
rc=2
if [ -z "$why" ]; then
	echo "demo2: using 2MB hugepages (-m 512 per process)"
	# --in-memory: hugepages through memfd, nothing left in hugetlbfs
	# even if a process dies, and vhost-user still gets the memory's file
	# descriptors (--huge-unlink refuses --single-file-segments).
	run "-m 512 --in-memory --single-file-segments"
	[ "$rc" -eq 2 ] && why="a process could not start on them"
fi
if [ -n "$why" ]; then
	echo "demo2: hugepages unusable ($why): --no-huge -m 512"
	run "--no-huge -m 512"
fi

if [ "$plot" -eq 1 ] && [ -s "$out/timeline.csv" ]; then
	py=""
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import matplotlib' 2>/dev/null; then
			py=$p
			break
		fi
	done
	if [ -z "$py" ]; then
		echo "demo2: no python3 with matplotlib: no plot (apt-get install python3-matplotlib)"
	elif "$py" "$top/scripts/plot_timeline.py" "$out/timeline.csv" \
			"$out/timeline.png"; then
		echo "demo2: timeline plot: $out/timeline.png"
	fi
fi
echo "demo2: timeline CSV: $out/timeline.csv; logs: $out/host.log $out/guest.log"
case $rc in
0) echo "demo2: PASS: traffic recovered after every event" ;;
2) echo "demo2: could not start (see $out/host.log and $out/guest.log)" ;;
*) echo "demo2: FAIL (exit $rc): see the checks above and $out/host.log" ;;
esac
exit "$rc"
