/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text commands, as written to hpmm's debugfs control files: one write is
 * one command, words separated by blanks, then "key=value" arguments parsed
 * against a table of the keys a command accepts.
 *
 * Pure logic: command.c includes only kernel headers that the host layer
 * (tools/include/linux/) also provides, so the Google Test suite builds the
 * very same file (tools/tests/command_test.cpp).
 */
#ifndef _HPMM_COMMAND_H
#define _HPMM_COMMAND_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest command accepted by a control file, in bytes. */
#define HPMM_CMD_MAX		256
/* The most words in one command. */
#define HPMM_CMD_ARGS_MAX	16
/* The most keys one hpmm_kv_parse() table may have. */
#define HPMM_KV_MAX		32

/**
 * struct hpmm_cmd - one command, split into words
 * @buf: NUL-terminated copy of the user's write, split in place
 * @argc: number of words
 * @argv: the words
 */
struct hpmm_cmd {
	char buf[HPMM_CMD_MAX + 1];
	int argc;
	char *argv[HPMM_CMD_ARGS_MAX];
};

int hpmm_cmd_split(struct hpmm_cmd *cmd, size_t len);

/**
 * struct hpmm_kv - one "key=value" argument a command accepts
 * @key: its name
 * @min: smallest accepted number
 * @max: largest accepted number
 * @val: where a number goes, or NULL when the value is a string
 * @names: NULL, or a NULL-terminated list of words the value may be instead
 *	of a number; a word stores its index (which @min and @max still bound)
 * @str: with @val NULL: where a pointer to the value's text goes (into the
 *	command's own buffer); its length must be @min to @max bytes
 */
struct hpmm_kv {
	const char *key;
	u64 min;
	u64 max;
	u64 *val;
	const char *const *names;
	const char **str;
};

int hpmm_kv_parse(const struct hpmm_kv *tab, unsigned int n, int argc,
		  char *const *argv);
bool hpmm_name_valid(const char *name, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* _HPMM_COMMAND_H */
