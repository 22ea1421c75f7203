// SPDX-License-Identifier: GPL-2.0
// hpmm::Fd: the one owned file descriptor of the hpmm tools.
#pragma once

#include <utility>

namespace hpmm {

// Closes its descriptor when it goes out of scope; movable, not copyable.
// An Fd holding a negative number holds nothing (open() failed: errno
// tells why).
class Fd {
public:
	Fd() noexcept = default;
	explicit Fd(int fd) noexcept : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept
	{
		if (this != &o)
			reset(o.release());
		return *this;
	}
	~Fd() { reset(); }

	// open(2) with O_CLOEXEC added.
	static Fd open(const char *path, int flags) noexcept;

	int get() const noexcept { return fd_; }
	explicit operator bool() const noexcept { return fd_ >= 0; }
	int release() noexcept { return std::exchange(fd_, -1); }
	// Closes the descriptor held (keeping errno), then holds fd.
	void reset(int fd = -1) noexcept;

private:
	int fd_ = -1;
};

} // namespace hpmm
