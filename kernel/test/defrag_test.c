// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG in hpmm_test.ko: the trace replay (defrag_replay.c), the check of
 * DEFRAG's refusal paths (defrag_check.c), and kernel-held allocations
 * for tests, HPMM_TEST_DEFRAG_ALLOC/FREE on /dev/hpmm_test, which return
 * page frame numbers (hpmm_test_uapi.h).
 *
 * debugfs hpmm_test/defrag/: "control" takes "check"; "replay/" is the
 * replay's.
 */
#define pr_fmt(fmt) "hpmm_test: defrag: " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "../defrag/defrag.h"
#include "defrag_test.h"
#include "hpmm_test_uapi.h"
#include "test.h"

/**
 * struct dfg_test_alloc - one allocation of HPMM_TEST_DEFRAG_ALLOC
 * @g: its group (a reference)
 * @order: its order
 */
struct dfg_test_alloc {
	struct dfg_group *g;
	unsigned int order;
};

/**
 * struct dfg_test_file - DEFRAG state of one open /dev/hpmm_test
 * @allocs: its allocations by pfn (struct dfg_test_alloc)
 */
struct dfg_test_file {
	struct xarray allocs;
};

static struct dentry *dfg_test_dir;

/* The file's state, made on first use; the file's lock is held. */
static struct dfg_test_file *dfg_test_file_get(struct hpmm_test_file *tfile)
{
	struct dfg_test_file *f = tfile->priv[HPMM_TEST_DEFRAG];

	lockdep_assert_held(&tfile->lock);
	if (f)
		return f;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	xa_init(&f->allocs);
	tfile->priv[HPMM_TEST_DEFRAG] = f;
	return f;
}

static const gfp_t dfg_test_gfp[] = {
	[HPMM_TEST_DEFRAG_UNMOVABLE] = GFP_KERNEL,
	[HPMM_TEST_DEFRAG_MOVABLE] = GFP_KERNEL | __GFP_MOVABLE,
	[HPMM_TEST_DEFRAG_RECLAIMABLE] = GFP_KERNEL | __GFP_RECLAIMABLE,
};

static int dfg_test_ioctl_alloc(struct hpmm_ucmd *ucmd)
{
	struct hpmm_test_defrag_alloc *cmd = ucmd->cmd;
	struct dfg_test_alloc *a;
	struct dfg_test_file *f;
	struct page *page;
	int nid = NUMA_NO_NODE;
	unsigned long pfn;
	int ret;

	if (cmd->order > DFG_MAX_ORDER ||
	    cmd->mobility >= ARRAY_SIZE(dfg_test_gfp) ||
	    cmd->flags & ~HPMM_TEST_DEFRAG_NODE)
		return -EINVAL;
	if (cmd->flags & HPMM_TEST_DEFRAG_NODE) {
		if (cmd->node < 0 || cmd->node >= MAX_NUMNODES ||
		    !node_online(cmd->node))
			return -EINVAL;
		nid = cmd->node;
	}
	f = dfg_test_file_get(ucmd->priv);
	if (!f)
		return -ENOMEM;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->order = cmd->order;
	a->g = dfg_group_get(cmd->group_id);
	ret = -ENOENT;
	if (!a->g)
		goto err_free;
	page = dfg_alloc_pages_node(a->g, dfg_test_gfp[cmd->mobility],
				    cmd->order, nid);
	ret = -ENOMEM;
	if (!page)
		goto err_put;
	pfn = page_to_pfn(page);
	ret = xa_err(xa_store(&f->allocs, pfn, a, GFP_KERNEL));
	if (ret)
		goto err_pages;
	cmd->out_pfn = pfn;
	cmd->out_node = page_to_nid(page);
	ret = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	if (!ret)
		return 0;
	xa_erase(&f->allocs, pfn);
err_pages:
	dfg_free_pages(page, cmd->order);
err_put:
	dfg_group_put(a->g);
err_free:
	kfree(a);
	return ret;
}

static int dfg_test_ioctl_free(struct hpmm_ucmd *ucmd)
{
	struct hpmm_test_defrag_free *cmd = ucmd->cmd;
	struct dfg_test_alloc *a;
	struct dfg_test_file *f;
	int ret;

	f = dfg_test_file_get(ucmd->priv);
	if (!f)
		return -ENOMEM;
	if (cmd->pfn > ULONG_MAX)
		return -ENOENT;
	a = xa_load(&f->allocs, cmd->pfn);
	if (!a)
		return -ENOENT;
	if (a->order != cmd->order)
		return -EINVAL;
	ret = dfg_free_pages(pfn_to_page(cmd->pfn), cmd->order);
	if (ret)
		return ret;
	xa_erase(&f->allocs, cmd->pfn);
	dfg_group_put(a->g);
	kfree(a);
	return 0;
}

static const struct hpmm_ioctl_op dfg_test_ioctl_ops[] = {
	HPMM_IOCTL_OP(HPMM_TEST_DEFRAG_CMD_ALLOC - HPMM_TEST_CMD_DEFRAG_BASE,
		      struct hpmm_test_defrag_alloc, out_pfn,
		      dfg_test_ioctl_alloc),
	HPMM_IOCTL_OP(HPMM_TEST_DEFRAG_CMD_FREE - HPMM_TEST_CMD_DEFRAG_BASE,
		      struct hpmm_test_defrag_free, order, dfg_test_ioctl_free),
};

/* The file is closed: what it still holds goes back. */
static void dfg_test_release(struct hpmm_test_file *tfile)
{
	struct dfg_test_file *f = tfile->priv[HPMM_TEST_DEFRAG];
	struct dfg_test_alloc *a;
	unsigned long pfn;

	if (!f)
		return;
	xa_for_each(&f->allocs, pfn, a) {
		dfg_free_pages(pfn_to_page(pfn), a->order);
		dfg_group_put(a->g);
		kfree(a);
	}
	xa_destroy(&f->allocs);
	kfree(f);
	tfile->priv[HPMM_TEST_DEFRAG] = NULL;
}

static int dfg_test_cmd_check(void *priv, struct hpmm_cmd *cmd)
{
	return dfg_check_refusals();
}

static const struct hpmm_dbg_verb dfg_test_verbs[] = {
	{ "check", 1, 1, dfg_test_cmd_check },
	{ }
};

static const struct hpmm_dbg_control dfg_test_control = {
	.verbs = dfg_test_verbs,
};

static int dfg_test_init(struct dentry *root)
{
	dfg_test_dir = debugfs_create_dir("defrag", root);
	hpmm_dbg_create_control("control", dfg_test_dir, &dfg_test_control);
	return dfg_replay_init(dfg_test_dir);
}

/* main.c removed the debugfs files, waiting for their writers, before this. */
static void dfg_test_exit(void)
{
	dfg_replay_exit();
	dfg_test_dir = NULL;
}

const struct hpmm_test_component hpmm_test_defrag = {
	.name = "defrag",
	.init = dfg_test_init,
	.exit = dfg_test_exit,
	.ioctl_base = HPMM_TEST_CMD_DEFRAG_BASE,
	.ioctl_ops = dfg_test_ioctl_ops,
	.nr_ioctl_ops = ARRAY_SIZE(dfg_test_ioctl_ops),
	.release = dfg_test_release,
};
