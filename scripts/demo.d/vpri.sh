#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VPRI demo step (guest, hpmm loaded): a short NIC-like stream (pin budget
# 5% of the range, whatever the overcommit) with the
# memory overcommitted by 20% (cgroup v2 memory.max, zram swap), run in the
# kernel with none, lru, arc and adp side by side, each checked against the
# simulator; a small run whose accesses are real edu DMA through the IOMMU;
# then the PA-BITMAP micro-benchmark (hpmm_test.ko, loaded for it when it is
# not). The full benchmark is scripts/bench/vpri.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HPMMCTL=${HPMMCTL:-$ROOT/tools/build/hpmmctl}
# shellcheck source=../bench/vpri-env.sh
. "$ROOT/scripts/bench/vpri-env.sh"

args=(--overcommit 20)
if ! vpri_env_setup 512M; then
	echo "vpri: no zram or cgroup v2 here: running without overcommit"
	args=(--no-cgroup)
fi
"$HPMMCTL" vpri run --workload nic --accesses 8000 "${args[@]}" \
	--policies none,lru,arc,adp --cpu-touch 32
rc=$?
echo "-- the same with real DMA by the edu device (small) --"
"$HPMMCTL" vpri run --workload nic --pages 4096 --accesses 300 \
	--set queues=2,ring=64 --budget 32 --backend edu --policies lru,adp \
	--no-cgroup || rc=1
# The PA-BITMAP micro-benchmark is hpmm_test.ko's.
loaded_test=
if [ ! -e /sys/module/hpmm_test ] && [ -f "$ROOT/hpmm_test.ko" ]; then
	insmod "$ROOT/hpmm_test.ko" && loaded_test=1
fi
"$HPMMCTL" vpri bench --pages 65536 --iters 200000 || rc=1
[ -n "$loaded_test" ] && rmmod hpmm_test
vpri_env_teardown
exit $rc
