#pragma once
// Plain-text tables, as the summary prints them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::app {

/// A text table: the first row is the header; the first `left` columns are
/// left-aligned, the rest right-aligned; columns are two spaces apart; each
/// line starts with `indent` and ends without trailing spaces.
[[nodiscard]] std::string render_table(const std::vector<std::vector<std::string>>& rows,
                                       std::size_t left, std::string_view indent);

/// `value` with `decimals` digits after the point: 1.5, 2 -> "1.50".
[[nodiscard]] std::string format_fixed(double value, int decimals);
/// `value` rounded to a whole number, with thousands separators: "12,345".
[[nodiscard]] std::string with_thousands(double value);

}  // namespace gfbench::app
