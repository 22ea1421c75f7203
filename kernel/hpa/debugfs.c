// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs hpa/: the control file that creates, drives and destroys named
 * pools (HPA or the kernel's page_pool, each with a receive model), the show
 * files, and the component that main.c registers. Formats are documented in
 * Documentation/hpa.rst.
 */
#define pr_fmt(fmt) "hpmm: hpa: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/page_pool.h>
#include <uapi/hpmm.h>

#include "../dev/dev.h"
#include "../hpmm.h"
#include "hpa.h"
#include "model.h"

/* Descriptors of a receive model. */
#define HPA_DESC_DEFAULT	1024
#define HPA_DESC_MAX		65536

static const char *const hpa_kind_names[] = { "hpa", "pp", NULL };
static const char *const hpa_backend_names[] = { "none", "cpu", "edu", NULL };
static const char *const hpa_state_names[] = {
	[HPA_ALIVE] = "alive",
	[HPA_DEFERRED] = "deferred",
	[HPA_DESTROYED] = "destroyed",
};

/* Serialises control commands and the list of entries. */
static DEFINE_MUTEX(hpa_lock);
static LIST_HEAD(hpa_entries);
static struct dentry *hpa_dir;
static struct dentry *hpa_pools_dir;
static struct hpa_bench_result hpa_bench_last;

/**
 * struct hpa_last_destroy - the last completed destroy of an HPA pool
 * @valid: one completed
 * @name: the pool's name
 * @deferred: it had to wait for pages in flight
 * @snap: its counters at the end
 * @report: what the destroy found
 */
struct hpa_last_destroy {
	bool valid;
	char name[HPA_NAME_MAX + 1];
	bool deferred;
	struct hpa_pool_snapshot snap;
	struct hpa_destroy_report report;
};

static DEFINE_SPINLOCK(hpa_last_lock);
static struct hpa_last_destroy hpa_last;

static struct hpa_entry *hpa_entry_find(const char *name)
{
	struct hpa_entry *e;

	list_for_each_entry(e, &hpa_entries, node)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/* ---- show files ---------------------------------------------------------- */

static void hpa_show_model(struct seq_file *m, struct hpa_entry *e)
{
	const struct hpa_model_stats *st = &e->model.st;
	const struct hpa_model_cfg *c = &e->model.cfg;

	seq_printf(m, "model_desc: %u\n", e->model.nr_desc);
	seq_printf(m, "model_backend: %s\n", hpa_backend_names[c->backend]);
	seq_printf(m, "model_len: %llu\n", c->len);
	seq_printf(m, "model_steps: %llu\n", st->steps);
	seq_printf(m, "model_dma_ops: %llu\n", st->dma_ops);
	seq_printf(m, "model_dma_bytes: %llu\n", st->dma_bytes);
	seq_printf(m, "model_dma_errors: %llu\n", st->dma_errors);
	seq_printf(m, "model_data_errors: %llu\n", st->data_errors);
	seq_printf(m, "model_alloc_fail: %llu\n", st->alloc_fail);
	seq_printf(m, "model_direct: %llu\n", st->direct);
	seq_printf(m, "model_ring: %llu\n", st->ring);
	seq_printf(m, "model_hold: %llu\n", st->hold);
	seq_printf(m, "model_leak: %llu\n", st->leak);
	seq_printf(m, "model_leak_dropped: %llu\n", st->leak_dropped);
	seq_printf(m, "model_leak_jailed: %llu\n", st->leak_jailed);
	seq_printf(m, "model_held: %u\n", READ_ONCE(e->model.hold.count));
	seq_printf(m, "model_leaked: %u\n", READ_ONCE(e->model.leak.count));
	seq_printf(m, "model_run_ns: %llu\n", st->run_ns);
	seq_printf(m, "model_run_steps: %llu\n", st->run_steps);
}

static void hpa_show_hpa(struct seq_file *m, struct hpa_entry *e)
{
	struct hpa_pool_snapshot s;
	const struct hpa_config *c;
	bool dead;

	spin_lock(&e->lock);
	dead = e->dead;
	if (dead)
		s = e->final;
	else
		hpa_pool_snapshot(e->hpa, &s);
	c = dead ? NULL : &e->hpa->p.cfg;
	if (c) {
		seq_printf(m, "order: %u\n", c->order);
		seq_printf(m, "cache_size: %u\n", c->cache_size);
		seq_printf(m, "ring_size: %u\n", c->ring_size);
		seq_printf(m, "backup_size: %u\n", c->backup_pages);
		seq_printf(m, "scan_interval: %u\n", c->scan_interval);
		seq_printf(m, "verify: %u\n", c->verify);
	}
	spin_unlock(&e->lock);

	seq_printf(m, "pool_id: %u\n", s.id);
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
}

static void hpa_show_pp(struct seq_file *m, struct hpa_entry *e)
{
	const struct hpa_model_stats *st = &e->model.st;
	struct hpa_twin_snapshot s;

	hpa_twin_snapshot(e->pp, &s);
	seq_puts(m, "order: 0\n");
	seq_printf(m, "cache_size: %d\n", PP_ALLOC_CACHE_SIZE);
	seq_printf(m, "ring_size: %u\n", e->pp_ring);
	seq_printf(m, "alloc_cache: %llu\n", st->pp_cache);
	seq_printf(m, "alloc_ring: %llu\n", st->pp_ring);
	seq_printf(m, "alloc_slow: %llu\n", st->pp_slow);
	seq_printf(m, "cache_count: %u\n", s.cache_count);
	seq_printf(m, "pages: %llu\n", s.hold - s.release);
	seq_printf(m, "iova_ranges: %llu\n", s.hold - s.release);
	seq_printf(m, "map_calls: %llu\n", s.hold);
	seq_printf(m, "unmap_calls: %llu\n", s.release);
	seq_puts(m, "destroy_state: alive\n");
}

static int pool_stats_show(struct seq_file *m, void *unused)
{
	struct hpa_entry *e = m->private;

	seq_printf(m, "name: %s\n", e->name);
	seq_printf(m, "kind: %s\n", hpa_kind_names[e->kind]);
	seq_printf(m, "device: %u\n", e->hdev->index);
	seq_printf(m, "nid: %d\n", e->nid);
	if (e->kind == HPA_KIND_HPA)
		hpa_show_hpa(m, e);
	else
		hpa_show_pp(m, e);
	hpa_show_model(m, e);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

static int stats_show(struct seq_file *m, void *unused)
{
	struct hpa_entry *e;
	unsigned int n = 0;

	if (mutex_lock_killable(&hpa_lock))
		return -EINTR;
	list_for_each_entry(e, &hpa_entries, node)
		n++;
	mutex_unlock(&hpa_lock);

	seq_printf(m, "pools: %u\n", n);
	seq_printf(m, "created: %lld\n", atomic64_read(&hpa_totals.created));
	seq_printf(m, "destroyed: %lld\n", atomic64_read(&hpa_totals.destroyed));
	seq_printf(m, "deferred: %lld\n", atomic64_read(&hpa_totals.deferred));
	seq_printf(m, "forced: %lld\n", atomic64_read(&hpa_totals.forced));
	seq_printf(m, "jailed_pages: %llu\n", hpa_jail_count());
	seq_printf(m, "iova_checked: %lld\n",
		   atomic64_read(&hpa_totals.iova_checked));
	seq_printf(m, "iova_mapped: %lld\n",
		   atomic64_read(&hpa_totals.iova_mapped));
	seq_printf(m, "withheld: %lld\n", atomic64_read(&hpa_totals.withheld));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int last_destroy_show(struct seq_file *m, void *unused)
{
	struct hpa_last_destroy *d;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	spin_lock(&hpa_last_lock);
	*d = hpa_last;
	spin_unlock(&hpa_last_lock);

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
	seq_printf(m, "retries: %llu\n", d->report.retries);
	seq_printf(m, "wait_ms: %llu\n", d->report.wait_ms);
	kfree(d);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(last_destroy);

static void hpa_show_ps(struct seq_file *m, const char *path, const char *what,
			u64 ps)
{
	seq_printf(m, "%s_%s_ns: %llu.%02llu\n", path, what, ps / 1000,
		   (ps % 1000) / 10);
}

static int bench_show(struct seq_file *m, void *unused)
{
	const struct hpa_bench_result *r = &hpa_bench_last;
	int i;

	if (mutex_lock_killable(&hpa_lock))
		return -EINTR;
	seq_printf(m, "valid: %d\n", r->valid);
	seq_printf(m, "n: %llu\n", r->n);
	seq_printf(m, "reps: %llu\n", r->reps);
	for (i = 0; r->valid && i < HPA_BENCH_NR; i++) {
		const struct hpa_bench_path *p = &r->path[i];
		const char *name = hpa_bench_names[i];

		if (!p->ops)
			continue;
		seq_printf(m, "%s_ops: %llu\n", name, p->ops);
		hpa_show_ps(m, name, "hpa", p->hpa_ps);
		hpa_show_ps(m, name, "pp", p->pp_ps);
		hpa_show_ps(m, name, "hpa_min", p->hpa_min_ps);
		hpa_show_ps(m, name, "pp_min", p->pp_min_ps);
	}
	mutex_unlock(&hpa_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench);

/* ---- entries ------------------------------------------------------------ */

/*
 * Device @index for use through the DMA API, released with
 * hpmm_dev_dma_api_put(); NULL with *@ret -ENODEV (no such device) or
 * -EBUSY (VPRI owns its IOMMU domain).
 */
static struct hpmm_dev *hpa_dev_hold(u64 index, int *ret)
{
	struct hpmm_dev *hdev = hpmm_dev_get(index);

	if (!hdev) {
		*ret = -ENODEV;
		return NULL;
	}
	*ret = hpmm_dev_dma_api_get(hdev);
	return *ret ? NULL : hdev;
}

static void hpa_entry_free(struct hpa_entry *e)
{
	debugfs_remove_recursive(e->dir);
	kvfree(e->model.desc);
	hpmm_dev_dma_api_put(e->hdev);
	kfree(e);
}

static void hpa_entry_reap(struct work_struct *work)
{
	struct hpa_entry *e = container_of(work, struct hpa_entry, reap);

	mutex_lock(&hpa_lock);
	list_del(&e->node);
	mutex_unlock(&hpa_lock);
	hpa_entry_free(e);
}

/* The pool's destroy completed: keep its last counters, forget the pool. */
static void hpa_entry_destroyed(struct hpa_pool *pool, void *arg,
				bool deferred)
{
	struct hpa_entry *e = arg;

	spin_lock(&hpa_last_lock);
	hpa_last.valid = true;
	strscpy(hpa_last.name, e->name, sizeof(hpa_last.name));
	hpa_last.deferred = deferred;
	hpa_pool_snapshot(pool, &hpa_last.snap);
	hpa_last.report = pool->report;
	spin_unlock(&hpa_last_lock);

	spin_lock(&e->lock);
	hpa_pool_snapshot(pool, &e->final);
	e->dead = true;
	e->hpa = NULL;
	spin_unlock(&e->lock);

	if (deferred)
		hpa_queue_work(&e->reap);
}

static int hpa_cmd_create(void *priv, struct hpmm_cmd *cmd)
{
	u64 kind, dev = 0, sync = 0, desc = HPA_DESC_DEFAULT, nid = U64_MAX;
	struct hpa_pool_params p = { .dma_dir = DMA_FROM_DEVICE };
	struct hpa_config *c = &p.cfg;
	u64 ring, cache, order, backup, scan, verify;
	struct hpmm_dev *hdev;
	struct hpa_entry *e;
	int ret;
	struct hpmm_kv tab[] = {
		{ "dev", 0, 255, &dev },
		{ "ring", 1, HPA_RING_MAX, &ring },
		{ "cache", 1, HPA_CACHE_MAX, &cache },
		{ "order", 0, MAX_ORDER - 1, &order },
		{ "backup", 1, HPA_PAGES_MAX, &backup },
		{ "scan", 1, U32_MAX, &scan },
		{ "verify", 0, 1, &verify },
		{ "sync", 0, 1, &sync },
		{ "desc", 1, HPA_DESC_MAX, &desc },
		{ "nid", 0, MAX_NUMNODES - 1, &nid },
	};
	struct hpmm_kv kind_kv = { "kind", 0, 1, &kind, hpa_kind_names };
	char kind_word[16];
	char *kind_argv[1] = { kind_word };

	if (cmd->argc < 3 || !hpmm_name_valid(cmd->argv[1], HPA_NAME_MAX))
		return -EINVAL;
	if (snprintf(kind_word, sizeof(kind_word), "kind=%s", cmd->argv[2]) >=
	    sizeof(kind_word) || hpmm_kv_parse(&kind_kv, 1, 1, kind_argv))
		return -EINVAL;
	hpa_config_default(c);
	ring = c->ring_size;
	cache = c->cache_size;
	order = c->order;
	backup = c->backup_pages;
	scan = c->scan_interval;
	verify = c->verify;
	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 3, cmd->argv + 3))
		return -EINVAL;
	c->ring_size = ring;
	c->cache_size = cache;
	c->order = order;
	c->backup_pages = backup;
	c->scan_interval = scan;
	c->verify = verify;
	if (hpa_config_check(c, MAX_ORDER - 1))
		return -EINVAL;
	if (nid != U64_MAX && !node_online(nid))
		return -EINVAL;

	if (hpa_entry_find(cmd->argv[1]))
		return -EEXIST;
	/* Its blocks are mapped with the DMA API. */
	hdev = hpa_dev_hold(dev, &ret);
	if (!hdev)
		return ret;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		hpmm_dev_dma_api_put(hdev);
		return -ENOMEM;
	}
	strscpy(e->name, cmd->argv[1], sizeof(e->name));
	e->kind = kind;
	e->hdev = hdev;
	e->nid = nid == U64_MAX ? dev_to_node(&hdev->pdev->dev) : (int)nid;
	spin_lock_init(&e->lock);
	INIT_WORK(&e->reap, hpa_entry_reap);
	ret = hpa_model_init(e, desc);
	if (ret)
		goto err_entry;

	if (kind == HPA_KIND_HPA) {
		p.dev = &hdev->pdev->dev;
		p.nid = e->nid;
		p.sync_for_device = sync;
		p.destroyed = hpa_entry_destroyed;
		p.destroyed_arg = e;
		e->hpa = hpa_pool_create(&p);
		if (IS_ERR(e->hpa)) {
			ret = PTR_ERR(e->hpa);
			goto err_model;
		}
	} else {
		e->pp_ring = ring;
		e->pp = hpa_twin_create(hdev, e->nid, ring, sync);
		if (IS_ERR(e->pp)) {
			ret = PTR_ERR(e->pp);
			goto err_model;
		}
	}

	e->dir = debugfs_create_dir(e->name, hpa_pools_dir);
	debugfs_create_file("stats", 0444, e->dir, e, &pool_stats_fops);
	list_add_tail(&e->node, &hpa_entries);
	return 0;

err_model:
	kvfree(e->model.desc);
err_entry:
	hpmm_dev_dma_api_put(hdev);
	kfree(e);
	return ret;
}

/* Tears the model down and destroys the pool; the entry may be reaped. */
static void hpa_entry_destroy(struct hpa_entry *e, bool sync)
{
	e->destroying = true;
	hpa_model_teardown(e);
	if (e->kind == HPA_KIND_PP) {
		/* No reader may see the page_pool go (it frees itself). */
		debugfs_remove_recursive(e->dir);
		e->dir = NULL;
		page_pool_destroy(e->pp);
		e->pp = NULL;
		list_del(&e->node);
		hpa_entry_free(e);
		return;
	}
	if (sync)
		hpa_pool_destroy_sync(e->hpa);
	else
		hpa_pool_destroy(e->hpa);
	/* Completed at once: the entry goes now; else hpa_entry_reap(). */
	if (READ_ONCE(e->dead)) {
		list_del(&e->node);
		hpa_entry_free(e);
	}
}

static struct hpa_entry *hpa_entry_get_live(const char *name, int *err)
{
	struct hpa_entry *e = hpa_entry_find(name);

	*err = !e ? -ENOENT : e->destroying ? -EBUSY : 0;
	return *err ? NULL : e;
}

static int hpa_cmd_destroy(void *priv, struct hpmm_cmd *cmd)
{
	struct hpa_entry *e;
	int ret;

	if (cmd->argc != 2)
		return -EINVAL;
	e = hpa_entry_get_live(cmd->argv[1], &ret);
	if (e)
		hpa_entry_destroy(e, false);
	return ret;
}

static int hpa_cmd_run(void *priv, struct hpmm_cmd *cmd)
{
	struct hpa_model_cfg c;
	struct hpa_entry *e;
	struct hpa_mix mix;
	unsigned long long steps;
	int ret;
	struct hpmm_kv tab[] = {
		{ "backend", 0, 2, &c.backend, hpa_backend_names },
		{ "len", 1, HPMM_DEV_DMA_MAX, &c.len },
		{ "ring_ppm", 0, HPA_PPM, &c.ring_ppm },
		{ "hold_ppm", 0, HPA_PPM, &c.hold_ppm },
		{ "leak_ppm", 0, HPA_PPM, &c.leak_ppm },
		{ "hold_steps", 0, (1U << 18) - 1, &c.hold_steps },
		{ "leak_steps", 0, (1U << 18) - 1, &c.leak_steps },
		{ "leak_ms", 0, 600000, &c.leak_ms },
		{ "seed", 0, U64_MAX, &c.seed },
		{ "verify_data", 0, 1, &c.verify_data },
	};

	if (cmd->argc < 3 || kstrtoull(cmd->argv[2], 0, &steps) ||
	    steps > (1ULL << 32))
		return -EINVAL;
	e = hpa_entry_find(cmd->argv[1]);
	c = e ? e->model.cfg : (struct hpa_model_cfg){};
	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 3, cmd->argv + 3))
		return -EINVAL;
	mix.ring_ppm = c.ring_ppm;
	mix.hold_ppm = c.hold_ppm;
	mix.leak_ppm = c.leak_ppm;
	if (hpa_mix_check(&mix))
		return -EINVAL;
	e = hpa_entry_get_live(cmd->argv[1], &ret);
	if (!e)
		return ret;
	return hpa_model_run(e, steps, &c);
}

static int hpa_cmd_stress(void *priv, struct hpmm_cmd *cmd)
{
	unsigned long long steps;
	struct hpa_entry *e;
	int ret;

	if (cmd->argc != 3 || kstrtoull(cmd->argv[2], 0, &steps) ||
	    steps > (1ULL << 32))
		return -EINVAL;
	e = hpa_entry_get_live(cmd->argv[1], &ret);
	if (!e)
		return ret;
	return hpa_model_stress(e, steps);
}

static int hpa_cmd_scan(void *priv, struct hpmm_cmd *cmd)
{
	struct hpa_entry *e;
	int ret;

	if (cmd->argc != 2)
		return -EINVAL;
	e = hpa_entry_get_live(cmd->argv[1], &ret);
	if (!e)
		return ret;
	if (e->kind != HPA_KIND_HPA)
		return -EOPNOTSUPP;
	/* The allocating side is ours: hpa_lock keeps the model still. */
	local_bh_disable();
	hpa_pool_scan(e->hpa);
	local_bh_enable();
	return 0;
}

static int hpa_cmd_bench(void *priv, struct hpmm_cmd *cmd)
{
	u64 n = 1000000, reps = 5, dev = 0, mask = BIT(HPA_BENCH_NR) - 1;
	struct hpmm_dev *hdev;
	int ret;
	struct hpmm_kv tab[] = {
		{ "n", 1024, 1ULL << 30, &n },
		{ "reps", 1, 15, &reps },
		{ "dev", 0, 255, &dev },
		{ "paths", 1, BIT(HPA_BENCH_NR) - 1, &mask },
	};

	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 1, cmd->argv + 1))
		return -EINVAL;
	hdev = hpa_dev_hold(dev, &ret);
	if (!hdev)
		return ret;
	ret = hpa_bench_run(hdev, n, reps, mask, &hpa_bench_last);
	hpmm_dev_dma_api_put(hdev);
	return ret;
}

static const struct hpmm_dbg_verb hpa_verbs[] = {
	{ "create", 3, HPMM_CMD_ARGS_MAX, hpa_cmd_create },
	{ "destroy", 2, 2, hpa_cmd_destroy },
	{ "run", 3, HPMM_CMD_ARGS_MAX, hpa_cmd_run },
	{ "stress", 3, 3, hpa_cmd_stress },
	{ "scan", 2, 2, hpa_cmd_scan },
	{ "bench", 1, HPMM_CMD_ARGS_MAX, hpa_cmd_bench },
	{ }
};

static const struct hpmm_dbg_control hpa_control = {
	.verbs = hpa_verbs,
	.lock = &hpa_lock,
};

/* ---- the component ------------------------------------------------------ */

static int hpa_init(struct dentry *root)
{
	int ret;

	ret = hpa_pool_module_init();
	if (ret)
		return ret;
	memset(&hpa_bench_last, 0, sizeof(hpa_bench_last));
	memset(&hpa_last, 0, sizeof(hpa_last));
	hpa_dir = debugfs_create_dir("hpa", root);
	hpa_pools_dir = debugfs_create_dir("pools", hpa_dir);
	hpmm_dbg_create_control("control", hpa_dir, &hpa_control);
	debugfs_create_file("stats", 0444, hpa_dir, NULL, &stats_fops);
	debugfs_create_file("last_destroy", 0444, hpa_dir, NULL,
			    &last_destroy_fops);
	debugfs_create_file("bench", 0444, hpa_dir, NULL, &bench_fops);
	return 0;
}

/*
 * No destroy is deferred here (each holds the module). Models are torn
 * down first, then the jail drops what they leaked, so every page is home
 * when the pools are destroyed.
 */
static void hpa_exit(void)
{
	struct hpa_entry *e, *tmp;

	mutex_lock(&hpa_lock);
	list_for_each_entry(e, &hpa_entries, node)
		if (!e->destroying)
			hpa_model_teardown(e);
	hpa_jail_exit();
	list_for_each_entry_safe(e, tmp, &hpa_entries, node)
		if (!e->destroying)
			hpa_entry_destroy(e, true);
	mutex_unlock(&hpa_lock);
	/* Runs the reaps of destroys that completed in the workqueue. */
	hpa_pool_module_exit();
	debugfs_remove_recursive(hpa_dir);
}

const struct hpmm_component hpmm_hpa_component = {
	.name = "hpa",
	.id = HPMM_COMP_HPA,
	.abi_bit = HPMM_COMPONENT_HPA,
	.init = hpa_init,
	.exit = hpa_exit,
	.ioctl_base = HPMM_CMD_HPA_BASE,
};
