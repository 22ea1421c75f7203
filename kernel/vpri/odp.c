// SPDX-License-Identifier: GPL-2.0
/*
 * The on-demand mode of a VPRI domain, the HMM-mirror pattern of
 * lib/test_hmm.c and RDMA ODP (drivers/infiniband/core/umem_odp.c): an I/O
 * page fault maps the page the process has at the IOVA's address, found
 * with hmm_range_fault() (which faults it in, from swap if need be) under
 * the domain's mmu_interval_notifier, and makes it present; it stays
 * mapped, unpinned, for as long as the kernel leaves it there. The kernel's
 * own reclaim decides which pages go, as for any process memory: when
 * reclaim, migration, compaction, munmap or anything else invalidates the
 * range, the notifier clears present, waits for the accesses in flight on
 * the page, and unmaps the IOVA with iommu_unmap(), whose IOTLB flush is
 * synchronous, before it returns, so before the page can be freed. A
 * protector (protect.h) adds pins ("adp") or hints ("hint") on top.
 *
 * Locking: @plock (a spinlock) guards the mapping of every page (@pages,
 * the present bits, @pinned, @draining) and the notifier sequence; the
 * notifier takes it, the fault path checks mmu_interval_read_retry() and
 * maps under it (iommu_map_atomic(): nothing under it sleeps or reclaims),
 * so a page is mapped only if no invalidation ran since hmm_range_fault()
 * read it. The domain's mutex serialises the protector's scans and the
 * handling of pinned pages (pinning, unpinning, revalidating); the
 * notifier never takes it. Pinning, unpinning and locked_vm accounting
 * run with neither held.
 *
 * In flight: the front end (fault.c, fault_first) faults every page of a
 * request in first, holding none, then marks them in flight (busy) and
 * checks they are still present. So an access in flight never waits for
 * anything the notifier's caller may hold (a fault may allocate, and so
 * reclaim): the notifier may wait for it. A page found busy is "draining":
 * present clear, still mapped, unmapped by the notifier once its last
 * access ends.
 *
 * Pinned pages ("adp") are memory that reclaim and migration cannot take:
 * as in the pinned mode (pin.c), an invalidation makes them suspects,
 * revalidated from the page table by the reap work, or zombies on munmap,
 * unmapped and unpinned once idle.
 *
 * Young ("hint", "adp-hint"): a second, full mmu_notifier on the process's
 * mm, as KVM's for its secondary MMU, answers the kernel's reclaim when it
 * asks whether a page of the range was used (folio_referenced() ->
 * ptep_clear_flush_young_notify(), MGLRU's look-around and page-table walk
 * -> ptep_clear_young_notify()): young when the device accessed the page
 * since reclaim last asked (the PA-BITMAP's young bit, pa_bitmap.h). Both
 * LRUs then see the device's uses as they see the CPU's accessed bits.
 * The callbacks run under the page-table lock and the rmap locks: they
 * only test and clear bits, atomically, and take no lock. The notifier is
 * unregistered at teardown (mmu_notifier_unregister() waits for the
 * callbacks running); on exit the mm's release drops it from the mm's list
 * and the domain's teardown still unregisters it (mmgrab()ed mm).
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/hmm.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>
#include <linux/swap.h>

#include "compat/iommu.h"
#include "compat/mm.h"
#include "../hpmm.h"
#include "../trace.h"
#include "vpri.h"

/* Pages one step of a scan pins, unpins or marks. */
#define VPRI_ODP_BATCH		32

static unsigned long vpri_iova(u32 idx)
{
	return (unsigned long)idx << PAGE_SHIFT;
}

/* Unmaps @idx (plock held, no access in flight): the page can go now. */
static struct page *vpri_odp_unmap(struct vpri_domain *dom, u32 idx)
{
	struct page *page = dom->pages[idx];
	size_t unmapped;

	lockdep_assert_held(&dom->plock);
	unmapped = iommu_unmap(dom->iodom, vpri_iova(idx), PAGE_SIZE);
	if (unmapped != PAGE_SIZE)
		pr_err("domain %u: unmapping IOVA %#lx returned %zu\n",
		       dom->obj.id, vpri_iova(idx), unmapped);
	dom->pages[idx] = NULL;
	/* The next page there starts with no device use. */
	vpri_bitmap_test_and_clear_young(&dom->bm, idx);
	trace_vpri_unmap(dom->obj.id, vpri_iova(idx), page_to_pfn(page));
	atomic_long_dec(&hpmm_live.dma_mappings);
	atomic64_dec(&dom->st->mapped);
	return page;
}

/* Unmaps a pinned @idx (plock held, idle) and forgets its pin. */
static struct page *vpri_odp_unmap_pinned(struct vpri_domain *dom, u32 idx,
					  bool requested)
{
	trace_vpri_unpin(dom->obj.id, vpri_iova(idx),
			 page_to_pfn(dom->pages[idx]));
	__clear_bit(idx, dom->pinned);
	vpri_prot_unpinned(&dom->prot, requested);
	return vpri_odp_unmap(dom, idx);
}

/* Gives back the pins of @pages (no lock held) and uncharges them. */
static void vpri_odp_unpin(struct vpri_domain *dom, struct page **pages,
			   unsigned int n)
{
	if (!n)
		return;
	/* The device may have written them. */
	unpin_user_pages_dirty_lock(pages, n, true);
	atomic_long_sub(n, &vpri_pinned_total);
	atomic64_sub(n, &dom->st->pinned);
	atomic64_add(n, &dom->st->unpins);
	vpri_acct(dom, -(long)n);
}

/* Is any page of [@s, @e) mapped, unpinned and in flight? (plock held) */
static bool vpri_odp_busy(struct vpri_domain *dom, u32 s, u32 e)
{
	u32 idx;

	for (idx = s; idx < e; idx++)
		if (dom->pages[idx] && !test_bit(idx, dom->pinned) &&
		    atomic_read(&dom->busy[idx]))
			return true;
	return false;
}

static bool vpri_odp_invalidate(struct vpri_domain *dom,
				const struct mmu_notifier_range *range,
				unsigned long cur_seq)
{
	unsigned long end = dom->uaddr + ((unsigned long)dom->nr_pages << PAGE_SHIFT);
	bool unmap = range->event == MMU_NOTIFY_UNMAP;
	long gone = 0, later = 0;
	bool drain = false;
	u32 s, e, idx;

	s = (max(range->start, dom->uaddr) - dom->uaddr) >> PAGE_SHIFT;
	e = (min(range->end, end) - dom->uaddr + PAGE_SIZE - 1) >> PAGE_SHIFT;
	spin_lock(&dom->plock);
	/* The OOM reaper cannot wait: it comes back later. */
	if (!mmu_notifier_range_blockable(range) && vpri_odp_busy(dom, s, e)) {
		spin_unlock(&dom->plock);
		return false;
	}
	mmu_interval_set_seq(&dom->notifier, cur_seq);
	for (idx = s; idx < e; idx++) {
		if (!dom->pages[idx])
			continue;
		if (test_bit(idx, dom->pinned)) {
			/* Pinned: memory no one can reuse while we hold it. */
			if (vpri_bitmap_test_and_clear_present(&dom->bm, idx)) {
				set_bit(idx, unmap ? dom->zombie : dom->suspect);
				later++;
			} else if (unmap && test_and_clear_bit(idx, dom->suspect)) {
				set_bit(idx, dom->zombie);
				later++;
			}
			continue;
		}
		/* Fully ordered: the busy read below cannot pass it. */
		vpri_bitmap_test_and_clear_present(&dom->bm, idx);
		if (atomic_read(&dom->busy[idx])) {
			set_bit(idx, dom->draining);
			drain = true;
			continue;
		}
		vpri_odp_unmap(dom, idx);
		gone++;
	}
	spin_unlock(&dom->plock);

	/* Wait for the accesses using what is left, then unmap it. */
	for (idx = s; drain && idx < e; idx++) {
		if (!test_bit(idx, dom->draining))
			continue;
		wait_event(dom->idle_wq, !atomic_read(&dom->busy[idx]));
		spin_lock(&dom->plock);
		if (test_and_clear_bit(idx, dom->draining) && dom->pages[idx] &&
		    !test_bit(idx, dom->pinned)) {
			vpri_odp_unmap(dom, idx);
			gone++;
		}
		spin_unlock(&dom->plock);
	}
	if (drain)
		wake_up_all(&dom->idle_wq);
	if (gone)
		atomic64_add(gone, &dom->st->invalidations);
	trace_vpri_invalidate(dom->obj.id, vpri_iova(s), vpri_iova(e),
			      range->event, gone);
	if (later) {
		/* Pairs with atomic_dec_and_test() in vpri_unbusy(). */
		smp_mb__after_atomic();
		schedule_work(&dom->reap_work);
	}
	return true;
}

/*
 * Revalidates the pinned suspects of [@first, @first + @n) as pin.c does:
 * the same page, writable, in private anonymous memory, goes back to the
 * front end; any other is unmapped and unpinned (or, while in use, made a
 * zombie). Takes the domain's lock.
 */
static void vpri_odp_revalidate(struct vpri_domain *dom, u32 first, u32 n)
{
	unsigned long pfns[VPRI_REVAL_CHUNK];
	struct page *drop[VPRI_REVAL_CHUNK];
	unsigned int nd = 0;
	unsigned long seq;
	u32 i, idx;

	n = min_t(u32, n, dom->nr_pages - first);
again:
	seq = vpri_snapshot(dom, first, n, pfns);
	if (!seq)
		return;
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
		atomic64_inc(&dom->st->invalidations);
		if (atomic_read(&dom->busy[idx]))
			set_bit(idx, dom->zombie);
		else
			drop[nd++] = vpri_odp_unmap_pinned(dom, idx, false);
	}
	spin_unlock(&dom->plock);
	mutex_unlock(&dom->lock);
	vpri_odp_unpin(dom, drop, nd);
}

/* Unmaps and unpins the pinned zombies no access uses any more. */
static void vpri_odp_reap_zombies(struct vpri_domain *dom)
{
	struct page *drop[VPRI_ODP_BATCH];
	unsigned int nd;
	unsigned long idx;

	do {
		nd = 0;
		mutex_lock(&dom->lock);
		spin_lock(&dom->plock);
		for_each_set_bit(idx, dom->zombie, dom->nr_pages) {
			if (nd == VPRI_ODP_BATCH)
				break;
			if (atomic_read(&dom->busy[idx]))
				continue;
			clear_bit(idx, dom->zombie);
			drop[nd++] = vpri_odp_unmap_pinned(dom, idx, false);
		}
		spin_unlock(&dom->plock);
		mutex_unlock(&dom->lock);
		vpri_odp_unpin(dom, drop, nd);
	} while (nd == VPRI_ODP_BATCH);
	wake_up_all(&dom->reap_wq);
}

static void vpri_odp_reap(struct vpri_domain *dom)
{
	unsigned long idx;

	for (idx = find_first_bit(dom->suspect, dom->nr_pages);
	     idx < dom->nr_pages;
	     idx = find_next_bit(dom->suspect, dom->nr_pages, idx)) {
		vpri_odp_revalidate(dom, idx, VPRI_REVAL_CHUNK);
		idx += VPRI_REVAL_CHUNK;
		cond_resched();
	}
	vpri_odp_reap_zombies(dom);
}

/*
 * @idx has a page but it is not present (plock held, dropped on return):
 * waits until it is gone or back. Returns 0 to look again, or -EINTR.
 */
static int vpri_odp_wait(struct vpri_domain *dom, u32 idx)
{
	if (test_bit(idx, dom->draining)) {
		spin_unlock(&dom->plock);
		/* The notifier unmaps it when its accesses end. */
		wait_event(dom->idle_wq, !test_bit(idx, dom->draining));
		return 0;
	}
	if (test_bit(idx, dom->suspect)) {
		spin_unlock(&dom->plock);
		vpri_odp_revalidate(dom, idx, 1);
		return 0;
	}
	if (test_bit(idx, dom->zombie)) {
		/* A pinned zombie: unpinned once its accesses end. */
		spin_unlock(&dom->plock);
		if (wait_event_killable(dom->idle_wq,
					!atomic_read(&dom->busy[idx])))
			return -EINTR;
		vpri_odp_reap_zombies(dom);
		return 0;
	}
	spin_unlock(&dom->plock);
	WARN_ONCE(1, "domain %u: IOVA %#lx mapped, not present, not taken\n",
		  dom->obj.id, vpri_iova(idx));
	return -EIO;
}

static int vpri_odp_fault(struct vpri_domain *dom, u32 idx, bool *swapin)
{
	unsigned long uaddr = dom->uaddr + vpri_iova(idx);
	unsigned long pfn = 0;
	struct hmm_range range = {
		.notifier = &dom->notifier,
		.start = uaddr,
		.end = uaddr + PAGE_SIZE,
		.hmm_pfns = &pfn,
		.default_flags = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE,
	};
	struct vm_area_struct *vma;
	unsigned long maj;
	struct page *page;
	u64 t0;
	int ret;

again:
	spin_lock(&dom->plock);
	if (dom->pages[idx]) {
		if (vpri_bitmap_present(&dom->bm, idx)) {
			/* A concurrent fault mapped it first. */
			vpri_prot_hit(&dom->prot, idx);
			spin_unlock(&dom->plock);
			atomic64_inc(&dom->st->spurious);
			return 0;
		}
		ret = vpri_odp_wait(dom, idx);
		if (ret)
			return ret;
		goto again;
	}
	spin_unlock(&dom->plock);

	range.notifier_seq = mmu_interval_read_begin(&dom->notifier);
	if (!mmget_not_zero(dom->mm))
		return -ESRCH;
	mmap_read_lock(dom->mm);
	/* What is mapped there now must still be private anonymous memory. */
	vma = vma_lookup(dom->mm, uaddr);
	if (!vma || !vpri_vma_ok(vma)) {
		ret = vma ? -EOPNOTSUPP : -EFAULT;
	} else {
		maj = current->maj_flt;
		ret = hmm_range_fault(&range);
		if (current->maj_flt != maj)
			*swapin = true;
	}
	mmap_read_unlock(dom->mm);
	mmput(dom->mm);
	if (ret == -EBUSY)
		goto again;
	if (ret)
		return ret == -EPERM ? -EFAULT : ret;

	page = hmm_pfn_to_page(pfn);
	spin_lock(&dom->plock);
	if (mmu_interval_read_retry(&dom->notifier, range.notifier_seq) ||
	    dom->pages[idx]) {
		/* Invalidated since, or mapped by another fault: again. */
		spin_unlock(&dom->plock);
		goto again;
	}
	/* No sleep, no reclaim under plock: the notifier takes it. */
	ret = hpmm_iommu_map(dom->iodom, vpri_iova(idx), page_to_phys(page),
			     PAGE_SIZE, IOMMU_READ | IOMMU_WRITE, GFP_ATOMIC);
	if (ret) {
		spin_unlock(&dom->plock);
		pr_err_ratelimited("domain %u: iommu_map of IOVA %#lx: %d\n",
				   dom->obj.id, vpri_iova(idx), ret);
		return ret;
	}
	dom->pages[idx] = page;
	t0 = local_clock();
	vpri_bitmap_mark_accessed(&dom->bm, idx);
	vpri_bitmap_set_present(&dom->bm, idx);
	atomic64_add(local_clock() - t0, &dom->st->bm_update_ns);
	atomic64_inc(&dom->st->bm_updates);
	vpri_prot_fault(&dom->prot, idx);
	spin_unlock(&dom->plock);
	trace_vpri_map(dom->obj.id, vpri_iova(idx), page_to_pfn(page));
	atomic_long_inc(&hpmm_live.dma_mappings);
	atomic64_inc(&dom->st->mapped);
	return 0;
}

static void vpri_odp_hit(struct vpri_domain *dom, u32 idx)
{
	vpri_bitmap_mark_accessed(&dom->bm, idx);
	spin_lock(&dom->plock);
	vpri_prot_hit(&dom->prot, idx);
	spin_unlock(&dom->plock);
}

/* An access is over: a draining page's notifier or a zombie waits. */
static void vpri_odp_access_done(struct vpri_domain *dom, u32 idx, bool idle)
{
	if (!idle)
		return;
	if (test_bit(idx, dom->draining) || test_bit(idx, dom->zombie))
		wake_up_all(&dom->idle_wq);
	if (test_bit(idx, dom->zombie))
		schedule_work(&dom->reap_work);
}

/* The passes of a scan over the mapped pages, in order. */
enum vpri_odp_pass {
	VPRI_ODP_UNPIN_MARK,	/* VPRI_PROT_UNPIN, VPRI_PROT_MARK */
	VPRI_ODP_PIN,		/* VPRI_PROT_PIN */
	VPRI_ODP_PIN_SPARE,	/* VPRI_PROT_PIN_SPARE, with the room left */
};

/*
 * One step of a scan: the @pass's work on up to VPRI_ODP_BATCH of the
 * pages the protector's plan asks for, from *@cursor on. Returns false
 * when the pass is done. The domain's lock is held.
 */
static bool vpri_odp_scan_step(struct vpri_domain *dom, u32 *cursor,
			       enum vpri_odp_pass pass)
{
	bool pin = pass != VPRI_ODP_UNPIN_MARK;
	unsigned int pin_flag = pass == VPRI_ODP_PIN_SPARE ?
				VPRI_PROT_PIN_SPARE : VPRI_PROT_PIN;
	struct page *unpin[VPRI_ODP_BATCH], *mark[VPRI_ODP_BATCH];
	struct page *pinned[VPRI_ODP_BATCH];
	u32 want[VPRI_ODP_BATCH];
	unsigned int nu = 0, nm = 0, nw = 0, np = 0, i;
	struct vm_area_struct *vma;
	unsigned long seq;
	unsigned int f;
	long got;
	u32 idx;

	spin_lock(&dom->plock);
	for (idx = *cursor; idx < dom->nr_pages; idx++) {
		if (nu == VPRI_ODP_BATCH || nm == VPRI_ODP_BATCH ||
		    nw == VPRI_ODP_BATCH)
			break;
		if (!dom->pages[idx] || !vpri_bitmap_present(&dom->bm, idx))
			continue;
		f = vpri_prot_act(&dom->prot, idx, test_bit(idx, dom->pinned));
		if (!pin && (f & VPRI_PROT_UNPIN)) {
			/* Still mapped; the notifier covers it from now on. */
			trace_vpri_unpin(dom->obj.id, vpri_iova(idx),
					 page_to_pfn(dom->pages[idx]));
			__clear_bit(idx, dom->pinned);
			vpri_prot_unpinned(&dom->prot, true);
			unpin[nu++] = dom->pages[idx];
		}
		if (!pin && (f & VPRI_PROT_MARK)) {
			get_page(dom->pages[idx]);
			mark[nm++] = dom->pages[idx];
			vpri_prot_marked(&dom->prot);
		}
		if (pin && (f & pin_flag)) {
			if (dom->prot.nr_pinned + nw >= dom->prot.budget) {
				idx = dom->nr_pages;
				break;
			}
			want[nw++] = idx;
		}
	}
	*cursor = idx;
	spin_unlock(&dom->plock);

	vpri_odp_unpin(dom, unpin, nu);
	for (i = 0; i < nm; i++) {
		/* What a read() of a page-cache page tells the LRU. */
		mark_page_accessed(mark[i]);
		put_page(mark[i]);
	}
	if (!nw)
		return idx < dom->nr_pages;

	/* Pin what the protector wants kept, within RLIMIT_MEMLOCK. */
	if (vpri_acct(dom, nw))
		return false;
	seq = mmu_interval_read_begin(&dom->notifier);
	if (!mmget_not_zero(dom->mm)) {
		vpri_acct(dom, -(long)nw);
		return false;
	}
	mmap_read_lock(dom->mm);
	for (i = 0; i < nw; i++) {
		unsigned long uaddr = dom->uaddr + vpri_iova(want[i]);

		vma = vma_lookup(dom->mm, uaddr);
		got = vma && vpri_vma_ok(vma) ?
		      hpmm_pin_user_pages_remote(dom->mm, uaddr, 1,
						 FOLL_WRITE | FOLL_LONGTERM,
						 &pinned[i], NULL) : 0;
		if (got != 1)
			pinned[i] = NULL;
	}
	mmap_read_unlock(dom->mm);
	mmput(dom->mm);
	spin_lock(&dom->plock);
	for (i = 0; i < nw; i++) {
		idx = want[i];
		/* Only the very page mapped, with nothing changed since. */
		if (!pinned[i] || mmu_interval_read_retry(&dom->notifier, seq) ||
		    dom->pages[idx] != pinned[i] ||
		    !vpri_bitmap_present(&dom->bm, idx) ||
		    test_bit(idx, dom->pinned))
			continue;
		__set_bit(idx, dom->pinned);
		vpri_prot_pinned(&dom->prot);
		trace_vpri_pin(dom->obj.id, vpri_iova(idx),
			       page_to_pfn(pinned[i]));
		pinned[i] = NULL;
		np++;
	}
	spin_unlock(&dom->plock);
	atomic_long_add(np, &vpri_pinned_total);
	atomic64_add(np, &dom->st->pinned);
	atomic64_add(np, &dom->st->pins);
	/* What could not be kept: give it back. */
	for (i = 0; i < nw; i++)
		if (pinned[i])
			unpin_user_page(pinned[i]);
	vpri_acct(dom, -(long)(nw - np));
	return true;
}

/*
 * The protector's scan: read and clear the accessed bit of every mapped
 * page, let the policy plan, then unpin and mark, then pin. Runs in the
 * submitting thread after a request, once a window of accesses has gone by.
 */
static void vpri_odp_tick(struct vpri_domain *dom)
{
	unsigned long idx;
	u32 cursor;

	if (!vpri_prot_scan_due(&dom->prot))
		return;
	mutex_lock(&dom->lock);
	spin_lock(&dom->plock);
	if (!vpri_prot_scan_due(&dom->prot)) {
		spin_unlock(&dom->plock);
		mutex_unlock(&dom->lock);
		return;
	}
	vpri_prot_scan_begin(&dom->prot);
	for (idx = 0; idx < dom->nr_pages; idx++) {
		if (!dom->pages[idx] || !vpri_bitmap_present(&dom->bm, idx))
			continue;
		vpri_prot_observe(&dom->prot, idx,
				  vpri_bitmap_test_and_clear_accessed(&dom->bm,
								      idx),
				  test_bit(idx, dom->pinned));
	}
	vpri_prot_plan(&dom->prot);
	spin_unlock(&dom->plock);
	trace_vpri_scan(dom->obj.id, dom->prot.nr_pinned, dom->prot.target);
	for (cursor = 0; vpri_odp_scan_step(dom, &cursor, VPRI_ODP_UNPIN_MARK);)
		cond_resched();
	for (cursor = 0; vpri_odp_scan_step(dom, &cursor, VPRI_ODP_PIN);)
		cond_resched();
	for (cursor = 0; vpri_odp_scan_step(dom, &cursor, VPRI_ODP_PIN_SPARE);)
		cond_resched();
	mutex_unlock(&dom->lock);
}

/*
 * Unmaps everything; no access is in flight. Runs before the notifier is
 * removed (domain.c), so no page is freed while mapped: an invalidation
 * meanwhile finds each page mapped or gone, under plock.
 */
static void vpri_odp_teardown(struct vpri_domain *dom)
{
	struct page *drop[VPRI_ODP_BATCH];
	unsigned int nd;
	u32 idx = 0;

	flush_work(&dom->reap_work);
	do {
		nd = 0;
		mutex_lock(&dom->lock);
		spin_lock(&dom->plock);
		for (; idx < dom->nr_pages && nd < VPRI_ODP_BATCH; idx++) {
			if (!dom->pages[idx])
				continue;
			vpri_bitmap_test_and_clear_present(&dom->bm, idx);
			clear_bit(idx, dom->suspect);
			clear_bit(idx, dom->zombie);
			clear_bit(idx, dom->draining);
			if (test_bit(idx, dom->pinned))
				drop[nd++] = vpri_odp_unmap_pinned(dom, idx,
								   false);
			else
				vpri_odp_unmap(dom, idx);
		}
		spin_unlock(&dom->plock);
		mutex_unlock(&dom->lock);
		vpri_odp_unpin(dom, drop, nd);
		cond_resched();
	} while (idx < dom->nr_pages);
	if (atomic_long_read(&dom->locked))
		pr_err("domain %u: %ld pages still charged to locked_vm\n",
		       dom->obj.id, atomic_long_read(&dom->locked));
}

/*
 * Young for [@start, @end) of the process's addresses: a page of the
 * domain there was accessed by the device since the last clear; @clear
 * clears (test-and-clear for clear_young, test only for test_young). No
 * lock: atomic bit operations only (page-table lock, rmap locks held).
 */
static int vpri_odp_young(struct vpri_domain *dom, unsigned long start,
			  unsigned long end, bool clear)
{
	unsigned long dend = dom->uaddr +
			     ((unsigned long)dom->nr_pages << PAGE_SHIFT);
	int young = 0;
	u32 s, e, idx;

	if (end <= dom->uaddr || start >= dend)
		return 0;
	s = (max(start, dom->uaddr) - dom->uaddr) >> PAGE_SHIFT;
	e = (min(end, dend) - dom->uaddr + PAGE_SIZE - 1) >> PAGE_SHIFT;
	for (idx = s; idx < e; idx++) {
		if (!vpri_bitmap_young(&dom->bm, idx))
			continue;
		if (!clear)
			return 1;
		if (vpri_bitmap_test_and_clear_young(&dom->bm, idx))
			young = 1;
	}
	if (young)
		atomic64_inc(&dom->st->young);
	return young;
}

static int vpri_odp_clear_young(struct mmu_notifier *mn, struct mm_struct *mm,
				unsigned long start, unsigned long end)
{
	return vpri_odp_young(container_of(mn, struct vpri_domain, young_mn),
			      start, end, true);
}

/*
 * The IOTLB holds no accessed bit to flush: the PA-BITMAP's is set by the
 * front end on every access, so clear and flush is clear.
 */
static int vpri_odp_clear_flush_young(struct mmu_notifier *mn,
				      struct mm_struct *mm,
				      unsigned long start, unsigned long end)
{
	return vpri_odp_clear_young(mn, mm, start, end);
}

static int vpri_odp_test_young(struct mmu_notifier *mn, struct mm_struct *mm,
			       unsigned long address)
{
	return vpri_odp_young(container_of(mn, struct vpri_domain, young_mn),
			      address, address + 1, false);
}

static const struct mmu_notifier_ops vpri_odp_young_ops = {
	.clear_flush_young = vpri_odp_clear_flush_young,
	.clear_young = vpri_odp_clear_young,
	.test_young = vpri_odp_test_young,
};

/**
 * vpri_odp_young_register() - tell reclaim what the device uses
 * @dom: an on-demand domain, not yet visible to the notifiers
 * @mm: the registering process's mm (current->mm)
 *
 * For the protectors that report to the LRU (hint, adp-hint) only: keeps
 * the PA-BITMAP's young bits and registers the mmu_notifier that answers
 * the kernel's young queries from them. Takes the mmap lock for write.
 *
 * Return: 0, -ENOMEM, or mmu_notifier_register()'s error.
 */
int vpri_odp_young_register(struct vpri_domain *dom, struct mm_struct *mm)
{
	int ret;

	if (dom->prot.id != VPRI_PROT_HINT &&
	    dom->prot.id != VPRI_PROT_ADP_HINT)
		return 0;
	ret = vpri_bitmap_init_young(&dom->bm);
	if (ret)
		return ret;
	dom->young_mn.ops = &vpri_odp_young_ops;
	ret = mmu_notifier_register(&dom->young_mn, mm);
	if (ret)
		return ret;
	dom->young_mm = mm;
	return 0;
}

/**
 * vpri_odp_young_unregister() - undo vpri_odp_young_register()
 * @dom: the domain
 *
 * Waits for the callbacks running; none runs once it returns. Safe after
 * the process exited (its mm is still mmgrab()ed by the notifier).
 */
void vpri_odp_young_unregister(struct vpri_domain *dom)
{
	if (!dom->young_mm)
		return;
	mmu_notifier_unregister(&dom->young_mn, dom->young_mm);
	dom->young_mm = NULL;
}

static void vpri_odp_counters(struct vpri_domain *dom, struct vpri_counters *c)
{
	const struct vpri_prot_stats *st = &dom->prot.st;

	*c = (struct vpri_counters){
		.accesses = st->accesses,
		.hits = st->hits,
		.faults = st->faults,
		.evictions = st->unpins,
		.scans = st->scans,
		.marks = st->marks,
		.peak_pinned = st->peak_pinned,
		.budget = dom->prot.budget,
		.target = dom->prot.target,
	};
}

const struct vpri_mode_ops vpri_mode_odp = {
	.name = "ondemand",
	.fault_first = true,
	.hit = vpri_odp_hit,
	.tick = vpri_odp_tick,
	.fault = vpri_odp_fault,
	.access_done = vpri_odp_access_done,
	.invalidate = vpri_odp_invalidate,
	.reap = vpri_odp_reap,
	.teardown = vpri_odp_teardown,
	.counters = vpri_odp_counters,
};
