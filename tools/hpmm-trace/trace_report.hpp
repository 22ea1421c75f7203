// SPDX-License-Identifier: GPL-2.0
// What each hpmm-trace subcommand counts, and how it prints: the
// aggregation of ring-buffer records into counters and log2 histograms, and
// its text and JSON output. No BPF here, so all of it runs in host tests.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "trace_hist.hpp"
#include "hpmm_trace_events.h"

namespace hpmm::trace {

using RecordFn = std::uint64_t (*)(const hpmm_trace_rec &);
using MatchFn = bool (*)(const hpmm_trace_rec &);

// A number a subcommand reports: how many records of event matched (or the
// sum of amount() over them).
struct Counter {
	std::string_view name; // JSON key and column header, [a-z_]
	hpmm_trace_event_id event;
	RecordFn amount = nullptr; // nullptr: each record adds 1
	MatchFn match = nullptr;   // nullptr: every record of event
	bool column = true;        // a column of the per-interval text line
};

// A distribution a subcommand reports over the whole run.
struct HistSpec {
	std::string_view name; // e.g. "latency_ns"
	hpmm_trace_event_id event;
	RecordFn value;
};

struct Profile {
	std::string_view command;
	std::string_view summary; // one line for the usage text
	std::vector<Counter> counters;
	std::vector<HistSpec> hists;

	// The events its counters and histograms read, each once, in
	// enum order: the BPF programs to load.
	std::vector<hpmm_trace_event_id> events() const;
};

// The subcommands that trace (not "check"), in usage order.
std::span<const Profile> profiles();
const Profile *find_profile(std::string_view command);

// The name of an event, e.g. "hpmm_dma"; "?" when out of range.
std::string_view event_name(std::uint32_t id);

class Aggregator {
public:
	explicit Aggregator(const Profile &profile);

	// Counts one record; records of other events are ignored.
	void add(const hpmm_trace_rec &rec);
	// The counts since the previous call (or the start), one per counter.
	std::vector<std::uint64_t> take_interval();

	const std::vector<std::uint64_t> &totals() const { return totals_; }
	const std::vector<Log2Hist> &hists() const { return hists_; }
	// Records seen of the profile's events.
	std::uint64_t records() const { return records_; }

private:
	const Profile &profile_;
	std::vector<std::uint64_t> interval_;
	std::vector<std::uint64_t> totals_;
	std::vector<Log2Hist> hists_;
	std::uint64_t records_ = 0;
};

// Text mode: the column header printed once before the interval lines.
void print_header(std::ostream &out, const Profile &profile);
// One interval: elapsed_s since the start, over interval_s seconds. Text: a
// line of per-second rates of the column counters; JSON: one line
// {"type":"interval","time_s":..,"interval_s":..,"counts":{...}}.
void print_interval(std::ostream &out, const Profile &profile,
		    double elapsed_s, double interval_s,
		    std::span<const std::uint64_t> counts, bool json);
// The whole run: every counter (total and per second), records and
// dropped records, and each histogram. JSON: one line
// {"type":"summary",...}, documented in Documentation/tracing.rst.
void print_summary(std::ostream &out, const Profile &profile,
		   const Aggregator &agg, double duration_s,
		   std::uint64_t dropped, bool json);

} // namespace hpmm::trace
