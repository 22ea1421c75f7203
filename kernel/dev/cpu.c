// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU backend: emulates a device access by translating each IOVA page
 * with iommu_iova_to_phys() on the device's current domain, exactly as the
 * IOMMU would for the device, and copying with the CPU. An IOVA that does not
 * translate is a fault: the whole access is refused before any byte moves.
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "dev.h"

/* An access is under 4 KiB, so it touches at most two pages. */
#define HPMM_CPU_MAX_PAGES 2

static int hpmm_cpu_translate(struct iommu_domain *domain, dma_addr_t iova,
			      phys_addr_t *phys)
{
	phys_addr_t pa;

	if (!domain)
		return -ENODEV;
	if (domain->type == IOMMU_DOMAIN_BLOCKED)
		return -EFAULT;
	pa = iommu_iova_to_phys(domain, iova);
	/* Identity domains translate IOVA 0 to physical 0. */
	if (!pa && !(domain->type == IOMMU_DOMAIN_IDENTITY && !iova))
		return -EFAULT;
	if (!pfn_valid(PHYS_PFN(pa)))
		return -EFAULT;
	*phys = pa;
	return 0;
}

int hpmm_cpu_dma(struct hpmm_dev *dev, dma_addr_t iova, size_t len,
		 enum dma_data_direction dir)
{
	struct iommu_domain *domain = hpmm_dev_domain(dev);
	phys_addr_t phys[HPMM_CPU_MAX_PAGES];
	size_t chunk[HPMM_CPU_MAX_PAGES];
	unsigned int n = 0, i;
	size_t done = 0;
	ktime_t start;
	int ret;

	start = ktime_get();
	/* Translate everything first: a fault must not leave a partial copy. */
	while (done < len) {
		dma_addr_t a = iova + done;

		chunk[n] = min_t(size_t, len - done,
				 PAGE_SIZE - offset_in_page(a));
		ret = hpmm_cpu_translate(domain, a, &phys[n]);
		if (ret) {
			atomic64_inc(&dev->stats.faults);
			pr_debug("%s: CPU backend fault at IOVA %pad\n",
				 dev->name, &a);
			return ret;
		}
		done += chunk[n++];
	}

	mutex_lock(&dev->cpu_lock);
	for (i = 0, done = 0; i < n; done += chunk[i++]) {
		struct page *page = pfn_to_page(PHYS_PFN(phys[i]));
		void *va = kmap_local_page(page) + offset_in_page(phys[i]);

		if (dir == DMA_TO_DEVICE)
			memcpy(dev->cpu_buffer + done, va, chunk[i]);
		else
			memcpy(va, dev->cpu_buffer + done, chunk[i]);
		kunmap_local(va);
	}
	mutex_unlock(&dev->cpu_lock);

	atomic64_set(&dev->stats.last_ns,
		     ktime_to_ns(ktime_sub(ktime_get(), start)));
	atomic64_inc(&dev->stats.cpu_ops);
	return 0;
}
