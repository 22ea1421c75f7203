/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/bits.h>. */
#ifndef _HPMM_HOST_LINUX_BITS_H
#define _HPMM_HOST_LINUX_BITS_H

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#endif /* _HPMM_HOST_LINUX_BITS_H */
