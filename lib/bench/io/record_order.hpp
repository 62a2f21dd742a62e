#pragma once
// The order in which a pass visits a file's records: front to back, or a
// random permutation (IOzone's -i 2) that visits every record exactly once.
// The permutation is computed record by record, in constant memory, so a
// 64 GiB file of 4 KiB records needs no 128 MiB table of offsets.

#include <cstdint>

namespace gfbench::detail {

class record_order {
 public:
  /// `records` records of `block_size` bytes; `random`: a permutation drawn
  /// from `seed` (the same seed gives the same order).
  record_order(std::uint64_t records, std::uint64_t block_size, bool random,
               std::uint64_t seed) noexcept;

  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  /// The file offset of the `i`-th record visited, i < records().
  [[nodiscard]] std::uint64_t offset(std::uint64_t i) const noexcept {
    return (random_ ? permute(i) : i) * block_size_;
  }

 private:
  // A 4-round Feistel network over the smallest power of four holding all
  // records, walking the cycle until the result is a record: a bijection
  // of [0, records) that looks random.
  [[nodiscard]] std::uint64_t permute(std::uint64_t i) const noexcept;
  [[nodiscard]] std::uint64_t feistel(std::uint64_t x) const noexcept;

  std::uint64_t records_;
  std::uint64_t block_size_;
  bool random_;
  unsigned half_bits_ = 1;
  std::uint64_t half_mask_ = 1;
  std::uint64_t keys_[4] = {};
};

}  // namespace gfbench::detail
