#include "bench/io/arrival_schedule.hpp"

#include <cmath>

#include "util/mix.hpp"

namespace gfbench::detail {
namespace {

// A draw in (0, 1]: 53 random bits, never zero, so its logarithm is finite.
double uniform_open_zero(std::uint64_t word) noexcept {
  return static_cast<double>((word >> 11) + 1) * 0x1.0p-53;
}

}  // namespace

arrival_schedule::arrival_schedule(clock::time_point start, double per_second, bool poisson,
                                   std::uint64_t seed) noexcept
    : start_(start), gap_ns_(1e9 / per_second), poisson_(poisson), seed_(seed), next_(start) {
  // Even: the first request falls due at the start, and a pass of t
  // seconds holds t x rate of them. Poisson: the first comes after a gap
  // drawn like every other, as in any stretch of a Poisson process.
  place();
}

void arrival_schedule::advance() noexcept {
  ++taken_;
  place();
}

void arrival_schedule::advance_past(clock::time_point by) noexcept {
  if (next_ > by) return;
  if (!poisson_) {
    // Request k falls due at k gaps: those due by `by` number
    // floor(elapsed / gap) + 1, and the next is the one after them.
    const auto elapsed = static_cast<double>(std::chrono::nanoseconds(by - start_).count());
    const auto due = static_cast<std::uint64_t>(elapsed / gap_ns_) + 1;
    if (due > taken_) taken_ = due;
    place();
  }
  while (next_ <= by) advance();
}

void arrival_schedule::place() noexcept {
  if (poisson_) {
    offset_ns_ -= gap_ns_ * std::log(uniform_open_zero(mix(seed_ + taken_)));
  } else {
    // From the start each time, so rounding never adds up over a long pass.
    offset_ns_ = gap_ns_ * static_cast<double>(taken_);
  }
  next_ = start_ + std::chrono::nanoseconds(std::llround(offset_ns_));
}

}  // namespace gfbench::detail
