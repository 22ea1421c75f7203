/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm VPRI: the I/O page-fault pinning service.
 *
 * A process (the "VM") registers a range of its private anonymous memory;
 * that creates a VPRI domain: the second edu device gets an unmanaged IOMMU
 * domain of its own in which IOVA = offset in the range, as IOVA = guest
 * physical address for a VM. Nothing is mapped at registration. Device
 * accesses are then submitted in batches; an access to a page that is not
 * present is an I/O page fault: a worker on the submitting CPU brings the
 * page in (swapping it in if it was reclaimed), maps it and the access
 * proceeds. In the pinned mode the page is pinned while mapped and a
 * pin-set policy decides which pages stay; in the on-demand mode it stays
 * mapped, unpinned, until the kernel reclaims or moves it, and a protector
 * may pin some or tell the kernel's LRU about them. See
 * Documentation/vpri.rst.
 *
 * A domain is an object of the open file that registered it (its id is an
 * object id of include/uapi/hpmm.h): HPMM_IOCTL_DESTROY destroys it, and
 * closing the file destroys the domains it still owns. SUBMIT and STATS may
 * name it through any open /dev/hpmm file of the process that registered
 * it, so that several threads submit at once, each through its own file
 * (the commands of one file run one at a time).
 *
 * Conventions of include/uapi/hpmm.h: size-first structs, __u64 fields.
 */
#ifndef _UAPI_HPMM_VPRI_H
#define _UAPI_HPMM_VPRI_H

#include "hpmm.h"

/*
 * Policies (struct hpmm_vpri_register.policy). The pinned mode (a page is
 * mapped for the device exactly while it is pinned) takes NONE, ALL, LRU,
 * CLOCK, ADP, ARC and BPF: which pages stay pinned. The on-demand mode
 * (HPMM_VPRI_REGISTER_ON_DEMAND: a fault maps the page, unpinned, until the
 * kernel reclaims or moves it) takes RECLAIM, ADP, HINT, ADP_HINT: what
 * protects the pages the device uses from the kernel's reclaim.
 */
#define HPMM_VPRI_POLICY_NONE	0	/* unpin after every access */
#define HPMM_VPRI_POLICY_ALL	1	/* pin on first touch, keep */
#define HPMM_VPRI_POLICY_LRU	2	/* budget, least recently used out */
#define HPMM_VPRI_POLICY_CLOCK	3	/* budget, second chance (coIOMMU) */
#define HPMM_VPRI_POLICY_ADP	4	/* budget, Adaptive DMA Protector */
#define HPMM_VPRI_POLICY_ARC	5	/* budget, Adaptive Replacement Cache */
#define HPMM_VPRI_POLICY_RECLAIM 6	/* on-demand: the kernel decides alone */
#define HPMM_VPRI_POLICY_HINT	7	/* on-demand: tell the LRU, pin nothing */
#define HPMM_VPRI_POLICY_ADP_HINT 8	/* on-demand: adp's pins, hint for the rest */
/* budget, LRU order, a BPF program picks the victim (hpmm-vpri-bpf.h) */
#define HPMM_VPRI_POLICY_BPF	9
#define HPMM_VPRI_NR_POLICIES	10

/* struct hpmm_vpri_register.flags */
/* The on-demand mode; else the pinned one. */
#define HPMM_VPRI_REGISTER_ON_DEMAND	_BITULL(1)

/* The largest range: edu addresses 28 bits. */
#define HPMM_VPRI_MAX_LENGTH	_BITULL(28)
/* The most requests in one HPMM_VPRI_SUBMIT. */
#define HPMM_VPRI_MAX_BATCH	4096

/**
 * struct hpmm_vpri_register - HPMM_VPRI_REGISTER: create a domain
 * @size: sizeof(struct hpmm_vpri_register)
 * @flags: HPMM_VPRI_REGISTER_ON_DEMAND, or 0
 * @addr: start of the range, page aligned, private anonymous memory
 * @length: bytes, a multiple of the page size, at most HPMM_VPRI_MAX_LENGTH
 * @policy: HPMM_VPRI_POLICY_*, one of the mode's
 * @budget: most pages pinned at once, 2..length/page size, for lru, clock,
 *	adp, arc, bpf and adp-hint; ignored by none, all, reclaim and hint
 * @domain_id: out: the domain's object id, for the other commands,
 *	HPMM_IOCTL_DESTROY and debugfs vpri/<domain_id>/
 * @nr_pages: out: pages in the domain
 *
 * Errors: EINVAL (unaligned, empty, unknown policy or flag, a policy the
 * mode does not have, bad budget),
 * EFBIG (beyond the device's 28-bit DMA space), EFAULT (a hole in the
 * range), EOPNOTSUPP (part of the range is not private anonymous memory,
 * or HPMM_VPRI_POLICY_BPF on a kernel without BPF struct_ops for modules),
 * EEXIST (overlaps a live domain), EBUSY (the device serves another
 * domain), ENODEV (no second edu device), ENOSPC (the file owns too many
 * objects).
 *
 * Destroying the domain unpins everything, unmaps it, and gives the device
 * back its default domain.
 */
struct hpmm_vpri_register {
	__u64 size;
	__u64 flags;
	__u64 addr;
	__u64 length;
	__u64 policy;
	__u64 budget;
	__u64 domain_id;
	__u64 nr_pages;
};

/* struct hpmm_vpri_req.flags */
/* The device writes memory (DMA_FROM_DEVICE); else it reads it. */
#define HPMM_VPRI_REQ_WRITE		_BITULL(0)

/**
 * struct hpmm_vpri_req - one device access
 * @iova: offset in the registered range
 * @len: bytes, 1..4095 (edu's buffer), within the range
 * @flags: HPMM_VPRI_REQ_*
 */
struct hpmm_vpri_req {
	__u64 iova;
	__u64 len;
	__u64 flags;
};

/* struct hpmm_vpri_submit.backend */
#define HPMM_VPRI_BACKEND_CPU	0	/* CPU copy through the IOMMU domain */
#define HPMM_VPRI_BACKEND_EDU	1	/* real DMA by the edu device */

/**
 * struct hpmm_vpri_submit - HPMM_VPRI_SUBMIT: run a batch of accesses
 * @size: sizeof(struct hpmm_vpri_submit)
 * @domain_id: a domain of the calling process (any of its open files)
 * @backend: HPMM_VPRI_BACKEND_*
 * @reqs: user pointer to @nr_reqs struct hpmm_vpri_req
 * @nr_reqs: 1..HPMM_VPRI_MAX_BATCH
 * @nr_done: out: requests completed (the failing one's index on error)
 * @faults: out: I/O page faults taken by this batch
 * @hits: out: page accesses that found their page present
 *
 * Requests run in order, each after its faults are served. A fault pins
 * what the process maps at the IOVA's address at that moment, which must
 * still be private anonymous memory, mapped writable.
 * Errors: ERANGE (a request outside the domain), EINVAL (bad length or
 * flags), ENOENT (no such domain), ENOMEM (RLIMIT_MEMLOCK reached),
 * EFAULT (the page is no longer mapped, or no longer writable),
 * EOPNOTSUPP (the address maps something else than private anonymous
 * memory now: shared or file memory), ENOSPC (every pinned page is in use
 * by concurrent accesses), and the device's errors.
 *
 * Signals: a batch of edu requests may run for minutes (100 ms each). A
 * signal stops it before its next request, never in the middle of one:
 * EINTR, with @nr_done the requests that ran (and @faults, @hits theirs);
 * resubmit the rest from @nr_done. A signal before the first request
 * restarts the call under SA_RESTART (nothing ran). SIGKILL ends the
 * process after the request in progress.
 */
struct hpmm_vpri_submit {
	__u64 size;
	__u64 domain_id;
	__u64 backend;
	__u64 reqs;
	__u64 nr_reqs;
	__u64 nr_done;
	__u64 faults;
	__u64 hits;
};

/**
 * struct hpmm_vpri_stats - HPMM_VPRI_STATS: a domain's counters
 * @size: sizeof(struct hpmm_vpri_stats)
 * @domain_id: a domain of the calling process
 * @accesses: out: page accesses (hits + faults)
 * @hits: out: accesses that found their page present
 * @faults: out: I/O page faults
 * @pins: out: pages pinned
 * @unpins: out: pages unpinned
 * @pinned: out: pages pinned now
 * @peak_pinned: out: the most pages pinned at once
 * @budget: out: the pin budget
 * @target: out: the policy's current target (adp adapts it)
 * @locked_vm: out: pages this domain has charged to locked_vm
 * @swapins: out: faults whose pin had to read the page back from swap
 * @invalidations: out: pages let go of because the process's mapping of
 *	them changed (munmap, MADV_DONTNEED, mprotect, ...; and, in the
 *	on-demand mode, reclaim and migration)
 * @on_demand: out: 1 for the on-demand mode, 0 for the pinned one
 * @mapped: out: pages mapped for the device now
 * @revalidations: out: pinned pages an invalidation left where they were
 * @scans: out: the on-demand protector's scans of the accessed bits
 * @marks: out: pages "hint" reported to the kernel's LRU as used
 * @cpu_majflt: out: major faults of the registering process since it
 *	registered the domain: swap-ins of its CPU memory, not the device's
 *	(the device's pages are faulted in by VPRI's workers)
 *
 * Pending invalidations are finished (pages unpinned, locked_vm updated)
 * before the counters are read.
 */
struct hpmm_vpri_stats {
	__u64 size;
	__u64 domain_id;
	__u64 accesses;
	__u64 hits;
	__u64 faults;
	__u64 pins;
	__u64 unpins;
	__u64 pinned;
	__u64 peak_pinned;
	__u64 budget;
	__u64 target;
	__u64 locked_vm;
	__u64 swapins;
	__u64 invalidations;
	__u64 on_demand;
	__u64 mapped;
	__u64 revalidations;
	__u64 scans;
	__u64 marks;
	__u64 cpu_majflt;
};

#define HPMM_VPRI_REGISTER	_IO(HPMM_IOCTL_TYPE, HPMM_CMD_VPRI_BASE + 0)
/* HPMM_CMD_VPRI_BASE + 1 was HPMM_VPRI_UNREGISTER (ABI 1). */
#define HPMM_VPRI_SUBMIT	_IO(HPMM_IOCTL_TYPE, HPMM_CMD_VPRI_BASE + 2)
#define HPMM_VPRI_STATS		_IO(HPMM_IOCTL_TYPE, HPMM_CMD_VPRI_BASE + 3)

#endif /* _UAPI_HPMM_VPRI_H */
