// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs hpmm_test/hpa/: the control file that creates, drives and
 * destroys named pools (an HPA pool through hpmm.ko's exported API, or the
 * kernel's page_pool), each with a receive model; the benchmark; the check
 * of the API's argument validation; and the show files of what this module
 * owns (the models, the jail, the benchmark's results). The HPA pools' own
 * counters are hpmm.ko's: hpmm/hpa/pools/<name>/stats. Formats are
 * documented in Documentation/hpa.rst.
 */
#define pr_fmt(fmt) "hpmm_test: hpa: " fmt

#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../dev/dev.h"
#include "../hpmm.h"
#include "compat/mm.h"
#include "compat/page_pool.h"
#include "hpa_test.h"
#include "test.h"

/* Descriptors of a receive model. */
#define HPA_DESC_DEFAULT	1024
#define HPA_DESC_MAX		65536

static const char *const hpa_kind_names[] = { "hpa", "pp", NULL };
static const char *const hpa_backend_names[] = { "none", "cpu", "edu", NULL };

/* Serialises control commands and the list of entries. */
static DEFINE_MUTEX(hpa_test_lock);
static LIST_HEAD(hpa_entries);
static unsigned int hpa_nr_entries;
static struct dentry *hpa_pools_dir;
static struct hpa_bench_result hpa_bench_last;

static struct hpa_entry *hpa_entry_find(const char *name)
{
	struct hpa_entry *e;

	list_for_each_entry(e, &hpa_entries, node)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/*
 * The entry a command names: -ENOENT when there is none, -EBUSY when the
 * name is an HPA pool this module does not drive (one whose destroy waits
 * for pages in flight, or a driver's).
 */
static struct hpa_entry *hpa_entry_get(const char *name, int *err)
{
	struct hpa_entry *e = hpa_entry_find(name);

	*err = e ? 0 : hpa_pool_name_in_use(name) ? -EBUSY : -ENOENT;
	return e;
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

/* page_pool keeps no statistics in Debian's kernel: the model counts. */
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

/*
 * An entry's directory is removed (waiting for its readers) before the
 * entry is freed and its pool destroyed.
 */
static int pool_stats_show(struct seq_file *m, void *unused)
{
	struct hpa_entry *e = m->private;

	seq_printf(m, "name: %s\n", e->name);
	seq_printf(m, "kind: %s\n", hpa_kind_names[e->kind]);
	seq_printf(m, "dev: %u\n", e->hdev->index);
	seq_printf(m, "nid: %d\n", e->nid);
	if (e->kind == HPA_KIND_HPA)
		seq_printf(m, "pool_id: %u\n", e->pool_id);
	else
		hpa_show_pp(m, e);
	hpa_show_model(m, e);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

static int stats_show(struct seq_file *m, void *unused)
{
	unsigned int n;

	if (mutex_lock_killable(&hpa_test_lock))
		return -EINTR;
	n = hpa_nr_entries;
	mutex_unlock(&hpa_test_lock);
	seq_printf(m, "pools: %u\n", n);
	seq_printf(m, "jailed_pages: %llu\n", hpa_jail_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

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

	if (mutex_lock_killable(&hpa_test_lock))
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
	mutex_unlock(&hpa_test_lock);
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
		{ "order", 0, MAX_PAGE_ORDER, &order },
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
	if (hpa_config_check(c, MAX_PAGE_ORDER))
		return -EINVAL;
	if (nid != U64_MAX && !node_online(nid))
		return -EINVAL;

	/* Names are unique among this module's entries and HPA's pools. */
	if (hpa_entry_find(cmd->argv[1]) || hpa_pool_name_in_use(cmd->argv[1]))
		return -EEXIST;
	/* The model maps its wire page, page_pool its pages, on the device. */
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
	ret = hpa_model_init(e, desc);
	if (ret)
		goto err_entry;

	if (kind == HPA_KIND_HPA) {
		p.dev = &hdev->pdev->dev;
		p.nid = e->nid;
		p.sync_for_device = sync;
		e->hpa = hpa_pool_create(e->name, &p);
		if (IS_ERR(e->hpa)) {
			ret = PTR_ERR(e->hpa);
			goto err_model;
		}
		e->pool_id = e->hpa->id;
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
	hpa_nr_entries++;
	return 0;

err_model:
	kvfree(e->model.desc);
err_entry:
	hpmm_dev_dma_api_put(hdev);
	kfree(e);
	return ret;
}

/*
 * Tears the model down (its pages back to the pool, leaked ones to the
 * jail) and destroys the pool: an HPA pool with pages in flight is then
 * hpmm.ko's, which finishes its destroy when they come home, or, with
 * @detach, is unmapped and gone at once, its pages in flight left to the
 * jail (as a driver's remove leaves them to sockets). @remove_dir is false
 * at module exit, when main.c already removed hpmm_test/.
 */
static void hpa_entry_destroy(struct hpa_entry *e, bool remove_dir,
			      bool detach)
{
	if (remove_dir)
		debugfs_remove_recursive(e->dir);
	list_del(&e->node);
	hpa_nr_entries--;
	hpa_model_teardown(e);
	if (e->kind == HPA_KIND_HPA && detach)
		hpa_pool_destroy_detach(e->hpa);
	else if (e->kind == HPA_KIND_HPA)
		hpa_pool_destroy(e->hpa);
	else
		page_pool_destroy(e->pp);
	hpmm_dev_dma_api_put(e->hdev);
	kfree(e);
}

static int hpa_cmd_destroy(void *priv, struct hpmm_cmd *cmd)
{
	struct hpa_entry *e;
	u64 detach = 0;
	int ret;
	struct hpmm_kv tab[] = {
		{ "detach", 0, 1, &detach },
	};

	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 2, cmd->argv + 2))
		return -EINVAL;
	e = hpa_entry_get(cmd->argv[1], &ret);
	if (!e)
		return ret;
	/* page_pool has no such destroy. */
	if (detach && e->kind != HPA_KIND_HPA)
		return -EOPNOTSUPP;
	hpa_entry_destroy(e, true, detach);
	return 0;
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

	if (kstrtoull(cmd->argv[2], 0, &steps) || steps > (1ULL << 32))
		return -EINVAL;
	e = hpa_entry_find(cmd->argv[1]);
	if (e)
		c = e->model.cfg;
	else
		hpa_model_cfg_default(&c);
	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 3, cmd->argv + 3))
		return -EINVAL;
	mix.ring_ppm = c.ring_ppm;
	mix.hold_ppm = c.hold_ppm;
	mix.leak_ppm = c.leak_ppm;
	if (hpa_mix_check(&mix))
		return -EINVAL;
	e = hpa_entry_get(cmd->argv[1], &ret);
	if (!e)
		return ret;
	return hpa_model_run(e, steps, &c);
}

static int hpa_cmd_stress(void *priv, struct hpmm_cmd *cmd)
{
	unsigned long long steps;
	struct hpa_entry *e;
	int ret;

	if (kstrtoull(cmd->argv[2], 0, &steps) || steps > (1ULL << 32))
		return -EINVAL;
	e = hpa_entry_get(cmd->argv[1], &ret);
	if (!e)
		return ret;
	return hpa_model_stress(e, steps);
}

static int hpa_cmd_scan(void *priv, struct hpmm_cmd *cmd)
{
	struct hpa_entry *e;
	int ret;

	e = hpa_entry_get(cmd->argv[1], &ret);
	if (!e)
		return ret;
	if (e->kind != HPA_KIND_HPA)
		return -EOPNOTSUPP;
	/* The allocating side is ours: hpa_test_lock keeps the model still. */
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

/* check [dev=D]: hpa_api_check(), 0 or -EIO (the log says what failed). */
static int hpa_cmd_check(void *priv, struct hpmm_cmd *cmd)
{
	u64 dev = 0, detach = 0;
	struct hpmm_dev *hdev;
	int ret;
	struct hpmm_kv tab[] = {
		{ "dev", 0, 255, &dev },
		{ "detach", 0, 1, &detach },
	};

	if (hpmm_kv_parse(tab, ARRAY_SIZE(tab), cmd->argc - 1, cmd->argv + 1))
		return -EINVAL;
	hdev = hpa_dev_hold(dev, &ret);
	if (!hdev)
		return ret;
	ret = hpa_api_check(hdev, detach);
	hpmm_dev_dma_api_put(hdev);
	return ret;
}

static const struct hpmm_dbg_verb hpa_verbs[] = {
	{ "create", 3, HPMM_CMD_ARGS_MAX, hpa_cmd_create },
	{ "destroy", 2, 3, hpa_cmd_destroy },
	{ "run", 3, HPMM_CMD_ARGS_MAX, hpa_cmd_run },
	{ "stress", 3, 3, hpa_cmd_stress },
	{ "scan", 2, 2, hpa_cmd_scan },
	{ "bench", 1, HPMM_CMD_ARGS_MAX, hpa_cmd_bench },
	{ "check", 1, 3, hpa_cmd_check },
	{ }
};

static const struct hpmm_dbg_control hpa_control = {
	.verbs = hpa_verbs,
	.lock = &hpa_test_lock,
};

/* ---- the component ------------------------------------------------------ */

static int hpmm_test_hpa_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("hpa", root);

	memset(&hpa_bench_last, 0, sizeof(hpa_bench_last));
	hpa_nr_entries = 0;
	hpa_pools_dir = debugfs_create_dir("pools", dir);
	hpmm_dbg_create_control("control", dir, &hpa_control);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	debugfs_create_file("bench", 0444, dir, NULL, &bench_fops);
	return 0;
}

/*
 * main.c removed hpmm_test/ (waiting for its writers and readers) before
 * this. The models are torn down first and the jail drops what they
 * leaked, so that every page is home when the pools are destroyed: a
 * destroy then completes at once, and none is left deferred in hpmm.ko.
 */
static void hpmm_test_hpa_exit(void)
{
	struct hpa_entry *e, *tmp;

	mutex_lock(&hpa_test_lock);
	list_for_each_entry(e, &hpa_entries, node)
		hpa_model_teardown(e);
	hpa_jail_exit();
	list_for_each_entry_safe(e, tmp, &hpa_entries, node)
		hpa_entry_destroy(e, false, false);
	mutex_unlock(&hpa_test_lock);
}

const struct hpmm_test_component hpmm_test_hpa = {
	.name = "hpa",
	.init = hpmm_test_hpa_init,
	.exit = hpmm_test_hpa_exit,
};
