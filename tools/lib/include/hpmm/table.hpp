// SPDX-License-Identifier: GPL-2.0
// Human output: a table with aligned columns, and aligned "key: value" lines.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace hpmm {

enum class Align { left, right };

struct Column {
	std::string header;
	Align align = Align::left;
};

// Columns are as wide as their widest cell (UTF-8 code points), separated by
// two spaces; lines carry no trailing blanks. Numbers read best right-aligned.
class Table {
public:
	explicit Table(std::vector<Column> columns);

	// Throws std::invalid_argument unless there is one cell per column.
	void add_row(std::vector<std::string> cells);
	std::size_t rows() const noexcept { return rows_.size(); }

	// The header line, then one line per row.
	void print(std::ostream &out) const;

private:
	std::vector<Column> columns_;
	std::vector<std::vector<std::string>> rows_;
};

// "key:  value" lines with the values aligned one space after the longest key.
void print_fields(std::ostream &out,
		  const std::vector<std::pair<std::string, std::string>> &fields);

// Display width of UTF-8 text: its code points.
std::size_t display_width(const std::string &text);

} // namespace hpmm
