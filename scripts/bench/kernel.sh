# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the benchmarks for their --kernel option (issue 15): every
# benchmark runs on Debian's 6.1 guest (the default) or its 6.12 guest.
#
#   bench_kernel SERIES BUILD
#
# sets BENCH_MODDIR, the folder holding hpmm.ko and hpmm_test.ko built for
# SERIES, and exports HPMM_KERNEL=SERIES, which makes qemu-env/run boot
# that kernel. For 6.1 the folder is the tree (the benchmark's own
# `make module` builds it, as before); for 6.12 it is .cache/build-6.12/,
# built by scripts/module-build when BUILD is 1 and used as it is
# otherwise (--no-build).

bench_kernel() {
	local root name
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	name=$(basename "$0")
	case $1 in
	6.1) BENCH_MODDIR=$root ;;
	6.12)
		if [ "$2" = 1 ]; then
			BENCH_MODDIR=$("$root/scripts/module-build" 6.12) || exit 1
		else
			BENCH_MODDIR=$root/.cache/build-6.12
		fi
		[ -f "$BENCH_MODDIR/hpmm.ko" ] || {
			echo "$name: no 6.12 build in $BENCH_MODDIR (scripts/module-build 6.12)" >&2
			exit 2
		}
		;;
	*)
		echo "$name: --kernel takes 6.1 or 6.12, not '$1'" >&2
		exit 2
		;;
	esac
	export HPMM_KERNEL=$1
}
