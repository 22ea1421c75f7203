// SPDX-License-Identifier: GPL-2.0
#include "hpmm/json.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "hpmm/keyvalue.hpp"

namespace hpmm {

namespace {

// Length of the valid UTF-8 sequence at s[i] (2..4), or 0 when invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i)
{
	auto byte = [&](std::size_t k) {
		return static_cast<unsigned char>(s[k]);
	};
	unsigned char b = byte(i);
	std::size_t len;
	unsigned char lo = 0x80, hi = 0xbf; // range of the second byte

	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		if (b == 0xe0)
			lo = 0xa0; // overlong
		else if (b == 0xed)
			hi = 0x9f; // UTF-16 surrogates
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		if (b == 0xf0)
			lo = 0x90; // overlong
		else if (b == 0xf4)
			hi = 0x8f; // above U+10FFFF
	} else {
		return 0;
	}
	if (i + len > s.size())
		return 0;
	if (byte(i + 1) < lo || byte(i + 1) > hi)
		return 0;
	for (std::size_t k = 2; k < len; ++k)
		if ((byte(i + k) & 0xc0) != 0x80)
			return 0;
	return len;
}

} // namespace

std::string json_quote(std::string_view text)
{
	static constexpr char hex[] = "0123456789abcdef";
	std::string out;
	out.reserve(text.size() + 2);
	out += '"';
	for (std::size_t i = 0; i < text.size();) {
		unsigned char c = static_cast<unsigned char>(text[i]);
		if (c >= 0x80) {
			std::size_t len = utf8_sequence(text, i);
			if (len) {
				out.append(text.substr(i, len));
				i += len;
			} else {
				out += "\\ufffd";
				++i;
			}
			continue;
		}
		switch (c) {
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\b':
			out += "\\b";
			break;
		case '\f':
			out += "\\f";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		case '\t':
			out += "\\t";
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				out += "\\u00";
				out += hex[c >> 4];
				out += hex[c & 0xf];
			} else {
				out += static_cast<char>(c);
			}
		}
		++i;
	}
	out += '"';
	return out;
}

JsonWriter::JsonWriter(std::ostream &out, bool pretty)
	: out_(out), pretty_(pretty)
{
}

void JsonWriter::newline_indent()
{
	if (pretty_)
		out_ << '\n' << std::string(2 * stack_.size(), ' ');
}

void JsonWriter::before_value()
{
	if (done_)
		throw std::logic_error("JsonWriter: value after the top-level value");
	if (stack_.empty())
		return;
	Frame &top = stack_.back();
	if (top.object) {
		if (!top.have_key)
			throw std::logic_error("JsonWriter: object value without key");
		top.have_key = false;
		return;
	}
	if (!top.empty)
		out_ << ',';
	top.empty = false;
	newline_indent();
}

JsonWriter &JsonWriter::raw(const std::string &token)
{
	before_value();
	out_ << token;
	if (stack_.empty())
		done_ = true;
	return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
	if (stack_.empty() || !stack_.back().object)
		throw std::logic_error("JsonWriter: key outside an object");
	Frame &top = stack_.back();
	if (top.have_key)
		throw std::logic_error("JsonWriter: key after key");
	if (!top.empty)
		out_ << ',';
	top.empty = false;
	top.have_key = true;
	newline_indent();
	out_ << json_quote(name) << (pretty_ ? ": " : ":");
	return *this;
}

JsonWriter &JsonWriter::begin_object()
{
	before_value();
	out_ << '{';
	stack_.push_back(Frame{true});
	return *this;
}

JsonWriter &JsonWriter::begin_array()
{
	before_value();
	out_ << '[';
	stack_.push_back(Frame{false});
	return *this;
}

JsonWriter &JsonWriter::close(bool object)
{
	if (stack_.empty() || stack_.back().object != object)
		throw std::logic_error(object ? "JsonWriter: end_object without object" :
						"JsonWriter: end_array without array");
	if (stack_.back().have_key)
		throw std::logic_error("JsonWriter: key without value");
	bool empty = stack_.back().empty;
	stack_.pop_back();
	if (!empty)
		newline_indent();
	out_ << (object ? '}' : ']');
	if (stack_.empty())
		done_ = true;
	return *this;
}

JsonWriter &JsonWriter::end_object() { return close(true); }
JsonWriter &JsonWriter::end_array() { return close(false); }

JsonWriter &JsonWriter::value(std::string_view text)
{
	return raw(json_quote(text));
}

JsonWriter &JsonWriter::value(bool b) { return raw(b ? "true" : "false"); }

JsonWriter &JsonWriter::value(double d)
{
	if (!std::isfinite(d))
		return null();
	char buf[32];
	// Shortest text that reads back as d.
	auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
	if (ec != std::errc())
		return null();
	return raw(std::string(buf, end));
}

JsonWriter &JsonWriter::null() { return raw("null"); }

JsonWriter &JsonWriter::auto_value(std::string_view text)
{
	if (auto n = parse_i64(text))
		return value(*n);
	if (auto u = parse_u64(text))
		return value(*u);
	return value(text);
}

void JsonWriter::finish()
{
	if (!done_)
		throw std::logic_error("JsonWriter: incomplete value");
	out_ << '\n';
}

} // namespace hpmm
