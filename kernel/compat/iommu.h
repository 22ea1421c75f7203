/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOMMU API differences between the kernels hpmm builds against (Debian's
 * 6.1 and 6.12), keyed on LINUX_VERSION_CODE (no feature macro exists).
 *
 *   hpmm_iommu_map()  iommu_map() took a gfp argument in 6.3; before, it
 *                     allocated with GFP_KERNEL and iommu_map_atomic()
 *                     with GFP_ATOMIC (removed in 6.3)
 */
#ifndef _HPMM_COMPAT_IOMMU_H
#define _HPMM_COMPAT_IOMMU_H

#include <linux/iommu.h>
#include <linux/version.h>

static inline int hpmm_iommu_map(struct iommu_domain *dom,
				 unsigned long iova, phys_addr_t paddr,
				 size_t size, int prot, gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return iommu_map(dom, iova, paddr, size, prot, gfp);
#else
	if (gfp == GFP_ATOMIC)
		return iommu_map_atomic(dom, iova, paddr, size, prot);
	return iommu_map(dom, iova, paddr, size, prot);
#endif
}

#endif /* _HPMM_COMPAT_IOMMU_H */
