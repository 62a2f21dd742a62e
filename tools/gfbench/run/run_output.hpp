#pragma once
// What a run shows and writes besides its summary: Google Benchmark's rows
// on stdout (with --rows in its console format, or as --benchmark_format's
// JSON or CSV), and the --benchmark_out file. By default a person sees a
// progress line per case and the summary table, not ~300 rows of counters.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/benchmark_flags.hpp"
#include "results/results_collector.hpp"

namespace gfbench::app {

/// The truth about the build, instead of Google Benchmark's "Library was
/// built as DEBUG" (Debian builds libbenchmark without NDEBUG; that keeps
/// its own internal checks, and the timed I/O is gfbench's code).
[[nodiscard]] std::string build_note();

class run_output {
 public:
  /// Opens --benchmark_out's file now, so that a path that cannot be
  /// written costs no run: throws usage_error naming it.
  run_output(const benchmark_settings& settings, bool rows);
  run_output(const run_output&) = delete;
  run_output& operator=(const run_output&) = delete;
  ~run_output();

  /// Where the collector passes runs on to.
  [[nodiscard]] std::vector<output_sink> sinks() const;
  /// Where the summary goes: stdout, unless stdout carries JSON or CSV.
  [[nodiscard]] std::FILE* summary_stream() const noexcept;

 private:
  benchmark_settings settings_;
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  std::ofstream file_;
  std::unique_ptr<benchmark::BenchmarkReporter> file_reporter_;
};

}  // namespace gfbench::app
