// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG debugfs: hpmm/defrag/{control,stats,map,blocks} and
 * hpmm/defrag/groups/NAME/{stats,map,blocks}, a client of the core: it
 * shows the groups' state, and its control file runs compaction and
 * drains the per-CPU caches of any group by name. Groups themselves are
 * created and set through /dev/hpmm (ioctl.c). Formats are in
 * Documentation/defrag.rst (debugfs is not ABI).
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "hpmm.h"
#include "defrag.h"

static struct dentry *dfg_groups_dir;
static struct dentry *dfg_control_file;

/* ---- block snapshots, for maps ------------------------------------------- */

struct dfg_snap {
	unsigned long pfn;
	u64 group;
	char c;
	u16 free;
	u16 used[DFG_NR_MT];
	u16 nid;
	unsigned int zeroings;
};

struct dfg_snapshot {
	struct dfg_snap *v;
	unsigned int n;
	unsigned int cap;
	u64 group;
};

static void dfg_snap_add(const struct dfg_block *blk, void *arg)
{
	struct dfg_snapshot *s = arg;
	struct dfg_snap *e;

	if (s->n == s->cap)
		return;
	e = &s->v[s->n++];
	e->pfn = blk->pfn;
	e->group = s->group;
	e->c = blk->grp ? dfg_block_char(blk) : '_';
	if (blk->state == DFG_BS_SPLIT)
		e->free = blk->nr_free;
	else
		e->free = blk->state == DFG_BS_FREE ? DFG_BLOCK_PAGES : 0;
	memcpy(e->used, blk->nr_used, sizeof(e->used));
	e->nid = blk->nid;
	e->zeroings = atomic_read(&container_of(blk, struct dfg_kblock,
						b)->zeroings);
}

static void dfg_snap_group(struct dfg_snapshot *s, struct dfg_group *g)
{
	unsigned long flags;

	s->group = g->id;
	spin_lock_irqsave(&g->lock, flags);
	dfg_core_walk(&g->core, dfg_snap_add, s);
	spin_unlock_irqrestore(&g->lock, flags);
}

static void dfg_snap_group_cb(struct dfg_group *g, void *arg)
{
	dfg_snap_group(arg, g);
}

static int dfg_snap_cmp(const void *a, const void *b)
{
	const struct dfg_snap *x = a, *y = b;

	if (x->pfn == y->pfn)
		return 0;
	return x->pfn < y->pfn ? -1 : 1;
}

/* Blocks of @g, or of every group and the pool when @g is NULL. */
static int dfg_snapshot(struct dfg_snapshot *s, struct dfg_group *g)
{
	s->n = 0;
	s->cap = dfg_blocks_held() + 64;
	s->v = kvmalloc_array(s->cap, sizeof(*s->v), GFP_KERNEL);
	if (!s->v)
		return -ENOMEM;
	if (g) {
		dfg_snap_group(s, g);
	} else {
		mutex_lock(&dfg_groups_mutex);
		dfg_groups_walk(dfg_snap_group_cb, s);
		mutex_unlock(&dfg_groups_mutex);
		s->group = 0;
		dfg_pool_walk(dfg_snap_add, s);
	}
	sort(s->v, s->n, sizeof(*s->v), dfg_snap_cmp, NULL);
	return 0;
}

static int dfg_show_map(struct seq_file *m, struct dfg_group *g)
{
	struct dfg_snapshot s;
	unsigned int i, col;
	int ret;

	ret = dfg_snapshot(&s, g);
	if (ret)
		return ret;
	/* By pfn, so node by node; with several nodes each has a header. */
	for (i = 0, col = 0; i < s.n; i++) {
		if (num_online_nodes() > 1 &&
		    (!i || s.v[i].nid != s.v[i - 1].nid)) {
			if (col)
				seq_putc(m, '\n');
			seq_printf(m, "node %u:\n", s.v[i].nid);
			col = 0;
		}
		seq_putc(m, s.v[i].c);
		if (++col == 64 || i == s.n - 1) {
			seq_putc(m, '\n');
			col = 0;
		}
	}
	kvfree(s.v);
	return 0;
}

/* Blocks of @g on each online node: "node<N>_blocks: <count>" lines. */
struct dfg_node_count {
	unsigned int nid;
	unsigned int n;
};

static void dfg_count_node(const struct dfg_block *blk, void *arg)
{
	struct dfg_node_count *c = arg;

	if (blk->nid == c->nid)
		c->n++;
}

static void dfg_show_nodes(struct seq_file *m, struct dfg_group *g)
{
	struct dfg_node_count c;
	unsigned long flags;
	int nid;

	for_each_online_node(nid) {
		c.nid = nid;
		c.n = 0;
		if (g) {
			spin_lock_irqsave(&g->lock, flags);
			dfg_core_walk(&g->core, dfg_count_node, &c);
			spin_unlock_irqrestore(&g->lock, flags);
		} else {
			dfg_pool_walk(dfg_count_node, &c);
		}
		seq_printf(m, "node%d_%s: %u\n", nid, g ? "blocks" : "pool_blocks",
			   c.n);
	}
}

static int dfg_show_blocks(struct seq_file *m, struct dfg_group *g)
{
	struct dfg_snapshot s;
	unsigned int i;
	int ret;

	ret = dfg_snapshot(&s, g);
	if (ret)
		return ret;
	seq_puts(m, "# pfn group char free unmovable movable reclaimable zeroed node\n");
	for (i = 0; i < s.n; i++)
		seq_printf(m, "%#lx %llu %c %u %u %u %u %u %u\n", s.v[i].pfn,
			   s.v[i].group, s.v[i].c, s.v[i].free,
			   s.v[i].used[DFG_MT_UNMOVABLE],
			   s.v[i].used[DFG_MT_MOVABLE],
			   s.v[i].used[DFG_MT_RECLAIMABLE], s.v[i].zeroings,
			   s.v[i].nid);
	kvfree(s.v);
	return 0;
}

/* ---- per-group files ------------------------------------------------------ */

static unsigned int dfg_pcp_pages(struct dfg_group *g)
{
	unsigned int cpu, mt, n = 0;

	for_each_possible_cpu(cpu)
		for (mt = 0; mt < DFG_NR_MT; mt++)
			n += READ_ONCE(per_cpu_ptr(g->pcp, cpu)->count[mt]);
	return n;
}

void dfg_group_show_stats(struct seq_file *m, struct dfg_group *g)
{
	char cgpath[sizeof(g->cgpath)];
	struct dfg_gcounters cnt;
	struct dfg_summary s;
	struct dfg_cstats cs;
	unsigned long flags;
	unsigned int limit, reserve;
	u8 policy;

	spin_lock_irqsave(&g->lock, flags);
	dfg_core_summarize(&g->core, &s);
	cnt = g->core.cnt;
	policy = g->core.policy;
	limit = g->core.limit;
	reserve = g->core.reserve;
	strscpy(cgpath, g->cgpath, sizeof(cgpath));
	spin_unlock_irqrestore(&g->lock, flags);
	dfg_group_compact_stats(g, &cs);

	seq_printf(m, "id: %u\n", g->id);
	seq_printf(m, "name: %s\n", g->name);
	seq_printf(m, "policy: %s\n", dfg_policy_name(policy));
	seq_printf(m, "cgroup: %s\n", cgpath[0] ? cgpath : "none");
	seq_printf(m, "memcg_charged_blocks: %ld\n",
		   atomic_long_read(&g->charged_blocks));
	seq_printf(m, "limit: %u\n", limit);
	seq_printf(m, "reserve: %u\n", reserve);
	seq_printf(m, "threshold: %u\n", READ_ONCE(g->threshold));
	seq_printf(m, "users: %u\n", refcount_read(&g->users) - 1);
	seq_printf(m, "blocks: %u\n", s.blocks);
	seq_printf(m, "free_blocks: %u\n", s.free_blocks);
	dfg_show_nodes(m, g);
	seq_printf(m, "huge_blocks: %u\n", s.huge_blocks);
	seq_printf(m, "split_blocks: %u\n", s.split_blocks);
	seq_printf(m, "unmovable_blocks: %u\n",
		   s.type_blocks[DFG_MT_UNMOVABLE]);
	seq_printf(m, "movable_blocks: %u\n", s.type_blocks[DFG_MT_MOVABLE]);
	seq_printf(m, "reclaimable_blocks: %u\n",
		   s.type_blocks[DFG_MT_RECLAIMABLE]);
	seq_printf(m, "mixed_blocks: %u\n", s.mixed_blocks);
	seq_printf(m, "isolated_blocks: %u\n", s.isolated_blocks);
	seq_printf(m, "free_pages: %lu\n", s.free_pages);
	seq_printf(m, "used_unmovable: %lu\n", s.used[DFG_MT_UNMOVABLE]);
	seq_printf(m, "used_movable: %lu\n", s.used[DFG_MT_MOVABLE]);
	seq_printf(m, "used_reclaimable: %lu\n", s.used[DFG_MT_RECLAIMABLE]);
	seq_printf(m, "pcp_pages: %u\n", dfg_pcp_pages(g));
	seq_printf(m, "holding_unmovable: %u\n", s.holding[DFG_MT_UNMOVABLE]);
	seq_printf(m, "pollution_milli: %u\n", s.pollution_milli);
	seq_printf(m, "reclaimable_pollution_milli: %u\n",
		   s.reclaimable_pollution_milli);
	seq_printf(m, "unusable_index_milli: %u\n", s.unusable_milli);
	seq_printf(m, "allocs_unmovable: %llu\n",
		   cnt.allocs[DFG_MT_UNMOVABLE]);
	seq_printf(m, "allocs_movable: %llu\n", cnt.allocs[DFG_MT_MOVABLE]);
	seq_printf(m, "allocs_reclaimable: %llu\n",
		   cnt.allocs[DFG_MT_RECLAIMABLE]);
	seq_printf(m, "alloc_fails: %llu\n", cnt.alloc_fails);
	seq_printf(m, "fills: %llu\n", cnt.fills);
	seq_printf(m, "fallbacks: %llu\n", cnt.fallbacks);
	seq_printf(m, "steals: %llu\n", cnt.steals);
	seq_printf(m, "bad_plans: %llu\n", cnt.bad_plans);
	seq_printf(m, "retypes: %llu\n", cnt.retypes);
	seq_printf(m, "splits: %llu\n", cnt.splits);
	seq_printf(m, "empties: %llu\n", cnt.empties);
	seq_printf(m, "huge_allocs: %llu\n", cnt.huge);
	seq_printf(m, "evict_requests: %llu\n", cnt.evict_requests);
	seq_printf(m, "evict_runs: %llu\n", cs.evict_runs);
	seq_printf(m, "evicted_pages: %llu\n", cs.evicted);
	seq_printf(m, "compact_runs_request: %llu\n", cs.runs[DFG_CW_REQUEST]);
	seq_printf(m, "compact_runs_alloc: %llu\n", cs.runs[DFG_CW_ALLOC]);
	seq_printf(m, "compact_runs_background: %llu\n",
		   cs.runs[DFG_CW_BACKGROUND]);
	seq_printf(m, "compact_planned_blocks: %llu\n", cs.planned);
	seq_printf(m, "compact_moved_pages: %llu\n", cs.moved);
	seq_printf(m, "compact_move_failures: %llu\n", cs.move_failures);
	seq_printf(m, "compact_recovered_blocks: %llu\n", cs.recovered);
	seq_printf(m, "compact_min_moves: %llu\n", cs.min_moves);
	seq_printf(m, "compact_ns: %llu\n", cs.ns);
	seq_printf(m, "bad_frees: %lld\n", atomic64_read(&g->bad_frees));
	seq_printf(m, "hwpoisoned: %lld\n", atomic64_read(&g->hwpoisoned));
}

static int group_stats_show(struct seq_file *m, void *unused)
{
	dfg_group_show_stats(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(group_stats);

static int group_map_show(struct seq_file *m, void *unused)
{
	return dfg_show_map(m, m->private);
}
DEFINE_SHOW_ATTRIBUTE(group_map);

static int group_blocks_show(struct seq_file *m, void *unused)
{
	return dfg_show_blocks(m, m->private);
}
DEFINE_SHOW_ATTRIBUTE(group_blocks);

void dfg_debugfs_group_add(struct dfg_group *g)
{
	g->dir = debugfs_create_dir(g->name, dfg_groups_dir);
	debugfs_create_file("stats", 0444, g->dir, g, &group_stats_fops);
	debugfs_create_file("map", 0444, g->dir, g, &group_map_fops);
	debugfs_create_file("blocks", 0444, g->dir, g, &group_blocks_fops);
}

void dfg_debugfs_group_remove(struct dfg_group *g)
{
	debugfs_remove_recursive(g->dir);
	g->dir = NULL;
}

/* ---- top-level files --------------------------------------------------------- */

static int stats_show(struct seq_file *m, void *unused)
{
	struct dfg_stats *st = &dfg_stats;

	seq_printf(m, "blocks_held: %lu\n", dfg_blocks_held());
	seq_printf(m, "pool_blocks: %u\n", dfg_pool_count());
	dfg_show_nodes(m, NULL);
	seq_printf(m, "payg_low: %u\n", dfg_pool_low());
	seq_printf(m, "blocks_acquired: %lld\n",
		   atomic64_read(&st->blocks_acquired));
	seq_printf(m, "blocks_returned: %lld\n",
		   atomic64_read(&st->blocks_returned));
	seq_printf(m, "acquire_failures: %lld\n",
		   atomic64_read(&st->acquire_failures));
	seq_printf(m, "maps: %lu\n", dfg_maps_live());
	seq_printf(m, "double_frees: %lld\n", atomic64_read(&st->double_frees));
	seq_printf(m, "foreign_frees: %lld\n",
		   atomic64_read(&st->foreign_frees));
	seq_printf(m, "bad_order_frees: %lld\n",
		   atomic64_read(&st->bad_order_frees));
	seq_printf(m, "owned_frees: %lld\n", atomic64_read(&st->owned_frees));
	seq_printf(m, "busy_frees: %lld\n", atomic64_read(&st->busy_frees));
	seq_printf(m, "bad_allocs: %lld\n", atomic64_read(&st->bad_allocs));
	seq_printf(m, "orphans: %lld\n", atomic64_read(&st->orphans));
	seq_printf(m, "fault_allocs: %lld\n", atomic64_read(&st->fault_allocs));
	seq_printf(m, "fault_hooked: %lld\n", atomic64_read(&st->fault_hooked));
	seq_printf(m, "fault_failures: %lld\n",
		   atomic64_read(&st->fault_failures));
	seq_printf(m, "blocks_charged: %lld\n",
		   atomic64_read(&st->blocks_charged));
	seq_printf(m, "charge_failures: %lld\n",
		   atomic64_read(&st->charge_failures));
	seq_printf(m, "zero_on_alloc: %d\n", want_init_on_alloc(GFP_KERNEL));
	seq_printf(m, "pages_zeroed: %lld\n",
		   atomic64_read(&st->pages_zeroed));
	seq_printf(m, "zeroings_skipped: %lld\n",
		   atomic64_read(&st->zeroings_skipped));
	seq_printf(m, "hwpoison_supported: %d\n", dfg_hwpoison_supported());
	seq_printf(m, "hwpoison_events: %lld\n",
		   atomic64_read(&st->hwpoison_events));
	seq_printf(m, "hwpoisoned: %lld\n", atomic64_read(&st->hwpoisoned));
	seq_printf(m, "hwpoison_blocks: %lld\n",
		   atomic64_read(&st->hwpoison_blocks));
	seq_printf(m, "hwpoison_deferred: %lld\n",
		   atomic64_read(&st->hwpoison_deferred));
	seq_printf(m, "block_meta_bytes: %zu\n", sizeof(struct dfg_kblock));
	seq_printf(m, "block_meta_slab_bytes: %zu\n",
		   kmalloc_size_roundup(sizeof(struct dfg_kblock)));
	seq_printf(m, "page_meta_bytes: %zu\n", sizeof(struct dfg_pinfo_buf));
	seq_printf(m, "struct_page_bytes: %zu\n",
		   sizeof(struct page) * DFG_BLOCK_PAGES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int map_show(struct seq_file *m, void *unused)
{
	return dfg_show_map(m, NULL);
}
DEFINE_SHOW_ATTRIBUTE(map);

static int blocks_show(struct seq_file *m, void *unused)
{
	return dfg_show_blocks(m, NULL);
}
DEFINE_SHOW_ATTRIBUTE(blocks);

/* ---- control ---------------------------------------------------------------- */

/*
 * Runs @op on the group called @name, with a reference rather than the
 * registry's mutex held: any group, the default one included (groups are
 * created and set through /dev/hpmm, by their owners).
 */
static int dfg_cmd_on_group(const char *name, unsigned int want, bool compact)
{
	struct dfg_group *g;

	mutex_lock(&dfg_groups_mutex);
	g = dfg_group_find_name(name);
	if (g && !dfg_group_tryget(g))
		g = NULL;
	mutex_unlock(&dfg_groups_mutex);
	if (!g)
		return -ENOENT;
	if (compact)
		dfg_compact(g, want, DFG_CW_REQUEST);
	else
		dfg_group_drain(g);
	dfg_group_put(g);
	return 0;
}

/* compact NAME [BLOCKS] */
static int dfg_cmd_compact(void *priv, struct hpmm_cmd *cmd)
{
	unsigned int want = 0;

	if (cmd->argc == 3 && kstrtouint(cmd->argv[2], 0, &want))
		return -EINVAL;
	return dfg_cmd_on_group(cmd->argv[1], want, true);
}

/* drain NAME */
static int dfg_cmd_drain(void *priv, struct hpmm_cmd *cmd)
{
	return dfg_cmd_on_group(cmd->argv[1], 0, false);
}

static const struct hpmm_dbg_verb dfg_verbs[] = {
	{ "compact", 2, 3, dfg_cmd_compact },
	{ "drain", 2, 2, dfg_cmd_drain },
	{ }
};

static const struct hpmm_dbg_control dfg_control = {
	.verbs = dfg_verbs,
};

/* The groups/ directory, before the first group is created. */
void dfg_debugfs_init_groups(struct dentry *dir)
{
	dfg_groups_dir = debugfs_create_dir("groups", dir);
}

/* The control and state files, once the default group exists. */
int dfg_debugfs_init(struct dentry *dir)
{
	dfg_control_file = hpmm_dbg_create_control("control", dir,
						   &dfg_control);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	debugfs_create_file("map", 0444, dir, NULL, &map_fops);
	debugfs_create_file("blocks", 0444, dir, NULL, &blocks_fops);
	return 0;
}

/* Writers of the control file, which hold groups, are done on return. */
void dfg_debugfs_exit(void)
{
	debugfs_remove(dfg_control_file);
	dfg_control_file = NULL;
}
