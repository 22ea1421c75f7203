// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's data path.
 *
 * Front end: each page of a device access is marked in flight, then its
 * present bit in the PA-BITMAP is tested. Present: the access goes on (it
 * sets the accessed bit). Absent: an I/O page fault, which never reaches
 * the IOMMU: it is queued to the fault queue of the submitting CPU and the
 * request sleeps until a worker bound to that CPU has served it.
 *
 * Fault: the policy picks victims if the pin set is full; each victim's
 * present bit is cleared, its IOVA unmapped (iommu_unmap flushes the IOTLB
 * synchronously) and its page unpinned, in that order. Then the new page
 * is charged to locked_vm (RLIMIT_MEMLOCK: -ENOMEM), pinned with
 * pin_user_pages_remote(FOLL_LONGTERM), which swaps it in if it was
 * reclaimed, mapped, and made present.
 *
 * In-flight protocol: the front end increments busy[page] then tests
 * present; an unpinner clears present then reads busy[page] and backs off
 * (sets present again) when it is not zero. Both sides are fully ordered,
 * so a page is never unmapped under an access that saw it present.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "../trace.h"
#include "vpri.h"

/**
 * struct vpri_fault - one I/O page fault, on the submitter's stack
 * @node: in a fault queue
 * @dom: its domain
 * @idx: the IOVA page
 * @ret: the result
 * @swapin: the pin read the page back from swap
 * @done: completed by the worker
 */
struct vpri_fault {
	struct list_head node;
	struct vpri_domain *dom;
	u32 idx;
	int ret;
	bool swapin;
	struct completion done;
};

/**
 * struct vpri_fq - the fault queue of one CPU
 * @lock: guards @list
 * @list: faults waiting
 * @work: drains @list; queued on this CPU only
 * @served: faults served
 */
struct vpri_fq {
	spinlock_t lock; /* the list */
	struct list_head list;
	struct work_struct work;
	atomic64_t served;
};

static DEFINE_PER_CPU(struct vpri_fq, vpri_fqs);
static struct workqueue_struct *vpri_wq;

static void vpri_time_update(struct vpri_domain *dom, u64 t0)
{
	atomic64_add(local_clock() - t0, &dom->st->bm_update_ns);
	atomic64_inc(&dom->st->bm_updates);
}

/**
 * vpri_claim() - take @idx away from the front end before unpinning it
 * @ctx: the domain
 * @idx: a pinned page
 *
 * Called with the domain's lock and plock held.
 *
 * Return: true when @idx was present and no access uses it: its present
 * bit is now clear; false otherwise (nothing changed).
 */
bool vpri_claim(void *ctx, u32 idx)
{
	struct vpri_domain *dom = ctx;
	u64 t0 = local_clock();

	/* Fully ordered: the busy read below cannot pass it. */
	if (!vpri_bitmap_test_and_clear_present(&dom->bm, idx))
		return false;
	if (atomic_read(&dom->busy[idx])) {
		vpri_bitmap_set_present(&dom->bm, idx);
		return false;
	}
	vpri_time_update(dom, t0);
	return true;
}

/**
 * vpri_unmap_unpin() - unmap a claimed page from the IOMMU and unpin it
 * @dom: the domain, its lock held
 * @idx: the page; its present bit is already clear
 *
 * iommu_unmap() returns after the IOTLB flush, so no device access can
 * reach the page when it is unpinned. The caller uncharges locked_vm.
 */
void vpri_unmap_unpin(struct vpri_domain *dom, u32 idx)
{
	struct page *page = dom->pages[idx];
	size_t unmapped;

	if (!page)
		return;
	unmapped = iommu_unmap(dom->iodom, (unsigned long)idx << PAGE_SHIFT,
			       PAGE_SIZE);
	if (unmapped != PAGE_SIZE)
		pr_err("domain %llu: unmapping IOVA %#lx returned %zu\n",
		       dom->id, (unsigned long)idx << PAGE_SHIFT, unmapped);
	dom->pages[idx] = NULL;
	trace_vpri_unpin(dom->id, (u64)idx << PAGE_SHIFT, page_to_pfn(page));
	/* The device may have written it. */
	unpin_user_pages_dirty_lock(&page, 1, true);
	atomic_long_dec(&hpmm_live.dma_mappings);
	atomic_long_dec(&vpri_pinned_total);
	atomic64_dec(&dom->st->pinned);
	atomic64_inc(&dom->st->unpins);
}

/**
 * vpri_acct() - charge (> 0) or uncharge (< 0) locked_vm
 * @dom: the domain
 * @npages: pages
 *
 * Takes the mmap lock for writing: the caller holds neither it nor the
 * domain's lock. A charge beyond RLIMIT_MEMLOCK fails unless the
 * registering process had CAP_IPC_LOCK. Once the mm is gone there is
 * nothing left to charge.
 *
 * Return: 0, -ENOMEM over the limit, -ESRCH when charging a dead mm.
 */
int vpri_acct(struct vpri_domain *dom, long npages)
{
	struct mm_struct *mm = dom->mm;
	unsigned long n;
	int ret;

	if (!npages)
		return 0;
	if (!mmget_not_zero(mm)) {
		if (npages > 0)
			return -ESRCH;
		atomic_long_add(npages, &dom->locked);
		return 0;
	}
	mmap_write_lock(mm);
	if (npages > 0) {
		ret = __account_locked_vm(mm, npages, true, dom->task,
					  dom->lock_cap);
	} else {
		/* Never below zero, whatever else changed locked_vm. */
		n = min_t(unsigned long, -npages, mm->locked_vm);
		ret = n ? __account_locked_vm(mm, n, false, dom->task,
					      dom->lock_cap) : 0;
	}
	mmap_write_unlock(mm);
	mmput(mm);
	if (!ret)
		atomic_long_add(npages, &dom->locked);
	return ret;
}

/* Unmaps, unpins and uncharges a zombie no access is using (@lock held). */
static bool vpri_reap_one(struct vpri_domain *dom, u32 idx)
{
	if (atomic_read(&dom->busy[idx]) ||
	    !test_and_clear_bit(idx, dom->zombie))
		return false;
	vpri_unmap_unpin(dom, idx);
	return true;
}

/**
 * vpri_reap_work() - unpin the pages whose memory was unmapped
 * @work: the domain's reap_work
 *
 * The MMU notifier runs in reclaim context under the mmap lock: it only
 * takes the pages away from the front end (present cleared) and marks them
 * zombies; they stay pinned, so their memory cannot be reused, until this
 * work (or the last access using one) unmaps and unpins them.
 */
void vpri_reap_work(struct work_struct *work)
{
	struct vpri_domain *dom = container_of(work, struct vpri_domain,
					       reap_work);
	unsigned long idx;
	long n = 0;

	mutex_lock(&dom->lock);
	for_each_set_bit(idx, dom->zombie, dom->nr_pages)
		n += vpri_reap_one(dom, idx);
	mutex_unlock(&dom->lock);
	vpri_acct(dom, -n);
}

static void vpri_unpin_victims(struct vpri_domain *dom, const u32 *victims,
			       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		trace_vpri_evict(dom->id, (u64)victims[i] << PAGE_SHIFT,
				 dom->ps.id);
		vpri_unmap_unpin(dom, victims[i]);
	}
}

static void vpri_fault_abort(struct vpri_domain *dom)
{
	spin_lock(&dom->plock);
	vpri_pin_set_fault_abort(&dom->ps);
	spin_unlock(&dom->plock);
}

/* A concurrent fault pinned @idx first: the access may go on, unless the
 * page is a zombie (its memory was unmapped).
 */
static int vpri_fault_raced(struct vpri_domain *dom, u32 idx)
{
	if (test_bit(idx, dom->zombie))
		return -EFAULT;
	spin_lock(&dom->plock);
	vpri_pin_set_hit(&dom->ps, idx);
	spin_unlock(&dom->plock);
	atomic64_inc(&dom->st->spurious);
	return 0;
}

static int vpri_fault_handle(struct vpri_domain *dom, u32 idx, bool *swapin)
{
	unsigned long uaddr = dom->uaddr + ((unsigned long)idx << PAGE_SHIFT);
	unsigned long iova = (unsigned long)idx << PAGE_SHIFT;
	u32 victims[VPRI_MAX_VICTIMS];
	unsigned long seq, maj;
	unsigned int nv;
	struct page *page;
	long pinned;
	u64 t0;
	int ret;

	mutex_lock(&dom->lock);
	if (dom->pages[idx]) {
		ret = vpri_fault_raced(dom, idx);
		mutex_unlock(&dom->lock);
		return ret;
	}
	spin_lock(&dom->plock);
	ret = vpri_pin_set_fault_begin(&dom->ps, idx, vpri_claim, dom, victims,
				       ARRAY_SIZE(victims), &nv);
	spin_unlock(&dom->plock);
	vpri_unpin_victims(dom, victims, nv);
	mutex_unlock(&dom->lock);
	if (ret) {
		vpri_acct(dom, -(long)nv);
		return ret;
	}

	/* One charge for the new page net of the victims. */
	ret = vpri_acct(dom, 1 - (long)nv);
	if (ret) {
		vpri_acct(dom, -(long)nv);
		goto abort;
	}

again:
	seq = mmu_interval_read_begin(&dom->notifier);
	if (!mmget_not_zero(dom->mm)) {
		ret = -ESRCH;
		goto uncharge;
	}
	mmap_read_lock(dom->mm);
	maj = current->maj_flt;
	pinned = pin_user_pages_remote(dom->mm, uaddr, 1,
				       FOLL_WRITE | FOLL_LONGTERM, &page, NULL,
				       NULL);
	if (current->maj_flt != maj)
		*swapin = true;
	mmap_read_unlock(dom->mm);
	mmput(dom->mm);
	if (pinned != 1) {
		ret = pinned < 0 ? (int)pinned : -EFAULT;
		goto uncharge;
	}

	mutex_lock(&dom->lock);
	if (dom->pages[idx]) {
		ret = vpri_fault_raced(dom, idx);
		mutex_unlock(&dom->lock);
		unpin_user_page(page);
		vpri_acct(dom, -1);
		vpri_fault_abort(dom);
		return ret;
	}
	/*
	 * Map first: iommu_map() allocates, which must not happen under
	 * plock. The page is not present yet, so no access can use the
	 * mapping before it is published below.
	 */
	ret = iommu_map(dom->iodom, iova, page_to_phys(page), PAGE_SIZE,
			IOMMU_READ | IOMMU_WRITE);
	if (ret) {
		mutex_unlock(&dom->lock);
		unpin_user_page(page);
		pr_err_ratelimited("domain %llu: iommu_map of IOVA %#lx: %d\n",
				   dom->id, iova, ret);
		goto uncharge;
	}
	spin_lock(&dom->plock);
	if (mmu_interval_read_retry(&dom->notifier, seq)) {
		/* munmap ran meanwhile: that page may be gone, try again. */
		spin_unlock(&dom->plock);
		iommu_unmap(dom->iodom, iova, PAGE_SIZE);
		mutex_unlock(&dom->lock);
		unpin_user_page(page);
		goto again;
	}
	dom->pages[idx] = page;
	t0 = local_clock();
	vpri_bitmap_mark_accessed(&dom->bm, idx);
	vpri_bitmap_set_present(&dom->bm, idx);
	vpri_time_update(dom, t0);
	vpri_pin_set_fault_commit(&dom->ps, idx);
	spin_unlock(&dom->plock);
	trace_vpri_pin(dom->id, iova, page_to_pfn(page));
	atomic_long_inc(&hpmm_live.dma_mappings);
	atomic_long_inc(&vpri_pinned_total);
	atomic64_inc(&dom->st->pinned);
	atomic64_inc(&dom->st->pins);
	mutex_unlock(&dom->lock);
	return 0;

uncharge:
	vpri_acct(dom, -1);
abort:
	vpri_fault_abort(dom);
	return ret;
}

static void vpri_fq_work(struct work_struct *work)
{
	struct vpri_fq *fq = container_of(work, struct vpri_fq, work);
	struct vpri_fault *f;
	unsigned int cpu;

	for (;;) {
		spin_lock(&fq->lock);
		f = list_first_entry_or_null(&fq->list, struct vpri_fault,
					     node);
		if (f)
			list_del(&f->node);
		spin_unlock(&fq->lock);
		if (!f)
			break;
		f->ret = vpri_fault_handle(f->dom, f->idx, &f->swapin);
		cpu = raw_smp_processor_id();
		if (cpu < nr_cpu_ids)
			atomic64_inc(&f->dom->st->worker_faults[cpu]);
		atomic64_inc(&fq->served);
		complete(&f->done);
	}
}

/* Queues a fault on this CPU's queue and waits for its worker. */
static int vpri_fault(struct vpri_domain *dom, u32 idx)
{
	struct vpri_fault f = {
		.dom = dom,
		.idx = idx,
	};
	struct vpri_fq *fq;
	u64 start, end;
	int cpu;

	init_completion(&f.done);
	start = ktime_get_ns();
	cpu = get_cpu();
	trace_vpri_fault(dom->id, (u64)idx << PAGE_SHIFT, cpu);
	fq = per_cpu_ptr(&vpri_fqs, cpu);
	spin_lock(&fq->lock);
	list_add_tail(&f.node, &fq->list);
	spin_unlock(&fq->lock);
	queue_work_on(cpu, vpri_wq, &fq->work);
	put_cpu();
	/* The worker always completes: f lives on this stack until then. */
	wait_for_completion(&f.done);
	end = ktime_get_ns();
	trace_vpri_fault_done(dom->id, (u64)idx << PAGE_SHIFT, end - start,
			      f.swapin);

	atomic64_inc(&dom->st->fault_requests);
	if (f.ret) {
		atomic64_inc(&dom->st->fault_errors);
		return f.ret;
	}
	if (f.swapin)
		atomic64_inc(&dom->st->swapins);
	vpri_stats_fault(dom->st, end, end - start, f.swapin);
	return 0;
}

/* Front end: mark @idx in flight and check the PA-BITMAP. */
static int vpri_access(struct vpri_domain *dom, u32 idx, u64 *faults,
		       u64 *hits)
{
	bool present;
	u64 t0;

	atomic_inc(&dom->busy[idx]);
	/* Pairs with the fully ordered clear in vpri_claim(). */
	smp_mb__after_atomic();
	t0 = local_clock();
	present = vpri_bitmap_present(&dom->bm, idx);
	atomic64_add(local_clock() - t0, &dom->st->bm_test_ns);
	atomic64_inc(&dom->st->bm_tests);
	if (present) {
		spin_lock(&dom->plock);
		vpri_pin_set_hit(&dom->ps, idx);
		spin_unlock(&dom->plock);
		(*hits)++;
		return 0;
	}
	(*faults)++;
	return vpri_fault(dom, idx);
}

/* The access to @idx is over: unpin it if a munmap or the policy says so. */
static void vpri_access_done(struct vpri_domain *dom, u32 idx)
{
	bool released = false;

	if (atomic_dec_and_test(&dom->busy[idx]) &&
	    test_bit(idx, dom->zombie)) {
		/* Its memory was unmapped while we used it: unpin it now. */
		mutex_lock(&dom->lock);
		released = vpri_reap_one(dom, idx);
		mutex_unlock(&dom->lock);
		if (released)
			vpri_acct(dom, -1);
		return;
	}
	if (!dom->ps.ops->unpin_after_dma)
		return;
	mutex_lock(&dom->lock);
	spin_lock(&dom->plock);
	released = vpri_pin_set_release(&dom->ps, idx, vpri_claim, dom);
	spin_unlock(&dom->plock);
	if (released)
		vpri_unmap_unpin(dom, idx);
	mutex_unlock(&dom->lock);
	if (released)
		vpri_acct(dom, -1);
}

/* After each request: let the policy adapt, and unpin what it sheds. */
static void vpri_tick(struct vpri_domain *dom)
{
	u32 victims[VPRI_MAX_VICTIMS];
	u32 excess;
	int n;

	if (!dom->ps.ops->tick)
		return;
	spin_lock(&dom->plock);
	excess = vpri_pin_set_tick(&dom->ps);
	spin_unlock(&dom->plock);
	if (!excess)
		return;
	mutex_lock(&dom->lock);
	spin_lock(&dom->plock);
	n = vpri_pin_set_trim(&dom->ps, vpri_claim, dom, victims,
			      ARRAY_SIZE(victims));
	spin_unlock(&dom->plock);
	vpri_unpin_victims(dom, victims, n);
	mutex_unlock(&dom->lock);
	vpri_acct(dom, -(long)n);
}

static int vpri_request(struct vpri_domain *dom, enum hpmm_dev_backend backend,
			const struct hpmm_vpri_req *r, u64 *faults, u64 *hits)
{
	enum dma_data_direction dir = (r->flags & HPMM_VPRI_REQ_WRITE) ?
				      DMA_FROM_DEVICE : DMA_TO_DEVICE;
	u32 first = r->iova >> PAGE_SHIFT;
	u32 last = (r->iova + r->len - 1) >> PAGE_SHIFT;
	u32 idx, end;
	int ret = 0;

	if (r->flags & HPMM_VPRI_REQ_SKIP_CHECK)
		return hpmm_dev_dma(dom->dev, backend, r->iova, r->len, dir);

	for (idx = first, end = first; idx <= last; idx++) {
		end = idx;
		ret = vpri_access(dom, idx, faults, hits);
		if (ret)
			break;
	}
	if (!ret) {
		ret = hpmm_dev_dma(dom->dev, backend, r->iova, r->len, dir);
		if (ret)
			atomic64_inc(&dom->st->dma_errors);
	}
	for (idx = first; idx <= end; idx++)
		vpri_access_done(dom, idx);
	vpri_tick(dom);
	return ret;
}

/**
 * vpri_submit() - run a batch of requests, in order
 * @dom: the domain, its gate held for read
 * @backend: who performs the accesses
 * @reqs: the requests, already checked to lie in the domain
 * @nr: how many
 * @out: nr_done, faults and hits are filled in
 *
 * Return: 0, or the error of request @out->nr_done.
 */
int vpri_submit(struct vpri_domain *dom, enum hpmm_dev_backend backend,
		const struct hpmm_vpri_req *reqs, u32 nr,
		struct hpmm_vpri_submit *out)
{
	u64 faults = 0, hits = 0;
	int ret = 0;
	u32 i;

	for (i = 0; i < nr; i++) {
		ret = vpri_request(dom, backend, &reqs[i], &faults, &hits);
		if (ret)
			break;
		atomic64_inc(&dom->st->requests);
		cond_resched();
	}
	out->nr_done = i;
	out->faults = faults;
	out->hits = hits;
	return ret;
}

u64 vpri_worker_served(int cpu)
{
	return atomic64_read(&per_cpu_ptr(&vpri_fqs, cpu)->served);
}

int vpri_fault_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vpri_fq *fq = per_cpu_ptr(&vpri_fqs, cpu);

		spin_lock_init(&fq->lock);
		INIT_LIST_HEAD(&fq->list);
		INIT_WORK(&fq->work, vpri_fq_work);
		atomic64_set(&fq->served, 0);
	}
	/* Per-CPU (bound) workers: a fault is served where it was raised. */
	vpri_wq = alloc_workqueue("hpmm_vpri", WQ_HIGHPRI, 0);
	return vpri_wq ? 0 : -ENOMEM;
}

void vpri_fault_exit(void)
{
	destroy_workqueue(vpri_wq);
}
