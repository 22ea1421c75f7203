// SPDX-License-Identifier: GPL-2.0
/*
 * A DEFRAG policy the C code does not have: strict mobility isolation.
 * Like grouping, but an allocation never lands in a block of another
 * mobility: at the group's limit a movable allocation asks for compaction
 * instead of filling holes in immobile blocks, and an immobile one fails
 * instead of falling back to the other immobile type or stealing a movable
 * block. A tenant that prefers ENOMEM to pollution runs it.
 */
#include "defrag_ops.bpf.h"

/* Plans returned: read by selftests/hpmm/defrag_bpf_test.c. */
__u64 plans;

SEC("struct_ops/plan")
__u64 BPF_PROG(strict_plan, const struct hpmm_defrag_plan_ctx *pc)
{
	unsigned int mt = pc->mt;

	__sync_fetch_and_add(&plans, 1);
	if (mt == DFG_MOVABLE)
		return step(HPMM_DFG_STEP_TAKE, DFG_MOVABLE, 0) |
		       step(HPMM_DFG_STEP_FRESH, DFG_MOVABLE, 1) |
		       step(HPMM_DFG_STEP_GROW, 0, 2) |
		       step(HPMM_DFG_STEP_COMPACT, 0, 3);
	return step(HPMM_DFG_STEP_PACK, mt, 0) |
	       step(HPMM_DFG_STEP_FRESH, mt, 1) |
	       step(HPMM_DFG_STEP_GROW, 0, 2);
}

SEC(".struct_ops.link")
struct hpmm_defrag_ops strict = {
	.plan = (void *)strict_plan,
	.name = "strict",
};

char LICENSE[] SEC("license") = "GPL";
