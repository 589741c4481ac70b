#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# Run the benchmarks of tests/bench in full and print their tables; the
# same text goes to BUILD_DIR/bench-results.txt, each program's own log
# (EAL and driver messages) to BUILD_DIR/bench-logs/.
#
#   ./scripts/bench.sh [BUILD_DIR]      (make bench runs it on build/)
#
# Environment:
#   BENCH_BURST_RUNS   processes of bench_burst (default 3): each measures
#                      its ratios interleaved on its own; several show how
#                      far one process's memory layout moves them
#   BENCH_CALLGRIND    0 to skip the callgrind step (default: run it when
#                      valgrind is installed)
#
# Takes about half a minute on a 2-core VM, most of it under valgrind.

set -eu

BUILD=${1:-build}
BIN="$BUILD/tests/bench"
OUT="$BUILD/bench-results.txt"
LOGS="$BUILD/bench-logs"
RUNS=${BENCH_BURST_RUNS:-3}
CALLGRIND=${BENCH_CALLGRIND:-1}

for b in bench_burst bench_switch bench_readd; do
	if [ ! -x "$BIN/$b" ]; then
		echo "bench.sh: $BIN/$b not found: build first (ninja -C $BUILD)" >&2
		exit 1
	fi
done
mkdir -p "$LOGS"
: > "$OUT"

say() {
	printf '%s\n' "$*" | tee -a "$OUT"
}

# Hugepages only when enough are reserved and mounted for -m 512;
# otherwise --no-huge (the programs' default).
HUGE=""
MEM="no hugepages"
free_pages=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
page_kb=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
if [ "${free_pages:-0}" -gt 0 ] && [ "${page_kb:-0}" -gt 0 ] &&
   [ $((free_pages * page_kb)) -ge $((600 * 1024)) ] &&
   grep -q hugetlbfs /proc/mounts; then
	HUGE="--huge"
	MEM="hugepages"
fi

# run NAME LOGNAME ARGS...: the table to the terminal and $OUT, the rest
# to the log; on failure show the end of the log and stop.
run() {
	name=$1
	log=$LOGS/$2.log
	shift 2
	if ! "$BIN/$name" $HUGE "$@" > "$log.out" 2> "$log"; then
		tee -a "$OUT" < "$log.out"
		echo "bench.sh: $name $* failed; end of $log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
	tee -a "$OUT" < "$log.out"
	rm -f "$log.out"
}

say "net_failover benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(uname -r), $MEM"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" \
	"(other processes share these cores: figures move with it)"

i=1
while [ "$i" -le "$RUNS" ]; do
	say ""
	say "=== bench_burst, process $i of $RUNS"
	run bench_burst "bench_burst.$i"
	i=$((i + 1))
done

say ""
say "=== bench_burst with one mbuf per 4 KiB page (rte_pktmbuf_pool_create()" \
	"without hugepages), for reference"
run bench_burst bench_burst.page --page-pool --rounds 11

say ""
say "=== bench_switch"
run bench_switch bench_switch

say ""
say "=== bench_readd"
run bench_readd bench_readd

if [ "$CALLGRIND" != 0 ] && command -v valgrind > /dev/null 2>&1; then
	say ""
	say "=== callgrind: instructions per packet of the io-forward loop" \
		"(deterministic)"
	say "$(printf '%-28s %12s %10s %10s  %s' kind instructions packets 'Ir/pkt' 'vs bare')"
	bare=""
	for kind in bare failover failover-novf failsafe bonding; do
		cg="$LOGS/callgrind.$kind"
		if ! valgrind --tool=callgrind --toggle-collect=bench_cg_loop \
		     --callgrind-out-file="$cg.out" \
		     "$BIN/bench_burst" --callgrind "$kind" \
		     > "$cg.stdout" 2> "$cg.log"; then
			echo "bench.sh: callgrind run '$kind' failed; end of $cg.log:" >&2
			tail -n 20 "$cg.log" >&2
			exit 1
		fi
		ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$cg.log" | tail -n 1)
		pkts=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' "$cg.stdout")
		if [ -z "$ir" ] || [ -z "$pkts" ] || [ "$pkts" -eq 0 ]; then
			echo "bench.sh: no count from callgrind run '$kind'" >&2
			exit 1
		fi
		per=$(awk -v i="$ir" -v p="$pkts" 'BEGIN { printf "%.2f", i / p }')
		[ -n "$bare" ] || bare=$per
		ratio=$(awk -v a="$per" -v b="$bare" 'BEGIN { printf "%.3fx", a / b }')
		say "$(printf '%-28s %12s %10s %10s  %s' "$kind" "$ir" "$pkts" "$per" "$ratio")"
	done
	say "(valgrind --tool=callgrind --toggle-collect=bench_cg_loop; profiles in $LOGS)"
else
	say ""
	say "=== callgrind step skipped (valgrind not installed or BENCH_CALLGRIND=0)"
fi

echo ""
echo "results written to $OUT"
