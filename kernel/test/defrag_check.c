// SPDX-License-Identifier: GPL-2.0
/*
 * The refusal paths of DEFRAG's kernel API, checked in the kernel
 * ("check" in hpmm_test/defrag/control): double frees, pages hpmm does
 * not own, wrong orders and tail pages, pages still referenced, refused
 * allocations. Each refusal is counted in hpmm/defrag/stats; a run moves
 * double_frees by 3, foreign_frees by 1, bad_order_frees by 5, busy_frees
 * by 1 and bad_allocs by 2.
 */
#define pr_fmt(fmt) "hpmm_test: defrag: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>

#include "../defrag/defrag.h"
#include "defrag_test.h"

static int dfg_check_fail(int line)
{
	pr_err("check failed at defrag_check.c:%d\n", line);
	return -EIO;
}

/* Double free of an order-0 page (it sits in the per-CPU cache). */
static int dfg_check_double(struct dfg_group *g)
{
	struct page *p = dfg_alloc_pages(g, GFP_KERNEL, 0);

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
	struct page *r = dfg_alloc_pages(g, GFP_KERNEL | __GFP_RECLAIMABLE, 2);
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
	if (dfg_alloc_pages(g, GFP_KERNEL, 10) ||
	    dfg_alloc_pages(g, GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE,
			    0))
		ret = dfg_check_fail(__LINE__);
	return ret;
}

/* A page still referenced is not taken back. */
static int dfg_check_busy(struct dfg_group *g)
{
	struct page *s = dfg_alloc_pages(g, GFP_KERNEL | __GFP_MOVABLE, 0);
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
	struct page *h = dfg_alloc_pages(g, GFP_KERNEL | __GFP_MOVABLE,
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

int dfg_check_refusals(void)
{
	/* Emptied blocks stay in the group: a second free is a double free. */
	struct dfg_knobs reserve = { .fields = DFG_KNOB_RESERVE, .reserve = 2 };
	struct dfg_group *g;
	int ret;

	g = dfg_group_create_internal("check", DFG_POLICY_GROUPING);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = dfg_group_set(g, &reserve);
	if (!ret)
		ret = dfg_check_double(g);
	if (!ret)
		ret = dfg_check_foreign();
	if (!ret)
		ret = dfg_check_orders(g);
	if (!ret)
		ret = dfg_check_busy(g);
	if (!ret)
		ret = dfg_check_huge(g);
	dfg_group_destroy_internal(g);
	return ret;
}
