// SPDX-License-Identifier: GPL-2.0
// DEFRAG trace format and generator (tools/defrag/trace.*).
#include <gtest/gtest.h>

#include <sstream>

#include "hpmm/error.hpp"
#include "jobs.hpp"
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

TEST(DefragTrace, SiteIsOptionalAndChecked)
{
	std::optional<Event> ev = parse_event("a 3 0 1 u 42", 1);
	ASSERT_TRUE(ev);
	EXPECT_EQ(ev->site, 42);
	EXPECT_EQ(format_event(*ev), "a 3 0 1 u 42");
	ev->site = 0;
	EXPECT_EQ(format_event(*ev), "a 3 0 1 u");
	EXPECT_EQ(parse_event("a 3 0 1 u", 1)->site, 0);
	for (const char *bad : {"a 1 0 0 u 256", "a 1 0 0 u -1", "a 1 0 0 u x",
				"a 1 0 0 u 1 2"})
		EXPECT_THROW(parse_event(bad, 1), hpmm::Error) << bad;
	// A free repeats its allocation's site.
	std::istringstream mismatch("a 1 0 0 u 5\nf 1 0 0 u 6\n");
	EXPECT_THROW(read_trace(mismatch), hpmm::Error);
	std::istringstream ok("a 1 0 0 u 5\nf 1 0 0 u 5\n");
	EXPECT_EQ(read_trace(ok).events.size(), 2u);
}

TEST(DefragTrace, JobsGeneratorKeepsItsPromises)
{
	JobsParams p;
	p.events = 60000;
	p.live_pages = 16384;
	p.job_mean = 4000;
	Trace a = generate_jobs(p), b = generate_jobs(p);
	EXPECT_EQ(a.events, b.events);
	p.seed = 2;
	EXPECT_NE(generate_jobs(p).events, a.events);

	std::stringstream s;
	write_trace(s, a);
	Trace back = read_trace(s);
	ASSERT_EQ(back.events, a.events);

	// Per site: pages allocated and live at the end.
	std::uint64_t alloc[256] = {}, live[256] = {}, boot_freed = 0;
	for (const Event &ev : a.events) {
		ASSERT_NE(ev.site, 0);
		std::uint64_t n = std::uint64_t{1} << ev.order;
		if (ev.alloc) {
			alloc[ev.site] += n;
			live[ev.site] += n;
		} else {
			live[ev.site] -= n;
			boot_freed += ev.site == site_boot;
		}
	}
	TraceStats st = trace_stats(a);
	EXPECT_LE(st.peak_live_pages, p.live_pages + 512);
	// Boot memory stays; a job's kernel memory dies with it but for a
	// few survivors; its VFS caches outlive it far more often.
	EXPECT_EQ(boot_freed, 0u);
	EXPECT_GE(live[site_boot], p.live_pages * p.boot);
	std::uint64_t jk_alloc = 0, jk_live = 0;
	for (unsigned i = site_job_kernel; i < site_job_kernel + 6; i++) {
		jk_alloc += alloc[i];
		jk_live += live[i];
	}
	ASSERT_GT(jk_alloc, 1000u);
	EXPECT_LT(double(jk_live) / jk_alloc, 0.02);
	std::uint64_t vfs_alloc = alloc[site_vfs_cache] +
				  alloc[site_vfs_cache + 1];
	std::uint64_t vfs_live = live[site_vfs_cache] + live[site_vfs_cache + 1];
	EXPECT_GT(double(vfs_live) / vfs_alloc, 0.05);
	EXPECT_GT(double(vfs_live) / vfs_alloc, 5.0 * double(jk_live) / jk_alloc);
	// skbs die young: next to none is left.
	EXPECT_LT(live[site_skb], 64u);
	// The wind-down frees only: the last event allocates nothing.
	EXPECT_FALSE(a.events.back().alloc);
}
