// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG allocation groups: the registry, settings, cgroup v2 binding and
 * lifetime.
 *
 * A group is found by id or, for id 0, by the cgroup v2 of the current
 * task: the group bound to its nearest ancestor, else the default group.
 * Lookups walk the registry's list under RCU and take a reference
 * (@users). Besides the lookups' references, the registry holds one from
 * publication until the group is destroyed or released.
 *
 * Destroy (HPMM_IOCTL_DESTROY) marks the group dying, waits for RCU
 * readers, and succeeds only when nothing but the registry holds a
 * reference and no page of the group is allocated; then the group goes at
 * once. Release (its file closed) goes on whatever uses the group: it is
 * taken out of the registry at once, and freed by the last holder's
 * dfg_group_put(), from a workqueue since a holder may be in any context.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "compat/mm.h"
#include "defrag.h"
#include "../trace.h"

/* Serialises group creation, destruction, settings and listing. */
DEFINE_MUTEX(dfg_groups_mutex);
static LIST_HEAD(dfg_group_list);
static struct dfg_group *dfg_default;
/* Frees groups after their last reference (dfg_group_put()). */
static struct workqueue_struct *dfg_free_wq;

u64 dfg_group_id(const struct dfg_group *g)
{
	return g->id;
}

bool dfg_group_tryget(struct dfg_group *g)
{
	return g && !READ_ONCE(g->dying) && refcount_inc_not_zero(&g->users);
}

/**
 * dfg_group_memcg() - the memory cgroup @g's blocks are charged to
 * @g: the group
 *
 * That of the cgroup @g is bound to, when the memory controller is on
 * there and accounts kernel memory; NULL for an unbound group, the root
 * memcg or no memcg at all.
 *
 * Return: the memcg with a css reference (css_put() it), or NULL.
 */
struct mem_cgroup *dfg_group_memcg(struct dfg_group *g)
{
#ifdef CONFIG_MEMCG
	struct cgroup_subsys_state *css = NULL;
	struct cgroup *cgrp;

	if (mem_cgroup_disabled() || !hpmm_memcg_kmem_online())
		return NULL;
	/* dfg_group_bind() puts an old cgroup after a grace period. */
	rcu_read_lock();
	cgrp = READ_ONCE(g->cgrp);
	if (cgrp)
		css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	rcu_read_unlock();
	if (!css)
		return NULL;
	/* The root memcg is not charged (mem_cgroup_is_root(), unexported). */
	if (!css->parent) {
		css_put(css);
		return NULL;
	}
	return mem_cgroup_from_css(css);
#else
	return NULL;
#endif
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
	struct dfg_group *g, *found = NULL;

	if (!id)
		return dfg_group_of_current();
	rcu_read_lock();
	list_for_each_entry_rcu(g, &dfg_group_list, node) {
		if (g->id == id) {
			if (dfg_group_tryget(g))
				found = g;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_NS_GPL(dfg_group_get, HPMM);

void dfg_group_hold(struct dfg_group *g)
{
	refcount_inc(&g->users);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_hold, HPMM);

void dfg_group_put(struct dfg_group *g)
{
	if (g && refcount_dec_and_test(&g->users))
		queue_work(dfg_free_wq, &g->free_work);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_put, HPMM);

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

void dfg_trace_retype(const struct dfg_gcore *g, const struct dfg_block *blk,
		      unsigned int new_mt)
{
	const struct dfg_group *grp = container_of(g, struct dfg_group, core);

	trace_dfg_block_type(grp->id, blk->pfn, blk->type, new_mt);
}

/* Gives every block of a group back; nothing uses the group any more. */
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
		dfg_group_put_block(g, blk);
	}
	dfg_pinfo_free(g->core.spare_pinfo);
	free_percpu(g->pcp);
	if (g->cgrp)
		cgroup_put(g->cgrp);
	kfree_rcu(g, rcu);
}

static void dfg_group_free_work(struct work_struct *work)
{
	dfg_group_free(container_of(work, struct dfg_group, free_work));
}

static struct dfg_group *dfg_group_alloc(const char *name,
					 enum dfg_group_kind kind,
					 enum dfg_policy policy)
{
	struct dfg_group *g;
	unsigned int cpu;

	/* The group and its per-CPU caches are charged to the creator. */
	g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);
	if (!g)
		return ERR_PTR(-ENOMEM);
	dfg_core_init(&g->core, policy);
	g->core.plan = dfg_bpf_plan;
	spin_lock_init(&g->lock);
	strscpy(g->name, name, sizeof(g->name));
	g->kind = kind;
	refcount_set(&g->users, 1);
	g->threshold = kind == DFG_GROUP_INTERNAL ? DFG_THRESHOLD_OFF :
						    DFG_DEFAULT_THRESHOLD;
	mutex_init(&g->compact_mutex);
	INIT_DELAYED_WORK(&g->compact_work, dfg_compact_worker);
	INIT_WORK(&g->free_work, dfg_group_free_work);
	atomic64_set(&g->bad_frees, 0);
	INIT_LIST_HEAD(&g->node);
	g->pcp = alloc_percpu_gfp(struct dfg_pcp, GFP_KERNEL_ACCOUNT);
	if (!g->pcp) {
		kfree(g);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(g->pcp, cpu)->lock);
	return g;
}

static int dfg_knobs_check(const struct dfg_knobs *k)
{
	if (k->fields & ~DFG_KNOBS_ALL ||
	    (k->fields & DFG_KNOB_POLICY && k->policy >= DFG_NR_POLICIES) ||
	    (k->fields & DFG_KNOB_RESERVE && k->reserve > DFG_RESERVE_MAX) ||
	    (k->fields & DFG_KNOB_THRESHOLD &&
	     k->threshold > DFG_THRESHOLD_OFF))
		return -EINVAL;
	if (k->fields & DFG_KNOB_POLICY && k->policy == DFG_POLICY_BPF &&
	    !dfg_bpf_supported())
		return -EOPNOTSUPP;
	return 0;
}

/* Binds @g to @cgrp (NULL: unbinds), taking over the reference. */
static void dfg_group_bind(struct dfg_group *g, struct cgroup *cgrp)
{
	char path[sizeof(g->cgpath)] = "";
	struct cgroup *old = g->cgrp;
	unsigned long flags;

	if (cgrp)
		cgroup_path(cgrp, path, sizeof(path));
	WRITE_ONCE(g->cgrp, cgrp);
	spin_lock_irqsave(&g->lock, flags);
	strscpy(g->cgpath, path, sizeof(g->cgpath));
	spin_unlock_irqrestore(&g->lock, flags);
	if (old) {
		/* Lookups may still be comparing against the old cgroup. */
		synchronize_rcu();
		cgroup_put(old);
	}
}

/* Applies what can fail first, so that a failure changes nothing. */
static int dfg_group_apply(struct dfg_group *g, const struct dfg_knobs *k)
{
	struct cgroup *cgrp = k->fields & DFG_KNOB_CGROUP ? k->cgrp : NULL;
	unsigned long flags;
	int ret;

	ret = dfg_knobs_check(k);
	if (!ret && k->fields & DFG_KNOB_POLICY) {
		spin_lock_irqsave(&g->lock, flags);
		ret = dfg_core_set_policy(&g->core, k->policy);
		spin_unlock_irqrestore(&g->lock, flags);
	}
	if (ret) {
		if (cgrp)
			cgroup_put(cgrp);
		return ret;
	}
	if (k->fields & DFG_KNOB_CGROUP && (cgrp || g->cgrp))
		dfg_group_bind(g, cgrp);
	spin_lock_irqsave(&g->lock, flags);
	if (k->fields & DFG_KNOB_LIMIT)
		g->core.limit = k->limit;
	if (k->fields & DFG_KNOB_RESERVE)
		g->core.reserve = k->reserve;
	spin_unlock_irqrestore(&g->lock, flags);
	if (k->fields & DFG_KNOB_THRESHOLD)
		WRITE_ONCE(g->threshold, k->threshold);
	if (k->fields & (DFG_KNOB_RESERVE | DFG_KNOB_LIMIT)) {
		dfg_group_trim(g, false);
		ret = dfg_group_fill_reserve(g);
	}
	return ret;
}

/**
 * dfg_group_set() - change a group's settings
 * @g: the group
 * @k: what to change; @k->cgrp's reference is taken over in every case
 *
 * Return: 0; -EINVAL for a value out of range; -EOPNOTSUPP for the bpf
 * policy on a kernel without it; -EBUSY for a switch to or from firstfit
 * while a block is split (nothing changed then); -ENOMEM when a larger
 * reserve could not be filled (the rest is set).
 */
int dfg_group_set(struct dfg_group *g, const struct dfg_knobs *k)
{
	int ret;

	mutex_lock(&dfg_groups_mutex);
	ret = dfg_group_apply(g, k);
	mutex_unlock(&dfg_groups_mutex);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dfg_group_set, HPMM);

/**
 * dfg_group_new() - a user's group, set up but not published
 * @name: its name, valid for hpmm_name_valid()
 * @k: its settings; @k->cgrp's reference is taken over in every case
 *
 * Return: the group, holding the registry's reference, or an ERR_PTR:
 * -EINVAL, -ENOMEM (also when the reserve cannot be filled).
 */
struct dfg_group *dfg_group_new(const char *name, const struct dfg_knobs *k)
{
	struct cgroup *cgrp = k->fields & DFG_KNOB_CGROUP ? k->cgrp : NULL;
	struct dfg_group *g;
	int ret;

	if (!hpmm_name_valid(name, DFG_NAME_MAX - 1)) {
		ret = -EINVAL;
		goto err;
	}
	g = dfg_group_alloc(name, DFG_GROUP_USER, DFG_POLICY_GROUPING);
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto err;
	}
	ret = dfg_group_apply(g, k);
	if (ret) {
		dfg_group_free(g);
		return ERR_PTR(ret);
	}
	return g;

err:
	if (cgrp)
		cgroup_put(cgrp);
	return ERR_PTR(ret);
}

/**
 * dfg_group_publish() - list a new group: lookups find it from now on
 * @g: from dfg_group_new()
 * @id: its id (its object's)
 *
 * Return: 0, or -EEXIST when its name is in use.
 */
int dfg_group_publish(struct dfg_group *g, u32 id)
{
	int ret = 0;

	mutex_lock(&dfg_groups_mutex);
	if (dfg_group_find_name(g->name)) {
		ret = -EEXIST;
	} else {
		g->id = id;
		list_add_tail_rcu(&g->node, &dfg_group_list);
		dfg_debugfs_group_add(g);
	}
	mutex_unlock(&dfg_groups_mutex);
	return ret;
}

/* Frees a group that was never published. */
void dfg_group_abort(struct dfg_group *g)
{
	dfg_group_free(g);
}

static void dfg_group_unpublish(struct dfg_group *g)
{
	mutex_lock(&dfg_groups_mutex);
	dfg_debugfs_group_remove(g);
	list_del_rcu(&g->node);
	mutex_unlock(&dfg_groups_mutex);
}

/**
 * dfg_group_try_retire() - stop lookups and check that nothing uses @g
 * @g: a published user group
 *
 * Return: 0 when nothing but the registry holds @g and none of its pages
 * is allocated: lookups fail from now on, and the caller removes it with
 * dfg_group_remove(). -EBUSY otherwise: it lives on unchanged.
 */
int dfg_group_try_retire(struct dfg_group *g)
{
	unsigned long flags;
	bool busy;

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
	return 0;
}

/* Unlists and frees a group dfg_group_try_retire() found unused. */
void dfg_group_remove(struct dfg_group *g)
{
	dfg_group_unpublish(g);
	dfg_group_free(g);
}

/**
 * dfg_group_release() - a user group's file is closed
 * @g: a published user group
 *
 * Lookups fail from now on and the group leaves the registry (and
 * debugfs); what others still hold of it (mappings of other files served
 * by its cgroup, kernel callers' pages) keeps it until they let go.
 */
void dfg_group_release(struct dfg_group *g)
{
	WRITE_ONCE(g->dying, true);
	dfg_group_unpublish(g);
	if (refcount_dec_and_test(&g->users))
		dfg_group_free(g);
}

struct dfg_group *dfg_group_create_internal(const char *name,
					    enum dfg_policy policy)
{
	return dfg_group_alloc(name, DFG_GROUP_INTERNAL, policy);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_create_internal, HPMM);

void dfg_group_destroy_internal(struct dfg_group *g)
{
	unsigned long flags;
	bool busy;

	dfg_group_drain(g);
	spin_lock_irqsave(&g->lock, flags);
	busy = g->core.nr_split || g->core.nr_huge;
	spin_unlock_irqrestore(&g->lock, flags);
	if (busy)
		pr_err("group %s destroyed with pages in use\n", g->name);
	if (refcount_dec_and_test(&g->users))
		dfg_group_free(g);
	else
		pr_err("group %s destroyed while referenced\n", g->name);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_destroy_internal, HPMM);

void dfg_group_summarize(struct dfg_group *g, struct dfg_summary *s)
{
	unsigned long flags;

	dfg_group_drain(g);
	spin_lock_irqsave(&g->lock, flags);
	dfg_core_summarize(&g->core, s);
	spin_unlock_irqrestore(&g->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_summarize, HPMM);

void dfg_group_walk(struct dfg_group *g, dfg_block_fn fn, void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	dfg_core_walk(&g->core, fn, arg);
	spin_unlock_irqrestore(&g->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(dfg_group_walk, HPMM);

void dfg_group_check_background(struct dfg_group *g)
{
	unsigned long scattered, total;
	unsigned int threshold = READ_ONCE(g->threshold);

	if (threshold >= DFG_THRESHOLD_OFF ||
	    delayed_work_pending(&g->compact_work) ||
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
	int ret;

	dfg_free_wq = alloc_workqueue("hpmm_defrag_free", WQ_UNBOUND, 0);
	if (!dfg_free_wq)
		return -ENOMEM;
	g = dfg_group_alloc("default", DFG_GROUP_DEFAULT, DFG_POLICY_GROUPING);
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto err_wq;
	}
	ret = dfg_group_publish(g, 0);
	if (ret)
		goto err_group;
	WRITE_ONCE(dfg_default, g);
	return 0;

err_group:
	dfg_group_free(g);
err_wq:
	destroy_workqueue(dfg_free_wq);
	return ret;
}

/* Every file of /dev/hpmm is closed: only the default group is listed. */
void dfg_groups_exit(void)
{
	struct dfg_group *g, *tmp;

	/* Groups whose last holder let go just before are freed first. */
	destroy_workqueue(dfg_free_wq);
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
		dfg_group_free(g);
	}
	mutex_unlock(&dfg_groups_mutex);
}
