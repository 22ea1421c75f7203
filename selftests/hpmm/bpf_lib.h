/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF policy tests share (defrag_bpf_test.c, vpri_bpf_test.c):
 * the debugfs status of a component's struct_ops (hpmm/<component>/bpf),
 * the module's reference count, and, built with libbpf 1.4+
 * (HPMM_HAVE_LIBBPF), loading the programs of tools/build/bpf/.
 */
#ifndef _HPMM_SELFTEST_BPF_LIB_H
#define _HPMM_SELFTEST_BPF_LIB_H

#include <limits.h>
#include <unistd.h>

#include "hpmm_test.h"

#ifdef HPMM_HAVE_LIBBPF
#include <bpf/libbpf.h>
#endif

/* Whether @status says the kernel runs BPF policies: 1, 0, or -errno. */
static inline int hpmm_bpf_supported(const char *status)
{
	long long v = hpmm_dbg_value("supported", "%s", status);

	return v < 0 ? (int)v : !!v;
}

/* The attached policy's name ("-" for none) into @out: 0 or -errno. */
static inline int hpmm_bpf_attached(const char *status, char *out, size_t size)
{
	char buf[256];

	if (hpmm_read_file(status, buf, sizeof(buf)) <= 0)
		return -EIO;
	return hpmm_kv_str(buf, "attached", out, size);
}

/* Waits up to 10 s until the attached policy is @name: 0 or -ETIMEDOUT. */
static inline int hpmm_bpf_wait_attached(const char *status, const char *name)
{
	char cur[32];
	int i;

	for (i = 0; i < 1000; i++) {
		if (!hpmm_bpf_attached(status, cur, sizeof(cur)) &&
		    !strcmp(cur, name))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static inline long long hpmm_module_refcnt(void)
{
	char buf[32];

	if (hpmm_read_file(HPMM_SYS_MODULE "/refcnt", buf, sizeof(buf)) <= 0)
		return -1;
	return atoll(buf);
}

/* Waits up to 10 s until the module's refcount is @ref: 0 or -ETIMEDOUT. */
static inline int hpmm_wait_refcnt(long long ref)
{
	int i;

	/* A struct_ops map is freed after an RCU grace period. */
	for (i = 0; i < 1000 && hpmm_module_refcnt() != ref; i++)
		usleep(10000);
	return hpmm_module_refcnt() == ref ? 0 : -ETIMEDOUT;
}

/* Waits up to 60 s until *@v exceeds @than: 0 or -ETIMEDOUT. */
static inline int hpmm_wait_above(volatile __u64 *v, __u64 than)
{
	int i;

	for (i = 0; i < 6000 && *v <= than; i++)
		usleep(10000);
	return *v > than ? 0 : -ETIMEDOUT;
}

/*
 * In a test of a fixture with @supported (hpmm_bpf_supported()) and @uts
 * (uname()): SKIP where the kernel cannot run BPF policies, naming it.
 */
#define HPMM_NEED_BPF()							\
	do {								\
		if (_metadata->skip)					\
			return;						\
		if (!self->supported)					\
			SKIP(return, "kernel %s has no BPF struct_ops for modules", \
			     self->uts.release);			\
	} while (0)

/* Built without libbpf: the one case left says so. */
#define HPMM_BPF_PROGRAMS_SKIP(fixture)					\
	TEST_F(fixture, programs)					\
	{								\
		if (_metadata->skip)					\
			return;						\
		SKIP(return, "built without libbpf 1.4+ (scripts/install-deps)"); \
	}

#ifdef HPMM_HAVE_LIBBPF

/*
 * A loaded program: its object, its struct_ops map, and the first variable
 * of its .bss, a counter of its calls (tools/bpf/ programs start with one).
 */
struct hpmm_bpf_policy {
	struct bpf_object *obj;
	struct bpf_map *ops;
	volatile __u64 *calls;
};

static inline void hpmm_bpf_policy_close(struct hpmm_bpf_policy *p)
{
	bpf_object__close(p->obj);
	memset(p, 0, sizeof(*p));
}

/* Where the .bpf.o files are: $HPMM_BPF_DIR, else tools/build/bpf/. */
static inline void hpmm_bpf_dir(char *out, size_t size)
{
	const char *env = getenv("HPMM_BPF_DIR");
	char self[PATH_MAX - 32], *slash;
	ssize_t n;

	if (env) {
		snprintf(out, size, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, size, "%s/../../tools/build/bpf", self);
}

/* Opens and loads @name.bpf.o ("vpri_lru"): 0 or -errno. */
static inline int hpmm_bpf_policy_load(struct hpmm_bpf_policy *p,
				       const char *name)
{
	char dir[PATH_MAX + 32], path[PATH_MAX + 64];
	struct bpf_map *map;
	size_t size;
	int ret;

	memset(p, 0, sizeof(*p));
	hpmm_bpf_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	p->obj = bpf_object__open_file(path, NULL);
	if (!p->obj)
		return -errno;
	ret = bpf_object__load(p->obj);
	if (ret) {
		hpmm_bpf_policy_close(p);
		return ret;
	}
	bpf_object__for_each_map(map, p->obj) {
		const char *mname = bpf_map__name(map);

		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			p->ops = map;
		else if (strlen(mname) > 4 &&
			 !strcmp(mname + strlen(mname) - 4, ".bss"))
			p->calls = bpf_map__initial_value(map, &size);
	}
	if (!p->ops || !p->calls) {
		hpmm_bpf_policy_close(p);
		return -ENOENT;
	}
	return 0;
}

#endif /* HPMM_HAVE_LIBBPF */

#endif /* _HPMM_SELFTEST_BPF_LIB_H */
