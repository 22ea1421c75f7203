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
#include <memory>
#include <optional>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <uapi/hpmm-defrag.h>

namespace {

constexpr std::size_t page_size = 4096;

class Fd {
public:
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	~Fd()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	int get() const { return fd_; }

private:
	int fd_;
};

class Mapping {
public:
	Mapping(int fd, std::size_t len)
		: len_(len), p_(mmap(nullptr, len, PROT_READ | PROT_WRITE,
				     MAP_SHARED, fd, 0))
	{
	}
	Mapping(const Mapping &) = delete;
	Mapping &operator=(const Mapping &) = delete;
	~Mapping() { reset(); }
	void reset()
	{
		if (ok())
			munmap(p_, len_);
		p_ = MAP_FAILED;
	}
	bool ok() const { return p_ != MAP_FAILED; }
	unsigned char *at(std::size_t page) const
	{
		return static_cast<unsigned char *>(p_) + page * page_size;
	}

private:
	std::size_t len_;
	void *p_;
};

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

std::optional<std::uint64_t> number(const std::string &s)
{
	char *end = nullptr;
	errno = 0;
	unsigned long long v = std::strtoull(s.c_str(), &end, 10);
	if (s.empty() || *end || errno || s[0] == '-')
		return std::nullopt;
	return v;
}

// /bin/sh -c COMMAND in a child: its exit status, or -1.
int run_shell(const std::string &command)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/sh", "sh", "-c", command.c_str(),
		      static_cast<char *>(nullptr));
		_exit(127);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

int main(int argc, char **argv)
{
	hpmm_defrag_group_create create{};
	create.size = sizeof(create);
	create.cgroup_fd = -1;
	std::vector<std::string> pos;
	std::string command;
	int i = 1;
	for (; i < argc && std::string(argv[i]) != "--"; i++) {
		std::string a = argv[i];
		__u64 *field = nullptr;
		__u64 bit = 0;
		if (a == "--limit") {
			field = &create.limit;
			bit = HPMM_DEFRAG_GROUP_LIMIT;
		} else if (a == "--reserve") {
			field = &create.reserve;
			bit = HPMM_DEFRAG_GROUP_RESERVE;
		} else if (a == "--threshold") {
			field = &create.threshold;
			bit = HPMM_DEFRAG_GROUP_THRESHOLD;
		}
		if (!field) {
			pos.push_back(a);
			continue;
		}
		auto v = i + 1 < argc ? number(argv[++i]) : std::nullopt;
		if (!v)
			return usage();
		*field = *v;
		create.fields |= bit;
	}
	for (i++; i < argc; i++)
		command += std::string(command.empty() ? "" : " ") + argv[i];
	if (pos.size() < 2 || pos.size() > 3 ||
	    pos[0].size() >= sizeof(create.name))
		return usage();
	std::memcpy(create.name, pos[0].c_str(), pos[0].size() + 1);
	auto pages_arg = number(pos[1]);
	auto ways_arg = pos.size() == 3 ? number(pos[2]) : std::optional<std::uint64_t>{2};
	if (!pages_arg || !*pages_arg || !ways_arg || *ways_arg < 1 || *ways_arg > 16)
		return usage();
	std::size_t pages = *pages_arg, ways = *ways_arg;

	Fd fd(open("/dev/hpmm", O_RDWR | O_CLOEXEC));
	if (fd.get() < 0) {
		std::cerr << "dfg-frag: /dev/hpmm: " << std::strerror(errno) << '\n';
		return 2;
	}
	if (ioctl(fd.get(), HPMM_DEFRAG_IOCTL_GROUP_CREATE, &create)) {
		std::cerr << "dfg-frag: create group " << pos[0] << ": "
			  << std::strerror(errno) << '\n';
		return 2;
	}
	hpmm_defrag_map setup{};
	setup.size = sizeof(setup);
	setup.group_id = create.out_group_id;
	setup.placement = HPMM_DEFRAG_PLACEMENT_PAGE;
	if (ioctl(fd.get(), HPMM_DEFRAG_IOCTL_MAP, &setup)) {
		std::cerr << "dfg-frag: map group " << pos[0] << ": "
			  << std::strerror(errno) << '\n';
		return 2;
	}
	std::vector<std::unique_ptr<Mapping>> maps;
	for (std::size_t w = 0; w < ways; w++) {
		maps.push_back(std::make_unique<Mapping>(fd.get(), pages * page_size));
		if (!maps.back()->ok()) {
			std::cerr << "dfg-frag: mmap: " << std::strerror(errno) << '\n';
			return 2;
		}
	}
	for (std::size_t p = 0; p < pages; p++) {
		for (std::size_t w = 0; w < ways; w++) {
			auto *q = reinterpret_cast<std::uint64_t *>(maps[w]->at(p));
			for (std::size_t k = 0; k < page_size / 8; k++)
				q[k] = w ? 0 : word(p, k);
		}
	}
	for (std::size_t w = 1; w < ways; w++)
		maps[w]->reset();

	Fd pagemap(open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
	std::vector<std::uint64_t> before(pages);
	for (std::size_t p = 0; p < pages; p++)
		before[p] = pfn_of(pagemap.get(), maps[0]->at(p));
	std::cout << "dfg-frag: " << pages << " pages kept of " << pages * ways
		  << " faulted in, group " << pos[0] << " (id "
		  << create.out_group_id << ")" << std::endl;

	if (!command.empty()) {
		int status = run_shell(command);
		if (status != 0)
			std::cerr << "dfg-frag: command exited with " << status << '\n';
	}

	std::size_t bad = 0, moved = 0;
	for (std::size_t p = 0; p < pages; p++) {
		auto *q = reinterpret_cast<const std::uint64_t *>(maps[0]->at(p));
		for (std::size_t k = 0; k < page_size / 8; k++) {
			if (q[k] != word(p, k)) {
				bad++;
				break;
			}
		}
		std::uint64_t now = pfn_of(pagemap.get(), maps[0]->at(p));
		moved += before[p] && now && now != before[p];
	}
	std::cout << "dfg-frag: pages " << pages << ", moved " << moved
		  << " (new pfn in /proc/self/pagemap), data errors " << bad
		  << std::endl;
	return bad ? 1 : 0;
}
