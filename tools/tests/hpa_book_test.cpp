// SPDX-License-Identifier: GPL-2.0
// HPA's bookkeeping (kernel/hpa/book.c, the very file the module builds,
// compiled as C on the host): parameter limits, the normal/inject mode
// machine, growth and inject decisions, block geometry, the action mix and
// the delay lines.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

extern "C" {
#include "book.h"
}

namespace {

TEST(HpaConfig, DefaultsAreValid)
{
	hpa_config c{};
	hpa_config_default(&c);
	EXPECT_EQ(0, hpa_config_check(&c, 10));
	EXPECT_EQ(9u, c.order);
	EXPECT_EQ(128u, c.cache_size);
	EXPECT_EQ(1024u, c.ring_size);
	EXPECT_EQ(0u, c.verify);
}

TEST(HpaConfig, RangesAreEnforced)
{
	hpa_config c{};
	auto check = [&](auto mutate) {
		hpa_config_default(&c);
		mutate(c);
		return hpa_config_check(&c, 10);
	};
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.ring_size = 0; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.ring_size = HPA_RING_MAX + 1; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.ring_size = HPA_RING_MAX; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.cache_size = 0; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.cache_size = HPA_CACHE_MAX; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.cache_size = HPA_CACHE_MAX + 1; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.order = 10; x.backup_pages = 1024; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.order = 11; }));
	// The backup ring must hold at least one block.
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.backup_pages = 511; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.backup_pages = 512; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.backup_pages = HPA_PAGES_MAX + 1; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.scan_interval = 0; }));
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.verify = 2; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.order = 0; x.backup_pages = 1; }));
}

TEST(HpaMode, DepletionAndRecovery)
{
	// A fresh pool's first block is the normal start.
	EXPECT_EQ(HPA_MODE_NORMAL, hpa_mode_on_depleted(HPA_MODE_NORMAL, false));
	// Depleted again after growing: a consumer keeps pages away.
	EXPECT_EQ(HPA_MODE_INJECT, hpa_mode_on_depleted(HPA_MODE_NORMAL, true));
	EXPECT_EQ(HPA_MODE_INJECT, hpa_mode_on_depleted(HPA_MODE_INJECT, true));
	// Back to normal once the backup ring holds a refill's worth.
	EXPECT_EQ(HPA_MODE_INJECT, hpa_mode_after_recycle(HPA_MODE_INJECT, HPA_REFILL - 1));
	EXPECT_EQ(HPA_MODE_NORMAL, hpa_mode_after_recycle(HPA_MODE_INJECT, HPA_REFILL));
	EXPECT_EQ(HPA_MODE_NORMAL, hpa_mode_after_recycle(HPA_MODE_NORMAL, 0));
	EXPECT_STREQ("inject", hpa_mode_name(HPA_MODE_INJECT));
	EXPECT_STREQ("normal", hpa_mode_name(HPA_MODE_NORMAL));
}

TEST(HpaScan, RateLimited)
{
	EXPECT_TRUE(hpa_scan_due(256, 0, 256, false));
	EXPECT_FALSE(hpa_scan_due(255, 0, 256, false));
	EXPECT_TRUE(hpa_scan_due(255, 0, 256, true));
	EXPECT_FALSE(hpa_scan_due(1000, 900, 256, false));
	EXPECT_TRUE(hpa_scan_due(1ULL << 40, 0, 0xffffffffu, false));
	EXPECT_FALSE(hpa_scan_due(1000, 0, 0xffffffffu, false));
}

TEST(HpaGrow, BoundedByBackupPages)
{
	EXPECT_EQ(HPA_GROW_BLOCK, hpa_grow_check(0, 16384, 9));
	EXPECT_EQ(HPA_GROW_BLOCK, hpa_grow_check(16384 - 512, 16384, 9));
	EXPECT_EQ(HPA_GROW_PAGE, hpa_grow_check(16384 - 511, 16384, 9));
	EXPECT_EQ(HPA_GROW_NONE, hpa_grow_check(16384, 16384, 9));
	EXPECT_EQ(HPA_GROW_NONE, hpa_grow_check(16385, 16384, 9));
	EXPECT_EQ(HPA_GROW_BLOCK, hpa_grow_check(0, 1, 0));
}

TEST(HpaInject, FillsTheCacheUpTo1024)
{
	EXPECT_EQ(512u, hpa_inject_split(0, 512));
	EXPECT_EQ(512u, hpa_inject_split(512, 512));
	EXPECT_EQ(24u, hpa_inject_split(1000, 512));
	EXPECT_EQ(0u, hpa_inject_split(HPA_CACHE_MAX, 512));
	EXPECT_EQ(1024u, hpa_inject_split(0, 2048));
}

TEST(HpaGeometry, PageIovas)
{
	EXPECT_EQ(0x200000u, hpa_page_iova(0x200000, 0x1000, 0x1000, 12));
	EXPECT_EQ(0x201000u, hpa_page_iova(0x200000, 0x1000, 0x1001, 12));
	EXPECT_EQ(0x3ff000u, hpa_page_iova(0x200000, 0x1000, 0x11ff, 12));
	EXPECT_EQ(0, hpa_inflight(5, 5));
	EXPECT_EQ(3, hpa_inflight(8, 5));
	EXPECT_EQ(2, hpa_inflight(1, ~0ULL)); // free-running counters wrap
}

TEST(HpaMix, ChecksAndPicks)
{
	hpa_mix mix{300000, 100000, 10000};
	EXPECT_EQ(0, hpa_mix_check(&mix));
	hpa_mix full{0, 0, HPA_PPM};
	EXPECT_EQ(0, hpa_mix_check(&full));
	hpa_mix over{600000, 400001, 0};
	EXPECT_EQ(-EINVAL, hpa_mix_check(&over));

	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 0));
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 9999));
	EXPECT_EQ(HPA_ACT_HOLD, hpa_mix_pick(&mix, 10000));
	EXPECT_EQ(HPA_ACT_RING, hpa_mix_pick(&mix, 110000));
	EXPECT_EQ(HPA_ACT_DIRECT, hpa_mix_pick(&mix, 410000));
	EXPECT_EQ(HPA_ACT_DIRECT, hpa_mix_pick(&mix, 999999));
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 1000000)); // modulo

	// Over many draws each share lands near its ppm.
	std::map<int, int> n;
	u64 st = 42;
	const int draws = 1000000;
	for (int i = 0; i < draws; i++)
		n[hpa_mix_pick(&mix, hpa_prng_next(&st))]++;
	EXPECT_NEAR(10000, n[HPA_ACT_LEAK], 500);
	EXPECT_NEAR(100000, n[HPA_ACT_HOLD], 1500);
	EXPECT_NEAR(300000, n[HPA_ACT_RING], 2500);
	EXPECT_NEAR(590000, n[HPA_ACT_DIRECT], 2500);
}

TEST(HpaPrng, ReproducibleAndZeroSafe)
{
	u64 a = 7, b = 7, z = 0;
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(hpa_prng_next(&a), hpa_prng_next(&b));
	hpa_prng_next(&z);
	EXPECT_NE(0u, z);
}

TEST(HpaFifo, DelayLine)
{
	std::array<void *, 4> slot{};
	std::array<u64, 4> due{};
	hpa_fifo f{};
	int x[6];
	hpa_fifo_init(&f, slot.data(), due.data(), 4);
	EXPECT_EQ(nullptr, hpa_fifo_pop(&f));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[0], 10));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[1], 11));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[2], 12));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[3], 13));
	EXPECT_EQ(-ENOSPC, hpa_fifo_push(&f, &x[4], 14));
	EXPECT_EQ(nullptr, hpa_fifo_pop_due(&f, 9));
	EXPECT_EQ(&x[0], hpa_fifo_pop_due(&f, 10));
	EXPECT_EQ(nullptr, hpa_fifo_pop_due(&f, 10));
	// Wraps around.
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[4], 14));
	EXPECT_EQ(&x[1], hpa_fifo_pop_due(&f, 100));
	EXPECT_EQ(&x[2], hpa_fifo_pop_due(&f, 100));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[5], 15));
	EXPECT_EQ(3u, f.count);
	EXPECT_EQ(&x[3], hpa_fifo_pop(&f));
	EXPECT_EQ(&x[4], hpa_fifo_pop(&f));
	EXPECT_EQ(&x[5], hpa_fifo_pop(&f));
	EXPECT_EQ(nullptr, hpa_fifo_pop(&f));
	EXPECT_EQ(0u, f.count);
}

} // namespace
