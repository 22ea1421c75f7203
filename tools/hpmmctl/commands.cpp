// SPDX-License-Identifier: GPL-2.0
// The command registry, generated from commands.def.
#include <array>

#include "cli.hpp"

namespace hpmm::ctl {

#define HPMM_COMMAND(name) Command name##_command();
#include "commands.def"
#undef HPMM_COMMAND

std::span<const Command> commands()
{
	static const std::array list{
#define HPMM_COMMAND(name) name##_command(),
#include "commands.def"
#undef HPMM_COMMAND
	};
	return list;
}

const Command *find_command(std::string_view name)
{
	for (const Command &cmd : commands())
		if (cmd.name == name)
			return &cmd;
	return nullptr;
}

} // namespace hpmm::ctl
