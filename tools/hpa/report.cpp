// SPDX-License-Identifier: GPL-2.0
// See report.hpp.
#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace hpmm::hpa {

namespace {

bool is_word(std::string_view s)
{
	return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
		return static_cast<unsigned char>(c) <= ' ' ||
		       static_cast<unsigned char>(c) >= 0x7f;
	});
}

void append_params(std::string &cmd, std::span<const std::string> params)
{
	for (const std::string &p : params) {
		std::size_t eq = p.find('=');
		if (!is_word(p) || eq == 0 || eq == std::string::npos ||
		    eq + 1 == p.size())
			throw std::invalid_argument("not a KEY=VALUE word: '" + p +
						    "'");
		cmd += ' ';
		cmd += p;
	}
}

std::optional<std::uint64_t> u64_of(const KeyValues &kv, std::string_view key)
{
	const std::string *v = kv.find(key);
	return v ? parse_u64(*v) : std::nullopt;
}

std::string text_of(const KeyValues &kv, std::string_view key)
{
	const std::string *v = kv.find(key);
	return v ? *v : "-";
}

// The sum of keys, "-" when one is missing.
std::string sum_of(const KeyValues &kv,
		   std::initializer_list<std::string_view> keys)
{
	std::uint64_t sum = 0;
	for (std::string_view key : keys) {
		auto v = u64_of(kv, key);
		if (!v)
			return "-";
		sum += *v;
	}
	return std::to_string(sum);
}

std::string fixed2(double v)
{
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.2f", v);
	return buf;
}

std::string ns_per_step(const KeyValues &kv)
{
	auto ns = u64_of(kv, "model_run_ns");
	auto steps = u64_of(kv, "model_run_steps");
	if (!ns || !steps || !*steps)
		return "-";
	return fixed2(static_cast<double>(*ns) / static_cast<double>(*steps));
}

} // namespace

std::string core_pool_dir(std::string_view name)
{
	return std::string(core_dir) + "/pools/" + std::string(name);
}

std::string test_pool_dir(std::string_view name)
{
	return std::string(test_dir) + "/pools/" + std::string(name);
}

std::vector<std::string> merge_names(std::vector<std::string> core,
				     const std::vector<std::string> &test)
{
	core.insert(core.end(), test.begin(), test.end());
	std::sort(core.begin(), core.end());
	core.erase(std::unique(core.begin(), core.end()), core.end());
	return core;
}

KeyValues merge_pool(const KeyValues *core, const KeyValues *test)
{
	KeyValues kv = core ? *core : KeyValues(test ? test->source() : "");
	if (test) {
		for (const auto &[key, value] : *test)
			if (!kv.contains(key))
				kv.set(key, value);
	}
	if (core && !kv.contains("kind"))
		kv.set("kind", "hpa");
	return kv;
}

bool valid_name(std::string_view name)
{
	return !name.empty() && name.size() <= 31 &&
	       std::all_of(name.begin(), name.end(), [](char c) {
		       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '-';
	       });
}

std::string create_command(std::string_view name, std::string_view kind,
			   std::span<const std::string> params)
{
	if (!valid_name(name))
		throw std::invalid_argument("bad pool name '" + std::string(name) +
					    "': 1 to 31 of A-Z a-z 0-9 _ -");
	if (kind != "hpa" && kind != "pp")
		throw std::invalid_argument("KIND must be hpa or pp, got '" +
					    std::string(kind) + "'");
	std::string cmd = "create " + std::string(name) + " " + std::string(kind);
	append_params(cmd, params);
	return cmd;
}

std::string run_command(std::string_view name, std::uint64_t steps,
			std::span<const std::string> params)
{
	if (!valid_name(name))
		throw std::invalid_argument("bad pool name '" + std::string(name) +
					    "'");
	std::string cmd = "run " + std::string(name) + " " + std::to_string(steps);
	append_params(cmd, params);
	return cmd;
}

std::optional<std::uint64_t> paths_mask(std::string_view list)
{
	std::uint64_t mask = 0;
	while (true) {
		std::size_t comma = list.find(',');
		std::string_view word = list.substr(0, comma);
		auto it = std::find(std::begin(bench_paths), std::end(bench_paths),
				    word);
		if (it == std::end(bench_paths))
			return std::nullopt;
		std::uint64_t bit = 1ULL << (it - std::begin(bench_paths));
		if (mask & bit)
			return std::nullopt;
		mask |= bit;
		if (comma == std::string_view::npos)
			return mask;
		list.remove_prefix(comma + 1);
	}
}

std::optional<double> parse_ns(std::string_view text)
{
	std::size_t dot = text.find('.');
	std::string_view whole = text.substr(0, dot);
	auto w = parse_u64(whole);
	if (!w)
		return std::nullopt;
	double v = static_cast<double>(*w);
	if (dot == std::string_view::npos)
		return v;
	std::string_view frac = text.substr(dot + 1);
	auto f = parse_u64(frac);
	if (!f || frac.size() > 9)
		return std::nullopt;
	double scale = 1;
	for (std::size_t i = 0; i < frac.size(); i++)
		scale *= 10;
	return v + static_cast<double>(*f) / scale;
}

std::string ratio_text(double hpa, double pp)
{
	if (pp <= 0)
		return "-";
	return fixed2(hpa / pp) + "x";
}

std::vector<BenchRow> bench_rows(const KeyValues &bench)
{
	std::vector<BenchRow> rows;
	for (std::string_view path : bench_paths) {
		std::string p(path);
		const std::string *h = bench.find(p + "_hpa_ns");
		const std::string *q = bench.find(p + "_pp_ns");
		if (!h || !q)
			continue;
		auto hv = parse_ns(*h), qv = parse_ns(*q);
		rows.push_back({p, *h, *q,
				hv && qv ? ratio_text(*hv, *qv) : "-",
				text_of(bench, p + "_hpa_min_ns"),
				text_of(bench, p + "_pp_min_ns")});
	}
	return rows;
}

std::vector<CompareRow> compare_rows(const KeyValues &hpa, const KeyValues &pp)
{
	std::vector<CompareRow> rows;
	auto row = [&](std::string metric, std::string h, std::string p) {
		rows.push_back({std::move(metric), std::move(h), std::move(p)});
	};
	row("packets", text_of(hpa, "model_steps"), text_of(pp, "model_steps"));
	row("ns per packet (last run)", ns_per_step(hpa), ns_per_step(pp));
	row("allocations", text_of(hpa, "allocs"),
	    sum_of(pp, {"alloc_cache", "alloc_ring", "alloc_slow"}));
	row("  from the alloc cache", text_of(hpa, "alloc_cache"),
	    text_of(pp, "alloc_cache"));
	row("  refilled from the ring", text_of(hpa, "alloc_ring"),
	    text_of(pp, "alloc_ring"));
	row("  from the backup ring", text_of(hpa, "alloc_backup"), "-");
	row("  new block, injected", text_of(hpa, "alloc_inject"), "-");
	row("  page allocator", text_of(hpa, "alloc_fallback"),
	    text_of(pp, "alloc_slow"));
	row("allocation failures", text_of(hpa, "model_alloc_fail"),
	    text_of(pp, "model_alloc_fail"));
	row("leaked pages", text_of(hpa, "model_leak"), text_of(pp, "model_leak"));
	row("leaked pages reclaimed", text_of(hpa, "reclaimed"), "-");
	row("DMA map calls", text_of(hpa, "map_calls"), text_of(pp, "map_calls"));
	row("DMA unmap calls", text_of(hpa, "unmap_calls"),
	    text_of(pp, "unmap_calls"));
	row("IOVA ranges mapped", text_of(hpa, "iova_ranges"),
	    text_of(pp, "iova_ranges"));
	row("pages owned", text_of(hpa, "pages"), text_of(pp, "pages"));
	row("2 MiB blocks (peak)", text_of(hpa, "peak_blocks"), "-");
	row("device access errors", text_of(hpa, "model_dma_errors"),
	    text_of(pp, "model_dma_errors"));
	return rows;
}

} // namespace hpmm::hpa
