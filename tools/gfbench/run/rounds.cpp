#include "run/rounds.hpp"

#include <algorithm>
#include <cstdio>

#include "results/confidence.hpp"

namespace gfbench::app {
namespace {

std::string escaped(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::string_view(".[]()*+?{}|^$\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// The interval of the mean throughput the summary shows, over the
// case's rounds so far.
interval throughput_interval(const case_summary& c) { return mean_interval(c.bytes_per_second); }

}  // namespace

std::string round_filter(const std::vector<std::string>& run_names,
                         const std::vector<bool>& running) {
  std::string names;
  for (std::size_t i = 0; i < run_names.size(); ++i) {
    if (i < running.size() && running[i]) {
      names += (names.empty() ? "" : "|") + escaped(run_names[i]);
    }
  }
  return names.empty() ? names : "^(" + names + ")$";
}

bool needs_another_round(const case_summary& c, int rounds, const round_plan& plan) {
  if (rounds >= plan.max_rounds) return false;
  if (rounds < plan.min_rounds) return true;
  if (plan.target_ci <= 0) return false;
  if (c.failed > 0) return false;  // its interval would never come
  const interval i = throughput_interval(c);
  return !i.known() || i.relative_half_width() > plan.target_ci;
}

round_outcome run_rounds(const std::vector<std::string>& run_names,
                         const std::vector<bool>& selected, const round_plan& plan,
                         const std::function<bool(const std::string&)>& run_round,
                         const std::function<std::string(const std::string&)>& agree,
                         const std::function<const std::vector<case_summary>&()>& results) {
  round_outcome out;
  out.case_rounds.assign(run_names.size(), 0);
  out.narrow_enough.assign(run_names.size(), false);
  std::vector<bool> running = selected;
  running.resize(run_names.size(), false);
  while (out.rounds < plan.max_rounds) {
    const std::string filter = agree(round_filter(run_names, running));
    if (filter.empty()) break;
    for (std::size_t i = 0; i < running.size(); ++i) {
      if (running[i]) ++out.case_rounds[i];
    }
    ++out.rounds;
    if (!run_round(filter)) break;
    const std::vector<case_summary>& so_far = results();
    for (std::size_t i = 0; i < running.size() && i < so_far.size(); ++i) {
      if (running[i]) running[i] = needs_another_round(so_far[i], out.case_rounds[i], plan);
    }
  }
  if (plan.target_ci > 0) {
    const std::vector<case_summary>& done = results();
    for (std::size_t i = 0; i < done.size() && i < out.narrow_enough.size(); ++i) {
      const interval ci = throughput_interval(done[i]);
      out.narrow_enough[i] = ci.known() && ci.relative_half_width() <= plan.target_ci;
    }
  }
  return out;
}

std::string describe_rounds(const round_outcome& outcome, const round_plan& plan,
                            const std::vector<case_summary>& results) {
  if (plan.target_ci <= 0) return {};
  int ran = 0, narrow = 0, fewest = 0, most = 0;
  std::string wider;
  for (std::size_t i = 0; i < results.size() && i < outcome.case_rounds.size(); ++i) {
    const int r = outcome.case_rounds[i];
    if (r == 0) continue;
    ++ran;
    fewest = fewest == 0 ? r : std::min(fewest, r);
    most = std::max(most, r);
    if (outcome.narrow_enough[i]) {
      ++narrow;
    } else {
      const interval ci = throughput_interval(results[i]);
      wider += "  " + results[i].name + ": " +
               (results[i].failed > 0 ? std::string("failed")
                : ci.known()          ? format_plus_minus(ci)
                                      : std::string("no interval")) +
               " after " + std::to_string(r) + "\n";
    }
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "--target-ci %.3g %%: %d of %d cases reached it (throughput's 95 %% interval), "
                "after %d to %d repetitions (at least %d, at most %d)\n",
                100 * plan.target_ci, narrow, ran, fewest, most, plan.min_rounds, plan.max_rounds);
  std::string out = line;
  if (!wider.empty()) out += "still wider:\n" + wider;
  return out;
}

}  // namespace gfbench::app
