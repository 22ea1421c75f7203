/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm: the ioctl and mmap ABI of /dev/hpmm.
 *
 * Every command takes one struct whose first field is its size in bytes, as
 * iommufd does: user space sets @size to sizeof() of the struct it was built
 * with, the kernel accepts any size from the first version of the struct up
 * to a page, zero-fills what an older user did not pass, and refuses with
 * -E2BIG a newer user's tail that it does not understand unless that tail is
 * zero. All fields are __u64 so that 32- and 64-bit users share one layout.
 */
#ifndef _UAPI_HPMM_H
#define _UAPI_HPMM_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped on every incompatible change to this file. */
#define HPMM_ABI_VERSION 2

/* 0xDE is unused in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define HPMM_IOCTL_TYPE 0xDE

/*
 * Command numbers: 0x00-0x0f are the core's; each component owns a block of
 * 16 and defines its commands in its own header, include/uapi/hpmm-<name>.h.
 */
enum hpmm_ioctl_cmd {
	HPMM_CMD_VERSION = 0x00,
	HPMM_CMD_DESTROY = 0x01,
	HPMM_CMD_HPA_BASE = 0x10,
	HPMM_CMD_DEFRAG_BASE = 0x20,
	HPMM_CMD_VPRI_BASE = 0x40,
};

/**
 * struct hpmm_version - HPMM_IOCTL_VERSION
 * @size: sizeof(struct hpmm_version)
 * @abi_version: out: HPMM_ABI_VERSION of the loaded module
 * @components: out: bitmap of HPMM_COMPONENT_* built into the module
 */
struct hpmm_version {
	__u64 size;
	__u64 abi_version;
	__u64 components;
};

#define HPMM_COMPONENT_DEV	_BITULL(0)
#define HPMM_COMPONENT_HPA	_BITULL(1)
#define HPMM_COMPONENT_DEFRAG	_BITULL(2)
#define HPMM_COMPONENT_MAGNET	_BITULL(3)
#define HPMM_COMPONENT_VPRI	_BITULL(4)

/**
 * struct hpmm_destroy - HPMM_IOCTL_DESTROY: destroy an object
 * @size: sizeof(struct hpmm_destroy)
 * @id: an object this open file created (a DEFRAG group, a VPRI domain)
 *
 * Objects are owned by the open file that created them and are destroyed
 * with it when it is closed. ENOENT when this file owns no object @id,
 * EBUSY while the object is in use (it stays).
 */
struct hpmm_destroy {
	__u64 size;
	__u64 id;
};

#define HPMM_IOCTL_VERSION _IO(HPMM_IOCTL_TYPE, HPMM_CMD_VERSION)
#define HPMM_IOCTL_DESTROY _IO(HPMM_IOCTL_TYPE, HPMM_CMD_DESTROY)

#endif /* _UAPI_HPMM_H */
