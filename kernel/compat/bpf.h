/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF struct_ops defined by a module, keyed on the feature: 6.9 added
 * register_bpf_struct_ops() (a macro in <linux/bpf.h>, a stub without
 * CONFIG_BPF_JIT and CONFIG_BPF_SYSCALL). Debian's 6.1 has none, its 6.12
 * has it with CONFIG_DEBUG_INFO_BTF_MODULES, which it needs.
 */
#ifndef _HPMM_COMPAT_BPF_H
#define _HPMM_COMPAT_BPF_H

#include <linux/bpf.h>

#if defined(register_bpf_struct_ops) && IS_ENABLED(CONFIG_BPF_JIT) && \
	IS_ENABLED(CONFIG_BPF_SYSCALL) && \
	IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)
#define HPMM_HAVE_BPF_STRUCT_OPS 1
#endif

#endif /* _HPMM_COMPAT_BPF_H */
