#include "results/client_passes.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "common/text_table.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

// What a rank had moved at `when`: all of it once its pass ended, none
// before it began, in between its bytes pro rata of its time.
double moved_by(const rank_pass& r, double when) {
  if (when >= r.end) return static_cast<double>(r.bytes);
  if (when <= r.start) return 0;
  return static_cast<double>(r.bytes) * (when - r.start) / (r.end - r.start);
}

std::string mib_per_s(double bytes_per_second) {
  return format_fixed(bytes_per_second / (1024.0 * 1024.0), 1);
}

}  // namespace

pass_aggregate aggregate_of(const client_pass& pass) {
  if (pass.ranks.empty()) {
    throw std::invalid_argument("pass " + std::to_string(pass.pass) + " of " + pass.case_name +
                                " has no ranks");
  }
  pass_aggregate a;
  double earliest = pass.ranks.front().start;
  double latest = pass.ranks.front().end;
  double first_end = pass.ranks.front().end;
  std::vector<double> rates;
  for (const rank_pass& r : pass.ranks) {
    if (r.end < r.start) {
      throw std::invalid_argument("rank " + std::to_string(r.rank) + " of " + pass.case_name +
                                  " ends before it starts");
    }
    a.bytes += r.bytes;
    a.records += r.records;
    earliest = std::min(earliest, r.start);
    latest = std::max(latest, r.end);
    first_end = std::min(first_end, r.end);
    rates.push_back(rate(static_cast<double>(r.bytes), r.end - r.start));
  }
  a.window = latest - earliest;
  a.aggregate = rate(static_cast<double>(a.bytes), a.window);
  a.aggregate_records = rate(static_cast<double>(a.records), a.window);
  a.first_done_window = first_end - earliest;
  double by_first = 0;
  for (const rank_pass& r : pass.ranks) by_first += moved_by(r, first_end);
  a.first_done = rate(by_first, a.first_done_window);
  for (const double r : rates) a.sum_of_rates += r;
  std::sort(rates.begin(), rates.end());
  a.rank_min = rates.front();
  a.rank_max = rates.back();
  a.rank_median = median_of(rates);
  return a;
}

std::string format_client_table(const std::vector<client_pass>& passes, int ranks, int hosts,
                                const std::string& clock_note) {
  if (passes.empty()) return {};
  // Cases in the order they ran, each with its passes' aggregates.
  std::vector<std::string> order;
  std::map<std::string, std::vector<pass_aggregate>> by_case;
  for (const client_pass& p : passes) {
    if (!by_case.contains(p.case_name)) order.push_back(p.case_name);
    by_case[p.case_name].push_back(aggregate_of(p));
  }
  std::vector<std::vector<std::string>> rows{{"case", "passes", "total MiB", "aggregate",
                                              "first done", "sum of rates", "rank min",
                                              "rank median", "rank max", "calls/s", "window s"}};
  for (const std::string& name : order) {
    const auto& all = by_case[name];
    const auto median = [&](double pass_aggregate::*field) {
      std::vector<double> values;
      for (const auto& a : all) values.push_back(a.*field);
      return median_of(values);
    };
    std::vector<double> totals;
    for (const auto& a : all) totals.push_back(static_cast<double>(a.bytes));
    rows.push_back({name, std::to_string(all.size()),
                    format_fixed(median_of(totals) / (1024.0 * 1024.0), 1),
                    mib_per_s(median(&pass_aggregate::aggregate)),
                    mib_per_s(median(&pass_aggregate::first_done)),
                    mib_per_s(median(&pass_aggregate::sum_of_rates)),
                    mib_per_s(median(&pass_aggregate::rank_min)),
                    mib_per_s(median(&pass_aggregate::rank_median)),
                    mib_per_s(median(&pass_aggregate::rank_max)),
                    with_thousands(median(&pass_aggregate::aggregate_records)),
                    format_fixed(median(&pass_aggregate::window), 3)});
  }
  std::string out = "All clients: " + std::to_string(ranks) + " ranks on " + std::to_string(hosts) +
                    (hosts == 1 ? " host" : " hosts") +
                    ", MiB/s, each the median over the case's passes (" + clock_note + ")\n";
  out += render_table(rows, 1, "  ");
  out +=
      "  aggregate: all ranks' bytes / (latest end - earliest start), IOR's bandwidth and "
      "elbencho's last done\n"
      "  first done: all ranks' bytes until the first rank ended, each rank's pro rata of its "
      "own pass, over that time (elbencho's first done)\n"
      "  sum of rates: the ranks' own rates added up (fio's All clients, IOzone's Children "
      "see); it counts ranks that ran at different times as if together\n"
      "  calls/s: all ranks' I/O calls (metadata phases: items) over the aggregate's window\n"
      "  rank min/median/max: the ranks' own rates; the tables above this one are rank 0's "
      "own numbers\n";
  return out;
}

}  // namespace gfbench::app
