/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HPA's tests in hpmm_test.ko: a NIC receive model that runs on an HPA pool
 * (through hpmm.ko's exported API, as a driver would) or on the kernel's own
 * page_pool, the CPU-cost benchmark, the jail of leaked pages, the check of
 * the API's argument validation, and the debugfs control that drives them
 * (hpmm_test/hpa/, Documentation/hpa.rst). Private to kernel/test/hpa_*.c.
 */
#ifndef _HPMM_TEST_HPA_TEST_H
#define _HPMM_TEST_HPA_TEST_H

#include <linux/list.h>
#include <linux/types.h>

#include "../hpa/hpa.h"
#include "hpa_rxstack.h"

struct dentry;
struct hpmm_dev;
struct page;
struct page_pool;

/**
 * enum hpa_kind - which allocator a pool entry runs on
 * @HPA_KIND_HPA: an HPA pool (hpmm.ko, kernel/hpa/)
 * @HPA_KIND_PP: the kernel's page_pool, PP_FLAG_DMA_MAP, order 0
 */
enum hpa_kind {
	HPA_KIND_HPA,
	HPA_KIND_PP,
};

/* Model backends: no device access, the CPU backend, or edu DMA. */
enum hpa_backend {
	HPA_BACKEND_NONE,
	HPA_BACKEND_CPU,
	HPA_BACKEND_EDU,
};

/**
 * struct hpa_model_cfg - how the receive model behaves; u64 for parsing
 * @backend: enum hpa_backend of the device access per received packet
 * @len: bytes the device writes into each page (1..4095)
 * @ring_ppm: share of pages the stack recycles through the ring
 * @hold_ppm: share it holds for @hold_steps steps, then recycles
 * @leak_ppm: share it leaks: a reference the pool cannot see, dropped
 *	@leak_steps steps later (or @leak_ms after the model stops)
 * @hold_steps: steps a held page stays away
 * @leak_steps: steps a leaked page stays away
 * @leak_ms: how long leaked pages stay away once the model is torn down
 * @seed: random seed (0: a fixed default)
 * @verify_data: each packet is a pattern the device first reads from a
 *	page of the model, then writes into the pool page; the model compares
 *
 * The rest of HPA_PPM is recycled directly into the alloc cache.
 */
struct hpa_model_cfg {
	u64 backend;
	u64 len;
	u64 ring_ppm;
	u64 hold_ppm;
	u64 leak_ppm;
	u64 hold_steps;
	u64 leak_steps;
	u64 leak_ms;
	u64 seed;
	u64 verify_data;
};

/**
 * struct hpa_model_stats - what the model did
 * @steps: packets received
 * @dma_ops: device accesses into pool pages
 * @dma_bytes: bytes written by them
 * @dma_errors: accesses that failed (a CPU-backend access fails when the
 *	page's IOVA does not translate)
 * @data_errors: packets whose data arrived wrong
 * @alloc_fail: descriptors left empty because allocation failed
 * @direct: pages recycled directly
 * @ring: pages recycled through the ring
 * @hold: pages held for a while
 * @leak: pages leaked
 * @leak_dropped: leaked pages dropped by the model
 * @leak_jailed: leaked pages handed to the timed jail at teardown
 * @pp_cache: (page_pool) allocations its alloc cache served
 * @pp_ring: (page_pool) allocations that refilled from its ring
 * @pp_slow: (page_pool) allocations that went to the page allocator
 * @run_ns: duration of the last run command
 * @run_steps: steps of the last run command
 */
struct hpa_model_stats {
	u64 steps;
	u64 dma_ops;
	u64 dma_bytes;
	u64 dma_errors;
	u64 data_errors;
	u64 alloc_fail;
	u64 direct;
	u64 ring;
	u64 hold;
	u64 leak;
	u64 leak_dropped;
	u64 leak_jailed;
	u64 pp_cache;
	u64 pp_ring;
	u64 pp_slow;
	u64 run_ns;
	u64 run_steps;
};

/**
 * struct hpa_model - a receive ring and the stack behind it
 * @nr_desc: descriptors
 * @desc: the page posted to each descriptor (NULL when refill failed)
 * @hold: pages the stack holds, due for recycling
 * @leak: pages leaked, due to be dropped
 * @step: packets received so far
 * @rng: random state
 * @cfg: behaviour
 * @st: counters
 * @wire: with verify_data, the page holding the packet the device reads
 * @wire_dma: its device address
 */
struct hpa_model {
	u32 nr_desc;
	struct page **desc;
	struct hpa_fifo hold;
	struct hpa_fifo leak;
	u64 step;
	u64 rng;
	struct hpa_model_cfg cfg;
	struct hpa_model_stats st;
	struct page *wire;
	dma_addr_t wire_dma;
};

/**
 * struct hpa_entry - a named pool of hpmm_test/hpa/pools/, with its model
 * @node: entry in the list of entries (hpa_control.c)
 * @name: its name and debugfs directory; an HPA pool is registered in
 *	hpmm.ko under the same name
 * @kind: HPA or page_pool
 * @hdev: the DMA device, held for DMA-API use while the entry lives
 * @hpa: the HPA pool (@kind HPA), until the entry's destroy hands it to
 *	hpa_pool_destroy()
 * @pool_id: its id (tracepoints, hpmm/hpa/pools/<name>/stats)
 * @pp: the page_pool (@kind PP)
 * @pp_ring: the page_pool's ring size
 * @nid: NUMA node
 * @model: the receive model
 * @dir: debugfs hpmm_test/hpa/pools/<name>/
 */
struct hpa_entry {
	struct list_head node;
	char name[HPA_NAME_MAX + 1];
	enum hpa_kind kind;
	struct hpmm_dev *hdev;
	struct hpa_pool *hpa;
	u32 pool_id;
	struct page_pool *pp;
	u32 pp_ring;
	int nid;
	struct hpa_model model;
	struct dentry *dir;
};

/* hpa_rxmodel.c */
void hpa_model_cfg_default(struct hpa_model_cfg *cfg);
int hpa_model_init(struct hpa_entry *e, u32 nr_desc);
int hpa_model_run(struct hpa_entry *e, u64 steps,
		  const struct hpa_model_cfg *cfg);
int hpa_model_stress(struct hpa_entry *e, u64 steps);
void hpa_model_teardown(struct hpa_entry *e);
struct page *hpa_entry_alloc(struct hpa_entry *e, gfp_t gfp);
void hpa_entry_put(struct hpa_entry *e, struct page *page, bool allow_direct);
dma_addr_t hpa_entry_dma(struct hpa_entry *e, struct page *page);

/* hpa_jail.c: leaked pages of torn-down models, dropped after a time */
u32 hpa_jail_take(struct hpa_fifo *leak, unsigned int ms);
u64 hpa_jail_count(void);
void hpa_jail_exit(void);

/* hpa_api_check.c */
int hpa_api_check(struct hpmm_dev *hdev, bool detach);

/* hpa_pp_twin.c: the kernel's page_pool */
struct page_pool *hpa_twin_create(struct hpmm_dev *hdev, int nid,
				  u32 ring_size, bool sync);

/**
 * struct hpa_twin_snapshot - a page_pool's own counters
 * @hold: pages it took from the page allocator and mapped
 * @release: pages it unmapped and gave up
 * @cache_count: pages in its alloc cache
 * @ring_empty: its ring is empty
 */
struct hpa_twin_snapshot {
	u64 hold;
	u64 release;
	u32 cache_count;
	bool ring_empty;
};

void hpa_twin_snapshot(struct page_pool *pp, struct hpa_twin_snapshot *s);

/* hpa_bench.c */

/**
 * struct hpa_bench_path - one path's CPU cost, both pools
 * @ops: alloc+recycle pairs per measurement
 * @hpa_ps: HPA, picoseconds per pair (median over repetitions)
 * @pp_ps: page_pool, picoseconds per pair (median)
 * @hpa_min_ps: HPA, best repetition
 * @pp_min_ps: page_pool, best repetition
 */
struct hpa_bench_path {
	u64 ops;
	u64 hpa_ps;
	u64 pp_ps;
	u64 hpa_min_ps;
	u64 pp_min_ps;
};

enum {
	HPA_BENCH_CACHE,
	HPA_BENCH_RING,
	HPA_BENCH_BACKUP,
	HPA_BENCH_INJECT,
	HPA_BENCH_NR,
};

/**
 * struct hpa_bench_result - the last benchmark
 * @valid: a benchmark completed
 * @n: pairs per measurement on the cache and ring paths
 * @reps: repetitions, alternating HPA and page_pool
 * @path: results by HPA_BENCH_*
 */
struct hpa_bench_result {
	bool valid;
	u64 n;
	u64 reps;
	struct hpa_bench_path path[HPA_BENCH_NR];
};

extern const char *const hpa_bench_names[HPA_BENCH_NR];
int hpa_bench_run(struct hpmm_dev *hdev, u64 n, u64 reps, u64 mask,
		  struct hpa_bench_result *res);

#endif /* _HPMM_TEST_HPA_TEST_H */
