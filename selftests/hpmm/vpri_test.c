// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI tests: registration and its errors, domains as /dev/hpmm objects
 * (HPMM_IOCTL_DESTROY, close, use from another file of the process), I/O
 * page faults and pinning through both backends, each policy's invariants,
 * munmap and exit while pages are pinned, RLIMIT_MEMLOCK, the DMAR proof
 * that unpinned pages are really unmapped (through hpmm_test.ko's
 * /dev/hpmm_test), concurrent submitters, and rmmod with a live domain.
 *
 * Run as root with hpmm and hpmm_test loaded (hpmm.sh does both). Every
 * test skips when /dev/hpmm is absent, hpmm has no VPRI, or there is no
 * second edu device; the hpmm_test.ko ones also when it is not loaded.
 */
#include "vpri_lib.h"

TEST_F(vpri, register_destroy)
{
	unsigned long long id = 0;
	char type[32];

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	EXPECT_EQ(1, vpri_dom_dbg(id, "info", "live"));
	EXPECT_EQ(NPAGES, vpri_dom_dbg(id, "info", "nr_pages"));
	EXPECT_EQ(8, vpri_dom_dbg(id, "info", "budget"));
	EXPECT_EQ(1, vpri_dbg("status", "domains"));
	/* Nothing is pinned at registration. */
	EXPECT_EQ(0, vpri_dom_dbg(id, "stats", "pinned"));
	vpri_dev_domain(self->bound.name[1], type, sizeof(type));
	EXPECT_STREQ("unmanaged", type);

	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(-ENOENT, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dom_dbg(id, "info", "live"));
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	/* The device is back in its default DMA domain. */
	vpri_dev_domain(self->bound.name[1], type, sizeof(type));
	EXPECT_EQ(0, strncmp(type, "DMA", 3)) TH_LOG("domain_type %s", type);
}

/*
 * One owner of the device's DMA at a time: while VPRI's domain is attached
 * the DMA API's default domain is not what the device translates through,
 * so the device's self-tests and HPA pools on it refuse with EBUSY (a
 * round trip would read and write the VPRI process's pages); while an HPA
 * pool maps blocks on it with the DMA API, registration refuses.
 */
TEST_F(vpri, device_has_one_dma_owner)
{
	const char *bdf = self->bound.name[1];
	static const char create[] = "create kt_vpri_owner hpa dev=1";
	static const char destroy[] = "destroy kt_vpri_owner";
	unsigned long long id = 0;
	int fd, ret;

	NEED_VPRI();
	/* Free device: a round trip works. */
	ASSERT_EQ(0, hpmm_controlf(bdf, "roundtrip cpu 64"));
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	EXPECT_EQ(-EBUSY, hpmm_controlf(bdf, "roundtrip cpu 64"));
	EXPECT_EQ(-EBUSY, hpmm_controlf(bdf, "roundtrip edu 64"));
	EXPECT_EQ(-EBUSY, hpmm_controlf(bdf, "fault cpu 0x100000"));
	/* HPA pools are made through hpmm_test.ko's control file. */
	fd = open(HPMM_TEST_DBG_ROOT "/hpa/control", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("hpmm_test/hpa/control: %s", strerror(errno));
	ret = write(fd, create, strlen(create)) < 0 ? -errno : 0;
	EXPECT_EQ(-EBUSY, ret);
	if (!ret)
		write(fd, destroy, strlen(destroy));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, hpmm_controlf(bdf, "roundtrip cpu 64"));

	/* An HPA pool on the device: registration refuses until it goes. */
	ASSERT_EQ((ssize_t)strlen(create), write(fd, create, strlen(create)));
	EXPECT_EQ(-EBUSY, vpri_register(self->fd, self->mem, self->len,
					HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	ASSERT_EQ((ssize_t)strlen(destroy),
		  write(fd, destroy, strlen(destroy)));
	close(fd);
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

TEST_F(vpri, bad_registrations)
{
	unsigned long long id = 0, id2 = 0;
	char *shared, *hole;

	NEED_VPRI();
	/* Unaligned address or length, empty range. */
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem + 8, PG,
					 HPMM_VPRI_POLICY_ALL, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, PG + 8,
					 HPMM_VPRI_POLICY_ALL, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, 0,
					 HPMM_VPRI_POLICY_ALL, 0, 0, NULL));
	/* Unknown policy or flag, budgets out of 2..nr_pages. */
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_NR_POLICIES, 8, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_LRU, 8, 1ULL << 40,
					 NULL));
	/* The test hooks' old bit: the hooks are hpmm_test.ko's now. */
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_LRU, 8, 1, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_LRU, 1, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_ADP, NPAGES + 1, 0,
					 NULL));
	/* Beyond the 28-bit DMA space. */
	EXPECT_EQ(-EFBIG, vpri_register(self->fd, self->mem,
					HPMM_VPRI_MAX_LENGTH + PG,
					HPMM_VPRI_POLICY_ALL, 0, 0, NULL));
	/* A hole in the range. */
	hole = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole + PG, PG));
	EXPECT_EQ(-EFAULT, vpri_register(self->fd, hole, 3 * PG,
					 HPMM_VPRI_POLICY_ALL, 0, 0, NULL));
	munmap(hole, 3 * PG);
	/* Not private anonymous memory (shmem). */
	shared = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	EXPECT_EQ(-EOPNOTSUPP, vpri_register(self->fd, shared, 4 * PG,
					     HPMM_VPRI_POLICY_ALL, 0, 0,
					     NULL));
	munmap(shared, 4 * PG);
	EXPECT_EQ(0, vpri_dbg("status", "domains"));

	/* Overlapping a live domain, then the device already in use. */
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len / 2,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	EXPECT_EQ(-EEXIST, vpri_register(self->fd, self->mem + 4 * PG,
					 self->len / 2, HPMM_VPRI_POLICY_ALL,
					 0, 0, NULL));
	EXPECT_EQ(-EBUSY, vpri_register(self->fd, self->mem + self->len / 2,
					self->len / 2, HPMM_VPRI_POLICY_ALL,
					0, 0, &id2));
	EXPECT_EQ(1, vpri_dbg("status", "domains"));
	EXPECT_EQ(0, vpri_destroy(self->fd, id));
}

TEST_F(vpri, bad_requests)
{
	struct hpmm_vpri_req reqs[3] = {
		{ .iova = 0, .len = 64 },
		{ .iova = PG, .len = 64 },
		{ .iova = self->len, .len = 1 },
	};
	struct hpmm_vpri_submit out;
	unsigned long long id = 0;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	/* Outside the domain: refused before anything runs. */
	EXPECT_EQ(-ERANGE, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, 3, &out));
	EXPECT_EQ(2, out.nr_done);
	EXPECT_EQ(0, vpri_dom_dbg(id, "stats", "accesses"));
	EXPECT_EQ(-ERANGE, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       self->len - 10, 11, false));
	EXPECT_EQ(-ERANGE, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       ~0UL - 5, 10, false));
	/* Lengths the device cannot do, unknown flags, backends, domains. */
	EXPECT_EQ(-EINVAL, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       0, 0, false));
	EXPECT_EQ(-EINVAL, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       0, 4096, false));
	reqs[0].flags = 1ULL << 7;
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, 1, NULL));
	/* The test hooks' old bit: no test flag in the production ABI. */
	reqs[0].flags = 1ULL << 1;
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, 1, NULL));
	reqs[0].flags = 0;
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, 7, reqs, 1, NULL));
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, HPMM_VPRI_MAX_BATCH + 1, NULL));
	EXPECT_EQ(-EFAULT, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       (void *)8, 1, NULL));
	EXPECT_EQ(-ENOENT, vpri_submit(self->fd, id + 1000,
				       HPMM_VPRI_BACKEND_CPU, reqs, 1, NULL));
	EXPECT_EQ(0, vpri_dom_dbg(id, "stats", "faults"));
	EXPECT_EQ(0, vpri_destroy(self->fd, id));
}

/* Data moves between the process's pages at IOVA = offset, both ways. */
static void data_path(struct __test_metadata *_metadata, int fd, char *mem,
		      size_t len, int backend)
{
	struct hpmm_vpri_submit out;
	struct hpmm_vpri_stats st;
	struct hpmm_vpri_req reqs[2];
	unsigned long long id = 0;
	long lck0 = vmlck_kb();
	int i;

	for (i = 0; i < 100; i++)
		mem[3 * PG + 40 + i] = (char)(i * 3 + 1);
	memset(mem + 5 * PG, 0, PG);
	ASSERT_EQ(0, vpri_register(fd, mem, len, HPMM_VPRI_POLICY_LRU, 4, 0,
				   &id));
	/* Device reads page 3, then writes page 5: two faults. */
	reqs[0] = (struct hpmm_vpri_req){ .iova = 3 * PG + 40, .len = 100 };
	reqs[1] = (struct hpmm_vpri_req){ .iova = 5 * PG + 10, .len = 100,
					  .flags = HPMM_VPRI_REQ_WRITE };
	ASSERT_EQ(0, vpri_submit(fd, id, backend, reqs, 2, &out));
	EXPECT_EQ(2, out.nr_done);
	EXPECT_EQ(2, out.faults);
	EXPECT_EQ(0, out.hits);
	EXPECT_EQ(0, memcmp(mem + 3 * PG + 40, mem + 5 * PG + 10, 100));
	/* Again: both pages are pinned now, no fault. */
	ASSERT_EQ(0, vpri_submit(fd, id, backend, reqs, 2, &out));
	EXPECT_EQ(0, out.faults);
	EXPECT_EQ(2, out.hits);
	ASSERT_EQ(0, vpri_stats(fd, id, &st));
	EXPECT_EQ(2, st.pinned);
	EXPECT_EQ(2, st.pins);
	EXPECT_EQ(2, st.faults);
	EXPECT_EQ(4, st.accesses);
	EXPECT_EQ(2, st.locked_vm);
	EXPECT_EQ(lck0 + 8, vmlck_kb());
	EXPECT_EQ(2, vpri_dom_dbg(id, "stats", "pinned"));
	EXPECT_EQ(2, vpri_dbg("status", "pinned"));
	ASSERT_EQ(0, vpri_destroy(fd, id));
	EXPECT_EQ(lck0, vmlck_kb());
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	EXPECT_EQ(2, vpri_dom_dbg(id, "stats", "unpins"));
}

TEST_F(vpri, data_path_cpu)
{
	NEED_VPRI();
	data_path(_metadata, self->fd, self->mem, self->len,
		  HPMM_VPRI_BACKEND_CPU);
}

TEST_F_TIMEOUT(vpri, data_path_edu, 120)
{
	NEED_VPRI();
	data_path(_metadata, self->fd, self->mem, self->len,
		  HPMM_VPRI_BACKEND_EDU);
}

/* An access across a page boundary faults on both of its pages. */
TEST_F(vpri, straddling_access)
{
	struct hpmm_vpri_submit out;
	struct hpmm_vpri_req r = { .iova = 2 * PG - 50, .len = 100 };
	unsigned long long id = 0;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 2, 0, &id));
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, &r, 1,
				 &out));
	EXPECT_EQ(2, out.faults);
	/* With a budget of 2, the next straddling access evicts both. */
	r.iova = 10 * PG - 50;
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, &r, 1,
				 &out));
	EXPECT_EQ(2, out.faults);
	EXPECT_EQ(2, vpri_dom_dbg(id, "stats", "pinned"));
	EXPECT_EQ(2, vpri_dom_dbg(id, "stats", "pinned_peak"));
	EXPECT_EQ(0, vpri_destroy(self->fd, id));
}

/* A reproducible page stream with reuse: a hot set plus a scan. */
static unsigned long stream_page(unsigned int i, unsigned int npages)
{
	unsigned int x = i * 2654435761u;

	if (i % 5 == 4)
		return i % npages;		/* scan */
	return (x >> 16) % (npages / 4);	/* hot quarter */
}

/* The pin budget is never exceeded, whatever the policy. */
TEST_F_TIMEOUT(vpri, budget_invariant, 120)
{
	static const int policies[] = {
		HPMM_VPRI_POLICY_LRU, HPMM_VPRI_POLICY_CLOCK,
		HPMM_VPRI_POLICY_ADP, HPMM_VPRI_POLICY_ARC,
	};
	struct hpmm_vpri_req reqs[100];
	struct hpmm_vpri_submit out;
	struct hpmm_vpri_stats st;
	unsigned int p, b, i;
	unsigned long long id = 0;

	NEED_VPRI();
	for (p = 0; p < ARRAY_LEN(policies); p++) {
		const unsigned int budget = 6;
		unsigned long long faults = 0;

		ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
					   policies[p], budget, 0, &id));
		for (b = 0; b < 20; b++) {
			for (i = 0; i < ARRAY_LEN(reqs); i++) {
				unsigned int k = b * ARRAY_LEN(reqs) + i;

				/* Every seventh access straddles two pages. */
				reqs[i].iova = stream_page(k, NPAGES) * PG +
					       (k % 7 ? 64 : PG - 32);
				if (reqs[i].iova + 64 > self->len)
					reqs[i].iova = 64;
				reqs[i].len = 64;
				reqs[i].flags = k & 1 ? HPMM_VPRI_REQ_WRITE : 0;
			}
			ASSERT_EQ(0, vpri_submit(self->fd, id,
						 HPMM_VPRI_BACKEND_CPU, reqs,
						 ARRAY_LEN(reqs), &out));
			faults += out.faults;
			ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
			ASSERT_LE(st.pinned, budget)
				TH_LOG("%s: %llu pinned", policy_names[policies[p]],
				       st.pinned);
			ASSERT_LE(st.peak_pinned, budget);
			ASSERT_LE(st.target, budget);
			EXPECT_EQ(st.pinned, st.locked_vm);
			EXPECT_EQ(st.pins - st.unpins, st.pinned);
		}
		EXPECT_EQ(faults, st.faults);
		EXPECT_EQ(st.accesses, st.faults + st.hits);
		EXPECT_GT(st.hits, 0) TH_LOG("%s never hit",
					      policy_names[policies[p]]);
		EXPECT_LE(vpri_dom_dbg(id, "stats", "pinned_peak"), budget);
		ASSERT_EQ(0, vpri_destroy(self->fd, id));
		EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	}
}

/* "all" faults once per page; "none" on every access and keeps nothing. */
TEST_F(vpri, all_and_none)
{
	struct hpmm_vpri_req reqs[3 * NPAGES];
	struct hpmm_vpri_submit out;
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	unsigned int i;

	NEED_VPRI();
	for (i = 0; i < ARRAY_LEN(reqs); i++)
		reqs[i] = (struct hpmm_vpri_req){
			.iova = ((i * 7) % NPAGES) * PG + 8, .len = 32 };

	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs,
				 ARRAY_LEN(reqs), &out));
	EXPECT_EQ(NPAGES, out.faults);
	EXPECT_EQ(2 * NPAGES, out.hits);
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(NPAGES, st.pinned);
	EXPECT_EQ(0, st.unpins);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));

	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_NONE, 0, 0, &id));
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs,
				 ARRAY_LEN(reqs), &out));
	EXPECT_EQ(ARRAY_LEN(reqs), out.faults);
	EXPECT_EQ(0, out.hits);
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(1, st.peak_pinned);
	EXPECT_EQ(ARRAY_LEN(reqs), st.unpins);
	EXPECT_EQ(0, st.locked_vm);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/* A loop one page longer than the budget: LRU faults on every access. */
TEST_F(vpri, lru_loop_pathology)
{
	struct hpmm_vpri_req reqs[9 * 10];
	struct hpmm_vpri_submit lru, adp;
	unsigned long long id = 0;
	unsigned int i;

	NEED_VPRI();
	for (i = 0; i < ARRAY_LEN(reqs); i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 9) * PG,
						  .len = 16 };
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 8, 0, &id));
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs,
				 ARRAY_LEN(reqs), &lru));
	EXPECT_EQ(ARRAY_LEN(reqs), lru.faults);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));

	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ADP, 8, 0, &id));
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs,
				 ARRAY_LEN(reqs), &adp));
	EXPECT_LT(adp.faults * 2, lru.faults)
		TH_LOG("adp %llu faults, lru %llu", adp.faults, lru.faults);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/* munmap of pinned pages unpins them, unmaps them, gives locked_vm back. */
TEST_F(vpri, munmap_while_pinned)
{
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	long lck0 = vmlck_kb();
	unsigned int i;
	int tries;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 i * PG, 8, true));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	ASSERT_EQ(16, st.pinned);
	EXPECT_EQ(lck0 + 64, vmlck_kb());

	/* Unmap pages 4..11 (8 of them pinned). */
	ASSERT_EQ(0, munmap(self->mem + 4 * PG, 8 * PG));
	for (tries = 0; tries < 100; tries++) {
		ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
		if (st.locked_vm == 8)
			break;
		usleep(10000);
	}
	EXPECT_EQ(8, st.pinned);
	EXPECT_EQ(8, st.invalidations);
	EXPECT_EQ(8, st.unpins);
	EXPECT_EQ(8, st.locked_vm);
	EXPECT_EQ(lck0 + 32, vmlck_kb());
	/* The IOVA of an unmapped page faults, and the pin fails. */
	EXPECT_EQ(-EFAULT, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       5 * PG, 8, false));
	/* The rest still works. */
	EXPECT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				 20 * PG, 8, false));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(lck0, vmlck_kb());
	/* Teardown's munmap must skip the hole. */
	munmap(self->mem, 4 * PG);
	munmap(self->mem + 12 * PG, self->len - 12 * PG);
	self->mem = MAP_FAILED;
}

struct dma_thread {
	int fd;
	unsigned long long id;
	unsigned long iova;
	int ret;
};

static void *edu_read(void *arg)
{
	struct dma_thread *t = arg;

	t->ret = vpri_access(t->fd, t->id, HPMM_VPRI_BACKEND_EDU, t->iova, 64,
			     false);
	return NULL;
}

/*
 * munmap of a page while an edu DMA (100 ms) is using it: the page leaves
 * the front end at once and is unpinned when the DMA ends, never under it.
 */
TEST_F_TIMEOUT(vpri, munmap_during_dma, 120)
{
	struct dma_thread t;
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	long lck0 = vmlck_kb();
	pthread_t th;
	int tries;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 5 * PG,
				 8, false));
	t = (struct dma_thread){ .fd = self->fd, .id = id, .iova = 5 * PG };
	ASSERT_EQ(0, pthread_create(&th, NULL, edu_read, &t));
	usleep(20000);
	ASSERT_EQ(0, munmap(self->mem + 5 * PG, PG));
	pthread_join(th, NULL);
	EXPECT_EQ(0, t.ret);
	for (tries = 0; tries < 100; tries++) {
		ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
		if (!st.pinned && !st.locked_vm)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, st.invalidations);
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(1, st.unpins);
	EXPECT_EQ(0, st.locked_vm);
	EXPECT_EQ(lck0, vmlck_kb());
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	EXPECT_EQ(-EFAULT, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       5 * PG, 8, false));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	munmap(self->mem, 5 * PG);
	munmap(self->mem + 6 * PG, self->len - 6 * PG);
	self->mem = MAP_FAILED;
}

/* Registers, pins and exits without unregistering. */
/*
 * In a child: registers @npages, pins them (all; or, @on_demand, maps them
 * on demand and lets adp pin half of them after a window of accesses),
 * then exits or is killed with the domain live.
 */
static void pin_and_exit(int npages, bool kill_self, bool on_demand)
{
	struct hpmm_vpri_register r = { .size = sizeof(r) };
	struct hpmm_vpri_req req = { .len = 8 };
	struct hpmm_vpri_submit s = { .size = sizeof(s) };
	struct hpmm_vpri_stats st = { .size = sizeof(st) };
	int fd, i, accesses = on_demand ? 4200 : npages;
	char *mem;

	fd = open(HPMM_DEV_NODE, O_RDWR);
	mem = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || mem == MAP_FAILED)
		_exit(2);
	r.addr = (unsigned long)mem;
	r.length = npages * PG;
	r.policy = on_demand ? HPMM_VPRI_POLICY_ADP : HPMM_VPRI_POLICY_ALL;
	r.flags = on_demand ? HPMM_VPRI_REGISTER_ON_DEMAND : 0;
	r.budget = on_demand ? npages / 2 : 0;
	if (ioctl(fd, HPMM_VPRI_REGISTER, &r))
		_exit(3);
	s.domain_id = r.domain_id;
	s.backend = HPMM_VPRI_BACKEND_CPU;
	s.reqs = (unsigned long)&req;
	s.nr_reqs = 1;
	for (i = 0; i < accesses; i++) {
		req.iova = (i % npages) * PG;
		if (ioctl(fd, HPMM_VPRI_SUBMIT, &s))
			_exit(4);
	}
	st.domain_id = r.domain_id;
	if (ioctl(fd, HPMM_VPRI_STATS, &st) || !st.pinned || !st.mapped)
		_exit(5);
	if (kill_self)
		raise(SIGKILL);
	_exit(0);
}

static void exit_while_pinned(struct __test_metadata *_metadata,
			      bool kill_self, bool on_demand)
{
	long long maps0, maps, pages0, pages;
	int status, tries;
	pid_t pid;

	ASSERT_EQ(0, hpmm_read_live(&pages0, &maps0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		pin_and_exit(32, kill_self, on_demand);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (kill_self) {
		ASSERT_TRUE(WIFSIGNALED(status));
	} else {
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	for (tries = 0; tries < 3000; tries++) {
		if (!vpri_dbg("status", "domains") &&
		    !vpri_dbg("status", "pinned"))
			break;
		usleep(10000);
	}
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(maps0, maps);
	EXPECT_EQ(pages0, pages);
}

TEST_F(vpri, exit_while_pinned)
{
	NEED_VPRI();
	exit_while_pinned(_metadata, false, false);
}

TEST_F(vpri, killed_while_pinned)
{
	NEED_VPRI();
	exit_while_pinned(_metadata, true, false);
}

/* The same with an on-demand domain: pages mapped, adp's pins live. */
TEST_F(vpri, on_demand_exit_and_kill)
{
	NEED_VPRI();
	exit_while_pinned(_metadata, false, true);
	exit_while_pinned(_metadata, true, true);
}

/* Drops CAP_IPC_LOCK from this process's effective set. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1u << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* In a child: RLIMIT_MEMLOCK of 4 pages; the 5th pin fails with ENOMEM. */
static int memlock_child(void)
{
	struct rlimit rl = { .rlim_cur = 4 * PG, .rlim_max = 4 * PG };
	unsigned long long id = 0;
	int fd, i, ret;
	char *mem;

	if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
		return 10;
	fd = open(HPMM_DEV_NODE, O_RDWR);
	mem = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || mem == MAP_FAILED)
		return 11;
	if (vpri_register(fd, mem, 16 * PG, HPMM_VPRI_POLICY_ALL, 0, 0, &id))
		return 12;
	for (i = 0; i < 4; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 8, false))
			return 20 + i;
	ret = vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, 4 * PG, 8, false);
	if (ret != -ENOMEM)
		return 30;
	/* Pinned pages still work; the failed fault left nothing behind. */
	if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, 2 * PG, 8, false))
		return 31;
	if (vmlck_kb() != 16)
		return 32;
	if (vpri_destroy(fd, id))
		return 33;
	/* A budget within the limit runs forever. */
	if (vpri_register(fd, mem, 16 * PG, HPMM_VPRI_POLICY_LRU, 4, 0, &id))
		return 40;
	for (i = 0; i < 64; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, (i % 16) * PG, 8,
				false))
			return 41;
	if (vmlck_kb() != 16)
		return 42;
	return 0;
}

TEST_F(vpri, rlimit_memlock)
{
	int status;
	pid_t pid;

	NEED_VPRI();
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(memlock_child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
}

/*
 * The DMAR proof: with the bitmap check skipped (hpmm_test.ko's
 * HPMM_TEST_VPRI_DMA), an edu write to a page the policy unpinned is
 * blocked by the IOMMU (a DMAR fault in the log) and the page is untouched,
 * while the same write to a pinned page lands.
 */
TEST_F_TIMEOUT(vpri, dmar_fault_on_unpinned_page, 120)
{
	const char *needles[] = { "DMAR:", "fault addr 0x3000", NULL };
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	char line[512];
	int kmsg, tfd, i;

	NEED_VPRI();
	tfd = vpri_test_open();
	if (tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, tfd) TH_LOG("%s: %s", HPMM_TEST_DEV_NODE, strerror(-tfd));
	for (i = 0; i < 64; i++) {
		self->mem[3 * PG + i] = 'a';
		self->mem[4 * PG + i] = 'c';
		self->mem[5 * PG + i] = 'b';
	}
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 2, 0, &id));
	/* Pages 3, 4, 5 in turn: page 3 is unpinned and unmapped. */
	for (i = 3; i <= 5; i++)
		ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_EDU,
					 i * PG, 64, false));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	ASSERT_EQ(2, st.pinned);
	/* The device buffer now holds page 5's "b"s. */
	kmsg = hpmm_kmsg_open();
	ASSERT_LE(0, kmsg);
	EXPECT_EQ(0, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_EDU, 3 * PG, 64,
				   true));
	EXPECT_EQ(1, hpmm_kmsg_wait(kmsg, needles, 5000, line, sizeof(line)))
		TH_LOG("no DMAR fault for IOVA 0x3000 in the kernel log");
	close(kmsg);
	for (i = 0; i < 64; i++)
		ASSERT_EQ('a', self->mem[3 * PG + i]);
	/* The CPU backend refuses the same access: it does not translate. */
	EXPECT_EQ(-EFAULT, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
					 3 * PG, 64, true));
	/* Control: the hook's write to a pinned page (4) lands. */
	EXPECT_EQ(0, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_EDU, 4 * PG, 64,
				   true));
	for (i = 0; i < 64; i++)
		ASSERT_EQ('b', self->mem[4 * PG + i]);
	/* No pin was taken for the hooked accesses. */
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(3, st.faults);
	EXPECT_EQ(3, st.pins);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	close(tfd);
}

/* HPMM_TEST_VPRI_DMA checks what it is given, as SUBMIT does. */
TEST_F(vpri, test_hook_checks)
{
	unsigned long long id = 0;
	int tfd;

	NEED_VPRI();
	tfd = vpri_test_open();
	if (tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, tfd);
	EXPECT_EQ(-ENOENT, vpri_test_dma(tfd, 1U << 30, HPMM_VPRI_BACKEND_CPU,
					 0, 64, false));
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	EXPECT_EQ(-ERANGE, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
					 self->len - 10, 11, false));
	EXPECT_EQ(-EINVAL, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 0, 0,
					 false));
	EXPECT_EQ(-EINVAL, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 0,
					 4096, false));
	EXPECT_EQ(-EINVAL, vpri_test_dma(tfd, id, 7, 0, 64, false));
	/* Nothing pinned: the CPU backend finds no translation. */
	EXPECT_EQ(-EFAULT, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 0, 64,
					 false));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 0, 8,
				 false));
	EXPECT_EQ(0, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 0, 64,
				   false));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(-ENOENT, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 0, 64,
					 false));
	close(tfd);
}

struct hook_thread {
	int tfd;
	unsigned long long id;
	int stop;
	int ret;
	unsigned long done;
};

/* CPU-backend hook writes to every page in turn, until told to stop. */
static void *hook_writer(void *arg)
{
	struct hook_thread *t = arg;
	unsigned long i;
	int ret;

	for (i = 0; !__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE); i++) {
		ret = vpri_test_dma(t->tfd, t->id, HPMM_VPRI_BACKEND_CPU,
				    (i % 8) * PG + 16, 32, true);
		/* An unpinned page does not translate: EFAULT, nothing moved. */
		if (ret && ret != -EFAULT) {
			t->ret = ret;
			break;
		}
		t->done++;
	}
	return NULL;
}

/*
 * The hook's CPU-backend accesses while the policy pins and unpins the
 * same pages (issue 17: the translation and the copy ran outside any lock
 * the unpinner takes): every hook access either finds its page pinned or
 * refuses, the counters stay consistent, and in the debug kernel KASAN
 * sees no access to a freed page.
 */
TEST_F_TIMEOUT(vpri, test_hook_races_evictions, 120)
{
	struct hpmm_vpri_req reqs[64];
	struct hpmm_vpri_stats st;
	struct hook_thread t = { 0 };
	unsigned long long id = 0;
	pthread_t th;
	int b, i;

	NEED_VPRI();
	t.tfd = vpri_test_open();
	if (t.tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, t.tfd);
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 2, 0, &id));
	t.id = id;
	ASSERT_EQ(0, pthread_create(&th, NULL, hook_writer, &t));
	/* A loop over 8 pages with a budget of 2: every access evicts. */
	for (b = 0; b < 20; b++) {
		for (i = 0; i < 64; i++)
			reqs[i] = (struct hpmm_vpri_req){
				.iova = (i % 8) * PG + 1024, .len = 64 };
		ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 reqs, 64, NULL));
	}
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	EXPECT_EQ(0, t.ret);
	EXPECT_LT(0, t.done);
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_LE(st.peak_pinned, 2);
	EXPECT_EQ(st.pins - st.unpins, st.pinned);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	close(t.tfd);
}

/*
 * A domain is an object of the file that registered it: only that file
 * destroys it, and closing it destroys the domain. Any other open file of
 * the same process may use it (SUBMIT, STATS) while it lives.
 */
TEST_F(vpri, domain_is_an_object_of_its_file)
{
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	int fd2;

	NEED_VPRI();
	fd2 = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, vpri_register(fd2, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 4, 0, &id));
	/* Used through another file of the process. */
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, PG, 8,
				 false));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(1, st.pinned);
	/* Not destroyed through it, nor by an id of another type. */
	EXPECT_EQ(-ENOENT, vpri_destroy(self->fd, id));
	EXPECT_EQ(1, vpri_dbg("status", "domains"));
	/* Closing its file destroys it. */
	ASSERT_EQ(0, close(fd2));
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	EXPECT_EQ(0, vpri_dom_dbg(id, "info", "live"));
	EXPECT_EQ(1, vpri_dom_dbg(id, "stats", "unpins"));
	EXPECT_EQ(-ENOENT, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       PG, 8, false));
	EXPECT_EQ(-ENOENT, vpri_stats(self->fd, id, &st));
}

/* Another process cannot use a domain, whatever file it has. */
TEST_F(vpri, domain_of_another_process)
{
	unsigned long long id = 0;
	int status;
	pid_t pid;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct hpmm_vpri_stats st;
		int fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);

		/* Its own file, and the inherited one. */
		if (fd < 0 || vpri_stats(fd, id, &st) != -ENOENT ||
		    vpri_stats(self->fd, id, &st) != -ENOENT ||
		    vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 0, 8,
				false) != -ENOENT)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

struct submitter {
	unsigned long long id;
	char *mem;
	int cpu;
	int ret;
	unsigned long long faults;
};

static void *submit_thread(void *arg)
{
	struct submitter *s = arg;
	struct hpmm_vpri_req reqs[64];
	struct hpmm_vpri_submit out;
	cpu_set_t set;
	int fd, b, i;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	fd = open(HPMM_DEV_NODE, O_RDWR);
	if (fd < 0) {
		s->ret = -errno;
		return NULL;
	}
	for (b = 0; b < 20 && !s->ret; b++) {
		for (i = 0; i < 64; i++)
			reqs[i] = (struct hpmm_vpri_req){
				.iova = stream_page(b * 64 + i + s->cpu * 7,
						    NPAGES) * PG + 8,
				.len = 64,
				.flags = i & 1 ? HPMM_VPRI_REQ_WRITE : 0 };
		s->ret = vpri_submit(fd, s->id, HPMM_VPRI_BACKEND_CPU, reqs, 64,
				     &out);
		s->faults += out.faults;
	}
	close(fd);
	return NULL;
}

/* Two threads on two CPUs, each through its own open file, one domain. */
TEST_F_TIMEOUT(vpri, concurrent_submitters, 120)
{
	struct submitter s[2];
	struct hpmm_vpri_stats st;
	pthread_t t[2];
	unsigned long long id = 0;
	int i;

	NEED_VPRI();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 CPUs");
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_CLOCK, 6, 0, &id));
	for (i = 0; i < 2; i++) {
		s[i] = (struct submitter){ .id = id, .mem = self->mem, .cpu = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, submit_thread, &s[i]));
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, s[i].ret);
	}
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_LE(st.peak_pinned, 6);
	EXPECT_EQ(st.pins - st.unpins, st.pinned);
	/* Both CPUs' workers served faults. */
	EXPECT_LT(0, vpri_dom_dbg(id, "workers", "cpu0"));
	EXPECT_LT(0, vpri_dom_dbg(id, "workers", "cpu1"));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
}

/* rmmod while a domain lives: refused, nothing torn down under us. */
TEST_F(vpri, rmmod_with_live_domain)
{
	unsigned long long id = 0;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 0, 8,
				 false));
	EXPECT_NE(0, syscall(SYS_delete_module, "hpmm", O_NONBLOCK));
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, PG, 8,
				 false));
	EXPECT_EQ(2, vpri_dom_dbg(id, "stats", "pinned"));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/* The debugfs files a domain leaves behind. */
TEST_F(vpri, debugfs_files)
{
	unsigned long long id = 0;
	char buf[HPMM_FILE_MAX];
	int fd;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ADP, 8, 0, &id));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 0, 8,
				 false));
	EXPECT_EQ(1, vpri_dom_dbg(id, "latency", "all.count"));
	EXPECT_EQ(1, vpri_dom_dbg(id, "latency", "noswap.count") +
		     vpri_dom_dbg(id, "latency", "swapin.count"));
	EXPECT_LT(0, vpri_dom_dbg(id, "latency", "all.p50_ns"));
	EXPECT_LE(vpri_dom_dbg(id, "latency", "all.p50_ns"),
		  vpri_dom_dbg(id, "latency", "all.p9999_ns"));
	EXPECT_EQ(1, vpri_dom_dbg(id, "rate", "bins") > 0);
	EXPECT_EQ(1, vpri_dom_dbg(id, "stats", "bitmap_tests"));
	EXPECT_LE(1, vpri_dom_dbg(id, "stats", "bitmap_updates"));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dom_dbg(id, "info", "live"));
	EXPECT_LE(1, vpri_dbg("status", "stats_kept"));
	ASSERT_LT(0, hpmm_read_file(DBG_VPRI "/workers", buf, sizeof(buf)));

	/* "forget" drops the statistics of destroyed domains. */
	fd = open(DBG_VPRI "/control", O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "frobnicate", 10));
	EXPECT_EQ(EINVAL, errno);
	/* The benchmark is hpmm_test.ko's. */
	EXPECT_EQ(-1, write(fd, "bench 4096 1000", 15));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(6, write(fd, "forget", 6));
	close(fd);
	EXPECT_EQ(-1, vpri_dom_dbg(id, "info", "live"));
	EXPECT_EQ(0, vpri_dbg("status", "stats_kept"));
}

/* hpmm_test.ko's PA-BITMAP micro-benchmark. */
TEST_F(vpri, bitmap_bench)
{
	char path[128];
	long long v;
	char buf[HPMM_FILE_MAX];
	int fd;

	NEED_VPRI();
	fd = open(DBG_TEST_VPRI "/control", O_WRONLY);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "bench 0 10", 10));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(fd, "bench 4096 0", 12));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(fd, "frobnicate", 10));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(15, write(fd, "bench 4096 1000", 15));
	close(fd);
	snprintf(path, sizeof(path), "%s", DBG_TEST_VPRI "/bench");
	ASSERT_LT(0, hpmm_read_file(path, buf, sizeof(buf)));
	ASSERT_EQ(0, hpmm_kv_ll(buf, "iters", &v));
	EXPECT_EQ(1000, v);
	ASSERT_EQ(0, hpmm_kv_ll(buf, "pages", &v));
	EXPECT_EQ(4096, v);
	ASSERT_EQ(0, hpmm_kv_ll(buf, "test_ps", &v));
	EXPECT_LT(0, v);
}

/*
 * MADV_DONTNEED of a pinned page (issue 17): the process gets a fresh page
 * at the address, and the device must follow it. The pinned mode used to
 * act on munmap only: the device kept reading and writing the old page,
 * which stayed pinned and charged until the domain went.
 */
static void dontneed_follows(struct __test_metadata *_metadata, int fd,
			     char *mem, size_t len, int backend)
{
	struct hpmm_vpri_req reqs[2];
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	long lck0 = vmlck_kb();

	memset(mem + 2 * PG, 'x', PG);
	memset(mem + 3 * PG, 'z', PG);
	memset(mem + 4 * PG, 0, PG);
	ASSERT_EQ(0, vpri_register(fd, mem, len, HPMM_VPRI_POLICY_ALL, 0, 0,
				   &id));
	ASSERT_EQ(0, vpri_access(fd, id, backend, 2 * PG, 64, false));
	ASSERT_EQ(0, vpri_stats(fd, id, &st));
	ASSERT_EQ(1, st.pinned);

	ASSERT_EQ(0, madvise(mem + 2 * PG, PG, MADV_DONTNEED));
	/* The old page is let go at once: unpinned and uncharged. */
	ASSERT_EQ(0, vpri_stats(fd, id, &st));
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(0, st.locked_vm);
	EXPECT_EQ(1, st.invalidations);
	EXPECT_EQ(lck0, vmlck_kb());
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));

	/* A device write lands in the page the process has now. */
	reqs[0] = (struct hpmm_vpri_req){ .iova = 3 * PG, .len = 64 };
	reqs[1] = (struct hpmm_vpri_req){ .iova = 2 * PG, .len = 64,
					  .flags = HPMM_VPRI_REQ_WRITE };
	ASSERT_EQ(0, vpri_submit(fd, id, backend, reqs, 2, NULL));
	EXPECT_EQ(-1, mem_differs(mem + 2 * PG, 'z', 64));
	/* And a device read sees what the process wrote there. */
	ASSERT_EQ(0, madvise(mem + 2 * PG, PG, MADV_DONTNEED));
	memset(mem + 2 * PG, 'q', 64);
	reqs[0] = (struct hpmm_vpri_req){ .iova = 2 * PG, .len = 64 };
	reqs[1] = (struct hpmm_vpri_req){ .iova = 4 * PG, .len = 64,
					  .flags = HPMM_VPRI_REQ_WRITE };
	ASSERT_EQ(0, vpri_submit(fd, id, backend, reqs, 2, NULL));
	EXPECT_EQ(-1, mem_differs(mem + 4 * PG, 'q', 64));
	ASSERT_EQ(0, vpri_stats(fd, id, &st));
	EXPECT_EQ(st.pins - st.unpins, st.pinned);
	EXPECT_EQ(st.pinned, st.locked_vm);
	ASSERT_EQ(0, vpri_destroy(fd, id));
	EXPECT_EQ(lck0, vmlck_kb());
}

TEST_F(vpri, madv_dontneed_cpu)
{
	NEED_VPRI();
	dontneed_follows(_metadata, self->fd, self->mem, self->len,
			 HPMM_VPRI_BACKEND_CPU);
}

TEST_F_TIMEOUT(vpri, madv_dontneed_edu, 120)
{
	NEED_VPRI();
	dontneed_follows(_metadata, self->fd, self->mem, self->len,
			 HPMM_VPRI_BACKEND_EDU);
}

/*
 * mprotect(PROT_READ) of a pinned page: the process may no longer write
 * it, so neither may the device; the pin goes, a device write fails with
 * EFAULT and leaves the page alone, and works again once it is writable.
 */
TEST_F(vpri, mprotect_readonly)
{
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;

	NEED_VPRI();
	memset(self->mem + 2 * PG, 'x', PG);
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 2 * PG,
				 64, false));
	ASSERT_EQ(0, mprotect(self->mem + 2 * PG, PG, PROT_READ));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(0, st.locked_vm);
	EXPECT_EQ(-EFAULT, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       2 * PG, 64, true));
	EXPECT_EQ(-1, mem_differs(self->mem + 2 * PG, 'x', PG));
	ASSERT_EQ(0, mprotect(self->mem + 2 * PG, PG, PROT_READ | PROT_WRITE));
	EXPECT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 2 * PG,
				 64, true));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(1, st.pinned);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/*
 * Invalidations that leave the mapping as it was keep the pins: fork
 * (which write-protects the parent's other pages), MADV_PAGEOUT (reclaim
 * cannot take a pinned page). The pages are revalidated, not faulted
 * again, and the device still writes the parent's pages.
 */
TEST_F(vpri, pins_survive_fork_and_pageout)
{
	struct hpmm_vpri_submit out;
	struct hpmm_vpri_req reqs[8];
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	int i, status;
	pid_t pid;

	NEED_VPRI();
	memset(self->mem, 'p', 8 * PG);
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	for (i = 0; i < 8; i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = i * PG, .len = 64 };
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs, 8,
				 &out));
	ASSERT_EQ(8, out.faults);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(self->mem[PG] == 'p' ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, madvise(self->mem, 8 * PG, MADV_PAGEOUT));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(8, st.pinned);
	EXPECT_EQ(0, st.invalidations);
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs, 8,
				 &out));
	EXPECT_EQ(0, out.faults);
	/* The device writes page 1 of the parent. */
	self->mem[5 * PG] = 'w';
	reqs[0] = (struct hpmm_vpri_req){ .iova = 5 * PG, .len = 1 };
	reqs[1] = (struct hpmm_vpri_req){ .iova = PG, .len = 1,
					  .flags = HPMM_VPRI_REQ_WRITE };
	ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs, 2,
				 NULL));
	EXPECT_EQ('w', self->mem[PG]);
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(8, st.pins);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/*
 * The range is checked when a page is pinned, not only at registration
 * (issue 17): parts of it remapped afterwards as shared memory, a private
 * file mapping or shared anonymous memory refuse with EOPNOTSUPP and pin
 * nothing; the device never touches them.
 */
TEST_F(vpri, remapped_range_checked_at_pin)
{
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	char *p, buf[64];
	int mfd, i;

	NEED_VPRI();
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ALL, 0, 0, &id));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 2 * PG,
				 64, false));
	mfd = memfd_create("vpri_remap", 0);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, 4 * PG));
	memset(buf, 's', sizeof(buf));
	ASSERT_EQ(64, pwrite(mfd, buf, 64, 0));
	/* Shared file memory over pages 8..9, a private file mapping over 10. */
	p = mmap(self->mem + 8 * PG, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, mfd, 0);
	ASSERT_EQ(self->mem + 8 * PG, p);
	p = mmap(self->mem + 10 * PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED, mfd, 0);
	ASSERT_EQ(self->mem + 10 * PG, p);
	/* Shared anonymous memory over page 11. */
	p = mmap(self->mem + 11 * PG, PG, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ASSERT_EQ(self->mem + 11 * PG, p);
	for (i = 8; i < 12; i++) {
		EXPECT_EQ(-EOPNOTSUPP, vpri_access(self->fd, id,
						   HPMM_VPRI_BACKEND_CPU,
						   i * PG, 64, true))
			TH_LOG("page %d", i);
	}
	ASSERT_EQ(64, pread(mfd, buf, 64, 0));
	EXPECT_EQ(-1, mem_differs(buf, 's', 64));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(1, st.pinned);
	EXPECT_EQ(1, st.pins);
	/* Private anonymous memory again: pinned as usual. */
	p = mmap(self->mem + 8 * PG, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ASSERT_EQ(self->mem + 8 * PG, p);
	EXPECT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 9 * PG,
				 64, true));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	close(mfd);
}

/* What a child's long SUBMIT ended with. */
struct long_submit {
	int ret;
	int err;
	unsigned long long nr_done;
	long long ms;
};

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * A child: registers, says so on @ready, submits HPMM_VPRI_MAX_BATCH edu
 * requests (100 ms each: about 7 minutes) and writes how it ended to
 * @report.
 */
static void long_submit_child(int ready, int report)
{
	static struct hpmm_vpri_req reqs[HPMM_VPRI_MAX_BATCH];
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct hpmm_vpri_submit out;
	struct long_submit r = { 0 };
	unsigned long long id = 0;
	long long t0;
	char *mem;
	int fd, i;

	/* No SA_RESTART: the call itself reports the signal. */
	if (sigaction(SIGUSR1, &sa, NULL))
		_exit(2);
	fd = open(HPMM_DEV_NODE, O_RDWR);
	mem = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || mem == MAP_FAILED ||
	    vpri_register(fd, mem, 4 * PG, HPMM_VPRI_POLICY_ALL, 0, 0, &id))
		_exit(3);
	for (i = 0; i < HPMM_VPRI_MAX_BATCH; i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 4) * PG,
						  .len = 8 };
	if (write(ready, "r", 1) != 1)
		_exit(4);
	t0 = hpmm_now_ms();
	r.ret = vpri_submit(fd, id, HPMM_VPRI_BACKEND_EDU, reqs,
			    HPMM_VPRI_MAX_BATCH, &out);
	r.ms = hpmm_now_ms() - t0;
	r.nr_done = out.nr_done;
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(5);
	_exit(0);
}

/* Starts a long_submit_child; returns once its edu accesses run. */
static pid_t start_long_submit(struct __test_metadata *_metadata,
			       const char *bdf, int *report)
{
	int ready[2], rep[2], status;
	struct hpmm_stats st0, st;
	long long t0;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, hpmm_read_stats(bdf, &st0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(ready[0]);
		close(rep[0]);
		long_submit_child(ready[1], rep[1]);
	}
	close(ready[1]);
	close(rep[1]);
	if (read(ready[0], &c, 1) != 1) {
		waitpid(pid, &status, 0);
		ASSERT_TRUE(0) TH_LOG("the child did not register (%#x)", status);
	}
	close(ready[0]);
	/* Until a few of its requests are done, at most 20 s. */
	for (t0 = hpmm_now_ms(); hpmm_now_ms() - t0 < 20000; usleep(20000)) {
		ASSERT_EQ(0, hpmm_read_stats(bdf, &st));
		if (st.v[HPMM_ST_EDU_OPS] >= st0.v[HPMM_ST_EDU_OPS] + 3)
			break;
	}
	ASSERT_LE(st0.v[HPMM_ST_EDU_OPS] + 3, st.v[HPMM_ST_EDU_OPS])
		TH_LOG("the child's edu requests do not run");
	*report = rep[0];
	return pid;
}

/*
 * A SUBMIT of HPMM_VPRI_MAX_BATCH edu requests runs for minutes. A signal
 * stops it before its next request (issue 17: it waited uninterruptibly):
 * with a handler, the call fails with EINTR and nr_done counts the
 * requests that ran; SIGKILL ends the process. Both within seconds.
 */
TEST_F_TIMEOUT(vpri, long_submit_is_interruptible, 120)
{
	const char *bdf = self->bound.name[1];
	struct long_submit r;
	struct pollfd pfd;
	long long t0;
	int rep, status, tries;
	pid_t pid;

	NEED_VPRI();
	pid = start_long_submit(_metadata, bdf, &rep);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	t0 = hpmm_now_ms();
	pfd = (struct pollfd){ .fd = rep, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 10000))
		TH_LOG("SUBMIT still runs 10 s after SIGUSR1");
	if (pfd.revents & POLLIN) {
		ASSERT_EQ(sizeof(r), read(rep, &r, sizeof(r)));
		EXPECT_EQ(-EINTR, r.ret);
		EXPECT_LE(3, r.nr_done);
		EXPECT_GT(HPMM_VPRI_MAX_BATCH, r.nr_done);
		TH_LOG("EINTR after %llu requests, %lld ms after the signal",
		       r.nr_done, hpmm_now_ms() - t0);
	} else {
		kill(pid, SIGKILL);
	}
	close(rep);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	/* SIGKILL during the batch: the process is gone within seconds. */
	pid = start_long_submit(_metadata, bdf, &rep);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	for (tries = 0; tries < 500; tries++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(20000);
	}
	EXPECT_GT(500, tries) TH_LOG("killed, still running after 10 s");
	if (tries == 500)
		waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFSIGNALED(status));
	close(rep);
	for (tries = 0; tries < 200 && vpri_dbg("status", "domains"); tries++)
		usleep(10000);
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
}

static const char secret[] = "SECRET-of-child!";

/*
 * A child: registers its own memory, has the device read its secret page
 * through @backend (the device's buffer now holds it) and exits without
 * destroying the domain.
 */
static void secret_child(int backend)
{
	unsigned long long id = 0;
	char *mem;
	int fd;
	size_t i;

	fd = open(HPMM_DEV_NODE, O_RDWR);
	mem = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || mem == MAP_FAILED)
		_exit(2);
	for (i = 0; i + sizeof(secret) - 1 <= PG; i += sizeof(secret) - 1)
		memcpy(mem + i, secret, sizeof(secret) - 1);
	if (vpri_register(fd, mem, 2 * PG, HPMM_VPRI_POLICY_ALL, 0, 0, &id))
		_exit(3);
	if (vpri_access(fd, id, backend, 0, PG - 1, false))
		_exit(4);
	_exit(0);
}

/*
 * No byte crosses domains through the device (issue 17): a child's domain
 * has the device read its secret page and the child exits; a new domain in
 * this process then has the device write its page 0 without reading
 * anything first: nothing of the secret arrives, on both backends, and the
 * device was scrubbed when each domain claimed and released it.
 */
static void no_data_crosses(struct __test_metadata *_metadata, int fd,
			    char *mem, const char *bdf, int backend)
{
	unsigned long long id = 0;
	long long scrubs0, scrubs;
	int status, tries;
	pid_t pid;

	scrubs0 = hpmm_dbg_value("scrubs", HPMM_DBG_DEV "/%s/stats", bdf);
	ASSERT_LE(0, scrubs0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		secret_child(backend);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	for (tries = 0; tries < 200 && vpri_dbg("status", "domains"); tries++)
		usleep(10000);
	ASSERT_EQ(0, vpri_dbg("status", "domains"));
	/* Claimed and released by the child's domain: two scrubs. */
	EXPECT_EQ(scrubs0 + 2,
		  hpmm_dbg_value("scrubs", HPMM_DBG_DEV "/%s/stats", bdf));

	memset(mem, 0x5a, 2 * PG);
	ASSERT_EQ(0, vpri_register(fd, mem, 2 * PG, HPMM_VPRI_POLICY_ALL, 0, 0,
				   &id));
	ASSERT_EQ(0, vpri_access(fd, id, backend, 0, PG - 1, true));
	EXPECT_EQ(NULL, memmem(mem, PG, secret, 4)) TH_LOG("%.16s", mem);
	EXPECT_EQ(-1, mem_differs(mem, 0, PG - 1)) TH_LOG("%.16s", mem);
	ASSERT_EQ(0, vpri_destroy(fd, id));
	scrubs = hpmm_dbg_value("scrubs", HPMM_DBG_DEV "/%s/stats", bdf);
	EXPECT_EQ(scrubs0 + 4, scrubs);
}

TEST_F(vpri, no_data_crosses_domains_cpu)
{
	NEED_VPRI();
	no_data_crosses(_metadata, self->fd, self->mem, self->bound.name[1],
			HPMM_VPRI_BACKEND_CPU);
}

TEST_F_TIMEOUT(vpri, no_data_crosses_domains_edu, 120)
{
	NEED_VPRI();
	no_data_crosses(_metadata, self->fd, self->mem, self->bound.name[1],
			HPMM_VPRI_BACKEND_EDU);
}

/* open(2) of @path as an unprivileged user must fail with EACCES/EPERM. */
static int refused(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EACCES || errno == EPERM ? 0 : 2;
}

/*
 * An unprivileged process (uid 65534) opens none of VPRI's interfaces
 * itself: /dev/hpmm, /dev/hpmm_test, debugfs vpri/ of both modules.
 */
TEST_F(vpri, unprivileged_user_is_refused)
{
	int status;
	pid_t pid;

	NEED_VPRI();
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (hpmm_become_nobody())
			_exit(10);
		if (refused(HPMM_DEV_NODE, O_RDWR))
			_exit(11);
		if (refused(HPMM_DEV_NODE, O_RDONLY))
			_exit(12);
		if (refused(HPMM_TEST_DEV_NODE, O_RDWR))
			_exit(13);
		if (refused(DBG_VPRI "/control", O_WRONLY))
			_exit(14);
		if (refused(DBG_VPRI "/status", O_RDONLY))
			_exit(15);
		if (refused(DBG_TEST_VPRI "/control", O_WRONLY))
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A process handed an open /dev/hpmm (here: inherited, then uid 65534)
 * pins only within its own RLIMIT_MEMLOCK, charged to its locked_vm.
 */
static int passed_fd_child(int fd)
{
	struct rlimit rl = { .rlim_cur = 4 * PG, .rlim_max = 4 * PG };
	unsigned long long id = 0;
	char *mem;
	int i;

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || hpmm_become_nobody())
		return 10;
	if (open(HPMM_DEV_NODE, O_RDWR) >= 0 || errno != EACCES)
		return 11;
	mem = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 12;
	if (vpri_register(fd, mem, 16 * PG, HPMM_VPRI_POLICY_LRU, 8, 0, &id))
		return 13;
	for (i = 0; i < 4; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 8, true))
			return 20 + i;
	/* A budget above the limit is not a way around it. */
	if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, 4 * PG, 8, true) !=
	    -ENOMEM)
		return 30;
	if (vmlck_kb() != 16)
		return 31;
	if (vpri_destroy(fd, id))
		return 32;
	return vmlck_kb() == 0 ? 0 : 33;
}

TEST_F(vpri, passed_fd_pins_within_memlock)
{
	int status;
	pid_t pid;

	NEED_VPRI();
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(passed_fd_child(self->fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
}

/* memory.current of the cgroup at @dir, or -1. */
static long long cg_current(const char *dir)
{
	char buf[64];

	if (hpmm_read_filef(buf, sizeof(buf), "%s/memory.current", dir) <= 0)
		return -1;
	return atoll(buf);
}

/*
 * In a child of a memory cgroup of its own: registers the largest domain
 * (HPMM_VPRI_MAX_LENGTH, adp with a budget of every page, the policy with
 * the most per-page state) and reports memory.current before, while it
 * lives and after it is destroyed.
 */
static int largest_domain_child(int fd, const char *cg, long long out[3])
{
	unsigned long long id = 0;
	char pid[16];
	char *mem;
	int cfd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	cfd = open(cg, O_WRONLY);
	if (cfd < 0 || write(cfd, pid, strlen(pid)) < 0)
		return 10;
	close(cfd);
	mem = mmap(NULL, HPMM_VPRI_MAX_LENGTH, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return 11;
	out[0] = cg_current(dirname(strdup(cg)));
	if (vpri_register(fd, mem, HPMM_VPRI_MAX_LENGTH, HPMM_VPRI_POLICY_ADP,
			  HPMM_VPRI_MAX_LENGTH / PG, 0, &id))
		return 12;
	out[1] = cg_current(dirname(strdup(cg)));
	if (vpri_destroy(fd, id))
		return 13;
	out[2] = cg_current(dirname(strdup(cg)));
	return 0;
}

/*
 * Every size and count a user gives VPRI that sizes a kernel allocation is
 * bounded, and works at its bound: the range (per-page arrays, at most
 * HPMM_VPRI_MAX_LENGTH, EFBIG beyond), the batch (at most
 * HPMM_VPRI_MAX_BATCH requests copied in, EINVAL beyond); the budget only
 * caps pins (2..pages). The per-domain arrays are charged to the
 * registering process's memory cgroup.
 */
TEST_F_TIMEOUT(vpri, allocations_bounded_and_charged, 120)
{
	static struct hpmm_vpri_req reqs[HPMM_VPRI_MAX_BATCH + 1];
	const char *root = "/sys/fs/cgroup";
	struct hpmm_vpri_submit out;
	char cg[128], procs[160];
	long long *cur;
	unsigned long long id = 0;
	int status, i;
	pid_t pid;

	NEED_VPRI();
	/* The batch: the bound runs, one more is refused. */
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_LRU, 2, 0, &id));
	for (i = 0; i <= HPMM_VPRI_MAX_BATCH; i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 4) * PG,
						  .len = 8 };
	EXPECT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs,
				 HPMM_VPRI_MAX_BATCH, &out));
	EXPECT_EQ(HPMM_VPRI_MAX_BATCH, out.nr_done);
	EXPECT_EQ(-EINVAL, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       reqs, HPMM_VPRI_MAX_BATCH + 1, NULL));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	/* The range: one page beyond the bound is refused. */
	EXPECT_EQ(-EFBIG, vpri_register(self->fd, self->mem,
					HPMM_VPRI_MAX_LENGTH + PG,
					HPMM_VPRI_POLICY_ADP, 8, 0, NULL));

	/* The largest range, in a memory cgroup of its own. */
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		mount("none", root, "cgroup2", 0, NULL);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2");
	snprintf(cg, sizeof(cg), "%s/cgroup.subtree_control", root);
	vpri_write_file(cg, "+memory");
	snprintf(cg, sizeof(cg), "%s/vpri_test.%d", root, getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	cur = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cur);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(largest_domain_child(self->fd, procs, cur));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	rmdir(cg);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("memory.current: %lld, %lld with the domain, %lld after",
	       cur[0], cur[1], cur[2]);
	/* About 45 bytes per page: at least 2 MiB for 65536 pages. */
	EXPECT_LE(cur[0] + (2LL << 20), cur[1]);
	EXPECT_GT(cur[0] + (1LL << 20), cur[2]);
	munmap(cur, PG);
}

/* --- The on-demand mode (issue 12) --- */

#define ODP HPMM_VPRI_REGISTER_ON_DEMAND

/*
 * The on-demand mode maps what the device touches without pinning it: no
 * pin, nothing in locked_vm; each mode takes only its own policies; an
 * invalidation (MADV_DONTNEED) unmaps the page from the IOMMU at once (the
 * CPU backend, which translates as the IOMMU does, finds nothing there) and
 * the next access faults the new page in.
 */
TEST_F(vpri, on_demand_maps_unpinned)
{
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	int tfd, i;
	char c;

	NEED_VPRI();
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_LRU, 8, ODP, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_RECLAIM, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_POLICY_ADP, 1, ODP, NULL));
	EXPECT_EQ(-EINVAL, vpri_register(self->fd, self->mem, self->len,
					 HPMM_VPRI_NR_POLICIES, 0, ODP, NULL));
	tfd = vpri_test_open();
	if (tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, tfd);
	memset(self->mem, 'o', 8 * PG);
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_RECLAIM, 0, ODP, &id));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 i * PG + 8, 8, true));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(1, st.on_demand);
	EXPECT_EQ(8, st.faults);
	EXPECT_EQ(8, st.mapped);
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(0, st.locked_vm);
	EXPECT_EQ(0, vmlck_kb());
	/* The device's write reached the process's pages. */
	EXPECT_EQ(0, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, 3 * PG, 64,
				   false));
	/* Zapped: unmapped from the IOMMU before the page could go. */
	ASSERT_EQ(0, madvise(self->mem + 3 * PG, PG, MADV_DONTNEED));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(7, st.mapped);
	EXPECT_LE(1, st.invalidations);
	EXPECT_EQ(-EFAULT, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
					 3 * PG, 64, false));
	/* The next access maps the new (zero) page; the device writes it. */
	self->mem[4 * PG] = 'n';
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 4 * PG,
				 1, false));
	ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU, 3 * PG,
				 1, true));
	c = self->mem[3 * PG];
	EXPECT_EQ('n', c);
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(9, st.faults);
	EXPECT_EQ(8, st.mapped);
	/* munmap: the pages go from the IOMMU with the memory. */
	ASSERT_EQ(0, munmap(self->mem + 6 * PG, 2 * PG));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_EQ(6, st.mapped);
	EXPECT_EQ(-EFAULT, vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
					 6 * PG, 64, false));
	EXPECT_EQ(-EFAULT, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
				       6 * PG, 8, false));
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	close(tfd);
}

/* A zram swap device (256 MiB) if there is no swap: 1 when it made one. */
static int odp_swap_on(void)
{
	char buf[HPMM_FILE_MAX];

	if (hpmm_read_file("/proc/swaps", buf, sizeof(buf)) > 0 &&
	    strchr(buf, '\n') && strchr(buf, '\n')[1])
		return 0;
	if (system("modprobe zram num_devices=1 && "
		   "echo 256M > /sys/block/zram0/disksize && "
		   "mkswap /dev/zram0 >/dev/null && swapon /dev/zram0"))
		return -1;
	return 1;
}

static void odp_swap_off(void)
{
	if (system("swapoff /dev/zram0; echo 1 > /sys/block/zram0/reset"))
		return;
}

#define ODP_RECLAIM_PAGES	32

/*
 * In a child of a memory cgroup of its own: maps and uses 32 pages of an
 * on-demand domain, then has the cgroup reclaim (memory.reclaim) until a
 * page left the IOMMU. Every page reclaim took is unmapped (the CPU backend
 * finds no translation); the DMAR proof: a real edu write to the first of
 * them, past VPRI's bitmap, is blocked by the IOMMU (a DMAR fault for its
 * IOVA in the log) and the page keeps its data; the device then reads
 * everything back from swap.
 */
static int odp_reclaim_child(int fd, int tfd, const char *cg)
{
	unsigned long long id = 0;
	struct hpmm_vpri_stats st;
	char path[192], pid[16], needle[48], line[512];
	const char *needles[] = { "DMAR:", needle, NULL };
	unsigned char *mem;
	int i, round, gone = 0, first = -1, kmsg, ret;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (vpri_write_file(path, pid))
		return 10;
	mem = mmap(NULL, ODP_RECLAIM_PAGES * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 11;
	for (i = 0; i < ODP_RECLAIM_PAGES; i++)
		memset(mem + i * PG, 'a' + i % 26, PG);
	if (vpri_register(fd, mem, ODP_RECLAIM_PAGES * PG,
			  HPMM_VPRI_POLICY_RECLAIM, 0, ODP, &id))
		return 12;
	for (i = 0; i < ODP_RECLAIM_PAGES; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 64,
				false))
			return 13;
	if (vpri_stats(fd, id, &st) || st.mapped != ODP_RECLAIM_PAGES)
		return 14;
	/* Reclaim until a page of the domain left, at most 20 rounds. */
	snprintf(path, sizeof(path), "%s/memory.reclaim", cg);
	for (round = 0; round < 20 && !gone; round++) {
		vpri_write_file(path, "64M");
		if (vpri_stats(fd, id, &st))
			return 15;
		gone = ODP_RECLAIM_PAGES - (int)st.mapped;
	}
	if (!gone)
		return 16;
	if (st.invalidations < (unsigned long long)gone || st.pinned)
		return 17;
	/* What reclaim took, the IOMMU no longer translates. */
	for (i = 0, gone = 0; i < ODP_RECLAIM_PAGES; i++)
		if (vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU, i * PG + 8, 8,
				  true) == -EFAULT) {
			gone++;
			if (first < 0)
				first = i;
		}
	if (!gone)
		return 18;
	/* The real device's write to it faults in the IOMMU. */
	kmsg = hpmm_kmsg_open();
	if (kmsg < 0)
		return 23;
	snprintf(needle, sizeof(needle), "fault addr 0x%lx ", first * PG);
	ret = vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_EDU, first * PG + 8, 8,
			    true);
	if (!ret && hpmm_kmsg_wait(kmsg, needles, 30000, line,
				   sizeof(line)) != 1)
		ret = 24;
	close(kmsg);
	if (ret && ret != -ENODEV)
		return ret < 0 ? 25 : ret;
	for (i = 8; i < 16; i++)
		if (mem[first * PG + i] != 'a' + first % 26)
			return 26;
	/* The device reads everything back; a write lands in the page. */
	for (i = 0; i < ODP_RECLAIM_PAGES; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG + 16, 16,
				false))
			return 19;
	for (i = 0; i < ODP_RECLAIM_PAGES; i++)
		if (mem[i * PG + 100] != 'a' + i % 26)
			return 20;
	if (vpri_stats(fd, id, &st) || st.mapped != ODP_RECLAIM_PAGES)
		return 21;
	if (vpri_destroy(fd, id))
		return 22;
	return 0;
}

/*
 * Real reclaim (memory.reclaim of the process's cgroup, zram swap) of
 * pages an on-demand domain has mapped: each is unmapped from the IOMMU
 * before reclaim frees it, so no device access reaches a freed page (the
 * CPU backend, which translates as the IOMMU does, finds nothing; under
 * KASAN in check-debug any access to a freed page would be reported).
 */
TEST_F_TIMEOUT(vpri, on_demand_reclaim_unmaps_first, 300)
{
	const char *root = "/sys/fs/cgroup";
	char cg[128];
	int tfd, swap, status;
	pid_t pid;

	NEED_VPRI();
	tfd = vpri_test_open();
	if (tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, tfd);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		mount("none", root, "cgroup2", 0, NULL);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2");
	swap = odp_swap_on();
	if (swap < 0)
		SKIP(return, "no swap and no zram");
	snprintf(cg, sizeof(cg), "%s/cgroup.subtree_control", root);
	vpri_write_file(cg, "+memory");
	snprintf(cg, sizeof(cg), "%s/vpri_odp.%d", root, getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(odp_reclaim_child(self->fd, tfd, cg));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	rmdir(cg);
	if (swap > 0)
		odp_swap_off();
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	close(tfd);
}

#define YOUNG_PAGES	16	/* hot ones, and as many cold */
#define YOUNG_FILLER	256	/* other memory of the process */
#define YOUNG_MORE	64	/* and more every round */
#define YOUNG_ROUNDS	1000
#define YOUNG_SECONDS	120

/*
 * The device uses every hot page (0..YOUNG_PAGES-1) once, as a NIC its
 * rings; first counts the hot pages reclaim took since the last use (the
 * use faults them back). Returns that count, or -1.
 */
static int young_use_hot(int fd, int tfd, unsigned long long id)
{
	int i, lost = 0;

	for (i = 0; i < YOUNG_PAGES; i++) {
		lost += vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
				      i * PG + 8, 8, false) == -EFAULT;
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 64,
				false))
			return -1;
	}
	return lost;
}

/*
 * In a child of a memory cgroup of its own: 2 * YOUNG_PAGES pages of an
 * on-demand domain with @policy, all written by the CPU and mapped by one
 * device access each, then YOUNG_FILLER pages of other memory; MADV_COLD
 * on all (only the device's uses count). Then rounds: the device uses the
 * first half (hot) once, YOUNG_MORE new pages of other memory are written
 * (made cold too: reclaim never runs out of other memory, so a round does
 * not cycle through the lists and look at a page twice), and the cgroup
 * reclaims 32 pages (memory.reclaim), until every page of the second half
 * (cold, unused since) has left the IOMMU, bounded in rounds and time.
 * The device's uses and reclaim take turns: the test does not depend on
 * the two running at once (a TCG guest runs one vCPU at a time).
 * Writes to @out: the hot pages found reclaimed (summed over the rounds),
 * the cold pages reclaimed, the rounds, and the domain's young answers.
 */
static int young_child(int fd, int tfd, const char *cg, int policy,
		       long long out[4])
{
	char path[192], pid[16];
	unsigned char *mem, *filler, *more;
	int i, round, cold = 0, lost, hot_lost = 0, ret = 0;
	unsigned long long id = 0;
	time_t t0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (vpri_write_file(path, pid))
		return 10;
	filler = mmap(NULL, YOUNG_FILLER * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mem = mmap(NULL, 2 * YOUNG_PAGES * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || filler == MAP_FAILED)
		return 11;
	for (i = 0; i < 2 * YOUNG_PAGES; i++)
		memset(mem + i * PG, 'a' + i % 26, PG);
	/* Base pages, newer: reclaim looks at the domain's first. */
	madvise(filler, YOUNG_FILLER * PG, MADV_NOHUGEPAGE);
	memset(filler, 'f', YOUNG_FILLER * PG);
	if (vpri_register(fd, mem, 2 * YOUNG_PAGES * PG, policy, 0, ODP, &id))
		return 12;
	for (i = 0; i < 2 * YOUNG_PAGES; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 64,
				false))
			return 13;
	/*
	 * No CPU use counts: only the device's tells hot from cold (without
	 * this, every page is young and reclaim's first round cycles
	 * through all of them).
	 */
	if (madvise(mem, 2 * YOUNG_PAGES * PG, MADV_COLD) ||
	    madvise(filler, YOUNG_FILLER * PG, MADV_COLD))
		return 18;
	/* Reclaim until every cold page left the IOMMU. */
	snprintf(path, sizeof(path), "%s/memory.reclaim", cg);
	t0 = time(NULL);
	for (round = 0; round < YOUNG_ROUNDS && cold < YOUNG_PAGES &&
	     time(NULL) - t0 < YOUNG_SECONDS; round++) {
		lost = young_use_hot(fd, tfd, id);
		if (lost < 0)
			return 14;
		hot_lost += lost;
		/* Newer memory than what reclaim looked at, so it never runs out. */
		more = mmap(NULL, YOUNG_MORE * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (more == MAP_FAILED)
			return 19;
		madvise(more, YOUNG_MORE * PG, MADV_NOHUGEPAGE);
		memset(more, 'm', YOUNG_MORE * PG);
		madvise(more, YOUNG_MORE * PG, MADV_COLD);
		vpri_write_file(path, "128K");
		for (i = YOUNG_PAGES, cold = 0; i < 2 * YOUNG_PAGES; i++)
			cold += vpri_test_dma(tfd, id, HPMM_VPRI_BACKEND_CPU,
					      i * PG + 8, 8, false) == -EFAULT;
	}
	lost = young_use_hot(fd, tfd, id);
	if (lost < 0)
		return 15;
	out[0] = hot_lost + lost;
	out[1] = cold;
	out[2] = round;
	out[3] = vpri_dom_dbg(id, "stats", "young");
	/* The data survived the round trips through swap. */
	for (i = 0; i < 2 * YOUNG_PAGES && !ret; i++)
		if (mem[i * PG + 100] != 'a' + i % 26)
			ret = 16;
	if (vpri_destroy(fd, id) && !ret)
		ret = 17;
	return ret;
}

/* Runs young_child() for @policy in a fresh cgroup: 0 or the child's error. */
static int young_run(struct __test_metadata *_metadata, int fd, int tfd,
		     int policy, long long out[4])
{
	long long *shared;
	char cg[128];
	int status;
	pid_t pid;

	shared = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -1;
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/vpri_young.%d", getpid());
	if (mkdir(cg, 0755)) {
		munmap(shared, PG);
		return -1;
	}
	pid = fork();
	if (!pid)
		_exit(young_child(fd, tfd, cg, policy, shared));
	status = -1;
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	rmdir(cg);
	memcpy(out, shared, 4 * sizeof(*out));
	munmap(shared, PG);
	TH_LOG("%s: hot pages reclaimed %lld, cold %lld/%d, in %lld rounds; young answers %lld",
	       policy_names[policy], out[0], out[1], YOUNG_PAGES, out[2],
	       out[3]);
	return status;
}

/*
 * hint's promise, under the classic LRU and MGLRU alike: the kernel's
 * reclaim sees the device's uses of a page (the domain's mmu_notifier
 * answers its young queries from the PA-BITMAP). Pages the device keeps
 * using survive memory.reclaim of the cgroup while equal pages it does not
 * touch are reclaimed; under "reclaim", which tells the kernel nothing,
 * the used pages are reclaimed too (and faulted back in by their next use).
 */
TEST_F_TIMEOUT(vpri, on_demand_hint_young, 600)
{
	long long hint[4] = { 0 }, rec[4] = { 0 };
	const char *root = "/sys/fs/cgroup";
	int tfd, swap;
	char cg[128];

	NEED_VPRI();
	tfd = vpri_test_open();
	if (tfd == -ENOENT)
		SKIP(return, "hpmm_test.ko is not loaded");
	ASSERT_LE(0, tfd);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		mount("none", root, "cgroup2", 0, NULL);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2");
	swap = odp_swap_on();
	if (swap < 0)
		SKIP(return, "no swap and no zram");
	snprintf(cg, sizeof(cg), "%s/cgroup.subtree_control", root);
	vpri_write_file(cg, "+memory");
	EXPECT_EQ(0, young_run(_metadata, self->fd, tfd,
			       HPMM_VPRI_POLICY_HINT, hint));
	EXPECT_EQ(0, young_run(_metadata, self->fd, tfd,
			       HPMM_VPRI_POLICY_RECLAIM, rec));
	if (swap > 0)
		odp_swap_off();
	/* Every cold page went, under both. */
	EXPECT_EQ(YOUNG_PAGES, hint[1]);
	EXPECT_EQ(YOUNG_PAGES, rec[1]);
	/* hint: reclaim asked, was told, and kept the hot pages. */
	EXPECT_LT(0, hint[3]);
	EXPECT_GE(YOUNG_PAGES / 4, hint[0]);
	/* reclaim: the hot pages went as the cold ones. */
	EXPECT_LE(YOUNG_PAGES / 2, rec[0]);
	EXPECT_EQ(0, rec[3]);
	EXPECT_EQ(0, vpri_dbg("status", "domains"));
	close(tfd);
}

/* A child with a hint domain (its young notifier on the child's mm). */
static void hint_and_exit(bool kill_self)
{
	unsigned long long id = 0;
	int fd, i;
	char *mem;

	fd = open(HPMM_DEV_NODE, O_RDWR);
	mem = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || mem == MAP_FAILED)
		_exit(2);
	if (vpri_register(fd, mem, 32 * PG, HPMM_VPRI_POLICY_HINT, 0, ODP,
			  &id))
		_exit(3);
	for (i = 0; i < 32; i++)
		if (vpri_access(fd, id, HPMM_VPRI_BACKEND_CPU, i * PG, 8, true))
			_exit(4);
	if (kill_self)
		raise(SIGKILL);
	_exit(0);
}

/*
 * A process that exits, or is killed, with a hint domain: the mm goes
 * first (its notifiers released), the domain with the file after, and
 * the young notifier with it (kmemleak in check-debug sees a leak).
 */
TEST_F(vpri, on_demand_hint_exit_and_kill)
{
	int k, status, tries;
	pid_t pid;

	NEED_VPRI();
	for (k = 0; k < 2; k++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			hint_and_exit(k);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		if (k) {
			ASSERT_TRUE(WIFSIGNALED(status));
		} else {
			ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
				TH_LOG("child status %#x", status);
		}
		for (tries = 0; tries < 3000; tries++) {
			if (!vpri_dbg("status", "domains"))
				break;
			usleep(10000);
		}
		EXPECT_EQ(0, vpri_dbg("status", "domains"));
	}
}

/*
 * fork in the on-demand mode: the registering process's mapped pages
 * become copy-on-write. The device's write lands in the parent's page
 * (the process that registered), never in the child's copy, which still
 * holds what was there at fork.
 */
TEST_F(vpri, on_demand_fork)
{
	struct hpmm_vpri_req reqs[2];
	unsigned long long id = 0;
	int go[2], status, i;
	char c = 0;
	pid_t pid;

	NEED_VPRI();
	memset(self->mem, 'p', 8 * PG);
	self->mem[5 * PG] = 'w';
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_RECLAIM, 0, ODP, &id));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, vpri_access(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 i * PG, 8, false));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(self->mem[PG] == 'p' && self->mem[5 * PG] == 'w' ? 0 : 1);
	}
	close(go[0]);
	/* The device reads page 5's "w" and writes it to page 1. */
	reqs[0] = (struct hpmm_vpri_req){ .iova = 5 * PG, .len = 1 };
	reqs[1] = (struct hpmm_vpri_req){ .iova = PG, .len = 1,
					  .flags = HPMM_VPRI_REQ_WRITE };
	EXPECT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU, reqs, 2,
				 NULL));
	c = self->mem[PG];
	EXPECT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ('w', c);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the child saw the device's write (status %#x)", status);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
}

/*
 * adp in the on-demand mode pins, within its budget and RLIMIT_MEMLOCK,
 * the pages the device keeps using (scans every window of accesses); hint
 * pins nothing and reports them to the kernel's LRU; adp-hint pins the
 * pages used most within its budget and reports the others it saw used.
 */
TEST_F_TIMEOUT(vpri, on_demand_protectors, 300)
{
	struct hpmm_vpri_req reqs[256];
	struct hpmm_vpri_stats st;
	unsigned long long id = 0;
	int b, i;

	NEED_VPRI();
	for (i = 0; i < 256; i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 4) * PG,
						  .len = 8 };
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ADP, 8, ODP, &id));
	/* Two windows (4096 accesses each) on 4 pages. */
	for (b = 0; b < 40; b++)
		ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 reqs, 256, NULL));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_LE(2, st.scans);
	EXPECT_EQ(4, st.pinned);
	EXPECT_EQ(4, st.locked_vm);
	EXPECT_LE(st.peak_pinned, 8);
	EXPECT_EQ(4, st.mapped);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vmlck_kb());

	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_HINT, 0, ODP, &id));
	for (b = 0; b < 40; b++)
		ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 reqs, 256, NULL));
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_LE(2, st.scans);
	EXPECT_LE(8, st.marks);
	EXPECT_EQ(0, st.pinned);
	EXPECT_EQ(0, st.pins);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));

	/*
	 * Pages 0-3 in every window, 4-11 in every other one: 12 pages used,
	 * budget 8. adp-hint pins the 4 used most, fills its budget with 4 of
	 * the 8 others (they tie) and reports the others to the LRU.
	 */
	ASSERT_EQ(0, vpri_register(self->fd, self->mem, self->len,
				   HPMM_VPRI_POLICY_ADP_HINT, 8, ODP, &id));
	for (b = 0; b < 6 * 16; b++) {
		for (i = 0; i < 256; i++)
			reqs[i].iova = (i % (b / 16 % 2 ? 12 : 4)) * PG;
		ASSERT_EQ(0, vpri_submit(self->fd, id, HPMM_VPRI_BACKEND_CPU,
					 reqs, 256, NULL));
	}
	ASSERT_EQ(0, vpri_stats(self->fd, id, &st));
	EXPECT_LE(4, st.scans);
	EXPECT_EQ(8, st.pinned);
	EXPECT_EQ(8, st.peak_pinned);
	EXPECT_LE(4, st.marks);
	EXPECT_EQ(12, st.mapped);
	ASSERT_EQ(0, vpri_destroy(self->fd, id));
	EXPECT_EQ(0, vpri_dbg("status", "pinned"));
}

TEST_HARNESS_MAIN
