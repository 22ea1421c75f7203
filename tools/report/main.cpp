// SPDX-License-Identifier: GPL-2.0
// hpmm-report OUT_DIR: runs each component's benchmark (scripts/bench/*,
// which boot the guest themselves), keeps their output and data under
// OUT_DIR, draws the plots with gnuplot and writes OUT_DIR/index.html.
// A host command: it needs the project tree, not the module.
//
// OUT_DIR/steps.tsv    one line per step: name, exit status, seconds, command
// OUT_DIR/report.txt   mode, date, host, project root, total seconds
// OUT_DIR/NAME.log     the step's output (stdout and stderr)
// OUT_DIR/data/vpri/   the vpri benchmark's tables and time series
// OUT_DIR/*.png        the plots, each with its .gp script and .dat data
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

#include "hpmm/error.hpp"
#include "hpmm/process.hpp"
#include "render.hpp"
#include "report_lib.hpp"

namespace hpmm::report {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Where the report talks: progress and problems on err, the summary on out.
struct Context {
	std::ostream &out;
	std::ostream &err;
};

struct Options {
	fs::path out;
	fs::path from;
	fs::path root;
	std::string only;
	bool quick = false;
};

bool is_root(const fs::path &dir)
{
	std::error_code ec;
	return fs::exists(dir / "scripts/bench", ec) &&
	       fs::exists(dir / "qemu-env/run", ec);
}

// --root, $HPMM_ROOT, else the tree hpmm-report was built in, else an
// ancestor of the working directory.
fs::path find_root(const fs::path &opt)
{
	if (!opt.empty()) {
		if (!is_root(opt))
			throw Error(ErrorKind::usage,
				    "report: " + opt.string() +
					    " is not the hpmm tree (no "
					    "scripts/bench, qemu-env/run)");
		return fs::absolute(opt);
	}
	if (const char *env = std::getenv("HPMM_ROOT"); env && is_root(env))
		return fs::absolute(env);
	std::error_code ec;
	std::vector<fs::path> starts;
	fs::path exe = fs::read_symlink("/proc/self/exe", ec);
	if (!ec)
		starts.push_back(exe.parent_path());
	starts.push_back(fs::current_path(ec));
	for (fs::path p : starts)
		for (; !p.empty(); p = p.parent_path()) {
			if (is_root(p))
				return p;
			if (p == p.root_path())
				break;
		}
	throw Error(ErrorKind::environment,
		    "report: cannot find the hpmm tree (scripts/bench): run "
		    "from it or give --root DIR");
}

std::string read_file(const fs::path &p)
{
	std::ifstream in(p, std::ios::binary);
	if (!in)
		return {};
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

void write_file(const fs::path &p, std::string_view text)
{
	std::ofstream f(p, std::ios::binary | std::ios::trunc);
	f << text;
	if (!f.flush())
		throw Error(ErrorKind::operation, "report: cannot write " +
							  p.string());
}

std::string utc_now()
{
	std::time_t t = std::time(nullptr);
	std::tm tm{};
	gmtime_r(&t, &tm);
	char buf[64];
	std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

std::string hostname()
{
	char buf[256] = {};
	if (gethostname(buf, sizeof(buf) - 1) < 0)
		return "?";
	return buf;
}

// The step's command as shown: the defrag-map guest script is shown apart.
std::string display_command(const Step &s, const std::vector<std::string> &v)
{
	if (s.name != "defrag-map")
		return shell_join(v);
	std::vector<std::string> shown(v.begin(), v.end() - 1);
	shown.push_back("GUEST_SCRIPT");
	return shell_join(shown);
}

// Copies the vpri benchmark's tables and time series into data/vpri.
void collect_vpri(const fs::path &root, const fs::path &out,
		  const std::string &log)
{
	std::optional<std::string> dir = vpri_results_dir(log);
	if (!dir)
		return;
	fs::path src = *dir;
	if (src.is_relative())
		src = root / src;
	fs::path dst = out / "data/vpri";
	fs::create_directories(dst);
	std::error_code ec;
	for (const auto &e : fs::directory_iterator(src, ec)) {
		std::string ext = e.path().extension().string();
		if (ext == ".txt" || ext == ".dat")
			fs::copy_file(e.path(), dst / e.path().filename(),
				      fs::copy_options::overwrite_existing, ec);
	}
}

std::vector<StepResult> run_steps(Context &ctx, const Options &o,
				  const fs::path &root,
				  const std::vector<Step> &steps)
{
	for (const char *need : {"hpmm.ko", "tools/build/hpmmctl"})
		if (!fs::exists(root / need))
			throw Error(ErrorKind::environment,
				    "report: " + (root / need).string() +
					    " missing: run make module tools "
					    "first");
	std::vector<StepResult> results;
	const Clock::time_point t0 = Clock::now();
	auto total = [&] {
		return std::chrono::duration<double>(Clock::now() - t0).count();
	};
	for (std::size_t i = 0; i < steps.size(); i++) {
		const Step &s = steps[i];
		const std::vector<std::string> &argv = o.quick ? s.quick : s.full;
		StepResult r{s.name, 0, 0, display_command(s, argv)};
		ctx.err << "report: [" << i + 1 << "/" << steps.size() << "] "
			<< s.name << " (report at " << format_elapsed(total())
			<< "): " << r.command << std::endl;
		fs::path logp = o.out / (s.name + ".log");
		std::ofstream log(logp, std::ios::trunc);
		const Clock::time_point ts = Clock::now();
		auto elapsed = [&] {
			return format_elapsed(
				std::chrono::duration<double>(Clock::now() - ts)
					.count());
		};
		std::string all;
		RunHooks hooks;
		hooks.line = [&](std::string_view line) {
			log << line << '\n';
			all.append(line).push_back('\n');
			ctx.err << "  " << s.name << " " << elapsed() << " | "
				<< line << '\n';
		};
		hooks.quiet = [&](double) {
			ctx.err << "  " << s.name << " " << elapsed()
				<< " | (running, report at "
				<< format_elapsed(total()) << ")" << std::endl;
		};
		std::string error;
		r.status = run_process(argv, root, hooks, error);
		r.seconds = std::chrono::duration<double>(Clock::now() - ts)
				    .count();
		if (r.status < 0)
			log << "report: " << error << '\n';
		log.close();
		if (s.name == "vpri")
			collect_vpri(root, o.out, all);
		const char *what = r.status == 0 ? "done" :
				   r.status == 4 ? "skipped" :
						   "FAILED";
		ctx.err << "report: [" << i + 1 << "/" << steps.size() << "] "
			<< s.name << " " << what << " in "
			<< format_elapsed(r.seconds) << " (exit " << r.status
			<< ")" << (r.status < 0 ? ": " + error : "")
			<< std::endl;
		results.push_back(r);
		// After each step, so that --from can reuse a partial run.
		write_file(o.out / "steps.tsv", format_results(results));
	}
	return results;
}

// Reuses the logs and data of an earlier report directory.
std::vector<StepResult> reuse_steps(const Options &o,
				    const std::vector<Step> &steps)
{
	fs::path tsv = o.from / "steps.tsv";
	if (!fs::exists(tsv))
		throw Error(ErrorKind::operation,
			    "report: " + tsv.string() +
				    " missing: --from wants the OUT_DIR of "
				    "an earlier hpmm-report");
	std::vector<StepResult> old = parse_results(read_file(tsv));
	std::vector<StepResult> results;
	std::error_code ec;
	const bool same = fs::equivalent(o.from, o.out, ec);
	for (const Step &s : steps) {
		auto it = std::find_if(old.begin(), old.end(),
				       [&](const StepResult &r) {
					       return r.name == s.name;
				       });
		if (it == old.end())
			continue;
		results.push_back(*it);
		if (same)
			continue;
		fs::copy_file(o.from / (s.name + ".log"),
			      o.out / (s.name + ".log"),
			      fs::copy_options::overwrite_existing, ec);
		if (s.name == "vpri" && fs::exists(o.from / "data/vpri"))
			fs::copy(o.from / "data/vpri", o.out / "data/vpri",
				 fs::copy_options::recursive |
					 fs::copy_options::overwrite_existing,
				 ec);
	}
	write_file(o.out / "steps.tsv", format_results(results));
	return results;
}

// Draws the plots with gnuplot and collects what it could not draw.
class Plotter {
public:
	Plotter(const fs::path &out, std::ostream &err) : out_(out), err_(err)
	{
		gnuplot_ = find_program("gnuplot");
		if (!gnuplot_)
			return;
		fs::path probe = out_ / ".probe.gp";
		write_file(probe, "set terminal pngcairo\n");
		std::string e;
		if (run_process({gnuplot_->string(), probe.string()}, out_, {},
				e) != 0)
			terminal_ = "png";
		fs::remove(probe);
	}

	bool available() const { return gnuplot_.has_value(); }
	const std::vector<std::string> &problems() const { return problems_; }

	// Writes NAME.dat and NAME.gp, runs gnuplot: true when NAME.png exists.
	bool plot(const std::string &name, const BarChart &chart)
	{
		return draw(name, without_empty(chart));
	}
	bool plot(const std::string &name, const LineChart &chart)
	{
		return draw(name, chart);
	}

	bool block_map(const std::string &name, std::string_view blocks,
		       const std::string &title)
	{
		fs::path png = out_ / (name + ".png");
		try {
			std::vector<defrag::BlockCell> cells =
				defrag::parse_blocks(blocks);
			defrag::MapStyle style;
			style.title = title;
			style.columns = 8;
			style.cell = 48;
			std::string e = defrag::render_png(cells, png, style);
			if (!e.empty()) {
				problems_.push_back(name + ".png: " + e);
				return false;
			}
		} catch (const Error &e) {
			problems_.push_back(name + ".png: " + e.what());
			return false;
		}
		return true;
	}

private:
	template <class Chart>
	bool draw(const std::string &name, const Chart &chart)
	{
		if (!gnuplot_) {
			problems_.push_back(name + ".png: gnuplot not found "
						   "(apt-get install gnuplot-nox)");
			return false;
		}
		fs::path dat = out_ / (name + ".dat"), gp = out_ / (name + ".gp");
		fs::path png = out_ / (name + ".png");
		try {
			std::string script;
			if constexpr (std::is_same_v<Chart, BarChart>) {
				write_file(dat, bar_data(chart));
				script = bar_script(chart, dat.filename(),
						    png.filename(), terminal_);
			} else {
				write_file(dat, line_data(chart));
				script = line_script(chart, dat.filename(),
						     png.filename(), terminal_);
			}
			write_file(gp, script);
		} catch (const Error &e) {
			problems_.push_back(name + ".png: " + e.what());
			return false;
		}
		return run(gp, png);
	}

	bool run(const fs::path &gp, const fs::path &png)
	{
		std::string msg, e;
		RunHooks hooks;
		hooks.line = [&](std::string_view l) {
			msg.append(l).push_back(' ');
		};
		fs::remove(png);
		// Relative paths in the script: run in OUT_DIR.
		int rc = run_process({gnuplot_->string(), gp.filename()}, out_,
				     hooks, e);
		if (rc != 0 || !fs::exists(png)) {
			problems_.push_back(png.filename().string() +
					    ": gnuplot failed (" +
					    std::to_string(rc) + ") " + msg + e);
			return false;
		}
		err_ << "report: drew " << png.string() << '\n';
		return true;
	}

	fs::path out_;
	std::ostream &err_;
	std::optional<fs::path> gnuplot_;
	std::string terminal_ = "pngcairo";
	std::vector<std::string> problems_;
};

std::string status_text(const StepResult &r)
{
	if (r.status == 0)
		return "ok";
	if (r.status == 4)
		return "skipped (exit 4)";
	if (r.status < 0)
		return "could not start";
	return "FAILED (exit " + std::to_string(r.status) + ")";
}

void show_log(Page &page, const std::string &log)
{
	std::size_t lines = static_cast<std::size_t>(
		std::count(log.begin(), log.end(), '\n'));
	page.pre(log, "the benchmark's output (" + std::to_string(lines) +
			      " lines)",
		 lines <= 120);
}

void show_table(Page &page, const std::optional<TextTable> &t)
{
	if (t && !t->rows.empty())
		page.table(t->header, t->rows);
}

void section_hpa_iotlb(Page &page, Plotter &plot, const std::string &log)
{
	std::optional<TextTable> t = find_table(log, {"pool", "DMAs"});
	show_table(page, t);
	if (!t)
		return;
	BarChart c{"HPA: IOTLB misses per MiB of device DMA (QEMU VT-d)",
		   "IOTLB misses per MiB (log scale)", true, {}, {"misses/MiB"},
		   {}};
	for (const auto &row : t->rows) {
		c.categories.push_back(row[0]);
		std::optional<std::string> v = t->cell(row[0], "misses/MiB");
		c.values.push_back({v ? parse_number(*v) : std::nullopt});
	}
	if (plot.plot("hpa-iotlb", c))
		page.image("hpa-iotlb.png",
			   "IOTLB misses per MiB of DMA, HPA against page_pool "
			   "(log scale)");
}

void section_hpa_cpu(Page &page, Plotter &plot, const std::string &log)
{
	std::optional<TextTable> t = find_table(log, {"path", "HPA_ns"});
	show_table(page, t);
	if (!t)
		return;
	BarChart c{"HPA: CPU cost per alloc+recycle pair",
		   "ns per pair (log scale)", true, {}, {"HPA", "page_pool"},
		   {}};
	for (const auto &row : t->rows) {
		c.categories.push_back(row[0]);
		c.values.push_back({parse_number(row[1]), parse_number(row[2])});
	}
	if (plot.plot("hpa-cpu", c))
		page.image("hpa-cpu.png", "ns per alloc+recycle pair by path");
}

void section_defrag(Page &page, const std::string &log)
{
	show_table(page, find_table(log, {"VARIANT", "POLLUTION"}));
}

void section_defrag_map(Page &page, Plotter &plot, const std::string &log,
			const std::string &script)
{
	for (const char *when : {"before", "after"}) {
		std::optional<std::string> blocks =
			marked_section(log, std::string("blocks ") + when);
		if (!blocks) {
			page.note(std::string("no block map ") + when +
				  " compaction in the output");
			continue;
		}
		std::string name = std::string("defrag-map-") + when;
		if (plot.block_map(name, *blocks,
				   std::string("DEFRAG group, ") + when +
					   " compaction"))
			page.image(name + ".png",
				   std::string("the group's blocks ") + when +
					   " compaction: colour by mobility "
					   "type, shade by fullness");
		if (std::optional<std::string> map = marked_section(
			    log, std::string("map ") + when))
			page.pre(*map, std::string("text map ") + when);
	}
	page.pre(script, "the guest script", false);
}

void section_magnet(Page &page, Plotter &plot, const std::string &log)
{
	std::vector<MagnetShare> shares = parse_magnet(log);
	if (shares.empty())
		return;
	BarChart c{"MAGNET: 32 KiB groups whose 8 pages are physically "
		   "contiguous",
		   "contiguous groups (%)", false, {}, {}, {}};
	std::vector<unsigned> procs;
	for (const MagnetShare &m : shares) {
		if (std::find(procs.begin(), procs.end(), m.procs) ==
		    procs.end())
			procs.push_back(m.procs);
		if (std::find(c.series.begin(), c.series.end(), m.memory) ==
		    c.series.end())
			c.series.push_back(m.memory);
	}
	for (unsigned p : procs) {
		c.categories.push_back("procs=" + std::to_string(p));
		std::vector<std::optional<double>> row(c.series.size());
		for (const MagnetShare &m : shares)
			if (m.procs == p)
				row[static_cast<std::size_t>(
					std::find(c.series.begin(),
						  c.series.end(), m.memory) -
					c.series.begin())] = m.share_pct;
		c.values.push_back(row);
	}
	if (plot.plot("magnet", c))
		page.image("magnet.png",
			   "share of contiguous 32 KiB groups by memory kind");
}

void section_vpri(Page &page, Plotter &plot, const std::string &log,
		  const fs::path &out)
{
	std::vector<std::string> runs = vpri_runs(log);
	BarChart c{"VPRI: I/O page faults per second, by policy",
		   "faults per second (log scale)", true, {}, {}, {}};
	std::map<std::string, std::map<std::string, double>> fps;
	for (const std::string &run : runs) {
		std::optional<std::string> sec = marked_section(log, run);
		std::optional<TextTable> t =
			sec ? find_table(*sec, {"metric"}) : std::nullopt;
		if (!t)
			continue;
		c.categories.push_back(run);
		for (std::size_t i = 1; i < t->header.size(); i++) {
			const std::string &pol = t->header[i];
			if (std::find(c.series.begin(), c.series.end(), pol) ==
			    c.series.end())
				c.series.push_back(pol);
			if (auto v = t->cell("faults_per_s", pol))
				if (auto d = parse_number(*v))
					fps[run][pol] = *d;
		}
	}
	for (const std::string &run : c.categories) {
		std::vector<std::optional<double>> row;
		for (const std::string &pol : c.series) {
			auto it = fps[run].find(pol);
			row.push_back(it == fps[run].end() ?
					      std::nullopt :
					      std::optional<double>(it->second));
		}
		c.values.push_back(row);
	}
	if (!c.categories.empty() && plot.plot("vpri-faults", c))
		page.image("vpri-faults.png",
			   "faults per second of each policy (the table's "
			   "faults_per_s), per run");
	// Each run: its faults over time (when it has a plot), its table.
	for (const std::string &run : runs) {
		std::string dat = read_file(out / "data/vpri" /
					    (run + ".png.dat"));
		std::vector<Series> series = parse_series_blocks(dat);
		LineChart lc{"VPRI " + run + ": I/O page faults per second",
			     "seconds", "faults per second (log scale)", true,
			     series};
		if (!series.empty() && plot.plot("vpri-" + run, lc))
			page.image("vpri-" + run + ".png",
				   run + ": faults per second over the run, "
					 "one line per policy");
		if (std::optional<std::string> sec = marked_section(log, run))
			page.pre(*sec, run + ": the table it printed");
	}
}

void write_page(Context &ctx, const Options &o, const fs::path &root,
		const std::vector<Step> &steps,
		const std::vector<StepResult> &results,
		const std::map<std::string, std::string> &meta)
{
	Plotter plot(o.out, ctx.err);
	Page page("hpmm benchmark report");
	auto get = [&](const char *k) {
		auto it = meta.find(k);
		return it == meta.end() ? std::string("?") : it->second;
	};
	page.paragraph("Run " + get("date") + " on " + get("host") + " (" +
		       get("mode") + " settings, " +
		       format_elapsed(std::strtod(get("total_seconds").c_str(),
						  nullptr)) +
		       " in all) by hpmm-report from " + get("root") +
		       ". Each step is a host command that boots the QEMU "
		       "guest (TCG) itself; its full output is in NAME.log "
		       "next to this page.");
	std::vector<std::vector<std::string>> rows;
	for (const StepResult &r : results)
		rows.push_back({r.name, status_text(r),
				format_elapsed(r.seconds), r.command});
	page.table({"step", "status", "time", "command"}, rows);

	const char *comps[][2] = {{"hpa", "HPA"},
				  {"defrag", "DEFRAG"},
				  {"magnet", "MAGNET"},
				  {"vpri", "VPRI"}};
	for (const auto &[comp, title] : comps) {
		bool any = std::any_of(steps.begin(), steps.end(),
				       [&](const Step &s) {
					       return s.component == comp;
				       });
		if (!any)
			continue;
		page.heading(title, comp);
		for (const Step &s : steps) {
			if (s.component != comp)
				continue;
			page.subheading(s.name + ": " + s.what);
			auto r = std::find_if(results.begin(), results.end(),
					      [&](const StepResult &x) {
						      return x.name == s.name;
					      });
			if (r == results.end()) {
				page.note("not run");
				continue;
			}
			page.paragraph(r->command + "  (" + status_text(*r) +
				       ", " + format_elapsed(r->seconds) + ")");
			if (r->status != 0)
				page.note(s.name + ": " + status_text(*r) +
					  "; what it printed is below");
			std::string log = read_file(o.out / (s.name + ".log"));
			if (s.name == "hpa-iotlb")
				section_hpa_iotlb(page, plot, log);
			else if (s.name == "hpa-cpu")
				section_hpa_cpu(page, plot, log);
			else if (s.name == "defrag")
				section_defrag(page, log);
			else if (s.name == "defrag-map")
				section_defrag_map(page, plot, log,
						   defrag_map_script(
							   root.string()));
			else if (s.name == "magnet")
				section_magnet(page, plot, log);
			else if (s.name == "vpri")
				section_vpri(page, plot, log, o.out);
			show_log(page, log);
		}
	}
	if (!plot.problems().empty()) {
		page.heading("Plots not drawn", "problems");
		std::string text;
		for (const std::string &p : plot.problems()) {
			text += p + '\n';
			ctx.err << "report: " << p << '\n';
		}
		page.pre(text);
	}
	write_file(o.out / "index.html", page.render());
}

std::map<std::string, std::string> read_meta(const fs::path &p)
{
	std::map<std::string, std::string> m;
	std::istringstream in(read_file(p));
	for (std::string line; std::getline(in, line);) {
		std::size_t c = line.find(": ");
		if (c != std::string::npos)
			m[line.substr(0, c)] = line.substr(c + 2);
	}
	return m;
}

std::string format_meta(const std::map<std::string, std::string> &m)
{
	std::string s;
	for (const auto &[k, v] : m)
		s += k + ": " + v + '\n';
	return s;
}

int run_report(Context &ctx, Options o)
{
	const fs::path root = find_root(o.root);
	const std::vector<Step> steps =
		select_steps(all_steps(defrag_map_script(root.string())),
			     o.only);
	std::error_code ec;
	fs::create_directories(o.out, ec);
	if (ec || !fs::is_directory(o.out))
		throw Error(ErrorKind::operation,
			    "report: cannot create " + o.out.string());
	o.out = fs::absolute(o.out);

	const Clock::time_point t0 = Clock::now();
	std::vector<StepResult> results;
	std::map<std::string, std::string> meta;
	if (!o.from.empty()) {
		meta = read_meta(o.from / "report.txt");
		results = reuse_steps(o, steps);
	} else {
		meta = {{"mode", o.quick ? "quick" : "full"},
			{"date", utc_now()},
			{"host", hostname()},
			{"root", root.string()}};
		write_file(o.out / "report.txt", format_meta(meta));
		results = run_steps(ctx, o, root, steps);
		char secs[32];
		std::snprintf(
			secs, sizeof(secs), "%.0f",
			std::chrono::duration<double>(Clock::now() - t0).count());
		meta["total_seconds"] = secs;
	}
	write_file(o.out / "report.txt", format_meta(meta));
	write_page(ctx, o, root, steps, results, meta);

	int failed = 0;
	for (const StepResult &r : results)
		if (r.status != 0 && r.status != 4)
			failed++;
	ctx.out << "report: wrote " << (o.out / "index.html").string() << ": "
		<< results.size() << " steps, " << failed << " failed, "
		<< format_elapsed(std::chrono::duration<double>(Clock::now() -
								t0)
					  .count())
		<< '\n';
	return failed ? exit_failure : exit_ok;
}

} // namespace

} // namespace hpmm::report

int main(int argc, char **argv)
{
	using namespace hpmm;
	report::Options o;
	CLI::App app{"Runs scripts/bench/* (each boots the guest), keeps their "
		     "output in\nOUT_DIR/NAME.log, draws PNG plots with gnuplot "
		     "and writes OUT_DIR/index.html.\nNeeds hpmm.ko and "
		     "tools/build (make module tools). See "
		     "Documentation/tracing.rst.",
		     "hpmm-report"};
	app.add_option("OUT_DIR", o.out, "the report's folder")->required();
	app.add_flag("--quick", o.quick,
		     "the benchmarks' short settings (minutes instead of an "
		     "hour)");
	app.add_option("--only", o.only,
		       "steps or components, comma-separated: hpa, defrag, "
		       "magnet, vpri, hpa-iotlb, hpa-cpu, hpa-leak, defrag-map");
	app.add_option("--from", o.from,
		       "run nothing: redraw from the OUT_DIR of an earlier "
		       "report");
	app.add_option("--root", o.root,
		       "the hpmm tree (default: where hpmm-report was built)");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		return app.exit(e) ? exit_failure : exit_ok;
	}
	report::Context ctx{std::cout, std::cerr};
	try {
		int status = report::run_report(ctx, o);
		if (!std::cout.flush()) {
			std::cerr << "hpmm-report: cannot write the output\n";
			return exit_failure;
		}
		return status;
	} catch (const Error &e) {
		std::cerr << e.what() << '\n';
		return e.exit_code();
	} catch (const std::exception &e) {
		std::cerr << "hpmm-report: " << e.what() << '\n';
		return exit_failure;
	}
}
