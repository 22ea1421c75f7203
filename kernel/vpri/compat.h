/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VPRI pure logic (PA-BITMAP, pin-set policies, histograms) builds both into
 * the module and into host programs (the simulator and Google Test), as
 * tools/testing/radix-tree builds lib/radix-tree.c. Those files include only
 * this header, which maps the few kernel facilities they use onto libc and
 * GCC builtins outside the kernel.
 *
 * The pure code never locks: the module serialises calls with its own lock;
 * the host programs are single-threaded.
 */
#ifndef _HPMM_VPRI_COMPAT_H
#define _HPMM_VPRI_COMPAT_H

#ifdef __KERNEL__

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#define vpri_calloc(n, size)	kvcalloc(n, size, GFP_KERNEL)
#define vpri_free(p)		kvfree(p)

/* Atomic bit operations on an unsigned long array (fully ordered RMWs). */
#define vpri_test_bit(nr, addr)			test_bit(nr, addr)
#define vpri_set_bit(nr, addr)			set_bit(nr, addr)
#define vpri_test_and_clear_bit(nr, addr)	test_and_clear_bit(nr, addr)
#define vpri_test_and_set_bit(nr, addr)		test_and_set_bit(nr, addr)
#define vpri_hweight_long(w)			hweight_long(w)
#define vpri_fls64(x)				fls64(x)

#else /* !__KERNEL__ */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

#ifndef U32_MAX
#define U32_MAX		UINT32_MAX
#endif
#ifndef U64_MAX
#define U64_MAX		UINT64_MAX
#endif
#ifndef BITS_PER_LONG
#define BITS_PER_LONG	(8 * (int)sizeof(long))
#endif
#define BIT_WORD(nr)	((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)	(1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#define vpri_calloc(n, size)	calloc(n, size)
#define vpri_free(p)		free(p)

static inline bool vpri_test_bit(unsigned long nr, const unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) &
		BIT_MASK(nr)) != 0;
}

static inline void vpri_set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline bool vpri_test_and_clear_bit(unsigned long nr,
					   unsigned long *addr)
{
	return (__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
				   __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0;
}

static inline bool vpri_test_and_set_bit(unsigned long nr,
					 unsigned long *addr)
{
	return (__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0;
}

static inline unsigned int vpri_hweight_long(unsigned long w)
{
	return (unsigned int)__builtin_popcountl(w);
}

/* Position of the most significant set bit, 1-based; 0 for 0. */
static inline int vpri_fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif /* __KERNEL__ */

/* "No page": the page index type is u32 (2^28 bytes of IOVA fit easily). */
#define VPRI_NO_PAGE	U32_MAX

#endif /* _HPMM_VPRI_COMPAT_H */
