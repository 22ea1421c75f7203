// SPDX-License-Identifier: GPL-2.0
// hpmm/json.hpp: the conversions the tools share on top of nlohmann-json,
// and the output format the tools' callers read.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "hpmm/json.hpp"
#include "hpmm/keyvalue.hpp"

using namespace hpmm;

namespace {

std::string printed(const Json &j, bool pretty = true)
{
	std::ostringstream out;
	print_json(out, j, pretty);
	return out.str();
}

} // namespace

TEST(Json, ValueOfDebugfsText)
{
	EXPECT_EQ(printed(json_value("-1"), false), "-1\n");
	EXPECT_EQ(printed(json_value("4096"), false), "4096\n");
	EXPECT_EQ(printed(json_value("18446744073709551615"), false),
		  "18446744073709551615\n");
	EXPECT_EQ(printed(json_value("18446744073709551616"), false),
		  "\"18446744073709551616\"\n");
	EXPECT_EQ(printed(json_value("0.1.0"), false), "\"0.1.0\"\n");
	EXPECT_EQ(printed(json_value(""), false), "\"\"\n");
}

TEST(Json, NumbersAsBefore)
{
	EXPECT_EQ(printed(json_number(1.0), false), "1\n");
	EXPECT_EQ(printed(json_number(-3.0), false), "-3\n");
	EXPECT_EQ(printed(json_number(0.1), false), "0.1\n");
	EXPECT_EQ(printed(json_number(2.125), false), "2.125\n");
	EXPECT_EQ(printed(json_number(std::numeric_limits<double>::infinity()),
			  false),
		  "null\n");
	EXPECT_EQ(printed(json_number(std::nan("")), false), "null\n");
}

TEST(Json, ObjectKeepsOrder)
{
	KeyValues kv = KeyValues::parse("zeta: 1\nalpha: DMA-FQ\nmid: -2\n");
	EXPECT_EQ(printed(json_object(kv), false),
		  R"({"zeta":1,"alpha":"DMA-FQ","mid":-2})"
		  "\n");
	EXPECT_EQ(printed(json_object(KeyValues{}), false), "{}\n");
}

TEST(Json, PrettyFormat)
{
	Json j = {{"name", "edu"}, {"list", {1, 2}}, {"empty", Json::array()}};
	EXPECT_EQ(printed(j), "{\n"
			      "  \"name\": \"edu\",\n"
			      "  \"list\": [\n"
			      "    1,\n"
			      "    2\n"
			      "  ],\n"
			      "  \"empty\": []\n"
			      "}\n");
}

TEST(Json, Escapes)
{
	EXPECT_EQ(printed(Json("a\"b\\c\nd\te\x01"), false),
		  R"("a\"b\\c\nd\te\u0001")"
		  "\n");
	EXPECT_EQ(printed(Json("h\xc3\xa9"), false), "\"h\xc3\xa9\"\n");
	// Invalid UTF-8: U+FFFD itself (the hand-written writer escaped it).
	EXPECT_EQ(printed(Json("a\xff"), false), "\"a\xef\xbf\xbd\"\n");
}
