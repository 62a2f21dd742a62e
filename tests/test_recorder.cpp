// Timing: the latency histogram behind every case's percentiles, and the
// recorder's pass protocol (it tells the case's observers when each timed
// pass starts and ends, also for a custom kernel that never heard of them).

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "bench/latency_histogram.hpp"

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
