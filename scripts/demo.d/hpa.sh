#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HPA demo step (run by scripts/demo-guest with hpmm loaded): a short CPU
# cost comparison against the kernel's page_pool and the same leaky receive
# model on both pools, then edu DMA into HPA pages through the IOMMU, checked
# byte for byte. The full benchmarks are scripts/bench/hpa-*.
set -eu
HPMMCTL=${HPMMCTL:-$(dirname "$0")/../../tools/build/hpmmctl}

echo "-- CPU cost and a leaky driver (1% of pages leaked), HPA vs page_pool --"
"$HPMMCTL" hpa bench n=20000 reps=1 steps=20000

echo
echo "-- 8 packets DMAed by edu into HPA pages, verified --"
"$HPMMCTL" hpa create demo_rx hpa desc=8 verify=1 >/dev/null
trap '"$HPMMCTL" hpa destroy demo_rx --wait >/dev/null 2>&1 || true' EXIT
"$HPMMCTL" hpa run demo_rx 8 backend=edu len=1500 verify_data=1 |
	grep -E '^(model_dma_ops|model_data_errors|blocks|iova_ranges|verify_errors):'
trap - EXIT
"$HPMMCTL" hpa destroy demo_rx --wait
