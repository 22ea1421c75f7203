/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HPA bookkeeping with no kernel dependencies: limits and defaults of the
 * pool parameters, "key=value" argument tables, the normal/inject mode
 * machine, block geometry, the receive model's action mix and its delay
 * lines. book.c builds into the module and into host Google Test binaries.
 */
#ifndef _HPMM_HPA_BOOK_H
#define _HPMM_HPA_BOOK_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

/* The largest alloc cache (direct-inject fills it up to this). */
#define HPA_CACHE_MAX		1024
/* Pages moved into the alloc cache per refill, as PP_ALLOC_CACHE_REFILL. */
#define HPA_REFILL		64
/* page_pool's ptr_ring limit, kept for the recycle ring. */
#define HPA_RING_MAX		16384
/* The most pages one pool may own (2 GiB of 4 KiB pages). */
#define HPA_PAGES_MAX		BIT(19)

#define HPA_DEFAULT_ORDER	9
#define HPA_DEFAULT_CACHE	128
#define HPA_DEFAULT_RING	1024
#define HPA_DEFAULT_BACKUP	16384
#define HPA_DEFAULT_SCAN	256

/* Pool names: 1 to HPA_NAME_MAX characters of [A-Za-z0-9_-]. */
#define HPA_NAME_MAX		31

/**
 * struct hpa_config - the numeric parameters of a pool, device aside
 * @ring_size: recycle ring entries (1..HPA_RING_MAX)
 * @cache_size: alloc cache entries a direct recycle may fill
 *	(1..HPA_CACHE_MAX); direct-inject fills the cache up to HPA_CACHE_MAX
 * @order: block order (0..@max_order); 9 gives 2 MiB blocks
 * @backup_pages: backup ring entries, which is also the most pages the pool
 *	may own: blocks are added only while they fit
 * @scan_interval: allocations between two reclaim scans at most, so a
 *	depleted pool does not rescan its blocks on every allocation
 * @verify: track every page's state with atomic bits and count misuse
 *	(a page handed out twice, a foreign page put); costs atomics, so off
 *	by default and on in tests
 */
struct hpa_config {
	u32 ring_size;
	u32 cache_size;
	u32 order;
	u32 backup_pages;
	u32 scan_interval;
	u32 verify;
};

void hpa_config_default(struct hpa_config *c);
int hpa_config_check(const struct hpa_config *c, u32 max_order);

/**
 * enum hpa_mode - where a new block's pages go
 * @HPA_MODE_NORMAL: into the backup ring
 * @HPA_MODE_INJECT: straight into the alloc cache, because the backup ring
 *	was found depleted (a leaky consumer keeps pages away)
 */
enum hpa_mode {
	HPA_MODE_NORMAL,
	HPA_MODE_INJECT,
};

enum hpa_mode hpa_mode_on_depleted(enum hpa_mode mode, bool ever_grown);
enum hpa_mode hpa_mode_after_recycle(enum hpa_mode mode, u32 backup_count);
const char *hpa_mode_name(enum hpa_mode mode);

bool hpa_scan_due(u64 allocs, u64 last_scan, u32 interval, bool forced);

/**
 * enum hpa_grow - how the pool may add memory
 * @HPA_GROW_BLOCK: a whole block fits under the limit
 * @HPA_GROW_PAGE: only single pages fit
 * @HPA_GROW_NONE: the pool owns as many pages as it may
 */
enum hpa_grow {
	HPA_GROW_BLOCK,
	HPA_GROW_PAGE,
	HPA_GROW_NONE,
};

enum hpa_grow hpa_grow_check(u32 nr_pages, u32 max_pages, u32 order);
u32 hpa_inject_split(u32 cache_count, u32 pages);

u64 hpa_page_iova(u64 block_iova, u64 base_pfn, u64 pfn, u32 page_shift);
s64 hpa_inflight(u64 hold, u64 release);

/**
 * enum hpa_action - what the model's "stack" does with a received page
 * @HPA_ACT_DIRECT: recycles it at once into the alloc cache (XDP_DROP)
 * @HPA_ACT_RING: recycles it through the ptr_ring (another context)
 * @HPA_ACT_HOLD: holds it for a while, then recycles it through the ring
 * @HPA_ACT_LEAK: takes a reference the pool cannot see, gives the page
 *	back, and drops the reference much later
 */
enum hpa_action {
	HPA_ACT_DIRECT,
	HPA_ACT_RING,
	HPA_ACT_HOLD,
	HPA_ACT_LEAK,
};

#define HPA_PPM 1000000U

/**
 * struct hpa_mix - probabilities of the stack's actions, parts per million
 * @ring_ppm: HPA_ACT_RING
 * @hold_ppm: HPA_ACT_HOLD
 * @leak_ppm: HPA_ACT_LEAK
 *
 * HPA_ACT_DIRECT takes what is left of HPA_PPM.
 */
struct hpa_mix {
	u32 ring_ppm;
	u32 hold_ppm;
	u32 leak_ppm;
};

int hpa_mix_check(const struct hpa_mix *mix);
enum hpa_action hpa_mix_pick(const struct hpa_mix *mix, u32 rnd);
u32 hpa_prng_next(u64 *state);

/**
 * struct hpa_fifo - a delay line: pointers that leave in arrival order
 *	once their due step has come
 * @slot: @size pointers
 * @due: @size due steps
 * @size: capacity
 * @head: index of the oldest entry
 * @count: entries held
 */
struct hpa_fifo {
	void **slot;
	u64 *due;
	u32 size;
	u32 head;
	u32 count;
};

void hpa_fifo_init(struct hpa_fifo *f, void **slot, u64 *due, u32 size);
int hpa_fifo_push(struct hpa_fifo *f, void *ptr, u64 due);
void *hpa_fifo_pop_due(struct hpa_fifo *f, u64 now);
void *hpa_fifo_pop(struct hpa_fifo *f);

#endif /* _HPMM_HPA_BOOK_H */
