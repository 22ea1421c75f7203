/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/limits.h>, the kernel's U32_MAX and friends on top of
 * the uapi header of that name, which libc's <limits.h> includes.
 */
#ifndef _HPMM_HOST_LINUX_LIMITS_H
#define _HPMM_HOST_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <stdint.h>

#define U8_MAX		UINT8_MAX
#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX
#define S32_MAX		INT32_MAX
#define S64_MAX		INT64_MAX

#endif /* _HPMM_HOST_LINUX_LIMITS_H */
