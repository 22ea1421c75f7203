// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI's /dev/hpmm commands (include/uapi/hpmm-vpri.h), a client of the
 * core: each checks the user's struct and calls the core. A domain is
 * destroyed with HPMM_IOCTL_DESTROY, or when its file is closed.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <uapi/hpmm-vpri.h>

#include "../chardev.h"
#include "../hpmm.h"
#include "vpri.h"

/* The pin set's policy ids are the uapi's values. */
static_assert(HPMM_VPRI_POLICY_NONE == VPRI_POLICY_NONE);
static_assert(HPMM_VPRI_POLICY_ALL == VPRI_POLICY_ALL);
static_assert(HPMM_VPRI_POLICY_LRU == VPRI_POLICY_LRU);
static_assert(HPMM_VPRI_POLICY_CLOCK == VPRI_POLICY_CLOCK);
static_assert(HPMM_VPRI_POLICY_ADP == VPRI_POLICY_ADP);
static_assert(HPMM_VPRI_POLICY_ARC == VPRI_POLICY_ARC);
/* The on-demand mode's policies follow ARC, then bpf (vpri_uapi_pin_policy). */
static_assert(HPMM_VPRI_POLICY_RECLAIM - VPRI_POLICY_ARC == 1);
static_assert(VPRI_POLICY_BPF - VPRI_POLICY_ARC == 1);
/* reclaim, hint, adp-hint; adp is the pinned mode's number too. */
#define VPRI_NR_ODP_ONLY_POLICIES	3
#define VPRI_NR_UAPI_POLICIES	(VPRI_NR_POLICIES + VPRI_NR_ODP_ONLY_POLICIES)
static_assert(HPMM_VPRI_NR_POLICIES == VPRI_NR_UAPI_POLICIES);

static int vpri_ioctl_register(struct hpmm_ucmd *ucmd)
{
	struct hpmm_vpri_register *cmd = ucmd->cmd;
	bool on_demand = cmd->flags & HPMM_VPRI_REGISTER_ON_DEMAND;
	struct vpri_domain_params p;
	struct vpri_domain *dom;
	u32 nr_pages, budget;
	int ret;

	if (cmd->flags & ~HPMM_VPRI_REGISTER_ON_DEMAND)
		return -EINVAL;
	if (!cmd->length || !PAGE_ALIGNED(cmd->addr) ||
	    !PAGE_ALIGNED(cmd->length) || cmd->policy >= HPMM_VPRI_NR_POLICIES)
		return -EINVAL;
	if (cmd->length > HPMM_VPRI_MAX_LENGTH) {
		pr_err_ratelimited("register: %llu bytes exceed the device's %d-bit DMA space\n",
				   cmd->length, HPMM_DEV_DMA_BITS);
		return -EFBIG;
	}
	if (cmd->addr + cmd->length < cmd->addr ||
	    cmd->addr + cmd->length > TASK_SIZE)
		return -EFAULT;
	nr_pages = cmd->length >> PAGE_SHIFT;
	budget = min_t(u64, cmd->budget, U32_MAX);
	ret = vpri_policy_check(on_demand, cmd->policy, nr_pages, &budget);
	if (ret)
		return ret;

	p = (struct vpri_domain_params){
		.addr = cmd->addr,
		.length = cmd->length,
		.on_demand = on_demand,
		.policy = cmd->policy,
		.budget = budget,
	};
	ret = vpri_domain_create(ucmd->hfile, &p, &dom);
	if (ret)
		return ret;
	cmd->domain_id = dom->obj.id;
	cmd->nr_pages = nr_pages;
	ret = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	/* The caller cannot learn the id: do not leave the domain. */
	if (ret)
		vpri_domain_destroy(dom);
	return ret;
}

static int vpri_check_reqs(struct vpri_domain *dom,
			   const struct hpmm_vpri_req *reqs, u32 nr, u32 *bad)
{
	u64 size = (u64)dom->nr_pages << PAGE_SHIFT;
	u32 i;

	for (i = 0; i < nr; i++) {
		const struct hpmm_vpri_req *r = &reqs[i];

		*bad = i;
		if (!r->len || r->len > HPMM_DEV_DMA_MAX ||
		    (r->flags & ~HPMM_VPRI_REQ_WRITE))
			return -EINVAL;
		if (r->iova >= size || r->len > size - r->iova)
			return -ERANGE;
	}
	return 0;
}

static int vpri_ioctl_submit(struct hpmm_ucmd *ucmd)
{
	struct hpmm_vpri_submit *cmd = ucmd->cmd;
	enum hpmm_dev_backend backend;
	struct hpmm_vpri_req *reqs;
	struct vpri_domain *dom;
	u32 nr, done = 0;
	int ret, ret2;

	if (!cmd->nr_reqs || cmd->nr_reqs > HPMM_VPRI_MAX_BATCH)
		return -EINVAL;
	if (cmd->backend == HPMM_VPRI_BACKEND_CPU)
		backend = HPMM_BACKEND_CPU;
	else if (cmd->backend == HPMM_VPRI_BACKEND_EDU)
		backend = HPMM_BACKEND_EDU;
	else
		return -EINVAL;
	nr = cmd->nr_reqs;
	reqs = kvmalloc_array(nr, sizeof(*reqs), GFP_KERNEL_ACCOUNT);
	if (!reqs)
		return -ENOMEM;
	if (copy_from_user(reqs, u64_to_user_ptr(cmd->reqs),
			   array_size(nr, sizeof(*reqs)))) {
		ret = -EFAULT;
		goto out_free;
	}
	dom = vpri_domain_get(cmd->domain_id);
	if (!dom) {
		ret = -ENOENT;
		goto out_free;
	}
	cmd->faults = 0;
	cmd->hits = 0;
	ret = vpri_check_reqs(dom, reqs, nr, &done);
	if (ret)
		pr_debug("domain %u: request %u refused: %d\n", dom->obj.id,
			 done, ret);
	else
		ret = vpri_submit(dom, backend, reqs, nr, &done, &cmd->faults,
				  &cmd->hits);
	cmd->nr_done = done;
	vpri_domain_put(dom);
	ret2 = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	if (!ret)
		ret = ret2;
out_free:
	kvfree(reqs);
	return ret;
}

static int vpri_ioctl_stats(struct hpmm_ucmd *ucmd)
{
	struct hpmm_vpri_stats *cmd = ucmd->cmd;
	struct vpri_domain *dom;
	struct vpri_counters c;

	dom = vpri_domain_get(cmd->domain_id);
	if (!dom)
		return -ENOENT;
	/* Pending unpins of unmapped memory first (pin.c, odp.c). */
	flush_work(&dom->reap_work);
	spin_lock(&dom->plock);
	dom->mode->counters(dom, &c);
	spin_unlock(&dom->plock);
	cmd->accesses = c.accesses;
	cmd->hits = c.hits;
	cmd->faults = c.faults;
	cmd->peak_pinned = c.peak_pinned;
	cmd->budget = c.budget;
	cmd->target = c.target;
	cmd->scans = c.scans;
	cmd->marks = c.marks;
	cmd->on_demand = dom->mode == &vpri_mode_odp;
	cmd->mapped = atomic64_read(&dom->st->mapped);
	cmd->revalidations = atomic64_read(&dom->st->revalidations);
	cmd->cpu_majflt = vpri_stats_majflt(dom->st);
	cmd->pins = atomic64_read(&dom->st->pins);
	cmd->unpins = atomic64_read(&dom->st->unpins);
	cmd->pinned = atomic64_read(&dom->st->pinned);
	cmd->locked_vm = atomic_long_read(&dom->locked);
	cmd->swapins = atomic64_read(&dom->st->swapins);
	cmd->invalidations = atomic64_read(&dom->st->invalidations);
	vpri_domain_put(dom);
	return hpmm_ucmd_respond(ucmd, sizeof(*cmd));
}

/* Command 1 was HPMM_VPRI_UNREGISTER (ABI 1): HPMM_IOCTL_DESTROY now. */
static const struct hpmm_ioctl_op vpri_ioctl_ops[] = {
	HPMM_IOCTL_OP(0, struct hpmm_vpri_register, nr_pages,
		      vpri_ioctl_register),
	HPMM_IOCTL_OP(2, struct hpmm_vpri_submit, hits, vpri_ioctl_submit),
	HPMM_IOCTL_OP(3, struct hpmm_vpri_stats, invalidations,
		      vpri_ioctl_stats),
};

const struct hpmm_component hpmm_vpri_component = {
	.name = "vpri",
	.id = HPMM_COMP_VPRI,
	.abi_bit = HPMM_COMPONENT_VPRI,
	.init = vpri_init,
	.exit = vpri_exit,
	.ioctl_base = HPMM_CMD_VPRI_BASE,
	.ioctl_ops = vpri_ioctl_ops,
	.nr_ioctl_ops = ARRAY_SIZE(vpri_ioctl_ops),
	.object_ops = &vpri_domain_object_ops,
	.nr_object_ops = 1,
};
