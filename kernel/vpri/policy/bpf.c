// SPDX-License-Identifier: GPL-2.0
/*
 * "bpf": a pin budget kept in least-recently-used order, as "lru", but the
 * page a fault unpins is chosen among the oldest by &vpri_pin_set.choose:
 * in the module, the BPF program attached to struct hpmm_vpri_ops
 * (kernel/vpri/bpf.c); in host programs, whatever function they set.
 * Without one, or when the choice is not a candidate or cannot be
 * claimed, the oldest page that can be claimed goes, exactly as "lru".
 * Pure logic.
 */
#include <uapi/hpmm-vpri-bpf.h>

#include "../pin_list.h"
#include "../pin_set.h"

/**
 * struct vpri_bpfp - the "bpf" policy's state
 * @links: list links, one slot per page
 * @list: pinned pages, most recently used first
 * @in: 1 when the page is in @list
 * @hits: accesses that found the page present since it was pinned
 * @last: &vpri_pin_set.clock at the page's last access
 */
struct vpri_bpfp {
	struct vpri_pin_links links;
	struct vpri_pin_list list;
	u8 *in;
	u16 *hits;
	u64 *last;
};

static void vpri_bpfp_free(struct vpri_bpfp *b)
{
	vpri_pin_links_fini(&b->links);
	kvfree(b->in);
	kvfree(b->hits);
	kvfree(b->last);
	kvfree(b);
}

static int vpri_bpfp_init(struct vpri_pin_set *ps)
{
	struct vpri_bpfp *b = kvcalloc(1, sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (!b)
		return -ENOMEM;
	b->in = kvcalloc(ps->nr_pages, sizeof(*b->in), GFP_KERNEL_ACCOUNT);
	b->hits = kvcalloc(ps->nr_pages, sizeof(*b->hits), GFP_KERNEL_ACCOUNT);
	b->last = kvcalloc(ps->nr_pages, sizeof(*b->last), GFP_KERNEL_ACCOUNT);
	if (!b->in || !b->hits || !b->last ||
	    vpri_pin_links_init(&b->links, ps->nr_pages)) {
		vpri_bpfp_free(b);
		return -ENOMEM;
	}
	vpri_pin_list_init(&b->list);
	ps->priv = b;
	return 0;
}

static void vpri_bpfp_fini(struct vpri_pin_set *ps)
{
	vpri_bpfp_free(ps->priv);
}

static void vpri_bpfp_hit(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_bpfp *b = ps->priv;

	if (!b->in[page])
		return;
	if (b->hits[page] < U16_MAX)
		b->hits[page]++;
	b->last[page] = ps->clock;
	if (b->list.head == page)
		return;
	vpri_pin_list_del(&b->list, &b->links, page);
	vpri_pin_list_push_head(&b->list, &b->links, page);
}

static void vpri_bpfp_forget(struct vpri_bpfp *b, u32 page)
{
	vpri_pin_list_del(&b->list, &b->links, page);
	b->in[page] = 0;
}

/* The page @ps->choose picks among the oldest, or VPRI_NO_PAGE. */
static u32 vpri_bpfp_choose(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_bpfp *b = ps->priv;
	struct hpmm_vpri_victim_ctx vc = {
		.domain_id = ps->domain_id,
		.fault_page = page,
		.nr_pinned = ps->nr_pinned,
		.budget = ps->budget,
		.clock = ps->clock,
	};
	u32 p, i;

	for (p = b->list.tail; p != VPRI_NO_PAGE &&
	     vc.nr < HPMM_VPRI_VICTIM_CANDIDATES; p = b->links.prev[p]) {
		struct hpmm_vpri_victim_cand *c = &vc.cand[vc.nr++];

		c->page = p;
		c->hits = b->hits[p];
		c->idle = ps->clock - b->last[p];
		c->accessed = vpri_bitmap_accessed(ps->bm, p);
	}
	if (!vc.nr)
		return VPRI_NO_PAGE;
	i = ps->choose(&vc);
	if (i == VPRI_NO_CHOICE)
		return VPRI_NO_PAGE;
	ps->st.choices++;
	if (i >= vc.nr)
		return VPRI_NO_PAGE;
	if (i)
		ps->st.chosen_newer++;
	return vc.cand[i].page;
}

static u32 vpri_bpfp_victim(struct vpri_pin_set *ps, u32 page,
			    vpri_claim_fn claim, void *ctx)
{
	struct vpri_bpfp *b = ps->priv;
	u32 p = ps->choose ? vpri_bpfp_choose(ps, page) : VPRI_NO_PAGE;

	if (p == VPRI_NO_PAGE || !claim(ctx, p))
		p = vpri_pin_list_claim_oldest(&b->list, &b->links, claim, ctx);
	if (p != VPRI_NO_PAGE)
		vpri_bpfp_forget(b, p);
	return p;
}

static void vpri_bpfp_insert(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_bpfp *b = ps->priv;

	if (b->in[page])
		return;
	vpri_pin_list_push_head(&b->list, &b->links, page);
	b->in[page] = 1;
	b->hits[page] = 0;
	b->last[page] = ps->clock;
}

static void vpri_bpfp_remove(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_bpfp *b = ps->priv;

	if (b->in[page])
		vpri_bpfp_forget(b, page);
}

const struct vpri_policy_ops vpri_policy_bpf = {
	.name = "bpf",
	.needs_budget = true,
	.init = vpri_bpfp_init,
	.fini = vpri_bpfp_fini,
	.hit = vpri_bpfp_hit,
	.victim = vpri_bpfp_victim,
	.insert = vpri_bpfp_insert,
	.remove = vpri_bpfp_remove,
};
