// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the commands written to hpmm's debugfs control files.
 *
 * One write is one command: words separated by blanks, an optional trailing
 * newline, at most HPMM_DBG_CMD_MAX bytes. Anything else is -EINVAL, before
 * any component sees it.
 */
#include <linux/ctype.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hpmm.h"

/*
 * Split cmd->buf, @len bytes long, into words. Refuses a command that is
 * empty, too long, not printable or has too many words.
 */
static int hpmm_dbg_split_cmd(struct hpmm_dbg_cmd *cmd, size_t len)
{
	char *p;
	size_t i;

	if (len == 0 || len > HPMM_DBG_CMD_MAX)
		return -EINVAL;
	cmd->buf[len] = '\0';
	if (cmd->buf[len - 1] == '\n')
		cmd->buf[--len] = '\0';

	/* Printable text only; an embedded NUL would hide the rest. */
	for (i = 0; i < len; i++)
		if (!isprint(cmd->buf[i]) && cmd->buf[i] != '\t')
			return -EINVAL;

	cmd->argc = 0;
	p = cmd->buf;
	while (p) {
		char *word = strsep(&p, " \t");

		if (!*word)
			continue;
		if (cmd->argc == HPMM_DBG_ARGS_MAX)
			return -EINVAL;
		cmd->argv[cmd->argc++] = word;
	}
	return cmd->argc ? 0 : -EINVAL;
}

/**
 * hpmm_dbg_parse_cmd() - copy and split one control-file write
 * @cmd: where the words go
 * @ubuf: the user's buffer
 * @count: its length
 *
 * Return: 0 with @cmd->argc >= 1; -EINVAL for an empty, oversized or
 * non-printable command or one with too many words; -EFAULT when @ubuf
 * cannot be read.
 */
int hpmm_dbg_parse_cmd(struct hpmm_dbg_cmd *cmd, const char __user *ubuf,
		       size_t count)
{
	if (count == 0 || count > HPMM_DBG_CMD_MAX)
		return -EINVAL;
	if (copy_from_user(cmd->buf, ubuf, count))
		return -EFAULT;
	return hpmm_dbg_split_cmd(cmd, count);
}

/**
 * hpmm_dbg_control_write() - the body of every debugfs control file's write
 * @ubuf: the user's buffer
 * @count: its length
 * @run: runs the parsed command; returns 0 or a negative errno
 * @priv: passed to @run
 *
 * Parses one command (see hpmm_dbg_parse_cmd()) into a heap buffer (a
 * command is too big for the stack) and runs it.
 *
 * Return: @count when @run succeeded, else the negative errno of the
 * parser or of @run.
 */
ssize_t hpmm_dbg_control_write(const char __user *ubuf, size_t count,
			       int (*run)(void *priv, struct hpmm_dbg_cmd *cmd),
			       void *priv)
{
	struct hpmm_dbg_cmd *cmd;
	int ret;

	cmd = kmalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	ret = hpmm_dbg_parse_cmd(cmd, ubuf, count);
	if (!ret)
		ret = run(priv, cmd);
	kfree(cmd);
	return ret ? ret : count;
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "debugfs_util-test.h"
#endif
