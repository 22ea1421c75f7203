// SPDX-License-Identifier: GPL-2.0
// hpmmctl: inspect and drive the hpmm kernel module through debugfs.
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
	hpmm::ctl::Context ctx{std::cout, std::cerr,
			       hpmm::DebugfsLocator::from_environment()};
	return hpmm::ctl::run(args, ctx);
}
