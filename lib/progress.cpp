#include "progress.hpp"

#include <regex>
#include <utility>

namespace gfbench::detail {

progress_observer::progress_observer(std::size_t total,
                                     std::function<void(const std::string&)> sink)
    : total_(total), sink_(std::move(sink)) {}

void progress_observer::before_case(const case_info& c) {
  // Never fail a case over a progress line.
  try {
    std::string line;
    {
      const std::lock_guard lock(mutex_);
      // Google Benchmark calls a case's body once per repetition (and more
      // often while it looks for an iteration count): announce it once.
      if (!seen_.insert(c.name).second) return;
      const std::size_t n = seen_.size();
      // A filter this count did not foresee must not print "[19/18]".
      if (total_ != 0 && n > total_) total_ = n;
      line = "[" + std::to_string(n);
      if (total_ != 0) line += "/" + std::to_string(total_);
      line += "] " + c.name;
    }
    if (sink_) sink_(line);
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

std::size_t count_selected(const std::vector<std::string>& run_names, std::string filter) {
  if (filter.empty() || filter == "all") return run_names.size();
  bool negative = false;
  if (filter.front() == '-') {
    negative = true;
    filter.erase(0, 1);
  }
  try {
    const std::regex re(filter, std::regex::extended);
    std::size_t n = 0;
    for (const std::string& name : run_names) {
      if (std::regex_search(name, re) != negative) ++n;
    }
    return n;
  } catch (const std::regex_error&) {
    return run_names.size();
  }
}

}  // namespace gfbench::detail
