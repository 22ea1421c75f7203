/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive model's network stack, as pure decisions: which action the
 * stack takes for a received page (a mix in parts per million), the random
 * numbers that pick it, and the delay lines that hold pages for a number of
 * steps. hpa_rxstack.c includes only kernel headers that the host layer
 * (tools/include/linux/) also provides.
 */
#ifndef _HPMM_TEST_HPA_RXSTACK_H
#define _HPMM_TEST_HPA_RXSTACK_H

#include <linux/errno.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_TEST_HPA_RXSTACK_H */
