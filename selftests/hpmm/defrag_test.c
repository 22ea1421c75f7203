// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm DEFRAG tests: allocation groups (create, destroy, limits, cgroup
 * charging), isolation between groups, pages of an mmap of /dev/hpmm moved
 * by compaction under a running reader (data unchanged, pfn changed, in
 * every process that maps them), compaction for a 2 MiB allocation and in
 * the background, pay-as-you-go return of blocks, the refusal paths (bad
 * ioctls, malformed control writes, double and foreign frees) and rmmod
 * refused while groups exist.
 *
 * Run as root with hpmm loaded (hpmm.sh does both). Exits 4 (skip) when
 * not root or when hpmm has no defrag component.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* 6.1's harness leaves a parameter of its SIGALRM handler unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include <uapi/hpmm.h>
#include <uapi/hpmm-defrag.h>

#include "hpmm_test.h"

#define DFG_DIR		HPMM_DBG_ROOT "/defrag"
#define PAGE		4096UL
#define BLOCK_PAGES	512UL
#define NO_VALUE	LLONG_MIN

/* One write(2) of a command to a control file: 0 or -errno. */
static int dfg_write(const char *path, const char *cmd)
{
	ssize_t n;
	int fd, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	ret = n < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int __attribute__((format(printf, 1, 2))) dfg_ctl(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return dfg_write(DFG_DIR "/control", cmd);
}

/* A value of a "key: value" file under defrag/, or NO_VALUE. */
static long long dfg_value(const char *file, const char *key)
{
	char buf[HPMM_FILE_MAX];
	long long v;

	if (hpmm_read_filef(buf, sizeof(buf), DFG_DIR "/%s", file) < 0 ||
	    hpmm_kv_ll(buf, key, &v))
		return NO_VALUE;
	return v;
}

static long long gstat(const char *group, const char *key)
{
	char file[256];

	snprintf(file, sizeof(file), "groups/%s/stats", group);
	return dfg_value(file, key);
}

/* Pages of the group allocated and not parked in a per-CPU cache. */
static long long glive(const char *group, const char *mobility)
{
	char key[64];

	snprintf(key, sizeof(key), "used_%s", mobility);
	return gstat(group, key);
}

static long long live_pages(void)
{
	long long pages, maps;

	if (hpmm_read_live(&pages, &maps))
		return NO_VALUE;
	return pages;
}

static int dfg_alloc(int fd, __u64 group, unsigned int order,
		     unsigned int mob, __u64 *pfn)
{
	struct hpmm_defrag_alloc a = {
		.size = sizeof(a),
		.group = group,
		.order = order,
		.mobility = mob,
	};

	if (ioctl(fd, HPMM_DEFRAG_IOCTL_ALLOC, &a))
		return -errno;
	*pfn = a.pfn;
	return 0;
}

static int dfg_free(int fd, __u64 pfn, unsigned int order)
{
	struct hpmm_defrag_free f = {
		.size = sizeof(f),
		.pfn = pfn,
		.order = order,
	};

	return ioctl(fd, HPMM_DEFRAG_IOCTL_FREE, &f) ? -errno : 0;
}

static int dfg_map_group(int fd, __u64 group, __u64 flags)
{
	struct hpmm_defrag_map m = {
		.size = sizeof(m),
		.group = group,
		.flags = flags,
	};

	return ioctl(fd, HPMM_DEFRAG_IOCTL_MAP, &m) ? -errno : 0;
}

/* The pfn mapped at @p in this process (0 when not present). */
static uint64_t pfn_of(const void *p)
{
	uint64_t e = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (uintptr_t)p / PAGE * sizeof(e)) !=
	    sizeof(e))
		e = 0;
	close(fd);
	if (!(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

static uint64_t pattern(size_t page, size_t word)
{
	return (page << 32) ^ (word * 0x9e3779b97f4a7c15ULL) ^ 0xa5a5a5a5ULL;
}

static void fill(uint64_t *p, size_t page)
{
	size_t w;

	for (w = 0; w < PAGE / 8; w++)
		p[w] = pattern(page, w);
}

/* Pages of @map whose content is not their pattern. */
static size_t check_pattern(const char *map, size_t pages)
{
	size_t i, w, bad = 0;

	for (i = 0; i < pages; i++) {
		const volatile uint64_t *p =
			(const volatile uint64_t *)(map + i * PAGE);

		for (w = 0; w < PAGE / 8; w++) {
			if (p[w] != pattern(i, w)) {
				bad++;
				break;
			}
		}
	}
	return bad;
}

static void destroy_test_groups(void)
{
	static const char *const names[] = {
		"kt_cd", "kt_lim", "kt_mv", "kt_huge", "kt_bg", "kt_quiet",
		"kt_abuse", "kt_payg", "kt_cg", "kt_rm", "kt_bad",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		dfg_ctl("destroy %s", names[i]);
}

FIXTURE(defrag) {
	int fd;
	long long live0;
};

FIXTURE_SETUP(defrag)
{
	self->fd = -1;
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	destroy_test_groups();
	ASSERT_EQ(0, dfg_ctl("payg_low 0"));
	self->live0 = live_pages();
	ASSERT_NE(NO_VALUE, self->live0);
}

FIXTURE_TEARDOWN(defrag)
{
	if (self->fd >= 0)
		close(self->fd);
	destroy_test_groups();
	dfg_ctl("payg_low 0");
}

/* Creates group @name with @opts and returns its id (0 on failure). */
static __u64 make_group(struct __test_metadata *_metadata, const char *name,
			const char *opts)
{
	long long id;
	int ret;

	ret = dfg_ctl("create %s %s", name, opts);
	EXPECT_EQ(0, ret) TH_LOG("create %s %s: %s", name, opts,
				 strerror(-ret));
	id = gstat(name, "id");
	EXPECT_LT(1, id);
	return id > 0 ? id : 0;
}

TEST_F(defrag, group_create_destroy)
{
	char buf[HPMM_FILE_MAX], s[64];
	__u64 id;

	id = make_group(_metadata, "kt_cd", "limit=4 policy=firstfit threshold=700");
	ASSERT_NE(0ULL, id);
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_cd/stats", buf,
				    sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_str(buf, "policy", s, sizeof(s)));
	EXPECT_STREQ("firstfit", s);
	EXPECT_EQ(4, gstat("kt_cd", "limit"));
	EXPECT_EQ(700, gstat("kt_cd", "threshold"));
	EXPECT_EQ(0, gstat("kt_cd", "blocks"));
	EXPECT_EQ(0, access(DFG_DIR "/groups/kt_cd/map", R_OK));
	EXPECT_EQ(0, access(DFG_DIR "/groups/kt_cd/blocks", R_OK));

	EXPECT_EQ(-EEXIST, dfg_ctl("create kt_cd"));
	EXPECT_EQ(0, dfg_ctl("set kt_cd limit=6 policy=grouping"));
	EXPECT_EQ(6, gstat("kt_cd", "limit"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_cd"));
	EXPECT_NE(0, access(DFG_DIR "/groups/kt_cd", F_OK));
	EXPECT_EQ(-ENOENT, dfg_ctl("destroy kt_cd"));
	EXPECT_EQ(-ENOENT, dfg_ctl("set kt_cd limit=1"));
	EXPECT_EQ(-ENOENT, dfg_ctl("compact kt_cd"));
	/* The default group stays. */
	EXPECT_EQ(-EPERM, dfg_ctl("destroy default"));
	EXPECT_EQ(1, gstat("default", "id"));
	/* Ids are not reused while the module lives. */
	id = make_group(_metadata, "kt_cd", "");
	EXPECT_EQ(0, dfg_ctl("destroy kt_cd"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, group_limits)
{
	__u64 id, pfn[3] = { 0 }, p = 0;
	long long n = 0;
	__u64 *small;
	int i, ret;

	id = make_group(_metadata, "kt_lim", "limit=2");
	ASSERT_NE(0ULL, id);
	/* Two 2 MiB allocations fill it; a third is refused. */
	ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE, &pfn[0]));
	ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_UNMOVABLE, &pfn[1]));
	EXPECT_EQ(0ULL, pfn[0] % BLOCK_PAGES);
	EXPECT_EQ(-ENOMEM, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE,
				     &pfn[2]));
	EXPECT_EQ(-ENOMEM, dfg_alloc(self->fd, id, 0, HPMM_DEFRAG_MOVABLE, &p));
	EXPECT_EQ(2, gstat("kt_lim", "blocks"));
	EXPECT_EQ(2, gstat("kt_lim", "huge_blocks"));
	EXPECT_EQ(self->live0 + 2 * (long long)BLOCK_PAGES, live_pages());
	EXPECT_EQ(0, dfg_free(self->fd, pfn[0], 9));
	ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE, &pfn[2]));
	EXPECT_EQ(0, dfg_free(self->fd, pfn[1], 9));
	EXPECT_EQ(0, dfg_free(self->fd, pfn[2], 9));
	EXPECT_EQ(0, gstat("kt_lim", "blocks"));
	EXPECT_EQ(self->live0, live_pages());

	/* Order-0 pages until the limit: at most two blocks' worth. */
	small = calloc(2 * BLOCK_PAGES + 1, sizeof(*small));
	ASSERT_NE(NULL, small);
	for (i = 0; i < (int)(2 * BLOCK_PAGES + 1); i++) {
		ret = dfg_alloc(self->fd, id, 0, HPMM_DEFRAG_UNMOVABLE,
				&small[n]);
		if (ret)
			break;
		n++;
	}
	EXPECT_EQ(-ENOMEM, ret);
	/* Per-CPU caches of other CPUs may hold a few. */
	EXPECT_LE(n, (long long)(2 * BLOCK_PAGES));
	EXPECT_LE((long long)(2 * BLOCK_PAGES - 2 * 128), n);
	EXPECT_EQ(2, gstat("kt_lim", "blocks"));
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, dfg_free(self->fd, small[i], 0));
	free(small);
	EXPECT_EQ(0, dfg_ctl("drain kt_lim"));
	EXPECT_EQ(0, gstat("kt_lim", "used_unmovable"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_lim"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, isolation)
{
	char before[HPMM_FILE_MAX], after[HPMM_FILE_MAX];
	__u64 quiet, abuse, *pfn, *ord;
	int round, i, n, ret;
	unsigned int seed = 1;

	quiet = make_group(_metadata, "kt_quiet", "limit=4 reserve=4");
	abuse = make_group(_metadata, "kt_abuse", "limit=8");
	ASSERT_NE(0ULL, quiet);
	ASSERT_NE(0ULL, abuse);
	EXPECT_EQ(4, gstat("kt_quiet", "free_blocks"));
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_quiet/blocks", before,
				    sizeof(before)));

	pfn = calloc(8 * BLOCK_PAGES, sizeof(*pfn));
	ord = calloc(8 * BLOCK_PAGES, sizeof(*ord));
	ASSERT_NE(NULL, pfn);
	ASSERT_NE(NULL, ord);
	n = 0;
	for (round = 0; round < 3; round++) {
		/* Fill to the limit with a mix of orders and mobility... */
		for (;;) {
			unsigned int o = rand_r(&seed) % 4;

			ret = dfg_alloc(self->fd, abuse, o, rand_r(&seed) % 3,
					&pfn[n]);
			if (ret)
				break;
			ord[n++] = o;
			if (n == (int)(8 * BLOCK_PAGES))
				break;
		}
		EXPECT_EQ(-ENOMEM, ret);
		EXPECT_GE(8, gstat("kt_abuse", "blocks"));
		/* ...free half of it at random and compact. */
		for (i = 0; i < n;) {
			if (rand_r(&seed) % 2) {
				ASSERT_EQ(0, dfg_free(self->fd, pfn[i], ord[i]));
				pfn[i] = pfn[n - 1];
				ord[i] = ord[--n];
			} else {
				i++;
			}
		}
		EXPECT_EQ(0, dfg_ctl("compact kt_abuse"));
	}
	/* The quiet group's blocks are the same ones, still free. */
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_quiet/blocks", after,
				    sizeof(after)));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(4, gstat("kt_quiet", "free_blocks"));
	EXPECT_EQ(4, gstat("kt_quiet", "blocks"));
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, dfg_free(self->fd, pfn[i], ord[i]));
	free(pfn);
	free(ord);
	EXPECT_EQ(0, dfg_ctl("destroy kt_abuse"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_quiet"));
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * Maps two regions of @pages pages from the group of @fd, faulted in
 * alternately so that they share blocks, fills the first with its
 * pattern, and unmaps the second: the blocks are left half used.
 */
static char *fragmented_map(struct __test_metadata *_metadata, int fd,
			    size_t pages)
{
	char *a, *b;
	size_t i;

	a = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		TH_LOG("mmap: %s", strerror(errno));
		return NULL;
	}
	for (i = 0; i < pages; i++) {
		fill((uint64_t *)(a + i * PAGE), i);
		memset(b + i * PAGE, 0x5a, PAGE);
	}
	munmap(b, pages * PAGE);
	return a;
}

struct reader {
	const char *map;
	size_t pages;
	volatile int stop;
	size_t rounds;
	size_t bad;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	while (!r->stop) {
		r->bad += check_pattern(r->map, r->pages);
		r->rounds++;
	}
	return NULL;
}

TEST_F(defrag, pattern_survives_moves)
{
	const size_t pages = BLOCK_PAGES;
	uint64_t *old_pfn, *new_pfn, *child_pfn;
	struct reader r = { .pages = pages };
	long long moved = 0, recovered = 0;
	int go[2], status, tries;
	size_t i, changed = 0;
	pthread_t th;
	pid_t pid;
	char *a;
	__u64 id;

	id = make_group(_metadata, "kt_mv", "limit=8 threshold=1000");
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, dfg_map_group(self->fd, id, 0));
	a = fragmented_map(_metadata, self->fd, pages);
	ASSERT_NE(NULL, a);
	EXPECT_EQ((long long)pages, glive("kt_mv", "movable"));
	EXPECT_EQ(2, gstat("kt_mv", "blocks"));

	old_pfn = calloc(pages, sizeof(*old_pfn));
	new_pfn = calloc(pages, sizeof(*new_pfn));
	child_pfn = mmap(NULL, pages * sizeof(*child_pfn),
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	ASSERT_NE(NULL, old_pfn);
	ASSERT_NE(NULL, new_pfn);
	ASSERT_NE(MAP_FAILED, child_pfn);
	for (i = 0; i < pages; i++) {
		old_pfn[i] = pfn_of(a + i * PAGE);
		ASSERT_NE(0ULL, old_pfn[i]);
	}

	/* A child maps the same pages (inherited) and checks them later. */
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char c;

		close(go[1]);
		if (check_pattern(a, pages))
			_exit(2);
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		if (check_pattern(a, pages))
			_exit(4);
		for (i = 0; i < pages; i++)
			child_pfn[i] = pfn_of(a + i * PAGE);
		_exit(0);
	}
	close(go[0]);

	/* Compact while a thread keeps reading the pages. */
	r.map = a;
	ASSERT_EQ(0, pthread_create(&th, NULL, reader_fn, &r));
	for (tries = 0; tries < 5 && recovered < 1; tries++) {
		EXPECT_EQ(0, dfg_ctl("compact kt_mv"));
		recovered = gstat("kt_mv", "compact_recovered_blocks");
	}
	/* Let the reader fault the moved pages back in. */
	usleep(200000);
	r.stop = 1;
	pthread_join(th, NULL);
	moved = gstat("kt_mv", "compact_moved_pages");
	EXPECT_LE(1, recovered);
	EXPECT_LE(1, moved);
	EXPECT_EQ(0ULL, r.bad);
	EXPECT_LT(0ULL, r.rounds);
	EXPECT_EQ(0ULL, check_pattern(a, pages));
	for (i = 0; i < pages; i++) {
		new_pfn[i] = pfn_of(a + i * PAGE);
		EXPECT_NE(0ULL, new_pfn[i]);
		changed += new_pfn[i] != old_pfn[i];
	}
	EXPECT_LE((size_t)moved, changed);
	EXPECT_LT(0ULL, changed);
	/* The group holds one block fewer, with the same pages in use. */
	EXPECT_EQ(1, gstat("kt_mv", "blocks"));
	EXPECT_EQ((long long)pages, glive("kt_mv", "movable"));

	/* The other process sees the same data at the same new pages. */
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	for (i = 0; i < pages; i++)
		EXPECT_EQ(new_pfn[i], child_pfn[i]);
	close(go[1]);

	munmap(a, pages * PAGE);
	munmap(child_pfn, pages * sizeof(*child_pfn));
	free(old_pfn);
	free(new_pfn);
	EXPECT_EQ(0, gstat("kt_mv", "blocks"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_mv"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, compaction_for_a_huge_allocation)
{
	__u64 id, pfn = 0, pfn2 = 0;
	char *a;

	/* Two half-used blocks and no room: a 2 MiB request compacts. */
	id = make_group(_metadata, "kt_huge", "limit=2 threshold=1000");
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, dfg_map_group(self->fd, id, 0));
	a = fragmented_map(_metadata, self->fd, BLOCK_PAGES);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2, gstat("kt_huge", "blocks"));
	EXPECT_EQ(0, gstat("kt_huge", "free_blocks"));
	ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE, &pfn));
	EXPECT_LE(1, gstat("kt_huge", "compact_runs_alloc"));
	EXPECT_EQ(1, gstat("kt_huge", "compact_recovered_blocks"));
	EXPECT_EQ((long long)BLOCK_PAGES / 2,
		  gstat("kt_huge", "compact_moved_pages"));
	EXPECT_EQ(gstat("kt_huge", "compact_min_moves"),
		  gstat("kt_huge", "compact_moved_pages"));
	EXPECT_EQ(0ULL, check_pattern(a, BLOCK_PAGES));
	/* Full now: the next one fails. */
	EXPECT_EQ(-ENOMEM, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE,
				     &pfn2));
	EXPECT_EQ(0, dfg_free(self->fd, pfn, 9));
	munmap(a, BLOCK_PAGES * PAGE);
	EXPECT_EQ(0, dfg_ctl("destroy kt_huge"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, background_compaction)
{
	long long runs = 0;
	int waited;
	__u64 id;
	char *a;

	id = make_group(_metadata, "kt_bg", "limit=4 threshold=100");
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, dfg_map_group(self->fd, id, 0));
	a = fragmented_map(_metadata, self->fd, BLOCK_PAGES);
	ASSERT_NE(NULL, a);
	/* Half of the free memory is scattered: over the threshold. */
	for (waited = 0; waited < 100 && runs < 1; waited++) {
		usleep(100000);
		runs = gstat("kt_bg", "compact_runs_background");
	}
	EXPECT_LE(1, runs);
	for (waited = 0; waited < 50; waited++) {
		if (gstat("kt_bg", "blocks") == 1)
			break;
		usleep(100000);
	}
	EXPECT_EQ(1, gstat("kt_bg", "blocks"));
	EXPECT_LE(1, gstat("kt_bg", "compact_recovered_blocks"));
	EXPECT_EQ(0ULL, check_pattern(a, BLOCK_PAGES));
	munmap(a, BLOCK_PAGES * PAGE);
	EXPECT_EQ(0, dfg_ctl("destroy kt_bg"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, payg_return)
{
	long long held0, returned0;
	__u64 id, pfn[4] = { 0 };
	int i;

	id = make_group(_metadata, "kt_payg", "limit=8");
	ASSERT_NE(0ULL, id);
	held0 = dfg_value("stats", "blocks_held");
	returned0 = dfg_value("stats", "blocks_returned");
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE,
				       &pfn[i]));
	EXPECT_EQ(held0 + 4, dfg_value("stats", "blocks_held"));
	EXPECT_EQ(self->live0 + 4 * (long long)BLOCK_PAGES, live_pages());
	/* Low watermark 0: every free block goes straight back. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, dfg_free(self->fd, pfn[i], 9));
	EXPECT_EQ(held0, dfg_value("stats", "blocks_held"));
	EXPECT_EQ(returned0 + 4, dfg_value("stats", "blocks_returned"));
	EXPECT_EQ(self->live0, live_pages());

	/* Low watermark 2: two stay in the pool, the rest go back. */
	ASSERT_EQ(0, dfg_ctl("payg_low 2"));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, dfg_alloc(self->fd, id, 9, HPMM_DEFRAG_MOVABLE,
				       &pfn[i]));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, dfg_free(self->fd, pfn[i], 9));
	EXPECT_EQ(2, dfg_value("stats", "pool_blocks"));
	EXPECT_EQ(returned0 + 6, dfg_value("stats", "blocks_returned"));
	EXPECT_EQ(self->live0 + 2 * (long long)BLOCK_PAGES, live_pages());
	ASSERT_EQ(0, dfg_ctl("payg_low 0"));
	EXPECT_EQ(0, dfg_value("stats", "pool_blocks"));
	EXPECT_EQ(self->live0, live_pages());
	EXPECT_EQ(0, dfg_ctl("destroy kt_payg"));
}

TEST_F(defrag, cgroup_charging)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg";
	long long def_before, cg_live;
	int ready[2], done[2], status;
	__u64 id, pfn = 0;
	pid_t pid;
	char c;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "mkdir %s: %s", cg, strerror(errno));
	id = make_group(_metadata, "kt_cg", "cgroup=/kt_dfg limit=8");
	ASSERT_NE(0ULL, id);
	EXPECT_EQ(-ENOENT, dfg_ctl("set kt_cg cgroup=/no_such_cgroup"));
	EXPECT_EQ(-EINVAL, dfg_ctl("set kt_cg cgroup=relative"));
	def_before = glive("default", "movable") -
		     gstat("default", "pcp_pages");

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char procs[256], me[32];
		char *m;
		int fd, i;

		close(ready[0]);
		close(done[1]);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(me, sizeof(me), "%d", getpid());
		if (dfg_write(procs, me))
			_exit(2);
		fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(3);
		/* Group 0 and no MAP ioctl: charged by cgroup. */
		for (i = 0; i < 10; i++)
			if (dfg_alloc(fd, 0, 0, HPMM_DEFRAG_MOVABLE, &pfn))
				_exit(4);
		m = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (m == MAP_FAILED)
			_exit(5);
		for (i = 0; i < 64; i++)
			m[i * PAGE] = 1;
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(6);
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		TH_LOG("child status %d", status);
	}
	cg_live = glive("kt_cg", "movable") - gstat("kt_cg", "pcp_pages");
	EXPECT_EQ(74, cg_live);
	EXPECT_EQ(def_before, glive("default", "movable") -
			      gstat("default", "pcp_pages"));

	/* This process is not in the cgroup: the default group. */
	ASSERT_EQ(0, dfg_alloc(self->fd, 0, 0, HPMM_DEFRAG_MOVABLE, &pfn));
	EXPECT_EQ(def_before + 1, glive("default", "movable") -
				  gstat("default", "pcp_pages"));
	EXPECT_EQ(0, dfg_free(self->fd, pfn, 0));

	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status %d", status);
	close(ready[0]);
	close(done[1]);
	/* Its exit gave everything back. */
	EXPECT_EQ(0, dfg_ctl("drain kt_cg"));
	EXPECT_EQ(0, glive("kt_cg", "movable"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_cg"));
	EXPECT_EQ(0, rmdir(cg)) TH_LOG("rmdir: %s", strerror(errno));
	EXPECT_EQ(0, dfg_ctl("drain default"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, bad_input)
{
	static const char *const bad_cmds[] = {
		"", "\n", "create", "create kt_bad limit", "create kt_bad limit=",
		"create kt_bad limit=x", "create kt_bad limit=1 limit=2",
		"create kt_bad foo=1", "create kt_bad policy=best",
		"create kt_bad threshold=1001", "create a/b", "create .x",
		"create kt_bad_name_that_is_far_too_long_for_a_group",
		"destroy", "destroy a b", "set kt_bad", "compact", "payg_low",
		"payg_low -1", "payg_low x", "check now", "frobnicate",
	};
	long long dbl, frn, ord, busy, ballocs;
	struct hpmm_defrag_alloc a = { .size = sizeof(a) };
	char big[300];
	__u64 pfn = 0, id;
	size_t i;
	void *m;

	for (i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
		const char *cmd = bad_cmds[i];

		EXPECT_EQ(-EINVAL, dfg_ctl("%s", cmd)) TH_LOG("\"%s\"", cmd);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-EINVAL, dfg_ctl("%s", big));
	EXPECT_NE(0, access(DFG_DIR "/groups/kt_bad", F_OK));

	/* ioctls: unknown group, order, mobility, pfn, flags. */
	EXPECT_EQ(-ENOENT, dfg_alloc(self->fd, 999999, 0, 0, &pfn));
	EXPECT_EQ(-EINVAL, dfg_alloc(self->fd, 1, 10, 0, &pfn));
	EXPECT_EQ(-EINVAL, dfg_alloc(self->fd, 1, 0, 3, &pfn));
	a.size = 8;
	EXPECT_NE(0, ioctl(self->fd, HPMM_DEFRAG_IOCTL_ALLOC, &a));
	EXPECT_EQ(-ENOENT, dfg_free(self->fd, 0x1234, 0));
	id = make_group(_metadata, "kt_bad", "limit=1");
	ASSERT_EQ(0, dfg_alloc(self->fd, id, 2, 0, &pfn));
	EXPECT_EQ(-EINVAL, dfg_free(self->fd, pfn, 1));
	EXPECT_EQ(-ENOENT, dfg_free(self->fd, pfn + 1, 0));
	EXPECT_EQ(-EBUSY, dfg_ctl("destroy kt_bad"));
	EXPECT_EQ(0, dfg_free(self->fd, pfn, 2));
	EXPECT_EQ(-ENOENT, dfg_free(self->fd, pfn, 2));
	EXPECT_EQ(-EINVAL, dfg_map_group(self->fd, 0, 1ULL << 40));
	EXPECT_EQ(-EINVAL, dfg_map_group(self->fd, 0, HPMM_DEFRAG_MAP_MAGNET |
					 HPMM_DEFRAG_MAP_NOMAGNET));
	EXPECT_EQ(-ENOENT, dfg_map_group(self->fd, 999999, 0));

	/* mmap: an offset, too large. */
	ASSERT_EQ(0, dfg_map_group(self->fd, id, 0));
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, PAGE);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	m = mmap(NULL, (4UL << 30) + PAGE, PROT_READ, MAP_SHARED | MAP_NORESERVE,
		 self->fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	/* Beyond its limit a fault gets SIGBUS, not a bigger group. */
	EXPECT_EQ(0, dfg_ctl("destroy kt_bad"));

	/* The kernel-side refusal paths, counted. */
	dbl = dfg_value("stats", "double_frees");
	frn = dfg_value("stats", "foreign_frees");
	ord = dfg_value("stats", "bad_order_frees");
	busy = dfg_value("stats", "busy_frees");
	ballocs = dfg_value("stats", "bad_allocs");
	EXPECT_EQ(0, dfg_ctl("check"));
	EXPECT_EQ(dbl + 3, dfg_value("stats", "double_frees"));
	EXPECT_EQ(frn + 1, dfg_value("stats", "foreign_frees"));
	EXPECT_EQ(ord + 5, dfg_value("stats", "bad_order_frees"));
	EXPECT_EQ(busy + 1, dfg_value("stats", "busy_frees"));
	EXPECT_EQ(ballocs + 2, dfg_value("stats", "bad_allocs"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, fault_beyond_limit_is_sigbus)
{
	int status;
	pid_t pid;
	__u64 id;

	id = make_group(_metadata, "kt_bad", "limit=1");
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, dfg_map_group(self->fd, id, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *m = mmap(NULL, 2 * BLOCK_PAGES * PAGE,
			       PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
		size_t i;

		if (m == MAP_FAILED)
			_exit(2);
		for (i = 0; i < 2 * BLOCK_PAGES; i++)
			m[i * PAGE] = 1;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGBUS, WTERMSIG(status));
	EXPECT_EQ(0, gstat("kt_bad", "blocks"));
	EXPECT_EQ(0, dfg_ctl("destroy kt_bad"));
	EXPECT_EQ(self->live0, live_pages());
}

/* Last: it needs every other reference on the module gone. */
TEST_F(defrag, rmmod_refused_with_live_groups)
{
	int ret;

	if (system("command -v rmmod >/dev/null 2>&1"))
		SKIP(return, "no rmmod");
	ASSERT_NE(0ULL, make_group(_metadata, "kt_rm", ""));
	close(self->fd);
	self->fd = -1;
	ret = system("rmmod hpmm >/dev/null 2>&1");
	EXPECT_NE(0, ret);
	ASSERT_EQ(0, access(HPMM_SYS_MODULE, F_OK))
		TH_LOG("rmmod unloaded hpmm with a group alive");
	EXPECT_EQ(0, dfg_ctl("destroy kt_rm"));
}

TEST_HARNESS_MAIN
