#pragma once
// Many clients at once: the group of gfbench processes one run is made of
// (ranks under mpirun; mpi/mpi_group.cpp). The run (run.cpp) asks it to
// agree on each set-up step, to share the scratch directory and each
// rank's paths, and gets from it the observer that lines up every rank's
// timed passes: barrier, pass, barrier, times on one clock.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gfbench/observer.hpp"
#include "results/client_passes.hpp"
#include "results/timelines.hpp"

namespace gfbench::app {

/// What the error of a case says on a rank that failed it because another
/// rank did (the other rank's own error is reported instead).
inline constexpr const char* followed_marker = "ended this case early";

/// A rank's error at a step every rank took.
struct rank_failure {
  int rank = 0;
  std::string host;
  std::string message;
};

/// A step could not complete because a rank is gone or a stop request
/// cut the wait: no further step is possible, the run winds down alone.
class group_broken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class client_group {
 public:
  virtual ~client_group() = default;
  [[nodiscard]] virtual int rank() const noexcept = 0;
  [[nodiscard]] virtual int size() const noexcept = 0;
  [[nodiscard]] virtual const std::string& host() const noexcept = 0;
  /// How many distinct hosts the ranks run on.
  [[nodiscard]] virtual int host_count() const noexcept = 0;
  /// How the ranks' times were put on one clock, for the summary.
  [[nodiscard]] virtual std::string clock_note() const = 0;
  /// True once a step could not complete (group_broken was thrown).
  [[nodiscard]] virtual bool broken() const noexcept = 0;

  /// Every rank calls it at the same step with its own error (empty: it
  /// went well); returns every rank's error, the same list on every rank.
  virtual std::vector<rank_failure> agree(const std::string& error) = 0;
  /// Rank 0's `text`, on every rank.
  virtual std::string broadcast(const std::string& text) = 0;
  /// Every rank's `text`, indexed by rank, on every rank.
  virtual std::vector<std::string> share(const std::string& text) = 0;

  /// The observer to add to the suite last (innermost): it lines up the
  /// ranks' timed passes, fails a case on every rank when it failed on one,
  /// and agrees on wear-out counts.
  virtual case_observer& pass_observer() = 0;
  /// Blocks until every rank reached it, then returns: for a read case's
  /// read_from, so that the file another rank lays out is there. Throws
  /// when a rank ended the case instead.
  virtual void wait_for_peers() = 0;
  /// Rank 0: every rank's passes of every case run so far.
  [[nodiscard]] virtual const std::vector<client_pass>& passes() const noexcept = 0;
  /// Rank 0: every pass's timelines of all ranks, added up on the common
  /// clock ("CASE [all N ranks]").
  [[nodiscard]] virtual const std::vector<case_timeline>& timelines() const noexcept = 0;
  /// Rank 0: the cases (by name) that failed on another rank, with the rank.
  [[nodiscard]] virtual const std::vector<std::string>& failed_elsewhere() const noexcept = 0;
};

/// The launch gfbench is part of: mpirun's environment (Open MPI's
/// OMPI_COMM_WORLD_SIZE, or a PMI/PMIx rank) says it runs as a rank.
[[nodiscard]] bool launched_by_mpirun();

/// Joins the group of ranks (MPI_Init); null when gfbench was built
/// without MPI. Throws std::runtime_error when MPI cannot start.
std::unique_ptr<client_group> join_client_group(int* argc, char*** argv);

}  // namespace gfbench::app
