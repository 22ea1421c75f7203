// SPDX-License-Identifier: GPL-2.0
/*
 * A VPRI victim policy the C code does not have: among the oldest pinned
 * pages, unpin the one the device reused least since it was pinned (ties:
 * the oldest). A buffer a ring reuses gathers hits and survives a burst of
 * pages that are touched once (a block stream's scan), which "lru" lets
 * push it out; with every candidate at 0 hits it is "lru".
 */
#include "vpri_ops.bpf.h"

/* Choices made: read by selftests/hpmm/vpri_bpf_test.c. */
__u64 choices;

SEC("struct_ops/victim")
__u32 BPF_PROG(hits_victim, const struct hpmm_vpri_victim_ctx *vc)
{
	__u32 nr = vc->nr, best = 0, best_hits = ~0U, i;

	__sync_fetch_and_add(&choices, 1);
	for (i = 0; i < HPMM_VPRI_VICTIM_CANDIDATES && i < nr; i++) {
		__u32 hits = vc->cand[i].hits;

		if (hits < best_hits) {
			best_hits = hits;
			best = i;
		}
	}
	return best;
}

SEC(".struct_ops.link")
struct hpmm_vpri_ops hits = {
	.victim = (void *)hits_victim,
	.name = "hits",
};

char LICENSE[] SEC("license") = "GPL";
