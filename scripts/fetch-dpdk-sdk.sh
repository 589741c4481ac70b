#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Debian and Ubuntu build DPDK without its driver SDK: the headers a PMD
# needs (ethdev_driver.h, ethdev_vdev.h, bus_vdev_driver.h, dev_driver.h,
# bus_driver.h, rte_flow_driver.h, ...) are not installed. This script takes
# them from the distribution's own source package of the exact libdpdk-dev
# version that is installed, and copies them into a build-local folder
# (default: .dpdk-sdk/ at the project root, ignored by git).
#
# A deb-src entry is derived from the machine's own apt sources (same URIs,
# suites and components) when none exists yet. Nothing else is downloaded.
#
# Usage: scripts/fetch-dpdk-sdk.sh [DESTDIR]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$top/.dpdk-sdk}

# Headers of DPDK's driver SDK that out-of-tree ethdev/vdev drivers use.
headers="ethdev_driver.h ethdev_vdev.h ethdev_pci.h bus_vdev_driver.h
dev_driver.h bus_driver.h rte_flow_driver.h rte_mtr_driver.h rte_tm_driver.h"

version=$(dpkg-query -W -f '${Version}' libdpdk-dev 2>/dev/null || true)
if [ -z "$version" ]; then
	echo "fetch-dpdk-sdk: libdpdk-dev is not installed" >&2
	exit 1
fi

if [ -f "$dest/include/ethdev_driver.h" ] && \
   [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$version" ]; then
	echo "fetch-dpdk-sdk: SDK headers for dpdk $version already in $dest"
	exit 0
fi

# The SDK headers may already be installed (DPDK built from source with
# enable_driver_sdk=true): then there is nothing to fetch.
incdir=$(pkg-config --variable=includedir libdpdk 2>/dev/null || echo /usr/include)
for d in "$incdir/dpdk" "$incdir"; do
	if [ -f "$d/ethdev_driver.h" ] && [ -f "$d/bus_vdev_driver.h" ]; then
		echo "fetch-dpdk-sdk: SDK headers installed in $d, nothing to fetch"
		exit 0
	fi
done

has_deb_src() {
	grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ 2>/dev/null
}

if ! has_deb_src; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fetch-dpdk-sdk: no deb-src entry in the apt sources and not root;" \
		     "add one or run as root" >&2
		exit 1
	fi
	out=/etc/apt/sources.list.d/net-failover-deb-src.sources
	: > "$out.tmp"
	# deb822 files: same stanzas, Types: deb-src.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case "$f" in "$out") continue ;; esac
		awk '
			/^[ \t]*$/ { if (keep) print ""; keep = 0; next }
			/^Types:/ { keep = ($0 ~ /(^|[ \t])deb([ \t]|$)/);
				    if (keep) print "Types: deb-src"; next }
			/^#/ { next }
			{ buf = $0; if (keep) print buf }
		' "$f" >> "$out.tmp"
		echo >> "$out.tmp"
	done
	# one-line format files: deb -> deb-src.
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^deb \(.*\)$/deb-src \1/p' "$f" > "$out.list.tmp"
		if [ -s "$out.list.tmp" ]; then
			cat "$out.list.tmp" >> "${out%.sources}.list"
		fi
		rm -f "$out.list.tmp"
	done
	if [ -s "$out.tmp" ]; then
		mv "$out.tmp" "$out"
	else
		rm -f "$out.tmp"
	fi
	apt-get update -q
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dpdk-src.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -q --download-only "dpdk=$version")
orig=$(ls "$work"/dpdk_*.orig.tar.* 2>/dev/null | head -n 1)
if [ -z "$orig" ]; then
	echo "fetch-dpdk-sdk: apt-get source dpdk=$version gave no source tarball" >&2
	exit 1
fi
mkdir -p "$work/src"
tar -xf "$orig" -C "$work/src"
# Debian patches may touch headers: apply them through dpkg-source when the
# full source package is there, else use the pristine tarball.
dsc=$(ls "$work"/dpdk_*.dsc 2>/dev/null | head -n 1)
srcdir=""
if [ -n "$dsc" ] && command -v dpkg-source >/dev/null 2>&1; then
	if (cd "$work" && dpkg-source --no-check -x "$dsc" pkg >/dev/null 2>&1); then
		srcdir="$work/pkg"
	fi
fi
[ -n "$srcdir" ] || srcdir=$(ls -d "$work"/src/*/ | head -n 1)

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp/include"
for h in $headers; do
	p=$(find "$srcdir/lib" "$srcdir/drivers/bus" -name "$h" -type f | head -n 1)
	if [ -z "$p" ]; then
		echo "fetch-dpdk-sdk: $h not found in the dpdk $version source" >&2
		exit 1
	fi
	cp "$p" "$dest.tmp/include/"
done
echo "$version" > "$dest.tmp/VERSION"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-dpdk-sdk: SDK headers for dpdk $version in $dest/include"
