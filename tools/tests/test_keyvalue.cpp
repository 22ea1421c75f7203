// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "hpmm/error.hpp"
#include "hpmm/keyvalue.hpp"

namespace hpmm {
namespace {

using Entries = std::vector<KeyValues::Entry>;

// Runs parse and returns the ParseError it must throw.
ParseError parse_error(std::string_view text)
{
	try {
		KeyValues::parse(text, "status");
	} catch (const ParseError &e) {
		return e;
	}
	ADD_FAILURE() << "no ParseError for: " << text;
	return ParseError("none", 0, "none", "");
}

TEST(KeyValues, ParsesStatusInOrder)
{
	auto kv = KeyValues::parse("version: 0.1.0\n"
				   "abi_version: 1\n"
				   "components: dev\n"
				   "devices: 2\n"
				   "live_pages: 0\n"
				   "live_dma_mappings: 0\n",
				   "status");
	EXPECT_EQ(kv.source(), "status");
	EXPECT_EQ(kv.entries(), (Entries{{"version", "0.1.0"},
					 {"abi_version", "1"},
					 {"components", "dev"},
					 {"devices", "2"},
					 {"live_pages", "0"},
					 {"live_dma_mappings", "0"}}));
	EXPECT_EQ(kv.get("version"), "0.1.0");
	EXPECT_EQ(kv.get_u64("devices"), 2u);
}

TEST(KeyValues, OrderIsFileOrderNotSorted)
{
	auto kv = KeyValues::parse("zeta: 1\nalpha: 2\nmid: 3\n");
	ASSERT_EQ(kv.size(), 3u);
	EXPECT_EQ(kv.entries()[0].first, "zeta");
	EXPECT_EQ(kv.entries()[1].first, "alpha");
	EXPECT_EQ(kv.entries()[2].first, "mid");
}

TEST(KeyValues, SkipsBlankLines)
{
	auto kv = KeyValues::parse("\n  \na: 1\n\t\n\nb: 2\n\n");
	EXPECT_EQ(kv.entries(), (Entries{{"a", "1"}, {"b", "2"}}));
}

TEST(KeyValues, ValuesKeepInnerSpacesAndColons)
{
	auto kv = KeyValues::parse("components: dev hpa  vpri\n"
				   "bdf: 0000:00:03.0\n"
				   "domain_type: DMA-FQ   \n");
	EXPECT_EQ(kv.get("components"), "dev hpa  vpri");
	EXPECT_EQ(kv.get("bdf"), "0000:00:03.0");
	EXPECT_EQ(kv.get("domain_type"), "DMA-FQ");
}

TEST(KeyValues, EmptyValues)
{
	auto kv = KeyValues::parse("components:\nother: \ntabbed:\t\n");
	EXPECT_EQ(kv.entries(),
		  (Entries{{"components", ""}, {"other", ""}, {"tabbed", ""}}));
}

TEST(KeyValues, CrLfAndNoFinalNewline)
{
	auto kv = KeyValues::parse("a: 1\r\nb: two words\r\nc: 3");
	EXPECT_EQ(kv.entries(),
		  (Entries{{"a", "1"}, {"b", "two words"}, {"c", "3"}}));
}

TEST(KeyValues, EmptyInputIsEmpty)
{
	EXPECT_TRUE(KeyValues::parse("").empty());
	EXPECT_TRUE(KeyValues::parse("\n\n").empty());
}

TEST(KeyValues, MalformedLineReportsLineNumber)
{
	ParseError e = parse_error("a: 1\n\nno colon here\nb: 2\n");
	EXPECT_EQ(e.line(), 3u);
	EXPECT_EQ(e.kind(), ErrorKind::operation);
	EXPECT_EQ(e.exit_code(), 1);
	EXPECT_STREQ(e.what(),
		     "hpmm: status:3: expected 'key: value': 'no colon here'");
}

TEST(KeyValues, MalformedVariants)
{
	EXPECT_EQ(parse_error(": 5\n").line(), 1u);          // empty key
	EXPECT_EQ(parse_error("a: 1\nb c: 5\n").line(), 2u); // blank in key
	EXPECT_EQ(parse_error(" a: 5\n").line(), 1u);        // indented key
	EXPECT_EQ(parse_error("a:5\n").line(), 1u);          // no blank after ':'
	EXPECT_EQ(parse_error("0000:00:03.0\n").line(), 1u);
	EXPECT_EQ(parse_error("a: 1\nb: 2\nc: 3\nd").line(), 4u);
	EXPECT_NE(std::string(parse_error("a:5\n").what())
			  .find("expected a blank after ':'"),
		  std::string::npos);
}

TEST(KeyValues, DuplicateKeyIsMalformed)
{
	ParseError e = parse_error("a: 1\nb: 2\na: 3\n");
	EXPECT_EQ(e.line(), 3u);
	EXPECT_STREQ(e.what(),
		     "hpmm: status:3: duplicate key (first on line 1): 'a: 3'");
}

TEST(KeyValues, U64Getter)
{
	auto kv = KeyValues::parse("zero: 0\n"
				   "max: 18446744073709551615\n"
				   "over: 18446744073709551616\n"
				   "neg: -1\n"
				   "junk: 12abc\n"
				   "plus: +1\n"
				   "hex: 0x10\n"
				   "empty:\n"
				   "spaced: 1 2\n",
				   "stats");
	EXPECT_EQ(kv.get_u64("zero"), 0u);
	EXPECT_EQ(kv.get_u64("max"), UINT64_MAX);
	for (const char *key :
	     {"over", "neg", "junk", "plus", "hex", "empty", "spaced"})
		EXPECT_THROW(kv.get_u64(key), Error) << key;
	try {
		kv.get_u64("junk");
		FAIL();
	} catch (const Error &e) {
		EXPECT_STREQ(e.what(), "hpmm: stats: key 'junk': expected an "
				       "unsigned number, got '12abc'");
		EXPECT_EQ(e.exit_code(), 1);
	}
}

TEST(KeyValues, I64Getter)
{
	auto kv = KeyValues::parse("group: -1\nmin: -9223372036854775808\n"
				   "big: 9223372036854775808\nminus: -\n");
	EXPECT_EQ(kv.get_i64("group"), -1);
	EXPECT_EQ(kv.get_i64("min"), INT64_MIN);
	EXPECT_THROW(kv.get_i64("big"), Error);
	EXPECT_THROW(kv.get_i64("minus"), Error);
}

TEST(KeyValues, MissingKey)
{
	auto kv = KeyValues::parse("a: 1\n", "info");
	EXPECT_FALSE(kv.contains("b"));
	EXPECT_EQ(kv.find("b"), nullptr);
	try {
		kv.get("b");
		FAIL();
	} catch (const Error &e) {
		EXPECT_STREQ(e.what(), "hpmm: info: no key 'b'");
	}
	EXPECT_THROW(kv.get_u64("b"), Error);
}

TEST(KeyValues, SetAndMergeKeepOrder)
{
	auto kv = KeyValues::parse("a: 1\nb: 2\n");
	kv.set("a", "10");
	kv.merge(KeyValues::parse("c: 3\nb: 20\n"));
	EXPECT_EQ(kv.entries(),
		  (Entries{{"a", "10"}, {"b", "20"}, {"c", "3"}}));
}

TEST(ParseNumbers, Helpers)
{
	EXPECT_EQ(parse_u64("42"), 42u);
	EXPECT_EQ(parse_u64(""), std::nullopt);
	EXPECT_EQ(parse_u64(" 42"), std::nullopt);
	EXPECT_EQ(parse_i64("-42"), -42);
	EXPECT_EQ(parse_i64("--4"), std::nullopt);
	EXPECT_EQ(parse_i64("4-"), std::nullopt);
}

} // namespace
} // namespace hpmm
