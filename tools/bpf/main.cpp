// SPDX-License-Identifier: GPL-2.0
// hpmm-bpf: attaches a BPF placement policy to hpmm's DEFRAG, as bpftool
// struct_ops register does for the kernel's own struct_ops types, with the
// link pinned so that the policy outlives the tool.
//
//   hpmm-bpf attach OBJ [--pin PATH]   load OBJ, attach its hpmm_defrag_ops
//   hpmm-bpf replace OBJ [--pin PATH]  swap the attached policy for OBJ's,
//                                      atomically (no allocation unplaced)
//   hpmm-bpf detach [--pin PATH]       detach: groups fall back to grouping
//   hpmm-bpf status                    debugfs hpmm/defrag/bpf
//
// The groups a policy places are those whose policy is "bpf" (hpmmctl
// defrag group set NAME policy=bpf, or the ioctls). PATH defaults to
// /sys/fs/bpf/hpmm_defrag; bpffs is mounted there when it is not.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace {

constexpr const char *kDefaultPin = "/sys/fs/bpf/hpmm_defrag";
constexpr const char *kStatus = "/sys/kernel/debug/hpmm/defrag/bpf";
constexpr const char *kOpsType = "hpmm_defrag_ops";

struct ObjectDeleter {
	void operator()(bpf_object *o) const { bpf_object__close(o); }
};
struct LinkDeleter {
	void operator()(bpf_link *l) const { bpf_link__destroy(l); }
};
using Object = std::unique_ptr<bpf_object, ObjectDeleter>;
using Link = std::unique_ptr<bpf_link, LinkDeleter>;

// A failure with its message; main() prints it and exits 1.
struct Failure {
	std::string message;
};

[[noreturn]] void fail(const std::string &what, int err)
{
	throw Failure{what + ": " + std::strerror(err < 0 ? -err : err)};
}

int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	// The verifier's log and libbpf's warnings, not its debug chatter.
	if (level == LIBBPF_DEBUG)
		return 0;
	return std::vfprintf(stderr, fmt, ap);
}

// bpffs at the pin's folder, mounted when it is not one yet.
void ensure_bpffs(const fs::path &pin)
{
	const fs::path dir = pin.parent_path();
	struct statfs st {};

	if (!statfs(dir.c_str(), &st) && st.f_type == BPF_FS_MAGIC)
		return;
	if (mount("bpf", dir.c_str(), "bpf", 0, nullptr))
		fail("mount bpffs on " + dir.string(), errno);
}

// Loads @path: the object and its hpmm_defrag_ops map.
std::pair<Object, bpf_map *> load(const std::string &path)
{
	Object obj(bpf_object__open_file(path.c_str(), nullptr));
	bpf_map *map, *found = nullptr;
	int err;

	if (!obj)
		fail("open " + path, errno);
	bpf_object__for_each_map(map, obj.get()) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (found)
			throw Failure{path + ": more than one struct_ops map"};
		found = map;
	}
	if (!found)
		throw Failure{path + ": no struct_ops map (SEC(\".struct_ops.link\") struct " +
			      std::string(kOpsType) + ")"};
	err = bpf_object__load(obj.get());
	if (err)
		fail("load " + path + " (is hpmm loaded, on a kernel with BPF struct_ops? see " +
		     std::string(kStatus) + ")", err);
	return {std::move(obj), found};
}

void attach(const std::string &path, const fs::path &pin)
{
	ensure_bpffs(pin);
	if (fs::exists(pin))
		throw Failure{pin.string() + " exists: a policy is attached (replace or detach it)"};
	auto [obj, map] = load(path);
	Link link(bpf_map__attach_struct_ops(map));
	if (!link)
		fail("attach " + path, errno);
	int err = bpf_link__pin(link.get(), pin.c_str());
	if (err)
		fail("pin " + pin.string(), err);
	// The pinned link keeps the policy attached: close ours only.
	bpf_link__disconnect(link.get());
	std::cout << "attached " << path << " at " << pin.string() << "\n";
}

void replace(const std::string &path, const fs::path &pin)
{
	Link link(bpf_link__open(pin.c_str()));
	if (!link)
		fail("open " + pin.string(), errno);
	bpf_link__disconnect(link.get());
	auto [obj, map] = load(path);
	int err = bpf_link__update_map(link.get(), map);
	if (err)
		fail("replace with " + path, err);
	std::cout << "replaced by " << path << "\n";
}

void detach(const fs::path &pin)
{
	Link link(bpf_link__open(pin.c_str()));
	if (!link)
		fail("open " + pin.string(), errno);
	bpf_link__disconnect(link.get());
	int err = bpf_link__detach(link.get());
	if (err)
		fail("detach " + pin.string(), err);
	if (unlink(pin.c_str()))
		fail("unpin " + pin.string(), errno);
	std::cout << "detached\n";
}

void status()
{
	std::ifstream in(kStatus);
	if (!in)
		fail(std::string("read ") + kStatus + " (is hpmm loaded, debugfs mounted?)",
		     errno ? errno : ENOENT);
	std::cout << in.rdbuf();
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"hpmm-bpf: attach BPF placement policies to hpmm's DEFRAG"};
	app.require_subcommand(1);
	std::string obj, pin = kDefaultPin;

	auto *a = app.add_subcommand("attach", "load OBJ and attach its policy");
	a->add_option("OBJ", obj, "a .bpf.o with a struct hpmm_defrag_ops")->required();
	a->add_option("--pin", pin, "where the link is pinned");
	auto *r = app.add_subcommand("replace", "swap the attached policy for OBJ's");
	r->add_option("OBJ", obj, "a .bpf.o with a struct hpmm_defrag_ops")->required();
	r->add_option("--pin", pin, "where the link is pinned");
	auto *d = app.add_subcommand("detach", "detach the policy");
	d->add_option("--pin", pin, "where the link is pinned");
	auto *s = app.add_subcommand("status", "print debugfs hpmm/defrag/bpf");
	CLI11_PARSE(app, argc, argv);

	libbpf_set_print(quiet_print);
	try {
		if (*a)
			attach(obj, pin);
		else if (*r)
			replace(obj, pin);
		else if (*d)
			detach(pin);
		else if (*s)
			status();
	} catch (const Failure &f) {
		std::cerr << "hpmm-bpf: " << f.message << "\n";
		return 1;
	} catch (const std::exception &e) {
		std::cerr << "hpmm-bpf: " << e.what() << "\n";
		return 1;
	}
	return 0;
}
