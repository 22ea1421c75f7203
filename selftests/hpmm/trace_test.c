// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm tracepoints and hpmm-trace (Documentation/tracing.rst):
 *  - every event of tools/hpmm-trace/hpmm_trace_events.h exists in tracefs
 *    under events/hpmm/ with the layout hpmm-trace compiles in, and can be
 *    enabled and disabled;
 *  - hpmm_dma, enabled in a tracefs instance of its own, records each access
 *    of a "roundtrip cpu 64" and nothing while disabled;
 *  - hpmm-trace dma counts the same accesses as debugfs dev/<bdf>/stats,
 *    and hpmm-trace hpa, defrag and faults count what hpa/pools/NAME/stats,
 *    defrag/groups/NAME/stats and vpri/<id>/stats count for a short
 *    workload of each component;
 *  - hpmm-trace refuses a doctored format file (exit 1, naming event and
 *    field) and reports no tracefs or no bpf() with exit 2.
 *
 * Run as root with hpmm loaded (hpmm.sh). The hpmm-trace tests skip when the
 * tool was not built (no clang/bpftool/libbpf-dev): tools/build/hpmm-trace,
 * or $HPMM_TRACE.
 */
#include "hpmm_test.h"
#include "hpmm_defrag.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <uapi/hpmm-vpri.h>

#include "../../tools/hpmm-trace/hpmm_trace_events.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TRACE_INSTANCE	"hpmm_trace_test"
#define TOOL_OUT_MAX	(64 * 1024)
#define TOOL_ERR_MAX	(16 * 1024)

/* ---- The layouts hpmm-trace compiles in, from hpmm_trace_events.h. ---- */

struct layout_field {
	const char *name;
	size_t offset;
	size_t size;
	int is_signed;
};

struct layout {
	const char *event;
	const struct layout_field *(*fields)(size_t *n);
};

#define IS_SIGNED(type) \
	_Generic((type)0, __s8: 1, __s16: 1, __s32: 1, __s64: 1, default: 0)
#define LAYOUT_FIELD(type, name) \
	{ #name, offsetof(CTX_T, name), sizeof(type), IS_SIGNED(type) },
#define LAYOUT_FN(ev, fields_)						\
static const struct layout_field *ev##_layout(size_t *n)		\
{									\
	typedef struct ev##_ctx CTX_T;					\
	static const struct layout_field f[] = {			\
		HPMM_TRACE_COMMON(LAYOUT_FIELD)				\
		fields_							\
	};								\
	*n = ARRAY_LEN(f);						\
	return f;							\
}
HPMM_TRACE_EVENTS(LAYOUT_FN, LAYOUT_FIELD)

#define LAYOUT_ENTRY(ev, fields_) { #ev, ev##_layout },
static const struct layout layouts[] = {
	HPMM_TRACE_EVENTS(LAYOUT_ENTRY, LAYOUT_FIELD)
};

/* ---- tracefs ---- */

/* The tracefs mount, mounting it when neither place has it: 0 or -errno. */
static int find_tracefs(char *out, size_t size)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK)) {
			hpmm_strscpy(out, dirs[i], size);
			return 0;
		}
	}
	if (mount("nodev", dirs[0], "tracefs", 0, NULL))
		return -errno;
	hpmm_strscpy(out, dirs[0], size);
	return 0;
}

/* Writes @s to @path in one write(2), creating it if needed: 0 or -errno. */
static int write_str(const char *path, const char *s)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EMSGSIZE;
	close(fd);
	return ret;
}

/*
 * The field @name of a tracefs format file: 0, -ENOENT when absent,
 * -EPROTO when its line does not parse.
 */
static int format_field(const char *text, const char *name,
			struct layout_field *out)
{
	const char *line = text;
	size_t nlen = strlen(name);

	while (line && *line) {
		const char *end = strchrnul(line, '\n');
		const char *f = strstr(line, "field:");
		const char *semi = f ? memchr(f, ';', end - f) : NULL;

		if (f && f < end && semi) {
			const char *p = semi;

			/* The name is the last word before ';'. */
			while (p > f && p[-1] != ' ')
				p--;
			if ((size_t)(semi - p) == nlen && !strncmp(p, name, nlen)) {
				unsigned long off, sz;
				int sg;

				if (sscanf(semi, "; offset:%lu; size:%lu; signed:%d;",
					   &off, &sz, &sg) != 3 &&
				    sscanf(semi, ";\toffset:%lu;\tsize:%lu;\tsigned:%d;",
					   &off, &sz, &sg) != 3)
					return -EPROTO;
				out->name = name;
				out->offset = off;
				out->size = sz;
				out->is_signed = sg;
				return 0;
			}
		}
		line = *end ? end + 1 : NULL;
	}
	return -ENOENT;
}

/* Lines of @text containing every string of the NULL-terminated @needles. */
static int count_lines(const char *text, const char *const *needles)
{
	const char *line = text;
	char buf[1024];
	int n = 0;

	while (line && *line) {
		const char *end = strchrnul(line, '\n');
		size_t len = end - line;
		int i;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		for (i = 0; needles[i]; i++)
			if (!strstr(buf, needles[i]))
				break;
		if (!needles[i])
			n++;
		line = *end ? end + 1 : NULL;
	}
	return n;
}

/* ---- Running hpmm-trace ---- */

enum sandbox {
	SANDBOX_NONE,
	SANDBOX_NO_TRACEFS,	/* a mount namespace without tracefs/debugfs */
	SANDBOX_BPF_ENOSYS,	/* seccomp: bpf() fails with ENOSYS */
	SANDBOX_BPF_EPERM,	/* seccomp: bpf() fails with EPERM */
};

struct tool {
	pid_t pid;
	int out_fd;
	int err_fd;
	char out[TOOL_OUT_MAX];
	size_t out_len;
	char err[TOOL_ERR_MAX];
	size_t err_len;
	int status;	/* exit status, or 128 + signal */
};

/* Where hpmm-trace is: $HPMM_TRACE, else tools/build/ of this tree. */
static int tool_path(char *out, size_t size)
{
	char self[PATH_MAX - 64], *slash;
	const char *env = getenv("HPMM_TRACE");
	ssize_t n;

	if (env && *env) {
		hpmm_strscpy(out, env, size);
		return access(out, X_OK) ? -ENOENT : 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, size, "%s/../../tools/build/hpmm-trace", self);
	return access(out, X_OK) ? -ENOENT : 0;
}

static void sandbox_enter(enum sandbox sb)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO |
			 (sb == SANDBOX_BPF_EPERM ? EPERM : ENOSYS)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { ARRAY_LEN(filter), filter };

	switch (sb) {
	case SANDBOX_NONE:
		return;
	case SANDBOX_NO_TRACEFS:
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(120);
		umount2("/sys/kernel/debug/tracing", MNT_DETACH);
		umount2("/sys/kernel/tracing", MNT_DETACH);
		umount2("/sys/kernel/debug", MNT_DETACH);
		return;
	case SANDBOX_BPF_ENOSYS:
	case SANDBOX_BPF_EPERM:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			_exit(121);
		return;
	}
}

/* Starts hpmm-trace with @args (NULL-terminated): 0 or -errno. */
static int tool_start(struct tool *t, const char *path, enum sandbox sb,
		      const char *const *args)
{
	const char *argv[16];
	int out[2], err[2];
	int i;

	argv[0] = path;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	memset(t, 0, sizeof(*t));
	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -errno;
	}
	t->pid = fork();
	if (t->pid < 0) {
		int ret = -errno;

		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return ret;
	}
	if (!t->pid) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		sandbox_enter(sb);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	t->out_fd = out[0];
	t->err_fd = err[0];
	return 0;
}

/*
 * Reads what the tool writes until @until appears on its stderr (NULL: until
 * both pipes close) or @timeout_ms pass: 1 when @until was seen or the pipes
 * closed, 0 on timeout.
 */
static int tool_read(struct tool *t, const char *until, int timeout_ms)
{
	long long deadline = hpmm_now_ms() + timeout_ms;

	while (t->out_fd >= 0 || t->err_fd >= 0) {
		struct pollfd p[2] = {
			{ .fd = t->out_fd, .events = POLLIN },
			{ .fd = t->err_fd, .events = POLLIN },
		};
		long long left = deadline - hpmm_now_ms();
		int i;

		if (until && strstr(t->err, until))
			return 1;
		if (left <= 0)
			return 0;
		if (poll(p, 2, left) < 0 && errno != EINTR)
			return 0;
		for (i = 0; i < 2; i++) {
			int *fd = i ? &t->err_fd : &t->out_fd;
			char *buf = i ? t->err : t->out;
			size_t *len = i ? &t->err_len : &t->out_len;
			size_t cap = i ? TOOL_ERR_MAX : TOOL_OUT_MAX;
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(*fd, buf + *len, cap - 1 - *len);
			if (n <= 0) {
				close(*fd);
				*fd = -1;
				continue;
			}
			*len += n;
			buf[*len] = '\0';
		}
	}
	return 1;
}

/* Collects the rest of the output and the exit status: 0, or -ETIMEDOUT. */
static int tool_finish(struct tool *t, int timeout_ms)
{
	long long deadline = hpmm_now_ms() + timeout_ms;
	int st;

	tool_read(t, NULL, timeout_ms);
	for (;;) {
		pid_t r = waitpid(t->pid, &st, WNOHANG);

		if (r == t->pid)
			break;
		if (hpmm_now_ms() >= deadline) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &st, 0);
			t->status = -1;
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
	if (t->out_fd >= 0)
		close(t->out_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	t->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

/* Runs hpmm-trace to completion. */
static int tool_run(struct tool *t, const char *path, enum sandbox sb,
		    const char *const *args, int timeout_ms)
{
	int ret = tool_start(t, path, sb, args);

	return ret ? ret : tool_finish(t, timeout_ms);
}

/* The integer after "\"@key\":" in the JSON object starting at @json. */
static int json_ll(const char *json, const char *key, long long *val)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return -ENOENT;
	return sscanf(p + strlen(pat), "%lld", val) == 1 ? 0 : -EPROTO;
}

/*
 * Starts `hpmm-trace CMD --json --interval 0` and waits until its programs
 * are attached: 0; 2 when the tool exited 2 (no BPF, no tracefs: the caller
 * skips); -1 when it did not start (its stderr is in t->err).
 */
static int tool_begin(struct tool *t, const char *path, const char *cmd)
{
	const char *args[] = { cmd, "--json", "--interval", "0",
			       "--duration", "240", NULL };

	if (tool_start(t, path, SANDBOX_NONE, args))
		return -1;
	if (tool_read(t, "hpmm-trace: tracing", 120000) &&
	    strstr(t->err, "hpmm-trace: tracing"))
		return 0;
	kill(t->pid, SIGKILL);
	tool_finish(t, 10000);
	return t->status == 2 ? 2 : -1;
}

/* Stops it with SIGTERM: its JSON summary line, or NULL. */
static const char *tool_end(struct tool *t)
{
	kill(t->pid, SIGTERM);
	if (tool_finish(t, 60000) || t->status)
		return NULL;
	return strstr(t->out, "{\"type\":\"summary\"");
}

/*
 * For the tests that compare hpmm-trace with debugfs: starts the tool for
 * @cmd, skips when the kernel cannot run it (exit 2), fails when it does
 * not start.
 */
#define TOOL_BEGIN(self, t, cmd) do { \
	int __r; \
	NEED_TOOL(self); \
	__r = tool_begin(t, (self)->tool, cmd); \
	if (__r == 2) \
		SKIP(return, "%.200s", (t)->err); \
	ASSERT_EQ(0, __r) TH_LOG("hpmm-trace %s did not start (status %d):\n%s", \
				 cmd, (t)->status, (t)->err); \
} while (0)

/* Summary count @key of hpmm-trace must equal @want. */
#define EXPECT_COUNT(summary, key, want) do { \
	long long __v = -1; \
	EXPECT_EQ(0, json_ll(summary, key, &__v)) TH_LOG("no \"%s\"", key); \
	EXPECT_EQ((long long)(want), __v) \
		TH_LOG("hpmm-trace %s %lld, debugfs %lld", key, __v, \
		       (long long)(want)); \
} while (0)

/* ---- Fixture ---- */

/* Short enough that any path built from them fits PATH_MAX. */
#define DIR_MAX 512

FIXTURE(trace) {
	char tracefs[DIR_MAX];
	char events[DIR_MAX + 16];	/* tracefs/events/hpmm */
	char tool[PATH_MAX];	/* hpmm-trace, or "" */
	struct hpmm_devlist bound;
	char tmpdir[DIR_MAX];	/* "" when none was made */
	bool instance;		/* instances/TRACE_INSTANCE was made */
};

FIXTURE_SETUP(trace)
{
	int ret;

	self->tmpdir[0] = '\0';
	self->instance = false;
	if (getuid())
		SKIP(return, "must be run as root");
	if (access(HPMM_SYS_MODULE, F_OK))
		SKIP(return, "hpmm not loaded");
	ret = hpmm_mount_debugfs();
	ASSERT_EQ(0, ret) TH_LOG("mount debugfs: %s", strerror(-ret));
	ret = find_tracefs(self->tracefs, sizeof(self->tracefs));
	if (ret)
		SKIP(return, "no tracefs: %s", strerror(-ret));
	snprintf(self->events, sizeof(self->events), "%s/events/hpmm",
		 self->tracefs);
	/* hpmm is loaded and kernel/trace.o is part of it. */
	ASSERT_EQ(0, access(self->events, F_OK))
		TH_LOG("%s missing although hpmm is loaded", self->events);
	if (tool_path(self->tool, sizeof(self->tool)))
		self->tool[0] = '\0';
	hpmm_find_bound(&self->bound);
}

FIXTURE_TEARDOWN(trace)
{
	char path[PATH_MAX];

	if (self->instance) {
		snprintf(path, sizeof(path), "%s/instances/" TRACE_INSTANCE,
			 self->tracefs);
		rmdir(path);
	}
	if (self->tmpdir[0]) {
		size_t i;

		for (i = 0; i < ARRAY_LEN(layouts); i++) {
			snprintf(path, sizeof(path), "%s/%s/format",
				 self->tmpdir, layouts[i].event);
			unlink(path);
			snprintf(path, sizeof(path), "%s/%s", self->tmpdir,
				 layouts[i].event);
			rmdir(path);
		}
		rmdir(self->tmpdir);
	}
}

#define NEED_TOOL(self) do { \
	if (!(self)->tool[0]) \
		SKIP(return, "hpmm-trace not built (needs clang, bpftool, " \
		     "libbpf-dev; or set HPMM_TRACE)"); \
} while (0)

#define NEED_BOUND(self) do { \
	if (!(self)->bound.n) \
		SKIP(return, "no edu device bound to hpmm"); \
} while (0)

/* Copies every event's format file into a fresh tmpdir/<event>/format. */
static int copy_formats(struct __test_metadata *_metadata,
			FIXTURE_DATA(trace) *self)
{
	static char text[HPMM_FILE_MAX];
	char path[PATH_MAX];
	size_t i;

	hpmm_strscpy(self->tmpdir, "/tmp/hpmm-trace-fmt.XXXXXX",
		     sizeof(self->tmpdir));
	if (!mkdtemp(self->tmpdir)) {
		self->tmpdir[0] = '\0';
		return -errno;
	}
	for (i = 0; i < ARRAY_LEN(layouts); i++) {
		ssize_t n = hpmm_read_filef(text, sizeof(text), "%s/%s/format",
					    self->events, layouts[i].event);

		EXPECT_LT(0, n) TH_LOG("read %s format", layouts[i].event);
		if (n <= 0)
			return -EIO;
		snprintf(path, sizeof(path), "%s/%s", self->tmpdir,
			 layouts[i].event);
		if (mkdir(path, 0755))
			return -errno;
		strcat(path, "/format");
		if (write_str(path, text))
			return -EIO;
	}
	return 0;
}

/* The device index (debugfs info "index") of @bdf, or -1. */
static int dev_index(const char *bdf)
{
	char buf[HPMM_FILE_MAX];
	long long idx;

	if (hpmm_read_filef(buf, sizeof(buf), HPMM_DBG_DEV "/%s/info", bdf) < 0 ||
	    hpmm_kv_ll(buf, "index", &idx))
		return -1;
	return idx;
}

/* ---- Tests ---- */

/* Every event hpmm-trace knows is in tracefs, laid out as it expects. */
TEST_F(trace, events_match_compiled_layouts)
{
	static char text[HPMM_FILE_MAX];
	const char *field_lines[] = { "field:", NULL };
	size_t i, j, n;

	for (i = 0; i < ARRAY_LEN(layouts); i++) {
		const char *ev = layouts[i].event;
		const struct layout_field *want = layouts[i].fields(&n);
		ssize_t len;

		len = hpmm_read_filef(text, sizeof(text), "%s/%s/format",
				      self->events, ev);
		ASSERT_LT(0, len) TH_LOG("%s/%s/format: %s", self->events, ev,
					 strerror(-len));
		for (j = 0; j < n; j++) {
			struct layout_field have;
			int ret = format_field(text, want[j].name, &have);

			EXPECT_EQ(0, ret) {
				TH_LOG("event %s: field %s: %s", ev,
				       want[j].name, strerror(-ret));
				continue;
			}
			EXPECT_EQ(want[j].offset, have.offset)
				TH_LOG("event %s: field %s offset", ev, want[j].name);
			EXPECT_EQ(want[j].size, have.size)
				TH_LOG("event %s: field %s size", ev, want[j].name);
			EXPECT_EQ(want[j].is_signed, have.is_signed)
				TH_LOG("event %s: field %s signed", ev, want[j].name);
		}
		/* And no field the tool does not know: n "field:" lines. */
		EXPECT_EQ((int)n, count_lines(text, field_lines))
			TH_LOG("event %s has fields hpmm-trace lacks", ev);
	}
}

/* Each event can be enabled and disabled through tracefs. */
TEST_F(trace, enable_disable_each_event)
{
	char path[PATH_MAX], buf[16];
	size_t i;

	for (i = 0; i < ARRAY_LEN(layouts); i++) {
		snprintf(path, sizeof(path), "%s/%s/enable", self->events,
			 layouts[i].event);
		ASSERT_EQ(0, write_str(path, "1")) TH_LOG("%s", path);
		ASSERT_LT(0, hpmm_read_file(path, buf, sizeof(buf)));
		EXPECT_EQ('1', buf[0]) TH_LOG("%s reads %s", path, buf);
		ASSERT_EQ(0, write_str(path, "0")) TH_LOG("%s", path);
		ASSERT_LT(0, hpmm_read_file(path, buf, sizeof(buf)));
		EXPECT_EQ('0', buf[0]) TH_LOG("%s reads %s", path, buf);
	}
}

/*
 * hpmm_dma in a tracefs instance of its own (the global buffer is left
 * alone): a CPU round trip records one event per access with its length,
 * backend and direction; nothing is recorded while the event is disabled.
 */
TEST_F(trace, dma_event_in_trace_buffer)
{
	static char text[256 * 1024];
	char inst[DIR_MAX + 64], path[PATH_MAX], devstr[32];
	const char *any[] = { "hpmm_dma:", NULL };
	const char *to[] = { "hpmm_dma:", devstr, "backend=cpu", "len=64",
			     "dir=to_device", "ns=", NULL };
	const char *from[] = { "hpmm_dma:", devstr, "backend=cpu", "len=64",
			       "dir=from_device", NULL };
	struct hpmm_stats a, b;
	const char *bdf;
	long long ops;
	int idx, ret, lines;

	NEED_BOUND(self);
	bdf = self->bound.name[0];
	idx = dev_index(bdf);
	ASSERT_LE(0, idx);
	snprintf(devstr, sizeof(devstr), "dev=%d ", idx);

	snprintf(inst, sizeof(inst), "%s/instances/" TRACE_INSTANCE,
		 self->tracefs);
	rmdir(inst);
	ASSERT_EQ(0, mkdir(inst, 0755)) TH_LOG("mkdir %s: %m", inst);
	self->instance = true;
	snprintf(path, sizeof(path), "%s/trace", inst);
	ASSERT_EQ(0, write_str(path, ""));

	/* Disabled: nothing. */
	ASSERT_EQ(0, hpmm_controlf(bdf, "roundtrip cpu 64"));
	ASSERT_LE(0, hpmm_read_file(path, text, sizeof(text)));
	EXPECT_EQ(NULL, strstr(text, "hpmm_dma:"))
		TH_LOG("hpmm_dma recorded while disabled:\n%s", text);

	/* Enabled: one line per access. */
	snprintf(path, sizeof(path), "%s/events/hpmm/hpmm_dma/enable", inst);
	ASSERT_EQ(0, write_str(path, "1"));
	ASSERT_EQ(0, hpmm_read_stats(bdf, &a));
	ret = hpmm_controlf(bdf, "roundtrip cpu 64");
	ASSERT_EQ(0, ret) TH_LOG("roundtrip: %s", strerror(-ret));
	ASSERT_EQ(0, hpmm_read_stats(bdf, &b));
	ASSERT_EQ(0, write_str(path, "0"));
	ops = b.v[HPMM_ST_DMA_OPS] - a.v[HPMM_ST_DMA_OPS];
	ASSERT_EQ(2, ops);

	snprintf(path, sizeof(path), "%s/trace", inst);
	ASSERT_LE(0, hpmm_read_file(path, text, sizeof(text)));
	lines = count_lines(text, any);
	EXPECT_EQ(ops, lines) TH_LOG("trace buffer:\n%s", text);
	EXPECT_EQ(1, count_lines(text, to)) TH_LOG("trace:\n%s", text);
	EXPECT_EQ(1, count_lines(text, from)) TH_LOG("trace:\n%s", text);
}

/*
 * hpmm-trace dma counts what debugfs counts: started, given a workload of
 * CPU round trips, stopped with SIGTERM; its JSON summary must agree with
 * the change of dev/<bdf>/stats.
 */
TEST_F_TIMEOUT(trace, tool_counts_match_debugfs, 300)
{
	static struct tool t;
	const char *args[] = { "dma", "--json", "--interval", "0",
			       "--duration", "240", NULL };
	struct hpmm_stats a[HPMM_MAX_DEVS], b[HPMM_MAX_DEVS];
	long long d_ops = 0, d_cpu = 0, d_edu = 0, d_bytes = 0, v;
	const char *summary;
	int i, ret, k;

	NEED_TOOL(self);
	NEED_BOUND(self);
	ASSERT_EQ(0, tool_start(&t, self->tool, SANDBOX_NONE, args));
	ret = tool_read(&t, "hpmm-trace: tracing", 120000);
	if (!ret || !strstr(t.err, "hpmm-trace: tracing")) {
		kill(t.pid, SIGKILL);
		tool_finish(&t, 10000);
		/* 2: this kernel has no BPF (a debug kernel may not). */
		if (t.status == 2)
			SKIP(return, "%.200s", t.err);
		ASSERT_TRUE(false) TH_LOG("hpmm-trace did not start (status %d):\n%s",
					  t.status, t.err);
	}

	for (i = 0; i < self->bound.n; i++)
		ASSERT_EQ(0, hpmm_read_stats(self->bound.name[i], &a[i]));
	for (k = 0; k < 10; k++) {
		ret = hpmm_controlf(self->bound.name[0], "roundtrip cpu %d",
				    64 + k);
		ASSERT_EQ(0, ret) TH_LOG("roundtrip: %s", strerror(-ret));
	}
	for (i = 0; i < self->bound.n; i++) {
		ASSERT_EQ(0, hpmm_read_stats(self->bound.name[i], &b[i]));
		d_ops += b[i].v[HPMM_ST_DMA_OPS] - a[i].v[HPMM_ST_DMA_OPS];
		d_cpu += b[i].v[HPMM_ST_CPU_OPS] - a[i].v[HPMM_ST_CPU_OPS];
		d_edu += b[i].v[HPMM_ST_EDU_OPS] - a[i].v[HPMM_ST_EDU_OPS];
		d_bytes += b[i].v[HPMM_ST_DMA_BYTES] - a[i].v[HPMM_ST_DMA_BYTES];
	}
	EXPECT_EQ(20, d_ops);

	kill(t.pid, SIGTERM);
	ASSERT_EQ(0, tool_finish(&t, 60000)) TH_LOG("hpmm-trace hung");
	ASSERT_EQ(0, t.status) TH_LOG("exit %d, stderr:\n%s", t.status, t.err);
	summary = strstr(t.out, "{\"type\":\"summary\"");
	ASSERT_NE(NULL, summary) TH_LOG("no summary in:\n%s", t.out);
	ASSERT_EQ(0, json_ll(summary, "dropped", &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, json_ll(summary, "ops", &v));
	EXPECT_EQ(d_ops, v) TH_LOG("summary: %s", summary);
	ASSERT_EQ(0, json_ll(summary, "cpu_ops", &v));
	EXPECT_EQ(d_cpu, v);
	ASSERT_EQ(0, json_ll(summary, "edu_ops", &v));
	EXPECT_EQ(d_edu, v);
	ASSERT_EQ(0, json_ll(summary, "bytes", &v));
	EXPECT_EQ(d_bytes, v);
	ASSERT_EQ(0, json_ll(summary, "count", &v)); /* latency_ns samples */
	EXPECT_EQ(d_ops, v);
}

#define HPA_DIR		HPMM_DBG_ROOT "/hpa"
/* HPA pools are made and driven through hpmm_test's control. */
#define HPA_CTL		HPMM_TEST_DBG_ROOT "/hpa/control"
#define DFG_DIR		HPMM_DBG_ROOT "/defrag"
#define VPRI_DIR	HPMM_DBG_ROOT "/vpri"
#define TEST_POOL	"kt_trace_hpa"
#define TEST_GROUP	"kt_trace_dfg"

/* "key: value" of an already read file, or LLONG_MIN. */
static long long kv(const char *text, const char *key)
{
	long long v;

	return hpmm_kv_ll(text, key, &v) ? LLONG_MIN : v;
}

/*
 * hpmm-trace hpa against hpa/pools/NAME/stats and hpa/last_destroy: an HPA
 * pool on device 0 (made through hpmm_test/hpa/control) runs 20000 packets of the receive model (CPU backend,
 * 30% recycled through the ring, 2% leaked for 500 packets, so the pool
 * grows, refills from its backup ring, scans and reclaims) and is
 * destroyed. Every allocation that missed the cache is one hpa_alloc_slow,
 * of the source its counter says; every mapped block or fallback page one
 * hpa_block_map; every unmapped one hpa_block_unmap.
 */
TEST_F_TIMEOUT(trace, tool_hpa_counts_match_debugfs, 300)
{
	static struct tool t;
	static char st[HPMM_FILE_MAX], last[HPMM_FILE_MAX];
	const char *summary;
	long long slow;
	int ret, i;

	if (access(HPA_CTL, F_OK))
		SKIP(return, "no HPA, or hpmm_test not loaded");
	NEED_TOOL(self);
	NEED_BOUND(self);
	write_str(HPA_CTL, "destroy " TEST_POOL);
	TOOL_BEGIN(self, &t, "hpa");

	ret = write_str(HPA_CTL, "create " TEST_POOL " hpa desc=256");
	ASSERT_EQ(0, ret) TH_LOG("create: %s", strerror(-ret));
	ret = write_str(HPA_CTL,
			"run " TEST_POOL " 20000 backend=cpu len=64 "
			"ring_ppm=300000 leak_ppm=20000 leak_steps=500");
	EXPECT_EQ(0, ret) TH_LOG("run: %s", strerror(-ret));
	ASSERT_LT(0, hpmm_read_file(HPA_DIR "/pools/" TEST_POOL "/stats",
				    st, sizeof(st)));
	ret = write_str(HPA_CTL, "destroy " TEST_POOL);
	EXPECT_EQ(0, ret) TH_LOG("destroy: %s", strerror(-ret));
	/*
	 * A deferred destroy completes when the leaked pages come home: the
	 * pool leaves hpa/pools/ before "deferred" drops.
	 */
	for (i = 0; i < 200 && (hpmm_dbg_value("deferred", HPA_DIR "/stats") ||
				!access(HPA_DIR "/pools/" TEST_POOL, F_OK)); i++)
		usleep(50000);
	EXPECT_EQ(0, hpmm_dbg_value("deferred", HPA_DIR "/stats"));
	EXPECT_NE(0, access(HPA_DIR "/pools/" TEST_POOL, F_OK));
	ASSERT_LT(0, hpmm_read_file(HPA_DIR "/last_destroy", last,
				    sizeof(last)));
	summary = tool_end(&t);
	ASSERT_NE(NULL, summary) TH_LOG("exit %d, stdout:\n%.2000s\nstderr:\n%.2000s",
					t.status, t.out, t.err);

	EXPECT_EQ(1, kv(last, "valid"));
	EXPECT_COUNT(summary, "dropped", 0);
	/* The workload did something worth counting. */
	EXPECT_LT(0, kv(st, "map_calls"));
	slow = kv(st, "alloc_ring") + kv(st, "alloc_backup") +
	       kv(st, "alloc_inject") + kv(st, "alloc_fallback") +
	       kv(st, "alloc_fail");
	EXPECT_LT(0, slow);
	EXPECT_COUNT(summary, "slow", slow);
	EXPECT_COUNT(summary, "slow_ring", kv(st, "alloc_ring"));
	EXPECT_COUNT(summary, "slow_inject", kv(st, "alloc_inject"));
	EXPECT_COUNT(summary, "slow_fallback", kv(st, "alloc_fallback"));
	EXPECT_COUNT(summary, "slow_fail", kv(st, "alloc_fail"));
	{
		long long b = -1, sc = -1;

		ASSERT_EQ(0, json_ll(summary, "slow_backup", &b));
		ASSERT_EQ(0, json_ll(summary, "slow_scan", &sc));
		EXPECT_EQ(kv(st, "alloc_backup"), b + sc)
			TH_LOG("backup %lld + scan %lld", b, sc);
	}
	EXPECT_COUNT(summary, "refill_pages", kv(st, "backup_pages"));
	EXPECT_COUNT(summary, "maps", kv(st, "map_calls"));
	EXPECT_COUNT(summary, "unmaps", kv(last, "blocks"));
	EXPECT_COUNT(summary, "reclaimed", kv(last, "reclaimed"));
	{
		long long in = -1, out = -1;

		ASSERT_EQ(0, json_ll(summary, "to_inject", &in));
		ASSERT_EQ(0, json_ll(summary, "to_normal", &out));
		EXPECT_EQ(kv(st, "mode_switches"), in + out)
			TH_LOG("to_inject %lld, to_normal %lld", in, out);
	}
}

/*
 * hpmm-trace defrag against defrag/groups/NAME/stats: a process maps two
 * regions of a 4-block group from /dev/hpmm, faulted in turn, and unmaps
 * one, leaving two blocks half used; "compact NAME" moves one block's
 * pages into the other. Every run is one dfg_compact_start and one
 * dfg_compact_end (with its pages moved and blocks recovered), every moved
 * page one dfg_page_move, every retype one dfg_block_type.
 */
TEST_F_TIMEOUT(trace, tool_defrag_counts_match_debugfs, 300)
{
	static struct tool t;
	static char st[HPMM_FILE_MAX];
	const size_t pages = 512, pg = 4096;
	const char *summary;
	char *a = MAP_FAILED, *b = MAP_FAILED;
	long long id, runs, got;
	size_t i;
	int fd;

	if (access(DFG_DIR "/control", F_OK))
		SKIP(return, "hpmm has no DEFRAG");
	NEED_TOOL(self);
	ASSERT_EQ(0, hpmm_param_set("defrag_payg_low", "0"));
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %m", HPMM_DEV_NODE);
	id = hpmm_dfg_create(fd, TEST_GROUP, (struct hpmm_defrag_group_create){
		.fields = HPMM_DEFRAG_GROUP_LIMIT | HPMM_DEFRAG_GROUP_THRESHOLD,
		.limit = 4, .threshold = 1000 });
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	ASSERT_EQ(0, hpmm_dfg_map(fd, id, HPMM_DEFRAG_PLACEMENT_PAGE))
		TH_LOG("map: %m");

	TOOL_BEGIN(self, &t, "defrag");
	a = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, a);
	EXPECT_NE(MAP_FAILED, b);
	if (a != MAP_FAILED && b != MAP_FAILED) {
		for (i = 0; i < pages; i++) {
			a[i * pg] = 1;
			b[i * pg] = 2;
		}
		munmap(b, pages * pg);
		got = hpmm_dfg_compact(fd, id, 0);
		EXPECT_LE(0, got) TH_LOG("compact: %s", strerror((int)-got));
	}
	ASSERT_LT(0, hpmm_read_file(DFG_DIR "/groups/" TEST_GROUP "/stats",
				    st, sizeof(st)));
	if (a != MAP_FAILED)
		munmap(a, pages * pg);
	summary = tool_end(&t);
	EXPECT_EQ(0, hpmm_destroy(fd, id));
	close(fd);
	ASSERT_NE(NULL, summary) TH_LOG("exit %d, stdout:\n%.2000s\nstderr:\n%.2000s",
					t.status, t.out, t.err);

	runs = kv(st, "compact_runs_request") + kv(st, "compact_runs_alloc") +
	       kv(st, "compact_runs_background");
	/* The workload did something worth counting. */
	EXPECT_LE(1, runs);
	EXPECT_LT(0, kv(st, "compact_moved_pages"));
	EXPECT_COUNT(summary, "dropped", 0);
	EXPECT_COUNT(summary, "compactions", runs);
	EXPECT_COUNT(summary, "compacted", runs);
	EXPECT_COUNT(summary, "moved", kv(st, "compact_moved_pages"));
	EXPECT_COUNT(summary, "recovered", kv(st, "compact_recovered_blocks"));
	/* Eviction moves pages too. */
	EXPECT_COUNT(summary, "moves",
		     kv(st, "compact_moved_pages") + kv(st, "evicted_pages"));
	EXPECT_COUNT(summary, "retypes", kv(st, "retypes"));
}

/*
 * hpmm-trace faults against vpri/<id>/stats: an LRU domain with a budget
 * of 8 pages over a loop of 9 pages, 90 CPU accesses, every one an I/O
 * page fault (the LRU pathology) and, from the ninth on, an eviction. One
 * vpri_fault and one vpri_fault_done per queued fault, one vpri_pin,
 * vpri_unpin and vpri_evict per pin, unpin and eviction.
 */
TEST_F_TIMEOUT(trace, tool_vpri_counts_match_debugfs, 300)
{
	static struct tool t;
	static char st[HPMM_FILE_MAX];
	const size_t pg = 4096, npages = 64;
	struct hpmm_vpri_req reqs[90];
	struct hpmm_vpri_register r = { .size = sizeof(r) };
	struct hpmm_vpri_submit sub = { .size = sizeof(sub) };
	struct hpmm_destroy d = { .size = sizeof(d) };
	const char *summary;
	char *mem;
	unsigned int i;
	int fd;

	if (access(VPRI_DIR "/status", F_OK))
		SKIP(return, "hpmm has no VPRI");
	NEED_TOOL(self);
	mem = mmap(NULL, npages * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0x5a, npages * pg);
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %m", HPMM_DEV_NODE);
	r.addr = (unsigned long)mem;
	r.length = npages * pg;
	r.policy = HPMM_VPRI_POLICY_LRU;
	r.budget = 8;
	if (ioctl(fd, HPMM_VPRI_REGISTER, &r)) {
		int err = errno;

		close(fd);
		munmap(mem, npages * pg);
		if (err == ENODEV)
			SKIP(return, "no second edu device for VPRI");
		ASSERT_EQ(0, err) TH_LOG("register: %s", strerror(err));
	}
	for (i = 0; i < ARRAY_LEN(reqs); i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 9) * pg,
						  .len = 16 };

	TOOL_BEGIN(self, &t, "faults");
	sub.domain_id = r.domain_id;
	sub.backend = HPMM_VPRI_BACKEND_CPU;
	sub.reqs = (unsigned long)reqs;
	sub.nr_reqs = ARRAY_LEN(reqs);
	EXPECT_EQ(0, ioctl(fd, HPMM_VPRI_SUBMIT, &sub)) TH_LOG("submit: %m");
	EXPECT_EQ(ARRAY_LEN(reqs), sub.faults);
	/* Unpins the last 8: vpri_unpin without vpri_evict. */
	d.id = r.domain_id;
	EXPECT_EQ(0, ioctl(fd, HPMM_IOCTL_DESTROY, &d)) TH_LOG("destroy: %m");
	close(fd);
	munmap(mem, npages * pg);
	summary = tool_end(&t);
	ASSERT_NE(NULL, summary) TH_LOG("exit %d, stdout:\n%.2000s\nstderr:\n%.2000s",
					t.status, t.out, t.err);
	ASSERT_LT(0, hpmm_read_filef(st, sizeof(st), VPRI_DIR "/%llu/stats",
				     (unsigned long long)r.domain_id));

	EXPECT_EQ((long long)ARRAY_LEN(reqs), kv(st, "fault_requests"));
	EXPECT_COUNT(summary, "dropped", 0);
	EXPECT_COUNT(summary, "faults", kv(st, "fault_requests"));
	EXPECT_COUNT(summary, "resolved", kv(st, "fault_requests"));
	EXPECT_COUNT(summary, "swapins", kv(st, "swapins"));
	EXPECT_COUNT(summary, "pins", kv(st, "pins"));
	EXPECT_COUNT(summary, "unpins", kv(st, "unpins"));
	EXPECT_COUNT(summary, "evictions", kv(st, "evictions"));
	/* latency_ns: one sample per resolved fault. */
	EXPECT_COUNT(summary, "count", kv(st, "fault_requests"));
}

/*
 * Every hpmm event, enabled through tracefs in an instance of its own, is
 * found in the instance's trace buffer after a workload of its component:
 * a DMA round trip (hpmm_dma); an HPA pool driven into inject mode and
 * back, with leaks brought home by a scan, then destroyed
 * (hpa_*); a DEFRAG group whose two half-used blocks are compacted, then
 * destroyed, and a one-block group whose block an unmovable allocation
 * steals and gives back (dfg_*); a MAGNET mapping faulted sparsely, then unmapped
 * (magnet_*); a VPRI LRU domain looping over more pages than its budget,
 * then destroyed (vpri_*). A component that is not built in is left
 * out; any other missing event fails the test.
 */
static void workload_dma(struct __test_metadata *_metadata, const char *bdf)
{
	ASSERT_EQ(0, hpmm_controlf(bdf, "roundtrip cpu 64"));
}

static bool workload_hpa(struct __test_metadata *_metadata)
{
	int i, ret;

	if (access(HPA_CTL, F_OK))
		return false;
	write_str(HPA_CTL, "destroy " TEST_POOL);
	ret = write_str(HPA_CTL,
			"create " TEST_POOL " hpa desc=512 ring=128");
	EXPECT_EQ(0, ret) TH_LOG("create: %s", strerror(-ret));
	/* Held pages drain the backup ring: inject mode (hpa_test's recipe). */
	ret = write_str(HPA_CTL,
			"run " TEST_POOL " 1000 backend=none "
			"hold_ppm=1000000 hold_steps=1024");
	EXPECT_EQ(0, ret) TH_LOG("run (hold): %s", strerror(-ret));
	/* They come back: normal mode; leaked pages are reclaimed at destroy. */
	ret = write_str(HPA_CTL,
			"run " TEST_POOL " 3000 backend=cpu len=64 "
			"hold_ppm=0 ring_ppm=980000 leak_ppm=20000 leak_steps=500");
	EXPECT_EQ(0, ret) TH_LOG("run (leak): %s", strerror(-ret));
	/* Leaked pages let go after 500 steps: the scan brings them home. */
	ret = write_str(HPA_CTL, "scan " TEST_POOL);
	EXPECT_EQ(0, ret) TH_LOG("scan: %s", strerror(-ret));
	ret = write_str(HPA_CTL, "destroy " TEST_POOL);
	EXPECT_EQ(0, ret) TH_LOG("destroy: %s", strerror(-ret));
	for (i = 0; i < 200 && (hpmm_dbg_value("deferred", HPA_DIR "/stats") ||
				!access(HPA_DIR "/pools/" TEST_POOL, F_OK)); i++)
		usleep(50000);
	return true;
}

/*
 * A one-block group holding movable pages: an unmovable allocation steals
 * the block (retyped unmovable), and freeing it makes the block movable
 * again (retyped back).
 */
static void workload_defrag_retype(struct __test_metadata *_metadata)
{
	const size_t pages = 8, pg = 4096;
	long long id;
	__u64 pfn = 0;
	int fd, tfd;
	size_t i;
	char *p;

	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	tfd = hpmm_test_open();
	EXPECT_LE(0, fd);
	EXPECT_LE(0, tfd) TH_LOG("%s: %s", HPMM_TEST_NODE, strerror(-tfd));
	if (fd < 0 || tfd < 0)
		goto out;
	id = hpmm_dfg_create(fd, TEST_GROUP, (struct hpmm_defrag_group_create){
		.fields = HPMM_DEFRAG_GROUP_LIMIT, .limit = 1 });
	EXPECT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	if (id <= 0)
		goto out;
	EXPECT_EQ(0, hpmm_dfg_map(fd, id, HPMM_DEFRAG_PLACEMENT_PAGE))
		TH_LOG("map: %m");
	p = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED) {
		for (i = 0; i < pages; i++)
			p[i * pg] = 1;
		EXPECT_EQ(0, hpmm_dfg_alloc(tfd, id, 0,
					    HPMM_TEST_DEFRAG_UNMOVABLE, &pfn));
		EXPECT_EQ(0, hpmm_dfg_free(tfd, pfn, 0));
		munmap(p, pages * pg);
	}
	EXPECT_EQ(0, hpmm_destroy(fd, id));
out:
	if (tfd >= 0)
		close(tfd);
	if (fd >= 0)
		close(fd);
}

static bool workload_defrag(struct __test_metadata *_metadata, bool magnet)
{
	const size_t pages = magnet ? 64 : 512, pg = 4096;
	long long id, got;
	char *a, *b;
	size_t i;
	int fd;

	if (access(DFG_DIR "/control", F_OK))
		return false;
	if (magnet && access(HPMM_MG_DIR "/control", F_OK))
		return false;
	EXPECT_EQ(0, hpmm_param_set("defrag_payg_low", "0"));
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd) TH_LOG("open %s: %m", HPMM_DEV_NODE);
	if (fd < 0)
		goto out;
	id = hpmm_dfg_create(fd, TEST_GROUP, (struct hpmm_defrag_group_create){
		.fields = HPMM_DEFRAG_GROUP_LIMIT | HPMM_DEFRAG_GROUP_THRESHOLD,
		.limit = 4, .threshold = 1000 });
	EXPECT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	if (id <= 0)
		goto out;
	EXPECT_EQ(0, hpmm_dfg_map(fd, id, magnet ?
				  HPMM_DEFRAG_PLACEMENT_MAGNET :
				  HPMM_DEFRAG_PLACEMENT_PAGE))
		TH_LOG("map: %m");
	a = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, a);
	EXPECT_NE(MAP_FAILED, b);
	if (a != MAP_FAILED && b != MAP_FAILED) {
		/*
		 * MAGNET: half of each 8-page run is touched, so its first
		 * fault reserves the run, the next ones use the reservation
		 * and the rest goes back unused at munmap.
		 */
		for (i = 0; i < pages; i++) {
			if (magnet && i % 8 >= 4)
				continue;
			a[i * pg] = 1;
			b[i * pg] = 2;
		}
		munmap(b, pages * pg);
		if (!magnet) {
			got = hpmm_dfg_compact(fd, id, 0);
			EXPECT_LE(0, got)
				TH_LOG("compact: %s", strerror((int)-got));
		}
	} else if (b != MAP_FAILED) {
		munmap(b, pages * pg);
	}
	if (a != MAP_FAILED)
		munmap(a, pages * pg);
	EXPECT_EQ(0, hpmm_destroy(fd, id));
out:
	if (fd >= 0)
		close(fd);
	if (!magnet)
		workload_defrag_retype(_metadata);
	return true;
}

static bool workload_vpri(struct __test_metadata *_metadata)
{
	const size_t pg = 4096, npages = 16;
	struct hpmm_vpri_req reqs[40];
	struct hpmm_vpri_register r = { .size = sizeof(r) };
	struct hpmm_vpri_submit sub = { .size = sizeof(sub) };
	struct hpmm_destroy d = { .size = sizeof(d) };
	unsigned int i;
	char *mem;
	int fd;

	if (access(VPRI_DIR "/status", F_OK))
		return false;
	mem = mmap(NULL, npages * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_NE(MAP_FAILED, mem);
	if (mem == MAP_FAILED)
		return true;
	memset(mem, 0x5a, npages * pg);
	fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd);
	r.addr = (unsigned long)mem;
	r.length = npages * pg;
	r.policy = HPMM_VPRI_POLICY_LRU;
	r.budget = 4;
	if (fd < 0 || ioctl(fd, HPMM_VPRI_REGISTER, &r)) {
		bool absent = errno == ENODEV;

		if (fd >= 0)
			close(fd);
		munmap(mem, npages * pg);
		EXPECT_TRUE(absent) TH_LOG("register: %m");
		return !absent;
	}
	for (i = 0; i < ARRAY_LEN(reqs); i++)
		reqs[i] = (struct hpmm_vpri_req){ .iova = (i % 5) * pg,
						  .len = 16 };
	sub.domain_id = r.domain_id;
	sub.backend = HPMM_VPRI_BACKEND_CPU;
	sub.reqs = (unsigned long)reqs;
	sub.nr_reqs = ARRAY_LEN(reqs);
	EXPECT_EQ(0, ioctl(fd, HPMM_VPRI_SUBMIT, &sub)) TH_LOG("submit: %m");
	d.id = r.domain_id;
	EXPECT_EQ(0, ioctl(fd, HPMM_IOCTL_DESTROY, &d)) TH_LOG("destroy: %m");

	/*
	 * The on-demand mode, adp: faults map (vpri_map), a window of 4096
	 * accesses scans (vpri_scan), MADV_DONTNEED invalidates and unmaps.
	 */
	r.flags = HPMM_VPRI_REGISTER_ON_DEMAND;
	r.policy = HPMM_VPRI_POLICY_ADP;
	if (!ioctl(fd, HPMM_VPRI_REGISTER, &r)) {
		sub.domain_id = r.domain_id;
		for (i = 0; i < 110; i++)
			EXPECT_EQ(0, ioctl(fd, HPMM_VPRI_SUBMIT, &sub));
		EXPECT_EQ(0, madvise(mem + 15 * pg, pg, MADV_DONTNEED));
		EXPECT_EQ(0, madvise(mem + 4 * pg, pg, MADV_DONTNEED));
		d.id = r.domain_id;
		EXPECT_EQ(0, ioctl(fd, HPMM_IOCTL_DESTROY, &d));
	} else {
		EXPECT_EQ(0, errno) TH_LOG("register on demand: %m");
	}
	close(fd);
	munmap(mem, npages * pg);
	return true;
}

TEST_F_TIMEOUT(trace, every_event_in_trace_buffer, 300)
{
	const size_t size = 32 << 20;
	char inst[DIR_MAX + 64], path[PATH_MAX], needle[96];
	bool hpa, dfg, mg, vpri;
	char *text;
	size_t i;
	ssize_t n;

	NEED_BOUND(self);
	snprintf(inst, sizeof(inst), "%s/instances/" TRACE_INSTANCE,
		 self->tracefs);
	rmdir(inst);
	ASSERT_EQ(0, mkdir(inst, 0755)) TH_LOG("mkdir %s: %m", inst);
	self->instance = true;
	snprintf(path, sizeof(path), "%s/buffer_size_kb", inst);
	ASSERT_EQ(0, write_str(path, "4096"));
	snprintf(path, sizeof(path), "%s/events/hpmm/enable", inst);
	ASSERT_EQ(0, write_str(path, "1"));

	workload_dma(_metadata, self->bound.name[0]);
	hpa = workload_hpa(_metadata);
	dfg = workload_defrag(_metadata, false);
	mg = workload_defrag(_metadata, true);
	vpri = workload_vpri(_metadata);
	ASSERT_EQ(0, write_str(path, "0"));

	text = malloc(size);
	ASSERT_NE(NULL, text);
	snprintf(path, sizeof(path), "%s/trace", inst);
	n = hpmm_read_file(path, text, size);
	ASSERT_LT(0, n) TH_LOG("read %s: %s", path, strerror((int)-n));
	for (i = 0; i < ARRAY_LEN(layouts); i++) {
		const char *ev = layouts[i].event;

		if ((!hpa && !strncmp(ev, "hpa_", 4)) ||
		    (!dfg && !strncmp(ev, "dfg_", 4)) ||
		    (!mg && !strncmp(ev, "magnet_", 7)) ||
		    (!vpri && !strncmp(ev, "vpri_", 5))) {
			TH_LOG("%s: component not built in", ev);
			continue;
		}
		snprintf(needle, sizeof(needle), " %s:", ev);
		EXPECT_NE(NULL, strstr(text, needle))
			TH_LOG("%s not in the trace buffer", ev);
	}
	free(text);
}

/*
 * hpmm-trace magnet against magnet/stats: the MAGNET workload of
 * every_event_in_trace_buffer (two mappings with half of each 8-page run
 * touched, then unmapped). Every reservation is one
 * magnet_reserve, every fault served from one a magnet_use, and the unused
 * pages given back at munmap the pages of the magnet_release events.
 */
TEST_F_TIMEOUT(trace, tool_magnet_counts_match_debugfs, 300)
{
	static struct tool t;
	static char st0[HPMM_FILE_MAX], st1[HPMM_FILE_MAX];
	const char *summary;
	long long released;

	if (access(HPMM_DBG_ROOT "/magnet/stats", F_OK))
		SKIP(return, "hpmm has no MAGNET");
	NEED_TOOL(self);
	ASSERT_LT(0, hpmm_read_file(HPMM_DBG_ROOT "/magnet/stats", st0,
				    sizeof(st0)));
	TOOL_BEGIN(self, &t, "magnet");
	/* In a group of its own: nothing stays cached in the default group. */
	ASSERT_TRUE(workload_defrag(_metadata, true));
	ASSERT_LT(0, hpmm_read_file(HPMM_DBG_ROOT "/magnet/stats", st1,
				    sizeof(st1)));
	summary = tool_end(&t);
	ASSERT_NE(NULL, summary) TH_LOG("exit %d, stdout:\n%.2000s\nstderr:\n%.2000s",
					t.status, t.out, t.err);

#define MG_DELTA(key) (kv(st1, key) - kv(st0, key))
	/* The workload did something worth counting. */
	EXPECT_LT(0, MG_DELTA("reservations"));
	EXPECT_LT(0, MG_DELTA("faults_from_reservation"));
	released = MG_DELTA("released_unmap") + MG_DELTA("released_exit") +
		   MG_DELTA("shrinker_freed");
	EXPECT_LT(0, released);
	EXPECT_COUNT(summary, "dropped", 0);
	EXPECT_COUNT(summary, "reserves", MG_DELTA("reservations"));
	EXPECT_COUNT(summary, "uses", MG_DELTA("faults_from_reservation"));
	EXPECT_COUNT(summary, "released_pages", released);
#undef MG_DELTA
}

/* hpmm-trace check accepts the real formats and copies of them. */
TEST_F_TIMEOUT(trace, tool_check_formats, 120)
{
	static struct tool t;
	const char *real[] = { "check", NULL };
	const char *copy[] = { "check", "--format-dir", self->tmpdir, NULL };

	NEED_TOOL(self);
	ASSERT_EQ(0, tool_run(&t, self->tool, SANDBOX_NONE, real, 60000));
	EXPECT_EQ(0, t.status) TH_LOG("stderr:\n%s", t.err);
	EXPECT_NE(NULL, strstr(t.out, "events match their formats"))
		TH_LOG("stdout:\n%s", t.out);

	ASSERT_EQ(0, copy_formats(_metadata, self));
	ASSERT_EQ(0, tool_run(&t, self->tool, SANDBOX_NONE, copy, 60000));
	EXPECT_EQ(0, t.status) TH_LOG("stderr:\n%s", t.err);
}

/*
 * A format that does not match the compiled struct: exit 1 and a message
 * naming the event and the field, before any BPF is loaded.
 */
TEST_F_TIMEOUT(trace, tool_rejects_doctored_format, 120)
{
	static char text[HPMM_FILE_MAX];
	static struct tool t;
	const char *args[] = { "dma", "--duration", "1", "--format-dir",
			       self->tmpdir, NULL };
	const char *check[] = { "check", "--format-dir", self->tmpdir, NULL };
	char path[PATH_MAX], *p;
	struct layout_field ns;

	NEED_TOOL(self);
	ASSERT_EQ(0, copy_formats(_metadata, self));
	snprintf(path, sizeof(path), "%s/hpmm_dma/format", self->tmpdir);
	ASSERT_LT(0, hpmm_read_file(path, text, sizeof(text)));
	ASSERT_EQ(0, format_field(text, "ns", &ns));
	ASSERT_EQ((size_t)16, ns.offset);
	/* "u64 ns;\toffset:16;" -> offset:20 */
	p = strstr(text, " ns;");
	ASSERT_NE(NULL, p);
	p = strstr(p, "offset:16;");
	ASSERT_NE(NULL, p);
	p[strlen("offset:")] = '2';
	p[strlen("offset:") + 1] = '0';
	ASSERT_EQ(0, write_str(path, text));

	ASSERT_EQ(0, tool_run(&t, self->tool, SANDBOX_NONE, args, 60000));
	EXPECT_EQ(1, t.status) TH_LOG("stderr:\n%s", t.err);
	EXPECT_NE(NULL, strstr(t.err, "event hpmm_dma: field 'ns': offset 20 "
				      "in the kernel, 16 in hpmm-trace"))
		TH_LOG("stderr:\n%s", t.err);
	EXPECT_EQ(NULL, strstr(t.err, "hpmm-trace: tracing"))
		TH_LOG("it attached anyway:\n%s", t.err);

	/* check looks at every event and finds the same. */
	ASSERT_EQ(0, tool_run(&t, self->tool, SANDBOX_NONE, check, 60000));
	EXPECT_EQ(1, t.status);
	EXPECT_NE(NULL, strstr(t.err, "event hpmm_dma: field 'ns'"));

	/* A missing event is named too. */
	snprintf(path, sizeof(path), "%s/vpri_evict/format", self->tmpdir);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, tool_run(&t, self->tool, SANDBOX_NONE, check, 60000));
	EXPECT_EQ(1, t.status);
	EXPECT_NE(NULL, strstr(t.err, "event vpri_evict: no "))
		TH_LOG("stderr:\n%s", t.err);
}

/* No tracefs, no bpf(), bpf() not permitted: exit 2 and a clear message. */
TEST_F_TIMEOUT(trace, tool_environment_errors, 120)
{
	static struct tool t;
	const char *args[] = { "dma", "--duration", "1", NULL };
	static const struct {
		enum sandbox sb;
		const char *msg;
	} cases[] = {
		{ SANDBOX_NO_TRACEFS, "tracefs is not mounted" },
		{ SANDBOX_BPF_ENOSYS, "no bpf() system call" },
		{ SANDBOX_BPF_EPERM, "not allowed to load BPF programs" },
	};
	/* The BPF cases need seccomp filters (not in check-debug's kernel). */
	bool have_seccomp = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
	size_t i, not_run = 0;

	NEED_TOOL(self);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		if (cases[i].sb != SANDBOX_NO_TRACEFS && !have_seccomp) {
			not_run++;
			continue;
		}
		ASSERT_EQ(0, tool_run(&t, self->tool, cases[i].sb, args, 60000));
		EXPECT_EQ(2, t.status) TH_LOG("case %zu: stderr:\n%s", i, t.err);
		EXPECT_NE(NULL, strstr(t.err, cases[i].msg))
			TH_LOG("case %zu: stderr:\n%s", i, t.err);
	}
	if (not_run)
		SKIP(return, "kernel without seccomp: %zu of %zu cases not run",
		     not_run, ARRAY_LEN(cases));
}

TEST_HARNESS_MAIN
