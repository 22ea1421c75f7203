// SPDX-License-Identifier: GPL-2.0
/*
 * A check of HPA's exported API as a driver meets it (hpmm_test/hpa/control
 * "check"): every bad argument of hpa_pool_create() is refused with -EINVAL
 * and creates nothing, a taken name is -EEXIST, a good pool allocates and
 * takes a page back (not pfmemalloc), its ethtool statistics match its
 * snapshot, its destroy frees its name; with detach=1 the destroy is a
 * detaching one that leaves a held page to its holder, unmapped. selftests/hpmm/hpa_test.c runs it.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/ethtool.h>
#include <linux/iommu.h>
#include <linux/numa.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "../dev/dev.h"
#include "compat/mm.h"
#include "hpa_test.h"

/* The name of the check's pools; the bad names are variations of it. */
#define HPA_CHECK_POOL	"hpmm_test-check"

/* What is wrong with the parameters of a call that must be refused. */
enum hpa_check_bad {
	HPA_BAD_NAME,		/* only the name */
	HPA_BAD_DEV,
	HPA_BAD_DIR,
	HPA_BAD_DIR_NONE,
	HPA_BAD_NID,
	HPA_BAD_NID_NEG,
	HPA_BAD_RING,
	HPA_BAD_CACHE,
	HPA_BAD_ORDER,
	HPA_BAD_BACKUP,
	HPA_BAD_SCAN,
	HPA_BAD_VERIFY,
};

/**
 * struct hpa_check_case - one call hpa_pool_create() must refuse
 * @what: what is wrong, for the log
 * @name: the name passed
 * @bad: what is wrong with the parameters
 */
struct hpa_check_case {
	const char *what;
	const char *name;
	enum hpa_check_bad bad;
};

static const struct hpa_check_case hpa_check_cases[] = {
	{ "no name", NULL, HPA_BAD_NAME },
	{ "empty name", "", HPA_BAD_NAME },
	{ "name with a slash", "a/b", HPA_BAD_NAME },
	{ "name with a blank", "a b", HPA_BAD_NAME },
	{ "name \"..\"", "..", HPA_BAD_NAME },
	{ "name of 32 characters", "hpmm_test-check-0123456789abcdef",
	  HPA_BAD_NAME },
	{ "no device", HPA_CHECK_POOL, HPA_BAD_DEV },
	{ "DMA_TO_DEVICE", HPA_CHECK_POOL, HPA_BAD_DIR },
	{ "DMA_NONE", HPA_CHECK_POOL, HPA_BAD_DIR_NONE },
	{ "node MAX_NUMNODES", HPA_CHECK_POOL, HPA_BAD_NID },
	{ "node -2", HPA_CHECK_POOL, HPA_BAD_NID_NEG },
	{ "ring of 0", HPA_CHECK_POOL, HPA_BAD_RING },
	{ "cache over HPA_CACHE_MAX", HPA_CHECK_POOL, HPA_BAD_CACHE },
	{ "order MAX_ORDER", HPA_CHECK_POOL, HPA_BAD_ORDER },
	{ "backup smaller than a block", HPA_CHECK_POOL, HPA_BAD_BACKUP },
	{ "scan interval 0", HPA_CHECK_POOL, HPA_BAD_SCAN },
	{ "verify 2", HPA_CHECK_POOL, HPA_BAD_VERIFY },
};

static void hpa_check_spoil(struct hpa_pool_params *p, enum hpa_check_bad bad)
{
	switch (bad) {
	case HPA_BAD_NAME:
		break;
	case HPA_BAD_DEV:
		p->dev = NULL;
		break;
	case HPA_BAD_DIR:
		p->dma_dir = DMA_TO_DEVICE;
		break;
	case HPA_BAD_DIR_NONE:
		p->dma_dir = DMA_NONE;
		break;
	case HPA_BAD_NID:
		p->nid = MAX_NUMNODES;
		break;
	case HPA_BAD_NID_NEG:
		p->nid = -2;
		break;
	case HPA_BAD_RING:
		p->cfg.ring_size = 0;
		break;
	case HPA_BAD_CACHE:
		p->cfg.cache_size = HPA_CACHE_MAX + 1;
		break;
	case HPA_BAD_ORDER:
		p->cfg.order = MAX_PAGE_ORDER + 1;
		break;
	case HPA_BAD_BACKUP:
		p->cfg.backup_pages = (1U << p->cfg.order) - 1;
		break;
	case HPA_BAD_SCAN:
		p->cfg.scan_interval = 0;
		break;
	case HPA_BAD_VERIFY:
		p->cfg.verify = 2;
		break;
	}
}

static int hpa_check_fail(const char *what, long got, long want)
{
	pr_err("check: %s: got %ld, expected %ld\n", what, got, want);
	return -EIO;
}

/* The bad calls: each -EINVAL, and no pool registered under the name. */
static int hpa_check_refusals(const struct hpa_pool_params *good)
{
	struct hpa_pool_params p;
	struct hpa_pool *pool;
	unsigned int i;

	pool = hpa_pool_create(HPA_CHECK_POOL, NULL);
	if (!IS_ERR(pool) || PTR_ERR(pool) != -EINVAL) {
		if (!IS_ERR(pool))
			hpa_pool_destroy(pool);
		return hpa_check_fail("no parameters", PTR_ERR_OR_ZERO(pool),
				      -EINVAL);
	}
	for (i = 0; i < ARRAY_SIZE(hpa_check_cases); i++) {
		const struct hpa_check_case *c = &hpa_check_cases[i];

		p = *good;
		hpa_check_spoil(&p, c->bad);
		pool = hpa_pool_create(c->name, &p);
		if (!IS_ERR(pool)) {
			hpa_pool_destroy(pool);
			return hpa_check_fail(c->what, 0, -EINVAL);
		}
		if (PTR_ERR(pool) != -EINVAL)
			return hpa_check_fail(c->what, PTR_ERR(pool), -EINVAL);
		if (hpa_pool_name_in_use(HPA_CHECK_POOL))
			return hpa_check_fail(c->what, 1, 0);
	}
	return 0;
}

/* ethtool -S of a pool: one name per value, the values its snapshot's. */
static int hpa_check_ethtool(struct hpa_pool *pool)
{
	int n = hpa_pool_ethtool_stats_count();
	struct hpa_pool_snapshot s;
	u8 *names, *end_names;
	u64 *vals, *end_vals;
	int ret = 0, i;

	names = kcalloc(n, ETH_GSTRING_LEN, GFP_KERNEL);
	vals = kcalloc(n, sizeof(*vals), GFP_KERNEL);
	if (!names || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	hpa_pool_snapshot(pool, &s);
	end_names = hpa_pool_ethtool_stats_strings(names);
	end_vals = hpa_pool_ethtool_stats(vals, &s);
	if (end_names != names + n * ETH_GSTRING_LEN || end_vals != vals + n) {
		ret = hpa_check_fail("ethtool counts", end_vals - vals, n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *name = names + i * ETH_GSTRING_LEN;

		if (strnlen(name, ETH_GSTRING_LEN) == ETH_GSTRING_LEN ||
		    strncmp(name, "hpa_", 4)) {
			ret = hpa_check_fail("ethtool name", i, -1);
			goto out;
		}
		if (!strcmp(name, "hpa_map_calls") && vals[i] != s.st.map_calls)
			ret = hpa_check_fail(name, vals[i], s.st.map_calls);
		if (!strcmp(name, "hpa_blocks") && vals[i] != s.nr_blocks)
			ret = hpa_check_fail(name, vals[i], s.nr_blocks);
		if (!strcmp(name, "hpa_recycle_ring") && vals[i] != s.rst.ring)
			ret = hpa_check_fail(name, vals[i], s.rst.ring);
	}
out:
	kfree(vals);
	kfree(names);
	return ret;
}

/*
 * hpa_pool_destroy_detach() with a page still held, as a driver's remove
 * with an skb in a socket: the held page is the holder's alone afterwards
 * (count 1, no longer the pool's) and its IOVA no longer translates; the
 * holder then frees it.
 */
static int hpa_check_detach(struct hpa_pool *pool)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(pool->p.dev);
	struct page *page;
	dma_addr_t iova;
	int ret = 0;

	local_bh_disable();
	page = hpa_pool_alloc_page(pool, GFP_ATOMIC | __GFP_NOWARN);
	local_bh_enable();
	if (!page) {
		hpa_pool_destroy(pool);
		return -ENOMEM;
	}
	iova = hpa_page_dma_addr(page);
	/* A holder's reference, then the driver's goes back to the pool. */
	get_page(page);
	hpa_pool_put_page(pool, page, 0, false);
	hpa_pool_destroy_detach(pool);

	if (page_ref_count(page) != 1)
		ret = hpa_check_fail("held page's count after detach",
				     page_ref_count(page), 1);
	else if (page_private(page))
		ret = hpa_check_fail("held page still the pool's", 1, 0);
	else if (domain && (domain->type & __IOMMU_DOMAIN_PAGING) &&
		 iommu_iova_to_phys(domain, iova))
		ret = hpa_check_fail("held page's IOVA after detach", 1, 0);
	/* The holder lets go: the page allocator gets it, unmapped. */
	put_page(page);
	return ret;
}

/*
 * A good pool: a name taken, a page out and back, stats, a destroy (with
 * @detach, a detaching destroy with a page held).
 */
static int hpa_check_pool(const struct hpa_pool_params *good, bool detach)
{
	struct hpa_pool_snapshot s;
	struct hpa_pool *pool, *dup;
	struct page *page;
	int ret;

	pool = hpa_pool_create(HPA_CHECK_POOL, good);
	if (IS_ERR(pool))
		return hpa_check_fail("a good pool", PTR_ERR(pool), 0);
	ret = -EIO;
	if (!hpa_pool_name_in_use(HPA_CHECK_POOL)) {
		hpa_check_fail("name in use", 0, 1);
		goto out;
	}
	dup = hpa_pool_create(HPA_CHECK_POOL, good);
	if (!IS_ERR(dup)) {
		hpa_pool_destroy(dup);
		hpa_check_fail("a taken name", 0, -EEXIST);
		goto out;
	}
	if (PTR_ERR(dup) != -EEXIST) {
		hpa_check_fail("a taken name", PTR_ERR(dup), -EEXIST);
		goto out;
	}

	local_bh_disable();
	page = hpa_pool_alloc_page(pool, GFP_ATOMIC | __GFP_NOWARN);
	local_bh_enable();
	if (!page) {
		ret = -ENOMEM;
		goto out;
	}
	hpa_pool_dma_sync_for_cpu(pool, page, 0, 64);
	if (page_is_pfmemalloc(page)) {
		hpa_check_fail("page handed out as pfmemalloc", 1, 0);
		hpa_pool_put_page(pool, page, PAGE_SIZE, false);
		goto out;
	}
	if (!hpa_page_dma_addr(page) ||
	    offset_in_page(hpa_page_dma_addr(page))) {
		hpa_check_fail("page IOVA", hpa_page_dma_addr(page), 1);
		hpa_pool_put_page(pool, page, PAGE_SIZE, false);
		goto out;
	}
	hpa_pool_put_page(pool, page, PAGE_SIZE, false);
	hpa_pool_snapshot(pool, &s);
	if (s.allocs != 1 || s.inflight || s.st.map_calls != 1 ||
	    s.rst.ring != 1 || s.state != HPA_ALIVE) {
		hpa_check_fail("snapshot after one page", s.allocs, 1);
		goto out;
	}
	ret = hpa_check_ethtool(pool);
	if (ret || !detach)
		goto out;
	ret = hpa_check_detach(pool);
	pool = NULL;
out:
	hpa_pool_destroy(pool);
	if (!ret && hpa_pool_name_in_use(HPA_CHECK_POOL))
		ret = hpa_check_fail("name after destroy", 1, 0);
	return ret;
}

/**
 * hpa_api_check() - check HPA's exported API from a client module
 * @hdev: the device the check's pools map for (held for DMA-API use)
 * @detach: end with hpa_pool_destroy_detach() and a page still held,
 *	instead of hpa_pool_destroy()
 *
 * Return: 0, -EIO when a call did not do what its kernel-doc says (the log
 * says which), -EEXIST when a pool of the check's name exists already,
 * -ENOMEM.
 */
int hpa_api_check(struct hpmm_dev *hdev, bool detach)
{
	struct hpa_pool_params good = {
		.dev = &hdev->pdev->dev,
		.nid = NUMA_NO_NODE,
		.dma_dir = DMA_FROM_DEVICE,
	};
	int ret;

	if (hpa_pool_name_in_use(HPA_CHECK_POOL))
		return -EEXIST;
	hpa_config_default(&good.cfg);
	if (hpa_config_check(&good.cfg, MAX_PAGE_ORDER))
		return hpa_check_fail("default parameters", -EINVAL, 0);
	ret = hpa_check_refusals(&good);
	if (!ret)
		ret = hpa_check_pool(&good, detach);
	/* Destroying nothing is allowed, as page_pool_destroy(NULL). */
	hpa_pool_destroy(NULL);
	hpa_pool_destroy_detach(NULL);
	return ret;
}
