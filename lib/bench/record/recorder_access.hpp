#pragma once
// What the library's own queued kernel may do with a case_recorder that a
// kernel written against the public API may not: hand it the records that
// threads timed into histograms of their own.

#include <cstdint>

#include "bench/record/latency_histogram.hpp"
#include "bench/record/timeline_builder.hpp"
#include "gfbench/recorder.hpp"

namespace gfbench::detail {

struct recorder_access {
  /// The current pass's timeline, for the threads' writers (null between
  /// passes).
  static timeline_builder* timeline(case_recorder& recorder) noexcept;
  /// Ends the current pass's timeline at `end` (every thread's writer has
  /// finished) and returns it.
  static pass_timeline end_timeline(case_recorder& recorder, case_recorder::clock::time_point end);
  /// A pass that failed part way: its observers get its timeline up to
  /// `end`, and no after_pass.
  static void abandon_pass(case_recorder& recorder, case_recorder::clock::time_point end);
  /// Adds `records` (one latency per request) and the `bytes` they moved.
  /// Not thread-safe: call it from the case's thread once a thread is done.
  static void merge(case_recorder& recorder, const latency_histogram& records,
                    std::uint64_t bytes) noexcept;
};

}  // namespace gfbench::detail
