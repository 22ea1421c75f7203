// SPDX-License-Identifier: GPL-2.0
// JSON output of the hpmm tools: nlohmann::ordered_json (keys stay in the
// order they were set) and the few conversions the tools share.
#pragma once

#include <ostream>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hpmm {

class KeyValues;

using Json = nlohmann::ordered_json;

// A debugfs value: a number when it is a decimal integer that fits 64 bits
// ("-1", "4096"), else a string ("0.1.0", "DMA-FQ").
Json json_value(std::string_view text);

// A measured figure: an integer when d is a whole number ("1", not "1.0"),
// null when it is not finite, else the shortest text that reads back as d.
Json json_number(double d);

// {"key": json_value(value), ...} in the entries' order.
Json json_object(const KeyValues &kv);

// j followed by a newline. pretty: newlines and two-space indentation,
// else compact. Invalid UTF-8 in strings becomes U+FFFD.
void print_json(std::ostream &out, const Json &j, bool pretty = true);

} // namespace hpmm
