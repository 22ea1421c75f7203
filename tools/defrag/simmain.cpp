// SPDX-License-Identifier: GPL-2.0
// dfg-sim: replays a DEFRAG trace on the host with the module's own policy
// code (kernel/defrag/core.c), for grouping and firstfit, and prints what
// the in-kernel replay prints for those variants.
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "hpmm/error.hpp"
#include "sim.hpp"
#include "trace.hpp"

int main(int argc, char **argv)
{
	using namespace hpmm::defrag;
	std::string path;
	unsigned headroom = 10;
	CLI::App app{"replays a DEFRAG trace with the module's policy code",
		     "dfg-sim"};
	app.add_option("TRACE", path)->required();
	app.add_option("HEADROOM_PERCENT", headroom);
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		std::cerr << "usage: dfg-sim TRACE [HEADROOM_PERCENT]\n";
		return e.get_exit_code() ? 1 : 0;
	}
	try {
		std::ifstream in(path);
		if (!in)
			throw hpmm::Error(hpmm::ErrorKind::operation,
					  "cannot read " + path);
		Trace t = read_trace(in);
		TraceStats ts = trace_stats(t);
		std::cout << "events: " << t.events.size() << '\n'
			  << "peak_live_pages: " << ts.peak_live_pages << '\n';
		for (dfg_policy p : {DFG_POLICY_GROUPING, DFG_POLICY_FIRSTFIT}) {
			SimResult r = simulate(t, p, headroom);
			std::string n = dfg_policy_name(p);
			std::cout << n << "_failures: " << r.failures << '\n'
				  << n << "_blocks: " << r.blocks << '\n'
				  << n << "_holding_unmovable: " << r.holding_unmovable << '\n'
				  << n << "_fewest_unmovable: " << r.fewest_unmovable << '\n'
				  << n << "_pollution_milli: " << r.pollution_milli << '\n'
				  << n << "_mean_pollution_milli: " << r.mean_pollution_milli << '\n'
				  << n << "_free_pages: " << r.free_pages << '\n'
				  << n << "_order9_possible: " << r.order9_possible << '\n'
				  << n << "_order9_success: " << r.order9_success << '\n'
				  << n << "_compact_moved: " << r.moves.moved << '\n'
				  << n << "_compact_recovered: " << r.moves.recovered << '\n'
				  << n << "_compact_min_moves: " << r.moves.min_moves << '\n'
				  << n << "_evicted: " << r.moves.evicted << '\n';
		}
		return 0;
	} catch (const std::exception &e) {
		std::cerr << "dfg-sim: " << e.what() << '\n';
		return 1;
	}
}
