// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm_test.ko: see test.h. Module init creates debugfs hpmm_test/, starts
 * each component's tests and registers /dev/hpmm_test last; every error
 * unwinds in reverse.
 */
#define pr_fmt(fmt) "hpmm_test: " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hpmm_test_uapi.h"
#include "test.h"

static const struct hpmm_test_component *const hpmm_test_components[] = {
	&hpmm_test_dev,
#if IS_ENABLED(CONFIG_HPMM_HPA)
	&hpmm_test_hpa,
#endif
#if IS_ENABLED(CONFIG_HPMM_DEFRAG)
	&hpmm_test_defrag,
#endif
#if IS_ENABLED(CONFIG_HPMM_VPRI)
	&hpmm_test_vpri,
#endif
	NULL
};

#define HPMM_TEST_NR (ARRAY_SIZE(hpmm_test_components) - 1)

static struct dentry *hpmm_test_root;

static const struct hpmm_ioctl_op *hpmm_test_op_find(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < HPMM_TEST_NR; i++) {
		const struct hpmm_test_component *c = hpmm_test_components[i];

		if (nr >= c->ioctl_base && nr - c->ioctl_base < c->nr_ioctl_ops)
			return &c->ioctl_ops[nr - c->ioctl_base];
	}
	return NULL;
}

static long hpmm_test_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct hpmm_test_file *tfile = file->private_data;
	struct hpmm_ucmd ucmd = {
		.priv = tfile,
		.ubuffer = (void __user *)arg,
	};
	unsigned int nr = _IOC_NR(cmd);

	if (cmd != _IO(HPMM_TEST_IOCTL_TYPE, nr))
		return -ENOTTY;
	return hpmm_ioctl_run(hpmm_test_op_find(nr), &ucmd, &tfile->lock);
}

static int hpmm_test_open(struct inode *inode, struct file *file)
{
	struct hpmm_test_file *tfile;

	/* The test ABI hands out physical addresses and bypasses checks. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	tfile = kzalloc(sizeof(*tfile), GFP_KERNEL);
	if (!tfile)
		return -ENOMEM;
	mutex_init(&tfile->lock);
	file->private_data = tfile;
	return 0;
}

static int hpmm_test_release(struct inode *inode, struct file *file)
{
	struct hpmm_test_file *tfile = file->private_data;
	unsigned int i;

	for (i = HPMM_TEST_NR; i-- > 0;)
		if (hpmm_test_components[i]->release)
			hpmm_test_components[i]->release(tfile);
	mutex_destroy(&tfile->lock);
	kfree(tfile);
	return 0;
}

static const struct file_operations hpmm_test_fops = {
	.owner = THIS_MODULE,
	.open = hpmm_test_open,
	.release = hpmm_test_release,
	.unlocked_ioctl = hpmm_test_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hpmm_test_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hpmm_test",
	.fops = &hpmm_test_fops,
	.mode = 0600,
};

static void hpmm_test_components_exit(unsigned int n)
{
	while (n-- > 0)
		hpmm_test_components[n]->exit();
}

static int __init hpmm_test_init(void)
{
	unsigned int i;
	int ret;

	hpmm_test_root = debugfs_create_dir("hpmm_test", NULL);
	for (i = 0; i < HPMM_TEST_NR; i++) {
		ret = hpmm_test_components[i]->init(hpmm_test_root);
		if (ret) {
			pr_err("%s: init failed: %d\n",
			       hpmm_test_components[i]->name, ret);
			goto err_components;
		}
	}
	ret = misc_register(&hpmm_test_miscdev);
	if (ret)
		goto err_components;
	return 0;

err_components:
	/* Writers of the control files are done once this returns. */
	debugfs_remove_recursive(hpmm_test_root);
	hpmm_test_components_exit(i);
	return ret;
}

static void __exit hpmm_test_exit(void)
{
	misc_deregister(&hpmm_test_miscdev);
	debugfs_remove_recursive(hpmm_test_root);
	hpmm_test_components_exit(HPMM_TEST_NR);
}

module_init(hpmm_test_init);
module_exit(hpmm_test_exit);

MODULE_DESCRIPTION("hpmm_test: benchmarks, models and test hooks for hpmm");
MODULE_AUTHOR("hpmm developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(HPMM);
