// SPDX-License-Identifier: GPL-2.0
/*
 * The jail: pages a receive model leaked (a reference of the "stack" that
 * the pool cannot see) are still held when the model is torn down, and are
 * dropped a given time later, from a delayed work, as a socket that holds
 * its buffers lets go late. It is what keeps an HPA pool's destroy waiting
 * for pages in flight.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "hpa_test.h"

/* The jail checks for due pages this often. */
#define HPA_JAIL_PERIOD		msecs_to_jiffies(50)

/**
 * struct hpa_jail_batch - leaked pages of one torn-down model
 * @node: entry in hpa_jail
 * @expires: jiffies when they are dropped
 * @n: pages
 * @pages: the pages, each with the leaker's reference
 */
struct hpa_jail_batch {
	struct list_head node;
	unsigned long expires;
	u32 n;
	struct page *pages[];
};

static LIST_HEAD(hpa_jail);
static DEFINE_SPINLOCK(hpa_jail_lock);
static atomic64_t hpa_jail_pages = ATOMIC64_INIT(0);

static void hpa_jail_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(hpa_jail_dw, hpa_jail_work);

/*
 * Uncounted first: once a pool sees its last page home (and its destroy
 * completes), the jail no longer counts that page.
 */
static void hpa_jail_drop(struct hpa_jail_batch *b)
{
	u32 i;

	atomic64_sub(b->n, &hpa_jail_pages);
	for (i = 0; i < b->n; i++)
		put_page(b->pages[i]);
	kvfree(b);
}

static void hpa_jail_work(struct work_struct *work)
{
	struct hpa_jail_batch *b, *tmp;
	LIST_HEAD(due);
	bool more;

	spin_lock(&hpa_jail_lock);
	list_for_each_entry_safe(b, tmp, &hpa_jail, node)
		if (time_after_eq(jiffies, b->expires))
			list_move_tail(&b->node, &due);
	more = !list_empty(&hpa_jail);
	spin_unlock(&hpa_jail_lock);

	list_for_each_entry_safe(b, tmp, &due, node) {
		list_del(&b->node);
		hpa_jail_drop(b);
	}
	if (more)
		schedule_delayed_work(&hpa_jail_dw, HPA_JAIL_PERIOD);
}

/**
 * hpa_jail_take() - hold a torn-down model's leaked pages a while longer
 * @leak: the model's delay line of leaked pages; emptied
 * @ms: how long; 0 drops them now
 *
 * The pages keep the leaker's reference until then, so a pool destroyed
 * meanwhile has to wait for them (a deferred destroy).
 *
 * Return: pages jailed; the others (all when @ms is 0 or no memory could be
 * had for the batch) were dropped now.
 */
u32 hpa_jail_take(struct hpa_fifo *leak, unsigned int ms)
{
	struct hpa_jail_batch *b = NULL;
	struct page *p;
	u32 n = leak->count;

	if (ms && n)
		b = kvmalloc(struct_size(b, pages, n), GFP_KERNEL);
	if (!b) {
		while ((p = hpa_fifo_pop(leak)))
			put_page(p);
		return 0;
	}
	b->n = 0;
	while ((p = hpa_fifo_pop(leak)))
		b->pages[b->n++] = p;
	n = b->n;
	b->expires = jiffies + msecs_to_jiffies(ms);
	atomic64_add(n, &hpa_jail_pages);
	/* From here on the jail's work may drop and free @b. */
	spin_lock(&hpa_jail_lock);
	list_add_tail(&b->node, &hpa_jail);
	spin_unlock(&hpa_jail_lock);
	schedule_delayed_work(&hpa_jail_dw, HPA_JAIL_PERIOD);
	return n;
}

/* Pages in the jail now. */
u64 hpa_jail_count(void)
{
	return atomic64_read(&hpa_jail_pages);
}

/* Module exit: every jailed page is dropped now. */
void hpa_jail_exit(void)
{
	struct hpa_jail_batch *b, *tmp;

	cancel_delayed_work_sync(&hpa_jail_dw);
	list_for_each_entry_safe(b, tmp, &hpa_jail, node) {
		list_del(&b->node);
		hpa_jail_drop(b);
	}
}

