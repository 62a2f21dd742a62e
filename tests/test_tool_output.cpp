// What the gfbench tool prints, and that it sees every repetition whatever
// Google Benchmark is asked to show: by default a progress line per case and
// the summary table; Google Benchmark's rows with --rows, --benchmark_format
// or --benchmark_out; failures, repetition counts and degraded repetitions
// counted also when only aggregates are shown; BENCHMARK_* variables obeyed.
// Runs on a local directory: the output is the point, not the storage.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::describe;
using gfbench::testing::run_tool;
using gfbench::testing::temp_dir;
using gfbench::testing::tool_result;
namespace fs = std::filesystem;

namespace {

// A directory with one file gfbench wrote (kept) and one it did not.
struct two_files {
  temp_dir dir{"gfbench-output"};
  std::string kept;

  two_files() {
    const auto r = run_tool({"--posix", dir.path().string(), "--sizes", "64KiB", "--ops", "write",
                             "--keep", "--benchmark_repetitions=1"});
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
    for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
      if (e.is_regular_file()) kept = "/" + fs::relative(e.path(), dir.path()).string();
    }
    REQUIRE_FALSE(kept.empty());
    std::ofstream(dir.path() / "other.bin") << std::string(64 * 1024, 'x');
  }
  // Three repetitions of a read of each: the kept file passes, the other
  // fails every repetition under --verify (it does not carry the pattern).
  std::vector<std::string> args(std::vector<std::string> more) const {
    std::vector<std::string> a{"--posix", dir.path().string(),  "--read-only",
                               "--files", kept + ",/other.bin", "--read-cache",
                               "warm",    "--verify",           "--benchmark_repetitions=3"};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }
};

// Google Benchmark's rows of single repetitions (not aggregates) in `out`.
std::vector<std::string> repetition_rows(const std::string& out) {
  std::vector<std::string> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("posix/")) continue;
    const bool aggregate =
        line.find("_mean ") != std::string::npos || line.find("_median ") != std::string::npos ||
        line.find("_stddev ") != std::string::npos || line.find("_cv ") != std::string::npos;
    if (!aggregate) rows.push_back(line);
  }
  return rows;
}

}  // namespace

TEST_CASE("by default a run prints progress and the summary, not every row", "[kernels]") {
  const temp_dir dir("gfbench-output");
  const auto r = run_tool({"--posix", dir.path().string(), "--sizes", "64KiB", "--ops", "write",
                           "--benchmark_repetitions=3"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Throughput in kB/s") && Contains("of 3 repetitions"));
  CHECK_THAT(r.out, !Contains("manual_time"));  // no row of Google Benchmark's
  CHECK_THAT(r.err, Contains("[1/1] posix/write/size:64KiB/bs:4KiB"));
  // The truth about the build, not "Library was built as DEBUG".
  CHECK_THAT(r.out + r.err, !Contains("built as DEBUG"));
  CHECK_THAT(r.err, Contains("built without NDEBUG") && Contains("the timed I/O is gfbench's"));

  const auto rows = run_tool({"--posix", dir.path().string(), "--sizes", "64KiB", "--ops", "write",
                              "--benchmark_repetitions=3", "--rows"});
  INFO(describe(rows));
  REQUIRE(rows.exit_code == 0);
  CHECK(repetition_rows(rows.out).size() == 3);
  CHECK_THAT(rows.out, Contains("_cv"));
  // A counter that is 0 in every repetition has no coefficient of variation:
  // left out rather than printed as -nan%.
  CHECK_THAT(rows.out, !Contains("nan"));
  CHECK_THAT(rows.out + rows.err, !Contains("built as DEBUG"));
}

TEST_CASE("failures count when only aggregates are displayed or reported", "[kernels]") {
  const two_files files;
  for (const char* flag :
       {"--benchmark_display_aggregates_only=true", "--benchmark_report_aggregates_only=true"}) {
    DYNAMIC_SECTION(flag) {
      const auto r = run_tool(files.args({flag, "--rows"}));
      INFO(describe(r));
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.out, Contains("failed cases:"));
      CHECK_THAT(r.out,
                 Contains("file:/other.bin") && Contains("does not carry gfbench's pattern"));
      // The kept file's cell: all 3 repetitions counted, from the runs
      // themselves, not from Google Benchmark's aggregates.
      CHECK_THAT(r.out, Contains("of 3 repetitions"));
      // What was displayed: the aggregates, not the repetitions.
      CHECK_THAT(r.out, Contains("_mean"));
      CHECK(repetition_rows(r.out).empty());
    }
  }
  SECTION("the same through JSON on stdout, the summary on stderr") {
    const auto r = run_tool(
        files.args({"--benchmark_display_aggregates_only=true", "--benchmark_format=json"}));
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const auto json = nlohmann::json::parse(r.out);
    for (const auto& b : json["benchmarks"]) CHECK(b["run_type"] == "aggregate");
    CHECK_THAT(r.err, Contains("failed cases:") && Contains("file:/other.bin"));
  }
}

TEST_CASE("the --benchmark_out file gets every row, aggregates only when asked", "[kernels]") {
  const two_files files;
  const temp_dir out_dir("gfbench-output-out");
  const std::string out = (out_dir.path() / "runs.json").string();
  const auto read_json = [&] {
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
  };
  auto r = run_tool(files.args({"--benchmark_out=" + out}));
  INFO(describe(r));
  std::size_t iterations = 0, aggregates = 0;
  const auto all = read_json();  // kept: the loop runs over a part of it
  for (const auto& b : all["benchmarks"])
    (b["run_type"] == "iteration" ? iterations : aggregates)++;
  CHECK(iterations == 6);  // 3 repetitions of 2 cases, the failed ones too
  CHECK(aggregates > 0);
  r = run_tool(files.args({"--benchmark_out=" + out, "--benchmark_report_aggregates_only=true"}));
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("failed cases:"));
  const auto only = read_json();
  REQUIRE_FALSE(only["benchmarks"].empty());
  for (const auto& b : only["benchmarks"]) CHECK(b["run_type"] == "aggregate");
}

TEST_CASE("BENCHMARK_REPETITIONS in the environment is obeyed", "[kernels]") {
  const temp_dir dir("gfbench-output");
  const auto r = run_tool({"--posix", dir.path().string(), "--sizes", "64KiB", "--ops", "write"},
                          std::chrono::seconds(60), {}, {"BENCHMARK_REPETITIONS=2"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("of 2 repetitions"));  // not the default 5
  const auto bad = run_tool({"--posix", dir.path().string(), "--sizes", "64KiB"},
                            std::chrono::seconds(60), {}, {"BENCHMARK_REPETITIONS=0"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("BENCHMARK_REPETITIONS") && Contains("at least 1"));
}
