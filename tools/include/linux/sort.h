/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/sort.h>; host_kernel.c sorts with libc's qsort(). */
#ifndef _HPMM_HOST_LINUX_SORT_H
#define _HPMM_HOST_LINUX_SORT_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func);

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_HOST_LINUX_SORT_H */
