// SPDX-License-Identifier: GPL-2.0
// The control-file command parser (kernel/command.c, the very file the
// module builds, compiled as C against the host layer tools/include/):
// splitting a write into words, key=value tables with all-or-nothing
// semantics, object names, and the host layer's kstrtoull().
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include <linux/kernel.h>

#include "command.h"
}

namespace {

int split(hpmm_cmd &cmd, const std::string &s)
{
	std::memcpy(cmd.buf, s.data(), std::min(s.size(), sizeof(cmd.buf)));
	return hpmm_cmd_split(&cmd, s.size());
}

TEST(CommandSplit, Words)
{
	hpmm_cmd cmd{};
	ASSERT_EQ(0, split(cmd, "  roundtrip\tedu  1024\n"));
	ASSERT_EQ(3, cmd.argc);
	EXPECT_STREQ("roundtrip", cmd.argv[0]);
	EXPECT_STREQ("edu", cmd.argv[1]);
	EXPECT_STREQ("1024", cmd.argv[2]);
}

TEST(CommandSplit, Refuses)
{
	hpmm_cmd cmd{};
	EXPECT_EQ(-EINVAL, split(cmd, ""));
	EXPECT_EQ(-EINVAL, split(cmd, "   "));
	EXPECT_EQ(-EINVAL, split(cmd, "\n"));
	// An embedded NUL, a control character, a byte above ASCII.
	EXPECT_EQ(-EINVAL, split(cmd, std::string("a\0b", 3)));
	EXPECT_EQ(-EINVAL, split(cmd, "a\x01"));
	EXPECT_EQ(-EINVAL, split(cmd, "caf\xe9"));
	// Too long (the buffer holds HPMM_CMD_MAX bytes and the NUL).
	EXPECT_EQ(-EINVAL, hpmm_cmd_split(&cmd, HPMM_CMD_MAX + 1));
	// One word too many, then just enough.
	std::string many;
	for (int i = 0; i < HPMM_CMD_ARGS_MAX + 1; i++)
		many += "w ";
	EXPECT_EQ(-EINVAL, split(cmd, many));
	EXPECT_EQ(0, split(cmd, many.substr(0, many.size() - 2)));
	EXPECT_EQ(HPMM_CMD_ARGS_MAX, cmd.argc);
}

class CommandKv : public ::testing::Test {
protected:
	static constexpr const char *kinds[] = {"hpa", "pp", nullptr};
	u64 ring = 7, cache = 7, kind = 7;
	const char *name = "unset";
	std::array<hpmm_kv, 4> tab{{
		{"ring", 1, 16384, &ring, nullptr, nullptr},
		{"cache", 1, 1024, &cache, nullptr, nullptr},
		{"kind", 0, 1, &kind, kinds, nullptr},
		{"name", 1, 8, nullptr, nullptr, &name},
	}};

	int parse(std::vector<std::string> words)
	{
		std::vector<char *> argv;
		for (std::string &w : words_ = std::move(words))
			argv.push_back(w.data());
		return hpmm_kv_parse(tab.data(), tab.size(),
				     static_cast<int>(argv.size()), argv.data());
	}

private:
	std::vector<std::string> words_;
};

TEST_F(CommandKv, ParsesNumbersNamesAndStrings)
{
	EXPECT_EQ(0, parse({"ring=256", "cache=0x80", "kind=pp", "name=rx0"}));
	EXPECT_EQ(256u, ring);
	EXPECT_EQ(128u, cache);
	EXPECT_EQ(1u, kind);
	EXPECT_STREQ("rx0", name);
	EXPECT_EQ(0, parse({}));
	EXPECT_EQ(256u, ring);
}

TEST_F(CommandKv, MalformedChangesNothing)
{
	const std::vector<std::vector<std::string>> bad = {
		{"ring"}, {"=5"}, {"ring="}, {"ring=0"}, {"ring=16385"},
		{"ring=abc"}, {"ring=-1"}, {"ring=5", "ring=6"}, {"rings=5"},
		{"kind=gpu"}, {"kind=1"}, {"ring=99999999999999999999999"},
		{"cache=5", "bogus=1"}, {"ring=5 "}, {"ring=1e3"},
		{"name=123456789"}, {"ring=5", "name="},
	};
	for (const auto &words : bad) {
		ring = cache = kind = 7;
		name = "unset";
		EXPECT_EQ(-EINVAL, parse(words)) << words[0];
		EXPECT_EQ(7u, ring) << words[0];
		EXPECT_EQ(7u, cache) << words[0];
		EXPECT_EQ(7u, kind) << words[0];
		EXPECT_STREQ("unset", name) << words[0];
	}
}

TEST(CommandKvLimits, TooManyKeysRefused)
{
	std::vector<hpmm_kv> tab(HPMM_KV_MAX + 1);
	EXPECT_EQ(-EINVAL, hpmm_kv_parse(tab.data(), tab.size(), 0, nullptr));
}

TEST(CommandName, Rules)
{
	EXPECT_TRUE(hpmm_name_valid("a", 31));
	EXPECT_TRUE(hpmm_name_valid("rx-0_POOL", 31));
	EXPECT_TRUE(hpmm_name_valid(std::string(31, 'x').c_str(), 31));
	EXPECT_FALSE(hpmm_name_valid(std::string(32, 'x').c_str(), 31));
	EXPECT_FALSE(hpmm_name_valid("", 31));
	EXPECT_FALSE(hpmm_name_valid("a/b", 31));
	EXPECT_FALSE(hpmm_name_valid("a b", 31));
	EXPECT_FALSE(hpmm_name_valid("..", 31));
	EXPECT_FALSE(hpmm_name_valid("a\n", 31));
}

TEST(HostLayer, KstrtoullMatchesTheKernel)
{
	unsigned long long v = 0;
	EXPECT_EQ(0, kstrtoull("42", 0, &v));
	EXPECT_EQ(42u, v);
	EXPECT_EQ(0, kstrtoull("0x1F", 0, &v));
	EXPECT_EQ(31u, v);
	EXPECT_EQ(0, kstrtoull("010", 0, &v));
	EXPECT_EQ(8u, v);
	EXPECT_EQ(0, kstrtoull("7\n", 0, &v));
	EXPECT_EQ(7u, v);
	EXPECT_EQ(0, kstrtoull("18446744073709551615", 0, &v));
	EXPECT_EQ(~0ULL, v);
	EXPECT_EQ(-ERANGE, kstrtoull("18446744073709551616", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("0x", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("-1", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull(" 1", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("08", 0, &v));
	EXPECT_EQ(-EINVAL, kstrtoull("1x", 0, &v));
}

} // namespace
