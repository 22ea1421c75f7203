// SPDX-License-Identifier: GPL-2.0
/*
 * HPA, the hugepage-backed page pool: the mechanism (see hpa.h for the
 * design). Every pool is in core.c's registry from hpa_pool_create() until
 * its destroy completed; a deferred destroy is hpmm.ko's alone.
 *
 * Page reference protocol. Every page the pool owns carries the pool's own
 * reference (HPA_REF_POOL). A page in the alloc cache, the recycle ring or
 * the backup ring carries one more, the reference it will hand out, so its
 * count is HPA_REF_FREE and allocation touches no atomic. A consumer that
 * puts a page whose count is still HPA_REF_FREE was its only user: the page
 * is recycled as it is. A page put while someone else holds it gives up the
 * consumer's reference only; when the last other holder drops, its count
 * falls to HPA_REF_POOL, never to zero, and the reclaim scan brings it home.
 * So no put_page() anywhere can give a page of a mapped block back to the
 * page allocator; only hpa_pool_free() does, after unmapping.
 */
#define pr_fmt(fmt) "hpmm: hpa: " fmt

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "../trace.h"
#include "compat/mm.h"
#include "hpa.h"
#include "internal.h"

/* Retry period of a deferred destroy. */
#define HPA_DEFER_DELAY		msecs_to_jiffies(100)
/* A pool still waiting after this long says so in the log, once a minute. */
#define HPA_DEFER_WARN		(60 * HZ)

/* Pool ids, for tracepoints (a pool's stats show its id). */
static atomic_t hpa_next_id = ATOMIC_INIT(0);

static struct workqueue_struct *hpa_wq;

static bool hpa_producer_lock(struct ptr_ring *r)
	__acquires(&r->producer_lock)
{
	bool in_bh = in_softirq();

	if (in_bh)
		spin_lock(&r->producer_lock);
	else
		spin_lock_bh(&r->producer_lock);
	return in_bh;
}

static void hpa_producer_unlock(struct ptr_ring *r, bool in_bh)
	__releases(&r->producer_lock)
{
	if (in_bh)
		spin_unlock(&r->producer_lock);
	else
		spin_unlock_bh(&r->producer_lock);
}

static void hpa_verify_error(struct hpa_pool *pool, const char *what,
			     struct page *page)
{
	atomic64_inc(&pool->verify_errors);
	pr_err_ratelimited("verify: %s (pfn %#lx)\n", what, page_to_pfn(page));
}

static struct hpa_block *hpa_page_block(struct hpa_pool *pool,
					struct page *page, unsigned long *idx)
{
	struct hpa_block *blk = (struct hpa_block *)page_private(page);

	if (!blk || blk->pool != pool)
		return NULL;
	*idx = page_to_pfn(page) - blk->pfn;
	if (*idx >= (1UL << blk->order))
		return NULL;
	return blk;
}

static void hpa_verify_alloc(struct hpa_pool *pool, struct page *page)
{
	struct hpa_block *blk;
	unsigned long idx;

	blk = hpa_page_block(pool, page, &idx);
	if (!blk) {
		hpa_verify_error(pool, "allocated a foreign page", page);
		return;
	}
	if (test_and_set_bit(idx, blk->out))
		hpa_verify_error(pool, "page handed out twice", page);
	if (page_ref_count(page) != HPA_REF_FREE)
		hpa_verify_error(pool, "free page with a foreign reference", page);
	if (page_is_pfmemalloc(page))
		hpa_verify_error(pool, "page handed out as pfmemalloc", page);
}

/* Returns false when the put must be ignored. */
static bool hpa_verify_put(struct hpa_pool *pool, struct page *page,
			   bool recycle)
{
	struct hpa_block *blk;
	unsigned long idx;

	blk = hpa_page_block(pool, page, &idx);
	if (!blk) {
		hpa_verify_error(pool, "put of a foreign page", page);
		return false;
	}
	if (!test_bit(idx, blk->out)) {
		hpa_verify_error(pool, "put of a page not handed out", page);
		return false;
	}
	if (recycle)
		clear_bit(idx, blk->out);
	return true;
}

/* A page came home through the scan: it is no longer out. */
static void hpa_verify_home(struct hpa_pool *pool, struct hpa_block *blk,
			    unsigned long idx)
{
	if (!test_and_clear_bit(idx, blk->out))
		hpa_verify_error(pool, "page dropped while in the pool",
				 blk->base + idx);
}

static void hpa_set_mode(struct hpa_pool *pool, enum hpa_mode mode)
{
	if (pool->mode != mode) {
		trace_hpa_mode_switch(pool->id, pool->mode, mode);
		pool->mode = mode;
		pool->st.mode_switches++;
	}
}

static u64 hpa_allocs(const struct hpa_alloc_stats *st)
{
	return st->cache + st->ring + st->backup + st->inject + st->fallback;
}

/* Pages come home: recycled (all CPUs) or brought back by the scan. */
static u64 hpa_recycled(struct hpa_pool *pool)
{
	u64 n = pool->st.reclaimed;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct hpa_recycle_stats *r = per_cpu_ptr(pool->rst, cpu);

		n += READ_ONCE(r->direct) + READ_ONCE(r->ring) +
		     READ_ONCE(r->ring_full);
	}
	return n;
}

/* The backup ring can hold every page the pool may own: this cannot fail. */
static void hpa_backup_push(struct hpa_pool *pool, struct page *page)
{
	bool in_bh = hpa_producer_lock(&pool->backup);
	int ret = __ptr_ring_produce(&pool->backup, page);

	hpa_producer_unlock(&pool->backup, in_bh);
	if (unlikely(ret)) {
		/* Leave it to the reclaim scan rather than lose it. */
		pr_err_once("backup ring full, page left to the scan\n");
		page_ref_dec(page);
		return;
	}
	atomic_inc(&pool->backup_count);
}

static u32 hpa_refill_from_ring(struct hpa_pool *pool)
{
	struct ptr_ring *r = &pool->ring;
	struct page *page;
	u32 n = 0;

	if (__ptr_ring_empty(r))
		return 0;
	while (n < HPA_REFILL && (page = __ptr_ring_consume(r))) {
		pool->cache.pages[pool->cache.count++] = page;
		n++;
	}
	return n;
}

static u32 hpa_refill_from_backup(struct hpa_pool *pool)
{
	struct ptr_ring *r = &pool->backup;
	struct page *page;
	u32 n = 0;

	hpa_set_mode(pool, hpa_mode_after_recycle(pool->mode,
						  atomic_read(&pool->backup_count)));
	if (__ptr_ring_empty(r))
		return 0;
	while (n < HPA_REFILL && (page = __ptr_ring_consume(r))) {
		pool->cache.pages[pool->cache.count++] = page;
		n++;
	}
	atomic_sub(n, &pool->backup_count);
	pool->st.backup_pages += n;
	if (n)
		trace_hpa_backup_refill(pool->id, n);
	return n;
}

static struct hpa_block *hpa_block_new(struct hpa_pool *pool, gfp_t gfp,
				       unsigned int order)
{
	unsigned int nr = 1U << order, i;
	size_t words = pool->p.cfg.verify ? BITS_TO_LONGS(nr) : 0;
	struct device *dev = pool->p.dev;
	struct hpa_block *blk;
	struct page *page;
	dma_addr_t dma;

	blk = kzalloc_node(struct_size(blk, out, words), gfp | __GFP_NOWARN,
			   pool->p.nid);
	if (!blk)
		return NULL;
	/* Not from the emergency reserves: such a page could not be kept. */
	page = alloc_pages_node(pool->p.nid,
				(gfp | __GFP_NOWARN | __GFP_NOMEMALLOC) &
				~__GFP_COMP, order);
	if (!page)
		goto err_blk;

	/* One mapping for the whole block: one IOVA range, one superpage. */
	pool->st.map_calls++;
	dma = dma_map_page_attrs(dev, page, 0, PAGE_SIZE << order,
				 pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(dev, dma))
		goto err_page;

	if (order)
		split_page(page, order);
	for (i = 0; i < nr; i++) {
		set_page_private(page + i, (unsigned long)blk);
		set_page_count(page + i, HPA_REF_FREE);
		/*
		 * Only the head of an allocation has its pfmemalloc bit set
		 * by the page allocator; a split page's word may hold
		 * anything. napi_build_skb() copies it into the skb.
		 */
		clear_page_pfmemalloc(page + i);
	}
	blk->pool = pool;
	blk->base = page;
	blk->pfn = page_to_pfn(page);
	blk->dma = dma;
	blk->order = order;
	trace_hpa_block_map(pool->id, dma, blk->pfn, order);

	spin_lock_bh(&pool->blocks_lock);
	list_add_tail(&blk->node, &pool->blocks);
	if (order == pool->p.cfg.order) {
		pool->nr_blocks++;
		pool->peak_blocks = max(pool->peak_blocks, pool->nr_blocks);
	} else {
		pool->nr_fallback++;
	}
	pool->nr_pages += nr;
	spin_unlock_bh(&pool->blocks_lock);

	atomic_long_add(nr, &hpmm_live.pages);
	atomic_long_inc(&hpmm_live.dma_mappings);
	return blk;

err_page:
	__free_pages(page, order);
err_blk:
	kfree(blk);
	return NULL;
}

/* Cache, ring and backup ring are empty and the scan found nothing. */
static struct page *hpa_grow(struct hpa_pool *pool, gfp_t gfp, u32 *src)
{
	unsigned int order = pool->p.cfg.order;
	struct hpa_block *blk = NULL;
	enum hpa_grow how;
	u32 nr, k, i;

	how = hpa_grow_check(pool->nr_pages, pool->p.cfg.backup_pages, order);
	hpa_set_mode(pool, hpa_mode_on_depleted(pool->mode, pool->ever_grown));

	if (how == HPA_GROW_BLOCK) {
		blk = hpa_block_new(pool, gfp, order);
		if (!blk)
			pool->st.block_fail++;
	}
	if (!blk && how != HPA_GROW_NONE && order) {
		/* No block to be had: one page, mapped on its own. */
		blk = hpa_block_new(pool, gfp, 0);
		if (blk) {
			pool->ever_grown = true;
			pool->st.fallback++;
			*src = HPMM_TRACE_HPA_FALLBACK;
			return blk->base;
		}
	}
	if (!blk) {
		pool->st.fail++;
		*src = HPMM_TRACE_HPA_FAIL;
		return NULL;
	}
	pool->ever_grown = true;
	nr = 1U << order;

	if (pool->mode == HPA_MODE_INJECT) {
		k = hpa_inject_split(pool->cache.count, nr);
		for (i = k; i < nr; i++)
			hpa_backup_push(pool, blk->base + i);
		/* Lowest address on top of the stack. */
		for (i = k; i-- > 0;)
			pool->cache.pages[pool->cache.count++] = blk->base + i;
		pool->st.inject++;
		pool->st.inject_pages += k;
		*src = HPMM_TRACE_HPA_INJECT;
	} else {
		for (i = 0; i < nr; i++)
			hpa_backup_push(pool, blk->base + i);
		hpa_refill_from_backup(pool);
		pool->st.backup++;
		*src = HPMM_TRACE_HPA_BACKUP;
	}
	return pool->cache.pages[--pool->cache.count];
}

/**
 * hpa_pool_scan() - bring home pages whose consumers let go
 * @pool: the pool; called from its allocating side (serialised with
 *	hpa_pool_alloc_page(), BH disabled)
 *
 * The allocator scans by itself when it runs dry (at most every
 * cfg.scan_interval allocations); a driver may scan at a time of its
 * choosing, e.g. before refilling a whole ring.
 *
 * A page whose count fell back to the pool's own reference was dropped by
 * everyone else: it gets the reference to hand out again and goes to the
 * backup ring.
 *
 * Return: pages brought home.
 */
u32 hpa_pool_scan(struct hpa_pool *pool)
{
	bool verify = pool->p.cfg.verify;
	struct hpa_block *blk;
	u32 n = 0;

	/* Only this (allocating) side adds blocks; destroy removes them. */
	list_for_each_entry(blk, &pool->blocks, node) {
		unsigned long i, nr = 1UL << blk->order;

		for (i = 0; i < nr; i++) {
			struct page *page = blk->base + i;

			if (page_ref_count(page) != HPA_REF_POOL)
				continue;
			page_ref_inc(page);
			trace_hpa_page_reclaimed(pool->id, blk->pfn + i);
			if (verify)
				hpa_verify_home(pool, blk, i);
			hpa_backup_push(pool, page);
			n++;
		}
	}
	pool->st.scans++;
	pool->st.reclaimed += n;
	pool->last_scan = hpa_allocs(&pool->st);
	hpa_set_mode(pool, hpa_mode_after_recycle(pool->mode,
						  atomic_read(&pool->backup_count)));
	return n;
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_scan, HPMM);

static struct page *hpa_alloc_slow(struct hpa_pool *pool, gfp_t gfp)
{
	struct page *page;
	u32 src, n;

	/* Recycling refilled the backup ring: the consumer is not leaky now. */
	hpa_set_mode(pool, hpa_mode_after_recycle(pool->mode,
						  atomic_read(&pool->backup_count)));
	n = hpa_refill_from_ring(pool);
	if (n) {
		pool->st.ring++;
		pool->st.ring_pages += n;
		src = HPMM_TRACE_HPA_RING;
		goto out;
	}
	if (hpa_refill_from_backup(pool)) {
		pool->st.backup++;
		src = HPMM_TRACE_HPA_BACKUP;
		goto out;
	}
	if (hpa_scan_due(hpa_allocs(&pool->st), pool->last_scan,
			 pool->p.cfg.scan_interval, false) &&
	    hpa_pool_scan(pool) && hpa_refill_from_backup(pool)) {
		pool->st.backup++;
		src = HPMM_TRACE_HPA_SCAN;
		goto out;
	}
	page = hpa_grow(pool, gfp, &src);
	goto trace;
out:
	page = pool->cache.pages[--pool->cache.count];
trace:
	if (trace_hpa_alloc_slow_enabled())
		trace_hpa_alloc_slow(pool->id, src,
				     hpa_allocs(&pool->st) - hpa_recycled(pool));
	return page;
}

/**
 * hpa_pool_alloc_slow() - hpa_pool_alloc_page() when the alloc cache is
 *	empty or the pool verifies
 * @pool: the pool
 * @gfp: for growing
 *
 * Return: a page, or NULL.
 */
struct page *hpa_pool_alloc_slow(struct hpa_pool *pool, gfp_t gfp)
{
	struct page *page;

	if (pool->cache.count) {
		page = pool->cache.pages[--pool->cache.count];
		pool->st.cache++;
	} else {
		page = hpa_alloc_slow(pool, gfp);
	}
	if (unlikely(pool->p.cfg.verify) && page)
		hpa_verify_alloc(pool, page);
	return page;
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_alloc_slow, HPMM);

static void hpa_recycle_in_ring(struct hpa_pool *pool, struct page *page)
{
	bool in_bh = hpa_producer_lock(&pool->ring);
	int ret = __ptr_ring_produce(&pool->ring, page);

	hpa_producer_unlock(&pool->ring, in_bh);
	if (likely(!ret)) {
		this_cpu_inc(pool->rst->ring);
		return;
	}
	/* Ring full: to the backup ring, never to the page allocator. */
	hpa_backup_push(pool, page);
	this_cpu_inc(pool->rst->ring_full);
}

/**
 * hpa_pool_put_slow() - hpa_pool_put_page() off its fast path
 * @pool: its pool
 * @page: the page
 * @dma_sync_size: as for hpa_pool_put_page()
 * @allow_direct: as for hpa_pool_put_page()
 */
void hpa_pool_put_slow(struct hpa_pool *pool, struct page *page,
		       unsigned int dma_sync_size, bool allow_direct)
{
	bool recycle = page_ref_count(page) == HPA_REF_FREE;

	if (unlikely(pool->p.cfg.verify) &&
	    !hpa_verify_put(pool, page, recycle))
		return;

	if (likely(recycle)) {
		if (pool->p.sync_for_device)
			dma_sync_single_range_for_device(pool->p.dev,
							 hpa_page_dma_addr(page), 0,
							 min_t(unsigned int, dma_sync_size,
							       PAGE_SIZE),
							 pool->p.dma_dir);
		if (allow_direct && !pool->cache.dying && in_softirq() &&
		    pool->cache.count < pool->p.cfg.cache_size) {
			pool->cache.pages[pool->cache.count++] = page;
			this_cpu_inc(pool->rst->direct);
			return;
		}
		hpa_recycle_in_ring(pool, page);
		return;
	}
	/*
	 * Someone else still holds the page: give up the caller's reference
	 * only. The count cannot reach zero (the pool holds one); the page
	 * comes home through the reclaim scan when the others let go.
	 */
	this_cpu_inc(pool->rst->released);
	page_ref_dec(page);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_put_slow, HPMM);

static void hpa_pool_release_retry(struct work_struct *work);

/* A node to allocate on: NUMA_NO_NODE or an online node. */
static bool hpa_nid_ok(int nid)
{
	return nid == NUMA_NO_NODE ||
	       (nid >= 0 && nid < MAX_NUMNODES && node_online(nid));
}

/**
 * hpa_pool_create() - a new, empty pool, registered under @name
 * @name: 1 to HPA_NAME_MAX characters of [A-Za-z0-9_-], unique among
 *	registered pools (a pool whose destroy waits for pages in flight keeps
 *	its name until it is gone: a driver that recreates its pools while old
 *	ones may still drain picks new names, e.g. with a generation number)
 * @params: its parameters; @params->cfg must pass hpa_config_check()
 *
 * The pool maps nothing until its first allocation. It shows in debugfs
 * hpmm/hpa/pools/@name/ until it is gone. When @params->dev is one of
 * hpmm's own DMA devices, the pool holds it for DMA-API use, so that no
 * component attaches another IOMMU domain under its mappings.
 *
 * Context: process context; sleeps.
 *
 * Return: the pool or an ERR_PTR(): -EINVAL for a bad name or parameters,
 * -EEXIST when the name is taken, -EBUSY when another hpmm component owns
 * the device's IOMMU domain, -ENOMEM.
 */
struct hpa_pool *hpa_pool_create(const char *name,
				 const struct hpa_pool_params *params)
{
	struct hpa_pool *pool;
	int ret = -ENOMEM;

	if (!name || !hpmm_name_valid(name, HPA_NAME_MAX) || !params ||
	    !params->dev || !hpa_nid_ok(params->nid) ||
	    hpa_config_check(&params->cfg, MAX_PAGE_ORDER) ||
	    (params->dma_dir != DMA_FROM_DEVICE &&
	     params->dma_dir != DMA_BIDIRECTIONAL))
		return ERR_PTR(-EINVAL);

	pool = kvzalloc_node(sizeof(*pool), GFP_KERNEL, params->nid);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	pool->p = *params;
	pool->id = atomic_inc_return(&hpa_next_id);
	strscpy(pool->name, name, sizeof(pool->name));
	INIT_LIST_HEAD(&pool->node);
	pool->cache.size = params->cfg.cache_size;
	pool->cache.fast = !params->cfg.verify && !params->sync_for_device;
	pool->pages_per_block = 1U << params->cfg.order;
	pool->mode = HPA_MODE_NORMAL;
	spin_lock_init(&pool->blocks_lock);
	INIT_LIST_HEAD(&pool->blocks);
	INIT_DELAYED_WORK(&pool->release_dw, hpa_pool_release_retry);
	atomic_set(&pool->backup_count, 0);
	atomic64_set(&pool->verify_errors, 0);

	pool->rst = alloc_percpu(struct hpa_recycle_stats);
	if (!pool->rst)
		goto err_pool;
	if (ptr_ring_init(&pool->ring, params->cfg.ring_size, GFP_KERNEL))
		goto err_rst;
	if (ptr_ring_init(&pool->backup, params->cfg.backup_pages, GFP_KERNEL))
		goto err_ring;
	ret = hpa_dev_hold(params->dev, &pool->hdev);
	if (ret)
		goto err_backup;
	get_device(pool->p.dev);
	ret = hpa_registry_add(pool);
	if (ret)
		goto err_dev;
	return pool;

err_dev:
	put_device(pool->p.dev);
	hpa_dev_put(pool->hdev);
err_backup:
	ptr_ring_cleanup(&pool->backup, NULL);
err_ring:
	ptr_ring_cleanup(&pool->ring, NULL);
err_rst:
	free_percpu(pool->rst);
err_pool:
	kvfree(pool);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_create, HPMM);

/* A page of the cache or the rings goes home: down to the pool's own ref. */
static void hpa_park(struct hpa_pool *pool, struct page *page)
{
	unsigned long idx;

	if (pool->p.cfg.verify && hpa_page_block(pool, page, &idx) &&
	    test_bit(idx, ((struct hpa_block *)page_private(page))->out))
		hpa_verify_error(pool, "handed-out page found in the pool", page);
	page_ref_dec(page);
}

/* Empties cache and rings; returns the pages still away from home. */
static u64 hpa_pool_release(struct hpa_pool *pool)
{
	struct hpa_block *blk;
	struct page *page;
	u64 away = 0;

	while (pool->cache.count)
		hpa_park(pool, pool->cache.pages[--pool->cache.count]);
	while ((page = ptr_ring_consume_bh(&pool->ring)))
		hpa_park(pool, page);
	while ((page = ptr_ring_consume_bh(&pool->backup))) {
		atomic_dec(&pool->backup_count);
		hpa_park(pool, page);
	}

	list_for_each_entry(blk, &pool->blocks, node) {
		unsigned long i, nr = 1UL << blk->order;

		for (i = 0; i < nr; i++)
			if (page_ref_count(blk->base + i) != HPA_REF_POOL)
				away++;
	}
	WRITE_ONCE(pool->destroy_inflight, away);
	return away;
}

static bool hpa_domain_checkable(struct iommu_domain *domain)
{
	return domain && (domain->type & __IOMMU_DOMAIN_PAGING);
}

/*
 * Unmaps every run, proves that no page of it still translates, and only
 * then gives its pages to the page allocator. A page someone still holds
 * (a detaching or forced destroy) loses the pool's reference only, after
 * the unmap, so it is freed by its last holder and is never device-reachable
 * once free (orphaned). A run that still translates is never freed.
 */
static void hpa_pool_free(struct hpa_pool *pool)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(pool->p.dev);
	struct hpa_destroy_report *r = &pool->report;
	bool checkable = hpa_domain_checkable(domain);
	struct hpa_block *blk, *tmp;

	list_for_each_entry_safe(blk, tmp, &pool->blocks, node) {
		unsigned long i, nr = 1UL << blk->order;
		u64 mapped = 0;

		dma_unmap_page_attrs(pool->p.dev, blk->dma, PAGE_SIZE << blk->order,
				     pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC);
		pool->unmap_calls++;
		trace_hpa_block_unmap(pool->id, blk->dma, blk->pfn, blk->order);
		atomic_long_dec(&hpmm_live.dma_mappings);
		r->blocks++;
		if (checkable) {
			for (i = 0; i < nr; i++)
				if (iommu_iova_to_phys(domain,
						       blk->dma + (i << PAGE_SHIFT)))
					mapped++;
			r->iova_checked += nr;
			r->iova_mapped += mapped;
		} else {
			r->iova_skipped = 1;
		}
		if (mapped)
			pr_err("IOVA %pad still translates after unmap: %llu pages withheld\n",
			       &blk->dma, (unsigned long long)nr);

		for (i = 0; i < nr; i++) {
			struct page *page = blk->base + i;

			set_page_private(page, 0);
			if (mapped) {
				r->withheld++;
				continue;
			}
			/* A holder may let go meanwhile: then this frees it. */
			if (page_ref_count(page) != HPA_REF_POOL)
				r->orphaned++;
			else
				r->pages++;
			put_page(page);
			atomic_long_dec(&hpmm_live.pages);
		}
		spin_lock_bh(&pool->blocks_lock);
		list_del(&blk->node);
		if (blk->order == pool->p.cfg.order)
			pool->nr_blocks--;
		else
			pool->nr_fallback--;
		pool->nr_pages -= nr;
		spin_unlock_bh(&pool->blocks_lock);
		kfree(blk);
	}
}

/*
 * Every page is home: unmap and free the blocks, then take the pool out of
 * the registry (and debugfs) and free it. A deferred destroy is counted
 * done by the caller only after this, so that "deferred: 0" in hpa/stats
 * means the pool is gone from hpa/pools/ too.
 */
static void hpa_pool_finish(struct hpa_pool *pool, bool deferred)
{
	struct hpa_destroy_report *r = &pool->report;

	hpa_pool_free(pool);
	r->wait_ms = jiffies_to_msecs(jiffies - pool->destroy_start);
	WRITE_ONCE(pool->state, HPA_DESTROYED);
	hpa_registry_del(pool, deferred);

	ptr_ring_cleanup(&pool->ring, NULL);
	ptr_ring_cleanup(&pool->backup, NULL);
	free_percpu(pool->rst);
	put_device(pool->p.dev);
	hpa_dev_put(pool->hdev);
	kvfree(pool);
}

static void hpa_pool_release_retry(struct work_struct *work)
{
	struct hpa_pool *pool = container_of(to_delayed_work(work),
					     struct hpa_pool, release_dw);
	u64 away;

	pool->report.retries++;
	away = hpa_pool_release(pool);
	if (away) {
		if (time_after_eq(jiffies, pool->destroy_start + HPA_DEFER_WARN) &&
		    !(pool->report.retries % (HPA_DEFER_WARN / HPA_DEFER_DELAY)))
			pr_warn("destroy waits for %llu pages in flight\n",
				(unsigned long long)away);
		queue_delayed_work(hpa_wq, &pool->release_dw, HPA_DEFER_DELAY);
		return;
	}
	hpa_pool_finish(pool, true);
	atomic64_dec(&hpa_totals.deferred);
	/* Last: the module may go once this returns (exit drains hpa_wq). */
	module_put(THIS_MODULE);
}

static void hpa_pool_start_destroy(struct hpa_pool *pool)
{
	WRITE_ONCE(pool->cache.dying, true);
	WRITE_ONCE(pool->cache.fast, false);
	pool->destroy_start = jiffies;
}

/**
 * hpa_pool_destroy() - destroy a pool once every page is home
 * @pool: the pool, or NULL; its allocating side has stopped and the caller
 *	has put back what it holds itself
 *
 * The pool leaves the caller at once: the caller must not use @pool (nor
 * put pages to it) afterwards. Pages still held elsewhere (skbs in socket
 * queues) are dropped by their holders with put_page() as usual. With
 * pages in flight, destruction is deferred to a workqueue that retries
 * every 100 ms; meanwhile hpmm.ko holds a reference of its own (rmmod of
 * hpmm fails with -EBUSY; the caller's module may go), the pool stays
 * registered under its name and debugfs shows the progress. Nothing calls
 * back into the caller.
 *
 * Context: process context; sleeps.
 */
void hpa_pool_destroy(struct hpa_pool *pool)
{
	if (!pool)
		return;
	hpa_pool_start_destroy(pool);
	if (!hpa_pool_release(pool)) {
		hpa_pool_finish(pool, false);
		return;
	}
	pr_info("destroy deferred: %llu pages in flight\n",
		(unsigned long long)pool->destroy_inflight);
	WRITE_ONCE(pool->state, HPA_DEFERRED);
	__module_get(THIS_MODULE);
	atomic64_inc(&hpa_totals.deferred);
	queue_delayed_work(hpa_wq, &pool->release_dw, HPA_DEFER_DELAY);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_destroy, HPMM);

/**
 * hpa_pool_destroy_detach() - destroy a pool now, leaving the pages still
 *	in flight to their holders
 * @pool: the pool, or NULL; its allocating side has stopped, the caller
 *	has put back what it holds itself, and the device no longer accesses
 *	the pool's pages (a driver's remove, after its device was stopped)
 *
 * For a device that goes away: no mapping of it may outlive its driver
 * (with CONFIG_DMA_API_DEBUG, unbinding a driver that still has mappings
 * is reported). Every block is unmapped before this returns and its IOVA
 * pages are checked with iommu_iova_to_phys(), as by hpa_pool_destroy();
 * pages at home are freed; a page still held elsewhere (an skb in a socket
 * queue) stays valid for its holder and loses only the pool's reference,
 * after the unmap, so that its last holder's put_page() frees it: no page
 * is freed while mapped, and none is reachable by the device once free.
 * Such pages are counted as orphaned in the destroy's report. The pool is
 * gone when this returns; the caller must not use it.
 *
 * Context: process context; sleeps.
 */
void hpa_pool_destroy_detach(struct hpa_pool *pool)
{
	if (!pool)
		return;
	hpa_pool_start_destroy(pool);
	if (hpa_pool_release(pool)) {
		pr_info("%s: destroyed with %llu pages in flight, left to their holders unmapped\n",
			pool->name, (unsigned long long)pool->destroy_inflight);
		atomic64_inc(&hpa_totals.detached);
	}
	hpa_pool_finish(pool, false);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_destroy_detach, HPMM);

/**
 * hpa_pool_destroy_sync() - destroy a pool its creator left registered, now
 *	(hpmm.ko's exit)
 * @pool: the pool, or NULL
 *
 * Waits about a second for pages in flight, then detaches them as
 * hpa_pool_destroy_detach() does. Counted as forced.
 */
void hpa_pool_destroy_sync(struct hpa_pool *pool)
{
	int tries = 50;

	if (!pool)
		return;
	hpa_pool_start_destroy(pool);
	while (hpa_pool_release(pool) && tries--)
		msleep(20);
	if (pool->destroy_inflight) {
		pr_err("forced destroy with %llu pages in flight\n",
		       (unsigned long long)pool->destroy_inflight);
		atomic64_inc(&hpa_totals.forced);
	}
	hpa_pool_finish(pool, false);
}

/**
 * hpa_pool_snapshot() - copy a pool's counters for reading
 * @pool: the pool, alive (a driver's) or deferred (debugfs)
 * @s: filled in
 *
 * Any context but hard IRQ: takes a BH-safe spinlock. The allocating side's
 * counters are read without stopping it, so they may be a step behind.
 */
void hpa_pool_snapshot(struct hpa_pool *pool, struct hpa_pool_snapshot *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	s->st = pool->st;
	for_each_possible_cpu(cpu) {
		const struct hpa_recycle_stats *r = per_cpu_ptr(pool->rst, cpu);

		s->rst.direct += READ_ONCE(r->direct);
		s->rst.ring += READ_ONCE(r->ring);
		s->rst.ring_full += READ_ONCE(r->ring_full);
		s->rst.released += READ_ONCE(r->released);
	}
	s->id = pool->id;
	s->allocs = hpa_allocs(&s->st);
	s->inflight = hpa_inflight(s->allocs, s->rst.direct + s->rst.ring +
				   s->rst.ring_full + s->st.reclaimed);
	s->cache_count = READ_ONCE(pool->cache.count);
	s->backup_count = atomic_read(&pool->backup_count);
	spin_lock_bh(&pool->blocks_lock);
	s->nr_blocks = pool->nr_blocks;
	s->nr_fallback = pool->nr_fallback;
	s->peak_blocks = pool->peak_blocks;
	s->nr_pages = pool->nr_pages;
	spin_unlock_bh(&pool->blocks_lock);
	s->unmap_calls = READ_ONCE(pool->unmap_calls);
	s->verify_errors = atomic64_read(&pool->verify_errors);
	s->mode = READ_ONCE(pool->mode);
	s->state = READ_ONCE(pool->state);
	s->destroy_inflight = READ_ONCE(pool->destroy_inflight);
	s->retries = READ_ONCE(pool->report.retries);
	if (s->state != HPA_ALIVE)
		s->destroy_ms = jiffies_to_msecs(jiffies - pool->destroy_start);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_snapshot, HPMM);

/* HPA's workqueue, for deferred destroys. */
int hpa_pool_wq_init(void)
{
	hpa_wq = alloc_workqueue("hpmm_hpa", WQ_UNBOUND, 0);
	return hpa_wq ? 0 : -ENOMEM;
}

void hpa_pool_wq_exit(void)
{
	/* No deferred destroy can be pending (each holds the module); this
	 * waits for the last one's work function to return.
	 */
	destroy_workqueue(hpa_wq);
}
