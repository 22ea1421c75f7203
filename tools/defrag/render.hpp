// SPDX-License-Identifier: GPL-2.0
// DEFRAG block maps as pictures: one cell per 2 MiB block, coloured by
// type and shaded by how full the block is. SVG needs nothing; PNG is drawn
// by gnuplot when it is installed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::defrag {

// One line of debugfs defrag/blocks or groups/NAME/blocks:
// "PFN GROUP CHAR FREE UNMOVABLE MOVABLE RECLAIMABLE [ZEROED [NODE]]".
struct BlockCell {
	std::uint64_t pfn = 0;
	std::uint64_t group = 0;
	char c = '.';
	unsigned free = 0;
	unsigned used[3] = {}; // unmovable, movable, reclaimable
	unsigned node = 0;     // NUMA node

	unsigned used_total() const { return used[0] + used[1] + used[2]; }
};

// Parses a blocks file ('#' lines skipped); throws hpmm::Error(operation)
// naming the line for anything malformed.
std::vector<BlockCell> parse_blocks(std::string_view text);

struct Rgb {
	unsigned char r = 0, g = 0, b = 0;
	bool operator==(const Rgb &) const = default;
};

// What a map character means: "free", "pool", "huge", "compacting",
// "unmovable", "movable", "reclaimable" or "unknown".
std::string_view cell_kind(char c);
// Its type's colour, lightened for emptier blocks (a full block gets the
// full colour, an empty one nearly white); free and pool blocks are grey.
Rgb cell_color(const BlockCell &cell);
std::string rgb_hex(Rgb c);

struct MapStyle {
	unsigned columns = 0; // 0: about square
	unsigned cell = 14;   // pixels per cell side
	std::string title = "hpmm defrag block map";
};

// A self-contained SVG document: the cells in pfn order, row by row, a
// title and a legend. Each cell has a <title> tooltip with its numbers.
std::string render_svg(const std::vector<BlockCell> &cells,
		       const MapStyle &style = {});

// Draws the map as a PNG with gnuplot (pngcairo, else png terminal).
// Returns an empty string on success, else why it could not.
std::string render_png(const std::vector<BlockCell> &cells,
		       const std::filesystem::path &out,
		       const MapStyle &style = {});

} // namespace hpmm::defrag
