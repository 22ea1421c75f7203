/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the log2 histograms, included at the end of hist.c (as
 * DAMON does). Built only when the kernel has CONFIG_KUNIT: they check the
 * kernel build (fls64(), 64-bit arithmetic) of the bucket and percentile
 * rules that debugfs reports.
 */
#ifndef _HPMM_VPRI_HIST_TEST_H
#define _HPMM_VPRI_HIST_TEST_H

#include <kunit/test.h>

static void hpmm_vpri_hist_buckets(struct kunit *test)
{
	unsigned int k, lo, hi;

	KUNIT_EXPECT_EQ(test, vpri_hist_bucket_of(0), 0U);
	KUNIT_EXPECT_EQ(test, vpri_hist_bucket_of(1), 0U);
	/*
	 * Bucket k is [2^k, 2^(k+1)): check both ends of every bucket, and
	 * report only the first wrong one (a case's log holds 512 bytes).
	 */
	for (k = 1; k < VPRI_HIST_BUCKETS; k++) {
		lo = vpri_hist_bucket_of(1ULL << k);
		hi = vpri_hist_bucket_of((1ULL << k) - 1);
		if (lo != k || hi != k - 1) {
			KUNIT_FAIL(test, "2^%u in bucket %u, 2^%u - 1 in %u",
				   k, lo, k, hi);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, vpri_hist_bucket_of(U64_MAX),
			(unsigned int)VPRI_HIST_BUCKETS - 1);
}

static void hpmm_vpri_hist_empty(struct kunit *test)
{
	struct vpri_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->count = 5;
	vpri_hist_init(h);
	KUNIT_EXPECT_EQ(test, h->count, 0ULL);
	KUNIT_EXPECT_EQ(test, h->min, U64_MAX);
	KUNIT_EXPECT_EQ(test, h->max, 0ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 999, 1000), 0ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_mean(h), 0ULL);
	/* A zero denominator is not a division by zero. */
	vpri_hist_add(h, 7);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 0), 0ULL);
}

static void hpmm_vpri_hist_percentiles(struct kunit *test)
{
	struct vpri_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	vpri_hist_init(h);
	for (i = 0; i < 99; i++)
		vpri_hist_add(h, 1000);		/* bucket 9: 512..1023 */
	vpri_hist_add(h, 100000);		/* bucket 16 */
	KUNIT_EXPECT_EQ(test, h->count, 100ULL);
	KUNIT_EXPECT_EQ(test, h->bucket[9], 99ULL);
	KUNIT_EXPECT_EQ(test, h->bucket[16], 1ULL);
	KUNIT_EXPECT_EQ(test, h->min, 1000ULL);
	KUNIT_EXPECT_EQ(test, h->max, 100000ULL);
	KUNIT_EXPECT_EQ(test, h->sum, 99ULL * 1000 + 100000);
	/* The upper end of the bucket: never below the true value. */
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 2), 1023ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 99, 100), 1023ULL);
	/* Rank 100 of 100: the last bucket, capped at the maximum. */
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 999, 1000), 100000ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 1), 100000ULL);
	/* Rank 0 counts as rank 1. */
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 0, 1), 1023ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_mean(h), (99ULL * 1000 + 100000) / 100);

	/* The top bucket: its upper end is U64_MAX, not an overflow. */
	vpri_hist_init(h);
	vpri_hist_add(h, 0);
	vpri_hist_add(h, U64_MAX);
	KUNIT_EXPECT_EQ(test, h->bucket[0], 1ULL);
	KUNIT_EXPECT_EQ(test, h->bucket[VPRI_HIST_BUCKETS - 1], 1ULL);
	KUNIT_EXPECT_EQ(test, h->min, 0ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 2), 1ULL);
	KUNIT_EXPECT_EQ(test, vpri_hist_quantile(h, 1, 1), U64_MAX);
}

/* Every percentile of 1..1000 lies within a factor of two above the truth. */
static void hpmm_vpri_hist_bounds(struct kunit *test)
{
	struct vpri_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	u64 v, q, pct;

	KUNIT_ASSERT_NOT_NULL(test, h);
	vpri_hist_init(h);
	for (v = 1; v <= 1000; v++)
		vpri_hist_add(h, v);
	for (pct = 1; pct <= 100; pct++) {
		q = vpri_hist_quantile(h, pct, 100);
		/* The value of rank pct * 10 is pct * 10. */
		if (q < pct * 10 || q >= pct * 20 || q > h->max) {
			KUNIT_FAIL(test, "P%llu is %llu, true value %llu",
				   pct, q, pct * 10);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, vpri_hist_mean(h), 500ULL);
}

static struct kunit_case hpmm_vpri_hist_test_cases[] = {
	KUNIT_CASE(hpmm_vpri_hist_buckets),
	KUNIT_CASE(hpmm_vpri_hist_empty),
	KUNIT_CASE(hpmm_vpri_hist_percentiles),
	KUNIT_CASE(hpmm_vpri_hist_bounds),
	{}
};

static struct kunit_suite hpmm_vpri_hist_test_suite = {
	.name = "hpmm_vpri_hist",
	.test_cases = hpmm_vpri_hist_test_cases,
};

kunit_test_suite(hpmm_vpri_hist_test_suite);

#endif /* _HPMM_VPRI_HIST_TEST_H */
