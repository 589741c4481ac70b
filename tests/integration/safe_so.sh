# SPDX-License-Identifier: BSD-3-Clause
#
# Sourced by the tests that load the driver into stock dpdk-testpmd with
# -d. EAL refuses a shared object below any world-writable directory (a
# clone under /tmp, say). fo_safe_so SO prints a path EAL accepts: SO
# itself when every directory above it is safe, else a copy in a private
# directory under $HOME (or /run), which fo_safe_so_cleanup removes. The
# path is left in $fo_so (not printed: a subshell would lose the copy's
# directory to clean up).

fo_safe_so_dir=""

fo_path_is_safe() {
	d=$(dirname "$(realpath "$1")")
	while :; do
		# world-writable: the "w" of "others" in ls -ld's mode string
		case $(stat -c %A "$d") in
		????????w?) return 1 ;;
		esac
		[ "$d" = "/" ] && return 0
		d=$(dirname "$d")
	done
}

fo_safe_so() {
	fo_so=$1
	if fo_path_is_safe "$1"; then
		return
	fi
	for base in "${HOME:-}" /run; do
		[ -n "$base" ] && [ -d "$base" ] || continue
		fo_safe_so_dir=$(mktemp -d "$base/.net_failover_so.XXXXXX" 2>/dev/null) || continue
		chmod 700 "$fo_safe_so_dir"
		if fo_path_is_safe "$fo_safe_so_dir/x"; then
			cp "$1" "$fo_safe_so_dir/"
			fo_so="$fo_safe_so_dir/$(basename "$1")"
			return
		fi
		rm -rf "$fo_safe_so_dir"
		fo_safe_so_dir=""
	done
}

fo_safe_so_cleanup() {
	[ -n "$fo_safe_so_dir" ] && rm -rf "$fo_safe_so_dir"
	fo_safe_so_dir=""
}
