#include "gfbench/recorder.hpp"

#include "bench/record/latency_histogram.hpp"
#include "bench/record/recorder_access.hpp"
#include "bench/record/running_case.hpp"
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
  bytes_at_begin_ = bytes_;
  records_at_begin_ = records_;
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

void case_recorder::end_iteration() { end_iteration(clock::now()); }

void case_recorder::end_iteration(clock::time_point end) {
  const auto took = end - begin_ - excluded_;
  state_.SetIterationTime(std::chrono::duration<double>(took).count());
  if (context_ != nullptr) {
    notify_pass_ended(*context_,
                      {.bytes = bytes_ - bytes_at_begin_, .records = records_ - records_at_begin_});
  }
}

namespace detail {

void recorder_access::merge(case_recorder& recorder, const latency_histogram& records,
                            std::uint64_t bytes) noexcept {
  recorder.histogram_->merge(records);
  recorder.bytes_ += bytes;
  recorder.records_ += records.count();
}

}  // namespace detail

void case_recorder::finish() {
  using benchmark::Counter;
  state_.SetBytesProcessed(static_cast<std::int64_t>(bytes_));
  // kIsRate divides by the case's time, which is the manual (wall) time.
  state_.counters["IOPS"] = Counter(static_cast<double>(records_), Counter::kIsRate);
  state_.counters["lat_records"] = Counter(static_cast<double>(records_));
  const auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  // The q-quantile of n records means something once 1 - q of them is at
  // least one record: p99 of 40 records is the largest of them.
  struct percentile {
    const char* counter;
    double q;
    std::uint64_t needs;
  };
  constexpr percentile percentiles[] = {{"lat_p50_us", 0.50, 1},
                                        {"lat_p90_us", 0.90, 10},
                                        {"lat_p99_us", 0.99, 100},
                                        {"lat_p999_us", 0.999, 1000},
                                        {"lat_p9999_us", 0.9999, 10000}};
  if (records_ == 0) return;
  const double max = us(histogram_->max());
  for (const percentile& p : percentiles) {
    state_.counters[p.counter] = Counter(records_ >= p.needs ? us(histogram_->quantile(p.q)) : max);
  }
  state_.counters["lat_max_us"] = Counter(max);
}

}  // namespace gfbench
