// SPDX-License-Identifier: GPL-2.0
// Reading and writing VPRI traces (format in trace.hpp).
#include "hpmm/vpri/trace.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <istream>
#include <ostream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "hpmm/error.hpp"

namespace hpmm::vpri {

namespace {

[[noreturn]] void bad_line(const std::string &source, std::size_t line,
			   const std::string &what)
{
	throw Error(ErrorKind::operation,
		    source + ":" + std::to_string(line) + ": " + what);
}

bool parse_u64(std::string_view s, std::uint64_t &out)
{
	int base = 10;
	if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s.remove_prefix(2);
		base = 16;
	}
	if (s.empty())
		return false;
	auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
	return ec == std::errc() && ptr == s.data() + s.size();
}

} // namespace

std::uint32_t Trace::footprint() const
{
	std::unordered_set<std::uint32_t> seen;
	for (const Access &a : accesses)
		for (std::uint32_t p = a.first_page(); p <= a.last_page(); p++)
			seen.insert(p);
	return static_cast<std::uint32_t>(seen.size());
}

std::uint64_t Trace::page_accesses() const
{
	std::uint64_t n = 0;
	for (const Access &a : accesses)
		n += a.last_page() - a.first_page() + 1;
	return n;
}

Trace parse_trace(std::istream &in, const std::string &source)
{
	Trace t;
	std::string line;
	std::size_t lineno = 0;
	std::uint64_t max_end = 0;
	bool have_pages = false;

	while (std::getline(in, line)) {
		lineno++;
		std::size_t hash = line.find('#');
		if (hash != std::string::npos) {
			std::istringstream c(line.substr(hash + 1));
			std::string key;
			std::uint64_t n = 0;
			if (c >> key && key == "pages") {
				std::string v;
				if (!(c >> v) || !parse_u64(v, n) || !n || n > (1U << 16))
					bad_line(source, lineno, "bad '# pages' header");
				t.pages = static_cast<std::uint32_t>(n);
				have_pages = true;
			}
			line.resize(hash);
		}
		std::istringstream ls(line);
		std::string op, iova, len, extra;
		if (!(ls >> op))
			continue;
		if (!(ls >> iova >> len) || (ls >> extra))
			bad_line(source, lineno, "expected 'R|W IOVA LEN'");
		Access a;
		std::uint64_t l = 0;
		if (op == "W" || op == "w")
			a.write = true;
		else if (op != "R" && op != "r")
			bad_line(source, lineno, "op must be R or W, not '" + op + "'");
		if (!parse_u64(iova, a.iova))
			bad_line(source, lineno, "bad IOVA '" + iova + "'");
		if (!parse_u64(len, l) || !l || l > max_access_len)
			bad_line(source, lineno, "length must be 1..4095");
		a.len = static_cast<std::uint32_t>(l);
		if (a.iova > (1ULL << 28) - l)
			bad_line(source, lineno, "access beyond the 28-bit DMA space");
		max_end = std::max(max_end, a.iova + a.len);
		t.accesses.push_back(a);
	}
	std::uint64_t needed = (max_end + page_size - 1) / page_size;
	if (!have_pages)
		t.pages = static_cast<std::uint32_t>(std::max<std::uint64_t>(needed, 1));
	else if (needed > t.pages)
		throw Error(ErrorKind::operation,
			    source + ": accesses go beyond '# pages " +
				    std::to_string(t.pages) + "'");
	return t;
}

Trace read_trace(const std::filesystem::path &path)
{
	std::ifstream in(path);
	if (!in)
		throw Error(ErrorKind::operation, path.string() + ": cannot open");
	return parse_trace(in, path.string());
}

void write_trace(std::ostream &out, const Trace &trace)
{
	out << "# hpmm-vpri-trace 1\n";
	out << "# pages " << trace.pages << "\n";
	for (const std::string &c : trace.comments)
		out << "# " << c << "\n";
	char buf[64];
	for (const Access &a : trace.accesses) {
		auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), a.iova, 16);
		out << (a.write ? 'W' : 'R') << " 0x" << std::string_view(buf, p - buf)
		    << ' ' << a.len << '\n';
	}
}

void write_trace(const std::filesystem::path &path, const Trace &trace)
{
	std::ofstream out(path);
	if (!out)
		throw Error(ErrorKind::operation, path.string() + ": cannot create");
	write_trace(out, trace);
	if (!out.flush())
		throw Error(ErrorKind::operation, path.string() + ": write failed");
}

} // namespace hpmm::vpri
