// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded fuzzer for every hpmm debugfs control file and every ioctl.
 *
 * Each control file is described by the commands it understands, written
 * as templates whose placeholders the fuzzer fills with boundary and random
 * values; the fuzzer then also mangles them (words dropped, repeated or
 * swapped, random bytes, embedded NULs, huge writes) and writes them from
 * bad addresses and from several threads at once. Every write must return
 * success or one of the errors the file documents; afterwards the
 * interface's cleanup commands run, its counters must add up and hpmm must
 * hold no page and no mapping. The ioctl fuzzer tries every command number
 * with every interesting size, pointer and content.
 *
 * A component joins by adding a struct fuzz_ctl to fuzz_ctls[] (and its
 * ioctl numbers to the range in fuzz_ioctl). The seed is printed, and
 * HPMM_FUZZ_SEED and HPMM_FUZZ_ITERS reproduce or lengthen a run.
 *
 * The work is bounded, the time too: a machine loaded by other guests (or
 * the debug kernel) must not turn the harness's timeout into a failure.
 * Each control file gets an equal share of FUZZ_BUDGET_S seconds; a pass
 * that reaches the end of its share stops early and says how far it got
 * (never silently: the count of inputs is printed per file).
 *
 * stalled_writer: a writer stalled in copy_from_user() (on a userfaultfd
 * page) must hold nothing that other writers of the same file need.
 */
#include <pthread.h>
#include <glob.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "hpmm_nic.h"
#include "hpmm_test.h"
#include "kselftest_harness.h"

#include <uapi/hpmm.h>
#include <uapi/hpmm-vpri.h>

/**
 * struct fuzz_ctl - one kind of control file
 * @glob: path under debugfs (hpmm/ or hpmm_test/), shell-glob style
 * @templates: commands; {B} backend, {N} number (boundaries included),
 *	{n} a small number (for step counts that set the run time), {X} hex
 *	address, {W} word, {S} a name from a small set (so objects collide)
 * @ok_errnos: the errors the file may return (0-terminated)
 * @cleanup_glob: objects the run may have made, one per directory entry
 *	(mangled commands make names of their own)
 * @cleanup_fmt: the command that destroys one of them, by name
 * @cleanup: commands written after the run (failures ignored)
 * @check: invariants of the file's object after the run
 * @slow_word: a {B} value to use rarely (the edu device: 100 ms a DMA)
 * @reset_glob: for a file whose errors stick (a malformed trace is
 *	refused until reset), a control file written @reset_cmd every
 *	FUZZ_RESET_EVERY inputs, so that the file keeps being fuzzed
 * @reset_cmd: that command
 */
struct fuzz_ctl {
	const char *glob;
	const char *const *templates;
	const int *ok_errnos;
	const char *cleanup_glob;
	const char *cleanup_fmt;
	const char *const *cleanup;
	void (*check)(struct __test_metadata *_metadata, const char *path);
	const char *slow_word;
	const char *reset_glob;
	const char *reset_cmd;
};

#define FUZZ_RESET_EVERY 20
/* Of control_files' 900 s harness timeout, what the inputs may take. */
#define FUZZ_BUDGET_S 600

/* CLOCK_MONOTONIC seconds after which a pass stops; 0: no limit. */
static double fuzz_until;

static double fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- hpmm_test/dev/<bdf>/control --- */

static const char *const dev_templates[] = {
	"roundtrip {B} {N}",
	"fault {B} {X}",
	"fault cpu {N}",
	"roundtrip cpu {N}",
	NULL,
};

static const int dev_errnos[] = { EINVAL, EFAULT, EEXIST, EOPNOTSUPP, 0 };

static void dev_check(struct __test_metadata *_metadata, const char *path)
{
	char bdf[HPMM_NAME_LEN], *slash, info[HPMM_FILE_MAX];
	struct hpmm_stats st;
	long long broken;

	/* path is .../hpmm_test/dev/<bdf>/control */
	hpmm_strscpy(bdf, path + strlen(HPMM_TEST_DBG_DEV) + 1, sizeof(bdf));
	slash = strchr(bdf, '/');
	if (slash)
		*slash = '\0';
	ASSERT_EQ(0, hpmm_read_stats(bdf, &st));
	EXPECT_EQ(st.v[HPMM_ST_DMA_OPS],
		  st.v[HPMM_ST_CPU_OPS] + st.v[HPMM_ST_EDU_OPS]);
	EXPECT_EQ(st.v[HPMM_ST_DMA_OPS],
		  st.v[HPMM_ST_TO_DEVICE] + st.v[HPMM_ST_FROM_DEVICE]);
	EXPECT_LE(st.v[HPMM_ST_DMA_OPS], st.v[HPMM_ST_DMA_BYTES]);
	ASSERT_LE(0, hpmm_read_filef(info, sizeof(info), HPMM_DBG_DEV "/%s/info",
				     bdf));
	ASSERT_EQ(0, hpmm_kv_ll(info, "broken", &broken));
	EXPECT_EQ(0, broken);
}

/* --- hpmm_test/hpa/control (Documentation/hpa.rst) --- */

static const char *const hpa_templates[] = {
	"create {S} hpa",
	"create {S} pp",
	"create {S} hpa ring={n} cache={n} order={n} backup={n}",
	"create {S} {W} desc={N}",
	"destroy {S}",
	"destroy {S} detach={N}",
	"run {S} {n} backend=cpu len={N}",
	"run {S} {n} backend=cpu leak_ppm={N} leak_steps={n}",
	"run {S} {n} ring_ppm={N} hold_ppm={N}",
	"scan {S}",
	"stress {S} {n}",
	"check dev={n}",
	"check dev={n} detach={N}",
	"{W} {S}",
	NULL,
};

static const int hpa_errnos[] = {
	EEXIST, ENOENT, EBUSY, ENODEV, EFAULT, ENOMEM, ERANGE, E2BIG,
	EOPNOTSUPP, 0
};

static const char *const hpa_cleanup[] = {
	"destroy a", "destroy b", "destroy fuzz0", "destroy fuzz1", NULL,
};

/* --- defrag/control (Documentation/defrag.rst): groups are ioctls' --- */

static const char *const defrag_templates[] = {
	"compact {S}",
	"compact {S} {n}",
	"compact default {n}",
	"drain {S}",
	"drain default",
	"{W} {S} {N}",
	NULL,
};

static const int defrag_errnos[] = { ENOENT, 0 };

static const char *const defrag_cleanup[] = { "drain default", NULL };

/* --- hpmm_test/defrag/control: the refusal checks --- */

static const char *const defrag_test_templates[] = {
	"check",
	"check {W}",
	"{W}",
	NULL,
};

static const int defrag_test_errnos[] = { ENOMEM, 0 };

/* --- hpmm_test/defrag/replay/{trace,control}: the trace replay --- */

static const char *const replay_trace_templates[] = {
	"a {n} 0 0 m\n",
	"f {n} 0 0 m\n",
	"a {n} {n} {n} u\na {n} 0 {n} r\n",
	"a {N} 0 0 {W}",
	"# {W}\n",
	"{W} {N}\n",
	NULL,
};

/* A malformed trace stays refused (EINVAL) until "reset". */
static const int replay_trace_errnos[] = { E2BIG, ENOMEM, 0 };

static const char *const replay_control_templates[] = {
	"reset",
	"run order0 pairs={n}",
	"run grouping headroom={n} pairs={n}",
	"run firstfit kernel pairs={n}",
	"run bpf headroom={n}",
	"run {W} pairs={n}",
	"{W} {N}",
	NULL,
};

/*
 * No trace or a bad one (ENODATA, EINVAL), a carried line too long; "bpf"
 * on a kernel without BPF policies (EOPNOTSUPP).
 */
static const int replay_control_errnos[] = { ENODATA, ENOMEM, E2BIG,
					     EOPNOTSUPP, 0 };

static const char *const replay_control_cleanup[] = { "reset", NULL };

/* --- vpri/control (Documentation/vpri.rst) --- */

static const char *const vpri_templates[] = {
	"forget",
	"{W} {N}",
	NULL,
};

static const int vpri_errnos[] = { 0 };

/* --- hpmm_test/vpri/control: the PA-BITMAP micro-benchmark --- */

static const char *const vpri_test_templates[] = {
	"bench {n} {n}",
	"{W} {N}",
	NULL,
};

static const int vpri_test_errnos[] = { ENOMEM, ERANGE, 0 };

/* --- magnet/control (Documentation/magnet.rst) --- */

static const char *const magnet_templates[] = {
	"shrink {N}",
	"shrink {n}",
	"reset_peak",
	"{W} {N}",
	NULL,
};

static const int magnet_errnos[] = { ENOMEM, 0 };

static const struct fuzz_ctl fuzz_ctls[] = {
	{
		.glob = "hpmm_test/dev/*/control",
		.templates = dev_templates,
		.ok_errnos = dev_errnos,
		.check = dev_check,
		.slow_word = "edu",
	},
	{
		.glob = "hpmm_test/hpa/control",
		.templates = hpa_templates,
		.ok_errnos = hpa_errnos,
		.cleanup_glob = "hpmm_test/hpa/pools/*",
		.cleanup_fmt = "destroy %s",
		.cleanup = hpa_cleanup,
	},
	{
		.glob = "hpmm/defrag/control",
		.templates = defrag_templates,
		.ok_errnos = defrag_errnos,
		.cleanup = defrag_cleanup,
	},
	{
		.glob = "hpmm_test/defrag/control",
		.templates = defrag_test_templates,
		.ok_errnos = defrag_test_errnos,
	},
	{
		.glob = "hpmm_test/defrag/replay/trace",
		.templates = replay_trace_templates,
		.ok_errnos = replay_trace_errnos,
		.reset_glob = "hpmm_test/defrag/replay/control",
		.reset_cmd = "reset",
	},
	{
		.glob = "hpmm_test/defrag/replay/control",
		.templates = replay_control_templates,
		.ok_errnos = replay_control_errnos,
		.cleanup = replay_control_cleanup,
	},
	{
		.glob = "hpmm/vpri/control",
		.templates = vpri_templates,
		.ok_errnos = vpri_errnos,
	},
	{
		.glob = "hpmm_test/vpri/control",
		.templates = vpri_test_templates,
		.ok_errnos = vpri_test_errnos,
	},
	{
		.glob = "hpmm/magnet/control",
		.templates = magnet_templates,
		.ok_errnos = magnet_errnos,
	},
};

/* --- value generation --- */

static unsigned int fuzz_rand(unsigned int *seed)
{
	return rand_r(seed);
}

static const char *const boundary_numbers[] = {
	"0", "1", "2", "7", "8", "63", "64", "511", "512", "4095", "4096",
	"4097", "65535", "65536", "2147483647", "2147483648", "4294967295",
	"4294967296", "9223372036854775807", "9223372036854775808",
	"18446744073709551615", "18446744073709551616",
	"99999999999999999999999999999", "-1", "-0", "+1", "0x", "0x0",
	"0xffffffff", "0x10000000", "0xfffffff", "0777", "1e3", "1k", " ",
};

static const char *const words[] = {
	"", "edu", "cpu", "roundtrip", "fault", "create", "destroy", "on",
	"off", "all", "none", "-", "--", "\\", "%s%n", "..", "/", "*",
};

static const char *const names[] = { "a", "b", "fuzz0", "fuzz1" };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void append(char *out, size_t size, const char *s)
{
	size_t len = strlen(out);

	snprintf(out + len, size - len, "%s", s);
}

static void gen_number(char *out, size_t size, unsigned int *seed)
{
	switch (fuzz_rand(seed) % 4) {
	case 0:
		snprintf(out, size, "%s",
			 boundary_numbers[fuzz_rand(seed) % ARRAY_LEN(boundary_numbers)]);
		break;
	case 1:
		snprintf(out, size, "%u", fuzz_rand(seed) % 5000);
		break;
	case 2:
		snprintf(out, size, "%llu",
			 ((unsigned long long)fuzz_rand(seed) << 32) | fuzz_rand(seed));
		break;
	default:
		snprintf(out, size, "%u", 1u << (fuzz_rand(seed) % 32));
	}
}

/* Expands a template; @slow is used for {B} one time in 50. */
static void expand(const char *tmpl, char *out, size_t size,
		   unsigned int *seed, const char *slow)
{
	char val[64];
	const char *p;

	out[0] = '\0';
	for (p = tmpl; *p; p++) {
		if (p[0] == '{' && p[1] && p[2] == '}') {
			switch (p[1]) {
			case 'B':
				snprintf(val, sizeof(val), "%s",
					 slow && fuzz_rand(seed) % 50 == 0 ? slow :
					 fuzz_rand(seed) % 8 ? "cpu" : "gpu");
				break;
			case 'N':
				gen_number(val, sizeof(val), seed);
				break;
			case 'n':	/* small: sizes and step counts */
				snprintf(val, sizeof(val), "%u",
					 fuzz_rand(seed) % 8 ? fuzz_rand(seed) % 64 :
					 fuzz_rand(seed) % 2048);
				break;
			case 'X':
				snprintf(val, sizeof(val), "0x%x",
					 (fuzz_rand(seed) % 0x10000) << 12 |
					 (fuzz_rand(seed) % 2 ? 0 : fuzz_rand(seed) % 4096));
				break;
			case 'W':
				snprintf(val, sizeof(val), "%s",
					 words[fuzz_rand(seed) % ARRAY_LEN(words)]);
				break;
			case 'S':
				snprintf(val, sizeof(val), "%s",
					 names[fuzz_rand(seed) % ARRAY_LEN(names)]);
				break;
			default:
				val[0] = '\0';
			}
			append(out, size, val);
			p += 2;
		} else {
			char c[2] = { *p, '\0' };

			append(out, size, c);
		}
	}
}

/* Mangles a command in place: drop, repeat or swap words, flip bytes. */
static size_t mangle(char *buf, size_t len, size_t size, unsigned int *seed)
{
	size_t i, pos;

	switch (fuzz_rand(seed) % 8) {
	case 0:		/* truncate */
		return len ? fuzz_rand(seed) % len : 0;
	case 1:		/* random printable garbage */
		len = fuzz_rand(seed) % 80;
		for (i = 0; i < len; i++)
			buf[i] = 32 + fuzz_rand(seed) % 95;
		return len;
	case 2:		/* random bytes, NUL and control characters included */
		len = 1 + fuzz_rand(seed) % 64;
		for (i = 0; i < len; i++)
			buf[i] = fuzz_rand(seed) % 256;
		return len;
	case 3:		/* an embedded NUL */
		if (len)
			buf[fuzz_rand(seed) % len] = '\0';
		return len;
	case 4:		/* repeat the command */
		if (2 * len + 1 < size) {
			memcpy(buf + len + 1, buf, len);
			buf[len] = ' ';
			return 2 * len + 1;
		}
		return len;
	case 5:		/* many words */
		len = 0;
		while (len + 2 < size && len < 200) {
			buf[len++] = 'a' + fuzz_rand(seed) % 26;
			buf[len++] = ' ';
		}
		return len;
	case 6:		/* a word boundary becomes a newline or tab */
		pos = len ? fuzz_rand(seed) % len : 0;
		if (len)
			buf[pos] = fuzz_rand(seed) % 2 ? '\n' : '\t';
		return len;
	default:	/* flip one bit */
		if (len)
			buf[fuzz_rand(seed) % len] ^= 1 << (fuzz_rand(seed) % 8);
		return len;
	}
}

static bool errno_ok(const int *ok, int err)
{
	for (; *ok; ok++)
		if (*ok == err)
			return true;
	return false;
}

struct fuzz_tally {
	unsigned long inputs, accepted, refused, bad;
	unsigned long stopped;	/* passes stopped at the time budget */
	int bad_errno;
	char bad_input[128];
};

static void fuzz_write(int fd, const char *buf, size_t len,
		       const struct fuzz_ctl *ctl, struct fuzz_tally *t)
{
	ssize_t n;

	t->inputs++;
	n = write(fd, buf, len);
	if (n == (ssize_t)len) {
		t->accepted++;
	} else if (n < 0 && (errno == EINVAL || errno_ok(ctl->ok_errnos, errno))) {
		t->refused++;
	} else if (!t->bad++) {
		t->bad_errno = n < 0 ? errno : -1;
		hpmm_strscpy(t->bad_input, len ? buf : "<empty>",
			     len + 1 < sizeof(t->bad_input) ? len + 1 :
			     sizeof(t->bad_input));
	}
}

static unsigned int fuzz_iters(void)
{
	const char *s = getenv("HPMM_FUZZ_ITERS");

	return s ? (unsigned int)atoi(s) : 3000;
}

static unsigned int fuzz_seed(void)
{
	const char *s = getenv("HPMM_FUZZ_SEED");

	return s ? (unsigned int)atoi(s) : (unsigned int)time(NULL);
}

/* One fuzzing pass over one control file. */
static void fuzz_one(const struct fuzz_ctl *ctl, const char *path,
		     unsigned int iters, unsigned int seed,
		     struct fuzz_tally *t)
{
	unsigned int i, ntemplates = 0;
	char buf[512], reset[PATH_MAX];
	int fd, rfd = -1;
	size_t len;

	while (ctl->templates[ntemplates])
		ntemplates++;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		t->bad++;
		t->bad_errno = errno;
		return;
	}
	if (ctl->reset_glob) {
		snprintf(reset, sizeof(reset), HPMM_DEBUGFS "/%s",
			 ctl->reset_glob);
		rfd = open(reset, O_WRONLY | O_CLOEXEC);
	}
	for (i = 0; i < iters; i++) {
		const char *tmpl = ctl->templates[fuzz_rand(&seed) % ntemplates];

		if (fuzz_until && !(i % 64) && fuzz_now() > fuzz_until) {
			t->stopped++;
			break;
		}

		if (rfd >= 0 && !(i % FUZZ_RESET_EVERY) &&
		    write(rfd, ctl->reset_cmd, strlen(ctl->reset_cmd)) < 0)
			t->bad++;

		expand(tmpl, buf, sizeof(buf), &seed, ctl->slow_word);
		len = strlen(buf);
		if (fuzz_rand(&seed) % 3 == 0)
			len = mangle(buf, len, sizeof(buf), &seed);
		else if (fuzz_rand(&seed) % 2)
			buf[len++] = '\n';
		fuzz_write(fd, buf, len, ctl, t);
	}
	if (rfd >= 0)
		close(rfd);
	close(fd);
}

struct fuzz_thread_arg {
	const struct fuzz_ctl *ctl;
	const char *path;
	unsigned int iters, seed;
	struct fuzz_tally tally;
};

static void *fuzz_thread(void *p)
{
	struct fuzz_thread_arg *a = p;

	fuzz_one(a->ctl, a->path, a->iters, a->seed, &a->tally);
	return NULL;
}

/* Writes from addresses the kernel must refuse to read. */
static void fuzz_bad_pointers(struct __test_metadata *_metadata,
			      const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	memcpy(map + page - 8, "roundtr", 8);

	/* syscall(): the C library's write() is declared nonnull. */
	EXPECT_EQ(-1, syscall(SYS_write, fd, NULL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, syscall(SYS_write, fd, 1UL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, syscall(SYS_write, fd, 0xffff888000000000UL, 16));
	EXPECT_EQ(EFAULT, errno);
	/* A command that runs into a PROT_NONE page. */
	EXPECT_EQ(-1, write(fd, map + page - 8, 32));
	EXPECT_EQ(EFAULT, errno);
	/* The kernel sees no bytes beyond a huge count: EINVAL first. */
	EXPECT_EQ(-1, write(fd, map, 1UL << 30));
	EXPECT_EQ(EINVAL, errno);
	munmap(map, 2 * page);
	close(fd);
}

static void run_cleanup(const struct fuzz_ctl *ctl, const char *path)
{
	const char *const *c;
	char pattern[PATH_MAX], cmd[HPMM_CMD_MAX + 1];
	glob_t g;
	size_t i;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (ctl->cleanup_glob) {
		snprintf(pattern, sizeof(pattern), HPMM_DEBUGFS "/%s",
			 ctl->cleanup_glob);
		if (!glob(pattern, 0, NULL, &g)) {
			for (i = 0; i < g.gl_pathc; i++) {
				snprintf(cmd, sizeof(cmd), ctl->cleanup_fmt,
					 strrchr(g.gl_pathv[i], '/') + 1);
				if (write(fd, cmd, strlen(cmd)) < 0)
					continue;
			}
			globfree(&g);
		}
	}
	for (c = ctl->cleanup; c && *c; c++)
		if (write(fd, *c, strlen(*c)) < 0)
			continue;
	close(fd);
}

/*
 * Runs every interface's cleanup and waits up to 10 s (HPA destroys with
 * pages in flight finish in the background) for hpmm's live counters to
 * come back to @pages0 and @maps0.
 */
static void settle(long long pages0, long long maps0, long long *pages,
		   long long *maps)
{
	char path[PATH_MAX];
	size_t c;
	int i;

	for (c = 0; c < ARRAY_LEN(fuzz_ctls); c++) {
		if (strchr(fuzz_ctls[c].glob, '*'))
			continue;
		snprintf(path, sizeof(path), HPMM_DEBUGFS "/%s",
			 fuzz_ctls[c].glob);
		run_cleanup(&fuzz_ctls[c], path);
	}
	for (i = 0; i < 100; i++) {
		if (hpmm_read_live(pages, maps) ||
		    (*pages == pages0 && *maps == maps0))
			return;
		usleep(100000);
	}
}

FIXTURE(fuzz) {
	unsigned int seed;
	bool nic;	/* took the NIC: give it back in teardown */
};

FIXTURE_SETUP(fuzz)
{
	if (geteuid())
		SKIP(return, "not root");
	hpmm_mount_debugfs();
	if (access(HPMM_DBG_ROOT, F_OK))
		SKIP(return, "hpmm is not loaded");
	self->seed = fuzz_seed();
	ksft_print_msg("fuzz seed %u (HPMM_FUZZ_SEED reproduces it)\n",
		       self->seed);
}

FIXTURE_TEARDOWN(fuzz)
{
	/* e1000e_hpa must go, or hpmm cannot be unloaded after the tests. */
	if (self->nic)
		hpmm_nic_release(HPMM_NIC_BDF);
}

TEST_F_TIMEOUT(fuzz, control_files, 900)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	long long pages0 = 0, maps0 = 0, pages = 0, maps = 0;
	unsigned int iters = fuzz_iters();
	size_t c, i, nfiles = 0;
	int files = 0;

	settle(0, 0, &pages0, &maps0);
	/* The time budget, shared equally by the files. */
	for (c = 0; c < ARRAY_LEN(fuzz_ctls); c++) {
		char pattern[PATH_MAX];
		glob_t g;

		snprintf(pattern, sizeof(pattern), HPMM_DEBUGFS "/%s",
			 fuzz_ctls[c].glob);
		if (glob(pattern, 0, NULL, &g))
			continue;
		nfiles += g.gl_pathc;
		globfree(&g);
	}
	for (c = 0; c < ARRAY_LEN(fuzz_ctls); c++) {
		const struct fuzz_ctl *ctl = &fuzz_ctls[c];
		char pattern[PATH_MAX];
		glob_t g;

		snprintf(pattern, sizeof(pattern), HPMM_DEBUGFS "/%s", ctl->glob);
		if (glob(pattern, 0, NULL, &g))
			continue;
		for (i = 0; i < g.gl_pathc; i++) {
			const char *path = g.gl_pathv[i];
			struct fuzz_thread_arg args[4];
			pthread_t th[4];
			struct fuzz_tally t = { 0 };
			size_t k;

			files++;
			fuzz_until = fuzz_now() +
				     (double)FUZZ_BUDGET_S / (nfiles ? nfiles : 1);
			fuzz_one(ctl, path, iters, self->seed + i, &t);
			/* Concurrent writers on the same file. */
			for (k = 0; k < 4; k++) {
				args[k] = (struct fuzz_thread_arg){
					.ctl = ctl, .path = path,
					.iters = iters / 4,
					.seed = self->seed * 31 + k + 1,
				};
				ASSERT_EQ(0, pthread_create(&th[k], NULL,
							    fuzz_thread, &args[k]));
			}
			for (k = 0; k < 4; k++) {
				pthread_join(th[k], NULL);
				t.inputs += args[k].tally.inputs;
				t.accepted += args[k].tally.accepted;
				t.refused += args[k].tally.refused;
				if (args[k].tally.bad && !t.bad) {
					t.bad_errno = args[k].tally.bad_errno;
					memcpy(t.bad_input, args[k].tally.bad_input,
					       sizeof(t.bad_input));
				}
				t.bad += args[k].tally.bad;
				t.stopped += args[k].tally.stopped;
			}
			fuzz_until = 0;
			fuzz_bad_pointers(_metadata, path);
			run_cleanup(ctl, path);

			ksft_print_msg("fuzz %s: %lu inputs, %lu accepted, %lu refused, %lu unexpected%s\n",
				       path + strlen(HPMM_DEBUGFS) + 1, t.inputs,
				       t.accepted, t.refused, t.bad,
				       t.stopped ? " (time budget reached first)" : "");
			EXPECT_EQ(0UL, t.bad) {
				TH_LOG("%s: errno %d for input \"%s\"", path,
				       t.bad_errno, t.bad_input);
			}
			if (ctl->check)
				ctl->check(_metadata, path);
		}
		globfree(&g);
	}
	ASSERT_LT(0, files);
	settle(pages0, maps0, &pages, &maps);
	EXPECT_EQ(pages0, pages);
	EXPECT_EQ(maps0, maps);
}

/*
 * --- e1000e_hpa (drivers/e1000e/): its ethtool interfaces that take
 * input, on NIC 1 ---
 *
 * The ring sizes (ETHTOOL_SRINGPARAM: with HPA a resize puts the ring's
 * pages back into the pool and refills from it), the string sets and
 * statistics the HPA patch extends (ETHTOOL_GSSET_INFO, GSTRINGS, GSTATS
 * for any set, into buffers of the right size or running into an
 * unmapped page) and link down/up between them. Every call must succeed
 * or fail with an error ethtool documents; the rings stay within the
 * driver's limits; the hpa_* statistics agree with hpmm's view of the
 * pool; remove then destroys the pool with no IOVA left mapped.
 */

static const __u32 nic_ring_sizes[] = {
	0, 1, 8, 63, 64, 65, 80, 128, 256, 1000, 4095, 4096, 4097, 65535,
	0x7fffffff, 0xffffffff,
};

static const int nic_errnos[] = { EINVAL, EOPNOTSUPP, EFAULT, ENOMEM, 0 };

/* GSTRINGS or GSTATS of @set into a buffer ending at an unmapped page. */
static int nic_get_set(int sock, const char *ifname, __u32 cmd, __u32 set,
		       __u32 n, bool short_buf, char *map, long page)
{
	size_t unit = cmd == ETHTOOL_GSTRINGS ? ETH_GSTRING_LEN : sizeof(__u64);
	size_t head = cmd == ETHTOOL_GSTRINGS ?
		      sizeof(struct ethtool_gstrings) :
		      sizeof(struct ethtool_stats);
	size_t need = head + (size_t)n * unit - (short_buf && n ? unit : 0);
	char *buf;

	if (need > 2 * (size_t)page)
		return -E2BIG;
	/* The data ends right at the PROT_NONE page. */
	buf = map + 2 * page - need;
	memset(buf, 0, head);
	if (cmd == ETHTOOL_GSTRINGS) {
		struct ethtool_gstrings *g = (void *)buf;

		g->cmd = cmd;
		g->string_set = set;
		g->len = n;
	} else {
		struct ethtool_stats *st = (void *)buf;

		st->cmd = cmd;
		st->n_stats = n;
	}
	return hpmm_nic_ethtool(sock, ifname, buf);
}

static bool nic_errno_ok(int ret)
{
	size_t i;

	for (i = 0; nic_errnos[i]; i++)
		if (ret == -nic_errnos[i])
			return true;
	return !ret;
}

/* The count of string set @set, or -errno. */
static int nic_sset_count(int sock, const char *ifname, __u32 set)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 buf[1];
	} info = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			    .sset_mask = 1ULL << set } };
	int ret = hpmm_nic_ethtool(sock, ifname, &info);

	if (ret)
		return ret;
	return info.hdr.sset_mask ? (int)info.buf[0] : -EOPNOTSUPP;
}

/* hpa_<key> of the driver's ethtool statistics, or -1. */
static long long nic_hpa_stat(int sock, const char *ifname, const char *key,
			      char *map, long page)
{
	int n = nic_sset_count(sock, ifname, ETH_SS_STATS), i, idx = -1;
	struct ethtool_gstrings *g = (void *)map;
	struct ethtool_stats *st = (void *)map;
	long long v;

	if (n <= 0 || sizeof(*g) + (size_t)n * ETH_GSTRING_LEN > 2 * (size_t)page)
		return -1;
	memset(g, 0, sizeof(*g));
	g->cmd = ETHTOOL_GSTRINGS;
	g->string_set = ETH_SS_STATS;
	g->len = n;
	if (hpmm_nic_ethtool(sock, ifname, g))
		return -1;
	for (i = 0; i < n; i++)
		if (!strncmp((char *)g->data + i * ETH_GSTRING_LEN, key,
			     ETH_GSTRING_LEN))
			idx = i;
	if (idx < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	if (hpmm_nic_ethtool(sock, ifname, st))
		return -1;
	v = st->data[idx];
	return v;
}

TEST_F_TIMEOUT(fuzz, nic_ethtool, 900)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	const char *module = getenv("HPMM_MODULE");
	unsigned int seed = self->seed, iters = fuzz_iters() / 10, i;
	unsigned long inputs = 0, refused = 0;
	long long pages0, maps0, pages, maps, blocks, ranges;
	long page = sysconf(_SC_PAGESIZE);
	char ifname[IFNAMSIZ], pool[64], path[PATH_MAX];
	int sock, ret, n;
	char *map;

	if (!module || access(HPMM_DBG_ROOT "/hpa/stats", F_OK))
		SKIP(return, "no HPMM_MODULE or no HPA");
	if (!hpmm_nic_present(HPMM_NIC_BDF))
		SKIP(return, "no NIC at %s (qemu-env/run --nics 2)",
		     HPMM_NIC_BDF);
	ASSERT_EQ(0, hpmm_read_live(&pages0, &maps0));
	ret = hpmm_nic_prepare(module, HPMM_NIC_BDF);
	if (ret == -ENOENT)
		SKIP(return, "no e1000e_hpa.ko beside HPMM_MODULE for kernel %s",
		     hpmm_nic_kernel());
	self->nic = true;
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, hpmm_nic_bind(HPMM_NIC_BDF));
	ASSERT_EQ(0, hpmm_nic_ifname(HPMM_NIC_BDF, ifname, sizeof(ifname)));
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sock);
	ASSERT_EQ(0, hpmm_nic_set_up(sock, ifname, true));
	map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + 2 * page, page, PROT_NONE));
	/* The driver has the pool's statistics: this is the HPA driver. */
	ASSERT_LE(0, nic_hpa_stat(sock, ifname, "hpa_blocks", map, page));

	for (i = 0; i < iters; i++) {
		unsigned int what = fuzz_rand(&seed) % 8;
		struct ethtool_ringparam r = { .cmd = ETHTOOL_GRINGPARAM };
		__u32 set = fuzz_rand(&seed) % 5;

		switch (what) {
		case 0:
		case 1:
			ret = hpmm_nic_ethtool(sock, ifname, &r);
			if (ret)
				break;
			r.cmd = ETHTOOL_SRINGPARAM;
			r.rx_pending = fuzz_rand(&seed) % 4 ?
				nic_ring_sizes[fuzz_rand(&seed) %
					       ARRAY_LEN(nic_ring_sizes)] :
				(__u32)fuzz_rand(&seed);
			r.tx_pending = nic_ring_sizes[fuzz_rand(&seed) %
						      ARRAY_LEN(nic_ring_sizes)];
			if (!(fuzz_rand(&seed) % 8))
				r.rx_mini_pending = 1;
			if (!(fuzz_rand(&seed) % 8))
				r.rx_jumbo_pending = 1;
			ret = hpmm_nic_ethtool(sock, ifname, &r);
			break;
		case 2:
			ret = hpmm_nic_ethtool(sock, ifname, &r);
			if (ret)
				break;
			/* Within the driver's limits, whatever was asked. */
			EXPECT_LE(64U, r.rx_pending);
			EXPECT_GE(4096U, r.rx_pending);
			EXPECT_LE(64U, r.tx_pending);
			EXPECT_GE(4096U, r.tx_pending);
			break;
		case 3:
			ret = nic_sset_count(sock, ifname, set);
			ret = ret < 0 ? ret : 0;
			break;
		case 4:
		case 5:
			n = nic_sset_count(sock, ifname, set);
			if (n < 0) {
				ret = nic_get_set(sock, ifname, what == 4 ?
						  ETHTOOL_GSTRINGS : ETHTOOL_GSTATS,
						  set, 0, false, map, page);
				break;
			}
			/* Short buffers must fault, not overrun. */
			ret = nic_get_set(sock, ifname, what == 4 ?
					  ETHTOOL_GSTRINGS : ETHTOOL_GSTATS, set,
					  n, fuzz_rand(&seed) % 2, map, page);
			if (ret == -E2BIG)
				ret = 0;
			break;
		case 6:
			ret = hpmm_nic_set_up(sock, ifname, false);
			if (!ret)
				ret = hpmm_nic_set_up(sock, ifname, true);
			break;
		default:
			ret = nic_get_set(sock, ifname, ETHTOOL_GSTATS, 0,
					  fuzz_rand(&seed), false, map, page);
			if (ret == -E2BIG)
				ret = 0;
			break;
		}
		inputs++;
		if (ret)
			refused++;
		EXPECT_TRUE(nic_errno_ok(ret)) {
			TH_LOG("input %u (kind %u): %s", i, what,
			       strerror(-ret));
		}
	}
	ASSERT_EQ(0, hpmm_nic_set_up(sock, ifname, true));
	/* ethtool -S and hpmm agree on the pool. */
	snprintf(pool, sizeof(pool), "%s-0000-00-11-0", HPMM_NIC_DRIVER);
	snprintf(path, sizeof(path), HPMM_DBG_ROOT "/hpa/pools/%s/stats", pool);
	blocks = nic_hpa_stat(sock, ifname, "hpa_blocks", map, page);
	EXPECT_EQ(hpmm_dbg_value("blocks", path), blocks);
	EXPECT_EQ(0, nic_hpa_stat(sock, ifname, "hpa_verify_errors", map, page));
	ranges = blocks + nic_hpa_stat(sock, ifname, "hpa_fallback_pages", map,
				       page);
	EXPECT_EQ(ranges, nic_hpa_stat(sock, ifname, "hpa_map_calls", map,
				       page));
	ksft_print_msg("fuzz %s ethtool: %lu inputs, %lu refused, %lld blocks\n",
		       ifname, inputs, refused, blocks);
	close(sock);
	munmap(map, 3 * page);

	/* Remove: the pool is gone, every IOVA page unmapped. */
	ASSERT_EQ(0, hpmm_nic_unbind(HPMM_NIC_BDF));
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(0, hpmm_dbg_value("iova_mapped", HPMM_DBG_ROOT "/hpa/last_destroy"));
	EXPECT_EQ(0, hpmm_dbg_value("withheld", HPMM_DBG_ROOT "/hpa/last_destroy"));
	EXPECT_EQ(ranges, hpmm_dbg_value("blocks", HPMM_DBG_ROOT "/hpa/last_destroy"));
	EXPECT_EQ(0, hpmm_nic_release(HPMM_NIC_BDF));
	self->nic = false;
	ASSERT_EQ(0, hpmm_read_live(&pages, &maps));
	EXPECT_EQ(pages0, pages);
	EXPECT_EQ(maps0, maps);
}

/* Every ioctl number, size, pointer and content. */
TEST_F_TIMEOUT(fuzz, ioctls, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	static const unsigned long long sizes[] = {
		0, 1, 4, 7, 8, 9, 15, 16, 23, 24, 25, 31, 32, 40, 48, 56, 64,
		72, 96, 128, 256, 4088, 4096, 4097, 65536, 1ULL << 32, ~0ULL,
	};
	long page = sysconf(_SC_PAGESIZE);
	unsigned long inputs = 0, accepted = 0;
	long long pages0 = 0, maps0 = 0, pages = 0, maps = 0;
	unsigned int seed = self->seed;
	unsigned int nr;
	size_t s, k;
	char *buf;
	int fd;

	settle(0, 0, &pages0, &maps0);
	buf = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + 3 * page, page, PROT_NONE));

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (nr = 0; nr < 0x100; nr++) {
		unsigned long cmds[] = {
			_IO(HPMM_IOCTL_TYPE, nr),
			_IOWR(HPMM_IOCTL_TYPE, nr, struct hpmm_version),
			_IO(HPMM_IOCTL_TYPE + 1, nr),
		};

		for (k = 0; k < ARRAY_LEN(cmds); k++) {
			for (s = 0; s < ARRAY_LEN(sizes); s++) {
				unsigned int variant;

				for (variant = 0; variant < 4; variant++) {
					char *arg = buf;
					size_t j;
					int ret;

					/* zero, random, random tail, struct at page end */
					memset(buf, 0, 3 * page);
					if (variant == 1 || variant == 2)
						for (j = variant == 1 ? 8 : 24;
						     j < (size_t)(3 * page); j++)
							buf[j] = fuzz_rand(&seed);
					if (variant == 3)
						arg = buf + 3 * page - 8;
					memcpy(arg, &sizes[s], 8);
					inputs++;
					ret = ioctl(fd, cmds[k], arg);
					if (!ret) {
						accepted++;
						continue;
					}
					ASSERT_TRUE(errno == ENOTTY || errno == EINVAL ||
						    errno == EFAULT || errno == E2BIG ||
						    errno == ENOMEM || errno == ENOENT ||
						    errno == EBUSY || errno == EEXIST ||
						    errno == EOPNOTSUPP || errno == EPERM ||
						    errno == ENODEV || errno == ERANGE ||
						    errno == EOVERFLOW || errno == ENOSPC ||
						    errno == EBADF || errno == EACCES) {
						TH_LOG("ioctl nr %#x cmd %#lx size %llu variant %u: errno %d",
						       nr, cmds[k], sizes[s], variant, errno);
					}
				}
			}
			/* Bad pointers. */
			inputs += 3;
			EXPECT_EQ(-1, ioctl(fd, cmds[k], NULL));
			EXPECT_EQ(-1, ioctl(fd, cmds[k], (void *)1));
			EXPECT_EQ(-1, ioctl(fd, cmds[k], buf + 3 * page));
		}
		/* Objects a random command made go away with the file. */
		if (nr % 16 == 15) {
			close(fd);
			fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, fd);
		}
	}
	close(fd);
	munmap(buf, 4 * page);
	ksft_print_msg("fuzz /dev/hpmm ioctls: %lu inputs, %lu accepted\n",
		       inputs, accepted);
	settle(pages0, maps0, &pages, &maps);
	EXPECT_EQ(pages0, pages);
	EXPECT_EQ(maps0, maps);
}

/*
 * --- vpri_registrations: HPMM_VPRI_REGISTER in both modes (pinned and
 * on-demand) from fields drawn among boundary values (flags, policies of
 * either mode, budgets, holes, read-only and unaligned ranges, sizes),
 * then random requests on each domain that registered, with parts of its
 * range unmapped or dropped between batches. Every call succeeds or fails
 * with an error the uapi documents; the file's close destroys what is
 * left, and hpmm then holds no page and no mapping.
 */
static unsigned long long pick(unsigned int *seed,
			       const unsigned long long *v, size_t n)
{
	return fuzz_rand(seed) % 8 ? v[fuzz_rand(seed) % n] :
	       ((unsigned long long)fuzz_rand(seed) << 32) | fuzz_rand(seed);
}

static bool vpri_errno_ok(int err)
{
	return err == EINVAL || err == EFAULT || err == EFBIG ||
	       err == EOPNOTSUPP || err == EEXIST || err == EBUSY ||
	       err == ENODEV || err == ENOSPC || err == ENOMEM ||
	       err == ERANGE || err == ENOENT || err == E2BIG ||
	       err == EIO || err == ETIMEDOUT;
}

TEST_F_TIMEOUT(fuzz, vpri_registrations, 600)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	const unsigned long pg = sysconf(_SC_PAGESIZE), npages = 64;
	unsigned int seed = self->seed, iters = fuzz_iters() / 10, i, j;
	unsigned long registered = 0, on_demand = 0, requests = 0, enodev = 0;
	long long pages0 = 0, maps0 = 0, pages = 0, maps = 0;
	long long t0 = hpmm_now_ms();
	char *map;
	int fd;

	settle(0, 0, &pages0, &maps0);
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (i = 0; i < iters && hpmm_now_ms() - t0 < 120000; i++) {
		const unsigned long long flags[] = {
			0, HPMM_VPRI_REGISTER_ON_DEMAND, HPMM_VPRI_REGISTER_ON_DEMAND,
			1, 3, 1ULL << 63,
		};
		const unsigned long long policies[] = {
			HPMM_VPRI_POLICY_NONE, HPMM_VPRI_POLICY_LRU,
			HPMM_VPRI_POLICY_ADP, HPMM_VPRI_POLICY_RECLAIM,
			HPMM_VPRI_POLICY_HINT, HPMM_VPRI_POLICY_BPF,
			HPMM_VPRI_NR_POLICIES, ~0ULL,
		};
		const unsigned long long budgets[] = {
			0, 1, 2, 16, npages - 1, npages, npages + 1, ~0ULL,
		};
		const unsigned long long lengths[] = {
			0, 1, pg, 8 * pg, npages * pg, npages * pg + 1,
			(npages + 1) * pg, HPMM_VPRI_MAX_LENGTH,
			HPMM_VPRI_MAX_LENGTH + pg,
		};
		struct hpmm_vpri_register r = { .size = sizeof(r) };
		unsigned long long offs[] = { 0, 1, pg, 63 * pg, ~0ULL };
		bool ro = fuzz_rand(&seed) % 8 == 0, hole = fuzz_rand(&seed) % 8 == 0;
		struct hpmm_vpri_req reqs[16];
		int ret;

		map = mmap(NULL, npages * pg, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		memset(map, 0x5a, npages * pg);
		if (ro)
			ASSERT_EQ(0, mprotect(map, npages * pg, PROT_READ));
		if (hole)
			ASSERT_EQ(0, munmap(map + 32 * pg, pg));
		/* A valid registration of either mode, then a field or more
		 * replaced by one drawn among the boundary values.
		 */
		r.flags = fuzz_rand(&seed) % 2 ? HPMM_VPRI_REGISTER_ON_DEMAND : 0;
		r.addr = (unsigned long)map;
		r.length = npages * pg;
		r.policy = r.flags ? policies[2 + fuzz_rand(&seed) % 3] :
			   policies[fuzz_rand(&seed) % 3];
		r.budget = 16;
		for (j = fuzz_rand(&seed) % 3; j > 0; j--) {
			switch (fuzz_rand(&seed) % 6) {
			case 0:
				r.flags = pick(&seed, flags, ARRAY_LEN(flags));
				break;
			case 1:
				r.addr = (unsigned long)map +
					 pick(&seed, offs, ARRAY_LEN(offs)) % (2 * npages * pg);
				if (fuzz_rand(&seed) % 4 == 0)
					r.addr = fuzz_rand(&seed) % 2 ? 0 : ~0ULL - pg + 1;
				break;
			case 2:
				r.length = pick(&seed, lengths, ARRAY_LEN(lengths));
				break;
			case 3:
				r.policy = pick(&seed, policies, ARRAY_LEN(policies));
				break;
			case 4:
				r.budget = pick(&seed, budgets, ARRAY_LEN(budgets));
				break;
			case 5:
				r.size = fuzz_rand(&seed) % 2 ? sizeof(r) - 8 : sizeof(r) + 8;
				break;
			}
		}
		ret = ioctl(fd, HPMM_VPRI_REGISTER, &r);
		if (ret) {
			ASSERT_TRUE(vpri_errno_ok(errno)) {
				TH_LOG("register flags %#llx addr +%#llx length %#llx policy %llu budget %llu size %llu: errno %d",
				       r.flags, r.addr - (unsigned long)map, r.length,
				       r.policy, r.budget, r.size, errno);
			}
			enodev += errno == ENODEV;
			munmap(map, npages * pg);
			continue;
		}
		registered++;
		on_demand += !!(r.flags & HPMM_VPRI_REGISTER_ON_DEMAND);
		for (j = 0; j < 4; j++) {
			struct hpmm_vpri_submit sub = {
				.size = sizeof(sub),
				.domain_id = fuzz_rand(&seed) % 16 ? r.domain_id :
					     fuzz_rand(&seed),
				.backend = fuzz_rand(&seed) % 8 ? HPMM_VPRI_BACKEND_CPU :
					   fuzz_rand(&seed) % 3,
				.reqs = (unsigned long)reqs,
				.nr_reqs = 1 + fuzz_rand(&seed) % ARRAY_LEN(reqs),
			};
			size_t k;

			for (k = 0; k < ARRAY_LEN(reqs); k++) {
				reqs[k].iova = fuzz_rand(&seed) % 8 ?
					fuzz_rand(&seed) % (r.length + pg) :
					((unsigned long long)fuzz_rand(&seed) << 32);
				reqs[k].len = fuzz_rand(&seed) % 8 ?
					1 + fuzz_rand(&seed) % 4095 : fuzz_rand(&seed) % 8192;
				reqs[k].flags = fuzz_rand(&seed) % 16 ? fuzz_rand(&seed) % 2 :
						fuzz_rand(&seed);
			}
			requests += sub.nr_reqs;
			if (ioctl(fd, HPMM_VPRI_SUBMIT, &sub))
				ASSERT_TRUE(vpri_errno_ok(errno) || errno == EINTR) {
					TH_LOG("submit: errno %d", errno);
				}
			/* The range changes under the domain. */
			switch (fuzz_rand(&seed) % 4) {
			case 0:
				madvise(map + fuzz_rand(&seed) % npages * pg, pg,
					MADV_DONTNEED);
				break;
			case 1:
				madvise(map + fuzz_rand(&seed) % npages * pg, pg,
					MADV_PAGEOUT);
				break;
			}
		}
		if (fuzz_rand(&seed) % 2) {
			struct hpmm_destroy d = { .size = sizeof(d), .id = r.domain_id };

			EXPECT_EQ(0, ioctl(fd, HPMM_IOCTL_DESTROY, &d));
			munmap(map, npages * pg);
			continue;
		}
		/*
		 * Left registered, the domain sees its range go, then its file
		 * (which frees the device for the next registration).
		 */
		munmap(map, npages * pg);
		close(fd);
		fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
	}
	close(fd);
	ksft_print_msg("fuzz vpri registrations: %u tries, %lu registered (%lu on demand), %lu requests, %lu ENODEV\n",
		       i, registered, on_demand, requests, enodev);
	if (!registered && enodev)
		SKIP(return, "no device for VPRI (edu)");
	settle(pages0, maps0, &pages, &maps);
	EXPECT_EQ(pages0, pages);
	EXPECT_EQ(maps0, maps);
}

/*
 * --- stalled_writer: a write whose bytes are on a userfaultfd page stalls
 * in copy_from_user() until the page is provided. It must hold nothing
 * then (issue 17: the replay's trace file sized its buffer before taking
 * its mutex and copied under it, so a second writer overflowed the heap):
 * another writer of the same file gets through meanwhile, and the stalled
 * write, once resumed, does what it says.
 */

/**
 * struct stall_case - one file and what is written to it
 * @path: under debugfs
 * @stalled: what the stalled writer writes
 * @other: what the other writer writes while it is stalled
 * @check: a "key: value" file and key (or NULL) whose value must be @want
 *	after both
 */
struct stall_case {
	const char *path;
	const char *stalled;
	const char *other;
	const char *check, *key;
	long long want;
};

static const struct stall_case stall_cases[] = {
	/* The carry "a 3 0 0" the other leaves is completed by " u\n". */
	{ "hpmm_test/defrag/replay/trace", " u\na 4 0 0 u\n",
	  "a 1 0 0 u\na 2 0 0 u\na 3 0 0",
	  "hpmm_test/defrag/replay/status", "events", 4 },
	{ "hpmm_test/defrag/replay/control", "reset", "reset",
	  "hpmm_test/defrag/replay/status", "events", 0 },
	{ "hpmm_test/defrag/control", "check", "check", NULL, NULL, 0 },
	{ "hpmm/defrag/control", "drain default", "compact default 1", NULL,
	  NULL, 0 },
	{ "hpmm/magnet/control", "reset_peak", "shrink 8", NULL, NULL, 0 },
};

struct stall_writer {
	int fd;
	const void *buf;
	size_t len;
	ssize_t ret;
	int err;
	volatile int done;
};

static void *stall_write_fn(void *arg)
{
	struct stall_writer *w = arg;

	w->ret = write(w->fd, w->buf, w->len);
	w->err = errno;
	w->done = 1;
	return NULL;
}

/* Joins @th within @ms: true when it ended. */
static bool join_within(pthread_t th, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return !pthread_timedjoin_np(th, NULL, &ts);
}

TEST_F_TIMEOUT(fuzz, stalled_writer, 300)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	int uffd, tested = 0;
	size_t c;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));

	for (c = 0; c < ARRAY_LEN(stall_cases); c++) {
		const struct stall_case *sc = &stall_cases[c];
		struct stall_writer a = { 0 }, b = { 0 };
		struct uffdio_register reg = { 0 };
		struct uffdio_copy copy = { 0 };
		struct uffd_msg msg;
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };
		char path[PATH_MAX], *src, *page_buf;
		pthread_t ta, tb;
		bool b_done;
		int fd;

		snprintf(path, sizeof(path), HPMM_DEBUGFS "/%s", sc->path);
		if (access(path, F_OK)) {
			ksft_print_msg("stalled_writer: %s absent\n", sc->path);
			continue;
		}
		/* A clean start: no trace, no sticky error. */
		fd = open(HPMM_TEST_DBG_ROOT "/defrag/replay/control",
			  O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			EXPECT_EQ(5, write(fd, "reset", 5));
			close(fd);
		}
		page_buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		src = mmap(NULL, page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, page_buf);
		ASSERT_NE(MAP_FAILED, src);
		reg.range.start = (unsigned long)page_buf;
		reg.range.len = page;
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg))
			TH_LOG("UFFDIO_REGISTER: %m");

		fd = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, fd) TH_LOG("%s: %m", path);
		a.fd = fd;
		a.buf = page_buf;
		a.len = strlen(sc->stalled);
		ASSERT_EQ(0, pthread_create(&ta, NULL, stall_write_fn, &a));
		/* The state: the writer's copy faulted on the missing page. */
		ASSERT_EQ(1, poll(&pfd, 1, 20000))
			TH_LOG("%s: the writer did not fault", sc->path);
		ASSERT_EQ((ssize_t)sizeof(msg), read(uffd, &msg, sizeof(msg)));
		EXPECT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
		EXPECT_FALSE(a.done);

		/* Another writer of the same file gets through meanwhile. */
		b.fd = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, b.fd);
		b.buf = sc->other;
		b.len = strlen(sc->other);
		ASSERT_EQ(0, pthread_create(&tb, NULL, stall_write_fn, &b));
		b_done = join_within(tb, 60000);
		EXPECT_TRUE(b_done)
			TH_LOG("%s: a write waited for a stalled one", sc->path);

		/* Resumed, the stalled write does what it says. */
		memcpy(src, sc->stalled, a.len);
		copy.dst = (unsigned long)page_buf;
		copy.src = (unsigned long)src;
		copy.len = page;
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_COPY, &copy))
			TH_LOG("UFFDIO_COPY: %m");
		ASSERT_TRUE(join_within(ta, 60000));
		if (!b_done)
			pthread_join(tb, NULL);
		EXPECT_EQ((ssize_t)b.len, b.ret)
			TH_LOG("%s: other writer: %s", sc->path, strerror(b.err));
		EXPECT_EQ((ssize_t)a.len, a.ret)
			TH_LOG("%s: stalled writer: %s", sc->path,
			       strerror(a.err));
		if (sc->check) {
			snprintf(path, sizeof(path), HPMM_DEBUGFS "/%s",
				 sc->check);
			EXPECT_EQ(sc->want, hpmm_dbg_value(sc->key, "%s", path))
				TH_LOG("%s after both writes", sc->check);
			EXPECT_EQ(0, hpmm_dbg_value("error", "%s", path));
		}
		close(b.fd);
		close(fd);
		munmap(page_buf, page);
		munmap(src, page);
		tested++;
	}
	close(uffd);
	ASSERT_LT(0, tested);
}

TEST_HARNESS_MAIN
