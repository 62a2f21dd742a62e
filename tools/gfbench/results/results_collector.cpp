#include "results/results_collector.hpp"

#include <chrono>
#include <cmath>
#include <iterator>
#include <optional>
#include <utility>

#include "results/round_aggregates.hpp"

namespace gfbench::app {
namespace {

// The recorder's latency counters; nullopt without a median and a maximum.
std::optional<latency_sample> latency_of(const benchmark::BenchmarkReporter::Run& run) {
  const auto value = [&](const char* name) -> std::optional<double> {
    const auto it = run.counters.find(name);
    if (it == run.counters.end()) return std::nullopt;
    return it->second.value;
  };
  // A percentile of too few records holds the maximum (recorder.hpp): it
  // is no percentile, so it is left out.
  const double records = value("lat_records").value_or(0);
  const auto percentile = [&](const char* name, double needs) -> std::optional<double> {
    if (records < needs) return std::nullopt;
    return value(name);
  };
  const auto p50 = value("lat_p50_us");
  const auto max = value("lat_max_us");
  if (!p50 || !max) return std::nullopt;
  return latency_sample{.p50_us = *p50,
                        .p99_us = percentile("lat_p99_us", 100),
                        .max_us = *max,
                        .p90_us = percentile("lat_p90_us", 10),
                        .p999_us = percentile("lat_p999_us", 1000),
                        .p9999_us = percentile("lat_p9999_us", 10000)};
}

}  // namespace

results_collector::results_collector(benchmark::BenchmarkReporter* display,
                                     const std::vector<case_info>& cases)
    : results_collector(display == nullptr ? std::vector<output_sink>{}
                                           : std::vector<output_sink>{{display, false}},
                        cases) {}

results_collector::results_collector(std::vector<output_sink> sinks,
                                     const std::vector<case_info>& cases)
    : sinks_(std::move(sinks)) {
  results_.reserve(cases.size());
  for (const case_info& c : cases) {
    if (index_.count(c.name) != 0) continue;
    index_.emplace(c.name, results_.size());
    case_summary s;
    s.name = c.name;
    s.target = c.target_label;
    s.operation = c.operation;
    s.cache = c.cache;
    s.file_size = c.file_size;
    s.block_size = c.block_size;
    s.file = c.file;
    s.fsync_timed = c.fsync_timed;
    s.queue_depth = c.queue_depth;
    s.threads = c.threads;
    s.runtime_seconds = std::chrono::duration<double>(c.runtime).count();
    s.rate_iops = c.rate_iops;
    if (c.rate_iops > 0) s.arrival = std::string(to_string(c.arrival));
    if (c.distribution != "sweep") s.distribution = c.distribution;
    s.file_count = c.file_count;
    results_.push_back(std::move(s));
  }
  rounds_.resize(results_.size());
  rounds_of_case_.assign(results_.size(), 0);
}

bool results_collector::ReportContext(const Context& context) {
  if (context_passed_) return true;  // a later round
  context_passed_ = true;
  bool ok = true;
  for (const output_sink& sink : sinks_) ok = sink.reporter->ReportContext(context) && ok;
  return ok;
}

void results_collector::ReportRuns(const std::vector<Run>& reports) {
  std::vector<Run> shown;
  for (Run run : reports) {
    collect(run);
    // A counter that is not a number (the cv of one that is always 0) is
    // left out: console rows never read "-nan%", and JSON stays JSON.
    for (auto it = run.counters.begin(); it != run.counters.end();) {
      it = std::isfinite(it->second.value) ? std::next(it) : run.counters.erase(it);
    }
    if (const auto c = index_.find(run.run_name.function_name);
        c != index_.end() && run.run_type != Run::RT_Aggregate) {
      rounds_[c->second].push_back(run);
    }
    shown.push_back(std::move(run));
  }
  for (const output_sink& sink : sinks_) {
    if (!sink.aggregates_only && !shown.empty()) sink.reporter->ReportRuns(shown);
  }
}

void results_collector::finish() {
  if (finished_) return;
  finished_ = true;
  for (const std::vector<Run>& runs : rounds_) {
    if (runs.empty()) continue;
    std::vector<Run> aggregates = aggregates_of(runs);
    for (Run& a : aggregates) {
      for (auto it = a.counters.begin(); it != a.counters.end();) {
        it = std::isfinite(it->second.value) ? std::next(it) : a.counters.erase(it);
      }
    }
    for (const output_sink& sink : sinks_) {
      if (!aggregates.empty()) {
        sink.reporter->ReportRuns(aggregates);
      } else if (sink.aggregates_only && runs.size() == 1) {
        // One round: nothing to aggregate, so the round is shown, as Google
        // Benchmark shows a single repetition. Rounds that all failed have
        // no aggregate either; they are in the failures.
        sink.reporter->ReportRuns(runs);
      }
    }
  }
  if (!context_passed_ && runs_seen_ == 0) return;  // nothing ran: no output was begun
  for (const output_sink& sink : sinks_) sink.reporter->Finalize();
}

void results_collector::collect(const Run& run) {
  const auto it = index_.find(run.run_name.function_name);
  if (it == index_.end()) return;
  case_summary& c = results_[it->second];
  ++runs_seen_;
  // Each run of a registered case is one round of it (gfbench repeats in
  // rounds; Google Benchmark's own aggregates, if any, are not a round).
  const int round = run.run_type == Run::RT_Aggregate ? -1 : rounds_of_case_[it->second]++;
  if (const auto d = run.counters.find("degraded");
      d != run.counters.end() && d->second.value > 0 && run.run_type != Run::RT_Aggregate) {
    ++c.degraded;
  }

  if (run.error_occurred) {
    ++c.failed;
    failures_.push_back({run.benchmark_name(), round, run.error_message});
    return;
  }
  if (run.run_type != Run::RT_Aggregate) {
    for (const auto& [name, value] : run.counters) c.counters[name].push_back(value.value);
    c.rounds.push_back(round);  // for every counter's values, the round they came from
  } else if (run.aggregate_name == "mean") {
    for (const auto& [name, value] : run.counters) c.aggregate_counters[name] = value.value;
  }
  const auto counter = run.counters.find("bytes_per_second");
  if (counter == run.counters.end()) return;
  const double rate = counter->second.value;
  const std::optional<latency_sample> latency = latency_of(run);

  if (run.run_type == Run::RT_Aggregate) {
    if (run.aggregate_name == "mean") {
      c.aggregate_mean = rate;
      c.aggregate_count = run.repetitions;
    } else if (run.aggregate_name == "median") {
      c.aggregate_median = rate;
      c.aggregate_latency = latency;
    }
    return;
  }
  c.bytes_per_second.push_back(rate);
  if (latency) c.latencies.push_back(*latency);
}

}  // namespace gfbench::app
