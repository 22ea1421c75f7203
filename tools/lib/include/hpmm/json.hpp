// SPDX-License-Identifier: GPL-2.0
// A minimal streaming JSON writer (RFC 8259), no dependencies.
#pragma once

#include <concepts>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm {

// text as a JSON string literal, quotes included. '"', '\\' and control
// characters are escaped; valid UTF-8 passes through; each byte of an
// invalid UTF-8 sequence becomes U+FFFD.
std::string json_quote(std::string_view text);

// Writes one JSON value to out. Calls must nest properly: inside an object,
// key() then exactly one value; misuse throws std::logic_error.
//
//   JsonWriter j(std::cout);
//   j.begin_object().key("devices").value(2).end_object().finish();
class JsonWriter {
public:
	// pretty: newlines and two-space indentation; else compact.
	explicit JsonWriter(std::ostream &out, bool pretty = true);

	JsonWriter &begin_object();
	JsonWriter &end_object();
	JsonWriter &begin_array();
	JsonWriter &end_array();
	JsonWriter &key(std::string_view name);

	JsonWriter &value(std::string_view text);
	JsonWriter &value(const char *text) { return value(std::string_view(text)); }
	JsonWriter &value(bool b);
	JsonWriter &value(double d); // non-finite -> null
	template <std::integral T>
		requires(!std::same_as<T, bool>)
	JsonWriter &value(T n)
	{
		if constexpr (std::is_signed_v<T>)
			return raw(std::to_string(static_cast<std::int64_t>(n)));
		else
			return raw(std::to_string(static_cast<std::uint64_t>(n)));
	}
	JsonWriter &null();

	// A debugfs value: a number when it is a decimal integer that fits 64
	// bits ("-1", "4096"), else a string ("0.1.0", "DMA-FQ").
	JsonWriter &auto_value(std::string_view text);

	// Checks that the value is complete and ends the output with a newline.
	void finish();

private:
	struct Frame {
		bool object;
		bool empty = true;
		bool have_key = false;
	};

	JsonWriter &raw(const std::string &token);
	void before_value();
	void newline_indent();
	JsonWriter &close(bool object);

	std::ostream &out_;
	bool pretty_;
	bool done_ = false;
	std::vector<Frame> stack_;
};

} // namespace hpmm
