// SPDX-License-Identifier: GPL-2.0
/*
 * MAGNET debugfs, a client of placement/magnet.c (not ABI; formats in
 * Documentation/magnet.rst):
 *   magnet/stats     counters, "key: value" per line
 *   magnet/control   "shrink N": give back at least N unused reserved pages
 *                    now (oldest reservations first), as the shrinker does;
 *                    "reset_peak": unused_reserved_peak = unused_reserved_now
 * Whether mappings get MAGNET by default is the module parameter
 * defrag_placement, not a command here.
 */
#define pr_fmt(fmt) "hpmm: magnet: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../../trace.h"
#include "../defrag.h"
#include "magnet.h"

static struct dentry *magnet_dir;

static int stats_show(struct seq_file *m, void *unused)
{
	struct magnet_stats *s = &magnet_stats;

	seq_printf(m, "default: %s\n",
		   dfg_placement_default() == DFG_PLACEMENT_MAGNET ? "on" : "off");
	seq_printf(m, "maps: %lld\n", atomic64_read(&s->maps));
	seq_printf(m, "reservations: %lld\n",
		   atomic64_read(&s->reservations));
	seq_printf(m, "faults_from_reservation: %lld\n",
		   atomic64_read(&s->faults_from_reservation));
	seq_printf(m, "unused_reserved_now: %lld\n",
		   atomic64_read(&s->unused_reserved_now));
	seq_printf(m, "unused_reserved_peak: %lld\n",
		   atomic64_read(&s->unused_reserved_peak));
	seq_printf(m, "shrinker_freed: %lld\n",
		   atomic64_read(&s->shrinker_freed));
	seq_printf(m, "fallbacks: %lld\n", atomic64_read(&s->fallbacks));
	seq_printf(m, "released_unmap: %lld\n",
		   atomic64_read(&s->released_unmap));
	seq_printf(m, "released_exit: %lld\n",
		   atomic64_read(&s->released_exit));
	seq_printf(m, "private_skipped: %lld\n",
		   atomic64_read(&s->private_skipped));
	seq_printf(m, "edge_skipped: %lld\n",
		   atomic64_read(&s->edge_skipped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* shrink NR */
static int magnet_cmd_shrink(void *priv, struct hpmm_cmd *cmd)
{
	unsigned long nr;

	if (kstrtoul(cmd->argv[1], 0, &nr) || !nr)
		return -EINVAL;
	magnet_shrink(nr, HPMM_TRACE_MAGNET_PRESSURE);
	return 0;
}

static int magnet_cmd_reset_peak(void *priv, struct hpmm_cmd *cmd)
{
	magnet_reset_peak();
	return 0;
}

static const struct hpmm_dbg_verb magnet_verbs[] = {
	{ "shrink", 2, 2, magnet_cmd_shrink },
	{ "reset_peak", 1, 1, magnet_cmd_reset_peak },
	{ }
};

static const struct hpmm_dbg_control magnet_control = {
	.verbs = magnet_verbs,
};

int magnet_debugfs_init(struct dentry *root)
{
	magnet_dir = debugfs_create_dir("magnet", root);
	debugfs_create_file("stats", 0444, magnet_dir, NULL, &stats_fops);
	hpmm_dbg_create_control("control", magnet_dir, &magnet_control);
	return 0;
}

void magnet_debugfs_exit(void)
{
	debugfs_remove_recursive(magnet_dir);
	magnet_dir = NULL;
}
