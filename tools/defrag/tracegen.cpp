// SPDX-License-Identifier: GPL-2.0
// dfg-tracegen: writes a DEFRAG allocation trace (Documentation/defrag.rst)
// to stdout or -o FILE.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "hpmm/error.hpp"
#include "jobs.hpp"
#include "trace.hpp"

namespace {

constexpr std::string_view usage =
	"usage: dfg-tracegen [-o FILE] [--seed N] [--events N] [--groups N]\n"
	"                    [--live PAGES] [--unmovable F] [--reclaimable F]\n"
	"                    [--short-share F] [--short-mean N] [--long-mean N]\n"
	"                    [--huge-share F] [--end-free F]\n"
	"       dfg-tracegen --mode jobs [-o FILE] [--seed N] [--events N]\n"
	"                    [--live PAGES] [--boot F] [--jobs N] [--job-mean N]\n"
	"                    [--job-survive F] [--vfs-survive F] [--alpha F]\n"
	"                    [--end-free F]\n"
	"Writes a trace of mixed lifetimes and mobility (defaults in\n"
	"tools/defrag/trace.hpp), or (--mode jobs) of a machine running build\n"
	"jobs whose kernel memory dies with them, with allocation sites\n"
	"(tools/defrag/jobs.hpp).\n";

// A non-negative number (integers too, as in "1e5"), stored as T.
template <typename T> void number(CLI::App &app, const char *opt, T &field)
{
	app.add_option_function<double>(opt,
					[&field](const double &v) {
						field = static_cast<T>(v);
					})
		->check(CLI::NonNegativeNumber);
}

} // namespace

int main(int argc, char **argv)
{
	using namespace hpmm::defrag;
	GenParams p;
	JobsParams jp;
	std::string out, mode = "mixed";
	try {
		CLI::App app{"writes a DEFRAG allocation trace", "dfg-tracegen"};
		app.set_help_flag();
		bool help = false;
		app.add_flag("-h,--help", help);
		app.add_option("-o", out);
		number(app, "--seed", p.seed);
		number(app, "--events", p.events);
		number(app, "--groups", p.groups);
		number(app, "--live", p.live_pages);
		number(app, "--unmovable", p.unmovable);
		number(app, "--reclaimable", p.reclaimable);
		number(app, "--short-share", p.short_share);
		number(app, "--short-mean", p.short_mean);
		number(app, "--long-mean", p.long_mean);
		number(app, "--huge-share", p.huge_share);
		number(app, "--end-free", p.end_free);
		app.add_option("--mode", mode)
			->check(CLI::IsMember({"mixed", "jobs"}));
		number(app, "--boot", jp.boot);
		number(app, "--jobs", jp.jobs);
		number(app, "--job-mean", jp.job_mean);
		number(app, "--job-survive", jp.job_survive);
		number(app, "--vfs-survive", jp.vfs_survive);
		number(app, "--alpha", jp.alpha);
		try {
			app.parse(argc, argv);
		} catch (const CLI::ParseError &e) {
			throw hpmm::Error(hpmm::ErrorKind::usage, e.what());
		}
		if (help) {
			std::cout << usage;
			return 0;
		}
		if (p.groups < 1 || p.groups > max_groups ||
		    p.unmovable + p.reclaimable > 1 || p.short_share > 1 ||
		    p.huge_share > 1 || p.end_free > 1 || p.short_mean <= 0 || p.long_mean <= 0)
			throw hpmm::Error(hpmm::ErrorKind::usage,
					  "parameter out of range");
		if (jp.boot > 1 || jp.jobs < 1 || jp.job_mean <= 0 ||
		    jp.job_survive > 1 || jp.vfs_survive > 1 || jp.alpha <= 0)
			throw hpmm::Error(hpmm::ErrorKind::usage,
					  "parameter out of range");
		jp.seed = p.seed;
		jp.end_free = p.end_free;
		if (app.count("--events"))
			jp.events = p.events;
		if (app.count("--live"))
			jp.live_pages = p.live_pages;
		Trace t = mode == "jobs" ? generate_jobs(jp) : generate(p);
		if (out.empty()) {
			write_trace(std::cout, t);
		} else {
			std::ofstream f(out);
			if (!f)
				throw hpmm::Error(hpmm::ErrorKind::operation,
						  "cannot write " + out);
			write_trace(f, t);
		}
		return 0;
	} catch (const hpmm::Error &e) {
		std::cerr << "dfg-tracegen: " << e.what() << '\n';
		if (e.kind() == hpmm::ErrorKind::usage)
			std::cerr << usage;
		return 1;
	}
}
