#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors

# Verify the Promela model of the hand-off protocol with spin.
#
# usage: run-spin.sh SPIN MODEL EXPECT [-DMACRO ...]
#   EXPECT  ok       no assertion violation, no invalid end state, and the
#                    LTL property writer_completes holds under weak fairness
#           safe     the same without the liveness search (for a state space
#                    too large to search for fair cycles in the test suite)
#           unsafe   the safety search must find an assertion violation
#           starves  safe, but the liveness search must find a fair cycle
#                    in which the writer never completes
# The C compiler is $CC (default: cc). Exits 0 when spin's verdict is the
# expected one, 1 otherwise.

set -eu

if [ $# -lt 3 ]; then
	echo "usage: $0 SPIN MODEL ok|safe|unsafe|starves [-DMACRO ...]" >&2
	exit 2
fi
spin=$1
model=$2
expect=$3
shift 3
cc=${CC:-cc}
# Deep enough for the whole state space: a truncated search proves nothing.
depth=50000
# The machine is shared: a search that would need more memory stops and
# fails (as truncated) instead of pushing others out. The largest
# configuration needs about 1.1 GB.
memlim=3072

case $expect in
ok|safe|unsafe|starves) ;;
*) echo "$0: unknown expectation '$expect'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$model" "$tmp/handoff.pml"
cd "$tmp"

echo "model: $model $*"
echo "expect: $expect"
"$spin" -V

# Generate the verifier.
if ! "$spin" -a "$@" handoff.pml >spin.log 2>&1; then
	cat spin.log
	echo "FAIL: spin -a failed"
	exit 1
fi

# pan's own generated code trips some gcc warnings: not ours to fix.
# NFAIR: memory for the weak-fairness bookkeeping (spin's default).
$cc -w -O2 -DSAFETY -DNOCLAIM -DMEMLIM=$memlim -o pan-safety pan.c
$cc -w -O2 -DNFAIR=3 -DMEMLIM=$memlim -o pan-liveness pan.c

# A search stopped by the memory bound or the depth proves nothing.
truncated()
{
	grep -q -e "max search depth too small" -e "reached -DMEMLIM bound" \
		-e "out of memory" "$1"
}

errors()
{
	sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' "$1"
}

show()
{
	echo "---- $1"
	cat "$2"
}

# Safety: assertions and invalid end states (deadlocks).
./pan-safety -m$depth >safety.log 2>&1 || true
show "safety search (assertions, invalid end states)" safety.log
safety_errors=$(errors safety.log)
if truncated safety.log; then
	echo "FAIL: search truncated (depth or memory bound)"
	exit 1
fi
if [ -z "$safety_errors" ]; then
	echo "FAIL: no verdict from the safety search"
	exit 1
fi

if [ "$expect" = unsafe ]; then
	if [ "$safety_errors" -gt 0 ] &&
			grep -q "assertion violated" safety.log; then
		echo "---- counterexample (end of the trail)"
		"$spin" -t -p -g "$@" handoff.pml 2>&1 | tail -n 30
		echo "PASS: spin found the expected assertion violation"
		exit 0
	fi
	echo "FAIL: the mutant was not caught"
	exit 1
fi

if [ "$safety_errors" -ne 0 ]; then
	"$spin" -t -p -g "$@" handoff.pml 2>&1 | tail -n 60
	echo "FAIL: safety violation"
	exit 1
fi

if [ "$expect" = safe ]; then
	echo "PASS: safe (liveness not searched)"
	exit 0
fi

# Liveness: the writer completes on every weakly fair run.
./pan-liveness -a -f -m$depth -N writer_completes >liveness.log 2>&1 || true
show "liveness search (writer_completes, weak fairness)" liveness.log
liveness_errors=$(errors liveness.log)
if truncated liveness.log; then
	echo "FAIL: search truncated (depth or memory bound)"
	exit 1
fi
if [ -z "$liveness_errors" ]; then
	echo "FAIL: no verdict from the liveness search"
	exit 1
fi

if [ "$expect" = starves ]; then
	if [ "$liveness_errors" -gt 0 ] &&
			grep -q "acceptance cycle" liveness.log; then
		echo "PASS: spin found the expected starvation cycle"
		exit 0
	fi
	echo "FAIL: the starving writer was not caught"
	exit 1
fi

if [ "$liveness_errors" -ne 0 ]; then
	"$spin" -t -p -g "$@" handoff.pml 2>&1 | tail -n 60
	echo "FAIL: liveness violation"
	exit 1
fi
echo "PASS: safe and live"
