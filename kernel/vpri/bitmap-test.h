/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the PA-BITMAP, included at the end of bitmap.c (as DAMON
 * does). Built only when the kernel has CONFIG_KUNIT: they check the kernel
 * build of the bit layout, with the kernel's atomic bit operations.
 */
#ifndef _HPMM_VPRI_BITMAP_TEST_H
#define _HPMM_VPRI_BITMAP_TEST_H

#include <kunit/test.h>

/* 130 pages: 260 bits, five words on 64-bit, the last partly used. */
#define VPRI_BM_TEST_PAGES	130

static void hpmm_vpri_bm_independent_bits(struct kunit *test)
{
	struct vpri_bitmap bm;
	u32 p;

	KUNIT_ASSERT_EQ(test, vpri_bitmap_init(&bm, VPRI_BM_TEST_PAGES), 0);
	KUNIT_EXPECT_EQ(test, bm.nr_pages, (u32)VPRI_BM_TEST_PAGES);
	for (p = 0; p < VPRI_BM_TEST_PAGES; p++)
		if (vpri_bitmap_present(&bm, p) || vpri_bitmap_accessed(&bm, p))
			break;
	KUNIT_EXPECT_EQ_MSG(test, p, (u32)VPRI_BM_TEST_PAGES,
			    "a new bitmap has bits set");
	vpri_bitmap_set_present(&bm, 3);
	vpri_bitmap_mark_accessed(&bm, 4);
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&bm, 3));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_accessed(&bm, 3));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_present(&bm, 4));
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_accessed(&bm, 4));
	/* Neighbours are untouched. */
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_present(&bm, 2));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_accessed(&bm, 2));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_present(&bm, 5));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_accessed(&bm, 5));
	/* Page i is bits 2i (present) and 2i + 1 (accessed) of the array. */
	KUNIT_EXPECT_EQ(test, bm.words[0], BIT(6) | BIT(9));
	/* Marking twice is the same as once. */
	vpri_bitmap_mark_accessed(&bm, 4);
	KUNIT_EXPECT_EQ(test, bm.words[0], BIT(6) | BIT(9));
	vpri_bitmap_fini(&bm);
	KUNIT_EXPECT_NULL(test, bm.words);
	KUNIT_EXPECT_EQ(test, bm.nr_pages, 0U);
	KUNIT_EXPECT_EQ(test, vpri_bitmap_init(&bm, 0), -EINVAL);
}

static void hpmm_vpri_bm_word_boundaries(struct kunit *test)
{
	/* The first and last page of each word, and the domain's last. */
	const u32 half = BITS_PER_LONG / VPRI_BM_BITS_PER_PAGE;
	const u32 edge[] = { 0, half - 1, half, 2 * half - 1, 2 * half,
			     VPRI_BM_TEST_PAGES - 1 };
	unsigned long mask = 0;
	struct vpri_bitmap bm;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vpri_bitmap_init(&bm, VPRI_BM_TEST_PAGES), 0);
	for (i = 0; i < ARRAY_SIZE(edge); i++) {
		vpri_bitmap_set_present(&bm, edge[i]);
		KUNIT_EXPECT_EQ_MSG(test, vpri_bitmap_count_present(&bm), i + 1,
				    "page %u", edge[i]);
	}
	/* Accessed bits are never counted as present, even at the end. */
	for (i = 0; i < VPRI_BM_TEST_PAGES; i++)
		vpri_bitmap_mark_accessed(&bm, i);
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&bm),
			(u32)ARRAY_SIZE(edge));
	/* Word 0: every accessed bit, present only for its first and last. */
	for (i = 0; i < half; i++)
		mask |= BIT(2 * i + VPRI_BM_ACCESSED);
	KUNIT_EXPECT_EQ(test, bm.words[0],
			mask | BIT(0) | BIT(2 * (half - 1) + VPRI_BM_PRESENT));
	for (i = 0; i < ARRAY_SIZE(edge); i++) {
		KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&bm, edge[i]));
		KUNIT_EXPECT_TRUE(test, vpri_bitmap_accessed(&bm, edge[i]));
	}
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_present(&bm, half + 1));
	vpri_bitmap_fini(&bm);

	/* One page: a single word with one present bit to count. */
	KUNIT_ASSERT_EQ(test, vpri_bitmap_init(&bm, 1), 0);
	vpri_bitmap_mark_accessed(&bm, 0);
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&bm), 0U);
	vpri_bitmap_set_present(&bm, 0);
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&bm), 1U);
	vpri_bitmap_fini(&bm);
}

/*
 * The unpin protocol clears present first (a test-and-clear that reports
 * whether this caller took it) and may set it again to back off; the
 * accessed bit of the page must survive both.
 */
static void hpmm_vpri_bm_test_and_clear(struct kunit *test)
{
	struct vpri_bitmap bm;

	KUNIT_ASSERT_EQ(test, vpri_bitmap_init(&bm, VPRI_BM_TEST_PAGES), 0);
	/* Never present: nothing to take. */
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_test_and_clear_present(&bm, 64));
	vpri_bitmap_set_present(&bm, 64);
	vpri_bitmap_mark_accessed(&bm, 64);
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_test_and_clear_present(&bm, 64));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_present(&bm, 64));
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_accessed(&bm, 64));
	/* Only one of two claimers wins. */
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_test_and_clear_present(&bm, 64));
	/* Backing off restores it, accessed still set. */
	vpri_bitmap_set_present(&bm, 64);
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&bm, 64));
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_accessed(&bm, 64));
	/* CLOCK's second chance: clears accessed only, once. */
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_test_and_clear_accessed(&bm, 64));
	KUNIT_EXPECT_FALSE(test, vpri_bitmap_test_and_clear_accessed(&bm, 64));
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&bm, 64));
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&bm), 1U);
	KUNIT_EXPECT_TRUE(test, vpri_bitmap_test_and_clear_present(&bm, 64));
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&bm), 0U);
	KUNIT_EXPECT_EQ(test, bm.words[1], 0UL);
	vpri_bitmap_fini(&bm);
}

static struct kunit_case hpmm_vpri_bm_test_cases[] = {
	KUNIT_CASE(hpmm_vpri_bm_independent_bits),
	KUNIT_CASE(hpmm_vpri_bm_word_boundaries),
	KUNIT_CASE(hpmm_vpri_bm_test_and_clear),
	{}
};

static struct kunit_suite hpmm_vpri_bm_test_suite = {
	.name = "hpmm_vpri_bitmap",
	.test_cases = hpmm_vpri_bm_test_cases,
};

kunit_test_suite(hpmm_vpri_bm_test_suite);

#endif /* _HPMM_VPRI_BITMAP_TEST_H */
