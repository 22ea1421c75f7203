// SPDX-License-Identifier: GPL-2.0
// The pure logic of `hpmm-report` (see report_lib.hpp).
#include "report_lib.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "hpmm/error.hpp"

namespace hpmm::report {

namespace {

std::vector<std::string_view> split_lines(std::string_view text)
{
	std::vector<std::string_view> lines;
	while (!text.empty()) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		lines.push_back(line);
		if (nl == std::string_view::npos)
			break;
		text.remove_prefix(nl + 1);
	}
	return lines;
}

std::vector<std::string> words(std::string_view line)
{
	std::vector<std::string> out;
	std::size_t i = 0;
	while (i < line.size()) {
		std::size_t start = line.find_first_not_of(" \t", i);
		if (start == std::string_view::npos)
			break;
		std::size_t end = line.find_first_of(" \t", start);
		if (end == std::string_view::npos)
			end = line.size();
		out.emplace_back(line.substr(start, end - start));
		i = end;
	}
	return out;
}

std::string no_blanks(std::string_view s)
{
	std::string out(s);
	for (char &c : out)
		if (c == ' ' || c == '\t')
			c = '_';
	return out.empty() ? "_" : out;
}

std::string fmt_double(double v)
{
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.10g", v);
	return buf;
}

void check_chart(bool has_data, const std::string &title)
{
	if (!has_data)
		throw Error(ErrorKind::operation,
			    "report: nothing to plot for '" + title + "'");
}

std::string script_head(std::string_view terminal, const std::string &title,
			const std::string &png_path, bool log_y)
{
	std::string s;
	s += "set terminal " + std::string(terminal) +
	     " size 900,500 noenhanced\n";
	s += "set output " + gnuplot_quote(png_path) + "\n";
	s += "set title " + gnuplot_quote(title) + "\n";
	s += "set grid ytics\n";
	s += "set key outside right top\n";
	s += "set datafile missing '-'\n";
	if (log_y)
		s += "set logscale y\n";
	return s;
}

} // namespace

// ---- steps -------------------------------------------------------------

std::string defrag_map_script(const std::string &root)
{
	const std::string r = shell_join(std::vector<std::string>{root});
	return "R=" + r +
	       "\n"
	       "B=$R/tools/build\n"
	       "D=/sys/kernel/debug/hpmm/defrag/groups/report\n"
	       "export B D\n"
	       "rmmod hpmm 2>/dev/null\n"
	       "insmod \"$R/hpmm.ko\" || exit 1\n"
	       "trap 'rmmod hpmm' EXIT\n"
	       "\"$B/dfg-frag\" --limit 16 --reserve 16 --threshold 1000 "
	       "report 2048 4 -- '"
	       "echo \"== blocks before\"; cat \"$D/blocks\"; "
	       "echo \"== map before\"; \"$B/hpmmctl\" defrag map report; "
	       "\"$B/hpmmctl\" defrag compact report || exit 1; "
	       "echo \"== blocks after\"; cat \"$D/blocks\"; "
	       "echo \"== map after\"; \"$B/hpmmctl\" defrag map report; "
	       "echo \"== group\"; \"$B/hpmmctl\" defrag group report; "
	       "echo \"== dfg-frag\"'\n";
}

std::vector<Step> all_steps(const std::string &guest_script)
{
	return {
		{"hpa-iotlb", "hpa",
		 "IOTLB misses per MiB of edu DMA, HPA against page_pool "
		 "(QEMU's VT-d trace, -icount)",
		 {"scripts/bench/hpa-iotlb", "--no-build"},
		 {"scripts/bench/hpa-iotlb", "--no-build", "--steps", "3072",
		  "--desc", "512", "--hold", "1536"}},
		{"hpa-cpu", "hpa",
		 "CPU cost per alloc+recycle pair, HPA against page_pool "
		 "(guest instructions, -icount)",
		 {"scripts/bench/hpa-cpu", "--icount", "--no-build"},
		 {"scripts/bench/hpa-cpu", "--icount", "--n", "20000",
		  "--reps", "1", "--no-build"}},
		{"hpa-leak", "hpa",
		 "a leaky driver (1% of pages leaked) on HPA and on page_pool",
		 {"scripts/bench/hpa-leak", "--no-build"},
		 {"scripts/bench/hpa-leak", "--steps", "200000", "--no-build"}},
		{"defrag", "defrag",
		 "a generated trace replayed in the kernel: DEFRAG grouping, "
		 "firstfit and the kernel's allocator; order-0 cost",
		 {"scripts/bench/defrag", "--no-build"},
		 {"scripts/bench/defrag", "--events", "100000", "--live",
		  "32768", "--pairs", "20000", "--no-build"}},
		{"defrag-map", "defrag",
		 "a 16-block group left a quarter used by a process (dfg-frag), "
		 "its block map before and after compaction",
		 {"qemu-env/run", "-q", "--timeout", "900", "--", "sh", "-c",
		  guest_script},
		 {"qemu-env/run", "-q", "--timeout", "900", "--", "sh", "-c",
		  guest_script}},
		{"magnet", "magnet",
		 "share of physically contiguous 32 KiB groups with 2 and 4 "
		 "processes faulting in turn",
		 {"scripts/bench/magnet"},
		 {"scripts/bench/magnet", "--pages", "256", "--procs", "2,4",
		  "--reps", "3"}},
		{"vpri", "vpri",
		 "NIC-like and block-like streams at 10, 20, 30% overcommit "
		 "and the production setting, every policy side by side",
		 {"scripts/bench/vpri"},
		 {"scripts/bench/vpri", "--quick"}},
	};
}

std::vector<Step> select_steps(const std::vector<Step> &steps,
			       std::string_view only)
{
	if (only.empty())
		return steps;
	std::set<std::string> want;
	for (std::string_view rest = only; !rest.empty();) {
		std::size_t comma = rest.find(',');
		std::string w(rest.substr(0, comma));
		rest.remove_prefix(comma == std::string_view::npos ?
					   rest.size() :
					   comma + 1);
		if (w.empty())
			continue;
		bool known = std::any_of(steps.begin(), steps.end(),
					 [&](const Step &s) {
						 return s.name == w ||
							s.component == w;
					 });
		if (!known) {
			std::string names;
			for (const Step &s : steps)
				names += " " + s.name;
			throw Error(ErrorKind::usage,
				    "report: unknown step '" + w +
					    "' (components: hpa defrag magnet "
					    "vpri; steps:" +
					    names + ")");
		}
		want.insert(w);
	}
	if (want.empty())
		throw Error(ErrorKind::usage, "report: --only lists no step");
	std::vector<Step> out;
	for (const Step &s : steps)
		if (want.count(s.name) || want.count(s.component))
			out.push_back(s);
	return out;
}

std::string shell_join(std::span<const std::string> argv)
{
	std::string out;
	for (const std::string &w : argv) {
		if (!out.empty())
			out += ' ';
		bool plain = !w.empty() &&
			     std::all_of(w.begin(), w.end(), [](char c) {
				     return (c >= 'a' && c <= 'z') ||
					    (c >= 'A' && c <= 'Z') ||
					    (c >= '0' && c <= '9') ||
					    std::string_view("_./=,:+-").find(
						    c) != std::string_view::npos;
			     });
		if (plain) {
			out += w;
			continue;
		}
		out += '\'';
		for (char c : w) {
			if (c == '\'')
				out += "'\\''";
			else
				out += c;
		}
		out += '\'';
	}
	return out;
}

std::string format_elapsed(double seconds)
{
	long s = seconds > 0 ? std::lround(std::floor(seconds)) : 0;
	char buf[32];
	if (s >= 3600)
		std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600,
			      s / 60 % 60, s % 60);
	else
		std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
	return buf;
}

// ---- results -----------------------------------------------------------

std::string format_results(const std::vector<StepResult> &results)
{
	std::string out;
	for (const StepResult &r : results) {
		std::string cmd = r.command;
		std::replace(cmd.begin(), cmd.end(), '\t', ' ');
		std::replace(cmd.begin(), cmd.end(), '\n', ' ');
		char secs[32];
		std::snprintf(secs, sizeof(secs), "%.1f", r.seconds);
		out += r.name + "\t" + std::to_string(r.status) + "\t" + secs +
		       "\t" + cmd + "\n";
	}
	return out;
}

std::vector<StepResult> parse_results(std::string_view text)
{
	std::vector<StepResult> out;
	std::size_t n = 0;
	for (std::string_view line : split_lines(text)) {
		n++;
		if (line.empty())
			continue;
		std::vector<std::string_view> f;
		std::string_view rest = line;
		for (int i = 0; i < 3; i++) {
			std::size_t tab = rest.find('\t');
			if (tab == std::string_view::npos)
				break;
			f.push_back(rest.substr(0, tab));
			rest.remove_prefix(tab + 1);
		}
		f.push_back(rest);
		StepResult r;
		bool ok = f.size() == 4 && !f[0].empty();
		if (ok) {
			r.name = std::string(f[0]);
			r.command = std::string(f[3]);
			auto [p, ec] = std::from_chars(
				f[1].data(), f[1].data() + f[1].size(),
				r.status);
			ok = ec == std::errc() && p == f[1].data() + f[1].size();
			std::optional<double> secs = parse_number(f[2]);
			ok = ok && secs && *secs >= 0;
			if (secs)
				r.seconds = *secs;
		}
		if (!ok)
			throw Error(ErrorKind::operation,
				    "report: steps.tsv line " +
					    std::to_string(n) +
					    ": expected NAME<TAB>STATUS<TAB>"
					    "SECONDS<TAB>COMMAND: '" +
					    std::string(line) + "'");
		out.push_back(std::move(r));
	}
	return out;
}

// ---- parsing -----------------------------------------------------------

std::optional<std::string> TextTable::cell(std::string_view row,
					   std::string_view col) const
{
	auto c = std::find(header.begin(), header.end(), col);
	if (c == header.end())
		return std::nullopt;
	std::size_t ci = static_cast<std::size_t>(c - header.begin());
	for (const auto &r : rows)
		if (!r.empty() && r[0] == row && ci < r.size())
			return r[ci];
	return std::nullopt;
}

std::optional<TextTable>
find_table(std::string_view text,
	   std::initializer_list<std::string_view> header_start)
{
	std::vector<std::string_view> lines = split_lines(text);
	for (std::size_t i = 0; i < lines.size(); i++) {
		std::vector<std::string> w = words(lines[i]);
		if (w.size() < header_start.size() ||
		    !std::equal(header_start.begin(), header_start.end(),
				w.begin()))
			continue;
		TextTable t;
		t.header = std::move(w);
		for (std::size_t j = i + 1; j < lines.size(); j++) {
			std::vector<std::string> r = words(lines[j]);
			if (r.size() < t.header.size())
				break;
			t.rows.push_back(std::move(r));
		}
		return t;
	}
	return std::nullopt;
}

std::optional<double> parse_number(std::string_view s)
{
	if (!s.empty() && (s.back() == 'x' || s.back() == '%'))
		s.remove_suffix(1);
	if (s.empty())
		return std::nullopt;
	std::string str(s);
	char *end = nullptr;
	double v = std::strtod(str.c_str(), &end);
	if (end != str.c_str() + str.size() || !std::isfinite(v))
		return std::nullopt;
	// strtod takes "inf", "nan" and hex; the benchmarks print decimals.
	if (str.find_first_not_of("0123456789.-+eE") != std::string::npos)
		return std::nullopt;
	return v;
}

std::optional<std::string> marked_section(std::string_view text,
					  std::string_view name)
{
	std::vector<std::string_view> lines = split_lines(text);
	const std::string head = "== " + std::string(name);
	for (std::size_t i = 0; i < lines.size(); i++) {
		std::string_view l = lines[i];
		if (!(l == head || (l.starts_with(head) &&
				    (l[head.size()] == ':' ||
				     l[head.size()] == ' '))))
			continue;
		std::string out;
		for (std::size_t j = i + 1; j < lines.size(); j++) {
			if (lines[j].starts_with("== "))
				break;
			out += lines[j];
			out += '\n';
		}
		return out;
	}
	return std::nullopt;
}

std::optional<std::string> vpri_results_dir(std::string_view log)
{
	constexpr std::string_view key = "vpri bench: results in ";
	for (std::string_view l : split_lines(log))
		if (l.starts_with(key) && l.size() > key.size())
			return std::string(l.substr(key.size()));
	return std::nullopt;
}

std::vector<std::string> vpri_runs(std::string_view log)
{
	std::vector<std::string> out;
	for (std::string_view l : split_lines(log)) {
		if (!l.starts_with("== "))
			continue;
		l.remove_prefix(3);
		std::string name(l.substr(0, l.find(':')));
		if (name.empty() || name == "bitmap-bench" || name == "stats" ||
		    name.find(' ') != std::string::npos)
			continue;
		if (std::find(out.begin(), out.end(), name) == out.end())
			out.push_back(name);
	}
	return out;
}

std::vector<Series> parse_series_blocks(std::string_view text)
{
	std::vector<Series> out;
	bool in_block = false;
	for (std::string_view l : split_lines(text)) {
		if (l.empty() || l.find_first_not_of(" \t") ==
					 std::string_view::npos) {
			in_block = false;
			continue;
		}
		if (l.starts_with("#")) {
			std::string_view n = l.substr(1);
			while (!n.empty() && n.front() == ' ')
				n.remove_prefix(1);
			out.push_back({std::string(n), {}});
			in_block = true;
			continue;
		}
		std::vector<std::string> w = words(l);
		if (w.size() < 2)
			continue;
		std::optional<double> x = parse_number(w[0]);
		std::optional<double> y = parse_number(w[1]);
		if (!x || !y)
			continue;
		if (!in_block || out.empty()) {
			out.push_back({std::to_string(out.size()), {}});
			in_block = true;
		}
		out.back().points.emplace_back(*x, *y);
	}
	return out;
}

std::vector<MagnetShare> parse_magnet(std::string_view text)
{
	std::vector<MagnetShare> out;
	for (std::string_view l : split_lines(text)) {
		std::vector<std::string> w = words(l);
		// procs memory groups contiguous share fault_ns/page
		if (w.size() < 5 || !w[4].ends_with("%"))
			continue;
		std::optional<double> procs = parse_number(w[0]);
		std::optional<double> share = parse_number(w[4]);
		if (!procs || !share || !parse_number(w[2]) ||
		    !parse_number(w[3]) || *procs < 1 ||
		    *procs != std::floor(*procs))
			continue;
		out.push_back({static_cast<unsigned>(*procs), w[1], *share});
	}
	return out;
}

// ---- plots -------------------------------------------------------------

std::string gnuplot_quote(std::string_view s)
{
	std::string out = "'";
	for (char c : s) {
		if (c == '\'')
			out += "''";
		else if (c == '\n')
			out += ' ';
		else
			out += c;
	}
	return out + "'";
}

BarChart without_empty(const BarChart &chart)
{
	auto at = [&](std::size_t i, std::size_t j) -> std::optional<double> {
		if (i < chart.values.size() && j < chart.values[i].size())
			return chart.values[i][j];
		return std::nullopt;
	};
	auto drawable = [&](std::size_t i, std::size_t j) {
		std::optional<double> v = at(i, j);
		return v && (!chart.log_y || *v > 0);
	};
	std::vector<std::size_t> cats, sers;
	for (std::size_t i = 0; i < chart.categories.size(); i++)
		for (std::size_t j = 0; j < chart.series.size(); j++)
			if (drawable(i, j)) {
				cats.push_back(i);
				break;
			}
	for (std::size_t j = 0; j < chart.series.size(); j++)
		for (std::size_t i = 0; i < chart.categories.size(); i++)
			if (drawable(i, j)) {
				sers.push_back(j);
				break;
			}
	BarChart out{chart.title, chart.ylabel, chart.log_y, {}, {}, {}};
	for (std::size_t j : sers)
		out.series.push_back(chart.series[j]);
	for (std::size_t i : cats) {
		out.categories.push_back(chart.categories[i]);
		std::vector<std::optional<double>> row;
		for (std::size_t j : sers)
			row.push_back(at(i, j));
		out.values.push_back(row);
	}
	return out;
}

std::string bar_data(const BarChart &chart)
{
	// The header is a comment: gnuplot would draw it as a category.
	std::string out = "# category";
	for (const std::string &s : chart.series)
		out += " " + no_blanks(s);
	out += '\n';
	for (std::size_t i = 0; i < chart.categories.size(); i++) {
		out += no_blanks(chart.categories[i]);
		for (std::size_t j = 0; j < chart.series.size(); j++) {
			std::optional<double> v;
			if (i < chart.values.size() &&
			    j < chart.values[i].size())
				v = chart.values[i][j];
			out += ' ';
			out += v ? fmt_double(*v) : "-";
		}
		out += '\n';
	}
	return out;
}

std::string line_data(const LineChart &chart)
{
	std::string out;
	for (std::size_t i = 0; i < chart.series.size(); i++) {
		if (i)
			out += "\n\n";
		out += "# " + no_blanks(chart.series[i].name) + '\n';
		for (auto [x, y] : chart.series[i].points)
			out += fmt_double(x) + ' ' + fmt_double(y) + '\n';
	}
	return out;
}

std::string bar_script(const BarChart &chart, const std::string &data_path,
		       const std::string &png_path, std::string_view terminal)
{
	bool any = false;
	for (const auto &row : chart.values)
		for (const auto &v : row)
			any = any || (v && (!chart.log_y || *v > 0));
	check_chart(any && !chart.series.empty() && !chart.categories.empty(),
		    chart.title);
	std::string s = script_head(terminal, chart.title, png_path,
				    chart.log_y);
	s += "set ylabel " + gnuplot_quote(chart.ylabel) + "\n";
	s += "set style data histograms\n";
	s += "set style histogram clustered gap 1\n";
	s += "set style fill solid 0.85 border -1\n";
	s += "set boxwidth 0.9\n";
	s += "set xtics nomirror rotate by -30\n";
	s += "set yrange [" + std::string(chart.log_y ? "*" : "0") + ":*]\n";
	s += "plot ";
	for (std::size_t j = 0; j < chart.series.size(); j++) {
		if (j)
			s += ", ";
		s += j ? "''" : gnuplot_quote(data_path);
		// Column 1 is the category; a log scale cannot draw 0.
		std::string col = std::to_string(j + 2);
		if (chart.log_y)
			s += " using ($" + col + ">0?$" + col + ":1/0)";
		else
			s += " using " + col;
		s += ":xtic(1)";
		s += " title " + gnuplot_quote(chart.series[j]);
	}
	s += '\n';
	return s;
}

std::string line_script(const LineChart &chart, const std::string &data_path,
			const std::string &png_path, std::string_view terminal)
{
	bool any = std::any_of(chart.series.begin(), chart.series.end(),
			       [](const Series &s) {
				       return !s.points.empty();
			       });
	check_chart(any, chart.title);
	std::string s = script_head(terminal, chart.title, png_path,
				    chart.log_y);
	s += "set xlabel " + gnuplot_quote(chart.xlabel) + "\n";
	s += "set ylabel " + gnuplot_quote(chart.ylabel) + "\n";
	s += "plot ";
	for (std::size_t i = 0; i < chart.series.size(); i++) {
		if (i)
			s += ", ";
		s += i ? "''" : gnuplot_quote(data_path);
		s += " index " + std::to_string(i);
		s += chart.log_y ? " using 1:($2>0?$2:1/0)" : " using 1:2";
		s += " with lines lw 2 title " +
		     gnuplot_quote(chart.series[i].name);
	}
	s += '\n';
	return s;
}

// ---- HTML --------------------------------------------------------------

std::string html_escape(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	for (char c : s) {
		switch (c) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&#39;"; break;
		default: out += c;
		}
	}
	return out;
}

Page::Page(std::string title) : title_(std::move(title)) {}

void Page::heading(std::string_view text, std::string_view id)
{
	body_ += "<h2";
	if (!id.empty())
		body_ += " id=\"" + html_escape(id) + "\"";
	body_ += ">" + html_escape(text) + "</h2>\n";
}

void Page::subheading(std::string_view text)
{
	body_ += "<h3>" + html_escape(text) + "</h3>\n";
}

void Page::raw(std::string_view html)
{
	body_ += html;
}

void Page::paragraph(std::string_view text)
{
	body_ += "<p>" + html_escape(text) + "</p>\n";
}

void Page::note(std::string_view text)
{
	body_ += "<p class=\"note\">" + html_escape(text) + "</p>\n";
}

void Page::table(const std::vector<std::string> &header,
		 const std::vector<std::vector<std::string>> &rows)
{
	body_ += "<table>\n<tr>";
	for (const std::string &h : header)
		body_ += "<th>" + html_escape(h) + "</th>";
	body_ += "</tr>\n";
	for (const auto &r : rows) {
		body_ += "<tr>";
		for (const std::string &c : r)
			body_ += "<td>" + html_escape(c) + "</td>";
		body_ += "</tr>\n";
	}
	body_ += "</table>\n";
}

void Page::pre(std::string_view text, std::string_view summary, bool open)
{
	if (!summary.empty())
		body_ += std::string(open ? "<details open>" : "<details>") +
			 "<summary>" + html_escape(summary) + "</summary>\n";
	body_ += "<pre>" + html_escape(text) + "</pre>\n";
	if (!summary.empty())
		body_ += "</details>\n";
}

void Page::image(std::string_view src, std::string_view caption)
{
	body_ += "<figure><img src=\"" + html_escape(src) + "\" alt=\"" +
		 html_escape(caption) + "\"><figcaption>" +
		 html_escape(caption) + "</figcaption></figure>\n";
}

std::string Page::render() const
{
	return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	       "<meta charset=\"utf-8\">\n<title>" +
	       html_escape(title_) +
	       "</title>\n<style>\n"
	       "body{font-family:sans-serif;max-width:1100px;margin:1em auto;"
	       "padding:0 1em;color:#222}\n"
	       "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;"
	       "margin-top:2em}\n"
	       "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;"
	       "font-size:.85em}\n"
	       "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
	       "padding:.2em .6em;text-align:left}\n"
	       "figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}"
	       "\nfigcaption{font-size:.9em;color:#555}\n"
	       ".note{background:#fff3cd;padding:.4em .6em}\n"
	       "summary{cursor:pointer;color:#135}\n"
	       "</style>\n</head>\n<body>\n<h1>" +
	       html_escape(title_) + "</h1>\n" + body_ + "</body>\n</html>\n";
}

} // namespace hpmm::report
