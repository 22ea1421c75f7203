/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VPRI test programs share (vpri_test.c, vpri_odp_test.c): the
 * ioctl wrappers, debugfs readers and the fixture.
 */
#ifndef _HPMM_SELFTEST_VPRI_LIB_H
#define _HPMM_SELFTEST_VPRI_LIB_H

#include "hpmm_test.h"

#include <grp.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include <uapi/hpmm-vpri.h>

#include "../../kernel/test/hpmm_test_uapi.h"

/* The harness compares literals with the uapi's __u64 counters. */
#pragma GCC diagnostic ignored "-Wsign-compare"

#define PG		4096UL
#define NPAGES		64
#define DBG_VPRI	HPMM_DBG_ROOT "/vpri"
#define DBG_TEST_VPRI	HPMM_TEST_DBG_ROOT "/vpri"
#ifndef HPMM_TEST_DEV_NODE
#define HPMM_TEST_DEV_NODE	"/dev/hpmm_test"
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const policy_names[HPMM_VPRI_NR_POLICIES] = {
	[HPMM_VPRI_POLICY_NONE] = "none",
	[HPMM_VPRI_POLICY_ALL] = "all",
	[HPMM_VPRI_POLICY_LRU] = "lru",
	[HPMM_VPRI_POLICY_CLOCK] = "clock",
	[HPMM_VPRI_POLICY_ADP] = "adp",
	[HPMM_VPRI_POLICY_ARC] = "arc",
	[HPMM_VPRI_POLICY_BPF] = "bpf",
};

static inline int vpri_register(int fd, void *addr, size_t len, int policy,
			 unsigned long budget, unsigned long flags,
			 unsigned long long *id)
{
	struct hpmm_vpri_register r = {
		.size = sizeof(r),
		.flags = flags,
		.addr = (unsigned long)addr,
		.length = len,
		.policy = policy,
		.budget = budget,
	};

	if (ioctl(fd, HPMM_VPRI_REGISTER, &r))
		return -errno;
	if (id)
		*id = r.domain_id;
	return 0;
}

/* HPMM_IOCTL_DESTROY: a domain is an object of the file that made it. */
static inline int vpri_destroy(int fd, unsigned long long id)
{
	struct hpmm_destroy d = { .size = sizeof(d), .id = id };

	return ioctl(fd, HPMM_IOCTL_DESTROY, &d) ? -errno : 0;
}

static inline int vpri_submit(int fd, unsigned long long id, int backend,
		       struct hpmm_vpri_req *reqs, unsigned int n,
		       struct hpmm_vpri_submit *out)
{
	struct hpmm_vpri_submit s = {
		.size = sizeof(s),
		.domain_id = id,
		.backend = backend,
		.reqs = (unsigned long)reqs,
		.nr_reqs = n,
	};
	int ret = ioctl(fd, HPMM_VPRI_SUBMIT, &s) ? -errno : 0;

	if (out)
		*out = s;
	return ret;
}

/* One access of @len bytes at @iova. */
static inline int vpri_access(int fd, unsigned long long id, int backend,
		       unsigned long iova, unsigned long len, bool write)
{
	struct hpmm_vpri_req r = {
		.iova = iova,
		.len = len,
		.flags = write ? HPMM_VPRI_REQ_WRITE : 0,
	};

	return vpri_submit(fd, id, backend, &r, 1, NULL);
}

static inline int vpri_stats(int fd, unsigned long long id, struct hpmm_vpri_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->domain_id = id;
	return ioctl(fd, HPMM_VPRI_STATS, st) ? -errno : 0;
}

/* /dev/hpmm_test (hpmm_test.ko, CAP_SYS_ADMIN), or -errno. */
static inline int vpri_test_open(void)
{
	int fd = open(HPMM_TEST_DEV_NODE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* HPMM_TEST_VPRI_DMA: an access that skips the PA-BITMAP. */
static inline int vpri_test_dma(int tfd, unsigned long long id, int backend,
			 unsigned long iova, unsigned long len, bool write)
{
	struct hpmm_test_vpri_dma d = {
		.size = sizeof(d),
		.domain_id = id,
		.backend = backend,
		.iova = iova,
		.len = len,
		.flags = write ? HPMM_VPRI_REQ_WRITE : 0,
	};

	return ioctl(tfd, HPMM_TEST_VPRI_DMA, &d) ? -errno : 0;
}

/* A key of a debugfs file of vpri/, or -1. */
static inline long long vpri_dbg(const char *file, const char *key)
{
	char buf[HPMM_FILE_MAX];
	long long v;

	if (hpmm_read_filef(buf, sizeof(buf), DBG_VPRI "/%s", file) <= 0 ||
	    hpmm_kv_ll(buf, key, &v))
		return -1;
	return v;
}

static inline long long vpri_dom_dbg(unsigned long long id, const char *file,
			      const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "%llu/%s", id, file);
	return vpri_dbg(path, key);
}

/* VmLck of this process in kB, or -1. */
static inline long vmlck_kb(void)
{
	char buf[HPMM_FILE_MAX], *p;

	if (hpmm_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/* The IOMMU domain type of the VPRI device, as dev/<bdf>/info says. */
static inline void vpri_dev_domain(const char *bdf, char *out, size_t size)
{
	char buf[HPMM_FILE_MAX];

	out[0] = '\0';
	if (hpmm_read_filef(buf, sizeof(buf), HPMM_DBG_DEV "/%s/info", bdf) > 0)
		hpmm_kv_str(buf, "domain_type", out, size);
}

FIXTURE(vpri) {
	int fd;
	char *mem;
	size_t len;
	const char *skip;
	struct hpmm_devlist bound;
};

FIXTURE_SETUP(vpri)
{
	struct hpmm_version v = { .size = sizeof(v) };

	self->fd = -1;
	self->mem = MAP_FAILED;
	self->skip = NULL;
	if (getuid()) {
		self->skip = "not root";
		return;
	}
	hpmm_mount_debugfs();
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0) {
		self->skip = HPMM_DEV_NODE " absent (hpmm not loaded)";
		return;
	}
	if (ioctl(self->fd, HPMM_IOCTL_VERSION, &v) ||
	    !(v.components & HPMM_COMPONENT_VPRI)) {
		self->skip = "hpmm built without VPRI";
		return;
	}
	hpmm_find_bound(&self->bound);
	if (self->bound.n < 2) {
		self->skip = "VPRI needs a second edu device";
		return;
	}
	self->len = NPAGES * PG;
	self->mem = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(vpri)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->len);
	if (self->fd >= 0)
		close(self->fd);
}

#define NEED_VPRI() do { \
	if (self->skip) \
		SKIP(return, "%s", self->skip); \
} while (0)

/* Writes @text to @path: 0 or -errno. */
static inline int vpri_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The index of the first byte of @p[0..@n) that is not @c, or -1. */
static inline long mem_differs(const char *p, int c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (char)c)
			return (long)i;
	return -1;
}

#endif /* _HPMM_SELFTEST_VPRI_LIB_H */
