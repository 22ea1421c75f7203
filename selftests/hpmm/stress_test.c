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
 * while the module comes and goes.
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

#include <uapi/hpmm.h>

#define STRESS_MAX_WORKERS 16

struct stress_worker {
	const char *name;
	int copies;
	int (*step)(unsigned int *seed);
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
	return err == ENOENT || err == ENODEV || err == ENXIO || err == EBUSY;
}

static int stress_dev_dma(unsigned int *seed)
{
	struct hpmm_devlist devs;
	int ret;

	hpmm_find_bound(&devs);
	if (!devs.n)
		return -ENOENT;
	ret = hpmm_controlf(devs.name[rand_r(seed) % devs.n], "roundtrip cpu %u",
			    1 + rand_r(seed) % HPMM_EDU_DMA_MAX);
	return ret;
}

static int stress_dev_edu(unsigned int *seed)
{
	struct hpmm_devlist devs;

	hpmm_find_bound(&devs);
	if (!devs.n)
		return -ENOENT;
	return hpmm_controlf(devs.name[rand_r(seed) % devs.n],
			     "roundtrip edu %u", 1 + rand_r(seed) % 256);
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

static const struct stress_worker workers[] = {
	{ "dev_dma_cpu", 3, stress_dev_dma },
	{ "dev_dma_edu", 1, stress_dev_edu },
	{ "chardev", 2, stress_chardev },
	{ "debugfs_reader", 2, stress_reader },
};

static int module_load(void)
{
	int fd = open(stress_module, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret == -EEXIST ? 0 : ret;
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

		if (!ret)
			t->ops++;
		else if (module_churn_errno(-ret))
			t->expected_errors++;
		else if (!t->bad++)
			t->bad_errno = -ret;
	}
}

/*
 * Tries rmmod all the time, which must fail while the workers hold hpmm's
 * files. Every 20th try it pauses the workers first, so that rmmod can
 * succeed, and lets them go again before the reload, so that they race
 * with module init and exit.
 */
static void run_unloader(struct stress_tally *t, volatile int *stop,
			 volatile int *pause, volatile int *idle, int nworkers,
			 unsigned long *unloads)
{
	unsigned long tries = 0;
	int i, wait;

	while (!*stop) {
		if (++tries % 20 == 0) {
			/* Until every worker is idle (an edu DMA is 100 ms). */
			*pause = 1;
			for (wait = 0; wait < 300 && !*stop; wait++) {
				for (i = 0; i < nworkers && idle[i]; i++)
					;
				if (i == nworkers)
					break;
				usleep(10000);
			}
		}
		if (!syscall(SYS_delete_module, "hpmm", O_NONBLOCK)) {
			(*unloads)++;
			*pause = 0;
			usleep(2000);
			if (module_load() && !t->bad++)
				t->bad_errno = errno;
		} else if (errno == EWOULDBLOCK || errno == EAGAIN ||
			   errno == EBUSY) {
			t->expected_errors++;	/* in use: the point */
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

struct stress_shared {
	volatile int stop;
	volatile int pause;
	volatile int idle[STRESS_MAX_WORKERS];
	unsigned long unloads;
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

TEST_F_TIMEOUT(stress, all_interfaces, 600)
{
	const char *s = getenv("HPMM_STRESS_SECONDS");
	int seconds = s ? atoi(s) : 20;
	pid_t pids[STRESS_MAX_WORKERS + 1];
	long long pages, maps;
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
			     n, &sh->unloads);
		_exit(0);
	}

	sleep(seconds);
	sh->stop = 1;
	for (i = 0; i <= n; i++)
		ASSERT_EQ(pids[i], waitpid(pids[i], NULL, 0));

	ASSERT_EQ(0, module_load());
	i = 0;
	for (w = 0; w < sizeof(workers) / sizeof(workers[0]); w++) {
		for (c = 0; c < workers[w].copies; c++, i++) {
			struct stress_tally *t = &sh->tally[i];

			ksft_print_msg("stress %s[%d]: %lu ops, %lu refused while the module churned, %lu unexpected\n",
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
	EXPECT_LT(0UL, sh->unloads);
	EXPECT_LT(0UL, sh->tally[n].expected_errors);
	EXPECT_EQ(0UL, sh->tally[n].bad) {
		TH_LOG("rmmod/insmod: errno %d", sh->tally[n].bad_errno);
	}

	/* Everything is quiet now: nothing live, no warning logged. */
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(0, pages);
	EXPECT_EQ(0, maps);
	EXPECT_EQ(0, hpmm_kmsg_wait(kmsg, (const char *const[]){ "WARNING:", NULL },
				    0, msg, sizeof(msg))) {
		TH_LOG("kernel log: %s", msg);
	}
	close(kmsg);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
