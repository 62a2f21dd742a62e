#include "support/tool_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

#include "support/test_cluster.hpp"

#ifndef GFBENCH_TOOL_PATH
#error "GFBENCH_TOOL_PATH must name the gfbench executable (tests/CMakeLists.txt)"
#endif

extern char** environ;

namespace gfbench::testing {
namespace {

using clock = std::chrono::steady_clock;

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe2");
}

}  // namespace

const char* tool_path() noexcept { return GFBENCH_TOOL_PATH; }

tool_process::tool_process(const std::vector<std::string>& args, const std::string& netns_file,
                           const std::vector<std::string>& environment)
    : tool_process(tool_path(), args, netns_file, environment) {}

tool_process::tool_process(const std::string& program, const std::vector<std::string>& args,
                           const std::string& netns_file,
                           const std::vector<std::string>& environment) {
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls (dup2, execv, _exit), as the parent has threads.
  std::vector<std::string> argv_text{program};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Ours, with `environment` added over it; execve takes it as it is.
  std::vector<std::string> env_text = environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('=') + 1);
    const bool replaced = std::any_of(environment.begin(), environment.end(),
                                      [&](const std::string& x) { return x.starts_with(name); });
    if (!replaced) env_text.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  int out[2];
  int err[2];
  make_pipe(out);
  make_pipe(err);
  started_ = clock::now();
  pid_ = ::fork();
  if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid_ == 0) {
    if (!netns_file.empty()) {
      const int ns = ::open(netns_file.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) ::_exit(126);
    }
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    static constexpr char msg[] = "tool_process: execve failed\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

tool_process::~tool_process() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void tool_process::send_signal(int signal_number) {
  if (!reaped_ && pid_ > 0) ::kill(pid_, signal_number);
}

void tool_process::close_stdout() {
  if (out_fd_ < 0) return;
  ::close(out_fd_);
  out_fd_ = -1;
}

void tool_process::pump(int wait_ms) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  const int n = ::poll(fds, 2, wait_ms);
  if (n <= 0) return;
  char buf[65536];
  for (auto& p : fds) {
    if (p.fd < 0 || (p.revents & (POLLIN | POLLHUP)) == 0) continue;
    const ssize_t got = ::read(p.fd, buf, sizeof buf);
    if (got > 0) {
      (p.fd == out_fd_ ? out_ : err_).append(buf, static_cast<std::size_t>(got));
    } else if (got == 0) {
      ::close(p.fd);
      (p.fd == out_fd_ ? out_fd_ : err_fd_) = -1;
    }
  }
}

bool tool_process::exited() {
  if (reaped_) return true;
  pump(0);
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    seconds_ = std::chrono::duration<double>(clock::now() - started_).count();
  }
  return reaped_;
}

bool tool_process::wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (err_.find(text) == std::string::npos) {
    if (exited() || clock::now() >= deadline) return err_.find(text) != std::string::npos;
    pump(20);
  }
  return true;
}

tool_result tool_process::wait(std::chrono::milliseconds timeout) {
  tool_result result;
  // From now, not from the start: a test that waited for a point in the
  // run (wait_for_stderr) and then signalled gives the exit its full time.
  const auto deadline = clock::now() + timeout;
  while (!exited()) {
    if (clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
      reaped_ = true;
      seconds_ = std::chrono::duration<double>(clock::now() - started_).count();
      break;
    }
    pump(50);
  }
  // What is left in the pipes (a grandchild could hold them: bounded).
  const auto drain_until = clock::now() + std::chrono::seconds(2);
  while ((out_fd_ >= 0 || err_fd_ >= 0) && clock::now() < drain_until) pump(50);
  result.exit_code = WIFEXITED(status_)     ? WEXITSTATUS(status_)
                     : WIFSIGNALED(status_) ? 128 + WTERMSIG(status_)
                                            : -1;
  result.out = out_;
  result.err = err_;
  result.seconds = seconds_;
  return result;
}

std::string describe(const tool_result& r) {
  return "exit " + std::to_string(r.exit_code) + " after " + std::to_string(r.seconds) +
         " s\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err;
}

std::string what_it_said(const tool_result& r) {
  std::string said;
  const auto add_lines = [&](const std::string& text, auto&& keep) {
    std::size_t start = 0;
    bool in_block = false;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      if (keep(line, in_block)) said += "\n  " + line;
    }
  };
  add_lines(r.out, [](const std::string& line, bool& in_block) {
    if (line == "failed cases:" || line == "degraded cases:") return in_block = true;
    if (line.empty()) in_block = false;
    return in_block;
  });
  add_lines(r.err, [](const std::string& line, bool&) {
    return line.find("[warning]") != std::string::npos ||
           line.find("[error]") != std::string::npos ||
           line.find("[critical]") != std::string::npos || line.starts_with("gfbench: ");
  });
  return said;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

tool_result run_tool(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                     const std::string& netns_file, const std::vector<std::string>& environment) {
  tool_process p(args, netns_file, environment);
  return p.wait(timeout);
}

std::vector<std::string> volume_args(std::string_view volume_name) {
  return {"--volume", std::string(volume_name), "--server", cluster().node_address(0)};
}

namespace {

volume connect_to(const std::string& name) {
  volume_options o = cluster().client_options(name);
  o.skip_fini = true;  // as test_volume(): no 10 s glfs_fini per test
  return volume::connect(o);
}

std::string next_volume_name(std::string_view prefix) {
  static int counter = 0;
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

const std::string& created(const std::string& name, sandbox_volume_spec spec) {
  spec.name = name;
  cluster().create_volume(spec);
  return name;
}

}  // namespace

std::optional<std::filesystem::path> find_case_file(const std::filesystem::path& brick,
                                                    const std::string& name) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(brick / ".gfbench", ec), end; !ec && it != end;
       it.increment(ec)) {
    const auto file = it->path() / name;
    if (std::filesystem::exists(file, ec)) return file;
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> wait_for_case_file(const std::filesystem::path& brick,
                                                        const std::string& name,
                                                        std::uint64_t bytes, tool_process& p,
                                                        std::chrono::seconds limit) {
  const auto deadline = clock::now() + limit;
  while (clock::now() < deadline && !p.exited()) {
    if (const auto file = find_case_file(brick, name)) {
      std::error_code ec;
      if (const auto size = std::filesystem::file_size(*file, ec); !ec && size >= bytes) {
        return file;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

own_volume::own_volume(std::string_view prefix, int bricks, bool replicated,
                       std::optional<std::uint64_t> brick_size_bytes)
    : own_volume(prefix,
                 {.bricks = bricks,
                  .layout = replicated ? volume_layout::replicate : volume_layout::distribute,
                  .brick_size_bytes = brick_size_bytes}) {}

own_volume::own_volume(std::string_view prefix, const sandbox_volume_spec& spec)
    : name_(next_volume_name(prefix)), vol_(connect_to(created(name_, spec))) {}

own_volume::~own_volume() {
  try {
    cluster().gluster({"volume", "stop", name_, "force"});
    cluster().delete_volume(name_);
  } catch (const std::exception&) {
    // The sandbox removes it at exit anyway.
  }
}

std::vector<std::filesystem::path> own_volume::bricks() const {
  std::vector<std::filesystem::path> paths;
  for (const auto& b : cluster().volume_info(name_).bricks) paths.push_back(b.path);
  return paths;
}

namespace {

void list_into(volume& vol, const std::string& dir, volume_listing& out) {
  for (const auto& entry : vol.list(dir)) {
    const std::string path = (dir == "/" ? "" : dir) + "/" + entry.name;
    const file_status st = vol.stat(path);
    switch (st.type) {
      case file_type::directory:
        out[path] = "d";
        list_into(vol, path, out);
        break;
      case file_type::regular: {
        auto f = vol.open(path, {.access = access_mode::read_only});
        const auto data = f.read_all();
        f.close();
        out[path] = "f " + std::to_string(st.size) + " " + std::to_string(fnv1a(data));
        break;
      }
      case file_type::symlink:
        out[path] = "l";
        break;
      case file_type::other:
        out[path] = "o";
        break;
    }
  }
}

}  // namespace

volume_listing list_volume(volume& vol) {
  volume_listing listing;
  list_into(vol, "/", listing);
  return listing;
}

void plant_file(volume& vol, const std::string& path, std::size_t size, std::uint64_t seed) {
  const auto slash = path.rfind('/');
  if (slash > 0) vol.mkdirs(path.substr(0, slash));
  auto f = vol.create(path);
  f.pwrite_all(random_bytes(size, seed), 0);
  f.fsync();
  f.close();
}

}  // namespace gfbench::testing
