// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI in debugfs (not ABI; formats in Documentation/vpri.rst), a client
 * of the core that shows what it holds:
 *
 *   vpri/status    domains, pages pinned, statistics kept
 *   vpri/workers   faults served by each CPU's worker
 *   vpri/control   "forget": drop the statistics of destroyed domains
 *   vpri/<id>/     one directory per domain whose statistics are kept
 *                  (stats.c): info, stats, latency, rate, workers
 *
 * The PA-BITMAP micro-benchmark is hpmm_test.ko's (hpmm_test/vpri/).
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "vpri.h"

static struct dentry *vpri_dbg_root;

static int vpri_dbg_info_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	struct vpri_counters c;
	bool live;

	vpri_stats_counters(st, &c, &live);
	seq_printf(m, "id: %llu\n", st->id);
	seq_printf(m, "live: %d\n", live);
	seq_printf(m, "mode: %s\n", st->on_demand ? "ondemand" : "pin");
	seq_printf(m, "policy: %s\n", vpri_uapi_policy_name(st->policy));
	seq_printf(m, "nr_pages: %u\n", st->nr_pages);
	seq_printf(m, "budget: %u\n", st->budget);
	seq_printf(m, "target: %u\n", c.target);
	seq_printf(m, "elapsed_ms: %llu\n",
		   vpri_stats_elapsed_ns(st) / NSEC_PER_MSEC);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_info);

static u64 vpri_ppm(u64 part, u64 whole)
{
	return whole ? div64_u64(part * 1000000, whole) : 0;
}

static int vpri_dbg_stats_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	u64 elapsed = vpri_stats_elapsed_ns(st);
	struct vpri_counters ps;
	u64 pinned;
	bool live;

	vpri_stats_counters(st, &ps, &live);
	pinned = atomic64_read(&st->pinned);
	seq_printf(m, "live: %d\n", live);
	seq_printf(m, "mode: %s\n", st->on_demand ? "ondemand" : "pin");
	seq_printf(m, "policy: %s\n", vpri_uapi_policy_name(st->policy));
	seq_printf(m, "nr_pages: %u\n", st->nr_pages);
	seq_printf(m, "budget: %u\n", st->budget);
	seq_printf(m, "target: %u\n", ps.target);
	seq_printf(m, "requests: %lld\n", atomic64_read(&st->requests));
	seq_printf(m, "accesses: %llu\n", ps.accesses);
	seq_printf(m, "hits: %llu\n", ps.hits);
	seq_printf(m, "faults: %llu\n", ps.faults);
	seq_printf(m, "fault_requests: %lld\n",
		   atomic64_read(&st->fault_requests));
	seq_printf(m, "spurious: %lld\n", atomic64_read(&st->spurious));
	seq_printf(m, "fault_errors: %lld\n", atomic64_read(&st->fault_errors));
	seq_printf(m, "dma_errors: %lld\n", atomic64_read(&st->dma_errors));
	seq_printf(m, "pins: %lld\n", atomic64_read(&st->pins));
	seq_printf(m, "unpins: %lld\n", atomic64_read(&st->unpins));
	seq_printf(m, "evictions: %llu\n", ps.evictions);
	seq_printf(m, "releases: %llu\n", ps.releases);
	seq_printf(m, "invalidations: %lld\n",
		   atomic64_read(&st->invalidations));
	seq_printf(m, "revalidations: %lld\n",
		   atomic64_read(&st->revalidations));
	seq_printf(m, "young: %lld\n", atomic64_read(&st->young));
	seq_printf(m, "swapins: %lld\n", atomic64_read(&st->swapins));
	seq_printf(m, "scans: %llu\n", ps.scans);
	seq_printf(m, "marks: %llu\n", ps.marks);
	seq_printf(m, "choices: %llu\n", ps.choices);
	seq_printf(m, "chosen_newer: %llu\n", ps.chosen_newer);
	seq_printf(m, "mapped: %lld\n", atomic64_read(&st->mapped));
	seq_printf(m, "cpu_majflt: %llu\n", vpri_stats_majflt(st));
	seq_printf(m, "pinned: %llu\n", pinned);
	seq_printf(m, "pinned_peak: %u\n", ps.peak_pinned);
	seq_printf(m, "pinned_share_ppm: %llu\n", vpri_ppm(pinned, st->nr_pages));
	seq_printf(m, "pinned_peak_share_ppm: %llu\n",
		   vpri_ppm(ps.peak_pinned, st->nr_pages));
	seq_printf(m, "elapsed_ms: %llu\n", elapsed / NSEC_PER_MSEC);
	seq_printf(m, "faults_per_s: %llu\n",
		   elapsed ? div64_u64(ps.faults * NSEC_PER_SEC, elapsed) : 0);
	seq_printf(m, "bitmap_tests: %lld\n", atomic64_read(&st->bm_tests));
	seq_printf(m, "bitmap_test_ns_total: %lld\n",
		   atomic64_read(&st->bm_test_ns));
	seq_printf(m, "bitmap_updates: %lld\n", atomic64_read(&st->bm_updates));
	seq_printf(m, "bitmap_update_ns_total: %lld\n",
		   atomic64_read(&st->bm_update_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_stats);

static void vpri_hist_print(struct seq_file *m, const char *name,
			    const struct vpri_hist *h)
{
	unsigned int k;

	seq_printf(m, "%s.count: %llu\n", name, h->count);
	seq_printf(m, "%s.min_ns: %llu\n", name, h->count ? h->min : 0);
	seq_printf(m, "%s.mean_ns: %llu\n", name, vpri_hist_mean(h));
	seq_printf(m, "%s.max_ns: %llu\n", name, h->max);
	seq_printf(m, "%s.p50_ns: %llu\n", name, vpri_hist_quantile(h, 1, 2));
	seq_printf(m, "%s.p99_ns: %llu\n", name,
		   vpri_hist_quantile(h, 99, 100));
	seq_printf(m, "%s.p999_ns: %llu\n", name,
		   vpri_hist_quantile(h, 999, 1000));
	seq_printf(m, "%s.p9999_ns: %llu\n", name,
		   vpri_hist_quantile(h, 9999, 10000));
	for (k = 0; k < VPRI_HIST_BUCKETS; k++)
		if (h->bucket[k])
			seq_printf(m, "%s.b%u: %llu\n", name, k, h->bucket[k]);
}

static int vpri_dbg_latency_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	struct vpri_hist *h;

	h = kmalloc_array(3, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	spin_lock(&st->lock);
	h[0] = st->rt_all;
	h[1] = st->rt_swapin;
	h[2] = st->rt_noswap;
	spin_unlock(&st->lock);
	vpri_hist_print(m, "all", &h[0]);
	vpri_hist_print(m, "swapin", &h[1]);
	vpri_hist_print(m, "noswap", &h[2]);
	kfree(h);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_latency);

static int vpri_dbg_rate_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	u32 *bins, n, i;
	u64 bin_ns;

	bins = kmalloc_array(VPRI_RATE_BINS, sizeof(*bins), GFP_KERNEL);
	if (!bins)
		return -ENOMEM;
	spin_lock(&st->lock);
	n = st->nbins;
	bin_ns = st->bin_ns;
	memcpy(bins, st->bins, sizeof(st->bins));
	spin_unlock(&st->lock);
	seq_printf(m, "bin_ms: %llu\n", bin_ns / NSEC_PER_MSEC);
	seq_printf(m, "bins: %u\n", n);
	for (i = 0; i < n; i++)
		seq_printf(m, "%u: %u\n", i, bins[i]);
	kfree(bins);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_rate);

static int vpri_dbg_dom_workers_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%d: %lld\n", cpu,
			   atomic64_read(&st->worker_faults[cpu]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_dom_workers);

/**
 * vpri_debugfs_add_domain() - show a domain's statistics: vpri/<id>/
 * @st: the statistics, just created (stats.c)
 */
void vpri_debugfs_add_domain(struct vpri_stats *st)
{
	char name[24];

	snprintf(name, sizeof(name), "%llu", st->id);
	st->dir = debugfs_create_dir(name, vpri_dbg_root);
	debugfs_create_file("info", 0444, st->dir, st, &vpri_dbg_info_fops);
	debugfs_create_file("stats", 0444, st->dir, st, &vpri_dbg_stats_fops);
	debugfs_create_file("latency", 0444, st->dir, st,
			    &vpri_dbg_latency_fops);
	debugfs_create_file("rate", 0444, st->dir, st, &vpri_dbg_rate_fops);
	debugfs_create_file("workers", 0444, st->dir, st,
			    &vpri_dbg_dom_workers_fops);
}

/**
 * vpri_debugfs_remove_domain() - stop showing a domain's statistics
 * @st: the statistics, about to be freed
 *
 * Returns once no reader of vpri/<id>/ is left.
 */
void vpri_debugfs_remove_domain(struct vpri_stats *st)
{
	debugfs_remove_recursive(st->dir);
	st->dir = NULL;
}

static int vpri_dbg_status_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "domains: %u\n", vpri_live_domains());
	seq_printf(m, "pinned: %ld\n", atomic_long_read(&vpri_pinned_total));
	seq_printf(m, "stats_kept: %u\n", vpri_stats_count());
	seq_printf(m, "workers: %u\n", num_possible_cpus());
	seq_printf(m, "device_index: %u\n", VPRI_DEV_INDEX);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_status);

static int vpri_dbg_workers_show(struct seq_file *m, void *unused)
{
	int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%d: %llu\n", cpu, vpri_worker_served(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_dbg_workers);

/* forget */
static int vpri_cmd_forget(void *priv, struct hpmm_cmd *cmd)
{
	vpri_stats_forget();
	return 0;
}

static const struct hpmm_dbg_verb vpri_verbs[] = {
	{ "forget", 1, 1, vpri_cmd_forget },
	{ }
};

static const struct hpmm_dbg_control vpri_control = {
	.verbs = vpri_verbs,
};

/**
 * vpri_debugfs_init() - create vpri/ under hpmm's debugfs root
 * @root: the root
 *
 * Return: vpri/, for the files of other parts of VPRI.
 */
struct dentry *vpri_debugfs_init(struct dentry *root)
{
	vpri_dbg_root = debugfs_create_dir("vpri", root);
	debugfs_create_file("status", 0444, vpri_dbg_root, NULL,
			    &vpri_dbg_status_fops);
	debugfs_create_file("workers", 0444, vpri_dbg_root, NULL,
			    &vpri_dbg_workers_fops);
	hpmm_dbg_create_control("control", vpri_dbg_root, &vpri_control);
	return vpri_dbg_root;
}

/**
 * vpri_debugfs_exit() - remove vpri/, waiting for its readers
 */
void vpri_debugfs_exit(void)
{
	debugfs_remove_recursive(vpri_dbg_root);
	vpri_dbg_root = NULL;
}
