#pragma once
// The brick health checks around a built-in case: which bricks answered
// before and after it, outside its timed region.

#include <benchmark/benchmark.h>

#include <string>
#include <utility>

#include "bench/watch/watched_scope.hpp"
#include "gfbench/target.hpp"

namespace gfbench::detail {

/// Asks a target which bricks answer (target::health()), before and after a
/// case, outside its timed region and under the watchdog, and marks the case
/// `degraded` when a brick was missing either time. Targets that cannot
/// tell (POSIX directories) are never marked. A check that fails for
/// another reason than a hang or ENOTCONN is logged and ignored.
class health_watch {
 public:
  health_watch(target& where, watched_scope& watch, std::string case_label)
      : where_(where), watch_(watch), label_(std::move(case_label)) {}
  /// `when` is "before" or "after", for the log. Throws only the
  /// watchdog's ETIMEDOUT.
  void check(const char* when);
  /// Sets the `degraded` counter: 1 when a check saw a missing brick, else 0.
  void report(benchmark::State& state) const;
  [[nodiscard]] bool degraded() const noexcept { return degraded_; }
  /// What the first degraded check saw, e.g. "volume v degraded after the
  /// case: 1 of 2 bricks answer"; empty when none was degraded. Google
  /// Benchmark reports no counters for a failed case, so failed cases carry
  /// this in their error message instead (rethrow_with_note).
  [[nodiscard]] const std::string& note() const noexcept { return note_; }
  /// Rethrows the exception being handled, with the note added when there
  /// is one: an io_error stays an io_error (its errno, operation, path and
  /// offset unchanged, the note after its hint); anything else becomes a
  /// std::runtime_error with the note after its message. Call it only from
  /// a catch block.
  [[noreturn]] void rethrow_with_note() const;

 private:
  target& where_;
  watched_scope& watch_;
  std::string label_;
  bool degraded_ = false;
  std::string note_;
};

}  // namespace gfbench::detail
