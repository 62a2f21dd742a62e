#include "gfbench/recorder.hpp"

#include "bench/record/latency_histogram.hpp"
#include "bench/record/recorder_access.hpp"
#include "bench/record/running_case.hpp"
#include "bench/record/timeline_builder.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/observer.hpp"

namespace gfbench {

namespace detail {

// The current pass's timeline and the recording thread's side of it (the
// kernel's threads have writers of their own, recorder_access::timeline).
struct recorder_timeline {
  recorder_timeline(case_recorder::clock::time_point begin, std::chrono::milliseconds interval,
                    const latency_histogram& pass)
      : builder(begin, interval), writer(&builder, &pass) {}
  timeline_builder builder;
  timeline_writer writer;
};

}  // namespace detail

namespace {

std::chrono::milliseconds interval_of(const case_context* context) {
  return context != nullptr ? context->binding.timeline_interval() : default_timeline_interval;
}

}  // namespace

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
  timeline_ =
      std::make_unique<detail::recorder_timeline>(begin_, interval_of(context_), *histogram_);
}

case_recorder::~case_recorder() = default;

void case_recorder::add_record(std::uint64_t bytes, clock::time_point start,
                               clock::time_point end) {
  const auto took = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
  // The timeline first: an interval it closes now takes the latencies the
  // pass's histogram gained before this record.
  if (timeline_) timeline_->writer.call(start, end, took, bytes);
  histogram_->add(took);
  bytes_ += bytes;
  ++records_;
}

void case_recorder::end_iteration() { end_iteration(clock::now()); }

void case_recorder::end_iteration(clock::time_point end) {
  const auto took = end - begin_ - excluded_;
  state_.SetIterationTime(std::chrono::duration<double>(took).count());
  const pass_timeline timeline = detail::recorder_access::end_timeline(*this, end);
  if (context_ != nullptr) {
    notify_pass_ended(*context_,
                      {.bytes = bytes_ - bytes_at_begin_, .records = records_ - records_at_begin_},
                      timeline);
  }
}

namespace detail {

timeline_builder* recorder_access::timeline(case_recorder& recorder) noexcept {
  return recorder.timeline_ ? &recorder.timeline_->builder : nullptr;
}

pass_timeline recorder_access::end_timeline(case_recorder& recorder,
                                            case_recorder::clock::time_point end) {
  if (!recorder.timeline_) return {};
  recorder.timeline_->writer.finish(end);
  pass_timeline t = recorder.timeline_->builder.finish(end);
  recorder.timeline_.reset();
  return t;
}

void recorder_access::abandon_pass(case_recorder& recorder, case_recorder::clock::time_point end) {
  const pass_timeline t = end_timeline(recorder, end);
  if (recorder.context_ != nullptr && !t.intervals.empty()) {
    notify_pass_timeline(*recorder.context_, t);
  }
}

void recorder_access::merge(case_recorder& recorder, const latency_histogram& records,
                            std::uint64_t bytes) noexcept {
  recorder.histogram_->merge(records);
  if (recorder.timeline_) recorder.timeline_->writer.merged(records);
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
