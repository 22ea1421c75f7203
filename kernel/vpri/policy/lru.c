// SPDX-License-Identifier: GPL-2.0
/*
 * "lru": a pin budget; every access moves its page to the head of one list
 * and a fault unpins the least recently used page that no access is
 * using. Pure logic.
 */
#include "../pin_list.h"
#include "../pin_set.h"

/**
 * struct vpri_lru - LRU state
 * @links: list links, one slot per page
 * @list: pinned pages, most recently used first
 * @in: 1 when the page is in @list
 */
struct vpri_lru {
	struct vpri_pin_links links;
	struct vpri_pin_list list;
	u8 *in;
};

static int vpri_lru_init(struct vpri_pin_set *ps)
{
	struct vpri_lru *lru = kvcalloc(1, sizeof(*lru), GFP_KERNEL_ACCOUNT);

	if (!lru)
		return -ENOMEM;
	lru->in = kvcalloc(ps->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!lru->in || vpri_pin_links_init(&lru->links, ps->nr_pages)) {
		kvfree(lru->in);
		kvfree(lru);
		return -ENOMEM;
	}
	vpri_pin_list_init(&lru->list);
	ps->priv = lru;
	return 0;
}

static void vpri_lru_fini(struct vpri_pin_set *ps)
{
	struct vpri_lru *lru = ps->priv;

	vpri_pin_links_fini(&lru->links);
	kvfree(lru->in);
	kvfree(lru);
}

static void vpri_lru_hit(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (!lru->in[page] || lru->list.head == page)
		return;
	vpri_pin_list_del(&lru->list, &lru->links, page);
	vpri_pin_list_push_head(&lru->list, &lru->links, page);
}

static u32 vpri_lru_victim(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			   void *ctx)
{
	struct vpri_lru *lru = ps->priv;
	u32 p = vpri_pin_list_claim_oldest(&lru->list, &lru->links, claim, ctx);

	if (p != VPRI_NO_PAGE) {
		vpri_pin_list_del(&lru->list, &lru->links, p);
		lru->in[p] = 0;
	}
	return p;
}

static void vpri_lru_insert(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (lru->in[page])
		return;
	vpri_pin_list_push_head(&lru->list, &lru->links, page);
	lru->in[page] = 1;
}

static void vpri_lru_remove(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_lru *lru = ps->priv;

	if (!lru->in[page])
		return;
	vpri_pin_list_del(&lru->list, &lru->links, page);
	lru->in[page] = 0;
}

const struct vpri_policy_ops vpri_policy_lru = {
	.name = "lru",
	.needs_budget = true,
	.init = vpri_lru_init,
	.fini = vpri_lru_fini,
	.hit = vpri_lru_hit,
	.victim = vpri_lru_victim,
	.insert = vpri_lru_insert,
	.remove = vpri_lru_remove,
};
