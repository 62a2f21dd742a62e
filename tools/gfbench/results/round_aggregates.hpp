#pragma once
// gfbench runs a case's repetitions as rounds (one repetition of every
// case per round, so that cases compared run interleaved), each a run of
// one repetition as far as Google Benchmark knows; it computes no
// aggregates then. These are they, as Google Benchmark would have made them
// from the same runs (its four: mean, median, stddev, cv), for reporters
// that show or write aggregates.

#include <benchmark/benchmark.h>

#include <vector>

namespace gfbench::app {

/// The aggregate rows of one case's rounds (its runs, in round order);
/// none for fewer than 2 rounds that succeeded.
[[nodiscard]] std::vector<benchmark::BenchmarkReporter::Run> aggregates_of(
    const std::vector<benchmark::BenchmarkReporter::Run>& rounds);

}  // namespace gfbench::app
