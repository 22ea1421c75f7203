// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI domains: registration of a process's memory through /dev/hpmm, the
 * unmanaged IOMMU domain of the second edu device, the MMU interval
 * notifier that unpins pages whose memory is unmapped, and teardown.
 *
 * A domain is owned by the open file that registered it and dies with it
 * (the open file also holds a module reference, so rmmod fails with EBUSY
 * while a domain lives). The device serves one domain at a time, as a
 * passed-through device serves one VM; detaching gives it back its default
 * DMA domain.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../chardev.h"
#include "../hpmm.h"
#include "vpri.h"

static_assert(HPMM_VPRI_POLICY_NONE == VPRI_POLICY_NONE);
static_assert(HPMM_VPRI_POLICY_ALL == VPRI_POLICY_ALL);
static_assert(HPMM_VPRI_POLICY_LRU == VPRI_POLICY_LRU);
static_assert(HPMM_VPRI_POLICY_CLOCK == VPRI_POLICY_CLOCK);
static_assert(HPMM_VPRI_POLICY_ADP == VPRI_POLICY_ADP);
static_assert(HPMM_VPRI_POLICY_ARC == VPRI_POLICY_ARC);
static_assert(HPMM_VPRI_NR_POLICIES == VPRI_NR_POLICIES);

/* Guards the domain list, ids, list links and the statistics list. */
DEFINE_MUTEX(vpri_mutex);
atomic_long_t vpri_pinned_total;
static LIST_HEAD(vpri_domains);
static u64 vpri_next_id = 1;

unsigned int vpri_live_domains(void)
{
	struct vpri_domain *dom;
	unsigned int n = 0;

	mutex_lock(&vpri_mutex);
	list_for_each_entry(dom, &vpri_domains, node)
		n++;
	mutex_unlock(&vpri_mutex);
	return n;
}

static bool vpri_invalidate(struct mmu_interval_notifier *mni,
			    const struct mmu_notifier_range *range,
			    unsigned long cur_seq)
{
	struct vpri_domain *dom = container_of(mni, struct vpri_domain,
					       notifier);
	unsigned long end = dom->uaddr + ((unsigned long)dom->nr_pages << PAGE_SHIFT);
	unsigned long start, addr;
	long n = 0;

	/*
	 * Only a real unmap (munmap, mremap, exit) takes the pages away.
	 * Reclaim and migration also notify (MMU_NOTIFY_CLEAR) but cannot
	 * move or free a pinned page, so pins survive them.
	 *
	 * This runs in reclaim context: it takes only plock (never held
	 * across an allocation) and leaves unmapping and unpinning, which
	 * need the domain's mutex, to reap_work. Meanwhile the pages stay
	 * pinned, so their memory cannot be reused.
	 */
	if (range->event != MMU_NOTIFY_UNMAP)
		return true;
	start = max(range->start, dom->uaddr);
	end = min(range->end, end);
	spin_lock(&dom->plock);
	mmu_interval_set_seq(mni, cur_seq);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		u32 idx = (addr - dom->uaddr) >> PAGE_SHIFT;

		/* Present means pinned and owned by the pin set. */
		if (!vpri_bitmap_test_and_clear_present(&dom->bm, idx))
			continue;
		vpri_pin_set_remove(&dom->ps, idx);
		set_bit(idx, dom->zombie);
		n++;
	}
	spin_unlock(&dom->plock);
	if (n) {
		atomic64_add(n, &dom->st->invalidations);
		/* Pairs with atomic_dec_and_test() in vpri_access_done(). */
		smp_mb__after_atomic();
		schedule_work(&dom->reap_work);
	}
	return true;
}

static const struct mmu_interval_notifier_ops vpri_mn_ops = {
	.invalidate = vpri_invalidate,
};

/* Is [addr, addr + len) all private anonymous memory? */
static int vpri_check_vmas(struct mm_struct *mm, unsigned long addr,
			   unsigned long len)
{
	unsigned long a = addr, end = addr + len;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	while (a < end) {
		vma = find_vma(mm, a);
		if (!vma || vma->vm_start > a) {
			pr_err_ratelimited("register: %#lx is not mapped\n", a);
			ret = -EFAULT;
			break;
		}
		if (!vma_is_anonymous(vma) ||
		    (vma->vm_flags & (VM_SHARED | VM_IO | VM_PFNMAP))) {
			pr_err_ratelimited("register: %#lx-%#lx is not private anonymous memory\n",
					   vma->vm_start, vma->vm_end);
			ret = -EOPNOTSUPP;
			break;
		}
		a = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* Called with vpri_mutex held. */
static int vpri_check_conflicts(struct mm_struct *mm, unsigned long addr,
				unsigned long len)
{
	struct vpri_domain *dom;

	list_for_each_entry(dom, &vpri_domains, node) {
		unsigned long s = dom->uaddr;
		unsigned long e = s + ((unsigned long)dom->nr_pages << PAGE_SHIFT);

		if (dom->mm == mm && addr < e && s < addr + len) {
			pr_err_ratelimited("register: overlaps domain %llu\n",
					   dom->id);
			return -EEXIST;
		}
	}
	if (!list_empty(&vpri_domains)) {
		pr_err_ratelimited("register: the device serves domain %llu\n",
				   list_first_entry(&vpri_domains,
						    struct vpri_domain,
						    node)->id);
		return -EBUSY;
	}
	return 0;
}

static void vpri_domain_free(struct vpri_domain *dom)
{
	vpri_pin_set_fini(&dom->ps);
	vpri_bitmap_fini(&dom->bm);
	kvfree(dom->pages);
	kvfree(dom->busy);
	bitmap_free(dom->zombie);
	kfree(dom);
}

/* Unpins everything; the notifier is gone and no access is in flight. */
static void vpri_domain_unpin_all(struct vpri_domain *dom)
{
	long n = 0;
	u32 idx;

	mutex_lock(&dom->lock);
	for (idx = 0; idx < dom->nr_pages; idx++) {
		if (!dom->pages[idx])
			continue;
		spin_lock(&dom->plock);
		if (vpri_bitmap_test_and_clear_present(&dom->bm, idx))
			vpri_pin_set_remove(&dom->ps, idx);
		spin_unlock(&dom->plock);
		clear_bit(idx, dom->zombie);
		vpri_unmap_unpin(dom, idx);
		n++;
	}
	mutex_unlock(&dom->lock);
	vpri_acct(dom, -n);
}

/*
 * Puts @dev back in its default domain. 6.1's iommu_detach_device() cannot
 * fail: when the IOMMU driver's re-attach of the default domain fails an
 * allocation it WARNs ("failed to attach the default/blocking domain"),
 * which the fail-nth sweep of unregistration hit. Injected failures are
 * kept out of it; hpmm's own teardown stays covered.
 */
static void vpri_detach(struct iommu_domain *iodom, struct hpmm_dev *dev)
{
	unsigned int fail_nth = hpmm_fail_nth_pause();

	iommu_detach_device(iodom, &dev->pdev->dev);
	hpmm_fail_nth_resume(fail_nth);
}

/* Tears down a domain already unlinked from every list. */
static void vpri_domain_destroy(struct vpri_domain *dom)
{
	/* Wait for submitters; none can find the domain any more. */
	down_write(&dom->gate);
	up_write(&dom->gate);
	mmu_interval_notifier_remove(&dom->notifier);
	flush_work(&dom->reap_work);
	vpri_domain_unpin_all(dom);
	if (atomic_long_read(&dom->locked) && mmget_not_zero(dom->mm)) {
		pr_err("domain %llu: %ld pages still charged to locked_vm\n",
		       dom->id, atomic_long_read(&dom->locked));
		mmput(dom->mm);
	}
	vpri_detach(dom->iodom, dom->dev);
	hpmm_dev_domain_release(dom->dev);
	iommu_domain_free(dom->iodom);
	mmdrop(dom->mm);
	put_task_struct(dom->task);

	mutex_lock(&vpri_mutex);
	vpri_stats_retire(dom->st, dom);
	mutex_unlock(&vpri_mutex);
	vpri_domain_free(dom);
}

static struct vpri_file *vpri_file_get(struct hpmm_file *hfile)
{
	struct vpri_file *vf = hfile->priv[HPMM_COMP_VPRI];

	if (vf)
		return vf;
	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return NULL;
	INIT_LIST_HEAD(&vf->domains);
	hfile->priv[HPMM_COMP_VPRI] = vf;
	return vf;
}

static int vpri_domain_alloc(struct vpri_domain **domp, u32 nr_pages,
			     const struct hpmm_vpri_register *cmd)
{
	struct vpri_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return -ENOMEM;
	dom->nr_pages = nr_pages;
	dom->uaddr = cmd->addr;
	dom->test_hooks = cmd->flags & HPMM_VPRI_REG_TEST_HOOKS;
	init_rwsem(&dom->gate);
	mutex_init(&dom->lock);
	spin_lock_init(&dom->plock);
	INIT_WORK(&dom->reap_work, vpri_reap_work);
	ret = vpri_bitmap_init(&dom->bm, nr_pages);
	if (ret)
		goto err_free;
	ret = vpri_pin_set_init(&dom->ps, &dom->bm, cmd->policy, nr_pages,
				cmd->budget);
	if (ret)
		goto err_bitmap;
	ret = -ENOMEM;
	dom->pages = kvcalloc(nr_pages, sizeof(*dom->pages), GFP_KERNEL);
	dom->busy = kvcalloc(nr_pages, sizeof(*dom->busy), GFP_KERNEL);
	dom->zombie = bitmap_zalloc(nr_pages, GFP_KERNEL);
	if (!dom->pages || !dom->busy || !dom->zombie)
		goto err_arrays;
	*domp = dom;
	return 0;

err_arrays:
	kvfree(dom->pages);
	kvfree(dom->busy);
	bitmap_free(dom->zombie);
	vpri_pin_set_fini(&dom->ps);
err_bitmap:
	vpri_bitmap_fini(&dom->bm);
err_free:
	kfree(dom);
	return ret;
}

/* Called with vpri_mutex held. */
static int vpri_domain_create(struct vpri_file *vf,
			      struct hpmm_vpri_register *cmd, u32 nr_pages)
{
	struct vpri_domain *dom;
	struct hpmm_dev *dev;
	int ret;

	dev = hpmm_dev_get(VPRI_DEV_INDEX);
	if (!dev) {
		pr_err_ratelimited("register: no edu device %u\n",
				   VPRI_DEV_INDEX);
		return -ENODEV;
	}
	ret = vpri_domain_alloc(&dom, nr_pages, cmd);
	if (ret)
		return ret;
	dom->dev = dev;
	dom->id = vpri_next_id;
	dom->st = vpri_stats_create(dom->id, cmd->policy, nr_pages,
				    dom->ps.budget);
	if (!dom->st) {
		ret = -ENOMEM;
		goto err_domain;
	}

	dom->iodom = iommu_domain_alloc(&pci_bus_type);
	if (!dom->iodom) {
		pr_err_ratelimited("register: no IOMMU domain for %s\n",
				   dev->name);
		ret = -ENODEV;
		goto err_stats;
	}
	if (dom->iodom->geometry.force_aperture &&
	    dom->iodom->geometry.aperture_end < cmd->length - 1) {
		ret = -EFBIG;
		goto err_iodom;
	}
	/* DMA-API users of the device (self-tests, HPA pools) refuse now. */
	ret = hpmm_dev_domain_claim(dev, "vpri");
	if (ret)
		goto err_iodom;
	ret = iommu_attach_device(dom->iodom, &dev->pdev->dev);
	if (ret) {
		pr_err_ratelimited("register: attaching %s: %d\n", dev->name,
				   ret);
		goto err_claim;
	}
	ret = mmu_interval_notifier_insert(&dom->notifier, current->mm,
					   cmd->addr, cmd->length,
					   &vpri_mn_ops);
	if (ret)
		goto err_detach;

	mmgrab(current->mm);
	dom->mm = current->mm;
	dom->task = get_task_struct(current->group_leader);
	dom->lock_cap = capable(CAP_IPC_LOCK);
	dom->owner = vf;
	vpri_next_id++;
	spin_lock(&dom->st->lock);
	dom->st->dom = dom;
	spin_unlock(&dom->st->lock);
	list_add_tail(&dom->node, &vpri_domains);
	list_add_tail(&dom->file_node, &vf->domains);

	cmd->domain_id = dom->id;
	cmd->nr_pages = nr_pages;
	pr_debug("domain %llu: %u pages at %#llx, policy %s, budget %u\n",
		 dom->id, nr_pages, cmd->addr, vpri_policy_name(cmd->policy),
		 dom->ps.budget);
	return 0;

err_detach:
	vpri_detach(dom->iodom, dev);
err_claim:
	hpmm_dev_domain_release(dev);
err_iodom:
	iommu_domain_free(dom->iodom);
err_stats:
	vpri_stats_destroy(dom->st);
err_domain:
	vpri_domain_free(dom);
	return ret;
}

static int vpri_ioctl_unregister(struct hpmm_ucmd *ucmd);

static int vpri_ioctl_register(struct hpmm_ucmd *ucmd)
{
	struct hpmm_vpri_register *cmd = ucmd->cmd;
	const struct vpri_policy_ops *ops;
	struct vpri_file *vf;
	u32 nr_pages;
	int ret;

	if (cmd->flags & ~HPMM_VPRI_REG_TEST_HOOKS)
		return -EINVAL;
	if ((cmd->flags & HPMM_VPRI_REG_TEST_HOOKS) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	ops = cmd->policy < VPRI_NR_POLICIES ?
	      vpri_policy_get(cmd->policy) : NULL;
	if (!ops || !cmd->length || !PAGE_ALIGNED(cmd->addr) ||
	    !PAGE_ALIGNED(cmd->length))
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
	if (ops->needs_budget && (cmd->budget < 2 || cmd->budget > nr_pages))
		return -EINVAL;

	ret = vpri_check_vmas(current->mm, cmd->addr, cmd->length);
	if (ret)
		return ret;
	vf = vpri_file_get(ucmd->hfile);
	if (!vf)
		return -ENOMEM;

	mutex_lock(&vpri_mutex);
	ret = vpri_check_conflicts(current->mm, cmd->addr, cmd->length);
	if (!ret)
		ret = vpri_domain_create(vf, cmd, nr_pages);
	mutex_unlock(&vpri_mutex);
	if (ret)
		return ret;
	ret = hpmm_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		/* The caller cannot learn the id: do not leave the domain. */
		struct hpmm_vpri_unregister u = { .domain_id = cmd->domain_id };
		struct hpmm_ucmd uu = { .hfile = ucmd->hfile, .cmd = &u };

		vpri_ioctl_unregister(&uu);
	}
	return ret;
}

static int vpri_ioctl_unregister(struct hpmm_ucmd *ucmd)
{
	struct hpmm_vpri_unregister *cmd = ucmd->cmd;
	struct vpri_file *vf = ucmd->hfile->priv[HPMM_COMP_VPRI];
	struct vpri_domain *dom, *found = NULL;

	if (!vf)
		return -ENOENT;
	mutex_lock(&vpri_mutex);
	list_for_each_entry(dom, &vf->domains, file_node) {
		if (dom->id == cmd->domain_id) {
			found = dom;
			list_del(&dom->node);
			list_del(&dom->file_node);
			break;
		}
	}
	mutex_unlock(&vpri_mutex);
	if (!found)
		return -ENOENT;
	vpri_domain_destroy(found);
	return 0;
}

/* A live domain of the calling process, its gate held for read; or NULL. */
static struct vpri_domain *vpri_domain_get(u64 id)
{
	struct vpri_domain *dom, *found = NULL;

	mutex_lock(&vpri_mutex);
	list_for_each_entry(dom, &vpri_domains, node) {
		if (dom->id == id && dom->mm == current->mm) {
			found = dom;
			down_read(&dom->gate);
			break;
		}
	}
	mutex_unlock(&vpri_mutex);
	return found;
}

static void vpri_domain_put(struct vpri_domain *dom)
{
	up_read(&dom->gate);
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
		    (r->flags & ~(HPMM_VPRI_REQ_WRITE |
				  HPMM_VPRI_REQ_SKIP_CHECK)))
			return -EINVAL;
		if ((r->flags & HPMM_VPRI_REQ_SKIP_CHECK) && !dom->test_hooks)
			return -EPERM;
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
	u32 nr, bad = 0;
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
	reqs = kvmalloc_array(nr, sizeof(*reqs), GFP_KERNEL);
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
	ret = vpri_check_reqs(dom, reqs, nr, &bad);
	if (ret) {
		cmd->nr_done = bad;
		pr_debug("domain %llu: request %u refused: %d\n", dom->id, bad,
			 ret);
	} else {
		ret = vpri_submit(dom, backend, reqs, nr, cmd);
	}
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

	dom = vpri_domain_get(cmd->domain_id);
	if (!dom)
		return -ENOENT;
	flush_work(&dom->reap_work);
	spin_lock(&dom->plock);
	cmd->accesses = dom->ps.st.accesses;
	cmd->hits = dom->ps.st.hits;
	cmd->faults = dom->ps.st.faults;
	cmd->peak_pinned = dom->ps.st.peak_pinned;
	cmd->budget = dom->ps.budget;
	cmd->target = dom->ps.target;
	spin_unlock(&dom->plock);
	cmd->pins = atomic64_read(&dom->st->pins);
	cmd->unpins = atomic64_read(&dom->st->unpins);
	cmd->pinned = atomic64_read(&dom->st->pinned);
	cmd->locked_vm = atomic_long_read(&dom->locked);
	cmd->swapins = atomic64_read(&dom->st->swapins);
	cmd->invalidations = atomic64_read(&dom->st->invalidations);
	vpri_domain_put(dom);
	return hpmm_ucmd_respond(ucmd, sizeof(*cmd));
}

static void vpri_release(struct hpmm_file *hfile)
{
	struct vpri_file *vf = hfile->priv[HPMM_COMP_VPRI];
	struct vpri_domain *dom;

	if (!vf)
		return;
	for (;;) {
		mutex_lock(&vpri_mutex);
		dom = list_first_entry_or_null(&vf->domains,
					       struct vpri_domain, file_node);
		if (dom) {
			list_del(&dom->node);
			list_del(&dom->file_node);
		}
		mutex_unlock(&vpri_mutex);
		if (!dom)
			break;
		vpri_domain_destroy(dom);
	}
	kfree(vf);
	hfile->priv[HPMM_COMP_VPRI] = NULL;
}

static int vpri_init(struct dentry *root)
{
	int ret;

	atomic_long_set(&vpri_pinned_total, 0);
	vpri_next_id = 1;
	ret = vpri_fault_init();
	if (ret)
		return ret;
	ret = vpri_debugfs_init(root);
	if (ret)
		vpri_fault_exit();
	return ret;
}

static void vpri_exit(void)
{
	struct vpri_domain *dom;

	/* Open files hold the module: no domain can be left, but be sure. */
	for (;;) {
		mutex_lock(&vpri_mutex);
		dom = list_first_entry_or_null(&vpri_domains,
					       struct vpri_domain, node);
		if (dom) {
			list_del(&dom->node);
			list_del(&dom->file_node);
		}
		mutex_unlock(&vpri_mutex);
		if (!dom)
			break;
		pr_err("domain %llu still live at exit: tearing it down\n",
		       dom->id);
		vpri_domain_destroy(dom);
	}
	vpri_debugfs_exit();
	vpri_fault_exit();
}

static const struct hpmm_ioctl_op vpri_ioctl_ops[] = {
	HPMM_IOCTL_OP(0, struct hpmm_vpri_register, nr_pages,
		      vpri_ioctl_register),
	HPMM_IOCTL_OP(1, struct hpmm_vpri_unregister, domain_id,
		      vpri_ioctl_unregister),
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
	.release = vpri_release,
};
