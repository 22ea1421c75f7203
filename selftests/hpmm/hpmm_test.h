/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the hpmm selftests: debugfs "key: value" files and
 * control commands (Documentation/debugfs.rst), the edu devices, and the
 * kernel log. Header-only so that every NAME_test.c builds from one file.
 * Include it first: it brings in kselftest_harness.h.
 */
#ifndef HPMM_TEST_H
#define HPMM_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>

/*
 * The kselftest harness, included here once for every test program: 6.1's
 * leaves a parameter of its SIGALRM handler unused, which -Wextra -Werror
 * would refuse. A later #include "kselftest_harness.h" is a no-op.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#define HPMM_DEBUGFS		"/sys/kernel/debug"
#define HPMM_DBG_ROOT		HPMM_DEBUGFS "/hpmm"
#define HPMM_DBG_DEV		HPMM_DBG_ROOT "/dev"
/* hpmm_test.ko (kernel/test/): the device self-tests and test commands. */
#define HPMM_TEST_DBG_ROOT	HPMM_DEBUGFS "/hpmm_test"
#define HPMM_TEST_DBG_DEV	HPMM_TEST_DBG_ROOT "/dev"
#define HPMM_DEV_NODE		"/dev/hpmm"
#define HPMM_SYS_MODULE		"/sys/module/hpmm"
#define HPMM_PCI_DEVICES	"/sys/bus/pci/devices"

/* QEMU's edu device. */
#define HPMM_EDU_VENDOR		0x1234
#define HPMM_EDU_DEVICE		0x11e8
/* edu addresses 28 bits; its buffer takes transfers of 1..4095 bytes. */
#define HPMM_EDU_DMA_BITS	28
#define HPMM_EDU_DMA_MAX	4095
/* The longest command a control file accepts, in bytes. */
#define HPMM_CMD_MAX		256

#define HPMM_MAX_DEVS		16
#define HPMM_NAME_LEN		64
#define HPMM_FILE_MAX		8192

/* Drops to uid and gid 65534 (nobody): no capability is left. 0 or -errno. */
static inline int hpmm_become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

/* A list of device names (PCI addresses such as "0000:00:03.0"). */
struct hpmm_devlist {
	int n;
	char name[HPMM_MAX_DEVS][HPMM_NAME_LEN];
};

/* The fields of dev/<bdf>/stats, in file order. */
enum hpmm_stat {
	HPMM_ST_DMA_OPS,
	HPMM_ST_DMA_BYTES,
	HPMM_ST_TO_DEVICE,
	HPMM_ST_FROM_DEVICE,
	HPMM_ST_CPU_OPS,
	HPMM_ST_EDU_OPS,
	HPMM_ST_FAULTS,
	HPMM_ST_ERRORS,
	HPMM_ST_LAST_NS,
	HPMM_ST_TOTAL_EDU_NS,
	HPMM_NR_STATS,
};

static const char *const hpmm_stat_names[HPMM_NR_STATS] = {
	"dma_ops", "dma_bytes", "to_device", "from_device", "cpu_ops",
	"edu_ops", "faults", "errors", "last_ns", "total_edu_ns",
};

struct hpmm_stats {
	long long v[HPMM_NR_STATS];
};

/* Copies @src into @out, cut to @size - 1 bytes. */
static inline void hpmm_strscpy(char *out, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (len >= size)
		len = size - 1;
	memcpy(out, src, len);
	out[len] = '\0';
}

/* Reads all of @path into @buf, NUL-terminated: length or -errno. */
static inline ssize_t hpmm_read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

/* The number at the start of the file @path, or LLONG_MIN. */
static inline long long hpmm_read_ll(const char *path)
{
	char buf[64];

	if (hpmm_read_file(path, buf, sizeof(buf)) <= 0)
		return LLONG_MIN;
	return strtoll(buf, NULL, 10);
}

/* hpmm_read_file() with a printf-style path. */
static inline ssize_t __attribute__((format(printf, 3, 4)))
hpmm_read_filef(char *buf, size_t size, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return hpmm_read_file(path, buf, size);
}

/*
 * The value of the line "@key: value" of @text, copied into @out: 0, or
 * -ENOENT when there is no such line.
 */
static inline int hpmm_kv_str(const char *text, const char *key, char *out,
			      size_t size)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		const char *end = strchrnul(line, '\n');

		if ((size_t)(end - line) > klen + 1 &&
		    !strncmp(line, key, klen) && line[klen] == ':' &&
		    line[klen + 1] == ' ') {
			size_t vlen = end - line - klen - 2;

			if (vlen >= size)
				vlen = size - 1;
			memcpy(out, line + klen + 2, vlen);
			out[vlen] = '\0';
			return 0;
		}
		line = *end ? end + 1 : NULL;
	}
	return -ENOENT;
}

/*
 * The decimal integer of the line "@key: value" of @text: 0, -ENOENT, or
 * -EINVAL when the value is not exactly one decimal integer.
 */
static inline int hpmm_kv_ll(const char *text, const char *key, long long *val)
{
	char s[64], *end;
	int ret;

	ret = hpmm_kv_str(text, key, s, sizeof(s));
	if (ret)
		return ret;
	if (!s[0] || (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
		return -EINVAL;
	errno = 0;
	*val = strtoll(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/*
 * The value of @key in the "key: value" file at the printf-style path, or
 * LLONG_MIN when the file or the key is missing.
 */
static inline long long __attribute__((format(printf, 2, 3)))
hpmm_dbg_value(const char *key, const char *fmt, ...)
{
	char path[PATH_MAX], buf[HPMM_FILE_MAX];
	long long v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (hpmm_read_file(path, buf, sizeof(buf)) <= 0 ||
	    hpmm_kv_ll(buf, key, &v))
		return LLONG_MIN;
	return v;
}

/* Whether the space-separated list @list holds the word @word. */
static inline bool hpmm_has_word(const char *list, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[wlen] == '\0' || p[wlen] == ' ' || p[wlen] == '\n'))
			return true;
		p += wlen;
	}
	return false;
}

/* Reads dev/<@bdf>/stats: 0, or -errno (-EPROTO when a key is missing). */
static inline int hpmm_read_stats(const char *bdf, struct hpmm_stats *st)
{
	char buf[HPMM_FILE_MAX];
	ssize_t n;
	int i;

	n = hpmm_read_filef(buf, sizeof(buf), HPMM_DBG_DEV "/%s/stats", bdf);
	if (n < 0)
		return n;
	for (i = 0; i < HPMM_NR_STATS; i++)
		if (hpmm_kv_ll(buf, hpmm_stat_names[i], &st->v[i]))
			return -EPROTO;
	return 0;
}

/* Reads the live counters of debugfs status: 0 or -errno. */
static inline int hpmm_read_live(long long *pages, long long *mappings)
{
	char buf[HPMM_FILE_MAX];
	ssize_t n;

	n = hpmm_read_file(HPMM_DBG_ROOT "/status", buf, sizeof(buf));
	if (n < 0)
		return n;
	if (hpmm_kv_ll(buf, "live_pages", pages) ||
	    hpmm_kv_ll(buf, "live_dma_mappings", mappings))
		return -EPROTO;
	return 0;
}

/*
 * One write(2) of @len bytes of @buf to hpmm_test/dev/<@bdf>/control (the
 * device self-tests of hpmm_test.ko): 0, -errno of the
 * write, or -EMSGSIZE when it wrote another number of bytes than @len.
 */
static inline int hpmm_control(const char *bdf, const void *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, ret;

	snprintf(path, sizeof(path), HPMM_TEST_DBG_DEV "/%s/control", bdf);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else
		ret = (size_t)n == len ? 0 : -EMSGSIZE;
	close(fd);
	return ret;
}

/* hpmm_control() with a printf-style command (no NUL written). */
static inline int __attribute__((format(printf, 2, 3)))
hpmm_controlf(const char *bdf, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return hpmm_control(bdf, cmd, strlen(cmd));
}

/* Appends @name to @l unless it is full or @name does not fit. */
static inline void hpmm_devlist_add(struct hpmm_devlist *l, const char *name)
{
	size_t len = strlen(name);

	if (l->n == HPMM_MAX_DEVS || len >= HPMM_NAME_LEN)
		return;
	memcpy(l->name[l->n++], name, len + 1);
}

static inline int hpmm_cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Reads a sysfs hex id ("0x1234\n"): the value, or -1. */
static inline long hpmm_read_hex(const char *dir, const char *name)
{
	char buf[32], *end;
	long v;

	if (hpmm_read_filef(buf, sizeof(buf), "%s/%s", dir, name) <= 0)
		return -1;
	v = strtol(buf, &end, 16);
	return (*end == '\n' || !*end) ? v : -1;
}

/* The PCI addresses of every edu device present, sorted. */
static inline void hpmm_find_edu(struct hpmm_devlist *l)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	l->n = 0;
	d = opendir(HPMM_PCI_DEVICES);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), HPMM_PCI_DEVICES "/%s", de->d_name);
		if (hpmm_read_hex(dir, "vendor") != HPMM_EDU_VENDOR ||
		    hpmm_read_hex(dir, "device") != HPMM_EDU_DEVICE)
			continue;
		hpmm_devlist_add(l, de->d_name);
	}
	closedir(d);
	qsort(l->name, l->n, HPMM_NAME_LEN, hpmm_cmp_names);
}

/* The devices hpmm shows under debugfs dev/, sorted. */
static inline void hpmm_find_bound(struct hpmm_devlist *l)
{
	struct dirent *de;
	DIR *d;

	l->n = 0;
	d = opendir(HPMM_DBG_DEV);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		hpmm_devlist_add(l, de->d_name);
	}
	closedir(d);
	qsort(l->name, l->n, HPMM_NAME_LEN, hpmm_cmp_names);
}

/* The last path component of the symlink @path, or "" when none. */
static inline void hpmm_link_name(const char *path, char *out, size_t size)
{
	char target[PATH_MAX];
	ssize_t n;
	char *slash;

	out[0] = '\0';
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	hpmm_strscpy(out, slash ? slash + 1 : target, size);
}

/* Mounts debugfs unless it is: 0 or -errno. */
static inline int hpmm_mount_debugfs(void)
{
	struct statfs sf;

	if (!statfs(HPMM_DEBUGFS, &sf) && sf.f_type == DEBUGFS_MAGIC)
		return 0;
	if (mount("debugfs", HPMM_DEBUGFS, "debugfs", 0, NULL))
		return -errno;
	return 0;
}

static inline long long hpmm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Opens the kernel log positioned after its last record, so that
 * hpmm_kmsg_wait() sees only what is logged from now on: fd or -errno.
 */
static inline int hpmm_kmsg_open(void)
{
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/*
 * Waits up to @timeout_ms for a kernel log record that contains every string
 * of the NULL-terminated @needles, and copies its text into @out: 1 when
 * found, 0 when not, -errno when the log cannot be read.
 */
static inline int hpmm_kmsg_wait(int fd, const char *const *needles,
				 int timeout_ms, char *out, size_t size)
{
	long long deadline = hpmm_now_ms() + timeout_ms;
	char rec[8192];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		const char *msg;
		int i;

		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue;	/* EPIPE: records were overwritten */
			if (errno != EAGAIN)
				return -errno;
			if (hpmm_now_ms() >= deadline)
				return 0;
			usleep(20000);
			continue;
		}
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; needles[i]; i++)
			if (!strstr(msg, needles[i]))
				break;
		if (!needles[i]) {
			hpmm_strscpy(out, msg, size);
			out[strcspn(out, "\n")] = '\0';
			return 1;
		}
	}
}

#endif /* HPMM_TEST_H */
