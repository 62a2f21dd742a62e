#pragma once
// Running a command, generically: a short one in the middle of a benchmark
// without disturbing it (posix_spawn, not fork), and the helpers every
// command runner needs (finding a program, quoting a command line).
//
// fork() write-protects every private page of the calling process for
// copy-on-write. After the child has exec'ed, the parent's next write to
// each page still takes a page fault. A profile snapshot right before a
// timed pass, taken with fork, made the pass pay one fault per 4 KiB of
// its buffers (and of libgfapi's iobufs): FUSE page-cache reads of 1 MiB
// ran at 0.9 GB/s instead of 2.2 GB/s. glibc's posix_spawn uses
// clone(CLONE_VM | CLONE_VFORK) and touches no page table of ours.
//
// The child gets no descriptor of ours but its stdout and stderr pipes
// (closefrom 3) and /dev/null as stdin.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace gfbench::detail {

/// A child that could not be started (or waited for): errno and what was
/// being done, e.g. "posix_spawn /usr/bin/gnuplot: No such file or directory".
class process_error : public std::system_error {
 public:
  process_error(int errno_value, const std::string& what)
      : std::system_error(errno_value, std::generic_category(), what) {}
  [[nodiscard]] int errno_value() const noexcept { return code().value(); }
};

struct spawn_result {
  int exit_code = -1;  ///< valid when !signaled && !timed_out
  bool signaled = false;
  bool timed_out = false;
  std::string out;
  std::string err;

  [[nodiscard]] bool ok() const noexcept { return !signaled && !timed_out && exit_code == 0; }
};

/// Runs argv (argv[0] looked up like find_program when it has no '/') to
/// its end or `timeout` (then SIGKILL). Throws process_error when it cannot
/// be started.
spawn_result spawn_capture(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

/// "`ARGV` exited with code N: <last lines of stderr, else stdout>".
std::string describe_spawn_failure(const std::vector<std::string>& argv,
                                   const spawn_result& result);

/// The argv quoted so that a person can paste it into a shell.
std::string quote_command_line(const std::vector<std::string>& argv);
/// The last `max_lines` lines of `text`.
std::string tail_lines(std::string_view text, std::size_t max_lines);
/// Looks a program up in PATH and then in the sbin directories, which a
/// root shell started by sudo or cron may lack in its PATH.
std::optional<std::filesystem::path> find_program(std::string_view name);

}  // namespace gfbench::detail
