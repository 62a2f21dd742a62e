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
  std::map<group_key, std::vector<const case_summary*>> groups;
  std::vector<group_key> order;
  unsigned widest = 0;
  std::string widest_target;
  for (const case_summary& c : cases) {
    if (c.queue_depth == 0) continue;
    const group_key key{c.target, column_of(c), c.file_size, c.block_size};
    if (!groups.contains(key)) order.push_back(key);
    groups[key].push_back(&c);
    if (c.queue_depth * c.threads > widest && summarize(c)) {
      widest = c.queue_depth * c.threads;
      widest_target = c.target;
    }
  }
  std::string out;
  for (const group_key& key : order) {
    auto members = groups[key];
    if (members.size() < 2) continue;
    std::stable_sort(members.begin(), members.end(),
                     [](const case_summary* a, const case_summary* b) {
                       return std::make_tuple(a->queue_depth * a->threads, a->threads) <
                              std::make_tuple(b->queue_depth * b->threads, b->threads);
                     });
    std::vector<std::vector<std::string>> rows{
        {"qd", "threads", "in flight", "IOPS", "MiB/s", "p50 us", "p99 us"}};
    std::vector<scaling_point> points;
    std::vector<const case_summary*> measured;
    for (const case_summary* c : members) {
      const unsigned in_flight = c->queue_depth * c->threads;
      const auto stats = summarize(*c);
      const auto iops = counter_median(*c, "IOPS");
      if (!stats || !iops) {
        rows.push_back({std::to_string(c->queue_depth), std::to_string(c->threads),
                        std::to_string(in_flight), "failed", "", "", ""});
        continue;
      }
      const latency_sample lat = c->latencies.empty()
                                     ? c->aggregate_latency.value_or(latency_sample{})
                                     : median_latency(c->latencies);
      rows.push_back({std::to_string(c->queue_depth), std::to_string(c->threads),
                      std::to_string(in_flight), with_thousands(*iops),
                      format_fixed(stats->median / (1024.0 * 1024.0), 1),
                      with_thousands(lat.p50_us), latency_cell(lat.p99_us)});
      // Equal requests in flight (qd 8 x 4 threads, qd 32 x 1) are two ways
      // to the same load: the knee follows the better one.
      if (!points.empty() && points.back().in_flight == in_flight) {
        if (*iops > points.back().iops) {
          points.back().iops = *iops;
          measured.back() = c;
        }
        continue;
      }
      points.push_back({in_flight, *iops});
      measured.push_back(c);
    }
    if (out.empty()) {
      out =
          "scaling with requests in flight (threads x queue depth), medians over repetitions; "
          "latency per request, submit to completion:\n";
    }
    out += std::get<0>(key) + "  " + std::get<1>(key) + "  " + format_iec(std::get<2>(key)) +
           " file, " + format_iec(std::get<3>(key)) + " blocks\n";
    out += render_table(rows, 0, "  ");
    if (const auto knee = find_knee(points)) {
      const case_summary& k = *measured[*knee];
      out += "  knee: " + std::to_string(points[*knee].in_flight) + " in flight (qd " +
             std::to_string(k.queue_depth) + " x " + std::to_string(k.threads) +
             (k.threads == 1 ? " thread" : " threads") + "), the fewest that reach " +
             percent(1.0 - knee_gain) + " of the best IOPS: more requests add latency, not IOPS\n";
    } else if (points.size() >= 2) {
      out += "  no knee: only the deepest step reached " + percent(1.0 - knee_gain) +
             " of the best IOPS; it may scale further\n";
    }
  }
  if (widest > rpc_limit && (widest_target == "gfapi" || widest_target == "fuse")) {
    out += "requests in flight above " + std::to_string(rpc_limit) +
           ": no Gluster layer limits a client's requests in flight (server.outstanding-rpc-"
           "limit, 64, is applied only by gNFS in GlusterFS 10), so they wait in the client's and "
           "the bricks' queues: latency past the knee is mostly that wait\n";
  }
  return out;
}

}  // namespace gfbench::app
