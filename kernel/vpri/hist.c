// SPDX-License-Identifier: GPL-2.0
/*
 * Log2 histograms for the fault round trip. Pure logic: builds into the
 * module and into host programs.
 */
#include <linux/bitops.h>
#include <linux/string.h>

#include "hist.h"

void vpri_hist_init(struct vpri_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = U64_MAX;
}

/**
 * vpri_hist_bucket_of() - the bucket a value falls in
 * @v: the value
 *
 * Return: floor(log2(@v)), 0 for 0 and 1.
 */
unsigned int vpri_hist_bucket_of(u64 v)
{
	return v ? (unsigned int)fls64(v) - 1 : 0;
}

void vpri_hist_add(struct vpri_hist *h, u64 v)
{
	h->bucket[vpri_hist_bucket_of(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/**
 * vpri_hist_quantile() - the value below which @num/@den of values lie
 * @h: the histogram
 * @num: numerator, e.g. 999 for P99.9
 * @den: denominator, e.g. 1000
 *
 * Return: the upper end of the bucket holding the value of rank
 * ceil(count * num / den), capped at the maximum; 0 when empty.
 */
u64 vpri_hist_quantile(const struct vpri_hist *h, u64 num, u64 den)
{
	u64 rank, seen = 0;
	unsigned int k;

	if (!h->count || !den)
		return 0;
	/* count < 2^40 in practice, num < den < 2^20: no overflow. */
	rank = (h->count * num + den - 1) / den;
	if (!rank)
		rank = 1;
	for (k = 0; k < VPRI_HIST_BUCKETS; k++) {
		seen += h->bucket[k];
		if (seen >= rank) {
			u64 upper = k >= 63 ? U64_MAX : (2ULL << k) - 1;

			return upper < h->max ? upper : h->max;
		}
	}
	return h->max;
}

u64 vpri_hist_mean(const struct vpri_hist *h)
{
	return h->count ? h->sum / h->count : 0;
}
