#pragma once
// The gfbench tool's safety checks around a run, kept out of main so that
// they can be tested: room on every target before anything is written, and
// the watchdog's last resort when an I/O call never returns.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gfbench/metadata.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"

namespace gfbench::app {

/// What one target has and what the run would need there.
struct space_verdict {
  std::string targets;          ///< describe() of the target(s), ", "-joined
  std::uint64_t need = 0;       ///< bytes of files (bytes_needed, summed over shared targets)
  std::uint64_t required = 0;   ///< need plus the margin (free_space_required)
  std::uint64_t available = 0;  ///< statvfs available bytes
  [[nodiscard]] bool enough() const noexcept { return available >= required; }
};

/// Asks every target's statvfs and compares it with what the matrix needs
/// there. With `keep`, targets that report identical totals (bytes and
/// inodes) are taken to be one file system, as gfapi and a FUSE mount of the
/// same volume are, and their needs add up; without it cases never overlap,
/// so each needs only its largest file. Throws io_error if statvfs fails.
std::vector<space_verdict> assess_free_space(const std::vector<target*>& targets,
                                             const benchmark_matrix& matrix, bool keep);

/// Throws std::runtime_error for the first verdict without enough room:
/// "not enough free space on volume V (libgfapi): the run needs 128 MiB of
/// files (...), 144 MiB with the margin, and 60.1 MiB is available; ..."
void check_free_space(const std::vector<target*>& targets, const benchmark_matrix& matrix,
                      bool keep);

/// The same for the metadata phases: the files' bytes (metadata.hpp's
/// bytes_needed) with the margin, and their inodes where the target counts
/// them, summed over the targets (which may share a volume). Throws
/// std::runtime_error naming the target, the need and what is free.
void check_free_space(const std::vector<target*>& targets, const metadata_matrix& matrix);

/// "12.3 MiB (12897484 bytes)".
std::string describe_bytes(std::uint64_t bytes);

/// Configures the watchdog for the tool: calls longer than `op_timeout`
/// mark their case hung; at twice that, gfbench prints what hung and what it
/// leaves behind, runs `before_exit` (stopping a zero-config sandbox) and
/// ends the process with status 1, without the clean-up the blocked thread
/// would do.
void watch_operations(std::chrono::milliseconds op_timeout, std::function<void()> before_exit);

}  // namespace gfbench::app
