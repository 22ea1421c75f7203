// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hpmm and its ioctl dispatcher.
 *
 * As in iommufd, every command is _IO(HPMM_IOCTL_TYPE, nr) and its struct
 * starts with a __u64 size. The dispatcher reads the size, copies the
 * struct with copy_struct_from_user() (zero-extending an older, shorter
 * struct and refusing a newer one whose unknown tail is not zero), runs the
 * command and copies the result back in the user's size.
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/hpmm.h>

#include "chardev.h"
#include "hpmm.h"

/* Larger than any command struct will be; bounds the zero-tail check. */
#define HPMM_UCMD_MAX_SIZE PAGE_SIZE

int hpmm_ucmd_respond(struct hpmm_ucmd *ucmd, size_t cmd_len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, cmd_len)))
		return -EFAULT;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(hpmm_ucmd_respond, HPMM);

static int hpmm_ioctl_version(struct hpmm_ucmd *ucmd)
{
	struct hpmm_version *cmd = ucmd->cmd;
	unsigned int i;

	cmd->abi_version = HPMM_ABI_VERSION;
	cmd->components = HPMM_COMPONENT_DEV;
	for (i = 0; i < hpmm_nr_components; i++)
		cmd->components |= hpmm_components[i]->abi_bit;
	return hpmm_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct hpmm_ioctl_op hpmm_core_ioctl_ops[] = {
	HPMM_IOCTL_OP(HPMM_CMD_VERSION, struct hpmm_version, components,
		      hpmm_ioctl_version),
	HPMM_IOCTL_OP(HPMM_CMD_DESTROY, struct hpmm_destroy, id,
		      hpmm_ioctl_destroy),
};

static const struct hpmm_ioctl_op *hpmm_ioctl_op_find(unsigned int nr)
{
	const struct hpmm_ioctl_op *op = NULL;
	unsigned int i;

	if (nr < ARRAY_SIZE(hpmm_core_ioctl_ops)) {
		op = &hpmm_core_ioctl_ops[nr];
	} else {
		for (i = 0; i < hpmm_nr_components; i++) {
			const struct hpmm_component *c = hpmm_components[i];

			if (nr >= c->ioctl_base &&
			    nr - c->ioctl_base < c->nr_ioctl_ops) {
				op = &c->ioctl_ops[nr - c->ioctl_base];
				break;
			}
		}
	}
	return op;
}

/**
 * hpmm_ioctl_run() - copy in a size-first command struct, run it, free it
 * @op: the command; NULL or without @execute is -ENOTTY
 * @ucmd: @ubuffer and the file fields set; @user_size and @cmd are filled
 * @lock: held (killable) around @op->execute
 *
 * The iommufd rules: the user's struct starts with its size, which must
 * cover the first version of the command and at most a page; a shorter
 * struct is zero-extended, a longer one's tail must be zero (-E2BIG).
 *
 * Return: what @op->execute returned, or -ENOTTY, -EFAULT, -EINVAL,
 * -E2BIG, -ENOMEM, -EINTR.
 */
int hpmm_ioctl_run(const struct hpmm_ioctl_op *op, struct hpmm_ucmd *ucmd,
		   struct mutex *lock)
{
	int ret;

	if (!op || !op->execute)
		return -ENOTTY;
	if (get_user(ucmd->user_size, (u64 __user *)ucmd->ubuffer))
		return -EFAULT;
	if (ucmd->user_size < op->min_size)
		return -EINVAL;
	if (ucmd->user_size > HPMM_UCMD_MAX_SIZE)
		return -E2BIG;

	ucmd->cmd = kzalloc(op->size, GFP_KERNEL);
	if (!ucmd->cmd)
		return -ENOMEM;
	ret = copy_struct_from_user(ucmd->cmd, op->size, ucmd->ubuffer,
				    ucmd->user_size);
	if (!ret)
		ret = mutex_lock_killable(lock);
	if (!ret) {
		ret = op->execute(ucmd);
		mutex_unlock(lock);
	}
	kfree(ucmd->cmd);
	ucmd->cmd = NULL;
	return ret;
}
EXPORT_SYMBOL_NS_GPL(hpmm_ioctl_run, HPMM);

static long hpmm_fops_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct hpmm_ucmd ucmd = {
		.hfile = file->private_data,
		.ubuffer = (void __user *)arg,
	};
	unsigned int nr = _IOC_NR(cmd);

	if (cmd != _IO(HPMM_IOCTL_TYPE, nr))
		return -ENOTTY;
	return hpmm_ioctl_run(hpmm_ioctl_op_find(nr), &ucmd,
			      &ucmd.hfile->lock);
}

static int hpmm_fops_open(struct inode *inode, struct file *file)
{
	struct hpmm_file *hfile;

	hfile = kzalloc(sizeof(*hfile), GFP_KERNEL);
	if (!hfile)
		return -ENOMEM;
	mutex_init(&hfile->lock);
	INIT_LIST_HEAD(&hfile->objects);
	file->private_data = hfile;
	return 0;
}

static int hpmm_fops_release(struct inode *inode, struct file *file)
{
	struct hpmm_file *hfile = file->private_data;
	unsigned int i;

	hpmm_objects_release(hfile);
	for (i = hpmm_nr_components; i-- > 0;)
		if (hpmm_components[i]->release)
			hpmm_components[i]->release(hfile);
	mutex_destroy(&hfile->lock);
	kfree(hfile);
	return 0;
}

static int hpmm_fops_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned int i;

	for (i = 0; i < hpmm_nr_components; i++)
		if (hpmm_components[i]->mmap)
			return hpmm_components[i]->mmap(file->private_data,
							vma);
	return -ENODEV;
}

static const struct file_operations hpmm_fops = {
	.owner = THIS_MODULE,
	.open = hpmm_fops_open,
	.release = hpmm_fops_release,
	.unlocked_ioctl = hpmm_fops_ioctl,
	.mmap = hpmm_fops_mmap,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hpmm_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hpmm",
	.fops = &hpmm_fops,
	.mode = 0600,
};

int hpmm_chardev_init(void)
{
	return misc_register(&hpmm_miscdev);
}

void hpmm_chardev_exit(void)
{
	misc_deregister(&hpmm_miscdev);
}
