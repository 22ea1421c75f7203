// SPDX-License-Identifier: GPL-2.0
// Child processes without a shell (see hpmm/process.hpp).
#include "hpmm/process.hpp"

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hpmm/fd.hpp"

namespace hpmm {

namespace {

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
		if (null < 0 || dup2(null, 0) < 0 ||
		    (!hooks.inherit_output &&
		     (dup2(wr.get(), 1) < 0 || dup2(wr.get(), 2) < 0)) ||
		    chdir(dir.c_str()) < 0)
			_exit(126);
		execvp(cargv[0], cargv.data());
		const char msg[] = "hpmm: cannot execute the command\n";
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

int run_process(const std::vector<std::string> &argv, std::string &output)
{
	RunHooks hooks;
	hooks.line = [&output](std::string_view line) {
		if (!output.empty())
			output += '\n';
		output.append(line);
	};
	std::string error;
	int status = run_process(argv, ".", hooks, error);
	if (status < 0)
		output = error;
	return status;
}

std::optional<std::filesystem::path> find_program(std::string_view name)
{
	namespace fs = std::filesystem;
	auto usable = [](const fs::path &p) {
		return access(p.c_str(), X_OK) == 0 && !fs::is_directory(p);
	};
	if (name.find('/') != std::string_view::npos) {
		fs::path p(name);
		return usable(p) ? std::optional(p) : std::nullopt;
	}
	const char *path = std::getenv("PATH");
	std::string_view dirs = path ? path : "/usr/bin:/bin";
	while (!dirs.empty()) {
		std::size_t colon = dirs.find(':');
		std::string_view d = dirs.substr(0, colon);
		dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() :
								     colon + 1);
		if (d.empty())
			continue;
		fs::path p = fs::path(d) / name;
		if (usable(p))
			return p;
	}
	return std::nullopt;
}

} // namespace hpmm
