# SPDX-License-Identifier: BSD-3-Clause
#
# Sourced by the demo scripts: use hugepages as real deployments do when
# this machine lets us, else tell why (the caller falls back to --no-huge).

meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# hugepages_unusable NEED: make NEED free 2MB pages available and hugetlbfs
# mounted; print why not, or nothing when they are. Only ever raises
# nr_hugepages: the pages others use stay theirs.
hugepages_unusable() {
	need=$1
	[ "$(id -u)" -eq 0 ] || { echo "not root"; return 0; }
	[ -w /proc/sys/vm/nr_hugepages ] ||
		{ echo "/proc/sys/vm/nr_hugepages not writable"; return 0; }
	size=$(meminfo Hugepagesize)
	[ "$size" = 2048 ] ||
		{ echo "default hugepage size is ${size:-unknown} kB, not 2048"; return 0; }
	total=$(cat /proc/sys/vm/nr_hugepages)
	free=$(meminfo HugePages_Free)
	if [ "$free" -lt "$need" ] || [ "$total" -lt "$need" ]; then
		want=$((total + need - free))
		[ "$want" -ge "$need" ] || want=$need
		echo "$want" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
		free=$(meminfo HugePages_Free)
		[ "$free" -ge "$need" ] ||
			{ echo "only $free free 2MB pages after asking for $want"; return 0; }
	fi
	if ! awk '$3 == "hugetlbfs" { found = 1 } END { exit !found }' \
			/proc/mounts; then
		{ mkdir -p /dev/hugepages &&
			mount -t hugetlbfs nodev /dev/hugepages; } 2>/dev/null ||
			{ echo "cannot mount hugetlbfs on /dev/hugepages"; return 0; }
	fi
}
