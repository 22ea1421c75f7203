// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: every interface of hpmm used at once by several processes on all
 * CPUs for a bounded time, while another process keeps trying to rmmod and
 * re-insmod the module. Nothing may crash or warn (the guest panics on a
 * WARN; lockdep and KASAN report in the debug kernel), every worker must
 * make progress, every error must be one the interface documents, and when
 * it is over the counters add up and nothing is live.
 *
 * A component joins by adding a worker to workers[]: a function that does
 * one unit of work and returns 0 or a -errno, and the errors it may return
 * while the module comes and goes (or its resource is busy). A unit of work
 * gives back everything it took on every path, so that the unloader can
 * take the module away between two units. Objects are named "st_..." with
 * the worker's pid, so that the end can prove none was left behind.
 *
 * Workers: the edu devices' round trips (device 1 is VPRI's: the others
 * use device 0 only, see stress_dev_pick()), /dev/hpmm's version ioctl,
 * debugfs readers; HPA pools run on the CPU backend with leaks and holds,
 * and a reader of every pool's stats; DEFRAG groups mapped, faulted,
 * allocated from, compacted; MAGNET mappings faulted and unmapped, or left
 * to a process's exit; VPRI domains (one at a time on the device, so EBUSY
 * is expected) fed batches and torn down by HPMM_IOCTL_DESTROY, close or
 * munmap.
 *
 * HPMM_STRESS_SECONDS sets the duration (default 20).
 */
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "kselftest_harness.h"

#include <stdint.h>

#include <uapi/hpmm.h>
#include <uapi/hpmm-vpri.h>

#include "hpmm_defrag.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define STRESS_MAX_WORKERS 24
#define STRESS_PAGE	4096UL
#define STRESS_PREFIX	"st_"
#define HPA_DIR		HPMM_DBG_ROOT "/hpa"
#define HPA_TEST_DIR	HPMM_TEST_DBG_ROOT "/hpa"
#define DFG_DIR		HPMM_DBG_ROOT "/defrag"
#define MAGNET_DIR	HPMM_DBG_ROOT "/magnet"
#define VPRI_DIR	HPMM_DBG_ROOT "/vpri"
/* VPRI serves its domains on the second edu device (vpri/status). */
#define VPRI_DEV	1

/**
 * struct stress_worker - one kind of worker process
 * @name: for the report
 * @copies: how many processes run it at once
 * @step: one unit of work: 0, or a -errno
 * @expected: whether @step may return that errno (positive) while the
 *	module comes and goes or the resource is busy; any other is "bad"
 */
struct stress_worker {
	const char *name;
	int copies;
	int (*step)(unsigned int *seed);
	bool (*expected)(int err);
};

/* What each worker process reports back through shared memory. */
struct stress_tally {
	unsigned long ops, expected_errors, bad;
	int bad_errno;
};

static const char *stress_module;

/* Errors any step may see while the module is being removed or absent. */
static bool module_churn_errno(int err)
{
	/*
	 * EIO: a debugfs file removed while open (hpmm_test's device
	 * self-tests, when hpmm_test is unloaded under the writer).
	 */
	return err == ENOENT || err == ENODEV || err == ENXIO || err == EBUSY ||
	       err == EIO;
}

/*
 * What opening a file of hpmm gives while the module is absent (ENOENT: no
 * /dev/hpmm, no debugfs file), being removed (ENXIO: debugfs refuses a
 * file whose module is going) or between misc_deregister and the node's
 * removal (ENODEV).
 */
static bool absent_errno(int err)
{
	return err == ENOENT || err == ENODEV || err == ENXIO;
}

/*
 * Pool stats may also vanish between open and read, and hpmm_test's
 * control with hpmm_test under a writer (debugfs: EIO).
 */
static bool hpa_errno(int err)
{
	return absent_errno(err) || err == EIO;
}

/* Another process's domain holds the VPRI device (vpri/domain.c). */
static bool vpri_errno(int err)
{
	return absent_errno(err) || err == EBUSY;
}

/*
 * A device for the round trips: any but VPRI's, whose current domain is a
 * VPRI domain's while one is registered (the CPU backend then refuses with
 * EFAULT, and edu would DMA through a domain that maps a process's memory).
 */
static const char *stress_dev_pick(struct hpmm_devlist *devs,
				   unsigned int *seed)
{
	int i;

	hpmm_find_bound(devs);
	if (!devs->n)
		return NULL;
	if (devs->n <= VPRI_DEV)
		return devs->name[rand_r(seed) % devs->n];
	i = rand_r(seed) % (devs->n - 1);
	return devs->name[i < VPRI_DEV ? i : i + 1];
}

static int stress_dev_dma(unsigned int *seed)
{
	struct hpmm_devlist devs;
	const char *dev = stress_dev_pick(&devs, seed);

	if (!dev)
		return -ENOENT;
	return hpmm_controlf(dev, "roundtrip cpu %u",
			     1 + rand_r(seed) % HPMM_EDU_DMA_MAX);
}

static int stress_dev_edu(unsigned int *seed)
{
	struct hpmm_devlist devs;
	const char *dev = stress_dev_pick(&devs, seed);

	if (!dev)
		return -ENOENT;
	return hpmm_controlf(dev, "roundtrip edu %u", 1 + rand_r(seed) % 256);
}

static int stress_chardev(unsigned int *seed __attribute__((unused)))
{
	struct hpmm_version v = { .size = sizeof(v) };
	int fd, ret = 0;

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, HPMM_IOCTL_VERSION, &v))
		ret = -errno;
	else if (v.abi_version != HPMM_ABI_VERSION)
		ret = -EPROTO;
	close(fd);
	return ret;
}

static int stress_reader(unsigned int *seed)
{
	static const char *const files[] = { "status", "version" };
	char buf[HPMM_FILE_MAX];
	struct hpmm_devlist devs;
	struct hpmm_stats st;
	ssize_t n;
	int i;

	n = hpmm_read_filef(buf, sizeof(buf), HPMM_DBG_ROOT "/%s",
			    files[rand_r(seed) % 2]);
	if (n < 0)
		return n;
	hpmm_find_bound(&devs);
	for (i = 0; i < devs.n; i++) {
		int ret = hpmm_read_stats(devs.name[i], &st);

		/* A directory that went away with the module. */
		if (ret && ret != -ENOENT)
			return ret;
	}
	return 0;
}

/* One write(2) of a printf-style command to the control file @path. */
static int __attribute__((format(printf, 2, 3)))
stress_ctl(const char *path, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	ssize_t n;
	int fd, ret;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	ret = n < 0 ? -errno : (size_t)n == strlen(cmd) ? 0 : -EMSGSIZE;
	close(fd);
	return ret;
}

/* A per-process unique object name: st_<kind><pid>_<n>. */
static void stress_name(char *out, size_t size, char kind)
{
	static unsigned int serial;

	snprintf(out, size, STRESS_PREFIX "%c%d_%u", kind, (int)getpid(),
		 serial++);
}

/* The integer @key of the "key: value" file @path: 0 or -errno. */
static int stress_kv(const char *path, const char *key, long long *v)
{
	char buf[HPMM_FILE_MAX];
	ssize_t n;

	n = hpmm_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return hpmm_kv_ll(buf, key, v) ? -EPROTO : 0;
}

/* Until @path is gone, up to @ms: 0, or -ETIMEDOUT. */
static int stress_wait_gone(const char *path, int ms)
{
	for (; ms > 0; ms -= 20) {
		if (access(path, F_OK))
			return 0;
		usleep(20000);
	}
	return access(path, F_OK) ? 0 : -ETIMEDOUT;
}

static uint64_t stress_pattern(uint64_t salt, size_t page)
{
	return (salt << 20) ^ (page * 0x9e3779b97f4a7c15ULL);
}

/* Writes one word of @pages pages; -EIO when a page reads back otherwise. */
static void stress_fill(char *p, size_t pages, uint64_t salt)
{
	size_t i;

	for (i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * STRESS_PAGE) =
			stress_pattern(salt, i);
}

static int stress_check(const char *p, size_t pages, uint64_t salt)
{
	size_t i;

	for (i = 0; i < pages; i++)
		if (*(const volatile uint64_t *)(p + i * STRESS_PAGE) !=
		    stress_pattern(salt, i))
			return -EIO;
	return 0;
}

/*
 * HPA: a pool of its own (hpa, sometimes page_pool) made through hpmm_test's
 * control, a few hundred packets on the CPU backend with ring recycling,
 * holds and leaks, a reclaim scan, then destroy; a destroy deferred by
 * leaked pages in flight is waited for (until hpmm no longer lists the
 * pool), so that the unit leaves nothing behind.
 */
static int stress_hpa(unsigned int *seed)
{
	char name[32], path[PATH_MAX];
	bool pp = rand_r(seed) % 4 == 0;
	int ret, ret2;

	stress_name(name, sizeof(name), 'h');
	ret = stress_ctl(HPA_TEST_DIR "/control", "create %s %s desc=%u%s", name,
			 pp ? "pp" : "hpa", 16 + rand_r(seed) % 112,
			 pp ? "" : " verify=1");
	if (ret)
		return ret;
	ret = stress_ctl(HPA_TEST_DIR "/control",
			 "run %s %u backend=cpu len=%u ring_ppm=300000 hold_ppm=100000 hold_steps=%u leak_ppm=20000 leak_steps=%u seed=%u",
			 name, 100 + rand_r(seed) % 400,
			 1 + rand_r(seed) % HPMM_EDU_DMA_MAX,
			 1 + rand_r(seed) % 64, 1 + rand_r(seed) % 200,
			 rand_r(seed));
	if (!ret && !pp)
		ret = stress_ctl(HPA_TEST_DIR "/control", "scan %s", name);
	if (!ret)
		ret = stress_ctl(HPA_TEST_DIR "/control", "run %s %u", name,
				 50 + rand_r(seed) % 200);
	/* On every path: gone with the module, or destroyed now. */
	ret2 = stress_ctl(HPA_TEST_DIR "/control", "destroy %s", name);
	if (!ret)
		ret = ret2;
	snprintf(path, sizeof(path), HPA_DIR "/pools/%s", name);
	ret2 = stress_wait_gone(path, 5000);
	if (!ret2) {
		snprintf(path, sizeof(path), HPA_TEST_DIR "/pools/%s", name);
		ret2 = stress_wait_gone(path, 5000);
	}
	return ret ? ret : ret2;
}

/*
 * Reads every HPA pool's stats (hpmm's and hpmm_test's) and every DEFRAG
 * group's while their owners create and destroy them, checking that each
 * names its own directory.
 */
static int stress_read_dir(const char *dir, const char *file)
{
	char buf[HPMM_FILE_MAX], name[HPMM_NAME_LEN];
	struct dirent *de;
	int ret = 0;
	ssize_t n;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n = hpmm_read_filef(buf, sizeof(buf), "%s/%s/%s", dir,
				    de->d_name, file);
		if (n == -ENOENT)
			continue;	/* destroyed since readdir() */
		if (n < 0)
			ret = n;
		else if (hpmm_kv_str(buf, "name", name, sizeof(name)) ||
			 strcmp(name, de->d_name))
			ret = -EPROTO;
	}
	closedir(d);
	return ret;
}

static int stress_hpa_reader(unsigned int *seed)
{
	char buf[HPMM_FILE_MAX];
	ssize_t n;
	int ret;

	ret = stress_read_dir(HPA_DIR "/pools", "stats");
	if (!ret)
		ret = stress_read_dir(HPA_TEST_DIR "/pools", "stats");
	if (ret)
		return ret;
	if (rand_r(seed) % 2) {
		ret = stress_read_dir(DFG_DIR "/groups", "stats");
		if (ret)
			return ret;
	}
	n = hpmm_read_file(rand_r(seed) % 2 ? HPA_DIR "/stats" :
			   MAGNET_DIR "/stats", buf, sizeof(buf));
	return n < 0 ? n : 0;
}

/*
 * A DEFRAG group of its own on @fd (an object of that file: it goes with
 * the file on every path): its id, or -errno.
 */
static long long stress_group_create(int fd, char *name, size_t size,
				     char kind, unsigned int limit)
{
	stress_name(name, size, kind);
	return hpmm_dfg_create(fd, name, (struct hpmm_defrag_group_create){
		.fields = HPMM_DEFRAG_GROUP_LIMIT, .limit = limit });
}

#define STRESS_DFG_ALLOCS 16

/*
 * DEFRAG: a group of its own; two mappings of it faulted in alternately
 * (so they share blocks) and one unmapped, kernel-held allocations of
 * every mobility (hpmm_test.ko), some freed; compaction moves the
 * survivors' pages under their data; then everything goes back and the
 * group is destroyed.
 */
static int stress_defrag(unsigned int *seed)
{
	__u64 pfn[STRESS_DFG_ALLOCS], ord[STRESS_DFG_ALLOCS];
	size_t pages = 32 + rand_r(seed) % 160, i;
	uint64_t salt = rand_r(seed);
	char name[32], *a = MAP_FAILED, *b = MAP_FAILED;
	int fd, tfd = -1, ret, n = 0;
	long long id = 0, got;

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	tfd = hpmm_test_open();
	if (tfd < 0) {
		ret = tfd;
		goto out;
	}
	id = stress_group_create(fd, name, sizeof(name), 'd', 8);
	ret = id < 0 ? id : 0;
	if (!ret)
		ret = hpmm_dfg_map(fd, id, rand_r(seed) % 2 ?
				   HPMM_DEFRAG_PLACEMENT_PAGE :
				   HPMM_DEFRAG_PLACEMENT_DEFAULT);
	if (ret)
		goto out;
	a = mmap(NULL, pages * STRESS_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	b = mmap(NULL, pages * STRESS_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < pages; i++) {
		*(volatile uint64_t *)(a + i * STRESS_PAGE) =
			stress_pattern(salt, i);
		*(volatile uint64_t *)(b + i * STRESS_PAGE) = ~salt;
	}
	for (n = 0; n < STRESS_DFG_ALLOCS; n++) {
		ord[n] = rand_r(seed) % 4;
		ret = hpmm_dfg_alloc(tfd, id, ord[n], rand_r(seed) % 2 ?
				     HPMM_TEST_DEFRAG_MOVABLE :
				     HPMM_TEST_DEFRAG_UNMOVABLE, &pfn[n]);
		if (ret)
			goto out;
	}
	munmap(b, pages * STRESS_PAGE);
	b = MAP_FAILED;
	/* Free every other allocation: holes for compaction to fill. */
	for (i = 0; i < (size_t)n; i += 2) {
		ret = hpmm_dfg_free(tfd, pfn[i], ord[i]);
		if (ret)
			goto out;
		ord[i] = ~0ULL;
	}
	got = hpmm_dfg_compact(fd, id, 0);
	ret = got < 0 ? got : stress_check(a, pages, salt);
out:
	if (a != MAP_FAILED)
		munmap(a, pages * STRESS_PAGE);
	if (b != MAP_FAILED)
		munmap(b, pages * STRESS_PAGE);
	/* What the unit still holds; closing the file gives it back too. */
	for (i = 0; tfd >= 0 && i < (size_t)n; i++)
		if (ord[i] != ~0ULL && rand_r(seed) % 2 &&
		    hpmm_dfg_free(tfd, pfn[i], ord[i]) && !ret)
			ret = -errno;
	if (tfd >= 0)
		close(tfd);
	/* Destroyed now, or released with the file. */
	if (id > 0 && rand_r(seed) % 2) {
		int ret2 = hpmm_destroy(fd, id);

		if (!ret)
			ret = ret2;
	}
	close(fd);
	return ret;
}

/*
 * A MAGNET mapping of the group @id on @fd, aligned to 32 KiB so that
 * every group of 8 pages can be reserved: the mapping, or MAP_FAILED
 * (errno set). *@span is what to munmap.
 */
static char *stress_magnet_map(int fd, size_t pages, char **span)
{
	const size_t align = 8 * STRESS_PAGE, len = pages * STRESS_PAGE;
	char *area, *p;

	area = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED)
		return MAP_FAILED;
	p = (char *)(((uintptr_t)area + align - 1) & ~(align - 1));
	p = mmap(p, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		munmap(area, len + align);
		errno = err;
		return MAP_FAILED;
	}
	*span = area;
	return p;
}

/* Faults @pages pages of @p: half by MADV_POPULATE_WRITE, half by touch. */
static int stress_magnet_fault(char *p, size_t pages, uint64_t salt,
			       unsigned int *seed)
{
	size_t half = pages / 2 / 8 * 8;

	if (rand_r(seed) % 2 &&
	    madvise(p, half * STRESS_PAGE, MADV_POPULATE_WRITE))
		return -errno;
	stress_fill(p, pages, salt);
	return stress_check(p, pages, salt);
}

/*
 * MAGNET: a group of its own, a mapping with HPMM_DEFRAG_PLACEMENT_MAGNET whose
 * pages are faulted (reservations, then pages from them), checked and
 * unmapped; or the same in a child process that exits with the mapping
 * still live (its exit gives the reservations back).
 */
static int stress_magnet(unsigned int *seed)
{
	size_t pages = 8 * (4 + rand_r(seed) % 28);
	uint64_t salt = rand_r(seed);
	bool by_exit = rand_r(seed) % 2;
	int fd, ret, ret2, status;
	char name[32], *p, *span;
	long long id;
	pid_t pid;

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	id = stress_group_create(fd, name, sizeof(name), 'm', 4);
	ret = id < 0 ? id : 0;
	if (!ret)
		ret = hpmm_dfg_map(fd, id, HPMM_DEFRAG_PLACEMENT_MAGNET);
	if (ret)
		goto out;
	if (!by_exit) {
		p = stress_magnet_map(fd, pages, &span);
		if (p == MAP_FAILED) {
			ret = -errno;
			goto out;
		}
		ret = stress_magnet_fault(p, pages, salt, seed);
		munmap(span, pages * STRESS_PAGE + 8 * STRESS_PAGE);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out;
	}
	if (!pid) {
		p = stress_magnet_map(fd, pages, &span);
		if (p == MAP_FAILED)
			_exit(errno);
		_exit(-stress_magnet_fault(p, pages, salt, seed)); /* mapped */
	}
	if (waitpid(pid, &status, 0) != pid)
		ret = -errno;
	else if (!WIFEXITED(status))
		ret = -ECHILD;	/* killed: SIGBUS from a fault */
	else
		ret = -WEXITSTATUS(status);
out:
	/* Destroyed now (nothing maps it any more), or with the file. */
	if (id > 0 && rand_r(seed) % 2) {
		ret2 = hpmm_destroy(fd, id);
		if (!ret)
			ret = ret2;
	}
	close(fd);
	return ret;
}

static const __u64 stress_vpri_policies[] = {
	HPMM_VPRI_POLICY_LRU, HPMM_VPRI_POLICY_ADP, HPMM_VPRI_POLICY_CLOCK,
};

#define STRESS_VPRI_PAGES	64
#define STRESS_VPRI_BATCH	64

/*
 * VPRI: a domain over private anonymous memory of its own (lru, adp or
 * clock), a few batches of accesses on the CPU backend (I/O page faults,
 * pins, evictions), then one of: HPMM_IOCTL_DESTROY; close without it;
 * munmap first (the notifier unpins; a later access is EFAULT), then
 * close. The device serves one domain at a time: EBUSY while another
 * process has one.
 */
static int stress_vpri(unsigned int *seed)
{
	const size_t len = STRESS_VPRI_PAGES * STRESS_PAGE;
	struct hpmm_vpri_req reqs[STRESS_VPRI_BATCH];
	struct hpmm_vpri_register r = {
		.size = sizeof(r),
		.length = len,
		.policy = stress_vpri_policies[rand_r(seed) % 3],
		.budget = 4 + rand_r(seed) % (STRESS_VPRI_PAGES - 4),
	};
	struct hpmm_vpri_submit s = {
		.size = sizeof(s),
		.backend = HPMM_VPRI_BACKEND_CPU,
		.reqs = (uintptr_t)reqs,
	};
	int fd, ret = 0, batch, i, end = rand_r(seed) % 3;
	char *mem;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto out_unmap;
	}
	r.addr = (uintptr_t)mem;
	if (ioctl(fd, HPMM_VPRI_REGISTER, &r)) {
		ret = -errno;
		goto out_close;
	}
	s.domain_id = r.domain_id;
	for (batch = 0; !ret && batch < 4; batch++) {
		s.nr_reqs = 1 + rand_r(seed) % STRESS_VPRI_BATCH;
		for (i = 0; i < (int)s.nr_reqs; i++) {
			reqs[i].len = 1 + rand_r(seed) % HPMM_EDU_DMA_MAX;
			reqs[i].iova = rand_r(seed) % (len - reqs[i].len + 1);
			reqs[i].flags = rand_r(seed) % 2 ? HPMM_VPRI_REQ_WRITE : 0;
		}
		if (ioctl(fd, HPMM_VPRI_SUBMIT, &s))
			ret = -errno;
		else if (s.nr_done != s.nr_reqs)
			ret = -EPROTO;
	}
	if (end == 0) {
		struct hpmm_destroy d = {
			.size = sizeof(d), .id = r.domain_id,
		};

		if (ioctl(fd, HPMM_IOCTL_DESTROY, &d) && !ret)
			ret = -errno;
	} else if (end == 2) {
		munmap(mem, len);
		mem = MAP_FAILED;
		s.nr_reqs = 1;
		reqs[0] = (struct hpmm_vpri_req){ .iova = 0, .len = 64 };
		if (!ioctl(fd, HPMM_VPRI_SUBMIT, &s)) {
			if (!ret)
				ret = -EPROTO;	/* reached unmapped memory */
		} else if (errno != EFAULT && !ret) {
			ret = -errno;
		}
	}
out_close:
	close(fd);	/* destroys the domain if it is still there */
out_unmap:
	if (mem != MAP_FAILED)
		munmap(mem, len);
	/*
	 * The device serves one domain at a time: leave the other VPRI
	 * workers a window, or on a slow (KASAN) kernel one of them only
	 * ever sees EBUSY.
	 */
	if (!ret)
		usleep(50000);
	return ret;
}

static const struct stress_worker workers[] = {
	{ "dev_dma_cpu", 2, stress_dev_dma, module_churn_errno },
	{ "dev_dma_edu", 1, stress_dev_edu, module_churn_errno },
	{ "chardev", 2, stress_chardev, module_churn_errno },
	{ "debugfs_reader", 1, stress_reader, module_churn_errno },
	{ "hpa", 2, stress_hpa, hpa_errno },
	{ "hpa_reader", 1, stress_hpa_reader, hpa_errno },
	{ "defrag", 2, stress_defrag, absent_errno },
	{ "magnet", 2, stress_magnet, absent_errno },
	{ "vpri", 2, stress_vpri, vpri_errno },
};

static int module_load_one(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret == -EEXIST ? 0 : ret;
}

/* hpmm_test.ko from the folder of hpmm.ko, when it is there. */
static int module_load_test(void)
{
	char test_ko[PATH_MAX], *slash;

	hpmm_strscpy(test_ko, stress_module, sizeof(test_ko));
	slash = strrchr(test_ko, '/');
	snprintf(slash ? slash + 1 : test_ko,
		 sizeof(test_ko) - (slash ? slash + 1 - test_ko : 0),
		 "hpmm_test.ko");
	return access(test_ko, R_OK) ? 0 : module_load_one(test_ko);
}

/* hpmm.ko, then hpmm_test.ko. */
static int module_load(void)
{
	int ret = module_load_one(stress_module);

	return ret ? ret : module_load_test();
}

/*
 * rmmod hpmm_test (which holds hpmm), then hpmm: 0 or -1 with errno. When
 * hpmm stays, hpmm_test comes back at once, so that its workers keep going.
 */
static int module_unload(void)
{
	int err;

	if (syscall(SYS_delete_module, "hpmm_test", O_NONBLOCK) &&
	    errno != ENOENT)
		return -1;
	if (!syscall(SYS_delete_module, "hpmm", O_NONBLOCK))
		return 0;
	err = errno;
	module_load_test();
	errno = err;
	return -1;
}

static void run_worker(const struct stress_worker *w, unsigned int seed,
		       struct stress_tally *t, volatile int *stop,
		       volatile int *pause, volatile int *idle)
{
	while (!*stop) {
		int ret;

		if (*pause) {
			*idle = 1;
			usleep(1000);
			continue;
		}
		*idle = 0;
		ret = w->step(&seed);

		if (!ret) {
			t->ops++;
		} else if (w->expected(-ret)) {
			t->expected_errors++;
			/* Spinning on an absent module starves its insmod. */
			usleep(2000);
		} else if (!t->bad++) {
			t->bad_errno = -ret;
		}
	}
}

/* How the unloader's paused tries went. */
struct stress_diag {
	unsigned long paused, timeouts, paused_refused;
	long refcnt;
};

/*
 * Tries rmmod all the time, which must fail while the workers hold hpmm's
 * files. Every 20th try it pauses the workers first, so that rmmod can
 * succeed, and lets them go again before the reload, so that they race
 * with module init and exit.
 */
static void run_unloader(struct stress_tally *t, volatile int *stop,
			 volatile int *pause, volatile int *idle, int nworkers,
			 unsigned long *unloads, struct stress_diag *diag)
{
	unsigned long tries = 0;
	int i, wait;

	while (!*stop) {
		bool paused = ++tries % 20 == 0;

		if (paused) {
			/*
			 * Until every worker is idle: an edu DMA is 100 ms, and
			 * one unit of a component's work takes seconds under
			 * KASAN.
			 */
			*pause = 1;
			for (wait = 0; wait < 3000 && !*stop; wait++) {
				for (i = 0; i < nworkers && idle[i]; i++)
					;
				if (i == nworkers)
					break;
				usleep(10000);
			}
			diag->paused++;
			diag->timeouts += wait == 3000;
		}
		if (!module_unload()) {
			(*unloads)++;
			*pause = 0;
			usleep(2000);
			if (module_load() && !t->bad++)
				t->bad_errno = errno;
		} else if (errno == EWOULDBLOCK || errno == EAGAIN ||
			   errno == EBUSY) {
			t->expected_errors++;	/* in use: the point */
			if (paused) {
				char buf[32];

				if (hpmm_read_file(HPMM_SYS_MODULE "/refcnt",
						   buf, sizeof(buf)) > 0)
					diag->refcnt = atol(buf);
				diag->paused_refused++;
			}
		} else if (errno == ENOENT) {
			if (module_load() && !t->bad++)
				t->bad_errno = errno;
		} else if (!t->bad++) {
			t->bad_errno = errno;
		}
		*pause = 0;
		t->ops++;
		usleep(2000);
	}
}

/* The names under @dir that a worker made, in @out: how many. */
static int stress_leftovers(const char *dir, char *out, size_t size)
{
	struct dirent *de;
	size_t len = 0;
	int n = 0;
	DIR *d;

	out[0] = '\0';
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, STRESS_PREFIX, strlen(STRESS_PREFIX)))
			continue;
		n++;
		if (len + strlen(de->d_name) + 2 < size)
			len += snprintf(out + len, size - len, "%s ",
					de->d_name);
	}
	closedir(d);
	return n;
}

/*
 * The first kernel log record since @fd was opened that reports a problem
 * (WARN, BUG, KASAN, lockdep, oops), copied into @out: 1, or 0 when none.
 */
static int stress_kmsg_problem(int fd, char *out, size_t size)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection",
		"possible recursive locking", "circular locking",
		"inconsistent lock state", "INFO: task",
	};
	char rec[8192];
	const char *msg;
	ssize_t n;
	size_t i;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;	/* EPIPE: records were overwritten */
		if (n <= 0)
			return 0;	/* EAGAIN: the end of the log */
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(msg, bad[i])) {
				hpmm_strscpy(out, msg, size);
				out[strcspn(out, "\n")] = '\0';
				return 1;
			}
		}
	}
}

struct stress_shared {
	volatile int stop;
	volatile int pause;
	volatile int idle[STRESS_MAX_WORKERS];
	unsigned long unloads;
	struct stress_diag diag;
	struct stress_tally tally[STRESS_MAX_WORKERS + 1];
};

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

/* Whether each of the @n workers has done an operation. */
static bool all_worked(const struct stress_shared *sh, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!((const volatile struct stress_tally *)&sh->tally[i])->ops)
			return false;
	return true;
}

/*
 * Whether everything the test asserts on has happened: each of the @n
 * workers did an operation, and the unloader (tally @n) unloaded the module
 * once and was refused once.
 */
static bool all_done(const struct stress_shared *sh, int n)
{
	const volatile struct stress_shared *v = sh;

	return all_worked(sh, n) && v->unloads && v->tally[n].expected_errors;
}

TEST_F_TIMEOUT(stress, all_interfaces, 900)
{
	const char *s = getenv("HPMM_STRESS_SECONDS");
	int seconds = s ? atoi(s) : 20;
	pid_t pids[STRESS_MAX_WORKERS + 1];
	long long pages, maps, val = -1;
	struct stress_shared *sh;
	int n = 0, i, c, kmsg;
	size_t w;
	char msg[512];

	if (geteuid())
		SKIP(return, "not root");
	stress_module = getenv("HPMM_MODULE");
	if (!stress_module || access(stress_module, R_OK))
		SKIP(return, "HPMM_MODULE does not name hpmm.ko");
	hpmm_mount_debugfs();
	ASSERT_EQ(0, module_load());
	kmsg = hpmm_kmsg_open();
	ASSERT_LE(0, kmsg);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));

	for (w = 0; w < sizeof(workers) / sizeof(workers[0]); w++) {
		for (c = 0; c < workers[w].copies; c++) {
			ASSERT_LT(n, STRESS_MAX_WORKERS);
			pids[n] = fork();
			ASSERT_LE(0, pids[n]);
			if (!pids[n]) {
				run_worker(&workers[w], 1 + n * 7919,
					   &sh->tally[n], &sh->stop, &sh->pause,
					   &sh->idle[n]);
				_exit(0);
			}
			n++;
		}
	}
	pids[n] = fork();
	ASSERT_LE(0, pids[n]);
	if (!pids[n]) {
		run_unloader(&sh->tally[n], &sh->stop, &sh->pause, sh->idle,
			     n, &sh->unloads, &sh->diag);
		_exit(0);
	}

	sleep(seconds);
	/*
	 * Every worker must have done something, and the unloader must have
	 * taken the module away once and been refused once: on a loaded
	 * machine (or while the unloader waited up to 30 s for all of them
	 * to pause) that may not have happened yet. Wait for that state, not
	 * a time, with a bound: up to 300 s more.
	 */
	for (i = 0; i < 300 && !all_done(sh, n); i++)
		sleep(1);
	sh->stop = 1;
	for (i = 0; i <= n; i++) {
		int status;

		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		/* A worker killed (SIGBUS from a fault) would stop counting. */
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status)) {
			TH_LOG("process %d ended with status 0x%x", i, status);
		}
	}

	ASSERT_EQ(0, module_load());
	i = 0;
	for (w = 0; w < sizeof(workers) / sizeof(workers[0]); w++) {
		for (c = 0; c < workers[w].copies; c++, i++) {
			struct stress_tally *t = &sh->tally[i];

			ksft_print_msg("stress %s[%d]: %lu ops, %lu expected errors (module churn, busy), %lu unexpected\n",
				       workers[w].name, c, t->ops,
				       t->expected_errors, t->bad);
			EXPECT_LT(0UL, t->ops);
			EXPECT_EQ(0UL, t->bad) {
				TH_LOG("%s: errno %d", workers[w].name,
				       t->bad_errno);
			}
		}
	}
	ksft_print_msg("stress rmmod: %lu attempts, %lu succeeded, %lu refused as busy, %lu unexpected\n",
		       sh->tally[n].ops, sh->unloads,
		       sh->tally[n].expected_errors, sh->tally[n].bad);
	ksft_print_msg("stress rmmod: %lu tries with the workers paused, %lu waits for them timed out, %lu refused (last refcnt %ld)\n",
		       sh->diag.paused, sh->diag.timeouts,
		       sh->diag.paused_refused, sh->diag.refcnt);
	EXPECT_LT(0UL, sh->unloads);
	EXPECT_LT(0UL, sh->tally[n].expected_errors);
	EXPECT_EQ(0UL, sh->tally[n].bad) {
		TH_LOG("rmmod/insmod: errno %d", sh->tally[n].bad_errno);
	}

	/*
	 * Everything is quiet now: no object of the workers left, nothing
	 * pinned, reserved or live, no warning logged.
	 */
	/*
	 * An HPA destroy deferred when hpmm_test went away last completes
	 * once its jail let go: give it 5 s.
	 */
	for (i = 0; i < 250 && (stress_kv(HPA_DIR "/stats", "deferred", &val) ||
				val); i++)
		usleep(20000);
	EXPECT_EQ(0, stress_kv(HPA_DIR "/stats", "deferred", &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, stress_leftovers(HPA_DIR "/pools", msg, sizeof(msg))) {
		TH_LOG("HPA pools left: %s", msg);
	}
	EXPECT_EQ(0, stress_leftovers(HPA_TEST_DIR "/pools", msg, sizeof(msg))) {
		TH_LOG("HPA models left: %s", msg);
	}
	EXPECT_EQ(0, stress_leftovers(DFG_DIR "/groups", msg, sizeof(msg))) {
		TH_LOG("DEFRAG groups left: %s", msg);
	}
	EXPECT_EQ(0, stress_kv(VPRI_DIR "/status", "domains", &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, stress_kv(VPRI_DIR "/status", "pinned", &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, stress_kv(MAGNET_DIR "/stats", "unused_reserved_now",
			       &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, stress_kv(MAGNET_DIR "/stats", "maps", &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(0, pages);
	EXPECT_EQ(0, maps);
	EXPECT_EQ(0, stress_kmsg_problem(kmsg, msg, sizeof(msg))) {
		TH_LOG("kernel log: %s", msg);
	}
	close(kmsg);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
