// SPDX-License-Identifier: GPL-2.0
// The PA-BITMAP (kernel/vpri/pa_bitmap.[ch]) on the host: its bit layout,
// counting across word boundaries, and the claim protocol's
// test-and-clear.
#include <gtest/gtest.h>

#include <climits>

#include "hpmm/vpri/core.hpp"

namespace {

// 130 pages: 260 bits, five words on 64-bit, the last partly used.
constexpr std::uint32_t test_pages = 130;
constexpr std::uint32_t bits_per_word = sizeof(unsigned long) * CHAR_BIT;

// A bitmap freed however the test ends.
class Bitmap {
public:
	explicit Bitmap(std::uint32_t pages) { init_ = vpri_bitmap_init(&bm_, pages); }
	~Bitmap() { vpri_bitmap_fini(&bm_); }
	Bitmap(const Bitmap &) = delete;
	Bitmap &operator=(const Bitmap &) = delete;

	int init_result() const { return init_; }
	vpri_bitmap *get() { return &bm_; }

private:
	vpri_bitmap bm_{};
	int init_ = -1;
};

TEST(VpriBitmap, TwoIndependentBitsPerPage)
{
	Bitmap b(test_pages);
	vpri_bitmap *bm = b.get();
	ASSERT_EQ(0, b.init_result());
	EXPECT_EQ(test_pages, bm->nr_pages);
	for (std::uint32_t p = 0; p < test_pages; p++) {
		ASSERT_FALSE(vpri_bitmap_present(bm, p)) << "a new bitmap has page " << p;
		ASSERT_FALSE(vpri_bitmap_accessed(bm, p)) << "a new bitmap has page " << p;
	}
	vpri_bitmap_set_present(bm, 3);
	vpri_bitmap_mark_accessed(bm, 4);
	EXPECT_TRUE(vpri_bitmap_present(bm, 3));
	EXPECT_FALSE(vpri_bitmap_accessed(bm, 3));
	EXPECT_FALSE(vpri_bitmap_present(bm, 4));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 4));
	// Neighbours are untouched.
	EXPECT_FALSE(vpri_bitmap_present(bm, 2));
	EXPECT_FALSE(vpri_bitmap_accessed(bm, 2));
	EXPECT_FALSE(vpri_bitmap_present(bm, 5));
	EXPECT_FALSE(vpri_bitmap_accessed(bm, 5));
	// Page i is bits 2i (present) and 2i + 1 (accessed) of the array.
	EXPECT_EQ((1UL << 6) | (1UL << 9), bm->words[0]);
	// Marking twice is the same as once.
	vpri_bitmap_mark_accessed(bm, 4);
	EXPECT_EQ((1UL << 6) | (1UL << 9), bm->words[0]);
}

TEST(VpriBitmap, InitAndFini)
{
	vpri_bitmap bm{};
	EXPECT_EQ(-EINVAL, vpri_bitmap_init(&bm, 0));
	ASSERT_EQ(0, vpri_bitmap_init(&bm, 1));
	vpri_bitmap_fini(&bm);
	EXPECT_EQ(nullptr, bm.words);
	EXPECT_EQ(0u, bm.nr_pages);
}

TEST(VpriBitmap, CountsAcrossWordBoundaries)
{
	// The first and last page of each word, and the domain's last.
	const std::uint32_t half = bits_per_word / VPRI_BM_BITS_PER_PAGE;
	const std::uint32_t edge[] = { 0, half - 1, half, 2 * half - 1, 2 * half,
				       test_pages - 1 };
	Bitmap b(test_pages);
	vpri_bitmap *bm = b.get();
	ASSERT_EQ(0, b.init_result());
	for (std::size_t i = 0; i < std::size(edge); i++) {
		vpri_bitmap_set_present(bm, edge[i]);
		EXPECT_EQ(i + 1, vpri_bitmap_count_present(bm)) << "page " << edge[i];
	}
	// Accessed bits are never counted as present, even at the end.
	for (std::uint32_t p = 0; p < test_pages; p++)
		vpri_bitmap_mark_accessed(bm, p);
	EXPECT_EQ(std::size(edge), vpri_bitmap_count_present(bm));
	// Word 0: every accessed bit, present only for its first and last page.
	unsigned long mask = 0;
	for (std::uint32_t i = 0; i < half; i++)
		mask |= 1UL << (2 * i + VPRI_BM_ACCESSED);
	EXPECT_EQ(mask | 1UL | (1UL << (2 * (half - 1) + VPRI_BM_PRESENT)), bm->words[0]);
	for (std::uint32_t p : edge) {
		EXPECT_TRUE(vpri_bitmap_present(bm, p));
		EXPECT_TRUE(vpri_bitmap_accessed(bm, p));
	}
	EXPECT_FALSE(vpri_bitmap_present(bm, half + 1));

	// One page: a single word with one present bit to count.
	Bitmap one(1);
	ASSERT_EQ(0, one.init_result());
	vpri_bitmap_mark_accessed(one.get(), 0);
	EXPECT_EQ(0u, vpri_bitmap_count_present(one.get()));
	vpri_bitmap_set_present(one.get(), 0);
	EXPECT_EQ(1u, vpri_bitmap_count_present(one.get()));
}

// The unpin protocol clears present first (a test-and-clear that reports
// whether this caller took it) and may set it again to back off; the
// accessed bit of the page must survive both.
TEST(VpriBitmap, TestAndClearForTheClaimProtocol)
{
	Bitmap b(test_pages);
	vpri_bitmap *bm = b.get();
	ASSERT_EQ(0, b.init_result());
	// Never present: nothing to take.
	EXPECT_FALSE(vpri_bitmap_test_and_clear_present(bm, 64));
	vpri_bitmap_set_present(bm, 64);
	vpri_bitmap_mark_accessed(bm, 64);
	EXPECT_TRUE(vpri_bitmap_test_and_clear_present(bm, 64));
	EXPECT_FALSE(vpri_bitmap_present(bm, 64));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 64));
	// Only one of two claimers wins.
	EXPECT_FALSE(vpri_bitmap_test_and_clear_present(bm, 64));
	// Backing off restores it, accessed still set.
	vpri_bitmap_set_present(bm, 64);
	EXPECT_TRUE(vpri_bitmap_present(bm, 64));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 64));
	// CLOCK's second chance: clears accessed only, once.
	EXPECT_TRUE(vpri_bitmap_test_and_clear_accessed(bm, 64));
	EXPECT_FALSE(vpri_bitmap_test_and_clear_accessed(bm, 64));
	EXPECT_TRUE(vpri_bitmap_present(bm, 64));
	EXPECT_EQ(1u, vpri_bitmap_count_present(bm));
	EXPECT_TRUE(vpri_bitmap_test_and_clear_present(bm, 64));
	EXPECT_EQ(0u, vpri_bitmap_count_present(bm));
	EXPECT_EQ(0UL, bm->words[64 * VPRI_BM_BITS_PER_PAGE / bits_per_word]);
}

TEST(VpriBitmap, PagesOfDifferentWords)
{
	Bitmap b(test_pages);
	vpri_bitmap *bm = b.get();
	ASSERT_EQ(0, b.init_result());
	EXPECT_EQ(0u, vpri_bitmap_count_present(bm));
	vpri_bitmap_set_present(bm, 0);
	vpri_bitmap_set_present(bm, 31);
	vpri_bitmap_set_present(bm, 32);
	vpri_bitmap_set_present(bm, 129);
	vpri_bitmap_mark_accessed(bm, 1);
	vpri_bitmap_mark_accessed(bm, 31);
	EXPECT_TRUE(vpri_bitmap_present(bm, 0));
	EXPECT_FALSE(vpri_bitmap_accessed(bm, 0));
	EXPECT_FALSE(vpri_bitmap_present(bm, 1));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 1));
	EXPECT_TRUE(vpri_bitmap_present(bm, 31));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 31));
	EXPECT_EQ(4u, vpri_bitmap_count_present(bm));
	EXPECT_TRUE(vpri_bitmap_test_and_clear_present(bm, 31));
	EXPECT_FALSE(vpri_bitmap_test_and_clear_present(bm, 31));
	EXPECT_TRUE(vpri_bitmap_accessed(bm, 31));
	EXPECT_TRUE(vpri_bitmap_test_and_clear_accessed(bm, 31));
	EXPECT_FALSE(vpri_bitmap_accessed(bm, 31));
	EXPECT_EQ(3u, vpri_bitmap_count_present(bm));
	// Page i's bits are bits 2i and 2i + 1.
	EXPECT_EQ(1UL, bm->words[0] & 3UL);
}

} // namespace
