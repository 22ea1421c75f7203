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

/*
 * Counters are written by the holder of compact_mutex only, as each page
 * moves, and read without it (dfg_group_compact_stats()).
 */
static void dfg_cstat_add(u64 *c, u64 n)
{
	WRITE_ONCE(*c, *c + n);
}

/*
 * Moves the keyed page at @blk/@idx for @mode, or the bound run it is in
 * (whose other pages are then cleared from @map, the pages left to move):
 * how many pages moved, the result in *@ret as dfg_move_page() gives it.
 */
static unsigned int dfg_move_one(struct dfg_group *g, struct dfg_block *blk,
				 unsigned int idx, unsigned long *map, u8 mode,
				 int *ret)
{
	unsigned int first = round_down(idx, DFG_RUN_PAGES);

	if (dfg_run_bound(blk, idx)) {
		*ret = dfg_move_run(g, blk, first, mode);
		if (*ret != -ESRCH) {
			if (map)
				bitmap_clear(map, first, DFG_RUN_PAGES);
			return *ret >= 0 ? DFG_RUN_PAGES : 0;
		}
	}
	*ret = dfg_move_page(g, blk, idx, mode);
	return *ret >= 0;
}

unsigned int dfg_compact(struct dfg_group *g, unsigned int want,
			 enum dfg_compact_why why)
{
	unsigned long *keys = NULL, flags;
	unsigned int cap, k = 0, i, idx, n, recovered = 0;
	u64 planned, moved0 = 0, min = 0;
	struct dfg_block **src = NULL;
	u64 start = ktime_get_ns();
	u16 *used = NULL;
	int ret;

	mutex_lock(&g->compact_mutex);
	moved0 = g->cstats.moved;
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
			n = dfg_move_one(g, src[i], idx, map, DFG_AM_COMPACT,
					 &ret);
			if (ret >= 0)
				dfg_cstat_add(&g->cstats.moved, n);
			if (ret == 1)
				recovered++;
			if (ret < 0 && ret != -ENOENT) {
				/* The block cannot empty: stop moving its pages. */
				dfg_cstat_add(&g->cstats.move_failures, 1);
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
	dfg_cstat_add(&g->cstats.runs[why], 1);
	dfg_cstat_add(&g->cstats.planned, k);
	dfg_cstat_add(&g->cstats.recovered, recovered);
	dfg_cstat_add(&g->cstats.min_moves, min);
	dfg_cstat_add(&g->cstats.ns, ktime_get_ns() - start);
	trace_dfg_compact_end(g->id, g->cstats.moved - moved0, recovered,
			      ktime_get_ns() - start);
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

/* Without compact_mutex: the counters of a run going on, page by page. */
void dfg_group_compact_stats(struct dfg_group *g, struct dfg_cstats *cs)
{
	const struct dfg_cstats *c = &g->cstats;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cs->runs); i++)
		cs->runs[i] = READ_ONCE(c->runs[i]);
	cs->planned = READ_ONCE(c->planned);
	cs->moved = READ_ONCE(c->moved);
	cs->move_failures = READ_ONCE(c->move_failures);
	cs->recovered = READ_ONCE(c->recovered);
	cs->min_moves = READ_ONCE(c->min_moves);
	cs->ns = READ_ONCE(c->ns);
	cs->evict_runs = READ_ONCE(c->evict_runs);
	cs->evicted = READ_ONCE(c->evicted);
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
	dfg_cstat_add(&g->cstats.evict_runs, 1);
	for (i = idx; i < idx + n; i++) {
		spin_lock_irqsave(&g->lock, flags);
		v = blk->state == DFG_BS_SPLIT ? blk->pinfo[i] : DFG_PI_FREE;
		spin_unlock_irqrestore(&g->lock, flags);
		if (!dfg_pi_is_key(v))
			continue;
		moved = dfg_move_one(g, blk, i, NULL, DFG_AM_EVICT, &r);
		if (r >= 0) {
			dfg_cstat_add(&g->cstats.evicted, moved);
			/* A bound run moved whole: on past its pages. */
			if (moved > 1)
				i = round_down(i, DFG_RUN_PAGES) +
				    DFG_RUN_PAGES - 1;
		} else if (r != -ENOENT) {
			ret = r;
			break;
		}
	}
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
