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
 * Invalidations: the MMU notifier takes the range's pinned pages away from
 * the front end at once (present cleared). munmap, mremap and exit unmap
 * the memory: those pages are "zombies", let go of. Any other event
 * (MADV_DONTNEED, mprotect, fork, reclaim, migration, NUMA hinting, KSM)
 * may or may not change what the process maps there: those pages are
 * "suspects", kept pinned and mapped while the reap work, or the next
 * fault on one, reads the process's page table (hmm_range_fault() without
 * faulting, under mmu_interval_read_begin()/_retry()): the same page,
 * writable, in private anonymous memory, is given back to the front end
 * (reclaim and migration could not take it, fork left it to the parent);
 * anything else makes it a zombie. Zombies stay pinned, so their memory
 * cannot be reused, until the reap work or the last access using one
 * unmaps and unpins them.
 *
 * Every pin checks the VMA again (private anonymous, as at registration):
 * a range remapped since (shared or file memory) is never pinned.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/hmm.h>
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

	/* Taken from the front end already: free to go unless in use. */
	if (test_bit(idx, dom->suspect)) {
		if (atomic_read(&dom->busy[idx]))
			return false;
		clear_bit(idx, dom->suspect);
		return true;
	}
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
	atomic64_dec(&dom->st->mapped);
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

/*
 * Reads what the process maps at [@first, @first + @n) into @pfns without
 * faulting anything in, and clears the entries that are not private
 * anonymous memory. Returns the notifier sequence the snapshot is valid
 * for, or 0 when the mm is gone.
 */
unsigned long vpri_snapshot(struct vpri_domain *dom, u32 first, u32 n,
			    unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = &dom->notifier,
		.start = dom->uaddr + ((unsigned long)first << PAGE_SHIFT),
		.end = dom->uaddr + ((unsigned long)(first + n) << PAGE_SHIFT),
		.hmm_pfns = pfns,
	};
	struct vm_area_struct *vma;
	unsigned long addr;
	u32 i;
	int ret;

	if (!mmget_not_zero(dom->mm))
		return 0;
	do {
		range.notifier_seq = mmu_interval_read_begin(&dom->notifier);
		mmap_read_lock(dom->mm);
		ret = hmm_range_fault(&range);
		if (!ret) {
			for (i = 0, addr = range.start; i < n;
			     i++, addr += PAGE_SIZE) {
				vma = vma_lookup(dom->mm, addr);
				if (!vma || !vpri_vma_ok(vma))
					pfns[i] = 0;
			}
		}
		mmap_read_unlock(dom->mm);
	} while (ret == -EBUSY);
	mmput(dom->mm);
	/* Nothing is faulted in: any other error means "nothing there". */
	if (ret)
		memset(pfns, 0, n * sizeof(*pfns));
	return range.notifier_seq ? range.notifier_seq : 1;
}

/* Is @pfn (hmm_range_fault()'s) @page, mapped writable? */
bool vpri_pfn_is(unsigned long pfn, struct page *page)
{
	return (pfn & (HMM_PFN_VALID | HMM_PFN_WRITE)) ==
	       (HMM_PFN_VALID | HMM_PFN_WRITE) &&
	       hmm_pfn_to_page(pfn) == page;
}

/*
 * Revalidates the suspects of [@first, @first + @n), @n at most
 * VPRI_REVAL_CHUNK: each one the process still maps, writable, goes back
 * to the front end; the others are let go of (unmapped and unpinned now,
 * or by the access that still uses one). Returns how many were unpinned:
 * the caller uncharges them. Takes the domain's lock.
 */
static long vpri_revalidate(struct vpri_domain *dom, u32 first, u32 n)
{
	unsigned long pfns[VPRI_REVAL_CHUNK];
	DECLARE_BITMAP(drop, VPRI_REVAL_CHUNK);
	unsigned long seq;
	long unpinned = 0;
	u32 i, idx;

	n = min_t(u32, n, dom->nr_pages - first);
again:
	seq = vpri_snapshot(dom, first, n, pfns);
	if (!seq)
		return 0;	/* exit: its munmap makes them zombies */
	bitmap_zero(drop, VPRI_REVAL_CHUNK);
	mutex_lock(&dom->lock);
	spin_lock(&dom->plock);
	if (mmu_interval_read_retry(&dom->notifier, seq)) {
		spin_unlock(&dom->plock);
		mutex_unlock(&dom->lock);
		goto again;
	}
	for (i = 0; i < n; i++) {
		idx = first + i;
		if (!test_and_clear_bit(idx, dom->suspect))
			continue;
		if (vpri_pfn_is(pfns[i], dom->pages[idx])) {
			vpri_bitmap_set_present(&dom->bm, idx);
			atomic64_inc(&dom->st->revalidations);
			continue;
		}
		vpri_pin_set_remove(&dom->ps, idx);
		atomic64_inc(&dom->st->invalidations);
		if (atomic_read(&dom->busy[idx]))
			set_bit(idx, dom->zombie);
		else
			__set_bit(i, drop);
	}
	spin_unlock(&dom->plock);
	for_each_set_bit(i, drop, VPRI_REVAL_CHUNK) {
		vpri_unmap_unpin(dom, first + i);
		unpinned++;
	}
	mutex_unlock(&dom->lock);
	return unpinned;
}

/*
 * The reap work: revalidates the suspects, then unmaps, unpins and
 * uncharges the zombies no access uses. The MMU notifier runs in reclaim
 * context under the mmap lock: it only takes pages away from the front
 * end; they stay pinned, so their memory cannot be reused, until this
 * work (or the last access using one) unmaps and unpins them.
 */
static void vpri_pin_reap(struct vpri_domain *dom)
{
	unsigned long idx;
	long n = 0;

	for (idx = find_first_bit(dom->suspect, dom->nr_pages);
	     idx < dom->nr_pages;
	     idx = find_next_bit(dom->suspect, dom->nr_pages, idx)) {
		n += vpri_revalidate(dom, idx, VPRI_REVAL_CHUNK);
		idx += VPRI_REVAL_CHUNK;
		cond_resched();
	}
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
 * @idx has a page already (the domain's lock is held): a concurrent fault
 * pinned it (a hit), or an invalidation took it away. Returns 0 when the
 * access may go on, 1 when the caller must look again, 2 when it must look
 * again after a revalidation, -EAGAIN when an access still uses a zombie
 * there. The lock is dropped in every case.
 */
static int vpri_pin_mapped(struct vpri_domain *dom, u32 idx, bool revalidated)
{
	long n;

	if (test_bit(idx, dom->zombie)) {
		if (atomic_read(&dom->busy[idx])) {
			mutex_unlock(&dom->lock);
			return -EAGAIN;
		}
		n = vpri_reap_one(dom, idx);
		mutex_unlock(&dom->lock);
		wake_up_all(&dom->reap_wq);
		vpri_acct(dom, -n);
		return 1;
	}
	if (test_bit(idx, dom->suspect)) {
		mutex_unlock(&dom->lock);
		vpri_acct(dom, -vpri_revalidate(dom, idx, 1));
		return 2;
	}
	spin_lock(&dom->plock);
	vpri_pin_set_hit(&dom->ps, idx);
	spin_unlock(&dom->plock);
	mutex_unlock(&dom->lock);
	if (!revalidated)
		atomic64_inc(&dom->st->spurious);
	return 0;
}

static int vpri_pin_fault(struct vpri_domain *dom, u32 idx, bool *swapin)
{
	unsigned long uaddr = dom->uaddr + ((unsigned long)idx << PAGE_SHIFT);
	unsigned long iova = (unsigned long)idx << PAGE_SHIFT;
	u32 victims[VPRI_MAX_VICTIMS];
	struct vm_area_struct *vma;
	unsigned long seq, maj;
	bool revalidated = false;
	unsigned int nv;
	struct page *page;
	long pinned;
	u64 t0;
	int ret;

retry:
	mutex_lock(&dom->lock);
	if (dom->pages[idx]) {
		ret = vpri_pin_mapped(dom, idx, revalidated);
		if (ret <= 0)
			return ret;
		revalidated |= ret == 2;
		goto retry;
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
	/* What is mapped there now must still be private anonymous memory. */
	vma = vma_lookup(dom->mm, uaddr);
	if (!vma || !vpri_vma_ok(vma)) {
		pinned = vma ? -EOPNOTSUPP : -EFAULT;
	} else {
		maj = current->maj_flt;
		pinned = hpmm_pin_user_pages_remote(dom->mm, uaddr, 1,
						    FOLL_WRITE | FOLL_LONGTERM,
						    &page, NULL);
		if (current->maj_flt != maj)
			*swapin = true;
	}
	mmap_read_unlock(dom->mm);
	mmput(dom->mm);
	if (pinned != 1) {
		ret = pinned < 0 ? (int)pinned : -EFAULT;
		goto uncharge;
	}

	mutex_lock(&dom->lock);
	if (dom->pages[idx]) {
		/* Another fault got there first: look again. */
		mutex_unlock(&dom->lock);
		unpin_user_page(page);
		vpri_acct(dom, -1);
		vpri_fault_abort(dom);
		goto retry;
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
		/* The mapping changed meanwhile: that page may be gone. */
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
	atomic64_inc(&dom->st->mapped);
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
		if (released) {
			wake_up_all(&dom->reap_wq);
			vpri_acct(dom, -1);
		}
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
	bool unmap = range->event == MMU_NOTIFY_UNMAP;
	unsigned long start, addr;
	long gone = 0, suspects = 0;

	/*
	 * Every event takes the range's pinned pages away from the front end
	 * at once. munmap, mremap and exit unmap the memory: those pages are
	 * let go of. The others (zap, protection changes, fork, reclaim,
	 * migration) may leave the page where it was: the reap work checks.
	 *
	 * This runs in reclaim context: it takes only plock (never held
	 * across an allocation) and leaves unmapping and unpinning, which
	 * need the domain's mutex, to reap_work. Meanwhile the pages stay
	 * pinned, so their memory cannot be reused.
	 */
	start = max(range->start, dom->uaddr);
	end = min(range->end, end);
	spin_lock(&dom->plock);
	mmu_interval_set_seq(&dom->notifier, cur_seq);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		u32 idx = (addr - dom->uaddr) >> PAGE_SHIFT;

		/* Present means pinned and owned by the pin set. */
		if (vpri_bitmap_test_and_clear_present(&dom->bm, idx)) {
			if (!unmap) {
				set_bit(idx, dom->suspect);
				suspects++;
				continue;
			}
		} else if (!unmap || !test_and_clear_bit(idx, dom->suspect)) {
			continue;
		}
		vpri_pin_set_remove(&dom->ps, idx);
		set_bit(idx, dom->zombie);
		gone++;
	}
	spin_unlock(&dom->plock);
	if (gone)
		atomic64_add(gone, &dom->st->invalidations);
	if (gone || suspects) {
		/* Pairs with atomic_dec_and_test() in vpri_unbusy(). */
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
		if (vpri_bitmap_test_and_clear_present(&dom->bm, idx) ||
		    test_and_clear_bit(idx, dom->suspect))
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

static void vpri_pin_hit(struct vpri_domain *dom, u32 idx)
{
	spin_lock(&dom->plock);
	vpri_pin_set_hit(&dom->ps, idx);
	spin_unlock(&dom->plock);
}

/* After each request: let the policy adapt and shed what it drops. */
static void vpri_pin_tick(struct vpri_domain *dom)
{
	u32 excess;

	if (!dom->ps.ops->tick)
		return;
	spin_lock(&dom->plock);
	excess = vpri_pin_set_tick(&dom->ps);
	spin_unlock(&dom->plock);
	if (excess)
		vpri_pin_trim(dom);
}

static void vpri_pin_counters(struct vpri_domain *dom, struct vpri_counters *c)
{
	const struct vpri_pin_set_stats *st = &dom->ps.st;

	*c = (struct vpri_counters){
		.accesses = st->accesses,
		.hits = st->hits,
		.faults = st->faults,
		.evictions = st->evictions,
		.releases = st->releases,
		.choices = st->choices,
		.chosen_newer = st->chosen_newer,
		.peak_pinned = st->peak_pinned,
		.budget = dom->ps.budget,
		.target = dom->ps.target,
	};
}

const struct vpri_mode_ops vpri_mode_pin = {
	.name = "pin",
	.hit = vpri_pin_hit,
	.tick = vpri_pin_tick,
	.counters = vpri_pin_counters,
	.fault = vpri_pin_fault,
	.access_done = vpri_pin_access_done,
	.invalidate = vpri_pin_invalidate,
	.reap = vpri_pin_reap,
	.teardown = vpri_pin_teardown,
};
