#pragma once
// Collecting a run's results from Google Benchmark: a reporter that sits
// between Google Benchmark and its display reporter, forwards everything
// (so --benchmark_format=json and csv keep working) and keeps, on the
// side, every repetition of every registered case (results.hpp).
//
// gfbench runs repetitions as rounds, one RunSpecifiedBenchmarks per round
// (run.cpp): the collector passes the context on once, each round's runs as
// they come, and at finish() each case's aggregates (round_aggregates.hpp)
// and the end of the output, once.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "gfbench/case.hpp"
#include "results/results.hpp"

namespace gfbench::app {

/// Where the collector passes Google Benchmark's runs on to: a reporter
/// (not owned), and whether it gets only the aggregates (what
/// --benchmark_display/report_aggregates_only ask of it).
struct output_sink {
  benchmark::BenchmarkReporter* reporter = nullptr;
  bool aggregates_only = false;
};

/// A reporter that collects every run of the cases in `cases` and passes
/// them on to its sinks: each gets what it asked for, with counters that
/// are not numbers (a coefficient of variation of a counter that is always
/// 0) left out, so that console rows never read "-nan%" and JSON stays JSON.
class results_collector : public benchmark::BenchmarkReporter {
 public:
  results_collector(std::vector<output_sink> sinks, const std::vector<case_info>& cases);
  /// The same with one sink that gets everything (may be null: none).
  results_collector(benchmark::BenchmarkReporter* display, const std::vector<case_info>& cases);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& reports) override;
  /// Google Benchmark's end of a round: nothing yet (see finish()).
  void Finalize() override {}
  /// After the last round: every case's aggregates to the sinks (a case of
  /// one round: its run, to sinks that show aggregates only), then their end.
  void finish();

  /// One entry per registered case, in registration order.
  [[nodiscard]] const std::vector<case_summary>& results() const noexcept { return results_; }
  [[nodiscard]] const std::vector<case_failure>& failures() const noexcept { return failures_; }
  [[nodiscard]] bool any_failed() const noexcept { return !failures_.empty(); }
  /// Runs (repetitions or aggregates) seen for registered cases.
  [[nodiscard]] std::size_t runs_seen() const noexcept { return runs_seen_; }

 private:
  void collect(const Run& run);

  std::vector<output_sink> sinks_;
  std::vector<case_summary> results_;
  std::unordered_map<std::string, std::size_t> index_;  // case name -> results_
  std::vector<case_failure> failures_;
  std::size_t runs_seen_ = 0;
  bool context_passed_ = false;
  bool finished_ = false;
  std::vector<std::vector<Run>> rounds_;  // per case (as results_), its runs
  std::vector<int> rounds_of_case_;       // per case, its runs so far
};

}  // namespace gfbench::app
