// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm-trace's BPF side: one tracepoint program per hpmm event, each copying
 * the event's fields into a ring-buffer record. All aggregation happens in
 * user space (trace_report.cpp), so this stays a plain copy.
 *
 * Built with clang -target bpf; the skeleton comes from bpftool gen skeleton.
 * The context structs are hand-written (hpmm_trace_events.h) because the
 * module has no BTF on distribution kernels; hpmm-trace checks them against
 * tracefs before it loads this.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "hpmm_trace_events.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Records lost because the ring buffer was full. */
__u64 dropped;

/*
 * Tracepoint context reads must be aligned loads at constant offsets, so the
 * fields are copied one by one (FIELD below), never with memcpy.
 */
#define COPY_FIELD(type, name) dst->name = ctx->name;
#define HANDLER(ev, fields)						\
SEC("tp/hpmm/" #ev)							\
int handle_##ev(struct ev##_ctx *ctx)				\
{									\
	struct hpmm_trace_rec *rec;					\
	struct ev##_ctx *dst;					\
									\
	rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);		\
	if (!rec) {							\
		__sync_fetch_and_add(&dropped, 1);			\
		return 0;						\
	}								\
	__builtin_memset(rec, 0, sizeof(*rec));				\
	rec->ts_ns = bpf_ktime_get_ns();				\
	rec->event = HPMM_TRACE_ID_##ev;				\
	rec->cpu = bpf_get_smp_processor_id();				\
	dst = &rec->data.ev;						\
	fields								\
	bpf_ringbuf_submit(rec, 0);					\
	return 0;							\
}

HPMM_TRACE_EVENTS(HANDLER, COPY_FIELD)
