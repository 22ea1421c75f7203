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

/*
 * Kernel-held pages (never mapped) from a DEFRAG group, allocated with
 * dfg_alloc_pages() and returned as a page frame number: for tests of
 * limits, isolation, charging and eviction. Owned by the open file until
 * HPMM_TEST_DEFRAG_FREE or close. Each allocation holds a reference on its
 * group, so a group with test pages allocated cannot be destroyed (EBUSY).
 */
enum hpmm_test_defrag_cmd {
	HPMM_TEST_DEFRAG_CMD_ALLOC = HPMM_TEST_CMD_DEFRAG_BASE,
	HPMM_TEST_DEFRAG_CMD_FREE,
};

/* Mobility of an allocation (the kernel's migratetypes). */
#define HPMM_TEST_DEFRAG_UNMOVABLE	0
#define HPMM_TEST_DEFRAG_MOVABLE	1
#define HPMM_TEST_DEFRAG_RECLAIMABLE	2

/**
 * struct hpmm_test_defrag_alloc - HPMM_TEST_DEFRAG_ALLOC
 * @size: sizeof(struct hpmm_test_defrag_alloc)
 * @group_id: a group's id, whichever open file of /dev/hpmm owns it; 0:
 *	the group of the caller's cgroup, else the default group
 * @order: 0 to 9: 2^order contiguous pages
 * @mobility: HPMM_TEST_DEFRAG_UNMOVABLE, _MOVABLE or _RECLAIMABLE
 * @out_pfn: out: the first page frame number
 * @flags: HPMM_TEST_DEFRAG_NODE: allocate on @node (dfg_alloc_pages_node());
 *	else on the caller's local node
 * @node: with HPMM_TEST_DEFRAG_NODE, an online NUMA node
 * @out_node: out: the NUMA node of the pages
 *
 * ENOENT for an unknown group, EINVAL for a bad order, mobility, flag or
 * node, ENOMEM when the group is at its limit with no room. @flags, @node
 * and @out_node may be left out (a shorter @size).
 */
struct hpmm_test_defrag_alloc {
	__u64 size;
	__u64 group_id;
	__u64 order;
	__u64 mobility;
	__u64 out_pfn;
	__u32 flags;
	__s32 node;
	__u64 out_node;
};

#define HPMM_TEST_DEFRAG_NODE		1

/**
 * struct hpmm_test_defrag_free - HPMM_TEST_DEFRAG_FREE
 * @size: sizeof(struct hpmm_test_defrag_free)
 * @pfn: what HPMM_TEST_DEFRAG_ALLOC returned
 * @order: its order
 *
 * ENOENT when this file holds no allocation at @pfn, EINVAL for another
 * order.
 */
struct hpmm_test_defrag_free {
	__u64 size;
	__u64 pfn;
	__u64 order;
};

#define HPMM_TEST_DEFRAG_ALLOC \
	_IO(HPMM_TEST_IOCTL_TYPE, HPMM_TEST_DEFRAG_CMD_ALLOC)
#define HPMM_TEST_DEFRAG_FREE \
	_IO(HPMM_TEST_IOCTL_TYPE, HPMM_TEST_DEFRAG_CMD_FREE)

/* ---- VPRI ---------------------------------------------------------------- */

/**
 * struct hpmm_test_vpri_dma - HPMM_TEST_VPRI_DMA: a device access that
 *	skips VPRI's PA-BITMAP
 * @size: sizeof(struct hpmm_test_vpri_dma)
 * @domain_id: a VPRI domain of the calling process (HPMM_VPRI_REGISTER on
 *	/dev/hpmm)
 * @backend: HPMM_VPRI_BACKEND_CPU or HPMM_VPRI_BACKEND_EDU (hpmm-vpri.h)
 * @iova: offset in the domain's range
 * @len: bytes, 1..4095, within the range
 * @flags: HPMM_VPRI_REQ_WRITE (the device writes memory), or 0
 *
 * The access goes straight to the IOMMU, pinned or not: no fault, no pin,
 * no count. It shows that a page the policy unpinned is really unmapped:
 * the edu device's write to it is blocked by the IOMMU (a DMAR fault in the
 * kernel log) and the page is untouched, and the CPU backend, which
 * translates as the IOMMU does, refuses it with EFAULT. No page it uses is
 * unmapped or unpinned meanwhile: it runs under the domain's lock in the
 * pinned mode, and holds its pages in flight in the on-demand mode (whose
 * invalidations wait for them).
 *
 * Errors: ENOENT (no such domain of this process), EINVAL (length, flags,
 * backend), ERANGE (outside the domain), EFAULT (the CPU backend found a
 * page that does not translate), and the device's errors.
 */
struct hpmm_test_vpri_dma {
	__u64 size;
	__u64 domain_id;
	__u64 backend;
	__u64 iova;
	__u64 len;
	__u64 flags;
};

#define HPMM_TEST_VPRI_DMA \
	_IO(HPMM_TEST_IOCTL_TYPE, HPMM_TEST_CMD_VPRI_BASE + 0)

#endif /* _HPMM_TEST_UAPI_H */
