/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm DEFRAG: the placement plan a BPF program returns.
 *
 * A group whose policy is HPMM_DEFRAG_POLICY_BPF places each allocation of
 * orders 0 to 8 by a plan: up to eight steps, one per byte of a __u64,
 * the lowest byte first, tried in order until one places the allocation
 * or asks the mechanism for something (an eviction, a fresh block,
 * compaction). A plan that runs out of steps fails the allocation. The
 * plan comes from the "plan" operation of struct hpmm_defrag_ops, a BPF
 * struct_ops type the module registers on kernels that let a module do so
 * (6.9 and later: debugfs hpmm/defrag/bpf says "supported: 1"). A plan of 0,
 * or no program attached, is the grouping policy's own plan (see
 * HPMM_DFG_PLAN_GROUPING_*), so a BPF program may decide only some cases.
 * Order-9 allocations and where compaction moves pages stay the module's.
 *
 * A step is an operation in bits 0-3, a mobility (0 unmovable, 1 movable,
 * 2 reclaimable) in bits 4-5 and HPMM_DFG_STEP_EMPTIEST in bit 6.
 */
#ifndef _UAPI_HPMM_DEFRAG_BPF_H
#define _UAPI_HPMM_DEFRAG_BPF_H

#include <linux/types.h>

/*
 * Step operations:
 * @HPMM_DFG_STEP_END: the end of the plan
 * @HPMM_DFG_STEP_TAKE: a free run in a split block of the step's mobility,
 *	the fullest first (the emptiest first with HPMM_DFG_STEP_EMPTIEST)
 * @HPMM_DFG_STEP_PACK: an immobile allocation's own blocks, fullest first:
 *	a free run, else movable pages to evict from a run (the step's
 *	mobility must be the allocation's, and immobile)
 * @HPMM_DFG_STEP_FRESH: a free block the group holds, split for the step's
 *	mobility
 * @HPMM_DFG_STEP_GROW: a new block from the bottom half, while the group
 *	is under its limit
 * @HPMM_DFG_STEP_STEAL: the emptiest movable block with room, retyped to
 *	the allocation's immobile mobility
 * @HPMM_DFG_STEP_COMPACT: compaction of the group (orders above 0)
 *
 * Under the mechanism's fast path (no request allowed), a plan ends at
 * its first step that is not a TAKE or a PACK; a FRESH there is tried
 * only for a movable allocation into a movable block.
 */
#define HPMM_DFG_STEP_END	0
#define HPMM_DFG_STEP_TAKE	1
#define HPMM_DFG_STEP_PACK	2
#define HPMM_DFG_STEP_FRESH	3
#define HPMM_DFG_STEP_GROW	4
#define HPMM_DFG_STEP_STEAL	5
#define HPMM_DFG_STEP_COMPACT	6
#define HPMM_DFG_NR_STEP_OPS	7

#define HPMM_DFG_STEP_EMPTIEST	0x40
#define HPMM_DFG_PLAN_STEPS	8

/* One step: operation @op on blocks of mobility @mt. */
#define HPMM_DFG_STEP(op, mt)	((__u8)((op) | ((mt) << 4)))
#define HPMM_DFG_STEP_OP(s)	((s) & 0xf)
#define HPMM_DFG_STEP_MT(s)	(((s) >> 4) & 0x3)

/* Step @i of a plan, in place. */
#define HPMM_DFG_PLAN(s, i)	((__u64)(s) << (8 * (i)))

/*
 * The grouping policy's plans (kernel/defrag/core.c): a movable allocation
 * takes the fullest movable block, a free block, a new one, then holes in
 * immobile blocks (the emptiest first), then asks for compaction; an
 * immobile one packs its own blocks (evicting movable pages), then a free
 * block, a new one, the fullest block of the other immobile type, then
 * steals a movable block.
 */
#define HPMM_DFG_PLAN_GROUPING_MOVABLE					\
	(HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_TAKE, 1), 0) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_FRESH, 1), 1) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_GROW, 0), 2) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_TAKE, 0) |		\
		       HPMM_DFG_STEP_EMPTIEST, 3) |			\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_TAKE, 2) |		\
		       HPMM_DFG_STEP_EMPTIEST, 4) |			\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_COMPACT, 0), 5))

#define HPMM_DFG_PLAN_GROUPING_UNMOVABLE				\
	(HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_PACK, 0), 0) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_FRESH, 0), 1) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_GROW, 0), 2) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_TAKE, 2), 3) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_STEAL, 0), 4))

#define HPMM_DFG_PLAN_GROUPING_RECLAIMABLE				\
	(HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_PACK, 2), 0) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_FRESH, 2), 1) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_GROW, 0), 2) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_TAKE, 0), 3) |	\
	 HPMM_DFG_PLAN(HPMM_DFG_STEP(HPMM_DFG_STEP_STEAL, 0), 4))

/**
 * struct hpmm_defrag_plan_ctx - what a plan is asked for
 * @mt: the allocation's mobility (0 unmovable, 1 movable, 2 reclaimable)
 * @order: its order, 0 to 8
 * @nid: the node it must come from, or -1
 * @group_id: the group's id (debugfs hpmm/defrag/groups/NAME/stats)
 * @nr_blocks: blocks the group holds, free ones included
 * @nr_free_blocks: free blocks the group holds
 * @nr_split: split blocks
 * @limit: most blocks the group may hold; 0: no limit
 * @free_pages: free pages in split blocks
 * @used: allocated pages by mobility
 *
 * Read-only for the program.
 */
struct hpmm_defrag_plan_ctx {
	__u32 mt;
	__u32 order;
	__s32 nid;
	__u32 group_id;
	__u32 nr_blocks;
	__u32 nr_free_blocks;
	__u32 nr_split;
	__u32 limit;
	__u64 free_pages;
	__u64 used[3];
};

#endif /* _UAPI_HPMM_DEFRAG_BPF_H */
