// SPDX-License-Identifier: GPL-2.0
// dfg-frag: fragments a DEFRAG group with a real process's memory, runs a
// command while the pages are mapped (e.g. compaction and block maps), then
// checks that every page kept its data and reports how many moved.
//
//   dfg-frag [--limit N] [--reserve N] [--threshold N] NAME PAGES [WAYS]
//            [-- COMMAND...]
//
// Creates the allocation group NAME on its own open file of /dev/hpmm
// (HPMM_DEFRAG_IOCTL_GROUP_CREATE: the group lives as long as this
// program), maps WAYS regions of PAGES pages each from it, faults them in
// turn by turn so that they share blocks, writes a pattern into the first
// and unmaps the others: every block is left 1/WAYS used. Then runs
// COMMAND (/bin/sh -c with the words joined; the group is in debugfs as
// hpmm/defrag/groups/NAME, for `hpmmctl defrag compact NAME`), reads the
// data back and /proc/self/pagemap, and prints pages, moved and bad.
// Exits 1 when a page lost its data, 2 on a usage or setup error.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>

#include "hpmm/device.hpp"
#include "hpmm/fd.hpp"
#include "hpmm/mapping.hpp"
#include "hpmm/process.hpp"

namespace {

constexpr std::size_t page_size = 4096;

unsigned char *at(const hpmm::Mapping &m, std::size_t page)
{
	return m.data() + page * page_size;
}

std::uint64_t word(std::size_t page, std::size_t i)
{
	return (std::uint64_t{page} << 32) ^ (i * 0x9e3779b97f4a7c15ULL) ^ 0x5a;
}

std::uint64_t pfn_of(int pagemap, const void *p)
{
	std::uint64_t e = 0;
	auto off = static_cast<off_t>(reinterpret_cast<std::uintptr_t>(p) /
				      page_size * sizeof(e));
	if (pread(pagemap, &e, sizeof(e), off) != sizeof(e) || !(e >> 63))
		return 0;
	return e & ((std::uint64_t{1} << 55) - 1);
}

int usage()
{
	std::cerr << "usage: dfg-frag [--limit N] [--reserve N] [--threshold N] "
		     "NAME PAGES [WAYS] [-- COMMAND...]\n";
	return 2;
}

} // namespace

int main(int argc, char **argv)
{
	hpmm_defrag_group_create create{};
	create.size = sizeof(create);
	create.cgroup_fd = -1;
	// The words after "--" are the command, not ours to parse.
	int own = 1;
	while (own < argc && std::string(argv[own]) != "--")
		own++;
	std::string command;
	for (int i = own + 1; i < argc; i++)
		command += std::string(command.empty() ? "" : " ") + argv[i];

	std::string name;
	std::uint64_t pages = 0, ways = 2;
	CLI::App app{"fragments a DEFRAG group with this process's memory",
		     "dfg-frag"};
	auto field = [&](const char *opt, __u64 &value, __u64 bit) {
		app.add_option_function<std::uint64_t>(
			opt, [&value, &create, bit](const std::uint64_t &v) {
				value = v;
				create.fields |= bit;
			});
	};
	field("--limit", create.limit, HPMM_DEFRAG_GROUP_LIMIT);
	field("--reserve", create.reserve, HPMM_DEFRAG_GROUP_RESERVE);
	field("--threshold", create.threshold, HPMM_DEFRAG_GROUP_THRESHOLD);
	app.add_option("NAME", name)->required();
	app.add_option("PAGES", pages)->required()->check(CLI::PositiveNumber);
	app.add_option("WAYS", ways)->check(CLI::Range(1, 16));
	try {
		app.parse(own, argv);
	} catch (const CLI::ParseError &) {
		return usage();
	}
	if (name.size() >= sizeof(create.name))
		return usage();
	std::memcpy(create.name, name.c_str(), name.size() + 1);

	hpmm::Device dev = hpmm::Device::open();
	if (!dev) {
		std::cerr << "dfg-frag: /dev/hpmm: " << std::strerror(errno) << '\n';
		return 2;
	}
	if (int err = dev.defrag_group_create(create)) {
		std::cerr << "dfg-frag: create group " << name << ": "
			  << std::strerror(err) << '\n';
		return 2;
	}
	hpmm_defrag_map setup{};
	setup.group_id = create.out_group_id;
	setup.placement = HPMM_DEFRAG_PLACEMENT_PAGE;
	if (int err = dev.defrag_map(setup)) {
		std::cerr << "dfg-frag: map group " << name << ": "
			  << std::strerror(err) << '\n';
		return 2;
	}
	std::vector<hpmm::Mapping> maps;
	for (std::size_t w = 0; w < ways; w++) {
		maps.push_back(hpmm::Mapping::map(pages * page_size,
						  PROT_READ | PROT_WRITE,
						  MAP_SHARED, dev.fd()));
		if (!maps.back()) {
			std::cerr << "dfg-frag: mmap: " << std::strerror(errno) << '\n';
			return 2;
		}
	}
	for (std::size_t p = 0; p < pages; p++) {
		for (std::size_t w = 0; w < ways; w++) {
			auto *q = reinterpret_cast<std::uint64_t *>(at(maps[w], p));
			for (std::size_t k = 0; k < page_size / 8; k++)
				q[k] = w ? 0 : word(p, k);
		}
	}
	for (std::size_t w = 1; w < ways; w++)
		maps[w].reset();

	hpmm::Fd pagemap = hpmm::Fd::open("/proc/self/pagemap", O_RDONLY);
	std::vector<std::uint64_t> before(pages);
	for (std::size_t p = 0; p < pages; p++)
		before[p] = pfn_of(pagemap.get(), at(maps[0], p));
	std::cout << "dfg-frag: " << pages << " pages kept of " << pages * ways
		  << " faulted in, group " << name << " (id "
		  << create.out_group_id << ")" << std::endl;

	if (!command.empty()) {
		hpmm::RunHooks hooks;
		hooks.inherit_output = true;
		std::string error;
		int status = hpmm::run_process({"/bin/sh", "-c", command}, ".",
					       hooks, error);
		if (status != 0)
			std::cerr << "dfg-frag: command exited with " << status << '\n';
	}

	std::size_t bad = 0, moved = 0;
	for (std::size_t p = 0; p < pages; p++) {
		auto *q = reinterpret_cast<const std::uint64_t *>(at(maps[0], p));
		for (std::size_t k = 0; k < page_size / 8; k++) {
			if (q[k] != word(p, k)) {
				bad++;
				break;
			}
		}
		std::uint64_t now = pfn_of(pagemap.get(), at(maps[0], p));
		moved += before[p] && now && now != before[p];
	}
	std::cout << "dfg-frag: pages " << pages << ", moved " << moved
		  << " (new pfn in /proc/self/pagemap), data errors " << bad
		  << std::endl;
	return bad ? 1 : 0;
}
