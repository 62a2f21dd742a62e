// Timing: the latency histogram behind every case's percentiles, and the
// recorder's pass protocol (it tells the case's observers when each timed
// pass starts and ends, also for a custom kernel that never heard of them).

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bench/record/latency_histogram.hpp"
#include "gfbench/error.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "support/benchmark_runs.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::describe;
using gfbench::testing::registry_scope;
using gfbench::testing::run_benchmarks;

namespace {

// The exact q-quantile as the histogram defines it: the value of the record
// of rank ceil(q * n), 1-based, in sorted order.
std::uint64_t exact_quantile(std::vector<std::uint64_t> sorted_values, double q) {
  std::sort(sorted_values.begin(), sorted_values.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted_values.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted_values.size());
  return sorted_values[rank - 1];
}

void check_quantiles(const std::vector<std::uint64_t>& values) {
  gfbench::detail::latency_histogram h;
  for (const auto v : values) h.add(v);
  REQUIRE(h.count() == values.size());
  CHECK(h.max() == *std::max_element(values.begin(), values.end()));
  CHECK(h.quantile(1.0) == h.max());
  for (const double q : {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999}) {
    const auto exact = static_cast<double>(exact_quantile(values, q));
    const auto got = static_cast<double>(h.quantile(q));
    INFO("q " << q << " exact " << exact << " histogram " << got);
    CHECK(std::abs(got - exact) <= 0.07 * exact);
    CHECK(got <= static_cast<double>(h.max()));
  }
}

}  // namespace

// Each SECTION checks inside itself: `--warn NoAssertions` fails a section
// whose assertions all run after it has ended.
TEST_CASE("latency quantiles are within 7% of the exact ones; the maximum is exact", "[unit]") {
  std::mt19937_64 gen(20240611);
  std::vector<std::uint64_t> values;
  SECTION("uniform 1 ns .. 100 us, every value once") {
    for (std::uint64_t v = 1; v <= 100'000; ++v) values.push_back(v);
    std::shuffle(values.begin(), values.end(), gen);
    check_quantiles(values);
  }
  SECTION("exponential, mean 50 us") {
    std::exponential_distribution<double> d(1.0 / 50'000);
    for (int i = 0; i < 200'000; ++i) values.push_back(1 + static_cast<std::uint64_t>(d(gen)));
    check_quantiles(values);
  }
  SECTION("log-normal, a heavy tail from microseconds to seconds") {
    std::lognormal_distribution<double> d(std::log(20'000.0), 2.0);
    for (int i = 0; i < 200'000; ++i) values.push_back(1 + static_cast<std::uint64_t>(d(gen)));
    check_quantiles(values);
  }
  SECTION("bimodal: 90% cached at ~20 us, 10% from disk at ~5 ms") {
    std::normal_distribution<double> fast(20'000, 2'000), slow(5'000'000, 500'000);
    for (int i = 0; i < 100'000; ++i) {
      const double v = i % 10 == 9 ? slow(gen) : fast(gen);
      values.push_back(static_cast<std::uint64_t>(std::max(1.0, v)));
    }
    check_quantiles(values);
  }
  SECTION("one value, many times") {
    values.assign(1000, 123'457);
    check_quantiles(values);
  }
  SECTION("small values are exact") {
    for (std::uint64_t v = 0; v < 16; ++v) values.insert(values.end(), 10, v);
    gfbench::detail::latency_histogram h;
    for (const auto v : values) h.add(v);
    for (const double q : {0.05, 0.3, 0.5, 0.95}) CHECK(h.quantile(q) == exact_quantile(values, q));
    check_quantiles(values);
  }
  SECTION("hours, and the largest value there is") {
    for (int i = 1; i <= 1000; ++i)
      values.push_back(3'600'000'000'000ULL * static_cast<unsigned>(i));
    values.push_back(UINT64_MAX);
    check_quantiles(values);
  }
}

TEST_CASE("an empty latency histogram says 0", "[unit]") {
  const gfbench::detail::latency_histogram h;
  CHECK(h.count() == 0);
  CHECK(h.max() == 0);
  CHECK(h.quantile(0.5) == 0);
  CHECK(h.quantile(1.0) == 0);
}

namespace {

constexpr std::uint64_t KiB = 1024;

// Counts what it is told, per case, and whether passes ever overlapped.
class counting_observer final : public gfbench::case_observer {
 public:
  void before_case(const gfbench::case_info& c) override { ++cases[c.name]; }
  void before_pass(const gfbench::case_info& c) override {
    ++begun[c.name];
    if (open) ++nested;
    open = true;
  }
  void after_pass(const gfbench::case_info& c) override {
    ++ended[c.name];
    open = false;
  }
  std::map<std::string, std::int64_t> cases, begun, ended;
  int nested = 0;
  bool open = false;
};

}  // namespace

TEST_CASE("a custom kernel's recorder tells the observers of every pass", "[unit]") {
  const registry_scope registry;
  const gfbench::testing::temp_dir dir("gfbench-recorder");
  auto local = gfbench::make_posix_target(dir.path(), "disk");
  gfbench::suite s;
  counting_observer seen;
  s.add_observer(seen);
  const gfbench::io_shape shape{.file_size = 16 * KiB, .block_size = 4 * KiB};
  // Written as a kernel that knows nothing of observers: a recorder made
  // from the state alone, as examples/vendor_suite.cpp does.
  const auto unaware = [](benchmark::State& st, gfbench::case_context&) {
    gfbench::case_recorder recorder(st);
    for (auto _ : st) {
      recorder.begin_iteration();
      recorder.record(4096, [] {});
      recorder.end_iteration();
    }
    recorder.finish();
  };
  // And one that passes its context, as the built-in kernels do.
  const auto aware = [](benchmark::State& st, gfbench::case_context& ctx) {
    gfbench::case_recorder recorder(st, ctx);
    for (auto _ : st) {
      recorder.begin_iteration();
      recorder.end_iteration();
    }
  };
  const auto a = s.register_custom(*local, "unaware", shape, unaware, 2);
  const auto b = s.register_custom(*local, "aware", shape, aware, 3);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 5);
  std::map<std::string, std::int64_t> passes;
  for (const auto& r : result.runs) {
    INFO(describe(r));
    CHECK_FALSE(r.error_occurred);
    passes[r.run_name.function_name] += r.iterations;
  }
  for (const auto* c : {&a, &b}) {
    INFO(c->name);
    CHECK(seen.begun[c->name] > 0);
    CHECK(seen.begun[c->name] >= passes[c->name]);  // Google Benchmark's search runs more
    CHECK(seen.ended[c->name] == seen.begun[c->name]);
  }
  CHECK(seen.nested == 0);
  // Outside a suite's case a recorder has nobody to tell: no crash, no pass.
  const auto before = seen.begun;
  benchmark::RegisterBenchmark("bare",
                               [](benchmark::State& st) {
                                 gfbench::case_recorder recorder(st);
                                 for (auto _ : st) {
                                   recorder.begin_iteration();
                                   recorder.end_iteration();
                                 }
                               })
      ->UseManualTime()
      ->Iterations(1);
  CHECK(run_benchmarks("bare").runs.size() == 1);
  CHECK(seen.begun == before);
}

TEST_CASE("a stop request between repetitions ends the run cleanly", "[unit]") {
  const registry_scope registry;
  const gfbench::testing::temp_dir dir("gfbench-stop");
  auto local = gfbench::make_posix_target(dir.path(), "disk");
  gfbench::benchmark_matrix m;
  m.operations = {gfbench::operation::write, gfbench::operation::read};
  m.file_sizes = {64 * KiB};
  m.block_sizes = {4 * KiB};
  m.read_cache_modes = {gfbench::cache_mode::warm};
  m.repetitions = 5;
  m.iterations = 1;
  gfbench::suite s;
  // Stops the run as Ctrl-C does, once two repetitions of the first case
  // have finished: the others must still report the same iteration count,
  // or Google Benchmark 1.7.1 aborts the process in ComputeStats.
  class stopper final : public gfbench::case_observer {
   public:
    void after_case(const gfbench::case_info&, benchmark::State&) override {
      if (++done == 2) gfbench::request_stop(2);
    }
    int done = 0;
  } stop_after_two;
  s.add_observer(stop_after_two);
  static_cast<void>(s.register_matrix({local.get()}, m));
  const auto result = run_benchmarks();
  const bool stopped = gfbench::stop_requested();
  gfbench::clear_stop();
  CHECK(stopped);
  REQUIRE(result.runs.size() == 10);  // every repetition reported, none aborted
  int ran = 0, skipped = 0;
  for (const auto& r : result.runs) {
    INFO(describe(r));
    CHECK(r.iterations == 1);
    if (r.error_occurred) {
      CHECK_THAT(r.error_message, Contains("interrupted: stop requested"));
      ++skipped;
    } else {
      ++ran;
    }
  }
  CHECK(ran == 2);
  CHECK(skipped == 8);
  // Nothing is left of the run.
  s.cleanup();
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a case that fails on a degraded volume keeps its io_error, note added", "[unit]") {
  const registry_scope registry;
  const gfbench::testing::temp_dir dir("gfbench-degraded");
  auto local = gfbench::make_posix_target(dir.path(), "disk");
  // Every write fails with EIO, and one brick of two answers.
  class failing_file final : public gfbench::target_file_wrapper {
   public:
    using target_file_wrapper::target_file_wrapper;
    void pwrite_all(std::span<const std::byte>, std::uint64_t offset) override {
      throw gfbench::io_error(
          EIO,
          {.operation = "pwrite", .volume = "v", .path = "/f", .offset = offset, .hint = "why"});
    }
  };
  class half_down final : public gfbench::target_wrapper {
   public:
    using target_wrapper::target_wrapper;
    std::optional<gfbench::brick_status> health() override {
      return gfbench::brick_status{.expected = 2, .reachable = 1, .unreachable = {"h2:/b"}};
    }
    std::unique_ptr<gfbench::target_file> create(std::string_view path,
                                                 const gfbench::open_options& options) override {
      return std::make_unique<failing_file>(target_wrapper::create(path, options));
    }
  } degraded(*local);
  gfbench::scratch_area area(degraded);
  gfbench::case_context ctx{
      .scratch = &area, .shape = {.file_size = 16 * KiB, .block_size = 4 * KiB}, .file_name = "f"};
  benchmark::RegisterBenchmark(
      "degraded",
      [&](benchmark::State& st) { gfbench::run_kernel(gfbench::operation::write, st, ctx); })
      ->UseManualTime()
      ->Iterations(1);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 1);
  const auto& r = result.runs[0];
  REQUIRE(r.error_occurred);
  // Still io_error's form, errno and offset as thrown, the note in the hint.
  CHECK(r.error_message == "pwrite volume=v path=/f offset=0: Input/output error (why; " +
                               degraded.describe() +
                               " degraded before the case: 1 of 2 bricks answer; missing: h2:/b)");
}

TEST_CASE("a percentile is one only from enough records; with fewer it holds the maximum",
          "[unit]") {
  const registry_scope registry;
  // Each case times `records` records of known latency: 1 us .. records us.
  for (const int records : {1, 9, 10, 99, 100, 999, 1000, 10000}) {
    benchmark::RegisterBenchmark(("records/" + std::to_string(records)).c_str(),
                                 [records](benchmark::State& st) {
                                   gfbench::case_recorder recorder(st);
                                   for (auto _ : st) {
                                     recorder.begin_iteration();
                                     for (int i = 0; i < records; ++i) recorder.record(1, [] {});
                                     recorder.end_iteration();
                                   }
                                   recorder.finish();
                                 })
        ->UseManualTime()
        ->Iterations(1);
  }
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 8);
  for (const auto& r : result.runs) {
    const auto records = static_cast<std::uint64_t>(std::stoi(r.run_name.function_name.substr(8)));
    INFO(r.run_name.function_name);
    CHECK(r.counters.at("lat_records").value == static_cast<double>(records));
    // Every case has every counter (Google Benchmark's CSV output needs
    // that); one of too few records is the maximum, which lat_records tells.
    const double max = r.counters.at("lat_max_us").value;
    CHECK(r.counters.count("lat_p50_us") == 1);
    for (const auto& [name, needs] : {std::pair<const char*, std::uint64_t>{"lat_p90_us", 10},
                                      {"lat_p99_us", 100},
                                      {"lat_p999_us", 1000},
                                      {"lat_p9999_us", 10000}}) {
      INFO(name);
      REQUIRE(r.counters.count(name) == 1);
      if (records < needs) CHECK(r.counters.at(name).value == max);
    }
  }
}
