#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# load_test.sh [MODULE]: HPMM_LOAD_CYCLES (default 20) cycles of insmod, one
# DMA round trip per edu device, a check that nothing is live, and rmmod with
# a check that the driver, its interrupts and its files are gone. Then the
# kernel log must hold no new warning, oops or leak report, and kmemleak
# (where the kernel has it) no leak from hpmm. KTAP output; exit 0 pass,
# 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

MODULE=${1:-$DIR/../../hpmm.ko}
CYCLES=${HPMM_LOAD_CYCLES:-20}
KMEMLEAK=/sys/kernel/debug/kmemleak

[ "$(id -u)" -eq 0 ] || ktap_skip_all "load_test.sh: must be run as root"
[ -f "$MODULE" ] || ktap_skip_all "load_test.sh: $MODULE not found (make module)"
for tool in insmod rmmod dmesg; do
	command -v $tool >/dev/null || ktap_skip_all "load_test.sh: no $tool"
done

ktap_header
ktap_plan $((CYCLES + 2))
hpmm_mount_debugfs
hpmm_kmsg_mark load_test.sh
[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"

if [ -e /sys/module/hpmm ]; then
	ktap_diag "hpmm is loaded already: removing it first"
	out=$(hpmm_unload)
	[ -n "$out" ] && ktap_diag "$out"
fi

edu=$(hpmm_edu_devices)
[ -n "$edu" ] || ktap_diag "no edu device: the cycles do no DMA"

# One cycle; prints what went wrong.
cycle()
{
	local out bdf ctl irq irqs="" pages maps

	if ! out=$(hpmm_load "$MODULE"); then
		echo "$out"
		return
	fi
	for bdf in $edu; do
		if [ ! -d "/sys/kernel/debug/hpmm/dev/$bdf" ]; then
			echo " $bdf not bound"
			continue
		fi
		irq=$(sed -n 's/^irq: //p' "/sys/kernel/debug/hpmm/dev/$bdf/info")
		irqs="$irqs $irq"
		ctl=/sys/kernel/debug/hpmm_test/dev/$bdf/control
		if ! out=$({ printf 'roundtrip edu 64\n' >"$ctl"; } 2>&1); then
			echo " $bdf: roundtrip edu 64: $out"
		fi
	done
	pages=$(hpmm_status_key live_pages)
	maps=$(hpmm_status_key live_dma_mappings)
	[ "$pages" = 0 ] || echo " live_pages=${pages:-?} before rmmod"
	[ "$maps" = 0 ] || echo " live_dma_mappings=${maps:-?} before rmmod"
	hpmm_unload
	# free_irq() removed the handlers.
	for irq in $irqs; do
		grep -qE "^ *$irq:" /proc/interrupts &&
			echo " irq $irq still in /proc/interrupts"
	done
	return 0
}

for i in $(seq 1 "$CYCLES"); do
	ktap_result "cycle $i" "$(cycle 2>&1)"
done

problems=$(hpmm_kmsg_problems)
ktap_result "kernel log clean" "${problems:+$'\n'$problems}"

# kmemleak reports an object once it has been unreferenced for a while and
# seen by two scans. After rmmod, hpmm's frames print as bare addresses in
# module space (0xffffffffc...), so those count as hpmm's too.
if [ ! -w "$KMEMLEAK" ]; then
	ktap_skip "kmemleak" "no $KMEMLEAK"
else
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	leaks=$(awk '
		/^unreferenced object/ { if (hit) printf "%s", rec; rec = ""; hit = 0 }
		{ rec = rec $0 "\n" }
		/hpmm|\] 0xffffffffc[0-9a-f]+$/ { hit = 1 }
		END { if (hit) printf "%s", rec }' "$KMEMLEAK")
	ktap_result "kmemleak" "${leaks:+$'\n'$leaks}"
fi

ktap_finish
