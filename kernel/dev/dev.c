// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI driver for QEMU's edu device and the device-independent half of
 * the DMA layer: the list of bound devices and hpmm_dev_dma().
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "../trace.h"
#include "dev.h"

#define PCI_VENDOR_ID_QEMU_EDU	0x1234
#define PCI_DEVICE_ID_QEMU_EDU	0x11e8

static LIST_HEAD(hpmm_devices);
static DEFINE_MUTEX(hpmm_devices_lock);
static unsigned int hpmm_devices_probed;
static struct dentry *hpmm_dev_dbg_root;

int hpmm_dev_dma(struct hpmm_dev *dev, enum hpmm_dev_backend backend,
		 dma_addr_t iova, size_t len, enum dma_data_direction dir)
{
	int ret;

	if (!len || len > HPMM_DEV_DMA_MAX ||
	    (dir != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE) ||
	    iova + len < iova || iova + len - 1 >= BIT_ULL(HPMM_DEV_DMA_BITS)) {
		atomic64_inc(&dev->stats.errors);
		return -EINVAL;
	}

	switch (backend) {
	case HPMM_BACKEND_EDU:
		ret = hpmm_edu_dma(dev, iova, len, dir);
		break;
	case HPMM_BACKEND_CPU:
		ret = hpmm_cpu_dma(dev, iova, len, dir);
		break;
	default:
		ret = -EINVAL;
	}
	if (ret) {
		if (ret != -EFAULT)
			atomic64_inc(&dev->stats.errors);
		return ret;
	}

	trace_hpmm_dma(dev->index, backend, iova, len, dir,
		       atomic64_read(&dev->stats.last_ns));
	atomic64_inc(&dev->stats.dma_ops);
	atomic64_add(len, &dev->stats.dma_bytes);
	atomic64_inc(dir == DMA_TO_DEVICE ? &dev->stats.to_device :
					    &dev->stats.from_device);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_dma, HPMM);

struct hpmm_dev *hpmm_dev_get(unsigned int index)
{
	struct hpmm_dev *dev, *found = NULL;

	mutex_lock(&hpmm_devices_lock);
	list_for_each_entry(dev, &hpmm_devices, node) {
		if (dev->index == index) {
			found = dev;
			break;
		}
	}
	mutex_unlock(&hpmm_devices_lock);
	return found;
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_get, HPMM);

unsigned int hpmm_dev_count(void)
{
	struct hpmm_dev *dev;
	unsigned int n = 0;

	mutex_lock(&hpmm_devices_lock);
	list_for_each_entry(dev, &hpmm_devices, node)
		n++;
	mutex_unlock(&hpmm_devices_lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_count, HPMM);

/*
 * Clears what @dev holds of its last user's data: the CPU backend's buffer,
 * and edu's through a DMA from the zeroed page (default domain attached).
 * The caller owns the device: nobody else can start an access meanwhile.
 */
static int hpmm_dev_scrub(struct hpmm_dev *dev)
{
	int ret;

	mutex_lock(&dev->cpu_lock);
	memset(dev->cpu_buffer, 0, sizeof(dev->cpu_buffer));
	mutex_unlock(&dev->cpu_lock);
	ret = hpmm_edu_scrub(dev);
	if (!ret)
		atomic64_inc(&dev->stats.scrubs);
	return ret;
}

/**
 * hpmm_dev_dma_api_get() - use @dev through the DMA API (its default domain)
 * @dev: the device
 *
 * Return: 0, or -EBUSY while a component owns the device's IOMMU domain.
 */
int hpmm_dev_dma_api_get(struct hpmm_dev *dev)
{
	int ret = 0;

	spin_lock(&dev->own_lock);
	if (dev->domain_owner)
		ret = -EBUSY;
	else
		dev->dma_api_users++;
	spin_unlock(&dev->own_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_dma_api_get, HPMM);

/**
 * hpmm_dev_dma_api_put() - undo hpmm_dev_dma_api_get()
 * @dev: the device
 */
void hpmm_dev_dma_api_put(struct hpmm_dev *dev)
{
	spin_lock(&dev->own_lock);
	if (!WARN_ON_ONCE(!dev->dma_api_users))
		dev->dma_api_users--;
	spin_unlock(&dev->own_lock);
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_dma_api_put, HPMM);

/**
 * hpmm_dev_domain_claim() - own @dev's IOMMU domain, to attach one's own
 * @dev: the device
 * @owner: who claims it, for debugfs
 *
 * The device is scrubbed before the claim succeeds (the default domain is
 * still attached).
 *
 * Return: 0, -EBUSY while DMA-API users or another owner hold @dev, or the
 * error of the scrub (-EIO when the device is broken).
 */
int hpmm_dev_domain_claim(struct hpmm_dev *dev, const char *owner)
{
	int ret = 0;

	spin_lock(&dev->own_lock);
	if (dev->domain_owner || dev->dma_api_users)
		ret = -EBUSY;
	else
		dev->domain_owner = owner;
	spin_unlock(&dev->own_lock);
	if (ret)
		return ret;
	/* What the DMA-API users left in the device is not the owner's. */
	ret = hpmm_dev_scrub(dev);
	if (ret) {
		spin_lock(&dev->own_lock);
		dev->domain_owner = NULL;
		spin_unlock(&dev->own_lock);
	}
	return ret;
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_domain_claim, HPMM);

/**
 * hpmm_dev_domain_release() - undo hpmm_dev_domain_claim(), once the
 *	default domain is attached again
 * @dev: the device
 *
 * Scrubs the device first, so that nothing of the owner's data stays in it.
 */
void hpmm_dev_domain_release(struct hpmm_dev *dev)
{
	/*
	 * The owner's data must not reach the next user: a device that cannot
	 * be scrubbed refuses all further work.
	 */
	if (hpmm_dev_scrub(dev)) {
		pr_err("%s: cannot scrub the device after its owner: disabled\n",
		       dev->name);
		dev->broken = true;
	}
	spin_lock(&dev->own_lock);
	dev->domain_owner = NULL;
	spin_unlock(&dev->own_lock);
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_domain_release, HPMM);

struct iommu_domain *hpmm_dev_domain(struct hpmm_dev *dev)
{
	return iommu_get_domain_for_dev(&dev->pdev->dev);
}
EXPORT_SYMBOL_NS_GPL(hpmm_dev_domain, HPMM);

const char *hpmm_domain_type_name(const struct iommu_domain *domain)
{
	if (!domain)
		return "none";
	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	default:
		return "unknown";
	}
}
EXPORT_SYMBOL_NS_GPL(hpmm_domain_type_name, HPMM);

int hpmm_parse_backend(const char *s, enum hpmm_dev_backend *backend)
{
	if (!strcmp(s, "edu"))
		*backend = HPMM_BACKEND_EDU;
	else if (!strcmp(s, "cpu"))
		*backend = HPMM_BACKEND_CPU;
	else
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(hpmm_parse_backend, HPMM);

static void hpmm_dev_scrub_page_unmap(void *data)
{
	struct hpmm_dev *dev = data;

	dma_unmap_page(&dev->pdev->dev, dev->scrub_iova, PAGE_SIZE,
		       DMA_TO_DEVICE);
	__free_page(dev->scrub_page);
}

/*
 * The zeroed page scrubs read, mapped for the whole life of the binding
 * (released by devres at remove, after the IRQ): device infrastructure, not
 * counted in hpmm_live.
 */
static int hpmm_dev_scrub_page_map(struct hpmm_dev *dev)
{
	struct device *d = &dev->pdev->dev;

	dev->scrub_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!dev->scrub_page)
		return -ENOMEM;
	dev->scrub_iova = dma_map_page(d, dev->scrub_page, 0, PAGE_SIZE,
				       DMA_TO_DEVICE);
	if (dma_mapping_error(d, dev->scrub_iova)) {
		__free_page(dev->scrub_page);
		return -ENOMEM;
	}
	return devm_add_action_or_reset(d, hpmm_dev_scrub_page_unmap, dev);
}

static int hpmm_edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned int fail_nth;
	struct hpmm_dev *dev;
	int ret;

	dev = devm_kzalloc(&pdev->dev, sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->pdev = pdev;
	strscpy(dev->name, pci_name(pdev), sizeof(dev->name));
	mutex_init(&dev->dma_lock);
	mutex_init(&dev->cpu_lock);
	spin_lock_init(&dev->own_lock);
	init_completion(&dev->dma_done);

	/*
	 * The init fail-nth sweep found two error paths of 6.1's PCI core
	 * that are broken, so injected failures are kept out of the calls
	 * into it (hpmm's own allocations and unwinding stay covered): a
	 * failed allocation in ACPI's IRQ routing, which pci_enable_device()
	 * evaluates, makes ACPICA read freed memory (KASAN in
	 * acpi_ns_get_attached_object()), and one in MSI or IRQ setup makes
	 * pci_disable_msi() warn in remove_proc_entry() at rmmod.
	 */
	fail_nth = hpmm_fail_nth_pause();
	ret = pcim_enable_device(pdev);
	hpmm_fail_nth_resume(fail_nth);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	dev->bar = pcim_iomap_table(pdev)[0];
	ret = hpmm_edu_check_id(dev);
	if (ret)
		return ret;

	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(HPMM_DEV_DMA_BITS));
	if (ret)
		return ret;
	ret = hpmm_dev_scrub_page_map(dev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	fail_nth = hpmm_fail_nth_pause();
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret >= 0) {
		dev->irq = pci_irq_vector(pdev, 0);
		ret = request_irq(dev->irq, hpmm_edu_irq, 0, KBUILD_MODNAME,
				  dev);
		if (ret)
			pci_free_irq_vectors(pdev);
	}
	hpmm_fail_nth_resume(fail_nth);
	if (ret < 0)
		return ret;

	pci_set_drvdata(pdev, dev);
	mutex_lock(&hpmm_devices_lock);
	dev->index = hpmm_devices_probed++;
	list_add_tail(&dev->node, &hpmm_devices);
	mutex_unlock(&hpmm_devices_lock);
	hpmm_dev_debugfs_add(dev, hpmm_dev_dbg_root);

	pci_info(pdev, "edu device %u bound, IOMMU domain %s\n", dev->index,
		 hpmm_domain_type_name(hpmm_dev_domain(dev)));
	return 0;
}

static void hpmm_edu_remove(struct pci_dev *pdev)
{
	struct hpmm_dev *dev = pci_get_drvdata(pdev);

	debugfs_remove_recursive(dev->dbg_dir);
	mutex_lock(&hpmm_devices_lock);
	list_del(&dev->node);
	mutex_unlock(&hpmm_devices_lock);
	free_irq(dev->irq, dev);
	pci_free_irq_vectors(pdev);
	pci_clear_master(pdev);
}

static const struct pci_device_id hpmm_edu_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_QEMU_EDU, PCI_DEVICE_ID_QEMU_EDU) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hpmm_edu_ids);

static struct pci_driver hpmm_edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = hpmm_edu_ids,
	.probe = hpmm_edu_probe,
	.remove = hpmm_edu_remove,
	/*
	 * VPRI attaches an unmanaged domain of its own to a device, as VFIO
	 * does; the DMA API keeps working on the default domain otherwise.
	 */
	.driver_managed_dma = true,
	/* Devices stay bound until rmmod, so components may hold them. */
	.driver.suppress_bind_attrs = true,
};

int hpmm_dev_init(struct dentry *root)
{
	int ret;

	hpmm_dev_dbg_root = debugfs_create_dir("dev", root);
	hpmm_devices_probed = 0;
	ret = pci_register_driver(&hpmm_edu_driver);
	if (ret)
		debugfs_remove_recursive(hpmm_dev_dbg_root);
	return ret;
}

void hpmm_dev_exit(void)
{
	pci_unregister_driver(&hpmm_edu_driver);
	debugfs_remove_recursive(hpmm_dev_dbg_root);
}
