// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's victim by BPF: struct hpmm_vpri_ops, a BPF struct_ops type, as
 * kernel/defrag/bpf.c is DEFRAG's placement. A program that implements its
 * "victim" operation and is attached (tools/bpf/hpmm-bpf) picks, for every
 * domain whose policy is "bpf", which of the oldest pinned pages a fault
 * unpins (include/uapi/hpmm-vpri-bpf.h; the policy is policy/bpf.c). One
 * program at a time; replacing it is atomic, and once it is detached the
 * domains unpin the oldest page, as "lru". While a program is loaded the
 * module cannot be unloaded (its struct_ops map holds it).
 *
 * On a kernel without struct_ops for modules (before 6.9: Debian's 6.1) a
 * domain with the "bpf" policy is refused with EOPNOTSUPP and debugfs
 * hpmm/vpri/bpf says "supported: 0".
 */
#define pr_fmt(fmt) "hpmm: vpri: bpf: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <uapi/hpmm-vpri-bpf.h>

#include "bpf_slot.h"
#include "vpri.h"

#define VPRI_BPF_NAME_MAX	16

/**
 * struct hpmm_vpri_ops - a VPRI victim policy written in BPF
 * @victim: which candidate of @ctx to unpin: an index below @ctx->nr;
 *	anything else unpins the oldest. Called with the domain's pin-set
 *	spinlock held, from the fault path.
 * @name: the policy's name, NUL-terminated, shown in hpmm/vpri/bpf
 */
struct hpmm_vpri_ops {
	u32 (*victim)(const struct hpmm_vpri_victim_ctx *ctx);
	char name[VPRI_BPF_NAME_MAX];
};

static struct hpmm_bpf_slot vpri_bpf_slot =
	HPMM_BPF_SLOT_INIT(vpri_bpf_slot, struct hpmm_vpri_ops);

#ifdef HPMM_HAVE_BPF_STRUCT_OPS

/**
 * vpri_bpf_choose() - ask the attached program for a victim
 * @ctx: the candidates
 *
 * Return: its answer, or VPRI_NO_CHOICE (the oldest) when none is attached.
 */
u32 vpri_bpf_choose(const struct hpmm_vpri_victim_ctx *ctx)
{
	struct hpmm_vpri_ops *ops;
	u32 i = VPRI_NO_CHOICE;

	rcu_read_lock();
	ops = rcu_dereference(vpri_bpf_slot.ops);
	if (ops)
		i = ops->victim(ctx);
	rcu_read_unlock();
	return i;
}

bool vpri_bpf_supported(void)
{
	return vpri_bpf_slot.registered;
}

static int vpri_bpf_reg(void *kdata, struct bpf_link *link)
{
	return hpmm_bpf_slot_reg(&vpri_bpf_slot, kdata);
}

static void vpri_bpf_unreg(void *kdata, struct bpf_link *link)
{
	hpmm_bpf_slot_unreg(&vpri_bpf_slot, kdata);
}

static int vpri_bpf_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	return hpmm_bpf_slot_update(&vpri_bpf_slot, kdata, old_kdata);
}

static int vpri_bpf_validate(void *kdata)
{
	const struct hpmm_vpri_ops *ops = kdata;

	return ops->victim ? 0 : -EINVAL;
}

static int vpri_bpf_init_member(const struct btf_type *t,
				const struct btf_member *member,
				void *kdata, const void *udata)
{
	return hpmm_bpf_name_init(t, member,
				  offsetof(struct hpmm_vpri_ops, name),
				  VPRI_BPF_NAME_MAX, kdata, udata);
}

static int vpri_bpf_btf_init(struct btf *btf)
{
	return 0;
}

static u32 vpri_bpf_victim_stub(const struct hpmm_vpri_victim_ctx *ctx)
{
	return 0;
}

static struct hpmm_vpri_ops vpri_bpf_cfi_stubs = {
	.victim = vpri_bpf_victim_stub,
};

static struct bpf_struct_ops vpri_bpf_struct_ops = {
	.verifier_ops = &hpmm_bpf_verifier_ops,
	.init = vpri_bpf_btf_init,
	.init_member = vpri_bpf_init_member,
	.reg = vpri_bpf_reg,
	.unreg = vpri_bpf_unreg,
	.update = vpri_bpf_update,
	.validate = vpri_bpf_validate,
	.cfi_stubs = &vpri_bpf_cfi_stubs,
	.name = "hpmm_vpri_ops",
	.owner = THIS_MODULE,
};

static int vpri_bpf_register(void)
{
	return register_bpf_struct_ops(&vpri_bpf_struct_ops, hpmm_vpri_ops);
}

#else /* !HPMM_HAVE_BPF_STRUCT_OPS */

u32 vpri_bpf_choose(const struct hpmm_vpri_victim_ctx *ctx)
{
	return VPRI_NO_CHOICE;
}

bool vpri_bpf_supported(void)
{
	return false;
}

static int vpri_bpf_register(void)
{
	return -EOPNOTSUPP;
}

#endif /* HPMM_HAVE_BPF_STRUCT_OPS */

static int vpri_bpf_show(struct seq_file *m, void *v)
{
	hpmm_bpf_slot_show(m, &vpri_bpf_slot);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpri_bpf);

/**
 * vpri_bpf_init() - register struct hpmm_vpri_ops where the kernel can
 * @dir: debugfs vpri/, for its "bpf" file
 */
void vpri_bpf_init(struct dentry *dir)
{
	int ret = vpri_bpf_register();

	/* Without it VPRI works, with the "bpf" policy refused. */
	if (ret && ret != -EOPNOTSUPP)
		pr_warn("struct_ops not registered (%d): the bpf policy is off\n",
			ret);
	vpri_bpf_slot.registered = !ret;
	debugfs_create_file("bpf", 0444, dir, NULL, &vpri_bpf_fops);
}
