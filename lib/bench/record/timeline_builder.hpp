#pragma once
// How a pass's timeline (gfbench/timeline.hpp) is made while the pass
// runs. Each thread that completes requests has a timeline_writer: it
// counts into the one interval open now, in memory of its own, and hands
// that interval to the pass's timeline_builder (under a lock) only when
// its next completion falls in a later interval: a lock per interval per
// thread, none per request. A writer also notes each gap of at least
// min_stall between its completions while it had requests in flight; the
// builder's stalls are the stretches every thread was in such a gap.

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "bench/record/latency_histogram.hpp"
#include "gfbench/timeline.hpp"

namespace gfbench::detail {

/// Latencies of one interval: four buckets per power of two from 64 ns to
/// about 18 minutes (each about 19 % wide), the maximum exact; smaller
/// than the pass's histogram (record/latency_histogram.hpp) because there
/// is one per interval.
class interval_histogram {
 public:
  void add(std::uint64_t nanoseconds) noexcept {
    ++counts_[bucket_of(nanoseconds)];
    ++total_;
    raise_max(nanoseconds);
  }
  /// `n` latencies of `nanoseconds` (the maximum left alone: it is exact).
  void add_many(std::uint64_t nanoseconds, std::uint64_t n) noexcept {
    counts_[bucket_of(nanoseconds)] += static_cast<std::uint32_t>(n);
    total_ += n;
  }
  void raise_max(std::uint64_t nanoseconds) noexcept {
    if (nanoseconds > max_) max_ = nanoseconds;
  }
  void merge(const interval_histogram& other) noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  /// The middle of the bucket holding the q-quantile, at most the maximum.
  [[nodiscard]] std::uint64_t quantile(double q) const noexcept;
  /// The buckets that hold a latency: (bucket, count), in order.
  [[nodiscard]] std::vector<std::pair<std::uint16_t, std::uint32_t>> nonzero() const;

  static constexpr int sub_bits = 2;
  static constexpr int subs = 1 << sub_bits;
  static constexpr int low_exponent = 6;    // 64 ns
  static constexpr int high_exponent = 40;  // about 18 minutes
  static constexpr int bucket_count = (high_exponent - low_exponent + 1) * subs + 1;
  /// The q-quantile of `counts` (bucket_count of them, `total` in all),
  /// at most `max`: the middle of the bucket that holds it.
  template <typename Count>
  static std::uint64_t quantile_of(const Count* counts, std::uint64_t total, std::uint64_t max,
                                   double q) noexcept {
    if (total == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total - 1));
    std::uint64_t seen = 0;
    for (int b = 0; b < bucket_count; ++b) {
      seen += counts[b];
      if (seen > rank) return std::min(max, (bucket_low(b) + bucket_high(b)) / 2);
    }
    return max;
  }

 private:
  static int bucket_of(std::uint64_t v) noexcept {
    if (v < (std::uint64_t{1} << low_exponent)) return 0;
    const int exponent = std::min(static_cast<int>(std::bit_width(v)) - 1, high_exponent);
    const auto sub = static_cast<int>((v >> (exponent - sub_bits)) & (subs - 1));
    return 1 + (exponent - low_exponent) * subs + sub;
  }

 public:
  /// The latencies bucket `bucket` holds: [bucket_low, bucket_high).
  static std::uint64_t bucket_low(int bucket) noexcept;
  static std::uint64_t bucket_high(int bucket) noexcept;

 private:
  std::array<std::uint32_t, bucket_count> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

/// What completed in one interval, as one thread or the whole pass saw it.
struct interval_counts {
  interval_histogram latencies;
  std::uint64_t completions = 0;
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
  std::uint64_t in_flight = 0;
  std::uint64_t backlog = 0;
  std::vector<std::pair<int, std::uint64_t>> errors{};

  void merge(const interval_counts& other);
  void add_error(int errno_value, std::uint64_t n = 1);
};

inline constexpr std::uint64_t min_stall_ns =
    std::chrono::duration_cast<std::chrono::nanoseconds>(min_stall).count();

/// A gap between a thread's completions, in nanoseconds from the pass's start.
struct completion_gap {
  std::uint64_t from_ns = 0;
  std::uint64_t to_ns = 0;
  std::uint64_t in_flight = 0;
  bool to_end = false;
};

class timeline_builder {
 public:
  using clock = std::chrono::steady_clock;

  timeline_builder(clock::time_point begin, std::chrono::nanoseconds interval);

  [[nodiscard]] clock::time_point begin() const noexcept { return begin_; }
  /// The intervals' length now, in nanoseconds.
  [[nodiscard]] std::uint64_t width_ns();

  /// A thread's counts of the interval that starts at `start_ns`, and
  /// that it kept `in_flight` requests in flight (and `backlog` due but not
  /// sent) at the end of every interval ending after `reported_until_ns`
  /// and by `until_ns` (which it advances). Returns the intervals' length now, which the writer
  /// takes for its next interval.
  std::uint64_t add(std::uint64_t start_ns, const interval_counts& counts, std::uint64_t in_flight,
                    std::uint64_t backlog, std::uint64_t& reported_until_ns,
                    std::uint64_t until_ns);
  /// A thread's gaps, once it is done.
  void add_gaps(std::vector<completion_gap> gaps);

  /// The timeline of the pass that ended at `end`; every writer must have
  /// finished.
  [[nodiscard]] pass_timeline finish(clock::time_point end);

 private:
  // Slot `index` at the current width, made as needed; past the most the
  // builder keeps, the intervals are merged in pairs first.
  interval_counts& slot(std::uint64_t index);
  void coarsen();

  std::mutex mutex_;
  const clock::time_point begin_;
  const std::chrono::system_clock::time_point begin_utc_;
  const std::uint64_t asked_ns_;
  std::uint64_t width_ns_;
  std::vector<interval_counts> slots_;
  std::vector<std::vector<completion_gap>> gaps_;  // one list per thread
};

/// One thread's side of a pass's timeline. A writer made without a builder
/// writes nothing (a kernel run without a recorder's pass).
class timeline_writer {
 public:
  using clock = timeline_builder::clock;

  timeline_writer() = default;
  explicit timeline_writer(timeline_builder* builder);
  /// The recording thread's writer: its latencies are the ones `pass`
  /// (the pass's histogram, which times every record anyway) gains, taken
  /// once per interval instead of once per request. Records merged into
  /// `pass` from elsewhere must be told (merged()).
  timeline_writer(timeline_builder* builder, const latency_histogram* pass);
  /// Records merged into the pass's histogram that are not this writer's.
  void merged(const latency_histogram& records) noexcept {
    if (pass_latencies_ != nullptr) seen_latencies_.merge(records);
  }

  // The calls a request makes are inline and branch to the out-of-line
  // part only at an interval's end and at a gap: a few dozen instructions
  // per request (docs/performance.md has the count).

  /// A request went in flight now (the clock is read only when none was).
  void submitted() noexcept {
    if (builder_ != nullptr && in_flight_++ == 0) became_busy(clock::now());
  }
  /// A request went in flight at `at`.
  void submitted(clock::time_point at) noexcept {
    if (builder_ != nullptr && in_flight_++ == 0) became_busy(at);
  }
  /// A request completed at `at` after `latency_ns`: `bytes` moved, or
  /// failed with `error` (an errno; 0: it did not). `counted`: a data
  /// request (a flush only leaves the requests in flight).
  void completed(clock::time_point at, std::uint64_t latency_ns, std::uint64_t bytes, int error,
                 bool counted = true, std::uint64_t items = 1) {
    if (builder_ == nullptr) return;
    at = std::max(at, begin_);
    // One reaped after a later one counts in the interval open now.
    if (at >= roll_at_) roll(at);
    if (in_flight_ > 0) {
      if (at > waiting_since_) {
        if (at - waiting_since_ >= min_stall) add_gap(at, in_flight_, false);
        waiting_since_ = at;
      }
      --in_flight_;
    }
    if (!counted) return;
    if (error != 0) {
      counts_.add_error(error);
      return;
    }
    if (pass_latencies_ == nullptr) {
      counts_.latencies.add(latency_ns);
    } else {
      counts_.latencies.raise_max(latency_ns);
    }
    ++counts_.completions;
    counts_.bytes += bytes;
    counts_.items += items;
  }
  /// A synchronous call from `start` to `end` (`latency_ns` long), the only
  /// request of this writer: the IOzone loop's record. The same as
  /// submitted(start) and completed(end, ...), in fewer instructions when
  /// it neither ends an interval nor makes a gap.
  void call(clock::time_point start, clock::time_point end, std::uint64_t latency_ns,
            std::uint64_t bytes) {
    if (builder_ == nullptr) return;
    // Idle since the last call for less than a stall (a start before it
    // wraps around to a huge wait, and goes the long way too).
    const auto idle_ns = static_cast<std::uint64_t>((start - waiting_since_).count());
    if (end >= roll_at_ || idle_ns >= min_stall_ns || latency_ns >= min_stall_ns ||
        in_flight_ != 0) {
      call_slowly(start, end, latency_ns, bytes);
      return;
    }
    waiting_since_ = end;
    if (pass_latencies_ == nullptr) {
      counts_.latencies.add(latency_ns);
    } else {
      counts_.latencies.raise_max(latency_ns);
    }
    ++counts_.completions;
    counts_.bytes += bytes;
    ++counts_.items;
  }
  /// Paced: requests due and not sent yet, now (told at each interval's
  /// end beside those in flight).
  void backlog(std::uint64_t n) noexcept { backlog_ = n; }
  /// Items of the request completed last (a listing's entries).
  void add_items(std::uint64_t n) noexcept { counts_.items += n; }
  /// The pass ended at `end`: hands over the open interval and the gaps.
  void finish(clock::time_point end);

 private:
  [[nodiscard]] std::uint64_t since_begin_ns(clock::time_point at) const noexcept;
  // None was in flight until `at`: an idle stretch that long is a gap.
  void became_busy(clock::time_point at) noexcept {
    at = std::max(at, begin_);
    if (at - waiting_since_ >= min_stall) add_gap(at, 0, false);
    waiting_since_ = std::max(waiting_since_, at);
  }
  // call() the long way, out of line: the short way stays small.
  void call_slowly(clock::time_point start, clock::time_point end, std::uint64_t latency_ns,
                   std::uint64_t bytes);
  // A gap from waiting_since_ to `to`.
  void add_gap(clock::time_point to, std::uint64_t in_flight, bool to_end) noexcept;
  void roll(clock::time_point at);
  // With the pass's histogram as the source: what it gained since the
  // last time, into the open interval.
  void take_latencies();

  timeline_builder* builder_ = nullptr;
  clock::time_point begin_{};
  clock::time_point roll_at_{};  // the end of the interval counted into now
  std::uint64_t width_ns_ = 0;
  std::uint64_t open_start_ns_ = 0;  // the interval counted into now
  interval_counts counts_;
  std::uint64_t in_flight_ = 0;
  std::uint64_t backlog_ = 0;
  std::uint64_t reported_until_ns_ = 0;  // in flight told for interval ends up to here
  // Since when requests have been in flight and none completed (the last
  // completion, or the first request after none was), or, with none in
  // flight, since when none was.
  clock::time_point waiting_since_{};
  std::vector<completion_gap> gaps_;
  const latency_histogram* pass_latencies_ = nullptr;
  latency_histogram seen_latencies_;  // the pass's histogram when last taken
};

}  // namespace gfbench::detail
