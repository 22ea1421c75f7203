// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's "lru" as a BPF program: always the oldest candidate. Attached
 * (tools/bpf/hpmm-bpf attach), a domain whose policy is "bpf" faults
 * exactly as an "lru" domain on the same accesses (scripts/bench/vpri-bpf).
 */
#include "vpri_ops.bpf.h"

/* Choices made: read by selftests/hpmm/vpri_bpf_test.c. */
__u64 choices;

SEC("struct_ops/victim")
__u32 BPF_PROG(lru_victim, const struct hpmm_vpri_victim_ctx *vc)
{
	__sync_fetch_and_add(&choices, 1);
	return 0;
}

SEC(".struct_ops.link")
struct hpmm_vpri_ops lru = {
	.victim = (void *)lru_victim,
	.name = "lru",
};

char LICENSE[] SEC("license") = "GPL";
