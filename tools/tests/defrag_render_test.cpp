// SPDX-License-Identifier: GPL-2.0
// DEFRAG block-map pictures (tools/defrag/render.*).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "hpmm/error.hpp"
#include "hpmm/process.hpp"
#include "render.hpp"

using namespace hpmm::defrag;

namespace {

const char *blocks_text = "# pfn group char free unmovable movable reclaimable\n"
			  "0x40000 1 U 2 500 10 0\n"
			  "0x40200 1 m 400 0 112 0\n"
			  "0x40400 1 . 512 0 0 0\n"
			  "0x40600 0 _ 512 0 0 0\n"
			  "0x40800 2 # 0 0 512 0\n";

std::size_t count(const std::string &s, const std::string &what)
{
	std::size_t n = 0;
	for (std::size_t p = s.find(what); p != std::string::npos;
	     p = s.find(what, p + 1))
		n++;
	return n;
}

} // namespace

TEST(DefragRender, ParsesBlocks)
{
	std::vector<BlockCell> c = parse_blocks(blocks_text);
	ASSERT_EQ(c.size(), 5u);
	EXPECT_EQ(c[0].pfn, 0x40000u);
	EXPECT_EQ(c[0].group, 1u);
	EXPECT_EQ(c[0].c, 'U');
	EXPECT_EQ(c[0].free, 2u);
	EXPECT_EQ(c[0].used_total(), 510u);
	EXPECT_EQ(c[4].used[1], 512u);
	EXPECT_THROW(parse_blocks("0x1 1 U 2 3\n"), hpmm::Error);
	EXPECT_THROW(parse_blocks("zz 1 U 2 3 4 5\n"), hpmm::Error);
	EXPECT_THROW(parse_blocks("0x1 1 U 999 3 4 5\n"), hpmm::Error);
	// The zeroings column the kernel prints since issue 16.
	c = parse_blocks("# pfn group char free unmovable movable "
			 "reclaimable zeroed\n0x200 1 m 500 0 12 0 12\n");
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].free, 500u);
	EXPECT_THROW(parse_blocks("0x1 1 U 2 3 4 5 x\n"), hpmm::Error);
	// The NUMA node column (issue 16).
	c = parse_blocks("0x200 1 m 500 0 12 0 12 1\n");
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].node, 1u);
	EXPECT_EQ(parse_blocks("0x200 1 m 500 0 12 0 12\n")[0].node, 0u);
	EXPECT_THROW(parse_blocks("0x1 1 U 2 3 4 5 6 x\n"), hpmm::Error);
	EXPECT_THROW(parse_blocks("0x1 1 U 2 3 4 5 6 7 8\n"), hpmm::Error);
	EXPECT_THROW(parse_blocks("0x1 1 U 2 3 4 5 6 1024\n"), hpmm::Error);
}

TEST(DefragRender, ColourByTypeShadeByFullness)
{
	std::vector<BlockCell> c = parse_blocks(blocks_text);
	EXPECT_EQ(cell_kind('U'), "unmovable");
	EXPECT_EQ(cell_kind('m'), "movable");
	EXPECT_EQ(cell_kind('#'), "huge");
	EXPECT_EQ(cell_kind('_'), "pool");
	EXPECT_EQ(cell_kind('?'), "unknown");
	// A nearly full block is darker than a nearly empty one of its type.
	BlockCell full = c[1], empty = c[1];
	full.used[1] = 500;
	empty.used[1] = 5;
	Rgb f = cell_color(full), e = cell_color(empty);
	EXPECT_LT(f.r + f.g + f.b, e.r + e.g + e.b);
	EXPECT_NE(cell_color(c[0]), cell_color(c[1]));
	EXPECT_EQ(rgb_hex({255, 0, 16}), "#ff0010");
}

TEST(DefragRender, SvgHasOneCellPerBlock)
{
	std::vector<BlockCell> c = parse_blocks(blocks_text);
	MapStyle st;
	st.title = "test <map>";
	std::string svg = render_svg(c, st);
	EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
	EXPECT_EQ(count(svg, "class=\"block\""), 5u);
	EXPECT_NE(svg.find("test &lt;map&gt;"), std::string::npos);
	EXPECT_NE(svg.find("pfn 0x40200 group 1 movable: 112 used"),
		  std::string::npos);
	EXPECT_NE(svg.find("</svg>"), std::string::npos);
	EXPECT_EQ(count(render_svg({}, st), "class=\"block\""), 0u);
}

TEST(DefragRender, PngThroughGnuplot)
{
	if (!hpmm::find_program("gnuplot"))
		GTEST_SKIP() << "gnuplot not installed";
	std::filesystem::path out = std::filesystem::temp_directory_path() /
		("defrag-render-test-" + std::to_string(getpid()) + ".png");
	std::string err = render_png(parse_blocks(blocks_text), out);
	ASSERT_EQ(err, "");
	std::ifstream f(out, std::ios::binary);
	char magic[8] = {};
	f.read(magic, 8);
	EXPECT_EQ(std::string(magic + 1, 3), "PNG");
	std::filesystem::remove(out);
}

TEST(DefragRender, FindProgram)
{
	EXPECT_TRUE(hpmm::find_program("sh"));
	EXPECT_FALSE(hpmm::find_program("no-such-program-hpmm"));
	EXPECT_FALSE(hpmm::find_program("/nonexistent/bin/sh"));
}
