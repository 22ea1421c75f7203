// SPDX-License-Identifier: GPL-2.0
// hpmm's module parameters, where DEFRAG keeps its module-wide settings
// (defrag_payg_low, defrag_placement): /sys/module/hpmm/parameters/, or
// $HPMM_MODULE_PARAMS when set (tests point it at a folder of their own).
#pragma once

#include <cstdlib>
#include <filesystem>

#include "hpmm/debugfs.hpp"

namespace hpmm::defrag {

inline std::filesystem::path module_params_dir()
{
	const char *dir = std::getenv("HPMM_MODULE_PARAMS");
	return dir && *dir ? std::filesystem::path(dir) :
			     std::filesystem::path("/sys/module/hpmm/parameters");
}

// The parameters as files to read and write, one write(2) a value, with
// the kernel's errno in a failure's message (hpmm::Debugfs does that).
inline Debugfs module_params()
{
	return Debugfs(module_params_dir());
}

} // namespace hpmm::defrag
