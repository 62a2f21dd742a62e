// Timelines: what completed in each interval of a pass, and the stalls.
// First the builder and its writers on made-up times, where every number
// is known; then real passes, whose intervals must add up exactly to what
// the case reports.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/record/timeline_builder.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/timeline.hpp"
#include "results/timeline_merge.hpp"
#include "support/benchmark_runs.hpp"
#include "support/temp_dir.hpp"

using gfbench::detail::timeline_builder;
using gfbench::detail::timeline_writer;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

std::uint64_t completions_of(const gfbench::pass_timeline& t) { return t.completions(); }

std::uint64_t bytes_of(const gfbench::pass_timeline& t) {
  std::uint64_t n = 0;
  for (const auto& i : t.intervals) n += i.bytes;
  return n;
}

}  // namespace

TEST_CASE("a writer's completions land in their intervals; a gap in flight is a stall", "[unit]") {
  const auto t0 = steady::now();
  timeline_builder b(t0, 100ms);
  timeline_writer w(&b);
  w.submitted(t0);
  w.completed(t0 + 50ms, 50'000'000, 4096, 0);
  w.submitted(t0 + 50ms);
  w.completed(t0 + 140ms, 90'000'000, 4096, 0);  // 90 ms after the last: latency, no stall
  w.submitted(t0 + 140ms);
  // A request that waits a second: the thread had it in flight, nothing came back.
  w.completed(t0 + 1150ms, 1'000'000'000, 4096, 0);
  w.submitted(t0 + 1150ms);
  w.completed(t0 + 1160ms, 0, 0, 5);  // EIO
  w.finish(t0 + 1200ms);
  const auto t = b.finish(t0 + 1200ms);
  REQUIRE(t.intervals.size() == 12);
  CHECK(t.interval_s == Approx(0.1));
  CHECK(completions_of(t) == 3);
  CHECK(bytes_of(t) == 3 * 4096);
  CHECK(t.intervals[0].completions == 1);
  CHECK(t.intervals[0].max_us == Approx(50'000));
  CHECK(t.intervals[1].completions == 1);
  CHECK(t.intervals[11].completions == 1);
  REQUIRE(t.intervals[11].errors.size() == 1);
  CHECK(t.intervals[11].errors[0] == std::pair<int, std::uint64_t>{5, 1});
  // In flight at the end of each interval of the long wait: one.
  for (std::size_t i = 2; i < 11; ++i) {
    INFO("interval " << i);
    CHECK(t.intervals[i].completions == 0);
    CHECK(t.intervals[i].in_flight == 1);
  }
  REQUIRE(t.stalls.size() == 1);
  CHECK(t.stalls[0].start_s == Approx(0.14));
  CHECK(t.stalls[0].seconds == Approx(1.01));
  CHECK(t.stalls[0].in_flight == 1);
  CHECK_FALSE(t.stalls[0].to_end);
}

TEST_CASE("a stall is where no thread completed while some had requests in flight", "[unit]") {
  const auto t0 = steady::now();
  timeline_builder b(t0, 1000ms);
  timeline_writer a(&b), c(&b);
  for (int i = 0; i < 4; ++i) a.submitted(t0);
  for (int i = 0; i < 2; ++i) c.submitted(t0);
  // a completes at 0.02 s and then not until 3 s; c every 50 ms until 2 s,
  // then not until the end. Alone, a's long gap is no stall: c completed.
  a.completed(t0 + 20ms, 1000, 1, 0);
  a.submitted(t0 + 20ms);
  for (int k = 1; k <= 40; ++k) {
    c.completed(t0 + std::chrono::milliseconds(50 * k), 1000, 1, 0);
    c.submitted(t0 + std::chrono::milliseconds(50 * k));
  }
  a.completed(t0 + 3000ms, 1000, 1, 0);
  a.submitted(t0 + 3000ms);
  for (int k = 1; k <= 20; ++k) {
    a.completed(t0 + 3000ms + std::chrono::milliseconds(50 * k), 1000, 1, 0);
    a.submitted(t0 + 3000ms + std::chrono::milliseconds(50 * k));
  }
  a.finish(t0 + 4000ms);
  c.finish(t0 + 4000ms);
  const auto t = b.finish(t0 + 4000ms);
  CHECK(completions_of(t) == 1 + 40 + 1 + 20);
  // Both quiet from 2 s (c's last) to 3 s (a's next), 4 + 2 in flight.
  REQUIRE(t.stalls.size() == 1);
  CHECK(t.stalls[0].start_s == Approx(2.0));
  CHECK(t.stalls[0].seconds == Approx(1.0));
  CHECK(t.stalls[0].in_flight == 6);
  CHECK_FALSE(t.stalls[0].to_end);
  CHECK(t.longest_stall() == &t.stalls[0]);
}

TEST_CASE("a long pass has its intervals merged, and nothing of it lost", "[unit]") {
  const auto t0 = steady::now();
  timeline_builder b(t0, 100ms);
  timeline_writer w(&b);
  // 1000 s at 100 ms would be 10000 intervals, more than are kept.
  const std::uint64_t n = 20000;
  for (std::uint64_t i = 0; i < n; ++i) {
    w.submitted(t0 + std::chrono::milliseconds(i * 50));
    w.completed(t0 + std::chrono::milliseconds(i * 50 + 25), 1000, 512, 0);
  }
  w.finish(t0 + 1000s);
  const auto t = b.finish(t0 + 1000s);
  CHECK(t.intervals.size() <= gfbench::max_timeline_intervals);
  CHECK(t.interval_s == Approx(0.2));
  CHECK(t.asked_interval_s == Approx(0.1));
  CHECK(completions_of(t) == n);
  CHECK(bytes_of(t) == n * 512);
  double seconds = 0;
  for (const auto& i : t.intervals) {
    CHECK(i.completions == 4);
    seconds += i.seconds;
  }
  CHECK(seconds == Approx(1000.0));
}

namespace {

// Keeps every pass's timeline and what the recorder said the pass moved.
struct timeline_catcher final : gfbench::case_observer {
  std::vector<gfbench::pass_timeline> timelines;
  std::vector<gfbench::pass_totals> moved;
  void pass_moved(const gfbench::case_info&, const gfbench::pass_totals& m) override {
    moved.push_back(m);
  }
  void pass_timeline(const gfbench::case_info&, const gfbench::pass_timeline& t) override {
    timelines.push_back(t);
  }
};

}  // namespace

TEST_CASE("a real pass's intervals add up exactly to its records and bytes", "[kernels]") {
  const gfbench::testing::registry_scope registry;
  const gfbench::testing::temp_dir dir("gfbench-timeline");
  auto where = gfbench::make_posix_target(dir.path(), "local");
  timeline_catcher catcher;
  gfbench::suite cases;
  cases.add_observer(catcher);
  cases.timeline_interval(100ms);
  gfbench::benchmark_matrix m;
  m.operations = {gfbench::operation::write, gfbench::operation::random_rw};
  m.file_sizes = {16u << 20};
  m.block_sizes = {4096};
  m.repetitions = 2;
  m.iterations = 1;
  cases.register_matrix({where.get()}, m);  // IOzone's loop: one call at a time
  m.options.queued = true;
  m.queue_depths = {8};
  m.thread_counts = {2};
  m.options.runtime = 700ms;
  cases.register_matrix({where.get()}, m);  // two threads, eight in flight each
  const auto r = gfbench::testing::run_benchmarks();
  for (const auto& run : r.runs) REQUIRE_FALSE(run.error_occurred);
  REQUIRE(catcher.timelines.size() == catcher.moved.size());
  REQUIRE(catcher.timelines.size() == r.runs.size());
  for (std::size_t i = 0; i < catcher.timelines.size(); ++i) {
    const auto& t = catcher.timelines[i];
    INFO("pass " << i << ", " << t.intervals.size() << " intervals of " << t.interval_s << " s");
    CHECK(completions_of(t) == catcher.moved[i].records);
    CHECK(bytes_of(t) == catcher.moved[i].bytes);
    CHECK(t.interval_s == Approx(0.1));
    double seconds = 0;
    for (const auto& interval : t.intervals) seconds += interval.seconds;
    CHECK(seconds == Approx(t.seconds));
  }
}

TEST_CASE("ranks' timelines add up on the common clock; all stand still only where each did",
          "[unit]") {
  using gfbench::app::rank_timeline;
  const auto pass = [](std::vector<std::uint64_t> per_interval, double stall_from, double stall_s) {
    gfbench::pass_timeline t;
    t.interval_s = 1;
    t.asked_interval_s = 1;
    t.seconds = static_cast<double>(per_interval.size());
    for (std::size_t i = 0; i < per_interval.size(); ++i) {
      t.intervals.push_back(
          {.start_s = static_cast<double>(i),
           .seconds = 1,
           .completions = per_interval[i],
           .bytes = per_interval[i] * 4096,
           .items = per_interval[i],
           .p50_us = 100,
           .p99_us = 100,
           .max_us = 100,
           .in_flight = 2,
           .errors = {{5, 1}},
           .latency_buckets = {{10, static_cast<std::uint32_t>(per_interval[i])}}});
    }
    t.stalls.push_back({.start_s = stall_from, .seconds = stall_s, .in_flight = 2});
    return t;
  };
  // Rank 0 from 10.0 s on the common clock, rank 1 half a second later.
  const rank_timeline a{.begin_s = 10.0, .timeline = pass({5, 5, 5, 5}, 1.0, 2.0)};
  const rank_timeline b{.begin_s = 10.5, .timeline = pass({7, 7, 7, 7}, 1.0, 2.0)};
  // What rank 0 receives is what rank 1 sent.
  const rank_timeline sent = gfbench::app::decode_timeline(gfbench::app::encode_timeline(b));
  CHECK(sent.begin_s == b.begin_s);
  REQUIRE(sent.timeline.intervals.size() == 4);
  CHECK(sent.timeline.intervals[2].completions == 7);
  CHECK(sent.timeline.intervals[2].latency_buckets == b.timeline.intervals[2].latency_buckets);
  CHECK(sent.timeline.intervals[2].errors == b.timeline.intervals[2].errors);
  CHECK(sent.timeline.stalls.size() == 1);
  CHECK_THROWS(gfbench::app::decode_timeline("nonsense"));
  const auto all = gfbench::app::merge_timelines({a, sent});
  CHECK(all.seconds == Approx(4.5));
  REQUIRE(all.intervals.size() == 5);
  std::uint64_t completions = 0, errors = 0;
  for (const auto& i : all.intervals) {
    completions += i.completions;
    for (const auto& [e, n] : i.errors) errors += n;
  }
  CHECK(completions == 4 * 5 + 4 * 7);
  CHECK(errors == 8);
  CHECK(all.intervals[0].completions == 5 + 7);  // rank 1's first starts at 0.5 s
  CHECK(all.intervals[4].completions == 0);
  CHECK(all.intervals[0].in_flight == 4);
  // Rank 0 stood still 11.0-13.0, rank 1 11.5-13.5: all of them 11.5-13.0.
  REQUIRE(all.stalls.size() == 1);
  CHECK(all.stalls[0].start_s == Approx(1.5));
  CHECK(all.stalls[0].seconds == Approx(1.5));
  CHECK(all.stalls[0].in_flight == 4);
}
