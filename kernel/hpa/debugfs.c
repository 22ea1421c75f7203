// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs hpa/: a read-only client of HPA's core. It shows the module-wide
 * totals (stats), the last completed destroy (last_destroy) and every
 * registered pool's counters (pools/<name>/stats), whoever created the pool.
 * Pools are created, driven and destroyed by their owners (a driver, or
 * hpmm_test.ko's debugfs hpmm_test/hpa/control). Formats are documented in
 * Documentation/hpa.rst; debugfs is not ABI.
 */
#define pr_fmt(fmt) "hpmm: hpa: " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hpa.h"
#include "internal.h"

static const char *const hpa_state_names[] = {
	[HPA_ALIVE] = "alive",
	[HPA_DEFERRED] = "deferred",
	[HPA_DESTROYED] = "destroyed",
};

static struct dentry *hpa_dir;
static struct dentry *hpa_pools_dir;

/*
 * A pool's directory is removed (waiting for its readers) before the pool
 * is freed, so a reader may use the pool it was created with.
 */
static int pool_stats_show(struct seq_file *m, void *unused)
{
	struct hpa_pool *pool = m->private;
	const struct hpa_config *c = &pool->p.cfg;
	struct hpa_pool_snapshot s;

	hpa_pool_snapshot(pool, &s);
	seq_printf(m, "name: %s\n", pool->name);
	seq_printf(m, "pool_id: %u\n", s.id);
	seq_printf(m, "device: %s\n", dev_name(pool->p.dev));
	seq_printf(m, "nid: %d\n", pool->p.nid);
	seq_printf(m, "order: %u\n", c->order);
	seq_printf(m, "cache_size: %u\n", c->cache_size);
	seq_printf(m, "ring_size: %u\n", c->ring_size);
	seq_printf(m, "backup_size: %u\n", c->backup_pages);
	seq_printf(m, "scan_interval: %u\n", c->scan_interval);
	seq_printf(m, "verify: %u\n", c->verify);
	seq_printf(m, "sync: %u\n", pool->p.sync_for_device);
	seq_printf(m, "mode: %s\n", hpa_mode_name(s.mode));
	seq_printf(m, "alloc_cache: %llu\n", s.st.cache);
	seq_printf(m, "alloc_ring: %llu\n", s.st.ring);
	seq_printf(m, "alloc_backup: %llu\n", s.st.backup);
	seq_printf(m, "alloc_inject: %llu\n", s.st.inject);
	seq_printf(m, "alloc_fallback: %llu\n", s.st.fallback);
	seq_printf(m, "alloc_fail: %llu\n", s.st.fail);
	seq_printf(m, "allocs: %llu\n", s.allocs);
	seq_printf(m, "ring_pages: %llu\n", s.st.ring_pages);
	seq_printf(m, "backup_pages: %llu\n", s.st.backup_pages);
	seq_printf(m, "inject_pages: %llu\n", s.st.inject_pages);
	seq_printf(m, "recycle_direct: %llu\n", s.rst.direct);
	seq_printf(m, "recycle_ring: %llu\n", s.rst.ring);
	seq_printf(m, "recycle_ring_full: %llu\n", s.rst.ring_full);
	seq_printf(m, "released: %llu\n", s.rst.released);
	seq_printf(m, "scans: %llu\n", s.st.scans);
	seq_printf(m, "reclaimed: %llu\n", s.st.reclaimed);
	seq_printf(m, "inflight: %lld\n", s.inflight);
	seq_printf(m, "cache_count: %u\n", s.cache_count);
	seq_printf(m, "backup_count: %u\n", s.backup_count);
	seq_printf(m, "blocks: %u\n", s.nr_blocks);
	seq_printf(m, "fallback_pages: %u\n", s.nr_fallback);
	seq_printf(m, "peak_blocks: %u\n", s.peak_blocks);
	seq_printf(m, "pages: %u\n", s.nr_pages);
	seq_printf(m, "iova_ranges: %u\n", s.nr_blocks + s.nr_fallback);
	seq_printf(m, "map_calls: %llu\n", s.st.map_calls);
	seq_printf(m, "unmap_calls: %llu\n", s.unmap_calls);
	seq_printf(m, "block_fail: %llu\n", s.st.block_fail);
	seq_printf(m, "mode_switches: %llu\n", s.st.mode_switches);
	seq_printf(m, "verify_errors: %llu\n", s.verify_errors);
	seq_printf(m, "destroy_state: %s\n", hpa_state_names[s.state]);
	seq_printf(m, "destroy_inflight: %llu\n", s.destroy_inflight);
	seq_printf(m, "destroy_retries: %llu\n", s.retries);
	seq_printf(m, "destroy_ms: %llu\n", s.destroy_ms);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

static int stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "pools: %u\n", hpa_registry_count());
	seq_printf(m, "created: %lld\n", atomic64_read(&hpa_totals.created));
	seq_printf(m, "destroyed: %lld\n", atomic64_read(&hpa_totals.destroyed));
	seq_printf(m, "deferred: %lld\n", atomic64_read(&hpa_totals.deferred));
	seq_printf(m, "forced: %lld\n", atomic64_read(&hpa_totals.forced));
	seq_printf(m, "iova_checked: %lld\n",
		   atomic64_read(&hpa_totals.iova_checked));
	seq_printf(m, "iova_mapped: %lld\n",
		   atomic64_read(&hpa_totals.iova_mapped));
	seq_printf(m, "withheld: %lld\n", atomic64_read(&hpa_totals.withheld));
	seq_printf(m, "detached: %lld\n", atomic64_read(&hpa_totals.detached));
	seq_printf(m, "orphaned: %lld\n", atomic64_read(&hpa_totals.orphaned));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int last_destroy_show(struct seq_file *m, void *unused)
{
	struct hpa_last_destroy *d;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	hpa_last_destroy_read(d);
	seq_printf(m, "valid: %d\n", d->valid);
	seq_printf(m, "name: %s\n", d->valid ? d->name : "-");
	seq_printf(m, "deferred: %d\n", d->deferred);
	seq_printf(m, "allocs: %llu\n", d->snap.allocs);
	seq_printf(m, "peak_blocks: %u\n", d->snap.peak_blocks);
	seq_printf(m, "reclaimed: %llu\n", d->snap.st.reclaimed);
	seq_printf(m, "alloc_fail: %llu\n", d->snap.st.fail);
	seq_printf(m, "verify_errors: %llu\n", d->snap.verify_errors);
	seq_printf(m, "blocks: %llu\n", d->report.blocks);
	seq_printf(m, "pages_freed: %llu\n", d->report.pages);
	seq_printf(m, "iova_checked: %llu\n", d->report.iova_checked);
	seq_printf(m, "iova_mapped: %llu\n", d->report.iova_mapped);
	seq_printf(m, "iova_skipped: %llu\n", d->report.iova_skipped);
	seq_printf(m, "withheld: %llu\n", d->report.withheld);
	seq_printf(m, "orphaned: %llu\n", d->report.orphaned);
	seq_printf(m, "retries: %llu\n", d->report.retries);
	seq_printf(m, "wait_ms: %llu\n", d->report.wait_ms);
	kfree(d);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(last_destroy);

/* A pool was registered: hpa/pools/<name>/stats. */
void hpa_debugfs_pool_add(struct hpa_pool *pool)
{
	pool->dbg_dir = debugfs_create_dir(pool->name, hpa_pools_dir);
	debugfs_create_file("stats", 0444, pool->dbg_dir, pool,
			    &pool_stats_fops);
}

/* A pool leaves the registry; returns once no reader uses it. */
void hpa_debugfs_pool_del(struct hpa_pool *pool)
{
	debugfs_remove_recursive(pool->dbg_dir);
	pool->dbg_dir = NULL;
}

void hpa_debugfs_init(struct dentry *root)
{
	hpa_dir = debugfs_create_dir("hpa", root);
	hpa_pools_dir = debugfs_create_dir("pools", hpa_dir);
	debugfs_create_file("stats", 0444, hpa_dir, NULL, &stats_fops);
	debugfs_create_file("last_destroy", 0444, hpa_dir, NULL,
			    &last_destroy_fops);
}

/* Every pool is gone (core.c). */
void hpa_debugfs_exit(void)
{
	debugfs_remove_recursive(hpa_dir);
}
