// SPDX-License-Identifier: GPL-2.0
#include "cli.hpp"

#include <algorithm>
#include <exception>

#include <CLI/CLI.hpp>

namespace hpmm::ctl {

namespace {

// Thrown by parse_args() for --help inside a command.
struct HelpRequested {};

bool is_option(const std::string &arg)
{
	return arg.size() > 1 && arg[0] == '-';
}

// Lines up to the first empty one get "usage: " (then aligned blanks);
// the rest is printed as is.
void print_usage_text(std::ostream &out, std::string_view text)
{
	bool head = true;
	bool first = true;
	while (!text.empty()) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() :
								  nl + 1);
		if (line.empty())
			head = false;
		if (head)
			out << (first ? "usage: " : "       ");
		out << line << '\n';
		first = false;
	}
}

int help(Context &ctx, std::span<const std::string> args)
{
	if (args.empty()) {
		print_usage(ctx.out);
		return exit_ok;
	}
	if (args.size() > 1)
		usage_error("help takes at most one command");
	const Command *cmd = find_command(args[0]);
	if (!cmd)
		usage_error("unknown command '" + args[0] + "'");
	print_usage(ctx.out, *cmd);
	return exit_ok;
}

} // namespace

void usage_error(const std::string &message)
{
	throw Error(ErrorKind::usage, message);
}

bool Args::has(std::string_view flag) const
{
	return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::optional<std::string> Args::get(std::string_view option) const
{
	auto it = values.find(option);
	if (it == values.end())
		return std::nullopt;
	return it->second;
}

Args parse_args(Context &ctx, std::span<const std::string> args,
		std::initializer_list<std::string_view> flags,
		std::initializer_list<std::string_view> with_value)
{
	Args parsed;
	CLI::App app;
	app.set_help_flag();
	// Unknown options are reported below, in hpmmctl's words.
	app.allow_extras();
	bool help = false, json = false;
	app.add_flag("-h,--help", help);
	app.add_flag("-j,--json", json);
	std::vector<std::pair<std::string, CLI::Option *>> given;
	for (std::string_view f : flags)
		given.emplace_back(f, app.add_flag(std::string(f)));
	for (std::string_view v : with_value) {
		std::string name(v);
		app.add_option_function<std::string>(
			   name,
			   [&parsed, name](const std::string &value) {
				   parsed.values[name] = value;
			   })
			->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
	}
	app.add_option("args", parsed.positional);

	// CLI11 takes a vector in reverse order.
	std::vector<std::string> words(args.rbegin(), args.rend());
	try {
		app.parse(words);
	} catch (const CLI::ArgumentMismatch &e) {
		// "--pages: 1 required TEXT missing"
		std::string what = e.what();
		usage_error(what.substr(0, what.find(':')) + " needs a value");
	} catch (const CLI::ParseError &e) {
		usage_error(e.what());
	}
	if (help)
		throw HelpRequested{};
	for (const std::string &extra : app.remaining())
		if (is_option(extra))
			usage_error("unknown option '" + extra + "'");
		else
			usage_error("unexpected argument '" + extra + "'");
	if (json)
		ctx.json = true;
	for (const auto &[name, opt] : given)
		if (opt->count())
			parsed.flags.push_back(name);
	return parsed;
}

void print_usage(std::ostream &out)
{
	print_usage_text(out, "hpmmctl [-j|--json] COMMAND [ARGS...]\n"
			      "hpmmctl help [COMMAND]\n"
			      "hpmmctl -V|--version\n");
	out << "\ncommands:\n";
	std::size_t width = 4; // "help"
	for (const Command &cmd : commands())
		width = std::max(width, cmd.name.size());
	for (const Command &cmd : commands())
		out << "  " << cmd.name
		    << std::string(width - cmd.name.size() + 2, ' ')
		    << cmd.summary << '\n';
	out << "  help" << std::string(width - 4 + 2, ' ')
	    << "this text, or the usage of COMMAND\n"
	    << "\noptions:\n"
	       "  -j, --json     JSON output instead of a table\n"
	       "  -h, --help     usage (after COMMAND: the command's usage)\n"
	       "  -V, --version  the version of hpmmctl\n"
	       "\nenvironment:\n"
	       "  HPMM_DEBUGFS   the hpmm debugfs directory (default: the "
	       "debugfs mount's hpmm/)\n"
	       "\nexit status: 0 ok, 1 usage or operation error, 2 debugfs not "
	       "mounted or hpmm not loaded\n";
}

void print_usage(std::ostream &out, const Command &cmd)
{
	print_usage_text(out, cmd.usage);
}

int run(std::span<const std::string> args, Context &ctx)
{
	const Command *cmd = nullptr;
	try {
		std::size_t i = 0;
		for (; i < args.size() && is_option(args[i]); ++i) {
			const std::string &arg = args[i];
			if (arg == "--json" || arg == "-j") {
				ctx.json = true;
			} else if (arg == "--help" || arg == "-h") {
				print_usage(ctx.out);
				return exit_ok;
			} else if (arg == "--version" || arg == "-V") {
				ctx.out << "hpmmctl " HPMM_TOOLS_VERSION "\n";
				return exit_ok;
			} else {
				usage_error("unknown option '" + arg + "'");
			}
		}
		if (i == args.size())
			usage_error("no command given");
		const std::string &name = args[i];
		if (name == "help")
			return help(ctx, args.subspan(i + 1));
		cmd = find_command(name);
		if (!cmd)
			usage_error("unknown command '" + name + "'");

		int status = cmd->run(ctx, args.subspan(i + 1));
		if (!ctx.out.flush()) {
			ctx.err << "hpmmctl: cannot write the output\n";
			return exit_failure;
		}
		return status;
	} catch (const HelpRequested &) {
		print_usage(ctx.out, *cmd);
		return exit_ok;
	} catch (const Error &e) {
		if (e.kind() == ErrorKind::usage) {
			ctx.err << "hpmmctl: " << e.what() << '\n';
			if (cmd)
				print_usage(ctx.err, *cmd);
			else
				print_usage(ctx.err);
		} else {
			ctx.err << e.what() << '\n';
		}
		return e.exit_code();
	} catch (const std::exception &e) {
		ctx.err << "hpmmctl: " << e.what() << '\n';
		return exit_failure;
	}
}

} // namespace hpmm::ctl
