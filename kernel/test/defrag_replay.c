// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG trace replay, in hpmm_test.ko: one trace (tools/defrag/, format
 * in Documentation/defrag.rst) replayed in the kernel against
 *   grouping  DEFRAG groups with mobility grouping,
 *   firstfit  DEFRAG groups with the first-fit baseline,
 *   kernel    the page allocator's own alloc_pages()/__free_pages(),
 * then an order-0 alloc+free timing of DEFRAG against alloc_page() and
 * __free_page(), all in one run, into one result file.
 *
 * In the DEFRAG variants movable order-0 allocations are keyed pages of a
 * replay object (so compaction can move them, as it moves mapped pages);
 * every other allocation is held by the replay like any kernel caller's.
 * After the churn each group's pollution and free memory are measured,
 * then 2 MiB allocations are taken from each group, limited to the blocks
 * it holds, until one fails; compaction runs when an allocation finds no
 * free block. For the kernel, pollution comes from the pfns of its
 * unmovable pages, and its 2 MiB figure is the number of 2 MiB blocks the
 * trace touched that hold none of its live pages (the kernel cannot move
 * these pages: they are not on an LRU).
 *
 * Driven through debugfs hpmm_test/defrag/replay/: "trace" takes the
 * events (lines may span writes), "control" runs the replay, "result"
 * and "status" show what it found. It reaches DEFRAG only through what
 * hpmm.ko exports.
 */
#define pr_fmt(fmt) "hpmm_test: defrag: " fmt

#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/xarray.h>

#include "../defrag/defrag.h"
#include "compat/mm.h"
#include "defrag_test.h"
#include "test.h"

#define DFG_RP_MAX_EVENTS	(4U << 20)
#define DFG_RP_MAX_HANDLE	BIT(22)
#define DFG_RP_MAX_GROUPS	16
#define DFG_RP_RESULT_MAX	8192
#define DFG_RP_LINE_MAX		128
/* The longest write to replay/trace. */
#define DFG_RP_WRITE_MAX	(4 * PAGE_SIZE)

/**
 * struct dfg_ev - one trace event
 * @handle: the allocation it is about
 * @op: 'a' or 'f'
 * @group: trace group, 0 to DFG_RP_MAX_GROUPS - 1
 * @order: 0 to 9
 * @mt: enum dfg_mt
 */
struct dfg_ev {
	u32 handle;
	u8 op;
	u8 group;
	u8 order;
	u8 mt;
};

static DEFINE_MUTEX(dfg_rp_mutex);
static struct dfg_ev *dfg_rp_ev;
static unsigned int dfg_rp_nr, dfg_rp_cap;
static u32 dfg_rp_max_handle;
static unsigned int dfg_rp_groups;
static char dfg_rp_carry[DFG_RP_LINE_MAX];
static unsigned int dfg_rp_carry_len;
static char *dfg_rp_result;
static size_t dfg_rp_result_len;
static int dfg_rp_error;
/* Block limit of each trace group's DEFRAG group (0: none). */
static unsigned int dfg_rp_limit[DFG_RP_MAX_GROUPS];

static void dfg_rp_printf(const char *fmt, ...) __printf(1, 2);

static void dfg_rp_printf(const char *fmt, ...)
{
	va_list ap;

	if (!dfg_rp_result)
		return;
	va_start(ap, fmt);
	dfg_rp_result_len += vscnprintf(dfg_rp_result + dfg_rp_result_len,
					DFG_RP_RESULT_MAX - dfg_rp_result_len,
					fmt, ap);
	va_end(ap);
}

/* ---- the trace -------------------------------------------------------------- */

static void dfg_rp_reset(void)
{
	kvfree(dfg_rp_ev);
	dfg_rp_ev = NULL;
	dfg_rp_nr = 0;
	dfg_rp_cap = 0;
	dfg_rp_max_handle = 0;
	dfg_rp_groups = 0;
	dfg_rp_carry_len = 0;
	dfg_rp_error = 0;
}

static int dfg_rp_parse_line(char *line)
{
	unsigned int handle, group, order;
	char op, mob[16];
	struct dfg_ev *ev;
	int mt, n;

	line = strim(line);
	if (!line[0] || line[0] == '#')
		return 0;
	n = sscanf(line, "%c %u %u %u %15s", &op, &handle, &group, &order,
		   mob);
	if (n != 5 || (op != 'a' && op != 'f') || handle >= DFG_RP_MAX_HANDLE ||
	    group >= DFG_RP_MAX_GROUPS || order > DFG_MAX_ORDER)
		return -EINVAL;
	mt = dfg_parse_mt(mob);
	if (mt < 0)
		return -EINVAL;
	if (dfg_rp_nr == dfg_rp_cap) {
		unsigned int cap = max(dfg_rp_cap * 2, 4096U);
		struct dfg_ev *v;

		if (dfg_rp_nr >= DFG_RP_MAX_EVENTS)
			return -E2BIG;
		v = hpmm_kvrealloc(dfg_rp_ev, dfg_rp_cap * sizeof(*v),
				   cap * sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		dfg_rp_ev = v;
		dfg_rp_cap = cap;
	}
	ev = &dfg_rp_ev[dfg_rp_nr++];
	ev->op = op;
	ev->handle = handle;
	ev->group = group;
	ev->order = order;
	ev->mt = mt;
	dfg_rp_max_handle = max(dfg_rp_max_handle, handle);
	dfg_rp_groups = max(dfg_rp_groups, group + 1);
	return 0;
}

/*
 * Lines may span writes: the tail after the last newline is carried to the
 * next write. The data is copied in before the lock is taken, so a writer
 * stalled in copy_from_user() (on a userfaultfd page) holds nothing, and
 * the buffer has room for the longest carry in front of it, whatever the
 * carry is once the lock is held.
 */
static ssize_t trace_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char *buf, *data, *p, *nl;
	size_t len;
	int ret;

	if (count > DFG_RP_WRITE_MAX)
		return -EINVAL;
	buf = kvmalloc(DFG_RP_LINE_MAX + count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	data = buf + DFG_RP_LINE_MAX;
	ret = -EFAULT;
	if (copy_from_user(data, ubuf, count))
		goto out_free;
	data[count] = '\0';
	ret = -EINVAL;
	if (strlen(data) != count)
		goto out_free;	/* a NUL byte is no trace */
	ret = mutex_lock_killable(&dfg_rp_mutex);
	if (ret)
		goto out_free;
	if (dfg_rp_error) {
		ret = dfg_rp_error;
		goto out;
	}
	/* The carry is always shorter than DFG_RP_LINE_MAX (below). */
	p = data - dfg_rp_carry_len;
	memcpy(p, dfg_rp_carry, dfg_rp_carry_len);
	dfg_rp_carry_len = 0;
	while ((nl = strchr(p, '\n'))) {
		*nl = '\0';
		ret = dfg_rp_parse_line(p);
		if (ret)
			goto bad;
		p = nl + 1;
	}
	len = strlen(p);
	if (len >= DFG_RP_LINE_MAX) {
		ret = -EINVAL;
		goto bad;
	}
	memcpy(dfg_rp_carry, p, len);
	dfg_rp_carry_len = len;
	goto out;
bad:
	/* A bad trace stays refused until "reset". */
	dfg_rp_error = ret;
out:
	mutex_unlock(&dfg_rp_mutex);
out_free:
	kvfree(buf);
	return ret ? ret : count;
}

static const struct file_operations trace_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = trace_write,
	.llseek = noop_llseek,
};

/*
 * Checks the trace is consistent (0, or -EINVAL with the reason printed)
 * and sets each group's block limit: its peak of live pages plus
 * @headroom percent, in blocks (no limit for @headroom 0).
 */
static int dfg_rp_validate(unsigned int headroom)
{
	u64 live_pages[DFG_RP_MAX_GROUPS] = { }, peak[DFG_RP_MAX_GROUPS] = { };
	unsigned long *live;
	unsigned int i;
	int ret = 0;

	if (dfg_rp_carry_len) {
		char line[DFG_RP_LINE_MAX + 1];

		memcpy(line, dfg_rp_carry, dfg_rp_carry_len);
		line[dfg_rp_carry_len] = '\0';
		dfg_rp_carry_len = 0;
		ret = dfg_rp_parse_line(line);
		if (ret)
			return ret;
	}
	if (!dfg_rp_nr) {
		dfg_rp_printf("error: no trace loaded\n");
		return -ENODATA;
	}
	live = bitmap_zalloc(dfg_rp_max_handle + 1, GFP_KERNEL);
	if (!live)
		return -ENOMEM;
	for (i = 0; i < dfg_rp_nr; i++) {
		struct dfg_ev *ev = &dfg_rp_ev[i];

		if ((ev->op == 'a') == test_bit(ev->handle, live)) {
			dfg_rp_printf("error: event %u: handle %u %s\n", i,
				      ev->handle, ev->op == 'a' ?
				      "allocated twice" : "not allocated");
			ret = -EINVAL;
			break;
		}
		__change_bit(ev->handle, live);
		if (ev->op == 'a') {
			live_pages[ev->group] += 1U << ev->order;
			peak[ev->group] = max(peak[ev->group],
					      live_pages[ev->group]);
		} else {
			live_pages[ev->group] -= 1U << ev->order;
		}
	}
	bitmap_free(live);
	for (i = 0; i < DFG_RP_MAX_GROUPS; i++)
		dfg_rp_limit[i] = !headroom ? 0 :
			max_t(u64, 1, DIV_ROUND_UP(peak[i] * (100 + headroom),
						   100 * DFG_BLOCK_PAGES));
	return ret;
}

/* ---- DEFRAG variants ------------------------------------------------------ */

struct dfg_rp_obj {
	struct dfg_obj obj;
};

static void dfg_rp_obj_release(struct dfg_obj *obj)
{
	kfree_rcu(container_of(obj, struct dfg_rp_obj, obj), obj.rcu);
}

static const struct dfg_obj_ops dfg_rp_obj_ops = {
	.release = dfg_rp_obj_release,
};

/**
 * struct dfg_rp_run - one DEFRAG variant being replayed
 * @g: a group per trace group
 * @obj: a keyed object per trace group, for movable order-0 pages
 * @pages: the page of each live handle held as a kernel allocation
 * @order: the order of each such allocation
 * @failures: allocations that failed
 */
struct dfg_rp_run {
	struct dfg_group *g[DFG_RP_MAX_GROUPS];
	struct dfg_rp_obj *obj[DFG_RP_MAX_GROUPS];
	struct page **pages;
	u8 *order;
	u64 failures;
};

static const gfp_t dfg_rp_gfp[DFG_NR_MT] = {
	[DFG_MT_UNMOVABLE] = GFP_KERNEL,
	[DFG_MT_MOVABLE] = GFP_KERNEL | __GFP_MOVABLE,
	[DFG_MT_RECLAIMABLE] = GFP_KERNEL | __GFP_RECLAIMABLE,
};

static bool dfg_rp_keyed(const struct dfg_ev *ev)
{
	return ev->mt == DFG_MT_MOVABLE && !ev->order;
}

static void dfg_rp_event(struct dfg_rp_run *r, const struct dfg_ev *ev)
{
	struct dfg_group *g = r->g[ev->group];
	struct dfg_obj *obj = &r->obj[ev->group]->obj;
	u32 key = obj->base + ev->handle;
	struct page *page;

	if (ev->op == 'a') {
		if (dfg_rp_keyed(ev)) {
			page = dfg_alloc_keyed(g, key, GFP_KERNEL);
			if (page && xa_is_err(xa_store(&obj->pages, ev->handle,
						       page, GFP_KERNEL))) {
				dfg_free_keyed(g, page, key);
				page = NULL;
			}
		} else {
			page = dfg_alloc_pages(g, dfg_rp_gfp[ev->mt],
					       ev->order);
			r->pages[ev->handle] = page;
			r->order[ev->handle] = ev->order;
		}
		if (!page)
			r->failures++;
		return;
	}
	if (dfg_rp_keyed(ev)) {
		page = xa_erase(&obj->pages, ev->handle);
		/* A poisoned slot's page was given up (hwpoison.c). */
		if (page && !xa_is_value(page))
			dfg_free_keyed(g, page, key);
	} else {
		page = r->pages[ev->handle];
		r->pages[ev->handle] = NULL;
		if (page)
			dfg_free_pages(page, ev->order);
	}
}

static int dfg_rp_cmp_u16(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

struct dfg_rp_used {
	u16 *v;
	unsigned int n, cap;
};

static void dfg_rp_collect_used(const struct dfg_block *blk, void *arg)
{
	struct dfg_rp_used *u = arg;

	if (u->n < u->cap && blk->state == DFG_BS_SPLIT &&
	    !(blk->flags & DFG_BF_ISOLATED) && dfg_block_evacuable(blk))
		u->v[u->n++] = dfg_block_used(blk);
}

/*
 * Takes 2 MiB blocks from @g, limited to the blocks it holds, until one
 * fails. *@min is the fewest page moves that could have made the blocks
 * compaction recovered: the live pages of that many of the sparsest
 * movable blocks, as they were before the first allocation.
 */
static unsigned int dfg_rp_huge(struct dfg_group *g, struct page ***huge,
				unsigned int *nr_huge, unsigned int cap,
				u64 *min, u64 *moved, u64 *recovered)
{
	struct dfg_knobs limit = { .fields = DFG_KNOB_LIMIT };
	struct dfg_rp_used u = { };
	struct dfg_summary s;
	struct dfg_cstats cs;
	unsigned int n = 0, i;
	struct page *page;
	u64 rec0, moved0;

	dfg_group_compact_stats(g, &cs);
	rec0 = cs.recovered;
	moved0 = cs.moved;

	dfg_group_summarize(g, &s);
	u.cap = s.split_blocks;
	u.v = kvmalloc_array(max(u.cap, 1U), sizeof(*u.v), GFP_KERNEL);
	if (u.v)
		dfg_group_walk(g, dfg_rp_collect_used, &u);
	limit.limit = s.blocks;
	dfg_group_set(g, &limit);

	while (*nr_huge < cap) {
		page = dfg_alloc_pages(g, GFP_KERNEL | __GFP_MOVABLE,
				       DFG_MAX_ORDER);
		if (!page)
			break;
		(*huge)[(*nr_huge)++] = page;
		n++;
		cond_resched();
	}

	dfg_group_compact_stats(g, &cs);
	*recovered += cs.recovered - rec0;
	*moved += cs.moved - moved0;
	rec0 = cs.recovered - rec0;
	if (u.v) {
		sort(u.v, u.n, sizeof(*u.v), dfg_rp_cmp_u16, NULL);
		for (i = 0; i < rec0 && i < u.n; i++)
			*min += u.v[i];
		kvfree(u.v);
	}
	return n;
}

static void dfg_rp_sum_pollution(u64 holding, u64 fewest, const char *name,
				 const char *what)
{
	dfg_rp_printf("%s_%s_milli: %llu\n", name, what,
		      fewest ? div64_u64(holding * 1000, fewest) : 1000);
}

/*
 * The cgroup v2 of the task that started the run, with a reference, for
 * the charge=1 run: its groups charge their blocks to that cgroup's memcg.
 */
static struct cgroup *dfg_rp_current_cgroup(void)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}

static int dfg_rp_defrag(enum dfg_policy policy, bool charge)
{
	const char *name = dfg_policy_name(policy);
	u64 hold_u = 0, few_u = 0, hold_r = 0, few_r = 0, blocks = 0;
	u64 free_pages = 0, possible = 0, got = 0, min = 0, moved = 0;
	u64 recovered = 0, churn_ns, used_u = 0, used_m = 0, used_r = 0;
	u64 charged = 0;
	struct dfg_knobs knobs = { .fields = DFG_KNOB_LIMIT };
	unsigned int gi, i, nr_huge = 0, huge_cap, limit = 0;
	struct page **huge = NULL;
	struct dfg_rp_run *r;
	struct dfg_summary s;
	u64 start;
	int ret = 0;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->pages = kvcalloc(dfg_rp_max_handle + 1, sizeof(*r->pages),
			    GFP_KERNEL);
	r->order = kvcalloc(dfg_rp_max_handle + 1, 1, GFP_KERNEL);
	if (!r->pages || !r->order) {
		ret = -ENOMEM;
		goto out;
	}
	for (gi = 0; gi < dfg_rp_groups; gi++) {
		char gname[DFG_NAME_MAX];

		snprintf(gname, sizeof(gname), "replay-%s-%u", name, gi);
		r->g[gi] = dfg_group_create_internal(gname, policy);
		if (IS_ERR(r->g[gi])) {
			ret = PTR_ERR(r->g[gi]);
			r->g[gi] = NULL;
			goto out;
		}
		knobs.limit = dfg_rp_limit[gi];
		if (charge) {
			knobs.fields |= DFG_KNOB_CGROUP;
			knobs.cgrp = dfg_rp_current_cgroup();
		}
		dfg_group_set(r->g[gi], &knobs);
		limit += dfg_rp_limit[gi];
		r->obj[gi] = kzalloc(sizeof(*r->obj[gi]), GFP_KERNEL);
		if (!r->obj[gi]) {
			ret = -ENOMEM;
			goto out;
		}
		dfg_group_hold(r->g[gi]);
		ret = dfg_obj_init(&r->obj[gi]->obj, r->g[gi],
				   dfg_rp_max_handle + 1, &dfg_rp_obj_ops);
		if (ret) {
			dfg_group_put(r->g[gi]);
			kfree(r->obj[gi]);
			r->obj[gi] = NULL;
			goto out;
		}
	}

	start = ktime_get_ns();
	for (i = 0; i < dfg_rp_nr; i++) {
		dfg_rp_event(r, &dfg_rp_ev[i]);
		if (!(i % 1024))
			cond_resched();
	}
	churn_ns = ktime_get_ns() - start;

	for (gi = 0; gi < dfg_rp_groups; gi++) {
		struct dfg_group *g = r->g[gi];

		dfg_group_summarize(g, &s);
		hold_u += s.holding[DFG_MT_UNMOVABLE];
		few_u += DIV_ROUND_UP(s.used[DFG_MT_UNMOVABLE], DFG_BLOCK_PAGES);
		hold_r += s.holding[DFG_MT_RECLAIMABLE];
		few_r += DIV_ROUND_UP(s.used[DFG_MT_RECLAIMABLE],
				      DFG_BLOCK_PAGES);
		used_u += s.used[DFG_MT_UNMOVABLE];
		used_m += s.used[DFG_MT_MOVABLE];
		used_r += s.used[DFG_MT_RECLAIMABLE];
		blocks += s.blocks;
		charged += atomic_long_read(&g->charged_blocks);
		free_pages += s.free_pages;
		possible += s.free_pages / DFG_BLOCK_PAGES;
	}
	dfg_rp_printf("%s_limit_blocks: %u\n", name, limit);
	dfg_rp_printf("%s_failures: %llu\n", name, r->failures);
	dfg_rp_printf("%s_ns_per_event: %llu\n", name,
		      div64_u64(churn_ns, dfg_rp_nr));
	dfg_rp_printf("%s_blocks: %llu\n", name, blocks);
	dfg_rp_printf("%s_memcg_charged_blocks: %llu\n", name, charged);
	dfg_rp_printf("%s_used_unmovable: %llu\n", name, used_u);
	dfg_rp_printf("%s_used_movable: %llu\n", name, used_m);
	dfg_rp_printf("%s_used_reclaimable: %llu\n", name, used_r);
	dfg_rp_printf("%s_holding_unmovable: %llu\n", name, hold_u);
	dfg_rp_printf("%s_fewest_unmovable: %llu\n", name, few_u);
	dfg_rp_sum_pollution(hold_u, few_u, name, "pollution");
	dfg_rp_sum_pollution(hold_r, few_r, name, "reclaimable_pollution");

	huge_cap = possible + dfg_rp_groups;
	huge = kvcalloc(huge_cap, sizeof(*huge), GFP_KERNEL);
	if (!huge) {
		ret = -ENOMEM;
		goto out;
	}
	start = ktime_get_ns();
	for (gi = 0; gi < dfg_rp_groups; gi++)
		got += dfg_rp_huge(r->g[gi], &huge, &nr_huge, huge_cap, &min,
				   &moved, &recovered);
	dfg_rp_printf("%s_free_pages: %llu\n", name, free_pages);
	dfg_rp_printf("%s_order9_possible: %llu\n", name, possible);
	dfg_rp_printf("%s_order9_success: %llu\n", name, got);
	dfg_rp_printf("%s_order9_milli: %llu\n", name,
		      possible ? div64_u64(got * 1000, possible) : 1000);
	dfg_rp_printf("%s_compact_moved: %llu\n", name, moved);
	dfg_rp_printf("%s_compact_recovered: %llu\n", name, recovered);
	dfg_rp_printf("%s_compact_min_moves: %llu\n", name, min);
	dfg_rp_printf("%s_compact_ratio_milli: %llu\n", name,
		      min ? div64_u64(moved * 1000, min) : 1000);
	dfg_rp_printf("%s_order9_ns: %llu\n", name, ktime_get_ns() - start);

out:
	for (i = 0; huge && i < nr_huge; i++)
		dfg_free_pages(huge[i], DFG_MAX_ORDER);
	kvfree(huge);
	for (i = 0; r->pages && i <= dfg_rp_max_handle; i++)
		if (r->pages[i])
			dfg_free_pages(r->pages[i], r->order[i]);
	for (gi = 0; gi < DFG_RP_MAX_GROUPS; gi++) {
		if (r->obj[gi])
			dfg_obj_put(&r->obj[gi]->obj);
		if (r->g[gi])
			dfg_group_destroy_internal(r->g[gi]);
	}
	kvfree(r->order);
	kvfree(r->pages);
	kfree(r);
	return ret;
}

/* ---- the kernel variant ----------------------------------------------------- */

static unsigned long dfg_rp_count(struct xarray *xa)
{
	unsigned long index, n = 0;
	void *entry;

	xa_for_each(xa, index, entry)
		n++;
	return n;
}

static int dfg_rp_mark(struct xarray *xa, unsigned long blk, unsigned long n)
{
	void *old = xa_load(xa, blk);
	unsigned long v = old ? xa_to_value(old) : 0;

	return xa_err(xa_store(xa, blk, xa_mk_value(v + n), GFP_KERNEL));
}

static int dfg_rp_kernel(void)
{
	u64 live = 0, used_u = 0, failures = 0, churn_ns, start;
	u64 fp, busy, possible, got;
	struct xarray footprint, live_blocks, unmov_blocks;
	struct page **pages;
	u32 *pfns;
	u8 *order;
	unsigned int i;
	int ret = 0;

	pages = kvcalloc(dfg_rp_max_handle + 1, sizeof(*pages), GFP_KERNEL);
	order = kvcalloc(dfg_rp_max_handle + 1, 1, GFP_KERNEL);
	pfns = kvcalloc(dfg_rp_nr, sizeof(*pfns), GFP_KERNEL);
	if (!pages || !order || !pfns) {
		ret = -ENOMEM;
		goto out;
	}
	xa_init(&footprint);
	xa_init(&live_blocks);
	xa_init(&unmov_blocks);

	start = ktime_get_ns();
	for (i = 0; i < dfg_rp_nr; i++) {
		struct dfg_ev *ev = &dfg_rp_ev[i];
		struct page *page;

		if (ev->op == 'a') {
			page = alloc_pages(dfg_rp_gfp[ev->mt] | __GFP_NOWARN,
					   ev->order);
			pages[ev->handle] = page;
			order[ev->handle] = ev->order | ev->mt << 4;
			if (page)
				pfns[i] = page_to_pfn(page);
			else
				failures++;
		} else if (pages[ev->handle]) {
			__free_pages(pages[ev->handle], ev->order);
			pages[ev->handle] = NULL;
		}
		if (!(i % 1024))
			cond_resched();
	}
	churn_ns = ktime_get_ns() - start;

	/* Blocks the trace's pages ever landed in (runs lie in one block). */
	for (i = 0; i < dfg_rp_nr && !ret; i++)
		if (pfns[i])
			ret = dfg_rp_mark(&footprint,
					  pfns[i] >> DFG_BLOCK_ORDER, 1);
	for (i = 0; i <= dfg_rp_max_handle && !ret; i++) {
		unsigned long blk;

		if (!pages[i])
			continue;
		blk = page_to_pfn(pages[i]) >> DFG_BLOCK_ORDER;
		live += 1U << (order[i] & 0xf);
		ret = dfg_rp_mark(&live_blocks, blk, 1U << (order[i] & 0xf));
		if (!ret && order[i] >> 4 == DFG_MT_UNMOVABLE) {
			used_u += 1U << (order[i] & 0xf);
			ret = dfg_rp_mark(&unmov_blocks, blk, 1);
		}
	}
	fp = dfg_rp_count(&footprint);
	busy = dfg_rp_count(&live_blocks);
	possible = (fp * DFG_BLOCK_PAGES - live) / DFG_BLOCK_PAGES;
	got = fp - busy;

	dfg_rp_printf("kernel_failures: %llu\n", failures);
	dfg_rp_printf("kernel_ns_per_event: %llu\n",
		      div64_u64(churn_ns, dfg_rp_nr));
	dfg_rp_printf("kernel_blocks: %llu\n", fp);
	dfg_rp_printf("kernel_used_unmovable: %llu\n", used_u);
	dfg_rp_printf("kernel_holding_unmovable: %lu\n",
		      dfg_rp_count(&unmov_blocks));
	dfg_rp_printf("kernel_fewest_unmovable: %llu\n",
		      (u64)DIV_ROUND_UP(used_u, DFG_BLOCK_PAGES));
	dfg_rp_sum_pollution(dfg_rp_count(&unmov_blocks),
			     DIV_ROUND_UP(used_u, DFG_BLOCK_PAGES), "kernel",
			     "pollution");
	dfg_rp_printf("kernel_free_pages: %llu\n",
		      fp * DFG_BLOCK_PAGES - live);
	dfg_rp_printf("kernel_order9_possible: %llu\n", possible);
	dfg_rp_printf("kernel_order9_success: %llu\n", got);
	dfg_rp_printf("kernel_order9_milli: %llu\n",
		      possible ? div64_u64(got * 1000, possible) : 1000);

	xa_destroy(&footprint);
	xa_destroy(&live_blocks);
	xa_destroy(&unmov_blocks);
out:
	for (i = 0; pages && order && i <= dfg_rp_max_handle; i++)
		if (pages[i])
			__free_pages(pages[i], order[i] & 0xf);
	kvfree(pfns);
	kvfree(order);
	kvfree(pages);
	return ret;
}

/* ---- order-0 alloc+free timing ---------------------------------------------- */

#define DFG_RP_BATCH	256

static u64 dfg_rp_time_kernel(unsigned int n, struct page **v, bool batch)
{
	u64 start = ktime_get_ns();
	unsigned int i, j;

	if (!batch) {
		for (i = 0; i < n; i++) {
			struct page *p = alloc_page(GFP_KERNEL);

			if (p)
				__free_page(p);
		}
		return ktime_get_ns() - start;
	}
	for (i = 0; i < n; i += DFG_RP_BATCH) {
		for (j = 0; j < DFG_RP_BATCH; j++)
			v[j] = alloc_page(GFP_KERNEL);
		for (j = 0; j < DFG_RP_BATCH; j++)
			if (v[j])
				__free_page(v[j]);
	}
	return ktime_get_ns() - start;
}

static u64 dfg_rp_time_defrag(struct dfg_group *g, unsigned int n,
			      struct page **v, bool batch)
{
	u64 start = ktime_get_ns();
	unsigned int i, j;

	if (!batch) {
		for (i = 0; i < n; i++) {
			struct page *p = dfg_alloc_pages(g, GFP_KERNEL, 0);

			if (p)
				dfg_free_pages(p, 0);
		}
		return ktime_get_ns() - start;
	}
	for (i = 0; i < n; i += DFG_RP_BATCH) {
		for (j = 0; j < DFG_RP_BATCH; j++)
			v[j] = dfg_alloc_pages(g, GFP_KERNEL, 0);
		for (j = 0; j < DFG_RP_BATCH; j++)
			if (v[j])
				dfg_free_pages(v[j], 0);
	}
	return ktime_get_ns() - start;
}

#define DFG_RP_SLICES	32

static int dfg_rp_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The pairs are timed in DFG_RP_SLICES slices per side, the sides
 * alternating slice by slice (and which goes first), so that both see the
 * same machine; each side reports the median slice.
 */
static int dfg_rp_order0(unsigned int n)
{
	u64 *kt, *dt, kmed[2], dmed[2];
	struct dfg_group *g;
	unsigned int s, b, per;
	struct page **v;
	int ret = -ENOMEM;

	v = kcalloc(DFG_RP_BATCH, sizeof(*v), GFP_KERNEL);
	kt = kcalloc(DFG_RP_SLICES, sizeof(*kt), GFP_KERNEL);
	dt = kcalloc(DFG_RP_SLICES, sizeof(*dt), GFP_KERNEL);
	if (!v || !kt || !dt)
		goto out;
	g = dfg_group_create_internal("replay-order0", DFG_POLICY_GROUPING);
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto out;
	}
	per = roundup(max(n / DFG_RP_SLICES, (unsigned int)DFG_RP_BATCH),
		      DFG_RP_BATCH);
	n = per * DFG_RP_SLICES;
	/* Warm both up: caches, the group's first block. */
	dfg_rp_time_kernel(DFG_RP_BATCH, v, true);
	dfg_rp_time_defrag(g, DFG_RP_BATCH, v, true);
	for (b = 0; b < 2; b++) {
		for (s = 0; s < DFG_RP_SLICES; s++) {
			if (s & 1) {
				dt[s] = dfg_rp_time_defrag(g, per, v, b);
				kt[s] = dfg_rp_time_kernel(per, v, b);
			} else {
				kt[s] = dfg_rp_time_kernel(per, v, b);
				dt[s] = dfg_rp_time_defrag(g, per, v, b);
			}
			cond_resched();
		}
		sort(kt, DFG_RP_SLICES, sizeof(*kt), dfg_rp_cmp_u64, NULL);
		sort(dt, DFG_RP_SLICES, sizeof(*dt), dfg_rp_cmp_u64, NULL);
		kmed[b] = kt[DFG_RP_SLICES / 2];
		dmed[b] = dt[DFG_RP_SLICES / 2];
	}
	dfg_group_destroy_internal(g);

	dfg_rp_printf("order0_pairs: %u\n", n);
	dfg_rp_printf("order0_init_on_alloc: %d\n",
		      want_init_on_alloc(GFP_KERNEL) ? 1 : 0);
	dfg_rp_printf("order0_kernel_ns: %llu\n", div64_u64(kmed[0], per));
	dfg_rp_printf("order0_defrag_ns: %llu\n", div64_u64(dmed[0], per));
	dfg_rp_printf("order0_ratio_milli: %llu\n",
		      div64_u64(dmed[0] * 1000, max(kmed[0], 1ULL)));
	dfg_rp_printf("order0_batch_kernel_ns: %llu\n",
		      div64_u64(kmed[1], per));
	dfg_rp_printf("order0_batch_defrag_ns: %llu\n",
		      div64_u64(dmed[1], per));
	dfg_rp_printf("order0_batch_ratio_milli: %llu\n",
		      div64_u64(dmed[1] * 1000, max(kmed[1], 1ULL)));
	ret = 0;
out:
	kfree(dt);
	kfree(kt);
	kfree(v);
	return ret;
}

/* ---- control and result ------------------------------------------------------ */

#define DFG_RP_GROUPING	0x01
#define DFG_RP_FIRSTFIT	0x02
#define DFG_RP_KERNEL	0x04
#define DFG_RP_ORDER0	0x08
#define DFG_RP_ALL	0x0f
/* Only when asked: needs a BPF program attached (else grouping's plans). */
#define DFG_RP_BPF	0x10
#define DFG_RP_TRACE	(DFG_RP_GROUPING | DFG_RP_FIRSTFIT | DFG_RP_KERNEL | \
			 DFG_RP_BPF)

static int dfg_rp_run(unsigned int what, unsigned int pairs,
		      unsigned int headroom, bool charge)
{
	int ret = 0;

	if (!dfg_rp_result) {
		dfg_rp_result = kvmalloc(DFG_RP_RESULT_MAX, GFP_KERNEL);
		if (!dfg_rp_result)
			return -ENOMEM;
	}
	dfg_rp_result_len = 0;
	dfg_rp_result[0] = '\0';
	if (what & DFG_RP_BPF && !dfg_bpf_supported())
		return -EOPNOTSUPP;
	if (what & DFG_RP_TRACE) {
		ret = dfg_rp_validate(headroom);
		if (ret)
			return ret;
		dfg_rp_printf("events: %u\n", dfg_rp_nr);
		dfg_rp_printf("headroom_pct: %u\n", headroom);
		dfg_rp_printf("handles: %u\n", dfg_rp_max_handle + 1);
		dfg_rp_printf("groups: %u\n", dfg_rp_groups);
		dfg_rp_printf("charge: %u\n", charge);
	}
	dfg_rp_printf("block_meta_bytes: %zu\n", sizeof(struct dfg_kblock));
	dfg_rp_printf("block_meta_slab_bytes: %zu\n",
		      kmalloc_size_roundup(sizeof(struct dfg_kblock)));
	dfg_rp_printf("page_meta_bytes: %zu\n", sizeof(struct dfg_pinfo_buf));
	dfg_rp_printf("struct_page_bytes: %zu\n",
		      sizeof(struct page) * DFG_BLOCK_PAGES);
	if (!ret && what & DFG_RP_GROUPING)
		ret = dfg_rp_defrag(DFG_POLICY_GROUPING, charge);
	if (!ret && what & DFG_RP_FIRSTFIT)
		ret = dfg_rp_defrag(DFG_POLICY_FIRSTFIT, charge);
	if (!ret && what & DFG_RP_BPF)
		ret = dfg_rp_defrag(DFG_POLICY_BPF, charge);
	if (!ret && what & DFG_RP_KERNEL)
		ret = dfg_rp_kernel();
	if (!ret && what & DFG_RP_ORDER0)
		ret = dfg_rp_order0(pairs);
	if (ret)
		dfg_rp_printf("error: %d\n", ret);
	return ret;
}

static int dfg_rp_cmd_reset(void *priv, struct hpmm_cmd *cmd)
{
	dfg_rp_reset();
	return 0;
}

/*
 * run [grouping] [firstfit] [kernel] [order0] [bpf] [pairs=N] [headroom=P]
 * [charge=0|1]: with charge=1 the DEFRAG groups are bound to the writer's
 * cgroup, so their blocks are charged to its memcg. "bpf" (never by
 * default) replays with groups of the bpf policy, placed by the attached
 * BPF program (EOPNOTSUPP on a kernel without BPF policies).
 */
static int dfg_rp_cmd_run(void *priv, struct hpmm_cmd *cmd)
{
	static const char *const variants[] = {
		"grouping", "firstfit", "kernel", "order0", "bpf",
	};
	u64 pairs = 100000, headroom = 10, charge = 0;
	const struct hpmm_kv tab[] = {
		{ .key = "pairs", .min = 1, .max = 10000000, .val = &pairs },
		{ .key = "headroom", .min = 0, .max = 1000, .val = &headroom },
		{ .key = "charge", .min = 0, .max = 1, .val = &charge },
	};
	char *kv[HPMM_CMD_ARGS_MAX];
	unsigned int what = 0, v;
	int i, nkv = 0;

	for (i = 1; i < cmd->argc; i++) {
		if (strchr(cmd->argv[i], '=')) {
			kv[nkv++] = cmd->argv[i];
			continue;
		}
		for (v = 0; v < ARRAY_SIZE(variants); v++)
			if (!strcmp(cmd->argv[i], variants[v]))
				break;
		if (v == ARRAY_SIZE(variants))
			return -EINVAL;
		what |= BIT(v);
	}
	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), nkv, kv))
		return -EINVAL;
	return dfg_rp_run(what ? what : DFG_RP_ALL, pairs, headroom, charge);
}

static const struct hpmm_dbg_verb dfg_rp_verbs[] = {
	{ "reset", 1, 1, dfg_rp_cmd_reset },
	{ "run", 1, HPMM_CMD_ARGS_MAX, dfg_rp_cmd_run },
	{ }
};

static const struct hpmm_dbg_control dfg_rp_control = {
	.verbs = dfg_rp_verbs,
	.lock = &dfg_rp_mutex,
};

static int result_show(struct seq_file *m, void *unused)
{
	mutex_lock(&dfg_rp_mutex);
	if (dfg_rp_result)
		seq_write(m, dfg_rp_result, dfg_rp_result_len);
	mutex_unlock(&dfg_rp_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int status_show(struct seq_file *m, void *unused)
{
	mutex_lock(&dfg_rp_mutex);
	seq_printf(m, "events: %u\n", dfg_rp_nr);
	seq_printf(m, "handles: %u\n", dfg_rp_nr ? dfg_rp_max_handle + 1 : 0);
	seq_printf(m, "groups: %u\n", dfg_rp_groups);
	seq_printf(m, "error: %d\n", dfg_rp_error);
	mutex_unlock(&dfg_rp_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

int dfg_replay_init(struct dentry *dir)
{
	struct dentry *rd = debugfs_create_dir("replay", dir);

	debugfs_create_file("trace", 0200, rd, NULL, &trace_fops);
	hpmm_dbg_create_control("control", rd, &dfg_rp_control);
	debugfs_create_file("result", 0444, rd, NULL, &result_fops);
	debugfs_create_file("status", 0444, rd, NULL, &status_fops);
	return 0;
}

void dfg_replay_exit(void)
{
	dfg_rp_reset();
	kvfree(dfg_rp_result);
	dfg_rp_result = NULL;
}
