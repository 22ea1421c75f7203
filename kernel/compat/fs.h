/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFS differences between the kernels hpmm builds against (Debian's 6.1 and
 * 6.12): the names of the newer kernel, defined for the older one, as the
 * backports project does. Keyed on the feature where it is a macro.
 *
 *   no_llseek        a macro for NULL on 6.1, gone in 6.12 (NULL is the
 *                    default: no llseek)
 *   fd_file()        6.12 (struct fd became one word); 6.1 has f.file
 *   file_mnt_idmap() 6.3 (idmapped mounts take a struct mnt_idmap); 6.1's
 *                    inode_permission() takes the user namespace
 */
#ifndef _HPMM_COMPAT_FS_H
#define _HPMM_COMPAT_FS_H

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/version.h>

#ifndef no_llseek
#define no_llseek NULL
#endif

#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define file_mnt_idmap(file) file_mnt_user_ns(file)
#endif

#endif /* _HPMM_COMPAT_FS_H */
