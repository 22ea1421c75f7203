// SPDX-License-Identifier: GPL-2.0
// Tracefs event formats: parsing events/<system>/<event>/format and
// comparing it with the context struct hpmm-trace was compiled with.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpmm::trace {

// One field as hpmm-trace's context struct lays it out, or as the kernel's
// format file describes it.
struct Field {
	std::string name;
	std::size_t offset = 0;
	std::size_t size = 0;
	bool is_signed = false;

	bool operator==(const Field &) const = default;
};

// An event: its name and its fields, common_* fields included.
struct EventLayout {
	std::string name;
	std::vector<Field> fields;
};

// The events of hpmm_trace_events.h, in enum hpmm_trace_event_id order.
const std::vector<EventLayout> &compiled_events();
// The compiled layout of the event called name, or nullptr.
const EventLayout *find_compiled(std::string_view name);

// Parses the text of a tracefs format file ("name: ...", "ID: ...",
// "format:" and one "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;" line
// per field). Throws hpmm::Error(operation) naming source on a malformed
// file.
EventLayout parse_format(std::string_view text, std::string_view source);

// Every difference between what hpmm-trace compiled (want) and what the
// kernel describes (have), one message per field, each naming the event and
// the field: "event hpmm_dma: field 'ns': offset 16 in the kernel, 24 in
// hpmm-trace". Empty when they match.
std::vector<std::string> compare_layouts(const EventLayout &want,
					 const EventLayout &have);

} // namespace hpmm::trace
