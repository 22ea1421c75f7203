// SPDX-License-Identifier: GPL-2.0
/*
 * "hint": pin nothing, tell the kernel's LRU what the device uses.
 *
 * The kernel reclaims the pages its LRU thinks are cold, and its LRU sees
 * only CPU accesses (the accessed bits of the process's page tables): a
 * buffer the device uses all the time looks idle and is reclaimed, and the
 * device faults on it at its next use. Every scan, each mapped page the
 * device accessed since the last scan (its PA-BITMAP accessed bit) is
 * reported with mark_page_accessed(), as a read() of a page-cache page is:
 * a page reported twice is moved to the active list, so reclaim takes
 * the pages neither the CPU nor the device used lately. Nothing is pinned,
 * so no memory is taken from the process and reclaim keeps every choice.
 *
 * None of the references does this: VPRI pins, coIOMMU pins, the VFIO
 * IOPF series faults on demand only. Pure logic.
 */
#include "../protect.h"

/**
 * struct vpri_phint - hint state
 * @used: each page's accessed bit of the current scan
 */
struct vpri_phint {
	u8 *used;
};

static int vpri_phint_init(struct vpri_prot *p)
{
	struct vpri_phint *h = kvcalloc(1, sizeof(*h), GFP_KERNEL_ACCOUNT);

	if (!h)
		return -ENOMEM;
	h->used = kvcalloc(p->nr_pages, sizeof(u8), GFP_KERNEL_ACCOUNT);
	if (!h->used) {
		kvfree(h);
		return -ENOMEM;
	}
	p->priv = h;
	return 0;
}

static void vpri_phint_fini(struct vpri_prot *p)
{
	struct vpri_phint *h = p->priv;

	kvfree(h->used);
	kvfree(h);
}

static void vpri_phint_observe(struct vpri_prot *p, u32 page, bool accessed,
			       bool pinned)
{
	struct vpri_phint *h = p->priv;

	h->used[page] = accessed;
}

static unsigned int vpri_phint_act(struct vpri_prot *p, u32 page, bool pinned)
{
	struct vpri_phint *h = p->priv;

	return h->used[page] ? VPRI_PROT_MARK : 0;
}

const struct vpri_prot_ops vpri_prot_hint = {
	.name = "hint",
	.scans = true,
	.init = vpri_phint_init,
	.fini = vpri_phint_fini,
	.observe = vpri_phint_observe,
	.act = vpri_phint_act,
};
