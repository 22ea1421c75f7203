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
#include <sys/syscall.h>

#include "hpmm_test.h"
#include "kselftest_harness.h"

#include <uapi/hpmm.h>

/* No real sequence has this many allocation points. */
#define FAIL_NTH_LIMIT 20000U

/**
 * struct fail_nth_env - what one sequence works with
 * @fd: descriptors opened by prepare, closed by undo
 * @dev: the first bound edu device
 * @module: path of hpmm.ko (env HPMM_MODULE), for the load sequence
 * @nth: for sequences that inject through hpmm's init_fail_nth parameter
 * @injected: set by such a sequence when its Nth allocation failed
 */
struct fail_nth_env {
	int fd[4];
	char dev[HPMM_NAME_LEN];
	const char *module;
	unsigned int nth;
	bool injected;
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
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		snprintf(path, sizeof(path), HPMM_DEBUGFS "/%s", settings[i][0]);
		if (write_str(path, settings[i][1]))
			return false;
	}
	return true;
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

static int module_load_params(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int module_load(const char *path)
{
	return module_load_params(path, "");
}

static int module_unload(void)
{
	int i;

	/* A debugfs reader from an earlier step may still hold a reference. */
	for (i = 0; i < 100; i++) {
		if (!syscall(SYS_delete_module, "hpmm", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return -errno;
		usleep(20000);
	}
	return -EBUSY;
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

	snprintf(path, sizeof(path), HPMM_DBG_DEV "/%s/control", dev);
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
	/* HPA: create a pool (maps a 2 MiB block), run the model, destroy */
	{ "hpa/control", "create fnth hpa;run fnth 256 backend=cpu",
	  "destroy fnth" },
	/* DEFRAG: a group with a reserve (takes blocks), compaction */
	{ "defrag/control", "create fnth limit=4 reserve=1;compact fnth",
	  "destroy fnth;payg_low 0;drain default" },
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
	/* An HPA destroy with pages in flight completes in the background. */
	for (i = 0; i < 50 && access(HPMM_DBG_ROOT "/hpa/pools/fnth", F_OK) == 0;
	     i++)
		usleep(100000);
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
};

FIXTURE(fail_nth) {
	struct fail_nth_env env;
	int nth_fd;
	int kmsg_fd;
	char printk[64];
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

static void sweep(struct __test_metadata *_metadata,
		  FIXTURE_DATA(fail_nth) *self,
		  const struct fail_nth_sequence *seq)
{
	long long pages0 = 0, maps0 = 0, pages, maps;
	unsigned int nth, points = 0, succeeded = 0;
	char msg[512];
	bool injected;
	int ret;

	if (seq->needs_module) {
		if (!module_loaded())
			ASSERT_EQ(0, module_load(self->env.module));
		ASSERT_EQ(0, hpmm_read_live(&pages0, &maps0));
	}

	for (nth = 1; nth < FAIL_NTH_LIMIT; nth++) {
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
	}
	ASSERT_LT(nth, FAIL_NTH_LIMIT);
	ASSERT_LT(0U, points);
	ksft_print_msg("fail-nth %s: %u points, all unwound (%u absorbed)\n",
		       seq->name, points, succeeded);
}

TEST_F_TIMEOUT(fail_nth, module_load, 1200)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, &sequences[0]);
}

TEST_F_TIMEOUT(fail_nth, chardev_version, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, &sequences[1]);
}

TEST_F_TIMEOUT(fail_nth, dev_roundtrip_cpu, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, &sequences[2]);
}

TEST_F_TIMEOUT(fail_nth, dev_roundtrip_edu, 1200)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	sweep(_metadata, self, &sequences[3]);
}

static void sweep_ctl(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fail_nth) *self, size_t i)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_DBG_ROOT "/%s", ctl_sequences[i].path);
	if (access(path, F_OK))
		SKIP(return, "%s is not built in", ctl_sequences[i].path);
	cur_ctl = &ctl_sequences[i];
	sweep(_metadata, self, &sequences[4]);
}

TEST_F_TIMEOUT(fail_nth, hpa_pool, 900)
{
	if (_metadata->skip)
		return;
	sweep_ctl(_metadata, self, 0);
}

TEST_F_TIMEOUT(fail_nth, defrag_group, 900)
{
	if (_metadata->skip)
		return;
	sweep_ctl(_metadata, self, 1);
}

TEST_HARNESS_MAIN
