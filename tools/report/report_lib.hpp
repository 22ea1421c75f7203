// SPDX-License-Identifier: GPL-2.0
// The pure logic of `hpmm-report`: which benchmark steps exist and how
// they are invoked, parsing the tables the benchmarks print, gnuplot data and
// scripts for the plots, and the HTML page. Nothing here runs a program or
// touches the file system, so tools/tests/report_*_test.cpp covers all of it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::report {

// ---- steps -------------------------------------------------------------

// One benchmark run of the report. Commands run on the host with the
// project root as working directory; they boot the guest themselves.
struct Step {
	std::string name;      // "hpa-iotlb": log file name, --only key
	std::string component; // "hpa": --only key, HTML section
	std::string what;      // one line for the page
	std::vector<std::string> full;  // argv, full settings
	std::vector<std::string> quick; // argv, short settings (--quick)
};

// Every step, in run order. guest_script is the shell script that the
// defrag-map step runs in the guest (defrag_map_script()).
std::vector<Step> all_steps(const std::string &guest_script);

// The guest half of the defrag-map step: loads hpmm, fragments a 16-block
// group with dfg-frag, prints the group's blocks and text map before and
// after compaction between "== NAME" marker lines, unloads. root is the
// project directory (the guest sees it at the same path).
std::string defrag_map_script(const std::string &root);

// Selects steps by a comma-separated list of step or component names
// ("hpa,defrag-map"). Empty selects all. Throws hpmm::Error(usage) naming an
// unknown word.
std::vector<Step> select_steps(const std::vector<Step> &steps,
			       std::string_view only);

// A command line for display: words joined by spaces, each quoted with ''
// when it holds anything but [A-Za-z0-9_./=,:+-].
std::string shell_join(std::span<const std::string> argv);

// Elapsed time as "M:SS" (or "H:MM:SS" from an hour on).
std::string format_elapsed(double seconds);

// ---- results -----------------------------------------------------------

// A step's outcome as recorded in OUT/steps.tsv: one line per step,
// "name<TAB>status<TAB>seconds<TAB>command". status is the exit status
// (4: the benchmark skipped), -1 when it could not start.
struct StepResult {
	std::string name;
	int status = 0;
	double seconds = 0;
	std::string command;
};

std::string format_results(const std::vector<StepResult> &results);
// Throws hpmm::Error(operation) naming the malformed line.
std::vector<StepResult> parse_results(std::string_view text);

// ---- parsing the benchmarks' output ------------------------------------

// A whitespace-separated table: the header words and the rows after it, up
// to the first empty line or a line with fewer words than the header.
struct TextTable {
	std::vector<std::string> header;
	std::vector<std::vector<std::string>> rows;

	// The cell of row `row` (first column) in column `col`, if both exist.
	std::optional<std::string> cell(std::string_view row,
					std::string_view col) const;
};

// Finds the first line whose words start with header_start (e.g. {"pool",
// "DMAs"}) and reads the table from it. nullopt when there is none.
std::optional<TextTable>
find_table(std::string_view text,
	   std::initializer_list<std::string_view> header_start);

// A number as the benchmarks print it ("262.144", "0.57x", "54.69%");
// nullopt for anything else ("-", "yes").
std::optional<double> parse_number(std::string_view s);

// The lines of text between the line "== NAME" (or "== NAME: ...") and the
// next line starting with "== ". nullopt when the marker is missing.
std::optional<std::string> marked_section(std::string_view text,
					  std::string_view name);

// The vpri benchmark: its results directory from "vpri bench: results in
// DIR", and the run names ("nic-oc10", ...) from its "== NAME: ..." lines,
// in order, without "bitmap-bench" and "stats".
std::optional<std::string> vpri_results_dir(std::string_view log);
std::vector<std::string> vpri_runs(std::string_view log);

// A gnuplot data file of `hpmmctl vpri run --plot`: blocks separated by
// blank lines, each starting with "# POLICY", then "X Y" lines.
struct Series {
	std::string name;
	std::vector<std::pair<double, double>> points;
};
std::vector<Series> parse_series_blocks(std::string_view text);

// The magnet benchmark's contiguity lines ("2  magnet  512  512  100.00%
// ..."): share of contiguous groups in percent, by memory kind and by
// process count.
struct MagnetShare {
	unsigned procs = 0;
	std::string memory;
	double share_pct = 0;
};
std::vector<MagnetShare> parse_magnet(std::string_view text);

// ---- plots -------------------------------------------------------------

// Clustered bars: one cluster per category, one bar per series.
struct BarChart {
	std::string title;
	std::string ylabel;
	bool log_y = false;
	std::vector<std::string> categories;
	std::vector<std::string> series;
	// values[category][series]; nullopt draws no bar.
	std::vector<std::vector<std::optional<double>>> values;
};

struct LineChart {
	std::string title;
	std::string xlabel;
	std::string ylabel;
	bool log_y = false;
	std::vector<Series> series;
};

// The chart without the categories and series that have no value to draw
// (nothing, or nothing above 0 on a log scale): gnuplot refuses a column
// without a valid point.
BarChart without_empty(const BarChart &chart);

// The data file for a chart: bars as a table under a "# category SERIES..."
// comment line ("-" for a missing value), lines as one block per series
// separated by two blank lines. Category and series names have blanks
// replaced by '_'.
std::string bar_data(const BarChart &chart);
std::string line_data(const LineChart &chart);

// The gnuplot script drawing the chart from data_path into png_path with
// terminal `terminal` ("pngcairo" or "png"). Throws hpmm::Error(operation)
// for a chart without data (nothing to draw).
std::string bar_script(const BarChart &chart, const std::string &data_path,
		       const std::string &png_path,
		       std::string_view terminal = "pngcairo");
std::string line_script(const LineChart &chart, const std::string &data_path,
			const std::string &png_path,
			std::string_view terminal = "pngcairo");

// A gnuplot single-quoted string: 'it''s'.
std::string gnuplot_quote(std::string_view s);

// ---- HTML --------------------------------------------------------------

std::string html_escape(std::string_view s);

// A self-contained page (inline CSS, images by relative path).
class Page {
public:
	explicit Page(std::string title);

	void heading(std::string_view text, std::string_view id = {});
	void subheading(std::string_view text);
	void paragraph(std::string_view text);
	// A table of text cells; the header row is escaped like the cells.
	void table(const std::vector<std::string> &header,
		   const std::vector<std::vector<std::string>> &rows);
	// Preformatted text; collapsed under summary when summary is set.
	void pre(std::string_view text, std::string_view summary = {},
		 bool open = true);
	// An image with a caption; src is relative to the page.
	void image(std::string_view src, std::string_view caption);
	// Raw HTML, for the caller's own markup (not escaped).
	void raw(std::string_view html);
	// A note in the style of a warning ("not run", "failed").
	void note(std::string_view text);

	std::string render() const;

private:
	std::string title_;
	std::string body_;
};

} // namespace hpmm::report
