#pragma once
/// \file
/// The I/O kernels: IOzone's write, rewrite, read, reread, random read and
/// random write, as Google Benchmark case bodies that run on any target.
///
/// What is timed (the case's manual time, a wall clock): the records of one
/// pass over the file, plus fsync when `fsync` is set (IOzone -e) and close
/// when `include_close` is set (IOzone -c). Opening or creating the file,
/// laying out files for reads, and verifying data happen outside it.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/export.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/target.hpp"
#include "gfbench/timeline.hpp"

namespace gfbench {

namespace detail {
struct case_binding_access;
}

/// What binds a case's context to the case a `suite` registered: which case
/// it is, who observes it, and how many write passes it made. The suite
/// sets it; kernels read it (observer.hpp's notify_* calls do).
class GFBENCH_API case_binding {
 public:
  /// The case as registered; null for a context no suite registered.
  [[nodiscard]] const case_info* info() const noexcept { return info_.get(); }
  /// The suite's observers (not owned); null when there are none.
  [[nodiscard]] const std::vector<case_observer*>* observers() const noexcept { return observers_; }
  /// Write passes the built-in kernels made in this case so far, over all
  /// repetitions: each pass writes content of its own (pattern generation
  /// n + 1), so no layer below can skip rewriting what is already there.
  [[nodiscard]] std::uint32_t write_passes() const noexcept { return write_passes_; }
  /// The length of each interval of a pass's timeline (timeline.hpp).
  [[nodiscard]] std::chrono::milliseconds timeline_interval() const noexcept {
    return timeline_interval_;
  }

 private:
  friend struct detail::case_binding_access;
  std::shared_ptr<const case_info> info_{};
  const std::vector<case_observer*>* observers_ = nullptr;
  std::uint32_t write_passes_ = 0;
  std::chrono::milliseconds timeline_interval_ = default_timeline_interval;
};

/// What a kernel gets: where to work and what to do.
///
/// Two modes. Normally the case works in a scratch area: it lays out (or
/// writes) its own file there and removes it at the end. With
/// `existing_file` set it only reads a file that is already there (what
/// --keep left, or a file the user named): read, reread and random_read
/// only; nothing is created, laid out or removed, `scratch` is unused and
/// `where` is the target. `shape.file_size` must then be the file's size
/// (the last record may be shorter than a block). The data is checked
/// against gfbench's pattern only when the file carries it (probes at its
/// start, middle and end match the pattern of its name); with
/// `shape.verify` a file without the pattern fails the case.
struct case_context {
  scratch_area* scratch = nullptr;  ///< the target and the case's directory
  io_shape shape{};
  std::string file_name{};      ///< the case's file inside the scratch area
  bool keep_files = false;      ///< leave the case's file for inspection
  target* where = nullptr;      ///< read-only mode: the target of `existing_file`
  std::string existing_file{};  ///< read-only mode: absolute path on `where`
  /// The case it belongs to and its observers, set by `suite` (told of each
  /// timed pass through notify_pass_begins / notify_pass_ended).
  case_binding binding{};
  /// Many clients (IOR's reordered reads, -C): the file a read case's timed
  /// passes read instead of the one it laid out itself, so that no cache of
  /// this client can serve them. Called with the case's scratch area and
  /// file name once per run of the case, after its own lay-out and before
  /// its first open; returns an absolute path on the same target: another
  /// client's file of the same case, laid out by the time it returns (a
  /// coordinator of clients waits for that inside it). The data read is
  /// checked against the pattern of that file's name. Empty: its own file.
  /// With it, the case's own file is laid out in place by each repetition
  /// and stays until the scratch area is removed, so that the other
  /// clients' repetitions read the same file, never one made again under
  /// the same name their caches may still hold the old inode of.
  std::function<std::string(const scratch_area&, const std::string&)> read_from{};
};

/// A kernel: a Google Benchmark case body. It must report errors with
/// `state.SkipWithError` and never let an exception escape.
using kernel_function = std::function<void(benchmark::State&, case_context&)>;

/// Runs a built-in kernel.
GFBENCH_API void run_kernel(operation op, benchmark::State& state, case_context& context);

/// Counters every built-in kernel may set besides the recorder's:
/// `degraded` = 1 when the target reported fewer reachable bricks than it
/// has (target::health()) before or after the case; `verified` = 1 or 0 in
/// read-only mode, whether the data was checked against gfbench's pattern.
inline constexpr const char* degraded_counter = "degraded";
inline constexpr const char* verified_counter = "verified";
/// Write cases: 1 when the timed region ends with fsync (IOzone -e), so the
/// time includes getting the data onto the bricks; 0 when it may end while
/// data still sits in client caches (write-behind, the page cache).
inline constexpr const char* fsync_timed_counter = "fsync_timed";

}  // namespace gfbench
