/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hpmm DMA devices: QEMU's edu PCI device doing real DMA through the IOMMU,
 * and a CPU backend that emulates the same access through the device's
 * IOMMU domain.
 */
#ifndef _HPMM_DEV_DEV_H
#define _HPMM_DEV_DEV_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dma-direction.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "../hpmm.h"

struct pci_dev;
struct dentry;
struct iommu_domain;

/* edu's DMA buffer is 4 KiB, but QEMU 7.2 aborts on a 4096-byte transfer. */
#define HPMM_DEV_DMA_MAX	4095
/* edu clamps DMA addresses to 28 bits. */
#define HPMM_DEV_DMA_BITS	28

/**
 * enum hpmm_dev_backend - who performs an access
 * @HPMM_BACKEND_EDU: the edu device, through the IOMMU (real DMA)
 * @HPMM_BACKEND_CPU: the CPU, translating each IOVA page with
 *	iommu_iova_to_phys() on the device's current domain
 */
enum hpmm_dev_backend {
	HPMM_BACKEND_EDU,
	HPMM_BACKEND_CPU,
};

/**
 * struct hpmm_dev_stats - per-device counters, shown in debugfs
 * @dma_ops: completed accesses, both backends
 * @dma_bytes: bytes moved by them
 * @to_device: accesses reading memory (DMA_TO_DEVICE)
 * @from_device: accesses writing memory (DMA_FROM_DEVICE)
 * @cpu_ops: accesses done by the CPU backend
 * @edu_ops: accesses done by the edu device
 * @faults: CPU-backend accesses refused because an IOVA did not translate
 * @errors: accesses refused for bad arguments or a broken device
 * @last_ns: duration of the last access, nanoseconds
 * @total_edu_ns: sum of edu access durations, nanoseconds
 * @scrubs: times the device's buffers were cleared between two owners
 */
struct hpmm_dev_stats {
	atomic64_t dma_ops;
	atomic64_t dma_bytes;
	atomic64_t to_device;
	atomic64_t from_device;
	atomic64_t cpu_ops;
	atomic64_t edu_ops;
	atomic64_t faults;
	atomic64_t errors;
	atomic64_t last_ns;
	atomic64_t total_edu_ns;
	atomic64_t scrubs;
};

/**
 * struct hpmm_dev - one bound edu device
 * @pdev: the PCI device
 * @index: position in probe order, 0 first; components pick devices by it
 * @name: the PCI address, e.g. "0000:00:03.0"; also the debugfs directory
 * @bar: BAR0, the edu registers
 * @irq: Linux IRQ of the MSI vector
 * @dma_lock: serialises edu transfers (the device runs one at a time)
 * @dma_done: completed by the interrupt handler when a transfer ends
 * @broken: set when a transfer never completed; the device refuses more
 * @cpu_buffer: the CPU backend's stand-in for edu's 4 KiB buffer
 * @cpu_lock: serialises CPU-backend accesses to @cpu_buffer
 * @scrub_page: a zeroed page, mapped for the device in its default domain
 *	from probe to remove: the source of hpmm_edu_scrub()
 * @scrub_iova: its IOVA
 * @stats: counters
 * @dbg_dir: debugfs dev/<name>/
 * @node: entry in the module's device list
 * @own_lock: guards @dma_api_users and @domain_owner
 * @dma_api_users: holders of hpmm_dev_dma_api_get()
 * @domain_owner: the component that attached a domain of its own, or NULL
 *
 * Devices live from probe to module exit: the driver sets
 * suppress_bind_attrs, so a component may keep a pointer returned by
 * hpmm_dev_get() until its own exit function has run.
 */
struct hpmm_dev {
	struct pci_dev *pdev;
	unsigned int index;
	char name[32];
	void __iomem *bar;
	int irq;
	struct mutex dma_lock; /* one edu transfer at a time */
	struct completion dma_done;
	bool broken;
	u8 cpu_buffer[HPMM_DEV_DMA_MAX + 1];
	struct mutex cpu_lock; /* guards cpu_buffer */
	struct page *scrub_page;
	dma_addr_t scrub_iova;
	struct hpmm_dev_stats stats;
	struct dentry *dbg_dir;
	struct list_head node;
	spinlock_t own_lock; /* guards dma_api_users and domain_owner */
	unsigned int dma_api_users;
	const char *domain_owner;
};

/**
 * hpmm_dev_dma() - one access by @dev to @len bytes at @iova
 * @dev: the device
 * @backend: HPMM_BACKEND_EDU for real DMA, HPMM_BACKEND_CPU for emulation
 * @iova: device address, translated by the device's IOMMU domain
 * @len: 1 to HPMM_DEV_DMA_MAX bytes
 * @dir: DMA_TO_DEVICE reads memory into the device buffer,
 *	DMA_FROM_DEVICE writes the device buffer to memory
 *
 * Sleeps. The edu backend waits for the completion interrupt.
 *
 * Return: 0; -EINVAL for a bad length or direction; -EFAULT (CPU backend)
 * when a page of the range does not translate, in which case no memory was
 * touched; -ETIMEDOUT or -EIO when the device failed.
 */
int hpmm_dev_dma(struct hpmm_dev *dev, enum hpmm_dev_backend backend,
		 dma_addr_t iova, size_t len, enum dma_data_direction dir);

/* The device bound index-th in probe order, or NULL. */
struct hpmm_dev *hpmm_dev_get(unsigned int index);
unsigned int hpmm_dev_count(void);
/* The device's current IOMMU domain, or NULL. */
struct iommu_domain *hpmm_dev_domain(struct hpmm_dev *dev);

/*
 * Who may use a device's DMA: the DMA API maps into the device's default
 * domain, which is only the one the device translates through while no
 * component has attached a domain of its own (VPRI does, as VFIO does).
 * DMA-API users (device self-tests, HPA pools) hold the device with
 * hpmm_dev_dma_api_get(); a component that attaches its own domain claims
 * the device first with hpmm_dev_domain_claim(). Each refuses with -EBUSY
 * while the other holds the device. Claiming and releasing a domain scrub
 * the device first (edu's buffer and the CPU backend's), as VFIO resets a
 * device between owners: no byte of one owner's data reaches the next
 * through the device.
 */
int hpmm_dev_dma_api_get(struct hpmm_dev *dev);
void hpmm_dev_dma_api_put(struct hpmm_dev *dev);
int hpmm_dev_domain_claim(struct hpmm_dev *dev, const char *owner);
void hpmm_dev_domain_release(struct hpmm_dev *dev);
const char *hpmm_domain_type_name(const struct iommu_domain *domain);
int hpmm_parse_backend(const char *s, enum hpmm_dev_backend *backend);

int hpmm_dev_init(struct dentry *root);
void hpmm_dev_exit(void);

/* kernel/dev/debugfs.c */
void hpmm_dev_debugfs_add(struct hpmm_dev *dev, struct dentry *parent);

/* kernel/dev/cpu.c */
int hpmm_cpu_dma(struct hpmm_dev *dev, dma_addr_t iova, size_t len,
		 enum dma_data_direction dir);
/* kernel/dev/edu.c */
int hpmm_edu_dma(struct hpmm_dev *dev, dma_addr_t iova, size_t len,
		 enum dma_data_direction dir);
int hpmm_edu_scrub(struct hpmm_dev *dev);
int hpmm_edu_scrub(struct hpmm_dev *dev);
irqreturn_t hpmm_edu_irq(int irq, void *data);
int hpmm_edu_check_id(struct hpmm_dev *dev);

#endif /* _HPMM_DEV_DEV_H */
