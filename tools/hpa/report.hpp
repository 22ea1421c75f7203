// SPDX-License-Identifier: GPL-2.0
// The logic of `hpmmctl hpa` that needs no kernel: control commands built and
// checked before they are written, and the tables that put HPA and the
// kernel's page_pool side by side (Documentation/hpa.rst).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpmm/keyvalue.hpp"

namespace hpmm::hpa {

// The kernel's rules for a pool name: 1..31 of [A-Za-z0-9_-].
bool valid_name(std::string_view name);

// "create NAME KIND KEY=VALUE...". Throws std::invalid_argument with a
// message for a bad name, a kind other than hpa or pp, or a parameter that
// is not one KEY=VALUE word; the kernel checks keys and ranges.
std::string create_command(std::string_view name, std::string_view kind,
			   std::span<const std::string> params);

// "run NAME STEPS KEY=VALUE...", checked as create_command() checks.
std::string run_command(std::string_view name, std::uint64_t steps,
			std::span<const std::string> params);

// The benchmark paths in kernel order (bit i of "paths=" is path i).
inline constexpr std::string_view bench_paths[] = {"cache", "ring", "backup",
						   "inject"};

// "cache,ring" -> 0b11. nullopt for an unknown or repeated path or an empty
// list.
std::optional<std::uint64_t> paths_mask(std::string_view list);

// "12.34" (the bench file's fixed-point ns) -> 12.34; nullopt otherwise.
std::optional<double> parse_ns(std::string_view text);

// hpa / pp as "0.57x"; "-" when pp is 0.
std::string ratio_text(double hpa, double pp);

struct BenchRow {
	std::string path;
	std::string hpa_ns;
	std::string pp_ns;
	std::string ratio;
	std::string hpa_min_ns;
	std::string pp_min_ns;
};

// One row per path present in hpa/bench, in path order.
std::vector<BenchRow> bench_rows(const KeyValues &bench);

struct CompareRow {
	std::string metric;
	std::string hpa;
	std::string pp;
};

// The same receive model on both pools: pools/<hpa>/stats and
// pools/<pp>/stats side by side. A value a pool does not have is "-".
std::vector<CompareRow> compare_rows(const KeyValues &hpa, const KeyValues &pp);

} // namespace hpmm::hpa
