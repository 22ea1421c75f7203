// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG per-group compaction and eviction.
 *
 * Compaction works from the group's own block lists, never a PFN scan: the
 * core picks the sparsest blocks whose pages can all move (as many as the
 * other blocks' holes can take), isolates them, and every keyed page in
 * them is moved into a hole of an immobile block or the fullest movable
 * block. A source whose last page leaves is a free block again. Because the
 * sources are the sparsest movable blocks, the pages moved are the fewest
 * that could recover that many blocks; the counters record both.
 *
 * Eviction is the same move for one run of an immobile block: an immobile
 * allocation that found no room pays for moving the movable pages that
 * filled holes in a block of its type, instead of claiming a fresh block.
 *
 * One compaction or eviction runs per group at a time (compact_mutex), and
 * while one runs no block leaves the group (trim_pin), so the block
 * pointers it holds stay valid.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "defrag.h"
#include "../trace.h"

static void dfg_unpin(struct dfg_group *g)
{
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	g->trim_pin--;
	spin_unlock_irqrestore(&g->lock, flags);
}

/* Keyed pages of a split block, as a bitmap; group lock held. */
static void dfg_keymap(const struct dfg_block *blk, unsigned long *map)
{
	unsigned int i;

	bitmap_zero(map, DFG_BLOCK_PAGES);
	if (blk->state != DFG_BS_SPLIT)
		return;
	for (i = 0; i < DFG_BLOCK_PAGES; i++)
		if (dfg_pi_is_key(blk->pinfo[i]))
			__set_bit(i, map);
}

unsigned int dfg_compact(struct dfg_group *g, unsigned int want,
			 enum dfg_compact_why why)
{
	unsigned long *keys = NULL, flags;
	unsigned int cap, k = 0, i, idx, recovered = 0;
	u64 planned, moved = 0, fails = 0, min = 0;
	struct dfg_block **src = NULL;
	u64 start = ktime_get_ns();
	u16 *used = NULL;
	int ret;

	mutex_lock(&g->compact_mutex);
	dfg_group_drain(g);
	spin_lock_irqsave(&g->lock, flags);
	cap = g->core.nr_split;
	trace_dfg_compact_start(g->id, g->core.free_pages, g->core.nr_blocks,
				why);
	spin_unlock_irqrestore(&g->lock, flags);
	if (!cap)
		goto out;
	src = kvmalloc_array(cap, sizeof(*src), GFP_KERNEL);
	used = kvmalloc_array(cap, sizeof(*used), GFP_KERNEL);
	keys = kvmalloc_array(cap, BITS_TO_LONGS(DFG_BLOCK_PAGES) *
				   sizeof(long), GFP_KERNEL);
	if (!src || !used || !keys)
		goto out;

	spin_lock_irqsave(&g->lock, flags);
	g->trim_pin++;
	k = dfg_core_compact_plan(&g->core, want, src, cap, &planned);
	for (i = 0; i < k; i++) {
		used[i] = dfg_block_used(src[i]);
		dfg_keymap(src[i], keys + i * BITS_TO_LONGS(DFG_BLOCK_PAGES));
	}
	spin_unlock_irqrestore(&g->lock, flags);

	for (i = 0; i < k; i++) {
		unsigned long *map = keys + i * BITS_TO_LONGS(DFG_BLOCK_PAGES);

		for_each_set_bit(idx, map, DFG_BLOCK_PAGES) {
			ret = dfg_move_page(g, src[i], idx, DFG_AM_COMPACT);
			if (ret >= 0)
				moved++;
			if (ret == 1)
				recovered++;
			if (ret < 0 && ret != -ENOENT) {
				/* The block cannot empty: stop moving its pages. */
				fails++;
				break;
			}
		}
		cond_resched();
	}

	spin_lock_irqsave(&g->lock, flags);
	for (i = 0; i < k; i++)
		dfg_core_compact_release(&g->core, src[i]);
	g->trim_pin--;
	spin_unlock_irqrestore(&g->lock, flags);
	/* The sources were sorted sparsest first: the cheapest to recover. */
	for (i = 0; i < recovered && i < k; i++)
		min += used[i];

out:
	g->cstats.runs[why]++;
	g->cstats.planned += k;
	g->cstats.moved += moved;
	g->cstats.move_failures += fails;
	g->cstats.recovered += recovered;
	g->cstats.min_moves += min;
	g->cstats.ns += ktime_get_ns() - start;
	trace_dfg_compact_end(g->id, moved, recovered, ktime_get_ns() - start);
	if (why == DFG_CW_BACKGROUND && !recovered)
		WRITE_ONCE(g->defer_until, jiffies + HZ);
	mutex_unlock(&g->compact_mutex);
	kvfree(keys);
	kvfree(used);
	kvfree(src);
	/* A block made for an allocation stays for it to take. */
	if (why != DFG_CW_ALLOC)
		dfg_group_trim(g, false);
	return recovered;
}
EXPORT_SYMBOL_NS_GPL(dfg_compact, HPMM);

void dfg_group_compact_stats(struct dfg_group *g, struct dfg_cstats *cs)
{
	mutex_lock(&g->compact_mutex);
	*cs = g->cstats;
	mutex_unlock(&g->compact_mutex);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_compact_stats, HPMM);

/*
 * Moves the keyed pages of the run of 2^@order pages at @blk/@idx out of
 * that immobile block. The caller pinned the group's blocks (trim_pin);
 * this drops the pin. 0 when the run was cleared.
 */
int dfg_evict(struct dfg_group *g, struct dfg_block *blk, unsigned int idx,
	      unsigned int order)
{
	unsigned int n = 1U << order, i, moved = 0;
	unsigned long flags;
	int ret = 0, r;
	u32 v;

	mutex_lock(&g->compact_mutex);
	for (i = idx; i < idx + n; i++) {
		spin_lock_irqsave(&g->lock, flags);
		v = blk->state == DFG_BS_SPLIT ? blk->pinfo[i] : DFG_PI_FREE;
		spin_unlock_irqrestore(&g->lock, flags);
		if (!dfg_pi_is_key(v))
			continue;
		r = dfg_move_page(g, blk, i, DFG_AM_EVICT);
		if (r >= 0) {
			moved++;
		} else if (r != -ENOENT) {
			ret = r;
			break;
		}
	}
	g->cstats.evict_runs++;
	g->cstats.evicted += moved;
	mutex_unlock(&g->compact_mutex);
	dfg_unpin(g);
	dfg_group_trim(g, false);
	return ret;
}

void dfg_compact_worker(struct work_struct *work)
{
	struct dfg_group *g = container_of(to_delayed_work(work),
					   struct dfg_group, compact_work);

	dfg_compact(g, 0, DFG_CW_BACKGROUND);
}
