#pragma once
// A run's repetitions as rounds: every case selected runs once per round,
// in registration order (each case on every target in turn), so that cases
// compared run interleaved, A, B, A, B. A fixed number of rounds, or, with
// --target-ci, rounds until each case's throughput interval is that narrow
// (at least --min-repetitions, at most --max-repetitions); a case that is
// done, or failed, sits the later rounds out.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "results/results.hpp"

namespace gfbench::app {

struct round_plan {
  int min_rounds = 5;
  int max_rounds = 5;
  /// Half the 95 % interval's width a case must reach, as a share (0.05);
  /// 0: the rounds are fixed.
  double target_ci = 0;
};

/// How each case's rounds ended, for the summary.
struct round_outcome {
  int rounds = 0;  ///< rounds run (any case)
  /// Per case (as registered): its rounds, and whether its interval got
  /// as narrow as asked (only with a target).
  std::vector<int> case_rounds;
  std::vector<bool> narrow_enough;
};

/// `^(NAME|NAME...)$` over the run names still to run, escaped for the
/// extended regular expressions Google Benchmark matches filters with; ""
/// when none is.
[[nodiscard]] std::string round_filter(const std::vector<std::string>& run_names,
                                       const std::vector<bool>& running);

/// Whether a case with these results needs another round under `plan`,
/// after `rounds` of them.
[[nodiscard]] bool needs_another_round(const case_summary& c, int rounds, const round_plan& plan);

/// Runs the rounds. `run_round(filter)` runs the cases the filter selects
/// once and returns false when the run must stop (a stop request);
/// `agree(filter)` makes every client of the run take the same one (rank
/// 0's, under mpirun); `results()` gives the cases' results so far, in
/// registration order, as `run_names`.
round_outcome run_rounds(const std::vector<std::string>& run_names,
                         const std::vector<bool>& selected, const round_plan& plan,
                         const std::function<bool(const std::string&)>& run_round,
                         const std::function<std::string(const std::string&)>& agree,
                         const std::function<const std::vector<case_summary>&()>& results);

/// "--target-ci 5 %: 10 of 12 cases within ±5 % after 3 to 12 repetitions;
/// still wider after 30 (--max-repetitions): NAME ±7.1 %": empty without
/// a target.
[[nodiscard]] std::string describe_rounds(const round_outcome& outcome, const round_plan& plan,
                                          const std::vector<case_summary>& results);

}  // namespace gfbench::app
