// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's test hooks and benchmark, outside hpmm.ko:
 *
 *   HPMM_TEST_VPRI_DMA (/dev/hpmm_test, hpmm_test_uapi.h): a device access
 *	to a domain that skips the PA-BITMAP, for the DMAR proof that pages
 *	the policy unpinned are unmapped from the IOMMU
 *   hpmm_test/vpri/control "bench PAGES ITERS": the PA-BITMAP
 *	micro-benchmark; hpmm_test/vpri/bench shows the last result
 *
 * A domain is reached with vpri_domain_get(), as /dev/hpmm's commands
 * reach it: one of the calling process's, by id.
 */
#define pr_fmt(fmt) "hpmm_test: vpri: " fmt

#include <linux/debugfs.h>
#include <linux/dma-direction.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <uapi/hpmm-vpri.h>

#include "../vpri/vpri.h"
#include "hpmm_test_uapi.h"
#include "test.h"

/* HPMM_TEST_VPRI_DMA */
static int hpmm_test_vpri_dma(struct hpmm_ucmd *ucmd)
{
	struct hpmm_test_vpri_dma *cmd = ucmd->cmd;
	enum hpmm_dev_backend backend;
	enum dma_data_direction dir;
	struct vpri_domain *dom;
	u64 size;
	int ret;

	if (!cmd->len || cmd->len > HPMM_DEV_DMA_MAX ||
	    (cmd->flags & ~HPMM_VPRI_REQ_WRITE))
		return -EINVAL;
	if (cmd->backend == HPMM_VPRI_BACKEND_CPU)
		backend = HPMM_BACKEND_CPU;
	else if (cmd->backend == HPMM_VPRI_BACKEND_EDU)
		backend = HPMM_BACKEND_EDU;
	else
		return -EINVAL;
	dir = (cmd->flags & HPMM_VPRI_REQ_WRITE) ? DMA_FROM_DEVICE :
						     DMA_TO_DEVICE;
	dom = vpri_domain_get(cmd->domain_id);
	if (!dom)
		return -ENOENT;
	size = (u64)dom->nr_pages << PAGE_SHIFT;
	if (cmd->iova >= size || cmd->len > size - cmd->iova) {
		ret = -ERANGE;
		goto out;
	}
	/*
	 * The CPU backend's translation and its copy must see one state: it
	 * never copies to a page unmapped (and perhaps freed) after its
	 * translation. (The edu device translates in the IOMMU itself.) The
	 * pinned mode maps, unmaps and unpins only under the domain's lock.
	 * The on-demand mode's invalidations wait for the accesses in flight
	 * before they unmap a page: the pages are marked in flight, as the
	 * front end does, without the lock (its holder may pin, and so
	 * reclaim, and so wait for them).
	 */
	if (dom->mode->fault_first) {
		vpri_hold(dom, cmd->iova, cmd->len);
		ret = hpmm_dev_dma(dom->dev, backend, cmd->iova, cmd->len, dir);
		vpri_release(dom, cmd->iova, cmd->len);
	} else {
		mutex_lock(&dom->lock);
		ret = hpmm_dev_dma(dom->dev, backend, cmd->iova, cmd->len, dir);
		mutex_unlock(&dom->lock);
	}
out:
	vpri_domain_put(dom);
	return ret;
}

static const struct hpmm_ioctl_op hpmm_test_vpri_ops[] = {
	HPMM_IOCTL_OP(0, struct hpmm_test_vpri_dma, flags, hpmm_test_vpri_dma),
};

/**
 * struct hpmm_test_vpri_bench - the last PA-BITMAP micro-benchmark
 * @pages: bitmap size
 * @iters: operations of each kind
 * @loop_ps: picoseconds per iteration of the loop alone (reading an index)
 * @test_ps: picoseconds per present-bit test, loop included
 * @update_ps: picoseconds per present-bit update (set or test-and-clear,
 *	alternately), loop included
 */
struct hpmm_test_vpri_bench {
	u32 pages;
	u64 iters;
	u64 loop_ps;
	u64 test_ps;
	u64 update_ps;
};

static DEFINE_MUTEX(hpmm_test_vpri_bench_lock);
static struct hpmm_test_vpri_bench hpmm_test_vpri_bench_last;

static int hpmm_test_vpri_bench_show(struct seq_file *m, void *unused)
{
	struct hpmm_test_vpri_bench b;

	mutex_lock(&hpmm_test_vpri_bench_lock);
	b = hpmm_test_vpri_bench_last;
	mutex_unlock(&hpmm_test_vpri_bench_lock);
	seq_printf(m, "pages: %u\n", b.pages);
	seq_printf(m, "iters: %llu\n", b.iters);
	seq_printf(m, "loop_ps: %llu\n", b.loop_ps);
	seq_printf(m, "test_ps: %llu\n", b.test_ps);
	seq_printf(m, "update_ps: %llu\n", b.update_ps);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hpmm_test_vpri_bench);

static u64 hpmm_test_vpri_ps_per_op(u64 ns, u64 ops)
{
	return ops ? div64_u64(ns * 1000, ops) : 0;
}

#define HPMM_TEST_VPRI_BENCH_MAX_ITERS	100000000ULL
#define HPMM_TEST_VPRI_BENCH_CHUNK	65536

/*
 * Times present-bit tests and updates on random pages of a @pages-page
 * bitmap: @iters of each, in chunks over one precomputed array of page
 * indexes (so index generation costs the same in every loop), after one
 * warm-up chunk. loop_ps is the same walk reading the indexes only.
 */
static int hpmm_test_vpri_bitmap_bench(u32 pages, u64 iters)
{
	struct hpmm_test_vpri_bench b = { .pages = pages, .iters = iters };
	u64 t0, loop = 0, test = 0, update = 0, i;
	struct vpri_bitmap bm;
	unsigned long sink = 0;
	u32 *idx, x = 1, j;
	int ret, pass;

	if (!pages || pages > (HPMM_VPRI_MAX_LENGTH >> PAGE_SHIFT) || !iters ||
	    iters > HPMM_TEST_VPRI_BENCH_MAX_ITERS)
		return -EINVAL;
	idx = kvmalloc_array(HPMM_TEST_VPRI_BENCH_CHUNK, sizeof(*idx),
			     GFP_KERNEL);
	if (!idx)
		return -ENOMEM;
	ret = vpri_bitmap_init(&bm, pages);
	if (ret) {
		kvfree(idx);
		return ret;
	}
	for (j = 0; j < HPMM_TEST_VPRI_BENCH_CHUNK; j++) {
		x = x * 1664525u + 1013904223u;
		idx[j] = (x >> 8) % pages;
	}
	/* Half the pages present, as in a pin set under pressure. */
	for (j = 0; j < pages; j += 2)
		vpri_bitmap_set_present(&bm, j);

	for (pass = 0, i = 0; i < iters; pass++) {
		u32 n = min_t(u64, HPMM_TEST_VPRI_BENCH_CHUNK, iters - i);
		u64 dl, dt, du;

		t0 = ktime_get_ns();
		for (j = 0; j < n; j++)
			sink += READ_ONCE(idx[j]);
		dl = ktime_get_ns() - t0;

		t0 = ktime_get_ns();
		for (j = 0; j < n; j++)
			sink += vpri_bitmap_present(&bm, READ_ONCE(idx[j]));
		dt = ktime_get_ns() - t0;

		t0 = ktime_get_ns();
		for (j = 0; j < n; j++) {
			if (j & 1)
				sink += vpri_bitmap_test_and_clear_present(&bm,
									   READ_ONCE(idx[j]));
			else
				vpri_bitmap_set_present(&bm, READ_ONCE(idx[j]));
		}
		du = ktime_get_ns() - t0;
		cond_resched();
		if (!pass)
			continue;	/* warm-up */
		loop += dl;
		test += dt;
		update += du;
		i += n;
	}
	vpri_bitmap_fini(&bm);
	kvfree(idx);
	/* Keep the loops: the result depends on sink. */
	if (sink == 1)
		pr_debug("bench sink %lu\n", sink);

	b.loop_ps = hpmm_test_vpri_ps_per_op(loop, iters);
	b.test_ps = hpmm_test_vpri_ps_per_op(test, iters);
	b.update_ps = hpmm_test_vpri_ps_per_op(update, iters);
	mutex_lock(&hpmm_test_vpri_bench_lock);
	hpmm_test_vpri_bench_last = b;
	mutex_unlock(&hpmm_test_vpri_bench_lock);
	return 0;
}

/* bench PAGES ITERS */
static int hpmm_test_vpri_cmd_bench(void *priv, struct hpmm_cmd *cmd)
{
	u32 pages;
	u64 iters;

	if (kstrtou32(cmd->argv[1], 0, &pages) ||
	    kstrtou64(cmd->argv[2], 0, &iters))
		return -EINVAL;
	return hpmm_test_vpri_bitmap_bench(pages, iters);
}

static const struct hpmm_dbg_verb hpmm_test_vpri_verbs[] = {
	{ "bench", 3, 3, hpmm_test_vpri_cmd_bench },
	{ }
};

static const struct hpmm_dbg_control hpmm_test_vpri_control = {
	.verbs = hpmm_test_vpri_verbs,
};

static int hpmm_test_vpri_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("vpri", root);

	memset(&hpmm_test_vpri_bench_last, 0,
	       sizeof(hpmm_test_vpri_bench_last));
	hpmm_dbg_create_control("control", dir, &hpmm_test_vpri_control);
	debugfs_create_file("bench", 0444, dir, NULL,
			    &hpmm_test_vpri_bench_fops);
	return 0;
}

/* main.c removed the debugfs files, waiting for their users, before this. */
static void hpmm_test_vpri_exit(void)
{
}

const struct hpmm_test_component hpmm_test_vpri = {
	.name = "vpri",
	.init = hpmm_test_vpri_init,
	.exit = hpmm_test_vpri_exit,
	.ioctl_base = HPMM_TEST_CMD_VPRI_BASE,
	.ioctl_ops = hpmm_test_vpri_ops,
	.nr_ioctl_ops = ARRAY_SIZE(hpmm_test_vpri_ops),
};
