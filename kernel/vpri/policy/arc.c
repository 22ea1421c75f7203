// SPDX-License-Identifier: GPL-2.0
/*
 * "arc": Adaptive Replacement Cache (Megiddo and Modha, FAST 2003) as a
 * pin-set policy with c = the pin budget. T1 holds pages seen once
 * recently, T2 pages seen at least twice; the ghost lists B1 and B2
 * remember pages recently unpinned from T1 and T2, and a fault on a ghost
 * moves the target size p of T1 towards the list that would have kept it.
 * Victims that an access is using are skipped. Pure logic.
 */
#include "../pin_list.h"
#include "../pin_set.h"

enum { ARC_NONE, ARC_T1, ARC_T2, ARC_B1, ARC_B2, ARC_NR_LISTS };

/**
 * struct vpri_arc - ARC state
 * @links: list links, one slot per page (a page is in at most one list)
 * @list: T1, T2, B1, B2 by ARC_* (index 0 unused), most recent first
 * @where: the list each page is in, ARC_NONE for none
 * @p: target size of T1
 * @c: the cache size (the pin budget)
 * @from: the ghost list the faulting page came from, or ARC_NONE
 * @drop_t1: the next victim leaves T1 without a ghost (ARC's case IV.A
 *	with T1 full)
 */
struct vpri_arc {
	struct vpri_pin_links links;
	struct vpri_pin_list list[ARC_NR_LISTS];
	u8 *where;
	u32 p;
	u32 c;
	u8 from;
	bool drop_t1;
};

static int vpri_arc_init(struct vpri_pin_set *ps)
{
	struct vpri_arc *arc = kvcalloc(1, sizeof(*arc), GFP_KERNEL_ACCOUNT);
	int i;

	if (!arc)
		return -ENOMEM;
	arc->where = kvcalloc(ps->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!arc->where || vpri_pin_links_init(&arc->links, ps->nr_pages)) {
		kvfree(arc->where);
		kvfree(arc);
		return -ENOMEM;
	}
	for (i = 0; i < ARC_NR_LISTS; i++)
		vpri_pin_list_init(&arc->list[i]);
	arc->c = ps->budget;
	ps->priv = arc;
	return 0;
}

static void vpri_arc_fini(struct vpri_pin_set *ps)
{
	struct vpri_arc *arc = ps->priv;

	vpri_pin_links_fini(&arc->links);
	kvfree(arc->where);
	kvfree(arc);
}

static u32 vpri_arc_len(struct vpri_arc *arc, int l)
{
	return arc->list[l].count;
}

static void vpri_arc_move(struct vpri_arc *arc, u32 page, int to)
{
	int from = arc->where[page];

	if (from != ARC_NONE)
		vpri_pin_list_del(&arc->list[from], &arc->links, page);
	if (to != ARC_NONE)
		vpri_pin_list_push_head(&arc->list[to], &arc->links, page);
	arc->where[page] = (u8)to;
}

/* Forgets the oldest ghost of @l. */
static void vpri_arc_drop_lru(struct vpri_arc *arc, int l)
{
	if (arc->list[l].tail != VPRI_NO_PAGE)
		vpri_arc_move(arc, arc->list[l].tail, ARC_NONE);
}

/* Keeps |T1| + |B1| <= c and the directory within 2c. */
static void vpri_arc_bound_ghosts(struct vpri_arc *arc)
{
	while (vpri_arc_len(arc, ARC_T1) + vpri_arc_len(arc, ARC_B1) > arc->c &&
	       vpri_arc_len(arc, ARC_B1))
		vpri_arc_drop_lru(arc, ARC_B1);
	while (vpri_arc_len(arc, ARC_T1) + vpri_arc_len(arc, ARC_T2) +
	       vpri_arc_len(arc, ARC_B1) + vpri_arc_len(arc, ARC_B2) > 2 * arc->c) {
		if (vpri_arc_len(arc, ARC_B2))
			vpri_arc_drop_lru(arc, ARC_B2);
		else if (vpri_arc_len(arc, ARC_B1))
			vpri_arc_drop_lru(arc, ARC_B1);
		else
			break;
	}
}

static void vpri_arc_hit(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_arc *arc = ps->priv;

	if (arc->where[page] == ARC_T1 || arc->where[page] == ARC_T2)
		vpri_arc_move(arc, page, ARC_T2);
}

/* ARC's cases II to IV up to REPLACE, which is left to vpri_arc_victim(). */
static void vpri_arc_miss(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_arc *arc = ps->priv;
	u32 b1 = vpri_arc_len(arc, ARC_B1), b2 = vpri_arc_len(arc, ARC_B2);
	u32 t1 = vpri_arc_len(arc, ARC_T1), t2 = vpri_arc_len(arc, ARC_T2);
	u32 d;

	arc->drop_t1 = false;
	arc->from = ARC_NONE;
	switch (arc->where[page]) {
	case ARC_B1:
		d = b1 >= b2 ? 1 : b2 / b1;
		arc->p = arc->p + d < arc->c ? arc->p + d : arc->c;
		arc->from = ARC_B1;
		vpri_arc_move(arc, page, ARC_NONE);
		break;
	case ARC_B2:
		d = b2 >= b1 ? 1 : b1 / b2;
		arc->p = arc->p > d ? arc->p - d : 0;
		arc->from = ARC_B2;
		vpri_arc_move(arc, page, ARC_NONE);
		break;
	case ARC_NONE:
		if (t1 + b1 >= arc->c) {
			if (t1 < arc->c)
				vpri_arc_drop_lru(arc, ARC_B1);
			else
				arc->drop_t1 = true;
		} else if (t1 + t2 + b1 + b2 >= 2 * arc->c) {
			vpri_arc_drop_lru(arc, ARC_B2);
		}
		break;
	default:
		/* Pinned already: the caller raced; nothing to adapt. */
		break;
	}
}

/* The oldest page of list @l that can be claimed, unlinked; or none. */
static u32 vpri_arc_claim_lru(struct vpri_arc *arc, int l, vpri_claim_fn claim,
			      void *ctx)
{
	u32 p = vpri_pin_list_claim_oldest(&arc->list[l], &arc->links, claim, ctx);

	if (p != VPRI_NO_PAGE)
		vpri_arc_move(arc, p, ARC_NONE);
	return p;
}

/* ARC's REPLACE, skipping pages in use. */
static u32 vpri_arc_victim(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			   void *ctx)
{
	struct vpri_arc *arc = ps->priv;
	u32 t1 = vpri_arc_len(arc, ARC_T1);
	int first, second;
	u32 v;

	if (arc->drop_t1) {
		arc->drop_t1 = false;
		v = vpri_arc_claim_lru(arc, ARC_T1, claim, ctx);
		if (v != VPRI_NO_PAGE)
			return v;
	}
	if (t1 && ((arc->from == ARC_B2 && t1 == arc->p) || t1 > arc->p)) {
		first = ARC_T1;
		second = ARC_T2;
	} else {
		first = ARC_T2;
		second = ARC_T1;
	}
	v = vpri_arc_claim_lru(arc, first, claim, ctx);
	if (v == VPRI_NO_PAGE) {
		first = second;
		v = vpri_arc_claim_lru(arc, first, claim, ctx);
	}
	if (v == VPRI_NO_PAGE)
		return v;
	vpri_arc_move(arc, v, first == ARC_T1 ? ARC_B1 : ARC_B2);
	vpri_arc_bound_ghosts(arc);
	return v;
}

static void vpri_arc_insert(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_arc *arc = ps->priv;

	if (arc->where[page] == ARC_T1 || arc->where[page] == ARC_T2)
		return;
	vpri_arc_move(arc, page, arc->from != ARC_NONE ? ARC_T2 : ARC_T1);
	arc->from = ARC_NONE;
	vpri_arc_bound_ghosts(arc);
}

static void vpri_arc_remove(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_arc *arc = ps->priv;

	if (arc->where[page] == ARC_T1 || arc->where[page] == ARC_T2)
		vpri_arc_move(arc, page, ARC_NONE);
}

const struct vpri_policy_ops vpri_policy_arc = {
	.name = "arc",
	.needs_budget = true,
	.init = vpri_arc_init,
	.fini = vpri_arc_fini,
	.hit = vpri_arc_hit,
	.miss = vpri_arc_miss,
	.victim = vpri_arc_victim,
	.insert = vpri_arc_insert,
	.remove = vpri_arc_remove,
};
