/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/hpmm: the misc device through which user memory reaches hpmm
 * (ioctl and, for components that need it, mmap).
 */
#ifndef _HPMM_CHARDEV_H
#define _HPMM_CHARDEV_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "hpmm.h"

/**
 * struct hpmm_file - one open file of /dev/hpmm
 * @lock: serialises commands on this file
 * @priv: each component's per-open state, indexed by enum hpmm_component_id
 *
 * Components hang per-open state here; their release() gives it all back,
 * so a process that exits with objects registered leaks nothing.
 */
struct hpmm_file {
	struct mutex lock; /* one command at a time */
	void *priv[HPMM_NR_COMPONENTS];
};

/**
 * struct hpmm_ucmd - one ioctl being executed
 * @hfile: the file it came through
 * @ubuffer: the user's struct
 * @user_size: the size the user said its struct has
 * @cmd: the kernel's copy, zero-extended or truncated to the kernel's size
 */
struct hpmm_ucmd {
	struct hpmm_file *hfile;
	void __user *ubuffer;
	u64 user_size;
	void *cmd;
};

int hpmm_ucmd_respond(struct hpmm_ucmd *ucmd, size_t cmd_len);

int hpmm_chardev_init(void);
void hpmm_chardev_exit(void);

#endif /* _HPMM_CHARDEV_H */
