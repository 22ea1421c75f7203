// SPDX-License-Identifier: GPL-2.0
// hpmmctl's command registry and dispatcher.
//
// Each top-level subcommand lives in its own cmd_<name>.cpp, which defines
// `Command <name>_command()`, and is listed once in commands.def.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpmm/debugfs.hpp"
#include "hpmm/error.hpp"

namespace hpmm::ctl {

// What a command runs with: its output streams, where debugfs is, and the
// global options.
struct Context {
	std::ostream &out;
	std::ostream &err;
	DebugfsLocator locator;
	bool json = false;

	// Throws Error(environment) when debugfs or the module is missing.
	Debugfs debugfs() const { return Debugfs::open(locator); }
};

struct Command {
	std::string_view name;
	std::string_view summary; // one line for `hpmmctl help`
	std::string_view usage;   // usage lines without "usage: ", '\n'-separated
	// args: what follows the command name. Returns the exit status;
	// throws hpmm::Error (usage_error() for a bad command line).
	int (*run)(Context &ctx, std::span<const std::string> args);
};

// All commands, in help order (commands.cpp, from commands.def).
std::span<const Command> commands();
// nullptr when there is no such command.
const Command *find_command(std::string_view name);

// Throws Error(usage): the dispatcher prints message and the usage of the
// running command to stderr, and exits 1.
[[noreturn]] void usage_error(const std::string &message);

// A command's arguments split into positionals, flags and options with a
// value.
struct Args {
	std::vector<std::string> positional;
	std::vector<std::string> flags;
	// The value of each option given (the last one when repeated).
	std::map<std::string, std::string, std::less<>> values;

	bool has(std::string_view flag) const;
	std::optional<std::string> get(std::string_view option) const;
};

// Splits args with CLI11. "--json"/"-j" is always accepted and sets
// ctx.json; "--help"/"-h" prints the command's usage and exits 0; "--" ends
// options; flags are options without a value, with_value options take the
// next word; any other word starting with '-' is a usage_error().
Args parse_args(Context &ctx, std::span<const std::string> args,
		std::initializer_list<std::string_view> flags = {},
		std::initializer_list<std::string_view> with_value = {});

// Runs `hpmmctl args...` (args without the program name). Never throws.
int run(std::span<const std::string> args, Context &ctx);

// Prints the global usage.
void print_usage(std::ostream &out);
// Prints a command's usage.
void print_usage(std::ostream &out, const Command &cmd);

} // namespace hpmm::ctl
