// SPDX-License-Identifier: GPL-2.0
// hpmmctl hpa: HPA, the hugepage-backed page pool, and its twin on the
// kernel's page_pool (Documentation/hpa.rst). hpmm.ko shows every pool's
// counters (debugfs hpmm/hpa/); hpmm_test.ko creates pools with receive
// models, runs them and benchmarks (debugfs hpmm_test/hpa/).
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "hpmm/json.hpp"
#include "hpmm/table.hpp"

#include "cli.hpp"
#include "report.hpp"

namespace hpmm::ctl {

namespace {

using hpa::control;

bool pool_exists(const Debugfs &fs, const std::string &name)
{
	return fs.exists(hpa::core_pool_dir(name)) ||
	       fs.exists(hpa::test_pool_dir(name));
}

// One pool as hpa::merge_pool() sees it; a pool that neither module lists
// is an error naming it.
KeyValues pool_stats(const Debugfs &fs, const std::string &name)
{
	std::optional<KeyValues> core, test;
	if (fs.exists(hpa::core_pool_dir(name)))
		core = fs.read_kv(hpa::core_pool_dir(name) + "/stats");
	if (fs.exists(hpa::test_pool_dir(name)))
		test = fs.read_kv(hpa::test_pool_dir(name) + "/stats");
	if (!core && !test)
		throw Error(ErrorKind::operation, "hpmm: no HPA pool '" + name + "'");
	return hpa::merge_pool(core ? &*core : nullptr, test ? &*test : nullptr);
}

// Commands go to hpmm_test.ko, which may not be loaded.
void write_control(const Debugfs &fs, const std::string &cmd)
{
	if (!fs.exists(control))
		throw Error(ErrorKind::environment,
			    "hpmm: hpmm_test is not loaded (insmod hpmm_test.ko): "
			    "it creates and drives HPA pools");
	fs.write(control, cmd + "\n");
}

// create_command() and friends throw std::invalid_argument: a usage error.
template <typename F> std::string checked(F &&build)
{
	try {
		return build();
	} catch (const std::invalid_argument &e) {
		usage_error(e.what());
	}
}

void print_kv(Context &ctx, const KeyValues &kv)
{
	if (!ctx.json) {
		print_fields(ctx.out, kv.entries());
		return;
	}
	print_json(ctx.out, json_object(kv));
}

int list(Context &ctx, const Debugfs &fs)
{
	std::vector<std::string> names = hpa::merge_names(
		fs.list_dirs(std::string(hpa::core_dir) + "/pools"),
		fs.list_dirs(std::string(hpa::test_dir) + "/pools"));
	if (ctx.json) {
		Json json = Json::array();
		for (const std::string &name : names)
			json.push_back(json_object(pool_stats(fs, name)));
		print_json(ctx.out, json);
		return exit_ok;
	}
	if (names.empty()) {
		ctx.out << "no pools (hpmmctl hpa create NAME hpa|pp)\n";
		return exit_ok;
	}
	Table table({{"NAME"}, {"KIND"}, {"ALLOCS", Align::right},
		     {"PAGES", Align::right}, {"IOVA_RANGES", Align::right},
		     {"MAPS", Align::right}, {"MODE"}, {"STATE"}});
	for (const std::string &name : names) {
		KeyValues kv = pool_stats(fs, name);
		auto get = [&](std::string_view key) {
			const std::string *v = kv.find(key);
			return v ? *v : std::string("-");
		};
		std::string allocs = get("allocs");
		if (allocs == "-" && kv.contains("alloc_slow"))
			allocs = std::to_string(kv.get_u64("alloc_cache") +
						kv.get_u64("alloc_ring") +
						kv.get_u64("alloc_slow"));
		table.add_row({name, get("kind"), allocs, get("pages"),
			       get("iova_ranges"), get("map_calls"), get("mode"),
			       get("destroy_state")});
	}
	table.print(ctx.out);
	return exit_ok;
}

int create(Context &ctx, const std::vector<std::string> &pos)
{
	if (pos.size() < 1)
		usage_error("hpa create takes NAME [hpa|pp] [KEY=VALUE...]");
	std::string kind = "hpa";
	std::size_t first = 1;
	if (pos.size() > 1 && pos[1].find('=') == std::string::npos) {
		kind = pos[1];
		first = 2;
	}
	std::span<const std::string> params(pos.begin() + first, pos.end());
	std::string cmd = checked(
		[&] { return hpa::create_command(pos[0], kind, params); });
	Debugfs fs = ctx.debugfs();
	write_control(fs, cmd);
	if (!ctx.json)
		ctx.out << "created " << kind << " pool " << pos[0] << '\n';
	else
		print_kv(ctx, pool_stats(fs, pos[0]));
	return exit_ok;
}

// Waits for a deferred destroy; false on timeout.
bool wait_gone(Context &ctx, const Debugfs &fs, const std::string &name,
	       int seconds)
{
	std::string last;
	for (int i = 0; i < seconds * 10; i++) {
		if (!pool_exists(fs, name))
			return true;
		if (!ctx.json) {
			KeyValues kv = pool_stats(fs, name);
			std::string now = "destroy deferred: " +
					  kv.get("destroy_inflight") +
					  " pages in flight";
			if (now != last)
				ctx.out << now << '\n';
			last = now;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	return false;
}

int destroy(Context &ctx, const Args &args)
{
	const std::vector<std::string> &pos = args.positional;
	if (pos.size() != 1)
		usage_error("hpa destroy takes NAME [--wait]");
	if (!hpa::valid_name(pos[0]))
		usage_error("bad pool name '" + pos[0] + "'");
	Debugfs fs = ctx.debugfs();
	// A destroy already deferred (hpmm's now) is only waited for.
	const std::string *state = nullptr;
	KeyValues before;
	if (fs.exists(hpa::core_pool_dir(pos[0]))) {
		before = fs.read_kv(hpa::core_pool_dir(pos[0]) + "/stats");
		state = before.find("destroy_state");
	}
	if (!state || *state != "deferred")
		write_control(fs, "destroy " + pos[0]);
	bool gone = !pool_exists(fs, pos[0]);
	if (!gone && args.has("--wait")) {
		gone = wait_gone(ctx, fs, pos[0], 600);
		if (!gone)
			throw Error(ErrorKind::operation,
				    "hpmm: " + pos[0] + " still has pages in flight");
	}
	KeyValues last = fs.read_kv("hpa/last_destroy");
	if (ctx.json) {
		print_kv(ctx, gone ? last : pool_stats(fs, pos[0]));
		return exit_ok;
	}
	if (!gone) {
		ctx.out << "destroy deferred: "
			<< pool_stats(fs, pos[0]).get("destroy_inflight")
			<< " pages in flight (hpmmctl hpa stats " << pos[0]
			<< " shows the progress)\n";
		return exit_ok;
	}
	if (last.get("name") == pos[0]) {
		ctx.out << "destroyed " << pos[0] << ": " << last.get("blocks")
			<< " IOVA ranges unmapped, " << last.get("iova_checked")
			<< " IOVA pages checked, " << last.get("iova_mapped")
			<< " still mapped, " << last.get("pages_freed")
			<< " pages freed\n";
	} else {
		ctx.out << "destroyed " << pos[0] << '\n';
	}
	return exit_ok;
}

int stats(Context &ctx, const std::vector<std::string> &pos)
{
	Debugfs fs = ctx.debugfs();
	if (pos.empty()) {
		KeyValues kv = fs.read_kv("hpa/stats");
		KeyValues last = fs.read_kv("hpa/last_destroy");
		for (const auto &[key, value] : last)
			kv.set("last_destroy_" + key, value);
		// hpmm_test's: its pools with models, the jail of leaked pages.
		std::string test_stats = std::string(hpa::test_dir) + "/stats";
		if (fs.exists(test_stats))
			for (const auto &[key, value] : fs.read_kv(test_stats))
				kv.set("test_" + key, value);
		print_kv(ctx, kv);
		return exit_ok;
	}
	if (pos.size() != 1)
		usage_error("hpa stats takes [NAME]");
	if (!hpa::valid_name(pos[0]))
		usage_error("bad pool name '" + pos[0] + "'");
	print_kv(ctx, pool_stats(fs, pos[0]));
	return exit_ok;
}

int run(Context &ctx, const std::vector<std::string> &pos)
{
	if (pos.size() < 2)
		usage_error("hpa run takes NAME STEPS [KEY=VALUE...]");
	auto steps = parse_u64(pos[1]);
	if (!steps)
		usage_error("STEPS must be a decimal number, got '" + pos[1] + "'");
	std::span<const std::string> params(pos.begin() + 2, pos.end());
	std::string cmd = checked(
		[&] { return hpa::run_command(pos[0], *steps, params); });
	Debugfs fs = ctx.debugfs();
	write_control(fs, cmd);
	print_kv(ctx, pool_stats(fs, pos[0]));
	return exit_ok;
}

// The bench's KEY=VALUE words, split by where they go.
struct BenchArgs {
	std::string kernel = "bench";	// the CPU-cost bench command
	std::string create;		// extra create parameters (desc, dev)
	std::vector<std::string> model;	// run parameters
	std::uint64_t steps = 100000;
	bool run_model = true;
};

BenchArgs bench_args(const std::vector<std::string> &pos)
{
	BenchArgs b;
	bool have_n = false, have_reps = false;
	// A leaky driver by default: 1% leaked, dropped 20000 packets later.
	std::vector<std::string> model = {"backend=cpu", "len=64",
					  "ring_ppm=300000", "leak_ppm=10000",
					  "leak_steps=20000"};
	for (const std::string &w : pos) {
		std::size_t eq = w.find('=');
		if (eq == std::string::npos || eq == 0 || eq + 1 == w.size())
			usage_error("not a KEY=VALUE word: '" + w + "'");
		std::string key = w.substr(0, eq), value = w.substr(eq + 1);
		if (key == "paths") {
			auto mask = hpa::paths_mask(value);
			if (!mask)
				usage_error("paths is a list of cache,ring,backup,inject");
			b.kernel += " paths=" + std::to_string(*mask);
		} else if (key == "n" || key == "reps") {
			b.kernel += " " + w;
			(key == "n" ? have_n : have_reps) = true;
		} else if (key == "dev") {
			b.kernel += " " + w;
			b.create += " " + w;
		} else if (key == "desc") {
			b.create += " " + w;
		} else if (key == "steps") {
			auto s = parse_u64(value);
			if (!s)
				usage_error("steps must be a decimal number");
			b.steps = *s;
			b.run_model = *s > 0;
		} else {
			std::erase_if(model, [&](const std::string &m) {
				return m.starts_with(key + "=");
			});
			model.push_back(w);
		}
	}
	if (!have_n)
		b.kernel += " n=1000000";
	if (!have_reps)
		b.kernel += " reps=5";
	b.model = std::move(model);
	return b;
}

void print_bench(Context &ctx, const KeyValues &bench,
		 const std::vector<hpa::CompareRow> &cmp)
{
	std::vector<hpa::BenchRow> rows = hpa::bench_rows(bench);
	if (ctx.json) {
		auto ns = [](const std::string &text) {
			return json_number(hpa::parse_ns(text).value_or(0));
		};
		Json paths = Json::array();
		for (const hpa::BenchRow &r : rows)
			paths.push_back({{"path", r.path},
					 {"hpa_ns", ns(r.hpa_ns)},
					 {"page_pool_ns", ns(r.pp_ns)},
					 {"hpa_min_ns", ns(r.hpa_min_ns)},
					 {"page_pool_min_ns", ns(r.pp_min_ns)}});
		Json model = Json::array();
		for (const hpa::CompareRow &r : cmp)
			model.push_back({{"metric", r.metric},
					 {"hpa", json_value(r.hpa)},
					 {"page_pool", json_value(r.pp)}});
		Json json = Json::object();
		json["cpu"] = {{"n", json_value(bench.get("n"))},
			       {"reps", json_value(bench.get("reps"))},
			       {"paths", std::move(paths)}};
		json["model"] = std::move(model);
		print_json(ctx.out, json);
		return;
	}
	ctx.out << "CPU cost, ns per alloc+recycle (median and best of "
		<< bench.get("reps") << " alternating runs)\n";
	Table t({{"PATH"}, {"HPA", Align::right}, {"PAGE_POOL", Align::right},
		 {"HPA/PAGE_POOL", Align::right}, {"HPA_BEST", Align::right},
		 {"PAGE_POOL_BEST", Align::right}});
	for (const hpa::BenchRow &r : rows)
		t.add_row({r.path, r.hpa_ns, r.pp_ns, r.ratio, r.hpa_min_ns,
			   r.pp_min_ns});
	t.print(ctx.out);
	if (cmp.empty())
		return;
	ctx.out << "\nThe same receive model on both pools\n";
	Table m({{"METRIC"}, {"HPA", Align::right}, {"PAGE_POOL", Align::right}});
	for (const hpa::CompareRow &r : cmp)
		m.add_row({r.metric, r.hpa, r.pp});
	m.print(ctx.out);
}

int bench(Context &ctx, const std::vector<std::string> &pos)
{
	BenchArgs b = bench_args(pos);
	Debugfs fs = ctx.debugfs();
	write_control(fs, b.kernel);
	KeyValues result = fs.read_kv(std::string(hpa::test_dir) + "/bench");

	std::vector<hpa::CompareRow> cmp;
	if (b.run_model) {
		const std::string names[2] = {"hpmmctl_bench_hpa", "hpmmctl_bench_pp"};
		const char *kinds[2] = {"hpa", "pp"};
		KeyValues stats[2];
		for (int i = 0; i < 2; i++) {
			if (fs.exists(hpa::test_pool_dir(names[i])))
				write_control(fs, "destroy " + names[i]);
			write_control(fs, "create " + names[i] + " " + kinds[i] +
						  b.create);
		}
		try {
			for (int i = 0; i < 2; i++) {
				write_control(fs, checked([&] {
						 return hpa::run_command(
							 names[i], b.steps, b.model);
					 }));
				stats[i] = pool_stats(fs, names[i]);
			}
		} catch (...) {
			for (const std::string &name : names)
				write_control(fs, "destroy " + name);
			throw;
		}
		for (const std::string &name : names)
			write_control(fs, "destroy " + name);
		cmp = hpa::compare_rows(stats[0], stats[1]);
	}
	print_bench(ctx, result, cmp);
	return exit_ok;
}

int run_hpa(Context &ctx, std::span<const std::string> argv)
{
	Args args = parse_args(ctx, argv, {"--wait"});
	std::vector<std::string> &pos = args.positional;
	std::string sub = pos.empty() ? "list" : pos.front();
	if (!pos.empty())
		pos.erase(pos.begin());
	if (sub != "destroy" && args.has("--wait"))
		usage_error("--wait goes with destroy");

	if (sub == "list") {
		if (!pos.empty())
			usage_error("hpa list takes no arguments");
		return list(ctx, ctx.debugfs());
	}
	if (sub == "create")
		return create(ctx, pos);
	if (sub == "destroy")
		return destroy(ctx, args);
	if (sub == "stats")
		return stats(ctx, pos);
	if (sub == "run")
		return run(ctx, pos);
	if (sub == "bench")
		return bench(ctx, pos);
	usage_error("unknown hpa command '" + sub + "'");
}

} // namespace

Command hpa_command()
{
	return {
		.name = "hpa",
		.summary = "hugepage-backed page pools against the kernel's "
			   "page_pool: create, run, stats, bench",
		.usage = "hpmmctl hpa [list] [--json]\n"
			 "hpmmctl hpa create NAME [hpa|pp] [KEY=VALUE...] [--json]\n"
			 "hpmmctl hpa destroy NAME [--wait] [--json]\n"
			 "hpmmctl hpa stats [NAME] [--json]\n"
			 "hpmmctl hpa run NAME STEPS [KEY=VALUE...] [--json]\n"
			 "hpmmctl hpa bench [KEY=VALUE...] [--json]\n"
			 "\n"
			 "list     every pool: hpmm's HPA pools (a driver's too) "
			 "and hpmm_test's\n"
			 "create   a pool (hpa: HPA; pp: the kernel's page_pool) "
			 "with a receive\n"
			 "         model, through hpmm_test.ko; keys dev ring cache "
			 "order backup scan\n"
			 "         verify sync desc nid\n"
			 "run      STEPS packets through the model; keys backend "
			 "(none|cpu|edu) len\n"
			 "         ring_ppm hold_ppm leak_ppm hold_steps leak_steps "
			 "leak_ms seed\n"
			 "         verify_data\n"
			 "destroy  a pool; an HPA pool with pages in flight is "
			 "destroyed later\n"
			 "         (--wait waits for it)\n"
			 "stats    one pool's counters, or the module-wide ones and "
			 "the last destroy\n"
			 "bench    CPU cost per path, HPA and page_pool alternating "
			 "(n=1000000 reps=5\n"
			 "         paths=cache,ring,backup,inject dev=0), then the "
			 "same leaky receive\n"
			 "         model on both (steps=100000, 0 to skip; desc= and "
			 "run keys)\n",
		.run = run_hpa,
	};
}

} // namespace hpmm::ctl
