// SPDX-License-Identifier: GPL-2.0
#include "render.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "hpmm/error.hpp"
#include "hpmm/process.hpp"

namespace hpmm::defrag {

namespace {

[[noreturn]] void bad_line(std::size_t n, std::string_view why)
{
	throw Error(ErrorKind::operation, "blocks line " + std::to_string(n) +
						  ": " + std::string(why));
}

bool to_uint(std::string_view s, std::uint64_t &v, int base = 10)
{
	if (base == 16 && s.starts_with("0x"))
		s.remove_prefix(2);
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
	return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

struct Kind {
	char lower;
	std::string_view name;
	Rgb color;
};

// Colour-blind friendly (Okabe-Ito) hues.
constexpr Kind kinds[] = {
	{'u', "unmovable", {213, 94, 0}},
	{'m', "movable", {0, 114, 178}},
	{'r', "reclaimable", {230, 159, 0}},
	{'#', "huge", {204, 121, 167}},
	{'c', "compacting", {240, 228, 66}},
	{'.', "free", {200, 200, 200}},
	{'_', "pool", {235, 235, 235}},
};

const Kind *kind_of(char c)
{
	char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	for (const Kind &k : kinds)
		if (k.lower == l)
			return &k;
	return nullptr;
}

unsigned columns_for(std::size_t n, unsigned asked)
{
	if (asked)
		return asked;
	unsigned c = static_cast<unsigned>(std::ceil(std::sqrt(double(n) * 2)));
	return std::clamp(c, 8u, 64u);
}

std::string xml_escape(std::string_view s)
{
	std::string out;
	for (char c : s) {
		switch (c) {
		case '<':
			out += "&lt;";
			break;
		case '>':
			out += "&gt;";
			break;
		case '&':
			out += "&amp;";
			break;
		case '"':
			out += "&quot;";
			break;
		default:
			out += c;
		}
	}
	return out;
}

std::string hex_pfn(std::uint64_t pfn)
{
	std::ostringstream s;
	s << "0x" << std::hex << pfn;
	return s.str();
}

} // namespace

std::vector<BlockCell> parse_blocks(std::string_view text)
{
	std::vector<BlockCell> cells;
	std::size_t n = 0;
	while (!text.empty()) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() :
								  nl + 1);
		n++;
		if (line.empty() || line[0] == '#')
			continue;
		std::vector<std::string_view> w;
		std::size_t i = 0;
		while (i < line.size()) {
			std::size_t s = line.find_first_not_of(' ', i);
			if (s == std::string_view::npos)
				break;
			std::size_t e = line.find(' ', s);
			if (e == std::string_view::npos)
				e = line.size();
			w.push_back(line.substr(s, e - s));
			i = e;
		}
		// An eighth column (pages zeroed) is not drawn; a ninth is
		// the NUMA node.
		if (w.size() < 7 || w.size() > 9 || w[2].size() != 1)
			bad_line(n, "expected PFN GROUP CHAR FREE U M R [ZEROED [NODE]]");
		BlockCell c;
		std::uint64_t v[4];
		if (!to_uint(w[0], c.pfn, 16) || !to_uint(w[1], c.group) ||
		    !to_uint(w[3], v[0]) || !to_uint(w[4], v[1]) ||
		    !to_uint(w[5], v[2]) || !to_uint(w[6], v[3]) ||
		    v[0] > 512 || v[1] > 512 || v[2] > 512 || v[3] > 512)
			bad_line(n, "bad number");
		std::uint64_t zeroed;
		if (w.size() >= 8 && !to_uint(w[7], zeroed))
			bad_line(n, "bad number");
		std::uint64_t node = 0;
		if (w.size() == 9 && (!to_uint(w[8], node) || node > 1023))
			bad_line(n, "bad node");
		c.node = static_cast<unsigned>(node);
		c.c = w[2][0];
		c.free = static_cast<unsigned>(v[0]);
		for (int k = 0; k < 3; k++)
			c.used[k] = static_cast<unsigned>(v[k + 1]);
		cells.push_back(c);
	}
	return cells;
}

std::string_view cell_kind(char c)
{
	const Kind *k = kind_of(c);
	return k ? k->name : "unknown";
}

Rgb cell_color(const BlockCell &cell)
{
	const Kind *k = kind_of(cell.c);
	if (!k)
		return {0, 0, 0};
	if (k->lower == '.' || k->lower == '_' || k->lower == '#')
		return k->color;
	// Fullness 0 -> 15% of the colour over white, 1 -> the full colour.
	double full = std::clamp(cell.used_total() / 512.0, 0.0, 1.0);
	double a = 0.15 + 0.85 * full;
	auto mix = [a](unsigned char base) {
		return static_cast<unsigned char>(
			std::lround(255.0 * (1 - a) + base * a));
	};
	return {mix(k->color.r), mix(k->color.g), mix(k->color.b)};
}

std::string rgb_hex(Rgb c)
{
	static const char digits[] = "0123456789abcdef";
	std::string s = "#";
	for (unsigned char v : {c.r, c.g, c.b}) {
		s += digits[v >> 4];
		s += digits[v & 15];
	}
	return s;
}

std::string render_svg(const std::vector<BlockCell> &cells,
		       const MapStyle &style)
{
	const unsigned cols = columns_for(cells.size(), style.columns);
	const unsigned rows =
		static_cast<unsigned>((cells.size() + cols - 1) / cols);
	const unsigned cs = std::max(style.cell, 4u);
	const unsigned top = 28, legend = 24 * 2 + 8;
	const unsigned width = std::max(cols * cs + 16, 420u);
	const unsigned height = top + rows * cs + legend;
	std::ostringstream s;

	s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	  << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
	  << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' '
	  << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
	  << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
	  << "<text x=\"8\" y=\"18\" font-size=\"14\">"
	  << xml_escape(style.title) << " (" << cells.size()
	  << " blocks of 2 MiB)</text>\n";
	for (std::size_t i = 0; i < cells.size(); i++) {
		const BlockCell &c = cells[i];
		unsigned x = 8 + static_cast<unsigned>(i % cols) * cs;
		unsigned y = top + static_cast<unsigned>(i / cols) * cs;
		s << "<rect class=\"block\" x=\"" << x << "\" y=\"" << y
		  << "\" width=\"" << cs - 1 << "\" height=\"" << cs - 1
		  << "\" fill=\"" << rgb_hex(cell_color(c)) << "\"><title>pfn "
		  << hex_pfn(c.pfn) << " group " << c.group << ' '
		  << cell_kind(c.c) << ": " << c.used_total() << " used, "
		  << c.free << " free (u " << c.used[0] << ", m " << c.used[1]
		  << ", r " << c.used[2] << ")</title></rect>\n";
	}
	unsigned ly = top + rows * cs + 10, lx = 8;
	for (const Kind &k : kinds) {
		if (lx + 110 > width) {
			lx = 8;
			ly += 24;
		}
		s << "<rect x=\"" << lx << "\" y=\"" << ly
		  << "\" width=\"12\" height=\"12\" fill=\"" << rgb_hex(k.color)
		  << "\" stroke=\"#666\" stroke-width=\"0.5\"/><text x=\""
		  << lx + 16 << "\" y=\"" << ly + 11 << "\">" << k.name
		  << "</text>\n";
		lx += 110;
	}
	s << "</svg>\n";
	return s.str();
}

namespace {

// gnuplot with one argument, its output kept for the error message.
int run_program(const std::filesystem::path &prog,
		const std::filesystem::path &arg, std::string &err)
{
	std::string output;
	int status = run_process({prog.string(), arg.string()}, output);
	if (status < 0) {
		err = output;
		return -1;
	}
	if (status) {
		err = prog.string() + " failed (status " +
		      std::to_string(status) + ")";
		return -1;
	}
	return 0;
}

bool has_terminal(const std::filesystem::path &gnuplot,
		  std::string_view term)
{
	// "set terminal" lists the terminals; avoid a shell.
	std::filesystem::path tmp = std::filesystem::temp_directory_path() /
		("hpmm-gp-" + std::to_string(getpid()) + ".gp");
	{
		std::ofstream f(tmp);
		f << "set print '" << tmp.string() << ".out'\n"
		  << "print GPVAL_TERMINALS\n";
	}
	std::string err;
	bool ok = run_program(gnuplot, tmp, err) == 0;
	std::string terms;
	if (ok) {
		std::ifstream in(tmp.string() + ".out");
		std::getline(in, terms);
	}
	std::filesystem::remove(tmp);
	std::filesystem::remove(tmp.string() + ".out");
	std::string t(term);
	return (" " + terms + " ").find(" " + t + " ") != std::string::npos;
}

} // namespace

std::string render_png(const std::vector<BlockCell> &cells,
		       const std::filesystem::path &out, const MapStyle &style)
{
	namespace fs = std::filesystem;
	std::optional<fs::path> gnuplot = find_program("gnuplot");
	if (!gnuplot)
		return "gnuplot not found (install gnuplot-nox for PNG maps)";
	const unsigned cols = columns_for(cells.size(), style.columns);
	const unsigned rows =
		static_cast<unsigned>((cells.size() + cols - 1) / cols);
	const unsigned cs = std::max(style.cell, 4u);

	fs::path dir = fs::temp_directory_path() /
		       ("hpmm-map-" + std::to_string(getpid()));
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		return "cannot create " + dir.string();
	fs::path data = dir / "cells.dat", script = dir / "map.gp";
	{
		std::ofstream d(data);
		for (std::size_t i = 0; i < cells.size(); i++) {
			Rgb c = cell_color(cells[i]);
			d << i % cols << ' ' << i / cols << ' '
			  << ((c.r << 16) | (c.g << 8) | c.b) << '\n';
		}
	}
	const char *term = has_terminal(*gnuplot, "pngcairo") ? "pngcairo" :
								 "png";
	{
		std::ofstream g(script);
		g << "set terminal " << term << " size "
		  << std::max(cols * cs + 40, 480u) << ','
		  << rows * cs + 140 << '\n'
		  << "set output '" << out.string() << "'\n"
		  << "set title '" << style.title << " (" << cells.size()
		  << " blocks of 2 MiB)'\n"
		  << "unset xtics\nunset ytics\nunset border\n"
		  << "set xrange [-1:" << cols << "]\n"
		  << "set yrange [" << rows << ":-1]\n"
		  << "set key outside bottom center horizontal\n"
		  << "set style fill solid 1.0 noborder\n"
		  << "plot '" << data.string()
		  << "' using 1:2:(0.45):(0.45):3 with boxxyerror lc rgb "
		     "variable notitle";
		for (const Kind &k : kinds)
			g << ", NaN with boxes lc rgb '" << rgb_hex(k.color)
			  << "' title '" << k.name << "'";
		g << '\n';
	}
	std::string err;
	run_program(*gnuplot, script, err);
	fs::remove_all(dir, ec);
	return err;
}

} // namespace hpmm::defrag
