// SPDX-License-Identifier: GPL-2.0
// Running a program without a shell (fork and exec): a child process with
// no stdin, its stdout and stderr merged and handed over line by line as
// they come, and a callback while it is quiet (for progress on the
// terminal). The one place the hpmm tools start other programs.
#pragma once

#include <filesystem>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm {

struct RunHooks {
	// Each line of output, '\r' and '\n' removed.
	std::function<void(std::string_view line)> line;
	// Called after quiet_seconds without output (then again every
	// quiet_seconds), with the seconds since the start.
	std::function<void(double elapsed)> quiet;
	double quiet_seconds = 30;
	// The child writes to our stdout and stderr instead (line and quiet
	// are not called).
	bool inherit_output = false;
};

// Runs argv (argv[0] looked up in PATH unless it holds a '/') in directory
// cwd and waits for it. Returns its exit status, 128 + N when signal N
// ended it, or -1 (with why in error) when it could not start.
int run_process(const std::vector<std::string> &argv,
		const std::filesystem::path &cwd, const RunHooks &hooks,
		std::string &error);

// run_process() in the current directory with the output collected in
// output (lines joined with '\n').
int run_process(const std::vector<std::string> &argv, std::string &output);

// The executable file name resolves to: name itself when it holds a '/',
// else the first match in $PATH; nullopt when there is none.
std::optional<std::filesystem::path> find_program(std::string_view name);

} // namespace hpmm
