// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the DMA layer, driven through hpmm_test/dev/<bdf>/control:
 * a round trip through DMA-API-mapped pages, and a write to an IOVA that
 * does not translate, which the IOMMU must block.
 */
#define pr_fmt(fmt) "hpmm_test: " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "../dev/dev.h"
#include "../hpmm.h"
#include "test.h"

/* Bytes written by a fault probe. */
#define HPMM_FAULT_PROBE_LEN 64

struct hpmm_dma_page {
	struct page *page;
	dma_addr_t iova;
	enum dma_data_direction dir;
};

static int hpmm_dma_page_get(struct hpmm_dev *dev, struct hpmm_dma_page *p,
			     enum dma_data_direction dir)
{
	struct device *d = &dev->pdev->dev;

	p->dir = dir;
	p->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!p->page)
		return -ENOMEM;
	atomic_long_inc(&hpmm_live.pages);
	p->iova = dma_map_page(d, p->page, 0, PAGE_SIZE, dir);
	if (dma_mapping_error(d, p->iova)) {
		__free_page(p->page);
		atomic_long_dec(&hpmm_live.pages);
		return -ENOMEM;
	}
	atomic_long_inc(&hpmm_live.dma_mappings);
	return 0;
}

static void hpmm_dma_page_put(struct hpmm_dev *dev, struct hpmm_dma_page *p)
{
	dma_unmap_page(&dev->pdev->dev, p->iova, PAGE_SIZE, p->dir);
	atomic_long_dec(&hpmm_live.dma_mappings);
	__free_page(p->page);
	atomic_long_dec(&hpmm_live.pages);
}

/**
 * hpmm_dev_roundtrip() - move @len bytes RAM -> device -> RAM and compare
 * @dev: the device
 * @backend: who does the accesses
 * @len: 1 to HPMM_DEV_DMA_MAX bytes
 *
 * Return: 0 when the data came back intact, -EIO when not, or the error of
 * the mapping or the access.
 */
static int hpmm_dev_roundtrip(struct hpmm_dev *dev,
			      enum hpmm_dev_backend backend, size_t len)
{
	struct device *d = &dev->pdev->dev;
	struct hpmm_dma_page src, dst;
	u8 *s, *t;
	size_t i;
	int ret;

	if (!len || len > HPMM_DEV_DMA_MAX)
		return -EINVAL;
	ret = hpmm_dev_dma_api_get(dev);
	if (ret)
		return ret;
	ret = hpmm_dma_page_get(dev, &src, DMA_TO_DEVICE);
	if (ret)
		goto out_api;
	ret = hpmm_dma_page_get(dev, &dst, DMA_FROM_DEVICE);
	if (ret)
		goto out_src;

	s = page_address(src.page);
	for (i = 0; i < len; i++)
		s[i] = (u8)(i * 7 + dev->index + 1);
	dma_sync_single_for_device(d, src.iova, PAGE_SIZE, DMA_TO_DEVICE);

	ret = hpmm_dev_dma(dev, backend, src.iova, len, DMA_TO_DEVICE);
	if (ret)
		goto out_dst;
	ret = hpmm_dev_dma(dev, backend, dst.iova, len, DMA_FROM_DEVICE);
	if (ret)
		goto out_dst;

	dma_sync_single_for_cpu(d, dst.iova, PAGE_SIZE, DMA_FROM_DEVICE);
	t = page_address(dst.page);
	if (memcmp(s, t, len)) {
		pr_err("%s: round trip of %zu bytes corrupted the data\n",
		       dev->name, len);
		ret = -EIO;
	}
out_dst:
	hpmm_dma_page_put(dev, &dst);
out_src:
	hpmm_dma_page_put(dev, &src);
out_api:
	hpmm_dev_dma_api_put(dev);
	return ret;
}

/**
 * hpmm_dev_fault_probe() - have @backend write to an untranslated IOVA
 * @dev: the device
 * @backend: who does the access
 * @iova: an IOVA that must not translate in the device's domain
 *
 * The CPU backend must refuse the access; the edu device issues it and the
 * IOMMU must block it, which the DMAR driver logs as a fault.
 *
 * Return: -EEXIST when @iova translates (nothing is issued, so no memory can
 * be hit), otherwise the result of the access (-EFAULT for the CPU backend).
 */
static int hpmm_dev_fault_probe(struct hpmm_dev *dev,
				enum hpmm_dev_backend backend, dma_addr_t iova)
{
	struct iommu_domain *domain;
	int ret;

	/* Probes the default domain: not while a component owns another. */
	ret = hpmm_dev_dma_api_get(dev);
	if (ret)
		return ret;
	domain = hpmm_dev_domain(dev);
	if (!domain || domain->type == IOMMU_DOMAIN_IDENTITY)
		ret = -EOPNOTSUPP;
	else if (iommu_iova_to_phys(domain, iova) ||
		 iommu_iova_to_phys(domain, iova + HPMM_FAULT_PROBE_LEN - 1))
		ret = -EEXIST;
	else
		ret = hpmm_dev_dma(dev, backend, iova, HPMM_FAULT_PROBE_LEN,
				   DMA_FROM_DEVICE);
	hpmm_dev_dma_api_put(dev);
	return ret;
}

static int hpmm_dev_parse(struct hpmm_cmd *cmd, enum hpmm_dev_backend *backend,
			  unsigned long long *val)
{
	if (hpmm_parse_backend(cmd->argv[1], backend) ||
	    kstrtoull(cmd->argv[2], 0, val))
		return -EINVAL;
	return 0;
}

/* roundtrip cpu|edu LEN */
static int hpmm_dev_cmd_roundtrip(void *priv, struct hpmm_cmd *cmd)
{
	enum hpmm_dev_backend backend;
	unsigned long long len;

	if (hpmm_dev_parse(cmd, &backend, &len) || !len ||
	    len > HPMM_DEV_DMA_MAX)
		return -EINVAL;
	return hpmm_dev_roundtrip(priv, backend, len);
}

/* fault cpu|edu IOVA */
static int hpmm_dev_cmd_fault(void *priv, struct hpmm_cmd *cmd)
{
	enum hpmm_dev_backend backend;
	unsigned long long iova;

	if (hpmm_dev_parse(cmd, &backend, &iova) ||
	    iova >= BIT_ULL(HPMM_DEV_DMA_BITS))
		return -EINVAL;
	return hpmm_dev_fault_probe(priv, backend, iova);
}

static const struct hpmm_dbg_verb hpmm_dev_verbs[] = {
	{ "roundtrip", 3, 3, hpmm_dev_cmd_roundtrip },
	{ "fault", 3, 3, hpmm_dev_cmd_fault },
	{ }
};

/* One control per device; devices live as long as hpmm.ko. */
static struct hpmm_dbg_control *hpmm_dev_controls;

static int hpmm_test_dev_init(struct dentry *root)
{
	unsigned int i, n = hpmm_dev_count();
	struct dentry *dir = debugfs_create_dir("dev", root);

	hpmm_dev_controls = kcalloc(n, sizeof(*hpmm_dev_controls), GFP_KERNEL);
	if (n && !hpmm_dev_controls)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct hpmm_dev *dev = hpmm_dev_get(i);

		hpmm_dev_controls[i].verbs = hpmm_dev_verbs;
		hpmm_dev_controls[i].priv = dev;
		hpmm_dbg_create_control("control",
					debugfs_create_dir(dev->name, dir),
					&hpmm_dev_controls[i]);
	}
	return 0;
}

/* main.c removed the debugfs files, waiting for their writers, before this. */
static void hpmm_test_dev_exit(void)
{
	kfree(hpmm_dev_controls);
	hpmm_dev_controls = NULL;
}

const struct hpmm_test_component hpmm_test_dev = {
	.name = "dev",
	.init = hpmm_test_dev_init,
	.exit = hpmm_test_dev_exit,
};
