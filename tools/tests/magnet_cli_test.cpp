// SPDX-License-Identifier: GPL-2.0
// hpmmctl magnet against a fake debugfs tree and module parameters
// (tools/hpmmctl/cmd_magnet.cpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "cli.hpp"
#include "fake_debugfs.hpp"

using namespace hpmm;
using namespace hpmm::ctl;
namespace fs = std::filesystem;
using test::read_file;
using test::write_file;

namespace {

struct Out {
	int status;
	std::string out, err;
};

bool has(const std::string &text, std::string_view part)
{
	return text.find(part) != std::string::npos;
}

class MagnetCli : public ::testing::Test {
protected:
	void SetUp() override
	{
		m = fake.root() / "magnet";
		write_file(m / "stats", "default: off\nmaps: 1\n"
					"reservations: 12\n"
					"faults_from_reservation: 70\n"
					"unused_reserved_now: 14\n"
					"unused_reserved_peak: 21\n"
					"shrinker_freed: 0\nfallbacks: 2\n");
		write_file(m / "control", "");
		params = tmp.path() / "parameters";
		write_file(params / "defrag_placement", "page\n");
		::setenv("HPMM_MODULE_PARAMS", params.c_str(), 1);
	}

	void TearDown() override { ::unsetenv("HPMM_MODULE_PARAMS"); }

	Out ctl(std::vector<std::string> args)
	{
		std::ostringstream out, err;
		Context ctx{out, err, DebugfsLocator{}};
		ctx.locator.hpmm_root = fake.root();
		int status = run(args, ctx);
		return {status, out.str(), err.str()};
	}

	test::FakeHpmm fake;
	test::TempDir tmp;
	fs::path m, params;
};

} // namespace

TEST_F(MagnetCli, StatsAsFieldsAndJson)
{
	Out r = ctl({"magnet"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has(r.out, "reservations:"));
	EXPECT_TRUE(has(r.out, "12"));
	EXPECT_TRUE(has(r.out, "unused_reserved_now:"));

	r = ctl({"magnet", "stats", "--json"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has(r.out, "\"faults_from_reservation\": 70"));
	EXPECT_TRUE(has(r.out, "\"default\": \"off\""));
	EXPECT_EQ(ctl({"magnet", "stats", "x"}).status, 1);
}

TEST_F(MagnetCli, ControlCommandsAreOneWrite)
{
	EXPECT_EQ(ctl({"magnet", "shrink", "7"}).status, 0);
	EXPECT_EQ(read_file(m / "control"), "shrink 7\n");
	// (A fake control file is not truncated by a write: empty it.)
	write_file(m / "control", "");
	EXPECT_EQ(ctl({"magnet", "reset-peak"}).status, 0);
	EXPECT_EQ(read_file(m / "control"), "reset_peak\n");
	write_file(m / "control", "");
	EXPECT_EQ(ctl({"magnet", "shrink"}).status, 1);
	EXPECT_EQ(ctl({"magnet", "shrink", "0"}).status, 1);
	EXPECT_EQ(ctl({"magnet", "shrink", "x"}).status, 1);
	EXPECT_EQ(ctl({"magnet", "reset-peak", "now"}).status, 1);
	EXPECT_EQ(ctl({"magnet", "frob"}).status, 1);
	EXPECT_EQ(read_file(m / "control"), "");
}

TEST_F(MagnetCli, DefaultIsTheModuleParameter)
{
	Out r = ctl({"magnet", "default"});
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "default: off\n");
	EXPECT_EQ(ctl({"magnet", "default", "on"}).status, 0);
	EXPECT_EQ(read_file(params / "defrag_placement"), "magnet\n");
	r = ctl({"magnet", "default"});
	EXPECT_EQ(r.out, "default: on\n");
	// "page\n" over "magnet\n": a fake file keeps the tail; trim it.
	write_file(params / "defrag_placement", "");
	EXPECT_EQ(ctl({"magnet", "default", "off"}).status, 0);
	EXPECT_EQ(read_file(params / "defrag_placement"), "page\n");
	EXPECT_EQ(ctl({"magnet", "default", "maybe"}).status, 1);
	EXPECT_EQ(ctl({"magnet", "default", "on", "off"}).status, 1);
}
