/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/kernel.h>, the part the pure files use, on top of the
 * uapi header of that name.
 */
#ifndef _HPMM_HOST_LINUX_KERNEL_H
#define _HPMM_HOST_LINUX_KERNEL_H

#include_next <linux/kernel.h>

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* As lib/kstrtox.c: no sign or blanks, one trailing newline allowed. */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_HOST_LINUX_KERNEL_H */
