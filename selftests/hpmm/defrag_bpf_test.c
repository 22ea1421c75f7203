// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG placement by BPF (Documentation/defrag.rst, "BPF policies"): the
 * "bpf" policy exists exactly where the kernel lets a module define BPF
 * struct_ops; a program attached to struct hpmm_defrag_ops decides where
 * the allocations of such groups go; it can be replaced and detached while
 * allocations run, none fails or goes unplaced meanwhile, and while it is
 * loaded it holds the module.
 *
 * The programs are tools/build/bpf/defrag_{grouping,strict}.bpf.o
 * ($HPMM_BPF_DIR overrides), loaded with libbpf 1.4+ (scripts/install-deps
 * builds it from linux-source-6.12). Needs root, hpmm.ko and hpmm_test.ko;
 * the tests that attach a program SKIP, naming the kernel, where it has no
 * BPF struct_ops for modules (6.1).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"
#include "bpf_lib.h"

#define DFG_DIR		HPMM_DFG_DIR
#define BPF_STATUS	DFG_DIR "/bpf"
#define F(x)		HPMM_DEFRAG_GROUP_##x
#define MOV		HPMM_TEST_DEFRAG_MOVABLE
#define UNMOV		HPMM_TEST_DEFRAG_UNMOVABLE

FIXTURE(bpf) {
	int fd, tfd;
	int supported;
	__u64 pfn;
	struct utsname uts;
};

FIXTURE_SETUP(bpf)
{
	self->fd = -1;
	self->tfd = -1;
	uname(&self->uts);
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	self->supported = hpmm_bpf_supported(BPF_STATUS);
	ASSERT_LE(0, self->supported);
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->tfd = hpmm_test_open();
	if (self->tfd < 0)
		SKIP(return, "hpmm_test.ko is not loaded");
}

FIXTURE_TEARDOWN(bpf)
{
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The policy is there exactly where the kernel can run it: a group gets it
 * (and says so) where debugfs says "supported: 1", and EOPNOTSUPP where it
 * says 0; an unknown policy is EINVAL either way, and a group at grouping
 * switches to bpf and back with blocks split (same block lists).
 */
TEST_F(bpf, policy_follows_support)
{
	if (_metadata->skip)
		return;
	char buf[HPMM_FILE_MAX], s[32];
	__u64 pfn = 0;
	long long id;

	id = hpmm_dfg_create(self->fd, "kt_bpf_p",
			     (struct hpmm_defrag_group_create){
				     .fields = F(POLICY),
				     .policy = HPMM_DEFRAG_POLICY_BPF });
	if (!self->supported) {
		EXPECT_EQ(-EOPNOTSUPP, id) TH_LOG("kernel %s", self->uts.release);
		id = hpmm_dfg_create(self->fd, "kt_bpf_p",
				     (struct hpmm_defrag_group_create){});
	}
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	EXPECT_EQ(-EINVAL, hpmm_dfg_set(self->fd, id,
					(struct hpmm_defrag_group_set){
						.fields = F(POLICY),
						.policy = HPMM_DEFRAG_POLICY_BPF + 1 }));
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 1, UNMOV, &pfn));
	EXPECT_EQ(self->supported ? 0 : -EOPNOTSUPP,
		  hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
				.fields = F(POLICY),
				.policy = HPMM_DEFRAG_POLICY_BPF }));
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/kt_bpf_p/stats", buf,
				    sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_str(buf, "policy", s, sizeof(s)));
	EXPECT_STREQ(self->supported ? "bpf" : "grouping", s);
	/* To and from firstfit only without split blocks. */
	EXPECT_EQ(-EBUSY, hpmm_dfg_set(self->fd, id,
				       (struct hpmm_defrag_group_set){
					       .fields = F(POLICY),
					       .policy = HPMM_DEFRAG_POLICY_FIRSTFIT }));
	EXPECT_EQ(0, hpmm_dfg_set(self->fd, id, (struct hpmm_defrag_group_set){
				.fields = F(POLICY),
				.policy = HPMM_DEFRAG_POLICY_GROUPING }));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn, 1));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
}

#ifdef HPMM_HAVE_LIBBPF

/*
 * The attached program decides: "strict" refuses to put a movable run into
 * the hole of an unmovable block at the group's limit, where grouping (the
 * C policy, and the fallback once it is detached) does. Loaded, it holds
 * the module.
 */
TEST_F(bpf, program_decides_placement)
{
	HPMM_NEED_BPF();
	char name[32];
	struct hpmm_bpf_policy strict;
	struct bpf_link *link;
	volatile __u64 u = 0, m = 0;
	long long id, ref;

	ref = hpmm_module_refcnt();
	ASSERT_EQ(0, hpmm_bpf_policy_load(&strict, "defrag_strict"));
	/* The loaded struct_ops map holds the module. */
	EXPECT_EQ(ref + 1, hpmm_module_refcnt());
	id = hpmm_dfg_create(self->fd, "kt_bpf_s",
			     (struct hpmm_defrag_group_create){
				     .fields = F(POLICY) | F(LIMIT),
				     .policy = HPMM_DEFRAG_POLICY_BPF,
				     .limit = 1 });
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	link = bpf_map__attach_struct_ops(strict.ops);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "strict"));

	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 1, UNMOV, &self->pfn));
	u = self->pfn;
	EXPECT_EQ(-ENOMEM, hpmm_dfg_alloc(self->tfd, id, 1, MOV, &self->pfn));
	EXPECT_LT(0ULL, *strict.calls);
	EXPECT_EQ(0, hpmm_dfg_gstat("kt_bpf_s", "bad_plans"));

	ASSERT_EQ(0, bpf_link__destroy(link));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	EXPECT_EQ(0, hpmm_bpf_attached(BPF_STATUS, name, sizeof(name)));
	/* Grouping's plan again: the movable run fills the hole. */
	ASSERT_EQ(0, hpmm_dfg_alloc(self->tfd, id, 1, MOV, &self->pfn));
	m = self->pfn;
	EXPECT_EQ(1, hpmm_dfg_gstat("kt_bpf_s", "blocks"));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, m, 1));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, u, 1));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	hpmm_bpf_policy_close(&strict);
	EXPECT_EQ(0, hpmm_wait_refcnt(ref));
}

struct churn {
	volatile int stop;
	volatile __u64 ops;
	volatile __u64 errors;
	volatile int last_errno;
};

/* Allocates and frees runs of every mobility and orders 0-3 until stopped. */
static void churn_run(struct churn *c, int tfd, __u64 id)
{
	__u64 pfn[64] = { 0 };
	unsigned int order[64] = { 0 }, seed = 1;
	int i, ret;

	while (!c->stop) {
		seed = seed * 1103515245 + 12345;
		i = (seed >> 8) % 64;
		if (pfn[i]) {
			ret = hpmm_dfg_free(tfd, pfn[i], order[i]);
			pfn[i] = 0;
		} else {
			order[i] = (seed >> 16) % 4;
			ret = hpmm_dfg_alloc(tfd, id, order[i],
					     (seed >> 20) % 3, &pfn[i]);
			if (ret)
				pfn[i] = 0;
		}
		if (ret) {
			c->errors++;
			c->last_errno = -ret;
		}
		c->ops++;
	}
	for (i = 0; i < 64; i++)
		if (pfn[i] && hpmm_dfg_free(tfd, pfn[i], order[i]))
			c->errors++;
}

/*
 * Load, replace and unload while another process allocates in the group:
 * every allocation succeeds throughout, the replaced program is not called
 * once the new one is, and no plan is refused.
 */
TEST_F(bpf, replace_while_allocating)
{
	HPMM_NEED_BPF();
	struct hpmm_bpf_policy grouping, strict;
	struct bpf_link *link;
	struct churn *c;
	__u64 g_plans, ops;
	long long id;
	int status;
	pid_t pid;

	ASSERT_EQ(0, hpmm_bpf_policy_load(&grouping, "defrag_grouping"));
	ASSERT_EQ(0, hpmm_bpf_policy_load(&strict, "defrag_strict"));
	/* Room for 64 runs of up to 8 pages of each mobility: no ENOMEM. */
	id = hpmm_dfg_create(self->fd, "kt_bpf_r",
			     (struct hpmm_defrag_group_create){
				     .fields = F(POLICY) | F(LIMIT),
				     .policy = HPMM_DEFRAG_POLICY_BPF,
				     .limit = 8 });
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	memset(c, 0, sizeof(*c));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		churn_run(c, self->tfd, id);
		_exit(0);
	}

	link = bpf_map__attach_struct_ops(grouping.ops);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "grouping"));
	ASSERT_EQ(0, hpmm_wait_above(grouping.calls, 0));

	ASSERT_EQ(0, bpf_link__update_map(link, strict.ops));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "strict"));
	ASSERT_EQ(0, hpmm_wait_above(strict.calls, 0));
	g_plans = *grouping.calls;
	ASSERT_EQ(0, hpmm_wait_above(strict.calls, *strict.calls + 100));
	EXPECT_EQ(g_plans, *grouping.calls);

	ASSERT_EQ(0, bpf_link__destroy(link));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	ops = c->ops;
	ASSERT_EQ(0, hpmm_wait_above(&c->ops, ops + 100));
	c->stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(0ULL, c->errors) TH_LOG("last error: %s",
					   strerror(c->last_errno));
	ksft_print_msg("churn: %llu operations; plans: grouping %llu, strict %llu\n",
		       (unsigned long long)c->ops,
		       (unsigned long long)*grouping.calls,
		       (unsigned long long)*strict.calls);
	fflush(stdout); /* the harness's child ends with _exit() */
	EXPECT_EQ(0, hpmm_dfg_gstat("kt_bpf_r", "bad_plans"));
	EXPECT_EQ(0, hpmm_destroy(self->fd, id));
	munmap(c, sizeof(*c));
	hpmm_bpf_policy_close(&strict);
	hpmm_bpf_policy_close(&grouping);
}

/* One program at a time: a second attach is refused, the first stays. */
TEST_F(bpf, second_attach_refused)
{
	HPMM_NEED_BPF();
	struct hpmm_bpf_policy a, b;
	struct bpf_link *la, *lb;

	ASSERT_EQ(0, hpmm_bpf_policy_load(&a, "defrag_grouping"));
	ASSERT_EQ(0, hpmm_bpf_policy_load(&b, "defrag_strict"));
	la = bpf_map__attach_struct_ops(a.ops);
	ASSERT_NE(NULL, la);
	lb = bpf_map__attach_struct_ops(b.ops);
	EXPECT_EQ(NULL, lb);
	EXPECT_EQ(EEXIST, errno);
	if (lb)
		bpf_link__destroy(lb);
	EXPECT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "grouping"));
	ASSERT_EQ(0, bpf_link__destroy(la));
	EXPECT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	hpmm_bpf_policy_close(&b);
	hpmm_bpf_policy_close(&a);
}

#else /* !HPMM_HAVE_LIBBPF */

HPMM_BPF_PROGRAMS_SKIP(bpf);

#endif /* HPMM_HAVE_LIBBPF */

TEST_HARNESS_MAIN
