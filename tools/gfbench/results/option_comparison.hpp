#pragma once
// --compare-options: every configuration's cases against the first's, case
// by case and client by client ("gfapi@virt" against "gfapi@defaults"),
// round by round (their rounds interleave them), each ratio with its 95 %
// interval and a verdict corrected for all of them (confidence.hpp).

#include <string>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// The table; empty when the run's targets carry no configuration
/// ("LABEL@NAME") or only one.
[[nodiscard]] std::string format_option_comparison(const std::vector<case_summary>& cases);

}  // namespace gfbench::app
