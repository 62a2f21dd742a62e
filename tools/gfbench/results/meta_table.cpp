#include "results/meta_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>

#include "common/text_table.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/units.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

constexpr std::string_view meta_prefix = "meta:";

std::string phase_of(const case_summary& c) { return c.operation.substr(meta_prefix.size()); }

// The files/s of each repetition that succeeded.
std::vector<double> rates(const case_summary& c) {
  const auto it = c.counters.find(files_per_second_counter);
  if (it != c.counters.end()) return it->second;
  if (const auto a = c.aggregate_counters.find(files_per_second_counter);
      a != c.aggregate_counters.end()) {
    return {a->second};
  }
  return {};
}

std::optional<double> median_rate(const case_summary& c) {
  const auto r = rates(c);
  if (r.empty()) return std::nullopt;
  return median_of(r);
}

// What makes two cases comparable across targets.
using group_key = std::tuple<std::string, std::uint64_t, std::uint64_t, unsigned, std::string>;
group_key group_of(const case_summary& c) {
  return {phase_of(c), c.file_count, c.file_size, c.threads, c.cache};
}

// "LOOKUP 2.0, CREATE 1.0": brick calls per file, largest first.
std::string calls_per_file(const case_summary& c) {
  const auto files = counter_median(c, files_counter);
  if (!files || *files <= 0) return {};
  std::vector<std::pair<double, std::string>> calls;
  for (const auto& [name, values] : c.counters) {
    if (!name.starts_with("brick_") || !name.ends_with("_calls") || values.empty()) continue;
    const double per_file = median_of(values) / *files;
    if (per_file < 0.0005) continue;  // a READDIRP per 1000 files still shows
    calls.emplace_back(per_file, name.substr(6, name.size() - 6 - 6));
  }
  std::sort(calls.begin(), calls.end(), [](const auto& a, const auto& b) { return a > b; });
  std::string out;
  for (const auto& [n, fop] : calls)
    out += (out.empty() ? "" : ", ") + fop + " " + format_fixed(n, n < 0.1 ? 3 : 2);
  return out;
}

}  // namespace

bool is_metadata_case(const case_summary& c) noexcept {
  return c.operation.starts_with(meta_prefix);
}

std::string format_metadata(const std::vector<case_summary>& cases, std::string_view reference) {
  std::vector<const case_summary*> meta;
  for (const case_summary& c : cases) {
    if (is_metadata_case(c)) meta.push_back(&c);
  }
  if (meta.empty()) return {};

  std::string out =
      "Metadata phases: files per second (median over the repetitions that succeeded), and the "
      "latency of one item (a listing, for readdir) in microseconds (p99 only from 100 items "
      "up)\n";
  std::vector<std::vector<std::string>> rows{{"target", "phase", "files/thread", "size", "threads",
                                              "cache", "files/s", "n", "p50 us", "p99 us",
                                              "failed"}};
  std::map<group_key, std::map<std::string, double>> by_group;  // group -> target -> files/s
  std::vector<group_key> order;
  for (const case_summary* c : meta) {
    const auto rate = median_rate(*c);
    const auto p50 = counter_median(*c, "lat_p50_us");
    const auto p99 = counter_median(*c, "lat_p99_us");
    const auto records = counter_median(*c, "lat_records");
    const bool p99_real = records && *records >= 100;
    rows.push_back({c->target, phase_of(*c), std::to_string(c->file_count),
                    format_iec(c->file_size), std::to_string(c->threads), c->cache,
                    rate ? with_thousands(*rate) : "-", std::to_string(rates(*c).size()),
                    p50 ? with_thousands(*p50) : "-", p99 && p99_real ? with_thousands(*p99) : "-",
                    c->failed > 0 ? std::to_string(c->failed) : ""});
    if (rate) {
      const auto key = group_of(*c);
      if (!by_group.contains(key)) order.push_back(key);
      by_group[key][c->target] = *rate;
    }
  }
  out += render_table(rows, 6, "  ");
  out +=
      "  files/s: the items of a pass (files; for readdir, entries listed) over the time from the "
      "release of the threads to the last one's last call; checks of each result are not in it\n";

  // reference/other per phase, where both ran.
  std::vector<std::vector<std::string>> ratios{{"phase", "files/thread", "size", "threads", "cache",
                                                "target", std::string(reference) + "/target"}};
  for (const auto& key : order) {
    const auto& targets = by_group[key];
    const auto ref = targets.find(std::string(reference));
    if (ref == targets.end()) continue;
    for (const auto& [target, rate] : targets) {
      if (target == reference || rate <= 0) continue;
      const auto& [phase, files, size, threads, cache] = key;
      ratios.push_back({phase, std::to_string(files), format_iec(size), std::to_string(threads),
                        cache, target, format_fixed(ref->second / rate, 2)});
    }
  }
  if (ratios.size() > 1) {
    out += "\n" + std::string(reference) + " against the other targets, files/s over files/s:\n";
    out += render_table(ratios, 6, "  ");
  }

  std::string calls;
  for (const case_summary* c : meta) {
    const std::string line = calls_per_file(*c);
    if (!line.empty())
      calls += "  " + c->target + " " + phase_of(*c) + " (" + c->cache + "): " + line + "\n";
  }
  if (!calls.empty()) {
    out +=
        "\ncalls per file at the bricks (volume profile, all bricks; median over repetitions):\n" +
        calls;
  }
  bool cold = false;
  for (const case_summary* c : meta) cold = cold || c->cache == "cold";
  out +=
      "\nwarm: each phase meets the client as the phase before left it (its caches may answer "
      "stat, getxattr and listings)";
  if (cold) {
    out +=
        "; cold: before each pass the client's caches were emptied (gfapi: a new connection; a "
        "directory: the kernel's dentry, inode and page caches dropped, machine-wide)";
  }
  out += "\n";
  return out;
}

}  // namespace gfbench::app
