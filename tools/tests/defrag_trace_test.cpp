// SPDX-License-Identifier: GPL-2.0
// DEFRAG trace format and generator (tools/defrag/trace.*).
#include <gtest/gtest.h>

#include <sstream>

#include "hpmm/error.hpp"
#include "trace.hpp"

using namespace hpmm::defrag;

TEST(DefragTrace, FormatParseRoundTrip)
{
	Event ev{false, 4194303, 15, 9, Mobility::reclaimable};
	EXPECT_EQ(format_event(ev), "f 4194303 15 9 r");
	std::optional<Event> back = parse_event(format_event(ev), 1);
	ASSERT_TRUE(back);
	EXPECT_EQ(*back, ev);
}

TEST(DefragTrace, CommentsAndBlanksAreSkipped)
{
	EXPECT_FALSE(parse_event("", 1));
	EXPECT_FALSE(parse_event("   ", 1));
	EXPECT_FALSE(parse_event("# a 1 0 0 u", 1));
}

TEST(DefragTrace, MalformedLinesAreRefused)
{
	for (const char *bad :
	     {"x 1 0 0 u", "a 1 0 0", "a 1 0 0 u extra", "a -1 0 0 u",
	      "a 4194304 0 0 u", "a 1 16 0 u", "a 1 0 10 u", "a 1 0 0 q",
	      "a 1x 0 0 u", "a 1 0 0 U"})
		EXPECT_THROW(parse_event(bad, 7), hpmm::Error) << bad;
	try {
		parse_event("a 1 0 10 u", 42);
		FAIL();
	} catch (const hpmm::Error &e) {
		EXPECT_NE(std::string(e.what()).find("line 42"),
			  std::string::npos);
	}
}

TEST(DefragTrace, ReadChecksHandleLifetimes)
{
	std::istringstream ok("# x\na 1 0 0 u\nf 1 0 0 u\na 1 0 2 m\n");
	Trace t = read_trace(ok);
	EXPECT_EQ(t.events.size(), 3u);
	EXPECT_EQ(t.comments.size(), 1u);

	std::istringstream twice("a 1 0 0 u\na 1 0 0 u\n");
	EXPECT_THROW(read_trace(twice), hpmm::Error);
	std::istringstream unalloc("f 1 0 0 u\n");
	EXPECT_THROW(read_trace(unalloc), hpmm::Error);
	std::istringstream mismatch("a 1 0 0 u\nf 1 0 1 u\n");
	EXPECT_THROW(read_trace(mismatch), hpmm::Error);
}

TEST(DefragTrace, GeneratorIsDeterministicAndValid)
{
	GenParams p;
	p.events = 20000;
	p.live_pages = 4096;
	p.groups = 3;
	Trace a = generate(p), b = generate(p);
	// The events asked for, then the wind-down frees.
	ASSERT_GT(a.events.size(), p.events);
	for (std::size_t i = p.events; i < a.events.size(); i++) {
		EXPECT_FALSE(a.events[i].alloc);
		EXPECT_EQ(a.events[i].mobility, Mobility::movable);
	}
	EXPECT_EQ(a.events, b.events);
	p.seed = 2;
	EXPECT_NE(generate(p).events, a.events);

	// What it writes reads back, and passes the lifetime checks.
	std::stringstream s;
	write_trace(s, a);
	Trace back = read_trace(s);
	EXPECT_EQ(back.events, a.events);

	TraceStats st = trace_stats(a);
	EXPECT_EQ(st.groups, 3u);
	EXPECT_LE(st.peak_live_pages, p.live_pages + 512);
	// Mobility shares roughly as asked (15% unmovable, 5% reclaimable)
	// before the wind-down, which frees half of the movable pages.
	Trace head = a;
	head.events.resize(p.events);
	TraceStats hs = trace_stats(head);
	double total = hs.end_live_pages[0] + hs.end_live_pages[1] +
		       hs.end_live_pages[2];
	EXPECT_NEAR(hs.end_live_pages[0] / total, p.unmovable, 0.06);
	EXPECT_NEAR(hs.end_live_pages[2] / total, p.reclaimable, 0.04);
	EXPECT_EQ(st.end_live_pages[0], hs.end_live_pages[0]);
	EXPECT_NEAR(double(st.end_live_pages[1]), hs.end_live_pages[1] / 2.0,
		    hs.end_live_pages[1] * 0.02 + 512);
}
