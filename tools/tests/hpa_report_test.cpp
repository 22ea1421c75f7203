// SPDX-License-Identifier: GPL-2.0
// hpmmctl hpa's pure logic: commands built and refused before they reach the
// kernel, the bench file read into rows, and the side-by-side comparison.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "report.hpp"

namespace {

using hpmm::KeyValues;
namespace hpa = hpmm::hpa;

TEST(HpaReport, PoolPaths)
{
	EXPECT_EQ("hpa/pools/rx0", hpa::core_pool_dir("rx0"));
	EXPECT_EQ("../hpmm_test/hpa/pools/rx0", hpa::test_pool_dir("rx0"));
	EXPECT_EQ("../hpmm_test/hpa/control", hpa::control);
}

TEST(HpaReport, MergeNames)
{
	// hpmm lists HPA pools (a driver's too), hpmm_test its models (pp too).
	auto names = hpa::merge_names({"rx0", "eth0-rx", "def"}, {"rx0", "pp0"});
	EXPECT_EQ((std::vector<std::string>{"def", "eth0-rx", "pp0", "rx0"}),
		  names);
	EXPECT_TRUE(hpa::merge_names({}, {}).empty());
}

TEST(HpaReport, MergePool)
{
	KeyValues core = KeyValues::parse("name: rx0\npool_id: 4\ndevice: 0000:00:03.0\n"
					  "nid: 0\nallocs: 100\npages: 512\n",
					  "hpa/pools/rx0/stats");
	KeyValues test = KeyValues::parse("name: rx0\nkind: hpa\ndev: 0\nnid: 0\n"
					  "pool_id: 4\nmodel_steps: 90\n",
					  "hpmm_test/hpa/pools/rx0/stats");
	// An HPA pool with its model: hpmm's counters, then the model's keys.
	KeyValues both = hpa::merge_pool(&core, &test);
	EXPECT_EQ("rx0", both.get("name"));
	EXPECT_EQ("hpa", both.get("kind"));
	EXPECT_EQ("0000:00:03.0", both.get("device"));
	EXPECT_EQ("0", both.get("dev"));
	EXPECT_EQ(100u, both.get_u64("allocs"));
	EXPECT_EQ(90u, both.get_u64("model_steps"));
	EXPECT_EQ("name", both.entries().front().first);
	EXPECT_EQ(9u, both.size());
	// A driver's pool (no model) is of kind hpa; a page_pool has a model only.
	KeyValues driver = hpa::merge_pool(&core, nullptr);
	EXPECT_EQ("hpa", driver.get("kind"));
	EXPECT_FALSE(driver.contains("model_steps"));
	KeyValues pp = KeyValues::parse("name: p\nkind: pp\nalloc_slow: 3\n", "pp");
	EXPECT_EQ("pp", hpa::merge_pool(nullptr, &pp).get("kind"));
	EXPECT_EQ(3u, hpa::merge_pool(nullptr, &pp).get_u64("alloc_slow"));
	EXPECT_TRUE(hpa::merge_pool(nullptr, nullptr).empty());
}

TEST(HpaReport, CreateCommand)
{
	std::vector<std::string> p = {"ring=256", "verify=1"};
	EXPECT_EQ("create rx0 hpa ring=256 verify=1",
		  hpa::create_command("rx0", "hpa", p));
	EXPECT_EQ("create rx0 pp", hpa::create_command("rx0", "pp", {}));
	EXPECT_THROW(hpa::create_command("rx0", "gpu", {}), std::invalid_argument);
	EXPECT_THROW(hpa::create_command("a/b", "hpa", {}), std::invalid_argument);
	EXPECT_THROW(hpa::create_command(std::string(32, 'a'), "hpa", {}),
		     std::invalid_argument);
	for (std::string bad : {"ring", "=1", "ring=", "ring=1 2", "ring=\t1"}) {
		std::vector<std::string> b = {bad};
		EXPECT_THROW(hpa::create_command("rx0", "hpa", b),
			     std::invalid_argument)
			<< bad;
	}
}

TEST(HpaReport, RunCommand)
{
	std::vector<std::string> p = {"backend=edu", "len=4000"};
	EXPECT_EQ("run rx0 6144 backend=edu len=4000",
		  hpa::run_command("rx0", 6144, p));
	EXPECT_THROW(hpa::run_command("", 1, {}), std::invalid_argument);
}

TEST(HpaReport, PathsMask)
{
	EXPECT_EQ(1u, hpa::paths_mask("cache"));
	EXPECT_EQ(15u, hpa::paths_mask("cache,ring,backup,inject"));
	EXPECT_EQ(10u, hpa::paths_mask("inject,ring"));
	EXPECT_FALSE(hpa::paths_mask(""));
	EXPECT_FALSE(hpa::paths_mask("cache,"));
	EXPECT_FALSE(hpa::paths_mask("cache,cache"));
	EXPECT_FALSE(hpa::paths_mask("slow"));
}

TEST(HpaReport, ParseNsAndRatio)
{
	EXPECT_DOUBLE_EQ(57.28, *hpa::parse_ns("57.28"));
	EXPECT_DOUBLE_EQ(4286.0, *hpa::parse_ns("4286"));
	EXPECT_DOUBLE_EQ(0.05, *hpa::parse_ns("0.05"));
	EXPECT_FALSE(hpa::parse_ns("x"));
	EXPECT_FALSE(hpa::parse_ns("1.x"));
	EXPECT_FALSE(hpa::parse_ns("-1.0"));
	EXPECT_EQ("0.50x", hpa::ratio_text(1, 2));
	EXPECT_EQ("1.10x", hpa::ratio_text(110, 100));
	EXPECT_EQ("-", hpa::ratio_text(1, 0));
}

TEST(HpaReport, BenchRows)
{
	KeyValues kv = KeyValues::parse("valid: 1\nn: 1000\nreps: 3\n"
					"cache_ops: 1000\ncache_hpa_ns: 32.06\n"
					"cache_pp_ns: 56.09\ncache_hpa_min_ns: 31.00\n"
					"cache_pp_min_ns: 55.00\n"
					"inject_ops: 8192\ninject_hpa_ns: 4284.77\n"
					"inject_pp_ns: 7004.77\n",
					"bench");
	auto rows = hpa::bench_rows(kv);
	ASSERT_EQ(2u, rows.size());
	EXPECT_EQ("cache", rows[0].path);
	EXPECT_EQ("32.06", rows[0].hpa_ns);
	EXPECT_EQ("56.09", rows[0].pp_ns);
	EXPECT_EQ("0.57x", rows[0].ratio);
	EXPECT_EQ("31.00", rows[0].hpa_min_ns);
	EXPECT_EQ("inject", rows[1].path);
	EXPECT_EQ("0.61x", rows[1].ratio);
	EXPECT_EQ("-", rows[1].pp_min_ns);
}

TEST(HpaReport, CompareRows)
{
	KeyValues h = KeyValues::parse("kind: hpa\nallocs: 1000\nalloc_cache: 900\n"
				       "map_calls: 3\nunmap_calls: 0\n"
				       "model_run_ns: 5000\nmodel_run_steps: 100\n",
				       "hpa");
	KeyValues p = KeyValues::parse("kind: pp\nalloc_cache: 800\nalloc_ring: 150\n"
				       "alloc_slow: 50\nmap_calls: 1100\n",
				       "pp");
	auto rows = hpa::compare_rows(h, p);
	auto find = [&](const std::string &metric) {
		for (const auto &r : rows)
			if (r.metric == metric)
				return r;
		ADD_FAILURE() << "no row " << metric;
		return hpa::CompareRow{};
	};
	EXPECT_EQ("1000", find("allocations").hpa);
	EXPECT_EQ("1000", find("allocations").pp);
	EXPECT_EQ("3", find("DMA map calls").hpa);
	EXPECT_EQ("1100", find("DMA map calls").pp);
	EXPECT_EQ("50.00", find("ns per packet (last run)").hpa);
	EXPECT_EQ("-", find("ns per packet (last run)").pp);
	EXPECT_EQ("-", find("2 MiB blocks (peak)").pp);
	EXPECT_EQ("50", find("  page allocator").pp);
}

} // namespace
