#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# magnet_run_test.sh [MODULE]: hpmm-run on a program no one here wrote.
# GNU sort sorts a 12 MiB file twice, plainly and under tools/hpmm-run/hpmm-run
# (its big malloc buffers then live on /dev/hpmm with MAGNET); the outputs
# must be byte for byte the same, the second run must have made MAGNET
# reservations, and none may be left afterwards. Loads MODULE when hpmm is
# not loaded. KTAP output; exit 0 pass, 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$ROOT/hpmm.ko}
RUN=$ROOT/tools/hpmm-run/hpmm-run
LIB=${HPMM_RUN_LIB:-$ROOT/tools/build/hpmm-run/libhpmm-run.so}
STATS=/sys/kernel/debug/hpmm/magnet/stats

NAME=magnet_run_test.sh
hpmm_need_root "$NAME"
[ -f "$LIB" ] || ktap_skip_all "$NAME: $LIB not built (make tools)"
command -v sort >/dev/null || ktap_skip_all "$NAME: no sort"

hpmm_load_unless_loaded "$NAME" "$MODULE"
[ -r "$STATS" ] || hpmm_skip_all_unloading "$NAME" "hpmm has no MAGNET placement"

stat_of() { sed -n "s/^$1: //p" "$STATS"; }

tmp=$(mktemp -d)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { rm -rf "$tmp"; hpmm_unload_ours; }
trap cleanup EXIT

ktap_header
ktap_plan 3
# 12 MiB of lines in a fixed pseudo-random order (awk's rand with a seed).
awk 'BEGIN { srand(42); for (i = 0; i < 600000; i++)
	printf "%08d %s %d\n", int(rand() * 1e8), "line", i }' >"$tmp/in"
res0=$(stat_of reservations)
sort -S 64M --parallel=2 "$tmp/in" >"$tmp/plain"
HPMM_RUN_LIB=$LIB "$RUN" --verbose sort -S 64M --parallel=2 "$tmp/in" \
	>"$tmp/magnet" 2>"$tmp/err"
rc=$?
ktap_diag "$(cat "$tmp/err")"
res=$(( $(stat_of reservations) - res0 ))
if [ $rc -eq 0 ] && cmp -s "$tmp/plain" "$tmp/magnet"; then
	ktap_ok "sort output identical under hpmm-run ($(wc -c <"$tmp/plain") bytes)"
else
	ktap_not_ok "sort output identical under hpmm-run (rc $rc)"
fi
ktap_diag "reservations made by sort: $res"
if [ "$res" -gt 0 ]; then
	ktap_ok "sort's memory was served by MAGNET"
else
	ktap_not_ok "sort's memory was served by MAGNET"
fi
left=$(stat_of unused_reserved_now)
if [ "$left" = 0 ] && [ "$(stat_of maps)" = 0 ]; then
	ktap_ok "no reservation left after sort exited"
else
	ktap_not_ok "no reservation left after sort exited (unused $left)"
fi
ktap_finish
