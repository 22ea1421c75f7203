// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's victim by BPF (Documentation/vpri.rst, "BPF victim policies"): the
 * "bpf" pin policy exists exactly where the kernel lets a module define
 * BPF struct_ops; a program attached to struct hpmm_vpri_ops picks which
 * of the oldest pinned pages a fault unpins; "lru" written as a program
 * faults exactly as the C "lru"; a program that decides otherwise changes
 * the faults; and programs are replaced and detached while the device
 * faults, with no access failing.
 *
 * The programs are tools/build/bpf/vpri_{lru,hits}.bpf.o ($HPMM_BPF_DIR
 * overrides), loaded with libbpf 1.4+. Needs root, hpmm.ko and the second
 * edu device; the tests that attach a program SKIP, naming the kernel,
 * where it has no BPF struct_ops for modules (6.1).
 */
#include <sys/utsname.h>

#include "vpri_lib.h"
#include "bpf_lib.h"
#include <uapi/hpmm-vpri-bpf.h>

#define BPF_STATUS	DBG_VPRI "/bpf"
#define EDU		HPMM_VPRI_BACKEND_EDU

FIXTURE(vbpf) {
	int fd;
	int supported;
	char *mem;
	size_t len;
	unsigned long long id;
	struct utsname uts;
	struct hpmm_devlist bound;
};

FIXTURE_SETUP(vbpf)
{
	struct hpmm_version v = { .size = sizeof(v) };

	self->fd = -1;
	self->mem = MAP_FAILED;
	uname(&self->uts);
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, HPMM_DEV_NODE " absent (hpmm not loaded)");
	if (ioctl(self->fd, HPMM_IOCTL_VERSION, &v) ||
	    !(v.components & HPMM_COMPONENT_VPRI))
		SKIP(return, "hpmm built without VPRI");
	hpmm_find_bound(&self->bound);
	if (self->bound.n < 2)
		SKIP(return, "VPRI needs a second edu device");
	self->supported = hpmm_bpf_supported(BPF_STATUS);
	ASSERT_LE(0, self->supported);
	self->len = NPAGES * PG;
	self->mem = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(vbpf)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->len);
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The policy is there exactly where the kernel can run it: a domain gets
 * it (and says so) where debugfs says "supported: 1", EOPNOTSUPP where it
 * says 0; it takes a budget, it is a pinned-mode policy, and the value
 * after it is EINVAL either way.
 */
TEST_F(vbpf, policy_follows_support)
{
	if (_metadata->skip)
		return;
	char buf[HPMM_FILE_MAX], s[32];
	int ret;

	/* The id in the fixture: a local would be clobbered by longjmp. */
	ret = vpri_register(self->fd, self->mem, self->len,
			    HPMM_VPRI_POLICY_BPF, 8, 0, &self->id);
	if (!self->supported) {
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("kernel %s", self->uts.release);
	} else {
		ASSERT_EQ(0, ret) TH_LOG("register: %s", strerror(-ret));
		ASSERT_LT(0, hpmm_read_filef(buf, sizeof(buf),
					     DBG_VPRI "/%llu/info", self->id));
		ASSERT_EQ(0, hpmm_kv_str(buf, "policy", s, sizeof(s)));
		EXPECT_STREQ("bpf", s);
		EXPECT_EQ(8, vpri_dom_dbg(self->id, "info", "budget"));
		EXPECT_EQ(0, vpri_destroy(self->fd, self->id));
	}
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_BPF, 1, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_BPF, 8,
					 HPMM_VPRI_REGISTER_ON_DEMAND, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_BPF + 1, 8, 0, NULL));
}

#ifdef HPMM_HAVE_LIBBPF

/* What one run of a stream counted. */
struct run {
	long long faults, evictions, choices, chosen_newer;
};

/*
 * A ring of 6 buffers the device uses twice per round, then 8 pages of a
 * scan it touches once (pages 6..63 in turn), for @rounds rounds. Through
 * the CPU backend (a copy through the IOMMU domain): the pin set decides
 * the same way whoever accesses, and edu takes 100 ms per DMA without
 * -icount; replace_while_faulting is the one with real DMA.
 */
static int ring_and_scan(int fd, unsigned long long id, int rounds)
{
	int r, k, p, ret, next = 0;

	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 2; k++)
			for (p = 0; p < 6; p++) {
				ret = vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, p * PG, 64, true);
				if (ret)
					return ret;
			}
		for (k = 0; k < 8; k++, next = (next + 1) % (NPAGES - 6)) {
			ret = vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, (6 + next) * PG, 64, true);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Registers @policy with a budget of 12, runs the stream, destroys it. */
static int run_stream(int fd, char *mem, size_t len, int policy,
		      struct run *out)
{
	unsigned long long id = 0;
	int ret;

	long long t0 = hpmm_now_ms();

	ret = vpri_register(fd, mem, len, policy, 12, 0, &id);
	if (ret)
		return ret;
	ret = ring_and_scan(fd, id, 10);
	ksft_print_msg("%s stream: %lld ms\n", policy_names[policy],
		       hpmm_now_ms() - t0);
	fflush(stdout); /* the harness's child ends with _exit() */
	out->faults = vpri_dom_dbg(id, "stats", "faults");
	out->evictions = vpri_dom_dbg(id, "stats", "evictions");
	out->choices = vpri_dom_dbg(id, "stats", "choices");
	out->chosen_newer = vpri_dom_dbg(id, "stats", "chosen_newer");
	vpri_destroy(fd, id);
	return ret;
}

/*
 * "lru" as a program is "lru": the same stream faults and unpins exactly
 * as the C policy; the program is asked once per eviction and always names
 * the oldest. Loaded, it holds the module; closed, it lets it go.
 */
TEST_F_TIMEOUT(vbpf, lru_program_is_lru, 600)
{
	HPMM_NEED_BPF();
	struct hpmm_bpf_policy lru;
	struct bpf_link *link;
	struct run c = { 0 }, b = { 0 };
	long long ref;

	ref = hpmm_module_refcnt();
	ASSERT_EQ(0, run_stream(self->fd, self->mem, self->len,
				HPMM_VPRI_POLICY_LRU, &c));
	ASSERT_EQ(0, hpmm_bpf_policy_load(&lru, "vpri_lru"));
	EXPECT_EQ(ref + 1, hpmm_module_refcnt());
	link = bpf_map__attach_struct_ops(lru.ops);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "lru"));
	ASSERT_EQ(0, run_stream(self->fd, self->mem, self->len,
				HPMM_VPRI_POLICY_BPF, &b));
	ksft_print_msg("faults: lru %lld, bpf lru %lld (evictions %lld, %lld)\n",
		       c.faults, b.faults, c.evictions, b.evictions);
	fflush(stdout); /* the harness's child ends with _exit() */
	EXPECT_LT(0, c.evictions);
	EXPECT_EQ(c.faults, b.faults);
	EXPECT_EQ(c.evictions, b.evictions);
	EXPECT_EQ(b.evictions, b.choices);
	EXPECT_EQ((__u64)b.choices, *lru.calls);
	EXPECT_EQ(0, b.chosen_newer);
	ASSERT_EQ(0, bpf_link__destroy(link));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	hpmm_bpf_policy_close(&lru);
	EXPECT_EQ(0, hpmm_wait_refcnt(ref));
}

/*
 * The program decides: "hits" unpins the scan's pages (no reuse) instead
 * of the ring's oldest buffer, so the ring stays pinned and the stream
 * faults less than under "lru". Detached, the domain is "lru" again.
 */
TEST_F_TIMEOUT(vbpf, program_decides_victim, 600)
{
	HPMM_NEED_BPF();
	struct hpmm_bpf_policy hits;
	struct bpf_link *link;
	struct run c = { 0 }, b = { 0 }, after = { 0 };

	ASSERT_EQ(0, run_stream(self->fd, self->mem, self->len,
				HPMM_VPRI_POLICY_LRU, &c));
	ASSERT_EQ(0, hpmm_bpf_policy_load(&hits, "vpri_hits"));
	link = bpf_map__attach_struct_ops(hits.ops);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "hits"));
	ASSERT_EQ(0, run_stream(self->fd, self->mem, self->len,
				HPMM_VPRI_POLICY_BPF, &b));
	ASSERT_EQ(0, bpf_link__destroy(link));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	ASSERT_EQ(0, run_stream(self->fd, self->mem, self->len,
				HPMM_VPRI_POLICY_BPF, &after));
	ksft_print_msg("faults: lru %lld, bpf hits %lld, bpf detached %lld\n",
		       c.faults, b.faults, after.faults);
	fflush(stdout); /* the harness's child ends with _exit() */
	EXPECT_LT(b.faults, c.faults);
	EXPECT_LT(0, b.chosen_newer);
	EXPECT_EQ(c.faults, after.faults);
	EXPECT_EQ(0, after.choices);
	hpmm_bpf_policy_close(&hits);
}

struct faulter {
	int fd;
	unsigned long long id;
	volatile int stop;
	volatile __u64 ops;
	volatile __u64 errors;
	volatile int last_errno;
};

/* Accesses random pages of the domain until stopped. */
static void *faulter_run(void *arg)
{
	struct faulter *f = arg;
	unsigned int seed = 1;
	int ret;

	while (!f->stop) {
		seed = seed * 1103515245 + 12345;
		ret = vpri_access(f->fd, f->id, EDU,
				  ((seed >> 8) % NPAGES) * PG, 64, true);
		if (ret) {
			f->errors++;
			f->last_errno = -ret;
		}
		f->ops++;
	}
	return NULL;
}

/*
 * Attach, replace and detach while another thread's accesses fault: every
 * access succeeds throughout, and the replaced program is not called once
 * the new one is.
 */
TEST_F_TIMEOUT(vbpf, replace_while_faulting, 600)
{
	HPMM_NEED_BPF();
	struct hpmm_bpf_policy lru, hits;
	struct faulter f = { .fd = self->fd };
	struct bpf_link *link;
	pthread_t thread;
	__u64 lru_calls, ops;

	ASSERT_EQ(0, hpmm_bpf_policy_load(&lru, "vpri_lru"));
	ASSERT_EQ(0, hpmm_bpf_policy_load(&hits, "vpri_hits"));
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_BPF, 8, 0, &f.id));
	ASSERT_EQ(0, pthread_create(&thread, NULL, faulter_run, &f));

	link = bpf_map__attach_struct_ops(lru.ops);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "lru"));
	ASSERT_EQ(0, hpmm_wait_above(lru.calls, 0));

	ASSERT_EQ(0, bpf_link__update_map(link, hits.ops));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "hits"));
	ASSERT_EQ(0, hpmm_wait_above(hits.calls, 0));
	lru_calls = *lru.calls;
	ASSERT_EQ(0, hpmm_wait_above(hits.calls, *hits.calls + 100));
	EXPECT_EQ(lru_calls, *lru.calls);

	ASSERT_EQ(0, bpf_link__destroy(link));
	ASSERT_EQ(0, hpmm_bpf_wait_attached(BPF_STATUS, "-"));
	ops = f.ops;
	ASSERT_EQ(0, hpmm_wait_above(&f.ops, ops + 100));
	f.stop = 1;
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0ULL, f.errors) TH_LOG("last error: %s", strerror(f.last_errno));
	ksft_print_msg("%llu accesses; choices: lru %llu, hits %llu\n",
		       (unsigned long long)f.ops,
		       (unsigned long long)*lru.calls,
		       (unsigned long long)*hits.calls);
	fflush(stdout); /* the harness's child ends with _exit() */
	/* Every answer of either program was counted, and only those. */
	EXPECT_EQ(*lru.calls + *hits.calls,
		  (__u64)vpri_dom_dbg(f.id, "stats", "choices"));
	EXPECT_EQ(0, vpri_destroy(self->fd, f.id));
	hpmm_bpf_policy_close(&hits);
	hpmm_bpf_policy_close(&lru);
}

#else /* !HPMM_HAVE_LIBBPF */

HPMM_BPF_PROGRAMS_SKIP(vbpf);

#endif /* HPMM_HAVE_LIBBPF */

TEST_HARNESS_MAIN
