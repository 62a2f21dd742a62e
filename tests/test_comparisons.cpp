// Before and after: --compare-options read and refused as it should be,
// two reports compared (gfbench compare) with the verdicts and the exit
// status CI relies on, and an A/B run of volume options on a volume of the
// test's own that puts every option back as it was: at its end, after
// SIGINT, and (through its journal) at the next run after a SIGKILL.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gluster/sandbox_volumes.hpp"
#include "results/compare_runs.hpp"
#include "results/option_comparison.hpp"
#include "support/cli_rejection.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::cluster;
using gfbench::testing::describe;
using gfbench::testing::own_volume;
using gfbench::testing::rejection;
using gfbench::testing::run_tool;
using gfbench::testing::temp_dir;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A summary.json as gfbench writes it, with the rounds of each case.
void write_report(const fs::path& file, const std::map<std::string, std::vector<double>>& cases,
                  const std::string& glusterfs = "glusterfs 10.3") {
  nlohmann::json doc = {{"tool", "gfbench"},
                        {"started_utc", "2026-12-04T00:00:00Z"},
                        {"environment",
                         {{"glusterfs_version", glusterfs},
                          {"kernel", "6.1"},
                          {"cpus", 2},
                          {"volumes", nlohmann::json::array()}}}};
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, rates] : cases) {
    nlohmann::json rounds = nlohmann::json::array();
    for (std::size_t i = 0; i < rates.size(); ++i) {
      rounds.push_back({{"round", i + 1}, {"bytes_per_second", rates[i]}});
    }
    list.push_back(
        {{"name", name}, {"target", name.substr(0, name.find('/'))}, {"rounds", rounds}});
  }
  doc["cases"] = list;
  std::ofstream(file) << doc.dump(2);
}

// The options set on a volume, as gluster lists them.
std::map<std::string, std::string> options_of(const std::string& volume) {
  const std::string out = cluster().gluster({"volume", "info", volume});
  std::map<std::string, std::string> options;
  const std::size_t start = out.find("Options Reconfigured:");
  if (start == std::string::npos) return options;
  std::istringstream in(out.substr(start));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) break;
    options[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return options;
}

// The gluster CLI of the test's sandbox, as --gluster-cli takes it.
std::string sandbox_cli() {
  return "gluster --glusterd-sock=" + (cluster().base_dir() / "node0/glusterd/gd.sock").string() +
         " --log-file=" + (cluster().base_dir() / "node0/log/cli.log").string();
}

std::vector<std::string> ab_run(const own_volume& v, std::vector<std::string> extra) {
  std::vector<std::string> args = v.args();
  // No profiling: what a run that is killed leaves of it is not the
  // options' journal's to put back (docs/safety.md).
  for (const char* a : {"--no-profile", "--compare-options", "base=", "--compare-options",
                        "lean=performance.write-behind=off,performance.io-cache=off"}) {
    args.emplace_back(a);
  }
  args.insert(args.end(), {"--gluster-cli", sandbox_cli()});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("--compare-options: configurations read, and what cannot be undone refused", "[unit]") {
  const auto set = gfbench::app::parse_option_set("lean=performance.write-behind=off,a.b=1");
  CHECK(set.name == "lean");
  REQUIRE(set.options.size() == 2);
  CHECK(set.options[0] == std::pair<std::string, std::string>{"performance.write-behind", "off"});
  CHECK(gfbench::app::parse_option_set("defaults=").options.empty());
  CHECK_THROWS_WITH(gfbench::app::parse_option_set("no-equals"), Contains("NAME=KEY=VALUE"));
  CHECK_THROWS_WITH(gfbench::app::parse_option_set("a b=x.y=1"), Contains("letters"));
  CHECK_THROWS_WITH(gfbench::app::parse_option_set("x=a.b=1,a.b=2"), Contains("set twice"));
  CHECK_THAT(rejection({"--compare-options", "a="}), Contains("two configurations"));
  CHECK_THAT(rejection({"--compare-options", "a=", "--compare-options", "a=x.y=1"}),
             Contains("two configurations are called a"));
  CHECK_THAT(
      rejection({"--volume", "v", "--compare-options", "a=", "--compare-options", "b=x.y=1"}),
      Contains("--gluster-cli"));
  CHECK_THAT(rejection({"--volume", "v", "--gluster-cli", "gluster", "--compare-options",
                        "a=", "--compare-options", "virt=group=virt"}),
             Contains("cannot be set and undone"));
  CHECK_THAT(rejection({"--volume", "v", "--gluster-cli", "gluster", "--compare-options",
                        "a=", "--compare-options", "s=features.shard=on"}),
             Contains("sharding"));
  CHECK_THAT(rejection({"--volume-set", "network.ping-timeout=10,42", "--compare-options",
                        "a=", "--compare-options", "b=x.y=1"}),
             Contains("one value"));
  CHECK_THAT(rejection({"--min-repetitions", "3"}), Contains("--target-ci"));
  CHECK_THAT(rejection({"--target-ci", "0"}), Contains("above 0"));
}

TEST_CASE("the configurations' table: each over the first, round by round, with verdicts",
          "[unit]") {
  const auto summary = [](std::string target, std::vector<double> rates) {
    gfbench::app::case_summary c;
    c.target = target;
    c.name = target + "/write/size:1MiB/bs:4KiB";
    c.bytes_per_second = rates;
    for (int i = 0; i < static_cast<int>(rates.size()); ++i) c.rounds.push_back(i);
    return c;
  };
  // lean is 50 % faster in every round, however much the rounds drift.
  const std::vector<gfbench::app::case_summary> cases{
      summary("gfapi@base", {100, 200, 150, 120, 180}),
      summary("gfapi@lean", {150, 300, 225, 181, 269})};
  const std::string table = gfbench::app::format_option_comparison(cases);
  CHECK_THAT(table, Contains("gfapi: lean / base"));
  CHECK_THAT(table, Contains("1.50 [") && Contains("faster"));
  CHECK(gfbench::app::format_option_comparison({cases[0]}).empty());

  // A metadata phase counts bytes too (none at all for stat): its rounds
  // are compared by files per second.
  const auto phase = [](std::string target, std::vector<double> files) {
    gfbench::app::case_summary c;
    c.target = target;
    c.name = target + "/meta:stat/files:100/size:4KiB/threads:1/cache:warm";
    c.operation = "meta:stat";
    c.bytes_per_second.assign(files.size(), 0.0);
    c.counters["files_per_second"] = files;
    for (int i = 0; i < static_cast<int>(files.size()); ++i) c.rounds.push_back(i);
    return c;
  };
  const std::string meta =
      gfbench::app::format_option_comparison({phase("gfapi@base", {1000, 2000, 1500, 1200, 1800}),
                                              phase("gfapi@lean", {500, 1000, 750, 600, 900})});
  CHECK_THAT(meta, Contains("0.50 [") && Contains("slower"));
}

TEST_CASE("gfbench compare: changes with intervals, what else differs, and the exit status",
          "[unit]") {
  temp_dir dir("gfbench-compare");
  const fs::path before = dir.path() / "before.json", after = dir.path() / "after.json";
  write_report(before, {{"gfapi/write/size:1MiB", {100e6, 104e6, 98e6, 101e6, 99e6}},
                        {"gfapi/read/size:1MiB", {300e6, 310e6, 295e6, 305e6, 301e6}}});
  write_report(after,
               {{"gfapi/write/size:1MiB", {70e6, 72e6, 69e6, 71e6, 70e6}},
                {"gfapi/read/size:1MiB", {302e6, 296e6, 306e6, 299e6, 303e6}}},
               "glusterfs 11.1");
  const auto c =
      gfbench::app::compare_runs(gfbench::app::load_run(before), gfbench::app::load_run(after));
  REQUIRE(c.cases.size() == 2);
  const auto& read = c.cases[0];  // in the reports' order
  const auto& write = c.cases[1];
  REQUIRE(write.after_name == "gfapi/write/size:1MiB");
  CHECK(write.throughput.verdict() == gfbench::app::verdict::lower);  // -30 %
  CHECK(write.throughput.ratio == Approx(0.70).epsilon(0.02));
  CHECK(read.throughput.verdict() == gfbench::app::verdict::no_difference);
  REQUIRE(c.environment_differences.size() == 1);
  CHECK_THAT(c.environment_differences[0], Contains("glusterfs 10.3 -> glusterfs 11.1"));
  CHECK(gfbench::app::regressions(c, 0.10).size() == 1);
  CHECK(gfbench::app::regressions(c, 0.40).empty());
  const std::string text = gfbench::app::format_comparison(c, 0.10);
  CHECK_THAT(text, Contains("slower") && Contains("1 slower by more than 10 %"));

  // The tool: exit 1 for a regression beyond the threshold, 0 within it, 2
  // for what is not a report.
  const tool_result over =
      run_tool({"compare", before.string(), after.string(), "--threshold", "10"});
  CHECK(over.exit_code == 1);
  CHECK_THAT(over.out, Contains("gfapi/write/size:1MiB"));
  CHECK(run_tool({"compare", "--baseline", before.string(), after.string(), "--threshold", "40"})
            .exit_code == 0);
  std::ofstream(dir.path() / "junk.json") << "{\"not\": \"gfbench\"}";
  const tool_result junk =
      run_tool({"compare", before.string(), (dir.path() / "junk.json").string()});
  CHECK(junk.exit_code == 2);
  CHECK_THAT(junk.err, Contains("not a gfbench report"));
  CHECK(run_tool({"compare", before.string()}).exit_code == 2);
}

TEST_CASE("an A/B run of volume options puts every option back as it was", "[compare]") {
  cluster();
  own_volume v("ab-options");
  cluster().set_volume_option(v.name(), "performance.io-cache", "on");  // set before the run
  const auto before = options_of(v.name());
  REQUIRE(before.at("performance.io-cache") == "on");
  temp_dir state("gfbench-state");
  const std::vector<std::string> env{"GFBENCH_STATE_DIR=" + state.path().string()};

  SECTION("at the end of a run") {
    const tool_result r =
        run_tool(ab_run(v, {"--sizes", "1MiB", "--ops", "write", "--benchmark_repetitions=2"}),
                 300s, {}, env);
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("Options compared") && Contains("gfapi: lean / base"));
    CHECK(options_of(v.name()) == before);
    CHECK(fs::is_empty(state.path()));  // no journal left
  }
  SECTION("after SIGINT") {
    tool_process p(ab_run(v, {"--sizes", "64MiB", "--block-sizes", "4KiB", "--ops", "write",
                              "--benchmark_repetitions=20"}),
                   {}, env);
    REQUIRE(p.wait_for_stderr("[2/", 120s));  // the second configuration's options are set
    p.send_signal(SIGINT);
    const tool_result r = p.wait(120s);
    INFO(describe(r));
    CHECK(r.exit_code == 128 + SIGINT);
    CHECK(options_of(v.name()) == before);
    CHECK(fs::is_empty(state.path()));
  }
  SECTION("after SIGKILL: the next run puts them back first") {
    {
      tool_process p(
          ab_run(v, {"--sizes", "64MiB", "--ops", "write", "--benchmark_repetitions=20"}), {}, env);
      REQUIRE(p.wait_for_stderr("[2/", 120s));
      p.send_signal(SIGKILL);
      static_cast<void>(p.wait(30s));
    }
    CHECK_FALSE(fs::is_empty(state.path()));  // the journal stayed
    const tool_result r =
        run_tool(ab_run(v, {"--sizes", "1MiB", "--ops", "write", "--benchmark_repetitions=2"}),
                 300s, {}, env);
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("left a journal"));
    CHECK(options_of(v.name()) == before);
    CHECK(fs::is_empty(state.path()));
  }
}
