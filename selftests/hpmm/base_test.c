// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm foundation tests: the module, its debugfs tree, /dev/hpmm and its
 * ioctl ABI, the edu devices it binds, DMA round trips through the IOMMU, and
 * proof that the IOMMU enforces (a device write to an unmapped IOVA is a DMAR
 * fault in the kernel log).
 *
 * Run as root with hpmm loaded (hpmm.sh does both). Exits 4 (skip) when not
 * root or hpmm is not loaded; a test that needs an edu device bound to hpmm
 * skips when there is none.
 */
#include "hpmm_test.h"

#include <grp.h>
#include <sys/wait.h>

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include <uapi/hpmm.h>

/* IOVAs tried by the fault tests: low (edu takes 28 bits), page aligned. */
static const unsigned long fault_iovas[] = {
	0x100000, 0x200000, 0x300000, 0x400000, 0x500000, 0x800000,
};

/* Components named in debugfs status and their HPMM_COMPONENT_* bits. */
static const struct {
	const char *name;
	unsigned long long bit;
} components[] = {
	{ "dev", HPMM_COMPONENT_DEV },
	{ "hpa", HPMM_COMPONENT_HPA },
	{ "defrag", HPMM_COMPONENT_DEFRAG },
	{ "vpri", HPMM_COMPONENT_VPRI },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Skips the running test when no edu device is bound to hpmm. */
#define NEED_BOUND(self) do { \
	if (!(self)->bound.n) \
		SKIP(return, "no edu device bound to hpmm (%d present)", \
		     (self)->edu.n); \
} while (0)

#define NEED_DEV_NODE() do { \
	if (access(HPMM_DEV_NODE, F_OK)) \
		SKIP(return, HPMM_DEV_NODE " absent"); \
} while (0)

/* Expects every stat to have moved by exactly delta[] between @a and @b. */
static void expect_deltas(struct __test_metadata *_metadata, const char *bdf,
			  const char *what, const struct hpmm_stats *a,
			  const struct hpmm_stats *b, const long long *delta)
{
	int i;

	for (i = 0; i < HPMM_NR_STATS; i++) {
		if (i == HPMM_ST_LAST_NS || i == HPMM_ST_TOTAL_EDU_NS)
			continue;	/* times: checked by the caller */
		EXPECT_EQ(delta[i], b->v[i] - a->v[i]) {
			TH_LOG("%s: after \"%s\": %s moved by %lld, expected %lld",
			       bdf, what, hpmm_stat_names[i], b->v[i] - a->v[i],
			       delta[i]);
		}
	}
}

FIXTURE(hpmm) {
	struct hpmm_devlist edu;	/* edu PCI devices present */
	struct hpmm_devlist bound;	/* hpmm's debugfs dev/ entries */
};

FIXTURE_SETUP(hpmm)
{
	hpmm_find_edu(&self->edu);
	hpmm_find_bound(&self->bound);
}

FIXTURE_TEARDOWN(hpmm)
{
}

TEST_F(hpmm, module_loaded)
{
	char buf[HPMM_FILE_MAX], *line;
	bool found = false;
	size_t i;

	ASSERT_LT(0, hpmm_read_file(HPMM_SYS_MODULE "/initstate", buf,
				    sizeof(buf)));
	EXPECT_STREQ("live\n", buf);

	ASSERT_LT(0, hpmm_read_file("/proc/modules", buf, sizeof(buf)));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "hpmm ", 5))
			continue;
		found = true;
		EXPECT_NE(NULL, strstr(line, " Live ")) TH_LOG("%s", line);
	}
	EXPECT_TRUE(found);

	/* Out-of-tree and unsigned are fine; proprietary or forced are not. */
	ASSERT_LE(0, hpmm_read_file(HPMM_SYS_MODULE "/taint", buf,
				    sizeof(buf)));
	for (i = 0; buf[i] && buf[i] != '\n'; i++)
		EXPECT_NE(NULL, strchr("OE", buf[i]))
			TH_LOG("module taint '%c' in \"%s\"", buf[i], buf);
}

TEST_F(hpmm, debugfs_tree)
{
	char version[128], status[HPMM_FILE_MAX], s[256], mod[128];
	long long v;
	struct stat st;
	ssize_t n;

	n = hpmm_read_file(HPMM_DBG_ROOT "/version", version, sizeof(version));
	ASSERT_LT(0, n) TH_LOG("%s/version: %s", HPMM_DBG_ROOT, strerror(-n));
	/* One line, nothing else. */
	ASSERT_EQ('\n', version[n - 1]);
	version[n - 1] = '\0';
	EXPECT_EQ(NULL, strchr(version, '\n'));
	EXPECT_LT(0, (int)strlen(version));

	n = hpmm_read_file(HPMM_DBG_ROOT "/status", status, sizeof(status));
	ASSERT_LT(0, n) TH_LOG("%s/status: %s", HPMM_DBG_ROOT, strerror(-n));

	ASSERT_EQ(0, hpmm_kv_str(status, "version", s, sizeof(s)));
	EXPECT_STREQ(version, s);
	ASSERT_EQ(0, hpmm_kv_ll(status, "abi_version", &v));
	EXPECT_EQ(HPMM_ABI_VERSION, v);
	ASSERT_EQ(0, hpmm_kv_str(status, "components", s, sizeof(s)));
	EXPECT_TRUE(hpmm_has_word(s, "dev")) TH_LOG("components: %s", s);
	ASSERT_EQ(0, hpmm_kv_ll(status, "devices", &v));
	EXPECT_EQ(self->bound.n, v);
	ASSERT_EQ(0, hpmm_kv_ll(status, "live_pages", &v));
	EXPECT_LE(0, v);
	ASSERT_EQ(0, hpmm_kv_ll(status, "live_dma_mappings", &v));
	EXPECT_LE(0, v);

	ASSERT_EQ(0, stat(HPMM_DBG_DEV, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));

	/* MODULE_VERSION, when set, is the same version. */
	if (hpmm_read_file(HPMM_SYS_MODULE "/version", mod, sizeof(mod)) > 0) {
		mod[strcspn(mod, "\n")] = '\0';
		EXPECT_STREQ(version, mod);
	}
}

TEST_F(hpmm, dev_node)
{
	char buf[64];
	unsigned int maj, min;
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(HPMM_DEV_NODE, &st)) TH_LOG("%s", strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);

	/* The node is the misc device hpmm registered. */
	ASSERT_LT(0, hpmm_read_file("/sys/class/misc/hpmm/dev", buf,
				    sizeof(buf)));
	ASSERT_EQ(2, sscanf(buf, "%u:%u", &maj, &min));
	EXPECT_EQ(maj, major(st.st_rdev));
	EXPECT_EQ(min, minor(st.st_rdev));

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	close(fd);
}

TEST_F(hpmm, ioctl_version)
{
	struct hpmm_version ver = { .size = sizeof(ver) };
	char status[HPMM_FILE_MAX], list[256];
	int fd, fd2;
	size_t i;

	NEED_DEV_NODE();
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	fd2 = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);

	ASSERT_EQ(0, ioctl(fd, HPMM_IOCTL_VERSION, &ver))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(sizeof(ver), ver.size);
	EXPECT_EQ((__u64)HPMM_ABI_VERSION, ver.abi_version);
	EXPECT_TRUE(!!(ver.components & HPMM_COMPONENT_DEV));

	/* The bitmap names the components debugfs status lists. */
	ASSERT_LT(0, hpmm_read_file(HPMM_DBG_ROOT "/status", status,
				    sizeof(status)));
	ASSERT_EQ(0, hpmm_kv_str(status, "components", list, sizeof(list)));
	for (i = 0; i < ARRAY_LEN(components); i++) {
		bool listed = hpmm_has_word(list, components[i].name);
		bool set = ver.components & components[i].bit;

		EXPECT_EQ(listed, set)
			TH_LOG("component bit 0x%llx: status \"%s\", ioctl 0x%llx",
			       components[i].bit, list,
			       (unsigned long long)ver.components);
	}
	/* MAGNET is a placement policy of DEFRAG, with a debugfs of its own. */
	EXPECT_EQ(!access(HPMM_DBG_ROOT "/magnet", F_OK),
		  !!(ver.components & HPMM_COMPONENT_MAGNET));
	if (ver.components & HPMM_COMPONENT_MAGNET)
		EXPECT_TRUE(!!(ver.components & HPMM_COMPONENT_DEFRAG));

	/* A second open file works the same. */
	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	EXPECT_EQ(0, ioctl(fd2, HPMM_IOCTL_VERSION, &ver));
	EXPECT_EQ((__u64)HPMM_ABI_VERSION, ver.abi_version);
	close(fd2);
	close(fd);
}

/* ioctl(HPMM_IOCTL_VERSION) on a struct at @p whose size field is @size. */
static int version_at(int fd, void *p, __u64 size)
{
	memcpy(p, &size, sizeof(size));
	return ioctl(fd, HPMM_IOCTL_VERSION, p) ? errno : 0;
}

TEST_F(hpmm, ioctl_sizes)
{
	const long pg = sysconf(_SC_PAGESIZE);
	const size_t vsz = sizeof(struct hpmm_version);
	struct hpmm_version *v;
	unsigned char *buf;
	__u64 sentinel = 0x5a5a5a5a5a5a5a5aULL;
	int fd;

	NEED_DEV_NODE();
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);

	/* Two readable pages, then one that cannot be touched. */
	buf = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + 2 * pg, pg, PROT_NONE));
	v = (struct hpmm_version *)buf;

	/* Shorter than the first version of the struct: EINVAL. */
	EXPECT_EQ(EINVAL, version_at(fd, buf, 0));
	EXPECT_EQ(EINVAL, version_at(fd, buf, 4));
	EXPECT_EQ(EINVAL, version_at(fd, buf, 16));
	EXPECT_EQ(EINVAL, version_at(fd, buf, vsz - 1));

	/* Longer, with a zero tail: accepted, the tail left zero. */
	memset(buf, 0, 2 * pg);
	EXPECT_EQ(0, version_at(fd, buf, vsz + 8));
	EXPECT_EQ((__u64)HPMM_ABI_VERSION, v->abi_version);
	EXPECT_EQ(0ULL, *(__u64 *)(buf + vsz));
	memset(buf, 0, 2 * pg);
	EXPECT_EQ(0, version_at(fd, buf, pg));
	EXPECT_EQ((__u64)HPMM_ABI_VERSION, v->abi_version);

	/* Longer, with a tail the module does not know: E2BIG, no output. */
	memset(buf, 0, 2 * pg);
	v->abi_version = sentinel;
	buf[vsz + 7] = 1;
	EXPECT_EQ(E2BIG, version_at(fd, buf, vsz + 8));
	EXPECT_EQ(sentinel, v->abi_version);
	buf[vsz + 7] = 0;
	buf[pg - 1] = 1;
	EXPECT_EQ(E2BIG, version_at(fd, buf, pg));
	buf[pg - 1] = 0;
	buf[pg + 7] = 1;
	EXPECT_EQ(E2BIG, version_at(fd, buf, pg + 8));
	/* More than a page is refused even when zero. */
	buf[pg + 7] = 0;
	EXPECT_EQ(E2BIG, version_at(fd, buf, pg + 8));
	EXPECT_EQ(sentinel, v->abi_version);

	/* Memory that cannot be read or written: EFAULT. */
	EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_VERSION, buf + 2 * pg));
	EXPECT_EQ(EFAULT, errno);
	/* size readable, the rest of the struct not */
	EXPECT_EQ(EFAULT, version_at(fd, buf + 2 * pg - 8, vsz));
	/* the struct readable, the longer tail not */
	EXPECT_EQ(EFAULT, version_at(fd, buf + 2 * pg - vsz, vsz + 8));
	/* read-only: the answer cannot be written back */
	memset(buf, 0, pg);
	v->size = vsz;
	ASSERT_EQ(0, mprotect(buf, pg, PROT_READ));
	EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_VERSION, buf));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, mprotect(buf, pg, PROT_READ | PROT_WRITE));

	/* Commands that do not exist: ENOTTY. */
	memset(buf, 0, pg);
	v->size = vsz;
	EXPECT_EQ(-1, ioctl(fd, _IO(HPMM_IOCTL_TYPE, 0x0f), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(HPMM_IOCTL_TYPE, 0xff), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOWR(HPMM_IOCTL_TYPE, HPMM_CMD_VERSION,
				      struct hpmm_version), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO('x', HPMM_CMD_VERSION), buf));
	EXPECT_EQ(ENOTTY, errno);

	munmap(buf, 3 * pg);
	close(fd);
}

/*
 * HPMM_IOCTL_DESTROY names an object of the calling file: ids it does not
 * own, zero and out-of-range ids are ENOENT, a short struct EINVAL.
 */
TEST_F(hpmm, ioctl_destroy_unknown)
{
	struct hpmm_destroy d = { .size = sizeof(d) };
	__u64 ids[] = { 0, 1, 12345, 1ULL << 31, ~0ULL };
	size_t i;
	int fd;

	NEED_DEV_NODE();
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_LEN(ids); i++) {
		d.id = ids[i];
		EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_DESTROY, &d));
		EXPECT_EQ(ENOENT, errno) TH_LOG("id %llu", (unsigned long long)ids[i]);
	}
	d.size = 8;
	EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_DESTROY, &d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, HPMM_IOCTL_DESTROY, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

/*
 * An unprivileged process gets a clear refusal from every hpmm interface it
 * opens itself (issue 17): /dev/hpmm and /dev/hpmm_test are root's (0600),
 * /dev/hpmm_test also needs CAP_SYS_ADMIN, and debugfs is root's. Each
 * path is opened by a child that dropped to uid/gid 65534 with no
 * capabilities; it must fail with EACCES or EPERM (ENOENT would hide a
 * missing file, so each path is checked to exist first).
 */
TEST_F(hpmm, unprivileged_refused)
{
	const char *const paths[] = {
		HPMM_DEV_NODE,
		"/dev/hpmm_test",
		HPMM_DBG_ROOT "/status",
		HPMM_DBG_ROOT "/dev",
		HPMM_TEST_DBG_ROOT "/dev",
	};
	const int flags[] = { O_RDWR, O_RDWR, O_RDONLY, O_RDONLY, O_RDONLY };
	size_t i;

	if (geteuid())
		SKIP(return, "not root");
	for (i = 0; i < ARRAY_LEN(paths); i++) {
		int status, err;
		pid_t pid;

		ASSERT_EQ(0, access(paths[i], F_OK)) TH_LOG("%s", paths[i]);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			int fd;

			if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
				_exit(100);
			fd = open(paths[i], flags[i] | O_CLOEXEC);
			_exit(fd >= 0 ? 0 : errno);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		err = WEXITSTATUS(status);
		EXPECT_TRUE(err == EACCES || err == EPERM)
			TH_LOG("uid 65534 opening %s: %s", paths[i],
			       err ? strerror(err) : "it opened");
	}
}

TEST_F(hpmm, edu_bound)
{
	char info[HPMM_FILE_MAX], path[PATH_MAX], s[128], group[32];
	char irqs[65536], needle[32];
	bool seen_index[HPMM_MAX_DEVS] = { false };
	long long v, status_devices;
	struct stat st;
	int i;

	if (!self->edu.n)
		SKIP(return, "no edu device (PCI %04x:%04x)", HPMM_EDU_VENDOR,
		     HPMM_EDU_DEVICE);

	ASSERT_LT(0, hpmm_read_file(HPMM_DBG_ROOT "/status", info,
				    sizeof(info)));
	ASSERT_EQ(0, hpmm_kv_ll(info, "devices", &status_devices));
	EXPECT_EQ(self->edu.n, status_devices);
	EXPECT_EQ(self->edu.n, self->bound.n);
	ASSERT_LT(0, hpmm_read_file("/proc/interrupts", irqs, sizeof(irqs)));

	for (i = 0; i < self->edu.n; i++) {
		const char *bdf = self->edu.name[i];

		snprintf(path, sizeof(path), HPMM_PCI_DEVICES "/%s/driver", bdf);
		hpmm_link_name(path, s, sizeof(s));
		EXPECT_STREQ("hpmm", s) TH_LOG("%s is bound to \"%s\"", bdf, s);

		snprintf(path, sizeof(path), HPMM_DBG_DEV "/%s", bdf);
		if (stat(path, &st)) {
			EXPECT_EQ(0, errno) TH_LOG("%s: no debugfs dir", bdf);
			continue;
		}
		snprintf(path, sizeof(path), HPMM_TEST_DBG_DEV "/%s/control",
			 bdf);
		EXPECT_EQ(0, access(path, W_OK)) TH_LOG("%s", path);
		snprintf(path, sizeof(path), HPMM_DBG_DEV "/%s/stats", bdf);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s", path);
		ASSERT_LT(0, hpmm_read_filef(info, sizeof(info),
					     HPMM_DBG_DEV "/%s/info", bdf));

		ASSERT_EQ(0, hpmm_kv_str(info, "bdf", s, sizeof(s)));
		EXPECT_STREQ(bdf, s);
		ASSERT_EQ(0, hpmm_kv_ll(info, "index", &v));
		EXPECT_TRUE(v >= 0 && v < self->edu.n && !seen_index[v])
			TH_LOG("%s: index %lld", bdf, v);
		if (v >= 0 && v < HPMM_MAX_DEVS)
			seen_index[v] = true;
		ASSERT_EQ(0, hpmm_kv_ll(info, "dma_mask_bits", &v));
		EXPECT_EQ(HPMM_EDU_DMA_BITS, v);
		ASSERT_EQ(0, hpmm_kv_ll(info, "broken", &v));
		EXPECT_EQ(0, v);

		/* The MSI handler is installed. */
		ASSERT_EQ(0, hpmm_kv_ll(info, "irq", &v));
		EXPECT_LT(0, v);
		snprintf(needle, sizeof(needle), "\n%*lld:", 3, v);
		EXPECT_TRUE(strstr(irqs, needle) ||
			    !strncmp(irqs, needle + 1, strlen(needle + 1)))
			TH_LOG("%s: irq %lld not in /proc/interrupts", bdf, v);

		/* IOMMU group and domain type as sysfs sees them. */
		snprintf(path, sizeof(path), HPMM_PCI_DEVICES "/%s/iommu_group",
			 bdf);
		hpmm_link_name(path, group, sizeof(group));
		ASSERT_NE(0, group[0]) TH_LOG("%s has no IOMMU group", bdf);
		ASSERT_EQ(0, hpmm_kv_ll(info, "iommu_group", &v));
		EXPECT_EQ(atoll(group), v);
		ASSERT_EQ(0, hpmm_kv_str(info, "domain_type", s, sizeof(s)));
		/* Translated DMA: the IOMMU can refuse an unmapped IOVA. */
		EXPECT_TRUE(!strcmp(s, "DMA") || !strcmp(s, "DMA-FQ") ||
			    !strcmp(s, "unmanaged"))
			TH_LOG("%s: domain_type %s", bdf, s);
		if (!strcmp(s, "DMA") || !strcmp(s, "DMA-FQ")) {
			char type[64];

			ASSERT_LT(0, hpmm_read_filef(type, sizeof(type),
						     "/sys/kernel/iommu_groups/%s/type",
						     group));
			type[strcspn(type, "\n")] = '\0';
			EXPECT_STREQ(type, s);
		}
	}
}

FIXTURE(roundtrip) {
	struct hpmm_devlist edu;
	struct hpmm_devlist bound;
};

FIXTURE_VARIANT(roundtrip) {
	const char *backend;
	int len;
};

FIXTURE_VARIANT_ADD(roundtrip, edu_1024) { .backend = "edu", .len = 1024 };
FIXTURE_VARIANT_ADD(roundtrip, cpu_4095) { .backend = "cpu", .len = 4095 };
FIXTURE_VARIANT_ADD(roundtrip, edu_4095) { .backend = "edu", .len = 4095 };
FIXTURE_VARIANT_ADD(roundtrip, edu_1) { .backend = "edu", .len = 1 };
FIXTURE_VARIANT_ADD(roundtrip, cpu_1) { .backend = "cpu", .len = 1 };

FIXTURE_SETUP(roundtrip)
{
	hpmm_find_edu(&self->edu);
	hpmm_find_bound(&self->bound);
}

FIXTURE_TEARDOWN(roundtrip)
{
}

/* One round trip per device keeps the data and counts exactly two accesses. */
TEST_F(roundtrip, data_and_stats)
{
	const bool edu = !strcmp(variant->backend, "edu");
	struct hpmm_stats a, b;
	long long d[HPMM_NR_STATS] = { 0 };
	char cmd[64];
	int i, ret;

	NEED_BOUND(self);
	d[HPMM_ST_DMA_OPS] = 2;
	d[HPMM_ST_DMA_BYTES] = 2LL * variant->len;
	d[HPMM_ST_TO_DEVICE] = 1;
	d[HPMM_ST_FROM_DEVICE] = 1;
	d[edu ? HPMM_ST_EDU_OPS : HPMM_ST_CPU_OPS] = 2;
	snprintf(cmd, sizeof(cmd), "roundtrip %s %d\n", variant->backend,
		 variant->len);

	for (i = 0; i < self->bound.n; i++) {
		const char *bdf = self->bound.name[i];

		ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
		ret = hpmm_control(bdf, cmd, strlen(cmd));
		ASSERT_EQ(0, ret)
			TH_LOG("%s: \"roundtrip %s %d\": %s", bdf,
			       variant->backend, variant->len, strerror(-ret));
		ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
		expect_deltas(_metadata, bdf, cmd, &a, &b, d);
		if (edu) {
			/* 100 ms of device time per access, at least. */
			EXPECT_LT(0, b.v[HPMM_ST_LAST_NS]);
			EXPECT_LE(a.v[HPMM_ST_TOTAL_EDU_NS] +
				  b.v[HPMM_ST_LAST_NS],
				  b.v[HPMM_ST_TOTAL_EDU_NS]);
		} else {
			EXPECT_LE(0, b.v[HPMM_ST_LAST_NS]);
			EXPECT_EQ(a.v[HPMM_ST_TOTAL_EDU_NS],
				  b.v[HPMM_ST_TOTAL_EDU_NS]);
		}
	}
}

/* Writes of 0..4096 bytes, all rejected with EINVAL. */
struct bad_cmd {
	const char *what;
	const char *text;
	size_t len;	/* 0: strlen(text) */
	size_t pad;	/* if set: text then spaces to this many bytes */
};

static const struct bad_cmd bad_cmds[] = {
	{ "empty write", "", 0, 0 },
	{ "newline only", "\n", 0, 0 },
	{ "blanks only", "   \n", 0, 0 },
	{ "unknown word", "bogus edu 16\n", 0, 0 },
	{ "upper case", "ROUNDTRIP cpu 16\n", 0, 0 },
	{ "no arguments", "roundtrip\n", 0, 0 },
	{ "no LEN", "roundtrip cpu\n", 0, 0 },
	{ "unknown backend", "roundtrip gpu 16\n", 0, 0 },
	{ "LEN 0", "roundtrip edu 0\n", 0, 0 },
	{ "LEN 4096 edu", "roundtrip edu 4096\n", 0, 0 },
	{ "LEN 4096 cpu", "roundtrip cpu 4096\n", 0, 0 },
	{ "LEN negative", "roundtrip cpu -1\n", 0, 0 },
	{ "LEN non-numeric", "roundtrip cpu abc\n", 0, 0 },
	{ "LEN trailing junk", "roundtrip cpu 12abc\n", 0, 0 },
	{ "LEN overflows", "roundtrip cpu 18446744073709551617\n", 0, 0 },
	{ "extra word", "roundtrip cpu 16 16\n", 0, 0 },
	{ "two newlines", "roundtrip cpu 16\n\n", 0, 0 },
	{ "embedded NUL", "roundtrip cpu 16\0x", 18, 0 },
	{ "fault without IOVA", "fault cpu\n", 0, 0 },
	{ "fault IOVA non-numeric", "fault cpu xyz\n", 0, 0 },
	{ "257 bytes", "roundtrip cpu 16", 0, HPMM_CMD_MAX + 1 },
	{ "10000 bytes", "roundtrip cpu 16", 0, 10000 },
};

TEST_F(hpmm, control_malformed)
{
	struct hpmm_stats a, b;
	long long zero[HPMM_NR_STATS] = { 0 };
	static char buf[16384];
	size_t c, len;
	int i, ret;

	NEED_BOUND(self);
	for (i = 0; i < self->bound.n; i++) {
		const char *bdf = self->bound.name[i];

		ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
		for (c = 0; c < ARRAY_LEN(bad_cmds); c++) {
			const struct bad_cmd *bc = &bad_cmds[c];

			len = bc->len ? bc->len : strlen(bc->text);
			memcpy(buf, bc->text, len);
			if (bc->pad) {
				memset(buf + len, ' ', bc->pad - len);
				len = bc->pad;
			}
			ret = hpmm_control(bdf, buf, len);
			EXPECT_EQ(-EINVAL, ret)
				TH_LOG("%s: %s (%zu bytes): got %d (%s)", bdf,
				       bc->what, len, ret, strerror(-ret));
		}
		ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
		/* Nothing moved, not even the times. */
		expect_deltas(_metadata, bdf, "malformed commands", &a, &b,
			      zero);
		EXPECT_EQ(a.v[HPMM_ST_LAST_NS], b.v[HPMM_ST_LAST_NS]);
		EXPECT_EQ(a.v[HPMM_ST_TOTAL_EDU_NS],
			  b.v[HPMM_ST_TOTAL_EDU_NS]);
	}
}

/* The limits of a well-formed command: 256 bytes, newline optional. */
TEST_F(hpmm, control_syntax)
{
	static const char *const good[] = {
		"roundtrip cpu 16", "roundtrip cpu 16\n",
		"roundtrip\tcpu\t16\n",
	};
	char buf[HPMM_CMD_MAX + 1];
	struct hpmm_stats a, b;
	size_t c;
	int i, ret;

	NEED_BOUND(self);
	for (i = 0; i < self->bound.n; i++) {
		const char *bdf = self->bound.name[i];

		for (c = 0; c < ARRAY_LEN(good); c++) {
			ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
			ret = hpmm_control(bdf, good[c], strlen(good[c]));
			EXPECT_EQ(0, ret) TH_LOG("%s: \"%s\": %s", bdf,
						 good[c], strerror(-ret));
			ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
			EXPECT_EQ(2, b.v[HPMM_ST_CPU_OPS] - a.v[HPMM_ST_CPU_OPS]);
		}
		/* Exactly HPMM_CMD_MAX bytes, blank-padded: accepted. */
		memset(buf, ' ', sizeof(buf));
		memcpy(buf, "roundtrip cpu 16", 16);
		buf[HPMM_CMD_MAX - 1] = '\n';
		ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
		ret = hpmm_control(bdf, buf, HPMM_CMD_MAX);
		EXPECT_EQ(0, ret) TH_LOG("%s: 256-byte command: %s", bdf,
					 strerror(-ret));
		ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
		EXPECT_EQ(2, b.v[HPMM_ST_DMA_OPS] - a.v[HPMM_ST_DMA_OPS]);
	}
}

/*
 * "fault BACKEND IOVA" at the first IOVA of fault_iovas[] that does not
 * translate: the result of the write, with the IOVA used in *@iova.
 */
static int fault_probe(const char *bdf, const char *backend,
		       unsigned long *iova)
{
	size_t k;
	int ret = -EEXIST;

	for (k = 0; k < ARRAY_LEN(fault_iovas) && ret == -EEXIST; k++) {
		*iova = fault_iovas[k];
		ret = hpmm_controlf(bdf, "fault %s 0x%lx\n", backend, *iova);
	}
	return ret;
}

/* The CPU backend refuses an IOVA that does not translate and counts it. */
TEST_F(hpmm, fault_cpu)
{
	long long d[HPMM_NR_STATS] = { 0 };
	struct hpmm_stats a, b;
	unsigned long iova;
	int i, ret;

	NEED_BOUND(self);
	d[HPMM_ST_FAULTS] = 1;
	for (i = 0; i < self->bound.n; i++) {
		const char *bdf = self->bound.name[i];

		ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
		ret = fault_probe(bdf, "cpu", &iova);
		ASSERT_EQ(-EFAULT, ret)
			TH_LOG("%s: \"fault cpu 0x%lx\": %s", bdf, iova,
			       strerror(-ret));
		ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
		expect_deltas(_metadata, bdf, "fault cpu", &a, &b, d);
	}
}

/*
 * The edu device writes to an IOVA that does not translate: the IOMMU blocks
 * it and the DMAR driver logs the fault with that address and the device's
 * requester id. This is what proves that the IOMMU enforces.
 */
TEST_F(hpmm, fault_edu_dmar)
{
	char line[1024], addr[64], rid[32], info[HPMM_FILE_MAX];
	unsigned int dom, bus, slot, fn;
	unsigned long iova;
	long long broken;
	int i, fd, ret;

	NEED_BOUND(self);
	for (i = 0; i < self->bound.n; i++) {
		const char *bdf = self->bound.name[i];
		const char *needles[] = { "DMAR: [DMA Write", rid, addr, NULL };

		ASSERT_EQ(4, sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn));
		snprintf(rid, sizeof(rid), "device [%02x:%02x.%d]", bus, slot,
			 fn);

		fd = hpmm_kmsg_open();
		ASSERT_LE(0, fd) TH_LOG("/dev/kmsg: %s", strerror(-fd));
		ret = fault_probe(bdf, "edu", &iova);
		ASSERT_EQ(0, ret) TH_LOG("%s: \"fault edu 0x%lx\": %s", bdf,
					 iova, strerror(-ret));
		snprintf(addr, sizeof(addr), "fault addr 0x%lx ", iova);
		ret = hpmm_kmsg_wait(fd, needles, 10000, line, sizeof(line));
		close(fd);
		EXPECT_EQ(1, ret)
			TH_LOG("%s: no \"%s ... %s ... %s\" in the kernel log",
			       bdf, needles[0], rid, addr);
		if (ret == 1)
			TH_LOG("%s: %s", bdf, line);

		/* The device survives the fault. */
		ASSERT_LT(0, hpmm_read_filef(info, sizeof(info),
					     HPMM_DBG_DEV "/%s/info", bdf));
		ASSERT_EQ(0, hpmm_kv_ll(info, "broken", &broken));
		EXPECT_EQ(0, broken);
		ret = hpmm_controlf(bdf, "roundtrip edu 64\n");
		EXPECT_EQ(0, ret) TH_LOG("%s: roundtrip after the fault: %s",
					 bdf, strerror(-ret));
	}
}

/* Registered last, so run last: everything above gave back what it took. */
FIXTURE(final) {
	struct hpmm_devlist bound;
};

FIXTURE_SETUP(final)
{
	hpmm_find_bound(&self->bound);
}

FIXTURE_TEARDOWN(final)
{
}

TEST_F(final, nothing_live)
{
	long long pages = -1, mappings = -1, broken;
	char info[HPMM_FILE_MAX];
	int i;

	ASSERT_EQ(0, hpmm_read_live(&pages, &mappings));
	EXPECT_EQ(0, pages);
	EXPECT_EQ(0, mappings);
	for (i = 0; i < self->bound.n; i++) {
		ASSERT_LT(0, hpmm_read_filef(info, sizeof(info),
					     HPMM_DBG_DEV "/%s/info",
					     self->bound.name[i]));
		ASSERT_EQ(0, hpmm_kv_ll(info, "broken", &broken));
		EXPECT_EQ(0, broken) TH_LOG("%s", self->bound.name[i]);
	}
}

/* TEST_HARNESS_MAIN's constructor, for a main() of our own. */
static void __attribute__((constructor)) hpmm_constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	int ret;

	if (geteuid()) {
		ksft_print_header();
		ksft_exit_skip("base_test: must be run as root\n");
	}
	if (access(HPMM_SYS_MODULE, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("base_test: hpmm is not loaded (hpmm.sh loads it)\n");
	}
	ret = hpmm_mount_debugfs();
	if (ret)
		ksft_print_msg("cannot mount debugfs: %s\n", strerror(-ret));
	return test_harness_run(argc, argv);
}
