#include "results/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <tuple>

#include "common/counter_names.hpp"
#include "gfbench/case.hpp"
#include "gfbench/metadata.hpp"

namespace gfbench::app {

const std::vector<double>& rates_of(const case_summary& c) {
  // A metadata phase also counts the bytes it wrote (none for a stat):
  // its rate is its files.
  if (const auto files = c.counters.find(files_per_second_counter); files != c.counters.end()) {
    return files->second;
  }
  return c.bytes_per_second;
}

std::pair<std::vector<double>, std::vector<double>> paired_rounds(const case_summary& a,
                                                                  const case_summary& b) {
  std::pair<std::vector<double>, std::vector<double>> out;
  const std::vector<double>& rate_a = rates_of(a);
  const std::vector<double>& rate_b = rates_of(b);
  for (std::size_t i = 0; i < rate_a.size() && i < a.rounds.size(); ++i) {
    for (std::size_t j = 0; j < rate_b.size() && j < b.rounds.size(); ++j) {
      if (a.rounds[i] != b.rounds[j]) continue;
      out.first.push_back(rate_a[i]);
      out.second.push_back(rate_b[j]);
    }
  }
  return out;
}

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<throughput_stats> summarize(const case_summary& c) {
  if (!c.bytes_per_second.empty()) {
    return throughput_stats{mean_of(c.bytes_per_second), median_of(c.bytes_per_second),
                            static_cast<std::int64_t>(c.bytes_per_second.size())};
  }
  if (c.aggregate_mean && c.aggregate_median) {
    return throughput_stats{*c.aggregate_mean, *c.aggregate_median, c.aggregate_count};
  }
  return std::nullopt;
}

std::optional<double> counter_median(const case_summary& c, std::string_view name) {
  if (const auto it = c.counters.find(std::string(name)); it != c.counters.end()) {
    if (!it->second.empty()) return median_of(it->second);
  }
  if (const auto it = c.aggregate_counters.find(std::string(name));
      it != c.aggregate_counters.end()) {
    return it->second;
  }
  return std::nullopt;
}

double pass_bytes(const case_summary& c) {
  return counter_median(c, bytes_per_pass_counter).value_or(static_cast<double>(c.file_size));
}

std::optional<double> cache_share(const case_summary& c) {
  const auto op = parse_operation(c.operation);
  if (!op || !is_read(*op) || c.file_size == 0) return std::nullopt;
  const auto brick = counter_median(c, brick_read_bytes_counter);
  if (!brick) return std::nullopt;
  return std::clamp(1.0 - *brick / pass_bytes(c), 0.0, 1.0);
}

std::optional<double> brick_write_share(const case_summary& c) {
  const auto op = parse_operation(c.operation);
  if (!op || !is_write(*op) || c.file_size == 0) return std::nullopt;
  const auto brick = counter_median(c, brick_write_bytes_counter);
  if (!brick) return std::nullopt;
  const double copies = counter_median(c, brick_copies_counter).value_or(1.0);
  return std::clamp(*brick / (pass_bytes(c) * copies), 0.0, 1.0);
}

bool brick_bytes_exceed_pass(const case_summary& c) {
  const auto op = parse_operation(c.operation);
  if (!op || c.file_size == 0) return false;
  const double size = pass_bytes(c);
  if (is_read(*op)) {
    const auto brick = counter_median(c, brick_read_bytes_counter);
    return brick && *brick > size;
  }
  if (is_write(*op)) {
    const auto brick = counter_median(c, brick_write_bytes_counter);
    const double copies = counter_median(c, brick_copies_counter).value_or(1.0);
    return brick && *brick > size * copies;
  }
  return false;
}

namespace {

// The median over repetitions of a percentile, where every repetition has it.
std::optional<double> median_where_all(const std::vector<latency_sample>& samples,
                                       std::optional<double> latency_sample::*field) {
  std::vector<double> values;
  for (const latency_sample& l : samples) {
    if (!(l.*field)) return std::nullopt;
    values.push_back(*(l.*field));
  }
  return median_of(values);
}

}  // namespace

latency_sample median_latency(const std::vector<latency_sample>& samples) {
  latency_sample out;
  std::vector<double> p50;
  for (const latency_sample& l : samples) {
    p50.push_back(l.p50_us);
    out.max_us = std::max(out.max_us, l.max_us);
  }
  out.p50_us = median_of(p50);
  out.p90_us = median_where_all(samples, &latency_sample::p90_us);
  out.p99_us = median_where_all(samples, &latency_sample::p99_us);
  out.p999_us = median_where_all(samples, &latency_sample::p999_us);
  out.p9999_us = median_where_all(samples, &latency_sample::p9999_us);
  return out;
}

std::optional<double> stddev_of(const std::vector<double>& values) {
  if (values.size() < 2) return std::nullopt;
  const double mean = mean_of(values);
  double sum = 0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

std::vector<case_statistics> compute_statistics(const std::vector<case_summary>& cases,
                                                std::string_view reference) {
  std::vector<case_statistics> stats;
  stats.reserve(cases.size());
  // (operation, cache, file size, block size, file, depth, threads, rate)
  // -> the reference's median
  using case_key = std::tuple<std::string, std::string, std::uint64_t, std::uint64_t, std::string,
                              unsigned, unsigned, double>;
  const auto key_of = [](const case_summary& c) {
    return case_key{c.operation, c.cache,       c.file_size, c.block_size,
                    c.file,      c.queue_depth, c.threads,   c.rate_iops};
  };
  std::map<case_key, double> reference_median;
  std::map<case_key, const case_summary*> reference_case;

  for (const case_summary& c : cases) {
    case_statistics s;
    s.source = &c;
    s.failed = c.failed;
    if (const auto t = summarize(c)) {
      s.repetitions = t->count;
      s.mean = t->mean;
      s.median = t->median;
    }
    if (!c.bytes_per_second.empty()) {
      s.stddev = stddev_of(c.bytes_per_second);
      s.min = *std::min_element(c.bytes_per_second.begin(), c.bytes_per_second.end());
      s.max = *std::max_element(c.bytes_per_second.begin(), c.bytes_per_second.end());
    }
    if (!c.latencies.empty()) {
      s.latency = median_latency(c.latencies);
    } else if (c.aggregate_latency) {
      s.latency = c.aggregate_latency;
    }
    s.mean_ci = mean_interval(c.bytes_per_second);
    if (c.target == reference && s.median) {
      reference_median[key_of(c)] = *s.median;
      reference_case[key_of(c)] = &c;
    }
    stats.push_back(s);
  }

  std::vector<comparison*> family;
  for (case_statistics& s : stats) {
    const case_summary& c = *s.source;
    if (c.target == reference || !s.median || *s.median <= 0) continue;
    const auto it = reference_median.find(key_of(c));
    if (it != reference_median.end()) s.reference_ratio = it->second / *s.median;
    const auto ref = reference_case.find(key_of(c));
    if (ref == reference_case.end()) continue;
    const auto [a, b] = paired_rounds(*ref->second, c);
    if (a.empty()) continue;
    s.reference_comparison = compare_paired(a, b);
  }
  for (case_statistics& s : stats) {
    if (s.reference_comparison) family.push_back(&*s.reference_comparison);
  }
  adjust_holm(family);
  return stats;
}

}  // namespace gfbench::app
