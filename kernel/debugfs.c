// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs control files: the one write path every hpmm (and hpmm_test)
 * control file shares.
 *
 * One write is one command (kernel/command.c splits it). The command is
 * copied from user space into a buffer of its own before any lock is taken,
 * so a writer stalled in copy_from_user() (a userfaultfd page) holds
 * nothing; then the first word picks an entry of the control's table, whose
 * word count is checked, and the entry runs under the control's mutex when
 * it has one. Anything malformed is -EINVAL before a component sees it.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat/fs.h"
#include "hpmm.h"

static const struct hpmm_dbg_verb *
hpmm_dbg_find_verb(const struct hpmm_dbg_control *ctl, const struct hpmm_cmd *cmd)
{
	const struct hpmm_dbg_verb *v;

	for (v = ctl->verbs; v->name; v++)
		if (!strcmp(v->name, cmd->argv[0]))
			return cmd->argc >= v->min_args &&
			       cmd->argc <= v->max_args ? v : NULL;
	return NULL;
}

static ssize_t hpmm_dbg_control_write(struct file *file, const char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	const struct hpmm_dbg_control *ctl = file->private_data;
	const struct hpmm_dbg_verb *verb;
	struct hpmm_cmd *cmd;
	int ret;

	if (count == 0 || count > HPMM_CMD_MAX)
		return -EINVAL;
	cmd = kmalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(cmd->buf, ubuf, count))
		goto out;
	ret = hpmm_cmd_split(cmd, count);
	if (ret)
		goto out;
	ret = -EINVAL;
	verb = hpmm_dbg_find_verb(ctl, cmd);
	if (!verb)
		goto out;
	if (ctl->lock) {
		ret = mutex_lock_killable(ctl->lock);
		if (ret)
			goto out;
	}
	ret = verb->run(ctl->priv, cmd);
	if (ctl->lock)
		mutex_unlock(ctl->lock);
out:
	kfree(cmd);
	return ret ? ret : count;
}

static const struct file_operations hpmm_dbg_control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hpmm_dbg_control_write,
	.llseek = no_llseek,
};

/**
 * hpmm_dbg_create_control() - create a control file
 * @name: its name ("control")
 * @parent: its directory
 * @ctl: its commands; must stay valid until the file is removed
 *
 * The file is write-only for root (0200). debugfs waits for writers in
 * flight when the file is removed, so @ctl (and the module that owns it)
 * may go once debugfs_remove() of the file or its directory returned.
 *
 * Return: the dentry, as debugfs_create_file().
 */
struct dentry *hpmm_dbg_create_control(const char *name, struct dentry *parent,
				       const struct hpmm_dbg_control *ctl)
{
	return debugfs_create_file(name, 0200, parent, (void *)ctl,
				   &hpmm_dbg_control_fops);
}
EXPORT_SYMBOL_NS_GPL(hpmm_dbg_create_control, HPMM);
