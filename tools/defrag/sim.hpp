// SPDX-License-Identifier: GPL-2.0
// A user-space mechanism around kernel/defrag/core.c: blocks with fake
// page frame numbers, keyed pages whose moves are bookkeeping only. It
// replays traces with the very policy code the module runs, so policies
// can be tested and tuned on the host.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core.h"
#include "trace.hpp"

namespace hpmm::defrag {

struct SimMoves {
	std::uint64_t moved = 0;     // pages moved by compaction
	std::uint64_t recovered = 0; // blocks it emptied
	std::uint64_t min_moves = 0; // fewest moves that empty as many blocks
	std::uint64_t evicted = 0;   // pages moved by evictions
};

struct SimResult {
	std::uint64_t failures = 0;
	std::uint64_t blocks = 0;
	std::uint64_t holding_unmovable = 0;
	std::uint64_t fewest_unmovable = 0;
	std::uint64_t pollution_milli = 0;
	// Pollution averaged over the trace (sampled every 4096 events).
	std::uint64_t mean_pollution_milli = 0;
	std::uint64_t free_pages = 0;
	std::uint64_t order9_possible = 0;
	std::uint64_t order9_success = 0;
	SimMoves moves;
};

class Sim {
public:
	explicit Sim(dfg_policy policy, unsigned groups = 1);
	~Sim();
	Sim(const Sim &) = delete;
	void set_limit(unsigned g, unsigned blocks) { group(g).limit = blocks; }
	Sim &operator=(const Sim &) = delete;

	// False when the core could not place it (a group at its limit).
	// Order-0 runs held by kernel callers go through a per-CPU cache
	// (one CPU) as in the module: DFG_PCP_HIGH/BATCH below.
	bool alloc(const Event &ev);
	// Refused frees throw (a trace or simulator bug).
	void free(const Event &ev);

	dfg_gcore &group(unsigned g) { return *groups_.at(g); }
	dfg_summary summary(unsigned g) const;
	// Recovers up to want blocks of group g (0: all it can).
	unsigned compact(unsigned g, unsigned want);
	// Takes 2 MiB blocks from g, limited to what it holds, until one
	// fails (compacting when none is free); they stay allocated. Adds to
	// *min_moves the fewest moves that could have recovered the blocks
	// compaction recovered meanwhile.
	unsigned take_huge(unsigned g, std::uint64_t *min_moves = nullptr);
	const SimMoves &moves() const { return moves_; }
	// Every block's map character, by pfn.
	std::string map(unsigned g) const;
	// Gives the per-CPU caches' pages back to their blocks.
	void drain();

	static constexpr unsigned pcp_high = 128;  // kernel/defrag/defrag.h
	static constexpr unsigned pcp_batch = 32;

private:
	struct Where {
		dfg_block *blk = nullptr;
		unsigned idx = 0;
		unsigned order = 0;
	};

	int retry(unsigned g, dfg_alloc_req &req);
	dfg_block *new_block();
	void give_back(unsigned g);
	void release_pinfo(u32 *pinfo);
	int move(unsigned g, dfg_block *blk, unsigned idx, u8 mode);
	void evict(unsigned g, dfg_block *blk, unsigned idx, unsigned order);
	static u32 key_of(const Event &ev);

	dfg_policy policy_;
	std::vector<std::unique_ptr<dfg_gcore>> groups_;
	std::vector<std::unique_ptr<dfg_block>> blocks_; // index: pfn / 512
	std::vector<dfg_block *> pool_;
	std::unordered_map<u32 *, std::unique_ptr<u32[]>> pinfo_;
	std::unordered_map<u32, Where> keyed_;   // key -> page
	std::unordered_map<u32, Where> held_;    // handle -> kernel-held run
	std::vector<Where> huge_;
	// Per group and mobility: the cached pages, oldest first.
	std::vector<std::vector<std::vector<Where>>> pcp_;
	SimMoves moves_;
	void drain_pcp(unsigned g, unsigned mt, std::size_t n);
};

// The block limit the replay gives each trace group: its peak of live
// pages in blocks, plus headroom_pct percent, rounded up.
std::vector<unsigned> replay_limits(const Trace &trace, unsigned headroom_pct);

// Replays trace into a fresh simulator, each group limited as
// replay_limits() says (headroom_pct 0: no limit), and measures what the
// kernel replay measures for a DEFRAG variant.
SimResult simulate(const Trace &trace, dfg_policy policy,
		   unsigned headroom_pct = 10);

} // namespace hpmm::defrag
