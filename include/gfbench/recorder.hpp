#pragma once
/// \file
/// Timing for kernels, built-in and custom: one pass over a file is an
/// iteration, each I/O call a record. The recorder sets the case's manual
/// time, bytes processed, IOPS and per-record latency percentiles, so every
/// kernel reports the same counters in the same units.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>

#include "gfbench/export.hpp"

namespace gfbench {

namespace detail {
class latency_histogram;
struct recorder_access;
struct recorder_timeline;
}  // namespace detail

struct case_context;

/// Times the passes of one case and tells the case's observers
/// (observer.hpp) when each timed pass begins and ends, outside the timed
/// region, so that a kernel cannot forget to.
class GFBENCH_API case_recorder {
 public:
  using clock = std::chrono::steady_clock;

  /// Observers are those of the case a `suite` is running on this thread
  /// (the kernel's own case), if any.
  explicit case_recorder(benchmark::State& state);
  /// Observers are those of `context` (null or empty: none).
  case_recorder(benchmark::State& state, const case_context& context);
  ~case_recorder();
  case_recorder(const case_recorder&) = delete;
  case_recorder& operator=(const case_recorder&) = delete;

  /// Marks the start of the timed region of one iteration, right after the
  /// observers' before_pass. An observer that throws fails the pass: the
  /// exception propagates, and a registered case reports it as its error.
  void begin_iteration();
  /// Times one record of `bytes` bytes: `io()` is called once.
  template <class Io>
  void record(std::uint64_t bytes, Io&& io) {
    const auto start = clock::now();
    io();
    add_record(bytes, start, clock::now());
  }
  /// Runs work inside an iteration that must not count (verification).
  template <class Work>
  void untimed(Work&& work) {
    const auto start = clock::now();
    work();
    excluded_ += clock::now() - start;
  }
  /// Ends the iteration, hands its wall time to Google Benchmark, then
  /// calls the observers' pass_moved, pass_timeline (timeline.hpp: what
  /// completed in each interval of the pass) and after_pass (which may
  /// throw, as before_pass). Records a kernel adds for the pass after its
  /// timed region (merged from threads) must be in by then.
  void end_iteration();
  /// The same, with the iteration ending at `end` rather than now: for a
  /// pass whose requests overlap (io_queue.hpp), the last completion.
  void end_iteration(clock::time_point end);
  /// When the current iteration's timed region began (begin_iteration).
  [[nodiscard]] clock::time_point iteration_begin() const noexcept { return begin_; }
  /// Sets bytes processed and the counters: IOPS (records per second of
  /// manual time), lat_records (how many records were timed), and the
  /// latency of a record in microseconds: lat_p50_us, lat_p90_us,
  /// lat_p99_us, lat_p999_us (99.9th percentile), lat_p9999_us (99.99th)
  /// and lat_max_us. A percentile is one only when there are enough records
  /// for it: 10 for p90, 100 for p99, 1000 for p99.9, 10000 for p99.99; with
  /// fewer, the tail is the largest record, and the counter holds
  /// lat_max_us (lat_records tells which). Every case sets the same
  /// counters, as Google Benchmark's CSV output needs.
  void finish();

 private:
  friend struct detail::recorder_access;
  void add_record(std::uint64_t bytes, clock::time_point start, clock::time_point end);

  benchmark::State& state_;
  const case_context* context_;
  std::unique_ptr<detail::latency_histogram> histogram_;
  // The current pass's timeline (timeline.hpp), and this thread's side of it.
  std::unique_ptr<detail::recorder_timeline> timeline_;
  clock::time_point begin_{};
  clock::duration excluded_{};
  std::uint64_t bytes_ = 0;
  std::uint64_t records_ = 0;
  // bytes_ and records_ when the current iteration began: what it moved is
  // the difference (observers' pass_moved).
  std::uint64_t bytes_at_begin_ = 0;
  std::uint64_t records_at_begin_ = 0;
};

}  // namespace gfbench
