/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG's tests in hpmm_test.ko, shared by kernel/test/defrag_*.c: the
 * component (defrag_test.c), the trace replay (defrag_replay.c) and the
 * check of the refusal paths (defrag_check.c).
 */
#ifndef _HPMM_TEST_DEFRAG_TEST_H
#define _HPMM_TEST_DEFRAG_TEST_H

struct dentry;

/* debugfs @dir/replay/; the replay's state goes with dfg_replay_exit(). */
int dfg_replay_init(struct dentry *dir);
void dfg_replay_exit(void);

/*
 * Every refusal path of dfg_free_pages() and dfg_alloc_pages(), in a group
 * of its own: 0, or -EIO with the failing check logged.
 */
int dfg_check_refusals(void);

#endif /* _HPMM_TEST_DEFRAG_TEST_H */
