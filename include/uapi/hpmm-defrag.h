/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm DEFRAG: ioctls of /dev/hpmm for allocation groups, and its mmap.
 *
 * An mmap of /dev/hpmm (offset 0, MAP_SHARED for pages that stay hpmm's
 * when written) gives the process zeroed pages from a DEFRAG allocation
 * group, faulted in on first access. Which group, and the mapping flags,
 * are set beforehand on the file with HPMM_DEFRAG_IOCTL_MAP; without it the
 * group is the one bound to the caller's cgroup v2, else the default group.
 * The pages are movable: compaction may move them, and the next access
 * maps the new page (same data, another pfn in /proc/PID/pagemap).
 *
 * Group ids are shown in debugfs hpmm/defrag/groups/NAME/stats ("id").
 */
#ifndef _UAPI_HPMM_DEFRAG_H
#define _UAPI_HPMM_DEFRAG_H

#include "hpmm.h"

enum hpmm_defrag_cmd {
	HPMM_DEFRAG_CMD_MAP = HPMM_CMD_DEFRAG_BASE,
	HPMM_DEFRAG_CMD_ALLOC,
	HPMM_DEFRAG_CMD_FREE,
};

/* Mapping flags (struct hpmm_defrag_map @flags). */
/* Serve faults with PTEMagnet reservations (needs MAGNET, else EOPNOTSUPP). */
#define HPMM_DEFRAG_MAP_MAGNET		_BITULL(0)
/* Never use reservations, whatever MAGNET's default. */
#define HPMM_DEFRAG_MAP_NOMAGNET	_BITULL(1)
#define HPMM_DEFRAG_MAP_FLAGS \
	(HPMM_DEFRAG_MAP_MAGNET | HPMM_DEFRAG_MAP_NOMAGNET)

/**
 * struct hpmm_defrag_map - HPMM_DEFRAG_IOCTL_MAP
 * @size: sizeof(struct hpmm_defrag_map)
 * @group: group id for later mmaps of this file; 0: the caller's cgroup's
 *	group at mmap time, else the default group
 * @flags: HPMM_DEFRAG_MAP_*
 *
 * ENOENT for a group that does not exist, EINVAL for unknown flags or
 * MAGNET and NOMAGNET together.
 */
struct hpmm_defrag_map {
	__u64 size;
	__u64 group;
	__u64 flags;
};

/* Mobility of an allocation (the kernel's migratetypes). */
#define HPMM_DEFRAG_UNMOVABLE	0
#define HPMM_DEFRAG_MOVABLE	1
#define HPMM_DEFRAG_RECLAIMABLE	2

/**
 * struct hpmm_defrag_alloc - HPMM_DEFRAG_IOCTL_ALLOC
 * @size: sizeof(struct hpmm_defrag_alloc)
 * @group: group id, 0 for the caller's cgroup's group (else the default)
 * @order: 0 to 9: 2^order contiguous pages
 * @mobility: HPMM_DEFRAG_UNMOVABLE, _MOVABLE or _RECLAIMABLE
 * @pfn: out: the first page frame number
 *
 * Allocates kernel-held pages (never mapped) with dfg_alloc_pages(), owned
 * by the open file until HPMM_DEFRAG_IOCTL_FREE or close. ENOENT for an
 * unknown group, EINVAL for a bad order or mobility, ENOMEM when the group
 * is at its limit with no room.
 */
struct hpmm_defrag_alloc {
	__u64 size;
	__u64 group;
	__u64 order;
	__u64 mobility;
	__u64 pfn;
};

/**
 * struct hpmm_defrag_free - HPMM_DEFRAG_IOCTL_FREE
 * @size: sizeof(struct hpmm_defrag_free)
 * @pfn: what HPMM_DEFRAG_IOCTL_ALLOC returned
 * @order: its order
 *
 * ENOENT when this file holds no allocation at @pfn, EINVAL for another
 * order.
 */
struct hpmm_defrag_free {
	__u64 size;
	__u64 pfn;
	__u64 order;
};

#define HPMM_DEFRAG_IOCTL_MAP	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_MAP)
#define HPMM_DEFRAG_IOCTL_ALLOC	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_ALLOC)
#define HPMM_DEFRAG_IOCTL_FREE	_IO(HPMM_IOCTL_TYPE, HPMM_DEFRAG_CMD_FREE)

#endif /* _UAPI_HPMM_DEFRAG_H */
