// SPDX-License-Identifier: GPL-2.0
// Workload generators for VPRI: a NIC-like and a block-like stream of
// device accesses to a registered range (Documentation/vpri.rst).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hpmm/vpri/trace.hpp"

namespace hpmm::vpri {

// NIC-like: each queue owns an RX and a TX ring of descriptors, each
// pointing to a half-page buffer; the device uses a ring's buffers in ring
// order, so a buffer is reused once per lap of its ring (a loop). Queues get
// traffic in bursts, with Zipf-skewed load (a few hot queues: strong temporal
// locality). A used buffer is recycled in place (page_pool) except with
// probability churn, when it is replaced by a fresh one. Buffers sit at
// random pages of the range, as a guest allocates them.
struct NicParams {
	std::uint32_t pages = 16384;    // registered range
	std::uint64_t accesses = 200000;
	std::uint32_t queues = 8;
	std::uint32_t ring = 256;       // descriptors per ring
	std::uint32_t buf = 2048;       // bytes per buffer (2 per page)
	double queue_skew = 1.0;        // Zipf exponent over queues
	std::uint32_t burst = 32;       // mean packets per burst
	double tx_ratio = 0.5;          // share of TX (device reads)
	double churn = 0.002;           // buffer replaced after use
	std::uint64_t seed = 1;
};

// Block-like: a page cache whose footprint keeps growing (new file blocks
// are read in), with weak temporal locality: re-reads pick a file region with
// a weak Zipf skew and a block in it uniformly, so most blocks are touched
// more than twice with long reuse distances; sequential scans of runs of
// blocks, old or new, are mixed in, and a share of them re-scan one
// "table" region repeatedly (a loop as long as the table).
struct BlockParams {
	std::uint32_t pages = 16384;    // registered range
	std::uint64_t accesses = 200000;
	std::uint32_t start = 2048;     // file blocks at the start
	std::uint32_t max = 8192;       // file blocks at most
	double growth = 0.03;           // share of accesses reading a new block
	double scan_ratio = 0.3;        // share of accesses in sequential scans
	std::uint32_t scan_len = 128;   // mean scan length, blocks
	double table_ratio = 0.5;       // share of scans over the table
	std::uint32_t table = 1024;     // table blocks
	std::uint32_t regions = 64;     // re-read regions
	double region_skew = 0.6;       // Zipf exponent over regions
	std::uint32_t io = 4095;        // bytes per access
	std::uint64_t seed = 1;
};

Trace generate_nic(const NicParams &p);
Trace generate_block(const BlockParams &p);

// "key=value,key=value" overrides of the parameters; throws hpmm::Error.
void apply_params(NicParams &p, std::string_view spec);
void apply_params(BlockParams &p, std::string_view spec);

} // namespace hpmm::vpri
