// SPDX-License-Identifier: GPL-2.0
// hpmmctl dev: the devices bound to hpmm (debugfs hpmm/dev/<bdf>/) and the
// commands of their control files.
#include <algorithm>
#include <limits>

#include "hpmm/json.hpp"
#include "hpmm/table.hpp"

#include "cli.hpp"

namespace hpmm::ctl {

namespace {

// One hpmm/dev/<bdf>/ directory: info then stats, merged.
struct Device {
	std::string dir;
	KeyValues fields;
};

std::vector<Device> load_devices(const Debugfs &fs)
{
	std::vector<Device> devices;
	for (const std::string &dir : fs.list_dirs("dev")) {
		Device dev{dir, KeyValues("dev/" + dir)};
		dev.fields.merge(fs.read_kv("dev/" + dir + "/info"));
		if (!dev.fields.contains("bdf"))
			dev.fields.set("bdf", dir);
		dev.fields.merge(fs.read_kv("dev/" + dir + "/stats"));
		devices.push_back(std::move(dev));
	}
	auto index_of = [](const Device &dev) {
		const std::string *v = dev.fields.find("index");
		auto n = v ? parse_i64(*v) : std::nullopt;
		return n.value_or(std::numeric_limits<std::int64_t>::max());
	};
	std::stable_sort(devices.begin(), devices.end(),
			 [&](const Device &a, const Device &b) {
				 return index_of(a) < index_of(b);
			 });
	return devices;
}

// BDF (the directory name or the bdf field) or index.
const Device &select_device(const std::vector<Device> &devices,
			    const std::string &which)
{
	for (const Device &dev : devices) {
		const std::string *bdf = dev.fields.find("bdf");
		const std::string *index = dev.fields.find("index");
		if (dev.dir == which || (bdf && *bdf == which) ||
		    (index && *index == which))
			return dev;
	}
	throw Error(ErrorKind::operation,
		    "hpmm: no device '" + which +
			    "' (hpmmctl dev lists the bound devices)");
}

struct ColumnSpec {
	const char *header;
	const char *key;
	Align align;
};

constexpr ColumnSpec columns[] = {
	{"INDEX", "index", Align::right},
	{"BDF", "bdf", Align::left},
	{"GROUP", "iommu_group", Align::right},
	{"DOMAIN", "domain_type", Align::left},
	{"IRQ", "irq", Align::right},
	{"DMA_OPS", "dma_ops", Align::right},
	{"DMA_BYTES", "dma_bytes", Align::right},
	{"FAULTS", "faults", Align::right},
	{"ERRORS", "errors", Align::right},
	{"LAST_NS", "last_ns", Align::right},
	{"BROKEN", "broken", Align::right},
};

int list(Context &ctx, const Debugfs &fs)
{
	std::vector<Device> devices = load_devices(fs);
	if (ctx.json) {
		Json json = Json::array();
		for (const Device &dev : devices)
			json.push_back(json_object(dev.fields));
		print_json(ctx.out, json);
		return exit_ok;
	}
	if (devices.empty()) {
		ctx.out << "no devices bound to hpmm\n";
		return exit_ok;
	}
	std::vector<Column> header;
	for (const ColumnSpec &c : columns)
		header.push_back({c.header, c.align});
	Table table(std::move(header));
	for (const Device &dev : devices) {
		std::vector<std::string> row;
		for (const ColumnSpec &c : columns) {
			const std::string *v = dev.fields.find(c.key);
			row.push_back(v ? *v : "-");
		}
		table.add_row(std::move(row));
	}
	table.print(ctx.out);
	return exit_ok;
}

int roundtrip(Context &ctx, const Debugfs &fs,
	      const std::vector<std::string> &args)
{
	if (args.size() != 3)
		usage_error("dev roundtrip takes BDF|INDEX BACKEND LEN");
	const std::string &backend = args[1];
	if (backend.empty() ||
	    std::any_of(backend.begin(), backend.end(), [](char c) {
		    return static_cast<unsigned char>(c) <= ' ';
	    }))
		usage_error("BACKEND must be one word, got '" + backend + "'");
	auto len = parse_u64(args[2]);
	if (!len)
		usage_error("LEN must be a decimal number, got '" + args[2] +
			    "'");

	std::vector<Device> devices = load_devices(fs);
	const Device &dev = select_device(devices, args[0]);
	std::string dir = "dev/" + dev.dir;
	// The self-tests are hpmm_test.ko's: debugfs hpmm_test/, beside hpmm/.
	fs.write("../hpmm_test/" + dir + "/control",
		 "roundtrip " + backend + " " + std::to_string(*len) + "\n");
	std::uint64_t last_ns = fs.read_kv(dir + "/stats").get_u64("last_ns");

	if (ctx.json) {
		print_json(ctx.out, {{"bdf", dev.fields.get("bdf")},
				     {"backend", backend},
				     {"len", *len},
				     {"last_ns", last_ns}});
	} else {
		print_fields(ctx.out, {{"bdf", dev.fields.get("bdf")},
				       {"backend", backend},
				       {"len", std::to_string(*len)},
				       {"last_ns", std::to_string(last_ns)}});
	}
	return exit_ok;
}

int run_dev(Context &ctx, std::span<const std::string> argv)
{
	Args args = parse_args(ctx, argv);
	std::vector<std::string> &pos = args.positional;
	std::string sub = pos.empty() ? "list" : pos.front();
	if (!pos.empty())
		pos.erase(pos.begin());

	if (sub == "list") {
		if (!pos.empty())
			usage_error("dev list takes no arguments");
		return list(ctx, ctx.debugfs());
	}
	if (sub == "roundtrip")
		return roundtrip(ctx, ctx.debugfs(), pos);
	usage_error("unknown dev command '" + sub + "'");
}

} // namespace

Command dev_command()
{
	return {
		.name = "dev",
		.summary = "devices bound to hpmm: IOMMU group, domain, DMA "
			   "counters; DMA round trips",
		.usage = "hpmmctl dev [list] [--json]\n"
			 "hpmmctl dev roundtrip BDF|INDEX BACKEND LEN [--json]\n"
			 "\n"
			 "list       one row per hpmm/dev/<bdf>/ (info and stats "
			 "merged)\n"
			 "roundtrip  DMA LEN bytes (1..4095) to the device and "
			 "back through\n"
			 "           BACKEND (edu or cpu), then print the "
			 "device's last_ns\n",
		.run = run_dev,
	};
}

} // namespace hpmm::ctl
