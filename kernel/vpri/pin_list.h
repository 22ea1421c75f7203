/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Doubly linked lists of page indexes kept in two u32 arrays (next and prev,
 * one slot per page), so that a policy never allocates after init and a
 * page is in at most one list of a given link array. Head is the most
 * recent end, tail the oldest. Pure logic.
 */
#ifndef _HPMM_VPRI_PIN_LIST_H
#define _HPMM_VPRI_PIN_LIST_H

#include <linux/errno.h>
#include <linux/slab.h>

#include "pa_bitmap.h"

/**
 * struct vpri_pin_links - the link arrays shared by a policy's lists
 * @next: towards the tail (older); VPRI_NO_PAGE at the tail
 * @prev: towards the head (newer); VPRI_NO_PAGE at the head
 */
struct vpri_pin_links {
	u32 *next;
	u32 *prev;
};

/**
 * struct vpri_pin_list - one list
 * @head: newest page or VPRI_NO_PAGE
 * @tail: oldest page or VPRI_NO_PAGE
 * @count: pages in the list
 */
struct vpri_pin_list {
	u32 head;
	u32 tail;
	u32 count;
};

static inline int vpri_pin_links_init(struct vpri_pin_links *l, u32 nr_pages)
{
	l->next = kvcalloc(nr_pages, sizeof(u32), GFP_KERNEL_ACCOUNT);
	l->prev = kvcalloc(nr_pages, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!l->next || !l->prev) {
		kvfree(l->next);
		kvfree(l->prev);
		l->next = NULL;
		l->prev = NULL;
		return -ENOMEM;
	}
	return 0;
}

static inline void vpri_pin_links_fini(struct vpri_pin_links *l)
{
	kvfree(l->next);
	kvfree(l->prev);
	l->next = NULL;
	l->prev = NULL;
}

static inline void vpri_pin_list_init(struct vpri_pin_list *pl)
{
	pl->head = VPRI_NO_PAGE;
	pl->tail = VPRI_NO_PAGE;
	pl->count = 0;
}

static inline void vpri_pin_list_push_head(struct vpri_pin_list *pl,
					   struct vpri_pin_links *l, u32 page)
{
	l->prev[page] = VPRI_NO_PAGE;
	l->next[page] = pl->head;
	if (pl->head != VPRI_NO_PAGE)
		l->prev[pl->head] = page;
	else
		pl->tail = page;
	pl->head = page;
	pl->count++;
}

static inline void vpri_pin_list_del(struct vpri_pin_list *pl, struct vpri_pin_links *l,
				     u32 page)
{
	u32 n = l->next[page], p = l->prev[page];

	if (p != VPRI_NO_PAGE)
		l->next[p] = n;
	else
		pl->head = n;
	if (n != VPRI_NO_PAGE)
		l->prev[n] = p;
	else
		pl->tail = p;
	pl->count--;
}

/* Inserts @page just before @pos (on the head side); at the tail if none. */
static inline void vpri_pin_list_insert_before(struct vpri_pin_list *pl,
					       struct vpri_pin_links *l, u32 pos,
					       u32 page)
{
	u32 p;

	if (pos == VPRI_NO_PAGE) {
		/* Append at the tail. */
		l->next[page] = VPRI_NO_PAGE;
		l->prev[page] = pl->tail;
		if (pl->tail != VPRI_NO_PAGE)
			l->next[pl->tail] = page;
		else
			pl->head = page;
		pl->tail = page;
		pl->count++;
		return;
	}
	p = l->prev[pos];
	l->prev[page] = p;
	l->next[page] = pos;
	l->prev[pos] = page;
	if (p != VPRI_NO_PAGE)
		l->next[p] = page;
	else
		pl->head = page;
	pl->count++;
}

/*
 * The oldest page of @pl that @claim takes (pin_set.h's vpri_claim_fn: it
 * refuses a page an access is using), still in the list; or VPRI_NO_PAGE.
 */
static inline u32 vpri_pin_list_claim_oldest(const struct vpri_pin_list *pl,
					     const struct vpri_pin_links *l,
					     bool (*claim)(void *ctx, u32 page),
					     void *ctx)
{
	u32 p;

	for (p = pl->tail; p != VPRI_NO_PAGE; p = l->prev[p])
		if (claim(ctx, p))
			return p;
	return VPRI_NO_PAGE;
}

#endif /* _HPMM_VPRI_PIN_LIST_H */
