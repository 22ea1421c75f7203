// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <sstream>

#include "hpmm/table.hpp"

namespace hpmm {
namespace {

TEST(Table, AlignsColumns)
{
	Table t({{"INDEX", Align::right}, {"BDF"}, {"DOMAIN"}, {"LAST_NS", Align::right}});
	t.add_row({"0", "0000:00:03.0", "DMA-FQ", "100234567"});
	t.add_row({"10", "0000:00:04.0", "identity", "5"});
	std::ostringstream out;
	t.print(out);
	EXPECT_EQ(out.str(),
		  "INDEX  BDF           DOMAIN      LAST_NS\n"
		  "    0  0000:00:03.0  DMA-FQ    100234567\n"
		  "   10  0000:00:04.0  identity          5\n");
	EXPECT_EQ(t.rows(), 2u);
}

TEST(Table, NoTrailingBlanksWhenLastColumnIsLeftAligned)
{
	Table t({{"A"}, {"NAME"}});
	t.add_row({"1", "x"});
	t.add_row({"", ""});
	std::ostringstream out;
	t.print(out);
	EXPECT_EQ(out.str(), "A  NAME\n"
			     "1  x\n"
			     "\n");
}

TEST(Table, HeaderOnlyWhenEmpty)
{
	Table t({{"A"}, {"B", Align::right}});
	std::ostringstream out;
	t.print(out);
	EXPECT_EQ(out.str(), "A  B\n");
}

TEST(Table, WidthCountsUtf8CodePoints)
{
	EXPECT_EQ(display_width("h\xc3\xa9llo"), 5u);
	Table t({{"N"}, {"V", Align::right}});
	t.add_row({"\xc3\xa9\xc3\xa9", "1"});
	t.add_row({"abc", "22"});
	std::ostringstream out;
	t.print(out);
	EXPECT_EQ(out.str(), "N     V\n"
			     "\xc3\xa9\xc3\xa9    1\n"
			     "abc  22\n");
}

TEST(Table, RowSizeMismatchThrows)
{
	Table t({{"A"}, {"B"}});
	EXPECT_THROW(t.add_row({"1"}), std::invalid_argument);
	EXPECT_THROW(t.add_row({"1", "2", "3"}), std::invalid_argument);
	EXPECT_EQ(t.rows(), 0u);
	EXPECT_THROW(Table({}), std::invalid_argument);
}

TEST(PrintFields, AlignsValues)
{
	std::ostringstream out;
	print_fields(out, {{"version", "0.1.0"},
			   {"live_dma_mappings", "0"},
			   {"components", ""}});
	EXPECT_EQ(out.str(), "version:           0.1.0\n"
			     "live_dma_mappings: 0\n"
			     "components:\n");
}

} // namespace
} // namespace hpmm
