#pragma once
// What the library's own queued kernel may do with a case_recorder that a
// kernel written against the public API may not: hand it the records that
// threads timed into histograms of their own.

#include <cstdint>

#include "bench/record/latency_histogram.hpp"
#include "gfbench/recorder.hpp"

namespace gfbench::detail {

struct recorder_access {
  /// Adds `records` (one latency per request) and the `bytes` they moved.
  /// Not thread-safe: call it from the case's thread once a thread is done.
  static void merge(case_recorder& recorder, const latency_histogram& records,
                    std::uint64_t bytes) noexcept;
};

}  // namespace gfbench::detail
