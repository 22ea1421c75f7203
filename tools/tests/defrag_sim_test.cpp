// SPDX-License-Identifier: GPL-2.0
// DEFRAG policy on whole traces: the simulator (tools/defrag/sim.*) runs
// kernel/defrag/core.c against generated traces.
#include <gtest/gtest.h>

#include "jobs.hpp"
#include "sim.hpp"
#include "trace.hpp"

using namespace hpmm::defrag;

namespace {

Trace churn(std::uint64_t seed, unsigned groups = 1)
{
	GenParams p;
	p.seed = seed;
	p.events = 300000;
	p.live_pages = 65536;
	p.groups = groups;
	return generate(p);
}

} // namespace

TEST(DefragSim, GroupingKeepsUnmovablePagesPacked)
{
	for (std::uint64_t seed : {1, 2, 3}) {
		Trace t = churn(seed);
		SimResult g = simulate(t, DFG_POLICY_GROUPING);
		SimResult f = simulate(t, DFG_POLICY_FIRSTFIT);
		EXPECT_EQ(g.failures, 0u);
		EXPECT_LE(g.pollution_milli, 1100u) << "seed " << seed;
		EXPECT_LT(g.pollution_milli, f.pollution_milli);
	}
}

// DFG_POLICY_BPF without a program runs grouping's plan through the plan
// executor: it must place every allocation as grouping's C code does, on
// the benchmark's traces and on the build-jobs traces alike.
TEST(DefragSim, PlannedGroupingPlacesAsGrouping)
{
	JobsParams jp;
	jp.events = 120000;
	jp.live_pages = 32768;
	for (const Trace &t : {churn(1), churn(2, 3), generate_jobs(jp)}) {
		SimResult g = simulate(t, DFG_POLICY_GROUPING);
		SimResult b = simulate(t, DFG_POLICY_BPF);
		EXPECT_EQ(b.failures, g.failures);
		EXPECT_EQ(b.blocks, g.blocks);
		EXPECT_EQ(b.holding_unmovable, g.holding_unmovable);
		EXPECT_EQ(b.pollution_milli, g.pollution_milli);
		EXPECT_EQ(b.mean_pollution_milli, g.mean_pollution_milli);
		EXPECT_EQ(b.free_pages, g.free_pages);
		EXPECT_EQ(b.order9_possible, g.order9_possible);
		EXPECT_EQ(b.order9_success, g.order9_success);
		EXPECT_EQ(b.moves.moved, g.moves.moved);
		EXPECT_EQ(b.moves.evicted, g.moves.evicted);
	}
}

TEST(DefragSim, HugeAllocationsUseNearlyAllFreeMemory)
{
	Trace t = churn(4, 1);
	SimResult g = simulate(t, DFG_POLICY_GROUPING);
	ASSERT_GT(g.order9_possible, 0u);
	EXPECT_GE(g.order9_success * 100, g.order9_possible * 99);
	EXPECT_GT(g.moves.recovered, 0u);
	// Compaction moves no more than 1.2x the fewest moves.
	EXPECT_LE(g.moves.moved * 10, g.moves.min_moves * 12);
}

TEST(DefragSim, EverythingFreedLeavesOnlyFreeBlocks)
{
	Trace t = churn(5, 3);
	Sim sim(DFG_POLICY_GROUPING, 3);
	std::vector<Event> live;
	for (const Event &ev : t.events) {
		if (ev.alloc)
			ASSERT_TRUE(sim.alloc(ev));
		else
			sim.free(ev);
	}
	// Free what is still live, in reverse order of allocation.
	std::vector<bool> freed(t.events.size());
	std::vector<Event> rest;
	{
		std::vector<int> last(max_handle + 1, -1);
		for (std::size_t i = 0; i < t.events.size(); i++)
			if (t.events[i].alloc)
				last[t.events[i].handle] = static_cast<int>(i);
			else
				last[t.events[i].handle] = -1;
		for (int i : last)
			if (i >= 0)
				rest.push_back(t.events[i]);
	}
	for (const Event &ev : rest)
		sim.free(ev);
	sim.drain();
	for (unsigned g = 0; g < 3; g++) {
		dfg_summary s = sim.summary(g);
		EXPECT_EQ(s.split_blocks, 0u);
		EXPECT_EQ(s.used[0] + s.used[1] + s.used[2], 0u);
		EXPECT_EQ(s.blocks, s.free_blocks);
	}
}

TEST(DefragSim, CompactionMovesOnlyWhatItPlanned)
{
	Trace t = churn(6);
	Sim sim(DFG_POLICY_GROUPING, 1);
	for (const Event &ev : t.events) {
		if (ev.alloc)
			sim.alloc(ev);
		else
			sim.free(ev);
	}
	dfg_summary before = sim.summary(0);
	SimMoves m0 = sim.moves();
	unsigned rec = sim.compact(0, 0);
	dfg_summary after = sim.summary(0);
	EXPECT_EQ(after.used[1], before.used[1]);
	EXPECT_EQ(sim.moves().recovered - m0.recovered, rec);
	EXPECT_EQ(sim.moves().moved - m0.moved,
		  sim.moves().min_moves - m0.min_moves);
	EXPECT_LE(after.unusable_milli, before.unusable_milli);
	EXPECT_EQ(after.free_blocks, before.free_blocks + rec);
}
