#include "bench/record/latency_histogram.hpp"

#include <cmath>

namespace gfbench::detail {

std::uint64_t latency_histogram::bucket_low(int bucket) noexcept {
  if (bucket < subs) return static_cast<std::uint64_t>(bucket);
  const int exponent = bucket / subs + sub_bits - 1;
  const auto sub = static_cast<std::uint64_t>(bucket % subs);
  return (std::uint64_t{1} << exponent) | (sub << (exponent - sub_bits));
}

std::uint64_t latency_histogram::bucket_high(int bucket) noexcept {
  if (bucket < subs) return static_cast<std::uint64_t>(bucket);
  const int exponent = bucket / subs + sub_bits - 1;
  return bucket_low(bucket) + (std::uint64_t{1} << (exponent - sub_bits)) - 1;
}

std::uint64_t latency_histogram::quantile(double q) const noexcept {
  if (total_ == 0) return 0;
  if (q >= 1.0) return max_;
  // The rank of the wanted record, 1-based: ceil(q * n), at least 1.
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (int b = 0; b < bucket_count; ++b) {
    seen += counts_[static_cast<std::size_t>(b)];
    if (seen >= rank) {
      const std::uint64_t middle = bucket_low(b) + (bucket_high(b) - bucket_low(b)) / 2;
      return middle < max_ ? middle : max_;
    }
  }
  return max_;
}

}  // namespace gfbench::detail
