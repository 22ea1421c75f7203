// SPDX-License-Identifier: GPL-2.0
/*
 * fail-nth sweeps, in the style of the kernel's iommufd_fail_nth test.
 *
 * For each setup and teardown sequence of hpmm (load the module, open the
 * device, map and DMA, and each component's create/register/map), fail the
 * Nth slab or page allocation made by this task, for N = 1, 2, ... until
 * the sequence runs through without any failure being injected. After every
 * N the sequence's undo runs with injection off, and the test proves that
 * the failure unwound: hpmm's live page and mapping counters are back to
 * where they were and the kernel logged no warning. kmemleak, run after the
 * whole suite by scripts/debug-guest, proves that no object leaked.
 *
 * A component joins by adding a FAIL_NTH_SEQUENCE() below, with a prepare
 * step (opens what the sequence needs, injection off), a run step (the
 * calls under test, injection on) and an undo step (injection off).
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * their debugfs: the debug kernel of `make check-debug`. Elsewhere it SKIPs.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "hpmm_nic.h"
#include "hpmm_test.h"
#include "kselftest_harness.h"

#include <uapi/hpmm.h>
#include <uapi/hpmm-vpri.h>

#include "hpmm_defrag.h"

/* No real sequence has this many allocation points. */
#define FAIL_NTH_LIMIT 20000U

/**
 * struct fail_nth_env - what one sequence works with
 * @fd: descriptors opened by prepare, closed by undo
 * @dev: the first bound edu device
 * @module: path of hpmm.ko (env HPMM_MODULE), for the load sequence
 * @nth: for sequences that inject through hpmm's init_fail_nth parameter
 * @injected: set by such a sequence when its Nth allocation failed
 * @mem: memory mapped by prepare, unmapped by undo (MAP_FAILED: none)
 * @mem_len: its length
 * @domain: the VPRI domain run registered, 0 for none
 */
struct fail_nth_env {
	int fd[4];
	char dev[HPMM_NAME_LEN];
	const char *module;
	unsigned int nth;
	bool injected;
	void *mem;
	size_t mem_len;
	__u64 domain;
};

struct fail_nth_sequence {
	const char *name;
	bool needs_module;	/* hpmm must be loaded for prepare */
	bool own_injection;	/* injects by itself (env->nth, env->injected) */
	int (*prepare)(struct fail_nth_env *env);
	int (*run)(struct fail_nth_env *env);
	void (*undo)(struct fail_nth_env *env);
};

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/*
 * Injection off except through fail-nth: probability 0 (so only fail-nth
 * fails anything), sleeping and highmem allocations and order 0 included.
 */
static bool fail_nth_configure(void)
{
	static const char *const settings[][2] = {
		{ "failslab/probability", "0" },
		{ "failslab/ignore-gfp-wait", "N" },
		{ "failslab/verbose", "0" },
		{ "fail_page_alloc/probability", "0" },
		{ "fail_page_alloc/ignore-gfp-wait", "N" },
		{ "fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "fail_page_alloc/min-order", "0" },
		{ "fail_page_alloc/verbose", "0" },
	};
	char path[PATH_MAX], flag[8] = "";
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		snprintf(path, sizeof(path), HPMM_DEBUGFS "/%s", settings[i][0]);
		if (write_str(path, settings[i][1]))
			return false;
	}
	/*
	 * The checkers' own allocations are not the sequence's: a failed
	 * radix-tree node in DMA-API debug's cacheline tracking disables
	 * DMA-API debug for the rest of the boot, and kmemleak falls back
	 * to its pool (or logs that it cannot allocate a scan area).
	 * check-debug boots with slub_debug=A minus those caches
	 * (radix_tree_node, kmemleak_object, kmemleak_scan_area), which
	 * marks every other cache SLAB_FAILSLAB; then only marked caches
	 * may fail.
	 */
	/* HPMM_FAIL_NTH_VERBOSE=1: a stack trace for every injected failure. */
	if (getenv("HPMM_FAIL_NTH_VERBOSE")) {
		write_str(HPMM_DEBUGFS "/failslab/verbose", "2");
		write_str(HPMM_DEBUGFS "/fail_page_alloc/verbose", "2");
	}
	hpmm_read_file("/sys/kernel/slab/kmalloc-64/failslab", flag,
		       sizeof(flag));
	snprintf(path, sizeof(path), HPMM_DEBUGFS "/failslab/cache-filter");
	return !write_str(path, flag[0] == '1' ? "Y" : "N");
}

static int fail_nth_open(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
		 (long)syscall(SYS_gettid));
	return open(path, O_RDWR | O_CLOEXEC);
}

static int fail_nth_set(int fd, unsigned int nth)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%u", nth);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/* Turns injection off; true when the Nth call was reached and failed. */
static bool fail_nth_disable(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	fail_nth_set(fd, 0);
	return n > 0 && atoi(buf) == 0;
}

static bool module_loaded(void)
{
	return access(HPMM_SYS_MODULE, F_OK) == 0;
}

/*
 * The module image, read once: every N of the load sweep loads it from
 * memory (init_module), not over the guest's 9p root file system.
 */
static void *module_image;
static size_t module_image_len;

static int module_image_read(const char *path)
{
	struct stat st;
	ssize_t n;
	int fd;

	if (module_image)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return -EINVAL;
	}
	module_image = malloc(st.st_size);
	if (!module_image) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, module_image, st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(module_image);
		module_image = NULL;
		return -EIO;
	}
	module_image_len = st.st_size;
	return 0;
}

static int module_load_params(const char *path, const char *params)
{
	int ret = module_image_read(path);

	if (ret)
		return ret;
	return syscall(SYS_init_module, module_image, module_image_len,
		       params) ? -errno : 0;
}

/* hpmm.ko from @path, then hpmm_test.ko beside it when it is there. */
static int module_load(const char *path)
{
	char test_ko[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, ret = module_load_params(path, "");

	if (ret)
		return ret;
	snprintf(test_ko, sizeof(test_ko), "%.*shpmm_test.ko",
		 slash ? (int)(slash - path + 1) : 0, path);
	fd = open(test_ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ret = syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST ?
	      -errno : 0;
	close(fd);
	return ret;
}

static int module_unload_one(const char *name)
{
	int i;

	/* A debugfs reader from an earlier step may still hold a reference. */
	for (i = 0; i < 100; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK) ||
		    errno == ENOENT)
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return -errno;
		usleep(20000);
	}
	return -EBUSY;
}

/* hpmm_test (which holds hpmm) first, then hpmm. */
static int module_unload(void)
{
	int ret = module_unload_one("hpmm_test");

	return ret ? ret : module_unload_one("hpmm");
}

static void close_all(struct fail_nth_env *env)
{
	size_t i;

	for (i = 0; i < sizeof(env->fd) / sizeof(env->fd[0]); i++) {
		if (env->fd[i] >= 0)
			close(env->fd[i]);
		env->fd[i] = -1;
	}
}

static int open_control(struct fail_nth_env *env, int slot, const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_TEST_DBG_DEV "/%s/control", dev);
	env->fd[slot] = open(path, O_WRONLY | O_CLOEXEC);
	return env->fd[slot] < 0 ? -errno : 0;
}

static int write_cmd(int fd, const char *cmd)
{
	ssize_t n = write(fd, cmd, strlen(cmd));

	return n < 0 ? -errno : 0;
}

/*
 * --- the module: init unwinds in reverse on every error ---
 *
 * hpmm's init_fail_nth parameter fails the Nth allocation of hpmm_init()
 * itself (the module loader's own failures are not hpmm's, and 6.1 WARNs
 * on some of them); init_fail_nth_left tells whether it was reached.
 */

static int load_prepare(struct fail_nth_env *env __attribute__((unused)))
{
	if (module_loaded())
		return module_unload();
	return 0;
}

static int load_run(struct fail_nth_env *env)
{
	char params[64], left[32];
	int ret;

	snprintf(params, sizeof(params), "init_fail_nth=%u", env->nth);
	ret = module_load_params(env->module, params);
	if (ret) {
		env->injected = true;
		return ret;
	}
	env->injected = hpmm_read_file(HPMM_SYS_MODULE
				       "/parameters/init_fail_nth_left",
				       left, sizeof(left)) > 0 && atoi(left) == 0;
	return 0;
}

static void load_undo(struct fail_nth_env *env __attribute__((unused)))
{
	if (module_loaded())
		module_unload();
}

/* --- /dev/hpmm: open, the version ioctl, release --- */

static int chardev_prepare(struct fail_nth_env *env __attribute__((unused)))
{
	return 0;
}

static int chardev_run(struct fail_nth_env *env)
{
	struct hpmm_version v = { .size = sizeof(v) };

	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (env->fd[0] < 0)
		return -errno;
	if (ioctl(env->fd[0], HPMM_IOCTL_VERSION, &v))
		return -errno;
	return v.abi_version == HPMM_ABI_VERSION ? 0 : -EPROTO;
}

static void chardev_undo(struct fail_nth_env *env)
{
	close_all(env);
}

/* --- dev: DMA-API map, DMA through the CPU backend and edu, unmap --- */

static int dev_prepare(struct fail_nth_env *env)
{
	return open_control(env, 0, env->dev);
}

static int dev_cpu_run(struct fail_nth_env *env)
{
	return write_cmd(env->fd[0], "roundtrip cpu 4095");
}

static int dev_edu_run(struct fail_nth_env *env)
{
	return write_cmd(env->fd[0], "roundtrip edu 512");
}

static void dev_undo(struct fail_nth_env *env)
{
	close_all(env);
}

/* --- components: create and destroy an object through debugfs --- */

struct ctl_sequence {
	const char *path;	/* control file under hpmm's debugfs root */
	const char *run;	/* the commands under test, ';'-separated */
	const char *undo;	/* with injection off, failures ignored */
};

static const struct ctl_sequence ctl_sequences[] = {
	/*
	 * HPA: hpmm_test creates a pool through hpmm's API (maps a 2 MiB
	 * block at the first allocation), runs the model, destroys it
	 */
	{ "../hpmm_test/hpa/control", "create fnth hpa;run fnth 256 backend=cpu",
	  "destroy fnth" },
};

static const struct ctl_sequence *cur_ctl;

static int write_cmds(int fd, const char *cmds, bool stop_on_error)
{
	char buf[HPMM_CMD_MAX + 1], *save, *cmd;
	int ret = 0;

	hpmm_strscpy(buf, cmds, sizeof(buf));
	for (cmd = strtok_r(buf, ";", &save); cmd;
	     cmd = strtok_r(NULL, ";", &save)) {
		ret = write_cmd(fd, cmd);
		if (ret && stop_on_error)
			return ret;
	}
	return stop_on_error ? ret : 0;
}

static int ctl_prepare(struct fail_nth_env *env)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_DBG_ROOT "/%s", cur_ctl->path);
	env->fd[0] = open(path, O_WRONLY | O_CLOEXEC);
	return env->fd[0] < 0 ? -errno : 0;
}

static int ctl_run(struct fail_nth_env *env)
{
	return write_cmds(env->fd[0], cur_ctl->run, true);
}

static void ctl_undo(struct fail_nth_env *env)
{
	int i;

	write_cmds(env->fd[0], cur_ctl->undo, false);
	/*
	 * An HPA destroy with pages in flight completes in the background:
	 * the pool is gone once hpmm no longer lists it.
	 */
	for (i = 0; i < 50 && access(HPMM_DBG_ROOT "/hpa/pools/fnth", F_OK) == 0;
	     i++)
		usleep(100000);
	close_all(env);
}

/*
 * --- VPRI: register a range, fault pages in through a request batch,
 * destroy the domain ---
 *
 * The faults are served by the CPU-bound workers, outside this task, so
 * what is swept is the submitting side: registration (domain, object id,
 * statistics, bitmap, pin set, IOMMU domain), the batch, the wait, and
 * HPMM_IOCTL_DESTROY.
 */

#define VPRI_PAGES	16

static int vpri_prepare(struct fail_nth_env *env)
{
	env->domain = 0;
	env->mem_len = VPRI_PAGES * 4096;
	env->mem = mmap(NULL, env->mem_len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (env->mem == MAP_FAILED)
		return -errno;
	memset(env->mem, 0x5a, env->mem_len);
	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	return env->fd[0] < 0 ? -errno : 0;
}

/*
 * Registers the range with @policy, runs @batches batches of 24 accesses
 * over 6 pages, destroys the domain.
 */
static int vpri_run_mode(struct fail_nth_env *env, __u64 flags, __u64 policy,
			 unsigned int batches)
{
	struct hpmm_vpri_register r = { .size = sizeof(r), .flags = flags };
	struct hpmm_vpri_submit sub = { .size = sizeof(sub) };
	struct hpmm_destroy d = { .size = sizeof(d) };
	struct hpmm_vpri_req reqs[24];
	unsigned int i;

	r.addr = (unsigned long)env->mem;
	r.length = env->mem_len;
	r.policy = policy;
	r.budget = 4;
	if (ioctl(env->fd[0], HPMM_VPRI_REGISTER, &r))
		return -errno;
	env->domain = r.domain_id;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 6) * 4096,
						  .len = 64 };
	sub.domain_id = r.domain_id;
	sub.backend = HPMM_VPRI_BACKEND_CPU;
	sub.reqs = (unsigned long)reqs;
	sub.nr_reqs = sizeof(reqs) / sizeof(reqs[0]);
	for (i = 0; i < batches; i++)
		if (ioctl(env->fd[0], HPMM_VPRI_SUBMIT, &sub))
			return -errno;
	d.id = r.domain_id;
	if (ioctl(env->fd[0], HPMM_IOCTL_DESTROY, &d))
		return -errno;
	env->domain = 0;
	return 0;
}

static int vpri_run(struct fail_nth_env *env)
{
	return vpri_run_mode(env, 0, HPMM_VPRI_POLICY_ADP, 1);
}

/*
 * The on-demand mode with adp-hint, past a window of accesses (4096):
 * faults, then the protector's scan with its unpins, marks, pins and
 * spare pins within the same budget.
 */
static int vpri_odp_run(struct fail_nth_env *env)
{
	return vpri_run_mode(env, HPMM_VPRI_REGISTER_ON_DEMAND,
			     HPMM_VPRI_POLICY_ADP_HINT, 4096 / 24 + 2);
}

static void vpri_undo(struct fail_nth_env *env)
{
	struct hpmm_destroy d = { .size = sizeof(d) };

	if (env->domain && env->fd[0] >= 0) {
		d.id = env->domain;
		ioctl(env->fd[0], HPMM_IOCTL_DESTROY, &d);
	}
	env->domain = 0;
	/* Closing the file tears down whatever is still registered. */
	close_all(env);
	if (env->mem != MAP_FAILED && env->mem)
		munmap(env->mem, env->mem_len);
	env->mem = MAP_FAILED;
}

/*
 * --- MAGNET: a MAGNET mapping of /dev/hpmm populated with
 * MADV_POPULATE_WRITE (a failed fault is -ENOMEM to the caller there, not
 * the OOM killer), then unmapped ---
 */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define MAGNET_PAGES	32

static int magnet_prepare(struct fail_nth_env *env)
{
	env->mem = MAP_FAILED;
	env->mem_len = MAGNET_PAGES * 4096;
	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (env->fd[0] < 0)
		return -errno;
	return hpmm_dfg_map(env->fd[0], 0, HPMM_DEFRAG_PLACEMENT_MAGNET);
}

static int magnet_run(struct fail_nth_env *env)
{
	env->mem = mmap(NULL, env->mem_len, PROT_READ | PROT_WRITE,
			MAP_SHARED, env->fd[0], 0);
	if (env->mem == MAP_FAILED)
		return -errno;
	if (madvise(env->mem, env->mem_len, MADV_POPULATE_WRITE))
		return -errno;
	if (munmap(env->mem, env->mem_len))
		return -errno;
	env->mem = MAP_FAILED;
	return 0;
}

static void magnet_undo(struct fail_nth_env *env)
{
	if (env->mem != MAP_FAILED)
		munmap(env->mem, env->mem_len);
	env->mem = MAP_FAILED;
	close_all(env);
	/*
	 * Freed pages may wait in the default group's per-CPU lists and
	 * keep their block: drain them, so the live count can be compared
	 * (the pool keeps no block: defrag_payg_low is 0).
	 */
	hpmm_dfg_ctl("drain default");
}

/*
 * --- DEFRAG: through /dev/hpmm, a group with a reserve (takes blocks) is
 * created, compacted and destroyed; the undo closes the file, which
 * releases whatever group is left ---
 */

static int defrag_prepare(struct fail_nth_env *env)
{
	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	return env->fd[0] < 0 ? -errno : 0;
}

static int defrag_run(struct fail_nth_env *env)
{
	long long id, ret;

	id = hpmm_dfg_create(env->fd[0], "fnth",
			     (struct hpmm_defrag_group_create){
				     .fields = HPMM_DEFRAG_GROUP_LIMIT |
					       HPMM_DEFRAG_GROUP_RESERVE,
				     .limit = 4, .reserve = 1 });
	if (id < 0)
		return id;
	ret = hpmm_dfg_compact(env->fd[0], id, 0);
	if (ret < 0)
		return ret;
	return hpmm_destroy(env->fd[0], id);
}

static void defrag_undo(struct fail_nth_env *env)
{
	close_all(env);
	hpmm_dfg_ctl("drain default");
}

/*
 * --- DEFRAG, a group charged to a memory cgroup: the group bound to a
 * cgroup is created, a 2 MiB page and a base page are taken from it (each
 * a block charged to the cgroup's memcg), freed, and the group destroyed;
 * the undo closes the files (the group and any page left go with them) ---
 */

#define FNTH_CGROUP "/sys/fs/cgroup/kt_fnth"

static int defrag_memcg_prepare(struct fail_nth_env *env)
{
	int ret = hpmm_memcg_make(FNTH_CGROUP, 64ULL << 20);

	if (ret)
		return ret;
	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (env->fd[0] < 0)
		return -errno;
	env->fd[1] = hpmm_test_open();
	if (env->fd[1] < 0)
		return env->fd[1];
	env->fd[2] = open(FNTH_CGROUP, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return env->fd[2] < 0 ? -errno : 0;
}

static int defrag_memcg_run(struct fail_nth_env *env)
{
	__u64 huge = 0, base = 0;
	long long id;
	int ret;

	id = hpmm_dfg_create(env->fd[0], "fnth_memcg",
			     (struct hpmm_defrag_group_create){
				     .fields = HPMM_DEFRAG_GROUP_CGROUP,
				     .cgroup_fd = env->fd[2] });
	if (id < 0)
		return id;
	ret = hpmm_dfg_alloc(env->fd[1], id, 9, HPMM_TEST_DEFRAG_MOVABLE,
			     &huge);
	if (ret)
		return ret;
	ret = hpmm_dfg_alloc(env->fd[1], id, 0, HPMM_TEST_DEFRAG_UNMOVABLE,
			     &base);
	if (ret)
		return ret;
	ret = hpmm_dfg_free(env->fd[1], base, 0);
	if (!ret)
		ret = hpmm_dfg_free(env->fd[1], huge, 9);
	if (ret)
		return ret;
	return hpmm_destroy(env->fd[0], id);
}

static void defrag_memcg_undo(struct fail_nth_env *env)
{
	/*
	 * The test pages first: they hold the group, and a group whose last
	 * holder lets go after its file closed is freed from a workqueue,
	 * after the sweep has counted what is live.
	 */
	if (env->fd[1] >= 0)
		close(env->fd[1]);
	env->fd[1] = -1;
	close_all(env);
	hpmm_dfg_ctl("drain default");
	rmdir(FNTH_CGROUP);
}

/*
 * --- DEFRAG on two NUMA nodes: a group takes a base page and a 2 MiB page
 * on node 1 and a base page on node 0 (each a block of that node), frees
 * them and is destroyed; the undo closes the files ---
 */

static int defrag_numa_alloc(int tfd, __u64 id, unsigned int order, int node,
			     __u64 *pfn)
{
	struct hpmm_test_defrag_alloc a = {
		.size = sizeof(a),
		.group_id = id,
		.order = order,
		.mobility = HPMM_TEST_DEFRAG_UNMOVABLE,
		.flags = HPMM_TEST_DEFRAG_NODE,
		.node = node,
	};

	if (ioctl(tfd, HPMM_TEST_DEFRAG_ALLOC, &a))
		return -errno;
	*pfn = a.out_pfn;
	return 0;
}

static int defrag_numa_prepare(struct fail_nth_env *env)
{
	if (access("/sys/devices/system/node/node1", F_OK))
		return -ENODEV;
	env->fd[0] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (env->fd[0] < 0)
		return -errno;
	env->fd[1] = hpmm_test_open();
	return env->fd[1] < 0 ? env->fd[1] : 0;
}

static int defrag_numa_run(struct fail_nth_env *env)
{
	static const struct { unsigned int order; int node; } take[] = {
		{ 0, 1 }, { 9, 1 }, { 0, 0 },
	};
	__u64 pfn[3] = { 0 };
	long long id;
	unsigned int i, got;
	int ret = 0;

	id = hpmm_dfg_create(env->fd[0], "fnth_numa",
			     (struct hpmm_defrag_group_create){});
	if (id < 0)
		return id;
	for (got = 0; got < 3 && !ret; got++)
		ret = defrag_numa_alloc(env->fd[1], id, take[got].order,
					take[got].node, &pfn[got]);
	if (ret)
		got--;
	for (i = 0; i < got; i++) {
		int r = hpmm_dfg_free(env->fd[1], pfn[i], take[i].order);

		ret = ret ?: r;
	}
	if (ret)
		return ret;
	return hpmm_destroy(env->fd[0], id);
}

static void defrag_numa_undo(struct fail_nth_env *env)
{
	/* The test pages first: they hold the group (defrag_memcg_undo). */
	if (env->fd[1] >= 0)
		close(env->fd[1]);
	env->fd[1] = -1;
	close_all(env);
	hpmm_dfg_ctl("drain default");
}

/*
 * --- e1000e_hpa (drivers/e1000e/): probe, which creates the adapter's
 * HPA pool; the interface up, which fills the receive ring from the pool
 * (its first block); a ring resize (ethtool -G: the ring's pages back to
 * the pool, a new ring filled); remove, which destroys the pool ---
 *
 * The probe runs in this task (a sysfs bind), as do the ioctls, so every
 * allocation of the driver's and the pool's setup is a point. hpmm's live
 * counters prove that the pool's pages and mappings went back.
 *
 * The test holds the device enabled for the sweep (sysfs "enable"), so
 * that the driver's pci_enable_device() and pci_disable_device() only
 * count: the first one of a device evaluates the firmware's interrupt
 * routing (ACPI _PRT), and 6.1's ACPICA does not survive an allocation
 * failing there (seen here: "AE_NO_MEMORY, Could not update object
 * reference count" in acpi_ut_update_object_reference(), then a KASAN
 * use-after-free in acpi_ns_get_attached_object() at the next disable).
 * It also keeps the driver on the legacy interrupt (sysfs "msi_bus" 0):
 * every MSI-X probe allocates new interrupt descriptors and their
 * /proc/irq/N entries, and 6.1's register_irq_proc() ignores an entry it
 * failed to create, which unregister_irq_proc() then removes anyway: a
 * WARN() in remove_proc_entry() at the remove (seen here, from
 * e1000_remove() -> pci_disable_msix()). The legacy interrupt's entries are
 * made once, by the run without injection, and stay while the device is
 * held enabled.
 */

static int nic_prepare(struct fail_nth_env *env)
{
	int ret = hpmm_nic_prepare(env->module, HPMM_NIC_BDF);

	if (ret)
		return ret;
	env->fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return env->fd[0] < 0 ? -errno : 0;
}

static int nic_run(struct fail_nth_env *env)
{
	char ifname[IFNAMSIZ];
	int ret = hpmm_nic_bind(HPMM_NIC_BDF);

	if (!ret)
		ret = hpmm_nic_ifname(HPMM_NIC_BDF, ifname, sizeof(ifname));
	if (!ret)
		ret = hpmm_nic_set_up(env->fd[0], ifname, true);
	if (!ret)
		ret = hpmm_nic_set_rings(env->fd[0], ifname, 128, 128);
	if (!ret)
		ret = hpmm_nic_unbind(HPMM_NIC_BDF);
	return ret;
}

static void nic_undo(struct fail_nth_env *env)
{
	hpmm_nic_unbind(HPMM_NIC_BDF);
	close_all(env);
}

static const struct fail_nth_sequence sequences[] = {
	{ "module_load", false, true, load_prepare, load_run, load_undo },
	{ "chardev_version", true, false, chardev_prepare, chardev_run,
	  chardev_undo },
	{ "dev_roundtrip_cpu", true, false, dev_prepare, dev_cpu_run,
	  dev_undo },
	{ "dev_roundtrip_edu", true, false, dev_prepare, dev_edu_run,
	  dev_undo },
	{ "component_ctl", true, false, ctl_prepare, ctl_run, ctl_undo },
	{ "vpri_register_fault", true, false, vpri_prepare, vpri_run,
	  vpri_undo },
	{ "magnet_populate", true, false, magnet_prepare, magnet_run,
	  magnet_undo },
	{ "defrag_group", true, false, defrag_prepare, defrag_run,
	  defrag_undo },
	{ "nic_probe_resize_remove", true, false, nic_prepare, nic_run,
	  nic_undo },
	{ "vpri_on_demand_fault", true, false, vpri_prepare, vpri_odp_run,
	  vpri_undo },
	{ "defrag_memcg_group", true, false, defrag_memcg_prepare,
	  defrag_memcg_run, defrag_memcg_undo },
	{ "defrag_numa", true, false, defrag_numa_prepare, defrag_numa_run,
	  defrag_numa_undo },
};

/* The sequence called @name. */
static const struct fail_nth_sequence *seq_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sequences) / sizeof(sequences[0]); i++)
		if (!strcmp(sequences[i].name, name))
			return &sequences[i];
	return NULL;
}

FIXTURE(fail_nth) {
	struct fail_nth_env env;
	int nth_fd;
	int kmsg_fd;
	char printk[64];
	bool nic;	/* took the NIC: give it back in teardown */
	bool nic_enabled;	/* holds it enabled */
};

/*
 * Every injected failure makes the allocator log a warning with a stack
 * trace; printed on the guest's serial console they would take most of the
 * sweep's time. Keep them in the log (the test reads it) but off the
 * console: only errors and worse go there while a sweep runs.
 */
static void console_quiet(char *saved, size_t size)
{
	saved[0] = '\0';
	if (hpmm_read_file("/proc/sys/kernel/printk", saved, size) > 0)
		write_str("/proc/sys/kernel/printk", "3");
}

static void console_restore(const char *saved)
{
	char level[16];

	if (!saved[0])
		return;
	snprintf(level, sizeof(level), "%d", atoi(saved));
	write_str("/proc/sys/kernel/printk", level);
}

FIXTURE_SETUP(fail_nth)
{
	struct hpmm_devlist devs;

	memset(&self->env, 0, sizeof(self->env));
	self->printk[0] = '\0';
	self->nth_fd = -1;
	self->kmsg_fd = -1;
	memset(self->env.fd, -1, sizeof(self->env.fd));
	if (geteuid())
		SKIP(return, "not root");
	hpmm_mount_debugfs();
	if (access(HPMM_DEBUGFS "/failslab", F_OK) ||
	    access(HPMM_DEBUGFS "/fail_page_alloc", F_OK))
		SKIP(return, "kernel without FAILSLAB/FAIL_PAGE_ALLOC debugfs");
	self->nth_fd = fail_nth_open();
	if (self->nth_fd < 0)
		SKIP(return, "kernel without /proc/<pid>/task/<tid>/fail-nth");
	ASSERT_TRUE(fail_nth_configure());
	self->env.module = getenv("HPMM_MODULE");
	if (!self->env.module || access(self->env.module, R_OK))
		SKIP(return, "HPMM_MODULE does not name hpmm.ko");
	if (!module_loaded())
		ASSERT_EQ(0, module_load(self->env.module));
	hpmm_find_bound(&devs);
	if (!devs.n)
		SKIP(return, "no edu device bound to hpmm");
	hpmm_strscpy(self->env.dev, devs.name[0], sizeof(self->env.dev));
	self->kmsg_fd = hpmm_kmsg_open();
	ASSERT_LE(0, self->kmsg_fd);
	console_quiet(self->printk, sizeof(self->printk));
}

FIXTURE_TEARDOWN(fail_nth)
{
	console_restore(self->printk);
	if (self->nth_fd >= 0) {
		fail_nth_disable(self->nth_fd);
		close(self->nth_fd);
	}
	close_all(&self->env);
	if (self->kmsg_fd >= 0)
		close(self->kmsg_fd);
	/* e1000e_hpa must go, or hpmm cannot be unloaded after the tests. */
	if (self->nic) {
		hpmm_nic_unbind(HPMM_NIC_BDF);
		if (self->nic_enabled) {
			hpmm_nic_allow_msi(HPMM_NIC_BDF, true);
			hpmm_nic_hold_enabled(HPMM_NIC_BDF, false);
		}
		hpmm_nic_release(HPMM_NIC_BDF);
	}
	/* Leave hpmm loaded, as the wrapper expects. */
	if (self->env.module && !module_loaded())
		module_load(self->env.module);
}

/* Whether the kernel logged a warning since the last call. */
static bool kmsg_warned(int fd, char *out, size_t size)
{
	static const char *const needles[] = {
		"WARNING:", "BUG:", "Oops", "KASAN", "DMA-API",
		"circular locking", "inconsistent lock",
	};
	char rec[8192];
	ssize_t n;
	size_t i;

	for (;;) {
		const char *msg;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
			if (strstr(msg, needles[i])) {
				hpmm_strscpy(out, msg, size);
				return true;
			}
		}
	}
}

/*
 * HPMM_DEADLINE (seconds since the epoch), set by a caller with a time
 * budget such as CI: a sweep that would run past it stops and reports
 * SKIP, with how far it got, rather than being killed by a timeout.
 */
/*
 * HPMM_FAIL_NTH_ONLY=name,name...: run only these sweeps (the 6.1 harness
 * has no test filter of its own).
 */
static bool selected(const char *name)
{
	const char *only = getenv("HPMM_FAIL_NTH_ONLY");
	size_t len = strlen(name);
	const char *p;

	if (!only || !*only)
		return true;
	for (p = only; (p = strstr(p, name)); p += len)
		if ((p == only || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
	return false;
}

static bool past_deadline(void)
{
	const char *d = getenv("HPMM_DEADLINE");
	long long when = d ? strtoll(d, NULL, 10) : 0;

	return when > 0 && time(NULL) >= (time_t)when;
}

static void sweep(struct __test_metadata *_metadata,
		  FIXTURE_DATA(fail_nth) *self,
		  const struct fail_nth_sequence *seq)
{
	long long pages0 = 0, maps0 = 0, pages, maps;
	unsigned int nth, points = 0, succeeded = 0;
	char msg[512];
	time_t t0 = time(NULL);
	bool injected;
	int ret;

	if (!selected(_metadata->name))
		SKIP(return, "not in HPMM_FAIL_NTH_ONLY");

	if (seq->needs_module) {
		if (!module_loaded())
			ASSERT_EQ(0, module_load(self->env.module));
		ASSERT_EQ(0, hpmm_read_live(&pages0, &maps0));
	}

	for (nth = 1; nth < FAIL_NTH_LIMIT; nth++) {
		if (past_deadline()) {
			ksft_print_msg("fail-nth %s: stopped at N=%u, %u points unwound: HPMM_DEADLINE passed\n",
				       seq->name, nth, points);
			SKIP(return, "out of time (HPMM_DEADLINE) at N=%u", nth);
		}
		ASSERT_EQ(0, seq->prepare(&self->env)) {
			TH_LOG("%s: prepare failed before N=%u", seq->name, nth);
		}
		if (seq->own_injection) {
			self->env.nth = nth;
			self->env.injected = false;
			ret = seq->run(&self->env);
			injected = self->env.injected;
		} else {
			ASSERT_EQ(0, fail_nth_set(self->nth_fd, nth));
			ret = seq->run(&self->env);
			injected = fail_nth_disable(self->nth_fd);
		}
		seq->undo(&self->env);

		ASSERT_FALSE(kmsg_warned(self->kmsg_fd, msg, sizeof(msg))) {
			TH_LOG("%s: N=%u: kernel log: %s", seq->name, nth, msg);
		}
		if (seq->needs_module) {
			ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
			ASSERT_EQ(pages0, pages) {
				TH_LOG("%s: N=%u (ret %d) leaked %lld pages",
				       seq->name, nth, ret, pages - pages0);
			}
			ASSERT_EQ(maps0, maps) {
				TH_LOG("%s: N=%u (ret %d) left %lld mappings",
				       seq->name, nth, ret, maps - maps0);
			}
		} else {
			/* A failed load leaves nothing behind. */
			ASSERT_FALSE(module_loaded());
			ASSERT_NE(0, access(HPMM_DEV_NODE, F_OK));
			ASSERT_NE(0, access(HPMM_DBG_ROOT, F_OK));
		}
		if (!injected) {
			ASSERT_EQ(0, ret) {
				TH_LOG("%s failed with %d with no fault injected",
				       seq->name, ret);
			}
			break;
		}
		points++;
		if (!ret)
			succeeded++;	/* an optional allocation failed */
		if (!(nth % 50)) {
			/* Progress: a KASAN guest takes minutes per sequence. */
			ksft_print_msg("fail-nth %s: N=%u, %lds\n", seq->name,
				       nth, (long)(time(NULL) - t0));
			fflush(stdout);
		}
	}
	ASSERT_LT(nth, FAIL_NTH_LIMIT);
	ASSERT_LT(0U, points);
	ksft_print_msg("fail-nth %s: %u points, all unwound (%u absorbed)\n",
		       seq->name, points, succeeded);
	/* The harness ends a test with _exit(): stdio is not flushed. */
	fflush(stdout);
}

TEST_F_TIMEOUT(fail_nth, module_load, 3600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, seq_named("module_load"));
}

TEST_F_TIMEOUT(fail_nth, chardev_version, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, seq_named("chardev_version"));
}

TEST_F_TIMEOUT(fail_nth, dev_roundtrip_cpu, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, seq_named("dev_roundtrip_cpu"));
}

TEST_F_TIMEOUT(fail_nth, dev_roundtrip_edu, 1200)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, seq_named("dev_roundtrip_edu"));
}

static void sweep_ctl(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fail_nth) *self, size_t i)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_DBG_ROOT "/%s", ctl_sequences[i].path);
	if (access(path, F_OK))
		SKIP(return, "%s is not built in", ctl_sequences[i].path);
	cur_ctl = &ctl_sequences[i];
	sweep(_metadata, self, seq_named("component_ctl"));
}

TEST_F_TIMEOUT(fail_nth, hpa_pool, 900)
{
	if (_metadata->skip)
		return;
	sweep_ctl(_metadata, self, 0);
}

/* Whether debugfs has hpmm's @path (a component built in). */
static bool have(const char *path)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), HPMM_DBG_ROOT "/%s", path);
	return access(full, F_OK) == 0;
}

TEST_F_TIMEOUT(fail_nth, defrag_group, 900)
{
	if (_metadata->skip)
		return;
	if (!have("defrag/stats"))
		SKIP(return, "DEFRAG is not built in");
	sweep(_metadata, self, seq_named("defrag_group"));
	/* No group of the sequence is left. */
	ASSERT_FALSE(have("defrag/groups/fnth"));
}

TEST_F_TIMEOUT(fail_nth, defrag_memcg_group, 900)
{
	int ret;

	if (_metadata->skip)
		return;
	if (!have("defrag/stats"))
		SKIP(return, "DEFRAG is not built in");
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	/* Once without injection: the memory controller and hpmm_test. */
	ret = defrag_memcg_prepare(&self->env);
	if (!ret)
		ret = defrag_memcg_run(&self->env);
	defrag_memcg_undo(&self->env);
	if (ret == -ENODEV || ret == -ENOENT)
		SKIP(return, "no memory controller or hpmm_test.ko (%s)",
		     strerror(-ret));
	ASSERT_EQ(0, ret);
	sweep(_metadata, self, seq_named("defrag_memcg_group"));
	/* No group of the sequence is left, no charged block. */
	ASSERT_FALSE(have("defrag/groups/fnth_memcg"));
}

TEST_F_TIMEOUT(fail_nth, defrag_numa, 900)
{
	int ret;

	if (_metadata->skip)
		return;
	if (!have("defrag/stats"))
		SKIP(return, "DEFRAG is not built in");
	/* Once without injection: two nodes and hpmm_test. */
	ret = defrag_numa_prepare(&self->env);
	if (!ret)
		ret = defrag_numa_run(&self->env);
	defrag_numa_undo(&self->env);
	if (ret == -ENODEV || ret == -ENOENT)
		SKIP(return, "fewer than two NUMA nodes, or no hpmm_test.ko (%s)",
		     strerror(-ret));
	ASSERT_EQ(0, ret);
	sweep(_metadata, self, seq_named("defrag_numa"));
	ASSERT_FALSE(have("defrag/groups/fnth_numa"));
}

TEST_F_TIMEOUT(fail_nth, vpri_register_fault, 900)
{
	int ret;

	if (_metadata->skip)
		return;
	if (!have("vpri/status"))
		SKIP(return, "VPRI is not built in");
	/* Once without injection: VPRI needs the second edu device. */
	ASSERT_EQ(0, vpri_prepare(&self->env));
	ret = vpri_run(&self->env);
	vpri_undo(&self->env);
	if (ret == -ENODEV)
		SKIP(return, "no second edu device for VPRI");
	ASSERT_EQ(0, ret);
	sweep(_metadata, self, seq_named("vpri_register_fault"));
	/* Nothing stays registered or pinned. */
	ASSERT_EQ(0, hpmm_dbg_value("domains", HPMM_DBG_ROOT "/vpri/status"));
	ASSERT_EQ(0, hpmm_dbg_value("pinned", HPMM_DBG_ROOT "/vpri/status"));
}

TEST_F_TIMEOUT(fail_nth, vpri_on_demand_fault, 900)
{
	int ret;

	if (_metadata->skip)
		return;
	if (!have("vpri/status"))
		SKIP(return, "VPRI is not built in");
	ASSERT_EQ(0, vpri_prepare(&self->env));
	ret = vpri_odp_run(&self->env);
	vpri_undo(&self->env);
	if (ret == -ENODEV)
		SKIP(return, "no second edu device for VPRI");
	ASSERT_EQ(0, ret);
	sweep(_metadata, self, seq_named("vpri_on_demand_fault"));
	ASSERT_EQ(0, hpmm_dbg_value("domains", HPMM_DBG_ROOT "/vpri/status"));
	ASSERT_EQ(0, hpmm_dbg_value("pinned", HPMM_DBG_ROOT "/vpri/status"));
}

TEST_F_TIMEOUT(fail_nth, magnet_populate, 900)
{
	if (_metadata->skip)
		return;
	if (!have("magnet/stats"))
		SKIP(return, "MAGNET is not built in");
	sweep(_metadata, self, seq_named("magnet_populate"));
	/* Every reservation went back at munmap. */
	ASSERT_EQ(0, hpmm_dbg_value("unused_reserved_now",
				    HPMM_DBG_ROOT "/magnet/stats"));
}

TEST_F_TIMEOUT(fail_nth, nic_probe_resize_remove, 3600)
{
	char drv[64], pool[64], *c;
	long long pools;
	int ret;

	if (_metadata->skip)
		return;
	if (!have("hpa/stats"))
		SKIP(return, "HPA is not built in");
	/* The driver's pool of the NIC: e1000e_hpa-0000-00-11-0. */
	snprintf(pool, sizeof(pool), "hpa/pools/%s-%s", HPMM_NIC_DRIVER,
		 HPMM_NIC_BDF);
	for (c = pool + strlen("hpa/pools/"); *c; c++)
		if (*c == ':' || *c == '.')
			*c = '-';
	if (!hpmm_nic_present(HPMM_NIC_BDF))
		SKIP(return, "no NIC at %s (qemu-env/run --nics 2)",
		     HPMM_NIC_BDF);
	hpmm_nic_driver(HPMM_NIC_BDF, drv, sizeof(drv));
	if (drv[0] && strcmp(drv, HPMM_NIC_DRIVER))
		TH_LOG("%s was bound to %s: taken for the sweep", HPMM_NIC_BDF,
		       drv);
	/* Once without injection: the driver is built and works. */
	ret = nic_prepare(&self->env);
	if (ret == -ENOENT) {
		close_all(&self->env);
		SKIP(return, "no e1000e_hpa.ko beside HPMM_MODULE for kernel %s",
		     hpmm_nic_kernel());
	}
	self->nic = true;
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, hpmm_nic_hold_enabled(HPMM_NIC_BDF, true));
	self->nic_enabled = true;
	ASSERT_EQ(0, hpmm_nic_allow_msi(HPMM_NIC_BDF, false));
	ASSERT_EQ(0, nic_run(&self->env));
	nic_undo(&self->env);
	/*
	 * Other pools may stay: e1000e_hpa also drives NIC 0 where no
	 * e1000e has it (the debug kernel has none), with a pool of its own.
	 */
	pools = hpmm_dbg_value("pools", HPMM_DBG_ROOT "/hpa/stats");
	ASSERT_FALSE(have(pool));
	sweep(_metadata, self, seq_named("nic_probe_resize_remove"));
	ASSERT_EQ(0, hpmm_nic_unbind(HPMM_NIC_BDF));
	EXPECT_EQ(0, hpmm_nic_allow_msi(HPMM_NIC_BDF, true));
	EXPECT_EQ(0, hpmm_nic_hold_enabled(HPMM_NIC_BDF, false));
	self->nic_enabled = false;
	/* The pools of every probe of the NIC are gone, none deferred. */
	EXPECT_FALSE(have(pool));
	EXPECT_EQ(pools, hpmm_dbg_value("pools", HPMM_DBG_ROOT "/hpa/stats"));
	EXPECT_EQ(0, hpmm_dbg_value("deferred", HPMM_DBG_ROOT "/hpa/stats"));
	EXPECT_EQ(0, hpmm_dbg_value("iova_mapped", HPMM_DBG_ROOT "/hpa/stats"));
	/* hpmm must be unloadable again (the wrapper unloads it). */
	EXPECT_EQ(0, hpmm_nic_release(HPMM_NIC_BDF));
	self->nic = false;
}

TEST_HARNESS_MAIN
