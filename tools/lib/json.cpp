// SPDX-License-Identifier: GPL-2.0
#include "hpmm/json.hpp"

#include <cmath>

#include "hpmm/keyvalue.hpp"

namespace hpmm {

Json json_value(std::string_view text)
{
	if (auto n = parse_i64(text))
		return *n;
	if (auto u = parse_u64(text))
		return *u;
	return std::string(text);
}

Json json_number(double d)
{
	if (!std::isfinite(d))
		return nullptr;
	// 2^63: the doubles below it convert to int64_t exactly.
	if (d == std::trunc(d) && std::fabs(d) < 9223372036854775808.0)
		return static_cast<std::int64_t>(d);
	return d;
}

Json json_object(const KeyValues &kv)
{
	Json j = Json::object();
	for (const auto &[key, value] : kv)
		j[key] = json_value(value);
	return j;
}

void print_json(std::ostream &out, const Json &j, bool pretty)
{
	out << j.dump(pretty ? 2 : -1, ' ', false,
		      Json::error_handler_t::replace)
	    << '\n';
}

} // namespace hpmm
