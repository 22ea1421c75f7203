// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line part of the host layer: what the pure kernel files call
 * that is a function in the kernel (lib/kstrtox.c, lib/sort.c).
 */
#include <stdlib.h>

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sort.h>

/*
 * Base 0: "0x" or "0X" for hex, a leading "0" for octal, else decimal. No
 * sign, no blanks; one trailing newline allowed. -EINVAL for anything else,
 * -ERANGE on overflow.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p = s;
	size_t digits = 0;

	if (base == 0 || base == 16) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
		    ((p[2] >= '0' && p[2] <= '9') ||
		     (p[2] >= 'a' && p[2] <= 'f') ||
		     (p[2] >= 'A' && p[2] <= 'F'))) {
			base = 16;
			p += 2;
		} else if (base == 0) {
			base = p[0] == '0' ? 8 : 10;
		}
	}
	for (;; p++, digits++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (d >= base)
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = v;
	return 0;
}

/* The kernel's sort() is a heapsort; callers must not rely on the order of
 * equal elements, so libc's qsort() serves. @swap_func is not needed.
 */
void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func)
{
	(void)swap_func;
	qsort(base, num, size, cmp_func);
}
