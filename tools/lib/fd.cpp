// SPDX-License-Identifier: GPL-2.0
#include "hpmm/fd.hpp"
#include "hpmm/mapping.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace hpmm {

Fd Fd::open(const char *path, int flags) noexcept
{
	return Fd(::open(path, flags | O_CLOEXEC));
}

void Fd::reset(int fd) noexcept
{
	if (fd_ >= 0 && fd_ != fd) {
		int err = errno;
		::close(fd_);
		errno = err;
	}
	fd_ = fd;
}

Mapping Mapping::map(std::size_t len, int prot, int flags, int fd,
		     long offset) noexcept
{
	void *p = ::mmap(nullptr, len, prot, flags, fd, offset);
	if (p == MAP_FAILED)
		return {};
	return Mapping(p, len);
}

Mapping Mapping::anonymous(std::size_t len) noexcept
{
	return map(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
}

void Mapping::reset() noexcept
{
	if (addr_) {
		int err = errno;
		::munmap(addr_, len_);
		errno = err;
	}
	addr_ = nullptr;
	len_ = 0;
}

} // namespace hpmm
