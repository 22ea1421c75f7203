/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the DEFRAG core, included at the end of core.c (as DAMON
 * does). Built only when the kernel has CONFIG_KUNIT.
 *
 * The host Google Test suite (tools/tests/defrag_core_test.cpp) covers the
 * placement policy in detail; these cases run the kernel build of the same
 * code (__ffs64(), hweight64(), sort(), div64_u64(), list_head) through a
 * block's life (free, split, huge, free again, handed back), the free map,
 * the per-page encodings, the block map and summary that debugfs renders,
 * and a compaction plan.
 */
#ifndef _HPMM_DEFRAG_CORE_TEST_H
#define _HPMM_DEFRAG_CORE_TEST_H

#include <kunit/test.h>

#define DFG_KT_BLOCKS	3
#define DFG_KT_ARRAYS	4
#define DFG_KT_PFN	0x10000UL

/**
 * struct dfg_kt - a group with the mechanism's part played by the test
 * @g: the group
 * @blk: blocks it may be given, at DFG_KT_PFN onwards
 * @pinfo: per-page arrays it may be given
 * @nr_blocks: blocks of @blk given so far
 */
struct dfg_kt {
	struct dfg_gcore g;
	struct dfg_block blk[DFG_KT_BLOCKS];
	u32 *pinfo[DFG_KT_ARRAYS];
	unsigned int nr_blocks;
};

static struct dfg_kt *dfg_kt_new(struct kunit *test, enum dfg_policy policy)
{
	struct dfg_kt *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	unsigned int i;

	if (!k)
		return NULL;
	for (i = 0; i < DFG_KT_ARRAYS; i++) {
		k->pinfo[i] = kunit_kcalloc(test, DFG_BLOCK_PAGES, sizeof(u32),
					    GFP_KERNEL);
		if (!k->pinfo[i])
			return NULL;
	}
	dfg_core_init(&k->g, policy);
	return k;
}

static struct dfg_block *dfg_kt_add_block(struct dfg_kt *k)
{
	struct dfg_block *blk;

	if (k->nr_blocks == DFG_KT_BLOCKS)
		return NULL;
	blk = &k->blk[k->nr_blocks];
	dfg_block_init(blk, DFG_KT_PFN + k->nr_blocks * DFG_BLOCK_PAGES);
	k->nr_blocks++;
	dfg_core_add_block(&k->g, blk);
	return blk;
}

/* An array no block holds and the group was not given: false if none. */
static bool dfg_kt_give_pinfo(struct dfg_kt *k)
{
	unsigned int i, b;

	for (i = 0; i < DFG_KT_ARRAYS; i++) {
		for (b = 0; b < k->nr_blocks; b++)
			if (k->blk[b].pinfo == k->pinfo[i])
				break;
		if (b == k->nr_blocks && k->g.spare_pinfo != k->pinfo[i]) {
			k->g.spare_pinfo = k->pinfo[i];
			return true;
		}
	}
	return false;
}

/*
 * dfg_core_alloc() with the mechanism's answers: a per-page array for
 * DFG_NEED_PINFO, a block for DFG_NEED_BLOCK when @grow. The final result.
 */
static int dfg_kt_alloc(struct dfg_kt *k, struct dfg_alloc_req *req,
			unsigned int mt, unsigned int order, u32 head,
			bool grow)
{
	int ret;

	memset(req, 0, sizeof(*req));
	req->mt = mt;
	req->order = order;
	req->head = head;
	for (;;) {
		ret = dfg_core_alloc(&k->g, req);
		if (ret == DFG_NEED_PINFO && dfg_kt_give_pinfo(k))
			continue;
		if (ret == DFG_NEED_BLOCK && grow && dfg_kt_add_block(k))
			continue;
		return ret;
	}
}

/* Free pages plus used pages is every page held, from both sides. */
static void dfg_kt_check_sums(struct kunit *test, struct dfg_kt *k)
{
	struct dfg_summary s;
	unsigned long used = 0;
	unsigned int t;

	dfg_core_summarize(&k->g, &s);
	for (t = 0; t < DFG_NR_MT; t++)
		used += s.used[t];
	KUNIT_EXPECT_EQ(test, s.blocks, k->g.nr_blocks);
	KUNIT_EXPECT_EQ(test, s.free_blocks, k->g.nr_free_blocks);
	KUNIT_EXPECT_EQ(test, s.split_blocks, k->g.nr_split);
	KUNIT_EXPECT_EQ(test, s.huge_blocks, k->g.nr_huge);
	KUNIT_EXPECT_EQ(test, s.free_pages + used,
			(unsigned long)s.blocks * DFG_BLOCK_PAGES);
}

/* The block map as debugfs shows it: one character per block, by pfn. */
struct dfg_kt_map {
	char c[DFG_KT_BLOCKS + 1];
};

static void dfg_kt_map_block(const struct dfg_block *blk, void *arg)
{
	struct dfg_kt_map *m = arg;
	unsigned long i = (blk->pfn - DFG_KT_PFN) / DFG_BLOCK_PAGES;

	if (i < DFG_KT_BLOCKS)
		m->c[i] = dfg_block_char(blk);
}

static const char *dfg_kt_render(struct dfg_kt *k, struct dfg_kt_map *m)
{
	memset(m->c, '_', DFG_KT_BLOCKS);
	m->c[DFG_KT_BLOCKS] = '\0';
	dfg_core_walk(&k->g, dfg_kt_map_block, m);
	return m->c;
}

static void hpmm_dfg_freemap(struct kunit *test)
{
	u64 fm[DFG_FM_WORDS];
	unsigned int o;

	memset(fm, 0xff, sizeof(fm));
	for (o = 0; o <= DFG_MAX_ORDER; o++) {
		KUNIT_EXPECT_EQ_MSG(test, dfg_fm_find(fm, o), 0, "order %u", o);
		KUNIT_EXPECT_EQ_MSG(test, dfg_fm_find_best(fm, o), 0,
				    "order %u", o);
	}
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, DFG_MAX_ORDER + 1), -1);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, DFG_MAX_ORDER + 1), -1);
	KUNIT_EXPECT_EQ(test, dfg_fm_count(fm), DFG_BLOCK_PAGES);

	memset(fm, 0, sizeof(fm));
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 0), -1);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 0), -1);
	/* Pages 1..8 free: runs are aligned, so no order-3 run fits. */
	dfg_fm_set(fm, 1, 8);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 0), 1);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 1), 2);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 2), 4);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 3), -1);
	KUNIT_EXPECT_EQ(test, dfg_fm_count(fm), 8U);
	KUNIT_EXPECT_TRUE(test, dfg_fm_all_set(fm, 1, 8));
	KUNIT_EXPECT_FALSE(test, dfg_fm_all_set(fm, 0, 8));
	dfg_fm_clear(fm, 1, 8);
	KUNIT_EXPECT_EQ(test, dfg_fm_count(fm), 0U);

	/* Best fit: the smallest maximal free chunk, not the first. */
	dfg_fm_set(fm, 0, 8);
	dfg_fm_set(fm, 16, 2);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 1), 0);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 1), 16);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 3), 0);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 4), -1);

	/* The last page, and whole words for orders 6 and up. */
	memset(fm, 0, sizeof(fm));
	dfg_fm_set(fm, DFG_BLOCK_PAGES - 1, 1);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 0), (int)DFG_BLOCK_PAGES - 1);
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 0),
			(int)DFG_BLOCK_PAGES - 1);
	fm[5] = 0xffffffff00000000ULL;
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 5), 5 * 64 + 32);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 6), -1);
	fm[2] = ~0ULL;
	fm[3] = ~0ULL;
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 6), 128);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 7), 128);
	KUNIT_EXPECT_EQ(test, dfg_fm_find(fm, 8), -1);
	/* Best fit keeps the order-7 chunk whole for an order-5 request. */
	KUNIT_EXPECT_EQ(test, dfg_fm_find_best(fm, 5), 5 * 64 + 32);
}

static void hpmm_dfg_encodings(struct kunit *test)
{
	unsigned int mt, o;

	KUNIT_EXPECT_TRUE(test, dfg_pi_is_key(0));
	KUNIT_EXPECT_TRUE(test, dfg_pi_is_key(DFG_PI_KEY_LIMIT - 1));
	KUNIT_EXPECT_EQ(test, dfg_pi_mt(12345), (unsigned int)DFG_MT_MOVABLE);
	KUNIT_EXPECT_EQ(test, dfg_pi_mt(DFG_PI_ORPHAN),
			(unsigned int)DFG_MT_MOVABLE);
	for (mt = 0; mt < DFG_NR_MT; mt++) {
		for (o = 0; o <= DFG_MAX_ORDER; o++) {
			u32 v = dfg_pi_khead(mt, o);

			if (dfg_pi_is_key(v) || !DFG_PI_IS_KHEAD(v) ||
			    dfg_pi_is_pcp(v) || DFG_PI_KHEAD_MT(v) != mt ||
			    DFG_PI_KHEAD_ORDER(v) != o || dfg_pi_mt(v) != mt)
				break;
		}
		KUNIT_EXPECT_EQ_MSG(test, o, DFG_MAX_ORDER + 1,
				    "kernel run head mt %u order %u: %#x", mt,
				    o, dfg_pi_khead(mt, o));
		KUNIT_EXPECT_TRUE(test, dfg_pi_is_pcp(dfg_pi_pcp(mt)));
		KUNIT_EXPECT_FALSE(test, DFG_PI_IS_KHEAD(dfg_pi_pcp(mt)));
		KUNIT_EXPECT_EQ(test, dfg_pi_mt(dfg_pi_pcp(mt)), mt);
		KUNIT_EXPECT_EQ(test, dfg_parse_mt(dfg_mt_name(mt)), (int)mt);
	}
	/* Tails, orphans, free pages: none of the other kinds. */
	KUNIT_EXPECT_FALSE(test, DFG_PI_IS_KHEAD(DFG_PI_TAIL));
	KUNIT_EXPECT_FALSE(test, dfg_pi_is_pcp(DFG_PI_TAIL));
	KUNIT_EXPECT_FALSE(test, dfg_pi_is_pcp(DFG_PI_ORPHAN));
	KUNIT_EXPECT_FALSE(test, dfg_pi_is_pcp(DFG_PI_FREE));
	KUNIT_EXPECT_FALSE(test, dfg_pi_is_key(DFG_PI_FREE));

	KUNIT_EXPECT_EQ(test, dfg_parse_mt("m"), (int)DFG_MT_MOVABLE);
	KUNIT_EXPECT_EQ(test, dfg_parse_mt("x"), -1);
	KUNIT_EXPECT_EQ(test, dfg_parse_mt("movablex"), -1);
	KUNIT_EXPECT_STREQ(test, dfg_mt_name(DFG_NR_MT), "?");
	KUNIT_EXPECT_EQ(test, dfg_parse_policy("firstfit"),
			(int)DFG_POLICY_FIRSTFIT);
	KUNIT_EXPECT_EQ(test, dfg_parse_policy("grouping"),
			(int)DFG_POLICY_GROUPING);
	KUNIT_EXPECT_EQ(test, dfg_parse_policy("g"), -1);
	KUNIT_EXPECT_STREQ(test, dfg_policy_name(DFG_NR_POLICIES), "?");
}

/* Free, split, huge, free again, handed back: states, counters, map. */
static void hpmm_dfg_block_life(struct kunit *test)
{
	struct dfg_kt *k = dfg_kt_new(test, DFG_POLICY_GROUPING);
	struct dfg_alloc_req req, run;
	struct dfg_block *b;
	struct dfg_kt_map m;
	u32 *pinfo = NULL;

	KUNIT_ASSERT_NOT_NULL(test, k);
	/* No block: the group asks for one; then for a per-page array. */
	KUNIT_EXPECT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_UNMOVABLE, 0,
					   dfg_pi_khead(DFG_MT_UNMOVABLE, 0),
					   false), DFG_NEED_BLOCK);
	b = dfg_kt_add_block(k);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), ".__");
	KUNIT_EXPECT_EQ(test, dfg_core_alloc(&k->g, &req), DFG_NEED_PINFO);
	KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_UNMOVABLE, 0,
					   dfg_pi_khead(DFG_MT_UNMOVABLE, 0),
					   false), DFG_OK);
	KUNIT_ASSERT_PTR_EQ(test, req.blk, b);
	KUNIT_EXPECT_EQ(test, b->state, (u8)DFG_BS_SPLIT);
	KUNIT_EXPECT_EQ(test, b->type, (u8)DFG_MT_UNMOVABLE);
	KUNIT_EXPECT_PTR_EQ(test, b->pinfo, k->pinfo[0]);
	KUNIT_EXPECT_EQ(test, k->g.free_pages, DFG_BLOCK_PAGES - 1UL);
	KUNIT_EXPECT_EQ(test, k->g.nr_free_blocks, 0U);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "u__");
	dfg_kt_check_sums(test, k);

	/* Half the block and more: an upper-case letter. */
	KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &run, DFG_MT_UNMOVABLE, 8,
					   dfg_pi_khead(DFG_MT_UNMOVABLE, 8),
					   false), DFG_OK);
	KUNIT_EXPECT_EQ(test, run.idx % 256, 0U);
	KUNIT_EXPECT_EQ(test, b->pinfo[run.idx],
			dfg_pi_khead(DFG_MT_UNMOVABLE, 8));
	KUNIT_EXPECT_EQ(test, b->pinfo[run.idx + 255], DFG_PI_TAIL);
	KUNIT_EXPECT_EQ(test, b->nr_free, DFG_BLOCK_PAGES - 257);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "U__");
	dfg_kt_check_sums(test, k);

	/* Wrong page, order or kind: refused, nothing changed. */
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, run.idx + 1, 0,
						&pinfo), DFG_ERR_MISMATCH);
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, run.idx, 7, &pinfo),
			DFG_ERR_MISMATCH);
	KUNIT_EXPECT_EQ(test, dfg_core_free(&k->g, b, run.idx, 8,
					    dfg_pi_khead(DFG_MT_MOVABLE, 8),
					    &pinfo), DFG_ERR_MISMATCH);
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, run.idx, 9, &pinfo),
			DFG_ERR_MISMATCH);
	KUNIT_EXPECT_EQ(test, b->nr_free, DFG_BLOCK_PAGES - 257);
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, run.idx, 8, &pinfo),
			DFG_FREED);
	/* A double free is refused. */
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, run.idx, 8, &pinfo),
			DFG_ERR_FREE);
	KUNIT_EXPECT_NULL(test, pinfo);
	/* The last page: the block is free, its array handed back. */
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, req.idx, 0, &pinfo),
			DFG_FREED_EMPTY);
	KUNIT_EXPECT_PTR_EQ(test, pinfo, k->pinfo[0]);
	KUNIT_EXPECT_NULL(test, b->pinfo);
	KUNIT_EXPECT_EQ(test, b->state, (u8)DFG_BS_FREE);
	KUNIT_EXPECT_EQ(test, k->g.free_pages, 0UL);
	KUNIT_EXPECT_EQ(test, k->g.used[DFG_MT_UNMOVABLE], 0UL);
	KUNIT_EXPECT_EQ(test, k->g.cnt.splits, 1ULL);
	KUNIT_EXPECT_EQ(test, k->g.cnt.empties, 1ULL);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), ".__");
	KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, b, req.idx, 0, &pinfo),
			DFG_ERR_STATE);
	dfg_kt_check_sums(test, k);

	/* Huge: the whole free block; a second one needs another block. */
	KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_MOVABLE, 9,
					   dfg_pi_khead(DFG_MT_MOVABLE, 9),
					   false), DFG_OK);
	KUNIT_EXPECT_PTR_EQ(test, req.blk, b);
	KUNIT_EXPECT_EQ(test, b->state, (u8)DFG_BS_HUGE);
	KUNIT_EXPECT_EQ(test, k->g.used[DFG_MT_MOVABLE],
			(unsigned long)DFG_BLOCK_PAGES);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "#__");
	dfg_kt_check_sums(test, k);
	KUNIT_EXPECT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_MOVABLE, 9,
					   dfg_pi_khead(DFG_MT_MOVABLE, 9),
					   false), DFG_NEED_BLOCK);
	k->g.limit = 1;
	KUNIT_EXPECT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_MOVABLE, 9,
					   dfg_pi_khead(DFG_MT_MOVABLE, 9),
					   true), DFG_FAIL);
	KUNIT_EXPECT_EQ(test, k->g.cnt.alloc_fails, 1ULL);
	KUNIT_EXPECT_EQ(test, dfg_core_free_huge(&k->g, b), DFG_FREED_EMPTY);
	KUNIT_EXPECT_EQ(test, dfg_core_free_huge(&k->g, b), DFG_ERR_STATE);
	KUNIT_EXPECT_EQ(test, k->g.used[DFG_MT_MOVABLE], 0UL);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), ".__");

	/* Handed back: a reserve is kept unless everything goes. */
	k->g.reserve = 1;
	KUNIT_EXPECT_NULL(test, dfg_core_trim(&k->g, false));
	KUNIT_EXPECT_PTR_EQ(test, dfg_core_trim(&k->g, true), b);
	KUNIT_EXPECT_NULL(test, b->grp);
	KUNIT_EXPECT_EQ(test, k->g.nr_blocks, 0U);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "___");
}

/*
 * Grouping keeps unmovable and movable pages in blocks of their own where
 * first fit mixes them; teardown takes every block back, whatever its
 * state, and leaves the counters at zero.
 */
static void hpmm_dfg_grouping(struct kunit *test)
{
	static const char *const want[DFG_NR_POLICIES] = { "um.", "u.." };
	struct dfg_alloc_req u, mv;
	struct dfg_summary s;
	struct dfg_kt_map m;
	unsigned int policy, n, t;
	struct dfg_kt *k;

	for (policy = 0; policy < DFG_NR_POLICIES; policy++) {
		k = dfg_kt_new(test, policy);
		KUNIT_ASSERT_NOT_NULL(test, k);
		for (n = 0; n < DFG_KT_BLOCKS; n++)
			KUNIT_ASSERT_NOT_NULL(test, dfg_kt_add_block(k));
		KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &u, DFG_MT_UNMOVABLE, 0,
						   dfg_pi_khead(DFG_MT_UNMOVABLE,
								0), false),
				DFG_OK);
		/* A movable page owned by a mapping: its key. */
		KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &mv, DFG_MT_MOVABLE, 0,
						   4242, false), DFG_OK);
		KUNIT_EXPECT_EQ(test, mv.blk->pinfo[mv.idx], 4242U);
		KUNIT_EXPECT_PTR_EQ(test, u.blk, &k->blk[0]);
		KUNIT_EXPECT_STREQ_MSG(test, dfg_kt_render(k, &m), want[policy],
				       "%s", dfg_policy_name(policy));
		dfg_core_summarize(&k->g, &s);
		KUNIT_EXPECT_EQ(test, s.holding[DFG_MT_UNMOVABLE], 1U);
		KUNIT_EXPECT_EQ(test, s.pollution_milli, 1000U);
		KUNIT_EXPECT_EQ(test, s.reclaimable_pollution_milli, 1000U);
		if (policy == DFG_POLICY_GROUPING) {
			KUNIT_EXPECT_PTR_NE(test, mv.blk, u.blk);
			KUNIT_EXPECT_EQ(test, s.mixed_blocks, 0U);
			KUNIT_EXPECT_EQ(test, s.unusable_milli,
					(2U * 511) * 1000 / (2 * 511 + 512));
		} else {
			KUNIT_EXPECT_PTR_EQ(test, mv.blk, u.blk);
			KUNIT_EXPECT_EQ(test, s.mixed_blocks, 1U);
			KUNIT_EXPECT_EQ(test, s.unusable_milli,
					510U * 1000 / (510 + 2 * 512));
		}
		/* The policy is fixed while a block is split. */
		KUNIT_EXPECT_EQ(test, dfg_core_set_policy(&k->g, !policy),
				-EBUSY);
		dfg_kt_check_sums(test, k);

		for (n = 0; dfg_core_take_any(&k->g); n++)
			;
		KUNIT_EXPECT_EQ(test, n, (unsigned int)DFG_KT_BLOCKS);
		KUNIT_EXPECT_EQ(test, k->g.nr_blocks, 0U);
		KUNIT_EXPECT_EQ(test, k->g.nr_split, 0U);
		KUNIT_EXPECT_EQ(test, k->g.nr_free_blocks, 0U);
		KUNIT_EXPECT_EQ(test, k->g.free_pages, 0UL);
		for (t = 0; t < DFG_NR_MT; t++)
			KUNIT_EXPECT_EQ(test, k->g.used[t], 0UL);
		KUNIT_EXPECT_EQ(test, dfg_core_set_policy(&k->g, !policy), 0);
		KUNIT_EXPECT_EQ(test, dfg_core_set_policy(&k->g,
							  DFG_NR_POLICIES),
				-EINVAL);
	}
}

/**
 * struct dfg_kt_fill - a movable block filled with kernel runs
 * @blk: the block
 * @head: the first run, 2^@order pages
 * @order: its order
 * @idx: the other runs, of orders @order to DFG_MAX_ORDER - 1
 */
struct dfg_kt_fill {
	struct dfg_block *blk;
	unsigned int head;
	unsigned int order;
	unsigned int idx[DFG_MAX_ORDER];
};

/* Fills a new movable block: 2^order + 2^order + ... + 2^8 = 512 pages. */
static bool dfg_kt_fill_block(struct dfg_kt *k, struct dfg_kt_fill *f,
			      unsigned int order)
{
	struct dfg_alloc_req req;
	unsigned int o;

	if (dfg_kt_alloc(k, &req, DFG_MT_MOVABLE, order,
			 dfg_pi_khead(DFG_MT_MOVABLE, order), true) != DFG_OK)
		return false;
	f->blk = req.blk;
	f->head = req.idx;
	f->order = order;
	for (o = order; o < DFG_MAX_ORDER; o++) {
		if (dfg_kt_alloc(k, &req, DFG_MT_MOVABLE, o,
				 dfg_pi_khead(DFG_MT_MOVABLE, o), false) !=
		    DFG_OK || req.blk != f->blk)
			return false;
		f->idx[o] = req.idx;
	}
	return !f->blk->nr_free;
}

/*
 * Turns the first run of @f into keyed pages (a mapping's) @key onwards by
 * splitting it, then frees the other runs.
 */
static void dfg_kt_key_block(struct kunit *test, struct dfg_kt *k,
			     const struct dfg_kt_fill *f, u32 key)
{
	const u32 khead0 = dfg_pi_khead(DFG_MT_MOVABLE, 0);
	unsigned int o, i;
	u32 *pinfo;

	KUNIT_EXPECT_EQ(test, dfg_core_split_run(f->blk, f->head, f->order),
			0);
	for (i = 0; i < 1U << f->order; i++)
		KUNIT_EXPECT_EQ(test, dfg_core_set_pinfo(f->blk, f->head + i,
							 khead0, key + i), 0);
	/* A key cannot turn into a page of another mobility. */
	KUNIT_EXPECT_EQ(test, dfg_core_set_pinfo(f->blk, f->head, key,
						 dfg_pi_khead(DFG_MT_UNMOVABLE,
							      0)),
			DFG_ERR_MISMATCH);
	for (o = f->order; o < DFG_MAX_ORDER; o++)
		KUNIT_EXPECT_EQ(test, dfg_core_free_any(&k->g, f->blk,
							f->idx[o], o, &pinfo),
				DFG_FREED);
}

/*
 * Two blocks of keyed pages (8 and 32) and one holding a kernel page: the
 * plan picks the sparsest evacuable blocks first (the kernel's sort()),
 * as many as the others' holes take, and isolates them; a compaction
 * destination is never a source.
 */
static void hpmm_dfg_compact_plan(struct kunit *test)
{
	struct dfg_kt *k = dfg_kt_new(test, DFG_POLICY_GROUPING);
	struct dfg_block *b8, *b32, *src[DFG_KT_BLOCKS];
	struct dfg_kt_fill f32, f8;
	struct dfg_alloc_req req;
	struct dfg_kt_map m;
	u64 moves = 0;

	KUNIT_ASSERT_NOT_NULL(test, k);
	/* Both full before either is emptied, so each gets its own block. */
	KUNIT_ASSERT_TRUE(test, dfg_kt_fill_block(k, &f32, 5));
	KUNIT_ASSERT_TRUE(test, dfg_kt_fill_block(k, &f8, 3));
	KUNIT_ASSERT_EQ(test, dfg_kt_alloc(k, &req, DFG_MT_UNMOVABLE, 0,
					   dfg_pi_khead(DFG_MT_UNMOVABLE, 0),
					   true), DFG_OK);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "MMu");
	dfg_kt_key_block(test, k, &f32, 1000);
	dfg_kt_key_block(test, k, &f8, 2000);
	b32 = f32.blk;
	b8 = f8.blk;
	KUNIT_EXPECT_PTR_EQ(test, b32, &k->blk[0]);
	KUNIT_EXPECT_PTR_EQ(test, b8, &k->blk[1]);
	KUNIT_EXPECT_PTR_EQ(test, req.blk, &k->blk[2]);
	KUNIT_EXPECT_TRUE(test, dfg_block_evacuable(b8));
	KUNIT_EXPECT_TRUE(test, dfg_block_evacuable(b32));
	KUNIT_EXPECT_FALSE(test, dfg_block_evacuable(req.blk));
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "mmu");
	dfg_kt_check_sums(test, k);

	/* want bounds the plan: the sparsest alone. */
	KUNIT_EXPECT_EQ(test, dfg_core_compact_plan(&k->g, 1, src,
						    DFG_KT_BLOCKS, &moves), 1U);
	KUNIT_EXPECT_PTR_EQ(test, src[0], b8);
	KUNIT_EXPECT_EQ(test, moves, 8ULL);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "mcu");
	dfg_core_compact_release(&k->g, b8);
	KUNIT_EXPECT_EQ(test, k->g.nr_isolated, 0U);

	KUNIT_EXPECT_EQ(test, dfg_core_compact_plan(&k->g, 0, src,
						    DFG_KT_BLOCKS, &moves), 2U);
	KUNIT_EXPECT_PTR_EQ(test, src[0], b8);
	KUNIT_EXPECT_PTR_EQ(test, src[1], b32);
	KUNIT_EXPECT_EQ(test, moves, 40ULL);
	KUNIT_EXPECT_EQ(test, k->g.nr_isolated, 2U);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "ccu");
	dfg_kt_check_sums(test, k);
	/* Moved pages land in the holes of the block that stays. */
	memset(&req, 0, sizeof(req));
	req.mt = DFG_MT_MOVABLE;
	req.mode = DFG_AM_COMPACT;
	req.head = 3000;
	KUNIT_EXPECT_EQ(test, dfg_core_alloc(&k->g, &req), DFG_OK);
	KUNIT_EXPECT_PTR_EQ(test, req.blk, &k->blk[2]);
	KUNIT_EXPECT_EQ(test, k->g.cnt.fills, 1ULL);
	dfg_core_compact_release(&k->g, b8);
	dfg_core_compact_release(&k->g, b32);
	KUNIT_EXPECT_EQ(test, k->g.nr_isolated, 0U);
	KUNIT_EXPECT_STREQ(test, dfg_kt_render(k, &m), "mmu");
	dfg_kt_check_sums(test, k);
}

static struct kunit_case hpmm_dfg_core_test_cases[] = {
	KUNIT_CASE(hpmm_dfg_freemap),
	KUNIT_CASE(hpmm_dfg_encodings),
	KUNIT_CASE(hpmm_dfg_block_life),
	KUNIT_CASE(hpmm_dfg_grouping),
	KUNIT_CASE(hpmm_dfg_compact_plan),
	{}
};

static struct kunit_suite hpmm_dfg_core_test_suite = {
	.name = "hpmm_defrag_core",
	.test_cases = hpmm_dfg_core_test_cases,
};

kunit_test_suite(hpmm_dfg_core_test_suite);

#endif /* _HPMM_DEFRAG_CORE_TEST_H */
