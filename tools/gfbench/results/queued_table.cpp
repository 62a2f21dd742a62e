#include "results/queued_table.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "common/text_table.hpp"
#include "gfbench/distribution.hpp"
#include "gfbench/units.hpp"
#include "results/confidence.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

// What a queued case is, without its target: the row it takes.
std::string row_of(const case_summary& c) {
  std::string row = c.operation + (c.cache.empty() ? "" : ":" + c.cache) + " " +
                    format_iec(c.file_size) + " " + format_iec(c.block_size) + " qd " +
                    std::to_string(c.queue_depth) + " x " + std::to_string(c.threads);
  if (c.rate_iops > 0) row += " rate " + format_rate(c.rate_iops);
  if (!c.distribution.empty()) row += " " + c.distribution;
  return row;
}

std::vector<double> counter_rounds(const case_summary& c, const char* name) {
  const auto it = c.counters.find(name);
  return it == c.counters.end() ? std::vector<double>{} : it->second;
}

// A latency percentile of each round, in ms; rounds without it are left out.
std::vector<double> latency_rounds(const case_summary& c,
                                   std::optional<double> latency_sample::*p) {
  std::vector<double> out;
  for (const latency_sample& l : c.latencies) {
    if ((l.*p).has_value()) out.push_back(*(l.*p) / 1000.0);
  }
  return out;
}

std::vector<double> p50_rounds(const case_summary& c) {
  std::vector<double> out;
  for (const latency_sample& l : c.latencies) out.push_back(l.p50_us / 1000.0);
  return out;
}

// A histogram's percentile is the middle of its bucket: rounds that agree
// to the bucket are no surer than the bucket is wide (16 to a power of two:
// within about 3 % either way).
constexpr double histogram_error = 0.03;

interval at_least_histogram_error(interval i) {
  if (!i.known()) return i;
  i.low = std::min(i.low, i.value * (1 - histogram_error));
  i.high = std::max(i.high, i.value * (1 + histogram_error));
  return i;
}

// "84,177 ±6.0%"; "-" without rounds.
std::string with_interval(const interval& i, int decimals) {
  if (i.n == 0) return "-";
  const std::string value =
      decimals == 0 ? with_thousands(i.value) : format_fixed(i.value, decimals);
  const std::string pm = format_plus_minus(i);
  return pm.empty() ? value : value + " " + pm;
}

std::string target_block(const std::vector<const case_summary*>& cases) {
  std::vector<std::vector<std::string>> rows{
      {"case", "IOPS", "MiB/s", "p50 ms", "p99 ms", "p99.9 ms", "n"}};
  for (const case_summary* c : cases) {
    const interval iops = mean_interval(counter_rounds(*c, "IOPS"));
    const interval mib = mean_interval(c->bytes_per_second);
    const interval p50 = log_interval(p50_rounds(*c));
    const interval p99 =
        at_least_histogram_error(log_interval(latency_rounds(*c, &latency_sample::p99_us)));
    const interval p999 = log_interval(latency_rounds(*c, &latency_sample::p999_us));
    rows.push_back({row_of(*c), with_interval(iops, 0),
                    mib.n == 0 ? "-" : format_fixed(mib.value / (1 << 20), 1),
                    p50.n == 0 ? "-" : format_fixed(p50.value, 3), with_interval(p99, 3),
                    p999.n == 0 ? "-" : format_fixed(p999.value, 3),
                    std::to_string(c->bytes_per_second.size())});
  }
  return render_table(rows, 1, "  ");
}

// p99 of `a` over `b` in the rounds both have it.
comparison p99_comparison(const case_summary& a, const case_summary& b) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < a.latencies.size() && i < a.rounds.size(); ++i) {
    for (std::size_t j = 0; j < b.latencies.size() && j < b.rounds.size(); ++j) {
      if (a.rounds[i] != b.rounds[j] || !a.latencies[i].p99_us || !b.latencies[j].p99_us) continue;
      x.push_back(*a.latencies[i].p99_us);
      y.push_back(*b.latencies[j].p99_us);
    }
  }
  return compare_paired(x, y);
}

std::string verdict_words(const comparison& c, std::string_view reference) {
  switch (c.verdict()) {
    case verdict::higher:
      return std::string(reference) + " slower (higher p99)";
    case verdict::lower:
      return std::string(reference) + " faster (lower p99)";
    case verdict::no_difference:
      return "no difference this run can show";
    case verdict::too_few:
      break;
  }
  return "one round: no interval";
}

// Reference p99 over each other target's, case by case, corrected together.
std::string latency_comparisons(
    const std::map<std::string, std::vector<const case_summary*>>& by_target,
    const std::vector<std::string>& targets, std::string_view reference) {
  const auto ref = by_target.find(std::string(reference));
  if (ref == by_target.end()) return {};
  struct entry {
    std::string other;
    std::string row;
    comparison c;
  };
  std::vector<entry> entries;
  for (const std::string& other : targets) {
    if (other == reference) continue;
    for (const case_summary* a : ref->second) {
      for (const case_summary* b : by_target.at(other)) {
        if (row_of(*a) == row_of(*b))
          entries.push_back({other, row_of(*a), p99_comparison(*a, *b)});
      }
    }
  }
  if (entries.empty()) return {};
  std::vector<comparison*> family;
  family.reserve(entries.size());
  for (entry& e : entries) family.push_back(&e.c);
  adjust_holm(family);
  std::vector<std::vector<std::string>> rows{
      {"case", "other", "p99 ratio [95 % interval]", "verdict"}};
  for (const entry& e : entries) {
    rows.push_back({e.row, e.other, format_ratio_interval(e.c), verdict_words(e.c, reference)});
  }
  return "\n" + std::string(reference) +
         " p99 / other p99, round by round (below 1: " + std::string(reference) +
         " answers faster; verdicts after Holm's correction over these rows):\n" +
         render_table(rows, 2, "  ");
}

// How far each drawn case's requests were from the distribution asked
// for: the hottest tenth of the records' share, and the total variation
// distance over the tenths.
std::string distribution_lines(const std::vector<case_summary>& cases) {
  std::vector<std::vector<std::string>> rows{{"case", "target", "hottest 10 % asked", "sent",
                                              "deviation", "redraws/pass", "took next/pass"}};
  for (const case_summary& c : cases) {
    if (c.distribution.empty()) continue;
    const auto asked = counter_median(c, "dist_hot10_asked");
    const auto sent = counter_median(c, "dist_hot10_sent");
    const auto deviation = counter_median(c, "dist_deviation");
    if (!asked || !sent || !deviation) continue;
    rows.push_back({row_of(c), c.target, format_fixed(100 * *asked, 1) + " %",
                    format_fixed(100 * *sent, 1) + " %", format_fixed(*deviation, 3),
                    with_thousands(counter_median(c, "dist_redraws").value_or(0)),
                    with_thousands(counter_median(c, "dist_took_next").value_or(0))});
  }
  if (rows.size() == 1) return {};
  return "\nAccess distributions (--random-distribution), requests sent against the asked: "
         "the hottest tenth of each thread's records, and the deviation over all tenths (total "
         "variation distance: 0 agrees, 1 at most); a draw on a record in flight is drawn again "
         "up to " +
         std::to_string(distribution_redraws) +
         " times, then takes the next free record, so a hot record limits depth:\n" +
         render_table(rows, 2, "  ");
}

}  // namespace

std::string format_queued(const std::vector<case_summary>& cases, std::string_view reference) {
  std::map<std::string, std::vector<const case_summary*>> by_target;
  std::vector<std::string> targets;
  for (const case_summary& c : cases) {
    if (c.queue_depth == 0 || c.bytes_per_second.empty()) continue;
    if (by_target.find(c.target) == by_target.end()) targets.push_back(c.target);
    by_target[c.target].push_back(&c);
  }
  if (targets.empty()) return {};
  std::string out =
      "Queued cases: IOPS and MiB/s (mean over repetitions; ±: its 95 % interval), latency "
      "per request from submit to completion (geometric mean over repetitions of each "
      "one's percentile; each within about 3 % from the histogram, and no interval narrower; "
      "paced cases, with a rate, from when each request was due):\n";
  for (const std::string& t : targets) out += "\n" + t + "\n" + target_block(by_target[t]);
  out += latency_comparisons(by_target, targets, reference);
  out += distribution_lines(cases);
  return out;
}

}  // namespace gfbench::app
