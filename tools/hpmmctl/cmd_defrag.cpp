// SPDX-License-Identifier: GPL-2.0
// hpmmctl defrag: DEFRAG allocation groups (debugfs hpmm/defrag/), their
// block maps as pictures, compaction, the module parameter
// defrag_payg_low, and the trace replay of hpmm_test.ko with its table.
// Groups are created and set by the programs that own them, through
// /dev/hpmm (dfg-frag is one).
#include <fstream>
#include <iomanip>
#include <sstream>

#include "hpmm/json.hpp"
#include "hpmm/table.hpp"

#include "cli.hpp"
#include "params.hpp"
#include "render.hpp"
#include "trace.hpp"

namespace hpmm::ctl {

namespace {

constexpr std::string_view dir = "defrag";
// hpmm_test.ko's DEFRAG directory, beside hpmm/ in debugfs.
constexpr std::string_view test_dir = "../hpmm_test/defrag";

// A per-mille value as a decimal with two places ("1090" -> "1.09").
std::string milli(const KeyValues &kv, const std::string &key)
{
	const std::string *v = kv.find(key);
	auto n = v ? parse_u64(*v) : std::nullopt;
	if (!n)
		return "-";
	std::ostringstream s;
	s << std::fixed << std::setprecision(2)
	  << static_cast<double>(*n) / 1000.0;
	return s.str();
}

std::string value_or_dash(const KeyValues &kv, const std::string &key)
{
	const std::string *v = kv.find(key);
	return v ? *v : "-";
}

std::string percent(std::uint64_t part, std::uint64_t whole)
{
	if (!whole)
		return "-";
	std::ostringstream s;
	s << std::fixed << std::setprecision(1)
	  << 100.0 * static_cast<double>(part) / static_cast<double>(whole)
	  << '%';
	return s.str();
}

void print_json_kv(Context &ctx, const KeyValues &kv)
{
	print_json(ctx.out, json_object(kv));
}

// One word of a control command: no blank, no newline.
void check_word(const std::string &w)
{
	if (w.empty() || w.find_first_of(" \t\n") != std::string::npos)
		usage_error("'" + w + "' is not one word");
}

std::string join_command(std::string_view verb,
			 const std::vector<std::string> &words)
{
	std::string cmd(verb);
	for (const std::string &w : words) {
		check_word(w);
		cmd += ' ' + w;
	}
	return cmd + '\n';
}

int status(Context &ctx, const Debugfs &fs)
{
	KeyValues global = fs.read_kv(std::string(dir) + "/stats");
	std::vector<KeyValues> groups;
	for (const std::string &name : fs.list_dirs(std::string(dir) + "/groups"))
		groups.push_back(fs.read_kv(std::string(dir) + "/groups/" + name +
					    "/stats"));
	if (ctx.json) {
		Json json = json_object(global);
		json["groups"] = Json::array();
		for (const KeyValues &g : groups)
			json["groups"].push_back(json_object(g));
		print_json(ctx.out, json);
		return exit_ok;
	}
	print_fields(ctx.out, global.entries());
	ctx.out << '\n';
	Table t({{"ID", Align::right},
		 {"NAME", Align::left},
		 {"POLICY", Align::left},
		 {"LIMIT", Align::right},
		 {"BLOCKS", Align::right},
		 {"FREE", Align::right},
		 {"HUGE", Align::right},
		 {"U", Align::right},
		 {"M", Align::right},
		 {"R", Align::right},
		 {"FREE_PAGES", Align::right},
		 {"POLLUTION", Align::right},
		 {"UNUSABLE", Align::right},
		 {"MOVED", Align::right},
		 {"RECOVERED", Align::right}});
	for (const KeyValues &g : groups)
		t.add_row({value_or_dash(g, "id"), value_or_dash(g, "name"),
			   value_or_dash(g, "policy"), value_or_dash(g, "limit"),
			   value_or_dash(g, "blocks"),
			   value_or_dash(g, "free_blocks"),
			   value_or_dash(g, "huge_blocks"),
			   value_or_dash(g, "unmovable_blocks"),
			   value_or_dash(g, "movable_blocks"),
			   value_or_dash(g, "reclaimable_blocks"),
			   value_or_dash(g, "free_pages"),
			   milli(g, "pollution_milli"),
			   milli(g, "unusable_index_milli"),
			   value_or_dash(g, "compact_moved_pages"),
			   value_or_dash(g, "compact_recovered_blocks")});
	t.print(ctx.out);
	return exit_ok;
}

int group(Context &ctx, const Debugfs &fs, const std::vector<std::string> &a)
{
	if (a.size() != 1)
		usage_error("defrag group takes NAME");
	check_word(a[0]);
	KeyValues kv = fs.read_kv(std::string(dir) + "/groups/" + a[0] +
				  "/stats");
	if (ctx.json)
		print_json_kv(ctx, kv);
	else
		print_fields(ctx.out, kv.entries());
	return exit_ok;
}

int control(const Debugfs &fs, std::string_view verb,
	    const std::vector<std::string> &a, std::size_t min,
	    std::size_t max)
{
	if (a.size() < min || a.size() > max)
		usage_error("wrong number of arguments for defrag " +
			    std::string(verb));
	fs.write(std::string(dir) + "/control", join_command(verb, a));
	return exit_ok;
}

bool ends_with(const std::string &s, std::string_view suffix)
{
	return s.size() >= suffix.size() &&
	       s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int map(Context &ctx, const Debugfs &fs, const std::vector<std::string> &a)
{
	std::string grp, out;
	for (const std::string &w : a) {
		if (ends_with(w, ".svg") || ends_with(w, ".png")) {
			if (!out.empty())
				usage_error("one output file at most");
			out = w;
		} else if (grp.empty()) {
			check_word(w);
			grp = w;
		} else {
			usage_error("unexpected '" + w + "'");
		}
	}
	std::string base = grp.empty() ? std::string(dir) :
					 std::string(dir) + "/groups/" + grp;
	if (out.empty()) {
		ctx.out << fs.read(base + "/map");
		ctx.out << "(one character per 2 MiB block, by pfn: . free, _ pool,"
			   " # huge, c compacting;\n u/m/r unmovable, movable,"
			   " reclaimable at most half full, U/M/R fuller)\n";
		return exit_ok;
	}
	std::vector<defrag::BlockCell> cells =
		defrag::parse_blocks(fs.read(base + "/blocks"));
	defrag::MapStyle style;
	style.title = grp.empty() ? "hpmm defrag: all blocks" :
				    "hpmm defrag group " + grp;
	if (ends_with(out, ".svg")) {
		std::ofstream f(out);
		f << defrag::render_svg(cells, style);
		if (!f.flush())
			throw Error(ErrorKind::operation, "cannot write " + out);
	} else {
		std::string err = defrag::render_png(cells, out, style);
		if (!err.empty())
			throw Error(ErrorKind::operation,
				    "PNG: " + err + " (an .svg needs nothing)");
	}
	ctx.out << out << ": " << cells.size() << " blocks\n";
	return exit_ok;
}

// The trace in writes of at most 16 KiB that end at a line end.
void upload(const Debugfs &fs, const std::string &path)
{
	std::ifstream in(path);
	if (!in)
		throw Error(ErrorKind::operation, "cannot read " + path);
	// Checked here first, for an error that names the line.
	defrag::Trace trace = defrag::read_trace(in);
	std::string rp = std::string(test_dir) + "/replay/";
	fs.write(rp + "control", "reset\n");
	std::string chunk;
	for (const defrag::Event &ev : trace.events) {
		std::string line = defrag::format_event(ev) + '\n';
		if (chunk.size() + line.size() > 16384) {
			fs.write(rp + "trace", chunk);
			chunk.clear();
		}
		chunk += line;
	}
	if (!chunk.empty())
		fs.write(rp + "trace", chunk);
}

void print_result(Context &ctx, const KeyValues &r)
{
	if (ctx.json) {
		print_json_kv(ctx, r);
		return;
	}
	auto u64 = [&](const std::string &k) -> std::optional<std::uint64_t> {
		const std::string *v = r.find(k);
		return v ? parse_u64(*v) : std::nullopt;
	};
	if (const std::string *e = r.find("error"))
		ctx.out << "error: " << *e << '\n';
	if (r.contains("events"))
		ctx.out << "trace: " << r.get("events") << " events, "
			<< value_or_dash(r, "groups") << " group(s), headroom "
			<< value_or_dash(r, "headroom_pct") << "%\n";
	if (u64("charge").value_or(0))
		ctx.out << "blocks charged to the memcg of the writer's cgroup "
			   "(at the end): grouping "
			<< value_or_dash(r, "grouping_memcg_charged_blocks")
			<< ", firstfit "
			<< value_or_dash(r, "firstfit_memcg_charged_blocks")
			<< '\n';
	if (r.contains("events"))
		ctx.out << '\n';
	Table t({{"VARIANT", Align::left},
		 {"POLLUTION", Align::right},
		 {"HOLDING/FEWEST", Align::right},
		 {"2MiB_OK/POSSIBLE", Align::right},
		 {"SUCCESS", Align::right},
		 {"MOVED/MIN", Align::right},
		 {"MOVED/MIN_RATIO", Align::right},
		 {"NS/EVENT", Align::right},
		 {"FAILURES", Align::right}});
	for (std::string v : {"grouping", "firstfit", "bpf", "kernel"}) {
		if (!r.contains(v + "_pollution_milli"))
			continue;
		auto ok = u64(v + "_order9_success"),
		     possible = u64(v + "_order9_possible");
		bool moves = r.contains(v + "_compact_moved");
		t.add_row({v, milli(r, v + "_pollution_milli"),
			   value_or_dash(r, v + "_holding_unmovable") + "/" +
				   value_or_dash(r, v + "_fewest_unmovable"),
			   value_or_dash(r, v + "_order9_success") + "/" +
				   value_or_dash(r, v + "_order9_possible"),
			   ok && possible ? percent(*ok, *possible) : "-",
			   moves ? value_or_dash(r, v + "_compact_moved") + "/" +
					   value_or_dash(r, v + "_compact_min_moves") :
				   "-",
			   moves ? milli(r, v + "_compact_ratio_milli") : "-",
			   value_or_dash(r, v + "_ns_per_event"),
			   value_or_dash(r, v + "_failures")});
	}
	if (t.rows())
		t.print(ctx.out);
	if (r.contains("order0_ratio_milli"))
		ctx.out << "\norder-0 alloc+free, "
			<< value_or_dash(r, "order0_pairs")
			<< " pairs (init_on_alloc="
			<< value_or_dash(r, "order0_init_on_alloc")
			<< "): defrag " << value_or_dash(r, "order0_defrag_ns")
			<< " ns, kernel " << value_or_dash(r, "order0_kernel_ns")
			<< " ns, ratio " << milli(r, "order0_ratio_milli")
			<< "\norder-0 in batches of 256: defrag "
			<< value_or_dash(r, "order0_batch_defrag_ns")
			<< " ns, kernel "
			<< value_or_dash(r, "order0_batch_kernel_ns")
			<< " ns, ratio " << milli(r, "order0_batch_ratio_milli")
			<< '\n';
	if (auto b = u64("block_meta_bytes")) {
		auto p = u64("page_meta_bytes"), sp = u64("struct_page_bytes");
		auto slab = u64("block_meta_slab_bytes");
		ctx.out << "\nmetadata per 2 MiB block: " << *b << " B";
		if (slab)
			ctx.out << " (" << *slab << " B of slab)";
		ctx.out << " always, + " << (p ? *p : 0)
			<< " B per-page info while split = " << *b + (p ? *p : 0)
			<< " B (struct page array: " << (sp ? *sp : 0)
			<< " B)\n";
	}
}

int replay(Context &ctx, const Debugfs &fs, const std::vector<std::string> &a)
{
	if (a.empty())
		usage_error("defrag replay takes TRACE [VARIANT...] [pairs=N] "
			    "[headroom=P]");
	std::vector<std::string> words(a.begin() + 1, a.end());
	upload(fs, a[0]);
	fs.write(std::string(test_dir) + "/replay/control",
		 join_command("run", words));
	print_result(ctx, fs.read_kv(std::string(test_dir) + "/replay/result"));
	return exit_ok;
}

// payg-low [N]: the pool's low watermark, the module parameter.
int payg_low(Context &ctx, const std::vector<std::string> &a)
{
	if (a.size() > 1)
		usage_error("defrag payg-low takes at most one number");
	Debugfs params = defrag::module_params();
	if (a.empty()) {
		ctx.out << "payg_low: " << params.read("defrag_payg_low");
		return exit_ok;
	}
	if (!parse_u64(a[0]))
		usage_error("'" + a[0] + "' is not a number");
	params.write("defrag_payg_low", a[0] + "\n");
	return exit_ok;
}

int run_defrag(Context &ctx, std::span<const std::string> argv)
{
	Args args = parse_args(ctx, argv);
	std::vector<std::string> &pos = args.positional;
	std::string sub = pos.empty() ? "status" : pos.front();
	if (!pos.empty())
		pos.erase(pos.begin());

	if (sub == "status") {
		if (!pos.empty())
			usage_error("defrag status takes no arguments");
		return status(ctx, ctx.debugfs());
	}
	if (sub == "group")
		return group(ctx, ctx.debugfs(), pos);
	if (sub == "compact")
		return control(ctx.debugfs(), "compact", pos, 1, 2);
	if (sub == "drain")
		return control(ctx.debugfs(), "drain", pos, 1, 1);
	if (sub == "payg-low")
		return payg_low(ctx, pos);
	if (sub == "check") {
		if (!pos.empty())
			usage_error("defrag check takes no arguments");
		ctx.debugfs().write(std::string(test_dir) + "/control", "check\n");
		ctx.out << "check: every refusal path behaved\n";
		return exit_ok;
	}
	if (sub == "map")
		return map(ctx, ctx.debugfs(), pos);
	if (sub == "replay")
		return replay(ctx, ctx.debugfs(), pos);
	if (sub == "result") {
		if (!pos.empty())
			usage_error("defrag result takes no arguments");
		print_result(ctx, ctx.debugfs().read_kv(std::string(test_dir) +
							"/replay/result"));
		return exit_ok;
	}
	usage_error("unknown defrag command '" + sub + "'");
}

} // namespace

Command defrag_command()
{
	return {
		.name = "defrag",
		.summary = "DEFRAG allocation groups, block maps, trace replay "
			   "against firstfit and the kernel",
		.usage = "hpmmctl defrag [status] [--json]\n"
			 "hpmmctl defrag group NAME [--json]\n"
			 "hpmmctl defrag compact NAME [BLOCKS]\n"
			 "hpmmctl defrag drain NAME\n"
			 "hpmmctl defrag payg-low [N]\n"
			 "hpmmctl defrag check\n"
			 "hpmmctl defrag map [GROUP] [FILE.svg|FILE.png]\n"
			 "hpmmctl defrag replay TRACE [grouping] [firstfit] "
			 "[kernel] [order0] [bpf] [pairs=N] [headroom=P] "
			 "[--json]\n"
			 "hpmmctl defrag result [--json]\n"
			 "\n"
			 "status   the module-wide counters and a row per group\n"
			 "compact  moves a group's movable pages out of its "
			 "sparsest blocks\n"
			 "drain    gives a group's per-CPU cached pages back\n"
			 "payg-low the free blocks the pool keeps (module "
			 "parameter defrag_payg_low)\n"
			 "check    DEFRAG's refusal paths, checked in the kernel "
			 "(hpmm_test.ko)\n"
			 "map      the block map (all groups and the pool, or "
			 "one group): as text,\n"
			 "         or drawn as SVG (no dependency) or PNG "
			 "(gnuplot), one cell per\n"
			 "         2 MiB block coloured by type, shaded by "
			 "fullness\n"
			 "replay   loads TRACE (dfg-tracegen's format), replays "
			 "it in the kernel\n"
			 "         (all variants but bpf by default; "
			 "hpmm_test.ko) and prints the table;\n"
			 "         bpf: groups placed by the attached BPF "
			 "program (hpmm-bpf)\n"
			 "Groups are objects of the /dev/hpmm file that creates "
			 "them (dfg-frag makes one).\n"
			 "See Documentation/defrag.rst.\n",
		.run = run_defrag,
	};
}

} // namespace hpmm::ctl
