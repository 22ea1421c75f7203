#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DEFRAG demo step (run by scripts/demo-guest with hpmm loaded): a process
# fragments a group (16 blocks, each left a quarter used), the group is
# compacted under it, its block map is printed and drawn before and after
# (SVG, and PNG when gnuplot is there, in .cache/demo/), and the process
# checks its data survived the moves; then a short trace is replayed in the
# kernel against DEFRAG grouping, DEFRAG firstfit and the kernel's own
# allocator (the replay is hpmm_test.ko's: loaded for that and unloaded
# after). The full benchmark is scripts/bench/defrag.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${HPMM_TOOLS:-$ROOT/tools/build}
HPMMCTL=${HPMMCTL:-$BIN/hpmmctl}
OUT=$ROOT/.cache/demo
mkdir -p "$OUT"
rc=0

if [ "${1:-}" != --while-mapped ]; then
	"$HPMMCTL" defrag payg-low 0 || exit 1
fi

draw() {
	"$HPMMCTL" defrag map demo "$OUT/defrag-$1.svg" &&
	if command -v gnuplot >/dev/null; then
		"$HPMMCTL" defrag map demo "$OUT/defrag-$1.png"
	fi &&
	"$HPMMCTL" defrag map demo
}

# Run by dfg-frag while its pages are mapped and its group "demo" lives.
if [ "${1:-}" = --while-mapped ]; then
	draw before &&
	"$HPMMCTL" defrag compact demo &&
	echo "-- after compaction --" &&
	draw after &&
	"$HPMMCTL" defrag group demo |
		grep -E "^(blocks|compact_(moved_pages|recovered_blocks|min_moves)):"
	exit
fi

echo "-- 4 mappings faulted in turn by turn, 3 unmapped: 16 blocks a quarter used --"
"$BIN/dfg-frag" --limit 16 --threshold 1000 demo 2048 4 -- \
	bash "$0" --while-mapped || rc=1

echo
echo "-- a short trace replayed in the kernel: grouping, firstfit, kernel --"
loaded=
if [ ! -d /sys/module/hpmm_test ]; then
	insmod "$ROOT/hpmm_test.ko" || exit 1
	loaded=1
fi
"$BIN/dfg-tracegen" --events 100000 --live 32768 --seed 1 -o "$OUT/defrag-demo.trace" &&
	"$HPMMCTL" defrag replay "$OUT/defrag-demo.trace" pairs=20000 || rc=1
[ -z "$loaded" ] || rmmod hpmm_test || rc=1
exit $rc
