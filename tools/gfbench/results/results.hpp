#pragma once
// What a run measured, as plain data: every repetition of every case, and
// every failure. The collector fills it (results_collector.hpp); the
// statistics, the summary table and the report read it, so each of them
// can be checked without running a benchmark.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gfbench::app {

/// Per-record latency of one repetition, from the counters case_recorder
/// sets (microseconds). A percentile is absent when the repetition timed
/// too few records for it to be one (recorder.hpp): then the tail is max_us.
struct latency_sample {
  double p50_us = 0;
  std::optional<double> p99_us{};
  double max_us = 0;
  std::optional<double> p90_us{};
  std::optional<double> p999_us{};   ///< the 99.9th percentile
  std::optional<double> p9999_us{};  ///< the 99.99th percentile
};

/// What the repetitions of one case measured.
struct case_summary {
  std::string name;  ///< the case name as registered
  std::string target;
  std::string operation;
  std::string cache;  ///< "warm" or "cold" for reads, else empty
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  /// Read-only runs: the file read, absolute inside the target; else empty.
  std::string file{};
  /// Queued cases (--queue-depth, --threads, --workload): requests in
  /// flight per thread, and threads; 0 for IOzone-loop cases.
  unsigned queue_depth = 0;
  unsigned threads = 0;
  /// Time-based cases: the timed seconds of each pass; 0: size-based.
  double runtime_seconds = 0;
  /// Paced cases (--rate-iops): requests a second asked for, and "even" or
  /// "poisson"; 0 and empty for the others.
  double rate_iops = 0;
  std::string arrival{};
  /// Queued random cases drawn from a distribution (--random-distribution):
  /// its name, "zipf:1.2"; empty for the others.
  std::string distribution{};
  /// Metadata cases (operation "meta:<phase>"): files per thread; else 0.
  std::uint64_t file_count = 0;
  /// Throughput of each repetition that succeeded, in bytes per second.
  std::vector<double> bytes_per_second;
  /// The round (0-based) of each repetition that succeeded (of each value
  /// in `counters`, and in `bytes_per_second`): cases that ran in the same
  /// rounds are compared round by round (confidence.hpp).
  std::vector<int> rounds{};
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
  /// brick_write_bytes, brick_copies (brick_observer.hpp), fop_<op>_calls,
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

}  // namespace gfbench::app
