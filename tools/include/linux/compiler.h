/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/compiler.h>. */
#ifndef _HPMM_HOST_LINUX_COMPILER_H
#define _HPMM_HOST_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define fallthrough		__attribute__((__fallthrough__))

#endif /* _HPMM_HOST_LINUX_COMPILER_H */
