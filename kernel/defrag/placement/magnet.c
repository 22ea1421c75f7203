// SPDX-License-Identifier: GPL-2.0
/*
 * MAGNET: PTEMagnet reservations, a placement policy of DEFRAG mappings
 * (struct dfg_placement_ops, kernel/defrag/defrag.h).
 *
 * The first fault in a 32 KiB-aligned virtual group of an hpmm mapping
 * takes an aligned order-3 run (8 physically contiguous pages, whose PTEs
 * fill one 64-byte cache line) from the mapping's DEFRAG group, maps the
 * page matching the faulting address and keeps the other seven reserved
 * for the group's later faults. So pages that are virtual neighbours stay
 * physical neighbours however many processes fault at the same time.
 *
 * A DEFRAG mapping is one object whose pages are shared by all the VMAs
 * made from it (forks and splits included: they map the same virtual
 * range, since DEFRAG refuses expansion), so a reservation belongs to the
 * mapping, keyed by the mapping index of the group's first page; that is
 * the (mm, virtual group) key of PTEMagnet, shared with forked children
 * that see the very same pages. The key is computed from the faulting
 * address, so a VMA moved by mremap to another alignment gets groups of
 * its own.
 *
 * The run is bound (dfg_bind_pages()): DEFRAG's compaction and eviction
 * move its eight pages together into another aligned run, or leave them,
 * so a reservation stays contiguous however often its pages move.
 *
 * Unused reserved pages go back to DEFRAG when a VMA of the mm whose fault
 * reserved them is closed over them (munmap, exit; a forked child that
 * exits keeps its parent's reservations), when the mapping goes away, and under memory
 * pressure through a shrinker (oldest reservations first). Private VMAs
 * are left to DEFRAG: a write fault there copies the page into an
 * anonymous page of the kernel's, which no reservation could make
 * contiguous.
 *
 * Locking: magnet_lock (a spinlock, never held while allocating or
 * freeing pages) guards every reservation tree, the LRU list and the
 * reservations themselves, so the shrinker can run from reclaim entered
 * by our own allocation.
 */
#define pr_fmt(fmt) "hpmm: magnet: " fmt

#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "../../trace.h"
#include "../defrag.h"
#include "compat/shrinker.h"
#include "magnet.h"

/**
 * struct magnet_map - MAGNET state of one hpmm mapping served with
 *	reservations
 * @map: the DEFRAG mapping
 * @group: a reference on its group, held until every page went back
 * @resv: reservations by key (struct magnet_resv @key), under magnet_lock
 * @base: the mapping's first page offset (vm_pgoff of index 0), known
 *	after the first fault
 * @nr: pages in the mapping
 */
struct magnet_map {
	struct dfg_map *map;
	struct dfg_group *group;
	struct rb_root resv;
	unsigned long base;
	unsigned long nr;
};

/**
 * struct magnet_resv - one reserved order-3 run
 * @node: in its map's @resv tree
 * @lru: in magnet_lru, oldest first
 * @owner: its map
 * @mm: the mm whose fault made it (compared, never dereferenced)
 * @key: mapping index of the group's first page + MAGNET_RUN_PAGES
 * @pfn: the run's first page frame
 * @vaddr: the group's first virtual address when it was reserved
 * @unused: bit i set while page @pfn + i is reserved and not mapped
 */
struct magnet_resv {
	struct rb_node node;
	struct list_head lru;
	struct magnet_map *owner;
	const struct mm_struct *mm;
	unsigned long key;
	unsigned long pfn;
	unsigned long vaddr;
	u8 unused;
};

struct magnet_stats magnet_stats;

static DEFINE_SPINLOCK(magnet_lock);
static LIST_HEAD(magnet_lru);
static struct kmem_cache *magnet_resv_cache;

static struct magnet_resv *magnet_find(struct magnet_map *mm,
				       unsigned long key)
{
	struct rb_node *n = mm->resv.rb_node;

	while (n) {
		struct magnet_resv *r = rb_entry(n, struct magnet_resv, node);

		if (key < r->key)
			n = n->rb_left;
		else if (key > r->key)
			n = n->rb_right;
		else
			return r;
	}
	return NULL;
}

static void magnet_insert(struct magnet_map *mm, struct magnet_resv *new)
{
	struct rb_node **p = &mm->resv.rb_node, *parent = NULL;

	while (*p) {
		struct magnet_resv *r = rb_entry(*p, struct magnet_resv, node);

		parent = *p;
		p = new->key < r->key ? &(*p)->rb_left : &(*p)->rb_right;
	}
	rb_link_node(&new->node, parent, p);
	rb_insert_color(&new->node, &mm->resv);
	list_add_tail(&new->lru, &magnet_lru);
}

static void magnet_add_unused(long n)
{
	s64 now = atomic64_add_return(n, &magnet_stats.unused_reserved_now);
	s64 peak = atomic64_read(&magnet_stats.unused_reserved_peak);

	while (now > peak) {
		s64 old = atomic64_cmpxchg(&magnet_stats.unused_reserved_peak,
					   peak, now);

		if (old == peak)
			break;
		peak = old;
	}
}

void magnet_reset_peak(void)
{
	atomic64_set(&magnet_stats.unused_reserved_peak,
		     atomic64_read(&magnet_stats.unused_reserved_now));
}

/* Takes @r out of its tree and the LRU onto @out; magnet_lock held. */
static unsigned int magnet_detach(struct magnet_resv *r,
				  struct list_head *out)
{
	rb_erase(&r->node, &r->owner->resv);
	list_move_tail(&r->lru, out);
	return hweight8(r->unused);
}

/* Gives the unused pages of the detached reservations on @list back. */
static unsigned long magnet_free_list(struct list_head *list, u32 reason)
{
	struct magnet_resv *r, *tmp;
	unsigned long freed = 0;
	unsigned int i;

	list_for_each_entry_safe(r, tmp, list, lru) {
		for (i = 0; i < MAGNET_RUN_PAGES; i++) {
			if (!(r->unused & BIT(i)))
				continue;
			if (dfg_free_pages(pfn_to_page(r->pfn + i), 0))
				pr_err("could not free reserved pfn %#lx\n",
				       r->pfn + i);
			freed++;
		}
		list_del(&r->lru);
		kmem_cache_free(magnet_resv_cache, r);
	}
	if (freed) {
		magnet_add_unused(-(long)freed);
		trace_magnet_release(freed, reason);
	}
	return freed;
}

/*
 * Gives back the unused pages of the oldest reservations, at least @nr
 * pages when there are so many: how many went back.
 */
unsigned long magnet_shrink(unsigned long nr, u32 reason)
{
	struct magnet_resv *r, *tmp;
	unsigned long got = 0;
	LIST_HEAD(list);

	spin_lock(&magnet_lock);
	list_for_each_entry_safe(r, tmp, &magnet_lru, lru) {
		if (got >= nr)
			break;
		got += magnet_detach(r, &list);
	}
	spin_unlock(&magnet_lock);
	return magnet_free_list(&list, reason);
}

static unsigned long magnet_shrink_count(struct shrinker *s,
					 struct shrink_control *sc)
{
	s64 n = atomic64_read(&magnet_stats.unused_reserved_now);

	return n > 0 ? n : SHRINK_EMPTY;
}

static unsigned long magnet_shrink_scan(struct shrinker *s,
					struct shrink_control *sc)
{
	unsigned long freed = magnet_shrink(sc->nr_to_scan,
					    HPMM_TRACE_MAGNET_PRESSURE);

	atomic64_add(freed, &magnet_stats.shrinker_freed);
	return freed ? freed : SHRINK_STOP;
}

/*
 * An unused reserved page is only a placement hint and costs nothing to
 * do without: seeks = 0 makes every reclaim pass scan half of them
 * (do_shrink_slab()), whatever its priority.
 */
static struct hpmm_shrinker magnet_shrinker = {
	.count_objects = magnet_shrink_count,
	.scan_objects = magnet_shrink_scan,
	.seeks = 0,
};

/*
 * Gives back the reservations of @mm overlapping [@lo, @hi) (indexes) made
 * by faults of @owner (NULL: by anyone).
 */
static unsigned long magnet_release_range(struct magnet_map *mm,
					  const struct mm_struct *owner,
					  unsigned long lo, unsigned long hi,
					  u32 reason)
{
	struct magnet_resv *r;
	struct rb_node *n;
	LIST_HEAD(list);

	spin_lock(&magnet_lock);
	for (n = rb_first(&mm->resv); n;) {
		r = rb_entry(n, struct magnet_resv, node);
		n = rb_next(n);
		/* The run covers indexes [key - 8, key). */
		if (r->key > lo && r->key - MAGNET_RUN_PAGES < hi &&
		    (!owner || r->mm == owner))
			magnet_detach(r, &list);
	}
	spin_unlock(&magnet_lock);
	return magnet_free_list(&list, reason);
}

static int magnet_open(struct dfg_map *map)
{
	struct magnet_map *mm;

	mm = kzalloc(sizeof(*mm), GFP_KERNEL_ACCOUNT);
	if (!mm)
		return -ENOMEM;
	/* Reserved pages outlive the mapping's own reference briefly. */
	mm->group = dfg_map_group(map);
	dfg_group_hold(mm->group);
	mm->map = map;
	mm->resv = RB_ROOT;
	mm->nr = dfg_map_pages(map);
	dfg_map_set_private(map, mm);
	atomic64_inc(&magnet_stats.maps);
	return 0;
}

/* Hands out page @off of @r (magnet_lock held): the page, or NULL. */
static struct page *magnet_take(struct magnet_resv *r, unsigned int off)
{
	if (!(r->unused & BIT(off)))
		return NULL;
	r->unused &= ~BIT(off);
	list_move_tail(&r->lru, &magnet_lru);
	return pfn_to_page(r->pfn + off);
}

static struct page *magnet_fault_page(struct dfg_map *map,
				      struct vm_fault *vmf, unsigned long idx)
{
	struct magnet_map *mm = dfg_map_private(map);
	unsigned long vaddr = vmf->address & PAGE_MASK;
	unsigned int off = (vaddr >> PAGE_SHIFT) & (MAGNET_RUN_PAGES - 1);
	unsigned long key = idx + MAGNET_RUN_PAGES - off;
	struct magnet_resv *r, *new;
	struct page *page, *run;
	bool done = false;
	LIST_HEAD(list);

	if (!mm)
		return NULL;
	if (!(vmf->vma->vm_flags & VM_SHARED)) {
		atomic64_inc(&magnet_stats.private_skipped);
		return NULL;
	}
	/* The whole group must lie in the mapping. */
	if (key < MAGNET_RUN_PAGES || key > mm->nr) {
		atomic64_inc(&magnet_stats.edge_skipped);
		return NULL;
	}

	spin_lock(&magnet_lock);
	WRITE_ONCE(mm->base, vmf->pgoff - idx);
	r = magnet_find(mm, key);
	page = r ? magnet_take(r, off) : NULL;
	if (r && !r->unused)
		magnet_detach(r, &list);
	spin_unlock(&magnet_lock);
	if (r) {
		/* Used up (or the page went to a racing fault). */
		magnet_free_list(&list, HPMM_TRACE_MAGNET_UNMAP);
		if (!page)
			goto fallback;
		goto use;
	}

	new = kmem_cache_alloc(magnet_resv_cache, GFP_KERNEL_ACCOUNT);
	if (!new)
		goto fallback;
	run = dfg_alloc_pages(mm->group, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN,
			      MAGNET_ORDER);
	/* Once more: making a run may have lost a race for the pages. */
	if (!run)
		run = dfg_alloc_pages(mm->group,
				      GFP_HIGHUSER_MOVABLE | __GFP_NOWARN,
				      MAGNET_ORDER);
	if (!run) {
		kmem_cache_free(magnet_resv_cache, new);
		/*
		 * Make room for a single page: what the oldest reservations
		 * give back goes to this CPU's cache of the group, where an
		 * order-0 allocation finds it.
		 */
		magnet_shrink(MAGNET_RUN_PAGES, HPMM_TRACE_MAGNET_PRESSURE);
		page = dfg_alloc_pages(mm->group, GFP_HIGHUSER_MOVABLE, 0);
		atomic64_inc(&magnet_stats.fallbacks);
		if (page)
			clear_highpage(page);
		return page;
	}
	/* Split to be mapped page by page, bound to move together. */
	BUILD_BUG_ON(MAGNET_ORDER != DFG_RUN_ORDER);
	if (dfg_split_pages(run, MAGNET_ORDER) ||
	    dfg_bind_pages(run, MAGNET_ORDER)) {
		pr_err_ratelimited("could not split a reserved run\n");
		dfg_free_pages(run, MAGNET_ORDER);
		kmem_cache_free(magnet_resv_cache, new);
		goto fallback;
	}
	new->owner = mm;
	new->mm = vmf->vma->vm_mm;
	new->key = key;
	new->pfn = page_to_pfn(run);
	new->vaddr = vaddr - ((unsigned long)off << PAGE_SHIFT);
	new->unused = GENMASK(MAGNET_RUN_PAGES - 1, 0) & ~BIT(off);

	spin_lock(&magnet_lock);
	r = magnet_find(mm, key);
	if (r) {
		/* A racing fault reserved the group first: use its run. */
		page = magnet_take(r, off);
		if (!r->unused)
			magnet_detach(r, &list);
	} else {
		magnet_insert(mm, new);
		page = run + off;
		done = true;
	}
	spin_unlock(&magnet_lock);
	if (!done) {
		magnet_free_list(&list, HPMM_TRACE_MAGNET_UNMAP);
		for (off = 0; off < MAGNET_RUN_PAGES; off++)
			dfg_free_pages(run + off, 0);
		kmem_cache_free(magnet_resv_cache, new);
		if (!page)
			goto fallback;
		goto use;
	}
	/* @new is the tree's now: the shrinker may free it at any time. */
	atomic64_inc(&magnet_stats.reservations);
	magnet_add_unused(MAGNET_RUN_PAGES - 1);
	trace_magnet_reserve(task_tgid_nr(current),
			     vaddr - ((unsigned long)off << PAGE_SHIFT),
			     page_to_pfn(run));
	clear_highpage(page);
	return page;

use:
	magnet_add_unused(-1);
	atomic64_inc(&magnet_stats.faults_from_reservation);
	trace_magnet_use(task_tgid_nr(current), vaddr, page_to_pfn(page));
	clear_highpage(page);
	return page;

fallback:
	atomic64_inc(&magnet_stats.fallbacks);
	return NULL;
}

static void magnet_vma_close(struct dfg_map *map, struct vm_area_struct *vma)
{
	struct magnet_map *mm = dfg_map_private(map);
	unsigned long lo, base, freed;
	u32 why;

	if (!mm)
		return;
	base = READ_ONCE(mm->base);
	if (!base || vma->vm_pgoff < base)
		return;
	lo = vma->vm_pgoff - base;
	why = current->flags & PF_EXITING ? HPMM_TRACE_MAGNET_EXIT :
					      HPMM_TRACE_MAGNET_UNMAP;
	freed = magnet_release_range(mm, vma->vm_mm, lo, lo + vma_pages(vma),
				     why);
	atomic64_add(freed, why == HPMM_TRACE_MAGNET_EXIT ?
		     &magnet_stats.released_exit :
		     &magnet_stats.released_unmap);
}

static void magnet_release(struct dfg_map *map)
{
	struct magnet_map *mm = dfg_map_private(map);
	unsigned long freed;

	if (!mm)
		return;
	freed = magnet_release_range(mm, NULL, 0, ULONG_MAX,
				     HPMM_TRACE_MAGNET_EXIT);
	atomic64_add(freed, &magnet_stats.released_exit);
	dfg_map_set_private(map, NULL);
	dfg_group_put(mm->group);
	atomic64_dec(&magnet_stats.maps);
	kfree(mm);
}

static int magnet_init(struct dentry *root)
{
	unsigned int fail_nth;
	int ret;

	/* 6.1 leaks on a failed slab sysfs add: see dfg_block_init_global(). */
	fail_nth = hpmm_fail_nth_pause();
	magnet_resv_cache = KMEM_CACHE(magnet_resv, 0);
	hpmm_fail_nth_resume(fail_nth);
	if (!magnet_resv_cache)
		return -ENOMEM;
	ret = hpmm_shrinker_register(&magnet_shrinker, "hpmm-magnet");
	if (ret)
		goto err_cache;
	ret = magnet_debugfs_init(root);
	if (ret)
		goto err_shrinker;
	return 0;

err_shrinker:
	hpmm_shrinker_unregister(&magnet_shrinker);
err_cache:
	kmem_cache_destroy(magnet_resv_cache);
	return ret;
}

/* Mappings hold the module, so no reservation is left at exit. */
static void magnet_exit(void)
{
	magnet_debugfs_exit();
	hpmm_shrinker_unregister(&magnet_shrinker);
	kmem_cache_destroy(magnet_resv_cache);
}

const struct dfg_placement_ops dfg_placement_magnet = {
	.name = "magnet",
	.init = magnet_init,
	.exit = magnet_exit,
	.open = magnet_open,
	.fault_page = magnet_fault_page,
	.vma_close = magnet_vma_close,
	.release = magnet_release,
};
