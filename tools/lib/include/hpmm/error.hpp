// SPDX-License-Identifier: GPL-2.0
// hpmm::Error: the one exception type of hpmmlib, and the exit statuses that
// every hpmm tool shares.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hpmm {

// Exit statuses of every hpmm tool.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;     // usage or operation error
inline constexpr int exit_environment = 2; // debugfs not mounted, module not loaded

// The messages for the two environment errors, word for word.
inline constexpr std::string_view msg_debugfs_not_mounted =
	"hpmm: debugfs is not mounted (mount -t debugfs none /sys/kernel/debug)";
inline constexpr std::string_view msg_module_not_loaded =
	"hpmm: module not loaded (insmod hpmm.ko)";

enum class ErrorKind {
	usage,       // the command line is wrong: the caller prints usage
	operation,   // a read, write or parse failed
	environment, // debugfs or the module is not there
};

// Every failure hpmmlib reports. what() is a complete one-line message that
// a tool prints as is.
class Error : public std::runtime_error {
public:
	Error(ErrorKind kind, const std::string &message)
		: std::runtime_error(message), kind_(kind)
	{
	}

	ErrorKind kind() const noexcept { return kind_; }

	// exit_environment for environment errors, exit_failure otherwise.
	int exit_code() const noexcept
	{
		return kind_ == ErrorKind::environment ? exit_environment :
							  exit_failure;
	}

private:
	ErrorKind kind_;
};

// A malformed line in a "key: value" file.
class ParseError : public Error {
public:
	// line is 1-based.
	ParseError(std::string_view source, std::size_t line,
		   std::string_view detail, std::string_view text);

	std::size_t line() const noexcept { return line_; }

private:
	std::size_t line_;
};

// "Invalid argument (EINVAL)" for EINVAL: strerror text plus errno name.
std::string errno_text(int err);

} // namespace hpmm
