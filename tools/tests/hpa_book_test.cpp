// SPDX-License-Identifier: GPL-2.0
// HPA's bookkeeping (kernel/hpa/book.c, the very file the module builds,
// compiled as C on the host): parameter limits, key=value parsing with
// all-or-nothing semantics, the normal/inject mode machine, growth and
// inject decisions, block geometry, the action mix and the delay lines.
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

TEST(HpaName, Rules)
{
	EXPECT_TRUE(hpa_name_valid("a"));
	EXPECT_TRUE(hpa_name_valid("rx-0_pool"));
	EXPECT_TRUE(hpa_name_valid(std::string(31, 'x').c_str()));
	EXPECT_FALSE(hpa_name_valid(std::string(32, 'x').c_str()));
	EXPECT_FALSE(hpa_name_valid(""));
	EXPECT_FALSE(hpa_name_valid("a/b"));
	EXPECT_FALSE(hpa_name_valid("a b"));
	EXPECT_FALSE(hpa_name_valid(".."));
}

class HpaKv : public ::testing::Test {
protected:
	static constexpr const char *kinds[] = {"hpa", "pp", nullptr};
	u64 ring = 7, cache = 7, kind = 7;
	std::array<hpa_kv, 3> tab{{
		{"ring", 1, 16384, &ring, nullptr},
		{"cache", 1, 1024, &cache, nullptr},
		{"kind", 0, 1, &kind, kinds},
	}};

	int parse(std::vector<std::string> words)
	{
		std::vector<char *> argv;
		for (std::string &w : words_ = std::move(words))
			argv.push_back(w.data());
		return hpa_kv_parse(tab.data(), tab.size(),
				    static_cast<int>(argv.size()), argv.data());
	}

private:
	std::vector<std::string> words_;
};

TEST_F(HpaKv, ParsesNumbersAndNames)
{
	EXPECT_EQ(0, parse({"ring=256", "cache=0x80", "kind=pp"}));
	EXPECT_EQ(256u, ring);
	EXPECT_EQ(128u, cache);
	EXPECT_EQ(1u, kind);
	EXPECT_EQ(0, parse({}));
	EXPECT_EQ(256u, ring);
}

TEST_F(HpaKv, MalformedChangesNothing)
{
	const std::vector<std::vector<std::string>> bad = {
		{"ring"}, {"=5"}, {"ring="}, {"ring=0"}, {"ring=16385"},
		{"ring=abc"}, {"ring=-1"}, {"ring=5", "ring=6"}, {"rings=5"},
		{"kind=gpu"}, {"kind=1"}, {"ring=99999999999999999999999"},
		{"cache=5", "bogus=1"}, {"ring=5 "}, {"ring=1e3"},
	};
	for (const auto &words : bad) {
		ring = cache = kind = 7;
		EXPECT_EQ(-EINVAL, parse(words)) << words[0];
		EXPECT_EQ(7u, ring) << words[0];
		EXPECT_EQ(7u, cache) << words[0];
		EXPECT_EQ(7u, kind) << words[0];
	}
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

TEST(HpaHostCompat, KstrtoullMatchesTheKernel)
{
	unsigned long long v = 0;
	EXPECT_EQ(0, kstrtoull("42", 0, &v));
	EXPECT_EQ(42u, v);
	EXPECT_EQ(0, kstrtoull("0x1F", 0, &v));
	EXPECT_EQ(31u, v);
	EXPECT_EQ(0, kstrtoull("010", 0, &v));
	EXPECT_EQ(8u, v);
	EXPECT_EQ(0, kstrtoull("7\n", 0, &v));
	EXPECT_EQ(7u, v);
	EXPECT_EQ(0, kstrtoull("18446744073709551615", 0, &v));
	EXPECT_EQ(~0ULL, v);
	EXPECT_EQ(-ERANGE, kstrtoull("18446744073709551616", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("0x", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("-1", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull(" 1", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("08", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("1x", 0, &v));
}

} // namespace
