#pragma once
// When the requests of a paced stream fall due (io_shape::rate_iops), and
// how many are due but not sent yet. The schedule is fixed by the rate and
// a seed before the pass begins, so a slow volume cannot move it: what the
// volume holds up shows as latency counted from the due time, and as a
// backlog, never as a lower rate that looks like the one asked for.

#include <chrono>
#include <cstdint>

namespace gfbench::detail {

/// Due times, one after the other: the k-th (from 0) at start + k / rate
/// (even), or after gaps drawn from an exponential distribution of mean
/// 1 / rate (Poisson), the draws a function of the seed and k.
class arrival_schedule {
 public:
  using clock = std::chrono::steady_clock;

  arrival_schedule(clock::time_point start, double per_second, bool poisson,
                   std::uint64_t seed) noexcept;

  /// When the next request falls due.
  [[nodiscard]] clock::time_point next() const noexcept { return next_; }
  /// Moves on to the request after it.
  void advance() noexcept;
  /// Moves on past every request due by `by`: at once for even arrivals,
  /// draw by draw for Poisson ones.
  void advance_past(clock::time_point by) noexcept;
  /// Requests passed over so far.
  [[nodiscard]] std::uint64_t taken() const noexcept { return taken_; }

 private:
  // Sets next_ for request taken_.
  void place() noexcept;

  clock::time_point start_;
  double gap_ns_;
  bool poisson_;
  std::uint64_t seed_;
  std::uint64_t taken_ = 0;
  double offset_ns_ = 0;  // Poisson: the sum of the gaps so far
  clock::time_point next_;
};

/// A paced stream's two views of one schedule: the requests it sent, and
/// the requests that fell due, as far as it has looked; the difference is
/// its backlog.
class pacer {
 public:
  using clock = arrival_schedule::clock;

  pacer(clock::time_point start, double per_second, bool poisson, std::uint64_t seed) noexcept
      : sent_(start, per_second, poisson, seed), seen_(start, per_second, poisson, seed) {}

  /// When the next request to send falls due.
  [[nodiscard]] clock::time_point next_due() const noexcept { return sent_.next(); }
  /// The next request is sent: its due time.
  clock::time_point send() noexcept {
    const clock::time_point due = sent_.next();
    sent_.advance();
    return due;
  }
  /// Requests due by `now` (and before `until`, the pass's end: a request
  /// due then belongs to the next pass) but not sent yet; also keeps the
  /// largest seen.
  std::uint64_t backlog(clock::time_point now, clock::time_point until) noexcept {
    seen_.advance_past(now < until ? now : until - std::chrono::nanoseconds(1));
    const std::uint64_t waiting = seen_.taken() > sent_.taken() ? seen_.taken() - sent_.taken() : 0;
    if (waiting > most_) most_ = waiting;
    return waiting;
  }
  [[nodiscard]] std::uint64_t most() const noexcept { return most_; }
  [[nodiscard]] std::uint64_t sent() const noexcept { return sent_.taken(); }

 private:
  arrival_schedule sent_;
  arrival_schedule seen_;
  std::uint64_t most_ = 0;
};

}  // namespace gfbench::detail
