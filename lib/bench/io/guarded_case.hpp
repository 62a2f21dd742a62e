#pragma once
// A case's passes between two brick health checks, and what a failed case
// leaves: the one frame every built-in kernel runs in.

#include <benchmark/benchmark.h>

#include <functional>

#include "bench/io/case_file.hpp"
#include "bench/watch/health_watch.hpp"

namespace gfbench::detail {

/// Runs `passes` between two checks of `health`. A case that fails (an
/// exception, or SkipWithError) winds down: the check after it, the
/// `degraded` counter, and its file removed at once unless `keep_files` or
/// its target hung, so that failures do not pile up on a full volume. An
/// exception is rethrown with the health note (health_watch::
/// rethrow_with_note).
void run_guarded(benchmark::State& state, health_watch& health, case_file& file, bool keep_files,
                 const std::function<void()>& passes);

}  // namespace gfbench::detail
