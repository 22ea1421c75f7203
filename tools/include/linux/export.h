/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: a module exports symbols, a host program has none to export
 * (as the kernel's own tools/include/linux/export.h).
 */
#ifndef _HPMM_HOST_LINUX_EXPORT_H
#define _HPMM_HOST_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif /* _HPMM_HOST_LINUX_EXPORT_H */
