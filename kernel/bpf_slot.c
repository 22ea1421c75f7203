// SPDX-License-Identifier: GPL-2.0
/*
 * One attached BPF struct_ops program per type (bpf_slot.h).
 */
#include <linux/btf.h>
#include <linux/ctype.h>
#include <linux/string.h>

#include "bpf_slot.h"

#ifdef HPMM_HAVE_BPF_STRUCT_OPS

/**
 * hpmm_bpf_slot_reg() - attach: the struct_ops type's .reg
 * @s: the slot
 * @kdata: the program's struct_ops data
 *
 * Return: 0, or -EEXIST while another program is attached.
 */
int hpmm_bpf_slot_reg(struct hpmm_bpf_slot *s, void *kdata)
{
	int ret = 0;

	mutex_lock(&s->lock);
	if (rcu_access_pointer(s->ops)) {
		ret = -EEXIST;
	} else {
		rcu_assign_pointer(s->ops, kdata);
		s->attaches++;
	}
	mutex_unlock(&s->lock);
	return ret;
}

/**
 * hpmm_bpf_slot_unreg() - detach: the struct_ops type's .unreg
 * @s: the slot
 * @kdata: the program's struct_ops data
 *
 * When it returns, no caller is in the program any more.
 */
void hpmm_bpf_slot_unreg(struct hpmm_bpf_slot *s, void *kdata)
{
	mutex_lock(&s->lock);
	if (rcu_access_pointer(s->ops) == kdata) {
		RCU_INIT_POINTER(s->ops, NULL);
		s->detaches++;
	}
	mutex_unlock(&s->lock);
	synchronize_rcu();
}

/**
 * hpmm_bpf_slot_update() - replace: the struct_ops type's .update
 * @s: the slot
 * @kdata: the new program's struct_ops data
 * @old: the attached one's
 *
 * Callers see the old program or the new one, never none. When it
 * returns, no caller is in the old program any more.
 *
 * Return: 0, or -EINVAL when @old is not the attached program.
 */
int hpmm_bpf_slot_update(struct hpmm_bpf_slot *s, void *kdata, void *old)
{
	int ret = 0;

	mutex_lock(&s->lock);
	if (rcu_access_pointer(s->ops) != old) {
		ret = -EINVAL;
	} else {
		rcu_assign_pointer(s->ops, kdata);
		s->attaches++;
		s->detaches++;
	}
	mutex_unlock(&s->lock);
	synchronize_rcu();
	return ret;
}

/**
 * hpmm_bpf_name_init() - the .init_member of a type's name member
 * @t: the type
 * @member: the member being initialized
 * @name_off: offset of the char[@size] name in the type
 * @size: its size
 * @kdata: the kernel's copy
 * @udata: the program's
 *
 * Return: 0 for another member, 1 once the name is checked (1 to @size - 1
 * letters, digits or '_') and copied, -EINVAL for a bad name.
 */
int hpmm_bpf_name_init(const struct btf_type *t,
		       const struct btf_member *member, size_t name_off,
		       size_t size, void *kdata, const void *udata)
{
	const char *uname = (const char *)udata + name_off;
	size_t len, i;

	if (__btf_member_bit_offset(t, member) / 8 != name_off)
		return 0;
	len = strnlen(uname, size);
	if (!len || len == size)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isalnum(uname[i]) && uname[i] != '_')
			return -EINVAL;
	memcpy((char *)kdata + name_off, uname, size);
	return 1;
}

static bool hpmm_bpf_is_valid_access(int off, int size,
				     enum bpf_access_type type,
				     const struct bpf_prog *prog,
				     struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

/* Operations read their context's arguments, typed by BTF; nothing else. */
const struct bpf_verifier_ops hpmm_bpf_verifier_ops = {
	.is_valid_access = hpmm_bpf_is_valid_access,
	.get_func_proto = bpf_base_func_proto,
};

#endif /* HPMM_HAVE_BPF_STRUCT_OPS */

/**
 * hpmm_bpf_slot_show() - the slot's debugfs lines
 * @m: the file
 * @s: the slot
 */
void hpmm_bpf_slot_show(struct seq_file *m, struct hpmm_bpf_slot *s)
{
	void *ops;

	mutex_lock(&s->lock);
	ops = rcu_dereference_protected(s->ops, lockdep_is_held(&s->lock));
	seq_printf(m, "supported: %d\n", s->registered);
	seq_printf(m, "attached: %s\n",
		   ops ? (const char *)ops + s->name_off : "-");
	seq_printf(m, "attaches: %lu\n", s->attaches);
	seq_printf(m, "detaches: %lu\n", s->detaches);
	mutex_unlock(&s->lock);
}
