// SPDX-License-Identifier: GPL-2.0
/*
 * The pin set: policy-independent bookkeeping around a VPRI policy (see
 * pin_set.h for the calling sequence). Pure logic: builds into the module and
 * into host programs.
 */
#include "pin_set.h"

static const struct vpri_policy_ops *const vpri_policies[VPRI_NR_POLICIES] = {
	[VPRI_POLICY_NONE] = &vpri_policy_none,
	[VPRI_POLICY_ALL] = &vpri_policy_all,
	[VPRI_POLICY_LRU] = &vpri_policy_lru,
	[VPRI_POLICY_CLOCK] = &vpri_policy_clock,
	[VPRI_POLICY_ADP] = &vpri_policy_adp,
	[VPRI_POLICY_ARC] = &vpri_policy_arc,
	[VPRI_POLICY_BPF] = &vpri_policy_bpf,
};

const struct vpri_policy_ops *vpri_policy_get(enum vpri_policy_id id)
{
	if ((unsigned int)id >= VPRI_NR_POLICIES)
		return NULL;
	return vpri_policies[id];
}

const char *vpri_policy_name(enum vpri_policy_id id)
{
	const struct vpri_policy_ops *ops = vpri_policy_get(id);

	return ops ? ops->name : "unknown";
}

/**
 * vpri_policy_parse() - a policy's identifier from its name
 * @name: "none", "all", "lru", "clock", "adp", "arc" or "bpf"
 *
 * Return: the enum vpri_policy_id, or -EINVAL.
 */
int vpri_policy_parse(const char *name)
{
	int i;

	for (i = 0; i < VPRI_NR_POLICIES; i++)
		if (!strcmp(vpri_policies[i]->name, name))
			return i;
	return -EINVAL;
}

/**
 * vpri_pin_set_init() - set up a pin set
 * @ps: the pin set
 * @bm: the domain's bitmap, @nr_pages pages, all bits clear
 * @id: the policy
 * @nr_pages: pages in the domain
 * @budget: most pages pinned at once, 2..@nr_pages, for a policy that
 *	takes a budget; ignored (the whole domain) for "none" and "all"
 *
 * A budget of at least 2 lets an access that spans two pages fault on its
 * second page while its first stays pinned.
 *
 * Return: 0, -EINVAL for a bad policy or budget, -ENOMEM.
 */
int vpri_pin_set_init(struct vpri_pin_set *ps, struct vpri_bitmap *bm,
		      enum vpri_policy_id id, u32 nr_pages, u32 budget)
{
	const struct vpri_policy_ops *ops = vpri_policy_get(id);
	int ret;

	if (!ops || !nr_pages || bm->nr_pages != nr_pages)
		return -EINVAL;
	if (ops->needs_budget) {
		if (budget < 2 || budget > nr_pages)
			return -EINVAL;
	} else {
		budget = nr_pages;
	}
	memset(ps, 0, sizeof(*ps));
	ps->ops = ops;
	ps->id = id;
	ps->bm = bm;
	ps->nr_pages = nr_pages;
	ps->budget = budget;
	ps->target = budget;
	if (ops->init) {
		ret = ops->init(ps);
		if (ret)
			return ret;
	}
	return 0;
}

void vpri_pin_set_fini(struct vpri_pin_set *ps)
{
	if (ps->ops && ps->ops->fini)
		ps->ops->fini(ps);
	ps->priv = NULL;
	ps->ops = NULL;
}

/**
 * vpri_pin_set_hit() - an access found @page present
 * @ps: the pin set
 * @page: the page
 */
void vpri_pin_set_hit(struct vpri_pin_set *ps, u32 page)
{
	ps->clock++;
	ps->st.accesses++;
	ps->st.hits++;
	vpri_bitmap_mark_accessed(ps->bm, page);
	if (ps->ops->hit)
		ps->ops->hit(ps, page);
}

static void vpri_pin_set_note_pinned(struct vpri_pin_set *ps)
{
	if (ps->nr_pinned > ps->st.peak_pinned)
		ps->st.peak_pinned = ps->nr_pinned;
}

/**
 * vpri_pin_set_fault_begin() - an access found @page absent: make room
 * @ps: the pin set
 * @page: the page to be pinned
 * @claim: claims a victim (clears its present bit) or refuses it
 * @ctx: for @claim
 * @victims: out: the pages the caller must now unmap and unpin
 * @max_victims: room in @victims
 * @nr_victims: out: how many were stored in @victims
 *
 * Counts the fault, lets the policy pick victims while the pin set is at
 * its target, and reserves a slot for @page. The caller pins @page and
 * calls vpri_pin_set_fault_commit(), or vpri_pin_set_fault_abort() on failure.
 * The victims must be unpinned in both cases.
 *
 * Return: 0 with a slot reserved, or -ENOSPC when the budget is full of
 * pages that are being accessed (no slot reserved).
 */
int vpri_pin_set_fault_begin(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			     void *ctx, u32 *victims, unsigned int max_victims,
			     unsigned int *nr_victims)
{
	unsigned int n = 0;

	ps->clock++;
	ps->st.accesses++;
	ps->st.faults++;
	if (ps->ops->miss)
		ps->ops->miss(ps, page);
	while (ps->nr_pinned >= ps->target && n < max_victims &&
	       ps->ops->victim) {
		u32 v = ps->ops->victim(ps, page, claim, ctx);

		if (v == VPRI_NO_PAGE)
			break;
		victims[n++] = v;
		ps->nr_pinned--;
		ps->st.evictions++;
	}
	*nr_victims = n;
	if (ps->nr_pinned >= ps->budget) {
		ps->st.aborts++;
		return -ENOSPC;
	}
	ps->nr_pinned++;
	vpri_pin_set_note_pinned(ps);
	return 0;
}

/**
 * vpri_pin_set_fault_commit() - @page is pinned, mapped and present
 * @ps: the pin set
 * @page: the page of the vpri_pin_set_fault_begin() that reserved its slot
 *
 * The caller has set the page's accessed and present bits (the PA-BITMAP
 * update that publishes the page to the front end).
 */
void vpri_pin_set_fault_commit(struct vpri_pin_set *ps, u32 page)
{
	if (ps->ops->insert)
		ps->ops->insert(ps, page);
}

/**
 * vpri_pin_set_fault_abort() - a fault did not pin its page: free its slot
 * @ps: the pin set
 */
void vpri_pin_set_fault_abort(struct vpri_pin_set *ps)
{
	ps->nr_pinned--;
	ps->st.aborts++;
}

/**
 * vpri_pin_set_release() - an access to @page is over
 * @ps: the pin set
 * @page: the page
 * @claim: claims @page or refuses it
 * @ctx: for @claim
 *
 * Return: true when the policy unpins after each access and @page was
 * claimed: the caller unmaps and unpins it.
 */
bool vpri_pin_set_release(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			  void *ctx)
{
	if (!ps->ops->unpin_after_dma || !claim(ctx, page))
		return false;
	if (ps->ops->remove)
		ps->ops->remove(ps, page);
	ps->nr_pinned--;
	ps->st.releases++;
	return true;
}

/**
 * vpri_pin_set_remove() - @page was unpinned from outside the policy
 * @ps: the pin set
 * @page: a page that was present; the caller has cleared its present bit
 */
void vpri_pin_set_remove(struct vpri_pin_set *ps, u32 page)
{
	if (ps->ops->remove)
		ps->ops->remove(ps, page);
	ps->nr_pinned--;
	ps->st.removals++;
}

/**
 * vpri_pin_set_tick() - a request is over: let the policy adapt its target
 * @ps: the pin set
 *
 * Return: how many pages are pinned above the target; the caller then
 * calls vpri_pin_set_trim().
 */
u32 vpri_pin_set_tick(struct vpri_pin_set *ps)
{
	if (ps->ops->tick)
		ps->ops->tick(ps);
	return ps->nr_pinned > ps->target ? ps->nr_pinned - ps->target : 0;
}

/**
 * vpri_pin_set_trim() - unpin pages above the target
 * @ps: the pin set
 * @claim: claims a victim or refuses it
 * @ctx: for @claim
 * @victims: out: the pages the caller must now unmap and unpin
 * @max_victims: room in @victims
 *
 * Return: how many pages were stored in @victims.
 */
int vpri_pin_set_trim(struct vpri_pin_set *ps, vpri_claim_fn claim, void *ctx,
		      u32 *victims, unsigned int max_victims)
{
	unsigned int n = 0;

	while (ps->nr_pinned > ps->target && n < max_victims &&
	       ps->ops->victim) {
		u32 v = ps->ops->victim(ps, VPRI_NO_PAGE, claim, ctx);

		if (v == VPRI_NO_PAGE)
			break;
		victims[n++] = v;
		ps->nr_pinned--;
		ps->st.evictions++;
	}
	return n;
}
