#pragma once
/// \file
/// Byte sizes as people write them: "4KiB", "10MiB" (IEC, powers of 1024)
/// and "10MB", "1k" (SI, powers of 1000).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gfbench/export.hpp"

namespace gfbench {

/// A size that could not be read; `what()` names the text and what is expected.
class GFBENCH_API size_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct parsed_size {
  std::uint64_t bytes = 0;
  /// How the suffix was read, for the user: "IEC (1 KiB = 1024 B)",
  /// "SI (1 kB = 1000 B)" or "bytes".
  std::string convention{};
};

/// Parses a positive size: digits, then an optional suffix B, KiB, MiB, GiB,
/// TiB (IEC) or k/kB, M/MB, G/GB, T/TB (SI); case-insensitive, no sign, no
/// fraction. Throws size_error for zero, negative, malformed, unknown
/// suffixes and values beyond 64 bits.
GFBENCH_API parsed_size parse_size(std::string_view text);

/// The shortest exact IEC form: 4096 -> "4KiB", 1048576 -> "1MiB", 1000 -> "1000B".
GFBENCH_API std::string format_iec(std::uint64_t bytes);

/// A rate in requests a second as case names show it: to the thousandth,
/// without trailing zeros ("2000", "2.5", "0.001").
GFBENCH_API std::string format_rate(double rate_iops);

}  // namespace gfbench
