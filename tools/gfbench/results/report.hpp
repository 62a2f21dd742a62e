#pragma once
// The files `gfbench --report DIR` writes after a run, for people and for
// other programs:
//
//   summary.json     every case: shape, repetitions, throughput (mean,
//                    median, stddev, min, max in bytes/s and KiB/s),
//                    latency p50/p99/max in µs, ratio reference/this,
//                    whether fsync was timed, repetitions run degraded,
//                    the share served from caches (reads) or on the
//                    bricks (writes), and the median of every counter
//                    (brick and client FOP counts and latencies)
//   summary.csv      the same, one row per case (of the counters: brick
//                    bytes read and written)
//   throughput.dat   the plot's data
//   throughput.gp    a gnuplot script: one panel per file size (and block
//                    size), one group of bars per operation, one bar per
//                    target, as the seed study's figures 23-25
//   throughput.png   made by gnuplot from the two above, when gnuplot is
//   throughput.svg   installed (Debian: gnuplot-nox)
//
// Everything is made from plain data (case_summary, as the summary table
// is), so it can be checked without running a benchmark.
//
// One writer per format: report_json.cpp, report_csv.cpp, report_plot.cpp.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/client_passes.hpp"
#include "results/client_tunings.hpp"
#include "results/results.hpp"
#include "results/statistics.hpp"
#include "results/timelines.hpp"

namespace gfbench::app {

/// What a run ran on, so that two runs compared can be told apart by more
/// than the one thing compared (gfbench compare lists what differs).
struct run_environment {
  std::string gfbench_version{};
  std::string glusterfs_version{};  ///< `glusterfs --version`'s first line
  std::string kernel{};             ///< uname's release
  std::string host{};
  unsigned cpus = 0;
  struct volume {
    std::string name{};
    std::string type{};
    int bricks = 0;
    std::vector<std::pair<std::string, std::string>> options{};
  };
  /// The volumes benchmarked, as gluster describes them (none when it
  /// could not be asked: give --gluster-cli).
  std::vector<volume> volumes{};
  /// Every target's client graph in a line (client_tunings.hpp).
  std::vector<std::string> clients{};
  /// The command line without what names only this run (--report DIR).
  std::string configuration{};
};

/// A short hash of what `e` records beside the host: equal for runs of
/// the same configuration on the same software.
[[nodiscard]] std::string configuration_hash(const run_environment& e);

/// What the report says about the run as a whole.
struct report_context {
  std::string command_line{};            ///< how gfbench was called, to repeat the run
  std::string started_utc{};             ///< ISO 8601, e.g. "2024-05-01T12:00:00Z"
  std::string reference = "gfapi";       ///< the target the others are compared with
  std::vector<target_client> clients{};  ///< each target's client graph
  /// Under mpirun: how many ranks on how many hosts, how their clocks were
  /// lined up, and every rank's timed passes (summary.json's "ranks").
  int ranks = 0;
  int hosts = 0;
  std::string clock_note{};
  std::vector<client_pass> rank_passes{};
  /// Every timed pass over time (summary.json's "timelines", timeline.csv).
  std::vector<case_timeline> timelines{};
  /// Also write the timelines as fio's iops and latency logs.
  bool fio_logs = false;
  run_environment environment{};
};

[[nodiscard]] std::string format_report_json(const std::vector<case_statistics>& stats,
                                             const std::vector<case_failure>& failures,
                                             const report_context& context);

/// The header names the columns; numbers are plain (no thousands
/// separators), empty where there is no value.
[[nodiscard]] std::string format_report_csv(const std::vector<case_statistics>& stats,
                                            std::string_view reference = "gfapi");

/// The plot's data: one gnuplot data block ("index") per file size, block
/// size and target that has results. Empty when nothing can be plotted.
[[nodiscard]] std::string format_plot_data(const std::vector<case_statistics>& stats);

/// A gnuplot script that reads `dir`/throughput.dat and writes
/// `dir`/throughput.png and `dir`/throughput.svg; `dir` should be absolute
/// so that `gnuplot DIR/throughput.gp` works from anywhere. Empty when
/// nothing can be plotted.
[[nodiscard]] std::string format_plot_script(const std::vector<case_statistics>& stats,
                                             const std::filesystem::path& dir);

/// timeline.csv: every interval of every pass, one line each.
[[nodiscard]] std::string format_timeline_csv(const std::vector<case_timeline>& timelines);
/// fio's iops and latency logs of each pass: (file name, text) pairs.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> format_fio_logs(
    const std::vector<case_timeline>& timelines);
/// The timeline plot's data (one block per pass) and its gnuplot script,
/// which writes `dir`/timeline.png; empty when there is no timeline.
[[nodiscard]] std::string format_timeline_plot_data(const std::vector<case_timeline>& timelines);
[[nodiscard]] std::string format_timeline_plot_script(const std::vector<case_timeline>& timelines,
                                                      const std::filesystem::path& dir);

/// The curves of the queued cases, each as (file name, text) pairs:
/// load.dat and load.gp (latency against load: p50 and p99 of the paced
/// cases per rate achieved) and depth.dat and depth.gp (the depth sweep:
/// IOPS and p99 per number of requests in flight); a curve needs two
/// points, and there are no files without one. The scripts write
/// `dir`/load.png and `dir`/depth.png.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> format_curve_plots(
    const std::vector<case_summary>& cases, const std::filesystem::path& dir);

/// The command line as a person would type it again: arguments that a
/// shell would split or expand are single-quoted.
[[nodiscard]] std::string format_command_line(int argc, const char* const* argv);

/// Now, in UTC, as ISO 8601: "2024-05-01T12:00:00Z".
[[nodiscard]] std::string utc_timestamp();

/// What write_report did.
struct report_result {
  std::vector<std::filesystem::path> written{};  ///< every file written, in order
  bool plotted = false;                          ///< gnuplot ran and made the PNG
  /// Why there is no plot, with what to do about it; empty when plotted.
  std::string plot_note{};
};

/// Whether write_report runs gnuplot.
enum class plot_mode { run_gnuplot_if_found, script_only };

/// Creates `dir` (and its parents) if needed and writes the report files,
/// replacing earlier ones of the same names; then runs gnuplot on the
/// script if it is installed. Throws std::runtime_error (naming the file
/// and errno's message) when a file cannot be written; a missing or failing
/// gnuplot is not an error, it is described in `plot_note`.
report_result write_report(const std::filesystem::path& dir, const std::vector<case_summary>& cases,
                           const std::vector<case_failure>& failures, const report_context& context,
                           plot_mode mode = plot_mode::run_gnuplot_if_found);

}  // namespace gfbench::app
