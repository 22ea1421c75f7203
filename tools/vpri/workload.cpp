// SPDX-License-Identifier: GPL-2.0
// NIC-like and block-like access streams for VPRI (see workload.hpp).
//
// Randomness comes from SplitMix64 with explicit arithmetic (no <random>
// distributions, whose output differs between standard libraries), so a
// seed gives the same trace everywhere.
#include "hpmm/vpri/workload.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hpmm/error.hpp"
#include "hpmm/vpri/random.hpp"

namespace hpmm::vpri {

namespace {

std::vector<std::uint32_t> shuffled_pages(std::uint32_t n, Rng &rng)
{
	std::vector<std::uint32_t> v(n);
	for (std::uint32_t i = 0; i < n; i++)
		v[i] = i;
	for (std::uint32_t i = n; i > 1; i--)
		std::swap(v[i - 1], v[rng.below(i)]);
	return v;
}

[[noreturn]] void bad_param(const std::string &what)
{
	throw Error(ErrorKind::usage, "vpri workload: " + what);
}

// A half-page (or smaller) buffer: its IOVA.
using Slot = std::uint64_t;

// Hands out buffers from pages taken in random order; freed buffers are
// reused oldest first, so a replaced buffer really moves.
class SlotPool {
public:
	SlotPool(std::uint32_t pages, std::uint32_t buf, Rng &rng)
		: order_(shuffled_pages(pages, rng)), buf_(buf)
	{
	}
	Slot get()
	{
		if (free_.empty()) {
			if (next_ == order_.size())
				bad_param("the range is too small for the buffers");
			std::uint64_t base = order_[next_++] * page_size;
			for (std::uint64_t off = 0; off + buf_ <= page_size; off += buf_)
				free_.push_back(base + off);
		}
		Slot s = free_.front();
		free_.pop_front();
		return s;
	}
	void put(Slot s) { free_.push_back(s); }

private:
	std::vector<std::uint32_t> order_;
	std::size_t next_ = 0;
	std::uint32_t buf_;
	std::deque<Slot> free_;
};

struct Ring {
	std::vector<Slot> slots;
	std::size_t pos = 0;
};

std::uint32_t packet_len(Rng &rng, std::uint32_t buf)
{
	// Small (ACK-like) and full-size packets, as on a busy link.
	std::uint32_t len = rng.chance(0.4) ? static_cast<std::uint32_t>(rng.between(64, 128))
					    : static_cast<std::uint32_t>(rng.between(1000, 1514));
	return std::min({len, buf, max_access_len});
}

void check_common(std::uint32_t pages, std::uint64_t accesses)
{
	if (pages < 2 || pages > (1U << 16))
		bad_param("pages must be 2..65536 (28-bit DMA space)");
	if (!accesses)
		bad_param("accesses must be > 0");
}

} // namespace

Trace generate_nic(const NicParams &p)
{
	check_common(p.pages, p.accesses);
	if (!p.queues || !p.ring || p.buf < 64 || p.buf > page_size ||
	    page_size % p.buf || p.burst < 1 || p.tx_ratio < 0 ||
	    p.tx_ratio > 1 || p.churn < 0 || p.churn > 1)
		bad_param("bad NIC parameters");
	Rng rng(p.seed);
	SlotPool pool(p.pages, p.buf, rng);
	std::vector<Ring> rx(p.queues), tx(p.queues);
	// Consecutive descriptors of a ring share a page, as a driver fills
	// its ring from page-pool pages split in halves.
	for (std::uint32_t q = 0; q < p.queues; q++) {
		for (std::uint32_t i = 0; i < p.ring; i++)
			rx[q].slots.push_back(pool.get());
		for (std::uint32_t i = 0; i < p.ring; i++)
			tx[q].slots.push_back(pool.get());
	}
	Zipf load(p.queues, p.queue_skew);

	Trace t;
	t.pages = p.pages;
	t.comments.push_back("workload nic queues=" + std::to_string(p.queues) +
			     " ring=" + std::to_string(p.ring) +
			     " buf=" + std::to_string(p.buf) +
			     " seed=" + std::to_string(p.seed));
	t.accesses.reserve(p.accesses);
	while (t.accesses.size() < p.accesses) {
		std::uint32_t q = load.sample(rng);
		std::uint64_t n = rng.geometric(p.burst);
		for (std::uint64_t i = 0; i < n && t.accesses.size() < p.accesses; i++) {
			bool is_tx = rng.chance(p.tx_ratio);
			Ring &r = is_tx ? tx[q] : rx[q];
			Slot &s = r.slots[r.pos];
			r.pos = (r.pos + 1) % r.slots.size();
			t.accesses.push_back({s, packet_len(rng, p.buf), !is_tx});
			if (rng.chance(p.churn)) {
				Slot old = s;
				s = pool.get();
				pool.put(old);
			}
		}
	}
	return t;
}

Trace generate_block(const BlockParams &p)
{
	check_common(p.pages, p.accesses);
	if (!p.start || p.start > p.max || p.max > p.pages || !p.regions ||
	    p.regions > p.start || p.table > p.start || p.scan_len < 1 ||
	    p.io < 1 || p.io > max_access_len || p.growth < 0 ||
	    p.scan_ratio < 0 || p.scan_ratio >= 1 || p.table_ratio < 0 ||
	    p.table_ratio > 1)
		bad_param("bad block parameters");
	Rng rng(p.seed);
	// File block b lives at page file[b], anywhere in the range.
	std::vector<std::uint32_t> file = shuffled_pages(p.pages, rng);
	// Region ranks are spread over the file, not clustered at its start.
	std::vector<std::uint32_t> region_of_rank = shuffled_pages(p.regions, rng);
	Zipf regions(p.regions, p.region_skew);
	std::uint32_t size = p.start;

	double mean_scan = p.table_ratio * p.table +
			   (1 - p.table_ratio) * p.scan_len;
	double p_scan = mean_scan > 0 ?
		p.scan_ratio / ((1 - p.scan_ratio) * mean_scan) : 0;
	std::uint64_t scan_left = 0;
	std::uint32_t scan_at = 0;

	Trace t;
	t.pages = p.pages;
	t.comments.push_back("workload block start=" + std::to_string(p.start) +
			     " max=" + std::to_string(p.max) +
			     " table=" + std::to_string(p.table) +
			     " seed=" + std::to_string(p.seed));
	t.accesses.reserve(p.accesses);
	while (t.accesses.size() < p.accesses) {
		std::uint32_t b;
		if (scan_left) {
			b = scan_at;
			scan_at = (scan_at + 1) % size;
			scan_left--;
		} else if (rng.chance(p.growth) && size < p.max) {
			b = size++;
		} else if (rng.chance(p_scan)) {
			if (p.table && rng.chance(p.table_ratio)) {
				scan_at = 0;
				scan_left = p.table;
			} else {
				scan_at = static_cast<std::uint32_t>(rng.below(size));
				scan_left = rng.geometric(p.scan_len);
			}
			b = scan_at;
			scan_at = (scan_at + 1) % size;
			scan_left--;
		} else {
			std::uint32_t r = region_of_rank[regions.sample(rng)];
			std::uint64_t lo = static_cast<std::uint64_t>(size) * r / p.regions;
			std::uint64_t hi = static_cast<std::uint64_t>(size) * (r + 1) / p.regions;
			b = static_cast<std::uint32_t>(lo + rng.below(hi - lo));
		}
		t.accesses.push_back({file[b] * page_size, p.io, rng.chance(0.3)});
	}
	return t;
}

namespace {

// key=value,... into a map; throws on anything else.
std::map<std::string, std::string> split_spec(std::string_view spec)
{
	std::map<std::string, std::string> kv;
	while (!spec.empty()) {
		std::size_t comma = spec.find(',');
		std::string_view item = spec.substr(0, comma);
		spec.remove_prefix(comma == std::string_view::npos ? spec.size() : comma + 1);
		if (item.empty())
			continue;
		std::size_t eq = item.find('=');
		if (eq == std::string_view::npos || !eq)
			bad_param("expected key=value, got '" + std::string(item) + "'");
		kv[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
	}
	return kv;
}

template <typename T> void set_num(T &field, const std::string &key, const std::string &v)
{
	if constexpr (std::is_floating_point_v<T>) {
		std::size_t used = 0;
		double d = 0;
		try {
			d = std::stod(v, &used);
		} catch (const std::exception &) {
			used = 0;
		}
		if (!used || used != v.size())
			bad_param("bad value '" + v + "' for " + key);
		field = static_cast<T>(d);
	} else {
		T x{};
		auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
		if (ec != std::errc() || ptr != v.data() + v.size())
			bad_param("bad value '" + v + "' for " + key);
		field = x;
	}
}

using Setter = std::function<void(const std::string &)>;

void apply(const std::map<std::string, std::string> &kv,
	   const std::map<std::string, Setter> &setters)
{
	for (const auto &[k, v] : kv) {
		auto it = setters.find(k);
		if (it == setters.end())
			bad_param("unknown parameter '" + k + "'");
		it->second(v);
	}
}

#define HPMM_FIELD(obj, name) \
	{ #name, [&obj](const std::string &v) { set_num((obj).name, #name, v); } }

} // namespace

void apply_params(NicParams &p, std::string_view spec)
{
	apply(split_spec(spec), {
		HPMM_FIELD(p, pages), HPMM_FIELD(p, accesses), HPMM_FIELD(p, queues),
		HPMM_FIELD(p, ring), HPMM_FIELD(p, buf), HPMM_FIELD(p, queue_skew),
		HPMM_FIELD(p, burst), HPMM_FIELD(p, tx_ratio), HPMM_FIELD(p, churn),
		HPMM_FIELD(p, seed),
	});
}

void apply_params(BlockParams &p, std::string_view spec)
{
	apply(split_spec(spec), {
		HPMM_FIELD(p, pages), HPMM_FIELD(p, accesses), HPMM_FIELD(p, start),
		HPMM_FIELD(p, max), HPMM_FIELD(p, growth), HPMM_FIELD(p, scan_ratio),
		HPMM_FIELD(p, scan_len), HPMM_FIELD(p, table_ratio),
		HPMM_FIELD(p, table), HPMM_FIELD(p, regions),
		HPMM_FIELD(p, region_skew), HPMM_FIELD(p, io), HPMM_FIELD(p, seed),
	});
}

} // namespace hpmm::vpri
