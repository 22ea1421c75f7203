/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hpmm's BPF struct_ops types share (DEFRAG's hpmm_defrag_ops,
 * kernel/defrag/bpf.c; VPRI's hpmm_vpri_ops, kernel/vpri/bpf.c): one
 * attached program at a time in an RCU-protected slot, atomic replace,
 * a detach that waits until no caller is in the program, a checked name,
 * the verifier's view of the context, and the debugfs lines. Only where
 * the kernel lets a module define struct_ops (compat/bpf.h).
 */
#ifndef _HPMM_BPF_SLOT_H
#define _HPMM_BPF_SLOT_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "compat/bpf.h"

/**
 * struct hpmm_bpf_slot - the attached program of one struct_ops type
 * @ops: the attached struct_ops data (the kernel's copy), or NULL
 * @lock: serializes attach, replace and detach
 * @registered: the type was registered (register_bpf_struct_ops())
 * @attaches: attaches and replacements so far
 * @detaches: detaches and replacements so far
 * @name_off: offset of the NUL-terminated name in the struct_ops data
 */
struct hpmm_bpf_slot {
	void __rcu *ops;
	/* Serializes attach, replace and detach. */
	struct mutex lock;
	bool registered;
	unsigned long attaches;
	unsigned long detaches;
	size_t name_off;
};

#define HPMM_BPF_SLOT_INIT(slot, type) {			\
	.lock = __MUTEX_INITIALIZER((slot).lock),		\
	.name_off = offsetof(type, name),			\
}

#ifdef HPMM_HAVE_BPF_STRUCT_OPS
int hpmm_bpf_slot_reg(struct hpmm_bpf_slot *s, void *kdata);
void hpmm_bpf_slot_unreg(struct hpmm_bpf_slot *s, void *kdata);
int hpmm_bpf_slot_update(struct hpmm_bpf_slot *s, void *kdata, void *old);
int hpmm_bpf_name_init(const struct btf_type *t,
		       const struct btf_member *member, size_t name_off,
		       size_t size, void *kdata, const void *udata);
extern const struct bpf_verifier_ops hpmm_bpf_verifier_ops;
#endif
void hpmm_bpf_slot_show(struct seq_file *m, struct hpmm_bpf_slot *s);

#endif /* _HPMM_BPF_SLOT_H */
