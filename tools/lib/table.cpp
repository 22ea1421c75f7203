// SPDX-License-Identifier: GPL-2.0
#include "hpmm/table.hpp"

#include <algorithm>
#include <stdexcept>

namespace hpmm {

std::size_t display_width(const std::string &text)
{
	return static_cast<std::size_t>(
		std::count_if(text.begin(), text.end(), [](char c) {
			return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
		}));
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns))
{
	if (columns_.empty())
		throw std::invalid_argument("hpmm::Table: no columns");
}

void Table::add_row(std::vector<std::string> cells)
{
	if (cells.size() != columns_.size())
		throw std::invalid_argument(
			"hpmm::Table: row has " + std::to_string(cells.size()) +
			" cells for " + std::to_string(columns_.size()) +
			" columns");
	rows_.push_back(std::move(cells));
}

void Table::print(std::ostream &out) const
{
	std::vector<std::size_t> width(columns_.size());
	for (std::size_t c = 0; c < columns_.size(); ++c) {
		width[c] = display_width(columns_[c].header);
		for (const auto &row : rows_)
			width[c] = std::max(width[c], display_width(row[c]));
	}

	auto line = [&](auto cell_of) {
		std::string text;
		for (std::size_t c = 0; c < columns_.size(); ++c) {
			const std::string &cell = cell_of(c);
			std::string pad(width[c] - display_width(cell), ' ');
			if (c)
				text += "  ";
			if (columns_[c].align == Align::right)
				text += pad + cell;
			else
				text += cell + pad;
		}
		while (!text.empty() && text.back() == ' ')
			text.pop_back();
		out << text << '\n';
	};

	line([&](std::size_t c) -> const std::string & {
		return columns_[c].header;
	});
	for (const auto &row : rows_)
		line([&](std::size_t c) -> const std::string & {
			return row[c];
		});
}

void print_fields(std::ostream &out,
		  const std::vector<std::pair<std::string, std::string>> &fields)
{
	std::size_t width = 0;
	for (const auto &field : fields)
		width = std::max(width, display_width(field.first));
	for (const auto &[key, value] : fields) {
		out << key << ':';
		if (!value.empty())
			out << std::string(width - display_width(key) + 1, ' ')
			    << value;
		out << '\n';
	}
}

} // namespace hpmm
