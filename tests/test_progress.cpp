// Progress lines on long runs: once per case, numbered against the cases
// Google Benchmark will run under --benchmark_filter.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gfbench/suite.hpp"
#include "run/progress.hpp"

using gfbench::case_info;
using gfbench::app::benchmark_run_name;
using gfbench::app::count_selected;
using gfbench::app::progress_observer;

namespace {

case_info named(std::string name) {
  case_info c;
  c.name = std::move(name);
  return c;
}

}  // namespace

TEST_CASE("progress: one numbered line per case, not per repetition", "[unit]") {
  std::vector<std::string> lines;
  progress_observer progress(3, [&](const std::string& line) { lines.push_back(line); });
  const auto write = named("gfapi/write/size:1MiB/bs:4KiB");
  const auto read = named("gfapi/read/size:100MiB/bs:4KiB/cache:cold");
  for (int repetition = 0; repetition < 5; ++repetition) progress.before_case(write);
  progress.before_case(read);
  progress.before_case(read);
  CHECK(lines == std::vector<std::string>{"[1/3] gfapi/write/size:1MiB/bs:4KiB",
                                          "[2/3] gfapi/read/size:100MiB/bs:4KiB/cache:cold"});
  CHECK(progress.started() == 2);

  // Later runs of a case's body (its repetitions) go to the second sink.
  std::vector<std::string> repeats;
  progress_observer counted(
      1, [](const std::string&) {}, [&](const std::string& line) { repeats.push_back(line); });
  for (int repetition = 0; repetition < 3; ++repetition) counted.before_case(write);
  CHECK(repeats == std::vector<std::string>{"[1/1] gfapi/write/size:1MiB/bs:4KiB: repetition 2",
                                            "[1/1] gfapi/write/size:1MiB/bs:4KiB: repetition 3"});

  // More cases than foreseen: the total grows rather than read [5/3].
  progress.before_case(named("a"));
  progress.before_case(named("b"));
  CHECK(lines.back() == "[4/4] b");

  std::vector<std::string> unknown;
  progress_observer no_total(0, [&](const std::string& line) { unknown.push_back(line); });
  no_total.before_case(write);
  CHECK(unknown == std::vector<std::string>{"[1] gfapi/write/size:1MiB/bs:4KiB"});

  // A sink that throws does not fail the case.
  progress_observer throwing(1, [](const std::string&) { throw std::runtime_error("full"); });
  CHECK_NOTHROW(throwing.before_case(write));
}

TEST_CASE("progress counts the cases --benchmark_filter selects", "[unit]") {
  CHECK(benchmark_run_name("gfapi/write/size:1MiB/bs:4KiB", 1, 5) ==
        "gfapi/write/size:1MiB/bs:4KiB/iterations:1/repeats:5/manual_time");
  CHECK(benchmark_run_name("fuse/read/size:1MiB/bs:4KiB/cache:warm", 0, 0) ==
        "fuse/read/size:1MiB/bs:4KiB/cache:warm/manual_time");

  const std::vector<std::string> names{
      benchmark_run_name("gfapi/write/size:1MiB/bs:4KiB", 1, 5),
      benchmark_run_name("gfapi/read/size:1MiB/bs:4KiB/cache:cold", 1, 5),
      benchmark_run_name("fuse/write/size:1MiB/bs:4KiB", 1, 5),
      benchmark_run_name("fuse/read/size:100MiB/bs:4KiB/cache:warm", 1, 5)};
  CHECK(count_selected(names, "") == 4);
  CHECK(count_selected(names, ".") == 4);
  CHECK(count_selected(names, "all") == 4);
  CHECK(count_selected(names, "write") == 2);
  CHECK(count_selected(names, "^gfapi/") == 2);
  CHECK(count_selected(names, "-^gfapi/") == 2);
  CHECK(count_selected(names, "size:100MiB|cache:cold") == 2);
  CHECK(count_selected(names, "repeats:5/manual_time$") == 4);
  CHECK(count_selected(names, "nothing") == 0);
  CHECK(count_selected(names, "(") == 4);  // invalid: Google Benchmark reports it
}
