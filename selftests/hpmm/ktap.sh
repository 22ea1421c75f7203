# SPDX-License-Identifier: GPL-2.0
#
# ktap.sh: KTAP output and kselftest counters for the hpmm shell tests.
# Sourced by hpmm.sh, load_test.sh and run_all.sh (bash).
#
# Counting: each program ends with one "# Totals:" line (kselftest.h's
# format) that counts only the test cases no nested program's Totals line
# counts. A wrapper that runs a program reports it as one case of its own
# only when that program printed no Totals line (it crashed, or skipped
# whole). So the sum of every Totals line in an output, at any depth,
# counts each test case exactly once.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# This program's own cases.
ktap_num=0
ktap_pass=0
ktap_fail=0
ktap_skip=0
# What the Totals lines of the programs run by ktap_run_nested counted.
ktap_sum_pass=0
ktap_sum_fail=0
ktap_sum_skip=0

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

# ktap_run_nested NAME TIMEOUT CMD...
# Runs CMD (TIMEOUT seconds at most, 0 for no limit) with its output
# indented by "# ", adds the Totals lines found in it to ktap_sum_*, and
# reports NAME as a case.
ktap_run_nested()
{
	local name=$1 tmo=$2 log rc totals p f s
	local -a buf=()

	shift 2
	log=$(mktemp)
	if [ "$tmo" -gt 0 ]; then
		set -- timeout --kill-after=10 "$tmo" "$@"
	fi
	if command -v stdbuf >/dev/null; then
		buf=(stdbuf -oL -eL)
	fi
	{ "${buf[@]}" "$@" </dev/null 2>&1; echo $? >"$log.rc"; } |
		tee "$log" | sed -u 's/^/# /'
	rc=$(cat "$log.rc" 2>/dev/null || echo 1)

	totals=$(awk '
		/^(# )*# Totals: pass:[0-9]+ fail:[0-9]+ xfail:[0-9]+ xpass:[0-9]+ skip:[0-9]+ error:[0-9]+/ {
			n++
			for (i = 1; i <= NF; i++) {
				split($i, kv, ":")
				if (kv[1] == "pass" || kv[1] == "xfail") p += kv[2]
				else if (kv[1] == "fail" || kv[1] == "xpass" || kv[1] == "error") f += kv[2]
				else if (kv[1] == "skip") s += kv[2]
			}
		}
		END { printf "%d %d %d %d\n", n, p, f, s }' "$log")
	rm -f "$log" "$log.rc"
	read -r n p f s <<<"$totals"
	ktap_sum_pass=$((ktap_sum_pass + p))
	ktap_sum_fail=$((ktap_sum_fail + f))
	ktap_sum_skip=$((ktap_sum_skip + s))

	ktap_num=$((ktap_num + 1))
	if [ "$tmo" -gt 0 ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
		echo "not ok $ktap_num $name # TIMEOUT $tmo seconds"
		ktap_fail=$((ktap_fail + 1))
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne $KSFT_SKIP ] || [ "$f" -gt 0 ]; then
		echo "not ok $ktap_num $name # exit=$rc"
		# Count it here unless a Totals line already counted a failure.
		[ "$f" -eq 0 ] && ktap_fail=$((ktap_fail + 1))
	elif [ "$rc" -eq $KSFT_SKIP ]; then
		echo "ok $ktap_num $name # SKIP"
		[ "$n" -eq 0 ] && ktap_skip=$((ktap_skip + 1))
	else
		echo "ok $ktap_num $name"
		[ "$n" -eq 0 ] && ktap_pass=$((ktap_pass + 1))
	fi
	return 0
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
