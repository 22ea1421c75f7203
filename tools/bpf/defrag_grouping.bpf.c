// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG's grouping policy as a BPF program: the plan of each allocation,
 * step by step, as kernel/defrag/core.c's dfg_alloc_grouping() places it.
 * Attached (tools/bpf/hpmm-bpf attach), it places the allocations of the
 * groups whose policy is "bpf" exactly as the C policy would: the same
 * figures on the same trace (scripts/bench/defrag --bpf).
 */
#include "defrag_ops.bpf.h"

/* Plans returned: read by selftests/hpmm/defrag_bpf_test.c. */
__u64 plans;

SEC("struct_ops/plan")
__u64 BPF_PROG(grouping_plan, const struct hpmm_defrag_plan_ctx *pc)
{
	unsigned int mt = pc->mt, other;

	__sync_fetch_and_add(&plans, 1);
	if (mt == DFG_MOVABLE)
		/* Fullest movable block, a free one, a new one, holes. */
		return step(HPMM_DFG_STEP_TAKE, DFG_MOVABLE, 0) |
		       step(HPMM_DFG_STEP_FRESH, DFG_MOVABLE, 1) |
		       step(HPMM_DFG_STEP_GROW, 0, 2) |
		       step(HPMM_DFG_STEP_TAKE | HPMM_DFG_STEP_EMPTIEST,
			    DFG_UNMOVABLE, 3) |
		       step(HPMM_DFG_STEP_TAKE | HPMM_DFG_STEP_EMPTIEST,
			    DFG_RECLAIMABLE, 4) |
		       step(HPMM_DFG_STEP_COMPACT, 0, 5);
	/* Immobile: packed, evicting movable pages, before any new block. */
	other = mt == DFG_UNMOVABLE ? DFG_RECLAIMABLE : DFG_UNMOVABLE;
	return step(HPMM_DFG_STEP_PACK, mt, 0) |
	       step(HPMM_DFG_STEP_FRESH, mt, 1) |
	       step(HPMM_DFG_STEP_GROW, 0, 2) |
	       step(HPMM_DFG_STEP_TAKE, other, 3) |
	       step(HPMM_DFG_STEP_STEAL, 0, 4);
}

SEC(".struct_ops.link")
struct hpmm_defrag_ops grouping = {
	.plan = (void *)grouping_plan,
	.name = "grouping",
};

char LICENSE[] SEC("license") = "GPL";
