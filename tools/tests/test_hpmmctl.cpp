// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>

#include "cli.hpp"
#include "fake_debugfs.hpp"

extern char **environ;

namespace hpmm::ctl {
namespace {

namespace fs = std::filesystem;
using test::FakeHpmm;
using test::read_file;
using test::TempDir;

struct Result {
	int status;
	std::string out;
	std::string err;
};

// hpmmctl args... in process, with debugfs at root.
Result hpmmctl(std::vector<std::string> args, const fs::path &root)
{
	std::ostringstream out, err;
	Context ctx{out, err, DebugfsLocator{}};
	ctx.locator.hpmm_root = root;
	int status = run(args, ctx);
	return {status, out.str(), err.str()};
}

bool contains(const std::string &text, std::string_view part)
{
	return text.find(part) != std::string::npos;
}

class Hpmmctl : public ::testing::Test {
protected:
	Result ctl(std::vector<std::string> args)
	{
		return hpmmctl(std::move(args), fake.root());
	}

	FakeHpmm fake;
};

TEST(Registry, CommandsAreUniqueAndDocumented)
{
	std::set<std::string_view> names;
	for (const Command &cmd : commands()) {
		EXPECT_TRUE(names.insert(cmd.name).second) << cmd.name;
		EXPECT_FALSE(cmd.summary.empty()) << cmd.name;
		EXPECT_TRUE(cmd.usage.starts_with("hpmmctl " +
						  std::string(cmd.name)))
			<< cmd.name;
		EXPECT_NE(cmd.run, nullptr);
		EXPECT_EQ(find_command(cmd.name), &cmd);
	}
	EXPECT_TRUE(names.contains("status"));
	EXPECT_TRUE(names.contains("dev"));
	EXPECT_EQ(find_command("help"), nullptr);
	EXPECT_EQ(find_command("nope"), nullptr);
}

TEST_F(Hpmmctl, HelpListsEveryCommandOnStdout)
{
	for (auto args : {std::vector<std::string>{"help"},
			  std::vector<std::string>{"--help"},
			  std::vector<std::string>{"-h"}}) {
		Result r = ctl(args);
		EXPECT_EQ(r.status, 0);
		EXPECT_TRUE(r.err.empty());
		EXPECT_TRUE(r.out.starts_with("usage: hpmmctl"));
		for (const Command &cmd : commands())
			EXPECT_TRUE(contains(r.out, "\n  " + std::string(cmd.name) +
							    "  "))
				<< cmd.name;
	}
}

TEST_F(Hpmmctl, HelpForOneCommand)
{
	Result r = ctl({"help", "dev"});
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(r.out.starts_with("usage: hpmmctl dev [list] [--json]\n"
				      "       hpmmctl dev roundtrip "))
		<< r.out;
	Result sub = ctl({"dev", "--help"});
	EXPECT_EQ(sub.status, 0);
	EXPECT_EQ(sub.out, r.out);
	EXPECT_EQ(ctl({"help", "nope"}).status, 1);
}

TEST_F(Hpmmctl, Version)
{
	for (const char *flag : {"--version", "-V"}) {
		Result r = ctl({flag});
		EXPECT_EQ(r.status, 0);
		EXPECT_EQ(r.out, "hpmmctl " HPMM_TOOLS_VERSION "\n");
	}
}

TEST_F(Hpmmctl, UsageErrorsExit1WithUsageOnStderr)
{
	fake.add_device("0000:00:03.0", 0, 3, "DMA-FQ", 1);
	struct Case {
		std::vector<std::string> args;
		std::string message;
	} cases[] = {
		{{}, "hpmmctl: no command given\nusage: hpmmctl "},
		{{"frobnicate"}, "hpmmctl: unknown command 'frobnicate'\nusage: hpmmctl "},
		{{"--bogus", "status"}, "hpmmctl: unknown option '--bogus'\nusage: hpmmctl "},
		{{"status", "--bogus"}, "hpmmctl: unknown option '--bogus'\nusage: hpmmctl status"},
		{{"status", "extra"}, "hpmmctl: status takes no arguments\nusage: hpmmctl status"},
		{{"dev", "frob"}, "hpmmctl: unknown dev command 'frob'\nusage: hpmmctl dev"},
		{{"dev", "roundtrip", "0", "edu"}, "hpmmctl: dev roundtrip takes BDF|INDEX BACKEND LEN\n"},
		{{"dev", "roundtrip", "0", "edu", "6x"}, "hpmmctl: LEN must be a decimal number, got '6x'\n"},
		{{"dev", "roundtrip", "0", "edu x", "6"}, "hpmmctl: BACKEND must be one word"},
	};
	for (const Case &c : cases) {
		Result r = ctl(c.args);
		EXPECT_EQ(r.status, 1) << c.message;
		EXPECT_TRUE(r.out.empty()) << c.message;
		EXPECT_TRUE(r.err.starts_with(c.message)) << r.err;
		EXPECT_TRUE(contains(r.err, "usage: ")) << r.err;
	}
	// No command was written by the rejected round trips.
	EXPECT_EQ(read_file(fake.test_root() / "dev/0000:00:03.0/control"), "");
}

TEST(HpmmctlEnvironment, MissingModuleExits2)
{
	TempDir tmp;
	for (auto args : {std::vector<std::string>{"status"},
			  std::vector<std::string>{"dev"},
			  std::vector<std::string>{"--json", "dev", "roundtrip",
						   "0", "edu", "64"}}) {
		Result r = hpmmctl(args, tmp.path() / "hpmm");
		EXPECT_EQ(r.status, 2);
		EXPECT_EQ(r.err, "hpmm: module not loaded (insmod hpmm.ko)\n");
		EXPECT_TRUE(r.out.empty());
	}
}

TEST_F(Hpmmctl, StatusTable)
{
	Result r = ctl({"status"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "version:           0.1.0\n"
			 "abi_version:       1\n"
			 "components:        dev hpa\n"
			 "devices:           2\n"
			 "live_pages:        7\n"
			 "live_dma_mappings: 3\n");
}

TEST_F(Hpmmctl, StatusJson)
{
	const char *expected = R"({"version":"0.1.0","abi_version":1,)"
			       R"("components":["dev","hpa"],"devices":2,)"
			       R"("live_pages":7,"live_dma_mappings":3})";
	for (auto args : {std::vector<std::string>{"status", "--json"},
			  std::vector<std::string>{"-j", "status"}}) {
		Result r = ctl(args);
		EXPECT_EQ(r.status, 0) << r.err;
		std::string compact;
		bool in_string = false;
		for (char c : r.out) {
			if (c == '"')
				in_string = !in_string;
			if (in_string || (c != ' ' && c != '\n'))
				compact += c;
		}
		EXPECT_EQ(compact, expected) << r.out;
	}
}

TEST_F(Hpmmctl, StatusVersionComesFromVersionFile)
{
	test::write_file(fake.root() / "version", "0.2.0\n");
	test::write_file(fake.root() / "status", "abi_version: 1\n");
	Result r = ctl({"status"});
	EXPECT_EQ(r.out, "version:     0.2.0\nabi_version: 1\n");
}

TEST_F(Hpmmctl, MalformedStatusExits1WithLine)
{
	test::write_file(fake.root() / "status", "version: 0.1.0\nbogus\n");
	Result r = ctl({"status"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "hpmm: status:2: expected 'key: value': 'bogus'\n");
}

TEST_F(Hpmmctl, MissingStatusFileExits1)
{
	fs::remove(fake.root() / "status");
	Result r = ctl({"status"});
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(contains(r.err, "No such file or directory (ENOENT)"))
		<< r.err;
}

TEST_F(Hpmmctl, DevTableSortedByIndex)
{
	// Directory order and index order differ.
	fake.add_device("0000:00:03.0", 1, 3, "DMA-FQ", 100200300);
	fake.add_device("0000:00:04.0", 0, -1, "identity", 7);
	Result r = ctl({"dev"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out,
		  "INDEX  BDF           GROUP  DOMAIN    IRQ  DMA_OPS  DMA_BYTES"
		  "  FAULTS  ERRORS    LAST_NS  BROKEN\n"
		  "    0  0000:00:04.0     -1  identity   25       12       4096"
		  "       1       0          7       0\n"
		  "    1  0000:00:03.0      3  DMA-FQ     25       12       4096"
		  "       1       0  100200300       0\n");
	EXPECT_EQ(ctl({"dev", "list"}).out, r.out);
}

TEST_F(Hpmmctl, DevJsonMergesInfoAndStats)
{
	fake.add_device("0000:00:03.0", 0, -1, "DMA", 55);
	Result r = ctl({"dev", "--json"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "[\n"
			 "  {\n"
			 "    \"index\": 0,\n"
			 "    \"bdf\": \"0000:00:03.0\",\n"
			 "    \"iommu_group\": -1,\n"
			 "    \"domain_type\": \"DMA\",\n"
			 "    \"dma_mask_bits\": 28,\n"
			 "    \"irq\": 25,\n"
			 "    \"broken\": 0,\n"
			 "    \"dma_ops\": 12,\n"
			 "    \"dma_bytes\": 4096,\n"
			 "    \"to_device\": 6,\n"
			 "    \"from_device\": 6,\n"
			 "    \"cpu_ops\": 2,\n"
			 "    \"edu_ops\": 10,\n"
			 "    \"faults\": 1,\n"
			 "    \"errors\": 0,\n"
			 "    \"last_ns\": 55,\n"
			 "    \"total_edu_ns\": 1000000000\n"
			 "  }\n"
			 "]\n");
}

TEST_F(Hpmmctl, NoDevices)
{
	EXPECT_EQ(ctl({"dev"}).out, "no devices bound to hpmm\n");
	Result r = ctl({"dev", "-j"});
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, "[]\n");
}

TEST_F(Hpmmctl, RoundtripByIndexWritesCommandAndPrintsLastNs)
{
	fake.add_device("0000:00:03.0", 0, 3, "DMA-FQ", 11);
	fake.add_device("0000:00:04.0", 1, 4, "DMA-FQ", 22);
	Result r = ctl({"dev", "roundtrip", "1", "edu", "64"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(read_file(fake.test_root() / "dev/0000:00:04.0/control"),
		  "roundtrip edu 64\n");
	EXPECT_EQ(read_file(fake.test_root() / "dev/0000:00:03.0/control"), "");
	EXPECT_EQ(r.out, "bdf:     0000:00:04.0\n"
			 "backend: edu\n"
			 "len:     64\n"
			 "last_ns: 22\n");
}

TEST_F(Hpmmctl, RoundtripByBdfJson)
{
	fake.add_device("0000:00:03.0", 0, 3, "DMA-FQ", 4242);
	Result r = ctl({"dev", "roundtrip", "0000:00:03.0", "cpu", "4095", "--json"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(read_file(fake.test_root() / "dev/0000:00:03.0/control"),
		  "roundtrip cpu 4095\n");
	EXPECT_EQ(r.out, "{\n  \"bdf\": \"0000:00:03.0\",\n  \"backend\": "
			 "\"cpu\",\n  \"len\": 4095,\n  \"last_ns\": 4242\n}\n");
}

TEST_F(Hpmmctl, RoundtripErrors)
{
	fake.add_device("0000:00:03.0", 0, 3, "DMA-FQ", 1);
	Result r = ctl({"dev", "roundtrip", "5", "edu", "64"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "hpmm: no device '5' (hpmmctl dev lists the bound "
			 "devices)\n");

	// A failing control write (here: no control file) exits 1.
	fs::remove(fake.test_root() / "dev/0000:00:03.0/control");
	r = ctl({"dev", "roundtrip", "0", "edu", "64"});
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(contains(r.err, "(ENOENT)")) << r.err;
	EXPECT_TRUE(r.out.empty());
}

// The real binary: exit statuses and messages as a shell sees them.
class Binary : public ::testing::Test {
protected:
	// Runs hpmmctl with HPMM_DEBUGFS=root; stdout and stderr to files.
	Result exec(std::vector<std::string> args, const fs::path &root)
	{
		std::vector<std::string> env_strings;
		for (char **e = environ; *e; ++e)
			if (!std::string_view(*e).starts_with("HPMM_DEBUGFS="))
				env_strings.emplace_back(*e);
		env_strings.push_back("HPMM_DEBUGFS=" + root.string());
		args.insert(args.begin(), HPMMCTL_PATH);

		std::vector<char *> argv, envp;
		for (std::string &a : args)
			argv.push_back(a.data());
		argv.push_back(nullptr);
		for (std::string &e : env_strings)
			envp.push_back(e.data());
		envp.push_back(nullptr);

		fs::path out = tmp.path() / "out", err = tmp.path() / "err";
		posix_spawn_file_actions_t actions;
		posix_spawn_file_actions_init(&actions);
		posix_spawn_file_actions_addopen(&actions, 0, "/dev/null",
						 O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&actions, 1, out.c_str(),
						 O_WRONLY | O_CREAT | O_TRUNC, 0600);
		posix_spawn_file_actions_addopen(&actions, 2, err.c_str(),
						 O_WRONLY | O_CREAT | O_TRUNC, 0600);
		pid_t pid;
		int rc = posix_spawn(&pid, HPMMCTL_PATH, &actions, nullptr,
				     argv.data(), envp.data());
		posix_spawn_file_actions_destroy(&actions);
		EXPECT_EQ(rc, 0) << "cannot run " HPMMCTL_PATH;
		int wstatus = 0;
		if (rc == 0) {
			EXPECT_EQ(::waitpid(pid, &wstatus, 0), pid);
		}
		int status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
		return {status, read_file(out), read_file(err)};
	}

	TempDir tmp;
};

TEST_F(Binary, ModuleNotLoadedExits2)
{
	Result r = exec({"status"}, tmp.path() / "no-hpmm");
	EXPECT_EQ(r.status, 2);
	EXPECT_EQ(r.err, "hpmm: module not loaded (insmod hpmm.ko)\n");
	EXPECT_EQ(r.out, "");
}

TEST_F(Binary, UnknownCommandExits1)
{
	Result r = exec({"nope"}, tmp.path());
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(r.err.starts_with("hpmmctl: unknown command 'nope'\nusage: "));
	EXPECT_EQ(r.out, "");
}

TEST_F(Binary, StatusFromFakeTree)
{
	FakeHpmm fake;
	Result r = exec({"status", "--json"}, fake.root());
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(contains(r.out, "\"live_pages\": 7,\n")) << r.out;
	EXPECT_EQ(r.err, "");
}

} // namespace
} // namespace hpmm::ctl
