// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <cstdlib>

#include "fake_debugfs.hpp"
#include "hpmm/debugfs.hpp"
#include "hpmm/error.hpp"

namespace hpmm {
namespace {

namespace fs = std::filesystem;
using test::FakeHpmm;
using test::read_file;
using test::TempDir;
using test::write_file;

// The Error that Debugfs::open(loc) must throw.
Error open_error(const DebugfsLocator &loc)
{
	try {
		Debugfs::open(loc);
	} catch (const Error &e) {
		return e;
	}
	ADD_FAILURE() << "Debugfs::open did not throw";
	return Error(ErrorKind::usage, "none");
}

TEST(FindDebugfsMount, FromProcMounts)
{
	EXPECT_EQ(find_debugfs_mount(
			  "sysfs /sys sysfs rw,nosuid 0 0\n"
			  "debugfs /sys/kernel/debug debugfs rw,relatime 0 0\n"
			  "tmpfs /run tmpfs rw 0 0\n"),
		  fs::path("/sys/kernel/debug"));
}

TEST(FindDebugfsMount, NotMounted)
{
	EXPECT_EQ(find_debugfs_mount(""), std::nullopt);
	EXPECT_EQ(find_debugfs_mount("sysfs /sys sysfs rw 0 0\n"
				     "debugfs /d tmpfs rw 0 0\n" // type wins
				     "short debugfs\n"),
		  std::nullopt);
}

TEST(FindDebugfsMount, EscapesAndPreference)
{
	EXPECT_EQ(find_debugfs_mount("none /mnt/my\\040debug debugfs rw 0 0"),
		  fs::path("/mnt/my debug"));
	EXPECT_EQ(find_debugfs_mount("none /a\\134b\\04 debugfs rw 0 0"),
		  fs::path("/a\\b\\04"));
	EXPECT_EQ(find_debugfs_mount("none /mnt/d debugfs rw 0 0\n"
				     "none /sys/kernel/debug debugfs rw 0 0\n"),
		  fs::path("/sys/kernel/debug"));
	EXPECT_EQ(find_debugfs_mount("none /mnt/d debugfs rw 0 0\n"
				     "none /mnt/e debugfs rw 0 0\n"),
		  fs::path("/mnt/d"));
}

TEST(DebugfsOpen, OverrideMissingIsModuleNotLoaded)
{
	TempDir tmp;
	DebugfsLocator loc;
	loc.hpmm_root = tmp.path() / "hpmm";
	Error e = open_error(loc);
	EXPECT_EQ(e.kind(), ErrorKind::environment);
	EXPECT_EQ(e.exit_code(), 2);
	EXPECT_EQ(e.what(), msg_module_not_loaded);
	EXPECT_STREQ(e.what(), "hpmm: module not loaded (insmod hpmm.ko)");

	write_file(tmp.path() / "hpmm", "a file, not a directory");
	EXPECT_EQ(open_error(loc).what(), msg_module_not_loaded);
}

TEST(DebugfsOpen, NoDebugfsInMountsIsNotMounted)
{
	TempDir tmp;
	write_file(tmp.path() / "mounts", "proc /proc proc rw 0 0\n");
	DebugfsLocator loc;
	loc.mounts = tmp.path() / "mounts";
	Error e = open_error(loc);
	EXPECT_EQ(e.exit_code(), 2);
	EXPECT_STREQ(e.what(), "hpmm: debugfs is not mounted (mount -t "
			       "debugfs none /sys/kernel/debug)");
}

TEST(DebugfsOpen, MountedWithoutHpmmIsNotLoaded)
{
	TempDir tmp;
	fs::create_directories(tmp.path() / "debug");
	write_file(tmp.path() / "mounts",
		   "none " + (tmp.path() / "debug").string() +
			   " debugfs rw 0 0\n");
	DebugfsLocator loc;
	loc.mounts = tmp.path() / "mounts";
	Error e = open_error(loc);
	EXPECT_EQ(e.exit_code(), 2);
	EXPECT_EQ(e.what(), msg_module_not_loaded);
}

TEST(DebugfsOpen, FindsHpmmUnderEscapedMountPoint)
{
	TempDir tmp;
	fs::path mount = tmp.path() / "my debug";
	fs::create_directories(mount / "hpmm");
	std::string escaped = tmp.path().string() + "/my\\040debug";
	write_file(tmp.path() / "mounts",
		   "sysfs /sys sysfs rw 0 0\nnone " + escaped +
			   " debugfs rw 0 0\n");
	DebugfsLocator loc;
	loc.mounts = tmp.path() / "mounts";
	EXPECT_EQ(Debugfs::open(loc).root(), mount / "hpmm");
}

TEST(DebugfsOpen, UnreadableMountsFallsBackToDefaultMount)
{
	TempDir tmp;
	fs::create_directories(tmp.path() / "hpmm");
	DebugfsLocator loc;
	loc.mounts = tmp.path() / "no-such-mounts";
	loc.default_mount = tmp.path();
	EXPECT_EQ(Debugfs::open(loc).root(), tmp.path() / "hpmm");
}

TEST(DebugfsLocator, FromEnvironment)
{
	const char *saved = std::getenv("HPMM_DEBUGFS");
	std::string old = saved ? saved : "";

	::setenv("HPMM_DEBUGFS", "/x/hpmm", 1);
	EXPECT_EQ(DebugfsLocator::from_environment().hpmm_root,
		  fs::path("/x/hpmm"));
	::setenv("HPMM_DEBUGFS", "", 1);
	EXPECT_EQ(DebugfsLocator::from_environment().hpmm_root, std::nullopt);
	::unsetenv("HPMM_DEBUGFS");
	DebugfsLocator loc = DebugfsLocator::from_environment();
	EXPECT_EQ(loc.hpmm_root, std::nullopt);
	EXPECT_EQ(loc.mounts, fs::path("/proc/mounts"));
	EXPECT_EQ(loc.default_mount, fs::path("/sys/kernel/debug"));

	if (saved)
		::setenv("HPMM_DEBUGFS", old.c_str(), 1);
}

TEST(Debugfs, ReadsAndParsesFakeTree)
{
	FakeHpmm fake;
	fake.add_device("0000:00:03.0", 0, 3, "DMA-FQ", 42);
	DebugfsLocator loc;
	loc.hpmm_root = fake.root();
	Debugfs d = Debugfs::open(loc);
	EXPECT_EQ(d.read("version"), "0.1.0\n");
	KeyValues status = d.read_kv("status");
	EXPECT_EQ(status.source(), "status");
	EXPECT_EQ(status.get("components"), "dev hpa");
	EXPECT_EQ(status.get_u64("live_pages"), 7u);
	KeyValues stats = d.read_kv("dev/0000:00:03.0/stats");
	EXPECT_EQ(stats.get_u64("last_ns"), 42u);
	EXPECT_TRUE(d.exists("dev/0000:00:03.0/info"));
	EXPECT_FALSE(d.exists("dev/0000:00:09.0"));
}

TEST(Debugfs, ReadErrorsNameFileAndErrno)
{
	TempDir tmp;
	Debugfs d(tmp.path());
	try {
		d.read("status");
		FAIL();
	} catch (const Error &e) {
		EXPECT_EQ(e.kind(), ErrorKind::operation);
		EXPECT_EQ(std::string(e.what()),
			  "hpmm: cannot read " + (tmp.path() / "status").string() +
				  ": No such file or directory (ENOENT)");
	}
	write_file(tmp.path() / "status", "a: 1\nbroken\n");
	try {
		d.read_kv("status");
		FAIL();
	} catch (const ParseError &e) {
		EXPECT_EQ(e.line(), 2u);
	}
}

TEST(Debugfs, WriteIsOneCommand)
{
	TempDir tmp;
	write_file(tmp.path() / "control", "");
	Debugfs d(tmp.path());
	d.write("control", "roundtrip edu 64\n");
	EXPECT_EQ(read_file(tmp.path() / "control"), "roundtrip edu 64\n");
}

TEST(Debugfs, WriteErrorsCarryErrno)
{
	TempDir tmp;
	Debugfs d(tmp.path());
	try {
		d.write("control", "x\n");
		FAIL();
	} catch (const Error &e) {
		EXPECT_EQ(e.exit_code(), 1);
		EXPECT_NE(std::string(e.what()).find(
				  "No such file or directory (ENOENT)"),
			  std::string::npos)
			<< e.what();
	}
	// /dev/full fails every write with ENOSPC, as a control file fails
	// with EINVAL or EIO: the message names the command and the errno.
	try {
		Debugfs("/dev").write("full", "roundtrip edu 64\n");
		FAIL();
	} catch (const Error &e) {
		EXPECT_STREQ(e.what(), "hpmm: /dev/full: 'roundtrip edu 64': No "
				       "space left on device (ENOSPC)");
	}
}

TEST(Debugfs, ListDirsSortedDirectoriesOnly)
{
	TempDir tmp;
	fs::create_directories(tmp.path() / "dev" / "0000:00:04.0");
	fs::create_directories(tmp.path() / "dev" / "0000:00:03.0");
	write_file(tmp.path() / "dev" / "README", "not a device");
	Debugfs d(tmp.path());
	EXPECT_EQ(d.list_dirs("dev"),
		  (std::vector<std::string>{"0000:00:03.0", "0000:00:04.0"}));
	EXPECT_TRUE(d.list_dirs("nothing").empty());
}

} // namespace
} // namespace hpmm
