// SPDX-License-Identifier: GPL-2.0
// Runs a VPRI trace in the kernel: maps and fills the "VM" memory,
// registers it with /dev/hpmm, submits the accesses in batches and collects
// the domain's counters and debugfs statistics. Optionally inside a cgroup v2
// with memory.max below the registered size, so that the memory really is
// overcommitted and faults may swap pages in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hpmm/debugfs.hpp"
#include "hpmm/keyvalue.hpp"
#include "hpmm/vpri/trace.hpp"

namespace hpmm::vpri {

struct RunOptions {
	bool edu = false;               // edu DMA instead of the CPU backend
	std::uint32_t batch = 256;      // requests per HPMM_VPRI_SUBMIT
	bool fill = true;               // write every page before registering
	// Pages of the range the "VM's CPUs" write between two batches, at
	// random: the guest's own memory traffic, which keeps reclaim going so
	// that unpinned DMA pages are swapped out between their uses.
	std::uint32_t cpu_touch = 0;
	// memory.max of a cgroup the run joins, bytes; nullopt: no cgroup.
	std::optional<std::uint64_t> memory_max;
	DebugfsLocator debugfs = DebugfsLocator::from_environment();
};

struct RunResult {
	int policy = 0;
	std::uint64_t domain_id = 0;
	std::uint32_t pages = 0;
	std::uint32_t budget = 0;
	std::uint64_t requests = 0;
	std::uint64_t accesses = 0;
	std::uint64_t hits = 0;
	std::uint64_t faults = 0;
	std::uint64_t pins = 0;
	std::uint64_t unpins = 0;
	std::uint64_t peak_pinned = 0;
	std::uint64_t target = 0;
	std::uint64_t swapins = 0;
	double seconds = 0;             // submitting time
	double fill_seconds = 0;
	KeyValues stats;                // debugfs vpri/<id>/stats
	KeyValues latency;              // debugfs vpri/<id>/latency
	KeyValues rate;                 // debugfs vpri/<id>/rate
};

// A cgroup v2 child of the caller's cgroup that this process joins; leaves
// it and removes it when destroyed. Throws hpmm::Error(environment) when
// cgroup v2 or its memory controller is not available.
class Cgroup {
public:
	Cgroup(const std::string &name, std::uint64_t memory_max);
	~Cgroup();
	Cgroup(const Cgroup &) = delete;
	Cgroup &operator=(const Cgroup &) = delete;

	const std::filesystem::path &path() const { return path_; }
	// A key of its memory.stat, nullopt when absent.
	std::optional<std::uint64_t> stat(const std::string &key) const;

private:
	std::filesystem::path parent_;
	std::filesystem::path path_;
};

// Throws hpmm::Error; environment errors when /dev/hpmm or VPRI is missing.
RunResult run_trace(const Trace &trace, int policy, std::uint32_t budget,
		    const RunOptions &options);

} // namespace hpmm::vpri
