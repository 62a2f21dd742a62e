#include "gfbench/recorder.hpp"

#include "bench/latency_histogram.hpp"

namespace gfbench {

case_recorder::case_recorder(benchmark::State& state)
    : state_(state), histogram_(std::make_unique<detail::latency_histogram>()) {}

case_recorder::~case_recorder() = default;

void case_recorder::add_record(std::uint64_t bytes, clock::duration took) noexcept {
  histogram_->add(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()));
  bytes_ += bytes;
  ++records_;
}

void case_recorder::end_iteration() noexcept {
  const auto took = clock::now() - begin_ - excluded_;
  state_.SetIterationTime(std::chrono::duration<double>(took).count());
}

void case_recorder::finish() {
  using benchmark::Counter;
  state_.SetBytesProcessed(static_cast<std::int64_t>(bytes_));
  // kIsRate divides by the case's time, which is the manual (wall) time.
  state_.counters["IOPS"] = Counter(static_cast<double>(records_), Counter::kIsRate);
  const auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  state_.counters["lat_p50_us"] = Counter(us(histogram_->quantile(0.50)));
  state_.counters["lat_p99_us"] = Counter(us(histogram_->quantile(0.99)));
  state_.counters["lat_max_us"] = Counter(us(histogram_->max()));
}

}  // namespace gfbench
