// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm DEFRAG: two tenants in two memory cgroups, one fragmenting and one
 * well behaved (issue 16, "two-tenant isolation").
 *
 * Each tenant is a process in a cgroup of its own with a memory.max, served
 * by a DEFRAG group bound to that cgroup (no block limit of the group's
 * own: the memcg is the limit). The noisy tenant fills its memcg with pages
 * of orders 0-3 of every mobility, frees half of them at random and starts
 * again, round after round; its own pressure compacts its own group. While
 * it does, the quiet tenant takes 2 MiB pages until its memcg refuses the
 * next block. The test asserts what charging by the block promises:
 *
 *  - the quiet tenant gets every 2 MiB page its free memory can pay for
 *    (floor((memory.max - memory.current) / 2 MiB) of them) while the other
 *    fragments;
 *  - the noisy tenant's churn changes the quiet memcg's memory.current by
 *    0 bytes. Both readings are taken after the noisy tenant has faulted a
 *    page on every CPU since the quiet one last ran: a memcg keeps up to 63
 *    pages charged ahead in a per-CPU cache, which the next small charge of
 *    another memcg on that CPU gives back (mm/memcontrol.c drain_stock()),
 *    so without that the reading would move by what the kernel's cache
 *    held, not by anything charged; what is compared is the page counter
 *    only the quiet tenant's memory moves;
 *  - the noisy tenant meets its memory.max as ENOMEM, never the OOM killer
 *    and never another tenant's blocks, and its memory.current stays under
 *    it; its compaction moves its own pages only (the quiet group moved
 *    none).
 *
 * The figures go out as one line "# RESULT ..." (scripts/bench/defrag-
 * tenants runs this program with larger tenants and prints that line).
 * Sizes: HPMM_TENANT_QUIET_MIB, HPMM_TENANT_NOISY_MIB (default 32 each),
 * HPMM_TENANT_ROUNDS (noisy rounds after the quiet tenant's, default 6).
 *
 * Kernel-held pages come from hpmm_test.ko (HPMM_TEST_DEFRAG_ALLOC), as a
 * kernel caller's: root, hpmm and hpmm_test loaded (hpmm.sh does both).
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define PAGE		4096LL
#define BLOCK		(2LL << 20)
#define NO_VALUE	LLONG_MIN

static long long env_ll(const char *name, long long def)
{
	const char *v = getenv(name);

	return v && *v ? atoll(v) : def;
}

static long long cg_value(const char *cg, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return hpmm_read_ll(path);
}

static int cg_write(const char *cg, const char *file, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return hpmm_write_str(path, val);
}

static long long live_pages(void)
{
	long long pages, maps;

	if (hpmm_read_live(&pages, &maps))
		return NO_VALUE;
	return pages;
}

/* What a tenant process answers to each command. */
struct tenant_reply {
	int err;		/* the errno that ended the fill, 0 if none */
	int got;		/* allocations held after the command */
	long long before;	/* quiet: memory.current before its fill */
};

/* A tenant process: commands in on @cmd, replies out on @rep. */
struct tenant {
	pid_t pid;
	int cmd, rep;
};

static int send_cmd(struct tenant *t, char c, char arg)
{
	char b[2] = { c, arg };

	return write(t->cmd, b, 2) == 2 ? 0 : -1;
}

static int get_reply(struct tenant *t, struct tenant_reply *r)
{
	return read(t->rep, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

static void pin_to(int cpu)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(ncpu > 0 ? cpu % ncpu : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Faults in one fresh anonymous page, as any running process does: the
 * charge goes through this CPU's memcg charge cache, which gives back what
 * another memcg had cached there (drain_stock()).
 */
static void touch_fresh_page(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	*(volatile char *)p = 1;
	munmap(p, PAGE);
}

/*
 * The noisy tenant: on 'r' CPU, fills its memcg with pages of random order
 * 0-3 and mobility until an allocation fails, then frees half of what it
 * holds at random; on 'q', frees everything and exits.
 */
static int noisy_main(int tfd, int cmd, int rep, long long max_pages)
{
	__u64 *pfn = calloc(max_pages, sizeof(*pfn));
	unsigned char *ord = calloc(max_pages, 1);
	struct tenant_reply r = { 0 };
	unsigned int seed = 7;
	long long n = 0, i;
	char c[2];

	if (!pfn || !ord)
		return 10;
	while (read(cmd, c, 2) == 2 && c[0] == 'r') {
		pin_to(c[1]);
		touch_fresh_page();
		r.err = 0;
		while (n < max_pages) {
			unsigned int o = rand_r(&seed) % 4;
			int ret = hpmm_dfg_alloc(tfd, 0, o, rand_r(&seed) % 3,
						 &pfn[n]);

			if (ret) {
				r.err = -ret;
				break;
			}
			ord[n++] = o;
		}
		for (i = 0; i < n;) {
			if (rand_r(&seed) % 2) {
				if (hpmm_dfg_free(tfd, pfn[i], ord[i]))
					return 11;
				pfn[i] = pfn[n - 1];
				ord[i] = ord[--n];
			} else {
				i++;
			}
		}
		r.got = n;
		if (write(rep, &r, sizeof(r)) != sizeof(r))
			return 12;
	}
	while (n--)
		if (hpmm_dfg_free(tfd, pfn[n], ord[n]))
			return 13;
	free(pfn);
	free(ord);
	return 0;
}

/*
 * The quiet tenant: on 'a', takes 2 MiB pages until one is refused; on
 * 'q', frees them and exits.
 */
static int quiet_main(int tfd, int cmd, int rep, const char *cg,
		      long long max_blocks)
{
	__u64 *pfn = calloc(max_blocks + 1, sizeof(*pfn));
	struct tenant_reply r = { 0 };
	long long n = 0;
	char c[2];

	if (!pfn)
		return 10;
	while (read(cmd, c, 2) == 2 && c[0] == 'a') {
		pin_to(c[1]);
		r.before = cg_value(cg, "memory.current");
		r.err = 0;
		while (n <= max_blocks) {
			int ret = hpmm_dfg_alloc(tfd, 0, 9,
						 HPMM_TEST_DEFRAG_MOVABLE,
						 &pfn[n]);

			if (ret) {
				r.err = -ret;
				break;
			}
			n++;
		}
		r.got = n;
		if (write(rep, &r, sizeof(r)) != sizeof(r))
			return 12;
	}
	while (n--)
		if (hpmm_dfg_free(tfd, pfn[n], 9))
			return 13;
	free(pfn);
	return 0;
}

/* Forks a tenant into cgroup @cg; 'quiet' or 'noisy' by @quiet. */
static int tenant_start(struct tenant *t, const char *cg, bool quiet,
			long long max_bytes)
{
	int cmd[2], rep[2];

	if (pipe(cmd) || pipe(rep))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (!t->pid) {
		char me[32];
		int tfd;

		close(cmd[1]);
		close(rep[0]);
		snprintf(me, sizeof(me), "%d", getpid());
		if (cg_write(cg, "cgroup.procs", me))
			_exit(2);
		tfd = hpmm_test_open();
		if (tfd < 0)
			_exit(3);
		_exit(quiet ? quiet_main(tfd, cmd[0], rep[1], cg,
					 max_bytes / BLOCK) :
			      noisy_main(tfd, cmd[0], rep[1],
					 max_bytes / PAGE));
	}
	close(cmd[0]);
	close(rep[1]);
	t->cmd = cmd[1];
	t->rep = rep[0];
	return 0;
}

/* Ends a tenant: 'q', then its exit status (-1: not a clean exit). */
static int tenant_stop(struct tenant *t)
{
	int st;

	if (t->pid <= 0)
		return -1;
	send_cmd(t, 'q', 0);
	close(t->cmd);
	close(t->rep);
	if (waitpid(t->pid, &st, 0) != t->pid)
		return -1;
	t->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

FIXTURE(tenants) {
	int fd;
	long long live0;
	char quiet_cg[PATH_MAX], noisy_cg[PATH_MAX];
	int quiet_cgfd, noisy_cgfd;
	struct tenant quiet, noisy;
};

/* A fresh cgroup @name with memory.max @max: its directory fd, or -1. */
static int cg_make(char *path, size_t size, const char *name, long long max)
{
	snprintf(path, size, CG_ROOT "/%s", name);
	if (hpmm_memcg_make(path, max))
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

FIXTURE_SETUP(tenants)
{
	self->fd = -1;
	self->quiet_cgfd = -1;
	self->noisy_cgfd = -1;
	self->quiet.pid = 0;
	self->noisy.pid = 0;
	self->quiet_cg[0] = '\0';
	self->noisy_cg[0] = '\0';
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(HPMM_DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	if (access(HPMM_TEST_NODE, F_OK))
		SKIP(return, "hpmm_test.ko is not loaded");
	if (access(CG_ROOT "/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at " CG_ROOT);
	self->quiet_cgfd = cg_make(self->quiet_cg, sizeof(self->quiet_cg),
				   "kt_tenant_quiet",
				   env_ll("HPMM_TENANT_QUIET_MIB", 32) << 20);
	self->noisy_cgfd = cg_make(self->noisy_cg, sizeof(self->noisy_cg),
				   "kt_tenant_noisy",
				   env_ll("HPMM_TENANT_NOISY_MIB", 32) << 20);
	if (self->quiet_cgfd < 0 || self->noisy_cgfd < 0)
		SKIP(return, "no memory controller in " CG_ROOT);
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_param_set("defrag_payg_low", "0"));
	self->live0 = live_pages();
	ASSERT_NE(NO_VALUE, self->live0);
}

FIXTURE_TEARDOWN(tenants)
{
	if (self->quiet.pid > 0)
		kill(self->quiet.pid, SIGKILL);
	if (self->noisy.pid > 0)
		kill(self->noisy.pid, SIGKILL);
	tenant_stop(&self->quiet);
	tenant_stop(&self->noisy);
	/* Closing the file destroys the groups. */
	if (self->fd >= 0)
		close(self->fd);
	if (self->quiet_cgfd >= 0)
		close(self->quiet_cgfd);
	if (self->noisy_cgfd >= 0)
		close(self->noisy_cgfd);
	if (self->quiet_cg[0])
		rmdir(self->quiet_cg);
	if (self->noisy_cg[0])
		rmdir(self->noisy_cg);
}

/* One noisy round on @cpu: its reply, or err -1 when it is gone. */
static struct tenant_reply noisy_round(struct tenant *t, int cpu)
{
	struct tenant_reply r = { .err = -1 };

	if (send_cmd(t, 'r', cpu) || get_reply(t, &r))
		r.err = -1;
	return r;
}

TEST_F(tenants, quiet_tenant_is_isolated_from_a_fragmenting_one)
{
	long long quiet_max = env_ll("HPMM_TENANT_QUIET_MIB", 32) << 20;
	long long noisy_max = env_ll("HPMM_TENANT_NOISY_MIB", 32) << 20;
	int rounds = env_ll("HPMM_TENANT_ROUNDS", 6), enomem = 0, i;
	long long possible, q_before, q_after, n_cur, n_peak = 0;
	long long q_moved0, n_runs0;
	struct tenant_reply qr, nr;
	__u64 qid, nid;

	qid = hpmm_dfg_create(self->fd, "kt_tq",
			      (struct hpmm_defrag_group_create){
				      .fields = HPMM_DEFRAG_GROUP_CGROUP,
				      .cgroup_fd = self->quiet_cgfd });
	nid = hpmm_dfg_create(self->fd, "kt_tn",
			      (struct hpmm_defrag_group_create){
				      .fields = HPMM_DEFRAG_GROUP_CGROUP,
				      .cgroup_fd = self->noisy_cgfd });
	ASSERT_LT(0, (long long)qid);
	ASSERT_LT(0, (long long)nid);
	q_moved0 = hpmm_dfg_gstat("kt_tq", "compact_moved_pages");
	n_runs0 = hpmm_dfg_gstat("kt_tn", "compact_runs_alloc");
	ASSERT_EQ(0, tenant_start(&self->quiet, self->quiet_cg, true,
				  quiet_max));
	ASSERT_EQ(0, tenant_start(&self->noisy, self->noisy_cg, false,
				  noisy_max));

	/* The noisy tenant fragments on both CPUs... */
	for (i = 0; i < 2; i++) {
		nr = noisy_round(&self->noisy, i);
		ASSERT_LE(0, nr.err);
		enomem += nr.err == ENOMEM;
	}
	/* ...and goes on while the quiet one takes 2 MiB pages. */
	ASSERT_EQ(0, send_cmd(&self->noisy, 'r', 0));
	ASSERT_EQ(0, send_cmd(&self->quiet, 'a', 1));
	ASSERT_EQ(0, get_reply(&self->quiet, &qr));
	ASSERT_EQ(0, get_reply(&self->noisy, &nr));
	enomem += nr.err == ENOMEM;
	possible = (quiet_max - qr.before) / BLOCK;
	EXPECT_EQ(ENOMEM, qr.err);
	EXPECT_LE(possible * 99, qr.got * 100LL)
		TH_LOG("quiet: %d of %lld 2 MiB pages", qr.got, possible);

	/* Both CPUs charged by the noisy tenant since the quiet one ran. */
	for (i = 0; i < 2; i++) {
		nr = noisy_round(&self->noisy, i);
		ASSERT_LE(0, nr.err);
		enomem += nr.err == ENOMEM;
	}
	q_before = cg_value(self->quiet_cg, "memory.current");
	for (i = 0; i < rounds; i++) {
		nr = noisy_round(&self->noisy, i);
		ASSERT_LE(0, nr.err);
		enomem += nr.err == ENOMEM;
		n_cur = cg_value(self->noisy_cg, "memory.current");
		if (n_cur > n_peak)
			n_peak = n_cur;
	}
	q_after = cg_value(self->quiet_cg, "memory.current");

	EXPECT_EQ(q_before, q_after)
		TH_LOG("quiet memory.current %lld -> %lld", q_before, q_after);
	EXPECT_EQ(qr.got, hpmm_dfg_gstat("kt_tq", "memcg_charged_blocks"));
	EXPECT_EQ(qr.got, hpmm_dfg_gstat("kt_tq", "blocks"));
	EXPECT_EQ(q_moved0, hpmm_dfg_gstat("kt_tq", "compact_moved_pages"));
	/* Every noisy round ended at its memcg's limit, with ENOMEM. */
	EXPECT_EQ(rounds + 5, enomem);
	EXPECT_GE(noisy_max, n_peak);
	EXPECT_LT(0, hpmm_dfg_gstat("kt_tn", "memcg_charged_blocks"));

	ksft_print_msg("RESULT quiet_order9_success_pct=%.1f quiet_order9=%d quiet_order9_possible=%lld quiet_current_delta_bytes=%lld noisy_rounds=%d noisy_enomem_rounds=%d noisy_peak_current_mib=%.1f noisy_max_mib=%lld noisy_charged_blocks=%lld noisy_used_pages=%lld noisy_pollution_milli=%lld noisy_compact_runs=%lld\n",
		       possible ? 100.0 * qr.got / possible : 0.0, qr.got,
		       possible, q_after - q_before, rounds + 5, enomem,
		       n_peak / 1048576.0, noisy_max >> 20,
		       hpmm_dfg_gstat("kt_tn", "memcg_charged_blocks"),
		       hpmm_dfg_gstat("kt_tn", "used_unmovable") +
		       hpmm_dfg_gstat("kt_tn", "used_movable") +
		       hpmm_dfg_gstat("kt_tn", "used_reclaimable"),
		       hpmm_dfg_gstat("kt_tn", "pollution_milli"),
		       hpmm_dfg_gstat("kt_tn", "compact_runs_alloc") - n_runs0);
	/* The harness ends a test with _exit(): stdio is not flushed. */
	fflush(stdout);

	/* Neither was killed; everything goes back, and the charges. */
	EXPECT_EQ(0, tenant_stop(&self->quiet));
	EXPECT_EQ(0, tenant_stop(&self->noisy));
	EXPECT_EQ(0, hpmm_dfg_ctl("drain kt_tq"));
	EXPECT_EQ(0, hpmm_dfg_ctl("drain kt_tn"));
	EXPECT_EQ(0, hpmm_dfg_gstat("kt_tq", "memcg_charged_blocks"));
	EXPECT_EQ(0, hpmm_dfg_gstat("kt_tn", "memcg_charged_blocks"));
	EXPECT_GT(BLOCK, cg_value(self->quiet_cg, "memory.current"));
	EXPECT_GT(BLOCK, cg_value(self->noisy_cg, "memory.current"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, qid));
	EXPECT_EQ(0, hpmm_destroy(self->fd, nid));
	EXPECT_EQ(self->live0, live_pages());
}

TEST_HARNESS_MAIN
