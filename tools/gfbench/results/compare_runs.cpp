#include "results/compare_runs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "common/text_table.hpp"

namespace gfbench::app {
namespace {

using json = nlohmann::json;

[[noreturn]] void unreadable(const std::filesystem::path& file, const std::string& why) {
  throw std::runtime_error(file.string() + ": " + why +
                           "; expected a summary.json that gfbench --report DIR wrote");
}

// The member `key` of `j` if it is an array, else an empty array.
const json& array_of(const json& j, const char* key) {
  static const json none = json::array();
  const auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : none;
}

run_environment environment_of(const json& e) {
  run_environment out;
  if (!e.is_object()) return out;
  out.gfbench_version = e.value("gfbench_version", "");
  out.glusterfs_version = e.value("glusterfs_version", "");
  out.kernel = e.value("kernel", "");
  out.host = e.value("host", "");
  out.cpus = e.value("cpus", 0U);
  out.configuration = e.value("configuration", "");
  for (const json& v : array_of(e, "volumes")) {
    run_environment::volume volume{.name = v.value("name", ""),
                                   .type = v.value("type", ""),
                                   .bricks = v.value("bricks", 0),
                                   .options = {}};
    const auto options = v.find("options");
    if (options != v.end() && options->is_object()) {
      for (const auto& [key, value] : options->items()) {
        volume.options.emplace_back(key,
                                    value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    out.volumes.push_back(std::move(volume));
  }
  for (const json& c : array_of(e, "clients")) {
    if (c.is_string()) out.clients.push_back(c.get<std::string>());
  }
  return out;
}

// The name without its target: "gfapi/write/size:1MiB" -> "write/size:1MiB".
std::string without_target(const recorded_case& c) {
  const std::string prefix = c.target + "/";
  return c.name.starts_with(prefix) ? c.name.substr(prefix.size()) : c.name;
}

void differ(std::vector<std::string>& out, const std::string& what, const std::string& a,
            const std::string& b) {
  if (a != b) {
    out.push_back(what + ": " + (a.empty() ? "(unknown)" : a) + " -> " +
                  (b.empty() ? "(unknown)" : b));
  }
}

std::vector<std::string> environment_differences(const run_environment& a,
                                                 const run_environment& b) {
  std::vector<std::string> out;
  differ(out, "gfbench", a.gfbench_version, b.gfbench_version);
  differ(out, "glusterfs", a.glusterfs_version, b.glusterfs_version);
  differ(out, "kernel", a.kernel, b.kernel);
  differ(out, "host", a.host, b.host);
  differ(out, "CPUs", a.cpus == 0 ? "" : std::to_string(a.cpus),
         b.cpus == 0 ? "" : std::to_string(b.cpus));
  for (std::size_t i = 0; i < std::max(a.volumes.size(), b.volumes.size()); ++i) {
    const run_environment::volume none{};
    const auto& x = i < a.volumes.size() ? a.volumes[i] : none;
    const auto& y = i < b.volumes.size() ? b.volumes[i] : none;
    differ(out, "volume type", x.type.empty() ? "" : x.type + " of " + std::to_string(x.bricks),
           y.type.empty() ? "" : y.type + " of " + std::to_string(y.bricks));
    std::map<std::string, std::pair<std::string, std::string>> options;
    for (const auto& [k, v] : x.options) options[k].first = v;
    for (const auto& [k, v] : y.options) options[k].second = v;
    for (const auto& [k, values] : options) {
      if (values.first != values.second) {
        out.push_back("option " + k + ": " + (values.first.empty() ? "(not set)" : values.first) +
                      " -> " + (values.second.empty() ? "(not set)" : values.second));
      }
    }
  }
  std::set<std::string> ca(a.clients.begin(), a.clients.end()),
      cb(b.clients.begin(), b.clients.end());
  if (ca != cb && !a.clients.empty() && !b.clients.empty()) {
    out.push_back("client graphs differ (see each summary.json's environment.clients)");
  }
  return out;
}

std::string percent_change(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", 100 * (ratio - 1));
  return buf;
}

std::string verdict_word(const comparison& c) {
  switch (c.verdict()) {
    case verdict::higher:
      return "faster";
    case verdict::lower:
      return "slower";
    case verdict::no_difference:
      return "~";
    case verdict::too_few:
      break;
  }
  return "n<2";
}

}  // namespace

recorded_run load_run(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) unreadable(file, "cannot be read");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    unreadable(file, std::string("not JSON (") + e.what() + ")");
  }
  if (!doc.is_object() || doc.value("tool", "") != "gfbench" || !doc.contains("cases")) {
    unreadable(file, "not a gfbench report");
  }
  recorded_run run{.file = file.string(),
                   .started_utc = doc.value("started_utc", ""),
                   .cases = {},
                   .environment = {}};
  if (const auto e = doc.find("environment"); e != doc.end()) run.environment = environment_of(*e);
  for (const json& c : doc["cases"]) {
    recorded_case rc{.name = c.value("name", ""), .target = c.value("target", "")};
    for (const json& r : array_of(c, "rounds")) {
      // A metadata phase's rate is its files per second.
      const char* rate = r.contains("files_per_second") ? "files_per_second" : "bytes_per_second";
      if (!r.contains(rate) || !r[rate].is_number()) continue;
      rc.bytes_per_second.push_back(r[rate].get<double>());
      rc.rounds.push_back(r.contains("round") && r["round"].is_number() ? r["round"].get<int>()
                                                                        : -1);
      if (r.contains("p99_us") && r["p99_us"].is_number()) rc.p99_us.push_back(r["p99_us"]);
    }
    if (c.contains("rounds") == false) {
      unreadable(file,
                 "case " + rc.name + " has no rounds (a report of an older gfbench: run it again)");
    }
    run.cases.push_back(std::move(rc));
  }
  return run;
}

run_comparison compare_runs(const recorded_run& before, const recorded_run& after,
                            const std::string& target_before, const std::string& target_after) {
  run_comparison out;
  const bool across = !target_before.empty() || !target_after.empty();
  // The same run on two targets: its rounds interleaved them.
  out.paired = across && before.file == after.file;
  const auto key = [&](const recorded_case& c,
                       const std::string& target) -> std::optional<std::string> {
    if (!across) return c.name;
    if (c.target != target) return std::nullopt;
    return without_target(c);
  };
  std::map<std::string, const recorded_case*> later;
  for (const recorded_case& c : after.cases) {
    if (const auto k = key(c, target_after)) later[*k] = &c;
  }
  std::set<std::string> matched;
  for (const recorded_case& b : before.cases) {
    const auto k = key(b, target_before);
    if (!k) continue;
    const auto it = later.find(*k);
    if (it == later.end()) {
      out.only_before.push_back(b.name);
      continue;
    }
    matched.insert(*k);
    const recorded_case& a = *it->second;
    case_change change{.before_name = b.name,
                       .after_name = a.name,
                       .before = mean_interval(b.bytes_per_second),
                       .after = mean_interval(a.bytes_per_second),
                       .throughput = {},
                       .p99 = std::nullopt};
    if (out.paired) {
      std::vector<double> x, y;
      for (std::size_t i = 0; i < a.rounds.size(); ++i) {
        for (std::size_t j = 0; j < b.rounds.size(); ++j) {
          if (a.rounds[i] == b.rounds[j]) {
            x.push_back(a.bytes_per_second[i]);
            y.push_back(b.bytes_per_second[j]);
          }
        }
      }
      change.throughput = compare_paired(x, y);
    } else {
      change.throughput = compare_unpaired(a.bytes_per_second, b.bytes_per_second);
    }
    if (!a.p99_us.empty() && !b.p99_us.empty()) change.p99 = compare_unpaired(a.p99_us, b.p99_us);
    out.cases.push_back(std::move(change));
  }
  for (const auto& [k, c] : later) {
    if (matched.count(k) == 0) out.only_after.push_back(c->name);
  }
  std::vector<comparison*> family;
  for (case_change& c : out.cases) family.push_back(&c.throughput);
  adjust_holm(family);
  std::vector<comparison*> latencies;
  for (case_change& c : out.cases) {
    if (c.p99) latencies.push_back(&*c.p99);
  }
  adjust_holm(latencies);
  if (!(across && before.file == after.file)) {
    out.environment_differences = environment_differences(before.environment, after.environment);
  }
  return out;
}

std::vector<const case_change*> regressions(const run_comparison& c, double threshold) {
  std::vector<const case_change*> out;
  for (const case_change& change : c.cases) {
    if (change.throughput.verdict() == verdict::lower && change.throughput.ratio < 1 - threshold) {
      out.push_back(&change);
    }
  }
  return out;
}

std::string format_comparison(const run_comparison& c, double threshold) {
  std::vector<std::vector<std::string>> rows{
      {"case", "before MiB/s", "after MiB/s", "change [95 % interval]", "verdict"}};
  int faster = 0, slower = 0, same = 0, unknown = 0;
  for (const case_change& change : c.cases) {
    const auto mib = [](const interval& i) {
      const std::string pm = format_plus_minus(i);
      return format_fixed(i.value / (1 << 20), 1) + (pm.empty() ? "" : " " + pm);
    };
    const comparison& t = change.throughput;
    std::string range = percent_change(t.ratio);
    if (t.n >= 2) range += " [" + percent_change(t.low) + ", " + percent_change(t.high) + "]";
    rows.push_back({change.before_name == change.after_name
                        ? change.after_name
                        : change.before_name + " -> " + change.after_name,
                    mib(change.before), mib(change.after), range, verdict_word(t)});
    switch (t.verdict()) {
      case verdict::higher:
        ++faster;
        break;
      case verdict::lower:
        ++slower;
        break;
      case verdict::no_difference:
        ++same;
        break;
      case verdict::too_few:
        ++unknown;
        break;
    }
  }
  std::string out = "throughput, after against before (" +
                    std::string(c.paired ? "round by round: one run, interleaved"
                                         : "two runs: Welch's t-test on the logarithms") +
                    "; verdicts after Holm's correction over the " +
                    std::to_string(c.cases.size()) +
                    " cases; ~: no difference this comparison can show)\n";
  out += render_table(rows, 1, "  ");
  for (const std::string& name : c.only_before) out += "  only before: " + name + "\n";
  for (const std::string& name : c.only_after) out += "  only after: " + name + "\n";
  if (!c.environment_differences.empty()) {
    out += "\nthe runs differ in more than what is compared:\n";
    for (const std::string& d : c.environment_differences) out += "  " + d + "\n";
  }
  const auto regressed = regressions(c, threshold);
  char line[256];
  std::snprintf(line, sizeof line,
                "\n%zu cases: %d faster, %d slower, %d no difference this comparison can show%s",
                c.cases.size(), faster, slower, same,
                unknown > 0 ? ", some with fewer than 2 repetitions (no test)" : "");
  out += line;
  if (threshold > 0) {
    std::snprintf(line, sizeof line, "; %zu slower by more than %.3g %%", regressed.size(),
                  100 * threshold);
    out += line;
  }
  return out + "\n";
}

}  // namespace gfbench::app
