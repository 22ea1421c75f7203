// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm DEFRAG tests: allocation groups as objects of /dev/hpmm (create,
 * settings, destroy, release with the file, limits, cgroup charging),
 * isolation between groups, pages of an mmap of /dev/hpmm moved by
 * compaction under a running reader (data unchanged, pfn changed, in every
 * process that maps them), compaction for a 2 MiB allocation and in the
 * background, pay-as-you-go return of blocks, and every refusal (bad
 * ioctls and settings, malformed control writes, double and foreign frees,
 * a group in use, a cgroup the caller may not write).
 *
 * Kernel-held pages come from hpmm_test.ko (HPMM_TEST_DEFRAG_ALLOC): run as
 * root with hpmm and hpmm_test loaded (hpmm.sh does both). Exits 4 (skip)
 * when not root or when hpmm has no defrag component.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"

#define DFG_DIR		HPMM_DFG_DIR
#define PAGE		4096UL
#define BLOCK_PAGES	512UL
#define NO_VALUE	LLONG_MIN

/* Group settings, for hpmm_dfg_create(). */
#define LIMIT(n)	.limit = (n)
#define F(x)		HPMM_DEFRAG_GROUP_##x

static int dfg_write(const char *path, const char *cmd)
{
	return hpmm_write_str(path, cmd);
}

/* A value of a "key: value" file under defrag/, or NO_VALUE. */
static long long dfg_value(const char *file, const char *key)
{
	return hpmm_dbg_value(key, DFG_DIR "/%s", file);
}

static long long gstat(const char *group, const char *key)
{
	return hpmm_dfg_gstat(group, key);
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

static bool group_listed(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DFG_DIR "/groups/%s", name);
	return !access(path, F_OK);
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

FIXTURE(defrag) {
	int fd;		/* /dev/hpmm: owns the groups */
	int tfd;	/* /dev/hpmm_test: kernel-held pages */
	long long live0;
};

FIXTURE_SETUP(defrag)
{
	self->fd = -1;
	self->tfd = -1;
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	/*
	 * With several NUMA nodes a page comes from the node of the CPU that
	 * faults or allocates it: the block counts asserted here are for one
	 * node, so the test (and its children) stays on one CPU.
	 */
	if (!access("/sys/devices/system/node/node1", F_OK)) {
		int cpu = sched_getcpu();
		cpu_set_t set;

		ASSERT_LE(0, cpu);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	}
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	self->tfd = hpmm_test_open();
	ASSERT_LE(0, self->tfd) TH_LOG("%s: %s (hpmm_test.ko loaded?)",
				       HPMM_TEST_NODE, strerror(-self->tfd));
	ASSERT_EQ(0, hpmm_param_set("defrag_payg_low", "0"));
	self->live0 = live_pages();
	ASSERT_NE(NO_VALUE, self->live0);
}

FIXTURE_TEARDOWN(defrag)
{
	/* Closing the files destroys their groups and frees their pages. */
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->fd >= 0)
		close(self->fd);
	hpmm_param_set("defrag_payg_low", "0");
}

/* Creates group @name on @fd and returns its id (0 on failure). */
static __u64 make_group(struct __test_metadata *_metadata, int fd,
			const char *name, struct hpmm_defrag_group_create c)
{
	long long id = hpmm_dfg_create(fd, name, c);

	EXPECT_LT(0, id) TH_LOG("create %s: %s", name, strerror((int)-id));
	EXPECT_EQ(id, gstat(name, "id"));
	return id > 0 ? id : 0;
}

TEST_F(defrag, group_create_destroy)
{
	char buf[HPMM_FILE_MAX], s[64];
	__u64 id, id2;
	int fd2;

	id = make_group(_metadata, self->fd, "kt_cd",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(POLICY) | F(THRESHOLD),
				LIMIT(4),
				.policy = HPMM_DEFRAG_POLICY_FIRSTFIT,
				.threshold = 700 });
	ASSERT_NE(0ULL, id);
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_cd/stats", buf,
				    sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_str(buf, "policy", s, sizeof(s)));
	EXPECT_STREQ("firstfit", s);
	ASSERT_EQ(0, hpmm_kv_str(buf, "cgroup", s, sizeof(s)));
	EXPECT_STREQ("none", s);
	EXPECT_EQ(4, gstat("kt_cd", "limit"));
	EXPECT_EQ(0, gstat("kt_cd", "reserve"));
	EXPECT_EQ(700, gstat("kt_cd", "threshold"));
	EXPECT_EQ(0, gstat("kt_cd", "blocks"));
	EXPECT_EQ(0, gstat("kt_cd", "users"));
	EXPECT_EQ(0, access(DFG_DIR "/groups/kt_cd/map", R_OK));
	EXPECT_EQ(0, access(DFG_DIR "/groups/kt_cd/blocks", R_OK));

	/* Names are unique in the module, whatever file asks. */
	EXPECT_EQ(-EEXIST, hpmm_dfg_create(self->fd, "kt_cd",
					   (struct hpmm_defrag_group_create){}));
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
		.fields = F(LIMIT) | F(POLICY),
		LIMIT(6), .policy = HPMM_DEFRAG_POLICY_GROUPING }));
	EXPECT_EQ(6, gstat("kt_cd", "limit"));
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
		.fields = F(THRESHOLD), .threshold = 1000 }));
	EXPECT_EQ(1000, gstat("kt_cd", "threshold"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_FALSE(group_listed("kt_cd"));
	EXPECT_EQ(-ENOENT, hpmm_destroy(self->fd, id));
	EXPECT_EQ(-ENOENT, hpmm_dfg_set(self->fd, id,
					(struct hpmm_defrag_group_set){
						.fields = F(LIMIT), LIMIT(1) }));
	EXPECT_EQ(-ENOENT, hpmm_dfg_compact(self->fd, id, 0));
	EXPECT_EQ(-ENOENT, hpmm_dfg_ctl("compact kt_cd"));
	/* The default group is the module's: no object, id 0. */
	EXPECT_EQ(0, gstat("default", "id"));
	EXPECT_EQ(-ENOENT, hpmm_destroy(self->fd, 0));

	/* The name is free again. */
	id2 = make_group(_metadata, self->fd, "kt_cd",
			 (struct hpmm_defrag_group_create){});
	EXPECT_NE(0ULL, id2);
	EXPECT_EQ(0, hpmm_destroy(self->fd, id2));

	/* A group goes with the file that made it. */
	fd2 = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	id = make_group(_metadata, fd2, "kt_cd",
			(struct hpmm_defrag_group_create){
				.fields = F(RESERVE), .reserve = 2 });
	EXPECT_EQ(2, gstat("kt_cd", "free_blocks"));
	EXPECT_EQ(self->live0 + 2 * (long long)BLOCK_PAGES, live_pages());
	/* Another file cannot name it. */
	EXPECT_EQ(-ENOENT, hpmm_destroy(self->fd, id));
	EXPECT_EQ(-ENOENT, hpmm_dfg_map(self->fd, id, 0));
	EXPECT_EQ(-ENOENT, hpmm_dfg_compact(self->fd, id, 0));
	close(fd2);
	EXPECT_FALSE(group_listed("kt_cd"));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, group_limits)
{
	__u64 id, pfn[3] = { 0 }, p = 0;
	long long n = 0;
	__u64 *small;
	int i, ret;

	id = make_group(_metadata, self->fd, "kt_lim",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT), LIMIT(2) });
	ASSERT_NE(0ULL, id);
	/* Two 2 MiB allocations fill it; a third is refused. */
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9, HPMM_TEST_DEFRAG_MOVABLE,
				    &pfn[0]));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9,
				    HPMM_TEST_DEFRAG_UNMOVABLE, &pfn[1]));
	EXPECT_EQ(0ULL, pfn[0] % BLOCK_PAGES);
	EXPECT_EQ(-ENOMEM, hpmm_dfg_alloc(self->tfd, id, 9,
					  HPMM_TEST_DEFRAG_MOVABLE, &pfn[2]));
	EXPECT_EQ(-ENOMEM, hpmm_dfg_alloc(self->tfd, id, 0,
					  HPMM_TEST_DEFRAG_MOVABLE, &p));
	EXPECT_EQ(2, gstat("kt_lim", "blocks"));
	EXPECT_EQ(2, gstat("kt_lim", "huge_blocks"));
	EXPECT_EQ(self->live0 + 2 * (long long)BLOCK_PAGES, live_pages());
	/* Test pages hold the group: it cannot be destroyed. */
	EXPECT_EQ(-EBUSY, hpmm_destroy(self->fd, id));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[0], 9));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9, HPMM_TEST_DEFRAG_MOVABLE,
				    &pfn[2]));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[1], 9));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[2], 9));
	EXPECT_EQ(0, gstat("kt_lim", "blocks"));
	EXPECT_EQ(self->live0, live_pages());

	/* Order-0 pages until the limit: at most two blocks' worth. */
	small = calloc(2 * BLOCK_PAGES + 1, sizeof(*small));
	ASSERT_NE(NULL, small);
	for (i = 0; i < (int)(2 * BLOCK_PAGES + 1); i++) {
		ret = hpmm_dfg_alloc(self->tfd, id, 0,
				     HPMM_TEST_DEFRAG_UNMOVABLE, &small[n]);
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
		EXPECT_EQ(0, hpmm_dfg_free(self->tfd, small[i], 0));
	free(small);
	EXPECT_EQ(0, hpmm_dfg_ctl("drain kt_lim"));
	EXPECT_EQ(0, gstat("kt_lim", "used_unmovable"));
	/* A smaller limit gives free blocks back; the reserve is kept. */
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
		.fields = F(RESERVE), .reserve = 2 }));
	EXPECT_EQ(2, gstat("kt_lim", "free_blocks"));
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
		.fields = F(RESERVE) | F(LIMIT), .reserve = 0, LIMIT(1) }));
	EXPECT_EQ(0, gstat("kt_lim", "blocks"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, isolation)
{
	char before[HPMM_FILE_MAX], after[HPMM_FILE_MAX];
	__u64 quiet, abuse, *pfn, *ord;
	int round, i, n, ret;
	unsigned int seed = 1;

	quiet = make_group(_metadata, self->fd, "kt_quiet",
			   (struct hpmm_defrag_group_create){
				   .fields = F(LIMIT) | F(RESERVE), LIMIT(4),
				   .reserve = 4 });
	abuse = make_group(_metadata, self->fd, "kt_abuse",
			   (struct hpmm_defrag_group_create){
				   .fields = F(LIMIT), LIMIT(8) });
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

			ret = hpmm_dfg_alloc(self->tfd, abuse, o,
					     rand_r(&seed) % 3, &pfn[n]);
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
				ASSERT_EQ(0, hpmm_dfg_free(self->tfd, pfn[i],
							   ord[i]));
				pfn[i] = pfn[n - 1];
				ord[i] = ord[--n];
			} else {
				i++;
			}
		}
		EXPECT_LE(0, hpmm_dfg_compact(self->fd, abuse, 0));
	}
	/* The quiet group's blocks are the same ones, still free. */
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_quiet/blocks", after,
				    sizeof(after)));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(4, gstat("kt_quiet", "free_blocks"));
	EXPECT_EQ(4, gstat("kt_quiet", "blocks"));
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[i], ord[i]));
	free(pfn);
	free(ord);
	EXPECT_EQ(0, hpmm_destroy(self->fd, abuse));
	EXPECT_EQ(0, hpmm_destroy(self->fd, quiet));
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
	long long moved = 0, recovered = 0, got;
	int go[2], status, tries;
	size_t i, changed = 0;
	pthread_t th;
	pid_t pid;
	char *a;
	__u64 id;

	id = make_group(_metadata, self->fd, "kt_mv",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(THRESHOLD), LIMIT(8),
				.threshold = 1000 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, HPMM_DEFRAG_PLACEMENT_PAGE));
	a = fragmented_map(_metadata, self->fd, pages);
	ASSERT_NE(NULL, a);
	EXPECT_EQ((long long)pages, glive("kt_mv", "movable"));
	EXPECT_EQ(2, gstat("kt_mv", "blocks"));
	/* Mapped: the group is in use. */
	EXPECT_EQ(-EBUSY, hpmm_destroy(self->fd, id));
	EXPECT_EQ(1, gstat("kt_mv", "users"));

	old_pfn = calloc(pages, sizeof(*old_pfn));
	new_pfn = calloc(pages, sizeof(*new_pfn));
	child_pfn = mmap(NULL, pages * sizeof(*child_pfn),
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	ASSERT_NE(NULL, old_pfn);
	ASSERT_NE(NULL, new_pfn);
	ASSERT_NE(MAP_FAILED, child_pfn);
	for (i = 0; i < pages; i++) {
		old_pfn[i] = hpmm_pfn_of(a + i * PAGE);
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
			child_pfn[i] = hpmm_pfn_of(a + i * PAGE);
		_exit(0);
	}
	close(go[0]);

	/* Compact while a thread keeps reading the pages. */
	r.map = a;
	ASSERT_EQ(0, pthread_create(&th, NULL, reader_fn, &r));
	for (tries = 0; tries < 5 && recovered < 1; tries++) {
		got = hpmm_dfg_compact(self->fd, id, 0);
		EXPECT_LE(0, got);
		recovered = gstat("kt_mv", "compact_recovered_blocks");
		if (got > 0)
			EXPECT_EQ(got, recovered);
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
		new_pfn[i] = hpmm_pfn_of(a + i * PAGE);
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
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	/* The file's mappings named it: they cannot any more. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PAGE, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * A page something else holds (here a pipe, through vmsplice(), which takes
 * page references as get_user_pages() does) cannot move: compaction must
 * leave it where it is and mapped, not unmap it first and find out after.
 * Once the pipe lets go, the same compaction recovers the block.
 */
TEST_F(defrag, held_page_is_not_moved_nor_unmapped)
{
	const size_t pages = BLOCK_PAGES, step = 64;
	uint64_t held_pfn[BLOCK_PAGES / 64];
	long long fails0, got, recovered = 0;
	int pfd[2], tries;
	char buf[PAGE];
	size_t i, k;
	char *a;
	__u64 id;

	id = make_group(_metadata, self->fd, "kt_held",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(THRESHOLD), LIMIT(8),
				.threshold = 1000 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, HPMM_DEFRAG_PLACEMENT_PAGE));
	a = fragmented_map(_metadata, self->fd, pages);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(2, gstat("kt_held", "blocks"));
	ASSERT_EQ(0, pipe(pfd));
	/* One page of every 64, in both blocks, held by the pipe. */
	for (i = 0, k = 0; i < pages; i += step, k++) {
		struct iovec iov = { .iov_base = a + i * PAGE, .iov_len = PAGE };

		held_pfn[k] = hpmm_pfn_of(a + i * PAGE);
		ASSERT_NE(0ULL, held_pfn[k]);
		ASSERT_EQ((ssize_t)PAGE, vmsplice(pfd[1], &iov, 1, 0))
			TH_LOG("vmsplice: %s", strerror(errno));
	}
	fails0 = gstat("kt_held", "compact_move_failures");
	got = hpmm_dfg_compact(self->fd, id, 0);
	EXPECT_EQ(0, got);
	EXPECT_LT(fails0, gstat("kt_held", "compact_move_failures"));
	/* The held pages are still mapped, at the same place. */
	for (i = 0, k = 0; i < pages; i += step, k++) {
		EXPECT_EQ(held_pfn[k], hpmm_pfn_of(a + i * PAGE))
			TH_LOG("page %zu: pfn %#llx, was %#llx", i,
			       (unsigned long long)hpmm_pfn_of(a + i * PAGE),
			       (unsigned long long)held_pfn[k]);
	}
	EXPECT_EQ(0ULL, check_pattern(a, pages));
	/* The pipe lets go: now the block can be emptied. */
	for (k = 0; k < pages / step; k++)
		ASSERT_EQ((ssize_t)PAGE, read(pfd[0], buf, PAGE));
	close(pfd[0]);
	close(pfd[1]);
	for (tries = 0; tries < 5 && recovered < 1; tries++) {
		got = hpmm_dfg_compact(self->fd, id, 0);
		EXPECT_LE(0, got);
		recovered += got > 0 ? got : 0;
	}
	EXPECT_LE(1, recovered);
	EXPECT_EQ(1, gstat("kt_held", "blocks"));
	EXPECT_EQ(0ULL, check_pattern(a, pages));
	munmap(a, pages * PAGE);
	EXPECT_EQ(0, gstat("kt_held", "blocks"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}


/*
 * What an mmap of /dev/hpmm makes the kernel allocate is sized by use, not
 * by the mapping, and charged to the memory cgroup of the process: in a
 * cgroup of 48 MiB, 32 untouched 4 GiB mappings (128 GiB) all succeed and
 * memory.current grows by less than 4 MiB (a per-page array would be
 * 8 MiB each, 256 MiB in all).
 */
TEST_F(defrag, untouched_mappings_cost_nothing)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg_acct";
	const size_t len = 4UL << 30, limit = 48UL << 20;
	long long grew = -1;
	int st, res[2], n = -1, err = -1, ret;
	pid_t pid;

	ret = hpmm_memcg_make(cg, limit);
	if (ret == -ENOENT)
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (ret == -ENODEV)
		SKIP(return, "no memory controller");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, pipe(res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char path[PATH_MAX], pid_s[32];
		long long before;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		snprintf(pid_s, sizeof(pid_s), "%d", getpid());
		if (hpmm_write_str(path, pid_s))
			_exit(2);
		snprintf(path, sizeof(path), "%s/memory.current", cg);
		before = hpmm_read_ll(path);
		err = 0;
		for (n = 0; n < 32; n++) {
			if (mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				 self->fd, 0) == MAP_FAILED) {
				err = errno;
				break;
			}
		}
		grew = hpmm_read_ll(path) - before;
		if (write(res[1], &n, sizeof(n)) != sizeof(n) ||
		    write(res[1], &err, sizeof(err)) != sizeof(err) ||
		    write(res[1], &grew, sizeof(grew)) != sizeof(grew))
			_exit(4);
		_exit(0);
	}
	close(res[1]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ((ssize_t)sizeof(n), read(res[0], &n, sizeof(n)));
	EXPECT_EQ((ssize_t)sizeof(err), read(res[0], &err, sizeof(err)));
	EXPECT_EQ((ssize_t)sizeof(grew), read(res[0], &grew, sizeof(grew)));
	EXPECT_EQ(32, n) TH_LOG("after %d mappings: %s", n, strerror(err));
	EXPECT_LE(0, grew);
	EXPECT_GT(4LL << 20, grew) TH_LOG("memory.current grew by %lld", grew);
	close(res[0]);
	EXPECT_EQ(0, rmdir(cg));
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * In a child that drops to uid 65534 with RLIMIT_MEMLOCK @limit pages and
 * maps @pages pages of @fd (an open /dev/hpmm it inherited): touches them
 * in order, writing to @out how many it touched before each next touch.
 * The child dies by SIGBUS at the first page over its limit.
 */
static pid_t memlock_child(int fd, int out, unsigned long limit,
			   unsigned long pages)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	{
		struct rlimit rl = { limit * PAGE, limit * PAGE };
		volatile char *m;
		unsigned long i;

		if (setrlimit(RLIMIT_MEMLOCK, &rl) || hpmm_become_nobody())
			_exit(2);
		m = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			_exit(3);
		for (i = 0; i < pages; i++) {
			if (write(out, &i, sizeof(i)) != sizeof(i))
				_exit(4);
			m[i * PAGE] = 1;
		}
		_exit(0);
	}
}

/* How many pages the memlock_child() behind @in touched before it ended. */
static long memlock_touched(int in)
{
	unsigned long i, last = 0;
	long n = 0;

	while (read(in, &i, sizeof(i)) == sizeof(i)) {
		last = i;
		n++;
	}
	/* It wrote i before touching page i: page last is the one it died on. */
	return n ? (long)last : -1;
}

/*
 * A process handed an open /dev/hpmm that maps it in a group charging no
 * memcg (the default group) pays for the pages it faults in with its
 * user's locked_vm: without CAP_IPC_LOCK, the first page over
 * RLIMIT_MEMLOCK is SIGBUS, the charge goes back when the mapping does
 * (a second run gets as far), and nothing is left live.
 */
TEST_F(defrag, unprivileged_mapping_is_charged_to_memlock)
{
	const unsigned long limit = 64, pages = 256;
	long long fails0;
	int run, st, p[2];
	pid_t pid;

	fails0 = dfg_value("stats", "fault_failures");
	ASSERT_NE(NO_VALUE, fails0);
	for (run = 0; run < 2; run++) {
		ASSERT_EQ(0, pipe(p));
		pid = memlock_child(self->fd, p[1], limit, pages);
		ASSERT_LE(0, pid);
		close(p[1]);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS) {
			TH_LOG("run %d: status %#x", run, st);
		}
		EXPECT_EQ((long)limit, memlock_touched(p[0])) {
			TH_LOG("run %d", run);
		}
		close(p[0]);
	}
	EXPECT_LE(fails0 + 2, dfg_value("stats", "fault_failures"));
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * Forks a process that maps /dev/hpmm (the group of its cgroup) and
 * touches a page: the signal that ended it, or -(its exit status).
 */
static int fault_status(void)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -100;
	if (!pid) {
		int fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		char *m;

		if (fd < 0)
			_exit(2);
		m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (m == MAP_FAILED)
			_exit(3);
		m[0] = 1;
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -101;
	return WIFSIGNALED(st) ? WTERMSIG(st) : -WEXITSTATUS(st);
}

/*
 * A group bound to a memory cgroup charges every block it holds to it,
 * whole: memory.current grows by 2 MiB a block, memory.max refuses the
 * block after the last one the memcg can pay for (ENOMEM to the
 * allocation, SIGBUS to a fault, not the memcg's OOM killer), the group's
 * stats show the charged blocks beside their pages in use, and the charge
 * goes with the blocks.
 */
TEST_F(defrag, blocks_are_charged_to_the_memcg)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg_blk";
	const long long limit = 16LL << 20, block = 2LL << 20;
	long long cur0, cur1, cur2, charged0, fails0;
	int res[2], done[2], st, cgfd, ret, r[3] = { -1, -1, -1 };
	char path[PATH_MAX];
	__u64 id;
	pid_t pid;

	ret = hpmm_memcg_make(cg, limit);
	if (ret == -ENOENT)
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (ret == -ENODEV)
		SKIP(return, "no memory controller");
	ASSERT_EQ(0, ret);
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, cgfd);
	id = make_group(_metadata, self->fd, "kt_blk",
			(struct hpmm_defrag_group_create){
				.fields = F(CGROUP) | F(LIMIT),
				.cgroup_fd = cgfd, LIMIT(64) });
	ASSERT_NE(0ULL, id);
	charged0 = dfg_value("stats", "blocks_charged");
	fails0 = dfg_value("stats", "charge_failures");
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	cur0 = hpmm_read_ll(path);

	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char procs[PATH_MAX], me[32], c;
		__u64 pfn[64];
		int tfd, n, err = 0;

		close(res[0]);
		close(done[1]);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(me, sizeof(me), "%d", getpid());
		if (dfg_write(procs, me))
			_exit(2);
		tfd = hpmm_test_open();
		if (tfd < 0)
			_exit(3);
		/* Group 0: the group of this process's cgroup. */
		for (n = 0; n < 64; n++) {
			err = -hpmm_dfg_alloc(tfd, 0, 9,
					      HPMM_TEST_DEFRAG_MOVABLE, &pfn[n]);
			if (err)
				break;
		}
		r[0] = n;
		r[1] = err;
		/* A fault in a mapping of the group now: SIGBUS, no OOM kill. */
		r[2] = fault_status();
		if (write(res[1], r, sizeof(r)) != sizeof(r) ||
		    read(done[0], &c, 1) != 1)
			_exit(4);
		while (n--)
			if (hpmm_dfg_free(tfd, pfn[n], 9))
				_exit(5);
		_exit(0);
	}
	close(res[1]);
	close(done[0]);
	ASSERT_EQ((ssize_t)sizeof(r), read(res[0], r, sizeof(r))) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	/* 16 MiB pays for 8 blocks less what the process itself uses. */
	EXPECT_EQ(ENOMEM, r[1]) TH_LOG("after %d blocks: %s", r[0],
				       strerror(r[1]));
	EXPECT_LE(limit / block - 2, r[0]);
	EXPECT_GE(limit / block, r[0]);
	EXPECT_EQ(SIGBUS, r[2]) TH_LOG("the fault ended with %d", r[2]);
	cur1 = hpmm_read_ll(path);
	EXPECT_LE(cur0 + r[0] * block, cur1);
	EXPECT_GE(limit, cur1);
	EXPECT_EQ(r[0], gstat("kt_blk", "memcg_charged_blocks"));
	EXPECT_EQ(r[0], gstat("kt_blk", "blocks"));
	EXPECT_EQ(r[0] * (long long)BLOCK_PAGES, gstat("kt_blk", "used_movable"));
	EXPECT_EQ(charged0 + r[0], dfg_value("stats", "blocks_charged"));
	EXPECT_LT(fails0, dfg_value("stats", "charge_failures"));
	/* Charged blocks are this memcg's: none waits in the shared pool. */
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("child status %d", st);
	close(res[0]);
	close(done[1]);
	EXPECT_EQ(0, hpmm_dfg_ctl("drain kt_blk"));
	EXPECT_EQ(0, gstat("kt_blk", "memcg_charged_blocks"));
	EXPECT_EQ(0, gstat("kt_blk", "blocks"));
	/*
	 * Back within a block of where it started (the exited process's own
	 * kernel memory may be uncharged a little later, a block cannot).
	 */
	cur2 = hpmm_read_ll(path);
	EXPECT_GT(cur0 + block, cur2)
		TH_LOG("memory.current %lld -> %lld -> %lld after %d blocks",
		       cur0, cur1, cur2, r[0]);
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	close(cgfd);
	EXPECT_EQ(0, rmdir(cg)) TH_LOG("rmdir: %s", strerror(errno));
	EXPECT_EQ(self->live0, live_pages());
}

/* The "zeroed" column of the group's only block, or -1. */
static long long block_zeroings(const char *group)
{
	char buf[HPMM_FILE_MAX], *line, *save = NULL;
	unsigned long long v[7];
	long long z = -1;
	int n = 0;

	if (hpmm_read_filef(buf, sizeof(buf), DFG_DIR "/groups/%s/blocks",
			       group) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char c;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%llx %llu %c %llu %llu %llu %llu %lld", &v[0],
			   &v[1], &c, &v[2], &v[3], &v[4], &v[5], &z) != 8)
			return -1;
		n++;
	}
	return n == 1 ? z : -1;
}

/*
 * Pages are zeroed once: with init_on_alloc (Debian's default) the page
 * allocator hands DEFRAG a zeroed block, whose pages are then handed out
 * without zeroing them again; a page used and freed is zeroed when it is
 * handed out next. Every page a fault maps reads zero either way, and the
 * block's "zeroed" column and the stats count what was zeroed.
 */
TEST_F(defrag, pages_are_zeroed_once)
{
	const size_t pages = BLOCK_PAGES;
	long long zeroed0, skipped0;
	unsigned char *m;
	size_t i, j;
	__u64 id;

	if (dfg_value("stats", "zero_on_alloc") != 1)
		SKIP(return, "init_on_alloc is off: the kernel zeroes nothing");
	/* A reserve of one: the block stays in the group when it is free. */
	id = make_group(_metadata, self->fd, "kt_zero",
			(struct hpmm_defrag_group_create){
				.fields = F(RESERVE) | F(LIMIT),
				LIMIT(1), .reserve = 1 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, HPMM_DEFRAG_PLACEMENT_PAGE));
	for (int round = 0; round < 2; round++) {
		zeroed0 = dfg_value("stats", "pages_zeroed");
		skipped0 = dfg_value("stats", "zeroings_skipped");
		m = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, 0);
		ASSERT_NE(MAP_FAILED, m);
		for (i = 0; i < pages; i++) {
			for (j = 0; j < PAGE; j += 64)
				if (m[i * PAGE + j])
					break;
			ASSERT_EQ(PAGE, j) {
				TH_LOG("round %d: page %zu byte %zu is %#x",
				       round, i, j, m[i * PAGE + j]);
			}
			memset(m + i * PAGE, 0xa5, PAGE);
		}
		if (!round) {
			/* The fresh block: nothing zeroed again. */
			EXPECT_EQ(zeroed0, dfg_value("stats", "pages_zeroed"));
			EXPECT_EQ(skipped0 + (long long)pages,
				  dfg_value("stats", "zeroings_skipped"));
			EXPECT_EQ(0, block_zeroings("kt_zero"));
		} else {
			/* The same block, used: every page zeroed once. */
			EXPECT_EQ(zeroed0 + (long long)pages,
				  dfg_value("stats", "pages_zeroed"));
			EXPECT_EQ(skipped0, dfg_value("stats", "zeroings_skipped"));
			EXPECT_EQ((long long)pages, block_zeroings("kt_zero"));
		}
		ASSERT_EQ(0, munmap(m, pages * PAGE));
	}
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
}

/*
 * A page still held (by a pipe) when its mapping goes away is given up to
 * its holder, an orphan. Its block must not stay in the group until rmmod:
 * once the block's other pages are freed, the group gives the block back
 * (its free pages to the kernel at once, the orphan when its holder lets
 * go), and the group can be destroyed. The pipe still reads the data.
 */
TEST_F(defrag, orphan_returns_its_block)
{
	const size_t pages = 64;
	long long orphans0, held0;
	uint64_t got[PAGE / 8];
	struct iovec iov;
	int pfd[2];
	char *a;
	__u64 id;
	size_t w;

	id = make_group(_metadata, self->fd, "kt_orphan",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(THRESHOLD), LIMIT(4),
				.threshold = 1000 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, HPMM_DEFRAG_PLACEMENT_PAGE));
	a = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	for (w = 0; w < pages; w++)
		fill((uint64_t *)(a + w * PAGE), w);
	EXPECT_EQ(1, gstat("kt_orphan", "blocks"));
	held0 = dfg_value("stats", "blocks_held");
	orphans0 = dfg_value("stats", "orphans");
	ASSERT_EQ(0, pipe(pfd));
	iov.iov_base = a + 5 * PAGE;
	iov.iov_len = PAGE;
	ASSERT_EQ((ssize_t)PAGE, vmsplice(pfd[1], &iov, 1, 0));
	/* The mapping goes: page 5 is still the pipe's. */
	munmap(a, pages * PAGE);
	EXPECT_EQ(orphans0 + 1, dfg_value("stats", "orphans"));
	/* Nothing else is allocated in its block: the group gives it back. */
	EXPECT_EQ(0, gstat("kt_orphan", "blocks"));
	EXPECT_EQ(held0 - 1, dfg_value("stats", "blocks_held"));
	EXPECT_EQ(self->live0, live_pages());
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	/* The holder still has the page, and its data. */
	ASSERT_EQ((ssize_t)PAGE, read(pfd[0], got, PAGE));
	for (w = 0; w < PAGE / 8; w++)
		if (got[w] != pattern(5, w))
			break;
	EXPECT_EQ(PAGE / 8, w);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(defrag, compaction_for_a_huge_allocation)
{
	__u64 id, pfn = 0, pfn2 = 0;
	char *a;

	/* Two half-used blocks and no room: a 2 MiB request compacts. */
	id = make_group(_metadata, self->fd, "kt_huge",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(THRESHOLD), LIMIT(2),
				.threshold = 1000 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, 0));
	a = fragmented_map(_metadata, self->fd, BLOCK_PAGES);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2, gstat("kt_huge", "blocks"));
	EXPECT_EQ(0, gstat("kt_huge", "free_blocks"));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9, HPMM_TEST_DEFRAG_MOVABLE,
				    &pfn));
	EXPECT_LE(1, gstat("kt_huge", "compact_runs_alloc"));
	EXPECT_EQ(1, gstat("kt_huge", "compact_recovered_blocks"));
	EXPECT_EQ((long long)BLOCK_PAGES / 2,
		  gstat("kt_huge", "compact_moved_pages"));
	EXPECT_EQ(gstat("kt_huge", "compact_min_moves"),
		  gstat("kt_huge", "compact_moved_pages"));
	EXPECT_EQ(0ULL, check_pattern(a, BLOCK_PAGES));
	/* Full now: the next one fails. */
	EXPECT_EQ(-ENOMEM, hpmm_dfg_alloc(self->tfd, id, 9,
					  HPMM_TEST_DEFRAG_MOVABLE, &pfn2));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn, 9));
	munmap(a, BLOCK_PAGES * PAGE);
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, background_compaction)
{
	long long runs = 0;
	int waited;
	__u64 id;
	char *a;

	id = make_group(_metadata, self->fd, "kt_bg",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT) | F(THRESHOLD), LIMIT(4),
				.threshold = 100 });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, 0));
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
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, payg_return)
{
	long long held0, returned0;
	__u64 id, pfn[4] = { 0 };
	char buf[64];
	int i;

	id = make_group(_metadata, self->fd, "kt_payg",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT), LIMIT(8) });
	ASSERT_NE(0ULL, id);
	held0 = dfg_value("stats", "blocks_held");
	returned0 = dfg_value("stats", "blocks_returned");
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9,
					    HPMM_TEST_DEFRAG_MOVABLE, &pfn[i]));
	EXPECT_EQ(held0 + 4, dfg_value("stats", "blocks_held"));
	EXPECT_EQ(self->live0 + 4 * (long long)BLOCK_PAGES, live_pages());
	/* Low watermark 0: every free block goes straight back. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[i], 9));
	EXPECT_EQ(held0, dfg_value("stats", "blocks_held"));
	EXPECT_EQ(returned0 + 4, dfg_value("stats", "blocks_returned"));
	EXPECT_EQ(self->live0, live_pages());

	/* Low watermark 2 (the module parameter): two stay in the pool. */
	ASSERT_EQ(0, hpmm_param_set("defrag_payg_low", "2"));
	ASSERT_LT(0, hpmm_read_file(HPMM_PARAMS "/defrag_payg_low", buf,
				    sizeof(buf)));
	EXPECT_STREQ("2\n", buf);
	EXPECT_EQ(2, dfg_value("stats", "payg_low"));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 9,
					    HPMM_TEST_DEFRAG_MOVABLE, &pfn[i]));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[i], 9));
	EXPECT_EQ(2, dfg_value("stats", "pool_blocks"));
	EXPECT_EQ(returned0 + 6, dfg_value("stats", "blocks_returned"));
	EXPECT_EQ(self->live0 + 2 * (long long)BLOCK_PAGES, live_pages());
	ASSERT_EQ(0, hpmm_param_set("defrag_payg_low", "0"));
	EXPECT_EQ(0, dfg_value("stats", "pool_blocks"));
	EXPECT_EQ(self->live0, live_pages());
	/* Out of range: refused, nothing changed. */
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_payg_low", "4097"));
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_payg_low", "x"));
	EXPECT_EQ(-EINVAL, hpmm_param_set("defrag_payg_low", "-1"));
	EXPECT_EQ(0, dfg_value("stats", "payg_low"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
}

TEST_F(defrag, cgroup_charging)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg";
	long long def_before, cg_live;
	int ready[2], done[2], status, cgfd, reg;
	char path[PATH_MAX];
	__u64 id, pfn = 0;
	pid_t pid;
	char c;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "mkdir %s: %s", cg, strerror(errno));
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, cgfd);
	id = make_group(_metadata, self->fd, "kt_cg",
			(struct hpmm_defrag_group_create){
				.fields = F(CGROUP) | F(LIMIT),
				.cgroup_fd = cgfd, LIMIT(8) });
	ASSERT_NE(0ULL, id);
	ASSERT_LT(0, hpmm_read_filef(path, sizeof(path),
				     DFG_DIR "/groups/kt_cg/stats"));
	EXPECT_NE(NULL, strstr(path, "cgroup: /kt_dfg\n"));
	/* A file that is not a cgroup v2 directory, or none at all. */
	reg = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, reg);
	EXPECT_EQ(-EBADF, hpmm_dfg_set(self->fd, id,
				       (struct hpmm_defrag_group_set){
					       .fields = F(CGROUP),
					       .cgroup_fd = reg }));
	close(reg);
	EXPECT_EQ(-EBADF, hpmm_dfg_set(self->fd, id,
				       (struct hpmm_defrag_group_set){
					       .fields = F(CGROUP),
					       .cgroup_fd = reg }));
	EXPECT_EQ(-EBADF, hpmm_dfg_set(self->fd, id,
				       (struct hpmm_defrag_group_set){
					       .fields = F(CGROUP),
					       .cgroup_fd = -2 }));
	EXPECT_EQ(-EBADF, hpmm_dfg_set(self->fd, id,
				       (struct hpmm_defrag_group_set){
					       .fields = F(CGROUP),
					       .cgroup_fd = 1LL << 32 }));
	/* Still bound. */
	ASSERT_LT(0, hpmm_read_filef(path, sizeof(path),
				     DFG_DIR "/groups/kt_cg/stats"));
	EXPECT_NE(NULL, strstr(path, "cgroup: /kt_dfg\n"));
	def_before = glive("default", "movable") -
		     gstat("default", "pcp_pages");

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char procs[256], me[32];
		int fd, tfd, i;
		char *m;

		close(ready[0]);
		close(done[1]);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(me, sizeof(me), "%d", getpid());
		if (dfg_write(procs, me))
			_exit(2);
		fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		tfd = hpmm_test_open();
		if (fd < 0 || tfd < 0)
			_exit(3);
		/* Group 0 and no MAP ioctl: charged by cgroup. */
		for (i = 0; i < 10; i++)
			if (hpmm_dfg_alloc(tfd, 0, 0, HPMM_TEST_DEFRAG_MOVABLE,
					   &pfn))
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
	/* Another process's pages and mapping: the group is in use. */
	EXPECT_EQ(-EBUSY, hpmm_destroy(self->fd, id));

	/* This process is not in the cgroup: the default group. */
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, 0, 0, HPMM_TEST_DEFRAG_MOVABLE,
				    &pfn));
	EXPECT_EQ(def_before + 1, glive("default", "movable") -
				  gstat("default", "pcp_pages"));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn, 0));

	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status %d", status);
	close(ready[0]);
	close(done[1]);
	/* Its exit gave everything back. */
	EXPECT_EQ(0, hpmm_dfg_ctl("drain kt_cg"));
	EXPECT_EQ(0, glive("kt_cg", "movable"));
	/* Unbound: -1. */
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
		.fields = F(CGROUP), .cgroup_fd = -1 }));
	ASSERT_LT(0, hpmm_read_filef(path, sizeof(path),
				     DFG_DIR "/groups/kt_cg/stats"));
	EXPECT_NE(NULL, strstr(path, "cgroup: none\n"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	close(cgfd);
	EXPECT_EQ(0, rmdir(cg)) TH_LOG("rmdir: %s", strerror(errno));
	EXPECT_EQ(0, hpmm_dfg_ctl("drain default"));
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * Closing the file that owns a group while another process's mapping uses
 * it (through its cgroup): the group leaves debugfs at once, the mapping
 * keeps working, and its munmap gives everything back.
 */
TEST_F(defrag, release_while_mapped_elsewhere)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg_rel";
	int ready[2], done[2], status, cgfd, fd2;
	long long id;
	pid_t pid;
	char c;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "mkdir %s: %s", cg, strerror(errno));
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, cgfd);
	fd2 = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	id = hpmm_dfg_create(fd2, "kt_rel", (struct hpmm_defrag_group_create){
		.fields = F(CGROUP) | F(LIMIT), .cgroup_fd = cgfd, LIMIT(4) });
	ASSERT_LT(0, id);
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
		close(fd2);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(me, sizeof(me), "%d", getpid());
		if (dfg_write(procs, me))
			_exit(2);
		fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(3);
		m = mmap(NULL, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (m == MAP_FAILED)
			_exit(4);
		for (i = 0; i < 16; i++)
			m[i * PAGE] = (char)i;
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(5);
		/* The rest faults in after the group was released. */
		for (i = 0; i < 32; i++)
			if (i < 16 ? m[i * PAGE] != (char)i : (m[i * PAGE] = 1, 0))
				_exit(6);
		munmap(m, 32 * PAGE);
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ(16, glive("kt_rel", "movable") - gstat("kt_rel", "pcp_pages"));
	EXPECT_EQ(-EBUSY, hpmm_destroy(fd2, id));
	close(fd2);
	EXPECT_FALSE(group_listed("kt_rel"));
	/* The name is free again; the old group lives on for its mapping. */
	id = hpmm_dfg_create(self->fd, "kt_rel",
			     (struct hpmm_defrag_group_create){});
	EXPECT_LT(0, id);
	EXPECT_LT(self->live0, live_pages());
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status %d", status);
	close(ready[0]);
	close(done[1]);
	close(cgfd);
	EXPECT_EQ(0, rmdir(cg)) TH_LOG("rmdir: %s", strerror(errno));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	/* The last reference frees the old group from a workqueue. */
	for (status = 0; status < 100 && live_pages() != self->live0; status++)
		usleep(20000);
	EXPECT_EQ(self->live0, live_pages());
}

/*
 * A process that opened /dev/hpmm as root and then dropped to uid 65534
 * may create groups on its file, but bind only a cgroup it may write (as
 * cgroup v2 delegation requires).
 */
TEST_F(defrag, cgroup_binding_needs_write_permission)
{
	const char *cg = "/sys/fs/cgroup/kt_dfg_perm";
	int status, cgfd;
	pid_t pid;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at /sys/fs/cgroup");
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "mkdir %s: %s", cg, strerror(errno));
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, cgfd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		long long id;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		id = hpmm_dfg_create(self->fd, "kt_perm",
				     (struct hpmm_defrag_group_create){
					     .fields = F(CGROUP),
					     .cgroup_fd = cgfd });
		if (id != -EACCES)
			_exit(3);
		id = hpmm_dfg_create(self->fd, "kt_perm",
				     (struct hpmm_defrag_group_create){});
		if (id <= 0)
			_exit(4);
		if (hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
			.fields = F(CGROUP), .cgroup_fd = cgfd }) != -EACCES)
			_exit(5);
		if (hpmm_destroy(self->fd, id))
			_exit(6);
		/* The test ABI is root's. */
		if (open(HPMM_TEST_NODE, O_RDWR) >= 0 ||
		    (errno != EACCES && errno != EPERM))
			_exit(7);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_FALSE(group_listed("kt_perm"));
	close(cgfd);
	EXPECT_EQ(0, rmdir(cg)) TH_LOG("rmdir: %s", strerror(errno));
}

TEST_F(defrag, bad_input)
{
	static const char *const bad_cmds[] = {
		"", "\n", "compact", "compact a b c", "compact default x",
		"compact default -1", "drain", "drain a b", "create kt_bad",
		"destroy kt_bad", "set kt_bad limit=1", "payg_low 0", "check",
		"frobnicate",
	};
	static const char *const bad_names[] = {
		"", "a/b", ".x", "a.b", "a b", "kt_bad_name_that_is_far_too_long",
	};
	struct hpmm_defrag_group_create c = { .size = sizeof(c) };
	struct hpmm_test_defrag_alloc a = { .size = sizeof(a) };
	long long dbl, frn, ord, busy, ballocs, id;
	__u64 pfn = 0, run = 0;
	char big[300];
	size_t i;
	void *m;

	for (i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
		const char *cmd = bad_cmds[i];

		EXPECT_EQ(-EINVAL, hpmm_dfg_ctl("%s", cmd)) TH_LOG("\"%s\"", cmd);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-EINVAL, hpmm_dfg_ctl("%s", big));
	EXPECT_EQ(-ENOENT, hpmm_dfg_ctl("compact kt_no_such_group"));
	EXPECT_EQ(-ENOENT, hpmm_dfg_ctl("drain kt_no_such_group"));

	/* Create: names, fields and values out of range. */
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		const char *name = bad_names[i];

		EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, name,
				(struct hpmm_defrag_group_create){}))
			TH_LOG("name \"%s\"", name);
	}
	EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){ .fields = 1ULL << 5 }));
	EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){
			.fields = F(POLICY),
			.policy = HPMM_DEFRAG_POLICY_BPF + 1 }));
	EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){ .fields = F(LIMIT),
						   LIMIT(1ULL << 32) }));
	EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){
			.fields = F(RESERVE),
			.reserve = HPMM_DEFRAG_RESERVE_MAX + 1 }));
	EXPECT_EQ(-EINVAL, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){ .fields = F(THRESHOLD),
						   .threshold = 1001 }));
	EXPECT_EQ(-EBADF, hpmm_dfg_create(self->fd, "kt_bad",
		(struct hpmm_defrag_group_create){ .fields = F(CGROUP),
						   .cgroup_fd = 999 }));
	/* A struct shorter than the first version's. */
	c.size = 8;
	EXPECT_EQ(-1, ioctl(self->fd, HPMM_DEFRAG_IOCTL_GROUP_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(group_listed("kt_bad"));

	/* Set, compact, map: unknown groups and values. */
	id = make_group(_metadata, self->fd, "kt_bad",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT), LIMIT(1) });
	ASSERT_LT(0, id);
	EXPECT_EQ(-EINVAL, hpmm_dfg_set(self->fd, id,
					(struct hpmm_defrag_group_set){}));
	EXPECT_EQ(-EINVAL, hpmm_dfg_set(self->fd, id,
		(struct hpmm_defrag_group_set){ .fields = F(THRESHOLD),
						.threshold = 5000 }));
	EXPECT_EQ(-EINVAL, hpmm_dfg_set(self->fd, id,
		(struct hpmm_defrag_group_set){ .fields = 1ULL << 63 }));
	EXPECT_EQ(-ENOENT, hpmm_dfg_set(self->fd, 999999,
		(struct hpmm_defrag_group_set){ .fields = F(LIMIT) }));
	EXPECT_EQ(1, gstat("kt_bad", "limit"));
	EXPECT_EQ(-EINVAL, hpmm_dfg_compact(self->fd, id, 1ULL << 32));
	EXPECT_EQ(-ENOENT, hpmm_dfg_compact(self->fd, 999999, 0));
	EXPECT_EQ(-EINVAL, hpmm_dfg_map(self->fd, 0, 3));
	EXPECT_EQ(-EINVAL, hpmm_dfg_map(self->fd, 0, 1ULL << 40));
	EXPECT_EQ(-ENOENT, hpmm_dfg_map(self->fd, 999999, 0));
	/* A placement the module has, or one it was built without. */
	EXPECT_EQ(access(HPMM_MG_DIR, F_OK) ? -EOPNOTSUPP : 0,
		  hpmm_dfg_map(self->fd, 0, HPMM_DEFRAG_PLACEMENT_MAGNET));

	/* The policy is fixed while a block is split. */
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 2, 0, &run));
	EXPECT_EQ(-EBUSY, hpmm_dfg_set(self->fd, id,
		(struct hpmm_defrag_group_set){
			.fields = F(POLICY) | F(LIMIT),
			.policy = HPMM_DEFRAG_POLICY_FIRSTFIT, LIMIT(3) }));
	EXPECT_EQ(1, gstat("kt_bad", "limit"));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, run, 2));

	/* The test ABI: unknown group, order, mobility, pfn, sizes. */
	EXPECT_EQ(-ENOENT, hpmm_dfg_alloc(self->tfd, 999999, 0, 0, &pfn));
	EXPECT_EQ(-EINVAL, hpmm_dfg_alloc(self->tfd, id, 10, 0, &pfn));
	EXPECT_EQ(-EINVAL, hpmm_dfg_alloc(self->tfd, id, 0, 3, &pfn));
	a.size = 8;
	EXPECT_NE(0, ioctl(self->tfd, HPMM_TEST_DEFRAG_ALLOC, &a));
	EXPECT_EQ(-ENOENT, hpmm_dfg_free(self->tfd, 0x1234, 0));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 0, 0, &pfn));
	EXPECT_EQ(-EINVAL, hpmm_dfg_free(self->tfd, pfn, 1));
	EXPECT_EQ(-ENOENT, hpmm_dfg_free(self->tfd, pfn + 1, 0));
	EXPECT_EQ(-EBUSY, hpmm_destroy(self->fd, id));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn, 0));
	EXPECT_EQ(-ENOENT, hpmm_dfg_free(self->tfd, pfn, 0));

	/* mmap: an offset, too large. */
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, 0));
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, PAGE);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	m = mmap(NULL, (4UL << 30) + PAGE, PROT_READ, MAP_SHARED | MAP_NORESERVE,
		 self->fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);

	/* The kernel-side refusal paths (hpmm_test.ko), counted. */
	dbl = dfg_value("stats", "double_frees");
	frn = dfg_value("stats", "foreign_frees");
	ord = dfg_value("stats", "bad_order_frees");
	busy = dfg_value("stats", "busy_frees");
	ballocs = dfg_value("stats", "bad_allocs");
	EXPECT_EQ(0, hpmm_write_str(HPMM_DFG_TEST_DIR "/control", "check"));
	EXPECT_EQ(-EINVAL, hpmm_write_str(HPMM_DFG_TEST_DIR "/control",
					  "check now"));
	EXPECT_EQ(dbl + 3, dfg_value("stats", "double_frees"));
	EXPECT_EQ(frn + 1, dfg_value("stats", "foreign_frees"));
	EXPECT_EQ(ord + 5, dfg_value("stats", "bad_order_frees"));
	EXPECT_EQ(busy + 1, dfg_value("stats", "busy_frees"));
	EXPECT_EQ(ballocs + 2, dfg_value("stats", "bad_allocs"));
	/* Still there: the map setting does not hold it. */
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_F(defrag, fault_beyond_limit_is_sigbus)
{
	int status;
	pid_t pid;
	__u64 id;

	id = make_group(_metadata, self->fd, "kt_bad",
			(struct hpmm_defrag_group_create){
				.fields = F(LIMIT), LIMIT(1) });
	ASSERT_NE(0ULL, id);
	ASSERT_EQ(0, hpmm_dfg_map(self->fd, id, 0));
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
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_HARNESS_MAIN
