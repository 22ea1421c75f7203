// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG allocation groups: the registry, cgroup v2 binding and lifetime.
 *
 * A group is found by id (RCU, xarray) or, for id 0, by the cgroup v2 of
 * the current task: the group bound to its nearest ancestor, else the
 * default group. A lookup takes a reference (@users); destroy marks the
 * group dying, waits for RCU readers, and succeeds only when nothing holds
 * a reference and no page of the group is allocated.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "defrag.h"
#include "../trace.h"

/* Serialises group creation, destruction, settings and listing. */
DEFINE_MUTEX(dfg_groups_mutex);
static LIST_HEAD(dfg_group_list);
static DEFINE_XARRAY_ALLOC1(dfg_group_ids);
static struct dfg_group *dfg_default;

u64 dfg_group_id(const struct dfg_group *g)
{
	return g->id;
}

static bool dfg_group_tryget(struct dfg_group *g)
{
	return g && !READ_ONCE(g->dying) && refcount_inc_not_zero(&g->users);
}

static struct dfg_group *dfg_group_of_current(void)
{
	struct dfg_group *g, *best = NULL;
	struct cgroup *cgrp, *bc = NULL;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	list_for_each_entry_rcu(g, &dfg_group_list, node) {
		struct cgroup *gc = READ_ONCE(g->cgrp);

		if (!gc || READ_ONCE(g->dying) ||
		    !cgroup_is_descendant(cgrp, gc))
			continue;
		if (!bc || gc->level > bc->level) {
			best = g;
			bc = gc;
		}
	}
	if (!dfg_group_tryget(best)) {
		best = READ_ONCE(dfg_default);
		if (!dfg_group_tryget(best))
			best = NULL;
	}
	rcu_read_unlock();
	return best;
}

struct dfg_group *dfg_group_get(u64 id)
{
	struct dfg_group *g;

	if (!id)
		return dfg_group_of_current();
	if (id > U32_MAX)
		return NULL;
	rcu_read_lock();
	g = xa_load(&dfg_group_ids, id);
	if (!dfg_group_tryget(g))
		g = NULL;
	rcu_read_unlock();
	return g;
}

void dfg_group_put(struct dfg_group *g)
{
	if (g)
		refcount_dec(&g->users);
}

static bool dfg_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= DFG_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '-' &&
		    name[i] != '.')
			return false;
	return name[0] != '.';
}

struct dfg_group *dfg_group_find_name(const char *name)
{
	struct dfg_group *g;

	lockdep_assert_held(&dfg_groups_mutex);
	list_for_each_entry(g, &dfg_group_list, node)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

void dfg_groups_walk(dfg_group_fn fn, void *arg)
{
	struct dfg_group *g;

	lockdep_assert_held(&dfg_groups_mutex);
	list_for_each_entry(g, &dfg_group_list, node)
		fn(g, arg);
}

static struct dfg_group *__dfg_group_create(const char *name, bool internal,
					    enum dfg_policy policy, bool locked)
{
	struct dfg_group *g;
	unsigned int cpu;
	u32 id;
	int ret;

	if (!dfg_name_valid(name))
		return ERR_PTR(-EINVAL);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	dfg_core_init(&g->core, policy);
	spin_lock_init(&g->lock);
	strscpy(g->name, name, sizeof(g->name));
	refcount_set(&g->users, 1);
	g->internal = internal;
	g->threshold = internal ? 1000 : DFG_DEFAULT_THRESHOLD;
	mutex_init(&g->compact_mutex);
	INIT_DELAYED_WORK(&g->compact_work, dfg_compact_worker);
	atomic64_set(&g->bad_frees, 0);
	INIT_LIST_HEAD(&g->node);
	g->pcp = alloc_percpu(struct dfg_pcp);
	if (!g->pcp) {
		ret = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(g->pcp, cpu)->lock);
	if (internal)
		return g;

	if (locked)
		lockdep_assert_held(&dfg_groups_mutex);
	else
		mutex_lock(&dfg_groups_mutex);
	if (dfg_group_find_name(name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = xa_alloc(&dfg_group_ids, &id, g, xa_limit_32b, GFP_KERNEL);
	if (ret)
		goto err_unlock;
	g->id = id;
	list_add_tail_rcu(&g->node, &dfg_group_list);
	dfg_debugfs_group_add(g);
	if (!locked)
		mutex_unlock(&dfg_groups_mutex);
	return g;

err_unlock:
	if (!locked)
		mutex_unlock(&dfg_groups_mutex);
	free_percpu(g->pcp);
err_free:
	kfree(g);
	return ERR_PTR(ret);
}

struct dfg_group *dfg_group_create(const char *name, bool internal,
				   enum dfg_policy policy)
{
	return __dfg_group_create(name, internal, policy, false);
}

/*
 * dfg_group_create() for a caller that holds dfg_groups_mutex, so that the
 * group cannot be destroyed by someone else before the caller is done
 * setting it up.
 */
struct dfg_group *dfg_group_create_locked(const char *name,
					  enum dfg_policy policy)
{
	return __dfg_group_create(name, false, policy, true);
}

void dfg_trace_retype(const struct dfg_gcore *g, const struct dfg_block *blk,
		      unsigned int new_mt)
{
	const struct dfg_group *grp = container_of(g, struct dfg_group, core);

	trace_dfg_block_type(grp->id, blk->pfn, blk->type, new_mt);
}

/* Gives every block of a group back; the group must be unused. */
static void dfg_group_free(struct dfg_group *g)
{
	struct dfg_block *blk;
	unsigned long flags;

	/* A free that emptied it may still be finishing (dfg_free_pages()). */
	synchronize_rcu();
	cancel_delayed_work_sync(&g->compact_work);
	dfg_group_drain(g);
	for (;;) {
		spin_lock_irqsave(&g->lock, flags);
		blk = dfg_core_take_any(&g->core);
		spin_unlock_irqrestore(&g->lock, flags);
		if (!blk)
			break;
		trace_dfg_block_release(g->id, blk->pfn, blk->type);
		dfg_block_release(blk);
	}
	dfg_pinfo_free(g->core.spare_pinfo);
	free_percpu(g->pcp);
	if (g->cgrp)
		cgroup_put(g->cgrp);
	if (g->module_ref)
		module_put(THIS_MODULE);
	kfree_rcu(g, rcu);
}

int dfg_group_destroy(struct dfg_group *g)
{
	unsigned long flags;
	bool busy;

	if (g->internal) {
		dfg_group_drain(g);
		spin_lock_irqsave(&g->lock, flags);
		busy = g->core.nr_split || g->core.nr_huge;
		spin_unlock_irqrestore(&g->lock, flags);
		if (busy)
			pr_err("replay group %s destroyed with pages in use\n",
			       g->name);
		dfg_group_free(g);
		return 0;
	}

	lockdep_assert_held(&dfg_groups_mutex);
	if (g == dfg_default)
		return -EPERM;
	WRITE_ONCE(g->dying, true);
	/* Lookups that did not see @dying have taken their reference now. */
	synchronize_rcu();
	dfg_group_drain(g);
	spin_lock_irqsave(&g->lock, flags);
	busy = g->core.nr_split || g->core.nr_huge;
	spin_unlock_irqrestore(&g->lock, flags);
	if (busy || refcount_read(&g->users) != 1) {
		WRITE_ONCE(g->dying, false);
		return -EBUSY;
	}
	dfg_debugfs_group_remove(g);
	list_del_rcu(&g->node);
	xa_erase(&dfg_group_ids, g->id);
	dfg_group_free(g);
	return 0;
}

int dfg_group_destroy_by_name(const char *name)
{
	struct dfg_group *g;
	int ret;

	mutex_lock(&dfg_groups_mutex);
	g = dfg_group_find_name(name);
	ret = g ? dfg_group_destroy(g) : -ENOENT;
	mutex_unlock(&dfg_groups_mutex);
	return ret;
}

/* Binds @g to the cgroup v2 at @path ("" unbinds); groups mutex held. */
int dfg_group_bind(struct dfg_group *g, const char *path)
{
	struct cgroup *cgrp = NULL, *old;
	unsigned long flags;

	lockdep_assert_held(&dfg_groups_mutex);
	if (path[0]) {
		if (path[0] != '/' || strlen(path) >= sizeof(g->cgpath))
			return -EINVAL;
		cgrp = cgroup_get_from_path(path);
		if (IS_ERR(cgrp))
			return PTR_ERR(cgrp);
	}
	old = g->cgrp;
	WRITE_ONCE(g->cgrp, cgrp);
	spin_lock_irqsave(&g->lock, flags);
	strscpy(g->cgpath, path, sizeof(g->cgpath));
	spin_unlock_irqrestore(&g->lock, flags);
	if (old) {
		/* Lookups may still be comparing against the old cgroup. */
		synchronize_rcu();
		cgroup_put(old);
	}
	return 0;
}

void dfg_group_check_background(struct dfg_group *g)
{
	unsigned long scattered, total;
	unsigned int threshold = READ_ONCE(g->threshold);

	if (threshold >= 1000 || delayed_work_pending(&g->compact_work) ||
	    time_before(jiffies, READ_ONCE(g->defer_until)))
		return;
	scattered = READ_ONCE(g->core.free_pages);
	/* Compaction can make a block only from a block's worth of pages. */
	if (scattered < DFG_BLOCK_PAGES)
		return;
	total = scattered +
		(unsigned long)READ_ONCE(g->core.nr_free_blocks) *
			DFG_BLOCK_PAGES;
	if (scattered * 1000 / total > threshold)
		queue_delayed_work(system_unbound_wq, &g->compact_work,
				   msecs_to_jiffies(100));
}

int dfg_groups_init(void)
{
	struct dfg_group *g;

	g = dfg_group_create("default", false, DFG_POLICY_GROUPING);
	if (IS_ERR(g))
		return PTR_ERR(g);
	WRITE_ONCE(dfg_default, g);
	return 0;
}

void dfg_groups_exit(void)
{
	struct dfg_group *g, *tmp;

	mutex_lock(&dfg_groups_mutex);
	WRITE_ONCE(dfg_default, NULL);
	list_for_each_entry(g, &dfg_group_list, node)
		WRITE_ONCE(g->dying, true);
	synchronize_rcu();
	list_for_each_entry_safe(g, tmp, &dfg_group_list, node) {
		if (refcount_read(&g->users) != 1)
			pr_err("group %s still referenced at exit\n", g->name);
		dfg_debugfs_group_remove(g);
		list_del_rcu(&g->node);
		xa_erase(&dfg_group_ids, g->id);
		dfg_group_free(g);
	}
	mutex_unlock(&dfg_groups_mutex);
	xa_destroy(&dfg_group_ids);
}
