/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory-management differences between the kernels hpmm builds against
 * (Debian's 6.1 and 6.12). The newer kernel's names, provided for the older
 * one as the backports project does; keyed on the feature where it is a
 * macro, else on LINUX_VERSION_CODE.
 *
 *   MAX_PAGE_ORDER   the largest order the buddy allocator hands out:
 *                    6.8's name; 6.4-6.7 called it MAX_ORDER, before 6.4
 *                    MAX_ORDER was one more (exclusive)
 *   vm_flags_set()   6.3: vma->vm_flags became read-only
 *   hpmm_kvrealloc() kvrealloc() lost its old-size argument in 6.12
 *   hpmm_page_mapcount()
 *                    page_mapcount() is gone in 6.12, where folio_mapcount()
 *                    is inline; 6.1 does not export folio_mapcount()
 *   hpmm_pin_user_pages_remote()
 *                    pin_user_pages_remote() lost its vmas argument in 6.5
 *   hpmm_memcg_kmem_online()
 *                    memcg_kmem_enabled() became memcg_kmem_online() in 6.4
 */
#ifndef _HPMM_COMPAT_MM_H
#define _HPMM_COMPAT_MM_H

#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/version.h>

#ifndef MAX_PAGE_ORDER
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MAX_PAGE_ORDER MAX_ORDER
#else
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#endif
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define hpmm_page_mapcount(page) folio_mapcount(page_folio(page))
#else
#define hpmm_page_mapcount(page) page_mapcount(page)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define hpmm_kvrealloc(p, oldsize, newsize, gfp) kvrealloc(p, newsize, gfp)
#else
#define hpmm_kvrealloc(p, oldsize, newsize, gfp) \
	kvrealloc(p, oldsize, newsize, gfp)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define hpmm_pin_user_pages_remote(mm, start, nr, flags, pages, locked) \
	pin_user_pages_remote(mm, start, nr, flags, pages, locked)
#else
#define hpmm_pin_user_pages_remote(mm, start, nr, flags, pages, locked) \
	pin_user_pages_remote(mm, start, nr, flags, pages, NULL, locked)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define hpmm_memcg_kmem_online() memcg_kmem_online()
#else
#define hpmm_memcg_kmem_online() memcg_kmem_enabled()
#endif

#endif /* _HPMM_COMPAT_MM_H */
