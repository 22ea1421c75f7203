// SPDX-License-Identifier: GPL-2.0
// hpmm::Mapping: the one owned memory mapping of the hpmm tools.
#pragma once

#include <cstddef>
#include <utility>

namespace hpmm {

// Unmaps its range when it goes out of scope; movable, not copyable. An
// empty Mapping holds nothing (mmap() failed: errno tells why).
class Mapping {
public:
	Mapping() noexcept = default;
	// Takes over [addr, addr + len), e.g. a range mapped with MAP_FIXED.
	Mapping(void *addr, std::size_t len) noexcept : addr_(addr), len_(len) {}
	Mapping(const Mapping &) = delete;
	Mapping &operator=(const Mapping &) = delete;
	Mapping(Mapping &&o) noexcept
		: addr_(std::exchange(o.addr_, nullptr)),
		  len_(std::exchange(o.len_, 0))
	{
	}
	Mapping &operator=(Mapping &&o) noexcept
	{
		if (this != &o) {
			reset();
			addr_ = std::exchange(o.addr_, nullptr);
			len_ = std::exchange(o.len_, 0);
		}
		return *this;
	}
	~Mapping() { reset(); }

	// mmap(nullptr, len, prot, flags, fd, offset); empty on failure.
	static Mapping map(std::size_t len, int prot, int flags, int fd = -1,
			   long offset = 0) noexcept;
	// Private anonymous read-write memory.
	static Mapping anonymous(std::size_t len) noexcept;

	unsigned char *data() const noexcept
	{
		return static_cast<unsigned char *>(addr_);
	}
	std::size_t size() const noexcept { return len_; }
	explicit operator bool() const noexcept { return addr_ != nullptr; }
	// Unmaps now (keeping errno).
	void reset() noexcept;

private:
	void *addr_ = nullptr;
	std::size_t len_ = 0;
};

} // namespace hpmm
