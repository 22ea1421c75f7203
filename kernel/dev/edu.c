// SPDX-License-Identifier: GPL-2.0
/*
 * Real DMA through QEMU's edu device.
 *
 * edu copies between guest memory (a bus address, translated by the IOMMU)
 * and a 4 KiB buffer at device address 0x40000. A transfer is started by
 * writing the command register and finishes after 100 ms of QEMU's virtual
 * time, when the device raises interrupt status 0x100 (MSI here).
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/ktime.h>
#include <linux/pci.h>

#include "dev.h"

#define EDU_REG_ID		0x00
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98

#define EDU_DMA_START		BIT(0)
#define EDU_DMA_FROM_DEVICE	BIT(1)	/* edu buffer -> RAM */
#define EDU_DMA_IRQ		BIT(2)
#define EDU_IRQ_DMA		0x100

#define EDU_BUFFER_ADDR		0x40000
/* 100 ms of virtual time; under TCG without icount that is host time. */
#define EDU_DMA_TIMEOUT_MS	30000

/**
 * hpmm_edu_irq() - the edu interrupt handler
 * @irq: the MSI vector's IRQ
 * @data: the hpmm_dev
 *
 * Return: IRQ_HANDLED when the device had raised an interrupt.
 */
irqreturn_t hpmm_edu_irq(int irq, void *data)
{
	struct hpmm_dev *dev = data;
	u32 status = ioread32(dev->bar + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	iowrite32(status, dev->bar + EDU_REG_IRQ_ACK);
	if (status & EDU_IRQ_DMA)
		complete(&dev->dma_done);
	return IRQ_HANDLED;
}

static bool hpmm_edu_dma_running(struct hpmm_dev *dev)
{
	return ioread32(dev->bar + EDU_REG_DMA_CMD) & EDU_DMA_START;
}

/* One transfer; *@ns is its duration. The caller holds dma_lock. */
static int hpmm_edu_transfer(struct hpmm_dev *dev, dma_addr_t iova, size_t len,
			     enum dma_data_direction dir, u64 *ns)
{
	u32 cmd = EDU_DMA_START | EDU_DMA_IRQ;
	unsigned long left;
	u64 src, dst;
	ktime_t start;

	lockdep_assert_held(&dev->dma_lock);
	if (dir == DMA_TO_DEVICE) {
		src = iova;
		dst = EDU_BUFFER_ADDR;
	} else {
		src = EDU_BUFFER_ADDR;
		dst = iova;
		cmd |= EDU_DMA_FROM_DEVICE;
	}
	if (dev->broken)
		return -EIO;
	reinit_completion(&dev->dma_done);
	start = ktime_get();
	lo_hi_writeq(src, dev->bar + EDU_REG_DMA_SRC);
	lo_hi_writeq(dst, dev->bar + EDU_REG_DMA_DST);
	lo_hi_writeq(len, dev->bar + EDU_REG_DMA_COUNT);
	iowrite32(cmd, dev->bar + EDU_REG_DMA_CMD);

	left = wait_for_completion_timeout(&dev->dma_done,
					   msecs_to_jiffies(EDU_DMA_TIMEOUT_MS));
	if (!left || hpmm_edu_dma_running(dev)) {
		/*
		 * The transfer may still land later: the caller must not
		 * reuse the memory, and neither may anyone else, so the
		 * device refuses all further work.
		 */
		dev->broken = true;
		pr_err("%s: DMA did not complete, device disabled\n", dev->name);
		return -ETIMEDOUT;
	}
	*ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	return 0;
}

int hpmm_edu_dma(struct hpmm_dev *dev, dma_addr_t iova, size_t len,
		 enum dma_data_direction dir)
{
	u64 ns;
	int ret;

	mutex_lock(&dev->dma_lock);
	ret = hpmm_edu_transfer(dev, iova, len, dir, &ns);
	if (!ret) {
		atomic64_set(&dev->stats.last_ns, ns);
		atomic64_add(ns, &dev->stats.total_edu_ns);
		atomic64_inc(&dev->stats.edu_ops);
	}
	mutex_unlock(&dev->dma_lock);
	return ret;
}

/**
 * hpmm_edu_scrub() - overwrite edu's buffer with zeroes
 * @dev: the device, with its default domain attached
 *
 * A transfer from the zeroed page mapped at probe. It covers every byte a
 * transfer can reach: hpmm starts every transfer at the buffer's start and
 * moves at most HPMM_DEV_DMA_MAX bytes (QEMU 7.2 aborts on a 4096-byte
 * one), so the buffer's last byte is never written or read.
 *
 * Return: 0, or -EIO/-ETIMEDOUT when the device is broken.
 */
int hpmm_edu_scrub(struct hpmm_dev *dev)
{
	u64 ns;
	int ret;

	mutex_lock(&dev->dma_lock);
	ret = hpmm_edu_transfer(dev, dev->scrub_iova, HPMM_DEV_DMA_MAX,
				DMA_TO_DEVICE, &ns);
	mutex_unlock(&dev->dma_lock);
	return ret;
}

/**
 * hpmm_edu_check_id() - make sure BAR0 really is an edu device
 * @dev: the device, BAR0 mapped
 *
 * Return: 0, or -ENODEV when the identification register is wrong.
 */
int hpmm_edu_check_id(struct hpmm_dev *dev)
{
	u32 id = ioread32(dev->bar + EDU_REG_ID);

	/* 0xRRrr00edu: major.minor version, then the magic 0xed. */
	if ((id & 0xff) != 0xed) {
		pci_err(dev->pdev, "not an edu device (id %#x)\n", id);
		return -ENODEV;
	}
	return 0;
}
