#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_all.sh [MODULE]: every hpmm selftest, as `make check` runs them in the
# guest: hpmm.sh (which loads hpmm and runs each NAME_test program), then
# every other NAME_test.sh of this folder, each given MODULE (default hpmm.ko
# at the top of the tree) and the timeout of ./settings (or of
# $HPMM_KSFT_TIMEOUT: the debug kernel needs more). KTAP output; the
# last line is
#   hpmm-selftests: N passed, N failed, N skipped
# counting test cases (see ktap.sh). Exit 1 on any failure, 4 when
# everything was skipped, else 0.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$DIR/../../hpmm.ko}
TIMEOUT=$(sed -n 's/^timeout=//p' "$DIR/settings" 2>/dev/null)
TIMEOUT=${HPMM_KSFT_TIMEOUT:-${TIMEOUT:-900}}

scripts=(hpmm.sh)
for s in "$DIR"/*_test.sh; do
	[ -e "$s" ] && scripts+=("$(basename "$s")")
done

ktap_header
ktap_plan ${#scripts[@]}
for s in "${scripts[@]}"; do
	ktap_run_nested "$s" "$TIMEOUT" "$DIR/$s" "$MODULE"
done

passed=$((ktap_sum_pass + ktap_pass))
failed=$((ktap_sum_fail + ktap_fail))
skipped=$((ktap_sum_skip + ktap_skip))
echo "hpmm-selftests: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then
	exit $KSFT_FAIL
elif [ "$passed" -eq 0 ] && [ "$skipped" -gt 0 ]; then
	exit $KSFT_SKIP
fi
exit $KSFT_PASS
