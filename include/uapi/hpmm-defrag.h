/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm DEFRAG: ioctls of /dev/hpmm for allocation groups, and its mmap.
 *
 * An allocation group is an object of the open file that created it
 * (HPMM_DEFRAG_IOCTL_GROUP_CREATE), as in include/uapi/hpmm.h: named by its
 * id in the commands of that file, destroyed with HPMM_IOCTL_DESTROY or
 * when the file is closed. A group bound to a cgroup v2 serves the
 * processes of that cgroup (and of its descendants) that map /dev/hpmm
 * without naming a group, whichever file they opened: that is how a tenant
 * manager gives each tenant its memory. The "default" group, which serves
 * everyone else, belongs to the module and is no object.
 *
 * An mmap of /dev/hpmm (offset 0, at most 4 GiB, MAP_SHARED for pages that
 * stay hpmm's when written) gives the process zeroed pages from a group, faulted in on
 * first access. Which group, and how faults place pages, are set
 * beforehand on the file with HPMM_DEFRAG_IOCTL_MAP. The pages are
 * movable: compaction may move them, and the next access maps the new page
 * (same data, another pfn in /proc/PID/pagemap).
 *
 * Group ids are also shown in debugfs hpmm/defrag/groups/NAME/stats ("id").
 */
#ifndef _UAPI_HPMM_DEFRAG_H
#define _UAPI_HPMM_DEFRAG_H

#include "hpmm.h"

enum hpmm_defrag_cmd {
	HPMM_DEFRAG_CMD_MAP = HPMM_CMD_DEFRAG_BASE,
	HPMM_DEFRAG_CMD_GROUP_CREATE,
	HPMM_DEFRAG_CMD_GROUP_SET,
	HPMM_DEFRAG_CMD_GROUP_COMPACT,
};

/**
 * enum hpmm_defrag_placement - how the faults of a mapping place its pages
 * @HPMM_DEFRAG_PLACEMENT_DEFAULT: the module's default, the parameter
 *	defrag_placement (/sys/module/hpmm/parameters/defrag_placement,
 *	"page" at load)
 * @HPMM_DEFRAG_PLACEMENT_PAGE: one page per fault, where the group's
 *	policy puts it
 * @HPMM_DEFRAG_PLACEMENT_MAGNET: PTEMagnet reservations: the first fault
 *	in a 32 KiB-aligned virtual group reserves 8 physically contiguous
 *	pages for the group (needs HPMM_COMPONENT_MAGNET)
 */
enum hpmm_defrag_placement {
	HPMM_DEFRAG_PLACEMENT_DEFAULT = 0,
	HPMM_DEFRAG_PLACEMENT_PAGE = 1,
	HPMM_DEFRAG_PLACEMENT_MAGNET = 2,
};

/**
 * struct hpmm_defrag_map - HPMM_DEFRAG_IOCTL_MAP
 * @size: sizeof(struct hpmm_defrag_map)
 * @group_id: a group of this file for its later mmaps; 0: the group bound
 *	to the nearest cgroup of the process at mmap time, else the default
 *	group
 * @placement: an enum hpmm_defrag_placement
 *
 * ENOENT for a group this file does not own, EINVAL for an unknown
 * placement, EOPNOTSUPP for a placement the module was built without.
 * The file holds the group while it is set: HPMM_IOCTL_DESTROY of it
 * still works (and later mmaps then fail with ENOENT).
 */
struct hpmm_defrag_map {
	__u64 size;
	__u64 group_id;
	__u64 placement;
};

/* The longest group name, its NUL included. */
#define HPMM_DEFRAG_NAME_MAX	32

/* Group policies (struct hpmm_defrag_group_create @policy). */
#define HPMM_DEFRAG_POLICY_GROUPING	0	/* mobility grouping */
#define HPMM_DEFRAG_POLICY_FIRSTFIT	1	/* the first-fit baseline */
/*
 * Placed by the attached BPF program's plans (include/uapi/hpmm-defrag-bpf.h),
 * grouping's without one; EOPNOTSUPP on a kernel without BPF struct_ops for
 * modules.
 */
#define HPMM_DEFRAG_POLICY_BPF		2

/* Fields given in struct hpmm_defrag_group_create and _set. */
#define HPMM_DEFRAG_GROUP_POLICY	_BITULL(0)
#define HPMM_DEFRAG_GROUP_LIMIT		_BITULL(1)
#define HPMM_DEFRAG_GROUP_RESERVE	_BITULL(2)
#define HPMM_DEFRAG_GROUP_THRESHOLD	_BITULL(3)
#define HPMM_DEFRAG_GROUP_CGROUP	_BITULL(4)
#define HPMM_DEFRAG_GROUP_FIELDS	(_BITULL(5) - 1)

/* The largest reserve, in blocks (8 GiB). */
#define HPMM_DEFRAG_RESERVE_MAX		4096

/**
 * struct hpmm_defrag_group_create - HPMM_DEFRAG_IOCTL_GROUP_CREATE
 * @size: sizeof(struct hpmm_defrag_group_create)
 * @fields: HPMM_DEFRAG_GROUP_* of the fields given; the others take their
 *	defaults (grouping, no limit, no reserve, threshold 600, no cgroup)
 * @policy: HPMM_DEFRAG_POLICY_*
 * @limit: the most 2 MiB blocks the group may hold, free ones included;
 *	0: no limit (at most 2^32 - 1)
 * @reserve: free blocks the group keeps rather than give back, at most
 *	HPMM_DEFRAG_RESERVE_MAX; filled at once, within the limit
 * @threshold: background compaction runs when the group's order-9
 *	unusable free space index passes this, per mille; 1000 turns it off
 * @cgroup_fd: a directory of the cgroup v2 hierarchy, opened by the
 *	caller, whose processes the group serves (-1: none). The caller must
 *	have write permission on it, as cgroup v2 delegation requires.
 * @name: its name, NUL-terminated: 1 to 31 of [A-Za-z0-9_-], unique in the
 *	module (its debugfs directory)
 * @out_group_id: out: the group's id
 *
 * EINVAL for unknown fields, a bad name or a value out of range; EEXIST
 * for a name in use; EBADF when @cgroup_fd is no cgroup v2 directory;
 * EACCES when the caller may not write it; ENOMEM when the reserve cannot
 * be filled; ENOSPC when the file owns too many objects.
 */
struct hpmm_defrag_group_create {
	__u64 size;
	__u64 fields;
	__u64 policy;
	__u64 limit;
	__u64 reserve;
	__u64 threshold;
	__s64 cgroup_fd;
	char name[HPMM_DEFRAG_NAME_MAX];
	__u64 out_group_id;
};

/**
 * struct hpmm_defrag_group_set - HPMM_DEFRAG_IOCTL_GROUP_SET
 * @size: sizeof(struct hpmm_defrag_group_set)
 * @group_id: a group of this file
 * @fields: HPMM_DEFRAG_GROUP_* of the fields to change, at least one
 * @policy: as for create; between firstfit and the others only while the
 *	group has no split block (EBUSY)
 * @limit: as for create; a smaller limit gives free blocks back
 * @reserve: as for create
 * @threshold: as for create
 * @cgroup_fd: as for create; -1 unbinds
 *
 * The errors of create, ENOENT for a group this file does not own, and
 * EINVAL for no field. What can fail is done first: a failure changes
 * nothing, except ENOMEM from filling a larger reserve.
 */
struct hpmm_defrag_group_set {
	__u64 size;
	__u64 group_id;
	__u64 fields;
	__u64 policy;
	__u64 limit;
	__u64 reserve;
	__u64 threshold;
	__s64 cgroup_fd;
};

/**
 * struct hpmm_defrag_group_compact - HPMM_DEFRAG_IOCTL_GROUP_COMPACT
 * @size: sizeof(struct hpmm_defrag_group_compact)
 * @group_id: a group of this file; 0: the group the caller's mmaps would
 *	use (its cgroup's, else the default group)
 * @max_blocks: recover at most this many blocks, 0: as many as it can
 *	(at most 2^32 - 1)
 * @out_recovered: out: blocks the run recovered
 *
 * Moves the group's movable pages out of its sparsest blocks into the
 * holes of others, until @max_blocks blocks are free (and given back
 * beyond the reserve). ENOENT for a group this file does not own.
 */
struct hpmm_defrag_group_compact {
	__u64 size;
	__u64 group_id;
	__u64 max_blocks;
	__u64 out_recovered;
};

#define HPMM_DEFRAG_IOCTL_MAP	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_MAP)
#define HPMM_DEFRAG_IOCTL_GROUP_CREATE \
	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_GROUP_CREATE)
#define HPMM_DEFRAG_IOCTL_GROUP_SET \
	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_GROUP_SET)
#define HPMM_DEFRAG_IOCTL_GROUP_COMPACT \
	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_GROUP_COMPACT)

#endif /* _UAPI_HPMM_DEFRAG_H */
