#pragma once
// The read-only kernel (gfbench --read-only): read, reread or random_read
// of a file that is already there; nothing is created, written or removed.

#include <benchmark/benchmark.h>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

/// Reads `context.existing_file` on `context.where`. Throws; run_kernel
/// turns it into the case's error.
void read_existing_file(operation op, benchmark::State& state, case_context& context);

}  // namespace gfbench::detail
