// SPDX-License-Identifier: GPL-2.0
// The parser for hpmm's debugfs show files (Documentation/debugfs.rst):
// "key: value" lines into an ordered map with typed getters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpmm {

// "123" -> 123. Digits only (no sign, no blanks); nullopt on anything else
// or on overflow.
std::optional<std::uint64_t> parse_u64(std::string_view text);
// As parse_u64 with an optional leading '-'.
std::optional<std::int64_t> parse_i64(std::string_view text);

// The lines of one show file, in file order.
//
// Format: "key: value". The key runs up to the first ':' and holds no blank;
// the ':' is followed by blanks then the value, or ends the line (empty
// value). Values keep inner spaces and lose surrounding blanks. Blank lines
// and a trailing '\r' are ignored. Anything else, and a repeated key, is a
// ParseError naming the source and the 1-based line.
class KeyValues {
public:
	using Entry = std::pair<std::string, std::string>;

	KeyValues() = default;
	explicit KeyValues(std::string source) : source_(std::move(source)) {}

	// Throws ParseError. source names the text in messages, e.g. "status".
	static KeyValues parse(std::string_view text,
			       std::string_view source = "input");

	const std::string &source() const noexcept { return source_; }
	const std::vector<Entry> &entries() const noexcept { return entries_; }
	std::size_t size() const noexcept { return entries_.size(); }
	bool empty() const noexcept { return entries_.empty(); }
	auto begin() const noexcept { return entries_.begin(); }
	auto end() const noexcept { return entries_.end(); }

	bool contains(std::string_view key) const { return find(key) != nullptr; }
	// nullptr when absent.
	const std::string *find(std::string_view key) const;

	// Typed getters; throw Error(operation) naming source and key when the
	// key is absent or the value has the wrong type.
	const std::string &get(std::string_view key) const;
	std::uint64_t get_u64(std::string_view key) const;
	std::int64_t get_i64(std::string_view key) const;

	// Replaces the value of key in place, or appends key at the end.
	void set(std::string key, std::string value);
	// set() of each entry of other, in its order.
	void merge(const KeyValues &other);

private:
	std::string source_;
	std::vector<Entry> entries_;
};

} // namespace hpmm
