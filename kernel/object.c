// SPDX-License-Identifier: GPL-2.0
/*
 * Objects of /dev/hpmm: what a user creates through the device (a DEFRAG
 * allocation group, a VPRI domain) is an object with an id, as in iommufd.
 * Each is owned by the open file that created it: commands name it by id
 * on that file, HPMM_IOCTL_DESTROY destroys any type of object, and closing
 * the file destroys everything it still owns, newest first, so a process
 * that exits with objects leaks nothing.
 *
 * Ids come from one module-wide xarray, cyclically (an id is not soon
 * reused), so an id also names the object in debugfs and in the log; a
 * lookup through another file finds nothing.
 * Commands run under the owning file's lock (chardev.c), which is what
 * keeps an object found by hpmm_object_find() alive until the command ends.
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/module.h>
#include <linux/xarray.h>

#include <uapi/hpmm.h>

#include "chardev.h"
#include "hpmm.h"

static DEFINE_XARRAY_ALLOC1(hpmm_objects);
/* Ids are handed out cyclically: a new object does not take a recent id. */
static u32 hpmm_next_object_id;

static const struct hpmm_object_ops *hpmm_object_ops(enum hpmm_object_type type)
{
	unsigned int i, j;

	for (i = 0; i < hpmm_nr_components; i++) {
		const struct hpmm_component *c = hpmm_components[i];

		for (j = 0; j < c->nr_object_ops; j++)
			if (c->object_ops[j].type == type)
				return &c->object_ops[j];
	}
	return NULL;
}

/**
 * hpmm_object_add() - give a new object its id and publish it
 * @hfile: the file that owns it from now on
 * @obj: the object, embedded in the component's structure
 * @type: what it is; a component of the module lists its ops
 *
 * Call once the object is fully set up: a command of the same file may
 * find it as soon as this returns (they are serialised by the file's lock).
 *
 * Return: 0 with @obj->id set, -ENOSPC when the file owns
 * HPMM_FILE_OBJECTS_MAX objects already or ids ran out, or -ENOMEM.
 */
int hpmm_object_add(struct hpmm_file *hfile, struct hpmm_object *obj,
		    enum hpmm_object_type type)
{
	int ret;

	lockdep_assert_held(&hfile->lock);
	if (WARN_ON_ONCE(!hpmm_object_ops(type)))
		return -EINVAL;
	if (hfile->nr_objects >= HPMM_FILE_OBJECTS_MAX)
		return -ENOSPC;
	obj->type = type;
	obj->owner = hfile;
	ret = xa_alloc_cyclic(&hpmm_objects, &obj->id, obj, xa_limit_31b,
			      &hpmm_next_object_id, GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		return ret;
	list_add_tail(&obj->file_node, &hfile->objects);
	hfile->nr_objects++;
	return 0;
}

static struct hpmm_object *hpmm_object_find_any_type(struct hpmm_file *hfile,
						     u64 id)
{
	struct hpmm_object *obj;

	lockdep_assert_held(&hfile->lock);
	if (!id || id > INT_MAX)
		return NULL;
	obj = xa_load(&hpmm_objects, id);
	return obj && obj->owner == hfile ? obj : NULL;
}

/**
 * hpmm_object_find() - the object @id of @hfile, if it has type @type
 * @hfile: the file the command came through; its lock is held
 * @id: the id the user gave
 * @type: the type the command expects
 *
 * Return: the object, or NULL.
 */
struct hpmm_object *hpmm_object_find(struct hpmm_file *hfile, u64 id,
				     enum hpmm_object_type type)
{
	struct hpmm_object *obj = hpmm_object_find_any_type(hfile, id);

	return obj && obj->type == type ? obj : NULL;
}

/**
 * hpmm_object_remove() - take an object out of its table
 * @obj: an object hpmm_object_add() published
 *
 * For a component that tears an object down by a command of its own: its
 * id is free once this returns.
 */
void hpmm_object_remove(struct hpmm_object *obj)
{
	lockdep_assert_held(&obj->owner->lock);
	xa_erase(&hpmm_objects, obj->id);
	list_del(&obj->file_node);
	obj->owner->nr_objects--;
}

/* HPMM_IOCTL_DESTROY: any object of the calling file. */
int hpmm_ioctl_destroy(struct hpmm_ucmd *ucmd)
{
	struct hpmm_destroy *cmd = ucmd->cmd;
	struct hpmm_object *obj;
	struct list_head *prev;
	u32 id;
	int ret;

	obj = hpmm_object_find_any_type(ucmd->hfile, cmd->id);
	if (!obj)
		return -ENOENT;
	/*
	 * Out of the table before destroy(), which frees the object when it
	 * succeeds: a lookup through any file now finds nothing (a zero
	 * entry), while the id stays taken in case destroy() refuses.
	 */
	id = obj->id;
	xa_cmpxchg(&hpmm_objects, id, obj, XA_ZERO_ENTRY, GFP_KERNEL);
	prev = obj->file_node.prev;
	list_del(&obj->file_node);
	ret = hpmm_object_ops(obj->type)->destroy(obj);
	if (ret) {
		/* Back where it was: the slot exists, nothing allocates. */
		list_add(&obj->file_node, prev);
		xa_store(&hpmm_objects, id, obj, GFP_KERNEL);
		return ret;
	}
	xa_erase(&hpmm_objects, id);
	ucmd->hfile->nr_objects--;
	return 0;
}

/**
 * hpmm_objects_release() - destroy every object a closing file owns
 * @hfile: the file; no command can run on it any more
 *
 * Newest first, so an object is released before the objects it was made
 * from.
 */
void hpmm_objects_release(struct hpmm_file *hfile)
{
	struct hpmm_object *obj, *tmp;

	list_for_each_entry_safe_reverse(obj, tmp, &hfile->objects, file_node) {
		xa_erase(&hpmm_objects, obj->id);
		list_del(&obj->file_node);
		hpmm_object_ops(obj->type)->release(obj);
	}
	hfile->nr_objects = 0;
}
