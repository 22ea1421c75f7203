// SPDX-License-Identifier: GPL-2.0
#include "hpmm/device.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/ioctl.h>

namespace hpmm {

Device Device::open(const char *path) noexcept
{
	return Device(Fd::open(path, O_RDWR));
}

int Device::call(unsigned long request, void *arg) const noexcept
{
	return ::ioctl(fd_.get(), request, arg) ? errno : 0;
}

#define HPMM_DEVICE_CALL(method, type, request)                    \
	int Device::method(type &arg) const noexcept               \
	{                                                          \
		arg.size = sizeof(arg);                            \
		return call(request, &arg);                        \
	}

HPMM_DEVICE_CALL(version, hpmm_version, HPMM_IOCTL_VERSION)
HPMM_DEVICE_CALL(vpri_register, hpmm_vpri_register, HPMM_VPRI_REGISTER)
HPMM_DEVICE_CALL(vpri_submit, hpmm_vpri_submit, HPMM_VPRI_SUBMIT)
HPMM_DEVICE_CALL(vpri_stats, hpmm_vpri_stats, HPMM_VPRI_STATS)
HPMM_DEVICE_CALL(defrag_map, hpmm_defrag_map, HPMM_DEFRAG_IOCTL_MAP)
HPMM_DEVICE_CALL(defrag_group_create, hpmm_defrag_group_create,
		 HPMM_DEFRAG_IOCTL_GROUP_CREATE)
HPMM_DEVICE_CALL(defrag_group_set, hpmm_defrag_group_set,
		 HPMM_DEFRAG_IOCTL_GROUP_SET)
HPMM_DEVICE_CALL(defrag_group_compact, hpmm_defrag_group_compact,
		 HPMM_DEFRAG_IOCTL_GROUP_COMPACT)

#undef HPMM_DEVICE_CALL

int Device::destroy(std::uint64_t id) const noexcept
{
	hpmm_destroy d{};
	d.size = sizeof(d);
	d.id = id;
	return call(HPMM_IOCTL_DESTROY, &d);
}

} // namespace hpmm
