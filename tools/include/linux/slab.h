/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/slab.h>; the gfp flags are ignored. */
#ifndef _HPMM_HOST_LINUX_SLAB_H
#define _HPMM_HOST_LINUX_SLAB_H

#include <stdlib.h>

#include <linux/types.h>

#define GFP_KERNEL	0U
#define GFP_KERNEL_ACCOUNT	0U

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(n, size);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

#endif /* _HPMM_HOST_LINUX_SLAB_H */
