// The summary table printed after a run: IOzone's kB/s (1 kB = 1024 bytes),
// mean and median over repetitions, ratios gfapi / other target; and the
// reporter that collects Google Benchmark's runs for it, checked the way
// Google Benchmark's own tests check reporters: by feeding it runs.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "results/report.hpp"
#include "results/results.hpp"
#include "results/results_collector.hpp"
#include "results/statistics.hpp"
#include "results/summary_table.hpp"

using Catch::Matchers::Contains;
using gfbench::app::case_summary;
using gfbench::app::format_kb_per_second;
using gfbench::app::format_summary;

namespace {

constexpr double kb = 1024.0;
constexpr std::uint64_t MiB = 1024 * 1024;

case_summary cell(std::string target, std::string op, std::uint64_t size,
                  std::vector<double> kb_per_second) {
  case_summary c;
  c.target = std::move(target);
  c.operation = std::move(op);
  c.file_size = size;
  c.block_size = 4096;
  c.name = c.target + "/" + c.operation + "/size:" + std::to_string(size / MiB) + "MiB/bs:4KiB";
  for (double v : kb_per_second) {
    c.rounds.push_back(static_cast<int>(c.bytes_per_second.size()));
    c.bytes_per_second.push_back(v * kb);
  }
  return c;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The whitespace-separated cells of the row for `size` in the block whose
// title line is exactly `title`, without the means' intervals ("±6%",
// checked on their own); empty when there is none.
std::vector<std::string> row(const std::string& table, const std::string& title,
                             const std::string& size) {
  std::istringstream in(table);
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line == title) {
      in_block = true;
      continue;
    }
    if (!in_block) continue;
    if (line.empty()) break;
    auto cells = words(line);
    std::erase_if(cells, [](const std::string& w) { return w.starts_with("\u00b1"); });
    if (!cells.empty() && cells.front() == size) return cells;
  }
  return {};
}

std::vector<case_summary> two_targets() {
  return {
      cell("gfapi", "write", MiB, {1000, 2000, 6000}),  // mean 3000, median 2000
      cell("gfapi", "read", MiB, {4000, 4000, 4000}),
      cell("gfapi", "write", 10 * MiB, {1'123'439, 1'123'439, 1'123'439}),
      cell("gfapi", "read", 10 * MiB, {100, 300, 200}),
      cell("fuse", "write", MiB, {500, 1000, 3000}),  // half of gfapi's in every round
      cell("fuse", "read", MiB, {8000, 8000, 8000}),  // ratio 0.50
      cell("fuse", "write", 10 * MiB, {1'123'439, 1'123'439, 1'123'439}),
      cell("fuse", "read", 10 * MiB, {400, 400, 400}),
  };
}

}  // namespace

TEST_CASE("kB/s are bytes per second / 1024, rounded, with thousands separators", "[unit]") {
  CHECK(format_kb_per_second(1'150'401'536.0) == "1,123,439");  // the seed's 1 MB write
  CHECK(format_kb_per_second(1024.0) == "1");
  CHECK(format_kb_per_second(1000.0) == "1");  // 0.98 kB/s rounds to 1
  CHECK(format_kb_per_second(511.0) == "0");
  CHECK(format_kb_per_second(0.0) == "0");
  CHECK(format_kb_per_second(999.0 * 1024) == "999");
  CHECK(format_kb_per_second(1000.0 * 1024) == "1,000");
  CHECK(format_kb_per_second(4'745'449.0 * 1024) == "4,745,449");
}

TEST_CASE("mean and median over repetitions", "[unit]") {
  CHECK(gfbench::app::mean_of({1, 2, 6}) == Approx(3));
  CHECK(gfbench::app::median_of({6, 1, 2}) == Approx(2));
  CHECK(gfbench::app::median_of({4, 1, 3, 2}) == Approx(2.5));
  CHECK(gfbench::app::median_of({7}) == Approx(7));
  CHECK(gfbench::app::mean_of({}) == 0);

  const auto s = gfbench::app::summarize(cell("gfapi", "write", MiB, {1000, 2000, 6000}));
  REQUIRE(s);
  CHECK(s->mean == Approx(3000 * kb));
  CHECK(s->median == Approx(2000 * kb));
  CHECK(s->count == 3);

  case_summary only_aggregates = cell("gfapi", "write", MiB, {});
  CHECK_FALSE(gfbench::app::summarize(only_aggregates));
  only_aggregates.aggregate_mean = 10 * kb;
  only_aggregates.aggregate_median = 9 * kb;
  only_aggregates.aggregate_count = 5;
  const auto a = gfbench::app::summarize(only_aggregates);
  REQUIRE(a);
  CHECK(a->mean == Approx(10 * kb));
  CHECK(a->median == Approx(9 * kb));
  CHECK(a->count == 5);
}

TEST_CASE("the summary shows kB/s mean and median per target, size and operation", "[unit]") {
  const std::string table = format_summary(two_targets());
  INFO(table);
  CHECK_THAT(table, Contains("kB/s = KiB/s, 1 kB = 1024 bytes, as IOzone"));
  CHECK_THAT(table, Contains("mean and median of 3 repetitions"));

  // Header: operation columns in the order they first appear.
  const std::string after_title = table.substr(table.find("\ngfapi\n") + 7);
  const auto header = words(after_title.substr(0, after_title.find('\n')));
  CHECK(header == std::vector<std::string>{"file", "size", "block", "write", "mean", "write",
                                           "median", "read", "mean", "read", "median"});

  CHECK(row(table, "gfapi", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "3,000", "2,000", "4,000", "4,000"});
  CHECK(row(table, "gfapi", "10MiB") ==
        std::vector<std::string>{"10MiB", "4KiB", "1,123,439", "1,123,439", "200", "200"});
  CHECK(row(table, "fuse", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "1,500", "1,000", "8,000", "8,000"});
  // Each mean with its 95 % interval: Student's t over the 3 repetitions.
  CHECK_THAT(table, Contains("3,000 \u00b1219%"));  // sd 2646, t(2) 4.30: 6,572 of 3,000
  CHECK_THAT(table, Contains("4,000 \u00b10.0%"));  // the same in every repetition
  CHECK_THAT(table, Contains("the mean's 95 % interval"));
  CHECK(row(table, "fuse", "10MiB") ==
        std::vector<std::string>{"10MiB", "4KiB", "1,123,439", "1,123,439", "400", "400"});
}

TEST_CASE("the summary adds gfapi / other ratios round by round, with intervals and verdicts",
          "[unit]") {
  const std::string table = format_summary(two_targets());
  INFO(table);
  const std::string title =
      "gfapi / fuse (throughput, round by round: the rounds' geometric mean [95 % interval]; "
      "above 1: gfapi is faster)";
  CHECK_THAT(table, Contains(title));
  // Twice fuse's in every round: 2.00 with no spread, faster; half: slower;
  // the same: no difference this run can show.
  CHECK(row(table, title, "1MiB") == std::vector<std::string>{"1MiB", "4KiB", "2.00", "[2.00-2.00]",
                                                              "faster", "0.50", "[0.50-0.50]",
                                                              "slower"});
  // Reads of 10 MiB: a quarter, three quarters and half of fuse's: too
  // spread over 3 rounds to tell.
  const auto spread = row(table, title, "10MiB");
  REQUIRE(spread.size() == 8);
  CHECK(std::vector<std::string>(spread.begin(), spread.begin() + 5) ==
        std::vector<std::string>{"10MiB", "4KiB", "1.00", "[1.00-1.00]", "~"});
  CHECK(spread[5] == "0.45");  // the geometric mean of 0.25, 0.75, 0.5
  CHECK(spread[7] == "~");
  CHECK_THAT(table, Contains("Holm's correction for the 4 comparisons"));

  // One target alone: no ratio block.
  auto only_gfapi = two_targets();
  only_gfapi.resize(4);
  CHECK_THAT(format_summary(only_gfapi), !Contains(" / "));
  // Without a gfapi target: no ratio block either.
  auto no_gfapi = two_targets();
  no_gfapi.erase(no_gfapi.begin(), no_gfapi.begin() + 4);
  CHECK_THAT(format_summary(no_gfapi), !Contains(" / "));
}

TEST_CASE("the summary marks failed cases and cells with fewer repetitions", "[unit]") {
  auto cases = two_targets();
  cases[1].bytes_per_second.clear();  // gfapi read 1MiB: every repetition failed
  cases[1].failed = 3;
  cases[0].bytes_per_second.pop_back();  // gfapi write 1MiB: one repetition failed
  cases[0].failed = 1;
  const std::string table = format_summary(cases);
  INFO(table);
  CHECK(row(table, "gfapi", "1MiB") == std::vector<std::string>{"1MiB", "4KiB", "1,500", "(n=2)",
                                                                "1,500", "(n=2)", "failed",
                                                                "failed"});
  CHECK_THAT(table, Contains("mean and median of 3 repetitions"));
  CHECK_THAT(table, Contains("(n=K)"));
  CHECK_THAT(table, Contains("failed: every repetition"));
  const std::string title =
      "gfapi / fuse (throughput, round by round: the rounds' geometric mean [95 % interval]; "
      "above 1: gfapi is faster)";
  // Two rounds paired: gfapi 1,000 and 2,000 against fuse 500 and 1,000.
  CHECK(row(table, title, "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "2.00", "[2.00-2.00]", "faster", "-"});

  CHECK(format_summary({}).empty());
}

TEST_CASE("reads in each cache mode get their own column; small ratios keep 3 digits", "[unit]") {
  auto warm = cell("gfapi", "read", MiB, {9000});
  warm.cache = "warm";
  auto cold = cell("gfapi", "read", MiB, {100});
  cold.cache = "cold";
  auto fuse_warm = cell("fuse", "read", MiB, {2'088'000});
  fuse_warm.cache = "warm";
  auto fuse_cold = cell("fuse", "read", MiB, {200});
  fuse_cold.cache = "cold";
  const std::string table =
      format_summary({cell("gfapi", "write", MiB, {50}), warm, cold,
                      cell("fuse", "write", MiB, {25}), fuse_warm, fuse_cold});
  INFO(table);
  CHECK_THAT(table, Contains("read:warm mean") && Contains("read:cold median"));
  CHECK(row(table, "gfapi", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "50", "50", "9,000", "9,000", "100", "100"});
  const std::string title =
      "gfapi / fuse (throughput, round by round: the rounds' geometric mean [95 % interval]; "
      "above 1: gfapi is faster)";
  // One round each: the ratio alone, no interval, no verdict; 9000 /
  // 2088000 = 0.00431 keeps three digits.
  CHECK(row(table, title, "1MiB") == std::vector<std::string>{"1MiB", "4KiB", "2.00", "(n=1)",
                                                              "0.00431", "(n=1)", "0.500",
                                                              "(n=1)"});
  CHECK_THAT(table, Contains("a ratio (n=1): one round of both"));
}

TEST_CASE("failures are listed with case, repetition and message", "[unit]") {
  CHECK(gfbench::app::format_failures({}).empty());
  const std::string text = gfbench::app::format_failures(
      {{"gfapi/write/size:1MiB/bs:4KiB/repeats:5/manual_time", 1, "glfs_pwrite: No space left"},
       {"fuse/read/size:1MiB/bs:4KiB/manual_time", -1, "boom"}});
  CHECK(text ==
        "failed cases:\n"
        "  gfapi/write/size:1MiB/bs:4KiB/repeats:5/manual_time (repetition 2): glfs_pwrite: No "
        "space left\n"
        "  fuse/read/size:1MiB/bs:4KiB/manual_time: boom\n");

  // After a stop request, the repetitions that skipped themselves make one line.
  const std::string not_run = "interrupted: stop requested (signal) before this case";
  const std::string stopped = gfbench::app::format_failures(
      {{"a/write/manual_time", 2, "interrupted: stop requested (signal) during a pass"},
       {"a/write/manual_time", 3, not_run},
       {"a/write/manual_time", 4, not_run},
       {"a/read/manual_time", 0, not_run}});
  CHECK(stopped ==
        "failed cases:\n"
        "  a/write/manual_time (repetition 3): interrupted: stop requested (signal) during a pass\n"
        "  not run after the stop request: 3 repetitions of 2 cases\n");
}

namespace {

using Run = benchmark::BenchmarkReporter::Run;

Run make_run(const std::string& name, std::int64_t repetition, double bytes_per_second) {
  Run r;
  r.run_name.function_name = name;
  r.run_name.repetitions = "repeats:3";
  r.run_name.time_type = "manual_time";
  r.repetitions = 3;
  r.repetition_index = repetition;
  r.iterations = 1;
  r.counters["bytes_per_second"] = benchmark::Counter(bytes_per_second);
  return r;
}

Run make_error(const std::string& name, std::int64_t repetition, const std::string& message) {
  Run r = make_run(name, repetition, 0);
  r.counters.clear();
  r.error_occurred = true;
  r.error_message = message;
  return r;
}

Run make_aggregate(const std::string& name, const std::string& aggregate, double bytes_per_second) {
  Run r = make_run(name, 0, bytes_per_second);
  r.run_type = Run::RT_Aggregate;
  r.aggregate_name = aggregate;
  return r;
}

// Counts what reaches the display reporter.
class counting_reporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& reports) override { runs += reports.size(); }
  void Finalize() override { ++finalized; }
  std::size_t runs = 0;
  int finalized = 0;
};

std::vector<gfbench::case_info> registered() {
  auto info = [](std::string name, std::string target, std::string op, std::string cache) {
    return gfbench::case_info{.name = std::move(name),
                              .target_label = std::move(target),
                              .operation = std::move(op),
                              .cache = std::move(cache),
                              .file_size = MiB,
                              .block_size = 4096};
  };
  return {info("gfapi/write/size:1MiB/bs:4KiB", "gfapi", "write", ""),
          info("fuse/write/size:1MiB/bs:4KiB", "fuse", "write", ""),
          info("gfapi/read/size:1MiB/bs:4KiB/cache:cold", "gfapi", "read", "cold")};
}

}  // namespace

TEST_CASE("results_collector collects repetitions and failures and forwards everything", "[unit]") {
  counting_reporter display;
  gfbench::app::results_collector reporter(&display, registered());
  const std::string w = "gfapi/write/size:1MiB/bs:4KiB";
  const std::string f = "fuse/write/size:1MiB/bs:4KiB";
  const std::string r = "gfapi/read/size:1MiB/bs:4KiB/cache:cold";

  reporter.ReportRuns(
      {make_run(w, 0, 1000 * kb), make_run(w, 1, 2000 * kb), make_run(w, 2, 6000 * kb)});
  // Google Benchmark's aggregates are ignored when the repetitions are there.
  reporter.ReportRuns({make_aggregate(w, "mean", 1), make_aggregate(w, "median", 1),
                       make_aggregate(w, "stddev", 1)});
  reporter.ReportRuns({make_run(f, 0, 1000 * kb),
                       make_error(f, 1, "glfs_pwrite: Input/output error"),
                       make_run(f, 2, 3000 * kb)});
  reporter.ReportRuns({make_error(r, 0, "a"), make_error(r, 1, "b"), make_error(r, 2, "c")});
  // Not a registered case: forwarded, not collected.
  reporter.ReportRuns({make_run("BM_other", 0, 5)});
  reporter.Finalize();  // the end of a round: nothing yet
  CHECK(display.runs == 13);
  CHECK(display.finalized == 0);
  reporter.finish();  // after the last round: the aggregates, then the end
  // mean, median, stddev and cv of the write's 3 rounds and of fuse's 2
  // that succeeded; none of the read's, which all failed.
  CHECK(display.runs == 13 + 4 + 4);
  CHECK(display.finalized == 1);
  CHECK(reporter.runs_seen() == 12);

  const auto& results = reporter.results();
  REQUIRE(results.size() == 3);
  CHECK(results[0].name == w);
  CHECK(results[0].target == "gfapi");
  CHECK(results[0].bytes_per_second == std::vector<double>{1000 * kb, 2000 * kb, 6000 * kb});
  CHECK(results[0].failed == 0);
  CHECK(results[1].bytes_per_second == std::vector<double>{1000 * kb, 3000 * kb});
  CHECK(results[1].failed == 1);
  CHECK(results[2].cache == "cold");
  CHECK(results[2].bytes_per_second.empty());
  CHECK(results[2].failed == 3);

  REQUIRE(reporter.any_failed());
  const auto& failures = reporter.failures();
  REQUIRE(failures.size() == 4);
  CHECK(failures[0].name == "fuse/write/size:1MiB/bs:4KiB/repeats:3/manual_time");
  CHECK(failures[0].repetition == 1);
  CHECK(failures[0].message == "glfs_pwrite: Input/output error");

  const std::string table = format_summary(results);
  INFO(table);
  CHECK(row(table, "gfapi", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "3,000", "2,000", "failed", "failed"});
  CHECK(row(table, "fuse", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "2,000", "(n=2)", "2,000", "(n=2)", "-", "-"});
}

TEST_CASE("results_collector falls back on aggregates when only those are shown", "[unit]") {
  gfbench::app::results_collector reporter(nullptr, registered());
  const std::string w = "gfapi/write/size:1MiB/bs:4KiB";
  reporter.ReportRuns({make_aggregate(w, "mean", 3000 * kb), make_aggregate(w, "median", 2000 * kb),
                       make_aggregate(w, "stddev", 5 * kb), make_aggregate(w, "cv", 0.5)});
  reporter.Finalize();
  CHECK_FALSE(reporter.any_failed());
  const auto s = gfbench::app::summarize(reporter.results()[0]);
  REQUIRE(s);
  CHECK(s->mean == Approx(3000 * kb));
  CHECK(s->median == Approx(2000 * kb));
  CHECK(s->count == 3);
}

TEST_CASE("the summary lists the cases that ran degraded", "[unit]") {
  std::vector<gfbench::app::case_summary> cases(2);
  cases[0].name = "gfapi/write/size:1MiB/bs:4KiB";
  cases[1].name = "gfapi/read/size:1MiB/bs:4KiB/cache:warm";
  CHECK(gfbench::app::format_degraded(cases).empty());
  cases[0].degraded = 2;
  const std::string text = gfbench::app::format_degraded(cases);
  CHECK_THAT(text, Contains("degraded cases"));
  CHECK_THAT(text, Contains("gfapi/write/size:1MiB/bs:4KiB: 2 repetitions degraded"));
  CHECK_THAT(text, !Contains("gfapi/read"));
}

TEST_CASE("a write table says the clock stopped before fsync, unless it did not", "[unit]") {
  const std::string note = "the clock stops when the last write returns, before any fsync";
  auto write = cell("gfapi", "write", MiB, {100});
  auto read = cell("gfapi", "read", MiB, {200});
  read.cache = "warm";
  CHECK_THAT(format_summary({write, read}), Contains(note) && Contains("write-behind"));
  CHECK_THAT(format_summary({read}), !Contains(note));
  write.fsync_timed = true;
  CHECK_THAT(format_summary({write, read}), !Contains(note));
  auto rewrite = cell("gfapi", "rewrite", MiB, {100});
  CHECK_THAT(format_summary({write, rewrite}), Contains(note));
}

TEST_CASE("cells of cases that ran degraded are marked in the table", "[unit]") {
  auto ok = cell("gfapi", "write", MiB, {100, 100});
  auto degraded = cell("gfapi", "write", 10 * MiB, {100, 100});
  degraded.degraded = 1;
  const std::string table = format_summary({ok, degraded});
  INFO(table);
  CHECK(row(table, "gfapi", "1MiB") == std::vector<std::string>{"1MiB", "4KiB", "100", "100"});
  CHECK(row(table, "gfapi", "10MiB") == std::vector<std::string>{"10MiB", "4KiB", "100^", "100^"});
  CHECK_THAT(table, Contains("^: some repetitions of that case ran while a brick"));
  CHECK_THAT(format_summary({ok}), !Contains("^:"));
}

namespace {

// The cells of the row naming `file` in the block titled `title`.
std::vector<std::string> row_of_file(const std::string& table, const std::string& title,
                                     const std::string& file) {
  std::istringstream in(table);
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line == title) {
      in_block = true;
      continue;
    }
    if (in_block && line.empty()) break;
    if (!in_block) continue;
    const auto cells = words(line);
    if (cells.size() > 2 && cells[2] == file) return cells;
  }
  return {};
}

}  // namespace

TEST_CASE("read-only runs over several files of one size keep a row per file", "[unit]") {
  // What --keep left: two files of 1 MiB, read through gfapi and FUSE.
  std::vector<case_summary> cases;
  for (const char* target : {"gfapi", "fuse"}) {
    for (const char* file :
         {"/.gfbench/run-a/read-1MiB-4KiB-warm", "/.gfbench/run-a/write-1MiB-4KiB"}) {
      auto c = cell(target, "read", MiB, {std::string(target) == "gfapi" ? 100.0 : 50.0});
      c.cache = "cold";
      c.file = file;
      if (std::string(file).ends_with("write-1MiB-4KiB")) c.bytes_per_second = {400 * kb};
      c.name += std::string("/cache:cold/file:") + file;
      cases.push_back(c);
    }
  }
  cases[3].bytes_per_second = {100 * kb};  // fuse, second file
  const std::string table = format_summary(cases);
  INFO(table);
  CHECK(row(table, "gfapi", "1MiB") ==
        std::vector<std::string>{"1MiB", "4KiB", "/.gfbench/run-a/read-1MiB-4KiB-warm", "100",
                                 "100"});
  // Both files are there, each with its own numbers.
  const std::string second = "/.gfbench/run-a/write-1MiB-4KiB";
  CHECK(row_of_file(table, "gfapi", second) ==
        std::vector<std::string>{"1MiB", "4KiB", second, "400", "400"});
  CHECK(row_of_file(table, "fuse", second) ==
        std::vector<std::string>{"1MiB", "4KiB", second, "100", "100"});
  // Each file's ratio uses the same file through gfapi: 100/50 and 400/100.
  const std::string title =
      "gfapi / fuse (throughput, round by round: the rounds' geometric mean [95 % interval]; "
      "above 1: gfapi is faster)";
  const auto first_ratio = row_of_file(table, title, "/.gfbench/run-a/read-1MiB-4KiB-warm");
  const auto second_ratio = row_of_file(table, title, second);
  REQUIRE(first_ratio.size() == 5);
  REQUIRE(second_ratio.size() == 5);
  CHECK(first_ratio[3] == "2.00");  // one round each: (n=1) follows
  CHECK(second_ratio[3] == "4.00");
  // The report's ratios and the plot's panels are per file too.
  const auto stats = gfbench::app::compute_statistics(cases);
  CHECK(*stats[2].reference_ratio == Approx(2.0));
  CHECK(*stats[3].reference_ratio == Approx(4.0));
  const std::string plot = gfbench::app::format_plot_data(stats);
  CHECK_THAT(plot, Contains("# index 3: " + second + " (1MiB, 4KiB blocks), target fuse"));
  CHECK_THAT(plot, !Contains("# index 4:"));
}

TEST_CASE(
    "the summary names gfapi cases that started with more io-threads workers than requests in "
    "flight",
    "[unit]") {
  const std::string note = "client io-threads: ";
  auto deep = cell("gfapi", "random_read", MiB, {100});
  deep.name = "gfapi/random_read/qd:32";
  deep.queue_depth = 32;
  deep.threads = 1;
  auto shallow = cell("gfapi", "random_write", MiB, {100});
  shallow.name = "gfapi/random_write/qd:1";
  shallow.queue_depth = 1;
  shallow.threads = 1;
  // As a fresh client: one worker each.
  deep.counters["client_io_workers"] = {1};
  shallow.counters["client_io_workers"] = {1};
  CHECK_THAT(format_summary({deep, shallow}), !Contains(note));
  // The deep case grew the pool to 16, within its 32 requests in flight;
  // the shallow case after it started with them.
  deep.counters["client_io_workers"] = {1, 16};
  CHECK_THAT(format_summary({deep, shallow}), !Contains(note));
  shallow.counters["client_io_workers"] = {16, 16};
  const std::string table = format_summary({deep, shallow});
  CHECK_THAT(table, Contains(note + "gfapi/random_write/qd:1 started") && Contains("up to 16"));
  CHECK_THAT(table, !Contains("gfapi/random_read/qd:32 started"));
  // Two threads at depth 4 keep 8 in flight: 8 workers are theirs, 9 are not.
  shallow.queue_depth = 4;
  shallow.threads = 2;
  shallow.counters["client_io_workers"] = {8};
  CHECK_THAT(format_summary({deep, shallow}), !Contains(note));
  shallow.counters["client_io_workers"] = {9};
  CHECK_THAT(format_summary({deep, shallow}), Contains(note));
  // An IOzone-loop case has one request in flight.
  auto loop = cell("gfapi", "write", MiB, {100});
  loop.counters["client_io_workers"] = {2};
  CHECK_THAT(format_summary({loop}), Contains(note + loop.name + " started"));
}
