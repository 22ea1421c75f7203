// SPDX-License-Identifier: GPL-2.0
// hpmm-trace's tracefs format parser and layout check
// (tools/hpmm-trace/trace_format.cpp), and a check that its context structs
// (hpmm_trace_events.h) match kernel/trace.h field for field.
#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "trace_format.hpp"
#include "hpmm/error.hpp"

using namespace hpmm::trace;

namespace {

// events/hpmm/hpmm_dma/format as Debian's 6.1 kernel prints it.
const char dma_format[] =
	"name: hpmm_dma\n"
	"ID: 1523\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:u64 iova;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 ns;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 dev;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 len;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 backend;\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 dir;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"dev=%u backend=%s iova=0x%llx\", REC->dev, "
	"__print_symbolic(REC->backend, { 0, \"edu\" }), REC->iova\n";

std::string replace(std::string s, const std::string &from,
		    const std::string &to)
{
	auto pos = s.find(from);
	EXPECT_NE(pos, std::string::npos) << from;
	if (pos != std::string::npos)
		s.replace(pos, from.size(), to);
	return s;
}

} // namespace

TEST(TraceFormat, ParsesFields)
{
	auto ev = parse_format(dma_format, "dma");
	EXPECT_EQ(ev.name, "hpmm_dma");
	ASSERT_EQ(ev.fields.size(), 10u);
	EXPECT_EQ(ev.fields[0], (Field{"common_type", 0, 2, false}));
	EXPECT_EQ(ev.fields[3], (Field{"common_pid", 4, 4, true}));
	EXPECT_EQ(ev.fields[5], (Field{"ns", 16, 8, false}));
	EXPECT_EQ(ev.fields[9], (Field{"dir", 36, 4, false}));
}

TEST(TraceFormat, ParsesArraysAndDataLoc)
{
	auto ev = parse_format(
		"name: x\nformat:\n"
		"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:1;\n"
		"\tfield:__data_loc char[] name;\toffset:24;\tsize:4;\tsigned:1;\n"
		"\tfield:const void * ptr;\toffset:32;\tsize:8;\tsigned:0;\n",
		"x");
	ASSERT_EQ(ev.fields.size(), 3u);
	EXPECT_EQ(ev.fields[0].name, "comm");
	EXPECT_EQ(ev.fields[1].name, "name");
	EXPECT_EQ(ev.fields[2].name, "ptr");
}

TEST(TraceFormat, MalformedThrowsNamingFileAndLine)
{
	try {
		parse_format("name: x\nformat:\n\tfield:u32 a;\toffset:zz;\tsize:4;\tsigned:0;\n",
			     "/t/x/format");
		FAIL() << "no throw";
	} catch (const hpmm::Error &e) {
		EXPECT_NE(std::string(e.what()).find("/t/x/format:3:"),
			  std::string::npos)
			<< e.what();
	}
	EXPECT_THROW(parse_format("format:\n", "f"), hpmm::Error);
	EXPECT_THROW(parse_format("name: x\n", "f"), hpmm::Error);
	EXPECT_THROW(parse_format("name: x\nformat:\n\tfield:u32 a;\toffset:0;\tsize:4;\n", "f"),
		     hpmm::Error);
}

TEST(TraceFormat, CompiledMatchesKernelFormat)
{
	const auto *want = find_compiled("hpmm_dma");
	ASSERT_NE(want, nullptr);
	EXPECT_TRUE(compare_layouts(*want, parse_format(dma_format, "f")).empty());
}

TEST(TraceFormat, MismatchNamesEventAndField)
{
	const auto *want = find_compiled("hpmm_dma");
	ASSERT_NE(want, nullptr);

	auto off = compare_layouts(*want, parse_format(replace(dma_format,
		"u64 ns;\toffset:16", "u64 ns;\toffset:20"), "f"));
	ASSERT_EQ(off.size(), 1u);
	EXPECT_EQ(off[0], "event hpmm_dma: field 'ns': offset 20 in the kernel, "
			  "16 in hpmm-trace");

	auto size = compare_layouts(*want, parse_format(replace(dma_format,
		"u32 len;\toffset:28;\tsize:4", "u32 len;\toffset:28;\tsize:8"), "f"));
	ASSERT_EQ(size.size(), 1u);
	EXPECT_EQ(size[0], "event hpmm_dma: field 'len': size 8 in the kernel, "
			   "4 in hpmm-trace");

	auto sgn = compare_layouts(*want, parse_format(replace(dma_format,
		"u32 dir;\toffset:36;\tsize:4;\tsigned:0", "s32 dir;\toffset:36;\tsize:4;\tsigned:1"), "f"));
	ASSERT_EQ(sgn.size(), 1u);
	EXPECT_EQ(sgn[0], "event hpmm_dma: field 'dir': signed in the kernel, "
			  "unsigned in hpmm-trace");

	auto renamed = compare_layouts(*want, parse_format(replace(dma_format,
		"u32 dev;", "u32 device;"), "f"));
	ASSERT_EQ(renamed.size(), 2u);
	EXPECT_EQ(renamed[0], "event hpmm_dma: field 'dev': not in the kernel's format");
	EXPECT_EQ(renamed[1], "event hpmm_dma: field 'device': in the kernel's "
			      "format, not in hpmm-trace");

	auto other = compare_layouts(*want, parse_format(replace(dma_format,
		"name: hpmm_dma", "name: hpa_alloc_slow"), "f"));
	ASSERT_EQ(other.size(), 1u);
	EXPECT_NE(other[0].find("describes event 'hpa_alloc_slow'"), std::string::npos);
}

TEST(TraceFormat, EveryEventHasTheCommonHeaderAndAlignedFields)
{
	ASSERT_FALSE(compiled_events().empty());
	for (const auto &ev : compiled_events()) {
		SCOPED_TRACE(ev.name);
		ASSERT_GE(ev.fields.size(), 5u);
		EXPECT_EQ(ev.fields[0], (Field{"common_type", 0, 2, false}));
		EXPECT_EQ(ev.fields[3], (Field{"common_pid", 4, 4, true}));
		for (const auto &f : ev.fields)
			// BPF tracepoint context loads must be aligned.
			EXPECT_EQ(f.offset % f.size, 0u) << f.name;
		EXPECT_EQ(find_compiled(ev.name), &ev);
	}
	EXPECT_EQ(find_compiled("nope"), nullptr);
}

#ifdef HPMM_KERNEL_TRACE_H
namespace {

// The size of a TP_STRUCT__entry field type of kernel/trace.h.
std::size_t kernel_type_size(const std::string &t)
{
	static const std::map<std::string, std::size_t> sizes = {
		{"u64", 8}, {"s64", 8}, {"u32", 4}, {"s32", 4}, {"int", 4},
		{"u16", 2}, {"s16", 2}, {"u8", 1},  {"s8", 1},  {"bool", 1},
	};
	auto it = sizes.find(t);
	return it == sizes.end() ? 0 : it->second;
}

bool kernel_type_signed(const std::string &t)
{
	return t[0] == 's' || t == "int";
}

// kernel/trace.h's events as the kernel lays them out: struct trace_entry
// (8 bytes) then the __field()s with natural alignment.
std::map<std::string, EventLayout> kernel_layouts(const std::string &text)
{
	std::map<std::string, std::vector<std::pair<std::string, std::string>>> classes;
	std::map<std::string, EventLayout> events;
	const std::regex block(R"((TRACE_EVENT|DECLARE_EVENT_CLASS|DEFINE_EVENT)\(\s*(\w+)\s*,(?:\s*(\w+)\s*,)?([\s\S]*?)\n\);)");
	const std::regex field(R"(__field\(\s*(\w+)\s*,\s*(\w+)\s*\))");

	for (auto it = std::sregex_iterator(text.begin(), text.end(), block);
	     it != std::sregex_iterator(); ++it) {
		const auto &m = *it;
		std::string kind = m[1], first = m[2], body = m[4];
		std::vector<std::pair<std::string, std::string>> fields;
		std::string name = first;
		if (kind == "DEFINE_EVENT") {
			name = m[3];
			fields = classes[first];
		} else {
			for (auto f = std::sregex_iterator(body.begin(), body.end(), field);
			     f != std::sregex_iterator(); ++f)
				fields.emplace_back((*f)[1], (*f)[2]);
		}
		if (kind == "DECLARE_EVENT_CLASS") {
			classes[first] = fields;
			continue;
		}
		EventLayout ev{name, {{"common_type", 0, 2, false},
				      {"common_flags", 2, 1, false},
				      {"common_preempt_count", 3, 1, false},
				      {"common_pid", 4, 4, true}}};
		std::size_t off = 8;
		for (const auto &[type, fname] : fields) {
			std::size_t size = kernel_type_size(type);
			EXPECT_NE(size, 0u) << name << ": type " << type;
			if (!size)
				continue;
			off = (off + size - 1) / size * size;
			ev.fields.push_back({fname, off, size, kernel_type_signed(type)});
			off += size;
		}
		events[name] = ev;
	}
	return events;
}

} // namespace

TEST(TraceFormat, ContextStructsMatchKernelTraceH)
{
	std::ifstream in(HPMM_KERNEL_TRACE_H);
	ASSERT_TRUE(in) << HPMM_KERNEL_TRACE_H;
	std::stringstream text;
	text << in.rdbuf();
	auto kernel = kernel_layouts(text.str());

	EXPECT_EQ(kernel.size(), compiled_events().size());
	for (const auto &want : compiled_events()) {
		auto it = kernel.find(want.name);
		if (it == kernel.end()) {
			ADD_FAILURE() << "event " << want.name << " not in kernel/trace.h";
			continue;
		}
		for (const auto &d : compare_layouts(want, it->second))
			ADD_FAILURE() << d;
	}
	for (const auto &[name, ev] : kernel)
		EXPECT_NE(find_compiled(name), nullptr)
			<< "event " << name << " of kernel/trace.h is not in "
			   "tools/hpmm-trace/hpmm_trace_events.h";
}
#endif
