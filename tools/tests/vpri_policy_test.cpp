// SPDX-License-Identifier: GPL-2.0
// The pin set and its policies (kernel/vpri/pin_set.[ch], policy/) on the
// host: the registry, the budget and busy-page invariants the module relies
// on, and each policy's behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "hpmm/vpri/core.hpp"

#include <uapi/hpmm-vpri-bpf.h>

namespace {

// Drives a pin set the way the module's fault path does.
class PinSet {
public:
	PinSet(int policy, std::uint32_t pages, std::uint32_t budget)
	{
		EXPECT_EQ(0, vpri_bitmap_init(&bm_, pages));
		init_ = vpri_pin_set_init(&ps_, &bm_, static_cast<vpri_policy_id>(policy),
				       pages, budget);
		busy_.assign(pages, 0);
	}
	~PinSet()
	{
		if (!init_)
			vpri_pin_set_fini(&ps_);
		vpri_bitmap_fini(&bm_);
	}
	PinSet(const PinSet &) = delete;
	PinSet &operator=(const PinSet &) = delete;

	int init_result() const { return init_; }
	const vpri_pin_set &ps() const { return ps_; }

	// One single-page access; returns true when it faulted.
	bool access(std::uint32_t page)
	{
		bool faulted = false;
		busy_[page]++;
		if (vpri_bitmap_present(&bm_, page)) {
			vpri_pin_set_hit(&ps_, page);
		} else {
			faulted = true;
			u32 victims[VPRI_MAX_VICTIMS];
			unsigned int nv = 0;
			EXPECT_EQ(0, vpri_pin_set_fault_begin(&ps_, page, claim, this,
							   victims, VPRI_MAX_VICTIMS, &nv));
			for (unsigned int i = 0; i < nv; i++) {
				EXPECT_FALSE(busy_[victims[i]]) << "evicted a busy page";
				EXPECT_FALSE(vpri_bitmap_present(&bm_, victims[i]));
				last_victims_.push_back(victims[i]);
			}
			vpri_bitmap_mark_accessed(&bm_, page);
			vpri_bitmap_set_present(&bm_, page);
			vpri_pin_set_fault_commit(&ps_, page);
		}
		busy_[page]--;
		if (ps_.ops->unpin_after_dma)
			vpri_pin_set_release(&ps_, page, claim, this);
		if (ps_.ops->tick && vpri_pin_set_tick(&ps_)) {
			u32 victims[VPRI_MAX_VICTIMS];
			int n = vpri_pin_set_trim(&ps_, claim, this, victims, VPRI_MAX_VICTIMS);
			last_victims_.insert(last_victims_.end(), victims, victims + n);
		}
		check_invariants();
		return faulted;
	}

	void hold(std::uint32_t page) { busy_[page]++; }
	void release(std::uint32_t page) { busy_[page]--; }
	bool present(std::uint32_t page) const { return vpri_bitmap_present(&bm_, page); }
	std::vector<std::uint32_t> take_victims()
	{
		std::vector<std::uint32_t> v;
		v.swap(last_victims_);
		return v;
	}
	std::uint32_t pinned() const { return ps_.nr_pinned; }
	vpri_pin_set *raw() { return &ps_; }
	vpri_bitmap *bitmap() { return &bm_; }
	void check() { check_invariants(); }

	// vpri_claim() without the domain: present first, then the busy count.
	static bool claim(void *ctx, u32 idx)
	{
		auto *s = static_cast<PinSet *>(ctx);
		if (!vpri_bitmap_test_and_clear_present(&s->bm_, idx))
			return false;
		if (s->busy_[idx]) {
			vpri_bitmap_set_present(&s->bm_, idx);
			return false;
		}
		return true;
	}

private:
	void check_invariants()
	{
		EXPECT_LE(ps_.nr_pinned, ps_.budget);
		EXPECT_LE(ps_.st.peak_pinned, ps_.budget);
		EXPECT_LE(ps_.target, ps_.budget);
		EXPECT_EQ(ps_.nr_pinned, vpri_bitmap_count_present(&bm_));
		EXPECT_EQ(ps_.st.accesses, ps_.st.hits + ps_.st.faults);
		EXPECT_EQ(ps_.st.faults - ps_.st.aborts - ps_.st.evictions -
				  ps_.st.releases - ps_.st.removals,
			  ps_.nr_pinned);
	}

	vpri_bitmap bm_{};
	vpri_pin_set ps_{};
	int init_ = -1;
	std::vector<std::uint32_t> busy_;
	std::vector<std::uint32_t> last_victims_;
};

TEST(VpriPinSet, EveryPolicyIsRegisteredByItsId)
{
	for (int id = 0; id < VPRI_NR_POLICIES; id++) {
		auto pid = static_cast<vpri_policy_id>(id);
		ASSERT_NE(nullptr, vpri_policy_get(pid)) << id;
		EXPECT_EQ(id, vpri_policy_parse(vpri_policy_name(pid)));
	}
	EXPECT_EQ(nullptr, vpri_policy_get(VPRI_NR_POLICIES));
	EXPECT_EQ(std::string("unknown"), vpri_policy_name(VPRI_NR_POLICIES));
	EXPECT_EQ(std::string("adp"), vpri_policy_name(VPRI_POLICY_ADP));
	EXPECT_EQ(VPRI_POLICY_ARC, vpri_policy_parse("arc"));
	EXPECT_EQ(-EINVAL, vpri_policy_parse("mru"));
}

TEST(VpriPinSet, InitChecksPolicyAndBudget)
{
	// A budget of 2..nr_pages for the policies that take one.
	EXPECT_EQ(-EINVAL, PinSet(VPRI_POLICY_LRU, 16, 1).init_result());
	EXPECT_EQ(-EINVAL, PinSet(VPRI_POLICY_ADP, 16, 17).init_result());
	EXPECT_EQ(-EINVAL, PinSet(VPRI_NR_POLICIES, 16, 4).init_result());
	PinSet clock(VPRI_POLICY_CLOCK, 16, 2);
	ASSERT_EQ(0, clock.init_result());
	EXPECT_EQ(2u, clock.ps().budget);
	// The bitmap must cover the domain.
	vpri_pin_set other{};
	EXPECT_EQ(-EINVAL, vpri_pin_set_init(&other, clock.bitmap(), VPRI_POLICY_ALL, 15, 0));
	// "none" and "all" ignore the budget: the whole domain.
	PinSet all(VPRI_POLICY_ALL, 16, 0);
	ASSERT_EQ(0, all.init_result());
	EXPECT_EQ(16u, all.ps().budget);
	EXPECT_EQ(16u, all.ps().target);
}

// A pseudo-random stream with a hot set, a scan and reuse.
std::vector<std::uint32_t> mixed_stream(std::uint32_t pages, std::size_t n)
{
	std::vector<std::uint32_t> s;
	std::uint64_t x = 88172645463325252ULL;
	for (std::size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % 4 == 3)
			s.push_back(static_cast<std::uint32_t>(i % pages));
		else
			s.push_back(static_cast<std::uint32_t>(x % (pages / 5)));
	}
	return s;
}

class VpriBudgeted : public ::testing::TestWithParam<int> {};

TEST_P(VpriBudgeted, BudgetNeverExceededAndBusyPagesNeverEvicted)
{
	PinSet s(GetParam(), 256, 16);
	ASSERT_EQ(0, s.init_result());
	std::vector<std::uint32_t> stream = mixed_stream(256, 20000);
	bool held = false;
	for (std::size_t i = 0; i < stream.size(); i++) {
		// Pages 7 and 8 are held by an access in flight half the time;
		// access() fails the test if a victim is ever busy.
		if (i % 2000 == 0) {
			s.access(7);
			s.access(8);
			s.hold(7);
			s.hold(8);
			held = true;
		}
		s.access(stream[i]);
		for (std::uint32_t v : s.take_victims()) {
			if (held) {
				EXPECT_NE(7u, v);
				EXPECT_NE(8u, v);
			}
		}
		if (i % 2000 == 999) {
			s.release(7);
			s.release(8);
			held = false;
		}
	}
	EXPECT_LE(s.ps().st.peak_pinned, 16u);
	EXPECT_GT(s.ps().st.hits, 0u);
	EXPECT_GT(s.ps().st.evictions, 0u);
}

// With every pinned page in use a fault gets -ENOSPC and changes nothing;
// an aborted fault and a page unpinned from outside (munmap) keep the
// counts right, and only a page no access uses is chosen.
TEST_P(VpriBudgeted, BusyPagesRemovalAndAbort)
{
	PinSet s(GetParam(), 32, 4);
	ASSERT_EQ(0, s.init_result());
	vpri_pin_set *ps = s.raw();
	u32 victims[VPRI_MAX_VICTIMS] = {};
	unsigned int nv = 1;
	for (std::uint32_t p = 0; p < 4; p++) {
		s.access(p);
		s.hold(p);
	}
	EXPECT_EQ(-ENOSPC, vpri_pin_set_fault_begin(ps, 9, PinSet::claim, &s, victims,
						    VPRI_MAX_VICTIMS, &nv));
	EXPECT_EQ(0u, nv);
	EXPECT_EQ(4u, ps->nr_pinned);
	EXPECT_EQ(1u, ps->st.aborts);
	s.check();

	// munmap takes page 2 away: a fault then needs no victim.
	s.release(2);
	EXPECT_TRUE(vpri_bitmap_test_and_clear_present(s.bitmap(), 2));
	vpri_pin_set_remove(ps, 2);
	EXPECT_EQ(3u, ps->nr_pinned);
	s.take_victims();
	EXPECT_TRUE(s.access(9));
	EXPECT_TRUE(s.take_victims().empty());

	// Only page 3 (or 9, just pinned) is free to go; an aborted fault
	// frees its slot.
	s.release(3);
	ASSERT_EQ(0, vpri_pin_set_fault_begin(ps, 10, PinSet::claim, &s, victims,
					      VPRI_MAX_VICTIMS, &nv));
	ASSERT_EQ(1u, nv);
	EXPECT_TRUE(victims[0] == 3 || victims[0] == 9) << "evicted page " << victims[0];
	vpri_pin_set_fault_abort(ps);
	EXPECT_EQ(3u, ps->nr_pinned);
	EXPECT_TRUE(s.present(0));
	EXPECT_TRUE(s.present(1));
	s.check();
	s.release(0);
	s.release(1);
}

INSTANTIATE_TEST_SUITE_P(Policies, VpriBudgeted,
			 ::testing::Values(VPRI_POLICY_LRU, VPRI_POLICY_CLOCK,
					   VPRI_POLICY_ARC, VPRI_POLICY_ADP),
			 [](const auto &param_info) { return hpmm::vpri::policy_name(param_info.param); });

TEST(VpriPolicy, NoneFaultsOnEveryAccessAndKeepsNothing)
{
	PinSet s(VPRI_POLICY_NONE, 64, 0);
	for (std::uint32_t p : mixed_stream(64, 1000))
		EXPECT_TRUE(s.access(p));
	EXPECT_EQ(0u, s.pinned());
	EXPECT_EQ(0u, vpri_bitmap_count_present(s.bitmap()));
	EXPECT_EQ(1000u, s.ps().st.releases);
	EXPECT_EQ(0u, s.ps().st.hits);
	EXPECT_EQ(1u, s.ps().st.peak_pinned);
}

TEST(VpriPolicy, AllFaultsOncePerPage)
{
	PinSet s(VPRI_POLICY_ALL, 64, 0);
	std::set<std::uint32_t> seen;
	for (std::uint32_t p : mixed_stream(64, 1000)) {
		EXPECT_EQ(!seen.count(p), s.access(p)) << "page " << p;
		seen.insert(p);
	}
	EXPECT_EQ(seen.size(), s.ps().st.faults);
	EXPECT_EQ(seen.size(), s.pinned());
	EXPECT_EQ(0u, s.ps().st.evictions);
}

TEST(VpriPolicy, LruEvictsLeastRecentlyUsed)
{
	PinSet s(VPRI_POLICY_LRU, 16, 3);
	for (std::uint32_t p : { 1, 2, 3, 1 })
		s.access(p);
	s.take_victims();
	EXPECT_TRUE(s.access(4));
	EXPECT_EQ(std::vector<std::uint32_t>{ 2 }, s.take_victims());
	EXPECT_FALSE(s.access(1));
	EXPECT_TRUE(s.access(5));
	EXPECT_EQ(std::vector<std::uint32_t>{ 3 }, s.take_victims());
}

TEST(VpriPolicy, LruLoopPathology)
{
	// A loop one page longer than the budget: LRU unpins each page just
	// before its reuse and faults on every access; ADP keeps part of the
	// loop pinned, so every lap after the first hits.
	PinSet s(VPRI_POLICY_LRU, 64, 8);
	PinSet adp(VPRI_POLICY_ADP, 64, 8);
	for (int lap = 0; lap < 20; lap++) {
		std::uint64_t adp_faults = adp.ps().st.faults;
		for (std::uint32_t p = 0; p < 9; p++) {
			EXPECT_TRUE(s.access(p));
			adp.access(p);
		}
		if (lap) {
			EXPECT_LT(adp.ps().st.faults - adp_faults, 9u) << "lap " << lap;
		}
	}
	EXPECT_EQ(0u, s.ps().st.hits);
	EXPECT_LT(adp.ps().st.faults * 2, s.ps().st.faults);
}

TEST(VpriPolicy, ClockGivesSecondChanceOnTheAccessedBit)
{
	PinSet s(VPRI_POLICY_CLOCK, 16, 3);
	for (std::uint32_t p : { 1, 2, 3 })
		s.access(p);
	// Every page was just accessed: one sweep clears them, 1 goes.
	EXPECT_TRUE(s.access(4));
	EXPECT_EQ(std::vector<std::uint32_t>{ 1 }, s.take_victims());
	// 2 is used again: its bit saves it, 3 goes.
	EXPECT_FALSE(s.access(2));
	EXPECT_TRUE(s.access(5));
	EXPECT_EQ(std::vector<std::uint32_t>{ 3 }, s.take_victims());
	EXPECT_TRUE(s.present(2));
	EXPECT_TRUE(s.present(4));
	EXPECT_TRUE(s.present(5));
}

TEST(VpriPolicy, ArcKeepsFrequentPagesThroughAScan)
{
	PinSet s(VPRI_POLICY_ARC, 1024, 8);
	for (int rep = 0; rep < 2; rep++)
		for (std::uint32_t p = 0; p < 4; p++)
			s.access(p);
	for (std::uint32_t p = 100; p < 600; p++)
		s.access(p);
	for (std::uint32_t p = 0; p < 4; p++)
		EXPECT_FALSE(s.access(p)) << "hot page " << p << " lost to a scan";
}

TEST(VpriPolicy, ArcAdaptsToGhostHits)
{
	// Re-referencing recently evicted one-time pages (B1 hits) grows T1's
	// share: ARC then hits on a working set that LRU-of-T2 alone would not.
	PinSet arc(VPRI_POLICY_ARC, 1024, 8);
	PinSet lru(VPRI_POLICY_LRU, 1024, 8);
	for (int lap = 0; lap < 50; lap++) {
		for (std::uint32_t p = 0; p < 6; p++) {
			arc.access(p);
			lru.access(p);
		}
		for (std::uint32_t p = 0; p < 3; p++) {
			arc.access(200 + lap * 3 + p);
			lru.access(200 + lap * 3 + p);
		}
	}
	EXPECT_LE(arc.ps().st.faults, lru.ps().st.faults);
}

TEST(VpriPolicy, AdpResistsLoops)
{
	PinSet s(VPRI_POLICY_ADP, 64, 8);
	for (int lap = 0; lap < 20; lap++)
		for (std::uint32_t p = 0; p < 9; p++)
			s.access(p);
	// S takes 6 of the 9 pages on the first lap (it has room) and keeps
	// them; R (2 pages) cycles the other 3: 3 faults a lap, not 9.
	EXPECT_EQ(9u + 19 * 3u, s.ps().st.faults);
	EXPECT_EQ(19 * 6u, s.ps().st.hits);
}

TEST(VpriPolicy, AdpResistsScans)
{
	PinSet s(VPRI_POLICY_ADP, 4096, 16);
	for (int rep = 0; rep < 3; rep++)
		for (std::uint32_t p = 0; p < 8; p++)
			s.access(p);
	// The back-to-back repetitions were one (correlated) use each: a hot
	// page may fault once more before it counts as reused. After that, a
	// scan of 1800 pages never used again does not push it out.
	std::uint64_t hot_faults = 0, late_faults = 0;
	for (std::uint32_t i = 0; i < 2000; i++) {
		s.access(100 + i); // never reused
		if (i % 10 == 0) {
			bool f = s.access(i / 10 % 8);
			hot_faults += f;
			late_faults += f && i >= 200;
		}
	}
	EXPECT_LE(hot_faults, 8u);
	EXPECT_EQ(0u, late_faults);
}

TEST(VpriPolicy, AdpUndoesAShrinkThatRefaults)
{
	// 16 hot pages, and 32 warm ones each used once every 5984 accesses:
	// more than a window (4096) apart, so a quiet window sees only part
	// of them and shrinks the target below the 48 pages in use. The warm
	// pages it unpins fault again within two windows: the target goes
	// back up and shrinking is held off for 32 windows, then 64, so adp
	// faults at most twice as often as lru, which keeps all 48 pinned
	// (one fault each). Without the undo, it refaulted every window.
	PinSet lru(VPRI_POLICY_LRU, 1024, 64), adp(VPRI_POLICY_ADP, 1024, 64);
	std::uint32_t warm = 0, lowest = 64;
	for (int i = 0; i < 200000; i++) {
		std::uint32_t page = i % 187 ? static_cast<std::uint32_t>(i % 16) :
				     16 + warm++ % 32;
		lru.access(page);
		adp.access(page);
		lowest = std::min(lowest, adp.ps().target);
	}
	EXPECT_EQ(48u, lru.ps().st.faults);
	EXPECT_LT(lowest, 48u) << "the target never shrank: nothing was tested";
	EXPECT_LE(adp.ps().st.faults, 2 * lru.ps().st.faults);
}

TEST(VpriPolicy, AdpAdaptsItsTargetAndKeepsAMinimum)
{
	PinSet s(VPRI_POLICY_ADP, 8192, 1024);
	// 32 pages used over and over: almost no faults, target shrinks.
	for (int i = 0; i < 40000; i++)
		s.access(static_cast<std::uint32_t>(i % 32));
	EXPECT_LT(s.ps().target, 1024u);
	EXPECT_GE(s.ps().target, 1024u / 4);
	EXPECT_LE(s.pinned(), s.ps().target);
	// A wide working set: faults climb and the target grows back.
	for (int i = 0; i < 60000; i++)
		s.access(static_cast<std::uint32_t>((i * 7) % 900));
	EXPECT_EQ(1024u, s.ps().target);
}

TEST(VpriPolicy, ExternalRemovalKeepsCountsRight)
{
	for (int policy : { VPRI_POLICY_LRU, VPRI_POLICY_CLOCK, VPRI_POLICY_ARC,
			    VPRI_POLICY_ADP }) {
		vpri_bitmap bm{};
		vpri_pin_set ps{};
		ASSERT_EQ(0, vpri_bitmap_init(&bm, 32));
		ASSERT_EQ(0, vpri_pin_set_init(&ps, &bm, static_cast<vpri_policy_id>(policy),
					    32, 4));
		unsigned int nv;
		u32 victims[VPRI_MAX_VICTIMS];
		auto yes = [](void *ctx, u32 idx) {
			return vpri_bitmap_test_and_clear_present(static_cast<vpri_bitmap *>(ctx),
								  idx);
		};
		for (u32 p = 0; p < 4; p++) {
			ASSERT_EQ(0, vpri_pin_set_fault_begin(&ps, p, yes, &bm, victims, 32, &nv));
			vpri_bitmap_set_present(&bm, p);
			vpri_pin_set_fault_commit(&ps, p);
		}
		// munmap takes page 2 away.
		ASSERT_TRUE(vpri_bitmap_test_and_clear_present(&bm, 2));
		vpri_pin_set_remove(&ps, 2);
		EXPECT_EQ(3u, ps.nr_pinned);
		// A fault now needs no victim; the next one evicts a live page.
		ASSERT_EQ(0, vpri_pin_set_fault_begin(&ps, 9, yes, &bm, victims, 32, &nv));
		EXPECT_EQ(0u, nv);
		vpri_bitmap_set_present(&bm, 9);
		vpri_pin_set_fault_commit(&ps, 9);
		ASSERT_EQ(0, vpri_pin_set_fault_begin(&ps, 10, yes, &bm, victims, 32, &nv));
		ASSERT_EQ(1u, nv) << hpmm::vpri::policy_name(policy);
		EXPECT_NE(2u, victims[0]);
		vpri_pin_set_fault_abort(&ps);
		EXPECT_EQ(3u, ps.nr_pinned);
		vpri_pin_set_fini(&ps);
		vpri_bitmap_fini(&bm);
	}
}


// What the last choice saw; the chooser's answer (a host stand-in for the
// BPF program kernel/vpri/bpf.c calls).
struct Chooser {
	static inline hpmm_vpri_victim_ctx seen{};
	static inline std::uint32_t calls = 0;

	static u32 oldest(const hpmm_vpri_victim_ctx *vc)
	{
		seen = *vc;
		calls++;
		return 0;
	}
	static u32 out_of_range(const hpmm_vpri_victim_ctx *vc)
	{
		seen = *vc;
		calls++;
		return vc->nr;
	}
	// As tools/bpf/vpri_hits.bpf.c: the fewest hits, ties to the oldest.
	static u32 fewest_hits(const hpmm_vpri_victim_ctx *vc)
	{
		u32 best = 0;
		seen = *vc;
		calls++;
		for (u32 i = 1; i < vc->nr; i++)
			if (vc->cand[i].hits < vc->cand[best].hits)
				best = i;
		return best;
	}
};

// A mixed stream (a reused ring of 6 pages, scans of fresh pages, random
// pages) replayed on @a and @b; true when every access faulted alike.
bool same_faults(PinSet &a, PinSet &b)
{
	std::uint32_t x = 12345;
	bool same = true;
	for (int i = 0; i < 4000; i++) {
		x = x * 1103515245u + 12345u;
		std::uint32_t page = (i % 3 == 0) ? (x >> 8) % 6 :
				     (i % 3 == 1) ? 6 + (i / 3) % 200 : (x >> 8) % 256;
		same &= a.access(page) == b.access(page);
	}
	return same && a.ps().st.evictions == b.ps().st.evictions;
}

TEST(VpriPolicy, BpfWithoutAProgramIsLru)
{
	PinSet lru(VPRI_POLICY_LRU, 256, 16), bpf(VPRI_POLICY_BPF, 256, 16);
	ASSERT_EQ(0, bpf.init_result());
	EXPECT_TRUE(same_faults(lru, bpf));
	EXPECT_EQ(0u, bpf.ps().st.choices);
}

TEST(VpriPolicy, BpfOldestChoiceIsLru)
{
	PinSet lru(VPRI_POLICY_LRU, 256, 16), bpf(VPRI_POLICY_BPF, 256, 16);
	bpf.raw()->choose = Chooser::oldest;
	Chooser::calls = 0;
	EXPECT_TRUE(same_faults(lru, bpf));
	EXPECT_EQ(bpf.ps().st.evictions, bpf.ps().st.choices);
	EXPECT_EQ(Chooser::calls, bpf.ps().st.choices);
	EXPECT_EQ(0u, bpf.ps().st.chosen_newer);
}

TEST(VpriPolicy, BpfOutOfRangeChoiceUnpinsTheOldest)
{
	PinSet lru(VPRI_POLICY_LRU, 256, 16), bpf(VPRI_POLICY_BPF, 256, 16);
	bpf.raw()->choose = Chooser::out_of_range;
	EXPECT_TRUE(same_faults(lru, bpf));
	EXPECT_LT(0u, bpf.ps().st.choices);
	EXPECT_EQ(0u, bpf.ps().st.chosen_newer);
}

TEST(VpriPolicy, BpfChoiceSeesTheOldestAndIsUnpinned)
{
	PinSet s(VPRI_POLICY_BPF, 64, 4);
	s.raw()->choose = Chooser::fewest_hits;
	s.raw()->domain_id = 7;
	// Pinned oldest first: 1, 2, 3, 4; 1 reused twice (moves it up), 2 once.
	for (std::uint32_t p : { 1, 2, 3, 4, 1, 1, 2 })
		s.access(p);
	s.take_victims();
	Chooser::calls = 0;
	EXPECT_TRUE(s.access(5));
	ASSERT_EQ(1u, Chooser::calls);
	const hpmm_vpri_victim_ctx &vc = Chooser::seen;
	EXPECT_EQ(7u, vc.domain_id);
	EXPECT_EQ(5u, vc.fault_page);
	EXPECT_EQ(4u, vc.budget);
	ASSERT_EQ(4u, vc.nr);
	// LRU order: 3, 4, 1, 2; hits 0, 0, 2, 1; idle since the last access.
	const std::uint32_t pages[] = { 3, 4, 1, 2 }, hits[] = { 0, 0, 2, 1 };
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(pages[i], vc.cand[i].page) << i;
		EXPECT_EQ(hits[i], vc.cand[i].hits) << i;
		EXPECT_EQ(1u, vc.cand[i].accessed) << i;
	}
	EXPECT_EQ(8u, vc.clock);
	EXPECT_EQ(5u, vc.cand[0].idle) << "3 was last used at access 3";
	EXPECT_EQ(1u, vc.cand[3].idle);
	// Fewest hits, ties to the oldest: 3.
	EXPECT_EQ(std::vector<std::uint32_t>{ 3 }, s.take_victims());
	EXPECT_FALSE(s.present(3));
	EXPECT_EQ(0u, s.ps().st.chosen_newer);
	// 4 reused twice: the next fault unpins 5 (no hits), not the oldest, 1.
	s.access(4);
	s.access(4);
	EXPECT_TRUE(s.access(6));
	EXPECT_EQ(std::vector<std::uint32_t>{ 5 }, s.take_victims());
	EXPECT_EQ(1u, s.ps().st.chosen_newer);
	// The choice (6, no hits) is busy: the oldest page no access uses goes.
	s.hold(6);
	EXPECT_TRUE(s.access(7));
	s.release(6);
	EXPECT_EQ(std::vector<std::uint32_t>{ 1 }, s.take_victims());
	EXPECT_TRUE(s.present(6));
	EXPECT_EQ(2u, s.ps().st.chosen_newer);
}

TEST(VpriPolicy, BpfFewestHitsKeepsARingThroughScans)
{
	// A ring of 6 buffers reused between bursts of 8 pages touched once:
	// LRU lets every burst push the ring out, the fewest-hits choice
	// among the 8 oldest unpins the burst's pages instead.
	PinSet lru(VPRI_POLICY_LRU, 1024, 12), bpf(VPRI_POLICY_BPF, 1024, 12);
	bpf.raw()->choose = Chooser::fewest_hits;
	std::uint32_t fresh = 100;
	for (int round = 0; round < 50; round++) {
		for (int k = 0; k < 2; k++)
			for (std::uint32_t p = 0; p < 6; p++) {
				lru.access(p);
				bpf.access(p);
			}
		for (int k = 0; k < 8; k++, fresh++) {
			lru.access(fresh);
			bpf.access(fresh);
		}
	}
	EXPECT_LT(bpf.ps().st.faults, lru.ps().st.faults);
	EXPECT_LT(0u, bpf.ps().st.chosen_newer);
}

} // namespace
