/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little that kernel/hpa/book.c needs from its environment, so that the
 * same file builds into the module and into host test binaries (as
 * tools/testing/radix-tree builds lib/radix-tree.c in user space).
 */
#ifndef _HPMM_HPA_COMPAT_H
#define _HPMM_HPA_COMPAT_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#define BIT(n) (1UL << (n))

int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
#endif

#endif /* _HPMM_HPA_COMPAT_H */
