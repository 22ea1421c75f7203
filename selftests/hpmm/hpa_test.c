// SPDX-License-Identifier: GPL-2.0
/*
 * HPA tests: the hugepage-backed page pool of hpmm.ko and its twin on the
 * kernel's page_pool, driven as a client module would drive them: through
 * hpmm_test.ko's debugfs hpmm_test/hpa/control, which creates pools with
 * hpmm.ko's exported API and runs receive models on them; hpmm.ko shows
 * every pool's own counters in hpmm/hpa/ (Documentation/hpa.rst).
 *
 * create/destroy, allocation and recycle accounting, data written by edu DMA
 * into pool pages, depletion into inject mode and back, leaked pages coming
 * home, destroy with pages in flight (deferred, hpmm.ko pinned, the pool
 * hpmm.ko's until it is gone, even once its creator module is unloaded),
 * two CPUs allocating and recycling through the ring, the exported API's
 * refusal of bad arguments, read-only show files and malformed control
 * writes. Every test ends with nothing of hpmm live (pages, mappings) and
 * every destroyed HPA pool proves that none of its IOVAs still translates.
 *
 * Run as root with hpmm and hpmm_test loaded (hpmm.sh does both); skips
 * without them, HPA or an edu device. Every wait is for the state the test
 * then asserts, with a bound, and says what it saw when the bound passed.
 */
#include "hpmm_test.h"

#include <sys/syscall.h>

/* hpmm.ko: the pools' own counters, the totals, the last destroy. */
#define HPA_DIR		HPMM_DBG_ROOT "/hpa"
/* hpmm_test.ko: the control, the models, the jail, the benchmark. */
#define HPA_TEST_DIR	HPMM_TEST_DBG_ROOT "/hpa"
#define HPA_CONTROL	HPA_TEST_DIR "/control"
#define HPA_PAGES	512	/* pages of an order-9 block */

/* One write(2) to hpmm_test/hpa/control: 0 or -errno. */
static int hpa_write(const void *buf, size_t len)
{
	ssize_t n;
	int fd, ret;

	fd = open(HPA_CONTROL, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	ret = n < 0 ? -errno : (size_t)n == len ? 0 : -EMSGSIZE;
	close(fd);
	return ret;
}

static int __attribute__((format(printf, 1, 2))) hpa_ctl(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return hpa_write(cmd, strlen(cmd));
}

/* Whether hpmm registers a pool @name (alive, or its destroy waiting). */
static bool hpa_registered(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPA_DIR "/pools/%s", name);
	return !access(path, F_OK);
}

/* Whether hpmm_test drives a pool @name (HPA or page_pool). */
static bool hpa_driven(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPA_TEST_DIR "/pools/%s", name);
	return !access(path, F_OK);
}

static bool hpa_exists(const char *name)
{
	return hpa_registered(name) || hpa_driven(name);
}

/*
 * A pool's stats: hpmm's hpa/pools/<name>/stats (the pool's own counters)
 * followed by hpmm_test's hpa/pools/<name>/stats (kind, the model's
 * counters); either may be absent. Length, or -ENOENT when both are.
 */
static ssize_t hpa_pool_text(const char *name, char *buf, size_t size)
{
	ssize_t a, b;

	a = hpmm_read_filef(buf, size, HPA_DIR "/pools/%s/stats", name);
	if (a < 0)
		a = 0;
	buf[a] = '\0';
	b = hpmm_read_filef(buf + a, size - a, HPA_TEST_DIR "/pools/%s/stats",
			    name);
	if (b < 0)
		b = 0;
	buf[a + b] = '\0';
	return a + b ? a + b : -ENOENT;
}

/*
 * A value of pool @name's stats; of hpmm's hpa/<file> when @name is
 * "/<file>"; of hpmm_test's hpa/<file> when it is "@<file>".
 */
static long long hpa_val(struct __test_metadata *_metadata, const char *name,
			 const char *key)
{
	char buf[2 * HPMM_FILE_MAX];
	long long v = -1;
	ssize_t n;

	if (name[0] == '/')
		n = hpmm_read_filef(buf, sizeof(buf), HPA_DIR "%s", name);
	else if (name[0] == '@')
		n = hpmm_read_filef(buf, sizeof(buf), HPA_TEST_DIR "/%s",
				    name + 1);
	else
		n = hpa_pool_text(name, buf, sizeof(buf));
	EXPECT_LT(0, n) TH_LOG("cannot read stats of %s: %s", name,
			       strerror(-n));
	if (n > 0)
		EXPECT_EQ(0, hpmm_kv_ll(buf, key, &v))
			TH_LOG("%s: no integer \"%s\"", name, key);
	return v;
}

static void hpa_str(struct __test_metadata *_metadata, const char *name,
		    const char *key, char *out, size_t size)
{
	char buf[2 * HPMM_FILE_MAX];

	ASSERT_LT(0, hpa_pool_text(name, buf, sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_str(buf, key, out, size));
}

#define VAL(name, key) hpa_val(_metadata, name, key)

/* hpmm's count of destroys waiting for pages in flight, or -1. */
static long long hpa_deferred(void)
{
	long long v = hpmm_dbg_value("deferred", HPA_DIR "/stats");

	return v == LLONG_MIN ? -1 : v;
}

/*
 * Waits up to @ms for pool @name to be gone: no longer driven by hpmm_test,
 * no longer registered in hpmm (its destroy completed, its last counters in
 * last_destroy). On timeout it logs where the destroy stood.
 */
static bool hpa_wait_gone(struct __test_metadata *_metadata, const char *name,
			  int ms)
{
	long long end = hpmm_now_ms() + ms;
	char buf[HPMM_FILE_MAX], state[32] = "?";
	long long away = -1;

	while (hpa_exists(name)) {
		if (hpmm_now_ms() >= end) {
			if (hpmm_read_filef(buf, sizeof(buf),
					    HPA_DIR "/pools/%s/stats", name) > 0) {
				hpmm_kv_str(buf, "destroy_state", state,
					    sizeof(state));
				hpmm_kv_ll(buf, "destroy_inflight", &away);
			}
			TH_LOG("%s still listed after %d ms: registered %d, driven %d, destroy_state %s, destroy_inflight %lld, deferred %lld",
			       name, ms, hpa_registered(name), hpa_driven(name),
			       state, away, hpa_deferred());
			return false;
		}
		usleep(20000);
	}
	return true;
}

/*
 * Waits up to @ms for hpmm to be back where the test began: no destroy
 * deferred and the live pages and mappings at @pages0 and @maps0. On
 * timeout it logs what it saw.
 */
static bool hpa_wait_settled(struct __test_metadata *_metadata,
			     long long pages0, long long maps0, int ms)
{
	long long end = hpmm_now_ms() + ms, pages = -1, maps = -1;

	for (;;) {
		if (!hpmm_read_live(&pages, &maps) && pages == pages0 &&
		    maps == maps0 && hpa_deferred() == 0)
			return true;
		if (hpmm_now_ms() >= end)
			break;
		usleep(20000);
	}
	TH_LOG("not settled after %d ms: deferred %lld, live pages %lld (began at %lld), mappings %lld (began at %lld)",
	       ms, hpa_deferred(), pages, pages0, maps, maps0);
	return false;
}

/* Waits up to @ms for no destroy to be deferred (before a test begins). */
static bool hpa_wait_no_deferred(int ms)
{
	long long end = hpmm_now_ms() + ms;

	while (hpa_deferred() != 0) {
		if (hpmm_now_ms() >= end)
			return false;
		usleep(20000);
	}
	return true;
}

/* The destroy of @name completed: checks last_destroy's proof. */
static void expect_clean_destroy(struct __test_metadata *_metadata,
				 const char *name)
{
	char buf[HPMM_FILE_MAX], last[64];

	ASSERT_LT(0, hpmm_read_file(HPA_DIR "/last_destroy", buf, sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_str(buf, "name", last, sizeof(last)));
	EXPECT_STREQ(name, last);
	EXPECT_EQ(0, VAL("/last_destroy", "iova_mapped"));
	EXPECT_EQ(0, VAL("/last_destroy", "iova_skipped"));
	EXPECT_EQ(0, VAL("/last_destroy", "withheld"));
	EXPECT_EQ(0, VAL("/last_destroy", "verify_errors"));
	EXPECT_EQ(VAL("/last_destroy", "blocks") * HPA_PAGES,
		  VAL("/last_destroy", "iova_checked"));
	EXPECT_EQ(VAL("/last_destroy", "iova_checked"),
		  VAL("/last_destroy", "pages_freed"));
}

/* hpmm's module reference count (/sys/module/hpmm/refcnt), or -1. */
static long long hpa_refcnt(void)
{
	char buf[32];

	if (hpmm_read_file(HPMM_SYS_MODULE "/refcnt", buf, sizeof(buf)) <= 0)
		return -1;
	return atoll(buf);
}

/*
 * Waits up to @ms for a deferred destroy of @name to be over as a reader
 * sees it: the pool unlisted, "deferred: 0" and hpmm's module refcount back
 * at @refcnt (not checked when negative). The worker changes them one after the other (the pool leaves
 * the registry, then the count drops, then the module reference), so the
 * three are waited for together. On timeout it logs what it saw.
 */
static bool hpa_wait_destroyed(struct __test_metadata *_metadata,
			       const char *name, long long refcnt, int ms)
{
	long long end = hpmm_now_ms() + ms;
	bool listed;

	for (;;) {
		listed = hpa_exists(name);
		if (!listed && hpa_deferred() == 0 &&
		    (refcnt < 0 || hpa_refcnt() == refcnt))
			return true;
		if (hpmm_now_ms() >= end)
			break;
		usleep(20000);
	}
	TH_LOG("destroy of %s not over after %d ms: listed %d, deferred %lld, refcnt %lld (want %lld)",
	       name, ms, listed, hpa_deferred(), hpa_refcnt(), refcnt);
	return false;
}

FIXTURE(hpa) {
	long long pages0, maps0;
	char names[8][32];
	int nr_names;
};

FIXTURE_SETUP(hpa)
{
	hpmm_mount_debugfs();
	self->nr_names = 0;
	if (access(HPA_DIR, F_OK))
		SKIP(return, "no %s (hpmm or its HPA not loaded)", HPA_DIR);
	if (access(HPA_CONTROL, W_OK))
		SKIP(return, "no %s (hpmm_test not loaded)", HPA_CONTROL);
	if (access(HPMM_DBG_DEV, F_OK))
		SKIP(return, "no edu device bound to hpmm");
	ASSERT_TRUE(hpa_wait_no_deferred(10000))
		TH_LOG("a destroy of an earlier test is still deferred");
	ASSERT_EQ(0, hpmm_read_live(&self->pages0, &self->maps0));
}

FIXTURE_TEARDOWN(hpa)
{
	int i;

	if (_metadata->skip)
		return;
	for (i = 0; i < self->nr_names; i++)
		if (hpa_driven(self->names[i]))
			hpa_ctl("destroy %s", self->names[i]);
	for (i = 0; i < self->nr_names; i++)
		EXPECT_TRUE(hpa_wait_gone(_metadata, self->names[i], 20000));
	EXPECT_TRUE(hpa_wait_settled(_metadata, self->pages0, self->maps0,
				     20000));
}

/* Creates a pool the teardown will destroy. */
#define CREATE(name, fmt, ...) do { \
	ASSERT_LT(self->nr_names, 8); \
	hpmm_strscpy(self->names[self->nr_names++], name, 32); \
	ASSERT_EQ(0, hpa_ctl("create %s " fmt, name, ##__VA_ARGS__)); \
} while (0)

TEST_F(hpa, create_destroy)
{
	char kind[16];
	long long pages, maps;

	CREATE("t_cd", "hpa desc=16");
	CREATE("t_cd_pp", "pp ring=512");
	ASSERT_TRUE(hpa_exists("t_cd"));
	hpa_str(_metadata, "t_cd", "kind", kind, sizeof(kind));
	EXPECT_STREQ("hpa", kind);
	hpa_str(_metadata, "t_cd_pp", "kind", kind, sizeof(kind));
	EXPECT_STREQ("pp", kind);
	EXPECT_EQ(0, VAL("t_cd", "blocks"));
	EXPECT_EQ(0, VAL("t_cd", "inflight"));
	EXPECT_EQ(512, VAL("t_cd_pp", "ring_size"));

	EXPECT_EQ(-EEXIST, hpa_ctl("create t_cd pp"));
	EXPECT_EQ(-ENOENT, hpa_ctl("destroy t_nosuch"));
	EXPECT_EQ(-ENOENT, hpa_ctl("run t_nosuch 10"));

	/* One step maps one block; destroy gives it back at once. */
	ASSERT_EQ(0, hpa_ctl("run t_cd 1 backend=none"));
	EXPECT_EQ(1, VAL("t_cd", "blocks"));
	EXPECT_EQ(1, VAL("t_cd", "map_calls"));
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(self->pages0 + HPA_PAGES, pages);
	EXPECT_EQ(self->maps0 + 1, maps);
	/* The pool is hpmm's, the model hpmm_test's. */
	EXPECT_TRUE(hpa_registered("t_cd"));
	EXPECT_TRUE(hpa_driven("t_cd"));
	EXPECT_FALSE(hpa_registered("t_cd_pp"));
	EXPECT_EQ(VAL("t_cd", "pool_id"), hpmm_dbg_value("pool_id",
			HPA_TEST_DIR "/pools/t_cd/stats"));
	ASSERT_EQ(0, hpa_ctl("destroy t_cd"));
	EXPECT_FALSE(hpa_exists("t_cd"));
	expect_clean_destroy(_metadata, "t_cd");
	EXPECT_EQ(0, VAL("/last_destroy", "deferred"));
	ASSERT_EQ(0, hpa_ctl("destroy t_cd_pp"));
	EXPECT_FALSE(hpa_exists("t_cd_pp"));
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(self->pages0, pages);
	EXPECT_EQ(self->maps0, maps);
}

TEST_F(hpa, accounting)
{
	long long allocs, recycled, blocks;

	CREATE("t_acc", "hpa verify=1 desc=256");
	ASSERT_EQ(0, hpa_ctl("run t_acc 5000 backend=cpu len=128 ring_ppm=400000 hold_ppm=100000 hold_steps=50 leak_ppm=0"));
	allocs = VAL("t_acc", "allocs");
	EXPECT_EQ(5000 + 256, allocs);
	EXPECT_EQ(allocs, VAL("t_acc", "alloc_cache") + VAL("t_acc", "alloc_ring") +
		  VAL("t_acc", "alloc_backup") + VAL("t_acc", "alloc_inject") +
		  VAL("t_acc", "alloc_fallback"));
	recycled = VAL("t_acc", "recycle_direct") + VAL("t_acc", "recycle_ring") +
		   VAL("t_acc", "recycle_ring_full");
	/* Out: the posted pages and those the stack still holds. */
	EXPECT_EQ(256 + VAL("t_acc", "model_held"), VAL("t_acc", "inflight"));
	EXPECT_EQ(allocs - recycled, VAL("t_acc", "inflight"));
	EXPECT_EQ(VAL("t_acc", "model_direct"), VAL("t_acc", "recycle_direct"));
	EXPECT_EQ(0, VAL("t_acc", "released"));
	EXPECT_EQ(0, VAL("t_acc", "alloc_fail"));
	EXPECT_EQ(0, VAL("t_acc", "verify_errors"));
	EXPECT_EQ(0, VAL("t_acc", "model_dma_errors"));
	EXPECT_EQ(5000, VAL("t_acc", "model_dma_ops"));
	blocks = VAL("t_acc", "blocks");
	EXPECT_LE(1, blocks);
	EXPECT_EQ(blocks * HPA_PAGES, VAL("t_acc", "pages"));
	EXPECT_EQ(blocks, VAL("t_acc", "iova_ranges"));
	EXPECT_EQ(blocks, VAL("t_acc", "map_calls"));
	EXPECT_EQ(0, VAL("t_acc", "unmap_calls"));
	ASSERT_EQ(0, hpa_ctl("destroy t_acc"));
	expect_clean_destroy(_metadata, "t_acc");
	EXPECT_EQ(blocks, VAL("/last_destroy", "blocks"));
}

TEST_F(hpa, edu_data)
{
	struct hpmm_stats a, b;
	struct hpmm_devlist bound;

	hpmm_find_bound(&bound);
	ASSERT_LT(0, bound.n);
	ASSERT_EQ(0, hpmm_read_stats(bound.name[0], &a));
	CREATE("t_edu", "hpa desc=8");
	CREATE("t_edu_pp", "pp desc=8");
	/* Each packet: edu reads a pattern, then writes it into the page. */
	ASSERT_EQ(0, hpa_ctl("run t_edu 16 backend=edu len=1500 verify_data=1 ring_ppm=500000"));
	ASSERT_EQ(0, hpa_ctl("run t_edu_pp 16 backend=edu len=1500 verify_data=1 ring_ppm=500000"));
	ASSERT_EQ(0, hpmm_read_stats(bound.name[0], &b));
	EXPECT_EQ(64, b.v[HPMM_ST_EDU_OPS] - a.v[HPMM_ST_EDU_OPS]);
	EXPECT_EQ(16, VAL("t_edu", "model_dma_ops"));
	EXPECT_EQ(0, VAL("t_edu", "model_data_errors"));
	EXPECT_EQ(0, VAL("t_edu_pp", "model_data_errors"));
	/* The CPU backend, through the same IOVAs, at volume. */
	ASSERT_EQ(0, hpa_ctl("run t_edu 3000 backend=cpu len=4095 verify_data=1"));
	EXPECT_EQ(0, VAL("t_edu", "model_data_errors"));
	EXPECT_EQ(0, VAL("t_edu", "model_dma_errors"));
	ASSERT_EQ(0, hpa_ctl("destroy t_edu"));
	expect_clean_destroy(_metadata, "t_edu");
}

TEST_F(hpa, inject_and_back)
{
	char mode[16];

	/* 512 posted pages + 1024 held: the first block is not enough. */
	CREATE("t_inj", "hpa desc=512 ring=128 verify=1");
	ASSERT_EQ(0, hpa_ctl("run t_inj 1000 backend=none hold_ppm=1000000 hold_steps=1024"));
	hpa_str(_metadata, "t_inj", "mode", mode, sizeof(mode));
	EXPECT_STREQ("inject", mode);
	EXPECT_LE(2, VAL("t_inj", "alloc_inject"));
	EXPECT_LE(1024, VAL("t_inj", "inject_pages"));
	EXPECT_LE(3, VAL("t_inj", "blocks"));
	/* Held pages come back through a small ring: the backup ring refills. */
	ASSERT_EQ(0, hpa_ctl("run t_inj 3000 hold_ppm=0 ring_ppm=1000000"));
	hpa_str(_metadata, "t_inj", "mode", mode, sizeof(mode));
	EXPECT_STREQ("normal", mode);
	EXPECT_LE(2, VAL("t_inj", "mode_switches"));
	EXPECT_LT(0, VAL("t_inj", "recycle_ring_full"));
	EXPECT_EQ(0, VAL("t_inj", "verify_errors"));
	EXPECT_EQ(0, VAL("t_inj", "alloc_fail"));
	ASSERT_EQ(0, hpa_ctl("destroy t_inj"));
	expect_clean_destroy(_metadata, "t_inj");
}

TEST_F(hpa, leaked_pages_come_home)
{
	long long leaked, blocks;

	CREATE("t_leak", "hpa desc=256 verify=1");
	ASSERT_EQ(0, hpa_ctl("run t_leak 20000 backend=cpu len=64 ring_ppm=300000 leak_ppm=20000 leak_steps=2000"));
	leaked = VAL("t_leak", "model_leak");
	EXPECT_LT(200, leaked);
	EXPECT_EQ(leaked, VAL("t_leak", "released"));
	EXPECT_LT(0, VAL("t_leak", "reclaimed"));
	EXPECT_EQ(0, VAL("t_leak", "alloc_fail"));
	EXPECT_EQ(0, VAL("t_leak", "model_dma_errors"));
	blocks = VAL("t_leak", "peak_blocks");
	EXPECT_GE(4, blocks) TH_LOG("memory not bounded: %lld blocks", blocks);
	/* No new leaks; the old ones are dropped, a scan brings them home. */
	ASSERT_EQ(0, hpa_ctl("run t_leak 2100 leak_ppm=0"));
	EXPECT_EQ(0, VAL("t_leak", "model_leaked"));
	ASSERT_EQ(0, hpa_ctl("scan t_leak"));
	EXPECT_EQ(256, VAL("t_leak", "inflight"));
	EXPECT_EQ(leaked, VAL("t_leak", "reclaimed"));
	EXPECT_EQ(0, VAL("t_leak", "verify_errors"));
	ASSERT_EQ(0, hpa_ctl("destroy t_leak"));
	expect_clean_destroy(_metadata, "t_leak");
}

TEST_F(hpa, destroy_deferred)
{
	long long away, refcnt;
	char state[32];
	int ret;

	CREATE("t_def", "hpa desc=64");
	/* 10% leaked, held for 1.5 s once the model is torn down. */
	ASSERT_EQ(0, hpa_ctl("run t_def 2000 backend=none leak_ppm=100000 leak_steps=100000 leak_ms=1500"));
	ASSERT_LT(50, VAL("t_def", "model_leaked"));
	refcnt = hpa_refcnt();
	ASSERT_LE(0, refcnt);
	ASSERT_EQ(0, hpa_ctl("destroy t_def"));
	/* hpmm_test let go of it (its model is gone); hpmm keeps the pool. */
	EXPECT_FALSE(hpa_driven("t_def"));
	ASSERT_TRUE(hpa_registered("t_def"))
		TH_LOG("destroy did not wait for pages in flight");
	hpa_str(_metadata, "t_def", "destroy_state", state, sizeof(state));
	EXPECT_STREQ("deferred", state);
	away = VAL("t_def", "destroy_inflight");
	EXPECT_LT(50, away);
	EXPECT_LE(1, VAL("/stats", "deferred"));
	EXPECT_EQ(-EBUSY, hpa_ctl("destroy t_def"));
	EXPECT_EQ(-EBUSY, hpa_ctl("run t_def 1"));
	EXPECT_EQ(-EEXIST, hpa_ctl("create t_def hpa"));
	EXPECT_EQ(-EEXIST, hpa_ctl("create t_def pp"));

	/* hpmm is pinned by the destroy: one reference more, rmmod fails. */
	EXPECT_EQ(refcnt + 1, hpa_refcnt());
	ret = syscall(__NR_delete_module, "hpmm", O_NONBLOCK);
	EXPECT_EQ(-1, ret);
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("delete_module: %s", strerror(errno));
	ASSERT_EQ(0, access(HPA_CONTROL, W_OK));

	/*
	 * The state asserted below is "t_def's destroy is over": unlisted, not
	 * counted as deferred, its module reference dropped. Waiting for one
	 * of them saw another lag (issue 17: "deferred: 0" with the pool still
	 * listed; a CI run: the pool unlisted with "deferred: 1"), so all three
	 * are waited for.
	 */
	ASSERT_TRUE(hpa_wait_destroyed(_metadata, "t_def", refcnt, 15000));
	expect_clean_destroy(_metadata, "t_def");
	EXPECT_EQ(1, VAL("/last_destroy", "deferred"));
	EXPECT_LE(1000, VAL("/last_destroy", "wait_ms"));
	EXPECT_LT(0, VAL("/last_destroy", "retries"));
	EXPECT_EQ(0, VAL("@stats", "jailed_pages"));
}

/*
 * A driver's remove: hpa_pool_destroy_detach() with pages held elsewhere
 * (here the jail's leaked pages, as a socket's skbs) unmaps every block
 * at once and leaves those pages to their holders: the pool is gone when
 * the command returns, nothing is deferred or pinned, every IOVA page was
 * looked up and none translates, and the holders free the pages later.
 */
TEST_F(hpa, destroy_detach)
{
	long long held, refcnt, detached, orphaned, blocks, end;

	CREATE("t_det", "hpa desc=64");
	CREATE("t_det_pp", "pp desc=8");
	ASSERT_EQ(0, hpa_ctl("run t_det 2000 backend=cpu leak_ppm=100000 leak_steps=100000 leak_ms=1500"));
	held = VAL("t_det", "model_leaked");
	ASSERT_LT(50, held);
	blocks = VAL("t_det", "blocks");
	refcnt = hpa_refcnt();
	detached = VAL("/stats", "detached");
	orphaned = VAL("/stats", "orphaned");
	EXPECT_EQ(-EINVAL, hpa_ctl("destroy t_det detach=2"));
	EXPECT_EQ(-EOPNOTSUPP, hpa_ctl("destroy t_det_pp detach=1"));
	ASSERT_EQ(0, hpa_ctl("destroy t_det detach=1"));
	/* Gone at once: not deferred, hpmm not pinned. */
	EXPECT_FALSE(hpa_exists("t_det"));
	EXPECT_EQ(0, hpa_deferred());
	EXPECT_EQ(refcnt, hpa_refcnt());
	EXPECT_EQ(held, VAL("@stats", "jailed_pages"));
	EXPECT_EQ(detached + 1, VAL("/stats", "detached"));
	EXPECT_EQ(orphaned + held, VAL("/stats", "orphaned"));
	EXPECT_EQ(0, VAL("/last_destroy", "deferred"));
	EXPECT_EQ(blocks, VAL("/last_destroy", "blocks"));
	EXPECT_EQ(blocks * HPA_PAGES, VAL("/last_destroy", "iova_checked"));
	EXPECT_EQ(0, VAL("/last_destroy", "iova_mapped"));
	EXPECT_EQ(0, VAL("/last_destroy", "iova_skipped"));
	EXPECT_EQ(0, VAL("/last_destroy", "withheld"));
	EXPECT_EQ(held, VAL("/last_destroy", "orphaned"));
	EXPECT_EQ(blocks * HPA_PAGES - held, VAL("/last_destroy", "pages_freed"));
	/* The holders let go (the teardown checks hpmm's live counters). */
	for (end = hpmm_now_ms() + 15000;
	     VAL("@stats", "jailed_pages") && hpmm_now_ms() < end;)
		usleep(20000);
	EXPECT_EQ(0, VAL("@stats", "jailed_pages"));
}

/*
 * The API check with a detaching destroy: a page held by someone else is
 * left to it, unmapped, and freed when it lets go.
 */
TEST_F(hpa, api_detach_leaves_held_page)
{
	long long created = VAL("/stats", "created");

	ASSERT_EQ(0, hpa_ctl("check detach=1"))
		TH_LOG("hpa_api_check() failed: the kernel log says which call");
	EXPECT_EQ(created + 1, VAL("/stats", "created"));
	EXPECT_EQ(0, VAL("/stats", "pools"));
	EXPECT_EQ(1, VAL("/last_destroy", "orphaned"));
	EXPECT_EQ(HPA_PAGES - 1, VAL("/last_destroy", "pages_freed"));
	EXPECT_EQ(HPA_PAGES, VAL("/last_destroy", "iova_checked"));
	EXPECT_EQ(0, VAL("/last_destroy", "iova_mapped"));
	EXPECT_EQ(0, VAL("/last_destroy", "withheld"));
	EXPECT_EQ(-EINVAL, hpa_ctl("check detach=2"));
}

/*
 * A driver's rmmod destroys its pool with pages held by sockets and goes:
 * here hpmm_test is unloaded while its pool's destroy waits for leaked
 * pages. Nothing of the pool may refer to the creator (KASAN and the
 * panic-on-warn guest would see it); the pool completes in hpmm. Needs
 * HPMM_MODULE (hpmm.sh sets it) to load hpmm_test.ko again.
 */
TEST_F(hpa, creator_unloaded_first)
{
	char path[PATH_MAX], *slash;
	int fd, ret;

	if (!getenv("HPMM_MODULE"))
		SKIP(return, "HPMM_MODULE does not name hpmm.ko");
	hpmm_strscpy(path, getenv("HPMM_MODULE"), sizeof(path));
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path,
		 sizeof(path) - (slash ? slash + 1 - path : 0), "hpmm_test.ko");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no hpmm_test.ko beside HPMM_MODULE");

	CREATE("t_gone", "hpa desc=64");
	ASSERT_EQ(0, hpa_ctl("run t_gone 2000 backend=cpu leak_ppm=100000 leak_steps=100000 leak_ms=60000"));
	ASSERT_EQ(0, hpa_ctl("destroy t_gone"));
	ASSERT_TRUE(hpa_registered("t_gone"));

	/* The creator goes; its jail drops the leaked pages on the way. */
	ret = syscall(__NR_delete_module, "hpmm_test", O_NONBLOCK);
	EXPECT_EQ(0, ret) TH_LOG("rmmod hpmm_test: %s", strerror(errno));
	/* Over, last_destroy is t_gone's (it is written after the unlisting). */
	EXPECT_TRUE(hpa_wait_destroyed(_metadata, "t_gone", -1, 15000));
	ret = syscall(__NR_finit_module, fd, "", 0);
	close(fd);
	ASSERT_TRUE(ret == 0 || errno == EEXIST)
		TH_LOG("insmod hpmm_test.ko: %s", strerror(errno));
	expect_clean_destroy(_metadata, "t_gone");
	EXPECT_EQ(1, VAL("/last_destroy", "deferred"));
	ASSERT_EQ(0, access(HPA_CONTROL, W_OK));
}

TEST_F(hpa, two_cpus_ring_stress)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	CREATE("t_st", "hpa verify=1 ring=256");
	CREATE("t_st_pp", "pp ring=256");
	ASSERT_EQ(0, hpa_ctl("stress t_st 200000"));
	EXPECT_EQ(200000, VAL("t_st", "allocs"));
	EXPECT_EQ(0, VAL("t_st", "inflight"));
	EXPECT_EQ(200000, VAL("t_st", "recycle_ring") +
			  VAL("t_st", "recycle_ring_full"));
	EXPECT_EQ(0, VAL("t_st", "verify_errors"));
	EXPECT_EQ(0, VAL("t_st", "alloc_fail"));
	ASSERT_EQ(0, hpa_ctl("stress t_st_pp 100000"));
	ASSERT_EQ(0, hpa_ctl("destroy t_st"));
	expect_clean_destroy(_metadata, "t_st");
}

/*
 * The exported API as a driver meets it (kernel/test/hpa_api_check.c): every
 * bad argument of hpa_pool_create() is -EINVAL and registers nothing, a
 * taken name -EEXIST, a good pool works, its ethtool statistics match its
 * snapshot. One pool is created and destroyed, nothing else.
 */
TEST_F(hpa, api_refuses_bad_input)
{
	long long created = VAL("/stats", "created");
	long long destroyed = VAL("/stats", "destroyed");

	ASSERT_EQ(0, hpa_ctl("check"))
		TH_LOG("hpa_api_check() failed: the kernel log says which call");
	EXPECT_EQ(created + 1, VAL("/stats", "created"));
	EXPECT_EQ(destroyed + 1, VAL("/stats", "destroyed"));
	EXPECT_EQ(0, VAL("/stats", "pools"));
	expect_clean_destroy(_metadata, "hpmm_test-check");
	EXPECT_EQ(-ENODEV, hpa_ctl("check dev=255"));
}

/* hpmm's files only show: no control, every write refused. */
TEST_F(hpa, core_files_read_only)
{
	static const char *const files[] = {
		HPA_DIR "/stats", HPA_DIR "/last_destroy",
		HPA_DIR "/pools/t_ro/stats", HPA_TEST_DIR "/stats",
		HPA_TEST_DIR "/bench", HPA_TEST_DIR "/pools/t_ro/stats",
	};
	unsigned int i;
	ssize_t n;
	int fd;

	EXPECT_NE(0, access(HPA_DIR "/control", F_OK));
	CREATE("t_ro", "hpa");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		fd = open(files[i], O_WRONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : write(fd, "destroy t_ro", 12);
		EXPECT_EQ(-1, n) TH_LOG("%s took a write", files[i]);
		EXPECT_TRUE(errno == EINVAL || errno == EACCES ||
			    errno == EPERM)
			TH_LOG("%s: %s", files[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	EXPECT_TRUE(hpa_registered("t_ro"));
	EXPECT_EQ(0, VAL("t_ro", "allocs"));
}

TEST_F(hpa, malformed_commands)
{
	static const char *const bad[] = {
		"", "\n", " ", "frobnicate", "create", "create t_m2",
		"create t_m2 zz", "create bad/name hpa", "create t_m2 hpa ring=0",
		"create t_m2 hpa cache=1025", "create t_m2 hpa order=11",
		"create t_m2 hpa order=9 backup=100", "create t_m2 hpa ring=abc",
		"create t_m2 hpa ring=5 ring=6", "create t_m2 hpa foo=1",
		"create t_m2 hpa ring", "create t_m2 hpa =5", "create t_m2 hpa ring=",
		"create t_m2 hpa verify=2", "create t_m2 hpa desc=0",
		"create t_m2 hpa ring=-1", "create t_m2 hpa ring=99999999999999999999",
		"create t_0123456789abcdef0123456789abcdef hpa",
		"run t_m", "run t_m x", "run t_m 5 leak_ppm=600000 hold_ppm=600000",
		"run t_m 5 backend=gpu", "run t_m 5 len=0", "run t_m 5 len=4096",
		"run t_m 5 hold_steps=300000", "run t_m 5 ring_ppm=1000001",
		"destroy", "destroy t_m t_m", "scan", "stress t_m",
		"bench n=5", "bench reps=0", "bench reps=16", "bench paths=0",
		"bench paths=16", "bench x=1", "check dev=256", "check 1",
		"check dev=0 dev=1", "check dev=0 x", "scan t_m t_m",
	};
	char big[HPMM_CMD_MAX + 64];
	unsigned int i;
	int ret;

	CREATE("t_m", "hpa");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = hpa_write(bad[i], strlen(bad[i]));
		EXPECT_EQ(-EINVAL, ret) TH_LOG("\"%s\" gave %d", bad[i], ret);
	}
	ret = hpa_write("create t_m2 hpa\0x", 17);
	EXPECT_EQ(-EINVAL, ret);
	memset(big, 'a', sizeof(big));
	memcpy(big, "create t_m2 hpa desc=1 ", 23);
	EXPECT_EQ(-EINVAL, hpa_write(big, sizeof(big)));
	/* Nothing changed. */
	EXPECT_FALSE(hpa_exists("t_m2"));
	EXPECT_EQ(1, VAL("/stats", "pools"));
	EXPECT_EQ(1, VAL("@stats", "pools"));
	EXPECT_EQ(0, VAL("t_m", "model_steps"));
	EXPECT_EQ(0, VAL("t_m", "allocs"));
	EXPECT_EQ(0, VAL("t_m", "blocks"));
}

TEST_HARNESS_MAIN
