#pragma once
// Running a short command in the middle of a benchmark without disturbing
// it: posix_spawn, not fork.
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
#include <string>
#include <vector>

namespace gfbench::detail {

struct spawn_result {
  int exit_code = -1;  ///< valid when !signaled && !timed_out
  bool signaled = false;
  bool timed_out = false;
  std::string out;
  std::string err;

  [[nodiscard]] bool ok() const noexcept { return !signaled && !timed_out && exit_code == 0; }
};

/// Runs argv (argv[0] looked up like find_program when it has no '/') to
/// its end or `timeout` (then SIGKILL). Throws std::runtime_error when it
/// cannot be started.
spawn_result spawn_capture(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout);

/// "`ARGV` exited with code N: <last lines of stderr, else stdout>".
std::string describe_spawn_failure(const std::vector<std::string>& argv,
                                   const spawn_result& result);

}  // namespace gfbench::detail
