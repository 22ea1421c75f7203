/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG: the two-half block allocator with allocation groups, mobility
 * grouping and per-group compaction (Documentation/defrag.rst).
 *
 * The first half of this header is what other components use: groups,
 * dfg_alloc_pages()/dfg_free_pages(), and the hooks through which MAGNET
 * serves faults in hpmm mappings. The rest is shared by the files of
 * kernel/defrag/.
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

#include "core.h"
#include "hpmm.h"

struct cgroup;
struct dentry;
struct seq_file;
struct vm_fault;

struct dfg_group;
struct dfg_map;

/* ---- API for other components ------------------------------------------ */

/*
 * A reference on group @id, or when @id is 0 on the group bound to the
 * nearest cgroup of the current task, else on the default group. NULL when
 * there is no such group or it is being destroyed.
 */
struct dfg_group *dfg_group_get(u64 id);
void dfg_group_put(struct dfg_group *g);
u64 dfg_group_id(const struct dfg_group *g);

/*
 * 2^@order pages (@order 0 to 9), physically contiguous and aligned, from
 * @g (NULL: the current task's group, as dfg_group_get(0)). Mobility comes
 * from @gfp as gfp_migratetype() takes it; __GFP_ZERO and init_on_alloc
 * are honoured; may sleep (evict, compact, take a block) only when @gfp
 * allows blocking. The pages are not compound: each has its own refcount.
 */
struct page *dfg_alloc_pages(struct dfg_group *g, gfp_t gfp,
			     unsigned int order);
/*
 * Frees what dfg_alloc_pages() returned. 0; -EINVAL, with a pr_err and a
 * counter and nothing changed, for a page hpmm does not own, a double free,
 * a wrong order or a page owned by a mapping; -EBUSY when a page is still
 * referenced or mapped.
 */
int dfg_free_pages(struct page *page, unsigned int order);
/* Makes a run from dfg_alloc_pages(.., order) 2^order order-0 runs. */
int dfg_split_pages(struct page *page, unsigned int order);

/**
 * struct dfg_map_hooks - how MAGNET (or any component) serves faults in
 *	hpmm mappings
 * @open: a mapping is created with @flags (HPMM_DEFRAG_MAP_*): 0 to serve
 *	it (may set dfg_map_set_private()), -errno to refuse the mmap
 * @fault_page: the page at index @idx of @map is not present: return a
 *	page from dfg_alloc_pages(dfg_map_group(map), ..., 0) (or an order-0
 *	page of a run split by dfg_split_pages()) that the mapping takes
 *	over, zeroed; or NULL to let DEFRAG allocate one
 * @vma_close: a VMA of @map is going away (munmap, exit)
 * @release: the last reference to @map is gone; free private data
 *
 * Called without locks held, in process context; may sleep. Only one set
 * of hooks can be registered.
 */
struct dfg_map_hooks {
	int (*open)(struct dfg_map *map, u64 flags);
	struct page *(*fault_page)(struct dfg_map *map, struct vm_fault *vmf,
				   unsigned long idx);
	void (*vma_close)(struct dfg_map *map, struct vm_area_struct *vma);
	void (*release)(struct dfg_map *map);
};

int dfg_register_map_hooks(const struct dfg_map_hooks *hooks);
void dfg_unregister_map_hooks(const struct dfg_map_hooks *hooks);
struct dfg_group *dfg_map_group(struct dfg_map *map);
u64 dfg_map_flags(struct dfg_map *map);
unsigned long dfg_map_pages(struct dfg_map *map);
void *dfg_map_private(struct dfg_map *map);
void dfg_map_set_private(struct dfg_map *map, void *priv);

/* ---- inside DEFRAG -------------------------------------------------------- */

#define DFG_NAME_MAX		32
#define DFG_PCP_HIGH		128
#define DFG_PCP_BATCH		32
/* Largest mmap of /dev/hpmm. */
#define DFG_MAP_MAX_PAGES	BIT(20)
#define DFG_DEFAULT_GROUP_ID	1
#define DFG_DEFAULT_THRESHOLD	600
#define DFG_DEFAULT_PAYG_LOW	0

/**
 * struct dfg_kblock - a block as the module holds it
 * @b: the core's metadata
 * @rcu: frees the struct after lockless readers (dfg_free_pages()) are done
 */
struct dfg_kblock {
	struct dfg_block b;
	struct rcu_head rcu;
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
 * @DFG_CW_REQUEST: a debugfs command or a benchmark
 * @DFG_CW_ALLOC: an allocation that found no free block
 * @DFG_CW_BACKGROUND: the worker, over the fragmentation threshold
 */
enum dfg_compact_why {
	DFG_CW_REQUEST,
	DFG_CW_ALLOC,
	DFG_CW_BACKGROUND,
};

/**
 * struct dfg_group - an allocation group
 * @core: blocks and policy state, under @lock
 * @lock: guards @core and the per-page arrays of its blocks
 * @id: number used by the uapi; 1 is the default group
 * @name: debugfs name
 * @users: references (the registry holds one); see dfg_group_get()
 * @dying: set while destroy checks that nothing uses the group
 * @internal: made by the replay, not listed in debugfs
 * @module_ref: holds a module reference (made through debugfs)
 * @cgrp: the cgroup v2 whose tasks are charged here, or NULL
 * @cgpath: its path, as given ("" when unbound), under @lock
 * @pcp: per-CPU order-0 caches
 * @trim_pin: while non-zero no block leaves the group (compaction and
 *	eviction keep pointers to blocks)
 * @compact_mutex: one compaction or eviction at a time
 * @compact_work: the background compaction worker
 * @threshold: order-9 unusable index (per mille) above which the worker
 *	runs; 1000 disables it
 * @cstats: compaction counters, under @compact_mutex
 * @defer_until: jiffies before which the worker is not started again (its
 *	last run recovered nothing)
 * @bad_frees: frees of this group's pages that were refused
 * @dir: debugfs directory
 * @node: in the registry's list (RCU)
 * @rcu: frees the group after RCU readers
 */
struct dfg_group {
	struct dfg_gcore core;
	spinlock_t lock; /* guards core */
	u64 id;
	char name[DFG_NAME_MAX];
	refcount_t users;
	bool dying;
	bool internal;
	bool module_ref;
	struct cgroup *cgrp;
	char cgpath[HPMM_CMD_MAX];
	struct dfg_pcp __percpu *pcp;
	unsigned int trim_pin;
	struct mutex compact_mutex; /* one compaction at a time */
	struct delayed_work compact_work;
	unsigned int threshold;
	struct dfg_cstats cstats;
	unsigned long defer_until;
	atomic64_t bad_frees;
	struct dentry *dir;
	struct list_head node;
	struct rcu_head rcu;
};

struct dfg_obj;

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
 * @lock: guards @slots
 * @slots: the page at each index, or NULL
 * @group: where its pages come from (a reference)
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
	spinlock_t lock; /* guards slots */
	struct page **slots;
	struct dfg_group *group;
	const struct dfg_obj_ops *ops;
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
 * @fault_hooked: of those, served by the registered hooks
 * @fault_failures: faults answered with SIGBUS (group at its limit)
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
};

extern struct dfg_stats dfg_stats;

/* block.c: the bottom half */
int dfg_block_init_global(void);
void dfg_block_exit_global(void);
struct dfg_kblock *dfg_block_lookup(unsigned long pfn);
struct dfg_block *dfg_block_acquire(gfp_t gfp);
void dfg_block_release(struct dfg_block *blk);
void dfg_pool_set_low(unsigned int low);
unsigned int dfg_pool_low(void);
unsigned int dfg_pool_count(void);
unsigned long dfg_blocks_held(void);
u32 *dfg_pinfo_alloc(gfp_t gfp);
void dfg_pinfo_free(u32 *pinfo);
void dfg_pool_walk(dfg_block_fn fn, void *arg);

/* alloc.c: the top half */
struct page *dfg_alloc_group(struct dfg_group *g, gfp_t gfp,
			     unsigned int order);
struct page *dfg_alloc_keyed(struct dfg_group *g, u32 key, gfp_t gfp);
struct page *dfg_alloc_target(struct dfg_group *g, u8 mode, u32 key);
int dfg_free_keyed(struct dfg_group *g, struct page *page, u32 key);
int dfg_adopt_page(struct dfg_group *g, struct page *page, u32 key);
void dfg_orphan_page(struct dfg_group *g, struct page *page, u32 key);
void dfg_group_drain(struct dfg_group *g);
void dfg_group_trim(struct dfg_group *g, bool all);
int dfg_group_fill_reserve(struct dfg_group *g);
int dfg_core_retry(struct dfg_group *g, struct dfg_alloc_req *req, gfp_t gfp);
static inline struct page *dfg_blk_page(const struct dfg_block *blk,
					unsigned int idx)
{
	return pfn_to_page(blk->pfn + idx);
}

/* group.c */
int dfg_groups_init(void);
void dfg_groups_exit(void);
struct dfg_group *dfg_group_create(const char *name, bool internal,
				   enum dfg_policy policy);
struct dfg_group *dfg_group_create_locked(const char *name,
					  enum dfg_policy policy);
int dfg_group_destroy(struct dfg_group *g);
int dfg_group_destroy_by_name(const char *name);
struct dfg_group *dfg_group_find_name(const char *name);
int dfg_group_bind(struct dfg_group *g, const char *path);
void dfg_group_check_background(struct dfg_group *g);
typedef void (*dfg_group_fn)(struct dfg_group *g, void *arg);
void dfg_groups_walk(dfg_group_fn fn, void *arg);
extern struct mutex dfg_groups_mutex;

/* map.c: keyed objects, mmap of /dev/hpmm, moving pages */
int dfg_obj_init(struct dfg_obj *obj, struct dfg_group *g, unsigned long nr,
		 const struct dfg_obj_ops *ops);
void dfg_obj_put(struct dfg_obj *obj);
int dfg_move_page(struct dfg_group *g, struct dfg_block *blk,
		  unsigned int idx, u8 mode);
int dfg_mmap(struct vm_area_struct *vma, struct dfg_group *g, u64 flags);
void dfg_maps_exit(void);
unsigned long dfg_maps_live(void);

/* compact.c */
int dfg_compact(struct dfg_group *g, unsigned int want,
		enum dfg_compact_why why);
int dfg_evict(struct dfg_group *g, struct dfg_block *blk, unsigned int idx,
	      unsigned int order);
void dfg_compact_worker(struct work_struct *work);

/* debugfs.c */
void dfg_debugfs_init_groups(struct dentry *dir);
int dfg_debugfs_init(struct dentry *dir);
void dfg_debugfs_group_add(struct dfg_group *g);
void dfg_debugfs_group_remove(struct dfg_group *g);
void dfg_group_show_stats(struct seq_file *m, struct dfg_group *g);

/* replay.c */
int dfg_replay_init(struct dentry *dir);
void dfg_replay_exit(void);

/* selfcheck.c */
int dfg_selfcheck(void);

#endif /* _HPMM_DEFRAG_DEFRAG_H */
