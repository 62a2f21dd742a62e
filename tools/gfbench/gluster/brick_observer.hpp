#pragma once
// Brick counters per case: a case_observer that takes a profile snapshot
// right before and right after each timed pass (brick_profiler.hpp).

#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <vector>

#include "gluster/brick_counters.hpp"
#include "gluster/brick_profiler.hpp"
#include "gluster/pass_difference.hpp"

namespace gfbench::app {

/// Reports, for each case on the listed targets (all on the profiled
/// volume), what its timed passes brought to the bricks, per pass:
/// `brick_read_bytes`, `brick_write_bytes`, `brick_copies` (only when the
/// volume writes more than one copy) and, with `fop_detail`,
/// `brick_<fop>_calls` and `brick_<fop>_avg_us` (latency at the brick).
/// A snapshot that fails leaves the case's brick counters out, with a warning.
class brick_observer final : public pass_difference_observer {
 public:
  brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels, bool fop_detail);

 private:
  bool begin_case(const case_info& c) override;
  void take_before() override;
  void take_after() override;
  void report(const case_info& c, benchmark::State& state, double passes) override;

  brick_profiler& profiler_;
  std::vector<std::string> labels_;
  bool fop_detail_;
  std::optional<profile_snapshot> before_;
  brick_interval total_;
};

}  // namespace gfbench::app
