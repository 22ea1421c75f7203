// SPDX-License-Identifier: GPL-2.0
// hpmm-trace's command line.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace hpmm::trace {

struct Options {
	std::string command;     // a profile's command, or "check"
	double duration_s = 0;   // 0: until SIGINT or SIGTERM
	double interval_s = 1;   // 0: no interval lines, the summary only
	bool json = false;
	std::string format_dir;  // hidden: read DIR/<event>/format instead of
				 // tracefs (tests feed doctored formats)
	bool help = false;
};

// Parses the arguments after the program name. Options may come before or
// after the command. Throws hpmm::Error(usage) with a one-line message.
Options parse_cli(std::span<const std::string> args);

void print_usage(std::ostream &out);

} // namespace hpmm::trace
