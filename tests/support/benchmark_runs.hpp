#pragma once
// Running registered cases inside a test, as Google Benchmark's own tests
// do: a registry that starts and ends empty, a capturing reporter, and
// helpers to read the runs it saw.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/capture_reporter.hpp"

namespace gfbench::testing {

using Run = benchmark::BenchmarkReporter::Run;

// Google Benchmark wants Initialize before a run; its flags then keep their
// defaults (Catch2 owns the real command line). Filters are passed to
// RunSpecifiedBenchmarks directly.
inline void initialize_benchmark_once() {
  static const bool done = [] {
    static char arg0[] = "gfbench_tests";
    // Custom kernels get no fixed iteration count from register_custom:
    // keep Google Benchmark's search for one short.
    static char min_time[] = "--benchmark_min_time=0.02";
    static char* argv[] = {arg0, min_time, nullptr};
    int argc = 2;
    benchmark::Initialize(&argc, argv);
    return true;
  }();
  static_cast<void>(done);
}

// Each test case starts and ends with an empty registry, also when it
// fails half way, so no case of one test runs in the next.
struct registry_scope {
  registry_scope() {
    initialize_benchmark_once();
    benchmark::ClearRegisteredBenchmarks();
  }
  ~registry_scope() { benchmark::ClearRegisteredBenchmarks(); }
  registry_scope(const registry_scope&) = delete;
  registry_scope& operator=(const registry_scope&) = delete;
};

struct run_result {
  std::vector<Run> runs;  // iteration runs only (no aggregates)
  std::size_t matched = 0;
};

inline run_result run_benchmarks(const std::string& filter = ".") {
  capture_reporter reporter;
  run_result r;
  r.matched = benchmark::RunSpecifiedBenchmarks(&reporter, filter);
  for (const auto& run : reporter.runs()) {
    if (run.run_type == Run::RT_Iteration) r.runs.push_back(run);
  }
  return r;
}

inline std::string describe(const Run& r) {
  std::string s = r.benchmark_name();
  if (r.error_occurred) s += " ERROR: " + r.error_message;
  return s;
}

inline double counter(const Run& r, const std::string& name) {
  const auto it = r.counters.find(name);
  if (it == r.counters.end()) {
    FAIL("run " << r.benchmark_name() << " has no counter " << name);
    return 0;
  }
  return it->second.value;
}

}  // namespace gfbench::testing
