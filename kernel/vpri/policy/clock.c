// SPDX-License-Identifier: GPL-2.0
/*
 * "clock": a pin budget and second chance on the PA-BITMAP accessed bit,
 * as crosvm's coIOMMU unpins: the hand sweeps the pinned pages, clears the
 * accessed bit of a page that has it and unpins the first page found
 * without it. Hits cost nothing but the bit. A page that an access is
 * using is skipped. Pure logic.
 */
#include "../pin_list.h"
#include "../pin_set.h"

/**
 * struct vpri_clock - CLOCK state
 * @links: ring links, one slot per page
 * @ring: pinned pages in insertion order, read as a circle
 * @hand: the next page the hand looks at, or VPRI_NO_PAGE when empty
 * @in: 1 when the page is in @ring
 */
struct vpri_clock {
	struct vpri_pin_links links;
	struct vpri_pin_list ring;
	u32 hand;
	u8 *in;
};

static int vpri_clock_init(struct vpri_pin_set *ps)
{
	struct vpri_clock *ck = kvcalloc(1, sizeof(*ck), GFP_KERNEL_ACCOUNT);

	if (!ck)
		return -ENOMEM;
	ck->in = kvcalloc(ps->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!ck->in || vpri_pin_links_init(&ck->links, ps->nr_pages)) {
		kvfree(ck->in);
		kvfree(ck);
		return -ENOMEM;
	}
	vpri_pin_list_init(&ck->ring);
	ck->hand = VPRI_NO_PAGE;
	ps->priv = ck;
	return 0;
}

static void vpri_clock_fini(struct vpri_pin_set *ps)
{
	struct vpri_clock *ck = ps->priv;

	vpri_pin_links_fini(&ck->links);
	kvfree(ck->in);
	kvfree(ck);
}

/* The page after @p on the circle. */
static u32 vpri_clock_next(struct vpri_clock *ck, u32 p)
{
	u32 n = ck->links.next[p];

	return n != VPRI_NO_PAGE ? n : ck->ring.head;
}

static void vpri_clock_unlink(struct vpri_clock *ck, u32 p)
{
	if (ck->hand == p)
		ck->hand = ck->ring.count > 1 ? vpri_clock_next(ck, p) : VPRI_NO_PAGE;
	vpri_pin_list_del(&ck->ring, &ck->links, p);
	ck->in[p] = 0;
}

static u32 vpri_clock_victim(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			     void *ctx)
{
	struct vpri_clock *ck = ps->priv;
	/* Two sweeps clear every bit; a third finds a page if any is free. */
	u64 steps = 3ULL * ck->ring.count;

	while (steps-- && ck->hand != VPRI_NO_PAGE) {
		u32 p = ck->hand;

		if (vpri_bitmap_test_and_clear_accessed(ps->bm, p)) {
			ck->hand = vpri_clock_next(ck, p);
			continue;
		}
		if (claim(ctx, p)) {
			vpri_clock_unlink(ck, p);
			return p;
		}
		ck->hand = vpri_clock_next(ck, p);
	}
	return VPRI_NO_PAGE;
}

static void vpri_clock_insert(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_clock *ck = ps->priv;

	if (ck->in[page])
		return;
	/* Just behind the hand: looked at last. */
	if (ck->hand == VPRI_NO_PAGE) {
		vpri_pin_list_push_head(&ck->ring, &ck->links, page);
		ck->hand = page;
	} else {
		vpri_pin_list_insert_before(&ck->ring, &ck->links, ck->hand, page);
	}
	ck->in[page] = 1;
}

static void vpri_clock_remove(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_clock *ck = ps->priv;

	if (ck->in[page])
		vpri_clock_unlink(ck, page);
}

const struct vpri_policy_ops vpri_policy_clock = {
	.name = "clock",
	.needs_budget = true,
	.init = vpri_clock_init,
	.fini = vpri_clock_fini,
	.victim = vpri_clock_victim,
	.insert = vpri_clock_insert,
	.remove = vpri_clock_remove,
};
