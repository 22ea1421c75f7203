// SPDX-License-Identifier: GPL-2.0
// hpmm::Device: the one client of /dev/hpmm's ioctls (include/uapi).
#pragma once

#include <cstdint>

#include <uapi/hpmm-defrag.h>
#include <uapi/hpmm-vpri.h>
#include <uapi/hpmm.h>

#include "hpmm/fd.hpp"

namespace hpmm {

// An open file of /dev/hpmm. The objects it creates (DEFRAG groups, VPRI
// domains) are owned by it and destroyed when it is closed. Every call
// fills in the argument's size field and returns 0 or the errno.
class Device {
public:
	static constexpr const char *default_path = "/dev/hpmm";

	// Empty (errno tells why) when the file cannot be opened.
	static Device open(const char *path = default_path) noexcept;

	explicit operator bool() const noexcept { return bool(fd_); }
	int fd() const noexcept { return fd_.get(); }
	// Hands over the file, e.g. to keep it in a mapping only.
	void close() noexcept { fd_.reset(); }

	int version(hpmm_version &v) const noexcept;
	// HPMM_IOCTL_DESTROY of any object this file created.
	int destroy(std::uint64_t id) const noexcept;

	int vpri_register(hpmm_vpri_register &r) const noexcept;
	int vpri_submit(hpmm_vpri_submit &s) const noexcept;
	int vpri_stats(hpmm_vpri_stats &s) const noexcept;

	int defrag_map(hpmm_defrag_map &m) const noexcept;
	int defrag_group_create(hpmm_defrag_group_create &c) const noexcept;
	int defrag_group_set(hpmm_defrag_group_set &s) const noexcept;
	int defrag_group_compact(hpmm_defrag_group_compact &c) const noexcept;

private:
	explicit Device(Fd fd) noexcept : fd_(std::move(fd)) {}
	int call(unsigned long request, void *arg) const noexcept;

	Fd fd_;
};

} // namespace hpmm
