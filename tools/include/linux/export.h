/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host layer: <linux/export.h>. A host program links everything it uses;
 * there is nothing to export (as the kernel's own tools/include/linux/
 * export.h).
 */
#ifndef _HPMM_HOST_LINUX_EXPORT_H
#define _HPMM_HOST_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif /* _HPMM_HOST_LINUX_EXPORT_H */
