// The files --report DIR writes: summary.json (checked by parsing it),
// summary.csv (column by column), the plot's data and gnuplot script, and
// the plot itself when gnuplot is installed. All on made-up results, the
// seed study's numbers for gfapi.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "results/report.hpp"
#include "results/results.hpp"
#include "results/results_collector.hpp"
#include "results/statistics.hpp"
#include "results/summary_table.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"
#include "util/child_process.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using gfbench::app::case_failure;
using gfbench::app::case_summary;
using gfbench::app::compute_statistics;
using gfbench::app::latency_sample;
using gfbench::testing::file_text;
using gfbench::testing::temp_dir;

namespace {

using json = nlohmann::ordered_json;  // keeps the order the report wrote

constexpr double kib = 1024.0;
constexpr std::uint64_t MiB = 1024 * 1024;

case_summary cell(std::string target, std::string op, std::string cache, std::uint64_t size,
                  std::vector<double> kib_per_second) {
  case_summary c;
  c.target = std::move(target);
  c.operation = std::move(op);
  c.cache = std::move(cache);
  c.file_size = size;
  c.block_size = 4096;
  c.name = c.target + "/" + c.operation + "/size:" + std::to_string(size / MiB) + "MiB/bs:4KiB";
  if (!c.cache.empty()) c.name += "/cache:" + c.cache;
  for (double v : kib_per_second) {
    c.bytes_per_second.push_back(v * kib);
    c.latencies.push_back({10, 40, 900});
  }
  return c;
}

// The seed's write/rewrite/read means (kB/s) for gfapi, made-up FUSE numbers.
std::vector<case_summary> seed_like() {
  std::vector<case_summary> cases;
  const std::uint64_t sizes[] = {MiB, 10 * MiB, 100 * MiB};
  const double write[] = {1'123'439, 1'452'872, 406'513};
  const double rewrite[] = {2'411'368, 3'447'707, 466'902};
  const double read[] = {4'276'393, 5'391'294, 4'745'449};
  for (const char* target : {"gfapi", "fuse"}) {
    const double f = std::string(target) == "gfapi" ? 1.0 : 0.5;
    for (int i = 0; i < 3; ++i) {
      cases.push_back(cell(target, "write", "", sizes[i],
                           {write[i] * f * 0.9, write[i] * f, write[i] * f * 1.1}));
      cases.push_back(cell(target, "rewrite", "", sizes[i], {rewrite[i] * f}));
      cases.push_back(cell(target, "read", "warm", sizes[i], {read[i] * f, read[i] * f}));
      cases.push_back(cell(target, "read", "cold", sizes[i], {read[i] * f / 8}));
    }
  }
  return cases;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields{""};
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

TEST_CASE("report statistics: mean, median, stddev, min, max, latency, ratio", "[unit]") {
  std::vector<case_summary> cases{cell("gfapi", "write", "", MiB, {100, 200, 600}),
                                  cell("fuse", "write", "", MiB, {50, 100, 150}),
                                  cell("fuse", "read", "cold", MiB, {80})};
  cases[0].latencies = {{10, 50, 100}, {30, 70, 900}, {20, 60, 300}};
  const auto stats = compute_statistics(cases);
  REQUIRE(stats.size() == 3);

  const auto& g = stats[0];
  CHECK(g.repetitions == 3);
  CHECK(*g.mean == Approx(300 * kib));
  CHECK(*g.median == Approx(200 * kib));
  CHECK(*g.stddev == Approx(264.575 * kib).epsilon(1e-4));  // sqrt(((200)^2+100^2+300^2)/2)
  CHECK(*g.min == Approx(100 * kib));
  CHECK(*g.max == Approx(600 * kib));
  REQUIRE(g.latency);
  CHECK(g.latency->p50_us == Approx(20));  // median of 10, 30, 20
  CHECK(g.latency->p99_us == Approx(60));
  CHECK(g.latency->max_us == Approx(900));  // largest of all
  CHECK_FALSE(g.reference_ratio);           // the reference itself

  CHECK(*stats[1].reference_ratio == Approx(2.0));  // 200 / 100
  CHECK_FALSE(stats[2].reference_ratio);            // no gfapi read:cold
  CHECK_FALSE(stats[2].stddev);                     // one repetition

  case_summary failed = cell("gfapi", "read", "warm", MiB, {});
  failed.failed = 5;
  const auto f = compute_statistics({failed});
  CHECK(f[0].repetitions == 0);
  CHECK(f[0].failed == 5);
  CHECK_FALSE(f[0].median);
  CHECK_FALSE(f[0].latency);
}

TEST_CASE("summary.json parses and holds every case with units", "[unit]") {
  const auto cases = seed_like();
  const auto stats = compute_statistics(cases);
  const std::vector<case_failure> failures{
      {"fuse/write/size:1MiB/bs:4KiB/repeats:5/manual_time", 2, "pwrite: \"No space\"\n\tleft"}};
  const std::string text = gfbench::app::format_report_json(
      stats, failures,
      {.command_line = "gfbench --report /tmp/r", .started_utc = "2024-01-02T03:04:05Z"});
  INFO(text);
  const json report = json::parse(text);  // throws, failing the test, unless valid JSON
  CHECK(report.begin().key() == "tool");
  CHECK(report["tool"] == "gfbench");
  CHECK(report["command_line"] == "gfbench --report /tmp/r");
  CHECK(report["started_utc"] == "2024-01-02T03:04:05Z");
  CHECK(report["reference_target"] == "gfapi");
  CHECK_THAT(report["units"]["throughput_kib_per_second"].get<std::string>(),
             Contains("1 KiB = 1024 bytes (IOzone's kB/s)"));
  const json& all = report["cases"];
  REQUIRE(all.size() == cases.size());
  // The seed's 1 MB write, as gfapi's median: 1,123,439 KiB/s.
  const json& write = all[0];
  CHECK(write["name"] == "gfapi/write/size:1MiB/bs:4KiB");
  CHECK(write["cache"].is_null());
  const json& kib = write["throughput_kib_per_second"];
  CHECK(kib["mean"].get<double>() == Approx(1123439));
  CHECK(kib["median"].get<double>() == Approx(1123439));
  CHECK(kib["stddev"].get<double>() == Approx(112343.9));
  CHECK(kib["min"].get<double>() == Approx(1011095.1));
  CHECK(kib["max"].get<double>() == Approx(1235782.9));
  // p90, p99.9 and p99.99 are null: the sample repetitions have none.
  CHECK(write["latency_us"] == json{{"p50", 10},
                                    {"p90", nullptr},
                                    {"p99", 40},
                                    {"p99.9", nullptr},
                                    {"p99.99", nullptr},
                                    {"max", 900}});
  CHECK(write["ratio_gfapi_over_this"].is_null());  // the reference itself
  const auto named = [&](const std::string& name) {
    for (const json& c : all) {
      if (c["name"] == name) return c;
    }
    FAIL("no case " << name);
    return json();
  };
  const json cold = named("fuse/read/size:100MiB/bs:4KiB/cache:cold");
  CHECK(cold["cache"] == "cold");
  CHECK(cold["file_size_bytes"] == 104857600);
  CHECK(cold["file_size"] == "100MiB");
  CHECK(cold["ratio_gfapi_over_this"].get<double>() == Approx(2));
  // The message with its quote, newline and tab, as it was.
  REQUIRE(report["failures"].size() == 1);
  CHECK(report["failures"][0]["repetition"] == 3);
  CHECK(report["failures"][0]["message"] == "pwrite: \"No space\"\n\tleft");

  const json empty = json::parse(gfbench::app::format_report_json({}, {}, {}));
  CHECK(empty["cases"].empty());
  CHECK(empty["failures"].empty());
}

namespace {

// The clients of a run on 10.3's default graph: gfapi and a FUSE mount
// read, a local directory, a FUSE mount whose graph could not be read.
std::vector<gfbench::app::target_client> sample_clients() {
  using gfbench::app::client_kind;
  gfbench::client_tuning defaults;
  defaults.client_io_threads = true;
  defaults.write_behind = true;
  defaults.quick_read = true;
  defaults.open_behind = true;
  defaults.md_cache = true;
  return {{.target = "gfapi", .kind = client_kind::gfapi, .tuning = defaults},
          {.target = "fuse", .kind = client_kind::gluster_fuse, .tuning = defaults},
          {.target = "local", .kind = client_kind::other},
          {.target = "old-fuse",
           .kind = client_kind::gluster_fuse,
           .unknown_reason = "no readable /mnt/x/.meta/graphs/active/volfile"}};
}

}  // namespace

TEST_CASE("the summary says what each client's graph does, and with --direct where O_DIRECT went",
          "[unit]") {
  auto clients = sample_clients();
  const std::string plain = gfbench::app::format_client_tunings(clients, /*direct=*/false);
  INFO(plain);
  CHECK_THAT(plain, StartsWith("client graphs, as each target's client runs them:\n"));
  CHECK_THAT(plain, Contains("  gfapi     event-threads 2, client-io-threads on, write-behind on "
                             "(strict-o-direct off), remote-dio off, read-ahead off, io-cache "
                             "off, quick-read on (64KiB), open-behind on, md-cache on\n"));
  CHECK_THAT(plain, Contains("  local     not a Gluster client\n"));
  CHECK_THAT(plain,
             Contains("  old-fuse  not known: no readable /mnt/x/.meta/graphs/active/volfile\n"));
  CHECK_THAT(plain, !Contains("O_DIRECT reached"));

  clients[1].tuning->remote_dio = true;
  clients[1].tuning->strict_o_direct = true;
  const std::string direct = gfbench::app::format_client_tunings(clients, /*direct=*/true);
  INFO(direct);
  CHECK_THAT(direct, Contains("--direct, whether O_DIRECT reached the bricks:\n"));
  CHECK_THAT(direct,
             Contains("  gfapi     no: write-behind ignores it (performance.strict-o-direct "
                      "off), so a write can complete from the client's memory;"));
  CHECK_THAT(direct, Contains("  fuse      no: network.remote-dio on strips it before the bricks"));
  CHECK_THAT(direct,
             Contains("  local     not a Gluster client: as its file system honours O_DIRECT\n"));
  CHECK_THAT(direct, Contains("  old-fuse  not known, the client's graph could not be read\n"));
  clients[1].tuning->remote_dio = false;
  CHECK_THAT(gfbench::app::format_client_tunings(clients, true), Contains("  fuse      yes\n"));
  CHECK(gfbench::app::format_client_tunings({}, true).empty());
}

TEST_CASE("summary.json records each target's client graph", "[unit]") {
  const json report = json::parse(gfbench::app::format_report_json(
      compute_statistics(seed_like()), {}, {.clients = sample_clients()}));
  const json& clients = report["clients"];
  REQUIRE(clients.size() == 4);
  CHECK(clients[0]["target"] == "gfapi");
  CHECK(clients[0]["kind"] == "gfapi");
  CHECK(clients[0]["graph"]["write_behind"] == true);
  CHECK(clients[0]["graph"]["strict_o_direct"] == false);
  CHECK(clients[0]["graph"]["quick_read_max_file_size"] == 65536);
  CHECK(clients[0]["o_direct_reaches_bricks"] == false);
  CHECK(clients[1]["kind"] == "gluster-fuse");
  CHECK(clients[2]["kind"] == "other");
  CHECK(clients[2]["graph"].is_null());
  CHECK_FALSE(clients[2].contains("o_direct_reaches_bricks"));
  CHECK(clients[3]["graph_unknown_because"] == "no readable /mnt/x/.meta/graphs/active/volfile");
}

TEST_CASE("summary.csv has one row per case under a header of named columns", "[unit]") {
  auto cases = seed_like();
  cases.push_back(cell("fuse", "odd,\"name\"", "", MiB, {}));  // a custom kernel that failed
  cases.back().failed = 1;
  const auto stats = compute_statistics(cases);
  const auto lines = lines_of(gfbench::app::format_report_csv(stats));
  REQUIRE(lines.size() == cases.size() + 1);
  const auto header = split_csv(lines[0]);
  CHECK(header == std::vector<std::string>{"name",
                                           "target",
                                           "operation",
                                           "cache",
                                           "file_size_bytes",
                                           "file_size",
                                           "block_size_bytes",
                                           "block_size",
                                           "repetitions",
                                           "failed_repetitions",
                                           "mean_bytes_per_s",
                                           "median_bytes_per_s",
                                           "stddev_bytes_per_s",
                                           "min_bytes_per_s",
                                           "max_bytes_per_s",
                                           "mean_kib_per_s",
                                           "median_kib_per_s",
                                           "stddev_kib_per_s",
                                           "lat_p50_us",
                                           "lat_p99_us",
                                           "lat_max_us",
                                           "ratio_gfapi_over_this",
                                           "fsync_timed",
                                           "degraded_repetitions",
                                           "served_from_caches",
                                           "brick_write_share",
                                           "brick_read_bytes",
                                           "brick_write_bytes",
                                           "lat_p90_us",
                                           "lat_p999_us",
                                           "lat_p9999_us"});
  for (const auto& line : lines) CHECK(split_csv(line).size() == header.size());

  const auto first = split_csv(lines[1]);  // gfapi write 1MiB
  CHECK(first[0] == "gfapi/write/size:1MiB/bs:4KiB");
  CHECK(first[1] == "gfapi");
  CHECK(first[3].empty());
  CHECK(first[4] == "1048576");
  CHECK(first[5] == "1MiB");
  CHECK(first[7] == "4KiB");
  CHECK(first[8] == "3");
  CHECK(first[11] == "1150401536");  // 1,123,439 KiB/s in bytes/s
  CHECK(first[16] == "1123439");
  CHECK(first[18] == "10");
  CHECK(first[21].empty());  // gfapi is the reference

  const auto fuse_cold = split_csv(lines[12 + 4]);  // fuse read:cold 1MiB
  CHECK(fuse_cold[0] == "fuse/read/size:1MiB/bs:4KiB/cache:cold");
  CHECK(fuse_cold[3] == "cold");
  CHECK(fuse_cold[12].empty());  // one repetition: no stddev
  CHECK(fuse_cold[21] == "2");

  const auto odd = split_csv(lines.back());
  CHECK(odd[2] == "odd,\"name\"");
  CHECK(odd[8] == "0");
  CHECK(odd[9] == "1");
  CHECK(odd[11].empty());
}

TEST_CASE("the report carries what reached the bricks and every counter's median", "[unit]") {
  // A warm read the bricks never saw, and a write with fsync timed whose
  // every byte reached both copies; three repetitions each.
  auto read = cell("fuse", "read", "warm", 10 * MiB, {900'000, 1'000'000, 1'100'000});
  read.counters["brick_read_bytes"] = {0, 0, 40'960};
  read.counters["fop_readv_calls"] = {2, 3, 4};
  auto write = cell("gfapi", "write", "", 10 * MiB, {50'000, 60'000, 70'000});
  write.fsync_timed = true;
  write.degraded = 1;
  write.counters["brick_write_bytes"] = {20.0 * MiB, 20.0 * MiB, 20.0 * MiB};
  write.counters["brick_copies"] = {2, 2, 2};
  write.counters["brick_fsync_avg_us"] = {700, 300, 500};
  const std::vector<case_summary> cases{read, write};
  const auto stats = compute_statistics(cases);

  const std::string text = gfbench::app::format_report_json(stats, {}, {});
  INFO(text);
  const json report = json::parse(text);
  const json& read_case = report["cases"][0];
  const json& write_case = report["cases"][1];
  CHECK(read_case["served_from_caches"] == 1);
  CHECK(write_case["brick_write_share"] == 1);
  CHECK(write_case["fsync_timed"] == true);
  CHECK(write_case["degraded_repetitions"] == 1);
  CHECK(read_case["counters"] == json{{"brick_read_bytes", 0}, {"fop_readv_calls", 3}});
  CHECK(write_case["counters"]["brick_fsync_avg_us"] == 500);

  const auto lines = lines_of(gfbench::app::format_report_csv(stats));
  REQUIRE(lines.size() == 3);
  const auto r = split_csv(lines[1]);
  const auto w = split_csv(lines[2]);
  REQUIRE(r.size() == 31);
  REQUIRE(w.size() == 31);
  CHECK(r[22] == "0");  // fsync_timed
  CHECK(r[24] == "1");  // served from caches: the median pass read nothing at the brick
  CHECK(r[25].empty());
  CHECK(r[26] == "0");
  CHECK(w[22] == "1");
  CHECK(w[23] == "1");
  CHECK(w[24].empty());
  CHECK(w[25] == "1");
  CHECK(w[27] == "20971520");
}

TEST_CASE("the plot: one data block per file size and target, a gnuplot script", "[unit]") {
  const auto cases = seed_like();
  const auto stats = compute_statistics(cases);
  const std::string data = gfbench::app::format_plot_data(stats);
  INFO(data);
  // 3 file sizes x 2 targets.
  for (int i = 0; i < 6; ++i) CHECK_THAT(data, Contains("# index " + std::to_string(i) + ":"));
  CHECK_THAT(data, !Contains("# index 6:"));
  CHECK_THAT(data, Contains("# index 0: 1MiB files, 4KiB blocks, target gfapi"));
  CHECK_THAT(data, Contains("# index 1: 1MiB files, 4KiB blocks, target fuse"));
  // gfapi's 1MiB write: median 1,123,439 KiB/s = 1097.1 MiB/s, whiskers 0.9x and 1.1x.
  CHECK_THAT(data, Contains("-0.2 1097.108 987.398 1206.819 \"1097\" \"write\""));

  const std::filesystem::path dir = "/some/report";
  const std::string script = gfbench::app::format_plot_script(stats, dir);
  INFO(script);
  CHECK_THAT(script, Contains("gnuplot /some/report/throughput.gp"));
  CHECK_THAT(script, Contains("dir = \"/some/report\""));
  CHECK_THAT(script, Contains("set multiplot layout 1,3"));
  CHECK_THAT(script, Contains("set title \"100MiB files, 4KiB blocks\""));
  CHECK_THAT(script, Contains("\"read\\n(cold)\" 3"));
  CHECK_THAT(script, Contains("title \"gfapi\"") && Contains("title \"fuse\""));
  CHECK_THAT(script, Contains("pngcairo") && Contains("set terminal svg"));

  CHECK_THAT(script, Contains("unset logscale y") && !Contains("set logscale y 10"));

  // A page-cache read 1000 times a network write: that panel gets a log axis.
  const std::vector<case_summary> wide{
      cell("gfapi", "write", "", MiB, {2000}), cell("fuse", "read", "warm", MiB, {2'000'000}),
      cell("gfapi", "write", "", 10 * MiB, {2000}), cell("fuse", "read", "warm", 10 * MiB, {4000})};
  const std::string log_script = gfbench::app::format_plot_script(compute_statistics(wide), dir);
  INFO(log_script);
  CHECK_THAT(log_script, Contains("set logscale y 10\n  set yrange [1:7812.5]\n"
                                  "  set title \"1MiB files, 4KiB blocks (log scale)\""));
  CHECK_THAT(log_script, Contains("unset logscale y\n  set yrange [0:4.883]\n"
                                  "  set title \"10MiB files, 4KiB blocks\""));

  // Nothing to plot: no data, no script.
  case_summary failed = cell("gfapi", "write", "", MiB, {});
  failed.failed = 1;
  const std::vector<case_summary> none{failed};
  CHECK(gfbench::app::format_plot_data(compute_statistics(none)).empty());
  CHECK(gfbench::app::format_plot_script(compute_statistics(none), dir).empty());
}

TEST_CASE("write_report writes every file, and the plot when gnuplot is installed", "[unit]") {
  const temp_dir tmp;
  const auto cases = seed_like();
  const auto dir = tmp.path() / "new" / "report";  // parents are created

  const auto script_only = gfbench::app::write_report(dir, cases, {}, {.command_line = "gfbench"},
                                                      gfbench::app::plot_mode::script_only);
  for (const char* name : {"summary.json", "summary.csv", "throughput.dat", "throughput.gp"}) {
    CHECK(std::filesystem::is_regular_file(dir / name));
  }
  CHECK(script_only.written.size() == 4);
  CHECK_FALSE(script_only.plotted);
  CHECK_THAT(script_only.plot_note, Contains("gnuplot " + (dir / "throughput.gp").string()));
  CHECK_NOTHROW(json::parse(file_text(dir / "summary.json")));

  const auto with_plot = gfbench::app::write_report(dir, cases, {}, {.command_line = "gfbench"});
  INFO(with_plot.plot_note);
  if (gfbench::detail::find_program("gnuplot")) {
    CHECK(with_plot.plotted);
    CHECK(with_plot.plot_note.empty());
    const std::string png = file_text(dir / "throughput.png");
    CHECK_THAT(png, StartsWith("\x89PNG"));
    CHECK_THAT(file_text(dir / "throughput.svg"), Contains("<svg"));
  } else {
    WARN("gnuplot is not installed: the plot itself is not checked");
    CHECK_FALSE(with_plot.plotted);
    CHECK_THAT(with_plot.plot_note, Contains("apt-get install gnuplot-nox"));
  }

  // A file where the directory should be.
  std::ofstream(tmp.path() / "plain-file") << "x";
  CHECK_THROWS_WITH(gfbench::app::write_report(tmp.path() / "plain-file", cases, {}, {}),
                    Contains("plain-file"));
}
