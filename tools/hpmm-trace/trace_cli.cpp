// SPDX-License-Identifier: GPL-2.0
#include "trace_cli.hpp"

#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>

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
	CLI::App app;
	app.set_help_flag();
	// Unknown options are reported below, in hpmm-trace's words.
	app.allow_extras();
	app.add_flag("-h,--help", o.help);
	app.add_flag("-j,--json", o.json);
	std::string duration, interval;
	bool have_format_dir = false;
	CLI::Option *d = app.add_option("-d,--duration", duration);
	CLI::Option *i = app.add_option("-i,--interval", interval);
	app.add_option_function<std::string>("--format-dir",
					     [&](const std::string &dir) {
						     o.format_dir = dir;
						     have_format_dir = true;
					     });
	std::vector<std::string> words;
	app.add_option("words", words);

	for (std::string_view a : args)
		for (std::string_view flag : {"-h=", "--help=", "-j=", "--json="})
			if (a.starts_with(flag))
				usage(std::string(flag.substr(0, flag.size() - 1)) +
				      " takes no value");
	// CLI11 takes a vector in reverse order.
	std::vector<std::string> rev(args.rbegin(), args.rend());
	try {
		app.parse(rev);
	} catch (const CLI::ArgumentMismatch &e) {
		// "--duration: 1 required TEXT missing"
		std::string what = e.what();
		usage(what.substr(0, what.find(':')) + " needs a value");
	} catch (const CLI::ParseError &e) {
		usage(e.what());
	}
	for (const std::string &extra : app.remaining())
		usage((extra.starts_with("-") ? "unknown option '" :
						"unexpected argument '") +
		      extra + "'");
	if (d->count())
		o.duration_s = seconds("--duration", duration, 0);
	if (i->count()) {
		o.interval_s = seconds("--interval", interval, 0);
		if (o.interval_s > 0 && o.interval_s < 0.1)
			usage("--interval: the shortest interval is 0.1 s");
	}
	if (have_format_dir && o.format_dir.empty())
		usage("--format-dir needs a directory");
	for (const std::string &a : words) {
		if (a == "help") {
			o.help = true;
		} else if (o.command.empty()) {
			if (a != "check" && !find_profile(a))
				usage("unknown command '" + a + "'");
			o.command = a;
		} else {
			usage("unexpected argument '" + a + "'");
		}
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
