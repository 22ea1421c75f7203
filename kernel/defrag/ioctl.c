// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG's uapi on /dev/hpmm (include/uapi/hpmm-defrag.h): allocation
 * groups as objects of the open file, their settings and compaction, the
 * mapping settings of the file, and its mmap. A client of the core
 * (group.c, map.c, compact.c): everything it does goes through them.
 */
#define pr_fmt(fmt) "hpmm: defrag: " fmt

#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/slab.h>

#include <uapi/hpmm-defrag.h>

#include "chardev.h"
#include "compat/fs.h"
#include "defrag.h"

/**
 * struct dfg_file - DEFRAG state of one open file of /dev/hpmm
 * @lock: guards the mapping settings, which mmap reads without the file's
 *	lock (it runs under mmap_lock)
 * @map_id: the group id the next mmaps use (0: by cgroup)
 * @map_group: that group while it exists (no reference: the file owns it,
 *	and destroying it clears this first), else NULL
 * @placement: the placement of the next mmaps (enum dfg_placement_id)
 */
struct dfg_file {
	spinlock_t lock; /* guards map_id, map_group, placement */
	u64 map_id;
	struct dfg_group *map_group;
	unsigned int placement;
};

static struct dfg_file *dfg_file_of(struct hpmm_file *hfile)
{
	/* Set once under the file's lock; mmap reads it without. */
	return smp_load_acquire((struct dfg_file **)&hfile->priv[HPMM_COMP_DEFRAG]);
}

/* The file's state, made on its first use; the file's lock is held. */
static struct dfg_file *dfg_file_get(struct hpmm_file *hfile)
{
	struct dfg_file *f = dfg_file_of(hfile);

	lockdep_assert_held(&hfile->lock);
	if (f)
		return f;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	/* Published initialised: pairs with dfg_file_of()'s acquire. */
	smp_store_release((struct dfg_file **)&hfile->priv[HPMM_COMP_DEFRAG], f);
	return f;
}

/* @g is going: the file's mappings may no longer name it. */
static void dfg_file_forget(struct hpmm_file *hfile, struct dfg_group *g)
{
	struct dfg_file *f = dfg_file_of(hfile);

	if (!f)
		return;
	spin_lock(&f->lock);
	if (f->map_group == g)
		f->map_group = NULL;
	spin_unlock(&f->lock);
}

/* The group @id of the command's file, or NULL. */
static struct dfg_group *dfg_group_find(struct hpmm_ucmd *ucmd, u64 id)
{
	struct hpmm_object *obj;

	obj = hpmm_object_find(ucmd->hfile, id, HPMM_OBJ_DEFRAG_GROUP);
	return obj ? container_of(obj, struct dfg_group, obj) : NULL;
}

/*
 * The cgroup v2 of the directory @fd, which the caller must be allowed to
 * write (create and move into its children, as cgroup v2 delegation
 * requires): a reference, or ERR_PTR(-EBADF, -EACCES, ...).
 */
static struct cgroup *dfg_cgroup_from_fd(s64 fd)
{
	struct cgroup *cgrp;
	struct inode *inode;
	struct fd f;

	if (fd < 0 || fd > INT_MAX)
		return ERR_PTR(-EBADF);
	f = fdget(fd);
	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	cgrp = cgroup_get_from_fd(fd);
	if (IS_ERR(cgrp))
		goto out;
	inode = file_inode(fd_file(f));
	/* The same directory as the one checked (no other thread's dup2). */
	if (inode->i_private != cgrp->kn) {
		cgroup_put(cgrp);
		cgrp = ERR_PTR(-EBADF);
	} else if (inode_permission(file_mnt_idmap(fd_file(f)), inode,
				    MAY_WRITE | MAY_EXEC)) {
		cgroup_put(cgrp);
		cgrp = ERR_PTR(-EACCES);
	}
out:
	fdput(f);
	return cgrp;
}

/* The settings of a create or set command, checked; 0 or -errno. */
static int dfg_knobs_from_user(struct dfg_knobs *k, u64 fields, u64 policy,
			       u64 limit, u64 reserve, u64 threshold,
			       s64 cgroup_fd)
{
	memset(k, 0, sizeof(*k));
	if (fields & ~HPMM_DEFRAG_GROUP_FIELDS ||
	    (fields & HPMM_DEFRAG_GROUP_POLICY && policy >= DFG_NR_POLICIES) ||
	    (fields & HPMM_DEFRAG_GROUP_LIMIT && limit > UINT_MAX) ||
	    (fields & HPMM_DEFRAG_GROUP_RESERVE && reserve > DFG_RESERVE_MAX) ||
	    (fields & HPMM_DEFRAG_GROUP_THRESHOLD &&
	     threshold > DFG_THRESHOLD_OFF))
		return -EINVAL;
	k->fields = fields;
	k->policy = policy;
	k->limit = limit;
	k->reserve = reserve;
	k->threshold = threshold;
	if (fields & HPMM_DEFRAG_GROUP_CGROUP && cgroup_fd != -1) {
		k->cgrp = dfg_cgroup_from_fd(cgroup_fd);
		if (IS_ERR(k->cgrp))
			return PTR_ERR(k->cgrp);
	}
	return 0;
}

static int dfg_ioctl_group_create(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_group_create *cmd = ucmd->cmd;
	struct dfg_knobs k;
	struct dfg_group *g;
	int ret;

	if (!dfg_file_get(ucmd->hfile))
		return -ENOMEM;
	if (!memchr(cmd->name, '\0', sizeof(cmd->name)) ||
	    !hpmm_name_valid(cmd->name, DFG_NAME_MAX - 1))
		return -EINVAL;
	ret = dfg_knobs_from_user(&k, cmd->fields, cmd->policy, cmd->limit,
				  cmd->reserve, cmd->threshold,
				  cmd->cgroup_fd);
	if (ret)
		return ret;
	g = dfg_group_new(cmd->name, &k);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = hpmm_object_add(ucmd->hfile, &g->obj, HPMM_OBJ_DEFRAG_GROUP);
	if (ret)
		goto err_abort;
	ret = dfg_group_publish(g, g->obj.id);
	if (ret)
		goto err_remove;
	cmd->out_group_id = g->obj.id;
	ret = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		/* Published: a lookup by cgroup may hold it already. */
		hpmm_object_remove(&g->obj);
		dfg_group_release(g);
	}
	return ret;

err_remove:
	hpmm_object_remove(&g->obj);
err_abort:
	dfg_group_abort(g);
	return ret;
}

static int dfg_ioctl_group_set(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_group_set *cmd = ucmd->cmd;
	struct dfg_knobs k;
	struct dfg_group *g;
	int ret;

	if (!dfg_file_get(ucmd->hfile))
		return -ENOMEM;
	g = dfg_group_find(ucmd, cmd->group_id);
	if (!g)
		return -ENOENT;
	if (!cmd->fields)
		return -EINVAL;
	ret = dfg_knobs_from_user(&k, cmd->fields, cmd->policy, cmd->limit,
				  cmd->reserve, cmd->threshold,
				  cmd->cgroup_fd);
	if (ret)
		return ret;
	return dfg_group_set(g, &k);
}

static int dfg_ioctl_group_compact(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_group_compact *cmd = ucmd->cmd;
	struct dfg_group *g;

	if (!dfg_file_get(ucmd->hfile))
		return -ENOMEM;
	if (cmd->max_blocks > UINT_MAX)
		return -EINVAL;
	if (cmd->group_id) {
		g = dfg_group_find(ucmd, cmd->group_id);
		if (!g)
			return -ENOENT;
		dfg_group_hold(g);
	} else {
		g = dfg_group_get(0);
		if (!g)
			return -ENOENT;
	}
	cmd->out_recovered = dfg_compact(g, cmd->max_blocks, DFG_CW_REQUEST);
	dfg_group_put(g);
	return hpmm_ucmd_respond(ucmd, sizeof(*cmd));
}

static int dfg_ioctl_map(struct hpmm_ucmd *ucmd)
{
	struct hpmm_defrag_map *cmd = ucmd->cmd;
	struct dfg_group *g = NULL;
	struct dfg_file *f;

	f = dfg_file_get(ucmd->hfile);
	if (!f)
		return -ENOMEM;
	if (cmd->placement >= DFG_NR_PLACEMENTS)
		return -EINVAL;
	if (cmd->placement != DFG_PLACEMENT_DEFAULT &&
	    !dfg_placement(cmd->placement))
		return -EOPNOTSUPP;
	if (cmd->group_id) {
		g = dfg_group_find(ucmd, cmd->group_id);
		if (!g)
			return -ENOENT;
	}
	spin_lock(&f->lock);
	f->map_id = cmd->group_id;
	f->map_group = g;
	f->placement = cmd->placement;
	spin_unlock(&f->lock);
	return 0;
}

const struct hpmm_ioctl_op dfg_ioctl_ops[DFG_NR_IOCTL_OPS] = {
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_MAP - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_map, placement, dfg_ioctl_map),
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_GROUP_CREATE - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_group_create, out_group_id,
		      dfg_ioctl_group_create),
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_GROUP_SET - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_group_set, cgroup_fd,
		      dfg_ioctl_group_set),
	HPMM_IOCTL_OP(HPMM_DEFRAG_CMD_GROUP_COMPACT - HPMM_CMD_DEFRAG_BASE,
		      struct hpmm_defrag_group_compact, out_recovered,
		      dfg_ioctl_group_compact),
};

/* HPMM_IOCTL_DESTROY: only a group nothing uses; it is freed at once. */
static int dfg_group_obj_destroy(struct hpmm_object *obj)
{
	struct dfg_group *g = container_of(obj, struct dfg_group, obj);
	int ret;

	ret = dfg_group_try_retire(g);
	if (ret)
		return ret;
	dfg_file_forget(obj->owner, g);
	dfg_group_remove(g);
	return 0;
}

/* The file is closed: the group goes, whatever still uses it. */
static void dfg_group_obj_release(struct hpmm_object *obj)
{
	struct dfg_group *g = container_of(obj, struct dfg_group, obj);

	dfg_file_forget(obj->owner, g);
	dfg_group_release(g);
}

const struct hpmm_object_ops dfg_object_ops[DFG_NR_OBJECT_OPS] = {
	{
		.type = HPMM_OBJ_DEFRAG_GROUP,
		.destroy = dfg_group_obj_destroy,
		.release = dfg_group_obj_release,
	},
};

/* The file's objects were released before. */
void dfg_file_release(struct hpmm_file *hfile)
{
	struct dfg_file *f = dfg_file_of(hfile);

	if (!f)
		return;
	kfree(f);
	hfile->priv[HPMM_COMP_DEFRAG] = NULL;
}

int dfg_file_mmap(struct hpmm_file *hfile, struct vm_area_struct *vma)
{
	unsigned int placement = DFG_PLACEMENT_DEFAULT;
	struct dfg_file *f = dfg_file_of(hfile);
	struct dfg_group *g = NULL;
	u64 id = 0;
	int ret;

	if (f) {
		spin_lock(&f->lock);
		id = f->map_id;
		placement = f->placement;
		/* Destroy marks it dying before it clears map_group. */
		if (id && dfg_group_tryget(f->map_group))
			g = f->map_group;
		spin_unlock(&f->lock);
		if (id && !g)
			return -ENOENT;
	}
	if (!id) {
		g = dfg_group_get(0);
		if (!g)
			return -ENOENT;
	}
	if (placement == DFG_PLACEMENT_DEFAULT)
		placement = dfg_placement_default();
	ret = dfg_mmap(vma, g, placement);
	if (ret)
		dfg_group_put(g);
	return ret;
}
