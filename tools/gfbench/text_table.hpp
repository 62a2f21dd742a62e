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

}  // namespace gfbench::app
