#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Everything a fresh Debian 12 machine needs to build, test and demo
# net_failover: Debian's DPDK 22.11 and tools, then the driver SDK headers
# from the same version's source package (scripts/fetch-dpdk-sdk.sh).
# Idempotent; needs root for apt-get unless everything is already there.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

packages="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config gcc
libcmocka-dev libnuma-dev spin python3 python3-pyelftools dpkg-dev xz-utils
python3-matplotlib"

missing=""
for p in $packages; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages:$missing (run as root)" >&2
		exit 1
	fi
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

"$top/scripts/fetch-dpdk-sdk.sh"
