// Latency at a chosen load, on its own: the schedules paced requests fall
// due on, the flags that ask for them and what they refuse, and the table
// that sets the rates of one curve side by side. The paced engine on real
// targets is in test_queued.cpp.

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/io/access_sampler.hpp"
#include "bench/io/arrival_schedule.hpp"
#include "cli/cli.hpp"
#include "gfbench/case.hpp"
#include "gfbench/distribution.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/units.hpp"
#include "results/pacing_table.hpp"
#include "results/report.hpp"
#include "results/results.hpp"
#include "support/cli_rejection.hpp"

using Catch::Matchers::Contains;
using gfbench::detail::arrival_schedule;
using gfbench::detail::pacer;
using gfbench::testing::rejection;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

double gap_ns(steady::time_point a, steady::time_point b) {
  return static_cast<double>(std::chrono::nanoseconds(b - a).count());
}

// A paced case's results, as the collector would hold them: `served` of
// the requests due completed.
gfbench::app::case_summary paced(double rate, double iops, double p99_us, double served = 1.0) {
  gfbench::app::case_summary c;
  c.name = "gfapi/random_read/size:64MiB/bs:4KiB/cache:cold/qd:8/threads:1/rate:" +
           gfbench::format_rate(rate);
  c.target = "gfapi";
  c.operation = "random_read";
  c.cache = "cold";
  c.file_size = 64 << 20;
  c.block_size = 4096;
  c.queue_depth = 8;
  c.threads = 1;
  c.runtime_seconds = 10;
  c.rate_iops = rate;
  c.arrival = "even";
  c.bytes_per_second = {iops * 4096};
  c.counters["IOPS"] = {iops};
  c.counters["requests_due"] = {rate * 10};
  c.counters["reads"] = {rate * 10 * served};
  c.counters["writes"] = {0};
  c.counters["backlog_max"] = {served < 1 ? rate : 2};
  c.counters["backlog_end"] = {rate * 10 * (1 - served)};
  c.counters["sent_p99_us"] = {p99_us / 2};
  c.latencies = {{.p50_us = p99_us / 3, .p99_us = p99_us, .max_us = p99_us * 2}};
  return c;
}

}  // namespace

TEST_CASE("even arrivals fall due exactly 1/rate apart, the first at the start", "[unit]") {
  const steady::time_point start{};
  arrival_schedule s(start, 1000, false, 7);
  for (int k = 0; k < 10000; ++k) {
    REQUIRE(s.next() == start + std::chrono::microseconds(1000 * k));
    s.advance();
  }
  CHECK(s.taken() == 10000);
  // Skipping ahead lands where stepping does: 10 s hold 10,000 of them.
  arrival_schedule skipped(start, 1000, false, 7);
  skipped.advance_past(start + 10s - 1ns);
  CHECK(skipped.taken() == 10000);
  CHECK(skipped.next() == start + 10s);
}

TEST_CASE("Poisson arrivals have exponential gaps at the rate, fixed by their seed", "[unit]") {
  const steady::time_point start{};
  constexpr int n = 200000;
  arrival_schedule s(start, 2000, true, 42);
  arrival_schedule same(start, 2000, true, 42);
  arrival_schedule other(start, 2000, true, 43);
  double sum = 0;
  double sum_sq = 0;
  int identical = 0;
  int shared = 0;
  steady::time_point before = start;
  for (int k = 0; k < n; ++k) {
    const double gap = gap_ns(before, s.next());
    sum += gap;
    sum_sq += gap * gap;
    identical += s.next() == same.next() ? 1 : 0;
    shared += s.next() == other.next() ? 1 : 0;
    before = s.next();
    s.advance();
    same.advance();
    other.advance();
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum_sq / n - mean * mean);
  // An exponential distribution's mean is 1/rate and its standard
  // deviation the same; 200,000 draws put both within 1 % (4 sigma).
  CHECK(mean == Approx(500000).epsilon(0.01));
  CHECK(sd / mean == Approx(1.0).epsilon(0.02));
  CHECK(identical == n);
  CHECK(shared < 10);
  // The requests due by a time are the ones stepping reaches.
  arrival_schedule skipped(start, 2000, true, 42);
  skipped.advance_past(before);
  CHECK(skipped.taken() == n);
}

TEST_CASE("a pacer's backlog is the requests due by now and not sent, up to the deadline",
          "[unit]") {
  const steady::time_point start{};
  pacer p(start, 100, false, 1);  // at 0, 10, 20 ... ms
  CHECK(p.backlog(start + 5ms, start + 1s) == 1);
  CHECK(p.backlog(start + 35ms, start + 1s) == 4);
  CHECK(p.send() == start);
  CHECK(p.send() == start + 10ms);
  CHECK(p.backlog(start + 35ms, start + 1s) == 2);
  // Past the deadline nothing more falls due: 100 ms hold 10.
  CHECK(p.backlog(start + 5s, start + 100ms) == 8);
  CHECK(p.most() == 8);
  CHECK(p.sent() == 2);
}

TEST_CASE("--rate-iops makes one paced case per rate, --arrivals says when they fall due",
          "[unit]") {
  const auto m = gfbench::app::parse_cli({"--volume", "v", "--workload", "oltp-4k", "--rate-iops",
                                          "500,1000,2000.5", "--arrivals", "poisson"})
                     .matrix();
  CHECK(m.rates_iops == std::vector<double>{500, 1000, 2000.5});
  CHECK(m.options.arrival == gfbench::arrivals::poisson);
  CHECK(gfbench::app::parse_cli({"--volume", "v", "--qd", "1", "--rate", "300"})
            .matrix()
            .rates_iops == std::vector<double>{300});
  CHECK(gfbench::app::parse_cli(
            {"--volume", "v", "--qd", "4", "--rate-iops", "100", "--latency-target", "500us"})
            .latency_target == std::chrono::nanoseconds(500us));
  CHECK(gfbench::format_rate(2000) == "2000");
  CHECK(gfbench::format_rate(2.5) == "2.5");
  CHECK(gfbench::format_rate(0.001) == "0.001");
}

TEST_CASE("pacing flags that cannot work are refused, naming the flag", "[unit]") {
  CHECK_THAT(rejection({"--rate-iops", "1000"}),
             Contains("--rate-iops paces the queued engine") && Contains("--queue-depth"));
  CHECK_THAT(rejection({"--qd", "4", "--rate-iops", "0"}),
             Contains("--rate-iops") && Contains("0.001 to 10000000"));
  CHECK_THAT(rejection({"--qd", "4", "--rate-iops", "fast"}), Contains("\"fast\""));
  CHECK_THAT(rejection({"--qd", "4", "--rate-iops", "100,100"}), Contains("listed twice"));
  CHECK_THAT(rejection({"--qd", "4", "--arrivals", "poisson"}),
             Contains("--arrivals is a setting of paced cases"));
  CHECK_THAT(rejection({"--qd", "4", "--rate-iops", "100", "--arrivals", "bursty"}),
             Contains("even or poisson"));
  CHECK_THAT(rejection({"--qd", "4", "--latency-target", "5ms"}),
             Contains("--latency-target is a setting of paced cases"));
  CHECK_THAT(rejection({"--qd", "4", "--rate-iops", "100", "--latency-target", "5"}),
             Contains("with its unit"));
  CHECK_THAT(rejection({"--qd", "4", "--threads", "8", "--rate-iops", "0.001"}),
             Contains("one an hour per thread") && Contains("8 thread(s)"));
  CHECK_THAT(rejection({"--file-count", "10", "--rate-iops", "100"}),
             Contains("--rate-iops does not go with --file-count"));
}

TEST_CASE("the latency-against-load table shows each rate, what was kept, the knee and the target",
          "[unit]") {
  const std::vector<gfbench::app::case_summary> cases{paced(4000, 3000, 40000, 0.75),
                                                      paced(500, 500, 800), paced(1000, 1000, 900),
                                                      paced(2000, 1999, 3000)};
  const std::string out = gfbench::app::format_pacing(cases, 2ms);
  INFO(out);
  CHECK_THAT(out, Contains("gfapi  random_read:cold 64MiB 4KiB qd 8 x 1, even arrivals"));
  // Rows by rate, whatever order the cases ran in.
  CHECK(out.find("  500 ") < out.find("  1,000 "));
  CHECK(out.find("  1,000 ") < out.find("  2,000 "));
  CHECK(out.find("  2,000 ") < out.find("  4,000 "));
  CHECK_THAT(out, Contains("behind: served 75.0 % of what fell due"));
  // p99 at the lightest load is 0.8 ms: 1,000 IOPS is within twice it, 2,000 not.
  CHECK_THAT(out, Contains("knee: 1,000 IOPS"));
  CHECK_THAT(out, Contains("latency target: p99 within 2.000 ms up to 1,000 IOPS; at 2,000 IOPS "
                           "p99 3.000 ms"));
  CHECK(gfbench::app::format_pacing({paced(500, 500, 800)}, std::nullopt).find("latency target") ==
        std::string::npos);
  // Cases that are not paced have no such table.
  auto unpaced = paced(500, 500, 800);
  unpaced.rate_iops = 0;
  CHECK(gfbench::app::format_pacing({unpaced}, 2ms).empty());
}

TEST_CASE("the report draws latency against load for paced cases, the depth sweep for the others",
          "[unit]") {
  std::vector<gfbench::app::case_summary> cases{paced(2000, 1999, 3000), paced(500, 500, 800)};
  auto deep = paced(0, 9000, 5000);
  deep.rate_iops = 0;
  deep.queue_depth = 32;
  auto shallow = deep;
  shallow.queue_depth = 1;
  shallow.counters["IOPS"] = {2000};
  cases.push_back(deep);
  cases.push_back(shallow);
  const auto files = gfbench::app::format_curve_plots(cases, "/r");
  REQUIRE(files.size() == 4);
  CHECK(files[0].first == "load.dat");
  // A point per rate, by rate: asked, achieved, p50, p99 (ms).
  CHECK_THAT(files[0].second, Contains("500 500 0.267 0.8 NaN\n2000 1999 1 3 NaN\n"));
  CHECK_THAT(files[1].second, Contains("set output '/r/load.png'"));
  CHECK(files[2].first == "depth.dat");
  // A point per number in flight: 1 then 32, with its IOPS.
  CHECK_THAT(files[2].second, Contains("\n1 2000 ") && Contains("\n32 9000 "));
  CHECK_THAT(files[3].second, Contains("set output '/r/depth.png'"));
  // One point is no curve.
  CHECK(gfbench::app::format_curve_plots({paced(500, 500, 800)}, "/r").empty());
}

TEST_CASE("access distributions: fio's names read back, bad ones refused with the reason",
          "[unit]") {
  for (const char* name :
       {"uniform", "zipf:1.2", "zipf:0.8", "pareto:0.2", "zoned:60/10:30/20:10/70", "sweep"}) {
    const auto d = gfbench::parse_distribution(name);
    REQUIRE(d.has_value());
    CHECK(d->name() == name);
  }
  std::string why;
  CHECK_FALSE(gfbench::parse_distribution("zipf:0", &why));
  CHECK_THAT(why, Contains("above 0"));
  CHECK_FALSE(gfbench::parse_distribution("pareto:1", &why));
  CHECK_THAT(why, Contains("between 0 and 1"));
  CHECK_FALSE(gfbench::parse_distribution("zoned:60/10:30/20", &why));
  CHECK_THAT(why, Contains("add up to 100"));
  CHECK_FALSE(gfbench::parse_distribution("zoned:60:40/100", &why));
  CHECK_THAT(why, Contains("ACCESS%/SIZE%"));
  CHECK_FALSE(gfbench::parse_distribution("normal:10", &why));
  CHECK_THAT(why, Contains("zipf:THETA"));
  CHECK_THAT(rejection({"--qd", "4", "--ops", "randread", "--random-distribution", "zipf"}),
             Contains("--random-distribution") && Contains("such as zipf:1.2"));
  CHECK_THAT(rejection({"--ops", "randread", "--random-distribution", "zipf:1.2"}),
             Contains("draws the records of queued cases"));
  CHECK_THAT(rejection({"--qd", "4", "--ops", "read", "--random-distribution", "zipf:1.2"}),
             Contains("applies to random_read"));
  CHECK(gfbench::app::parse_cli(
            {"--volume", "v", "--workload", "oltp-4k", "--distribution", "pareto:0.2"})
            .matrix()
            .options.distribution.name() == "pareto:0.2");
}

TEST_CASE("each distribution's draws land on each tenth of the records as theory says", "[unit]") {
  constexpr std::uint64_t records = 10000;
  constexpr int draws = 400000;
  // The shares theory gives in closed form: pareto's hottest h takes 1 - h,
  // a zone its share, uniform its size.
  CHECK(gfbench::parse_distribution("pareto:0.2")->share_of_first(0.2, records) ==
        Approx(0.8).epsilon(1e-9));
  CHECK(gfbench::parse_distribution("zoned:60/10:40/90")->share_of_first(0.1, records) ==
        Approx(0.6).epsilon(1e-9));
  CHECK(gfbench::parse_distribution("uniform")->share_of_first(0.1, records) ==
        Approx(0.1).epsilon(1e-9));
  double harmonic_tenth = 0;
  double harmonic = 0;
  for (std::uint64_t k = 1; k <= records; ++k) {
    harmonic += 1.0 / static_cast<double>(k);
    if (k <= records / 10) harmonic_tenth += 1.0 / static_cast<double>(k);
  }
  CHECK(gfbench::parse_distribution("zipf:1")->share_of_first(0.1, records) ==
        Approx(harmonic_tenth / harmonic).epsilon(1e-9));

  for (const char* name :
       {"uniform", "zipf:1.2", "zipf:0.8", "zipf:1", "pareto:0.2", "zoned:60/10:30/20:10/70"}) {
    INFO(name);
    const auto d = *gfbench::parse_distribution(name);
    gfbench::detail::access_sampler sampler(d, records, 99);
    std::array<double, 10> seen{};
    int outside = 0;
    for (int i = 0; i < draws; ++i) {
      const std::uint64_t rank = sampler.draw();
      if (rank >= records) {
        ++outside;
        continue;
      }
      seen[gfbench::detail::decile_of(rank, records)] += 1.0 / draws;
    }
    CHECK(outside == 0);
    const auto theory = gfbench::detail::decile_shares(d, records);
    double total = 0;
    for (std::size_t i = 0; i < 10; ++i) {
      INFO("tenth " << i);
      // 400,000 draws: a share's standard error is under 0.08 %.
      CHECK(seen[i] == Approx(theory[i]).margin(0.005));
      total += theory[i];
    }
    CHECK(total == Approx(1.0).epsilon(1e-9));
  }
}
