/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/export.h>. A pure kernel file exports what drivers
 * and hpmm_test.ko use right after the function, as the kernel does; on
 * the host there is nothing to export, so the macros check that the symbol
 * is declared and expand to nothing else.
 */
#ifndef _HPMM_HOST_LINUX_EXPORT_H
#define _HPMM_HOST_LINUX_EXPORT_H

#ifndef __cplusplus
#define EXPORT_SYMBOL(sym)		_Static_assert(sizeof(&(sym)), #sym)
#define EXPORT_SYMBOL_GPL(sym)		EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)	EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	EXPORT_SYMBOL(sym)
#endif

#endif /* _HPMM_HOST_LINUX_EXPORT_H */
