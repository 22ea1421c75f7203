// SPDX-License-Identifier: GPL-2.0
/*
 * "adp" in the on-demand mode: the Adaptive DMA Protector keeps the active
 * DMA set pinned, so that the kernel's reclaim, whose LRU sees only CPU
 * accesses, does not take the pages the device uses.
 *
 * 1. The active DMA set, from the PA-BITMAP's accessed bits: every scan
 *    (a window of page accesses), each mapped page's age is 0 if the
 *    device accessed it since the last scan, else one more than before.
 *    A page is active while its age is below the horizon K (in windows).
 * 2. Pin the active set, youngest first, within the budget: the pin
 *    threshold is the largest age t <= K for which the pages younger than t
 *    fit in the budget. Pinned pages at least as old as the threshold are
 *    unpinned, oldest first, but never below the minimum pin ratio (a
 *    quarter of the budget, or every pinned page if fewer): a quiet device
 *    keeps its most recent pages pinned.
 * 3. Adapt K to the fault rate of the window that just ended: above 1
 *    fault in 64 accesses, pages were let go too soon (or not pinned yet):
 *    K doubles (up to 64 windows); below 1 in 1024 for four windows in a
 *    row, K halves (down to 1): pins follow the device's working set.
 *
 * Everything is driven by the logical clock (page accesses) and by what the
 * module reports, never by wall time. Pure logic.
 */
#include "../protect.h"

#define PADP_AGE_MAX		255
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
 * @hist: mapped pages by age, this scan
 * @hist_pinned: pinned pages by age, this scan
 * @k: the horizon: a page is active while younger than @k scans
 * @calm: windows in a row with a low fault rate
 * @t_pin: pin the pages younger than this
 * @t_keep: unpin the pinned pages at least this old
 */
struct vpri_padp {
	u8 *age;
	u32 hist[PADP_AGE_MAX + 1];
	u32 hist_pinned[PADP_AGE_MAX + 1];
	u32 k;
	u32 calm;
	u32 t_pin;
	u32 t_keep;
};

static int vpri_padp_init(struct vpri_prot *p)
{
	struct vpri_padp *a = kvcalloc(1, sizeof(*a), GFP_KERNEL_ACCOUNT);

	if (!a)
		return -ENOMEM;
	a->age = kvcalloc(p->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!a->age) {
		kvfree(a);
		return -ENOMEM;
	}
	memset(a->age, PADP_AGE_MAX, p->nr_pages);
	a->k = PADP_K_INIT;
	a->t_pin = 0;
	a->t_keep = PADP_AGE_MAX + 1;
	p->priv = a;
	return 0;
}

static void vpri_padp_fini(struct vpri_prot *p)
{
	struct vpri_padp *a = p->priv;

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

	if (accessed)
		age = 0;
	else if (age < PADP_AGE_MAX)
		age++;
	a->age[page] = age;
	a->hist[age]++;
	if (pinned)
		a->hist_pinned[age]++;
}

static void vpri_padp_plan(struct vpri_prot *p)
{
	struct vpri_padp *a = p->priv;
	u32 floor = p->budget >> PADP_FLOOR_SHIFT;
	u32 t, want = 0, pinned = 0, kept;

	/* The active set, youngest first, as far as the budget goes. */
	for (t = 0; t < a->k && want + a->hist[t] <= p->budget; t++)
		want += a->hist[t];
	a->t_pin = t;
	p->target = want;
	/* Unpin from the oldest, down to the minimum pin ratio. */
	for (t = 0; t <= PADP_AGE_MAX; t++)
		pinned += a->hist_pinned[t];
	if (floor > pinned)
		floor = pinned;
	for (t = 0, kept = 0; t < a->t_pin; t++)
		kept += a->hist_pinned[t];
	while (kept < floor && t <= PADP_AGE_MAX)
		kept += a->hist_pinned[t++];
	a->t_keep = t;
}

static unsigned int vpri_padp_act(struct vpri_prot *p, u32 page, bool pinned)
{
	struct vpri_padp *a = p->priv;
	u8 age = a->age[page];

	if (pinned)
		return age >= a->t_keep ? VPRI_PROT_UNPIN : 0;
	return age < a->t_pin ? VPRI_PROT_PIN : 0;
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
