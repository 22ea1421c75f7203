// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG top half: dfg_alloc_pages() and dfg_free_pages().
 *
 * Order-0 pages go through a per-CPU cache per group and mobility, as the
 * page allocator's pcp lists do: the fast paths take only the CPU's cache
 * lock with interrupts off. Everything else takes the group's lock and asks
 * the core (core.c) where to place a run, supplying what the core asks for
 * (a per-page array, a block, an eviction, a compaction).
 *
 * A free is checked before anything changes: the page's block must be one
 * of hpmm's (xarray lookup), the page the head of a run of that order held
 * by a kernel caller, referenced only by the caller. Anything else is
 * refused, counted and logged, never WARNed about.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "defrag.h"
#include "../trace.h"

struct dfg_stats dfg_stats;

static inline struct dfg_group *dfg_blk_group(const struct dfg_block *blk)
{
	return container_of(blk->grp, struct dfg_group, core);
}

/* The mobility of @gfp, as gfp_migratetype(); -1 for both bits set. */
static int dfg_gfp_mt(gfp_t gfp)
{
	bool mov = gfp & __GFP_MOVABLE, rec = gfp & __GFP_RECLAIMABLE;

	if (mov && rec)
		return -1;
	if (mov)
		return DFG_MT_MOVABLE;
	return rec ? DFG_MT_RECLAIMABLE : DFG_MT_UNMOVABLE;
}

static int dfg_provide_pinfo(struct dfg_group *g, gfp_t gfp)
{
	unsigned long flags;
	u32 *pinfo;

	pinfo = dfg_pinfo_alloc(gfpflags_allow_blocking(gfp) ? GFP_KERNEL :
							       GFP_NOWAIT);
	if (!pinfo)
		return -ENOMEM;
	spin_lock_irqsave(&g->lock, flags);
	if (!g->core.spare_pinfo) {
		g->core.spare_pinfo = pinfo;
		pinfo = NULL;
	}
	spin_unlock_irqrestore(&g->lock, flags);
	dfg_pinfo_free(pinfo);
	return 0;
}

/*
 * Adds a block to @g, for an allocation of type @mt (DFG_NR_MT: reserve),
 * from node @nid (NUMA_NO_NODE: the local one; and only that node with
 * @thisnode).
 */
static int dfg_provide_block(struct dfg_group *g, unsigned int mt, gfp_t gfp,
			     int nid, bool thisnode)
{
	struct mem_cgroup *memcg = dfg_group_memcg(g);
	struct dfg_block *blk;
	unsigned long flags;

	blk = dfg_block_acquire(memcg, gfp, nid, thisnode);
	if (memcg)
		css_put(&memcg->css);
	if (!blk)
		return -ENOMEM;
	spin_lock_irqsave(&g->lock, flags);
	if (!g->core.limit || g->core.nr_blocks < g->core.limit) {
		dfg_core_add_block(&g->core, blk);
		trace_dfg_block_claim(g->id, blk->pfn, mt);
		if (dfg_block_charged(blk))
			atomic_long_inc(&g->charged_blocks);
		blk = NULL;
	}
	spin_unlock_irqrestore(&g->lock, flags);
	if (blk) {
		dfg_block_release(blk);
		return -ENOSPC;
	}
	return 0;
}

/*
 * Asks the core until it places @req or gives up, providing what it asks
 * for: 0 with @req->blk/@req->idx set, or -ENOMEM. A fresh block comes
 * from node @nid (NUMA_NO_NODE: the local one), from that node only when
 * @req asks for it (DFG_AF_THISNODE).
 */
static int dfg_core_retry_node(struct dfg_group *g, struct dfg_alloc_req *req,
			       gfp_t gfp, int nid)
{
	bool can_sleep = gfpflags_allow_blocking(gfp);
	unsigned int evictions = 0;
	unsigned long flags;
	int ret;

	for (;;) {
		spin_lock_irqsave(&g->lock, flags);
		ret = dfg_core_alloc(&g->core, req);
		/* The block to evict from must stay while the lock is dropped. */
		if (ret == DFG_NEED_EVICT)
			g->trim_pin++;
		spin_unlock_irqrestore(&g->lock, flags);
		switch (ret) {
		case DFG_OK:
			return 0;
		case DFG_NEED_PINFO:
			if (dfg_provide_pinfo(g, gfp))
				goto fail;
			break;
		case DFG_NEED_BLOCK:
			if (dfg_provide_block(g, req->mt, gfp, nid,
					      req->flags & DFG_AF_THISNODE))
				req->flags |= DFG_AF_NOBLOCK;
			break;
		case DFG_NEED_EVICT:
			if (!can_sleep || evictions++ >= 2) {
				spin_lock_irqsave(&g->lock, flags);
				g->trim_pin--;
				spin_unlock_irqrestore(&g->lock, flags);
				req->flags |= DFG_AF_NOEVICT;
			} else if (dfg_evict(g, req->blk, req->idx,
					     req->order)) {
				req->flags |= DFG_AF_NOEVICT;
			}
			break;
		case DFG_NEED_COMPACT:
			if (can_sleep)
				dfg_compact(g, 1, DFG_CW_ALLOC);
			req->flags |= DFG_AF_NOCOMPACT;
			break;
		default:
			goto fail;
		}
	}
fail:
	/*
	 * A block provided for this allocation would stay in the group
	 * unused (found by the MAGNET fail-nth sweep: a failed per-page
	 * array after a fresh block kept the block): give it back.
	 */
	dfg_group_trim(g, false);
	return -ENOMEM;
}

static int dfg_core_retry(struct dfg_group *g, struct dfg_alloc_req *req,
			  gfp_t gfp)
{
	return dfg_core_retry_node(g, req, gfp, NUMA_NO_NODE);
}

/*
 * @req on node @nid only, with @flags added: 0 with @req's placement set,
 * else -ENOMEM and @req as it was (the caller tries elsewhere).
 */
static int dfg_core_retry_on(struct dfg_group *g, struct dfg_alloc_req *req,
			     gfp_t gfp, int nid, u8 flags)
{
	struct dfg_alloc_req r = *req;

	r.flags |= DFG_AF_THISNODE | flags;
	r.nid = nid;
	if (dfg_core_retry_node(g, &r, gfp, nid))
		return -ENOMEM;
	req->blk = r.blk;
	req->idx = r.idx;
	req->clean = r.clean;
	return 0;
}

/*
 * Places @req on node @nid (NUMA_NO_NODE: the local one) or the nodes after
 * it in the kernel's fallback order, node by node (the group's blocks on
 * the node, then a fresh block from it, no compaction), else anywhere as
 * dfg_core_retry() does, with fresh blocks from @nid's fallback order.
 */
static int dfg_core_place(struct dfg_group *g, struct dfg_alloc_req *req,
			  gfp_t gfp, int nid)
{
	struct zonelist *zl;
	struct zoneref *z;
	nodemask_t tried;

	if (num_online_nodes() < 2)
		return dfg_core_retry(g, req, gfp);
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	nodes_clear(tried);
	/* The zonelist the page allocator walks for @nid, zone by zone. */
	zl = node_zonelist(nid, gfp);
	for (z = zl->_zonerefs; zonelist_zone(z); z++) {
		int n = zonelist_node_idx(z);

		if (node_isset(n, tried))
			continue;
		node_set(n, tried);
		if (!dfg_core_retry_on(g, req, gfp, n, DFG_AF_NOCOMPACT))
			return 0;
	}
	return dfg_core_retry_node(g, req, gfp, nid);
}

void dfg_group_trim(struct dfg_group *g, bool all)
{
	struct dfg_block *blk;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&g->lock, flags);
		blk = g->trim_pin ? NULL : dfg_core_trim(&g->core, all);
		spin_unlock_irqrestore(&g->lock, flags);
		if (!blk)
			return;
		dfg_group_put_block(g, blk);
	}
}

/* Gives @blk, which left @g, back to the bottom half. */
void dfg_group_put_block(struct dfg_group *g, struct dfg_block *blk)
{
	trace_dfg_block_release(g->id, blk->pfn, blk->type);
	if (dfg_block_charged(blk))
		atomic_long_dec(&g->charged_blocks);
	dfg_block_release(blk);
}

int dfg_group_fill_reserve(struct dfg_group *g)
{
	unsigned long flags;
	bool more;
	int ret;

	for (;;) {
		spin_lock_irqsave(&g->lock, flags);
		more = g->core.nr_free_blocks < g->core.reserve &&
		       (!g->core.limit || g->core.nr_blocks < g->core.limit);
		spin_unlock_irqrestore(&g->lock, flags);
		if (!more)
			return 0;
		ret = dfg_provide_block(g, DFG_NR_MT, GFP_KERNEL, NUMA_NO_NODE,
					false);
		if (ret)
			return ret == -ENOSPC ? 0 : ret;
	}
}

/* Frees @n cached pages of mobility @mt, oldest first; pcp lock held. */
static bool dfg_pcp_drain_locked(struct dfg_group *g, struct dfg_pcp *pcp,
				 unsigned int mt, unsigned int n)
{
	bool emptied = false;
	unsigned int i;
	u32 *pinfo;

	n = min(n, pcp->count[mt]);
	if (!n)
		return false;
	spin_lock(&g->lock);
	for (i = 0; i < n; i++) {
		struct dfg_pcp_ent *e = &pcp->ent[mt][i];
		unsigned int idx = page_to_pfn(e->page) - e->blk->pfn;

		if (dfg_core_free(&g->core, e->blk, idx, 0, dfg_pi_pcp(mt),
				  &pinfo) == DFG_FREED_EMPTY) {
			dfg_pinfo_free(pinfo);
			emptied = true;
		}
	}
	spin_unlock(&g->lock);
	pcp->count[mt] -= n;
	memmove(pcp->ent[mt], pcp->ent[mt] + n,
		pcp->count[mt] * sizeof(pcp->ent[mt][0]));
	return emptied;
}

void dfg_group_drain(struct dfg_group *g)
{
	bool emptied = false;
	unsigned long flags;
	unsigned int cpu, mt;

	for_each_possible_cpu(cpu) {
		struct dfg_pcp *pcp = per_cpu_ptr(g->pcp, cpu);

		spin_lock_irqsave(&pcp->lock, flags);
		for (mt = 0; mt < DFG_NR_MT; mt++)
			emptied |= dfg_pcp_drain_locked(g, pcp, mt,
							pcp->count[mt]);
		spin_unlock_irqrestore(&pcp->lock, flags);
	}
	if (emptied)
		dfg_group_trim(g, false);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_drain, HPMM);

/* Fills the cache from room the group already has; pcp lock held. */
static void dfg_pcp_refill(struct dfg_group *g, struct dfg_pcp *pcp,
			   unsigned int mt)
{
	struct dfg_block *blks[DFG_PCP_BATCH];
	unsigned int idxs[DFG_PCP_BATCH], n, i;

	spin_lock(&g->lock);
	/*
	 * Only the CPU's own node: a cached page is this CPU's. When that
	 * node has no room, the allocation takes the slow path, which asks
	 * for a block there before it falls back to other nodes.
	 */
	n = dfg_core_alloc_bulk(&g->core, mt,
				num_online_nodes() > 1 ? numa_node_id() : -1,
				DFG_PCP_BATCH, blks, idxs);
	spin_unlock(&g->lock);
	for (i = 0; i < n; i++) {
		pcp->ent[mt][pcp->count[mt]].page = dfg_blk_page(blks[i],
								 idxs[i]);
		pcp->ent[mt][pcp->count[mt]++].blk = blks[i];
	}
}

static struct page *dfg_pcp_alloc(struct dfg_group *g, unsigned int mt)
{
	struct dfg_pcp_ent e = { };
	struct dfg_pcp *pcp;
	unsigned long flags;

	local_irq_save(flags);
	pcp = this_cpu_ptr(g->pcp);
	spin_lock(&pcp->lock);
	if (unlikely(!pcp->count[mt]))
		dfg_pcp_refill(g, pcp, mt);
	if (likely(pcp->count[mt]))
		e = pcp->ent[mt][--pcp->count[mt]];
	spin_unlock(&pcp->lock);
	local_irq_restore(flags);
	if (!e.page)
		return NULL;
	/* The page is ours alone now: no other path writes its value. */
	WRITE_ONCE(e.blk->pinfo[page_to_pfn(e.page) - e.blk->pfn],
		   dfg_pi_khead(mt, 0));
	return e.page;
}

struct page *dfg_alloc_pages(struct dfg_group *g, gfp_t gfp,
			     unsigned int order)
{
	return dfg_alloc_pages_node(g, gfp, order, NUMA_NO_NODE);
}
EXPORT_SYMBOL_NS_GPL(dfg_alloc_pages, HPMM);

struct page *dfg_alloc_pages_node(struct dfg_group *g, gfp_t gfp,
				  unsigned int order, int nid)
{
	struct dfg_alloc_req req = { .order = order };
	struct page *page = NULL;
	int mt;

	mt = dfg_gfp_mt(gfp);
	if (unlikely(mt < 0 || order > DFG_MAX_ORDER)) {
		atomic64_inc(&dfg_stats.bad_allocs);
		pr_err_ratelimited("refused allocation: order %u, gfp %#x\n",
				   order, (__force unsigned int)gfp);
		return NULL;
	}
	if (unlikely(nid != NUMA_NO_NODE && (nid < 0 || nid >= MAX_NUMNODES ||
					     !node_online(nid)))) {
		atomic64_inc(&dfg_stats.bad_allocs);
		pr_err_ratelimited("refused allocation: node %d\n", nid);
		return NULL;
	}
	/* The per-CPU cache holds the CPU's own node's pages. */
	if (likely(!order) &&
	    (nid == NUMA_NO_NODE || nid == numa_node_id()))
		page = dfg_pcp_alloc(g, mt);
	if (page) {
		/* A cached page was handed out before: never clean. */
		if (want_init_on_alloc(gfp)) {
			clear_highpage(page);
			atomic64_inc(&dfg_stats.pages_zeroed);
		}
		return page;
	}
	req.mt = mt;
	req.head = dfg_pi_khead(mt, order);
	if (dfg_core_place(g, &req, gfp, nid))
		return NULL;
	if (want_init_on_alloc(gfp))
		dfg_block_zero(req.blk, req.idx, order, req.clean);
	return dfg_blk_page(req.blk, req.idx);
}
EXPORT_SYMBOL_NS_GPL(dfg_alloc_pages_node, HPMM);

struct page *dfg_alloc_keyed(struct dfg_group *g, u32 key, gfp_t gfp)
{
	struct dfg_alloc_req req = {
		.mt = DFG_MT_MOVABLE,
		.head = key,
	};

	/* A page a mapping faults in: on the faulting CPU's node. */
	if (dfg_core_place(g, &req, gfp, NUMA_NO_NODE))
		return NULL;
	dfg_block_zero(req.blk, req.idx, 0, req.clean);
	return dfg_blk_page(req.blk, req.idx);
}
EXPORT_SYMBOL_NS_GPL(dfg_alloc_keyed, HPMM);

/* @req on node @nid if it can be, else anywhere: a page moved stays near. */
static int dfg_core_retry_near(struct dfg_group *g, struct dfg_alloc_req *req,
			       int nid)
{
	if (num_online_nodes() > 1 &&
	    !dfg_core_retry_on(g, req, GFP_KERNEL, nid, 0))
		return 0;
	return dfg_core_retry_node(g, req, GFP_KERNEL, nid);
}

/*
 * The destination of a page moved for @mode (DFG_AM_COMPACT, _EVICT),
 * keyed @key: never from a block being emptied, never making room by
 * evicting or compacting in turn. Not zeroed: the mover copies into it.
 */
struct page *dfg_alloc_move_dest(struct dfg_group *g, u8 mode, u32 key,
				 int nid)
{
	struct dfg_alloc_req req = {
		.mt = DFG_MT_MOVABLE,
		.head = key,
		.mode = mode,
		.flags = DFG_AF_NOEVICT | DFG_AF_NOCOMPACT,
	};

	if (dfg_core_retry_near(g, &req, nid))
		return NULL;
	return dfg_blk_page(req.blk, req.idx);
}

/*
 * The destination of a bound run moved for @mode: DFG_RUN_PAGES
 * order-0 runs held by the caller, aligned, in one block, or NULL.
 */
struct page *dfg_alloc_move_run(struct dfg_group *g, u8 mode, int nid)
{
	struct dfg_alloc_req req = {
		.mt = DFG_MT_MOVABLE,
		.order = DFG_RUN_ORDER,
		.head = dfg_pi_khead(DFG_MT_MOVABLE, DFG_RUN_ORDER),
		.mode = mode,
		.flags = DFG_AF_NOEVICT | DFG_AF_NOCOMPACT,
	};
	unsigned long flags;

	if (dfg_core_retry_near(g, &req, nid))
		return NULL;
	spin_lock_irqsave(&g->lock, flags);
	dfg_core_split_run(req.blk, req.idx, DFG_RUN_ORDER);
	spin_unlock_irqrestore(&g->lock, flags);
	return dfg_blk_page(req.blk, req.idx);
}

static void dfg_bad_free(struct dfg_group *g, struct page *page,
			 unsigned int order, atomic64_t *counter,
			 const char *why)
{
	atomic64_inc(counter);
	if (g)
		atomic64_inc(&g->bad_frees);
	pr_err_ratelimited("refused free of pfn %#lx order %u: %s\n",
			   page_to_pfn(page), order, why);
}

/* Frees a run at @blk/@idx under the group lock; rcu read lock held. */
static int dfg_free_slow(struct dfg_group *g, struct dfg_block *blk,
			 struct page *page, unsigned int idx,
			 unsigned int order)
{
	bool poisoned = false;
	unsigned long flags;
	u32 *pinfo = NULL;
	int ret;

	if (order == DFG_MAX_ORDER)
		poisoned = dfg_block_poisoned(blk);
	spin_lock_irqsave(&g->lock, flags);
	if (blk->grp != &g->core)
		ret = DFG_ERR_STATE;
	else if (order == DFG_MAX_ORDER)
		ret = idx || blk->state == DFG_BS_SPLIT ? DFG_ERR_MISMATCH :
			    dfg_core_free_huge(&g->core, blk);
	else
		ret = dfg_core_free_any(&g->core, blk, idx, order, &pinfo);
	/* A poisoned huge block is never offered again: out it goes. */
	if (ret >= 0 && poisoned)
		poisoned = !dfg_core_take_free(&g->core, blk);
	else
		poisoned = false;
	spin_unlock_irqrestore(&g->lock, flags);
	if (poisoned) {
		dfg_group_put_block(g, blk);
		dfg_hwpoison_count(g, true);
	}
	switch (ret) {
	case DFG_FREED_EMPTY:
		dfg_pinfo_free(pinfo);
		return 1;
	case DFG_FREED:
		return 0;
	case DFG_ERR_FREE:
	case DFG_ERR_STATE:
		dfg_bad_free(g, page, order, &dfg_stats.double_frees,
			     "not allocated (double free?)");
		return -EINVAL;
	default:
		dfg_bad_free(g, page, order, &dfg_stats.bad_order_frees,
			     "not the head of a run of that order");
		return -EINVAL;
	}
}

static int dfg_free_check_refs(struct dfg_group *g, struct page *page,
			       unsigned int order)
{
	unsigned int i;

	for (i = 0; i < (1U << order); i++) {
		if (page_ref_count(page + i) != 1 || page_mapped(page + i)) {
			dfg_bad_free(g, page, order, &dfg_stats.busy_frees,
				     "still referenced or mapped");
			return -EBUSY;
		}
	}
	return 0;
}

int dfg_free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), flags;
	struct dfg_kblock *kb;
	struct dfg_block *blk;
	struct dfg_gcore *gc;
	struct dfg_group *g;
	struct dfg_pcp *pcp;
	unsigned int idx, mt;
	bool emptied = false, poisoned;
	int ret = 0;
	u32 *pinfo, v;

	if (order > DFG_MAX_ORDER) {
		dfg_bad_free(NULL, page, order, &dfg_stats.bad_order_frees,
			     "order above 9");
		return -EINVAL;
	}
	rcu_read_lock();
	kb = dfg_block_lookup(pfn);
	if (!kb) {
		rcu_read_unlock();
		dfg_bad_free(NULL, page, order, &dfg_stats.foreign_frees,
			     "not an hpmm page");
		return -EINVAL;
	}
	blk = &kb->b;
	idx = pfn - blk->pfn;
	gc = READ_ONCE(blk->grp);
	g = gc ? container_of(gc, struct dfg_group, core) : NULL;
	if (!g) {
		ret = -EINVAL;
		dfg_bad_free(NULL, page, order, &dfg_stats.double_frees,
			     "its block is free (double free?)");
		goto out;
	}
	if (order == DFG_MAX_ORDER) {
		if (idx || READ_ONCE(blk->state) != DFG_BS_HUGE) {
			ret = -EINVAL;
			if (idx || READ_ONCE(blk->state) == DFG_BS_SPLIT)
				dfg_bad_free(g, page, order,
					     &dfg_stats.bad_order_frees,
					     "not a huge allocation");
			else
				dfg_bad_free(g, page, order,
					     &dfg_stats.double_frees,
					     "its block is free (double free)");
			goto out;
		}
		ret = dfg_free_check_refs(g, page, order);
		if (!ret)
			ret = dfg_free_slow(g, blk, page, idx, order);
		goto out;
	}
	if (READ_ONCE(blk->state) == DFG_BS_HUGE) {
		dfg_bad_free(g, page, order, &dfg_stats.bad_order_frees,
			     "part of a huge allocation");
		ret = -EINVAL;
		goto out;
	}
	pinfo = READ_ONCE(blk->pinfo);
	v = pinfo ? READ_ONCE(pinfo[idx]) : DFG_PI_FREE;
	if (v == DFG_PI_FREE || dfg_pi_is_pcp(v)) {
		dfg_bad_free(g, page, order, &dfg_stats.double_frees,
			     "already free (double free)");
		ret = -EINVAL;
		goto out;
	}
	if (dfg_pi_is_key(v) || v == DFG_PI_ORPHAN) {
		dfg_bad_free(g, page, order, &dfg_stats.owned_frees,
			     "owned by a mapping");
		ret = -EINVAL;
		goto out;
	}
	if (!DFG_PI_IS_KHEAD(v) || DFG_PI_KHEAD_ORDER(v) != order) {
		dfg_bad_free(g, page, order, &dfg_stats.bad_order_frees,
			     "not the head of a run of that order");
		ret = -EINVAL;
		goto out;
	}
	ret = dfg_free_check_refs(g, page, order);
	if (ret)
		goto out;
	poisoned = dfg_pages_poisoned(page, order);
	if (order || poisoned) {
		/* A poisoned run skips the per-CPU cache: hwpoison.c takes it. */
		ret = dfg_free_slow(g, blk, page, idx, order);
		if (poisoned)
			dfg_hwpoison_kick();
		goto out;
	}

	/* Order 0: claim the page for the cache atomically, then park it. */
	mt = DFG_PI_KHEAD_MT(v);
	if (mt >= DFG_NR_MT || cmpxchg(&pinfo[idx], v, dfg_pi_pcp(mt)) != v) {
		dfg_bad_free(g, page, order, &dfg_stats.double_frees,
			     "freed twice at once");
		ret = -EINVAL;
		goto out;
	}
	ClearPageDirty(page);
	local_irq_save(flags);
	pcp = this_cpu_ptr(g->pcp);
	spin_lock(&pcp->lock);
	if (unlikely(pcp->count[mt] == DFG_PCP_HIGH))
		emptied = dfg_pcp_drain_locked(g, pcp, mt, DFG_PCP_BATCH);
	pcp->ent[mt][pcp->count[mt]].page = page;
	pcp->ent[mt][pcp->count[mt]++].blk = blk;
	spin_unlock(&pcp->lock);
	local_irq_restore(flags);
	if (emptied)
		ret = 1;
out:
	/*
	 * Still under RCU: once this page is free its group may be destroyed,
	 * and dfg_group_free() waits for a grace period before tearing down.
	 */
	if (ret == 1) {
		dfg_group_trim(g, false);
		dfg_group_check_background(g);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dfg_free_pages, HPMM);

int dfg_split_pages(struct page *page, unsigned int order)
{
	struct dfg_kblock *kb;
	unsigned long flags;
	struct dfg_group *g;
	int ret = -EINVAL;

	rcu_read_lock();
	kb = dfg_block_lookup(page_to_pfn(page));
	if (kb && READ_ONCE(kb->b.grp)) {
		g = dfg_blk_group(&kb->b);
		spin_lock_irqsave(&g->lock, flags);
		if (kb->b.grp == &g->core &&
		    !dfg_core_split_run(&kb->b, page_to_pfn(page) - kb->b.pfn,
					order))
			ret = 0;
		spin_unlock_irqrestore(&g->lock, flags);
	}
	rcu_read_unlock();
	return ret;
}

int dfg_bind_pages(struct page *page, unsigned int order)
{
	struct dfg_kblock *kb;
	unsigned long flags;
	struct dfg_group *g;
	int ret = -EINVAL;

	if (order != DFG_RUN_ORDER)
		return -EINVAL;
	rcu_read_lock();
	kb = dfg_block_lookup(page_to_pfn(page));
	if (kb && READ_ONCE(kb->b.grp)) {
		g = dfg_blk_group(&kb->b);
		spin_lock_irqsave(&g->lock, flags);
		if (kb->b.grp == &g->core &&
		    !dfg_core_bind_run(&kb->b, page_to_pfn(page) - kb->b.pfn))
			ret = 0;
		spin_unlock_irqrestore(&g->lock, flags);
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dfg_bind_pages, HPMM);

int dfg_free_keyed(struct dfg_group *g, struct page *page, u32 key)
{
	unsigned long pfn = page_to_pfn(page), flags;
	struct dfg_kblock *kb;
	u32 *pinfo = NULL;
	int ret = DFG_ERR_STATE;

	ClearPageDirty(page);
	rcu_read_lock();
	kb = dfg_block_lookup(pfn);
	if (kb) {
		spin_lock_irqsave(&g->lock, flags);
		if (kb->b.grp == &g->core)
			ret = dfg_core_free(&g->core, &kb->b, pfn - kb->b.pfn,
					    0, key, &pinfo);
		spin_unlock_irqrestore(&g->lock, flags);
	}
	rcu_read_unlock();
	if (ret < 0) {
		pr_err("keyed page pfn %#lx key %#x: inconsistent (%d)\n",
		       pfn, key, ret);
		return -EINVAL;
	}
	dfg_group_check_background(g);
	if (ret == DFG_FREED_EMPTY) {
		dfg_pinfo_free(pinfo);
		dfg_group_trim(g, false);
		return 1;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dfg_free_keyed, HPMM);

/*
 * A page still referenced when its owner went away is given up: its last
 * holder frees it to the page allocator. A block left holding nothing but
 * such pages leaves the group at once (dfg_group_trim()): its free pages go
 * back to the kernel, the orphans are left to their holders.
 */
void dfg_orphan_page(struct dfg_group *g, struct page *page, u32 key)
{
	atomic64_inc(&dfg_stats.orphans);
	pr_warn("pfn %#lx still referenced when its mapping went away: given up\n",
		page_to_pfn(page));
	dfg_give_up_page(g, page, key);
}

void dfg_give_up_page(struct dfg_group *g, struct page *page, u32 key)
{
	unsigned long pfn = page_to_pfn(page), flags;
	struct dfg_kblock *kb;
	int ret = 0;

	rcu_read_lock();
	kb = dfg_block_lookup(pfn);
	if (kb) {
		spin_lock_irqsave(&g->lock, flags);
		if (kb->b.grp == &g->core)
			ret = dfg_core_orphan(&g->core, &kb->b,
					      pfn - kb->b.pfn, key);
		spin_unlock_irqrestore(&g->lock, flags);
	}
	rcu_read_unlock();
	put_page(page);
	if (ret == 1)
		dfg_group_trim(g, false);
}

/*
 * Makes a movable order-0 page of @g held by a kernel caller the keyed page
 * of an object.
 */
int dfg_adopt_page(struct dfg_group *g, struct page *page, u32 key)
{
	unsigned long pfn = page_to_pfn(page), flags;
	struct dfg_kblock *kb;
	int ret = -EINVAL;

	if (page_ref_count(page) != 1 || page_mapped(page))
		return -EBUSY;
	rcu_read_lock();
	kb = dfg_block_lookup(pfn);
	if (kb) {
		spin_lock_irqsave(&g->lock, flags);
		if (kb->b.grp == &g->core &&
		    !dfg_core_set_pinfo(&kb->b, pfn - kb->b.pfn,
					dfg_pi_khead(DFG_MT_MOVABLE, 0), key))
			ret = 0;
		spin_unlock_irqrestore(&g->lock, flags);
	}
	rcu_read_unlock();
	return ret;
}
