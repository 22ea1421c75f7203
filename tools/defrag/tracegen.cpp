// SPDX-License-Identifier: GPL-2.0
// dfg-tracegen: writes a DEFRAG allocation trace (Documentation/defrag.rst)
// to stdout or -o FILE.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "hpmm/error.hpp"
#include "trace.hpp"

namespace {

constexpr std::string_view usage =
	"usage: dfg-tracegen [-o FILE] [--seed N] [--events N] [--groups N]\n"
	"                    [--live PAGES] [--unmovable F] [--reclaimable F]\n"
	"                    [--short-share F] [--short-mean N] [--long-mean N]\n"
	"                    [--huge-share F] [--end-free F]\n"
	"Writes a trace of mixed lifetimes and mobility (defaults in\n"
	"tools/defrag/trace.hpp).\n";

double number(const std::string &opt, const char *arg)
{
	if (!arg)
		throw hpmm::Error(hpmm::ErrorKind::usage, opt + " needs a value");
	char *end = nullptr;
	double v = std::strtod(arg, &end);
	if (!*arg || *end || v < 0)
		throw hpmm::Error(hpmm::ErrorKind::usage,
				  opt + ": not a number: " + arg);
	return v;
}

} // namespace

int main(int argc, char **argv)
{
	using namespace hpmm::defrag;
	GenParams p;
	std::string out;
	try {
		for (int i = 1; i < argc; i++) {
			std::string opt = argv[i];
			const char *val = i + 1 < argc ? argv[i + 1] : nullptr;
			if (opt == "-h" || opt == "--help") {
				std::cout << usage;
				return 0;
			}
			if (opt == "-o") {
				if (!val)
					throw hpmm::Error(hpmm::ErrorKind::usage,
							  "-o needs a file");
				out = val;
			} else if (opt == "--seed") {
				p.seed = static_cast<std::uint64_t>(number(opt, val));
			} else if (opt == "--events") {
				p.events = static_cast<std::size_t>(number(opt, val));
			} else if (opt == "--groups") {
				p.groups = static_cast<unsigned>(number(opt, val));
			} else if (opt == "--live") {
				p.live_pages = static_cast<std::uint64_t>(number(opt, val));
			} else if (opt == "--unmovable") {
				p.unmovable = number(opt, val);
			} else if (opt == "--reclaimable") {
				p.reclaimable = number(opt, val);
			} else if (opt == "--short-share") {
				p.short_share = number(opt, val);
			} else if (opt == "--short-mean") {
				p.short_mean = number(opt, val);
			} else if (opt == "--long-mean") {
				p.long_mean = number(opt, val);
			} else if (opt == "--huge-share") {
				p.huge_share = number(opt, val);
			} else if (opt == "--end-free") {
				p.end_free = number(opt, val);
			} else {
				throw hpmm::Error(hpmm::ErrorKind::usage,
						  "unknown option " + opt);
			}
			i++;
		}
		if (p.groups < 1 || p.groups > max_groups ||
		    p.unmovable + p.reclaimable > 1 || p.short_share > 1 ||
		    p.huge_share > 1 || p.end_free > 1 || p.short_mean <= 0 || p.long_mean <= 0)
			throw hpmm::Error(hpmm::ErrorKind::usage,
					  "parameter out of range");
		Trace t = generate(p);
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
