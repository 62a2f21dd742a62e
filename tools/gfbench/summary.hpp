#pragma once
// The table gfbench prints after a run, in the shape of IOzone's report and
// of the seed study's tables: per target, one row per file size and block
// size, one column per operation, throughput in kB/s where 1 kB = 1024 bytes.
//
// summary_reporter sits between Google Benchmark and its display reporter:
// it forwards everything (so --benchmark_format=json and csv keep working)
// and keeps, on the side, every repetition of every registered case. The
// table itself is made by format_summary from plain data, so it can be
// checked without running a benchmark.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/suite.hpp"

namespace gfbench::detail {

/// Per-record latency of one repetition, from the counters case_recorder
/// sets: lat_p50_us, lat_p99_us, lat_max_us (microseconds).
struct latency_sample {
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

/// What the repetitions of one case measured.
struct case_summary {
  std::string name;  ///< the case name as registered
  std::string target;
  std::string operation;
  std::string cache;  ///< "warm" or "cold" for reads, else empty
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  /// Throughput of each repetition that succeeded, in bytes per second.
  std::vector<double> bytes_per_second;
  /// Google Benchmark's own mean and median, used only when the repetitions
  /// themselves were not shown (--benchmark_display_aggregates_only).
  std::optional<double> aggregate_mean;
  std::optional<double> aggregate_median;
  std::int64_t aggregate_count = 0;
  std::size_t failed = 0;  ///< repetitions that ended with an error
  /// Repetitions during which the target had a brick missing (the kernels'
  /// `degraded` counter), failed or not.
  std::size_t degraded = 0;
  /// Latency of each repetition that succeeded and reported it (kernels
  /// without a case_recorder do not); for reports.
  std::vector<latency_sample> latencies{};
  /// From the median aggregate, when only aggregates were shown.
  std::optional<latency_sample> aggregate_latency{};
  /// A write case whose timed region ends with fsync (IOzone -e; the
  /// `fsync_timed` counter): its time includes reaching the bricks.
  bool fsync_timed = false;
  /// Every counter of each repetition that succeeded, by name, in
  /// repetition order: the recorder's (IOPS, lat_*_us), the kernels'
  /// (fsync_timed, degraded), and the observers' per pass: brick_read_bytes,
  /// brick_write_bytes, brick_copies (brick_profile.hpp), fop_<op>_calls,
  /// fop_<op>_avg_us, brick_<op>_calls, brick_<op>_avg_us (fop_stats.hpp).
  std::map<std::string, std::vector<double>> counters{};
  /// Google Benchmark's mean of each counter, when only aggregates were shown.
  std::map<std::string, double> aggregate_counters{};
};

/// A repetition that ended with an error (SkipWithError).
struct case_failure {
  std::string name;              ///< Google Benchmark's full run name
  std::int64_t repetition = -1;  ///< 0-based; -1 when not repeated
  std::string message;
};

/// Mean and median over the repetitions of one case, in bytes per second.
struct throughput_stats {
  double mean = 0;
  double median = 0;
  std::int64_t count = 0;  ///< repetitions they are computed from
};

/// The median over repetitions of a counter, else its aggregate mean;
/// nullopt when the case never reported it.
[[nodiscard]] GFBENCH_API std::optional<double> counter_median(const case_summary& c,
                                                              std::string_view name);
/// Read cases: the share of the bytes read that no brick served, that is
/// that came from caches between the process and the bricks:
/// 1 - brick_read_bytes / file size per pass, clamped to [0, 1]. nullopt
/// for other cases and without brick counters (no --profile).
[[nodiscard]] GFBENCH_API std::optional<double> cache_share(const case_summary& c);
/// Write cases: the share of the bytes written that the bricks had when the
/// snapshot after the pass was taken: brick_write_bytes / (file size x
/// brick_copies), clamped to [0, 1]. With fsync_timed that is inside the
/// timed region; without, an upper bound (the snapshot comes a few tenths
/// of a second after the region ends). nullopt without brick counters.
[[nodiscard]] GFBENCH_API std::optional<double> brick_write_share(const case_summary& c);

/// From the repetitions, else from the aggregates; nullopt when neither exists.
[[nodiscard]] GFBENCH_API std::optional<throughput_stats> summarize(const case_summary& c);

[[nodiscard]] GFBENCH_API double mean_of(const std::vector<double>& values);
/// The middle value; the mean of the two middle ones for an even count.
[[nodiscard]] GFBENCH_API double median_of(std::vector<double> values);

/// Bytes per second as IOzone's kB/s (1 kB = 1024 bytes), rounded, with
/// thousands separators: 1150401536 -> "1,123,439".
[[nodiscard]] GFBENCH_API std::string format_kb_per_second(double bytes_per_second);

/// The summary table. Targets, rows and operation columns come in the order
/// they first appear in `cases`; a read's column names its cache mode
/// ("read:cold"). When a target labelled `reference` and
/// others ran, a block of ratios reference/other (median over median) follows.
/// A write case with fsync timed is in a column "write+fsync". When cases
/// have brick counters, a block per target follows with cache_share (reads)
/// and brick_write_share (writes; marked '*' without fsync timed).
[[nodiscard]] GFBENCH_API std::string format_summary(const std::vector<case_summary>& cases,
                                                     std::string_view reference = "gfapi");
/// "failed cases:" and one line per failure; empty when there is none.
[[nodiscard]] GFBENCH_API std::string format_failures(const std::vector<case_failure>& failures);
/// "degraded cases:" and one line per case that ran while a brick was
/// missing; empty when there is none.
[[nodiscard]] GFBENCH_API std::string format_degraded(const std::vector<case_summary>& cases);

/// A reporter that forwards to `display` (not owned; may be null) and
/// collects the results of the cases in `cases`.
class GFBENCH_API summary_reporter : public benchmark::BenchmarkReporter {
 public:
  summary_reporter(benchmark::BenchmarkReporter* display, const std::vector<case_info>& cases);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& reports) override;
  void Finalize() override;

  /// One entry per registered case, in registration order.
  [[nodiscard]] const std::vector<case_summary>& results() const noexcept { return results_; }
  [[nodiscard]] const std::vector<case_failure>& failures() const noexcept { return failures_; }
  [[nodiscard]] bool any_failed() const noexcept { return !failures_.empty(); }
  /// Runs (repetitions or aggregates) seen for registered cases.
  [[nodiscard]] std::size_t runs_seen() const noexcept { return runs_seen_; }

 private:
  void collect(const Run& run);

  benchmark::BenchmarkReporter* display_;
  std::vector<case_summary> results_;
  std::unordered_map<std::string, std::size_t> index_;  // case name -> results_
  std::vector<case_failure> failures_;
  std::size_t runs_seen_ = 0;
};

}  // namespace gfbench::detail
