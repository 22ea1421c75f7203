// SPDX-License-Identifier: GPL-2.0
// Running a benchmark for `hpmmctl report`: a child process with no stdin,
// its stdout and stderr merged and handed over line by line as they come,
// and a callback while it is quiet (for progress on the terminal).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::report {

struct RunHooks {
	// Each line of output, '\r' and '\n' removed.
	std::function<void(std::string_view line)> line;
	// Called after quiet_seconds without output (then again every
	// quiet_seconds), with the seconds since the start.
	std::function<void(double elapsed)> quiet;
	double quiet_seconds = 30;
};

// Runs argv (argv[0] looked up in PATH unless it holds a '/') in directory
// cwd and waits for it. Returns its exit status, 128 + N when signal N
// ended it, or -1 (with why in error) when it could not start.
int run_process(const std::vector<std::string> &argv,
		const std::filesystem::path &cwd, const RunHooks &hooks,
		std::string &error);

} // namespace hpmm::report
