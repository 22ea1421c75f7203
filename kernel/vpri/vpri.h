/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VPRI, the I/O page-fault pinning service: the core's declarations.
 *
 * The core owns the domains, their data path and their statistics; the
 * interfaces are its clients:
 *
 * domain.c   domains: creation, lookup, teardown, the MMU interval notifier;
 *            each is an object of the /dev/hpmm file that registered it
 * fault.c    the data path: the front end (PA-BITMAP check), per-CPU fault
 *            queues and their workers, batches of requests
 * pin.c      the pinned mode (pin + IOMMU map on fault, unmap + unpin when
 *            the policy lets a page go), behind struct vpri_mode_ops
 * odp.c      the on-demand mode (hmm_range_fault() + IOMMU map on fault,
 *            unmapped when the kernel invalidates the page; a protector
 *            pins or hints on top), the second struct vpri_mode_ops
 * stats.c    per-domain statistics, latency histograms and the fault
 *            timeline; kept for a while after their domain is destroyed
 * ioctl.c    client: the /dev/hpmm commands (include/uapi/hpmm-vpri.h)
 * debugfs.c  client: vpri/ in debugfs (Documentation/vpri.rst)
 * pa_bitmap.c, pin_set.c, protect.c, hist.c, policy/: pure logic, built unchanged
 *            into the host simulator and tests (tools/vpri/)
 *
 * hpmm_test.ko (kernel/test/vpri*.c) reaches a domain through
 * vpri_domain_get() and vpri_domain_put() for its test hooks.
 */
#ifndef _HPMM_VPRI_VPRI_H
#define _HPMM_VPRI_VPRI_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <uapi/hpmm-vpri.h>

#include "../chardev.h"
#include "../dev/dev.h"
#include "hist.h"
#include "pa_bitmap.h"
#include "pin_set.h"
#include "protect.h"

/* The edu device VPRI drives: the second one (dev.h index). */
#define VPRI_DEV_INDEX		1
/* Statistics of this many destroyed domains are kept. */
#define VPRI_RETIRED_MAX	16
/* Fault timeline: bins, and the first bin width (it doubles when full). */
#define VPRI_RATE_BINS		512
#define VPRI_RATE_BIN_NS	(100 * NSEC_PER_MSEC)

struct dentry;
struct vpri_domain;

/**
 * struct vpri_counters - what a domain's policy counted, whatever its mode
 * @accesses: page accesses (hits + faults)
 * @hits: accesses that found their page present
 * @faults: I/O page faults
 * @evictions: pages the policy chose to unpin
 * @releases: pages unpinned right after their access ("none")
 * @scans: scans of the mapped pages (on-demand mode)
 * @marks: pages reported to the kernel's LRU as used ("hint")
 * @choices: victims a BPF program was asked for ("bpf")
 * @chosen_newer: ... of which it picked another than the oldest
 * @peak_pinned: the most pages pinned at once
 * @budget: the pin budget
 * @target: the policy's target now
 */
struct vpri_counters {
	u64 accesses;
	u64 hits;
	u64 faults;
	u64 evictions;
	u64 releases;
	u64 scans;
	u64 marks;
	u64 choices;
	u64 chosen_newer;
	u32 peak_pinned;
	u32 budget;
	u32 target;
};

/**
 * struct vpri_stats - what the core counts for a domain; outlives it
 * @node: in the list of statistics, oldest first (stats.c)
 * @id: the domain's id
 * @policy: its policy (HPMM_VPRI_POLICY_*)
 * @on_demand: the domain's mode is the on-demand one
 * @nr_pages: pages in its range
 * @budget: its pin budget
 * @dom: the live domain, or NULL once destroyed (under @lock)
 * @start_ns: registration time (ktime_get_ns)
 * @end_ns: destruction time, 0 while live
 * @final: the policy's counters when the domain was destroyed
 * @majflt_start: the registering process's major faults at registration
 * @majflt: its major faults since registration (updated when read)
 * @requests: requests completed
 * @fault_requests: faults queued to a worker
 * @spurious: faults that found their page pinned by a concurrent fault
 * @fault_errors: faults that failed (no pin)
 * @dma_errors: accesses the device refused
 * @pins: pages pinned
 * @unpins: pages unpinned
 * @pinned: pages pinned now
 * @mapped: pages mapped in the IOMMU domain now
 * @swapins: faults that read the page back from swap
 * @invalidations: pages let go because their mapping changed (munmap,
 *	exit, MADV_DONTNEED, mprotect, ...): the MMU notifier's doing
 * @revalidations: pages an invalidation took from the front end whose
 *	mapping was found unchanged, given back to it
 * @young: the kernel's reclaim asked whether pages of the range were used
 *	and the device had used one (on-demand hint, adp-hint)
 * @bm_test_ns: total time of front-end present-bit tests
 * @bm_tests: their number
 * @bm_update_ns: total time of present-bit updates (set on pin, clear on
 *	unpin)
 * @bm_updates: their number
 * @lock: guards @dom, @final, the histograms and the timeline
 * @rt_all: fault round trip (queue, pin, map, wake), every fault
 * @rt_swapin: the faults whose pin swapped the page in
 * @rt_noswap: the others
 * @bin_ns: width of a timeline bin
 * @nbins: bins used
 * @bins: faults per bin since @start_ns
 * @worker_faults: faults served per CPU (nr_cpu_ids entries)
 * @dir: its debugfs directory, vpri/<id>/ (debugfs.c's)
 *
 * The data path updates the counters; stats.c creates, retires and frees
 * the structure; debugfs.c shows it.
 */
struct vpri_stats {
	struct list_head node;
	u64 id;
	u32 policy;
	bool on_demand;
	u32 nr_pages;
	u32 budget;
	struct vpri_domain *dom;
	u64 start_ns;
	u64 end_ns;
	struct vpri_counters final;
	u64 majflt_start;
	atomic64_t majflt;
	atomic64_t requests;
	atomic64_t fault_requests;
	atomic64_t spurious;
	atomic64_t fault_errors;
	atomic64_t dma_errors;
	atomic64_t pins;
	atomic64_t unpins;
	atomic64_t pinned;
	atomic64_t mapped;
	atomic64_t swapins;
	atomic64_t invalidations;
	atomic64_t revalidations;
	atomic64_t young;
	atomic64_t bm_test_ns;
	atomic64_t bm_tests;
	atomic64_t bm_update_ns;
	atomic64_t bm_updates;
	spinlock_t lock; /* dom, final, histograms, timeline */
	struct vpri_hist rt_all;
	struct vpri_hist rt_swapin;
	struct vpri_hist rt_noswap;
	u64 bin_ns;
	u32 nbins;
	u32 bins[VPRI_RATE_BINS];
	atomic64_t *worker_faults;
	struct dentry *dir;
};

/**
 * struct vpri_mode_ops - how a domain's pages reach its IOMMU domain
 * @name: the mode's name
 * @fault_first: the front end faults a request's pages in before it marks
 *	any in flight (the mode's invalidations wait for accesses in flight:
 *	none may wait for a fault); else it marks each page in flight, in
 *	order, faulting it in if needed (the pinned mode: its invalidations
 *	never wait, and a request's pages stay in flight while it faults)
 * @hit: an access found @idx present (its in-flight count is held)
 * @tick: a request is over: let the policy adapt, shed or scan
 * @fault: a worker serves an I/O page fault on @idx: make room in the pin
 *	set, bring the page in, map it and make it present; sets *@swapin
 *	when the page had to be read back from swap. 0, -EAGAIN when an
 *	access still uses the page an invalidation took away (the request
 *	lets go of its pages and waits on @reap_wq), or a negative errno.
 * @access_done: an access to @idx is over; @idle: it was the last one in
 *	flight on the page. Gives back what the policy or an invalidation
 *	no longer lets the domain keep.
 * @invalidate: the MMU notifier's callback for the domain's range
 * @reap: the domain's reap work: finishes what @invalidate left to
 *	process context
 * @teardown: the domain is going: no access is in flight and the notifier
 *	is gone; unmap and give back every page
 * @counters: the policy's counters (plock held)
 *
 * The data path (fault.c) is the same for every mode. The pinned mode
 * (pin.c, vpri_mode_pin) is the only one so far.
 */
struct vpri_mode_ops {
	const char *name;
	bool fault_first;
	void (*hit)(struct vpri_domain *dom, u32 idx);
	void (*tick)(struct vpri_domain *dom);
	int (*fault)(struct vpri_domain *dom, u32 idx, bool *swapin);
	void (*access_done)(struct vpri_domain *dom, u32 idx, bool idle);
	bool (*invalidate)(struct vpri_domain *dom,
			   const struct mmu_notifier_range *range,
			   unsigned long cur_seq);
	void (*reap)(struct vpri_domain *dom);
	void (*teardown)(struct vpri_domain *dom);
	void (*counters)(struct vpri_domain *dom, struct vpri_counters *c);
};

extern const struct vpri_mode_ops vpri_mode_pin;
extern const struct vpri_mode_ops vpri_mode_odp;

/**
 * struct vpri_domain_params - what a new domain is made of
 * @addr: start of the range, page aligned, private anonymous memory of the
 *	calling process
 * @length: bytes, page aligned, at most HPMM_VPRI_MAX_LENGTH
 * @on_demand: the on-demand mode (else the pinned one)
 * @policy: HPMM_VPRI_POLICY_*, one the mode has
 * @budget: most pages pinned at once, for a policy that takes a budget
 */
struct vpri_domain_params {
	unsigned long addr;
	unsigned long length;
	bool on_demand;
	u32 policy;
	u32 budget;
};

/**
 * struct vpri_domain - one registered range and its IOMMU domain
 * @obj: the /dev/hpmm object; @obj.id is the domain's id
 * @node: in the list of live domains (domain.c)
 * @mode: how pages reach the IOMMU domain
 * @dev: the edu device
 * @iodom: the unmanaged IOMMU domain attached to @dev
 * @mm: the registering process's mm (mmgrab)
 * @task: its thread group leader, whose RLIMIT_MEMLOCK applies
 * @lock_cap: it had CAP_IPC_LOCK at registration (no limit)
 * @uaddr: start of the range
 * @nr_pages: pages in the range; IOVA = offset in it
 * @gate: held for read by submitters, for write by teardown
 * @notifier: tells the mode when the range's memory changes
 * @young_mn: answers reclaim's young queries from the PA-BITMAP (hint,
 *	adp-hint; odp.c)
 * @young_mm: the mm @young_mn is registered on, or NULL
 * @lock: serialises pinning, IOMMU map/unmap and unpinning; held across
 *	iommu_map(), which allocates, so the MMU notifier never takes it
 * @plock: guards @ps, the present bits' ownership, @pages updates that
 *	publish a page, and the notifier sequence (inside @lock where both
 *	are needed; the only lock the MMU notifier takes)
 * @bm: the PA-BITMAP
 * @ps: the pin set (pinned mode)
 * @prot: the protector (on-demand mode)
 * @pages: the page mapped at each IOVA page, or NULL (pinned mode: under
 *	@lock; on-demand mode: under @plock)
 * @busy: accesses in flight per page; a busy page is never unpinned
 * @zombie: pages whose mapping is gone (munmap, exit, or found changed):
 *	taken away from the front end, unmapped and unpinned by @reap_work
 *	or, if an access is using one, by that access when it ends
 * @suspect: pinned pages an invalidation took away from the front end
 *	whose mapping may be unchanged (reclaim and migration cannot move a
 *	pinned page; fork write-protects only the other pages): @reap_work
 *	or the next fault on one checks the process's page table and gives
 *	it back (same page, writable) or lets it go
 * @locked: pages charged to locked_vm
 * @reap_work: revalidates the suspects, unmaps, unpins and uncharges the
 *	zombies
 * @reap_wq: woken when a zombie is gone
 * @pinned: on-demand mode: pages that also hold a pin (under @plock)
 * @draining: on-demand mode: pages an invalidation took away, unmapped
 *	once the accesses using them end (under @plock)
 * @idle_wq: on-demand mode: woken when a draining page's last access ends,
 *	and when a draining page is unmapped
 * @st: statistics
 */
struct vpri_domain {
	struct hpmm_object obj;
	struct list_head node;
	const struct vpri_mode_ops *mode;
	struct hpmm_dev *dev;
	struct iommu_domain *iodom;
	struct mm_struct *mm;
	struct task_struct *task;
	bool lock_cap;
	unsigned long uaddr;
	u32 nr_pages;
	struct rw_semaphore gate;
	struct mmu_interval_notifier notifier;
	struct mmu_notifier young_mn;
	struct mm_struct *young_mm;
	struct mutex lock; /* pin, map, unmap, unpin */
	spinlock_t plock; /* the pin set */
	struct vpri_bitmap bm;
	struct vpri_pin_set ps;
	struct vpri_prot prot;
	struct page **pages;
	atomic_t *busy;
	unsigned long *zombie;
	unsigned long *suspect;
	atomic_long_t locked;
	struct work_struct reap_work;
	wait_queue_head_t reap_wq;
	unsigned long *pinned;
	unsigned long *draining;
	wait_queue_head_t idle_wq;
	struct vpri_stats *st;
};

extern atomic_long_t vpri_pinned_total;

/* domain.c */
bool vpri_vma_ok(struct vm_area_struct *vma);
const char *vpri_uapi_policy_name(u32 policy);
int vpri_policy_check(bool on_demand, u32 policy, u32 nr_pages, u32 *budget);
int vpri_uapi_pin_policy(u32 policy);
int vpri_domain_create(struct hpmm_file *hfile,
		       const struct vpri_domain_params *p,
		       struct vpri_domain **domp);
void vpri_domain_destroy(struct vpri_domain *dom);
struct vpri_domain *vpri_domain_get(u64 id);
void vpri_domain_put(struct vpri_domain *dom);
unsigned int vpri_live_domains(void);
int vpri_init(struct dentry *root);
void vpri_exit(void);
extern const struct hpmm_object_ops vpri_domain_object_ops;

/* fault.c */
int vpri_fault_init(void);
void vpri_fault_exit(void);
int vpri_submit(struct vpri_domain *dom, enum hpmm_dev_backend backend,
		const struct hpmm_vpri_req *reqs, u32 nr, u32 *nr_done,
		u64 *faults, u64 *hits);
u64 vpri_worker_served(int cpu);
void vpri_hold(struct vpri_domain *dom, u64 iova, u64 len);
void vpri_release(struct vpri_domain *dom, u64 iova, u64 len);

/* odp.c */
int vpri_odp_young_register(struct vpri_domain *dom, struct mm_struct *mm);
void vpri_odp_young_unregister(struct vpri_domain *dom);

/* pin.c, shared with odp.c */
int vpri_acct(struct vpri_domain *dom, long npages);
unsigned long vpri_snapshot(struct vpri_domain *dom, u32 first, u32 n,
			    unsigned long *pfns);
bool vpri_pfn_is(unsigned long pfn, struct page *page);
#define VPRI_REVAL_CHUNK	64

/* stats.c */
struct vpri_stats *vpri_stats_create(u64 id, u32 policy, bool on_demand,
				     u32 nr_pages, u32 budget);
void vpri_stats_publish(struct vpri_stats *st, struct vpri_domain *dom);
void vpri_stats_retire(struct vpri_stats *st, struct vpri_domain *dom);
void vpri_stats_destroy(struct vpri_stats *st);
void vpri_stats_fault(struct vpri_stats *st, u64 now_ns, u64 rt_ns,
		      bool swapin);
void vpri_stats_counters(struct vpri_stats *st, struct vpri_counters *c,
			 bool *live);
u64 vpri_stats_majflt(struct vpri_stats *st);
u64 vpri_task_majflt(struct task_struct *tsk);
u64 vpri_stats_elapsed_ns(struct vpri_stats *st);
unsigned int vpri_stats_count(void);
void vpri_stats_forget(void);
void vpri_stats_exit(void);

/* bpf.c: the victim chosen by a BPF program ("bpf") */
void vpri_bpf_init(struct dentry *dir);
bool vpri_bpf_supported(void);
u32 vpri_bpf_choose(const struct hpmm_vpri_victim_ctx *ctx);

/* debugfs.c */
struct dentry *vpri_debugfs_init(struct dentry *root);
void vpri_debugfs_exit(void);
void vpri_debugfs_add_domain(struct vpri_stats *st);
void vpri_debugfs_remove_domain(struct vpri_stats *st);

#endif /* _HPMM_VPRI_VPRI_H */
