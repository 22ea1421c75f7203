// SPDX-License-Identifier: GPL-2.0
// Access to hpmm's debugfs tree (Documentation/debugfs.rst).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpmm/keyvalue.hpp"

namespace hpmm {

// Where to look for the hpmm debugfs directory.
struct DebugfsLocator {
	// The hpmm directory itself, bypassing the mount lookup (HPMM_DEBUGFS).
	std::optional<std::filesystem::path> hpmm_root;
	// Searched for a "debugfs" mount.
	std::filesystem::path mounts = "/proc/mounts";
	// The debugfs mount point assumed when mounts cannot be read.
	std::filesystem::path default_mount = "/sys/kernel/debug";

	// Defaults, with hpmm_root from $HPMM_DEBUGFS when set and not empty.
	static DebugfsLocator from_environment();
};

// The mount point of debugfs in a /proc/mounts text ("\040"-style escapes
// decoded), preferring /sys/kernel/debug when debugfs is mounted more than
// once; nullopt when it is not mounted.
std::optional<std::filesystem::path> find_debugfs_mount(std::string_view mounts);

// The hpmm debugfs directory. Paths given to members are relative to it,
// e.g. "status" or "dev/0000:00:03.0/info". Every failure throws Error with
// the path and the errno text.
class Debugfs {
public:
	// Locates the hpmm directory. Throws Error(environment) with
	// msg_debugfs_not_mounted, msg_module_not_loaded, or a permission
	// message when the directory cannot be reached.
	static Debugfs open(const DebugfsLocator &locator =
				    DebugfsLocator::from_environment());

	// No checks: root is used as is.
	explicit Debugfs(std::filesystem::path root) : root_(std::move(root)) {}

	const std::filesystem::path &root() const noexcept { return root_; }
	std::filesystem::path path(std::string_view rel) const;
	bool exists(std::string_view rel) const;

	// The whole file (show files have no size: read to EOF).
	std::string read(std::string_view rel) const;
	// read() then KeyValues::parse, with rel as the source name.
	KeyValues read_kv(std::string_view rel) const;
	// One write(2) of command to a control file; the kernel's errno
	// (EINVAL, EBUSY, EIO...) is in the message.
	void write(std::string_view rel, std::string_view command) const;
	// Names of the subdirectories of rel, sorted; empty when rel is absent.
	std::vector<std::string> list_dirs(std::string_view rel) const;

private:
	std::filesystem::path root_;
};

} // namespace hpmm
