/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG compat: the little that core.c needs, from the kernel when built
 * into the module and from tools/defrag/dfg_host_compat.h (libc) when built
 * into the host tests and the simulator, as tools/testing/radix-tree does
 * for lib/radix-tree.c. Nothing core.c uses may allocate, sleep or lock.
 */
#ifndef _HPMM_DEFRAG_COMPAT_H
#define _HPMM_DEFRAG_COMPAT_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

#define dfg_ctz64(x)		__ffs64(x)
#define dfg_popcount64(x)	hweight64(x)
#define dfg_sort(base, n, size, cmp) sort(base, n, size, cmp, NULL)

#else

/* tools/defrag/dfg_host_compat.h, found through the host build's -I. */
#include "dfg_host_compat.h"

#endif /* __KERNEL__ */

#endif /* _HPMM_DEFRAG_COMPAT_H */
