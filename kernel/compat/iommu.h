/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOMMU API differences between the kernels hpmm builds against (Debian's
 * 6.1 and 6.12), keyed on LINUX_VERSION_CODE (no feature macro exists).
 *
 *   hpmm_iommu_map()  iommu_map() took a gfp argument in 6.3; before, it
 *                     always allocated with GFP_KERNEL
 */
#ifndef _HPMM_COMPAT_IOMMU_H
#define _HPMM_COMPAT_IOMMU_H

#include <linux/iommu.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define hpmm_iommu_map(dom, iova, paddr, size, prot, gfp) \
	iommu_map(dom, iova, paddr, size, prot, gfp)
#else
#define hpmm_iommu_map(dom, iova, paddr, size, prot, gfp) \
	iommu_map(dom, iova, paddr, size, prot)
#endif

#endif /* _HPMM_COMPAT_IOMMU_H */
