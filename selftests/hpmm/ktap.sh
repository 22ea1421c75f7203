# SPDX-License-Identifier: GPL-2.0
#
# ktap.sh: KTAP output for the hpmm shell tests (what 6.9's
# kselftest/ktap_helpers.sh gives newer kernels) and the helpers they share
# (module load and unload, debugfs, the kernel log). Sourced by hpmm.sh,
# load_test.sh, run_all.sh and the other *_test.sh (bash). Programs are run
# by linux-source's kselftest/runner.sh (hpmm_run_programs, run_all.sh).
#
# Counting: each program ends with one "# Totals:" line (kselftest.h's
# format) that counts only its own test cases, never those of a program it
# runs (ktap_finish prints one for shell tests). ksft_count.awk sums them.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# This program's own cases.
ktap_num=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

KTAP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The kselftest headers and runner of Debian's linux-source-6.1, unpacked by
# scripts/install-deps; the guest sees the host's tree.
if [ -z "${KSFT_DIR:-}" ]; then
	KSFT_DIR=$(sed -n 's/^KSFT_DIR := //p' "$KTAP_DIR/../../.cache/env.mk" 2>/dev/null)
fi

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	echo "1..$1"
}

# Diagnostic lines, one per argument line.
ktap_diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

ktap_ok()
{
	ktap_num=$((ktap_num + 1))
	ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_num $*"
}

ktap_not_ok()
{
	ktap_num=$((ktap_num + 1))
	ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_num $*"
}

# ktap_skip NAME REASON
ktap_skip()
{
	ktap_num=$((ktap_num + 1))
	ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_num $1 # SKIP $2"
}

# ktap_result NAME ERRORS: ok when ERRORS is empty, else not ok with them.
ktap_result()
{
	if [ -z "$2" ]; then
		ktap_ok "$1"
	else
		ktap_diag "$1:$2"
		ktap_not_ok "$1"
	fi
}

ktap_totals()
{
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
}

# Prints Totals and exits: 1 on any failure, 4 when all skipped, else 0.
ktap_finish()
{
	ktap_totals
	if [ "$ktap_fail" -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ "$ktap_pass" -eq 0 ] && [ "$ktap_skip" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# Skips the whole program before any plan: "1..0 # SKIP", exit 4.
ktap_skip_all()
{
	ktap_header
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# hpmm_run_programs NUM PROG...: run each PROG (a path) with the kselftest
# runner of linux-source (kselftest/runner.sh, as lib.mk's run_tests does),
# numbering their result lines from NUM + 1. The runner prints each
# program's output indented by "# " and one "ok/not ok N selftests: ..."
# line for it; its timeout is ./settings' (HPMM_KSFT_TIMEOUT overrides), or
# HPMM_KSFT_RUN_TIMEOUT for this call only (not passed on to the programs).
hpmm_run_programs()
{
	local first=$1 prog

	shift
	# shellcheck source=/dev/null
	(
		BASE_DIR=$KSFT_DIR
		. "$KSFT_DIR/kselftest/runner.sh"
		kselftest_default_timeout=${HPMM_KSFT_RUN_TIMEOUT:-$(hpmm_ksft_timeout)}
		unset HPMM_KSFT_RUN_TIMEOUT
		test_num=$first
		for prog in "$@"; do
			test_num=$((test_num + 1))
			run_one hpmm "$prog" "$test_num" </dev/null
		done
	)
	ktap_num=$((first + $#))
}

# The per-program timeout: HPMM_KSFT_TIMEOUT, else ./settings', else 900.
hpmm_ksft_timeout()
{
	local t

	t=$(sed -n 's/^timeout=//p' "$KTAP_DIR/settings" 2>/dev/null)
	echo "${HPMM_KSFT_TIMEOUT:-${t:-900}}"
}

# Mounts debugfs unless it is.
hpmm_mount_debugfs()
{
	if ! grep -qs '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts; then
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	fi
}

# Writes a marker into the kernel log; hpmm_kmsg_since prints what follows.
hpmm_kmsg_mark()
{
	hpmm_marker="hpmm-selftests: $1 $$ $(date +%s%N)"
	echo "$hpmm_marker" >/dev/kmsg
}

hpmm_kmsg_since()
{
	dmesg 2>/dev/null | awk -v m="$hpmm_marker" 'seen { print } index($0, m) { seen = 1 }'
}

# Kernel log lines since the marker that show a problem.
hpmm_kmsg_problems()
{
	hpmm_kmsg_since | grep -E 'WARNING:|BUG:|Oops|Call Trace:|general protection|leak'
}

# hpmm_status_key KEY: a value of debugfs hpmm/status.
hpmm_status_key()
{
	sed -n "s/^$1: //p" /sys/kernel/debug/hpmm/status 2>/dev/null
}

# hpmm_live_check: nothing empty if hpmm holds no page and no DMA mapping,
# else what it still holds (" live_pages=N live_dma_mappings=N").
hpmm_live_check()
{
	local pages maps

	pages=$(hpmm_status_key live_pages)
	maps=$(hpmm_status_key live_dma_mappings)
	[ "$pages" = 0 ] && [ "$maps" = 0 ] ||
		echo " live_pages=${pages:-?} live_dma_mappings=${maps:-?}"
}

# The PCI addresses of the edu devices present.
hpmm_edu_devices()
{
	local d

	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] &&
		[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] &&
		basename "$d"
	done
	return 0
}

# hpmm_need_root NAME: skips the whole program NAME unless run as root.
hpmm_need_root()
{
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "$1: must be run as root"
}

# hpmm_load_unless_loaded NAME MODULE: for a program NAME that tests the hpmm
# already loaded, or MODULE: insmod MODULE when hpmm is not loaded
# (hpmm_we_loaded=1 then, and hpmm_unload_ours removes it again), and mount
# debugfs. Skips the whole program when MODULE is missing or does not load.
hpmm_load_unless_loaded()
{
	hpmm_we_loaded=
	if [ ! -e /sys/module/hpmm ]; then
		[ -f "$2" ] || ktap_skip_all "$1: $2 not found"
		insmod "$2" || ktap_skip_all "$1: insmod $2 failed"
		hpmm_we_loaded=1
	fi
	hpmm_mount_debugfs
}

# hpmm_unload_ours: rmmod hpmm if hpmm_load_unless_loaded loaded it.
hpmm_unload_ours()
{
	if [ -n "${hpmm_we_loaded:-}" ]; then
		rmmod hpmm
		hpmm_we_loaded=
	fi
}

# hpmm_skip_all_unloading NAME REASON: ktap_skip_all after hpmm_unload_ours.
hpmm_skip_all_unloading()
{
	hpmm_unload_ours
	ktap_skip_all "$1: $2"
}

# hpmm_load MODULE: insmod hpmm.ko (MODULE), then hpmm_test.ko from the same
# folder (the test module: device self-tests, models, benchmarks); prints
# what failed and returns 1 then.
hpmm_load()
{
	local out test_ko

	test_ko=$(dirname "$1")/hpmm_test.ko
	if ! out=$(insmod "$1" 2>&1); then
		echo " insmod $1: $out"
		return 1
	fi
	if [ -f "$test_ko" ] && ! out=$(insmod "$test_ko" 2>&1); then
		echo " insmod $test_ko: $out"
		rmmod hpmm
		return 1
	fi
	return 0
}

# hpmm_unload: rmmod hpmm_test and hpmm, and check they left nothing behind;
# prints problems.
hpmm_unload()
{
	local out bdf drv tries=0

	if [ -e /sys/module/hpmm_test ] && ! out=$(rmmod hpmm_test 2>&1); then
		echo " rmmod hpmm_test failed: $out"
		return
	fi

	# Work deferred by the last test (an HPA destroy waiting for pages in
	# flight) holds the module for a moment: give it 5 s.
	while ! out=$(rmmod hpmm 2>&1); do
		case $out in
		*"in use"*) [ $((tries += 1)) -le 50 ] && { sleep 0.1; continue; } ;;
		esac
		echo " rmmod failed: $out"
		return
	done
	[ -e /sys/module/hpmm ] && echo " /sys/module/hpmm still present"
	[ -e /dev/hpmm ] && echo " /dev/hpmm still present"
	[ -e /sys/kernel/debug/hpmm ] && echo " debugfs hpmm/ still present"
	[ -e /sys/kernel/debug/hpmm_test ] && echo " debugfs hpmm_test/ still present"
	for bdf in $(hpmm_edu_devices); do
		drv=$(readlink "/sys/bus/pci/devices/$bdf/driver" 2>/dev/null)
		[ "${drv##*/}" = hpmm ] && echo " $bdf still bound to hpmm"
	done
	return 0
}
