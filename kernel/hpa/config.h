/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HPA's pool parameters (limits, defaults, checks), the normal/inject mode
 * machine and block geometry: pure decisions with no kernel dependency.
 * config.c includes only kernel headers that the host layer
 * (tools/include/linux/) also provides, so it builds unchanged into hpmm.ko
 * and into the host Google Test suite (tools/tests/hpa_config_test.cpp).
 */
#ifndef _HPMM_HPA_CONFIG_H
#define _HPMM_HPA_CONFIG_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/*
 * Pool names, as registered and shown in debugfs hpa/pools/: 1 to
 * HPA_NAME_MAX characters of [A-Za-z0-9_-] (hpmm_name_valid()).
 */
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

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_HPA_CONFIG_H */
