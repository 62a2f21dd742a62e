#pragma once
// Many clients at once (gfbench under mpirun): what every rank's timed
// passes did, and the aggregates computed from them. Plain data and
// arithmetic, so the numbers can be checked without MPI; the MPI side
// (mpi/) fills it.
//
// The aggregates, each as a peer prints it, since they disagree:
// - aggregate: all bytes / (latest end - earliest start), IOR's bandwidth;
//   it is also elbencho's "last done";
// - first done: what all ranks moved until the first rank ended, over the
//   time until then (elbencho's hero number). The ranks say only their
//   totals, so each rank's share by then is its bytes pro rata of its own
//   pass; exact for steady ranks, estimated for the others;
// - sum of rates: the sum of each rank's own rate (fio's "All clients",
//   IOzone's "Children see"), which counts ranks that ran at different times
//   as if they ran together, so it is never below the aggregate.

#include <cstdint>
#include <string>
#include <vector>

namespace gfbench::app {

/// One rank's timed pass, times in seconds on the clock every rank shares.
struct rank_pass {
  int rank = 0;
  std::string host;
  double start = 0;  ///< when its timed region began
  double end = 0;    ///< when it ended
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;  ///< I/O calls (items for metadata phases)
};

/// One pass of one case on every rank: the same pass index of the same
/// repetition.
struct client_pass {
  std::string case_name;
  int repetition = 0;  ///< 0-based, as the case ran on rank 0
  int pass = 0;        ///< 0-based within the repetition
  std::vector<rank_pass> ranks;
};

/// The aggregates of one pass over its ranks, in bytes (and records) per second.
struct pass_aggregate {
  std::uint64_t bytes = 0;  ///< the sum over ranks
  std::uint64_t records = 0;
  double window = 0;  ///< latest end - earliest start, seconds
  double aggregate = 0;
  double aggregate_records = 0;  ///< records per second over the same window
  double first_done = 0;
  double first_done_window = 0;  ///< first end - earliest start, seconds
  double sum_of_rates = 0;
  double rank_min = 0;  ///< the ranks' own rates: slowest, median, fastest
  double rank_median = 0;
  double rank_max = 0;
};

/// Throws std::invalid_argument for a pass without ranks or with a rank
/// whose end is before its start.
[[nodiscard]] pass_aggregate aggregate_of(const client_pass& pass);

/// The clients table of the summary: one row per case, the medians over its
/// passes (repetitions) of each aggregate, in MiB/s, and the ranks' spread;
/// `ranks`, `hosts` and `clock_note` go in its heading. Empty for no passes.
[[nodiscard]] std::string format_client_table(const std::vector<client_pass>& passes, int ranks,
                                              int hosts, const std::string& clock_note);

}  // namespace gfbench::app
