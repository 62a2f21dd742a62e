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
///       pass_moved    <- what the pass moved (kernels with a case_recorder)
///       pass_timeline <- the pass over time (the same kernels)
///       after_pass    <- right after the timed region ended
///       (verification, closing, the next pass's set-up)
///       before_pass ... after_pass   (once per pass)
///       before_removal  <- built-in cases, before they remove their file
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

#include <cstdint>
#include <memory>
#include <vector>

#include "gfbench/export.hpp"

namespace gfbench {

struct case_info;
struct case_context;
struct pass_timeline;

/// What one timed pass moved, as its kernel counted it: the bytes and the
/// records (I/O calls; items for the metadata phases) of its timed region.
struct pass_totals {
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;
};

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
  /// Right before after_pass, for kernels that time with a case_recorder:
  /// what the pass moved. A pass cut short by a stonewall (io_shape::
  /// stonewall) moved less than the file holds; this says how much.
  virtual void pass_moved(const case_info& /*c*/, const pass_totals& /*moved*/) {}
  /// Right after pass_moved, for kernels that time with a case_recorder:
  /// the pass over time (timeline.hpp). Also for a pass that failed part
  /// way, whose after_pass never comes: the timeline then ends where the
  /// kernel gave up, with the failed requests in it.
  virtual void pass_timeline(const case_info& /*c*/, const pass_timeline& /*timeline*/) {}
  /// A pass with a stonewall and wear-out (io_shape::wear_out) reached its
  /// deadline, or its last record before it, with `records` done. Returns
  /// how many records the pass does in all: at least `records`, at most the
  /// pass's own count (larger answers are cut to it). One client: `records`.
  /// An observer that coordinates many clients (gfbench under MPI) returns
  /// the most any client did, so that every client ends with the work of
  /// the fastest (IOR's wear-out). Called exactly once per such pass, on the
  /// kernel's thread; with several observers the largest answer counts.
  virtual std::uint64_t stonewall_reached(const case_info& /*c*/, std::uint64_t records) {
    return records;
  }
  /// A built-in case that ran its passes and checks is about to remove its
  /// file. A coordinator of many clients (gfbench under MPI) waits here
  /// until every client is done, so that none removes a file another still
  /// reads (case_context::read_from).
  virtual void before_removal(const case_info& /*c*/) {}
  /// Whether a time-based pass (io_shape::runtime) must go on past its
  /// runtime, its requests still timed: an observer that injects a fault
  /// and follows the heal holds the pass until both are over. Asked again
  /// and again from the kernel's threads once the runtime ran out, so it
  /// must be cheap and thread-safe.
  [[nodiscard]] virtual bool holds_pass(const case_info& /*c*/) const { return false; }
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
/// The same, telling the observers' pass_moved first what the pass moved.
GFBENCH_API void notify_pass_ended(const case_context& context, const pass_totals& moved);
/// The same, with the pass's timeline (pass_timeline) between the two.
GFBENCH_API void notify_pass_ended(const case_context& context, const pass_totals& moved,
                                   const pass_timeline& timeline);
/// Tells the case's observers the timeline of a pass that failed part way
/// (pass_timeline only; no after_pass follows).
GFBENCH_API void notify_pass_timeline(const case_context& context, const pass_timeline& timeline);
/// Asks the case's observers how many records a pass with wear-out does in
/// all (case_observer::stonewall_reached); no observer: `records`.
GFBENCH_API std::uint64_t notify_stonewall(const case_context& context, std::uint64_t records);
/// Whether any of the case's observers holds its pass open (holds_pass).
[[nodiscard]] GFBENCH_API bool notify_holds_pass(const case_context& context);
/// Tells the case's observers that it is about to remove its file.
GFBENCH_API void notify_before_removal(const case_context& context);

}  // namespace gfbench
