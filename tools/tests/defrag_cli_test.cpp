// SPDX-License-Identifier: GPL-2.0
// hpmmctl defrag against a fake debugfs tree (tools/hpmmctl/cmd_defrag.cpp).
#include <gtest/gtest.h>

#include <sstream>

#include "cli.hpp"
#include "fake_debugfs.hpp"

using namespace hpmm;
using namespace hpmm::ctl;
namespace fs = std::filesystem;
using test::read_file;
using test::write_file;

namespace {

struct Out {
	int status;
	std::string out, err;
};

bool has(const std::string &text, std::string_view part)
{
	return text.find(part) != std::string::npos;
}

class DefragCli : public ::testing::Test {
protected:
	void SetUp() override
	{
		d = fake.root() / "defrag";
		write_file(d / "stats", "blocks_held: 3\npool_blocks: 0\n"
					"payg_low: 0\n");
		write_file(d / "control", "");
		write_file(d / "groups/default/stats",
			   "id: 1\nname: default\npolicy: grouping\nlimit: 0\n"
			   "blocks: 1\nfree_blocks: 0\nhuge_blocks: 0\n"
			   "unmovable_blocks: 1\nmovable_blocks: 0\n"
			   "reclaimable_blocks: 0\nfree_pages: 500\n"
			   "pollution_milli: 1000\nunusable_index_milli: 1000\n"
			   "compact_moved_pages: 0\n"
			   "compact_recovered_blocks: 0\n");
		write_file(d / "groups/web/stats",
			   "id: 2\nname: web\npolicy: firstfit\nlimit: 8\n"
			   "blocks: 2\nfree_blocks: 1\nhuge_blocks: 0\n"
			   "unmovable_blocks: 0\nmovable_blocks: 1\n"
			   "reclaimable_blocks: 0\nfree_pages: 700\n"
			   "pollution_milli: 1090\nunusable_index_milli: 268\n"
			   "compact_moved_pages: 77\n"
			   "compact_recovered_blocks: 2\n");
		write_file(d / "blocks",
			   "# pfn group char free unmovable movable reclaimable\n"
			   "0x3000 1 U 12 500 0 0\n0x3200 2 m 400 0 112 0\n"
			   "0x3400 2 . 512 0 0 0\n");
		write_file(d / "map", "Um.\n");
		// hpmm_test.ko's files, beside hpmm/.
		t = fake.test_root() / "defrag";
		write_file(t / "control", "");
		write_file(t / "replay/control", "");
		write_file(t / "replay/trace", "");
		write_file(t / "replay/result",
			   "events: 6\nheadroom_pct: 10\ngroups: 1\n"
			   "block_meta_bytes: 136\npage_meta_bytes: 2064\n"
			   "struct_page_bytes: 32768\n"
			   "grouping_failures: 0\ngrouping_ns_per_event: 100\n"
			   "grouping_holding_unmovable: 12\n"
			   "grouping_fewest_unmovable: 11\n"
			   "grouping_pollution_milli: 1090\n"
			   "grouping_order9_possible: 22\n"
			   "grouping_order9_success: 22\n"
			   "grouping_compact_moved: 5507\n"
			   "grouping_compact_min_moves: 5413\n"
			   "grouping_compact_ratio_milli: 1017\n"
			   "kernel_failures: 0\nkernel_ns_per_event: 80\n"
			   "kernel_holding_unmovable: 19\n"
			   "kernel_fewest_unmovable: 11\n"
			   "kernel_pollution_milli: 1727\n"
			   "kernel_order9_possible: 48\n"
			   "kernel_order9_success: 11\n"
			   "order0_pairs: 1024\norder0_init_on_alloc: 1\n"
			   "order0_kernel_ns: 4824\norder0_defrag_ns: 4531\n"
			   "order0_ratio_milli: 939\n"
			   "order0_batch_kernel_ns: 4828\n"
			   "order0_batch_defrag_ns: 4788\n"
			   "order0_batch_ratio_milli: 991\n");
		// The module parameters.
		params = tmp.path() / "parameters";
		write_file(params / "defrag_payg_low", "0\n");
		::setenv("HPMM_MODULE_PARAMS", params.c_str(), 1);
	}

	void TearDown() override { ::unsetenv("HPMM_MODULE_PARAMS"); }

	Out ctl(std::vector<std::string> args)
	{
		std::ostringstream out, err;
		Context ctx{out, err, DebugfsLocator{}};
		ctx.locator.hpmm_root = fake.root();
		int status = run(args, ctx);
		return {status, out.str(), err.str()};
	}

	test::FakeHpmm fake;
	test::TempDir tmp;
	fs::path d, t, params;
};

} // namespace

TEST_F(DefragCli, StatusShowsEveryGroup)
{
	Out r = ctl({"defrag"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has(r.out, "blocks_held: 3"));
	EXPECT_TRUE(has(r.out, "POLLUTION"));
	EXPECT_TRUE(has(r.out, "web"));
	EXPECT_TRUE(has(r.out, "firstfit"));
	EXPECT_TRUE(has(r.out, "1.09"));
	EXPECT_TRUE(has(r.out, "0.27"));

	r = ctl({"defrag", "status", "--json"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has(r.out, "\"blocks_held\": 3"));
	EXPECT_TRUE(has(r.out, "\"name\": \"web\""));
	EXPECT_TRUE(has(r.out, "\"pollution_milli\": 1090"));
}

TEST_F(DefragCli, ControlCommandsAreOneWrite)
{
	EXPECT_EQ(ctl({"defrag", "compact", "web", "3"}).status, 0);
	EXPECT_EQ(read_file(d / "control"), "compact web 3\n");
	// (A fake control file is not truncated by a write: empty it.)
	write_file(d / "control", "");
	EXPECT_EQ(ctl({"defrag", "drain", "default"}).status, 0);
	EXPECT_EQ(read_file(d / "control"), "drain default\n");
	// The refusal check is hpmm_test.ko's.
	Out c = ctl({"defrag", "check"});
	EXPECT_EQ(c.status, 0) << c.err;
	EXPECT_EQ(read_file(t / "control"), "check\n");
	EXPECT_EQ(ctl({"defrag", "check", "now"}).status, 1);
	// Words with blanks or missing arguments are usage errors.
	EXPECT_EQ(ctl({"defrag", "compact", "a b"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "compact"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "drain", "a", "b"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "frob"}).status, 1);
	// Groups are made through /dev/hpmm by the programs that own them.
	EXPECT_EQ(ctl({"defrag", "create", "web2", "limit=4"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "destroy", "web"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "set", "web", "limit=2"}).status, 1);
	Out g = ctl({"defrag", "group", "web"});
	EXPECT_EQ(g.status, 0);
	EXPECT_TRUE(has(g.out, "policy:"));
	EXPECT_EQ(ctl({"defrag", "group", "nosuch"}).status, 1);
}

TEST_F(DefragCli, PaygLowIsAModuleParameter)
{
	Out r = ctl({"defrag", "payg-low"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "payg_low: 0\n");
	EXPECT_EQ(ctl({"defrag", "payg-low", "2"}).status, 0);
	EXPECT_EQ(read_file(params / "defrag_payg_low"), "2\n");
	EXPECT_EQ(ctl({"defrag", "payg-low", "x"}).status, 1);
	EXPECT_EQ(ctl({"defrag", "payg-low", "1", "2"}).status, 1);
	// No such parameter (hpmm not loaded): an operation error.
	fs::remove(params / "defrag_payg_low");
	EXPECT_EQ(ctl({"defrag", "payg-low", "3"}).status, 1);
}

TEST_F(DefragCli, MapAsTextSvgAndPng)
{
	Out r = ctl({"defrag", "map"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out.rfind("Um.\n", 0), 0u);

	fs::path svg = tmp.path() / "m.svg";
	r = ctl({"defrag", "map", svg.string()});
	ASSERT_EQ(r.status, 0) << r.err;
	std::string text = read_file(svg);
	std::size_t cells = 0;
	for (std::size_t p = text.find("class=\"block\""); p != std::string::npos;
	     p = text.find("class=\"block\"", p + 1))
		cells++;
	EXPECT_EQ(cells, 3u);
	EXPECT_TRUE(has(r.out, "3 blocks"));

	write_file(d / "groups/web/blocks", "0x3200 2 m 400 0 112 0\n");
	r = ctl({"defrag", "map", "web", svg.string()});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has(read_file(svg), "hpmm defrag group web"));
	EXPECT_EQ(ctl({"defrag", "map", "a.svg", "b.svg"}).status, 1);
}

TEST_F(DefragCli, ReplayUploadsRunsAndTabulates)
{
	fs::path trace = tmp.path() / "t.trace";
	write_file(trace, "# test\na 0 0 0 u\na 1 0 3 m\nf 0 0 0 u\n");
	Out r = ctl({"defrag", "replay", trace.string(), "grouping", "kernel",
		     "pairs=1000"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(read_file(t / "replay/trace"), "a 0 0 0 u\na 1 0 3 m\nf 0 0 0 u\n");
	EXPECT_EQ(read_file(t / "replay/control"),
		  "run grouping kernel pairs=1000\n");
	EXPECT_TRUE(has(r.out, "grouping"));
	EXPECT_TRUE(has(r.out, "1.09"));
	EXPECT_TRUE(has(r.out, "22/22"));
	EXPECT_TRUE(has(r.out, "100.0%"));
	EXPECT_TRUE(has(r.out, "5507/5413"));
	EXPECT_TRUE(has(r.out, "1.73"));
	EXPECT_TRUE(has(r.out, "22.9%"));
	EXPECT_TRUE(has(r.out, "ratio 0.94"));
	EXPECT_TRUE(has(r.out, "136 B always"));

	// A bad trace is refused before anything is written.
	write_file(t / "replay/control", "");
	write_file(trace, "a 0 0 0 u\nf 0 0 1 u\n");
	r = ctl({"defrag", "replay", trace.string()});
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has(r.err, "trace line 2"));
	EXPECT_EQ(read_file(t / "replay/control"), "");

	r = ctl({"defrag", "result", "--json"});
	ASSERT_EQ(r.status, 0);
	EXPECT_TRUE(has(r.out, "\"grouping_order9_success\": 22"));
}
