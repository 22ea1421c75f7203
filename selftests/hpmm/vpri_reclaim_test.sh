#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vpri_reclaim_test.sh [MODULE]: `hpmmctl vpri reclaim`, the on-demand
# mode against the kernel's reclaim, replays a trace file in an
# overcommitted memory cgroup with swap (zram, made here when there is no
# swap) and reports what the benchmark's scripts read: one RESULT line of
# the exact form, named after the file, whose counts agree with the
# table; every page's first access faults; only adp and adp-hint pin,
# within their budget, even though the device uses more pages per window
# than the budget; hint and adp-hint tell the LRU about pages.
# Uses tools/build/hpmmctl (HPMMCTL overrides); loads MODULE when hpmm is
# not loaded. KTAP output; exit 0 pass, 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$ROOT/hpmm.ko}
HPMMCTL=${HPMMCTL:-$ROOT/tools/build/hpmmctl}
BUDGET=128

NAME=vpri_reclaim_test.sh
hpmm_need_root "$NAME"
[ -x "$HPMMCTL" ] || ktap_skip_all "$NAME: $HPMMCTL not built (make tools)"
"$HPMMCTL" help vpri 2>/dev/null | grep -q "vpri reclaim" ||
	ktap_skip_all "$NAME: $HPMMCTL has no vpri reclaim"
{ mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; } &&
	[ -f /sys/fs/cgroup/cgroup.controllers ] ||
	ktap_skip_all "$NAME: no cgroup v2"

hpmm_load_unless_loaded "$NAME" "$MODULE"
grep -qw vpri /sys/kernel/debug/hpmm/status 2>/dev/null ||
	hpmm_skip_all_unloading "$NAME" "hpmm built without VPRI"
zram=
if [ "$(wc -l </proc/swaps)" -le 1 ]; then
	{ modprobe zram num_devices=1 && echo 256M >/sys/block/zram0/disksize &&
	  mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; } 2>/dev/null ||
		hpmm_skip_all_unloading "$NAME" "no swap and no zram"
	zram=1
fi
tmp=$(mktemp -d)
cleanup()
{
	rm -rf "$tmp"
	if [ -n "$zram" ]; then
		swapoff /dev/zram0
		echo 1 >/sys/block/zram0/reset
	fi
	hpmm_unload_ours
}
trap cleanup EXIT

# row NAME COLUMN: a cell of the side-by-side table (columns: reclaim,
# adp, hint, adp-hint).
row()
{
	awk -v r="$1" -v c="$2" '$1 == r { print $(c + 1) }' "$tmp/out"
}

ktap_header
ktap_plan 4
"$HPMMCTL" vpri gen nic --pages 4096 --accesses 20000 --set queues=4,ring=128 \
	-o "$tmp/ring4.trace"
if ! "$HPMMCTL" vpri reclaim "$tmp/ring4.trace" --overcommit 30 --budget "$BUDGET" \
	>"$tmp/out" 2>&1; then
	ktap_diag "$(cat "$tmp/out")"
	ktap_not_ok "the replay runs"
	for t in "RESULT line" "first touches fault" "pins"; do
		ktap_not_ok "$t"
	done
	ktap_finish
fi
ktap_diag "$(cat "$tmp/out")"
ktap_ok "the replay runs"

# The exact line, and its figures are the table's.
re='^RESULT workload=ring4 overcommit=30 reclaim_iopf=([0-9]+) adp_iopf=([0-9]+) ratio=([0-9.]+|inf) adp_pinned_peak_pct=([0-9.]+) cpu_majflt_ratio=([0-9.]+|inf)$'
line=$(grep '^RESULT ' "$tmp/out")
if [[ $(grep -c '^RESULT ' "$tmp/out") -eq 1 && $line =~ $re ]] &&
   [ "${BASH_REMATCH[1]}" = "$(row iopf 1)" ] &&
   [ "${BASH_REMATCH[2]}" = "$(row iopf 2)" ] &&
   [ "${BASH_REMATCH[4]}" = "$(row pinned_peak_%_of_range 2)" ]; then
	ktap_ok "one RESULT line, exact and agreeing with the table"
else
	ktap_not_ok "one RESULT line, exact and agreeing with the table: '$line'"
fi

# Each page the device touches faults the first time, whatever the policy:
# no policy has fewer faults than the trace's footprint.
ok=1
for c in 1 2 3 4; do
	[ "$(row iopf "$c")" -ge "$(row first_touch_iopf "$c")" ] &&
		[ "$(row refaults "$c")" -ge 0 ] || ok=
done
[ -n "$ok" ] && ktap_ok "every policy faults at least once per page the device touches" ||
	ktap_not_ok "every policy faults at least once per page the device touches"

# 4 queues x 2 rings x 128 buffers, two to a page: 256+ pages in use per
# window, twice the budget. adp and adp-hint still pin (their ranking),
# within budget; reclaim and hint pin nothing; hint and adp-hint mark
# pages for the LRU, adp does not.
peak=$(row pinned_peak 2)
peak4=$(row pinned_peak 4)
if [ "$(row pinned_peak 1)" -eq 0 ] && [ "$(row pinned_peak 3)" -eq 0 ] &&
   [ "$peak" -gt 0 ] && [ "$peak" -le "$BUDGET" ] &&
   [ "$peak4" -gt 0 ] && [ "$peak4" -le "$BUDGET" ] &&
   [ "$(row marks 3)" -gt 0 ] && [ "$(row marks 4)" -gt 0 ] &&
   [ "$(row marks 2)" -eq 0 ]; then
	ktap_ok "adp and adp-hint pin, 0 < $peak, $peak4 <= $BUDGET; hint and adp-hint mark"
else
	ktap_not_ok "adp and adp-hint pin, 0 < $peak, $peak4 <= $BUDGET; hint and adp-hint mark"
fi
ktap_finish
