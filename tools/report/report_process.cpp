// SPDX-License-Identifier: GPL-2.0
// A child process read line by line (see report_process.hpp).
#include "report_process.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hpmm::report {

namespace {

class Fd {
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept
	{
		if (this != &o) {
			reset();
			fd_ = o.release();
		}
		return *this;
	}
	~Fd() { reset(); }

	int get() const { return fd_; }
	int release()
	{
		int fd = fd_;
		fd_ = -1;
		return fd;
	}
	void reset()
	{
		if (fd_ >= 0)
			close(fd_);
		fd_ = -1;
	}

private:
	int fd_ = -1;
};

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t)
{
	return std::chrono::duration<double>(Clock::now() - t).count();
}

// Hands over the complete lines of buf (all of it when flush): how many.
std::size_t emit_lines(std::string &buf, const RunHooks &hooks, bool flush)
{
	std::size_t start = 0, n = 0;
	for (;;) {
		std::size_t nl = buf.find('\n', start);
		if (nl == std::string::npos)
			break;
		std::string_view l(buf.data() + start, nl - start);
		while (!l.empty() && l.back() == '\r')
			l.remove_suffix(1);
		if (hooks.line)
			hooks.line(l);
		start = nl + 1;
		n++;
	}
	buf.erase(0, start);
	if (flush && !buf.empty()) {
		std::string_view l(buf);
		while (!l.empty() && l.back() == '\r')
			l.remove_suffix(1);
		if (hooks.line)
			hooks.line(l);
		buf.clear();
		n++;
	}
	return n;
}

} // namespace

int run_process(const std::vector<std::string> &argv,
		const std::filesystem::path &cwd, const RunHooks &hooks,
		std::string &error)
{
	if (argv.empty()) {
		error = "empty command";
		return -1;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		error = std::string("pipe: ") + std::strerror(errno);
		return -1;
	}
	Fd rd(p[0]), wr(p[1]);
	// Everything the child needs, prepared before fork().
	std::vector<char *> cargv;
	std::vector<std::string> copy(argv);
	for (std::string &a : copy)
		cargv.push_back(a.data());
	cargv.push_back(nullptr);
	const std::string dir = cwd.string();

	const Clock::time_point start = Clock::now();
	pid_t pid = fork();
	if (pid < 0) {
		error = std::string("fork: ") + std::strerror(errno);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(wr.get(), 1) < 0 ||
		    dup2(wr.get(), 2) < 0 || chdir(dir.c_str()) < 0)
			_exit(126);
		execvp(cargv[0], cargv.data());
		const char msg[] = "report: cannot execute the command\n";
		ssize_t w = write(2, msg, sizeof(msg) - 1);
		(void)w;
		_exit(127);
	}
	wr.reset();

	std::string buf;
	double last = 0;
	char chunk[4096];
	for (;;) {
		pollfd pfd{rd.get(), POLLIN, 0};
		int r = poll(&pfd, 1, 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			ssize_t n = read(rd.get(), chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			buf.append(chunk, static_cast<std::size_t>(n));
			// Quiet means no complete line, not no byte.
			if (emit_lines(buf, hooks, false))
				last = since(start);
		}
		double now = since(start);
		if (hooks.quiet && hooks.quiet_seconds > 0 &&
		    now - last >= hooks.quiet_seconds) {
			hooks.quiet(now);
			last = now;
		}
	}
	emit_lines(buf, hooks, true);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			error = std::string("waitpid: ") + std::strerror(errno);
			return -1;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

} // namespace hpmm::report
