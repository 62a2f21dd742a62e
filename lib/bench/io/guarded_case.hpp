#pragma once
// A case's passes between two brick health checks, and what a failed case
// leaves: the one frame every built-in kernel runs in.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>

#include "bench/io/case_file.hpp"
#include "bench/watch/health_watch.hpp"
#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

/// One run of a built-in kernel on a file of its own (one repetition of its
/// case): the file, the brick health checks around the passes, and what the
/// shape says of the file's records and pattern. The data kernels derive
/// from it and run their passes through run().
class guarded_case {
 protected:
  guarded_case(benchmark::State& state, case_context& context);
  /// Runs `passes` between two health checks (run_guarded).
  void run(const std::function<void()>& passes);

  benchmark::State& state_;
  case_context& context_;
  const io_shape shape_;
  case_file file_;
  health_watch health_;
  const std::uint64_t seed_;    ///< the file's pattern seed
  const std::uint64_t period_;  ///< the pattern's period at this block size
  const std::uint64_t records_;
};

/// Runs `passes` between two checks of `health`. A case that fails (an
/// exception, or SkipWithError) winds down: the check after it, the
/// `degraded` counter, and its file removed at once unless `keep_files` or
/// its target hung, so that failures do not pile up on a full volume. An
/// exception is rethrown with the health note (health_watch::
/// rethrow_with_note).
void run_guarded(benchmark::State& state, health_watch& health, case_file& file, bool keep_files,
                 const std::function<void()>& passes);

}  // namespace gfbench::detail
