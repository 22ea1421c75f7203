// SPDX-License-Identifier: GPL-2.0
// The logic of `hpmmctl hpa` that needs no kernel: where a pool's files are,
// one view of a pool from hpmm's and hpmm_test's files, control commands
// built and checked before they are written, and the tables that put HPA
// and the kernel's page_pool side by side (Documentation/hpa.rst).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpmm/keyvalue.hpp"

namespace hpmm::hpa {

// Paths relative to hpmm's debugfs directory. hpmm.ko shows every
// registered pool's own counters (whoever made it: hpmm_test, a driver);
// hpmm_test.ko, beside it, takes the commands and shows the models it runs.
inline constexpr std::string_view core_dir = "hpa";
inline constexpr std::string_view test_dir = "../hpmm_test/hpa";
inline constexpr std::string_view control = "../hpmm_test/hpa/control";
std::string core_pool_dir(std::string_view name);
std::string test_pool_dir(std::string_view name);

// Every pool either lists, sorted, once each.
std::vector<std::string> merge_names(std::vector<std::string> core,
				     const std::vector<std::string> &test);

// One pool: hpmm's counters (core), then the keys of hpmm_test's file
// (test) that hpmm's does not have. A pool hpmm_test does not drive (a
// driver's) is of kind "hpa". Either may be null; both null is empty.
KeyValues merge_pool(const KeyValues *core, const KeyValues *test);

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

// The same receive model on both pools, each as merge_pool() gives it,
// side by side. A value a pool does not have is "-".
std::vector<CompareRow> compare_rows(const KeyValues &hpa, const KeyValues &pp);

} // namespace hpmm::hpa
