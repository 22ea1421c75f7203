/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/errno.h>. libc's <errno.h> includes this name too, so
 * it must be the uapi header's superset: it is the uapi header.
 */
#ifndef _HPMM_HOST_LINUX_ERRNO_H
#define _HPMM_HOST_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif /* _HPMM_HOST_LINUX_ERRNO_H */
