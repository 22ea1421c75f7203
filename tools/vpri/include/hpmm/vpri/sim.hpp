// SPDX-License-Identifier: GPL-2.0
// The VPRI simulator: replays a trace through the kernel's own pin-set code
// (kernel/vpri/pin_set.c and policy/, built as C) with the same sequence of
// calls as the module's front end and fault path for one submitting thread,
// so it counts exactly the faults the module counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hpmm/vpri/core.hpp"
#include "hpmm/vpri/trace.hpp"

namespace hpmm::vpri {

struct SimResult {
	int policy = 0;
	std::uint32_t pages = 0;
	std::uint32_t budget = 0;
	std::uint64_t requests = 0;
	std::uint64_t accesses = 0; // page accesses
	std::uint64_t hits = 0;
	std::uint64_t faults = 0;
	std::uint64_t evictions = 0;
	std::uint64_t releases = 0;
	std::uint32_t peak_pinned = 0;
	std::uint32_t final_pinned = 0;
	std::uint32_t final_target = 0;
	// Faults in each window of `window` page accesses (the logical-time
	// counterpart of the module's faults per second).
	std::uint64_t window = 0;
	std::vector<std::uint64_t> faults_per_window;
};

// Budget: pages for lru/clock/adp/arc/opt (2..trace.pages), ignored by
// none/all. window: page accesses per timeline bin (0: about 100 bins).
// Throws hpmm::Error for a bad policy or budget.
SimResult simulate(const Trace &trace, int policy, std::uint32_t budget,
		   std::uint64_t window = 0);

} // namespace hpmm::vpri
