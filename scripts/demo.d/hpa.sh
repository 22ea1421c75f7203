#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HPA demo step (run by scripts/demo-guest with hpmm loaded): a short CPU
# cost comparison against the kernel's page_pool and the same leaky receive
# model on both pools, then edu DMA into HPA pages through the IOMMU, checked
# byte for byte. The pools are made and driven by hpmm_test.ko (loaded here
# when it is not already, and unloaded again); the full benchmarks are
# scripts/bench/hpa-*.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HPMMCTL=${HPMMCTL:-$ROOT/tools/build/hpmmctl}

loaded=0
if [ ! -e /sys/module/hpmm_test ]; then
	insmod "$ROOT/hpmm_test.ko"
	loaded=1
fi
cleanup() {
	"$HPMMCTL" hpa destroy demo_rx --wait >/dev/null 2>&1 || true
	[ "$loaded" = 0 ] || rmmod hpmm_test
}
trap cleanup EXIT

echo "-- CPU cost and a leaky driver (1% of pages leaked), HPA vs page_pool --"
"$HPMMCTL" hpa bench n=20000 reps=1 steps=20000

echo
echo "-- 8 packets DMAed by edu into HPA pages, verified --"
"$HPMMCTL" hpa create demo_rx hpa desc=8 verify=1 >/dev/null
"$HPMMCTL" hpa run demo_rx 8 backend=edu len=1500 verify_data=1 |
	grep -E '^(model_dma_ops|model_data_errors|blocks|iova_ranges|verify_errors):'
"$HPMMCTL" hpa destroy demo_rx --wait
