// SPDX-License-Identifier: GPL-2.0
// hpmmctl vpri: VPRI workloads, the simulator, kernel runs and statistics
// (Documentation/vpri.rst).
//
//   vpri gen nic|block -o FILE      write a trace
//   vpri simulate TRACE|--workload  every policy on the kernel's own code
//   vpri run TRACE|--workload       every policy in the kernel, checked
//                                   against the simulator
//   vpri reclaim TRACE|--workload   the on-demand mode against the kernel's
//                                   reclaim, in an overcommitted cgroup
//   vpri stats                      debugfs statistics of every domain kept
//   vpri bench                      PA-BITMAP micro-benchmark (hpmm_test.ko)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include <uapi/hpmm-vpri.h>

#include "hpmm/json.hpp"
#include "hpmm/process.hpp"
#include "hpmm/table.hpp"
#include "hpmm/vpri/core.hpp"
#include "hpmm/vpri/runner.hpp"
#include "hpmm/vpri/sim.hpp"
#include "hpmm/vpri/trace.hpp"
#include "hpmm/vpri/workload.hpp"

#include "cli.hpp"

namespace hpmm::ctl {

namespace {

using namespace hpmm::vpri;

// The share of the registered range that may stay pinned when no budget is
// given: VPRI's production figure (at most 5.2% of the registered memory
// pinned), rounded down to 5%. It does not depend on the overcommit: that
// decides how much of the range is backed (reclaim, swap-in cost), not which
// pages the device keeps pinned.
constexpr double default_pin_share = 5.0;

using Opts = Args;

double to_double(const std::string &opt, const std::string &v)
{
	char *end = nullptr;
	double d = std::strtod(v.c_str(), &end);
	if (v.empty() || *end || !std::isfinite(d) || d < 0)
		usage_error("bad value '" + v + "' for " + opt);
	return d;
}

std::uint64_t to_u64(const std::string &opt, const std::string &v)
{
	auto n = parse_u64(v);
	if (!n)
		usage_error("bad value '" + v + "' for " + opt);
	return *n;
}

// The trace: a file (first positional) or a generated workload.
Trace load_trace(const Opts &o)
{
	auto w = o.get("--workload");
	if (!o.positional.empty()) {
		if (w)
			usage_error("give a TRACE or --workload, not both");
		if (o.positional.size() > 1)
			usage_error("one TRACE only");
		return read_trace(o.positional[0]);
	}
	if (!w)
		usage_error("give a TRACE file or --workload nic|block");
	std::string spec = o.get("--set").value_or("");
	for (const char *k : { "pages", "accesses", "seed" }) {
		if (auto v = o.get(std::string("--") + k))
			spec += std::string(spec.empty() ? "" : ",") + k + "=" + *v;
	}
	if (*w == "nic") {
		NicParams p;
		apply_params(p, spec);
		return generate_nic(p);
	}
	if (*w == "block") {
		BlockParams p;
		apply_params(p, spec);
		return generate_block(p);
	}
	usage_error("--workload is nic or block, not '" + *w + "'");
}

struct Budget {
	std::uint32_t pages = 0;
	std::optional<double> overcommit; // percent
	std::string how;
};

// --budget N | --budget-pct P | [--pin-share S] (default); --overcommit X
// is recorded (run: the cgroup's memory.max) but does not change the budget.
Budget choose_budget(const Opts &o, const Trace &t)
{
	Budget b;
	auto clamp = [&](double pages) {
		double c = std::max(2.0, std::min<double>(pages, t.pages));
		return static_cast<std::uint32_t>(std::llround(c));
	};
	if (auto oc = o.get("--overcommit")) {
		b.overcommit = to_double("--overcommit", *oc);
		if (*b.overcommit >= 100)
			usage_error("--overcommit is a percentage below 100");
	}
	if (auto v = o.get("--budget")) {
		b.pages = static_cast<std::uint32_t>(to_u64("--budget", *v));
		b.how = "given";
	} else if (auto p = o.get("--budget-pct")) {
		double pct = to_double("--budget-pct", *p);
		b.pages = clamp(t.pages * pct / 100);
		b.how = *p + "% of the range";
	} else {
		double share = o.get("--pin-share") ?
			to_double("--pin-share", *o.get("--pin-share")) :
			default_pin_share;
		b.pages = clamp(t.pages * share / 100);
		std::ostringstream how;
		how << "pin share " << share << "% of the range";
		b.how = how.str();
	}
	return b;
}

std::string fixed(double v, int digits)
{
	std::ostringstream s;
	s << std::fixed << std::setprecision(digits) << v;
	return s.str();
}

std::string pct(double part, double whole)
{
	return whole > 0 ? fixed(100.0 * part / whole, 2) : "-";
}

std::string ratio(double base, double v)
{
	if (v <= 0)
		return base > 0 ? "inf" : "-";
	return fixed(base / v, 2) + "x";
}

// One column of the side-by-side table.
struct Column {
	int policy;
	std::map<std::string, std::string> cells;
	std::map<std::string, double> nums;
	std::string name; // the header; empty: the pinned mode's policy name

	std::string title() const { return name.empty() ? policy_name(policy) : name; }
};

// Prints rows (metric names, in order) x columns (policies).
void print_side_by_side(Context &ctx, const std::vector<std::string> &rows,
			const std::vector<Column> &cols)
{
	if (ctx.json) {
		Json j = Json::array();
		for (const Column &c : cols) {
			Json o = {{"policy", c.title()}};
			for (const std::string &r : rows) {
				auto it = c.cells.find(r);
				if (it != c.cells.end())
					o[r] = json_value(it->second);
			}
			j.push_back(std::move(o));
		}
		print_json(ctx.out, j);
		return;
	}
	std::vector<hpmm::Column> header{ { "metric", Align::left } };
	for (const Column &c : cols)
		header.push_back({ c.title(), Align::right });
	Table table(std::move(header));
	for (const std::string &r : rows) {
		std::vector<std::string> line{ r };
		bool any = false;
		for (const Column &c : cols) {
			auto it = c.cells.find(r);
			line.push_back(it == c.cells.end() ? "-" : it->second);
			any |= it != c.cells.end();
		}
		if (any)
			table.add_row(std::move(line));
	}
	table.print(ctx.out);
}

void set(Column &c, const std::string &k, double v, int digits = 0)
{
	c.nums[k] = v;
	c.cells[k] = digits ? fixed(v, digits) : std::to_string(std::llround(v));
}

// The comparisons that make the table readable: vs lru, vs none.
void add_comparisons(std::vector<Column> &cols)
{
	const Column *lru = nullptr, *none = nullptr;
	for (const Column &c : cols) {
		if (c.policy == VPRI_POLICY_LRU)
			lru = &c;
		if (c.policy == VPRI_POLICY_NONE)
			none = &c;
	}
	for (Column &c : cols) {
		double f = c.nums["faults"];
		if (lru)
			c.cells["lru_faults/faults"] = ratio(lru->nums.at("faults"), f);
		if (none && none->nums.at("faults") > 0)
			c.cells["fewer_faults_than_none_%"] =
				fixed(100.0 * (1 - f / none->nums.at("faults")), 2);
	}
}

std::string gnuplot_quote(const std::string &s)
{
	std::string q = "'";
	for (char ch : s)
		q += ch == '\'' ? std::string("''") : std::string(1, ch);
	return q + "'";
}

// Writes PNG (and PNG.dat, PNG.gp) of series (x, y) per policy through
// gnuplot when it is installed.
void plot(Context &ctx, const std::string &png, const std::string &title,
	  const std::string &xlabel, const std::string &ylabel,
	  const std::vector<std::pair<std::string,
				      std::vector<std::pair<double, double>>>> &series)
{
	std::string dat = png + ".dat", gp = png + ".gp";
	{
		std::ofstream d(dat);
		for (const auto &[name, pts] : series) {
			d << "# " << name << "\n";
			for (const auto &[x, y] : pts)
				d << x << ' ' << y << '\n';
			d << "\n\n";
		}
		if (!d.flush())
			throw Error(ErrorKind::operation, "vpri: cannot write " + dat);
	}
	{
		std::ofstream g(gp);
		g << "set terminal pngcairo size 1000,600 noenhanced\n"
		  << "set output " << gnuplot_quote(png) << "\n"
		  << "set title " << gnuplot_quote(title) << "\n"
		  << "set xlabel " << gnuplot_quote(xlabel) << "\n"
		  << "set ylabel " << gnuplot_quote(ylabel) << "\n"
		  << "set logscale y\nset key outside right\nset grid\n"
		  << "plot ";
		for (std::size_t i = 0; i < series.size(); i++)
			g << (i ? ", " : "") << gnuplot_quote(dat) << " index " << i
			  << " using 1:($2>0?$2:1/0) with lines lw 2 title "
			  << gnuplot_quote(series[i].first);
		g << "\n";
	}
	auto gnuplot = find_program("gnuplot");
	if (!gnuplot) {
		ctx.err << "vpri: gnuplot not installed: data in " << dat
			<< ", script in " << gp << "\n";
		return;
	}
	std::string output;
	int status = run_process({gnuplot->string(), gp}, output);
	if (!output.empty())
		ctx.err << output << "\n";
	if (status)
		ctx.err << "vpri: gnuplot failed on " << gp << "\n";
	else
		ctx.err << "vpri: wrote " << png << "\n";
}

void describe(Context &ctx, const Trace &t, const Budget &b)
{
	if (ctx.json)
		return;
	ctx.out << "trace: " << t.accesses.size() << " accesses, "
		<< t.page_accesses() << " page accesses, footprint "
		<< t.footprint() << " of " << t.pages << " pages\n"
		<< "budget: " << b.pages << " pages (" << pct(b.pages, t.pages)
		<< "% of the range; " << b.how << ")";
	if (b.overcommit)
		ctx.out << ", overcommit " << *b.overcommit << "%";
	ctx.out << "\n";
}

Column sim_column(const SimResult &r)
{
	Column c{ r.policy, {}, {}, {} };
	set(c, "budget", r.budget);
	set(c, "requests", static_cast<double>(r.requests));
	set(c, "accesses", static_cast<double>(r.accesses));
	set(c, "hits", static_cast<double>(r.hits));
	set(c, "faults", static_cast<double>(r.faults));
	c.cells["hit_%"] = pct(r.hits, r.accesses);
	set(c, "pinned_peak", r.peak_pinned);
	c.cells["pinned_peak_%_of_range"] = pct(r.peak_pinned, r.pages);
	set(c, "final_target", r.final_target);
	return c;
}

int run_simulate(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv, {},
			    { "--workload", "--set", "--pages", "--accesses", "--seed",
			      "--policies", "--policy", "--budget", "--budget-pct",
			      "--overcommit", "--pin-share", "--window", "--plot" });
	Trace t = load_trace(o);
	Budget b = choose_budget(o, t);
	std::vector<int> policies = parse_policy_list(
		o.get("--policies").value_or(o.get("--policy").value_or("all+opt")));
	std::uint64_t window = o.get("--window") ?
		to_u64("--window", *o.get("--window")) : 0;

	std::vector<Column> cols;
	std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> series;
	for (int p : policies) {
		SimResult r = simulate(t, p, b.pages, window);
		cols.push_back(sim_column(r));
		std::vector<std::pair<double, double>> pts;
		for (std::size_t i = 0; i < r.faults_per_window.size(); i++)
			pts.push_back({ static_cast<double>(i * r.window),
					1000.0 * static_cast<double>(r.faults_per_window[i]) /
						static_cast<double>(r.window) });
		series.push_back({ policy_name(p), std::move(pts) });
	}
	add_comparisons(cols);
	describe(ctx, t, b);
	print_side_by_side(ctx, { "budget", "requests", "accesses", "hits", "faults",
				  "hit_%", "lru_faults/faults",
				  "fewer_faults_than_none_%", "pinned_peak",
				  "pinned_peak_%_of_range", "final_target" },
			   cols);
	if (auto png = o.get("--plot"))
		plot(ctx, *png, "VPRI simulator: faults over logical time",
		     "page accesses", "faults per 1000 page accesses", series);
	return exit_ok;
}

double kv_num(const KeyValues &kv, const std::string &key)
{
	const std::string *v = kv.find(key);
	auto n = v ? parse_u64(*v) : std::nullopt;
	return n ? static_cast<double>(*n) : 0.0;
}

std::string us(const KeyValues &kv, const std::string &key)
{
	const std::string *v = kv.find(key);
	auto n = v ? parse_u64(*v) : std::nullopt;
	return n ? fixed(static_cast<double>(*n) / 1000.0, 1) : "-";
}

// Fault round-trip percentiles from debugfs vpri/<id>/latency: all faults,
// those that did not swap in, those that did.
void add_round_trips(Column &c, const RunResult &r)
{
	for (const char *h : { "all", "noswap", "swapin" }) {
		std::string pre = std::string(h) + ".";
		if (kv_num(r.latency, pre + "count") == 0)
			continue;
		for (const char *q : { "p50", "p99", "p999", "p9999" })
			c.cells["rt_" + std::string(h) + "_" + q + "_us"] =
				us(r.latency, pre + q + "_ns");
		c.cells["rt_" + std::string(h) + "_mean_us"] =
			us(r.latency, pre + "mean_ns");
	}
}

// --backend cpu|edu and --batch N into @ro; returns the backend's name.
std::string set_backend(const Opts &o, RunOptions &ro)
{
	std::string backend = o.get("--backend").value_or("cpu");
	if (backend != "cpu" && backend != "edu")
		usage_error("--backend is cpu or edu");
	ro.edu = backend == "edu";
	if (auto v = o.get("--batch")) {
		ro.batch = static_cast<std::uint32_t>(to_u64("--batch", *v));
		if (!ro.batch || ro.batch > 4096)
			usage_error("--batch is 1..4096");
	}
	return backend;
}

int run_run(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv,
			    { "--no-fill", "--no-cgroup", "--no-check" },
			    { "--workload", "--set", "--pages", "--accesses", "--seed",
			      "--policies", "--policy", "--budget", "--budget-pct",
			      "--overcommit", "--pin-share", "--backend", "--batch",
			      "--memory-max-pct", "--cpu-touch", "--plot" });
	Trace t = load_trace(o);
	Budget b = choose_budget(o, t);
	std::vector<int> policies = parse_policy_list(
		o.get("--policies").value_or(o.get("--policy").value_or("all")));
	RunOptions ro;
	std::string backend = set_backend(o, ro);
	ro.fill = !o.has("--no-fill");
	if (auto v = o.get("--cpu-touch"))
		ro.cpu_touch = static_cast<std::uint32_t>(to_u64("--cpu-touch", *v));
	double backed = -1;
	if (auto v = o.get("--memory-max-pct"))
		backed = to_double("--memory-max-pct", *v);
	else if (b.overcommit && !o.has("--no-cgroup"))
		backed = 100 - *b.overcommit;
	if (backed > 0)
		ro.memory_max = static_cast<std::uint64_t>(
			static_cast<double>(t.pages) * page_size * backed / 100);

	std::vector<Column> cols;
	std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> series;
	bool all_match = true;
	for (int p : policies) {
		if (p == policy_opt)
			continue;
		RunResult r = run_trace(t, p, b.pages, ro);
		Column c{ p, {}, {}, {} };
		set(c, "domain", static_cast<double>(r.domain_id));
		set(c, "budget", r.budget);
		set(c, "requests", static_cast<double>(r.requests));
		set(c, "accesses", static_cast<double>(r.accesses));
		set(c, "hits", static_cast<double>(r.hits));
		set(c, "faults", static_cast<double>(r.faults));
		c.cells["hit_%"] = pct(r.hits, r.accesses);
		// "bpf": the simulator has no program, so it runs as lru: it is
		// checked when the program never picked another page than the
		// oldest (no program, or one that is lru).
		bool decided = p == VPRI_POLICY_BPF && kv_num(r.stats, "chosen_newer") > 0;
		if (p == VPRI_POLICY_BPF) {
			set(c, "bpf_choices", kv_num(r.stats, "choices"));
			set(c, "bpf_chosen_newer", kv_num(r.stats, "chosen_newer"));
		}
		if (!o.has("--no-check") && decided) {
			c.cells["sim_match"] = "-";
		} else if (!o.has("--no-check")) {
			SimResult s = simulate(t, p, b.pages);
			set(c, "sim_faults", static_cast<double>(s.faults));
			bool match = s.faults == r.faults && s.hits == r.hits;
			c.cells["sim_match"] = match ? "yes" : "NO";
			all_match &= match;
		}
		set(c, "pinned_peak", static_cast<double>(r.peak_pinned));
		c.cells["pinned_peak_%_of_range"] = pct(r.peak_pinned, r.pages);
		set(c, "pins", static_cast<double>(r.pins));
		set(c, "unpins", static_cast<double>(r.unpins));
		set(c, "swapins", static_cast<double>(r.swapins));
		c.cells["seconds"] = fixed(r.seconds, 2);
		c.cells["faults_per_s"] = r.seconds > 0 ?
			std::to_string(std::llround(static_cast<double>(r.faults) / r.seconds)) : "-";
		add_round_trips(c, r);
		double tests = kv_num(r.stats, "bitmap_tests");
		double updates = kv_num(r.stats, "bitmap_updates");
		if (tests > 0)
			c.cells["bitmap_test_ns"] =
				fixed(kv_num(r.stats, "bitmap_test_ns_total") / tests, 1);
		if (updates > 0)
			c.cells["bitmap_update_ns"] =
				fixed(kv_num(r.stats, "bitmap_update_ns_total") / updates, 1);
		// faults per second over time, from the rate bins
		double bin_s = kv_num(r.rate, "bin_ms") / 1000.0;
		std::vector<std::pair<double, double>> pts;
		for (std::uint64_t i = 0; i < kv_num(r.rate, "bins") && bin_s > 0; i++)
			pts.push_back({ static_cast<double>(i) * bin_s,
					kv_num(r.rate, std::to_string(i)) / bin_s });
		series.push_back({ policy_name(p), std::move(pts) });
		cols.push_back(std::move(c));
	}
	add_comparisons(cols);
	describe(ctx, t, b);
	if (!ctx.json) {
		ctx.out << "backend: " << backend << ", batch " << ro.batch
			<< ", CPU writes " << ro.cpu_touch << " pages per batch";
		if (ro.memory_max)
			ctx.out << ", cgroup memory.max " << *ro.memory_max << " bytes ("
				<< pct(static_cast<double>(*ro.memory_max),
				       static_cast<double>(t.pages) * page_size)
				<< "% of the range)";
		ctx.out << "\n";
	}
	print_side_by_side(ctx, { "domain", "budget", "requests", "accesses", "hits",
				  "faults", "sim_faults", "sim_match", "bpf_choices",
				  "bpf_chosen_newer", "hit_%", "lru_faults/faults", "fewer_faults_than_none_%",
				  "pinned_peak", "pinned_peak_%_of_range", "pins",
				  "unpins", "swapins", "seconds", "faults_per_s",
				  "rt_all_p50_us", "rt_all_p99_us", "rt_all_p999_us",
				  "rt_all_p9999_us", "rt_all_mean_us",
				  "rt_noswap_p50_us", "rt_noswap_p99_us",
				  "rt_noswap_mean_us", "rt_swapin_p50_us",
				  "rt_swapin_p99_us", "rt_swapin_mean_us",
				  "bitmap_test_ns", "bitmap_update_ns" },
			   cols);
	if (auto png = o.get("--plot"))
		plot(ctx, *png, "VPRI in the kernel: I/O page faults per second",
		     "seconds", "faults per second", series);
	if (!all_match) {
		ctx.err << "vpri: the kernel's fault count differs from the simulator's\n";
		return exit_failure;
	}
	return exit_ok;
}

// "reclaim,adp,hint" -> the on-demand mode's HPMM_VPRI_POLICY_*.
std::vector<int> parse_on_demand_list(std::string_view list)
{
	std::vector<int> out;
	for (std::string_view name : split_list(list)) {
		auto id = parse_on_demand_policy(name);
		if (!id)
			usage_error("unknown on-demand policy '" + std::string(name) +
				    "' (reclaim, adp, hint, adp-hint)");
		out.push_back(*id);
	}
	if (out.empty())
		usage_error("no policy given");
	return out;
}

// a / b with two decimals; "inf" when only b is 0, "1.00" when both are.
std::string quotient(double a, double b)
{
	if (b <= 0)
		return a > 0 ? "inf" : "1.00";
	return fixed(a / b, 2);
}

// vpri reclaim: the on-demand mode against the kernel's own reclaim. The
// "VM" is one process: the registered range is its memory, the device
// accesses the trace's pages, the CPU touches the others (its own working
// set, Zipf-skewed) and reads the start of every buffer the device wrote;
// the process runs in a memory cgroup whose memory.max backs
// (100 - overcommit)% of the range, with swap. Every policy runs the same
// trace in a fresh cgroup; the RESULT line compares reclaim with adp.
int run_reclaim(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv, {},
			    { "--workload", "--set", "--pages", "--accesses", "--seed",
			      "--policies", "--budget", "--budget-pct", "--pin-share",
			      "--overcommit", "--backend", "--batch", "--cpu-touch",
			      "--cpu-skew", "--header", "--name" });
	if (!o.get("--overcommit"))
		usage_error("reclaim needs --overcommit X (the cgroup backs 100-X% of the range)");
	Trace t = load_trace(o);
	Budget b = choose_budget(o, t);
	std::vector<int> policies =
		parse_on_demand_list(o.get("--policies").value_or("reclaim,adp,hint,adp-hint"));
	std::string name = o.get("--name").value_or(
		o.get("--workload").value_or(o.positional.empty() ? "trace" :
			std::filesystem::path(o.positional[0]).stem().string()));
	RunOptions ro;
	ro.on_demand = true;
	std::string backend = set_backend(o, ro);
	// By default the CPU touches one page of its own per device access.
	ro.cpu_touch = o.get("--cpu-touch") ?
		static_cast<std::uint32_t>(to_u64("--cpu-touch", *o.get("--cpu-touch"))) :
		ro.batch;
	ro.cpu_skew = o.get("--cpu-skew") ?
		to_double("--cpu-skew", *o.get("--cpu-skew")) : 0.99;
	ro.header_bytes = o.get("--header") ?
		static_cast<std::uint32_t>(to_u64("--header", *o.get("--header"))) : 64;
	if (auto v = o.get("--seed"))
		ro.seed = to_u64("--seed", *v);
	if (*b.overcommit > 0)
		ro.memory_max = static_cast<std::uint64_t>(
			static_cast<double>(t.pages) * page_size * (100 - *b.overcommit) / 100);

	std::vector<Column> cols;
	for (int p : policies) {
		RunResult r = run_trace(t, p, b.pages, ro);
		Column c{ p, {}, {}, on_demand_policy_name(p) };
		set(c, "domain", static_cast<double>(r.domain_id));
		set(c, "budget", r.budget);
		set(c, "requests", static_cast<double>(r.requests));
		set(c, "accesses", static_cast<double>(r.accesses));
		set(c, "iopf", static_cast<double>(r.faults));
		// Every page's first access faults, whatever the policy.
		set(c, "first_touch_iopf", t.footprint());
		set(c, "refaults", static_cast<double>(r.faults) - t.footprint());
		c.cells["hit_%"] = pct(r.hits, r.accesses);
		set(c, "invalidations", static_cast<double>(r.invalidations));
		set(c, "swapins", static_cast<double>(r.swapins));
		set(c, "pinned_peak", static_cast<double>(r.peak_pinned));
		set(c, "pinned_peak_%_of_range", 100.0 * static_cast<double>(r.peak_pinned) /
							 std::max<double>(1, r.pages), 2);
		set(c, "pins", static_cast<double>(r.pins));
		set(c, "scans", static_cast<double>(r.scans));
		set(c, "marks", static_cast<double>(r.marks));
		set(c, "cpu_touches", static_cast<double>(r.cpu_touches));
		set(c, "header_reads", static_cast<double>(r.header_reads));
		set(c, "cpu_majflt", static_cast<double>(r.cpu_majflt));
		c.cells["seconds"] = fixed(r.seconds, 2);
		add_round_trips(c, r);
		cols.push_back(std::move(c));
	}
	const Column *rec = nullptr, *adp = nullptr;
	for (const Column &c : cols) {
		if (c.policy == HPMM_VPRI_POLICY_RECLAIM)
			rec = &c;
		if (c.policy == HPMM_VPRI_POLICY_ADP)
			adp = &c;
	}
	for (Column &c : cols) {
		if (!rec)
			break;
		c.cells["reclaim_iopf/iopf"] = quotient(rec->nums.at("iopf"), c.nums.at("iopf"));
		c.cells["reclaim_refaults/refaults"] =
			quotient(rec->nums.at("refaults"), c.nums.at("refaults"));
		if (rec->nums.at("iopf") > 0)
			c.cells["fewer_iopf_than_reclaim_%"] =
				fixed(100.0 * (1 - c.nums.at("iopf") / rec->nums.at("iopf")), 2);
		c.cells["cpu_majflt/reclaim's"] =
			quotient(c.nums.at("cpu_majflt"), rec->nums.at("cpu_majflt"));
		// No policy faults less than once per page: the best ratio
		// any can reach on this trace.
		c.cells["best_possible_ratio"] =
			quotient(rec->nums.at("iopf"), t.footprint());
	}
	if (!ctx.json) {
		describe(ctx, t, b);
		ctx.out << "on-demand mode, backend " << backend << ", batch " << ro.batch
			<< "; the CPU touches " << ro.cpu_touch << " pages of its own per batch (Zipf "
			<< fixed(*ro.cpu_skew, 2) << ") and reads " << ro.header_bytes
			<< " bytes of every buffer the device wrote";
		if (ro.memory_max)
			ctx.out << "; cgroup memory.max " << *ro.memory_max << " bytes";
		ctx.out << "\n";
	}
	print_side_by_side(ctx, { "domain", "budget", "requests", "accesses", "iopf",
				  "first_touch_iopf", "refaults", "hit_%", "reclaim_iopf/iopf",
				  "reclaim_refaults/refaults", "best_possible_ratio",
				  "fewer_iopf_than_reclaim_%",
				  "invalidations", "swapins", "pinned_peak",
				  "pinned_peak_%_of_range", "pins", "scans", "marks",
				  "cpu_touches", "header_reads", "cpu_majflt",
				  "cpu_majflt/reclaim's", "seconds",
				  "rt_all_p50_us", "rt_all_p99_us", "rt_all_p999_us",
				  "rt_all_mean_us", "rt_noswap_p50_us", "rt_noswap_p99_us",
				  "rt_swapin_p50_us", "rt_swapin_p99_us" },
			   cols);
	if (rec && adp && !ctx.json)
		ctx.out << "RESULT workload=" << name << " overcommit="
			<< fixed(*b.overcommit, 0) << " reclaim_iopf="
			<< std::llround(rec->nums.at("iopf")) << " adp_iopf="
			<< std::llround(adp->nums.at("iopf")) << " ratio="
			<< quotient(rec->nums.at("iopf"), adp->nums.at("iopf"))
			<< " adp_pinned_peak_pct=" << adp->cells.at("pinned_peak_%_of_range")
			<< " cpu_majflt_ratio="
			<< quotient(adp->nums.at("cpu_majflt"), rec->nums.at("cpu_majflt")) << "\n";
	return exit_ok;
}

int run_gen(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv, {}, { "--set", "--pages", "--accesses", "--seed", "-o" });
	if (o.positional.size() != 1)
		usage_error("gen takes nic or block");
	Opts w = o;
	w.positional.clear();
	w.values["--workload"] = o.positional[0];
	Trace t = load_trace(w);
	auto out = o.get("-o");
	if (!out || *out == "-")
		write_trace(ctx.out, t);
	else
		write_trace(*out, t);
	return exit_ok;
}

int run_stats(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv, {}, {});
	Debugfs fs = ctx.debugfs();
	std::vector<std::string> ids = o.positional;
	if (ids.empty()) {
		for (const std::string &d : fs.list_dirs("vpri"))
			if (parse_u64(d))
				ids.push_back(d);
		std::sort(ids.begin(), ids.end(), [](const std::string &a, const std::string &b) {
			return *parse_u64(a) < *parse_u64(b);
		});
	}
	if (ids.empty()) {
		if (!ctx.json)
			ctx.out << "no VPRI domain statistics (register one, or they were forgotten)\n";
		else
			ctx.out << "[]\n";
		return exit_ok;
	}
	std::vector<std::string> rows;
	std::vector<Column> cols;
	for (const std::string &id : ids) {
		KeyValues st = fs.read_kv("vpri/" + id + "/stats");
		KeyValues lat = fs.read_kv("vpri/" + id + "/latency");
		auto pol = parse_policy(st.get("policy"));
		Column c{ pol.value_or(0), {}, {}, {} };
		c.cells["domain"] = id;
		auto add = [&](const std::string &k, const std::string &v) {
			c.cells[k] = v;
			if (std::find(rows.begin(), rows.end(), k) == rows.end())
				rows.push_back(k);
		};
		add("domain", id);
		for (const auto &[k, v] : st)
			if (k != "policy")
				add(k, v);
		for (const char *q : { "p50", "p99", "p999", "p9999" })
			add(std::string("rt_all_") + q + "_us", us(lat, std::string("all.") + q + "_ns"));
		cols.push_back(std::move(c));
	}
	print_side_by_side(ctx, rows, cols);
	return exit_ok;
}

int run_bench(Context &ctx, std::span<const std::string> argv)
{
	Opts o = parse_args(ctx, argv, {}, { "--pages", "--iters" });
	std::uint64_t pages = o.get("--pages") ? to_u64("--pages", *o.get("--pages")) : 65536;
	std::uint64_t iters = o.get("--iters") ? to_u64("--iters", *o.get("--iters")) : 1000000;
	Debugfs fs = ctx.debugfs();
	// The benchmark is hpmm_test.ko's: debugfs hpmm_test/, beside hpmm/.
	if (!fs.exists("../hpmm_test/vpri/control"))
		throw Error(ErrorKind::environment,
			    "vpri bench: hpmm_test.ko is not loaded (it has the benchmark)");
	fs.write("../hpmm_test/vpri/control",
		 "bench " + std::to_string(pages) + " " + std::to_string(iters));
	KeyValues b = fs.read_kv("../hpmm_test/vpri/bench");
	double loop = kv_num(b, "loop_ps") / 1000, test = kv_num(b, "test_ps") / 1000,
	       upd = kv_num(b, "update_ps") / 1000;
	std::vector<std::pair<std::string, std::string>> f = {
		{ "pages", b.get("pages") },
		{ "iterations", b.get("iters") },
		{ "loop_ns", fixed(loop, 2) },
		{ "bitmap_test_ns", fixed(test, 2) },
		{ "bitmap_update_ns", fixed(upd, 2) },
		{ "bitmap_test_ns_net", fixed(std::max(0.0, test - loop), 2) },
		{ "bitmap_update_ns_net", fixed(std::max(0.0, upd - loop), 2) },
	};
	if (ctx.json) {
		Json j = Json::object();
		for (const auto &[k, v] : f)
			j[k] = json_value(v);
		print_json(ctx.out, j);
	} else {
		print_fields(ctx.out, f);
	}
	return exit_ok;
}

int run_vpri(Context &ctx, std::span<const std::string> args)
{
	if (args.empty())
		usage_error("vpri needs a subcommand: gen, simulate, run, reclaim, stats, bench");
	const std::string &sub = args[0];
	auto rest = args.subspan(1);
	if (sub == "gen")
		return run_gen(ctx, rest);
	if (sub == "simulate" || sub == "sim")
		return run_simulate(ctx, rest);
	if (sub == "run")
		return run_run(ctx, rest);
	if (sub == "reclaim")
		return run_reclaim(ctx, rest);
	if (sub == "stats")
		return run_stats(ctx, rest);
	if (sub == "bench")
		return run_bench(ctx, rest);
	if (sub == "--help" || sub == "-h" || sub == "--json" || sub == "-j")
		parse_args(ctx, args.subspan(0, 1));
	usage_error("unknown vpri subcommand '" + sub + "'");
}

} // namespace

Command vpri_command()
{
	return {
		.name = "vpri",
		.summary = "VPRI pinning service: workloads, simulator, runs, stats",
		.usage =
			"hpmmctl vpri gen nic|block [--set K=V,...] [--pages N] [--accesses N] [--seed S] [-o FILE]\n"
			"hpmmctl vpri simulate TRACE|--workload nic|block [WORKLOAD] [POLICY] [BUDGET] [--window N] [--plot PNG]\n"
			"hpmmctl vpri run TRACE|--workload nic|block [WORKLOAD] [POLICY] [BUDGET] [RUN] [--plot PNG]\n"
			"hpmmctl vpri reclaim TRACE|--workload nic|block [WORKLOAD] --overcommit X\n"
			"        [--policies reclaim,adp,hint,adp-hint] [BUDGET] [--backend cpu|edu] [--batch N]\n"
			"        [--cpu-touch N] [--cpu-skew S] [--header BYTES] [--name NAME]\n"
			"hpmmctl vpri stats [DOMAIN...]\n"
			"hpmmctl vpri bench [--pages N] [--iters N]   (needs hpmm_test.ko)\n"
			"\n"
			"WORKLOAD: --set K=V,... (generator parameters), --pages, --accesses, --seed\n"
			"POLICY:   --policies LIST  none,all,lru,clock,arc,adp (+ opt in simulate);\n"
			"          'all' = every kernel policy (run default), 'all+opt' (simulate default)\n"
			"BUDGET:   --budget PAGES | --budget-pct P | --pin-share S\n"
			"          (default: S=5% of the registered range, whatever the overcommit)\n"
			"          --overcommit X: the host backs (100-X)% of the range (run: cgroup)\n"
			"RUN:      --backend cpu|edu, --batch N (256), --no-fill, --no-cgroup,\n"
			"          --memory-max-pct P (cgroup memory.max; default 100-X with --overcommit),\n"
			"          --cpu-touch N (pages the CPU writes between batches: memory\n"
			"          pressure), --no-check (skip the simulator cross-check)\n"
			"\n"
			"reclaim: the on-demand mode (reclaim, adp, hint, adp-hint) in a cgroup backing\n"
			"(100-X)% of the range with swap; the CPU touches N pages of its own per\n"
			"batch (default: the batch size; Zipf S, default 0.99, over the pages the\n"
			"trace leaves it) and reads BYTES (64) of every buffer the device wrote.\n"
			"Prints a RESULT line comparing reclaim with adp.\n"
			"\n"
			"Prints one table with every policy side by side; run exits 1 when the\n"
			"kernel's fault count differs from the simulator's. --plot writes a PNG of\n"
			"faults over time through gnuplot (with PNG.dat and PNG.gp beside it).\n"
			"Trace format and workloads: Documentation/vpri.rst.\n",
		.run = run_vpri,
	};
}

} // namespace hpmm::ctl
