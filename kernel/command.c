// SPDX-License-Identifier: GPL-2.0
/*
 * Text commands of the debugfs control files: splitting a write into words
 * and parsing "key=value" arguments. Nothing here allocates, locks or
 * touches user memory; kernel/debugfs.c copies the write in first.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "command.h"

/* Printable ASCII or a tab: the same answer in the kernel and on the host. */
static bool hpmm_cmd_char_ok(char c)
{
	return (c >= ' ' && c <= '~') || c == '\t';
}

/**
 * hpmm_cmd_split() - split a command into words
 * @cmd: @cmd->buf holds the command's @len bytes (room for one more)
 * @len: its length
 *
 * An optional trailing newline is dropped. Refuses a command that is empty,
 * longer than HPMM_CMD_MAX, holds a byte that is neither printable ASCII
 * nor a tab (an embedded NUL would hide the rest), or has more than
 * HPMM_CMD_ARGS_MAX words.
 *
 * Return: 0 with @cmd->argc >= 1, or -EINVAL.
 */
int hpmm_cmd_split(struct hpmm_cmd *cmd, size_t len)
{
	char *p;
	size_t i;

	if (len == 0 || len > HPMM_CMD_MAX)
		return -EINVAL;
	cmd->buf[len] = '\0';
	if (cmd->buf[len - 1] == '\n')
		cmd->buf[--len] = '\0';

	for (i = 0; i < len; i++)
		if (!hpmm_cmd_char_ok(cmd->buf[i]))
			return -EINVAL;

	cmd->argc = 0;
	p = cmd->buf;
	while (p) {
		char *word = strsep(&p, " \t");

		if (!*word)
			continue;
		if (cmd->argc == HPMM_CMD_ARGS_MAX)
			return -EINVAL;
		cmd->argv[cmd->argc++] = word;
	}
	return cmd->argc ? 0 : -EINVAL;
}

static int hpmm_kv_value(const struct hpmm_kv *kv, const char *text, u64 *v)
{
	unsigned long long n;

	if (!kv->val) {
		size_t len = strlen(text);

		return len < kv->min || len > kv->max ? -EINVAL : 0;
	}
	if (kv->names) {
		const char *const *w;

		for (w = kv->names; *w; w++)
			if (!strcmp(*w, text))
				break;
		if (!*w)
			return -EINVAL;
		n = w - kv->names;
	} else if (kstrtoull(text, 0, &n)) {
		return -EINVAL;
	}
	if (n < kv->min || n > kv->max)
		return -EINVAL;
	*v = n;
	return 0;
}

/**
 * hpmm_kv_parse() - parse "key=value" words against a table
 * @tab: the keys accepted, with their ranges
 * @n: entries in @tab, at most HPMM_KV_MAX
 * @argc: words
 * @argv: the words; each must be key=value with a key of @tab, given once,
 *	and a value that is a number (decimal, or hex with 0x) or one of the
 *	key's names within its range, or a string of the key's length
 *
 * All or nothing: the values are stored only when every word parsed, so a
 * malformed command changes nothing. Keys not given keep their value.
 *
 * Return: 0, or -EINVAL.
 */
int hpmm_kv_parse(const struct hpmm_kv *tab, unsigned int n, int argc,
		  char *const *argv)
{
	const char *texts[HPMM_KV_MAX];
	u64 vals[HPMM_KV_MAX];
	bool seen[HPMM_KV_MAX];
	unsigned int k;
	int i;

	if (n > HPMM_KV_MAX || argc < 0)
		return -EINVAL;
	for (k = 0; k < n; k++)
		seen[k] = false;

	for (i = 0; i < argc; i++) {
		const char *word = argv[i];
		const char *eq = strchr(word, '=');
		size_t klen;

		if (!eq || eq == word || !eq[1])
			return -EINVAL;
		klen = eq - word;
		for (k = 0; k < n; k++)
			if (strlen(tab[k].key) == klen &&
			    !strncmp(tab[k].key, word, klen))
				break;
		if (k == n || seen[k] || hpmm_kv_value(&tab[k], eq + 1, &vals[k]))
			return -EINVAL;
		seen[k] = true;
		texts[k] = eq + 1;
	}

	for (k = 0; k < n; k++) {
		if (!seen[k])
			continue;
		if (tab[k].val)
			*tab[k].val = vals[k];
		else
			*tab[k].str = texts[k];
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(hpmm_kv_parse, HPMM);

/**
 * hpmm_name_valid() - may @name name an object (and a debugfs directory)
 * @name: NUL-terminated
 * @max: the longest name allowed
 *
 * Return: true for 1 to @max characters, each a letter, a digit, ``_`` or ``-``.
 */
bool hpmm_name_valid(const char *name, size_t max)
{
	size_t i, len = strnlen(name, max + 1);

	if (!len || len > max)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}
EXPORT_SYMBOL_NS_GPL(hpmm_name_valid, HPMM);
