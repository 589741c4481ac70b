#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Builds a minimal shared DPDK of one upstream release from the source
# tarballs kept beside the project (../shared/dpdk/ by default), into a
# cache outside the clone, and prints its install prefix on stdout.
#
# The cache entry is keyed by the tarball's sha256 and the build options:
#   ${NET_FAILOVER_CACHE:-/var/cache/net_failover}/dpdk-<version>-<key>
# An entry is reused when complete (its .complete stamp exists), rebuilt
# otherwise. The tarball is verified against SHA256SUMS before use.
#
# Usage: scripts/dpdk-build.sh VERSION      e.g. 24.11.6
# Environment: DPDK_SRC (folder holding the tarballs and SHA256SUMS),
#              NET_FAILOVER_CACHE (cache root), NINJA_JOBS (default 2).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
version=${1:?usage: dpdk-build.sh VERSION}
src=${DPDK_SRC:-$top/../shared/dpdk}
cache=${NET_FAILOVER_CACHE:-/var/cache/net_failover}
jobs=${NINJA_JOBS:-2}

log() {
	echo "dpdk-build: $*" >&2
}

tarball=$src/dpdk-$version.tar.xz
if [ ! -f "$tarball" ] || [ ! -f "$src/SHA256SUMS" ]; then
	log "no $tarball or $src/SHA256SUMS (set DPDK_SRC)"
	exit 1
fi
want=$(awk -v f="dpdk-$version.tar.xz" '$2 == f || $2 == "*" f { print $1 }' \
	"$src/SHA256SUMS")
if [ -z "$want" ]; then
	log "dpdk-$version.tar.xz is not listed in $src/SHA256SUMS"
	exit 1
fi

# What the net_failover suite needs, and nothing else: the buses and PMDs
# the tests, the demo and the benchmarks use, testpmd, the driver SDK.
drivers=bus/vdev,bus/pci,net/null,net/ring,net/virtio,net/vhost,net/failsafe,net/bonding,net/memif,net/tap,mempool/ring
options="-Dplatform=generic -Ddefault_library=shared -Dbuildtype=release
-Denable_drivers=$drivers -Denable_apps=test-pmd -Dtests=false
-Denable_driver_sdk=true -Dexamples= -Denable_docs=false"

key=$(printf '%s\n%s\n' "$want" "$options" | sha256sum | cut -c1-12)
prefix=$cache/dpdk-$version-$key

if [ -f "$prefix/.complete" ]; then
	log "reusing $prefix"
	echo "$prefix"
	exit 0
fi

have=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$have" != "$want" ]; then
	log "checksum mismatch for $tarball: $have, SHA256SUMS says $want"
	exit 1
fi

# DPDK's build runs python scripts that need elftools: use the system
# python3 (python3-pyelftools), not whatever python3 comes first in PATH.
PATH=/usr/bin:/bin:$PATH
export PATH
for tool in meson ninja python3 xz; do
	command -v $tool >/dev/null 2>&1 || { log "$tool is missing (scripts/setup.sh)"; exit 1; }
done
python3 -c 'import elftools' 2>/dev/null ||
	{ log "python3-pyelftools is missing (scripts/setup.sh)"; exit 1; }

mkdir -p "$cache"
# EAL refuses to load its drivers from a folder below a world-writable one
# ("directory path ... is world-writable and insecure"): such a prefix
# would give a DPDK that starts with no PMD at all.
d=$(cd "$cache" && pwd -P)
while [ -n "$d" ]; do
	if [ -n "$(find "$d" -maxdepth 0 -perm -0002)" ]; then
		log "$cache is below the world-writable $d: EAL would refuse" \
			"its drivers; set NET_FAILOVER_CACHE elsewhere"
		exit 1
	fi
	[ "$d" = / ] && break
	d=$(dirname "$d")
done
work=$(mktemp -d "$cache/.build-$version.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"

start=$(date +%s)
log "building dpdk $version into $prefix (log: $work/build.log)"
tar -xJf "$tarball" -C "$work"
srcdir=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
# shellcheck disable=SC2086
if ! meson setup "$work/build" "$srcdir" --prefix="$prefix" $options \
		> "$work/build.log" 2>&1 ||
   ! ninja -C "$work/build" -j "$jobs" install >> "$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log" >&2
	log "dpdk $version build failed"
	rm -rf "$prefix"
	exit 1
fi
printf 'version=%s\nsha256=%s\noptions=%s\nbuild_seconds=%s\n' \
	"$version" "$want" "$(echo $options)" "$(( $(date +%s) - start ))" \
	> "$prefix/.complete"
log "dpdk $version built in $(( $(date +%s) - start )) s"
echo "$prefix"
