/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VPRI victim program needs: the candidates
 * (include/uapi/hpmm-vpri-bpf.h) and struct hpmm_vpri_ops as the module
 * defines it (kernel/vpri/bpf.c). libbpf matches the struct by name and
 * its members by name against the module's BTF.
 */
#ifndef HPMM_VPRI_OPS_BPF_H
#define HPMM_VPRI_OPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include <uapi/hpmm-vpri-bpf.h>

struct hpmm_vpri_ops {
	__u32 (*victim)(const struct hpmm_vpri_victim_ctx *ctx);
	char name[16];
};

#endif /* HPMM_VPRI_OPS_BPF_H */
