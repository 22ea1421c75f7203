// SPDX-License-Identifier: GPL-2.0
// Randomness for the VPRI workloads: SplitMix64 with explicit arithmetic
// (no <random> distributions, whose output differs between standard
// libraries), so that a seed gives the same stream everywhere, and a Zipf
// sampler over ranks.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace hpmm::vpri {

class Rng {
public:
	explicit Rng(std::uint64_t seed) : state_(seed) {}

	std::uint64_t next()
	{
		std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		return z ^ (z >> 31);
	}
	// Uniform in [0, n).
	std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
	// Uniform in [lo, hi].
	std::uint64_t between(std::uint64_t lo, std::uint64_t hi)
	{
		return lo + below(hi - lo + 1);
	}
	// Uniform in [0, 1).
	double real() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
	bool chance(double p) { return real() < p; }
	// Geometric with the given mean (>= 1).
	std::uint64_t geometric(double mean)
	{
		if (mean <= 1.0)
			return 1;
		double u = 1.0 - real(); // (0, 1]
		return 1 + static_cast<std::uint64_t>(
				   std::floor(std::log(u) / std::log(1.0 - 1.0 / mean)));
	}

private:
	std::uint64_t state_;
};

// Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s.
class Zipf {
public:
	Zipf(std::uint32_t n, double s) : cdf_(n)
	{
		double sum = 0;
		for (std::uint32_t i = 0; i < n; i++) {
			sum += 1.0 / std::pow(static_cast<double>(i + 1), s);
			cdf_[i] = sum;
		}
		for (double &c : cdf_)
			c /= sum;
	}
	std::uint32_t sample(Rng &rng) const
	{
		auto it = std::lower_bound(cdf_.begin(), cdf_.end(), rng.real());
		if (it == cdf_.end())
			--it;
		return static_cast<std::uint32_t>(it - cdf_.begin());
	}

private:
	std::vector<double> cdf_;
};

} // namespace hpmm::vpri
