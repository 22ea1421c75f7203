/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/minmax.h>. For C only: C++ that includes a pure
 * header for its types must keep std::min and std::max.
 */
#ifndef _HPMM_HOST_LINUX_MINMAX_H
#define _HPMM_HOST_LINUX_MINMAX_H

#ifndef __cplusplus
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define swap(a, b) \
	do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#endif

#endif /* _HPMM_HOST_LINUX_MINMAX_H */
