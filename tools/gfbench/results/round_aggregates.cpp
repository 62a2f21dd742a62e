#include "results/round_aggregates.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

namespace gfbench::app {
namespace {

// Google Benchmark's four statistics, computed as it computes them.
double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double median(const std::vector<double>& v) {
  if (v.empty()) return 0;
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

double stddev(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double sum = 0;
  for (const double x : v) sum += (x - m) * (x - m);
  return std::sqrt(sum / static_cast<double>(v.size() - 1));
}

double cv(const std::vector<double>& v) {
  const double m = mean(v);
  return m == 0 ? 0 : stddev(v) / m;
}

struct statistic {
  const char* name;
  double (*compute)(const std::vector<double>&);
  benchmark::StatisticUnit unit;
};

constexpr statistic statistics[] = {{"mean", mean, benchmark::kTime},
                                    {"median", median, benchmark::kTime},
                                    {"stddev", stddev, benchmark::kTime},
                                    {"cv", cv, benchmark::kPercentage}};

}  // namespace

std::vector<benchmark::BenchmarkReporter::Run> aggregates_of(
    const std::vector<benchmark::BenchmarkReporter::Run>& rounds) {
  using Run = benchmark::BenchmarkReporter::Run;
  std::vector<Run> out;
  std::vector<const Run*> ok;
  for (const Run& r : rounds) {
    if (!r.error_occurred) ok.push_back(&r);
  }
  if (ok.size() < 2) return out;
  const Run& first = *ok.front();
  std::vector<double> real, cpu;
  std::map<std::string, std::vector<double>> counters;
  for (const Run* r : ok) {
    real.push_back(r->real_accumulated_time);
    cpu.push_back(r->cpu_accumulated_time);
    for (const auto& [name, counter] : r->counters) counters[name].push_back(counter.value);
  }
  // A label only when every round has the same one.
  std::string label = first.report_label;
  for (const Run* r : ok) {
    if (r->report_label != label) label.clear();
  }
  for (const statistic& statistic : statistics) {
    Run a;
    a.run_name = first.run_name;
    a.run_name.repetitions = "repeats:" + std::to_string(rounds.size());
    a.family_index = first.family_index;
    a.per_family_instance_index = first.per_family_instance_index;
    a.run_type = Run::RT_Aggregate;
    a.aggregate_name = statistic.name;
    a.aggregate_unit = statistic.unit;
    a.report_label = label;
    a.threads = first.threads;
    a.repetitions = static_cast<std::int64_t>(rounds.size());
    a.repetition_index = Run::no_repetition_index;
    a.iterations = first.iterations;
    a.time_unit = first.time_unit;
    a.real_accumulated_time = statistic.compute(real);
    a.cpu_accumulated_time = statistic.compute(cpu);
    a.statistics = nullptr;
    for (const auto& [name, values] : counters) {
      const auto& flags =
          first.counters.count(name) != 0 ? first.counters.at(name) : benchmark::Counter();
      a.counters[name] = benchmark::Counter(statistic.compute(values), flags.flags, flags.oneK);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace gfbench::app
