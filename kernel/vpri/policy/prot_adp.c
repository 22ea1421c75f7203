// SPDX-License-Identifier: GPL-2.0
/*
 * "adp" in the on-demand mode: the Adaptive DMA Protector keeps the active
 * DMA set pinned, so that the kernel's reclaim, whose LRU sees only CPU
 * accesses, does not take the pages the device uses.
 *
 * 1. The active DMA set, from the PA-BITMAP's accessed bits: every scan
 *    (a window of page accesses), each mapped page's age is 0 if the
 *    device accessed it since the last scan, else one more than before,
 *    and its history shifts in the accessed bit (8 windows, newest in the
 *    top bit). A page is active while its age is below the horizon K (in
 *    windows).
 * 2. Pin the active set in rank order within the budget. The rank orders
 *    the pages used in the last 8 windows by history (the most recent
 *    window first, ties broken by the windows before it: recency, then
 *    frequency), then older pages by age. The active set rarely fits
 *    whole when the device spreads over more pages than the budget in one
 *    window; ranking by history still pins its most used part. The pin
 *    threshold is the largest rank for which the pages ranked before it
 *    fit in the budget; the pages of the first rank that does not fit
 *    (ties: the device used them alike) are spares, pinned with the room
 *    the others leave. Pinned pages ranked at or after the threshold are
 *    unpinned (spares only when the better ranked need their room),
 *    lowest ranked first, but never below the minimum pin ratio (a quarter
 *    of the budget, or every pinned page if fewer): a quiet device keeps
 *    its most recent pages pinned.
 * 3. Adapt K to the fault rate of the window that just ended: above 1
 *    fault in 64 accesses, pages were let go too soon (or not pinned yet):
 *    K doubles (up to 64 windows); below 1 in 1024 for four windows in a
 *    row, K halves (down to 1): pins follow the device's working set.
 *
 * "adp-hint" is adp plus hint (policy/prot_hint.c): the pages the device
 * used in the last window that adp leaves unpinned (the active set beyond
 * the budget) are reported to the kernel's LRU as used.
 *
 * Everything is driven by the logical clock (page accesses) and by what the
 * module reports, never by wall time. Pure logic.
 */
#include <linux/bits.h>

#include "../protect.h"

#define PADP_AGE_MAX		255
#define PADP_HIST_BITS		8	/* windows of history */
/* The bit of @used that holds the latest scan's accessed bit. */
#define PADP_USED_LATEST	BIT(PADP_HIST_BITS - 1)
/* Ranks: 255 - history for a page with history, then 255 + age - 8. */
#define PADP_RANKS		(255 + PADP_AGE_MAX - PADP_HIST_BITS + 1)
#define PADP_K_INIT		4	/* windows */
#define PADP_K_MIN		1
#define PADP_K_MAX		64
#define PADP_HI_SHIFT		6	/* grow above 1 fault in 64 accesses */
#define PADP_LO_SHIFT		10	/* shrink below 1 in 1024 ... */
#define PADP_CALM		4	/* ... for this many windows in a row */
#define PADP_FLOOR_SHIFT	2	/* keep a quarter of the budget pinned */

/**
 * struct vpri_padp - on-demand ADP state
 * @age: scans since each page's last access; PADP_AGE_MAX for never
 * @used: each page's accessed bits of the last PADP_HIST_BITS scans, the
 *	latest in the top bit
 * @hist: mapped pages by rank, this scan
 * @hist_pinned: pinned pages by rank, this scan
 * @k: the horizon: a page is active while younger than @k scans
 * @calm: windows in a row with a low fault rate
 * @t_pin: pin the pages ranked before this
 * @t_spare: pin the pages ranked before this, from @t_pin on, with the
 *	room left (VPRI_PROT_PIN_SPARE)
 * @t_keep: unpin the pinned pages ranked at or after this
 */
struct vpri_padp {
	u8 *age;
	u8 *used;
	u32 hist[PADP_RANKS];
	u32 hist_pinned[PADP_RANKS];
	u32 k;
	u32 calm;
	u32 t_pin;
	u32 t_spare;
	u32 t_keep;
};

/* A page's rank: lower is pinned first. */
static u32 vpri_padp_rank(const struct vpri_padp *a, u32 page)
{
	if (a->used[page])
		return 255 - a->used[page];
	if (a->age[page] <= PADP_HIST_BITS)
		return 255;
	return 255 + a->age[page] - PADP_HIST_BITS;
}

/* The first rank of the pages not active: older than @k scans. */
static u32 vpri_padp_inactive_rank(u32 k)
{
	if (k < PADP_HIST_BITS)
		return 256 - (1U << (PADP_HIST_BITS - k));
	return 255 + k - PADP_HIST_BITS;
}

static int vpri_padp_init(struct vpri_prot *p)
{
	struct vpri_padp *a = kvcalloc(1, sizeof(*a), GFP_KERNEL_ACCOUNT);

	if (!a)
		return -ENOMEM;
	a->age = kvcalloc(p->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	a->used = kvcalloc(p->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!a->age || !a->used) {
		kvfree(a->used);
		kvfree(a->age);
		kvfree(a);
		return -ENOMEM;
	}
	memset(a->age, PADP_AGE_MAX, p->nr_pages);
	a->k = PADP_K_INIT;
	a->t_pin = 0;
	a->t_spare = 0;
	a->t_keep = PADP_RANKS;
	p->priv = a;
	return 0;
}

static void vpri_padp_fini(struct vpri_prot *p)
{
	struct vpri_padp *a = p->priv;

	kvfree(a->used);
	kvfree(a->age);
	kvfree(a);
}

static void vpri_padp_fault(struct vpri_prot *p, u32 page)
{
	struct vpri_padp *a = p->priv;

	a->age[page] = 0;
}

static void vpri_padp_scan_begin(struct vpri_prot *p, u64 accesses, u64 faults)
{
	struct vpri_padp *a = p->priv;

	if (accesses && (faults << PADP_HI_SHIFT) > accesses) {
		a->k = a->k * 2 < PADP_K_MAX ? a->k * 2 : PADP_K_MAX;
		a->calm = 0;
	} else if ((faults << PADP_LO_SHIFT) < accesses) {
		if (++a->calm >= PADP_CALM) {
			a->k = a->k / 2 > PADP_K_MIN ? a->k / 2 : PADP_K_MIN;
			a->calm = 0;
		}
	} else {
		a->calm = 0;
	}
	memset(a->hist, 0, sizeof(a->hist));
	memset(a->hist_pinned, 0, sizeof(a->hist_pinned));
}

static void vpri_padp_observe(struct vpri_prot *p, u32 page, bool accessed,
			      bool pinned)
{
	struct vpri_padp *a = p->priv;
	u8 age = a->age[page];
	u32 rank;

	if (accessed)
		age = 0;
	else if (age < PADP_AGE_MAX)
		age++;
	a->age[page] = age;
	a->used[page] = (a->used[page] >> 1) |
			(accessed ? PADP_USED_LATEST : 0);
	rank = vpri_padp_rank(a, page);
	a->hist[rank]++;
	if (pinned)
		a->hist_pinned[rank]++;
}

static void vpri_padp_plan(struct vpri_prot *p)
{
	struct vpri_padp *a = p->priv;
	u32 floor = p->budget >> PADP_FLOOR_SHIFT;
	u32 active = vpri_padp_inactive_rank(a->k);
	u32 t, want = 0, pinned = 0, kept;

	/* The active set, best ranked first, as far as the budget goes. */
	for (t = 0; t < active && want + a->hist[t] <= p->budget; t++)
		want += a->hist[t];
	a->t_pin = t;
	/* The first rank that does not fit whole is pinned in part. */
	a->t_spare = t < active && want < p->budget ? t + 1 : t;
	p->target = a->t_spare > t ? p->budget : want;
	/* Unpin from the lowest ranked, down to the minimum pin ratio. */
	for (t = 0; t < PADP_RANKS; t++)
		pinned += a->hist_pinned[t];
	if (floor > pinned)
		floor = pinned;
	for (t = 0, kept = 0; t < a->t_pin; t++)
		kept += a->hist_pinned[t];
	/* Pinned spares stay while the better ranked fit beside them. */
	if (a->t_spare > t && want + a->hist_pinned[t] <= p->budget)
		kept += a->hist_pinned[t++];
	while (kept < floor && t < PADP_RANKS)
		kept += a->hist_pinned[t++];
	a->t_keep = t;
}

static unsigned int vpri_padp_act(struct vpri_prot *p, u32 page, bool pinned)
{
	struct vpri_padp *a = p->priv;
	u32 rank = vpri_padp_rank(a, page);

	if (pinned)
		return rank >= a->t_keep ? VPRI_PROT_UNPIN : 0;
	if (rank < a->t_pin)
		return VPRI_PROT_PIN;
	return rank < a->t_spare ? VPRI_PROT_PIN_SPARE : 0;
}

static unsigned int vpri_padp_hint_act(struct vpri_prot *p, u32 page,
				       bool pinned)
{
	struct vpri_padp *a = p->priv;
	unsigned int f = vpri_padp_act(p, page, pinned);

	if ((a->used[page] & PADP_USED_LATEST) &&
	    (!pinned || (f & VPRI_PROT_UNPIN)))
		f |= VPRI_PROT_MARK;
	return f;
}

const struct vpri_prot_ops vpri_prot_adp = {
	.name = "adp",
	.needs_budget = true,
	.scans = true,
	.init = vpri_padp_init,
	.fini = vpri_padp_fini,
	.fault = vpri_padp_fault,
	.scan_begin = vpri_padp_scan_begin,
	.observe = vpri_padp_observe,
	.plan = vpri_padp_plan,
	.act = vpri_padp_act,
};

const struct vpri_prot_ops vpri_prot_adp_hint = {
	.name = "adp-hint",
	.needs_budget = true,
	.scans = true,
	.init = vpri_padp_init,
	.fini = vpri_padp_fini,
	.fault = vpri_padp_fault,
	.scan_begin = vpri_padp_scan_begin,
	.observe = vpri_padp_observe,
	.plan = vpri_padp_plan,
	.act = vpri_padp_hint_act,
};
