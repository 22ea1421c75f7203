/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HPA: a hugepage-backed page pool with page_pool's shape. This is the one
 * header a driver includes; hpmm.ko exports the functions below in the HPMM
 * symbol namespace (MODULE_IMPORT_NS(HPMM)).
 *
 * The pool takes 2 MiB blocks from the buddy allocator, maps each once with
 * the DMA API (one IOVA range, which intel-iommu maps as a superpage) and
 * hands out its 4 KiB pages. Allocation tries the alloc cache, then the
 * recycle ring (64 pages at a time, as page_pool), then the backup ring;
 * when those are depleted it scans its blocks for pages whose consumers let
 * go, and then grows by a block, whose pages go straight into the alloc
 * cache once the pool has seen depletion (direct-inject mode).
 *
 * A page of the pool is never given back to the page allocator while its
 * block is mapped: the pool holds a reference on every page it owns, so a
 * consumer's put_page() can never free it; such a page comes home when the
 * reclaim scan finds its count back at the pool's own. A driver may
 * therefore hand a page to the network stack (an skb fragment) and forget
 * it: when the last skb lets go, the page comes home by itself.
 *
 * Blocks are unmapped and freed only at destroy, once every page is home. A
 * destroy with pages in flight (held by sockets, say) is deferred: the pool
 * leaves its creator at once, stays registered (and listed in debugfs
 * hpmm/hpa/pools/<name>/) under hpmm.ko, which cannot be unloaded meanwhile,
 * and completes in a workqueue when the last page comes home. The creator
 * (a driver being removed) need not wait: nothing calls back into it.
 *
 * A driver whose device goes away (remove, unbind) must not leave mappings
 * of it behind: hpa_pool_destroy_detach() unmaps every block at once, frees
 * the pages that are home and leaves the pages still held elsewhere to
 * their holders (orphaned): unmapped, without the pool's reference, so that
 * the last holder's put_page() frees them like any page.
 *
 * Every pool is registered under a name, unique among registered pools
 * (including those whose destroy waits for pages), which debugfs, the trace
 * tools and hpmmctl show.
 *
 * Concurrency is page_pool's: one context allocates (NAPI-like; the caller
 * serialises hpa_pool_alloc_page()), any context may put pages; direct
 * recycling into the alloc cache happens only from softirq (or BH-disabled)
 * context of the allocating side.
 */
#ifndef _HPMM_HPA_HPA_H
#define _HPMM_HPA_HPA_H

#include <linux/bottom_half.h>
#include <linux/dma-mapping.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/ptr_ring.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "config.h"

/* A free page's count: the pool's own reference plus the one it hands out. */
#define HPA_REF_FREE	2
/* A page that only the pool references: home, or dropped by its consumer. */
#define HPA_REF_POOL	1

struct dentry;
struct device;
struct hpmm_dev;

/**
 * struct hpa_pool_params - what hpa_pool_create() needs
 * @dev: the device whose DMA API mappings the pool makes
 * @nid: NUMA node to allocate from, or NUMA_NO_NODE
 * @dma_dir: DMA_FROM_DEVICE or DMA_BIDIRECTIONAL (as page_pool)
 * @sync_for_device: sync min(dma_sync_size, PAGE_SIZE) bytes for the device
 *	when a page is recycled (page_pool's PP_FLAG_DMA_SYNC_DEV)
 * @cfg: sizes and options (config.h): start from hpa_config_default(),
 *	checked by hpa_config_check()
 *
 * The pool takes a reference on @dev for as long as it has mappings.
 */
struct hpa_pool_params {
	struct device *dev;
	int nid;
	enum dma_data_direction dma_dir;
	bool sync_for_device;
	struct hpa_config cfg;
};

/**
 * struct hpa_block - one DMA-mapped run of pages (a block, or a fallback
 *	single page), kept on the pool's list until destroy unmaps it
 * @node: entry in hpa_pool.blocks
 * @pool: the owner
 * @base: first page (split: every page has its own count)
 * @pfn: its page frame
 * @dma: the IOVA of @base
 * @order: log2 of the pages in it
 * @out: with cfg.verify, one bit per page, set while it is handed out
 */
struct hpa_block {
	struct list_head node;
	struct hpa_pool *pool;
	struct page *base;
	unsigned long pfn;
	dma_addr_t dma;
	unsigned int order;
	unsigned long out[];
};

/**
 * struct hpa_alloc_stats - counters of the allocating side (one context)
 * @cache: allocations served by the alloc cache
 * @ring: allocations that refilled the cache from the recycle ring
 * @backup: allocations that refilled the cache from the backup ring
 * @inject: allocations that added a block straight into the cache
 * @fallback: allocations served by a single page mapped on its own, because
 *	no block could be had
 * @fail: allocations that returned NULL
 * @ring_pages: pages moved from the recycle ring into the cache
 * @backup_pages: pages moved from the backup ring into the cache
 * @inject_pages: pages of new blocks put straight into the cache
 * @scans: reclaim scans
 * @reclaimed: pages the scans found back at the pool's own reference
 * @block_fail: block allocations or mappings that failed
 * @mode_switches: changes between normal and inject mode
 * @map_calls: DMA API map calls
 */
struct hpa_alloc_stats {
	u64 cache;
	u64 ring;
	u64 backup;
	u64 inject;
	u64 fallback;
	u64 fail;
	u64 ring_pages;
	u64 backup_pages;
	u64 inject_pages;
	u64 scans;
	u64 reclaimed;
	u64 block_fail;
	u64 mode_switches;
	u64 map_calls;
};

/**
 * struct hpa_recycle_stats - per-CPU counters of the recycling side
 * @direct: pages put straight into the alloc cache
 * @ring: pages put into the recycle ring
 * @ring_full: pages that found the ring full and went to the backup ring
 * @released: pages put while someone else still held them; they come home
 *	through the reclaim scan
 */
struct hpa_recycle_stats {
	u64 direct;
	u64 ring;
	u64 ring_full;
	u64 released;
};

/**
 * enum hpa_destroy_state - how far a pool's destruction got
 * @HPA_ALIVE: not being destroyed
 * @HPA_DEFERRED: waiting, in the workqueue, for pages in flight
 * @HPA_DESTROYED: every page home, blocks unmapped and freed
 */
enum hpa_destroy_state {
	HPA_ALIVE,
	HPA_DEFERRED,
	HPA_DESTROYED,
};

/**
 * struct hpa_destroy_report - what a completed destroy found
 * @blocks: mapped runs unmapped (blocks and fallback pages)
 * @pages: pages freed back to the page allocator
 * @iova_checked: IOVA pages looked up with iommu_iova_to_phys() after unmap
 * @iova_mapped: of those, pages that still translated (must be 0); such a
 *	run's pages are withheld from the page allocator
 * @iova_skipped: 1 when the device's domain cannot be checked (identity or
 *	no IOMMU)
 * @withheld: pages never freed because their IOVA still translated (must
 *	be 0)
 * @orphaned: pages someone still held when their run was unmapped
 *	(hpa_pool_destroy_detach(), or a forced destroy): the pool dropped its
 *	reference after the unmap, so their last holder frees them, unmapped
 * @retries: deferred retries before the pages came home
 * @wait_ms: time from hpa_pool_destroy() to completion
 */
struct hpa_destroy_report {
	u64 blocks;
	u64 pages;
	u64 iova_checked;
	u64 iova_mapped;
	u64 iova_skipped;
	u64 withheld;
	u64 orphaned;
	u64 retries;
	u64 wait_ms;
};

/**
 * struct hpa_pool - one pool; fields are private to hpmm.ko (kernel/hpa/)
 *	except for what the inline fast paths below read
 * @cache: the alloc cache, used only by the allocating side
 * @cache.count: pages in it
 * @cache.size: cfg.cache_size, the fill a direct recycle may reach
 * @cache.fast: the inline fast paths may run (no verify, no sync, alive)
 * @cache.dying: set by hpa_pool_destroy(); direct recycling stops
 * @cache.pages: the pages, a stack
 * @p: parameters
 * @id: the pool's id in tracepoints and debugfs
 * @name: the name it is registered and shown under
 * @node: entry in the registry of pools (core.c)
 * @hdev: when @p.dev is one of hpmm's own DMA devices, that device, held
 *	for DMA-API use while the pool has mappings; else NULL
 * @dbg_dir: its debugfs directory hpa/pools/<name>/ (debugfs.c)
 * @pages_per_block: 1 << cfg.order
 * @mode: normal or inject
 * @ever_grown: the pool added memory at least once
 * @last_scan: allocations at the last reclaim scan
 * @st: allocating-side counters
 * @rst: recycling-side counters, per CPU
 * @ring: the recycle ring
 * @backup: the backup ring; it can hold every page the pool may own
 * @backup_count: pages in @backup
 * @blocks_lock: guards @blocks and the block counters against readers
 * @blocks: every mapped run
 * @nr_blocks: mapped blocks (not fallback pages)
 * @nr_fallback: fallback pages mapped alone
 * @peak_blocks: the most blocks mapped at once
 * @nr_pages: pages owned
 * @unmap_calls: DMA API unmap calls
 * @verify_errors: with cfg.verify, misuse found (a page handed out twice,
 *	put twice, or put to the wrong pool)
 * @state: enum hpa_destroy_state
 * @destroy_start: jiffies at hpa_pool_destroy()
 * @destroy_inflight: pages not home at the last destroy attempt
 * @report: filled by the completed destroy
 * @release_dw: the deferred destroy's retry
 */
struct hpa_pool {
	struct {
		u32 count;
		u32 size;
		bool fast;
		bool dying;
		struct page *pages[HPA_CACHE_MAX];
	} cache ____cacheline_aligned_in_smp;

	struct hpa_pool_params p;
	u32 id;
	char name[HPA_NAME_MAX + 1];
	struct list_head node;
	struct hpmm_dev *hdev;
	struct dentry *dbg_dir;
	u32 pages_per_block;
	enum hpa_mode mode;
	bool ever_grown;
	u64 last_scan;
	struct hpa_alloc_stats st;
	struct hpa_recycle_stats __percpu *rst;

	struct ptr_ring ring ____cacheline_aligned_in_smp;
	struct ptr_ring backup;
	atomic_t backup_count;

	spinlock_t blocks_lock; /* list and counters, for readers */
	struct list_head blocks;
	u32 nr_blocks;
	u32 nr_fallback;
	u32 peak_blocks;
	u32 nr_pages;
	u64 unmap_calls;
	atomic64_t verify_errors;

	int state;
	unsigned long destroy_start;
	u64 destroy_inflight;
	struct hpa_destroy_report report;
	struct delayed_work release_dw;
};

/**
 * struct hpa_pool_snapshot - a consistent-enough copy of a pool's counters,
 *	for debugfs and a driver's ethtool statistics
 * @id: the pool's id
 * @st: allocating-side counters
 * @rst: recycling-side counters summed over CPUs
 * @allocs: successful allocations
 * @inflight: pages handed out and not home
 * @cache_count: pages in the alloc cache
 * @backup_count: pages in the backup ring
 * @nr_blocks: blocks mapped
 * @nr_fallback: fallback pages mapped
 * @peak_blocks: the most blocks mapped at once
 * @nr_pages: pages owned
 * @unmap_calls: DMA API unmap calls
 * @verify_errors: misuse found with cfg.verify
 * @mode: normal or inject
 * @state: enum hpa_destroy_state
 * @destroy_inflight: pages not home at the last destroy attempt
 * @destroy_ms: time since hpa_pool_destroy(), 0 when alive
 * @retries: deferred retries so far
 */
struct hpa_pool_snapshot {
	u32 id;
	struct hpa_alloc_stats st;
	struct hpa_recycle_stats rst;
	u64 allocs;
	s64 inflight;
	u32 cache_count;
	u32 backup_count;
	u32 nr_blocks;
	u32 nr_fallback;
	u32 peak_blocks;
	u32 nr_pages;
	u64 unmap_calls;
	u64 verify_errors;
	enum hpa_mode mode;
	int state;
	u64 destroy_inflight;
	u64 destroy_ms;
	u64 retries;
};

/* Pools: pool.c */
struct hpa_pool *hpa_pool_create(const char *name,
				 const struct hpa_pool_params *params);
void hpa_pool_destroy(struct hpa_pool *pool);
void hpa_pool_destroy_detach(struct hpa_pool *pool);
struct page *hpa_pool_alloc_slow(struct hpa_pool *pool, gfp_t gfp);
void hpa_pool_put_slow(struct hpa_pool *pool, struct page *page,
		       unsigned int dma_sync_size, bool allow_direct);
u32 hpa_pool_scan(struct hpa_pool *pool);
void hpa_pool_snapshot(struct hpa_pool *pool, struct hpa_pool_snapshot *s);

/* The registry and statistics: core.c */
bool hpa_pool_name_in_use(const char *name);
int hpa_pool_ethtool_stats_count(void);
u8 *hpa_pool_ethtool_stats_strings(u8 *data);
u64 *hpa_pool_ethtool_stats(u64 *data, const struct hpa_pool_snapshot *s);

/**
 * hpa_page_dma_addr() - the device address of a page of an HPA pool
 * @page: a page hpa_pool_alloc_page() returned
 *
 * Return: its IOVA, valid until the page is put back.
 */
static inline dma_addr_t hpa_page_dma_addr(struct page *page)
{
	const struct hpa_block *blk = (const struct hpa_block *)page_private(page);

	return blk->dma + ((page_to_pfn(page) - blk->pfn) << PAGE_SHIFT);
}

/**
 * hpa_pool_dma_sync_for_cpu() - make what the device wrote into a page
 *	visible to the CPU, as page_pool_dma_sync_for_cpu()
 * @pool: the page's pool
 * @page: a page of @pool, handed out
 * @offset: where in the page the device wrote
 * @len: how many bytes
 */
static inline void hpa_pool_dma_sync_for_cpu(const struct hpa_pool *pool,
					     struct page *page, u32 offset,
					     u32 len)
{
	dma_sync_single_range_for_cpu(pool->p.dev, hpa_page_dma_addr(page),
				      offset, len, pool->p.dma_dir);
}

/*
 * The fast paths are inline, as page_pool's put wrappers are: a cache hit
 * costs no call. Everything else is out of line in pool.c.
 */

/**
 * hpa_pool_alloc_page() - take a page
 * @pool: the pool; the caller serialises allocations (one context)
 * @gfp: for growing: GFP_ATOMIC in softirq or with BH disabled
 *
 * The page comes with one reference for the caller, and its device address
 * is hpa_page_dma_addr(); page_is_pfmemalloc() is false for it, so an skb
 * built around it (napi_build_skb()) is not taken for an emergency-reserve
 * buffer. The caller either gives it back with
 * hpa_pool_put_page() or passes it on (to an skb) and lets its last holder
 * drop it with put_page(): the pool's reclaim scan then brings it home.
 *
 * Return: a page, or NULL when the pool may not grow and has nothing home.
 */
static inline struct page *hpa_pool_alloc_page(struct hpa_pool *pool,
					       gfp_t gfp)
{
	if (likely(pool->cache.count && pool->cache.fast)) {
		pool->st.cache++;
		return pool->cache.pages[--pool->cache.count];
	}
	return hpa_pool_alloc_slow(pool, gfp);
}

/**
 * hpa_pool_put_page() - give a page back
 * @pool: its pool, not destroyed
 * @page: the page; the caller gives up its reference
 * @dma_sync_size: bytes the device may have written, synced for the device
 *	when the pool was created with sync_for_device
 * @allow_direct: the caller runs in the allocating side's softirq (NAPI)
 *	context, so the page may go straight into the alloc cache
 *
 * A page nobody else holds is recycled: into the alloc cache when allowed
 * and there is room, else into the recycle ring, else (ring full) into the
 * backup ring. A page someone else still holds only loses the caller's
 * reference and comes home through the reclaim scan.
 */
static inline void hpa_pool_put_page(struct hpa_pool *pool, struct page *page,
				     unsigned int dma_sync_size,
				     bool allow_direct)
{
	if (likely(allow_direct && pool->cache.fast &&
		   pool->cache.count < pool->cache.size &&
		   page_ref_count(page) == HPA_REF_FREE && in_softirq())) {
		pool->cache.pages[pool->cache.count++] = page;
		this_cpu_inc(pool->rst->direct);
		return;
	}
	hpa_pool_put_slow(pool, page, dma_sync_size, allow_direct);
}

#endif /* _HPMM_HPA_HPA_H */
