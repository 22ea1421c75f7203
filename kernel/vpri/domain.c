// SPDX-License-Identifier: GPL-2.0
/*
 * VPRI domains: a range of a process's memory, the unmanaged IOMMU domain
 * of the second edu device, the MMU interval notifier that tells the
 * domain's mode when the range's memory changes, and teardown.
 *
 * A domain is an object of the /dev/hpmm file that registered it
 * (kernel/object.c): its id is the object's, HPMM_IOCTL_DESTROY destroys
 * it and closing the file destroys what is left (the open file also holds
 * a module reference, so rmmod fails with EBUSY while a domain lives).
 * Commands that use a domain (SUBMIT, STATS) find it by id from any open
 * file of the process that registered it, so that several threads can
 * submit at once, each through its own file (commands on one file are
 * serialised); teardown waits for them.
 *
 * The device serves one domain at a time, as a passed-through device
 * serves one VM; detaching gives it back its default DMA domain.
 */
#define pr_fmt(fmt) "hpmm: vpri: " fmt

#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "../hpmm.h"
#include "vpri.h"

/* Guards the list of live domains and their links. */
static DEFINE_MUTEX(vpri_mutex);
static LIST_HEAD(vpri_domains);
atomic_long_t vpri_pinned_total;

/**
 * vpri_live_domains() - domains registered now
 *
 * Return: the count.
 */
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

	return dom->mode->invalidate(dom, range, cur_seq);
}

static const struct mmu_interval_notifier_ops vpri_mn_ops = {
	.invalidate = vpri_invalidate,
};

/**
 * vpri_vma_ok() - may a domain's pages live in @vma?
 * @vma: a VMA of the registering process
 *
 * Only private anonymous memory: the pages are the process's alone, and
 * nothing but the process's own page tables maps them. Checked over the
 * range at registration and again, under the mmap lock, by every pin.
 *
 * Return: true for private anonymous memory.
 */
bool vpri_vma_ok(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) &&
	       !(vma->vm_flags & (VM_SHARED | VM_IO | VM_PFNMAP));
}

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
		if (!vpri_vma_ok(vma)) {
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
			pr_err_ratelimited("register: overlaps domain %u\n",
					   dom->obj.id);
			return -EEXIST;
		}
	}
	if (!list_empty(&vpri_domains)) {
		pr_err_ratelimited("register: the device serves domain %u\n",
				   list_first_entry(&vpri_domains,
						    struct vpri_domain,
						    node)->obj.id);
		return -EBUSY;
	}
	return 0;
}

static void vpri_domain_free(struct vpri_domain *dom)
{
	if (dom->mode == &vpri_mode_odp)
		vpri_prot_fini(&dom->prot);
	else
		vpri_pin_set_fini(&dom->ps);
	vpri_bitmap_fini(&dom->bm);
	kvfree(dom->pages);
	kvfree(dom->busy);
	bitmap_free(dom->zombie);
	bitmap_free(dom->suspect);
	bitmap_free(dom->pinned);
	bitmap_free(dom->draining);
	kfree(dom);
}

static const char *const vpri_uapi_policies[HPMM_VPRI_NR_POLICIES] = {
	[HPMM_VPRI_POLICY_NONE] = "none",
	[HPMM_VPRI_POLICY_ALL] = "all",
	[HPMM_VPRI_POLICY_LRU] = "lru",
	[HPMM_VPRI_POLICY_CLOCK] = "clock",
	[HPMM_VPRI_POLICY_ADP] = "adp",
	[HPMM_VPRI_POLICY_ARC] = "arc",
	[HPMM_VPRI_POLICY_RECLAIM] = "reclaim",
	[HPMM_VPRI_POLICY_HINT] = "hint",
	[HPMM_VPRI_POLICY_ADP_HINT] = "adp-hint",
	[HPMM_VPRI_POLICY_BPF] = "bpf",
};

/**
 * vpri_uapi_pin_policy() - the pin set's policy for a uapi value
 * @policy: HPMM_VPRI_POLICY_*
 *
 * Return: the enum vpri_policy_id, or -EINVAL when @policy is not one of
 * the pinned mode's.
 */
int vpri_uapi_pin_policy(u32 policy)
{
	if (policy <= HPMM_VPRI_POLICY_ARC)
		return policy;
	if (policy == HPMM_VPRI_POLICY_BPF)
		return VPRI_POLICY_BPF;
	return -EINVAL;
}

/**
 * vpri_uapi_policy_name() - the name of a policy by its uapi value
 * @policy: HPMM_VPRI_POLICY_*
 *
 * Return: the name, or "unknown".
 */
const char *vpri_uapi_policy_name(u32 policy)
{
	return policy < HPMM_VPRI_NR_POLICIES ? vpri_uapi_policies[policy] :
						 "unknown";
}

/* The protector of an on-demand domain with @policy, or -EINVAL. */
static int vpri_prot_of(u32 policy)
{
	switch (policy) {
	case HPMM_VPRI_POLICY_RECLAIM:
		return VPRI_PROT_RECLAIM;
	case HPMM_VPRI_POLICY_ADP:
		return VPRI_PROT_ADP;
	case HPMM_VPRI_POLICY_HINT:
		return VPRI_PROT_HINT;
	case HPMM_VPRI_POLICY_ADP_HINT:
		return VPRI_PROT_ADP_HINT;
	default:
		return -EINVAL;
	}
}

/**
 * vpri_policy_check() - is @policy one of the mode's, and its budget right?
 * @on_demand: the on-demand mode (else the pinned one)
 * @policy: HPMM_VPRI_POLICY_*
 * @nr_pages: pages in the range
 * @budget: in and out: the budget given; 0 for a policy without one
 *
 * Return: 0, -EINVAL, or -EOPNOTSUPP for "bpf" where the kernel cannot run
 * BPF struct_ops of a module.
 */
int vpri_policy_check(bool on_demand, u32 policy, u32 nr_pages, u32 *budget)
{
	bool needs;

	if (on_demand) {
		int id = vpri_prot_of(policy);

		if (id < 0)
			return -EINVAL;
		needs = vpri_prot_get(id)->needs_budget;
	} else {
		int id = vpri_uapi_pin_policy(policy);

		if (id < 0)
			return -EINVAL;
		needs = vpri_policy_get(id)->needs_budget;
	}
	if (!needs)
		*budget = 0;
	else if (*budget < 2 || *budget > nr_pages)
		return -EINVAL;
	/* A well-formed request the kernel cannot run. */
	if (!on_demand && policy == HPMM_VPRI_POLICY_BPF && !vpri_bpf_supported())
		return -EOPNOTSUPP;
	return 0;
}

static void vpri_reap_work(struct work_struct *work)
{
	struct vpri_domain *dom = container_of(work, struct vpri_domain,
					       reap_work);

	dom->mode->reap(dom);
	wake_up_all(&dom->reap_wq);
}

static int vpri_domain_alloc(struct vpri_domain **domp,
			     const struct vpri_domain_params *p)
{
	u32 nr_pages = p->length >> PAGE_SHIFT;
	struct vpri_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL_ACCOUNT);
	if (!dom)
		return -ENOMEM;
	dom->mode = p->on_demand ? &vpri_mode_odp : &vpri_mode_pin;
	dom->nr_pages = nr_pages;
	dom->uaddr = p->addr;
	init_rwsem(&dom->gate);
	mutex_init(&dom->lock);
	spin_lock_init(&dom->plock);
	INIT_WORK(&dom->reap_work, vpri_reap_work);
	init_waitqueue_head(&dom->reap_wq);
	init_waitqueue_head(&dom->idle_wq);
	ret = vpri_bitmap_init(&dom->bm, nr_pages);
	if (ret)
		goto err_free;
	if (p->on_demand)
		ret = vpri_prot_init(&dom->prot, vpri_prot_of(p->policy),
				     nr_pages, p->budget);
	else
		ret = vpri_pin_set_init(&dom->ps, &dom->bm,
					vpri_uapi_pin_policy(p->policy),
					nr_pages, p->budget);
	if (ret)
		goto err_bitmap;
	ret = -ENOMEM;
	dom->pages = kvcalloc(nr_pages, sizeof(*dom->pages), GFP_KERNEL_ACCOUNT);
	dom->busy = kvcalloc(nr_pages, sizeof(*dom->busy), GFP_KERNEL_ACCOUNT);
	dom->zombie = bitmap_zalloc(nr_pages, GFP_KERNEL_ACCOUNT);
	dom->suspect = bitmap_zalloc(nr_pages, GFP_KERNEL_ACCOUNT);
	if (!dom->pages || !dom->busy || !dom->zombie || !dom->suspect)
		goto err_arrays;
	if (p->on_demand) {
		dom->pinned = bitmap_zalloc(nr_pages, GFP_KERNEL_ACCOUNT);
		dom->draining = bitmap_zalloc(nr_pages, GFP_KERNEL_ACCOUNT);
		if (!dom->pinned || !dom->draining)
			goto err_arrays;
	}
	*domp = dom;
	return 0;

err_arrays:
	kvfree(dom->pages);
	kvfree(dom->busy);
	bitmap_free(dom->zombie);
	bitmap_free(dom->suspect);
	bitmap_free(dom->pinned);
	bitmap_free(dom->draining);
	if (p->on_demand)
		vpri_prot_fini(&dom->prot);
	else
		vpri_pin_set_fini(&dom->ps);
err_bitmap:
	vpri_bitmap_fini(&dom->bm);
err_free:
	kfree(dom);
	return ret;
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

/* Gives the device an IOMMU domain of its own. */
static int vpri_domain_attach(struct vpri_domain *dom, struct hpmm_dev *dev,
			      unsigned long length)
{
	int ret;

	dom->iodom = iommu_domain_alloc(&pci_bus_type);
	if (!dom->iodom) {
		pr_err_ratelimited("register: no IOMMU domain for %s\n",
				   dev->name);
		return -ENODEV;
	}
	if (dom->iodom->geometry.force_aperture &&
	    dom->iodom->geometry.aperture_end < length - 1) {
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
	dom->dev = dev;
	return 0;

err_claim:
	hpmm_dev_domain_release(dev);
err_iodom:
	iommu_domain_free(dom->iodom);
	dom->iodom = NULL;
	return ret;
}

static void vpri_domain_detach(struct vpri_domain *dom)
{
	vpri_detach(dom->iodom, dom->dev);
	hpmm_dev_domain_release(dom->dev);
	iommu_domain_free(dom->iodom);
}

/**
 * vpri_domain_create() - register a range of the calling process's memory
 * @hfile: the /dev/hpmm file that will own the domain; its lock is held
 * @p: the range and its policy, checked by the caller (ioctl.c)
 * @domp: out: the domain, live and published as an object of @hfile
 *
 * Nothing is pinned: pages come in on their first access.
 *
 * Return: 0, -EFAULT (a hole in the range), -EOPNOTSUPP (not private
 * anonymous memory), -ENODEV (no device or IOMMU domain), -EEXIST (overlaps a
 * domain), -EBUSY (the device serves another domain or the DMA API),
 * -EFBIG (beyond the IOMMU domain's aperture), -ENOSPC (the file owns too
 * many objects), -EINVAL (bad policy or budget) or -ENOMEM.
 */
int vpri_domain_create(struct hpmm_file *hfile,
		       const struct vpri_domain_params *p,
		       struct vpri_domain **domp)
{
	struct vpri_domain *dom;
	struct hpmm_dev *dev;
	int ret;

	ret = vpri_check_vmas(current->mm, p->addr, p->length);
	if (ret)
		return ret;
	dev = hpmm_dev_get(VPRI_DEV_INDEX);
	if (!dev) {
		pr_err_ratelimited("register: no edu device %u\n",
				   VPRI_DEV_INDEX);
		return -ENODEV;
	}
	mutex_lock(&vpri_mutex);
	ret = vpri_check_conflicts(current->mm, p->addr, p->length);
	if (ret)
		goto out_unlock;
	ret = vpri_domain_alloc(&dom, p);
	if (ret)
		goto out_unlock;
	/*
	 * The id first: the statistics are named by it and must exist before
	 * the notifier can fire. No command of @hfile can find the object
	 * before this one returns (the file's lock).
	 */
	ret = hpmm_object_add(hfile, &dom->obj, HPMM_OBJ_VPRI_DOMAIN);
	if (ret)
		goto err_domain;
	dom->ps.domain_id = dom->obj.id;
	if (!p->on_demand && dom->ps.id == VPRI_POLICY_BPF)
		dom->ps.choose = vpri_bpf_choose;
	dom->st = vpri_stats_create(dom->obj.id, p->policy, p->on_demand,
				    dom->nr_pages,
				    p->on_demand ? p->budget : dom->ps.budget);
	if (!dom->st) {
		ret = -ENOMEM;
		goto err_object;
	}
	ret = vpri_domain_attach(dom, dev, p->length);
	if (ret)
		goto err_stats;
	ret = mmu_interval_notifier_insert(&dom->notifier, current->mm,
					   p->addr, p->length, &vpri_mn_ops);
	if (ret)
		goto err_detach;
	if (p->on_demand) {
		ret = vpri_odp_young_register(dom, current->mm);
		if (ret)
			goto err_notifier;
	}

	mmgrab(current->mm);
	dom->mm = current->mm;
	dom->task = get_task_struct(current->group_leader);
	dom->lock_cap = capable(CAP_IPC_LOCK);
	dom->st->majflt_start = vpri_task_majflt(dom->task);
	vpri_stats_publish(dom->st, dom);
	list_add_tail(&dom->node, &vpri_domains);
	mutex_unlock(&vpri_mutex);
	pr_debug("domain %u: %u pages at %#lx, %s mode, policy %s, budget %u\n",
		 dom->obj.id, dom->nr_pages, p->addr, dom->mode->name,
		 vpri_uapi_policy_name(p->policy), p->budget);
	*domp = dom;
	return 0;

err_notifier:
	mmu_interval_notifier_remove(&dom->notifier);
err_detach:
	vpri_domain_detach(dom);
err_stats:
	vpri_stats_destroy(dom->st);
err_object:
	hpmm_object_remove(&dom->obj);
err_domain:
	vpri_domain_free(dom);
out_unlock:
	mutex_unlock(&vpri_mutex);
	return ret;
}

/* Tears down a domain already out of its file's objects. */
static void vpri_domain_teardown(struct vpri_domain *dom)
{
	mutex_lock(&vpri_mutex);
	list_del(&dom->node);
	mutex_unlock(&vpri_mutex);
	/* Wait for submitters; none can find the domain any more. */
	down_write(&dom->gate);
	up_write(&dom->gate);
	if (dom->mode->fault_first) {
		/*
		 * On-demand: its pages are not pinned, so unmap them while
		 * the notifier still covers them: none is freed while the
		 * IOMMU maps it. Then no invalidation finds anything left.
		 */
		dom->mode->teardown(dom);
		vpri_odp_young_unregister(dom);
		mmu_interval_notifier_remove(&dom->notifier);
		flush_work(&dom->reap_work);
	} else {
		mmu_interval_notifier_remove(&dom->notifier);
		dom->mode->teardown(dom);
	}
	vpri_domain_detach(dom);
	vpri_stats_retire(dom->st, dom);
	mmdrop(dom->mm);
	put_task_struct(dom->task);
	vpri_domain_free(dom);
}

/**
 * vpri_domain_destroy() - destroy a domain its file still owns
 * @dom: the domain; its file's lock is held
 *
 * Unpins and unmaps everything and gives the device back its default
 * domain, after the submitters that use the domain through other files
 * have finished.
 */
void vpri_domain_destroy(struct vpri_domain *dom)
{
	hpmm_object_remove(&dom->obj);
	vpri_domain_teardown(dom);
}

/* HPMM_IOCTL_DESTROY: never refused; waits for submitters. */
static int vpri_object_destroy(struct hpmm_object *obj)
{
	vpri_domain_teardown(container_of(obj, struct vpri_domain, obj));
	return 0;
}

/* The owning file is closed. */
static void vpri_object_release(struct hpmm_object *obj)
{
	vpri_domain_teardown(container_of(obj, struct vpri_domain, obj));
}

const struct hpmm_object_ops vpri_domain_object_ops = {
	.type = HPMM_OBJ_VPRI_DOMAIN,
	.destroy = vpri_object_destroy,
	.release = vpri_object_release,
};

/**
 * vpri_domain_get() - a live domain of the calling process, for commands
 * @id: the domain's id
 *
 * Any open file of the process that registered the domain may use it.
 * Until vpri_domain_put(), the domain cannot be torn down (its teardown
 * waits).
 *
 * Return: the domain, or NULL.
 */
struct vpri_domain *vpri_domain_get(u64 id)
{
	struct vpri_domain *dom, *found = NULL;

	mutex_lock(&vpri_mutex);
	list_for_each_entry(dom, &vpri_domains, node) {
		if (dom->obj.id == id && dom->mm == current->mm) {
			found = dom;
			down_read(&dom->gate);
			break;
		}
	}
	mutex_unlock(&vpri_mutex);
	return found;
}
EXPORT_SYMBOL_NS_GPL(vpri_domain_get, HPMM);

/**
 * vpri_domain_put() - done with a domain from vpri_domain_get()
 * @dom: the domain
 */
void vpri_domain_put(struct vpri_domain *dom)
{
	up_read(&dom->gate);
}
EXPORT_SYMBOL_NS_GPL(vpri_domain_put, HPMM);

/**
 * vpri_init() - start VPRI: fault queues, then debugfs vpri/
 * @root: hpmm's debugfs root
 *
 * Return: 0 or -ENOMEM.
 */
int vpri_init(struct dentry *root)
{
	int ret;

	atomic_long_set(&vpri_pinned_total, 0);
	ret = vpri_fault_init();
	if (ret)
		return ret;
	vpri_bpf_init(vpri_debugfs_init(root));
	return 0;
}

/**
 * vpri_exit() - stop VPRI
 *
 * Open files of /dev/hpmm hold the module, so no domain is left.
 */
void vpri_exit(void)
{
	WARN_ON(vpri_live_domains());
	vpri_debugfs_exit();
	vpri_stats_exit();
	vpri_fault_exit();
}
