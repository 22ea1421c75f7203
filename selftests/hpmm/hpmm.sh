#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hpmm.sh [MODULE]: load hpmm (and hpmm_test beside it), run every test
# program of this folder (each NAME_test.c, built as NAME_test) with the
# kselftest runner, check that nothing is left live, unload hpmm and check
# that it left nothing behind and the kernel logged no warning, as
# selftests/mm's test_hmm.sh does for test_hmm (HPMM_ONLY="NAME ..." in the
# environment: only those programs). MODULE defaults to hpmm.ko
# at the top of the tree; an hpmm already loaded is removed first. KTAP
# output; exit 0 pass, 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$DIR/../../hpmm.ko}
# The programs that load hpmm themselves find it here.
HPMM_MODULE=$(realpath "$MODULE" 2>/dev/null || echo "$MODULE")
export HPMM_MODULE

[ "$(id -u)" -eq 0 ] || ktap_skip_all "hpmm.sh: must be run as root"
[ -f "$MODULE" ] || ktap_skip_all "hpmm.sh: $MODULE not found (make module)"
for tool in insmod rmmod dmesg; do
	command -v $tool >/dev/null || ktap_skip_all "hpmm.sh: no $tool"
done

progs=()
for src in "$DIR"/*_test.c; do
	[ -e "$src" ] || continue
	# HPMM_ONLY="NAME ...": only these programs.
	[ -z "${HPMM_ONLY:-}" ] || [[ " $HPMM_ONLY " == *" $(basename "$src" .c) "* ]] ||
		continue
	progs+=("$(basename "$src" .c)")
done

ktap_header
ktap_plan $((${#progs[@]} + 4))
hpmm_mount_debugfs
hpmm_kmsg_mark hpmm.sh

# 1. Load.
errors=""
if [ -e /sys/module/hpmm ]; then
	ktap_diag "hpmm is loaded already: removing it first"
	errors=$(hpmm_unload)
fi
if [ -z "$errors" ]; then
	errors=$(hpmm_load "$MODULE")
fi
ktap_result "insmod $(basename "$MODULE")" "$errors"
loaded=$([ -z "$errors" ] && echo 1)

# 2. The test programs, through the kselftest runner; their cases are
# counted by their own Totals lines, not as cases of this script.
if [ -z "$loaded" ]; then
	for prog in "${progs[@]}"; do
		ktap_skip "$prog" "hpmm not loaded"
	done
else
	hpmm_run_programs "$ktap_num" "${progs[@]/#/$DIR/}"
fi

# 3. Everything the programs did was given back.
if [ -z "$loaded" ]; then
	ktap_skip "nothing live after the tests" "hpmm not loaded"
else
	ktap_result "nothing live after the tests" "$(hpmm_live_check)"
fi

# 4. Unload.
if [ -z "$loaded" ]; then
	ktap_skip "rmmod hpmm" "hpmm not loaded"
else
	ktap_result "rmmod hpmm" "$(hpmm_unload)"
fi

# 5. No warning, oops or leak report in the kernel log.
problems=$(hpmm_kmsg_problems)
ktap_result "kernel log clean" "${problems:+$'\n'$problems}"

ktap_finish
