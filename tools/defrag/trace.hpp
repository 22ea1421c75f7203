// SPDX-License-Identifier: GPL-2.0
// DEFRAG allocation traces: the text format (Documentation/defrag.rst) and
// a generator of mixed lifetimes and mobility.
//
//   # comment
//   a HANDLE GROUP ORDER MOBILITY [SITE]  allocate 2^ORDER pages as HANDLE
//   f HANDLE GROUP ORDER MOBILITY [SITE]  free HANDLE (fields as allocated)
//
// HANDLE < 2^22, GROUP < 16, ORDER 0..9, MOBILITY u, m or r (unmovable,
// movable, reclaimable), SITE 0..255 the allocation site (0 or absent:
// unknown). A handle is allocated again only after its free.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::defrag {

enum class Mobility : std::uint8_t { unmovable = 0, movable = 1, reclaimable = 2 };

inline constexpr std::uint32_t max_handle = (1u << 22) - 1;
inline constexpr unsigned max_groups = 16;
inline constexpr unsigned max_order = 9;
inline constexpr unsigned max_site = 255;

struct Event {
	bool alloc = true;
	std::uint32_t handle = 0;
	std::uint8_t group = 0;
	std::uint8_t order = 0;
	Mobility mobility = Mobility::movable;
	// The allocation site (a call site or cache; 0: unknown).
	std::uint8_t site = 0;

	bool operator==(const Event &) const = default;
};

char mobility_char(Mobility m);
std::optional<Mobility> parse_mobility(std::string_view s);

// One line, without a newline: "a 12 0 3 u" ("a 12 0 3 u 7" with a site).
std::string format_event(const Event &ev);
// One line: nullopt for a comment or blank line; throws
// hpmm::Error(operation) naming line_no for a malformed line.
std::optional<Event> parse_event(std::string_view line, std::size_t line_no);

struct Trace {
	std::vector<Event> events;
	std::vector<std::string> comments;
};

// Reads a whole trace; throws hpmm::Error on a malformed line or when a
// handle is allocated twice or freed while not allocated, or a free does
// not repeat its allocation's group, order and mobility.
Trace read_trace(std::istream &in);
void write_trace(std::ostream &out, const Trace &trace);

// What a trace holds at its end and on its way.
struct TraceStats {
	std::size_t allocs = 0;
	std::size_t frees = 0;
	std::uint64_t peak_live_pages = 0;
	std::uint64_t end_live_pages[3] = {}; // by mobility
	std::uint32_t max_handle = 0;
	unsigned groups = 0;
};
TraceStats trace_stats(const Trace &trace);

struct GenParams {
	std::uint64_t seed = 1;
	std::size_t events = 200000;
	unsigned groups = 1;
	// Pages live at steady state (all groups together).
	std::uint64_t live_pages = 32768;
	// Shares of allocated pages by mobility; the rest is movable.
	double unmovable = 0.15;
	double reclaimable = 0.05;
	// Share of allocations that are short-lived, and the mean lifetimes
	// (in events) of short- and long-lived ones.
	double short_share = 0.7;
	double short_mean = 2000;
	double long_mean = 200000;
	// Share of movable allocations that are 2 MiB (order 9).
	double huge_share = 0.0005;
	// At the end, the workload winds down: this share of the live
	// movable pages is freed, those that die first first. Immobile
	// pages stay, as kernel memory does when a job ends.
	double end_free = 0.5;
};

// Each allocation gets a lifetime (short or long, exponential). Every
// event frees what has died by then, else allocates while fewer than
// live_pages are live, else frees what dies first: params.events events.
// Then the end_free share of live movable pages is freed. Deterministic
// for a seed.
Trace generate(const GenParams &params);

} // namespace hpmm::defrag
