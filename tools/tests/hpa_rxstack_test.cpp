// SPDX-License-Identifier: GPL-2.0
// The receive model's network stack (kernel/test/hpa_rxstack.c, the very
// file hpmm_test.ko builds, compiled as C against the host layer): the
// action mix, its random numbers and the delay lines. The one test of this
// file: there is no KUnit suite beside it.
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <map>

#include "hpa_rxstack.h"

namespace {

TEST(HpaMix, ChecksAndPicks)
{
	hpa_mix mix{300000, 100000, 10000};
	EXPECT_EQ(0, hpa_mix_check(&mix));
	hpa_mix full{0, 0, HPA_PPM};
	EXPECT_EQ(0, hpa_mix_check(&full));
	hpa_mix over{600000, 400001, 0};
	EXPECT_EQ(-EINVAL, hpa_mix_check(&over));
	// Summed in 64 bits: u32 parts cannot wrap into a valid mix.
	hpa_mix wrap{0xffffffffu, 0xffffffffu, 2};
	EXPECT_EQ(-EINVAL, hpa_mix_check(&wrap));

	// Leak, hold and ring take the low parts, direct the rest.
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 0));
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 9999));
	EXPECT_EQ(HPA_ACT_HOLD, hpa_mix_pick(&mix, 10000));
	EXPECT_EQ(HPA_ACT_HOLD, hpa_mix_pick(&mix, 109999));
	EXPECT_EQ(HPA_ACT_RING, hpa_mix_pick(&mix, 110000));
	EXPECT_EQ(HPA_ACT_RING, hpa_mix_pick(&mix, 409999));
	EXPECT_EQ(HPA_ACT_DIRECT, hpa_mix_pick(&mix, 410000));
	EXPECT_EQ(HPA_ACT_DIRECT, hpa_mix_pick(&mix, 999999));
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&mix, 1000000)); // modulo
	EXPECT_EQ(HPA_ACT_LEAK, hpa_mix_pick(&full, 0xffffffffu));

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

// A short run, as the kernel test had it: the shares hold at 20000 draws
// too (expected 200, 2000, 6000, 11800; about 4 sigma).
TEST(HpaMix, ShortRunShares)
{
	hpa_mix mix{300000, 100000, 10000};
	std::array<int, 4> n{};
	u64 st = 7;
	for (int i = 0; i < 20000; i++)
		n[hpa_mix_pick(&mix, hpa_prng_next(&st))]++;
	EXPECT_LT(std::abs(n[HPA_ACT_LEAK] - 200), 60);
	EXPECT_LT(std::abs(n[HPA_ACT_HOLD] - 2000), 170);
	EXPECT_LT(std::abs(n[HPA_ACT_RING] - 6000), 260);
	EXPECT_LT(std::abs(n[HPA_ACT_DIRECT] - 11800), 280);
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
	EXPECT_EQ(nullptr, hpa_fifo_pop_due(&f, ~0ULL));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[0], 10));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[1], 11));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[2], 12));
	EXPECT_EQ(0, hpa_fifo_push(&f, &x[3], 13));
	EXPECT_EQ(-ENOSPC, hpa_fifo_push(&f, &x[4], 14));
	EXPECT_EQ(4u, f.count);
	// Leaves in arrival order, only once due.
	EXPECT_EQ(nullptr, hpa_fifo_pop_due(&f, 9));
	EXPECT_EQ(&x[0], hpa_fifo_pop_due(&f, 10));
	EXPECT_EQ(nullptr, hpa_fifo_pop_due(&f, 10));
	// Wraps around the end of the arrays.
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
	// A popped slot holds no stale pointer.
	EXPECT_EQ(nullptr, slot[0]);
	EXPECT_EQ(nullptr, slot[1]);
}

} // namespace
