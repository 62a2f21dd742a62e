#pragma once
// A Google Benchmark reporter that keeps every run it is given, as Google
// Benchmark's own tests do, for tests that run registered cases directly.

#include <benchmark/benchmark.h>

#include <vector>

namespace gfbench::testing {

class capture_reporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context& /*context*/) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    runs_.insert(runs_.end(), runs.begin(), runs.end());
  }
  /// Every run so far, repetitions and aggregates, in the order reported.
  [[nodiscard]] const std::vector<Run>& runs() const noexcept { return runs_; }

 private:
  std::vector<Run> runs_;
};

}  // namespace gfbench::testing
