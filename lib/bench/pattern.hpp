#pragma once
// The data gfbench writes: 8-byte words derived from (seed, file, offset),
// so any record can be checked on its own and a wrong byte names its offset.
// Incompressible, so no layer can cheat by compressing or deduplicating.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gfbench/export.hpp"

namespace gfbench::detail {

/// A seed for one file: the run's seed mixed with the file's name.
GFBENCH_API std::uint64_t file_seed(std::uint64_t run_seed, std::string_view file_name) noexcept;

/// Fills `buffer`, which lies at `offset` of the file (a multiple of 8).
GFBENCH_API void fill_pattern(std::span<std::byte> buffer, std::uint64_t seed,
                              std::uint64_t offset) noexcept;

/// The file offset of the first byte of `buffer` (at `offset`) that differs
/// from the pattern, or nullopt when all match.
GFBENCH_API std::optional<std::uint64_t> find_mismatch(std::span<const std::byte> buffer,
                                                       std::uint64_t seed,
                                                       std::uint64_t offset) noexcept;

}  // namespace gfbench::detail
