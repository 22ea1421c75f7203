// SPDX-License-Identifier: GPL-2.0
/*
 * The pinned mode of a VPRI domain: a page is in the IOMMU domain exactly
 * while it is pinned, and the pin-set policy decides which pages stay.
 *
 * Fault: the policy picks victims if the pin set is full; each victim's
 * present bit is cleared, its IOVA unmapped (iommu_unmap flushes the IOTLB
 * synchronously) and its page unpinned, in that order. Then the new page
 * is charged to locked_vm (RLIMIT_MEMLOCK: -ENOMEM), pinned with
 * pin_user_pages_remote(FOLL_LONGTERM), which swaps it in if it was
 * reclaimed, mapped, and made present.
 *
 * In-flight protocol: the front end (fault.c) increments busy[page] then
 * tests present; an unpinner clears present then reads busy[page] and backs
 * off (sets present again) when it is not zero. Both sides are fully
 * ordered, so a page is never unmapped under an access that saw it present.
 *
 * munmap and exit: the MMU notifier takes the range's pages away from the
 * front end (present cleared, "zombie"); they stay pinned, so their memory
 * cannot be reused, until the reap work or the last access using one
 * unmaps and unpins it. Reclaim and migration cannot move a pinned page,
 * so their notifications change nothing.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>

#include "../hpmm.h"
#include "../trace.h"
#include "compat/iommu.h"
#include "compat/mm.h"
#include "vpri.h"

static void vpri_time_update(struct vpri_domain *dom, u64 t0)
{
	atomic64_add(local_clock() - t0, &dom->st->bm_update_ns);
	atomic64_inc(&dom->st->bm_updates);
}

/*
 * Takes @idx away from the front end before unpinning it: true when it was
 * present and no access uses it (its present bit is now clear), false
 * otherwise (nothing changed). The pin set's claim callback; called with
 * the domain's lock and plock held.
 */
static bool vpri_claim(void *ctx, u32 idx)
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

/*
 * Unmaps a claimed page (present bit already clear) from the IOMMU and
 * unpins it; the domain's lock is held. iommu_unmap() returns after the
 * IOTLB flush, so no device access can reach the page when it is unpinned.
 * The caller uncharges locked_vm.
 */
static void vpri_unmap_unpin(struct vpri_domain *dom, u32 idx)
{
	struct page *page = dom->pages[idx];
	size_t unmapped;

	if (!page)
		return;
	unmapped = iommu_unmap(dom->iodom, (unsigned long)idx << PAGE_SHIFT,
			       PAGE_SIZE);
	if (unmapped != PAGE_SIZE)
		pr_err("domain %u: unmapping IOVA %#lx returned %zu\n",
		       dom->obj.id, (unsigned long)idx << PAGE_SHIFT, unmapped);
	dom->pages[idx] = NULL;
	trace_vpri_unpin(dom->obj.id, (u64)idx << PAGE_SHIFT,
			 page_to_pfn(page));
	/* The device may have written it. */
	unpin_user_pages_dirty_lock(&page, 1, true);
	atomic_long_dec(&hpmm_live.dma_mappings);
	atomic_long_dec(&vpri_pinned_total);
	atomic64_dec(&dom->st->pinned);
	atomic64_inc(&dom->st->unpins);
}

/*
 * Charges (> 0) or uncharges (< 0) @npages to locked_vm. Takes the mmap
 * lock for writing: the caller holds neither it nor the domain's lock. A
 * charge beyond RLIMIT_MEMLOCK fails unless the registering process had
 * CAP_IPC_LOCK. Once the mm is gone there is nothing left to charge.
 *
 * Return: 0, -ENOMEM over the limit, -ESRCH when charging a dead mm.
 */
static int vpri_acct(struct vpri_domain *dom, long npages)
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
		trace_vpri_evict(dom->obj.id, (u64)victims[i] << PAGE_SHIFT,
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

/*
 * A concurrent fault pinned @idx first: the access may go on, unless the
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

static int vpri_pin_fault(struct vpri_domain *dom, u32 idx, bool *swapin)
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
	pinned = hpmm_pin_user_pages_remote(dom->mm, uaddr, 1,
					    FOLL_WRITE | FOLL_LONGTERM,
					    &page, NULL);
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
	ret = hpmm_iommu_map(dom->iodom, iova, page_to_phys(page), PAGE_SIZE,
			     IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
	if (ret) {
		mutex_unlock(&dom->lock);
		unpin_user_page(page);
		pr_err_ratelimited("domain %u: iommu_map of IOVA %#lx: %d\n",
				   dom->obj.id, iova, ret);
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
	trace_vpri_pin(dom->obj.id, iova, page_to_pfn(page));
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

/* The access to @idx is over: unpin it if a munmap or the policy says so. */
static void vpri_pin_access_done(struct vpri_domain *dom, u32 idx, bool idle)
{
	bool released = false;

	if (idle && test_bit(idx, dom->zombie)) {
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

/* The policy lowered its target: unpin what it sheds. */
static void vpri_pin_trim(struct vpri_domain *dom)
{
	u32 victims[VPRI_MAX_VICTIMS];
	int n;

	mutex_lock(&dom->lock);
	spin_lock(&dom->plock);
	n = vpri_pin_set_trim(&dom->ps, vpri_claim, dom, victims,
			      ARRAY_SIZE(victims));
	spin_unlock(&dom->plock);
	vpri_unpin_victims(dom, victims, n);
	mutex_unlock(&dom->lock);
	vpri_acct(dom, -(long)n);
}

static bool vpri_pin_invalidate(struct vpri_domain *dom,
				const struct mmu_notifier_range *range,
				unsigned long cur_seq)
{
	unsigned long end = dom->uaddr + ((unsigned long)dom->nr_pages << PAGE_SHIFT);
	unsigned long start, addr;
	long n = 0;

	/*
	 * Only a real unmap (munmap, mremap, exit) takes the pages away.
	 * Reclaim and migration also notify (MMU_NOTIFY_CLEAR) but cannot
	 * move or free a pinned page, so pins survive them.
	 *
	 * This runs in reclaim context: it takes only plock (never held
	 * across an allocation) and leaves unmapping and unpinning, which
	 * need the domain's mutex, to reap_work. Meanwhile the pages stay
	 * pinned, so their memory cannot be reused.
	 */
	if (range->event != MMU_NOTIFY_UNMAP)
		return true;
	start = max(range->start, dom->uaddr);
	end = min(range->end, end);
	spin_lock(&dom->plock);
	mmu_interval_set_seq(&dom->notifier, cur_seq);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		u32 idx = (addr - dom->uaddr) >> PAGE_SHIFT;

		/* Present means pinned and owned by the pin set. */
		if (!vpri_bitmap_test_and_clear_present(&dom->bm, idx))
			continue;
		vpri_pin_set_remove(&dom->ps, idx);
		set_bit(idx, dom->zombie);
		n++;
	}
	spin_unlock(&dom->plock);
	if (n) {
		atomic64_add(n, &dom->st->invalidations);
		/* Pairs with atomic_dec_and_test() in vpri_access_done(). */
		smp_mb__after_atomic();
		schedule_work(&dom->reap_work);
	}
	return true;
}

/* Unpins everything; the notifier is gone and no access is in flight. */
static void vpri_pin_teardown(struct vpri_domain *dom)
{
	long n = 0;
	u32 idx;

	flush_work(&dom->reap_work);
	mutex_lock(&dom->lock);
	for (idx = 0; idx < dom->nr_pages; idx++) {
		if (!dom->pages[idx])
			continue;
		spin_lock(&dom->plock);
		if (vpri_bitmap_test_and_clear_present(&dom->bm, idx))
			vpri_pin_set_remove(&dom->ps, idx);
		spin_unlock(&dom->plock);
		clear_bit(idx, dom->zombie);
		vpri_unmap_unpin(dom, idx);
		n++;
	}
	mutex_unlock(&dom->lock);
	vpri_acct(dom, -n);
	if (atomic_long_read(&dom->locked) && mmget_not_zero(dom->mm)) {
		pr_err("domain %u: %ld pages still charged to locked_vm\n",
		       dom->obj.id, atomic_long_read(&dom->locked));
		mmput(dom->mm);
	}
}

const struct vpri_mode_ops vpri_mode_pin = {
	.name = "pin",
	.fault = vpri_pin_fault,
	.access_done = vpri_pin_access_done,
	.trim = vpri_pin_trim,
	.invalidate = vpri_pin_invalidate,
	.teardown = vpri_pin_teardown,
};
