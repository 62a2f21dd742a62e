#pragma once
// Every timed pass over time (gfbench/timeline.hpp), as the run's cases
// reported them, with what happened to the volume meanwhile (a fault
// injected or cleared, a brick gone or back, the pending heal entries):
// for the summary's stall lines, the "through the failure" table, and
// the report's timeline files and plot.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/timeline.hpp"

namespace gfbench::app {

/// Something that happened to the volume, at a moment of a pass.
struct timeline_event {
  double at_s = 0;   ///< from the pass's start
  std::string kind;  ///< "fault", "clear", "brick-down", "brick-up", "healed", ...
  std::string what;  ///< in words, e.g. "hang-node 2 (SIGSTOP of its 3 processes)"
};

/// Entries waiting for self-heal, per brick, at a moment of a pass.
struct heal_sample {
  double at_s = 0;
  std::vector<std::int64_t> pending;  ///< per brick; -1: the brick did not answer
};

/// One timed pass of one case.
struct case_timeline {
  std::string case_name;
  int repetition = 0;   ///< 0-based
  int pass = 0;         ///< 0-based, within the repetition
  bool failed = false;  ///< the pass failed part way (its timeline ends there)
  pass_timeline timeline;
  std::vector<timeline_event> events{};
  std::vector<heal_sample> heal{};
};

/// Collects every pass's timeline as an observer of the suite; others (the
/// fault scheduler, the heal follower) add what happened meanwhile, on the
/// steady clock, from threads of their own.
class timeline_collector final : public case_observer {
 public:
  using clock = std::chrono::steady_clock;

  void before_case(const case_info& c) override;
  void pass_timeline(const case_info& c, const gfbench::pass_timeline& timeline) override;

  /// An event at `at` of the pass that is running then (or of the last one
  /// to run, when it came after: a heal that ends after the pass).
  void add_event(clock::time_point at, std::string kind, std::string what);
  /// A sample of the pending heal entries, placed as events are.
  void add_heal_sample(clock::time_point at, std::vector<std::int64_t> pending);

  /// Every pass so far, in the order they ran.
  [[nodiscard]] std::vector<case_timeline> timelines() const;

 private:
  // The pass an event at `at` belongs to: the last that began before it.
  case_timeline* pass_at(clock::time_point at);
  struct pending_event {
    clock::time_point at;
    timeline_event event;
  };
  struct pending_sample {
    clock::time_point at;
    std::vector<std::int64_t> pending;
  };

  mutable std::mutex mutex_;
  std::vector<case_timeline> passes_;
  std::map<std::string, int> repetitions_;  // case -> repetitions begun
  std::string current_;
  int pass_in_case_ = 0;
  // What came before the pass it belongs to had reported its timeline.
  std::vector<pending_event> early_events_;
  std::vector<pending_sample> early_samples_;
};

/// "I/O stood still 41.9 s from 12.3 s: 16 requests in flight, none
/// completed" for each case with a stall of at least `longer_than`, one
/// line each; empty when there is none.
[[nodiscard]] std::string format_stalls(const std::vector<case_timeline>& timelines,
                                        std::chrono::milliseconds longer_than);

}  // namespace gfbench::app
