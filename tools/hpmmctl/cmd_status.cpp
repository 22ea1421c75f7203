// SPDX-License-Identifier: GPL-2.0
// hpmmctl status: the module's version, components and live counters
// (debugfs hpmm/version and hpmm/status).
#include "hpmm/json.hpp"
#include "hpmm/table.hpp"

#include "cli.hpp"

namespace hpmm::ctl {

namespace {

std::string first_line(const std::string &text)
{
	std::string line = text.substr(0, text.find('\n'));
	while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
		line.pop_back();
	return line;
}

std::vector<std::string> words(const std::string &text)
{
	std::vector<std::string> out;
	std::size_t i = 0;
	while (i < text.size()) {
		std::size_t start = text.find_first_not_of(" \t", i);
		if (start == std::string::npos)
			break;
		std::size_t end = text.find_first_of(" \t", start);
		if (end == std::string::npos)
			end = text.size();
		out.push_back(text.substr(start, end - start));
		i = end;
	}
	return out;
}

int run_status(Context &ctx, std::span<const std::string> argv)
{
	Args args = parse_args(ctx, argv);
	if (!args.positional.empty())
		usage_error("status takes no arguments");

	Debugfs fs = ctx.debugfs();
	// The version file is authoritative; status repeats it.
	KeyValues fields("status");
	fields.set("version", first_line(fs.read("version")));
	KeyValues status = fs.read_kv("status");
	for (const auto &[key, value] : status)
		if (key != "version")
			fields.set(key, value);

	if (!ctx.json) {
		print_fields(ctx.out, fields.entries());
		return exit_ok;
	}
	Json json = Json::object();
	for (const auto &[key, value] : fields) {
		if (key == "version")
			json[key] = value;
		else if (key == "components")
			json[key] = words(value);
		else
			json[key] = json_value(value);
	}
	print_json(ctx.out, json);
	return exit_ok;
}

} // namespace

Command status_command()
{
	return {
		.name = "status",
		.summary = "module version, components and live counters",
		.usage = "hpmmctl status [--json]\n"
			 "\n"
			 "Reads hpmm/version and hpmm/status in debugfs.\n",
		.run = run_status,
	};
}

} // namespace hpmm::ctl
