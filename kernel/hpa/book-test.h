/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for HPA's bookkeeping, included at the end of book.c (as
 * DAMON does). Built only when the kernel has CONFIG_KUNIT.
 *
 * The host Google Test suite (tools/tests/hpa_book_test.cpp) runs book.c
 * against a libc stand-in for kstrtoull(); these cases run it in the
 * kernel build, against the kernel's own kstrtoull() and MAX_ORDER, which
 * is what the debugfs commands and pool creation actually use.
 */
#ifndef _HPMM_HPA_BOOK_TEST_H
#define _HPMM_HPA_BOOK_TEST_H

#include <kunit/test.h>
#include <linux/mmzone.h>

static void hpmm_hpa_config_ranges(struct kunit *test)
{
	struct hpa_config c;

	/* The defaults are usable on this kernel. */
	hpa_config_default(&c);
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, MAX_ORDER - 1), 0);
	KUNIT_EXPECT_LE(test, c.order, (u32)(MAX_ORDER - 1));
	KUNIT_EXPECT_EQ(test, c.verify, 0U);

	c.ring_size = 0;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	c.ring_size = HPA_RING_MAX;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), 0);
	c.ring_size = HPA_RING_MAX + 1;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);

	hpa_config_default(&c);
	c.cache_size = 0;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	c.cache_size = HPA_CACHE_MAX + 1;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	c.cache_size = HPA_CACHE_MAX;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), 0);

	/* Order up to the allocator's; the backup ring holds one block. */
	hpa_config_default(&c);
	c.order = 11;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	c.order = 10;
	c.backup_pages = 1023;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	c.backup_pages = 1024;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), 0);
	c.order = 0;
	c.backup_pages = 1;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), 0);
	c.backup_pages = HPA_PAGES_MAX + 1;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);

	hpa_config_default(&c);
	c.scan_interval = 0;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
	hpa_config_default(&c);
	c.verify = 2;
	KUNIT_EXPECT_EQ(test, hpa_config_check(&c, 10), -EINVAL);
}

static void hpmm_hpa_name_rules(struct kunit *test)
{
	char name[HPA_NAME_MAX + 2];

	KUNIT_EXPECT_TRUE(test, hpa_name_valid("a"));
	KUNIT_EXPECT_TRUE(test, hpa_name_valid("rx-0_POOL"));
	KUNIT_EXPECT_FALSE(test, hpa_name_valid(""));
	KUNIT_EXPECT_FALSE(test, hpa_name_valid("a/b"));
	KUNIT_EXPECT_FALSE(test, hpa_name_valid("a b"));
	KUNIT_EXPECT_FALSE(test, hpa_name_valid(".."));
	KUNIT_EXPECT_FALSE(test, hpa_name_valid("a\n"));
	memset(name, 'x', sizeof(name));
	name[HPA_NAME_MAX] = '\0';
	KUNIT_EXPECT_TRUE(test, hpa_name_valid(name));
	name[HPA_NAME_MAX] = 'x';
	name[HPA_NAME_MAX + 1] = '\0';
	KUNIT_EXPECT_FALSE(test, hpa_name_valid(name));
}

static const char *const hpmm_hpa_kt_kinds[] = { "hpa", "pp", NULL };

/* Parses one command of up to 3 words, each a string literal copy. */
static int hpmm_hpa_kt_parse(u64 *ring, u64 *cache, u64 *kind, int argc,
			     const char *w0, const char *w1, const char *w2)
{
	const struct hpa_kv tab[] = {
		{ "ring", 1, HPA_RING_MAX, ring, NULL },
		{ "cache", 1, HPA_CACHE_MAX, cache, NULL },
		{ "kind", 0, 1, kind, hpmm_hpa_kt_kinds },
	};
	char buf[3][32];
	char *argv[3] = { buf[0], buf[1], buf[2] };

	strscpy(buf[0], w0 ? w0 : "", sizeof(buf[0]));
	strscpy(buf[1], w1 ? w1 : "", sizeof(buf[1]));
	strscpy(buf[2], w2 ? w2 : "", sizeof(buf[2]));
	return hpa_kv_parse(tab, ARRAY_SIZE(tab), argc, argv);
}

static void hpmm_hpa_kv_parse(struct kunit *test)
{
	static const char *const bad[] = {
		"ring", "=5", "ring=", "ring=0", "ring=16385", "ring=abc",
		"ring=-1", "rings=5", "kind=gpu", "kind=1", "ring=1e3",
		"ring=99999999999999999999", "ring= 5", "ring=08", "ring=0x",
	};
	u64 ring = 7, cache = 7, kind = 7;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, hpmm_hpa_kt_parse(&ring, &cache, &kind, 3,
						"ring=256", "cache=0x80",
						"kind=pp"), 0);
	KUNIT_EXPECT_EQ(test, ring, 256ULL);
	KUNIT_EXPECT_EQ(test, cache, 128ULL);
	KUNIT_EXPECT_EQ(test, kind, 1ULL);
	/* Octal, as kstrtoull(base 0) reads it; no word changes nothing. */
	KUNIT_EXPECT_EQ(test, hpmm_hpa_kt_parse(&ring, &cache, &kind, 1,
						"ring=010", NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, ring, 8ULL);
	KUNIT_EXPECT_EQ(test, hpmm_hpa_kt_parse(&ring, &cache, &kind, 0,
						NULL, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, ring, 8ULL);

	/* All or nothing: a bad word anywhere leaves every value alone. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ring = 7;
		cache = 7;
		kind = 7;
		KUNIT_EXPECT_EQ_MSG(test,
				    hpmm_hpa_kt_parse(&ring, &cache, &kind, 2,
						      "cache=5", bad[i], NULL),
				    -EINVAL, "%s", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, ring + cache + kind, 21ULL, "%s",
				    bad[i]);
	}
	/* A key given twice. */
	KUNIT_EXPECT_EQ(test, hpmm_hpa_kt_parse(&ring, &cache, &kind, 2,
						"ring=5", "ring=6", NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ring, 7ULL);
	KUNIT_EXPECT_EQ(test, hpmm_hpa_kt_parse(&ring, &cache, &kind, -1,
						NULL, NULL, NULL), -EINVAL);
}

static void hpmm_hpa_mode_machine(struct kunit *test)
{
	/* A fresh pool's first block is the normal start. */
	KUNIT_EXPECT_EQ(test, hpa_mode_on_depleted(HPA_MODE_NORMAL, false),
			HPA_MODE_NORMAL);
	/* Depleted again after growing: a consumer keeps pages away. */
	KUNIT_EXPECT_EQ(test, hpa_mode_on_depleted(HPA_MODE_NORMAL, true),
			HPA_MODE_INJECT);
	KUNIT_EXPECT_EQ(test, hpa_mode_on_depleted(HPA_MODE_INJECT, true),
			HPA_MODE_INJECT);
	/* Normal again once the backup ring holds a refill's worth. */
	KUNIT_EXPECT_EQ(test, hpa_mode_after_recycle(HPA_MODE_INJECT,
						     HPA_REFILL - 1),
			HPA_MODE_INJECT);
	KUNIT_EXPECT_EQ(test, hpa_mode_after_recycle(HPA_MODE_INJECT,
						     HPA_REFILL),
			HPA_MODE_NORMAL);
	KUNIT_EXPECT_EQ(test, hpa_mode_after_recycle(HPA_MODE_NORMAL, 0),
			HPA_MODE_NORMAL);
	KUNIT_EXPECT_STREQ(test, hpa_mode_name(HPA_MODE_INJECT), "inject");
	KUNIT_EXPECT_STREQ(test, hpa_mode_name(HPA_MODE_NORMAL), "normal");

	/* Reclaim scans are rate limited unless forced. */
	KUNIT_EXPECT_TRUE(test, hpa_scan_due(256, 0, 256, false));
	KUNIT_EXPECT_FALSE(test, hpa_scan_due(255, 0, 256, false));
	KUNIT_EXPECT_TRUE(test, hpa_scan_due(255, 0, 256, true));
	KUNIT_EXPECT_FALSE(test, hpa_scan_due(1000, 900, 256, false));
	KUNIT_EXPECT_TRUE(test, hpa_scan_due(1ULL << 40, 0, U32_MAX, false));
}

static void hpmm_hpa_grow_and_inject(struct kunit *test)
{
	/* The pool never owns more than backup_pages. */
	KUNIT_EXPECT_EQ(test, hpa_grow_check(0, 16384, 9), HPA_GROW_BLOCK);
	KUNIT_EXPECT_EQ(test, hpa_grow_check(16384 - 512, 16384, 9),
			HPA_GROW_BLOCK);
	KUNIT_EXPECT_EQ(test, hpa_grow_check(16384 - 511, 16384, 9),
			HPA_GROW_PAGE);
	KUNIT_EXPECT_EQ(test, hpa_grow_check(16384, 16384, 9), HPA_GROW_NONE);
	KUNIT_EXPECT_EQ(test, hpa_grow_check(16385, 16384, 9), HPA_GROW_NONE);
	KUNIT_EXPECT_EQ(test, hpa_grow_check(0, 1, 0), HPA_GROW_BLOCK);
	/* No overflow near the limits. */
	KUNIT_EXPECT_EQ(test, hpa_grow_check(U32_MAX - 1, U32_MAX, 20),
			HPA_GROW_PAGE);

	/* Direct-inject fills the alloc cache up to HPA_CACHE_MAX. */
	KUNIT_EXPECT_EQ(test, hpa_inject_split(0, 512), 512U);
	KUNIT_EXPECT_EQ(test, hpa_inject_split(1000, 512),
			(u32)HPA_CACHE_MAX - 1000);
	KUNIT_EXPECT_EQ(test, hpa_inject_split(HPA_CACHE_MAX, 512), 0U);
	KUNIT_EXPECT_EQ(test, hpa_inject_split(HPA_CACHE_MAX + 5, 512), 0U);
	KUNIT_EXPECT_EQ(test, hpa_inject_split(0, 2048), (u32)HPA_CACHE_MAX);

	/* Block geometry and free-running counters. */
	KUNIT_EXPECT_EQ(test, hpa_page_iova(0x200000, 0x1000, 0x1000,
					    PAGE_SHIFT), 0x200000ULL);
	KUNIT_EXPECT_EQ(test, hpa_page_iova(0x200000, 0x1000, 0x11ff,
					    PAGE_SHIFT),
			0x200000ULL + (0x1ffULL << PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, hpa_inflight(8, 5), 3LL);
	KUNIT_EXPECT_EQ(test, hpa_inflight(1, U64_MAX), 2LL);
	KUNIT_EXPECT_EQ(test, hpa_inflight(5, 8), -3LL);
}

static void hpmm_hpa_mix(struct kunit *test)
{
	const struct hpa_mix mix = { 300000, 100000, 10000 };
	const struct hpa_mix full = { 0, 0, HPA_PPM };
	const struct hpa_mix over = { 600000, 400001, 0 };
	const struct hpa_mix wrap = { U32_MAX, U32_MAX, 2 };
	unsigned int n[4] = {};
	u64 a = 7, b = 7, z = 0;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, hpa_mix_check(&mix), 0);
	KUNIT_EXPECT_EQ(test, hpa_mix_check(&full), 0);
	KUNIT_EXPECT_EQ(test, hpa_mix_check(&over), -EINVAL);
	/* Summed in 64 bits: u32 parts cannot wrap into a valid mix. */
	KUNIT_EXPECT_EQ(test, hpa_mix_check(&wrap), -EINVAL);

	/* Leak, hold and ring take the low parts, direct the rest. */
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 0), HPA_ACT_LEAK);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 9999), HPA_ACT_LEAK);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 10000), HPA_ACT_HOLD);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 109999), HPA_ACT_HOLD);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 110000), HPA_ACT_RING);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 409999), HPA_ACT_RING);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, 410000), HPA_ACT_DIRECT);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, HPA_PPM - 1), HPA_ACT_DIRECT);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&mix, HPA_PPM), HPA_ACT_LEAK);
	KUNIT_EXPECT_EQ(test, hpa_mix_pick(&full, U32_MAX), HPA_ACT_LEAK);

	/* Reproducible, zero-safe, and each share lands near its ppm. */
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, hpa_prng_next(&a), hpa_prng_next(&b));
	hpa_prng_next(&z);
	KUNIT_EXPECT_NE(test, z, 0ULL);
	for (i = 0; i < 20000; i++)
		n[hpa_mix_pick(&mix, hpa_prng_next(&a))]++;
	/* Expected 200, 2000, 6000, 11800; allow about 4 sigma. */
	KUNIT_EXPECT_LT(test, abs((int)n[HPA_ACT_LEAK] - 200), 60);
	KUNIT_EXPECT_LT(test, abs((int)n[HPA_ACT_HOLD] - 2000), 170);
	KUNIT_EXPECT_LT(test, abs((int)n[HPA_ACT_RING] - 6000), 260);
	KUNIT_EXPECT_LT(test, abs((int)n[HPA_ACT_DIRECT] - 11800), 280);
}

static void hpmm_hpa_fifo(struct kunit *test)
{
	void *slot[4];
	u64 due[4];
	struct hpa_fifo f;
	int x[6];

	hpa_fifo_init(&f, slot, due, ARRAY_SIZE(slot));
	KUNIT_EXPECT_NULL(test, hpa_fifo_pop(&f));
	KUNIT_EXPECT_NULL(test, hpa_fifo_pop_due(&f, U64_MAX));
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[0], 10), 0);
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[1], 11), 0);
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[2], 12), 0);
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[3], 13), 0);
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[4], 14), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f.count, 4U);
	/* Leaves in arrival order, only once due. */
	KUNIT_EXPECT_NULL(test, hpa_fifo_pop_due(&f, 9));
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop_due(&f, 10), (void *)&x[0]);
	KUNIT_EXPECT_NULL(test, hpa_fifo_pop_due(&f, 10));
	/* Wraps around the end of the arrays. */
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[4], 14), 0);
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop_due(&f, 100), (void *)&x[1]);
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop_due(&f, 100), (void *)&x[2]);
	KUNIT_EXPECT_EQ(test, hpa_fifo_push(&f, &x[5], 15), 0);
	KUNIT_EXPECT_EQ(test, f.count, 3U);
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop(&f), (void *)&x[3]);
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop(&f), (void *)&x[4]);
	KUNIT_EXPECT_PTR_EQ(test, hpa_fifo_pop(&f), (void *)&x[5]);
	KUNIT_EXPECT_NULL(test, hpa_fifo_pop(&f));
	KUNIT_EXPECT_EQ(test, f.count, 0U);
	/* A popped slot holds no stale pointer. */
	KUNIT_EXPECT_NULL(test, slot[0]);
	KUNIT_EXPECT_NULL(test, slot[1]);
}

static struct kunit_case hpmm_hpa_book_test_cases[] = {
	KUNIT_CASE(hpmm_hpa_config_ranges),
	KUNIT_CASE(hpmm_hpa_name_rules),
	KUNIT_CASE(hpmm_hpa_kv_parse),
	KUNIT_CASE(hpmm_hpa_mode_machine),
	KUNIT_CASE(hpmm_hpa_grow_and_inject),
	KUNIT_CASE(hpmm_hpa_mix),
	KUNIT_CASE(hpmm_hpa_fifo),
	{}
};

static struct kunit_suite hpmm_hpa_book_test_suite = {
	.name = "hpmm_hpa_book",
	.test_cases = hpmm_hpa_book_test_cases,
};

kunit_test_suite(hpmm_hpa_book_test_suite);

#endif /* _HPMM_HPA_BOOK_TEST_H */
