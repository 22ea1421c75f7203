/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_pool differences between the kernels hpmm builds against (Debian's
 * 6.1 and 6.12), keyed on LINUX_VERSION_CODE (a missing header cannot be
 * tested for in a way checkpatch parses).
 *
 *   <net/page_pool.h> was split into net/page_pool/{types,helpers}.h in
 *   6.6; helpers.h includes types.h.
 */
#ifndef _HPMM_COMPAT_PAGE_POOL_H
#define _HPMM_COMPAT_PAGE_POOL_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

#endif /* _HPMM_COMPAT_PAGE_POOL_H */
