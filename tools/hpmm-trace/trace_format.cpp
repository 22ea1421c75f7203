// SPDX-License-Identifier: GPL-2.0
#include "trace_format.hpp"

#include <charconv>
#include <cstddef>
#include <type_traits>

#include "hpmm/error.hpp"
#include "hpmm_trace_events.h"

namespace hpmm::trace {

namespace {

#define HPMM_TRACE_LAYOUT_FIELD(type, name)				\
	Field{#name, offsetof(Ctx, name), sizeof(type), std::is_signed_v<type>},
#define HPMM_TRACE_LAYOUT(event, fields)				\
	EventLayout{#event, [] {					\
		using Ctx = struct event##_ctx;				\
		return std::vector<Field>{				\
			HPMM_TRACE_COMMON(HPMM_TRACE_LAYOUT_FIELD)	\
			fields						\
		};							\
	}()},

std::string_view trim(std::string_view s)
{
	const auto *ws = " \t\r";
	auto b = s.find_first_not_of(ws);
	if (b == std::string_view::npos)
		return {};
	auto e = s.find_last_not_of(ws);
	return s.substr(b, e - b + 1);
}

// "unsigned long long iova" -> "iova"; "char comm[16]" -> "comm";
// "__data_loc char[] name" -> "name".
std::string_view decl_name(std::string_view decl)
{
	decl = trim(decl);
	if (auto br = decl.rfind('['); br != std::string_view::npos &&
				       decl.back() == ']') {
		// An array name ends before its brackets, unless the brackets
		// belong to a __data_loc type and the name follows them.
		auto sp = decl.rfind(' ');
		if (sp == std::string_view::npos || sp < br)
			decl = trim(decl.substr(0, br));
	}
	auto sp = decl.find_last_of(" \t*");
	return sp == std::string_view::npos ? decl : decl.substr(sp + 1);
}

// The value of "key:VALUE;" in a field line, or nullopt.
std::optional<std::string_view> attr(std::string_view line,
				     std::string_view key)
{
	std::size_t pos = 0;
	while ((pos = line.find(key, pos)) != std::string_view::npos) {
		bool start = pos == 0 || line[pos - 1] == '\t' ||
			     line[pos - 1] == ' ' || line[pos - 1] == ';';
		if (start && pos + key.size() < line.size() &&
		    line[pos + key.size()] == ':') {
			auto v = line.substr(pos + key.size() + 1);
			auto semi = v.find(';');
			if (semi == std::string_view::npos)
				return std::nullopt;
			return trim(v.substr(0, semi));
		}
		pos += key.size();
	}
	return std::nullopt;
}

bool to_size(std::string_view s, std::size_t &out)
{
	if (s.empty())
		return false;
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
	return ec == std::errc() && p == s.data() + s.size();
}

[[noreturn]] void malformed(std::string_view source, std::size_t line,
			    std::string_view why)
{
	throw Error(ErrorKind::operation,
		    "hpmm-trace: " + std::string(source) + ":" +
			    std::to_string(line) + ": " + std::string(why));
}

std::string desc(std::size_t v)
{
	return std::to_string(v);
}

} // namespace

const std::vector<EventLayout> &compiled_events()
{
	static const std::vector<EventLayout> events{
		HPMM_TRACE_EVENTS(HPMM_TRACE_LAYOUT, HPMM_TRACE_LAYOUT_FIELD)
	};
	return events;
}

const EventLayout *find_compiled(std::string_view name)
{
	for (const auto &e : compiled_events())
		if (e.name == name)
			return &e;
	return nullptr;
}

EventLayout parse_format(std::string_view text, std::string_view source)
{
	EventLayout ev;
	std::size_t lineno = 0;
	bool in_format = false;

	while (!text.empty()) {
		auto nl = text.find('\n');
		auto line = text.substr(0, nl);
		text = nl == std::string_view::npos ? std::string_view{} :
						      text.substr(nl + 1);
		lineno++;
		auto t = trim(line);

		if (t.starts_with("name:")) {
			ev.name = std::string(trim(t.substr(5)));
		} else if (t == "format:") {
			in_format = true;
		} else if (t.starts_with("print fmt:")) {
			break;
		} else if (in_format && t.starts_with("field:")) {
			auto decl_end = t.find(';');
			if (decl_end == std::string_view::npos)
				malformed(source, lineno, "field without ';'");
			Field f;
			f.name = std::string(decl_name(t.substr(6, decl_end - 6)));
			auto off = attr(t, "offset");
			auto size = attr(t, "size");
			auto sgn = attr(t, "signed");
			std::size_t s = 0;
			if (f.name.empty() || !off || !size || !sgn ||
			    !to_size(*off, f.offset) ||
			    !to_size(*size, f.size) || !to_size(*sgn, s) ||
			    s > 1)
				malformed(source, lineno,
					  "cannot parse field line '" +
						  std::string(t) + "'");
			f.is_signed = s == 1;
			ev.fields.push_back(std::move(f));
		}
	}
	if (ev.name.empty())
		malformed(source, lineno, "no 'name:' line");
	if (!in_format)
		malformed(source, lineno, "no 'format:' section");
	return ev;
}

std::vector<std::string> compare_layouts(const EventLayout &want,
					 const EventLayout &have)
{
	std::vector<std::string> diffs;
	const std::string ev = "event " + want.name + ": ";

	if (want.name != have.name)
		diffs.push_back(ev + "the format file describes event '" +
				have.name + "'");

	for (const auto &w : want.fields) {
		const Field *h = nullptr;
		for (const auto &f : have.fields)
			if (f.name == w.name)
				h = &f;
		const std::string fld = ev + "field '" + w.name + "': ";
		if (!h) {
			diffs.push_back(fld + "not in the kernel's format");
			continue;
		}
		if (h->offset != w.offset)
			diffs.push_back(fld + "offset " + desc(h->offset) +
					" in the kernel, " + desc(w.offset) +
					" in hpmm-trace");
		if (h->size != w.size)
			diffs.push_back(fld + "size " + desc(h->size) +
					" in the kernel, " + desc(w.size) +
					" in hpmm-trace");
		if (h->is_signed != w.is_signed)
			diffs.push_back(fld + (h->is_signed ? "signed" :
							      "unsigned") +
					" in the kernel, " +
					(w.is_signed ? "signed" : "unsigned") +
					" in hpmm-trace");
	}
	for (const auto &h : have.fields) {
		bool known = false;
		for (const auto &w : want.fields)
			known = known || w.name == h.name;
		if (!known)
			diffs.push_back(ev + "field '" + h.name +
					"': in the kernel's format, not in "
					"hpmm-trace");
	}
	return diffs;
}

} // namespace hpmm::trace
