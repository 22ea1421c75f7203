// SPDX-License-Identifier: GPL-2.0
// The on-demand mode's protectors (kernel/vpri/protect.[ch], policy/prot_*)
// on the host, driven with the module's sequence of calls: every access a
// hit or a fault, a scan once a window went by (observe every mapped page
// with its accessed bit, plan, act), pins within the budget.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

extern "C" {
#include "protect.h"
}

namespace {

// The module's side: which pages are mapped, pinned, accessed.
class Domain {
public:
	Domain(vpri_prot_id id, std::uint32_t pages, std::uint32_t budget)
		: mapped_(pages, false), pinned_(pages, false),
		  accessed_(pages, false)
	{
		init_ = vpri_prot_init(&p_, id, pages, budget);
	}
	~Domain()
	{
		if (!init_)
			vpri_prot_fini(&p_);
	}
	Domain(const Domain &) = delete;
	Domain &operator=(const Domain &) = delete;

	int init_result() const { return init_; }
	const vpri_prot &prot() const { return p_; }
	bool pinned(std::uint32_t page) const { return pinned_[page]; }
	std::uint32_t nr_pinned() const { return p_.nr_pinned; }

	// One device access; returns true when it faulted.
	bool access(std::uint32_t page)
	{
		bool fault = !mapped_[page];

		accessed_[page] = true;
		if (fault) {
			mapped_[page] = true;
			vpri_prot_fault(&p_, page);
		} else {
			vpri_prot_hit(&p_, page);
		}
		if (vpri_prot_scan_due(&p_))
			scan();
		return fault;
	}

	// The kernel reclaims an unpinned page: it is unmapped.
	bool reclaim(std::uint32_t page)
	{
		if (!mapped_[page] || pinned_[page])
			return false;
		mapped_[page] = false;
		return true;
	}

	std::vector<std::uint32_t> marked;

private:
	void scan()
	{
		std::uint32_t n = static_cast<std::uint32_t>(mapped_.size());

		marked.clear();
		vpri_prot_scan_begin(&p_);
		for (std::uint32_t i = 0; i < n; i++) {
			if (!mapped_[i])
				continue;
			vpri_prot_observe(&p_, i, accessed_[i], pinned_[i]);
			accessed_[i] = false;
		}
		vpri_prot_plan(&p_);
		// Unpin and mark first, then pin, then pin spares, as odp.c
		// does.
		for (std::uint32_t i = 0; i < n; i++) {
			if (!mapped_[i])
				continue;
			unsigned int f = vpri_prot_act(&p_, i, pinned_[i]);

			if (f & VPRI_PROT_UNPIN) {
				pinned_[i] = false;
				vpri_prot_unpinned(&p_, true);
			}
			if (f & VPRI_PROT_MARK) {
				marked.push_back(i);
				vpri_prot_marked(&p_);
			}
		}
		for (unsigned int flag : { VPRI_PROT_PIN, VPRI_PROT_PIN_SPARE }) {
			for (std::uint32_t i = 0; i < n; i++) {
				if (!mapped_[i] || pinned_[i])
					continue;
				if ((vpri_prot_act(&p_, i, false) & flag) &&
				    vpri_prot_room(&p_)) {
					pinned_[i] = true;
					vpri_prot_pinned(&p_);
				}
			}
		}
	}

	vpri_prot p_{};
	int init_ = -1;
	std::vector<bool> mapped_, pinned_, accessed_;
};

TEST(VpriProtect, NamesAndBudgets)
{
	EXPECT_EQ(VPRI_PROT_RECLAIM, vpri_prot_parse("reclaim"));
	EXPECT_EQ(VPRI_PROT_ADP, vpri_prot_parse("adp"));
	EXPECT_EQ(VPRI_PROT_HINT, vpri_prot_parse("hint"));
	EXPECT_EQ(-EINVAL, vpri_prot_parse("lru"));
	EXPECT_STREQ("unknown", vpri_prot_name(VPRI_NR_PROTS));

	Domain none(VPRI_PROT_RECLAIM, 64, 1000);
	ASSERT_EQ(0, none.init_result());
	EXPECT_EQ(0u, none.prot().budget);	// no budget without pins
	Domain low(VPRI_PROT_ADP, 64, 1);
	EXPECT_EQ(-EINVAL, low.init_result());
	Domain high(VPRI_PROT_ADP, 64, 65);
	EXPECT_EQ(-EINVAL, high.init_result());
	Domain edge(VPRI_PROT_ADP, 64, 64);
	EXPECT_EQ(0, edge.init_result());
	Domain empty(VPRI_PROT_HINT, 0, 0);
	EXPECT_EQ(-EINVAL, empty.init_result());
}

// The window: a quarter of the pages, at least VPRI_PROT_WINDOW_MIN.
TEST(VpriProtect, WindowSize)
{
	Domain small(VPRI_PROT_HINT, 64, 0);
	Domain large(VPRI_PROT_HINT, 1u << 16, 0);

	EXPECT_EQ(static_cast<std::uint64_t>(VPRI_PROT_WINDOW_MIN),
		  small.prot().window);
	EXPECT_EQ((1u << 16) / VPRI_PROT_WINDOW_DIV, large.prot().window);
}

// reclaim: the kernel decides alone: no scan, no pin, no mark.
TEST(VpriProtect, ReclaimDoesNothing)
{
	Domain d(VPRI_PROT_RECLAIM, 64, 0);
	std::uint32_t i;

	ASSERT_EQ(0, d.init_result());
	for (i = 0; i < 20000; i++)
		d.access(i % 64);
	EXPECT_EQ(0u, d.prot().st.scans);
	EXPECT_EQ(0u, d.prot().st.pins);
	EXPECT_EQ(0u, d.prot().st.marks);
	EXPECT_EQ(64u, d.prot().st.faults);
	EXPECT_EQ(20000u, d.prot().st.accesses);
	EXPECT_TRUE(d.reclaim(3));
	EXPECT_TRUE(d.access(3));
}

// hint: each scan marks exactly the pages accessed since the last one.
TEST(VpriProtect, HintMarksWhatTheDeviceUsed)
{
	Domain d(VPRI_PROT_HINT, 64, 0);
	std::uint32_t i;

	ASSERT_EQ(0, d.init_result());
	// Map all 64, then use only pages 0..7 for several windows.
	for (i = 0; i < 64; i++)
		d.access(i);
	for (i = 0; i < 3 * VPRI_PROT_WINDOW_MIN; i++)
		d.access(i % 8);
	EXPECT_LE(2u, d.prot().st.scans);
	EXPECT_EQ(0u, d.prot().st.pins);
	EXPECT_EQ(0u, d.nr_pinned());
	std::set<std::uint32_t> m(d.marked.begin(), d.marked.end());
	EXPECT_EQ((std::set<std::uint32_t>{ 0, 1, 2, 3, 4, 5, 6, 7 }), m);
}

// adp pins the active set within its budget, keeps it through reclaim,
// and lets an idle set go, down to its floor (a quarter of the budget).
TEST(VpriProtect, AdpPinsTheActiveSet)
{
	const std::uint32_t pages = 256, budget = 32;
	Domain d(VPRI_PROT_ADP, pages, budget);
	std::uint32_t i, faults = 0;

	ASSERT_EQ(0, d.init_result());
	// A hot set of 16 pages plus a slow sweep of the rest (a few
	// pages per window: the active set fits the budget).
	for (i = 0; i < 8 * VPRI_PROT_WINDOW_MIN; i++)
		d.access(i % 2 ? i / 2 % 16 : 16 + i / 512 % (pages - 16));
	for (i = 0; i < 16; i++)
		EXPECT_TRUE(d.pinned(i)) << "hot page " << i;
	EXPECT_LE(d.nr_pinned(), budget);
	EXPECT_LE(d.prot().st.peak_pinned, budget);
	// Reclaim takes every unpinned page: the hot set does not fault.
	for (i = 0; i < pages; i++)
		d.reclaim(i);
	for (i = 0; i < 16; i++)
		faults += d.access(i);
	EXPECT_EQ(0u, faults);
	// The device goes quiet on the hot set and works elsewhere.
	for (i = 0; i < 80 * VPRI_PROT_WINDOW_MIN; i++)
		d.access(200 + i % 4);
	for (i = 200; i < 204; i++)
		EXPECT_TRUE(d.pinned(i)) << "new hot page " << i;
	EXPECT_LE(d.nr_pinned(), budget);
	EXPECT_LE(budget / 4, d.nr_pinned() + 0u);
}

// When the device uses far more pages in a window than the budget, adp
// still pins the ones it uses most: a hot set used in every window ranks
// before pages used every other window. (Ranking by age alone pinned
// nothing here: every page was used in the last window or the one before.)
TEST(VpriProtect, AdpRanksAnActiveSetLargerThanItsBudget)
{
	const std::uint32_t pages = 8192, budget = 64, hot = 48;
	Domain d(VPRI_PROT_ADP, pages, budget);
	std::uint32_t i, faults = 0;

	ASSERT_EQ(0, d.init_result());
	// Every other access goes to the hot set; the others sweep 4096
	// cold pages, each once every two windows.
	for (i = 0; i < 16 * VPRI_PROT_WINDOW_MIN; i++)
		d.access(i % 2 ? i / 2 % hot : hot + i / 2 % 4096);
	ASSERT_EQ(VPRI_PROT_WINDOW_MIN, d.prot().window);
	for (i = 0; i < hot; i++)
		EXPECT_TRUE(d.pinned(i)) << "hot page " << i;
	// The room the hot set leaves goes to cold pages (spares: they tie).
	EXPECT_EQ(budget, d.nr_pinned());
	EXPECT_LE(d.prot().st.peak_pinned, budget);
	for (i = 0; i < pages; i++)
		d.reclaim(i);
	for (i = 0; i < hot; i++)
		faults += d.access(i);
	EXPECT_EQ(0u, faults);
}

// adp-hint pins as adp does and reports to the LRU the pages the device
// used in the last window that it did not pin, and only those.
TEST(VpriProtect, AdpHintMarksWhatItDoesNotPin)
{
	const std::uint32_t pages = 8192, budget = 64, hot = 48;
	Domain d(VPRI_PROT_ADP_HINT, pages, budget);
	Domain adp(VPRI_PROT_ADP, pages, budget);
	std::uint32_t i;

	ASSERT_EQ(0, d.init_result());
	ASSERT_EQ(VPRI_PROT_ADP_HINT, vpri_prot_parse("adp-hint"));
	EXPECT_TRUE(d.prot().ops->needs_budget);
	for (i = 0; i < 16 * VPRI_PROT_WINDOW_MIN; i++) {
		std::uint32_t page = i % 2 ? i / 2 % hot : hot + i / 2 % 4096;

		d.access(page);
		adp.access(page);
	}
	for (i = 0; i < pages; i++)
		EXPECT_EQ(adp.pinned(i), d.pinned(i)) << "page " << i;
	for (i = 0; i < hot; i++)
		EXPECT_TRUE(d.pinned(i)) << "hot page " << i;
	// The last scan marked the pages the last window used that were not
	// pinned (the spares it then pinned with the room left among them):
	// the 2048 cold pages of the sweep, never the pinned hot set.
	ASSERT_FALSE(d.marked.empty());
	EXPECT_EQ(0u, adp.prot().st.marks);
	std::uint32_t cold_marked = 0;
	for (std::uint32_t m : d.marked)
		cold_marked += m >= hot;
	EXPECT_EQ(d.marked.size(), cold_marked);
	EXPECT_LE(2048u - budget, cold_marked);
}

// A page adp pinned that the kernel unmaps anyway (munmap) is forgotten.
TEST(VpriProtect, AdpUnpinnedByTheKernel)
{
	Domain d(VPRI_PROT_ADP, 64, 8);

	ASSERT_EQ(0, d.init_result());
	for (std::uint32_t i = 0; i < 2 * VPRI_PROT_WINDOW_MIN; i++)
		d.access(i % 4);
	ASSERT_LT(0u, d.nr_pinned());
	std::uint32_t before = d.nr_pinned();
	std::uint64_t unpins = d.prot().st.unpins;
	vpri_prot_unpinned(const_cast<vpri_prot *>(&d.prot()), false);
	EXPECT_EQ(before - 1, d.nr_pinned());
	EXPECT_EQ(unpins, d.prot().st.unpins);
}

} // namespace
