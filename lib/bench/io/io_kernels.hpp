#pragma once
// The built-in kernels on a case's own file: IOzone's write, rewrite and
// random write (-i 0, -i 2), read, reread and random read (-i 1, -i 2).

#include <benchmark/benchmark.h>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

/// Runs `op` on `context`'s scratch file. Throws on failure (run_kernel
/// turns it into the case's error); a stop request ends it as failed.
void run_io_kernel(operation op, benchmark::State& state, case_context& context);

/// Thrown before a record once a stop was requested (gfbench/stop.hpp): a
/// pass over a large file can take minutes, and Ctrl-C must not wait for it.
void stop_if_requested();

}  // namespace gfbench::detail
