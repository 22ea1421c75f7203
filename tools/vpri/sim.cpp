// SPDX-License-Identifier: GPL-2.0
// The VPRI simulator (see sim.hpp). simulate_kernel() mirrors, call for
// call, kernel/vpri/fault.c for one submitting thread:
//
//   vpri_request():     for each page: busy++, vpri_access()
//   vpri_access():      present ? vpri_pin_set_hit() : fault
//   vpri_fault_handle(): vpri_pin_set_fault_begin(claim) -> unpin victims;
//                        pin; set accessed + present; vpri_pin_set_fault_commit()
//   (device access)
//   vpri_access_done(): busy--, vpri_pin_set_release(claim)
//   vpri_tick():        vpri_pin_set_tick() -> vpri_pin_set_trim(claim)
//
// and vpri_claim(): clear present; refuse (set it again) if busy.
// "opt" is Belady's MIN on the page stream, a bound no policy can beat.
#include "hpmm/vpri/sim.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <set>
#include <unordered_map>

#include "hpmm/error.hpp"

namespace hpmm::vpri {

namespace {

struct Machine {
	vpri_bitmap bm{};
	vpri_pin_set ps{};
	std::vector<std::uint32_t> busy;

	Machine(std::uint32_t pages, int policy, std::uint32_t budget)
		: busy(pages, 0)
	{
		if (vpri_bitmap_init(&bm, pages))
			throw Error(ErrorKind::operation, "vpri sim: out of memory");
		int ret = vpri_pin_set_init(&ps, &bm, static_cast<vpri_policy_id>(policy),
					 pages, budget);
		if (ret) {
			vpri_bitmap_fini(&bm);
			throw Error(ErrorKind::usage,
				    "vpri sim: " + policy_name(policy) +
					    ": bad budget " + std::to_string(budget) +
					    " (2.." + std::to_string(pages) + ")");
		}
	}
	~Machine()
	{
		vpri_pin_set_fini(&ps);
		vpri_bitmap_fini(&bm);
	}
	Machine(const Machine &) = delete;
	Machine &operator=(const Machine &) = delete;

	static bool claim(void *ctx, u32 idx)
	{
		auto *m = static_cast<Machine *>(ctx);
		if (!vpri_bitmap_test_and_clear_present(&m->bm, idx))
			return false;
		if (m->busy[idx]) {
			vpri_bitmap_set_present(&m->bm, idx);
			return false;
		}
		return true;
	}

	// Returns false when the fault could not pin (cannot happen with one
	// thread and a budget of at least 2; counted like the kernel).
	bool fault(std::uint32_t idx)
	{
		u32 victims[VPRI_MAX_VICTIMS];
		unsigned int nv = 0;
		if (vpri_pin_set_fault_begin(&ps, idx, claim, this, victims,
					  VPRI_MAX_VICTIMS, &nv))
			return false;
		vpri_bitmap_mark_accessed(&bm, idx);
		vpri_bitmap_set_present(&bm, idx);
		vpri_pin_set_fault_commit(&ps, idx);
		return true;
	}

	void request(const Access &a)
	{
		std::uint32_t first = a.first_page(), last = a.last_page(), end = first;
		bool ok = true;
		for (std::uint32_t idx = first; idx <= last; idx++) {
			end = idx;
			busy[idx]++;
			if (vpri_bitmap_present(&bm, idx)) {
				vpri_pin_set_hit(&ps, idx);
			} else if (!fault(idx)) {
				ok = false;
				break;
			}
		}
		(void)ok;
		for (std::uint32_t idx = first; idx <= end; idx++) {
			busy[idx]--;
			if (ps.ops->unpin_after_dma)
				vpri_pin_set_release(&ps, idx, claim, this);
		}
		if (ps.ops->tick && vpri_pin_set_tick(&ps)) {
			u32 victims[VPRI_MAX_VICTIMS];
			vpri_pin_set_trim(&ps, claim, this, victims, VPRI_MAX_VICTIMS);
		}
	}
};

std::uint64_t default_window(const Trace &trace)
{
	return std::max<std::uint64_t>(1, trace.page_accesses() / 100);
}

void note_fault(SimResult &r, std::uint64_t access_no)
{
	std::size_t bin = access_no / r.window;
	if (r.faults_per_window.size() <= bin)
		r.faults_per_window.resize(bin + 1, 0);
	r.faults_per_window[bin]++;
}

SimResult simulate_kernel(const Trace &trace, int policy, std::uint32_t budget,
			  std::uint64_t window)
{
	auto m = std::make_unique<Machine>(trace.pages, policy, budget);
	SimResult r;
	r.policy = policy;
	r.pages = trace.pages;
	r.budget = m->ps.budget;
	r.window = window;
	std::uint64_t prev_faults = 0;
	for (const Access &a : trace.accesses) {
		if (a.last_page() >= trace.pages)
			throw Error(ErrorKind::operation, "vpri sim: access beyond the range");
		std::uint64_t before = m->ps.st.accesses;
		m->request(a);
		r.requests++;
		for (std::uint64_t f = prev_faults; f < m->ps.st.faults; f++)
			note_fault(r, before);
		prev_faults = m->ps.st.faults;
	}
	r.accesses = m->ps.st.accesses;
	r.hits = m->ps.st.hits;
	r.faults = m->ps.st.faults;
	r.evictions = m->ps.st.evictions;
	r.releases = m->ps.st.releases;
	r.peak_pinned = m->ps.st.peak_pinned;
	r.final_pinned = m->ps.nr_pinned;
	r.final_target = m->ps.target;
	return r;
}

// Belady's MIN over the page stream: on a miss with the cache full, drop
// the page whose next use is farthest away.
SimResult simulate_opt(const Trace &trace, std::uint32_t budget,
		       std::uint64_t window)
{
	if (budget < 2 || budget > trace.pages)
		throw Error(ErrorKind::usage, "vpri sim: opt: bad budget " +
						      std::to_string(budget));
	std::vector<std::uint32_t> stream;
	stream.reserve(trace.page_accesses());
	for (const Access &a : trace.accesses)
		for (std::uint32_t p = a.first_page(); p <= a.last_page(); p++)
			stream.push_back(p);
	constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
	std::vector<std::uint64_t> next(stream.size());
	std::vector<std::uint64_t> seen(trace.pages, never);
	for (std::size_t i = stream.size(); i-- > 0;) {
		next[i] = seen[stream[i]];
		seen[stream[i]] = i;
	}
	SimResult r;
	r.policy = policy_opt;
	r.pages = trace.pages;
	r.budget = budget;
	r.window = window;
	r.requests = trace.accesses.size();
	std::set<std::pair<std::uint64_t, std::uint32_t>> cached; // (next use, page)
	std::vector<std::uint64_t> key(trace.pages, 0);
	std::vector<bool> in(trace.pages, false);
	for (std::size_t i = 0; i < stream.size(); i++) {
		std::uint32_t p = stream[i];
		r.accesses++;
		if (in[p]) {
			r.hits++;
			cached.erase({key[p], p});
		} else {
			r.faults++;
			note_fault(r, i);
			if (cached.size() >= budget) {
				auto victim = std::prev(cached.end());
				in[victim->second] = false;
				cached.erase(victim);
				r.evictions++;
			}
			in[p] = true;
		}
		key[p] = next[i];
		cached.insert({key[p], p});
		r.peak_pinned = std::max<std::uint32_t>(r.peak_pinned,
							static_cast<std::uint32_t>(cached.size()));
	}
	r.final_pinned = static_cast<std::uint32_t>(cached.size());
	r.final_target = budget;
	return r;
}

} // namespace

SimResult simulate(const Trace &trace, int policy, std::uint32_t budget,
		   std::uint64_t window)
{
	if (!window)
		window = default_window(trace);
	if (policy == policy_opt)
		return simulate_opt(trace, budget, window);
	if (policy < 0 || policy >= VPRI_NR_POLICIES)
		throw Error(ErrorKind::usage, "vpri sim: unknown policy");
	return simulate_kernel(trace, policy, budget, window);
}

} // namespace hpmm::vpri
