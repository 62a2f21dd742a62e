#pragma once
// Every rank's timeline of a pass added up on the clock the ranks agree on
// (many clients under mpirun): what the volume served to all clients at
// once over time. Each rank sends its pass as text; rank 0 merges them.

#include <string>
#include <string_view>
#include <vector>

#include "gfbench/timeline.hpp"

namespace gfbench::app {

/// One rank's pass: its timeline and when it began on the common clock
/// (seconds).
struct rank_timeline {
  double begin_s = 0;
  pass_timeline timeline;
};

/// `t` as text, to send to rank 0 (intervals, their latency buckets and
/// errors, and the stalls; not the steady-clock begin, which is each
/// host's own).
[[nodiscard]] std::string encode_timeline(const rank_timeline& t);
/// The reverse; throws std::runtime_error on text encode_timeline did not
/// write.
[[nodiscard]] rank_timeline decode_timeline(std::string_view text);

/// The ranks' passes as one: intervals as long as the longest rank's, from
/// the earliest begin, each rank's interval counted in the one its start
/// falls in (so within one interval of where it was); completions, bytes,
/// items, requests in flight and errors added, latency histograms merged.
/// A stall of all of them is a stretch in which every rank had one (no
/// client completed anything). `ranks[0]` is this process's own pass: the
/// result's begin and begin_utc are its clocks', moved to the earliest
/// rank's begin.
[[nodiscard]] pass_timeline merge_timelines(const std::vector<rank_timeline>& ranks);

}  // namespace gfbench::app
