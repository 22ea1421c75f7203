/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/build_bug.h>. */
#ifndef _HPMM_HOST_LINUX_BUILD_BUG_H
#define _HPMM_HOST_LINUX_BUILD_BUG_H

#ifndef __cplusplus
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#endif

#endif /* _HPMM_HOST_LINUX_BUILD_BUG_H */
