// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG and hardware poison.
 *
 * memory_failure() takes an LRU page out of use itself: it unmaps it and
 * signals the processes that mapped it. DEFRAG's pages are not on the LRU:
 * 6.1's memory_failure() marks such a page PG_hwpoison (keeping the
 * reference of a MADV_HWPOISON caller) and reports "unknown page state",
 * nothing more. Every outcome goes through its memory_failure_event
 * tracepoint; hpmm listens there (the tracepoint is not exported, so it is
 * found by name, as tracers find theirs) and does the rest from a work
 * item:
 *
 * - a free page of a split block becomes an orphan for good
 *   (dfg_core_poison_free()): never handed out, its block never free again
 *   (so never offered whole), and the block leaves the group once nothing
 *   else is in it; DEFRAG's reference goes, and the page allocator keeps a
 *   poisoned page out of its free lists (free_pages_prepare());
 * - a page cached per CPU: the group's caches are drained, then as above;
 * - a page a mapping owns: unmapped, its slot left poisoned, so the next
 *   access is VM_FAULT_HWPOISON (SIGBUS, BUS_MCEERR_AR, as for any
 *   poisoned page), and given up as an orphan (dfg_obj_poison());
 * - a free block (in a group or in the pool): given back to the kernel;
 * - a page of a huge block or of a run a kernel caller holds: counted
 *   (hwpoison_deferred); a huge block is given back when it is freed
 *   (dfg_free_pages()), a run's page is taken out when it is freed.
 *
 * After the queued pages, a scan of every block catches what a full queue
 * dropped or what was freed since. Without the tracepoint (a kernel built
 * without CONFIG_MEMORY_FAILURE), hwpoison_supported is 0 in defrag/stats.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/kfifo.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "defrag.h"

#define DFG_HWP_QUEUE	64
#define DFG_HWP_SCAN	32

static struct tracepoint *dfg_hwp_tp;
static DEFINE_SPINLOCK(dfg_hwp_lock);
static DEFINE_KFIFO(dfg_hwp_fifo, unsigned long, DFG_HWP_QUEUE);
static void dfg_hwp_work_fn(struct work_struct *work);
static DECLARE_WORK(dfg_hwp_work, dfg_hwp_work_fn);

int dfg_hwpoison_supported(void)
{
	return !!READ_ONCE(dfg_hwp_tp);
}

void dfg_hwpoison_kick(void)
{
	if (READ_ONCE(dfg_hwp_tp))
		queue_work(system_wq, &dfg_hwp_work);
}

void dfg_hwpoison_count(struct dfg_group *g, bool block)
{
	atomic64_inc(&g->hwpoisoned);
	atomic64_inc(&dfg_stats.hwpoisoned);
	if (block)
		atomic64_inc(&dfg_stats.hwpoison_blocks);
}

/* The tracepoint's probe: runs in memory_failure(), preemption off. */
static void dfg_hwp_probe(void *data, unsigned long pfn, int type,
			  int result)
{
	unsigned long flags;

	if (!dfg_block_lookup(pfn))
		return;
	atomic64_inc(&dfg_stats.hwpoison_events);
	spin_lock_irqsave(&dfg_hwp_lock, flags);
	kfifo_put(&dfg_hwp_fifo, pfn);
	spin_unlock_irqrestore(&dfg_hwp_lock, flags);
	queue_work(system_wq, &dfg_hwp_work);
}

enum dfg_hwp_action {
	DFG_HWP_NONE,
	DFG_HWP_RETRY,		/* the block changed hands: look again */
	DFG_HWP_TAKE_BLOCK,	/* a free block taken out of its group */
	DFG_HWP_FREE_PAGE,	/* a free page made an orphan */
	DFG_HWP_TRIM,		/* ... and its block holds only orphans */
	DFG_HWP_DRAIN,		/* cached per CPU: drain, look again */
	DFG_HWP_KEYED,		/* owned by a mapping */
	DFG_HWP_DEFERRED,	/* in a huge block or a held run */
};

/* What to do for poisoned @pfn of @blk in @g; the group lock held. */
static enum dfg_hwp_action dfg_hwp_decide(struct dfg_group *g,
					  struct dfg_block *blk,
					  unsigned long pfn, u32 *key)
{
	unsigned int idx = pfn - blk->pfn;
	u32 v;

	if (blk->grp != &g->core)
		return DFG_HWP_RETRY;
	if (blk->state == DFG_BS_FREE)
		return dfg_core_take_free(&g->core, blk) ? DFG_HWP_RETRY :
							   DFG_HWP_TAKE_BLOCK;
	if (blk->state == DFG_BS_HUGE)
		return DFG_HWP_DEFERRED;
	v = READ_ONCE(blk->pinfo[idx]);
	if (v == DFG_PI_FREE) {
		switch (dfg_core_poison_free(&g->core, blk, idx)) {
		case 0:
			return DFG_HWP_FREE_PAGE;
		case 1:
			return DFG_HWP_TRIM;
		default:
			return DFG_HWP_NONE;
		}
	}
	if (dfg_pi_is_pcp(v))
		return DFG_HWP_DRAIN;
	if (dfg_pi_is_key(v)) {
		*key = v;
		return DFG_HWP_KEYED;
	}
	/* An orphan is out of use already. */
	return v == DFG_PI_ORPHAN ? DFG_HWP_NONE : DFG_HWP_DEFERRED;
}

/* Takes poisoned @pfn out of use, if it is a DEFRAG page in use. */
static void dfg_hwp_handle(unsigned long pfn, bool counted)
{
	struct page *page = pfn_to_page(pfn);
	enum dfg_hwp_action act;
	unsigned int tries = 0;
	struct dfg_kblock *kb;
	struct dfg_block *blk;
	struct dfg_gcore *gc;
	struct dfg_group *g;
	unsigned long flags;
	bool fresh;
	u32 key = 0;

	if (!PageHWPoison(page))
		return;
again:
	rcu_read_lock();
	kb = dfg_block_lookup(pfn);
	if (!kb) {
		rcu_read_unlock();
		return;
	}
	blk = &kb->b;
	gc = READ_ONCE(blk->grp);
	g = gc ? container_of(gc, struct dfg_group, core) : NULL;
	if (!g) {
		rcu_read_unlock();
		/* Pooled; one on its way back is the kernel's already. */
		if (dfg_pool_drop(blk))
			atomic64_inc(&dfg_stats.hwpoison_blocks);
		return;
	}
	if (!dfg_group_tryget(g)) {
		/* A dying group gives every block back. */
		rcu_read_unlock();
		return;
	}
	spin_lock_irqsave(&g->lock, flags);
	act = dfg_hwp_decide(g, blk, pfn, &key);
	fresh = act == DFG_HWP_DEFERRED && !kb->hwp_deferred;
	if (act == DFG_HWP_DEFERRED)
		kb->hwp_deferred = true;
	spin_unlock_irqrestore(&g->lock, flags);
	rcu_read_unlock();

	switch (act) {
	case DFG_HWP_TAKE_BLOCK:
		dfg_group_put_block(g, blk);
		dfg_hwpoison_count(g, true);
		break;
	case DFG_HWP_FREE_PAGE:
	case DFG_HWP_TRIM:
		/* DEFRAG's reference: the kernel keeps the page. */
		put_page(page);
		dfg_hwpoison_count(g, false);
		if (act == DFG_HWP_TRIM)
			dfg_group_trim(g, false);
		break;
	case DFG_HWP_KEYED:
		if (!dfg_obj_poison(g, page, key))
			dfg_hwpoison_count(g, false);
		break;
	case DFG_HWP_DEFERRED:
		if (fresh && counted)
			atomic64_inc(&dfg_stats.hwpoison_deferred);
		break;
	case DFG_HWP_DRAIN:
	case DFG_HWP_RETRY:
		if (act == DFG_HWP_DRAIN)
			dfg_group_drain(g);
		if (++tries < 3) {
			dfg_group_put(g);
			goto again;
		}
		break;
	case DFG_HWP_NONE:
		break;
	}
	dfg_group_put(g);
}

static void dfg_hwp_work_fn(struct work_struct *work)
{
	unsigned long pfns[DFG_HWP_SCAN], pfn, flags;
	unsigned int n, i;
	bool got;

	for (;;) {
		spin_lock_irqsave(&dfg_hwp_lock, flags);
		got = kfifo_get(&dfg_hwp_fifo, &pfn);
		spin_unlock_irqrestore(&dfg_hwp_lock, flags);
		if (!got)
			break;
		dfg_hwp_handle(pfn, true);
	}
	/* What a full queue dropped, or what was freed since. */
	n = dfg_blocks_poisoned(pfns, ARRAY_SIZE(pfns));
	for (i = 0; i < n; i++)
		dfg_hwp_handle(pfns[i], false);
}

static void dfg_hwp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "memory_failure_event"))
		*(struct tracepoint **)priv = tp;
}

int dfg_hwpoison_init(void)
{
	struct tracepoint *tp = NULL;
	int ret;

	for_each_kernel_tracepoint(dfg_hwp_find, &tp);
	if (!tp) {
		pr_info("no memory_failure_event tracepoint: hardware poison in DEFRAG pages is not handled\n");
		return 0;
	}
	ret = tracepoint_probe_register(tp, (void *)dfg_hwp_probe, NULL);
	if (ret)
		return ret;
	WRITE_ONCE(dfg_hwp_tp, tp);
	return 0;
}

void dfg_hwpoison_exit(void)
{
	struct tracepoint *tp = READ_ONCE(dfg_hwp_tp);

	if (!tp)
		return;
	WRITE_ONCE(dfg_hwp_tp, NULL);
	tracepoint_probe_unregister(tp, (void *)dfg_hwp_probe, NULL);
	tracepoint_synchronize_unregister();
	cancel_work_sync(&dfg_hwp_work);
}
