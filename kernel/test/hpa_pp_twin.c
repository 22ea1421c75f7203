// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own page_pool, the "pp" kind of hpmm_test/hpa/control,
 * created on the same device as an HPA pool so that the receive model and
 * the benchmark measure both side by side. Only
 * creation and reading its counters live here; the model calls
 * page_pool_alloc_pages() and page_pool_put_full_page() directly.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/pci.h>

#include "../dev/dev.h"
#include "compat/page_pool.h"
#include "hpa_test.h"

/**
 * hpa_twin_create() - a page_pool that maps its pages for @hdev
 * @hdev: the device
 * @nid: NUMA node, or NUMA_NO_NODE
 * @ring_size: its ptr_ring size (pool_size)
 * @sync: PP_FLAG_DMA_SYNC_DEV, syncing up to a page on recycling
 *
 * Return: the pool or an ERR_PTR().
 */
struct page_pool *hpa_twin_create(struct hpmm_dev *hdev, int nid,
				  u32 ring_size, bool sync)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | (sync ? PP_FLAG_DMA_SYNC_DEV : 0),
		.order = 0,
		.pool_size = ring_size,
		.nid = nid,
		.dev = &hdev->pdev->dev,
		.dma_dir = DMA_FROM_DEVICE,
		.max_len = PAGE_SIZE,
		.offset = 0,
	};

	return page_pool_create(&pp);
}

/**
 * hpa_twin_snapshot() - read a page_pool's counters
 * @pp: the pool
 * @s: filled in
 *
 * page_pool counts pages it holds (took from the page allocator and mapped)
 * and releases (unmapped and gave back); CONFIG_PAGE_POOL_STATS is off in
 * Debian's kernel, so these and the cache fill are all it shows.
 */
void hpa_twin_snapshot(struct page_pool *pp, struct hpa_twin_snapshot *s)
{
	s->hold = READ_ONCE(pp->pages_state_hold_cnt);
	s->release = (u32)atomic_read(&pp->pages_state_release_cnt);
	s->cache_count = READ_ONCE(pp->alloc.count);
	s->ring_empty = __ptr_ring_empty(&pp->ring);
}
