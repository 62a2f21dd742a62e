#include "sandbox/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "gfbench/sandbox.hpp"
#include "util/child_process.hpp"
#include "util/log.hpp"

extern char** environ;

namespace gfbench::detail {
namespace {

using std::chrono::steady_clock;

// What failed in the child between fork and exec, sent to the parent
// through a close-on-exec pipe: end of file there means exec succeeded.
enum class child_step : int { redirect, setns, unshare, make_slave, bind_mount, exec };

struct child_failure {
  child_step step;
  int error;
  int index;  // which bind mount
};

const char* step_name(child_step step) {
  switch (step) {
    case child_step::redirect:
      return "redirecting stdio";
    case child_step::setns:
      return "entering the network namespace";
    case child_step::unshare:
      return "creating a mount namespace";
    case child_step::make_slave:
      return "making mounts slaves";
    case child_step::bind_mount:
      return "bind-mounting";
    case child_step::exec:
      return "exec";
  }
  return "?";
}

// Output beyond this is dropped: a runaway child must not eat our memory.
constexpr std::size_t max_output = 16u << 20;

std::string seconds_text(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", std::chrono::duration<double>(d).count());
  return text;
}

// Reads what is available; closes the descriptor at end of file.
void drain(int& fd, std::string& into) {
  char buffer[16384];
  while (fd >= 0) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      const auto room = max_output - std::min(max_output, into.size());
      into.append(buffer, std::min(room, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    ::close(fd);
    fd = -1;
  }
}

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// The environment for the child: ours, with `extra` added or replaced.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry{*e};
    const auto key = entry.substr(0, entry.find('=') + 1);
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& x) {
      return std::string_view{x}.substr(0, x.find('=') + 1) == key;
    });
    if (!replaced) env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

[[noreturn]] void child_fail(int report_fd, child_step step, int index = 0) noexcept {
  const child_failure failure{step, errno, index};
  // Nothing to do if this write fails: the parent then sees exit code 127.
  [[maybe_unused]] const auto n = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

// argv[0] as a path to run: as given when it has a '/', else searched for
// in PATH.
std::filesystem::path program_path(const command& cmd) {
  const auto program = cmd.argv.front().find('/') != std::string::npos
                           ? std::optional<std::filesystem::path>{cmd.argv.front()}
                           : find_program(cmd.argv.front());
  if (!program || ::access(program->c_str(), X_OK) != 0)
    throw sandbox_error(
        "cannot run `" + quote_command_line(cmd.argv) + "`: " + cmd.argv.front() + " not found",
        ENOENT);
  return *program;
}

// The null-terminated array execve takes; it points into `strings`.
std::vector<char*> c_string_array(const std::vector<std::string>& strings) {
  std::vector<char*> array;
  array.reserve(strings.size() + 1);
  for (const auto& s : strings) array.push_back(const_cast<char*>(s.c_str()));
  array.push_back(nullptr);
  return array;
}

// The network namespace file opened, or -1 when `path` is empty (ours).
int open_network_namespace(const std::filesystem::path& path) {
  if (path.empty()) return -1;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    throw sandbox_error("cannot open network namespace " + path.string() + ": " + std::strerror(e),
                        e);
  }
  return fd;
}

// The child's stdout and stderr, and the pipe on which it reports what
// failed before exec.
struct child_pipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  int report[2] = {-1, -1};
};

// Opens the pipes; when one cannot be opened, closes those that were and
// `netns_fd`, and throws.
void open_pipes(child_pipes& p, int& netns_fd) {
  if (::pipe2(p.out, O_CLOEXEC) != 0 || ::pipe2(p.err, O_CLOEXEC) != 0 ||
      ::pipe2(p.report, O_CLOEXEC) != 0) {
    const int e = errno;
    for (int* fd :
         {&p.out[0], &p.out[1], &p.err[0], &p.err[1], &p.report[0], &p.report[1], &netns_fd})
      close_fd(*fd);
    throw sandbox_error(std::string("pipe: ") + std::strerror(e), e);
  }
}

// What the child uses between fork and exec, all prepared before the fork.
struct child_start {
  const char* program;
  char* const* argv;
  char* const* envp;
  const std::vector<bind_mount>& binds;
  bool new_mount_ns;
  int netns_fd;  // -1: stay in our network namespace
  const child_pipes& pipes;
};

// The child, after fork: it may only make system calls (we may have
// threads, libgfapi's included). Execs the program or reports what failed.
[[noreturn]] void run_child(const child_start& s) noexcept {
  const int report = s.pipes.report[1];
  // Its own process group, so that a timeout kills its children too and a
  // Ctrl-C meant for our terminal does not reach it.
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Ignored signals stay ignored across exec: a glusterd that inherited an
  // ignored SIGTERM could not be stopped.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  // Descriptors the host program left inheritable (sockets of libgfapi,
  // a test runner's files) must not live on in a daemon glusterd.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(s.pipes.out[1], 1) < 0 ||
      ::dup2(s.pipes.err[1], 2) < 0)
    child_fail(report, child_step::redirect);
  if (s.netns_fd >= 0 && ::setns(s.netns_fd, CLONE_NEWNET) != 0)
    child_fail(report, child_step::setns);
  if (s.new_mount_ns) {
    if (::unshare(CLONE_NEWNS) != 0) child_fail(report, child_step::unshare);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
      child_fail(report, child_step::make_slave);
    for (std::size_t i = 0; i < s.binds.size(); ++i)
      if (::mount(s.binds[i].source.c_str(), s.binds[i].target.c_str(), nullptr, MS_BIND,
                  nullptr) != 0)
        child_fail(report, child_step::bind_mount, static_cast<int>(i));
  }
  ::execve(s.program, s.argv, s.envp);
  child_fail(report, child_step::exec);
}

// What the child reported through the report pipe (closed here); nothing
// at end of file, when exec succeeded.
std::optional<child_failure> read_child_report(int& report_fd) {
  child_failure failure{};
  ssize_t n = 0;
  do {
    n = ::read(report_fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  close_fd(report_fd);
  if (n == static_cast<ssize_t>(sizeof failure)) return failure;
  return std::nullopt;
}

// The step that failed in the child, with the bind mount if it was one.
std::string failed_step_text(const child_failure& failure, const std::vector<bind_mount>& binds) {
  std::string what = std::string(step_name(failure.step));
  if (failure.step == child_step::bind_mount) {
    const auto& b = binds.at(static_cast<std::size_t>(failure.index));
    what += " " + b.source.string() + " on " + b.target.string();
  }
  return what;
}

}  // namespace

running_command::running_command(const command& cmd)
    : timeout_(cmd.timeout), started_(steady_clock::now()) {
  if (cmd.argv.empty()) throw sandbox_error("cannot run an empty command", EINVAL);
  name_ = cmd.argv.front();
  const std::filesystem::path program = program_path(cmd);

  // Everything the child needs is prepared here: between fork and exec it
  // may only make system calls (we may have threads, libgfapi's included).
  const std::vector<char*> argv = c_string_array(cmd.argv);
  const auto env_strings = child_environment(cmd.environment);
  const std::vector<char*> envp = c_string_array(env_strings);
  const std::vector<bind_mount> binds = cmd.private_mounts.value_or(std::vector<bind_mount>{});
  const bool new_mount_ns = cmd.private_mounts.has_value();

  int netns_fd = open_network_namespace(cmd.network_namespace);
  child_pipes pipes;
  open_pipes(pipes, netns_fd);

  const pid_t pid = ::fork();
  if (pid == 0) {
    run_child({program.c_str(), argv.data(), envp.data(), binds, new_mount_ns, netns_fd, pipes});
  }

  const int fork_errno = errno;
  for (int* fd : {&pipes.out[1], &pipes.err[1], &pipes.report[1], &netns_fd}) close_fd(*fd);
  if (pid < 0) {
    for (int* fd : {&pipes.out[0], &pipes.err[0], &pipes.report[0]}) close_fd(*fd);
    throw sandbox_error(std::string("fork: ") + std::strerror(fork_errno), fork_errno);
  }
  pid_ = pid;
  out_fd_ = pipes.out[0];
  err_fd_ = pipes.err[0];
  ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);

  if (const auto failure = read_child_report(pipes.report[0])) {
    kill_and_reap();
    close_fd(out_fd_);
    close_fd(err_fd_);
    throw sandbox_error("cannot run `" + quote_command_line(cmd.argv) +
                            "`: " + failed_step_text(*failure, binds) + ": " +
                            std::strerror(failure->error),
                        failure->error);
  }
  // Without a pidfd (kernels before 5.3) wait() polls for the exit instead.
  // (glibc 2.36's <sys/pidfd.h> lacks extern "C", hence the raw syscall.)
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  logger().debug("started pid {}: {}", pid_, quote_command_line(cmd.argv));
}

running_command::~running_command() {
  if (!reaped_) kill_and_reap();
  for (int* fd : {&pidfd_, &out_fd_, &err_fd_}) close_fd(*fd);
}

void running_command::kill_and_reap() noexcept {
  if (pid_ <= 0 || reaped_) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  // A child stuck in the kernel (a hung FUSE call) may take a while to die;
  // we do not wait for it for ever.
  const auto give_up = steady_clock::now() + std::chrono::seconds(5);
  while (steady_clock::now() < give_up) {
    const pid_t r = ::waitpid(pid_, nullptr, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      reaped_ = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  logger().warn("pid {} ({}) did not die after SIGKILL", pid_, name_);
}

command_result running_command::wait() {
  command_result result;
  const auto deadline = started_ + timeout_;
  int status = 0;
  while (!reaped_) {
    const auto now = steady_clock::now();
    if (now >= deadline) {
      result.timed_out = true;
      kill_and_reap();
      break;
    }
    pollfd fds[3];
    nfds_t count = 0;
    for (int fd : {out_fd_, err_fd_, pidfd_})
      if (fd >= 0) fds[count++] = pollfd{fd, POLLIN, 0};
    auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    if (pidfd_ < 0) wait_ms = std::min<decltype(wait_ms)>(wait_ms, 10);
    const int ready =
        ::poll(fds, count, static_cast<int>(std::min<decltype(wait_ms)>(wait_ms, 60'000)));
    if (ready < 0 && errno != EINTR) {
      const int e = errno;
      throw sandbox_error(std::string("poll: ") + std::strerror(e), e);
    }
    drain(out_fd_, result.out);
    drain(err_fd_, result.err);
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    } else if (r < 0 && errno == ECHILD) {
      // Someone else reaped it (a host program with SIGCHLD ignored); the
      // exit status is lost, and we say so rather than guess success.
      reaped_ = true;
      result.exit_code = -1;
    }
  }
  // Whatever it wrote before exiting is still in the pipes. A daemon it
  // started may hold them open: we take what is there and do not wait.
  drain(out_fd_, result.out);
  drain(err_fd_, result.err);
  close_fd(out_fd_);
  close_fd(err_fd_);
  result.elapsed = steady_clock::now() - started_;
  logger().debug("pid {} ({}) {} after {}", pid_, name_,
                 result.timed_out ? std::string("timed out")
                 : result.signal  ? "killed by signal " + std::to_string(result.signal)
                                  : "exited " + std::to_string(result.exit_code),
                 seconds_text(result.elapsed));
  return result;
}

command_result run_command(const command& cmd) {
  running_command child(cmd);
  return child.wait();
}

std::string run_checked(const command& cmd) {
  auto result = run_command(cmd);
  if (!result.ok()) throw sandbox_error(describe_failure(cmd, result));
  return std::move(result.out);
}

std::string describe_failure(const command& cmd, const command_result& result) {
  std::string text = "`";
  text += quote_command_line(cmd.argv);
  text += "` ";
  if (result.timed_out)
    text += "timed out (limit " + std::to_string(cmd.timeout.count()) + " ms)";
  else if (result.signal != 0)
    text += "was killed by signal " + std::to_string(result.signal) + " (" +
            strsignal(result.signal) + ")";
  else
    text += "exited with code " + std::to_string(result.exit_code);
  text += " after " + seconds_text(result.elapsed);
  if (const auto err = tail_lines(result.err, 15); !err.empty()) text += "\nstderr: " + err;
  if (const auto out = tail_lines(result.out, 15); !out.empty()) text += "\nstdout: " + out;
  return text;
}

}  // namespace gfbench::detail
