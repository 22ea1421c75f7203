/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PA-BITMAP: two bits per 4 KiB IOVA page of a VPRI domain, "present" (the
 * page is pinned and mapped in the IOMMU domain: a device access may go) and
 * "accessed" (a device access touched it since the bit was last cleared).
 *
 * The bits of page i are bits 2i (present) and 2i + 1 (accessed) of one
 * array of unsigned longs, so both bits of a page share a word. Every
 * update is an atomic read-modify-write; a test is a plain atomic load.
 *
 * Optionally (vpri_bitmap_init_young()), a third bit per page in an array
 * of its own, "young": set with accessed, but cleared only by the kernel's
 * reclaim asking whether the page was used (the domain's mmu_notifier,
 * clear_young). It is a separate copy because the accessed bit already has
 * a consumer, the protector's scan, which reads and clears it every
 * window: reclaim and the scan each need every device access since their
 * own last look, and neither may consume the other's information.
 * Pure logic: builds into the module and into host programs.
 */
#ifndef _HPMM_VPRI_PA_BITMAP_H
#define _HPMM_VPRI_PA_BITMAP_H

#include <linux/bitops.h>
#include <linux/limits.h>
#include <linux/types.h>

/* "No page": the page index type is u32 (2^28 bytes of IOVA fit easily). */
#define VPRI_NO_PAGE	U32_MAX

#ifdef __cplusplus
extern "C" {
#endif

#define VPRI_BM_PRESENT		0
#define VPRI_BM_ACCESSED	1
#define VPRI_BM_BITS_PER_PAGE	2

/**
 * struct vpri_bitmap - the PA-BITMAP of one domain
 * @words: 2 bits per page, page i at bits 2i and 2i + 1
 * @young: 1 bit per page, or NULL (vpri_bitmap_init_young())
 * @nr_pages: pages covered
 */
struct vpri_bitmap {
	unsigned long *words;
	unsigned long *young;
	u32 nr_pages;
};

int vpri_bitmap_init(struct vpri_bitmap *bm, u32 nr_pages);
int vpri_bitmap_init_young(struct vpri_bitmap *bm);
void vpri_bitmap_fini(struct vpri_bitmap *bm);

static inline unsigned long vpri_bm_bit(u32 page, unsigned int which)
{
	return (unsigned long)page * VPRI_BM_BITS_PER_PAGE + which;
}

/* The front end's check: may a device access @page now? */
static inline bool vpri_bitmap_present(const struct vpri_bitmap *bm, u32 page)
{
	return test_bit(vpri_bm_bit(page, VPRI_BM_PRESENT), bm->words);
}

static inline void vpri_bitmap_set_present(struct vpri_bitmap *bm, u32 page)
{
	set_bit(vpri_bm_bit(page, VPRI_BM_PRESENT), bm->words);
}

/* Clears present; true when it was set. Fully ordered. */
static inline bool vpri_bitmap_test_and_clear_present(struct vpri_bitmap *bm,
						      u32 page)
{
	return test_and_clear_bit(vpri_bm_bit(page, VPRI_BM_PRESENT),
				       bm->words);
}

static inline bool vpri_bitmap_accessed(const struct vpri_bitmap *bm, u32 page)
{
	return test_bit(vpri_bm_bit(page, VPRI_BM_ACCESSED), bm->words);
}

/*
 * Sets accessed (and young, when kept); reads first so that a hot page's
 * word is not bounced.
 */
static inline void vpri_bitmap_mark_accessed(struct vpri_bitmap *bm, u32 page)
{
	unsigned long bit = vpri_bm_bit(page, VPRI_BM_ACCESSED);

	if (!test_bit(bit, bm->words))
		set_bit(bit, bm->words);
	if (bm->young && !test_bit(page, bm->young))
		set_bit(page, bm->young);
}

/* Young: accessed since the kernel's reclaim last asked (test only). */
static inline bool vpri_bitmap_young(const struct vpri_bitmap *bm, u32 page)
{
	return bm->young && test_bit(page, bm->young);
}

/* Clears young; true when it was set. Reads first, as mark_accessed. */
static inline bool vpri_bitmap_test_and_clear_young(struct vpri_bitmap *bm,
						    u32 page)
{
	return vpri_bitmap_young(bm, page) &&
	       test_and_clear_bit(page, bm->young);
}

/* Clears accessed; true when it was set (CLOCK's second chance). */
static inline bool vpri_bitmap_test_and_clear_accessed(struct vpri_bitmap *bm,
						       u32 page)
{
	return test_and_clear_bit(vpri_bm_bit(page, VPRI_BM_ACCESSED),
				       bm->words);
}

u32 vpri_bitmap_count_present(const struct vpri_bitmap *bm);

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_VPRI_PA_BITMAP_H */
