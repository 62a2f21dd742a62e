#pragma once
// The skeleton of the observers that count what happened in each timed
// pass from counters kept elsewhere (the bricks' io-stats, a client's): a
// snapshot right before the pass, one right after, their difference summed
// over the case's passes and reported per pass. A snapshot that fails
// leaves the case's counters out, with a warning (the first three at warn
// level, the rest at debug), and never fails the case.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "gfbench/case.hpp"
#include "gfbench/observer.hpp"

namespace gfbench::app {

class pass_difference_observer : public case_observer {
 public:
  void before_case(const case_info& c) final;
  void before_pass(const case_info& c) final;
  void after_pass(const case_info& c) final;
  void after_case(const case_info& c, benchmark::State& state) final;

 protected:
  /// `what` names the counters in warnings, e.g. "brick counters".
  explicit pass_difference_observer(std::string what) : what_(std::move(what)) {}
  /// A case starts: whether it is one this observer counts for; if so, its
  /// sums start from nothing.
  virtual bool begin_case(const case_info& c) = 0;
  /// The snapshot before a pass; throws when it cannot be taken.
  virtual void take_before() = 0;
  /// The snapshot after it, whose difference to the one before is added to
  /// the case's sums; throws when it cannot be taken.
  virtual void take_after() = 0;
  /// The case's counters, from its sums over `passes` passes (at least one).
  virtual void report(const case_info& c, benchmark::State& state, double passes) = 0;

 private:
  std::string what_;
  // The case running now (Google Benchmark runs one at a time).
  bool covered_ = false;
  bool have_before_ = false;
  std::int64_t passes_ = 0;
  std::string error_;
  int warnings_ = 0;
};

}  // namespace gfbench::app
