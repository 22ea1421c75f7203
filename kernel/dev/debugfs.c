// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs dev/<bdf>/: info and stats. Formats are documented in
 * Documentation/debugfs.rst; the device self-tests are hpmm_test's
 * (kernel/test/dev.c).
 */
#include <linux/debugfs.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "dev.h"

static int info_show(struct seq_file *m, void *unused)
{
	struct hpmm_dev *dev = m->private;
	struct iommu_group *group = iommu_group_get(&dev->pdev->dev);

	seq_printf(m, "index: %u\n", dev->index);
	seq_printf(m, "bdf: %s\n", dev->name);
	seq_printf(m, "iommu_group: %d\n", group ? iommu_group_id(group) : -1);
	iommu_group_put(group);
	seq_printf(m, "domain_type: %s\n",
		   hpmm_domain_type_name(hpmm_dev_domain(dev)));
	seq_printf(m, "dma_mask_bits: %d\n", HPMM_DEV_DMA_BITS);
	seq_printf(m, "irq: %d\n", dev->irq);
	seq_printf(m, "broken: %d\n", READ_ONCE(dev->broken));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int stats_show(struct seq_file *m, void *unused)
{
	struct hpmm_dev_stats *s = &((struct hpmm_dev *)m->private)->stats;

	seq_printf(m, "dma_ops: %lld\n", atomic64_read(&s->dma_ops));
	seq_printf(m, "dma_bytes: %lld\n", atomic64_read(&s->dma_bytes));
	seq_printf(m, "to_device: %lld\n", atomic64_read(&s->to_device));
	seq_printf(m, "from_device: %lld\n", atomic64_read(&s->from_device));
	seq_printf(m, "cpu_ops: %lld\n", atomic64_read(&s->cpu_ops));
	seq_printf(m, "edu_ops: %lld\n", atomic64_read(&s->edu_ops));
	seq_printf(m, "faults: %lld\n", atomic64_read(&s->faults));
	seq_printf(m, "errors: %lld\n", atomic64_read(&s->errors));
	seq_printf(m, "last_ns: %lld\n", atomic64_read(&s->last_ns));
	seq_printf(m, "total_edu_ns: %lld\n", atomic64_read(&s->total_edu_ns));
	seq_printf(m, "scrubs: %lld\n", atomic64_read(&s->scrubs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

void hpmm_dev_debugfs_add(struct hpmm_dev *dev, struct dentry *parent)
{
	dev->dbg_dir = debugfs_create_dir(dev->name, parent);
	debugfs_create_file("info", 0400, dev->dbg_dir, dev, &info_fops);
	debugfs_create_file("stats", 0400, dev->dbg_dir, dev, &stats_fops);
}
