// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG component: init/exit, the ioctls and mmap of /dev/hpmm, per-open
 * state, and the in-kernel check of the refusal paths.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <uapi/hpmm-defrag.h>

#include "chardev.h"
#include "hpmm.h"
#include "defrag.h"

/**
 * struct dfg_file - DEFRAG state of one open file of /dev/hpmm
 * @map_group: group id for the next mmaps (0: by cgroup)
 * @map_flags: HPMM_DEFRAG_MAP_* for the next mmaps
 * @allocs: pages allocated through HPMM_DEFRAG_IOCTL_ALLOC: pfn -> order
 */
struct dfg_file {
	u64 map_group;
	u64 map_flags;
	struct xarray allocs;
};

static struct dentry *dfg_dir;

static struct dfg_file *dfg_file_get(struct hpmm_file *hfile)
{
	struct dfg_file *f = READ_ONCE(hfile->priv[HPMM_COMP_DEFRAG]);
	struct dfg_file *old;

	if (f)
		return f;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	xa_init(&f->allocs);
	old = cmpxchg(&hfile->priv[HPMM_COMP_DEFRAG], NULL, f);
	if (old) {
		kfree(f);
		f = old;
	}
	return f;
}

static int dfg_ioctl_map(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_map *cmd = ucmd->cmd;
	struct dfg_file *f;
	struct dfg_group *g;

	if (cmd->flags & ~HPMM_DEFRAG_MAP_FLAGS ||
	    (cmd->flags & HPMM_DEFRAG_MAP_MAGNET &&
	     cmd->flags & HPMM_DEFRAG_MAP_NOMAGNET))
		return -EINVAL;
	if (cmd->group) {
		g = dfg_group_get(cmd->group);
		if (!g)
			return -ENOENT;
		dfg_group_put(g);
	}
	f = dfg_file_get(ucmd->hfile);
	if (!f)
		return -ENOMEM;
	WRITE_ONCE(f->map_group, cmd->group);
	WRITE_ONCE(f->map_flags, cmd->flags);
	return 0;
}

static const gfp_t dfg_mob_gfp[] = {
	[HPMM_DEFRAG_UNMOVABLE] = GFP_KERNEL,
	[HPMM_DEFRAG_MOVABLE] = GFP_KERNEL | __GFP_MOVABLE,
	[HPMM_DEFRAG_RECLAIMABLE] = GFP_KERNEL | __GFP_RECLAIMABLE,
};

static int dfg_ioctl_alloc(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_alloc *cmd = ucmd->cmd;
	struct dfg_file *f;
	struct dfg_group *g;
	struct page *page;
	unsigned long pfn;
	int ret;

	if (cmd->order > DFG_MAX_ORDER || cmd->mobility >= DFG_NR_MT)
		return -EINVAL;
	f = dfg_file_get(ucmd->hfile);
	if (!f)
		return -ENOMEM;
	g = dfg_group_get(cmd->group);
	if (!g)
		return -ENOENT;
	page = dfg_alloc_pages(g, dfg_mob_gfp[cmd->mobility], cmd->order);
	dfg_group_put(g);
	if (!page)
		return -ENOMEM;
	pfn = page_to_pfn(page);
	ret = xa_err(xa_store(&f->allocs, pfn, xa_mk_value(cmd->order),
			      GFP_KERNEL));
	if (ret) {
		dfg_free_pages(page, cmd->order);
		return ret;
	}
	cmd->pfn = pfn;
	ret = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		xa_erase(&f->allocs, pfn);
		dfg_free_pages(page, cmd->order);
	}
	return ret;
}

static int dfg_ioctl_free(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_free *cmd = ucmd->cmd;
	struct dfg_file *f;
	void *entry;
	int ret;

	f = dfg_file_get(ucmd->hfile);
	if (!f)
		return -ENOMEM;
	if (cmd->pfn > ULONG_MAX)
		return -ENOENT;
	entry = xa_load(&f->allocs, cmd->pfn);
	if (!entry)
		return -ENOENT;
	if (xa_to_value(entry) != cmd->order)
		return -EINVAL;
	ret = dfg_free_pages(pfn_to_page(cmd->pfn), cmd->order);
	if (!ret)
		xa_erase(&f->allocs, cmd->pfn);
	return ret;
}

static const struct hpmm_ioctl_op dfg_ioctl_ops[] = {
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_MAP - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_map, flags, dfg_ioctl_map),
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_ALLOC - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_alloc, pfn, dfg_ioctl_alloc),
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_FREE - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_free, order, dfg_ioctl_free),
};

static void dfg_release(struct hpmm_file *hfile)
{
	struct dfg_file *f = hfile->priv[HPMM_COMP_DEFRAG];
	unsigned long pfn;
	void *entry;

	if (!f)
		return;
	xa_for_each(&f->allocs, pfn, entry)
		dfg_free_pages(pfn_to_page(pfn), xa_to_value(entry));
	xa_destroy(&f->allocs);
	kfree(f);
	hfile->priv[HPMM_COMP_DEFRAG] = NULL;
}

static int dfg_fops_mmap(struct hpmm_file *hfile, struct vm_area_struct *vma)
{
	struct dfg_file *f = dfg_file_get(hfile);
	struct dfg_group *g;
	int ret;

	if (!f)
		return -ENOMEM;
	g = dfg_group_get(READ_ONCE(f->map_group));
	if (!g)
		return -ENOENT;
	ret = dfg_mmap(vma, g, READ_ONCE(f->map_flags));
	if (ret)
		dfg_group_put(g);
	return ret;
}

/* ---- the refusal paths, checked in the kernel ("check" command) -------- */

static int dfg_check_fail(int line)
{
	pr_err("check failed at defrag.c:%d\n", line);
	return -EIO;
}

/* Double free of an order-0 page (it sits in the per-CPU cache). */
static int dfg_check_double(struct dfg_group *g)
{
	struct page *p = dfg_alloc_group(g, GFP_KERNEL, 0);

	if (!p)
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(p, 0))
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(p, 0) != -EINVAL)
		return dfg_check_fail(__LINE__);
	return 0;
}

/* A page hpmm does not own. */
static int dfg_check_foreign(void)
{
	struct page *q = alloc_page(GFP_KERNEL);
	int ret = 0;

	if (!q)
		return -ENOMEM;
	if (dfg_free_pages(q, 0) != -EINVAL)
		ret = dfg_check_fail(__LINE__);
	__free_page(q);
	return ret;
}

/* Wrong order, tail page, order above 9, twice. */
static int dfg_check_orders(struct dfg_group *g)
{
	struct page *r = dfg_alloc_group(g, GFP_KERNEL | __GFP_RECLAIMABLE, 2);
	int ret = 0;

	if (!r)
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(r, 1) != -EINVAL ||
	    dfg_free_pages(r + 1, 0) != -EINVAL ||
	    dfg_free_pages(r, 10) != -EINVAL)
		ret = dfg_check_fail(__LINE__);
	if (dfg_free_pages(r, 2))
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(r, 2) != -EINVAL)
		ret = dfg_check_fail(__LINE__);
	if (dfg_alloc_group(g, GFP_KERNEL, 10) ||
	    dfg_alloc_group(g, GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE,
			    0))
		ret = dfg_check_fail(__LINE__);
	return ret;
}

/* A page still referenced is not taken back. */
static int dfg_check_busy(struct dfg_group *g)
{
	struct page *s = dfg_alloc_group(g, GFP_KERNEL | __GFP_MOVABLE, 0);
	int ret = 0;

	if (!s)
		return dfg_check_fail(__LINE__);
	get_page(s);
	if (dfg_free_pages(s, 0) != -EBUSY)
		ret = dfg_check_fail(__LINE__);
	put_page(s);
	if (dfg_free_pages(s, 0))
		ret = dfg_check_fail(__LINE__);
	return ret;
}

/* Huge: by a non-head page, by the wrong order, twice. */
static int dfg_check_huge(struct dfg_group *g)
{
	struct page *h = dfg_alloc_group(g, GFP_KERNEL | __GFP_MOVABLE,
					 DFG_MAX_ORDER);
	int ret = 0;

	if (!h)
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(h + 1, DFG_MAX_ORDER) != -EINVAL ||
	    dfg_free_pages(h, 0) != -EINVAL)
		ret = dfg_check_fail(__LINE__);
	if (dfg_free_pages(h, DFG_MAX_ORDER))
		return dfg_check_fail(__LINE__);
	if (dfg_free_pages(h, DFG_MAX_ORDER) != -EINVAL)
		ret = dfg_check_fail(__LINE__);
	return ret;
}

/*
 * Every refusal path of dfg_free_pages() and dfg_alloc_pages(), in a group
 * of its own: 0, or -EIO with the failing line logged. The counters in
 * debugfs stats move by: double_frees 3, foreign_frees 1,
 * bad_order_frees 5, busy_frees 1, bad_allocs 2.
 */
int dfg_selfcheck(void)
{
	struct dfg_group *g;
	int ret;

	g = dfg_group_create("selfcheck", true, DFG_POLICY_GROUPING);
	if (IS_ERR(g))
		return PTR_ERR(g);
	/* Emptied blocks stay in the group: a second free is a double free. */
	g->core.reserve = 2;
	ret = dfg_check_double(g);
	if (!ret)
		ret = dfg_check_foreign();
	if (!ret)
		ret = dfg_check_orders(g);
	if (!ret)
		ret = dfg_check_busy(g);
	if (!ret)
		ret = dfg_check_huge(g);
	dfg_group_destroy(g);
	return ret;
}

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
	ret = dfg_replay_init(dfg_dir);
	if (ret)
		goto err_groups;
	return 0;

err_groups:
	dfg_groups_exit();
err_debugfs:
	debugfs_remove_recursive(dfg_dir);
	dfg_maps_exit();
	dfg_block_exit_global();
	return ret;
}

static void dfg_exit(void)
{
	dfg_replay_exit();
	dfg_groups_exit();
	debugfs_remove_recursive(dfg_dir);
	dfg_maps_exit();
	dfg_block_exit_global();
}

const struct hpmm_component hpmm_defrag_component = {
	.name = "defrag",
	.id = HPMM_COMP_DEFRAG,
	.abi_bit = HPMM_COMPONENT_DEFRAG,
	.init = dfg_init,
	.exit = dfg_exit,
	.ioctl_base = HPMM_CMD_DEFRAG_BASE,
	.ioctl_ops = dfg_ioctl_ops,
	.nr_ioctl_ops = ARRAY_SIZE(dfg_ioctl_ops),
	.release = dfg_release,
	.mmap = dfg_fops_mmap,
};
