// SPDX-License-Identifier: GPL-2.0
// The kernel's VPRI pure logic (kernel/vpri: PA-BITMAP, pin sets and their
// policies, histograms), compiled as C from the very same files, for C++.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#include "pa_bitmap.h"
#include "hist.h"
#include "pin_set.h"
#pragma GCC diagnostic pop

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::vpri {

// The policies in uapi order, and "opt" (Belady's offline optimum), which
// only the simulator knows.
inline constexpr int policy_opt = VPRI_NR_POLICIES;

// "lru" -> VPRI_POLICY_LRU; "opt" -> policy_opt; nullopt if unknown.
std::optional<int> parse_policy(std::string_view name);
std::string policy_name(int policy);
// "none,lru" or "all" (every kernel policy) or "all+opt".
std::vector<int> parse_policy_list(std::string_view list);
// "a,b,c" -> { "a", "b", "c" }; an empty list gives none.
std::vector<std::string_view> split_list(std::string_view list);

} // namespace hpmm::vpri
