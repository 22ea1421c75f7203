// SPDX-License-Identifier: GPL-2.0
/*
 * Data integrity of DEFRAG and MAGNET mappings under everything that moves
 * or takes their pages: several processes of several threads each map
 * /dev/hpmm (one group served page by page, one with MAGNET reservations),
 * write known patterns, verify them over and over and unmap, in a loop,
 * while another process compacts both groups, runs the shrinkers
 * (drop_caches, MAGNET's "shrink") and the groups' background compaction
 * runs on its own. Every word read must be the one written.
 *
 * Runs HPMM_INTEGRITY_SECONDS (default 3: `make check`; check-debug sets
 * more). Needs root and hpmm loaded (hpmm.sh); MAGNET is used when built.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"

#define PAGE		4096UL
#define PROCS		3
#define THREADS		2
#define MAP_PAGES	192
#define WORDS		8	/* checked per page, spread over it */
#define ROUNDS		4	/* verifications per mapping */

struct integ_shared {
	volatile int stop;
	long long bytes_checked;
	long long bad;
	long long maps;
	char first_bad[256];
};

static struct integ_shared *sh;
static int integ_fd[2];	/* 0: DEFRAG pages, 1: MAGNET */

static uint64_t pattern(uint64_t seed, size_t page, size_t w)
{
	uint64_t x = seed ^ (page << 20) ^ (w << 8);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

struct integ_thread {
	int id;
};

static void *integ_worker(void *arg)
{
	struct integ_thread *t = arg;
	uint64_t seed = (uint64_t)t->id << 40;
	size_t i, w, r;

	while (!sh->stop) {
		int which = (int)(seed & 1) && integ_fd[1] >= 0;
		volatile uint64_t *p;
		char *m;

		seed++;
		m = mmap(NULL, MAP_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, integ_fd[which], 0);
		if (m == MAP_FAILED) {
			__sync_fetch_and_add(&sh->bad, 1);
			snprintf(sh->first_bad, sizeof(sh->first_bad),
				 "mmap: %s", strerror(errno));
			return NULL;
		}
		__sync_fetch_and_add(&sh->maps, 1);
		for (i = 0; i < MAP_PAGES; i++) {
			p = (volatile uint64_t *)(m + i * PAGE);
			for (w = 0; w < WORDS; w++)
				p[w * (PAGE / 8 / WORDS)] = pattern(seed, i, w);
		}
		for (r = 0; r < ROUNDS && !sh->stop; r++) {
			for (i = 0; i < MAP_PAGES; i++) {
				p = (volatile uint64_t *)(m + i * PAGE);
				for (w = 0; w < WORDS; w++) {
					uint64_t v = p[w * (PAGE / 8 / WORDS)];

					if (v == pattern(seed, i, w))
						continue;
					if (!__sync_fetch_and_add(&sh->bad, 1))
						snprintf(sh->first_bad,
							 sizeof(sh->first_bad),
							 "%s map, page %zu word %zu: %#llx, expected %#llx",
							 which ? "magnet" : "defrag",
							 i, w, (unsigned long long)v,
							 (unsigned long long)pattern(seed, i, w));
				}
			}
			__sync_fetch_and_add(&sh->bytes_checked,
					     MAP_PAGES * WORDS * 8);
		}
		munmap(m, MAP_PAGES * PAGE);
	}
	return NULL;
}

static void integ_proc(int n)
{
	struct integ_thread t[THREADS];
	pthread_t th[THREADS];
	int i;

	for (i = 0; i < THREADS; i++) {
		t[i].id = n * THREADS + i;
		if (pthread_create(&th[i], NULL, integ_worker, &t[i]))
			_exit(2);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* Compaction of both groups and the shrinkers, in a loop. */
static void integ_chaos(const __u64 *id)
{
	unsigned int k = 0;

	while (!sh->stop) {
		hpmm_dfg_compact(integ_fd[0], id[0], 0);
		if (integ_fd[1] >= 0) {
			hpmm_dfg_compact(integ_fd[1], id[1], 0);
			hpmm_write_str(HPMM_MG_DIR "/control", "shrink 64");
		}
		if (!(++k % 8))
			hpmm_write_str("/proc/sys/vm/drop_caches", "2");
		sched_yield();
	}
	_exit(0);
}

static long long live_now(void)
{
	long long pages, maps;

	return hpmm_read_live(&pages, &maps) ? -1 : pages;
}

FIXTURE(integrity) {
};

FIXTURE_SETUP(integrity)
{
}

FIXTURE_TEARDOWN(integrity)
{
}

TEST_F_TIMEOUT(integrity, defrag_and_magnet_under_moves, 900)
{
	const char *s = getenv("HPMM_INTEGRITY_SECONDS");
	int seconds = s ? atoi(s) : 3, i, st;
	long long live0, t_end, moved = 0, v;
	pid_t pid[PROCS + 1];
	__u64 id[2] = { 0, 0 };
	const char *name[2] = { "kt_integ", "kt_integ_mg" };

	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(HPMM_DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	if (seconds < 1)
		seconds = 1;
	live0 = live_now();
	ASSERT_LE(0, live0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < 2; i++) {
		long long g;

		integ_fd[i] = -1;
		if (i == 1 && access(HPMM_MG_DIR, F_OK))
			break;
		integ_fd[i] = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, integ_fd[i]);
		/* Default settings: background compaction on. */
		g = hpmm_dfg_create(integ_fd[i], name[i],
				    (struct hpmm_defrag_group_create){
					    .fields = HPMM_DEFRAG_GROUP_LIMIT,
					    .limit = 64 });
		ASSERT_LT(0, g) TH_LOG("create: %s", strerror((int)-g));
		id[i] = g;
		ASSERT_EQ(0, hpmm_dfg_map(integ_fd[i], id[i],
					  i ? HPMM_DEFRAG_PLACEMENT_MAGNET :
					      HPMM_DEFRAG_PLACEMENT_PAGE));
	}

	for (i = 0; i <= PROCS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			if (i == PROCS)
				integ_chaos(id);
			integ_proc(i);
		}
	}
	t_end = hpmm_now_ms() + seconds * 1000LL;
	while (hpmm_now_ms() < t_end && !sh->bad)
		usleep(50000);
	sh->stop = 1;
	for (i = 0; i <= PROCS; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("process %d: status %#x", i, st);
	}
	for (i = 0; i < 2; i++) {
		v = hpmm_dfg_gstat(name[i], "compact_moved_pages");
		if (v > 0)
			moved += v;
	}
	TH_LOG("%d s: %lld mappings, %lld MiB verified, %lld pages moved by compaction",
	       seconds, sh->maps, sh->bytes_checked >> 20, moved);
	EXPECT_EQ(0, sh->bad) TH_LOG("first: %s", sh->first_bad);
	EXPECT_LT(0, sh->maps);
	EXPECT_LT(0, sh->bytes_checked);

	/* The groups go with their files; wait (bounded) for their pages. */
	for (i = 0; i < 2; i++)
		if (integ_fd[i] >= 0)
			close(integ_fd[i]);
	t_end = hpmm_now_ms() + 20000;
	while (live_now() != live0 && hpmm_now_ms() < t_end)
		usleep(20000);
	EXPECT_EQ(live0, live_now());
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
