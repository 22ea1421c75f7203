/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hpmm tracepoints as hpmm-trace reads them: one context struct per
 * event, written by hand to match events/hpmm/<event>/format in tracefs
 * (kernel/trace.h), because distribution kernels give modules no BTF that
 * could describe them.
 *
 * The list below is the only place an event's layout is written down on this
 * side. It expands into
 *   - struct <event>_ctx, what a SEC("tp/hpmm/<event>") program receives
 *     (hpmm_trace.bpf.c) and what a ring-buffer record carries (union
 *     hpmm_trace_data);
 *   - enum hpmm_trace_event_id;
 *   - the field table hpmm-trace compares with the format files at start
 *     (trace_format.cpp): every field's name, offset, size and signedness must
 *     match, common fields included, or hpmm-trace refuses to run.
 *
 * To add an event: add EVENT(name, FIELD(type, field)...) with the fields in
 * TP_STRUCT__entry order and types of the same size and signedness (__u64 for
 * u64, __u32 for u32, __s32 for int...). Plain C: built by clang for BPF, by
 * g++ for the tool and its tests.
 */
#ifndef HPMM_TRACE_EVENTS_H
#define HPMM_TRACE_EVENTS_H

#include <linux/types.h>

/* struct trace_entry: the fields every event starts with. */
#define HPMM_TRACE_COMMON(FIELD)					\
	FIELD(__u16, common_type)					\
	FIELD(__u8, common_flags)					\
	FIELD(__u8, common_preempt_count)				\
	FIELD(__s32, common_pid)

#define HPMM_TRACE_EVENTS(EVENT, FIELD)					\
	EVENT(hpmm_dma,							\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, ns)						\
	      FIELD(__u32, dev)						\
	      FIELD(__u32, len)						\
	      FIELD(__u32, backend)					\
	      FIELD(__u32, dir))					\
	EVENT(hpa_alloc_slow,						\
	      FIELD(__u32, pool)					\
	      FIELD(__u32, source)					\
	      FIELD(__u32, inflight))					\
	EVENT(hpa_backup_refill,					\
	      FIELD(__u32, pool)					\
	      FIELD(__u32, pages))					\
	EVENT(hpa_mode_switch,						\
	      FIELD(__u32, pool)					\
	      FIELD(__u32, from)					\
	      FIELD(__u32, to))						\
	EVENT(hpa_block_map,						\
	      FIELD(__u64, dma)						\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, pool)					\
	      FIELD(__u32, order))					\
	EVENT(hpa_block_unmap,						\
	      FIELD(__u64, dma)						\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, pool)					\
	      FIELD(__u32, order))					\
	EVENT(hpa_page_reclaimed,					\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, pool))					\
	EVENT(dfg_block_claim,						\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, group)					\
	      FIELD(__u32, type))					\
	EVENT(dfg_block_release,					\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, group)					\
	      FIELD(__u32, type))					\
	EVENT(dfg_block_type,						\
	      FIELD(__u64, pfn)						\
	      FIELD(__u32, group)					\
	      FIELD(__u32, old_type)					\
	      FIELD(__u32, new_type))					\
	EVENT(dfg_compact_start,					\
	      FIELD(__u64, free_pages)					\
	      FIELD(__u32, group)					\
	      FIELD(__u32, blocks)					\
	      FIELD(__u32, why))					\
	EVENT(dfg_compact_end,						\
	      FIELD(__u64, moved)					\
	      FIELD(__u64, recovered)					\
	      FIELD(__u64, ns)						\
	      FIELD(__u32, group))					\
	EVENT(dfg_page_move,						\
	      FIELD(__u64, old_pfn)					\
	      FIELD(__u64, new_pfn)					\
	      FIELD(__u32, group))					\
	EVENT(magnet_reserve,						\
	      FIELD(__u64, mm)						\
	      FIELD(__u64, vaddr)					\
	      FIELD(__u64, pfn))					\
	EVENT(magnet_use,						\
	      FIELD(__u64, mm)						\
	      FIELD(__u64, vaddr)					\
	      FIELD(__u64, pfn))					\
	EVENT(magnet_release,						\
	      FIELD(__u32, pages)					\
	      FIELD(__u32, reason))					\
	EVENT(vpri_fault,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u32, cpu))					\
	EVENT(vpri_fault_done,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, latency_ns)					\
	      FIELD(__u32, swapin))					\
	EVENT(vpri_pin,							\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, pfn))					\
	EVENT(vpri_unpin,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, pfn))					\
	EVENT(vpri_evict,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u32, policy))					\
	EVENT(vpri_map,							\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, pfn))					\
	EVENT(vpri_unmap,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, iova)					\
	      FIELD(__u64, pfn))					\
	EVENT(vpri_invalidate,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u64, start)					\
	      FIELD(__u64, end)						\
	      FIELD(__u32, event)					\
	      FIELD(__u64, unmapped))					\
	EVENT(vpri_scan,						\
	      FIELD(__u64, domain)					\
	      FIELD(__u32, pinned)					\
	      FIELD(__u32, target))

#define HPMM_TRACE_CTX_FIELD(type, name) type name;
#define HPMM_TRACE_CTX_STRUCT(event, fields)				\
	struct event##_ctx {						\
		HPMM_TRACE_COMMON(HPMM_TRACE_CTX_FIELD)			\
		fields							\
	};
HPMM_TRACE_EVENTS(HPMM_TRACE_CTX_STRUCT, HPMM_TRACE_CTX_FIELD)

#define HPMM_TRACE_ID(event, fields) HPMM_TRACE_ID_##event,
enum hpmm_trace_event_id {
	HPMM_TRACE_EVENTS(HPMM_TRACE_ID, HPMM_TRACE_CTX_FIELD)
	HPMM_TRACE_NR_EVENTS
};

/* A ring-buffer record carries a copy of the event's context. */
#define HPMM_TRACE_UNION_MEMBER(event, fields) struct event##_ctx event;
union hpmm_trace_data {
	HPMM_TRACE_EVENTS(HPMM_TRACE_UNION_MEMBER, HPMM_TRACE_CTX_FIELD)
};

/**
 * struct hpmm_trace_rec - one event, as the BPF program submits it
 * @ts_ns: bpf_ktime_get_ns() when it fired (CLOCK_MONOTONIC)
 * @event: enum hpmm_trace_event_id, which member of @data is valid
 * @cpu: the CPU it fired on
 * @data: its fields (common fields zero)
 */
struct hpmm_trace_rec {
	__u64 ts_ns;
	__u32 event;
	__u32 cpu;
	union hpmm_trace_data data;
};

#endif /* HPMM_TRACE_EVENTS_H */
