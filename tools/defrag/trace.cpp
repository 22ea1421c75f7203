// SPDX-License-Identifier: GPL-2.0
#include "trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <istream>
#include <ostream>
#include <queue>
#include <random>
#include <sstream>
#include <unordered_map>

#include "hpmm/error.hpp"

namespace hpmm::defrag {

namespace {

[[noreturn]] void bad_line(std::size_t line_no, const std::string &why)
{
	throw Error(ErrorKind::operation,
		    "trace line " + std::to_string(line_no) + ": " + why);
}

std::vector<std::string_view> split_words(std::string_view line)
{
	std::vector<std::string_view> words;
	std::size_t i = 0;
	while (i < line.size()) {
		std::size_t start = line.find_first_not_of(" \t\r", i);
		if (start == std::string_view::npos)
			break;
		std::size_t end = line.find_first_of(" \t\r", start);
		if (end == std::string_view::npos)
			end = line.size();
		words.push_back(line.substr(start, end - start));
		i = end;
	}
	return words;
}

bool parse_uint(std::string_view s, std::uint64_t max, std::uint64_t &out)
{
	const char *end = s.data() + s.size();
	auto [p, ec] = std::from_chars(s.data(), end, out);
	return ec == std::errc() && p == end && out <= max;
}

} // namespace

char mobility_char(Mobility m)
{
	switch (m) {
	case Mobility::unmovable:
		return 'u';
	case Mobility::movable:
		return 'm';
	case Mobility::reclaimable:
		return 'r';
	}
	return '?';
}

std::optional<Mobility> parse_mobility(std::string_view s)
{
	if (s == "u" || s == "unmovable")
		return Mobility::unmovable;
	if (s == "m" || s == "movable")
		return Mobility::movable;
	if (s == "r" || s == "reclaimable")
		return Mobility::reclaimable;
	return std::nullopt;
}

std::string format_event(const Event &ev)
{
	std::string s;
	s += ev.alloc ? 'a' : 'f';
	s += ' ';
	s += std::to_string(ev.handle);
	s += ' ';
	s += std::to_string(ev.group);
	s += ' ';
	s += std::to_string(ev.order);
	s += ' ';
	s += mobility_char(ev.mobility);
	if (ev.site) {
		s += ' ';
		s += std::to_string(ev.site);
	}
	return s;
}

std::optional<Event> parse_event(std::string_view line, std::size_t line_no)
{
	std::vector<std::string_view> w = split_words(line);
	if (w.empty() || w[0][0] == '#')
		return std::nullopt;
	if (w.size() != 5 && w.size() != 6)
		bad_line(line_no, "expected 5 or 6 fields, got " +
					  std::to_string(w.size()));
	Event ev;
	if (w[0] == "a")
		ev.alloc = true;
	else if (w[0] == "f")
		ev.alloc = false;
	else
		bad_line(line_no, "operation must be a or f");
	std::uint64_t v = 0;
	if (!parse_uint(w[1], max_handle, v))
		bad_line(line_no, "bad handle");
	ev.handle = static_cast<std::uint32_t>(v);
	if (!parse_uint(w[2], max_groups - 1, v))
		bad_line(line_no, "bad group");
	ev.group = static_cast<std::uint8_t>(v);
	if (!parse_uint(w[3], max_order, v))
		bad_line(line_no, "bad order");
	ev.order = static_cast<std::uint8_t>(v);
	std::optional<Mobility> m = parse_mobility(w[4]);
	if (!m)
		bad_line(line_no, "mobility must be u, m or r");
	ev.mobility = *m;
	if (w.size() == 6) {
		if (!parse_uint(w[5], max_site, v))
			bad_line(line_no, "bad site");
		ev.site = static_cast<std::uint8_t>(v);
	}
	return ev;
}

Trace read_trace(std::istream &in)
{
	Trace trace;
	std::unordered_map<std::uint32_t, Event> live;
	std::string line;
	std::size_t line_no = 0;
	while (std::getline(in, line)) {
		line_no++;
		std::string_view sv(line);
		std::size_t first = sv.find_first_not_of(" \t");
		if (first != std::string_view::npos && sv[first] == '#') {
			trace.comments.emplace_back(sv.substr(first));
			continue;
		}
		std::optional<Event> ev = parse_event(sv, line_no);
		if (!ev)
			continue;
		auto it = live.find(ev->handle);
		if (ev->alloc) {
			if (it != live.end())
				bad_line(line_no, "handle allocated twice");
			live.emplace(ev->handle, *ev);
		} else {
			if (it == live.end())
				bad_line(line_no, "handle not allocated");
			Event a = it->second;
			a.alloc = false;
			if (!(a == *ev))
				bad_line(line_no,
					 "free does not match its allocation");
			live.erase(it);
		}
		trace.events.push_back(*ev);
	}
	return trace;
}

void write_trace(std::ostream &out, const Trace &trace)
{
	for (const std::string &c : trace.comments)
		out << c << '\n';
	for (const Event &ev : trace.events)
		out << format_event(ev) << '\n';
}

TraceStats trace_stats(const Trace &trace)
{
	TraceStats st;
	std::uint64_t live = 0;
	std::uint64_t by_mob[3] = {};
	for (const Event &ev : trace.events) {
		std::uint64_t pages = std::uint64_t{1} << ev.order;
		unsigned m = static_cast<unsigned>(ev.mobility);
		if (ev.alloc) {
			st.allocs++;
			live += pages;
			by_mob[m] += pages;
			st.peak_live_pages = std::max(st.peak_live_pages, live);
		} else {
			st.frees++;
			live -= pages;
			by_mob[m] -= pages;
		}
		st.max_handle = std::max(st.max_handle, ev.handle);
		st.groups = std::max(st.groups, unsigned{ev.group} + 1);
	}
	std::copy(std::begin(by_mob), std::end(by_mob), st.end_live_pages);
	return st;
}

namespace {

struct Death {
	double time;
	std::uint32_t handle;
	bool operator>(const Death &o) const { return time > o.time; }
};

} // namespace

Trace generate(const GenParams &p)
{
	Trace trace;
	std::ostringstream hdr;
	hdr << "# hpmm defrag trace v1: seed=" << p.seed
	    << " events=" << p.events << " groups=" << p.groups
	    << " live_pages=" << p.live_pages << " unmovable=" << p.unmovable
	    << " reclaimable=" << p.reclaimable
	    << " short_share=" << p.short_share
	    << " short_mean=" << p.short_mean << " long_mean=" << p.long_mean
	    << " huge_share=" << p.huge_share << " end_free=" << p.end_free;
	trace.comments.push_back(hdr.str());

	std::mt19937_64 rng(p.seed);
	std::uniform_real_distribution<double> uni(0.0, 1.0);
	std::exponential_distribution<double> short_life(1.0 / p.short_mean);
	std::exponential_distribution<double> long_life(1.0 / p.long_mean);
	std::uniform_int_distribution<unsigned> pick_group(
		0, std::max(1u, std::min(p.groups, max_groups)) - 1);

	// Pages are drawn by mobility share; an unmovable allocation's order
	// is 0 (80%), 1, 2 or 3; a reclaimable one's 0 (90%) or 1.
	const double umean = 0.8 * 1 + 0.1 * 2 + 0.05 * 4 + 0.05 * 8;
	const double rmean = 0.9 * 1 + 0.1 * 2;
	const double mmean = (1 - p.huge_share) * 1 + p.huge_share * 512;
	const double share_m = std::max(0.0, 1 - p.unmovable - p.reclaimable);
	// Probability of each mobility per allocation, so that page shares
	// come out as asked.
	const double wu = p.unmovable / umean, wr = p.reclaimable / rmean,
		     wm = share_m / mmean, wsum = wu + wr + wm;

	std::priority_queue<Death, std::vector<Death>, std::greater<>> deaths;
	std::vector<Event> live_ev;
	std::vector<std::uint32_t> free_handles;
	std::uint32_t next_handle = 0;
	std::uint64_t live = 0;

	for (std::size_t t = 0; t < p.events; t++) {
		// What dies now is freed; at the target, what dies first.
		if (!deaths.empty() &&
		    (deaths.top().time <= static_cast<double>(t) ||
		     live >= p.live_pages)) {
			Death d = deaths.top();
			deaths.pop();
			Event ev = live_ev[d.handle];
			ev.alloc = false;
			live -= std::uint64_t{1} << ev.order;
			trace.events.push_back(ev);
			free_handles.push_back(d.handle);
			continue;
		}
		Event ev;
		double x = uni(rng) * wsum;
		double y = uni(rng);
		if (x < wu) {
			ev.mobility = Mobility::unmovable;
			ev.order = y < 0.8 ? 0 : y < 0.9 ? 1 : y < 0.95 ? 2 : 3;
		} else if (x < wu + wr) {
			ev.mobility = Mobility::reclaimable;
			ev.order = y < 0.9 ? 0 : 1;
		} else {
			ev.mobility = Mobility::movable;
			ev.order = y < p.huge_share ? 9 : 0;
		}
		ev.group = static_cast<std::uint8_t>(pick_group(rng));
		if (!free_handles.empty()) {
			ev.handle = free_handles.back();
			free_handles.pop_back();
		} else {
			ev.handle = next_handle++;
			live_ev.resize(next_handle);
		}
		if (ev.handle > max_handle)
			throw Error(ErrorKind::operation,
				    "trace needs more than 2^22 handles");
		live_ev[ev.handle] = ev;
		double life = uni(rng) < p.short_share ? short_life(rng) :
							  long_life(rng);
		deaths.push({static_cast<double>(t) + life, ev.handle});
		live += std::uint64_t{1} << ev.order;
		trace.events.push_back(ev);
	}

	// Wind down: free the movable share, earliest deaths first.
	std::uint64_t movable = 0;
	std::vector<Death> left;
	while (!deaths.empty()) {
		left.push_back(deaths.top());
		deaths.pop();
		const Event &ev = live_ev[left.back().handle];
		if (ev.mobility == Mobility::movable)
			movable += std::uint64_t{1} << ev.order;
	}
	std::uint64_t to_free = static_cast<std::uint64_t>(
		static_cast<double>(movable) * std::clamp(p.end_free, 0.0, 1.0));
	for (const Death &d : left) {
		Event ev = live_ev[d.handle];
		std::uint64_t n = std::uint64_t{1} << ev.order;
		if (ev.mobility != Mobility::movable || n > to_free)
			continue;
		ev.alloc = false;
		trace.events.push_back(ev);
		to_free -= n;
	}
	return trace;
}

} // namespace hpmm::defrag
