// SPDX-License-Identifier: GPL-2.0
// A log2 histogram of 64-bit values (latencies in ns), as bcc's and
// bpftrace's hist(): bucket b holds the values of bit width b.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

namespace hpmm::trace {

class Log2Hist {
public:
	static constexpr int nr_buckets = 65;

	// Bucket of v: 0 for 0, else 1 + floor(log2(v)).
	static int bucket_of(std::uint64_t v);
	// Smallest and largest value of bucket b.
	static std::uint64_t bucket_low(int b);
	static std::uint64_t bucket_high(int b);

	void add(std::uint64_t v);
	void merge(const Log2Hist &other);

	std::uint64_t count() const { return count_; }
	std::uint64_t sum() const { return sum_; }
	std::uint64_t min() const { return count_ ? min_ : 0; }
	std::uint64_t max() const { return max_; }
	std::uint64_t bucket(int b) const { return buckets_.at(b); }
	// The upper bound of the bucket holding the q-quantile (0 < q <= 1),
	// capped at max(): p50 and p99 as "at most". 0 when empty.
	std::uint64_t quantile_bound(double q) const;

	// The non-empty span of buckets as text, one line each:
	//   "1024 -> 2047 : 12       |*****      |"
	// with stars scaled to width; "(no samples)\n" when empty.
	void render(std::ostream &out, const std::string &unit,
		    int width = 40) const;

private:
	std::array<std::uint64_t, nr_buckets> buckets_{};
	std::uint64_t count_ = 0;
	std::uint64_t sum_ = 0;
	std::uint64_t min_ = UINT64_MAX;
	std::uint64_t max_ = 0;
};

} // namespace hpmm::trace
