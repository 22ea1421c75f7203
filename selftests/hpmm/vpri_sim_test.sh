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

[ "$(id -u)" -eq 0 ] || ktap_skip_all "vpri_sim_test.sh: must be run as root"
[ -x "$HPMMCTL" ] || ktap_skip_all "vpri_sim_test.sh: $HPMMCTL not built (make tools)"
"$HPMMCTL" help vpri >/dev/null 2>&1 ||
	ktap_skip_all "vpri_sim_test.sh: $HPMMCTL has no vpri command"

loaded=
if [ ! -e /sys/module/hpmm ]; then
	[ -f "$MODULE" ] || ktap_skip_all "vpri_sim_test.sh: $MODULE not found"
	insmod "$MODULE" || ktap_skip_all "vpri_sim_test.sh: insmod $MODULE failed"
	loaded=1
fi
hpmm_mount_debugfs
grep -qw vpri /sys/kernel/debug/hpmm/status 2>/dev/null || {
	[ -n "$loaded" ] && rmmod hpmm
	ktap_skip_all "vpri_sim_test.sh: hpmm built without VPRI"
}

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
[ -n "$loaded" ] && rmmod hpmm
ktap_finish
