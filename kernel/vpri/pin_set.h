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
 *   vpri_bitmap_present() ? vpri_pin_set_hit()
 *			   : vpri_pin_set_fault_begin(), pin + map, set the
 *			     accessed and present bits,
 *			     vpri_pin_set_fault_commit() (or _abort())
 *
 * then, after the access, vpri_pin_set_release() for each of its pages, and
 * after each request vpri_pin_set_tick() and, when it reports excess pins,
 * vpri_pin_set_trim(). Pages chosen to be unpinned are "claimed" through a
 * callback of the caller, which clears their present bit and may refuse a
 * page that an access is using (the module's in-flight count; the
 * simulator's current request).
 *
 * The caller serialises every call on one pin set.
 */
#ifndef _HPMM_VPRI_PIN_SET_H
#define _HPMM_VPRI_PIN_SET_H

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pa_bitmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum vpri_policy_id - the pin-set policies
 * @VPRI_POLICY_NONE: nothing stays pinned (policy/none.c)
 * @VPRI_POLICY_ALL: every page stays pinned from its first access
 *	(policy/all.c)
 * @VPRI_POLICY_LRU: a budget, least recently used out (policy/lru.c)
 * @VPRI_POLICY_CLOCK: a budget, second chance (policy/clock.c)
 * @VPRI_POLICY_ADP: a budget, the Adaptive DMA Protector (policy/adp.c)
 * @VPRI_POLICY_ARC: a budget, Adaptive Replacement Cache (policy/arc.c)
 * @VPRI_POLICY_BPF: a budget, LRU order, the victim among the oldest chosen
 *	by &vpri_pin_set.choose (policy/bpf.c)
 * @VPRI_NR_POLICIES: how many there are
 *
 * Up to ARC in the order of the uapi's HPMM_VPRI_POLICY_* values, which the
 * ioctl code checks at build time; BPF came after the on-demand mode's
 * policies in the uapi (vpri_uapi_pin_policy() maps it). A new policy gets
 * the next value here and in the uapi, its file under policy/ and its entry
 * in vpri_policies[] (pin_set.c).
 */
enum vpri_policy_id {
	VPRI_POLICY_NONE,
	VPRI_POLICY_ALL,
	VPRI_POLICY_LRU,
	VPRI_POLICY_CLOCK,
	VPRI_POLICY_ADP,
	VPRI_POLICY_ARC,
	VPRI_POLICY_BPF,
	VPRI_NR_POLICIES,
};

/* The most pages one fault or one trim may unpin. */
#define VPRI_MAX_VICTIMS	32

/*
 * Claims @page for unpinning: clears its present bit and returns true, or
 * leaves it present and returns false when an access is using it.
 */
typedef bool (*vpri_claim_fn)(void *ctx, u32 page);

struct hpmm_vpri_victim_ctx;

/*
 * Picks one of the candidates in @ctx (include/uapi/hpmm-vpri-bpf.h): an
 * index below @ctx->nr, or anything else for the oldest; VPRI_NO_CHOICE
 * when there is no one to ask (no program attached), which is not counted
 * in &vpri_pin_set_stats.choices.
 */
#define VPRI_NO_CHOICE	U32_MAX
typedef u32 (*vpri_choose_fn)(const struct hpmm_vpri_victim_ctx *ctx);

struct vpri_pin_set;

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
	int (*init)(struct vpri_pin_set *ps);
	void (*fini)(struct vpri_pin_set *ps);
	void (*hit)(struct vpri_pin_set *ps, u32 page);
	void (*miss)(struct vpri_pin_set *ps, u32 page);
	u32 (*victim)(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
		      void *ctx);
	void (*insert)(struct vpri_pin_set *ps, u32 page);
	void (*remove)(struct vpri_pin_set *ps, u32 page);
	void (*tick)(struct vpri_pin_set *ps);
};

/**
 * struct vpri_pin_set_stats - what a pin set counted
 * @accesses: page accesses (hits + faults)
 * @hits: accesses that found the page present
 * @faults: accesses that did not (I/O page faults)
 * @evictions: pages the policy chose to unpin for room or trimming
 * @releases: pages unpinned right after their access ("none")
 * @removals: pages unpinned from outside (munmap, teardown)
 * @aborts: faults that did not end with a pinned page
 * @choices: VPRI_POLICY_BPF: victims &vpri_pin_set.choose answered for
 * @chosen_newer: ... of which it picked another page than the oldest
 * @peak_pinned: the most pages pinned at once
 */
struct vpri_pin_set_stats {
	u64 accesses;
	u64 hits;
	u64 faults;
	u64 evictions;
	u64 releases;
	u64 removals;
	u64 aborts;
	u64 choices;
	u64 chosen_newer;
	u32 peak_pinned;
};

/**
 * struct vpri_pin_set - a pin set
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
 * @choose: VPRI_POLICY_BPF: picks the victim among the oldest pinned pages
 *	(the module's calls the attached BPF program); NULL: the oldest
 * @domain_id: passed to @choose
 * @st: counters
 */
struct vpri_pin_set {
	const struct vpri_policy_ops *ops;
	enum vpri_policy_id id;
	struct vpri_bitmap *bm;
	u32 nr_pages;
	u32 budget;
	u32 target;
	u32 nr_pinned;
	u64 clock;
	void *priv;
	vpri_choose_fn choose;
	u64 domain_id;
	struct vpri_pin_set_stats st;
};

const struct vpri_policy_ops *vpri_policy_get(enum vpri_policy_id id);
int vpri_policy_parse(const char *name);
const char *vpri_policy_name(enum vpri_policy_id id);

int vpri_pin_set_init(struct vpri_pin_set *ps, struct vpri_bitmap *bm,
		      enum vpri_policy_id id, u32 nr_pages, u32 budget);
void vpri_pin_set_fini(struct vpri_pin_set *ps);

void vpri_pin_set_hit(struct vpri_pin_set *ps, u32 page);
int vpri_pin_set_fault_begin(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			     void *ctx, u32 *victims, unsigned int max_victims,
			     unsigned int *nr_victims);
void vpri_pin_set_fault_commit(struct vpri_pin_set *ps, u32 page);
void vpri_pin_set_fault_abort(struct vpri_pin_set *ps);
bool vpri_pin_set_release(struct vpri_pin_set *ps, u32 page, vpri_claim_fn claim,
			  void *ctx);
void vpri_pin_set_remove(struct vpri_pin_set *ps, u32 page);
u32 vpri_pin_set_tick(struct vpri_pin_set *ps);
int vpri_pin_set_trim(struct vpri_pin_set *ps, vpri_claim_fn claim, void *ctx,
		      u32 *victims, unsigned int max_victims);

/* The policies, policy/<name>.c. */
extern const struct vpri_policy_ops vpri_policy_none;
extern const struct vpri_policy_ops vpri_policy_all;
extern const struct vpri_policy_ops vpri_policy_lru;
extern const struct vpri_policy_ops vpri_policy_clock;
extern const struct vpri_policy_ops vpri_policy_adp;
extern const struct vpri_policy_ops vpri_policy_arc;
extern const struct vpri_policy_ops vpri_policy_bpf;

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_VPRI_PIN_SET_H */
