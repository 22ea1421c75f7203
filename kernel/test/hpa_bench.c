// SPDX-License-Identifier: GPL-2.0
/*
 * CPU cost of HPA against the kernel's page_pool, both on the same device,
 * in one run: nanoseconds per alloc+recycle pair on four paths.
 *
 *   cache   alloc, then recycle directly (BH disabled): the alloc cache
 *   ring    alloc 64, recycle the 64 through the ring: ring refills
 *   backup  ring of 1 entry, alloc 512, recycle 512: HPA's backup ring;
 *           page_pool's counterpart is the page allocator plus a DMA
 *           map and unmap per page
 *   inject  16 rounds of 512 allocations held, then all recycled: HPA adds
 *           a block per round straight into the cache (reclaim scans off);
 *           page_pool allocates and maps each page in its slow path
 *
 * Each repetition creates fresh pools, warms them, measures HPA and
 * page_pool in alternating order, and destroys them; the median and the best
 * repetition are reported. The loops call each pool's API directly (no
 * indirect call), as a driver would: HPA's inline fast paths (hpa.h) are
 * compiled into this module, its slow paths are hpmm.ko's exports, as
 * page_pool's are the kernel's.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "../dev/dev.h"
#include "compat/page_pool.h"
#include "hpa_test.h"

#define HPA_BENCH_CHUNK		4096
#define HPA_BENCH_RING_BATCH	64
#define HPA_BENCH_BACKUP_BATCH	512
#define HPA_BENCH_ROUNDS	16
#define HPA_BENCH_ROUND_PAGES	512
#define HPA_BENCH_MAX_REPS	15
/* The name the benchmark's HPA pools are registered under, one at a time. */
#define HPA_BENCH_POOL		"hpmm_test-bench"

const char *const hpa_bench_names[HPA_BENCH_NR] = {
	[HPA_BENCH_CACHE] = "cache",
	[HPA_BENCH_RING] = "ring",
	[HPA_BENCH_BACKUP] = "backup",
	[HPA_BENCH_INJECT] = "inject",
};

/**
 * struct hpa_bench_ctx - one measurement's pools
 * @hdev: the device
 * @hpa: the HPA pool, or NULL
 * @pp: the page_pool, or NULL
 * @pages: scratch for batches and held pages
 */
struct hpa_bench_ctx {
	struct hpmm_dev *hdev;
	struct hpa_pool *hpa;
	struct page_pool *pp;
	struct page **pages;
};

static __always_inline struct page *bench_alloc(struct hpa_bench_ctx *c,
						const enum hpa_kind kind)
{
	if (kind == HPA_KIND_HPA)
		return hpa_pool_alloc_page(c->hpa, GFP_ATOMIC | __GFP_NOWARN);
	return page_pool_alloc_pages(c->pp, GFP_ATOMIC | __GFP_NOWARN);
}

static __always_inline void bench_put(struct hpa_bench_ctx *c,
				      struct page *page, bool direct,
				      const enum hpa_kind kind)
{
	if (kind == HPA_KIND_HPA)
		hpa_pool_put_page(c->hpa, page, PAGE_SIZE, direct);
	else
		page_pool_put_full_page(c->pp, page, direct);
}

/* Alloc + direct recycle, n times. Returns ns, or a negative errno. */
static __always_inline s64 bench_cache(struct hpa_bench_ctx *c, u64 n,
				       const enum hpa_kind kind)
{
	u64 done = 0, t0;
	struct page *p;
	u32 i;

	local_bh_disable();
	for (i = 0; i < 256; i++) {
		p = bench_alloc(c, kind);
		if (!p)
			goto fail;
		bench_put(c, p, true, kind);
	}
	local_bh_enable();

	t0 = ktime_get_ns();
	while (done < n) {
		u32 chunk = min_t(u64, n - done, HPA_BENCH_CHUNK);

		local_bh_disable();
		for (i = 0; i < chunk; i++) {
			p = bench_alloc(c, kind);
			if (unlikely(!p))
				goto fail;
			bench_put(c, p, true, kind);
		}
		local_bh_enable();
		done += chunk;
		cond_resched();
	}
	return ktime_get_ns() - t0;
fail:
	local_bh_enable();
	return -ENOMEM;
}

/* Batches of @batch allocations, then @batch ring recycles. */
static __always_inline s64 bench_batch(struct hpa_bench_ctx *c, u64 n,
				       u32 batch, const enum hpa_kind kind)
{
	u64 done = 0, t0 = 0;
	bool warm = true;
	u32 i, j;

	while (done < n) {
		local_bh_disable();
		for (j = 0; j < HPA_BENCH_CHUNK && done < n; j += batch) {
			for (i = 0; i < batch; i++) {
				c->pages[i] = bench_alloc(c, kind);
				if (unlikely(!c->pages[i]))
					goto fail;
			}
			for (i = 0; i < batch; i++)
				bench_put(c, c->pages[i], false, kind);
			if (!warm)
				done += batch;
		}
		local_bh_enable();
		if (warm) {
			warm = false;
			t0 = ktime_get_ns();
		}
		cond_resched();
	}
	return ktime_get_ns() - t0;
fail:
	while (i--)
		bench_put(c, c->pages[i], false, kind);
	local_bh_enable();
	return -ENOMEM;
}

/* Rounds of held allocations, each forcing the pool to add memory. */
static __always_inline s64 bench_inject(struct hpa_bench_ctx *c,
					const enum hpa_kind kind)
{
	const u32 per = HPA_BENCH_ROUND_PAGES;
	u32 total = (HPA_BENCH_ROUNDS + 1) * per, got = 0, i;
	s64 ret;
	u64 t0;

	/* Round 0, not timed: a fresh HPA pool's first block. */
	local_bh_disable();
	for (; got < per; got++) {
		c->pages[got] = bench_alloc(c, kind);
		if (!c->pages[got])
			break;
	}
	local_bh_enable();
	if (got < per) {
		ret = -ENOMEM;
		goto out;
	}

	t0 = ktime_get_ns();
	while (got < total) {
		local_bh_disable();
		for (i = 0; i < per; i++, got++) {
			c->pages[got] = bench_alloc(c, kind);
			if (unlikely(!c->pages[got]))
				break;
		}
		local_bh_enable();
		if (i < per) {
			ret = -ENOMEM;
			goto out;
		}
		cond_resched();
	}
	local_bh_disable();
	for (i = per; i < total; i++)
		bench_put(c, c->pages[i], false, kind);
	local_bh_enable();
	ret = ktime_get_ns() - t0;
	got = per;
out:
	for (i = 0; i < got; i++)
		bench_put(c, c->pages[i], false, kind);
	return ret;
}

static noinline s64 bench_hpa(struct hpa_bench_ctx *c, int path, u64 n)
{
	switch (path) {
	case HPA_BENCH_CACHE:
		return bench_cache(c, n, HPA_KIND_HPA);
	case HPA_BENCH_RING:
		return bench_batch(c, n, HPA_BENCH_RING_BATCH, HPA_KIND_HPA);
	case HPA_BENCH_BACKUP:
		return bench_batch(c, n, HPA_BENCH_BACKUP_BATCH, HPA_KIND_HPA);
	default:
		return bench_inject(c, HPA_KIND_HPA);
	}
}

static noinline s64 bench_pp(struct hpa_bench_ctx *c, int path, u64 n)
{
	switch (path) {
	case HPA_BENCH_CACHE:
		return bench_cache(c, n, HPA_KIND_PP);
	case HPA_BENCH_RING:
		return bench_batch(c, n, HPA_BENCH_RING_BATCH, HPA_KIND_PP);
	case HPA_BENCH_BACKUP:
		return bench_batch(c, n, HPA_BENCH_BACKUP_BATCH, HPA_KIND_PP);
	default:
		return bench_inject(c, HPA_KIND_PP);
	}
}

static u64 bench_ops(int path, u64 n)
{
	if (path == HPA_BENCH_INJECT)
		return HPA_BENCH_ROUNDS * HPA_BENCH_ROUND_PAGES;
	if (path == HPA_BENCH_BACKUP)
		return max_t(u64, n / 16, HPA_BENCH_BACKUP_BATCH);
	return n;
}

static u32 bench_ring_size(int path)
{
	return path == HPA_BENCH_BACKUP ? 1 : HPA_DEFAULT_RING;
}

/* One measurement of one pool kind on one path; ps per pair or -errno. */
static s64 bench_one(struct hpmm_dev *hdev, struct hpa_bench_ctx *c,
		     enum hpa_kind kind, int path, u64 ops)
{
	s64 ns;

	c->hpa = NULL;
	c->pp = NULL;
	if (kind == HPA_KIND_HPA) {
		struct hpa_pool_params p = {
			.dev = &hdev->pdev->dev,
			.nid = dev_to_node(&hdev->pdev->dev),
			.dma_dir = DMA_FROM_DEVICE,
		};

		hpa_config_default(&p.cfg);
		p.cfg.ring_size = bench_ring_size(path);
		if (path == HPA_BENCH_INJECT) {
			p.cfg.scan_interval = U32_MAX;
			p.cfg.backup_pages = (HPA_BENCH_ROUNDS + 2) *
					     HPA_BENCH_ROUND_PAGES;
		}
		c->hpa = hpa_pool_create(HPA_BENCH_POOL, &p);
		if (IS_ERR(c->hpa))
			return PTR_ERR(c->hpa);
		ns = bench_hpa(c, path, ops);
		hpa_pool_destroy(c->hpa);
	} else {
		c->pp = hpa_twin_create(hdev, dev_to_node(&hdev->pdev->dev),
					bench_ring_size(path), false);
		if (IS_ERR(c->pp))
			return PTR_ERR(c->pp);
		ns = bench_pp(c, path, ops);
		page_pool_destroy(c->pp);
	}
	if (ns < 0)
		return ns;
	return div64_u64((u64)ns * 1000, ops);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * hpa_bench_run() - measure HPA against page_pool
 * @hdev: the device both pools map for
 * @n: pairs per measurement on the cache and ring paths (backup: n/16)
 * @reps: repetitions (1..15)
 * @mask: paths, bit HPA_BENCH_*
 * @res: the results
 *
 * Return: 0, -EINVAL, -ENOMEM when a pool could not allocate.
 */
int hpa_bench_run(struct hpmm_dev *hdev, u64 n, u64 reps, u64 mask,
		  struct hpa_bench_result *res)
{
	u64 hpa_ps[HPA_BENCH_MAX_REPS], pp_ps[HPA_BENCH_MAX_REPS];
	struct hpa_bench_ctx c = { .hdev = hdev };
	u32 scratch;
	int path, ret = 0;
	u64 r;

	if (!reps || reps > HPA_BENCH_MAX_REPS || !n ||
	    !(mask & (BIT(HPA_BENCH_NR) - 1)))
		return -EINVAL;
	scratch = max((HPA_BENCH_ROUNDS + 1) * HPA_BENCH_ROUND_PAGES,
		      HPA_BENCH_BACKUP_BATCH);
	c.pages = kvcalloc(scratch, sizeof(*c.pages), GFP_KERNEL);
	if (!c.pages)
		return -ENOMEM;

	memset(res, 0, sizeof(*res));
	res->n = n;
	res->reps = reps;
	for (path = 0; path < HPA_BENCH_NR; path++) {
		struct hpa_bench_path *bp = &res->path[path];
		u64 ops = bench_ops(path, n);

		if (!(mask & BIT(path)))
			continue;
		for (r = 0; r < reps; r++) {
			s64 a, b;

			/* Alternate who goes first. */
			if (r & 1) {
				b = bench_one(hdev, &c, HPA_KIND_PP, path, ops);
				a = bench_one(hdev, &c, HPA_KIND_HPA, path, ops);
			} else {
				a = bench_one(hdev, &c, HPA_KIND_HPA, path, ops);
				b = bench_one(hdev, &c, HPA_KIND_PP, path, ops);
			}
			if (a < 0 || b < 0) {
				ret = a < 0 ? a : b;
				pr_err("bench %s failed: %d\n",
				       hpa_bench_names[path], ret);
				goto out;
			}
			hpa_ps[r] = a;
			pp_ps[r] = b;
		}
		sort(hpa_ps, reps, sizeof(u64), cmp_u64, NULL);
		sort(pp_ps, reps, sizeof(u64), cmp_u64, NULL);
		bp->ops = ops;
		bp->hpa_ps = hpa_ps[reps / 2];
		bp->pp_ps = pp_ps[reps / 2];
		bp->hpa_min_ps = hpa_ps[0];
		bp->pp_min_ps = pp_ps[0];
	}
	res->valid = true;
out:
	kvfree(c.pages);
	return ret;
}
