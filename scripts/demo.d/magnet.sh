#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MAGNET demo step (run by scripts/demo-guest with hpmm loaded): 2 and 4
# processes fault 256 pages each, page by page in turn, in anonymous memory,
# in hpmm without MAGNET and with MAGNET; the share of 32 KiB groups whose 8
# pages are physically contiguous, and the unused reserved pages left. The
# full benchmark is scripts/bench/magnet.
set -eu
BENCH=${MAGNET_BENCH:-$(dirname "$0")/../../tools/build/magnet/magnet_bench}
[ -x "$BENCH" ] || { echo "magnet demo: $BENCH missing (make tools)"; exit 4; }
exec "$BENCH" --pages 256 --procs 2,4 --reps 3 --check
