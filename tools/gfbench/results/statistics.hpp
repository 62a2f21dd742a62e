#pragma once
// Statistics over the repetitions of a case: mean, median, sample standard
// deviation, the medians of counters, and the shares that say where the
// bytes went. The summary table and every report file compute their
// numbers here, so they agree.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "results/confidence.hpp"
#include "results/results.hpp"

namespace gfbench::app {

/// Mean and median over the repetitions of one case, in bytes per second.
struct throughput_stats {
  double mean = 0;
  double median = 0;
  std::int64_t count = 0;  ///< repetitions they are computed from
};

/// The median over repetitions of a counter, else its aggregate mean;
/// nullopt when the case never reported it.
[[nodiscard]] std::optional<double> counter_median(const case_summary& c, std::string_view name);
/// The bytes one pass moved: the `bytes_per_pass` counter of queued cases
/// (a time-based pass moves what it managed), else the file size.
[[nodiscard]] double pass_bytes(const case_summary& c);
/// Read cases: the share of the bytes read that no brick served, that is
/// that came from caches between the process and the bricks:
/// 1 - brick_read_bytes / pass_bytes, clamped to [0, 1]. nullopt
/// for other cases and without brick counters (no --profile).
[[nodiscard]] std::optional<double> cache_share(const case_summary& c);
/// Write cases: the share of the bytes written that the bricks had when the
/// snapshot after the pass was taken: brick_write_bytes / (pass_bytes x
/// brick_copies), clamped to [0, 1]. With fsync_timed that is inside the
/// timed region; without, an upper bound (the snapshot comes a few tenths
/// of a second after the region ends). nullopt without brick counters.
[[nodiscard]] std::optional<double> brick_write_share(const case_summary& c);
/// True when the bricks moved more than the pass did (the share above was
/// clamped): more bytes read than the file holds, or more written than
/// file size x copies. Read-ahead past a pass's end, another client of the
/// volume or a self-heal during the pass can do that.
[[nodiscard]] bool brick_bytes_exceed_pass(const case_summary& c);

/// From the repetitions, else from the aggregates; nullopt when neither exists.
[[nodiscard]] std::optional<throughput_stats> summarize(const case_summary& c);

[[nodiscard]] double mean_of(const std::vector<double>& values);
/// A case's rate in each repetition that succeeded, in the order of its
/// rounds: bytes per second, or files per second for a metadata phase.
[[nodiscard]] const std::vector<double>& rates_of(const case_summary& c);
/// The rates (rates_of) of `a` and `b` in the rounds both succeeded in, in
/// round order: the pairs a round-by-round comparison takes.
[[nodiscard]] std::pair<std::vector<double>, std::vector<double>> paired_rounds(
    const case_summary& a, const case_summary& b);
/// The middle value; the mean of the two middle ones for an even count.
[[nodiscard]] double median_of(std::vector<double> values);

/// The numbers of one case, as every report file shows them.
struct case_statistics {
  const case_summary* source = nullptr;  ///< not owned
  std::int64_t repetitions = 0;          ///< that succeeded (or were aggregated)
  std::size_t failed = 0;                ///< repetitions that ended with an error
  // Throughput in bytes per second. stddev is the sample standard deviation
  // (n - 1), absent for fewer than 2 repetitions; min and max need the
  // repetitions themselves (not only Google Benchmark's aggregates).
  std::optional<double> mean{};
  std::optional<double> median{};
  std::optional<double> stddev{};
  std::optional<double> min{};
  std::optional<double> max{};
  /// p50 and p99: the median over repetitions of each repetition's
  /// percentile; max: the largest over all repetitions.
  std::optional<latency_sample> latency{};
  /// The reference target's median over this case's median, for the case of
  /// the same operation, cache mode, file size and block size; absent for
  /// the reference itself or when either has no result. Above 1: the
  /// reference is faster.
  std::optional<double> reference_ratio{};
  /// The mean's 95 % interval over the repetitions (confidence.hpp).
  interval mean_ci{};
  /// The reference over this case, round by round, with its interval and
  /// verdict, Holm-corrected over every such comparison of the run.
  std::optional<comparison> reference_comparison{};
};

/// One entry per case, in the order of `cases` (which must outlive the result).
[[nodiscard]] std::vector<case_statistics> compute_statistics(
    const std::vector<case_summary>& cases, std::string_view reference = "gfapi");

/// Latency over repetitions: the median of each percentile (absent unless
/// every repetition has it) and the largest maximum.
[[nodiscard]] latency_sample median_latency(const std::vector<latency_sample>& samples);

/// The sample standard deviation (n - 1); nullopt for fewer than 2 values.
[[nodiscard]] std::optional<double> stddev_of(const std::vector<double>& values);

}  // namespace gfbench::app
