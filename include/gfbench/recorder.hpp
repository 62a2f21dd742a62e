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
}

class GFBENCH_API case_recorder {
 public:
  using clock = std::chrono::steady_clock;

  explicit case_recorder(benchmark::State& state);
  ~case_recorder();
  case_recorder(const case_recorder&) = delete;
  case_recorder& operator=(const case_recorder&) = delete;

  /// Marks the start of the timed region of one iteration.
  void begin_iteration() noexcept {
    begin_ = clock::now();
    excluded_ = {};
  }
  /// Times one record of `bytes` bytes: `io()` is called once.
  template <class Io>
  void record(std::uint64_t bytes, Io&& io) {
    const auto start = clock::now();
    io();
    add_record(bytes, clock::now() - start);
  }
  /// Runs work inside an iteration that must not count (verification).
  template <class Work>
  void untimed(Work&& work) {
    const auto start = clock::now();
    work();
    excluded_ += clock::now() - start;
  }
  /// Ends the iteration and hands its wall time to Google Benchmark.
  void end_iteration() noexcept;
  /// Sets bytes processed and the counters: IOPS (records per second of
  /// manual time), lat_p50_us, lat_p99_us, lat_max_us (microseconds).
  void finish();

 private:
  void add_record(std::uint64_t bytes, clock::duration took) noexcept;

  benchmark::State& state_;
  std::unique_ptr<detail::latency_histogram> histogram_;
  clock::time_point begin_{};
  clock::duration excluded_{};
  std::uint64_t bytes_ = 0;
  std::uint64_t records_ = 0;
};

}  // namespace gfbench
