#pragma once
// How every report file writes its numbers and names, so that JSON, CSV
// and the plot agree to the last digit.

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

#include "results/results.hpp"

namespace gfbench::app {

inline constexpr double bytes_per_kib = 1024.0;
inline constexpr double bytes_per_mib = 1024.0 * 1024.0;

// The column a case belongs to, as in the summary table: "read:cold".
inline std::string category_of(const case_summary& c) {
  return c.cache.empty() ? c.operation : c.operation + ":" + c.cache;
}

// Shortest text that reads back as the value rounded to 3 decimals; no
// exponent for the magnitudes a benchmark produces.
inline std::string format_number(double value) {
  const double rounded = std::round(value * 1000.0) / 1000.0;
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed);
  if (ec != std::errc{}) return "0";
  return std::string(buf, end);
}

// Ratios span orders of magnitude (a page-cache read over a network read
// is 0.005): four significant digits rather than three decimals.
inline std::string format_ratio(const std::optional<double>& ratio) {
  if (!ratio || !std::isfinite(*ratio)) return {};
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, *ratio, std::chars_format::general, 4);
  if (ec != std::errc{}) return {};
  return std::string(buf, end);
}

/// `value` rounded to 3 decimals, the precision every report file keeps.
inline double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

}  // namespace gfbench::app
