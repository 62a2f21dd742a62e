#include "results/scaling_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "common/text_table.hpp"
#include "gfbench/units.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {

namespace {

// server.outstanding-rpc-limit's default. In GlusterFS 10 only gNFS turns
// that throttle on (rpcsvc's svc->throttle); bricks and gfapi cap nothing,
// so beyond it a deep queue waits in the client's and bricks' own queues.
constexpr unsigned rpc_limit = 64;

std::string latency_cell(const std::optional<double>& us) { return us ? with_thousands(*us) : "-"; }

// A group: one target, one operation column, one file size and block size.
using group_key = std::tuple<std::string, std::string, std::uint64_t, std::uint64_t>;

std::string column_of(const case_summary& c) {
  return c.cache.empty() ? c.operation : c.operation + ":" + c.cache;
}

std::string percent(double share) { return std::to_string(static_cast<int>(share * 100)) + " %"; }

// The queued cases in groups, in the order the groups first appear, and
// the most requests in flight any case with a result had.
struct scaling_groups {
  std::map<group_key, std::vector<const case_summary*>> groups;
  std::vector<group_key> order;
  unsigned widest = 0;
  std::string widest_target;
};

scaling_groups group_cases(const std::vector<case_summary>& cases) {
  scaling_groups g;
  for (const case_summary& c : cases) {
    // Paced cases are not a depth sweep: their load is the rate.
    if (c.queue_depth == 0 || c.rate_iops > 0) continue;
    const group_key key{c.target, column_of(c), c.file_size, c.block_size};
    if (!g.groups.contains(key)) g.order.push_back(key);
    g.groups[key].push_back(&c);
    if (c.queue_depth * c.threads > g.widest && summarize(c)) {
      g.widest = c.queue_depth * c.threads;
      g.widest_target = c.target;
    }
  }
  return g;
}

// A group's table, and the steps the knee is looked for in: one per
// number of requests in flight, with the case that measured it.
struct scaling_steps {
  std::vector<std::vector<std::string>> rows{
      {"qd", "threads", "in flight", "IOPS", "MiB/s", "p50 us", "p99 us"}};
  std::vector<scaling_point> points;
  std::vector<const case_summary*> measured;
};

// `members` sorted by requests in flight, then threads.
scaling_steps measure_steps(const std::vector<const case_summary*>& members) {
  scaling_steps steps;
  for (const case_summary* c : members) {
    const unsigned in_flight = c->queue_depth * c->threads;
    const auto stats = summarize(*c);
    const auto iops = counter_median(*c, "IOPS");
    if (!stats || !iops) {
      steps.rows.push_back({std::to_string(c->queue_depth), std::to_string(c->threads),
                            std::to_string(in_flight), "failed", "", "", ""});
      continue;
    }
    const latency_sample lat = c->latencies.empty()
                                   ? c->aggregate_latency.value_or(latency_sample{})
                                   : median_latency(c->latencies);
    steps.rows.push_back({std::to_string(c->queue_depth), std::to_string(c->threads),
                          std::to_string(in_flight), with_thousands(*iops),
                          format_fixed(stats->median / (1024.0 * 1024.0), 1),
                          with_thousands(lat.p50_us), latency_cell(lat.p99_us)});
    // Equal requests in flight (qd 8 x 4 threads, qd 32 x 1) are two ways
    // to the same load: the knee follows the better one.
    if (!steps.points.empty() && steps.points.back().in_flight == in_flight) {
      if (*iops > steps.points.back().iops) {
        steps.points.back().iops = *iops;
        steps.measured.back() = c;
      }
      continue;
    }
    steps.points.push_back({in_flight, *iops});
    steps.measured.push_back(c);
  }
  return steps;
}

// The line under a group's table: where its knee is, or that it has none.
std::string knee_line(const scaling_steps& steps) {
  if (const auto knee = find_knee(steps.points)) {
    const case_summary& k = *steps.measured[*knee];
    return "  knee: " + std::to_string(steps.points[*knee].in_flight) + " in flight (qd " +
           std::to_string(k.queue_depth) + " x " + std::to_string(k.threads) +
           (k.threads == 1 ? " thread" : " threads") + "), the fewest that reach " +
           percent(1.0 - knee_gain) + " of the best IOPS: more requests add latency, not IOPS\n";
  }
  if (steps.points.size() >= 2) {
    return "  no knee: only the deepest step reached " + percent(1.0 - knee_gain) +
           " of the best IOPS; it may scale further\n";
  }
  return {};
}

// A group's title, table and knee line; empty for a group of one case.
std::string scaling_block(const group_key& key, std::vector<const case_summary*> members) {
  if (members.size() < 2) return {};
  std::stable_sort(members.begin(), members.end(),
                   [](const case_summary* a, const case_summary* b) {
                     return std::make_tuple(a->queue_depth * a->threads, a->threads) <
                            std::make_tuple(b->queue_depth * b->threads, b->threads);
                   });
  const scaling_steps steps = measure_steps(members);
  std::string out = std::get<0>(key) + "  " + std::get<1>(key) + "  " +
                    format_iec(std::get<2>(key)) + " file, " + format_iec(std::get<3>(key)) +
                    " blocks\n";
  out += render_table(steps.rows, 0, "  ");
  out += knee_line(steps);
  return out;
}

}  // namespace

std::optional<std::size_t> find_knee(const std::vector<scaling_point>& points, double gain) {
  if (points.size() < 2) return std::nullopt;
  double best = 0;
  for (const scaling_point& p : points) best = std::max(best, p.iops);
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].iops >= best * (1.0 - gain)) {
      if (i + 1 == points.size()) return std::nullopt;  // only the deepest gets there
      return i;
    }
  }
  return std::nullopt;
}

std::string format_scaling(const std::vector<case_summary>& cases) {
  scaling_groups g = group_cases(cases);
  std::string out;
  for (const group_key& key : g.order) {
    const std::string block = scaling_block(key, g.groups[key]);
    if (block.empty()) continue;
    if (out.empty()) {
      out =
          "scaling with requests in flight (threads x queue depth), medians over repetitions; "
          "latency per request, submit to completion:\n";
    }
    out += block;
  }
  if (g.widest > rpc_limit && (g.widest_target == "gfapi" || g.widest_target == "fuse")) {
    out += "requests in flight above " + std::to_string(rpc_limit) +
           ": no Gluster layer limits a client's requests in flight (server.outstanding-rpc-"
           "limit, 64, is applied only by gNFS in GlusterFS 10), so they wait in the client's and "
           "the bricks' queues: latency past the knee is mostly that wait\n";
  }
  return out;
}

}  // namespace gfbench::app
