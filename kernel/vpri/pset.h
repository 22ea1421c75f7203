/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pin set of a VPRI domain: which IOVA pages are pinned, chosen by a
 * pluggable policy, with the bookkeeping every policy shares (the budget,
 * the pinned count, the logical clock, counters).
 *
 * Pure logic: the module and the host simulator drive it with the same
 * sequence of calls for the same trace, so they count the same faults.
 * For each page of a device access, in order:
 *
 *   vpri_bitmap_present() ? vpri_pset_hit()
 *			   : vpri_pset_fault_begin(), pin + map, set the
 *			     accessed and present bits,
 *			     vpri_pset_fault_commit() (or _abort())
 *
 * then, after the access, vpri_pset_release() for each of its pages, and
 * after each request vpri_pset_tick() and, when it reports excess pins,
 * vpri_pset_trim(). Pages chosen to be unpinned are "claimed" through a
 * callback of the caller, which clears their present bit and may refuse a
 * page that an access is using (the module's in-flight count; the
 * simulator's current request).
 *
 * The caller serialises every call on one pin set.
 */
#ifndef _HPMM_VPRI_PSET_H
#define _HPMM_VPRI_PSET_H

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bitmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Policy identifiers: the values of HPMM_VPRI_POLICY_* in the uapi. */
enum vpri_policy_id {
	VPRI_POLICY_NONE = 0,
	VPRI_POLICY_ALL = 1,
	VPRI_POLICY_LRU = 2,
	VPRI_POLICY_CLOCK = 3,
	VPRI_POLICY_ADP = 4,
	VPRI_POLICY_ARC = 5,
	VPRI_NR_POLICIES,
};

/* The most pages one fault or one trim may unpin. */
#define VPRI_MAX_VICTIMS	32

/*
 * Claims @page for unpinning: clears its present bit and returns true, or
 * leaves it present and returns false when an access is using it.
 */
typedef bool (*vpri_claim_fn)(void *ctx, u32 page);

struct vpri_pset;

/**
 * struct vpri_policy_ops - a pin-set policy
 * @name: as in the uapi and hpmmctl ("lru")
 * @needs_budget: takes a pin budget (else it is ignored)
 * @unpin_after_dma: unpins each page when its access is over ("none")
 * @init: allocates the policy's state in @ps->priv
 * @fini: frees it
 * @hit: an access to a present page (may be NULL)
 * @miss: a fault on @page, before any victim is chosen (may be NULL)
 * @victim: picks a pinned page to unpin to make room for @page
 *	(VPRI_NO_PAGE when trimming), claims it with @claim and forgets it;
 *	returns it, or VPRI_NO_PAGE when no page could be claimed
 * @insert: @page was pinned after a fault
 * @remove: @page was unpinned by someone else (munmap) or released
 * @tick: called after each request; may move @ps->target (may be NULL)
 */
struct vpri_policy_ops {
	const char *name;
	bool needs_budget;
	bool unpin_after_dma;
	int (*init)(struct vpri_pset *ps);
	void (*fini)(struct vpri_pset *ps);
	void (*hit)(struct vpri_pset *ps, u32 page);
	void (*miss)(struct vpri_pset *ps, u32 page);
	u32 (*victim)(struct vpri_pset *ps, u32 page, vpri_claim_fn claim,
		      void *ctx);
	void (*insert)(struct vpri_pset *ps, u32 page);
	void (*remove)(struct vpri_pset *ps, u32 page);
	void (*tick)(struct vpri_pset *ps);
};

/**
 * struct vpri_pset_stats - what a pin set counted
 * @accesses: page accesses (hits + faults)
 * @hits: accesses that found the page present
 * @faults: accesses that did not (I/O page faults)
 * @evictions: pages the policy chose to unpin for room or trimming
 * @releases: pages unpinned right after their access ("none")
 * @removals: pages unpinned from outside (munmap, teardown)
 * @aborts: faults that did not end with a pinned page
 * @peak_pinned: the most pages pinned at once
 */
struct vpri_pset_stats {
	u64 accesses;
	u64 hits;
	u64 faults;
	u64 evictions;
	u64 releases;
	u64 removals;
	u64 aborts;
	u32 peak_pinned;
};

/**
 * struct vpri_pset - a pin set
 * @ops: its policy
 * @id: its policy's identifier
 * @bm: the domain's PA-BITMAP (present and accessed bits)
 * @nr_pages: pages in the domain
 * @budget: the most pages that may be pinned at once
 * @target: the most pages the policy wants pinned now (<= @budget)
 * @nr_pinned: pages pinned plus slots reserved by faults in progress;
 *	never above @budget
 * @clock: logical time, one tick per page access
 * @priv: the policy's state
 * @st: counters
 */
struct vpri_pset {
	const struct vpri_policy_ops *ops;
	enum vpri_policy_id id;
	struct vpri_bitmap *bm;
	u32 nr_pages;
	u32 budget;
	u32 target;
	u32 nr_pinned;
	u64 clock;
	void *priv;
	struct vpri_pset_stats st;
};

const struct vpri_policy_ops *vpri_policy_get(enum vpri_policy_id id);
int vpri_policy_parse(const char *name);
const char *vpri_policy_name(enum vpri_policy_id id);

int vpri_pset_init(struct vpri_pset *ps, struct vpri_bitmap *bm,
		   enum vpri_policy_id id, u32 nr_pages, u32 budget);
void vpri_pset_fini(struct vpri_pset *ps);

void vpri_pset_hit(struct vpri_pset *ps, u32 page);
int vpri_pset_fault_begin(struct vpri_pset *ps, u32 page, vpri_claim_fn claim,
			  void *ctx, u32 *victims, unsigned int max_victims,
			  unsigned int *nr_victims);
void vpri_pset_fault_commit(struct vpri_pset *ps, u32 page);
void vpri_pset_fault_abort(struct vpri_pset *ps);
bool vpri_pset_release(struct vpri_pset *ps, u32 page, vpri_claim_fn claim,
		       void *ctx);
void vpri_pset_remove(struct vpri_pset *ps, u32 page);
u32 vpri_pset_tick(struct vpri_pset *ps);
int vpri_pset_trim(struct vpri_pset *ps, vpri_claim_fn claim, void *ctx,
		   u32 *victims, unsigned int max_victims);

/* The policies, policy/<name>.c. */
extern const struct vpri_policy_ops vpri_policy_none;
extern const struct vpri_policy_ops vpri_policy_all;
extern const struct vpri_policy_ops vpri_policy_lru;
extern const struct vpri_policy_ops vpri_policy_clock;
extern const struct vpri_policy_ops vpri_policy_adp;
extern const struct vpri_policy_ops vpri_policy_arc;

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_VPRI_PSET_H */
