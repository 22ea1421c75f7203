/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VPRI, the I/O page-fault pinning service: kernel-side declarations.
 *
 * domain.c  registration through /dev/hpmm, the IOMMU domain, the MMU
 *           interval notifier, teardown
 * fault.c   the front end (PA-BITMAP check), per-CPU fault queues and their
 *           workers, pin + map and unmap + unpin, locked_vm accounting
 * debugfs.c vpri/ in debugfs, per-domain statistics
 * pa_bitmap.c, pin_set.c, hist.c, policy/: pure logic shared with the host
 *           simulator (tools/include)
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
#include <linux/workqueue.h>

#include <uapi/hpmm-vpri.h>

#include "../dev/dev.h"
#include "pa_bitmap.h"
#include "hist.h"
#include "pin_set.h"

/* The edu device VPRI drives: the second one (dev.h index). */
#define VPRI_DEV_INDEX		1
/* Statistics of this many destroyed domains stay in debugfs. */
#define VPRI_RETIRED_MAX	16
/* Fault timeline: bins, and the first bin width (it doubles when full). */
#define VPRI_RATE_BINS		512
#define VPRI_RATE_BIN_NS	(100 * NSEC_PER_MSEC)

/**
 * struct vpri_stats - what debugfs shows of a domain; outlives the domain
 * @node: in the module's list of statistics, oldest first
 * @id: the domain's id
 * @policy: its policy
 * @nr_pages: pages in its range
 * @budget: its pin budget
 * @dom: the live domain, or NULL once destroyed (under @lock)
 * @dir: debugfs vpri/<id>/
 * @start_ns: registration time (ktime_get_ns)
 * @end_ns: destruction time, 0 while live
 * @final: the pin set's counters when the domain was destroyed
 * @final_target: its target then
 * @requests: requests completed
 * @fault_requests: faults queued to a worker
 * @spurious: faults that found their page pinned by a concurrent fault
 * @fault_errors: faults that failed (no pin)
 * @dma_errors: accesses the device refused
 * @pins: pages pinned
 * @unpins: pages unpinned
 * @pinned: pages pinned now
 * @swapins: faults whose pin read the page back from swap
 * @invalidations: pages unpinned by the MMU notifier (munmap, exit)
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
 */
struct vpri_stats {
	struct list_head node;
	u64 id;
	enum vpri_policy_id policy;
	u32 nr_pages;
	u32 budget;
	struct vpri_domain *dom;
	struct dentry *dir;
	u64 start_ns;
	u64 end_ns;
	struct vpri_pin_set_stats final;
	u32 final_target;
	atomic64_t requests;
	atomic64_t fault_requests;
	atomic64_t spurious;
	atomic64_t fault_errors;
	atomic64_t dma_errors;
	atomic64_t pins;
	atomic64_t unpins;
	atomic64_t pinned;
	atomic64_t swapins;
	atomic64_t invalidations;
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
};

/**
 * struct vpri_domain - one registered range and its IOMMU domain
 * @node: in the module's list of live domains
 * @file_node: in the registering file's list
 * @owner: the registering file's VPRI state
 * @id: user-visible id
 * @dev: the edu device
 * @iodom: the unmanaged IOMMU domain attached to @dev
 * @mm: the registering process's mm (mmgrab)
 * @task: its thread group leader, whose RLIMIT_MEMLOCK applies
 * @lock_cap: it had CAP_IPC_LOCK at registration (no limit)
 * @uaddr: start of the range
 * @nr_pages: pages in the range; IOVA = offset in it
 * @test_hooks: HPMM_VPRI_REQ_SKIP_CHECK allowed
 * @gate: held for read by submitters, for write by teardown
 * @notifier: unmaps and unpins pages whose memory is unmapped
 * @lock: serialises pinning, IOMMU map/unmap and unpinning; held across
 *	iommu_map(), which allocates, so the MMU notifier never takes it
 * @plock: guards @ps, the present bits' ownership, @pages updates that
 *	publish a page, and the notifier sequence (inside @lock where both
 *	are needed; the only lock the MMU notifier takes)
 * @bm: the PA-BITMAP
 * @ps: the pin set
 * @pages: the pinned page of each IOVA page, or NULL (under @lock)
 * @busy: accesses in flight per page; a busy page is never unpinned
 * @zombie: pages whose memory was unmapped (munmap, exit): taken away from
 *	the front end by the notifier, unmapped and unpinned by @reap_work or,
 *	if an access is using one, by that access when it ends
 * @locked: pages charged to locked_vm
 * @reap_work: unmaps, unpins and uncharges the zombies
 * @st: statistics
 */
struct vpri_domain {
	struct list_head node;
	struct list_head file_node;
	struct vpri_file *owner;
	u64 id;
	struct hpmm_dev *dev;
	struct iommu_domain *iodom;
	struct mm_struct *mm;
	struct task_struct *task;
	bool lock_cap;
	unsigned long uaddr;
	u32 nr_pages;
	bool test_hooks;
	struct rw_semaphore gate;
	struct mmu_interval_notifier notifier;
	struct mutex lock; /* pin, map, unmap, unpin */
	spinlock_t plock; /* the pin set */
	struct vpri_bitmap bm;
	struct vpri_pin_set ps;
	struct page **pages;
	atomic_t *busy;
	unsigned long *zombie;
	atomic_long_t locked;
	struct work_struct reap_work;
	struct vpri_stats *st;
};

/**
 * struct vpri_file - VPRI state of one open /dev/hpmm
 * @domains: domains registered through it
 */
struct vpri_file {
	struct list_head domains;
};

extern struct mutex vpri_mutex;
extern atomic_long_t vpri_pinned_total;

/* fault.c */
int vpri_fault_init(void);
void vpri_fault_exit(void);
int vpri_submit(struct vpri_domain *dom, enum hpmm_dev_backend backend,
		const struct hpmm_vpri_req *reqs, u32 nr,
		struct hpmm_vpri_submit *out);
bool vpri_claim(void *ctx, u32 idx);
void vpri_unmap_unpin(struct vpri_domain *dom, u32 idx);
int vpri_acct(struct vpri_domain *dom, long npages);
void vpri_reap_work(struct work_struct *work);
u64 vpri_worker_served(int cpu);

/* debugfs.c */
int vpri_debugfs_init(struct dentry *root);
void vpri_debugfs_exit(void);
struct vpri_stats *vpri_stats_create(u64 id, enum vpri_policy_id policy,
				     u32 nr_pages, u32 budget);
void vpri_stats_retire(struct vpri_stats *st, struct vpri_domain *dom);
void vpri_stats_destroy(struct vpri_stats *st);
void vpri_stats_fault(struct vpri_stats *st, u64 now_ns, u64 rt_ns,
		      bool swapin);
void vpri_stats_forget_all(void);

/* domain.c */
unsigned int vpri_live_domains(void);

#endif /* _HPMM_VPRI_VPRI_H */
