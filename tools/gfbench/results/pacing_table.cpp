#include "results/pacing_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "common/text_table.hpp"
#include "gfbench/units.hpp"
#include "results/confidence.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

// Everything about a paced case but its rate: the cases of one curve.
std::string curve_of(const case_summary& c) {
  return c.target + "  " + c.operation + (c.cache.empty() ? "" : ":" + c.cache) + " " +
         format_iec(c.file_size) + " " + format_iec(c.block_size) + " qd " +
         std::to_string(c.queue_depth) + " x " + std::to_string(c.threads) + ", " + c.arrival +
         " arrivals";
}

// One point of the curve: what a rate asked got.
struct load_point {
  double asked = 0;
  interval achieved{};
  std::optional<double> p50_ms{};
  std::optional<double> p99_ms{};
  std::optional<double> p999_ms{};
  std::optional<double> sent_p99_ms{};
  double backlog_max = 0;
  double unsent = 0;
  // The share served: of the requests due (time-based), or of the rate.
  double served = 0;
  bool time_based = false;
  bool measured = false;
  [[nodiscard]] bool kept() const { return measured && served >= rate_kept_share; }
};

load_point point_of(const case_summary& c) {
  load_point p{.asked = c.rate_iops};
  const auto iops = c.counters.find("IOPS");
  if (iops == c.counters.end() || iops->second.empty()) return p;
  p.measured = true;
  p.achieved = mean_interval(iops->second);
  if (!c.latencies.empty()) {
    // As the summary's latency: the median of each repetition's percentile.
    const latency_sample l = median_latency(c.latencies);
    const auto ms = [](std::optional<double> us) {
      return us ? std::optional<double>(*us / 1000.0) : std::nullopt;
    };
    p.p50_ms = l.p50_us / 1000.0;
    p.p99_ms = ms(l.p99_us);
    p.p999_ms = ms(l.p999_us);
  }
  if (const auto v = counter_median(c, "sent_p99_us")) p.sent_p99_ms = *v / 1000.0;
  const auto largest = [&](const char* name) {
    const auto it = c.counters.find(name);
    return it == c.counters.end() || it->second.empty()
               ? 0.0
               : *std::max_element(it->second.begin(), it->second.end());
  };
  p.backlog_max = largest("backlog_max");
  p.unsent = largest("backlog_end");
  p.time_based = c.runtime_seconds > 0;
  const auto done =
      counter_median(c, "reads").value_or(0) + counter_median(c, "writes").value_or(0);
  const auto due = counter_median(c, "requests_due").value_or(0);
  p.served = p.time_based ? (due > 0 ? done / due : 0) : p.achieved.value / p.asked;
  return p;
}

// 20,000 as the other tables show counts; 2.5 as it is.
std::string rate_text(double rate) {
  return rate == std::floor(rate) ? with_thousands(rate) : format_rate(rate);
}

std::string ms(std::optional<double> v) { return v ? format_fixed(*v, 3) : "-"; }

std::string achieved_cell(const load_point& p) {
  if (!p.measured) return "failed";
  const std::string pm = format_plus_minus(p.achieved);
  return with_thousands(p.achieved.value) + (pm.empty() ? "" : " " + pm);
}

std::string kept_cell(const load_point& p) {
  if (!p.measured) return "-";
  if (p.kept()) return "kept";
  return "behind: served " + format_fixed(100.0 * p.served, 1) +
         (p.time_based ? " % of what fell due" : " % of the rate");
}

// Where the curve bends: the highest rate kept whose p99 stays within
// twice the p99 at the lightest load.
std::string knee_line(const std::vector<load_point>& points) {
  if (points.size() < 2 || !points.front().p99_ms) return {};
  const double base = *points.front().p99_ms;
  const load_point* knee = nullptr;
  for (const load_point& p : points) {
    if (!p.kept() || !p.p99_ms || *p.p99_ms > 2 * base) break;
    knee = &p;
  }
  if (knee == nullptr) return "  knee: not even the lightest rate was kept\n";
  if (knee == &points.back()) {
    return "  knee: none up to " + rate_text(knee->asked) +
           " IOPS: every rate kept, p99 within "
           "twice the lightest load's (" +
           format_fixed(base, 3) + " ms)\n";
  }
  return "  knee: " + rate_text(knee->asked) +
         " IOPS, the highest rate kept with p99 within "
         "twice the lightest load's (" +
         format_fixed(base, 3) + " ms)\n";
}

std::string target_line(const std::vector<load_point>& points, std::chrono::nanoseconds target) {
  const double target_ms = std::chrono::duration<double, std::milli>(target).count();
  const std::string bound = "p99 within " + format_fixed(target_ms, 3) + " ms";
  const load_point* last_within = nullptr;
  const load_point* first_over = nullptr;
  for (const load_point& p : points) {
    if (p.kept() && p.p99_ms && *p.p99_ms <= target_ms) {
      last_within = &p;
      continue;
    }
    first_over = &p;
    break;
  }
  const auto over_text = [&](const load_point& p) {
    if (!p.measured) return std::string("the case failed");
    if (!p.kept()) return std::string("the rate was not kept");
    return "p99 " + ms(p.p99_ms) + " ms";
  };
  if (last_within == nullptr) {
    return "  latency target: " + bound + " at no rate measured; at " +
           rate_text(points.front().asked) + " IOPS " + over_text(points.front()) + "\n";
  }
  if (first_over == nullptr) {
    return "  latency target: " + bound + " at every rate measured, up to " +
           rate_text(last_within->asked) + " IOPS: try higher rates\n";
  }
  return "  latency target: " + bound + " up to " + rate_text(last_within->asked) + " IOPS; at " +
         rate_text(first_over->asked) + " IOPS " + over_text(*first_over) + "\n";
}

}  // namespace

std::string format_pacing(const std::vector<case_summary>& cases,
                          std::optional<std::chrono::nanoseconds> latency_target) {
  std::map<std::string, std::vector<const case_summary*>> curves;
  std::vector<std::string> order;
  for (const case_summary& c : cases) {
    if (c.rate_iops <= 0) continue;
    const std::string key = curve_of(c);
    if (!curves.contains(key)) order.push_back(key);
    curves[key].push_back(&c);
  }
  if (order.empty()) return {};
  std::string out =
      "Latency against load (--rate-iops: requests sent on a schedule fixed in advance). "
      "Latency counts from when each request was due, so the time a request waited for a slot "
      "in the queue is in it; \"sent p99\" counts from when it was sent. IOPS achieved is the "
      "mean over repetitions (±: its 95 % interval); a rate is kept when at least " +
      format_fixed(100 * rate_kept_share, 0) +
      " % of what fell due was served (of the rate, in a pass of one sweep); backlog: requests "
      "due and not yet sent (the most at once, and at the end):\n";
  for (const std::string& key : order) {
    auto& list = curves[key];
    std::sort(list.begin(), list.end(), [](const case_summary* a, const case_summary* b) {
      return a->rate_iops < b->rate_iops;
    });
    std::vector<load_point> points;
    std::vector<std::vector<std::string>> rows{{"asked IOPS", "achieved IOPS", "p50 ms", "p99 ms",
                                                "p99.9 ms", "sent p99 ms", "backlog max",
                                                "unsent at end", ""}};
    for (const case_summary* c : list) {
      const load_point p = point_of(*c);
      rows.push_back({rate_text(p.asked), achieved_cell(p), ms(p.p50_ms), ms(p.p99_ms),
                      ms(p.p999_ms), ms(p.sent_p99_ms), with_thousands(p.backlog_max),
                      with_thousands(p.unsent), kept_cell(p)});
      points.push_back(p);
    }
    out += "\n" + key + "\n" + render_table(rows, 1, "  ") + knee_line(points);
    if (latency_target) out += target_line(points, *latency_target);
  }
  return out;
}

}  // namespace gfbench::app
