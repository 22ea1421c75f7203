// SPDX-License-Identifier: GPL-2.0
// hpmm-report: the pure logic in tools/report (steps, parsing the
// benchmarks' output, gnuplot data and scripts, HTML) and the process runner.
#include <gtest/gtest.h>

#include <filesystem>

#include "hpmm/error.hpp"
#include "hpmm/process.hpp"
#include "report_lib.hpp"

namespace hpmm::report {
namespace {

bool contains(const std::string &text, std::string_view part)
{
	return text.find(part) != std::string::npos;
}

// As scripts/bench/hpa-iotlb printed it (Documentation/hpa.rst).
const char iotlb_log[] =
	"hpa-iotlb: 6144 packets of 4000 bytes per pool, 1024 descriptors\n"
	"pool          DMAs      MiB   misses     hits resets  misses/MiB   "
	"pages 2MiB-IOVA        maps\n"
	"HPA           6144    23.44        8     6136      0       0.341    "
	"4096         8           8\n"
	"page_pool     6144    23.44     6144        0      5     262.144    "
	"4096         8        4096\n"
	"ratio: HPA misses/MiB / page_pool misses/MiB = 0.00130 (0.130%)\n"
	"trace: .cache/bench/hpa-iotlb.trace\n";

const char vpri_log[] =
	"vpri bench: results in /work/main/.cache/bench/vpri-1\n"
	"== bitmap-bench: tools/build/hpmmctl vpri bench --pages 65536\n"
	"pages:                65536\n"
	"\n"
	"== nic-oc20: tools/build/hpmmctl vpri run --workload nic\n"
	"trace: 20000 accesses\n"
	"metric                        none      all        lru\n"
	"domain                           7        8          9\n"
	"faults                       20000     2009       8858\n"
	"faults_per_s                  2145     4527       1572\n"
	"vpri: wrote /work/main/.cache/bench/vpri-1/nic-oc20.png\n"
	"\n"
	"== nic-prod: tools/build/hpmmctl vpri run --workload nic\n"
	"metric                       none     adp\n"
	"faults_per_s                18127    2916\n"
	"\n"
	"== stats: tools/build/hpmmctl vpri stats\n"
	"metric  arc\n";

TEST(ReportSteps, EveryComponentHasAStepWithQuickSettings)
{
	std::vector<Step> steps = all_steps("echo guest");
	std::vector<std::string> comps;
	for (const Step &s : steps) {
		EXPECT_FALSE(s.full.empty()) << s.name;
		EXPECT_FALSE(s.quick.empty()) << s.name;
		EXPECT_FALSE(s.what.empty()) << s.name;
		comps.push_back(s.component);
	}
	for (const char *c : {"hpa", "defrag", "magnet", "vpri"})
		EXPECT_NE(std::find(comps.begin(), comps.end(), c),
			  comps.end())
			<< c;
	// The benchmarks that would rebuild the module must not.
	for (const Step &s : steps) {
		if (s.full[0] != "scripts/bench/defrag" &&
		    !s.full[0].starts_with("scripts/bench/hpa-"))
			continue;
		for (const auto *v : {&s.full, &s.quick}) {
			EXPECT_NE(std::find(v->begin(), v->end(), "--no-build"),
				  v->end())
				<< s.name;
		}
	}
	auto vpri = std::find_if(steps.begin(), steps.end(),
				 [](const Step &s) { return s.name == "vpri"; });
	ASSERT_NE(vpri, steps.end());
	EXPECT_EQ(vpri->quick.back(), "--quick");
	auto map = std::find_if(steps.begin(), steps.end(), [](const Step &s) {
		return s.name == "defrag-map";
	});
	ASSERT_NE(map, steps.end());
	EXPECT_EQ(map->full.back(), "echo guest");
}

TEST(ReportSteps, SelectByStepOrComponent)
{
	std::vector<Step> steps = all_steps("x");
	EXPECT_EQ(select_steps(steps, "").size(), steps.size());
	std::vector<Step> hpa = select_steps(steps, "hpa");
	ASSERT_EQ(hpa.size(), 3u);
	EXPECT_EQ(hpa[0].name, "hpa-iotlb");
	std::vector<Step> two = select_steps(steps, "vpri,defrag-map,");
	ASSERT_EQ(two.size(), 2u);
	// Run order, not the order of the list.
	EXPECT_EQ(two[0].name, "defrag-map");
	EXPECT_EQ(two[1].name, "vpri");
	try {
		select_steps(steps, "hpa,bogus");
		FAIL() << "no error";
	} catch (const Error &e) {
		EXPECT_EQ(e.kind(), ErrorKind::usage);
		EXPECT_TRUE(contains(e.what(), "'bogus'")) << e.what();
	}
	EXPECT_THROW(select_steps(steps, ","), Error);
}

TEST(ReportSteps, DefragMapScriptMarksTheSections)
{
	std::string s = defrag_map_script("/work/it's");
	EXPECT_TRUE(s.starts_with("R='/work/it'\\''s'\n")) << s;
	EXPECT_TRUE(defrag_map_script("/work/main").starts_with(
		"R=/work/main\n"));
	for (const char *m : {"== blocks before", "== blocks after",
			      "== map before", "== map after",
			      "defrag compact report", "dfg-frag",
			      "insmod", "rmmod hpmm"})
		EXPECT_TRUE(contains(s, m)) << m;
	// The compaction comes between the two block dumps.
	EXPECT_LT(s.find("== blocks before"), s.find("defrag compact"));
	EXPECT_LT(s.find("defrag compact"), s.find("== blocks after"));
}

TEST(ReportSteps, ShellJoinQuotesOnlyWhatNeedsIt)
{
	std::vector<std::string> argv{"scripts/bench/magnet", "--procs", "2,4",
				      "a b", "it's", ""};
	EXPECT_EQ(shell_join(argv),
		  "scripts/bench/magnet --procs 2,4 'a b' 'it'\\''s' ''");
}

TEST(ReportSteps, FormatElapsed)
{
	EXPECT_EQ(format_elapsed(0), "0:00");
	EXPECT_EQ(format_elapsed(59.9), "0:59");
	EXPECT_EQ(format_elapsed(754), "12:34");
	EXPECT_EQ(format_elapsed(3723), "1:02:03");
	EXPECT_EQ(format_elapsed(-5), "0:00");
}

TEST(ReportResults, RoundTripAndErrors)
{
	std::vector<StepResult> r{{"hpa-iotlb", 0, 83.25, "a\tb"},
				  {"vpri", 4, 1, "scripts/bench/vpri --quick"},
				  {"defrag", -1, 0, ""}};
	std::string text = format_results(r);
	EXPECT_EQ(text, "hpa-iotlb\t0\t83.2\ta b\n"
			"vpri\t4\t1.0\tscripts/bench/vpri --quick\n"
			"defrag\t-1\t0.0\t\n");
	std::vector<StepResult> back = parse_results(text);
	ASSERT_EQ(back.size(), 3u);
	EXPECT_EQ(back[0].name, "hpa-iotlb");
	EXPECT_DOUBLE_EQ(back[0].seconds, 83.2);
	EXPECT_EQ(back[1].status, 4);
	EXPECT_EQ(back[1].command, "scripts/bench/vpri --quick");
	EXPECT_EQ(back[2].status, -1);
	for (const char *bad : {"vpri\t0\t1\n", "vpri\tx\t1\tc\n",
				"vpri\t0\t-1\tc\n", "\t0\t1\tc\n"}) {
		try {
			parse_results(std::string("ok\t0\t1\tc\n") + bad);
			FAIL() << bad;
		} catch (const Error &e) {
			EXPECT_TRUE(contains(e.what(), "line 2")) << e.what();
		}
	}
}

TEST(ReportParse, IotlbTable)
{
	std::optional<TextTable> t = find_table(iotlb_log, {"pool", "DMAs"});
	ASSERT_TRUE(t);
	EXPECT_EQ(t->header.size(), 10u);
	ASSERT_EQ(t->rows.size(), 2u); // stops at the "ratio:" line
	EXPECT_EQ(t->cell("HPA", "misses/MiB"), "0.341");
	EXPECT_EQ(t->cell("page_pool", "misses/MiB"), "262.144");
	EXPECT_EQ(t->cell("page_pool", "resets"), "5");
	EXPECT_FALSE(t->cell("HPA", "nope"));
	EXPECT_FALSE(t->cell("nope", "MiB"));
	EXPECT_FALSE(find_table(iotlb_log, {"path", "HPA_ns"}));
}

TEST(ReportParse, Numbers)
{
	EXPECT_EQ(parse_number("262.144"), 262.144);
	EXPECT_EQ(parse_number("0.57x"), 0.57);
	EXPECT_EQ(parse_number("54.69%"), 54.69);
	EXPECT_EQ(parse_number("-3"), -3);
	for (const char *bad : {"", "-", "yes", "inf", "nan", "0x10", "1.5y",
				"%"})
		EXPECT_FALSE(parse_number(bad)) << bad;
}

TEST(ReportParse, MarkedSections)
{
	const char log[] = "x\n== blocks before\n1 2\n3 4\n== map before\n"
			   "uu\r\n== blocks beforehand\nno\n";
	EXPECT_EQ(marked_section(log, "blocks before"), "1 2\n3 4\n");
	EXPECT_EQ(marked_section(log, "map before"), "uu\n");
	EXPECT_FALSE(marked_section(log, "blocks after"));
	EXPECT_EQ(marked_section(vpri_log, "nic-prod"),
		  "metric                       none     adp\n"
		  "faults_per_s                18127    2916\n\n");
}

TEST(ReportParse, VpriLog)
{
	EXPECT_EQ(vpri_results_dir(vpri_log), "/work/main/.cache/bench/vpri-1");
	EXPECT_FALSE(vpri_results_dir("vpri bench: results in \n"));
	std::vector<std::string> runs = vpri_runs(vpri_log);
	EXPECT_EQ(runs, (std::vector<std::string>{"nic-oc20", "nic-prod"}));
	std::optional<std::string> sec = marked_section(vpri_log, "nic-oc20");
	ASSERT_TRUE(sec);
	std::optional<TextTable> t = find_table(*sec, {"metric"});
	ASSERT_TRUE(t);
	EXPECT_EQ(t->cell("faults_per_s", "lru"), "1572");
	EXPECT_EQ(t->rows.size(), 3u);
}

TEST(ReportParse, SeriesBlocks)
{
	std::vector<Series> s = parse_series_blocks(
		"# none\n0 13160\n0.1 14090\n\n\n# all\n0 5\nbad line\n"
		"\n\n1 2\n");
	ASSERT_EQ(s.size(), 3u);
	EXPECT_EQ(s[0].name, "none");
	ASSERT_EQ(s[0].points.size(), 2u);
	EXPECT_EQ(s[0].points[1], (std::pair<double, double>{0.1, 14090}));
	EXPECT_EQ(s[1].name, "all");
	EXPECT_EQ(s[1].points.size(), 1u);
	EXPECT_EQ(s[2].name, "2"); // an unnamed block gets its index
	EXPECT_TRUE(parse_series_blocks("").empty());
}

TEST(ReportParse, Magnet)
{
	std::vector<MagnetShare> m = parse_magnet(
		"procs  memory          groups  contiguous    share "
		"fault_ns/page\n"
		"2      anon               512         280   54.69%  86304\n"
		"2      magnet             512         512  100.00%  65900\n"
		"2      magnet         unused reserved pages at the end: 0 of "
		"4096 resident (0.00%)\n"
		"4      hpmm-nomagnet     1024           0    0.00%  117916\n");
	ASSERT_EQ(m.size(), 3u);
	EXPECT_EQ(m[0].procs, 2u);
	EXPECT_EQ(m[0].memory, "anon");
	EXPECT_DOUBLE_EQ(m[0].share_pct, 54.69);
	EXPECT_EQ(m[2].memory, "hpmm-nomagnet");
	EXPECT_DOUBLE_EQ(m[2].share_pct, 0);
}

TEST(ReportPlot, BarDataAndScript)
{
	BarChart c{"it's a title", "ns", true, {"cache", "ring x"},
		   {"HPA", "page pool"}, {{32.03, 56.05}, {125.1, std::nullopt}}};
	EXPECT_EQ(bar_data(c), "# category HPA page_pool\n"
			       "cache 32.03 56.05\n"
			       "ring_x 125.1 -\n");
	std::string s = bar_script(c, "hpa-cpu.dat", "hpa-cpu.png", "png");
	EXPECT_TRUE(contains(s, "set terminal png size")) << s;
	EXPECT_TRUE(contains(s, "set output 'hpa-cpu.png'\n"));
	EXPECT_TRUE(contains(s, "set title 'it''s a title'\n"));
	EXPECT_TRUE(contains(s, "set logscale y\n"));
	EXPECT_TRUE(contains(s, "set datafile missing '-'\n"));
	EXPECT_TRUE(contains(s, "histogram clustered"));
	EXPECT_TRUE(contains(s, "plot 'hpa-cpu.dat' using ($2>0?$2:1/0):"
				"xtic(1) title 'HPA', '' using ($3>0?$3:1/0):"
				"xtic(1) title 'page pool'\n"))
		<< s;
	c.log_y = false;
	s = bar_script(c, "d", "p");
	EXPECT_TRUE(contains(s, "using 2:xtic(1)"));
	EXPECT_FALSE(contains(s, "logscale"));
	EXPECT_TRUE(contains(s, "pngcairo"));
}

TEST(ReportPlot, NothingToDrawIsAnError)
{
	BarChart empty{"t", "y", false, {"a"}, {"s"}, {{std::nullopt}}};
	EXPECT_THROW(bar_script(empty, "d", "p"), Error);
	// A log scale cannot show zeros only.
	BarChart zeros{"t", "y", true, {"a"}, {"s"}, {{0.0}}};
	EXPECT_THROW(bar_script(zeros, "d", "p"), Error);
	zeros.log_y = false;
	EXPECT_NO_THROW(bar_script(zeros, "d", "p"));
	LineChart none{"t", "x", "y", false, {{"a", {}}}};
	EXPECT_THROW(line_script(none, "d", "p"), Error);
}

TEST(ReportPlot, WithoutEmptyDropsWhatCannotBeDrawn)
{
	// A simulator-only run (no faults_per_s) and a policy no kernel run
	// has (opt): gnuplot fails on such a column.
	BarChart c{"t", "y", true, {"nic-oc10", "nic-sim", "prod"},
		   {"none", "opt", "lru"},
		   {{23772.0, std::nullopt, 11264.0},
		    {std::nullopt, std::nullopt},
		    {0.0, std::nullopt, 2507.0}}};
	BarChart w = without_empty(c);
	EXPECT_EQ(w.categories, (std::vector<std::string>{"nic-oc10", "prod"}));
	EXPECT_EQ(w.series, (std::vector<std::string>{"none", "lru"}));
	EXPECT_EQ(bar_data(w), "# category none lru\n"
			       "nic-oc10 23772 11264\n"
			       "prod 0 2507\n");
	EXPECT_NO_THROW(bar_script(w, "d", "p"));
	// On a linear scale 0 is a value.
	c.log_y = false;
	c.values[2][1] = 0.0;
	EXPECT_EQ(without_empty(c).series,
		  (std::vector<std::string>{"none", "opt", "lru"}));
	BarChart none{"t", "y", true, {"a"}, {"s"}, {{0.0}}};
	EXPECT_TRUE(without_empty(none).categories.empty());
	EXPECT_THROW(bar_script(without_empty(none), "d", "p"), Error);
}

TEST(ReportPlot, LineDataAndScript)
{
	LineChart c{"VPRI nic-oc20", "seconds", "faults/s", true,
		    {{"none", {{0, 13160}, {0.1, 14090}}}, {"a dp", {{0, 5}}}}};
	EXPECT_EQ(line_data(c), "# none\n0 13160\n0.1 14090\n\n\n# a_dp\n0 5\n");
	// What line_data writes parses back.
	std::vector<Series> back = parse_series_blocks(line_data(c));
	ASSERT_EQ(back.size(), 2u);
	EXPECT_EQ(back[0].points, c.series[0].points);
	std::string s = line_script(c, "v.dat", "v.png");
	EXPECT_TRUE(contains(s, "plot 'v.dat' index 0 using 1:($2>0?$2:1/0) "
				"with lines lw 2 title 'none', '' index 1"))
		<< s;
	EXPECT_TRUE(contains(s, "title 'a dp'\n"));
	EXPECT_TRUE(contains(s, "set xlabel 'seconds'\n"));
}

TEST(ReportPlot, GnuplotQuote)
{
	EXPECT_EQ(gnuplot_quote("a'b\nc"), "'a''b c'");
	EXPECT_EQ(gnuplot_quote(""), "''");
}

TEST(ReportHtml, Escape)
{
	EXPECT_EQ(html_escape("<a href=\"x\">&'</a>"),
		  "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(ReportHtml, PageEscapesEverything)
{
	Page p("report <1>");
	p.heading("HPA & co", "hpa");
	p.subheading("step <x>");
	p.paragraph("a < b");
	p.table({"h<"}, {{"c&"}, {"d", "e"}});
	p.pre("x <y>\n", "out <put>", false);
	p.pre("open");
	p.image("a\".png", "cap <tion>");
	p.note("fail & skip");
	p.raw("<hr>");
	std::string html = p.render();
	EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
	EXPECT_TRUE(contains(html, "<title>report &lt;1&gt;</title>"));
	EXPECT_TRUE(contains(html, "<h1>report &lt;1&gt;</h1>"));
	EXPECT_TRUE(contains(html, "<h2 id=\"hpa\">HPA &amp; co</h2>"));
	EXPECT_TRUE(contains(html, "<h3>step &lt;x&gt;</h3>"));
	EXPECT_TRUE(contains(html, "<th>h&lt;</th>"));
	EXPECT_TRUE(contains(html, "<td>c&amp;</td>"));
	EXPECT_TRUE(contains(html, "<tr><td>d</td><td>e</td></tr>"));
	EXPECT_TRUE(contains(html, "<details><summary>out &lt;put&gt;"
				   "</summary>\n<pre>x &lt;y&gt;\n</pre>"));
	EXPECT_TRUE(contains(html, "<pre>open</pre>"));
	EXPECT_TRUE(contains(html, "src=\"a&quot;.png\""));
	EXPECT_TRUE(contains(html, "<figcaption>cap &lt;tion&gt;"));
	EXPECT_TRUE(contains(html, "class=\"note\">fail &amp; skip"));
	EXPECT_TRUE(contains(html, "<hr>"));
	EXPECT_TRUE(html.ends_with("</body>\n</html>\n"));
	// Nothing unescaped from the input survives.
	EXPECT_FALSE(contains(html, "<1>"));
	EXPECT_FALSE(contains(html, "<y>"));
}

TEST(ReportProcess, LinesQuietAndStatus)
{
	std::vector<std::string> lines;
	int quiet = 0;
	RunHooks hooks;
	hooks.line = [&](std::string_view l) { lines.emplace_back(l); };
	hooks.quiet = [&](double) { quiet++; };
	hooks.quiet_seconds = 1;
	std::string err;
	int rc = run_process({"sh", "-c",
			      "pwd; printf 'a\\r\\nb'; sleep 2.5; "
			      "echo err >&2; read x || echo no-stdin; exit 3"},
			     "/", hooks, err);
	EXPECT_EQ(rc, 3) << err;
	EXPECT_EQ(lines, (std::vector<std::string>{"/", "a", "berr",
						   "no-stdin"}));
	EXPECT_GE(quiet, 1);
	EXPECT_EQ(run_process({"sh", "-c", "kill -9 $$"}, "/", {}, err),
		  128 + 9);
	EXPECT_EQ(run_process({"/nonexistent/prog"}, "/", {}, err), 127);
	EXPECT_EQ(run_process({}, "/", {}, err), -1);
}

} // namespace
} // namespace hpmm::report
