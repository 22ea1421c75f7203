// SPDX-License-Identifier: GPL-2.0
// Policy names for the tools: the kernel's (pin_set.c) plus "opt".
#include "hpmm/vpri/core.hpp"

#include "hpmm/error.hpp"

namespace hpmm::vpri {

std::optional<int> parse_policy(std::string_view name)
{
	if (name == "opt")
		return policy_opt;
	std::string s(name);
	int id = vpri_policy_parse(s.c_str());
	if (id < 0)
		return std::nullopt;
	return id;
}

std::string policy_name(int policy)
{
	if (policy == policy_opt)
		return "opt";
	return vpri_policy_name(static_cast<vpri_policy_id>(policy));
}

std::vector<int> parse_policy_list(std::string_view list)
{
	// Side by side in this order: the baselines, then the budgeted ones.
	static const int every[] = { VPRI_POLICY_NONE, VPRI_POLICY_ALL,
				     VPRI_POLICY_LRU, VPRI_POLICY_CLOCK,
				     VPRI_POLICY_ARC, VPRI_POLICY_ADP };
	std::vector<int> out;
	if (list == "all" || list == "all+opt") {
		out.assign(std::begin(every), std::end(every));
		if (list == "all+opt")
			out.push_back(policy_opt);
		return out;
	}
	for (std::string_view name : split_list(list)) {
		auto id = parse_policy(name);
		if (!id)
			throw Error(ErrorKind::usage,
				    "vpri: unknown policy '" + std::string(name) +
					    "' (none, all, lru, clock, arc, adp, bpf, opt)");
		out.push_back(*id);
	}
	if (out.empty())
		throw Error(ErrorKind::usage, "vpri: no policy given");
	return out;
}

std::vector<std::string_view> split_list(std::string_view list)
{
	std::vector<std::string_view> out;
	while (!list.empty()) {
		std::size_t comma = list.find(',');
		out.push_back(list.substr(0, comma));
		list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
	}
	return out;
}

} // namespace hpmm::vpri
