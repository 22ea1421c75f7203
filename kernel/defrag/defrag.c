// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG component: init and exit, in dependency order: the bottom half's
 * block registry, the groups (the default group first), debugfs, the
 * placement policies (MAGNET) that serve faults in hpmm mappings, then the
 * hardware-poison listener (hwpoison.c). The uapi is ioctl.c's.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/debugfs.h>

#include <uapi/hpmm-defrag.h>

#include "chardev.h"
#include "defrag.h"

static struct dentry *dfg_dir;

static int dfg_init(struct dentry *root)
{
	int ret;

	ret = dfg_block_init_global();
	if (ret)
		return ret;
	dfg_dir = debugfs_create_dir("defrag", root);
	dfg_debugfs_init_groups(dfg_dir);
	ret = dfg_groups_init();
	if (ret)
		goto err_debugfs;
	ret = dfg_debugfs_init(dfg_dir);
	if (ret)
		goto err_groups;
	dfg_bpf_init(dfg_dir);
	ret = dfg_placements_init(root);
	if (ret)
		goto err_groups;
	ret = dfg_hwpoison_init();
	if (ret)
		goto err_placements;
	return 0;

err_placements:
	dfg_placements_exit();
err_groups:
	dfg_debugfs_exit();
	dfg_groups_exit();
err_debugfs:
	debugfs_remove_recursive(dfg_dir);
	dfg_maps_exit();
	dfg_block_exit_global();
	return ret;
}

static void dfg_exit(void)
{
	dfg_hwpoison_exit();
	dfg_placements_exit();
	dfg_debugfs_exit();
	dfg_groups_exit();
	debugfs_remove_recursive(dfg_dir);
	dfg_maps_exit();
	dfg_block_exit_global();
}

const struct hpmm_component hpmm_defrag_component = {
	.name = "defrag",
	.id = HPMM_COMP_DEFRAG,
	/* MAGNET is one of DEFRAG's placement policies: its bit says so. */
	.abi_bit = HPMM_COMPONENT_DEFRAG |
		   (IS_ENABLED(CONFIG_HPMM_MAGNET) ? HPMM_COMPONENT_MAGNET : 0),
	.init = dfg_init,
	.exit = dfg_exit,
	.ioctl_base = HPMM_CMD_DEFRAG_BASE,
	.ioctl_ops = dfg_ioctl_ops,
	.nr_ioctl_ops = ARRAY_SIZE(dfg_ioctl_ops),
	.object_ops = dfg_object_ops,
	.nr_object_ops = ARRAY_SIZE(dfg_object_ops),
	.release = dfg_file_release,
	.mmap = dfg_file_mmap,
};
