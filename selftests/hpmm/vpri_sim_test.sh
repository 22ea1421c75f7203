#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vpri_sim_test.sh [MODULE]: the kernel counts exactly the I/O page faults
# that the host simulator counts for the same trace and budget (one
# submitting thread, CPU backend), for every policy, on a NIC-like and a
# block-like trace, with the memory overcommitted in a cgroup when cgroup v2
# is available. Uses tools/build/hpmmctl (HPMMCTL overrides); loads MODULE
# when hpmm is not loaded. KTAP output; exit 0 pass, 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$ROOT/hpmm.ko}
HPMMCTL=${HPMMCTL:-$ROOT/tools/build/hpmmctl}

NAME=vpri_sim_test.sh
hpmm_need_root "$NAME"
[ -x "$HPMMCTL" ] || ktap_skip_all "$NAME: $HPMMCTL not built (make tools)"
"$HPMMCTL" help vpri >/dev/null 2>&1 ||
	ktap_skip_all "$NAME: $HPMMCTL has no vpri command"

hpmm_load_unless_loaded "$NAME" "$MODULE"
grep -qw vpri /sys/kernel/debug/hpmm/status 2>/dev/null ||
	hpmm_skip_all_unloading "$NAME" "hpmm built without VPRI"

# Overcommit when the guest can: a cgroup v2 memory limit below the
# range, with swap to reclaim to (without swap the limit would OOM-kill).
oc=(--no-cgroup)
if [ "$(wc -l </proc/swaps)" -gt 1 ] &&
   { mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; }; then
	oc=(--memory-max-pct 80)
fi

# Generator parameters that fit a 4096-page range.
params()
{
	case $1 in
	nic) echo "queues=4,ring=128" ;;
	block) echo "start=512,max=2048,table=256,regions=32" ;;
	esac
}

ktap_header
ktap_plan 2
for w in nic block; do
	if out=$("$HPMMCTL" vpri run --workload "$w" --accesses 6000 --pages 4096 \
		 --set "$(params "$w")" \
		 --budget 200 --cpu-touch 16 "${oc[@]}" 2>&1); then
		ktap_diag "$out"
		ktap_ok "$w: kernel faults == simulator faults for every policy"
	else
		ktap_diag "$out"
		ktap_not_ok "$w: kernel faults == simulator faults for every policy"
	fi
done
hpmm_unload_ours
ktap_finish
