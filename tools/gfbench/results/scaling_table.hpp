#pragma once
// How a queued workload scales with the requests in flight (threads x
// queue depth): per target, operation and file, IOPS and latency at each
// depth and thread count, and the knee where more requests stop paying.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

/// One measured concurrency: requests in flight and the median IOPS.
struct scaling_point {
  unsigned in_flight = 0;
  double iops = 0;
};

/// The knee is the fewest requests in flight that reach all but this share
/// of the best IOPS measured: beyond it more requests buy latency.
inline constexpr double knee_gain = 0.10;

/// The knee of `points` (sorted by in_flight, increasing): the index of the
/// first point with at least (1 - gain) x the best IOPS; nullopt with fewer
/// than two points or when only the last (deepest) point gets there, which
/// means it may still scale.
[[nodiscard]] std::optional<std::size_t> find_knee(const std::vector<scaling_point>& points,
                                                   double gain = knee_gain);

/// "scaling with requests in flight …" and a table per target, operation
/// column and file size/block size that ran at two or more concurrencies:
/// qd, threads, in flight, IOPS, MiB/s, p50 and p99 latency (µs), and the
/// knee. Then, where threads x queue depth exceeded 64 on a gfapi or FUSE
/// target, a note that no Gluster layer limits them. Empty without queued cases.
[[nodiscard]] std::string format_scaling(const std::vector<case_summary>& cases);

}  // namespace gfbench::app
