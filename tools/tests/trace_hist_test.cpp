// SPDX-License-Identifier: GPL-2.0
// hpmm-trace's log2 histogram (tools/hpmm-trace/trace_hist.cpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>

#include "trace_hist.hpp"

using hpmm::trace::Log2Hist;

TEST(TraceHist, BucketsAreBitWidths)
{
	EXPECT_EQ(Log2Hist::bucket_of(0), 0);
	EXPECT_EQ(Log2Hist::bucket_of(1), 1);
	EXPECT_EQ(Log2Hist::bucket_of(2), 2);
	EXPECT_EQ(Log2Hist::bucket_of(3), 2);
	EXPECT_EQ(Log2Hist::bucket_of(4), 3);
	EXPECT_EQ(Log2Hist::bucket_of(1023), 10);
	EXPECT_EQ(Log2Hist::bucket_of(1024), 11);
	EXPECT_EQ(Log2Hist::bucket_of(UINT64_MAX), 64);
	for (int b = 1; b < Log2Hist::nr_buckets; b++) {
		EXPECT_EQ(Log2Hist::bucket_of(Log2Hist::bucket_low(b)), b);
		EXPECT_EQ(Log2Hist::bucket_of(Log2Hist::bucket_high(b)), b);
		EXPECT_EQ(Log2Hist::bucket_low(b), Log2Hist::bucket_high(b - 1) + 1);
	}
	EXPECT_EQ(Log2Hist::bucket_high(64), UINT64_MAX);
}

TEST(TraceHist, CountsSumMinMax)
{
	Log2Hist h;
	EXPECT_EQ(h.count(), 0u);
	EXPECT_EQ(h.min(), 0u);
	EXPECT_EQ(h.quantile_bound(0.5), 0u);
	for (std::uint64_t v : {5, 6, 7, 1000, 0})
		h.add(v);
	EXPECT_EQ(h.count(), 5u);
	EXPECT_EQ(h.sum(), 1018u);
	EXPECT_EQ(h.min(), 0u);
	EXPECT_EQ(h.max(), 1000u);
	EXPECT_EQ(h.bucket(0), 1u);
	EXPECT_EQ(h.bucket(3), 3u); // 4..7
	EXPECT_EQ(h.bucket(10), 1u); // 512..1023
}

TEST(TraceHist, QuantileIsBucketUpperBoundCappedAtMax)
{
	Log2Hist h;
	for (int i = 0; i < 99; i++)
		h.add(100); // bucket 7: 64..127
	h.add(5000);        // bucket 13: 4096..8191
	EXPECT_EQ(h.quantile_bound(0.5), 127u);
	EXPECT_EQ(h.quantile_bound(0.99), 127u);
	EXPECT_EQ(h.quantile_bound(0.995), 5000u); // capped at max
	EXPECT_EQ(h.quantile_bound(1.0), 5000u);

	Log2Hist one;
	one.add(3);
	EXPECT_EQ(one.quantile_bound(0.5), 3u);
	EXPECT_EQ(one.quantile_bound(0.0), 3u);
}

TEST(TraceHist, Merge)
{
	Log2Hist a, b;
	a.add(1);
	b.add(8);
	b.add(9);
	a.merge(b);
	EXPECT_EQ(a.count(), 3u);
	EXPECT_EQ(a.min(), 1u);
	EXPECT_EQ(a.max(), 9u);
	EXPECT_EQ(a.bucket(4), 2u);
	Log2Hist empty;
	a.merge(empty);
	EXPECT_EQ(a.min(), 1u);
}

TEST(TraceHist, RenderShowsNonEmptySpanWithScaledBars)
{
	Log2Hist h;
	for (int i = 0; i < 4; i++)
		h.add(1500); // 1024..2047
	h.add(300);          // 256..511
	std::ostringstream out;
	h.render(out, "latency_ns", 8);
	const std::string expect =
		"  latency_ns : count    distribution\n"
		" 256 -> 511  : 1        |**      |\n"
		" 512 -> 1023 : 0        |        |\n"
		"1024 -> 2047 : 4        |********|\n";
	EXPECT_EQ(out.str(), expect);

	std::ostringstream none;
	Log2Hist().render(none, "x");
	EXPECT_EQ(none.str(), "(no samples)\n");
}
