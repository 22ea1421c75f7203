// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG keyed objects, mmap of /dev/hpmm, placement policies, and moving
 * pages.
 *
 * Every owner of movable pages is a keyed object: a range of keys (one per
 * page, in chunks of 512 found in an xarray), an array of its pages, and
 * ops saying how to unmap a page. A page's key is stored in its block's
 * per-page array; that is the reverse map: from a page, compaction finds
 * the object (xarray lookup of the key's chunk) and the index (key - base).
 *
 * An mmap of /dev/hpmm is such an object. Its vm_pgoff is set to its first
 * key, so all its VMAs (forks and splits included) sit in the file's
 * address_space at offsets no other object uses, and one
 * unmap_mapping_range() of a page's offset removes that page from every
 * process that maps it. Faults return the object's page locked
 * (VM_FAULT_LOCKED); a mover holds the same page lock across unmap, copy
 * and switch, and a fault that finds another page in the slot after taking
 * the lock retries, so the old page is never mapped again. A fault waiting
 * for the lock holds a reference, counted in page_private() so that the
 * mover can tell it from a pin; the old page is freed once they let go.
 *
 * Where a fault's page comes from is the mapping's placement policy
 * (struct dfg_placement_ops): "page" is DEFRAG alone, "magnet" PTEMagnet's
 * reservations (placement/magnet.c). A mapping chooses one through
 * HPMM_DEFRAG_IOCTL_MAP, or gets the module parameter defrag_placement.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "compat/mm.h"
#include "defrag.h"
#include "../trace.h"

/*
 * Keys are handed out in chunks of DFG_KEY_CHUNK: chunk c holds keys
 * c * DFG_KEY_CHUNK to (c + 1) * DFG_KEY_CHUNK - 1, and dfg_keys maps every
 * chunk of an object to it (RCU lookups). Chunk 0 is never used.
 */
#define DFG_KEY_CHUNK		512UL
#define DFG_KEY_CHUNKS		(DFG_PI_KEY_LIMIT / DFG_KEY_CHUNK)

static DEFINE_XARRAY(dfg_keys);
static DEFINE_MUTEX(dfg_keys_mutex);
static unsigned long dfg_keys_next = 1;
static atomic_long_t dfg_nr_maps = ATOMIC_LONG_INIT(0);

/**
 * struct dfg_map - one mmap of /dev/hpmm
 * @obj: the keyed object holding its pages
 * @mapping: the address_space its VMAs are in
 * @placement: its placement policy
 * @priv: the policy's data
 * @memlock_user: whose locked_vm its pages are charged to, or NULL (see
 *	dfg_map_charge())
 * @memlock_limit: that user's RLIMIT_MEMLOCK at mmap time, in pages
 * @memlock_pages: pages it charged
 */
struct dfg_map {
	struct dfg_obj obj;
	struct address_space *mapping;
	const struct dfg_placement_ops *placement;
	void *priv;
	struct user_struct *memlock_user;
	unsigned long memlock_limit;
	atomic_long_t memlock_pages;
};

/* ---- placement policies ------------------------------------------------ */

/* DEFRAG alone: every fault takes one page where the group's policy says. */
static const struct dfg_placement_ops dfg_placement_page = {
	.name = "page",
};

static const struct dfg_placement_ops *const dfg_placements[DFG_NR_PLACEMENTS] = {
	[DFG_PLACEMENT_PAGE] = &dfg_placement_page,
#if IS_ENABLED(CONFIG_HPMM_MAGNET)
	[DFG_PLACEMENT_MAGNET] = &dfg_placement_magnet,
#endif
};

/* The placement of mappings that ask for the default. */
static unsigned int dfg_placement_dfl = DFG_PLACEMENT_PAGE;

/* A placement built into the module, or NULL. */
const struct dfg_placement_ops *dfg_placement(enum dfg_placement_id id)
{
	return id < DFG_NR_PLACEMENTS ? dfg_placements[id] : NULL;
}

enum dfg_placement_id dfg_placement_default(void)
{
	return READ_ONCE(dfg_placement_dfl);
}

static int dfg_placement_param_set(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int i;

	for (i = DFG_PLACEMENT_PAGE; i < DFG_NR_PLACEMENTS; i++) {
		if (dfg_placements[i] &&
		    sysfs_streq(val, dfg_placements[i]->name)) {
			WRITE_ONCE(dfg_placement_dfl, i);
			return 0;
		}
	}
	return -EINVAL;
}

static int dfg_placement_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  dfg_placements[dfg_placement_default()]->name);
}

static const struct kernel_param_ops dfg_placement_param_ops = {
	.set = dfg_placement_param_set,
	.get = dfg_placement_param_get,
};

module_param_cb(defrag_placement, &dfg_placement_param_ops, NULL, 0644);
MODULE_PARM_DESC(defrag_placement,
		 "placement of hpmm mappings that ask for the default: page (at load) or magnet");

/* Sets up every placement policy built in. */
int dfg_placements_init(struct dentry *root)
{
	unsigned int i;
	int ret;

	for (i = 0; i < DFG_NR_PLACEMENTS; i++) {
		if (!dfg_placements[i] || !dfg_placements[i]->init)
			continue;
		ret = dfg_placements[i]->init(root);
		if (ret) {
			pr_err("placement %s: init failed: %d\n",
			       dfg_placements[i]->name, ret);
			while (i-- > 0)
				if (dfg_placements[i] && dfg_placements[i]->exit)
					dfg_placements[i]->exit();
			return ret;
		}
	}
	return 0;
}

/* Mappings pin the module, so none is live when this runs. */
void dfg_placements_exit(void)
{
	unsigned int i;

	for (i = DFG_NR_PLACEMENTS; i-- > 0;)
		if (dfg_placements[i] && dfg_placements[i]->exit)
			dfg_placements[i]->exit();
}

/* ---- keyed objects ----------------------------------------------------- */

static void dfg_keys_erase(unsigned long chunk, unsigned long n)
{
	while (n--)
		xa_erase(&dfg_keys, chunk + n);
}

/* Finds and claims @n free chunks for @obj: the first, or 0. */
static unsigned long dfg_keys_claim(struct dfg_obj *obj, unsigned long n)
{
	unsigned long start, index, end;
	struct dfg_obj *other;
	bool wrapped = false;
	int err;

	mutex_lock(&dfg_keys_mutex);
	start = dfg_keys_next;
	for (;;) {
		if (start + n > DFG_KEY_CHUNKS) {
			if (wrapped) {
				start = 0;
				break;
			}
			wrapped = true;
			start = 1;
			continue;
		}
		index = start;
		other = xa_find(&dfg_keys, &index, start + n - 1, XA_PRESENT);
		if (!other)
			break;
		/* Skip past the object in the way. */
		end = (other->base + other->nr + DFG_KEY_CHUNK - 1) /
		      DFG_KEY_CHUNK;
		start = max(end, index + 1);
	}
	for (index = 0; start && index < n; index++) {
		err = xa_err(xa_store(&dfg_keys, start + index, obj,
				      GFP_KERNEL_ACCOUNT));
		if (err) {
			dfg_keys_erase(start, index);
			start = 0;
		}
	}
	if (start)
		dfg_keys_next = start + n;
	mutex_unlock(&dfg_keys_mutex);
	return start;
}

/**
 * dfg_obj_init() - give an object its keys
 * @obj: embedded in the owner's structure
 * @g: the group its pages come from; when this succeeds, the object
 *	takes over the caller's reference and drops it with its last one
 * @nr: its pages, 1 to half of the key space
 * @ops: how to unmap and release it
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int dfg_obj_init(struct dfg_obj *obj, struct dfg_group *g, unsigned long nr,
		 const struct dfg_obj_ops *ops)
{
	unsigned long chunk;

	if (!nr || nr > DFG_PI_KEY_LIMIT / 2)
		return -EINVAL;
	kref_init(&obj->ref);
	xa_init(&obj->pages);
	obj->nr = nr;
	obj->group = g;
	obj->ops = ops;
	/*
	 * Nothing is sized by @nr: the page index grows with the pages
	 * faulted in, and it and the key map's entries are charged to the
	 * memory cgroup of whoever caused them, as what a holder of
	 * /dev/hpmm makes the kernel allocate must be.
	 */
	chunk = dfg_keys_claim(obj, DIV_ROUND_UP(nr, DFG_KEY_CHUNK));
	if (!chunk)
		return -ENOMEM;
	obj->base = chunk * DFG_KEY_CHUNK;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dfg_obj_init, HPMM);

static void dfg_obj_unkey(struct dfg_obj *obj)
{
	mutex_lock(&dfg_keys_mutex);
	dfg_keys_erase(obj->base / DFG_KEY_CHUNK,
		       DIV_ROUND_UP(obj->nr, DFG_KEY_CHUNK));
	mutex_unlock(&dfg_keys_mutex);
}

static void dfg_obj_release(struct kref *ref)
{
	struct dfg_obj *obj = container_of(ref, struct dfg_obj, ref);
	struct dfg_group *g = obj->group;
	unsigned long i, n = 0;
	struct page *page;

	/* No new reverse-map lookup finds it; movers hold a reference. */
	dfg_obj_unkey(obj);
	xa_for_each(&obj->pages, i, page) {
		/* A poisoned slot's page was given up already. */
		if (xa_is_value(page))
			continue;
		if (page_ref_count(page) != 1 || page_mapped(page))
			dfg_orphan_page(g, page, obj->base + i);
		else
			dfg_free_keyed(g, page, obj->base + i);
		if (!(++n % 1024))
			cond_resched();
	}
	xa_destroy(&obj->pages);
	dfg_group_put(g);
	obj->ops->release(obj);
}

void dfg_obj_put(struct dfg_obj *obj)
{
	kref_put(&obj->ref, dfg_obj_release);
}
EXPORT_SYMBOL_NS_GPL(dfg_obj_put, HPMM);

/*
 * Puts @entry (a page, or a poisoned slot's value) in the occupied slot
 * @idx, under the object's lock: a slot that has a page has its node, so
 * this never allocates.
 */
static void dfg_obj_replace(struct dfg_obj *obj, unsigned long idx,
			    void *entry)
{
	lockdep_assert_held(&obj->pages.xa_lock);
	WARN_ON_ONCE(xa_is_err(__xa_store(&obj->pages, idx, entry, GFP_NOWAIT)));
}

/* Destroys an object whose init succeeded but that never got a page. */
static void dfg_obj_abort(struct dfg_obj *obj)
{
	dfg_obj_unkey(obj);
	xa_destroy(&obj->pages);
}

static struct dfg_obj *dfg_obj_get_key(u32 key)
{
	struct dfg_obj *obj;

	rcu_read_lock();
	obj = xa_load(&dfg_keys, key / DFG_KEY_CHUNK);
	if (obj && (key - obj->base >= obj->nr ||
		    !kref_get_unless_zero(&obj->ref)))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

/*
 * Faults that found a page and wait for its lock hold a reference on it;
 * page_private() counts them, under the object's lock, so that a mover can
 * tell their references from anyone else's.
 */
static void dfg_waiter_add(struct page *page, long n)
{
	set_page_private(page, page_private(page) + n);
}

/*
 * After a move, waits for the faults that held the old page to notice and
 * let it go: true when only the object's own reference is left.
 */
static bool dfg_waiters_gone(struct dfg_obj *obj, struct page *page)
{
	unsigned long deadline = jiffies + HZ;
	bool gone;

	for (;;) {
		dfg_obj_lock(obj);
		gone = !page_private(page) && page_ref_count(page) == 1;
		dfg_obj_unlock(obj);
		if (gone || time_after(jiffies, deadline))
			return gone;
		cond_resched();
	}
}

/*
 * Whether @page, locked and in its object's slot, holds only the
 * references of its object, of the faults waiting for it and of the page
 * tables mapping it: the state in which it can move. A pin
 * (folio_maybe_dma_pinned()) or any other holder keeps it where it is.
 */
static bool dfg_page_movable(struct dfg_obj *obj, struct page *page)
{
	bool ok;

	if (folio_maybe_dma_pinned(page_folio(page)) || PageHWPoison(page))
		return false;
	dfg_obj_lock(obj);
	ok = page_ref_count(page) ==
	     1 + page_private(page) + hpmm_page_mapcount(page);
	dfg_obj_unlock(obj);
	return ok;
}

int dfg_obj_poison(struct dfg_group *g, struct page *page, u32 key)
{
	struct dfg_obj *obj = dfg_obj_get_key(key);
	unsigned long slot;
	int ret = -EAGAIN;
	bool ours;

	if (!obj)
		return ret;
	slot = key - obj->base;
	/* Locked, the page is mapped by no fault (as for a move). */
	lock_page(page);
	dfg_obj_lock(obj);
	ours = dfg_obj_page(obj, slot) == page;
	dfg_obj_unlock(obj);
	if (ours) {
		if (obj->ops->unmap)
			obj->ops->unmap(obj, slot);
		dfg_obj_lock(obj);
		dfg_obj_replace(obj, slot, xa_mk_value(0));
		dfg_obj_unlock(obj);
		ret = 0;
	}
	unlock_page(page);
	if (!ret)
		/* The object's reference; memory_failure() keeps its own. */
		dfg_give_up_page(g, page, key);
	dfg_obj_put(obj);
	return ret;
}

/*
 * Moves the keyed page at @blk/@idx to a page chosen for @mode, as
 * mm/migrate.c moves a page: with the page locked, check that nothing but
 * its mappings and its object holds it (else leave it mapped and fail),
 * unmap it everywhere, freeze its refcount at the count expected of an
 * unmapped page (the object's reference and the waiting faults'), copy it,
 * switch its object's slot to the copy and unfreeze. While the refcount is
 * frozen nobody can take a reference (faults retry: dfg_slot_get()), so no
 * write can reach the old page after the copy. 0, or 1 when that emptied
 * @blk; -ENOENT when the page is no longer keyed; -EAGAIN when its object
 * is going away or it changed meanwhile; -EBUSY when something else
 * references it (a pin); -ENOMEM when there is no room for the copy.
 *
 * A reference taken between the check and the freeze (a racing
 * get_user_pages() through a mapping not yet zapped) fails the move after
 * the unmap: the page is then faulted back in on its next access, data
 * intact.
 */
int dfg_move_page(struct dfg_group *g, struct dfg_block *blk,
		  unsigned int idx, u8 mode)
{
	struct page *old = dfg_blk_page(blk, idx), *new;
	unsigned long flags, slot, expected;
	struct dfg_obj *obj;
	bool ok;
	int ret;
	u32 key;

	spin_lock_irqsave(&g->lock, flags);
	key = DFG_PI_FREE;
	if (blk->grp == &g->core && blk->state == DFG_BS_SPLIT)
		key = blk->pinfo[idx];
	spin_unlock_irqrestore(&g->lock, flags);
	if (!dfg_pi_is_key(key))
		return -ENOENT;
	obj = dfg_obj_get_key(key);
	if (!obj)
		return -EAGAIN;
	slot = key - obj->base;
	/*
	 * With the page locked no fault maps it: a fault that finds it waits
	 * for the lock, then sees the slot changed and faults again.
	 */
	lock_page(old);
	dfg_obj_lock(obj);
	ok = dfg_obj_page(obj, slot) == old;
	dfg_obj_unlock(obj);
	ret = -EAGAIN;
	if (!ok)
		goto unlock;
	/* Checked before anything is unmapped: a pinned page stays mapped. */
	ret = -EBUSY;
	if (!dfg_page_movable(obj, old))
		goto unlock;
	new = dfg_alloc_move_dest(g, mode, key, page_to_nid(old));
	ret = -ENOMEM;
	if (!new)
		goto unlock;
	set_page_private(new, 0);
	if (obj->ops->unmap)
		obj->ops->unmap(obj, slot);
	dfg_obj_lock(obj);
	/* Only the object and the waiting faults may hold it now. */
	expected = 1 + page_private(old);
	ok = !page_mapped(old) && page_ref_freeze(old, expected);
	if (ok) {
		copy_highpage(new, old);
		dfg_obj_replace(obj, slot, new);
		page_ref_unfreeze(old, expected);
	}
	dfg_obj_unlock(obj);
	if (!ok) {
		dfg_free_keyed(g, new, key);
		ret = -EBUSY;
		goto unlock;
	}
	unlock_page(old);
	trace_dfg_page_move(g->id, page_to_pfn(old), page_to_pfn(new));
	if (dfg_waiters_gone(obj, old))
		ret = dfg_free_keyed(g, old, key);
	else
		dfg_orphan_page(g, old, key);
	dfg_obj_put(obj);
	return ret;

unlock:
	unlock_page(old);
	dfg_obj_put(obj);
	return ret;
}

/**
 * struct dfg_run_mv - one page of a bound run being moved
 * @obj: its object (a reference)
 * @old: the page
 * @new: its destination
 * @slot: its index in @obj
 * @expected: its refcount when frozen
 * @key: its key
 */
struct dfg_run_mv {
	struct dfg_obj *obj;
	struct page *old;
	struct page *new;
	unsigned long slot;
	unsigned long expected;
	u32 key;
};

/*
 * Moves the bound run at @blk/@idx (aligned; core.h DFG_RUN_ORDER) whole,
 * for @mode as dfg_move_page(), into one aligned run of free pages: every page is checked
 * before anything is unmapped, then all are unmapped and frozen, and only
 * when every freeze held are they copied and switched. A freeze that fails
 * unfreezes the others and nothing moves. While a page is frozen with its
 * slot not yet switched, faults that find it wait (dfg_slot_get()).
 * 0, or 1 when that emptied @blk; -ESRCH when the run is not bound (any
 * more): move its pages one by one; else as dfg_move_page().
 */
int dfg_move_run(struct dfg_group *g, struct dfg_block *blk, unsigned int idx,
		 u8 mode)
{
	struct dfg_run_mv mv[DFG_RUN_PAGES];
	unsigned int i, n, locked = 0, frozen = 0;
	struct page *run = NULL;
	unsigned long flags;
	int ret, r;
	bool ok;

	spin_lock_irqsave(&g->lock, flags);
	ok = blk->grp == &g->core && blk->state == DFG_BS_SPLIT &&
	     dfg_run_bound(blk, idx);
	for (i = 0; ok && i < DFG_RUN_PAGES; i++) {
		mv[i].key = blk->pinfo[idx + i];
		ok = dfg_pi_is_key(mv[i].key);
	}
	spin_unlock_irqrestore(&g->lock, flags);
	if (!ok)
		return -ESRCH;
	ret = -EAGAIN;
	for (n = 0; n < DFG_RUN_PAGES; n++) {
		mv[n].obj = dfg_obj_get_key(mv[n].key);
		if (!mv[n].obj)
			goto put;
		mv[n].old = dfg_blk_page(blk, idx + n);
		mv[n].slot = mv[n].key - mv[n].obj->base;
	}
	/* Only compaction locks several pages: in pfn order, one group at a time. */
	for (; locked < n; locked++) {
		lock_page(mv[locked].old);
		dfg_obj_lock(mv[locked].obj);
		ok = dfg_obj_page(mv[locked].obj, mv[locked].slot) ==
		     mv[locked].old;
		dfg_obj_unlock(mv[locked].obj);
		ret = -EAGAIN;
		if (ok) {
			ret = -EBUSY;
			ok = dfg_page_movable(mv[locked].obj, mv[locked].old);
		}
		if (!ok) {
			unlock_page(mv[locked].old);
			goto unlock;
		}
	}
	ret = -ENOMEM;
	run = dfg_alloc_move_run(g, mode, page_to_nid(mv[0].old));
	if (!run)
		goto unlock;
	for (i = 0; i < n; i++) {
		mv[i].new = run + i;
		set_page_private(mv[i].new, 0);
		if (mv[i].obj->ops->unmap)
			mv[i].obj->ops->unmap(mv[i].obj, mv[i].slot);
	}
	ret = -EBUSY;
	for (; frozen < n; frozen++) {
		struct dfg_run_mv *m = &mv[frozen];

		dfg_obj_lock(m->obj);
		m->expected = 1 + page_private(m->old);
		ok = !page_mapped(m->old) &&
		     page_ref_freeze(m->old, m->expected);
		dfg_obj_unlock(m->obj);
		if (!ok)
			goto unfreeze;
	}
	for (i = 0; i < n; i++) {
		struct dfg_run_mv *m = &mv[i];

		copy_highpage(m->new, m->old);
		dfg_adopt_page(g, m->new, m->key);
		dfg_obj_lock(m->obj);
		dfg_obj_replace(m->obj, m->slot, m->new);
		dfg_obj_unlock(m->obj);
		page_ref_unfreeze(m->old, m->expected);
		trace_dfg_page_move(g->id, page_to_pfn(m->old),
				    page_to_pfn(m->new));
	}
	dfg_bind_pages(run, DFG_RUN_ORDER);
	ret = 0;
	for (i = 0; i < n; i++) {
		unlock_page(mv[i].old);
		if (!dfg_waiters_gone(mv[i].obj, mv[i].old)) {
			dfg_orphan_page(g, mv[i].old, mv[i].key);
			continue;
		}
		r = dfg_free_keyed(g, mv[i].old, mv[i].key);
		if (r > 0)
			ret = r;
	}
	locked = 0;
	goto put;

unfreeze:
	while (frozen--)
		page_ref_unfreeze(mv[frozen].old, mv[frozen].expected);
	for (i = 0; i < n; i++)
		dfg_free_pages(run + i, 0);
unlock:
	while (locked--)
		unlock_page(mv[locked].old);
put:
	while (n--)
		dfg_obj_put(mv[n].obj);
	return ret;
}

/* ---- mmap of /dev/hpmm --------------------------------------------------- */

static void dfg_map_unmap(struct dfg_obj *obj, unsigned long idx)
{
	struct dfg_map *map = container_of(obj, struct dfg_map, obj);

	unmap_mapping_range(map->mapping,
			    (loff_t)(obj->base + idx) << PAGE_SHIFT, PAGE_SIZE,
			    0);
}

/*
 * A mapping whose group charges its blocks to no memcg (an unbound group,
 * the default one) charges each page it gets to the mapping user's
 * locked_vm against RLIMIT_MEMLOCK, as io_uring and RDMA charge what they
 * hold: DEFRAG's pages are not on the LRU and never swapped, so they are
 * locked memory. CAP_IPC_LOCK at mmap time lifts the limit, as it does
 * for mlock(). A MAGNET reservation holds at most a run of pages beside
 * each charged one.
 *
 * Return: false (nothing charged) when the page would exceed the limit.
 */
static bool dfg_map_charge(struct dfg_map *map)
{
	struct user_struct *user = map->memlock_user;
	long cur;

	if (!user)
		return true;
	cur = atomic_long_read(&user->locked_vm);
	do {
		if (cur + 1 > map->memlock_limit)
			return false;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, cur + 1));
	atomic_long_inc(&map->memlock_pages);
	return true;
}

static void dfg_map_uncharge(struct dfg_map *map, long n)
{
	if (!map->memlock_user || !n)
		return;
	atomic_long_sub(n, &map->memlock_user->locked_vm);
	atomic_long_sub(n, &map->memlock_pages);
}

static void dfg_map_release(struct dfg_obj *obj)
{
	struct dfg_map *map = container_of(obj, struct dfg_map, obj);

	if (map->placement->release)
		map->placement->release(map);
	if (map->memlock_user) {
		dfg_map_uncharge(map, atomic_long_read(&map->memlock_pages));
		free_uid(map->memlock_user);
	}
	atomic_long_dec(&dfg_nr_maps);
	kfree_rcu(map, obj.rcu);
}

static const struct dfg_obj_ops dfg_map_ops = {
	.unmap = dfg_map_unmap,
	.release = dfg_map_release,
};

static void dfg_vm_open(struct vm_area_struct *vma)
{
	struct dfg_map *map = vma->vm_private_data;

	kref_get(&map->obj.ref);
}

static void dfg_vm_close(struct vm_area_struct *vma)
{
	struct dfg_map *map = vma->vm_private_data;

	if (map->placement->vma_close)
		map->placement->vma_close(map, vma);
	dfg_obj_put(&map->obj);
}

/*
 * The page in slot @idx with a reference counted as a waiter's, NULL when
 * the slot is empty, ERR_PTR(-EHWPOISON) when its page was poisoned. A
 * page whose refcount a mover froze (dfg_move_run()) is about to be
 * replaced: wait for the switch.
 */
static struct page *dfg_slot_get(struct dfg_obj *obj, unsigned long idx)
{
	struct page *page;

	for (;;) {
		dfg_obj_lock(obj);
		page = dfg_obj_page(obj, idx);
		if (xa_is_value(page))
			page = ERR_PTR(-EHWPOISON);
		else if (page && get_page_unless_zero(page))
			dfg_waiter_add(page, 1);
		else if (page)
			page = ERR_PTR(-EAGAIN);
		dfg_obj_unlock(obj);
		if (PTR_ERR(page) != -EAGAIN)
			return page;
		cond_resched();
	}
}

static vm_fault_t dfg_vm_fault(struct vm_fault *vmf)
{
	struct dfg_map *map = vmf->vma->vm_private_data;
	struct dfg_obj *obj = &map->obj;
	unsigned long idx = vmf->pgoff - obj->base;
	struct page *page, *fresh = NULL;
	void *cur;
	bool moved;
	u32 key;

	if (vmf->pgoff < obj->base || idx >= obj->nr)
		return VM_FAULT_SIGBUS;
	key = obj->base + idx;
	page = dfg_slot_get(obj, idx);
	if (IS_ERR(page))
		return VM_FAULT_HWPOISON;
	if (!page) {
		if (!dfg_map_charge(map)) {
			atomic64_inc(&dfg_stats.fault_failures);
			return VM_FAULT_SIGBUS;
		}
		if (map->placement->fault_page) {
			fresh = map->placement->fault_page(map, vmf, idx);
			if (fresh && dfg_adopt_page(obj->group, fresh, key)) {
				pr_err_ratelimited("placement %s gave an unusable page\n",
						   map->placement->name);
				dfg_free_pages(fresh, 0);
				fresh = NULL;
			}
			if (fresh)
				atomic64_inc(&dfg_stats.fault_hooked);
		}
		if (!fresh)
			fresh = dfg_alloc_keyed(obj->group, key,
						GFP_HIGHUSER_MOVABLE);
		if (!fresh) {
			dfg_map_uncharge(map, 1);
			atomic64_inc(&dfg_stats.fault_failures);
			return VM_FAULT_SIGBUS;
		}
		if (PageHWPoison(fresh)) {
			/* Poisoned while free, not taken out yet: now it is. */
			dfg_map_uncharge(map, 1);
			dfg_free_keyed(obj->group, fresh, key);
			dfg_hwpoison_kick();
			return VM_FAULT_NOPAGE;
		}
		atomic64_inc(&dfg_stats.fault_allocs);
		set_page_private(fresh, 0);
		/*
		 * The index's node is allocated here, charged to the
		 * faulting task's memcg; __xa_cmpxchg() may drop the lock for
		 * that and looks at the slot again after.
		 */
		dfg_obj_lock(obj);
		cur = __xa_cmpxchg(&obj->pages, idx, NULL, fresh,
				   GFP_KERNEL_ACCOUNT);
		if (!cur) {
			get_page(fresh);
			dfg_waiter_add(fresh, 1);
			page = fresh;
			fresh = NULL;
		}
		dfg_obj_unlock(obj);
		if (fresh)
			dfg_map_uncharge(map, 1);
		if (xa_is_err(cur)) {
			dfg_free_keyed(obj->group, fresh, key);
			atomic64_inc(&dfg_stats.fault_failures);
			return VM_FAULT_OOM;
		}
		if (fresh) {
			/* A racing fault filled the slot first. */
			dfg_free_keyed(obj->group, fresh, key);
			page = dfg_slot_get(obj, idx);
			if (IS_ERR(page))
				return VM_FAULT_HWPOISON;
			if (!page)
				return VM_FAULT_NOPAGE;
		}
	}

	lock_page(page);
	dfg_obj_lock(obj);
	dfg_waiter_add(page, -1);
	moved = dfg_obj_page(obj, idx) != page;
	dfg_obj_unlock(obj);
	if (moved) {
		/* Moved while we waited: fault again on the new page. */
		unlock_page(page);
		put_page(page);
		return VM_FAULT_NOPAGE;
	}
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct dfg_vm_ops = {
	.open = dfg_vm_open,
	.close = dfg_vm_close,
	.fault = dfg_vm_fault,
};

/*
 * Serves @vma with @placement (a policy built in) from @g; takes over the
 * reference on @g when it succeeds.
 */
int dfg_mmap(struct vm_area_struct *vma, struct dfg_group *g,
	     enum dfg_placement_id placement)
{
	const struct dfg_placement_ops *ops = dfg_placement(placement);
	unsigned long nr = vma_pages(vma);
	struct mem_cgroup *memcg;
	struct dfg_map *map;
	int ret;

	if (!ops)
		return -EOPNOTSUPP;
	if (vma->vm_pgoff || nr > DFG_MAP_MAX_PAGES)
		return -EINVAL;
	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return -ENOMEM;
	ret = dfg_obj_init(&map->obj, g, nr, &dfg_map_ops);
	if (ret)
		goto err_free;
	map->mapping = vma->vm_file->f_mapping;
	map->placement = ops;
	memcg = dfg_group_memcg(g);
	if (memcg) {
		/* Its blocks are charged whole: its pages need no charge. */
		css_put(&memcg->css);
	} else if (!capable(CAP_IPC_LOCK)) {
		map->memlock_user = get_current_user();
		map->memlock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	}
	if (ops->open) {
		ret = ops->open(map);
		if (ret)
			goto err_obj;
	}

	vma->vm_pgoff = map->obj.base;
	vm_flags_set(vma, VM_DONTEXPAND);
	vma->vm_ops = &dfg_vm_ops;
	vma->vm_private_data = map;
	atomic_long_inc(&dfg_nr_maps);
	return 0;

err_obj:
	if (map->memlock_user)
		free_uid(map->memlock_user);
	dfg_obj_abort(&map->obj);
err_free:
	kfree(map);
	return ret;
}

unsigned long dfg_maps_live(void)
{
	return atomic_long_read(&dfg_nr_maps);
}

struct dfg_group *dfg_map_group(struct dfg_map *map)
{
	return map->obj.group;
}

unsigned long dfg_map_pages(struct dfg_map *map)
{
	return map->obj.nr;
}

void *dfg_map_private(struct dfg_map *map)
{
	return map->priv;
}

void dfg_map_set_private(struct dfg_map *map, void *priv)
{
	map->priv = priv;
}

void dfg_maps_exit(void)
{
	xa_destroy(&dfg_keys);
}
