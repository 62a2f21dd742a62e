// summary.json: every case with its statistics and counters, and the units
// they are in, written with nlohmann-json (keys in the order a person reads
// them).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gfbench/metadata.hpp"
#include "gfbench/units.hpp"
#include "results/report.hpp"
#include "results/report_numbers.hpp"
#include "util/text.hpp"

#ifndef GFBENCH_VERSION
#define GFBENCH_VERSION "unknown"
#endif

namespace gfbench::app {
namespace {

using json = nlohmann::ordered_json;

// A measured number, rounded as every report file rounds it; null when
// there is none (or it is not finite).
json number(const std::optional<double>& value, double scale = 1.0) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return rounded(*value / scale);
}

json throughput(const case_statistics& s, double scale) {
  const bool ci = s.mean_ci.known();
  return {{"mean", number(s.mean, scale)},
          {"median", number(s.median, scale)},
          {"stddev", number(s.stddev, scale)},
          {"min", number(s.min, scale)},
          {"max", number(s.max, scale)},
          {"ci95_low", ci ? number(s.mean_ci.low, scale) : json(nullptr)},
          {"ci95_high", ci ? number(s.mean_ci.high, scale) : json(nullptr)},
          {"cv", ci ? json(rounded(s.mean_ci.cv)) : json(nullptr)}};
}

std::string verdict_name(const comparison& c) {
  switch (c.verdict()) {
    case verdict::higher:
      return "higher";
    case verdict::lower:
      return "lower";
    case verdict::no_difference:
      return "no_difference";
    case verdict::too_few:
      break;
  }
  return "too_few";
}

// A ratio with its interval, its test and the verdict.
json comparison_entry(const comparison& c) {
  const bool tested = c.n >= 2;
  return {{"ratio", rounded(c.ratio)},
          {"ci95_low", tested ? json(rounded(c.low)) : json(nullptr)},
          {"ci95_high", tested ? json(rounded(c.high)) : json(nullptr)},
          {"p", tested ? json(c.p) : json(nullptr)},
          {"p_holm", tested ? json(c.p_adjusted) : json(nullptr)},
          {"pairs", c.n},
          {"paired", c.paired},
          {"verdict", verdict_name(c)}};
}

// Every repetition that succeeded, by round: what a later comparison
// (gfbench compare) needs.
json rounds_entry(const case_summary& c) {
  json out = json::array();
  const auto iops = c.counters.find("IOPS");
  const std::vector<double>& rates = rates_of(c);
  const char* rate_name =
      &rates == &c.bytes_per_second ? "bytes_per_second" : files_per_second_counter;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    json r = {{"round", i < c.rounds.size() ? json(c.rounds[i] + 1) : json(nullptr)},
              {rate_name, rounded(rates[i])}};
    if (iops != c.counters.end() && i < iops->second.size()) r["iops"] = rounded(iops->second[i]);
    if (i < c.latencies.size()) {
      r["p50_us"] = rounded(c.latencies[i].p50_us);
      r["p99_us"] = number(c.latencies[i].p99_us);
    }
    out.push_back(std::move(r));
  }
  return out;
}

// {"name": median, ...} over every counter the case reported, by name.
json counters(const case_summary& c) {
  std::vector<std::string> names;
  for (const auto& [name, values] : c.counters) names.push_back(name);
  for (const auto& [name, value] : c.aggregate_counters) {
    if (!c.counters.contains(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  json out = json::object();
  for (const auto& name : names) out[name] = number(counter_median(c, name));
  return out;
}

json units(const std::string& reference, const std::string& ratio_key) {
  return {
      {"throughput_bytes_per_second", "bytes per second of the timed I/O"},
      {"throughput_kib_per_second", "KiB per second, 1 KiB = 1024 bytes (IOzone's kB/s)"},
      {"latency_us",
       "microseconds per record (one I/O call of block_size bytes); the percentiles are "
       "medians over repetitions, null where a repetition timed too few records for one (10 "
       "for p90, 100 for p99, 1000 for p99.9, 10000 for p99.99: the tail is then max); max is "
       "the largest"},
      {"served_from_caches",
       "reads, with brick counters (--profile): 1 - bytes the bricks read / bytes read, median "
       "over repetitions"},
      {"brick_write_share",
       "writes, with brick counters: bytes the bricks wrote / (bytes written x copies) right "
       "after the timed region; inside it when fsync_timed"},
      {"queue_depth", "queued cases: requests in flight per thread (null: IOzone's loop)"},
      {"threads", "queued cases: threads, each with its own file handle and queue"},
      {"runtime_seconds", "time-based cases: the timed part of each pass (null: one sweep)"},
      {"rate_iops",
       "paced cases (--rate-iops): requests a second asked for the whole case (null: not "
       "paced); arrivals: even or poisson. Their latency_us counts from when each request was "
       "due; counters.sent_p50_us, sent_p99_us from when it was sent; send_lag_p50_us, "
       "send_lag_p99_us: how late it was sent after it fell due; counters.backlog_max, "
       "backlog_end: requests due and not yet sent, the most at once and at the end; "
       "counters.requests_due: requests due in a pass"},
      {"random_distribution",
       "queued random cases drawn from a distribution (null: each record once per sweep); "
       "counters.dist_hot10_asked and dist_hot10_sent: the share of requests on the hottest "
       "tenth of each thread's records, asked and sent; dist_deviation: total variation "
       "distance over the tenths; dist_redraws, dist_took_next: draws on a record in flight"},
      {"latency_histograms",
       "each case's latencies over all its passes that ended: buckets [low_us, high_us) of "
       "about 19 % each (four to a power of two), as the timelines keep them"},
      {"file_count",
       "metadata cases (operation meta:<phase>): files per thread (null: an I/O case); their "
       "rate is counters.files_per_second"},
      {"counters",
       "median over repetitions of every counter of a pass: brick_read_bytes, "
       "brick_write_bytes, brick_<fop>_calls and _avg_us (gluster volume profile), "
       "fop_<fop>_calls and _avg_us (the client's io-stats, --fop-stats), IOPS, lat_*_us"},
      {ratio_key, reference +
                      "'s median throughput over this case's, same operation, cache mode and "
                      "sizes; above 1: " +
                      reference + " is faster"},
      {"ci95_low, ci95_high",
       "the mean's 95 % confidence interval, Student's t over the repetitions (each a round of "
       "every case); cv: the repetitions' coefficient of variation"},
      {"comparison_" + ratio_key.substr(std::string("ratio_").size()),
       "the same ratio round by round (geometric mean of the rounds' ratios), its 95 % "
       "interval, the paired t-test's p and Holm's correction over every such comparison of "
       "the run, and the verdict: higher (" +
           reference +
           " faster), lower, no_difference (none this run can show), too_few (one round)"},
      {"rounds", "each repetition that succeeded: its round, throughput, IOPS, p50 and p99"},
  };
}

json case_entry(const case_statistics& s, const std::string& ratio_key) {
  const case_summary& c = *s.source;
  json latency = nullptr;
  if (s.latency) {
    latency = {{"p50", rounded(s.latency->p50_us)},     {"p90", number(s.latency->p90_us)},
               {"p99", number(s.latency->p99_us)},      {"p99.9", number(s.latency->p999_us)},
               {"p99.99", number(s.latency->p9999_us)}, {"max", rounded(s.latency->max_us)}};
  }
  json ratio = nullptr;
  if (s.reference_ratio && std::isfinite(*s.reference_ratio)) ratio = *s.reference_ratio;
  return {
      {"name", c.name},
      {"target", c.target},
      {"operation", c.operation},
      {"cache", c.cache.empty() ? json(nullptr) : json(c.cache)},
      {"file_size_bytes", c.file_size},
      {"file_size", format_iec(c.file_size)},
      {"block_size_bytes", c.block_size},
      {"block_size", format_iec(c.block_size)},
      {"queue_depth", c.queue_depth == 0 ? json(nullptr) : json(c.queue_depth)},
      {"threads", c.threads == 0 ? json(nullptr) : json(c.threads)},
      {"runtime_seconds", c.runtime_seconds == 0 ? json(nullptr) : json(c.runtime_seconds)},
      {"rate_iops", c.rate_iops == 0 ? json(nullptr) : json(c.rate_iops)},
      {"arrivals", c.arrival.empty() ? json(nullptr) : json(c.arrival)},
      {"random_distribution", c.distribution.empty() ? json(nullptr) : json(c.distribution)},
      {"file_count", c.file_count == 0 ? json(nullptr) : json(c.file_count)},
      {"repetitions", s.repetitions},
      {"failed_repetitions", s.failed},
      {"throughput_bytes_per_second", throughput(s, 1.0)},
      {"throughput_kib_per_second", throughput(s, bytes_per_kib)},
      {"latency_us", latency},
      {"fsync_timed", c.fsync_timed},
      {"degraded_repetitions", c.degraded},
      {"served_from_caches", number(cache_share(c))},
      {"brick_write_share", number(brick_write_share(c))},
      {"counters", counters(c)},
      {ratio_key, ratio},
      {"comparison_" + ratio_key.substr(std::string("ratio_").size()),
       s.reference_comparison ? comparison_entry(*s.reference_comparison) : json(nullptr)},
      {"rounds", rounds_entry(c)},
  };
}

// Each target's client: its kind and, where its graph could be read, what
// the graph does with the I/O.
json clients_entry(const std::vector<target_client>& clients) {
  json entries = json::array();
  for (const target_client& c : clients) {
    json entry = {{"target", c.target}, {"kind", client_kind_name(c.kind)}};
    if (c.tuning) {
      const client_tuning& t = *c.tuning;
      entry["graph"] = {
          {"summary", t.describe()},
          {"event_threads", t.event_threads},
          {"client_io_threads", t.client_io_threads},
          {"write_behind", t.write_behind},
          {"strict_o_direct", t.strict_o_direct},
          {"remote_dio", t.remote_dio},
          {"read_ahead", t.read_ahead},
          {"io_cache", t.io_cache},
          {"quick_read", t.quick_read},
          {"quick_read_max_file_size", t.quick_read_max_file_size},
          {"open_behind", t.open_behind},
          {"md_cache", t.md_cache},
      };
      entry["o_direct_reaches_bricks"] = t.o_direct_reaches_bricks();
    } else {
      entry["graph"] = nullptr;
      if (!c.unknown_reason.empty()) entry["graph_unknown_because"] = c.unknown_reason;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Under mpirun: every rank's passes with the aggregates computed from them;
// times in seconds on rank 0's clock.
json ranks_entry(const report_context& context) {
  if (context.ranks == 0) return nullptr;
  json passes = json::array();
  for (const client_pass& p : context.rank_passes) {
    const pass_aggregate a = aggregate_of(p);
    json ranks = json::array();
    for (const rank_pass& r : p.ranks) {
      ranks.push_back({{"rank", r.rank},
                       {"host", r.host},
                       {"start_s", r.start},
                       {"end_s", r.end},
                       {"bytes", r.bytes},
                       {"records", r.records},
                       {"bytes_per_second",
                        r.end > r.start ? static_cast<double>(r.bytes) / (r.end - r.start) : 0.0}});
    }
    passes.push_back({{"case", p.case_name},
                      {"repetition", p.repetition + 1},
                      {"pass", p.pass + 1},
                      {"bytes", a.bytes},
                      {"records", a.records},
                      {"window_s", a.window},
                      {"aggregate_bytes_per_second", a.aggregate},
                      {"first_done_bytes_per_second", a.first_done},
                      {"first_done_window_s", a.first_done_window},
                      {"sum_of_rates_bytes_per_second", a.sum_of_rates},
                      {"rank_min_bytes_per_second", a.rank_min},
                      {"rank_median_bytes_per_second", a.rank_median},
                      {"rank_max_bytes_per_second", a.rank_max},
                      {"ranks", ranks}});
  }
  return {{"count", context.ranks},
          {"hosts", context.hosts},
          {"clock", context.clock_note},
          {"aggregate", "bytes of all ranks / (latest end - earliest start)"},
          {"passes", passes}};
}

// Every pass over time: its intervals, stalls, the volume's events and the
// pending heal entries, seconds from the pass's start, which is given in UTC.
// Each case's latencies over every pass that ended (of every repetition),
// bucket by bucket: the whole distribution, not only its percentiles.
json histograms_entry(const std::vector<case_timeline>& timelines) {
  std::map<std::string, std::map<std::uint16_t, std::uint64_t>> by_case;
  std::vector<std::string> order;
  for (const case_timeline& t : timelines) {
    if (t.failed) continue;
    if (!by_case.contains(t.case_name)) order.push_back(t.case_name);
    auto& buckets = by_case[t.case_name];
    for (const timeline_interval& i : t.timeline.intervals) {
      for (const auto& [b, n] : i.latency_buckets) buckets[b] += n;
    }
  }
  json out = json::array();
  for (const std::string& name : order) {
    json buckets = json::array();
    std::uint64_t total = 0;
    for (const auto& [b, n] : by_case[name]) {
      const latency_bucket_range r = latency_bucket_bounds(b);
      buckets.push_back({{"low_us", r.low_us}, {"high_us", r.high_us}, {"count", n}});
      total += n;
    }
    if (total > 0) out.push_back({{"case", name}, {"requests", total}, {"buckets", buckets}});
  }
  return out;
}

json timelines_entry(const std::vector<case_timeline>& timelines) {
  json all = json::array();
  for (const case_timeline& t : timelines) {
    json intervals = json::array();
    for (const timeline_interval& i : t.timeline.intervals) {
      json errors = json::object();
      for (const auto& [e, n] : i.errors) {
        errors[detail::errno_name(e)] = n;
      }
      const double s = i.seconds > 0 ? i.seconds : 1;
      intervals.push_back({{"start_s", i.start_s},
                           {"seconds", i.seconds},
                           {"completions", i.completions},
                           {"bytes", i.bytes},
                           {"items", i.items},
                           {"iops", static_cast<double>(i.completions) / s},
                           {"mib_per_second", static_cast<double>(i.bytes) / s / 1048576.0},
                           {"p50_us", i.p50_us},
                           {"p99_us", i.p99_us},
                           {"max_us", i.max_us},
                           {"in_flight", i.in_flight},
                           {"backlog", i.backlog},
                           {"errors", errors}});
    }
    json stalls = json::array();
    for (const timeline_stall& s : t.timeline.stalls) {
      stalls.push_back({{"start_s", s.start_s},
                        {"seconds", s.seconds},
                        {"in_flight", s.in_flight},
                        {"to_end", s.to_end}});
    }
    json events = json::array();
    for (const timeline_event& e : t.events) {
      events.push_back({{"at_s", e.at_s}, {"kind", e.kind}, {"what", e.what}});
    }
    json heal = json::array();
    for (const heal_sample& h : t.heal) heal.push_back({{"at_s", h.at_s}, {"pending", h.pending}});
    const auto begin_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              t.timeline.begin_utc.time_since_epoch())
                              .count();
    all.push_back({{"case", t.case_name},
                   {"repetition", t.repetition + 1},
                   {"pass", t.pass + 1},
                   {"failed", t.failed},
                   {"begin_unix_ms", begin_ms},
                   {"seconds", t.timeline.seconds},
                   {"interval_s", t.timeline.interval_s},
                   {"asked_interval_s", t.timeline.asked_interval_s},
                   {"intervals", intervals},
                   {"stalls", stalls},
                   {"events", events},
                   {"heal_pending", heal}});
  }
  return all;
}

json environment_entry(const run_environment& e) {
  json volumes = json::array();
  for (const auto& v : e.volumes) {
    json options = json::object();
    for (const auto& [key, value] : v.options) options[key] = value;
    volumes.push_back(
        {{"name", v.name}, {"type", v.type}, {"bricks", v.bricks}, {"options", options}});
  }
  return {{"gfbench_version", e.gfbench_version},
          {"glusterfs_version", e.glusterfs_version},
          {"kernel", e.kernel},
          {"host", e.host},
          {"cpus", e.cpus},
          {"volumes", volumes},
          {"clients", e.clients},
          {"configuration", e.configuration},
          {"configuration_hash", configuration_hash(e)}};
}

}  // namespace

std::string configuration_hash(const run_environment& e) {
  // FNV-1a over what the record holds beside the host's name.
  std::string text = e.gfbench_version + "\n" + e.glusterfs_version + "\n" + e.kernel + "\n" +
                     std::to_string(e.cpus) + "\n" + e.configuration + "\n";
  for (const auto& v : e.volumes) {
    text += v.type + " " + std::to_string(v.bricks) + "\n";
    for (const auto& [key, value] : v.options) text += key + "=" + value + "\n";
  }
  for (const auto& c : e.clients) text += c + "\n";
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::string format_report_json(const std::vector<case_statistics>& stats,
                               const std::vector<case_failure>& failures,
                               const report_context& context) {
  const std::string ratio_key = "ratio_" + context.reference + "_over_this";
  json cases = json::array();
  for (const case_statistics& s : stats) cases.push_back(case_entry(s, ratio_key));
  json failed = json::array();
  for (const case_failure& f : failures) {
    failed.push_back({{"name", f.name},
                      {"repetition", f.repetition >= 0 ? json(f.repetition + 1) : json(nullptr)},
                      {"message", f.message}});
  }
  const json report = {
      {"tool", "gfbench"},
      {"version", GFBENCH_VERSION},
      {"command_line", context.command_line},
      {"started_utc", context.started_utc},
      {"reference_target", context.reference},
      {"environment", environment_entry(context.environment)},
      {"units", units(context.reference, ratio_key)},
      {"clients", clients_entry(context.clients)},
      {"ranks", ranks_entry(context)},
      {"cases", cases},
      {"failures", failed},
      {"latency_histograms", histograms_entry(context.timelines)},
      {"timelines", timelines_entry(context.timelines)},
  };
  // Invalid UTF-8 in a message (a file name, gluster's text) is replaced,
  // not a reason to lose the report.
  return report.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace gfbench::app
