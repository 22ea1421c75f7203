// SPDX-License-Identifier: GPL-2.0
/*
 * The receive model's network stack (hpa_rxstack.h): what it does with a
 * received page, its reproducible random numbers and its delay lines. Pure:
 * built into hpmm_test.ko and into the host Google Test suite
 * (tools/tests/hpa_rxstack_test.cpp).
 */
#include "hpa_rxstack.h"

/**
 * hpa_mix_check() - is an action mix a probability distribution
 * @mix: the mix
 *
 * Return: 0, or -EINVAL when its parts exceed HPA_PPM.
 */
int hpa_mix_check(const struct hpa_mix *mix)
{
	u64 sum = (u64)mix->ring_ppm + mix->hold_ppm + mix->leak_ppm;

	return sum <= HPA_PPM ? 0 : -EINVAL;
}

/**
 * hpa_mix_pick() - choose the stack's action for one page
 * @mix: the mix (checked)
 * @rnd: a uniformly random number
 *
 * Return: the action; leak, hold and ring take the low parts of
 * [0, HPA_PPM), direct what is left.
 */
enum hpa_action hpa_mix_pick(const struct hpa_mix *mix, u32 rnd)
{
	u32 r = rnd % HPA_PPM;

	if (r < mix->leak_ppm)
		return HPA_ACT_LEAK;
	r -= mix->leak_ppm;
	if (r < mix->hold_ppm)
		return HPA_ACT_HOLD;
	r -= mix->hold_ppm;
	if (r < mix->ring_ppm)
		return HPA_ACT_RING;
	return HPA_ACT_DIRECT;
}

/**
 * hpa_prng_next() - xorshift64*: the model's reproducible random numbers
 * @state: the generator, never 0 (a 0 seed is replaced by a constant)
 *
 * Return: 32 random bits.
 */
u32 hpa_prng_next(u64 *state)
{
	u64 x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (u32)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/**
 * hpa_fifo_init() - an empty delay line over caller-provided arrays
 * @f: the line
 * @slot: @size pointers
 * @due: @size due steps
 * @size: capacity, at least 1
 */
void hpa_fifo_init(struct hpa_fifo *f, void **slot, u64 *due, u32 size)
{
	f->slot = slot;
	f->due = due;
	f->size = size;
	f->head = 0;
	f->count = 0;
}

/**
 * hpa_fifo_push() - append an entry
 * @f: the line
 * @ptr: the entry, not NULL
 * @due: the step from which it may leave
 *
 * Return: 0, or -ENOSPC when the line is full.
 */
int hpa_fifo_push(struct hpa_fifo *f, void *ptr, u64 due)
{
	u32 tail;

	if (f->count == f->size)
		return -ENOSPC;
	tail = f->head + f->count;
	if (tail >= f->size)
		tail -= f->size;
	f->slot[tail] = ptr;
	f->due[tail] = due;
	f->count++;
	return 0;
}

/**
 * hpa_fifo_pop_due() - take the oldest entry if it is due
 * @f: the line
 * @now: the current step
 *
 * Return: the entry, or NULL when the line is empty or its oldest entry is
 * not due yet.
 */
void *hpa_fifo_pop_due(struct hpa_fifo *f, u64 now)
{
	if (!f->count || f->due[f->head] > now)
		return NULL;
	return hpa_fifo_pop(f);
}

/**
 * hpa_fifo_pop() - take the oldest entry, due or not
 * @f: the line
 *
 * Return: the entry, or NULL when the line is empty.
 */
void *hpa_fifo_pop(struct hpa_fifo *f)
{
	void *ptr;

	if (!f->count)
		return NULL;
	ptr = f->slot[f->head];
	f->slot[f->head] = NULL;
	if (++f->head == f->size)
		f->head = 0;
	f->count--;
	return ptr;
}
