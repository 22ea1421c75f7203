// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's data path, the same for every mode.
 *
 * Front end: each page of a device access is marked in flight, then its
 * present bit in the PA-BITMAP is tested. Present: the access goes on (it
 * sets the accessed bit). Absent: an I/O page fault, which never reaches
 * the IOMMU: it is queued to the fault queue of the submitting CPU and the
 * request sleeps until a worker bound to that CPU has had the domain's mode
 * serve it (pin.c). When the access is over, the mode gives back what the
 * policy no longer keeps, and after each request the policy may adapt.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>

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
		f->ret = f->dom->mode->fault(f->dom, f->idx, &f->swapin);
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
	trace_vpri_fault(dom->obj.id, (u64)idx << PAGE_SHIFT, cpu);
	fq = per_cpu_ptr(&vpri_fqs, cpu);
	spin_lock(&fq->lock);
	list_add_tail(&f.node, &fq->list);
	spin_unlock(&fq->lock);
	queue_work_on(cpu, vpri_wq, &fq->work);
	put_cpu();
	/* The worker always completes: f lives on this stack until then. */
	wait_for_completion(&f.done);
	end = ktime_get_ns();
	trace_vpri_fault_done(dom->obj.id, (u64)idx << PAGE_SHIFT, end - start,
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

/*
 * The access to @idx is over (@used) or never started because the page
 * was not present (!@used): the mode gives back what is not kept. An
 * access that never started only finishes off a zombie it was last to
 * leave.
 */
static void vpri_unbusy(struct vpri_domain *dom, u32 idx, bool used)
{
	/* Fully ordered: pairs with the barrier in the mode's invalidate. */
	bool idle = atomic_dec_and_test(&dom->busy[idx]);

	if (used || (idle && (test_bit(idx, dom->zombie) ||
			      (dom->draining && test_bit(idx, dom->draining)))))
		dom->mode->access_done(dom, idx, idle);
}

/* Marks @idx in flight and tests its present bit (timed when @timed). */
static bool vpri_busy_present(struct vpri_domain *dom, u32 idx, bool timed)
{
	bool present;
	u64 t0;

	atomic_inc(&dom->busy[idx]);
	/* Pairs with the fully ordered clear of a claim or invalidation. */
	smp_mb__after_atomic();
	if (!timed)
		return vpri_bitmap_present(&dom->bm, idx);
	t0 = local_clock();
	present = vpri_bitmap_present(&dom->bm, idx);
	atomic64_add(local_clock() - t0, &dom->st->bm_test_ns);
	atomic64_inc(&dom->st->bm_tests);
	return present;
}

/*
 * Pinned mode's front end: mark @idx in flight and check the PA-BITMAP; on
 * an absent page, let go of it, have it faulted in, and check again.
 * Returns 0 with @idx in flight and present, or the fault's error
 * (-EAGAIN: wait for the zombie at @idx to go, then run the request
 * again). The request's earlier pages stay in flight meanwhile, so the
 * policy never picks them as victims.
 */
static int vpri_access(struct vpri_domain *dom, u32 idx, u64 *faults,
		       u64 *hits)
{
	bool faulted = false;
	int ret;

	/* The access's one timed test is its first. */
	while (!vpri_busy_present(dom, idx, !faulted)) {
		vpri_unbusy(dom, idx, false);
		(*faults)++;
		ret = vpri_fault(dom, idx);
		if (ret)
			return ret;
		faulted = true;
	}
	/* A page its own fault just brought in is not a hit. */
	if (!faulted) {
		dom->mode->hit(dom, idx);
		(*hits)++;
	}
	return 0;
}

/*
 * Waits until the zombie at @idx is gone, at most a second (a device
 * access is 100 ms); a fatal signal stops the wait.
 */
static int vpri_wait_zombie(struct vpri_domain *dom, u32 idx)
{
	long left;

	left = wait_event_killable_timeout(dom->reap_wq,
					   !test_bit(idx, dom->zombie), HZ);
	return left < 0 ? -EINTR : 0;
}

static int vpri_request_pin(struct vpri_domain *dom, u32 first, u32 last,
			    u64 *faults, u64 *hits)
{
	u32 idx, bad;
	int ret;

again:
	for (idx = first; idx <= last; idx++) {
		ret = vpri_access(dom, idx, faults, hits);
		if (ret)
			break;
	}
	if (!ret)
		return 0;
	/* The pages held so far were not used: let go of them. */
	bad = idx;
	while (idx-- > first)
		vpri_unbusy(dom, idx, false);
	if (ret == -EAGAIN) {
		ret = vpri_wait_zombie(dom, bad);
		if (!ret)
			goto again;
	}
	return ret;
}

/*
 * On-demand mode's front end: fault in every absent page of the request
 * while holding none, then mark them all in flight and check they are
 * still present; if an invalidation took one meanwhile, let go of them and
 * start again. An invalidation waits for the accesses in flight on its
 * pages, so no page may be held while a fault (which may allocate, and so
 * reclaim) is served. A request spans at most two pages.
 */
static int vpri_request_odp(struct vpri_domain *dom, u32 first, u32 last,
			    u64 *faults, u64 *hits)
{
	bool faulted[2] = { false, false }, timed = true;
	u32 idx;
	int ret;

	for (;;) {
		for (idx = first; idx <= last; idx++) {
			if (vpri_bitmap_present(&dom->bm, idx))
				continue;
			(*faults)++;
			faulted[idx - first] = true;
			ret = vpri_fault(dom, idx);
			if (ret)
				return ret;
		}
		for (idx = first; idx <= last; idx++)
			if (!vpri_busy_present(dom, idx, timed))
				break;
		timed = false;
		if (idx > last)
			break;
		/* Invalidated meanwhile: let go, fault it in again. */
		do {
			vpri_unbusy(dom, idx, false);
		} while (idx-- > first);
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	for (idx = first; idx <= last; idx++) {
		if (faulted[idx - first])
			continue;
		dom->mode->hit(dom, idx);
		(*hits)++;
	}
	return 0;
}

static int vpri_request(struct vpri_domain *dom, enum hpmm_dev_backend backend,
			const struct hpmm_vpri_req *r, u64 *faults, u64 *hits)
{
	enum dma_data_direction dir = (r->flags & HPMM_VPRI_REQ_WRITE) ?
				      DMA_FROM_DEVICE : DMA_TO_DEVICE;
	u32 first = r->iova >> PAGE_SHIFT;
	u32 last = (r->iova + r->len - 1) >> PAGE_SHIFT;
	u32 idx;
	int ret;

	if (dom->mode->fault_first)
		ret = vpri_request_odp(dom, first, last, faults, hits);
	else
		ret = vpri_request_pin(dom, first, last, faults, hits);
	if (!ret) {
		ret = hpmm_dev_dma(dom->dev, backend, r->iova, r->len, dir);
		if (ret)
			atomic64_inc(&dom->st->dma_errors);
		for (idx = first; idx <= last; idx++)
			vpri_unbusy(dom, idx, true);
	}
	dom->mode->tick(dom);
	return ret;
}

/**
 * vpri_hold() - mark the pages of [@iova, @iova + @len) in flight
 * @dom: the domain, its gate held for read (vpri_domain_get())
 * @iova: the start, within the domain
 * @len: bytes, at least 1, within the domain
 *
 * For an access that does not go through the front end (hpmm_test.ko's
 * hook): whatever it finds mapped stays mapped, and its memory allocated,
 * until vpri_release(): no unpin or invalidation takes a page in flight.
 * Nothing is faulted in or checked.
 */
void vpri_hold(struct vpri_domain *dom, u64 iova, u64 len)
{
	u32 idx;

	for (idx = iova >> PAGE_SHIFT; idx <= (iova + len - 1) >> PAGE_SHIFT;
	     idx++) {
		atomic_inc(&dom->busy[idx]);
		/* As the front end: before anything reads the mapping. */
		smp_mb__after_atomic();
	}
	/*
	 * An invalidation reads the in-flight counts and unmaps under plock:
	 * one that missed ours has finished unmapping once we get plock,
	 * and any later one sees ours and waits.
	 */
	spin_lock(&dom->plock);
	spin_unlock(&dom->plock);
}
EXPORT_SYMBOL_NS_GPL(vpri_hold, HPMM);

/**
 * vpri_release() - undo vpri_hold()
 * @dom: the domain
 * @iova: as given to vpri_hold()
 * @len: likewise
 */
void vpri_release(struct vpri_domain *dom, u64 iova, u64 len)
{
	u32 idx;

	for (idx = iova >> PAGE_SHIFT; idx <= (iova + len - 1) >> PAGE_SHIFT;
	     idx++)
		vpri_unbusy(dom, idx, false);
}
EXPORT_SYMBOL_NS_GPL(vpri_release, HPMM);

/**
 * vpri_submit() - run a batch of requests, in order
 * @dom: the domain, its gate held for read (vpri_domain_get())
 * @backend: who performs the accesses
 * @reqs: the requests, already checked to lie in the domain
 * @nr: how many
 * @nr_done: out: requests completed (the failing one's index on error)
 * @faults: out: I/O page faults taken
 * @hits: out: page accesses that found their page present
 *
 * A pending signal stops the batch between two requests: a request is
 * never cut short (its faults are served, its device access ends).
 *
 * Return: 0, the error of request *@nr_done, -EINTR when a signal stopped
 * the batch after *@nr_done requests, -ERESTARTSYS before the first.
 */
int vpri_submit(struct vpri_domain *dom, enum hpmm_dev_backend backend,
		const struct hpmm_vpri_req *reqs, u32 nr, u32 *nr_done,
		u64 *faults, u64 *hits)
{
	int ret = 0;
	u32 i;

	*faults = 0;
	*hits = 0;
	for (i = 0; i < nr; i++) {
		/*
		 * A batch of edu requests runs for minutes (100 ms each): a
		 * signal stops it before its next request. Nothing started
		 * yet: the call restarts (SA_RESTART) or fails with EINTR;
		 * else EINTR with *@nr_done requests done.
		 */
		if (signal_pending(current)) {
			ret = i ? -EINTR : -ERESTARTSYS;
			break;
		}
		ret = vpri_request(dom, backend, &reqs[i], faults, hits);
		if (ret)
			break;
		atomic64_inc(&dom->st->requests);
		cond_resched();
	}
	*nr_done = i;
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
