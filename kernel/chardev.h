/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/hpmm: the misc device through which user memory reaches hpmm
 * (ioctl and, for components that need it, mmap).
 */
#ifndef _HPMM_CHARDEV_H
#define _HPMM_CHARDEV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "hpmm.h"

/* The most objects one open file may own. */
#define HPMM_FILE_OBJECTS_MAX	1024

/**
 * struct hpmm_file - one open file of /dev/hpmm
 * @lock: serialises commands on this file
 * @objects: the objects it owns, oldest first (struct hpmm_object)
 * @nr_objects: how many
 * @priv: each component's per-open state, indexed by enum hpmm_component_id
 *
 * Closing the file destroys its objects (newest first), then each
 * component's release() gives back its per-open state, so a process that
 * exits with objects registered leaks nothing.
 */
struct hpmm_file {
	struct mutex lock; /* one command at a time */
	struct list_head objects;
	unsigned int nr_objects;
	void *priv[HPMM_NR_COMPONENTS];
};

/**
 * enum hpmm_object_type - what an object of /dev/hpmm is
 * @HPMM_OBJ_DEFRAG_GROUP: a DEFRAG allocation group
 * @HPMM_OBJ_VPRI_DOMAIN: a VPRI domain
 */
enum hpmm_object_type {
	HPMM_OBJ_DEFRAG_GROUP = 1,
	HPMM_OBJ_VPRI_DOMAIN,
};

/**
 * struct hpmm_object - what a user created through /dev/hpmm
 * @type: what it is
 * @id: its id, unique in the module; the uapi's object id
 * @owner: the open file that created it
 * @file_node: in @owner's list
 *
 * Embedded in the component's own structure (container_of()).
 */
struct hpmm_object {
	enum hpmm_object_type type;
	u32 id;
	struct hpmm_file *owner;
	struct list_head file_node;
};

/**
 * struct hpmm_object_ops - one type of object, as its component handles it
 * @type: the type
 * @destroy: HPMM_IOCTL_DESTROY: tear the object down and free it (it is
 *	already out of its file's table), or refuse with -EBUSY while it is
 *	in use (it then stays); the owner's lock is held
 * @release: the owner is closed: tear the object down whatever uses it;
 *	what others still hold of it lives on through the component's own
 *	references. Cannot fail.
 */
struct hpmm_object_ops {
	enum hpmm_object_type type;
	int (*destroy)(struct hpmm_object *obj);
	void (*release)(struct hpmm_object *obj);
};

int hpmm_object_add(struct hpmm_file *hfile, struct hpmm_object *obj,
		    enum hpmm_object_type type);
struct hpmm_object *hpmm_object_find(struct hpmm_file *hfile, u64 id,
				     enum hpmm_object_type type);
void hpmm_object_remove(struct hpmm_object *obj);
void hpmm_objects_release(struct hpmm_file *hfile);

/**
 * struct hpmm_ucmd - one ioctl being executed
 * @hfile: the /dev/hpmm file it came through (NULL for another device)
 * @priv: another device's per-open state (hpmm_test's /dev/hpmm_test)
 * @ubuffer: the user's struct
 * @user_size: the size the user said its struct has
 * @cmd: the kernel's copy, zero-extended or truncated to the kernel's size
 */
struct hpmm_ucmd {
	struct hpmm_file *hfile;
	void *priv;
	void __user *ubuffer;
	u64 user_size;
	void *cmd;
};

int hpmm_ucmd_respond(struct hpmm_ucmd *ucmd, size_t cmd_len);
int hpmm_ioctl_destroy(struct hpmm_ucmd *ucmd);
int hpmm_ioctl_run(const struct hpmm_ioctl_op *op, struct hpmm_ucmd *ucmd, struct mutex *lock);

int hpmm_chardev_init(void);
void hpmm_chardev_exit(void);

#endif /* _HPMM_CHARDEV_H */
