/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm_test: the private test ABI of /dev/hpmm_test (kernel/test/), as
 * lib/test_hmm_uapi.h is test_hmm's. Not a stable ABI and not installed:
 * only the selftests and hpmm's own tools include it. Every command needs
 * CAP_SYS_ADMIN (checked at open): some return physical frame numbers or
 * let the device reach pages the production paths would refuse.
 *
 * The conventions of include/uapi/hpmm.h: size-first structs, __u64 fields.
 */
#ifndef _HPMM_TEST_UAPI_H
#define _HPMM_TEST_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* 0xDF: next to /dev/hpmm's 0xDE. */
#define HPMM_TEST_IOCTL_TYPE	0xDF

/*
 * Command numbers: each component's tests own a block of 16 and define
 * their commands in its section below.
 */
enum hpmm_test_ioctl_cmd {
	HPMM_TEST_CMD_HPA_BASE = 0x10,
	HPMM_TEST_CMD_DEFRAG_BASE = 0x20,
	HPMM_TEST_CMD_VPRI_BASE = 0x40,
};

/* ---- HPA ----------------------------------------------------------------- */

/*
 * None: HPA's tests are driven through debugfs hpmm_test/hpa/control
 * (Documentation/hpa.rst), as the tools drive them; they need no user
 * memory. The block stays reserved.
 */

/* ---- DEFRAG -------------------------------------------------------------- */

/* ---- VPRI ---------------------------------------------------------------- */

#endif /* _HPMM_TEST_UAPI_H */
