// SPDX-License-Identifier: GPL-2.0
// VPRI traces: a sequence of device accesses to a registered range.
//
// Text format, version 1 (Documentation/vpri.rst):
//
//   # hpmm-vpri-trace 1
//   # pages 16384
//   W 0x1a2b000 1514
//   R 4096 64
//
// One access per line: R (the device reads memory, DMA_TO_DEVICE) or W (it
// writes memory, DMA_FROM_DEVICE), the IOVA (offset in the registered
// range; decimal or 0x-hex) and the length in bytes (1..4095). '#' starts a
// comment; "# pages N" (optional) gives the size of the range in pages, else
// it is the highest page touched plus one. Blank lines are ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace hpmm::vpri {

inline constexpr std::uint64_t page_size = 4096;
inline constexpr std::uint32_t max_access_len = 4095;

struct Access {
	std::uint64_t iova = 0;
	std::uint32_t len = 0;
	bool write = false;

	std::uint32_t first_page() const { return static_cast<std::uint32_t>(iova / page_size); }
	std::uint32_t last_page() const
	{
		return static_cast<std::uint32_t>((iova + len - 1) / page_size);
	}
	bool operator==(const Access &) const = default;
};

struct Trace {
	std::uint32_t pages = 0; // size of the registered range
	std::vector<Access> accesses;
	std::vector<std::string> comments; // header comments, without "# "

	// Distinct pages touched.
	std::uint32_t footprint() const;
	// Page accesses (an access spanning two pages counts twice).
	std::uint64_t page_accesses() const;
};

// Throws hpmm::Error(parse) naming the source and line.
Trace parse_trace(std::istream &in, const std::string &source = "trace");
Trace read_trace(const std::filesystem::path &path);
void write_trace(std::ostream &out, const Trace &trace);
void write_trace(const std::filesystem::path &path, const Trace &trace);

} // namespace hpmm::vpri
