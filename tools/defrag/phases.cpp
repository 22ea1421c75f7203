// SPDX-License-Identifier: GPL-2.0
// dfg-phases: holds as much DEFRAG memory as a command file asks, for
// phased workloads driven from outside the guest (scripts/bench/defrag-vms).
//
//   dfg-phases [--chunk-mib N] [--timeout S] COMMAND_FILE STATUS_FILE
//
// Polls COMMAND_FILE (every 50 ms) for a line "SEQ MIB": a new SEQ sets the
// memory held to MIB MiB of /dev/hpmm (the default group: pages from
// DEFRAG blocks), in mappings of --chunk-mib MiB (default 64) written page
// by page when made and unmapped whole when the target shrinks, so that
// their pages go back to DEFRAG and, with defrag_payg_low 0, free blocks to
// the page allocator. "SEQ stop" ends it. After each poll and each mapping
// made or unmapped, STATUS_FILE is rewritten (write + rename) with
//   seq=SEQ held_mib=MIB memfree_kib=KIB
// (SEQ the last command done, KIB /proc/meminfo's MemFree). Exits 0 at
// "stop", 1 when no new command comes for --timeout seconds (default 900)
// or a mapping fails, 2 on a usage error.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "hpmm/fd.hpp"
#include "hpmm/mapping.hpp"

namespace {

constexpr std::size_t page_size = 4096;

long memfree_kib()
{
	std::ifstream in("/proc/meminfo");
	std::string key;
	long v = -1;

	while (in >> key >> v) {
		if (key == "MemFree:")
			return v;
		in.ignore(256, '\n');
	}
	return -1;
}

// The command file's "SEQ ARG" line, or false when there is none yet.
bool read_command(const std::string &path, long &seq, std::string &arg)
{
	std::ifstream in(path);

	return static_cast<bool>(in >> seq >> arg);
}

bool write_status(const std::string &path, long seq, std::size_t held_mib)
{
	const std::string tmp = path + ".tmp";
	{
		std::ofstream out(tmp, std::ios::trunc);
		out << "seq=" << seq << " held_mib=" << held_mib
		    << " memfree_kib=" << memfree_kib() << '\n';
		if (!out)
			return false;
	}
	return std::rename(tmp.c_str(), path.c_str()) == 0;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"dfg-phases: holds the DEFRAG memory a command file asks for"};
	std::size_t chunk_mib = 64;
	unsigned timeout_s = 900;
	std::string cmd_path, status_path;

	app.add_option("--chunk-mib", chunk_mib, "MiB per mapping")
		->check(CLI::Range(1, 1024));
	app.add_option("--timeout", timeout_s,
		       "seconds to wait for a new command")
		->check(CLI::Range(1, 86400));
	app.add_option("COMMAND_FILE", cmd_path)->required();
	app.add_option("STATUS_FILE", status_path)->required();
	CLI11_PARSE(app, argc, argv);

	hpmm::Fd dev = hpmm::Fd::open("/dev/hpmm", O_RDWR);
	if (!dev) {
		std::cerr << "dfg-phases: /dev/hpmm: " << std::strerror(errno)
			  << '\n';
		return 1;
	}
	const std::size_t chunk = chunk_mib << 20;
	std::vector<hpmm::Mapping> held;
	long done = -1;
	auto last = std::chrono::steady_clock::now();

	for (;;) {
		long seq = -1;
		std::string arg;

		if (read_command(cmd_path, seq, arg) && seq != done) {
			if (arg == "stop") {
				held.clear();
				write_status(status_path, seq, 0);
				return 0;
			}
			std::size_t want = 0;
			std::istringstream(arg) >> want;
			const std::size_t chunks = (want + chunk_mib - 1) /
						   chunk_mib;
			while (held.size() > chunks) {
				held.pop_back();
				write_status(status_path, done,
					     held.size() * chunk_mib);
			}
			while (held.size() < chunks) {
				auto m = hpmm::Mapping::map(
					chunk, PROT_READ | PROT_WRITE,
					MAP_SHARED, dev.get());
				if (!m) {
					std::cerr << "dfg-phases: mmap: "
						  << std::strerror(errno) << '\n';
					return 1;
				}
				for (std::size_t off = 0; off < chunk;
				     off += page_size)
					m.data()[off] = 1;
				held.push_back(std::move(m));
				// What is held so far, as it grows.
				write_status(status_path, done,
					     held.size() * chunk_mib);
			}
			done = seq;
			last = std::chrono::steady_clock::now();
		}
		if (!write_status(status_path, done, held.size() * chunk_mib)) {
			std::cerr << "dfg-phases: " << status_path << ": "
				  << std::strerror(errno) << '\n';
			return 1;
		}
		if (std::chrono::steady_clock::now() - last >
		    std::chrono::seconds(timeout_s)) {
			std::cerr << "dfg-phases: no command for " << timeout_s
				  << " s\n";
			return 1;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
}
