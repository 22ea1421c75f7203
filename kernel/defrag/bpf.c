// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG placement by BPF: struct hpmm_defrag_ops, a BPF struct_ops type,
 * as tcp_congestion_ops and sched_ext_ops are the kernel's. A program that
 * implements its "plan" operation and is attached (libbpf's
 * bpf_map__attach_struct_ops(); tools/bpf/hpmm-bpf does it) places the
 * allocations of every group whose policy is "bpf": for each one it
 * returns a plan of steps (include/uapi/hpmm-defrag-bpf.h), which the core
 * runs as mechanism (kernel/defrag/core.c, dfg_alloc_planned()). One
 * program at a time; replacing it (bpf_link__update_map()) is atomic, and
 * once it is detached the groups fall back to grouping's plan. While a
 * program is loaded the module cannot be unloaded (its struct_ops map
 * holds it).
 *
 * On a kernel without struct_ops for modules (before 6.9: Debian's 6.1)
 * the "bpf" policy is refused with EOPNOTSUPP and debugfs
 * hpmm/defrag/bpf says "supported: 0".
 */
#define pr_fmt(fmt) "hpmm: defrag: bpf: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <uapi/hpmm-defrag-bpf.h>

#include "bpf_slot.h"
#include "defrag.h"

#define DFG_BPF_NAME_MAX	16

/**
 * struct hpmm_defrag_ops - a DEFRAG placement policy written in BPF
 * @plan: the plan for one allocation of orders 0 to 8 in a group whose
 *	policy is "bpf" (include/uapi/hpmm-defrag-bpf.h), or 0 for grouping's.
 *	Called with the group's spinlock held.
 * @name: the policy's name, NUL-terminated, shown in hpmm/defrag/bpf
 */
struct hpmm_defrag_ops {
	u64 (*plan)(const struct hpmm_defrag_plan_ctx *ctx);
	char name[DFG_BPF_NAME_MAX];
};

static struct hpmm_bpf_slot dfg_bpf_slot =
	HPMM_BPF_SLOT_INIT(dfg_bpf_slot, struct hpmm_defrag_ops);

#ifdef HPMM_HAVE_BPF_STRUCT_OPS

u64 dfg_bpf_plan(const struct dfg_gcore *core,
		 const struct dfg_alloc_req *req)
{
	const struct dfg_group *g = container_of(core, struct dfg_group, core);
	struct hpmm_defrag_plan_ctx ctx;
	struct hpmm_defrag_ops *ops;
	u64 plan = 0;

	rcu_read_lock();
	ops = rcu_dereference(dfg_bpf_slot.ops);
	if (ops) {
		ctx = (struct hpmm_defrag_plan_ctx) {
			.mt = req->mt,
			.order = req->order,
			.nid = req->flags & DFG_AF_THISNODE ? req->nid : -1,
			.group_id = g->id,
			.nr_blocks = core->nr_blocks,
			.nr_free_blocks = core->nr_free_blocks,
			.nr_split = core->nr_split,
			.limit = core->limit,
			.free_pages = core->free_pages,
			.used = { core->used[0], core->used[1], core->used[2] },
		};
		plan = ops->plan(&ctx);
	}
	rcu_read_unlock();
	return plan;
}

bool dfg_bpf_supported(void)
{
	return dfg_bpf_slot.registered;
}
EXPORT_SYMBOL_NS_GPL(dfg_bpf_supported, HPMM);

static int dfg_bpf_reg(void *kdata, struct bpf_link *link)
{
	return hpmm_bpf_slot_reg(&dfg_bpf_slot, kdata);
}

static void dfg_bpf_unreg(void *kdata, struct bpf_link *link)
{
	hpmm_bpf_slot_unreg(&dfg_bpf_slot, kdata);
}

static int dfg_bpf_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	return hpmm_bpf_slot_update(&dfg_bpf_slot, kdata, old_kdata);
}

static int dfg_bpf_validate(void *kdata)
{
	const struct hpmm_defrag_ops *ops = kdata;

	return ops->plan ? 0 : -EINVAL;
}

static int dfg_bpf_init_member(const struct btf_type *t,
			       const struct btf_member *member,
			       void *kdata, const void *udata)
{
	return hpmm_bpf_name_init(t, member,
				  offsetof(struct hpmm_defrag_ops, name),
				  DFG_BPF_NAME_MAX, kdata, udata);
}

static int dfg_bpf_btf_init(struct btf *btf)
{
	return 0;
}

static u64 dfg_bpf_plan_stub(const struct hpmm_defrag_plan_ctx *ctx)
{
	return 0;
}

static struct hpmm_defrag_ops dfg_bpf_cfi_stubs = {
	.plan = dfg_bpf_plan_stub,
};

static struct bpf_struct_ops dfg_bpf_struct_ops = {
	.verifier_ops = &hpmm_bpf_verifier_ops,
	.init = dfg_bpf_btf_init,
	.init_member = dfg_bpf_init_member,
	.reg = dfg_bpf_reg,
	.unreg = dfg_bpf_unreg,
	.update = dfg_bpf_update,
	.validate = dfg_bpf_validate,
	.cfi_stubs = &dfg_bpf_cfi_stubs,
	.name = "hpmm_defrag_ops",
	.owner = THIS_MODULE,
};

static int dfg_bpf_show(struct seq_file *m, void *v)
{
	hpmm_bpf_slot_show(m, &dfg_bpf_slot);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dfg_bpf);

void dfg_bpf_init(struct dentry *dir)
{
	int ret;

	/* Without it the module works, with the "bpf" policy refused. */
	ret = register_bpf_struct_ops(&dfg_bpf_struct_ops, hpmm_defrag_ops);
	if (ret)
		pr_warn("struct_ops not registered (%d): the bpf policy is off\n",
			ret);
	dfg_bpf_slot.registered = !ret;
	debugfs_create_file("bpf", 0444, dir, NULL, &dfg_bpf_fops);
}

#else /* !HPMM_HAVE_BPF_STRUCT_OPS */

u64 dfg_bpf_plan(const struct dfg_gcore *core,
		 const struct dfg_alloc_req *req)
{
	return 0;
}

bool dfg_bpf_supported(void)
{
	return false;
}
EXPORT_SYMBOL_NS_GPL(dfg_bpf_supported, HPMM);

static int dfg_bpf_show(struct seq_file *m, void *v)
{
	hpmm_bpf_slot_show(m, &dfg_bpf_slot);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dfg_bpf);

void dfg_bpf_init(struct dentry *dir)
{
	debugfs_create_file("bpf", 0444, dir, NULL, &dfg_bpf_fops);
}

#endif /* HPMM_HAVE_BPF_STRUCT_OPS */
