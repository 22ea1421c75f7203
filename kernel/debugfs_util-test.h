/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the debugfs command parser, included at the end of
 * debugfs_util.c (as DAMON does) so they can reach its static functions.
 * Built only when the kernel has CONFIG_KUNIT.
 */
#ifndef _HPMM_DEBUGFS_UTIL_TEST_H
#define _HPMM_DEBUGFS_UTIL_TEST_H

#include <kunit/test.h>

static int hpmm_test_split(struct hpmm_dbg_cmd *cmd, const char *s, size_t len)
{
	memcpy(cmd->buf, s, len);
	return hpmm_dbg_split_cmd(cmd, len);
}

static void hpmm_dbg_split_words(struct kunit *test)
{
	struct hpmm_dbg_cmd *cmd = kunit_kzalloc(test, sizeof(*cmd), GFP_KERNEL);
	const char *s = "  roundtrip\tedu  1024\n";

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, s, strlen(s)), 0);
	KUNIT_EXPECT_EQ(test, cmd->argc, 3);
	KUNIT_EXPECT_STREQ(test, cmd->argv[0], "roundtrip");
	KUNIT_EXPECT_STREQ(test, cmd->argv[1], "edu");
	KUNIT_EXPECT_STREQ(test, cmd->argv[2], "1024");
}

static void hpmm_dbg_split_refuses(struct kunit *test)
{
	struct hpmm_dbg_cmd *cmd = kunit_kzalloc(test, sizeof(*cmd), GFP_KERNEL);
	char many[2 * (HPMM_DBG_ARGS_MAX + 1) + 1];
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	/* Empty, blank, a lone newline. */
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, "", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, "   ", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, "\n", 1), -EINVAL);
	/* An embedded NUL or a control character. */
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, "a\0b", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, "a\x01", 2), -EINVAL);
	/* Too long. */
	KUNIT_EXPECT_EQ(test, hpmm_dbg_split_cmd(cmd, HPMM_DBG_CMD_MAX + 1),
			-EINVAL);
	/* One word too many. */
	for (i = 0; i < HPMM_DBG_ARGS_MAX + 1; i++) {
		many[2 * i] = 'w';
		many[2 * i + 1] = ' ';
	}
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, many, 2 * i), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpmm_test_split(cmd, many, 2 * i - 2), 0);
	KUNIT_EXPECT_EQ(test, cmd->argc, HPMM_DBG_ARGS_MAX);
}

static struct kunit_case hpmm_dbg_test_cases[] = {
	KUNIT_CASE(hpmm_dbg_split_words),
	KUNIT_CASE(hpmm_dbg_split_refuses),
	{}
};

static struct kunit_suite hpmm_dbg_test_suite = {
	.name = "hpmm_debugfs_cmd",
	.test_cases = hpmm_dbg_test_cases,
};

kunit_test_suite(hpmm_dbg_test_suite);

#endif /* _HPMM_DEBUGFS_UTIL_TEST_H */
