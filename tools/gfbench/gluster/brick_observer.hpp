#pragma once
// Brick counters per case: a case_observer that takes a profile snapshot
// right before and right after each timed pass (brick_profiler.hpp).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gfbench/observer.hpp"
#include "gluster/brick_counters.hpp"
#include "gluster/brick_profiler.hpp"

namespace gfbench::app {

/// Reports, for each case on the listed targets (all on the profiled
/// volume), what its timed passes brought to the bricks, per pass:
/// `brick_read_bytes`, `brick_write_bytes`, `brick_copies` (only when the
/// volume writes more than one copy) and, with `fop_detail`,
/// `brick_<fop>_calls` and `brick_<fop>_avg_us` (latency at the brick).
/// A snapshot that fails leaves the case's brick counters out, with a warning.
class brick_observer final : public case_observer {
 public:
  brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels, bool fop_detail);

  void before_case(const case_info& c) override;
  void before_pass(const case_info& c) override;
  void after_pass(const case_info& c) override;
  void after_case(const case_info& c, benchmark::State& state) override;

 private:
  brick_profiler& profiler_;
  std::vector<std::string> labels_;
  bool fop_detail_;
  // The case running now (Google Benchmark runs one at a time).
  bool covered_ = false;
  std::optional<profile_snapshot> before_;
  brick_interval total_;
  std::int64_t passes_ = 0;
  std::string error_;
  int warnings_ = 0;
};

}  // namespace gfbench::app
