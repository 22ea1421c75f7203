// SPDX-License-Identifier: GPL-2.0
/*
 * HPA's pool parameters, mode machine and geometry (config.h): pure
 * functions shared by hpmm.ko and the host tests. Nothing here allocates,
 * locks or touches a page. hpa_config_default() and hpa_config_check() are
 * exported for drivers (the host layer's <linux/export.h> makes the exports
 * nothing on the host).
 */
#include <linux/export.h>

#include "config.h"

/**
 * hpa_config_default() - the parameters of a pool nobody configured
 * @c: filled in
 */
void hpa_config_default(struct hpa_config *c)
{
	c->ring_size = HPA_DEFAULT_RING;
	c->cache_size = HPA_DEFAULT_CACHE;
	c->order = HPA_DEFAULT_ORDER;
	c->backup_pages = HPA_DEFAULT_BACKUP;
	c->scan_interval = HPA_DEFAULT_SCAN;
	c->verify = 0;
}
EXPORT_SYMBOL_NS_GPL(hpa_config_default, HPMM);

/**
 * hpa_config_check() - are the parameters of a pool usable
 * @c: the parameters
 * @max_order: the largest order the page allocator hands out
 *
 * Return: 0, or -EINVAL when a value is out of its range or the backup ring
 * cannot hold one block.
 */
int hpa_config_check(const struct hpa_config *c, u32 max_order)
{
	if (!c->ring_size || c->ring_size > HPA_RING_MAX)
		return -EINVAL;
	if (!c->cache_size || c->cache_size > HPA_CACHE_MAX)
		return -EINVAL;
	if (c->order > max_order || c->order > 20)
		return -EINVAL;
	if (c->backup_pages < (1U << c->order) ||
	    c->backup_pages > HPA_PAGES_MAX)
		return -EINVAL;
	if (!c->scan_interval || c->verify > 1)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(hpa_config_check, HPMM);

/**
 * hpa_mode_on_depleted() - the mode once cache, ring and backup ring are
 *	all empty and a reclaim scan brought nothing home
 * @mode: the current mode
 * @ever_grown: the pool has added memory before
 *
 * The first block of a pool is the normal start; needing another one means
 * that consumers keep pages away from the pool, so its pages go straight to
 * the alloc cache.
 *
 * Return: the new mode.
 */
enum hpa_mode hpa_mode_on_depleted(enum hpa_mode mode, bool ever_grown)
{
	return ever_grown ? HPA_MODE_INJECT : mode;
}

/**
 * hpa_mode_after_recycle() - the mode once pages came home to the backup
 *	ring (ring overflow or reclaim scan)
 * @mode: the current mode
 * @backup_count: pages in the backup ring now
 *
 * Return: HPA_MODE_NORMAL when the backup ring holds a refill's worth again.
 */
enum hpa_mode hpa_mode_after_recycle(enum hpa_mode mode, u32 backup_count)
{
	return backup_count >= HPA_REFILL ? HPA_MODE_NORMAL : mode;
}

/**
 * hpa_mode_name() - the mode as debugfs shows it
 * @mode: a mode
 *
 * Return: "normal" or "inject".
 */
const char *hpa_mode_name(enum hpa_mode mode)
{
	return mode == HPA_MODE_INJECT ? "inject" : "normal";
}

/**
 * hpa_scan_due() - may the allocator scan its blocks for pages that came home
 * @allocs: allocations so far
 * @last_scan: @allocs at the last scan
 * @interval: the pool's scan_interval
 * @forced: scan regardless (destroy, an explicit request)
 *
 * Return: true when forced, or when @interval allocations passed since the
 * last scan.
 */
bool hpa_scan_due(u64 allocs, u64 last_scan, u32 interval, bool forced)
{
	return forced || allocs - last_scan >= interval;
}

/**
 * hpa_grow_check() - how a pool owning @nr_pages may grow
 * @nr_pages: pages it owns
 * @max_pages: the most it may own (its backup_pages)
 * @order: its block order
 *
 * Return: HPA_GROW_BLOCK, HPA_GROW_PAGE or HPA_GROW_NONE.
 */
enum hpa_grow hpa_grow_check(u32 nr_pages, u32 max_pages, u32 order)
{
	if (nr_pages >= max_pages)
		return HPA_GROW_NONE;
	if ((u64)nr_pages + (1ULL << order) <= max_pages)
		return HPA_GROW_BLOCK;
	return HPA_GROW_PAGE;
}

/**
 * hpa_inject_split() - how many pages of a new block direct-inject puts into
 *	the alloc cache
 * @cache_count: pages in the alloc cache
 * @pages: pages of the block
 *
 * Return: up to @pages, as many as fit under HPA_CACHE_MAX; the rest go to
 * the backup ring.
 */
u32 hpa_inject_split(u32 cache_count, u32 pages)
{
	u32 room = cache_count < HPA_CACHE_MAX ? HPA_CACHE_MAX - cache_count : 0;

	return pages < room ? pages : room;
}

/**
 * hpa_page_iova() - the device address of one page of a block
 * @block_iova: the block's IOVA
 * @base_pfn: its first page frame
 * @pfn: the page's frame, within the block
 * @page_shift: log2 of the page size
 *
 * Return: the IOVA.
 */
u64 hpa_page_iova(u64 block_iova, u64 base_pfn, u64 pfn, u32 page_shift)
{
	return block_iova + ((pfn - base_pfn) << page_shift);
}

/**
 * hpa_inflight() - pages handed out and not back, from two free-running
 *	counters
 * @hold: pages handed out
 * @release: pages come home
 *
 * Return: the difference; negative only when accounting broke.
 */
s64 hpa_inflight(u64 hold, u64 release)
{
	return (s64)(hold - release);
}
