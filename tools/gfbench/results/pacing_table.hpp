#pragma once
// Latency against load: the paced cases (--rate-iops) of one kind side by
// side, one row per rate asked, with the rate achieved, latency from when
// each request was due and from when it was sent, and the backlog. Where
// the rate was not kept the row says so; with a latency target, the
// highest rate that stays within it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// A rate is kept when at least this share of it was served: of the
/// requests that fell due in a time-based pass (Poisson arrivals bring
/// more or fewer than rate x runtime by chance), or of the rate itself in
/// a pass of one sweep (which lasts as long as it takes).
inline constexpr double rate_kept_share = 0.98;

/// The tables of the paced cases among `cases`; empty when there is none.
/// `latency_target`: the p99 (from the due time) a rate must stay within.
[[nodiscard]] std::string format_pacing(const std::vector<case_summary>& cases,
                                        std::optional<std::chrono::nanoseconds> latency_target);

}  // namespace gfbench::app
