/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HPA inside hpmm.ko: what pool.c (the mechanism), core.c (the registry of
 * pools, module-wide totals, the last destroy, the component) and debugfs.c
 * (a read-only client) share. Drivers include hpa.h only.
 */
#ifndef _HPMM_HPA_INTERNAL_H
#define _HPMM_HPA_INTERNAL_H

#include <linux/atomic.h>
#include <linux/types.h>

#include "hpa.h"

struct dentry;
struct device;

/**
 * struct hpa_totals - module-wide destroy results
 * @created: pools created
 * @destroyed: destroys completed
 * @deferred: destroys waiting in the workqueue now; drops only once the
 *	pool is gone from the registry and from debugfs
 * @iova_checked: IOVA pages looked up after unmap, all destroys
 * @iova_mapped: of those, pages that still translated (must stay 0)
 * @withheld: pages never freed because they still translated, all destroys
 * @orphaned: pages left to their holders, unmapped, all destroys
 * @detached: hpa_pool_destroy_detach() calls that found pages in flight
 * @forced: destroys that could not wait for pages in flight (a pool left
 *	registered at module exit)
 */
struct hpa_totals {
	atomic64_t created;
	atomic64_t destroyed;
	atomic64_t deferred;
	atomic64_t iova_checked;
	atomic64_t iova_mapped;
	atomic64_t withheld;
	atomic64_t orphaned;
	atomic64_t detached;
	atomic64_t forced;
};

extern struct hpa_totals hpa_totals;

/**
 * struct hpa_last_destroy - the last completed destroy of a pool
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

/* core.c */
int hpa_registry_add(struct hpa_pool *pool);
void hpa_registry_del(struct hpa_pool *pool, bool deferred);
unsigned int hpa_registry_count(void);
void hpa_last_destroy_read(struct hpa_last_destroy *d);
int hpa_dev_hold(struct device *dev, struct hpmm_dev **hdev);
void hpa_dev_put(struct hpmm_dev *hdev);

/* pool.c */
int hpa_pool_wq_init(void);
void hpa_pool_wq_exit(void);
void hpa_pool_destroy_sync(struct hpa_pool *pool);

/* debugfs.c */
void hpa_debugfs_init(struct dentry *root);
void hpa_debugfs_exit(void);
void hpa_debugfs_pool_add(struct hpa_pool *pool);
void hpa_debugfs_pool_del(struct hpa_pool *pool);

#endif /* _HPMM_HPA_INTERNAL_H */
