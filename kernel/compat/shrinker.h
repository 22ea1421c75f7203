/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinker registration on the kernels hpmm builds against (Debian's 6.1
 * and 6.12), keyed on LINUX_VERSION_CODE (no feature macro exists).
 *
 * 6.7 replaced register_shrinker() of a caller-owned struct shrinker with
 * shrinker_alloc() + shrinker_register() (and shrinker_free()). A user
 * describes its shrinker in a struct hpmm_shrinker and registers that:
 * before 6.7 the struct shrinker is embedded in it, from 6.7 the kernel
 * allocates it.
 */
#ifndef _HPMM_COMPAT_SHRINKER_H
#define _HPMM_COMPAT_SHRINKER_H

#include <linux/errno.h>
#include <linux/shrinker.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define HPMM_HAVE_SHRINKER_ALLOC 1
#endif

/**
 * struct hpmm_shrinker - a shrinker, registered the same way on both kernels
 * @count_objects: as struct shrinker's
 * @scan_objects: as struct shrinker's
 * @seeks: as struct shrinker's
 * @shrinker: the registered shrinker (embedded before 6.7, allocated from)
 */
struct hpmm_shrinker {
	unsigned long (*count_objects)(struct shrinker *s,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s,
				      struct shrink_control *sc);
	int seeks;
#ifdef HPMM_HAVE_SHRINKER_ALLOC
	struct shrinker *shrinker;
#else
	struct shrinker shrinker;
#endif
};

/**
 * hpmm_shrinker_register() - register a shrinker
 * @hs: its description; the registered shrinker is kept in it
 * @name: its name (in debugfs's shrinker/ folder)
 *
 * Return: 0 or a negative errno.
 */
static inline int hpmm_shrinker_register(struct hpmm_shrinker *hs,
					 const char *name)
{
#ifdef HPMM_HAVE_SHRINKER_ALLOC
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return -ENOMEM;
	s->count_objects = hs->count_objects;
	s->scan_objects = hs->scan_objects;
	s->seeks = hs->seeks;
	hs->shrinker = s;
	shrinker_register(s);
	return 0;
#else
	hs->shrinker.count_objects = hs->count_objects;
	hs->shrinker.scan_objects = hs->scan_objects;
	hs->shrinker.seeks = hs->seeks;
	return register_shrinker(&hs->shrinker, "%s", name);
#endif
}

/**
 * hpmm_shrinker_unregister() - unregister what hpmm_shrinker_register() did
 * @hs: its description
 */
static inline void hpmm_shrinker_unregister(struct hpmm_shrinker *hs)
{
#ifdef HPMM_HAVE_SHRINKER_ALLOC
	shrinker_free(hs->shrinker);
	hs->shrinker = NULL;
#else
	unregister_shrinker(&hs->shrinker);
#endif
}

#endif /* _HPMM_COMPAT_SHRINKER_H */
