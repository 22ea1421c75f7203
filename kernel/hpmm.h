/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hpmm: module-wide declarations shared by every component.
 *
 * A component (hpa, defrag, vpri) is a folder under kernel/ with an init
 * function that creates its state and its debugfs directory under the root
 * passed in and an exit function that undoes it; main.c calls them in order
 * and unwinds in reverse. The DMA devices (kernel/dev/) come before them.
 */
#ifndef _HPMM_HPMM_H
#define _HPMM_HPMM_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "command.h"

struct dentry;
struct hpmm_file;
struct hpmm_object_ops;
struct hpmm_ucmd;
struct mutex;
struct vm_area_struct;

#define HPMM_VERSION_STRING "0.1.0"

/**
 * struct hpmm_live_counters - objects hpmm holds right now, module-wide
 * @pages: pages allocated by hpmm and not yet freed
 * @dma_mappings: DMA-API or IOMMU mappings made by hpmm and not yet unmapped
 *
 * Every component counts what it allocates and maps here, so that a test can
 * prove that a sequence gave everything back: both are 0 when nothing is
 * live. Shown in debugfs "status".
 */
struct hpmm_live_counters {
	atomic_long_t pages;
	atomic_long_t dma_mappings;
};

extern struct hpmm_live_counters hpmm_live;

/**
 * enum hpmm_component_id - the components, in init order
 * @HPMM_COMP_HPA: hugepage-backed page pool (kernel/hpa/)
 * @HPMM_COMP_DEFRAG: two-half block allocator (kernel/defrag/), with its
 *	MAGNET placement policy
 * @HPMM_COMP_VPRI: I/O page-fault pinning (kernel/vpri/)
 * @HPMM_NR_COMPONENTS: how many there can be
 */
enum hpmm_component_id {
	HPMM_COMP_HPA,
	HPMM_COMP_DEFRAG,
	HPMM_COMP_VPRI,
	HPMM_NR_COMPONENTS,
};

/**
 * struct hpmm_ioctl_op - one ioctl command
 * @size: the kernel's size of the command struct
 * @min_size: the smallest struct a user may pass (the first version's)
 * @execute: runs the command on ucmd->cmd; the file's lock is held
 */
struct hpmm_ioctl_op {
	size_t size;
	size_t min_size;
	int (*execute)(struct hpmm_ucmd *ucmd);
};

#define HPMM_IOCTL_OP(_nr, _struct, _last, _fn)				\
	[_nr] = {							\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.execute = _fn,						\
	}

/**
 * struct hpmm_component - what a component gives main.c and /dev/hpmm
 * @name: short name, also its debugfs directory and uapi prefix
 * @id: its slot in struct hpmm_file's @priv
 * @abi_bit: its HPMM_COMPONENT_* bit in struct hpmm_version
 * @init: creates its state and debugfs directory under @root
 * @exit: tears everything down; called only after a successful @init
 * @ioctl_base: the first ioctl number it owns (HPMM_CMD_*_BASE)
 * @ioctl_ops: its commands, indexed by number - @ioctl_base
 * @nr_ioctl_ops: how many entries @ioctl_ops has
 * @object_ops: the types of object users create with its commands
 * @nr_object_ops: how many entries @object_ops has
 * @release: gives back what an open file of /dev/hpmm holds (may be NULL);
 *	the file's objects were destroyed before
 * @mmap: maps hpmm memory into a process (at most one component has it)
 *
 * A component is compiled in when its CONFIG_HPMM_<NAME> is y (Kbuild);
 * main.c then lists it.
 */
struct hpmm_component {
	const char *name;
	enum hpmm_component_id id;
	u64 abi_bit;
	int (*init)(struct dentry *root);
	void (*exit)(void);
	unsigned int ioctl_base;
	const struct hpmm_ioctl_op *ioctl_ops;
	unsigned int nr_ioctl_ops;
	const struct hpmm_object_ops *object_ops;
	unsigned int nr_object_ops;
	void (*release)(struct hpmm_file *hfile);
	int (*mmap)(struct hpmm_file *hfile, struct vm_area_struct *vma);
};

extern const struct hpmm_component hpmm_hpa_component;
extern const struct hpmm_component hpmm_defrag_component;
extern const struct hpmm_component hpmm_vpri_component;

/* The components built in, in init order, and how many. */
extern const struct hpmm_component *const hpmm_components[];
extern const unsigned int hpmm_nr_components;

/*
 * Pause and resume fail-nth injection (CONFIG_FAULT_INJECTION) around a call
 * into other kernel code whose error paths are known to be broken, so that
 * the fail-nth sweeps keep testing hpmm's own unwinding. Each use says why.
 */
#ifdef CONFIG_FAULT_INJECTION
static inline unsigned int hpmm_fail_nth_pause(void)
{
	unsigned int n = current->fail_nth;

	current->fail_nth = 0;
	return n;
}

static inline void hpmm_fail_nth_resume(unsigned int n)
{
	current->fail_nth = n;
}
#else
static inline unsigned int hpmm_fail_nth_pause(void) { return 0; }
static inline void hpmm_fail_nth_resume(unsigned int n) { }
#endif

/* debugfs control files: kernel/debugfs.c */

/**
 * struct hpmm_dbg_verb - one command a control file accepts
 * @name: its first word; NULL ends a table
 * @min_args: fewest words, the name included
 * @max_args: most words, the name included
 * @run: runs it with the control's @priv; 0 or a negative errno
 */
struct hpmm_dbg_verb {
	const char *name;
	int min_args;
	int max_args;
	int (*run)(void *priv, struct hpmm_cmd *cmd);
};

/**
 * struct hpmm_dbg_control - what a control file does with a write
 * @verbs: its commands, ended by an entry with a NULL name
 * @lock: taken (killable) around every command, or NULL
 * @priv: passed to every command
 */
struct hpmm_dbg_control {
	const struct hpmm_dbg_verb *verbs;
	struct mutex *lock; /* the command's own, or NULL */
	void *priv;
};

struct dentry *hpmm_dbg_create_control(const char *name, struct dentry *parent,
				       const struct hpmm_dbg_control *ctl);

#endif /* _HPMM_HPMM_H */
