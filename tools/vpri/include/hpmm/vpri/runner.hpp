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
#include <string_view>
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
	// The on-demand mode (HPMM_VPRI_REGISTER_ON_DEMAND): the policy is
	// HPMM_VPRI_POLICY_RECLAIM, _ADP or _HINT; else the pinned mode.
	bool on_demand = false;
	// The CPU's own working set: with a value, the cpu_touch pages go to
	// the pages of the range the trace never has the device touch (a
	// guest's kernel and applications), Zipf-skewed with this exponent,
	// the hot ones scattered over the range; nullopt: uniformly over the
	// whole range.
	std::optional<double> cpu_skew;
	// Bytes the CPU reads at the start of every access the device wrote,
	// after its batch: a guest reading packet headers. 0: none.
	std::uint32_t header_bytes = 0;
	// Seed of the CPU's touches.
	std::uint64_t seed = 1;
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
	std::uint64_t invalidations = 0;
	std::uint64_t mapped = 0;       // on-demand: pages mapped at the end
	std::uint64_t scans = 0;        // on-demand: the protector's scans
	std::uint64_t marks = 0;        // on-demand: pages hint told the LRU
	// Major faults of this process during the run: swap-ins of its CPU
	// memory (the device's are faulted in by VPRI's workers).
	std::uint64_t cpu_majflt = 0;
	std::uint64_t cpu_touches = 0;  // pages the CPU touched
	std::uint64_t header_reads = 0; // buffers whose start the CPU read
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

// The on-demand mode's policies, by name: "reclaim", "adp", "hint" ->
// HPMM_VPRI_POLICY_*; nullopt if unknown.
std::optional<int> parse_on_demand_policy(std::string_view name);
std::string on_demand_policy_name(int policy);

// Throws hpmm::Error; environment errors when /dev/hpmm or VPRI is missing.
RunResult run_trace(const Trace &trace, int policy, std::uint32_t budget,
		    const RunOptions &options);

} // namespace hpmm::vpri
