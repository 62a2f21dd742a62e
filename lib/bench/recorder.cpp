#include "gfbench/recorder.hpp"

#include "bench/latency_histogram.hpp"
#include "bench/running_case.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/observer.hpp"

namespace gfbench {

case_recorder::case_recorder(benchmark::State& state)
    : state_(state),
      context_(detail::running_case()),
      histogram_(std::make_unique<detail::latency_histogram>()) {}

case_recorder::case_recorder(benchmark::State& state, const case_context& context)
    : state_(state),
      context_(&context),
      histogram_(std::make_unique<detail::latency_histogram>()) {}

void case_recorder::begin_iteration() {
  if (context_ != nullptr) notify_pass_begins(*context_);
  begin_ = clock::now();
  excluded_ = {};
}

case_recorder::~case_recorder() = default;

void case_recorder::add_record(std::uint64_t bytes, clock::duration took) noexcept {
  histogram_->add(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()));
  bytes_ += bytes;
  ++records_;
}

void case_recorder::end_iteration() {
  const auto took = clock::now() - begin_ - excluded_;
  state_.SetIterationTime(std::chrono::duration<double>(took).count());
  if (context_ != nullptr) notify_pass_ended(*context_);
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
