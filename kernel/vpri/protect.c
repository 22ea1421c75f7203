// SPDX-License-Identifier: GPL-2.0
/*
 * The protector of an on-demand domain: the bookkeeping every protector
 * shares (the clock, the scan windows, the budget, counters) around its
 * policy (see protect.h for the calling sequence). Pure logic: builds into
 * the module and into host programs.
 */
#include "protect.h"

/* "reclaim": the kernel decides alone; nothing to scan, nothing to pin. */
const struct vpri_prot_ops vpri_prot_reclaim = {
	.name = "reclaim",
};

static const struct vpri_prot_ops *const vpri_prots[VPRI_NR_PROTS] = {
	[VPRI_PROT_RECLAIM] = &vpri_prot_reclaim,
	[VPRI_PROT_ADP] = &vpri_prot_adp,
	[VPRI_PROT_HINT] = &vpri_prot_hint,
	[VPRI_PROT_ADP_HINT] = &vpri_prot_adp_hint,
};

const struct vpri_prot_ops *vpri_prot_get(enum vpri_prot_id id)
{
	if ((unsigned int)id >= VPRI_NR_PROTS)
		return NULL;
	return vpri_prots[id];
}

const char *vpri_prot_name(enum vpri_prot_id id)
{
	const struct vpri_prot_ops *ops = vpri_prot_get(id);

	return ops ? ops->name : "unknown";
}

/**
 * vpri_prot_parse() - a protector's identifier from its name
 * @name: "reclaim", "adp", "hint" or "adp-hint"
 *
 * Return: the enum vpri_prot_id, or -EINVAL.
 */
int vpri_prot_parse(const char *name)
{
	int i;

	for (i = 0; i < VPRI_NR_PROTS; i++)
		if (!strcmp(vpri_prots[i]->name, name))
			return i;
	return -EINVAL;
}

/**
 * vpri_prot_init() - set up a protector
 * @p: the protector
 * @id: its policy
 * @nr_pages: pages in the domain
 * @budget: most pages pinned at once, 2..@nr_pages, for a policy that pins;
 *	ignored (0) for the others
 *
 * Return: 0, -EINVAL for a bad policy or budget, -ENOMEM.
 */
int vpri_prot_init(struct vpri_prot *p, enum vpri_prot_id id, u32 nr_pages,
		   u32 budget)
{
	const struct vpri_prot_ops *ops = vpri_prot_get(id);
	u64 w;
	int ret;

	if (!ops || !nr_pages)
		return -EINVAL;
	if (ops->needs_budget) {
		if (budget < 2 || budget > nr_pages)
			return -EINVAL;
	} else {
		budget = 0;
	}
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->id = id;
	p->nr_pages = nr_pages;
	p->budget = budget;
	w = nr_pages / VPRI_PROT_WINDOW_DIV;
	p->window = w > VPRI_PROT_WINDOW_MIN ? w : VPRI_PROT_WINDOW_MIN;
	p->next_scan = p->window;
	if (ops->init) {
		ret = ops->init(p);
		if (ret)
			return ret;
	}
	return 0;
}

void vpri_prot_fini(struct vpri_prot *p)
{
	if (p->ops && p->ops->fini)
		p->ops->fini(p);
	p->priv = NULL;
	p->ops = NULL;
}

/**
 * vpri_prot_hit() - an access found @page present
 * @p: the protector
 * @page: the page (the caller set its accessed bit)
 */
void vpri_prot_hit(struct vpri_prot *p, u32 page)
{
	p->clock++;
	p->st.accesses++;
	p->st.hits++;
}

/**
 * vpri_prot_fault() - @page was faulted in for an access
 * @p: the protector
 * @page: the page, now mapped and present
 */
void vpri_prot_fault(struct vpri_prot *p, u32 page)
{
	p->clock++;
	p->st.accesses++;
	p->st.faults++;
	if (p->ops->fault)
		p->ops->fault(p, page);
}

/**
 * vpri_prot_scan_due() - is it time to scan the mapped pages?
 * @p: the protector
 *
 * Return: true once a window of accesses has gone by since the last scan,
 * for a policy that scans.
 */
bool vpri_prot_scan_due(const struct vpri_prot *p)
{
	return p->ops->scans && p->clock >= p->next_scan;
}

/**
 * vpri_prot_scan_begin() - a scan of the mapped pages starts
 * @p: the protector
 *
 * Tells the policy what the window that just ended saw, and starts the
 * next one.
 */
void vpri_prot_scan_begin(struct vpri_prot *p)
{
	u64 acc = p->st.accesses - p->win_accesses;
	u64 flt = p->st.faults - p->win_faults;

	p->st.scans++;
	p->win_accesses = p->st.accesses;
	p->win_faults = p->st.faults;
	p->next_scan = p->clock + p->window;
	if (p->ops->scan_begin)
		p->ops->scan_begin(p, acc, flt);
}

/**
 * vpri_prot_observe() - one mapped page, as the scan found it
 * @p: the protector
 * @page: the page
 * @accessed: the device accessed it since the last scan
 * @pinned: it is pinned
 */
void vpri_prot_observe(struct vpri_prot *p, u32 page, bool accessed,
		       bool pinned)
{
	if (p->ops->observe)
		p->ops->observe(p, page, accessed, pinned);
}

/**
 * vpri_prot_plan() - every mapped page was observed: decide
 * @p: the protector
 */
void vpri_prot_plan(struct vpri_prot *p)
{
	if (p->ops->plan)
		p->ops->plan(p);
}

/**
 * vpri_prot_act() - what to do with a mapped page
 * @p: the protector
 * @page: the page, observed in this scan
 * @pinned: it is pinned
 *
 * May be asked more than once per page (the module unpins first, then
 * pins): the answer depends only on the plan and the page.
 *
 * Return: VPRI_PROT_PIN or VPRI_PROT_PIN_SPARE (when not pinned),
 * VPRI_PROT_UNPIN (when pinned), VPRI_PROT_MARK, or 0.
 */
unsigned int vpri_prot_act(struct vpri_prot *p, u32 page, bool pinned)
{
	unsigned int f = p->ops->act ? p->ops->act(p, page, pinned) : 0;

	if (pinned)
		f &= ~(VPRI_PROT_PIN | VPRI_PROT_PIN_SPARE);
	else
		f &= ~VPRI_PROT_UNPIN;
	if (!p->budget)
		f &= ~(VPRI_PROT_PIN | VPRI_PROT_PIN_SPARE);
	return f;
}

/**
 * vpri_prot_room() - may one more page be pinned?
 * @p: the protector
 *
 * Return: true while fewer than the budget are pinned.
 */
bool vpri_prot_room(const struct vpri_prot *p)
{
	return p->nr_pinned < p->budget;
}

/**
 * vpri_prot_pinned() - the module pinned a page the protector asked for
 * @p: the protector
 */
void vpri_prot_pinned(struct vpri_prot *p)
{
	p->nr_pinned++;
	p->st.pins++;
	if (p->nr_pinned > p->st.peak_pinned)
		p->st.peak_pinned = p->nr_pinned;
}

/**
 * vpri_prot_unpinned() - a pinned page was unpinned
 * @p: the protector
 * @requested: on the protector's request (else its mapping went)
 */
void vpri_prot_unpinned(struct vpri_prot *p, bool requested)
{
	p->nr_pinned--;
	if (requested)
		p->st.unpins++;
}

/**
 * vpri_prot_marked() - the module told the kernel's LRU a page was used
 * @p: the protector
 */
void vpri_prot_marked(struct vpri_prot *p)
{
	p->st.marks++;
}
