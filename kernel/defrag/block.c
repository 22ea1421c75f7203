// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG bottom half: 2 MiB blocks taken from the page allocator whole.
 *
 * A block comes from alloc_pages(order 9) and is split at the struct page
 * level at once (split_page()), so each page has its own refcount and can
 * be handed to a kernel caller or mapped into a process. Blocks are indexed
 * by pfn >> 9 in an xarray, which is how a free finds a page's block and
 * refuses pages hpmm does not own. Free blocks no group keeps go to a small
 * pool; beyond its low watermark (the module parameter defrag_payg_low)
 * they go straight back to the page allocator (pay as you go).
 *
 * A block for a group bound to a memory cgroup is charged to it whole, as
 * the kernel charges its own memory (__GFP_ACCOUNT under
 * set_active_memcg()): memory.current grows by 2 MiB, memory.max refuses
 * it. The charge stays with the pages (split_page() splits it) and goes
 * when they go back to the page allocator, so such a block never enters
 * the pool, where another tenant could take it.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "hpmm.h"
#include "defrag.h"

static DEFINE_XARRAY(dfg_blocks);
static struct kmem_cache *dfg_pinfo_cache;

static DEFINE_SPINLOCK(dfg_pool_lock);
static LIST_HEAD(dfg_pool);
static unsigned int dfg_pool_nr;
static unsigned int dfg_pool_lo = DFG_DEFAULT_PAYG_LOW;
static atomic_long_t dfg_held = ATOMIC_LONG_INIT(0);

struct dfg_kblock *dfg_block_lookup(unsigned long pfn)
{
	return xa_load(&dfg_blocks, pfn >> DFG_BLOCK_ORDER);
}

u32 *dfg_pinfo_alloc(gfp_t gfp)
{
	struct dfg_pinfo_buf *buf;

	buf = kmem_cache_alloc(dfg_pinfo_cache, gfp);
	return buf ? buf->v : NULL;
}

static void dfg_pinfo_rcu_free(struct rcu_head *rcu)
{
	kmem_cache_free(dfg_pinfo_cache,
			container_of(rcu, struct dfg_pinfo_buf, rcu));
}

/*
 * Lockless readers (dfg_free_pages()) may still look at an array that was
 * just detached: it is freed after a grace period and never reused before.
 */
void dfg_pinfo_free(u32 *pinfo)
{
	struct dfg_pinfo_buf *buf;

	if (!pinfo)
		return;
	buf = (struct dfg_pinfo_buf *)((char *)pinfo -
				       offsetof(struct dfg_pinfo_buf, v));
	call_rcu(&buf->rcu, dfg_pinfo_rcu_free);
}

static gfp_t dfg_block_gfp(gfp_t gfp)
{
	/* Not movable: the kernel cannot migrate pages hpmm holds. */
	return (gfpflags_allow_blocking(gfp) ? GFP_KERNEL : GFP_NOWAIT) |
	       __GFP_NOWARN;
}

bool dfg_block_charged(const struct dfg_block *blk)
{
	return container_of(blk, struct dfg_kblock, b)->charged;
}

/*
 * An order-9 page from node @nid (NUMA_NO_NODE: the local one) or, unless
 * @bgfp has __GFP_THISNODE, the next in the kernel's fallback order;
 * charged to @memcg when there is one.
 */
static struct page *dfg_block_alloc(struct mem_cgroup *memcg, gfp_t bgfp,
				    int nid)
{
	struct mem_cgroup *old;
	struct page *page;

	if (!memcg)
		return alloc_pages_node(nid, bgfp | __GFP_NORETRY,
					DFG_BLOCK_ORDER);
	/*
	 * __GFP_NORETRY: over memory.max, one reclaim pass in the memcg and
	 * then a failure, never its OOM killer; the group compacts instead.
	 */
	old = set_active_memcg(memcg);
	page = alloc_pages_node(nid, bgfp | __GFP_NORETRY | __GFP_ACCOUNT,
				DFG_BLOCK_ORDER);
	set_active_memcg(old);
	atomic64_inc(page ? &dfg_stats.blocks_charged :
			    &dfg_stats.charge_failures);
	return page;
}

/*
 * A free block: from the pool or the page allocator, or, for @memcg (a
 * group's memory cgroup, see dfg_group_memcg()), a fresh one charged to it.
 */
static void dfg_block_return(struct dfg_kblock *kb);

/* A pooled block of node @nid (any node for NUMA_NO_NODE); pool lock held. */
static struct dfg_kblock *dfg_pool_take(int nid)
{
	struct dfg_kblock *kb;

	list_for_each_entry(kb, &dfg_pool, b.node) {
		if (nid != NUMA_NO_NODE && kb->b.nid != nid)
			continue;
		list_del_init(&kb->b.node);
		dfg_pool_nr--;
		return kb;
	}
	return NULL;
}

struct dfg_block *dfg_block_acquire(struct mem_cgroup *memcg, gfp_t gfp,
				    int nid, bool thisnode)
{
	gfp_t bgfp = dfg_block_gfp(gfp);
	struct dfg_kblock *kb = NULL;
	unsigned long flags;
	struct page *page;
	unsigned long pfn;

	while (!memcg) {
		spin_lock_irqsave(&dfg_pool_lock, flags);
		kb = dfg_pool_take(thisnode ? nid : NUMA_NO_NODE);
		spin_unlock_irqrestore(&dfg_pool_lock, flags);
		if (!kb)
			break;
		/* Poisoned while pooled: back to the kernel, which keeps it. */
		if (!dfg_block_poisoned(&kb->b))
			return &kb->b;
		dfg_block_return(kb);
		kb = NULL;
	}

	kb = kzalloc(sizeof(*kb), bgfp);
	if (!kb)
		return NULL;
	page = dfg_block_alloc(memcg, bgfp | (thisnode ? __GFP_THISNODE : 0),
			       nid);
	if (!page) {
		atomic64_inc(&dfg_stats.acquire_failures);
		kfree(kb);
		return NULL;
	}
	pfn = page_to_pfn(page);
	split_page(page, DFG_BLOCK_ORDER);
	dfg_block_init(&kb->b, pfn);
	kb->b.nid = page_to_nid(page);
	kb->charged = !!memcg;
	/*
	 * With init_on_alloc the page allocator zeroed the block: its pages
	 * are handed out without zeroing them again, each once.
	 */
	if (want_init_on_alloc(bgfp)) {
		kb->b.clean = kmalloc_array(DFG_FM_WORDS, sizeof(u64), bgfp);
		if (kb->b.clean)
			memset(kb->b.clean, 0xff, DFG_FM_WORDS * sizeof(u64));
	}
	if (xa_err(xa_store(&dfg_blocks, pfn >> DFG_BLOCK_ORDER, kb, bgfp))) {
		unsigned int i;

		for (i = 0; i < DFG_BLOCK_PAGES; i++)
			__free_page(page + i);
		kfree(kb->b.clean);
		kfree(kb);
		atomic64_inc(&dfg_stats.acquire_failures);
		return NULL;
	}
	atomic_long_add(DFG_BLOCK_PAGES, &hpmm_live.pages);
	atomic_long_inc(&dfg_held);
	atomic64_inc(&dfg_stats.blocks_acquired);
	return &kb->b;
}

/*
 * Gives a block back to the page allocator. A free block has no per-page
 * array; a block of orphans (dfg_core_trim()) and, at module exit, any
 * block may still be split: orphans are left to the holders that will free
 * them, other pages still in use (leaks) are left alone and reported.
 */
static void dfg_block_return(struct dfg_kblock *kb)
{
	struct page *page = pfn_to_page(kb->b.pfn);
	unsigned int i, kept = 0;

	xa_erase(&dfg_blocks, kb->b.pfn >> DFG_BLOCK_ORDER);
	for (i = 0; i < DFG_BLOCK_PAGES; i++) {
		/* An orphan is its last holder's to free. */
		if (kb->b.pinfo && kb->b.pinfo[i] == DFG_PI_ORPHAN)
			continue;
		if (kb->b.pinfo && kb->b.pinfo[i] != DFG_PI_FREE &&
		    !dfg_pi_is_pcp(kb->b.pinfo[i])) {
			kept++;
			continue;
		}
		ClearPageDirty(page + i);
		__free_page(page + i);
	}
	if (kept)
		pr_err("block pfn %#lx: %u pages still in use left to their holders\n",
		       kb->b.pfn, kept);
	dfg_pinfo_free(kb->b.pinfo);
	kb->b.pinfo = NULL;
	kfree(kb->b.clean);
	kb->b.clean = NULL;
	atomic_long_sub(DFG_BLOCK_PAGES, &hpmm_live.pages);
	atomic_long_dec(&dfg_held);
	atomic64_inc(&dfg_stats.blocks_returned);
	kfree_rcu(kb, rcu);
}

bool dfg_pages_poisoned(struct page *page, unsigned int order)
{
	unsigned int i;

	for (i = 0; i < (1U << order); i++)
		if (PageHWPoison(page + i))
			return true;
	return false;
}

bool dfg_block_poisoned(const struct dfg_block *blk)
{
	return dfg_pages_poisoned(pfn_to_page(blk->pfn), DFG_BLOCK_ORDER);
}

void dfg_block_zero(struct dfg_block *blk, unsigned int idx,
		    unsigned int order, bool clean)
{
	struct dfg_kblock *kb = container_of(blk, struct dfg_kblock, b);
	unsigned int i, n = 1U << order;

	if (clean) {
		atomic64_add(n, &dfg_stats.zeroings_skipped);
		return;
	}
	for (i = 0; i < n; i++)
		clear_highpage(dfg_blk_page(blk, idx + i));
	atomic_add(n, &kb->zeroings);
	atomic64_add(n, &dfg_stats.pages_zeroed);
}

void dfg_block_release(struct dfg_block *blk)
{
	struct dfg_kblock *kb = container_of(blk, struct dfg_kblock, b);
	bool poisoned = dfg_block_poisoned(blk);
	unsigned long flags;

	blk->grp = NULL;
	/* Out of its group, nothing reads it: used pages are not clean. */
	kfree(blk->clean);
	blk->clean = NULL;
	spin_lock_irqsave(&dfg_pool_lock, flags);
	if (blk->state == DFG_BS_FREE && !kb->charged && !poisoned &&
	    dfg_pool_nr < dfg_pool_lo) {
		list_add(&blk->node, &dfg_pool);
		dfg_pool_nr++;
		blk = NULL;
	}
	spin_unlock_irqrestore(&dfg_pool_lock, flags);
	if (blk)
		dfg_block_return(kb);
}

static void dfg_pool_trim(unsigned int keep)
{
	struct dfg_kblock *kb;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&dfg_pool_lock, flags);
		kb = NULL;
		if (dfg_pool_nr > keep) {
			kb = list_first_entry(&dfg_pool, struct dfg_kblock,
					      b.node);
			list_del_init(&kb->b.node);
			dfg_pool_nr--;
		}
		spin_unlock_irqrestore(&dfg_pool_lock, flags);
		if (!kb)
			return;
		dfg_block_return(kb);
	}
}

/* defrag_payg_low: blocks the pool keeps; extra ones go back at once. */
static int dfg_payg_low_set(const char *val, const struct kernel_param *kp)
{
	unsigned int low;

	if (kstrtouint(val, 0, &low) || low > DFG_PAYG_LOW_MAX)
		return -EINVAL;
	WRITE_ONCE(dfg_pool_lo, low);
	dfg_pool_trim(low);
	return 0;
}

static const struct kernel_param_ops dfg_payg_low_ops = {
	.set = dfg_payg_low_set,
	.get = param_get_uint,
};

module_param_cb(defrag_payg_low, &dfg_payg_low_ops, &dfg_pool_lo, 0644);
MODULE_PARM_DESC(defrag_payg_low,
		 "free 2 MiB blocks DEFRAG's pool keeps before giving them back (0 to 4096, default 0)");

unsigned int dfg_pool_low(void)
{
	return READ_ONCE(dfg_pool_lo);
}

unsigned int dfg_pool_count(void)
{
	return READ_ONCE(dfg_pool_nr);
}

unsigned long dfg_blocks_held(void)
{
	return atomic_long_read(&dfg_held);
}

unsigned int dfg_blocks_poisoned(unsigned long *pfns, unsigned int max)
{
	struct dfg_kblock *kb;
	unsigned long index;
	unsigned int n = 0, i;
	struct page *page;
	u32 *pinfo, v;

	rcu_read_lock();
	xa_for_each(&dfg_blocks, index, kb) {
		if (READ_ONCE(kb->b.state) == DFG_BS_HUGE)
			continue;
		page = pfn_to_page(kb->b.pfn);
		pinfo = READ_ONCE(kb->b.pinfo);
		for (i = 0; i < DFG_BLOCK_PAGES && n < max; i++) {
			if (!PageHWPoison(page + i))
				continue;
			v = pinfo ? READ_ONCE(pinfo[i]) : DFG_PI_FREE;
			if (v == DFG_PI_FREE || dfg_pi_is_pcp(v) ||
			    dfg_pi_is_key(v))
				pfns[n++] = kb->b.pfn + i;
		}
		if (n == max)
			break;
	}
	rcu_read_unlock();
	return n;
}

bool dfg_pool_drop(struct dfg_block *blk)
{
	struct dfg_kblock *kb = container_of(blk, struct dfg_kblock, b), *pos;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&dfg_pool_lock, flags);
	list_for_each_entry(pos, &dfg_pool, b.node) {
		if (pos == kb) {
			list_del_init(&kb->b.node);
			dfg_pool_nr--;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&dfg_pool_lock, flags);
	if (found)
		dfg_block_return(kb);
	return found;
}

void dfg_pool_walk(dfg_block_fn fn, void *arg)
{
	struct dfg_kblock *kb;
	unsigned long flags;

	spin_lock_irqsave(&dfg_pool_lock, flags);
	list_for_each_entry(kb, &dfg_pool, b.node)
		fn(&kb->b, arg);
	spin_unlock_irqrestore(&dfg_pool_lock, flags);
}

int dfg_block_init_global(void)
{
	/*
	 * 6.1's sysfs_slab_add() leaks the kobject's name when
	 * kobject_init_and_add() fails (kmemleak after the module-init
	 * fail-nth sweep): injected failures are kept out of the cache's
	 * creation, not out of hpmm's handling of its failure.
	 */
	unsigned int fail_nth = hpmm_fail_nth_pause();

	dfg_pinfo_cache = kmem_cache_create("hpmm_dfg_pinfo",
					    sizeof(struct dfg_pinfo_buf), 0,
					    0, NULL);
	hpmm_fail_nth_resume(fail_nth);
	return dfg_pinfo_cache ? 0 : -ENOMEM;
}

void dfg_block_exit_global(void)
{
	struct dfg_kblock *kb;
	unsigned long index;

	dfg_pool_trim(0);
	/* Groups are gone; anything left was leaked by a bug: say so. */
	xa_for_each(&dfg_blocks, index, kb) {
		pr_err("block pfn %#lx still held at exit\n", kb->b.pfn);
		dfg_block_return(kb);
	}
	xa_destroy(&dfg_blocks);
	/* call_rcu() callbacks free into the cache and run module code. */
	rcu_barrier();
	kmem_cache_destroy(dfg_pinfo_cache);
}
