#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Builds net_failover against one upstream DPDK release and runs the test
# suite (or the demo) against it, with that release's own dpdk-testpmd.
#
# The DPDK comes from scripts/dpdk-build.sh: a minimal shared build of the
# release's tarball in ../shared/dpdk/, cached outside the clone and reused
# when present. The project's build folder is build-<version>/.
#
# Usage: scripts/test-dpdk.sh [test|build|demo] VERSION [ARGS...]
#   test   (default) build, then meson test (ARGS go to meson test)
#   build  build only
#   demo   build, then scripts/demo2.sh (ARGS go to demo2.sh)
# Environment: as scripts/dpdk-build.sh (DPDK_SRC, NET_FAILOVER_CACHE,
# NINJA_JOBS); BUILD overrides the build folder.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
action=test
case ${1:-} in
test|build|demo) action=$1; shift ;;
esac
version=${1:?usage: test-dpdk.sh [test|build|demo] VERSION [ARGS...]}
shift
jobs=${NINJA_JOBS:-2}

t0=$(date +%s)
prefix=$("$top/scripts/dpdk-build.sh" "$version")
t1=$(date +%s)

pc=$(find "$prefix" -name libdpdk.pc -path '*/pkgconfig/*' | head -n 1)
if [ -z "$pc" ]; then
	echo "test-dpdk: no libdpdk.pc under $prefix" >&2
	exit 1
fi
libdir=$(dirname "$(dirname "$pc")")
PKG_CONFIG_PATH=$(dirname "$pc")
# DPDK's programs have no RPATH; nor need ours to: every process started
# from here finds this DPDK's libraries first.
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PATH=$prefix/bin:$PATH
export PKG_CONFIG_PATH LD_LIBRARY_PATH PATH

build=${BUILD:-$top/build-$version}
# A build folder made against another DPDK install (another cache key) is
# set up again.
if [ -f "$build/build.ninja" ] &&
   [ "$(cat "$build/.dpdk-prefix" 2>/dev/null)" != "$prefix" ]; then
	rm -rf "$build"
fi
if [ ! -f "$build/build.ninja" ]; then
	log=$(mktemp)
	meson setup "$build" "$top" >"$log" 2>&1 || {
		cat "$log" >&2
		rm -f "$log"
		exit 1
	}
	rm -f "$log"
	echo "$prefix" > "$build/.dpdk-prefix"
fi
ninja -C "$build" -j "$jobs"
t2=$(date +%s)
echo "test-dpdk: dpdk $version ready in $((t1 - t0)) s ($prefix)," \
	"net_failover built in $((t2 - t1)) s ($build)"

case $action in
build)
	;;
test)
	rc=0
	meson test -C "$build" --print-errorlogs --num-processes 1 "$@" ||
		rc=$?
	echo "test-dpdk: dpdk $version suite: $([ $rc -eq 0 ] && echo passed ||
		echo FAILED) in $(($(date +%s) - t2)) s"
	exit $rc
	;;
demo)
	exec "$top/scripts/demo2.sh" "$build" "$@"
	;;
esac
