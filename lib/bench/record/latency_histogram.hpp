#pragma once
// A fixed-size log-linear histogram of latencies in nanoseconds: recording
// is a few instructions and never allocates, so it can sit inside a timed
// loop. Each power of two is split into 16 buckets, so a percentile is
// within about 6 % of the true value; the maximum is exact.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace gfbench::detail {

class latency_histogram {
 public:
  void add(std::uint64_t nanoseconds) noexcept {
    ++counts_[bucket_of(nanoseconds)];
    ++total_;
    if (nanoseconds > max_) max_ = nanoseconds;
  }
  /// Adds every record of `other` (threads time into histograms of their
  /// own, merged once they are done).
  void merge(const latency_histogram& other) noexcept {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    if (other.max_ > max_) max_ = other.max_;
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  /// For each bucket that holds more records than in `before` (this
  /// histogram earlier): f(the bucket's lowest value, how many more).
  template <class F>
  void for_each_increase(const latency_histogram& before, F&& f) const {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] > before.counts_[i]) {
        f(bucket_low(static_cast<int>(i)), counts_[i] - before.counts_[i]);
      }
    }
  }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  /// The value below which a fraction `q` (0..1) of the records fall: the
  /// middle of the bucket holding that record, never above the maximum.
  [[nodiscard]] std::uint64_t quantile(double q) const noexcept;

 private:
  static constexpr int sub_bits = 4;
  static constexpr int subs = 1 << sub_bits;
  static constexpr int bucket_count = (64 - sub_bits + 1) * subs;

  static int bucket_of(std::uint64_t v) noexcept {
    if (v < subs) return static_cast<int>(v);
    const int exponent = std::bit_width(v) - 1;  // >= sub_bits
    const auto sub = static_cast<int>((v >> (exponent - sub_bits)) & (subs - 1));
    return (exponent - sub_bits + 1) * subs + sub;
  }
  static std::uint64_t bucket_low(int bucket) noexcept;
  static std::uint64_t bucket_high(int bucket) noexcept;

  std::array<std::uint64_t, bucket_count> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace gfbench::detail
