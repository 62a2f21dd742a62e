#pragma once
// "Through the failure": for each pass a fault struck, what the client saw
// before it, while it stood still, while it ran on the copies left, while
// self-heal worked, and after, from the pass's timeline and the events the
// fault schedule put on it; then whether every copy of the data was found
// the same.

#include <cstdint>
#include <string>
#include <vector>

#include "results/timelines.hpp"

namespace gfbench::app {

/// One stretch of a pass: its name ("before", "stall", "degraded", "heal",
/// "after"), its bounds in seconds from the pass's start, and what the
/// intervals that start in it did.
struct failure_phase {
  std::string name;
  double from_s = 0;
  double to_s = 0;
  timeline_span span{};
};

/// What one pass went through.
struct failure_story {
  std::string case_name;
  int repetition = 0;
  std::vector<std::string> faults{};  ///< what was struck, in words
  std::vector<failure_phase> phases{};
  double longest_stall_s = 0;  ///< the stall that began as the fault struck
  double stall_total_s = 0;
  /// From the last fault's end to no entry waiting for self-heal; < 0: not
  /// seen over.
  double heal_s = -1;
  std::int64_t peak_heal_entries = 0;
  /// Entries in the heal index at the last sample before the fault: the
  /// workload's own (disperse keeps a file being written there).
  std::int64_t heal_entries_before_fault = 0;
  /// IOPS over the pass in block characters, the events marked beneath;
  /// empty when nothing completed.
  std::string strip{};
  std::string verified{};             ///< the copies' comparison, in words; empty: not compared
  std::vector<std::string> errors{};  ///< faults that could not be struck or undone
};

/// The passes that had a fault, each as a story.
[[nodiscard]] std::vector<failure_story> failure_stories(
    const std::vector<case_timeline>& timelines);

/// The summary's tables, one per story; empty when there is none.
[[nodiscard]] std::string format_failure_tables(const std::vector<failure_story>& stories);

}  // namespace gfbench::app
