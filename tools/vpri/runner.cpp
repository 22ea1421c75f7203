// SPDX-License-Identifier: GPL-2.0
// Running VPRI traces in the kernel (see runner.hpp).
#include "hpmm/vpri/runner.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <uapi/hpmm-vpri.h>

#include "hpmm/device.hpp"
#include "hpmm/error.hpp"
#include "hpmm/mapping.hpp"
#include "hpmm/vpri/core.hpp"
#include "hpmm/vpri/random.hpp"

namespace hpmm::vpri {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string &what, int err)
{
	throw Error(ErrorKind::operation, "vpri: " + what + ": " + errno_text(err));
}

// Anonymous memory for the domain; throws when it cannot be mapped.
Mapping map_range(std::size_t len)
{
	Mapping m = Mapping::anonymous(len);
	if (!m)
		fail("mmap of " + std::to_string(len) + " bytes", errno);
	return m;
}

// The pin set's policy ids are the uapi's up to arc; bpf came later.
static_assert(HPMM_VPRI_POLICY_NONE == VPRI_POLICY_NONE);
static_assert(HPMM_VPRI_POLICY_ALL == VPRI_POLICY_ALL);
static_assert(HPMM_VPRI_POLICY_LRU == VPRI_POLICY_LRU);
static_assert(HPMM_VPRI_POLICY_CLOCK == VPRI_POLICY_CLOCK);
static_assert(HPMM_VPRI_POLICY_ADP == VPRI_POLICY_ADP);
static_assert(HPMM_VPRI_POLICY_ARC == VPRI_POLICY_ARC);

// The uapi's value of the pinned mode's @policy (a pin set id).
__u64 uapi_pin_policy(int policy)
{
	return policy == VPRI_POLICY_BPF ? HPMM_VPRI_POLICY_BPF : static_cast<__u64>(policy);
}

// Destroys the domain (HPMM_IOCTL_DESTROY) when the run ends, however it
// ends.
class Domain {
public:
	Domain(const Device &dev, const Mapping &map, int policy,
	       std::uint32_t budget, bool on_demand)
		: dev_(dev)
	{
		hpmm_vpri_register r{};
		r.flags = on_demand ? HPMM_VPRI_REGISTER_ON_DEMAND : 0;
		r.addr = reinterpret_cast<std::uintptr_t>(map.data());
		r.length = map.size();
		r.policy = on_demand ? static_cast<__u64>(policy) : uapi_pin_policy(policy);
		r.budget = budget;
		if (int err = dev.vpri_register(r))
			fail("HPMM_VPRI_REGISTER (" +
				     (on_demand ? on_demand_policy_name(policy) :
						  policy_name(policy)) +
				     ", budget " + std::to_string(budget) + ")",
			     err);
		id_ = r.domain_id;
	}
	~Domain() { dev_.destroy(id_); }
	Domain(const Domain &) = delete;
	Domain &operator=(const Domain &) = delete;
	std::uint64_t id() const { return id_; }

private:
	const Device &dev_;
	std::uint64_t id_ = 0;
};

void write_file(const fs::path &path, const std::string &text)
{
	std::ofstream out(path);
	if (!out || !(out << text) || !out.flush())
		throw Error(ErrorKind::environment,
			    "vpri: cannot write '" + text + "' to " + path.string() +
				    ": " + errno_text(errno));
}

std::string read_file(const fs::path &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// Writes a page's worth of data that compresses like real memory: a
// random-looking head and a zero tail.
void fill_page(unsigned char *page, std::uint64_t seed)
{
	std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (std::size_t i = 0; i < 1024; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		std::memcpy(page + i, &x, 8);
	}
	std::memset(page + 1024, 0, page_size - 1024);
}

// The pages of the range no access of the trace touches, in a random
// order: the CPU's working set, its hottest pages first.
std::vector<std::uint32_t> cpu_pages(const Trace &trace, Rng &rng)
{
	std::vector<bool> dma(trace.pages);
	for (const Access &a : trace.accesses)
		for (std::uint32_t p = a.first_page(); p <= a.last_page(); p++)
			dma[p] = true;
	std::vector<std::uint32_t> v;
	for (std::uint32_t p = 0; p < trace.pages; p++)
		if (!dma[p])
			v.push_back(p);
	for (std::size_t i = v.size(); i > 1; i--)
		std::swap(v[i - 1], v[rng.below(i)]);
	return v;
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
		.count();
}

constexpr std::pair<std::string_view, int> on_demand_policies[] = {
	{ "reclaim", HPMM_VPRI_POLICY_RECLAIM },
	{ "adp", HPMM_VPRI_POLICY_ADP },
	{ "hint", HPMM_VPRI_POLICY_HINT },
	{ "adp-hint", HPMM_VPRI_POLICY_ADP_HINT },
};

} // namespace

std::optional<int> parse_on_demand_policy(std::string_view name)
{
	for (const auto &[n, id] : on_demand_policies)
		if (n == name)
			return id;
	return std::nullopt;
}

std::string on_demand_policy_name(int policy)
{
	for (const auto &[n, id] : on_demand_policies)
		if (id == policy)
			return std::string(n);
	return "unknown";
}

Cgroup::Cgroup(const std::string &name, std::uint64_t memory_max)
{
	const fs::path root = "/sys/fs/cgroup";
	if (!fs::exists(root / "cgroup.controllers"))
		throw Error(ErrorKind::environment,
			    "vpri: cgroup v2 is not mounted at /sys/fs/cgroup");
	std::string self = read_file("/proc/self/cgroup");
	std::size_t at = self.find("0::");
	if (at == std::string::npos)
		throw Error(ErrorKind::environment, "vpri: not in a cgroup v2 hierarchy");
	std::string rel = self.substr(at + 3);
	rel = rel.substr(0, rel.find('\n'));
	parent_ = root / rel.substr(rel.find_first_not_of('/') == std::string::npos ?
					    rel.size() : rel.find_first_not_of('/'));
	if (read_file(parent_ / "cgroup.subtree_control").find("memory") ==
	    std::string::npos)
		write_file(parent_ / "cgroup.subtree_control", "+memory");
	path_ = parent_ / name;
	std::error_code ec;
	fs::create_directory(path_, ec);
	if (ec)
		throw Error(ErrorKind::environment,
			    "vpri: mkdir " + path_.string() + ": " + ec.message());
	try {
		write_file(path_ / "memory.max", std::to_string(memory_max));
		write_file(path_ / "cgroup.procs", std::to_string(::getpid()));
	} catch (...) {
		fs::remove(path_, ec);
		throw;
	}
}

Cgroup::~Cgroup()
{
	std::ofstream out(parent_ / "cgroup.procs");
	out << ::getpid() << std::flush;
	std::error_code ec;
	fs::remove(path_, ec);
}

std::optional<std::uint64_t> Cgroup::stat(const std::string &key) const
{
	std::istringstream in(read_file(path_ / "memory.stat"));
	std::string k;
	std::uint64_t v;
	while (in >> k >> v)
		if (k == key)
			return v;
	return std::nullopt;
}

RunResult run_trace(const Trace &trace, int policy, std::uint32_t budget,
		    const RunOptions &options)
{
	if (options.on_demand) {
		if (on_demand_policy_name(policy) == "unknown")
			throw Error(ErrorKind::usage,
				    "vpri: the on-demand mode's policies are reclaim, adp, hint and adp-hint");
	} else if (policy < 0 || policy >= VPRI_NR_POLICIES) {
		throw Error(ErrorKind::usage,
			    "vpri: " + policy_name(policy) + " runs only in the simulator");
	}
	Device dev = Device::open();
	if (!dev)
		throw Error(ErrorKind::environment,
			    std::string(msg_module_not_loaded) + " (/dev/hpmm: " +
				    errno_text(errno) + ")");
	hpmm_version v{};
	if (dev.version(v) || !(v.components & HPMM_COMPONENT_VPRI))
		throw Error(ErrorKind::environment, "vpri: hpmm is built without VPRI");

	std::optional<Cgroup> cg;
	if (options.memory_max)
		cg.emplace("hpmm-vpri." + std::to_string(::getpid()),
			   *options.memory_max);

	RunResult r;
	r.policy = policy;
	r.pages = trace.pages;
	Mapping map = map_range(static_cast<std::size_t>(trace.pages) * page_size);
	auto t0 = std::chrono::steady_clock::now();
	if (options.fill)
		for (std::uint32_t p = 0; p < trace.pages; p++)
			fill_page(map.data() + p * page_size, p);
	r.fill_seconds = seconds_since(t0);

	Rng rng(options.seed);
	std::vector<std::uint32_t> cpu_set;
	std::optional<Zipf> cpu_zipf;
	if (options.cpu_skew && options.cpu_touch) {
		cpu_set = cpu_pages(trace, rng);
		if (cpu_set.empty())
			throw Error(ErrorKind::usage,
				    "vpri: the trace touches every page: none is left for the CPU's working set");
		cpu_zipf.emplace(static_cast<std::uint32_t>(cpu_set.size()), *options.cpu_skew);
	}

	Domain dom(dev, map, policy, budget, options.on_demand);
	r.domain_id = dom.id();
	std::vector<hpmm_vpri_req> reqs(std::max<std::uint32_t>(options.batch, 1));
	std::uint64_t touch = 1;
	t0 = std::chrono::steady_clock::now();
	for (std::size_t i = 0; i < trace.accesses.size(); i += reqs.size()) {
		std::size_t n = std::min(reqs.size(), trace.accesses.size() - i);
		for (std::size_t j = 0; j < n; j++) {
			const Access &a = trace.accesses[i + j];
			reqs[j] = { a.iova, a.len, a.write ? HPMM_VPRI_REQ_WRITE : 0 };
		}
		hpmm_vpri_submit s{};
		s.domain_id = dom.id();
		s.backend = options.edu ? HPMM_VPRI_BACKEND_EDU : HPMM_VPRI_BACKEND_CPU;
		s.reqs = reinterpret_cast<std::uintptr_t>(reqs.data());
		s.nr_reqs = n;
		if (int err = dev.vpri_submit(s))
			fail("HPMM_VPRI_SUBMIT: request " + std::to_string(i + s.nr_done),
			     err);
		r.requests += s.nr_done;
		// The guest reads the headers the device wrote.
		for (std::size_t j = 0; j < n && options.header_bytes; j++) {
			const hpmm_vpri_req &q = reqs[j];
			if (!(q.flags & HPMM_VPRI_REQ_WRITE))
				continue;
			const volatile unsigned char *h = map.data() + q.iova;
			std::uint64_t len = std::min<std::uint64_t>(options.header_bytes, q.len);
			for (std::uint64_t b = 0; b < len; b += 64)
				(void)h[b];
			r.header_reads++;
		}
		for (std::uint32_t k = 0; k < options.cpu_touch; k++) {
			std::uint64_t page;
			if (cpu_zipf) {
				page = cpu_set[cpu_zipf->sample(rng)];
			} else {
				touch = touch * 6364136223846793005ULL + 1442695040888963407ULL;
				page = (touch >> 33) % trace.pages;
			}
			map.data()[page * page_size + 8]++;
		}
		r.cpu_touches += options.cpu_touch;
	}
	r.seconds = seconds_since(t0);

	hpmm_vpri_stats st{};
	st.domain_id = dom.id();
	if (int err = dev.vpri_stats(st))
		fail("HPMM_VPRI_STATS", err);
	r.accesses = st.accesses;
	r.hits = st.hits;
	r.faults = st.faults;
	r.pins = st.pins;
	r.unpins = st.unpins;
	r.peak_pinned = st.peak_pinned;
	r.budget = static_cast<std::uint32_t>(st.budget);
	r.target = st.target;
	r.swapins = st.swapins;
	r.invalidations = st.invalidations;
	r.mapped = st.mapped;
	r.scans = st.scans;
	r.marks = st.marks;
	r.cpu_majflt = st.cpu_majflt;

	Debugfs dbg = Debugfs::open(options.debugfs);
	std::string dir = "vpri/" + std::to_string(dom.id()) + "/";
	r.stats = dbg.read_kv(dir + "stats");
	r.latency = dbg.read_kv(dir + "latency");
	r.rate = dbg.read_kv(dir + "rate");
	return r;
}

} // namespace hpmm::vpri
