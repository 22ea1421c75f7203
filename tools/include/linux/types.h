/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host layer (tools/include/): the kernel's own header names, for the
 * pure kernel files that the host tools and tests build unchanged, as the
 * kernel's tools/include/ does for tools/testing/radix-tree. Only what
 * those files use is here; each header says what it stands in for.
 *
 * <linux/types.h>: the kernel's sized integer types on top of the uapi
 * header of that name (the host's linux-libc-dev), which libc and the uapi
 * headers include too.
 */
#ifndef _HPMM_HOST_LINUX_TYPES_H
#define _HPMM_HOST_LINUX_TYPES_H

#include_next <linux/types.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

typedef unsigned int gfp_t;

struct list_head {
	struct list_head *next, *prev;
};

#endif /* _HPMM_HOST_LINUX_TYPES_H */
