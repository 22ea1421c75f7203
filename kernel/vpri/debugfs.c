// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI in debugfs (not ABI; formats in Documentation/vpri.rst):
 *
 *   vpri/status    domains, pages pinned, statistics kept
 *   vpri/workers   faults served by each CPU's worker
 *   vpri/control   "bench PAGES ITERS": PA-BITMAP micro-benchmark;
 *                  "forget": drop the statistics of destroyed domains
 *   vpri/bench     the last micro-benchmark's result
 *   vpri/<id>/     one directory per domain, kept for the last
 *                  VPRI_RETIRED_MAX destroyed ones: info, stats, latency,
 *                  rate, workers
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "vpri.h"

/* Every statistics object, live domains' and retired ones', oldest first. */
static LIST_HEAD(vpri_stats_list);
static struct dentry *vpri_dbg_root;

/**
 * struct vpri_bench - the last PA-BITMAP micro-benchmark
 * @pages: bitmap size
 * @iters: operations of each kind
 * @loop_ps: picoseconds per iteration of the loop alone (reading an index)
 * @test_ps: picoseconds per present-bit test, loop included
 * @update_ps: picoseconds per present-bit update (set or test-and-clear,
 *	alternately), loop included
 */
struct vpri_bench {
	u32 pages;
	u64 iters;
	u64 loop_ps;
	u64 test_ps;
	u64 update_ps;
};

static DEFINE_MUTEX(vpri_bench_lock);
static struct vpri_bench vpri_bench_last;

/* Pins of the live domain, or the snapshot taken at destruction. */
static void vpri_stats_pin_set(struct vpri_stats *st, struct vpri_pin_set_stats *ps,
			    u32 *target, bool *live)
{
	spin_lock(&st->lock);
	*live = st->dom;
	if (st->dom) {
		spin_lock(&st->dom->plock);
		*ps = st->dom->ps.st;
		*target = st->dom->ps.target;
		spin_unlock(&st->dom->plock);
	} else {
		*ps = st->final;
		*target = st->final_target;
	}
	spin_unlock(&st->lock);
}

static u64 vpri_stats_elapsed_ns(struct vpri_stats *st)
{
	u64 end = READ_ONCE(st->end_ns);

	return (end ? end : ktime_get_ns()) - st->start_ns;
}

static int info_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	struct vpri_pin_set_stats ps;
	u32 target;
	bool live;

	vpri_stats_pin_set(st, &ps, &target, &live);
	seq_printf(m, "id: %llu\n", st->id);
	seq_printf(m, "live: %d\n", live);
	seq_printf(m, "policy: %s\n", vpri_policy_name(st->policy));
	seq_printf(m, "nr_pages: %u\n", st->nr_pages);
	seq_printf(m, "budget: %u\n", st->budget);
	seq_printf(m, "target: %u\n", target);
	seq_printf(m, "elapsed_ms: %llu\n", vpri_stats_elapsed_ns(st) / NSEC_PER_MSEC);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static u64 vpri_ppm(u64 part, u64 whole)
{
	return whole ? div64_u64(part * 1000000, whole) : 0;
}

static int stats_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	u64 elapsed = vpri_stats_elapsed_ns(st);
	struct vpri_pin_set_stats ps;
	u64 pinned;
	u32 target;
	bool live;

	vpri_stats_pin_set(st, &ps, &target, &live);
	pinned = atomic64_read(&st->pinned);
	seq_printf(m, "live: %d\n", live);
	seq_printf(m, "policy: %s\n", vpri_policy_name(st->policy));
	seq_printf(m, "nr_pages: %u\n", st->nr_pages);
	seq_printf(m, "budget: %u\n", st->budget);
	seq_printf(m, "target: %u\n", target);
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
	seq_printf(m, "swapins: %lld\n", atomic64_read(&st->swapins));
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
DEFINE_SHOW_ATTRIBUTE(stats);

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

static int latency_show(struct seq_file *m, void *unused)
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
DEFINE_SHOW_ATTRIBUTE(latency);

static int rate_show(struct seq_file *m, void *unused)
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
DEFINE_SHOW_ATTRIBUTE(rate);

static int dom_workers_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *st = m->private;
	int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%d: %lld\n", cpu,
			   atomic64_read(&st->worker_faults[cpu]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dom_workers);

/**
 * vpri_stats_create() - statistics and debugfs vpri/<id>/ for a new domain
 * @id: the domain id
 * @policy: its policy
 * @nr_pages: its size
 * @budget: its pin budget
 *
 * Called with vpri_mutex held.
 *
 * Return: the statistics, or NULL without memory.
 */
struct vpri_stats *vpri_stats_create(u64 id, enum vpri_policy_id policy,
				     u32 nr_pages, u32 budget)
{
	struct vpri_stats *st;
	char name[24];

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return NULL;
	st->worker_faults = kcalloc(nr_cpu_ids, sizeof(*st->worker_faults),
				    GFP_KERNEL);
	if (!st->worker_faults) {
		kfree(st);
		return NULL;
	}
	st->id = id;
	st->policy = policy;
	st->nr_pages = nr_pages;
	st->budget = budget;
	st->start_ns = ktime_get_ns();
	st->bin_ns = VPRI_RATE_BIN_NS;
	spin_lock_init(&st->lock);
	vpri_hist_init(&st->rt_all);
	vpri_hist_init(&st->rt_swapin);
	vpri_hist_init(&st->rt_noswap);

	snprintf(name, sizeof(name), "%llu", id);
	st->dir = debugfs_create_dir(name, vpri_dbg_root);
	debugfs_create_file("info", 0444, st->dir, st, &info_fops);
	debugfs_create_file("stats", 0444, st->dir, st, &stats_fops);
	debugfs_create_file("latency", 0444, st->dir, st, &latency_fops);
	debugfs_create_file("rate", 0444, st->dir, st, &rate_fops);
	debugfs_create_file("workers", 0444, st->dir, st, &dom_workers_fops);
	list_add_tail(&st->node, &vpri_stats_list);
	return st;
}

static void vpri_stats_free(struct vpri_stats *st)
{
	/* Waits for readers of its files; they take no VPRI mutex. */
	debugfs_remove_recursive(st->dir);
	kfree(st->worker_faults);
	kfree(st);
}

/**
 * vpri_stats_destroy() - remove statistics at once (failed registration)
 * @st: the statistics; vpri_mutex held
 */
void vpri_stats_destroy(struct vpri_stats *st)
{
	list_del(&st->node);
	vpri_stats_free(st);
}

/**
 * vpri_stats_retire() - a domain is being destroyed: keep its statistics
 * @st: its statistics
 * @dom: the domain, still allocated; its pin set's counters are copied
 *
 * Keeps the VPRI_RETIRED_MAX most recent retired statistics and frees the
 * older ones. Called with vpri_mutex held.
 */
void vpri_stats_retire(struct vpri_stats *st, struct vpri_domain *dom)
{
	struct vpri_stats *s, *tmp;
	unsigned int retired = 0;

	spin_lock(&st->lock);
	spin_lock(&dom->plock);
	st->final = dom->ps.st;
	st->final_target = dom->ps.target;
	spin_unlock(&dom->plock);
	st->dom = NULL;
	spin_unlock(&st->lock);
	WRITE_ONCE(st->end_ns, ktime_get_ns());

	list_for_each_entry(s, &vpri_stats_list, node)
		if (!READ_ONCE(s->dom) && s->end_ns)
			retired++;
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		if (retired <= VPRI_RETIRED_MAX)
			break;
		if (READ_ONCE(s->dom) || !s->end_ns)
			continue;
		list_del(&s->node);
		vpri_stats_free(s);
		retired--;
	}
}

/**
 * vpri_stats_fault() - record a served fault
 * @st: the domain's statistics
 * @now_ns: when it completed (ktime_get_ns)
 * @rt_ns: its round trip
 * @swapin: its pin swapped the page in
 */
void vpri_stats_fault(struct vpri_stats *st, u64 now_ns, u64 rt_ns,
		      bool swapin)
{
	u64 bin;
	u32 i;

	spin_lock(&st->lock);
	vpri_hist_add(&st->rt_all, rt_ns);
	vpri_hist_add(swapin ? &st->rt_swapin : &st->rt_noswap, rt_ns);
	bin = now_ns > st->start_ns ? div64_u64(now_ns - st->start_ns,
						st->bin_ns) : 0;
	/* Full: merge bins pairwise and double their width. */
	while (bin >= VPRI_RATE_BINS) {
		for (i = 0; i < VPRI_RATE_BINS / 2; i++)
			st->bins[i] = st->bins[2 * i] + st->bins[2 * i + 1];
		memset(&st->bins[VPRI_RATE_BINS / 2], 0,
		       sizeof(st->bins) / 2);
		st->nbins = (st->nbins + 1) / 2;
		st->bin_ns *= 2;
		bin /= 2;
	}
	st->bins[bin]++;
	if (bin + 1 > st->nbins)
		st->nbins = bin + 1;
	spin_unlock(&st->lock);
}

/* Drops the statistics of every destroyed domain. */
void vpri_stats_forget_all(void)
{
	struct vpri_stats *s, *tmp;

	mutex_lock(&vpri_mutex);
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		if (READ_ONCE(s->dom) || !s->end_ns)
			continue;
		list_del(&s->node);
		vpri_stats_free(s);
	}
	mutex_unlock(&vpri_mutex);
}

static int status_show(struct seq_file *m, void *unused)
{
	struct vpri_stats *s;
	unsigned int kept = 0;

	mutex_lock(&vpri_mutex);
	list_for_each_entry(s, &vpri_stats_list, node)
		kept++;
	mutex_unlock(&vpri_mutex);
	seq_printf(m, "domains: %u\n", vpri_live_domains());
	seq_printf(m, "pinned: %ld\n", atomic_long_read(&vpri_pinned_total));
	seq_printf(m, "stats_kept: %u\n", kept);
	seq_printf(m, "workers: %u\n", num_possible_cpus());
	seq_printf(m, "device_index: %u\n", VPRI_DEV_INDEX);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int workers_show(struct seq_file *m, void *unused)
{
	int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%d: %llu\n", cpu, vpri_worker_served(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(workers);

static int bench_show(struct seq_file *m, void *unused)
{
	struct vpri_bench b;

	mutex_lock(&vpri_bench_lock);
	b = vpri_bench_last;
	mutex_unlock(&vpri_bench_lock);
	seq_printf(m, "pages: %u\n", b.pages);
	seq_printf(m, "iters: %llu\n", b.iters);
	seq_printf(m, "loop_ps: %llu\n", b.loop_ps);
	seq_printf(m, "test_ps: %llu\n", b.test_ps);
	seq_printf(m, "update_ps: %llu\n", b.update_ps);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench);

static u64 vpri_ps_per_op(u64 ns, u64 ops)
{
	return ops ? div64_u64(ns * 1000, ops) : 0;
}

#define VPRI_BENCH_MAX_ITERS	100000000ULL
#define VPRI_BENCH_CHUNK	65536

/*
 * Times present-bit tests and updates on random pages of a @pages-page
 * bitmap: @iters of each, in chunks over one precomputed array of page
 * indexes (so index generation costs the same in every loop), after one
 * warm-up chunk. loop_ps is the same walk reading the indexes only.
 */
static int vpri_bitmap_bench(u32 pages, u64 iters)
{
	struct vpri_bench b = { .pages = pages, .iters = iters };
	u64 t0, loop = 0, test = 0, update = 0, i;
	struct vpri_bitmap bm;
	unsigned long sink = 0;
	u32 *idx, x = 1, j;
	int ret, pass;

	if (!pages || pages > (HPMM_VPRI_MAX_LENGTH >> PAGE_SHIFT) || !iters ||
	    iters > VPRI_BENCH_MAX_ITERS)
		return -EINVAL;
	idx = kvmalloc_array(VPRI_BENCH_CHUNK, sizeof(*idx), GFP_KERNEL);
	if (!idx)
		return -ENOMEM;
	ret = vpri_bitmap_init(&bm, pages);
	if (ret) {
		kvfree(idx);
		return ret;
	}
	for (j = 0; j < VPRI_BENCH_CHUNK; j++) {
		x = x * 1664525u + 1013904223u;
		idx[j] = (x >> 8) % pages;
	}
	/* Half the pages present, as in a pin set under pressure. */
	for (j = 0; j < pages; j += 2)
		vpri_bitmap_set_present(&bm, j);

	for (pass = 0, i = 0; i < iters; pass++) {
		u32 n = min_t(u64, VPRI_BENCH_CHUNK, iters - i);
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

	b.loop_ps = vpri_ps_per_op(loop, iters);
	b.test_ps = vpri_ps_per_op(test, iters);
	b.update_ps = vpri_ps_per_op(update, iters);
	mutex_lock(&vpri_bench_lock);
	vpri_bench_last = b;
	mutex_unlock(&vpri_bench_lock);
	return 0;
}

/* bench PAGES ITERS */
static int vpri_cmd_bench(void *priv, struct hpmm_cmd *cmd)
{
	u32 pages;
	u64 iters;

	if (kstrtou32(cmd->argv[1], 0, &pages) ||
	    kstrtou64(cmd->argv[2], 0, &iters))
		return -EINVAL;
	return vpri_bitmap_bench(pages, iters);
}

static int vpri_cmd_forget(void *priv, struct hpmm_cmd *cmd)
{
	vpri_stats_forget_all();
	return 0;
}

static const struct hpmm_dbg_verb vpri_verbs[] = {
	{ "bench", 3, 3, vpri_cmd_bench },
	{ "forget", 1, 1, vpri_cmd_forget },
	{ }
};

static const struct hpmm_dbg_control vpri_control = {
	.verbs = vpri_verbs,
};

int vpri_debugfs_init(struct dentry *root)
{
	vpri_dbg_root = debugfs_create_dir("vpri", root);
	debugfs_create_file("status", 0444, vpri_dbg_root, NULL, &status_fops);
	debugfs_create_file("workers", 0444, vpri_dbg_root, NULL,
			    &workers_fops);
	hpmm_dbg_create_control("control", vpri_dbg_root, &vpri_control);
	debugfs_create_file("bench", 0444, vpri_dbg_root, NULL, &bench_fops);
	memset(&vpri_bench_last, 0, sizeof(vpri_bench_last));
	return 0;
}

void vpri_debugfs_exit(void)
{
	struct vpri_stats *s, *tmp;

	debugfs_remove_recursive(vpri_dbg_root);
	mutex_lock(&vpri_mutex);
	list_for_each_entry_safe(s, tmp, &vpri_stats_list, node) {
		list_del(&s->node);
		kfree(s->worker_faults);
		kfree(s);
	}
	mutex_unlock(&vpri_mutex);
}
