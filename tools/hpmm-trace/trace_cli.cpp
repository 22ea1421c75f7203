// SPDX-License-Identifier: GPL-2.0
#include "trace_cli.hpp"

#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

#include "hpmm/error.hpp"
#include "trace_report.hpp"

namespace hpmm::trace {

namespace {

[[noreturn]] void usage(const std::string &msg)
{
	throw Error(ErrorKind::usage, "hpmm-trace: " + msg);
}

double seconds(std::string_view opt, std::string_view text, double min)
{
	double v = 0;
	auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
	if (ec != std::errc() || p != text.data() + text.size() ||
	    !std::isfinite(v) || v < min || v > 1e6)
		usage(std::string(opt) + ": expected a number of seconds" +
		      (min > 0 ? " above 0" : "") + ", got '" +
		      std::string(text) + "'");
	return v;
}

} // namespace

Options parse_cli(std::span<const std::string> args)
{
	Options o;

	for (std::size_t i = 0; i < args.size(); i++) {
		std::string_view a = args[i];
		std::string_view val;
		bool has_val = false;
		if (a.starts_with("--") && a.find('=') != std::string_view::npos) {
			val = a.substr(a.find('=') + 1);
			a = a.substr(0, a.find('='));
			has_val = true;
		}
		auto value = [&]() -> std::string_view {
			if (has_val)
				return val;
			if (i + 1 >= args.size())
				usage(std::string(a) + " needs a value");
			return args[++i];
		};

		if (a == "-h" || a == "--help" || a == "help") {
			o.help = true;
		} else if (a == "-j" || a == "--json") {
			o.json = true;
		} else if (a == "-d" || a == "--duration") {
			o.duration_s = seconds(a, value(), 0);
		} else if (a == "-i" || a == "--interval") {
			o.interval_s = seconds(a, value(), 0);
			if (o.interval_s > 0 && o.interval_s < 0.1)
				usage(std::string(a) +
				      ": the shortest interval is 0.1 s");
		} else if (a == "--format-dir") {
			o.format_dir = std::string(value());
			if (o.format_dir.empty())
				usage("--format-dir needs a directory");
		} else if (a.starts_with("-")) {
			usage("unknown option '" + std::string(a) + "'");
		} else if (o.command.empty()) {
			if (a != "check" && !find_profile(a))
				usage("unknown command '" + std::string(a) + "'");
			o.command = std::string(a);
		} else {
			usage("unexpected argument '" + std::string(a) + "'");
		}
		if (has_val && (a == "-h" || a == "--help" || a == "--json"))
			usage(std::string(a) + " takes no value");
	}
	if (!o.help && o.command.empty())
		usage("no command given");
	return o;
}

void print_usage(std::ostream &out)
{
	out << "usage: hpmm-trace COMMAND [--duration S] [--interval S] [--json]\n"
	       "\n"
	       "Counts hpmm tracepoints (tracefs events/hpmm/) with BPF.\n"
	       "\n"
	       "commands:\n";
	for (const auto &p : profiles()) {
		std::string name(p.command);
		name.resize(8, ' ');
		out << "  " << name << p.summary << '\n';
	}
	out << "  check   compare every event's tracefs format with hpmm-trace's, "
	       "load nothing\n"
	       "\n"
	       "options:\n"
	       "  -d, --duration S   stop after S seconds (default: at SIGINT/SIGTERM)\n"
	       "  -i, --interval S   print a line every S seconds (default 1; 0: none)\n"
	       "  -j, --json         one JSON object per line: intervals, then a summary\n"
	       "\n"
	       "exit status: 0 ok; 1 usage error, format mismatch or failure;\n"
	       "2 no tracefs, no BPF, or hpmm not loaded\n";
}

} // namespace hpmm::trace
