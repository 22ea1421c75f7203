/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a DEFRAG placement program needs: the plan encoding and context
 * (include/uapi/hpmm-defrag-bpf.h) and struct hpmm_defrag_ops as the module
 * defines it (kernel/defrag/bpf.c). libbpf matches the struct by name and
 * its members by name against the module's BTF.
 */
#ifndef HPMM_DEFRAG_OPS_BPF_H
#define HPMM_DEFRAG_OPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include <uapi/hpmm-defrag-bpf.h>

/* Mobilities, as HPMM_DFG_STEP() takes them. */
enum {
	DFG_UNMOVABLE,
	DFG_MOVABLE,
	DFG_RECLAIMABLE,
};

/* Step @op (with HPMM_DFG_STEP_EMPTIEST) for mobility @mt, at place @i. */
static inline __u64 step(unsigned int op, unsigned int mt, unsigned int i)
{
	return HPMM_DFG_PLAN(HPMM_DFG_STEP(op, mt), i);
}

struct hpmm_defrag_ops {
	__u64 (*plan)(const struct hpmm_defrag_plan_ctx *ctx);
	char name[16];
};

#endif /* HPMM_DEFRAG_OPS_BPF_H */
