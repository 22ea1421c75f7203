// SPDX-License-Identifier: GPL-2.0
// A second DEFRAG trace generator: a machine running build jobs, whose
// kernel memory churns and dies with its job (Documentation/defrag.rst,
// "Lifetime-aware placement"). Every allocation carries its site.
#pragma once

#include <cstdint>

#include "trace.hpp"

namespace hpmm::defrag {

// Sites of the jobs generator's allocations (the SITE field).
enum JobSite : std::uint8_t {
	site_boot = 1,		// unmovable, allocated at boot, never freed
	site_page_cache = 2,	// movable, reclaimed oldest first
	site_anon = 3,		// movable, the job's, freed when it ends
	site_thp = 4,		// movable order 9, the job's
	site_job_kernel = 10,	// 10..15: unmovable, the job's (tasks, mms, files...)
	site_vfs_cache = 20,	// 20..21: reclaimable, the job's, many survive it
	site_slab = 30,		// 30..33: unmovable, orders 0..3, heavy-tailed lives
	site_skb = 40,		// unmovable, orders 0..3, short lives
};

struct JobsParams {
	std::uint64_t seed = 1;
	std::size_t events = 600000;
	// Pages live at steady state; page cache is reclaimed beyond it.
	std::uint64_t live_pages = 131072;
	// Unmovable pages allocated at boot (share of live_pages).
	double boot = 0.02;
	// Jobs running at once and their mean length (events).
	unsigned jobs = 4;
	double job_mean = 20000;
	// Share of a job's kernel memory that outlives it, and of its VFS
	// caches (reclaimable).
	double job_survive = 0.002;
	double vfs_survive = 0.3;
	// Heavy tails (Pareto, shape alpha): the scale of slab lives and of
	// what outlives a job, in events.
	double alpha = 1.2;
	double slab_scale = 500;
	double survivor_scale = 20000;
	// Mean life of an skb (exponential, events).
	double skb_mean = 20;
	// Shares of allocations by kind (the rest is page cache).
	double anon = 0.30;
	double job_kernel = 0.10;
	double vfs = 0.04;
	double slab = 0.06;
	double skb = 0.08;
	double thp = 0.0005;
	// At the end every job ends and this share of the page cache is
	// reclaimed, oldest first.
	double end_free = 0.5;
};

// Deterministic for a seed: params.events events (allocations and the
// frees of what died), then the wind-down.
Trace generate_jobs(const JobsParams &params);

} // namespace hpmm::defrag
