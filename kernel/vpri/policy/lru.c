// SPDX-License-Identifier: GPL-2.0
/*
 * "lru": a pin budget; every access moves its page to the head of one list
 * and a fault unpins the least recently used page that no access is
 * using. Pure logic.
 */
#include "../plist.h"
#include "../pset.h"

/**
 * struct vpri_lru - LRU state
 * @links: list links, one slot per page
 * @list: pinned pages, most recently used first
 * @in: 1 when the page is in @list
 */
struct vpri_lru {
	struct vpri_links links;
	struct vpri_plist list;
	u8 *in;
};

static int lru_init(struct vpri_pset *ps)
{
	struct vpri_lru *lru = kvcalloc(1, sizeof(*lru), GFP_KERNEL);

	if (!lru)
		return -ENOMEM;
	lru->in = kvcalloc(ps->nr_pages, sizeof(u8), GFP_KERNEL);
	if (!lru->in || vpri_links_init(&lru->links, ps->nr_pages)) {
		kvfree(lru->in);
		kvfree(lru);
		return -ENOMEM;
	}
	vpri_plist_init(&lru->list);
	ps->priv = lru;
	return 0;
}

static void lru_fini(struct vpri_pset *ps)
{
	struct vpri_lru *lru = ps->priv;

	vpri_links_fini(&lru->links);
	kvfree(lru->in);
	kvfree(lru);
}

static void lru_hit(struct vpri_pset *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (!lru->in[page] || lru->list.head == page)
		return;
	vpri_plist_del(&lru->list, &lru->links, page);
	vpri_plist_push_head(&lru->list, &lru->links, page);
}

static u32 lru_victim(struct vpri_pset *ps, u32 page, vpri_claim_fn claim,
		      void *ctx)
{
	struct vpri_lru *lru = ps->priv;
	u32 p;

	for (p = lru->list.tail; p != VPRI_NO_PAGE; p = lru->links.prev[p]) {
		if (claim(ctx, p)) {
			vpri_plist_del(&lru->list, &lru->links, p);
			lru->in[p] = 0;
			return p;
		}
	}
	return VPRI_NO_PAGE;
}

static void lru_insert(struct vpri_pset *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (lru->in[page])
		return;
	vpri_plist_push_head(&lru->list, &lru->links, page);
	lru->in[page] = 1;
}

static void lru_remove(struct vpri_pset *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (!lru->in[page])
		return;
	vpri_plist_del(&lru->list, &lru->links, page);
	lru->in[page] = 0;
}

const struct vpri_policy_ops vpri_policy_lru = {
	.name = "lru",
	.needs_budget = true,
	.init = lru_init,
	.fini = lru_fini,
	.hit = lru_hit,
	.victim = lru_victim,
	.insert = lru_insert,
	.remove = lru_remove,
};
