// SPDX-License-Identifier: GPL-2.0
// Test helpers: a temporary directory, and a fake hpmm debugfs tree in it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hpmm::test {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
public:
	TempDir()
	{
		std::string tmpl =
			(std::filesystem::temp_directory_path() / "hpmm-test-XXXXXX")
				.string();
		if (!::mkdtemp(tmpl.data()))
			throw std::runtime_error("mkdtemp failed");
		path_ = tmpl;
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	const std::filesystem::path &path() const { return path_; }

private:
	std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path &file, std::string_view text)
{
	std::filesystem::create_directories(file.parent_path());
	std::ofstream out(file, std::ios::binary | std::ios::trunc);
	out << text;
	if (!out.flush())
		throw std::runtime_error("cannot write " + file.string());
}

inline std::string read_file(const std::filesystem::path &file)
{
	std::ifstream in(file, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), {});
}

// <tmp>/hpmm as the module would show it, in the formats of
// Documentation/debugfs.rst.
class FakeHpmm {
public:
	FakeHpmm()
	{
		write_file(root() / "version", "0.1.0\n");
		write_file(root() / "status", "version: 0.1.0\n"
					      "abi_version: 1\n"
					      "components: dev hpa\n"
					      "devices: 2\n"
					      "live_pages: 7\n"
					      "live_dma_mappings: 3\n");
	}

	std::filesystem::path root() const { return dir_.path() / "hpmm"; }
	// hpmm_test.ko's directory, beside hpmm/.
	std::filesystem::path test_root() const
	{
		return dir_.path() / "hpmm_test";
	}

	// A device directory with info and stats, and its empty control file
	// in hpmm_test/.
	void add_device(const std::string &bdf, int index, int group,
			std::string_view domain, unsigned long last_ns)
	{
		auto dev = root() / "dev" / bdf;
		write_file(dev / "info",
			   "index: " + std::to_string(index) + "\nbdf: " + bdf +
				   "\niommu_group: " + std::to_string(group) +
				   "\ndomain_type: " + std::string(domain) +
				   "\ndma_mask_bits: 28\nirq: 25\nbroken: 0\n");
		write_file(dev / "stats",
			   "dma_ops: 12\ndma_bytes: 4096\nto_device: 6\n"
			   "from_device: 6\ncpu_ops: 2\nedu_ops: 10\n"
			   "faults: 1\nerrors: 0\nlast_ns: " +
				   std::to_string(last_ns) +
				   "\ntotal_edu_ns: 1000000000\n");
		write_file(test_root() / "dev" / bdf / "control", "");
	}

private:
	TempDir dir_;
};

} // namespace hpmm::test
