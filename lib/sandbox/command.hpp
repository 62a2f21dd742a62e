#pragma once
// The sandbox's command runner: one child process from an argv vector
// (never through a shell), with a time limit, capturing its stdout and
// stderr. Unlike util/child_process.hpp's posix_spawn runner it forks, so
// that the child can enter namespaces before exec. The child can be placed in a
// network namespace and in a private mount namespace of its own; that is how
// the sandbox keeps glusterd and its tools away from the host's
// /var/lib/glusterd, /var/run/gluster and /var/log/glusterfs.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::detail {

/// `source` bind-mounted over `target` inside the child's mount namespace.
struct bind_mount {
  std::filesystem::path source;
  std::filesystem::path target;
};

struct command {
  /// argv[0] is searched for (see find_program) unless it contains a '/'.
  std::vector<std::string> argv;
  /// The child's whole process group is SIGKILLed when this runs out.
  std::chrono::milliseconds timeout{60'000};
  /// A network namespace file (/var/run/netns/NAME) to enter; empty: ours.
  std::filesystem::path network_namespace;
  /// Set: the child gets a new mount namespace in which every mount of ours
  /// becomes a slave (it still sees mounts we make later, its own mounts
  /// stay private), then these bind mounts are made.
  std::optional<std::vector<bind_mount>> private_mounts;
  /// Added to (or replacing in) our environment: "KEY=VALUE".
  std::vector<std::string> environment;
};

struct command_result {
  int exit_code = -1;  ///< valid when signal == 0 and !timed_out
  int signal = 0;      ///< the signal that ended it, 0 if it exited
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::nanoseconds elapsed{};

  [[nodiscard]] bool ok() const noexcept { return !timed_out && signal == 0 && exit_code == 0; }
};

/// A started child. Destroying one that still runs kills its process group
/// and reaps it, so no path leaves a child behind.
class running_command {
 public:
  /// Starts the child. Throws sandbox_error when it cannot be started (no
  /// such program, setns/unshare/mount/exec failed: the message says which).
  explicit running_command(const command& cmd);
  running_command(const running_command&) = delete;
  running_command& operator=(const running_command&) = delete;
  ~running_command();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// Collects output until the child exits or its timeout runs out.
  command_result wait();

 private:
  void kill_and_reap() noexcept;

  std::string name_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point started_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
};

/// Runs a command to completion (or its timeout).
command_result run_command(const command& cmd);
/// Runs a command and returns its stdout; throws sandbox_error with the
/// command line, exit status and the tail of its output when it fails.
/// (Generic helpers, such as find_program, are in util/child_process.hpp.)
std::string run_checked(const command& cmd);

/// "`a b 'c d'` exited with code 1 after 0.12 s: <tail of output>".
std::string describe_failure(const command& cmd, const command_result& result);
}  // namespace gfbench::detail
