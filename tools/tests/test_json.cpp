// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>

#include "hpmm/json.hpp"

namespace hpmm {
namespace {

TEST(JsonQuote, PlainAndSpecials)
{
	EXPECT_EQ(json_quote(""), R"("")");
	EXPECT_EQ(json_quote("DMA-FQ 0000:00:03.0 /x"),
		  R"("DMA-FQ 0000:00:03.0 /x")");
	EXPECT_EQ(json_quote("say \"hi\""), R"("say \"hi\"")");
	EXPECT_EQ(json_quote("C:\\dir\\"), R"("C:\\dir\\")");
	EXPECT_EQ(json_quote("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
}

TEST(JsonQuote, ControlCharactersAsUnicodeEscapes)
{
	EXPECT_EQ(json_quote(std::string_view("\0", 1)), R"("\u0000")");
	EXPECT_EQ(json_quote("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
	EXPECT_EQ(json_quote("\x1b[0m"), R"("\u001b[0m")");
}

TEST(JsonQuote, Utf8PassesThroughInvalidBecomesReplacement)
{
	EXPECT_EQ(json_quote("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	EXPECT_EQ(json_quote("\xff"), R"("\ufffd")");
	EXPECT_EQ(json_quote("a\xc3"), R"("a\ufffd")");       // truncated
	EXPECT_EQ(json_quote("\xc0\xaf"), R"("\ufffd\ufffd")"); // overlong
	EXPECT_EQ(json_quote("\xed\xa0\x80"),                   // surrogate
		  R"("\ufffd\ufffd\ufffd")");
	EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), // above U+10FFFF
		  R"("\ufffd\ufffd\ufffd\ufffd")");
}

TEST(JsonWriter, CompactDocument)
{
	std::ostringstream out;
	JsonWriter j(out, false);
	j.begin_object()
		.key("name")
		.value("edu")
		.key("n")
		.value(-3)
		.key("u")
		.value(std::numeric_limits<std::uint64_t>::max())
		.key("list")
		.begin_array()
		.value(true)
		.value(false)
		.null()
		.value(1.5)
		.begin_object()
		.end_object()
		.begin_array()
		.end_array()
		.end_array()
		.key("k\"ey")
		.value(std::string("v"))
		.end_object()
		.finish();
	EXPECT_EQ(out.str(), R"({"name":"edu","n":-3,"u":18446744073709551615,)"
			     R"("list":[true,false,null,1.5,{},[]],"k\"ey":"v"})"
			     "\n");
}

TEST(JsonWriter, PrettyDocument)
{
	std::ostringstream out;
	JsonWriter j(out);
	j.begin_object().key("a").value(1).key("b").begin_array();
	j.value("x").begin_object().key("c").null().end_object();
	j.end_array().key("e").begin_object().end_object().end_object().finish();
	EXPECT_EQ(out.str(), "{\n"
			     "  \"a\": 1,\n"
			     "  \"b\": [\n"
			     "    \"x\",\n"
			     "    {\n"
			     "      \"c\": null\n"
			     "    }\n"
			     "  ],\n"
			     "  \"e\": {}\n"
			     "}\n");
}

TEST(JsonWriter, AutoValue)
{
	std::ostringstream out;
	JsonWriter j(out, false);
	j.begin_array()
		.auto_value("42")
		.auto_value("-1")
		.auto_value("18446744073709551615")
		.auto_value("0.1.0")
		.auto_value("12abc")
		.auto_value("")
		.auto_value("007")
		.end_array()
		.finish();
	EXPECT_EQ(out.str(),
		  R"([42,-1,18446744073709551615,"0.1.0","12abc","",7])"
		  "\n");
}

TEST(JsonWriter, NonFiniteDoubleIsNull)
{
	std::ostringstream out;
	JsonWriter j(out, false);
	j.begin_array()
		.value(std::numeric_limits<double>::infinity())
		.value(std::numeric_limits<double>::quiet_NaN())
		.value(0.1)
		.end_array()
		.finish();
	EXPECT_EQ(out.str(), "[null,null,0.1]\n");
}

TEST(JsonWriter, MisuseThrows)
{
	std::ostringstream out;
	{
		JsonWriter j(out);
		j.begin_object();
		EXPECT_THROW(j.value(1), std::logic_error); // no key
		EXPECT_THROW(j.end_array(), std::logic_error);
		j.key("a");
		EXPECT_THROW(j.key("b"), std::logic_error);
		EXPECT_THROW(j.end_object(), std::logic_error); // key, no value
	}
	{
		JsonWriter j(out);
		EXPECT_THROW(j.key("a"), std::logic_error); // top level
		j.begin_array();
		EXPECT_THROW(j.key("a"), std::logic_error); // in array
		EXPECT_THROW(j.finish(), std::logic_error); // incomplete
		j.end_array();
		EXPECT_THROW(j.value(2), std::logic_error); // second value
		EXPECT_NO_THROW(j.finish());
	}
	{
		JsonWriter j(out);
		EXPECT_THROW(j.finish(), std::logic_error); // nothing written
	}
}

} // namespace
} // namespace hpmm
