#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_failover authors
#
# The demo: a net_failover port over two net_ring sub-ports (synthetic and
# VF) carries a steady stream of sequence-numbered packets while the VF is
# switched away and back, revoked, surprise-removed, and comes back.
#
#   ./scripts/demo.sh BUILD_DIR [-- failover-vf-churn options]
#
# Run after `ninja -C BUILD_DIR` (`make demo` does both). Uses 2MB
# hugepages as deployments do when it can (root, 256 free pages, raising
# vm.nr_hugepages if needed, hugetlbfs mounted); otherwise, or if EAL cannot
# start on them, runs with --no-huge. Exits with the program's exit code
# (0: every check passed; see docs/guides/demo.rst).
set -eu

usage() {
	echo "usage: $0 BUILD_DIR [-- failover-vf-churn options]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
build=$1
shift
if [ $# -gt 0 ]; then
	[ "$1" = "--" ] || usage
	shift
fi

bin=$build/examples/vf_churn/failover-vf-churn
if [ ! -x "$bin" ]; then
	echo "demo: $bin not found: build first (ninja -C $build)" >&2
	exit 2
fi

need_pages=256		# 512 MB of 2MB pages
prefix=fo_demo_$$
vdev="net_failover0,synthetic=net_ring0,vf=net_ring1,vf_settle_ms=100,probe_interval_ms=300"

. "$(dirname "$0")/hugepages.sh"

# run_demo EAL-MEMORY-OPTIONS... -- APP-OPTIONS...
run_demo() {
	set +e
	"$bin" -l 0-1 "$@"
	rc=$?
	set -e
	rm -rf "/var/run/dpdk/$prefix"
	return 0
}

why=$(hugepages_unusable $need_pages) || why="cannot check hugepages"
rc=2
if [ -z "$why" ]; then
	echo "demo: using 2MB hugepages (-m 512)"
	# --huge-unlink: nothing stays in hugetlbfs, even if the run dies.
	run_demo -m 512 --huge-unlink --file-prefix="$prefix" --no-pci \
		--vdev "$vdev" --log-level=pmd.net.failover:info -- "$@"
	# 2: set-up failed before the scenario began (EAL, memory, port).
	[ "$rc" -eq 2 ] && why="the program could not start on them"
fi
if [ -n "$why" ]; then
	echo "demo: hugepages unusable ($why): running with --no-huge -m 512"
	run_demo --no-huge -m 512 --file-prefix="$prefix" --no-pci \
		--vdev "$vdev" --log-level=pmd.net.failover:info -- "$@"
fi
exit "$rc"
