/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG core: block bookkeeping and the grouping policy, as pure logic.
 *
 * This file and core.c include only kernel headers that the host layer
 * (tools/include/linux/) provides too, so they build into the module and
 * into host programs (tools/defrag/: the Google Test suite and the
 * simulator). They never allocate, sleep or lock: the caller holds the
 * group's lock around every call and provides blocks, per-page arrays and
 * page moves (the mechanism: the other files of kernel/defrag/, or the
 * simulator).
 *
 * A block is 2^9 pages that the bottom half took from the page allocator in
 * one piece. It is free, huge (handed out whole) or split into pages that
 * are handed out as aligned runs of 2^order pages, order 0 to 8. Every
 * split block has a type (unmovable, movable or reclaimable, numbered as
 * the kernel's migratetypes) and a per-page info array (pinfo) saying what
 * each page is: free, the head of a run held by a kernel caller, a tail of
 * such a run, parked in a per-CPU cache, or owned by a mapping, in which
 * case the value is the page's key (its global page offset, the reverse map
 * that lets the mechanism find and move it).
 */
#ifndef _HPMM_DEFRAG_CORE_H
#define _HPMM_DEFRAG_CORE_H

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DFG_BLOCK_ORDER		9
#define DFG_BLOCK_PAGES		512U	/* 1 << DFG_BLOCK_ORDER */
#define DFG_MAX_ORDER		DFG_BLOCK_ORDER
#define DFG_FM_WORDS		(DFG_BLOCK_PAGES / 64)
/* Bucket 0 holds full blocks, bucket b blocks with 32(b-1) < free <= 32b. */
#define DFG_BUCKET_PAGES	32
#define DFG_NR_BUCKETS		(DFG_BLOCK_PAGES / DFG_BUCKET_PAGES + 1)

/**
 * enum dfg_mt - mobility of an allocation, numbered as the kernel's
 *	migratetypes (gfp_migratetype())
 * @DFG_MT_UNMOVABLE: never moves
 * @DFG_MT_MOVABLE: can be moved (hpmm moves pages owned by a mapping)
 * @DFG_MT_RECLAIMABLE: can be freed on demand, never moves
 * @DFG_NR_MT: number of mobility types
 */
enum dfg_mt {
	DFG_MT_UNMOVABLE,
	DFG_MT_MOVABLE,
	DFG_MT_RECLAIMABLE,
	DFG_NR_MT,
};

/**
 * enum dfg_policy - how a group places allocations in its blocks
 * @DFG_POLICY_GROUPING: mobility grouping: immobile pages packed into
 *	blocks of their type, fullest first; movable pages may fill holes in
 *	immobile blocks before a fresh block is claimed; an immobile
 *	allocation that finds no room evicts movable pages from a block of
 *	its type before it claims a fresh block
 * @DFG_POLICY_FIRSTFIT: the baseline: the lowest-addressed block with room,
 *	whatever the mobility
 * @DFG_POLICY_BPF: grouping's block lists, each allocation placed by the
 *	plan &dfg_gcore.plan returns (a BPF program's,
 *	include/uapi/hpmm-defrag-bpf.h); grouping's own plan when there is
 *	none or it returns 0
 * @DFG_NR_POLICIES: number of policies
 *
 * The values are the uapi's HPMM_DEFRAG_POLICY_* (include/uapi/hpmm-defrag.h).
 */
enum dfg_policy {
	DFG_POLICY_GROUPING,
	DFG_POLICY_FIRSTFIT,
	DFG_POLICY_BPF,
	DFG_NR_POLICIES,
};

/**
 * enum dfg_bstate - state of a block
 * @DFG_BS_FREE: all pages free, no per-page array
 * @DFG_BS_HUGE: handed out whole (an order-9 allocation)
 * @DFG_BS_SPLIT: handed out as runs of pages; has a per-page array
 */
enum dfg_bstate {
	DFG_BS_FREE,
	DFG_BS_HUGE,
	DFG_BS_SPLIT,
};

/*
 * Bound runs: an aligned run of 2^DFG_RUN_ORDER pages whose pages must stay
 * physical neighbours (a MAGNET reservation) is moved whole by compaction,
 * into one aligned run of free pages, or not at all.
 */
#define DFG_RUN_ORDER		3
#define DFG_RUN_PAGES		8U	/* 1 << DFG_RUN_ORDER */

/* Block flags. */
#define DFG_BF_ISOLATED	0x01	/* a compaction source: nothing is allocated from it */

/*
 * Per-page info values. Below DFG_PI_KEY_LIMIT: a page owned by a mapping
 * (always movable); the value is its key.
 */
#define DFG_PI_KEY_LIMIT	0xf0000000U
#define DFG_PI_KHEAD_BASE	0xf0000000U
#define DFG_PI_IS_KHEAD(v)	(((v) & 0xffffff00U) == DFG_PI_KHEAD_BASE)
#define DFG_PI_KHEAD_MT(v)	(((v) >> 4) & 0xfU)
#define DFG_PI_KHEAD_ORDER(v)	((v) & 0xfU)
#define DFG_PI_TAIL		0xfffffff0U	/* not the first page of a run */
#define DFG_PI_ORPHAN		0xfffffff2U	/* freed by its mapping while still referenced */
#define DFG_PI_PCP_BASE		0xfffffff4U
#define DFG_PI_FREE		0xffffffffU

static inline bool dfg_pi_is_key(u32 v)
{
	return v < DFG_PI_KEY_LIMIT;
}

/* Head of a run of 2^order pages of mobility mt held by a kernel caller. */
static inline u32 dfg_pi_khead(unsigned int mt, unsigned int order)
{
	return DFG_PI_KHEAD_BASE | mt << 4 | order;
}

/* A page of mobility mt parked in a per-CPU cache. */
static inline u32 dfg_pi_pcp(unsigned int mt)
{
	return DFG_PI_PCP_BASE + mt;
}

static inline bool dfg_pi_is_pcp(u32 v)
{
	return v >= DFG_PI_PCP_BASE && v < DFG_PI_PCP_BASE + DFG_NR_MT;
}

/**
 * struct dfg_block - metadata of one 2 MiB block (the bottom half's unit)
 * @node: on exactly one list of the owning group (or the pool's)
 * @pfn: first page frame number, a multiple of DFG_BLOCK_PAGES
 * @grp: the group that holds the block, NULL while it is in the pool
 * @pinfo: DFG_BLOCK_PAGES per-page values while split, else NULL
 * @freemap: one bit per page, set when the page is free (split blocks)
 * @nr_free: pages free (split blocks)
 * @nr_used: allocated pages by mobility; a huge block counts all its pages
 * @state: an enum dfg_bstate
 * @type: an enum dfg_mt, the block's mobility type while split or huge
 * @bucket: the fullness bucket the block is listed in (grouping policy)
 * @flags: DFG_BF_*
 * @nid: the NUMA node of its pages (the mechanism's, set before the block
 *	joins a group)
 * @nr_orphan: split blocks: pages given up to their last holders
 *	(DFG_PI_ORPHAN); a block holding nothing else leaves its group
 * @runs: split blocks: bit r set while pages r * DFG_RUN_PAGES to
 *	(r + 1) * DFG_RUN_PAGES - 1 are a bound run (dfg_core_bind_run());
 *	freeing any of its pages unbinds it
 * @clean: NULL, or one bit per page set while the page is known to hold
 *	only zeros (the mechanism's: a block the page allocator zeroed); the
 *	core clears a page's bit when it hands the page out and says in the
 *	request whether the run was clean (&dfg_alloc_req.clean), so that a
 *	page is zeroed once, not twice; a freed page is never clean again
 *
 * The per-page array is not part of this struct: it is allocated when the
 * block is split and freed when the block is free again.
 */
struct dfg_block {
	struct list_head node;
	unsigned long pfn;
	struct dfg_gcore *grp;
	u32 *pinfo;
	u64 freemap[DFG_FM_WORDS];
	u16 nr_free;
	u16 nr_used[DFG_NR_MT];
	u8 state;
	u8 type;
	u8 bucket;
	u8 flags;
	u16 nr_orphan;
	u16 nid;
	u64 runs;
	u64 *clean;
};

/**
 * struct dfg_gcounters - what a group's policy did, since creation
 * @allocs: successful allocations by mobility (any order)
 * @alloc_fails: allocations the core could not place
 * @fills: movable runs placed in holes of immobile blocks
 * @fallbacks: immobile runs placed in a block of the other immobile type
 * @steals: movable blocks retyped to take an immobile run
 * @retypes: immobile blocks retyped to movable when their last immobile
 *	page was freed
 * @splits: free blocks split
 * @empties: split blocks that became free again
 * @huge: order-9 allocations
 * @evict_requests: times an immobile allocation asked for movable pages to
 *	be evicted from a block of its type
 * @bad_plans: plans refused (DFG_POLICY_BPF): a step that is no
 *	operation, or does not apply to the allocation; the allocation
 *	fails
 */
struct dfg_gcounters {
	u64 allocs[DFG_NR_MT];
	u64 alloc_fails;
	u64 fills;
	u64 fallbacks;
	u64 steals;
	u64 retypes;
	u64 splits;
	u64 empties;
	u64 huge;
	u64 evict_requests;
	u64 bad_plans;
};

struct dfg_alloc_req;

/**
 * struct dfg_gcore - the core state of one allocation group
 * @policy: an enum dfg_policy
 * @limit: most blocks the group may hold, free ones included; 0: no limit
 * @reserve: free blocks the group keeps instead of giving them back
 * @nr_blocks: blocks held (free + huge + split)
 * @nr_free_blocks: free blocks held
 * @nr_huge: huge blocks
 * @nr_split: split blocks (isolated ones included)
 * @nr_isolated: split blocks isolated as compaction sources
 * @nr_orphaned: split blocks holding nothing but orphans, waiting on
 *	@orphaned for dfg_core_trim() to take them out
 * @free_pages: free pages in split blocks
 * @used: allocated pages by mobility, huge blocks included
 * @free_list: free blocks
 * @huge_list: huge blocks
 * @isolated: isolated split blocks
 * @orphaned: split blocks holding nothing but orphans
 * @bucket: grouping policy: split blocks by type and fullness bucket
 * @ff: firstfit policy: split blocks by address
 * @spare_pinfo: a fresh per-page array for the next split, provided by the
 *	mechanism when dfg_core_alloc() returns DFG_NEED_PINFO
 * @plan: DFG_POLICY_BPF: the plan for an allocation of orders 0 to
 *	DFG_MAX_ORDER - 1 (include/uapi/hpmm-defrag-bpf.h), called with the
 *	group's lock held; NULL or 0: grouping's plan
 * @cnt: counters
 */
struct dfg_gcore {
	u8 policy;
	unsigned int limit;
	unsigned int reserve;
	unsigned int nr_blocks;
	unsigned int nr_free_blocks;
	unsigned int nr_huge;
	unsigned int nr_split;
	unsigned int nr_isolated;
	unsigned int nr_orphaned;
	unsigned long free_pages;
	unsigned long used[DFG_NR_MT];
	struct list_head free_list;
	struct list_head huge_list;
	struct list_head isolated;
	struct list_head orphaned;
	struct list_head bucket[DFG_NR_MT][DFG_NR_BUCKETS];
	struct list_head ff;
	u32 *spare_pinfo;
	u64 (*plan)(const struct dfg_gcore *g,
		    const struct dfg_alloc_req *req);
	struct dfg_gcounters cnt;
};

/* Allocation request flags. */
#define DFG_AF_NOEVICT		0x01	/* do not ask for an eviction */
#define DFG_AF_NOBLOCK		0x02	/* do not ask for a block from outside */
#define DFG_AF_NOCOMPACT	0x04	/* do not ask for compaction */
/*
 * Only room the group has (for movable runs, a free block too when a spare
 * array is set), no eviction, no request: else DFG_FAIL.
 */
#define DFG_AF_FAST		0x08
/* Only blocks of node &dfg_alloc_req.nid (a fresh block: from that node). */
#define DFG_AF_THISNODE		0x10

/**
 * enum dfg_amode - what an allocation is for
 * @DFG_AM_NORMAL: a caller's allocation, placed by the group's policy
 * @DFG_AM_COMPACT: the destination of a page moved by compaction: a hole
 *	in an immobile block, else the fullest movable block; never a free
 *	block, never an isolated one
 * @DFG_AM_EVICT: the destination of a movable page evicted from an
 *	immobile block: a movable block, else a free block, else a new one
 */
enum dfg_amode {
	DFG_AM_NORMAL,
	DFG_AM_COMPACT,
	DFG_AM_EVICT,
};

/**
 * struct dfg_alloc_req - one allocation asked of the core
 * @mt: mobility (enum dfg_mt)
 * @order: 0 to DFG_MAX_ORDER
 * @flags: DFG_AF_*
 * @mode: an enum dfg_amode
 * @head: per-page value of the first page: dfg_pi_khead(@mt, @order), a
 *	key (then @mt is movable and @order 0) or dfg_pi_pcp(@mt) (order 0)
 * @blk: out: the block (DFG_OK, DFG_NEED_EVICT)
 * @idx: out: the first page in @blk (DFG_OK) or of the run to evict
 *	(DFG_NEED_EVICT)
 * @clean: out (DFG_OK): every page of the run was known to hold zeros
 *	(&dfg_block.clean)
 * @nid: with DFG_AF_THISNODE, the node whose blocks may take the run
 */
struct dfg_alloc_req {
	u8 mt;
	u8 order;
	u8 flags;
	u8 mode;
	u16 nid;
	u32 head;
	struct dfg_block *blk;
	unsigned int idx;
	bool clean;
};

/* Results of dfg_core_alloc(). */
enum dfg_alloc_res {
	DFG_OK,			/* placed: @blk, @idx */
	DFG_NEED_PINFO,		/* set @spare_pinfo and call again */
	DFG_NEED_BLOCK,		/* add a block (dfg_core_add_block()) and call again */
	DFG_NEED_EVICT,		/* move the keyed pages of run @blk/@idx away, call again */
	DFG_NEED_COMPACT,	/* compact the group, then call again */
	DFG_FAIL,
};

/* Results of dfg_core_free(): >= 0 success, < 0 refused (nothing changed). */
enum dfg_free_res {
	DFG_FREED = 0,
	/*
	 * and the block is free: give back *pinfo; or (*pinfo NULL) it holds
	 * nothing but orphans: trim the group (dfg_core_trim() takes it)
	 */
	DFG_FREED_EMPTY = 1,
	DFG_ERR_FREE = -1,	/* the page is free already: a double free */
	DFG_ERR_MISMATCH = -2,	/* not the head of a run of that order and kind */
	DFG_ERR_STATE = -3,	/* the block is not split */
};

/**
 * struct dfg_summary - a group's state, for debugfs and benchmarks
 * @blocks: blocks held
 * @free_blocks: free blocks held
 * @huge_blocks: huge blocks
 * @split_blocks: split blocks
 * @isolated_blocks: split blocks isolated for compaction
 * @type_blocks: split and huge blocks by type
 * @free_pages: free pages, free blocks included
 * @used: allocated pages by mobility
 * @holding: blocks holding at least one page of each mobility
 * @mixed_blocks: split blocks holding both immobile and movable pages
 * @pollution_milli: 1000 * @holding[unmovable] / the fewest blocks that
 *	could hold the unmovable pages (1000 when there are none)
 * @reclaimable_pollution_milli: the same for reclaimable pages
 * @unusable_milli: the order-9 unusable free space index (mm/vmstat.c
 *	unusable_free_index()), 0 to 1000
 */
struct dfg_summary {
	unsigned int blocks;
	unsigned int free_blocks;
	unsigned int huge_blocks;
	unsigned int split_blocks;
	unsigned int isolated_blocks;
	unsigned int type_blocks[DFG_NR_MT];
	unsigned long free_pages;
	unsigned long used[DFG_NR_MT];
	unsigned int holding[DFG_NR_MT];
	unsigned int mixed_blocks;
	unsigned int pollution_milli;
	unsigned int reclaimable_pollution_milli;
	unsigned int unusable_milli;
};

/* Free map: the first aligned run of 2^order free pages, or -1. */
int dfg_fm_find(const u64 *freemap, unsigned int order);
/*
 * An aligned run of 2^order free pages taken from the smallest maximal
 * free chunk that holds one (buddy best fit), or -1.
 */
int dfg_fm_find_best(const u64 *freemap, unsigned int order);
void dfg_fm_set(u64 *freemap, unsigned int idx, unsigned int n);
void dfg_fm_clear(u64 *freemap, unsigned int idx, unsigned int n);
bool dfg_fm_all_set(const u64 *freemap, unsigned int idx, unsigned int n);
unsigned int dfg_fm_count(const u64 *freemap);
/* Free pages in the aligned run of DFG_RUN_PAGES pages at @idx. */
unsigned int dfg_fm_count_run(const u64 *freemap, unsigned int idx);

/* The mobility of a page's per-page value (a key is movable). */
unsigned int dfg_pi_mt(u32 v);

void dfg_core_init(struct dfg_gcore *g, enum dfg_policy policy);
/*
 * Switches policy; between firstfit and the others only while the group
 * has no split block: -EBUSY.
 */
int dfg_core_set_policy(struct dfg_gcore *g, enum dfg_policy policy);
/* A block from outside joins the group as a free block. */
void dfg_core_add_block(struct dfg_gcore *g, struct dfg_block *blk);
/* Initialises a block that is about to be added (state free). */
void dfg_block_init(struct dfg_block *blk, unsigned long pfn);

int dfg_core_alloc(struct dfg_gcore *g, struct dfg_alloc_req *req);
/*
 * Up to @n order-0 pages of mobility @mt for a per-CPU cache (values
 * dfg_pi_pcp(@mt)), from room the group has (DFG_AF_FAST) in blocks of node
 * @nid (any node when @nid < 0): the first where the policy puts it, the
 * others from the same block while it has room.
 * Returns how many, stored in @blks/@idxs.
 */
unsigned int dfg_core_alloc_bulk(struct dfg_gcore *g, unsigned int mt,
				 int nid, unsigned int n, struct dfg_block **blks,
				 unsigned int *idxs);
/*
 * Frees the run of 2^@order pages at @blk/@idx, whose head must hold
 * @expect (dfg_pi_khead(any mt, @order) is matched by passing
 * DFG_PI_KHEAD_BASE | @order with mt bits ignored: see dfg_core_free_any()).
 * On DFG_FREED_EMPTY the block is free and *@pinfo is its per-page array,
 * for the caller to free.
 */
int dfg_core_free(struct dfg_gcore *g, struct dfg_block *blk, unsigned int idx,
		  unsigned int order, u32 expect, u32 **pinfo);
/* Frees a run held by a kernel caller, whatever its mobility. */
int dfg_core_free_any(struct dfg_gcore *g, struct dfg_block *blk,
		      unsigned int idx, unsigned int order, u32 **pinfo);
/* Frees a huge block: 0, or DFG_ERR_STATE when @blk is not huge. */
int dfg_core_free_huge(struct dfg_gcore *g, struct dfg_block *blk);
/* Changes one page's value from @old to @val: 0 or DFG_ERR_MISMATCH. */
int dfg_core_set_pinfo(struct dfg_block *blk, unsigned int idx, u32 old,
		       u32 val);
/*
 * Binds the DFG_RUN_PAGES allocated pages at @idx (aligned): compaction
 * moves them together. 0 or DFG_ERR_MISMATCH.
 */
int dfg_core_bind_run(struct dfg_block *blk, unsigned int idx);

static inline bool dfg_run_bound(const struct dfg_block *blk, unsigned int idx)
{
	return READ_ONCE(blk->runs) & (1ULL << (idx >> DFG_RUN_ORDER));
}

/*
 * Gives up keyed page @idx (key @key) to whoever still holds it: its value
 * becomes DFG_PI_ORPHAN. 1 when the block now holds nothing but orphans
 * (dfg_core_trim() will take it out), 0, or DFG_ERR_MISMATCH.
 */
int dfg_core_orphan(struct dfg_gcore *g, struct dfg_block *blk,
		    unsigned int idx, u32 key);

/*
 * Hardware poison. A free page @idx of split block @blk is taken out of
 * use for good: it becomes an orphan counted as used by the block's type,
 * so it is never handed out, the block is never free (never offered whole)
 * and compaction never picks it. 1 when the block now holds nothing but
 * orphans (dfg_core_trim() will take it out), 0, or DFG_ERR_MISMATCH when
 * the page is not free in a split block.
 */
int dfg_core_poison_free(struct dfg_gcore *g, struct dfg_block *blk,
			 unsigned int idx);
/*
 * Takes free block @blk out of the group (a poisoned one must not be
 * offered again): 0, or DFG_ERR_STATE when it is not one of @g's free
 * blocks.
 */
int dfg_core_take_free(struct dfg_gcore *g, struct dfg_block *blk);

/* Turns a kernel run of 2^@order pages into 2^@order order-0 runs. */
int dfg_core_split_run(struct dfg_block *blk, unsigned int idx,
		       unsigned int order);
/*
 * A block holding nothing but orphans, else a free block beyond the
 * group's reserve (or any free block when @all), taken out of the group,
 * or NULL. A block of orphans keeps its per-page array (the mechanism
 * gives its free pages back and leaves the orphans to their holders).
 */
struct dfg_block *dfg_core_trim(struct dfg_gcore *g, bool all);
/*
 * Teardown: any block of the group, whatever its state, taken out of the
 * group (its per-page array stays attached), or NULL when none is left.
 */
struct dfg_block *dfg_core_take_any(struct dfg_gcore *g);

/*
 * Compaction. Chooses the sparsest split blocks whose every allocated page
 * is keyed (so can be moved), as many as the other blocks' holes can take
 * (at most @want, 0 for no bound, and @cap), isolates them and stores them
 * in @src. *@moves is the number of keyed pages they hold: the fewest moves
 * that can recover that many blocks. Returns the number chosen.
 */
unsigned int dfg_core_compact_plan(struct dfg_gcore *g, unsigned int want,
				   struct dfg_block **src, unsigned int cap,
				   u64 *moves);
/* Ends a source's isolation if it is still split. */
void dfg_core_compact_release(struct dfg_gcore *g, struct dfg_block *blk);
/* Whether every allocated page of a split block is keyed. */
bool dfg_block_evacuable(const struct dfg_block *blk);

/* Called for each block by dfg_core_walk(). */
typedef void (*dfg_block_fn)(const struct dfg_block *blk, void *arg);

void dfg_core_summarize(const struct dfg_gcore *g, struct dfg_summary *s);
/* One character for a block in a block map (Documentation/defrag.rst). */
char dfg_block_char(const struct dfg_block *blk);
/* Calls @fn for every block of the group. */
void dfg_core_walk(const struct dfg_gcore *g, dfg_block_fn fn, void *arg);
/* Total allocated pages of a block. */
unsigned int dfg_block_used(const struct dfg_block *blk);
/* Parses "unmovable"/"u"... and "grouping"/"firstfit": value or -1. */
int dfg_parse_mt(const char *s);
int dfg_parse_policy(const char *s);
const char *dfg_mt_name(unsigned int mt);
const char *dfg_policy_name(unsigned int policy);

#ifdef __KERNEL__
/* The dfg_block_type tracepoint (kernel/defrag/group.c); group lock held. */
void dfg_trace_retype(const struct dfg_gcore *g, const struct dfg_block *blk,
		      unsigned int new_mt);
#else
#define dfg_trace_retype(g, blk, new_mt) ((void)(g), (void)(blk), (void)(new_mt))
#endif

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_DEFRAG_CORE_H */
