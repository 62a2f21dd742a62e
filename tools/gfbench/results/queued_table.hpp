#pragma once
// Queued cases and VM workloads as people judge them: IOPS and latency,
// not kB/s. One table per target (IOPS with its interval, MiB/s, p50, p99
// with its interval, p99.9), and the p99 of the reference target against
// each other's, round by round, with a verdict.

#include <string>
#include <string_view>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// The tables of the queued cases among `cases`; empty when there is none.
[[nodiscard]] std::string format_queued(const std::vector<case_summary>& cases,
                                        std::string_view reference = "gfapi");

}  // namespace gfbench::app
