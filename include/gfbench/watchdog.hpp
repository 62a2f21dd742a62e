#pragma once
/// \file
/// A bound on how long one I/O call of a benchmark case may take.
///
/// libgfapi calls cannot be cancelled. A brick that hangs (stopped, a stuck
/// disk, a network that drops packets) blocks a call until the client's
/// network.ping-timeout (a volume option, 42 s by default) declares the
/// brick dead; the call then fails with ENOTCONN. Measured on glusterfs 10.3:
/// 49.9 s with the default, 18.5 s with `network.ping-timeout 10`. A FUSE
/// mount hangs the same way. So the watchdog does not cancel anything: a
/// thread of its own notices a call that has run longer than `op_timeout`,
/// marks its case hung (the case fails once the call returns, and later
/// cases on the same target are skipped), and after `give_up_after` hands
/// the report to `on_give_up`, which may end the process (the gfbench tool
/// does, with exit status 1, without cleaning up the hung target).
///
/// The kernels watch every call they make on a target: create, open,
/// records, fsync, close, verification reads, unlink and the brick health
/// checks. Watching costs two atomic increments per call; the watchdog
/// thread polls a few times per second.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gfbench/export.hpp"
#include "gfbench/target.hpp"

namespace gfbench {

/// A call that ran longer than the watchdog's bound.
struct hang_report {
  std::string operation{};  ///< e.g. "glfs_pwrite", "brick health check"
  std::string target{};     ///< the target's describe(), e.g. "volume v (libgfapi)"
  std::string path{};       ///< the file or directory, when there is one
  std::optional<std::uint64_t> offset{};
  /// What the case leaves behind on the target if it is given up on: its
  /// scratch directory; empty when the case created nothing.
  std::string leftover{};
  std::chrono::milliseconds waited{};  ///< how long the call had run when reported
};

struct watchdog_options {
  /// A call still running after this long marks its case hung.
  std::chrono::milliseconds op_timeout{60'000};
  /// A call still running after this long is given up on (`on_give_up`).
  /// Zero: never; the watchdog then only marks and logs.
  std::chrono::milliseconds give_up_after{120'000};
  /// Called on the watchdog's thread when a call becomes hung (after the
  /// library has logged it). May be empty.
  std::function<void(const hang_report&)> on_hang{};
  /// Called on the watchdog's thread when a call is given up on. The call
  /// is still blocked in another thread: the callback may end the process
  /// (std::_Exit), it must not wait for that thread. May be empty.
  std::function<void(const hang_report&)> on_give_up{};
};

/// Replaces the watchdog's settings (process-wide). Thread-safe.
GFBENCH_API void configure_watchdog(watchdog_options options);
/// The current op_timeout.
[[nodiscard]] GFBENCH_API std::chrono::milliseconds operation_timeout();
/// True once a call on `where` was marked hung in this process.
[[nodiscard]] GFBENCH_API bool target_hung(const target& where);

}  // namespace gfbench
