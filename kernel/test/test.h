/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hpmm_test.ko: code that exercises and measures hpmm.ko but has no place
 * in it (benchmarks, receive models, the page_pool twin, replays,
 * self-checks, test hooks), in the lib/test_hmm.c pattern: a module of its
 * own with a private ABI (hpmm_test_uapi.h) on /dev/hpmm_test, and debugfs
 * commands under /sys/kernel/debug/hpmm_test/. It reaches hpmm.ko only
 * through the symbols hpmm.ko exports in the HPMM namespace.
 */
#ifndef _HPMM_TEST_TEST_H
#define _HPMM_TEST_TEST_H

#include <linux/mutex.h>

#include "../chardev.h"
#include "../hpmm.h"

struct dentry;
struct hpmm_test_file;

/**
 * struct hpmm_test_component - one component's tests
 * @name: the component; also its debugfs directory under hpmm_test/
 * @init: sets up its state and debugfs files under @root
 * @exit: undoes @init; called only after a successful @init
 * @ioctl_base: the first command number it owns (HPMM_TEST_CMD_*_BASE)
 * @ioctl_ops: its commands, indexed by number - @ioctl_base
 * @nr_ioctl_ops: how many entries @ioctl_ops has
 * @release: gives back what an open /dev/hpmm_test holds (may be NULL)
 */
struct hpmm_test_component {
	const char *name;
	int (*init)(struct dentry *root);
	void (*exit)(void);
	unsigned int ioctl_base;
	const struct hpmm_ioctl_op *ioctl_ops;
	unsigned int nr_ioctl_ops;
	void (*release)(struct hpmm_test_file *tfile);
};

/**
 * enum hpmm_test_component_id - slots of per-open state
 * @HPMM_TEST_DEV: the DMA device checks
 * @HPMM_TEST_HPA: HPA's models and benchmarks
 * @HPMM_TEST_DEFRAG: DEFRAG's replay, self-check and raw allocations
 * @HPMM_TEST_VPRI: VPRI's benchmarks and test hooks
 * @HPMM_TEST_NR_COMPONENTS: how many there can be
 */
enum hpmm_test_component_id {
	HPMM_TEST_DEV,
	HPMM_TEST_HPA,
	HPMM_TEST_DEFRAG,
	HPMM_TEST_VPRI,
	HPMM_TEST_NR_COMPONENTS,
};

/**
 * struct hpmm_test_file - one open /dev/hpmm_test
 * @lock: serialises its commands
 * @priv: each component's per-open state, by enum hpmm_test_component_id
 */
struct hpmm_test_file {
	struct mutex lock; /* one command at a time */
	void *priv[HPMM_TEST_NR_COMPONENTS];
};

extern const struct hpmm_test_component hpmm_test_dev;
extern const struct hpmm_test_component hpmm_test_hpa;
extern const struct hpmm_test_component hpmm_test_defrag;
extern const struct hpmm_test_component hpmm_test_vpri;

#endif /* _HPMM_TEST_TEST_H */
