// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's statistics: what the core counts for each domain (struct
 * vpri_stats: counters, fault round-trip histograms, the fault timeline,
 * faults served per CPU). A domain's statistics are created with it and
 * outlive it: the VPRI_RETIRED_MAX most recently destroyed domains' stay
 * until "forget" or until their id is taken by a new object (ids are
 * reused once free), so that a run can be read after its domain is gone.
 * debugfs.c shows them.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "vpri.h"

/* Guards the list. */
static DEFINE_MUTEX(vpri_stats_lock);
/* Every statistics object, live domains' and retired ones', oldest first. */
static LIST_HEAD(vpri_stats_list);

static bool vpri_stats_retired(const struct vpri_stats *st)
{
	return !READ_ONCE(st->dom) && st->end_ns;
}

static void vpri_stats_free(struct vpri_stats *st)
{
	/* Waits for readers of its files; they take no VPRI mutex. */
	vpri_debugfs_remove_domain(st);
	kfree(st->worker_faults);
	kfree(st);
}

/* Frees the retired statistics of a domain with id @id (lock held). */
static void vpri_stats_drop_id(u64 id)
{
	struct vpri_stats *s, *tmp;

	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		if (s->id == id && vpri_stats_retired(s)) {
			list_del(&s->node);
			vpri_stats_free(s);
		}
	}
}

/**
 * vpri_stats_create() - statistics for a new domain
 * @id: the domain's id
 * @policy: its policy (HPMM_VPRI_POLICY_*)
 * @on_demand: its mode is the on-demand one
 * @nr_pages: its size
 * @budget: its pin budget
 *
 * The retired statistics of an earlier domain with the same id are
 * dropped. The new ones are listed (and shown in debugfs) at once; the
 * domain is attached with vpri_stats_publish() once it is set up.
 *
 * Return: the statistics, or NULL without memory.
 */
struct vpri_stats *vpri_stats_create(u64 id, u32 policy, bool on_demand,
				     u32 nr_pages, u32 budget)
{
	struct vpri_stats *st;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return NULL;
	st->worker_faults = kcalloc(nr_cpu_ids, sizeof(*st->worker_faults),
				    GFP_KERNEL_ACCOUNT);
	if (!st->worker_faults) {
		kfree(st);
		return NULL;
	}
	st->id = id;
	st->policy = policy;
	st->on_demand = on_demand;
	st->nr_pages = nr_pages;
	st->budget = budget;
	st->start_ns = ktime_get_ns();
	st->bin_ns = VPRI_RATE_BIN_NS;
	spin_lock_init(&st->lock);
	vpri_hist_init(&st->rt_all);
	vpri_hist_init(&st->rt_swapin);
	vpri_hist_init(&st->rt_noswap);

	mutex_lock(&vpri_stats_lock);
	vpri_stats_drop_id(id);
	vpri_debugfs_add_domain(st);
	list_add_tail(&st->node, &vpri_stats_list);
	mutex_unlock(&vpri_stats_lock);
	return st;
}

/**
 * vpri_stats_publish() - the domain is set up: its pin set can be read
 * @st: its statistics
 * @dom: the domain
 */
void vpri_stats_publish(struct vpri_stats *st, struct vpri_domain *dom)
{
	spin_lock(&st->lock);
	st->dom = dom;
	spin_unlock(&st->lock);
}

/**
 * vpri_stats_destroy() - remove statistics at once (failed registration)
 * @st: the statistics, never published
 */
void vpri_stats_destroy(struct vpri_stats *st)
{
	mutex_lock(&vpri_stats_lock);
	list_del(&st->node);
	vpri_stats_free(st);
	mutex_unlock(&vpri_stats_lock);
}

/**
 * vpri_stats_retire() - a domain is being destroyed: keep its statistics
 * @st: its statistics
 * @dom: the domain, still allocated; its pin set's counters are copied
 *
 * Keeps the VPRI_RETIRED_MAX most recent retired statistics and frees the
 * older ones.
 */
void vpri_stats_retire(struct vpri_stats *st, struct vpri_domain *dom)
{
	struct vpri_stats *s, *tmp;
	unsigned int retired = 0;

	vpri_stats_majflt(st);
	spin_lock(&st->lock);
	spin_lock(&dom->plock);
	dom->mode->counters(dom, &st->final);
	spin_unlock(&dom->plock);
	st->dom = NULL;
	spin_unlock(&st->lock);
	WRITE_ONCE(st->end_ns, ktime_get_ns());

	mutex_lock(&vpri_stats_lock);
	list_for_each_entry(s, &vpri_stats_list, node)
		if (vpri_stats_retired(s))
			retired++;
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		if (retired <= VPRI_RETIRED_MAX)
			break;
		if (!vpri_stats_retired(s))
			continue;
		list_del(&s->node);
		vpri_stats_free(s);
		retired--;
	}
	mutex_unlock(&vpri_stats_lock);
}

/**
 * vpri_stats_fault() - record a served fault
 * @st: the domain's statistics
 * @now_ns: when it completed (ktime_get_ns)
 * @rt_ns: its round trip
 * @swapin: its pin swapped the page in
 */
void vpri_stats_fault(struct vpri_stats *st, u64 now_ns, u64 rt_ns,
		      bool swapin)
{
	u64 bin;
	u32 i;

	spin_lock(&st->lock);
	vpri_hist_add(&st->rt_all, rt_ns);
	vpri_hist_add(swapin ? &st->rt_swapin : &st->rt_noswap, rt_ns);
	bin = now_ns > st->start_ns ? div64_u64(now_ns - st->start_ns,
						st->bin_ns) : 0;
	/* Full: merge bins pairwise and double their width. */
	while (bin >= VPRI_RATE_BINS) {
		for (i = 0; i < VPRI_RATE_BINS / 2; i++)
			st->bins[i] = st->bins[2 * i] + st->bins[2 * i + 1];
		memset(&st->bins[VPRI_RATE_BINS / 2], 0,
		       sizeof(st->bins) / 2);
		st->nbins = (st->nbins + 1) / 2;
		st->bin_ns *= 2;
		bin /= 2;
	}
	st->bins[bin]++;
	if (bin + 1 > st->nbins)
		st->nbins = bin + 1;
	spin_unlock(&st->lock);
}

/**
 * vpri_stats_counters() - the policy's counters
 * @st: the statistics
 * @c: out: the live domain's counters, or those at its destruction
 * @live: out: the domain is live
 */
void vpri_stats_counters(struct vpri_stats *st, struct vpri_counters *c,
			 bool *live)
{
	spin_lock(&st->lock);
	*live = st->dom;
	if (st->dom) {
		spin_lock(&st->dom->plock);
		st->dom->mode->counters(st->dom, c);
		spin_unlock(&st->dom->plock);
	} else {
		*c = st->final;
	}
	spin_unlock(&st->lock);
}

/**
 * vpri_task_majflt() - major faults of a process so far, as getrusage()
 *	counts them (its threads', live and exited)
 * @tsk: its thread group leader
 *
 * Return: the count.
 */
u64 vpri_task_majflt(struct task_struct *tsk)
{
	struct task_struct *t;
	u64 n;

	rcu_read_lock();
	n = READ_ONCE(tsk->signal->maj_flt);
	for_each_thread(tsk, t)
		n += READ_ONCE(t->maj_flt);
	rcu_read_unlock();
	return n;
}

/**
 * vpri_stats_majflt() - the registering process's major faults since it
 *	registered the domain: swap-ins of its CPU memory, not the device's
 *	(those are faulted in by the workers)
 * @st: the statistics
 *
 * Read from the process while the domain lives (the last value is kept).
 *
 * Return: the count.
 */
u64 vpri_stats_majflt(struct vpri_stats *st)
{
	struct task_struct *tsk = NULL;
	u64 n;

	spin_lock(&st->lock);
	if (st->dom)
		tsk = get_task_struct(st->dom->task);
	spin_unlock(&st->lock);
	if (tsk) {
		n = vpri_task_majflt(tsk);
		put_task_struct(tsk);
		atomic64_set(&st->majflt, n >= st->majflt_start ?
			     n - st->majflt_start : 0);
	}
	return atomic64_read(&st->majflt);
}

/**
 * vpri_stats_elapsed_ns() - how long the domain lived, or has lived so far
 * @st: the statistics
 *
 * Return: nanoseconds.
 */
u64 vpri_stats_elapsed_ns(struct vpri_stats *st)
{
	u64 end = READ_ONCE(st->end_ns);

	return (end ? end : ktime_get_ns()) - st->start_ns;
}

/**
 * vpri_stats_count() - statistics kept, live domains' included
 *
 * Return: the count.
 */
unsigned int vpri_stats_count(void)
{
	struct vpri_stats *s;
	unsigned int n = 0;

	mutex_lock(&vpri_stats_lock);
	list_for_each_entry(s, &vpri_stats_list, node)
		n++;
	mutex_unlock(&vpri_stats_lock);
	return n;
}

/**
 * vpri_stats_forget() - drop the statistics of every destroyed domain
 */
void vpri_stats_forget(void)
{
	struct vpri_stats *s, *tmp;

	mutex_lock(&vpri_stats_lock);
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		if (!vpri_stats_retired(s))
			continue;
		list_del(&s->node);
		vpri_stats_free(s);
	}
	mutex_unlock(&vpri_stats_lock);
}

/**
 * vpri_stats_exit() - free every statistics object (module exit)
 *
 * No domain is left and debugfs vpri/ is already gone.
 */
void vpri_stats_exit(void)
{
	struct vpri_stats *s, *tmp;

	mutex_lock(&vpri_stats_lock);
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		list_del(&s->node);
		kfree(s->worker_faults);
		kfree(s);
	}
	mutex_unlock(&vpri_stats_lock);
}
