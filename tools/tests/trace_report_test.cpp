// SPDX-License-Identifier: GPL-2.0
// hpmm-trace's aggregation, text and JSON output, and command line
// (tools/hpmm-trace/trace_report.cpp, trace_cli.cpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "trace_cli.hpp"
#include "hpmm/error.hpp"
#include "trace_report.hpp"

using namespace hpmm::trace;

namespace {

hpmm_trace_rec dma(std::uint32_t backend, std::uint32_t len,
		   std::uint32_t dir, std::uint64_t ns)
{
	hpmm_trace_rec r{};
	r.event = HPMM_TRACE_ID_hpmm_dma;
	r.data.hpmm_dma.backend = backend;
	r.data.hpmm_dma.len = len;
	r.data.hpmm_dma.dir = dir;
	r.data.hpmm_dma.ns = ns;
	return r;
}

hpmm_trace_rec fault_done(std::uint64_t latency, std::uint32_t swapin)
{
	hpmm_trace_rec r{};
	r.event = HPMM_TRACE_ID_vpri_fault_done;
	r.data.vpri_fault_done.latency_ns = latency;
	r.data.vpri_fault_done.swapin = swapin;
	return r;
}

std::uint64_t total(const Aggregator &a, const Profile &p, std::string_view name)
{
	for (std::size_t i = 0; i < p.counters.size(); i++)
		if (p.counters[i].name == name)
			return a.totals()[i];
	ADD_FAILURE() << "no counter " << name;
	return 0;
}

std::vector<std::string> args(std::initializer_list<const char *> l)
{
	return {l.begin(), l.end()};
}

} // namespace

TEST(TraceReport, ProfilesCoverTheIssueCommands)
{
	for (const char *cmd : {"faults", "hpa", "defrag", "magnet", "dma"}) {
		const Profile *p = find_profile(cmd);
		ASSERT_NE(p, nullptr) << cmd;
		EXPECT_FALSE(p->events().empty());
		std::set<std::string_view> names;
		for (const auto &c : p->counters)
			EXPECT_TRUE(names.insert(c.name).second) << c.name;
	}
	EXPECT_EQ(find_profile("check"), nullptr);
	EXPECT_EQ(event_name(HPMM_TRACE_ID_hpmm_dma), "hpmm_dma");
	EXPECT_EQ(event_name(HPMM_TRACE_ID_vpri_evict), "vpri_evict");
	EXPECT_EQ(event_name(HPMM_TRACE_NR_EVENTS), "?");
}

TEST(TraceReport, ProfileEventsAreSortedAndUnique)
{
	const Profile *p = find_profile("faults");
	ASSERT_NE(p, nullptr);
	auto ids = p->events();
	std::vector<hpmm_trace_event_id> expect = {
		HPMM_TRACE_ID_vpri_fault, HPMM_TRACE_ID_vpri_fault_done,
		HPMM_TRACE_ID_vpri_pin, HPMM_TRACE_ID_vpri_unpin,
		HPMM_TRACE_ID_vpri_evict};
	EXPECT_EQ(ids, expect);
}

TEST(TraceReport, AggregatesCountersAmountsAndFilters)
{
	const Profile &p = *find_profile("dma");
	Aggregator a(p);
	a.add(dma(0, 100, 1, 1000));
	a.add(dma(1, 64, 2, 3000));
	a.add(dma(1, 64, 1, 2000));
	a.add(fault_done(5, 0)); // not a dma event: ignored
	EXPECT_EQ(a.records(), 3u);
	EXPECT_EQ(total(a, p, "ops"), 3u);
	EXPECT_EQ(total(a, p, "edu_ops"), 1u);
	EXPECT_EQ(total(a, p, "cpu_ops"), 2u);
	EXPECT_EQ(total(a, p, "bytes"), 228u);
	EXPECT_EQ(total(a, p, "to_device"), 2u);
	EXPECT_EQ(total(a, p, "from_device"), 1u);
	ASSERT_EQ(a.hists().size(), 1u);
	EXPECT_EQ(a.hists()[0].count(), 3u);
	EXPECT_EQ(a.hists()[0].max(), 3000u);
}

TEST(TraceReport, IntervalsResetTotalsDoNot)
{
	const Profile &p = *find_profile("faults");
	Aggregator a(p);
	a.add(fault_done(100, 1));
	auto first = a.take_interval();
	a.add(fault_done(200, 0));
	a.add(fault_done(300, 0));
	auto second = a.take_interval();
	auto third = a.take_interval();
	std::size_t resolved = 1, swapins = 2;
	ASSERT_EQ(p.counters[resolved].name, "resolved");
	ASSERT_EQ(p.counters[swapins].name, "swapins");
	EXPECT_EQ(first[resolved], 1u);
	EXPECT_EQ(first[swapins], 1u);
	EXPECT_EQ(second[resolved], 2u);
	EXPECT_EQ(second[swapins], 0u);
	EXPECT_EQ(third[resolved], 0u);
	EXPECT_EQ(total(a, p, "resolved"), 3u);
	EXPECT_EQ(a.hists()[0].sum(), 600u);
}

TEST(TraceReport, HpaSourcesAndModeSwitches)
{
	const Profile &p = *find_profile("hpa");
	Aggregator a(p);
	hpmm_trace_rec r{};
	r.event = HPMM_TRACE_ID_hpa_alloc_slow;
	r.data.hpa_alloc_slow.source = 1; // backup
	a.add(r);
	r.data.hpa_alloc_slow.source = 3; // inject
	a.add(r);
	r = {};
	r.event = HPMM_TRACE_ID_hpa_mode_switch;
	r.data.hpa_mode_switch.from = 0;
	r.data.hpa_mode_switch.to = 1;
	a.add(r);
	r = {};
	r.event = HPMM_TRACE_ID_hpa_backup_refill;
	r.data.hpa_backup_refill.pages = 64;
	a.add(r);
	EXPECT_EQ(total(a, p, "slow"), 2u);
	EXPECT_EQ(total(a, p, "slow_backup"), 1u);
	EXPECT_EQ(total(a, p, "slow_inject"), 1u);
	EXPECT_EQ(total(a, p, "slow_ring"), 0u);
	EXPECT_EQ(total(a, p, "to_inject"), 1u);
	EXPECT_EQ(total(a, p, "to_normal"), 0u);
	EXPECT_EQ(total(a, p, "refills"), 1u);
	EXPECT_EQ(total(a, p, "refill_pages"), 64u);
}

TEST(TraceReport, TextOutput)
{
	const Profile &p = *find_profile("magnet");
	std::ostringstream out;
	print_header(out, p);
	EXPECT_EQ(out.str(), "  TIME(s)  reserves/s     uses/s  releases/s "
			     " released_pages/s\n");

	Aggregator a(p);
	hpmm_trace_rec r{};
	r.event = HPMM_TRACE_ID_magnet_release;
	r.data.magnet_release.pages = 7;
	a.add(r);
	auto c = a.take_interval();
	out.str("");
	print_interval(out, p, 2.0, 0.5, c, false);
	EXPECT_EQ(out.str(), "     2.00         0.0        0.0         2.0"
			     "              14.0\n");

	out.str("");
	print_summary(out, p, a, 2.0, 3, false);
	EXPECT_NE(out.str().find("hpmm-trace magnet: 2.00 s, 1 records, 3 dropped"),
		  std::string::npos) << out.str();
	EXPECT_NE(out.str().find("  released_pages              7           3.5/s"),
		  std::string::npos) << out.str();
}

TEST(TraceReport, JsonOutput)
{
	const Profile &p = *find_profile("dma");
	Aggregator a(p);
	a.add(dma(1, 64, 1, 1500));
	a.add(dma(1, 64, 2, 1600));
	auto c = a.take_interval();
	std::ostringstream out;
	print_interval(out, p, 1.0004, 1.0, c, true);
	EXPECT_EQ(out.str(),
		  "{\"type\":\"interval\",\"time_s\":1,\"interval_s\":1,"
		  "\"counts\":{\"ops\":2,\"edu_ops\":0,\"cpu_ops\":2,"
		  "\"bytes\":128,\"to_device\":1,\"from_device\":1}}\n");

	out.str("");
	print_summary(out, p, a, 4.0, 0, true);
	EXPECT_EQ(out.str(),
		  "{\"type\":\"summary\",\"command\":\"dma\",\"duration_s\":4,"
		  "\"records\":2,\"dropped\":0,"
		  "\"counts\":{\"ops\":2,\"edu_ops\":0,\"cpu_ops\":2,"
		  "\"bytes\":128,\"to_device\":1,\"from_device\":1},"
		  "\"rates\":{\"ops\":0.5,\"edu_ops\":0,\"cpu_ops\":0.5,"
		  "\"bytes\":32,\"to_device\":0.25,\"from_device\":0.25},"
		  "\"histograms\":{\"latency_ns\":{\"event\":\"hpmm_dma\","
		  "\"count\":2,\"sum\":3100,\"min\":1500,\"max\":1600,"
		  "\"p50_max\":1600,\"p99_max\":1600,"
		  "\"buckets\":[{\"low\":1024,\"high\":2047,\"count\":2}]}}}\n");
}

TEST(TraceCli, ParsesOptionsAroundTheCommand)
{
	auto o = parse_cli(args({"--duration", "3", "faults", "-i", "0.5", "--json"}));
	EXPECT_EQ(o.command, "faults");
	EXPECT_DOUBLE_EQ(o.duration_s, 3);
	EXPECT_DOUBLE_EQ(o.interval_s, 0.5);
	EXPECT_TRUE(o.json);
	EXPECT_TRUE(o.format_dir.empty());

	o = parse_cli(args({"check", "--format-dir=/tmp/f", "--interval=0"}));
	EXPECT_EQ(o.command, "check");
	EXPECT_EQ(o.format_dir, "/tmp/f");
	EXPECT_DOUBLE_EQ(o.interval_s, 0);
	EXPECT_DOUBLE_EQ(o.duration_s, 0);

	EXPECT_TRUE(parse_cli(args({"--help"})).help);
	EXPECT_TRUE(parse_cli(args({"help"})).help);
}

TEST(TraceCli, RejectsBadCommandLines)
{
	for (auto bad : {args({}), args({"nope"}), args({"dma", "hpa"}),
			 args({"dma", "--duration"}), args({"dma", "--duration", "x"}),
			 args({"dma", "--duration", "-1"}), args({"dma", "-i", "0.01"}),
			 args({"dma", "--bogus"}), args({"dma", "--format-dir="}),
			 args({"dma", "--json=1"})}) {
		try {
			parse_cli(bad);
			ADD_FAILURE() << "accepted: " << testing::PrintToString(bad);
		} catch (const hpmm::Error &e) {
			EXPECT_EQ(e.kind(), hpmm::ErrorKind::usage);
			EXPECT_EQ(e.exit_code(), 1);
			EXPECT_EQ(std::string(e.what()).rfind("hpmm-trace: ", 0), 0u);
		}
	}
}

TEST(TraceCli, UsageListsEveryCommand)
{
	std::ostringstream out;
	print_usage(out);
	for (const auto &p : profiles())
		EXPECT_NE(out.str().find("  " + std::string(p.command) + " "),
			  std::string::npos) << p.command;
	EXPECT_NE(out.str().find("  check "), std::string::npos);
	EXPECT_EQ(out.str().find("format-dir"), std::string::npos); // hidden
}
