/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protector of an on-demand VPRI domain: which of the pages the device
 * has mapped also stay pinned (safe from the kernel's reclaim), and which
 * the kernel's LRU is told the device uses. Pages are mapped on demand and
 * stay mapped until the kernel invalidates them (reclaim, migration,
 * munmap...); the protector only adds pins, or hints, on top.
 *
 * Pure logic: the module drives it, and the host tests drive it with the
 * same sequence of calls. Every page access ticks its clock; every
 * "window" of accesses the module scans the domain's mapped pages:
 *
 *   vpri_prot_scan_begin()
 *   vpri_prot_observe() for each mapped page, with its PA-BITMAP accessed
 *	bit (read and cleared) and whether it is pinned
 *   vpri_prot_plan()
 *   vpri_prot_act() for each mapped page: VPRI_PROT_UNPIN, VPRI_PROT_PIN,
 *	VPRI_PROT_PIN_SPARE, VPRI_PROT_MARK (what the module then does, in
 *	three passes: unpins and marks, pins, then pins the spares while the
 *	budget has room: vpri_prot_pinned() / vpri_prot_unpinned() tell the
 *	outcome)
 *
 * The caller serialises every call on one protector.
 */
#ifndef _HPMM_VPRI_PROTECT_H
#define _HPMM_VPRI_PROTECT_H

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum vpri_prot_id - the protectors of the on-demand mode
 * @VPRI_PROT_RECLAIM: nothing: the kernel's reclaim decides alone which
 *	mapped pages go, as an IOPF-capable device without VPRI's protector
 * @VPRI_PROT_ADP: the Adaptive DMA Protector: pins the active DMA set (from
 *	the PA-BITMAP's accessed bits) within a budget, keeps a minimum pin
 *	ratio, and adapts how long a page counts as active to the fault rate
 *	(policy/prot_adp.c)
 * @VPRI_PROT_HINT: pins nothing; tells the kernel's LRU which pages the
 *	device used since the last scan (mark_page_accessed()), so that
 *	reclaim itself learns what the device uses (policy/prot_hint.c)
 * @VPRI_PROT_ADP_HINT: adp's pins, and hint's reports for the pages the
 *	device used that the budget leaves unpinned (policy/prot_adp.c)
 * @VPRI_NR_PROTS: how many there are
 */
enum vpri_prot_id {
	VPRI_PROT_RECLAIM,
	VPRI_PROT_ADP,
	VPRI_PROT_HINT,
	VPRI_PROT_ADP_HINT,
	VPRI_NR_PROTS,
};

/* What vpri_prot_act() asks of the module for one page. */
#define VPRI_PROT_PIN		1u
#define VPRI_PROT_UNPIN		2u
/* Pin if the budget has room once every VPRI_PROT_PIN page is pinned. */
#define VPRI_PROT_PIN_SPARE	8u
#define VPRI_PROT_MARK		4u

/* Page accesses between two scans: at least this many ... */
#define VPRI_PROT_WINDOW_MIN	4096
/* ... or the domain's pages divided by this. */
#define VPRI_PROT_WINDOW_DIV	4

struct vpri_prot;

/**
 * struct vpri_prot_ops - a protector
 * @name: as in the uapi and hpmmctl ("adp")
 * @needs_budget: pins pages, within a budget
 * @scans: wants the scans (else the module never scans)
 * @init: allocates the state in @p->priv
 * @fini: frees it
 * @fault: @page was faulted in (and so accessed)
 * @scan_begin: a scan starts; the last window had @accesses page accesses
 *	and @faults faults
 * @observe: a mapped page, accessed since the last scan or not, pinned or not
 * @plan: every mapped page was observed
 * @act: what to do with a mapped page (VPRI_PROT_* flags)
 */
struct vpri_prot_ops {
	const char *name;
	bool needs_budget;
	bool scans;
	int (*init)(struct vpri_prot *p);
	void (*fini)(struct vpri_prot *p);
	void (*fault)(struct vpri_prot *p, u32 page);
	void (*scan_begin)(struct vpri_prot *p, u64 accesses, u64 faults);
	void (*observe)(struct vpri_prot *p, u32 page, bool accessed,
			bool pinned);
	void (*plan)(struct vpri_prot *p);
	unsigned int (*act)(struct vpri_prot *p, u32 page, bool pinned);
};

/**
 * struct vpri_prot_stats - what a protector counted
 * @accesses: page accesses (hits + faults)
 * @hits: accesses that found their page present
 * @faults: accesses that did not (I/O page faults)
 * @scans: scans of the mapped pages
 * @pins: pages pinned on the protector's request
 * @unpins: pages unpinned on its request
 * @marks: pages reported to the kernel's LRU as used
 * @peak_pinned: the most pages pinned at once
 */
struct vpri_prot_stats {
	u64 accesses;
	u64 hits;
	u64 faults;
	u64 scans;
	u64 pins;
	u64 unpins;
	u64 marks;
	u32 peak_pinned;
};

/**
 * struct vpri_prot - a domain's protector
 * @ops: its policy
 * @id: the policy's identifier
 * @nr_pages: pages in the domain
 * @budget: the most pages pinned at once (0 for a policy that pins none)
 * @target: the pages the policy wants pinned after its last scan
 * @nr_pinned: pages pinned now (vpri_prot_pinned()/_unpinned())
 * @clock: logical time, one tick per page access
 * @window: page accesses between two scans
 * @next_scan: the clock of the next scan
 * @win_accesses: @st.accesses when the window began
 * @win_faults: @st.faults when the window began
 * @priv: the policy's state
 * @st: counters
 */
struct vpri_prot {
	const struct vpri_prot_ops *ops;
	enum vpri_prot_id id;
	u32 nr_pages;
	u32 budget;
	u32 target;
	u32 nr_pinned;
	u64 clock;
	u64 window;
	u64 next_scan;
	u64 win_accesses;
	u64 win_faults;
	void *priv;
	struct vpri_prot_stats st;
};

const struct vpri_prot_ops *vpri_prot_get(enum vpri_prot_id id);
const char *vpri_prot_name(enum vpri_prot_id id);
int vpri_prot_parse(const char *name);

int vpri_prot_init(struct vpri_prot *p, enum vpri_prot_id id, u32 nr_pages,
		   u32 budget);
void vpri_prot_fini(struct vpri_prot *p);

void vpri_prot_hit(struct vpri_prot *p, u32 page);
void vpri_prot_fault(struct vpri_prot *p, u32 page);
bool vpri_prot_scan_due(const struct vpri_prot *p);
void vpri_prot_scan_begin(struct vpri_prot *p);
void vpri_prot_observe(struct vpri_prot *p, u32 page, bool accessed,
		       bool pinned);
void vpri_prot_plan(struct vpri_prot *p);
unsigned int vpri_prot_act(struct vpri_prot *p, u32 page, bool pinned);
bool vpri_prot_room(const struct vpri_prot *p);
void vpri_prot_pinned(struct vpri_prot *p);
void vpri_prot_unpinned(struct vpri_prot *p, bool requested);
void vpri_prot_marked(struct vpri_prot *p);

extern const struct vpri_prot_ops vpri_prot_reclaim;
extern const struct vpri_prot_ops vpri_prot_adp;
extern const struct vpri_prot_ops vpri_prot_hint;
extern const struct vpri_prot_ops vpri_prot_adp_hint;

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_VPRI_PROTECT_H */
