// SPDX-License-Identifier: GPL-2.0
// The log2 histograms of the fault round trip (kernel/vpri/hist.[ch]) on
// the host: buckets, percentiles as debugfs reports them, the empty and the
// extreme cases.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "hpmm/vpri/core.hpp"

namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

TEST(VpriHist, BucketsAreLog2)
{
	EXPECT_EQ(0u, vpri_hist_bucket_of(0));
	EXPECT_EQ(0u, vpri_hist_bucket_of(1));
	EXPECT_EQ(1u, vpri_hist_bucket_of(3));
	EXPECT_EQ(10u, vpri_hist_bucket_of(1024));
	// Bucket k is [2^k, 2^(k+1)): both ends of every bucket.
	for (unsigned int k = 1; k < VPRI_HIST_BUCKETS; k++) {
		EXPECT_EQ(k, vpri_hist_bucket_of(1ULL << k)) << "2^" << k;
		EXPECT_EQ(k - 1, vpri_hist_bucket_of((1ULL << k) - 1)) << "2^" << k << " - 1";
	}
	EXPECT_EQ(VPRI_HIST_BUCKETS - 1u, vpri_hist_bucket_of(u64_max));
}

TEST(VpriHist, EmptyAndReset)
{
	vpri_hist h{};
	h.count = 5;
	vpri_hist_init(&h);
	EXPECT_EQ(0u, h.count);
	EXPECT_EQ(u64_max, h.min);
	EXPECT_EQ(0u, h.max);
	EXPECT_EQ(0u, vpri_hist_quantile(&h, 1, 2));
	EXPECT_EQ(0u, vpri_hist_quantile(&h, 999, 1000));
	EXPECT_EQ(0u, vpri_hist_mean(&h));
	// A zero denominator is not a division by zero.
	vpri_hist_add(&h, 7);
	EXPECT_EQ(0u, vpri_hist_quantile(&h, 1, 0));
}

TEST(VpriHist, PercentilesAreTheUpperEndOfTheirBucket)
{
	vpri_hist h;
	vpri_hist_init(&h);
	for (int i = 0; i < 99; i++)
		vpri_hist_add(&h, 1000);   // bucket 9: 512..1023
	vpri_hist_add(&h, 100000);         // bucket 16
	EXPECT_EQ(100u, h.count);
	EXPECT_EQ(99u, h.bucket[9]);
	EXPECT_EQ(1u, h.bucket[16]);
	EXPECT_EQ(1000u, h.min);
	EXPECT_EQ(100000u, h.max);
	EXPECT_EQ(99u * 1000 + 100000, h.sum);
	// The upper end of the bucket: never below the true value.
	EXPECT_EQ(1023u, vpri_hist_quantile(&h, 1, 2));
	EXPECT_EQ(1023u, vpri_hist_quantile(&h, 99, 100));
	// Rank 100 of 100: the last bucket, capped at the maximum.
	EXPECT_EQ(100000u, vpri_hist_quantile(&h, 999, 1000));
	EXPECT_EQ(100000u, vpri_hist_quantile(&h, 1, 1));
	// Rank 0 counts as rank 1.
	EXPECT_EQ(1023u, vpri_hist_quantile(&h, 0, 1));
	EXPECT_EQ((99u * 1000 + 100000) / 100, vpri_hist_mean(&h));
}

TEST(VpriHist, TheTopBucketDoesNotOverflow)
{
	vpri_hist h;
	vpri_hist_init(&h);
	vpri_hist_add(&h, 0);
	vpri_hist_add(&h, u64_max);
	EXPECT_EQ(1u, h.bucket[0]);
	EXPECT_EQ(1u, h.bucket[VPRI_HIST_BUCKETS - 1]);
	EXPECT_EQ(0u, h.min);
	EXPECT_EQ(1u, vpri_hist_quantile(&h, 1, 2));
	EXPECT_EQ(u64_max, vpri_hist_quantile(&h, 1, 1));
}

// Every percentile of 1..1000 lies within a factor of two above the truth.
TEST(VpriHist, PercentilesWithinAFactorOfTwo)
{
	vpri_hist h;
	vpri_hist_init(&h);
	for (std::uint64_t v = 1; v <= 1000; v++)
		vpri_hist_add(&h, v);
	for (std::uint64_t pct = 1; pct <= 100; pct++) {
		std::uint64_t q = vpri_hist_quantile(&h, pct, 100);
		// The value of rank pct * 10 is pct * 10.
		EXPECT_GE(q, pct * 10) << "P" << pct;
		EXPECT_LT(q, pct * 20) << "P" << pct;
		EXPECT_LE(q, h.max) << "P" << pct;
	}
	EXPECT_EQ(500u, vpri_hist_mean(&h));
}

} // namespace
