// SPDX-License-Identifier: GPL-2.0
// hpmmctl magnet: MAGNET, DEFRAG's PTEMagnet placement policy
// (Documentation/magnet.rst): its counters (debugfs hpmm/magnet/stats), its
// commands (hpmm/magnet/control), and whether mappings that ask for the
// default placement get it (the module parameter defrag_placement).
#include "hpmm/json.hpp"
#include "hpmm/table.hpp"

#include "cli.hpp"
#include "params.hpp"

namespace hpmm::ctl {

namespace {

constexpr std::string_view dir = "magnet";

int stats(Context &ctx, const Debugfs &fs)
{
	KeyValues kv = fs.read_kv(std::string(dir) + "/stats");
	if (ctx.json) {
		print_json(ctx.out, json_object(kv));
		return exit_ok;
	}
	print_fields(ctx.out, kv.entries());
	return exit_ok;
}

// default [on|off]: MAGNET for mappings that ask for the default.
int default_placement(Context &ctx, const std::vector<std::string> &a)
{
	Debugfs params = defrag::module_params();
	if (a.empty()) {
		std::string p = params.read("defrag_placement");
		bool on = p.rfind("magnet", 0) == 0;
		ctx.out << "default: " << (on ? "on" : "off") << '\n';
		return exit_ok;
	}
	if (a.size() != 1 || (a[0] != "on" && a[0] != "off"))
		usage_error("magnet default takes on or off");
	params.write("defrag_placement", a[0] == "on" ? "magnet\n" : "page\n");
	return exit_ok;
}

int run_magnet(Context &ctx, std::span<const std::string> argv)
{
	Args args = parse_args(ctx, argv);
	std::vector<std::string> &pos = args.positional;
	std::string sub = pos.empty() ? "stats" : pos.front();
	if (!pos.empty())
		pos.erase(pos.begin());

	if (sub == "stats") {
		if (!pos.empty())
			usage_error("magnet stats takes no arguments");
		return stats(ctx, ctx.debugfs());
	}
	if (sub == "default")
		return default_placement(ctx, pos);
	if (sub == "shrink") {
		if (pos.size() != 1 || !parse_u64(pos[0]) || !*parse_u64(pos[0]))
			usage_error("magnet shrink takes a number of pages (> 0)");
		ctx.debugfs().write(std::string(dir) + "/control",
				    "shrink " + pos[0] + "\n");
		return exit_ok;
	}
	if (sub == "reset-peak") {
		if (!pos.empty())
			usage_error("magnet reset-peak takes no arguments");
		ctx.debugfs().write(std::string(dir) + "/control",
				    "reset_peak\n");
		return exit_ok;
	}
	usage_error("unknown magnet command '" + sub + "'");
}

} // namespace

Command magnet_command()
{
	return {
		.name = "magnet",
		.summary = "MAGNET reservations: counters, shrink, the default "
			   "placement of mappings",
		.usage = "hpmmctl magnet [stats] [--json]\n"
			 "hpmmctl magnet default [on|off]\n"
			 "hpmmctl magnet shrink PAGES\n"
			 "hpmmctl magnet reset-peak\n"
			 "\n"
			 "stats       the counters of hpmm/magnet/stats\n"
			 "default     whether mappings that ask for the default "
			 "placement get MAGNET\n"
			 "            (module parameter defrag_placement: magnet "
			 "or page)\n"
			 "shrink      gives back at least PAGES unused reserved "
			 "pages now, oldest first\n"
			 "reset-peak  unused_reserved_peak = unused_reserved_now\n"
			 "See Documentation/magnet.rst.\n",
		.run = run_magnet,
	};
}

} // namespace hpmm::ctl
