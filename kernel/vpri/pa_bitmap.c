// SPDX-License-Identifier: GPL-2.0
/*
 * PA-BITMAP allocation and counting; the per-page operations are inline in
 * pa_bitmap.h. Pure logic: builds into the module and into host programs.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/slab.h>

#include "pa_bitmap.h"

/**
 * vpri_bitmap_init() - allocate a cleared bitmap for @nr_pages pages
 * @bm: the bitmap
 * @nr_pages: pages to cover, at least 1
 *
 * Return: 0, -EINVAL for 0 pages, -ENOMEM.
 */
int vpri_bitmap_init(struct vpri_bitmap *bm, u32 nr_pages)
{
	unsigned long bits = (unsigned long)nr_pages * VPRI_BM_BITS_PER_PAGE;

	if (!nr_pages)
		return -EINVAL;
	bm->words = kvcalloc(BITS_TO_LONGS(bits), sizeof(unsigned long), GFP_KERNEL_ACCOUNT);
	if (!bm->words)
		return -ENOMEM;
	bm->nr_pages = nr_pages;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(vpri_bitmap_init, HPMM);

/**
 * vpri_bitmap_init_young() - also keep a young bit per page
 * @bm: an initialised bitmap
 *
 * Return: 0 or -ENOMEM.
 */
int vpri_bitmap_init_young(struct vpri_bitmap *bm)
{
	bm->young = kvcalloc(BITS_TO_LONGS(bm->nr_pages), sizeof(unsigned long),
			     GFP_KERNEL_ACCOUNT);
	return bm->young ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_NS_GPL(vpri_bitmap_init_young, HPMM);

void vpri_bitmap_fini(struct vpri_bitmap *bm)
{
	kvfree(bm->words);
	kvfree(bm->young);
	bm->words = NULL;
	bm->young = NULL;
	bm->nr_pages = 0;
}
EXPORT_SYMBOL_NS_GPL(vpri_bitmap_fini, HPMM);

/**
 * vpri_bitmap_count_present() - pages whose present bit is set
 * @bm: the bitmap
 *
 * Not atomic as a whole: exact only while no one updates the bitmap.
 *
 * Return: the count.
 */
u32 vpri_bitmap_count_present(const struct vpri_bitmap *bm)
{
	unsigned long bits = (unsigned long)bm->nr_pages * VPRI_BM_BITS_PER_PAGE;
	unsigned long mask = 0, i;
	u32 n = 0;

	/* Every even bit of a word is a present bit. */
	for (i = 0; i < (unsigned long)BITS_PER_LONG; i += 2)
		mask |= 1UL << i;
	for (i = 0; i < BITS_TO_LONGS(bits); i++)
		n += hweight_long(bm->words[i] & mask);
	return n;
}
