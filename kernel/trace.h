/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hpmm tracepoints: system "hpmm" in tracefs (events/hpmm/<event>/).
 *
 * Every event is defined here, created once in kernel/trace.c (the only file
 * with CREATE_TRACE_POINTS) and cheap while disabled: a tracepoint is a
 * static key, so a call site costs a patched-out jump until someone enables
 * the event through tracefs, perf or BPF.
 *
 * How a component adds an event:
 *  1. Add a TRACE_EVENT() (or a DEFINE_EVENT() of an existing class) in the
 *     component's section below. Name it with the component's prefix (hpa_,
 *     dfg_, magnet_, vpri_). Use fixed-size integer fields only (u64 for
 *     addresses, pfns, ids and times; u32 for small values and enums), u64
 *     fields first, so that the layout is the same on every architecture and
 *     BPF programs can read each field with one aligned load. No pointers
 *     (ids instead), no strings.
 *  2. Call trace_<event>(...) in the component: #include "../trace.h".
 *     Arguments that cost something to compute go under
 *     if (trace_<event>_enabled()).
 *  3. Mirror the fields in tools/hpmm-trace/hpmm_trace_events.h (the
 *     context struct hpmm-trace's BPF program reads); hpmm-trace compares it
 *     with events/hpmm/<event>/format at start and refuses to run when they
 *     differ. Add the event to Documentation/tracing.rst.
 *  4. selftests/hpmm/trace_test.c checks that every event of
 *     hpmm_trace_events.h exists in tracefs with the expected layout.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hpmm

#if !defined(_HPMM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HPMM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#ifndef _HPMM_TRACE_ENUMS
#define _HPMM_TRACE_ENUMS
/**
 * enum hpmm_trace_hpa_source - what served an HPA allocation that missed
 *	the alloc cache (hpa_alloc_slow)
 * @HPMM_TRACE_HPA_RING: a refill from the recycle ring
 * @HPMM_TRACE_HPA_BACKUP: a refill from the backup ring
 * @HPMM_TRACE_HPA_SCAN: the reclaim scan found pages back home
 * @HPMM_TRACE_HPA_INJECT: a new block straight into the alloc cache
 * @HPMM_TRACE_HPA_FALLBACK: a single page mapped on its own
 * @HPMM_TRACE_HPA_FAIL: nothing; the allocation failed
 */
enum hpmm_trace_hpa_source {
	HPMM_TRACE_HPA_RING,
	HPMM_TRACE_HPA_BACKUP,
	HPMM_TRACE_HPA_SCAN,
	HPMM_TRACE_HPA_INJECT,
	HPMM_TRACE_HPA_FALLBACK,
	HPMM_TRACE_HPA_FAIL,
};

/**
 * enum hpmm_trace_magnet_reason - why MAGNET gave reserved pages back
 *	(magnet_release)
 * @HPMM_TRACE_MAGNET_UNMAP: the reservation's range was unmapped
 * @HPMM_TRACE_MAGNET_PRESSURE: reclaimed under memory pressure
 * @HPMM_TRACE_MAGNET_EXIT: the process exited or the mapping was torn down
 */
enum hpmm_trace_magnet_reason {
	HPMM_TRACE_MAGNET_UNMAP,
	HPMM_TRACE_MAGNET_PRESSURE,
	HPMM_TRACE_MAGNET_EXIT,
};
#endif /* _HPMM_TRACE_ENUMS */

/* dev: enum hpmm_dev_backend and enum dma_data_direction values. */
#define hpmm_show_backend(b)						\
	__print_symbolic(b, { 0, "edu" }, { 1, "cpu" })
#define hpmm_show_dir(d)						\
	__print_symbolic(d, { 1, "to_device" }, { 2, "from_device" })

/**
 * trace_hpmm_dma - a device access completed (hpmm_dev_dma())
 * @dev: the device's index (probe order)
 * @backend: enum hpmm_dev_backend
 * @iova: device address of the first byte
 * @len: bytes moved
 * @dir: enum dma_data_direction (DMA_TO_DEVICE or DMA_FROM_DEVICE)
 * @ns: duration of the access
 */
TRACE_EVENT(hpmm_dma,
	    TP_PROTO(u32 dev, u32 backend, u64 iova, u32 len, u32 dir, u64 ns),
	    TP_ARGS(dev, backend, iova, len, dir, ns),
	    TP_STRUCT__entry(__field(u64, iova)
			     __field(u64, ns)
			     __field(u32, dev)
			     __field(u32, len)
			     __field(u32, backend)
			     __field(u32, dir)),
	    TP_fast_assign(__entry->iova = iova;
			   __entry->ns = ns;
			   __entry->dev = dev;
			   __entry->len = len;
			   __entry->backend = backend;
			   __entry->dir = dir;),
	    TP_printk("dev=%u backend=%s iova=0x%llx len=%u dir=%s ns=%llu",
		      __entry->dev, hpmm_show_backend(__entry->backend),
		      __entry->iova, __entry->len, hpmm_show_dir(__entry->dir),
		      __entry->ns)
);

/* ---- HPA (kernel/hpa/) ---- */

#define hpmm_show_hpa_source(s)						\
	__print_symbolic(s, { HPMM_TRACE_HPA_RING, "ring" },		\
			 { HPMM_TRACE_HPA_BACKUP, "backup" },		\
			 { HPMM_TRACE_HPA_SCAN, "scan" },		\
			 { HPMM_TRACE_HPA_INJECT, "inject" },		\
			 { HPMM_TRACE_HPA_FALLBACK, "fallback" },	\
			 { HPMM_TRACE_HPA_FAIL, "fail" })
/* enum hpa_mode values (kernel/hpa/config.h). */
#define hpmm_show_hpa_mode(m)						\
	__print_symbolic(m, { 0, "normal" }, { 1, "inject" })

/**
 * trace_hpa_alloc_slow - an allocation missed the alloc cache
 * @pool: the pool's id
 * @source: enum hpmm_trace_hpa_source, what served it
 * @inflight: pages handed out and not yet back, after this allocation
 */
TRACE_EVENT(hpa_alloc_slow,
	    TP_PROTO(u32 pool, u32 source, u32 inflight),
	    TP_ARGS(pool, source, inflight),
	    TP_STRUCT__entry(__field(u32, pool)
			     __field(u32, source)
			     __field(u32, inflight)),
	    TP_fast_assign(__entry->pool = pool;
			   __entry->source = source;
			   __entry->inflight = inflight;),
	    TP_printk("pool=%u source=%s inflight=%u", __entry->pool,
		      hpmm_show_hpa_source(__entry->source), __entry->inflight)
);

/**
 * trace_hpa_backup_refill - the alloc cache was refilled from the backup ring
 * @pool: the pool's id
 * @pages: pages moved into the cache
 */
TRACE_EVENT(hpa_backup_refill,
	    TP_PROTO(u32 pool, u32 pages),
	    TP_ARGS(pool, pages),
	    TP_STRUCT__entry(__field(u32, pool)
			     __field(u32, pages)),
	    TP_fast_assign(__entry->pool = pool;
			   __entry->pages = pages;),
	    TP_printk("pool=%u pages=%u", __entry->pool, __entry->pages)
);

/**
 * trace_hpa_mode_switch - a pool entered or left direct-inject mode
 * @pool: the pool's id
 * @from: enum hpa_mode before
 * @to: enum hpa_mode after
 */
TRACE_EVENT(hpa_mode_switch,
	    TP_PROTO(u32 pool, u32 from, u32 to),
	    TP_ARGS(pool, from, to),
	    TP_STRUCT__entry(__field(u32, pool)
			     __field(u32, from)
			     __field(u32, to)),
	    TP_fast_assign(__entry->pool = pool;
			   __entry->from = from;
			   __entry->to = to;),
	    TP_printk("pool=%u %s->%s", __entry->pool,
		      hpmm_show_hpa_mode(__entry->from),
		      hpmm_show_hpa_mode(__entry->to))
);

DECLARE_EVENT_CLASS(hpa_block,
		    TP_PROTO(u32 pool, u64 dma, u64 pfn, u32 order),
		    TP_ARGS(pool, dma, pfn, order),
		    TP_STRUCT__entry(__field(u64, dma)
				     __field(u64, pfn)
				     __field(u32, pool)
				     __field(u32, order)),
		    TP_fast_assign(__entry->dma = dma;
				   __entry->pfn = pfn;
				   __entry->pool = pool;
				   __entry->order = order;),
		    TP_printk("pool=%u dma=0x%llx pfn=0x%llx order=%u",
			      __entry->pool, __entry->dma, __entry->pfn,
			      __entry->order)
);

/**
 * trace_hpa_block_map - a block (or fallback page) was DMA-mapped
 * @pool: the pool's id
 * @dma: its IOVA
 * @pfn: its first page frame
 * @order: log2 of its pages (9 for a 2 MiB block, 0 for a fallback page)
 */
DEFINE_EVENT(hpa_block, hpa_block_map,
	     TP_PROTO(u32 pool, u64 dma, u64 pfn, u32 order),
	     TP_ARGS(pool, dma, pfn, order)
);

/**
 * trace_hpa_block_unmap - a block (or fallback page) was unmapped
 * @pool: the pool's id
 * @dma: its IOVA
 * @pfn: its first page frame
 * @order: log2 of its pages
 */
DEFINE_EVENT(hpa_block, hpa_block_unmap,
	     TP_PROTO(u32 pool, u64 dma, u64 pfn, u32 order),
	     TP_ARGS(pool, dma, pfn, order)
);

/**
 * trace_hpa_page_reclaimed - the reclaim scan found a leaked page back home
 * @pool: the pool's id
 * @pfn: the page
 */
TRACE_EVENT(hpa_page_reclaimed,
	    TP_PROTO(u32 pool, u64 pfn),
	    TP_ARGS(pool, pfn),
	    TP_STRUCT__entry(__field(u64, pfn)
			     __field(u32, pool)),
	    TP_fast_assign(__entry->pfn = pfn;
			   __entry->pool = pool;),
	    TP_printk("pool=%u pfn=0x%llx", __entry->pool, __entry->pfn)
);

/* ---- DEFRAG (kernel/defrag/) ---- */

/*
 * enum dfg_mt values (kernel/defrag/core.h), the kernel's migratetypes;
 * DFG_NR_MT for a block claimed for the group's reserve.
 */
#define hpmm_show_dfg_type(t)						\
	__print_symbolic(t, { 0, "unmovable" }, { 1, "movable" },	\
			 { 2, "reclaimable" }, { 3, "reserve" })

DECLARE_EVENT_CLASS(dfg_block,
		    TP_PROTO(u32 group, u64 pfn, u32 type),
		    TP_ARGS(group, pfn, type),
		    TP_STRUCT__entry(__field(u64, pfn)
				     __field(u32, group)
				     __field(u32, type)),
		    TP_fast_assign(__entry->pfn = pfn;
				   __entry->group = group;
				   __entry->type = type;),
		    TP_printk("group=%u pfn=0x%llx type=%s", __entry->group,
			      __entry->pfn, hpmm_show_dfg_type(__entry->type))
);

/**
 * trace_dfg_block_claim - a group took a 2 MiB block
 * @group: the allocation group's id
 * @pfn: the block's first page frame
 * @type: enum dfg_mt it was claimed for (DFG_NR_MT: for the reserve)
 */
DEFINE_EVENT(dfg_block, dfg_block_claim,
	     TP_PROTO(u32 group, u64 pfn, u32 type),
	     TP_ARGS(group, pfn, type)
);

/**
 * trace_dfg_block_release - a group gave a free block back
 * @group: the allocation group's id
 * @pfn: the block's first page frame
 * @type: enum dfg_mt it last had
 */
DEFINE_EVENT(dfg_block, dfg_block_release,
	     TP_PROTO(u32 group, u64 pfn, u32 type),
	     TP_ARGS(group, pfn, type)
);

/**
 * trace_dfg_block_type - a block changed mobility type
 * @group: the allocation group's id
 * @pfn: the block's first page frame
 * @old_type: enum dfg_mt before
 * @new_type: enum dfg_mt after
 */
TRACE_EVENT(dfg_block_type,
	    TP_PROTO(u32 group, u64 pfn, u32 old_type, u32 new_type),
	    TP_ARGS(group, pfn, old_type, new_type),
	    TP_STRUCT__entry(__field(u64, pfn)
			     __field(u32, group)
			     __field(u32, old_type)
			     __field(u32, new_type)),
	    TP_fast_assign(__entry->pfn = pfn;
			   __entry->group = group;
			   __entry->old_type = old_type;
			   __entry->new_type = new_type;),
	    TP_printk("group=%u pfn=0x%llx %s->%s",
		      __entry->group, __entry->pfn,
		      hpmm_show_dfg_type(__entry->old_type),
		      hpmm_show_dfg_type(__entry->new_type))
);

/**
 * trace_dfg_compact_start - a compaction run began
 * @group: the allocation group's id
 * @free_pages: free pages in its split blocks
 * @blocks: blocks it holds
 * @why: enum dfg_compact_why, what started the run
 */
TRACE_EVENT(dfg_compact_start,
	    TP_PROTO(u32 group, u64 free_pages, u32 blocks, u32 why),
	    TP_ARGS(group, free_pages, blocks, why),
	    TP_STRUCT__entry(__field(u64, free_pages)
			     __field(u32, group)
			     __field(u32, blocks)
			     __field(u32, why)),
	    TP_fast_assign(__entry->free_pages = free_pages;
			   __entry->group = group;
			   __entry->blocks = blocks;
			   __entry->why = why;),
	    TP_printk("group=%u free_pages=%llu blocks=%u why=%u",
		      __entry->group, __entry->free_pages, __entry->blocks,
		      __entry->why)
);

/**
 * trace_dfg_compact_end - a compaction run ended
 * @group: the allocation group's id
 * @moved: pages moved
 * @recovered: blocks emptied by the run
 * @ns: its duration
 */
TRACE_EVENT(dfg_compact_end,
	    TP_PROTO(u32 group, u64 moved, u64 recovered, u64 ns),
	    TP_ARGS(group, moved, recovered, ns),
	    TP_STRUCT__entry(__field(u64, moved)
			     __field(u64, recovered)
			     __field(u64, ns)
			     __field(u32, group)),
	    TP_fast_assign(__entry->moved = moved;
			   __entry->recovered = recovered;
			   __entry->ns = ns;
			   __entry->group = group;),
	    TP_printk("group=%u moved=%llu recovered=%llu ns=%llu",
		      __entry->group, __entry->moved, __entry->recovered,
		      __entry->ns)
);

/**
 * trace_dfg_page_move - compaction moved a page
 * @group: the allocation group's id
 * @old_pfn: where it was
 * @new_pfn: where it is now
 */
TRACE_EVENT(dfg_page_move,
	    TP_PROTO(u32 group, u64 old_pfn, u64 new_pfn),
	    TP_ARGS(group, old_pfn, new_pfn),
	    TP_STRUCT__entry(__field(u64, old_pfn)
			     __field(u64, new_pfn)
			     __field(u32, group)),
	    TP_fast_assign(__entry->old_pfn = old_pfn;
			   __entry->new_pfn = new_pfn;
			   __entry->group = group;),
	    TP_printk("group=%u 0x%llx->0x%llx", __entry->group,
		      __entry->old_pfn, __entry->new_pfn)
);

/* ---- MAGNET (kernel/defrag/placement/magnet.c) ---- */

#define hpmm_show_magnet_reason(r)					\
	__print_symbolic(r, { HPMM_TRACE_MAGNET_UNMAP, "unmap" },	\
			 { HPMM_TRACE_MAGNET_PRESSURE, "pressure" },	\
			 { HPMM_TRACE_MAGNET_EXIT, "exit" })

DECLARE_EVENT_CLASS(magnet_page,
		    TP_PROTO(u64 mm, u64 vaddr, u64 pfn),
		    TP_ARGS(mm, vaddr, pfn),
		    TP_STRUCT__entry(__field(u64, mm)
				     __field(u64, vaddr)
				     __field(u64, pfn)),
		    TP_fast_assign(__entry->mm = mm;
				   __entry->vaddr = vaddr;
				   __entry->pfn = pfn;),
		    TP_printk("mm=%llu vaddr=0x%llx pfn=0x%llx", __entry->mm,
			      __entry->vaddr, __entry->pfn)
);

/**
 * trace_magnet_reserve - a fault reserved an aligned run of pages
 * @mm: the mm's id (not a pointer)
 * @vaddr: the first virtual address the run covers
 * @pfn: the run's first page frame
 */
DEFINE_EVENT(magnet_page, magnet_reserve,
	     TP_PROTO(u64 mm, u64 vaddr, u64 pfn),
	     TP_ARGS(mm, vaddr, pfn)
);

/**
 * trace_magnet_use - a fault was served from an existing reservation
 * @mm: the mm's id
 * @vaddr: the faulting address
 * @pfn: the reserved page it got
 */
DEFINE_EVENT(magnet_page, magnet_use,
	     TP_PROTO(u64 mm, u64 vaddr, u64 pfn),
	     TP_ARGS(mm, vaddr, pfn)
);

/**
 * trace_magnet_release - reserved, unused pages went back
 * @pages: how many
 * @reason: enum hpmm_trace_magnet_reason
 */
TRACE_EVENT(magnet_release,
	    TP_PROTO(u32 pages, u32 reason),
	    TP_ARGS(pages, reason),
	    TP_STRUCT__entry(__field(u32, pages)
			     __field(u32, reason)),
	    TP_fast_assign(__entry->pages = pages;
			   __entry->reason = reason;),
	    TP_printk("pages=%u reason=%s", __entry->pages,
		      hpmm_show_magnet_reason(__entry->reason))
);

/* ---- VPRI (kernel/vpri/) ---- */

#include <uapi/hpmm-vpri.h>

/* The policies by their uapi values (the pin set's enum vpri_policy_id). */
#define hpmm_show_vpri_policy(p)					\
	__print_symbolic(p, { HPMM_VPRI_POLICY_NONE, "none" },		\
			 { HPMM_VPRI_POLICY_ALL, "all" },		\
			 { HPMM_VPRI_POLICY_LRU, "lru" },		\
			 { HPMM_VPRI_POLICY_CLOCK, "clock" },		\
			 { HPMM_VPRI_POLICY_ADP, "adp" },		\
			 { HPMM_VPRI_POLICY_ARC, "arc" },		\
			 { HPMM_VPRI_POLICY_RECLAIM, "reclaim" },	\
			 { HPMM_VPRI_POLICY_HINT, "hint" },		\
			 { HPMM_VPRI_POLICY_ADP_HINT, "adp-hint" })

/**
 * trace_vpri_fault - a device access found a page not present and queued
 *	an I/O page fault
 * @domain: the VPRI domain's id
 * @iova: the faulting IOVA (page aligned)
 * @cpu: the CPU whose worker will serve it
 */
TRACE_EVENT(vpri_fault,
	    TP_PROTO(u64 domain, u64 iova, u32 cpu),
	    TP_ARGS(domain, iova, cpu),
	    TP_STRUCT__entry(__field(u64, domain)
			     __field(u64, iova)
			     __field(u32, cpu)),
	    TP_fast_assign(__entry->domain = domain;
			   __entry->iova = iova;
			   __entry->cpu = cpu;),
	    TP_printk("domain=%llu iova=0x%llx cpu=%u", __entry->domain,
		      __entry->iova, __entry->cpu)
);

/**
 * trace_vpri_fault_done - an I/O page fault was resolved
 * @domain: the VPRI domain's id
 * @iova: the faulting IOVA
 * @latency_ns: from queueing to the waiter's wake-up
 * @swapin: 1 when pinning read the page back from swap
 */
TRACE_EVENT(vpri_fault_done,
	    TP_PROTO(u64 domain, u64 iova, u64 latency_ns, u32 swapin),
	    TP_ARGS(domain, iova, latency_ns, swapin),
	    TP_STRUCT__entry(__field(u64, domain)
			     __field(u64, iova)
			     __field(u64, latency_ns)
			     __field(u32, swapin)),
	    TP_fast_assign(__entry->domain = domain;
			   __entry->iova = iova;
			   __entry->latency_ns = latency_ns;
			   __entry->swapin = swapin;),
	    TP_printk("domain=%llu iova=0x%llx latency_ns=%llu swapin=%u",
		      __entry->domain, __entry->iova, __entry->latency_ns,
		      __entry->swapin)
);

DECLARE_EVENT_CLASS(vpri_page,
		    TP_PROTO(u64 domain, u64 iova, u64 pfn),
		    TP_ARGS(domain, iova, pfn),
		    TP_STRUCT__entry(__field(u64, domain)
				     __field(u64, iova)
				     __field(u64, pfn)),
		    TP_fast_assign(__entry->domain = domain;
				   __entry->iova = iova;
				   __entry->pfn = pfn;),
		    TP_printk("domain=%llu iova=0x%llx pfn=0x%llx",
			      __entry->domain, __entry->iova, __entry->pfn)
);

/**
 * trace_vpri_pin - a page was pinned and mapped in the IOMMU domain
 * @domain: the VPRI domain's id
 * @iova: its IOVA
 * @pfn: the pinned page
 */
DEFINE_EVENT(vpri_page, vpri_pin,
	     TP_PROTO(u64 domain, u64 iova, u64 pfn),
	     TP_ARGS(domain, iova, pfn)
);

/**
 * trace_vpri_unpin - a page was unmapped from the IOMMU domain and unpinned
 * @domain: the VPRI domain's id
 * @iova: its IOVA
 * @pfn: the page
 */
DEFINE_EVENT(vpri_page, vpri_unpin,
	     TP_PROTO(u64 domain, u64 iova, u64 pfn),
	     TP_ARGS(domain, iova, pfn)
);

/**
 * trace_vpri_evict - the pin-set policy chose a page to unpin
 * @domain: the VPRI domain's id
 * @iova: the victim's IOVA
 * @policy: HPMM_VPRI_POLICY_* of the domain
 */
TRACE_EVENT(vpri_evict,
	    TP_PROTO(u64 domain, u64 iova, u32 policy),
	    TP_ARGS(domain, iova, policy),
	    TP_STRUCT__entry(__field(u64, domain)
			     __field(u64, iova)
			     __field(u32, policy)),
	    TP_fast_assign(__entry->domain = domain;
			   __entry->iova = iova;
			   __entry->policy = policy;),
	    TP_printk("domain=%llu iova=0x%llx policy=%s", __entry->domain,
		      __entry->iova, hpmm_show_vpri_policy(__entry->policy))
);

/**
 * trace_vpri_map - on-demand mode: a page was mapped in the IOMMU domain,
 *	unpinned
 * @domain: the VPRI domain's id
 * @iova: its IOVA
 * @pfn: the page
 */
DEFINE_EVENT(vpri_page, vpri_map,
	     TP_PROTO(u64 domain, u64 iova, u64 pfn),
	     TP_ARGS(domain, iova, pfn)
);

/**
 * trace_vpri_unmap - on-demand mode: a page was unmapped from the IOMMU
 *	domain (IOTLB flushed) before the kernel could free or move it
 * @domain: the VPRI domain's id
 * @iova: its IOVA
 * @pfn: the page
 */
DEFINE_EVENT(vpri_page, vpri_unmap,
	     TP_PROTO(u64 domain, u64 iova, u64 pfn),
	     TP_ARGS(domain, iova, pfn)
);

/**
 * trace_vpri_invalidate - on-demand mode: the MMU notifier invalidated part
 *	of a domain
 * @domain: the VPRI domain's id
 * @start: first IOVA of the range
 * @end: end IOVA of the range (exclusive)
 * @event: enum mmu_notifier_event
 * @unmapped: pages unmapped
 */
TRACE_EVENT(vpri_invalidate,
	    TP_PROTO(u64 domain, u64 start, u64 end, u32 event, u64 unmapped),
	    TP_ARGS(domain, start, end, event, unmapped),
	    TP_STRUCT__entry(__field(u64, domain)
			     __field(u64, start)
			     __field(u64, end)
			     __field(u32, event)
			     __field(u64, unmapped)),
	    TP_fast_assign(__entry->domain = domain;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;
			   __entry->unmapped = unmapped;),
	    TP_printk("domain=%llu iova=0x%llx-0x%llx event=%u unmapped=%llu",
		      __entry->domain, __entry->start, __entry->end,
		      __entry->event, __entry->unmapped)
);

/**
 * trace_vpri_scan - on-demand mode: the protector scanned the accessed bits
 * @domain: the VPRI domain's id
 * @pinned: pages pinned when the scan began
 * @target: the pages the protector wants pinned after it
 */
TRACE_EVENT(vpri_scan,
	    TP_PROTO(u64 domain, u32 pinned, u32 target),
	    TP_ARGS(domain, pinned, target),
	    TP_STRUCT__entry(__field(u64, domain)
			     __field(u32, pinned)
			     __field(u32, target)),
	    TP_fast_assign(__entry->domain = domain;
			   __entry->pinned = pinned;
			   __entry->target = target;),
	    TP_printk("domain=%llu pinned=%u target=%u", __entry->domain,
		      __entry->pinned, __entry->target)
);

#endif /* _HPMM_TRACE_H */

/*
 * define_trace.h includes this file again as TRACE_INCLUDE_PATH/
 * TRACE_INCLUDE_FILE.h: an out-of-tree module cannot name a path under the
 * kernel tree, so the path is "." and kernel/ is on the include path of
 * trace.c (ccflags-y -I$(src)/kernel, and CFLAGS_ in
 * kernel/tracing/Makefile.inc).
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

/* This part must be outside the include guard. */
#include <trace/define_trace.h>
