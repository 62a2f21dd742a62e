#pragma once
// gfbench compare BEFORE.json AFTER.json: two runs' summary.json set side
// by side, case by case, each change with its 95 % interval and a verdict
// corrected for the number of cases compared (confidence.hpp), and what
// else differs between the runs (versions, volume options, client graphs).
// A run compared with itself across targets (gfapi against FUSE) is paired
// round by round; two runs are not (Welch's test).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "results/confidence.hpp"
#include "results/report.hpp"

namespace gfbench::app {

/// One case of a summary.json, with what a comparison needs.
struct recorded_case {
  std::string name;
  std::string target;
  /// Per repetition that succeeded: bytes per second, files per second for
  /// a metadata phase.
  std::vector<double> bytes_per_second{};
  std::vector<int> rounds{};     ///< each one's round
  std::vector<double> p99_us{};  ///< per repetition, where it had one
};

struct recorded_run {
  std::string file;
  std::string started_utc;
  std::vector<recorded_case> cases;
  run_environment environment;
};

/// Reads a summary.json gfbench wrote; throws std::runtime_error naming
/// the file and what is wrong with it.
[[nodiscard]] recorded_run load_run(const std::filesystem::path& file);

struct case_change {
  std::string before_name;
  std::string after_name;
  interval before;  ///< the mean throughput's, bytes/s
  interval after;
  comparison throughput;  ///< after over before
  std::optional<comparison> p99;
};

struct run_comparison {
  std::vector<case_change> cases;
  std::vector<std::string> only_before;
  std::vector<std::string> only_after;
  /// "glusterfs 10.3 -> glusterfs 11.1", "option group: virt -> (not set)"...
  std::vector<std::string> environment_differences;
  bool paired = false;  ///< the same run, two targets: round by round
};

/// Cases matched by name; with `target_before` and `target_after`, the
/// first's cases on one target against the second's on the other, by name
/// without the target.
[[nodiscard]] run_comparison compare_runs(const recorded_run& before, const recorded_run& after,
                                          const std::string& target_before = {},
                                          const std::string& target_after = {});

/// Cases whose throughput fell by more than `threshold` (0.05: 5 %) with
/// a verdict that it fell.
[[nodiscard]] std::vector<const case_change*> regressions(const run_comparison& c,
                                                          double threshold);

/// The table, what differs, and the overall line.
[[nodiscard]] std::string format_comparison(const run_comparison& c, double threshold);

}  // namespace gfbench::app
