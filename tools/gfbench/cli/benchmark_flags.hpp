#pragma once
// The --benchmark_* flags gfbench passes on to Google Benchmark, and the
// ones it takes over.
//
// gfbench must see every repetition of every case, whatever Google
// Benchmark shows: with --benchmark_display_aggregates_only or
// --benchmark_report_aggregates_only (or their BENCHMARK_* environment
// variables) Google Benchmark hands its reporters only the aggregates, so
// failures, degraded repetitions and the true repetition counts would be
// lost. So gfbench reads those flags, and --benchmark_format, _out and
// _out_format, turns them off in Google Benchmark and does what they ask
// itself, in the results collector's output sinks.
//
// And a bad value of any flag gfbench passes on is a usage error naming the
// flag, before anything starts, instead of Google Benchmark printing the
// help and exiting 0 (a bad --benchmark_format), or failing deep inside
// (--benchmark_repetitions=-3: "vector::reserve").

#include <string>

namespace gfbench::app {

/// What the user asked of Google Benchmark's output and repetitions.
struct benchmark_settings {
  int repetitions = 1;             ///< --benchmark_repetitions (or BENCHMARK_REPETITIONS)
  bool repetitions_given = false;  ///< on the command line or in the environment
  bool display_aggregates_only = false;
  bool report_aggregates_only = false;
  std::string format = "console";   ///< console, json or csv, on stdout
  std::string out{};                ///< --benchmark_out FILE; empty: none
  std::string out_format = "json";  ///< --benchmark_out_format
};

/// What the command line and the environment said before Google Benchmark
/// took its flags out of argv.
struct benchmark_arguments {
  /// Where the repetition count came from, for messages:
  /// "--benchmark_repetitions" or "BENCHMARK_REPETITIONS"; empty: nowhere.
  std::string repetitions_source{};
};

/// Checks the --benchmark_* arguments and BENCHMARK_* variables whose bad
/// values Google Benchmark does not report as such. Call it before
/// benchmark::Initialize. Throws usage_error naming the flag.
[[nodiscard]] benchmark_arguments check_benchmark_arguments(int argc, const char* const* argv);

/// After benchmark::Initialize: what it read from the command line and the
/// environment, checked (usage_error naming the flag), with the flags
/// gfbench takes over turned off in Google Benchmark.
[[nodiscard]] benchmark_settings take_benchmark_settings(const benchmark_arguments& seen);

}  // namespace gfbench::app
