#include "bench/record/timeline_builder.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <new>

namespace gfbench {

const timeline_stall* pass_timeline::longest_stall() const noexcept {
  const timeline_stall* longest = nullptr;
  for (const timeline_stall& s : stalls) {
    if (longest == nullptr || s.seconds > longest->seconds) longest = &s;
  }
  return longest;
}

std::uint64_t pass_timeline::completions() const noexcept {
  std::uint64_t n = 0;
  for (const timeline_interval& i : intervals) n += i.completions;
  return n;
}

latency_bucket_range latency_bucket_bounds(std::uint16_t bucket) noexcept {
  using histogram = detail::interval_histogram;
  if (bucket >= histogram::bucket_count) return {};
  return {static_cast<double>(histogram::bucket_low(bucket)) / 1000.0,
          static_cast<double>(histogram::bucket_high(bucket)) / 1000.0};
}

timeline_span span_of(const pass_timeline& t, double from_s, double to_s) {
  using histogram = detail::interval_histogram;
  timeline_span span{.from_s = from_s, .to_s = to_s};
  std::array<std::uint64_t, histogram::bucket_count> counts{};
  std::uint64_t max_ns = 0;
  for (const timeline_interval& i : t.intervals) {
    if (i.start_s < from_s || i.start_s >= to_s) continue;
    span.seconds += i.seconds;
    ++span.intervals;
    span.completions += i.completions;
    span.bytes += i.bytes;
    for (const auto& [e, n] : i.errors) span.errors += n;
    for (const auto& [bucket, n] : i.latency_buckets) {
      if (bucket < counts.size()) counts[bucket] += n;
    }
    max_ns = std::max(max_ns, static_cast<std::uint64_t>(i.max_us * 1000.0));
  }
  std::uint64_t total = 0;
  for (const auto n : counts) total += n;
  span.p50_us =
      static_cast<double>(histogram::quantile_of(counts.data(), total, max_ns, 0.50)) / 1000.0;
  span.p99_us =
      static_cast<double>(histogram::quantile_of(counts.data(), total, max_ns, 0.99)) / 1000.0;
  span.max_us = static_cast<double>(max_ns) / 1000.0;
  return span;
}

}  // namespace gfbench

namespace gfbench::detail {
namespace {

double seconds_of(std::uint64_t ns) { return static_cast<double>(ns) / 1e9; }

// The stretches of `a` that `b` covers too: a thread's and another's
// times without a completion, in time order; what both kept in flight
// adds up.
std::vector<completion_gap> both(const std::vector<completion_gap>& a,
                                 const std::vector<completion_gap>& b) {
  std::vector<completion_gap> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint64_t from = std::max(a[i].from_ns, b[j].from_ns);
    const std::uint64_t to = std::min(a[i].to_ns, b[j].to_ns);
    if (from < to) {
      out.push_back({.from_ns = from,
                     .to_ns = to,
                     .in_flight = a[i].in_flight + b[j].in_flight,
                     .to_end = a[i].to_end && b[j].to_end && to == a[i].to_ns && to == b[j].to_ns});
    }
    if (a[i].to_ns < b[j].to_ns) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

// A last interval of under a hundredth of the others (the pass ended just
// after a boundary) joins the one before: a rate over a sliver of time
// says nothing.
void merge_last_sliver(pass_timeline& t, std::vector<interval_counts>& slots) {
  if (t.intervals.size() < 2) return;
  timeline_interval& last = t.intervals.back();
  if (last.seconds * 100 >= t.interval_s) return;
  interval_counts& before = slots[slots.size() - 2];
  before.merge(slots.back());
  before.in_flight = slots.back().in_flight;
  before.backlog = slots.back().backlog;
  timeline_interval& into = t.intervals[t.intervals.size() - 2];
  into.seconds += last.seconds;
  into.completions = before.completions;
  into.bytes = before.bytes;
  into.items = before.items;
  into.in_flight = before.in_flight;
  into.backlog = before.backlog;
  into.errors = before.errors;
  std::sort(into.errors.begin(), into.errors.end());
  if (before.latencies.count() > 0) {
    into.p50_us = static_cast<double>(before.latencies.quantile(0.50)) / 1000.0;
    into.p99_us = static_cast<double>(before.latencies.quantile(0.99)) / 1000.0;
    into.max_us = static_cast<double>(before.latencies.max()) / 1000.0;
    into.latency_buckets = before.latencies.nonzero();
  }
  t.intervals.pop_back();
}

}  // namespace

void interval_histogram::merge(const interval_histogram& other) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  if (other.max_ > max_) max_ = other.max_;
}

std::uint64_t interval_histogram::bucket_low(int bucket) noexcept {
  if (bucket == 0) return 0;
  const int exponent = low_exponent + (bucket - 1) / subs;
  const auto sub = static_cast<std::uint64_t>((bucket - 1) % subs);
  return (std::uint64_t{1} << exponent) + sub * (std::uint64_t{1} << (exponent - sub_bits));
}

std::uint64_t interval_histogram::bucket_high(int bucket) noexcept {
  if (bucket == 0) return std::uint64_t{1} << low_exponent;
  const int exponent = low_exponent + (bucket - 1) / subs;
  return bucket_low(bucket) + (std::uint64_t{1} << (exponent - sub_bits));
}

std::uint64_t interval_histogram::quantile(double q) const noexcept {
  return quantile_of(counts_.data(), total_, max_, q);
}

std::vector<std::pair<std::uint16_t, std::uint32_t>> interval_histogram::nonzero() const {
  std::vector<std::pair<std::uint16_t, std::uint32_t>> out;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    if (counts_[b] != 0) out.emplace_back(static_cast<std::uint16_t>(b), counts_[b]);
  }
  return out;
}

void interval_counts::merge(const interval_counts& other) {
  latencies.merge(other.latencies);
  completions += other.completions;
  bytes += other.bytes;
  items += other.items;
  for (const auto& [e, n] : other.errors) add_error(e, n);
}

void interval_counts::add_error(int errno_value, std::uint64_t n) {
  for (auto& [e, count] : errors) {
    if (e == errno_value) {
      count += n;
      return;
    }
  }
  errors.emplace_back(errno_value, n);
}

timeline_builder::timeline_builder(clock::time_point begin, std::chrono::nanoseconds interval)
    : begin_(begin),
      begin_utc_(std::chrono::system_clock::now()),
      asked_ns_(static_cast<std::uint64_t>(std::max(interval.count(), std::int64_t{1}))),
      width_ns_(asked_ns_) {}

std::uint64_t timeline_builder::width_ns() {
  const std::lock_guard lock(mutex_);
  return width_ns_;
}

interval_counts& timeline_builder::slot(std::uint64_t index) {
  while (index >= max_timeline_intervals) {
    coarsen();
    index /= 2;
  }
  if (index >= slots_.size()) slots_.resize(index + 1);
  return slots_[index];
}

void timeline_builder::coarsen() {
  std::vector<interval_counts> merged((slots_.size() + 1) / 2);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    interval_counts& into = merged[i / 2];
    into.merge(slots_[i]);
    // Requests in flight at the end of the merged interval: its later half's.
    if (i % 2 == 1 || i + 1 == slots_.size()) {
      into.in_flight = slots_[i].in_flight;
      into.backlog = slots_[i].backlog;
    }
  }
  slots_ = std::move(merged);
  width_ns_ *= 2;
}

std::uint64_t timeline_builder::add(std::uint64_t start_ns, const interval_counts& counts,
                                    std::uint64_t in_flight, std::uint64_t backlog,
                                    std::uint64_t& reported_until_ns, std::uint64_t until_ns) {
  const std::lock_guard lock(mutex_);
  // Times, not indexes, stay true when intervals were merged since the
  // writer took its width; merge first, as far as `until_ns` needs.
  if (until_ns > 0) static_cast<void>(slot((until_ns - 1) / width_ns_));
  slot(start_ns / width_ns_).merge(counts);
  const std::uint64_t w = width_ns_;
  if (in_flight > 0 || backlog > 0) {
    for (std::uint64_t end = (reported_until_ns / w + 1) * w; end <= until_ns; end += w) {
      interval_counts& at_end = slot(end / w - 1);
      at_end.in_flight += in_flight;
      at_end.backlog += backlog;
    }
  }
  if (until_ns / w * w > reported_until_ns) reported_until_ns = until_ns / w * w;
  return w;
}

void timeline_builder::add_gaps(std::vector<completion_gap> gaps) {
  const std::lock_guard lock(mutex_);
  gaps_.push_back(std::move(gaps));
}

pass_timeline timeline_builder::finish(clock::time_point end) {
  const std::lock_guard lock(mutex_);
  pass_timeline t;
  t.begin = begin_;
  t.begin_utc = begin_utc_;
  const auto length_ns = static_cast<std::uint64_t>(std::max(
      std::chrono::duration_cast<std::chrono::nanoseconds>(end - begin_).count(), std::int64_t{0}));
  t.seconds = seconds_of(length_ns);
  t.asked_interval_s = seconds_of(asked_ns_);
  // Every interval of the pass, empty ones too; a completion stamped at
  // the very end (or a reap after it) counts in the last one.
  static_cast<void>(slot(std::max<std::uint64_t>(1, (length_ns + width_ns_ - 1) / width_ns_) - 1));
  const std::size_t count = std::max<std::uint64_t>(1, (length_ns + width_ns_ - 1) / width_ns_);
  for (std::size_t i = count; i < slots_.size(); ++i) slots_[count - 1].merge(slots_[i]);
  slots_.resize(count);
  t.interval_s = seconds_of(width_ns_);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const interval_counts& c = slots_[i];
    const std::uint64_t from = i * width_ns_;
    const std::uint64_t to = std::min(from + width_ns_, std::max(length_ns, from));
    timeline_interval out{.start_s = seconds_of(from),
                          .seconds = seconds_of(to - from),
                          .completions = c.completions,
                          .bytes = c.bytes,
                          .items = c.items,
                          .in_flight = c.in_flight,
                          .backlog = c.backlog,
                          .errors = c.errors};
    if (c.latencies.count() > 0) {
      out.p50_us = static_cast<double>(c.latencies.quantile(0.50)) / 1000.0;
      out.p99_us = static_cast<double>(c.latencies.quantile(0.99)) / 1000.0;
      out.max_us = static_cast<double>(c.latencies.max()) / 1000.0;
      out.latency_buckets = c.latencies.nonzero();
    }
    std::sort(out.errors.begin(), out.errors.end());
    t.intervals.push_back(std::move(out));
  }
  merge_last_sliver(t, slots_);
  // Stalls: where every thread went without a completion, and some had
  // requests in flight.
  if (!gaps_.empty()) {
    std::vector<completion_gap> common = gaps_.front();
    for (std::size_t i = 1; i < gaps_.size(); ++i) common = both(common, gaps_[i]);
    for (const completion_gap& g : common) {
      if (g.in_flight == 0 || g.to_ns - g.from_ns < min_stall_ns) continue;
      t.stalls.push_back({.start_s = seconds_of(g.from_ns),
                          .seconds = seconds_of(g.to_ns - g.from_ns),
                          .in_flight = g.in_flight,
                          .to_end = g.to_end});
    }
  }
  return t;
}

timeline_writer::timeline_writer(timeline_builder* builder)
    : builder_(builder), width_ns_(builder != nullptr ? builder->width_ns() : 0) {
  if (builder_ == nullptr) return;
  begin_ = builder_->begin();
  roll_at_ = begin_ + std::chrono::nanoseconds(width_ns_);
  waiting_since_ = begin_;
}

timeline_writer::timeline_writer(timeline_builder* builder, const latency_histogram* pass)
    : timeline_writer(builder) {
  pass_latencies_ = pass;
  if (pass != nullptr) seen_latencies_ = *pass;
}

void timeline_writer::take_latencies() {
  if (pass_latencies_ == nullptr) return;
  pass_latencies_->for_each_increase(seen_latencies_, [&](std::uint64_t low, std::uint64_t n) {
    counts_.latencies.add_many(low, n);
  });
  seen_latencies_ = *pass_latencies_;
}

std::uint64_t timeline_writer::since_begin_ns(clock::time_point at) const noexcept {
  return static_cast<std::uint64_t>(std::max(
      std::chrono::duration_cast<std::chrono::nanoseconds>(at - begin_).count(), std::int64_t{0}));
}

void timeline_writer::add_gap(clock::time_point to, std::uint64_t in_flight, bool to_end) noexcept {
  try {
    gaps_.push_back({.from_ns = since_begin_ns(waiting_since_),
                     .to_ns = since_begin_ns(to),
                     .in_flight = in_flight,
                     .to_end = to_end});
  } catch (const std::bad_alloc&) {
    // Out of memory for a gap: the timeline misses one stall, the pass goes on.
  }
}

void timeline_writer::call_slowly(clock::time_point start, clock::time_point end,
                                  std::uint64_t latency_ns, std::uint64_t bytes) {
  submitted(start);
  completed(end, latency_ns, bytes, 0);
}

void timeline_writer::roll(clock::time_point at) {
  take_latencies();
  const std::uint64_t at_ns = since_begin_ns(at);
  width_ns_ =
      builder_->add(open_start_ns_, counts_, in_flight_, backlog_, reported_until_ns_, at_ns);
  counts_ = interval_counts{};
  open_start_ns_ = at_ns / width_ns_ * width_ns_;
  roll_at_ = begin_ + std::chrono::nanoseconds(open_start_ns_ + width_ns_);
}

void timeline_writer::finish(clock::time_point end) {
  if (builder_ == nullptr) return;
  end = std::max(end, begin_);
  const std::uint64_t end_ns = since_begin_ns(end);
  if (end - waiting_since_ >= min_stall) add_gap(end, in_flight_, true);
  // In flight at the end of every interval left, the last one (which ends
  // with the pass) included.
  const std::uint64_t last_end = (end_ns + width_ns_ - 1) / width_ns_ * width_ns_;
  take_latencies();
  builder_->add(open_start_ns_, counts_, in_flight_, backlog_, reported_until_ns_,
                std::max(last_end, width_ns_));
  counts_ = interval_counts{};
  builder_->add_gaps(std::move(gaps_));
  builder_ = nullptr;
}

}  // namespace gfbench::detail
