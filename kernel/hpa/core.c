// SPDX-License-Identifier: GPL-2.0
/*
 * HPA's core: the registry of named pools, whoever created them (a driver,
 * hpmm_test.ko), the module-wide totals, the last completed destroy, the
 * statistics a driver shows with ethtool, and the component that main.c
 * starts. Pools join the registry in hpa_pool_create() and leave it when
 * their destroy completes, which may be long after their creator let go
 * (pool.c). debugfs.c only reads what is kept here.
 */
#define pr_fmt(fmt) "hpmm: hpa: " fmt

#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <uapi/hpmm.h>

#include "../dev/dev.h"
#include "../hpmm.h"
#include "hpa.h"
#include "internal.h"

struct hpa_totals hpa_totals;

/* Guards the registry and the last destroy. */
static DEFINE_MUTEX(hpa_registry_lock);
static LIST_HEAD(hpa_registry);
static unsigned int hpa_registry_nr;
static struct hpa_last_destroy hpa_last;

static struct hpa_pool *hpa_registry_find(const char *name)
{
	struct hpa_pool *pool;

	list_for_each_entry(pool, &hpa_registry, node)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

/**
 * hpa_registry_add() - register a new pool under its name
 * @pool: the pool, its name set
 *
 * Return: 0, or -EEXIST when a registered pool has the name.
 */
int hpa_registry_add(struct hpa_pool *pool)
{
	mutex_lock(&hpa_registry_lock);
	if (hpa_registry_find(pool->name)) {
		mutex_unlock(&hpa_registry_lock);
		return -EEXIST;
	}
	list_add_tail(&pool->node, &hpa_registry);
	hpa_registry_nr++;
	atomic64_inc(&hpa_totals.created);
	mutex_unlock(&hpa_registry_lock);
	hpa_debugfs_pool_add(pool);
	return 0;
}

/**
 * hpa_registry_del() - a pool's destroy completed: forget it
 * @pool: the pool, its blocks freed and its report filled
 * @deferred: the destroy had to wait for pages in flight
 *
 * Its debugfs directory goes first (debugfs waits for its readers), then
 * the pool leaves the registry, which keeps its last counters and adds its
 * report to the totals: once this returns, nothing refers to @pool.
 */
void hpa_registry_del(struct hpa_pool *pool, bool deferred)
{
	const struct hpa_destroy_report *r = &pool->report;

	hpa_debugfs_pool_del(pool);
	mutex_lock(&hpa_registry_lock);
	list_del_init(&pool->node);
	hpa_registry_nr--;
	hpa_last.valid = true;
	strscpy(hpa_last.name, pool->name, sizeof(hpa_last.name));
	hpa_last.deferred = deferred;
	hpa_pool_snapshot(pool, &hpa_last.snap);
	hpa_last.report = *r;
	atomic64_add(r->iova_checked, &hpa_totals.iova_checked);
	atomic64_add(r->iova_mapped, &hpa_totals.iova_mapped);
	atomic64_add(r->withheld, &hpa_totals.withheld);
	atomic64_add(r->orphaned, &hpa_totals.orphaned);
	atomic64_inc(&hpa_totals.destroyed);
	mutex_unlock(&hpa_registry_lock);
}

/* Pools registered now, alive or waiting for pages. */
unsigned int hpa_registry_count(void)
{
	unsigned int n;

	mutex_lock(&hpa_registry_lock);
	n = hpa_registry_nr;
	mutex_unlock(&hpa_registry_lock);
	return n;
}

/* A copy of the last completed destroy. */
void hpa_last_destroy_read(struct hpa_last_destroy *d)
{
	mutex_lock(&hpa_registry_lock);
	*d = hpa_last;
	mutex_unlock(&hpa_registry_lock);
}

/**
 * hpa_pool_name_in_use() - is a pool registered under @name
 * @name: a pool name
 *
 * A pool stays registered from hpa_pool_create() until its destroy
 * completed, so this is also true while a destroy waits for pages in
 * flight. The answer may change as soon as it is given; it is for messages
 * and for choosing a name, hpa_pool_create() decides.
 *
 * Context: process context; sleeps.
 *
 * Return: true when a pool has that name.
 */
bool hpa_pool_name_in_use(const char *name)
{
	bool used;

	mutex_lock(&hpa_registry_lock);
	used = name && hpa_registry_find(name);
	mutex_unlock(&hpa_registry_lock);
	return used;
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_name_in_use, HPMM);

/*
 * One of hpmm's own DMA devices (kernel/dev/): whoever maps through its
 * default domain with the DMA API holds it, so that VPRI cannot attach a
 * domain of its own under the mappings. A NIC is not one of them.
 */
static struct hpmm_dev *hpa_hpmm_dev(struct device *dev)
{
	unsigned int i, n = hpmm_dev_count();

	for (i = 0; i < n; i++) {
		struct hpmm_dev *hdev = hpmm_dev_get(i);

		if (hdev && &hdev->pdev->dev == dev)
			return hdev;
	}
	return NULL;
}

/**
 * hpa_dev_hold() - hold @dev for DMA-API use when it is an hpmm device
 * @dev: a pool's device
 * @hdev: set to the hpmm device held, or NULL when @dev is not one
 *
 * Return: 0, or -EBUSY while a component owns the device's IOMMU domain.
 */
int hpa_dev_hold(struct device *dev, struct hpmm_dev **hdev)
{
	struct hpmm_dev *h = hpa_hpmm_dev(dev);
	int ret = h ? hpmm_dev_dma_api_get(h) : 0;

	*hdev = ret ? NULL : h;
	return ret;
}

/* Undoes hpa_dev_hold(); @hdev may be NULL. */
void hpa_dev_put(struct hpmm_dev *hdev)
{
	if (hdev)
		hpmm_dev_dma_api_put(hdev);
}

/* ---- ethtool ------------------------------------------------------------ */

/* The names of hpa_pool_ethtool_stats(), in its order. */
static const char hpa_ethtool_names[][ETH_GSTRING_LEN] = {
	"hpa_alloc_cache",
	"hpa_alloc_ring",
	"hpa_alloc_backup",
	"hpa_alloc_inject",
	"hpa_alloc_fallback",
	"hpa_alloc_fail",
	"hpa_recycle_direct",
	"hpa_recycle_ring",
	"hpa_recycle_ring_full",
	"hpa_released",
	"hpa_scans",
	"hpa_reclaimed",
	"hpa_inflight",
	"hpa_blocks",
	"hpa_fallback_pages",
	"hpa_peak_blocks",
	"hpa_pages",
	"hpa_map_calls",
	"hpa_unmap_calls",
	"hpa_block_fail",
	"hpa_inject_mode",
	"hpa_mode_switches",
	"hpa_verify_errors",
};

/**
 * hpa_pool_ethtool_stats_count() - how many statistics a pool gives
 *	ethtool, as page_pool_ethtool_stats_get_count() (for a driver's
 *	get_sset_count())
 *
 * Return: the number of values hpa_pool_ethtool_stats() writes.
 */
int hpa_pool_ethtool_stats_count(void)
{
	return ARRAY_SIZE(hpa_ethtool_names);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_ethtool_stats_count, HPMM);

/**
 * hpa_pool_ethtool_stats_strings() - the names of a pool's statistics
 * @data: room for hpa_pool_ethtool_stats_count() strings of ETH_GSTRING_LEN
 *
 * As page_pool_ethtool_stats_get_strings(): for a driver's get_strings().
 *
 * Return: @data past the strings written.
 */
u8 *hpa_pool_ethtool_stats_strings(u8 *data)
{
	memcpy(data, hpa_ethtool_names, sizeof(hpa_ethtool_names));
	return data + sizeof(hpa_ethtool_names);
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_ethtool_stats_strings, HPMM);

/**
 * hpa_pool_ethtool_stats() - a pool's statistics, for ethtool -S
 * @data: room for hpa_pool_ethtool_stats_count() values
 * @s: the pool's counters, from hpa_pool_snapshot()
 *
 * As page_pool_ethtool_stats_get(): for a driver's get_ethtool_stats(), in
 * the order of hpa_pool_ethtool_stats_strings().
 *
 * Return: @data past the values written.
 */
u64 *hpa_pool_ethtool_stats(u64 *data, const struct hpa_pool_snapshot *s)
{
	u64 *start = data;

	*data++ = s->st.cache;
	*data++ = s->st.ring;
	*data++ = s->st.backup;
	*data++ = s->st.inject;
	*data++ = s->st.fallback;
	*data++ = s->st.fail;
	*data++ = s->rst.direct;
	*data++ = s->rst.ring;
	*data++ = s->rst.ring_full;
	*data++ = s->rst.released;
	*data++ = s->st.scans;
	*data++ = s->st.reclaimed;
	*data++ = s->inflight;
	*data++ = s->nr_blocks;
	*data++ = s->nr_fallback;
	*data++ = s->peak_blocks;
	*data++ = s->nr_pages;
	*data++ = s->st.map_calls;
	*data++ = s->unmap_calls;
	*data++ = s->st.block_fail;
	*data++ = s->mode == HPA_MODE_INJECT;
	*data++ = s->st.mode_switches;
	*data++ = s->verify_errors;
	WARN_ON_ONCE(data - start != ARRAY_SIZE(hpa_ethtool_names));
	return data;
}
EXPORT_SYMBOL_NS_GPL(hpa_pool_ethtool_stats, HPMM);

/* ---- the component ------------------------------------------------------ */

static int hpa_init(struct dentry *root)
{
	int ret;

	memset(&hpa_totals, 0, sizeof(hpa_totals));
	memset(&hpa_last, 0, sizeof(hpa_last));
	hpa_registry_nr = 0;
	ret = hpa_pool_wq_init();
	if (ret)
		return ret;
	hpa_debugfs_init(root);
	return 0;
}

/*
 * No destroy can be deferred here (each holds the module), and every
 * client module that created pools is gone: a pool still registered was
 * left behind by its creator. It is destroyed now, waiting a second for
 * pages in flight (counted as forced when they do not come).
 */
static void hpa_exit(void)
{
	struct hpa_pool *pool;

	for (;;) {
		mutex_lock(&hpa_registry_lock);
		pool = list_first_entry_or_null(&hpa_registry, struct hpa_pool,
						node);
		mutex_unlock(&hpa_registry_lock);
		if (!pool)
			break;
		pr_err("pool %s was never destroyed by its creator\n",
		       pool->name);
		hpa_pool_destroy_sync(pool);
	}
	hpa_pool_wq_exit();
	hpa_debugfs_exit();
}

const struct hpmm_component hpmm_hpa_component = {
	.name = "hpa",
	.id = HPMM_COMP_HPA,
	.abi_bit = HPMM_COMPONENT_HPA,
	.init = hpa_init,
	.exit = hpa_exit,
	.ioctl_base = HPMM_CMD_HPA_BASE,
};
