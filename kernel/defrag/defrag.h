/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG: the two-half block allocator with allocation groups, mobility
 * grouping and per-group compaction (Documentation/defrag.rst).
 *
 * The first half of this header is DEFRAG's API: groups and their
 * settings, dfg_alloc_pages()/dfg_free_pages(), keyed objects, and the
 * placement policies that serve faults in hpmm mappings (MAGNET is one,
 * kernel/defrag/placement/). hpmm.ko exports what hpmm_test.ko uses, in
 * namespace HPMM. The rest is shared by the files of kernel/defrag/.
 *
 * The core (core.c, the groups' state) owns everything; the ioctls of
 * /dev/hpmm (ioctl.c) and debugfs (debugfs.c) are its clients.
 */
#ifndef _HPMM_DEFRAG_DEFRAG_H
#define _HPMM_DEFRAG_DEFRAG_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/hpmm-defrag.h>

#include "chardev.h"
#include "core.h"
#include "hpmm.h"

struct cgroup;
struct dentry;
struct seq_file;
struct vm_fault;

struct dfg_group;
struct dfg_map;
struct dfg_obj;

/* ---- groups ------------------------------------------------------------ */

/* The longest group name, its NUL included. */
#define DFG_NAME_MAX		HPMM_DEFRAG_NAME_MAX
/* The largest reserve, in blocks. */
#define DFG_RESERVE_MAX		HPMM_DEFRAG_RESERVE_MAX
#define DFG_THRESHOLD_OFF	1000
#define DFG_DEFAULT_THRESHOLD	600

/* Which fields of struct dfg_knobs are given: the uapi's bits. */
#define DFG_KNOB_POLICY		HPMM_DEFRAG_GROUP_POLICY
#define DFG_KNOB_LIMIT		HPMM_DEFRAG_GROUP_LIMIT
#define DFG_KNOB_RESERVE	HPMM_DEFRAG_GROUP_RESERVE
#define DFG_KNOB_THRESHOLD	HPMM_DEFRAG_GROUP_THRESHOLD
#define DFG_KNOB_CGROUP		HPMM_DEFRAG_GROUP_CGROUP
#define DFG_KNOBS_ALL		HPMM_DEFRAG_GROUP_FIELDS

/**
 * struct dfg_knobs - a group's settings, as creating or changing it gives
 *	them
 * @fields: DFG_KNOB_* of the fields given
 * @policy: an enum dfg_policy (the uapi's HPMM_DEFRAG_POLICY_* values)
 * @limit: the most blocks the group may hold, free ones included; 0: none
 * @reserve: free blocks it keeps, at most DFG_RESERVE_MAX
 * @threshold: order-9 unusable index (per mille) above which background
 *	compaction runs; DFG_THRESHOLD_OFF disables it
 * @cgrp: the cgroup v2 whose tasks it serves (a reference the group takes
 *	over, also when setting fails), or NULL: none
 */
struct dfg_knobs {
	u64 fields;
	unsigned int policy;
	unsigned int limit;
	unsigned int reserve;
	unsigned int threshold;
	struct cgroup *cgrp;
};

/*
 * A reference on the group with id @id, whatever file of /dev/hpmm owns
 * it; for 0, on the group bound to the nearest cgroup of the current task,
 * else on the default group. NULL when there is none or it is going away.
 */
struct dfg_group *dfg_group_get(u64 id);
/* Drops a reference; the last one frees a group that was destroyed. */
void dfg_group_put(struct dfg_group *g);
/* Another reference on a group the caller holds one on. */
void dfg_group_hold(struct dfg_group *g);
u64 dfg_group_id(const struct dfg_group *g);
int dfg_group_set(struct dfg_group *g, const struct dfg_knobs *k);

/*
 * A group of the kernel's own (hpmm_test.ko's replay and checks): not
 * listed, bound to no cgroup, no background compaction. Destroyed with
 * dfg_group_destroy_internal() once nothing of it is allocated.
 */
struct dfg_group *dfg_group_create_internal(const char *name,
					    enum dfg_policy policy);
void dfg_group_destroy_internal(struct dfg_group *g);

/* The group's state, its per-CPU caches drained first. */
void dfg_group_summarize(struct dfg_group *g, struct dfg_summary *s);
/* Calls @fn for every block of @g, under the group's lock. */
void dfg_group_walk(struct dfg_group *g, dfg_block_fn fn, void *arg);
/* Gives the pages cached per CPU back to the group. */
void dfg_group_drain(struct dfg_group *g);

/**
 * struct dfg_cstats - a group's compaction counters
 * @runs: compaction runs, by reason (enum dfg_compact_why)
 * @planned: blocks chosen as sources
 * @moved: pages moved
 * @move_failures: pages that could not be moved (pinned, busy, no room)
 * @recovered: blocks emptied
 * @min_moves: the fewest moves that could have emptied as many blocks
 * @ns: time spent compacting, nanoseconds
 * @evict_runs: eviction runs for immobile allocations
 * @evicted: pages moved by evictions
 */
struct dfg_cstats {
	u64 runs[3];
	u64 planned;
	u64 moved;
	u64 move_failures;
	u64 recovered;
	u64 min_moves;
	u64 ns;
	u64 evict_runs;
	u64 evicted;
};

/**
 * enum dfg_compact_why - what started a compaction run
 * @DFG_CW_REQUEST: a command (ioctl, debugfs)
 * @DFG_CW_ALLOC: an allocation that found no free block
 * @DFG_CW_BACKGROUND: the worker, over the fragmentation threshold
 */
enum dfg_compact_why {
	DFG_CW_REQUEST,
	DFG_CW_ALLOC,
	DFG_CW_BACKGROUND,
};

/*
 * Compacts @g: recovers up to @want blocks (0: as many as possible).
 * Returns the number of blocks recovered.
 */
unsigned int dfg_compact(struct dfg_group *g, unsigned int want,
			 enum dfg_compact_why why);
void dfg_group_compact_stats(struct dfg_group *g, struct dfg_cstats *cs);

/* ---- pages --------------------------------------------------------------- */

/*
 * 2^@order pages (@order 0 to 9), physically contiguous and aligned, from
 * @g, on which the caller holds a reference for as long as it holds the
 * pages. Mobility comes from @gfp as gfp_migratetype() takes it;
 * __GFP_ZERO and init_on_alloc are honoured; may sleep (evict, compact,
 * take a block) only when @gfp allows blocking. The pages are not
 * compound: each has its own refcount.
 */
struct page *dfg_alloc_pages(struct dfg_group *g, gfp_t gfp,
			     unsigned int order);
/*
 * The same from blocks of node @nid (NUMA_NO_NODE: the caller's local
 * node), else of the nodes after it in the kernel's fallback order
 * (its zonelist), else of any node: blocks the group holds on a node
 * first, then a fresh block from that node, node after node.
 */
struct page *dfg_alloc_pages_node(struct dfg_group *g, gfp_t gfp,
				  unsigned int order, int nid);
/*
 * Frees what dfg_alloc_pages() returned. 0; -EINVAL, with a pr_err and a
 * counter and nothing changed, for a page hpmm does not own, a double free,
 * a wrong order or a page owned by a mapping; -EBUSY when a page is still
 * referenced or mapped.
 */
int dfg_free_pages(struct page *page, unsigned int order);
/* Makes a run from dfg_alloc_pages(.., order) 2^order order-0 runs. */
int dfg_split_pages(struct page *page, unsigned int order);
/*
 * Binds the 2^@order pages at @page, allocated from DEFRAG (an order-@order
 * allocation, maybe split; @order must be DFG_RUN_ORDER): compaction moves
 * them together, into one aligned run, or leaves them, for as long as none
 * of them is freed. 0 or -EINVAL.
 */
int dfg_bind_pages(struct page *page, unsigned int order);

/**
 * struct dfg_obj_ops - what kind of owner a keyed object is
 * @unmap: drops every user mapping of page @idx (may sleep); NULL when
 *	the owner does not map its pages
 * @release: frees the container once the pages are gone
 */
struct dfg_obj_ops {
	void (*unmap)(struct dfg_obj *obj, unsigned long idx);
	void (*release)(struct dfg_obj *obj);
};

/**
 * struct dfg_obj - an owner of movable pages: a range of keys, one per page
 * @ref: references; the pages are freed with the last one
 * @base: first key (for a mapping, also its vm_pgoff)
 * @nr: pages
 * @pages: the page at each index that has one, sized by use (an untouched
 *	mapping of any size costs no array); its lock, dfg_obj_lock(), also
 *	guards the waiter counts in the pages' private fields
 * @group: where its pages come from (a reference, taken over by
 *	dfg_obj_init() and dropped with the last reference to the object)
 * @ops: how to unmap and release it
 * @rcu: frees the container after key lookups
 *
 * The per-page array of the page's block records the key (base + index):
 * that is the reverse map compaction uses to find the object and index of
 * a page it moves.
 */
struct dfg_obj {
	struct kref ref;
	unsigned long base;
	unsigned long nr;
	struct xarray pages;
	struct dfg_group *group;
	const struct dfg_obj_ops *ops;
	struct rcu_head rcu;
};

int dfg_obj_init(struct dfg_obj *obj, struct dfg_group *g, unsigned long nr,
		 const struct dfg_obj_ops *ops);

static inline void dfg_obj_lock(struct dfg_obj *obj)
{
	xa_lock(&obj->pages);
}

static inline void dfg_obj_unlock(struct dfg_obj *obj)
{
	xa_unlock(&obj->pages);
}

/* The page at index @idx of @obj, or NULL. */
static inline struct page *dfg_obj_page(struct dfg_obj *obj, unsigned long idx)
{
	return xa_load(&obj->pages, idx);
}

void dfg_obj_put(struct dfg_obj *obj);
/* A zeroed movable page of @g keyed @key (an object's page), or NULL. */
struct page *dfg_alloc_keyed(struct dfg_group *g, u32 key, gfp_t gfp);
/* Frees a page a keyed object owned: 0, or 1 when its block became free. */
int dfg_free_keyed(struct dfg_group *g, struct page *page, u32 key);

/* ---- placement of faults in hpmm mappings --------------------------------- */

/**
 * enum dfg_placement_id - the placement policies, by their uapi values
 *	(enum hpmm_defrag_placement)
 * @DFG_PLACEMENT_DEFAULT: the module parameter defrag_placement says
 * @DFG_PLACEMENT_PAGE: DEFRAG alone: one page per fault
 * @DFG_PLACEMENT_MAGNET: PTEMagnet reservations (placement/magnet.c)
 * @DFG_NR_PLACEMENTS: how many ids there are
 */
enum dfg_placement_id {
	DFG_PLACEMENT_DEFAULT = HPMM_DEFRAG_PLACEMENT_DEFAULT,
	DFG_PLACEMENT_PAGE = HPMM_DEFRAG_PLACEMENT_PAGE,
	DFG_PLACEMENT_MAGNET = HPMM_DEFRAG_PLACEMENT_MAGNET,
	DFG_NR_PLACEMENTS,
};

/**
 * struct dfg_placement_ops - a placement policy: how faults in an hpmm
 *	mapping get their pages
 * @name: as the module parameter defrag_placement and hpmmctl name it
 * @init: sets up the policy's state and its debugfs files under @root
 *	(hpmm/); may be NULL
 * @exit: undoes @init; no mapping uses the policy any more
 * @open: a mapping is created with this policy: 0 to serve it (may set
 *	dfg_map_set_private()), -errno to refuse the mmap; may be NULL
 * @fault_page: the page at index @idx of @map is not present: return a
 *	page from dfg_alloc_pages(dfg_map_group(map), ..., 0) (or an order-0
 *	page of a run split by dfg_split_pages()) that the mapping takes
 *	over, zeroed; or NULL to let DEFRAG allocate one. May be NULL.
 * @vma_close: a VMA of @map is going away (munmap, exit); may be NULL
 * @release: the last reference to @map is gone, its pages are freed: free
 *	private data; may be NULL
 *
 * Every hook is called without locks held, in process context, and may
 * sleep. The policies are listed in map.c, by enum dfg_placement_id.
 */
struct dfg_placement_ops {
	const char *name;
	int (*init)(struct dentry *root);
	void (*exit)(void);
	int (*open)(struct dfg_map *map);
	struct page *(*fault_page)(struct dfg_map *map, struct vm_fault *vmf,
				   unsigned long idx);
	void (*vma_close)(struct dfg_map *map, struct vm_area_struct *vma);
	void (*release)(struct dfg_map *map);
};

extern const struct dfg_placement_ops dfg_placement_magnet;

/* What a placement policy may ask of the mapping it serves. */
struct dfg_group *dfg_map_group(struct dfg_map *map);
unsigned long dfg_map_pages(struct dfg_map *map);
void *dfg_map_private(struct dfg_map *map);
void dfg_map_set_private(struct dfg_map *map, void *priv);

/* ---- inside DEFRAG ---------------------------------------------------------- */

#define DFG_PCP_HIGH		128
#define DFG_PCP_BATCH		32
/* Largest mmap of /dev/hpmm. */
#define DFG_MAP_MAX_PAGES	BIT(20)
#define DFG_DEFAULT_PAYG_LOW	0
#define DFG_PAYG_LOW_MAX	4096

/**
 * struct dfg_kblock - a block as the module holds it
 * @b: the core's metadata
 * @rcu: frees the struct after lockless readers (dfg_free_pages()) are done
 * @charged: its pages are charged to a memory cgroup (kmem): it never
 *	enters the pool, it goes back to the page allocator, which uncharges
 * @hwp_deferred: a page of it was poisoned while a caller held it (a huge
 *	block, a kernel run): counted once (hwpoison.c); group lock
 * @zeroings: pages of it DEFRAG zeroed since it was acquired (a page the
 *	page allocator handed over zeroed, &dfg_block.clean, is not zeroed
 *	again)
 */
struct dfg_kblock {
	struct dfg_block b;
	struct rcu_head rcu;
	bool charged;
	bool hwp_deferred;
	atomic_t zeroings;
};

/**
 * struct dfg_pinfo_buf - a split block's per-page array
 * @rcu: frees the array after lockless readers are done
 * @v: the per-page values (core.h DFG_PI_*)
 */
struct dfg_pinfo_buf {
	struct rcu_head rcu;
	u32 v[DFG_BLOCK_PAGES];
};

/**
 * struct dfg_pcp_ent - a page parked in a per-CPU cache
 * @page: the page
 * @blk: its block
 */
struct dfg_pcp_ent {
	struct page *page;
	struct dfg_block *blk;
};

/**
 * struct dfg_pcp - a group's order-0 cache on one CPU
 * @lock: taken with interrupts off; remote CPUs take it to drain
 * @count: pages cached, by mobility
 * @ent: the pages, by mobility
 */
struct dfg_pcp {
	spinlock_t lock; /* guards count and ent */
	unsigned int count[DFG_NR_MT];
	struct dfg_pcp_ent ent[DFG_NR_MT][DFG_PCP_HIGH];
};

/**
 * enum dfg_group_kind - who made a group, which decides its lifetime
 * @DFG_GROUP_DEFAULT: the module's, for tasks of no bound cgroup; lives
 *	until module exit
 * @DFG_GROUP_USER: an object of an open file of /dev/hpmm; destroyed by
 *	HPMM_IOCTL_DESTROY or with the file, freed with its last reference
 * @DFG_GROUP_INTERNAL: the kernel's own (dfg_group_create_internal()),
 *	not listed
 */
enum dfg_group_kind {
	DFG_GROUP_DEFAULT,
	DFG_GROUP_USER,
	DFG_GROUP_INTERNAL,
};

/**
 * struct dfg_group - an allocation group
 * @core: blocks and policy state, under @lock
 * @lock: guards @core and the per-page arrays of its blocks
 * @obj: a user group's object of /dev/hpmm (unused for the others)
 * @id: the uapi's id: its object id for a user group, 0 for the others
 * @kind: an enum dfg_group_kind
 * @name: debugfs name
 * @users: references: the registry's (until destroyed or released), each
 *	mapping's, each holder's of dfg_group_get(); see dfg_group_put()
 * @dying: set while destroy checks that nothing uses the group, and for
 *	good once it is released: no lookup finds it
 * @cgrp: the cgroup v2 whose tasks are charged here, or NULL
 * @cgpath: its path ("" when unbound), under @lock
 * @charged_blocks: blocks it holds that are charged to the memory cgroup
 *	of @cgrp (dfg_group_memcg())
 * @pcp: per-CPU order-0 caches
 * @trim_pin: while non-zero no block leaves the group (compaction and
 *	eviction keep pointers to blocks)
 * @compact_mutex: one compaction or eviction at a time
 * @compact_work: the background compaction worker
 * @free_work: frees the group after its last reference (dfg_group_put())
 * @threshold: order-9 unusable index (per mille) above which the worker
 *	runs; DFG_THRESHOLD_OFF disables it
 * @cstats: compaction counters, written by the holder of @compact_mutex
 *	as each page moves (WRITE_ONCE()), read without it
 * @defer_until: jiffies before which the worker is not started again (its
 *	last run recovered nothing)
 * @bad_frees: frees of this group's pages that were refused
 * @hwpoisoned: its pages taken out of use for hardware poison (free pages
 *	and mapped ones; see hwpoison.c)
 * @dir: debugfs directory
 * @node: in the registry's list (RCU)
 * @rcu: frees the group after RCU readers
 */
struct dfg_group {
	struct dfg_gcore core;
	spinlock_t lock; /* guards core */
	struct hpmm_object obj;
	u32 id;
	u8 kind;
	char name[DFG_NAME_MAX];
	refcount_t users;
	bool dying;
	struct cgroup *cgrp;
	char cgpath[HPMM_CMD_MAX];
	atomic_long_t charged_blocks;
	struct dfg_pcp __percpu *pcp;
	unsigned int trim_pin;
	struct mutex compact_mutex; /* one compaction at a time */
	struct delayed_work compact_work;
	struct work_struct free_work;
	unsigned int threshold;
	struct dfg_cstats cstats;
	unsigned long defer_until;
	atomic64_t bad_frees;
	atomic64_t hwpoisoned;
	struct dentry *dir;
	struct list_head node;
	struct rcu_head rcu;
};

/**
 * struct dfg_stats - module-wide counters
 * @blocks_acquired: blocks taken from the page allocator
 * @blocks_returned: blocks given back to it (PAYG)
 * @acquire_failures: order-9 allocations from the kernel that failed
 * @double_frees: frees of pages that were free
 * @foreign_frees: frees of pages hpmm does not own
 * @bad_order_frees: frees with a wrong order or of a run's tail page
 * @owned_frees: frees of pages owned by a mapping
 * @busy_frees: frees of pages still referenced or mapped
 * @bad_allocs: allocations with order > 9 or contradictory gfp
 * @orphans: pages given up because something still held them when their
 *	mapping went away
 * @fault_allocs: pages allocated by faults in hpmm mappings
 * @fault_hooked: of those, served by a placement policy's fault_page
 * @fault_failures: faults answered with SIGBUS (group at its limit)
 * @blocks_charged: blocks acquired charged to a group's memory cgroup
 * @charge_failures: blocks for a memory cgroup that it (memory.max) or
 *	the page allocator refused
 * @hwpoison_events: memory_failure() outcomes on pages of DEFRAG blocks
 * @hwpoisoned: pages taken out of use for hardware poison
 * @hwpoison_blocks: blocks given back to the kernel for a poisoned page
 *	(free ones, pooled ones, huge ones when freed)
 * @hwpoison_deferred: poisoned pages found in a run a kernel caller holds
 *	or a huge block (handled when freed)
 * @pages_zeroed: pages DEFRAG zeroed before handing them out
 * @zeroings_skipped: pages handed out without zeroing, because the page
 *	allocator had zeroed their block (init_on_alloc) and nothing had
 *	used them since
 */
struct dfg_stats {
	atomic64_t blocks_acquired;
	atomic64_t blocks_returned;
	atomic64_t acquire_failures;
	atomic64_t double_frees;
	atomic64_t foreign_frees;
	atomic64_t bad_order_frees;
	atomic64_t owned_frees;
	atomic64_t busy_frees;
	atomic64_t bad_allocs;
	atomic64_t orphans;
	atomic64_t fault_allocs;
	atomic64_t fault_hooked;
	atomic64_t fault_failures;
	atomic64_t blocks_charged;
	atomic64_t charge_failures;
	atomic64_t hwpoison_events;
	atomic64_t hwpoisoned;
	atomic64_t hwpoison_blocks;
	atomic64_t hwpoison_deferred;
	atomic64_t pages_zeroed;
	atomic64_t zeroings_skipped;
};

extern struct dfg_stats dfg_stats;

/* block.c: the bottom half */
int dfg_block_init_global(void);
void dfg_block_exit_global(void);
struct dfg_kblock *dfg_block_lookup(unsigned long pfn);
/*
 * A free block of node @nid (NUMA_NO_NODE: the local one), or with
 * !@thisnode of the next node in the kernel's fallback order.
 */
struct dfg_block *dfg_block_acquire(struct mem_cgroup *memcg, gfp_t gfp,
				    int nid, bool thisnode);
void dfg_block_release(struct dfg_block *blk);
/* Zeroes the 2^@order pages at @idx of @blk unless @clean; counts it. */
void dfg_block_zero(struct dfg_block *blk, unsigned int idx,
		    unsigned int order, bool clean);
/* Whether one of the 2^@order pages at @page has PG_hwpoison. */
bool dfg_pages_poisoned(struct page *page, unsigned int order);
/* Whether a page of @blk has PG_hwpoison: then it is never pooled. */
bool dfg_block_poisoned(const struct dfg_block *blk);
/* Takes @blk out of the pool, if it is there, back to the kernel. */
bool dfg_pool_drop(struct dfg_block *blk);
/*
 * Up to @max pfns of poisoned pages DEFRAG still has to take out of use:
 * in free blocks, free or cached or mapped pages of split blocks.
 */
unsigned int dfg_blocks_poisoned(unsigned long *pfns, unsigned int max);

/* hwpoison.c */
int dfg_hwpoison_init(void);
void dfg_hwpoison_exit(void);
int dfg_hwpoison_supported(void);
/* Looks for poisoned pages to take out of use, from a work item. */
void dfg_hwpoison_kick(void);
/* Counts a page of @g taken out of use for poison; @block: with its block. */
void dfg_hwpoison_count(struct dfg_group *g, bool block);
/*
 * Unmaps poisoned @page (key @key) of @g from its mapping, leaves its slot
 * poisoned (faults there are VM_FAULT_HWPOISON) and gives the page up:
 * 0, or -EAGAIN when it is no longer the mapping's page.
 */
int dfg_obj_poison(struct dfg_group *g, struct page *page, u32 key);
bool dfg_block_charged(const struct dfg_block *blk);
unsigned int dfg_pool_low(void);
unsigned int dfg_pool_count(void);
unsigned long dfg_blocks_held(void);
u32 *dfg_pinfo_alloc(gfp_t gfp);
void dfg_pinfo_free(u32 *pinfo);
void dfg_pool_walk(dfg_block_fn fn, void *arg);

/* alloc.c: the top half */
struct page *dfg_alloc_move_dest(struct dfg_group *g, u8 mode, u32 key,
				 int nid);
struct page *dfg_alloc_move_run(struct dfg_group *g, u8 mode, int nid);
int dfg_adopt_page(struct dfg_group *g, struct page *page, u32 key);
void dfg_orphan_page(struct dfg_group *g, struct page *page, u32 key);
/* The same without a warning: @page is given up on purpose (hwpoison). */
void dfg_give_up_page(struct dfg_group *g, struct page *page, u32 key);
void dfg_group_trim(struct dfg_group *g, bool all);
void dfg_group_put_block(struct dfg_group *g, struct dfg_block *blk);
int dfg_group_fill_reserve(struct dfg_group *g);
static inline struct page *dfg_blk_page(const struct dfg_block *blk,
					unsigned int idx)
{
	return pfn_to_page(blk->pfn + idx);
}

/* group.c: the registry and the groups' lifetime */
int dfg_groups_init(void);
void dfg_groups_exit(void);
struct dfg_group *dfg_group_new(const char *name, const struct dfg_knobs *k);
int dfg_group_publish(struct dfg_group *g, u32 id);
void dfg_group_abort(struct dfg_group *g);
int dfg_group_try_retire(struct dfg_group *g);
void dfg_group_remove(struct dfg_group *g);
void dfg_group_release(struct dfg_group *g);
bool dfg_group_tryget(struct dfg_group *g);
struct mem_cgroup *dfg_group_memcg(struct dfg_group *g);
struct dfg_group *dfg_group_find_name(const char *name);
void dfg_group_check_background(struct dfg_group *g);
typedef void (*dfg_group_fn)(struct dfg_group *g, void *arg);
void dfg_groups_walk(dfg_group_fn fn, void *arg);
extern struct mutex dfg_groups_mutex;

/* map.c: keyed objects, mmap of /dev/hpmm, moving pages */
int dfg_move_page(struct dfg_group *g, struct dfg_block *blk,
		  unsigned int idx, u8 mode);
int dfg_move_run(struct dfg_group *g, struct dfg_block *blk,
		 unsigned int idx, u8 mode);
int dfg_mmap(struct vm_area_struct *vma, struct dfg_group *g,
	     enum dfg_placement_id placement);
const struct dfg_placement_ops *dfg_placement(enum dfg_placement_id id);
enum dfg_placement_id dfg_placement_default(void);
/* bpf.c: placement plans from a BPF struct_ops program. */
void dfg_bpf_init(struct dentry *dir);
bool dfg_bpf_supported(void);
u64 dfg_bpf_plan(const struct dfg_gcore *core,
		 const struct dfg_alloc_req *req);

int dfg_placements_init(struct dentry *root);
void dfg_placements_exit(void);
void dfg_maps_exit(void);
unsigned long dfg_maps_live(void);

/* compact.c */
int dfg_evict(struct dfg_group *g, struct dfg_block *blk, unsigned int idx,
	      unsigned int order);
void dfg_compact_worker(struct work_struct *work);

/* ioctl.c: the uapi of /dev/hpmm */
#define DFG_NR_IOCTL_OPS	4
#define DFG_NR_OBJECT_OPS	1
extern const struct hpmm_ioctl_op dfg_ioctl_ops[DFG_NR_IOCTL_OPS];
extern const struct hpmm_object_ops dfg_object_ops[DFG_NR_OBJECT_OPS];
void dfg_file_release(struct hpmm_file *hfile);
int dfg_file_mmap(struct hpmm_file *hfile, struct vm_area_struct *vma);

/* debugfs.c */
void dfg_debugfs_init_groups(struct dentry *dir);
int dfg_debugfs_init(struct dentry *dir);
void dfg_debugfs_exit(void);
void dfg_debugfs_group_add(struct dfg_group *g);
void dfg_debugfs_group_remove(struct dfg_group *g);
void dfg_group_show_stats(struct seq_file *m, struct dfg_group *g);

#endif /* _HPMM_DEFRAG_DEFRAG_H */
