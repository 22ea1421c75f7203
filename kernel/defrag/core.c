// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG core: block bookkeeping and placement policy (see core.h).
 *
 * Pure logic: the caller holds the group's lock, provides blocks and
 * per-page arrays, and performs page moves. Built into the module and, as C,
 * into the host tests and simulator. What hpmm_test.ko's replay uses is
 * exported (the host layer's linux/export.h makes that a no-op there).
 */
#include <linux/export.h>

#include <uapi/hpmm-defrag-bpf.h>

#include "core.h"

/* Bits at the aligned start positions of runs of 2^order in a word. */
static const u64 dfg_align_mask[7] = {
	0xffffffffffffffffULL, 0x5555555555555555ULL, 0x1111111111111111ULL,
	0x0101010101010101ULL, 0x0001000100010001ULL, 0x0000000100000001ULL,
	0x0000000000000001ULL,
};

int dfg_fm_find(const u64 *freemap, unsigned int order)
{
	unsigned int w, s, words;

	if (order > DFG_MAX_ORDER)
		return -1;
	if (order >= 6) {
		words = 1U << (order - 6);
		for (w = 0; w < DFG_FM_WORDS; w += words) {
			for (s = 0; s < words; s++)
				if (freemap[w + s] != ~0ULL)
					break;
			if (s == words)
				return (int)(w * 64);
		}
		return -1;
	}
	for (w = 0; w < DFG_FM_WORDS; w++) {
		u64 x = freemap[w];

		/* Bit i stays set iff bits i .. i + 2^order - 1 are all set. */
		for (s = 1; s < (1U << order) && x; s <<= 1)
			x &= x >> s;
		x &= dfg_align_mask[order];
		if (x)
			return (int)(w * 64 + __ffs64(x));
	}
	return -1;
}

/* Whether the 2^order pages (order >= 6) from word @w on are all free. */
static bool dfg_fm_words_free(const u64 *freemap, unsigned int w,
			      unsigned int order)
{
	unsigned int i;

	for (i = 0; i < 1U << (order - 6); i++)
		if (freemap[w + i] != ~0ULL)
			return false;
	return true;
}

int dfg_fm_find_best(const u64 *freemap, unsigned int order)
{
	u64 run[6][DFG_FM_WORDS];
	unsigned int k, w, step;

	if (order > DFG_MAX_ORDER)
		return -1;
	/* run[k][w]: start bits of the aligned free runs of 2^k pages. */
	for (w = 0; w < DFG_FM_WORDS; w++) {
		run[0][w] = freemap[w];
		for (k = 1; k < 6; k++)
			run[k][w] = run[k - 1][w] &
				    (run[k - 1][w] >> (1U << (k - 1))) &
				    dfg_align_mask[k];
	}
	/*
	 * As the buddy allocator does: take the smallest free chunk that
	 * is maximal (its aligned parent is not all free) and fits, so the
	 * larger aligned runs stay whole for larger requests.
	 */
	for (k = order; k < 6; k++) {
		for (w = 0; w < DFG_FM_WORDS; w++) {
			u64 covered;

			if (k == 5)
				covered = freemap[w] == ~0ULL ? ~0ULL : 0;
			else
				covered = run[k + 1][w] |
					  run[k + 1][w] << (1U << k);
			if (run[k][w] & ~covered)
				return (int)(w * 64 +
					     __ffs64(run[k][w] & ~covered));
		}
	}
	for (k = max(order, 6U); k <= DFG_MAX_ORDER; k++) {
		step = 1U << (k - 6);
		for (w = 0; w < DFG_FM_WORDS; w += step) {
			if (!dfg_fm_words_free(freemap, w, k))
				continue;
			if (k == DFG_MAX_ORDER ||
			    !dfg_fm_words_free(freemap, w & ~(2 * step - 1),
					       k + 1))
				return (int)(w * 64);
		}
	}
	return -1;
}

void dfg_fm_set(u64 *freemap, unsigned int idx, unsigned int n)
{
	unsigned int i;

	for (i = idx; i < idx + n; i++)
		freemap[i / 64] |= 1ULL << (i % 64);
}

void dfg_fm_clear(u64 *freemap, unsigned int idx, unsigned int n)
{
	unsigned int i;

	for (i = idx; i < idx + n; i++)
		freemap[i / 64] &= ~(1ULL << (i % 64));
}

bool dfg_fm_all_set(const u64 *freemap, unsigned int idx, unsigned int n)
{
	unsigned int i;

	for (i = idx; i < idx + n; i++)
		if (!(freemap[i / 64] & (1ULL << (i % 64))))
			return false;
	return true;
}

unsigned int dfg_fm_count_run(const u64 *freemap, unsigned int idx)
{
	return hweight64((freemap[idx / 64] >> (idx % 64)) &
			 ((1ULL << DFG_RUN_PAGES) - 1));
}

unsigned int dfg_fm_count(const u64 *freemap)
{
	unsigned int w, n = 0;

	for (w = 0; w < DFG_FM_WORDS; w++)
		n += hweight64(freemap[w]);
	return n;
}

unsigned int dfg_pi_mt(u32 v)
{
	if (dfg_pi_is_key(v) || v == DFG_PI_ORPHAN)
		return DFG_MT_MOVABLE;
	if (DFG_PI_IS_KHEAD(v))
		return DFG_PI_KHEAD_MT(v);
	if (dfg_pi_is_pcp(v))
		return v - DFG_PI_PCP_BASE;
	return DFG_MT_UNMOVABLE;
}

static bool dfg_mt_immobile(unsigned int mt)
{
	return mt != DFG_MT_MOVABLE;
}

unsigned int dfg_block_used(const struct dfg_block *blk)
{
	return blk->nr_used[0] + blk->nr_used[1] + blk->nr_used[2];
}
EXPORT_SYMBOL_NS_GPL(dfg_block_used, HPMM);

/*
 * Movable blocks are bucketed by free pages, immobile ones by the pages
 * not holding their own type: bucket 1 holds the blocks most full of
 * their type, which immobile allocations try first, packing them.
 */
static unsigned int dfg_bucket_of(const struct dfg_block *blk)
{
	unsigned int room = blk->nr_free;

	if (dfg_mt_immobile(blk->type))
		room = DFG_BLOCK_PAGES - blk->nr_used[blk->type];
	if (!room)
		return 0;
	return 1 + (room - 1) / DFG_BUCKET_PAGES;
}

void dfg_block_init(struct dfg_block *blk, unsigned long pfn)
{
	memset(blk, 0, sizeof(*blk));
	INIT_LIST_HEAD(&blk->node);
	blk->pfn = pfn;
	blk->state = DFG_BS_FREE;
}

void dfg_core_init(struct dfg_gcore *g, enum dfg_policy policy)
{
	unsigned int t, b;

	memset(g, 0, sizeof(*g));
	g->policy = policy;
	INIT_LIST_HEAD(&g->free_list);
	INIT_LIST_HEAD(&g->huge_list);
	INIT_LIST_HEAD(&g->isolated);
	INIT_LIST_HEAD(&g->orphaned);
	INIT_LIST_HEAD(&g->ff);
	for (t = 0; t < DFG_NR_MT; t++)
		for (b = 0; b < DFG_NR_BUCKETS; b++)
			INIT_LIST_HEAD(&g->bucket[t][b]);
}

/* Whether split blocks are listed by address (else by type and bucket). */
static bool dfg_policy_ff(unsigned int policy)
{
	return policy == DFG_POLICY_FIRSTFIT;
}

int dfg_core_set_policy(struct dfg_gcore *g, enum dfg_policy policy)
{
	if (policy >= DFG_NR_POLICIES)
		return -EINVAL;
	if (g->nr_split && dfg_policy_ff(policy) != dfg_policy_ff(g->policy))
		return -EBUSY;
	g->policy = policy;
	return 0;
}

/* Puts a split, non-isolated block on the list its policy wants. */
static void dfg_list_split(struct dfg_gcore *g, struct dfg_block *blk)
{
	struct dfg_block *pos;

	if (dfg_policy_ff(g->policy)) {
		/* Sorted by address: first fit is lowest address first. */
		list_for_each_entry_reverse(pos, &g->ff, node) {
			if (pos->pfn < blk->pfn) {
				list_add(&blk->node, &pos->node);
				return;
			}
		}
		list_add(&blk->node, &g->ff);
		return;
	}
	blk->bucket = dfg_bucket_of(blk);
	list_add_tail(&blk->node, &g->bucket[blk->type][blk->bucket]);
}

/* Moves a split block to the bucket its fullness and type now want. */
static void dfg_relist(struct dfg_gcore *g, struct dfg_block *blk)
{
	unsigned int b;

	if (blk->flags & DFG_BF_ISOLATED || dfg_policy_ff(g->policy))
		return;
	b = dfg_bucket_of(blk);
	if (b == blk->bucket)
		return;
	blk->bucket = b;
	list_move_tail(&blk->node, &g->bucket[blk->type][b]);
}

static void dfg_retype(struct dfg_gcore *g, struct dfg_block *blk,
		       unsigned int mt)
{
	if (blk->type != mt)
		dfg_trace_retype(g, blk, mt);
	blk->type = mt;
	if (blk->flags & DFG_BF_ISOLATED || dfg_policy_ff(g->policy))
		return;
	blk->bucket = dfg_bucket_of(blk);
	list_move_tail(&blk->node, &g->bucket[mt][blk->bucket]);
}

void dfg_core_add_block(struct dfg_gcore *g, struct dfg_block *blk)
{
	blk->grp = g;
	blk->state = DFG_BS_FREE;
	blk->flags = 0;
	list_add_tail(&blk->node, &g->free_list);
	g->nr_blocks++;
	g->nr_free_blocks++;
}

/* Splits a free block of the group as type @mt; needs a spare array. */
static void dfg_split(struct dfg_gcore *g, struct dfg_block *blk,
		      unsigned int mt)
{
	unsigned int w;

	blk->pinfo = g->spare_pinfo;
	g->spare_pinfo = NULL;
	memset(blk->pinfo, 0xff, DFG_BLOCK_PAGES * sizeof(u32));
	for (w = 0; w < DFG_FM_WORDS; w++)
		blk->freemap[w] = ~0ULL;
	blk->nr_free = DFG_BLOCK_PAGES;
	memset(blk->nr_used, 0, sizeof(blk->nr_used));
	blk->state = DFG_BS_SPLIT;
	blk->type = mt;
	blk->flags = 0;
	blk->runs = 0;
	blk->nr_orphan = 0;
	list_del_init(&blk->node);
	g->nr_free_blocks--;
	g->nr_split++;
	g->free_pages += DFG_BLOCK_PAGES;
	g->cnt.splits++;
	dfg_list_split(g, blk);
}

/* Whether the @n pages at @idx were clean; they are not any more. */
static bool dfg_take_clean(struct dfg_block *blk, unsigned int idx,
			   unsigned int n)
{
	bool clean;

	if (!blk->clean)
		return false;
	clean = dfg_fm_all_set(blk->clean, idx, n);
	dfg_fm_clear(blk->clean, idx, n);
	return clean;
}

static void dfg_take(struct dfg_gcore *g, struct dfg_block *blk,
		     unsigned int idx, struct dfg_alloc_req *req)
{
	unsigned int n = 1U << req->order, i;

	req->clean = dfg_take_clean(blk, idx, n);
	dfg_fm_clear(blk->freemap, idx, n);
	blk->nr_free -= n;
	blk->nr_used[req->mt] += n;
	g->free_pages -= n;
	g->used[req->mt] += n;
	WRITE_ONCE(blk->pinfo[idx], req->head);
	for (i = 1; i < n; i++)
		WRITE_ONCE(blk->pinfo[idx + i], DFG_PI_TAIL);
	g->cnt.allocs[req->mt]++;
	if (req->mt == DFG_MT_MOVABLE && dfg_mt_immobile(blk->type))
		g->cnt.fills++;
	dfg_relist(g, blk);
}

static bool dfg_node_ok(const struct dfg_block *blk,
			const struct dfg_alloc_req *req)
{
	return !(req->flags & DFG_AF_THISNODE) || blk->nid == req->nid;
}

/* A failure, counted unless only one node was asked (others are next). */
static int dfg_fail(struct dfg_gcore *g, const struct dfg_alloc_req *req)
{
	if (!(req->flags & DFG_AF_THISNODE))
		g->cnt.alloc_fails++;
	return DFG_FAIL;
}

/* The first free block the request may take, or NULL. */
static struct dfg_block *dfg_free_block(struct dfg_gcore *g,
					const struct dfg_alloc_req *req)
{
	struct dfg_block *blk;

	list_for_each_entry(blk, &g->free_list, node)
		if (dfg_node_ok(blk, req))
			return blk;
	return NULL;
}

static int dfg_take_from(struct dfg_gcore *g, struct dfg_block *blk,
			 struct dfg_alloc_req *req)
{
	int idx;

	if (blk->nr_free < (1U << req->order) || !dfg_node_ok(blk, req))
		return -1;
	idx = dfg_fm_find_best(blk->freemap, req->order);
	if (idx < 0)
		return -1;
	dfg_take(g, blk, idx, req);
	req->blk = blk;
	req->idx = idx;
	return 0;
}

/* Fullest (or emptiest) block of type @mt with room, placed. */
static bool dfg_take_bucket(struct dfg_gcore *g, unsigned int mt,
			    struct dfg_alloc_req *req, bool fullest)
{
	struct dfg_block *blk;
	unsigned int i, b;

	for (i = 1; i < DFG_NR_BUCKETS; i++) {
		b = fullest ? i : DFG_NR_BUCKETS - i;
		/* Movable buckets below 2^order free pages cannot hold it. */
		if (mt == DFG_MT_MOVABLE &&
		    b * DFG_BUCKET_PAGES < (1U << req->order))
			continue;
		list_for_each_entry(blk, &g->bucket[mt][b], node)
			if (!dfg_take_from(g, blk, req))
				return true;
	}
	return false;
}

static bool dfg_take_firstfit(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	struct dfg_block *blk;

	list_for_each_entry(blk, &g->ff, node)
		if (!dfg_take_from(g, blk, req))
			return true;
	return false;
}

/* Splits a free block for @req and places it there. */
static int dfg_take_free_block(struct dfg_gcore *g, struct dfg_alloc_req *req,
			       unsigned int type)
{
	struct dfg_block *blk;

	blk = dfg_free_block(g, req);
	if (!blk)
		return DFG_FAIL;
	if (!g->spare_pinfo)
		return req->flags & DFG_AF_FAST ? DFG_FAIL : DFG_NEED_PINFO;
	dfg_split(g, blk, type);
	dfg_take_from(g, blk, req);
	return DFG_OK;
}

static bool dfg_may_grow(const struct dfg_gcore *g,
			 const struct dfg_alloc_req *req)
{
	if (req->flags & DFG_AF_NOBLOCK)
		return false;
	return !g->limit || g->nr_blocks < g->limit;
}

static int dfg_alloc_huge(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	struct dfg_block *blk;

	blk = dfg_free_block(g, req);
	if (blk) {
		list_move_tail(&blk->node, &g->huge_list);
		blk->state = DFG_BS_HUGE;
		blk->type = req->mt;
		blk->nr_free = 0;
		memset(blk->nr_used, 0, sizeof(blk->nr_used));
		blk->nr_used[req->mt] = DFG_BLOCK_PAGES;
		g->nr_free_blocks--;
		g->nr_huge++;
		g->used[req->mt] += DFG_BLOCK_PAGES;
		g->cnt.allocs[req->mt]++;
		g->cnt.huge++;
		req->blk = blk;
		req->idx = 0;
		req->clean = dfg_take_clean(blk, 0, DFG_BLOCK_PAGES);
		return DFG_OK;
	}
	/*
	 * No free block: when the group holds a block's worth of free pages
	 * in split blocks, make one by compaction before taking a new one.
	 */
	if (!(req->flags & DFG_AF_NOCOMPACT) &&
	    g->free_pages >= DFG_BLOCK_PAGES)
		return DFG_NEED_COMPACT;
	if (dfg_may_grow(g, req))
		return DFG_NEED_BLOCK;
	return dfg_fail(g, req);
}

/*
 * The aligned run of 2^order pages of @blk made only of free and keyed
 * pages that has the fewest keyed ones: its first page, or -1.
 */
static int dfg_evict_run(const struct dfg_block *blk, unsigned int order,
			 unsigned int *moves)
{
	unsigned int n = 1U << order, s, i, keys, best_keys = ~0U;
	int best = -1;

	for (s = 0; s < DFG_BLOCK_PAGES; s += n) {
		keys = 0;
		for (i = s; i < s + n; i++) {
			u32 v = READ_ONCE(blk->pinfo[i]);

			if (dfg_pi_is_key(v))
				keys++;
			else if (v != DFG_PI_FREE)
				break;
		}
		if (i == s + n && keys && keys < best_keys) {
			best_keys = keys;
			best = s;
		}
	}
	*moves = best_keys;
	return best;
}

/*
 * An immobile allocation: the blocks fullest of its type first. In each
 * bucket a free run is taken if there is one, else a run to evict movable
 * pages from is asked for: immobile pages are packed at the price of
 * moving movable ones, before a less full block is used.
 */
static int dfg_take_immobile(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	struct dfg_block *blk, *best;
	unsigned int b, moves, best_moves;
	int idx, best_idx;

	for (b = 1; b < DFG_NR_BUCKETS; b++) {
		list_for_each_entry(blk, &g->bucket[req->mt][b], node)
			if (!dfg_take_from(g, blk, req))
				return DFG_OK;
		if (req->flags & (DFG_AF_NOEVICT | DFG_AF_FAST))
			continue;
		best = NULL;
		best_idx = -1;
		best_moves = ~0U;
		list_for_each_entry(blk, &g->bucket[req->mt][b], node) {
			if (!blk->nr_used[DFG_MT_MOVABLE])
				continue;
			idx = dfg_evict_run(blk, req->order, &moves);
			if (idx >= 0 && moves < best_moves) {
				best = blk;
				best_idx = idx;
				best_moves = moves;
			}
		}
		if (best) {
			req->blk = best;
			req->idx = best_idx;
			g->cnt.evict_requests++;
			return DFG_NEED_EVICT;
		}
	}
	return DFG_FAIL;
}

/* Takes the emptiest movable block with room and makes it of type mt. */
static bool dfg_steal(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	struct dfg_block *blk;
	unsigned int i, b;

	for (i = 1; i < DFG_NR_BUCKETS; i++) {
		b = DFG_NR_BUCKETS - i;
		list_for_each_entry(blk, &g->bucket[DFG_MT_MOVABLE][b], node) {
			if (dfg_fm_find(blk->freemap, req->order) < 0)
				continue;
			dfg_retype(g, blk, req->mt);
			g->cnt.steals++;
			dfg_take_from(g, blk, req);
			return true;
		}
	}
	return false;
}

static int dfg_alloc_grouping(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	unsigned int other;
	int ret;

	if (req->mt == DFG_MT_MOVABLE) {
		if (dfg_take_bucket(g, DFG_MT_MOVABLE, req, true))
			return DFG_OK;
		ret = dfg_take_free_block(g, req, DFG_MT_MOVABLE);
		if (ret != DFG_FAIL || req->flags & DFG_AF_FAST)
			return ret;
		if (dfg_may_grow(g, req))
			return DFG_NEED_BLOCK;
		/*
		 * Holes in immobile blocks, those with the fewest immobile
		 * pages first: movable pages can leave later.
		 */
		if (dfg_take_bucket(g, DFG_MT_UNMOVABLE, req, false) ||
		    dfg_take_bucket(g, DFG_MT_RECLAIMABLE, req, false))
			return DFG_OK;
		if (!(req->flags & DFG_AF_NOCOMPACT) && req->order &&
		    g->nr_split)
			return DFG_NEED_COMPACT;
		return dfg_fail(g, req);
	}

	/* Immobile: packed, paying for evictions before taking a block. */
	ret = dfg_take_immobile(g, req);
	/* A fresh block only after evictions were considered: not here. */
	if (ret != DFG_FAIL || req->flags & DFG_AF_FAST)
		return ret;
	ret = dfg_take_free_block(g, req, req->mt);
	if (ret != DFG_FAIL)
		return ret;
	if (dfg_may_grow(g, req))
		return DFG_NEED_BLOCK;
	/* At the limit: the other immobile type, then a movable block. */
	other = req->mt == DFG_MT_UNMOVABLE ? DFG_MT_RECLAIMABLE :
					       DFG_MT_UNMOVABLE;
	if (dfg_take_bucket(g, other, req, true)) {
		g->cnt.fallbacks++;
		return DFG_OK;
	}
	if (dfg_steal(g, req))
		return DFG_OK;
	return dfg_fail(g, req);
}

/* Grouping's plan for @req, as its C code above does it. */
static u64 dfg_grouping_plan(const struct dfg_alloc_req *req)
{
	if (req->mt == DFG_MT_MOVABLE)
		return HPMM_DFG_PLAN_GROUPING_MOVABLE;
	if (req->mt == DFG_MT_UNMOVABLE)
		return HPMM_DFG_PLAN_GROUPING_UNMOVABLE;
	return HPMM_DFG_PLAN_GROUPING_RECLAIMABLE;
}

/*
 * One step of a plan: DFG_OK and the DFG_NEED_* as dfg_core_alloc(),
 * DFG_FAIL to go on with the next step, -EAGAIN where the fast path ends
 * the plan, -EINVAL for a step that does not apply (the plan is refused).
 */
static int dfg_plan_step(struct dfg_gcore *g, struct dfg_alloc_req *req,
			 unsigned int step)
{
	unsigned int op = HPMM_DFG_STEP_OP(step), mt = HPMM_DFG_STEP_MT(step);
	bool fast = req->flags & DFG_AF_FAST;

	if (mt >= DFG_NR_MT || step & ~(HPMM_DFG_STEP_EMPTIEST | 0x3f) ||
	    (step & HPMM_DFG_STEP_EMPTIEST && op != HPMM_DFG_STEP_TAKE))
		return -EINVAL;
	/* The fast path: no request, and a free block for movable runs only. */
	if (fast && op != HPMM_DFG_STEP_TAKE && op != HPMM_DFG_STEP_PACK &&
	    (op != HPMM_DFG_STEP_FRESH || mt != DFG_MT_MOVABLE ||
	     req->mt != DFG_MT_MOVABLE))
		return op < HPMM_DFG_NR_STEP_OPS ? -EAGAIN : -EINVAL;
	switch (op) {
	case HPMM_DFG_STEP_TAKE:
		if (!dfg_take_bucket(g, mt, req,
				     !(step & HPMM_DFG_STEP_EMPTIEST)))
			return DFG_FAIL;
		if (dfg_mt_immobile(req->mt) && dfg_mt_immobile(mt) &&
		    mt != req->mt)
			g->cnt.fallbacks++;
		return DFG_OK;
	case HPMM_DFG_STEP_PACK:
		if (mt != req->mt || !dfg_mt_immobile(mt))
			return -EINVAL;
		return dfg_take_immobile(g, req);
	case HPMM_DFG_STEP_FRESH:
		return dfg_take_free_block(g, req, mt);
	case HPMM_DFG_STEP_GROW:
		return dfg_may_grow(g, req) ? DFG_NEED_BLOCK : DFG_FAIL;
	case HPMM_DFG_STEP_STEAL:
		if (!dfg_mt_immobile(req->mt))
			return -EINVAL;
		return dfg_steal(g, req) ? DFG_OK : DFG_FAIL;
	case HPMM_DFG_STEP_COMPACT:
		if (!(req->flags & DFG_AF_NOCOMPACT) && req->order &&
		    g->nr_split)
			return DFG_NEED_COMPACT;
		return DFG_FAIL;
	default:
		return -EINVAL;
	}
}

/*
 * DFG_POLICY_BPF: the steps of @g's plan for @req in order, until one
 * places it or asks for something. Under DFG_AF_FAST the plan ends at the
 * first step that would ask (-EAGAIN from dfg_plan_step()), as
 * grouping's own code does.
 */
static int dfg_alloc_planned(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	u64 plan = g->plan ? g->plan(g, req) : 0;
	unsigned int i, step;
	int ret;

	if (!plan)
		plan = dfg_grouping_plan(req);
	for (i = 0; i < HPMM_DFG_PLAN_STEPS; i++, plan >>= 8) {
		step = plan & 0xff;
		if (step == HPMM_DFG_STEP_END)
			break;
		ret = dfg_plan_step(g, req, step);
		if (ret == -EINVAL) {
			g->cnt.bad_plans++;
			break;
		}
		if (ret == -EAGAIN)
			return DFG_FAIL;
		if (ret != DFG_FAIL)
			return ret;
	}
	return dfg_fail(g, req);
}

static int dfg_alloc_firstfit(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	int ret;

	if (dfg_take_firstfit(g, req))
		return DFG_OK;
	ret = dfg_take_free_block(g, req, req->mt);
	if (ret != DFG_FAIL || req->flags & DFG_AF_FAST)
		return ret;
	if (dfg_may_grow(g, req))
		return DFG_NEED_BLOCK;
	if (!(req->flags & DFG_AF_NOCOMPACT) && req->order && g->nr_split)
		return DFG_NEED_COMPACT;
	return dfg_fail(g, req);
}

/*
 * Where a page being moved goes (@req->mode DFG_AM_COMPACT or _EVICT): the
 * destination rules of enum dfg_amode, never a block being emptied.
 */
static int dfg_core_place_moved(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	int ret;

	if (dfg_policy_ff(g->policy)) {
		if (dfg_take_firstfit(g, req))
			return DFG_OK;
		if (req->mode == DFG_AM_COMPACT)
			return DFG_FAIL;
		ret = dfg_take_free_block(g, req, req->mt);
		if (ret != DFG_FAIL)
			return ret;
		return dfg_may_grow(g, req) ? DFG_NEED_BLOCK : DFG_FAIL;
	}
	if (req->mode == DFG_AM_COMPACT) {
		/*
		 * The fullest movable blocks first; holes in immobile blocks
		 * only when those are full, as immobile allocations would
		 * have to evict what lands there.
		 */
		if (dfg_take_bucket(g, DFG_MT_MOVABLE, req, true) ||
		    dfg_take_bucket(g, DFG_MT_UNMOVABLE, req, false) ||
		    dfg_take_bucket(g, DFG_MT_RECLAIMABLE, req, false))
			return DFG_OK;
		return DFG_FAIL;
	}
	/* Eviction: never into another immobile block. */
	if (dfg_take_bucket(g, DFG_MT_MOVABLE, req, true))
		return DFG_OK;
	ret = dfg_take_free_block(g, req, DFG_MT_MOVABLE);
	if (ret != DFG_FAIL)
		return ret;
	return dfg_may_grow(g, req) ? DFG_NEED_BLOCK : DFG_FAIL;
}

static bool dfg_req_valid(const struct dfg_alloc_req *req)
{
	if (req->mt >= DFG_NR_MT || req->order > DFG_MAX_ORDER)
		return false;
	if (dfg_pi_is_key(req->head))
		return req->mt == DFG_MT_MOVABLE && !req->order;
	if (dfg_pi_is_pcp(req->head))
		return req->head == dfg_pi_pcp(req->mt) && !req->order;
	return req->head == dfg_pi_khead(req->mt, req->order);
}

int dfg_core_alloc(struct dfg_gcore *g, struct dfg_alloc_req *req)
{
	req->blk = NULL;
	req->idx = 0;
	if (!dfg_req_valid(req))
		return DFG_FAIL;
	/* Moved: a page, or a bound run (an order-DFG_RUN_ORDER kernel run). */
	if (req->mode != DFG_AM_NORMAL)
		return req->order && req->order != DFG_RUN_ORDER ? DFG_FAIL :
			dfg_core_place_moved(g, req);
	if (req->order == DFG_MAX_ORDER)
		return dfg_alloc_huge(g, req);
	if (dfg_policy_ff(g->policy))
		return dfg_alloc_firstfit(g, req);
	if (g->policy == DFG_POLICY_BPF)
		return dfg_alloc_planned(g, req);
	return dfg_alloc_grouping(g, req);
}

unsigned int dfg_core_alloc_bulk(struct dfg_gcore *g, unsigned int mt,
				 int nid, unsigned int n, struct dfg_block **blks,
				 unsigned int *idxs)
{
	struct dfg_alloc_req req = {
		.mt = mt,
		.flags = DFG_AF_FAST | (nid >= 0 ? DFG_AF_THISNODE : 0),
		.nid = nid >= 0 ? nid : 0,
		.head = dfg_pi_pcp(mt),
	};
	struct dfg_block *blk;
	unsigned int got = 0;
	int idx;

	while (got < n && dfg_core_alloc(g, &req) == DFG_OK) {
		blks[got] = req.blk;
		idxs[got++] = req.idx;
		/* The rest from the same block, lowest pages first. */
		blk = req.blk;
		while (got < n && blk->nr_free) {
			idx = dfg_fm_find(blk->freemap, 0);
			dfg_take(g, blk, idx, &req);
			blks[got] = blk;
			idxs[got++] = idx;
		}
	}
	return got;
}

/* The block is free again: detach its array and make it a free block. */
static void dfg_block_empty(struct dfg_gcore *g, struct dfg_block *blk,
			    u32 **pinfo)
{
	*pinfo = blk->pinfo;
	blk->pinfo = NULL;
	if (blk->flags & DFG_BF_ISOLATED)
		g->nr_isolated--;
	blk->flags = 0;
	blk->state = DFG_BS_FREE;
	g->nr_split--;
	g->free_pages -= DFG_BLOCK_PAGES;
	g->nr_free_blocks++;
	g->cnt.empties++;
	list_move_tail(&blk->node, &g->free_list);
}

/*
 * A listed block holding nothing but orphans goes to @g->orphaned, for
 * dfg_core_trim(): true when it did.
 */
static bool dfg_orphans_only(struct dfg_gcore *g, struct dfg_block *blk)
{
	if (!blk->nr_orphan || dfg_block_used(blk) != blk->nr_orphan ||
	    blk->flags & DFG_BF_ISOLATED || blk->state != DFG_BS_SPLIT)
		return false;
	list_move_tail(&blk->node, &g->orphaned);
	g->nr_orphaned++;
	return true;
}

static int dfg_do_free(struct dfg_gcore *g, struct dfg_block *blk,
		       unsigned int idx, unsigned int order, u32 head,
		       u32 **pinfo)
{
	unsigned int n = 1U << order, mt = dfg_pi_mt(head), i;

	for (i = 1; i < n; i++)
		if (READ_ONCE(blk->pinfo[idx + i]) != DFG_PI_TAIL)
			return DFG_ERR_MISMATCH;
	for (i = 0; i < n; i++)
		WRITE_ONCE(blk->pinfo[idx + i], DFG_PI_FREE);
	/* A bound run with a page freed is bound no more. */
	for (i = idx >> DFG_RUN_ORDER; i <= (idx + n - 1) >> DFG_RUN_ORDER; i++)
		blk->runs &= ~(1ULL << i);
	dfg_fm_set(blk->freemap, idx, n);
	blk->nr_free += n;
	blk->nr_used[mt] -= n;
	g->free_pages += n;
	g->used[mt] -= n;
	if (blk->nr_free == DFG_BLOCK_PAGES) {
		dfg_block_empty(g, blk, pinfo);
		return DFG_FREED_EMPTY;
	}
	if (dfg_orphans_only(g, blk)) {
		*pinfo = NULL;
		return DFG_FREED_EMPTY;
	}
	/* Its last immobile page gone: what is left can move, so is movable. */
	if (!dfg_policy_ff(g->policy) && dfg_mt_immobile(blk->type) &&
	    !blk->nr_used[DFG_MT_UNMOVABLE] &&
	    !blk->nr_used[DFG_MT_RECLAIMABLE]) {
		g->cnt.retypes++;
		dfg_retype(g, blk, DFG_MT_MOVABLE);
	}
	dfg_relist(g, blk);
	return DFG_FREED;
}

static int dfg_free_check(const struct dfg_block *blk, unsigned int idx,
			  unsigned int order)
{
	if (blk->state != DFG_BS_SPLIT || !blk->pinfo)
		return DFG_ERR_STATE;
	if (order >= DFG_MAX_ORDER || idx >= DFG_BLOCK_PAGES ||
	    idx & ((1U << order) - 1))
		return DFG_ERR_MISMATCH;
	if (READ_ONCE(blk->pinfo[idx]) == DFG_PI_FREE)
		return DFG_ERR_FREE;
	return 0;
}

int dfg_core_free(struct dfg_gcore *g, struct dfg_block *blk, unsigned int idx,
		  unsigned int order, u32 expect, u32 **pinfo)
{
	int ret = dfg_free_check(blk, idx, order);

	if (ret)
		return ret;
	if (READ_ONCE(blk->pinfo[idx]) != expect)
		return DFG_ERR_MISMATCH;
	if ((dfg_pi_is_key(expect) || dfg_pi_is_pcp(expect) ||
	     expect == DFG_PI_ORPHAN) && order)
		return DFG_ERR_MISMATCH;
	return dfg_do_free(g, blk, idx, order, expect, pinfo);
}

int dfg_core_free_any(struct dfg_gcore *g, struct dfg_block *blk,
		      unsigned int idx, unsigned int order, u32 **pinfo)
{
	int ret = dfg_free_check(blk, idx, order);
	u32 v;

	if (ret)
		return ret;
	v = READ_ONCE(blk->pinfo[idx]);
	if (!DFG_PI_IS_KHEAD(v) || DFG_PI_KHEAD_ORDER(v) != order ||
	    DFG_PI_KHEAD_MT(v) >= DFG_NR_MT)
		return DFG_ERR_MISMATCH;
	return dfg_do_free(g, blk, idx, order, v, pinfo);
}

int dfg_core_free_huge(struct dfg_gcore *g, struct dfg_block *blk)
{
	if (blk->state != DFG_BS_HUGE)
		return DFG_ERR_STATE;
	g->used[blk->type] -= DFG_BLOCK_PAGES;
	memset(blk->nr_used, 0, sizeof(blk->nr_used));
	blk->state = DFG_BS_FREE;
	g->nr_huge--;
	g->nr_free_blocks++;
	g->cnt.empties++;
	list_move_tail(&blk->node, &g->free_list);
	return DFG_FREED_EMPTY;
}

int dfg_core_set_pinfo(struct dfg_block *blk, unsigned int idx, u32 old,
		       u32 val)
{
	if (blk->state != DFG_BS_SPLIT || idx >= DFG_BLOCK_PAGES ||
	    READ_ONCE(blk->pinfo[idx]) != old ||
	    dfg_pi_mt(old) != dfg_pi_mt(val))
		return DFG_ERR_MISMATCH;
	WRITE_ONCE(blk->pinfo[idx], val);
	return 0;
}

int dfg_core_bind_run(struct dfg_block *blk, unsigned int idx)
{
	if (blk->state != DFG_BS_SPLIT || idx >= DFG_BLOCK_PAGES ||
	    idx & (DFG_RUN_PAGES - 1))
		return DFG_ERR_MISMATCH;
	/* Every page of it allocated: no free page in its byte of the map. */
	if (dfg_fm_count_run(blk->freemap, idx))
		return DFG_ERR_MISMATCH;
	blk->runs |= 1ULL << (idx >> DFG_RUN_ORDER);
	return 0;
}

int dfg_core_orphan(struct dfg_gcore *g, struct dfg_block *blk,
		    unsigned int idx, u32 key)
{
	if (!dfg_pi_is_key(key) ||
	    dfg_core_set_pinfo(blk, idx, key, DFG_PI_ORPHAN))
		return DFG_ERR_MISMATCH;
	blk->nr_orphan++;
	return dfg_orphans_only(g, blk);
}

int dfg_core_poison_free(struct dfg_gcore *g, struct dfg_block *blk,
			 unsigned int idx)
{
	if (blk->grp != g || blk->state != DFG_BS_SPLIT ||
	    idx >= DFG_BLOCK_PAGES || READ_ONCE(blk->pinfo[idx]) != DFG_PI_FREE)
		return DFG_ERR_MISMATCH;
	dfg_fm_clear(blk->freemap, idx, 1);
	blk->nr_free--;
	g->free_pages--;
	blk->nr_used[blk->type]++;
	g->used[blk->type]++;
	WRITE_ONCE(blk->pinfo[idx], DFG_PI_ORPHAN);
	blk->nr_orphan++;
	if (dfg_orphans_only(g, blk))
		return 1;
	dfg_relist(g, blk);
	return 0;
}

int dfg_core_take_free(struct dfg_gcore *g, struct dfg_block *blk)
{
	if (blk->grp != g || blk->state != DFG_BS_FREE)
		return DFG_ERR_STATE;
	list_del_init(&blk->node);
	blk->grp = NULL;
	g->nr_free_blocks--;
	g->nr_blocks--;
	return 0;
}

int dfg_core_split_run(struct dfg_block *blk, unsigned int idx,
		       unsigned int order)
{
	unsigned int n = 1U << order, i;
	u32 v;

	if (blk->state != DFG_BS_SPLIT || idx >= DFG_BLOCK_PAGES ||
	    order >= DFG_MAX_ORDER || idx & (n - 1))
		return DFG_ERR_MISMATCH;
	v = READ_ONCE(blk->pinfo[idx]);
	if (!DFG_PI_IS_KHEAD(v) || DFG_PI_KHEAD_ORDER(v) != order)
		return DFG_ERR_MISMATCH;
	for (i = 1; i < n; i++)
		if (READ_ONCE(blk->pinfo[idx + i]) != DFG_PI_TAIL)
			return DFG_ERR_MISMATCH;
	for (i = 0; i < n; i++)
		WRITE_ONCE(blk->pinfo[idx + i],
			   dfg_pi_khead(DFG_PI_KHEAD_MT(v), 0));
	return 0;
}

/* Takes split block @blk out of the group, whatever it holds. */
static void dfg_take_split(struct dfg_gcore *g, struct dfg_block *blk)
{
	unsigned int t;

	list_del_init(&blk->node);
	blk->grp = NULL;
	g->nr_blocks--;
	g->nr_split--;
	if (blk->flags & DFG_BF_ISOLATED)
		g->nr_isolated--;
	g->free_pages -= blk->nr_free;
	for (t = 0; t < DFG_NR_MT; t++)
		g->used[t] -= blk->nr_used[t];
}

struct dfg_block *dfg_core_trim(struct dfg_gcore *g, bool all)
{
	struct dfg_block *blk;

	blk = list_first_entry_or_null(&g->orphaned, struct dfg_block, node);
	if (blk) {
		g->nr_orphaned--;
		dfg_take_split(g, blk);
		return blk;
	}
	if (!all && g->nr_free_blocks <= g->reserve)
		return NULL;
	blk = list_first_entry_or_null(&g->free_list, struct dfg_block, node);
	if (blk)
		dfg_core_take_free(g, blk);
	return blk;
}

static struct dfg_block *dfg_first_block(struct dfg_gcore *g)
{
	struct dfg_block *blk;
	unsigned int t, b;

	blk = list_first_entry_or_null(&g->free_list, struct dfg_block, node);
	if (!blk)
		blk = list_first_entry_or_null(&g->huge_list, struct dfg_block,
					       node);
	if (!blk)
		blk = list_first_entry_or_null(&g->isolated, struct dfg_block,
					       node);
	if (!blk)
		blk = list_first_entry_or_null(&g->orphaned, struct dfg_block,
					       node);
	if (!blk)
		blk = list_first_entry_or_null(&g->ff, struct dfg_block, node);
	for (t = 0; !blk && t < DFG_NR_MT; t++)
		for (b = 0; !blk && b < DFG_NR_BUCKETS; b++)
			blk = list_first_entry_or_null(&g->bucket[t][b],
						       struct dfg_block, node);
	return blk;
}

struct dfg_block *dfg_core_take_any(struct dfg_gcore *g)
{
	struct dfg_block *blk = dfg_first_block(g);

	if (!blk)
		return NULL;
	if (blk->state == DFG_BS_SPLIT) {
		if (!list_empty(&g->orphaned) &&
		    blk == list_first_entry(&g->orphaned, struct dfg_block,
					    node))
			g->nr_orphaned--;
		dfg_take_split(g, blk);
		return blk;
	}
	list_del_init(&blk->node);
	blk->grp = NULL;
	g->nr_blocks--;
	if (blk->state == DFG_BS_FREE) {
		g->nr_free_blocks--;
	} else {
		g->nr_huge--;
		g->used[blk->type] -= DFG_BLOCK_PAGES;
	}
	return blk;
}

bool dfg_block_evacuable(const struct dfg_block *blk)
{
	unsigned int i;

	if (blk->state != DFG_BS_SPLIT)
		return false;
	for (i = 0; i < DFG_BLOCK_PAGES; i++) {
		u32 v = READ_ONCE(blk->pinfo[i]);

		if (v != DFG_PI_FREE && !dfg_pi_is_key(v))
			return false;
	}
	return true;
}
EXPORT_SYMBOL_NS_GPL(dfg_block_evacuable, HPMM);

static int dfg_cmp_used(const void *a, const void *b)
{
	const struct dfg_block *x = *(const struct dfg_block *const *)a;
	const struct dfg_block *y = *(const struct dfg_block *const *)b;
	unsigned int ux = dfg_block_used(x), uy = dfg_block_used(y);

	if (ux != uy)
		return ux < uy ? -1 : 1;
	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return 0;
}

static void dfg_isolate(struct dfg_gcore *g, struct dfg_block *blk)
{
	blk->flags |= DFG_BF_ISOLATED;
	g->nr_isolated++;
	list_move_tail(&blk->node, &g->isolated);
}

typedef void (*dfg_listed_fn)(struct dfg_block *blk, void *arg);

/* Calls @fn for every listed (allocatable) split block. */
static void dfg_walk_listed(const struct dfg_gcore *g, dfg_listed_fn fn,
			    void *arg)
{
	struct dfg_block *blk, *tmp;
	unsigned int t, b;

	if (dfg_policy_ff(g->policy)) {
		list_for_each_entry_safe(blk, tmp, &g->ff, node)
			fn(blk, arg);
		return;
	}
	for (t = 0; t < DFG_NR_MT; t++)
		for (b = 0; b < DFG_NR_BUCKETS; b++)
			list_for_each_entry_safe(blk, tmp, &g->bucket[t][b],
						 node)
				fn(blk, arg);
}

struct dfg_plan_ctx {
	struct dfg_block **src;
	unsigned int cap;
	unsigned int nr;
	unsigned long holes;
	unsigned long run_holes;
};

/* Aligned runs of DFG_RUN_PAGES free pages in a block. */
static unsigned int dfg_free_runs(const struct dfg_block *blk)
{
	unsigned int r, n = 0;

	for (r = 0; r < DFG_BLOCK_PAGES; r += DFG_RUN_PAGES)
		n += dfg_fm_count_run(blk->freemap, r) == DFG_RUN_PAGES;
	return n;
}

static void dfg_plan_collect(struct dfg_block *blk, void *arg)
{
	struct dfg_plan_ctx *ctx = arg;

	ctx->holes += blk->nr_free;
	ctx->run_holes += dfg_free_runs(blk);
	if (ctx->nr < ctx->cap && dfg_block_used(blk) &&
	    dfg_block_evacuable(blk))
		ctx->src[ctx->nr++] = blk;
}

unsigned int dfg_core_compact_plan(struct dfg_gcore *g, unsigned int want,
				   struct dfg_block **src, unsigned int cap,
				   u64 *moves)
{
	struct dfg_plan_ctx ctx = { .src = src, .cap = cap };
	unsigned long need = 0, holes, need_runs = 0, run_holes;
	unsigned int k, used, runs, own_runs;

	*moves = 0;
	dfg_walk_listed(g, dfg_plan_collect, &ctx);
	sort(src, ctx.nr, sizeof(*src), dfg_cmp_used, NULL);

	/*
	 * The sparsest blocks first: k sources can be emptied when their
	 * pages fit in the holes of the blocks that are not sources, and
	 * their bound runs in aligned runs of free pages there.
	 */
	holes = ctx.holes;
	run_holes = ctx.run_holes;
	for (k = 0; k < ctx.nr && (!want || k < want); k++) {
		used = dfg_block_used(src[k]);
		runs = hweight64(src[k]->runs);
		own_runs = dfg_free_runs(src[k]);
		if (need + used > holes - src[k]->nr_free ||
		    need_runs + runs > run_holes - own_runs)
			break;
		need += used;
		holes -= src[k]->nr_free;
		need_runs += runs;
		run_holes -= own_runs;
	}
	for (ctx.nr = 0; ctx.nr < k; ctx.nr++)
		dfg_isolate(g, src[ctx.nr]);
	*moves = need;
	return k;
}

void dfg_core_compact_release(struct dfg_gcore *g, struct dfg_block *blk)
{
	if (blk->state != DFG_BS_SPLIT || !(blk->flags & DFG_BF_ISOLATED))
		return;
	blk->flags &= ~DFG_BF_ISOLATED;
	g->nr_isolated--;
	list_del_init(&blk->node);
	/* Pages freed while isolated may have left it of no immobile page. */
	if (!dfg_policy_ff(g->policy) && dfg_mt_immobile(blk->type) &&
	    !blk->nr_used[DFG_MT_UNMOVABLE] &&
	    !blk->nr_used[DFG_MT_RECLAIMABLE])
		blk->type = DFG_MT_MOVABLE;
	dfg_list_split(g, blk);
	/* Pages orphaned while it was a source: maybe nothing else is left. */
	dfg_orphans_only(g, blk);
}

static void dfg_list_each(const struct list_head *head, dfg_block_fn fn,
			  void *arg)
{
	const struct dfg_block *blk;

	list_for_each_entry(blk, head, node)
		fn(blk, arg);
}

void dfg_core_walk(const struct dfg_gcore *g, dfg_block_fn fn, void *arg)
{
	unsigned int t, b;

	dfg_list_each(&g->free_list, fn, arg);
	dfg_list_each(&g->huge_list, fn, arg);
	dfg_list_each(&g->isolated, fn, arg);
	dfg_list_each(&g->orphaned, fn, arg);
	dfg_list_each(&g->ff, fn, arg);
	for (t = 0; t < DFG_NR_MT; t++)
		for (b = 0; b < DFG_NR_BUCKETS; b++)
			dfg_list_each(&g->bucket[t][b], fn, arg);
}

static void dfg_summarize_block(const struct dfg_block *blk, void *arg)
{
	struct dfg_summary *s = arg;
	unsigned int t;

	s->blocks++;
	if (blk->state == DFG_BS_FREE) {
		s->free_blocks++;
		return;
	}
	s->type_blocks[blk->type]++;
	if (blk->state == DFG_BS_HUGE)
		s->huge_blocks++;
	else
		s->split_blocks++;
	if (blk->flags & DFG_BF_ISOLATED)
		s->isolated_blocks++;
	for (t = 0; t < DFG_NR_MT; t++)
		if (blk->nr_used[t])
			s->holding[t]++;
	if (blk->state == DFG_BS_SPLIT && blk->nr_used[DFG_MT_MOVABLE] &&
	    (blk->nr_used[DFG_MT_UNMOVABLE] ||
	     blk->nr_used[DFG_MT_RECLAIMABLE]))
		s->mixed_blocks++;
}

static unsigned int dfg_pollution(unsigned int holding, unsigned long used)
{
	unsigned long fewest = DIV_ROUND_UP(used, DFG_BLOCK_PAGES);

	if (!fewest)
		return 1000;
	return (unsigned int)div64_u64((u64)holding * 1000, fewest);
}

void dfg_core_summarize(const struct dfg_gcore *g, struct dfg_summary *s)
{
	unsigned long suitable;
	unsigned int t;

	memset(s, 0, sizeof(*s));
	dfg_core_walk(g, dfg_summarize_block, s);
	for (t = 0; t < DFG_NR_MT; t++)
		s->used[t] = g->used[t];
	s->free_pages = g->free_pages +
			(unsigned long)s->free_blocks * DFG_BLOCK_PAGES;
	s->pollution_milli = dfg_pollution(s->holding[DFG_MT_UNMOVABLE],
					   g->used[DFG_MT_UNMOVABLE]);
	s->reclaimable_pollution_milli =
		dfg_pollution(s->holding[DFG_MT_RECLAIMABLE],
			      g->used[DFG_MT_RECLAIMABLE]);
	/*
	 * mm/vmstat.c unusable_free_index(): the share of free memory that
	 * cannot serve an order-9 request. Only free blocks can.
	 */
	suitable = (unsigned long)s->free_blocks * DFG_BLOCK_PAGES;
	s->unusable_milli = 1000;
	if (s->free_pages)
		s->unusable_milli = div64_u64((u64)(s->free_pages - suitable) *
					      1000, s->free_pages);
}

char dfg_block_char(const struct dfg_block *blk)
{
	static const char full[DFG_NR_MT] = { 'U', 'M', 'R' };
	static const char part[DFG_NR_MT] = { 'u', 'm', 'r' };

	if (blk->state == DFG_BS_FREE)
		return '.';
	if (blk->state == DFG_BS_HUGE)
		return '#';
	if (blk->flags & DFG_BF_ISOLATED)
		return 'c';
	if (blk->type >= DFG_NR_MT)
		return '?';
	return blk->nr_free <= DFG_BLOCK_PAGES / 2 ? full[blk->type] :
						      part[blk->type];
}

static const char *const dfg_mt_names[DFG_NR_MT] = {
	"unmovable", "movable", "reclaimable",
};

static const char *const dfg_policy_names[DFG_NR_POLICIES] = {
	"grouping", "firstfit", "bpf",
};

const char *dfg_mt_name(unsigned int mt)
{
	return mt < DFG_NR_MT ? dfg_mt_names[mt] : "?";
}

const char *dfg_policy_name(unsigned int policy)
{
	return policy < DFG_NR_POLICIES ? dfg_policy_names[policy] : "?";
}
EXPORT_SYMBOL_NS_GPL(dfg_policy_name, HPMM);

int dfg_parse_mt(const char *s)
{
	unsigned int i;

	for (i = 0; i < DFG_NR_MT; i++)
		if (!strcmp(s, dfg_mt_names[i]) ||
		    (s[0] == dfg_mt_names[i][0] && !s[1]))
			return (int)i;
	return -1;
}
EXPORT_SYMBOL_NS_GPL(dfg_parse_mt, HPMM);

int dfg_parse_policy(const char *s)
{
	unsigned int i;

	for (i = 0; i < DFG_NR_POLICIES; i++)
		if (!strcmp(s, dfg_policy_names[i]))
			return (int)i;
	return -1;
}
