// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG and hardware poison (Documentation/defrag.rst, "Hardware
 * poison"): a poisoned page of a DEFRAG block is never handed out again,
 * its block is never offered for a 2 MiB allocation, a process that mapped
 * it gets SIGBUS (BUS_MCEERR_AR) as the kernel promises for a poisoned
 * page, and the group's stats show it.
 *
 * Poison is injected as the kernel's own tests do: MADV_HWPOISON on a
 * mapped page, and hwpoison_inject's corrupt-pfn on a page the process
 * does not map. Needs root, hpmm.ko and hpmm_test.ko, and a kernel with
 * CONFIG_MEMORY_FAILURE (defrag/stats hwpoison_supported: 1); else SKIP.
 * Poisoned pages stay out of use until the guest reboots, as on real
 * hardware: run it in a guest.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR 4
#endif

#define DFG_DIR		HPMM_DFG_DIR
#define PAGE		4096UL
#define CORRUPT_PFN	HPMM_DEBUGFS "/hwpoison/corrupt-pfn"
#define GROUP		"kt_hwp"
#define GROUP_STATS	DFG_DIR "/groups/" GROUP "/stats"
#define DFG_STATS	DFG_DIR "/stats"

FIXTURE(hwpoison) {
	int fd, tfd;
	__u64 id;
};

FIXTURE_SETUP(hwpoison)
{
	long long id;

	self->fd = -1;
	self->tfd = -1;
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	if (hpmm_dbg_value("hwpoison_supported", DFG_STATS) != 1)
		SKIP(return, "this kernel has no memory_failure_event (CONFIG_MEMORY_FAILURE)");
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->tfd = hpmm_test_open();
	if (self->tfd < 0)
		SKIP(return, "hpmm_test.ko is not loaded");
	id = hpmm_dfg_create(self->fd, GROUP,
			     (struct hpmm_defrag_group_create){});
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	self->id = id;
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, self->id,
				  HPMM_DEFRAG_PLACEMENT_PAGE));
}

FIXTURE_TEARDOWN(hwpoison)
{
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->fd >= 0)
		close(self->fd);
}

/* Waits up to 20 s for @key of the stats file @path to reach @want: its value. */
static long long wait_stat(const char *path, const char *key, long long want)
{
	long long v = LLONG_MIN;
	int i;

	for (i = 0; i < 2000; i++) {
		v = hpmm_dbg_value(key, "%s", path);
		if (v >= want)
			break;
		usleep(10000);
	}
	return v;
}

/*
 * Takes @n order-@order pages from the group and frees them: whether none
 * of them holds @pfn.
 */
static bool never_handed_out(struct __test_metadata *_metadata, int tfd,
			     __u64 id, unsigned int order, unsigned int n,
			     __u64 pfn)
{
	__u64 *got = calloc(n, sizeof(*got));
	unsigned int i, taken = 0;
	bool ok = true;

	if (!got)
		return false;
	for (i = 0; i < n; i++) {
		if (hpmm_dfg_alloc(tfd, id, order, HPMM_TEST_DEFRAG_MOVABLE,
				   &got[i]))
			break;
		taken++;
		if (pfn >= got[i] && pfn < got[i] + (1ULL << order)) {
			TH_LOG("pfn %#llx handed out again (order %u at %#llx)",
			       (unsigned long long)pfn, order,
			       (unsigned long long)got[i]);
			ok = false;
		}
	}
	EXPECT_LT(0u, taken);
	for (i = 0; i < taken; i++)
		EXPECT_EQ(0, hpmm_dfg_free(tfd, got[i], order));
	free(got);
	return ok;
}

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_code;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	siglongjmp(bus_jmp, 1);
}

/*
 * A page a process maps is poisoned with MADV_HWPOISON: hpmm unmaps it,
 * the process's next access to it is SIGBUS with BUS_MCEERR_AR while its
 * other pages keep their data, the group counts it, and the page is never
 * handed out again, as a base page or in a 2 MiB one.
 */
TEST_F(hwpoison, mapped_page_is_sigbus_and_never_reused)
{
	const unsigned int pages = 16, bad = 5;
	int go[2], res[2], st;
	long long before;
	__u64 pfn = 0;
	pid_t pid;

	before = hpmm_dfg_gstat(GROUP, "hwpoisoned");
	ASSERT_EQ(0, before);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_sigaction = on_sigbus,
					.sa_flags = SA_SIGINFO };
		volatile unsigned char *m;
		unsigned int i, j;
		char c;

		m = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
		if (m == MAP_FAILED)
			_exit(2);
		for (i = 0; i < pages; i++)
			memset((void *)(m + i * PAGE), i + 1, PAGE);
		pfn = hpmm_pfn_of((void *)(m + bad * PAGE));
		/* 6.1 answers EBUSY for a page off the LRU: it is marked. */
		madvise((void *)(m + bad * PAGE), PAGE, MADV_HWPOISON);
		if (write(res[1], &pfn, sizeof(pfn)) != sizeof(pfn) ||
		    read(go[0], &c, 1) != 1)
			_exit(3);
		for (i = 0; i < pages; i++)
			for (j = 0; i != bad && j < PAGE; j += 512)
				if (m[i * PAGE + j] != i + 1)
					_exit(4);
		sigaction(SIGBUS, &sa, NULL);
		if (sigsetjmp(bus_jmp, 1))
			_exit(bus_code == BUS_MCEERR_AR ? 42 : 5);
		c = m[bad * PAGE];
		_exit(6);
	}
	close(go[0]);
	close(res[1]);
	ASSERT_EQ((ssize_t)sizeof(pfn), read(res[0], &pfn, sizeof(pfn)));
	ASSERT_NE(0ULL, pfn);
	/* hpmm handles the poison from a work item: wait for it. */
	EXPECT_EQ(before + 1, wait_stat(GROUP_STATS, "hwpoisoned", before + 1));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 42) {
		TH_LOG("child status %#x (42: SIGBUS BUS_MCEERR_AR)", st);
	}
	close(go[1]);
	close(res[0]);

	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 0, 2048,
				     pfn));
	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 9, 8,
				     pfn));
	EXPECT_EQ(before + 1, hpmm_dfg_gstat(GROUP, "hwpoisoned"));
}

static int corrupt_pfn(__u64 pfn)
{
	char val[32];

	snprintf(val, sizeof(val), "%llu", (unsigned long long)pfn);
	return hpmm_write_str(CORRUPT_PFN, val);
}

static bool have_injector(void)
{
	if (access(CORRUPT_PFN, W_OK) && system("modprobe hwpoison_inject 2>/dev/null"))
		return false;
	return !access(CORRUPT_PFN, W_OK);
}

/*
 * A free page (freed by a kernel caller, so cached per CPU) poisoned with
 * hwpoison_inject's corrupt-pfn is taken out: never handed out again.
 */
TEST_F(hwpoison, free_page_is_never_handed_out)
{
	__u64 a = 0, b = 0;
	long long before;

	if (!have_injector())
		SKIP(return, "no %s (hwpoison_inject)", CORRUPT_PFN);
	before = hpmm_dfg_gstat(GROUP, "hwpoisoned");
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, self->id, 0,
				    HPMM_TEST_DEFRAG_MOVABLE, &a));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, self->id, 0,
				    HPMM_TEST_DEFRAG_MOVABLE, &b));
	ASSERT_EQ(0, hpmm_dfg_free(self->tfd, a, 0));
	/* memory_failure() reports the page as one it cannot handle. */
	corrupt_pfn(a);
	EXPECT_EQ(before + 1, wait_stat(GROUP_STATS, "hwpoisoned", before + 1));
	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 0, 2048,
				     a));
	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 9, 8, a));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, b, 0));
}

/*
 * A page of a 2 MiB allocation poisoned while it is held: counted as
 * deferred; when the 2 MiB page is freed its block goes back to the
 * kernel, never to be offered again.
 */
TEST_F(hwpoison, huge_block_leaves_when_freed)
{
	long long before, blocks, deferred;
	__u64 huge = 0;

	if (!have_injector())
		SKIP(return, "no %s (hwpoison_inject)", CORRUPT_PFN);
	before = hpmm_dfg_gstat(GROUP, "hwpoisoned");
	blocks = hpmm_dbg_value("hwpoison_blocks", DFG_STATS);
	deferred = hpmm_dbg_value("hwpoison_deferred", DFG_STATS);
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, self->id, 9,
				    HPMM_TEST_DEFRAG_MOVABLE, &huge));
	corrupt_pfn(huge + 7);
	EXPECT_EQ(deferred + 1,
		  wait_stat(DFG_STATS, "hwpoison_deferred", deferred + 1));
	/* Held, the page is the holder's: nothing is taken from it. */
	EXPECT_EQ(before, hpmm_dfg_gstat(GROUP, "hwpoisoned"));
	ASSERT_EQ(0, hpmm_dfg_free(self->tfd, huge, 9));
	EXPECT_EQ(before + 1, hpmm_dfg_gstat(GROUP, "hwpoisoned"));
	EXPECT_EQ(blocks + 1, hpmm_dbg_value("hwpoison_blocks", DFG_STATS));
	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 9, 8,
				     huge + 7));
	EXPECT_TRUE(never_handed_out(_metadata, self->tfd, self->id, 0, 2048,
				     huge + 7));
}

TEST_HARNESS_MAIN
