#pragma once
/// \file
/// A timed pass over time: what completed in each interval of it, and the
/// stretches where requests were in flight and none completed. An average
/// over a pass hides a brick that stood still for 40 s; its timeline shows
/// it. Every kernel that times with a case_recorder gets one per pass, and
/// a case's observers are given it (observer.hpp, pass_timeline) right
/// after the pass.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gfbench/export.hpp"

namespace gfbench {

/// The intervals a pass is cut into unless a suite is told otherwise
/// (suite::timeline_interval), and the shortest it takes.
inline constexpr std::chrono::milliseconds default_timeline_interval{1000};
inline constexpr std::chrono::milliseconds min_timeline_interval{100};
/// At most this many intervals are kept per pass: a longer pass has them
/// merged in pairs (their length doubled) as often as it takes, so that a
/// pass of a day at 100 ms costs as little memory as one of 15 minutes.
inline constexpr std::size_t max_timeline_intervals = 8192;
/// A stall is at least this long: shorter gaps between completions are
/// what latency is, not an event.
inline constexpr std::chrono::milliseconds min_stall{100};

/// One interval of a timed pass: the requests (I/O calls; items for the
/// metadata phases) that completed in it.
struct timeline_interval {
  double start_s = 0;  ///< from the pass's start
  double seconds = 0;  ///< its length (the last one ends with the pass)
  std::uint64_t completions = 0;
  std::uint64_t bytes = 0;
  /// What the completions covered: one each for I/O; for the metadata
  /// phases the files (or entries listed) of their calls.
  std::uint64_t items = 0;
  /// Latency of the requests that completed in it, in microseconds: from
  /// a histogram of about 19 % wide buckets (each value within about 9.5 %
  /// of the truth), the maximum exact. Zero when none completed.
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
  /// Requests in flight at its end, as each thread last saw them.
  std::uint64_t in_flight = 0;
  /// Paced cases (io_shape::rate_iops): requests due at its end but not yet
  /// sent, because every slot of the queue was taken; 0 for the others.
  std::uint64_t backlog = 0;
  /// Requests that failed in it, by errno.
  std::vector<std::pair<int, std::uint64_t>> errors{};
  /// The latency histogram behind the percentiles, as (bucket, count) of
  /// its non-empty buckets, so that stretches of intervals can be merged
  /// (span_of); the buckets are the library's own.
  std::vector<std::pair<std::uint16_t, std::uint32_t>> latency_buckets{};
};

/// A stretch of at least min_stall with requests in flight and none
/// completed, on any thread.
struct timeline_stall {
  double start_s = 0;  ///< from the pass's start: the last completion before it
  double seconds = 0;
  std::uint64_t in_flight = 0;  ///< requests waiting all along
  bool to_end = false;          ///< it lasted until the pass ended
};

/// One timed pass over time.
struct pass_timeline {
  /// When the pass's timed region began, on the steady clock and in UTC.
  std::chrono::steady_clock::time_point begin{};
  std::chrono::system_clock::time_point begin_utc{};
  double seconds = 0;     ///< the pass's length
  double interval_s = 0;  ///< the intervals' length
  /// The length asked for; shorter than interval_s when a long pass had
  /// its intervals merged (max_timeline_intervals).
  double asked_interval_s = 0;
  std::vector<timeline_interval> intervals{};
  std::vector<timeline_stall> stalls{};  ///< in time order

  /// The longest stall; null when there was none.
  [[nodiscard]] GFBENCH_API const timeline_stall* longest_stall() const noexcept;
  /// Completions over all intervals.
  [[nodiscard]] GFBENCH_API std::uint64_t completions() const noexcept;
};

/// What a stretch of a pass did: the intervals that start in [from_s,
/// to_s), added up, their latency percentiles from their merged histograms
/// (as exact as an interval's).
struct timeline_span {
  double from_s = 0;
  double to_s = 0;
  double seconds = 0;  ///< the intervals' length in all
  std::size_t intervals = 0;
  std::uint64_t completions = 0;
  std::uint64_t bytes = 0;
  std::uint64_t errors = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
  [[nodiscard]] double per_second() const noexcept {
    return seconds > 0 ? static_cast<double>(completions) / seconds : 0;
  }
};

/// The latencies one bucket of timeline_interval::latency_buckets holds,
/// in microseconds: from low_us up to but not including high_us.
struct latency_bucket_range {
  double low_us = 0;
  double high_us = 0;
};
/// The range of `bucket`; a bucket past the last holds nothing ({0, 0}).
[[nodiscard]] GFBENCH_API latency_bucket_range latency_bucket_bounds(std::uint16_t bucket) noexcept;

/// The intervals of `t` that start in [from_s, to_s), as one stretch.
[[nodiscard]] GFBENCH_API timeline_span span_of(const pass_timeline& t, double from_s, double to_s);

}  // namespace gfbench
