// SPDX-License-Identifier: GPL-2.0
#include "trace_hist.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <string>

namespace hpmm::trace {

int Log2Hist::bucket_of(std::uint64_t v)
{
	return std::bit_width(v);
}

std::uint64_t Log2Hist::bucket_low(int b)
{
	return b == 0 ? 0 : std::uint64_t{1} << (b - 1);
}

std::uint64_t Log2Hist::bucket_high(int b)
{
	if (b == 0)
		return 0;
	if (b == 64)
		return UINT64_MAX;
	return (std::uint64_t{1} << b) - 1;
}

void Log2Hist::add(std::uint64_t v)
{
	buckets_[bucket_of(v)]++;
	count_++;
	sum_ += v;
	min_ = std::min(min_, v);
	max_ = std::max(max_, v);
}

void Log2Hist::merge(const Log2Hist &other)
{
	for (int b = 0; b < nr_buckets; b++)
		buckets_[b] += other.buckets_[b];
	count_ += other.count_;
	sum_ += other.sum_;
	min_ = std::min(min_, other.min_);
	max_ = std::max(max_, other.max_);
}

std::uint64_t Log2Hist::quantile_bound(double q) const
{
	if (!count_)
		return 0;
	q = std::clamp(q, 0.0, 1.0);
	// The rank of the q-quantile, 1-based: ceil(q * count), at least 1.
	auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_));
	if (static_cast<double>(rank) < q * static_cast<double>(count_))
		rank++;
	rank = std::max<std::uint64_t>(rank, 1);
	std::uint64_t seen = 0;
	for (int b = 0; b < nr_buckets; b++) {
		seen += buckets_[b];
		if (seen >= rank)
			return std::min(bucket_high(b), max_);
	}
	return max_;
}

void Log2Hist::render(std::ostream &out, const std::string &unit,
		      int width) const
{
	if (!count_) {
		out << "(no samples)\n";
		return;
	}
	int first = 0, last = nr_buckets - 1;
	while (!buckets_[first])
		first++;
	while (!buckets_[last])
		last--;
	std::uint64_t peak = *std::max_element(buckets_.begin(),
					       buckets_.end());
	int w = static_cast<int>(std::to_string(bucket_high(last)).size());
	char line[256];
	std::snprintf(line, sizeof(line), "%*s : %-8s %s\n", 2 * w + 4,
		      unit.c_str(), "count", "distribution");
	out << line;
	for (int b = first; b <= last; b++) {
		auto n = buckets_[b];
		auto stars = (n * static_cast<std::uint64_t>(width) + peak - 1) /
			     peak;
		std::string bar(static_cast<std::size_t>(stars), '*');
		bar.resize(static_cast<std::size_t>(width), ' ');
		std::snprintf(line, sizeof(line), "%*llu -> %-*llu : %-8llu |%s|\n",
			      w, static_cast<unsigned long long>(bucket_low(b)),
			      w, static_cast<unsigned long long>(bucket_high(b)),
			      static_cast<unsigned long long>(n), bar.c_str());
		out << line;
	}
}

} // namespace hpmm::trace
