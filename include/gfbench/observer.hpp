#pragma once
/// \file
/// Watching cases from outside their timed regions: what reached the bricks,
/// what the client library did. A `case_observer` added to a `suite` is told
/// when each case starts and ends and when each timed pass starts and ends,
/// so it can take snapshots of counters kept elsewhere (the bricks' io-stats,
/// a client's io-stats) exactly around the I/O the case times, and add its
/// own counters to the case's results.
///
/// The order of calls for one run of a case (one repetition):
///
///     before_case
///       (set-up: laying out the file, opening it: not observed as a pass)
///       before_pass   <- right before the timed region of a pass starts
///       (the timed pass: records, plus fsync / close where timed)
///       after_pass    <- right after the timed region ended
///       (verification, closing, the next pass's set-up)
///       before_pass ... after_pass   (once per pass)
///     after_case      <- counters may be added to `state` here
///
/// None of these calls is inside a timed region: an observer may take its
/// time (a `gluster volume profile` snapshot takes about 0.2 s) without
/// changing the case's numbers. Several observers nest like scopes: the
/// `before_*` calls go in the order observers were added, the `after_*`
/// calls in the reverse order, so an observer added later sees nothing of
/// what one added earlier does in its own hooks.
///
/// A hook that throws fails the case (SkipWithError with its message);
/// `after_case` is still called. Observers that only report should catch
/// their own errors and leave their counters out instead.

#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "gfbench/export.hpp"

namespace gfbench {

struct case_info;
struct case_context;

class GFBENCH_API case_observer {
 public:
  virtual ~case_observer() = default;
  /// Before the case's body runs (before any set-up).
  virtual void before_case(const case_info& /*c*/) {}
  /// Right before a timed pass starts: set-up (layout, create, open, cache
  /// dropping) is done.
  virtual void before_pass(const case_info& /*c*/) {}
  /// Right after a timed pass ended, before anything else happens to the
  /// file (verification, a close that is not timed, removal).
  virtual void after_pass(const case_info& /*c*/) {}
  /// After the case's body returned, also when it failed
  /// (`state.error_occurred()`). Counters added to `state.counters` here are
  /// reported with the case.
  virtual void after_case(const case_info& /*c*/, benchmark::State& /*state*/) {}
};

/// Tells the case's observers that a timed pass starts. case_recorder's
/// begin_iteration() calls it; a kernel that times its passes without a
/// case_recorder calls it right before its timed region starts.
GFBENCH_API void notify_pass_begins(const case_context& context);
/// Tells the case's observers that a timed pass ended. case_recorder's
/// end_iteration() calls it; without a recorder, call it right after the
/// timed region ends.
GFBENCH_API void notify_pass_ended(const case_context& context);

}  // namespace gfbench
