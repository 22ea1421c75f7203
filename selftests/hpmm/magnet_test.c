// SPDX-License-Identifier: GPL-2.0
/*
 * MAGNET selftests (Documentation/magnet.rst): contiguity of 32 KiB groups
 * with 2 and 4 processes faulting interleaved, fork, munmap and exit giving
 * every reserved page back, the shrinker under drop_caches (which runs the
 * registered shrinkers through shrink_slab()), the default placement, and
 * bad input.
 *
 * Each case maps a DEFRAG group of its own with the MAGNET placement, its
 * background compaction on, as users run it: compaction moves a reserved
 * run whole or not at all, so every check of contiguity first touches the
 * pages (a moved page is mapped again on its next access) and then reads
 * their PFNs. Needs root (PFNs in /proc/self/pagemap) and hpmm loaded with
 * MAGNET.
 */
#include "hpmm_test.h"
#include "hpmm_defrag.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define PAGE		4096UL
#define RUN		8L
#define GROUP_BYTES	(RUN * PAGE)
#define MG_DIR		HPMM_MG_DIR
#define MG_GROUP	"kt_magnet"
#define NO_VALUE	(-1LL)

static long long mg_stat(const char *key)
{
	char buf[HPMM_FILE_MAX];
	long long v;

	if (hpmm_read_file(MG_DIR "/stats", buf, sizeof(buf)) < 0 ||
	    hpmm_kv_ll(buf, key, &v))
		return NO_VALUE;
	return v;
}

static int __attribute__((format(printf, 1, 2))) mg_ctl(const char *fmt, ...)
{
	char cmd[HPMM_CMD_MAX];
	va_list ap;
	int fd, ret = 0;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	len = strlen(cmd);
	fd = open(MG_DIR "/control", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/* The fixture's group. */
static __u64 mg_group;

/* Later mmaps of @fd: the fixture's group, with @placement. */
static int map_placement(int fd, __u64 placement)
{
	return hpmm_dfg_map(fd, mg_group, placement);
}

/*
 * An mmap of @fd of @pages pages starting @skew pages after a 32 KiB
 * boundary, or MAP_FAILED.
 */
static char *map_at(int fd, size_t pages, size_t skew, int type)
{
	size_t len = pages * PAGE, span = len + 2 * GROUP_BYTES;
	char *area, *at, *p;

	area = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return MAP_FAILED;
	at = (char *)(((uintptr_t)area + GROUP_BYTES - 1) &
		      ~(GROUP_BYTES - 1)) + skew * PAGE;
	p = mmap(at, len, PROT_READ | PROT_WRITE, type | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		munmap(area, span);
		return MAP_FAILED;
	}
	if (at > area)
		munmap(area, at - area);
	if (area + span > at + len)
		munmap(at + len, area + span - (at + len));
	return p;
}

static uint64_t pfn_of(int pm, const void *p)
{
	uint64_t e = 0;

	if (pread(pm, &e, sizeof(e), (uintptr_t)p / PAGE * sizeof(e)) !=
	    sizeof(e) || !(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

/* Pages contiguous_groups() last found not present. */
static size_t not_present;

/*
 * Groups of [@p, @p + @pages) (32 KiB-aligned) with 8 consecutive PFNs,
 * after touching every page (compaction may have moved some: they are
 * mapped again on access).
 */
static size_t contiguous_groups(const char *p, size_t pages)
{
	size_t g, i, good = 0;
	uint64_t first;
	int pm;

	for (i = 0; i < pages; i++)
		(void)*(const volatile char *)(p + i * PAGE);
	pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pm < 0)
		return 0;
	not_present = 0;
	for (i = 0; i < pages; i++)
		if (!pfn_of(pm, p + i * PAGE))
			not_present++;
	for (g = 0; g + RUN <= pages; g += RUN) {
		first = pfn_of(pm, p + g * PAGE);
		for (i = 1; first && i < RUN; i++)
			if (pfn_of(pm, p + (g + i) * PAGE) != first + i)
				break;
		if (first && i == RUN)
			good++;
	}
	close(pm);
	return good;
}

static uint64_t pattern(size_t page, uint64_t salt)
{
	return (page * 0x9e3779b97f4a7c15ULL) ^ salt;
}

static void fill(char *p, size_t pages, uint64_t salt)
{
	size_t i;

	for (i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * PAGE) = pattern(i, salt);
}

/* Pages of @p whose first word is not their pattern. */
static long check(const char *p, size_t pages, uint64_t salt)
{
	long bad = 0;
	size_t i;

	for (i = 0; i < pages; i++)
		if (*(const volatile uint64_t *)(p + i * PAGE) !=
		    pattern(i, salt))
			bad++;
	return bad;
}

/* Waits for @pid: its exit status, or -1. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

FIXTURE(magnet) {
	int fd;
};

FIXTURE_SETUP(magnet)
{
	long long id;

	self->fd = -1;
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(MG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no MAGNET placement");
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_param_set("defrag_placement", "page"));
	/* The default settings: background compaction on. */
	id = hpmm_dfg_create(self->fd, MG_GROUP,
			     (struct hpmm_defrag_group_create){ .fields = 0 });
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	mg_group = id;
	ASSERT_EQ(0, mg_stat("unused_reserved_now"))
		TH_LOG("reservations left over from before");
}

FIXTURE_TEARDOWN(magnet)
{
	/* The group goes with the file, its cached pages with it. */
	if (self->fd >= 0)
		close(self->fd);
	hpmm_param_set("defrag_placement", "page");
}

/* Shared by the interleaved processes. */
struct race {
	volatile long turn;
	volatile long good[8];
	volatile long bad[8];
};

/*
 * @n processes each map @pages pages with MAGNET and fault them one page
 * each in turn; all their groups must be contiguous.
 */
static void interleaved(struct __test_metadata *_metadata, int fd, int n,
			size_t pages)
{
	long long res0 = mg_stat("reservations");
	long long use0 = mg_stat("faults_from_reservation");
	long long fb0 = mg_stat("fallbacks");
	struct race *r;
	pid_t pid[8];
	int i;

	ASSERT_EQ(0, map_placement(fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	for (i = 0; i < n; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			char *p = map_at(fd, pages, 0, MAP_SHARED);
			size_t k;

			if (p == MAP_FAILED)
				_exit(2);
			for (k = 0; k < pages; k++) {
				while (r->turn != (long)(k * n + i))
					sched_yield();
				*(volatile uint64_t *)(p + k * PAGE) =
					pattern(k, i);
				__sync_fetch_and_add(&r->turn, 1);
			}
			r->good[i] = contiguous_groups(p, pages);
			r->bad[i] = check(p, pages, i);
			_exit(0);
		}
	}
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, reap(pid[i]));
		EXPECT_EQ((long)(pages / RUN), r->good[i])
			TH_LOG("process %d: %ld of %zu groups contiguous", i,
			       r->good[i], pages / RUN);
		EXPECT_EQ(0, r->bad[i]);
	}
	EXPECT_EQ(n * (long long)pages / RUN,
		  mg_stat("reservations") - res0);
	EXPECT_EQ(n * (long long)pages / RUN * (RUN - 1),
		  mg_stat("faults_from_reservation") - use0);
	EXPECT_EQ(0, mg_stat("fallbacks") - fb0);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	munmap(r, sizeof(*r));
}

TEST_F(magnet, contiguity_2_processes)
{
	interleaved(_metadata, self->fd, 2, 256);
}

TEST_F(magnet, contiguity_4_processes)
{
	interleaved(_metadata, self->fd, 4, 256);
}

/* Pages DEFRAG moved, evicted or failed to move in the test's group. */
static long long dfg_group_moves(void)
{
	char buf[HPMM_FILE_MAX];
	long long a = 0, b = 0, c = 0;

	if (hpmm_read_file(HPMM_DFG_DIR "/groups/" MG_GROUP "/stats", buf,
			   sizeof(buf)) < 0)
		return -1;
	hpmm_kv_ll(buf, "compact_moved_pages", &a);
	hpmm_kv_ll(buf, "evicted_pages", &b);
	hpmm_kv_ll(buf, "compact_move_failures", &c);
	return a + b + c;
}

struct racer {
	char *p;
	size_t pages;
	int parity;
};

static void *race_fn(void *arg)
{
	struct racer *r = arg;
	size_t k;

	for (k = r->parity; k < r->pages; k += 2)
		*(volatile uint64_t *)(r->p + k * PAGE) = pattern(k, 12);
	return NULL;
}

/*
 * Two threads fault the odd and the even pages of one mapping at once, so
 * they race for the same groups: one reservation per group wins, every
 * group is contiguous, the losers' runs go back.
 */
TEST_F(magnet, threads_race_for_groups)
{
	long long res0 = mg_stat("reservations"), mv0;
	long long fb0 = mg_stat("fallbacks");
	const size_t n = 1024;
	struct racer r[2];
	pthread_t t[2];
	char *p;
	int i;

	mv0 = dfg_group_moves();
	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 2; i++) {
		r[i] = (struct racer){ .p = p, .pages = n, .parity = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_fn, &r[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, check(p, n, 12));
	EXPECT_EQ((long long)(n / RUN), (long long)contiguous_groups(p, n));
	TH_LOG("DEFRAG moved or tried %lld pages meanwhile, fallbacks %lld, reservations %lld, %zu pages not present",
	       dfg_group_moves() - mv0, mg_stat("fallbacks") - fb0,
	       mg_stat("reservations") - res0, not_present);
	EXPECT_EQ((long long)(n / RUN), mg_stat("reservations") - res0);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	munmap(p, n * PAGE);
}

/* Runs on one CPU: kernel-held pages then come from one per-CPU cache. */
static int one_cpu(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Compaction moves a reserved run whole or not at all. Block A is full of
 * kernel-held pages with every other one freed (256 single holes, no
 * aligned run of 8 free pages); the mapping's 8 reserved runs sit in
 * block B. Compaction may not scatter them into A's holes: nothing moves
 * and every group stays contiguous. Once A has 8 aligned free runs, the
 * same compaction moves every run into one of them and empties B.
 */
TEST_F(magnet, compaction_keeps_runs_together)
{
	const size_t n = 64, held = 512;
	long long rec0, rec;
	__u64 *pfn, a_blk, before[64 / RUN];
	int tfd, pm;
	size_t i;
	char *p;

	tfd = hpmm_test_open();
	ASSERT_LE(0, tfd) TH_LOG("%s: %s", HPMM_TEST_NODE, strerror(-tfd));
	ASSERT_EQ(0, one_cpu());
	pfn = calloc(held, sizeof(*pfn));
	ASSERT_NE(NULL, pfn);
	for (i = 0; i < held; i++)
		ASSERT_EQ(0, hpmm_dfg_alloc(tfd, mg_group, 0,
					    HPMM_TEST_DEFRAG_MOVABLE, &pfn[i]));
	a_blk = pfn[0] >> 9;
	for (i = 0; i < held; i++)
		ASSERT_EQ(a_blk, pfn[i] >> 9)
			TH_LOG("page %zu in another block", i);
	for (i = 0; i < held; i += 2)
		ASSERT_EQ(0, hpmm_dfg_free(tfd, pfn[i], 0));

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	fill(p, n, 21);
	ASSERT_EQ(n / RUN, contiguous_groups(p, n));
	pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, pm);
	for (i = 0; i < n / RUN; i++) {
		before[i] = pfn_of(pm, p + i * RUN * PAGE);
		ASSERT_NE(a_blk, before[i] >> 9);
	}

	rec0 = hpmm_dfg_gstat(MG_GROUP, "compact_recovered_blocks");
	EXPECT_LE(0, hpmm_dfg_compact(self->fd, mg_group, 0));
	EXPECT_EQ(n / RUN, contiguous_groups(p, n))
		TH_LOG("runs broken by compaction: %zu pages not present",
		       not_present);
	EXPECT_EQ(0, check(p, n, 21));
	for (i = 0; i < n / RUN; i++)
		EXPECT_EQ(before[i], pfn_of(pm, p + i * RUN * PAGE));

	/* Eight aligned runs of free pages in A: the runs can go there. */
	for (i = 1; i < held; i += 2)
		if ((pfn[i] & 511) / RUN % 2 == 0 && (pfn[i] & 511) < 16 * RUN)
			ASSERT_EQ(0, hpmm_dfg_free(tfd, pfn[i], 0));
	EXPECT_LE(0, hpmm_dfg_compact(self->fd, mg_group, 0));
	rec = hpmm_dfg_gstat(MG_GROUP, "compact_recovered_blocks");
	EXPECT_LE(rec0 + 1, rec);
	EXPECT_EQ(n / RUN, contiguous_groups(p, n));
	EXPECT_EQ(0, check(p, n, 21));
	for (i = 0; i < n / RUN; i++)
		EXPECT_EQ(a_blk, pfn_of(pm, p + i * RUN * PAGE) >> 9)
			TH_LOG("group %zu: pfn %#llx", i, (unsigned long long)
			       pfn_of(pm, p + i * RUN * PAGE));
	close(pm);
	munmap(p, n * PAGE);
	close(tfd);
	free(pfn);
}

/*
 * The "page" placement makes no reservation, whatever the default; the
 * default (the module parameter defrag_placement) is MAGNET once set so.
 */
TEST_F(magnet, page_placement_uses_no_reservation)
{
	long long res0 = mg_stat("reservations");
	char buf[64];
	char *p;

	ASSERT_EQ(0, hpmm_param_set("defrag_placement", "magnet"));
	ASSERT_LT(0, hpmm_read_file(HPMM_PARAMS "/defrag_placement", buf,
				    sizeof(buf)));
	EXPECT_STREQ("magnet\n", buf);
	ASSERT_LT(0, hpmm_read_file(MG_DIR "/stats", buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "default: on\n", 12));
	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_PAGE));
	p = map_at(self->fd, 64, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	fill(p, 64, 1);
	EXPECT_EQ(res0, mg_stat("reservations"));
	munmap(p, 64 * PAGE);
	/* A mapping that asks for the default uses reservations. */
	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_DEFAULT));
	p = map_at(self->fd, 64, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	fill(p, 64, 1);
	EXPECT_EQ(res0 + 8, mg_stat("reservations"));
	EXPECT_EQ(8, (long long)contiguous_groups(p, 64));
	EXPECT_EQ(0, check(p, 64, 1));
	munmap(p, 64 * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

TEST_F(magnet, fork_shared_and_private)
{
	long long skip0 = mg_stat("private_skipped");
	const size_t n = 64;
	char *s, *q;
	pid_t pid;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	s = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, s);
	q = map_at(self->fd, n, 0, MAP_PRIVATE);
	ASSERT_NE(MAP_FAILED, q);
	/* Parent faults half of each group, leaving reservations half used. */
	fill(s, n / 2, 7);
	fill(q, n, 7);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Child: sees the parent's shared half, fills the rest. */
		if (check(s, n / 2, 7))
			_exit(1);
		fill(s, n, 7);
		/* Copy on write: its private copy only. */
		if (check(q, n, 7))
			_exit(2);
		fill(q, n, 9);
		if (check(q, n, 9))
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(0, reap(pid));
	EXPECT_EQ(0, check(s, n, 7));
	EXPECT_EQ(0, check(q, n, 7));
	EXPECT_LT(skip0, mg_stat("private_skipped"));
	munmap(s, n * PAGE);
	munmap(q, n * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

/* One fault per group: 7 unused reserved pages per group. */
static void touch_groups(char *p, size_t pages)
{
	size_t g;

	for (g = 0; g < pages; g += RUN)
		*(volatile char *)(p + g * PAGE) = 1;
}

TEST_F(magnet, munmap_gives_back)
{
	long long um0 = mg_stat("released_unmap");
	const size_t n = 128;
	char *p;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	EXPECT_EQ((long long)(n / RUN * (RUN - 1)),
		  mg_stat("unused_reserved_now"));
	EXPECT_LE((long long)(n / RUN * (RUN - 1)),
		  mg_stat("unused_reserved_peak"));
	/* Partial munmap: the first half's reservations go back. */
	ASSERT_EQ(0, munmap(p, n / 2 * PAGE));
	EXPECT_EQ((long long)(n / 2 / RUN * (RUN - 1)),
		  mg_stat("unused_reserved_now"));
	ASSERT_EQ(0, munmap(p + n / 2 * PAGE, n / 2 * PAGE));
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	EXPECT_EQ((long long)(n / RUN * (RUN - 1)),
		  mg_stat("released_unmap") - um0);
	ASSERT_EQ(0, mg_ctl("reset_peak"));
	EXPECT_EQ(0, mg_stat("unused_reserved_peak"));
}

TEST_F(magnet, exit_gives_back)
{
	long long ex0 = mg_stat("released_exit");
	long long *seen;
	const size_t n = 128;
	pid_t pid;

	seen = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *p = map_at(self->fd, n, 0, MAP_SHARED);

		if (p == MAP_FAILED)
			_exit(1);
		touch_groups(p, n);
		*seen = mg_stat("unused_reserved_now");
		_exit(0); /* no munmap */
	}
	ASSERT_EQ(0, reap(pid));
	EXPECT_EQ((long long)(n / RUN * (RUN - 1)), *seen);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	EXPECT_EQ((long long)(n / RUN * (RUN - 1)),
		  mg_stat("released_exit") - ex0);
	EXPECT_EQ(0, mg_stat("maps"));
	munmap(seen, PAGE);
}

/*
 * A forked child uses its parent's reservations (the pages are shared) and
 * its exit does not give the parent's reservations back.
 */
TEST_F(magnet, fork_child_exit_keeps_parent_reservations)
{
	const size_t n = 64, groups = n / RUN;
	long long use0;
	char *p;
	pid_t pid;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	ASSERT_EQ((long long)(groups * (RUN - 1)),
		  mg_stat("unused_reserved_now"));
	use0 = mg_stat("faults_from_reservation");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (size_t g = 0; g < n; g += RUN)
			p[(g + 1) * PAGE] = 2;
		_exit(0);
	}
	ASSERT_EQ(0, reap(pid));
	EXPECT_EQ((long long)groups,
		  mg_stat("faults_from_reservation") - use0);
	EXPECT_EQ((long long)(groups * (RUN - 2)),
		  mg_stat("unused_reserved_now"));
	fill(p, n, 6);
	EXPECT_EQ(0, check(p, n, 6));
	EXPECT_EQ((long long)groups, (long long)contiguous_groups(p, n));
	munmap(p, n * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

/*
 * Reserved pages not mapped, counting those the shrinker gave back since
 * @sh0: on a loaded machine kswapd may call the shrinker while a test is
 * still faulting its groups in, so only the sum is exact.
 */
static long long unused_or_shrunk(long long sh0)
{
	return mg_stat("unused_reserved_now") + mg_stat("shrinker_freed") - sh0;
}

static int drop_slab(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "2", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * drop_caches 2 runs drop_slab(): shrink_slab() on every memcg, the same
 * call reclaim makes, so it reaches the shrinker's count and scan.
 */
TEST_F(magnet, shrinker_gives_back)
{
	long long sh0 = mg_stat("shrinker_freed"), left;
	const size_t n = 2048;
	char *p;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	ASSERT_EQ((long long)(n / RUN * (RUN - 1)), unused_or_shrunk(sh0));
	ASSERT_EQ(0, drop_slab());
	/*
	 * seeks = 0: each pass scans half of what is left, in batches of
	 * 128, until a pass frees next to nothing.
	 */
	left = mg_stat("unused_reserved_now");
	EXPECT_GE(2 * 128, left);
	EXPECT_EQ((long long)(n / RUN * (RUN - 1)) - left,
		  mg_stat("shrinker_freed") - sh0);
	/* The mapping still works: every page reads back. */
	fill(p, n, 3);
	EXPECT_EQ(0, check(p, n, 3));
	ASSERT_EQ(0, munmap(p, n * PAGE));
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

static long long meminfo_kb(const char *key)
{
	char buf[HPMM_FILE_MAX], s[64];

	if (hpmm_read_file("/proc/meminfo", buf, sizeof(buf)) < 0 ||
	    hpmm_kv_str(buf, key, s, sizeof(s)))
		return -1;
	return atoll(s + strspn(s, " "));
}

/*
 * Real reclaim: a child touches anonymous memory until the guest has only
 * a few MiB above its watermarks, so kswapd and direct reclaim run
 * shrink_slab() on the root memcg, which calls the shrinker.
 */
TEST_F_TIMEOUT(magnet, shrinker_under_reclaim, 600)
{
	long long sh0 = mg_stat("shrinker_freed"), avail, *done;
	const size_t n = 16384;
	size_t hog, i;
	char *p;
	pid_t pid;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	/* Reclaim may have run the shrinker already: the hog stops at once. */
	ASSERT_EQ((long long)(n / RUN * (RUN - 1)), unused_or_shrunk(sh0));
	done = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	avail = meminfo_kb("MemAvailable");
	ASSERT_LT(64 * 1024, avail);
	/* Past MemAvailable: the rest has to come from reclaim. */
	hog = (size_t)(avail + 64 * 1024) * 1024;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *h;

		/*
		 * The hog holds the group's file: should the harness kill
		 * the test, it must go too, or the group outlives the test.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
			_exit(1);
		h = mmap(NULL, hog, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h == MAP_FAILED)
			_exit(1);
		/* Stop as soon as the shrinker has run. */
		for (i = 0; i < hog; i += PAGE) {
			h[i] = 1;
			if (i % (4 << 20))
				continue;
			if (mg_stat("shrinker_freed") > sh0)
				break;
		}
		*done = 1 + i / PAGE;
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_LT(0, *done);
	TH_LOG("hog touched %lld MiB of %zu: shrinker gave back %lld pages, %lld unused left",
	       (*done - 1) * (long long)PAGE >> 20, hog >> 20,
	       mg_stat("shrinker_freed") - sh0,
	       mg_stat("unused_reserved_now"));
	EXPECT_LT(sh0, mg_stat("shrinker_freed"));
	fill(p, n, 4);
	EXPECT_EQ(0, check(p, n, 4));
	munmap(p, n * PAGE);
	munmap(done, PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

/*
 * A DEFRAG group of one block (512 pages) filled with reservations: faults
 * in another mapping of the group still succeed, on single pages, as the
 * reservations give way. Reservations never make a fault fail.
 */
TEST_F(magnet, full_group_falls_back)
{
	long long fb0 = mg_stat("fallbacks"), id;
	const size_t na = 512, nb = 128;
	int status;
	char *a;
	pid_t pid;

	id = hpmm_dfg_create(self->fd, "mg_full",
			     (struct hpmm_defrag_group_create){
				     .fields = HPMM_DEFRAG_GROUP_LIMIT |
					       HPMM_DEFRAG_GROUP_THRESHOLD,
				     .limit = 1, .threshold = 1000 });
	ASSERT_LT(0, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, HPMM_DEFRAG_PLACEMENT_MAGNET));
	a = map_at(self->fd, na, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, a);
	touch_groups(a, na);
	EXPECT_EQ((long long)(na / RUN * (RUN - 1)),
		  mg_stat("unused_reserved_now"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *b = map_at(self->fd, nb, 0, MAP_SHARED);

		if (b == MAP_FAILED)
			_exit(2);
		fill(b, nb, 8);
		_exit(check(b, nb, 8) ? 3 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("signal %d", WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_LE(fb0 + 1, mg_stat("fallbacks"));
	TH_LOG("fallbacks %lld, unused left %lld",
	       mg_stat("fallbacks") - fb0, mg_stat("unused_reserved_now"));
	munmap(a, na * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
}

TEST_F(magnet, debugfs_shrink)
{
	const size_t n = 256;
	char *p;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	ASSERT_EQ(0, mg_ctl("shrink 7"));
	EXPECT_EQ((long long)((n / RUN - 1) * (RUN - 1)),
		  mg_stat("unused_reserved_now"));
	ASSERT_EQ(0, mg_ctl("shrink 100000"));
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
	munmap(p, n * PAGE);
}

/* Not 32 KiB-aligned: the partial groups at the ends are left to DEFRAG. */
TEST_F(magnet, unaligned_mapping)
{
	long long edge0 = mg_stat("edge_skipped");
	const size_t n = 64;
	char *p;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 3, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	fill(p, n, 5);
	EXPECT_EQ(0, check(p, n, 5));
	/* 5 pages before the first boundary, 3 after the last. */
	EXPECT_EQ(8, mg_stat("edge_skipped") - edge0);
	EXPECT_EQ((long)(n / RUN - 1),
		  (long)contiguous_groups(p + 5 * PAGE, n - 8));
	munmap(p, n * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

TEST_F(magnet, mremap)
{
	const size_t n = 64;
	char *p, *q, *to;

	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	p = map_at(self->fd, n, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	touch_groups(p, n);
	/* Growing: refused (DEFRAG mappings do not expand). */
	q = mremap(p, n * PAGE, 2 * n * PAGE, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	EXPECT_EQ(EFAULT, errno);
	/* Moving to another alignment keeps the data, faults still work. */
	to = mmap(NULL, (n + 16) * PAGE, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, to);
	to = (char *)(((uintptr_t)to + GROUP_BYTES - 1) &
		      ~(GROUP_BYTES - 1)) + 2 * PAGE;
	q = mremap(p, n * PAGE, n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	ASSERT_EQ(to, q) TH_LOG("mremap: %s", strerror(errno));
	for (size_t g = 0; g < n; g += RUN)
		EXPECT_EQ(1, q[g * PAGE]);
	fill(q, n, 11);
	EXPECT_EQ(0, check(q, n, 11));
	munmap(q, n * PAGE);
	EXPECT_EQ(0, mg_stat("unused_reserved_now"));
}

TEST_F(magnet, bad_input)
{
	void *p;

	/* Placements that do not exist. */
	EXPECT_EQ(-EINVAL, map_placement(self->fd, 3));
	EXPECT_EQ(-EINVAL, map_placement(self->fd, 1ULL << 9));
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_placement", "default"));
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_placement", "magnets"));
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_placement", "\n"));
	ASSERT_EQ(0, map_placement(self->fd, HPMM_DEFRAG_PLACEMENT_MAGNET));
	/* Offset other than 0. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, PAGE);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* Larger than a mapping may be (4 GiB). */
	p = mmap(NULL, (4UL << 30) + PAGE, PROT_READ,
		 MAP_SHARED | MAP_NORESERVE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* Unaligned fixed address. */
	p = mmap((void *)(0x10000000UL + 123), PAGE, PROT_READ,
		 MAP_SHARED | MAP_FIXED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* Malformed control commands; the default is no command. */
	EXPECT_EQ(-EINVAL, mg_ctl("default on"));
	EXPECT_EQ(-EINVAL, mg_ctl("default"));
	EXPECT_EQ(-EINVAL, mg_ctl("shrink"));
	EXPECT_EQ(-EINVAL, mg_ctl("reset_peak 1"));
	EXPECT_EQ(-EINVAL, mg_ctl("shrink 0"));
	EXPECT_EQ(-EINVAL, mg_ctl("shrink x"));
	EXPECT_EQ(-EINVAL, mg_ctl("bogus"));
	EXPECT_EQ(0, mg_stat("maps"));
}

TEST_HARNESS_MAIN
