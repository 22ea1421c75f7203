// SPDX-License-Identifier: GPL-2.0
// DEFRAG core bookkeeping and policy: kernel/defrag/core.c, the very file
// the module builds, compiled as C on the host. This is the core's one test
// suite (it has no KUnit suite).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core.h"
#include "uapi/hpmm-defrag-bpf.h"

namespace {

class DefragCore : public ::testing::Test {
protected:
	void init(dfg_policy policy) { dfg_core_init(&g_, policy); }

	dfg_block *add_block()
	{
		blocks_.push_back(std::make_unique<dfg_block>());
		dfg_block *b = blocks_.back().get();
		dfg_block_init(b, 0x10000 + (blocks_.size() - 1) * 512);
		dfg_core_add_block(&g_, b);
		return b;
	}

	void give_pinfo()
	{
		arrays_.push_back(std::make_unique<u32[]>(DFG_BLOCK_PAGES));
		g_.spare_pinfo = arrays_.back().get();
	}

	// dfg_core_alloc() answering NEED_PINFO (and NEED_BLOCK when
	// grow); returns the final result.
	int alloc(unsigned mt, unsigned order, dfg_alloc_req *req,
		  u32 head = 0, u8 flags = 0, bool grow = false,
		  u8 mode = DFG_AM_NORMAL)
	{
		*req = dfg_alloc_req{};
		req->mt = static_cast<u8>(mt);
		req->order = static_cast<u8>(order);
		req->head = head ? head : dfg_pi_khead(mt, order);
		req->flags = flags;
		req->mode = mode;
		for (;;) {
			int ret = dfg_core_alloc(&g_, req);
			if (ret == DFG_NEED_PINFO)
				give_pinfo();
			else if (ret == DFG_NEED_BLOCK && grow)
				add_block();
			else
				return ret;
		}
	}

	// An allocation that must succeed, growing the group if needed.
	dfg_block *alloc_ok(unsigned mt, unsigned order, unsigned *idx,
			    u32 head = 0)
	{
		dfg_alloc_req req;
		EXPECT_EQ(alloc(mt, order, &req, head, 0, true), DFG_OK);
		*idx = req.idx;
		return req.blk;
	}

	dfg_gcore g_{};
	std::vector<std::unique_ptr<dfg_block>> blocks_;
	std::vector<std::unique_ptr<u32[]>> arrays_;
};

} // namespace

TEST(DefragFreemap, FindsAlignedRuns)
{
	u64 fm[DFG_FM_WORDS];
	for (u64 &w : fm)
		w = ~0ULL;
	for (unsigned o = 0; o <= DFG_MAX_ORDER; o++)
		EXPECT_EQ(dfg_fm_find(fm, o), 0) << o;
	EXPECT_EQ(dfg_fm_count(fm), 512u);

	for (u64 &w : fm)
		w = 0;
	EXPECT_EQ(dfg_fm_find(fm, 0), -1);
	// Pages 1..8 free: an order-3 run must start at 8, so it does not fit.
	dfg_fm_set(fm, 1, 8);
	EXPECT_EQ(dfg_fm_find(fm, 0), 1);
	EXPECT_EQ(dfg_fm_find(fm, 1), 2);
	EXPECT_EQ(dfg_fm_find(fm, 2), 4);
	EXPECT_EQ(dfg_fm_find(fm, 3), -1);
	dfg_fm_set(fm, 9, 7);
	EXPECT_EQ(dfg_fm_find(fm, 3), 8);
	EXPECT_EQ(dfg_fm_count(fm), 15u);
	EXPECT_TRUE(dfg_fm_all_set(fm, 8, 8));
	EXPECT_FALSE(dfg_fm_all_set(fm, 0, 8));
	dfg_fm_clear(fm, 8, 8);
	EXPECT_EQ(dfg_fm_find(fm, 3), -1);

	// Orders 6 to 9 take whole aligned words.
	for (u64 &w : fm)
		w = 0;
	fm[1] = fm[2] = ~0ULL;
	EXPECT_EQ(dfg_fm_find(fm, 6), 64);
	EXPECT_EQ(dfg_fm_find(fm, 7), -1);
	fm[3] = ~0ULL;
	EXPECT_EQ(dfg_fm_find(fm, 7), 128);
	EXPECT_EQ(dfg_fm_find(fm, 8), -1);
	EXPECT_EQ(dfg_fm_find(fm, 10), -1);
	// A run crossing a word boundary at order 5 is found when aligned.
	for (u64 &w : fm)
		w = 0;
	fm[5] = 0xffffffff00000000ULL;
	EXPECT_EQ(dfg_fm_find(fm, 5), 5 * 64 + 32);
}

TEST(DefragPinfo, Encodings)
{
	EXPECT_TRUE(dfg_pi_is_key(0));
	EXPECT_TRUE(dfg_pi_is_key(DFG_PI_KEY_LIMIT - 1));
	EXPECT_FALSE(dfg_pi_is_key(dfg_pi_khead(0, 0)));
	EXPECT_TRUE(DFG_PI_IS_KHEAD(dfg_pi_khead(2, 9)));
	EXPECT_EQ(DFG_PI_KHEAD_MT(dfg_pi_khead(2, 9)), 2u);
	EXPECT_EQ(DFG_PI_KHEAD_ORDER(dfg_pi_khead(2, 9)), 9u);
	EXPECT_FALSE(DFG_PI_IS_KHEAD(DFG_PI_TAIL));
	EXPECT_TRUE(dfg_pi_is_pcp(dfg_pi_pcp(DFG_MT_RECLAIMABLE)));
	EXPECT_FALSE(dfg_pi_is_pcp(DFG_PI_FREE));
	EXPECT_EQ(dfg_pi_mt(12345), unsigned{DFG_MT_MOVABLE});
	EXPECT_EQ(dfg_pi_mt(dfg_pi_pcp(DFG_MT_RECLAIMABLE)),
		  unsigned{DFG_MT_RECLAIMABLE});
	EXPECT_EQ(dfg_pi_mt(DFG_PI_ORPHAN), unsigned{DFG_MT_MOVABLE});
}

TEST_F(DefragCore, AllocFreeKeepsCountersConsistent)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *b = add_block();
	dfg_alloc_req req;
	// The first split needs a per-page array from the mechanism.
	req = dfg_alloc_req{};
	req.mt = DFG_MT_UNMOVABLE;
	req.head = dfg_pi_khead(DFG_MT_UNMOVABLE, 0);
	EXPECT_EQ(dfg_core_alloc(&g_, &req), DFG_NEED_PINFO);
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req), DFG_OK);
	EXPECT_EQ(req.blk, b);
	EXPECT_EQ(b->state, DFG_BS_SPLIT);
	EXPECT_EQ(b->type, DFG_MT_UNMOVABLE);
	EXPECT_EQ(g_.free_pages, 511u);
	EXPECT_EQ(g_.used[DFG_MT_UNMOVABLE], 1u);
	EXPECT_EQ(g_.nr_free_blocks, 0u);

	unsigned idx;
	dfg_block *b2 = alloc_ok(DFG_MT_UNMOVABLE, 3, &idx);
	EXPECT_EQ(b2, b);
	EXPECT_EQ(idx % 8, 0u);
	EXPECT_EQ(b->pinfo[idx], dfg_pi_khead(DFG_MT_UNMOVABLE, 3));
	EXPECT_EQ(b->pinfo[idx + 7], DFG_PI_TAIL);
	EXPECT_EQ(b->nr_used[DFG_MT_UNMOVABLE], 9u);

	u32 *pinfo = nullptr;
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx, 3, &pinfo), DFG_FREED);
	EXPECT_EQ(dfg_core_free_any(&g_, b, req.idx, 0, &pinfo),
		  DFG_FREED_EMPTY);
	EXPECT_EQ(pinfo, arrays_[0].get());
	EXPECT_EQ(b->pinfo, nullptr);
	EXPECT_EQ(b->state, DFG_BS_FREE);
	EXPECT_EQ(g_.nr_free_blocks, 1u);
	EXPECT_EQ(g_.free_pages, 0u);
	EXPECT_EQ(g_.used[DFG_MT_UNMOVABLE], 0u);
}

TEST_F(DefragCore, RefusesDoubleFreesAndWrongOrders)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	unsigned idx, keep;
	dfg_block *b = alloc_ok(DFG_MT_RECLAIMABLE, 2, &idx);
	alloc_ok(DFG_MT_RECLAIMABLE, 0, &keep);
	u32 *pinfo = nullptr;
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx, 1, &pinfo), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx + 1, 0, &pinfo),
		  DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx + 2, 1, &pinfo),
		  DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free(&g_, b, idx, 2, 77, &pinfo), DFG_ERR_MISMATCH);
	EXPECT_EQ(b->nr_used[DFG_MT_RECLAIMABLE], 5u);
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx, 2, &pinfo), DFG_FREED);
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx, 2, &pinfo), DFG_ERR_FREE);
	EXPECT_EQ(b->nr_used[DFG_MT_RECLAIMABLE], 1u);
	// A keyed page is freed only by its key; a huge free needs a huge block.
	unsigned k;
	dfg_block *kb = alloc_ok(DFG_MT_MOVABLE, 0, &k, 4242);
	EXPECT_EQ(dfg_core_free_any(&g_, kb, k, 0, &pinfo), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free(&g_, kb, k, 0, 4243, &pinfo), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free(&g_, kb, k, 0, 4242, &pinfo), DFG_FREED_EMPTY);
	EXPECT_EQ(dfg_core_free(&g_, kb, k, 0, 4242, &pinfo), DFG_ERR_STATE);
	EXPECT_EQ(dfg_core_free_huge(&g_, b), DFG_ERR_STATE);
}

TEST_F(DefragCore, RequestsThatMakeNoSenseFail)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	dfg_alloc_req req;
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 10, &req), DFG_FAIL);
	EXPECT_EQ(alloc(DFG_NR_MT, 0, &req, dfg_pi_khead(DFG_NR_MT, 0)),
		  DFG_FAIL);
	// A key is for one movable page only.
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 5), DFG_FAIL);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req, 5), DFG_FAIL);
	// The head must say what is allocated.
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req,
			dfg_pi_khead(DFG_MT_UNMOVABLE, 1)),
		  DFG_FAIL);
}

TEST_F(DefragCore, UnmovablePackedIntoTheFullestBlock)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	add_block();
	std::vector<std::pair<dfg_block *, unsigned>> a, b;
	unsigned idx;
	// Two unmovable blocks: fill the first, then force a second.
	for (int i = 0; i < 512; i++) {
		dfg_block *blk = alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
		a.emplace_back(blk, idx);
	}
	for (int i = 0; i < 100; i++) {
		dfg_block *blk = alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
		b.emplace_back(blk, idx);
	}
	ASSERT_NE(a[0].first, b[0].first);
	// Free 5 in the full one and 50 in the other: the next unmovable
	// allocations go to the fuller block.
	u32 *pinfo;
	for (int i = 0; i < 5; i++)
		dfg_core_free_any(&g_, a[i].first, a[i].second, 0, &pinfo);
	for (int i = 0; i < 50; i++)
		dfg_core_free_any(&g_, b[i].first, b[i].second, 0, &pinfo);
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), a[0].first);
	EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), b[0].first);
}

TEST_F(DefragCore, MovableFillsImmobileHolesOnlyAtTheLimit)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *u = add_block();
	unsigned idx;
	std::vector<unsigned> taken;
	for (int i = 0; i < 512; i++) {
		alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
		taken.push_back(idx);
	}
	u32 *pinfo;
	dfg_core_free_any(&g_, u, taken[7], 0, &pinfo);
	dfg_core_free_any(&g_, u, taken[8], 0, &pinfo);
	// Under the limit a movable page takes a fresh block, keeping the
	// unmovable block's holes for unmovable pages.
	dfg_alloc_req req;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 99), DFG_NEED_BLOCK);
	dfg_block *m = add_block();
	EXPECT_EQ(alloc_ok(DFG_MT_MOVABLE, 0, &idx, 99), m);
	EXPECT_EQ(m->type, DFG_MT_MOVABLE);
	for (int i = 1; i < 512; i++)
		EXPECT_EQ(alloc_ok(DFG_MT_MOVABLE, 0, &idx, 100 + i), m);
	// At the limit, with no movable room, a hole of the unmovable block.
	g_.limit = g_.nr_blocks;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 1000), DFG_OK);
	EXPECT_EQ(req.blk, u);
	EXPECT_EQ(g_.cnt.fills, 1u);
	EXPECT_EQ(u->nr_used[DFG_MT_MOVABLE], 1u);
}

TEST_F(DefragCore, ImmobileAllocationAsksToEvictMovablePages)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *u = add_block();
	unsigned idx;
	std::vector<unsigned> taken;
	for (int i = 0; i < 512; i++) {
		alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
		taken.push_back(idx);
	}
	u32 *pinfo;
	dfg_core_free_any(&g_, u, taken[40], 0, &pinfo);
	g_.limit = 1;
	alloc_ok(DFG_MT_MOVABLE, 0, &idx, 1234);
	EXPECT_EQ(u->pinfo[taken[40]], 1234u);
	g_.limit = 0;
	add_block();

	dfg_alloc_req req;
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req), DFG_NEED_EVICT);
	EXPECT_EQ(req.blk, u);
	EXPECT_EQ(req.idx, taken[40]);
	EXPECT_EQ(g_.cnt.evict_requests, 1u);
	// Without eviction it claims the free block.
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_NOEVICT), DFG_OK);
	EXPECT_NE(req.blk, u);
	// An eviction target is a movable block or a fresh one, never
	// another immobile block.
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 1234, 0, true, DFG_AM_EVICT),
		  DFG_OK);
	EXPECT_NE(req.blk->type, DFG_MT_UNMOVABLE);
}

TEST_F(DefragCore, ImmobilePagesGoToTheBlockFullestOfTheirType)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *a = add_block();
	unsigned idx;
	std::vector<unsigned> in_a;
	for (int i = 0; i < 512; i++) {
		EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), a);
		in_a.push_back(idx);
	}
	dfg_block *b = alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
	ASSERT_NE(b, a);
	// a: 300 unmovable and 200 movable pages, 12 free. b: 1 unmovable
	// page, 511 free. a is fuller of unmovable pages, so it comes first
	// although b has more room.
	u32 *pinfo;
	for (int i = 0; i < 212; i++)
		dfg_core_free_any(&g_, a, in_a[i], 0, &pinfo);
	g_.limit = g_.nr_blocks;
	for (int i = 0; i < 200; i++) {
		dfg_alloc_req req;
		ASSERT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 500 + i), DFG_OK);
	}
	EXPECT_EQ(a->nr_used[DFG_MT_MOVABLE] + b->nr_used[DFG_MT_MOVABLE],
		  200u);
	g_.limit = 0;
	EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), a->nr_free ? a : b);
}

TEST_F(DefragCore, LastImmobilePageGoneRetypesToMovable)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *b = add_block();
	unsigned u1, m1;
	alloc_ok(DFG_MT_UNMOVABLE, 0, &u1);
	// Force a movable page into the unmovable block (no other room).
	g_.limit = 1;
	EXPECT_EQ(alloc_ok(DFG_MT_MOVABLE, 0, &m1, 7), b);
	u32 *pinfo;
	EXPECT_EQ(dfg_core_free_any(&g_, b, u1, 0, &pinfo), DFG_FREED);
	EXPECT_EQ(b->type, DFG_MT_MOVABLE);
	EXPECT_EQ(g_.cnt.retypes, 1u);
}

TEST_F(DefragCore, LimitStopsGrowthAndStealsAtTheLimit)
{
	init(DFG_POLICY_GROUPING);
	g_.limit = 1;
	add_block();
	dfg_alloc_req req;
	unsigned idx;
	alloc_ok(DFG_MT_MOVABLE, 0, &idx, 1);
	// The only block is movable; an unmovable allocation at the limit
	// takes it over rather than fail.
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_NOEVICT), DFG_OK);
	EXPECT_EQ(g_.cnt.steals, 1u);
	EXPECT_EQ(req.blk->type, DFG_MT_UNMOVABLE);
	// Under no limit the core asks for a block instead.
	g_.limit = 0;
	for (int i = 0; i < 510; i++)
		alloc(DFG_MT_UNMOVABLE, 0, &req);
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_NOEVICT),
		  DFG_NEED_BLOCK);
	// FAST never asks for anything.
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, dfg_pi_pcp(0), DFG_AF_FAST),
		  DFG_FAIL);
}

TEST_F(DefragCore, HugeTakesAFreeBlockElseCompactionElseGrowth)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *b = add_block();
	dfg_alloc_req req;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 9, &req), DFG_OK);
	EXPECT_EQ(req.blk, b);
	EXPECT_EQ(b->state, DFG_BS_HUGE);
	EXPECT_EQ(g_.used[DFG_MT_MOVABLE], 512u);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 9, &req), DFG_NEED_BLOCK);
	// A block's worth of scattered free pages: compact first.
	add_block();
	unsigned idx;
	alloc_ok(DFG_MT_MOVABLE, 0, &idx, 3);
	add_block();
	alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
	EXPECT_GE(g_.free_pages, 512u);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 9, &req), DFG_NEED_COMPACT);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 9, &req, 0, DFG_AF_NOCOMPACT),
		  DFG_NEED_BLOCK);
	g_.limit = g_.nr_blocks;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 9, &req, 0, DFG_AF_NOCOMPACT),
		  DFG_FAIL);
	EXPECT_EQ(dfg_core_free_huge(&g_, b), DFG_FREED_EMPTY);
	EXPECT_EQ(b->state, DFG_BS_FREE);
}

TEST_F(DefragCore, FirstFitTakesTheLowestAddress)
{
	init(DFG_POLICY_FIRSTFIT);
	dfg_block *a = add_block();
	dfg_block *b = add_block();
	unsigned idx;
	std::vector<unsigned> in_a;
	for (int i = 0; i < 512; i++) {
		alloc_ok(DFG_MT_MOVABLE, 0, &idx, 1000 + i);
		in_a.push_back(idx);
	}
	EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), b);
	u32 *pinfo;
	dfg_core_free(&g_, a, in_a[100], 0, 1100, &pinfo);
	// No grouping: the unmovable page goes into the movable block's hole.
	EXPECT_EQ(alloc_ok(DFG_MT_UNMOVABLE, 0, &idx), a);
	EXPECT_EQ(idx, in_a[100]);
	dfg_summary s;
	dfg_core_summarize(&g_, &s);
	EXPECT_EQ(s.holding[DFG_MT_UNMOVABLE], 2u);
	EXPECT_EQ(s.pollution_milli, 2000u);
	EXPECT_EQ(s.mixed_blocks, 1u);
}

TEST_F(DefragCore, CompactionPlanTakesTheSparsestThatFit)
{
	init(DFG_POLICY_GROUPING);
	// Four full movable blocks, then frees leave 10, 100, 300 and 500.
	for (int i = 0; i < 4; i++)
		add_block();
	std::vector<std::vector<std::pair<unsigned, u32>>> in(4);
	std::vector<dfg_block *> b;
	for (u32 key = 1; key <= 4 * 512; key++) {
		unsigned idx;
		dfg_block *blk = alloc_ok(DFG_MT_MOVABLE, 0, &idx, key);
		if (b.empty() || b.back() != blk)
			b.push_back(blk);
		in[b.size() - 1].emplace_back(idx, key);
	}
	ASSERT_EQ(b.size(), 4u);
	const unsigned keep[] = {10, 100, 300, 500};
	u32 *pinfo;
	for (int i = 0; i < 4; i++)
		for (unsigned j = keep[i]; j < 512; j++)
			dfg_core_free(&g_, b[i], in[i][j].first, 0,
				      in[i][j].second, &pinfo);
	// A fifth block holds a kernel page: never a source, but its holes
	// take pages.
	add_block();
	g_.limit = g_.nr_blocks;
	dfg_alloc_req req;
	ASSERT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req), DFG_OK);
	dfg_block *pinned = req.blk;
	EXPECT_FALSE(dfg_block_evacuable(pinned));
	EXPECT_TRUE(dfg_block_evacuable(b[0]));

	std::vector<dfg_block *> src(8);
	u64 moves = 0;
	unsigned k = dfg_core_compact_plan(&g_, 0, src.data(), src.size(),
					   &moves);
	// Holes: 502 + 412 + 212 + 12 + 511. The three sparsest fit in the
	// rest; all four would not.
	ASSERT_EQ(k, 3u);
	EXPECT_EQ(src[0], b[0]);
	EXPECT_EQ(src[1], b[1]);
	EXPECT_EQ(src[2], b[2]);
	EXPECT_EQ(moves, 410u);
	EXPECT_TRUE(b[0]->flags & DFG_BF_ISOLATED);
	EXPECT_EQ(g_.nr_isolated, 3u);
	// Compaction fills the fullest movable block first.
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 9999, 0, false,
			DFG_AM_COMPACT),
		  DFG_OK);
	EXPECT_EQ(req.blk, b[3]);
	for (int i = 0; i < 3; i++)
		dfg_core_compact_release(&g_, src[i]);
	EXPECT_EQ(g_.nr_isolated, 0u);
	EXPECT_FALSE(b[0]->flags & DFG_BF_ISOLATED);

	// want bounds the plan.
	k = dfg_core_compact_plan(&g_, 1, src.data(), src.size(), &moves);
	EXPECT_EQ(k, 1u);
	EXPECT_EQ(moves, 10u);
	dfg_core_compact_release(&g_, src[0]);
}

TEST_F(DefragCore, SummaryFormulas)
{
	init(DFG_POLICY_GROUPING);
	for (int i = 0; i < 4; i++)
		add_block();
	unsigned idx;
	// 600 unmovable pages: two blocks, the fewest that hold them.
	for (int i = 0; i < 600; i++)
		alloc_ok(DFG_MT_UNMOVABLE, 0, &idx);
	// A movable page takes the third block, split as movable.
	alloc_ok(DFG_MT_MOVABLE, 0, &idx, 1);
	dfg_summary s;
	dfg_core_summarize(&g_, &s);
	EXPECT_EQ(s.blocks, 4u);
	EXPECT_EQ(s.free_blocks, 1u);
	EXPECT_EQ(s.split_blocks, 3u);
	EXPECT_EQ(s.mixed_blocks, 0u);
	EXPECT_EQ(s.type_blocks[DFG_MT_UNMOVABLE], 2u);
	EXPECT_EQ(s.type_blocks[DFG_MT_MOVABLE], 1u);
	EXPECT_EQ(s.used[DFG_MT_UNMOVABLE], 600u);
	EXPECT_EQ(s.holding[DFG_MT_UNMOVABLE], 2u);
	EXPECT_EQ(s.pollution_milli, 1000u);
	EXPECT_EQ(s.reclaimable_pollution_milli, 1000u);
	// Free: 424 + 511 scattered + 512 in the free block.
	EXPECT_EQ(s.free_pages, 424u + 511u + 512u);
	// unusable_free_index(9) = (free - 512 * free_blocks) / free.
	EXPECT_EQ(s.unusable_milli, (424u + 511u) * 1000 / (424 + 511 + 512));
	EXPECT_EQ(dfg_block_char(blocks_[0].get()), 'U');
	EXPECT_EQ(dfg_block_char(blocks_[1].get()), 'u');
	EXPECT_EQ(dfg_block_char(blocks_[2].get()), 'm');
	EXPECT_EQ(dfg_block_char(blocks_[3].get()), '.');
}

TEST_F(DefragCore, TrimKeepsTheReserve)
{
	init(DFG_POLICY_GROUPING);
	g_.reserve = 1;
	add_block();
	add_block();
	add_block();
	dfg_block *out = dfg_core_trim(&g_, false);
	ASSERT_NE(out, nullptr);
	EXPECT_EQ(out->grp, nullptr);
	EXPECT_NE(dfg_core_trim(&g_, false), nullptr);
	EXPECT_EQ(dfg_core_trim(&g_, false), nullptr);
	EXPECT_EQ(g_.nr_blocks, 1u);
	EXPECT_NE(dfg_core_trim(&g_, true), nullptr);
	EXPECT_EQ(g_.nr_blocks, 0u);
}

TEST_F(DefragCore, SplitRunAndOwnership)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	unsigned idx;
	dfg_block *b = alloc_ok(DFG_MT_MOVABLE, 3, &idx);
	EXPECT_EQ(dfg_core_split_run(b, idx, 2), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_split_run(b, idx + 1, 3), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_split_run(b, idx, 3), 0);
	for (unsigned i = 0; i < 8; i++)
		EXPECT_EQ(b->pinfo[idx + i], dfg_pi_khead(DFG_MT_MOVABLE, 0));
	// A kernel movable page becomes a keyed one, not an unmovable one.
	EXPECT_EQ(dfg_core_set_pinfo(b, idx + 2,
				     dfg_pi_khead(DFG_MT_MOVABLE, 0), 555),
		  0);
	EXPECT_EQ(dfg_core_set_pinfo(b, idx + 3,
				     dfg_pi_khead(DFG_MT_MOVABLE, 0),
				     dfg_pi_khead(DFG_MT_UNMOVABLE, 0)),
		  DFG_ERR_MISMATCH);
	u32 *pinfo;
	EXPECT_EQ(dfg_core_free(&g_, b, idx + 2, 0, 555, &pinfo), DFG_FREED);
	EXPECT_EQ(dfg_core_free_any(&g_, b, idx + 3, 0, &pinfo), DFG_FREED);
	EXPECT_EQ(b->nr_used[DFG_MT_MOVABLE], 6u);
}

// The plans of DFG_POLICY_BPF (include/uapi/hpmm-defrag-bpf.h) as the
// tests return them through dfg_gcore.plan.
u64 g_test_plan;

u64 test_plan(const dfg_gcore *, const dfg_alloc_req *)
{
	return g_test_plan;
}

constexpr u64 step(unsigned op, unsigned mt, unsigned i)
{
	return HPMM_DFG_PLAN(HPMM_DFG_STEP(op, mt), i);
}

// A plan decides: "strict" (no mixing) fails a movable run at the limit
// where grouping's plan (plan 0, or no plan function) puts it into the
// hole of an unmovable block; a step that does not apply is refused and
// counted, and fails the allocation.
TEST_F(DefragCore, PlanDecidesPlacement)
{
	init(DFG_POLICY_BPF);
	g_.plan = test_plan;
	g_.limit = 1;
	g_test_plan = 0;
	unsigned idx;
	dfg_block *b = alloc_ok(DFG_MT_UNMOVABLE, 1, &idx);
	ASSERT_NE(b, nullptr);
	EXPECT_EQ(b->type, unsigned{DFG_MT_UNMOVABLE});

	dfg_alloc_req req;
	g_test_plan = step(HPMM_DFG_STEP_TAKE, DFG_MT_MOVABLE, 0) |
		      step(HPMM_DFG_STEP_FRESH, DFG_MT_MOVABLE, 1) |
		      step(HPMM_DFG_STEP_GROW, 0, 2);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_FAIL);
	EXPECT_EQ(g_.cnt.alloc_fails, 1u);
	EXPECT_EQ(g_.cnt.bad_plans, 0u);

	// PACK is for immobile allocations only; op 9 is none.
	g_test_plan = step(HPMM_DFG_STEP_PACK, DFG_MT_MOVABLE, 0);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_FAIL);
	g_test_plan = step(9, DFG_MT_MOVABLE, 0);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_FAIL);
	g_test_plan = step(HPMM_DFG_STEP_STEAL, 0, 0);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_FAIL);
	EXPECT_EQ(g_.cnt.bad_plans, 3u);

	// Grouping's plan: the hole in the unmovable block.
	g_test_plan = 0;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_OK);
	EXPECT_EQ(req.blk, b);
	g_.plan = nullptr;
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 1, &req), DFG_OK);
	EXPECT_EQ(req.blk, b);
	EXPECT_EQ(g_.nr_blocks, 1u);
}

// The fast path (DFG_AF_FAST) runs a plan up to its first step that would
// ask the mechanism for something, as grouping's own code stops there.
TEST_F(DefragCore, PlanStopsWhereTheFastPathMustAsk)
{
	init(DFG_POLICY_BPF);
	g_.plan = test_plan;
	g_test_plan = step(HPMM_DFG_STEP_GROW, 0, 0);
	dfg_alloc_req req;
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_FAST),
		  DFG_FAIL);
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req), DFG_NEED_BLOCK);
	EXPECT_EQ(g_.cnt.alloc_fails, 0u);
	// A free block: movable runs may take it on the fast path (with a
	// spare per-page array), immobile ones may not.
	add_block();
	give_pinfo();
	g_test_plan = step(HPMM_DFG_STEP_FRESH, DFG_MT_UNMOVABLE, 0);
	EXPECT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_FAST),
		  DFG_FAIL);
	g_test_plan = step(HPMM_DFG_STEP_FRESH, DFG_MT_MOVABLE, 0);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 5, DFG_AF_FAST), DFG_OK);
	EXPECT_EQ(g_.cnt.bad_plans, 0u);
}

TEST_F(DefragCore, PolicySwitchOnlyWhenNothingIsSplit)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	EXPECT_EQ(dfg_core_set_policy(&g_, DFG_POLICY_FIRSTFIT), 0);
	unsigned idx;
	alloc_ok(DFG_MT_MOVABLE, 0, &idx, 5);
	EXPECT_EQ(dfg_core_set_policy(&g_, DFG_POLICY_GROUPING), -EBUSY);
	EXPECT_EQ(dfg_core_set_policy(&g_, DFG_POLICY_BPF), -EBUSY);
	EXPECT_EQ(dfg_core_set_policy(&g_, DFG_NR_POLICIES), -EINVAL);
	EXPECT_EQ(dfg_parse_policy("bpf"), DFG_POLICY_BPF);
	EXPECT_EQ(dfg_parse_policy("firstfit"), DFG_POLICY_FIRSTFIT);
	EXPECT_EQ(dfg_parse_policy("best"), -1);
	EXPECT_EQ(dfg_parse_mt("r"), DFG_MT_RECLAIMABLE);
	EXPECT_EQ(dfg_parse_mt("movable"), DFG_MT_MOVABLE);
	EXPECT_EQ(dfg_parse_mt("x"), -1);
}

// ---- cases that were the KUnit suite (kernel/defrag/core-test.h) ----------
//
// A group of three blocks at fixed pfns, given on demand, with four per-page
// arrays: the block map as debugfs renders it can be compared as text.

namespace {

constexpr unsigned kt_blocks = 3;
constexpr unsigned kt_arrays = 4;
constexpr unsigned long kt_pfn = 0x10000;

class DefragCoreLife : public ::testing::Test {
protected:
	void init(unsigned policy)
	{
		for (auto &a : arrays_)
			a = std::make_unique<u32[]>(DFG_BLOCK_PAGES);
		dfg_core_init(&g_, static_cast<dfg_policy>(policy));
	}

	dfg_block *add_block()
	{
		if (nr_blocks_ == kt_blocks)
			return nullptr;
		dfg_block *b = &blk_[nr_blocks_];
		dfg_block_init(b, kt_pfn + nr_blocks_ * DFG_BLOCK_PAGES);
		nr_blocks_++;
		dfg_core_add_block(&g_, b);
		return b;
	}

	// An array no block holds and the group was not given.
	bool give_pinfo()
	{
		for (auto &a : arrays_) {
			bool used = g_.spare_pinfo == a.get();
			for (unsigned b = 0; b < nr_blocks_; b++)
				used |= blk_[b].pinfo == a.get();
			if (!used) {
				g_.spare_pinfo = a.get();
				return true;
			}
		}
		return false;
	}

	int alloc(dfg_alloc_req *req, unsigned mt, unsigned order, u32 head,
		  bool grow)
	{
		*req = dfg_alloc_req{};
		req->mt = static_cast<u8>(mt);
		req->order = static_cast<u8>(order);
		req->head = head;
		for (;;) {
			int ret = dfg_core_alloc(&g_, req);
			if (ret == DFG_NEED_PINFO && give_pinfo())
				continue;
			if (ret == DFG_NEED_BLOCK && grow && add_block())
				continue;
			return ret;
		}
	}

	// Free plus used pages is every page held, from both sides.
	void check_sums()
	{
		dfg_summary s;
		dfg_core_summarize(&g_, &s);
		unsigned long used = 0;
		for (unsigned t = 0; t < DFG_NR_MT; t++)
			used += s.used[t];
		EXPECT_EQ(s.blocks, g_.nr_blocks);
		EXPECT_EQ(s.free_blocks, g_.nr_free_blocks);
		EXPECT_EQ(s.split_blocks, g_.nr_split);
		EXPECT_EQ(s.huge_blocks, g_.nr_huge);
		EXPECT_EQ(s.free_pages + used,
			  static_cast<unsigned long>(s.blocks) * DFG_BLOCK_PAGES);
	}

	// The block map: one character per block, by pfn, '_' when absent.
	std::string render()
	{
		std::string m(kt_blocks, '_');
		dfg_core_walk(
			&g_,
			[](const dfg_block *blk, void *arg) {
				auto *s = static_cast<std::string *>(arg);
				unsigned long i = (blk->pfn - kt_pfn) / DFG_BLOCK_PAGES;
				if (i < s->size())
					(*s)[i] = dfg_block_char(blk);
			},
			&m);
		return m;
	}

	dfg_gcore g_{};
	dfg_block blk_[kt_blocks]{};
	std::unique_ptr<u32[]> arrays_[kt_arrays];
	unsigned nr_blocks_ = 0;
};

} // namespace

TEST(DefragFreemap, BestFitTakesTheSmallestChunk)
{
	u64 fm[DFG_FM_WORDS];
	for (u64 &w : fm)
		w = ~0ULL;
	for (unsigned o = 0; o <= DFG_MAX_ORDER; o++)
		EXPECT_EQ(dfg_fm_find_best(fm, o), 0) << o;
	EXPECT_EQ(dfg_fm_find(fm, DFG_MAX_ORDER + 1), -1);
	EXPECT_EQ(dfg_fm_find_best(fm, DFG_MAX_ORDER + 1), -1);

	for (u64 &w : fm)
		w = 0;
	EXPECT_EQ(dfg_fm_find_best(fm, 0), -1);
	dfg_fm_set(fm, 1, 8);
	EXPECT_EQ(dfg_fm_count(fm), 8u);
	dfg_fm_clear(fm, 1, 8);
	EXPECT_EQ(dfg_fm_count(fm), 0u);
	// The smallest maximal free chunk, not the first.
	dfg_fm_set(fm, 0, 8);
	dfg_fm_set(fm, 16, 2);
	EXPECT_EQ(dfg_fm_find(fm, 1), 0);
	EXPECT_EQ(dfg_fm_find_best(fm, 1), 16);
	EXPECT_EQ(dfg_fm_find_best(fm, 3), 0);
	EXPECT_EQ(dfg_fm_find_best(fm, 4), -1);

	// The last page, and whole words for orders 6 and up.
	for (u64 &w : fm)
		w = 0;
	dfg_fm_set(fm, DFG_BLOCK_PAGES - 1, 1);
	EXPECT_EQ(dfg_fm_find(fm, 0), static_cast<int>(DFG_BLOCK_PAGES) - 1);
	EXPECT_EQ(dfg_fm_find_best(fm, 0),
		  static_cast<int>(DFG_BLOCK_PAGES) - 1);
	fm[5] = 0xffffffff00000000ULL;
	fm[2] = ~0ULL;
	fm[3] = ~0ULL;
	EXPECT_EQ(dfg_fm_find(fm, 7), 128);
	// Best fit keeps the order-7 chunk whole for an order-5 request.
	EXPECT_EQ(dfg_fm_find_best(fm, 5), 5 * 64 + 32);
}

TEST(DefragPinfo, EveryKindAndNameRoundTrips)
{
	for (unsigned mt = 0; mt < DFG_NR_MT; mt++) {
		for (unsigned o = 0; o <= DFG_MAX_ORDER; o++) {
			u32 v = dfg_pi_khead(mt, o);
			EXPECT_FALSE(dfg_pi_is_key(v)) << mt << ' ' << o;
			EXPECT_TRUE(DFG_PI_IS_KHEAD(v));
			EXPECT_FALSE(dfg_pi_is_pcp(v));
			EXPECT_EQ(DFG_PI_KHEAD_MT(v), mt);
			EXPECT_EQ(DFG_PI_KHEAD_ORDER(v), o);
			EXPECT_EQ(dfg_pi_mt(v), mt);
		}
		EXPECT_TRUE(dfg_pi_is_pcp(dfg_pi_pcp(mt)));
		EXPECT_FALSE(DFG_PI_IS_KHEAD(dfg_pi_pcp(mt)));
		EXPECT_EQ(dfg_pi_mt(dfg_pi_pcp(mt)), mt);
		EXPECT_EQ(dfg_parse_mt(dfg_mt_name(mt)), static_cast<int>(mt));
	}
	EXPECT_FALSE(dfg_pi_is_pcp(DFG_PI_TAIL));
	EXPECT_FALSE(dfg_pi_is_pcp(DFG_PI_ORPHAN));
	EXPECT_FALSE(dfg_pi_is_key(DFG_PI_FREE));
	EXPECT_EQ(dfg_parse_mt("movablex"), -1);
	EXPECT_STREQ(dfg_mt_name(DFG_NR_MT), "?");
	EXPECT_EQ(dfg_parse_policy("grouping"), DFG_POLICY_GROUPING);
	EXPECT_EQ(dfg_parse_policy("g"), -1);
	EXPECT_STREQ(dfg_policy_name(DFG_NR_POLICIES), "?");
}

// Free, split, huge, free again, handed back: states, counters, map.
TEST_F(DefragCoreLife, BlockLife)
{
	init(DFG_POLICY_GROUPING);
	dfg_alloc_req req, run;
	u32 *pinfo = nullptr;

	// No block: the group asks for one; then for a per-page array.
	EXPECT_EQ(alloc(&req, DFG_MT_UNMOVABLE, 0,
			dfg_pi_khead(DFG_MT_UNMOVABLE, 0), false),
		  DFG_NEED_BLOCK);
	dfg_block *b = add_block();
	ASSERT_NE(b, nullptr);
	EXPECT_EQ(render(), ".__");
	EXPECT_EQ(dfg_core_alloc(&g_, &req), DFG_NEED_PINFO);
	ASSERT_EQ(alloc(&req, DFG_MT_UNMOVABLE, 0,
			dfg_pi_khead(DFG_MT_UNMOVABLE, 0), false),
		  DFG_OK);
	ASSERT_EQ(req.blk, b);
	EXPECT_EQ(b->pinfo, arrays_[0].get());
	EXPECT_EQ(render(), "u__");
	check_sums();

	// Half the block and more: an upper-case letter.
	ASSERT_EQ(alloc(&run, DFG_MT_UNMOVABLE, 8,
			dfg_pi_khead(DFG_MT_UNMOVABLE, 8), false),
		  DFG_OK);
	EXPECT_EQ(run.idx % 256, 0u);
	EXPECT_EQ(b->pinfo[run.idx + 255], DFG_PI_TAIL);
	EXPECT_EQ(b->nr_free, DFG_BLOCK_PAGES - 257);
	EXPECT_EQ(render(), "U__");
	check_sums();

	// Wrong page, order or kind: refused, nothing changed.
	EXPECT_EQ(dfg_core_free_any(&g_, b, run.idx, 9, &pinfo),
		  DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_free(&g_, b, run.idx, 8,
				dfg_pi_khead(DFG_MT_MOVABLE, 8), &pinfo),
		  DFG_ERR_MISMATCH);
	EXPECT_EQ(b->nr_free, DFG_BLOCK_PAGES - 257);
	EXPECT_EQ(dfg_core_free_any(&g_, b, run.idx, 8, &pinfo), DFG_FREED);
	EXPECT_EQ(pinfo, nullptr);
	// The last page: the block is free, its array handed back.
	EXPECT_EQ(dfg_core_free_any(&g_, b, req.idx, 0, &pinfo),
		  DFG_FREED_EMPTY);
	EXPECT_EQ(pinfo, arrays_[0].get());
	EXPECT_EQ(g_.cnt.splits, 1u);
	EXPECT_EQ(g_.cnt.empties, 1u);
	EXPECT_EQ(render(), ".__");
	EXPECT_EQ(dfg_core_free_any(&g_, b, req.idx, 0, &pinfo),
		  DFG_ERR_STATE);
	check_sums();

	// Huge: the whole free block; a second one needs another block.
	ASSERT_EQ(alloc(&req, DFG_MT_MOVABLE, 9,
			dfg_pi_khead(DFG_MT_MOVABLE, 9), false),
		  DFG_OK);
	EXPECT_EQ(req.blk, b);
	EXPECT_EQ(b->state, DFG_BS_HUGE);
	EXPECT_EQ(g_.used[DFG_MT_MOVABLE], DFG_BLOCK_PAGES);
	EXPECT_EQ(render(), "#__");
	check_sums();
	EXPECT_EQ(alloc(&req, DFG_MT_MOVABLE, 9,
			dfg_pi_khead(DFG_MT_MOVABLE, 9), false),
		  DFG_NEED_BLOCK);
	g_.limit = 1;
	EXPECT_EQ(alloc(&req, DFG_MT_MOVABLE, 9,
			dfg_pi_khead(DFG_MT_MOVABLE, 9), true),
		  DFG_FAIL);
	EXPECT_EQ(g_.cnt.alloc_fails, 1u);
	EXPECT_EQ(dfg_core_free_huge(&g_, b), DFG_FREED_EMPTY);
	EXPECT_EQ(dfg_core_free_huge(&g_, b), DFG_ERR_STATE);
	EXPECT_EQ(g_.used[DFG_MT_MOVABLE], 0u);
	EXPECT_EQ(render(), ".__");

	// Handed back: a reserve is kept unless everything goes.
	g_.reserve = 1;
	EXPECT_EQ(dfg_core_trim(&g_, false), nullptr);
	EXPECT_EQ(dfg_core_trim(&g_, true), b);
	EXPECT_EQ(b->grp, nullptr);
	EXPECT_EQ(g_.nr_blocks, 0u);
	EXPECT_EQ(render(), "___");
}

// Grouping keeps unmovable and movable pages apart where first fit mixes
// them; teardown takes every block back, whatever its state.
TEST_F(DefragCoreLife, GroupingAgainstFirstFitAndTeardown)
{
	// The bpf policy without a program places as grouping does.
	const char *const want[DFG_NR_POLICIES] = {"um.", "u..", "um."};
	for (unsigned policy = 0; policy < DFG_NR_POLICIES; policy++) {
		SCOPED_TRACE(dfg_policy_name(policy));
		g_ = dfg_gcore{};
		nr_blocks_ = 0;
		for (auto &b : blk_)
			b = dfg_block{};
		init(policy);
		for (unsigned n = 0; n < kt_blocks; n++)
			ASSERT_NE(add_block(), nullptr);
		dfg_alloc_req u, mv;
		ASSERT_EQ(alloc(&u, DFG_MT_UNMOVABLE, 0,
				dfg_pi_khead(DFG_MT_UNMOVABLE, 0), false),
			  DFG_OK);
		// A movable page owned by a mapping: its key.
		ASSERT_EQ(alloc(&mv, DFG_MT_MOVABLE, 0, 4242, false), DFG_OK);
		EXPECT_EQ(mv.blk->pinfo[mv.idx], 4242u);
		EXPECT_EQ(u.blk, &blk_[0]);
		EXPECT_EQ(render(), want[policy]);
		dfg_summary s;
		dfg_core_summarize(&g_, &s);
		EXPECT_EQ(s.holding[DFG_MT_UNMOVABLE], 1u);
		if (policy != DFG_POLICY_FIRSTFIT) {
			EXPECT_NE(mv.blk, u.blk);
			EXPECT_EQ(s.mixed_blocks, 0u);
			EXPECT_EQ(s.unusable_milli,
				  (2u * 511) * 1000 / (2 * 511 + 512));
		} else {
			EXPECT_EQ(mv.blk, u.blk);
			EXPECT_EQ(s.mixed_blocks, 1u);
			EXPECT_EQ(s.unusable_milli, 510u * 1000 / (510 + 2 * 512));
		}
		check_sums();

		unsigned n = 0;
		while (dfg_core_take_any(&g_))
			n++;
		EXPECT_EQ(n, kt_blocks);
		EXPECT_EQ(g_.nr_blocks, 0u);
		EXPECT_EQ(g_.nr_split, 0u);
		EXPECT_EQ(g_.nr_free_blocks, 0u);
		EXPECT_EQ(g_.free_pages, 0u);
		for (unsigned t = 0; t < DFG_NR_MT; t++)
			EXPECT_EQ(g_.used[t], 0u);
		EXPECT_EQ(dfg_core_set_policy(&g_, static_cast<dfg_policy>(!policy)),
			  0);
	}
}

// Kernel runs split into order-0 pages and keyed (a mapping's), then
// planned: the sparsest evacuable block first, 'c' while isolated.
TEST_F(DefragCoreLife, KeyedRunsArePlannedSparsestFirst)
{
	init(DFG_POLICY_GROUPING);
	const u32 khead0 = dfg_pi_khead(DFG_MT_MOVABLE, 0);
	dfg_block *full[2];
	unsigned head[2];
	const unsigned orders[2] = {5, 3};
	const u32 keys[2] = {1000, 2000};
	std::vector<std::pair<unsigned, unsigned>> rest[2];
	dfg_alloc_req req;
	u32 *pinfo;

	// Both blocks full (2^o + 2^o + ... + 2^8 = 512) before either empties.
	for (int f = 0; f < 2; f++) {
		ASSERT_EQ(alloc(&req, DFG_MT_MOVABLE, orders[f],
				dfg_pi_khead(DFG_MT_MOVABLE, orders[f]), true),
			  DFG_OK);
		full[f] = req.blk;
		head[f] = req.idx;
		for (unsigned o = orders[f]; o < DFG_MAX_ORDER; o++) {
			ASSERT_EQ(alloc(&req, DFG_MT_MOVABLE, o,
					dfg_pi_khead(DFG_MT_MOVABLE, o), false),
				  DFG_OK);
			ASSERT_EQ(req.blk, full[f]);
			rest[f].emplace_back(req.idx, o);
		}
		EXPECT_EQ(full[f]->nr_free, 0u);
	}
	ASSERT_EQ(alloc(&req, DFG_MT_UNMOVABLE, 0,
			dfg_pi_khead(DFG_MT_UNMOVABLE, 0), true),
		  DFG_OK);
	EXPECT_EQ(render(), "MMu");
	for (int f = 0; f < 2; f++) {
		EXPECT_EQ(dfg_core_split_run(full[f], head[f], orders[f]), 0);
		for (unsigned i = 0; i < 1u << orders[f]; i++)
			EXPECT_EQ(dfg_core_set_pinfo(full[f], head[f] + i, khead0,
						     keys[f] + i),
				  0);
		// A key cannot turn into a page of another mobility.
		EXPECT_EQ(dfg_core_set_pinfo(full[f], head[f], keys[f],
					     dfg_pi_khead(DFG_MT_UNMOVABLE, 0)),
			  DFG_ERR_MISMATCH);
		for (auto [idx, o] : rest[f])
			EXPECT_EQ(dfg_core_free_any(&g_, full[f], idx, o, &pinfo),
				  DFG_FREED);
	}
	dfg_block *b32 = full[0], *b8 = full[1];
	EXPECT_TRUE(dfg_block_evacuable(b8));
	EXPECT_TRUE(dfg_block_evacuable(b32));
	EXPECT_FALSE(dfg_block_evacuable(req.blk));
	EXPECT_EQ(render(), "mmu");
	check_sums();

	dfg_block *src[kt_blocks];
	u64 moves = 0;
	EXPECT_EQ(dfg_core_compact_plan(&g_, 1, src, kt_blocks, &moves), 1u);
	EXPECT_EQ(src[0], b8);
	EXPECT_EQ(moves, 8u);
	EXPECT_EQ(render(), "mcu");
	dfg_core_compact_release(&g_, b8);
	EXPECT_EQ(g_.nr_isolated, 0u);

	EXPECT_EQ(dfg_core_compact_plan(&g_, 0, src, kt_blocks, &moves), 2u);
	EXPECT_EQ(src[0], b8);
	EXPECT_EQ(src[1], b32);
	EXPECT_EQ(moves, 40u);
	EXPECT_EQ(render(), "ccu");
	check_sums();
	// Moved pages land in the holes of the block that stays.
	req = dfg_alloc_req{};
	req.mt = DFG_MT_MOVABLE;
	req.mode = DFG_AM_COMPACT;
	req.head = 3000;
	EXPECT_EQ(dfg_core_alloc(&g_, &req), DFG_OK);
	EXPECT_EQ(req.blk, &blk_[2]);
	EXPECT_EQ(g_.cnt.fills, 1u);
	dfg_core_compact_release(&g_, b8);
	dfg_core_compact_release(&g_, b32);
	EXPECT_EQ(render(), "mmu");
	check_sums();
}

// A bound run (a MAGNET reservation) moves whole: the plan takes a source
// only when aligned runs of free pages elsewhere can take its bound runs,
// a moved run gets an aligned order-3 destination, and freeing any page of
// a bound run unbinds it.
TEST_F(DefragCore, BoundRunsMoveWhole)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	unsigned idx, h;
	dfg_block *b = alloc_ok(DFG_MT_MOVABLE, 3, &idx);
	EXPECT_EQ(dfg_core_bind_run(b, idx), 0);
	EXPECT_TRUE(dfg_run_bound(b, idx + 7));
	EXPECT_EQ(dfg_core_bind_run(b, idx + 1), DFG_ERR_MISMATCH);
	// A run with a free page cannot be bound.
	EXPECT_EQ(dfg_core_bind_run(b, idx + 8), DFG_ERR_MISMATCH);
	ASSERT_EQ(dfg_core_split_run(b, idx, 3), 0);
	for (unsigned i = 0; i < 8; i++)
		ASSERT_EQ(dfg_core_set_pinfo(b, idx + i,
					     dfg_pi_khead(DFG_MT_MOVABLE, 0),
					     1000 + i),
			  0);
	EXPECT_TRUE(dfg_block_evacuable(b));

	// The other block: full but for single-page holes, no aligned run.
	dfg_block *o = nullptr;
	std::vector<unsigned> held;
	{
		dfg_alloc_req req;
		give_pinfo();
		add_block();
		for (unsigned i = 0; i < 2 * DFG_BLOCK_PAGES; i++) {
			if (alloc(DFG_MT_UNMOVABLE, 0, &req, 0, 0, true) != DFG_OK)
				break;
			if (req.blk == b)
				continue;
			o = req.blk;
			held.push_back(req.idx);
			if (o->nr_free == 0)
				break;
		}
	}
	ASSERT_NE(o, nullptr);
	ASSERT_EQ(o->nr_free, 0u);
	u32 *pinfo;
	for (unsigned i = 0; i < held.size(); i += 2)
		ASSERT_GE(dfg_core_free_any(&g_, o, held[i], 0, &pinfo), 0);
	EXPECT_EQ(o->nr_free, DFG_BLOCK_PAGES / 2);

	dfg_block *src[4];
	u64 moves = 0;
	// 256 single holes could take 8 pages, but not the bound run.
	EXPECT_EQ(dfg_core_compact_plan(&g_, 0, src, 4, &moves), 0u);
	dfg_alloc_req req;

	// An aligned run of free pages in the other block: now it can.
	h = held[1] & ~(DFG_RUN_PAGES - 1);
	for (unsigned i = 1; i < held.size(); i += 2) {
		if (held[i] >= h && held[i] < h + DFG_RUN_PAGES) {
			ASSERT_GE(dfg_core_free_any(&g_, o, held[i], 0, &pinfo),
				  0);
		}
	}
	EXPECT_EQ(dfg_fm_count_run(o->freemap, h), DFG_RUN_PAGES);
	EXPECT_EQ(dfg_core_compact_plan(&g_, 0, src, 4, &moves), 1u);
	EXPECT_EQ(src[0], b);
	EXPECT_EQ(moves, 8u);
	EXPECT_EQ(alloc(DFG_MT_MOVABLE, 3, &req, 0, DFG_AF_NOEVICT |
			DFG_AF_NOCOMPACT, false, DFG_AM_COMPACT),
		  DFG_OK);
	EXPECT_EQ(req.blk, o);
	EXPECT_EQ(req.idx, h);
	dfg_core_compact_release(&g_, b);

	// Freeing one page of the bound run unbinds it.
	EXPECT_EQ(dfg_core_free(&g_, b, idx + 3, 0, 1003, &pinfo), DFG_FREED);
	EXPECT_FALSE(dfg_run_bound(b, idx));
}

// A poisoned free page is never handed out again: allocations skip it, its
// block never becomes free (so is never offered whole), and when the
// block's other pages go it holds nothing but orphans and leaves the group.
TEST_F(DefragCore, PoisonedFreePageIsNeverHandedOut)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	unsigned ui;
	dfg_block *b = alloc_ok(DFG_MT_UNMOVABLE, 0, &ui);
	const unsigned bad = ui + 1;
	ASSERT_EQ(b->pinfo[bad], DFG_PI_FREE);
	EXPECT_EQ(dfg_core_poison_free(&g_, b, ui), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_poison_free(&g_, b, DFG_BLOCK_PAGES),
		  DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_poison_free(&g_, b, bad), 0);
	EXPECT_EQ(dfg_core_poison_free(&g_, b, bad), DFG_ERR_MISMATCH);
	EXPECT_EQ(b->pinfo[bad], DFG_PI_ORPHAN);
	EXPECT_EQ(b->nr_free, DFG_BLOCK_PAGES - 2);
	EXPECT_EQ(g_.free_pages, DFG_BLOCK_PAGES - 2ul);

	// Every other page of the block can be taken, the poisoned one never.
	for (unsigned n = 0; n < DFG_BLOCK_PAGES - 2; n++) {
		dfg_alloc_req req;
		ASSERT_EQ(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_NOBLOCK |
				DFG_AF_NOEVICT | DFG_AF_NOCOMPACT), DFG_OK);
		EXPECT_EQ(req.blk, b);
		EXPECT_NE(req.idx, bad);
	}
	dfg_alloc_req req;
	EXPECT_NE(alloc(DFG_MT_UNMOVABLE, 0, &req, 0, DFG_AF_NOBLOCK |
			DFG_AF_NOEVICT | DFG_AF_NOCOMPACT), DFG_OK);

	// Freed down to the poisoned page, the block is not free: it leaves.
	u32 *pinfo = reinterpret_cast<u32 *>(1);
	int last = DFG_FREED;
	for (unsigned i = 0; i < DFG_BLOCK_PAGES; i++)
		if (b->pinfo[i] != DFG_PI_ORPHAN && b->pinfo[i] != DFG_PI_FREE)
			last = dfg_core_free_any(&g_, b, i, 0, &pinfo);
	EXPECT_EQ(last, DFG_FREED_EMPTY);
	EXPECT_EQ(pinfo, nullptr);
	EXPECT_EQ(g_.nr_free_blocks, 0u);
	EXPECT_EQ(dfg_core_trim(&g_, false), b);
	EXPECT_EQ(g_.nr_blocks, 0u);
	EXPECT_EQ(g_.used[DFG_MT_UNMOVABLE], 0u);
	EXPECT_EQ(g_.free_pages, 0u);
}

// A block whose pages are known to hold zeros hands each out clean once:
// a run is clean when all its pages were, a freed page never is again, and
// a 2 MiB allocation is clean only from an untouched block.
TEST_F(DefragCore, CleanPagesAreHandedOutCleanOnce)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *b = add_block();
	u64 clean[DFG_FM_WORDS];
	for (u64 &w : clean)
		w = ~0ULL;
	b->clean = clean;
	dfg_alloc_req req;
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 0, DFG_AF_NOBLOCK), DFG_OK);
	EXPECT_TRUE(req.clean);
	const unsigned first = req.idx;
	EXPECT_FALSE(dfg_fm_all_set(clean, first, 1));
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, 2, &req, 0, DFG_AF_NOBLOCK), DFG_OK);
	EXPECT_TRUE(req.clean);
	u32 *pinfo = nullptr;
	EXPECT_EQ(dfg_core_free_any(&g_, b, first, 0, &pinfo), DFG_FREED);
	// The freed page comes back dirty (best fit takes the hole).
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, 0, &req, 0, DFG_AF_NOBLOCK), DFG_OK);
	EXPECT_EQ(req.idx, first);
	EXPECT_FALSE(req.clean);
	EXPECT_EQ(dfg_fm_count(clean), DFG_BLOCK_PAGES - 5);

	// A block without the map is never clean; a whole untouched one is.
	dfg_block *c = add_block();
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, DFG_MAX_ORDER, &req, 0, DFG_AF_NOBLOCK),
		  DFG_OK);
	EXPECT_EQ(req.blk, c);
	EXPECT_FALSE(req.clean);
	u64 clean2[DFG_FM_WORDS];
	for (u64 &w : clean2)
		w = ~0ULL;
	dfg_block *d = add_block();
	d->clean = clean2;
	ASSERT_EQ(alloc(DFG_MT_MOVABLE, DFG_MAX_ORDER, &req, 0, DFG_AF_NOBLOCK),
		  DFG_OK);
	EXPECT_EQ(req.blk, d);
	EXPECT_TRUE(req.clean);
	EXPECT_EQ(dfg_fm_count(clean2), 0u);
}

// A free block can be taken out of its group by name (a poisoned one).
TEST_F(DefragCore, TakeFreeBlock)
{
	init(DFG_POLICY_GROUPING);
	dfg_block *a = add_block();
	dfg_block *b = add_block();
	unsigned idx;
	EXPECT_EQ(alloc_ok(DFG_MT_MOVABLE, 0, &idx), a);
	EXPECT_EQ(dfg_core_take_free(&g_, a), DFG_ERR_STATE);
	EXPECT_EQ(dfg_core_take_free(&g_, b), 0);
	EXPECT_EQ(b->grp, nullptr);
	EXPECT_EQ(dfg_core_take_free(&g_, b), DFG_ERR_STATE);
	EXPECT_EQ(g_.nr_blocks, 1u);
	EXPECT_EQ(g_.nr_free_blocks, 0u);
}

// A block holding nothing but orphans leaves the group: freeing its last
// other page answers DFG_FREED_EMPTY without an array to give back, and
// dfg_core_trim() takes it out (whatever the reserve), its array attached.
TEST_F(DefragCore, OrphanOnlyBlockIsTrimmed)
{
	init(DFG_POLICY_GROUPING);
	add_block();
	g_.reserve = 4;
	unsigned ki, oi;
	dfg_block *b = alloc_ok(DFG_MT_MOVABLE, 0, &ki, 777);
	dfg_block *o = alloc_ok(DFG_MT_MOVABLE, 0, &oi);
	ASSERT_EQ(b, o);
	EXPECT_EQ(dfg_core_orphan(&g_, b, oi, 777), DFG_ERR_MISMATCH);
	EXPECT_EQ(dfg_core_orphan(&g_, b, ki, 777), 0);
	EXPECT_EQ(b->pinfo[ki], DFG_PI_ORPHAN);
	EXPECT_EQ(dfg_core_trim(&g_, false), nullptr);
	u32 *pinfo = reinterpret_cast<u32 *>(1);
	EXPECT_EQ(dfg_core_free_any(&g_, b, oi, 0, &pinfo), DFG_FREED_EMPTY);
	EXPECT_EQ(pinfo, nullptr);
	EXPECT_EQ(g_.nr_orphaned, 1u);
	EXPECT_EQ(dfg_core_trim(&g_, false), b);
	EXPECT_EQ(b->grp, nullptr);
	EXPECT_NE(b->pinfo, nullptr);
	EXPECT_EQ(g_.nr_blocks, 0u);
	EXPECT_EQ(g_.nr_split, 0u);
	EXPECT_EQ(g_.nr_orphaned, 0u);
	EXPECT_EQ(g_.used[DFG_MT_MOVABLE], 0u);
	EXPECT_EQ(g_.free_pages, 0u);

	// Orphaning the last page of a block does the same at once.
	add_block();
	dfg_block *c = alloc_ok(DFG_MT_MOVABLE, 0, &ki, 900);
	EXPECT_EQ(dfg_core_orphan(&g_, c, ki, 900), 1);
	EXPECT_EQ(dfg_core_trim(&g_, false), c);
	EXPECT_EQ(g_.nr_blocks, 0u);
}
