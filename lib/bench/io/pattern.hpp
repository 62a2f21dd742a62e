#pragma once
// The data gfbench writes, and how it is checked.
//
// A file's content is one *generation*: what the lay-out (generation 0) or
// one write pass (1, 2, ...) put there. Each generation has a base of
// `period` bytes (at least 1 MiB, a multiple of the block size and of 512)
// of well-mixed 8-byte words, repeated over the file, and every 512-byte
// sector of the file starts with a 16-byte stamp naming the file, the
// sector and the generation. So:
//   - a writer needs `period` bytes of memory whatever the file's size, and
//     turns the base into the record it writes by stamping its sectors in
//     place, a few stores per sector (no copy, no pattern generation inside
//     a timed pass);
//   - every sector differs from every other and from the same sector of
//     another pass, so neither a deduplicating layer nor a "nop-write"
//     layer that skips writing what is already there can skip the work, and
//     within any window of `period` bytes nothing repeats, so compression
//     gains nothing;
//   - any byte of the file can be checked on its own, and a wrong byte is
//     named by its file offset;
//   - a file's first stamp says whether it is gfbench's, and which
//     generation and period it holds (identify), so a file kept by an
//     earlier run can be checked later without knowing how it was written.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "util/aligned_buffer.hpp"

namespace gfbench::detail {

/// A seed for one file: the run's seed mixed with the file's name.
std::uint64_t file_seed(std::uint64_t run_seed, std::string_view file_name) noexcept;

/// Stamps: the first `stamp_size` bytes of every `sector_size` bytes of a file.
inline constexpr std::uint64_t sector_size = 512;
inline constexpr std::uint64_t stamp_size = 16;

/// Which content a file holds.
struct content_id {
  std::uint64_t file_seed = 0;   ///< file_seed(run seed, file name)
  std::uint32_t generation = 0;  ///< 0: laid out; n: the n-th write pass
  std::uint64_t period = 0;      ///< bytes after which the base repeats

  friend bool operator==(const content_id&, const content_id&) = default;
};

/// The period for records of `block_size` bytes: the smallest multiple of
/// both the block size and 512 that is at least 1 MiB.
[[nodiscard]] std::uint64_t period_for(std::uint64_t block_size) noexcept;

/// One generation of a file's content: its base in memory (page-aligned,
/// for O_DIRECT), and the rules to make or check any part of the file.
class file_content {
 public:
  explicit file_content(content_id id);

  [[nodiscard]] const content_id& id() const noexcept { return id_; }

  /// The `length` bytes at file `offset`, made by stamping the base in
  /// place: valid until the next record() that lies at the same place of
  /// the period. The range must lie within one period (`offset % period +
  /// length <= period`), as every record of a block size that divides the
  /// period does.
  [[nodiscard]] std::span<const std::byte> record(std::uint64_t offset,
                                                  std::size_t length) noexcept;

  /// True when the first whole stamp that lies in `got` (at `offset`) is the
  /// one this content has there, or when `got` holds no whole stamp: that
  /// the bytes come from this file, this offset and this generation. One
  /// mix and a 16-byte compare, cheap enough to run on every record of a
  /// timed pass.
  [[nodiscard]] bool first_stamp_matches(std::span<const std::byte> got,
                                         std::uint64_t offset) const noexcept;

  /// Fills `out` with the bytes at file `offset`, any offset and length.
  void fill(std::span<std::byte> out, std::uint64_t offset) const noexcept;

  /// The file offset of the first byte of `got` (which lies at `offset`)
  /// that differs from this content, or nullopt when all match.
  [[nodiscard]] std::optional<std::uint64_t> find_mismatch(std::span<const std::byte> got,
                                                           std::uint64_t offset) const noexcept;

 private:
  // The stamp byte `i` (0..15) of sector `sector`.
  [[nodiscard]] std::byte stamp_byte(std::uint64_t sector, std::size_t i) const noexcept;
  void stamp(std::byte* at, std::uint64_t sector) const noexcept;

  content_id id_;
  aligned_buffer base_;
};

/// Whether `stamp` (at least stamp_size bytes), read at the start of the
/// file's sector `sector`, is a stamp of gfbench's content for `file_seed`,
/// and if so which generation and period the file holds.
[[nodiscard]] std::optional<content_id> identify(std::span<const std::byte> stamp,
                                                 std::uint64_t file_seed,
                                                 std::uint64_t sector = 0) noexcept;

}  // namespace gfbench::detail
