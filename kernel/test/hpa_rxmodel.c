// SPDX-License-Identifier: GPL-2.0
/*
 * A NIC receive model that runs on an HPA pool or on the kernel's page_pool.
 *
 * A ring of descriptors, each with a posted page. A step is one received
 * packet: the device writes it into the next descriptor's page (edu DMA
 * through the IOMMU, the CPU backend, or nothing), the driver hands the page
 * to the "stack" and posts a freshly allocated page in its place. The stack
 * recycles the page directly (XDP_DROP-like, NAPI context), through the ring
 * (another context), holds it for a number of steps first, or leaks it: it
 * takes a reference of its own, gives the page back (so the pool sees a page
 * still in use) and drops the reference much later, or, when the model is
 * torn down, after a time, from a timed "jail".
 *
 * Allocation and direct recycling run with BH disabled, as in NAPI.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../dev/dev.h"
#include "../hpmm.h"
#include "compat/page_pool.h"
#include "hpa_test.h"

/* The biggest delay line (hold_steps or leak_steps + 1). */
#define HPA_FIFO_MAX		BIT(18)
/* Stress: pages in flight between the two CPUs. */
#define HPA_STRESS_CHAN		256

struct page *hpa_entry_alloc(struct hpa_entry *e, gfp_t gfp)
{
	if (e->kind == HPA_KIND_HPA)
		return hpa_pool_alloc_page(e->hpa, gfp);
	return page_pool_alloc_pages(e->pp, gfp);
}

void hpa_entry_put(struct hpa_entry *e, struct page *page, bool allow_direct)
{
	if (e->kind == HPA_KIND_HPA)
		hpa_pool_put_page(e->hpa, page, PAGE_SIZE, allow_direct);
	else
		page_pool_put_full_page(e->pp, page, allow_direct);
}

dma_addr_t hpa_entry_dma(struct hpa_entry *e, struct page *page)
{
	if (e->kind == HPA_KIND_HPA)
		return hpa_page_dma_addr(page);
	return page_pool_get_dma_addr(page);
}

/* ---- the model ---------------------------------------------------------- */

void hpa_model_cfg_default(struct hpa_model_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = HPA_BACKEND_CPU;
	cfg->len = 64;
	cfg->hold_steps = 64;
	cfg->leak_steps = 4096;
	cfg->leak_ms = 0;
}

int hpa_model_init(struct hpa_entry *e, u32 nr_desc)
{
	struct hpa_model *m = &e->model;

	memset(m, 0, sizeof(*m));
	m->nr_desc = nr_desc;
	m->desc = kvcalloc(nr_desc, sizeof(*m->desc), GFP_KERNEL);
	if (!m->desc)
		return -ENOMEM;
	hpa_model_cfg_default(&m->cfg);
	return 0;
}

static int hpa_fifo_grow(struct hpa_fifo *f, u32 size)
{
	struct hpa_fifo nf;
	void **slot;
	u64 *due;

	if (f->size >= size)
		return 0;
	slot = kvcalloc(size, sizeof(*slot), GFP_KERNEL);
	due = kvcalloc(size, sizeof(*due), GFP_KERNEL);
	if (!slot || !due) {
		kvfree(slot);
		kvfree(due);
		return -ENOMEM;
	}
	hpa_fifo_init(&nf, slot, due, size);
	while (f->count) {
		u64 d = f->due[f->head];

		hpa_fifo_push(&nf, hpa_fifo_pop(f), d);
	}
	kvfree(f->slot);
	kvfree(f->due);
	*f = nf;
	return 0;
}

static int hpa_model_wire_get(struct hpa_entry *e)
{
	struct hpa_model *m = &e->model;
	struct device *dev = &e->hdev->pdev->dev;

	if (m->wire)
		return 0;
	m->wire = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!m->wire)
		return -ENOMEM;
	m->wire_dma = dma_map_page(dev, m->wire, 0, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, m->wire_dma)) {
		__free_page(m->wire);
		m->wire = NULL;
		return -ENOMEM;
	}
	atomic_long_inc(&hpmm_live.pages);
	atomic_long_inc(&hpmm_live.dma_mappings);
	return 0;
}

static void hpa_model_wire_put(struct hpa_entry *e)
{
	struct hpa_model *m = &e->model;

	if (!m->wire)
		return;
	dma_unmap_page(&e->hdev->pdev->dev, m->wire_dma, PAGE_SIZE,
		       DMA_TO_DEVICE);
	__free_page(m->wire);
	m->wire = NULL;
	atomic_long_dec(&hpmm_live.pages);
	atomic_long_dec(&hpmm_live.dma_mappings);
}

static int hpa_model_dma(struct hpa_entry *e, struct page *page)
{
	struct hpa_model *m = &e->model;
	struct device *dev = &e->hdev->pdev->dev;
	size_t len = m->cfg.len;
	enum hpmm_dev_backend be;
	dma_addr_t dma;
	u8 *wire = NULL;
	int ret;

	if (m->cfg.backend == HPA_BACKEND_NONE)
		return 0;
	be = m->cfg.backend == HPA_BACKEND_EDU ? HPMM_BACKEND_EDU :
						  HPMM_BACKEND_CPU;
	dma = hpa_entry_dma(e, page);

	if (m->cfg.verify_data) {
		u64 stamp = m->step;

		wire = page_address(m->wire);
		memset(wire, 0x5a ^ (u8)m->step, len);
		memcpy(wire, &stamp, min(len, sizeof(stamp)));
		dma_sync_single_for_device(dev, m->wire_dma, len, DMA_TO_DEVICE);
		ret = hpmm_dev_dma(e->hdev, be, m->wire_dma, len, DMA_TO_DEVICE);
		if (ret)
			goto err;
		memset(page_address(page), 0xa5, len);
		dma_sync_single_range_for_device(dev, dma, 0, len,
						 DMA_FROM_DEVICE);
	}
	ret = hpmm_dev_dma(e->hdev, be, dma, len, DMA_FROM_DEVICE);
	if (ret)
		goto err;
	m->st.dma_ops++;
	m->st.dma_bytes += len;
	if (wire) {
		dma_sync_single_range_for_cpu(dev, dma, 0, len, DMA_FROM_DEVICE);
		if (memcmp(page_address(page), wire, len)) {
			m->st.data_errors++;
			pr_err("%s: packet %llu arrived wrong at IOVA %pad\n",
			       e->name, (unsigned long long)m->step, &dma);
			return -EIO;
		}
	}
	return 0;
err:
	m->st.dma_errors++;
	pr_err_ratelimited("%s: device access at IOVA %pad failed: %d\n",
			   e->name, &dma, ret);
	return ret;
}

/* The stack consumes one received page. BH disabled. */
static void hpa_model_consume(struct hpa_entry *e, struct page *page)
{
	struct hpa_model *m = &e->model;
	struct hpa_mix mix = {
		.ring_ppm = m->cfg.ring_ppm,
		.hold_ppm = m->cfg.hold_ppm,
		.leak_ppm = m->cfg.leak_ppm,
	};

	switch (hpa_mix_pick(&mix, hpa_prng_next(&m->rng))) {
	case HPA_ACT_DIRECT:
		m->st.direct++;
		hpa_entry_put(e, page, true);
		break;
	case HPA_ACT_RING:
		m->st.ring++;
		hpa_entry_put(e, page, false);
		break;
	case HPA_ACT_HOLD:
		m->st.hold++;
		if (hpa_fifo_push(&m->hold, page, m->step + m->cfg.hold_steps))
			hpa_entry_put(e, page, false);
		break;
	case HPA_ACT_LEAK:
		m->st.leak++;
		get_page(page);
		hpa_entry_put(e, page, false);
		if (hpa_fifo_push(&m->leak, page, m->step + m->cfg.leak_steps)) {
			put_page(page);
			m->st.leak_dropped++;
		}
		break;
	}
}

static void hpa_model_tally_pp(struct hpa_entry *e)
{
	struct hpa_model *m = &e->model;

	if (e->pp->alloc.count)
		m->st.pp_cache++;
	else if (!__ptr_ring_empty(&e->pp->ring))
		m->st.pp_ring++;
	else
		m->st.pp_slow++;
}

static int hpa_model_step(struct hpa_entry *e, u32 i)
{
	struct hpa_model *m = &e->model;
	struct page *page = m->desc[i];
	struct page *p;
	int ret = 0;

	/* The device receives a packet into the posted page. */
	if (page)
		ret = hpa_model_dma(e, page);

	local_bh_disable();
	if (page)
		hpa_model_consume(e, page);
	while ((p = hpa_fifo_pop_due(&m->hold, m->step)))
		hpa_entry_put(e, p, false);
	while ((p = hpa_fifo_pop_due(&m->leak, m->step))) {
		put_page(p);
		m->st.leak_dropped++;
	}
	/* Refill the descriptor. */
	if (e->kind == HPA_KIND_PP)
		hpa_model_tally_pp(e);
	m->desc[i] = hpa_entry_alloc(e, GFP_ATOMIC | __GFP_NOWARN);
	local_bh_enable();

	if (!m->desc[i])
		m->st.alloc_fail++;
	m->step++;
	m->st.steps++;
	return ret;
}

/**
 * hpa_model_run() - receive @steps packets
 * @e: the entry
 * @steps: packets
 * @cfg: the behaviour for this and later runs (checked by the caller)
 *
 * The first run posts a page to every descriptor. Held and leaked pages
 * stay between runs.
 *
 * Return: 0; the error of a failed device access (-EFAULT when a page's
 * IOVA did not translate), -EIO for wrong data, -EINTR, -ENOMEM.
 */
int hpa_model_run(struct hpa_entry *e, u64 steps,
		  const struct hpa_model_cfg *cfg)
{
	struct hpa_model *m = &e->model;
	u64 s, start;
	u32 i;
	int ret;

	if (cfg->hold_steps >= HPA_FIFO_MAX || cfg->leak_steps >= HPA_FIFO_MAX)
		return -EINVAL;
	ret = hpa_fifo_grow(&m->hold, cfg->hold_steps + 1);
	if (!ret)
		ret = hpa_fifo_grow(&m->leak, cfg->leak_steps + 1);
	if (!ret && cfg->verify_data)
		ret = hpa_model_wire_get(e);
	if (ret)
		return ret;
	if (m->cfg.seed != cfg->seed || !m->rng)
		m->rng = cfg->seed;
	m->cfg = *cfg;

	start = ktime_get_ns();
	for (i = 0; i < m->nr_desc; i++) {
		if (m->desc[i])
			continue;
		local_bh_disable();
		if (e->kind == HPA_KIND_PP)
			hpa_model_tally_pp(e);
		m->desc[i] = hpa_entry_alloc(e, GFP_ATOMIC | __GFP_NOWARN);
		local_bh_enable();
		if (!m->desc[i])
			m->st.alloc_fail++;
	}

	i = m->step % m->nr_desc;
	for (s = 0; s < steps; s++) {
		ret = hpa_model_step(e, i);
		if (ret)
			break;
		if (++i == m->nr_desc)
			i = 0;
		if (!(s & 255)) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			cond_resched();
		}
	}
	m->st.run_ns = ktime_get_ns() - start;
	m->st.run_steps = s;
	return ret;
}

/* Leaked pages of a torn-down model: dropped now or after leak_ms. */
static void hpa_model_jail(struct hpa_entry *e)
{
	struct hpa_model *m = &e->model;
	u32 n = m->leak.count, jailed;

	if (!n)
		return;
	jailed = hpa_jail_take(&m->leak, m->cfg.leak_ms);
	m->st.leak_jailed += jailed;
	m->st.leak_dropped += n - jailed;
}

/**
 * hpa_model_teardown() - the driver stops: every page goes back
 * @e: the entry
 *
 * Posted and held pages are put back to the pool; leaked pages go to the
 * jail, which drops them leak_ms later (at once when leak_ms is 0).
 */
void hpa_model_teardown(struct hpa_entry *e)
{
	struct hpa_model *m = &e->model;
	struct page *p;
	u32 i;

	for (i = 0; m->desc && i < m->nr_desc; i++) {
		if (m->desc[i])
			hpa_entry_put(e, m->desc[i], false);
		m->desc[i] = NULL;
	}
	while ((p = hpa_fifo_pop(&m->hold)))
		hpa_entry_put(e, p, false);
	hpa_model_jail(e);
	kvfree(m->desc);
	m->desc = NULL;
	kvfree(m->hold.slot);
	kvfree(m->hold.due);
	kvfree(m->leak.slot);
	kvfree(m->leak.due);
	memset(&m->hold, 0, sizeof(m->hold));
	memset(&m->leak, 0, sizeof(m->leak));
	hpa_model_wire_put(e);
}

/* ---- two CPUs: one allocates, the other recycles through the ring -------- */

/**
 * struct hpa_stress - a stress run
 * @e: the entry
 * @chan: pages on their way from the allocating to the recycling CPU
 * @recycled: pages the recycler put back
 */
struct hpa_stress {
	struct hpa_entry *e;
	struct ptr_ring chan;
	u64 recycled;
};

static int hpa_stress_recycler(void *arg)
{
	struct hpa_stress *s = arg;
	struct page *page;

	for (;;) {
		page = ptr_ring_consume_bh(&s->chan);
		if (page) {
			hpa_entry_put(s->e, page, false);
			s->recycled++;
			continue;
		}
		if (kthread_should_stop())
			break;
		cond_resched();
	}
	/* The producer stopped before kthread_stop(): take what is left. */
	while ((page = ptr_ring_consume_bh(&s->chan))) {
		hpa_entry_put(s->e, page, false);
		s->recycled++;
	}
	return 0;
}

/**
 * hpa_model_stress() - allocate on this CPU, recycle on another
 * @e: the entry
 * @steps: pages to pass
 *
 * Return: 0 when every page allocated came back; -ENOMEM when an allocation
 * failed; -EIO when pages went missing; -EINTR.
 */
int hpa_model_stress(struct hpa_entry *e, u64 steps)
{
	struct task_struct *task;
	struct hpa_stress *s;
	struct page *page;
	unsigned int cpu;
	u64 i, sent = 0;
	int ret = 0;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->e = e;
	if (ptr_ring_init(&s->chan, HPA_STRESS_CHAN, GFP_KERNEL)) {
		kfree(s);
		return -ENOMEM;
	}
	task = kthread_create(hpa_stress_recycler, s, "hpmm_hpa_stress");
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto out;
	}
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu < nr_cpu_ids)
		kthread_bind(task, cpu);
	get_task_struct(task);
	wake_up_process(task);

	for (i = 0; i < steps && !ret; i++) {
		local_bh_disable();
		page = hpa_entry_alloc(e, GFP_ATOMIC | __GFP_NOWARN);
		local_bh_enable();
		if (!page) {
			ret = -ENOMEM;
			break;
		}
		while (ptr_ring_produce_bh(&s->chan, page)) {
			if (fatal_signal_pending(current)) {
				hpa_entry_put(e, page, false);
				ret = -EINTR;
				page = NULL;
				break;
			}
			cond_resched();
		}
		if (page)
			sent++;
	}
	kthread_stop(task);
	put_task_struct(task);
	/* A recycler stopped before it ever ran leaves its pages here. */
	while ((page = ptr_ring_consume_bh(&s->chan))) {
		hpa_entry_put(e, page, false);
		s->recycled++;
	}
	if (!ret && s->recycled != sent)
		ret = -EIO;
out:
	ptr_ring_cleanup(&s->chan, NULL);
	kfree(s);
	return ret;
}
