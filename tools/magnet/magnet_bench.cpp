// SPDX-License-Identifier: GPL-2.0
//
// magnet_bench: MAGNET's numbers (Documentation/magnet.rst). Run as root in
// the guest with hpmm loaded.
//
//   magnet_bench [--pages N] [--procs 2,4] [--reps R] [--check]
//
// For each process count, in one run: that many processes map N pages each
// and fault them in page by page, taking turns (the worst interleaving), in
// three kinds of memory: plain anonymous memory (THP off for the range, so
// every fault is a 4 KiB fault), an hpmm mapping without MAGNET
// (HPMM_DEFRAG_PLACEMENT_PAGE) and an hpmm mapping with MAGNET
// (HPMM_DEFRAG_PLACEMENT_MAGNET). Each process
// then reads its PFNs from /proc/self/pagemap and counts the 32 KiB-aligned
// groups whose 8 pages are physically contiguous. While the MAGNET processes
// still hold their memory, debugfs magnet/stats gives the unused reserved
// pages. Finally one process faults N pages alone in each kind of memory,
// R times, and the median time per fault is compared with anonymous memory.
// --check: exit 1 unless MAGNET reaches 99% contiguous groups and at most 1%
// unused reserved pages.
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hpmm/device.hpp"
#include "hpmm/fd.hpp"
#include "hpmm/mapping.hpp"

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kRun = 8;
constexpr std::size_t kGroup = kPage * kRun;
constexpr int kMaxProcs = 16;
const char kStats[] = "/sys/kernel/debug/hpmm/magnet/stats";

enum class Kind { Anon, Hpmm, Magnet };
constexpr Kind kKinds[] = {Kind::Anon, Kind::Hpmm, Kind::Magnet};

const char *kind_name(Kind k)
{
	switch (k) {
	case Kind::Anon:
		return "anon";
	case Kind::Hpmm:
		return "hpmm-nomagnet";
	case Kind::Magnet:
		return "magnet";
	}
	return "?";
}

void *map_failed()
{
	return reinterpret_cast<void *>(static_cast<std::intptr_t>(-1));
}

// @pages pages of @kind at a 32 KiB boundary.
hpmm::Mapping map_kind(Kind kind, std::size_t pages)
{
	std::size_t len = pages * kPage, span = len + kGroup;
	void *area = mmap(nullptr, span, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == map_failed())
		return {};
	auto base = reinterpret_cast<std::uintptr_t>(area);
	auto at = (base + kGroup - 1) & ~(std::uintptr_t{kGroup} - 1);
	char *p = reinterpret_cast<char *>(at);
	void *got;

	if (kind == Kind::Anon) {
		got = mmap(p, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (got != map_failed())
			madvise(p, len, MADV_NOHUGEPAGE);
	} else {
		// The mapping keeps the file open.
		hpmm::Device dev = hpmm::Device::open();
		hpmm_defrag_map m{};
		m.placement = kind == Kind::Magnet ?
				      HPMM_DEFRAG_PLACEMENT_MAGNET :
				      HPMM_DEFRAG_PLACEMENT_PAGE;
		got = map_failed();
		if (dev && !dev.defrag_map(m))
			got = mmap(p, len, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, dev.fd(), 0);
	}
	if (got == map_failed()) {
		std::fprintf(stderr, "magnet_bench: mmap %s: %s\n",
			     kind_name(kind), std::strerror(errno));
		munmap(area, span);
		return {};
	}
	if (at > base)
		munmap(area, at - base);
	if (base + span > at + len)
		munmap(p + len, base + span - (at + len));
	return hpmm::Mapping(p, len);
}

// 32 KiB groups of [@p, @p + @pages pages) with 8 consecutive PFNs.
long contiguous_groups(const void *p, std::size_t pages)
{
	hpmm::Fd pm = hpmm::Fd::open("/proc/self/pagemap", O_RDONLY);
	std::vector<std::uint64_t> e(pages);
	long good = 0;

	if (pm.get() < 0)
		return -1;
	auto off = reinterpret_cast<std::uintptr_t>(p) / kPage * 8;
	if (pread(pm.get(), e.data(), pages * 8, static_cast<off_t>(off)) !=
	    static_cast<ssize_t>(pages * 8))
		return -1;
	for (auto &v : e)
		v = (v >> 63) ? (v & ((1ULL << 55) - 1)) : 0;
	for (std::size_t g = 0; g + kRun <= pages; g += kRun) {
		std::size_t i = 1;

		while (e[g] && i < kRun && e[g + i] == e[g] + i)
			i++;
		if (e[g] && i == kRun)
			good++;
	}
	return good;
}

long long magnet_stat(const char *key)
{
	std::ifstream in(kStats);
	std::string line, want = std::string(key) + ": ";

	while (std::getline(in, line))
		if (line.rfind(want, 0) == 0)
			return std::atoll(line.c_str() + want.size());
	return -1;
}

// Shared by the processes of a round (MAP_SHARED anonymous memory).
struct Shared {
	std::atomic<long> turn;
	std::atomic<int> ready;
	std::atomic<int> faulted;
	std::atomic<int> release;
	long good[kMaxProcs];
	long long ns[kMaxProcs];
	int err[kMaxProcs];
};

struct Round {
	long groups = 0;
	long good = 0;
	long long ns = 0;
	long long unused_end = -1;
	long ok = 0;
};

void child(Shared *s, Kind kind, int n, int i, std::size_t pages)
{
	hpmm::Mapping m = map_kind(kind, pages);

	s->ready.fetch_add(1);
	if (!m) {
		s->err[i] = 1;
		s->turn.store(-1000000000L);
		return;
	}
	long long ns = 0;
	for (std::size_t k = 0; k < pages; k++) {
		long my = static_cast<long>(k) * n + i;

		while (s->turn.load() != my) {
			if (s->turn.load() < 0)
				return;
			sched_yield();
		}
		auto t0 = std::chrono::steady_clock::now();
		*reinterpret_cast<volatile std::uint64_t *>(m.data() +
							   k * kPage) = k;
		auto t1 = std::chrono::steady_clock::now();
		ns += std::chrono::duration_cast<std::chrono::nanoseconds>(
			      t1 - t0).count();
		s->turn.fetch_add(1);
	}
	s->ns[i] = ns;
	s->good[i] = contiguous_groups(m.data(), pages);
	s->faulted.fetch_add(1);
	while (!s->release.load())
		sched_yield();
}

bool round_run(Kind kind, int n, std::size_t pages, Round &r)
{
	void *sp = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sp == map_failed())
		return false;
	hpmm::Mapping keep(sp, sizeof(Shared));
	auto *s = new (sp) Shared{};
	std::vector<pid_t> pids;
	bool ok = true;

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			ok = false;
			break;
		}
		if (!pid) {
			child(s, kind, n, i, pages);
			_exit(0);
		}
		pids.push_back(pid);
	}
	while (ok && s->faulted.load() < n && s->turn.load() >= 0)
		usleep(1000);
	if (kind == Kind::Magnet)
		r.unused_end = magnet_stat("unused_reserved_now");
	s->release.store(1);
	s->turn.store(-1000000000L);
	for (pid_t pid : pids) {
		int st = 0;

		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			ok = false;
	}
	for (int i = 0; i < n; i++) {
		if (s->err[i] || s->good[i] < 0)
			ok = false;
		r.good += s->good[i];
		r.ns += s->ns[i];
	}
	r.groups = static_cast<long>(n * (pages / kRun));
	return ok;
}

// One process faulting @pages pages of @kind alone: ns per fault.
double sequential_ns(Kind kind, std::size_t pages)
{
	hpmm::Mapping m = map_kind(kind, pages);

	if (!m)
		return -1;
	auto t0 = std::chrono::steady_clock::now();
	for (std::size_t k = 0; k < pages; k++)
		*reinterpret_cast<volatile std::uint64_t *>(m.data() +
							   k * kPage) = k;
	auto t1 = std::chrono::steady_clock::now();
	return static_cast<double>(
		       std::chrono::duration_cast<std::chrono::nanoseconds>(
			       t1 - t0).count()) / static_cast<double>(pages);
}

double pct(double a, double b)
{
	return b > 0 ? 100.0 * a / b : 0.0;
}

} // namespace

int main(int argc, char **argv)
{
	std::size_t pages = 1024;
	std::vector<int> procs{2, 4};
	int reps = 5;
	bool check = false;

	CLI::App app{"MAGNET's numbers (Documentation/magnet.rst)",
		     "magnet_bench"};
	app.add_option("--pages", pages, "pages per process");
	app.add_option("--procs", procs, "process counts, comma-separated")
		->delimiter(',');
	app.add_option("--reps", reps, "runs of the fault time measure");
	app.add_flag("--check", check,
		     "exit 1 unless the goals are met");
	try {
		app.parse(argc, argv);
	} catch (const CLI::CallForHelp &e) {
		return app.exit(e);
	} catch (const CLI::ParseError &) {
		std::fprintf(stderr,
			     "usage: magnet_bench [--pages N] [--procs 2,4] [--reps R] [--check]\n");
		return 2;
	}
	pages = std::max<std::size_t>(kRun, pages / kRun * kRun);
	for (int n : procs) {
		if (n < 1 || n > kMaxProcs) {
			std::fprintf(stderr, "magnet_bench: 1 to %d processes\n",
				     kMaxProcs);
			return 2;
		}
	}
	if (access(kStats, R_OK)) {
		std::fprintf(stderr, "magnet_bench: %s: %s (hpmm loaded? root?)\n",
			     kStats, std::strerror(errno));
		return 4;
	}

	bool met = true;
	std::printf("magnet bench: %zu pages (%zu KiB) per process, faulted page by page in turn\n",
		    pages, pages * kPage / 1024);
	std::printf("%-6s %-14s %7s %11s %8s %13s\n", "procs", "memory",
		    "groups", "contiguous", "share", "fault_ns/page");
	for (int n : procs) {
		for (Kind k : kKinds) {
			Round r;

			if (!round_run(k, n, pages, r)) {
				std::fprintf(stderr, "magnet_bench: %d x %s failed\n",
					     n, kind_name(k));
				return 1;
			}
			double share = pct(static_cast<double>(r.good),
					   static_cast<double>(r.groups));
			std::printf("%-6d %-14s %7ld %11ld %7.2f%% %13.0f\n", n,
				    kind_name(k), r.groups, r.good, share,
				    static_cast<double>(r.ns) /
					    static_cast<double>(n * pages));
			if (k != Kind::Magnet)
				continue;
			double resident = static_cast<double>(n * pages);
			double u = pct(static_cast<double>(r.unused_end), resident);
			std::printf("%-6d %-14s unused reserved pages at the end: %lld of %.0f resident (%.2f%%)\n",
				    n, "magnet", r.unused_end, resident, u);
			if (share < 99.0 || r.unused_end < 0 || u > 1.0)
				met = false;
		}
	}

	std::printf("fault time, 1 process alone, %zu pages, median of %d:\n",
		    pages, reps);
	double base = 0;
	for (Kind k : kKinds) {
		std::vector<double> v;

		for (int i = 0; i < reps; i++)
			v.push_back(sequential_ns(k, pages));
		std::sort(v.begin(), v.end());
		double med = v[v.size() / 2];
		if (k == Kind::Anon)
			base = med;
		std::printf("  %-14s %8.0f ns/fault  (%.2fx anon)\n",
			    kind_name(k), med, base > 0 ? med / base : 0.0);
	}
	std::printf("magnet stats: reservations %lld, faults_from_reservation %lld, fallbacks %lld, unused_reserved_now %lld\n",
		    magnet_stat("reservations"),
		    magnet_stat("faults_from_reservation"),
		    magnet_stat("fallbacks"),
		    magnet_stat("unused_reserved_now"));
	if (check) {
		std::printf("goals (magnet >= 99%% contiguous, unused <= 1%%): %s\n",
			    met ? "met" : "NOT met");
		return met ? 0 : 1;
	}
	return 0;
}
