#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_all.sh [MODULE]: every hpmm selftest, as `make check` runs them in the
# guest, through the kselftest runner of linux-source (what `make run_tests`
# does with lib.mk): hpmm.sh (which loads hpmm and hpmm_test and runs each
# NAME_test program), then every NAME_test.sh of this folder, each given
# MODULE (default hpmm.ko at the top of the tree) and the timeout of
# ./settings (or of $HPMM_KSFT_TIMEOUT: the debug kernel needs more);
# HPMM_ONLY="NAME ..." in the environment runs only those (the NUMA guest
# of scripts/check). KTAP
# output; the last line, by ksft_count.awk, is
#   hpmm-selftests: N passed, N failed, N skipped
# counting test cases. Exit 1 on any failure, 4 when everything was
# skipped, else 0.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=$(realpath "${1:-$DIR/../../hpmm.ko}")
[ -f "$KSFT_DIR/kselftest/runner.sh" ] || {
	echo "run_all.sh: no kselftest runner in '$KSFT_DIR' (scripts/install-deps)" >&2
	exit 1
}

scripts=(hpmm.sh)
for s in "$DIR"/*_test.sh; do
	[ -e "$s" ] || continue
	# HPMM_ONLY="NAME ...": only these programs and scripts (hpmm.sh runs
	# the programs).
	[ -z "${HPMM_ONLY:-}" ] || [[ " $HPMM_ONLY " == *" $(basename "$s" .sh) "* ]] ||
		continue
	scripts+=("$(basename "$s")")
done

# Each script takes the module as its argument (runner.sh's
# KSELFTEST_<NAME>_ARGS).
for s in "${scripts[@]}"; do
	var=$(echo "$s" | tr -c '[:alnum:]_\n' _ | tr '[:lower:]' '[:upper:]')
	export "KSELFTEST_${var}_ARGS=$MODULE"
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
{
	ktap_header
	ktap_plan ${#scripts[@]}
	# Each script runs several programs, each under the per-program
	# timeout; the script's own is there to catch a hang, not to bound
	# a suite that a loaded machine makes slow: four times as long.
	HPMM_KSFT_RUN_TIMEOUT=$(($(hpmm_ksft_timeout) * 4)) \
		hpmm_run_programs 0 "${scripts[@]/#/$DIR/}"
} 2>&1 | tee "$log"

summary=$(awk -f "$DIR/ksft_count.awk" "$log")
echo "hpmm-selftests: $summary"
read -r passed _ failed _ skipped _ <<<"$summary"
if [ "$failed" -gt 0 ]; then
	exit $KSFT_FAIL
elif [ "$passed" -eq 0 ] && [ "$skipped" -gt 0 ]; then
	exit $KSFT_SKIP
fi
exit $KSFT_PASS
