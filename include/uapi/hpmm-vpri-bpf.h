/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hpmm VPRI: what a BPF program sees when it picks the page to unpin.
 *
 * A domain registered with HPMM_VPRI_POLICY_BPF (the pinned mode, with a
 * budget) keeps its pinned pages in least-recently-used order, as "lru"
 * does. When a fault needs room, the module gathers the oldest pinned
 * pages, up to HPMM_VPRI_VICTIM_CANDIDATES of them, oldest first, and
 * asks the "victim" operation of struct hpmm_vpri_ops, a BPF struct_ops
 * type the module registers on kernels that let a module do so (6.9 and
 * later: debugfs hpmm/vpri/bpf says "supported: 1"), which one to unpin.
 * The answer is an index into the candidates; anything else, no program
 * attached, or a choice an access is using at that moment unpins the
 * oldest page no access is using (so the policy is "lru" until a program
 * says otherwise). The module still decides when a page must go, how
 * many, and that a page an access is using never goes.
 */
#ifndef _UAPI_HPMM_VPRI_BPF_H
#define _UAPI_HPMM_VPRI_BPF_H

#include <linux/types.h>

/* The most candidates one choice sees. */
#define HPMM_VPRI_VICTIM_CANDIDATES	8

/**
 * struct hpmm_vpri_victim_cand - one pinned page a program may unpin
 * @page: its index in the domain (IOVA / 4096)
 * @hits: device accesses that found it present since it was last pinned
 *	(saturates at 65535)
 * @idle: accesses to the domain since its own last access
 * @accessed: 1 when its PA-BITMAP accessed bit is set (a device access
 *	since the bit was last cleared)
 * @reserved: 0
 */
struct hpmm_vpri_victim_cand {
	__u32 page;
	__u32 hits;
	__u64 idle;
	__u32 accessed;
	__u32 reserved;
};

/**
 * struct hpmm_vpri_victim_ctx - the choice the module asks for
 * @domain_id: the domain's object id (debugfs vpri/<domain_id>/)
 * @fault_page: the page that faulted, or 0xffffffff when the module trims
 *	pins above the target
 * @nr_pinned: pages pinned now
 * @budget: the domain's pin budget
 * @clock: accesses to the domain so far
 * @nr: candidates in @cand, 1..HPMM_VPRI_VICTIM_CANDIDATES
 * @reserved: 0
 * @cand: the candidates, least recently used first
 */
struct hpmm_vpri_victim_ctx {
	__u64 domain_id;
	__u32 fault_page;
	__u32 nr_pinned;
	__u32 budget;
	__u32 nr;
	__u64 clock;
	__u64 reserved;
	struct hpmm_vpri_victim_cand cand[HPMM_VPRI_VICTIM_CANDIDATES];
};

#endif /* _UAPI_HPMM_VPRI_BPF_H */
