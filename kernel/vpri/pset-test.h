/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the pin set and its policies, included at the end of
 * pset.c (as DAMON does). Built only when the kernel has CONFIG_KUNIT.
 *
 * The host Google Test suite (tools/tests/vpri_policy_test.cpp) checks each
 * policy's choices in detail; these cases check, in the kernel build (its
 * kvcalloc()ed state, its atomic bitops), the invariants the module relies
 * on: the budget is never exceeded, a page an access is using is never
 * chosen, the counters add up to the pages present, "none" keeps nothing,
 * "all" faults once per page, and a loop one page longer than the budget
 * defeats "lru" but not "adp". The harness drives a pin set as the fault
 * path does (vpri_claim(): clear present first, then back off when busy).
 */
#ifndef _HPMM_VPRI_PSET_TEST_H
#define _HPMM_VPRI_PSET_TEST_H

#include <kunit/resource.h>
#include <kunit/test.h>

/**
 * struct vpri_pset_kt - a pin set driven like the module's fault path
 * @test: the test case
 * @bm: the PA-BITMAP
 * @ps: the pin set
 * @busy: accesses in flight per page
 * @nr_pages: pages in the domain
 * @evicted: pages unpinned by the last access's fault and trim
 * @init_ret: what vpri_pset_init() returned
 * @bm_ok: @bm needs vpri_bitmap_fini()
 * @ps_ok: @ps needs vpri_pset_fini()
 * @failed: an invariant was already reported broken
 */
struct vpri_pset_kt {
	struct kunit *test;
	struct vpri_bitmap bm;
	struct vpri_pset ps;
	u8 *busy;
	u32 nr_pages;
	unsigned int evicted;
	int init_ret;
	bool bm_ok;
	bool ps_ok;
	bool failed;
};

static void vpri_pset_kt_free(struct kunit_resource *res)
{
	struct vpri_pset_kt *h = res->data;

	if (h->ps_ok)
		vpri_pset_fini(&h->ps);
	if (h->bm_ok)
		vpri_bitmap_fini(&h->bm);
}

/* A harness torn down with the test case, even when it aborts. */
static struct vpri_pset_kt *vpri_pset_kt_new(struct kunit *test,
					     enum vpri_policy_id id,
					     u32 nr_pages, u32 budget)
{
	struct vpri_pset_kt *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	if (!h)
		return NULL;
	h->busy = kunit_kzalloc(test, nr_pages, GFP_KERNEL);
	if (!h->busy)
		return NULL;
	if (!kunit_alloc_resource(test, NULL, vpri_pset_kt_free, GFP_KERNEL,
				  h))
		return NULL;
	h->test = test;
	h->nr_pages = nr_pages;
	if (vpri_bitmap_init(&h->bm, nr_pages))
		return NULL;
	h->bm_ok = true;
	h->init_ret = vpri_pset_init(&h->ps, &h->bm, id, nr_pages, budget);
	h->ps_ok = !h->init_ret;
	return h;
}

/* vpri_claim() without the domain: present first, then the busy count. */
static bool vpri_pset_kt_claim(void *ctx, u32 page)
{
	struct vpri_pset_kt *h = ctx;

	if (!vpri_bitmap_test_and_clear_present(&h->bm, page))
		return false;
	if (h->busy[page]) {
		vpri_bitmap_set_present(&h->bm, page);
		return false;
	}
	return true;
}

/* Reports the first failure only: a case's log holds 512 bytes. */
static void vpri_pset_kt_fail(struct vpri_pset_kt *h, const char *why,
			      u32 page)
{
	if (!h->failed)
		KUNIT_FAIL(h->test, "%s: %s (page %u)", h->ps.ops->name, why,
			   page);
	h->failed = true;
}

/* Reports the first broken invariant of @h; false when one is broken. */
static bool vpri_pset_kt_check(struct vpri_pset_kt *h)
{
	const struct vpri_pset *ps = &h->ps;
	const struct vpri_pset_stats *st = &ps->st;
	u32 present = vpri_bitmap_count_present(&h->bm);
	const char *why = NULL;

	if (ps->nr_pinned > ps->budget || st->peak_pinned > ps->budget)
		why = "over budget";
	else if (ps->target > ps->budget)
		why = "target over budget";
	else if (ps->nr_pinned != present)
		why = "pinned count is not the pages present";
	else if (st->accesses != st->hits + st->faults)
		why = "accesses are not hits + faults";
	else if (st->faults - st->aborts - st->evictions - st->releases -
		 st->removals != ps->nr_pinned)
		why = "faults do not add up to the pages pinned";
	if (!why)
		return true;
	if (!h->failed)
		KUNIT_FAIL(h->test,
			   "%s: %s (pinned %u present %u budget %u target %u)",
			   ps->ops->name, why, ps->nr_pinned, present,
			   ps->budget, ps->target);
	h->failed = true;
	return false;
}

/* One single-page access, as the fault path does it; true when it faulted. */
static bool vpri_pset_kt_access(struct vpri_pset_kt *h, u32 page)
{
	struct vpri_pset *ps = &h->ps;
	u32 victims[VPRI_MAX_VICTIMS];
	unsigned int nv = 0, i;
	bool faulted = false;
	int ret;

	h->evicted = 0;
	h->busy[page]++;
	if (vpri_bitmap_present(&h->bm, page)) {
		vpri_pset_hit(ps, page);
	} else {
		faulted = true;
		ret = vpri_pset_fault_begin(ps, page, vpri_pset_kt_claim, h,
					    victims, VPRI_MAX_VICTIMS, &nv);
		for (i = 0; i < nv; i++)
			if (h->busy[victims[i]] ||
			    vpri_bitmap_present(&h->bm, victims[i]))
				vpri_pset_kt_fail(h, "evicted a busy page",
						  victims[i]);
		h->evicted += nv;
		if (ret) {
			vpri_pset_kt_fail(h, "no room for a page", page);
		} else {
			vpri_bitmap_mark_accessed(&h->bm, page);
			vpri_bitmap_set_present(&h->bm, page);
			vpri_pset_fault_commit(ps, page);
		}
	}
	h->busy[page]--;
	if (ps->ops->unpin_after_dma)
		vpri_pset_release(ps, page, vpri_pset_kt_claim, h);
	if (vpri_pset_tick(ps))
		h->evicted += vpri_pset_trim(ps, vpri_pset_kt_claim, h, victims,
					     VPRI_MAX_VICTIMS);
	vpri_pset_kt_check(h);
	return faulted;
}

/* A hot fifth of the pages, with every fourth access sweeping them all. */
static u32 vpri_pset_kt_stream(u64 *x, u32 i, u32 nr_pages)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	if (i % 4 == 3)
		return i % nr_pages;
	return (u32)(*x >> 32) % (nr_pages / 5);
}

static const enum vpri_policy_id vpri_pset_kt_budgeted[] = {
	VPRI_POLICY_LRU, VPRI_POLICY_CLOCK, VPRI_POLICY_ARC, VPRI_POLICY_ADP,
};

static void hpmm_vpri_pset_init_checks(struct kunit *test)
{
	struct vpri_pset_kt *h;
	int id;

	for (id = 0; id < VPRI_NR_POLICIES; id++) {
		KUNIT_ASSERT_NOT_NULL(test, vpri_policy_get(id));
		KUNIT_EXPECT_EQ(test, vpri_policy_parse(vpri_policy_name(id)),
				id);
	}
	KUNIT_EXPECT_NULL(test, vpri_policy_get(VPRI_NR_POLICIES));
	KUNIT_EXPECT_STREQ(test, vpri_policy_name(VPRI_NR_POLICIES), "unknown");
	KUNIT_EXPECT_EQ(test, vpri_policy_parse("mru"), -EINVAL);

	/* A budget of 2..nr_pages for the policies that take one. */
	h = vpri_pset_kt_new(test, VPRI_POLICY_LRU, 16, 1);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->init_ret, -EINVAL);
	h = vpri_pset_kt_new(test, VPRI_POLICY_ADP, 16, 17);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->init_ret, -EINVAL);
	h = vpri_pset_kt_new(test, VPRI_NR_POLICIES, 16, 4);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->init_ret, -EINVAL);
	h = vpri_pset_kt_new(test, VPRI_POLICY_CLOCK, 16, 2);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->init_ret, 0);
	KUNIT_EXPECT_EQ(test, h->ps.budget, 2U);
	/* The bitmap must cover the domain. */
	KUNIT_EXPECT_EQ(test, vpri_pset_init(&h->ps, &h->bm, VPRI_POLICY_ALL,
					     15, 0), -EINVAL);
	/* "none" and "all" ignore the budget: the whole domain. */
	h = vpri_pset_kt_new(test, VPRI_POLICY_ALL, 16, 0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->init_ret, 0);
	KUNIT_EXPECT_EQ(test, h->ps.budget, 16U);
	KUNIT_EXPECT_EQ(test, h->ps.target, 16U);
}

/*
 * Every budgeted policy on a mixed stream: never over budget, counters
 * consistent, and the two pages held by an access in flight (half of the
 * time) never chosen.
 */
static void hpmm_vpri_pset_budget(struct kunit *test)
{
	const u32 pages = 256, budget = 16, n = 2000;
	unsigned int p;
	u32 i;

	for (p = 0; p < ARRAY_SIZE(vpri_pset_kt_budgeted); p++) {
		struct vpri_pset_kt *h;
		u64 x = 88172645463325252ULL;

		h = vpri_pset_kt_new(test, vpri_pset_kt_budgeted[p], pages,
				     budget);
		KUNIT_ASSERT_NOT_NULL(test, h);
		KUNIT_ASSERT_EQ(test, h->init_ret, 0);
		for (i = 0; i < n && !h->failed; i++) {
			if (i % 500 == 0) {
				/* Held before the next fault can choose it. */
				vpri_pset_kt_access(h, 7);
				h->busy[7]++;
				vpri_pset_kt_access(h, 8);
				h->busy[8]++;
			}
			vpri_pset_kt_access(h, vpri_pset_kt_stream(&x, i, pages));
			if (i % 500 == 249) {
				/* Held all along: still there. */
				KUNIT_EXPECT_TRUE(test,
						  vpri_bitmap_present(&h->bm, 7));
				KUNIT_EXPECT_TRUE(test,
						  vpri_bitmap_present(&h->bm, 8));
				h->busy[7]--;
				h->busy[8]--;
			}
		}
		KUNIT_EXPECT_LE(test, h->ps.st.peak_pinned, budget);
		KUNIT_EXPECT_GT_MSG(test, h->ps.st.hits, 0ULL, "%s",
				    h->ps.ops->name);
		KUNIT_EXPECT_GT_MSG(test, h->ps.st.evictions, 0ULL, "%s",
				    h->ps.ops->name);
	}
}

static void hpmm_vpri_pset_none_keeps_nothing(struct kunit *test)
{
	struct vpri_pset_kt *h = vpri_pset_kt_new(test, VPRI_POLICY_NONE, 64,
						  0);
	u64 x = 1;
	u32 i, page;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, h->init_ret, 0);
	for (i = 0; i < 300 && !h->failed; i++) {
		page = vpri_pset_kt_stream(&x, i, 64);
		if (!vpri_pset_kt_access(h, page) || h->ps.nr_pinned)
			vpri_pset_kt_fail(h, "a hit, or a page kept", page);
	}
	KUNIT_EXPECT_EQ(test, vpri_bitmap_count_present(&h->bm), 0U);
	KUNIT_EXPECT_EQ(test, h->ps.st.releases, 300ULL);
	KUNIT_EXPECT_EQ(test, h->ps.st.hits, 0ULL);
	KUNIT_EXPECT_EQ(test, h->ps.st.peak_pinned, 1U);
}

static void hpmm_vpri_pset_all_faults_once(struct kunit *test)
{
	struct vpri_pset_kt *h = vpri_pset_kt_new(test, VPRI_POLICY_ALL, 64,
						  0);
	u64 seen = 0, x = 1;
	u32 i, page;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, h->init_ret, 0);
	for (i = 0; i < 300 && !h->failed; i++) {
		page = vpri_pset_kt_stream(&x, i, 64);
		if (vpri_pset_kt_access(h, page) != !(seen & BIT_ULL(page)))
			vpri_pset_kt_fail(h, "a second fault or a first hit",
					  page);
		seen |= BIT_ULL(page);
	}
	KUNIT_EXPECT_EQ(test, h->ps.st.faults, (u64)hweight64(seen));
	KUNIT_EXPECT_EQ(test, h->ps.nr_pinned, hweight64(seen));
	KUNIT_EXPECT_EQ(test, h->ps.st.evictions, 0ULL);
}

/*
 * A loop one page longer than the budget: LRU unpins each page just before
 * its reuse and faults on every access; ADP keeps part of the loop pinned,
 * so every lap after the first hits.
 */
static void hpmm_vpri_pset_loop(struct kunit *test)
{
	struct vpri_pset_kt *lru, *adp;
	u64 lru_f, adp_f;
	u32 lap, p;

	lru = vpri_pset_kt_new(test, VPRI_POLICY_LRU, 64, 8);
	adp = vpri_pset_kt_new(test, VPRI_POLICY_ADP, 64, 8);
	KUNIT_ASSERT_NOT_NULL(test, lru);
	KUNIT_ASSERT_NOT_NULL(test, adp);
	KUNIT_ASSERT_EQ(test, lru->init_ret, 0);
	KUNIT_ASSERT_EQ(test, adp->init_ret, 0);
	for (lap = 0; lap < 20; lap++) {
		lru_f = lru->ps.st.faults;
		adp_f = adp->ps.st.faults;
		for (p = 0; p < 9; p++) {
			vpri_pset_kt_access(lru, p);
			vpri_pset_kt_access(adp, p);
		}
		if (lru->ps.st.faults - lru_f != 9)
			vpri_pset_kt_fail(lru, "a hit in a loop", lap);
		if (lap && adp->ps.st.faults - adp_f >= 9)
			vpri_pset_kt_fail(adp, "no hit in a loop", lap);
		if (lru->failed || adp->failed)
			break;
	}
	KUNIT_EXPECT_EQ(test, lru->ps.st.hits, 0ULL);
	KUNIT_EXPECT_LT(test, adp->ps.st.faults * 2, lru->ps.st.faults);
}

/*
 * With every pinned page in use a fault gets -ENOSPC and changes nothing;
 * an aborted fault and a page unpinned from outside (munmap) keep the
 * counts right.
 */
static void hpmm_vpri_pset_busy_remove_abort(struct kunit *test)
{
	u32 victims[VPRI_MAX_VICTIMS] = {};
	unsigned int p, nv;
	u32 pg;

	for (p = 0; p < ARRAY_SIZE(vpri_pset_kt_budgeted); p++) {
		struct vpri_pset_kt *h;
		struct vpri_pset *ps;
		const char *name;

		h = vpri_pset_kt_new(test, vpri_pset_kt_budgeted[p], 32, 4);
		KUNIT_ASSERT_NOT_NULL(test, h);
		KUNIT_ASSERT_EQ(test, h->init_ret, 0);
		ps = &h->ps;
		name = ps->ops->name;
		for (pg = 0; pg < 4; pg++) {
			vpri_pset_kt_access(h, pg);
			h->busy[pg]++;
		}
		nv = 1;
		KUNIT_EXPECT_EQ_MSG(test,
				    vpri_pset_fault_begin(ps, 9,
							  vpri_pset_kt_claim, h,
							  victims,
							  VPRI_MAX_VICTIMS,
							  &nv),
				    -ENOSPC, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, nv, 0U, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, ps->nr_pinned, 4U, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, ps->st.aborts, 1ULL, "%s", name);
		vpri_pset_kt_check(h);

		/* munmap takes page 2 away: a fault then needs no victim. */
		h->busy[2]--;
		KUNIT_EXPECT_TRUE(test,
				  vpri_bitmap_test_and_clear_present(&h->bm, 2));
		vpri_pset_remove(ps, 2);
		KUNIT_EXPECT_EQ_MSG(test, ps->nr_pinned, 3U, "%s", name);
		KUNIT_EXPECT_TRUE(test, vpri_pset_kt_access(h, 9));
		KUNIT_EXPECT_EQ_MSG(test, h->evicted, 0U, "%s", name);

		/* Only page 3 is free to go; an aborted fault frees its slot. */
		h->busy[3]--;
		KUNIT_EXPECT_EQ_MSG(test,
				    vpri_pset_fault_begin(ps, 10,
							  vpri_pset_kt_claim, h,
							  victims,
							  VPRI_MAX_VICTIMS,
							  &nv),
				    0, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, nv, 1U, "%s", name);
		KUNIT_EXPECT_TRUE_MSG(test, nv == 1 &&
				      (victims[0] == 3 || victims[0] == 9),
				      "%s evicted page %u", name, victims[0]);
		vpri_pset_fault_abort(ps);
		KUNIT_EXPECT_EQ_MSG(test, ps->nr_pinned, 3U, "%s", name);
		KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&h->bm, 0));
		KUNIT_EXPECT_TRUE(test, vpri_bitmap_present(&h->bm, 1));
		vpri_pset_kt_check(h);
		h->busy[0]--;
		h->busy[1]--;
	}
}

static struct kunit_case hpmm_vpri_pset_test_cases[] = {
	KUNIT_CASE(hpmm_vpri_pset_init_checks),
	KUNIT_CASE(hpmm_vpri_pset_budget),
	KUNIT_CASE(hpmm_vpri_pset_none_keeps_nothing),
	KUNIT_CASE(hpmm_vpri_pset_all_faults_once),
	KUNIT_CASE(hpmm_vpri_pset_loop),
	KUNIT_CASE(hpmm_vpri_pset_busy_remove_abort),
	{}
};

static struct kunit_suite hpmm_vpri_pset_test_suite = {
	.name = "hpmm_vpri_pset",
	.test_cases = hpmm_vpri_pset_test_cases,
};

kunit_test_suite(hpmm_vpri_pset_test_suite);

#endif /* _HPMM_VPRI_PSET_TEST_H */
