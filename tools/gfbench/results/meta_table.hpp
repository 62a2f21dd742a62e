#pragma once
// The metadata phases' part of the summary (gfbench/metadata.hpp): files
// per second per phase, with each item's latency, the ratio of a reference
// target (gfapi) to the others per phase, and, with brick counters
// (--fop-stats with profiling), the calls each file cost at the bricks.

#include <string>
#include <string_view>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// True for a metadata case (operation "meta:<phase>").
[[nodiscard]] bool is_metadata_case(const case_summary& c) noexcept;

/// The table of the metadata cases among `cases` (the others are left to
/// format_summary); empty when there is none.
[[nodiscard]] std::string format_metadata(const std::vector<case_summary>& cases,
                                          std::string_view reference = "gfapi");

}  // namespace gfbench::app
