// SPDX-License-Identifier: GPL-2.0
#include "hpmm/keyvalue.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "hpmm/error.hpp"

namespace hpmm {

namespace {

bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s)
{
	while (!s.empty() && is_blank(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && is_blank(s.back()))
		s.remove_suffix(1);
	return s;
}

[[noreturn]] void bad_value(const std::string &source, std::string_view key,
			    std::string_view expected, std::string_view value)
{
	std::string msg = "hpmm: " + source + ": key '";
	msg.append(key);
	msg += "': expected ";
	msg.append(expected);
	msg += ", got '";
	msg.append(value);
	msg += '\'';
	throw Error(ErrorKind::operation, msg);
}

} // namespace

std::optional<std::uint64_t> parse_u64(std::string_view text)
{
	if (text.empty() ||
	    !std::all_of(text.begin(), text.end(),
			 [](char c) { return c >= '0' && c <= '9'; }))
		return std::nullopt;
	std::uint64_t value = 0;
	auto [end, ec] =
		std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

std::optional<std::int64_t> parse_i64(std::string_view text)
{
	std::string_view digits = text;
	if (!digits.empty() && digits.front() == '-')
		digits.remove_prefix(1);
	if (digits.empty() ||
	    !std::all_of(digits.begin(), digits.end(),
			 [](char c) { return c >= '0' && c <= '9'; }))
		return std::nullopt;
	std::int64_t value = 0;
	auto [end, ec] =
		std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

KeyValues KeyValues::parse(std::string_view text, std::string_view source)
{
	KeyValues kv{std::string(source)};
	std::map<std::string, std::size_t, std::less<>> first_line;
	std::size_t lineno = 0;

	while (!text.empty()) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() :
								  nl + 1);
		++lineno;
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		if (trim(line).empty())
			continue;

		std::size_t colon = line.find(':');
		if (colon == std::string_view::npos)
			throw ParseError(source, lineno,
					 "expected 'key: value'", line);
		std::string_view key = line.substr(0, colon);
		if (key.empty())
			throw ParseError(source, lineno, "empty key", line);
		if (std::any_of(key.begin(), key.end(), [](char c) {
			    return is_blank(c) ||
				   static_cast<unsigned char>(c) < 0x20;
		    }))
			throw ParseError(source, lineno, "blank in key", line);
		std::string_view rest = line.substr(colon + 1);
		if (!rest.empty() && !is_blank(rest.front()))
			throw ParseError(source, lineno,
					 "expected a blank after ':'", line);

		auto [it, inserted] = first_line.try_emplace(std::string(key),
							     lineno);
		if (!inserted)
			throw ParseError(source, lineno,
					 "duplicate key (first on line " +
						 std::to_string(it->second) +
						 ")",
					 line);
		kv.entries_.emplace_back(std::string(key),
					 std::string(trim(rest)));
	}
	return kv;
}

const std::string *KeyValues::find(std::string_view key) const
{
	for (const auto &[k, v] : entries_)
		if (k == key)
			return &v;
	return nullptr;
}

const std::string &KeyValues::get(std::string_view key) const
{
	if (const std::string *v = find(key))
		return *v;
	std::string msg = "hpmm: " + source_ + ": no key '";
	msg.append(key);
	msg += '\'';
	throw Error(ErrorKind::operation, msg);
}

std::uint64_t KeyValues::get_u64(std::string_view key) const
{
	const std::string &v = get(key);
	if (auto n = parse_u64(v))
		return *n;
	bad_value(source_, key, "an unsigned number", v);
}

std::int64_t KeyValues::get_i64(std::string_view key) const
{
	const std::string &v = get(key);
	if (auto n = parse_i64(v))
		return *n;
	bad_value(source_, key, "a number", v);
}

void KeyValues::set(std::string key, std::string value)
{
	for (auto &[k, v] : entries_) {
		if (k == key) {
			v = std::move(value);
			return;
		}
	}
	entries_.emplace_back(std::move(key), std::move(value));
}

void KeyValues::merge(const KeyValues &other)
{
	for (const auto &[k, v] : other.entries_)
		set(k, v);
}

} // namespace hpmm
