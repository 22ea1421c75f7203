// SPDX-License-Identifier: GPL-2.0
// hpmm-bpf: attaches a BPF policy to hpmm, as bpftool struct_ops register
// does for the kernel's own struct_ops types, with the link pinned so that
// the policy outlives the tool. Two components take one:
//   defrag: struct hpmm_defrag_ops, placement (defrag_*.bpf.o)
//   vpri:   struct hpmm_vpri_ops, the page a fault unpins (vpri_*.bpf.o)
//
//   hpmm-bpf attach OBJ [--pin PATH]   load OBJ, attach its policy
//   hpmm-bpf replace OBJ [--pin PATH]  swap the attached policy for OBJ's,
//                                      atomically (no allocation unplaced)
//   hpmm-bpf detach [-c C] [--pin PATH] detach: DEFRAG groups fall back to
//                                      grouping, VPRI domains to lru
//   hpmm-bpf status [-c C]             debugfs hpmm/C/bpf
//
// The component of OBJ is the struct_ops type it defines. DEFRAG groups
// and VPRI domains whose policy is "bpf" follow the program (hpmmctl
// defrag group set NAME policy=bpf; hpmmctl vpri run --policy bpf). PATH
// defaults to /sys/fs/bpf/hpmm_C; bpffs is mounted there when it is not.
#include <bpf/bpf.h>
#include <bpf/btf.h>
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
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace {

// A component that takes a BPF policy.
struct Component {
	const char *name;
	const char *ops_type;
};

constexpr Component kComponents[] = {
	{ "defrag", "hpmm_defrag_ops" },
	{ "vpri", "hpmm_vpri_ops" },
};

const Component &component_named(const std::string &name)
{
	for (const Component &c : kComponents)
		if (name == c.name)
			return c;
	throw std::invalid_argument("unknown component " + name);
}

std::string default_pin(const Component &c)
{
	return std::string("/sys/fs/bpf/hpmm_") + c.name;
}

std::string status_file(const Component &c)
{
	return std::string("/sys/kernel/debug/hpmm/") + c.name + "/bpf";
}

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

// A loaded program: its object, its struct_ops map, its component.
struct Loaded {
	Object obj;
	bpf_map *map;
	const Component *component;
};

// The component whose struct_ops type @map's value is.
const Component &component_of(const std::string &path, bpf_object *obj, bpf_map *map)
{
	const btf *b = bpf_object__btf(obj);
	const btf_type *t = b ? btf__type_by_id(b, bpf_map__btf_value_type_id(map)) : nullptr;
	const char *name = t ? btf__name_by_offset(b, t->name_off) : nullptr;

	for (const Component &c : kComponents)
		if (name && !std::strcmp(name, c.ops_type))
			return c;
	throw Failure{path + ": its struct_ops type " + (name ? name : "?") +
		      " is none of hpmm's (hpmm_defrag_ops, hpmm_vpri_ops)"};
}

// Loads @path: the object, its struct_ops map and its component.
Loaded load(const std::string &path)
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
			      "hpmm_defrag_ops or hpmm_vpri_ops)"};
	const Component &c = component_of(path, obj.get(), found);
	err = bpf_object__load(obj.get());
	if (err)
		fail("load " + path + " (is hpmm loaded, on a kernel with BPF struct_ops? see " +
		     status_file(c) + ")", err);
	return {std::move(obj), found, &c};
}

void attach(const std::string &path, std::string pin)
{
	Loaded l = load(path);
	if (pin.empty())
		pin = default_pin(*l.component);
	ensure_bpffs(pin);
	if (fs::exists(pin))
		throw Failure{pin + " exists: a policy is attached (replace or detach it)"};
	Link link(bpf_map__attach_struct_ops(l.map));
	if (!link)
		fail("attach " + path, errno);
	int err = bpf_link__pin(link.get(), pin.c_str());
	if (err)
		fail("pin " + pin, err);
	// The pinned link keeps the policy attached: close ours only.
	bpf_link__disconnect(link.get());
	std::cout << "attached " << path << " to " << l.component->name << " at " << pin
		  << "\n";
}

void replace(const std::string &path, std::string pin)
{
	Loaded l = load(path);
	if (pin.empty())
		pin = default_pin(*l.component);
	Link link(bpf_link__open(pin.c_str()));
	if (!link)
		fail("open " + pin, errno);
	bpf_link__disconnect(link.get());
	int err = bpf_link__update_map(link.get(), l.map);
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

void status(const Component &c)
{
	std::ifstream in(status_file(c));
	if (!in)
		fail("read " + status_file(c) + " (is hpmm loaded, debugfs mounted?)",
		     errno ? errno : ENOENT);
	std::cout << in.rdbuf();
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"hpmm-bpf: attach BPF policies to hpmm's DEFRAG and VPRI"};
	app.require_subcommand(1);
	std::string obj, pin, comp = "defrag";
	const char *what = "a .bpf.o with a struct hpmm_defrag_ops or hpmm_vpri_ops";

	auto *a = app.add_subcommand("attach", "load OBJ and attach its policy");
	a->add_option("OBJ", obj, what)->required();
	a->add_option("--pin", pin, "where the link is pinned (/sys/fs/bpf/hpmm_<component>)");
	auto *r = app.add_subcommand("replace", "swap the attached policy for OBJ's");
	r->add_option("OBJ", obj, what)->required();
	r->add_option("--pin", pin, "where the link is pinned (/sys/fs/bpf/hpmm_<component>)");
	auto *d = app.add_subcommand("detach", "detach the policy");
	d->add_option("-c,--component", comp, "defrag or vpri")
		->check(CLI::IsMember({ "defrag", "vpri" }));
	d->add_option("--pin", pin, "where the link is pinned (/sys/fs/bpf/hpmm_<component>)");
	auto *s = app.add_subcommand("status", "print debugfs hpmm/<component>/bpf");
	s->add_option("-c,--component", comp, "defrag or vpri")
		->check(CLI::IsMember({ "defrag", "vpri" }));
	CLI11_PARSE(app, argc, argv);

	libbpf_set_print(quiet_print);
	try {
		if (*a)
			attach(obj, pin);
		else if (*r)
			replace(obj, pin);
		else if (*d)
			detach(pin.empty() ? default_pin(component_named(comp)) : pin);
		else if (*s)
			status(component_named(comp));
	} catch (const Failure &f) {
		std::cerr << "hpmm-bpf: " << f.message << "\n";
		return 1;
	} catch (const std::exception &e) {
		std::cerr << "hpmm-bpf: " << e.what() << "\n";
		return 1;
	}
	return 0;
}
