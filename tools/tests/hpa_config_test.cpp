// SPDX-License-Identifier: GPL-2.0
// HPA's pool parameters, mode machine and geometry (kernel/hpa/config.c,
// the very file hpmm.ko builds, compiled as C against the host layer
// tools/include/): parameter limits, the normal/inject mode machine, growth
// and inject decisions, block geometry; and the pool names and "create"
// arguments as kernel/command.c parses them with HPA's limits. The one test
// of these files: there is no KUnit suite beside it.
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "command.h"
#include "config.h"

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
	// At the largest order: the backup ring holds one whole block or more.
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.order = 10; x.backup_pages = 1023; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.order = 10; x.backup_pages = 1024; }));
	EXPECT_EQ(0, check([](hpa_config &x) { x.backup_pages = HPA_PAGES_MAX; }));
	// Orders beyond 20 never, whatever the allocator says.
	EXPECT_EQ(-EINVAL, check([](hpa_config &x) { x.order = 21; x.backup_pages = HPA_PAGES_MAX; }));
}

// x86-64's page allocator on 6.1 (MAX_ORDER 11) takes the defaults: 2 MiB
// blocks, order 9 <= MAX_ORDER - 1.
TEST(HpaConfig, DefaultsFitX86)
{
	hpa_config c{};
	hpa_config_default(&c);
	EXPECT_EQ(0, hpa_config_check(&c, 11 - 1));
	EXPECT_LE(c.order, 10u);
	EXPECT_EQ(0, hpa_config_check(&c, 9));
	EXPECT_EQ(-EINVAL, hpa_config_check(&c, 8));
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
	// No overflow near the limits.
	EXPECT_EQ(HPA_GROW_PAGE, hpa_grow_check(0xfffffffeu, 0xffffffffu, 20));
}

TEST(HpaInject, FillsTheCacheUpTo1024)
{
	EXPECT_EQ(512u, hpa_inject_split(0, 512));
	EXPECT_EQ(512u, hpa_inject_split(512, 512));
	EXPECT_EQ(24u, hpa_inject_split(1000, 512));
	EXPECT_EQ(0u, hpa_inject_split(HPA_CACHE_MAX, 512));
	EXPECT_EQ(0u, hpa_inject_split(HPA_CACHE_MAX + 5, 512));
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
	EXPECT_EQ(-3, hpa_inflight(5, 8));     // broken accounting shows
}

// Pool names: what hpa_pool_create() and debugfs hpa/pools/ accept.
TEST(HpaName, Rules)
{
	EXPECT_TRUE(hpmm_name_valid("a", HPA_NAME_MAX));
	EXPECT_TRUE(hpmm_name_valid("rx-0_POOL", HPA_NAME_MAX));
	EXPECT_TRUE(hpmm_name_valid("hpmm_test-bench", HPA_NAME_MAX));
	for (const char *bad : {"", "a/b", "a b", "..", "a\n", "eth0:rx", "a.b"})
		EXPECT_FALSE(hpmm_name_valid(bad, HPA_NAME_MAX)) << bad;
	std::string name(HPA_NAME_MAX, 'x');
	EXPECT_TRUE(hpmm_name_valid(name.c_str(), HPA_NAME_MAX));
	name += 'x';
	EXPECT_FALSE(hpmm_name_valid(name.c_str(), HPA_NAME_MAX));
}

// "create" arguments with HPA's limits, as hpmm_test's control parses them
// (kernel/test/hpa_control.c): all or nothing.
class HpaCreateArgs : public ::testing::Test {
protected:
	static constexpr const char *kinds[] = {"hpa", "pp", nullptr};
	u64 ring = 7, cache = 7, kind = 7;
	std::array<hpmm_kv, 3> tab{{
		{"ring", 1, HPA_RING_MAX, &ring, nullptr, nullptr},
		{"cache", 1, HPA_CACHE_MAX, &cache, nullptr, nullptr},
		{"kind", 0, 1, &kind, kinds, nullptr},
	}};

	int parse(std::vector<std::string> words, int argc = -2)
	{
		words_ = std::move(words);
		std::vector<char *> argv;
		for (std::string &w : words_)
			argv.push_back(w.data());
		return hpmm_kv_parse(tab.data(), tab.size(),
				     argc == -2 ? static_cast<int>(argv.size()) : argc,
				     argv.data());
	}

private:
	std::vector<std::string> words_;
};

TEST_F(HpaCreateArgs, Parses)
{
	ASSERT_EQ(0, parse({"ring=256", "cache=0x80", "kind=pp"}));
	EXPECT_EQ(256u, ring);
	EXPECT_EQ(128u, cache);
	EXPECT_EQ(1u, kind);
	// Octal, as the kernel's kstrtoull(base 0) reads it.
	ASSERT_EQ(0, parse({"ring=010"}));
	EXPECT_EQ(8u, ring);
	// No word changes nothing.
	ASSERT_EQ(0, parse({}));
	EXPECT_EQ(8u, ring);
	ASSERT_EQ(0, parse({"ring=16384", "cache=1024"}));
	EXPECT_EQ(16384u, ring);
	EXPECT_EQ(1024u, cache);
}

TEST_F(HpaCreateArgs, MalformedChangesNothing)
{
	for (const char *bad :
	     {"ring", "=5", "ring=", "ring=0", "ring=16385", "ring=abc", "ring=-1",
	      "rings=5", "kind=gpu", "kind=1", "ring=1e3", "ring=99999999999999999999",
	      "ring= 5", "ring=08", "ring=0x", "cache=1025"}) {
		ring = cache = kind = 7;
		EXPECT_EQ(-EINVAL, parse({"cache=5", bad})) << bad;
		EXPECT_EQ(21u, ring + cache + kind) << bad;
	}
	// A key given twice; a negative word count.
	EXPECT_EQ(-EINVAL, parse({"ring=5", "ring=6"}));
	EXPECT_EQ(7u, ring);
	EXPECT_EQ(-EINVAL, parse({}, -1));
}

} // namespace
