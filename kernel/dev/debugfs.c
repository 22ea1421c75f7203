// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs dev/<bdf>/: info, stats and control. Formats are documented in
 * Documentation/debugfs.rst.
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
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int control_run(void *priv, struct hpmm_dbg_cmd *cmd)
{
	struct hpmm_dev *dev = priv;
	enum hpmm_dev_backend backend;
	unsigned long long val;

	if (cmd->argc != 3 || hpmm_parse_backend(cmd->argv[1], &backend) ||
	    kstrtoull(cmd->argv[2], 0, &val))
		return -EINVAL;

	if (!strcmp(cmd->argv[0], "roundtrip")) {
		if (!val || val > HPMM_DEV_DMA_MAX)
			return -EINVAL;
		return hpmm_dev_roundtrip(dev, backend, val);
	}
	if (!strcmp(cmd->argv[0], "fault")) {
		if (val >= BIT_ULL(HPMM_DEV_DMA_BITS))
			return -EINVAL;
		return hpmm_dev_fault_probe(dev, backend, val);
	}
	return -EINVAL;
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return hpmm_dbg_control_write(ubuf, count, control_run,
				      file_inode(file)->i_private);
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
	.llseek = no_llseek,
};

void hpmm_dev_debugfs_add(struct hpmm_dev *dev, struct dentry *parent)
{
	dev->dbg_dir = debugfs_create_dir(dev->name, parent);
	debugfs_create_file("info", 0400, dev->dbg_dir, dev, &info_fops);
	debugfs_create_file("stats", 0400, dev->dbg_dir, dev, &stats_fops);
	debugfs_create_file("control", 0200, dev->dbg_dir, dev, &control_fops);
}
