// SPDX-License-Identifier: GPL-2.0
// VPRI traces, workload generators and the simulator.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "hpmm/error.hpp"
#include "hpmm/vpri/sim.hpp"
#include "hpmm/vpri/trace.hpp"
#include "hpmm/vpri/workload.hpp"

namespace {

using namespace hpmm::vpri;

Trace loop_trace(std::uint32_t pages, std::uint32_t loop, int laps)
{
	Trace t;
	t.pages = pages;
	for (int l = 0; l < laps; l++)
		for (std::uint32_t p = 0; p < loop; p++)
			t.accesses.push_back({ p * page_size + 16, 64, l % 2 == 0 });
	return t;
}

TEST(VpriTrace, WriteThenParseRoundTrips)
{
	Trace t;
	t.pages = 32;
	t.comments.push_back("test");
	t.accesses = { { 0, 1, false }, { 0x1eff0, 4095, true }, { 31 * 4096, 100, false } };
	std::stringstream ss;
	write_trace(ss, t);
	Trace u = parse_trace(ss);
	EXPECT_EQ(32u, u.pages);
	EXPECT_EQ(t.accesses, u.accesses);
	EXPECT_EQ(3u, u.footprint());      // pages 0, 30 and 31
	EXPECT_EQ(4u, u.page_accesses());  // the second spans two pages
}

TEST(VpriTrace, ParsesCommentsDecimalAndInfersPages)
{
	std::istringstream in("# a comment\n\nR 4096 10  # trailing\nw 0x2000 1\n");
	Trace t = parse_trace(in);
	ASSERT_EQ(2u, t.accesses.size());
	EXPECT_EQ(3u, t.pages);
	EXPECT_TRUE(t.accesses[1].write);
}

TEST(VpriTrace, RejectsBadLines)
{
	for (const char *bad : { "X 0 10\n", "R 0 0\n", "R 0 4096\n", "R zz 10\n",
				 "R 0\n", "R 0 10 extra\n", "R 0x10000000 10\n",
				 "# pages 1\nR 8192 10\n", "# pages 0\n" }) {
		std::istringstream in(bad);
		EXPECT_THROW(parse_trace(in), hpmm::Error) << bad;
	}
}

TEST(VpriWorkload, GeneratorsAreDeterministicAndValid)
{
	NicParams n;
	n.accesses = 20000;
	Trace a = generate_nic(n), b = generate_nic(n);
	EXPECT_EQ(a.accesses, b.accesses);
	n.seed = 2;
	EXPECT_NE(a.accesses, generate_nic(n).accesses);
	ASSERT_EQ(20000u, a.accesses.size());
	for (const Access &x : a.accesses) {
		EXPECT_LT(x.last_page(), a.pages);
		EXPECT_GE(x.len, 1u);
		EXPECT_LE(x.len, 2048u);
		EXPECT_EQ(x.first_page(), x.last_page()); // half-page buffers
	}
	// 8 queues x 2 rings x 256 half-page buffers, plus a little churn.
	EXPECT_GE(a.footprint(), 1800u);
	EXPECT_LE(a.footprint(), 2200u);

	BlockParams bp;
	bp.accesses = 50000;
	Trace c = generate_block(bp);
	EXPECT_EQ(c.accesses, generate_block(bp).accesses);
	ASSERT_EQ(50000u, c.accesses.size());
	EXPECT_LE(c.footprint(), bp.max);
	EXPECT_GT(c.footprint(), bp.start); // it grew
	// Most blocks are touched more than twice.
	std::map<std::uint32_t, int> touches;
	for (const Access &x : c.accesses)
		touches[x.first_page()]++;
	std::size_t more_than_twice = 0;
	for (const auto &[p, k] : touches)
		more_than_twice += k > 2;
	EXPECT_GT(more_than_twice * 2, touches.size());
}

TEST(VpriWorkload, ParametersAreChecked)
{
	NicParams n;
	EXPECT_NO_THROW(apply_params(n, "queues=4,ring=128,churn=0.01"));
	EXPECT_EQ(4u, n.queues);
	EXPECT_DOUBLE_EQ(0.01, n.churn);
	EXPECT_THROW(apply_params(n, "color=red"), hpmm::Error);
	EXPECT_THROW(apply_params(n, "ring=x"), hpmm::Error);
	EXPECT_THROW(apply_params(n, "ring"), hpmm::Error);
	n.pages = 64; // too small for the rings
	EXPECT_THROW(generate_nic(n), hpmm::Error);
	BlockParams b;
	b.max = b.pages + 1;
	EXPECT_THROW(generate_block(b), hpmm::Error);
}

TEST(VpriSim, LruLoopPathologyAndOpt)
{
	Trace t = loop_trace(64, 9, 30);
	SimResult lru = simulate(t, VPRI_POLICY_LRU, 8);
	EXPECT_EQ(t.accesses.size(), lru.faults);
	EXPECT_EQ(0u, lru.hits);
	SimResult adp = simulate(t, VPRI_POLICY_ADP, 8);
	EXPECT_LT(adp.faults * 2, lru.faults);
	SimResult opt = simulate(t, policy_opt, 8);
	// MIN faults once a lap after the first (9 compulsory).
	EXPECT_LE(opt.faults, 9u + 29u * 2);
	EXPECT_LE(opt.faults, adp.faults);
}

TEST(VpriSim, AdpStaysCloseToOptOnLoops)
{
	// A loop longer than the budget: LRU faults on every access, MIN about
	// loop - budget + 1 times a lap. ADP keeps all but R (1/64 of the
	// budget) of its budget fixed on the loop from the first lap on.
	for (std::uint32_t budget : { 1843u, 1638u, 1434u }) {
		Trace t = loop_trace(4096, 2048, 40);
		SimResult lru = simulate(t, VPRI_POLICY_LRU, budget);
		SimResult adp = simulate(t, VPRI_POLICY_ADP, budget);
		SimResult opt = simulate(t, policy_opt, budget);
		EXPECT_EQ(t.accesses.size(), lru.faults);
		EXPECT_GE(adp.faults, opt.faults);
		std::uint64_t r = std::max<std::uint32_t>(2, budget / 64);
		std::uint64_t ideal = 2048 + 39 * (2048 - budget + r);
		EXPECT_LE(adp.faults, ideal + ideal / 50) << "budget " << budget;
	}
}

// Documentation/vpri.rst, goal 1: with the budget at 5% of the backed
// memory (573/655/737 pages of 16384 at 30/20/10% overcommit), no loop of
// any length gives LRU/MIN >= 6.28 at both the smallest and the largest
// budget: a loop that LRU misses at 737 pages is too long for MIN to keep
// 84% of it at 573.
TEST(VpriSim, NoSingleLoopReachesTheGoalAtEveryBudget)
{
	for (std::uint32_t loop = 560; loop <= 1200; loop += 16) {
		Trace t = loop_trace(4096, loop, 20);
		double lo = static_cast<double>(simulate(t, VPRI_POLICY_LRU, 573).faults) /
			    static_cast<double>(simulate(t, policy_opt, 573).faults);
		double hi = static_cast<double>(simulate(t, VPRI_POLICY_LRU, 737).faults) /
			    static_cast<double>(simulate(t, policy_opt, 737).faults);
		EXPECT_LT(std::min(lo, hi), 6.28) << "loop " << loop;
	}
}

TEST(VpriSim, NoneAndAll)
{
	NicParams n;
	n.accesses = 5000;
	Trace t = generate_nic(n);
	EXPECT_EQ(t.page_accesses(), simulate(t, VPRI_POLICY_NONE, 0).faults);
	SimResult all = simulate(t, VPRI_POLICY_ALL, 0);
	EXPECT_EQ(t.footprint(), all.faults);
	EXPECT_EQ(t.footprint(), all.peak_pinned);
}

TEST(VpriSim, OptBoundsEveryPolicyAndBudgetsHold)
{
	NicParams n;
	n.accesses = 30000;
	BlockParams b;
	b.accesses = 30000;
	for (const Trace &t : { generate_nic(n), generate_block(b) }) {
		const std::uint32_t budget = 600;
		SimResult opt = simulate(t, policy_opt, budget);
		for (int p : { VPRI_POLICY_LRU, VPRI_POLICY_CLOCK, VPRI_POLICY_ARC,
			       VPRI_POLICY_ADP }) {
			SimResult r = simulate(t, p, budget);
			EXPECT_GE(r.faults, opt.faults) << policy_name(p);
			EXPECT_LE(r.peak_pinned, budget) << policy_name(p);
			EXPECT_EQ(r.accesses, r.hits + r.faults);
			std::uint64_t sum = 0;
			for (std::uint64_t f : r.faults_per_window)
				sum += f;
			EXPECT_EQ(r.faults, sum);
		}
	}
}

TEST(VpriSim, RequestsSpanningTwoPages)
{
	Trace t;
	t.pages = 16;
	t.accesses = { { 4096 - 10, 20, false }, { 4096 - 10, 20, true } };
	SimResult r = simulate(t, VPRI_POLICY_LRU, 2);
	EXPECT_EQ(4u, r.accesses);
	EXPECT_EQ(2u, r.faults);
	EXPECT_EQ(2u, r.hits);
	EXPECT_THROW(simulate(t, VPRI_POLICY_LRU, 1), hpmm::Error);
	EXPECT_THROW(simulate(t, VPRI_POLICY_LRU, 17), hpmm::Error);
}

} // namespace
