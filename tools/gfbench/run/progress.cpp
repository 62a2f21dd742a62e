#include "run/progress.hpp"

#include <algorithm>
#include <regex>
#include <utility>

#include "gfbench/stop.hpp"

namespace gfbench::app {

progress_observer::progress_observer(std::size_t total,
                                     std::function<void(const std::string&)> sink,
                                     std::function<void(const std::string&)> repeat_sink)
    : total_(total), sink_(std::move(sink)), repeat_sink_(std::move(repeat_sink)) {}

void progress_observer::before_case(const case_info& c) {
  // After a stop request the cases left only skip themselves: not news.
  if (stop_requested()) return;
  // Never fail a case over a progress line.
  try {
    std::string line;
    bool first = false;
    {
      const std::lock_guard lock(mutex_);
      // Google Benchmark calls a case's body once per repetition (and more
      // often while it looks for an iteration count): announce it once.
      auto [it, added] = seen_.try_emplace(c.name, seen_.size() + 1, 0);
      first = added;
      const std::size_t n = it->second.first;
      const std::size_t run = ++it->second.second;
      // A filter this count did not foresee must not print "[19/18]".
      if (total_ != 0 && n > total_) total_ = n;
      line = "[" + std::to_string(n);
      if (total_ != 0) line += "/" + std::to_string(total_);
      line += "] " + c.name;
      if (!first) line += ": repetition " + std::to_string(run);
    }
    if (first && sink_) sink_(line);
    if (!first && repeat_sink_) repeat_sink_(line);
  } catch (...) {
  }
}

std::size_t progress_observer::started() const {
  const std::lock_guard lock(mutex_);
  return seen_.size();
}

std::string benchmark_run_name(std::string_view name, std::int64_t iterations, int repetitions) {
  std::string out(name);
  if (iterations > 0) out += "/iterations:" + std::to_string(iterations);
  if (repetitions > 0) out += "/repeats:" + std::to_string(repetitions);
  out += "/manual_time";
  return out;
}

std::vector<bool> select_by_filter(const std::vector<std::string>& run_names, std::string filter) {
  std::vector<bool> all(run_names.size(), true);
  if (filter.empty() || filter == "all") return all;
  bool negative = false;
  if (filter.front() == '-') {
    negative = true;
    filter.erase(0, 1);
  }
  try {
    const std::regex re(filter, std::regex::extended);
    std::vector<bool> chosen;
    chosen.reserve(run_names.size());
    for (const std::string& name : run_names) {
      chosen.push_back(std::regex_search(name, re) != negative);
    }
    return chosen;
  } catch (const std::regex_error&) {
    return all;
  }
}

std::size_t count_selected(const std::vector<std::string>& run_names, std::string filter) {
  const std::vector<bool> chosen = select_by_filter(run_names, std::move(filter));
  return static_cast<std::size_t>(std::count(chosen.begin(), chosen.end(), true));
}

}  // namespace gfbench::app
