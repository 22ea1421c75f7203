// SPDX-License-Identifier: GPL-2.0
#include "trace_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "hpmm/json.hpp"

namespace hpmm::trace {

namespace {

#define HPMM_TRACE_NAME(event, fields) #event,
constexpr std::string_view event_names[] = {
	HPMM_TRACE_EVENTS(HPMM_TRACE_NAME, HPMM_TRACE_CTX_FIELD)
};

// enum hpmm_trace_hpa_source and enum hpa_mode (kernel/trace.h).
enum : std::uint32_t {
	hpa_ring, hpa_backup, hpa_scan, hpa_inject, hpa_fallback, hpa_fail,
};
enum : std::uint32_t { hpa_mode_normal, hpa_mode_inject };
// enum hpmm_dev_backend and enum dma_data_direction.
enum : std::uint32_t { backend_edu, backend_cpu };
enum : std::uint32_t { dma_to_device = 1, dma_from_device = 2 };

const std::vector<Profile> all_profiles = {
	{
		"faults",
		"VPRI I/O page faults per second, their latency, pins and evictions",
		{
			{"faults", HPMM_TRACE_ID_vpri_fault},
			{"resolved", HPMM_TRACE_ID_vpri_fault_done},
			{"swapins", HPMM_TRACE_ID_vpri_fault_done, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.vpri_fault_done.swapin != 0;
			 }},
			{"pins", HPMM_TRACE_ID_vpri_pin},
			{"unpins", HPMM_TRACE_ID_vpri_unpin},
			{"evictions", HPMM_TRACE_ID_vpri_evict},
		},
		{
			{"latency_ns", HPMM_TRACE_ID_vpri_fault_done,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.vpri_fault_done.latency_ns;
			 }},
		},
	},
	{
		"hpa",
		"HPA slow allocations, backup refills and inject-mode switches per second",
		{
			{"slow", HPMM_TRACE_ID_hpa_alloc_slow},
#define HPA_SOURCE(label, value)					\
	{label, HPMM_TRACE_ID_hpa_alloc_slow, nullptr,			\
	 [](const hpmm_trace_rec &r) {					\
		 return r.data.hpa_alloc_slow.source == (value);	\
	 }, false}
			HPA_SOURCE("slow_ring", hpa_ring),
			HPA_SOURCE("slow_backup", hpa_backup),
			HPA_SOURCE("slow_scan", hpa_scan),
			HPA_SOURCE("slow_inject", hpa_inject),
			HPA_SOURCE("slow_fallback", hpa_fallback),
			HPA_SOURCE("slow_fail", hpa_fail),
#undef HPA_SOURCE
			{"refills", HPMM_TRACE_ID_hpa_backup_refill},
			{"refill_pages", HPMM_TRACE_ID_hpa_backup_refill,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.hpa_backup_refill.pages;
			 }},
			{"to_inject", HPMM_TRACE_ID_hpa_mode_switch, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpa_mode_switch.to == hpa_mode_inject;
			 }},
			{"to_normal", HPMM_TRACE_ID_hpa_mode_switch, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpa_mode_switch.to == hpa_mode_normal;
			 }},
			{"maps", HPMM_TRACE_ID_hpa_block_map},
			{"unmaps", HPMM_TRACE_ID_hpa_block_unmap},
			{"reclaimed", HPMM_TRACE_ID_hpa_page_reclaimed},
		},
		{},
	},
	{
		"defrag",
		"DEFRAG block claims and releases, compaction runs and page moves",
		{
			{"claims", HPMM_TRACE_ID_dfg_block_claim},
			{"releases", HPMM_TRACE_ID_dfg_block_release},
			{"retypes", HPMM_TRACE_ID_dfg_block_type},
			{"compactions", HPMM_TRACE_ID_dfg_compact_start},
			{"compacted", HPMM_TRACE_ID_dfg_compact_end, nullptr,
			 nullptr, false},
			{"moves", HPMM_TRACE_ID_dfg_page_move},
			{"moved", HPMM_TRACE_ID_dfg_compact_end,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.dfg_compact_end.moved;
			 }, nullptr, false},
			{"recovered", HPMM_TRACE_ID_dfg_compact_end,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.dfg_compact_end.recovered;
			 }},
		},
		{
			{"compact_ns", HPMM_TRACE_ID_dfg_compact_end,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.dfg_compact_end.ns;
			 }},
		},
	},
	{
		"magnet",
		"MAGNET reservations made, used and given back per second",
		{
			{"reserves", HPMM_TRACE_ID_magnet_reserve},
			{"uses", HPMM_TRACE_ID_magnet_use},
			{"releases", HPMM_TRACE_ID_magnet_release},
			{"released_pages", HPMM_TRACE_ID_magnet_release,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.magnet_release.pages;
			 }},
		},
		{},
	},
	{
		"dma",
		"device accesses (hpmm_dma) per second by backend, and their duration",
		{
			{"ops", HPMM_TRACE_ID_hpmm_dma},
			{"edu_ops", HPMM_TRACE_ID_hpmm_dma, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpmm_dma.backend == backend_edu;
			 }},
			{"cpu_ops", HPMM_TRACE_ID_hpmm_dma, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpmm_dma.backend == backend_cpu;
			 }},
			{"bytes", HPMM_TRACE_ID_hpmm_dma,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.hpmm_dma.len;
			 }},
			{"to_device", HPMM_TRACE_ID_hpmm_dma, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpmm_dma.dir == dma_to_device;
			 }, false},
			{"from_device", HPMM_TRACE_ID_hpmm_dma, nullptr,
			 [](const hpmm_trace_rec &r) {
				 return r.data.hpmm_dma.dir == dma_from_device;
			 }, false},
		},
		{
			{"latency_ns", HPMM_TRACE_ID_hpmm_dma,
			 [](const hpmm_trace_rec &r) -> std::uint64_t {
				 return r.data.hpmm_dma.ns;
			 }},
		},
	},
};

double rate(std::uint64_t n, double seconds)
{
	return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

// Seconds rounded to the millisecond, for JSON.
double ms_round(double seconds)
{
	return std::round(seconds * 1000.0) / 1000.0;
}

int column_width(std::string_view name)
{
	return std::max<int>(10, static_cast<int>(name.size()) + 3);
}

} // namespace

std::vector<hpmm_trace_event_id> Profile::events() const
{
	std::vector<hpmm_trace_event_id> ids;
	for (const auto &c : counters)
		ids.push_back(c.event);
	for (const auto &h : hists)
		ids.push_back(h.event);
	std::sort(ids.begin(), ids.end());
	ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
	return ids;
}

std::span<const Profile> profiles()
{
	return all_profiles;
}

const Profile *find_profile(std::string_view command)
{
	for (const auto &p : all_profiles)
		if (p.command == command)
			return &p;
	return nullptr;
}

std::string_view event_name(std::uint32_t id)
{
	return id < HPMM_TRACE_NR_EVENTS ? event_names[id] : "?";
}

Aggregator::Aggregator(const Profile &profile)
	: profile_(profile), interval_(profile.counters.size()),
	  totals_(profile.counters.size()), hists_(profile.hists.size())
{
}

void Aggregator::add(const hpmm_trace_rec &rec)
{
	bool seen = false;

	for (std::size_t i = 0; i < profile_.counters.size(); i++) {
		const auto &c = profile_.counters[i];
		if (rec.event != c.event)
			continue;
		seen = true;
		if (c.match && !c.match(rec))
			continue;
		std::uint64_t n = c.amount ? c.amount(rec) : 1;
		interval_[i] += n;
		totals_[i] += n;
	}
	for (std::size_t i = 0; i < profile_.hists.size(); i++) {
		if (rec.event != profile_.hists[i].event)
			continue;
		seen = true;
		hists_[i].add(profile_.hists[i].value(rec));
	}
	if (seen)
		records_++;
}

std::vector<std::uint64_t> Aggregator::take_interval()
{
	auto out = interval_;
	std::fill(interval_.begin(), interval_.end(), 0);
	return out;
}

void print_header(std::ostream &out, const Profile &profile)
{
	char buf[64];

	std::snprintf(buf, sizeof(buf), "%9s", "TIME(s)");
	out << buf;
	for (const auto &c : profile.counters) {
		if (!c.column)
			continue;
		std::string h = std::string(c.name) + "/s";
		std::snprintf(buf, sizeof(buf), " %*s", column_width(c.name),
			      h.c_str());
		out << buf;
	}
	out << '\n';
}

void print_interval(std::ostream &out, const Profile &profile,
		    double elapsed_s, double interval_s,
		    std::span<const std::uint64_t> counts, bool json)
{
	if (json) {
		Json counters = Json::object();
		for (std::size_t i = 0; i < profile.counters.size(); i++)
			counters[std::string(profile.counters[i].name)] = counts[i];
		print_json(out,
			   {{"type", "interval"},
			    {"time_s", json_number(ms_round(elapsed_s))},
			    {"interval_s", json_number(ms_round(interval_s))},
			    {"counts", std::move(counters)}},
			   false);
		return;
	}

	char buf[64];
	std::snprintf(buf, sizeof(buf), "%9.2f", elapsed_s);
	out << buf;
	for (std::size_t i = 0; i < profile.counters.size(); i++) {
		const auto &c = profile.counters[i];
		if (!c.column)
			continue;
		std::snprintf(buf, sizeof(buf), " %*.1f", column_width(c.name),
			      rate(counts[i], interval_s));
		out << buf;
	}
	out << '\n';
}

void print_summary(std::ostream &out, const Profile &profile,
		   const Aggregator &agg, double duration_s,
		   std::uint64_t dropped, bool json)
{
	const auto &totals = agg.totals();

	if (json) {
		Json counts = Json::object(), rates = Json::object();
		for (std::size_t i = 0; i < totals.size(); i++) {
			std::string name(profile.counters[i].name);
			counts[name] = totals[i];
			rates[name] = json_number(
				std::round(rate(totals[i], duration_s) * 1000.0) /
				1000.0);
		}
		Json hists = Json::object();
		for (std::size_t i = 0; i < profile.hists.size(); i++) {
			const auto &h = agg.hists()[i];
			Json buckets = Json::array();
			for (int b = 0; b < Log2Hist::nr_buckets; b++)
				if (h.bucket(b))
					buckets.push_back(
						{{"low", Log2Hist::bucket_low(b)},
						 {"high", Log2Hist::bucket_high(b)},
						 {"count", h.bucket(b)}});
			hists[std::string(profile.hists[i].name)] = {
				{"event", event_name(profile.hists[i].event)},
				{"count", h.count()},
				{"sum", h.sum()},
				{"min", h.min()},
				{"max", h.max()},
				{"p50_max", h.quantile_bound(0.5)},
				{"p99_max", h.quantile_bound(0.99)},
				{"buckets", std::move(buckets)}};
		}
		print_json(out,
			   {{"type", "summary"},
			    {"command", profile.command},
			    {"duration_s", json_number(ms_round(duration_s))},
			    {"records", agg.records()},
			    {"dropped", dropped},
			    {"counts", std::move(counts)},
			    {"rates", std::move(rates)},
			    {"histograms", std::move(hists)}},
			   false);
		return;
	}

	char buf[160];
	std::snprintf(buf, sizeof(buf),
		      "\nhpmm-trace %s: %.2f s, %llu records, %llu dropped\n",
		      std::string(profile.command).c_str(), duration_s,
		      static_cast<unsigned long long>(agg.records()),
		      static_cast<unsigned long long>(dropped));
	out << buf;
	for (std::size_t i = 0; i < totals.size(); i++) {
		std::snprintf(buf, sizeof(buf), "  %-16s %12llu  %12.1f/s\n",
			      std::string(profile.counters[i].name).c_str(),
			      static_cast<unsigned long long>(totals[i]),
			      rate(totals[i], duration_s));
		out << buf;
	}
	for (std::size_t i = 0; i < profile.hists.size(); i++) {
		const auto &h = agg.hists()[i];
		const std::string name(profile.hists[i].name);
		std::snprintf(buf, sizeof(buf), "\n%s (%s): %llu samples",
			      name.c_str(),
			      std::string(event_name(profile.hists[i].event)).c_str(),
			      static_cast<unsigned long long>(h.count()));
		out << buf;
		if (h.count()) {
			std::snprintf(buf, sizeof(buf),
				      ", min %llu, avg %llu, max %llu, p50 <= %llu, p99 <= %llu",
				      static_cast<unsigned long long>(h.min()),
				      static_cast<unsigned long long>(h.sum() / h.count()),
				      static_cast<unsigned long long>(h.max()),
				      static_cast<unsigned long long>(h.quantile_bound(0.5)),
				      static_cast<unsigned long long>(h.quantile_bound(0.99)));
			out << buf;
		}
		out << '\n';
		h.render(out, name);
	}
}

} // namespace hpmm::trace
