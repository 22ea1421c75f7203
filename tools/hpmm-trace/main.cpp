// SPDX-License-Identifier: GPL-2.0
// hpmm-trace: counts hpmm tracepoints with BPF, libbpf-bootstrap style.
//
// The BPF programs (hpmm_trace.bpf.c, embedded through the bpftool
// skeleton) copy each event into a ring buffer; this side checks the
// context structs against tracefs, loads and attaches only the programs a
// command needs, and aggregates (trace_report.cpp).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "trace_cli.hpp"
#include "trace_format.hpp"
#include "hpmm/error.hpp"
#include "hpmm_trace.skel.h"
#include "trace_report.hpp"

namespace fs = std::filesystem;
using namespace hpmm::trace;

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int)
{
	stop_requested = 1;
}

struct SkelDeleter {
	void operator()(hpmm_trace_bpf *s) const { hpmm_trace_bpf__destroy(s); }
};
struct RingDeleter {
	void operator()(ring_buffer *r) const { ring_buffer__free(r); }
};
struct LinkDeleter {
	void operator()(bpf_link *l) const { bpf_link__destroy(l); }
};

// A failure with its exit status; main() prints the message.
struct Failure {
	int status;
	std::string message;
};

[[noreturn]] void fail(int status, const std::string &msg)
{
	throw Failure{status, "hpmm-trace: " + msg};
}

int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	std::fputs("libbpf: ", stderr);
	return std::vfprintf(stderr, fmt, ap);
}

bool is_dir(const fs::path &p)
{
	std::error_code ec;
	return fs::is_directory(p, ec);
}

// The tracefs mount: /sys/kernel/tracing, else debugfs's tracing/.
std::string find_tracefs()
{
	for (const char *dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
		if (is_dir(fs::path(dir) / "events"))
			return dir;
	return {};
}

// The folder holding <event>/format for every hpmm event.
fs::path format_root(const Options &o)
{
	if (!o.format_dir.empty()) {
		if (!is_dir(o.format_dir))
			fail(hpmm::exit_environment,
			     "format directory " + o.format_dir + " not found");
		return o.format_dir;
	}
	std::string tracefs = find_tracefs();
	if (tracefs.empty())
		fail(hpmm::exit_environment,
		     "tracefs is not mounted (mount -t tracefs nodev "
		     "/sys/kernel/tracing), or not readable: run as root");
	fs::path hpmm = fs::path(tracefs) / "events" / "hpmm";
	if (!is_dir(hpmm))
		fail(hpmm::exit_environment,
		     "no hpmm events in " + tracefs +
			     "/events: module not loaded (insmod hpmm.ko)");
	return hpmm;
}

std::vector<hpmm_trace_event_id> all_events()
{
	std::vector<hpmm_trace_event_id> ids;
	for (int i = 0; i < HPMM_TRACE_NR_EVENTS; i++)
		ids.push_back(static_cast<hpmm_trace_event_id>(i));
	return ids;
}

// Compares each event's format file with its compiled context struct;
// every difference goes to stderr. Throws Failure(1) on any.
void check_formats(const fs::path &root,
		   const std::vector<hpmm_trace_event_id> &ids)
{
	std::vector<std::string> diffs;

	for (auto id : ids) {
		const auto &want = compiled_events().at(id);
		fs::path path = root / want.name / "format";
		std::ifstream in(path);
		if (!in) {
			diffs.push_back("event " + want.name + ": no " +
					path.string() +
					" (the loaded module lacks this event)");
			continue;
		}
		std::ostringstream text;
		text << in.rdbuf();
		try {
			auto have = parse_format(text.str(), path.string());
			for (auto &d : compare_layouts(want, have))
				diffs.push_back(std::move(d));
		} catch (const hpmm::Error &e) {
			diffs.push_back(e.what());
		}
	}
	if (diffs.empty())
		return;
	for (const auto &d : diffs)
		std::cerr << "hpmm-trace: " << d << '\n';
	fail(hpmm::exit_failure,
	     "the context structs hpmm-trace was built with "
	     "(tools/hpmm-trace/hpmm_trace_events.h) do not match the loaded "
	     "module's events (kernel/trace.h); rebuild both from one tree");
}

// Loads a two-instruction tracepoint program to tell "no BPF" apart from
// other failures.
void probe_bpf()
{
	const bpf_insn insns[] = {
		{BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0}, // r0 = 0
		{BPF_JMP | BPF_EXIT, 0, 0, 0, 0},          // exit
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, nullptr, "GPL", insns,
			       2, nullptr);
	if (fd >= 0) {
		close(fd);
		return;
	}
	int err = errno;
	switch (err) {
	case ENOSYS:
		fail(hpmm::exit_environment,
		     "this kernel has no bpf() system call "
		     "(CONFIG_BPF_SYSCALL is off)");
	case EPERM:
	case EACCES:
		fail(hpmm::exit_environment,
		     "not allowed to load BPF programs (" +
			     hpmm::errno_text(err) +
			     "): run as root, or with CAP_BPF and CAP_PERFMON");
	case EINVAL:
		fail(hpmm::exit_environment,
		     "this kernel cannot load tracepoint BPF programs "
		     "(CONFIG_BPF_EVENTS is off?)");
	default:
		fail(hpmm::exit_environment,
		     "cannot load a BPF program: " + hpmm::errno_text(err));
	}
}

int on_record(void *ctx, void *data, size_t size)
{
	hpmm_trace_rec rec;
	if (size < sizeof(rec))
		return 0;
	std::memcpy(&rec, data, sizeof(rec));
	static_cast<Aggregator *>(ctx)->add(rec);
	return 0;
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() -
					     t0)
		.count();
}

int trace(const Options &o, const Profile &profile)
{
	const auto ids = profile.events();

	// Before anything can announce that tracing started: a SIGTERM sent
	// right after that message must end the run cleanly, not kill it.
	struct sigaction sa = {};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);

	probe_bpf();
	libbpf_set_print(libbpf_log);

	std::unique_ptr<hpmm_trace_bpf, SkelDeleter> skel(
		hpmm_trace_bpf__open());
	if (!skel)
		fail(hpmm::exit_failure,
		     "cannot open the BPF object: " + hpmm::errno_text(errno));

	// Load only the programs of this command's events.
	std::vector<bpf_program *> progs;
	bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj)
	{
		std::string_view name = bpf_program__name(prog);
		bool want = std::any_of(ids.begin(), ids.end(), [&](auto id) {
			return name == "handle_" + std::string(event_name(id));
		});
		bpf_program__set_autoload(prog, want);
		if (want)
			progs.push_back(prog);
	}
	if (progs.size() != ids.size())
		fail(hpmm::exit_failure, "BPF object lacks a program for an event");

	if (int err = hpmm_trace_bpf__load(skel.get()); err) {
		int e = -err;
		fail(e == EPERM || e == EACCES ? hpmm::exit_environment :
						 hpmm::exit_failure,
		     "cannot load the BPF programs: " + hpmm::errno_text(e));
	}

	std::vector<std::unique_ptr<bpf_link, LinkDeleter>> links;
	for (auto *p : progs) {
		bpf_link *l = bpf_program__attach(p);
		if (!l) {
			int e = errno;
			fail(hpmm::exit_failure,
			     "cannot attach " + std::string(bpf_program__name(p)) +
				     " to " +
				     std::string(bpf_program__section_name(p)) +
				     ": " + hpmm::errno_text(e));
		}
		links.emplace_back(l);
	}

	Aggregator agg(profile);
	std::unique_ptr<ring_buffer, RingDeleter> rb(ring_buffer__new(
		bpf_map__fd(skel->maps.events), on_record, &agg, nullptr));
	if (!rb)
		fail(hpmm::exit_failure,
		     "cannot set up the ring buffer: " + hpmm::errno_text(errno));

	std::string names;
	for (auto id : ids)
		names += " " + std::string(event_name(id));
	std::cerr << "hpmm-trace: tracing" << names;
	if (o.duration_s > 0)
		std::cerr << " for " << o.duration_s << " s";
	else
		std::cerr << " until SIGINT or SIGTERM";
	std::cerr << std::endl;

	if (!o.json && o.interval_s > 0)
		print_header(std::cout, profile);
	std::cout.flush();

	const auto t0 = std::chrono::steady_clock::now();
	double last = 0;      // end of the last printed interval
	double next = o.interval_s;
	while (!stop_requested) {
		double now = seconds_since(t0);
		if (o.duration_s > 0 && now >= o.duration_s)
			break;
		double wake = now + 0.2;
		if (o.interval_s > 0)
			wake = std::min(wake, next);
		if (o.duration_s > 0)
			wake = std::min(wake, o.duration_s);
		int ms = std::max(1, static_cast<int>((wake - now) * 1000.0 + 0.5));
		int err = ring_buffer__poll(rb.get(), ms);
		if (err < 0 && err != -EINTR)
			fail(hpmm::exit_failure,
			     "ring buffer: " + hpmm::errno_text(-err));
		now = seconds_since(t0);
		if (o.interval_s > 0 && now >= next) {
			auto counts = agg.take_interval();
			print_interval(std::cout, profile, now, now - last,
				       counts, o.json);
			std::cout.flush();
			last = now;
			while (next <= now)
				next += o.interval_s;
		}
	}
	// The run ends now; records submitted before the programs are
	// detached still count.
	double end = seconds_since(t0);
	links.clear();
	ring_buffer__consume(rb.get());
	if (o.interval_s > 0) {
		auto counts = agg.take_interval();
		if (std::any_of(counts.begin(), counts.end(),
				[](auto n) { return n != 0; }))
			print_interval(std::cout, profile, end, end - last,
				       counts, o.json);
	}
	print_summary(std::cout, profile, agg, end, skel->bss->dropped, o.json);
	std::cout.flush();
	return hpmm::exit_ok;
}

int run(const Options &o)
{
	if (o.help) {
		print_usage(std::cout);
		return hpmm::exit_ok;
	}
	const Profile *profile = find_profile(o.command);
	const auto ids = profile ? profile->events() : all_events();
	const fs::path root = format_root(o);

	check_formats(root, ids);
	if (!profile) {
		std::cout << "hpmm-trace: " << ids.size()
			  << " events match their formats in " << root.string()
			  << '\n';
		return hpmm::exit_ok;
	}
	return trace(o, *profile);
}

} // namespace

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);

	try {
		return run(parse_cli(args));
	} catch (const hpmm::Error &e) {
		std::cerr << e.what() << '\n';
		if (e.kind() == hpmm::ErrorKind::usage)
			std::cerr << "(hpmm-trace --help for usage)\n";
		return e.exit_code();
	} catch (const Failure &f) {
		std::cerr << f.message << '\n';
		return f.status;
	} catch (const std::exception &e) {
		std::cerr << "hpmm-trace: " << e.what() << '\n';
		return hpmm::exit_failure;
	}
}
