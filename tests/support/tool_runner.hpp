#pragma once
// Running the gfbench tool as a child process, the way a user does: with a
// deadline, its stdout and stderr captured, signals sent to it by pid. The
// child inherits the calling thread's network namespace, so a test that
// called cluster() (on the main thread) runs the tool next to the sandbox.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/sandbox.hpp"
#include "gfbench/volume.hpp"

namespace gfbench::testing {

/// The gfbench executable built with the tests.
const char* tool_path() noexcept;

struct tool_result {
  int exit_code = -1;  ///< the exit status, or 128+N when killed by signal N
  bool timed_out = false;
  std::string out;
  std::string err;
  double seconds = 0;  ///< from start to exit
};

/// One running gfbench. The destructor kills it (SIGKILL, by its pid) if it
/// still runs, and reaps it.
class tool_process {
 public:
  /// Starts gfbench; with `netns_file` (e.g. /var/run/netns/NAME) the child
  /// enters that network namespace first instead of inheriting ours.
  /// `environment` ("NAME=VALUE") is added to (or replaces in) ours.
  explicit tool_process(const std::vector<std::string>& args, const std::string& netns_file = {},
                        const std::vector<std::string>& environment = {});
  /// The same for another program (an absolute path), e.g. mpirun running gfbench.
  tool_process(const std::string& program, const std::vector<std::string>& args,
               const std::string& netns_file = {},
               const std::vector<std::string>& environment = {});
  ~tool_process();
  tool_process(const tool_process&) = delete;
  tool_process& operator=(const tool_process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  void send_signal(int signal_number);
  /// Stops reading the tool's stdout and closes it, as `gfbench | head` does
  /// once head has seen enough: the tool's next write there fails (EPIPE).
  void close_stdout();
  /// Waits for the exit, at most `timeout` from this call; after that kills
  /// it and marks the result timed out.
  tool_result wait(std::chrono::milliseconds timeout);
  /// True once it has exited (reaps it; wait() then returns at once).
  bool exited();
  /// Reads the tool's output until its stderr holds `text` (true), it
  /// exits or `timeout` passes (false): a run's progress lines say where
  /// it is, so a test can act at a known point instead of after a guess.
  bool wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout);
  /// What the tool wrote to stderr so far.
  [[nodiscard]] const std::string& stderr_so_far() const noexcept { return err_; }

 private:
  void pump(int wait_ms);  // reads what the pipes hold

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::chrono::steady_clock::time_point started_;
  double seconds_ = 0;
  std::string out_;
  std::string err_;
};

/// Runs gfbench with `args` to the end (or `timeout`).
tool_result run_tool(const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(120),
                     const std::string& netns_file = {},
                     const std::vector<std::string>& environment = {});

/// "exit N after S s" and both outputs, for a failed assertion's message.
std::string describe(const tool_result& r);

/// What the tool said went wrong, for a test's report: the lines after
/// "failed cases:" and "degraded cases:" in stdout, and stderr's warnings
/// and errors (log lines at warning level and up, and "gfbench: ..." lines).
std::string what_it_said(const tool_result& r);

/// `a` followed by `b`: a volume's flags plus a test's own.
std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b);

/// The flags that point gfbench at a sandbox volume (node 0 as server).
std::vector<std::string> volume_args(std::string_view volume_name);

/// A sandbox volume of one test's own (named "<prefix>-<pid>-<n>"), with a
/// connection to it; stopped and deleted when it goes.
class own_volume {
 public:
  own_volume(std::string_view prefix, int bricks = 1, bool replicated = false,
             std::optional<std::uint64_t> brick_size_bytes = {});
  /// As `spec` says (its name is replaced by "<prefix>-<pid>-<n>").
  own_volume(std::string_view prefix, const sandbox_volume_spec& spec);
  ~own_volume();
  own_volume(const own_volume&) = delete;
  own_volume& operator=(const own_volume&) = delete;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] volume& vol() noexcept { return vol_; }
  /// gfbench's flags for it: --volume NAME --server <node 0>.
  [[nodiscard]] std::vector<std::string> args() const { return volume_args(name_); }
  /// Its brick directories on this machine (backend files).
  [[nodiscard]] std::vector<std::filesystem::path> bricks() const;

 private:
  std::string name_;
  volume vol_;
};

/// The case file `name` in a gfbench run directory (.gfbench/run-*) on
/// `brick`, a brick's backend directory, if there is one.
std::optional<std::filesystem::path> find_case_file(const std::filesystem::path& brick,
                                                    const std::string& name);
/// Waits until that file holds at least `bytes` (the case writing it is
/// under way, or its lay-out done); nullopt when the tool exited first or
/// `limit` passed.
std::optional<std::filesystem::path> wait_for_case_file(
    const std::filesystem::path& brick, const std::string& name, std::uint64_t bytes,
    tool_process& p, std::chrono::seconds limit = std::chrono::seconds(60));

/// Everything on a volume: path -> "d" for a directory, or
/// "f <size> <fnv1a of the content>" for a file ("l" symlinks, "o" other).
using volume_listing = std::map<std::string, std::string>;
volume_listing list_volume(volume& vol);

/// A file with `size` random bytes (from `seed`) at `path`, parents made.
void plant_file(volume& vol, const std::string& path, std::size_t size, std::uint64_t seed);

}  // namespace gfbench::testing
