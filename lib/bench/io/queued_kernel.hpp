#pragma once
// The built-in kernels with many requests in flight (io_shape::queued):
// threads x queue depth requests on io_queue, size-based (one sweep over
// the file per pass) or time-based (--runtime, after a ramp-up that is not
// counted), sequential, random, or random reads and writes mixed.

#include <benchmark/benchmark.h>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

/// Runs `op` on `context`'s scratch file with `context.shape`'s queue depth
/// and threads. Throws on failure (run_kernel turns it into the case's
/// error); a stop request drains what is in flight and ends it as failed.
void run_queued_kernel(operation op, benchmark::State& state, case_context& context);

}  // namespace gfbench::detail
