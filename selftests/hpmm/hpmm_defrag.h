/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DEFRAG (and MAGNET) helpers shared by the hpmm selftests: allocation
 * groups as objects of /dev/hpmm (include/uapi/hpmm-defrag.h), kernel-held
 * test pages through hpmm_test.ko's private ABI
 * (kernel/test/hpmm_test_uapi.h), debugfs and the module parameters.
 * Include it after hpmm_test.h.
 */
#ifndef HPMM_DEFRAG_H
#define HPMM_DEFRAG_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <uapi/hpmm.h>
#include <uapi/hpmm-defrag.h>

#include "../../kernel/test/hpmm_test_uapi.h"

#define HPMM_DFG_DIR		HPMM_DBG_ROOT "/defrag"
#define HPMM_MG_DIR		HPMM_DBG_ROOT "/magnet"
#define HPMM_DFG_TEST_DIR	HPMM_TEST_DBG_ROOT "/defrag"
#define HPMM_TEST_NODE		"/dev/hpmm_test"
#define HPMM_PARAMS		HPMM_SYS_MODULE "/parameters"

/*
 * Creates the group @name on @fd with the settings of @c (fields, policy,
 * limit, reserve, threshold, cgroup_fd): its id, or -errno. A name of 32
 * bytes or more is passed cut, without its NUL.
 */
static inline long long hpmm_dfg_create(int fd, const char *name,
					struct hpmm_defrag_group_create c)
{
	size_t len = strlen(name);

	c.size = sizeof(c);
	memset(c.name, 0, sizeof(c.name));
	memcpy(c.name, name, len < sizeof(c.name) ? len : sizeof(c.name));
	if (ioctl(fd, HPMM_DEFRAG_IOCTL_GROUP_CREATE, &c))
		return -errno;
	return (long long)c.out_group_id;
}

/* Changes what @s says of group @id of @fd: 0 or -errno. */
static inline int hpmm_dfg_set(int fd, __u64 id, struct hpmm_defrag_group_set s)
{
	s.size = sizeof(s);
	s.group_id = id;
	return ioctl(fd, HPMM_DEFRAG_IOCTL_GROUP_SET, &s) ? -errno : 0;
}

/* Compacts group @id of @fd: blocks recovered, or -errno. */
static inline long long hpmm_dfg_compact(int fd, __u64 id, __u64 max_blocks)
{
	struct hpmm_defrag_group_compact c = {
		.size = sizeof(c),
		.group_id = id,
		.max_blocks = max_blocks,
	};

	if (ioctl(fd, HPMM_DEFRAG_IOCTL_GROUP_COMPACT, &c))
		return -errno;
	return (long long)c.out_recovered;
}

/* The group and placement of @fd's next mmaps: 0 or -errno. */
static inline int hpmm_dfg_map(int fd, __u64 id, __u64 placement)
{
	struct hpmm_defrag_map m = {
		.size = sizeof(m),
		.group_id = id,
		.placement = placement,
	};

	return ioctl(fd, HPMM_DEFRAG_IOCTL_MAP, &m) ? -errno : 0;
}

/* HPMM_IOCTL_DESTROY of object @id of @fd: 0 or -errno. */
static inline int hpmm_destroy(int fd, __u64 id)
{
	struct hpmm_destroy d = { .size = sizeof(d), .id = id };

	return ioctl(fd, HPMM_IOCTL_DESTROY, &d) ? -errno : 0;
}

/* hpmm_test.ko's device: fd, or -errno. */
static inline int hpmm_test_open(void)
{
	int fd = open(HPMM_TEST_NODE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* 2^@order kernel-held pages of group @group on @tfd: 0 or -errno. */
static inline int hpmm_dfg_alloc(int tfd, __u64 group, unsigned int order,
				 unsigned int mobility, __u64 *pfn)
{
	struct hpmm_test_defrag_alloc a = {
		.size = sizeof(a),
		.group_id = group,
		.order = order,
		.mobility = mobility,
	};

	if (ioctl(tfd, HPMM_TEST_DEFRAG_ALLOC, &a))
		return -errno;
	*pfn = a.out_pfn;
	return 0;
}

static inline int hpmm_dfg_free(int tfd, __u64 pfn, unsigned int order)
{
	struct hpmm_test_defrag_free f = {
		.size = sizeof(f),
		.pfn = pfn,
		.order = order,
	};

	return ioctl(tfd, HPMM_TEST_DEFRAG_FREE, &f) ? -errno : 0;
}

/* The pfn mapped at @p in this process (0 when not present; needs root). */
static inline __u64 hpmm_pfn_of(const void *p)
{
	__u64 e = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e),
		  (off_t)((uintptr_t)p / (uintptr_t)getpagesize() *
			  sizeof(e))) != sizeof(e))
		e = 0;
	close(fd);
	if (!(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

/* One write(2) of @val to the file @path: 0 or -errno. */
static inline int hpmm_write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/*
 * Makes the cgroup v2 directory @cg afresh (an old one of that name is
 * removed) with the memory controller and memory.max @max: 0, -ENOENT
 * without cgroup v2 at /sys/fs/cgroup, -ENODEV (and no directory left)
 * without the memory controller, else mkdir's -errno.
 */
static inline int hpmm_memcg_make(const char *cg, unsigned long long max)
{
	char path[PATH_MAX], val[32];

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		return -ENOENT;
	hpmm_write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	rmdir(cg);
	if (mkdir(cg, 0755))
		return -errno;
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(val, sizeof(val), "%llu", max);
	if (hpmm_write_str(path, val)) {
		rmdir(cg);
		return -ENODEV;
	}
	return 0;
}

/* A command to debugfs defrag/control (compact, drain): 0 or -errno. */
static inline int __attribute__((format(printf, 1, 2)))
hpmm_dfg_ctl(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return hpmm_write_str(HPMM_DFG_DIR "/control", cmd);
}

/* A value of group @name's stats, or LLONG_MIN. */
static inline long long hpmm_dfg_gstat(const char *name, const char *key)
{
	return hpmm_dbg_value(key, HPMM_DFG_DIR "/groups/%s/stats", name);
}

/* Sets the module parameter @name: 0 or -errno. */
static inline int hpmm_param_set(const char *name, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_PARAMS "/%s", name);
	return hpmm_write_str(path, val);
}

#endif /* HPMM_DEFRAG_H */
