#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
#
# ksft_count.awk: count the test cases in the output of the kselftest
# runner (kselftest/runner.sh), at any nesting depth ("# " per level).
# Prints "N passed, N failed, N skipped".
#
# Every program prints one "# Totals: pass:P fail:F xfail:X xpass:XP
# skip:S error:E" line (kselftest.h's format) counting only its own cases;
# the sum of those lines counts each case once. A runner result line
# ("ok N selftests: DIR: PROG" at depth D) closes PROG's output, whose own
# result lines are at depth D+1 and whose Totals line at D+2. It counts as
# a case only when PROG printed no Totals line (it crashed, timed out or
# skipped whole), and a PROG that failed without counting a failure (it
# exited non-zero after passing cases) adds one failure.

# Levels of "# " before the text (the harness's own "# " of Totals counts).
function depth(line,   d) {
	d = 0
	while (substr(line, 2 * d + 1, 2) == "# ")
		d++
	return d
}

{
	d = depth($0)
	body = substr($0, 2 * d + 1)
}

body ~ /^Totals: pass:[0-9]+ fail:[0-9]+ xfail:[0-9]+ xpass:[0-9]+ skip:[0-9]+ error:[0-9]+/ {
	n = split(body, f, /[ :]+/)
	for (i = 1; i < n; i++) {
		if (f[i] == "pass" || f[i] == "xfail")
			pass += f[i + 1]
		else if (f[i] == "fail" || f[i] == "xpass" || f[i] == "error") {
			fail += f[i + 1]
			failed_at[d] += f[i + 1]
		} else if (f[i] == "skip")
			skip += f[i + 1]
	}
	totals_at[d] = 1
	next
}

body ~ /^(not )?ok [0-9]+ selftests: / {
	inner = d + 2
	if (!totals_at[inner]) {
		if (body ~ /^not ok/)
			fail++
		else if (body ~ /# SKIP/)
			skip++
		else
			pass++
	} else if (body ~ /^not ok/ && !failed_at[inner]) {
		fail++
	}
	delete totals_at[inner]
	delete failed_at[inner]
}

END {
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
}
