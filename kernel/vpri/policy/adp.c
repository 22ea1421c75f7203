// SPDX-License-Identifier: GPL-2.0
/*
 * "adp": the Adaptive DMA Protector.
 *
 * 1. Keep active DMA pages pinned, and resist scans and loops. Pinned
 *    pages are split into a protected set S and a small probation queue R.
 *    The logical clock stamps every access of every page (the stamps of
 *    unpinned pages are kept too: a page's history outlives its pin). A
 *    page enters S when its reuse interval is clearly shorter than the time
 *    S's least recently used page has been idle: the inter-reference
 *    recency rule of LIRS (Jiang and Zhang, SIGMETRICS 2002), evaluated on
 *    timestamps instead of a pruned stack, with hysteresis against noisy
 *    intervals. The reuse interval is the mean of the page's last two
 *    (the backward 3-distance of LRU-K, O'Neil et al., SIGMOD 1993, over
 *    two), or its only one; a single interval of a randomly re-read page
 *    is too noisy to rank it. Accesses in quick succession (the two
 *    half-page buffers of a page, a burst) count as one use, as in LRU-K's
 *    correlated reference period. While S has room, any page enters it
 *    (LIRS fills its LIR set the same way). Anything else waits in R, and
 *    victims come from R's oldest end first. A sequential scan never
 *    reaches a full S; in a loop longer than the budget S keeps a fixed
 *    part of the loop pinned, where LRU unpins every page just before its
 *    reuse. Pages that an access is using are never chosen.
 * 2. Keep a minimum pin ratio: the target never drops below a quarter of
 *    the budget, and R always keeps room for new pages (1/64 of the target,
 *    at least 2: in a loop, every page of R is a fault per lap).
 * 3. Adapt the budget to the observed fault rate: every window of accesses
 *    (4096, or 4x the budget if larger), a fault rate above 1/64 raises the
 *    target by 1/8 of the budget (up to the budget); a fault rate below
 *    1/1024 lowers it to the pages actually used in the window plus 1/8,
 *    unpinning idle pages. A shrink that was wrong is undone: a page
 *    unpinned while the target was below the budget and faulted again
 *    within two windows of its last use is a refault the full budget
 *    would have avoided (the working-set refault of mm/workingset.c, on
 *    the logical clock). A window whose refaults alone exceed the shrink
 *    threshold raises the target by twice their number (at least 1/8 of
 *    the budget) and holds shrinking off for 32 windows, then 64 each time
 *    a shrink proves wrong again: a working set that drifts, or whose
 *    pages are used less often than once a window, keeps its pins.
 * 4. A working set that moved on: S's coldest page unused for 4 windows
 *    is dead, and a new page takes its place on its first fault instead
 *    of proving its reuse through R (a second fault).
 *
 * Everything is driven by the logical clock (page accesses), never by wall
 * time, so the module and the simulator make the same choices. Pure logic.
 */
#include <linux/minmax.h>

#include "../pin_list.h"
#include "../pin_set.h"

#define ADP_R_SHIFT		6	/* R keeps target / 64 pages */
#define ADP_R_MIN		2
#define ADP_WINDOW_MIN		4096	/* accesses */
#define ADP_WINDOW_BUDGETS	4	/* or this many budgets */
#define ADP_HI_SHIFT		6	/* grow above 1 fault in 64 accesses */
#define ADP_LO_SHIFT		10	/* shrink below 1 in 1024 */
#define ADP_STEP_SHIFT		3	/* grow by budget / 8 */
#define ADP_SLACK_SHIFT		3	/* keep active + active / 8 */
#define ADP_MIN_SHIFT		2	/* never below budget / 4 */
#define ADP_CORR_SHIFT		3	/* correlated within target / 8 accesses */
#define ADP_CORR_MIN		32
#define ADP_HYST_SHIFT		1	/* displace only at under half the age */
#define ADP_REFAULT_WINDOWS	2	/* a refault: reused within 2 windows */
#define ADP_HOLD_FIRST		32	/* windows without shrinking after a wrong one */
#define ADP_HOLD_MAX		64	/* ... doubling up to this */
#define ADP_DEAD_WINDOWS	4	/* S's tail is dead after 4 idle windows */

/* Pinned in S or R, not pinned, or unpinned while the target was low. */
enum { ADP_NONE, ADP_S, ADP_R, ADP_SHRUNK };

/**
 * struct vpri_adp - ADP state
 * @links: list links, one slot per page
 * @s: the protected set, most recently used first
 * @r: the probation queue, newest first
 * @where: ADP_S, ADP_R or ADP_NONE for each page
 * @last: logical time of each page's last access, 0 for never
 * @irr: logical time of each page's last uncorrelated access, 0 for never
 * @irr2: the one before, 0 for never
 * @fault_prev: the previous access time of the page being faulted in
 * @t_min: the lowest target
 * @window: accesses per adaptation window
 * @win_clock: the clock when the window began
 * @win_faults: the fault count when the window began
 * @win_refaults: refaults of pages unpinned under a lowered target, in
 *	this window
 * @hold: windows left before the target may be lowered again
 * @backoff: the hold after the next wrong shrink
 */
struct vpri_adp {
	struct vpri_pin_links links;
	struct vpri_pin_list s;
	struct vpri_pin_list r;
	u8 *where;
	u64 *last;
	u64 *irr;
	u64 *irr2;
	u64 fault_prev;
	u32 t_min;
	u64 window;
	u64 win_clock;
	u64 win_faults;
	u64 win_refaults;
	u32 hold;
	u32 backoff;
};

static u32 vpri_adp_r_size(u32 target)
{
	u32 r = target >> ADP_R_SHIFT;

	return r > ADP_R_MIN ? r : ADP_R_MIN;
}

static u32 vpri_adp_cap_s(u32 target)
{
	u32 r = vpri_adp_r_size(target);

	return target > r ? target - r : 0;
}

static int vpri_adp_init(struct vpri_pin_set *ps)
{
	struct vpri_adp *adp = kvcalloc(1, sizeof(*adp), GFP_KERNEL_ACCOUNT);
	u64 w;

	if (!adp)
		return -ENOMEM;
	adp->where = kvcalloc(ps->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	adp->last = kvcalloc(ps->nr_pages, sizeof(u64), GFP_KERNEL_ACCOUNT);
	adp->irr = kvcalloc(ps->nr_pages, sizeof(u64), GFP_KERNEL_ACCOUNT);
	adp->irr2 = kvcalloc(ps->nr_pages, sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!adp->where || !adp->last || !adp->irr || !adp->irr2 ||
	    vpri_pin_links_init(&adp->links, ps->nr_pages)) {
		kvfree(adp->where);
		kvfree(adp->last);
		kvfree(adp->irr);
		kvfree(adp->irr2);
		kvfree(adp);
		return -ENOMEM;
	}
	vpri_pin_list_init(&adp->s);
	vpri_pin_list_init(&adp->r);
	adp->t_min = ps->budget >> ADP_MIN_SHIFT;
	if (adp->t_min < ADP_R_MIN)
		adp->t_min = ADP_R_MIN;
	w = (u64)ps->budget * ADP_WINDOW_BUDGETS;
	adp->window = w > ADP_WINDOW_MIN ? w : ADP_WINDOW_MIN;
	ps->priv = adp;
	return 0;
}

static void vpri_adp_fini(struct vpri_pin_set *ps)
{
	struct vpri_adp *adp = ps->priv;

	vpri_pin_links_fini(&adp->links);
	kvfree(adp->where);
	kvfree(adp->last);
	kvfree(adp->irr);
	kvfree(adp->irr2);
	kvfree(adp);
}

static void vpri_adp_move(struct vpri_adp *adp, u32 page, int to)
{
	int from = adp->where[page];

	if (from == ADP_S)
		vpri_pin_list_del(&adp->s, &adp->links, page);
	else if (from == ADP_R)
		vpri_pin_list_del(&adp->r, &adp->links, page);
	if (to == ADP_S)
		vpri_pin_list_push_head(&adp->s, &adp->links, page);
	else if (to == ADP_R)
		vpri_pin_list_push_head(&adp->r, &adp->links, page);
	adp->where[page] = (u8)to;
}

/*
 * Does a page whose reuse interval is now - @prev (0: never used) belong in
 * S: is there room in S, or is it reused clearly sooner than S's coldest
 * page has been idle?
 */
static bool vpri_adp_protect(struct vpri_pin_set *ps, struct vpri_adp *adp, u64 prev)
{
	u64 irr, age;

	if (adp->s.count < vpri_adp_cap_s(ps->target))
		return true;
	if (adp->s.tail == VPRI_NO_PAGE)
		return false;
	age = ps->clock - adp->last[adp->s.tail];
	/*
	 * S's coldest page unused for longer than a refault counts: the
	 * working set moved on without it; a new page takes its place.
	 */
	if (age > adp->window * ADP_DEAD_WINDOWS)
		return true;
	if (!prev)
		return false;
	/*
	 * Hysteresis: reuse intervals are noisy (bursts, queues served at
	 * random), and each swap costs the demoted page a fault later; only
	 * a clearly shorter interval (under half the coldest page's age)
	 * displaces a protected page.
	 */
	irr = ps->clock - prev;
	return irr < age - (age >> ADP_HYST_SHIFT);
}

/* Demotes S's coldest pages to R until S fits its share of the target. */
static void vpri_adp_rebalance(struct vpri_pin_set *ps, struct vpri_adp *adp)
{
	u32 cap = vpri_adp_cap_s(ps->target);

	while (adp->s.count > cap && adp->s.tail != VPRI_NO_PAGE)
		vpri_adp_move(adp, adp->s.tail, ADP_R);
}

/*
 * Stamps a reference to @page and returns now minus its reuse interval:
 * the time of its previous uncorrelated reference, or, when it has two,
 * the point that makes the interval the mean of the last two. References
 * close together in time (a buffer's two halves, a burst) are one use of
 * the page, not evidence of reuse: they refresh its recency (@last) but
 * not its reuse stamps (@irr, @irr2), as the "correlated reference period"
 * of LRU-K and 2Q; *@corr tells which.
 */
static u64 vpri_adp_touch(struct vpri_pin_set *ps, struct vpri_adp *adp, u32 page,
			  bool *corr)
{
	u64 window = ps->target >> ADP_CORR_SHIFT;
	u64 prev = adp->irr[page], prev2 = adp->irr2[page];

	if (window < ADP_CORR_MIN)
		window = ADP_CORR_MIN;
	*corr = adp->last[page] && ps->clock - adp->last[page] <= window;
	if (!*corr) {
		adp->irr2[page] = prev;
		adp->irr[page] = ps->clock;
	}
	adp->last[page] = ps->clock;
	if (prev && prev2)
		return ps->clock - (ps->clock - prev2) / 2;
	return prev;
}

static void vpri_adp_hit(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_adp *adp = ps->priv;
	bool corr;
	u64 prev = vpri_adp_touch(ps, adp, page, &corr);

	switch (adp->where[page]) {
	case ADP_S:
		vpri_adp_move(adp, page, ADP_S);
		break;
	case ADP_R:
		if (!corr && vpri_adp_protect(ps, adp, prev)) {
			vpri_adp_move(adp, page, ADP_S);
			vpri_adp_rebalance(ps, adp);
		} else {
			vpri_adp_move(adp, page, ADP_R);
		}
		break;
	default:
		break;
	}
}

static void vpri_adp_miss(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_adp *adp = ps->priv;
	bool corr;

	if (adp->where[page] == ADP_SHRUNK) {
		if (ps->clock - adp->last[page] <=
		    adp->window * ADP_REFAULT_WINDOWS)
			adp->win_refaults++;
		adp->where[page] = ADP_NONE;
	}
	adp->fault_prev = vpri_adp_touch(ps, adp, page, &corr);
}

static u32 vpri_adp_claim_oldest(struct vpri_adp *adp, struct vpri_pin_list *pl,
				 vpri_claim_fn claim, void *ctx)
{
	u32 p = vpri_pin_list_claim_oldest(pl, &adp->links, claim, ctx);

	if (p != VPRI_NO_PAGE)
		vpri_adp_move(adp, p, ADP_NONE);
	return p;
}

static u32 vpri_adp_victim(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			   void *ctx)
{
	struct vpri_adp *adp = ps->priv;
	u32 v;

	vpri_adp_rebalance(ps, adp);
	v = vpri_adp_claim_oldest(adp, &adp->r, claim, ctx);
	if (v == VPRI_NO_PAGE)
		v = vpri_adp_claim_oldest(adp, &adp->s, claim, ctx);
	/* Remembered: a refault of it may prove the lowered target wrong. */
	if (v != VPRI_NO_PAGE && ps->target < ps->budget)
		adp->where[v] = ADP_SHRUNK;
	return v;
}

static void vpri_adp_insert(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_adp *adp = ps->priv;

	if (adp->where[page] == ADP_S || adp->where[page] == ADP_R)
		return;
	if (vpri_adp_protect(ps, adp, adp->fault_prev)) {
		vpri_adp_move(adp, page, ADP_S);
		vpri_adp_rebalance(ps, adp);
	} else {
		vpri_adp_move(adp, page, ADP_R);
	}
}

static void vpri_adp_remove(struct vpri_pin_set *ps, u32 page)
{
	struct vpri_adp *adp = ps->priv;

	vpri_adp_move(adp, page, ADP_NONE);
}

/* Pinned pages accessed since the logical time @since. */
static u32 vpri_adp_active(struct vpri_adp *adp, u64 since)
{
	const struct vpri_pin_list *lists[] = { &adp->s, &adp->r };
	u32 n = 0, p;
	unsigned int i;

	for (i = 0; i < 2; i++)
		for (p = lists[i]->head; p != VPRI_NO_PAGE;
		     p = adp->links.next[p])
			if (adp->last[p] >= since)
				n++;
	return n;
}

static void vpri_adp_tick(struct vpri_pin_set *ps)
{
	struct vpri_adp *adp = ps->priv;
	u64 dt = ps->clock - adp->win_clock;
	u64 df = ps->st.faults - adp->win_faults;
	u32 step;

	if (dt < adp->window)
		return;
	step = max_t(u32, ps->budget >> ADP_STEP_SHIFT, 1);
	if ((adp->win_refaults << ADP_LO_SHIFT) > dt) {
		/* The last shrink cost more faults than it may: undo, hold. */
		u64 t = (u64)ps->target + max_t(u64, step, 2 * adp->win_refaults);

		ps->target = t < ps->budget ? (u32)t : ps->budget;
		adp->hold = adp->backoff ? adp->backoff : ADP_HOLD_FIRST;
		adp->backoff = min_t(u32, adp->hold * 2, ADP_HOLD_MAX);
	} else if ((df << ADP_HI_SHIFT) > dt) {
		u64 t = (u64)ps->target + step;

		ps->target = t < ps->budget ? (u32)t : ps->budget;
	} else if (adp->hold) {
		adp->hold--;
	} else if ((df << ADP_LO_SHIFT) < dt) {
		u32 active = vpri_adp_active(adp, adp->win_clock + 1);
		u64 want = (u64)active + (active >> ADP_SLACK_SHIFT) +
			   vpri_adp_r_size(ps->target);

		if (want < adp->t_min)
			want = adp->t_min;
		if (want < ps->target)
			ps->target = (u32)want;
	}
	adp->win_clock = ps->clock;
	adp->win_faults = ps->st.faults;
	adp->win_refaults = 0;
}

const struct vpri_policy_ops vpri_policy_adp = {
	.name = "adp",
	.needs_budget = true,
	.init = vpri_adp_init,
	.fini = vpri_adp_fini,
	.hit = vpri_adp_hit,
	.miss = vpri_adp_miss,
	.victim = vpri_adp_victim,
	.insert = vpri_adp_insert,
	.remove = vpri_adp_remove,
	.tick = vpri_adp_tick,
};
