#include "util/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace gfbench::detail {
namespace {

bool is_executable(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

[[noreturn]] void fail(int errno_value, const std::string& what) {
  throw process_error(errno_value, what);
}

// Closes what it holds on every path out.
struct fd_pair {
  int fd[2] = {-1, -1};
  fd_pair() {
    if (::pipe2(fd, O_CLOEXEC) != 0) {
      fail(errno, "pipe2");
    }
  }
  ~fd_pair() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  fd_pair(const fd_pair&) = delete;
  fd_pair& operator=(const fd_pair&) = delete;
  void close_write() {
    ::close(fd[1]);
    fd[1] = -1;
  }
};

struct spawn_attributes {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  spawn_attributes() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~spawn_attributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_attributes(const spawn_attributes&) = delete;
  spawn_attributes& operator=(const spawn_attributes&) = delete;
};

}  // namespace

spawn_result spawn_capture(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout) {
  if (argv.empty()) fail(EINVAL, "spawn_capture: empty argv");
  std::string program = argv.front();
  if (program.find('/') == std::string::npos) {
    const auto found = find_program(program);
    if (!found) fail(ENOENT, program + ": not found in PATH or the sbin directories");
    program = found->string();
  }
  std::vector<char*> args;
  std::vector<std::string> copies(argv);
  args.reserve(copies.size() + 1);
  for (auto& a : copies) args.push_back(a.data());
  args.push_back(nullptr);

  fd_pair out;
  fd_pair err;
  spawn_attributes sa;
  posix_spawn_file_actions_addopen(&sa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&sa.actions, out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&sa.actions, err.fd[1], STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&sa.actions, 3);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&sa.attr, &none);
  posix_spawnattr_setsigdefault(&sa.attr, &all);
  posix_spawnattr_setflags(&sa.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &sa.actions, &sa.attr, args.data(), environ);
  if (rc != 0) fail(rc, "posix_spawn " + program);
  out.close_write();
  err.close_write();

  spawn_result result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_pipes = 2;
  char buf[16384];
  while (open_pipes > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    const int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;  // EOF (or an error): stop polling it
        --open_pipes;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signaled = true;
  }
  return result;
}

std::string describe_spawn_failure(const std::vector<std::string>& argv,
                                   const spawn_result& result) {
  std::string what = "`" + quote_command_line(argv) + "` ";
  if (result.timed_out) {
    what += "did not finish in time";
  } else if (result.signaled) {
    what += "was killed by a signal";
  } else {
    what += "exited with code " + std::to_string(result.exit_code);
  }
  const std::string tail = tail_lines(result.err.empty() ? result.out : result.err, 5);
  if (!tail.empty()) what += ": " + tail;
  return what;
}

std::string quote_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_@%+=:,./-", c) != nullptr;
    });
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::string tail_lines(std::string_view text, std::size_t max_lines) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::size_t start = text.size();
  for (std::size_t lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == max_lines) break;
  }
  return std::string(text.substr(start));
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest{path};
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      dirs.emplace_back(rest.substr(0, colon));
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
  }
  for (const char* d :
       {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
    dirs.emplace_back(d);
  for (const auto& dir : dirs) {
    if (dir.empty()) continue;
    auto candidate = std::filesystem::path(dir) / name;
    if (is_executable(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace gfbench::detail
