/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log2 histogram of durations in nanoseconds: bucket k counts values in
 * [2^k, 2^(k+1)) (bucket 0 also holds 0). Percentiles are reported as the
 * upper end of the bucket that holds them, capped at the largest value
 * seen, so they never understate. Pure logic: builds into the module and
 * into host programs; the caller serialises updates.
 */
#ifndef _HPMM_VPRI_HIST_H
#define _HPMM_VPRI_HIST_H

#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VPRI_HIST_BUCKETS 64

/**
 * struct vpri_hist - a log2 histogram
 * @bucket: counts, bucket k holding values in [2^k, 2^(k+1))
 * @count: values added
 * @sum: their sum
 * @min: the smallest (U64_MAX while empty)
 * @max: the largest
 */
struct vpri_hist {
	u64 bucket[VPRI_HIST_BUCKETS];
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
};

void vpri_hist_init(struct vpri_hist *h);
void vpri_hist_add(struct vpri_hist *h, u64 v);
unsigned int vpri_hist_bucket_of(u64 v);
u64 vpri_hist_quantile(const struct vpri_hist *h, u64 num, u64 den);
u64 vpri_hist_mean(const struct vpri_hist *h);

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_VPRI_HIST_H */
