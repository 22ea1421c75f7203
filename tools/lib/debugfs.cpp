// SPDX-License-Identifier: GPL-2.0
#include "hpmm/debugfs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

#include "hpmm/error.hpp"
#include "hpmm/fd.hpp"

namespace hpmm {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(ErrorKind kind, const std::string &what, int err)
{
	throw Error(kind, "hpmm: " + what + ": " + errno_text(err));
}

// Reads a whole file with read(2), so errno is exact. Returns the errno on
// failure, 0 on success.
int read_all(const fs::path &file, std::string &data)
{
	Fd fd = Fd::open(file.c_str(), O_RDONLY);
	if (fd.get() < 0)
		return errno;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd.get(), buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0)
			return 0;
		data.append(buf, static_cast<std::size_t>(n));
	}
}

// Decodes the octal escapes of /proc/mounts ("\040" is a space).
std::string unescape_mount(std::string_view field)
{
	auto octal = [](char c) { return c >= '0' && c <= '7'; };
	std::string out;
	for (std::size_t i = 0; i < field.size(); ++i) {
		if (field[i] == '\\' && i + 3 < field.size() &&
		    octal(field[i + 1]) && octal(field[i + 2]) &&
		    octal(field[i + 3])) {
			out += static_cast<char>((field[i + 1] - '0') * 64 +
						 (field[i + 2] - '0') * 8 +
						 (field[i + 3] - '0'));
			i += 3;
			continue;
		}
		out += field[i];
	}
	return out;
}

std::vector<std::string_view> split_blanks(std::string_view line)
{
	std::vector<std::string_view> words;
	std::size_t i = 0;
	while (i < line.size()) {
		while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
			++i;
		std::size_t start = i;
		while (i < line.size() && line[i] != ' ' && line[i] != '\t')
			++i;
		if (i > start)
			words.push_back(line.substr(start, i - start));
	}
	return words;
}

} // namespace

DebugfsLocator DebugfsLocator::from_environment()
{
	DebugfsLocator loc;
	const char *env = std::getenv("HPMM_DEBUGFS");
	if (env && *env)
		loc.hpmm_root = fs::path(env);
	return loc;
}

std::optional<fs::path> find_debugfs_mount(std::string_view mounts)
{
	std::optional<fs::path> found;
	while (!mounts.empty()) {
		std::size_t nl = mounts.find('\n');
		std::string_view line = mounts.substr(0, nl);
		mounts.remove_prefix(nl == std::string_view::npos ? mounts.size() :
								    nl + 1);
		// device mountpoint type options dump pass
		auto words = split_blanks(line);
		if (words.size() < 3 || words[2] != "debugfs")
			continue;
		fs::path mount = unescape_mount(words[1]);
		if (mount == "/sys/kernel/debug")
			return mount;
		if (!found)
			found = std::move(mount);
	}
	return found;
}

Debugfs Debugfs::open(const DebugfsLocator &locator)
{
	fs::path root;
	if (locator.hpmm_root) {
		root = *locator.hpmm_root;
	} else {
		std::string mounts;
		fs::path mount = locator.default_mount;
		if (read_all(locator.mounts, mounts) == 0) {
			auto found = find_debugfs_mount(mounts);
			if (!found)
				throw Error(ErrorKind::environment,
					    std::string(msg_debugfs_not_mounted));
			mount = *found;
		}
		root = mount / "hpmm";
	}

	std::error_code ec;
	fs::file_status st = fs::status(root, ec);
	if (ec && ec != std::errc::no_such_file_or_directory &&
	    ec != std::errc::not_a_directory)
		throw Error(ErrorKind::environment,
			    "hpmm: cannot access " + root.string() + ": " +
				    errno_text(ec.value()) +
				    (ec == std::errc::permission_denied ?
					     " (run as root)" :
					     ""));
	if (!fs::is_directory(st))
		throw Error(ErrorKind::environment,
			    std::string(msg_module_not_loaded));
	return Debugfs(root);
}

fs::path Debugfs::path(std::string_view rel) const { return root_ / rel; }

bool Debugfs::exists(std::string_view rel) const
{
	std::error_code ec;
	return fs::exists(path(rel), ec);
}

std::string Debugfs::read(std::string_view rel) const
{
	std::string data;
	fs::path file = path(rel);
	if (int err = read_all(file, data))
		fail(ErrorKind::operation, "cannot read " + file.string(), err);
	return data;
}

KeyValues Debugfs::read_kv(std::string_view rel) const
{
	return KeyValues::parse(read(rel), rel);
}

void Debugfs::write(std::string_view rel, std::string_view command) const
{
	fs::path file = path(rel);
	std::string shown(command);
	while (!shown.empty() && shown.back() == '\n')
		shown.pop_back();
	std::string what = file.string() + ": '" + shown + "'";

	// No O_TRUNC: debugfs files are not truncated, and a fake tree of
	// regular files only needs to start empty.
	Fd fd = Fd::open(file.c_str(), O_WRONLY);
	if (fd.get() < 0)
		fail(ErrorKind::operation, "cannot open " + file.string(), errno);
	ssize_t n;
	do {
		n = ::write(fd.get(), command.data(), command.size());
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		fail(ErrorKind::operation, what, errno);
	if (static_cast<std::size_t>(n) != command.size())
		throw Error(ErrorKind::operation,
			    "hpmm: " + what + ": short write (" +
				    std::to_string(n) + " of " +
				    std::to_string(command.size()) + " bytes)");
}

std::vector<std::string> Debugfs::list_dirs(std::string_view rel) const
{
	std::vector<std::string> names;
	fs::path dir = path(rel);
	std::error_code ec;
	fs::directory_iterator it(dir, ec);
	if (ec == std::errc::no_such_file_or_directory)
		return names;
	if (ec)
		fail(ErrorKind::operation, "cannot list " + dir.string(),
		     ec.value());
	for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
		std::error_code dec;
		if (it->is_directory(dec))
			names.push_back(it->path().filename().string());
	}
	if (ec)
		fail(ErrorKind::operation, "cannot list " + dir.string(),
		     ec.value());
	std::sort(names.begin(), names.end());
	return names;
}

} // namespace hpmm
