// SPDX-License-Identifier: GPL-2.0
#include "hpmm/error.hpp"

#include <cstring>
#include <string.h>

namespace hpmm {

namespace {

std::string parse_message(std::string_view source, std::size_t line,
			  std::string_view detail, std::string_view text)
{
	std::string msg = "hpmm: ";
	msg.append(source);
	msg += ':';
	msg += std::to_string(line);
	msg += ": ";
	msg.append(detail);
	msg += ": '";
	msg.append(text);
	msg += '\'';
	return msg;
}

} // namespace

ParseError::ParseError(std::string_view source, std::size_t line,
		       std::string_view detail, std::string_view text)
	: Error(ErrorKind::operation, parse_message(source, line, detail, text)),
	  line_(line)
{
}

std::string errno_text(int err)
{
	std::string text = ::strerror(err);
	// glibc >= 2.32; Debian 12 has 2.36.
	if (const char *name = ::strerrorname_np(err)) {
		text += " (";
		text += name;
		text += ')';
	}
	return text;
}

} // namespace hpmm
