#pragma once
// Progress on long runs: which case is starting and how far the matrix has
// got, e.g. "[7/24] gfapi/read/size:100MiB/bs:4KiB/cache:cold". A
// case_observer, so it is told outside every timed region (before the case's
// body runs); it speaks once per case, not once per repetition.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/observer.hpp"
#include "gfbench/suite.hpp"

namespace gfbench::app {

class progress_observer : public case_observer {
 public:
  /// `total`: how many cases will run (0: unknown, "[7]" alone); `sink`
  /// gets each line, e.g. a logger's info(). `repeat_sink`, when given, gets
  /// a line for each later run of a case's body, one per repetition:
  /// "[7/24] NAME: repetition 2" (e.g. a logger's debug()).
  progress_observer(std::size_t total, std::function<void(const std::string&)> sink,
                    std::function<void(const std::string&)> repeat_sink = {});

  void before_case(const case_info& c) override;

  [[nodiscard]] std::size_t started() const;

 private:
  std::size_t total_;
  std::function<void(const std::string&)> sink_;
  std::function<void(const std::string&)> repeat_sink_;
  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> seen_;  // name -> number, runs
};

/// The name Google Benchmark 1.7.1 matches --benchmark_filter against for a
/// case registered as `name` by gfbench::suite: it appends
/// "/iterations:N" and "/repeats:N" when those are set, and "/manual_time".
[[nodiscard]] std::string benchmark_run_name(std::string_view name, std::int64_t iterations,
                                             int repetitions);

/// Which of `run_names` Google Benchmark runs under --benchmark_filter
/// `filter`, as count_selected says.
[[nodiscard]] std::vector<bool> select_by_filter(const std::vector<std::string>& run_names,
                                                 std::string filter);
/// How many of `run_names` Google Benchmark runs under --benchmark_filter
/// `filter` (an extended regular expression searched in the name; a leading
/// '-' negates it; "", "." and "all" select all). A filter that is not a
/// valid expression selects all: Google Benchmark itself then reports it.
[[nodiscard]] std::size_t count_selected(const std::vector<std::string>& run_names,
                                         std::string filter);

}  // namespace gfbench::app
