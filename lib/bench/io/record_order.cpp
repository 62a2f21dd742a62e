#include "bench/io/record_order.hpp"

#include "util/mix.hpp"

namespace gfbench::detail {

record_order::record_order(std::uint64_t records, std::uint64_t block_size, bool random,
                           std::uint64_t seed) noexcept
    : records_(records), block_size_(block_size), random_(random && records > 1) {
  while ((std::uint64_t{1} << (2 * half_bits_)) < records_) ++half_bits_;
  half_mask_ = (std::uint64_t{1} << half_bits_) - 1;
  for (std::uint64_t& key : keys_) key = seed = mix(seed);
}

std::uint64_t record_order::feistel(std::uint64_t x) const noexcept {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (const std::uint64_t key : keys_) {
    const std::uint64_t next = left ^ (mix(right ^ key) & half_mask_);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t record_order::permute(std::uint64_t i) const noexcept {
  // Cycle walking: the domain is at most four times the records, so this
  // takes a few steps on average.
  std::uint64_t x = feistel(i);
  while (x >= records_) x = feistel(x);
  return x;
}

}  // namespace gfbench::detail
