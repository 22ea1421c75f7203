// SPDX-License-Identifier: GPL-2.0
/*
 * libhpmm-run.so: LD_PRELOAD library of tools/hpmm-run/hpmm-run. Puts the
 * large anonymous memory of an unmodified program on /dev/hpmm mappings with
 * MAGNET reservations (Documentation/magnet.rst).
 *
 * glibc's malloc calls mmap internally (not through the PLT), so two entry
 * points are interposed:
 *  - malloc/calloc/realloc/free/malloc_usable_size: an allocation of at
 *    least HPMM_RUN_MIN bytes (default 1 MiB) gets a mapping of its own,
 *    with a 64-byte header (magic, its own address, the size) in front;
 *    free() recognises it by the header and unmaps it. Everything else goes
 *    to glibc (__libc_malloc and friends). memalign and friends are not
 *    redirected.
 *  - mmap(addr without MAP_FIXED, len >= HPMM_RUN_MIN and <= 4 GiB,
 *    PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS [|MAP_NORESERVE]) made
 *    by the program itself.
 * Such memory is a MAP_SHARED mapping of /dev/hpmm at a 32 KiB boundary;
 * fresh pages are zero as anonymous ones are. On any failure the request
 * goes to glibc or the kernel unchanged.
 *
 * Differences a program could see: after fork, parent and child share the
 * redirected memory instead of copying it; MADV_DONTNEED does not zero it;
 * mremap cannot grow it (glibc's realloc then copies). Programs that rely
 * on these (and PROT_NONE reservations such as malloc arenas, which are not
 * redirected) should not be run under hpmm-run.
 *
 * HPMM_RUN_VERBOSE=1 prints how many mmaps were redirected at exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <uapi/hpmm-defrag.h>

#define GROUP_BYTES	(32UL << 10)
#define MAX_BYTES	(4UL << 30)
#define HDR		64UL
#define MAGIC		0x68706d6d6d61676eULL

static atomic_ulong redirected, fallbacks, allocs;
static size_t min_bytes = 1UL << 20;
static int verbose, report_fd = -1;

static void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);

	return (void *)r;
}

static int sys_munmap(void *addr, size_t len)
{
	return syscall(SYS_munmap, addr, len);
}

__attribute__((constructor)) static void hpmm_run_init(void)
{
	const char *s = getenv("HPMM_RUN_MIN");

	if (s && *s)
		min_bytes = strtoul(s, NULL, 0);
	s = getenv("HPMM_RUN_VERBOSE");
	verbose = s && *s == '1';
	/* The program may close stderr before our destructor runs. */
	if (verbose)
		report_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
}

__attribute__((destructor)) static void hpmm_run_fini(void)
{
	if (report_fd >= 0)
		dprintf(report_fd,
			"hpmm-run: %lu allocations and %lu mmaps on /dev/hpmm, %lu fell back\n",
			atomic_load(&allocs), atomic_load(&redirected),
			atomic_load(&fallbacks));
}

/* The hpmm mapping, or MAP_FAILED. */
static void *hpmm_map(size_t len, int prot)
{
	struct hpmm_defrag_map m = {
		.size = sizeof(m),
		.placement = HPMM_DEFRAG_PLACEMENT_MAGNET,
	};
	size_t span = len + GROUP_BYTES;
	uintptr_t base, at;
	void *area, *p;
	int fd, err;

	area = sys_mmap(NULL, span, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		return MAP_FAILED;
	base = (uintptr_t)area;
	at = (base + GROUP_BYTES - 1) & ~(GROUP_BYTES - 1);
	p = MAP_FAILED;
	fd = open("/dev/hpmm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		if (!ioctl(fd, HPMM_DEFRAG_IOCTL_MAP, &m))
			p = sys_mmap((void *)at, len, prot,
				     MAP_SHARED | MAP_FIXED, fd, 0);
		err = errno;
		close(fd);
		errno = err;
	}
	if (p == MAP_FAILED) {
		sys_munmap(area, span);
		return MAP_FAILED;
	}
	if (at > base)
		sys_munmap(area, at - base);
	if (base + span > at + len)
		sys_munmap((void *)(at + len), base + span - (at + len));
	return p;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int saved = errno;
	void *p;

	if (!addr && fd == -1 && len >= min_bytes && len <= MAX_BYTES &&
	    prot == (PROT_READ | PROT_WRITE) &&
	    (flags & ~MAP_NORESERVE) == (MAP_PRIVATE | MAP_ANONYMOUS)) {
		p = hpmm_map((len + 4095) & ~4095UL, prot);
		if (p != MAP_FAILED) {
			atomic_fetch_add(&redirected, 1);
			errno = saved;
			return p;
		}
		atomic_fetch_add(&fallbacks, 1);
		errno = saved;
	}
	return sys_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

/* ---- malloc ---------------------------------------------------------- */

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);
size_t __malloc_usable_size(void *p) __attribute__((weak));

/**
 * struct hdr - in front of a redirected allocation (HDR bytes)
 * @magic: MAGIC
 * @self: the header's own address
 * @len: bytes mapped, header included
 * @size: bytes asked for
 */
struct hdr {
	uint64_t magic;
	struct hdr *self;
	size_t len;
	size_t size;
};

static struct hdr *ours(void *p)
{
	struct hdr *h;

	/* Ours sit HDR bytes past a 32 KiB boundary; glibc's never do
	 * with a matching header.
	 */
	if (!p || ((uintptr_t)p & (GROUP_BYTES - 1)) != HDR)
		return NULL;
	h = (struct hdr *)((char *)p - HDR);
	return h->magic == MAGIC && h->self == h ? h : NULL;
}

static void *big_alloc(size_t size)
{
	size_t len;
	struct hdr *h;

	if (size < min_bytes || size > MAX_BYTES - HDR - 4096)
		return NULL;
	len = (size + HDR + 4095) & ~4095UL;
	h = hpmm_map(len, PROT_READ | PROT_WRITE);
	if (h == MAP_FAILED) {
		atomic_fetch_add(&fallbacks, 1);
		return NULL;
	}
	h->magic = MAGIC;
	h->self = h;
	h->len = len;
	h->size = size;
	atomic_fetch_add(&allocs, 1);
	return (char *)h + HDR;
}

void *malloc(size_t size)
{
	int saved = errno;
	void *p = big_alloc(size);

	if (p)
		return p;
	errno = saved;
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	int saved = errno;
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total))
		return __libc_calloc(n, size);
	p = big_alloc(total);
	if (p)
		return p; /* fresh mappings are zero */
	errno = saved;
	return __libc_calloc(n, size);
}

void free(void *p)
{
	struct hdr *h = ours(p);

	if (h) {
		h->magic = 0;
		sys_munmap(h, h->len);
		return;
	}
	__libc_free(p);
}

void *realloc(void *p, size_t size)
{
	struct hdr *h = ours(p);
	void *q;

	if (!h) {
		if (!p || size < min_bytes)
			return __libc_realloc(p, size);
		q = big_alloc(size);
		if (!q)
			return __libc_realloc(p, size);
		memcpy(q, p, __malloc_usable_size ?
		       (size < __malloc_usable_size(p) ? size :
			__malloc_usable_size(p)) : size);
		__libc_free(p);
		return q;
	}
	if (!size) {
		free(p);
		return NULL;
	}
	if (size <= h->len - HDR) {
		h->size = size;
		return p;
	}
	q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, h->size);
	free(p);
	return q;
}

size_t malloc_usable_size(void *p)
{
	struct hdr *h = ours(p);

	if (h)
		return h->len - HDR;
	return __malloc_usable_size ? __malloc_usable_size(p) : 0;
}
