/* SPDX-License-Identifier: GPL-2.0 */
/* Host layer: <linux/string.h>, libc's string functions (strsep is glibc's). */
#ifndef _HPMM_HOST_LINUX_STRING_H
#define _HPMM_HOST_LINUX_STRING_H

#include <string.h>

#endif /* _HPMM_HOST_LINUX_STRING_H */
